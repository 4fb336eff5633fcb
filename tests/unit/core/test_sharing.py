"""Sharing over real vaults: identity, contacts, share and feedback packages, every refusal.

De-identification is passed in (``tests/helpers/fake_deid.py``), so these tests do not depend
on the detectors' own choices; the real detectors are tested on their own.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.core.errors import (
    AmbiguousIdError,
    JournalError,
    KeyChangedError,
    NotConfirmedError,
    NotForYouError,
    NotFoundError,
    PackageAlteredError,
    PackageError,
    PackageReplayError,
    PackageTruncatedError,
    PackageVersionError,
    UsageError,
    ValidationError,
    WrongSharePassphraseError,
)
from journal_app.core.practice.trends import compute_trends
from journal_app.core.records.model import (
    Contact,
    Entry,
    Feedback,
    Identity,
    ReceivedExcerpt,
    ReceivedPackage,
    Reflection,
    SharedLog,
)
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import Card, card_of
from journal_app.core.sharing.packages import MAGIC
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME
from tests.helpers import fake_deid

SHARE_PASS = "violet kettle harbour"
BODY = ("Mr. Jones died at 4 am. His daughter (call 555-201-3344) arrived late.\n"
        "I felt numb, then guilty that I felt numb.")


def yes(_card: Card) -> bool:
    return True


def no(_card: Card) -> bool:
    return False


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[Callable[[str], Journal]]:
    opened: list[Journal] = []

    def make(name: str) -> Journal:
        journal, _key = Journal.create(tmp_path / name, "correct horse", kdf=TEST_KDF)
        opened.append(journal)
        return journal

    yield make
    for journal in opened:
        journal.close()


@dataclass
class People:
    student: Journal
    mentor: Journal
    mentor2: Journal
    outsider: Journal
    entry: Entry
    out: Path

    def pkg(self, name: str) -> Path:
        return self.out / name


@pytest.fixture
def people(vaults: Callable[[str], Journal], tmp_path: Path) -> People:
    student, mentor, mentor2, outsider = (vaults(n) for n in ("s", "m", "m2", "x"))
    sharing.ensure_identity(student, "Sam Student")
    for journal, name in ((mentor, "Ada Mentor"), (mentor2, "Bo Mentor"), (outsider, "Eve")):
        sharing.ensure_identity(journal, name, "mentor")
        sharing.import_card(student, sharing.my_card(journal).to_bytes(), yes)
    entry = student.add_entry(title="Night on 7B", body=BODY, encounter="patient-death",
                              created=datetime(2025, 11, 3, 4, 30, tzinfo=UTC))
    out = tmp_path / "out"
    out.mkdir()
    return People(student, mentor, mentor2, outsider, entry, out)


def share(p: People, to: tuple[str, ...] = ("Ada Mentor",), passphrase: str | None = None,
          selections: list[sharing.Selection] | None = None, note: str = "A hard night.",
          question: str = "Was I wrong to feel numb?", name: str = "share.pkg") -> bytes:
    draft = sharing.draft_share(p.student, selections or [sharing.Selection(p.entry.id)],
                                note, question)
    review = sharing.review_draft(draft, finder=fake_deid.find_identifiers)
    review.accept_all()
    contacts = [sharing.find_contact(p.student, who) for who in to]
    sharing.write_share(p.student, review.redacted(fake_deid.redact), p.pkg(name), to=contacts,
                        passphrase=passphrase, kdf=TEST_KDF)
    return p.pkg(name).read_bytes()


def vault_state(journal: Journal) -> tuple[list[Any], list[Any]]:
    """Every row of the vault's database, and its meta values: the whole stored state."""
    conn = sqlite3.connect(journal.data_dir / DB_NAME)
    try:
        return (conn.execute("SELECT * FROM records ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM meta ORDER BY key").fetchall())
    finally:
        conn.close()


# ============================================================================ identity, cards


