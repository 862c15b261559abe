"""Helm, in-process and offline: `helm lint` and `helm template` through helm-python-sdk (Helm's Go SDK)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import helm_python
import yaml

# helm-python-sdk's Chart.render() takes name/namespace/revision only; its native call also takes kube_version
# and api_versions (what `helm template --kube-version --api-versions` set), read from the library's own options.
from helm_python import _native

RELEASE = "qinglang"
NAMESPACE = "qinglang"
SEVERITY = {0: "UNKNOWN", 1: "INFO", 2: "WARNING", 3: "ERROR"}


def describe() -> str:
    return f"helm-python-sdk {version('helm-python-sdk')} (Helm's Go SDK, in-process)"


@dataclass(frozen=True)
class Finding:
    severity: str
    path: str
    message: str


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Helm's merge of several -f files: maps merge key by key, anything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def load_values(files: list[Path]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path in files:
        loaded = yaml.safe_load(path.read_text()) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{path}: a values file must hold a mapping")
        values = merge(values, loaded)
    return values


def lint(chart: Path, values: dict[str, Any], *, strict: bool, kube_version: str) -> list[Finding]:
    """`helm lint [--strict]` with these values; findings of every severity."""
    report = helm_python.lint(str(chart), values, strict=strict, namespace=NAMESPACE, kube_version=f"v{kube_version}.0")
    found = [
        Finding(SEVERITY.get(m.get("severity", 0), "UNKNOWN"), m.get("path", ""), m.get("error", ""))
        for m in report.get("messages") or []
    ]
    found += [Finding("ERROR", str(chart), e) for e in report.get("errors") or []]
    return found


def render(chart: Path, values: dict[str, Any], *, kube_version: str, api_versions: list[str]) -> dict[str, str]:
    """`helm template` (an install, hooks included, values.schema.json enforced): template path -> text.

    Raises helm_python.errors.HelmError when a template fails or the values break the values schema.
    """
    options = {
        "name": RELEASE,
        "namespace": NAMESPACE,
        "is_install": True,
        "kube_version": f"v{kube_version}.0",
        "api_versions": api_versions,
    }
    with helm_python.Chart.load(str(chart)) as loaded:
        rendered = _native.call_string("helm_render", loaded._raw(), json.dumps(values), json.dumps(options))
    return json.loads(rendered)


def manifests(rendered: dict[str, str]) -> list[tuple[str, Any]]:
    """The YAML documents of a rendering, each with the template it came from (NOTES.txt left out)."""
    docs: list[tuple[str, Any]] = []
    for source in sorted(rendered):
        if source.endswith("NOTES.txt") or not rendered[source].strip():
            continue
        try:
            loaded = list(yaml.safe_load_all(rendered[source]))
        except yaml.YAMLError as e:
            raise ValueError(f"{source}: rendered YAML does not parse: {e}") from e
        docs += [(source, doc) for doc in loaded if doc is not None]
    return docs
