"""The Markdown folder importer: front matter, file dates, folders, round trips, hostile folders."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.core.errors import InvalidDataError
from journal_app.core.interchange import FORMATS, MarkdownFolderImporter, markdown_folder
from journal_app.core.interchange.markdown_folder import Limits, parse_note
from journal_app.core.records.model import MAX_BODY, Emotion, Entry, Record
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.importing import IMPORT_PROGRESS_EVERY
from journal_app.core.vault.journal import Journal

from .strategies import entries, json_values

PASS = "correct horse"
CET = timezone(timedelta(hours=1))


def write(folder: Path, rel: str, text: str | bytes) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def parse(folder: Path, limits: Limits | None = None) -> list[Entry]:
    records = MarkdownFolderImporter(limits).parse(folder)
    assert all(isinstance(r, Entry) for r in records)
    return records  # type: ignore[return-value]


def one(folder: Path) -> Entry:
    (entry,) = parse(folder)
    return entry


def set_mtime(path: Path, when: datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


# ---------------------------------------------------------------- the export shape, for fixtures
# journal-app's Markdown export (written by the exporter, not here): file names from date and id,
# front matter with exactly these keys. This tiny writer exists only to build test folders.

EXPORT_KEYS = ("id", "created", "updated", "title", "tags", "starred", "mood", "energy",
               "stress", "encounter", "emotions")


def export_note(entry: Entry) -> tuple[str, str]:
    meta = {
        "id": entry.id,
        "created": entry.created.isoformat(),
        "updated": entry.updated.isoformat(),
        "title": entry.title,
        "tags": list(entry.tags),
        "starred": entry.starred,
        "mood": entry.mood,
        "energy": entry.energy,
        "stress": entry.stress,
        "encounter": entry.encounter,
        "emotions": [{"name": e.name, "intensity": e.intensity} for e in entry.emotions],
    }
    assert tuple(meta) == EXPORT_KEYS
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=False, width=10_000)
    name = f"{entry.created:%Y-%m-%d-%H%M}-{entry.id[:8]}.md"
    return name, f"---\n{front}---\n\n{entry.body}\n"


def export_folder(items: list[Entry], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for entry in items:
        name, text = export_note(entry)
        write(folder, name, text)


def comparable(entry: Entry) -> Entry:
    """What a Markdown export keeps of an entry: no prompt ids, links or trash date; the text
    with Unix line ends."""
    body = entry.body.replace("\r\n", "\n").replace("\r", "\n")
    return replace(entry, body=body, prompt_ids=[], links=[], trashed=None)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Journal]:
    j, _ = Journal.create(tmp_path / "fresh", "another", kdf=TEST_KDF)
    yield j
    j.close()


# ============================================================================ front matter

HAND_WRITTEN = """---
id: 0F1E2D3C4B5A69788796A5B4C3D2E1F0
created: 2026-03-14T18:30:00+01:00
updated: 2026-03-14T19:02:11.250000+01:00
title: The family meeting
tags:
- goals of care
- nights
starred: true
mood: -2
energy: -1
stress: 7
encounter: goals-of-care
emotions:
- name: sadness
  intensity: 4
- name: relief
  intensity: 2
---

We sat with the daughter for an hour.

