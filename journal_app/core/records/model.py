"""Domain dataclasses and the registry of record kinds.

A record kind is a frozen dataclass registered with :func:`record_kind`: it names the kind stored
in the plaintext ``kind`` column and its payload schema version. Records are shared by every
reader of a journal, so none can be changed in place: sequences are tuples, mappings read-only,
and a change is a new record (``dataclasses.replace``). The vault encrypts the payload (every
field but ``id``) as JSON; :mod:`journal_app.core.records.codec` checks every type on the way back
in.
Adding a kind (check-in, reflection, contact, ...) is a dataclass here and a round-trip test.

Payload upgrades between schema versions are registered with :func:`payload_migration`; they run
when a record of an older version is read, and the store re-encrypts the upgraded record.
"""

from __future__ import annotations

import contextlib
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from journal_app.core.records import codec
from journal_app.core.records.attachments import MAX_ATTACHMENT_BYTES, MEDIA_TYPES
from journal_app.core.records.attachments import MAX_NAME as MAX_FILE_NAME
from journal_app.core.records.validation import MAX_SHORT as MAX_SHORT
from journal_app.core.records.validation import check_aware as _check_aware
from journal_app.core.records.validation import check_b64_key as _check_b64_key
from journal_app.core.records.validation import check_choice, unb64
from journal_app.core.records.validation import check_day as _check_day
from journal_app.core.records.validation import check_hex as _check_hex
from journal_app.core.records.validation import check_range as _check_range
from journal_app.core.records.validation import check_record_id as _check_record_id
from journal_app.core.records.validation import check_short as _check_short
from journal_app.core.records.validation import check_text as _check_text

MOOD_RANGE = (-5, 5)
ENERGY_RANGE = (-5, 5)
STRESS_RANGE = (0, 10)
INTENSITY_RANGE = (1, 5)
MAX_TITLE = 1_000
MAX_BODY = 2_000_000
MAX_TAG = 100
MAX_LIST = 1_000
MAX_DEID_NAMES = 10_000
#: How many emotion words of one's own the app state keeps.
MAX_OWN_EMOTIONS = 1_000
#: The user's spelling words (journal_app.core.spelling checks the same).
MAX_SPELLING_WORDS = 5_000
MAX_SPELLING_WORD = 64

ENCOUNTER_TYPES = (
    "patient-death",
    "suicide-or-violent-death",
    "child-death",
    "bad-news",
    "code",
    "goals-of-care",
    "unrelieved-suffering",
    "family-conflict",
    "team-conflict",
    "mistreatment",
    "error",
    "moral-distress",
    "uncertainty",
    "anatomy-lab",
    "personal-bereavement",
    "other",
)


def new_id() -> str:
    """A random 128-bit record id as 32 hex characters (ids carry no information)."""
    return secrets.token_hex(16)


def now() -> datetime:
    """The current local time, with its offset."""
    return datetime.now().astimezone()


def normalise_label(text: str) -> str:
    """Tags and emotion names: NFC, trimmed, lower case, inner white space folded, no '#'/'@'."""
    text = unicodedata.normalize("NFC", text).strip().lstrip("#@").strip()
    return " ".join(text.split()).casefold()


def _set(record: Any, name: str, value: Any) -> None:
    """Set a field of a frozen record while it is being built (``__post_init__`` only)."""
    object.__setattr__(record, name, value)


def _freeze(record: Any, *names: str) -> None:
    """Fields given as lists (or any iterable) become tuples, and mappings read-only copies:
    a record keeps nothing its caller could still change."""
    for name in names:
        value = getattr(record, name)
        if isinstance(value, Mapping):
            _set(record, name, codec.frozen_map(value))
        elif not isinstance(value, tuple):
            _set(record, name, tuple(value))


class Record:
    """Base of every record kind: an ``id`` plus an encrypted payload of the other fields."""

    KIND: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]
    #: Fields left out of clear-text exports (private keys).
    SECRET_FIELDS: ClassVar[frozenset[str]] = frozenset()
    #: Whether the search index holds this kind.
    SEARCHABLE: ClassVar[bool] = False
    #: Whether unlocking decrypts this kind. Big blobs (attachment images) are read only when
    #: they are shown, so a journal full of photos unlocks as fast as one without.
    EAGER: ClassVar[bool] = True
    id: str

    def payload(self) -> dict[str, Any]:
        data = codec.to_jsonable(self)
        assert isinstance(data, dict)
        data.pop("id")
        return data


R = TypeVar("R", bound=type[Record])

RECORD_KINDS: dict[str, type[Record]] = {}
_MIGRATIONS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}



def record_kind(kind: str, schema_version: int) -> Callable[[R], R]:
    """Register a dataclass as a record kind stored under ``kind``."""

    def register(cls: R) -> R:
        params = getattr(cls, "__dataclass_params__", None)
        if params is None or not params.frozen:
            # A record is shared by every reader of the journal: changing one in place would
            # change what they all see, without a write (see docs/design.md, "Records").
            raise TypeError(f"record kind {kind!r} must be a frozen dataclass")
        if kind in RECORD_KINDS and RECORD_KINDS[kind] is not cls:
            raise RuntimeError(f"record kind {kind!r} registered twice")
        cls.KIND = kind
        cls.SCHEMA_VERSION = schema_version
        RECORD_KINDS[kind] = cls
        return cls

    return register


PayloadStep = Callable[[dict[str, Any]], dict[str, Any]]


def payload_migration(kind: str, from_version: int) -> Callable[[PayloadStep], PayloadStep]:
    """Register a function that upgrades a ``kind`` payload from ``from_version`` to the next."""

    def register(fn: PayloadStep) -> PayloadStep:
        _MIGRATIONS[(kind, from_version)] = fn
        return fn

    return register


def decode_record(
    kind: str, schema_version: int, record_id: str, payload: Any, trusted: bool = False
) -> Record:
    """Build the record object for a decrypted payload, upgrading older schema versions.

    ``trusted`` skips the dataclasses' own validation (types are still checked): for records
    read back from the vault, see :func:`codec.converter`.

    Raises:
        codec.CodecError: unknown kind, a version from the future, or a payload that does not fit.
    """
    cls = RECORD_KINDS.get(kind)
    if cls is None:
        raise codec.CodecError("unknown record kind")
    if not isinstance(payload, dict):
        raise codec.CodecError("payload is not an object")
    version = schema_version
    if version > cls.SCHEMA_VERSION or version < 1:
        raise codec.CodecError("record schema version is not supported")
    while version < cls.SCHEMA_VERSION:
        step = _MIGRATIONS.get((kind, version))
        if step is None:
            raise codec.CodecError("no upgrade for this record schema version")
        payload = step(dict(payload))
        version += 1
    if "id" in payload:
        raise codec.CodecError("payload carries an id")
    record = codec.dataclass_from_jsonable(
        cls, {**payload, "id": record_id}, kind, trusted=trusted and version == schema_version
    )
    assert isinstance(record, Record)
    return record


