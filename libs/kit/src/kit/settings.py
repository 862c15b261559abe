"""One typed, env-driven settings base every service extends (pydantic-settings)."""

from __future__ import annotations

import base64
from typing import Literal
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ServiceRole = Literal["all", "api", "worker"]
KafkaSecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
KafkaSaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]


class KitSettings(BaseSettings):
    """Settings every service shares. Services subclass it and add their own.

    Everything comes from the environment (or a .env file); nothing is read from
    ``os.environ`` anywhere else.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    service_name: str = "service"
    environment: str = Field(default="development", description="development, test or production")
    port: int = 8000
    log_level: str = "INFO"

    # What this process runs: "all" (HTTP API, consumers, relay, loops: `make up`), "api" (HTTP routes and
    # what each process holds for its requests: per-process subscriptions and caches), "worker" (shared
    # consumer groups, the outbox relay, reconcilers and loops; HTTP serves only health and metrics).
    service_role: ServiceRole = "all"
    # Apply migrations at start-up; off where a Job runs `python -m kit.ops migrate <service>` first.
    migrate_on_start: bool = True

    database_url: str = Field(description="PostgreSQL URL of this service's own database")
    # When set, they replace the URL's user and password (an operator's Secret, e.g. CloudNativePG's).
    database_user: str | None = None
    database_password: SecretStr | None = None
    db_pool_min: int = 2
    db_pool_max: int = 10
    # At start-up a process waits this long for its database and broker (they may be starting or
    # restarting), retrying with back-off, before it gives up and exits for its supervisor to restart.
    startup_dependency_timeout_s: float = Field(default=120.0, gt=0)

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # Client security of every Kafka client the kit makes (kit.bus.kafka_client_options).
    kafka_security_protocol: KafkaSecurityProtocol = "PLAINTEXT"
    kafka_sasl_mechanism: KafkaSaslMechanism = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = None  # the cluster CA (PEM); unset: the system's trust store
    kafka_ssl_certfile: str | None = None  # client certificate (PEM) for mutual TLS
    kafka_ssl_keyfile: str | None = None  # its private key (PEM)
    # Create missing topics at start-up; off where the platform owns them (Strimzi KafkaTopic).
    kafka_manage_topics: bool = True
    # retention.ms of the topics this service creates (7 days). The inbox must outlive it.
    kafka_topic_retention_ms: int = Field(default=604_800_000, ge=60_000)
    kafka_topic_partitions: int = Field(default=4, ge=1)
    kafka_replication_factor: int = Field(default=1, ge=1)
    # How long a consumer's fetch waits for data. On Tansu a fetch does not wake on
    # new data, so latency follows it (p99 ~ half of it); each consumer may override.
    kafka_fetch_max_wait_ms: int = Field(default=200, ge=1)
    kafka_commit_timeout_s: float = 5.0
    # Consumer group liveness. Kafka refuses sessions shorter than its group.min.session.timeout.ms
    # (6 s by default); the embedded broker takes 3 s (rebalances and takeovers twice as fast, TANSU.md).
    kafka_session_timeout_ms: int = Field(default=6000, ge=1000)
    kafka_heartbeat_interval_ms: int = Field(default=1000, ge=100)
    # A consumer handles a fetched batch in transactions of at most this many events.
    kafka_events_per_transaction: int = Field(default=8, ge=1)
    # The broker watch notices a memory-only broker (Tansu) that lost its state, recreates topics and
    # rewinds consumers. Off on a real Kafka: an unclean leader election there would rewind everyone.
    broker_watch_enabled: bool = True
    # How often the broker watch looks for a broker that lost its state.
    broker_watch_interval_s: float = Field(default=2.0, gt=0)

    outbox_batch_size: int = Field(default=500, ge=1)
    # The relay wakes on NOTIFY; this is only the fallback poll.
    outbox_poll_interval_s: float = Field(default=1.0, gt=0)
    # Transport rows, not records (MB-16.2 does not apply: the services keep their own records): published
    # outbox rows and inbox rows older than these are deleted by the worker's retention loop.
    outbox_retention_hours: float = Field(default=168, gt=0)
    # After a broker lost its state, the service's user log entries published this long before are published
    # again (MB-16.2: no reconciler confirms them; the archive drops repeats).
    outbox_replay_window_s: float = Field(default=600.0, gt=0)
    inbox_retention_hours: float = Field(default=336, gt=0)
    retention_interval_s: float = Field(default=3600, gt=0)

    # The user-log archive's public key (X25519, base64 of 32 bytes): the network address in every user log
    # entry (MB-16.2) is sealed to it, so only regulator-gateway can read it. Without it entries carry no
    # address at all (never one in clear), and the service warns at start: set it wherever MB-16.2 applies.
    user_log_seal_key: str | None = None

    # Where the identity service publishes its signing keys (RFC 7517).
    jwks_url: str = "http://127.0.0.1:8001/v1/identity/jwks.json"
    token_issuer: str = "qinglang-identity"  # noqa: S105 - an issuer name, not a secret
    token_audience: str = "qinglang"  # noqa: S105 - an audience name, not a secret

    # How often each process samples the outbox, dead-letter and consumer-lag gauges (kit.observe).
    metrics_sample_interval_s: float = Field(default=10.0, gt=0)

    otel_traces_exporter: str = Field(
        default="none", description="none, console or otlp (OTLP/HTTP, endpoint from OTEL_EXPORTER_OTLP_ENDPOINT)"
    )

    @field_validator("environment")
    @classmethod
    def _known_environment(cls, value: str) -> str:
        if value not in {"development", "test", "production"}:
            raise ValueError("environment must be development, test or production")
        return value

    @field_validator("user_log_seal_key")
    @classmethod
    def _a_public_key(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            raw = base64.b64decode(value, validate=True)
        except ValueError as exc:
            raise ValueError("USER_LOG_SEAL_KEY is base64") from exc
        if len(raw) != 32:
            raise ValueError("USER_LOG_SEAL_KEY is an X25519 public key: base64 of 32 bytes")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> KitSettings:
        protocol = self.kafka_security_protocol
        if protocol.startswith("SASL_") and (not self.kafka_sasl_username or self.kafka_sasl_password is None):
            raise ValueError(f"KAFKA_SECURITY_PROTOCOL={protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
        if bool(self.kafka_ssl_certfile) != bool(self.kafka_ssl_keyfile):
            raise ValueError("KAFKA_SSL_CERTFILE and KAFKA_SSL_KEYFILE go together (a certificate needs its key)")
        if not protocol.endswith("SSL") and (self.kafka_ssl_cafile or self.kafka_ssl_certfile):
            raise ValueError(f"KAFKA_SSL_* files are set but KAFKA_SECURITY_PROTOCOL={protocol} uses no TLS")
        # An event still in a topic can be delivered again (a consumer rewound after a broker lost its
        # state rereads the whole retained log): its inbox row must still be there to drop it.
        if self.inbox_retention_hours * 3_600_000 < self.kafka_topic_retention_ms:
            raise ValueError(
                f"INBOX_RETENTION_HOURS={self.inbox_retention_hours:g} is shorter than KAFKA_TOPIC_RETENTION_MS="
                f"{self.kafka_topic_retention_ms}: a redelivered event would find no inbox row and act twice"
            )
        if self.database_user is not None or self.database_password is not None:
            self.database_url = with_credentials(
                self.database_url,
                self.database_user,
                self.database_password.get_secret_value() if self.database_password is not None else None,
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def with_credentials(url: str, user: str | None, password: str | None) -> str:
    """``url`` with its user and/or password replaced (percent-quoted: a generated password may hold
    ``@``, ``:`` or ``/``); what is not given is kept from the URL."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    old_user = unquote(parts.username) if parts.username is not None else None
    old_password = unquote(parts.password) if parts.password is not None else None
    user_part = quote(user, safe="") if user is not None else (quote(old_user, safe="") if old_user else "")
    if password is not None:
        userinfo = f"{user_part}:{quote(password, safe='')}@"
    elif old_password is not None:
        userinfo = f"{user_part}:{quote(old_password, safe='')}@"
    else:
        userinfo = f"{user_part}@" if user_part else ""
    return urlunsplit(parts._replace(netloc=userinfo + host))
