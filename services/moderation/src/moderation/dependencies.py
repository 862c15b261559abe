"""What routes get from the running process: the database port and the policy holder."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from moderation.database import Database
from moderation.policy.holder import PolicyHolder
from moderation.settings import ModerationSettings


async def _database(request: Request) -> Database:
    return Database(request.app.state.runtime.pool)


async def _holder(request: Request) -> PolicyHolder:
    return request.app.state.policy


async def _settings(request: Request) -> ModerationSettings:
    return request.app.state.runtime.settings


Db = Annotated[Database, Depends(_database)]
Holder = Annotated[PolicyHolder, Depends(_holder)]
Settings = Annotated[ModerationSettings, Depends(_settings)]
