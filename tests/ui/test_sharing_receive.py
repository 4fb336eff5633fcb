"""Opening share packages in the app: every refusal shows one plain sentence and imports
nothing; a first contact is imported only once its fingerprint is confirmed."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Contact, Entry, ReceivedExcerpt
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.packages import MAGIC
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import make_vault, unlock
from .sharing_steps import FilePicker, journal_of, receive


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> FilePicker:
    return FilePicker().install(monkeypatch)


@dataclass
class World:
    mentor: MainWindow
    mail: Path
    student: Journal
    make: Callable[[str], Journal]

    def share(self, name: str, sender: Journal | None = None, to: str = "Ada Mentor",
              passphrase: str | None = None) -> Path:
        """A share package made with the core (the GUI's share is tested elsewhere)."""
        sender = sender or self.student
        entry = sender.add_entry(Entry(title="Night", body="I felt numb after the code."))
        draft = sharing.draft_share(sender, [sharing.Selection(entry.id)], "a note", "")
        review = sharing.review_draft(draft)
        review.accept_all()
        recipients = [sharing.find_contact(sender, to)] if to else []
        path = self.mail / name
        sharing.write_share(sender, review.redacted(), path, to=recipients,
                            passphrase=passphrase, kdf=TEST_KDF)
        return path


@pytest.fixture
def world(qtbot: QtBot, tmp_path: Path,
          make_window: Callable[..., MainWindow]) -> Iterator[World]:
    opened: list[Journal] = []

    def make(name: str) -> Journal:
        journal, _key = Journal.create(tmp_path / name, "correct horse", kdf=TEST_KDF)
        opened.append(journal)
        return journal

    make_vault(tmp_path / "mentor")
    mentor = make_window(tmp_path / "mentor")
    unlock(qtbot, mentor)
    mentor_journal = journal_of(mentor)
    card = sharing.my_card(mentor_journal, "Ada Mentor", "mentor").to_bytes()
    student = make("student")
    sharing.ensure_identity(student, "Sam Student")
    sharing.import_card(student, card, lambda _c: True)
    mail = tmp_path / "mail"
    mail.mkdir()
    yield World(mentor, mail, student, make)
    for journal in opened:
        journal.close()


def snapshot(window: MainWindow) -> list[tuple[str, str]]:
    return sorted((type(r).__name__, r.id) for r in journal_of(window).all_records())


def refused(qtbot: QtBot, world: World, picker: FilePicker, package: Path,
            **answers: object) -> str:
    """Open ``package`` in the mentor's window; return the one warning it showed, after
    checking that nothing at all was stored."""
    before = snapshot(world.mentor)
    texts = receive(qtbot, world.mentor, picker, package, **answers)  # type: ignore[arg-type]
    warnings = [t for t in texts if t.startswith("warning: ")]
    assert len(warnings) == 1, texts
    assert texts[-1] == ""  # no message bar: nothing was received
    assert snapshot(world.mentor) == before
    return warnings[0].removeprefix("warning: ")


def test_first_contact_is_confirmed_or_nothing_is_imported(
        qtbot: QtBot, world: World, picker: FilePicker) -> None:
    package = world.share("share.pkg")
    message = refused(qtbot, world, picker, package, confirm=False)
    assert message == "The sender's fingerprint was not confirmed; nothing was imported."
    texts = receive(qtbot, world.mentor, picker, package, confirm=True)
    fingerprint = sharing.my_card(world.student).fingerprint
    assert texts == [f"fingerprint of Sam Student: {fingerprint}",
                     "Received 1 excerpt from Sam Student. Sam Student is now among your "
                     "contacts."]
    assert [c.name for c in journal_of(world.mentor).records(Contact)] == ["Sam Student"]
    # A second package from the same student: no question this time.
    texts = receive(qtbot, world.mentor, picker, world.share("again.pkg"))
    assert texts == ["Received 1 excerpt from Sam Student."]
    assert len(journal_of(world.mentor).records(ReceivedExcerpt)) == 2


def test_replay_is_refused(qtbot: QtBot, world: World, picker: FilePicker) -> None:
    package = world.share("share.pkg")
    receive(qtbot, world.mentor, picker, package, confirm=True)
    assert refused(qtbot, world, picker, package) == (
        "That share package was already imported; nothing was imported again.")


def test_altered_truncated_and_newer_packages_are_refused(
        qtbot: QtBot, world: World, picker: FilePicker) -> None:
    data = world.share("share.pkg").read_bytes()
    for pos in (len(MAGIC) + 40, len(data) // 2, len(data) - 3):
        altered = bytearray(data)
        altered[pos] ^= 0x01
        path = world.mail / f"altered-{pos}.pkg"
        path.write_bytes(bytes(altered))
        message = refused(qtbot, world, picker, path, confirm=True)
        assert "altered" in message or "not a share package" in message, message
    cut = world.mail / "cut.pkg"
    cut.write_bytes(data[: len(data) - 100])
    assert "incomplete" in refused(qtbot, world, picker, cut, confirm=True)
    newer = world.mail / "newer.pkg"
    newer.write_bytes(MAGIC + struct.pack(">H", 2) + data[len(MAGIC) + 2:])
    assert "newer version of journal-app" in refused(qtbot, world, picker, newer,
                                                     confirm=True)
    garbage = world.mail / "notes.txt"
    garbage.write_bytes(b"just some notes\n")
    assert refused(qtbot, world, picker, garbage) == (
        "That file is not a share package; nothing was imported.")
    assert refused(qtbot, world, picker, world.mail / "missing.pkg") == (
        "missing.pkg does not exist.")
    # The untouched package still opens.
    texts = receive(qtbot, world.mentor, picker, world.mail / "share.pkg", confirm=True)
    assert texts[-1].startswith("Received 1 excerpt")


def test_a_package_for_someone_else_is_refused(qtbot: QtBot, world: World,
                                               picker: FilePicker) -> None:
    other = world.make("other")
    card = sharing.my_card(other, "Bo Mentor", "mentor").to_bytes()
    sharing.import_card(world.student, card, lambda _c: True)
    package = world.share("for-bo.pkg", to="Bo Mentor")
    assert refused(qtbot, world, picker, package, confirm=True) == (
        "The share package is not for you: it was encrypted to someone else's card. Nothing "
        "was imported.")


def test_a_known_sender_whose_key_changed_is_refused(qtbot: QtBot, world: World,
                                                     picker: FilePicker) -> None:
    receive(qtbot, world.mentor, picker, world.share("first.pkg"), confirm=True)
    impostor = world.make("impostor")
    sharing.ensure_identity(impostor, "Sam Student")  # the same name, other keys
    card = sharing.my_card(journal_of(world.mentor)).to_bytes()
    sharing.import_card(impostor, card, lambda _c: True)
    package = world.share("impostor.pkg", sender=impostor)
    message = refused(qtbot, world, picker, package, confirm=True)
    assert message.startswith("Warning: this comes from a known contact, but their keys "
                              "changed")


def test_cancelling_the_share_passphrase_imports_nothing(
        qtbot: QtBot, world: World, picker: FilePicker) -> None:
    package = world.share("locked.pkg", to="", passphrase="violet kettle harbour lantern")
    before = snapshot(world.mentor)
    texts = receive(qtbot, world.mentor, picker, package, passphrases=[])
    assert texts[0].startswith("This share package is locked with a one-off share passphrase")
    assert texts[1:] == ["cancelled", ""]
    assert snapshot(world.mentor) == before
