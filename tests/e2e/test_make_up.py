"""`make up` on its own run folder: the platform comes up behind a supervisor, `make status` shows
every process and its restarts, a process that dies is started again, `make down` stops it all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import psutil
from devstack.processes import Managed
from devstack.testing import poll


def devstack(command: str, run_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS")}
    return subprocess.run(
        [sys.executable, "-m", "devstack", command, "--run-dir", str(run_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=360,
    )


def status(run_dir: Path) -> dict[str, tuple[str, int]]:
    lines = devstack("status", run_dir).stdout.splitlines()[1:]
    return {parts[0]: (parts[1], int(parts[3])) for parts in (line.split() for line in lines)}


def test_make_up_supervises_what_it_starts_and_make_down_stops_it(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    recorded: dict = {}
    try:
        up = devstack("up", run_dir)
        assert up.returncode == 0, up.stderr + up.stdout
        assert "Qinglang is up." in up.stdout
        gateway = (run_dir / "gateway-url").read_text().strip()
        assert httpx.get(f"{gateway}/v1/identity/readyz").status_code == 200

        processes = status(run_dir)
        expected = {"supervisor", "postgres", "broker", "identity", "content", "moderation", "reporting", "gateway"}
        assert expected <= processes.keys()
        assert all(state == "running" and restarts == 0 for state, restarts in processes.values())

        # A second `make up` says the platform already runs, and leaves it running, untouched.
        pids = {name: m["pid"] for name, m in json.loads((run_dir / "stack.json").read_text())["processes"].items()}
        again = devstack("up", run_dir)
        assert again.returncode == 1 and "already running" in again.stderr
        assert {n: m["pid"] for n, m in json.loads((run_dir / "stack.json").read_text())["processes"].items()} == pids
        assert status(run_dir) == processes
        assert httpx.get(f"{gateway}/v1/identity/readyz").status_code == 200

        content = psutil.Process(json.loads((run_dir / "stack.json").read_text())["processes"]["content"]["pid"])
        for proc in [content, *content.children(recursive=True)]:
            proc.send_signal(signal.SIGKILL)  # a crash
        poll(lambda: status(run_dir).get("content") == ("running", 1), timeout_s=30, what="content restarted")
        poll(lambda: httpx.get(f"{gateway}/v1/content/readyz").status_code == 200, timeout_s=60, what="content ready")
        recorded = json.loads((run_dir / "stack.json").read_text())["processes"]
    finally:
        down = devstack("down", run_dir)
    assert down.returncode == 0, down.stderr
    assert "supervisor" in down.stdout
    assert devstack("status", run_dir).returncode == 3  # not running
    assert recorded and not [name for name, m in recorded.items() if Managed(**m).process() is not None]
