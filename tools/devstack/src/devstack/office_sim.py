"""A stand-in for a regulator office's own endpoint, which the regulator gateway pushes reports to (issue 15;
MB-12.2, MB-16.1): an outside party we cannot reach, so a small real HTTP server behind the gateway's production
push code. Each office (a path segment of its choosing) gets what is pushed to it recorded with the request's
headers — its RFC 9421 signature included, which the tests verify with the gateway's public key — and answers
``{"reference": ...}``, its acknowledgement, or 503 while told it is down. Memory only, loopback only.
"""

from __future__ import annotations

import json
from collections import defaultdict

from fastapi import FastAPI, Request, Response
from pydantic import BaseModel, Field

app = FastAPI(title="Regulator office endpoint simulator (development)")
_received: dict[str, list[dict]] = defaultdict(list)
_attempts: dict[str, int] = defaultdict(int)
_outage: dict[str, int] = defaultdict(int)


class OutageIn(BaseModel):
    failures: int = Field(ge=0, le=100_000)  # the next this many pushes to the office answer 503


@app.post("/offices/{office}/pushes")
async def receive(office: str, request: Request, response: Response) -> dict:
    _attempts[office] += 1
    if _outage[office] > 0:
        _outage[office] -= 1
        response.status_code = 503
        return {"error": "office endpoint unavailable"}
    body = await request.body()
    _received[office].append(
        {
            "method": request.method,
            "url": str(request.url),
            "headers": dict(request.headers),
            "body": body.decode(),
            "json": json.loads(body),
        }
    )
    return {"reference": f"{office}-{len(_received[office])}"}


@app.put("/control/offices/{office}/outage", status_code=204)
async def outage(office: str, body: OutageIn) -> None:
    _outage[office] = body.failures


@app.get("/control/offices/{office}/received")
async def received(office: str) -> dict:
    return {"attempts": _attempts[office], "received": _received[office]}


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}
