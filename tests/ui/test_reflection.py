"""The guided reflection: walking a template step by step, as a user clicks and types, and what
is stored at the end (one Reflection, linked to its check-in, searchable like any entry)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QRadioButton

from journal_app.core.errors import StorageError
from journal_app.core.practice.prompts import load_library
from journal_app.core.records.model import CheckIn, Emotion, Reflection
from journal_app.core.vault.journal import Journal
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import (
    CopingStepEditor,
    EmotionsStepEditor,
    PauseStepEditor,
    ReflectionWizard,
    ScaleStepEditor,
    TextStepEditor,
)

from .conftest import answer_message_box, click, list_titles, set_spin, type_text

WHAT_HAPPENED = "She died just after midnight.\nHer son held her hand the whole time."
WHO = "My registrar, tomorrow before the ward round."
PLAN = "Eat something warm tonight. Text my sister tomorrow."


def open_wizard(qtbot: Any, window: MainWindow, template_id: str,
                checkin: CheckIn | None = None) -> ReflectionWizard:
    template = load_library().templates[template_id]
    wizard = ReflectionWizard(window.session, template, checkin, parent=window)
    # Hidden before pytest-qt closes it: closing a wizard with text in it would ask first.
    qtbot.addWidget(wizard, before_close_func=lambda w: w.hide())
    wizard.show()
    wizard.activateWindow()  # as exec() would: shortcuts and focus need the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=2000)
    return wizard


def reflections(window: MainWindow) -> list[Reflection]:
    assert window.session.journal is not None
    return window.session.journal.records(Reflection)


def add_feeling(qtbot: Any, editor: EmotionsStepEditor, name: str, intensity: int) -> None:
    chips = editor.chips
    qtbot.keyClicks(chips.name.lineEdit(), name)
    set_spin(qtbot, chips.intensity, str(intensity))
    click(qtbot, chips.add_button)


def test_a_patient_death_reflection_after_a_check_in(qtbot: Any,
                                                    open_window: MainWindow) -> None:
    window = open_window
    journal = window.session.journal
    assert journal is not None
    checkin = journal.add_record(CheckIn(encounter="patient-death", stress=8))
    wizard = open_wizard(qtbot, window, "patient-death", checkin)
    template = wizard.template
    assert len(template.steps) == 8

    # 1. The silence: it counts down, but Continue works at once.
    step = wizard.current_step()
    assert step is not None and step.kind == "pause"
    assert wizard.counter.text() == "Step 1 of 9"
    assert wizard.step_title.text() == "A moment of silence"
    assert "You can skip any question; you do not need to describe it." in wizard.hint.text()
    assert wizard.credit.isVisible() and "The Pause" in wizard.credit.text()
    assert not wizard.back_button.isEnabled()
    pause = wizard.editors["pause"]
    assert isinstance(pause, PauseStepEditor)
    assert pause.timer.isActive() and pause.ring.text == "0:30"
    pause.tick()  # one second passes
    assert pause.ring.text == "0:29"
    assert wizard.next_button.text() == "Continue" and wizard.next_button.isEnabled()
    click(qtbot, wizard.next_button)
    assert not pause.timer.isActive()

    # 2. What happened: the text box has the focus; Ctrl+Return moves on.
    assert wizard.counter.text() == "Step 2 of 9"
    assert not wizard.credit.isVisible()
    assert wizard.hint.isVisible() and "identify" in wizard.hint.text()
    text = wizard.editors["what-happened"]
    assert isinstance(text, TextStepEditor)
    assert text.edit.hasFocus()
    type_text(qtbot, text.edit, WHAT_HAPPENED)
    qtbot.keyClick(text.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert text.edit.toPlainText() == WHAT_HAPPENED  # no stray line break

    # 3. Feelings.
    step = wizard.current_step()
    assert step is not None and step.id == "feelings"
    feelings = wizard.editors["feelings"]
    assert isinstance(feelings, EmotionsStepEditor)
    add_feeling(qtbot, feelings, "grief", 4)
    add_feeling(qtbot, feelings, "numb", 2)
    click(qtbot, wizard.next_button)

    # 4. What I want to remember about them: optional, left empty.
    assert wizard.step_title.text() == "What I want to remember about them"
    assert "optional" in wizard.hint.text()
    remember = wizard.editors["remember"]
    assert isinstance(remember, TextStepEditor) and remember.edit.hasFocus()
    assert wizard.next_button.isEnabled()
    click(qtbot, wizard.next_button)

    # 5. How heavy: nothing chosen until the user chooses.
    weight = wizard.editors["weight"]
    assert isinstance(weight, ScaleStepEditor)
    assert weight.value() is None and weight.chosen.text() == "Not chosen yet."
    assert sorted(weight.buttons) == list(range(11))
    click(qtbot, weight.buttons[7])
    assert weight.value() == 7 and "7 of 10" in weight.chosen.text()
    click(qtbot, wizard.next_button)

    # 6. What helped: two strategies ticked, each rated.
    coping = wizard.editors["what-helped"]
    assert isinstance(coping, CopingStepEditor)
    combo = coping.helped["talked-to-someone"]
    assert not combo.isVisible()
    click(qtbot, coping.boxes["talked-to-someone"])
    assert combo.isVisible() and combo.currentIndex() == -1
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)  # the last choice: helped a lot
    click(qtbot, coping.boxes["denial"])
    denial = coping.helped["denial"]
    denial.setFocus()
    qtbot.keyClick(denial, Qt.Key.Key_Down)  # made it worse
    qtbot.keyClick(denial, Qt.Key.Key_Down)  # made it a little worse
    click(qtbot, wizard.next_button)

    # 7. Who to talk to; 8. the plan, with its own placeholder.
    who = wizard.editors["who-to-talk-to"]
    assert isinstance(who, TextStepEditor)
    qtbot.keyClicks(who.edit, WHO)
    click(qtbot, wizard.next_button)
    plan = wizard.editors["plan"]
    assert isinstance(plan, TextStepEditor)
    assert plan.edit.placeholderText() == "One small thing I will do…"
    assert wizard.next_button.text() == "Next"
    qtbot.keyClicks(plan.edit, PLAN)
    click(qtbot, wizard.next_button)

    # The end, right after a death: a title, and no depth rating (the follow-up offers it).
    assert wizard.current_step() is None
    assert wizard.next_button.text() == "Finish" and not wizard.skip_button.isVisible()
    assert wizard.title_edit.text().startswith("After a patient's death, ")
    assert wizard.depth_buttons == {}
    assert not [r for r in wizard.findChildren(QRadioButton) if r.isVisible()]
    assert wizard.finish_page.later_note.isVisible()
    assert "follow-up" in wizard.finish_page.later_note.text()
    wizard.title_edit.selectAll()
    qtbot.keyClicks(wizard.title_edit, "The night Mrs K died")
    with qtbot.waitSignal(window.session.entriesChanged, timeout=1000):
        click(qtbot, wizard.next_button)

    assert wizard.result() == QDialog.DialogCode.Accepted
    stored = reflections(window)
    assert len(stored) == 1
    reflection = stored[0]
    assert wizard.reflection is not None and wizard.reflection.id == reflection.id
    assert reflection.title == "The night Mrs K died"
    assert reflection.checkin_id == checkin.id
    assert reflection.template_id == "patient-death"
    assert reflection.depth is None
    assert reflection.encounter == "patient-death"
    assert reflection.prompt_ids == () and reflection.stress == 8  # the check-in's
    assert reflection.emotions == (Emotion("grief", 4), Emotion("numb", 2))
    answers = {a.step_id: a for a in reflection.answers}
    assert list(answers) == [s.id for s in template.steps if s.kind != "pause"]
    assert answers["what-happened"].text == WHAT_HAPPENED
    assert answers["remember"].text == ""  # skipped
    assert answers["feelings"].emotions == (Emotion("grief", 4), Emotion("numb", 2))
    assert answers["weight"].value == 7
    assert [(c.strategy, c.helped) for c in answers["what-helped"].coping] == [
        ("talked-to-someone", 2), ("denial", -1)]
    assert answers["plan"].kind == "plan" and answers["plan"].text == PLAN

    body = reflection.body
    for step in template.steps:
        assert (f"## {step.title}" in body) == (step.kind != "pause" and step.id != "remember")
    for typed in (WHAT_HAPPENED, WHO, PLAN):
        assert typed in body
    assert "grief 4/5, numb 2/5" in body
    assert "7 / 10" in body
    assert "- Talked it through with someone I trust: helped a lot (+2)" in body
    assert "- Pushed it down and told myself it was fine: made it a little worse (-1)" in body
    assert "silence" not in body

    assert reflection.id in [e.id for e in journal.entries()]
    assert [e.id for _hit, e in journal.search("midnight")] == [reflection.id]
    assert "The night Mrs K died" in list_titles(window)  # the list refreshed


def test_back_keeps_every_answer(qtbot: Any, open_window: MainWindow) -> None:
    wizard = open_wizard(qtbot, open_window, "patient-death")
    click(qtbot, wizard.next_button)
    text = wizard.editors["what-happened"]
    assert isinstance(text, TextStepEditor)
    qtbot.keyClicks(text.edit, "A quiet death.")
    click(qtbot, wizard.next_button)
    feelings = wizard.editors["feelings"]
    assert isinstance(feelings, EmotionsStepEditor)
    add_feeling(qtbot, feelings, "sad", 3)
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)  # what I want to remember: optional, skipped
    weight = wizard.editors["weight"]
    assert isinstance(weight, ScaleStepEditor)
    click(qtbot, weight.buttons[4])

    for _ in range(4):
        click(qtbot, wizard.back_button)
    assert wizard.current_index() == 0
    for _ in range(4):
        click(qtbot, wizard.next_button)
    assert wizard.current_step() is weight.step
    assert weight.value() == 4
    assert feelings.emotions() == [Emotion("sad", 3)]
    assert text.edit.toPlainText() == "A quiet death."
    click(qtbot, weight.clear_button)
    assert weight.value() is None


def test_cancelling_after_writing_asks_then_discards(qtbot: Any,
                                                     open_window: MainWindow) -> None:
    wizard = open_wizard(qtbot, open_window, "free")
    text = wizard.editors["writing"]
    assert isinstance(text, TextStepEditor)
    qtbot.keyClicks(text.edit, "Not ready to keep this.")

    asked = answer_message_box(QMessageBox.StandardButton.Cancel)  # "Keep writing"
    click(qtbot, wizard.cancel_button)
    assert asked and asked[0].text() == "Discard this reflection?"
    assert wizard.isVisible() and text.edit.toPlainText() == "Not ready to keep this."

    asked = answer_message_box(QMessageBox.StandardButton.Discard)
    qtbot.keyClick(text.edit, Qt.Key.Key_Escape)
    assert asked
    assert not wizard.isVisible()
    assert wizard.result() == QDialog.DialogCode.Rejected
    assert wizard.reflection is None
    assert reflections(open_window) == []


def test_closing_the_window_asks_too(qtbot: Any, open_window: MainWindow) -> None:
    wizard = open_wizard(qtbot, open_window, "free")
    text = wizard.editors["writing"]
    assert isinstance(text, TextStepEditor)
    qtbot.keyClicks(text.edit, "Half a thought")
    asked = answer_message_box(QMessageBox.StandardButton.Cancel)
    assert wizard.close() is False
    assert asked and wizard.isVisible()


def test_locking_keeps_the_writing_as_an_unfinished_reflection(
        qtbot: Any, open_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """The auto-lock closes the wizard without asking (nobody may be there to answer) and
    keeps what was written."""
    def never(*_args: object) -> int:
        raise AssertionError("locking must not wait for an answer")

    monkeypatch.setattr(QMessageBox, "exec", never)
    window = open_window
    wizard = open_wizard(qtbot, window, "free")
    text = wizard.editors["writing"]
    assert isinstance(text, TextStepEditor)
    qtbot.keyClicks(text.edit, "Written before I stepped away")
    window.lock_now()
    assert not wizard.isVisible()
    assert wizard.result() == QDialog.DialogCode.Rejected and wizard.reflection is None
    qtbot.waitUntil(lambda: wizard.unfinished is not None)  # stored in the worker, then kept
    assert wizard.unfinished.title.endswith("(unfinished)")
    assert window.stack.currentWidget() is window.lock_page
    assert not window.session.is_unlocked


def test_cancelling_before_writing_does_not_ask(qtbot: Any, open_window: MainWindow,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_args: object) -> int:
        raise AssertionError("nothing was written: there is nothing to ask about")

    monkeypatch.setattr(QMessageBox, "exec", never)
    wizard = open_wizard(qtbot, open_window, "patient-death")
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.cancel_button)
    assert not wizard.isVisible()
    assert reflections(open_window) == []


def test_three_good_things(qtbot: Any, open_window: MainWindow) -> None:
    wizard = open_wizard(qtbot, open_window, "three-good-things")
    assert wizard.credit.isVisible() and "Sexton" in wizard.credit.text()
    things = ["The tea on the ward.", "A patient laughed at my joke.", "I slept well."]
    for number, thing in enumerate(things, start=1):
        assert wizard.counter.text() == f"Step {number} of 4"
        editor = wizard.current_editor()
        assert isinstance(editor, TextStepEditor) and editor.edit.hasFocus()
        qtbot.keyClicks(editor.edit, thing)
        QTest.keySequence(wizard, "Ctrl+Return")
    assert wizard.current_step() is None
    assert wizard.depth_buttons == {} and not wizard.skip_button.isVisible()
    click(qtbot, wizard.next_button)  # no rating right after Three Good Things
    qtbot.waitUntil(lambda: not wizard.isVisible())  # stored in the worker, then closes

    (reflection,) = reflections(open_window)
    assert reflection.template_id == "three-good-things"
    assert reflection.depth is None and reflection.checkin_id is None
    assert [a.text for a in reflection.answers] == things
    assert reflection.body.startswith("## Good thing 1\n\nThe tea on the ward.\n\n## Good thing 2")
    assert reflection.title.startswith("Three good things, ")


def test_free_writing_keeps_a_feeling_typed_but_not_added(qtbot: Any,
                                                          open_window: MainWindow) -> None:
    wizard = open_wizard(qtbot, open_window, "free")
    assert not wizard.credit.isVisible()  # free writing credits no one
    text = wizard.editors["writing"]
    assert isinstance(text, TextStepEditor)
    qtbot.keyClicks(text.edit, "Long day, kind team.")
    click(qtbot, wizard.next_button)
    feelings = wizard.editors["feelings"]
    assert isinstance(feelings, EmotionsStepEditor)
    qtbot.keyClicks(feelings.chips.name.lineEdit(), "drained")  # no Add pressed
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)  # Finish
    qtbot.waitUntil(lambda: not wizard.isVisible())  # stored in the worker, then closes
    (reflection,) = reflections(open_window)
    assert reflection.emotions == (Emotion("drained", 3),)
    assert reflection.body == "## Write\n\nLong day, kind team.\n\n## What are you feeling?\n\n" \
                              "drained 3/5\n"


def test_a_failed_save_keeps_everything(qtbot: Any, open_window: MainWindow,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    real_add = Journal.add_record

    def disk_full(self: Journal, record: object) -> object:
        raise StorageError()

    monkeypatch.setattr(Journal, "add_record", disk_full)
    wizard = open_wizard(qtbot, open_window, "free")
    text = wizard.editors["writing"]
    assert isinstance(text, TextStepEditor)
    qtbot.keyClicks(text.edit, "These words must survive.")
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)  # Finish: the disk is full
    qtbot.waitUntil(wizard.error.isVisible)  # the worker's refusal, as one sentence
    assert wizard.isVisible() and wizard.reflection is None
    assert wizard.error.isVisible() and "disk may be full" in wizard.error.text()
    assert text.edit.toPlainText() == "These words must survive."

    monkeypatch.setattr(Journal, "add_record", real_add)
    click(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: not wizard.isVisible())  # stored in the worker, then closes
    (reflection,) = reflections(open_window)
    assert "These words must survive." in reflection.body


def test_finishing_with_nothing_written_stores_nothing(qtbot: Any,
                                                       open_window: MainWindow) -> None:
    wizard = open_wizard(qtbot, open_window, "three-good-things")
    for _ in range(4):
        click(qtbot, wizard.next_button)
    assert wizard.isVisible() and "Nothing is written yet" in wizard.error.text()
    assert reflections(open_window) == []


def test_the_silence_ends_gently(qtbot: Any, open_window: MainWindow) -> None:
    wizard = open_wizard(qtbot, open_window, "patient-death")
    pause = wizard.editors["pause"]
    assert isinstance(pause, PauseStepEditor)
    for _ in range(30):
        pause.tick()
    assert pause.ring.text == "0:00" and not pause.timer.isActive()
    assert pause.note.text() == "Stay as long as you like."
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.back_button)  # coming back starts the silence again
    assert pause.ring.text == "0:30" and pause.timer.isActive()


def test_a_goals_of_care_reflection_ends_with_the_depth_rating(qtbot: Any,
                                                               open_window: MainWindow) -> None:
    checkin = open_window.session.journal.add_record(  # type: ignore[union-attr]
        CheckIn(encounter="goals-of-care", stress=5))
    template = load_library().template_for("goals-of-care")
    assert template.id == "goals-of-care" and template.rate_depth
    wizard = open_wizard(qtbot, open_window, template.id, checkin)
    assert wizard.step_title.text() == "What was the conversation?"
    qtbot.keyClicks(wizard.editors["what-happened"].edit,  # type: ignore[attr-defined]
                    "A family meeting about stopping dialysis.")
    click(qtbot, wizard.next_button)
    assert wizard.step_title.text() == "What matters to them?"
    qtbot.keyClicks(wizard.editors["what-matters"].edit,  # type: ignore[attr-defined]
                    "Being home for his granddaughter's birthday.")
    while wizard.current_step() is not None:
        click(qtbot, wizard.next_button)
    assert len(wizard.depth_buttons) == 4 and wizard.skip_button.isVisible()
    assert not wizard.finish_page.later_note.isVisible()
    click(qtbot, wizard.depth_buttons["reflection"])
    click(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: not wizard.isVisible())  # stored in the worker, then closes
    (reflection,) = reflections(open_window)
    assert reflection.template_id == "goals-of-care" and reflection.depth == "reflection"
    assert {a.step_id: a.text for a in reflection.answers}["what-matters"] == \
        "Being home for his granddaughter's birthday."