# --------------------------------------------------------------------------------------------
# Entries

#: The first line of an entry kept in its list header, in characters (the list shows 200).
FIRST_LINE = 200


@dataclass(frozen=True)
class Emotion:
    """One named emotion with an intensity from 1 (faint) to 5 (overwhelming)."""

    name: str
    intensity: int = 3

    def __post_init__(self) -> None:
        _check_text("an emotion", self.name)
        name = normalise_label(self.name)
        if not name or len(name) > MAX_TAG:
            raise ValueError("an emotion needs a name of 1 to 100 characters")
        object.__setattr__(self, "name", name)
        _check_range("emotion intensity", self.intensity, INTENSITY_RANGE)

    @classmethod
    def parse(cls, text: str) -> Emotion:
        """Parse ``NAME`` or ``NAME:INTENSITY`` as given on the command line."""
        name, sep, level = text.rpartition(":")
        if not sep:
            return cls(text)
        try:
            intensity = int(level)
        except ValueError:
            raise ValueError("an emotion is written NAME or NAME:1-5") from None
        return cls(name, intensity)


@record_kind("entry", 1)
@dataclass(frozen=True, kw_only=True)
class Entry(Record):
    """A journal entry: Markdown text with the ratings and labels that go with it."""

    SEARCHABLE: ClassVar[bool] = True

    id: str = field(default_factory=new_id)
    created: datetime = field(default_factory=now)
    updated: datetime = field(default_factory=now)
    title: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    starred: bool = False
    emotions: tuple[Emotion, ...] = ()
    mood: int | None = None
    energy: int | None = None
    stress: int | None = None
    encounter: str | None = None
    prompt_ids: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    #: When the entry was moved to the trash; ``None`` while it is in the journal.
    trashed: datetime | None = None

    #: Fields an entry made from its sealed list header (:mod:`.headers`) does not hold: they
    #: are read from the vault, and kept, the first time one is used (issue 18: the list of
    #: 100,000 entries without their bodies in memory).
    LAZY: ClassVar[tuple[str, ...]] = ("body",)

    def __getattr__(self, name: str) -> Any:
        # Reached only for an attribute not set: a lazy field of an entry made from its header.
        # Its values are read without ``__dict__`` (see headers.entry_from_header).
        if name not in type(self).LAZY:
            raise AttributeError(name)
        try:
            load = object.__getattribute__(self, "_load")
        except AttributeError:
            raise AttributeError(name) from None
        full = load(self.id, object.__getattribute__(self, "_seq"))
        for lazy in type(self).LAZY:
            try:
                object.__getattribute__(self, lazy)  # set by another thread meanwhile
            except AttributeError:
                object.__setattr__(self, lazy, getattr(full, lazy))
        for own in ("_load", "_seq"):
            with contextlib.suppress(AttributeError):
                object.__delattr__(self, own)
        return object.__getattribute__(self, name)

    def _cached_first(self, limit: int) -> str | None:
        """The first line kept in the list header, when it is long enough for ``limit``."""
        try:
            first = object.__getattribute__(self, "_first")
        except AttributeError:
            return None
        return first[:limit] if first is not None and limit <= FIRST_LINE else None

    def __post_init__(self) -> None:
        _freeze(self, "tags", "emotions", "prompt_ids", "links")
        _check_aware(self, "created", "updated", "trashed")
        _check_text("the entry", self.title, self.body, *self.tags, *self.prompt_ids, *self.links)
        if len(self.title) > MAX_TITLE:
            raise ValueError("the title is too long")
        if len(self.body) > MAX_BODY:
            raise ValueError("the text is too long")
        tags: list[str] = []
        for tag in self.tags:
            label = normalise_label(tag)
            if not label or len(label) > MAX_TAG:
                raise ValueError("a tag needs 1 to 100 characters")
            if label not in tags:
                tags.append(label)
        _set(self, "tags", tuple(tags))
        if len(self.tags) > MAX_LIST or len(self.emotions) > MAX_LIST:
            raise ValueError("too many tags or emotions")
        seen: dict[str, Emotion] = {}
        for emotion in self.emotions:
            seen[emotion.name] = emotion
        _set(self, "emotions", tuple(seen.values()))
        _check_range("mood", self.mood, MOOD_RANGE)
        _check_range("energy", self.energy, ENERGY_RANGE)
        _check_range("stress", self.stress, STRESS_RANGE)
        if self.encounter is not None:
            check_choice("encounter type", self.encounter, ENCOUNTER_TYPES)
        if len(self.prompt_ids) > MAX_LIST or len(self.links) > MAX_LIST:
            raise ValueError("too many prompts or links")

    @property
    def in_trash(self) -> bool:
        return self.trashed is not None

    def first_line(self, limit: int = 120) -> str:
        """The first non-empty line of the body, without Markdown heading marks."""
        cached = self._cached_first(limit)
        if cached is not None:
            return cached
        for line in self.body.splitlines():
            text = line.strip().lstrip("#>").strip()
            if text:
                return text[:limit]
        return ""

    def display_title(self) -> str:
        return self.title or self.first_line(60) or "Untitled"


@record_kind("revision", 1)
@dataclass(frozen=True, kw_only=True)
class Revision(Record):
    """An earlier version of another record, kept when it was edited."""

    id: str = field(default_factory=new_id)
    target_id: str
    target_kind: str
    target_schema: int
    saved: datetime = field(default_factory=now)
    payload_data: Mapping[str, Any] = field(default_factory=codec.empty_map)

    def __post_init__(self) -> None:
        if self.target_kind not in RECORD_KINDS or self.target_kind == "revision":
            raise ValueError("a revision of an unknown kind")
        _set(self, "payload_data", codec.freeze(self.payload_data))

    def record(self) -> Record:
        """The earlier version as a record object (with the target's id)."""
        return decode_record(
            self.target_kind, self.target_schema, self.target_id,
            codec.to_jsonable(self.payload_data),
        )


# --------------------------------------------------------------------------------------------
# Check-ins and reflections

BURNOUT_RANGE = (1, 5)
HELPED_RANGE = (-2, 2)
#: Wald et al.'s REFLECT depth levels, shallow to deep (self-rated at the end of a reflection).
REFLECT_LEVELS = ("habitual-action", "thoughtful-action", "reflection", "critical-reflection")
STEP_KINDS = ("text", "emotions", "scale", "coping", "plan", "pause")
#: Why a check-in with every question skipped (:attr:`CheckIn.skipped`) is not saved.
SKIPPED_CHECKIN = "Every question was skipped, so there is no check-in to save."


