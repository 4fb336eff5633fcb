"""Attachments: the records, the service API, lazy decryption, integrity, trash, JSON round trip."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal_app.core.errors import InvalidDataError, NotFoundError, VaultDamagedError
from journal_app.core.interchange import NativeJsonExporter, NativeJsonImporter
from journal_app.core.interchange.native import record_to_json
from journal_app.core.records import codec
from journal_app.core.records.attachments import (
    MAX_ATTACHMENT_BYTES,
    AttachmentRefusedError,
    check_attachment,
    clean_name,
    format_size,
    sniff_media_type,
)
from journal_app.core.records.model import (
    Attachment,
    AttachmentData,
    Entry,
    Record,
    decode_record,
    new_id,
)
from journal_app.core.vault.crypto import TEST_KDF, RecordCipher
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.search import SearchFilters
from journal_app.core.vault.store import ReadTransaction
from tests.helpers.images import gif, heic_header, jpeg_header, png, webp_header

PASS = "correct horse"


@pytest.fixture
def entry(journal: Journal) -> Entry:
    return journal.add_entry(title="Debrief", body="Notes from the family meeting.",
                             created=datetime(2024, 3, 1, 18, 30, tzinfo=UTC))


def dump(records: list[Record]) -> list[str]:
    return sorted(json.dumps(record_to_json(r), sort_keys=True) for r in records)


# ============================================================================ file checks


@pytest.mark.parametrize(("data", "expected"), [
    (png(), "image/png"),
    (jpeg_header(), "image/jpeg"),
    (gif(), "image/gif"),
    (webp_header(), "image/webp"),
    (heic_header(), "image/heic"),
    (heic_header(b"mif1", b"mif1heic"), "image/heic"),
    (heic_header(b"mif1", b"mif1miaf"), "image/heif"),
    (heic_header(b"avif", b"mif1avif"), None),
    (heic_header(b"mif1", b"mif1avif"), None),
    (b"%PDF-1.7\n", None),
    (b"II*\x00", None),  # TIFF
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
    (b"\x89PNG", None),  # truncated signature
    (b"RIFF\x00\x00\x00\x00WAVE", None),
    (b"", None),
])
def test_sniffing_reads_the_bytes(data: bytes, expected: str | None) -> None:
    assert sniff_media_type(data) == expected


def test_the_type_comes_from_the_bytes_never_the_claim() -> None:
    assert check_attachment(png()) == "image/png"
    assert check_attachment(png(), "image/png") == "image/png"
    with pytest.raises(AttachmentRefusedError, match="do not match"):
        check_attachment(png(), "image/jpeg")
    with pytest.raises(AttachmentRefusedError, match="PNG, JPEG, GIF, WebP or HEIC"):
        check_attachment(b"just some text that says it is a .png")
    with pytest.raises(AttachmentRefusedError, match="empty"):
        check_attachment(b"")


def test_size_limit_is_inclusive_and_says_the_limit() -> None:
    at_limit = png() + b"\x00" * (MAX_ATTACHMENT_BYTES - len(png()))
    assert check_attachment(at_limit) == "image/png"
    with pytest.raises(AttachmentRefusedError) as caught:
        check_attachment(at_limit + b"\x00")
    assert "too large" in caught.value.message
    assert "limit is 20 MB per file" in caught.value.message
    assert caught.value.exit_code == 4


@given(st.binary(max_size=64))
def test_sniffing_never_raises(data: bytes) -> None:
    assert sniff_media_type(data) in (None, "image/png", "image/jpeg", "image/gif",
                                      "image/webp", "image/heic", "image/heif")


@pytest.mark.parametrize(("name", "expected"), [
    ("note.png", "note.png"),
    ("/home/ana/Pictures/note.png", "note.png"),
    ("C:\\Users\\ana\\note.png", "note.png"),
    ("../../etc/passwd", "passwd"),
    ("  spaced .png ", "spaced .png"),
    ("e\u0301t\u00e9.png", "\u00e9t\u00e9.png"),  # NFC
    ("evil\u202egnp.exe", "evilgnp.exe"),  # no bidi override
    ("tab\there\n.png", "tabhere.png"),
    ("", "image.png"),
    ("/", "image.png"),
    ("bad\udcff.png", "bad?.png"),  # a lone surrogate from an undecodable argument
])
def test_clean_name(name: str, expected: str) -> None:
    assert clean_name(name, "image/png") == expected


def test_clean_name_keeps_the_extension_of_long_names() -> None:
    name = clean_name("x" * 400 + ".jpeg", "image/jpeg")
    assert len(name) == 255
    assert name.endswith("x.jpeg")


def test_format_size() -> None:
    assert [format_size(n) for n in (1, 812, 34 * 1024, int(2.4 * 1024 * 1024))] == [
        "1 byte", "812 bytes", "34 KB", "2.4 MB"]


# ============================================================================ records


def test_attachment_records_round_trip_through_the_codec() -> None:
    data = png(comment="hello")
    blob = AttachmentData(attachment_id=new_id(), data=data)
    attachment = Attachment(
        id=blob.attachment_id, entry_id=new_id(), data_id=blob.id, name="Ünïcødé note.png",
        media_type="image/png", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        created=datetime(2024, 3, 1, 18, 30, tzinfo=UTC),
    )
    for record in (attachment, blob):
        payload = codec.loads(codec.dumps(record.payload()))
        assert decode_record(record.KIND, 1, record.id, payload) == record
    # The image travels as base64 text inside the (encrypted) JSON payload.
    assert blob.payload()["data"] == base64.b64encode(data).decode()
    assert AttachmentData.EAGER is False and Attachment.EAGER is True
    assert not Attachment.SEARCHABLE and not AttachmentData.SEARCHABLE


@pytest.mark.parametrize("change", [
    {"entry_id": "not-an-id"},
    {"data_id": "A" * 32},
    {"name": ""},
    {"name": "x" * 256},
    {"name": "bad\udcff"},
    {"media_type": "application/pdf"},
    {"size": 0},
    {"size": MAX_ATTACHMENT_BYTES + 1},
    {"size": True},
    {"sha256": "0" * 63},
    {"sha256": "G" * 64},
    {"created": datetime(2024, 3, 1)},  # no offset
])
def test_attachment_validation(change: dict[str, Any]) -> None:
    fields: dict[str, Any] = dict(entry_id=new_id(), data_id=new_id(), name="a.png",
                                  media_type="image/png", size=3, sha256="0" * 64)
    Attachment(**fields)
    with pytest.raises(ValueError):
        Attachment(**{**fields, **change})


def test_attachment_data_refuses_bad_payloads() -> None:
    good = {"attachment_id": new_id(), "data": "iVBORw0KGgo="}
    assert isinstance(decode_record("attachment-data", 1, new_id(), good), AttachmentData)
    for bad in ({**good, "data": "not base64!"}, {**good, "data": ""}, {**good, "data": 5},
                {**good, "data": "é"}, {**good, "attachment_id": "x"}):
        with pytest.raises(codec.CodecError):
            decode_record("attachment-data", 1, new_id(), bad)


# ============================================================================ the service


def test_add_list_and_read_back(journal: Journal, entry: Entry) -> None:
    data = png(3, 2)
    attachment = journal.add_attachment(entry.id, "/tmp/scan of notes.png", data)
    assert (attachment.entry_id, attachment.name, attachment.media_type, attachment.size) == (
        entry.id, "scan of notes.png", "image/png", len(data))
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    second = journal.add_attachment(entry.id[:8], "drawing.gif", gif(), media_type="image/gif")
    assert journal.attachments(entry.id) == [attachment, second]
    assert journal.attachments("f" * 32) == []
    assert journal.attachment_data(attachment.id) == data
    assert journal.attachment_data(second.id[:8]) == gif()
    assert journal.get_attachment(attachment.id[:6]) == attachment
    # Only the descriptions live in memory; the images are read from the vault when asked.
    assert not any(isinstance(r, AttachmentData) for r in journal.held.records.values())
    assert journal.verify().ok


def test_attaching_needs_a_stored_entry_and_a_kept_image(journal: Journal, entry: Entry) -> None:
    with pytest.raises(NotFoundError):
        journal.add_attachment("a" * 32, "a.png", png())
    with pytest.raises(AttachmentRefusedError, match="not an image"):
        journal.add_attachment(entry.id, "a.png", b"%PDF-1.4 pretending")
    with pytest.raises(AttachmentRefusedError, match="do not match"):
        journal.add_attachment(entry.id, "a.png", png(), media_type="image/gif")
    with pytest.raises(AttachmentRefusedError, match="too large"):
        journal.add_attachment(entry.id, "a.png", png() + bytes(MAX_ATTACHMENT_BYTES))
    assert journal.attachments(entry.id) == []
    assert journal._store.count() == 1  # only the entry


def test_attachments_of_another_kind_of_id_are_not_found(journal: Journal, entry: Entry) -> None:
    with pytest.raises(NotFoundError):
        journal.attachment_data(entry.id)
    attachment = journal.add_attachment(entry.id, "a.png", png())
    with pytest.raises(NotFoundError):
        journal.get_entry(attachment.id)


class CountingOpens:
    """Records the kind of every record the cipher opens."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.kinds: list[str] = []
        original = RecordCipher.open

        def counting(cipher: RecordCipher, record_id: str, kind: str, *args: Any) -> bytes:
            self.kinds.append(kind)
            return original(cipher, record_id, kind, *args)

        monkeypatch.setattr(RecordCipher, "open", counting)


