"""A stand-in for the outside identity-check service (name ↔ number), for development and tests.

It is a real HTTP server behind the same adapter identity uses in production, answering as such a
service would: `match`, `mismatch` (the number exists under another name), `unknown` (no such
number), or 503 while it is down. A number it has not been told about matches any name (the real
service knows everyone); tests register identities and outages through its control endpoints.
Memory only, loopback only.
"""

from __future__ import annotations

import uuid
from collections import Counter

from fastapi import FastAPI, Response
from pydantic import BaseModel, Field

app = FastAPI(title="Identity-check simulator (development)")
_registry: dict[str, dict] = {}
_calls: Counter[str] = Counter()
_outage = {"failures": 0}


class VerificationIn(BaseModel):
    subject_type: str
    number: str = Field(min_length=3, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    country: str | None = None
    office_certificate: str | None = None


class IdentityIn(BaseModel):
    name: str | None = None  # the registered name; None: the number is unknown


class OutageIn(BaseModel):
    failures: int = Field(ge=0, le=1000)  # the next this many verifications answer 503


@app.post("/v1/verifications")
async def verify(body: VerificationIn, response: Response) -> dict:
    _calls[body.number] += 1
    if _outage["failures"] > 0:
        _outage["failures"] -= 1
        response.status_code = 503
        return {"error": "service unavailable"}
    known = _registry.get(body.number.upper())
    if known is None:
        result = "match"
    elif known["name"] is None:
        result = "unknown"
    else:
        result = "match" if known["name"] == body.name.strip() else "mismatch"
    return {"result": result, "reference": str(uuid.uuid4())}


@app.put("/control/identities/{number}", status_code=204)
async def register(number: str, body: IdentityIn) -> None:
    _registry[number.upper()] = {"name": body.name}


@app.put("/control/outage", status_code=204)
async def outage(body: OutageIn) -> None:
    _outage["failures"] = body.failures


@app.get("/control/calls/{number}")
async def calls(number: str) -> dict:
    return {"calls": _calls[number]}


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
