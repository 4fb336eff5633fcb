"""Reflection.unfinished_step: the step an unfinished reflection was left at (issue 16, item 1)."""

from __future__ import annotations

import pytest

from journal_app.core.records import codec
from journal_app.core.records.model import Reflection, StepAnswer, decode_record


def _round_trip(record: Reflection) -> Reflection:
    stored = codec.loads(codec.dumps(record.payload()))
    again = decode_record(record.KIND, record.SCHEMA_VERSION, record.id, stored)
    assert isinstance(again, Reflection)
    return again


def test_the_step_survives_storage_and_none_means_finished() -> None:
    kept = Reflection(title="Free writing (unfinished)", body="x", unfinished_step=1,
                      answers=(StepAnswer("writing", "text", text="x"),))
    assert _round_trip(kept).unfinished_step == 1
    assert _round_trip(Reflection(title="Done", body="x")).unfinished_step is None


def test_a_record_from_before_the_field_reads_as_finished() -> None:
    payload = dict(codec.loads(codec.dumps(Reflection(title="Old", body="x").payload())))
    payload.pop("unfinished_step", None)
    old = decode_record(Reflection.KIND, Reflection.SCHEMA_VERSION, "a" * 32, payload)
    assert isinstance(old, Reflection) and old.unfinished_step is None


@pytest.mark.parametrize("step", [-1, 51])
def test_a_step_out_of_range_is_refused(step: int) -> None:
    with pytest.raises(ValueError):
        Reflection(title="t", body="x", unfinished_step=step)
