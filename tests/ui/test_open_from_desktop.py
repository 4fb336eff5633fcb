"""A share package or a mentor card double-clicked on the desktop (``journal-app FILE``, the
desktop entry's ``Exec=journal-app %f``): the app opens it in Sharing, once it is unlocked; a
second launch hands the file to the app already open for the journal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Contact, ReceivedExcerpt
from journal_app.core.records.model import Entry as EntryRecord
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.sharing.cards_dialog import CardsDialog
from journal_app.ui.sharing.common import FingerprintDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.shell.single import FileOpenFilter, InstanceServer, ask_running_instance

from .conftest import WAIT_MS, click, make_vault, on_modal, unlock, writes_done
from .sharing_steps import Answerer, journal_of

ROOT = Path(__file__).resolve().parents[2]


def student_with_card_of(tmp_path: Path, mentor: MainWindow) -> Journal:
    card = sharing.my_card(journal_of(mentor), "Ada Mentor", "mentor").to_bytes()
    student, _key = Journal.create(tmp_path / "student", "correct horse", kdf=TEST_KDF)
    sharing.ensure_identity(student, "Sam Student")
    sharing.import_card(student, card, lambda _c: True)
    return student


def test_a_card_opened_while_locked_is_added_after_the_unlock(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(tmp_path / "mentor")
    mentor = make_window(tmp_path / "mentor")
    other, _key = Journal.create(tmp_path / "student", "correct horse", kdf=TEST_KDF)
    card = tmp_path / "sam.card"
    card.write_bytes(sharing.my_card(other, "Sam Student", "student").to_bytes())
    other.close()

    mentor.sharing.open_file(card)  # the desktop's double-click, before the passphrase
    assert mentor.sharing.pending_file == card

    asked: list[str] = []
    listed: list[str] = []

    def confirm(dialog: FingerprintDialog) -> None:
        asked.append(dialog.card.name)
        click(qtbot, dialog.match_button)

    def shown(dialog: CardsDialog) -> None:
        assert dialog.tabs.currentWidget() is dialog.contacts_page
        page = dialog.contacts_page
        listed.extend(page.list.topLevelItem(i).text(0)
                      for i in range(page.list.topLevelItemCount()))
        click(qtbot, dialog.close_button)

    answerer = Answerer({FingerprintDialog: confirm})
    cards = on_modal(CardsDialog, shown, tries=3000)
    try:
        unlock(qtbot, mentor)
        qtbot.waitUntil(lambda: bool(cards), timeout=WAIT_MS)
    finally:
        answerer.stop()
    writes_done(qtbot, mentor.session)
    assert asked == ["Sam Student"]  # the fingerprint was shown to compare first
    assert any("Sam Student" in row for row in listed)
    assert [c.name for c in journal_of(mentor).records(Contact)] == ["Sam Student"]
    assert mentor.sharing.pending_file is None


def test_a_share_package_opened_is_received(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(tmp_path / "mentor")
    mentor = make_window(tmp_path / "mentor")
    unlock(qtbot, mentor)
    student = student_with_card_of(tmp_path, mentor)
    try:
        entry = student.add_entry(EntryRecord(title="Night", body="I felt numb after the code."))
        draft = sharing.draft_share(student, [sharing.Selection(entry.id)], "a note", "")
        review = sharing.review_draft(draft)
        review.accept_all()
        package = tmp_path / "night.pkg"
        sharing.write_share(student, review.redacted(), package,
                            to=[sharing.find_contact(student, "Ada Mentor")], kdf=TEST_KDF)
    finally:
        student.close()

    asked: list[str] = []

    def confirm(dialog: FingerprintDialog) -> None:
        asked.append(dialog.card.name)
        click(qtbot, dialog.match_button)

    answerer = Answerer({FingerprintDialog: confirm})
    try:
        mentor.sharing.open_file(package)
        qtbot.waitUntil(lambda: bool(journal_of(mentor).records(ReceivedExcerpt)),
                        timeout=WAIT_MS)
    finally:
        answerer.stop()
    assert asked == ["Sam Student"]
    (excerpt,) = journal_of(mentor).records(ReceivedExcerpt)
    assert "numb" in excerpt.text


def test_a_file_that_is_neither_gets_one_sentence_and_changes_nothing(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(tmp_path / "mentor")
    mentor = make_window(tmp_path / "mentor")
    unlock(qtbot, mentor)
    before = sorted(r.id for r in journal_of(mentor).all_records())
    junk = tmp_path / "holiday.card"
    junk.write_bytes(b"\x89PNG not a card at all")
    warned: list[str] = []
    from PySide6.QtWidgets import QMessageBox

    def dismiss(box: QMessageBox) -> None:
        warned.append(box.text() + " " + box.informativeText())
        box.button(QMessageBox.StandardButton.Ok).click()

    answerer = Answerer({QMessageBox: dismiss})
    try:
        mentor.sharing.open_file(junk)
        qtbot.waitUntil(lambda: bool(warned), timeout=WAIT_MS)
    finally:
        answerer.stop()
    assert len(warned) == 1 and "Traceback" not in warned[0]
    assert sorted(r.id for r in journal_of(mentor).all_records()) == before


def test_a_second_launch_hands_its_file_to_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    server = InstanceServer()
    try:
        folder = tmp_path / "journal"
        assert server.listen(folder)
        long_name = tmp_path / ("very " * 300 + "long name.pkg")  # comes in pieces
        for path in (tmp_path / "feedback 1.pkg", long_name):
            with qtbot.waitSignal(server.open_requested, timeout=5000) as blocker:
                assert ask_running_instance(folder, path) is True
            assert blocker.args == [str(path)]
    finally:
        server.close()


def test_a_file_the_finder_opens_is_passed_on(qtbot: QtBot, qapp, tmp_path: Path) -> None:
    """macOS sends a double-clicked file to the running app as an event: faked here by
    sending the same event (no macOS on this machine)."""
    from PySide6.QtGui import QFileOpenEvent

    events = FileOpenFilter()
    qapp.installEventFilter(events)
    try:
        with qtbot.waitSignal(events.open_requested, timeout=1000) as blocker:
            qapp.sendEvent(qapp, QFileOpenEvent(str(tmp_path / "a.card")))
        assert blocker.args == [str(tmp_path / "a.card")]
    finally:
        qapp.removeEventFilter(events)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the desktop entry is Linux's")
def test_the_command_line_opens_the_app_on_a_file(folder: Path, tmp_path: Path) -> None:
    """``journal-app FILE`` starts the desktop app (not the command line's parser) with the
    file waiting for the unlock: the smoke test sees the lock screen."""
    make_vault(folder)
    card = tmp_path / "a.card"
    card.write_text("{}")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("JOURNAL_APP_DATA_DIR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "journal_app", "--data-dir", str(folder), "--smoke-test",
         str(card)], capture_output=True, text=True, env=env, timeout=300, check=False,
        stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "smoke test passed: the lock screen is shown" in proc.stdout
