"""A reflection-round handout from the entry's menu (issue 24): through the same review as
sharing, saved as a PDF without name or date; nothing is written when the review is cancelled."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Entry
from journal_app.ui.interchange.deid_review import DeidReviewDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import on_modal
from .sharing_steps import journal_of

BODY = "I called the family at 555-201-3344 after the code. I felt helpless."


def _pdf_text(path: Path) -> str:
    import pypdf

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    return " ".join(text.split())


def test_a_handout_from_the_entry_menu_is_reviewed_first(
        qtbot: QtBot, open_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    entry = journal_of(open_window).add_entry(Entry(title="After the code", body=BODY))
    page = open_window.journal_page
    page.refresh()
    page.select(entry.id)
    out = tmp_path / "handout.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(out), "")))
    menu = open_window.sharing.list_menu(page.list.visualRect(page.list.currentIndex()).center())
    assert menu is not None
    [action] = [a for a in menu.actions() if a.text().startswith("Make a handout")]
    assert action.isEnabled()

    def cancel(dialog: DeidReviewDialog) -> None:
        dialog.reject()

    on_modal(DeidReviewDialog, cancel)
    action.trigger()
    assert not out.exists()

    def redact(dialog: DeidReviewDialog) -> None:
        assert dialog.hits()  # the phone number
        dialog.redact_all_button.click()
        dialog.accept()

    on_modal(DeidReviewDialog, redact)
    action.trigger()
    assert out.exists()
    printed = _pdf_text(out)
    assert "After the code" in printed and "helpless" in printed
    assert "555-201-3344" not in printed
    assert "Saved handout.pdf" in open_window.message_bar.text.text()
