"""identity/realname/handlers.py against the in-memory database (conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from contracts import identity as contract
from identity.accounts import handlers as accounts
from identity.idcheck import CheckResult, IdentityMismatch
from identity.realname import handlers
from identity.realname.domain import AccountCapReached, PhoneNotConfirmed, SubjectBlacklisted, SubjectType
from stdnum.cn import ric

PASSWORD = "a long enough password"


def resident_id(body17: str = "11010519900101123") -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


async def confirmed(ports, db, n: int):
    account = await accounts.register(
        ports, username=f"user{n}", password=PASSWORD, mobile=f"+86138001380{n:02d}", address=f"10.0.0.{n}"
    )
    db.state.accounts[account["id"]]["phone_confirmed_at"] = datetime.now(UTC)
    return account["id"]


async def verify(ports, account_id, number: str = resident_id()):
    return await handlers.verify_real_name(
        ports, account_id, subject_type=SubjectType.INDIVIDUAL, legal_name="张三", id_number=number
    )


@pytest.mark.requirement("MB-7.1")
async def test_a_verification_is_announced_and_the_new_token_says_so(ports, db, read_claims) -> None:
    account_id = await confirmed(ports, db, 1)
    verified = await verify(ports, account_id)
    assert verified["province_code"] == "110000" and verified["renewal"] is False
    assert read_claims(verified["access_token"])["rnv"] is True
    assert read_claims(verified["access_token"])["prov"] == "110000"
    assert db.state.announced[-1].ce_type == contract.REAL_NAME_VERIFIED.name


@pytest.mark.requirement("MB-7.1")
async def test_the_mobile_number_is_confirmed_first(ports, db) -> None:
    account = await accounts.register(ports, username="u", password=PASSWORD, mobile="+8613800138000", address="x")
    with pytest.raises(PhoneNotConfirmed):
        await verify(ports, account["id"])


@pytest.mark.requirement("MB-7.1")
async def test_a_name_that_is_not_the_numbers_is_refused_and_nothing_verified(ports, db) -> None:
    account_id = await confirmed(ports, db, 1)
    ports.idcheck.result = CheckResult.MISMATCH
    with pytest.raises(IdentityMismatch):
        await verify(ports, account_id)
    assert db.state.real_names == {} and db.state.checks == [(account_id, "mismatch")]


@pytest.mark.requirement("BJ-9")
@pytest.mark.requirement("PA-7.3")
async def test_a_subject_backs_at_most_its_cap_and_a_cancelled_account_frees_its_slot(ports, db) -> None:
    first, second, third = [await confirmed(ports, db, n) for n in (1, 2, 3)]
    await verify(ports, first)
    await verify(ports, second)  # the cap for an individual is 2 here
    with pytest.raises(AccountCapReached) as refused:
        await verify(ports, third)
    assert refused.value.requirement == "BJ-9"
    await accounts.cancel(ports, first, password=PASSWORD)
    await verify(ports, third)


@pytest.mark.requirement("PA-13.2")
async def test_a_blacklisted_subject_is_refused(ports, db) -> None:
    account_id = await confirmed(ports, db, 1)
    db.state.blacklist.add(ports.vault.lookup_hash(resident_id(), purpose="id-number"))
    with pytest.raises(SubjectBlacklisted):
        await verify(ports, account_id)
