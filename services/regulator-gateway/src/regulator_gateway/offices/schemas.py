"""An office's access record as the API shows it (MB-16.1)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from regulator_gateway.offices.domain import Access


class AccessRead(BaseModel):
    id: int
    office_id: str
    key_id: str = Field(description="The id of the key the request was made with (never the key)")
    method: str
    path: str
    route: str = Field(description="The route's template, e.g. /v1/regulator/reports/{report_id}")
    status: int = Field(description="The status the office was answered with (0: recorded before issue 15)")
    filters: dict[str, str] = Field(description="The query's declared filters (never the cursor, never personal data)")
    accessed_at: datetime

    @classmethod
    def of(cls, access: Access) -> AccessRead:
        return cls(
            id=access.id,
            office_id=str(access.office_id),
            key_id=access.key_id,
            method=access.method,
            path=access.path,
            route=access.route,
            status=access.status,
            filters=access.filters,
            accessed_at=access.accessed_at,
        )
