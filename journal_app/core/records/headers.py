"""An entry's list header: every field of an entry (or a reflection) but its body (and a
reflection's answers), with the first line of its text, stored sealed beside the record.

Unlocking builds the entries from their headers, so that the list, the filters, the calendar,
tag completion, On this day and the rest have every entry while no body is decrypted; a body is
read from the vault the first time it is used (:attr:`Entry.LAZY`). docs/design.md, "List
headers (issue 18)".

A header is a JSON array (no keys: it is decoded a hundred thousand times at unlock, by hand
rather than by the generic converter, at a tenth of its cost), sealed by
:meth:`RecordCipher.seal_header` under the record's id, kind, schema version and write sequence.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from journal_app.core.records import codec
from journal_app.core.records.model import (
    ENCOUNTER_TYPES,
    FIRST_LINE,
    Emotion,
    Entry,
    Reflection,
)

#: The layout of a header; one of another layout is read as damaged.
HEADER_FORMAT = 1
#: The kinds that have a header, and the class of each.
HEADER_KINDS: dict[str, type[Entry]] = {Entry.KIND: Entry, Reflection.KIND: Reflection}
_ENTRY_FIELDS = ("created", "updated", "title", "tags", "starred", "emotions", "mood",
                 "energy", "stress", "encounter", "prompt_ids", "links", "trashed")
_REFLECTION_FIELDS = ("template_id", "checkin_id", "depth", "series_day", "unfinished_step")


def has_header(kind: str, schema_version: int) -> bool:
    """Whether rows of ``kind`` at ``schema_version`` are read from their headers (a row of
    an older schema version is decoded whole: its upgrade needs the whole payload)."""
    cls = HEADER_KINDS.get(kind)
    return cls is not None and schema_version == cls.SCHEMA_VERSION


def _fields(cls: type[Entry]) -> tuple[str, ...]:
    return _ENTRY_FIELDS + _REFLECTION_FIELDS if issubclass(cls, Reflection) else _ENTRY_FIELDS


def header_bytes(entry: Entry) -> bytes:
    """The header of ``entry`` (a whole one: its body is read for the first line)."""
    values: list[Any] = [HEADER_FORMAT, entry.first_line(FIRST_LINE)]
    for name in _fields(type(entry)):
        value = getattr(entry, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif name == "emotions":
            value = [[e.name, e.intensity] for e in value]
        elif isinstance(value, tuple):
            value = list(value)
        values.append(value)
    return codec.dumps(values)


# Held entries share what many of them repeat (issue 18, memory at 100,000 entries): their tag
# lists (17,000 different ones in 100,000 entries) and encounter types, and a time updated equal
# to the time created is one object; 30 MB less in all. Only labels are kept here, never text;
# :func:`forget_shared` empties the tables when a journal is locked. (One time zone object per
# offset would save 6 MB more, for 0.1 s more at every unlock: not done.)
#: A list of tags -> the one tuple of it.
_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}
#: The encounter types, one string object each.
_ENCOUNTERS = {name: name for name in ENCOUNTER_TYPES}
#: Beyond this many, new values are not shared (a hostile journal cannot grow the tables).
_MAX_SHARED = 100_000


def forget_shared() -> None:
    """Empty the tables of values shared between held entries (the journal is locked)."""
    _TUPLES.clear()
    _EMOTIONS.clear()


def _when(value: Any) -> datetime:
    if type(value) is not str:
        raise codec.CodecError("header: expected a date and time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise codec.CodecError("header: not a date and time") from None
    if parsed.tzinfo is None:
        raise codec.CodecError("header: a date and time without an offset")
    return parsed


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise codec.CodecError("header: expected a list of text")
    for item in value:
        if type(item) is not str:
            raise codec.CodecError("header: expected a list of text")
    return tuple(value)


def _shared_texts(value: Any) -> tuple[str, ...]:
    """:func:`_texts`, one tuple object for equal lists (tags)."""
    if not value and type(value) is list:
        return ()
    texts = _texts(value)
    shared = _TUPLES.get(texts)
    if shared is None:
        if len(_TUPLES) < _MAX_SHARED:
            _TUPLES[texts] = texts
        return texts
    return shared


#: The emotions read from headers, one object per name and intensity (they are frozen): a
#: hundred thousand entries name a few hundred, and making each anew was a third of the decoding.
_EMOTIONS: dict[tuple[str, int], Emotion] = {}


def _emotions(value: Any) -> tuple[Emotion, ...]:
    if type(value) is not list:
        raise codec.CodecError("header: expected a list of emotions")
    out = []
    for item in value:
        if (type(item) is not list or len(item) != 2 or type(item[0]) is not str
                or type(item[1]) is not int):
            raise codec.CodecError("header: not an emotion")
        key = (item[0], item[1])
        emotion = _EMOTIONS.get(key)
        if emotion is None:
            emotion = object.__new__(Emotion)  # validated when written, as a trusted record
            emotion.__dict__.update(name=item[0], intensity=item[1])
            if len(_EMOTIONS) < 10_000:
                _EMOTIONS[key] = emotion
        out.append(emotion)
    return tuple(out)


def _opt_int(value: Any) -> int | None:
    if value is not None and type(value) is not int:
        raise codec.CodecError("header: expected a whole number")
    return value


def _opt_str(value: Any) -> str | None:
    if value is not None and type(value) is not str:
        raise codec.CodecError("header: expected text")
    return value


def entry_from_header(kind: str, record_id: str, data: bytes,
                      load: Callable[[str, int], Entry], seq: int) -> Entry:
    """The entry of ``kind`` whose header is ``data`` (opened) and was read at write sequence
    ``seq``: every field but the lazy ones, which ``load(record_id, seq)`` (the whole record,
    read from the vault) gives when first used. ``load`` is one callable shared by every
    entry (a closure or ``functools.partial`` for each cost 26 MB at 100,000 entries).

    Raises:
        codec.CodecError: not a header of this kind.
    """
    cls = HEADER_KINDS.get(kind)
    if cls is None:
        raise codec.CodecError("header: not a kind with a header")
    raw = codec.loads(data)
    if (type(raw) is not list or len(raw) != len(_fields(cls)) + 2
            or raw[0] != HEADER_FORMAT):
        raise codec.CodecError("header: not a list header")
    # By position, checked by hand: this runs once per entry at every unlock.
    (_f, first, created, updated, title, tags, starred, emotions, mood, energy, stress,
     encounter, prompt_ids, links, trashed) = raw[:15]
    if type(first) is not str or type(title) is not str or type(starred) is not bool:
        raise codec.CodecError("header: a value of the wrong type")
    when = _when(created)
    values = [record_id, when, when if updated == created else _when(updated), title,
              _shared_texts(tags), starred, _emotions(emotions) if emotions else (),
              _opt_int(mood), _opt_int(energy), _opt_int(stress),
              _ENCOUNTERS.get(encounter, encounter) if type(encounter) is str
              else _opt_str(encounter), _shared_texts(prompt_ids), _texts(links),
              None if trashed is None else _when(trashed)]
    if cls is Reflection:
        template_id, checkin_id, depth, series_day, unfinished_step = raw[15:]
        if type(template_id) is not str:
            raise codec.CodecError("header: a value of the wrong type")
        values += (template_id, _opt_str(checkin_id), _opt_str(depth), _opt_int(series_day),
                   _opt_int(unfinished_step))
    values += (first, load, seq)
    # Given as (name, value) pairs in the order of the class's own fields, not as a dict: the
    # entry's dictionary then shares its keys with every entry's (Python's compact form for
    # instances of one class), 220 bytes less than a dictionary of its own (updated from a
    # dict, it is copied whole): 23 MB at 100,000 entries, in the same time. Also right for
    # a frozen dataclass (as codec does).
    entry = object.__new__(cls)
    entry.__dict__.update(zip(_SET_ORDER[cls], values, strict=True))
    return entry


#: What :func:`entry_from_header` sets, in order: the fields but the lazy ones, then the
#: header's own three (the first line kept, the loader, the write sequence read at).
_SET_ORDER: dict[type[Entry], tuple[str, ...]] = {
    cls: ("id", *_fields(cls), "_first", "_load", "_seq")
    for cls in HEADER_KINDS.values()}


def held_value(entry: Entry, name: str) -> Any:
    """``entry``'s own value of ``name`` (None when it has none), without reading a lazy field
    (``__getattr__`` is not reached)."""
    try:
        return object.__getattribute__(entry, name)
    except AttributeError:
        return None


def is_light(entry: Entry) -> bool:
    """Whether ``entry`` was made from its header and its body was not read yet."""
    return held_value(entry, "_load") is not None


def body_of(entry: Entry) -> str:
    """The body of ``entry``, read without keeping it when the entry holds only its header (the
    search index built from every entry must not bring every body into memory)."""
    load = held_value(entry, "_load")
    if load is None:
        return entry.body
    body: str = load(entry.id, held_value(entry, "_seq")).body
    return body
