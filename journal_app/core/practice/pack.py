"""A programme's content pack: its prompts, templates, support lines and rotation dates.

A pack is a folder of TOML files with exactly the fields of the shipped content, read by the
same readers (:mod:`journal_app.core.practice.prompts`, :mod:`journal_app.core.practice.support`),
so it validates exactly like ``prompts/`` and ``resources/support.toml``::

    prompts/<facet>.toml     version = 1, facet = "...", [[prompt]] tables (prompts/prompts/)
    templates/<id>.toml      one reflection template each (prompts/templates/)
    support.toml             version = 1, [[resource]] tables (resources/support.toml; no
                             disclaimer: the shipped one is shown)
    rotations.toml           version = 1, [[rotation]] id, start, end (dates), and optionally
                             reflection = a template id (the pack's or a shipped one): the
                             reflection asked for this rotation; epsilon = 1 to 4 (the
                             privacy budget of one cohort contribution, default 2) and up to
                             12 [[rotation.item]] tables (id, label, and one of facet,
                             encounter or assessment: what a cohort contribution reports on;
                             none: the eleven facets of competency 4); at the top, optionally
                             lifetime_epsilon = 1 to 40 (a student's whole budget, default 16)
                             and drop_folder = the folder contributions are collected in (a
                             path as the lead's or the school's computers see it: a student
                             whose computer has no such folder chooses theirs once there)

A file that does not validate is refused with its name, the line and the reason
(:class:`PackInvalidError`); the whole pack is then refused. The pack travels inside the signed
programme file as the files' text and is validated again by every member who receives it.
With no ``rotations.toml``, rotations are 4 weeks each from the programme's founding day.

In the library, pack prompts and templates get the ids ``programme-<id>`` (shipped ids are
plain words, the user's own ``custom-<record id>``), and carry the programme's name in their
``source``, which the app and the command line show beside them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from journal_app.core.content import ContentError
from journal_app.core.errors import JournalError
from journal_app.core.practice.prompts import (
    FACETS,
    Library,
    Prompt,
    Template,
    _id,
    _known_keys,
    _prompt,
    _template,
)
from journal_app.core.practice.support import INTL, SupportResource, _resource
from journal_app.core.records.model import MAX_PACK_FILE, MAX_PACK_FILES, JoinedProgramme

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

#: Library ids of pack prompts and templates start with this.
PACK_PREFIX = "programme-"
#: Default rotations: this many days each, this many of them, from the founding day.
ROTATION_DAYS = 28
DEFAULT_ROTATIONS = 13
_MAX_ROTATIONS = 200


class PackInvalidError(JournalError):
    """A content pack file that does not validate: names the file, the line and the reason
    (never quotes the content)."""

    default_message = "The content pack does not validate; nothing was changed."


#: Cohort contributions (issue 25): the default and allowed epsilon of one contribution, the
#: default lifetime budget of a student and its bounds, and at most this many items a rotation.
DEFAULT_EPSILON = 2.0
EPSILON_RANGE = (1.0, 4.0)
DEFAULT_LIFETIME_EPSILON = 16.0
LIFETIME_RANGE = (1.0, 40.0)
MAX_COHORT_ITEMS = 12
YES_NO = ("yes", "no")
#: The bands of a self-assessed level (1..5 on the developmental scale), and no rating.
LEVEL_BANDS = ("not rated", "1-2", "3", "4-5")
_ITEM_KINDS = ("facet", "encounter", "assessment")


@dataclass(frozen=True)
class CohortItem:
    """One thing a cohort contribution may report for a rotation: a yes/no ("reflected on
    the facet", "met this kind of encounter") or a category (the band of a self-assessed
    level). ``source`` is the facet, the encounter type or the competency item's id."""

    id: str
    label: str
    kind: str
    source: str

    @property
    def categories(self) -> tuple[str, ...]:
        return LEVEL_BANDS if self.kind == "assessment" else YES_NO


