"""A journal whose list of records is missing opens read-only, with a banner; the write that picks
today's prompt does not rebuild the list; the banner's repair shows what it accepts and asks."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from journal_app.core.vault.store import DB_NAME
from journal_app.ui.shell.mainwindow import MainWindow
from tests.ui.conftest import (
    WAIT_MS,
    answer_message_box,
    click,
    click_row,
    list_titles,
    make_vault,
    sample_entries,
    unlock,
)


def manifest_rows(folder: Path) -> int:
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        return int(conn.execute("SELECT count(*) FROM meta WHERE key='manifest'").fetchone()[0])
    finally:
        conn.close()


def drop_manifest(folder: Path) -> None:
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        conn.execute("DELETE FROM meta WHERE key='manifest'")
        conn.commit()
    finally:
        conn.close()


def test_a_missing_manifest_opens_read_only_with_a_banner(
    qtbot, folder: Path, make_window: Callable[..., MainWindow],
) -> None:
    make_vault(folder, sample_entries())
    drop_manifest(folder)
    window = make_window(folder)
    unlock(qtbot, window)
    banner = window.read_only_banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    assert "read-only" in banner.text.text()
    # Reading works; nothing can be written.
    assert sorted(list_titles(window)) == ["Family meeting", "Night shift", "Teaching round"]
    for action in (window.act_new, window.act_checkin, window.act_reflect, window.act_import):
        assert not action.isEnabled(), action.text()
    assert not window.journal_page.new_button.isEnabled()
    assert window.act_find.isEnabled() and window.act_lock.isEnabled()
    click_row(qtbot, window.journal_page.list, 0)
    editor = window.journal_page.editor
    assert editor.body.isReadOnly() and editor.title.isReadOnly()
    # The write that picks today's prompt at unlock did not rebuild the list of records.
    assert manifest_rows(folder) == 0

    seen = answer_message_box(QMessageBox.StandardButton.Yes)
    click(qtbot, banner.repair_button)
    assert seen, "the repair asks first"
    shown = seen[0].text() + seen[0].informativeText()
    assert "3 entries" in shown
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)
    assert manifest_rows(folder) == 1
    assert window.act_new.isEnabled() and window.journal_page.new_button.isEnabled()
    assert not editor.body.isReadOnly()
    assert window.session.journal is not None and window.session.journal.verify().ok


def test_declining_the_repair_changes_nothing(
    qtbot, folder: Path, make_window: Callable[..., MainWindow],
) -> None:
    make_vault(folder, sample_entries())
    drop_manifest(folder)
    window = make_window(folder)
    unlock(qtbot, window)
    banner = window.read_only_banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    seen = answer_message_box(QMessageBox.StandardButton.No)
    click(qtbot, banner.repair_button)
    assert seen
    assert banner.isVisible() and not window.act_new.isEnabled()
    assert manifest_rows(folder) == 0


def test_a_sound_journal_shows_no_banner(qtbot, open_window: MainWindow) -> None:
    assert not open_window.read_only_banner.isVisible()
    assert open_window.act_new.isEnabled()
