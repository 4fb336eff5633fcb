"""No journal text reaches the disk in the clear, whatever the GUI did.

Unique canary strings are typed through the real window (title, body, tags, an emotion name,
the search box); after locking and closing, no file in the data folder, the settings file, the
test's HOME and XDG folders or its temp folder holds any of them, in UTF-8 or UTF-16.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from journal_app.core.vault.journal import Journal
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

from .conftest import (
    PASSPHRASE,
    WAIT_MS,
    add_emotion,
    click,
    click_row,
    flush_events,
    list_titles,
    on_modal,
    save_now,
    type_text,
)


def canary(kind: str) -> str:
    return f"canary{kind}{secrets.token_hex(8)}"


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def files_under(*roots: Path) -> Iterator[Path]:
    seen: set[Path] = set()
    for root in roots:
        if not root.exists():
            continue
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                path = Path(dirpath) / name
                if path in seen or path.is_symlink() or not path.is_file():
                    continue
                seen.add(path)
                yield path


def test_canaries_never_reach_the_disk(qtbot, tmp_path: Path, folder: Path,
                                       make_window: Callable[..., MainWindow]) -> None:
    words = {k: canary(k) for k in ("title", "body", "tag", "emotion", "second")}
    window = make_window(folder)

    # Create the journal through the welcome page.
    welcome = window.welcome
    qtbot.keyClicks(welcome.passphrase.first, PASSPHRASE)
    qtbot.keyClicks(welcome.passphrase.second, PASSPHRASE)
    click(qtbot, welcome.create_button)
    qtbot.waitUntil(lambda: welcome.stack.currentWidget() is welcome.recovery, timeout=WAIT_MS)
    click(qtbot, welcome.recovery.stored)
    click(qtbot, welcome.recovery.continue_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.journal_page, timeout=WAIT_MS)

    # Write an entry holding every canary.
    editor = window.journal_page.editor
    QTest.keySequence(window, "Ctrl+N")
    qtbot.keyClicks(editor.title, f"Shift {words['title']}")
    body = f"First line.\nThe {words['body']} part.\n\n**{words['second']}**"
    type_text(qtbot, editor.body, body)
    qtbot.keyClicks(editor.tags, f"nights, {words['tag']}")
    # Not a listed emotion: kept as the user's own word after the one question.
    kept = on_modal(QMessageBox, lambda box: click(
        qtbot, box.button(QMessageBox.StandardButton.Yes)))
    add_emotion(qtbot, window, words["emotion"], 4)
    assert len(kept) == 1
    window.activateWindow()  # the window manager's part once the question closed
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    save_now(qtbot, window)
    # Leave it, come back and change it: a revision holds the canaries too.
    QTest.keySequence(window, "Ctrl+N")
    click_row(qtbot, window.journal_page.list, 0)
    assert editor.title.text() == f"Shift {words['title']}"
    qtbot.keyClick(editor.body, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.body, " Edited.")
    save_now(qtbot, window)
    QTest.keySequence(window, "Ctrl+P")  # the preview renders them too
    qtbot.waitUntil(lambda: words["second"] in editor.preview.toPlainText(), timeout=WAIT_MS)

    # Find it through the search box and a filter.
    QTest.keySequence(window, "Ctrl+F")
    qtbot.keyClicks(window.journal_page.search, words["body"])
    qtbot.waitUntil(lambda: list_titles(window) == [f"Shift {words['title']}"], timeout=WAIT_MS)
    bar = window.journal_page.filters
    bar.tag.setCurrentIndex(bar.tag.findData(words["tag"]))
    qtbot.waitUntil(lambda: window.journal_page.count.text() == "1 entry found", timeout=WAIT_MS)

    # The vault really holds them (so the scan below is meaningful).
    journal = window.session.journal
    assert journal is not None
    [entry] = journal.entries()
    assert words["tag"] in entry.tags
    assert entry.emotions[0].name == words["emotion"]
    assert journal.revisions(entry.id)

    # Lock, close the window and the session.
    QTest.keySequence(window, "Ctrl+L")
    assert window.stack.currentWidget() is window.lock_page
    assert window.close()
    window.session.close()
    flush_events()

    settings_file = Path(UiSettings().file_name)
    assert settings_file.is_file()
    roots = [
        folder,
        tmp_path,
        Path(os.environ["HOME"]),
        *(Path(os.environ[v]) for v in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                                        "XDG_STATE_HOME", "XDG_RUNTIME_DIR")),
        Path(tempfile.gettempdir()),
        settings_file.parent,
    ]
    scanned = list(files_under(*roots))
    names = {p.name for p in scanned}
    assert "journal.db" in names, names
    assert settings_file in scanned
    needles = [(word, enc) for word in words.values() for enc in encodings(word)]
    leaks = []
    for path in scanned:
        data = path.read_bytes()
        leaks += [f"{path}: {word}" for word, enc in needles if enc in data]
    assert leaks == []

    # And the journal still opens with everything in it.
    again = Journal.open(folder)
    try:
        again.unlock(PASSPHRASE)
        [stored] = again.entries()
        assert words["body"] in stored.body
    finally:
        again.close()
