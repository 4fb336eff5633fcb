"""Day One's JSON export: a zip with one ``<Journal name>.json`` per journal and a media folder.

``{"metadata": {"version": "1.0"}, "entries": [{"uuid", "creationDate": "2024-03-01T18:30:00Z",
"modifiedDate", "timeZone": "Europe/Berlin", "text": Markdown, "richText", "tags": [...],
"starred": bool, "photos": [{"identifier", "md5", "type": "jpeg", "orderInEntry", ...}],
"videos", "audios", "pdfAttachments", "location", "weather", ...}]}``. Photos are files
``photos/<md5>.<type>`` beside the JSON file (Day One's "md5" is its own file key, not always
the MD5 of the bytes, so it is only used to find the file). The text places media with
``![](dayone-moment://<identifier>)`` (photos) or ``![](dayone-moment:/video/<identifier>)``
(also ``/audio/`` and ``/pdfAttachment/``).

What is kept: the date in the entry's own time zone (an aware datetime with that zone's offset
at that moment, which is how the app assigns days), the modification date, tags, starred, the
text with Day One's extra backslash escapes undone, and photos as attachments (each moment link
becomes ``[Photo: <name>]``, naming the attachment shown under the entry). Day One has no
title field: the first line of the text is the title, as it is for any entry without a title.
Videos, audio and PDFs are not kept (journal-app keeps images); their links become a note in
the text and the import says how many were left out. So are photos above the size limit or
of another type. Location and weather are left out.

The export is read in memory and never unpacked to disk. A zip that could not be a Day One
export (a name that climbs out of the folder, a member that inflates more than a hundredfold,
more than a gigabyte in all, a damaged or encrypted member), JSON that is not UTF-8 or not of
this shape, or a photo the JSON lists that is not in the zip, stops the import with one plain
sentence naming the file inside the zip (and the line or entry where it can), before anything
is written. A folder (macOS unpacks downloaded zips) and a lone JSON file are read the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

from journal_app.core.dates import RANGE_TEXT, in_range
from journal_app.core.errors import InvalidDataError
from journal_app.core.interchange.base import MAX_IMPORT_BYTES, Importer
from journal_app.core.interchange.formats import Format, Imports, register
from journal_app.core.records.attachments import (
    KINDS_TEXT,
    MAX_ATTACHMENT_BYTES,
    MEDIA_TYPES,
    AttachmentRefusedError,
    check_attachment,
    clean_name,
)
from journal_app.core.records.model import (
    MAX_BODY,
    Attachment,
    AttachmentData,
    Entry,
    Record,
    new_id,
)

#: Everything in the export together, uncompressed. Photos hardly compress, so this is about
#: the size of the zip; it bounds the memory an import can take.
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 100_000
#: A member that inflates more than this many times (and to more than a megabyte) is a bomb:
#: JSON compresses about tenfold, photos hardly at all.
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024

_MOMENT = re.compile(
    r"!\[[^\]\n]{0,200}\]\(dayone-moment:/{1,2}(?:(photo|video|audio|pdfAttachment)/)?"
    r"([A-Za-z0-9_-]{1,64})\)"
)
_HEX = re.compile(r"[0-9A-Fa-f]{1,64}")
_EXT = re.compile(r"[A-Za-z0-9]{1,10}")
_OTHER_MEDIA = {"videos": "video", "audios": "audio", "pdfAttachments": "pdfAttachment"}
_MEDIA_WORDS = {"video": "Video", "audio": "Audio recording", "pdfAttachment": "PDF"}


# ============================================================================ reading the export


def _shown(name: str) -> str:
    """A member name fit for a message: printable, at most 80 characters."""
    text = "".join(ch if ch.isprintable() else "?" for ch in name)
    return text if len(text) <= 80 else text[:77] + "..."


def _safe_member(name: str) -> bool:
    """A relative POSIX name that stays inside the export (nothing is written from it, but a
    zip with such names is not one Day One made)."""
    if not name or "\x00" in name or "\\" in name or re.match(r"^[A-Za-z]:", name):
        return False
    parts = name.removesuffix("/").split("/")  # a folder's name ends with "/"
    return not any(part in ("", ".", "..") for part in parts)


class _Source:
    """The files of an export: a zip, a folder, or a lone JSON file."""

    label: str

    def names(self) -> list[str]:
        raise NotImplementedError

    def read(self, name: str, limit: int) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _ZipSource(_Source):
    def __init__(self, path: Path) -> None:
        self.label = path.name
        self._zip = zipfile.ZipFile(path)
        try:
            self._check()
        except BaseException:
            self._zip.close()
            raise

    def _fail(self, what: str) -> InvalidDataError:
        return InvalidDataError(f"{self.label}: {what}; nothing was imported.")

    def _check(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self._fail("the zip holds too many files to be a Day One export")
        seen: set[str] = set()
        total = 0
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            if not _safe_member(name):
                raise self._fail(f"the zip holds a file with an unsafe name ({_shown(name)})")
            if name in seen:
                raise self._fail(f"the zip holds {_shown(name)} twice")
            seen.add(name)
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise self._fail(f"{_shown(name)} in the zip is encrypted")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise self._fail("the zip unpacks to more than 1 GB, too much to import at once")
            if info.file_size > RATIO_FLOOR and \
                    info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise self._fail(f"{_shown(name)} in the zip inflates suspiciously (a zip bomb?)")
            self._infos[name] = info

    def names(self) -> list[str]:
        return list(self._infos)

    def read(self, name: str, limit: int) -> bytes:
        info = self._infos[name]
        if info.file_size > limit:
            raise _TooLarge(name)
        try:
            with self._zip.open(info) as fh:
                # zipfile never returns more than the declared size and checks the CRC at the
                # end; reading one byte more makes it reach the end.
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError):
            raise self._fail(f"{_shown(name)} in the zip is damaged") from None
        if len(data) > limit:
            raise _TooLarge(name)
        return data

    def close(self) -> None:
        self._zip.close()


class _FolderSource(_Source):
    """An unpacked export. Symbolic links are not followed: everything read is in the folder."""

    def __init__(self, path: Path) -> None:
        self.label = path.name
        self._root = path
        self._files: dict[str, int] = {}
        total = 0
        for dirpath, dirs, files in os.walk(path, followlinks=False):
            for name in files:
                full = Path(dirpath) / name
                try:
                    st = full.lstat()
                except OSError:
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue  # links, sockets, devices
                rel = full.relative_to(path).as_posix()
                self._files[rel] = st.st_size
                total += st.st_size
                if len(self._files) > MAX_MEMBERS or total > MAX_TOTAL_BYTES:
                    raise InvalidDataError(
                        f"{self.label} holds too much to be a Day One export; nothing was imported."
                    )
            dirs.sort()

    def names(self) -> list[str]:
        return list(self._files)

    def read(self, name: str, limit: int) -> bytes:
        if self._files[name] > limit:
            raise _TooLarge(name)
        try:
            fd = os.open(self._root / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError:
            raise InvalidDataError(
                f"{self.label}: {_shown(name)} cannot be read; nothing was imported."
            ) from None
        if len(data) > limit:
            raise _TooLarge(name)
        return data


class _FileSource(_Source):
    """A lone journal JSON file (photos it lists cannot be found, and are reported missing)."""

    def __init__(self, path: Path) -> None:
        self.label = path.name
        self._path = path

    def names(self) -> list[str]:
        return [self._path.name]

    def read(self, name: str, limit: int) -> bytes:
        try:
            with open(self._path, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError:
            raise InvalidDataError(f"{self.label} cannot be read; nothing was imported.") from None
        if len(data) > limit:
            raise _TooLarge(name)
        return data


class _TooLarge(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _open_source(path: Path) -> _Source:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InvalidDataError(f"{path.name} does not exist.") from None
    except OSError:
        raise InvalidDataError(f"{path.name} cannot be read.") from None
    if stat.S_ISDIR(st.st_mode):
        return _FolderSource(path)
    if st.st_size > MAX_IMPORT_BYTES:
        raise InvalidDataError(f"{path.name} is too large to import.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        raise InvalidDataError(f"{path.name} cannot be read.") from None
    if head.startswith(b"PK"):
        try:
            return _ZipSource(path)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError):
            raise InvalidDataError(
                f"{path.name} is a damaged zip file; nothing was imported."
            ) from None
    return _FileSource(path)


# ============================================================================ text


def _zone(name: Any) -> tzinfo | None:
    """The time zone Day One recorded: an IANA name, or ``GMT+0530``-style fixed offsets."""
    if not isinstance(name, str) or not 0 < len(name) <= 64:
        return None
    fixed = re.fullmatch(r"(?:GMT|UTC)(?:([+-])(\d{1,2}):?(\d{2})?)?", name)
    if fixed:
        sign, hours, minutes = fixed.groups()
        if sign is None:
            return UTC
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if offset >= timedelta(hours=24):
            return None
        return timezone(offset if sign == "+" else -offset)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _instant(value: Any) -> datetime | None:
    """A Day One date (ISO 8601, UTC with ``Z``) as an aware datetime; None if it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _in_zone(moment: datetime, zone: tzinfo | None) -> datetime | None:
    """``moment`` in ``zone`` (the local zone when Day One gave none we know), with a fixed
    offset: what the vault stores and what assigns the entry to a day. None for a date outside
    the years a record may carry: year 1 or 9999 in a far zone is not even a date."""
    if not in_range(moment):
        return None
    try:
        local = moment.astimezone(zone) if zone is not None else moment.astimezone()
    except (OverflowError, OSError, ValueError):
        return None
    offset = local.utcoffset()
    assert offset is not None
    return local.replace(tzinfo=timezone(offset)) if in_range(local) else None