def test_unlocking_never_decrypts_images(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal, _ = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    with journal:
        entries = [journal.add_entry(title=f"Entry {i}", body=f"text {i}") for i in range(3)]
        ids = [journal.add_attachment(e.id, f"{i}.png", png(comment=f"c{i}")).id
               for i, e in enumerate(entries)]
    opens = CountingOpens(monkeypatch)
    journal = Journal.open(data_dir)
    with journal:
        journal.unlock(PASS)
        journal.sync()
        journal.prepare_search()
        assert len(journal.entries()) == 3
        assert [len(journal.attachments(e.id)) for e in entries] == [1, 1, 1]
        assert [h.id for h, _e in journal.search("text", SearchFilters())] != []
        # Entries are held from their list headers: each body is read for the index built
        # from scratch (and not kept), then again for its snippet (issue 18).
        assert opens.kinds.count("entry") == 6
        assert opens.kinds.count("attachment") == 3
        assert "attachment-data" not in opens.kinds
        assert not any(isinstance(r, AttachmentData) for r in journal.held.records.values())
        # Shown: exactly one image is decrypted.
        assert journal.attachment_data(ids[1]) == png(comment="c1")
        assert opens.kinds.count("attachment-data") == 1
        # Another process's write is picked up without decrypting images either.
        other = Journal.open(data_dir)
        other.unlock(PASS)
        other.add_attachment(entries[0].id, "late.png", png(comment="late"))
        other.close()
        assert journal.sync()
        assert len(journal.attachments(entries[0].id)) == 2
        assert opens.kinds.count("attachment-data") == 1


def test_search_never_indexes_attachments(journal: Journal, entry: Entry) -> None:
    journal.add_attachment(entry.id, "zebracrossing.png", png(comment="zebracrossing"))
    journal.prepare_search()
    assert journal.search("zebracrossing") == []
    assert journal.search("family") != []
    assert set(journal._search.ensure().state()) == {entry.id}
    journal.save_index_snapshot()
    journal.lock()
    journal.unlock(PASS)
    assert journal.search("zebracrossing") == []


# ============================================================================ integrity


def _swap_blob(journal: Journal, attachment: Attachment, data: bytes) -> None:
    """Replace an attachment's image with other bytes, properly sealed: only the checksum in
    the attachment can tell (an attacker with the key, or a bug)."""
    journal._write([AttachmentData(id=attachment.data_id, attachment_id=attachment.id, data=data)])


def test_a_changed_image_is_caught_by_its_checksum(journal: Journal, entry: Entry) -> None:
    attachment = journal.add_attachment(entry.id, "a.png", png())
    _swap_blob(journal, attachment, png(rgb=(1, 2, 3)))
    with pytest.raises(VaultDamagedError, match="checksum"):
        journal.attachment_data(attachment.id)
    report = journal.verify()
    assert not report.ok
    assert any("does not match its checksum" in p and attachment.id in p
               for p in report.problems)


def test_images_swapped_between_attachments_are_caught(journal: Journal, entry: Entry) -> None:
    a = journal.add_attachment(entry.id, "a.png", png())
    b = journal.add_attachment(entry.id, "b.gif", gif())
    journal._write([replace(a, data_id=b.data_id), replace(b, data_id=a.data_id)])
    for attachment in (a, b):
        with pytest.raises(VaultDamagedError):
            journal.attachment_data(attachment.id)
    assert sum("does not match" in p for p in journal.verify().problems) == 2


def _sql(journal: Journal, statement: str, *params: Any) -> None:
    conn = sqlite3.connect(journal._store.path)
    with conn:
        conn.execute(statement, params)
    conn.close()


def test_a_flipped_byte_in_an_image_row(journal: Journal, entry: Entry) -> None:
    attachment = journal.add_attachment(entry.id, "a.png", png())
    other = journal.add_attachment(entry.id, "b.png", png(rgb=(9, 9, 9)))
    conn = sqlite3.connect(journal._store.path)
    blob = conn.execute("SELECT blob FROM records WHERE id=?", (attachment.data_id,)).fetchone()[0]
    conn.close()
    flipped = bytes(blob[:40]) + bytes([blob[40] ^ 1]) + bytes(blob[41:])
    _sql(journal, "UPDATE records SET blob=? WHERE id=?", flipped, attachment.data_id)
    with pytest.raises(VaultDamagedError, match="damaged"):
        journal.attachment_data(attachment.id)
    assert journal.attachment_data(other.id) == png(rgb=(9, 9, 9))  # the rest still opens
    report = journal.verify()
    assert report.damaged_ids == [attachment.data_id]
    assert report.records_checked == 5
    assert len(report.problems) == 1  # the damage, not also a "missing image"


def test_a_deleted_image_row_is_reported(journal: Journal, entry: Entry) -> None:
    attachment = journal.add_attachment(entry.id, "a.png", png())
    _sql(journal, "DELETE FROM records WHERE id=?", attachment.data_id)
    with pytest.raises(VaultDamagedError, match="missing"):
        journal.attachment_data(attachment.id)
    problems = journal.verify().problems
    assert any("removed, added or rolled back" in p for p in problems)  # the manifest
    assert f"The image of attachment {attachment.id} is missing." in problems


def test_an_image_of_no_attachment_is_reported(journal: Journal, entry: Entry) -> None:
    attachment = journal.add_attachment(entry.id, "a.png", png())
    journal._write(deletes=[attachment.id])
    problems = journal.verify().problems
    assert problems == [f"Record {attachment.data_id} is an image that belongs to no attachment."]


def test_verify_reads_images_one_at_a_time(
    journal: Journal, entry: Entry, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        journal.add_attachment(entry.id, f"{i}.png", png(comment=str(i)))
    sizes: list[int] = []
    original = ReadTransaction.records

    def records(self: ReadTransaction, kinds: Any = None, ids: Any = None) -> Any:
        rows = original(self, kinds, ids)
        sizes.append(sum(r.kind == "attachment-data" for r in rows))
        return rows

    # verify reads everything in one read transaction: count what each of its reads holds.
    monkeypatch.setattr(ReadTransaction, "records", records)
    report = journal.verify()
    assert report.ok and report.records_checked == 7
    assert max(sizes) == 1


# ============================================================================ trash


def test_removed_attachments_wait_in_the_trash(journal: Journal, entry: Entry) -> None:
    keep = journal.add_attachment(entry.id, "keep.png", png())
    gone = journal.add_attachment(entry.id, "gone.png", png(rgb=(0, 0, 0)))
    removed = journal.remove_attachment(gone.id)
    assert removed.in_trash
    assert journal.attachments(entry.id) == [keep]
    assert journal.attachments(entry.id, trash=True) == [removed]
    assert journal.removed_attachments() == [removed]
    assert journal.attachment_data(gone.id) == png(rgb=(0, 0, 0))  # still viewable there
    restored = journal.restore_attachment(gone.id)
    assert journal.attachments(entry.id) == [keep, restored]
    journal.remove_attachment(gone.id)
    rows_before = journal._store.count()
    assert journal.empty_trash() == 0  # no entries, but the attachment goes for good
    assert journal._store.count() == rows_before - 2
    assert journal.removed_attachments() == []
    with pytest.raises(NotFoundError):
        journal.attachment_data(gone.id)
    assert journal.verify().ok


def test_attachments_follow_their_entry_into_the_trash_and_out(
    journal: Journal, entry: Entry
) -> None:
    attachment = journal.add_attachment(entry.id, "a.png", png())
    other = journal.add_entry(title="Other", body="stays")
    kept = journal.add_attachment(other.id, "k.png", png())
    journal.delete_entry(entry.id)
    assert journal.attachments(entry.id) == [attachment]  # still with the entry, in the trash
    journal.restore_entry(entry.id)
    assert journal.attachment_data(attachment.id) == png()
    journal.delete_entry(entry.id)
    assert journal.empty_trash() == 1
    ids = {i for i, _k, _v, _s in journal._store.id_seqs()}
    assert ids.isdisjoint({entry.id, attachment.id, attachment.data_id})
    assert {other.id, kept.id, kept.data_id} <= ids
    assert journal.verify().ok


# ============================================================================ JSON round trip


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Journal]:
    j, _ = Journal.create(tmp_path / "fresh", "another", kdf=TEST_KDF)
    yield j
    j.close()


def test_native_json_carries_attachments_exactly(
    journal: Journal, entry: Entry, fresh: Journal, tmp_path: Path
) -> None:
    a = journal.add_attachment(entry.id, "Ünïcødé scan.png", png(5, 5, comment="x"))
    b = journal.add_attachment(entry.id, "b.gif", gif())
    journal.remove_attachment(b.id)
    path = tmp_path / "export.json"
    original = journal.all_records()
    assert sum(isinstance(r, AttachmentData) for r in original) == 2
    NativeJsonExporter().write(original, path)
    doc = json.loads(path.read_text("utf-8"))
    kinds = sorted(item["kind"] for item in doc["records"])
    assert kinds == ["attachment", "attachment", "attachment-data", "attachment-data", "entry"]

    records = NativeJsonImporter().parse(path)
    assert dump(records) == dump(original)
    result = fresh.import_records(records)
    assert (result.imported, result.skipped_duplicates) == (3, 0)  # images are not counted
    assert dump(fresh.all_records()) == dump(original)
    assert fresh.attachment_data(a.id) == png(5, 5, comment="x")
    assert fresh.attachments(entry.id, trash=True)[0].name == "b.gif"
    assert fresh.verify().ok
    # A second import skips everything, attachments included.
    again = fresh.import_records(NativeJsonImporter().parse(path))
    assert (again.imported, again.skipped_duplicates) == (0, 3)


def test_attachments_of_a_skipped_duplicate_entry_are_skipped(
    journal: Journal, entry: Entry, fresh: Journal
) -> None:
    fresh.add_entry(replace(entry, id=new_id()))  # the same date and text, another id
    journal.add_attachment(entry.id, "a.png", png())
    rows = fresh._store.count()
    result = fresh.import_records(journal.all_records())
    assert (result.imported, result.skipped_duplicates) == (0, 2)
    assert fresh._store.count() == rows
    assert fresh.verify().ok


def _doc(records: list[Record]) -> dict[str, Any]:
    return {"format": "journal-app", "version": 1, "exported": "2024-01-01T00:00:00+00:00",
            "records": [record_to_json(r) for r in records]}


@pytest.mark.parametrize("breakage", [
    "no image", "no entry", "wrong checksum", "same size, other bytes", "wrong size",
    "image of another", "lone image",
])
def test_broken_attachments_in_an_import_import_nothing(
    journal: Journal, entry: Entry, fresh: Journal, tmp_path: Path, breakage: str
) -> None:
    attachment = journal.add_attachment(entry.id, "a.png", png())
    blob = AttachmentData(id=attachment.data_id, attachment_id=attachment.id, data=png())
    records: list[Record] = [entry, attachment, blob]
    if breakage == "no image":
        records = [entry, attachment]
    elif breakage == "no entry":
        records = [attachment, blob]
    elif breakage == "wrong checksum":
        records = [entry, attachment, replace(blob, data=png(rgb=(1, 1, 1)))]
    elif breakage == "same size, other bytes":  # only the checksum can tell
        other = png(rgb=(1, 2, 3))
        assert len(other) == attachment.size and other != blob.data
        records = [entry, attachment, replace(blob, data=other)]
    elif breakage == "wrong size":
        records = [entry, replace(attachment, size=attachment.size + 1), blob]
    elif breakage == "image of another":
        records = [entry, attachment, replace(blob, attachment_id=new_id())]
    elif breakage == "lone image":
        records = [entry, blob]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(_doc(records)), encoding="utf-8")
    parsed = NativeJsonImporter().parse(path)
    with pytest.raises(InvalidDataError, match="does not match its image or its entry"):
        fresh.import_records(parsed)
    assert fresh._store.count() == 0


