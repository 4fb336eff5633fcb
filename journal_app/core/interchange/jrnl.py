"""jrnl's ``--export json`` output (jrnl 2 to 4).

``{"tags": {...}, "entries": [{"title", "body", "date": "YYYY-MM-DD", "time": "HH:MM",
"tags": ["@tag"], "starred": bool, ...}]}``. jrnl keeps local times without an offset; they are
read as local time on this machine. Extra keys that jrnl writes for Day One journals (uuid,
creator, location, weather) are ignored.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from journal_app.core.errors import InvalidDataError
from journal_app.core.interchange.base import Importer, load_json
from journal_app.core.interchange.formats import Format, Imports, register
from journal_app.core.records.model import Entry, Record


class JrnlJsonImporter(Importer):
    def parse(self, path: Path) -> list[Record]:
        doc = load_json(path)
        where = path.name
        if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
            raise InvalidDataError(f"{where} is not a jrnl JSON export; nothing was imported.")
        records: list[Record] = []
        for number, item in enumerate(doc["entries"], start=1):
            problem = f"{where}: entry {number} is not valid; nothing was imported."
            if not isinstance(item, dict):
                raise InvalidDataError(problem)
            title, body = item.get("title", ""), item.get("body", "")
            day, clock = item.get("date"), item.get("time", "00:00")
            tags, starred = item.get("tags", []), item.get("starred", False)
            if (
                not isinstance(title, str)
                or not isinstance(body, str)
                or not isinstance(day, str)
                or not isinstance(clock, str)
                or not isinstance(tags, list)
                or not all(isinstance(t, str) for t in tags)
                or not isinstance(starred, bool)
                or len(day) > 10
                or len(clock) > 8
            ):
                raise InvalidDataError(problem)
            try:
                created = datetime.fromisoformat(f"{day}T{clock}")
                if created.tzinfo is None:
                    created = created.astimezone()
                entry = Entry(
                    created=created,
                    updated=created,
                    title=title.strip(),
                    body=body.strip("\n"),
                    tags=tuple(tags),
                    starred=starred,
                )
            except (ValueError, OverflowError, OSError):
                raise InvalidDataError(problem) from None
            records.append(entry)
        return records


register(Format(
    "jrnl-json", "jrnl JSON", order=25,
    imports=Imports(
        JrnlJsonImporter, label="jrnl JSON export (jrnl --export json)",
        hint="The file jrnl writes with: jrnl --export json > journal.json",
        help="the file jrnl --export json writes", patterns=("*.json",)),
))
