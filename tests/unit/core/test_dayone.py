"""Day One's JSON export: hand-written fixtures import with every field; hostile exports import
nothing and say why in one sentence."""

from __future__ import annotations

import json
import re
import shutil
import warnings
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.core.errors import InvalidDataError
from journal_app.core.interchange import dayone as dayone_module
from journal_app.core.interchange import import_format
from journal_app.core.interchange.dayone import DayOneImporter, _zone, undo_escapes
from journal_app.core.records.model import Attachment, AttachmentData, Entry, Record
from journal_app.core.vault.journal import Journal
from tests.helpers.images import gif, jpeg_header, png

from .strategies import json_values

FIXTURES = Path(__file__).parents[2] / "e2e" / "fixtures" / "dayone"
PHOTOS = {
    "photos/0b5e1f6e9c2a4d7f8e3b1a6c5d4e3f2a.png": png(3, 2, comment="after the code"),
    "photos/2d7f9b1c3e5a4f6b8d0c2e4a6b8d0f1e.jpeg": jpeg_header(b"drawing two"),
    "photos/1c6e8a0b2d4f3e5a7c9b1d3f5e7a9c0b.gif": gif(),
    "audios/3e8a0c2b4d6f5a7c9e1b3d5f7a9c1e2d.m4a": b"\x00\x00\x00\x20ftypM4A voice",
}