@record_kind("checkin", 1)
@dataclass(frozen=True, kw_only=True)
class CheckIn(Record):
    """The 30-second check-in: how you are, whether something difficult happened, and whether
    something good did (``good_moment``: Three Good Things is offered after it)."""

    id: str = field(default_factory=new_id)
    created: datetime = field(default_factory=now)
    mood: int | None = None
    energy: int | None = None
    stress: int | None = None
    burnout: int | None = None
    emotions: tuple[Emotion, ...] = ()
    sleep_hours: float | None = None
    encounter: str | None = None
    note: str = ""
    good_moment: bool = False

    def __post_init__(self) -> None:
        _freeze(self, "emotions")
        _check_aware(self, "created")
        _check_range("mood", self.mood, MOOD_RANGE)
        _check_range("energy", self.energy, ENERGY_RANGE)
        _check_range("stress", self.stress, STRESS_RANGE)
        _check_range("burnout", self.burnout, BURNOUT_RANGE)
        if self.sleep_hours is not None and not 0 <= self.sleep_hours <= 24:
            raise ValueError("sleep hours must be from 0 to 24")
        if self.encounter is not None:
            check_choice("encounter type", self.encounter, ENCOUNTER_TYPES)
        if len(self.note) > MAX_TITLE or len(self.emotions) > MAX_LIST:
            raise ValueError("the note is too long")
        _check_text("the note", self.note)
        _set(self, "emotions", tuple({e.name: e for e in self.emotions}.values()))

    @property
    def difficult(self) -> bool:
        return self.encounter is not None

    @property
    def skipped(self) -> bool:
        """Every question skipped: such a check-in is not saved and counts nowhere. Any one
        answer is enough, a neutral one too (mood 0, stress 0); a note of spaces is none."""
        return (all(v is None for v in (self.mood, self.energy, self.stress, self.burnout,
                                        self.sleep_hours, self.encounter))
                and not self.emotions and not self.note.strip() and not self.good_moment)


@dataclass(frozen=True)
class CopingRating:
    """A coping strategy used, and how much it helped: -2 made it worse .. +2 helped a lot."""

    strategy: str
    helped: int = 0

    def __post_init__(self) -> None:
        if not self.strategy or len(self.strategy) > MAX_TAG:
            raise ValueError("a coping strategy needs an id")
        _check_range("how much it helped", self.helped, HELPED_RANGE)


@dataclass(frozen=True)
class StepAnswer:
    """The answer to one step of a reflection template."""

    step_id: str
    kind: str
    text: str = ""
    emotions: tuple[Emotion, ...] = ()
    value: int | None = None
    coping: tuple[CopingRating, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "emotions", "coping")
        if self.kind not in STEP_KINDS:
            raise ValueError("unknown step kind")
        if len(self.text) > MAX_BODY:
            raise ValueError("the text is too long")
        _check_text("the answer", self.text)
        _check_range("scale value", self.value, (0, 10))


@record_kind("reflection", 1)
@dataclass(frozen=True, kw_only=True)
class Reflection(Entry):
    """A finished guided reflection. It is an entry (its body holds the answers as Markdown, so
    it reads and searches like one) that also keeps the structured answers, the template, the
    check-in it followed and the self-rated depth."""

    template_id: str = "free"
    answers: tuple[StepAnswer, ...] = ()
    checkin_id: str | None = None
    depth: str | None = None
    series_day: int | None = None
    #: Kept before it was finished (the journal locked): the step it was left at, where the
    #: guided flow resumes it. None once finished.
    unfinished_step: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _freeze(self, "answers")
        if self.unfinished_step is not None and not 0 <= self.unfinished_step <= 50:
            raise ValueError("the unfinished step must be from 0 to 50")
        if self.depth is not None:
            check_choice("reflection depth", self.depth, REFLECT_LEVELS)
        if len(self.answers) > 50:
            raise ValueError("too many answers")
        if self.series_day is not None and not 1 <= self.series_day <= 60:
            raise ValueError("series day must be from 1 to 60")

    LAZY: ClassVar[tuple[str, ...]] = ("body", "answers")

    def first_line(self, limit: int = 120) -> str:
        """The first answer, not the first step heading."""
        cached = self._cached_first(limit)
        if cached is not None:
            return cached
        for line in self.body.splitlines():
            text = line.strip()
            if text and not text.startswith("#"):
                return text.lstrip(">-* ").strip()[:limit]
        return super().first_line(limit)


# A lazy field must not be found on the class (its default), or ``__getattr__`` never runs for
# an entry made from its header: the defaults stay in the generated ``__init__``.
delattr(Entry, "body")
delattr(Reflection, "answers")


@dataclass(frozen=True)
class WaitingReflection:
    """A reflection the user chose to do "later today", offered again until ``until``."""

    checkin_id: str
    template_id: str
    until: datetime


@record_kind("app-state", 1)
@dataclass(frozen=True, kw_only=True)
class AppState(Record):
    """Small encrypted state of the app that belongs with the journal, not with the computer:
    follow-ups set aside, prompts shown, reflections waiting. One record per vault."""

    id: str = field(default_factory=new_id)
    dismissed_followups: tuple[str, ...] = ()
    #: Prompt ids shown, newest first (so rotation does not repeat them soon).
    shown_prompts: tuple[str, ...] = ()
    todays_prompt: str | None = None
    todays_prompt_day: str = ""
    #: Where the user is in training (early, clerkship, advanced): prompts are chosen for it
    #: (None, never set, chooses as early).
    level: str | None = None
    #: "Not now" on the home panel's card that asks for the training stage (Settings still has it).
    level_card_dismissed: bool = False
    waiting: tuple[WaitingReflection, ...] = ()
    #: Days between competency self-assessments (a rotation); None: the form's default.
    rotation_days: int | None = None
    #: Whether the monthly wellbeing check is offered at all.
    wellbeing_check: bool = True
    #: Check-in and writing streaks on the Trends page (off unless the user turns them on: "0
    #: days now" is the wrong message in a grief journal).
    show_streaks: bool = False
    #: "Not now" on a self-assessment offer: form -> ISO day it is offered again.
    assessment_set_aside: Mapping[str, str] = field(default_factory=codec.empty_map)
    #: The name on the title page of a portfolio PDF (kept here, encrypted, not in QSettings).
    portfolio_name: str = ""
    #: Names the de-identification review always treats as names (patients, family, staff):
    #: as sensitive as any entry, so kept here, encrypted, and never in the search index.
    deid_names: tuple[str, ...] = ()
    #: Emotion words of the user's own ("raw", "hollowed out"): confirmed once, then offered as
    #: suggestions and never asked about again. Kept here, encrypted, never in QSettings.
    own_emotions: tuple[str, ...] = ()
    #: Words the spell checker takes as spelt right ("Add to my words"): names of patients and
    #: colleagues among them, so kept here, encrypted, never in a word-list file.
    spelling_words: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "dismissed_followups", "shown_prompts", "waiting", "assessment_set_aside",
                "deid_names", "own_emotions", "spelling_words")
        if self.rotation_days is not None and not 7 <= self.rotation_days <= 366:
            raise ValueError("a rotation is 7 to 366 days")
        _check_text("the name", self.portfolio_name)
        _set(self, "portfolio_name", " ".join(self.portfolio_name.split())[:200])
        _set(self, "dismissed_followups", self.dismissed_followups[-10_000:])
        _set(self, "shown_prompts", self.shown_prompts[:200])
        _set(self, "waiting", self.waiting[-50:])
        _check_text("a name", *self.deid_names)
        if len(self.deid_names) > MAX_DEID_NAMES or any(len(n) > MAX_TAG for n in self.deid_names):
            raise ValueError("the list of names is too long, or a name is")
        _check_text("an emotion", *self.own_emotions)
        own = tuple(dict.fromkeys(normalise_label(w) for w in self.own_emotions))
        if (len(own) > MAX_OWN_EMOTIONS or any(not w or len(w) > MAX_TAG for w in own)):
            raise ValueError("the list of your own emotion words is too long, or a word is")
        _set(self, "own_emotions", own)
        _check_text("a word", *self.spelling_words)
        if len(self.spelling_words) > MAX_SPELLING_WORDS or any(
                not 0 < len(w) <= MAX_SPELLING_WORD or w != w.strip() for w in self.spelling_words):
            raise ValueError("the list of your words is too long, or a word is")

    def payload(self) -> dict[str, Any]:
        # Left out while empty: the app state of a journal that never kept an own word or a
        # spelling word is stored byte for byte as before the fields existed (an older version
        # still reads it).
        data = super().payload()
        for name in ("own_emotions", "spelling_words"):
            if not data[name]:
                del data[name]
        return data


