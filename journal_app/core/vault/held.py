"""The records a journal holds decrypted in memory while it is unlocked, and the lists derived
from them (records by kind, entries newest first...), built once per change. Entries are held
from their sealed list headers: a body is read when first used (:mod:`..records.headers`).

Only the journal service changes them (loading, picking up another process's writes, its own
writes); the search index reads them to stay in step (:mod:`.indexing`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from journal_app.core.records.model import Record


class Follower(Protocol):
    """Something kept in step with the records held (per-day totals of the trends)."""

    def follow(self, old: Record | None, new: Record | None) -> None:
        """``old`` (``None``: none) was replaced by ``new`` (``None``: it is gone)."""


FollowerT = TypeVar("FollowerT", bound=Follower)


class HeldRecords:
    """What :class:`~journal_app.core.vault.journal.Journal` holds; dropped whole on lock."""

    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        #: The write sequence each held record was stored with.
        self.seqs: dict[str, int] = {}
        #: Whether the eager kinds were loaded (nothing is held before the first use).
        self.loaded = False
        #: The store's write counter the held records reflect (-1: none yet).
        self.counter = -1
        #: key -> (the kinds of record the list is made of, the list).
        self._views: dict[object, tuple[tuple[type[Record], ...], list[Any]]] = {}
        self._followers: dict[object, Follower] = {}
        #: The records held grouped by their class, made in one pass when a list of one
        #: kind is first asked for (None: not made since the last change).
        self._by_class: dict[type[Record], list[Record]] | None = None

    def view(self, key: object, build: Callable[[], list[Any]],
             kinds: tuple[type[Record], ...] = (Record,)) -> list[Any]:
        """A fresh copy of the list derived under ``key`` from the records of ``kinds``, built
        once per change of such a record (:meth:`changed`)."""
        cached = self._views.get(key)
        if cached is None:
            cached = self._views[key] = (kinds, build())
        return list(cached[1])

    def of_kind(self, kind: type[Record]) -> list[Record]:
        """The records held that are ``kind``s, in the order held. The first list asked for
        after a change groups every record by class in one pass, and the lists of the other
        kinds come from that grouping: at unlock the app asks for a dozen kinds, and each
        used to walk the 110,000 records held (30 ms each at 100,000 entries)."""
        if self._by_class is None:
            groups: dict[type[Record], list[Record]] = {}
            for record in self.records.values():
                found = groups.get(type(record))
                if found is None:
                    groups[type(record)] = [record]
                else:
                    found.append(record)
            self._by_class = groups
        matching = [c for c in self._by_class if issubclass(c, kind)]
        if len(matching) == 1:
            return list(self._by_class[matching[0]])
        if not matching:
            return []
        return [r for r in self.records.values() if isinstance(r, kind)]  # keeps the order

    def follower(self, key: object, build: Callable[[Iterable[Record]], FollowerT]
                 ) -> FollowerT:
        """What ``build`` made from the records held, then told of every record held or dropped
        since (:meth:`Follower.follow`): built once, kept in step, dropped with the records."""
        found = self._followers.get(key)
        if found is None:
            found = self._followers[key] = build(self.records.values())
        return found  # type: ignore[return-value]

    def hold(self, record: Record, seq: int, record_id: str | None = None) -> None:
        record_id = record_id or record.id
        self._by_class = None
        old = self.records.get(record_id)
        self.records[record_id] = record
        self.seqs[record_id] = seq
        for follower in self._followers.values():
            follower.follow(old, record)

    def hold_all(self, held: Iterable[tuple[str, Record, int]]) -> None:
        """:meth:`hold` each ``(id, record, seq)`` (loading: a hundred thousand at a time)."""
        if self._followers:
            for record_id, record, seq in held:
                self.hold(record, seq, record_id)
            return
        self._by_class = None
        records, seqs = self.records, self.seqs
        for record_id, record, seq in held:
            records[record_id] = record
            seqs[record_id] = seq

    def drop(self, ids: Iterable[str]) -> None:
        self._by_class = None
        for record_id in ids:
            old = self.records.pop(record_id, None)
            self.seqs.pop(record_id, None)
            if old is not None:
                for follower in self._followers.values():
                    follower.follow(old, None)

    def changed(self, records: Iterable[Record] | None = None) -> None:
        """The held records changed (``records``: only these, written or removed): the lists
        derived from them (all of them when not said) are built again when next asked for.
        Saving the app's state, at every unlock, no longer sorts every entry again."""
        self._by_class = None
        if records is None:
            self._views.clear()
            return
        types = {type(record) for record in records}
        for key, (kinds, _list) in list(self._views.items()):
            if any(issubclass(t, kinds) for t in types):
                del self._views[key]