def make_zip(path: Path, files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def fixture_files() -> dict[str, bytes]:
    return {"Journal.json": (FIXTURES / "Journal.json").read_bytes(),
            "Residency.json": (FIXTURES / "Residency.json").read_bytes(), **PHOTOS}


def one_journal(entries: Any, files: dict[str, bytes] | None = None) -> dict[str, bytes]:
    doc = {"metadata": {"version": "1.0"}, "entries": entries}
    return {"Journal.json": json.dumps(doc).encode(), **(files or {})}


def entry_item(**fields: Any) -> dict[str, Any]:
    return {"uuid": "0" * 32, "creationDate": "2024-03-01T18:30:00Z",
            "timeZone": "Europe/Berlin", "text": "hello", **fields}


def parse(path: Path) -> list[Record]:
    return DayOneImporter().parse(path)


def refused(path: Path) -> str:
    with pytest.raises(InvalidDataError) as caught:
        parse(path)
    message = caught.value.message
    assert message.endswith(("nothing was imported.", "too large to import.",
                             "does not exist.")), message
    assert "\n" not in message
    return message


# ============================================================================ the fixtures


def test_registered() -> None:
    assert import_format("dayone").make is DayOneImporter


def test_fixture_imports_with_every_field(tmp_path: Path, journal: Journal) -> None:
    importer = DayOneImporter()
    records = importer.parse(make_zip(tmp_path / "Export.zip", fixture_files()))
    entries = [r for r in records if isinstance(r, Entry)]
    attachments = [r for r in records if isinstance(r, Attachment)]
    blobs = {r.id: r for r in records if isinstance(r, AttachmentData)}
    assert len(entries) == 4 and len(attachments) == 3 and len(blobs) == 3
    by_text = {e.first_line(): e for e in entries}

    code = by_text["After the code"]
    assert code.title == ""  # Day One has no title: the first line is, as for any entry
    assert code.display_title() == "After the code"
    assert code.created == datetime(2024, 3, 1, 19, 30, tzinfo=timezone(timedelta(hours=1)))
    assert code.created.utcoffset() == timedelta(hours=1)  # Berlin in March, not UTC
    assert code.updated == datetime(2024, 3, 2, 8, 5, 10, tzinfo=timezone(timedelta(hours=1)))
    assert code.starred is True
    assert code.tags == ("night shift", "code blue")
    assert code.body == (
        "# After the code\n\n"
        "We ran it for 40 minutes. It was 3-4 am! I keep thinking (again) about the first "
        "compressions.\n\n"
        "[Photo: Photo 1.png]\n\n"
        "- what went well: the team\n- what to change: call for help earlier\n\n"
        "See **the debrief notes** and `code \\. stays` as typed.\n"
        "1\\. not a list"
    )
    (photo,) = [a for a in attachments if a.entry_id == code.id]
    assert (photo.name, photo.media_type, photo.size) == (
        "Photo 1.png", "image/png", len(PHOTOS["photos/0b5e1f6e9c2a4d7f8e3b1a6c5d4e3f2a.png"]))
    assert blobs[photo.data_id].data == PHOTOS["photos/0b5e1f6e9c2a4d7f8e3b1a6c5d4e3f2a.png"]
    assert photo.created == code.created  # the first photo; the next ones 1 µs apart

    la = by_text["Evening in LA, still 1 March there. Two drawings:"]
    assert la.created == datetime(2024, 3, 1, 19, 30, tzinfo=timezone(timedelta(hours=-8)))
    assert la.created.date() == date(2024, 3, 1)  # the day it was where it was written
    assert la.starred is False and la.tags == ()
    drawings = [a for a in attachments if a.entry_id == la.id]
    assert [(a.name, a.media_type) for a in drawings] == [
        ("Photo 1.gif", "image/gif"), ("IMG_0421.JPG", "image/jpeg")]  # orderInEntry
    assert la.body == ("Evening in LA, still 1 March there. Two drawings:\n\n"
                       "[Photo: Photo 1.gif]\n[Photo: IMG_0421.JPG]\n\n"
                       "And a voice note: [Audio recording not imported]")

    leap = by_text["Leap day, written in Kolkata time."]
    assert leap.created == datetime(2024, 3, 1, 5, 29, 59,
                                    tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert leap.updated == leap.created and leap.tags == ("travel",)

    teaching = by_text["Teaching round"]
    assert teaching.created == datetime(2023, 11, 20, 12, 0, tzinfo=UTC)
    assert teaching.body == ("Teaching round\n\n"
                             "The students asked about sepsis-3 criteria (qSOFA).")

    assert importer.notes() == [
        "1 video(s), audio recording(s) or PDF(s) were not imported: journal-app keeps images "
        "only. The text says where each one was."]

    result = journal.import_records(records)
    assert (result.imported, result.skipped_duplicates) == (7, 0)
    assert journal.attachment_data(drawings[1].id) == jpeg_header(b"drawing two")
    assert [a.name for a in journal.attachments(la.id)] == ["Photo 1.gif", "IMG_0421.JPG"]
    assert journal.get_entry(code.id) == code
    assert journal.verify().ok
    assert [e.id for _h, e in journal.search("compressions")] == [code.id]


def test_a_second_import_skips_entries_and_their_photos(tmp_path: Path,
                                                          journal: Journal) -> None:
    path = make_zip(tmp_path / "Export.zip", fixture_files())
    first = journal.import_records(parse(path))
    rows = journal._store.count()
    second = journal.import_records(parse(path))  # new ids, same dates and text
    assert first.imported == 7
    assert (second.imported, second.skipped_duplicates) == (0, 7)
    assert journal._store.count() == rows
    assert journal.verify().ok


def test_an_unpacked_folder_reads_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "Export"
    for name, data in fixture_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "photos" / "outside-link.png").symlink_to(tmp_path)  # not followed
    from_zip = parse(make_zip(tmp_path / "Export.zip", fixture_files()))
    from_folder = parse(folder)

    def shape(records: list[Record]) -> list[Any]:
        return sorted((type(r).__name__, getattr(r, "body", ""), getattr(r, "name", ""),
                       getattr(r, "data", b"")) for r in records)

    assert shape(from_folder) == shape(from_zip)


def test_a_lone_journal_file(tmp_path: Path) -> None:
    lone = tmp_path / "Residency.json"
    shutil.copy(FIXTURES / "Residency.json", lone)
    (entry,) = parse(lone)
    assert isinstance(entry, Entry) and entry.tags == ("teaching",)
    # Without its photos folder, a journal with photos is refused, naming the photo.
    message = refused(FIXTURES / "Journal.json")
    assert message == ("Journal.json, entry 1: its photo "
                       "photos/0b5e1f6e9c2a4d7f8e3b1a6c5d4e3f2a.png is not in the export; "
                       "nothing was imported.")


def test_journals_in_a_folder_inside_the_zip(tmp_path: Path) -> None:
    files = {f"Export 2024/{name}": data for name, data in fixture_files().items()}
    records = parse(make_zip(tmp_path / "x.zip", files))
    assert sum(isinstance(r, Attachment) for r in records) == 3


def test_photos_that_cannot_be_kept_are_left_out_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = [entry_item(text="a ![](dayone-moment://P1) b ![](dayone-moment://P2) "
                               "c ![](dayone-moment://NOPE) d ![](dayone-moment:/video/V1)",
                          photos=[{"identifier": "P1", "md5": "a" * 32, "type": "pdf"},
                                  {"identifier": "P2", "md5": "b" * 32, "type": "png"}],
                          videos=[{"identifier": "V1", "md5": "c" * 32, "type": "mov"}])]
    files = one_journal(entries, {f"photos/{'a' * 32}.pdf": b"%PDF-1.4 not an image",
                                  f"photos/{'b' * 32}.png": png() + bytes(100)})
    monkeypatch.setattr(dayone_module, "MAX_ATTACHMENT_BYTES", len(png()) + 50)
    importer = DayOneImporter()
    (entry,) = importer.parse(make_zip(tmp_path / "x.zip", files))
    assert isinstance(entry, Entry)
    assert entry.body == ("a [Photo not imported] b [Photo not imported] c [Photo not imported] "
                          "d [Video not imported]")
    assert importer.notes()[0].startswith("1 video(s)")
    assert importer.notes()[1].startswith("2 photo(s) were not imported: larger than ")
    assert importer.notes()[1].endswith(" MB, or not PNG, JPEG, GIF, WebP or HEIC images.")


@pytest.mark.parametrize(("zone", "offset"), [
    ("Europe/Berlin", timedelta(hours=1)),
    ("America/Los_Angeles", timedelta(hours=-8)),
    ("GMT+0530", timedelta(hours=5, minutes=30)),
    ("GMT-03:00", timedelta(hours=-3)),
    ("UTC", timedelta(0)),
    ("GMT", timedelta(0)),
])
def test_time_zones(zone: str, offset: timedelta) -> None:
    tz = _zone(zone)
    assert tz is not None
    assert datetime(2024, 3, 1, 12, tzinfo=UTC).astimezone(tz).utcoffset() == offset


@pytest.mark.parametrize("zone", [
    "../../etc/passwd", "/etc/localtime", "Not/AZone", "GMT+25", "", "x" * 100, 5, None,
    "Europe/Berlin\x00",
])
def test_unknown_time_zones_fall_back_to_the_local_one(zone: Any, tmp_path: Path) -> None:
    assert _zone(zone) is None
    (entry,) = parse(make_zip(tmp_path / "x.zip", one_journal([entry_item(timeZone=zone)])))
    assert isinstance(entry, Entry)
    expected = datetime(2024, 3, 1, 18, 30, tzinfo=UTC).astimezone()
    assert entry.created == expected
    assert entry.created.utcoffset() == expected.utcoffset()


def test_summer_time_is_the_offset_of_that_moment(tmp_path: Path) -> None:
    items = [entry_item(creationDate="2024-07-01T12:00:00Z", text="summer"),
             entry_item(creationDate="2024-01-01T12:00:00Z", text="winter")]
    summer, winter = parse(make_zip(tmp_path / "x.zip", one_journal(items)))
    assert isinstance(summer, Entry) and isinstance(winter, Entry)
    assert summer.created.utcoffset() == timedelta(hours=2)
    assert winter.created.utcoffset() == timedelta(hours=1)


# ============================================================================ hostile exports


def _set_flag(data: bytes, flag: int) -> bytes:
    """Set a general-purpose flag bit on every member (local and central headers)."""
    buf = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), bytes(buf)):
            pos = match.start() + offset
            buf[pos] |= flag
    return bytes(buf)


