"""MB-14 / PA-6.2: an upheld complaint is against the author of the post, whoever a reviewer names."""

from __future__ import annotations

import uuid

import pytest
from reporting.domain import NotTheAuthor, responsible_account


@pytest.mark.requirement("MB-14")
def test_an_upheld_complaint_is_against_the_author_and_a_dismissed_one_against_no_one() -> None:
    author = uuid.uuid4()
    assert responsible_account(upheld=True, author_id=author, named=None) == author
    assert responsible_account(upheld=True, author_id=author, named=author) == author
    assert responsible_account(upheld=False, author_id=author, named=None) is None


@pytest.mark.requirement("MB-14")
def test_naming_another_account_is_refused() -> None:
    with pytest.raises(NotTheAuthor) as refused:
        responsible_account(upheld=True, author_id=uuid.uuid4(), named=uuid.uuid4())
    assert refused.value.requirement == "MB-14"