#: Backslash escapes Day One writes before punctuation that needs none here. Other escapes
#: (``\\ \* \_ \` \[ \] \{ \} \| \< \&``) mean something to Markdown and stay.
_UNESCAPE = set(".!-+()#>=~:,;?'\"$%@^/")
#: Where a line's content begins, after the marks of the blocks it is in (quotes, list items).
#: A "{" not escaped (after an even number of backslashes): it may open attributes.
_ATTR_OPEN = re.compile(r"(?<!\\)(?:\\\\)*\{")
_BLOCK_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-+*:](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*")


def _opens_block(mark: str, rest: str) -> bool:
    """Whether ``mark`` at the start of a line's content, followed by ``rest``, would start a
    block (heading, quote, list item, rule, setext underline, fence, definition)."""
    if mark in "#>":
        return True
    plain = rest.replace("\\", "")
    if mark in "-+=" and not plain.strip(f" \t{mark}"):
        return True  # a rule or a setext underline
    if mark == "~":
        return plain.startswith("~~")
    return mark in "-+:" and (not rest or rest[0] in " \t")


def _unescape_run(text: str, content_start: int) -> str:
    """Undo escapes in a run of text that holds no code. ``content_start`` is where the line's
    content begins in this run (after quote and list marks), or -1 if the run does not begin
    the line. Each test reads the source text in place, so a long line costs linear time."""
    out: list[str] = []
    i = 0
    n = len(text)
    closing = len(text.rstrip(" \t#\\"))  # from here on only a heading's closing marks
    opening = content_start  # up to here a heading's opening marks
    while 0 <= opening < n and text[opening] == "#":
        opening += 1
    while i < n:
        ch = text[i]
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        mark = text[i + 1]
        keep = (
            mark not in _UNESCAPE
            or (i == content_start and _opens_block(mark, text[i + 2:]))
            # "1\." and "1\)" would start an ordered list
            or (mark in ".)" and 0 <= content_start < i <= content_start + 9
                and text[content_start:i].isascii() and text[content_start:i].isdigit())
            or (mark == "!" and text[i + 2:i + 3] == "[")  # "\![" would start an image
            or (mark == "(" and i > 0 and text[i - 1] == "]")  # "]\(" would finish a link
            or (mark == "#" and i + 2 >= closing)  # a heading's closing marks
            or (mark == "#" and 0 <= content_start < i <= opening)
        )
        out.append(text[i:i + 2] if keep else mark)
        i += 2
    return "".join(out)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where the inline code spans of one paragraph are, as the app's Markdown renderer finds
    them: its own backtick processor is run over the text (so the rules follow the installed
    Python-Markdown, not an imitation of it)."""
    processor = BacktickInlineProcessor(BACKTICK_RE)
    pattern = processor.getCompiledRegExp()
    spans: list[tuple[int, int]] = []
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        node, start, end = processor.handleMatch(match, text)
        if start is None or end is None or end <= match.start():
            pos = match.end()
            continue
        if node is not None and not isinstance(node, str):
            spans.append((start, end))
        pos = end
    return spans


def _leave_line(line: str) -> bool:
    """Lines whose escapes all stay: indented code (a backslash there is text); lines with a
    tab (its width depends on the columns before it, so taking out a backslash could turn
    trailing white space into a line break); lines that would become a rule or a setext
    underline; lines with a "{" that may hold attributes (attr_list reads them differently)."""
    marks = set(line.replace("\\", "").replace(" ", ""))
    return (line.startswith("    ") or "\t" in line or marks in ({"-"}, {"="})
            or _ATTR_OPEN.search(line) is not None)


def _undo_paragraph(text: str) -> str:
    """Undo escapes in one paragraph (no blank line, no fence), outside code spans."""
    keep = _code_spans(text)
    starts: list[int] = []
    offset = 0
    for line in text.split("\n"):
        starts.append(offset)
        if "\\" in line and _leave_line(line):
            keep.append((offset, offset + len(line)))
        offset += len(line) + 1
    keep.sort()
    out: list[str] = []
    pos = 0
    for start, end in [*keep, (len(text), len(text))]:
        if start > pos:
            # Each line of the gap, with where its content begins if the gap begins it.
            for number, line in enumerate(text[pos:start].split("\n")):
                if number:
                    out.append("\n")
                begins_line = number > 0 or pos == 0 or text[pos - 1] == "\n"
                if "\\" not in line:
                    out.append(line)
                    continue
                prefix = _BLOCK_PREFIX.match(line)
                first = prefix.end() if begins_line and prefix is not None else -1
                out.append(_unescape_run(line, first))
        out.append(text[max(start, pos):end])
        pos = max(pos, end)
    return "".join(out)


def undo_escapes(text: str) -> str:
    """Day One's Markdown with its needless backslash escapes undone (``3\\.5`` → ``3.5``,
    ``Wow\\!`` → ``Wow!``), keeping real Markdown and the escapes Markdown needs. Fenced code,
    indented code and code spans are left as they are: a backslash there is text. Where it is
    unsure, an escape is kept (it renders the same).

    Raises nothing; the result renders as the input does (the tests compare Python-Markdown's
    HTML of both).
    """
    lines = text.split("\n")
    out: list[str] = []
    paragraph: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if paragraph:
            out.append(_undo_paragraph("\n".join(paragraph)))
            paragraph.clear()

    for line in lines:
        opener = re.match(r" {0,3}(`{3,}|~{3,})", line)
        if fence is not None:
            out.append(line)
            if line.rstrip(" ") == fence:
                fence = None
        elif opener:
            flush()
            fence = opener.group(1)
            out.append(line)
        elif not line.strip():
            flush()
            out.append(line)
        else:
            paragraph.append(line)
    flush()
    return "\n".join(out)  # paragraphs are joined lines themselves


def _label(name: str) -> str:
    """An attachment name as text inside ``[Photo: ...]``: without brackets, code or HTML
    marks, and with emphasis marks escaped unless they sit inside a word (``IMG_0421``)."""
    text = re.sub(r"[\[\]`\\<>|]", "", name).strip()
    text = text.replace("*", "\\*")
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text) or "photo"


# ============================================================================ the importer


@dataclass
class _Photo:
    identifier: str
    attachment: Attachment
    blob: AttachmentData


Fail = Callable[[str], InvalidDataError]


@dataclass
class _Parsed:
    records: list[Record] = field(default_factory=list)
    left_out_media: int = 0
    left_out_photos: int = 0


class DayOneImporter(Importer):
    def __init__(self) -> None:
        self._notes: list[str] = []

    def notes(self) -> list[str]:
        return list(self._notes)

    def parse(self, path: Path) -> list[Record]:
        source = _open_source(path)
        try:
            parsed = _Parsed()
            names = source.names()
            journals = sorted(n for n in names if n.lower().endswith(".json")
                              and not n.startswith(("__MACOSX/", "._")) and "/._" not in n)
            if not journals:
                raise InvalidDataError(
                    f"{source.label} holds no Day One journal (a .json file); nothing was imported."
                )
            by_lower = {n.lower(): n for n in names}
            for member in journals:
                self._parse_journal(source, member, by_lower, parsed)
        except _TooLarge as exc:
            raise InvalidDataError(
                f"{source.label}: {_shown(exc.name)} is too large to import; nothing was imported."
            ) from None
        finally:
            source.close()
        self._notes = []
        if parsed.left_out_media:
            self._notes.append(
                f"{parsed.left_out_media} video(s), audio recording(s) or PDF(s) were not "
                "imported: journal-app keeps images only. The text says where each one was."
            )
        if parsed.left_out_photos:
            self._notes.append(
                f"{parsed.left_out_photos} photo(s) were not imported: larger than "
                f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB, or not {KINDS_TEXT}."
            )
        return parsed.records

    # ---------------------------------------------------------------- one journal file

    def _parse_journal(self, source: _Source, member: str, by_lower: dict[str, str],
                       parsed: _Parsed) -> None:
        where = f"{source.label}: {_shown(member)}" if source.label != member else member
        data = source.read(member, MAX_JSON_BYTES)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InvalidDataError(
                f"{where} is not UTF-8 text (line {line}); nothing was imported."
            ) from None
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidDataError(
                f"{where} is not valid JSON (line {exc.lineno}); nothing was imported."
            ) from None
        except (RecursionError, ValueError):
            raise InvalidDataError(f"{where} is not valid JSON; nothing was imported.") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list) \
                or not isinstance(doc.get("metadata", {}), dict):
            raise InvalidDataError(
                f"{where} is not a Day One journal (no list of entries); nothing was imported."
            )
        for number, item in enumerate(doc["entries"], start=1):
            def fail(what: str, number: int = number) -> InvalidDataError:
                return InvalidDataError(f"{where}, entry {number}: {what}; nothing was imported.")

            if not isinstance(item, dict):
                raise fail("not an object")
            self._parse_entry(source, member, item, by_lower, parsed, fail)

    def _parse_entry(self, source: _Source, member: str, item: dict[str, Any],
                     by_lower: dict[str, str], parsed: _Parsed, fail: Fail) -> None:
        created_utc = _instant(item.get("creationDate"))
        if created_utc is None:
            raise fail("creationDate is missing or not a date")
        modified_utc = _instant(item["modifiedDate"]) if "modifiedDate" in item else created_utc
        if modified_utc is None:
            raise fail("modifiedDate is not a date")
        text, tags, starred = item.get("text", ""), item.get("tags", []), item.get("starred", False)
        if not isinstance(text, str):
            raise fail("text is not text")
        if len(text) > MAX_BODY:
            raise fail("the text is too long")
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise fail("tags is not a list of words")
        if not isinstance(starred, bool):
            raise fail("starred is not true or false")
        zone = _zone(item.get("timeZone"))
        created = _in_zone(created_utc, zone)
        if created is None:
            raise fail(f"creationDate is not {RANGE_TEXT}")
        modified = _in_zone(modified_utc, zone)
        if modified is None:
            raise fail(f"modifiedDate is not {RANGE_TEXT}")
        updated = max(modified, created)
        entry_id = new_id()

        photos: list[_Photo] = []
        for kind_key in ("photos", *_OTHER_MEDIA):
            if not isinstance(item.get(kind_key, []), list):
                raise fail(f"{kind_key} is not a list")
        photo_items = item.get("photos", [])
        if not all(isinstance(p, dict) for p in photo_items):
            raise fail("a photo is not an object")
        ordered = sorted(enumerate(photo_items), key=lambda pair: (
            pair[1].get("orderInEntry") if type(pair[1].get("orderInEntry")) is int
            else pair[0], pair[0]))
        for count, (_index, photo) in enumerate(ordered, start=1):
            found = self._read_photo(source, member, photo, count, by_lower, fail, entry_id,
                                     created)
            if found is None:
                parsed.left_out_photos += 1
            else:
                photos.append(found)
        by_identifier = {p.identifier: p for p in photos}
        others: dict[str, str] = {}
        for kind_key, kind in _OTHER_MEDIA.items():
            for media in item.get(kind_key, []):
                if isinstance(media, dict) and isinstance(media.get("identifier"), str):
                    others[media["identifier"]] = kind
                parsed.left_out_media += 1

        def moment(match: re.Match[str]) -> str:
            kind, identifier = match.group(1), match.group(2)
            if kind in (None, "photo") and identifier in by_identifier:
                return f"[Photo: {_label(by_identifier[identifier].attachment.name)}]"
            if kind in (None, "photo"):
                return "[Photo not imported]"
            return f"[{_MEDIA_WORDS.get(kind or '', 'Media')} not imported]"

        body = _MOMENT.sub(moment, undo_escapes(text.replace("\r\n", "\n")))
        try:
            entry = Entry(id=entry_id, created=created, updated=updated, title="",
                          body=body.strip("\n"), tags=tuple(tags), starred=starred)
        except ValueError as exc:
            raise fail(str(exc)) from None
        parsed.records.append(entry)
        for found_photo in photos:
            parsed.records.extend((found_photo.attachment, found_photo.blob))

    def _read_photo(self, source: _Source, member: str, photo: dict[str, Any], count: int,
                    by_lower: dict[str, str], fail: Fail, entry_id: str,
                    created: datetime) -> _Photo | None:
        """The photo as an attachment; None when it is too large or not a kept image type.

        Raises:
            InvalidDataError: the photo's description is not valid, or its file is missing.
        """
        identifier, md5 = photo.get("identifier"), photo.get("md5")
        ext = photo.get("type", "jpeg")
        if not isinstance(identifier, str) or not isinstance(md5, str) \
                or not _HEX.fullmatch(md5):
            raise fail(f"photo {count} has no identifier or md5")
        if not isinstance(ext, str) or not _EXT.fullmatch(ext):
            raise fail(f"photo {count} has an unknown type")
        folder = PurePosixPath(member).parent
        wanted = (folder / "photos" / f"{md5}.{ext}").as_posix()
        found = by_lower.get(wanted.lower())
        if found is None:
            raise fail(f"its photo {_shown(wanted)} is not in the export")
        try:
            data = source.read(found, MAX_ATTACHMENT_BYTES)
            media_type = check_attachment(data)
        except (_TooLarge, AttachmentRefusedError):
            return None
        original = photo.get("filename")
        extension = MEDIA_TYPES[media_type][1]
        name = (clean_name(original, media_type) if isinstance(original, str) and original.strip()
                else f"Photo {count}.{extension}")
        blob = AttachmentData(attachment_id=new_id(), data=data)
        attachment = Attachment(
            id=blob.attachment_id, entry_id=entry_id, data_id=blob.id,
            name=unicodedata.normalize("NFC", name), media_type=media_type, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            # Attachments are listed by when they were added: a microsecond apiece keeps
            # Day One's order in the entry.
            created=created + timedelta(microseconds=count - 1),
        )
        return _Photo(identifier, attachment, blob)


register(Format(
    "dayone", "Day One", order=30,
    imports=Imports(
        DayOneImporter, label="Day One JSON export (the .zip, or its unpacked folder)",
        hint="The .zip file Day One makes when you export your journal as JSON.",
        help="the export's zip or folder"),
))
