"""Earlier versions of entries: kept when an entry is saved over, listed, and made current
again. A part of the journal service (:class:`~journal_app.core.vault.journal.Journal` holds one
:class:`History` while unlocked and tells it what each write stored or removed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from journal_app.core.errors import AmbiguousIdError, NotFoundError
from journal_app.core.records import codec
from journal_app.core.records.model import Entry, Record, Revision
from journal_app.core.vault.crypto import OpenError
from journal_app.core.vault.store import WriteTransaction

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal


class History:
    """The revisions of one unlocked journal: read from the store on first use, then kept up to
    date by the journal's writes (dropped when another process wrote)."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal
        self.cache: dict[str, Revision] | None = None

    def all(self) -> dict[str, Revision]:
        """Every readable revision, by id."""
        journal = self._journal
        journal.sync()
        if self.cache is None:
            found: dict[str, Revision] = {}
            for row, record in journal.decode_rows(journal.store.records(["revision"])):
                if isinstance(record, Revision):
                    found[row.id] = record
            self.cache = found
        return self.cache

    def of(self, record_id: str) -> list[Revision]:
        """The distinct earlier versions of ``record_id``, newest first.

        Revisions holding the very same version (kind, schema and every field alike) are one
        version: each device of a synced journal keeps its own copy of the text it edited, and
        sync brings them together (docs/design.md, "Earlier versions: one copy of each
        version"). The copy saved first is shown (then the smaller id), so every device shows
        the same one. The others stay stored (emptying the trash removes them with the entry)."""
        items = [r for r in self.all().values() if r.target_id == record_id]
        items.sort(key=lambda r: (r.saved, r.id))
        distinct: dict[tuple[str, int, bytes], Revision] = {}
        for revision in items:
            version = (revision.target_kind, revision.target_schema,
                       codec.dumps(codec.to_jsonable(revision.payload_data)))
            distinct.setdefault(version, revision)
        return sorted(distinct.values(), key=lambda r: r.saved, reverse=True)

    def ids_of(self, record_ids: set[str]) -> list[str]:
        """The ids of every revision of ``record_ids``."""
        return [r.id for r in self.all().values() if r.target_id in record_ids]

    def restore(self, revision_id: str) -> Entry:
        """See :meth:`Journal.restore_revision`."""
        matches = [r for r in self.all().values() if r.id.startswith(revision_id.lower())]
        if len(matches) != 1:
            raise NotFoundError("No such revision.") if not matches else AmbiguousIdError()
        old = matches[0].record()
        if not isinstance(old, Entry):
            raise NotFoundError("That revision is not of an entry.")
        current = self._journal.get_entry(old.id)
        restored = replace(old, trashed=current.trashed)
        return self._journal.save_entry(restored)

    def of_stored(
        self, entry_id: str, keep: bool, known_seq: int | None
    ) -> Callable[[WriteTransaction], list[Record]]:
        """For a write of entry ``entry_id``: a step that returns the stored version as a
        revision. It is kept with ``keep``, and anyway when another process changed the entry
        since it was read at write ``known_seq``."""
        journal = self._journal

        def revision_of_stored(tx: WriteTransaction) -> list[Record]:
            current = tx.current(entry_id)
            if current is None:
                return []
            if not keep and current[2] == known_seq:
                return []
            rows = journal.store.records(ids=[entry_id])
            if not rows:
                return []
            row = rows[0]
            try:
                plain = journal.cipher.open(row.id, row.kind, row.schema_version, row.seq, row.blob)
                payload = codec.loads(plain)
            except (OpenError, codec.CodecError):
                return []  # a damaged stored version cannot be kept; verify reports it
            return [Revision(target_id=entry_id, target_kind=row.kind,
                             target_schema=row.schema_version, payload_data=payload)]

        return revision_of_stored

    def written(self, puts: Iterable[Record], deletes: Iterable[str]) -> None:
        """What a committed write of this journal stored and removed."""
        if self.cache is None:
            return
        for record in puts:
            if isinstance(record, Revision):
                self.cache[record.id] = record
        for record_id in deletes:
            self.cache.pop(record_id, None)