def test_identity_is_made_on_first_use_and_needs_a_name(
        vaults: Callable[[str], Journal]) -> None:
    journal = vaults("a")
    assert sharing.identity(journal) is None
    with pytest.raises(UsageError, match="--name"):
        sharing.my_card(journal)
    card = sharing.my_card(journal, "  Sam   Student ")
    assert (card.name, card.role) == ("Sam Student", "student")
    assert sharing.my_card(journal) == card
    renamed = sharing.my_card(journal, "Sam S.", "mentor")
    assert (renamed.name, renamed.role) == ("Sam S.", "mentor")
    assert renamed.fingerprint == card.fingerprint  # same keys
    assert len(journal.records(Identity)) == 1
    with pytest.raises(ValidationError):
        sharing.my_card(journal, "x" * 101)
    with pytest.raises(ValidationError):
        sharing.my_card(journal, role="boss")


def test_identity_keys_are_encrypted_and_never_exported(
        vaults: Callable[[str], Journal], tmp_path: Path) -> None:
    from journal_app.core.interchange import export_format

    journal = vaults("a")
    ident = sharing.ensure_identity(journal, "Sam")
    data = (journal.data_dir / DB_NAME).read_bytes()
    assert ident.x25519_private.encode() not in data and b"Sam" not in data
    export_format("json").exporter().write(journal.all_records(), tmp_path / "export.json")
    exported = (tmp_path / "export.json").read_text()
    assert ident.x25519_private not in exported and ident.ed25519_private not in exported


def test_import_card_asks_and_stores_a_confirmed_contact(people: People) -> None:
    journal = people.mentor
    card = sharing.my_card(people.student)
    shown: list[Card] = []
    with pytest.raises(NotConfirmedError):
        sharing.import_card(journal, card.to_bytes(), lambda c: shown.append(c) or False)
    assert shown == [card] and sharing.contacts(journal) == []
    result = sharing.import_card(journal, card.to_bytes(), yes)
    assert result.added and result.contact.confirmed
    assert result.contact.fingerprint == card.fingerprint
    (stored,) = sharing.contacts(journal)
    assert Card.of_contact(stored) == card
    again = sharing.import_card(journal, card.to_bytes(), no)  # known: not asked again
    assert not again.added and len(sharing.contacts(journal)) == 1


def test_own_card_and_invalid_cards_are_refused(people: People) -> None:
    before = vault_state(people.student)
    with pytest.raises(UsageError, match="your own card"):
        sharing.import_card(people.student, sharing.my_card(people.student).to_bytes(), yes)
    with pytest.raises(JournalError) as info:
        sharing.import_card(people.student, b'{"format": "journal-app-card"}', yes)
    assert info.value.exit_code == 4
    assert vault_state(people.student) == before


def test_a_changed_card_for_a_known_name_is_refused_unless_replaced(
        people: People, vaults: Callable[[str], Journal]) -> None:
    imposter = vaults("imposter")
    new_card = sharing.my_card(imposter, "Ada Mentor", "mentor")  # same name, new keys
    old = sharing.find_contact(people.student, "Ada Mentor")
    before = vault_state(people.student)
    with pytest.raises(KeyChangedError, match="--replace"):
        sharing.import_card(people.student, new_card.to_bytes(), yes)
    assert vault_state(people.student) == before
    with pytest.raises(NotConfirmedError):
        sharing.import_card(people.student, new_card.to_bytes(), no, replace_changed=True)
    result = sharing.import_card(people.student, new_card.to_bytes(), yes, replace_changed=True)
    assert result.replaced and result.contact.id == old.id
    assert sharing.find_contact(people.student, "ada mentor").fingerprint == new_card.fingerprint


def test_find_contact_by_name_prefix_or_fingerprint(people: People) -> None:
    ada = sharing.find_contact(people.student, "Ada Mentor")
    assert sharing.find_contact(people.student, "ada") == ada
    assert sharing.find_contact(people.student, ada.fingerprint.replace(" ", "")) == ada
    with pytest.raises(NotFoundError):
        sharing.find_contact(people.student, "Zed")
    with pytest.raises(NotFoundError):
        sharing.find_contact(people.student, "1" * 32)
    sharing.import_card(people.student, card_of(_identity("Ada Lovelace")).to_bytes(), yes)
    with pytest.raises(AmbiguousIdError):
        sharing.find_contact(people.student, "ada")