# Not a title: front matter gave one
She asked the question I was afraid of.
"""


def test_registered_for_the_cli_and_the_app() -> None:
    imports = FORMATS["markdown"].imports
    assert imports is not None and imports.make is MarkdownFolderImporter
    assert imports.reads_folder is True


def test_export_shaped_front_matter_gives_every_field(tmp_path: Path) -> None:
    write(tmp_path, "2026-03-14-1830-0f1e2d3c.md", HAND_WRITTEN)
    entry = one(tmp_path)
    assert entry.id == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # ids are lower-case hex
    assert entry.created == datetime(2026, 3, 14, 18, 30, tzinfo=CET)
    assert entry.created.utcoffset() == timedelta(hours=1)
    assert entry.updated == datetime(2026, 3, 14, 19, 2, 11, 250000, tzinfo=CET)
    assert entry.title == "The family meeting"
    assert entry.tags == ("goals of care", "nights")
    assert entry.starred is True
    assert (entry.mood, entry.energy, entry.stress) == (-2, -1, 7)
    assert entry.encounter == "goals-of-care"
    assert entry.emotions == (Emotion("sadness", 4), Emotion("relief", 2))
    assert entry.body == (
        "We sat with the daughter for an hour.\n\n# Not a title: front matter gave one\n"
        "She asked the question I was afraid of."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", datetime(2024, 3, 1)),
        ("'2024-03-01'", datetime(2024, 3, 1)),
        ("2024-03-01 18:30", datetime(2024, 3, 1, 18, 30)),
        ("2024-03-01T18:30", datetime(2024, 3, 1, 18, 30)),
        ("2024-03-01 18:30:05", datetime(2024, 3, 1, 18, 30, 5)),
        ("2024-03-01T18:30:00+05:30", datetime(2024, 3, 1, 18, 30,
                                               tzinfo=timezone(timedelta(hours=5, minutes=30)))),
        ('"2024-03-01T18:30:00-04:00"', datetime(2024, 3, 1, 18, 30,
                                                 tzinfo=timezone(timedelta(hours=-4)))),
        ("2024-03-01T18:30:00Z", datetime(2024, 3, 1, 18, 30, tzinfo=UTC)),
        ("'2024-03-01T18:30:00Z'", datetime(2024, 3, 1, 18, 30, tzinfo=UTC)),
        ("2024-03-01 18:30:00.123456 +01:00", datetime(2024, 3, 1, 18, 30, 0, 123456,
                                                       tzinfo=CET)),
    ],
)
def test_common_date_shapes(tmp_path: Path, value: str, expected: datetime) -> None:
    write(tmp_path, "a.md", f"---\ndate: {value}\n---\ntext\n")
    created = one(tmp_path).created
    assert created.tzinfo is not None
    if expected.tzinfo is None:  # no offset given: local time on this machine
        expected = expected.astimezone()
    assert created == expected
    assert created.utcoffset() == expected.utcoffset()


def test_created_wins_over_date_and_updated_is_kept(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ndate: 2020-01-01\ncreated: 2024-03-01 18:30\n"
                            "updated: 2024-03-02 08:00\n---\ntext\n")
    entry = one(tmp_path)
    assert entry.created == datetime(2024, 3, 1, 18, 30).astimezone()
    assert entry.updated == datetime(2024, 3, 2, 8, 0).astimezone()


def test_front_matter_variants(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\r\ntitle: 1984\r\ntags: ward, Night Shift , ,#ICU\r\n"
                            "emotions: [calm, 'tired:2']\r\nstarred: yes\r\nlayout: post\r\n"
                            "author: {name: me}\r\nid: 42\r\n...\r\nline one\r\nline two\r\n")
    entry = one(tmp_path)
    assert entry.title == "1984"
    assert entry.tags == ("ward", "night shift", "icu")
    assert entry.emotions == (Emotion("calm", 3), Emotion("tired", 2))
    assert entry.starred is True
    assert entry.body == "line one\nline two"
    assert len(entry.id) == 32 and entry.id != "42"  # another tool's id is not ours


def test_nulls_and_empty_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ntitle:\ntags:\nemotions:\nmood: null\nencounter: ~\n"
                            "starred:\n---\nx\n")
    write(tmp_path, "b.md", "---\n---\n# Heading title\n\nx\n")
    write(tmp_path, "c.md", "---\n# only a comment\n---\nx\n")
    a, b, c = parse(tmp_path)
    assert (a.title, a.tags, a.emotions, a.mood, a.encounter, a.starred) == (
        "", (), (), None, None, False)
    assert (b.title, b.body) == ("Heading title", "x")
    assert (c.title, c.body) == ("c", "x")


def test_an_unclosed_rule_on_the_first_line_is_text(tmp_path: Path) -> None:
    write(tmp_path, "rule.md", "---\nNot front matter, just a rule and text.\n")
    entry = one(tmp_path)
    assert entry.body == "---\nNot front matter, just a rule and text."
    assert entry.title == "rule"


def test_a_bom_is_dropped(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "\ufeff---\ntitle: t\n---\nbody\n".encode())
    entry = one(tmp_path)
    assert (entry.title, entry.body) == ("t", "body")


# ============================================================================ without front matter


def test_no_front_matter_uses_the_modification_time_and_heading(tmp_path: Path) -> None:
    when = datetime(2023, 7, 9, 21, 14, 33)
    path = write(tmp_path, "ward notes.md", "\n# A hard night #\n\nWe lost him at 4am.\n\n")
    set_mtime(path, when)
    entry = one(tmp_path)
    assert entry.created == when.astimezone()
    assert entry.created.tzinfo is not None
    assert entry.created.utcoffset() == when.astimezone().utcoffset()
    assert entry.updated == entry.created
    assert entry.title == "A hard night"
    assert entry.body == "We lost him at 4am."
    assert (entry.tags, entry.starred, entry.mood) == ((), False, None)


def test_title_from_the_file_name_when_there_is_no_heading(tmp_path: Path) -> None:
    write(tmp_path, "Debrief with Sam.md", "Sat with the team after.\n## Not a title\n")
    write(tmp_path, "long.md", "# " + "x" * 300 + "\ntext\n")
    debrief, long = parse(tmp_path)
    assert (debrief.title, debrief.body) == ("Debrief with Sam",
                                             "Sat with the team after.\n## Not a title")
    assert long.title == "long" and long.body.startswith("# xxx")


@pytest.mark.parametrize(
    ("name", "created", "title"),
    [
        ("2024-03-01.md", datetime(2024, 3, 1), ""),
        ("2024-03-01-1830.md", datetime(2024, 3, 1, 18, 30), ""),
        ("2024-03-01 18.30 ward round.txt", datetime(2024, 3, 1, 18, 30),
         "2024-03-01 18.30 ward round"),
        ("2024-03-01_night.markdown", datetime(2024, 3, 1), "2024-03-01_night"),
        ("2024-02-30.md", None, "2024-02-30"),  # not a date: the file's time instead
        ("20240301.md", None, "20240301"),
        ("0001-01-01.md", None, "0001-01-01"),
    ],
)
def test_a_date_in_the_file_name(tmp_path: Path, name: str, created: datetime | None,
                                 title: str) -> None:
    mtime = datetime(2025, 1, 2, 3, 4, 5)
    set_mtime(write(tmp_path, name, "text\n"), mtime)
    entry = one(tmp_path)
    assert entry.created == (created or mtime).astimezone()
    assert entry.updated == mtime.astimezone()
    assert entry.title == title
    assert entry.display_title() == (title or "text")


def test_a_bogus_file_date_is_fine_when_the_note_has_its_own() -> None:
    a, named = parse_note(b"---\ncreated: 2024-03-01 07:45\n---\nx\n", PurePosixPath("a.md"),
                          1e20), parse_note(b"y", PurePosixPath("2024-03-02.md"), 1e20)
    assert a.created == a.updated == datetime(2024, 3, 1, 7, 45).astimezone()
    assert named.created == datetime(2024, 3, 2).astimezone()
    with pytest.raises(InvalidDataError, match=r"^b\.md: it has no date"):
        parse_note(b"z", PurePosixPath("b.md"), 1e20)


def test_daily_notes_keep_their_time_of_day_from_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "2024-03-01.md", "---\ncreated: 2024-03-01 07:45\n---\nmorning\n")
    assert one(tmp_path).created == datetime(2024, 3, 1, 7, 45).astimezone()


# ============================================================================ folders


def test_nested_folders_sorted_hidden_and_other_files_skipped(tmp_path: Path) -> None:
    for rel in ("b.md", "a.txt", "sub/z.markdown", "sub/deeper/y.MD", "sub/A.md",
                ".hidden.md", ".obsidian/workspace.md", "sub/.trash/old.md", ".git/x.txt",
                "image.png", "notes.docx", "sub/readme", "sub/x.md.bak"):
        write(tmp_path, rel, f"# {rel}\n\ntext of {rel}\n")
    titles = [e.title for e in parse(tmp_path)]
    assert titles == ["a.txt", "b.md", "sub/A.md", "sub/deeper/y.MD", "sub/z.markdown"]


def test_symlinks_inside_the_folder_are_read_once(tmp_path: Path) -> None:
    write(tmp_path, "real/note.md", "# Real\n")
    (tmp_path / "link.md").symlink_to(tmp_path / "real" / "note.md")
    (tmp_path / "also").symlink_to(tmp_path / "real", target_is_directory=True)
    outside = write(tmp_path.parent / f"{tmp_path.name}-outside", "picture.png", "png")
    (tmp_path / "picture.png").symlink_to(outside)  # not a note: not our business
    assert [e.title for e in parse(tmp_path)] == ["Real"]


def test_the_folder_may_be_reached_through_a_link(tmp_path: Path) -> None:
    write(tmp_path, "notes/a.md", "# A\n")
    (tmp_path / "shortcut").symlink_to(tmp_path / "notes", target_is_directory=True)
    assert [e.title for e in parse(tmp_path / "shortcut")] == ["A"]


# ============================================================================ into the journal


def test_hand_written_export_folder_imports_and_a_second_import_is_skipped(
    journal: Journal, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    write(folder, "2026-03-14-1830-0f1e2d3c.md", HAND_WRITTEN)
    write(folder, "2026-03-15-0700-aaaaaaaa.md",
          "---\nid: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\ncreated: 2026-03-15T07:00:00+00:00\n"
          "updated: 2026-03-15T07:00:00+00:00\ntitle: ''\ntags: []\nstarred: false\n"
          "mood: null\nenergy: null\nstress: null\nencounter: null\nemotions: []\n---\n\n"
          "Only a body.\n")
    write(folder, "2026-03-16-1200-bbbbbbbb.md", "no front matter at all\n")
    first = journal.import_records(parse(folder))
    assert (first.imported, first.skipped_duplicates) == (3, 0)
    by_id = {e.id: e for e in journal.entries()}
    assert by_id["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"].display_title() == "Only a body."
    assert by_id["0f1e2d3c4b5a69788796a5b4c3d2e1f0"].encounter == "goals-of-care"
    assert [e.title for _h, e in journal.search("daughter")] == ["The family meeting"]
    # The same folder again: by id for the export's notes, by date and text for the other.
    second = journal.import_records(parse(folder))
    assert (second.imported, second.skipped_duplicates) == (0, 3)
    assert len(journal.entries()) == 3


def test_round_trip_through_the_export_shape(journal: Journal, fresh: Journal,
                                             tmp_path: Path) -> None:
    journal.add_entry(title="Night shift", body="A code blue.\n\n**Hard.**\n---\nAfter.",
                      tags=["work", "night"], starred=True,
                      emotions=[Emotion("shaken", 4), Emotion("tired")], mood=-3, energy=-4,
                      stress=9, encounter="code",
                      created=datetime(2024, 3, 1, 23, 15, 7, 123456, tzinfo=CET))
    journal.add_entry(title="Ünïcødé 🌊 \"quoted\": yes", body="日本語\u200b\n\n# heading",
                      created=datetime(2024, 3, 2, 8, 0, tzinfo=UTC))
    journal.add_entry(title="", body="# A heading, not a title\n\ntext", tags=["123", "yes"])
    journal.add_entry(title="", body="\n\nblank lines around\n\n")
    folder = tmp_path / "md"
    export_folder(journal.entries(), folder)
    result = fresh.import_records(parse(folder))
    assert (result.imported, result.skipped_duplicates) == (4, 0)
    assert sorted(fresh.entries(), key=lambda e: e.id) == sorted(
        (comparable(e) for e in journal.entries()), key=lambda e: e.id)
    for entry in journal.entries():
        back = fresh.get_entry(entry.id)
        assert back.created.isoformat() == entry.created.isoformat()
        assert back.updated.isoformat() == entry.updated.isoformat()
    again = fresh.import_records(parse(folder))
    assert (again.imported, again.skipped_duplicates) == (0, 4)
    # And into the journal the notes came from: all already there.
    home = journal.import_records(parse(folder))
    assert (home.imported, home.skipped_duplicates) == (0, 4)
    assert fresh.verify().ok


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries(), min_size=1, max_size=5, unique_by=lambda e: e.id))
def test_export_shape_round_trip_property(items: list[Entry]) -> None:
    # NUL is refused as binary; the rest is what the Markdown shape keeps.
    items = [comparable(replace(e, body=e.body.replace("\x00", ""))) for e in items]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "md"
        export_folder(items, folder)
        back = {e.id: e for e in parse(folder)}
    assert len(back) == len(items)
    for entry in items:
        got = back[entry.id]
        assert got == entry
        assert got.created.isoformat() == entry.created.isoformat()


def test_our_export_without_its_empty_keys(tmp_path: Path) -> None:
    """The export leaves empty fields out: a missing title is no title (not the heading, not
    the file name), and the text keeps its first heading and its blank lines."""
    write(tmp_path, "2024-03-01-1830-abcdef01.md",
          "---\nid: abcdef01abcdef01abcdef01abcdef01\ncreated: '2024-03-01T18:30:00+01:00'\n"
          "updated: '2024-03-01T18:31:00+01:00'\n---\n\n\n# Heading\n\ntext\n\n")
    entry = one(tmp_path)
    assert (entry.title, entry.body) == ("", "\n# Heading\n\ntext\n")
    assert (entry.tags, entry.starred, entry.emotions, entry.mood) == ((), False, (), None)


def test_the_real_markdown_export_round_trips(journal: Journal, fresh: Journal,
                                              tmp_path: Path) -> None:
    """Through the exporter itself (on its own branch until the two are merged)."""
    exporter_module = pytest.importorskip("journal_app.core.interchange.markdown_export")
    journal.add_entry(title="Night shift", body="A code blue.\n\n**Hard.**\n---\nAfter.",
                      tags=["work", "night shift"], starred=True,
                      emotions=[Emotion("shaken", 4), Emotion("tired")], mood=-3, energy=0,
                      stress=9, encounter="code",
                      created=datetime(2024, 3, 1, 23, 15, 7, 123456, tzinfo=CET))
    journal.add_entry(title="Ünïcødé 🌊 \"quoted\": yes\u2028x\x85", body="日本語\u200b\n\n# h",
                      created=datetime(2024, 3, 2, 8, 0, tzinfo=UTC))
    journal.add_entry(title="", body="# A heading, not a title\n\ntext")
    journal.add_entry(title="2024", body="")
    folder = tmp_path / "export"
    exporter_module.MarkdownFolderExporter().write(journal.all_records(), folder)
    result = fresh.import_records(parse(folder))
    assert (result.imported, result.skipped_duplicates) == (4, 0)
    assert sorted(fresh.entries(), key=lambda e: e.id) == sorted(
        (comparable(e) for e in journal.entries()), key=lambda e: e.id)
    again = fresh.import_records(parse(folder))
    assert (again.imported, again.skipped_duplicates) == (0, 4)


def test_duplicates_on_a_second_import_of_plain_notes(journal: Journal, tmp_path: Path) -> None:
    for i in range(4):
        set_mtime(write(tmp_path, f"n{i}.md", f"note {i}\n"), datetime(2024, 1, 1 + i, 9))
    assert journal.import_records(parse(tmp_path)).imported == 4
    write(tmp_path, "n4.md", "a new one\n")
    result = journal.import_records(parse(tmp_path))
    assert (result.imported, result.skipped_duplicates) == (1, 4)
    assert len(journal.entries()) == 5


def test_the_preview_counts_what_the_import_skips(journal: Journal, tmp_path: Path) -> None:
    present = journal.add_entry(title="here", body="b", created=datetime(2024, 1, 1, tzinfo=UTC))
    twin = Entry(title="here ", body="b\n", created=present.created)
    same_id = Entry(id=present.id, title="other")
    new = Entry(title="new")
    records: list[Record] = [twin, same_id, new, replace(new), Entry(title="new")]
    flags = journal.import_duplicates(records)
    assert flags == [True, True, False, True, True]
    result = journal.import_records(records)
    assert (result.imported, result.skipped_duplicates) == (flags.count(False), flags.count(True))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y"]),
                          st.integers(0, 2), st.sampled_from(["1" * 32, "2" * 32, None])),
                max_size=8))
def test_preview_agrees_with_import_property(
    tmp_path_factory: pytest.TempPathFactory, shape: list[tuple[str, str, int, str | None]]
) -> None:
    j, _ = Journal.create(tmp_path_factory.mktemp("p") / "v", PASS, kdf=TEST_KDF)
    try:
        j.add_entry(id="1" * 32, title="a", body="x", created=datetime(2024, 1, 1, tzinfo=UTC))
        records: list[Record] = []
        for title, body, day, record_id in shape:
            fields: dict[str, Any] = {"title": title, "body": body,
                                      "created": datetime(2024, 1, 1 + day, tzinfo=UTC)}
            if record_id:
                fields["id"] = record_id
            records.append(Entry(**fields))
        flags = j.import_duplicates(records)
        result = j.import_records(records)
        assert (result.imported, result.skipped_duplicates) == (flags.count(False),
                                                                flags.count(True))
    finally:
        j.close()


def test_import_reports_progress_in_chunks(journal: Journal) -> None:
    journal.add_entry(title="dup", created=datetime(2024, 1, 1, tzinfo=UTC))
    records = [Entry(title=f"e{i}") for i in range(2 * IMPORT_PROGRESS_EVERY + 7)]
    records.insert(0, Entry(title="dup", created=datetime(2024, 1, 1, tzinfo=UTC)))
    calls: list[tuple[int, int]] = []
    journal.import_records(records, progress=lambda d, t: calls.append((d, t)))
    total = len(records)
    assert calls == [(1, total), (IMPORT_PROGRESS_EVERY, total),
                     (2 * IMPORT_PROGRESS_EVERY, total), (total, total)]


def test_an_import_stopped_by_its_progress_callback_stores_nothing(journal: Journal) -> None:
    journal.add_entry(title="already here")
    rows = journal._store.count()

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        if done >= IMPORT_PROGRESS_EVERY:
            raise Stop

    records = [Entry(title=f"e{i}") for i in range(3 * IMPORT_PROGRESS_EVERY)]
    with pytest.raises(Stop):
        journal.import_records(records, progress=stop)
    assert journal._store.count() == rows
    assert [e.title for e in journal.entries()] == ["already here"]
    assert journal.verify().ok
    assert journal.import_records(records).imported == len(records)
    assert journal.verify().ok


# ============================================================================ hostile folders

SECRET = "PATIENT-NAME-CANARY"


def _file(rel: str, content: str | bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        write(folder, rel, content)

    return make


def _fm(rel: str, front: str, body: str = SECRET) -> Callable[[Path], None]:
    return _file(rel, f"---\n{front}\n---\n{body}\n")


def _link(rel: str, directory: bool = False) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        outside = folder.parent / f"{folder.name}-outside"
        target = write(outside, "secret/id.md" if not directory else "secret/x.md", SECRET)
        link = folder / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target.parent if directory else target,
                        target_is_directory=directory)

    return make


def _fifo(rel: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(folder / rel)

    return make


def _sparse(rel: str, size: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = write(folder, rel, "# huge\n")
        os.truncate(path, size)

    return make


#: name: (how to spoil the folder, the file and line the error must name)
HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "invalid yaml": (_fm("notes/bad.md", f"title: [unclosed\ntags: {SECRET}"),
                     "notes/bad.md, line 3"),
    "yaml tab indentation": (_fm("a.md", "title: x\n\ttags: y"), "a.md, line 3"),
    "python object tag": (_fm("a.md", "title: !!python/object/apply:os.system ['touch pwned']"),
                          "a.md, line 2"),
    "python name tag": (_fm("a.md", "x: 1\nmood: !!python/name:os.system"), "a.md, line 3"),
    "unknown local tag": (_fm("a.md", "title: !secret x"), "a.md, line 2"),
    "front matter is a list": (_fm("a.md", "- a\n- b"), "a.md, line 2"),
    "front matter is text": (_fm("a.md", SECRET), "a.md, line 2"),
    "impossible yaml date": (_fm("a.md", "title: t\ncreated: 2024-02-30"), "a.md, line 2"),
    "date in words": (_fm("a.md", "title: t\n\ndate: yesterday"), "a.md, line 4"),
    "date a list": (_fm("a.md", "created: [2024, 3, 1]"), "a.md, line 2"),
    "date a number": (_fm("a.md", "date: 20240301"), "a.md, line 2"),
    "date month 13": (_fm("a.md", "date: '2024-13-01 10:00'"), "a.md, line 2"),
    "date too long": (_fm("a.md", "date: '2024-03-01" + "0" * 100 + "'"), "a.md, line 2"),
    "date year 0": (_fm("a.md", "date: '0000-01-01'"), "a.md, line 2"),
    "date year 1": (_fm("a.md", "title: t\ncreated: 0001-01-01T00:00:00+05:00"), "a.md, line 3"),
    "date year 9999": (_fm("a.md", "date: 9999-12-31 23:59:00"), "a.md, line 2"),
    "updated bad": (_fm("a.md", "created: 2024-03-01\nupdated: soon"), "a.md, line 3"),
    "mood out of range": (_fm("a.md", "title: t\nmood: 11"), "a.md, line 3"),
    "mood a fraction": (_fm("a.md", "mood: 1.5"), "a.md, line 2"),
    "mood text": (_fm("a.md", "mood: sad"), "a.md, line 2"),
    "stress negative": (_fm("a.md", "stress: -1"), "a.md, line 2"),
    "energy true": (_fm("a.md", "energy: true"), "a.md, line 2"),
    "starred text": (_fm("a.md", "starred: sometimes"), "a.md, line 2"),
    "unknown encounter": (_fm("a.md", "encounter: picnic"), "a.md, line 2"),
    "encounter a list": (_fm("a.md", "encounter: [code]"), "a.md, line 2"),
    "title a mapping": (_fm("a.md", "title: {a: b}"), "a.md, line 2"),
    "title too long": (_fm("a.md", "title: " + "t" * 1001), "a.md, line 2"),
    "title lone surrogate": (_fm("a.md", 'title: "\\ud800"'), "a.md, line 2"),
    "tags a mapping": (_fm("a.md", "tags: {a: 1}"), "a.md, line 2"),
    "tag too long": (_fm("a.md", "tags: [" + "x" * 101 + "]"), "a.md, line 2"),
    "tag empty": (_fm("a.md", "tags: ['#']"), "a.md, line 2"),
    "tag nested list": (_fm("a.md", "tags: [[a]]"), "a.md, line 2"),
    "too many tags": (_fm("a.md", "tags: [" + ", ".join(f"t{i}" for i in range(1001)) + "]"),
                      "a.md, line 2"),
    "emotions text": (_fm("a.md", "emotions: sad"), "a.md, line 2"),
    "emotion intensity 9": (_fm("a.md", "emotions: [{name: sad, intensity: 9}]"),
                            "a.md, line 2"),
    "emotion intensity text": (_fm("a.md", "emotions: [{name: sad, intensity: high}]"),
                               "a.md, line 2"),
    "emotion without name": (_fm("a.md", "emotions: [{intensity: 2}]"), "a.md, line 2"),
    "emotion bad shorthand": (_fm("a.md", "emotions: ['sad:x']"), "a.md, line 2"),
    "deep yaml nesting": (_fm("a.md", "x: 1\ntags: " + "[" * 5000 + "]" * 5000), "a.md, line 3"),
    "huge yaml integer": (_fm("a.md", "mood: " + "9" * 5000), "a.md, line 2"),
    "control character in yaml": (_fm("a.md", "title: a\x07b"), "a.md, line 2"),
    "front matter too long": (_fm("a.md", "x: '" + "y" * 70_000 + "'"), "a.md, line 1"),
    "body too long": (_file("a.md", "---\ntitle: t\n---\n" + "b" * (MAX_BODY + 1)),
                      "a.md, line 4"),
    "binary file": (_file("sub/photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
                    "sub/photo.md, line 3"),
    "utf-16 text": (_file("a.md", "# title\nbody".encode("utf-16")), "a.md, line 1"),
    "latin-1 text": (_file("a.md", "# titre\n\ncaf\xe9".encode("latin-1")), "a.md, line 3"),
    "huge file": (_sparse("big.md", 8 * 1024 * 1024 + 1), "big.md"),
    "symlink out of the folder": (_link("notes/id.md"), "notes/id.md"),
    "folder symlink out of the folder": (_link("shared", directory=True), "shared"),
    "a fifo": (_fifo("pipe.md"), "pipe.md"),
    "control characters in the name": (_fm("bad\nname\x1b.md", "mood: 99"), "bad?name?.md, line 2"),
}


def _assert_refused(folder: Path, journal: Journal, where: str,
                    limits: Limits | None = None) -> str:
    rows = journal._store.count()
    before = [e.id for e in journal.entries()]
    with pytest.raises(InvalidDataError) as info:
        journal.import_records(MarkdownFolderImporter(limits).parse(folder))
    message = str(info.value)
    assert message.startswith(where + ":") or f" {where} " in message, message
    assert message.endswith("nothing was imported.") or "Nothing was imported." in message
    assert "\n" not in message and SECRET not in message
    assert journal._store.count() == rows
    assert [e.id for e in journal.entries()] == before
    return message


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    """One journal for every hostile folder (each test checks its folder changed nothing)."""
    j, _ = Journal.create(tmp_path_factory.mktemp("seeded") / "vault", PASS, kdf=TEST_KDF)
    j.add_entry(title="already here")
    yield j
    assert [e.title for e in j.entries()] == ["already here"]
    assert j.verify().ok
    j.close()

LOADERS = {"C": getattr(yaml, "CSafeLoader", yaml.SafeLoader), "Python": yaml.SafeLoader}


@pytest.mark.parametrize("loader", list(LOADERS))
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_folders_import_nothing(seeded: Journal, tmp_path: Path, name: str,
                                        loader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With libyaml's loader and with PyYAML's own (where libyaml is missing)."""
    monkeypatch.setattr(markdown_folder, "_SAFE_LOADER", LOADERS[loader])
    monkeypatch.chdir(tmp_path)  # where "touch pwned" would land if YAML ran code
    folder = tmp_path / "notes-folder"
    # Good notes around the bad one: one bad file is enough to import nothing.
    write(folder, "0-good.md", "# Good\n\nfine\n")
    write(folder, "zz/good.md", "---\ntitle: also good\n---\nfine\n")
    spoil, where = HOSTILE[name]
    spoil(folder)
    _assert_refused(folder, seeded, where)
    assert not (tmp_path / "pwned").exists()