# --------------------------------------------------------------------------------------------
# The user's own prompts and reflection templates (they may name people or places: encrypted
# like everything else). Facets and levels are checked by :mod:`journal_app.core.practice.custom`,
# which
# knows the prompt library; here only what the model itself knows.

MAX_PROMPT_TEXT = 2_000
#: Step kinds a user's own template may use (a timed pause is for the shipped templates).
CUSTOM_STEP_KINDS = ("text", "plan", "emotions", "scale", "coping")


def _check_encounters(encounters: Iterable[str]) -> tuple[str, ...]:
    """``["any"]`` or a non-empty list of encounter types, without repeats."""
    encounters = tuple(encounters)
    if not encounters:
        raise ValueError("choose at least one kind of encounter, or any")
    unknown = [e for e in encounters if e != "any" and e not in ENCOUNTER_TYPES]
    if unknown:
        raise ValueError("unknown encounter type; use any or one of " + ", ".join(ENCOUNTER_TYPES))
    if "any" in encounters:
        return ("any",)
    return tuple(dict.fromkeys(encounters))


def _new_step_id() -> str:
    return "s" + secrets.token_hex(5)


@dataclass(frozen=True, kw_only=True)
class CustomStep:
    """One step of a user's template (see :class:`journal_app.core.practice.prompts.Step`)."""

    id: str = field(default_factory=_new_step_id)
    kind: str
    title: str
    prompt: str
    hint: str = ""
    min: int = 0
    max: int = 10
    low_label: str = ""
    high_label: str = ""

    def __post_init__(self) -> None:
        if (not self.id or len(self.id) > 64 or not self.id.isascii()
                or not all(c.isalnum() or c == "-" for c in self.id)):
            raise ValueError("a step id is 1 to 64 letters, digits or dashes")
        check_choice("step kind", self.kind, CUSTOM_STEP_KINDS)
        object.__setattr__(self, "title", _check_short("a step's title", self.title))
        object.__setattr__(self, "prompt",
                           _check_short("a step's question", self.prompt, MAX_PROMPT_TEXT))
        object.__setattr__(self, "hint", _check_short("a step's hint", self.hint,
                                                      MAX_PROMPT_TEXT, required=False))
        for name in ("low_label", "high_label"):
            label = _check_short("a scale label", getattr(self, name), MAX_TAG, required=False)
            object.__setattr__(self, name, label)
        for value in (self.min, self.max):
            _check_range("a scale end", value, (0, 10))
        if self.min >= self.max:
            raise ValueError("a scale's lowest value must be below its highest")


@record_kind("custom-prompt", 1)
@dataclass(frozen=True, kw_only=True)
class CustomPrompt(Record):
    """A reflection prompt the user wrote, offered like the shipped ones."""

    id: str = field(default_factory=new_id)
    created: datetime = field(default_factory=now)
    text: str
    facet: str
    level: str
    #: Encounter types it fits, or ``("any",)``.
    encounters: tuple[str, ...] = ("any",)

    def __post_init__(self) -> None:
        _check_aware(self, "created")
        _set(self, "text", _check_short("the prompt", self.text, MAX_PROMPT_TEXT))
        _set(self, "facet", _check_short("the facet", self.facet, MAX_TAG))
        _set(self, "level", _check_short("the level", self.level, MAX_TAG))
        _set(self, "encounters", _check_encounters(self.encounters))


@record_kind("custom-template", 1)
@dataclass(frozen=True, kw_only=True)
class CustomTemplate(Record):
    """A guided reflection the user put together, offered like the shipped templates."""

    id: str = field(default_factory=new_id)
    created: datetime = field(default_factory=now)
    title: str
    summary: str = ""
    encounters: tuple[str, ...] = ("any",)
    steps: tuple[CustomStep, ...] = ()

    def __post_init__(self) -> None:
        _check_aware(self, "created")
        _set(self, "title", _check_short("the title", self.title))
        _set(self, "summary",
             _check_short("the summary", self.summary, MAX_PROMPT_TEXT, required=False))
        _set(self, "encounters", _check_encounters(self.encounters))
        _freeze(self, "steps")
        if not 1 <= len(self.steps) <= 12:
            raise ValueError("a template has 1 to 12 steps")
        if len({s.id for s in self.steps}) != len(self.steps):
            raise ValueError("the steps' ids repeat")


@record_kind("support-contact", 1)
@dataclass(frozen=True, kw_only=True)
class SupportContact(Record):
    """A support contact the user added (their school's wellbeing office, a friend), shown
    beside the shipped ones. Encrypted: it may name people."""

    id: str = field(default_factory=new_id)
    name: str
    contact: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > MAX_TITLE:
            raise ValueError("a support contact needs a name")
        if len(self.contact) > MAX_TITLE or len(self.note) > MAX_TITLE:
            raise ValueError("the contact or note is too long")
        _check_text("the support contact", self.name, self.contact, self.note)


# --------------------------------------------------------------------------------------------
# Periodic self-assessments (the wording lives in prompts/assessments.toml)

ASSESSMENT_FORMS = ("competency", "wellbeing")
ASSESSMENT_RANGE = (1, 5)


