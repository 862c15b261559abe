"""Pushes' rules (MB-12.2, MB-16.1): the back-off, what counts as an office's acknowledgement, which endpoints."""

from __future__ import annotations

import pytest
from kit.problems import InvalidInput
from regulator_gateway.deliveries.domain import Backoff, outcome_of
from regulator_gateway.deliveries.domain import check_endpoint as endpoint


def test_the_back_off_doubles_up_to_its_cap_with_a_fifth_of_jitter() -> None:
    backoff = Backoff(1.0, 300.0)
    assert [backoff.delay_s(n, jitter=0) for n in (1, 2, 3, 4, 10, 50)] == [1, 2, 4, 8, 300, 300]
    assert backoff.delay_s(3, jitter=1) == pytest.approx(4.8)


@pytest.mark.parametrize(
    ("status", "answer", "acknowledged"),
    [
        (200, {"reference": "BJ-1"}, True),
        (201, {"reference": " BJ-2 "}, True),
        (200, {}, False),  # no reference: not an acknowledgement, retried
        (200, {"reference": ""}, False),
        (200, {"reference": 7}, False),
        (200, {"reference": "x" * 201}, False),
        (200, ["BJ-1"], False),
        (503, {"reference": "BJ-1"}, False),
        (500, None, False),
    ],
)
def test_only_a_2xx_with_a_reference_acknowledges(status: int, answer: object, acknowledged: bool) -> None:
    outcome = outcome_of(status, answer)
    assert outcome.acknowledged is acknowledged
    assert (outcome.error is None) is acknowledged


def test_an_endpoint_is_an_absolute_https_url_and_http_only_where_allowed() -> None:
    assert endpoint(" https://office.example/pushes ", allow_http=False) == "https://office.example/pushes"
    assert endpoint("http://127.0.0.1:9/p", allow_http=True) == "http://127.0.0.1:9/p"
    for bad in ("http://office.example/p", "ftp://office.example", "/relative", "https://", "office.example"):
        with pytest.raises(InvalidInput):
            endpoint(bad, allow_http=False)
