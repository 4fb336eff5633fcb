"""Exports meant for other eyes pass the de-identification review in the app (issue 13).

Seen: "Mrs Alvarez (MRN 4471823, DOB 03/14/1951) ... 617-555-0134" printed unchanged into the
portfolio PDF. Now Journal ▸ Export… shows the review screen (the one sharing uses) for every
entry with a possible identifier before a PDF, HTML page or Markdown folder is written; the
summary PDF's notes box goes through it too. A JSON export is not reviewed, and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from journal_app.core.demo.entries import demo_records
from journal_app.core.records.model import Emotion, Entry
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.interchange.deid_review import DeidReviewDialog
from journal_app.ui.session import JournalSession
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import PASSPHRASE, WAIT_MS, click, make_vault, on_modal, unlock
from .test_export_dialog import make_dialog, pdf_text, set_destination, tick

BODY = ("Mrs Alvarez (MRN 4471823, DOB 03/14/1951) asked me to call her son on 617-555-0134. "
        "She lives in Springfield 01103.\n\nI felt useless on the drive back.")
IDENTIFIERS = ("Alvarez", "4471823", "03/14/1951", "617-555-0134", "Springfield", "01103")


def entries() -> list[Entry]:
    return [
        Entry(title="Home visit", body=BODY, tags=["home-visits"],
              emotions=[Emotion("helpless", 4)]),
        Entry(title="After Mr Okafor died", body="Quiet night. I sat in the car for a while."),
        Entry(title="Teaching round", body="The students asked good questions about sepsis."),
    ]


@pytest.fixture
def window(qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> MainWindow:
    make_vault(folder, entries())
    window = make_window(folder)
    unlock(qtbot, window)
    window.settings.clear_text_export_confirmed = True
    return window


def test_a_pdf_export_shows_the_review_and_holds_no_identifier_after_redacting(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, window)
    assert "review" in dialog.review_note.text().lower() and dialog.review_note.isVisible()
    tick(qtbot, dialog, "Home visit")
    tick(qtbot, dialog, "Teaching round")
    out = tmp_path / "portfolio.pdf"
    set_destination(qtbot, dialog, out)
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.review_page, timeout=WAIT_MS)
    assert not out.exists()
    # Only the entry with findings is reviewed; its title, text and feelings together.
    assert "Home visit" in dialog.unit_title.text()
    pane = dialog.current_pane()
    assert pane is not None and pane.isVisible()
    assert set(IDENTIFIERS) <= {h.finding.text for h in pane.hits()}
    assert not dialog.export_button.isEnabled()  # undecided findings: nothing can be written
    # The user redacts the first with R, then the rest with the button.
    pane.list.setFocus()
    qtbot.keyClick(pane.list, Qt.Key.Key_R)
    assert not dialog.export_button.isEnabled()
    click(qtbot, pane.redact_all_button)
    assert dialog.export_button.isEnabled() and dialog.export_button.text() == "Export"
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as blocker:
        click(qtbot, dialog.export_button)
    assert blocker.args == ["Wrote 2 entries to portfolio.pdf."]
    text = pdf_text(out)
    for identifier in IDENTIFIERS:
        assert identifier not in text
    assert "Mrs [name] (MRN [record], DOB [date])" in text
    assert "good questions about sepsis" in text
    assert "replaced" in dialog.result_label.text()
    # The journal keeps what was written.
    journal = window.session.journal
    assert journal is not None
    assert next(e for e in journal.entries() if e.title == "Home visit").body == BODY


def test_the_review_goes_entry_by_entry_and_keeps_what_the_user_keeps(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, window)
    click(qtbot, dialog.format_buttons["html"])
    assert dialog.all_button.isChecked()
    page = tmp_path / "journal.html"
    set_destination(qtbot, dialog, page)
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.review_page, timeout=WAIT_MS)
    assert dialog.unit_title.text().startswith("Entry 1 of 2")
    assert dialog.export_button.text() == "Next entry ›" and not dialog.export_button.isEnabled()
    first = dialog.current_pane()
    assert first is not None
    click(qtbot, first.redact_all_button)
    click(qtbot, dialog.export_button)
    assert dialog.unit_title.text().startswith("Entry 2 of 2")
    second = dialog.current_pane()
    assert second is not None and second is not first
    assert [h.finding.text for h in second.hits()] == ["Okafor"]
    assert not dialog.export_button.isEnabled()
    # Back shows the first entry with its decisions kept; on again, and keep the name.
    click(qtbot, dialog.back_button)
    assert dialog.current_pane() is first and first.all_decided()
    click(qtbot, dialog.export_button)
    second.list.setFocus()
    second.list.setCurrentItem(second.list.topLevelItem(0))
    qtbot.keyClick(second.list, Qt.Key.Key_K)
    assert dialog.export_button.text() == "Export" and dialog.export_button.isEnabled()
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS):
        click(qtbot, dialog.export_button)
    html = page.read_text(encoding="utf-8")
    assert "Okafor" in html  # kept, as the user decided
    for identifier in IDENTIFIERS:
        assert identifier not in html
    assert "sepsis" in html
    # Back on the first page for another export; Back to the options works before it too.
    assert dialog.pages.currentIndex() == 0


def test_cancelling_the_review_writes_nothing(qtbot: QtBot, window: MainWindow,
                                              tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, window)
    click(qtbot, dialog.format_buttons["markdown"])
    out = tmp_path / "md"
    set_destination(qtbot, dialog, out)
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.review_page, timeout=WAIT_MS)
    click(qtbot, dialog.back_button)
    assert dialog.pages.currentIndex() == 0
    assert not out.exists()


def test_a_json_export_is_not_reviewed_and_says_so(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, window)
    click(qtbot, dialog.format_buttons["json"])
    assert "not checked for identifiers" in dialog.review_note.text()
    out = tmp_path / "all.json"
    set_destination(qtbot, dialog, out)
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS):
        click(qtbot, dialog.export_button)
    assert dialog.pages.currentIndex() == 0
    assert "Alvarez" in out.read_text(encoding="utf-8")


def test_the_summary_notes_are_reviewed_before_the_pdf(
        qtbot: QtBot, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from journal_app.ui.trends.dashboard import DashboardView
    from journal_app.ui.trends.summary_pdf import SummaryDialog

    from .conftest import trends_shown

    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    journal.import_records(demo_records(40), writing_only=False)
    journal.set_deid_names(["Boaz"])
    session = JournalSession(kdf=TEST_KDF)
    session.journal = journal
    try:
        view = DashboardView(session)
        qtbot.addWidget(view)
        view.show()
        trends_shown(qtbot, view)
        dialog = SummaryDialog(view, view)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.notes, "Ask about Mrs Alvarez, MRN 4471823, and boaz.")
        path = tmp_path / "summary.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(path), ""))

        def review(box: DeidReviewDialog) -> None:
            assert {h.finding.text for h in box.hits()} == {"Alvarez", "4471823", "boaz"}
            assert not box.share_button.isEnabled()
            click(qtbot, box.redact_all_button)
            click(qtbot, box.share_button)

        seen = on_modal(DeidReviewDialog, review)
        click(qtbot, dialog.save_button)
        assert seen and path.exists()
        text = pdf_text(path)
        assert "Ask about Mrs [name], MRN [record], and [name]." in text
        for identifier in ("Alvarez", "4471823", "boaz"):
            assert identifier not in text
    finally:
        session.close()


def test_summary_notes_with_an_unfinished_review_are_not_saved(
        qtbot: QtBot, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from journal_app.ui.trends.dashboard import DashboardView
    from journal_app.ui.trends.summary_pdf import SummaryDialog

    from .conftest import trends_shown

    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    journal.import_records(demo_records(20), writing_only=False)
    session = JournalSession(kdf=TEST_KDF)
    session.journal = journal
    try:
        view = DashboardView(session)
        qtbot.addWidget(view)
        trends_shown(qtbot, view)
        dialog = SummaryDialog(view, view)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.notes, "Call 617-555-0134 before the meeting.")
        path = tmp_path / "summary.pdf"
        asked: list[str] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *a: (asked.append("x"), (str(path), ""))[1])
        seen = on_modal(DeidReviewDialog, lambda box: click(qtbot, box.cancel_button))
        click(qtbot, dialog.save_button)
        assert seen and not asked and not path.exists()
        # Saving straight to a path is refused too while the notes are not reviewed.
        assert not dialog.save_to(path)
        assert not path.exists() and dialog.error.isVisible()
    finally:
        session.close()
