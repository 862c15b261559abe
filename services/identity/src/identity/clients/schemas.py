"""HTTP models of third-party API clients (BJ-7(6)); the row -> response view."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field


class ApiClientCreate(RequestModel):
    name: VisibleText = Field(min_length=2, max_length=200)
    icp_number: str = Field(min_length=8, max_length=40, description="ICP licence or filing number")


class ClientTokenCreate(RequestModel):
    client_id: str = Field(min_length=1, max_length=64)
    client_secret: str = Field(min_length=1, max_length=128)


class RevocationCreate(RequestModel):
    reason: VisibleText = Field(min_length=3, max_length=2000)


class ApiClientRead(BaseModel):
    id: uuid.UUID
    name: str
    icp_number: str
    registered_by: str
    registered_at: str
    revoked_at: str | None
    revoke_reason: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ApiClientRead:
        return cls(
            id=row["id"],
            name=row["name"],
            icp_number=row["icp_number"],
            registered_by=row["registered_by"],
            registered_at=row["registered_at"].isoformat(),
            revoked_at=row["revoked_at"].isoformat() if row["revoked_at"] else None,
            revoke_reason=row["revoke_reason"],
        )


class ApiClientRegistered(ApiClientRead):
    client_secret: str = Field(description="shown this once")