def _corrupt_member(data: bytes) -> bytes:
    """Flip a byte inside the first member's compressed data."""
    start = data.index(b"PK\x03\x04")
    name_len = int.from_bytes(data[start + 26:start + 28], "little")
    extra_len = int.from_bytes(data[start + 28:start + 30], "little")
    pos = start + 30 + name_len + extra_len + 3
    return data[:pos] + bytes([data[pos] ^ 0x55]) + data[pos + 1:]


def test_unsafe_names_are_refused(tmp_path: Path) -> None:
    for name in ("../Journal.json", "/abs/Journal.json", "a/../../Journal.json",
                 "C:/Journal.json", "a\\..\\Journal.json", "./Journal.json"):
        files = one_journal([entry_item()])
        files[name] = files.pop("Journal.json")
        message = refused(make_zip(tmp_path / "x.zip", files))
        assert "x.zip: the zip holds a file with an unsafe name" in message


def test_a_name_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it writes
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("Journal.json", json.dumps({"entries": []}))
            zf.writestr("Journal.json", json.dumps({"entries": [entry_item()]}))
    assert refused(path) == "x.zip: the zip holds Journal.json twice; nothing was imported."


def test_zip_bombs_are_refused_before_inflating(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    files = one_journal([entry_item()], {"photos/zeros.png": bytes(8 * 1024 * 1024)})
    message = refused(make_zip(tmp_path / "bomb.zip", files))
    assert message == ("bomb.zip: photos/zeros.png in the zip inflates suspiciously "
                       "(a zip bomb?); nothing was imported.")
    # Many members of honest ratio that add up to too much.
    monkeypatch.setattr(dayone_module, "MAX_TOTAL_BYTES", 4000)
    many = one_journal([entry_item()], {f"photos/{i}.png": png() * 10 for i in range(40)})
    assert "unpacks to more than 1 GB" in refused(
        make_zip(tmp_path / "many.zip", many, zipfile.ZIP_STORED))
    monkeypatch.setattr(dayone_module, "MAX_MEMBERS", 10)
    assert "too many files" in refused(make_zip(tmp_path / "many.zip", many))


def test_damaged_and_encrypted_members(tmp_path: Path) -> None:
    good = make_zip(tmp_path / "good.zip", one_journal([entry_item(text="x" * 5000)])).read_bytes()
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(_corrupt_member(good))
    assert refused(damaged) == ("damaged.zip: Journal.json in the zip is damaged; "
                                "nothing was imported.")
    locked = tmp_path / "locked.zip"
    locked.write_bytes(_set_flag(good, 0x1))
    assert refused(locked) == ("locked.zip: Journal.json in the zip is encrypted; "
                               "nothing was imported.")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good[: len(good) // 2])
    assert "damaged zip file" in refused(truncated)
    not_zip = tmp_path / "fake.zip"
    not_zip.write_bytes(b"PK\x03\x04" + b"\x00" * 10)
    assert "damaged zip file" in refused(not_zip)


def test_an_export_without_journals(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "x.zip", {"photos/a.png": png(), "__MACOSX/._Journal.json": b"x"})
    assert refused(path) == "x.zip holds no Day One journal (a .json file); nothing was imported."
    assert "does not exist" in refused(tmp_path / "missing.zip")


def test_a_missing_photo_names_it_and_the_entry(tmp_path: Path) -> None:
    files = fixture_files()
    del files["photos/1c6e8a0b2d4f3e5a7c9b1d3f5e7a9c0b.gif"]
    assert refused(make_zip(tmp_path / "Export.zip", files)) == (
        "Export.zip: Journal.json, entry 2: its photo "
        "photos/1c6e8a0b2d4f3e5a7c9b1d3f5e7a9c0b.gif is not in the export; nothing was imported.")


def test_not_utf8_and_not_json_name_the_line(tmp_path: Path) -> None:
    text = b'{\n  "entries": [\n    {"text": "caf\xe9"}\n  ]\n}'
    assert refused(make_zip(tmp_path / "x.zip", {"Journal.json": text})) == (
        "x.zip: Journal.json is not UTF-8 text (line 3); nothing was imported.")
    broken = b'{\n  "entries": [\n    {"text": "a",}\n  ]\n}'
    assert refused(make_zip(tmp_path / "x.zip", {"Journal.json": broken})) == (
        "x.zip: Journal.json is not valid JSON (line 3); nothing was imported.")
    deep = b"[" * 100_000
    assert "not valid JSON" in refused(make_zip(tmp_path / "x.zip", {"Journal.json": deep}))


@pytest.mark.parametrize(("doc", "expected"), [
    ([], "Journal.json is not a Day One journal (no list of entries)"),
    ({"entries": {}}, "Journal.json is not a Day One journal (no list of entries)"),
    ({"metadata": [], "entries": []}, "Journal.json is not a Day One journal"),
    ({"entries": [5]}, "Journal.json, entry 1: not an object"),
    ({"entries": [{}]}, "entry 1: creationDate is missing or not a date"),
    ({"entries": [entry_item(creationDate="yesterday")]}, "creationDate is missing"),
    ({"entries": [entry_item(creationDate=20240301)]}, "creationDate is missing"),
    ({"entries": [entry_item(modifiedDate="soon")]}, "modifiedDate is not a date"),
    ({"entries": [entry_item(), entry_item(text=["x"])]}, "entry 2: text is not text"),
    ({"entries": [entry_item(tags="a,b")]}, "tags is not a list of words"),
    ({"entries": [entry_item(tags=[1])]}, "tags is not a list of words"),
    ({"entries": [entry_item(tags=["x" * 101])]}, "a tag needs 1 to 100 characters"),
    ({"entries": [entry_item(starred="yes")]}, "starred is not true or false"),
    ({"entries": [entry_item(photos={})]}, "photos is not a list"),
    ({"entries": [entry_item(videos="v")]}, "videos is not a list"),
    ({"entries": [entry_item(photos=[5])]}, "a photo is not an object"),
    ({"entries": [entry_item(photos=[{"identifier": "P", "md5": "../../etc/passwd"}])]},
     "photo 1 has no identifier or md5"),
    ({"entries": [entry_item(photos=[{"identifier": "P"}])]}, "photo 1 has no identifier or md5"),
    ({"entries": [entry_item(photos=[{"identifier": "P", "md5": "ab", "type": "../x"}])]},
     "photo 1 has an unknown type"),
    ({"entries": [entry_item(text="x" * 2_000_001)]}, "the text is too long"),
])
def test_wrong_shapes_name_the_entry(tmp_path: Path, doc: Any, expected: str) -> None:
    files = {"Journal.json": json.dumps(doc).encode()}
    message = refused(make_zip(tmp_path / "x.zip", files, zipfile.ZIP_STORED))
    assert expected in message
    assert message.startswith("x.zip: Journal.json")


def test_messages_never_quote_the_text(tmp_path: Path) -> None:
    secret = "canary-dayone-7f3a"
    docs = [{"entries": [entry_item(text=secret, tags=[secret * 20])]},
            {"entries": [entry_item(text=secret, creationDate=secret)]},
            {"entries": [entry_item(text=secret, photos=[{"identifier": secret, "md5": "ab"}])]}]
    for doc in docs:
        assert secret not in refused(make_zip(tmp_path / "x.zip",
                                              {"Journal.json": json.dumps(doc).encode()}))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_are_refused_plainly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.zip"
    path.write_bytes(data)
    try:
        records = parse(path)
    except InvalidDataError:
        return
    assert all(isinstance(r, Entry) for r in records)  # bytes that happen to be a lone JSON


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=json_values)
def test_random_json_is_refused_plainly_or_read(tmp_path: Path, doc: Any) -> None:
    path = make_zip(tmp_path / "x.zip", {"Journal.json": json.dumps(doc).encode()})
    try:
        records = parse(path)
    except InvalidDataError:
        return
    assert all(isinstance(r, Entry) for r in records)


entry_fields = st.fixed_dictionaries({}, optional={
    "creationDate": st.one_of(st.text(max_size=30), st.sampled_from(
        ["2024-03-01T18:30:00Z", "2024-03-01T18:30:00", "0001-01-01T00:00:00Z",
         "9999-12-31T23:59:59Z", "2024-02-30T00:00:00Z"]), st.integers()),
    "modifiedDate": st.one_of(st.none(), st.text(max_size=30), st.just("2020-01-01T00:00:00Z")),
    "timeZone": st.one_of(st.none(), st.text(max_size=40),
                          st.sampled_from(["Pacific/Kiritimati", "GMT-1200", "Etc/GMT+12"])),
    "text": st.one_of(st.text(max_size=80), st.integers(), st.none()),
    "tags": st.one_of(st.lists(st.text(max_size=12), max_size=3), st.text(max_size=5)),
    "starred": st.one_of(st.booleans(), st.integers(0, 1)),
    "photos": st.one_of(st.lists(st.dictionaries(
        st.sampled_from(["identifier", "md5", "type", "orderInEntry", "filename"]),
        st.one_of(st.text(max_size=10), st.integers(-2, 2)), max_size=5), max_size=2),
        st.none()),
})


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(entry_fields, min_size=1, max_size=3))
def test_hostile_entries_are_refused_plainly_or_read(tmp_path: Path,
                                                     items: list[dict[str, Any]]) -> None:
    path = make_zip(tmp_path / "x.zip", one_journal(items))
    try:
        records = parse(path)
    except InvalidDataError as exc:
        assert exc.message.startswith("x.zip: Journal.json")
        return
    for record in records:
        assert isinstance(record, Entry)
        assert record.created.tzinfo is not None and record.updated >= record.created


