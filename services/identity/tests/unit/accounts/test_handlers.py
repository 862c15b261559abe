"""identity/accounts/handlers.py against the in-memory database (conftest.py)."""

from __future__ import annotations

import pytest
from contracts import identity as contract
from contracts.userlog import USER_LOG_RECORDED
from identity.accounts import handlers
from identity.accounts.domain import AccountClosed, UsernameTaken
from identity.agreement.domain import NotTheCurrentAgreement
from kit.problems import Conflict, Unauthorized

MOBILE = "+8613800138000"
PASSWORD = "a long enough password"


async def _register(ports, username: str = "alice", **kw):
    return await handlers.register(ports, username=username, password=PASSWORD, mobile=MOBILE, address="10.0.0.1", **kw)


@pytest.mark.requirement("MB-7.1")
@pytest.mark.requirement("MB-16.2")
async def test_registering_stores_the_mobile_sealed_and_announces_the_account(ports, db) -> None:
    account = await _register(ports, accepted_agreement_version=1)
    assert ports.vault.open(account["phone_ciphertext"], purpose="phone") == MOBILE
    assert account["accepted_version"] == 1
    # The account, and the registration's user log entry in the same transaction (MB-16.2).
    assert [row.ce_type for row in db.state.announced] == [
        contract.ACCOUNT_REGISTERED.name,
        USER_LOG_RECORDED["identity"].name,
    ]
    assert [row.key for row in db.state.announced] == [str(account["id"])] * 2


async def test_a_username_is_taken_once_whatever_its_case(ports, db) -> None:
    await _register(ports)
    with pytest.raises(UsernameTaken):
        await handlers.register(ports, username="ALICE", password=PASSWORD, mobile="+8613900139000", address="x")
    assert len(db.state.announced) == 2  # the first registration and its user log entry, nothing more


@pytest.mark.requirement("MB-6.2")
async def test_only_the_agreement_in_force_is_accepted_at_registration(ports, db) -> None:
    with pytest.raises(NotTheCurrentAgreement):
        await _register(ports, accepted_agreement_version=2)
    assert db.state.announced == []


@pytest.mark.requirement("MB-6.2")
async def test_a_token_says_which_agreement_its_holder_accepted(ports, read_claims) -> None:
    account = await _register(ports)
    token = await handlers.sign_in(ports, username="alice", password=PASSWORD)
    assert read_claims(token)["tos"] is False and "tosv" not in read_claims(token)
    token = await handlers.accept_agreement(ports, account["id"], 1)
    assert read_claims(token)["tos"] is True and read_claims(token)["tosv"] == 1
    assert read_claims(token)["rnv"] is False  # no real name yet (MB-7.1)


async def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(ports) -> None:
    await _register(ports)
    with pytest.raises(Unauthorized) as wrong:
        await handlers.sign_in(ports, username="alice", password="not the password")
    with pytest.raises(Unauthorized) as unknown:
        await handlers.sign_in(ports, username="bob", password=PASSWORD)
    assert wrong.value.detail == unknown.value.detail


@pytest.mark.requirement("PA-13.1")
async def test_a_closed_account_cannot_sign_in(ports, db) -> None:
    account = await _register(ports)
    db.state.accounts[account["id"]]["closed_at"] = account["created_at"]
    with pytest.raises(AccountClosed):
        await handlers.sign_in(ports, username="alice", password=PASSWORD)


@pytest.mark.requirement("PA-9.2")
@pytest.mark.requirement("MB-16.2")
async def test_cancelling_ends_every_session_and_keeps_the_records_six_months(ports, db) -> None:
    account = await _register(ports)
    with pytest.raises(Unauthorized):
        await handlers.cancel(ports, account["id"], password="not the password")
    cancelled = await handlers.cancel(ports, account["id"], password=PASSWORD)
    assert cancelled["legal_basis"] == ["PA-9.2"]
    row = db.state.accounts[account["id"]]
    assert (row["purge_after"] - row["cancelled_at"]).days >= 184
    assert [r["claim"] for r in db.state.revocations] == ["sub"]
    assert db.state.revocations[0]["issued_before"] == row["cancelled_at"]
    assert [r.ce_type for r in db.state.announced[-2:]] == [
        contract.ACCOUNT_CANCELLED.name,
        USER_LOG_RECORDED["identity"].name,
    ]
    with pytest.raises(Conflict):
        await handlers.cancel(ports, account["id"], password=PASSWORD)
    # A cancelled account no longer exists for sign-in.
    with pytest.raises(Unauthorized):
        await handlers.sign_in(ports, username="alice", password=PASSWORD)
