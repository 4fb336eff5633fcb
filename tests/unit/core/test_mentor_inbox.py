"""The mentor's inbox (order, waiting days with a fixed clock, statuses) and feedback on several
excerpts in one package (issue 24)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from journal_app.core.errors import NotFoundError, PackageError, UsageError
from journal_app.core.records.model import Feedback, InboxMark, ReceivedExcerpt
from journal_app.core.sharing import inbox as mentor_inbox
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.journal import Journal
from tests.unit.core import test_sharing
from tests.unit.core.test_sharing import People, share, yes

# The sharing tests' fixtures: four vaults with cards, and one entry to share.
people = test_sharing.people
vaults = test_sharing.vaults

TODAY = date(2026, 3, 20)


def _excerpt(n: int, received: datetime, sender: str = "Sam", fp: str = "1111",
             encounter: str | None = None) -> ReceivedExcerpt:
    return ReceivedExcerpt(package_id=f"{n:032x}", excerpt_id=f"{n + 100:032x}",
                           sender_name=sender, sender_fingerprint=fp, entry_ref="c" * 32,
                           title=f"t{n}", text="x", sent_on="2026-03-01", received=received,
                           encounter=encounter)


def test_inbox_puts_the_oldest_waiting_first_and_counts_days_from_the_clock() -> None:
    day = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    old = _excerpt(1, day)                                   # 9 days before TODAY
    newer = _excerpt(2, day + timedelta(days=5), "Kim", "2222", "bad-news")
    answered = _excerpt(3, day - timedelta(days=10))
    read = _excerpt(4, day + timedelta(days=2))
    fb = Feedback(direction="written", share_package_id=answered.package_id,
                  excerpt_id=answered.excerpt_id, entry_id="c" * 32, contact_name="Sam",
                  contact_fingerprint="1111", comment="ok",
                  created=day - timedelta(days=7))
    items = mentor_inbox.build_inbox([newer, answered, old, read],
                                     [InboxMark(excerpt=read.id)], [fb], TODAY)
    assert [(i.excerpt.title, i.status, i.waiting_days) for i in items] == [
        ("t1", "new", 9), ("t4", "read", 7), ("t2", "new", 4), ("t3", "answered", 3)]
    assert items[0].to_json() == {
        "excerpt_id": old.id, "student": "Sam", "title": "t1",
        "received": old.received.isoformat(), "waiting_days": 9, "status": "new",
        "encounter": None}
    # A day later every waiting excerpt waited one day more; the answered one did not.
    later = mentor_inbox.build_inbox([newer, answered, old, read], [InboxMark(excerpt=read.id)],
                                     [fb], TODAY + timedelta(days=1))
    assert [i.waiting_days for i in later] == [10, 8, 5, 3]
    assert [i.excerpt.title for i in mentor_inbox.filter_inbox(items, student="2222")] == ["t2"]
    assert [i.excerpt.title for i in mentor_inbox.filter_inbox(
        items, encounter="bad-news")] == ["t2"]
    assert [i.excerpt.title for i in mentor_inbox.filter_inbox(items, status="new")] == [
        "t1", "t2"]
    # Received feedback (a student's vault) never marks an excerpt answered.
    got = replace(fb, direction="received")
    assert mentor_inbox.build_inbox([answered], [], [got], TODAY)[0].status == "new"


def test_read_marks_are_sealed_records_and_feedback_answers(people: People) -> None:
    data = share(people)
    (excerpt,) = sharing.receive(people.mentor, data, yes).excerpts
    today = excerpt.received.date() + timedelta(days=3)
    (item,) = mentor_inbox.inbox_items(people.mentor, today)
    assert (item.status, item.waiting_days) == ("new", 3)
    assert mentor_inbox.mark_read(people.mentor, [excerpt.id[:8]]) == 1
    assert mentor_inbox.mark_read(people.mentor, [excerpt.id]) == 0  # once
    assert mentor_inbox.inbox_items(people.mentor, today)[0].status == "read"
    with pytest.raises(NotFoundError):
        mentor_inbox.mark_read(people.mentor, ["f" * 32])
    sharing.write_feedback(people.mentor, excerpt.id, people.pkg("fb.pkg"), comment="Thanks.")
    (item,) = mentor_inbox.inbox_items(people.mentor, today)
    assert (item.status, item.waiting_days) == ("answered", 0)
    # The student's side: sent, then answered once the feedback arrives (no read receipt).
    (status,) = mentor_inbox.share_statuses(people.student)
    assert (status.status, status.answered) == ("sent", 0)
    sharing.receive(people.student, people.pkg("fb.pkg").read_bytes(), yes)
    (status,) = mentor_inbox.share_statuses(people.student)
    assert (status.status, status.answered) == ("answered", 1)


def test_feedback_on_several_excerpts_goes_in_one_package_and_attaches_to_each(
        people: People) -> None:
    second = people.student.add_entry(title="Clinic", body="A quiet clinic day.")
    data = share(people, selections=[sharing.Selection(people.entry.id),
                                     sharing.Selection(second.id)])
    first_x, second_x = sharing.receive(people.mentor, data, yes).excerpts
    written = sharing.write_feedback_package(people.mentor, [
        sharing.FeedbackPart(first_x.id, "What did the numbness protect you from?",
                             depth="reflection"),
        sharing.FeedbackPart(second_x.id, "What made it quiet?")], people.pkg("fb.pkg"))
    assert len({w.package_id for w in written}) == 1 and len(written) == 2
    got = sharing.receive(people.student, people.pkg("fb.pkg").read_bytes(), yes).feedback
    assert {(f.entry_id, f.comment, f.depth) for f in got} == {
        (people.entry.id, "What did the numbness protect you from?", "reflection"),
        (second.id, "What made it quiet?", None)}
    # Replaying the same package is refused, and changes nothing.
    with pytest.raises(PackageError):
        sharing.receive(people.student, people.pkg("fb.pkg").read_bytes(), yes)
    assert len(sharing.feedback(people.student, "received")) == 2


def test_feedback_for_several_students_is_refused_and_writes_nothing(
        people: People, vaults: Callable[[str], Journal], tmp_path: Path) -> None:
    other = vaults("other")
    sharing.ensure_identity(other, "Kim Student")
    sharing.import_card(other, sharing.my_card(people.mentor).to_bytes(), yes)
    entry = other.add_entry(title="Ward", body="Long shift.")
    draft = sharing.draft_share(other, [sharing.Selection(entry.id)])
    sharing.write_share(other, draft, tmp_path / "kim.pkg",
                        to=[sharing.find_contact(other, "Ada Mentor")])
    (mine,) = sharing.receive(people.mentor, share(people), yes).excerpts
    (kims,) = sharing.receive(people.mentor, (tmp_path / "kim.pkg").read_bytes(), yes).excerpts
    out = people.pkg("both.pkg")
    with pytest.raises(UsageError, match="more than one student"):
        sharing.write_feedback_package(people.mentor, [sharing.FeedbackPart(mine.id, "a"),
                                                       sharing.FeedbackPart(kims.id, "b")], out)
    with pytest.raises(UsageError, match="twice"):
        sharing.write_feedback_package(people.mentor, [sharing.FeedbackPart(mine.id, "a"),
                                                       sharing.FeedbackPart(mine.id, "b")], out)
    assert not out.exists() and sharing.feedback(people.mentor, "written") == []