def test_nothing_is_imported_when_any_journal_is_bad(tmp_path: Path, journal: Journal) -> None:
    files = fixture_files()
    files["Zzz.json"] = json.dumps({"entries": [{}]}).encode()  # read after the good ones
    refused(make_zip(tmp_path / "x.zip", files))
    assert journal._store.count() == 0


# ============================================================================ escapes


@pytest.mark.parametrize(("text", "expected"), [
    ("Hello\\. It was 3\\-4 pm\\! \\(really\\)", "Hello. It was 3-4 pm! (really)"),
    ("Dr\\. Smith said \\#hashtag and 2\\+2\\=4", "Dr. Smith said #hashtag and 2+2=4"),
    ("\\*not bold\\* and \\_not\\_ and \\[not a link\\]", "\\*not bold\\* and \\_not\\_ and "
     "\\[not a link\\]"),
    ("1\\. not a list", "1\\. not a list"),
    ("2024\\. The year", "2024\\. The year"),
    ("\\# not a heading", "\\# not a heading"),
    ("\\- not a list item", "\\- not a list item"),
    ("- a list item \\- with a dash", "- a list item - with a dash"),
    ("- \\- not a nested list", "- \\- not a nested list"),
    ("> \\> not a nested quote", "> \\> not a nested quote"),
    ("\\> not a quote, but a\\>b", "\\> not a quote, but a>b"),
    ("# Heading \\#", "# Heading \\#"),
    ("\\-\\-\\-", "\\-\\-\\-"),
    ("wow\\!\\[not an image\\]", "wow!\\[not an image\\]"),
    ("\\![x](y)", "\\![x](y)"),
    ("[a]\\(b\\)", "[a]\\(b)"),
    ("`a\\.b` and a\\.b", "`a\\.b` and a.b"),
    ("```\ncode\\.here\n```\nafter\\.", "```\ncode\\.here\n```\nafter."),
    ("    indented\\.code", "    indented\\.code"),
    ("**bold** _it_ [link](https://example.org)", "**bold** _it_ [link](https://example.org)"),
    ("C:\\\\Users\\\\ana", "C:\\\\Users\\\\ana"),
    ("a\\\\\\.b", "a\\\\.b"),
])
def test_undo_escapes_examples(text: str, expected: str) -> None:
    assert undo_escapes(text) == expected


