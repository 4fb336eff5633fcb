"""The periodic self-assessments in the app: offered on the home panel when due, filled in by
clicking, stored encrypted, set aside with "Not now", and their settings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Entry, SelfAssessment
from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.practice.assessment import AssessmentDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import click, make_vault, on_modal, set_spin, unlock, writes_done


def _old_entry(days: int) -> Entry:
    when = datetime.now().astimezone() - timedelta(days=days)
    return Entry(created=when, updated=when, title="First week", body="Settling in.")


def _window(qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow],
            days_in_use: int) -> MainWindow:
    make_vault(folder, [_old_entry(days_in_use)])
    window = make_window(folder)
    unlock(qtbot, window)
    return window


def test_a_new_journal_is_not_greeted_by_a_questionnaire(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = _window(qtbot, folder, make_window, days_in_use=2)
    assert not window.journal_page.assessment_card.isVisible()


def test_offered_when_due_filled_in_by_clicking_then_the_wellbeing_check(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = _window(qtbot, folder, make_window, days_in_use=10)
    page = window.journal_page
    assert page.assessment_card.isVisible()
    assert "rotation self-assessment" in page.assessment_text.text()
    rotation = f"canary-rotation-{uuid.uuid4().hex}"
    note = f"canary-note-{uuid.uuid4().hex}"

    def fill(dialog: AssessmentDialog) -> None:
        assert dialog.windowTitle() == "Rotation self-assessment"
        assert not dialog.save_button.isEnabled()  # nothing rated yet
        assert dialog.later_button.text() == "Not now"
        click(qtbot, dialog.rows[0].buttons[2])  # Developing
        assert dialog.rows[0].readout.text().startswith("Developing:")
        click(qtbot, dialog.rows[3].buttons[3])  # Capable
        click(qtbot, dialog.rows[4].buttons[0])
        click(qtbot, dialog.rows[4].buttons[0])  # clicking the chosen one again clears it
        assert dialog.rows[4].value() is None
        assert dialog.save_button.isEnabled()
        qtbot.keyClicks(dialog.rotation, rotation)
        qtbot.keyClicks(dialog.note, note)
        assert "not a grade" in dialog.disclaimer.text()
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    seen = on_modal(AssessmentDialog, fill)
    click(qtbot, page.assessment_start_button)
    assert seen and seen[0].result() == AssessmentDialog.DialogCode.Accepted
    journal = window.session.journal
    assert journal is not None
    (saved,) = journal.records(SelfAssessment)
    assert saved.form == "competency"
    assert saved.ratings == {"understanding": 3, "own-emotions": 4}
    assert (saved.rotation, saved.note) == (rotation, note)
    assert window.message_bar.isVisible() and "Trends" in window.message_bar.text.text()
    # The competency form is done for this rotation; the monthly check is next.
    assert page.assessment_card.isVisible()
    assert "wellbeing check" in page.assessment_text.text()
    # Stored encrypted: neither canary is anywhere in the data folder.
    journal.close()
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert rotation.encode() not in data and note.encode() not in data, path


def test_not_now_sets_it_aside_for_a_week(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = _window(qtbot, folder, make_window, days_in_use=10)
    page = window.journal_page
    click(qtbot, page.assessment_later_button)
    writes_done(qtbot, window.session)
    # The competency form waits a week; the wellbeing check is offered instead.
    assert "wellbeing check" in page.assessment_text.text()

    def later(dialog: AssessmentDialog) -> None:
        assert dialog.windowTitle() == "Monthly wellbeing check"
        assert len(dialog.rows) == 4
        anchors = {label.text() for label in dialog.rows[0].findChildren(QLabel)}
        assert {"1  Hardly ever", "Almost every day  5"} <= anchors
        click(qtbot, dialog.later_button)

    seen = on_modal(AssessmentDialog, later)
    click(qtbot, page.assessment_start_button)
    assert seen
    writes_done(qtbot, window.session)  # set aside in the worker
    assert not page.assessment_card.isVisible()
    journal = window.session.journal
    assert journal is not None
    week = (date.today() + timedelta(days=7)).isoformat()
    assert journal.app_state().assessment_set_aside == {"competency": week, "wellbeing": week}
    assert journal.records(SelfAssessment) == []


def test_from_the_trends_menu_any_time(qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window

    def rate(dialog: AssessmentDialog) -> None:
        assert dialog.later_button.text() == "Cancel"
        for row, value in zip(dialog.rows, (2, 3, 4, 5), strict=True):
            click(qtbot, row.buttons[value - 1])
        assert dialog.rows[0].readout.text() == "2 of 5 (hardly ever)"
        assert dialog.rows[3].readout.text() == "5 of 5 (plenty of people)"
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    seen = on_modal(AssessmentDialog, rate)
    window.act_wellbeing.trigger()
    assert seen
    journal = window.session.journal
    assert journal is not None
    (saved,) = journal.records(SelfAssessment)
    assert saved.ratings == {"exhaustion": 2, "detachment": 3, "meaning": 4, "support": 5}


def test_settings_rotation_length_and_turning_the_wellbeing_check_off(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = _window(qtbot, folder, make_window, days_in_use=10)
    page = window.journal_page
    journal = window.session.journal
    assert journal is not None
    journal.add_record(SelfAssessment(form="competency", ratings={"understanding": 2}))
    page.update_assessment()
    assert "wellbeing" in page.assessment_text.text()

    def change(dialog: SettingsDialog) -> None:
        assert dialog.rotation_weeks.value() == 4  # the form's 28 days
        set_spin(qtbot, dialog.rotation_weeks, "6")
        dialog.wellbeing_check.click()
        dialog.accept()

    seen = on_modal(SettingsDialog, change)
    window.act_settings.trigger()
    assert seen
    writes_done(qtbot, window.session)
    state = journal.app_state()
    assert state.rotation_days == 42
    assert state.wellbeing_check is False
    assert not page.assessment_card.isVisible()


def test_the_dialog_closes_on_lock(qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    dialog = AssessmentDialog(window.session, "competency", parent=window)
    dialog.show()
    window.lock_now()
    assert not dialog.isVisible()
    assert dialog.result() == AssessmentDialog.DialogCode.Rejected
