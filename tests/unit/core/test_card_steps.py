"""Adding a card and confirming a contact in two steps: a read, then the decided write.

The app asks the user (compare the fingerprint, replace a changed card) between
``check_card`` / ``contact_to_confirm`` and ``add_card`` / ``mark_confirmed``. The write checks
again what the answer was about: when the contacts changed meanwhile (another window, a
command), nothing is stored, so the answer never lands on something the user did not see.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from journal_app.core.errors import (
    CardInvalidError,
    ContactsChangedError,
    KeyChangedError,
    NotConfirmedError,
    NotFoundError,
    UsageError,
)
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import Card, card_of, new_identity
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.unit.core.test_import_trust import state

ADA = card_of(new_identity("Ada Mentor", "mentor"))
ADA_AGAIN = card_of(new_identity("Ada Mentor", "mentor"))  # a new card: same name, new keys
BO = card_of(new_identity("Bo Mentor", "mentor"))


@pytest.fixture
def student(tmp_path: Path) -> Iterator[Journal]:
    journal, _key = Journal.create(tmp_path / "student", "correct horse", kdf=TEST_KDF)
    sharing.ensure_identity(journal, "Sam Student")
    yield journal
    journal.close()


def test_checking_a_card_writes_nothing_and_says_what_adding_would_do(
        student: Journal) -> None:
    before = state(student)
    check = sharing.check_card(student, ADA.to_bytes())
    assert (check.card, check.same, check.changed) == (ADA, None, ())
    assert check.needs_confirmation
    assert state(student) == before

    added = sharing.add_card(student, check)
    assert added.added and added.contact.fingerprint == ADA.fingerprint
    again = sharing.check_card(student, ADA.to_bytes())
    assert again.same == added.contact and not again.needs_confirmation
    assert sharing.add_card(student, again) == sharing.CardImport(added.contact, added=False)

    changed = sharing.check_card(student, ADA_AGAIN.to_bytes())
    assert changed.changed == (added.contact,) and changed.needs_confirmation
    with pytest.raises(KeyChangedError):
        sharing.add_card(student, changed)  # a changed card is stored only when replacing
    replaced = sharing.add_card(student, changed, replace_changed=True)
    assert replaced.replaced and sharing.contacts(student) == [replaced.contact]
    assert replaced.contact.id == added.contact.id


def test_checking_refuses_a_bad_card_and_ones_own(student: Journal) -> None:
    with pytest.raises(CardInvalidError):
        sharing.check_card(student, b"\x00 not a card")
    own = card_of(sharing.identity(student))  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        sharing.check_card(student, own.to_bytes())


@pytest.mark.parametrize("meanwhile", ["the same card", "a changed card"])
def test_contacts_changed_while_asking_store_nothing(student: Journal, meanwhile: str) -> None:
    """The user compared Ada's fingerprint while another window added a contact: the answer
    was about the contacts as they were, so nothing is stored and one sentence says why."""
    check = sharing.check_card(student, ADA.to_bytes())
    other = {"the same card": ADA, "a changed card": ADA_AGAIN}
    student.add_record(other[meanwhile].as_contact(confirmed=False))
    before = state(student)
    with pytest.raises(ContactsChangedError) as info:
        sharing.add_card(student, check, replace_changed=True)
    assert isinstance(info.value, NotConfirmedError)  # callers treating "not confirmed" do
    assert "nothing was changed" in info.value.message
    assert state(student) == before


def test_an_unrelated_contact_added_meanwhile_does_not_matter(student: Journal) -> None:
    check = sharing.check_card(student, ADA.to_bytes())
    student.add_record(BO.as_contact(confirmed=True))
    assert sharing.add_card(student, check).added
    assert [c.name for c in sharing.contacts(student)] == ["Ada Mentor", "Bo Mentor"]


def test_import_card_asks_only_when_needed(student: Journal) -> None:
    asked: list[Card] = []

    def answer(card: Card) -> bool:
        asked.append(card)
        return True

    sharing.import_card(student, ADA.to_bytes(), answer)
    sharing.import_card(student, ADA.to_bytes(), answer)
    assert asked == [ADA]  # the second time it is a confirmed contact already
    with pytest.raises(KeyChangedError):
        sharing.import_card(student, ADA_AGAIN.to_bytes(), answer)
    assert asked == [ADA]  # refused before asking


def test_confirming_a_contact_checks_it_is_still_the_one_shown(student: Journal) -> None:
    student.add_record(ADA.as_contact(confirmed=False))
    (shown,) = sharing.contacts(student)
    assert sharing.contact_to_confirm(student, shown.id) == shown
    assert Card.of_contact(shown).fingerprint == ADA.fingerprint

    # Meanwhile its keys were changed (a command replaced the card): nothing is confirmed.
    student.add_record(replace(ADA_AGAIN.as_contact(confirmed=False), id=shown.id))
    before = state(student)
    with pytest.raises(ContactsChangedError):
        sharing.mark_confirmed(student, shown)
    assert state(student) == before
    assert not sharing.contacts(student)[0].confirmed

    # Removed meanwhile: said plainly.
    (now,) = sharing.contacts(student)
    sharing.remove_contact(student, now.id)
    with pytest.raises(NotFoundError):
        sharing.mark_confirmed(student, now)

    student.add_record(BO.as_contact(confirmed=False))
    (bo,) = sharing.contacts(student)
    confirmed = sharing.mark_confirmed(student, bo)
    assert confirmed.confirmed and sharing.contacts(student) == [confirmed]


def test_a_command_changing_the_contacts_meanwhile_is_seen_inside_the_write(
        student: Journal) -> None:
    """The re-check runs inside the write transaction, after what another process (the
    command line, here a second opening of the vault) wrote was loaded."""
    check = sharing.check_card(student, ADA.to_bytes())
    student.add_record(BO.as_contact(confirmed=False))
    (bo,) = sharing.contacts(student)
    with Journal.open(student.data_dir) as other:
        other.unlock("correct horse")
        sharing.import_card(other, ADA_AGAIN.to_bytes(), lambda _card: True)
        sharing.confirm_contact(other, bo.id, lambda _card: True)
    with pytest.raises(ContactsChangedError):
        sharing.add_card(student, check)
    with pytest.raises(ContactsChangedError):
        sharing.mark_confirmed(student, bo)
    assert sorted((c.name, c.fingerprint) for c in sharing.contacts(student)) == [
        ("Ada Mentor", ADA_AGAIN.fingerprint), ("Bo Mentor", BO.fingerprint)]
