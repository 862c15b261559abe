from __future__ import annotations

import base64

from argon2 import PasswordHasher, Type
from kit.settings import KitSettings
from pydantic import Field, SecretStr, field_validator

from identity.abuse.domain import DAY, HOUR, AbuseLimits, Cap
from identity.pii import PersonalDataVault
from identity.standing.domain import CreditPolicy

# MB-16.2: six months at the least; the longest six consecutive months (July to December) have 184 days.
MIN_RETENTION_DAYS = 184.0


class PasswordSettings(KitSettings):
    """What the operator commands need: the database and the password hashing cost."""

    service_name: str = "identity"
    # argon2id cost (RFC 9106 / OWASP: 19 MiB, 2 passes, 1 lane).
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    argon2_parallelism: int = 1

    def password_hasher(self) -> PasswordHasher:
        return PasswordHasher(
            time_cost=self.argon2_time_cost,
            memory_cost=self.argon2_memory_kib,
            parallelism=self.argon2_parallelism,
            type=Type.ID,
        )


class IdentitySettings(PasswordSettings):
    # Ed25519 private key, PEM, base64-encoded (one line in the environment).
    token_signing_key: SecretStr
    token_ttl_s: int = Field(default=3600, ge=60)
    # AES-256-GCM key for personal data at rest, and the HMAC key of its lookup hashes (base64, 32 bytes).
    pii_encryption_key: SecretStr
    pii_lookup_key: SecretStr
    # Key rotation (MB-7.3): keys retired from PII_ENCRYPTION_KEY, comma-separated base64; values sealed
    # with them stay readable until `python -m identity.cli rewrap-personal-data` moved them.
    pii_retired_keys: SecretStr = SecretStr("")

    def vault(self) -> PersonalDataVault:
        retired = tuple(k.strip() for k in self.pii_retired_keys.get_secret_value().split(",") if k.strip())
        return PersonalDataVault(
            self.pii_encryption_key.get_secret_value(), self.pii_lookup_key.get_secret_value(), retired
        )

    sms_gateway_url: str = "http://127.0.0.1:8025"
    otp_ttl_s: int = 300
    otp_max_attempts: int = 5
    # The outside identity-check service (name <-> number, MB-7.1); a local simulator in development.
    identity_check_url: str = "http://127.0.0.1:8026"
    identity_check_timeout_s: float = Field(default=3.0, gt=0)
    identity_check_attempts: int = Field(default=3, ge=1, le=10)
    identity_check_backoff_s: float = Field(default=0.2, ge=0)
    # MB-7.2: a verification expires after this long and must be renewed before publishing again.
    real_name_valid_days: float = Field(default=365.0, gt=0)
    expiry_scan_interval_s: float = Field(default=60.0, gt=0)
    # BJ-9 / PA-7.3: accounts one subject may verify, per kind of subject.
    accounts_per_individual: int = Field(default=5, ge=1)
    accounts_per_organization: int = Field(default=50, ge=1)
    accounts_per_foreign_organization: int = Field(default=20, ge=1)
    # PA-7.3: live public accounts (公众账号) one subject may operate, per kind of subject.
    public_accounts_per_individual: int = Field(default=2, ge=1)
    public_accounts_per_organization: int = Field(default=50, ge=1)
    public_accounts_per_foreign_organization: int = Field(default=5, ge=1)
    # PA-7.1: the lifetime of an acting token (an operator acting as a public account, claim "act").
    public_account_token_ttl_s: int = Field(default=900, ge=60, le=86400)
    # MB-4, PA-8: a news licence's evidence (decoded bytes; the gateway's 1 MiB body limit bounds it).
    news_licence_evidence_max_bytes: int = Field(default=786432, ge=1024)
    # MB-9 / MB-15 / PA-6.2 / PA-13: credit start, levels and their limits, penalties, restoration and
    # the sanctions ladder, as JSON (see identity/standing/domain.py for the default, Weibo's published rule).
    credit_policy: CreditPolicy = Field(default_factory=CreditPolicy)
    good_standing_interval_s: float = Field(default=3600.0, gt=0)
    # PA-6.2: a sanction or a credit penalty may be appealed within this many days (Mastodon: 20 per strike).
    appeal_window_days: float = Field(default=20.0, gt=0, le=3650)
    # MB-9: a regrading (a job) whose process died is taken over once its heartbeat is this old; idle poll.
    regrading_poll_s: float = Field(default=5.0, gt=0)
    regrading_stale_after_s: float = Field(default=60.0, gt=0)
    # PA-9.2: a cancelled account's records are kept this long, then its personal data is purged. MB-16.2:
    # user logs are kept at least six months, and the longest six months are 184 days.
    cancelled_retention_days: float = Field(default=MIN_RETENTION_DAYS)
    purge_interval_s: float = Field(default=3600.0, gt=0)
    # BJ-7(6): revocations of API clients are announced again this often (a broker may forget).
    revocation_reannounce_interval_s: float = Field(default=300.0, gt=0)
    # PA-13 (issue 15): a suspension, closure or blacklisting (or its lift) the regulator gateway has not confirmed
    # is announced again after this long (at once after a broker loss); the reconciler looks this often.
    sanction_reannounce_after_s: float = Field(default=60.0, gt=0)
    reconcile_interval_s: float = Field(default=5.0, gt=0)

    # Abuse limits (issue 9; identity/abuse). One-time codes (MB-7.1): the least time between two
    # sends to one number or account, sends per number per hour and per day, per account per day,
    # and wrong codes per number per hour (whatever the code).
    otp_min_interval_s: float = Field(default=60.0, ge=0)
    otp_sends_per_number_per_hour: int = Field(default=5, ge=1)
    otp_sends_per_number_per_day: int = Field(default=10, ge=1)
    otp_sends_per_account_per_day: int = Field(default=10, ge=1)
    otp_wrong_per_number_per_hour: int = Field(default=5, ge=1)
    # Passwords (users and staff): free failures per account before it backs off (base * 2^n seconds,
    # capped), the window failures are remembered, the delay for another address during a back-off,
    # and the failures one client address may make per hour.
    sign_in_free_failures: int = Field(default=5, ge=1)
    sign_in_backoff_base_s: float = Field(default=1.0, gt=0)
    sign_in_backoff_max_s: float = Field(default=300.0, gt=0)
    sign_in_window_s: float = Field(default=3600.0, gt=0)
    sign_in_other_address_delay_s: float = Field(default=1.0, ge=0)
    sign_in_failures_per_address_per_hour: int = Field(default=100, ge=1)
    # Registrations per client address per hour; accounts one confirmed mobile number may back (BJ-9).
    registrations_per_address_per_hour: int = Field(default=30, ge=1)
    accounts_per_mobile: int = Field(default=1, ge=1)
    # CM, BJ-9.2: this many registrations from one network (/24, /64) within the window open a bulk cohort,
    # whose members' reads content discounts (RegistrationCohortFlagged); nothing is refused.
    bulk_cohort_min: int = Field(default=5, ge=2)
    bulk_cohort_window_s: float = Field(default=3600.0, gt=0)

    def abuse_limits(self) -> AbuseLimits:
        return AbuseLimits(
            code_min_interval_s=self.otp_min_interval_s,
            code_sends_per_number=(
                Cap(self.otp_sends_per_number_per_hour, HOUR),
                Cap(self.otp_sends_per_number_per_day, DAY),
            ),
            code_sends_per_account=(Cap(self.otp_sends_per_account_per_day, DAY),),
            code_wrong_per_number=Cap(self.otp_wrong_per_number_per_hour, HOUR),
            sign_in_free_failures=self.sign_in_free_failures,
            sign_in_backoff_base_s=self.sign_in_backoff_base_s,
            sign_in_backoff_max_s=self.sign_in_backoff_max_s,
            sign_in_window_s=self.sign_in_window_s,
            sign_in_other_address_delay_s=self.sign_in_other_address_delay_s,
            sign_in_failures_per_address=Cap(self.sign_in_failures_per_address_per_hour, HOUR),
            registrations_per_address=Cap(self.registrations_per_address_per_hour, HOUR),
            accounts_per_mobile=self.accounts_per_mobile,
            bulk_cohort_min=self.bulk_cohort_min,
            bulk_cohort_window_s=self.bulk_cohort_window_s,
        )

    @field_validator("cancelled_retention_days")
    @classmethod
    def _six_months_at_least(cls, value: float) -> float:
        if value < MIN_RETENTION_DAYS:
            raise ValueError(
                f"MB-16.2: a cancelled account's records are kept at least six months ({MIN_RETENTION_DAYS:g} days, "
                f"the longest six months); {value:g} is too short"
            )
        return value

    @field_validator("pii_encryption_key", "pii_lookup_key")
    @classmethod
    def _thirty_two_bytes(cls, value: SecretStr) -> SecretStr:
        if len(base64.b64decode(value.get_secret_value())) != 32:
            raise ValueError("must be 32 bytes, base64-encoded")
        return value
