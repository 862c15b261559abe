"""A stand-in SMS carrier for development and tests: it accepts messages and lets you read them.

It is a real HTTP server behind the same adapter identity uses in production; it keeps messages
in memory only and listens on loopback.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel, Field

app = FastAPI(title="SMS sink (development)")
_inbox: dict[str, list[str]] = defaultdict(list)


class SmsIn(BaseModel):
    to: str = Field(min_length=3, max_length=32)
    text: str = Field(min_length=1, max_length=500)


@app.post("/messages", status_code=202)
async def send(message: SmsIn) -> dict[str, str]:
    _inbox[message.to].append(message.text)
    return {"status": "accepted"}


@app.get("/messages")
async def read(to: Annotated[str, Query(min_length=3)]) -> dict[str, list[str]]:
    return {"messages": list(_inbox.get(to, []))}


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
