{{/* Names ---------------------------------------------------------------------------------------- */}}
{{- define "qinglang.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The topology the code declares (generated: python -m devstack.chart). */}}
{{- define "qinglang.topology" -}}
{{- .Files.Get "files/topology.yaml" -}}
{{- end -}}

{{- define "qinglang.commonLabels" -}}
app.kubernetes.io/part-of: qinglang
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels of one service's component: dict root name component */}}
{{- define "qinglang.selectorLabels" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "qinglang.labels" -}}
{{ include "qinglang.commonLabels" .root }}
{{ include "qinglang.selectorLabels" . }}
{{- end -}}

{{/* dict root name component -> <fullname>-<service>-<component> */}}
{{- define "qinglang.componentName" -}}
{{- printf "%s-%s-%s" (include "qinglang.fullname" .root) .name .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "qinglang.kafkaUserName" -}}
{{- printf "%s-%s" (include "qinglang.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "qinglang.image" -}}
{{- $img := .root.Values.image -}}
{{- $repo := printf "%s/%s" $img.repository .name -}}
{{- if $img.registry }}{{ $repo = printf "%s/%s" $img.registry $repo }}{{ end -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}

{{/* Database of a service: dict root name svc -> name / role */}}
{{- define "qinglang.databaseName" -}}
{{- $topo := include "qinglang.topology" .root | fromYaml -}}
{{- default (index $topo.services .name).database .svc.database.name -}}
{{- end -}}
{{- define "qinglang.databaseRole" -}}
{{- default (include "qinglang.databaseName" .) .svc.database.role -}}
{{- end -}}

{{/* Topic settings: dict root topic -> partitions / replicas / retention.ms */}}
{{- define "qinglang.topicPartitions" -}}
{{- $o := index (default dict .root.Values.kafka.topics.overrides) .topic | default dict -}}
{{- default .root.Values.kafka.topics.partitions $o.partitions | int -}}
{{- end -}}
{{- define "qinglang.topicReplicas" -}}
{{- $o := index (default dict .root.Values.kafka.topics.overrides) .topic | default dict -}}
{{- default .root.Values.kafka.topics.replicas $o.replicas | int -}}
{{- end -}}
{{- define "qinglang.topicRetentionMs" -}}
{{- $o := index (default dict .root.Values.kafka.topics.overrides) .topic | default dict -}}
{{- default .root.Values.kafka.topics.retentionMs $o.retentionMs | int64 -}}
{{- end -}}

{{/* The most partitions among the topics a service's shared consumer groups read (0: none). */}}
{{- define "qinglang.workerPartitions" -}}
{{- $topo := include "qinglang.topology" .root | fromYaml -}}
{{- $max := 0 -}}
{{- range (index $topo.services .name).groups -}}
{{- if .name -}}
{{- range .topics -}}
{{- $p := include "qinglang.topicPartitions" (dict "root" $.root "topic" .) | int -}}
{{- if gt $p $max }}{{ $max = $p }}{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $max -}}
{{- end -}}

{{/* One service's merged component settings: dict root svc component -> yaml */}}
{{- /* Not sprig's mergeOverwrite: it cannot override with false or 0 (spread: false, replicas: 0). A
  service's value replaces the default's, and a map's keys replace the default map's keys (two levels). */ -}}
{{- define "qinglang.component" -}}
{{- $d := deepCopy (index .root.Values.defaults .component) -}}
{{- range $k, $v := (index .svc .component | default dict) -}}
{{- if and (kindIs "map" $v) (kindIs "map" (index $d $k)) -}}
{{- range $k2, $v2 := $v }}{{ $_ := set (index $d $k) $k2 $v2 }}{{ end -}}
{{- else -}}
{{- $_ := set $d $k $v -}}
{{- end -}}
{{- end -}}
{{- $d | toYaml -}}
{{- end -}}

{{- define "qinglang.kafkaBootstrap" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{- printf "%s-kafka-bootstrap.%s.svc:%v" .Values.kafka.strimzi.clusterName .Release.Namespace .Values.kafka.strimzi.listener.port -}}
{{- else -}}
{{- required "kafka.external.bootstrapServers is required with kafka.mode external" .Values.kafka.external.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{/* KAFKA_SECURITY_PROTOCOL */}}
{{- define "qinglang.kafkaProtocol" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{- $s := .Values.kafka.strimzi -}}
{{- if eq $s.authentication "tls" -}}SSL{{- else if $s.listener.tls -}}SASL_SSL{{- else -}}SASL_PLAINTEXT{{- end -}}
{{- else -}}
{{- .Values.kafka.external.securityProtocol -}}
{{- end -}}
{{- end -}}

{{/* The longest retention of any topic, in ms */}}
{{- define "qinglang.maxRetentionMs" -}}
{{- $max := int64 .Values.kafka.topics.retentionMs -}}
{{- range $topic, $o := (default dict .Values.kafka.topics.overrides) -}}
{{- if and $o $o.retentionMs -}}{{- if gt (int64 $o.retentionMs) $max }}{{ $max = int64 $o.retentionMs }}{{ end -}}{{- end -}}
{{- end -}}
{{- $max -}}
{{- end -}}

{{/* Checks the chart refuses to render without. */}}
{{- define "qinglang.validate" -}}
{{- $inboxMs := mul (int64 .Values.retention.inboxHours) 3600000 -}}
{{- $maxRetention := include "qinglang.maxRetentionMs" . | int64 -}}
{{- if le $inboxMs $maxRetention -}}
{{- fail (printf "retention.inboxHours (%v h) must exceed the longest topic retention (%v ms): the inbox must outlive any redelivery the broker can make" .Values.retention.inboxHours $maxRetention) -}}
{{- end -}}
{{- $topo := include "qinglang.topology" . | fromYaml -}}
{{- range $name, $_ := $topo.services -}}
{{- if not (hasKey $.Values.services $name) -}}
{{- fail (printf "services.%s is missing (every service of files/topology.yaml is deployed)" $name) -}}
{{- end -}}
{{- end -}}
{{- range $name, $svc := .Values.services -}}
{{- if not (hasKey $topo.services $name) -}}
{{- fail (printf "services.%s is not a service of files/topology.yaml" $name) -}}
{{- end -}}
{{- if eq $.Values.kafka.mode "external" -}}
{{- if and (ne $.Values.kafka.external.securityProtocol "PLAINTEXT") (not $svc.kafka.existingSecret) -}}
{{- fail (printf "services.%s.kafka.existingSecret is required with an external Kafka using %s" $name $.Values.kafka.external.securityProtocol) -}}
{{- end -}}
{{- end -}}
{{- if $.Values.networkPolicy.enabled -}}
{{- range $party, $out := (default dict $svc.outside) -}}
{{- if not $out.cidrs -}}
{{- fail (printf "services.%s.outside.%s.cidrs: with networkPolicy.enabled, name the CIDRs %s may reach (or it reaches none)" $name $party $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $api := include "qinglang.component" (dict "root" $ "svc" $svc "component" "api") | fromYaml -}}
{{- if not (has $api.autoscaling.mode (list "none" "hpa" "keda")) -}}
{{- fail (printf "services.%s.api.autoscaling.mode: none, hpa or keda (not %s)" $name $api.autoscaling.mode) -}}
{{- end -}}
{{- $worker := include "qinglang.component" (dict "root" $ "svc" $svc "component" "worker") | fromYaml -}}
{{- if not (has $worker.autoscaling.mode (list "none" "keda" "hpa-external")) -}}
{{- fail (printf "services.%s.worker.autoscaling.mode: none, keda or hpa-external (not %s)" $name $worker.autoscaling.mode) -}}
{{- end -}}
{{- $partitions := include "qinglang.workerPartitions" (dict "root" $ "name" $name) | int -}}
{{- if gt $partitions 0 -}}
{{- $most := ternary (int $worker.autoscaling.maxReplicas) (int $worker.replicas) (ne $worker.autoscaling.mode "none") -}}
{{- if gt $most $partitions -}}
{{- fail (printf "services.%s.worker: %d replicas would exceed the %d partitions its consumer groups read (idle consumers)" $name $most $partitions) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Pod security ----------------------------------------------------------------------------------- */}}
{{- define "qinglang.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "qinglang.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Volumes of a service's pod: dict root name svc multiproc */}}
{{- define "qinglang.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- if .multiproc }}
- name: prometheus-multiproc
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
{{- end }}
{{- include "qinglang.kafkaVolumes" . }}
{{- end -}}

{{- define "qinglang.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .multiproc }}
- name: prometheus-multiproc
  mountPath: /var/run/prometheus
{{- end }}
{{- include "qinglang.kafkaVolumeMounts" . }}
{{- end -}}

{{- define "qinglang.kafkaVolumes" -}}
{{- $v := .root.Values -}}
{{- if eq $v.kafka.mode "strimzi" }}
{{- if or $v.kafka.strimzi.listener.tls (eq $v.kafka.strimzi.authentication "tls") }}
- name: kafka-ca
  secret:
    secretName: {{ $v.kafka.strimzi.clusterName }}-cluster-ca-cert
    defaultMode: 0440
    items: [{key: ca.crt, path: ca.crt}]
{{- end }}
{{- if eq $v.kafka.strimzi.authentication "tls" }}
- name: kafka-user
  secret:
    secretName: {{ include "qinglang.kafkaUserName" . }}
    defaultMode: 0440
    items: [{key: user.crt, path: user.crt}, {key: user.key, path: user.key}]
{{- end }}
{{- else }}
{{- $e := $v.kafka.external }}
{{- if and $e.caSecret.name (has $e.securityProtocol (list "SSL" "SASL_SSL")) }}
- name: kafka-ca
  secret:
    secretName: {{ $e.caSecret.name }}
    defaultMode: 0440
    items: [{key: {{ $e.caSecret.key }}, path: ca.crt}]
{{- end }}
{{- if eq $e.securityProtocol "SSL" }}
- name: kafka-user
  secret:
    secretName: {{ .svc.kafka.existingSecret }}
    defaultMode: 0440
    items: [{key: {{ $e.certKey }}, path: user.crt}, {key: {{ $e.keyKey }}, path: user.key}]
{{- end }}
{{- end }}
{{- end -}}

{{- define "qinglang.kafkaVolumeMounts" -}}
{{- $v := .root.Values -}}
{{- $ca := false -}}{{- $user := false -}}
{{- if eq $v.kafka.mode "strimzi" -}}
{{- $ca = or $v.kafka.strimzi.listener.tls (eq $v.kafka.strimzi.authentication "tls") -}}
{{- $user = eq $v.kafka.strimzi.authentication "tls" -}}
{{- else -}}
{{- $ca = and $v.kafka.external.caSecret.name (has $v.kafka.external.securityProtocol (list "SSL" "SASL_SSL")) -}}
{{- $user = eq $v.kafka.external.securityProtocol "SSL" -}}
{{- end -}}
{{- if $ca }}
- name: kafka-ca
  mountPath: /etc/qinglang/kafka/ca
  readOnly: true
{{- end }}
{{- if $user }}
- name: kafka-user
  mountPath: /etc/qinglang/kafka/user
  readOnly: true
{{- end }}
{{- end -}}

{{/* Environment ------------------------------------------------------------------------------------ */}}
{{/* dict root name svc role workers [job] -> the container's env list */}}
{{- define "qinglang.env" -}}
{{- $root := .root -}}{{- $v := $root.Values -}}{{- $name := .name -}}{{- $svc := .svc -}}
{{- $ns := $root.Release.Namespace -}}
{{- $plain := dict -}}
{{- $_ := set $plain "ENVIRONMENT" $v.environment -}}
{{- $_ := set $plain "LOG_LEVEL" $v.logLevel -}}
{{- $_ := set $plain "FORWARDED_ALLOW_IPS" $v.gateway.forwardedAllowIps -}}
{{- $_ := set $plain "SERVICE_ROLE" .role -}}
{{- $_ := set $plain "MIGRATE_ON_START" "false" -}}
{{- $_ := set $plain "JWKS_URL" (printf "http://%s.%s.svc:8000/v1/identity/jwks.json" (include "qinglang.componentName" (dict "root" $root "name" "identity" "component" "api")) $ns) -}}
{{- $_ := set $plain "OTEL_TRACES_EXPORTER" $v.otel.tracesExporter -}}
{{- if $v.otel.otlpEndpoint }}{{ $_ := set $plain "OTEL_EXPORTER_OTLP_ENDPOINT" $v.otel.otlpEndpoint }}{{ end -}}
{{- $_ := set $plain "OUTBOX_RETENTION_HOURS" (toString $v.retention.outboxHours) -}}
{{- $_ := set $plain "INBOX_RETENTION_HOURS" (toString $v.retention.inboxHours) -}}
{{- $_ := set $plain "RETENTION_INTERVAL_S" (toString $v.retention.intervalSeconds) -}}
{{- /* The user log (MB-16.2): every service seals the client's address to the archive's one public key (the
  migration Job's kit settings check its form too, before any pod of the release starts). */ -}}
{{- $_ := set $plain "USER_LOG_SEAL_KEY" (required "userLog.sealKey is required (MB-16.2: every service seals the user log's network addresses to the archive's X25519 public key; deploy/k8s/README.md makes the pair)" $v.userLog.sealKey) -}}
{{- if gt (int .workers) 1 -}}
{{- $_ := set $plain "WEB_CONCURRENCY" (toString .workers) -}}
{{- $_ := set $plain "PROMETHEUS_MULTIPROC_DIR" "/var/run/prometheus" -}}
{{- end -}}
{{- /* Kafka */ -}}
{{- $_ := set $plain "KAFKA_BOOTSTRAP_SERVERS" (include "qinglang.kafkaBootstrap" $root) -}}
{{- /* With INBOX_RETENTION_HOURS in every process, the Job's too: the kit checks the inbox outlives it. */ -}}
{{- $_ := set $plain "KAFKA_TOPIC_RETENTION_MS" (toString (int64 $v.kafka.topics.retentionMs)) -}}
{{- $secretEnv := list -}}
{{- if not .job -}}
{{- $_ := set $plain "KAFKA_TOPIC_PARTITIONS" (toString $v.kafka.topics.partitions) -}}
{{- $_ := set $plain "KAFKA_REPLICATION_FACTOR" (toString $v.kafka.topics.replicas) -}}
{{- $_ := set $plain "BROKER_WATCH_ENABLED" "false" -}}
{{- $protocol := include "qinglang.kafkaProtocol" $root -}}
{{- $_ := set $plain "KAFKA_SECURITY_PROTOCOL" $protocol -}}
{{- if eq $v.kafka.mode "strimzi" -}}
{{- $_ := set $plain "KAFKA_MANAGE_TOPICS" "false" -}}
{{- if or $v.kafka.strimzi.listener.tls (eq $v.kafka.strimzi.authentication "tls") -}}
{{- $_ := set $plain "KAFKA_SSL_CAFILE" "/etc/qinglang/kafka/ca/ca.crt" -}}
{{- end -}}
{{- if eq $v.kafka.strimzi.authentication "tls" -}}
{{- $_ := set $plain "KAFKA_SSL_CERTFILE" "/etc/qinglang/kafka/user/user.crt" -}}
{{- $_ := set $plain "KAFKA_SSL_KEYFILE" "/etc/qinglang/kafka/user/user.key" -}}
{{- else -}}
{{- $_ := set $plain "KAFKA_SASL_MECHANISM" "SCRAM-SHA-512" -}}
{{- $_ := set $plain "KAFKA_SASL_USERNAME" (include "qinglang.kafkaUserName" .) -}}
{{- $secretEnv = append $secretEnv (dict "name" "KAFKA_SASL_PASSWORD" "secret" (include "qinglang.kafkaUserName" .) "key" "password") -}}
{{- end -}}
{{- else -}}
{{- $e := $v.kafka.external -}}
{{- $_ := set $plain "KAFKA_MANAGE_TOPICS" (ternary "true" "false" $e.manageTopics) -}}
{{- if and $e.caSecret.name (has $e.securityProtocol (list "SSL" "SASL_SSL")) -}}
{{- $_ := set $plain "KAFKA_SSL_CAFILE" "/etc/qinglang/kafka/ca/ca.crt" -}}
{{- end -}}
{{- if eq $e.securityProtocol "SSL" -}}
{{- $_ := set $plain "KAFKA_SSL_CERTFILE" "/etc/qinglang/kafka/user/user.crt" -}}
{{- $_ := set $plain "KAFKA_SSL_KEYFILE" "/etc/qinglang/kafka/user/user.key" -}}
{{- end -}}
{{- if hasPrefix "SASL_" $e.securityProtocol -}}
{{- $_ := set $plain "KAFKA_SASL_MECHANISM" $e.saslMechanism -}}
{{- $secretEnv = append $secretEnv (dict "name" "KAFKA_SASL_USERNAME" "secret" $svc.kafka.existingSecret "key" $e.usernameKey) -}}
{{- $secretEnv = append $secretEnv (dict "name" "KAFKA_SASL_PASSWORD" "secret" $svc.kafka.existingSecret "key" $e.passwordKey) -}}
{{- end -}}
{{- end -}}
{{- end -}}{{- /* not .job: the migration Job talks to its database only (the Kafka user's Secret may not exist yet) */ -}}
{{- /* PostgreSQL */ -}}
{{- $db := include "qinglang.databaseName" . -}}
{{- $dbSecret := required (printf "services.%s.database.existingSecret is required" $name) $svc.database.existingSecret -}}
{{- if eq $v.postgresql.mode "cnpg" -}}
{{- $c := $v.postgresql.cnpg -}}
{{- $_ := set $plain "DATABASE_URL" (printf "postgresql://%s-rw.%s.svc:5432/%s?sslmode=%s" $c.clusterName $ns $db $c.sslmode) -}}
{{- $secretEnv = append $secretEnv (dict "name" "DATABASE_USER" "secret" $dbSecret "key" "username") -}}
{{- $secretEnv = append $secretEnv (dict "name" "DATABASE_PASSWORD" "secret" $dbSecret "key" "password") -}}
{{- else if $svc.database.uriKey -}}
{{- $secretEnv = append $secretEnv (dict "name" "DATABASE_URL" "secret" $dbSecret "key" $svc.database.uriKey) -}}
{{- else -}}
{{- $x := $v.postgresql.external -}}
{{- $host := required "postgresql.external.host is required with postgresql.mode external (or services.<name>.database.uriKey)" $x.host -}}
{{- $_ := set $plain "DATABASE_URL" (printf "postgresql://%s:%v/%s?sslmode=%s" $host $x.port $db $x.sslmode) -}}
{{- $secretEnv = append $secretEnv (dict "name" "DATABASE_USER" "secret" $dbSecret "key" "username") -}}
{{- $secretEnv = append $secretEnv (dict "name" "DATABASE_PASSWORD" "secret" $dbSecret "key" "password") -}}
{{- end -}}
{{- /* The service's own typed settings and secrets */ -}}
{{- if eq $name "identity" -}}
{{- $_ := set $plain "SMS_GATEWAY_URL" (required "services.identity.smsGatewayUrl is required" $svc.smsGatewayUrl) -}}
{{- $_ := set $plain "IDENTITY_CHECK_URL" (required "services.identity.identityCheckUrl is required" $svc.identityCheckUrl) -}}
{{- $keys := required "services.identity.existingSecret is required" $svc.existingSecret -}}
{{- range list "TOKEN_SIGNING_KEY" "PII_ENCRYPTION_KEY" "PII_LOOKUP_KEY" -}}
{{- $secretEnv = append $secretEnv (dict "name" . "secret" $keys "key" .) -}}
{{- end -}}
{{- $secretEnv = append $secretEnv (dict "name" "PII_RETIRED_KEYS" "secret" $keys "key" "PII_RETIRED_KEYS" "optional" true) -}}
{{- else if eq $name "content" -}}
{{- $m := $svc.media -}}
{{- $_ := set $plain "MEDIA_STORAGE" "s3" -}}
{{- $_ := set $plain "MEDIA_S3_BUCKET" (required "services.content.media.bucket is required" $m.bucket) -}}
{{- if $m.endpoint }}{{ $_ := set $plain "MEDIA_S3_ENDPOINT" $m.endpoint }}{{ end -}}
{{- $_ := set $plain "MEDIA_S3_REGION" $m.region -}}
{{- $_ := set $plain "MEDIA_S3_ALLOW_HTTP" (ternary "true" "false" $m.allowHttp) -}}
{{- $_ := set $plain "MEDIA_S3_VIRTUAL_HOSTED_STYLE" (ternary "true" "false" $m.virtualHostedStyle) -}}
{{- $_ := set $plain "MEDIA_MAX_BYTES" (toString (int64 $m.maxBytes)) -}}
{{- $keys := required "services.content.existingSecret is required" $svc.existingSecret -}}
{{- range list "MEDIA_S3_ACCESS_KEY_ID" "MEDIA_S3_SECRET_ACCESS_KEY" -}}
{{- $secretEnv = append $secretEnv (dict "name" . "secret" $keys "key" .) -}}
{{- end -}}
{{- else if and (eq $name "moderation") (not .job) -}}
{{- /* Issue 16 (MB-6.1): the evaluation of each proposed lexicon change and release; corpusLimit 0: all */ -}}
{{- $e := default dict $svc.lexiconEvaluation -}}
{{- if gt (int64 (default 0 $e.corpusLimit)) 0 }}{{ $_ := set $plain "LEXICON_EVAL_CORPUS_LIMIT" (toString (int64 $e.corpusLimit)) }}{{ end -}}
{{- $_ := set $plain "LEXICON_EVAL_MAX_ENTRIES" (toString (int64 (default 2000 $e.maxEntries))) -}}
{{- else if eq $name "regulator-gateway" -}}
{{- /* The user log archive (MB-16.2, PA-16.2): opens the sealed addresses, signs the daily anchors, keys the
  address lookup. Not in the migration Job: plain SQL needs none of them. */ -}}
{{- $keys := required "services.regulator-gateway.existingSecret is required (MB-16.2, PA-16.2: the user log archive's keys USER_LOG_OPEN_KEY, ARCHIVE_SIGNING_KEY, ARCHIVE_LOOKUP_KEY)" $svc.existingSecret -}}
{{- if not .job -}}
{{- range list "USER_LOG_OPEN_KEY" "ARCHIVE_SIGNING_KEY" "ARCHIVE_LOOKUP_KEY" -}}
{{- $secretEnv = append $secretEnv (dict "name" . "secret" $keys "key" .) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- /* services.<name>.env last: an SRE's setting wins over the chart's (secrets cannot be set this way) */ -}}
{{- range $k, $val := (default dict $svc.env) -}}
{{- $_ := set $plain $k (toString $val) -}}
{{- end -}}
{{- range $e := $secretEnv }}{{ $_ := unset $plain $e.name }}{{ end -}}
{{- range $k := keys $plain | sortAlpha }}
- name: {{ $k }}
  value: {{ index $plain $k | quote }}
{{- end }}
{{- range $e := $secretEnv }}
- name: {{ $e.name }}
  valueFrom:
    secretKeyRef:
      name: {{ $e.secret }}
      key: {{ $e.key }}
{{- if $e.optional }}
      optional: true
{{- end }}
{{- end }}
{{- end -}}

{{/* NetworkPolicy egress every pod needs: DNS and its database (dict root). */}}
{{- define "qinglang.egressBase" -}}
{{- $v := .root.Values -}}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ $v.networkPolicy.dns.namespace }}
      podSelector:
        matchLabels:
          {{- toYaml $v.networkPolicy.dns.podSelector | nindent 10 }}
  ports:
    - {port: 53, protocol: UDP}
    - {port: 53, protocol: TCP}
{{- if eq $v.postgresql.mode "cnpg" }}
- to:
    - podSelector:
        matchLabels:
          cnpg.io/cluster: {{ $v.postgresql.cnpg.clusterName }}
  ports:
    - {port: 5432, protocol: TCP}
{{- else }}
- to:
    {{- range required "postgresql.external.cidrs is required with networkPolicy.enabled and an external PostgreSQL" $v.postgresql.external.cidrs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
  ports:
    - {port: {{ $v.postgresql.external.port }}, protocol: TCP}
{{- end }}
{{- end -}}
