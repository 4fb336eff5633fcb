"""journal-app's own JSON format: every field of every record, in the clear.

``{"format": "journal-app", "version": 1, "exported": ISO, "records": [{"id", "kind",
"schema_version", "data"}]}``. Private keys (fields a kind lists in ``SECRET_FIELDS``, and
records that are nothing but secrets) are left out. Importing reads every record through the same
strict decoder as the vault, so an export round-trips exactly and a hostile file imports nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import codec
from ..errors import InvalidDataError
from ..model import RECORD_KINDS, Record, Revision, decode_record, now
from .base import (
    Exporter,
    Importer,
    load_json,
    register_exporter,
    register_importer,
    write_private_file,
)

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


@register_exporter
class NativeJsonExporter(Exporter):
    name = "json"
    extension = "json"

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


@register_importer
class NativeJsonImporter(Importer):
    name = "json"
    description = "journal-app JSON export"
    patterns = ("*.json",)

    def parse(self, path: Path) -> list[Record]:
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
                or kind == "identity"
                or isinstance(version, bool)
                or not isinstance(version, int)
            ):
                raise InvalidDataError(problem)
            try:
                record = decode_record(kind, version, record_id, item["data"])
                if isinstance(record, Revision):
                    record.record()  # the earlier version must be restorable too
            except (codec.CodecError, RecursionError):
                raise InvalidDataError(problem) from None
            seen.add(record_id)
            records.append(record)
        return records
