"""The strict JSON codec, the record kind registry, Entry validation and payload migrations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal_app.core.records import codec, model
from journal_app.core.records.codec import CodecError
from journal_app.core.records.model import (
    MAX_BODY,
    MAX_LIST,
    MAX_TAG,
    MAX_TITLE,
    RECORD_KINDS,
    Emotion,
    Entry,
    Record,
    Revision,
    decode_record,
    normalise_label,
    payload_migration,
    record_kind,
)

from .strategies import aware, entries


def _round_trip(record: Record) -> Record:
    stored = codec.dumps(record.payload())
    return decode_record(record.KIND, record.SCHEMA_VERSION, record.id, codec.loads(stored))


def _same_entry(a: Entry, b: Entry) -> None:
    assert a == b
    # datetime equality ignores the offset: the offset must survive too.
    for name in ("created", "updated", "trashed"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None)
        if x is not None:
            assert x.isoformat() == y.isoformat()
            assert x.utcoffset() == y.utcoffset()


# ============================================================================ round trips


@settings(max_examples=100, deadline=None)
@given(entries())
def test_entry_round_trips_through_payload_and_decode(entry: Entry) -> None:
    again = _round_trip(entry)
    assert isinstance(again, Entry)
    _same_entry(entry, again)
    # The payload is deterministic and does not carry the id.
    assert "id" not in entry.payload()
    assert codec.dumps(again.payload()) == codec.dumps(entry.payload())


def test_entry_round_trip_fixed_example() -> None:
    tz = timezone(timedelta(hours=5, minutes=30))
    entry = Entry(
        created=datetime(2024, 3, 1, 18, 30, 15, 123456, tzinfo=tz),
        updated=datetime(2024, 3, 2, 7, 0, tzinfo=UTC),
        title="Night shift 🌙",
        body="# Heading\n\nLine with ‘quotes’ and \x00 NUL and \u200b.",
        tags=["#Work", "@ICU", "work", "  Night   Shift  "],
        starred=True,
        emotions=[Emotion("Sad", 4), Emotion("tired"), Emotion("sad", 2)],
        mood=-5,
        energy=5,
        stress=10,
        encounter="patient-death",
        prompt_ids=["p1"],
        links=["0" * 32],
    )
    assert entry.tags == ("work", "icu", "night shift")
    # The later emotion of the same name wins.
    assert [(e.name, e.intensity) for e in entry.emotions] == [("sad", 2), ("tired", 3)]
    again = _round_trip(entry)
    assert isinstance(again, Entry)
    _same_entry(entry, again)
    assert again.created.utcoffset() == timedelta(hours=5, minutes=30)


@settings(max_examples=50, deadline=None)
@given(entries(), aware)
def test_revision_round_trips_and_gives_back_the_entry(entry: Entry, saved: datetime) -> None:
    rev = Revision(
        target_id=entry.id, target_kind="entry", target_schema=1, saved=saved,
        payload_data=entry.payload(),
    )
    again = _round_trip(rev)
    assert isinstance(again, Revision)
    assert again == rev
    old = again.record()
    assert isinstance(old, Entry)
    _same_entry(entry, old)


def test_revision_of_unknown_or_revision_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        Revision(target_id="a", target_kind="nope", target_schema=1)
    with pytest.raises(ValueError):
        Revision(target_id="a", target_kind="revision", target_schema=1)


# ============================================================================ validation


@pytest.mark.parametrize(
    "fields",
    [
        {"mood": -6}, {"mood": 6}, {"mood": True}, {"mood": 1.0},
        {"energy": -6}, {"energy": 6},
        {"stress": -1}, {"stress": 11},
        {"encounter": "picnic"}, {"encounter": ""}, {"encounter": "Code"},
        {"title": "t" * (MAX_TITLE + 1)},
        {"tags": ["#"]}, {"tags": ["   "]}, {"tags": ["x" * (MAX_TAG + 1)]},
        {"tags": [f"t{i}" for i in range(MAX_LIST + 1)]},
        {"prompt_ids": ["p"] * (MAX_LIST + 1)},
        {"links": ["l"] * (MAX_LIST + 1)},
        {"created": datetime(2024, 1, 1)},
        {"updated": datetime(2024, 1, 1)},
        {"trashed": datetime(2024, 1, 1)},
    ],
)
def test_out_of_range_entry_fields_raise(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Entry(**fields)


@pytest.mark.parametrize(
    "fields",
    [{"title": "a\udcff"}, {"body": "\ud800"}, {"tags": ["t\udfff"]}, {"links": ["\ud83d"]},
     {"prompt_ids": ["\udc80"]}, {"emotions": [{"name": "sad\ud800"}]}],
)
def test_lone_surrogates_are_refused(fields: dict[str, Any]) -> None:
    """Text that cannot be stored as UTF-8 is refused when the entry is made, not when saved."""
    with pytest.raises(ValueError):
        Entry(**{k: ([Emotion(**v[0])] if k == "emotions" else v) for k, v in fields.items()})
    with pytest.raises(CodecError):
        decode_record("entry", 1, "a" * 32, {**GOOD, **fields})


def test_field_limits_are_inclusive() -> None:
    entry = Entry(
        title="t" * MAX_TITLE, tags=["x" * MAX_TAG], mood=5, energy=-5, stress=0,
        emotions=[Emotion("e" * MAX_TAG, 5)],
    )
    assert len(entry.title) == MAX_TITLE


def test_body_limit() -> None:
    Entry(body="b" * MAX_BODY)
    with pytest.raises(ValueError):
        Entry(body="b" * (MAX_BODY + 1))


@pytest.mark.parametrize("intensity", [0, 6, -1, True, 2.5])
def test_emotion_intensity_out_of_range(intensity: Any) -> None:
    with pytest.raises(ValueError):
        Emotion("sad", intensity)


@pytest.mark.parametrize("name", ["", "  ", "#", "@@", "x" * (MAX_TAG + 1)])
def test_emotion_needs_a_name(name: str) -> None:
    with pytest.raises(ValueError):
        Emotion(name)


def test_emotion_parse() -> None:
    assert Emotion.parse("Sad") == Emotion("sad", 3)
    assert Emotion.parse("sad:5") == Emotion("sad", 5)
    assert Emotion.parse("at ease:1") == Emotion("at ease", 1)
    for bad in ("sad:x", "sad:9", ":3"):
        with pytest.raises(ValueError):
            Emotion.parse(bad)


def test_validation_messages_never_quote_values() -> None:
    secret = "SECRETVALUE"
    for fields in ({"title": secret * 200}, {"tags": [secret * 20]}, {"encounter": secret}):
        with pytest.raises(ValueError) as info:
            Entry(**fields)
        assert secret not in str(info.value)


def test_normalise_label() -> None:
    assert normalise_label("  #Night  Shift ") == "night shift"
    assert normalise_label("@Work") == "work"
    assert normalise_label("Straße") == "strasse"
    assert normalise_label("Cafe\u0301") == normalise_label("Café") == "café"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_normalise_label_is_idempotent(text: str) -> None:
    once = normalise_label(text)
    assert normalise_label(once) == once


def test_entry_helpers() -> None:
    entry = Entry(body="\n\n## Heading text\nsecond")
    assert entry.first_line() == "Heading text"
    assert entry.display_title() == "Heading text"
    assert Entry(title="T", body="b").display_title() == "T"
    assert Entry().display_title() == "Untitled"
    assert not Entry().in_trash
    assert Entry(trashed=datetime.now(UTC)).in_trash


# ============================================================================ strict decoding


GOOD = Entry(title="t", body="b").payload()


@pytest.mark.parametrize(
    "edit",
    [
        {"title": 5},
        {"title": None},
        {"body": ["b"]},
        {"tags": "work"},
        {"tags": [1]},
        {"starred": "yes"},
        {"starred": 1},
        {"mood": 1.5},
        {"mood": True},
        {"mood": "3"},
        {"mood": 9},
        {"stress": -1},
        {"encounter": "picnic"},
        {"encounter": 3},
        {"created": "2024-03-01T10:00:00"},  # no offset
        {"created": "yesterday"},
        {"created": 1709287200},
        {"created": "2024-03-01T10:00:00+00:00" + " " * 64},
        {"updated": None},
        {"emotions": [{"name": "sad", "intensity": "3"}]},
        {"emotions": [{"name": "sad", "intensity": 9}]},
        {"emotions": [{"name": "sad", "level": 3}]},
        {"emotions": ["sad"]},
        {"emotions": {"name": "sad"}},
        {"links": [None]},
        {"colour": "red"},  # an unknown field
        {"id": "0" * 32},  # the id never travels in the payload
    ],
)
def test_wrong_types_and_unknown_fields_raise(edit: dict[str, Any]) -> None:
    payload = {**GOOD, **edit}
    with pytest.raises(CodecError):
        decode_record("entry", 1, "a" * 32, payload)


def test_decode_refuses_unknown_kinds_versions_and_non_objects() -> None:
    with pytest.raises(CodecError):
        decode_record("checkin", 1, "a" * 32, GOOD)
    with pytest.raises(CodecError):
        decode_record("entry", 2, "a" * 32, GOOD)  # from the future
    with pytest.raises(CodecError):
        decode_record("entry", 0, "a" * 32, GOOD)
    for bad in (None, [], "entry", 5):
        with pytest.raises(CodecError):
            decode_record("entry", 1, "a" * 32, bad)


def test_missing_fields_take_defaults_but_required_ones_do_not() -> None:
    entry = decode_record("entry", 1, "a" * 32, {})
    assert isinstance(entry, Entry)
    assert entry.title == "" and entry.tags == ()
    with pytest.raises(CodecError):
        decode_record("revision", 1, "a" * 32, {"target_kind": "entry", "target_schema": 1})


def test_codec_error_messages_name_fields_not_values() -> None:
    with pytest.raises(CodecError) as info:
        decode_record("entry", 1, "a" * 32, {**GOOD, "title": 12345678})
    assert "title" in str(info.value)
    assert "12345678" not in str(info.value)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                    max_size=4),
        max_leaves=15,
    )
)
def test_decoding_random_json_raises_only_codec_error(value: Any) -> None:
    for kind in ("entry", "revision"):
        try:
            record = decode_record(kind, 1, "a" * 32, value)
        except CodecError:
            continue
        assert isinstance(record, RECORD_KINDS[kind])


def test_codec_primitives() -> None:
    assert codec.from_jsonable(Literal["a", "b"], "a") == "a"
    with pytest.raises(CodecError):
        codec.from_jsonable(Literal["a", "b"], "c")
    assert codec.from_jsonable(float, 3) == 3.0
    with pytest.raises(CodecError):
        codec.from_jsonable(float, True)
    assert codec.from_jsonable(dict[str, int], {"x": 1}) == {"x": 1}
    with pytest.raises(CodecError):
        codec.from_jsonable(dict[str, int], {"x": "1"})
    assert codec.from_jsonable(int | None, None) is None
    with pytest.raises(CodecError):
        codec.from_jsonable(int, None)
    with pytest.raises(CodecError):
        codec.from_jsonable(bytes, b"x")
    assert codec.dumps({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    for bad in (b"\xff\xfe", b"{", b"[" * 100_000):
        with pytest.raises(CodecError):
            codec.loads(bad)


# ======================================================================== registry and migrations


@pytest.fixture
def temp_kind() -> Iterator[type[Record]]:
    """A record kind that exists only for one test (schema version 3)."""

    @record_kind("test-note", 3)
    @dataclass(frozen=True, kw_only=True)
    class Note(Record):
        id: str = field(default_factory=model.new_id)
        text: str = ""
        words: int = 0
        lang: str = "en"

    try:
        yield Note
    finally:
        RECORD_KINDS.pop("test-note", None)
        for key in [k for k in model._MIGRATIONS if k[0] == "test-note"]:
            del model._MIGRATIONS[key]


def test_payload_migrations_run_for_older_versions(temp_kind: type[Record]) -> None:
    calls: list[int] = []

    @payload_migration("test-note", 1)
    def _one(payload: dict[str, Any]) -> dict[str, Any]:
        calls.append(1)
        payload["text"] = payload.pop("body")
        return payload

    @payload_migration("test-note", 2)
    def _two(payload: dict[str, Any]) -> dict[str, Any]:
        calls.append(2)
        payload["words"] = len(payload["text"].split())
        return payload

    v1 = decode_record("test-note", 1, "a" * 32, {"body": "three little words"})
    assert calls == [1, 2]
    assert isinstance(v1, temp_kind)
    assert (v1.text, v1.words) == ("three little words", 3)  # type: ignore[attr-defined]

    calls.clear()
    v2 = decode_record("test-note", 2, "b" * 32, {"text": "two words"})
    assert calls == [2]
    assert v2.words == 2  # type: ignore[attr-defined]

    calls.clear()
    v3 = decode_record("test-note", 3, "c" * 32, {"text": "x", "words": 7})
    assert calls == []
    assert v3.words == 7  # type: ignore[attr-defined]

    # The caller's payload is not changed by a migration.
    original = {"body": "kept"}
    decode_record("test-note", 1, "d" * 32, original)
    assert original == {"body": "kept"}


def test_missing_migration_step_raises(temp_kind: type[Record]) -> None:
    @payload_migration("test-note", 2)
    def _two(payload: dict[str, Any]) -> dict[str, Any]:
        return payload

    with pytest.raises(CodecError):
        decode_record("test-note", 1, "a" * 32, {"text": "x"})
    assert decode_record("test-note", 2, "a" * 32, {"text": "x"}).KIND == "test-note"


def test_a_migrated_payload_is_still_checked(temp_kind: type[Record]) -> None:
    @payload_migration("test-note", 1)
    def _one(payload: dict[str, Any]) -> dict[str, Any]:
        return {"text": 5}

    @payload_migration("test-note", 2)
    def _two(payload: dict[str, Any]) -> dict[str, Any]:
        return payload

    with pytest.raises(CodecError):
        decode_record("test-note", 1, "a" * 32, {})


def test_temp_kind_is_removed_after_the_test() -> None:
    assert "test-note" not in RECORD_KINDS
    assert not [k for k in model._MIGRATIONS if k[0] == "test-note"]


def test_a_kind_cannot_be_registered_twice(temp_kind: type[Record]) -> None:
    with pytest.raises(RuntimeError):

        @record_kind("test-note", 1)
        @dataclass(frozen=True)
        class Other(Record):
            id: str = ""

    assert RECORD_KINDS["test-note"] is temp_kind


def test_builtin_kinds() -> None:
    assert RECORD_KINDS["entry"] is Entry
    assert RECORD_KINDS["revision"] is Revision
    assert (Entry.KIND, Entry.SCHEMA_VERSION, Entry.SEARCHABLE) == ("entry", 1, True)
    assert Revision.SEARCHABLE is False


def test_new_ids_are_random_hex() -> None:
    ids = {model.new_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) == 32 and set(i) <= set("0123456789abcdef") for i in ids)
