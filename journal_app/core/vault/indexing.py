"""The journal's search index kept up to date: loaded from its sealed segments, caught up with
what was written since, purged with the records removed for good, and its changed segments
sealed again (the sealed layout: :mod:`.sealedindex`).

The index itself (an in-memory SQLite FTS5 table) is :mod:`~journal_app.core.vault.search`. An
:class:`IndexKeeper` belongs to one unlocked :class:`~journal_app.core.vault.journal.Journal` (a
part
of the service): it reads the records the journal holds in memory and their write sequences, and
the journal tells it what each write changed.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from journal_app.core.errors import JournalError, VaultDamagedError
from journal_app.core.records.headers import body_of
from journal_app.core.records.model import RECORD_KINDS, Entry, Record
from journal_app.core.vault.sealedindex import (
    DIRECTORY,
    LEGACY,
    SEGMENT_PREFIX,
    Directory,
    open_index,
    read_directory,
)
from journal_app.core.vault.search import (
    IndexDoc,
    Query,
    SearchFilters,
    SearchHit,
    SearchIndex,
    SegmentedIndex,
    make_snippet,
    parse_query,
)
from journal_app.core.vault.store import StoredRecord, WriteTransaction, parse_counter

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

#: Bodies read at once to build index documents (one read transaction each).
_BODIES_AT_ONCE = 2000
#: Re-seal the search index snapshot once this many documents changed since the last one.
INDEX_SNAPSHOT_AFTER = 25


@dataclass
class SearchPage:
    """A page of search results: ``(hit, entry)`` in order, how many entries match in all,
    and whether they are ranked by relevance (else newest first)."""

    hits: list[tuple[SearchHit, Entry]]
    total: int
    ranked: bool


def index_doc(record: Record, seq: int | None = None) -> IndexDoc:
    """What the index keeps of a searchable record (an entry) at write sequence ``seq``."""
    if isinstance(record, Entry):
        return IndexDoc(
            id=record.id,
            seq=seq if seq is not None else 0,
            kind=record.KIND,
            created=record.created,
            title=record.title,
            body=body_of(record),
            tags=tuple(record.tags),
            emotions=tuple(e.name for e in record.emotions),
            encounter=record.encounter,
            starred=record.starred,
            trashed=record.in_trash,
        )
    raise TypeError("not a searchable record")


def _created(entry: Entry) -> datetime:
    return entry.created


def searchable_kinds() -> list[str]:
    return [k for k, cls in RECORD_KINDS.items() if cls.SEARCHABLE]


class IndexKeeper:
    """The search index of one unlocked journal, and the write counter it caught up with.

    Its methods run holding the journal's lock (the journal's public methods take it).
    """

    def __init__(self, journal: Journal) -> None:
        self._journal = journal
        self.index: SegmentedIndex | None = None
        self.counter = -1  # the write counter the index last caught up with
        #: (write counter, every row's id, kind, schema version and seq) read with a prefetched
        #: snapshot (:mod:`.quickopen`): used once, by the first catch-up at that counter.
        self.prefetched: tuple[int, Sequence[tuple[str, str, int, int]]] | None = None
        #: Segments replaced in the index, closed once the write that replaced them committed.
        self._retired: list[SearchIndex] = []

    def close(self) -> None:
        if self.index is not None:
            self.index.close()

    def versions(self, ids: Iterable[str]) -> dict[str, IndexDoc]:
        """The versions of ``ids`` the journal holds in memory, as index documents (so the
        contentless index can remove them exactly; the index checks that their text is what it
        indexed)."""
        if self.index is None:
            return {}
        journal = self._journal
        docs = {}
        for record_id in ids:
            record = journal.held.records.get(record_id)
            if record is not None and record.SEARCHABLE and record_id in journal.held.seqs:
                # A body held only as a header is read for this; when its row has changed
                # already (another program wrote it), the index keeps a tombstone instead
                # and is rebuilt before it is sealed (see SearchIndex.update).
                with contextlib.suppress(JournalError):
                    docs[record_id] = index_doc(record, journal.held.seqs[record_id])
        return docs

    def ensure(self) -> SegmentedIndex:
        """The search index, loaded from its sealed snapshot and brought up to date."""
        journal = self._journal
        cipher = journal.cipher
        if self.index is None:
            with journal.store.reading() as rx:
                counter = rx.write_counter()
                directory = read_directory(cipher, rx.get_meta([DIRECTORY]).get(DIRECTORY),
                                           counter)
                # Segment by segment: each sealed copy is freed once it is opened.
                index = None if directory is None else open_index(
                    cipher, directory, lambda name: rx.get_meta([name]).get(name), counter)
            self.index = index or SegmentedIndex.new()
            self.counter = counter
            self.catch_up()
        else:
            counter = journal.store.write_counter()
            if journal.held.loaded and counter != journal.held.counter:
                journal.sync()  # updates the index too
            elif counter != self.counter and (
                not journal.held.loaded or self.counter == -1  # a prefetched snapshot
            ):
                self.catch_up()
            self.counter = counter
        return self.index

    def catch_up(self, old_docs: dict[str, IndexDoc] | None = None,
                 counter: int | None = None) -> None:
        """Bring the index to the versions we know: the records in memory when they are
        loaded (the rows of write ``counter``; by default the counter they were loaded at),
        else the store (decoding only what changed since the snapshot)."""
        assert self.index is not None
        journal = self._journal
        rows: list[StoredRecord] = []
        if journal.held.loaded:
            if self._in_sync(journal.held.counter if counter is None else counter):
                return  # the records held are the rows the index was checked against
            indexed = self.index.state()
            held = journal.held
            current = {i: held.seqs[i] for i, r in held.records.items() if r.SEARCHABLE}
            changed = [i for i, s in current.items() if indexed.get(i) != s]
        else:
            prefetched, self.prefetched = self.prefetched, None
            with journal.store.reading() as rx:  # the list and the rows from one state
                counter_now = rx.write_counter()
                if self._in_sync(counter_now):
                    return  # nothing to compare: the index holds the rows of this state
                if prefetched is not None and prefetched[0] == counter_now:
                    # Read in this state of the file already, beside the key derivation.
                    kinds = set(searchable_kinds())
                    current = {i: s for i, k, _v, s in prefetched[1] if k in kinds}
                else:
                    current = {i: s for i, _k, _v, s in rx.id_seqs(searchable_kinds())}
                indexed = self.index.state()
                changed = [i for i, s in current.items() if indexed.get(i) != s]
                rows = rx.records(ids=changed) if changed else []
        removed = [i for i in indexed if i not in current]
        docs = []
        if changed:
            if journal.held.loaded:
                docs = list(self._held_docs([journal.held.records[i] for i in changed]))
            else:
                for row, record in journal.decode_rows(rows):
                    docs.append(index_doc(record, row.seq))
        if docs or removed:
            # A changed record's new version removes its old one exactly when the text is the
            # same (trashed, starred...): no tombstone is left for it.
            candidates = {d.id: d for d in docs}
            candidates.update(old_docs or {})
            self.index.update(docs, removed, candidates)

    def _in_sync(self, counter: int) -> bool:
        """Whether the index, just opened, is known to hold exactly the searchable rows of the
        file at ``counter``: every segment of its directory opened, the directory says it was
        checked against the rows at this very counter (:meth:`save_snapshot`), and the
        manifest check of this unlock found the rows to be those the manifest sealed at this
        counter (one write, one counter: no other set of rows is ever sealed at it)."""
        journal = self._journal
        index = self.index
        return (index is not None and index.complete and index.synced_at == counter
                and journal.manifest_problem is None and not journal.read_only)

    def written(
        self, puts: Iterable[Record], deletes: Sequence[str], seq: int,
        old_docs: dict[str, IndexDoc],
    ) -> None:
        """What a committed write stored at ``seq`` and removed; ``old_docs`` are the versions
        it replaced (:meth:`versions`, taken before the journal updated its records)."""
        if self.index is not None:
            self.index.update([index_doc(r, seq) for r in puts if r.SEARCHABLE], deletes,
                              old_docs)

    def search(
        self, query: str | Query, filters: SearchFilters | None, limit: int | None,
        snippets: bool, rank_up_to: int | None = None,
    ) -> SearchPage:
        """See :meth:`Journal.search_page`."""
        journal = self._journal
        parsed = parse_query(query) if isinstance(query, str) else query
        if journal.held.loaded and self.index is not None:
            # One look at the write counter: sync() picks up what others wrote and catches
            # the index up with it (ensure() would read the counter a second time).
            journal.sync()
            self.counter = journal.held.counter
            index = self.index
        else:
            if journal.held.loaded:
                journal.sync()
            index = self.ensure()
        found = index.find(parsed, filters or SearchFilters(), limit, rank_up_to)
        if not found.hits:
            return SearchPage([], found.total, found.ranked)
        if journal.held.loaded:
            records = {h.id: journal.held.records.get(h.id) for h in found.hits}
        else:
            rows = journal.store.records(ids=[h.id for h in found.hits])
            records = {row.id: record for row, record in journal.decode_rows(rows)}
        out = []
        for hit in found.hits:
            record = records.get(hit.id)
            if isinstance(record, Entry):
                if snippets and parsed:
                    try:
                        text = record.body
                    except VaultDamagedError:  # its body does not open: noted as damaged
                        continue
                    hit.snippet, hit.highlights = make_snippet(parsed, record.title, text)
                out.append((hit, record))
        # Another process may hold the lock: the snapshot is only a cache.
        with contextlib.suppress(JournalError):
            self.save_if_stale()
        return SearchPage(out, found.total, found.ranked)

    def stale(self) -> bool:
        """Whether enough changed since the last snapshot to seal a new one."""
        return self.index is not None and self.index.changes >= INDEX_SNAPSHOT_AFTER

    def save_if_stale(self) -> None:
        if self.stale():
            self.save_snapshot()

    def save_at_lock(self) -> None:
        """At the lock: the snapshot sealed if it is stale; else, when the index is as it was
        sealed or opened but the file was written since (records it does not hold, such as
        the app's state, which the app writes at the first unlock of a day), its directory
        sealed again with the counter it was checked at, so that the next unlock need not
        compare the index with every row (:meth:`_in_sync`: 0.14 s at 100,000 entries)."""
        index, journal = self.index, self._journal
        if self.stale() or (
                index is not None and index.complete and not index.dirty
                and index.changes == 0 and journal.manifest_problem is None
                and not journal.read_only
                and index.synced_at != journal.store.write_counter()):
            self.save_snapshot()

    def save_snapshot(self) -> None:
        """Seal the search index into the vault so the next unlock need not rebuild it: the
        segments that changed since they were last sealed, and the directory."""
        if self.index is None:
            return
        journal = self._journal
        if self.index.dead:
            # A tombstone keeps the words of a version that is gone (perhaps removed for good):
            # never seal one. Rebuilding needs the records (loaded here if only the index was).
            journal.sync()
            self.rebuild(dead_only=True)
        index = self.index
        assert index is not None
        kinds = set(searchable_kinds())
        with journal.store.write() as tx:
            seq = parse_counter(tx.get_meta("seq"))
            # Checked against the rows here, so that the next unlock at this counter need not
            # compare them again (:meth:`_in_sync`).
            in_sync = (journal.manifest_problem is None and not journal.read_only
                       and index.state() == {i: s for i, k, _v, s in tx.id_seqs() if k in kinds})
            sealed = self.seal_into(tx, index, seq, seq if in_sync else None)
        self.adopt_sealed(index, sealed)

    def seal_into(self, tx: WriteTransaction, index: SegmentedIndex, seq: int,
                  synced: int | None) -> Directory:
        """Seal ``index`` in ``tx`` at write ``seq``: each segment that changed since it was
        sealed under a new name, the others kept as they are, and the directory; blobs no
        longer listed (older segments, the single snapshot of earlier versions) are removed.
        Returns the directory, to :meth:`adopt_sealed` once ``tx`` committed.

        The segments kept must be the ones this index was sealed as: when the directory
        stored is not the one this index last read or wrote (another program sealed its own
        since), every segment is sealed again."""
        cipher = self._journal.cipher
        index.drop_empty()
        stored = read_directory(cipher, tx.get_meta(DIRECTORY), seq)
        everything = stored is None or stored.segments != index.sealed_as
        names: dict[int, str] = {}
        for number in sorted(index.segments):
            name = index.sealed_as.get(number)
            if everything or name is None or number in index.dirty:
                name = SEGMENT_PREFIX + secrets.token_hex(8)
                tx.set_meta(name, cipher.seal_meta(name, seq, index.to_bytes(number)))
            names[number] = name
        directory = Directory(names, synced)
        tx.set_meta(DIRECTORY, cipher.seal_meta(DIRECTORY, seq, directory.to_bytes()))
        listed = set(names.values())
        for key in tx.meta_keys():
            if key == LEGACY or (key.startswith(SEGMENT_PREFIX) and key not in listed):
                tx.delete_meta(key)
        return directory

    def adopt_sealed(self, index: SegmentedIndex, directory: Directory) -> None:
        """``index`` was sealed as ``directory`` (its write committed)."""
        index.sealed()
        index.sealed_as = dict(directory.segments)
        index.synced_at = directory.synced
        index.complete = True
        for segment in self._retired:
            segment.close()
        self._retired.clear()

    def rebuild(self, dead_only: bool = False) -> None:
        """A fresh index from the records in memory (drops the tombstones and their words);
        with ``dead_only``, only the segments that hold a tombstone are rebuilt."""
        assert self.index is not None
        index = self.index
        if not dead_only:
            fresh = SegmentedIndex.new()
            fresh.sealed_as = index.sealed_as  # what is sealed still (replaced when sealed)
            fresh.update(self._docs_except(set()))
            self.close()
            self.index = fresh
            return
        for number, segment in list(index.segments.items()):
            if segment.dead:
                self._retired.append(index.replace(number, self._segment_without(number, set())))

    def _segment_without(self, number: int, dropped: set[str]) -> SearchIndex:
        """Segment ``number`` built afresh from the records in memory, without ``dropped``."""
        assert self.index is not None
        journal = self._journal
        ids = self.index.segments[number].state()
        fresh = SearchIndex.new()
        fresh.update(self._held_docs([r for i in ids if i not in dropped
                                      and (r := journal.held.records.get(i)) is not None]))
        return fresh

    def _docs_except(self, dropped: set[str]) -> Iterable[IndexDoc]:
        journal = self._journal
        # Oldest first: the segments follow the order the entries were written in.
        entries = [r for r in list(journal.held.records.values())
                   if isinstance(r, Entry) and r.id not in dropped]
        entries.sort(key=_created)
        return self._held_docs(entries)

    def _held_docs(self, records: Sequence[Record]) -> Iterator[IndexDoc]:
        """The index documents of held records, their bodies read a few thousand at a time in
        one pass (:meth:`Journal.whole_entries`) rather than one by one; a body that does not
        open is noted as damaged, and left out."""
        journal = self._journal
        for start in range(0, len(records), _BODIES_AT_ONCE):
            chunk = records[start : start + _BODIES_AT_ONCE]
            try:
                whole: Sequence[Record] = journal.whole_entries(
                    [r for r in chunk if isinstance(r, Entry)])
            except JournalError:
                whole = chunk  # one by one, to leave out only the one that does not open
            for record in whole:
                seq = journal.held.seqs.get(record.id)
                if seq is None:
                    continue  # found damaged meanwhile, and no longer held
                with contextlib.suppress(VaultDamagedError):
                    yield index_doc(record, seq)

    def purged(
        self, tx: WriteTransaction, deletes: Sequence[str], undo: list[Callable[[], object]]
    ) -> SegmentedIndex | None:
        """When ``deletes`` removes searchable records for good: the index without them, its
        changed segments to be sealed in the same transaction (:meth:`seal_into`: the stored
        segments hold their words). Runs holding the write lock.

        A segment loses them exactly when it can (every version it indexed is the one in
        memory, and it has no tombstone: an older version of a removed entry could be one);
        otherwise that segment is built afresh from its other records. Only the segments that
        held them change. Should the transaction fail, ``undo`` (run then) puts back what was
        taken out of the index held here.
        """
        searchable = set(searchable_kinds())
        gone = [i for i in deletes
                if (current := tx.current(i)) is not None and current[0] in searchable]
        if not gone:
            return None
        self._journal.sync()  # what others wrote, loaded (we hold the lock: nothing more can come)
        index = self.ensure()
        exact = self.versions(gone)
        by_segment: dict[int, list[str]] = {}
        for record_id in gone:
            if (number := index.segment_of(record_id)) is not None:
                by_segment.setdefault(number, []).append(record_id)
        for number, ids in sorted(by_segment.items()):
            segment = index.segments[number]
            if not segment.dead and all(i in exact for i in ids):
                old = {i: exact[i] for i in ids}
                index.update(removals=ids, old=old)

                def add_back(old: dict[str, IndexDoc] = old) -> None:
                    index.update(old.values())

                undo.append(add_back)
                if not segment.dead:
                    continue
            fresh = self._segment_without(number, set(deletes))
            replaced = index.replace(number, fresh)

            def put_back(number: int = number, replaced: SearchIndex = replaced,
                         fresh: SearchIndex = fresh) -> None:
                index.replace(number, replaced)
                self._retired.remove(replaced)
                fresh.close()

            self._retired.append(replaced)
            undo.append(put_back)
        return index

    def adopt_purged(self, purged: SegmentedIndex, sealed: Directory, seq: int) -> None:
        """Hold ``purged`` (sealed as ``sealed`` at write ``seq``) as the index, after its
        write committed."""
        if self.index is not None and self.index is not purged:
            self.index.close()
        self.index = purged
        self.adopt_sealed(purged, sealed)
        self.counter = seq
