"""A reconciler's clock: a broker loss wakes it at once, even one that happens while a round runs."""

from __future__ import annotations

import asyncio

from kit.service import Runtime


async def test_a_loss_wakes_the_reconciler_even_while_a_round_runs() -> None:
    runtime = Runtime(settings=None, pool=None, producer=None)  # type: ignore[arg-type]
    rounds = runtime.reconcile_periods(3600, grace_s=30)
    async with asyncio.timeout(5):  # an hour's period: only a loss can end these waits
        waiting = asyncio.ensure_future(anext(rounds))
        await asyncio.sleep(0)  # one turn of the loop: the reconciler starts its wait (no time passes)
        runtime.broker_state_lost()
        first = await waiting
        assert first.lost_at is not None and first.older_than_s < 1
        # The broker loses its state again while that round is still at work (not waiting).
        runtime.broker_state_lost()
        second = await anext(rounds)
        assert second.lost_at is not None and second.lost_at >= first.lost_at


async def test_an_ordinary_round_announces_again_after_the_grace_period() -> None:
    runtime = Runtime(settings=None, pool=None, producer=None)  # type: ignore[arg-type]
    ordinary = await anext(runtime.reconcile_periods(0.01, grace_s=30))
    assert ordinary.lost_at is None and ordinary.older_than_s == 30
