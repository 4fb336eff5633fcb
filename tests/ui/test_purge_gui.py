"""Emptying the trash in the app: the entry's words are in no sealed blob and no page after it.

Canary words are typed into an entry through the editor, found through the search box (so the
app's index holds them) and sealed in the index snapshot; the entry is deleted with the Delete
key and the trash emptied in the Trash dialog. Then, with the window locked and closed, every
record and sealed blob is decrypted and the raw files are searched for the removed ciphertext.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from journal_app.ui.dialogs.trash import TrashDialog
from journal_app.ui.shell.mainwindow import MainWindow
from tests.unit.core.test_purge import CANARIES, Evidence, assert_gone

from .conftest import (
    WAIT_MS,
    answer_message_box,
    click,
    click_row,
    list_titles,
    on_modal,
    save_now,
    to_end,
)


def test_emptying_the_trash_in_the_app_leaves_no_word_behind(
    qtbot, open_window: MainWindow, folder: Path, tmp_path: Path
) -> None:
    window = open_window
    page = window.journal_page
    journal = window.session.journal
    assert journal is not None
    cipher = journal.cipher
    click_row(qtbot, page.list, list_titles(window).index("Night shift"))
    to_end(qtbot, page.editor.body)
    qtbot.keyClicks(page.editor.body, f" {CANARIES[0]} and {CANARIES[1]}.")
    save_now(qtbot, window)  # the version before is kept as a revision
    to_end(qtbot, page.editor.body)
    qtbot.keyClicks(page.editor.body, f" Then {CANARIES[2]}.")
    save_now(qtbot, window)
    entry = page.editor.entry
    assert entry is not None

    QTest.keySequence(window, "Ctrl+F")
    qtbot.keyClicks(page.search, CANARIES[0])
    qtbot.waitUntil(lambda: list_titles(window) == ["Night shift"], timeout=WAIT_MS)
    journal.save_index_snapshot()  # as the app does on locking after enough changes
    evidence = Evidence()
    evidence.snapshot(journal)
    page.search.clear()
    qtbot.waitUntil(lambda: len(list_titles(window)) == 3, timeout=WAIT_MS)

    click_row(qtbot, page.list, list_titles(window).index("Night shift"))
    qtbot.keyClick(page.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "Night shift" not in list_titles(window), timeout=WAIT_MS)
    evidence.records(journal, [entry.id, *[r.id for r in journal.revisions(entry.id)]])

    def empty(dialog: TrashDialog) -> None:
        answered = answer_message_box(QMessageBox.StandardButton.Yes)
        click(qtbot, dialog.empty_button)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)  # emptied in the worker
        assert len(answered) == 1
        click(qtbot, dialog.close_button)

    seen = on_modal(TrashDialog, empty)
    window.act_trash.trigger()
    assert len(seen) == 1
    qtbot.keyClicks(page.search, CANARIES[2])
    qtbot.waitUntil(lambda: page.count.text() == "0 entries found", timeout=WAIT_MS)

    window.lock_now()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page, timeout=WAIT_MS)
    assert window.close()
    window.session.close()
    assert_gone(folder, cipher, evidence, tmp_path / "copy")
