"""Hostile dates in imported files: year 1 or 9999 shifted by a far time zone, dates no journal
holds, and timestamps no calendar can show. Each is refused with one plain sentence and nothing
is imported; none reaches the vault, where showing it in local time or a day later would
overflow (Python's dates end at years 1 and 9999)."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from journal_app.core.errors import BackupDamagedError, InvalidDataError
from journal_app.core.interchange.dayone import DayOneImporter
from journal_app.core.interchange.jrnl import JrnlJsonImporter
from journal_app.core.interchange.markdown_folder import parse_note
from journal_app.core.interchange.native import NativeJsonImporter
from journal_app.core.practice.trends import mood_calendar
from journal_app.core.records import codec
from journal_app.core.records.model import CheckIn, Entry, Revision, WaitingReflection
from journal_app.core.recovery.backup import MAGIC, create_backup, list_backups, read_header
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal

PLUS_14 = timezone(timedelta(hours=14))
MINUS_12 = timezone(timedelta(hours=-12))

#: Day One dates (UTC, or with an offset) and the zone the entry was written in.
DAYONE_HOSTILE = {
    "year 1, UTC-12": ("0001-01-01T00:00:00Z", "Etc/GMT+12"),
    "year 1, GMT-1200": ("0001-01-01T06:00:00Z", "GMT-1200"),
    "year 1 at +14:00, to UTC-12": ("0001-01-01T10:00:00+14:00", "Etc/GMT+12"),
    "year 1 at +14:00, in UTC": ("0001-01-01T00:00:00+14:00", "UTC"),
    "year 9999, UTC+14": ("9999-12-31T23:59:59Z", "Pacific/Kiritimati"),
    "year 9999 at -12:00, in UTC": ("9999-12-31T23:59:59-12:00", "UTC"),
    "year 9999 at -12:00, to +14": ("9999-12-31T12:00:00-12:00", "GMT+1400"),
    "year 1 in its own zone": ("0001-06-01T00:00:00Z", "Europe/London"),
    "year 9999 in its own zone": ("9999-06-01T00:00:00Z", "Europe/London"),
    "before 1900": ("1899-12-31T12:00:00Z", "UTC"),
    "after 2200": ("2201-01-01T12:00:00Z", "UTC"),
}


def _dayone_zip(path: Path, **fields: Any) -> Path:
    item = {"uuid": "0" * 32, "creationDate": "2024-03-01T18:30:00Z",
            "timeZone": "Europe/Berlin", "text": "a private line", **fields}
    doc = {"metadata": {"version": "1.0"}, "entries": [item]}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Journal.json", json.dumps(doc))
    return path


def _refused(parse: Any, path: Path) -> str:
    with pytest.raises(InvalidDataError) as caught:
        parse(path)
    message = caught.value.message
    assert "\n" not in message and message.endswith("nothing was imported."), message
    assert "a private line" not in message
    return message


@pytest.mark.parametrize("case", DAYONE_HOSTILE)
def test_dayone_creation_dates(tmp_path: Path, case: str) -> None:
    created, zone = DAYONE_HOSTILE[case]
    path = _dayone_zip(tmp_path / "x.zip", creationDate=created, modifiedDate=created,
                       timeZone=zone)
    message = _refused(DayOneImporter().parse, path)
    assert "entry 1" in message and "creationDate" in message


@pytest.mark.parametrize("case", ["year 1, UTC-12", "year 9999, UTC+14"])
def test_dayone_modified_dates(tmp_path: Path, case: str) -> None:
    modified, zone = DAYONE_HOSTILE[case]
    path = _dayone_zip(tmp_path / "x.zip", creationDate="2024-03-01T18:30:00Z",
                       modifiedDate=modified, timeZone=zone)
    assert "modifiedDate" in _refused(DayOneImporter().parse, path)


def test_dayone_dates_at_the_edges_of_the_range_import(tmp_path: Path) -> None:
    path = _dayone_zip(tmp_path / "x.zip", creationDate="1900-01-01T00:00:00Z",
                       modifiedDate="2200-12-31T00:00:00Z", timeZone="Etc/GMT-14")
    [entry] = DayOneImporter().parse(path)
    assert isinstance(entry, Entry)
    assert entry.created == datetime(1900, 1, 1, 14, tzinfo=PLUS_14)
    assert entry.updated == datetime(2200, 12, 31, 14, tzinfo=PLUS_14)


NATIVE_HOSTILE = ["0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-12:00",
                  "9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59-12:00",
                  "1899-12-31T23:59:59+00:00", "2201-01-01T00:00:00+00:00"]


def _native(path: Path, kind: str, data: dict[str, Any]) -> Path:
    doc = {"format": "journal-app", "version": 1, "records": [
        {"id": "a" * 32, "kind": kind, "schema_version": 1, "data": data}]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("when", NATIVE_HOSTILE)
def test_json_entry_dates(tmp_path: Path, when: str) -> None:
    for field in ("created", "updated", "trashed"):
        data = {"created": "2024-03-01T18:30:00+01:00", "updated": "2024-03-01T18:30:00+01:00",
                "title": "t", "body": "a private line", field: when}
        _refused(NativeJsonImporter().parse, _native(tmp_path / "x.json", "entry", data))


@pytest.mark.parametrize("when", NATIVE_HOSTILE)
def test_json_checkin_dates(tmp_path: Path, when: str) -> None:
    _refused(NativeJsonImporter().parse,
             _native(tmp_path / "x.json", "checkin", {"created": when, "mood": 1}))


@pytest.mark.parametrize("when", NATIVE_HOSTILE)
def test_json_dates_in_records_without_checks_of_their_own(tmp_path: Path, when: str) -> None:
    """When an earlier version was saved, and when a put-off reflection is offered until: the
    codec checks every date it reads, whatever the record."""
    entry = Entry(title="t", body="a private line")
    revision = codec.to_jsonable(Revision(target_id=entry.id, target_kind="entry",
                                          target_schema=1, payload_data=entry.payload()))
    assert isinstance(revision, dict)
    revision.pop("id")
    revision["saved"] = when
    _refused(NativeJsonImporter().parse, _native(tmp_path / "x.json", "revision", revision))
    with pytest.raises(codec.CodecError):
        codec.from_jsonable(WaitingReflection, {"checkin_id": "b" * 32, "template_id": "t",
                                                "until": when})


@pytest.mark.parametrize(("day", "clock"), [("0001-01-01", "00:00"), ("9999-12-31", "23:59"),
                                            ("1899-12-31", "12:00")])
def test_jrnl_dates(tmp_path: Path, day: str, clock: str) -> None:
    path = tmp_path / "jrnl.json"
    path.write_text(json.dumps({"entries": [{"date": day, "time": clock, "title": "t",
                                             "body": "a private line"}]}), encoding="utf-8")
    _refused(JrnlJsonImporter().parse, path)


@pytest.mark.parametrize("mtime", [1e20, -1e20, 253402300800.0, -62135596801.0,
                                   float("inf"), float("nan")])
def test_markdown_file_times_no_calendar_shows(mtime: float) -> None:
    """A file time beyond the calendar: the name's date is used, and without one the file is
    refused plainly."""
    named = parse_note(b"a private line\n", PurePosixPath("2024-03-01.md"), mtime)
    assert named.created.date().isoformat() == "2024-03-01"
    with pytest.raises(InvalidDataError) as caught:
        parse_note(b"a private line\n", PurePosixPath("notes.md"), mtime)
    assert "modification date" in caught.value.message


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
                                   "1850-06-01", "'2201-01-01 10:00'"])
def test_markdown_front_matter_dates(value: str) -> None:
    with pytest.raises(InvalidDataError) as caught:
        parse_note(f"---\ncreated: {value}\n---\na private line\n".encode(),
                   PurePosixPath("a.md"), 1_700_000_000.0)
    assert "a.md, line 2" in caught.value.message
    assert "a private line" not in caught.value.message


@pytest.mark.parametrize("when", [datetime(1, 1, 1, tzinfo=PLUS_14),
                                  datetime(9999, 12, 31, 23, tzinfo=MINUS_12),
                                  datetime(1899, 12, 31, tzinfo=UTC)])
def test_records_refuse_dates_outside_the_range(when: datetime) -> None:
    """What the command line's --date and the app's date field build."""
    with pytest.raises(ValueError, match="between the years 1900 and 2200"):
        Entry(created=when, updated=when)
    with pytest.raises(ValueError, match="between the years 1900 and 2200"):
        CheckIn(created=when)


def test_a_calendar_reaching_the_last_day_python_knows() -> None:
    """The dashboard's custom range goes as far as its date fields allow."""
    cells = mood_calendar([], start=date.max - timedelta(days=1), end=date.max)
    assert [c["date"] for c in cells] == ["9999-12-30", "9999-12-31"]


