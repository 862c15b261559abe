"""Handling statistics per category, as staff and regulators read them: how many cases, how fast they
were handled (median and p90, seconds), how many passed their deadline, and the share upheld and dismissed.

A service's store computes the figures from its own tables (columns named as the fields, so a row maps
with ``CategoryStatistics(**row)``); its route answers them with ``CategoryStatisticsRead.of``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from pydantic import BaseModel, Field


@dataclass(frozen=True, slots=True)
class CategoryStatistics:
    category: str
    cases: int
    complaints: int
    handled: int
    median_handling_s: float | None
    p90_handling_s: float | None
    breaches: int
    upheld: int
    dismissed: int

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> CategoryStatistics:
        return cls(**{f.name: row[f.name] for f in fields(cls)})


class CategoryStatisticsRead(BaseModel):
    category: str
    cases: int
    complaints: int = Field(description="Complaints filed in those cases")
    handled: int
    median_handling_s: float | None
    p90_handling_s: float | None
    breaches: int = Field(description="Cases handled after their deadline, or open past it")
    upheld_rate: float | None = Field(description="Upheld among handled")
    dismissed_rate: float | None = Field(description="Dismissed among handled")

    @classmethod
    def of(cls, s: CategoryStatistics) -> CategoryStatisticsRead:
        return cls(
            category=s.category,
            cases=s.cases,
            complaints=s.complaints,
            handled=s.handled,
            median_handling_s=s.median_handling_s,
            p90_handling_s=s.p90_handling_s,
            breaches=s.breaches,
            upheld_rate=s.upheld / s.handled if s.handled else None,
            dismissed_rate=s.dismissed / s.handled if s.handled else None,
        )
