"""The container image recipes (deploy/images/<service>.Dockerfile), verified without a container engine.

This machine has no engine, so no image is built here. What is verified instead: the builder stage's own
steps (its COPYs and its `uv sync` commands, read from the recipe) replayed in a scratch directory, from the
lock alone; the service's app factory built from the result, with no file written while it loads (the image's
root filesystem is read-only); and the recipes' invariants (one per service, the pinned uv, the workspace
members each service needs, the entrypoint, the user, the health check).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "deploy" / "images"
UV = ROOT / ".run" / "bootstrap" / "bin" / "uv"
SERVICES = {
    "identity": "identity",
    "content": "content",
    "moderation": "moderation",
    "reporting": "reporting",
    "regulator-gateway": "regulator_gateway",
}
# The staff console (issue 14): an image of its own, without migrations, database or broker.
CONSOLE = "console"


def instructions(recipe: Path) -> list[tuple[str, str, str]]:
    """(stage, INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments left out."""
    out: list[tuple[str, str, str]] = []
    stage, pending = "", ""
    for raw in recipe.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            match = re.search(r"\bAS\s+(\S+)", rest, re.IGNORECASE)
            stage = match.group(1) if match else "runtime"
        out.append((stage, word.upper(), rest.strip()))
    return out


def workspace_members(package: str) -> set[str]:
    """The workspace members a member depends on, itself included, as paths (libs/kit, services/identity)."""
    paths = {
        tomllib.loads(p.read_text())["project"]["name"]: p.parent.relative_to(ROOT).as_posix()
        for p in ROOT.glob("*/*/pyproject.toml")
        if p.parts[-3] in {"libs", "services", "tools"}
    }
    seen: set[str] = set()
    todo = [package]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        deps = tomllib.loads((ROOT / paths[name] / "pyproject.toml").read_text())["project"].get("dependencies", [])
        todo += [d for d in (re.split(r"[ <>=\[;]", dep, maxsplit=1)[0] for dep in deps) if d in paths]
    return {paths[name] for name in seen}


def makefile_uv_version() -> str:
    return re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE).group(1)


def test_one_recipe_per_service_and_no_other():
    expected = sorted(f"{s}.Dockerfile" for s in [*SERVICES, CONSOLE])
    assert sorted(p.name for p in IMAGES.glob("*.Dockerfile")) == expected


def test_the_recipes_differ_only_in_the_service_they_build():
    def normalised(service: str) -> str:
        text = (IMAGES / f"{service}.Dockerfile").read_text()
        text = re.sub(r"^COPY libs/textfold/.*\n", "", text, flags=re.MULTILINE)  # the one member not all need
        text = text.replace(f"{SERVICES[service]}.main:build_app", "PACKAGE.main:build_app")
        return text.replace(service, "SERVICE")

    reference = normalised("identity")
    for service in SERVICES:
        assert normalised(service) == reference, f"{service}.Dockerfile drifted from the others"


@pytest.mark.parametrize("service", SERVICES)
def test_a_recipe_holds_what_the_platform_relies_on(service):
    steps = instructions(IMAGES / f"{service}.Dockerfile")
    stages = [args for _, word, args in steps if word == "FROM"]
    assert len(stages) == 2 and stages[0].endswith("AS builder"), "multi-stage: a builder, then the runtime"
    runtime = {(word, args) for stage, word, args in steps if stage == "runtime"}
    builder = [(word, args) for stage, word, args in steps if stage == "builder"]
    # uv pinned to the Makefile's version
    assert ("ARG", f"UV_VERSION={makefile_uv_version()}") in builder
    # exactly this service's locked dependency set, no development tools
    syncs = [args for word, args in builder if word == "RUN" and "uv sync" in args]
    assert syncs and all(f"--frozen --no-dev --package qinglang-{service}" in s for s in syncs)
    # exactly the workspace members it needs (the others would be dead weight, a missing one a broken image)
    copied = {
        re.sub(r"/(src|pyproject\.toml|migrations)$", "", args.split()[0])
        for word, args in builder
        if word == "COPY" and args.split()[0].startswith(("libs/", "services/"))
    }
    assert copied == workspace_members(f"qinglang-{service}")
    assert ("COPY", f"services/{service}/migrations services/{service}/migrations") in builder
    # the runtime: non-root, the venv on PATH, no bytecode writes, port 8000, the health check, the entrypoint
    assert ("USER", "10001:10001") in runtime
    env = next(args for word, args in runtime if word == "ENV")
    assert "PATH=/app/.venv/bin:$PATH" in env and "PYTHONDONTWRITEBYTECODE=1" in env
    assert ("EXPOSE", "8000") in runtime
    health = next(args for word, args in runtime if word == "HEALTHCHECK")
    assert "http://127.0.0.1:8000/healthz" in health and "urllib.request" in health
    cmd = json.loads(next(args for word, args in runtime if word == "CMD"))
    assert cmd == [
        "uvicorn", "--factory", f"{SERVICES[service]}.main:build_app", "--host", "0.0.0.0", "--port", "8000",
    ]  # fmt: skip
    assert any(word == "COPY" and args == "--from=builder /app /app" for word, args in runtime)


PROBE = r"""
import base64, json, os, secrets, sys
from importlib import import_module
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# the secrets a service refuses to start without (never defaulted), made up for this start only
key = Ed25519PrivateKey.generate().private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
os.environ.update(TOKEN_SIGNING_KEY=base64.b64encode(key).decode(),
                  PII_ENCRYPTION_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
                  PII_LOOKUP_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
                  # the user-log archive's (regulator-gateway, issue 15): an X25519 private key is any 32 bytes
                  USER_LOG_OPEN_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
                  ARCHIVE_SIGNING_KEY=base64.b64encode(key).decode(),
                  ARCHIVE_LOOKUP_KEY=base64.b64encode(secrets.token_bytes(32)).decode())
main = import_module(sys.argv[1] + ".main")
app = main.build_app()
from fastapi.testclient import TestClient
from kit.db import KIT_MIGRATIONS
client = TestClient(app)  # no lifespan: no database, no broker; what the image's HEALTHCHECK asks
healthz = client.get("/healthz")
from kit import service
print(json.dumps({
    "healthz": [healthz.status_code, healthz.json()],
    "docs_assets": sorted(n for n in service._SWAGGER_FILES if (service._SWAGGER_ASSETS / n).is_file()),
    "migrations": sorted(p.name for p in main.MIGRATIONS.glob("*.sql")),
    "kit_migrations": sorted(p.name for p in KIT_MIGRATIONS.iterdir()),
    "modules": sorted(m.split(".")[0] for m in sys.modules),
}))
"""


def replay_builder(service: str, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """The recipe's builder stage replayed in a scratch /app, offline: (/app, its venv's python, the env)."""
    app = tmp_path / "app"
    app.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "VIRTUAL_ENV"))}
    env |= {"UV_OFFLINE": "1", "UV_PYTHON": sys.executable}  # from the lock and the local cache only
    for stage, word, args in instructions(IMAGES / f"{service}.Dockerfile"):
        if stage != "builder":
            continue
        if word == "ENV":
            for assignment in shlex.split(args):
                name, _, value = assignment.partition("=")
                env[name] = value.replace("/app", str(app))
        elif word == "COPY":
            *sources, target = args.split()
            for source in sources:
                src, dst = ROOT / source, app / target
                if target.endswith("/") or target == "./":
                    dst = dst / Path(source).name
                if src.is_dir():
                    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, dst)
        elif word == "RUN":
            for command in args.split("&&"):
                argv = shlex.split(command)
                if argv[:2] == ["uv", "sync"]:
                    argv[0] = str(UV)
                elif argv[:1] == ["python"]:
                    argv[0] = sys.executable
                else:
                    continue  # the uv install itself: this machine's uv is the same pinned version
                done = subprocess.run(argv, cwd=app, env=env, capture_output=True, text=True, timeout=240)
                assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    venv_python = app / ".venv" / "bin" / "python"
    assert venv_python.exists()
    return app, venv_python, env


@pytest.mark.parametrize("service", SERVICES)
def test_the_builder_steps_install_a_complete_service_from_the_lock(service, tmp_path):
    """Replays the recipe's builder stage in a scratch /app, offline, and builds the app from the result."""
    app, venv_python, env = replay_builder(service, tmp_path)
    before = sorted(p.relative_to(app).as_posix() for p in app.rglob("*"))
    probe = subprocess.run(
        [str(venv_python), "-c", PROBE, SERVICES[service]],
        cwd=tmp_path,
        env={"PATH": f"{app / '.venv' / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1",
             "DATABASE_URL": "postgresql://qinglang@127.0.0.1:1/qinglang"},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    after = sorted(p.relative_to(app).as_posix() for p in app.rglob("*"))
    assert after == before, "loading the service wrote files under /app (the image's root is read-only)"

    assert found["healthz"] == [200, {"status": "ok"}]
    assert len(found["docs_assets"]) == 3, "the API docs' assets (fastapi-swagger) are missing"
    assert found["migrations"], "the service's migrations are not where it looks for them"
    assert found["kit_migrations"]
    others = {p for s, p in SERVICES.items() if s != service}
    assert not others & set(found["modules"]), "another service's code was loaded"
    installed = subprocess.run(
        [str(UV), "pip", "list", "--python", str(venv_python), "--format", "json"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    names = {p["name"] for p in json.loads(installed.stdout)}
    assert f"qinglang-{service}" in names
    assert not names & {"pytest", "ruff", "qinglang-devstack", *(f"qinglang-{s}" for s in SERVICES if s != service)}


def test_hadolint_passes_every_recipe():
    """`make lint` runs it too; here so that CI (`make test`) does."""
    hadolint = ROOT / ".venv" / "bin" / "hadolint"
    out = subprocess.run(
        [str(hadolint), *map(str, sorted(IMAGES.glob("*.Dockerfile")))], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_console_recipe_holds_what_the_platform_relies_on():
    steps = instructions(IMAGES / f"{CONSOLE}.Dockerfile")
    stages = [args for _, word, args in steps if word == "FROM"]
    assert len(stages) == 2 and stages[0].endswith("AS builder")
    runtime = {(word, args) for stage, word, args in steps if stage == "runtime"}
    builder = [(word, args) for stage, word, args in steps if stage == "builder"]
    assert ("ARG", f"UV_VERSION={makefile_uv_version()}") in builder
    syncs = [args for word, args in builder if word == "RUN" and "uv sync" in args]
    assert syncs and all("--frozen --no-dev --package qinglang-console" in s for s in syncs)
    copied = {
        re.sub(r"/(src|pyproject\.toml)$", "", args.split()[0])
        for word, args in builder
        if word == "COPY" and args.split()[0].startswith(("libs/", "services/"))
    }
    assert copied == workspace_members("qinglang-console")
    assert ("USER", "10001:10001") in runtime and ("EXPOSE", "8000") in runtime
    cmd = json.loads(next(args for word, args in runtime if word == "CMD"))
    assert cmd == ["uvicorn", "--factory", "console.main:build_app", "--host", "0.0.0.0", "--port", "8000"]
    assert "http://127.0.0.1:8000/healthz" in next(args for word, args in runtime if word == "HEALTHCHECK")


CONSOLE_PROBE = r"""
import json, sys
from console.main import build_app
from fastapi.testclient import TestClient
client = TestClient(build_app())
paths = ("/healthz", "/readyz", "/console/", "/console/app.js", "/console/vocabulary.json")
answers = {p: client.get(p) for p in paths}
print(json.dumps({
    "status": {p: a.status_code for p, a in answers.items()},
    "csp": answers["/console/"].headers.get("content-security-policy", ""),
    "modules": sorted(m.split(".")[0] for m in sys.modules),
}))
"""


def test_the_console_builder_steps_install_a_complete_console_from_the_lock(tmp_path):
    """The console's image serves its pages with no database, broker or secret, and holds no service's code."""
    app, venv_python, env = replay_builder(CONSOLE, tmp_path)
    before = sorted(p.relative_to(app).as_posix() for p in app.rglob("*"))
    probe = subprocess.run(
        [str(venv_python), "-c", CONSOLE_PROBE],
        cwd=tmp_path,
        env={"PATH": f"{app / '.venv' / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert sorted(p.relative_to(app).as_posix() for p in app.rglob("*")) == before
    assert set(found["status"].values()) == {200}, found["status"]
    assert "script-src 'self'" in found["csp"]
    assert not set(SERVICES.values()) & set(found["modules"]), "a service's code was loaded"
    installed = subprocess.run(
        [str(UV), "pip", "list", "--python", str(venv_python), "--format", "json"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    names = {p["name"] for p in json.loads(installed.stdout)}
    assert "qinglang-console" in names
    assert not names & {"pytest", "ruff", "playwright", "qinglang-devstack", *(f"qinglang-{s}" for s in SERVICES)}
