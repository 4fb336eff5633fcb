"""Sync in the app: Settings ▸ Sync (set up, computers, remove, leave), the status bar's
states, syncing after a save and when the folder changes, and joining from the first screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from journal_app.core.sync import engine
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.dialogs.sync import SyncDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.syncing import ago

from .conftest import (
    answer_message_box,
    click,
    make_vault,
    on_modal,
    sample_entries,
    save_now,
    unlock,
    write_new_entry,
    writes_done,
)

GOOD = "Quiet ward, seventh floor, 3 a.m. rounds!"
CHEAP = engine.SyncParams(folder_kdf=TEST_KDF, vault_kdf=TEST_KDF)
WAIT_MS = 20_000


def _window(qtbot, make_window: Callable[..., MainWindow], folder: Path) -> MainWindow:
    window = make_window(folder)
    window.session.sync_folder_kdf = TEST_KDF
    unlock(qtbot, window, GOOD)
    return window


@pytest.fixture
def good_window(qtbot, folder: Path, make_window: Callable[..., MainWindow]) -> MainWindow:
    make_vault(folder, sample_entries(), passphrase=GOOD)
    return _window(qtbot, make_window, folder)


def _set_up_in_dialog(qtbot, window: MainWindow, sync_folder: Path, passphrase: str,
                      then: Callable[[SyncDialog], None] | None = None) -> list[SyncDialog]:
    def act(dialog: SyncDialog) -> None:
        assert dialog.setup_box.isVisible() and not dialog.synced_box.isVisible()
        dialog.folder.setText(str(sync_folder))
        dialog.name.setText("laptop")
        qtbot.keyClicks(dialog.setup_passphrase, passphrase)
        click(qtbot, dialog.setup_button)
        qtbot.waitUntil(lambda: not dialog._running, timeout=WAIT_MS)
        if then is not None:
            then(dialog)

    seen = on_modal(SyncDialog, act)
    window.show_sync()
    return seen


def test_set_up_in_settings_then_the_status_bar_says_synced(
        qtbot, good_window: MainWindow, tmp_path: Path) -> None:
    window = good_window
    assert not window.sync_status.isVisible()  # this journal does not sync yet
    shown: list[str] = []

    def check(dialog: SyncDialog) -> None:
        qtbot.waitUntil(lambda: dialog.synced_box.isVisible(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not window.syncing.busy, timeout=WAIT_MS)
        shown.extend(dialog.devices.item(i).text() for i in range(dialog.devices.count()))

    seen = _set_up_in_dialog(qtbot, window, tmp_path / "Sync" / "journal", GOOD, check)
    assert seen and shown == ["laptop — this computer"]
    assert (tmp_path / "Sync" / "journal" / "journal-sync.json").exists()
    qtbot.waitUntil(lambda: window.sync_status.isVisible(), timeout=WAIT_MS)
    assert "Synced just now" in window.sync_status.text()


def test_a_wrong_passphrase_sets_nothing_up(qtbot, good_window: MainWindow,
                                           tmp_path: Path) -> None:
    errors: list[str] = []

    def check(dialog: SyncDialog) -> None:
        errors.append(dialog.error.text())
        assert dialog.setup_box.isVisible()

    _set_up_in_dialog(qtbot, good_window, tmp_path / "sync", "not my passphrase at all", check)
    assert errors and "passphrase" in errors[0].lower()
    assert not (tmp_path / "sync").exists()
    assert good_window.syncing.status is None


def test_a_weak_passphrase_is_refused_with_what_to_do(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    weak = "password123"
    make_vault(folder, passphrase=weak)
    window = make_window(folder)
    window.session.sync_folder_kdf = TEST_KDF
    unlock(qtbot, window, weak)
    errors: list[str] = []
    _set_up_in_dialog(qtbot, window, tmp_path / "sync", weak,
                      lambda dialog: errors.append(dialog.error.text()))
    assert errors and "Good" in errors[0] and "Settings ▸ Change passphrase" in errors[0]
    assert "journal-app" not in errors[0]


def _second_computer(first: Path, tmp_path: Path) -> tuple[Journal, Path]:
    """Join the journal synced through ``first`` (a copy of its folder) in-process."""
    import shutil

    folder = tmp_path / "desktop-sync"
    shutil.copytree(first, folder)
    journal = engine.join(tmp_path / "desktop-data", folder, "desktop", GOOD, CHEAP).journal
    return journal, folder


def _carry(src: Path, dst: Path) -> None:
    import shutil

    for path in src.rglob("*"):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not target.exists() or path.name == "journal-sync.json":
            shutil.copyfile(path, target)


def test_a_save_syncs_and_a_file_arriving_is_taken_in(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    journal = Journal.create(folder, GOOD, TEST_KDF)[0]
    with journal:
        journal.add_entry(title="Night shift", body="words")
        engine.setup(journal, tmp_path / "laptop-sync", "laptop", GOOD, CHEAP)
    window = _window(qtbot, make_window, folder)
    qtbot.waitUntil(lambda: window.syncing.status is not None and not window.syncing.busy,
                    timeout=WAIT_MS)
    desktop, desktop_folder = _second_computer(tmp_path / "laptop-sync", tmp_path)
    with desktop:
        # A save here reaches the folder by itself (a few seconds after the last save).
        before = len(list((tmp_path / "laptop-sync").rglob("*.jsb")))
        write_new_entry(qtbot, window, "Written in the app", "on the laptop")
        save_now(qtbot, window)
        qtbot.waitUntil(lambda: len(list((tmp_path / "laptop-sync").rglob("*.jsb"))) > before,
                        timeout=WAIT_MS)
        # A file from the other computer arriving in the folder is taken in by itself.
        desktop.add_entry(title="From the desktop", body="elsewhere")
        engine.sync_now(desktop, None, CHEAP)
        _carry(desktop_folder, tmp_path / "laptop-sync")
        qtbot.waitUntil(lambda: "From the desktop" in {
            e.title for e in window.session.entries()}, timeout=WAIT_MS)
    def names() -> set[str]:
        status = window.syncing.status
        return {d.name for d in status.devices} if status is not None else set()

    qtbot.waitUntil(lambda: names() == {"laptop", "desktop"}, timeout=WAIT_MS)


def test_the_status_bar_waits_for_a_half_copied_file_and_names_the_computer(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    journal = Journal.create(folder, GOOD, TEST_KDF)[0]
    with journal:
        engine.setup(journal, tmp_path / "laptop-sync", "laptop", GOOD, CHEAP)
    desktop, desktop_folder = _second_computer(tmp_path / "laptop-sync", tmp_path)
    with desktop:
        desktop.add_entry(title="Arrives late", body="x")
        engine.sync_now(desktop, None, CHEAP)
    _carry(desktop_folder, tmp_path / "laptop-sync")
    newest = max((tmp_path / "laptop-sync").rglob("*.jsb"), key=lambda p: p.stat().st_mtime_ns)
    data = newest.read_bytes()
    newest.write_bytes(data[: len(data) // 3])
    window = _window(qtbot, make_window, folder)
    qtbot.waitUntil(lambda: "Waiting for desktop's changes" in window.sync_status.text(),
                    timeout=WAIT_MS)
    newest.write_bytes(data)  # the rest arrives: the watcher takes it in
    qtbot.waitUntil(lambda: "Synced" in window.sync_status.text(), timeout=WAIT_MS)
    assert "Arrives late" in {e.title for e in window.session.entries()}


def test_a_missing_folder_is_a_plain_problem_with_what_to_do(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    import shutil

    journal = Journal.create(folder, GOOD, TEST_KDF)[0]
    with journal:
        engine.setup(journal, tmp_path / "usb" / "sync", "laptop", GOOD, CHEAP)
    shutil.rmtree(tmp_path / "usb")  # the USB stick is not plugged in
    window = _window(qtbot, make_window, folder)
    qtbot.waitUntil(lambda: window.sync_status.warning, timeout=WAIT_MS)
    assert "Not synced" in window.sync_status.text()
    assert "connected" in window.sync_status.toolTip()
    text = window.message_bar.text.text()  # the sentence, with what to do
    assert window.message_bar.isVisible() and "Not synced" in text and "connected" in text
    assert window.session.entries() == []  # nothing else changed; the journal works


def test_remove_a_computer_says_what_it_means_and_leave(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    journal = Journal.create(folder, GOOD, TEST_KDF)[0]
    with journal:
        engine.setup(journal, tmp_path / "laptop-sync", "laptop", GOOD, CHEAP)
    desktop, desktop_folder = _second_computer(tmp_path / "laptop-sync", tmp_path)
    desktop.close()
    _carry(desktop_folder, tmp_path / "laptop-sync")
    window = _window(qtbot, make_window, folder)
    qtbot.waitUntil(lambda: window.syncing.status is not None and len(
        window.syncing.status.devices) == 2 and not window.syncing.busy, timeout=WAIT_MS)
    asked: list[str] = []

    def act(dialog: SyncDialog) -> None:
        rows = {dialog.devices.item(i).text(): i for i in range(dialog.devices.count())}
        desktop_row = next(i for text, i in rows.items() if text.startswith("desktop"))
        dialog.devices.setCurrentRow(desktop_row)
        assert dialog.remove_button.isEnabled()
        click(qtbot, dialog.remove_button)  # asks for the passphrase first
        assert dialog.remove_passphrase.isVisible()
        qtbot.keyClicks(dialog.remove_passphrase, GOOD)
        boxes = on_modal(QMessageBox, lambda box: (
            asked.append(box.text()), box.button(QMessageBox.StandardButton.Yes).click()))
        click(qtbot, dialog.remove_button)
        assert boxes
        qtbot.waitUntil(lambda: not dialog._running, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: any(dialog.devices.item(i).text() == "desktop — removed"
                                    for i in range(dialog.devices.count())), timeout=WAIT_MS)
        # Leave: this computer stops syncing; its journal stays.
        answer_message_box(QMessageBox.StandardButton.Yes)
        click(qtbot, dialog.leave_button)
        qtbot.waitUntil(lambda: dialog.setup_box.isVisible(), timeout=WAIT_MS)

    seen = on_modal(SyncDialog, act)
    window.show_sync()
    assert seen
    assert asked and "new key" in asked[0] and "reads nothing written from now on" in asked[0]
    writes_done(qtbot, window.session)
    assert window.syncing.status is None and not window.sync_status.isVisible()


def test_join_from_the_first_screen(qtbot, tmp_path: Path,
                                    make_window: Callable[..., MainWindow]) -> None:
    laptop = Journal.create(tmp_path / "laptop", GOOD, TEST_KDF)[0]
    with laptop:
        laptop.add_entry(title="Night shift", body="Sat with the family after.")
        engine.setup(laptop, tmp_path / "sync", "laptop", GOOD, CHEAP)
    data = tmp_path / "new-computer"
    window = make_window(data)
    window.session.sync_folder_kdf = TEST_KDF
    welcome = window.welcome
    assert window.stack.currentWidget() is welcome
    click(qtbot, welcome.join_button)
    assert welcome.stack.currentWidget() is welcome.join_page
    page = welcome.join_page
    page.folder.setText(str(tmp_path / "sync"))
    page.name.setText("desktop")
    qtbot.keyClicks(page.passphrase, "a wrong passphrase here")
    click(qtbot, page.join)
    qtbot.waitUntil(lambda: bool(page.error.text()), timeout=WAIT_MS)
    assert "passphrase" in page.error.text().lower()
    assert not data.exists() or not any(data.iterdir())
    page.passphrase.clear()
    qtbot.keyClicks(page.passphrase, GOOD)
    click(qtbot, page.join)
    # This computer's vault has a recovery key of its own: shown once, as for a new journal.
    qtbot.waitUntil(lambda: welcome.stack.currentWidget() is welcome.recovery, timeout=WAIT_MS)
    assert welcome.recovery.joined_note.isVisible()
    key = welcome.recovery._key
    assert key
    assert window.stack.currentWidget() is welcome  # not open before the key was stored
    click(qtbot, welcome.recovery.stored)
    click(qtbot, welcome.recovery.continue_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.journal_page,
                    timeout=WAIT_MS)
    assert [e.title for e in window.session.entries()] == ["Night shift"]

    qtbot.waitUntil(lambda: window.syncing.status is not None, timeout=WAIT_MS)
    assert {d.name for d in window.syncing.status.devices} == {"laptop", "desktop"}


def test_ago_reads_as_people_speak() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(minutes=2, seconds=5), now) == "2 minutes ago"
    assert ago(now - timedelta(hours=1), now) == "1 hour ago"
    assert ago(now - timedelta(days=1, hours=2), now) == "yesterday"
    assert ago(now - timedelta(days=4), now) == "4 days ago"


def test_a_synced_folder_offers_to_keep_the_journal_outside_and_sync_into_it(
        qtbot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    from .conftest import PASSPHRASE

    default = tmp_path / "data" / "journal"
    window = make_window(default)
    window.session.sync_folder_kdf = TEST_KDF
    welcome = window.welcome
    inside = tmp_path / "Dropbox" / "journal"
    welcome.folder.setText(str(inside))
    assert welcome.sync_note.isVisible() and "Keep the journal outside" in welcome.sync_note.text()
    assert welcome.keep_outside.isVisible() and "Dropbox" in welcome.keep_outside.toolTip()
    click(qtbot, welcome.keep_outside)
    assert welcome.folder.text() == str(default)
    assert not welcome.sync_note.isVisible()
    qtbot.keyClicks(welcome.passphrase.first, PASSPHRASE)
    qtbot.keyClicks(welcome.passphrase.second, PASSPHRASE)
    click(qtbot, welcome.create_button)
    qtbot.waitUntil(lambda: welcome.stack.currentWidget() is welcome.recovery, timeout=WAIT_MS)
    welcome.recovery.stored.setChecked(True)
    click(qtbot, welcome.recovery.continue_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.journal_page,
                    timeout=WAIT_MS)
    assert window.message_bar.isVisible()
    assert "set up sync to a folder inside it" in window.message_bar.text.text()
    offered: list[str] = []
    on_modal(SyncDialog, lambda dialog: offered.append(dialog.folder.text()))
    window.message_bar.action.click()
    assert offered == [str(inside)]
    assert Journal.exists(default) and not inside.exists()


def test_earlier_versions_name_the_computer_a_kept_version_came_from(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    import time

    from journal_app.ui.dialogs.history import HistoryDialog

    journal = Journal.create(folder, GOOD, TEST_KDF)[0]
    with journal:
        entry_id = journal.add_entry(title="Night shift", body="first words").id
        engine.setup(journal, tmp_path / "laptop-sync", "laptop", GOOD, CHEAP)
        desktop, desktop_folder = _second_computer(tmp_path / "laptop-sync", tmp_path)
        with desktop:
            desktop.edit_entry(entry_id, body="desktop's words")
            engine.sync_now(desktop, None, CHEAP)
            time.sleep(0.01)  # a later millisecond: the laptop's edit wins
            journal.edit_entry(entry_id, body="laptop's words")
            _carry(desktop_folder, tmp_path / "laptop-sync")
            assert engine.sync_now(journal, None, CHEAP).conflicts_kept == 1
    window = _window(qtbot, make_window, folder)
    dialog = HistoryDialog(window.session, entry_id, window)
    qtbot.addWidget(dialog)
    rows = [dialog.versions.item(i).text() for i in range(dialog.versions.count())]
    named = [row for row in rows if row.endswith("\nfrom desktop")]
    # The ordinary edits' versions name no one; the first words, which each computer kept when
    # it edited them, are one version.
    assert len(named) == 1 and len(rows) == 2
    texts = []
    for i in range(len(rows)):
        dialog.versions.setCurrentRow(i)
        texts.append(dialog.view.toPlainText())
    assert sum("first words" in text for text in texts) == 1
    dialog.versions.setCurrentRow(rows.index(named[0]))
    assert "desktop's words" in dialog.view.toPlainText()


def _open_entry(qtbot, folder: Path, make_window, tmp_path: Path):
    """A window on the laptop with its one entry open (automatic sync off: the test says
    when), and the desktop joined."""
    from .conftest import click_row

    journal = Journal.create(folder, GOOD, TEST_KDF)[0]
    with journal:
        entry_id = journal.add_entry(title="Night shift", body="first words").id
        engine.setup(journal, tmp_path / "laptop-sync", "laptop", GOOD, CHEAP)
    desktop, desktop_folder = _second_computer(tmp_path / "laptop-sync", tmp_path)
    window = _window(qtbot, make_window, folder)
    qtbot.waitUntil(lambda: window.syncing.status is not None and not window.syncing.busy,
                    timeout=WAIT_MS)
    window.syncing.enabled = False
    click_row(qtbot, window.journal_page.list, 0)
    editor = window.journal_page.editor
    assert editor.entry is not None and editor.entry.id == entry_id
    return window, entry_id, desktop, desktop_folder


def _desktop_edits_after_seeing_the_laptop(qtbot, window, entry_id, desktop, desktop_folder,
                                           tmp_path: Path) -> None:
    """The laptop's state reaches the desktop, which then changes the entry (a later edit,
    not a concurrent one); its file lands in the laptop's folder."""
    window.session.write(lambda journal: engine.sync_now(journal, None, CHEAP))
    writes_done(qtbot, window.session)
    _carry(tmp_path / "laptop-sync", desktop_folder)
    engine.sync_now(desktop, None, CHEAP)
    desktop.edit_entry(entry_id, body="desktop's words")
    engine.sync_now(desktop, None, CHEAP)
    _carry(desktop_folder, tmp_path / "laptop-sync")


