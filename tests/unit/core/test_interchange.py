"""Import and export: the native JSON format, jrnl's JSON export, hostile files."""

from __future__ import annotations

import json
import stat
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.core.errors import InvalidDataError, VaultLockedError
from journal_app.core.interchange import (
    FORMATS,
    Importer,
    JrnlJsonImporter,
    NativeJsonExporter,
    NativeJsonImporter,
)
from journal_app.core.interchange.native import record_to_json
from journal_app.core.records.model import MAX_BODY, Emotion, Entry, Record, Revision
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.importing import entry_key as _entry_key
from journal_app.core.vault.journal import Journal

from .strategies import entries, json_values

PASS = "correct horse"


def dump(records: list[Record]) -> list[str]:
    """Records as canonical JSON text, sorted: equal lists mean equal ids and fields."""
    return sorted(json.dumps(record_to_json(r), sort_keys=True) for r in records)


def export(journal: Journal, path: Path) -> int:
    return NativeJsonExporter().write(journal.all_records(), path)


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def row_count(journal: Journal) -> int:
    return journal._store.count()


@pytest.fixture
def full(journal: Journal) -> Journal:
    """A journal with entries of every shape, revisions and an entry in the trash."""
    a = journal.add_entry(
        title="Night shift", body="A code blue.\n\n**Hard.**", tags=["work", "night"],
        starred=True, emotions=[Emotion("shaken", 4), Emotion("tired")], mood=-3, energy=-4,
        stress=9, encounter="code", prompt_ids=["p1"], links=[], created=datetime(
            2024, 3, 1, 23, 15, tzinfo=UTC),
    )
    b = journal.add_entry(title="Ünïcødé 🌊", body="日本語\u200b", created=datetime(
        2024, 3, 2, 8, 0, tzinfo=UTC))
    journal.add_entry(title="", body="only a body")
    journal.edit_entry(a.id, body="A code blue. We got him back.")
    journal.edit_entry(a.id, mood=1)
    journal.edit_entry(b.id, links=[a.id])
    journal.delete_entry(b.id)
    return journal


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Journal]:
    j, _ = Journal.create(tmp_path / "fresh", "another", kdf=TEST_KDF)
    yield j
    j.close()


# ============================================================================ native JSON


def test_registries() -> None:
    json, jrnl = FORMATS["json"], FORMATS["jrnl-json"]
    assert json.imports is not None and json.imports.make is NativeJsonImporter
    assert jrnl.imports is not None and jrnl.imports.make is JrnlJsonImporter
    assert jrnl.exports is None
    assert json.exports is not None and json.exports.exporter_class() is NativeJsonExporter


