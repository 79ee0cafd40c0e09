"""Several batches in flight (issue 17): the limit follows the shop's answer times and backs off
when the shop is overloaded; the pump never has more in flight than the limit, answers every
batch, and turns a bug in a call into an error rather than a pass that hangs."""

from __future__ import annotations

import threading
from typing import Any

from linkoptima_gui.core.errors import PermanentError, RetryableError
from linkoptima_gui.core.woo.batch_pump import BatchPump, InFlightLimit, Sent


def test_the_limit_grows_while_nothing_waits_in_the_shop_and_stops_at_the_most() -> None:
    limit = InFlightLimit(start=2, most=4)
    assert limit.answered(1.0, in_flight=2) == 3  # the quickest yet: nothing queued
    assert limit.answered(1.1, in_flight=3) == 4  # 3 × (1 - 1/1.1) = 0.27 batches waiting
    assert limit.answered(1.0, in_flight=4) == 4


def test_batches_waiting_in_the_shop_take_one_away_and_an_overload_halves_it() -> None:
    limit = InFlightLimit(start=4, most=6)
    assert limit.answered(1.0, in_flight=1) == 5
    assert limit.answered(1.5, in_flight=4) == 5  # 4 × 1/3 = 1.3 waiting: as it is
    assert limit.answered(2.0, in_flight=5) == 4  # 5 × 1/2 = 2.5 waiting: one fewer
    assert limit.answered(0.1, full=False) == 4  # a short batch teaches nothing of the shop's pace
    assert limit.answered(1.0, in_flight=4) == 5  # so 1.0 s is still "not queued"
    assert limit.answered(0.5, RetryableError("HTTP 503")) == 2 and limit.backoffs == 1
    assert limit.answered(0.5, PermanentError("HTTP 400")) == 2  # a refusal says nothing of load
    assert InFlightLimit(start=1, most=3).answered(0.1, RetryableError("HTTP 429")) == 1  # never below one


def test_the_limit_changes_once_a_round() -> None:
    """Answers to batches sent before a change speak of the old number: four answers of one
    crowded round take it from four to three, not to one; two 429s of one round halve it once."""
    limit = InFlightLimit(start=4, most=4)
    limit.answered(2.85, in_flight=1, sent_in=0)  # the quickest: at most already
    crowded = limit.round
    assert [limit.answered(4.8, in_flight=4, sent_in=crowded) for _ in range(4)] == [3, 3, 3, 3]
    assert limit.answered(3.6, in_flight=3, sent_in=limit.round) == 3  # 0.6 waiting: as it is
    overloaded = limit.round
    assert [limit.answered(1.0, RetryableError("HTTP 429"), sent_in=overloaded) for _ in range(2)] == [1, 1]
    assert limit.backoffs == 1


def test_the_pump_keeps_within_its_limit_and_answers_every_batch() -> None:
    lock, now, most = threading.Lock(), [0], [0]
    answered: list[Sent] = []

    def call(n: int) -> list[dict[str, Any]]:
        with lock:
            now[0] += 1
            most[0] = max(most[0], now[0])
        with lock:
            now[0] -= 1
        return [{"id": n}]

    pump = BatchPump(answered.append, start=1, most=3)
    for n in range(40):
        pump.submit(n, lambda n=n: call(n))
    pump.close()
    assert sorted(s.key for s in answered) == list(range(40))
    assert all(s.answers == [{"id": s.key}] and s.error is None for s in answered)
    assert 1 <= most[0] <= 3 and pump.peak <= 3


def test_a_batch_that_the_shop_did_not_take_comes_back_as_its_error() -> None:
    answered: list[Sent] = []

    def overloaded() -> list[dict[str, Any]]:
        raise RetryableError("Sklep odpowiada 503")

    def broken() -> list[dict[str, Any]]:
        raise ValueError("a bug")

    pump = BatchPump(answered.append, start=4, most=4)
    pump.submit("a", overloaded)
    pump.submit("b", broken)
    pump.close()
    errors = {s.key: s.error for s in answered}
    assert isinstance(errors["a"], RetryableError) and pump.limit.backoffs == 1
    assert isinstance(errors["b"], PermanentError) and "a bug" in errors["b"].reason