def default_items() -> tuple[CohortItem, ...]:
    """The eleven facets of competency 4, each "reflected on it this rotation", id = facet."""
    from journal_app.core.vocabulary import FACET_LABELS

    return tuple(CohortItem(f, f"Reflected on {FACET_LABELS.get(f, f).lower()} this rotation",
                            "facet", f) for f in FACETS)


@dataclass(frozen=True)
class Rotation:
    id: str
    start: date
    end: date
    #: A template id (library id) asked for during this rotation, if any.
    reflection: str | None = None
    #: The privacy budget of one cohort contribution for this rotation.
    epsilon: float = DEFAULT_EPSILON
    #: What a cohort contribution reports on (none set: :func:`default_items`).
    items: tuple[CohortItem, ...] = ()

    @property
    def cohort_items(self) -> tuple[CohortItem, ...]:
        return self.items or default_items()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class SharingTerms:
    """What a student reads before sharing (issue 24), and what a mentor's view offers when an
    excerpt shows distress: the programme's words from ``sharing.toml``, or
    :data:`DEFAULT_TERMS`."""

    #: Whether what is shared is formative (for learning, never graded).
    formative: bool
    mentor_may: tuple[str, ...]
    mentor_may_not: tuple[str, ...]
    #: What a mentor is asked to do when an excerpt shows distress.
    risk_guidance: str
    #: The programme's name ("" for the plain default).
    source: str = ""


#: Plain words for a journal in no programme, or a programme whose pack says nothing of this.
DEFAULT_TERMS = SharingTerms(
    formative=True,
    mentor_may=("read what you share and write feedback on it",
                "keep the excerpts in their own encrypted journal",
                "ask you how you are, if what you wrote worries them"),
    mentor_may_not=("grade or assess you on what you shared",
                    "pass it on without asking you first",
                    "see anything in your journal that you did not share"),
    risk_guidance=("Reach out to the student soon, in person or by phone, and ask how they are."
                   " If you think they may be at risk, do not wait for the next meeting: use the"
                   " support lines below and your school's wellbeing service."),
)


@dataclass(frozen=True)
class Pack:
    prompts: tuple[Prompt, ...] = ()
    templates: tuple[Template, ...] = ()
    support: tuple[SupportResource, ...] = ()
    #: The rotations of ``rotations.toml`` (none: the defaults, see :func:`rotations`).
    rotations: tuple[Rotation, ...] = ()
    #: A student's lifetime budget for cohort contributions to the programme.
    lifetime_epsilon: float = DEFAULT_LIFETIME_EPSILON
    #: ``sharing.toml``: what a mentor may and may not do, formative or not, risk guidance.
    sharing: SharingTerms | None = None
    #: Where the programme collects cohort contributions (a path hint; "" none).
    drop_folder: str = ""


# ------------------------------------------------------------------------------ reading a folder


def _allowed(path: PurePosixPath) -> bool:
    parts = path.parts
    if len(parts) == 1:
        return parts[0] in ("support.toml", "rotations.toml", "sharing.toml")
    return (len(parts) == 2 and parts[0] in ("prompts", "templates")
            and path.suffix == ".toml" and bool(re.fullmatch(r"[a-z0-9-]+\.toml", parts[1])))


def read_pack_dir(folder: Path) -> dict[str, str]:
    """The pack files of ``folder`` (relative path -> text), checked for size and names only
    (:func:`parse_pack` validates them).

    Raises:
        PackInvalidError: not a folder, an unknown file, too many or too large files, not UTF-8.
    """
    if not folder.is_dir():
        raise PackInvalidError("That is not a folder of content pack files; nothing was changed.")
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        rel = PurePosixPath(path.relative_to(folder).as_posix())
        if not _allowed(rel):
            raise PackInvalidError(
                f"{rel}: not a content pack file (prompts/<facet>.toml, templates/<id>.toml,"
                " support.toml, rotations.toml, sharing.toml); nothing was changed."
            )
        if len(files) >= MAX_PACK_FILES:
            raise PackInvalidError(f"A content pack holds at most {MAX_PACK_FILES} files.")
        try:
            data = path.read_bytes()
        except OSError:
            raise PackInvalidError(f"{rel}: cannot be read; nothing was changed.") from None
        if len(data) > MAX_PACK_FILE:
            raise PackInvalidError(f"{rel}: larger than {MAX_PACK_FILE // 1024} KB.")
        try:
            files[str(rel)] = data.decode("utf-8")
        except UnicodeDecodeError:
            raise PackInvalidError(f"{rel}: not UTF-8 text; nothing was changed.") from None
    parse_pack(files)  # refuse a bad pack now, naming the line
    return files