def _identity(name: str) -> Identity:
    from journal_app.core.sharing.cards import new_identity

    return new_identity(name, "mentor")


# ============================================================================ drafts, review


def test_draft_cuts_ranges_and_keeps_the_year_only(people: People) -> None:
    draft = sharing.draft_share(people.student, [
        sharing.Selection(people.entry.id[:8]), sharing.Selection(people.entry.id, 0, 16)])
    whole, part = draft.excerpts
    assert whole.text == BODY and part.text == BODY[:16]
    assert (part.start, part.end, part.year) == (0, 16, 2025)
    assert whole.excerpt_id != part.excerpt_id
    for bad in ((0, 0), (5, 2), (-1, 3), (0, len(BODY) + 1)):
        with pytest.raises(UsageError, match="outside"):
            sharing.draft_share(people.student, [sharing.Selection(people.entry.id, *bad)])
    with pytest.raises(UsageError):
        sharing.draft_share(people.student, [])
    people.student.delete_entry(people.entry.id)
    with pytest.raises(UsageError, match="trash"):
        sharing.draft_share(people.student, [sharing.Selection(people.entry.id)])


def test_selection_parse() -> None:
    assert sharing.Selection.parse("abc123") == sharing.Selection("abc123")
    assert sharing.Selection.parse("abc123:5-10") == sharing.Selection("abc123", 5, 10)
    for bad in ("abc:5", "abc:x-2", "abc:1-"):
        with pytest.raises(UsageError):
            sharing.Selection.parse(bad)


def test_review_blocks_until_every_finding_is_decided(people: People) -> None:
    draft = sharing.draft_share(people.student, [sharing.Selection(people.entry.id)],
                                note="Ask jo@example.org", question="")
    review = sharing.review_draft(draft, finder=fake_deid.find_identifiers)
    labels = [(ref.label(), f.text) for ref, f in review.findings]
    assert labels == [("excerpt 1, text", "Mr. Jones"), ("excerpt 1, text", "555-201-3344"),
                      ("the note", "jo@example.org")]
    review.accept(0)
    with pytest.raises(UsageError, match="2 possible identifier"):
        review.redacted(fake_deid.redact)
    review.ignore(1)
    review.accept(2, "my colleague")
    final = review.redacted(fake_deid.redact)
    assert final.excerpts[0].text.startswith("[name] died at 4 am.")
    assert "555-201-3344" in final.excerpts[0].text  # ignored: kept as written
    assert final.note == "Ask my colleague"
    assert draft.excerpts[0].text == BODY  # the draft itself is unchanged


def test_review_passes_the_user_kept_names(people: People) -> None:
    draft = sharing.draft_share(people.student, [sharing.Selection(people.entry.id)])
    review = sharing.review_draft(draft, names=["daughter"], finder=fake_deid.find_identifiers)
    assert "daughter" in [f.text for _ref, f in review.findings]


# ============================================================================ round trips


def test_share_to_one_mentor_round_trip(people: People) -> None:
    data = share(people)
    assert not any(t in data for t in (b"numb", b"Jones", b"Sam Student", b"hard night"))
    (log,) = sharing.shared_logs(people.student)
    assert [r.name for r in log.recipients] == ["Ada Mentor"] and not log.passphrase
    assert log.excerpts[0].entry_id == people.entry.id
    assert "Jones" not in log.excerpts[0].text  # the log keeps what was sent, as sent

    asked: list[Card] = []
    result = sharing.receive(people.mentor, data, lambda c: asked.append(c) or True)
    assert [c.name for c in asked] == ["Sam Student"] and result.new_contact
    (excerpt,) = result.excerpts
    assert excerpt.text == BODY.replace("Mr. Jones", "[name]").replace("555-201-3344",
                                                                       "[phone]")
    assert (excerpt.title, excerpt.year, excerpt.encounter) == ("Night on 7B", 2025,
                                                                "patient-death")
    assert excerpt.entry_ref == people.entry.id
    assert result.package.note == "A hard night."
    assert result.package.question == "Was I wrong to feel numb?"
    assert sharing.received_excerpts(people.mentor) == [excerpt]
    (contact,) = sharing.contacts(people.mentor)
    assert contact.name == "Sam Student" and contact.confirmed
    # Received material is not an entry: not listed, not searched, not in the trends.
    assert people.mentor.entries() == []
    assert people.mentor.search("numb") == []