def test_the_hostile_builders_start_from_valid_notes(tmp_path: Path) -> None:
    """The front matter around each hostile value imports when the value is fine."""
    _fm("a.md", "title: t\nmood: 1\ncreated: 2024-03-01\nemotions: [{name: sad, intensity: 2}]"
        )(tmp_path)
    assert one(tmp_path).mood == 1


def test_an_unreadable_file_is_named(seeded: Journal, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.md", "fine\n")
    bad = write(tmp_path, "private/locked.md", "secret\n")
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any) -> int:
        if Path(path) == bad:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse)
    message = _assert_refused(tmp_path, seeded, "private/locked.md")
    assert "cannot be read" in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission(seeded: Journal, tmp_path: Path) -> None:
    write(tmp_path, "a.md", "fine\n")
    write(tmp_path, "locked.md", "secret\n").chmod(0)
    _assert_refused(tmp_path, seeded, "locked.md")


def test_an_unreadable_folder_is_named(seeded: Journal, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.md", "fine\n")
    write(tmp_path, "inner/b.md", "fine\n")
    real_scandir = os.scandir

    def refuse(path: Any) -> Any:
        if Path(path).name == "inner":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    message = _assert_refused(tmp_path, seeded, "inner")
    assert message.startswith("The folder inner cannot be read")


@pytest.mark.parametrize(
    ("limits", "needle"),
    [
        (Limits(max_files=3), "more than 3 notes"),
        (Limits(max_scanned=5), "more than 5 files and folders"),
        (Limits(max_file_bytes=100), "larger than"),
        (Limits(max_total_bytes=200), "more than 0 MB"),
        (Limits(max_depth=2), "nested more than 2 deep"),
    ],
)
def test_limits(seeded: Journal, tmp_path: Path, limits: Limits, needle: str) -> None:
    for i in range(4):
        write(tmp_path, f"n{i}.md", f"note {i}\n" + "x" * 60)
    write(tmp_path, "a/b/c/deep.md", "x" * 150)
    rows = seeded._store.count()
    with pytest.raises(InvalidDataError) as info:
        seeded.import_records(MarkdownFolderImporter(limits).parse(tmp_path))
    assert needle in str(info.value), str(info.value)
    assert seeded._store.count() == rows
    assert len(parse(tmp_path)) == 5  # the default limits take the same folder


def test_not_a_folder_missing_and_empty(tmp_path: Path) -> None:
    file = write(tmp_path, "one.md", "x")
    with pytest.raises(InvalidDataError, match="is a file, not a folder"):
        MarkdownFolderImporter().parse(file)
    with pytest.raises(InvalidDataError, match="does not exist"):
        MarkdownFolderImporter().parse(tmp_path / "missing")
    empty = tmp_path / "empty"
    write(empty, ".hidden.md", "x")
    write(empty, "photo.jpg", "x")
    with pytest.raises(InvalidDataError, match="holds no Markdown or text files"):
        MarkdownFolderImporter().parse(empty)


@pytest.mark.parametrize("loader", list(LOADERS))
def test_deep_nesting_under_a_key_we_do_not_read(tmp_path: Path, loader: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Our own limit, checked before either YAML parser sees the block: the same plain message
    whichever parser is in use and wherever its own limit lies. Never a crash."""
    monkeypatch.setattr(markdown_folder, "_SAFE_LOADER", LOADERS[loader])
    write(tmp_path, "a.md", "---\nx: " + "[" * 3000 + "]" * 3000 + "\ntitle: t\n---\nb\n")
    with pytest.raises(InvalidDataError) as caught:
        parse(tmp_path)
    assert str(caught.value) == (
        "a.md, line 2: the front matter is nested too deeply; nothing was imported.")


@pytest.mark.parametrize("loader", list(LOADERS))
@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_at_the_limit_is_read_one_past_is_refused(
    tmp_path: Path, loader: str, style: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(markdown_folder, "_SAFE_LOADER", LOADERS[loader])
    limit = markdown_folder.MAX_FRONT_MATTER_NESTING

    def front(depth: int) -> str:
        # The top-level mapping is one level; the value under x adds depth - 1 more.
        if style == "flow":
            inner = "[" * (depth - 1) + "]" * (depth - 1)
            return f"x: {inner}\ntitle: t\n"
        lines = ["x:"] + ["  " * level + "- " for level in range(1, depth)]
        lines[-1] += "1"
        return "\n".join(lines) + "\ntitle: t\n"

    write(tmp_path, "a.md", "---\n" + front(limit) + "---\nb\n")
    assert one(tmp_path).title == "t"
    write(tmp_path, "a.md", "---\n" + front(limit + 1) + "---\nb\n")
    with pytest.raises(InvalidDataError, match="nested too deeply"):
        parse(tmp_path)


def test_yaml_aliases_do_not_blow_up(tmp_path: Path) -> None:
    """A "billion laughs" block: PyYAML shares aliased nodes, and we read only known keys."""
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        laughs.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    write(tmp_path, "lol.md", "---\n" + "\n".join(laughs) + "\ntitle: fine\n---\ntext\n")
    assert one(tmp_path).title == "fine"
    write(tmp_path, "lol.md", "---\n" + "\n".join(laughs) + "\ntags: *i\n---\ntext\n")
    with pytest.raises(InvalidDataError, match=r"lol\.md, line 11: tags must be a list of words"):
        parse(tmp_path)


# ============================================================================ fuzzing


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_are_refused_plainly(data: bytes) -> None:
    try:
        entry = parse_note(data, PurePosixPath("f/x.md"), 1_700_000_000.0)
    except InvalidDataError as exc:
        assert str(exc).startswith("f/x.md")
        return
    assert isinstance(entry, Entry) and entry.created.tzinfo is not None


yaml_text = st.text(st.sampled_from(list("abc:-[]{}!&*#'\"|>%@`,? \n\t0123456789.")),
                    max_size=80)


@settings(max_examples=200, deadline=None)
@given(yaml_text, st.text(max_size=40))
def test_random_front_matter_parses_or_is_refused_plainly(front: str, body: str) -> None:
    data = f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass")
    try:
        entry = parse_note(data, PurePosixPath("x.md"), 1_700_000_000.0)
    except InvalidDataError as exc:
        message = str(exc)
        assert message.startswith("x.md") and message.endswith("nothing was imported.")
        assert "\n" not in message
        return
    assert isinstance(entry, Entry)


front_keys = st.sampled_from(["id", "created", "date", "updated", "title", "tags", "starred",
                              "mood", "energy", "stress", "encounter", "emotions", "other"])
front_values = json_values | st.dates().map(date.isoformat) | st.datetimes().map(str)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(front_keys, front_values, max_size=6))
def test_any_front_matter_values_parse_or_are_refused_plainly(meta: dict[str, Any]) -> None:
    block = yaml.safe_dump(meta, allow_unicode=True)
    data = f"---\n{block}---\nbody\n".encode("utf-8", "surrogatepass")
    try:
        entry = parse_note(data, PurePosixPath("x.md"), 1_700_000_000.0)
    except InvalidDataError as exc:
        assert str(exc).startswith("x.md, line ")
        return
    assert isinstance(entry, Entry)
    if isinstance(meta.get("title"), str):
        assert entry.title == meta["title"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.lists(st.sampled_from(["a", "b", ".h", "n.md", "x.txt"]),
                                   min_size=1, max_size=3),
                          st.binary(max_size=60) | yaml_text.map(str.encode)),
                min_size=1, max_size=6))
def test_random_trees_parse_or_import_nothing(
    seeded: Journal, files: list[tuple[list[str], bytes]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for parts, data in files:
            path = folder.joinpath(*parts[:-1], parts[-1] + ".md")
            if any(p.exists() and not p.is_dir() for p in path.parents if folder in p.parents):
                continue
            if path.exists():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        rows = seeded._store.count()
        try:
            records = MarkdownFolderImporter().parse(folder)
        except InvalidDataError:
            assert seeded._store.count() == rows
            return
        visible = [p for p in folder.rglob("*.md") if p.is_file()
                   if not any(part.startswith(".") for part in p.relative_to(folder).parts)]
        assert len(records) == len(visible)
