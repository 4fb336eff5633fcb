"""Importing a file never creates trust (issue 12, part 2).

A JSON import brings the user's own writing only. Contacts, what was shared and received,
feedback, the app's settings, the backup state, support contacts and the vault's identity
each have their own path (``card import``, ``receive``, Settings, a backup restore); a file
that holds them is refused, or, when it also holds writing, imports the writing and says what
it skipped and where it goes instead. A contact's fingerprint is computed from its keys every
time it is shown or compared, never read from what is stored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest

from journal_app.core.errors import (
    InvalidDataError,
    NotConfirmedError,
    NotForYouError,
    NotFoundError,
)
from journal_app.core.interchange import NativeJsonExporter, NativeJsonImporter
from journal_app.core.interchange.native import record_to_json
from journal_app.core.records.importable import skipped_notes
from journal_app.core.records.model import (
    RECORD_KINDS,
    AppState,
    BackupState,
    Contact,
    Entry,
    Feedback,
    Record,
    Revision,
    SupportContact,
)
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import Card, card_of, new_identity
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME
from tests.helpers import fake_deid

PASS = "correct horse"


def yes(_card: Card) -> bool:
    return True


def state(journal: Journal) -> tuple[list[Any], list[Any]]:
    """Every row and meta value of the vault: the whole stored state."""
    conn = sqlite3.connect(journal.data_dir / DB_NAME)
    try:
        return (conn.execute("SELECT * FROM records ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM meta ORDER BY key").fetchall())
    finally:
        conn.close()


def crafted(path: Path, items: list[dict[str, Any]]) -> Path:
    doc = {"format": "journal-app", "version": 1, "exported": "2026-01-01T00:00:00+00:00",
           "records": items}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def item(record: Record, **data: Any) -> dict[str, Any]:
    """A record as a crafted file holds it: every field, secrets included, ``data`` changed."""
    return {"id": record.id, "kind": record.KIND, "schema_version": record.SCHEMA_VERSION,
            "data": {**record.payload(), **data}}


@dataclass
class World:
    student: Journal
    mentor: Journal
    attacker: Journal
    entry: Entry
    out: Path

    @property
    def mentor_card(self) -> Card:
        return sharing.my_card(self.mentor)

    @property
    def attacker_card(self) -> Card:
        return sharing.my_card(self.attacker)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    opened = []
    for name in ("student", "mentor", "attacker"):
        journal, _key = Journal.create(tmp_path / name, PASS, kdf=TEST_KDF)
        opened.append(journal)
    student, mentor, attacker = opened
    sharing.ensure_identity(student, "Sam Student")
    sharing.ensure_identity(mentor, "Ada Mentor", "mentor")
    sharing.ensure_identity(attacker, "Mallory", "mentor")
    student.set_deid_names(["Mr Jones", "Dr Okafor"])
    entry = student.add_entry(title="Night on 7B", body="Mr Jones died at 4 am. I felt numb.",
                              created=datetime(2025, 11, 3, 4, 30, tzinfo=UTC))
    out = tmp_path / "out"
    out.mkdir()
    yield World(student, mentor, attacker, entry, out)
    for journal in opened:
        journal.close()


def planted_contact(w: World) -> Contact:
    """The attacker's card under the mentor's name (re-signed: the card itself is valid)."""
    fake = sharing.my_card(w.attacker, name="Ada Mentor")
    return fake.as_contact(confirmed=True)


def forged_feedback(w: World) -> Feedback:
    return Feedback(direction="received", share_package_id="a" * 32, excerpt_id="b" * 32,
                    entry_id=w.entry.id, contact_name="Ada Mentor",
                    contact_fingerprint=w.mentor_card.fingerprint,
                    comment="This worries me: see the dean.", depth="habitual-action",
                    package_id="c" * 32, received=datetime.now(UTC))


def share_to(w: World, who: str, name: str = "share.pkg") -> bytes:
    draft = sharing.draft_share(w.student, [sharing.Selection(w.entry.id)], "A hard night.")
    review = sharing.review_draft(draft, finder=fake_deid.find_identifiers)
    review.accept_all()
    contact = sharing.find_contact(w.student, who)
    sharing.write_share(w.student, review.redacted(fake_deid.redact), w.out / name,
                        to=[contact], kdf=TEST_KDF)
    return (w.out / name).read_bytes()


# ============================================================================ the attack


def test_a_crafted_import_cannot_make_share_encrypt_to_an_attacker(
    world: World, tmp_path: Path
) -> None:
    """The attack as seen: a contact named like the mentor, with the mentor's real fingerprint
    as stored text and the attacker's keys; forged feedback with a depth rating; an app state
    that empties the list of names. Then ``share --to`` the mentor."""
    w = world
    mentor_fp = w.mentor_card.fingerprint
    mine = Entry(title="A note from my phone", body="Written elsewhere.")
    path = crafted(tmp_path / "setup.json", [
        item(mine),
        item(planted_contact(w), fingerprint=mentor_fp),
        item(forged_feedback(w)),
        item(AppState(deid_names=[])),
    ])
    w.student.import_records(NativeJsonImporter().parse(path))

    # Only the writing came in.
    assert [e.title for e in w.student.entries() if e.id == mine.id] == [mine.title]
    assert sharing.contacts(w.student) == []
    assert sharing.feedback(w.student) == []
    assert sharing.mentor_depth_ratings(w.student) == []
    assert w.student.deid_names() == ["Mr Jones", "Dr Okafor"]
    # Sharing "to the mentor" finds no one until the mentor's card is imported...
    with pytest.raises(NotFoundError):
        sharing.find_contact(w.student, "Ada Mentor")
    with pytest.raises(NotFoundError):
        sharing.find_contact(w.student, mentor_fp)
    # ...and then goes to the mentor, never to the attacker.
    sharing.import_card(w.student, w.mentor_card.to_bytes(), yes)
    data = share_to(w, mentor_fp)
    assert sharing.receive(w.mentor, data, yes).kind == "share"
    with pytest.raises(NotForYouError):
        sharing.open_package(w.attacker, data)


# ============================================================================ one file per kind

#: A valid record of every kind a JSON import refuses, and a word the refusal must name.
def _refused_examples(w: World) -> dict[str, tuple[Record, str]]:
    from journal_app.core.records.model import (
        AttestationRecord,
        CohortBudget,
        CommentPhrase,
        InboxMark,
        JoinedProgramme,
        ProgrammeLead,
        ReadReceipt,
        ReceivedExcerpt,
        ReceivedPackage,
        SharedExcerpt,
        SharedLog,
        ShareRecipient,
        StudentNote,
    )

    fp = w.mentor_card.fingerprint
    return {
        "identity": (new_identity("Sam Student", "student"), "backup"),
        "contact": (planted_contact(w), "card import"),
        "shared-log": (SharedLog(package_id="a" * 32,
                                 recipients=[ShareRecipient("Ada Mentor", fp)],
                                 excerpts=[SharedExcerpt(excerpt_id="b" * 32,
                                                         entry_id=w.entry.id, title="t",
                                                         text="x")]), "backup"),
        "received-package": (ReceivedPackage(package_id="a" * 32, kind="feedback",
                                             sent_on="2026-03-14", sender_name="Ada Mentor",
                                             sender_role="mentor", sender_fingerprint=fp),
                             "receive"),
        "received-excerpt": (ReceivedExcerpt(package_id="a" * 32, excerpt_id="b" * 32,
                                             sender_name="Sam", sender_fingerprint=fp,
                                             entry_ref="c" * 32, text="x",
                                             sent_on="2026-03-14"), "receive"),
        "feedback": (forged_feedback(w), "receive"),
        "app-state": (AppState(deid_names=[]), "Settings"),
        "backup-state": (BackupState(last_good=datetime.now(UTC), last_file="/x/b.jabk",
                                     last_records=1), "backup"),
        "support-contact": (SupportContact(name="Crisis line (planted)",
                                           contact="+1 555 0100"), "Settings"),
        "programme": (JoinedProgramme(joined_fingerprint="1234 " * 7 + "1234",
                                      name="Planted programme", key=KEY, version=1,
                                      founded="2026-01-05", file="{}",
                                      mentors=[json.dumps(w.mentor_card.to_json())]),
                      "programme join"),
        "programme-lead": (ProgrammeLead(name="Planted programme", signing_key=KEY,
                                         founded="2026-01-05"), "backup"),
        "cohort-budget": (CohortBudget(programme="1234 " * 7 + "1234"), "backup"),
        "inbox-mark": (InboxMark(excerpt="b" * 32), "backup"),
        "read-receipt": (ReadReceipt(direction="received", share_package_id="a" * 32,
                                     excerpt_id="b" * 32, entry_id=w.entry.id,
                                     contact_name="Ada Mentor", contact_fingerprint=fp,
                                     read=datetime.now(UTC), package_id="c" * 32), "receive"),
        "comment-phrase": (CommentPhrase(text="What else could it mean?"), "backup"),
        "student-note": (StudentNote(student="1234", text="Tired today."), "backup"),
        "attestation": (AttestationRecord(direction="received", file="{}"),
                        "attestation import"),
    }


REFUSED = ["identity", "contact", "shared-log", "received-package", "received-excerpt",
           "feedback", "app-state", "backup-state", "support-contact", "programme",
           "programme-lead", "cohort-budget", "inbox-mark", "comment-phrase", "attestation",
           "student-note", "read-receipt"]
KEY = "A" * 43 + "="
WRITING = ["entry", "revision", "checkin", "reflection", "self-assessment", "custom-prompt",
           "custom-template", "attachment", "attachment-data"]


def test_every_record_kind_is_either_writing_or_refused() -> None:
    from journal_app.core.records.importable import REFUSED_KINDS, WRITING_KINDS

    assert sorted(WRITING_KINDS) == sorted(WRITING)
    assert sorted(REFUSED_KINDS) == sorted(REFUSED)
    # A new kind must be placed on purpose (and is refused until it is).
    assert set(RECORD_KINDS) == set(WRITING) | set(REFUSED)


@pytest.mark.parametrize("kind", REFUSED)
def test_a_file_of_one_refused_kind_is_refused_and_changes_nothing(
    world: World, tmp_path: Path, kind: str
) -> None:
    record, path_word = _refused_examples(world)[kind]
    assert kind == record.KIND
    path = crafted(tmp_path / f"{kind}.json", [item(record)])
    before = state(world.student)
    with pytest.raises(InvalidDataError) as info:
        world.student.import_records(NativeJsonImporter().parse(path))
    message = str(info.value)
    assert path_word in message and "nothing was imported" in message.lower()
    assert message.count(". ") == 0  # one sentence
    assert state(world.student) == before
    assert world.student.deid_names() == ["Mr Jones", "Dr Okafor"]


def test_a_mixed_file_imports_the_writing_and_says_what_it_skipped(
    world: World, tmp_path: Path
) -> None:
    examples = _refused_examples(world)
    mine = Entry(title="Mine", body="my own words")
    path = crafted(tmp_path / "mixed.json",
                   [item(mine), *(item(record) for record, _w in examples.values())])
    importer = NativeJsonImporter()
    records = importer.parse(path)
    assert [r.id for r in records] == [mine.id]
    assert importer.skipped() == {kind: 1 for kind in REFUSED}
    notes = " ".join(skipped_notes(importer.skipped()))
    for word in ("card import", "receive", "Settings", "backup"):
        assert word in notes
    before_kinds = {kind: len(world.student.records(RECORD_KINDS[kind])) for kind in REFUSED}
    result = world.student.import_records(records)
    assert result.imported == 1
    assert {kind: len(world.student.records(RECORD_KINDS[kind]))
            for kind in REFUSED} == before_kinds
    assert world.student.deid_names() == ["Mr Jones", "Dr Okafor"]


def test_our_own_export_brings_back_the_writing_only(world: World, tmp_path: Path) -> None:
    w = world
    sharing.import_card(w.student, w.mentor_card.to_bytes(), yes)
    share_to(w, "Ada Mentor")
    w.student.add_record(SupportContact(name="My sister", contact="07700 900123"))
    w.student.edit_entry(w.entry.id, body="Mr Jones died at 4 am.")
    path = tmp_path / "export.json"
    NativeJsonExporter().write(w.student.all_records(), path)

    fresh, _key = Journal.create(tmp_path / "fresh", PASS, kdf=TEST_KDF)
    try:
        importer = NativeJsonImporter()
        records = importer.parse(path)
        assert {r.KIND for r in records} == {"entry", "revision"}
        assert set(importer.skipped()) == {"contact", "shared-log", "app-state",
                                           "support-contact"}
        fresh.import_records(records)
        assert [e.id for e in fresh.entries()] == [w.entry.id]
        assert fresh.records(Contact) == [] and fresh.records(SupportContact) == []
    finally:
        fresh.close()


def test_a_revision_of_a_refused_kind_is_refused(world: World, tmp_path: Path) -> None:
    contact = planted_contact(world)
    revision = Revision(target_id=contact.id, target_kind="contact", target_schema=1,
                        payload_data=contact.payload())
    path = crafted(tmp_path / "rev.json", [item(revision)])
    before = state(world.student)
    with pytest.raises(InvalidDataError, match="card import"):
        world.student.import_records(NativeJsonImporter().parse(path))
    assert state(world.student) == before


def test_the_journal_refuses_imported_records_that_are_not_writing(world: World) -> None:
    """Defence in depth: whatever an importer returns, the journal stores writing only."""
    before = state(world.student)
    with pytest.raises(InvalidDataError):
        world.student.import_records([Entry(title="x"), AppState(deid_names=[])])
    assert state(world.student) == before


# ============================================================================ fingerprints


@dataclass
class _StoredAsV1(Record):
    """A contact as an older version stored it (schema 1, its fingerprint as text)."""

    KIND: ClassVar[str] = "contact"
    SCHEMA_VERSION: ClassVar[int] = 1
    id: str
    data: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        return dict(self.data)


def _v1_contact(card: Card, stored_fingerprint: str, confirmed: bool = True) -> _StoredAsV1:
    contact = card.as_contact(confirmed=confirmed)
    data = {k: v for k, v in record_to_json(contact)["data"].items()
            if k != "fingerprint_differed"}
    return _StoredAsV1(id=contact.id, data={**data, "fingerprint": stored_fingerprint})


def _reopen(journal: Journal) -> Journal:
    again = Journal.open(journal.data_dir)
    again.unlock(PASS)
    return again


def test_a_stored_fingerprint_that_does_not_match_the_keys_is_never_believed(
    world: World,
) -> None:
    """A contact an older version stored with someone else's fingerprint as text (the attack
    as it landed) shows the fingerprint of its keys, is unconfirmed, says so, and cannot be
    shared with until the user confirms it."""
    w = world
    mentor_fp = w.mentor_card.fingerprint
    fake = sharing.my_card(w.attacker, name="Ada Mentor")
    w.student.add_record(_v1_contact(fake, mentor_fp))
    w.student.close()
    w.student = student = _reopen(w.student)

    (contact,) = sharing.contacts(student)
    assert contact.fingerprint == fake.fingerprint != mentor_fp
    assert not contact.confirmed and contact.fingerprint_differed
    assert [n for n in sharing.contact_notices(student)] == [
        "The fingerprint stored for Ada Mentor did not match their card, so Ada Mentor is no"
        " longer confirmed: compare the fingerprint with them, then import their card again or"
        " confirm it."
    ]
    with pytest.raises(NotFoundError):
        sharing.find_contact(student, mentor_fp)
    with pytest.raises(NotConfirmedError):
        share_to(w, fake.fingerprint)
    assert list(w.out.iterdir()) == []
    # The real card: the name clashes with a different fingerprint, so it is a changed card.
    result = sharing.import_card(student, w.mentor_card.to_bytes(), yes, replace_changed=True)
    assert result.contact.fingerprint == mentor_fp and result.contact.confirmed
    assert [c.fingerprint for c in sharing.contacts(student)] == [mentor_fp]
    assert sharing.contact_notices(student) == []
    data = share_to(w, "Ada Mentor")
    assert sharing.receive(w.mentor, data, yes).kind == "share"


def test_a_stored_fingerprint_that_matches_stays_confirmed(world: World) -> None:
    w = world
    w.student.add_record(_v1_contact(w.mentor_card, w.mentor_card.fingerprint))
    w.student.close()
    w.student = student = _reopen(w.student)
    (contact,) = sharing.contacts(student)
    assert contact.confirmed and not contact.fingerprint_differed
    assert contact.fingerprint == w.mentor_card.fingerprint
    assert sharing.contact_notices(student) == []
    share_to(w, "Ada Mentor")


def test_an_unconfirmed_contact_is_confirmed_by_the_user_only(world: World) -> None:
    """The app's fingerprint confirmation: shown the card, the user says it matches."""
    w = world
    w.student.add_record(_v1_contact(w.mentor_card, "1111 " * 7 + "1111"))
    w.student.close()
    w.student = student = _reopen(w.student)
    (contact,) = sharing.contacts(student)
    assert not contact.confirmed
    shown: list[str] = []

    def refuse(card: Card) -> bool:
        shown.append(card.fingerprint)
        return False

    with pytest.raises(NotConfirmedError):
        sharing.confirm_contact(student, contact.id, refuse)
    assert shown == [w.mentor_card.fingerprint]
    assert not sharing.contacts(student)[0].confirmed
    confirmed = sharing.confirm_contact(student, contact.id, yes)
    assert confirmed.confirmed and not confirmed.fingerprint_differed
    assert sharing.contacts(student) == [confirmed]
    share_to(w, "Ada Mentor")


def test_contacts_carry_no_stored_fingerprint(world: World) -> None:
    """What is stored for a contact is its card; the fingerprint is always computed."""
    contact = world.mentor_card.as_contact(confirmed=True)
    assert "fingerprint" not in contact.payload()
    assert contact.fingerprint == card_of(sharing.identity(world.mentor)).fingerprint  # type: ignore[arg-type]
    moved = replace(contact, x25519=world.attacker_card.to_json()["x25519"])
    assert moved.fingerprint != contact.fingerprint