def test_native_export_import_gives_identical_records(
    full: Journal, fresh: Journal, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    original = full.all_records()
    assert len([r for r in original if isinstance(r, Revision)]) == 3
    assert export(full, path) == len(original)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    doc = json.loads(path.read_text("utf-8"))
    assert (doc["format"], doc["version"]) == ("journal-app", 1)

    records = NativeJsonImporter().parse(path)
    assert dump(records) == dump(original)
    result = fresh.import_records(records)
    assert (result.imported, result.skipped_duplicates) == (len(original), 0)

    assert dump(fresh.all_records()) == dump(original)
    assert [e.id for e in fresh.entries()] == [e.id for e in full.entries()]
    assert fresh.entries(trash=True) == full.entries(trash=True)
    for entry in full.entries() + full.entries(trash=True):
        assert fresh.get_entry(entry.id) == entry
        assert [r.id for r in fresh.revisions(entry.id)] == [r.id for r in full.revisions(entry.id)]
    # Imported revisions work like native ones.
    night = next(e for e in fresh.entries() if e.title == "Night shift")
    oldest = fresh.revisions(night.id)[-1]
    assert fresh.restore_revision(oldest.id).body == "A code blue.\n\n**Hard.**"
    assert fresh.verify().ok
    # And imported entries are searchable.
    assert [e.id for _h, e in fresh.search("code blue")] == [night.id]


def test_importing_twice_skips_duplicates(full: Journal, fresh: Journal, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    n = export(full, path)
    first = fresh.import_records(NativeJsonImporter().parse(path))
    rows = row_count(fresh)
    second = fresh.import_records(NativeJsonImporter().parse(path))
    assert (first.imported, first.skipped_duplicates) == (n, 0)
    assert (second.imported, second.skipped_duplicates) == (0, n)
    assert row_count(fresh) == rows
    # Into the journal it came from: everything is a duplicate.
    again = full.import_records(NativeJsonImporter().parse(path))
    assert (again.imported, again.skipped_duplicates) == (0, n)


def test_an_entry_with_the_same_date_and_text_is_a_duplicate(journal: Journal) -> None:
    e = journal.add_entry(title="Same", body="text", created=datetime(2024, 1, 1, tzinfo=UTC))
    twin = Entry(title=" Same ", body="text\n", created=e.created, tags=["other"])
    assert twin.id != e.id
    assert _entry_key(twin) == _entry_key(e)
    distinct = Entry(title="Same", body="text", created=datetime(2024, 1, 2, tzinfo=UTC))
    result = journal.import_records([twin, distinct, distinct])
    assert (result.imported, result.skipped_duplicates) == (1, 2)
    assert len(journal.entries()) == 2


def test_import_progress_and_locked_journal(journal: Journal) -> None:
    calls: list[tuple[int, int]] = []
    journal.import_records([Entry(title="a"), Entry(title="b")], progress=lambda d, t: calls.append(
        (d, t)))
    assert calls and calls[-1] == (2, 2)
    journal.lock()
    with pytest.raises(VaultLockedError):
        journal.import_records([Entry(title="c")])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries(), max_size=6, unique_by=lambda e: e.id))
def test_native_round_trip_property(items: list[Entry]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json"
        assert NativeJsonExporter().write(items, path) == len(items)
        back = NativeJsonImporter().parse(path)
        assert dump(back) == dump(items)  # type: ignore[arg-type]
        for a, b in zip(sorted(items, key=lambda e: e.id), sorted(back, key=lambda r: r.id),
                        strict=True):
            assert a == b
            assert isinstance(b, Entry)
            assert a.created.isoformat() == b.created.isoformat()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries(), max_size=4, unique_by=(lambda e: e.id, _entry_key)))