def test_share_to_two_mentors_each_reads_it(people: People) -> None:
    data = share(people, to=("Ada Mentor", "Bo Mentor"))
    first = sharing.receive(people.mentor, data, yes)
    second = sharing.receive(people.mentor2, data, yes)
    assert first.excerpts[0].text == second.excerpts[0].text

    # A second package with two parts: listed newest package first, parts in their order.
    parts = [sharing.Selection(people.entry.id, 30, 40), sharing.Selection(people.entry.id, 0, 9)]
    later = sharing.receive(people.mentor, share(people, selections=parts, name="2.pkg"), yes)
    assert [e.position for e in later.excerpts] == [0, 1]
    assert [e.text for e in sharing.received_excerpts(people.mentor)] == [
        BODY[30:40], "[name]", first.excerpts[0].text]
    with pytest.raises(NotForYouError):
        sharing.receive(people.outsider, data, yes)


def test_share_with_a_passphrase_for_a_mentor_without_a_card(
        people: People, vaults: Callable[[str], Journal]) -> None:
    newcomer = vaults("new")  # no identity, no contacts
    data = share(people, to=(), passphrase=SHARE_PASS)
    with pytest.raises(UsageError, match="share passphrase"):
        sharing.receive(newcomer, data, yes)
    with pytest.raises(WrongSharePassphraseError) as info:
        sharing.receive(newcomer, data, yes, passphrase="violet kettle harbor")
    assert info.value.exit_code == 3
    asked: list[int] = []
    result = sharing.receive(newcomer, data, yes,
                             passphrase=lambda: asked.append(1) or SHARE_PASS)
    assert asked == [1] and len(result.excerpts) == 1
    (log,) = sharing.shared_logs(people.student)
    assert log.passphrase and log.recipients == ()


def test_a_weak_share_passphrase_is_refused(people: People) -> None:
    with pytest.raises(ValidationError, match="too weak"):
        share(people, to=(), passphrase="password")
    assert not people.pkg("share.pkg").exists()
    assert sharing.shared_logs(people.student) == []


def test_a_card_package_is_not_opened_by_passphrase_alone(
        people: People, vaults: Callable[[str], Journal]) -> None:
    data = share(people)
    with pytest.raises(NotForYouError):
        sharing.receive(vaults("new"), data, yes, passphrase=SHARE_PASS)


def test_sharing_needs_an_identity_and_a_recipient(
        vaults: Callable[[str], Journal], tmp_path: Path) -> None:
    journal = vaults("a")
    entry = journal.add_entry(body="text")
    draft = sharing.draft_share(journal, [sharing.Selection(entry.id)])
    with pytest.raises(UsageError, match="card"):
        sharing.write_share(journal, draft, tmp_path / "p", passphrase=SHARE_PASS,
                            kdf=TEST_KDF)
    with pytest.raises(UsageError, match="contact"):
        sharing.write_share(journal, draft, tmp_path / "p")
    assert not (tmp_path / "p").exists()


