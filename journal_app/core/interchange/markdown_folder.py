"""A folder of Markdown or text files, one entry per file (Obsidian, iA Writer, a notes folder,
or journal-app's own Markdown export).

Every ``.md``, ``.markdown`` and ``.txt`` file under the folder, recursively and in name order,
becomes an entry. Hidden files and folders (a leading dot: ``.obsidian``, ``.git``, ``.trash``)
are left out. YAML front matter (a ``---`` block on the first line) may give::

    id: 32 hex characters     (journal-app's export: a second import is skipped by id)
    created: 2024-03-01 18:30 (or ``date``; also 2024-03-01, or ISO 8601 with an offset)
    updated, title, tags (a list or "a, b"), starred, mood, energy, stress, encounter,
    emotions (a list of {name, intensity} or "name:3")

Other keys (layout, author, aliases...) are ignored. Without front matter, the date comes from
a date at the start of the file name (``2024-03-01.md``, ``2024-03-01-1830 ward.md``), else from
the file's modification time; the title from a leading ``# heading`` (taken out of the text),
else from the file name. A note from journal-app's own export (front matter with our ``id``) is
taken as it is: a missing key is an empty field, and the text is kept exactly, so export then
import gives the same entries (and a second import skips them by id).

The whole folder is read and checked before anything is returned, so one bad file imports
nothing; its error names the file (relative to the folder) and the line, never its content.
Limits on the number of files, on each file's size and on the total keep a hostile or mistaken
folder (a home folder, a disk image renamed ``.md``) from eating memory.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from journal_app.core.dates import RANGE_TEXT, in_range
from journal_app.core.errors import InvalidDataError
from journal_app.core.interchange.base import MAX_IMPORT_BYTES, Importer
from journal_app.core.interchange.formats import Format, Imports, register
from journal_app.core.records.model import Emotion, Entry, Record

SUFFIXES = (".md", ".markdown", ".txt")
_ID_CHARS = frozenset("0123456789abcdef")
#: A date (and time) at the start of a file name: 2024-03-01, 2024-03-01-1830, 2024-03-01 18.30
_NAME_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ _T-](\d{2})[.:h-]?(\d{2}))?(?=$|[^0-9])"
)
_ATX_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
#: A leading ``# heading`` longer than this stays in the text (it is not a title).
MAX_HEADING_TITLE = 200
#: ``yaml.safe_load``'s loader, in C when PyYAML has libyaml (7 times faster: a thousand notes
#: in 0.4 s instead of 2.7 s). Both build plain data only.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Collections inside collections in one front matter block. Real front matter nests two or three
#: deep; the limit is ours, checked before YAML parses the block, so the message does not depend
#: on which parser (or which release of it) would have stopped first, or how.
MAX_FRONT_MATTER_NESTING = 64
_OPENS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken,
          yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)
_CLOSES = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)
_DATE_HELP = "use 2024-03-01, 2024-03-01 18:30 or 2024-03-01T18:30:00+01:00"


@dataclass(frozen=True)
class Limits:
    """How much of a folder an import reads before refusing it."""

    max_files: int = 20_000
    #: Each file: an entry holds at most 2,000,000 characters (up to 4 bytes each in UTF-8).
    max_file_bytes: int = 8 * 1024 * 1024
    max_total_bytes: int = MAX_IMPORT_BYTES
    #: Folder entries looked at (of any kind), so a huge tree is refused before it is walked.
    max_scanned: int = 200_000
    max_depth: int = 32
    #: PyYAML is pure Python here; real front matter is a few hundred bytes.
    max_front_matter: int = 64 * 1024


def _shown(rel: PurePosixPath | str) -> str:
    """A file name fit for a one-line message: no control characters, no undecodable bytes."""
    text = str(rel)
    text = "".join(
        "?" if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch for ch in text
    )
    if len(text) > 120:
        text = text[:58] + "…" + text[-58:]
    return text


def _problem(where: str, line: int | None, text: str) -> InvalidDataError:
    place = f"{where}, line {line}" if line else where
    return InvalidDataError(f"{place}: {text}; nothing was imported.")


@dataclass
class _Found:
    path: Path
    rel: PurePosixPath


class _Walk:
    """Finds the files to import, refusing links that lead out of the folder."""

    def __init__(self, root: Path, limits: Limits) -> None:
        self.root = root
        self.real_root = Path(os.path.realpath(root))
        self.limits = limits
        self.scanned = 0
        self.found: list[_Found] = []

    def inside(self, target: str) -> bool:
        return Path(target).is_relative_to(self.real_root)

    def run(self) -> list[_Found]:
        self.walk(self.root, PurePosixPath(), 0)
        return self.found

    def walk(self, folder: Path, rel: PurePosixPath, depth: int) -> None:
        shown = _shown(rel) if rel.parts else self.root.name or str(self.root)
        try:
            with os.scandir(folder) as listing:
                items = sorted(listing, key=lambda item: item.name)
        except OSError:
            raise InvalidDataError(
                f"The folder {shown} cannot be read; nothing was imported."
            ) from None
        for item in items:
            self.scanned += 1
            if self.scanned > self.limits.max_scanned:
                raise InvalidDataError(
                    f"The folder holds more than {self.limits.max_scanned:,} files and folders; "
                    "import a smaller folder. Nothing was imported."
                )
            if item.name.startswith("."):
                continue  # hidden: an app's settings (.obsidian), version control, a trash
            item_rel = rel / item.name
            candidate = item.name.lower().endswith(SUFFIXES)
            try:
                if item.is_symlink():
                    self.check_link(item, item_rel, candidate)
                    continue
                if item.is_dir(follow_symlinks=False):
                    if depth + 1 > self.limits.max_depth:
                        raise InvalidDataError(
                            f"{_shown(item_rel)}: folders are nested more than "
                            f"{self.limits.max_depth} deep; nothing was imported."
                        )
                    self.walk(Path(item.path), item_rel, depth + 1)
                elif candidate:
                    self.found.append(_Found(Path(item.path), item_rel))
                    if len(self.found) > self.limits.max_files:
                        raise InvalidDataError(
                            f"The folder holds more than {self.limits.max_files:,} notes; "
                            "import it a part at a time. Nothing was imported."
                        )
            except OSError:
                raise _problem(_shown(item_rel), None, "it cannot be read") from None

    def check_link(self, item: os.DirEntry[str], rel: PurePosixPath, candidate: bool) -> None:
        """A link is never followed: one to a place inside the folder is read where it points
        (so nothing is imported twice); one that leads out of the folder, to a note or a folder,
        is refused (a hostile folder must not make us read ~/.ssh into the journal)."""
        target = os.path.realpath(item.path)
        if self.inside(target):
            return
        if candidate or os.path.isdir(target):
            raise _problem(
                _shown(rel), None,
                "it is a link to a place outside the folder you chose (import that place "
                "on its own, or copy the file in)",
            )
        # A link to an image or other file we would not import anyway: nothing to refuse.


def _read(found: _Found, limits: Limits) -> tuple[bytes, float]:
    """The file's bytes and modification time, without following links or blocking on FIFOs."""
    where = _shown(found.rel)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(found.path, flags)
    except OSError:
        raise _problem(where, None, "it cannot be read") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _problem(where, None, "it is not a regular file")
        if info.st_size > limits.max_file_bytes:
            raise _problem(
                where, None,
                f"it is larger than {limits.max_file_bytes // (1024 * 1024)} MB "
                "(an entry holds at most 2,000,000 characters)",
            )
        chunks: list[bytes] = []
        size = 0
        while size <= limits.max_file_bytes:
            chunk = os.read(fd, 1024 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limits.max_file_bytes:  # it grew while we read it
            raise _problem(where, None, "it is too large")
        return b"".join(chunks), info.st_mtime
    except OSError:
        raise _problem(where, None, "it cannot be read") from None
    finally:
        os.close(fd)


def _decode(data: bytes, where: str) -> str:
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise _problem(where, line, "it is not a text file (it holds binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _problem(where, line, "it is not UTF-8 text (save it as UTF-8, then try again)"
                       ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_front_matter(text: str, where: str, limits: Limits) -> tuple[str | None, str, int]:
    """``(front matter or None, body, line the body starts on)``.

    A first line of ``---`` opens front matter only when a later ``---`` (or ``...``) line
    closes it; otherwise the file is all text (it may start with a Markdown rule).
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for number in range(1, len(lines)):
        if lines[number].rstrip() in ("---", "..."):
            block = "\n".join(lines[1:number])
            if len(block) > limits.max_front_matter:
                raise _problem(
                    where, 1,
                    f"the front matter is longer than {limits.max_front_matter // 1024} KB",
                )
            return block, "\n".join(lines[number + 1 :]), number + 2
    return None, text, 1


def _too_deep(block: str) -> int | None:
    """The block's line (from 0) where collections nest deeper than MAX_FRONT_MATTER_NESTING.

    Reads only the token stream (PyYAML's scanner keeps a counter, not a stack, so this cannot
    run out of stack itself). A block the scanner cannot read is left to the parser, which
    reports where it is invalid.
    """
    depth = 0
    try:
        for token in yaml.scan(block, Loader=yaml.SafeLoader):
            if isinstance(token, _OPENS):
                depth += 1
                if depth > MAX_FRONT_MATTER_NESTING:
                    return int(token.start_mark.line)
            elif isinstance(token, _CLOSES):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _load_yaml(block: str, where: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The front matter as a dict, and the file line of each top-level key.

    ``SafeLoader`` (or its C twin) is what ``yaml.safe_load`` uses: plain data only, no Python
    objects (``!!python/object`` is an error). The two steps of ``safe_load`` are run here by
    hand only to keep the node tree, for line numbers.
    """
    first = 2  # the line after the opening ---
    deep = _too_deep(block)
    if deep is not None:
        raise _problem(where, first + deep, "the front matter is nested too deeply")
    loader: yaml.SafeLoader | None = None
    try:
        loader = _SAFE_LOADER(block)  # checks the characters of the whole block first
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first + mark.line if mark is not None else first
        # At the end of the block (an unclosed bracket) libyaml points past its last line.
        line = min(line, first + block.count("\n"))
        raise _problem(where, line, "the front matter is not valid YAML") from None
    except yaml.YAMLError as exc:  # e.g. a control character in the stream
        position = getattr(exc, "position", None)
        line = first + block.count("\n", 0, position) if isinstance(position, int) else first
        raise _problem(where, line, "the front matter is not valid YAML") from None
    except RecursionError:  # not reached past _too_deep; kept so no parser can crash us
        raise _problem(where, first, "the front matter is nested too deeply") from None
    except (ValueError, OverflowError, TypeError):
        # An impossible date (2024-02-30), an integer beyond Python's limit on digits.
        raise _problem(where, first, "the front matter is not valid YAML") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise _problem(where, first, "the front matter is not a list of 'key: value' lines")
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value not in lines:
                lines[str(key_node.value)] = first + key_node.start_mark.line
    return {k: v for k, v in data.items() if isinstance(k, str)}, lines


def _local(value: datetime) -> datetime:
    """An aware datetime: a time without an offset is local time on this machine."""
    return value if value.tzinfo is not None else value.astimezone()


class _OutOfRange(ValueError):
    """A date, but not in the years a record may carry."""


def _as_datetime(value: Any) -> datetime:
    """Raises ValueError, OverflowError or OSError for what is not a date we can read."""
    if isinstance(value, datetime):
        when = _local(value)
    elif isinstance(value, date):
        when = datetime.combine(value, time()).astimezone()
    elif isinstance(value, str) and len(value.strip()) <= 40:
        text = value.strip()
        if text.endswith(("z", "Z")):
            text = text[:-1] + "+00:00"
        when = _local(datetime.fromisoformat(text))
    else:
        raise ValueError("not a date")
    if not in_range(when):
        # Year 1 or 9999 overflow when shown in another time zone; nobody journals there.
        raise _OutOfRange()
    return when


class _Shape(Exception):
    """A front matter value of the wrong shape; the text completes "<key> ..."."""


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _Shape("must be text")


def _as_labels(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.split(",") if part.strip()]
    if isinstance(value, list) and not any(isinstance(v, list | dict | bool) for v in value):
        return [_as_text(item) for item in value]
    raise _Shape("must be a list of words")


def _as_emotions(value: Any) -> list[Emotion]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Shape("must be a list of names with an intensity")
    out = []
    for item in value:
        if isinstance(item, str):
            out.append(Emotion.parse(item))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            intensity = item.get("intensity", 3)
            if isinstance(intensity, bool) or not isinstance(intensity, int):
                raise _Shape("intensity must be a whole number from 1 to 5")
            out.append(Emotion(item["name"], intensity))
        else:
            raise _Shape("must be a list of names with an intensity")
    return out


def _as_number(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise _Shape("must be a whole number")


def _as_flag(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raise _Shape("must be true or false")


def _as_encounter(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    raise _Shape("must be one of the encounter types")


_FIELDS: dict[str, tuple[str, Any]] = {
    # front matter key: (Entry field, converter)
    "title": ("title", _as_text),
    "tags": ("tags", _as_labels),
    "starred": ("starred", _as_flag),
    "mood": ("mood", _as_number),
    "energy": ("energy", _as_number),
    "stress": ("stress", _as_number),
    "encounter": ("encounter", _as_encounter),
    "emotions": ("emotions", _as_emotions),
}


def _fields_from(meta: dict[str, Any], lines: dict[str, int], where: str) -> dict[str, Any]:
    """Entry fields from front matter, each checked by the Entry model itself, so an error
    names the line of its key."""
    fields: dict[str, Any] = {}
    for key, (name, convert) in _FIELDS.items():
        if key not in meta:
            continue
        line = lines.get(key, 2)
        try:
            value = convert(meta[key])
            Entry(**{name: value})  # the model's own checks (ranges, lengths, encounter types)
        except _Shape as exc:
            raise _problem(where, line, f"{key} {exc}") from None
        except ValueError as exc:  # the model's own sentence: names the field, not the value
            raise _problem(where, line, str(exc)) from None
        fields[name] = value
    for key, name in (("created", "created"), ("date", "created"), ("updated", "updated")):
        if key not in meta or name in fields:
            continue
        try:
            fields[name] = _as_datetime(meta[key])
        except _OutOfRange:
            raise _problem(where, lines.get(key, 2), f"{key} is not {RANGE_TEXT}") from None
        except (ValueError, OverflowError, OSError):
            raise _problem(
                where, lines.get(key, 2), f"{key} is not a date journal-app can read ({_DATE_HELP})"
            ) from None
    record_id = meta.get("id")
    # journal-app's own export; other tools' ids (numbers, slugs) are not ours and are ignored.
    if isinstance(record_id, str) and len(record_id) == 32 and set(record_id.lower()) <= _ID_CHARS:
        fields["id"] = record_id.lower()
    return fields


def _date_from_name(stem: str) -> tuple[datetime | None, bool]:
    """A date and time at the start of a file name, and whether the name is nothing else."""
    match = _NAME_DATE.match(stem)
    if match is None:
        return None, False
    year, month, day, hour, minute = match.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        when = when.astimezone()
    except (ValueError, OverflowError, OSError):
        return None, False
    if not in_range(when):
        return None, False
    rest = stem[match.end() :].strip(" -_")
    return when, not rest


def _title_from_heading(body: str) -> tuple[str, str] | None:
    """A leading ``# heading`` as the title, and the text without it."""
    lines = body.split("\n")
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        match = _ATX_H1.match(line)
        if match is None or len(match.group(1)) > MAX_HEADING_TITLE:
            return None
        return match.group(1).strip(), "\n".join(lines[number + 1 :])
    return None


def parse_note(
    data: bytes, rel: PurePosixPath, mtime: float, limits: Limits | None = None
) -> Entry:
    """One file's bytes as an entry. Raises InvalidDataError naming ``rel`` and the line."""
    limits = limits or Limits()
    where = _shown(rel)
    text = _decode(data, where)
    block, body, body_line = _split_front_matter(text, where, limits)
    meta, lines = _load_yaml(block, where) if block is not None else ({}, {})
    fields = _fields_from(meta, lines, where)
    try:
        modified: datetime | None = (
            datetime.fromtimestamp(mtime).astimezone().replace(microsecond=0))
    except (ValueError, OverflowError, OSError):
        modified = None  # a bogus file date: fine if the front matter or the name gives one
    if modified is not None and not in_range(modified):
        modified = None
    stem = PurePosixPath(rel.name).stem
    named, only_date = _date_from_name(stem)
    if "created" not in fields:
        created = named or modified
        if created is None:
            raise _problem(where, None, "it has no date in its front matter or name, and its "
                                        "modification date cannot be read")
        fields["created"] = created
    if "updated" not in fields:
        latest = [fields["created"], *([modified] if modified is not None else [])]
        fields["updated"] = max(latest, key=lambda d: d.timestamp())
    # journal-app's own export (its front matter carries our id) leaves empty fields out and
    # writes the text as it is: no title is made up, and only the export's framing is undone
    # (the blank line after the front matter, the line end it adds at the end).
    ours = "id" in fields
    if ours:
        fields.setdefault("title", "")
        body = body.removeprefix("\n").removesuffix("\n")
    else:
        body = body.strip("\n")
    if "title" not in fields:
        found = _title_from_heading(body)
        if found is not None:
            fields["title"], body = found[0], found[1].strip("\n")
        elif only_date:
            fields["title"] = ""  # a daily note named by its date: the list shows its first line
        else:
            fields["title"] = unicodedata.normalize("NFC", stem).strip()[:MAX_HEADING_TITLE]
    try:
        return Entry(body=body, **fields)
    except ValueError as exc:
        raise _problem(where, body_line, str(exc)) from None


class MarkdownFolderImporter(Importer):
    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()

    def parse(self, path: Path) -> list[Record]:
        root = Path(path)
        shown = _shown(root.name or str(root))
        if not root.exists():
            raise InvalidDataError(f"{shown} does not exist; nothing was imported.")
        if not root.is_dir():
            raise InvalidDataError(
                f"{shown} is a file, not a folder: choose the folder that holds your notes."
            )
        found = _Walk(root, self.limits).run()
        if not found:
            raise InvalidDataError(
                f"{shown} holds no Markdown or text files (.md, .markdown, .txt); "
                "nothing was imported."
            )
        records: list[Record] = []
        total = 0
        for item in found:
            data, mtime = _read(item, self.limits)
            total += len(data)
            if total > self.limits.max_total_bytes:
                raise InvalidDataError(
                    f"The folder holds more than {self.limits.max_total_bytes // (1024 * 1024)} "
                    "MB of notes; import it a part at a time. Nothing was imported."
                )
            records.append(parse_note(data, item.rel, mtime, self.limits))
        return records


register(Format(
    "markdown", "Markdown folder", order=40,
    imports=Imports(
        MarkdownFolderImporter,
        label="Folder of Markdown or text files (.md, .markdown, .txt)",
        hint=("Every .md, .markdown and .txt file in the folder and its sub-folders becomes an"
              " entry. Dates, titles and tags come from YAML front matter when a file has it,"
              " otherwise from the file's name and date. Hidden files are left out."),
        help="a folder of .md, .markdown or .txt files", reads_folder=True),
))
