"""Identity's figures (issue 5), each with what bounds it:

- identity.sign_ins_per_s: password sign-ins per second through the gateway (16 concurrent clients),
  next to identity.argon2_hash_ms (one argon2id verification at the configured cost, in this process)
  and the bound that cost sets on this machine's cores (identity.argon2_bound_per_s);
- identity.token_checks_per_s: EdDSA access-token verifications per second inside a service (the kit's
  verifier, every token new), and identity.token_checks_cached_per_s (the same token again);
- identity.register_to_first_post_p50_ms / _p99_ms: register → confirm the phone (SMS) → real name
  (identity-check service) → first post published, one user after another through the gateway.
"""

from __future__ import annotations

import asyncio
import base64
import statistics
import time

import httpx
import psutil
from argon2 import PasswordHasher, Type
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from identity.tokens import TokenIssuer
from kit.auth import TokenVerifier

PASSWORD = "a long enough password"  # noqa: S105 - the test journeys' password


def argon2_hash_ms() -> float:
    hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, type=Type.ID)  # identity's defaults
    digest = hasher.hash(PASSWORD)
    started = time.perf_counter()
    for _ in range(20):
        hasher.verify(digest, PASSWORD)
    return (time.perf_counter() - started) / 20 * 1000


async def _sign_ins(gateway: str, usernames: list[str], seconds: float) -> int:
    done = 0
    deadline = time.monotonic() + seconds

    async def client(i: int) -> None:
        nonlocal done
        async with httpx.AsyncClient(base_url=gateway, timeout=30) as http:
            while time.monotonic() < deadline:
                r = await http.post(
                    "/v1/tokens", json={"username": usernames[i % len(usernames)], "password": PASSWORD}
                )
                r.raise_for_status()
                done += 1

    await asyncio.gather(*(client(i) for i in range(16)))
    return done


def token_checks() -> tuple[float, float]:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    issuer = TokenIssuer(base64.b64encode(pem).decode(), issuer="qinglang-identity", audience="qinglang", ttl_s=3600)
    verifier = TokenVerifier("http://127.0.0.1:9/unused", issuer="qinglang-identity", audience="qinglang")
    verifier.use_keys(issuer.jwks())
    tokens = [issuer.issue(f"account-{i}", kind="user", rnv=True) for i in range(3000)]

    async def run() -> tuple[float, float]:
        started = time.perf_counter()
        for token in tokens:
            await verifier.verify(token)
        fresh = len(tokens) / (time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(3):
            for token in tokens:
                await verifier.verify(token)
        cached = 3 * len(tokens) / (time.perf_counter() - started)
        return fresh, cached

    return asyncio.run(run())


def register_to_first_post(flow, samples: int = 20) -> list[float]:
    timings = []
    for i in range(samples):
        started = time.perf_counter()
        user = flow.verified_user()
        post = flow.post(user, f"第一条微博 {i}")
        while flow.gw.get(f"/v1/posts/{post['id']}").status_code != 200:
            time.sleep(0.005)  # polling for publication, bounded by the loop below
            if time.perf_counter() - started > 30:
                raise TimeoutError("the first post was not published")
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def run(info, flow) -> dict:
    users = [flow.verified_user() for _ in range(16)]
    hash_ms = argon2_hash_ms()
    seconds = 8.0
    done = asyncio.run(_sign_ins(info.gateway_url, [u.username for u in users], seconds))
    fresh, cached = token_checks()
    latencies = sorted(register_to_first_post(flow))
    return {
        "identity.sign_ins_per_s": round(done / seconds, 1),
        "identity.argon2": "argon2id t=2 m=19456KiB p=1",
        "identity.argon2_hash_ms": round(hash_ms, 1),
        "identity.argon2_bound_per_s": round(psutil.cpu_count() * 1000 / hash_ms, 1),
        "identity.token_checks_per_s": round(fresh),
        "identity.token_checks_cached_per_s": round(cached),
        "identity.register_to_first_post_p50_ms": round(statistics.median(latencies), 1),
        "identity.register_to_first_post_p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1),
    }