def test_feedback_round_trip_links_to_the_entry_and_the_trends(people: People) -> None:
    other = people.student.add_entry(body="Another entry, not shared.")
    reflection = people.student.add_record(Reflection(
        title="r", body="b", depth="thoughtful-action", created=people.entry.created))
    data = share(people, selections=[sharing.Selection(people.entry.id),
                                     sharing.Selection(reflection.id)])
    received = sharing.receive(people.mentor, data, yes).excerpts
    written = sharing.write_feedback(people.mentor, received[0].id[:8], people.pkg("fb.pkg"),
                                     comment="You stayed. That matters.",
                                     reply="No: numbness is common.", depth="reflection")
    assert written.direction == "written" and written.package_id
    assert sharing.feedback(people.mentor, "written") == [written]
    fb_data = people.pkg("fb.pkg").read_bytes()
    assert b"numbness" not in fb_data and b"stayed" not in fb_data

    result = sharing.receive(people.student, fb_data, no)  # a known contact: not asked
    (got,) = result.feedback
    assert got.entry_id == people.entry.id and got.direction == "received"
    assert (got.comment, got.reply, got.depth) == ("You stayed. That matters.",
                                                   "No: numbness is common.", "reflection")
    assert got.feedback_id == written.feedback_id
    assert sharing.feedback_for_entry(people.student, people.entry.id) == [got]
    assert sharing.feedback_for_entry(people.student, other.id) == []
    assert sharing.mentor_depth_ratings(people.student) == [(people.entry.created.date(),
                                                             "reflection")]
    figures = compute_trends(people.student.entries(), [], mentor_ratings=sharing
                             .mentor_depth_ratings(people.student))
    assert figures["depth"]["mentor"]["points"] == [
        {"date": "2025-11-03", "depth": "reflection", "level": 3}]
    assert figures["depth"]["points"][0]["depth"] == "thoughtful-action"  # the student's own
    # The portfolio's short excerpt: who said it, and the comment.
    assert sharing.portfolio_feedback(people.student) == {
        people.entry.id: f"{got.contact_name}: You stayed. That matters."}
    # A rating of an entry now in the trash leaves the trends.
    people.student.delete_entry(people.entry.id)
    assert sharing.mentor_depth_ratings(people.student) == []


def test_feedback_needs_content_and_a_known_depth(people: People) -> None:
    excerpt = sharing.receive(people.mentor, share(people), yes).excerpts[0]
    with pytest.raises(ValidationError):
        sharing.write_feedback(people.mentor, excerpt.id, people.pkg("f"), comment="  ")
    with pytest.raises(ValidationError):
        sharing.write_feedback(people.mentor, excerpt.id, people.pkg("f"), comment="ok",
                               depth="deep")
    assert not people.pkg("f").exists()
    depth_only = sharing.write_feedback(people.mentor, excerpt.id, people.pkg("f"),
                                        depth="critical-reflection")
    assert depth_only.comment == ""


def test_feedback_on_something_never_shared_is_refused(people: People) -> None:
    """Feedback naming an excerpt this vault has no share log of (here: the log is gone)."""
    excerpt = sharing.receive(people.mentor, share(people), yes).excerpts[0]
    fb = sharing.write_feedback(people.mentor, excerpt.id, people.pkg("fb"), comment="Hi")
    assert fb.package_id
    data = people.pkg("fb").read_bytes()
    # Drop the share log (no command does; the service removes records of a kind for good).
    log = sharing.shared_logs(people.student)[0]
    assert people.student.remove_records(type(log), [log.id]) == 1
    before = vault_state(people.student)
    with pytest.raises(PackageError, match="no record of sharing"):
        sharing.receive(people.student, data, yes)
    assert vault_state(people.student) == before


def test_feedback_from_someone_it_was_not_shared_with_is_refused(people: People) -> None:
    data = share(people, to=("Ada Mentor", "Bo Mentor"))
    # Bo got it; make the log say only Ada did, then feedback from Bo arrives.
    sharing.receive(people.mentor2, data, yes)
    bo_excerpt = sharing.received_excerpts(people.mentor2)[0]
    sharing.write_feedback(people.mentor2, bo_excerpt.id, people.pkg("bo"), comment="Hi")
    log = sharing.shared_logs(people.student)[0]
    people.student.add_records([_only_first_recipient(log)])
    before = vault_state(people.student)
    with pytest.raises(PackageError, match="not shared with"):
        sharing.receive(people.student, people.pkg("bo").read_bytes(), yes)
    assert vault_state(people.student) == before


def _only_first_recipient(log: SharedLog) -> SharedLog:
    from dataclasses import replace

    return replace(log, recipients=log.recipients[:1])


# ============================================================================ refusals


@pytest.fixture
def shared(people: People) -> tuple[People, bytes]:
    return people, share(people)


