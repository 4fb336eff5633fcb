"""The one set of field checks (journal_app/core/records/validation.py): each check's accept and
reject
cases, and the exact sentence it says, which never quotes the value."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest

from journal_app.core.records import validation as v
from journal_app.core.records.model import CheckIn, Entry
from journal_app.core.sharing.packages import ExcerptPayload, FeedbackItem, SharePayload

SECRET = "Mrs Patel in bed 4"


def _message(fn: object, *args: object) -> str:
    with pytest.raises(ValueError) as err:
        fn(*args)  # type: ignore[operator]
    return str(err.value)


def test_range_accepts_none_and_both_ends() -> None:
    for value in (None, -5, 0, 5):
        v.check_range("mood", value, (-5, 5))


@pytest.mark.parametrize("value", [-6, 6, True, 2.0, "3"])
def test_range_refuses_outside_bools_and_non_integers(value: object) -> None:
    assert _message(v.check_range, "mood", value, (-5, 5)) == (
        "mood must be a whole number from -5 to 5")


def test_text_accepts_any_unicode_and_refuses_lone_surrogates() -> None:
    v.check_text("the note", "", "ünïcødé ✓", "\U0001f600")
    assert _message(v.check_text, "the note", "fine", SECRET + "\udc80") == (
        "the note holds characters that are not valid text")


def test_short_trims_and_checks_length_and_emptiness() -> None:
    assert v.check_short("the title", "  Night shift  ") == "Night shift"
    assert v.check_short("the hint", "   ", required=False) == ""
    assert v.check_short("the level", "x" * 10, 10) == "x" * 10
    assert _message(v.check_short, "the title", "   ") == "the title must not be empty"
    assert _message(v.check_short, "the level", "x" * 11, 10) == (
        "the level is too long (at most 10 characters)")
    assert _message(v.check_short, "the title", "x" * (v.MAX_SHORT + 1)) == (
        "the title is too long (at most 200 characters)")
    assert _message(v.check_short, "the title", "ok\udc80") == (
        "the title holds characters that are not valid text")


def test_length_checks_every_value_and_its_text() -> None:
    v.check_length("the note or question", 5, "", "12345")
    assert _message(v.check_length, "the note or question", 5, "ok", "123456") == (
        "the note or question is too long")
    assert _message(v.check_length, "the note", 5, "a\udc80") == (
        "the note holds characters that are not valid text")


def test_choice_names_the_options_not_the_value() -> None:
    v.check_choice("facet", "b", ("a", "b"))
    assert _message(v.check_choice, "facet", SECRET, ("a", "b")) == (
        "unknown facet; use one of a, b")
    assert _message(v.check_choice, "facet", None, iter(["a"])) == "unknown facet; use one of a"


def test_hex_and_record_ids() -> None:
    good = "0123456789abcdef" * 2
    assert v.is_hex(good) and v.is_hex("ab", 2)
    for bad in (good[:-1], good + "0", good.upper(), "g" * 32, good[:-1] + " "):
        assert not v.is_hex(bad)
        assert _message(v.check_hex, "the package id", bad) == (
            "the package id must be 32 hex digits")
        assert _message(v.check_record_id, "the entry id", bad) == (
            "the entry id is not a record id")
    v.check_hex("the package id", good)
    v.check_record_id("the entry id", good)
    assert _message(v.check_hex, "a short id", "abc", 4) == "a short id must be 4 hex digits"


@pytest.mark.parametrize("day", ["2026-3-14", "2026-02-30", "14/03/2026", "2026-03-14T00:00",
                                 "", "20260314"])
def test_day_refuses_what_is_not_a_calendar_day(day: str) -> None:
    assert _message(v.check_day, "the day it was sent", day) == (
        "the day it was sent must be a date like 2026-03-14")


def test_day_accepts_a_calendar_day() -> None:
    v.check_day("the day", "2024-02-29")


@dataclass
class _Stamped:
    created: datetime | None
    updated: datetime | None = None


def test_aware_accepts_offsets_and_none_and_refuses_naive_or_far_dates() -> None:
    now = datetime(2026, 3, 14, 3, 0, tzinfo=timezone(timedelta(hours=1)))
    v.check_aware(_Stamped(now, None), "created", "updated")
    assert _message(v.check_aware, _Stamped(now, now.replace(tzinfo=None)), "created",
                    "updated") == "updated needs a time zone offset"
    far = datetime(1, 1, 2, tzinfo=UTC)
    assert _message(v.check_aware, _Stamped(far), "created").startswith("created must fall ")


def test_base64_keys_are_strict_and_exact_in_length() -> None:
    key = bytes(range(32))
    text = base64.b64encode(key).decode()
    assert v.unb64(text, 32) == key
    v.check_b64_key("the key", text, 32)
    assert _message(v.unb64, text, 31) == "wrong length"
    assert _message(v.unb64, text + "\n", 32) == "not base64"
    assert _message(v.unb64, "A" * 400, 32) == "not base64"
    assert _message(v.unb64, 32, 32) == "not base64"
    for bad in (text[:-4], "not a key!", text + "AAAA"):
        assert _message(v.check_b64_key, "the key", bad, 32) == "the key is not a key"


# ------------------------------------------------- the model and share packages use these checks


def test_the_model_and_the_share_package_say_the_same_sentences() -> None:
    with pytest.raises(ValueError, match=r"^stress must be a whole number from 0 to 10$"):
        CheckIn(stress=11)
    with pytest.raises(ValueError, match=r"^unknown encounter type; use one of "):
        Entry(body="x", encounter="not-a-type")
    with pytest.raises(ValueError, match=r"^unknown encounter type; use one of "):
        ExcerptPayload(excerpt_id="a" * 32, entry_id="b" * 32, text="x", encounter="nope")
    with pytest.raises(ValueError, match=r"^an excerpt id must be 32 hex digits$"):
        ExcerptPayload(excerpt_id="A" * 32, entry_id="b" * 32, text="x")
    with pytest.raises(ValueError, match=r"^unknown reflection depth; use one of "):
        FeedbackItem(feedback_id="a" * 32, share_package_id="b" * 32, excerpt_id="c" * 32,
                     entry_id="d" * 32, depth="deepest")
    with pytest.raises(ValueError, match=r"^the day must be a date like 2026-03-14$"):
        SharePayload(created="2026-13-01", sender={}, excerpts=[
            ExcerptPayload(excerpt_id="a" * 32, entry_id="b" * 32, text="x")])
