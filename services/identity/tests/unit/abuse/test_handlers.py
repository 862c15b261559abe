"""identity/abuse/handlers.py against the in-memory database (conftest.py): the sign-in back-off and
the registration cap, through the account handlers that run them."""

from __future__ import annotations

import pytest
from identity.abuse.domain import AbuseLimits, Cap, RegistrationLimited, SignInThrottled
from identity.accounts import handlers
from kit.problems import Unauthorized

PASSWORD = "a long enough password"


async def _sign_in(ports, password: str, address: str = "10.0.0.9") -> str:
    return await handlers.throttled_sign_in(
        ports,
        scope="user",
        username="alice",
        address=address,
        attempt=lambda: handlers.sign_in(ports, username="alice", password=password),
    )


@pytest.mark.requirement("BJ-7(7)")
async def test_an_address_that_keeps_failing_on_an_account_backs_off(ports) -> None:
    ports.limits = AbuseLimits(sign_in_free_failures=3, sign_in_backoff_base_s=60, sign_in_other_address_delay_s=0)
    await handlers.register(ports, username="alice", password=PASSWORD, mobile="+8613800138000", address="x")
    for _ in range(3):
        with pytest.raises(Unauthorized):
            await _sign_in(ports, "not the password")
    with pytest.raises(SignInThrottled) as throttled:
        await _sign_in(ports, PASSWORD)  # even the right password waits out the back-off here
    assert throttled.value.retry_after_s > 0
    assert await _sign_in(ports, PASSWORD, address="10.0.0.10")  # the holder, from elsewhere, gets in


@pytest.mark.requirement("BJ-7(7)")
async def test_registrations_from_one_address_are_capped(ports) -> None:
    ports.limits = AbuseLimits(registrations_per_address=Cap(2, 3600))
    for n in range(2):
        await handlers.register(ports, username=f"u{n}", password=PASSWORD, mobile=f"+861380013800{n}", address="x")
    with pytest.raises(RegistrationLimited):
        await handlers.register(ports, username="u9", password=PASSWORD, mobile="+8613800138009", address="x")
