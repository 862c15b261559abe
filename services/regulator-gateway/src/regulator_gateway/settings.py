from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from kit.settings import KitSettings
from pydantic import Field, SecretStr, ValidationInfo, field_validator

from regulator_gateway.archive.domain import MIN_RETENTION_DAYS, AddressKeys, key_id, signing_key

_KEY_HELP = {
    "user_log_open_key": "USER_LOG_OPEN_KEY: the archive's X25519 private key (PyNaCl PrivateKey), 32 bytes, "
    "base64; generate: python -c 'import base64,nacl.public;print(base64.b64encode(bytes("
    "nacl.public.PrivateKey.generate())).decode())'",
    "archive_lookup_key": "ARCHIVE_LOOKUP_KEY: the HMAC-SHA256 key of the addresses' lookup hashes, 32 bytes, "
    "base64; generate: openssl rand -base64 32",
}


class RegulatorCommandSettings(KitSettings):
    """What regulator-gateway's office commands need (not the archive's keys): the operator's tools run
    with the database URL alone."""

    service_name: str = "regulator-gateway"
    # PA-12.1: the largest security-assessment report accepted (base64 in the JSON body: the gateway's 1 MiB
    # body limit allows ~768 KiB of document).
    assessment_document_max_bytes: int = 786_432
    # MB-13: how often every assessment in force (or withdrawn since) is announced again, for a broker that
    # forgot it; at once after the broker lost its state.
    assessment_reannounce_interval_s: float = 300.0

    # Pushes of reports to offices' endpoints (MB-12.2, MB-16.1; issue 15). A round every PUSH_INTERVAL_S derives
    # deliveries from reports filed within PUSH_LOOKBACK_S (and since the endpoint was set), pushes up to
    # PUSH_BATCH of the due ones together (each waiting PUSH_TIMEOUT_S at most), and retries a failure after
    # PUSH_BACKOFF_BASE_S, doubling up to PUSH_BACKOFF_MAX_S; one unacknowledged after PUSH_ACK_DEADLINE_S
    # escalates (and is still retried). PUSH_ALLOW_HTTP: endpoints may be plain http (development only).
    push_interval_s: float = Field(default=1.0, gt=0)
    push_timeout_s: float = Field(default=5.0, gt=0, le=60)
    push_batch: int = Field(default=50, ge=1, le=1000)
    push_backoff_base_s: float = Field(default=1.0, gt=0)
    push_backoff_max_s: float = Field(default=300.0, gt=0)
    push_ack_deadline_s: float = Field(default=86_400.0, gt=0)
    push_lookback_s: float = Field(default=7 * 86_400.0, gt=0)
    push_allow_http: bool = False

    # MB-16.1, MB-3 (issue 15): requests an office may make per minute (a fixed window per office, counted in
    # PostgreSQL, so it holds across every process); over it a 429 with Retry-After.
    office_rate_per_minute: int = Field(default=600, ge=1)


class RegulatorGatewaySettings(RegulatorCommandSettings):
    # MB-16.2, PA-16.2: the user-log archive. The X25519 private key (32 bytes, base64) that opens each entry's
    # sealed "<address> <port>" (the services seal to its public key, GET /v1/regulator/archive/public-key).
    user_log_open_key: SecretStr
    # The HMAC-SHA256 key (32 bytes, base64) of the addresses' lookup hashes: the archive stores the hash to
    # search by address and the address itself only sealed.
    archive_lookup_key: SecretStr
    # The Ed25519 key that signs each day's anchor: base64 of a PEM (PKCS#8) private key, or base64 of its raw
    # 32-byte seed. Its public key is served to the regulator (GET /v1/regulator/archive/public-key).
    archive_signing_key: SecretStr
    # MB-16.2: records are kept this many days at least (six months: never fewer than 183), then purged by
    # whole days; the anchors are kept for ever.
    archive_retention_days: int = Field(default=183, ge=MIN_RETENTION_DAYS)
    # A UTC day's anchor is signed this long after the day ended (and checked for every this often).
    archive_anchor_grace_s: float = Field(default=300.0, ge=0)
    archive_anchor_interval_s: float = Field(default=60.0, gt=0)
    # How often the purge looks for whole days past retention.
    archive_purge_interval_s: float = Field(default=3600.0, gt=0)

    @field_validator("user_log_open_key", "archive_lookup_key")
    @classmethod
    def _thirty_two_bytes(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        try:
            raw = base64.b64decode(value.get_secret_value(), validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ValueError(f"must be 32 bytes, base64-encoded ({_KEY_HELP[info.field_name]})")
        return value

    @field_validator("archive_signing_key")
    @classmethod
    def _ed25519(cls, value: SecretStr) -> SecretStr:
        try:
            signing_key(value.get_secret_value())
        except ValueError as exc:
            raise ValueError(
                f"ARCHIVE_SIGNING_KEY {exc}; generate: openssl genpkey -algorithm ed25519 | base64 -w0"
            ) from None
        return value

    def address_keys(self) -> AddressKeys:
        return AddressKeys(
            base64.b64decode(self.user_log_open_key.get_secret_value()),
            base64.b64decode(self.archive_lookup_key.get_secret_value()),
        )

    def archive_signer(self) -> Ed25519PrivateKey:
        return signing_key(self.archive_signing_key.get_secret_value())

    def archive_public_keys(self) -> dict[str, Ed25519PublicKey]:
        """The keys anchors are verified with, by key id (the current one; a rotation would add retired ones)."""
        public = self.archive_signer().public_key()
        return {key_id(public): public}
