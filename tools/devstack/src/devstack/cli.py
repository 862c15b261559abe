"""`make up` / `make down` / `make status`: run the platform on this machine."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psycopg

from devstack.processes import spawn, stop, wait_until
from devstack.stack import SERVICES, Stack, StackConfig

DEFAULT_RUN_DIR = Path(os.environ.get("QINGLANG_RUN_DIR", ".run"))


def create_regulator_office(database_url: str, *, name: str, jurisdiction: str) -> dict:
    """Register a regulator office with the regulator gateway's operator command; its id and API key.

    Raises CalledProcessError (with the command's stderr) when the command refuses.
    """
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "regulator_gateway.cli",
            "create-office",
            "--name",
            name,
            "--jurisdiction",
            jurisdiction,
        ],
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def create_staff(database_url: str, *, username: str, roles: list[str]) -> dict:
    """Create a staff account with identity's operator command; its id, roles and password."""
    command = [sys.executable, "-m", "identity.cli", "create-staff", "--username", username]
    for role in roles:
        command += ["--role", role]
    out = subprocess.run(  # noqa: S603
        command, env={**os.environ, "DATABASE_URL": database_url}, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


DEV_STAFF = {"chief-editor": ["chief_editor"], "reviewer": ["reviewer"], "senior-reviewer": ["senior_reviewer"]}


def ensure_dev_staff(stack: Stack, database_url: str) -> dict[str, str]:
    """Development staff accounts (username → password), made once per run folder."""
    path = stack.run_dir / "staff-dev.json"
    if path.exists():
        return json.loads(path.read_text())
    accounts = {
        name: create_staff(database_url, username=name, roles=roles)["password"] for name, roles in DEV_STAFF.items()
    }
    path.touch(mode=0o600)
    path.write_text(json.dumps(accounts))
    return accounts


def ensure_dev_regulator_key(stack: Stack, database_url: str) -> str:
    """A national regulator key for development, made once per run folder."""
    path = stack.run_dir / "regulator-dev-key"
    if path.exists() and _office_key_exists(database_url, path.read_text().strip()):
        return path.read_text().strip()
    key = create_regulator_office(database_url, name="National office (development)", jurisdiction="national")[
        "api_key"
    ]
    path.touch(mode=0o600)
    path.write_text(key + "\n")
    return key


def _office_key_exists(database_url: str, api_key: str) -> bool:
    from regulator_gateway.offices import key_hash

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            """SELECT 1 FROM office_key WHERE key_hash = %s
                AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())""",
            (key_hash(api_key),),
        ).fetchone()
    return row is not None


def supervise(run_dir: Path) -> int:
    """The local platform's supervisor (what `make up` leaves running): starts everything, then
    starts again whatever exits, until SIGTERM (make down) stops it all."""
    stack = Stack(StackConfig.from_environment(run_dir))
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    try:
        admin_url, kafka = stack.start_infra()
        stack.supervise()  # PostgreSQL and the broker are supervised while the services start
        info = stack.start_platform(admin_url, kafka)
        info.regulator_dev_key = ensure_dev_regulator_key(stack, info.database_urls["regulator-gateway"])
        ensure_dev_staff(stack, info.database_urls["identity"])
        stack.mark_ready()
    except Exception as exc:  # noqa: BLE001 - any failure: stop what we started and say why
        print(f"start-up failed: {exc}", file=sys.stderr, flush=True)
        stack.down()
        return 1
    print("platform up; supervising", flush=True)
    while not stopping.wait(1):
        pass
    stack.down()
    return 0


def up(run_dir: Path) -> int:
    stack = Stack(StackConfig.from_environment(run_dir))
    print(f"Starting Qinglang from {stack.run_dir} ...", flush=True)
    if stack.running():
        print(f"a stack is already running from {stack.run_dir}; stop it first (make down)", file=sys.stderr)
        return 1
    stack.run_dir.mkdir(parents=True, exist_ok=True)
    stack.state_path.unlink(missing_ok=True)
    log_dir = stack.run_dir / "logs"
    supervisor = spawn(
        "supervisor",
        [sys.executable, "-m", "devstack", "supervise", "--run-dir", str(stack.run_dir)],
        log_dir=log_dir,
        die_with_parent=False,
    )
    try:
        wait_until(lambda: stack.ready(), timeout_s=300, what="the platform", proc=supervisor)
    except (RuntimeError, TimeoutError) as exc:
        print(f"\nstart-up failed: {exc}\nlogs: {log_dir}", file=sys.stderr)
        stop(supervisor)
        stack.down()  # whatever the supervisor had started before it was stopped
        return 1
    info = stack.info_from_state()
    staff = json.loads((stack.run_dir / "staff-dev.json").read_text())
    gw = info.gateway_url
    print(f"""
Qinglang is up.

  Gateway (the one public entry):  {gw}
  Staff console (sign in with a staff account below):  {gw}/console/
  API docs, per service:
""")
    for name in SERVICES:
        prefix = "regulator" if name == "regulator-gateway" else name
        print(f"    {name:<18} {gw}/v1/{prefix}/docs")
    print(
        f"""
  Development regulator key (national jurisdiction):
    {info.regulator_dev_key}
    curl -H "Authorization: Bearer {info.regulator_dev_key}" {gw}/v1/regulator/reports

  Development staff (sign in: POST {gw}/v1/identity/staff/tokens):
"""
        + "".join(f"    {name:<16} {password}\n" for name, password in staff.items())
        + f"""
  Development SMS sink (read one-time codes):  {info.sms_sink_url}/messages?to=+8613800138000
  PostgreSQL (admin):  {info.admin_database_url}
  Kafka bootstrap:     {info.kafka_bootstrap_servers}
  Metrics (Prometheus): {info.gateway_metrics_url} (the gateway), """
        + ", ".join(f"{url}/metrics ({name})" for name, url in info.service_urls.items())
        + f"""
  Logs:                {stack.log_dir}

A supervisor restarts any process that exits; make status shows each one and its restarts.
Stop everything with: make down
"""
    )
    (stack.run_dir / "gateway-url").write_text(gw + "\n")
    return 0


def down(run_dir: Path) -> int:
    stopped = Stack(StackConfig(run_dir=run_dir)).down()
    print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
    return 0


def status(run_dir: Path) -> int:
    stack = Stack(StackConfig(run_dir=run_dir))
    rows = stack.status()
    if not rows:
        print("not running")
        return 3
    print(f"{'process':<20} {'state':<9} {'pid':>8} {'restarts':>8}  uptime")
    for row in rows:
        uptime = f"{row['uptime_s']:.0f}s" if row["uptime_s"] is not None else "-"
        print(f"{row['name']:<20} {row['state']:<9} {row['pid']:>8} {row['restarts']:>8}  {uptime}")
    return 0 if stack.running() else 3


def main() -> int:
    parser = argparse.ArgumentParser(prog="devstack", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status", "supervise"])
    parser.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR)
    args = parser.parse_args()
    return {"up": up, "down": down, "status": status, "supervise": supervise}[args.command](args.run_dir)


if __name__ == "__main__":
    sys.exit(main())
