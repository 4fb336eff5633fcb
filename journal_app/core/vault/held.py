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
        self._views: dict[object, list[Any]] = {}
        self._followers: dict[object, Follower] = {}

    def view(self, key: object, build: Callable[[], list[Any]]) -> list[Any]:
        """A fresh copy of the list derived under ``key``, built once per change."""
        cached = self._views.get(key)
        if cached is None:
            cached = self._views[key] = build()
        return list(cached)

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
        old = self.records.get(record_id)
        self.records[record_id] = record
        self.seqs[record_id] = seq
        for follower in self._followers.values():
            follower.follow(old, record)

    def drop(self, ids: Iterable[str]) -> None:
        for record_id in ids:
            old = self.records.pop(record_id, None)
            self.seqs.pop(record_id, None)
            if old is not None:
                for follower in self._followers.values():
                    follower.follow(old, None)

    def changed(self) -> None:
        """The held records changed: every derived list is built again when next asked for."""
        self._views.clear()
