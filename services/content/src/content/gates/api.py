"""The gate a route of a gated feature passes (MB-13, PA-12.1):

    @router.get("/v1/trending", dependencies=[require_feature(GatedFeature.TRENDING)])

refuses with 403 ``feature-not-assessed`` (requirement MB-13, legal basis MB-13 and PA-12.1) until the
security assessment of the feature's current version (contracts.features) is acknowledged by the
regulator and not withdrawn. Staff routes of a gated feature are not gated."""

from __future__ import annotations

from typing import Any

from contracts.features import GatedFeature
from fastapi import Depends

from content.gates import handlers
from content.posts.api import Db


def require_feature(feature: GatedFeature) -> Any:
    """A route dependency: the feature's gate must be open."""

    async def gate_open(db: Db) -> None:
        await handlers.require_open(db, feature)

    gate_open.__name__ = f"require_{feature.key}"
    return Depends(gate_open)
