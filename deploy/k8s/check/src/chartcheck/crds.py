"""Custom resources against the operators' upstream CRD schemas: crd/validate.mjs, run by Node.js.

The schemas come from the kubernetes-models npm packages (crd/package.json, locked), each generated from an
operator's released CRDs and compiled to a validator; Python has no offline package carrying them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

CRD_DIR = Path(__file__).resolve().parents[2] / "crd"


class NodeMissing(RuntimeError):
    pass


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise NodeMissing("the CRD schemas need Node.js (`node` on PATH); none found")
    if not (CRD_DIR / "node_modules").is_dir():
        raise NodeMissing(f"{CRD_DIR}/node_modules is missing: run `npm ci --prefix {CRD_DIR}`")
    return node


def capabilities() -> tuple[list[str], list[str]]:
    """The API groups validate.mjs has schemas for, and their group/version[/Kind] list (for rendering)."""
    out = subprocess.run(  # noqa: S603 - node and our own script, no shell
        [_node(), str(CRD_DIR / "validate.mjs"), "--capabilities"], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"crd/validate.mjs --capabilities failed: {out.stderr.strip()}")
    found = json.loads(out.stdout)
    return found["groups"], found["api_versions"]


def validate(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each object, {ok, schema, error}."""
    if not docs:
        return []
    out = subprocess.run(  # noqa: S603 - node and our own script, no shell
        [_node(), str(CRD_DIR / "validate.mjs")],
        input=json.dumps(docs),
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"crd/validate.mjs failed: {out.stderr.strip()}")
    return json.loads(out.stdout)
