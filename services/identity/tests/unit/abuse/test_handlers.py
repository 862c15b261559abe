"""identity/abuse/handlers.py against the in-memory database (conftest.py): the sign-in back-off and
the registration cap, through the account handlers that run them."""

from __future__ import annotations

import uuid

import pytest
from identity.abuse import handlers as abuse
from identity.abuse.domain import AbuseLimits, Cap, CohortStatus, RegistrationLimited, SignInThrottled
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


@pytest.mark.requirement("CM")
@pytest.mark.requirement("BJ-9.2")
async def test_the_fifth_registration_from_one_network_flags_the_window_and_later_ones_join(ports, db) -> None:
    from contracts import identity as contract
    from qinglang.identity.v1 import account_pb2

    async def register(n: int, address: str) -> object:
        account = await handlers.register(
            ports,
            username=f"bulk{n}",
            password="a long enough password",
            mobile=f"+861380013{n:04d}",
            address=address,
        )
        return account["id"]

    def flagged() -> list[account_pb2.RegistrationCohortFlagged]:
        return [
            account_pb2.RegistrationCohortFlagged.FromString(r.payload)
            for r in db.state.announced
            if r.ce_type == contract.REGISTRATION_COHORT_FLAGGED.name
        ]

    ids = [await register(n, f"10.9.8.{n}") for n in range(4)]
    await register(99, "10.9.7.1")  # another network
    assert flagged() == []
    ids.append(await register(4, "10.9.8.200"))
    [opened] = flagged()
    assert list(opened.account_ids) == [str(i) for i in ids] and opened.cohort_size == 5
    later = await register(5, "10.9.8.77")
    assert [list(f.account_ids) for f in flagged()][1:] == [[str(later)]]
    assert flagged()[1].cohort_id == opened.cohort_id and flagged()[1].cohort_size == 6
    assert "10.9.8" not in str(db.state.announced)  # the address never leaves identity


@pytest.mark.requirement("CM")
@pytest.mark.requirement("BJ-9.2")
async def test_staff_clear_a_cohort_once_and_later_members_join_it_unflagged(ports, db) -> None:
    from contracts import identity as contract
    from identity.abuse.domain import CohortAlreadyCleared
    from kit.problems import NotFound
    from qinglang.identity.v1 import account_pb2

    async def register(n: int) -> uuid.UUID:
        account = await handlers.register(
            ports, username=f"nat{n}", password=PASSWORD, mobile=f"+861390013{n:04d}", address=f"10.7.7.{n}"
        )
        return account["id"]

    def announced(ce_type: str, message: type) -> list:
        return [message.FromString(r.payload) for r in db.state.announced if r.ce_type == ce_type]

    ids = [await register(n) for n in range(5)]
    [flagged] = announced(contract.REGISTRATION_COHORT_FLAGGED.name, account_pb2.RegistrationCohortFlagged)
    cohort_id = uuid.UUID(flagged.cohort_id)
    [listed], _ = await abuse.cohorts(ports, status=CohortStatus.FLAGGED, cursor=None, limit=10)
    assert listed["id"] == cohort_id and listed["size"] == 5

    cleared = await abuse.clear_cohort(ports, cohort_id, reason="a university campus behind one NAT", by="staff:1")
    assert cleared["cleared_by"] == "staff:1" and cleared["clearance_reason"].startswith("a university")
    [clearance] = announced(contract.REGISTRATION_COHORT_CLEARED.name, account_pb2.RegistrationCohortCleared)
    assert clearance.cohort_id == flagged.cohort_id and list(clearance.account_ids) == [str(i) for i in ids]
    assert {"CM", "BJ-9.2"} <= set(clearance.legal_basis)
    with pytest.raises(CohortAlreadyCleared):
        await abuse.clear_cohort(ports, cohort_id, reason="again", by="staff:2")
    with pytest.raises(NotFound):
        await abuse.clear_cohort(ports, uuid.uuid4(), reason="no such cohort", by="staff:1")
    assert await abuse.cohorts(ports, status=CohortStatus.FLAGGED, cursor=None, limit=10) == ([], None)

    later = await register(5)  # joins the cleared cohort, and nobody is flagged again
    assert len(announced(contract.REGISTRATION_COHORT_FLAGGED.name, account_pb2.RegistrationCohortFlagged)) == 1
    assert later in db.state.cohorts[cohort_id]["members"]