def _render(text: str) -> str:
    # The app's renderer; white space folded (a removed backslash moves tab stops).
    html = markdown.markdown(text, extensions=["extra", "sane_lists"])
    return re.sub(r"[ \t]+", " ", html)


MARKDOWN_ESCAPABLE = set("\\`*_{}[]()>#+-.!|")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1 \t\n.!-+()#>[]`*_|{}:~=", max_size=50))
def test_undoing_day_ones_escapes_renders_the_same(text: str) -> None:
    # Day One escapes punctuation in what was typed; undoing it must not change the page.
    escaped = "".join("\\" + c if c in MARKDOWN_ESCAPABLE else c for c in text)
    assert _render(undo_escapes(escaped)) == _render(escaped)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1 \t\n.!-+()#>[]`*_\\|{}", max_size=50))
def test_undoing_escapes_in_any_markdown_renders_the_same(text: str) -> None:
    assert _render(undo_escapes(text)) == _render(text)


def test_undo_escapes_is_linear_on_long_lines() -> None:
    import time

    text = "a\\. " * 200_000 + "`" * 20 + "x" + "\\`" * 10_000 + "\n" + "#" * 99 + "\\#a" * 50_000
    start = time.perf_counter()
    out = undo_escapes(text)
    # A hang guard, not a timing: linear work takes well under a second; a quadratic scan of
    # these 1.5 million characters would take hours.
    assert time.perf_counter() - start < 60
    assert out.startswith("a. a. ")
