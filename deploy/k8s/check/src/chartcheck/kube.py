"""Built-in kinds against the Kubernetes OpenAPI schemas shipped by kubernetes-validate (strict variants)."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from typing import Any

import jsonschema
import referencing
from jsonschema.exceptions import best_match

_SCHEMAS = files("kubernetes_validate") / "kubernetes-json-schema"


def describe() -> str:
    return f"kubernetes-validate {version('kubernetes-validate')}, strict"


def available_versions() -> list[str]:
    found = {m.group(1) for p in _SCHEMAS.iterdir() if (m := re.fullmatch(r"v(\d+\.\d+)\.0-local-strict", p.name))}
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


@cache
def _registry(kube_version: str) -> tuple[Any, referencing.Registry]:
    folder = _SCHEMAS / f"v{kube_version}.0-local-strict"
    definitions = referencing.Resource.from_contents(json.loads((folder / "_definitions.json").read_text()))
    return folder, definitions @ referencing.Registry()


@cache
def _validator(kube_version: str, kind: str, api_version: str) -> jsonschema.Draft202012Validator | None:
    folder, registry = _registry(kube_version)
    # kubernetes-validate's file naming: rbac.authorization.k8s.io/v1 -> rbac-v1, v1 -> v1
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    path = folder / f"{kind.lower()}-{group_version}.json"
    if not path.is_file():
        return None
    schema = json.loads(path.read_text())
    # the file name drops the group's domain: make sure the schema is for this exact apiVersion
    enum = schema.get("properties", {}).get("apiVersion", {}).get("enum")
    if enum and api_version not in enum:
        return None
    return jsonschema.Draft202012Validator(schema, registry=registry)


def validate(doc: dict[str, Any], kube_version: str) -> str | None:
    """None when valid in this Kubernetes version, else the reason."""
    api_version, kind = str(doc.get("apiVersion", "")), str(doc.get("kind", ""))
    validator = _validator(kube_version, kind, api_version)
    if validator is None:
        return f"no kind {kind} in {api_version} (neither built in, nor a custom resource with a schema here)"
    error = best_match(validator.iter_errors(doc))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"{where}: {error.message}"
