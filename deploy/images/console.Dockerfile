# syntax=docker/dockerfile:1
# The staff console's image (qinglang/console): static pages under /console/ and their small stateless app (no
# database, broker or secret). Built from the repository root, where the uv workspace and its lock live:
#   docker build -f deploy/images/console.Dockerfile -t qinglang/console .   (or: make images)
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
COPY services/console/pyproject.toml services/console/
RUN uv sync --frozen --no-dev --package qinglang-console --no-install-workspace
# 2. the workspace members it runs (its static pages are inside its package); bytecode compiled now
COPY libs/kit/src libs/kit/src
COPY libs/contracts/src libs/contracts/src
COPY services/console/src services/console/src
RUN uv sync --frozen --no-dev --package qinglang-console \
    && python -m compileall -q --invalidation-mode unchecked-hash libs services

FROM ${PYTHON_IMAGE}
ARG PYTHON_IMAGE
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="qinglang-console" \
      org.opencontainers.image.description="Qinglang staff console (static pages under /console/; calls the APIs through the gateway)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.vendor="Qinglang" \
      org.opencontainers.image.base.name="${PYTHON_IMAGE}"
# HOME in /tmp: the root filesystem is read-only and /tmp the only writable place (an emptyDir in the chart).
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
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["uvicorn", "--factory", "console.main:build_app", "--host", "0.0.0.0", "--port", "8000"]
