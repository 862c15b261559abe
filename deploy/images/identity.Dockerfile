# syntax=docker/dockerfile:1
# The identity service's image (qinglang/identity). Built from the repository root, where the uv workspace and its
# lock live:  docker build -f deploy/images/identity.Dockerfile -t qinglang/identity .   (or: make images)
# Only this service's locked dependencies are installed (uv sync --package), its workspace members editable
# at the paths they have in the repository (the service finds its migrations beside its source).
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION=0.13.9
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"
WORKDIR /app
# 1. the third-party dependencies, locked: a layer that changes only with uv.lock and the manifests
COPY pyproject.toml uv.lock ./
COPY libs/kit/pyproject.toml libs/kit/
COPY libs/contracts/pyproject.toml libs/contracts/
COPY libs/textfold/pyproject.toml libs/textfold/
COPY services/identity/pyproject.toml services/identity/
RUN uv sync --frozen --no-dev --package qinglang-identity --no-install-workspace
# 2. the workspace members the service runs, and its migrations; bytecode compiled now (the root is read-only)
COPY libs/kit/src libs/kit/src
COPY libs/contracts/src libs/contracts/src
COPY libs/textfold/src libs/textfold/src
COPY services/identity/src services/identity/src
COPY services/identity/migrations services/identity/migrations
RUN uv sync --frozen --no-dev --package qinglang-identity \
    && python -m compileall -q --invalidation-mode unchecked-hash libs services

FROM ${PYTHON_IMAGE}
ARG PYTHON_IMAGE
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="qinglang-identity" \
      org.opencontainers.image.description="Qinglang identity service (FastAPI; HTTP API and/or Kafka workers by SERVICE_ROLE)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.vendor="Qinglang" \
      org.opencontainers.image.base.name="${PYTHON_IMAGE}"
# HOME in /tmp: the root filesystem is read-only and /tmp the only writable place (an emptyDir in the chart).
# FORWARDED_ALLOW_IPS and WEB_CONCURRENCY are uvicorn's own: the proxies trusted for X-Forwarded-*, the workers.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    FORWARDED_ALLOW_IPS=127.0.0.1
RUN groupadd --system --gid 10001 qinglang \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin qinglang
COPY --from=builder /app /app
WORKDIR /app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# The migration Job runs the same image as: python -m kit.ops migrate identity
CMD ["uvicorn", "--factory", "identity.main:build_app", "--host", "0.0.0.0", "--port", "8000"]
