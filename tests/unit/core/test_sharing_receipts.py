"""Read receipts (issue 24): a mentor lets a student know which excerpts they read, and when;
the student sees each share as sent, read and answered, with their days. Forged, altered,
misdirected and replayed receipts are refused, and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from journal_app.core.errors import (
    NotForYouError,
    PackageAlteredError,
    PackageError,
    PackageReplayError,
    UsageError,
)
from journal_app.core.records import codec
from journal_app.core.records.model import (
    Feedback,
    InboxMark,
    ReadReceipt,
    ReceivedPackage,
    SharedExcerpt,
    SharedLog,
)
from journal_app.core.sharing import inbox as mentor_inbox
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import card_of, identity_keys
from journal_app.core.sharing.packages import (
    ReceiptItem,
    ReceiptPayload,
    content_key_for_card,
    open_payload,
    parse_package,
    seal_package,
)
from journal_app.core.vault.journal import Journal
from tests.unit.core import test_sharing
from tests.unit.core.test_sharing import BODY, People, refused, share, vault_state, yes

people = test_sharing.people
vaults = test_sharing.vaults


def _received(people: People) -> list[str]:
    """The student's two-excerpt share, received by the mentor: the excerpts' record ids."""
    second = people.student.add_entry(title="Clinic", body="A quiet clinic day.")
    data = share(people, selections=[sharing.Selection(people.entry.id),
                                     sharing.Selection(second.id)])
    return [e.id for e in sharing.receive(people.mentor, data, yes).excerpts]


def test_a_read_receipt_round_trip_shows_read_with_its_day(people: People) -> None:
    first, second = _received(people)
    # Opening an excerpt announces nothing: it is marked read in the mentor's vault only.
    mentor_inbox.mark_read(people.mentor, [first])
    (status,) = mentor_inbox.share_statuses(people.student)
    assert (status.status, status.read, status.read_on) == ("sent", 0, None)
    opened = min(m.marked for m in people.mentor.records(InboxMark))

    out = people.pkg("receipt.pkg")
    written = sharing.write_receipt(people.mentor, [first[:8]], out)
    assert [r.direction for r in written] == ["written"]
    assert written[0].read == opened.replace(second=0, microsecond=0)
    assert sharing.receipts_sent(people.mentor) == {first}

    got = sharing.receive(people.student, out.read_bytes(), yes)
    assert got.kind == "receipt" and not got.excerpts and not got.feedback
    (receipt,) = got.receipts
    assert (receipt.entry_id, receipt.contact_name) == (people.entry.id, "Ada Mentor")
    assert receipt.read == written[0].read
    (status,) = mentor_inbox.share_statuses(people.student)
    assert (status.status, status.read, status.answered) == ("read", 1, 0)
    assert status.read_on == opened.astimezone().date()
    assert status.sent_on == status.log.created.date()
    per = [status.excerpts[e.excerpt_id].status for e in status.log.excerpts]
    assert per == ["read", "sent"]

    # An excerpt never opened is marked read when the receipt names it.
    sharing.write_receipt(people.mentor, [second], people.pkg("receipt2.pkg"))
    assert second in {m.excerpt for m in people.mentor.records(InboxMark)}
    sharing.receive(people.student, people.pkg("receipt2.pkg").read_bytes(), yes)
    (status,) = mentor_inbox.share_statuses(people.student)
    assert (status.status, status.read) == ("read", 2)


def test_a_receipt_carries_ids_and_times_only(people: People) -> None:
    (first, _second) = _received(people)
    out = people.pkg("receipt.pkg")
    sharing.write_receipt(people.mentor, [first], out)
    data = out.read_bytes()
    sealed = parse_package(data)
    me = sharing.identity(people.student)
    assert me is not None
    key = content_key_for_card(sealed, identity_keys(me)[0])
    assert key is not None
    payload = open_payload(sealed, key).payload
    assert isinstance(payload, ReceiptPayload)
    (item,) = payload.items
    assert set(codec.to_jsonable(item)) == {"share_package_id", "excerpt_id", "read"}
    # The mentor and anyone else who is not the student cannot read it.
    for other in (people.mentor, people.mentor2, people.outsider):
        mine = sharing.identity(other)
        assert mine is not None and content_key_for_card(sealed, identity_keys(mine)[0]) is None
    for words in ("Night on 7B", "Clinic", "numb", BODY[:20]):
        assert words.encode() not in data


def test_feedback_implies_read_and_answers(people: People) -> None:
    first, _second = _received(people)
    sharing.write_feedback(people.mentor, first, people.pkg("fb.pkg"), comment="Thank you.")
    sharing.receive(people.student, people.pkg("fb.pkg").read_bytes(), yes)
    (status,) = mentor_inbox.share_statuses(people.student)
    assert (status.status, status.read, status.answered) == ("answered", 1, 1)
    assert status.read_on == status.answered_on is not None


def test_share_statuses_from_records_with_fixed_days() -> None:
    sent = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    log = SharedLog(package_id="a" * 32, created=sent, excerpts=(
        SharedExcerpt(excerpt_id="1" * 32, entry_id="e" * 32, title="t", text="x"),
        SharedExcerpt(excerpt_id="2" * 32, entry_id="f" * 32, title="u", text="y")))
    receipt = ReadReceipt(direction="received", share_package_id="a" * 32,
                          excerpt_id="1" * 32, entry_id="e" * 32, contact_name="Ada",
                          contact_fingerprint="1234",
                          read=datetime(2026, 3, 5, 12, 0, tzinfo=UTC), package_id="b" * 32)
    fb = Feedback(direction="received", share_package_id="a" * 32, excerpt_id="2" * 32,
                  entry_id="f" * 32, contact_name="Ada", contact_fingerprint="1234",
                  comment="ok", package_id="c" * 32)
    package = ReceivedPackage(package_id="c" * 32, kind="feedback", sent_on="2026-03-08",
                              sender_name="Ada", sender_role="mentor",
                              sender_fingerprint="1234")
    (status,) = mentor_inbox.build_share_statuses([log], [], [], [])
    assert (status.status, status.read_on, status.answered_on) == ("sent", None, None)
    (status,) = mentor_inbox.build_share_statuses([log], [fb], [receipt], [package])
    assert status.status == "answered"
    assert (status.read, status.answered) == (2, 1)
    assert status.read_on == receipt.read.astimezone().date()
    assert status.answered_on == date(2026, 3, 8)
    assert status.excerpts["2" * 32].read == date(2026, 3, 8)  # feedback implies read
    # A mentor's clock behind the student's: never shown read before it was sent.
    early = ReadReceipt(**{**receipt.__dict__, "read": sent - timedelta(days=2)})
    (status,) = mentor_inbox.build_share_statuses([log], [], [early], [])
    assert status.read_on == sent.date()
    # The mentor's own copy (written) is not the student's knowledge.
    mine = ReadReceipt(**{**receipt.__dict__, "direction": "written"})
    assert mentor_inbox.build_share_statuses([log], [], [mine], [])[0].status == "sent"


def test_a_receipt_for_several_students_or_twice_is_refused(
        people: People, vaults: Callable[[str], Journal], tmp_path: Path) -> None:
    other = vaults("other")
    sharing.ensure_identity(other, "Kim Student")
    sharing.import_card(other, sharing.my_card(people.mentor).to_bytes(), yes)
    entry = other.add_entry(title="Ward", body="Long shift.")
    sharing.write_share(other, sharing.draft_share(other, [sharing.Selection(entry.id)]),
                        tmp_path / "kim.pkg", to=[sharing.find_contact(other, "Ada Mentor")])
    (mine,) = sharing.receive(people.mentor, share(people), yes).excerpts
    (kims,) = sharing.receive(people.mentor, (tmp_path / "kim.pkg").read_bytes(), yes).excerpts
    out = people.pkg("both.pkg")
    before = vault_state(people.mentor)
    with pytest.raises(UsageError, match="more than one student"):
        sharing.write_receipt(people.mentor, [mine.id, kims.id], out)
    with pytest.raises(UsageError, match="twice"):
        sharing.write_receipt(people.mentor, [mine.id, mine.id], out)
    with pytest.raises(UsageError):
        sharing.write_receipt(people.mentor, [], out)
    assert not out.exists() and vault_state(people.mentor) == before


# ============================================================================ refusals


@pytest.fixture
def receipt(people: People) -> tuple[People, bytes]:
    first, _second = _received(people)
    out = people.pkg("receipt.pkg")
    sharing.write_receipt(people.mentor, [first], out)
    return people, out.read_bytes()


def test_an_altered_receipt_is_refused(receipt: tuple[People, bytes]) -> None:
    people, data = receipt
    before = vault_state(people.student)
    for pos in range(0, len(data), 7):
        altered = bytearray(data)
        altered[pos] ^= 0x01
        with pytest.raises(PackageError) as info:
            sharing.receive(people.student, bytes(altered), yes)
        assert info.value.exit_code == 4
    assert vault_state(people.student) == before
    sharing.receive(people.student, data, yes)  # the original still imports


def test_a_replayed_receipt_is_refused(receipt: tuple[People, bytes]) -> None:
    people, data = receipt
    sharing.receive(people.student, data, yes)
    err = refused(people.student, data, PackageReplayError)
    assert err.exit_code == 4
    assert len(people.student.records(ReadReceipt)) == 1


def test_a_receipt_for_someone_else_is_refused(receipt: tuple[People, bytes]) -> None:
    people, data = receipt
    refused(people.outsider, data, NotForYouError)


def _forged(people: People, signer: Journal, sender: Journal, share_package_id: str,
            excerpt_id: str) -> bytes:
    """A receipt to the student with ``sender``'s card inside, signed with ``signer``'s key."""
    signer_id, sender_id, student = (sharing.identity(j) for j in (signer, sender,
                                                                    people.student))
    assert signer_id and sender_id and student
    payload = ReceiptPayload(created="2026-03-20", sender=card_of(sender_id).to_json(), items=[
        ReceiptItem(share_package_id=share_package_id, excerpt_id=excerpt_id,
                    read=datetime(2026, 3, 20, 9, 0, tzinfo=UTC))])
    return seal_package(payload, identity_keys(signer_id)[1],
                        [card_of(student).encryption_key()])[1]


def test_forged_receipts_are_refused(receipt: tuple[People, bytes]) -> None:
    people, _data = receipt
    (log,) = people.student.records(SharedLog)
    ids = (log.package_id, log.excerpts[0].excerpt_id)
    # Signed by Eve's key, naming the mentor's card: altered.
    refused(people.student, _forged(people, people.outsider, people.mentor, *ids),
            PackageAlteredError)
    # Eve's own card and key (a contact, but the share did not go to her).
    err = refused(people.student, _forged(people, people.outsider, people.outsider, *ids),
                  PackageError)
    assert "not shared with" in err.message
    # The mentor's, about a share this journal never made.
    err = refused(people.student, _forged(people, people.mentor, people.mentor, "d" * 32,
                                          ids[1]), PackageError)
    assert "no record of sharing" in err.message
    assert people.student.records(ReadReceipt) == []


# ============================================================================ a mentor's handout


def test_handout_consent_travels_signed_and_is_required(people: People) -> None:
    # Without consent (the default): the package does not even name it, and the mentor's
    # handout is refused.
    (plain,) = sharing.receive(people.mentor, share(people), yes).excerpts
    assert plain.handout is False
    with pytest.raises(UsageError, match="did not agree to a handout"):
        sharing.handout_draft(people.mentor, plain.id)
    # With consent: recorded in the student's share log, and in the mentor's excerpt.
    draft = sharing.draft_share(people.student, [sharing.Selection(people.entry.id)])
    review = sharing.review_draft(draft, finder=lambda *_a, **_k: [])
    redacted = review.redacted(lambda text, _d: text)
    redacted.handout = True
    out = people.pkg("consent.pkg")
    log = sharing.write_share(people.student, redacted, out,
                              to=[sharing.find_contact(people.student, "Ada Mentor")])
    assert log.handout is True
    (agreed,) = sharing.receive(people.mentor, out.read_bytes(), yes).excerpts
    assert agreed.handout is True
    made = sharing.handout_draft(people.mentor, agreed.id[:8])
    assert [(e.title, e.text) for e in made.excerpts] == [(agreed.title, agreed.text)]
    # The consent is inside the signed, encrypted payload: flipping it is tampering.
    assert b"handout" not in out.read_bytes()


def test_a_receipt_arrives_in_the_students_drop_folder(receipt: tuple[People, bytes],
                                                       tmp_path: Path) -> None:
    from journal_app.core.sharing import dropfolder

    people, data = receipt
    drop = tmp_path / "student-drop"
    drop.mkdir()
    (drop / "read.pkg").write_bytes(data[: len(data) - 10])  # still being copied
    seen: dict[Path, tuple[int, int]] = {}
    first = dropfolder.take_in(people.student, drop, seen)
    assert first.waiting == [drop / "read.pkg"] and not first.received
    assert people.student.records(ReadReceipt) == []
    (drop / "read.pkg").write_bytes(data)
    again = dropfolder.take_in(people.student, drop, seen)
    assert [r.kind for r in again.received] == ["receipt"] and len(again.received[0].receipts) == 1
    (status,) = mentor_inbox.share_statuses(people.student)
    assert status.status == "read"
