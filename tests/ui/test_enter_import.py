"""Enter in the import dialog's path field previews (issue 16, item 1): it never closes the
dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal_app.ui.interchange.importer import ImportDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import WAIT_MS, click, on_modal
from .test_import_dialog import JRNL, choose, format_label


def test_enter_in_the_path_field_previews(qtbot, open_window: MainWindow) -> None:
    window = open_window
    states: list[tuple[bool, int]] = []

    def steps(dialog: ImportDialog) -> None:
        choose(qtbot, dialog.format_box, format_label(dialog, "jrnl-json"))
        dialog.activateWindow()
        click(qtbot, dialog.path)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.path, timeout=WAIT_MS)
        qtbot.keyClicks(QApplication.focusWidget(), str(JRNL))
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1 or not dialog.isVisible(),
                        timeout=WAIT_MS)
        states.append((dialog.isVisible(), dialog.pages.currentIndex()))
        assert dialog.isVisible()
        # A second Enter while the preview shows is the Import button (the default).
        dialog.reject()

    seen = on_modal(ImportDialog, steps)
    window.act_import.trigger()
    assert len(seen) == 1
    assert states == [(True, 1)]


def test_enter_on_a_missing_file_says_so_and_stays(qtbot, open_window: MainWindow,
                                                   tmp_path: Path) -> None:
    window = open_window
    said: list[str] = []

    def steps(dialog: ImportDialog) -> None:
        choose(qtbot, dialog.format_box, format_label(dialog, "jrnl-json"))
        dialog.activateWindow()
        click(qtbot, dialog.path)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.path, timeout=WAIT_MS)
        qtbot.keyClicks(dialog.path, str(tmp_path / "nothing-here.json"))
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.choose_error.isVisible() or not dialog.isVisible(),
                        timeout=WAIT_MS)
        assert dialog.isVisible() and dialog.pages.currentIndex() == 0
        said.append(dialog.choose_error.text())
        assert QApplication.focusWidget() is dialog.path  # to correct it
        dialog.reject()

    seen = on_modal(ImportDialog, steps)
    window.act_import.trigger()
    assert len(seen) == 1
    assert len(said) == 1 and said[0]