@record_kind("self-assessment", 1)
@dataclass(frozen=True, kw_only=True)
class SelfAssessment(Record):
    """A periodic self-assessment: the five competencies on the developmental scale (each
    rotation), or the monthly wellbeing check. Personal ratings to watch over time, never a score;
    ``ratings`` maps an item id of :mod:`journal_app.core.practice.assessment` to 1..5 (items
    skipped are
    left out)."""

    id: str = field(default_factory=new_id)
    created: datetime = field(default_factory=now)
    form: str
    ratings: Mapping[str, int] = field(default_factory=codec.empty_map)
    #: The rotation the competency form closes, in the user's words ("Internal medicine").
    rotation: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "ratings")
        _check_aware(self, "created")
        check_choice("self-assessment", self.form, ASSESSMENT_FORMS)
        if len(self.ratings) > 50 or any(len(k) > MAX_TAG for k in self.ratings):
            raise ValueError("too many ratings")
        for value in self.ratings.values():
            _check_range("a rating", value, ASSESSMENT_RANGE)
        _set(self, "rotation", _check_short("the rotation", self.rotation, required=False))
        if len(self.note) > MAX_PROMPT_TEXT:
            raise ValueError(f"the note is too long (at most {MAX_PROMPT_TEXT:,} characters)")
        _check_text("the note", self.note)


# --------------------------------------------------------------------------------------------
# Backups (journal_app.core.recovery.backup)


@record_kind("backup-state", 1)
@dataclass(frozen=True, kw_only=True)
class BackupState(Record):
    """When the last good (written and fully verified) backup was made, and where. Its own
    record, not a field of AppState: the worker thread writes it while the window may be
    saving AppState. Encrypted: a folder path can name a person or a place."""

    id: str = field(default_factory=new_id)
    last_good: datetime | None = None
    #: The backup file's full path.
    last_file: str = ""
    last_records: int = 0

    def __post_init__(self) -> None:
        if self.last_good is not None and self.last_good.tzinfo is None:
            raise ValueError("the backup time needs a time zone offset")
        if len(self.last_file) > 4096 or self.last_records < 0:
            raise ValueError("the backup state is out of range")
        _check_text("the backup file", self.last_file)


# --------------------------------------------------------------------------------------------
# Sharing with a mentor: the vault's identity, contacts (people whose mentor card was
# imported), what was shared and received, and feedback. See journal_app/core/sharing/service.py.
# None of these is an Entry: received text is someone else's writing and stays out of the
# entry list, the search index and the trends (docs: "Sharing").

ROLES = ("student", "mentor")
MAX_NAME = 100
#: One shared excerpt (an entry, or the part of one the student picked), in characters.
MAX_EXCERPT_TEXT = 200_000
#: The note and the question that go with a share package, and a feedback's comment and reply.
MAX_NOTE = 20_000
FEEDBACK_DIRECTIONS = ("written", "received")
PACKAGE_KINDS = ("share", "feedback", "receipt")


def check_person_name(name: str) -> str:
    """A person's name as shown on a mentor card: NFC, trimmed, 1-100 characters, no control
    characters (a name is printed on terminals and in dialogs)."""
    _check_text("the name", name)
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"a name needs 1 to {MAX_NAME} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        raise ValueError("a name must not hold control or invisible characters")
    return name


@record_kind("identity", 1)
@dataclass(frozen=True, kw_only=True)
class Identity(Record):
    """This vault's own key pairs (X25519 to be encrypted to, Ed25519 to sign), and the name and
    role its mentor card shows. One per vault, made on first use; the private keys never leave
    the vault (exports skip this kind)."""

    SECRET_FIELDS: ClassVar[frozenset[str]] = frozenset({"x25519_private", "ed25519_private"})

    id: str = field(default_factory=new_id)
    created: datetime = field(default_factory=now)
    name: str
    role: str = "student"
    #: Raw 32-byte private keys, base64.
    x25519_private: str
    ed25519_private: str

    def __post_init__(self) -> None:
        _check_aware(self, "created")
        _set(self, "name", check_person_name(self.name))
        if self.role not in ROLES:
            raise ValueError("the role is student or mentor")
        _check_b64_key("the encryption key", self.x25519_private, 32)
        _check_b64_key("the signing key", self.ed25519_private, 32)


@record_kind("contact", 2)
@dataclass(frozen=True, kw_only=True)
class Contact(Record):
    """Someone whose mentor card was imported (or who sent a package whose fingerprint the
    user confirmed): the card as received, and when it was added.

    The fingerprint is never stored: :attr:`fingerprint` computes it from the keys every time
    it is shown or compared, so no text in the vault (or in a file) can make a contact look
    like someone else. Schema 1 stored it as text; reading such a contact drops that text, and
    if it did not match the keys the contact is no longer confirmed (``fingerprint_differed``,
    shown as a notice until the user confirms the card again)."""

    id: str = field(default_factory=new_id)
    name: str
    role: str
    x25519: str
    ed25519: str
    self_sig: str
    added: datetime = field(default_factory=now)
    #: The user compared the fingerprint with the person (or said so with --yes).
    confirmed: bool = False
    #: Schema 1 stored a fingerprint that did not match the keys (see above).
    fingerprint_differed: bool = False

    def __post_init__(self) -> None:
        _check_aware(self, "added")
        _set(self, "name", check_person_name(self.name))
        if self.role not in ROLES:
            raise ValueError("the role is student or mentor")
        _check_b64_key("the encryption key", self.x25519, 32)
        _check_b64_key("the signing key", self.ed25519, 32)
        _check_b64_key("the card's signature", self.self_sig, 64)

    @property
    def fingerprint(self) -> str:
        """The read-aloud fingerprint of this contact's keys, computed now."""
        return _fingerprint_of(self.x25519, self.ed25519)


def _fingerprint_of(x25519: Any, ed25519: Any) -> str:
    """The fingerprint of two base64 public keys (ValueError if they are not keys)."""
    from journal_app.core.sharing.cards import fingerprint  # cards builds on this module

    return fingerprint(unb64(x25519, 32), unb64(ed25519, 32))


