"""Journal ▸ Export…: choose a format and entries, export in the worker, warn once."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.ui.interchange.exporter import ExportDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import WAIT_MS, click, on_modal


def tick(qtbot: QtBot, dialog: ExportDialog, title: str) -> None:
    """Find a row by its title, make it current and press Space, as a keyboard user would."""
    items = [dialog.chooser.list.item(r) for r in range(dialog.chooser.list.count())]
    row = next(r for r, item in enumerate(items) if item.text().startswith(title + "  ·"))
    dialog.chooser.list.setFocus()
    dialog.chooser.list.setCurrentRow(row)
    qtbot.keyClick(dialog.chooser.list, Qt.Key.Key_Space)


def set_destination(qtbot: QtBot, dialog: ExportDialog, path: Path) -> None:
    dialog.destination.selectAll()
    qtbot.keyClicks(dialog.destination, str(path))


def make_dialog(qtbot: QtBot, window: MainWindow) -> ExportDialog:
    dialog = ExportDialog(window.session, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def redact_in_review(qtbot: QtBot, dialog: ExportDialog) -> None:
    """"Mr B" in the night-shift entry is a possible identifier: wait for the review page and
    redact every finding (reviewing is tests/ui/test_export_deid.py's subject)."""
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.review_page, timeout=WAIT_MS)
    pane = dialog.current_pane()
    assert pane is not None
    click(qtbot, pane.redact_all_button)


def pdf_text(path: Path) -> str:
    return " ".join(unicodedata.normalize("NFKC", " ".join(
        p.extract_text() or "" for p in PdfReader(str(path)).pages)).split())


def test_menu_opens_export(qtbot: QtBot, open_window: MainWindow) -> None:
    assert open_window.act_export.isEnabled()
    assert "Export…" in [a.text() for a in open_window.menuBar().actions()[0].menu().actions()]
    seen = on_modal(ExportDialog, lambda d: d.reject())
    QTest.keySequence(open_window, "Ctrl+Shift+E")
    assert len(seen) == 1
    dialog = seen[0]
    # The entry open in the editor is ticked already; the portfolio starts with the checklist.
    assert dialog.format_name() == "pdf" and dialog.chosen_button.isChecked()
    current = open_window.journal_page.current_entry()
    assert dialog.chosen_ids() == ([current.id] if current is not None else [])


def test_portfolio_export_warns_once(qtbot: QtBot, open_window: MainWindow,
                                     tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, open_window)
    assert open_window.settings.clear_text_export_confirmed is False
    assert dialog.format_name() == "pdf" and dialog.name.isVisible()
    assert not dialog.export_button.isEnabled()  # nothing ticked yet
    tick(qtbot, dialog, "Night shift")
    tick(qtbot, dialog, "Family meeting")
    assert dialog.chooser.count_label.text() == "2 chosen" and dialog.export_button.isEnabled()
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Sam Okafor")
    out = tmp_path / "portfolio.pdf"
    set_destination(qtbot, dialog, out)

    # First clear-text export: a warning; Cancel exports nothing and is not remembered.
    boxes = on_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Cancel)
                     .click())
    click(qtbot, dialog.export_button)
    assert len(boxes) == 1 and "not be encrypted" in boxes[0].text()
    assert not out.exists() and not open_window.settings.clear_text_export_confirmed

    boxes = on_modal(QMessageBox, lambda box: next(
        b for b in box.buttons() if b.text() == "Export").click())
    click(qtbot, dialog.export_button)
    assert len(boxes) == 1
    redact_in_review(qtbot, dialog)
    assert not out.exists()
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as blocker:
        click(qtbot, dialog.export_button)
    assert blocker.args == ["Wrote 2 entries to portfolio.pdf."]
    assert dialog.result_label.isVisible() and "Not encrypted" in dialog.result_label.text()
    assert open_window.settings.clear_text_export_confirmed is True
    text = pdf_text(out)
    assert "Sam Okafor" in text and "Night shift" in text and "Family meeting" in text
    assert "Teaching round" not in text and "sepsis" not in text
    journal = open_window.session.journal
    assert journal is not None and journal.app_state().portfolio_name == "Sam Okafor"

    # Later exports do not ask again: an HTML page of everything, straight away.
    click(qtbot, dialog.format_buttons["html"])
    assert dialog.all_button.isChecked() and not dialog.name.isVisible()
    page = tmp_path / "journal.html"
    set_destination(qtbot, dialog, page)
    asked = on_modal(QMessageBox, lambda box: box.reject(), tries=50)
    click(qtbot, dialog.export_button)
    redact_in_review(qtbot, dialog)
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS):
        click(qtbot, dialog.export_button)
    assert asked == []
    html = page.read_text(encoding="utf-8")
    assert all(t in html for t in ("Night shift", "Teaching round", "Family meeting"))


def test_markdown_export_and_search(qtbot: QtBot, open_window: MainWindow,
                                    tmp_path: Path) -> None:
    open_window.settings.clear_text_export_confirmed = True
    dialog = make_dialog(qtbot, open_window)
    click(qtbot, dialog.format_buttons["markdown"])
    click(qtbot, dialog.chosen_button)
    qtbot.keyClicks(dialog.chooser.search, "sepsis")
    qtbot.waitUntil(lambda: sum(not dialog.chooser.list.item(r).isHidden()
                                for r in range(dialog.chooser.list.count())) == 1)
    click(qtbot, dialog.chooser.tick_shown)
    assert dialog.chooser.count_label.text() == "1 chosen"
    out = tmp_path / "md"
    set_destination(qtbot, dialog, out)
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as blocker:
        click(qtbot, dialog.export_button)
    assert blocker.args == ["Wrote 1 entry to the folder md."]
    (path,) = out.iterdir()
    assert "sepsis" in path.read_text(encoding="utf-8") and "Teaching" not in path.name


def test_export_failure_is_plain(qtbot: QtBot, open_window: MainWindow,
                                 tmp_path: Path) -> None:
    open_window.settings.clear_text_export_confirmed = True
    dialog = make_dialog(qtbot, open_window)
    click(qtbot, dialog.format_buttons["html"])
    set_destination(qtbot, dialog, tmp_path / "no-such-folder" / "x.html")
    click(qtbot, dialog.export_button)
    redact_in_review(qtbot, dialog)
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT_MS)
    assert dialog.error.text().startswith("Nothing was exported: Could not write x.html")
    assert dialog.export_button.isEnabled() and not dialog.busy.isVisible()
