"""The chart's offline check: helm lint, a rendering per value set, every rendered object validated.

Helm runs in-process (helm-python-sdk, Helm's own Go SDK: no `helm` binary, no cluster, no repository).
Built-in kinds are validated against the Kubernetes OpenAPI schemas that kubernetes-validate ships (strict:
unknown fields fail), custom resources against the operators' upstream CRD schemas that the kubernetes-models
npm packages ship (crd/validate.mjs). A kind neither knows fails the check.
"""
