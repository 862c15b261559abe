{{- define "fixture.labels" -}}
app.kubernetes.io/name: fixture
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
