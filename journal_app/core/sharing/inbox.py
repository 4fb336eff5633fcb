"""The mentor's inbox across students, and what a student can know of each share (issue 24).

A received excerpt is ``new`` until the mentor opens it (an :class:`InboxMark`, sealed in the
vault like every record and never sent), ``read`` from then on, and ``answered`` once feedback
was written on it. The inbox puts what still waits first, oldest first; waiting days are
counted from the day it was received to ``today``, which the caller passes in (tests use a
fixed day; the app and the command line pass the local day).

A mentor opening an excerpt sends nothing back by itself. A student sees, per share, what they
can know: ``sent`` (the share log), ``read`` (a read receipt the mentor chose to send, or
feedback, which implies it) and ``answered`` (feedback received on it), each with its day.
Nothing is invented in between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from journal_app.core.records.model import (
    Feedback,
    InboxMark,
    ReadReceipt,
    ReceivedExcerpt,
    ReceivedPackage,
    SharedLog,
)

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

STATUSES = ("new", "read", "answered")
#: What a student can know of a share.
SHARE_STATUSES = ("sent", "read", "answered")


@dataclass(frozen=True)
class InboxItem:
    """One received excerpt in the inbox."""

    excerpt: ReceivedExcerpt
    status: str
    #: Days from receiving it to today (still waiting), or to the first feedback (answered).
    waiting_days: int
    answered: date | None = None

    @property
    def waiting(self) -> bool:
        return self.status != "answered"

    def to_json(self) -> dict[str, Any]:
        """The command line's ``inbox --json`` object (the issue's exact shape)."""
        e = self.excerpt
        return {
            "excerpt_id": e.id, "student": e.sender_name, "title": e.title,
            "received": e.received.isoformat(), "waiting_days": self.waiting_days,
            "status": self.status, "encounter": e.encounter,
        }


def _answered_on(written: Iterable[Feedback]) -> dict[tuple[str, str], date]:
    """``(share package id, excerpt id) -> day of the first feedback written on it``."""
    out: dict[tuple[str, str], date] = {}
    for f in written:
        if f.direction != "written":
            continue
        key = (f.share_package_id, f.excerpt_id)
        day = f.created.date()
        if key not in out or day < out[key]:
            out[key] = day
    return out


def build_inbox(excerpts: Sequence[ReceivedExcerpt], marks: Iterable[InboxMark],
                feedback: Iterable[Feedback], today: date) -> list[InboxItem]:
    """The inbox from the records (a pure function: :func:`inbox` reads them)."""
    read = {m.excerpt for m in marks}
    answered = _answered_on(feedback)
    items = []
    for e in excerpts:
        got = e.received.date()
        done = answered.get((e.package_id, e.excerpt_id))
        if done is not None:
            items.append(InboxItem(e, "answered", max(0, (done - got).days), done))
        else:
            items.append(InboxItem(e, "read" if e.id in read else "new",
                                   max(0, (today - got).days)))
    # What waits first, oldest first; then what was answered, most recently answered first.
    waiting = sorted((i for i in items if i.waiting),
                     key=lambda i: (i.excerpt.received, i.excerpt.position, i.excerpt.id))
    done_items = sorted((i for i in items if not i.waiting),
                        key=lambda i: (i.answered or date.min, i.excerpt.received),
                        reverse=True)
    return [*waiting, *done_items]


def inbox_items(journal: Journal, today: date) -> list[InboxItem]:
    """Every received excerpt with its status and waiting days (see :func:`build_inbox`)."""
    return build_inbox(journal.records(ReceivedExcerpt), journal.records(InboxMark),
                       journal.records(Feedback), today)


def filter_inbox(items: Iterable[InboxItem], student: str | None = None,
                 encounter: str | None = None, status: str | None = None) -> list[InboxItem]:
    """The items of one student (fingerprint), encounter type and/or status."""
    return [i for i in items
            if (student is None or i.excerpt.sender_fingerprint == student)
            and (encounter is None or i.excerpt.encounter == encounter)
            and (status is None or i.status == status)]


def mark_read(journal: Journal, excerpt_ids: Sequence[str]) -> int:
    """Mark received excerpts (record ids or unique prefixes) as read; returns how many were
    newly marked.

    Raises:
        NotFoundError, AmbiguousIdError: an id is not one received excerpt.
    """
    # An unknown id is refused plainly; a prefix is resolved to the record's id.
    wanted = {journal.get(excerpt_id, ReceivedExcerpt).id for excerpt_id in excerpt_ids}
    new = sorted(wanted - {m.excerpt for m in journal.records(InboxMark)})
    if new:
        # Two processes marking the same excerpt store two marks: harmless (a set is read).
        journal.add_records([InboxMark(excerpt=i) for i in new])
    return len(new)


@dataclass(frozen=True)
class ExcerptStatus:
    """What a student knows of one excerpt of a share: when the mentor read it (their read
    receipt, or feedback, which implies it) and when they answered it (days, local)."""

    read: date | None = None
    answered: date | None = None

    @property
    def status(self) -> str:
        return "answered" if self.answered else "read" if self.read else "sent"


@dataclass(frozen=True)
class ShareStatus:
    """What a student can know of one share package they wrote: sent, read, answered."""

    log: SharedLog
    #: ``sent``, ``read`` or ``answered``: the furthest any of its excerpts came.
    status: str
    #: Excerpts with feedback received, of ``len(log.excerpts)``.
    answered: int
    #: Excerpts read (a read receipt, or feedback), of ``len(log.excerpts)``.
    read: int = 0
    #: The first day any excerpt was read, and answered.
    read_on: date | None = None
    answered_on: date | None = None
    #: Per excerpt id of the share.
    excerpts: Mapping[str, ExcerptStatus] = field(default_factory=dict)

    @property
    def sent_on(self) -> date:
        return self.log.created.date()

    def summary(self, day: Callable[[date], str]) -> str:
        """``sent D · read D (1 of 2) · not answered yet``, each day as ``day`` writes it
        (the command line: ISO days; the app: "7 Dec 2026")."""
        total = len(self.log.excerpts)

        def part(word: str, when: date | None, count: int) -> str:
            if when is None:
                return f"not {word} yet"
            return f"{word} {day(when)}" + (f" ({count} of {total})" if count < total else "")

        return " · ".join((f"sent {day(self.sent_on)}", part("read", self.read_on, self.read),
                           part("answered", self.answered_on, self.answered)))


def build_share_statuses(logs: Iterable[SharedLog], feedback: Iterable[Feedback],
                         receipts: Iterable[ReadReceipt],
                         packages: Iterable[ReceivedPackage]) -> list[ShareStatus]:
    """Per share package written, newest first (a pure function: :func:`share_statuses` reads
    the records). A feedback package implies the excerpt was read; it was answered on the day
    the mentor made the package (as their signed package says), else the day it came in."""
    made = {p.package_id: date.fromisoformat(p.sent_on) for p in packages}
    answered: dict[tuple[str, str], date] = {}
    for f in feedback:
        if f.direction != "received":
            continue
        key = (f.share_package_id, f.excerpt_id)
        day = made.get(f.package_id or "") or (f.received or f.created).date()
        answered[key] = min(day, answered.get(key, day))
    read: dict[tuple[str, str], date] = {}
    for r in receipts:
        if r.direction != "received":
            continue
        key = (r.share_package_id, r.excerpt_id)
        day = r.read.astimezone().date()
        read[key] = min(day, read.get(key, day))
    out = []
    for log in sorted(logs, key=lambda s: s.created, reverse=True):
        per: dict[str, ExcerptStatus] = {}
        for excerpt in log.excerpts:
            key = (log.package_id, excerpt.excerpt_id)
            done = answered.get(key)
            seen = [d for d in (read.get(key), done) if d is not None]
            # Never shown as read before it was sent (the two computers' clocks may differ).
            first = max(min(seen), log.created.date()) if seen else None
            per[excerpt.excerpt_id] = ExcerptStatus(first, done)
        states = list(per.values())
        read_days = [s.read for s in states if s.read]
        answered_days = [s.answered for s in states if s.answered]
        status = "answered" if answered_days else "read" if read_days else "sent"
        out.append(ShareStatus(log, status, len(answered_days), len(read_days),
                               min(read_days, default=None), min(answered_days, default=None),
                               MappingProxyType(per)))
    return out


def share_statuses(journal: Journal) -> list[ShareStatus]:
    """Per share package written, newest first: sent, read (a read receipt came back, or
    feedback), answered (feedback came back), each with its day."""
    return build_share_statuses(journal.records(SharedLog), journal.records(Feedback),
                                journal.records(ReadReceipt), journal.records(ReceivedPackage))
