"""HTTP models of the complaint handling statistics (PA-15.2)."""

from __future__ import annotations

from datetime import datetime

from kit.statistics import CategoryStatisticsRead
from pydantic import BaseModel, Field


class ComplaintStatisticsRead(BaseModel):
    since: datetime = Field(alias="from")
    until: datetime = Field(alias="to")
    jurisdiction: str
    categories: list[CategoryStatisticsRead]

    model_config = {"populate_by_name": True}