def _backup_dated(data: bytes, created: str) -> bytes:
    """The backup with another date in its header and a matching checksum, as anyone with
    write access to the backup folder could make (the tag, keyed, stays the old one)."""
    start = len(MAGIC) + 6
    end = start + struct.unpack(">I", data[len(MAGIC) + 2:start])[0]
    header = json.loads(data[start:end])
    header["created"] = created
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    prefix = MAGIC + struct.pack(">HI", 1, len(raw)) + raw
    return prefix + hashlib.sha256(prefix).digest() + data[end + 32:]


@pytest.mark.parametrize("when", NATIVE_HOSTILE)
def test_a_backup_header_with_such_a_date_is_damage(tmp_path: Path, when: str) -> None:
    """Backups are listed (and their dates shown in local time) before any key is asked."""
    journal, _key = Journal.create(tmp_path / "vault", "a passphrase", kdf=TEST_KDF)
    (tmp_path / "backups").mkdir()
    with journal:
        journal.add_entry(title="t", body="a private line")
        info = create_backup(journal, tmp_path / "backups")
    good = info.path.read_bytes()
    assert read_header(info.path).created == info.created
    info.path.write_bytes(_backup_dated(good, when))
    with pytest.raises(BackupDamagedError):
        read_header(info.path)
    assert list_backups(tmp_path / "backups") == []
