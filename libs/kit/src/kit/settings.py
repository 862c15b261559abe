"""One typed, env-driven settings base every service extends (pydantic-settings)."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    database_url: str = Field(description="PostgreSQL URL of this service's own database")
    db_pool_min: int = 2
    db_pool_max: int = 10
    # At start-up a process waits this long for its database and broker (they may be starting or
    # restarting), retrying with back-off, before it gives up and exits for its supervisor to restart.
    startup_dependency_timeout_s: float = Field(default=120.0, gt=0)

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
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
    # How often the broker watch looks for a broker that lost its state.
    broker_watch_interval_s: float = Field(default=2.0, gt=0)

    outbox_batch_size: int = Field(default=500, ge=1)
    # The relay wakes on NOTIFY; this is only the fallback poll.
    outbox_poll_interval_s: float = Field(default=1.0, gt=0)

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

    @property
    def is_production(self) -> bool:
        return self.environment == "production"