# ------------------------------------------------------------------------------ validating


def _header_lines(text: str, table: str) -> list[int]:
    """The line numbers (from 1) of the ``[[table]]`` headers of a TOML text, in order."""
    pattern = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    return [n for n, line in enumerate(text.splitlines(), start=1) if pattern.match(line)]


def _key_line(text: str, key: str, after: int = 0) -> int:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for n, line in enumerate(text.splitlines(), start=1):
        if n > after and pattern.match(line):
            return n
    return after or 1


def _reason(exc: ContentError, where: str) -> str:
    """The reason of a reader's error, without the ``where`` it was given."""
    message = str(exc)
    if message.startswith(where):
        message = message[len(where):].lstrip(" :")
        message = re.sub(r"^\([^)]*\)\s*:?\s*", "", message)  # a prompt's id
        message = re.sub(r"^[a-z0-9-]+: ", "", message)  # a support line's id
    return message


def _fail(path: str, line: int, reason: str) -> PackInvalidError:
    return PackInvalidError(f"{path}, line {line}: {reason}. Nothing was changed.")


def _load(path: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise _fail(path, int(match.group(1)) if match else 1, "not valid TOML") from None


#: How the readers name a key in their reasons ("unknown CARE-7 goal 'x'" is about care7).
_KEY_WORDS = {"level": "level", "encounter": "encounters", "CARE-7 goal": "care7",
              "theme": "themes", "facet": "facets", "step kind": "kind"}


def _key_of(reason: str) -> str | None:
    """The key a reader's reason is about, if it names one."""
    unknown = re.match(r"unknown key '([^']+)'", reason)
    if unknown:
        return unknown.group(1)
    for words, key in _KEY_WORDS.items():
        if reason.startswith(f"unknown {words} '"):
            return key
    quoted = re.match(r"'([a-z_0-9]+)'", reason)
    if quoted:
        return quoted.group(1)
    first = re.match(r"(?:the )?([a-z_0-9]+) (?:must|is|are|runs|lasts)\b", reason)
    return first.group(1) if first else None


def _line_of(text: str, reason: str, start: int) -> int:
    key = _key_of(reason)
    return _key_line(text, key, start) if key else start


def _in_table(path: str, text: str, table: str, index: int, exc: ContentError,
              where: str) -> PackInvalidError:
    lines = _header_lines(text, table)
    start = lines[index] if index < len(lines) else 1
    end = lines[index + 1] if index + 1 < len(lines) else None
    reason = _reason(exc, where)
    line = _line_of(text, reason, start)
    if end is not None and line >= end:
        line = start
    return _fail(path, line, reason)


def _prompts_file(path: str, text: str) -> list[Prompt]:
    data = _load(path, text)
    facet = PurePosixPath(path).stem
    if facet not in FACETS:
        raise _fail(path, 1, f"{facet!r} is not a facet ({', '.join(FACETS)})")
    try:
        _known_keys(data, {"version", "facet", "prompt"}, path)
    except ContentError as exc:
        raise _fail(path, 1, _reason(exc, path)) from None
    if data.get("version") != 1:
        raise _fail(path, _key_line(text, "version"), "expected version = 1")
    if data.get("facet") != facet:
        raise _fail(path, _key_line(text, "facet"), f"expected facet = {facet!r}, the file's name")
    raw = data.get("prompt")
    if not isinstance(raw, list) or not raw:
        raise _fail(path, 1, "expected [[prompt]] tables")
    out = []
    for index, item in enumerate(raw):
        try:
            out.append(_prompt(item, facet, path))
        except ContentError as exc:
            raise _in_table(path, text, "prompt", index, exc, path) from None
    return out


def _template_file(path: str, text: str) -> Template:
    data = _load(path, text)
    try:
        template = _template(data, path)
    except ContentError as exc:
        reason = _reason(exc, path)
        step = re.match(r"^step ([a-z0-9-]+)\s*:?\s*(.*)$", reason)
        if step:
            ids = [i for i, item in enumerate(data.get("step") or [])
                   if isinstance(item, dict) and item.get("id") == step.group(1)]
            raise _in_table(path, text, "step", ids[0] if ids else 0,
                            ContentError(step.group(2)), "") from None
        raise _fail(path, _line_of(text, reason, 0), reason) from None
    if template.id != PurePosixPath(path).stem:
        raise _fail(path, _key_line(text, "id"), "the id must be the file's name")
    return template


def _support_file(path: str, text: str) -> list[SupportResource]:
    data = _load(path, text)
    try:
        _known_keys(data, {"version", "resource"}, path)
    except ContentError as exc:
        raise _fail(path, 1, _reason(exc, path)) from None
    if data.get("version") != 1:
        raise _fail(path, _key_line(text, "version"), "expected version = 1")
    raw = data.get("resource")
    if not isinstance(raw, list) or not raw:
        raise _fail(path, 1, "expected [[resource]] tables")
    out = []
    for index, item in enumerate(raw):
        try:
            resource = _resource(item, path)
        except ContentError as exc:
            raise _in_table(path, text, "resource", index, exc, path) from None
        if resource.country == INTL:
            line = _header_lines(text, "resource")[index]
            raise _fail(path, line, "a programme's support lines are real lines, not the"
                                    " international placeholder")
        out.append(resource)
    return out


def _epsilon(path: str, text: str, value: Any, key: str, after: int,
             bounds: tuple[float, float]) -> float:
    low, high = bounds
    if type(value) not in (int, float) or not low <= value <= high:
        raise _fail(path, _key_line(text, key, after),
                    f"'{key}' must be a number from {low:g} to {high:g}")
    return float(value)


def _cohort_items(path: str, text: str, raw: Any, after: int) -> tuple[CohortItem, ...]:
    from journal_app.core.records.model import ENCOUNTER_TYPES

    competency = ("understanding", "emotions-of-others", "frameworks", "own-emotions",
                  "palliative-care")
    allowed = {"facet": FACETS, "encounter": ENCOUNTER_TYPES, "assessment": competency}
    if not isinstance(raw, list) or not 0 < len(raw) <= MAX_COHORT_ITEMS:
        raise _fail(path, after, f"a rotation has 1 to {MAX_COHORT_ITEMS} [[rotation.item]]"
                                 " tables")
    lines = [n for n in _header_lines(text, "rotation.item") if n > after]
    out: list[CohortItem] = []
    for index, item in enumerate(raw):
        line = lines[index] if index < len(lines) else after
        if not isinstance(item, dict):
            raise _fail(path, line, "a [[rotation.item]] must be a table")
        try:
            _known_keys(item, {"id", "label", *_ITEM_KINDS}, path)
            item_id = _id(item, path)
        except ContentError as exc:
            raise _fail(path, line, _reason(exc, path)) from None
        label = item.get("label")
        if not isinstance(label, str) or not 0 < len(label.strip()) <= 120 or any(
                ord(c) < 32 for c in label):
            raise _fail(path, _key_line(text, "label", line),
                        "'label' must be one line of text, at most 120 characters")
        kinds = [k for k in _ITEM_KINDS if k in item]
        if len(kinds) != 1:
            raise _fail(path, line, "an item names one of facet, encounter or assessment")
        kind = kinds[0]
        if item[kind] not in allowed[kind]:
            raise _fail(path, _key_line(text, kind, line), f"unknown {kind} {item[kind]!r}")
        out.append(CohortItem(item_id, label.strip(), kind, item[kind]))
    if len({i.id for i in out}) != len(out):
        raise _fail(path, after, "item ids repeat in a rotation")
    return tuple(out)


def _lifetime(path: str, text: str) -> float:
    data = _load(path, text)
    value = data.get("lifetime_epsilon", DEFAULT_LIFETIME_EPSILON)
    return _epsilon(path, text, value, "lifetime_epsilon", 0, LIFETIME_RANGE)


#: The longest drop folder a pack may name (longer than any usual path, shorter than a page).
MAX_DROP_FOLDER = 300


def _drop_folder(path: str, text: str) -> str:
    data = _load(path, text)
    if "drop_folder" not in data:
        return ""
    value = data["drop_folder"]
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_DROP_FOLDER or any(
            ord(c) < 32 or ord(c) == 127 for c in value):
        raise _fail(path, _key_line(text, "drop_folder"),
                    f"'drop_folder' must be a folder's path on one line, at most"
                    f" {MAX_DROP_FOLDER} characters")
    return value.strip()


def _rotations_file(path: str, text: str, template_ids: set[str]) -> list[Rotation]:
    data = _load(path, text)
    try:
        _known_keys(data, {"version", "rotation", "lifetime_epsilon", "drop_folder"}, path)
    except ContentError as exc:
        raise _fail(path, 1, _reason(exc, path)) from None
    if data.get("version") != 1:
        raise _fail(path, _key_line(text, "version"), "expected version = 1")
    raw = data.get("rotation")
    if not isinstance(raw, list) or not 0 < len(raw) <= _MAX_ROTATIONS:
        raise _fail(path, 1, f"expected 1 to {_MAX_ROTATIONS} [[rotation]] tables")
    lines = _header_lines(text, "rotation")
    out: list[Rotation] = []
    for index, item in enumerate(raw):
        start_line = lines[index] if index < len(lines) else 1
        if not isinstance(item, dict):
            raise _fail(path, start_line, "a [[rotation]] must be a table")
        try:
            _known_keys(item, {"id", "start", "end", "reflection", "epsilon", "item"}, path)
            rotation_id = _id(item, path)
        except ContentError as exc:
            raise _in_table(path, text, "rotation", index, exc, path) from None
        start, end = item.get("start"), item.get("end")
        for key, value in (("start", start), ("end", end)):
            if not isinstance(value, date) or hasattr(value, "hour"):
                raise _fail(path, _key_line(text, key, start_line), f"'{key}' must be a date")
        assert isinstance(start, date) and isinstance(end, date)
        if end <= start:
            raise _fail(path, _key_line(text, "end", start_line), "'end' must come after 'start'")
        if out and start < out[-1].end:
            raise _fail(path, _key_line(text, "start", start_line),
                        "rotations must be in order and must not overlap")
        reflection = item.get("reflection")
        if reflection is not None:
            if not isinstance(reflection, str) or reflection not in template_ids:
                raise _fail(path, _key_line(text, "reflection", start_line),
                            "'reflection' must name a template of the pack or a shipped one")
            if f"{PACK_PREFIX}{reflection}" in template_ids:
                reflection = f"{PACK_PREFIX}{reflection}"
        epsilon = _epsilon(path, text, item.get("epsilon", DEFAULT_EPSILON), "epsilon",
                           start_line, EPSILON_RANGE)
        items = (_cohort_items(path, text, item["item"], start_line) if "item" in item
                 else ())
        out.append(Rotation(rotation_id, start, end, reflection, epsilon, items))
    if len({r.id for r in out}) != len(out):
        raise _fail(path, 1, "rotation ids repeat")
    return out


def parse_pack(files: Mapping[str, str]) -> Pack:
    """Validate the pack files (relative path -> text) with the shipped content's readers.

    Raises:
        PackInvalidError: naming the file, the line and the reason.
    """
    from journal_app.core.practice.prompts import TEMPLATE_IDS

    if len(files) > MAX_PACK_FILES:
        raise PackInvalidError(f"A content pack holds at most {MAX_PACK_FILES} files.")
    prompts: list[Prompt] = []
    templates: list[Template] = []
    support: list[SupportResource] = []
    for path in sorted(files):
        text = files[path]
        if not _allowed(PurePosixPath(path)) or len(text) > MAX_PACK_FILE:
            raise PackInvalidError(f"{PurePosixPath(path).name}: not a content pack file.")
        if path.startswith("prompts/"):
            prompts.extend(_prompts_file(path, text))
        elif path.startswith("templates/"):
            templates.append(_template_file(path, text))
        elif path == "support.toml":
            support.extend(_support_file(path, text))
    seen: set[str] = set()
    for prompt in prompts:
        if prompt.id in seen:
            raise PackInvalidError(f"The prompt id {prompt.id!r} is used twice in the pack.")
        seen.add(prompt.id)
    if len({r.id for r in support}) != len(support):
        raise PackInvalidError("support.toml: resource ids repeat.")
    rotations: list[Rotation] = []
    lifetime = DEFAULT_LIFETIME_EPSILON
    drop_folder = ""
    if "rotations.toml" in files:
        ids = {*TEMPLATE_IDS, *(t.id for t in templates),
               *(PACK_PREFIX + t.id for t in templates)}
        rotations = _rotations_file("rotations.toml", files["rotations.toml"], ids)
        lifetime = _lifetime("rotations.toml", files["rotations.toml"])
        drop_folder = _drop_folder("rotations.toml", files["rotations.toml"])
    terms = _sharing_file("sharing.toml", files["sharing.toml"]) if "sharing.toml" in files \
        else None
    return Pack(tuple(prompts), tuple(templates), tuple(support), tuple(rotations), lifetime,
                terms, drop_folder)


def _sharing_file(path: str, text: str) -> SharingTerms:
    """``version = 1``, ``formative`` (true or false), ``mentor_may`` and ``mentor_may_not``
    (lists of short sentences) and ``risk_guidance`` (a paragraph); all but the version may be
    left out (the plain default is used for what is)."""
    data = _load(path, text)
    try:
        _known_keys(data, {"version", "formative", "mentor_may", "mentor_may_not",
                           "risk_guidance"}, path)
    except ContentError as exc:
        raise _fail(path, 1, _reason(exc, path)) from None
    if data.get("version") != 1:
        raise _fail(path, _key_line(text, "version"), "expected version = 1")
    formative = data.get("formative", DEFAULT_TERMS.formative)
    if not isinstance(formative, bool):
        raise _fail(path, _key_line(text, "formative"), "expected true or false")
    lists = {}
    for key in ("mentor_may", "mentor_may_not"):
        value = data.get(key, list(getattr(DEFAULT_TERMS, key)))
        if (not isinstance(value, list) or len(value) > 20
                or not all(isinstance(v, str) and 0 < len(v.strip()) <= 300 for v in value)):
            raise _fail(path, _key_line(text, key), "expected a list of up to 20 short sentences")
        lists[key] = tuple(v.strip() for v in value)
    guidance = data.get("risk_guidance", DEFAULT_TERMS.risk_guidance)
    if not isinstance(guidance, str) or not 0 < len(guidance.strip()) <= 2_000:
        raise _fail(path, _key_line(text, "risk_guidance"), "expected a paragraph of text")
    return SharingTerms(formative, lists["mentor_may"], lists["mentor_may_not"],
                        guidance.strip())


@lru_cache(maxsize=8)
def _parse_cached(items: tuple[tuple[str, str], ...]) -> Pack:
    return parse_pack(dict(items))


def pack_of(files: Mapping[str, str]) -> Pack:
    """:func:`parse_pack`, remembered for the last few packs (the library is built often)."""
    return _parse_cached(tuple(sorted(files.items())))


def rotations(pack: Pack, founded: date) -> tuple[Rotation, ...]:
    """The pack's rotations, or the defaults: :data:`DEFAULT_ROTATIONS` of
    :data:`ROTATION_DAYS` days each from ``founded``."""
    if pack.rotations:
        return pack.rotations
    step = timedelta(days=ROTATION_DAYS)
    return tuple(
        Rotation(f"rotation-{n + 1}", founded + n * step, founded + (n + 1) * step)
        for n in range(DEFAULT_ROTATIONS)
    )


def current_rotation(all_rotations: tuple[Rotation, ...], today: date) -> Rotation | None:
    """The rotation ``today`` falls in (start included, end excluded), if any."""
    return next((r for r in all_rotations if r.start <= today < r.end), None)


# ------------------------------------------------------------------------------ the library


def library_with_pack(library: Library, pack: Pack, source: str) -> Library:
    """``library`` with the pack's prompts and templates added after the shipped ones, each
    marked with ``source`` (the programme's name) and given a ``programme-`` id."""
    prompts = [replace(p, id=PACK_PREFIX + p.id, source=source) for p in pack.prompts]
    # The title and the credit (shown on the first step) carry the programme's name, so the
    # picker and the reflection say whose template it is.
    templates = {
        PACK_PREFIX + t.id: replace(
            t, id=PACK_PREFIX + t.id, source=source, title=f"{t.title} · {source}",
            credit=f"From {source}" + (f": {t.credit}" if t.credit else ""))
        for t in pack.templates
    }
    if not prompts and not templates:
        return library
    return replace(
        library,
        prompts=(*library.prompts, *prompts),
        templates={**library.templates, **templates},
        by_id={**library.by_id, **{p.id: p for p in prompts}},
    )


def is_pack_item(library_item_id: str) -> bool:
    return library_item_id.startswith(PACK_PREFIX)


@dataclass(frozen=True)
class AskedReflection:
    """The reflection the programme joined asks for during its current rotation."""

    #: Library id of the template (``programme-<id>`` for the pack's own).
    template_id: str
    programme: str
    rotation: Rotation


def asked_reflection(journal: Journal, today: date) -> AskedReflection | None:
    """The reflection the current rotation of the programme joined asks for, if it names one
    (none when the journal joined no programme, or no rotation is current)."""
    for joined in journal.records(JoinedProgramme)[:1]:
        try:
            pack = pack_of(joined.pack)
        except PackInvalidError:
            return None  # checked when it was joined; a pack this version cannot read
        now_ = current_rotation(rotations(pack, date.fromisoformat(joined.founded)), today)
        if now_ is not None and now_.reflection:
            return AskedReflection(now_.reflection, joined.name, now_)
    return None


def sharing_terms(journal: Journal) -> SharingTerms:
    """What the programme joined says a mentor may and may not do with what is shared, whether
    sharing is formative, and its guidance for a mentor reading distress; the plain
    :data:`DEFAULT_TERMS` without a programme or where its pack says nothing of it."""
    for joined in journal.records(JoinedProgramme)[:1]:
        try:
            terms = pack_of(joined.pack).sharing
        except PackInvalidError:
            break
        if terms is not None:
            return replace(terms, source=joined.name)
    return DEFAULT_TERMS


def programme_support(journal: Journal) -> tuple[str, tuple[SupportResource, ...]]:
    """The name of the programme joined and its pack's support lines (``("", ())`` when it
    joined none), for the support panel beside the shipped lines."""
    for joined in journal.records(JoinedProgramme)[:1]:
        try:
            return joined.name, pack_of(joined.pack).support
        except PackInvalidError:
            break  # checked when it was joined; a pack this version cannot read is left out
    return "", ()