def test_native_round_trip_through_two_vaults(items: list[Entry]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src, _ = Journal.create(Path(tmp) / "a", PASS, kdf=TEST_KDF)
        dst, _ = Journal.create(Path(tmp) / "b", PASS, kdf=TEST_KDF)
        try:
            assert src.import_records(items).imported == len(items)
            path = Path(tmp) / "export.json"
            export(src, path)
            result = dst.import_records(NativeJsonImporter().parse(path))
            assert result.imported == len(items)
            assert dump(dst.all_records()) == dump(items)  # type: ignore[arg-type]
        finally:
            src.close()
            dst.close()


# ============================================================================ jrnl JSON

JRNL_EXPORT = {
    "tags": {"@work": 2, "@home": 1},
    "entries": [
        {
            "title": "Long shift",
            "body": "Three admissions.\nOne hard conversation.\n",
            "date": "2024-03-01",
            "time": "18:30",
            "tags": ["@work"],
            "starred": True,
        },
        {
            "title": "  Quiet day  ",
            "body": "Read a book by the @home window.",
            "date": "2024-03-02",
            "time": "09:05",
            "tags": ["@home", "@Work"],
            "starred": False,
            # Extra keys jrnl writes for Day One journals are ignored.
            "uuid": "9D1A2B3C",
            "creator": {"device_name": "phone"},
            "location": {"latitude": 1.5},
            "weather": {"conditions": "rain"},
        },
        {"title": "No time given", "body": "", "date": "2024-03-03"},
    ],
}


def test_jrnl_import(journal: Journal, tmp_path: Path) -> None:
    path = write_json(tmp_path / "jrnl.json", JRNL_EXPORT)
    records = JrnlJsonImporter().parse(path)
    assert len(records) == 3
    result = journal.import_records(records)
    assert (result.imported, result.skipped_duplicates) == (3, 0)
    by_title = {e.title: e for e in journal.entries()}
    assert set(by_title) == {"Long shift", "Quiet day", "No time given"}

    shift = by_title["Long shift"]
    assert shift.body == "Three admissions.\nOne hard conversation."
    assert shift.created == datetime(2024, 3, 1, 18, 30).astimezone()
    assert shift.created.tzinfo is not None
    assert (shift.created.date().isoformat(), shift.created.strftime("%H:%M")) == (
        "2024-03-01", "18:30")
    assert shift.tags == ("work",)
    assert shift.starred is True

    quiet = by_title["Quiet day"]
    assert quiet.body == "Read a book by the @home window."
    assert quiet.created == datetime(2024, 3, 2, 9, 5).astimezone()
    assert quiet.tags == ("home", "work")
    assert quiet.starred is False

    untimed = by_title["No time given"]
    assert untimed.created == datetime(2024, 3, 3, 0, 0).astimezone()
    assert untimed.tags == () and untimed.body == ""

    # Newest first, as written in jrnl.
    assert [e.title for e in journal.entries()] == ["No time given", "Quiet day", "Long shift"]
    assert [e.title for _h, e in journal.search("admissions")] == ["Long shift"]
    assert [e.title for _h, e in journal.search("shift")] == ["Long shift"]


def test_jrnl_import_twice_skips_duplicates(journal: Journal, tmp_path: Path) -> None:
    path = write_json(tmp_path / "jrnl.json", JRNL_EXPORT)
    journal.import_records(JrnlJsonImporter().parse(path))
    # jrnl entries have no ids: the second import is recognised by date and text.
    again = journal.import_records(JrnlJsonImporter().parse(path))
    assert (again.imported, again.skipped_duplicates) == (0, 3)
    assert len(journal.entries()) == 3


def test_jrnl_with_offset_and_bom(tmp_path: Path) -> None:
    doc = {"entries": [{"title": "t", "body": "b", "date": "2024-03-01", "time": "18:30+05"}]}
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc).encode())
    (entry,) = JrnlJsonImporter().parse(path)
    assert isinstance(entry, Entry)
    assert entry.created.utcoffset() is not None
    assert entry.created.utcoffset().total_seconds() == 5 * 3600  # type: ignore[union-attr]


def test_jrnl_empty_export(tmp_path: Path) -> None:
    assert JrnlJsonImporter().parse(write_json(tmp_path / "e.json", {"entries": []})) == []


# ============================================================================ hostile files


def _native_doc(**record_changes: Any) -> dict[str, Any]:
    record = {
        "id": "0123456789abcdef0123456789abcdef",
        "kind": "entry",
        "schema_version": 1,
        "data": Entry(title="ok", body="fine").payload(),
    }
    record.update(record_changes)
    return {"format": "journal-app", "version": 1, "exported": "2024-01-01T00:00:00+00:00",
            "records": [record]}


def _with_data(**data_changes: Any) -> dict[str, Any]:
    doc = _native_doc()
    doc["records"][0]["data"].update(data_changes)
    return doc