def test_text_typed_while_sync_brings_the_same_entry_keeps_the_received_version(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    from .conftest import to_end

    window, entry_id, desktop, desktop_folder = _open_entry(qtbot, folder, make_window,
                                                            tmp_path)
    editor = window.journal_page.editor
    to_end(qtbot, editor.body)
    qtbot.keyClicks(editor.body, " and more")
    save_now(qtbot, window)  # the first save keeps the version before; later ones do not
    with desktop:
        _desktop_edits_after_seeing_the_laptop(qtbot, window, entry_id, desktop,
                                               desktop_folder, tmp_path)
    qtbot.keyClicks(editor.body, " typed here")
    assert editor.dirty
    # The sync runs in the worker while the text is unsaved (no signal reaches the editor
    # before its save is queued): the save must not overwrite the received version unseen.
    window.session.write(lambda journal: engine.sync_now(journal, None, CHEAP))
    save_now(qtbot, window)
    writes_done(qtbot, window.session)
    current = window.session.read(lambda journal: journal.get_entry(entry_id))
    assert current.body == "first words and more typed here"
    kept = {r.record().body for r in window.session.read(  # type: ignore[attr-defined]
        lambda journal: journal.revisions(entry_id))}
    assert "desktop's words" in kept


def test_an_open_entry_not_being_changed_shows_the_received_version(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    window, entry_id, desktop, desktop_folder = _open_entry(qtbot, folder, make_window,
                                                            tmp_path)
    with desktop:
        _desktop_edits_after_seeing_the_laptop(qtbot, window, entry_id, desktop,
                                               desktop_folder, tmp_path)
    window.syncing.enabled = True
    assert window.syncing.sync()
    editor = window.journal_page.editor
    qtbot.waitUntil(lambda: editor.body.toPlainText() == "desktop's words", timeout=WAIT_MS)
    assert not editor.dirty


def test_settings_offers_sync_and_says_whether_the_journal_syncs(
        qtbot, good_window: MainWindow, tmp_path: Path) -> None:
    from journal_app.ui.dialogs.settings import SettingsDialog

    window = good_window
    seen: list[str] = []

    def in_settings(dialog: SettingsDialog) -> None:
        seen.append(dialog.sync_summary.text())
        assert dialog.sync_button.isVisible()

        def in_sync(sync: SyncDialog) -> None:
            sync.folder.setText(str(tmp_path / "Sync" / "journal"))
            qtbot.keyClicks(sync.setup_passphrase, GOOD)
            click(qtbot, sync.setup_button)
            qtbot.waitUntil(lambda: sync.synced_box.isVisible(), timeout=WAIT_MS)
            qtbot.waitUntil(lambda: not window.syncing.busy, timeout=WAIT_MS)

        on_modal(SyncDialog, in_sync)
        click(qtbot, dialog.sync_button)
        seen.append(dialog.sync_summary.text())

    on_modal(SettingsDialog, in_settings)
    window.show_settings()
    assert len(seen) == 2
    assert "several computers" in seen[0]
    assert seen[1] == "This journal syncs. Synced just now."


def test_the_watcher_ignores_the_sync_services_own_and_temp_files() -> None:
    from journal_app.ui.syncing import worth_a_sync

    base = "/home/s/Sync/journal/0123456789abcdef0123456789abcdef/"
    for name in (".syncthing.000000000003.jsb.tmp", "~syncthing~1a2b3c4d.tmp", ".stfolder",
                 ".dropbox.cache", "desktop.ini"):
        assert not worth_a_sync("created", [base + name]), name
    assert not worth_a_sync("opened", [base + "000000000003.jsb"])
    assert not worth_a_sync("closed_no_write", [base + "000000000003.jsb"])
    assert worth_a_sync("created", [base + "000000000003.jsb"])
    assert worth_a_sync("closed", [base + "000000000003.jsb"])
    # A temp file renamed to its final name: the final name counts.
    assert worth_a_sync("moved", [base + "~syncthing~1a2b3c4d.tmp", base + "000000000004.jsb"])
    assert worth_a_sync("deleted", [base + "snap-000000000100.jss"])


def test_an_altered_file_stops_the_sync_with_what_to_do_and_changes_nothing(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    journal = Journal.create(folder, GOOD, TEST_KDF)[0]
    with journal:
        journal.add_entry(title="Night shift", body="words")
        engine.setup(journal, tmp_path / "laptop-sync", "laptop", GOOD, CHEAP)
    desktop, desktop_folder = _second_computer(tmp_path / "laptop-sync", tmp_path)
    with desktop:
        desktop.add_entry(title="Tampered on the way", body="x")
        engine.sync_now(desktop, None, CHEAP)
    _carry(desktop_folder, tmp_path / "laptop-sync")
    newest = max((tmp_path / "laptop-sync").rglob("*.jsb"), key=lambda p: p.stat().st_mtime_ns)
    data = bytearray(newest.read_bytes())
    data[200] ^= 0xFF
    newest.write_bytes(bytes(data))
    window = _window(qtbot, make_window, folder)
    qtbot.waitUntil(lambda: window.sync_status.warning, timeout=WAIT_MS)
    text = window.message_bar.text.text()
    assert "Nothing was changed" in text and "Sync now in Settings ▸ Sync" in text
    assert window.sync_status.toolTip() == text
    assert [e.title for e in window.session.entries()] == ["Night shift"]