@payload_migration("contact", 1)
def _contact_without_stored_fingerprint(payload: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 -> 2: drop the stored fingerprint; a contact whose stored fingerprint was not
    that of its keys is no longer confirmed (a planted contact, or damage)."""
    stored = payload.pop("fingerprint", None)
    try:
        matches = stored == _fingerprint_of(payload.get("x25519"), payload.get("ed25519"))
    except ValueError:
        matches = False  # not keys: the contact fails its own checks when it is built
    if not matches:
        payload["confirmed"] = False
        payload["fingerprint_differed"] = True
    return payload


# --------------------------------------------------------------------------------------------
# Programmes (journal_app.core.programme): a school's or course's signed roster of mentors, its
# enrolment list and its content pack. Card texts are the compact JSON of mentor cards; they
# are checked again (self-signature) whenever trust is taken from them.

#: How many mentors a roster, and how many students an enrolment list, may hold.
MAX_ROSTER = 500
MAX_ENROLMENT = 5_000
#: Pack files (relative path -> TOML text): how many, and how long each.
MAX_PACK_FILES = 64
MAX_PACK_FILE = 256 * 1024
#: A programme file as received (the signed JSON), kept by members.
MAX_PROGRAMME_FILE = 4 * 1024 * 1024


def _check_pack(pack: Mapping[str, str]) -> None:
    if len(pack) > MAX_PACK_FILES or any(
            not isinstance(v, str) or len(v) > MAX_PACK_FILE or not 0 < len(k) <= 200
            for k, v in pack.items()):
        raise ValueError("the content pack has too many files, or one is too long")


def _check_cards(what: str, cards: tuple[str, ...], limit: int) -> None:
    if len(cards) > limit or any(not 0 < len(c) <= 4096 for c in cards):
        raise ValueError(f"the {what} is too long, or a card in it is")


@record_kind("programme-lead", 1)
@dataclass(frozen=True, kw_only=True)
class ProgrammeLead(Record):
    """A programme this vault leads: its Ed25519 signing key (never leaves the vault), its
    name, and what the next published version will hold. One per vault."""

    SECRET_FIELDS: ClassVar[frozenset[str]] = frozenset({"signing_key", "cohort_key",
                                                         "past_cohort_keys"})

    id: str = field(default_factory=new_id)
    created: datetime = field(default_factory=now)
    name: str
    #: Raw 32-byte Ed25519 private key, base64.
    signing_key: str
    #: The day the programme was made (ISO): default rotations count from it.
    founded: str
    #: The last version published (0: never).
    version: int = 0
    mentors: tuple[str, ...] = ()
    students: tuple[str, ...] = ()
    pack: Mapping[str, str] = field(default_factory=codec.empty_map)
    #: Hand-over statements the programme's files carry (compact JSON, oldest first).
    handovers: tuple[str, ...] = ()
    #: The fingerprint of the programme key it was handed over to ("" while this vault leads).
    handed_over_to: str = ""
    #: Raw 32-byte X25519 private key, base64: cohort contributions are encrypted to its
    #: public half, which the programme file carries (issue 25). "" in a programme made
    #: before: one is made at the next publish.
    cohort_key: str = ""
    #: The keys for contributions of the leads before this one (raw X25519 private keys,
    #: base64), passed on sealed in the hand-over file: contributions students sent to an old
    #: lead's key are read with them.
    past_cohort_keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "mentors", "students", "pack", "handovers", "past_cohort_keys")
        if self.cohort_key:
            _check_b64_key("the programme's cohort key", self.cohort_key, 32)
        if len(self.past_cohort_keys) > 1_000:
            raise ValueError("too many keys")
        for key in self.past_cohort_keys:
            _check_b64_key("a past cohort key", key, 32)
        _check_aware(self, "created")
        _set(self, "name", check_person_name(self.name))
        _check_b64_key("the programme's signing key", self.signing_key, 32)
        _check_day("the founding day", self.founded)
        _check_range("the version", self.version, (0, 2**53))
        _check_cards("roster", self.mentors, MAX_ROSTER)
        _check_cards("enrolment list", self.students, MAX_ENROLMENT)
        _check_cards("chain of hand-overs", self.handovers, 1_000)
        _check_pack(self.pack)
        _check_text("the fingerprint", self.handed_over_to)


@record_kind("programme", 1)
@dataclass(frozen=True, kw_only=True)
class JoinedProgramme(Record):
    """The programme this vault joined: the file of its latest version as received (checked
    again whenever it is read), and what was checked out of it. One per vault."""

    id: str = field(default_factory=new_id)
    joined: datetime = field(default_factory=now)
    #: The fingerprint the member compared at joining.
    joined_fingerprint: str
    name: str
    #: The programme's current Ed25519 public key (base64): the next version must be signed
    #: by it, or carry a hand-over signed by it.
    key: str
    version: int
    mentors: tuple[str, ...] = ()
    students: tuple[str, ...] = ()
    pack: Mapping[str, str] = field(default_factory=codec.empty_map)
    #: The programme's founding day (ISO): the default rotations count from it.
    founded: str
    file: str

    def __post_init__(self) -> None:
        _freeze(self, "mentors", "students", "pack")
        _check_aware(self, "joined")
        _set(self, "name", check_person_name(self.name))
        _check_b64_key("the programme's key", self.key, 32)
        _check_range("the version", self.version, (1, 2**53))
        _check_day("the founding day", self.founded)
        _check_cards("roster", self.mentors, MAX_ROSTER)
        _check_cards("enrolment list", self.students, MAX_ENROLMENT)
        _check_pack(self.pack)
        _check_text("the fingerprint", self.joined_fingerprint)
        if len(self.file) > MAX_PROGRAMME_FILE:
            raise ValueError("the programme file is too long")


#: At most this many cohort contributions are remembered per programme (one a rotation).
MAX_COHORT_SPENT = 1_000
#: At most this many folders contributions went to are remembered (one a computer, usually).
MAX_COHORT_FOLDERS = 20


@record_kind("cohort-budget", 1)
@dataclass(frozen=True, kw_only=True)
class CohortBudget(Record):
    """The privacy budget this vault spent contributing to a programme's cohort report: one
    ``"<rotation id> <epsilon>"`` per contribution, so a rotation is contributed to once and the
    lifetime budget holds. One per programme (by the fingerprint compared at joining)."""

    id: str = field(default_factory=new_id)
    created: datetime = field(default_factory=now)
    #: The fingerprint the member compared when joining the programme (stable across
    #: hand-overs).
    programme: str
    spent: tuple[str, ...] = ()
    #: The draw offered and not sent yet (compact JSON: rotation, item, randomised value,
    #: epsilon, contribution id), kept so that declining and asking again shows the same draw
    #: (drawing again until the answer suits would undo the randomisation). "" when none.
    pending: str = ""
    #: The folder the last contribution was written to, as kept before ``folders`` (read as
    #: the oldest of them; no longer written).
    drop_folder: str = ""
    #: Rotations whose offer was declined in the app (not offered there again).
    declined: tuple[str, ...] = ()
    #: The folders contributions were written to, most recent first, each compact JSON
    #: ``[the programme's drop folder then ("" none), the folder]``: on a computer where the
    #: programme's folder does not exist, the first of these that does (chosen for the same
    #: programme folder) is the default. The journal may be synced: each computer finds its own.
    folders: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "spent", "declined", "folders")
        _check_aware(self, "created")
        _check_text("the programme", self.programme, self.pending, self.drop_folder,
                    *self.spent, *self.declined, *self.folders)
        if len(self.declined) > MAX_COHORT_SPENT or len(self.folders) > MAX_COHORT_FOLDERS:
            raise ValueError("too many rotations")
        if any(len(f) > 8192 for f in self.folders):
            raise ValueError("too long")
        if len(self.pending) > 4096 or len(self.drop_folder) > 4096:
            raise ValueError("too long")
        if len(self.spent) > MAX_COHORT_SPENT or any(len(s) > 200 for s in self.spent):
            raise ValueError("too many contributions")


@dataclass(frozen=True)
class SharedExcerpt:
    """One excerpt as it was sent: already de-identified, with the entry it came from."""

    excerpt_id: str
    entry_id: str
    title: str
    text: str
    #: The character range of the entry's body it was cut from (``None``: the whole body).
    start: int | None = None
    end: int | None = None

    def __post_init__(self) -> None:
        _check_hex("an excerpt id", self.excerpt_id)
        _check_hex("an entry id", self.entry_id)
        _check_text("the excerpt", self.title, self.text)
        if len(self.title) > MAX_TITLE or len(self.text) > MAX_EXCERPT_TEXT:
            raise ValueError("the excerpt is too long")


@dataclass(frozen=True)
class ShareRecipient:
    name: str
    fingerprint: str


@record_kind("shared-log", 1)
@dataclass(frozen=True, kw_only=True)
class SharedLog(Record):
    """What was shared, with whom and when: one per share package written. A sent file cannot
    be recalled; this record is how the student knows what is out there."""

    id: str = field(default_factory=new_id)
    package_id: str
    created: datetime = field(default_factory=now)
    recipients: tuple[ShareRecipient, ...] = ()
    #: Locked with a one-off share passphrase instead of (or as well as) contacts' cards.
    passphrase: bool = False
    excerpts: tuple[SharedExcerpt, ...] = ()
    note: str = ""
    question: str = ""
    #: The student let the mentor make a de-identified handout of these excerpts (issue 24):
    #: the consent, as it went out in the package.
    handout: bool = False

    def __post_init__(self) -> None:
        _freeze(self, "recipients", "excerpts")
        _check_aware(self, "created")
        _check_hex("the package id", self.package_id)
        _check_text("the note", self.note, self.question)
        if len(self.note) > MAX_NOTE or len(self.question) > MAX_NOTE:
            raise ValueError("the note or question is too long")
        if len(self.excerpts) > MAX_LIST or len(self.recipients) > MAX_LIST:
            raise ValueError("too many excerpts or recipients")


@record_kind("received-package", 1)
@dataclass(frozen=True, kw_only=True)
class ReceivedPackage(Record):
    """A share or feedback package imported into this vault: who sent it, when, its note and
    question. Its ``package_id`` is how a second import of the same file is refused."""

    id: str = field(default_factory=new_id)
    package_id: str
    kind: str
    received: datetime = field(default_factory=now)
    #: The day the sender made it, as the sender's package says.
    sent_on: str
    sender_name: str
    sender_role: str
    sender_fingerprint: str
    note: str = ""
    question: str = ""

    def __post_init__(self) -> None:
        _check_aware(self, "received")
        _check_hex("the package id", self.package_id)
        if self.kind not in PACKAGE_KINDS:
            raise ValueError("unknown package kind")
        _check_day("the day it was sent", self.sent_on)
        _set(self, "sender_name", check_person_name(self.sender_name))
        if self.sender_role not in ROLES:
            raise ValueError("the role is student or mentor")
        _check_text("the note", self.note, self.question, self.sender_fingerprint)
        if len(self.note) > MAX_NOTE or len(self.question) > MAX_NOTE:
            raise ValueError("the note or question is too long")


@record_kind("received-excerpt", 1)
@dataclass(frozen=True, kw_only=True)
class ReceivedExcerpt(Record):
    """An excerpt a student shared, as received by the mentor (grouped by package/sender)."""

    id: str = field(default_factory=new_id)
    package_id: str
    excerpt_id: str
    sender_name: str
    sender_fingerprint: str
    #: The id of the entry on the student's side (meaningless here; it goes back with feedback).
    entry_ref: str
    title: str = ""
    text: str
    #: Only the year of the entry travels (Safe Harbor: no date element finer than the year).
    year: int | None = None
    encounter: str | None = None
    sent_on: str
    received: datetime = field(default_factory=now)
    #: Its place in the package (excerpts are shown in the order the student put them).
    position: int = 0
    #: The student's consent, in their signed package, to a de-identified handout of it.
    handout: bool = False

    def __post_init__(self) -> None:
        _check_aware(self, "received")
        _check_hex("the package id", self.package_id)
        _check_hex("the excerpt id", self.excerpt_id)
        _check_hex("the entry reference", self.entry_ref)
        _set(self, "sender_name", check_person_name(self.sender_name))
        _check_text("the excerpt", self.title, self.text, self.sender_fingerprint)
        if len(self.title) > MAX_TITLE or len(self.text) > MAX_EXCERPT_TEXT:
            raise ValueError("the excerpt is too long")
        if self.year is not None and not 1900 <= self.year <= 2200:
            raise ValueError("the year is out of range")
        if self.encounter is not None and self.encounter not in ENCOUNTER_TYPES:
            raise ValueError("unknown encounter type")
        _check_day("the day it was sent", self.sent_on)


@record_kind("feedback", 1)
@dataclass(frozen=True, kw_only=True)
class Feedback(Record):
    """A mentor's feedback on one shared excerpt: as written by the mentor (``written``) or as
    received by the student (``received``, linked to the student's own entry)."""

    id: str = field(default_factory=new_id)
    direction: str
    #: The same on both sides: the mentor's copy and the student's copy name one feedback.
    feedback_id: str = field(default_factory=new_id)
    share_package_id: str
    excerpt_id: str
    #: The student's entry (received) or the student-side entry id it refers to (written).
    entry_id: str
    contact_name: str
    contact_fingerprint: str
    comment: str = ""
    reply: str = ""
    depth: str | None = None
    created: datetime = field(default_factory=now)
    #: The feedback package that carried it (written: once exported; received: always).
    package_id: str | None = None
    received: datetime | None = None

    def __post_init__(self) -> None:
        _check_aware(self, "created", "received")
        if self.direction not in FEEDBACK_DIRECTIONS:
            raise ValueError("feedback is written or received")
        for name in ("feedback_id", "share_package_id", "excerpt_id", "entry_id"):
            _check_hex(name.replace("_", " "), getattr(self, name))
        if self.package_id is not None:
            _check_hex("the package id", self.package_id)
        _set(self, "contact_name", check_person_name(self.contact_name))
        _check_text("the feedback", self.comment, self.reply, self.contact_fingerprint)
        if len(self.comment) > MAX_NOTE or len(self.reply) > MAX_NOTE:
            raise ValueError("the feedback is too long")
        if not self.comment.strip() and not self.reply.strip() and self.depth is None:
            raise ValueError("feedback needs a comment, a reply or a depth rating")
        if self.depth is not None:
            check_choice("reflection depth", self.depth, REFLECT_LEVELS)


# --------------------------------------------------------------------------------------------
# The mentor's workspace (issue 24): what the mentor read, their own phrases, attestations.


@record_kind("inbox-mark", 1)
@dataclass(frozen=True, kw_only=True)
class InboxMark(Record):
    """A received excerpt the mentor opened ("read" in the inbox). "answered" is not stored:
    it is the feedback written on the excerpt. One per excerpt; never sent anywhere."""

    id: str = field(default_factory=new_id)
    #: The record id of the :class:`ReceivedExcerpt`.
    excerpt: str
    marked: datetime = field(default_factory=now)

    def __post_init__(self) -> None:
        _check_aware(self, "marked")
        _check_hex("the excerpt", self.excerpt)


@record_kind("read-receipt", 1)
@dataclass(frozen=True, kw_only=True)
class ReadReceipt(Record):
    """A read receipt for one shared excerpt (issue 24): as sent by the mentor (``written``,
    the excerpt's ``entry_id`` is the student-side reference) or as received by the student
    (``received``, linked to the student's own entry through the share log, never through ids
    the mentor sent). ``read`` is when the mentor opened it, as their signed receipt says."""

    id: str = field(default_factory=new_id)
    direction: str
    share_package_id: str
    excerpt_id: str
    entry_id: str
    contact_name: str
    contact_fingerprint: str
    read: datetime
    #: The receipt package that carried it.
    package_id: str
    created: datetime = field(default_factory=now)

    def __post_init__(self) -> None:
        _check_aware(self, "read", "created")
        if self.direction not in FEEDBACK_DIRECTIONS:
            raise ValueError("a read receipt is written or received")
        for name in ("share_package_id", "excerpt_id", "entry_id", "package_id"):
            _check_hex(name.replace("_", " "), getattr(self, name))
        _set(self, "contact_name", check_person_name(self.contact_name))
        _check_text("the fingerprint", self.contact_fingerprint)


#: A phrase of the mentor's comment bank, in characters.
MAX_PHRASE = 2_000


@record_kind("comment-phrase", 1)
@dataclass(frozen=True, kw_only=True)
class CommentPhrase(Record):
    """One phrase of the mentor's own comment bank (kept in the vault, never sent as such)."""

    id: str = field(default_factory=new_id)
    text: str
    added: datetime = field(default_factory=now)

    def __post_init__(self) -> None:
        _check_aware(self, "added")
        _set(self, "text", _check_short("the phrase", self.text, MAX_PHRASE))


NOTE_KINDS = ("note", "meeting")


@record_kind("student-note", 1)
@dataclass(frozen=True, kw_only=True)
class StudentNote(Record):
    """A mentor's private note on a student, or a meeting in the log of meetings with them
    (issue 24): encrypted like every record, never in any package or file sent."""

    id: str = field(default_factory=new_id)
    #: The student's fingerprint (as their excerpts carry it).
    student: str
    kind: str = "note"
    text: str
    #: The day of a meeting (ISO); "" for a note.
    day: str = ""
    created: datetime = field(default_factory=now)

    def __post_init__(self) -> None:
        _check_aware(self, "created")
        check_choice("the kind", self.kind, NOTE_KINDS)
        _check_text("the note", self.student, self.text)
        if not self.text.strip() or len(self.text) > MAX_NOTE:
            raise ValueError(f"a note holds 1 to {MAX_NOTE:,} characters")
        if self.day:
            _check_day("the day", self.day)


ATTESTATION_DIRECTIONS = ("written", "received")
#: An attestation file as signed (compact JSON), in characters.
MAX_ATTESTATION_FILE = 64 * 1024


@record_kind("attestation", 1)
@dataclass(frozen=True, kw_only=True)
class AttestationRecord(Record):
    """A mentor's signed attestation: as written (mentor) or imported (student). ``file`` is
    the signed file's text, checked again whenever it is read."""

    id: str = field(default_factory=new_id)
    direction: str
    file: str
    stored: datetime = field(default_factory=now)

    def __post_init__(self) -> None:
        _check_aware(self, "stored")
        check_choice("the direction", self.direction, ATTESTATION_DIRECTIONS)
        _check_text("the attestation", self.file)
        if not 0 < len(self.file) <= MAX_ATTESTATION_FILE:
            raise ValueError("the attestation file is too long")


# --------------------------------------------------------------------------------------------
# Attachments


@record_kind("attachment", 1)
@dataclass(frozen=True, kw_only=True)
class Attachment(Record):
    """An image kept with an entry: what it is, never its bytes. Loaded at unlock with the other
    records (it is small); the bytes are an :class:`AttachmentData` record, decrypted only when
    the image is shown or saved. ``sha256`` and ``size`` check those bytes when they are read.

    ``name`` is the original file name: journal data, so it stays in here and never names a
    file on disk. ``trashed`` is set when it was removed from its entry (it waits in the trash
    like an entry); the attachments of an entry in the trash stay with it and go when the
    trash is emptied."""

    id: str = field(default_factory=new_id)
    entry_id: str
    data_id: str
    name: str
    media_type: str
    size: int
    sha256: str
    created: datetime = field(default_factory=now)
    trashed: datetime | None = None

    def __post_init__(self) -> None:
        _check_record_id("the entry id", self.entry_id)
        _check_record_id("the data id", self.data_id)
        _check_aware(self, "created", "trashed")
        _check_text("the attachment name", self.name)
        if not self.name.strip() or len(self.name) > MAX_FILE_NAME:
            raise ValueError(f"an attachment needs a name of 1 to {MAX_FILE_NAME} characters")
        if self.media_type not in MEDIA_TYPES:
            raise ValueError("the attachment is not an image type journal-app keeps")
        if isinstance(self.size, bool) or not 0 < self.size <= MAX_ATTACHMENT_BYTES:
            raise ValueError("the attachment size is out of range")
        if len(self.sha256) != 64 or not set(self.sha256) <= set("0123456789abcdef"):
            raise ValueError("the attachment checksum is not a SHA-256 digest")

    @property
    def in_trash(self) -> bool:
        return self.trashed is not None


@record_kind("attachment-data", 1)
@dataclass(frozen=True, kw_only=True)
class AttachmentData(Record):
    """The bytes of one attachment, in a record of their own so that unlocking never decrypts
    them (base64 inside the encrypted JSON payload, like every other record)."""

    EAGER: ClassVar[bool] = False

    id: str = field(default_factory=new_id)
    attachment_id: str
    data: bytes

    def __post_init__(self) -> None:
        _check_record_id("the attachment id", self.attachment_id)
        if not 0 < len(self.data) <= MAX_ATTACHMENT_BYTES:
            raise ValueError("the attachment data is empty or too large")