def refused(journal: Journal, data: bytes, error: type[JournalError],
            confirm: Callable[[Card], bool] = yes, **kw: Any) -> JournalError:
    """Receiving ``data`` raises ``error`` and leaves the vault exactly as it was."""
    before = vault_state(journal)
    with pytest.raises(error) as info:
        sharing.receive(journal, data, confirm, **kw)
    assert vault_state(journal) == before
    message = info.value.message
    assert "nothing was imported" in message.lower() or error is WrongSharePassphraseError
    return info.value


def test_refused_wrong_recipient(shared: tuple[People, bytes]) -> None:
    people, data = shared
    err = refused(people.outsider, data, NotForYouError)
    assert "not for you" in err.message and err.exit_code == 4


def test_refused_altered_bytes_anywhere(shared: tuple[People, bytes]) -> None:
    people, data = shared
    before = vault_state(people.mentor)
    for pos in range(0, len(data), 3):
        altered = bytearray(data)
        altered[pos] ^= 0x10
        with pytest.raises(PackageError) as info:
            sharing.receive(people.mentor, bytes(altered), yes)
        assert info.value.exit_code == 4
        if pos >= len(MAGIC) + 6:
            assert isinstance(info.value, PackageAlteredError | PackageTruncatedError)
    assert vault_state(people.mentor) == before
    sharing.receive(people.mentor, data, yes)  # the original still imports


def test_refused_truncated(shared: tuple[People, bytes]) -> None:
    people, data = shared
    for length in (1, len(MAGIC), len(MAGIC) + 5, len(data) // 2, len(data) - 1):
        refused(people.mentor, data[:length], PackageTruncatedError)


def test_refused_unknown_version(shared: tuple[People, bytes]) -> None:
    people, data = shared
    newer = MAGIC + struct.pack(">H", 2) + data[len(MAGIC) + 2:]
    err = refused(people.mentor, newer, PackageVersionError)
    assert "newer version" in err.message


def test_refused_replay(shared: tuple[People, bytes]) -> None:
    people, data = shared
    sharing.receive(people.mentor, data, yes)
    refused(people.mentor, data, PackageReplayError)
    # Also after the vault was locked and opened again (the ids are stored, encrypted).
    people.mentor.lock()
    people.mentor.unlock("correct horse")
    refused(people.mentor, data, PackageReplayError)
    assert len(people.mentor.records(ReceivedPackage)) == 1


def test_refused_changed_key_for_a_known_sender(
        shared: tuple[People, bytes], vaults: Callable[[str], Journal]) -> None:
    people, data = shared
    sharing.receive(people.mentor, data, yes)
    # "Sam Student" again, from a new vault (new keys), with the mentor's card.
    other = vaults("s2")
    sharing.ensure_identity(other, "Sam Student")
    sharing.import_card(other, sharing.my_card(people.mentor).to_bytes(), yes)
    entry = other.add_entry(body="Hello from my new laptop.")
    draft = sharing.draft_share(other, [sharing.Selection(entry.id)])
    sharing.write_share(other, draft, people.pkg("new.pkg"),
                        to=sharing.contacts(other), kdf=TEST_KDF)
    err = refused(people.mentor, people.pkg("new.pkg").read_bytes(), KeyChangedError)
    assert "keys changed" in err.message and err.exit_code == 4


def test_refused_wrong_share_passphrase(people: People) -> None:
    data = share(people, to=(), passphrase=SHARE_PASS)
    err = refused(people.mentor, data, WrongSharePassphraseError, passphrase="not it at all")
    assert err.exit_code == 3


def test_refused_when_the_fingerprint_is_not_confirmed(shared: tuple[People, bytes]) -> None:
    people, data = shared
    refused(people.mentor, data, NotConfirmedError, confirm=no)
    sharing.receive(people.mentor, data, yes)  # nothing was remembered: it still imports


def test_a_confirm_that_raises_stores_nothing(shared: tuple[People, bytes]) -> None:
    people, data = shared

    def no_terminal(_card: Card) -> bool:
        raise UsageError("Confirm the fingerprint first.")

    before = vault_state(people.mentor)
    with pytest.raises(UsageError):
        sharing.receive(people.mentor, data, no_terminal)
    assert vault_state(people.mentor) == before


def test_a_replay_between_check_and_store_is_caught(shared: tuple[People, bytes]) -> None:
    """Another process imports the same package while this one asks for confirmation."""
    people, data = shared
    second = Journal.open(people.mentor.data_dir)
    second.unlock("correct horse")
    try:
        def confirm_while_other_imports(_card: Card) -> bool:
            sharing.receive(second, data, yes)
            return True

        with pytest.raises(PackageReplayError):
            sharing.receive(people.mentor, data, confirm_while_other_imports)
        assert len(people.mentor.records(ReceivedPackage)) == 1
        assert len(people.mentor.records(ReceivedExcerpt)) == 1
    finally:
        second.close()


def test_a_failed_record_write_removes_the_package_file(
        people: People, monkeypatch: pytest.MonkeyPatch) -> None:
    from journal_app.core.errors import StorageError

    def fail(*_a: Any, **_k: Any) -> None:
        raise StorageError()

    monkeypatch.setattr(people.student, "add_records", fail)
    with pytest.raises(StorageError):
        share(people)
    assert list(people.out.iterdir()) == []


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_packages_never_crash_nor_import(
        shared: tuple[People, bytes], data: st.DataObject) -> None:
    people, package = shared
    before = vault_state(people.mentor)
    mutated = bytearray(package)
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["flip", "insert", "delete", "cut", "garbage"]))
        pos = data.draw(st.integers(0, max(0, len(mutated) - 1)))
        if action == "flip" and mutated:
            mutated[pos] ^= data.draw(st.integers(1, 255))
        elif action == "insert":
            mutated[pos:pos] = data.draw(st.binary(min_size=1, max_size=16))
        elif action == "delete":
            del mutated[pos:pos + data.draw(st.integers(1, 16))]
        elif action == "cut":
            del mutated[pos:]
        else:
            mutated = bytearray(data.draw(st.binary(max_size=300)))
    if bytes(mutated) == package:
        return
    with pytest.raises(JournalError) as info:
        sharing.receive(people.mentor, bytes(mutated), yes, passphrase=SHARE_PASS)
    assert info.value.exit_code in (2, 3, 4)
    assert vault_state(people.mentor) == before


