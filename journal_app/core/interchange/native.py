"""journal-app's own JSON format: every field of every record, in the clear.

``{"format": "journal-app", "version": 1, "exported": ISO, "records": [{"id", "kind",
"schema_version", "data"}]}``. Private keys (fields a kind lists in ``SECRET_FIELDS``, and
records that are nothing but secrets) are left out. Importing reads every record through the same
strict decoder as the vault, so the user's writing round-trips exactly and a hostile file
imports nothing.

An import brings the user's own writing only (:mod:`journal_app.core.records.importable`): the
export
holds every kind, but contacts, what was shared and received, feedback, settings, support
contacts and the backup state are skipped (``skipped()`` counts them;
:func:`journal_app.core.records.importable.skipped_notes` says where each comes in instead), and a
file
that holds nothing else is refused. A skipped record's data is
never decoded: nothing in it is used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from journal_app.core.errors import InvalidDataError
from journal_app.core.interchange.base import Exporter, Importer, load_json, write_private_file
from journal_app.core.interchange.formats import Exports, Format, Imports, register
from journal_app.core.records import codec, importable
from journal_app.core.records.model import RECORD_KINDS, Record, Revision, decode_record, now

FORMAT = "journal-app"
VERSION = 1
_ID_CHARS = set("0123456789abcdef")


def record_to_json(record: Record) -> dict[str, Any]:
    data = record.payload()
    for name in record.SECRET_FIELDS:
        data.pop(name, None)
    return {
        "id": record.id,
        "kind": record.KIND,
        "schema_version": record.SCHEMA_VERSION,
        "data": data,
    }


class NativeJsonExporter(Exporter):
    def write(self, records: Sequence[Record], path: Path) -> int:
        items = [record_to_json(r) for r in records if r.KIND != "identity"]
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "exported": now().isoformat(),
            "records": items,
        }
        write_private_file(path, codec.dumps(doc) + b"\n")
        return len(items)


class NativeJsonImporter(Importer):
    def __init__(self) -> None:
        self._skipped: Counter[str] = Counter()

    def skipped(self) -> dict[str, int]:
        """How many records of each kind the last ``parse`` left out (they are not writing)."""
        return dict(self._skipped)

    def parse(self, path: Path) -> list[Record]:
        self._skipped = Counter()
        doc = load_json(path)
        where = path.name
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise InvalidDataError(f"{where} is not a journal-app export; nothing was imported.")
        if type(doc.get("version")) is not int or doc.get("version") != VERSION:
            raise InvalidDataError(
                f"{where} comes from an unknown version of journal-app; nothing was imported."
            )
        items = doc.get("records")
        if not isinstance(items, list):
            raise InvalidDataError(f"{where} has no list of records; nothing was imported.")
        records: list[Record] = []
        skipped: Counter[str] = Counter()
        seen: set[str] = set()
        for number, item in enumerate(items, start=1):
            problem = f"{where}: record {number} is not valid; nothing was imported."
            if not isinstance(item, dict) or set(item) != {"id", "kind", "schema_version", "data"}:
                raise InvalidDataError(problem)
            record_id, kind, version = item["id"], item["kind"], item["schema_version"]
            if (
                not isinstance(record_id, str)
                or len(record_id) != 32
                or not set(record_id) <= _ID_CHARS
                or record_id in seen
                or not isinstance(kind, str)
                or kind not in RECORD_KINDS
                or isinstance(version, bool)
                or not isinstance(version, int)
            ):
                raise InvalidDataError(problem)
            seen.add(record_id)
            if kind not in importable.WRITING_KINDS:
                skipped[kind] += 1  # never decoded: nothing in it is used
                continue
            try:
                record = decode_record(kind, version, record_id, item["data"])
                if isinstance(record, Revision):
                    record.record()  # the earlier version must be restorable too
            except (codec.CodecError, RecursionError):
                raise InvalidDataError(problem) from None
            records.append(record)
        writing, refused = importable.split(records)  # revisions of refused kinds
        skipped.update(refused)
        if skipped and not writing:
            raise InvalidDataError(importable.refusal(where, skipped))
        self._skipped = skipped
        return writing


register(Format(
    "json", "journal-app JSON", order=50,
    exports=Exports(
        NativeJsonExporter,
        hint="Everything, to move your journal or keep a full copy.",
        help="every record", default_name="journal-{day}.json",
        file_filter="JSON (*.json)", reviewed=False, whole_journal=True),
    imports=Imports(
        NativeJsonImporter, label="journal-app JSON export",
        hint="A file made by journal-app's own JSON export (from this or another computer).",
        help="a journal-app JSON export", patterns=("*.json",)),
))
