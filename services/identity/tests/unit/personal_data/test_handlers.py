"""identity/personal_data/handlers.py against the in-memory database (conftest.py)."""

from __future__ import annotations

import uuid

import pytest
from identity.accounts import handlers as accounts
from identity.personal_data import handlers
from kit.problems import NotFound


@pytest.mark.requirement("MB-7.3")
@pytest.mark.requirement("PA-9.1")
async def test_the_staff_read_opens_the_sealed_values(ports, db) -> None:
    account = await accounts.register(
        ports, username="alice", password="a long enough password", mobile="+8613800138000", address="x"
    )
    read = await handlers.read(ports, account["id"])
    assert (read["mobile"], read["legal_name"], read["verified_applications"]) == ("+8613800138000", None, [])
    with pytest.raises(NotFound):
        await handlers.read(ports, uuid.uuid4())