def test_received_records_round_trip_through_the_vault(shared: tuple[People, bytes]) -> None:
    people, data = shared
    result = sharing.receive(people.mentor, data, yes)
    reopened = Journal.open(people.mentor.data_dir)
    reopened.unlock("correct horse")
    try:
        assert reopened.records(ReceivedExcerpt) == result.excerpts
        assert reopened.records(ReceivedPackage) == [result.package]
        assert [c.fingerprint for c in reopened.records(Contact)] == [
            sharing.my_card(people.student).fingerprint]
        assert reopened.verify().ok
    finally:
        reopened.close()
    assert people.mentor.records(Feedback) == []


def test_times_are_stored_with_an_offset(shared: tuple[People, bytes]) -> None:
    people, data = shared
    result = sharing.receive(people.mentor, data, yes)
    assert result.package.received.utcoffset() is not None
    assert abs(result.package.received - datetime.now(UTC)) < timedelta(minutes=1)


# ============================================================================ the record kinds


def _examples() -> list[Any]:
    from journal_app.core.records.model import SharedExcerpt, ShareRecipient
    from journal_app.core.sharing.cards import new_identity

    ident = new_identity("Sam Student", "student")
    card = card_of(new_identity("Ada Mentor", "mentor"))
    return [
        ident,
        card.as_contact(confirmed=True),
        SharedLog(package_id="a" * 32, recipients=[ShareRecipient("Ada", card.fingerprint)],
                  excerpts=[SharedExcerpt(excerpt_id="b" * 32, entry_id="c" * 32, title="t",
                                          text="x", start=0, end=1)], note="n", question="q"),
        ReceivedPackage(package_id="a" * 32, kind="share", sent_on="2026-03-14",
                        sender_name="Sam", sender_role="student",
                        sender_fingerprint=card.fingerprint, note="n"),
        ReceivedExcerpt(package_id="a" * 32, excerpt_id="b" * 32, sender_name="Sam",
                        sender_fingerprint=card.fingerprint, entry_ref="c" * 32, text="x",
                        year=2026, encounter="code", sent_on="2026-03-14"),
        Feedback(direction="received", share_package_id="a" * 32, excerpt_id="b" * 32,
                 entry_id="c" * 32, contact_name="Ada", contact_fingerprint=card.fingerprint,
                 comment="ok", depth="reflection", package_id="d" * 32,
                 received=datetime.now(UTC)),
    ]


