"""The de-identification review: decide every hit as a user would, then share."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from journal_app.ui import theme
from journal_app.ui.interchange.deid_review import KEEP, MANUAL, REDACT, DeidReviewDialog

from .conftest import click, click_row, on_modal

TEXT = (
    "I told Mrs. Abernathy about the scan on March 14, 2024. Her daughter Grace cried.\n\n"
    "Call (555) 201-3344 later. The night nurse quill stayed; I felt hope."
)


def make(qtbot: QtBot, text: str = TEXT, names: tuple[str, ...] = ()) -> DeidReviewDialog:
    dialog = DeidReviewDialog(text, names)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def rows(dialog: DeidReviewDialog) -> list[tuple[str, str, str]]:
    out = []
    for i in range(dialog.list.topLevelItemCount()):
        item = dialog.list.topLevelItem(i)
        out.append((item.text(0), item.text(1), item.text(2)))
    return out


def select_in_view(qtbot: QtBot, dialog: DeidReviewDialog, word: str) -> None:
    """Click just before ``word`` in the text and extend the selection over it with the
    keyboard (Shift+Right), as a user would."""
    view = dialog.view
    where = view.document().find(word)
    assert not where.isNull(), word
    cursor = QTextCursor(view.document())
    cursor.setPosition(where.selectionStart())
    rect = view.cursorRect(cursor)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.left() + 1, rect.center().y()))
    assert view.textCursor().position() == where.selectionStart()
    for _ in word:
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().selectedText() == word


def test_every_hit_is_listed_and_highlighted(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert rows(dialog) == [
        ("Name", "Abernathy", "Not decided"),
        ("Date", "March 14, 2024", "Not decided"),
        ("Name", "Grace", "Not decided"),
        ("Phone", "(555) 201-3344", "Not decided"),
    ]
    # Each hit carries its category as a label in the text, not just a colour.
    shown = dialog.view.toPlainText()
    assert "Abernathy\u2009name\u2009" in shown and "2024\u2009date\u2009" in shown
    assert "responsibility" in dialog.responsibility.text()
    assert not dialog.share_button.isEnabled()
    assert "0 of 4 decided" in dialog.progress.text()
    # "hope" and "Dr." are not flagged; the first hit is selected for a keyboard user.
    assert dialog.list.currentItem() is dialog.list.topLevelItem(0)


def test_accept_change_ignore_and_redact_by_hand(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    click_row(qtbot, dialog.list, 0)
    click(qtbot, dialog.redact_button)  # accept: placeholder
    assert rows(dialog)[0][2] == "Redact as [name]"
    assert dialog.list.currentItem() is dialog.list.topLevelItem(1)  # on to the next
    qtbot.keyClicks(dialog.replacement, "in the spring")
    click(qtbot, dialog.change_button)  # change: the user's words
    assert rows(dialog)[1][2] == "Change to “in the spring”"
    click_row(qtbot, dialog.list, 2)
    click(qtbot, dialog.keep_button)  # ignore: kept as written
    assert rows(dialog)[2][2] == "Keep as written"
    assert not dialog.share_button.isEnabled()
    assert "3 of 4 decided" in dialog.progress.text()

    select_in_view(qtbot, dialog, "scan")
    assert dialog.redact_selection_button.isEnabled()
    click(qtbot, dialog.redact_selection_button)
    manual = [h for h in dialog.hits() if h.finding.category == MANUAL]
    assert [h.finding.text for h in manual] == ["scan"]
    assert manual[0].decision == REDACT

    click_row(qtbot, dialog.list, 4)
    assert dialog.list.currentItem().text(1) == "(555) 201-3344"
    click(qtbot, dialog.redact_button)
    assert dialog.share_button.isEnabled()
    assert "All 5 decided" in dialog.progress.text()
    assert dialog.redacted_text() == (
        "I told Mrs. [name] about the [redacted] on in the spring. Her daughter Grace cried.\n\n"
        "Call [phone] later. The night nurse quill stayed; I felt hope."
    )
    assert dialog.added_names() == []


def test_redacting_a_selection_that_touches_a_hit_joins_them(qtbot: QtBot) -> None:
    dialog = make(qtbot, "We met Mrs. Abernathy today.")
    select_in_view(qtbot, dialog, "Mrs. Aber")
    click(qtbot, dialog.redact_selection_button)
    assert [(h.finding.text, h.finding.category) for h in dialog.hits()] == [
        ("Mrs. Abernathy", MANUAL)]
    assert dialog.redacted_text() == "We met [redacted] today."


def test_always_treat_as_a_name(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    click_row(qtbot, dialog.list, 0)
    click(qtbot, dialog.redact_button)
    select_in_view(qtbot, dialog, "quill")
    click(qtbot, dialog.add_name_button)
    assert dialog.added_names() == ["quill"]
    assert ("Name", "quill", "Not decided") in rows(dialog)
    assert rows(dialog)[0][2] == "Redact as [name]"  # earlier decisions survive the rescan
    assert len(rows(dialog)) == 5


def test_names_given_are_found_in_any_case(qtbot: QtBot) -> None:
    dialog = make(qtbot, names=("Quill",))
    assert ("Name", "quill", "Not decided") in rows(dialog)
    assert dialog.added_names() == []


def test_share_is_refused_until_everything_is_decided(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    # The keyboard way: R and K on the list decide and move on.
    dialog.list.setFocus()
    for key in (Qt.Key.Key_R, Qt.Key.Key_K, Qt.Key.Key_R):
        qtbot.keyClick(dialog.list, key)
    assert [h.decision for h in dialog.hits()] == [REDACT, KEEP, REDACT, None]
    qtbot.keyClick(dialog.replacement, Qt.Key.Key_Return)  # Enter in a field, then accept()
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    click(qtbot, dialog.redact_all_button)
    assert dialog.all_decided() and dialog.share_button.isEnabled()


def test_exec_returns_accepted_with_the_redacted_text(qtbot: QtBot) -> None:
    dialog = DeidReviewDialog("Call Mrs. Abernathy on 3/14.", ())
    qtbot.addWidget(dialog)

    def decide(d: DeidReviewDialog) -> None:
        assert not d.share_button.isEnabled()
        click(qtbot, d.redact_all_button)
        click(qtbot, d.share_button)

    seen = on_modal(DeidReviewDialog, decide)
    assert dialog.exec() == QDialog.DialogCode.Accepted
    assert seen == [dialog]
    assert dialog.redacted_text() == "Call Mrs. [name] on [date]."


def test_cancel_returns_rejected(qtbot: QtBot) -> None:
    dialog = DeidReviewDialog("Mrs. Abernathy.", ())
    qtbot.addWidget(dialog)
    on_modal(DeidReviewDialog, lambda d: click(qtbot, d.cancel_button))
    assert dialog.exec() == QDialog.DialogCode.Rejected


def test_preview_shows_the_shared_text(qtbot: QtBot) -> None:
    dialog = make(qtbot, "Mrs. Abernathy came.")
    click(qtbot, dialog.redact_button)
    dialog.preview.setChecked(True)
    assert dialog.view.toPlainText() == "Mrs. [name] came."
    assert not dialog.redact_selection_button.isEnabled()
    dialog.preview.setChecked(False)
    assert "Abernathy" in dialog.view.toPlainText()


def test_nothing_found(qtbot: QtBot) -> None:
    dialog = make(qtbot, "Hope is a discipline. Dr. visits are tiring for Mom.")
    assert rows(dialog) == []
    assert dialog.share_button.isEnabled()
    assert "Read the text yourself" in dialog.progress.text()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_screenshots(qtbot: QtBot, tmp_path: Path, mode: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply_theme(app, mode)
    dialog = make(qtbot)
    click(qtbot, dialog.redact_button)
    click(qtbot, dialog.keep_button)
    image = dialog.grab()
    path = tmp_path / f"deid-review-{mode}.png"
    assert image.save(str(path))
    assert image.width() > 600 and path.stat().st_size > 10_000
    # The tint behind a hit is light in the light theme and dark in the dark one.
    base = theme.colors().base
    assert (base == theme.LIGHT.base) == (mode == "light")