def _raw(text: bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(text)

    return write


def _doc(value: Any) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        write_json(path, value)

    return write


def _truncated(value: Any) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        text = json.dumps(value).encode()
        path.write_bytes(text[: len(text) // 2])

    return write


def _revision_doc(payload: Any, target_kind: str = "entry") -> dict[str, Any]:
    rev = Revision(target_id="a" * 32, target_kind="entry", target_schema=1,
                   payload_data={}).payload()
    rev["payload_data"] = payload
    rev["target_kind"] = target_kind
    return _native_doc(kind="revision", data=rev, id="b" * 32)


def _deep(levels: int) -> Callable[[Path], None]:
    return _raw(b'{"format": "journal-app", "version": 1, "records": ' + b"[" * levels
                + b"]" * levels + b"}")


def _dup_ids() -> dict[str, Any]:
    doc = _native_doc()
    doc["records"].append(dict(doc["records"][0]))
    doc["records"][1]["data"] = {**doc["records"][1]["data"], "title": "other"}
    return doc


NATIVE_HOSTILE: dict[str, Callable[[Path], None]] = {
    "empty file": _raw(b""),
    "truncated": _truncated(_native_doc()),
    "not json": _raw(b"journal-app export, honest"),
    "not utf-8": _raw(json.dumps(_native_doc()).encode().replace(b'"ok"', b'"\xff\xfe"')),
    "latin-1": _raw('{"format": "journal-app", "version": 1, "records": [], "x": "é"}'.encode(
        "latin-1")),
    "utf-16": _raw(json.dumps(_native_doc()).encode("utf-16")),
    "array": _doc([_native_doc()]),
    "string": _doc("journal-app"),
    "null": _doc(None),
    "number": _doc(1),
    "no format": _doc({"version": 1, "records": []}),
    "other format": _doc({**_native_doc(), "format": "jrnl"}),
    "version 2": _doc({**_native_doc(), "version": 2}),
    "version text": _doc({**_native_doc(), "version": "1"}),
    "version true": _doc({**_native_doc(), "version": True}),
    "version 1.0": _doc({**_native_doc(), "version": 1.0}),
    "no records": _doc({"format": "journal-app", "version": 1}),
    "records object": _doc({**_native_doc(), "records": {"0": {}}}),
    "record not object": _doc({**_native_doc(), "records": [["id", "kind"]]}),
    "record extra key": _doc({**_native_doc(), "records": [{**_native_doc()["records"][0],
                                                             "extra": 1}]}),
    "record missing key": _doc({**_native_doc(), "records": [{"id": "0" * 32, "kind": "entry",
                                                               "data": {}}]}),
    "id short": _doc(_native_doc(id="0123")),
    "id not hex": _doc(_native_doc(id="z" * 32)),
    "id upper": _doc(_native_doc(id="A" * 32)),
    "id number": _doc(_native_doc(id=12345)),
    "duplicate ids": _doc(_dup_ids()),
    "unknown kind": _doc(_native_doc(kind="checkin")),
    "kind not text": _doc(_native_doc(kind=["entry"])),
    "identity kind": _doc(_native_doc(kind="identity")),
    "schema text": _doc(_native_doc(schema_version="1")),
    "schema true": _doc(_native_doc(schema_version=True)),
    "schema future": _doc(_native_doc(schema_version=99)),
    "schema zero": _doc(_native_doc(schema_version=0)),
    "data not object": _doc(_native_doc(data="title: ok")),
    "data carries id": _doc(_with_data(id="0" * 32)),
    "unknown field": _doc(_with_data(colour="red")),
    "title wrong type": _doc(_with_data(title=["ok"])),
    "title too long": _doc(_with_data(title="t" * 1001)),
    "body too long": _doc(_with_data(body="b" * (MAX_BODY + 1))),
    "tag too long": _doc(_with_data(tags=["x" * 101])),
    "too many tags": _doc(_with_data(tags=[f"t{i}" for i in range(1001)])),
    "empty tag": _doc(_with_data(tags=["#"])),
    "mood out of range": _doc(_with_data(mood=11)),
    "mood float": _doc(_with_data(mood=1.5)),
    "starred text": _doc(_with_data(starred="true")),
    "intensity out of range": _doc(_with_data(emotions=[{"name": "sad", "intensity": 0}])),
    "unknown encounter": _doc(_with_data(encounter="picnic")),
    "naive date": _doc(_with_data(created="2024-03-01T10:00:00")),
    "bad date": _doc(_with_data(created="2024-02-30T10:00:00+00:00")),
    "huge date text": _doc(_with_data(created="2024-03-01T10:00:00+00:00" + "0" * 10_000)),
    "lone surrogate": _raw(json.dumps(_with_data(title="x")).encode().replace(b'"x"',
                                                                              b'"\\ud800"')),
    "huge integer": _raw(
        json.dumps(_with_data(mood=0)).encode().replace(b'"mood": 0', b'"mood": ' + b"9" * 5000)
    ),
    "deep nesting": _deep(100_000),
    "revision bad payload": _doc(_revision_doc({"title": 5})),
    "revision payload unknown field": _doc(_revision_doc({"colour": "red"})),
    "revision payload not object": _doc(_revision_doc(["x"])),
    "revision of revision": _doc(_revision_doc({}, target_kind="revision")),
}

JRNL_GOOD = {"title": "t", "body": "b", "date": "2024-03-01", "time": "18:30", "tags": ["@a"],
             "starred": False}


def _jrnl(**changes: Any) -> dict[str, Any]:
    item = {**JRNL_GOOD, **changes}
    for key, value in changes.items():
        if value is ...:
            del item[key]
    return {"tags": {}, "entries": [JRNL_GOOD, item]}


JRNL_HOSTILE: dict[str, Callable[[Path], None]] = {
    "empty file": _raw(b""),
    "truncated": _truncated(_jrnl()),
    "not utf-8": _raw(json.dumps(_jrnl()).encode().replace(b'"t"', b'"\xc3\x28"')),
    "array": _doc([JRNL_GOOD]),
    "string": _doc("entries"),
    "no entries": _doc({"tags": {}}),
    "entries object": _doc({"entries": {"0": JRNL_GOOD}}),
    "entry not object": _doc({"entries": [JRNL_GOOD, "t"]}),
    "title number": _doc(_jrnl(title=5)),
    "body null": _doc(_jrnl(body=None)),
    "no date": _doc(_jrnl(date=...)),
    "date number": _doc(_jrnl(date=20240301)),
    "date invalid": _doc(_jrnl(date="2024-13-01")),
    "date words": _doc(_jrnl(date="yesterday")),
    "date too long": _doc(_jrnl(date="2024-03-01T10:00")),
    "time invalid": _doc(_jrnl(time="25:00")),
    "time number": _doc(_jrnl(time=1830)),
    "time too long": _doc(_jrnl(time="18:30:00.000000")),
    "tags text": _doc(_jrnl(tags="@a")),
    "tag number": _doc(_jrnl(tags=[1])),
    "tag empty": _doc(_jrnl(tags=["@"])),
    "tag too long": _doc(_jrnl(tags=["@" + "x" * 101])),
    "starred text": _doc(_jrnl(starred="yes")),
    "title too long": _doc(_jrnl(title="t" * 1001)),
    "body too long": _doc(_jrnl(body="b" * (MAX_BODY + 1))),
    "lone surrogate": _raw(json.dumps(_jrnl(title="x")).encode().replace(b'"x"', b'"\\udc80"')),
    "huge integer": _raw(b'{"entries": [], "n": ' + b"1" * 5000 + b"}"),
    "deep nesting": _raw(b'{"entries": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
}


def _check_nothing_imported(
    journal: Journal, importer: Importer, path: Path
) -> None:
    before_entries = [e.id for e in journal.entries()]
    before_rows = row_count(journal)
    with pytest.raises(InvalidDataError) as info:
        journal.import_records(importer.parse(path))
    assert str(info.value)  # one plain sentence
    assert [e.id for e in journal.entries()] == before_entries
    assert row_count(journal) == before_rows


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    """One journal for all hostile files (each test checks that its file changed nothing)."""
    j, _ = Journal.create(tmp_path_factory.mktemp("seeded") / "vault", PASS, kdf=TEST_KDF)
    j.add_entry(title="already here")
    yield j
    assert [e.title for e in j.entries()] == ["already here"]
    j.close()


@pytest.mark.parametrize("name", list(NATIVE_HOSTILE))
def test_hostile_native_files_import_nothing(seeded: Journal, tmp_path: Path, name: str) -> None:
    path = tmp_path / "hostile.json"
    NATIVE_HOSTILE[name](path)
    _check_nothing_imported(seeded, NativeJsonImporter(), path)


@pytest.mark.parametrize("name", list(JRNL_HOSTILE))
def test_hostile_jrnl_files_import_nothing(seeded: Journal, tmp_path: Path, name: str) -> None:
    path = tmp_path / "hostile.json"
    JRNL_HOSTILE[name](path)
    _check_nothing_imported(seeded, JrnlJsonImporter(), path)


def test_the_hostile_builders_start_from_valid_files(tmp_path: Path) -> None:
    """Each hostile file changes one thing in a file that imports: the change is what fails."""
    assert len(NativeJsonImporter().parse(write_json(tmp_path / "n.json", _native_doc()))) == 1
    assert len(JrnlJsonImporter().parse(write_json(tmp_path / "j.json", _jrnl()))) == 2
    rev = NativeJsonImporter().parse(
        write_json(tmp_path / "r.json", _revision_doc(Entry(title="old").payload()))
    )
    assert isinstance(rev[0], Revision) and rev[0].record().title == "old"  # type: ignore[attr-defined]


@pytest.mark.parametrize("importer", [NativeJsonImporter(), JrnlJsonImporter()])
def test_missing_file_and_folder(tmp_path: Path, importer: Importer) -> None:
    with pytest.raises(InvalidDataError):
        importer.parse(tmp_path / "missing.json")
    with pytest.raises(InvalidDataError):
        importer.parse(tmp_path)


def test_error_messages_do_not_quote_the_file(tmp_path: Path) -> None:
    secret = "SECRETWORDS"
    path = write_json(tmp_path / "x.json", _with_data(title=secret * 100))
    with pytest.raises(InvalidDataError) as info:
        NativeJsonImporter().parse(path)
    assert secret not in str(info.value)
    path.write_text('{"entries": [{"title": "' + secret + '", "date": 5}]}')
    with pytest.raises(InvalidDataError) as info:
        JrnlJsonImporter().parse(path)
    assert secret not in str(info.value)


# ============================================================================ fuzzing


@pytest.fixture(scope="module")
def fuzz_journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    j, _ = Journal.create(tmp_path_factory.mktemp("fuzz") / "vault", PASS, kdf=TEST_KDF)
    yield j
    j.close()


def _parse_or_refuse(importer: Importer, value: Any, journal: Journal) -> list[Record] | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_json(Path(tmp) / "f.json", value)
        rows = row_count(journal)
        try:
            records = importer.parse(path)
        except InvalidDataError:
            assert row_count(journal) == rows
            return None
    assert all(isinstance(r, Record) for r in records)
    # What parses also imports without an error of another kind.
    journal.import_records(records)
    return records


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_values)
def test_random_json_values(fuzz_journal: Journal, value: Any) -> None:
    native = _parse_or_refuse(NativeJsonImporter(), value, fuzz_journal)
    if not (isinstance(value, dict) and value.get("format") == "journal-app"):
        assert native is None
    jrnl = _parse_or_refuse(JrnlJsonImporter(), value, fuzz_journal)
    if not (isinstance(value, dict) and isinstance(value.get("entries"), list)):
        assert jrnl is None


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    return [_replace(v, rest, new) if i == head else v for i, v in enumerate(value)]


NATIVE_BASE = _revision_doc(Entry(title="old", tags=["a"], emotions=[Emotion("sad")]).payload())
NATIVE_BASE["records"].append(_native_doc()["records"][0])


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_valid_files_with_one_value_replaced(fuzz_journal: Journal, data: st.DataObject) -> None:
    for importer, base in ((NativeJsonImporter(), NATIVE_BASE), (JrnlJsonImporter(), _jrnl())):
        path = data.draw(st.sampled_from(_paths(base)))
        value = _replace(base, path, data.draw(json_values))
        records = _parse_or_refuse(importer, value, fuzz_journal)
        for record in records or []:
            if isinstance(record, Revision):
                record.record()  # an imported revision can always be restored
