"""The Backups dialog, automatic backups and the last-backup line, driven as a user would."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import BackupState, Entry, now
from journal_app.core.recovery.backup import create_backup, last_backup, list_backups
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui import backups as backups_module
from journal_app.ui.dialogs.backups import BackupsDialog
from journal_app.ui.session import JournalSession
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

from .conftest import (
    PASSPHRASE,
    click,
    list_titles,
    make_vault,
    on_modal,
    sample_entries,
    set_spin,
    unlock,
)
from .test_settings import choose

#: A backup is made and verified in the worker; leave room for a busy machine.
SLOW_MS = 20_000


@pytest.fixture
def drive(tmp_path: Path) -> Path:
    path = tmp_path / "usb-drive" / "journal backups"
    path.mkdir(parents=True)
    return path


def choose_folder(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """The system's folder picker answers ``folder`` (it is not ours to click through)."""
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def press_in_next_box(text: str) -> list[QMessageBox]:
    def press(box: QMessageBox) -> None:
        [button] = [b for b in box.buttons() if b.text() == text]
        button.click()

    return on_modal(QMessageBox, press)


def status(window: MainWindow) -> str:
    return window.backup_status.text()


def test_back_up_now_from_the_menu(qtbot: QtBot, open_window: MainWindow, drive: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    assert "No backups yet" in status(window)
    choose_folder(monkeypatch, drive)

    def act(dialog: BackupsDialog) -> None:
        assert not dialog.back_up_button.isEnabled()  # no folder yet
        assert not dialog.enabled.isEnabled()
        assert dialog.last.text() == "No backup has been made yet."
        click(qtbot, dialog.choose)
        assert dialog.folder.text() == str(drive)
        assert dialog.enabled.isChecked()  # choosing a folder turns automatic backups on
        assert dialog.back_up_button.isEnabled()
        click(qtbot, dialog.back_up_button)
        assert dialog.busy.isVisible() and not dialog.back_up_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Backed up"), timeout=SLOW_MS)
        assert not dialog.busy.isVisible()
        assert dialog.last.text().startswith("Last good backup: ")
        assert "checked in full" in dialog.last.text()
        dialog.accept()

    seen = on_modal(BackupsDialog, act)
    window.act_backups.trigger()
    assert len(seen) == 1
    [(path, header)] = list_backups(drive)
    assert header.vault_id == window.session.journal.vault_id
    settings = UiSettings()
    assert settings.backup_folder == str(drive) and settings.backup_enabled
    assert status(window).count("Last good backup: today at") == 1
    state = last_backup(window.session.journal)
    assert state is not None and state.last_file == str(path)
    # The status line is a link to the dialog.
    seen = on_modal(BackupsDialog, lambda dialog: dialog.accept())
    window.backup_status.linkActivated.emit("backups")
    assert len(seen) == 1


def test_schedule_choices_are_kept(qtbot: QtBot, open_window: MainWindow, drive: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    choose_folder(monkeypatch, drive)

    def change(dialog: BackupsDialog) -> None:
        click(qtbot, dialog.choose)
        choose(qtbot, dialog.frequency, "Every week")
        set_spin(qtbot, dialog.keep, "12")
        click(qtbot, dialog.enabled)  # off again
        dialog.accept()

    on_modal(BackupsDialog, change)
    window.act_backups.trigger()
    settings = UiSettings()
    assert (settings.backup_every_days, settings.backup_keep) == (7, 12)
    assert settings.backup_enabled is False
    assert window.backups.policy() is not None and not window.backups.due()

    def check(dialog: BackupsDialog) -> None:
        assert dialog.frequency.currentText() == "Every week"
        assert dialog.keep.value() == 12
        assert not dialog.enabled.isChecked()
        dialog.accept()

    seen = on_modal(BackupsDialog, check)
    window.act_backups.trigger()
    assert len(seen) == 1


def test_automatic_backup_runs_in_the_worker_once_a_day(
        qtbot: QtBot, folder: Path, drive: Path, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings = UiSettings()
    settings.backup_folder = str(drive)
    settings.backup_enabled = True
    monkeypatch.setattr(backups_module, "FIRST_CHECK_MS", 50)
    threads: list[threading.Thread] = []
    from journal_app.core.recovery.backup import BackupPolicy

    real_run = BackupPolicy.run

    def run(self: BackupPolicy, journal: Journal, when: object = None) -> object:
        threads.append(threading.current_thread())
        return real_run(self, journal)

    monkeypatch.setattr(BackupPolicy, "run", run)
    make_vault(folder, sample_entries())
    window = make_window(folder)
    assert status(window) == ""  # nothing about the journal while locked
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: "Last good backup: today" in status(window), timeout=SLOW_MS)
    assert len(list_backups(drive)) == 1
    assert threads and threads[0] is not threading.main_thread()
    assert not window.backups.check()  # not due again today
    assert not window.message_bar.isVisible()
    window.lock_now()
    assert status(window) == ""


def test_a_failed_automatic_backup_says_so_and_loses_nothing(
        qtbot: QtBot, folder: Path, tmp_path: Path, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    unplugged = tmp_path / "usb-drive"  # the drive is not there
    settings = UiSettings()
    settings.backup_folder = str(unplugged)
    settings.backup_enabled = True
    monkeypatch.setattr(backups_module, "FIRST_CHECK_MS", 50)
    make_vault(folder, sample_entries())
    window = make_window(folder)
    unlock(qtbot, window)
    bar = window.message_bar
    qtbot.waitUntil(bar.isVisible, timeout=SLOW_MS)
    text = bar.text.text()
    assert "automatic backup was not made" in text
    assert "not available; is the drive connected?" in text and "Your journal is safe" in text
    assert "back up soon" in status(window)
    assert sorted(list_titles(window)) == sorted(e.title for e in sample_entries())
    assert not window.backups.check()  # waits an hour before trying again
    assert not unplugged.exists()  # no file was made in the folder's place
    # The drive is back, an hour later: the next check makes the backup.
    unplugged.mkdir()
    window.backups._failed_at = time.monotonic() - backups_module.RETRY_S - 1
    assert window.backups.check()
    qtbot.waitUntil(lambda: "Last good backup: today" in status(window), timeout=SLOW_MS)
    assert len(list_backups(unplugged)) == 1


def test_an_old_last_backup_warns_gently(qtbot: QtBot, open_window: MainWindow,
                                         drive: Path) -> None:
    window = open_window
    journal = window.session.journal
    journal.add_record(BackupState(last_good=now() - timedelta(days=9), last_file="old",
                                   last_records=3))
    window.backups.changed.emit()
    assert "back up soon" not in status(window)  # automatic backups are off
    window.settings.backup_folder = str(drive)
    window.settings.backup_enabled = True
    window.backups.changed.emit()
    assert "Last good backup: on " in status(window) and "back up soon" in status(window)
    assert window.backup_status.warning


def test_restore_from_a_backup_replaces_and_relocks(
        qtbot: QtBot, open_window: MainWindow, drive: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    journal = window.session.journal
    data_dir = window.session.data_dir
    before = sorted(list_titles(window))
    backup = create_backup(journal, drive).path
    journal.add_entry(Entry(title="Written after the backup", body="later"))
    window.journal_page.refresh()
    assert "Written after the backup" in list_titles(window)
    choose_file(monkeypatch, backup)

    def act(dialog: BackupsDialog) -> None:
        boxes = press_in_next_box("Replace")
        click(qtbot, dialog.restore_button)
        qtbot.waitUntil(lambda: len(boxes) == 1, timeout=SLOW_MS)
        box = boxes[0]
        assert f"Replace the journal in {data_dir} with the backup from" in box.text()
        assert "replaced-" in box.informativeText()
        assert "current passphrase" in box.informativeText()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page,
                        timeout=SLOW_MS)

    on_modal(BackupsDialog, act)
    window.act_backups.trigger()
    qtbot.waitUntil(lambda: "Restored the backup from" in window.message_bar.text.text(),
                    timeout=SLOW_MS)
    message = window.message_bar.text.text()
    [replaced] = [p for p in data_dir.iterdir() if p.name.startswith("replaced-")]
    assert str(replaced) in message and "current passphrase" in message
    assert window.stack.currentWidget() is window.lock_page
    unlock(qtbot, window)
    assert sorted(list_titles(window)) == before
    with Journal.open(replaced) as kept:
        kept.unlock(PASSPHRASE)
        assert "Written after the backup" in {e.title for e in kept.entries()}


def test_restore_cancelled_changes_nothing(qtbot: QtBot, open_window: MainWindow,
                                           drive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    data_dir = window.session.data_dir
    backup = create_backup(window.session.journal, drive).path
    before = sorted(p.name for p in data_dir.iterdir())
    choose_file(monkeypatch, backup)

    def act(dialog: BackupsDialog) -> None:
        boxes = press_in_next_box("Cancel")
        click(qtbot, dialog.restore_button)
        qtbot.waitUntil(lambda: dialog.result_label.text() == "Nothing was changed.",
                        timeout=SLOW_MS)
        assert len(boxes) == 1
        dialog.accept()

    on_modal(BackupsDialog, act)
    window.act_backups.trigger()
    assert window.session.is_unlocked
    assert sorted(p.name for p in data_dir.iterdir()) == before  # no staged copy left


def test_a_damaged_backup_is_refused_before_asking(
        qtbot: QtBot, open_window: MainWindow, drive: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    data_dir = window.session.data_dir
    backup = create_backup(window.session.journal, drive).path
    data = bytearray(backup.read_bytes())
    data[-3000] ^= 0x10
    backup.write_bytes(bytes(data))
    db_before = (data_dir / "journal.db").read_bytes()
    choose_file(monkeypatch, backup)

    def act(dialog: BackupsDialog) -> None:
        boxes = press_in_next_box("Replace")
        click(qtbot, dialog.restore_button)
        qtbot.waitUntil(dialog.error.isVisible, timeout=SLOW_MS)
        assert "damaged" in dialog.error.text() and "nothing was changed" in dialog.error.text()
        assert boxes == []
        dialog.accept()

    on_modal(BackupsDialog, act)
    window.act_backups.trigger()
    assert window.session.is_unlocked
    window.session.worker.wait()
    assert (data_dir / "journal.db").read_bytes() == db_before


def test_restore_a_backup_of_another_journal(
        qtbot: QtBot, open_window: MainWindow, drive: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    other, _key = Journal.create(tmp_path / "other", "other journal words", kdf=TEST_KDF)
    with other:
        other.add_entry(title="From the old laptop", body="kept safe")
        backup = create_backup(other, drive).path
    choose_file(monkeypatch, backup)
    asked: list[str] = []

    def passphrase(_parent: object, title: str, *_args: object, **_kw: object) -> object:
        asked.append(title)
        return "other journal words", True

    monkeypatch.setattr(QInputDialog, "getText", passphrase)

    def act(dialog: BackupsDialog) -> None:
        boxes = press_in_next_box("Replace")
        click(qtbot, dialog.restore_button)
        qtbot.waitUntil(lambda: len(boxes) == 1, timeout=SLOW_MS)
        assert "the passphrase the backup was made with" in boxes[0].informativeText()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page,
                        timeout=SLOW_MS)

    on_modal(BackupsDialog, act)
    window.act_backups.trigger()
    assert asked == ["A backup of another journal"]
    qtbot.waitUntil(lambda: "Restored the backup" in window.message_bar.text.text(),
                    timeout=SLOW_MS)
    unlock(qtbot, window, "other journal words")
    assert list_titles(window) == ["From the old laptop"]


def test_no_backups_in_the_demo(qtbot: QtBot, folder: Path, drive: Path) -> None:
    settings = UiSettings()
    settings.backup_folder = str(drive)
    settings.backup_enabled = True
    session = JournalSession(kdf=TEST_KDF)
    window = MainWindow(session, settings, folder, demo=True)
    qtbot.addWidget(window)
    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    session.journal = journal
    session.data_dir = folder
    session.unlocked.emit()
    try:
        # Backups… explains why it is off in the demo (tests/ui/test_demo.py reads it).
        seen = on_modal(QMessageBox, lambda box: box.accept())
        window.act_backups.trigger()
        assert len(seen) == 1
        assert not window.backups.check() and not window.backups.back_up()
        assert status(window) == ""
        assert list(drive.iterdir()) == []
    finally:
        session.close()