def test_an_attachment_may_join_an_entry_already_here(
    journal: Journal, entry: Entry, fresh: Journal
) -> None:
    fresh.import_records([entry])
    attachment = journal.add_attachment(entry.id, "a.png", png())
    blob = AttachmentData(id=attachment.data_id, attachment_id=attachment.id, data=png())
    result = fresh.import_records([attachment, blob])
    assert result.imported == 1
    assert fresh.attachment_data(attachment.id) == png()


def test_bad_base64_in_an_import_is_an_invalid_file(tmp_path: Path) -> None:
    doc = _doc([])
    doc["records"] = [{"id": new_id(), "kind": "attachment-data", "schema_version": 1,
                       "data": {"attachment_id": new_id(), "data": "%%%"}}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InvalidDataError, match="record 1 is not valid"):
        NativeJsonImporter().parse(path)


def test_big_payloads_parse_as_strictly_as_small_ones() -> None:
    # Images are parsed by the standard library (orjson needs ~13x a long string's size).
    big = "x" * (codec.BIG_PAYLOAD + 10)
    assert codec.loads(codec.dumps({"data": big, "n": [1, 2.5, None, True]})) == {
        "data": big, "n": [1, 2.5, None, True]}
    for bad in (b'{"data": "' + big.encode() + b'", "n": NaN}',
                b'{"data": "' + big.encode() + b'", "n": Infinity}',
                b'{"data": "' + big.encode() + b'\xff"}',
                b'{"data": "' + big.encode() + b'"',
                b"[" * (codec.BIG_PAYLOAD + 1)):
        with pytest.raises(codec.CodecError):
            codec.loads(bad)
    for bad in (b'{"n": NaN}', b'{"n": Infinity}'):  # the same answer for small payloads
        with pytest.raises(codec.CodecError):
            codec.loads(bad)
