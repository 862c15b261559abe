"""HTTP models of the service agreement (MB-6.2, PA-5.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kit.inputs import Int32, RequestModel, VisibleText
from pydantic import BaseModel, Field


class AgreementRead(BaseModel):
    version: int
    title: str
    body: str
    sha256: str
    published_at: str

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> AgreementRead:
        return cls(
            version=row["version"],
            title=row["title"],
            body=row["body"],
            sha256=row["sha256"],
            published_at=row["published_at"].isoformat(),
        )


class AgreementAccept(RequestModel):
    version: Int32 = Field(ge=1)


class AgreementCreate(RequestModel):
    title: VisibleText = Field(min_length=3, max_length=200)
    body: VisibleText = Field(min_length=10, max_length=100_000)
