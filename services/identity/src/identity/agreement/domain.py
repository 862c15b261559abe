"""The service agreement's rules (MB-6.2, PA-5.2), free of I/O."""

from __future__ import annotations

import hashlib

from kit.problems import Conflict

LEGAL_BASIS = ["MB-6.2", "PA-5.2"]


class NotTheCurrentAgreement(Conflict):
    type = "not-the-current-agreement"
    title = "Not the agreement in force"


def check_acceptable(version: int, in_force: int) -> None:
    """Only the version in force may be accepted."""
    if version != in_force:
        raise NotTheCurrentAgreement(
            f"Version {version} is not in force; accept version {in_force} (GET /v1/identity/agreement).",
            requirement="MB-6.2",
        )


def sha256(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


REVOKED_REASON = "a new service agreement is in force: sign in again and accept it (POST /v1/accounts/me/agreement)"
