"""Issue 14: the frameworks are credited where the user meets them, not only in content files:
the rotation self-assessment, and Help (the portfolio's title page: tests/unit/core)."""

from __future__ import annotations

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from journal_app.core.vocabulary import CARE7_CREDIT, COMPETENCY_CREDIT
from journal_app.ui.dialogs.about import TextDialog
from journal_app.ui.practice.assessment import AssessmentDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import on_modal


def test_the_rotation_self_assessment_names_its_source(qtbot: QtBot,
                                                       open_window: MainWindow) -> None:
    shown: list[tuple[bool, str]] = []

    def look(dialog: AssessmentDialog) -> None:
        shown.append((dialog.credit.isVisible(), dialog.credit.text()))
        dialog.later_button.click()

    on_modal(AssessmentDialog, look)
    open_window.act_assess.trigger()
    assert shown == [(True, COMPETENCY_CREDIT)]


def test_the_wellbeing_check_claims_no_competencies(qtbot: QtBot,
                                                    open_window: MainWindow) -> None:
    shown: list[bool] = []

    def look(dialog: AssessmentDialog) -> None:
        shown.append(dialog.credit.isVisible())
        dialog.later_button.click()

    on_modal(AssessmentDialog, look)
    open_window.act_wellbeing.trigger()
    assert shown == [False]


def test_help_ends_with_the_credits(qtbot: QtBot, open_window: MainWindow) -> None:
    text: list[str] = []

    def read(dialog: TextDialog) -> None:
        text.append(dialog.view.toPlainText())
        dialog.reject()

    on_modal(TextDialog, read)
    QTest.keySequence(open_window, "F1")
    assert len(text) == 1
    flat = " ".join(text[0].split())
    assert "Credits" in flat
    assert COMPETENCY_CREDIT in flat and CARE7_CREDIT in flat
    assert "Three Good Things is offered" in flat
