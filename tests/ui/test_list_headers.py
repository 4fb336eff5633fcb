"""The journal page with entries listed from their sealed headers (issue 18): opening one reads
its body; a body that does not open, or that another program changed since it was listed, is
said in one sentence and the list is shown again."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import PASSPHRASE, WAIT_MS, click_row, list_titles, make_vault, sample_entries
from .conftest import unlock as unlock_window


def _row_of(window: MainWindow, title: str) -> int:
    return list_titles(window).index(title)


def test_opening_an_entry_reads_its_body(qtbot: QtBot, folder: Path,
                                         make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder, sample_entries())
    window = make_window(folder)
    unlock_window(qtbot, window)
    journal = window.session.journal
    assert journal is not None
    assert all("body" not in e.__dict__ for e in journal.entries())  # listed from headers
    click_row(qtbot, window.journal_page.list, _row_of(window, "Teaching round"))
    qtbot.waitUntil(lambda: window.journal_page.editor.entry is not None, timeout=WAIT_MS)
    assert window.journal_page.editor.body.toPlainText() == (
        "The students asked good questions about sepsis.")


def _with_index_snapshot(folder: Path) -> None:
    """Seal the search index, as the app does: the next unlock then reads no body at all."""
    journal = Journal.open(folder)
    with journal:
        journal.unlock(PASSPHRASE)
        journal.prepare_search()
        journal.save_index_snapshot()


def test_a_body_that_does_not_open_is_said_and_left_out(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder, sample_entries())
    _with_index_snapshot(folder)
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        (rid, blob), = conn.execute(
            "SELECT id, blob FROM records WHERE kind='entry' ORDER BY id LIMIT 1").fetchall()
        changed = bytearray(blob)
        changed[-4] ^= 1
        conn.execute("UPDATE records SET blob=? WHERE id=?", (bytes(changed), rid))
        conn.commit()
    finally:
        conn.close()
    window = make_window(folder)
    unlock_window(qtbot, window)
    journal = window.session.journal
    assert journal is not None
    title = journal.get_entry(rid).title  # its header is intact: it is listed
    click_row(qtbot, window.journal_page.list, _row_of(window, title))
    bar = window.message_bar
    qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
    assert "damaged" in bar.text.text()
    assert title not in list_titles(window)
    assert window.journal_page.editor.entry is None or window.journal_page.editor.entry.id != rid


def test_an_entry_changed_elsewhere_since_it_was_listed(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder, sample_entries())
    window = make_window(folder)
    unlock_window(qtbot, window)
    row = _row_of(window, "Family meeting")
    other = Journal.open(folder)
    try:
        other.unlock(PASSPHRASE)
        target = next(e for e in other.entries() if e.title == "Family meeting")
        other.edit_entry(target.id, body="Written on another device.")
    finally:
        other.close()
    click_row(qtbot, window.journal_page.list, row)
    # Either the list was current (the new text is shown) or it says so and lists again:
    # never the old title with the new text, never the old text as if current.
    qtbot.waitUntil(lambda: window.journal_page.editor.entry is not None
                    or window.message_bar.isVisible(), timeout=WAIT_MS)
    if window.journal_page.editor.entry is not None:
        assert window.journal_page.editor.body.toPlainText() == "Written on another device."
    else:
        assert "changed" in window.message_bar.text.text()
