"""Regulator offices and their API keys (MB-16.1): a key is shown once, stored only as its SHA-256;
every access by an office is recorded. The operator command creates offices (``regulator_gateway.cli``)."""

from __future__ import annotations

from regulator_gateway.offices.domain import key_hash

__all__ = ["key_hash"]  # devstack checks a development key with it