@pytest.mark.parametrize("record", _examples(), ids=lambda r: r.KIND)
def test_sharing_record_kinds_round_trip(record: Any, vaults: Callable[[str], Journal]) -> None:
    from journal_app.core.records.model import decode_record

    assert decode_record(record.KIND, record.SCHEMA_VERSION, record.id,
                         record.payload()) == record
    journal = vaults("a")
    journal.add_record(record)
    reopened = Journal.open(journal.data_dir)
    reopened.unlock("correct horse")
    try:
        assert reopened.records(type(record)) == [record]
        assert reopened.verify().ok
    finally:
        reopened.close()


KEY = "A" * 43 + "="  # base64 of 32 bytes

BAD_FIELDS = {
    "identity without a name": (Identity, {"name": "", "x25519_private": KEY,
                                           "ed25519_private": KEY}),
    "identity short key": (Identity, {"name": "Sam", "x25519_private": "AA==",
                                      "ed25519_private": KEY}),
    "contact unknown role": (Contact, {"name": "Sam", "role": "boss", "x25519": KEY,
                                       "ed25519": KEY, "self_sig": "A" * 86 + "=="}),
    "log id upper case": (SharedLog, {"package_id": "A" * 32}),
    "package unknown kind": (ReceivedPackage, {
        "package_id": "a" * 32, "kind": "poem", "sent_on": "2026-03-14", "sender_name": "S",
        "sender_role": "student", "sender_fingerprint": ""}),
    "package day format": (ReceivedPackage, {
        "package_id": "a" * 32, "kind": "share", "sent_on": "14/03/2026", "sender_name": "S",
        "sender_role": "student", "sender_fingerprint": ""}),
    "excerpt year": (ReceivedExcerpt, {
        "package_id": "a" * 32, "excerpt_id": "b" * 32, "sender_name": "S",
        "sender_fingerprint": "", "entry_ref": "c" * 32, "text": "x", "year": 1066,
        "sent_on": "2026-03-14"}),
    "feedback direction": (Feedback, {
        "direction": "sideways", "share_package_id": "a" * 32, "excerpt_id": "b" * 32,
        "entry_id": "c" * 32, "contact_name": "A", "contact_fingerprint": "", "comment": "ok"}),
    "feedback empty": (Feedback, {
        "direction": "written", "share_package_id": "a" * 32, "excerpt_id": "b" * 32,
        "entry_id": "c" * 32, "contact_name": "A", "contact_fingerprint": "", "comment": " "}),
}


@pytest.mark.parametrize("name", sorted(BAD_FIELDS))
def test_sharing_record_kinds_refuse_bad_values(name: str) -> None:
    cls, fields = BAD_FIELDS[name]
    with pytest.raises(ValueError):
        cls(**fields)


def test_remove_a_contact_keeps_what_they_sent(people: People) -> None:
    data = share(people)
    sharing.receive(people.mentor, data, yes)  # the mentor adds the student on first contact
    (student,) = sharing.contacts(people.mentor)
    received = sharing.received_excerpts(people.mentor)
    sharing.remove_contact(people.mentor, student.id)
    assert sharing.contacts(people.mentor) == []
    assert sharing.received_excerpts(people.mentor) == received  # what they sent stays
    with pytest.raises(NotFoundError):
        sharing.remove_contact(people.mentor, student.id)
    # Entries are never removed this way (they go through the trash).
    with pytest.raises(ValueError):
        people.student.remove_records(Entry, [people.entry.id])
    assert people.student.get_entry(people.entry.id).id == people.entry.id
