"""My prompts and templates: added, changed and deleted by typing and clicking; in the vault."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.core.practice import custom
from journal_app.core.practice.prompts import load_library
from journal_app.core.records.model import CustomPrompt, CustomStep, CustomTemplate, Reflection
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.dialogs.myprompts import (
    PRIVACY_NOTE,
    MyPromptsDialog,
    PromptEditor,
    TemplateEditor,
)
from journal_app.ui.session import JournalSession
from journal_app.ui.writing.reflection import ReflectionWizard, TextStepEditor

from .conftest import (
    PASSPHRASE,
    WAIT_MS,
    answer_message_box,
    click,
    click_row,
    make_vault,
    on_modal,
    set_spin,
)

E = TypeVar("E", PromptEditor, TemplateEditor)

QUESTION = "What would I tell Mr Haddad's daughter now, a week later?"


@pytest.fixture
def session(folder: Path) -> Iterator[JournalSession]:
    """An unlocked session on an empty journal, without a window (fast)."""
    make_vault(folder)
    session = JournalSession(kdf=TEST_KDF)
    session.open_folder(folder)
    assert session.journal is not None
    session.journal.unlock(PASSPHRASE)
    yield session
    session.close()


@pytest.fixture
def dialog(qtbot: QtBot, session: JournalSession) -> MyPromptsDialog:
    dialog = MyPromptsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def stored(folder: Path) -> tuple[list[CustomPrompt], list[CustomTemplate]]:
    """What the vault holds, read back through a fresh Journal."""
    journal = Journal.open(folder)
    try:
        journal.unlock(PASSPHRASE)
        return custom.custom_prompts(journal), custom.custom_templates(journal)
    finally:
        journal.close()


def in_editor(kind: type[E], action: Callable[[E], None]) -> list[E]:
    """Run ``action`` in the next modal editor; a failed check closes it without asking."""

    def guarded(editor: E) -> None:
        try:
            action(editor)
        except BaseException:
            editor.reject()  # not close(): that would ask about the changes and wait
            raise

    return on_modal(kind, guarded)


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click a check box on its box, as a user would."""
    before = box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked() != before


def type_in_combo(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Type to pick an item, as a user would after a pause (a combo box's keyboard search
    adds to what was typed within the last keyboardInputInterval)."""
    qtbot.wait(QApplication.keyboardInputInterval() + 50)
    qtbot.keyClicks(combo, text)


def test_the_dialog_says_where_they_are_kept(dialog: MyPromptsDialog) -> None:
    assert dialog.privacy.text() == PRIVACY_NOTE and dialog.privacy.isVisible()
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "My prompts", "My templates"]
    assert dialog.prompts_tab.empty.isVisible() and not dialog.prompts_tab.list.isVisible()
    assert not dialog.prompts_tab.edit_button.isEnabled()


def test_add_a_prompt(qtbot: QtBot, dialog: MyPromptsDialog, folder: Path) -> None:
    changes: list[bool] = []
    dialog.changed.connect(lambda: changes.append(True))

    def write(editor: PromptEditor) -> None:
        qtbot.waitUntil(editor.text.hasFocus, timeout=WAIT_MS)
        click(qtbot, editor.save_button)  # nothing written yet
        assert editor.isVisible() and editor.error.isVisible()
        assert editor.error.text() == "The prompt must not be empty."
        qtbot.keyClicks(editor.text, QUESTION)
        qtbot.keyClicks(editor.facet, "Meaning")
        qtbot.keyClicks(editor.level, "Sub")
        tick(qtbot, editor.encounters.any)
        click(qtbot, editor.save_button)  # no encounter chosen
        assert editor.isVisible()
        assert editor.error.text().startswith("Choose at least one kind of encounter")
        tick(qtbot, editor.encounters.boxes["patient-death"])
        tick(qtbot, editor.encounters.boxes["goals-of-care"])
        click(qtbot, editor.save_button)

    seen = in_editor(PromptEditor, write)
    click(qtbot, dialog.prompts_tab.add_button)
    assert seen and seen[0].result() == QDialog.DialogCode.Accepted
    prompts, templates = stored(folder)
    assert templates == []
    assert [(p.text, p.facet, p.level, p.encounters) for p in prompts] == [
        (QUESTION, "meaning", "advanced", ("patient-death", "goals-of-care"))]
    assert changes == [True]
    tab = dialog.prompts_tab
    assert tab.list.count() == 1 and tab.list.isVisible() and not tab.empty.isVisible()
    assert tab.list.item(0).text() == QUESTION
    assert tab.current_id() == prompts[0].id and tab.edit_button.isEnabled()
    # Offered where the built-in ones are.
    assert dialog.session.journal is not None
    library = custom.library_with_custom(load_library(), dialog.session.journal)
    assert library.prompt(custom.library_id(prompts[0])).text == QUESTION


def test_add_a_template_with_steps(qtbot: QtBot, dialog: MyPromptsDialog,
                                   folder: Path) -> None:
    def build(editor: TemplateEditor) -> None:
        qtbot.waitUntil(editor.title.hasFocus, timeout=WAIT_MS)
        qtbot.keyClicks(editor.title, "After the family meeting")
        qtbot.keyClicks(editor.summary, "For talks with families at Ward 4B.")
        tick(qtbot, editor.encounters.any)
        tick(qtbot, editor.encounters.boxes["family-conflict"])
        # The first step is there already: a writing step.
        assert editor.step_list.count() == 1 and editor.kind.currentData() == "text"
        qtbot.keyClicks(editor.step_title, "What was said")
        qtbot.keyClicks(editor.step_prompt, "What did the family ask for?")
        qtbot.keyClicks(editor.hint, "Leave out names.")
        # A scale.
        click(qtbot, editor.add_step_button)
        assert editor.step_title.hasFocus()
        type_in_combo(qtbot, editor.kind, "S")
        assert editor.kind.currentData() == "scale" and editor.low_label.isVisible()
        qtbot.keyClicks(editor.step_title, "How heard")
        qtbot.keyClicks(editor.step_prompt, "How heard did they seem?")
        set_spin(qtbot, editor.scale_min, "1")
        set_spin(qtbot, editor.scale_max, "5")
        qtbot.keyClicks(editor.low_label, "Not at all")
        qtbot.keyClicks(editor.high_label, "Fully")
        # Feelings, then moved above the scale.
        click(qtbot, editor.add_step_button)
        type_in_combo(qtbot, editor.kind, "F")
        assert editor.kind.currentData() == "emotions" and not editor.low_label.isVisible()
        qtbot.keyClicks(editor.step_title, "Feelings")
        qtbot.keyClicks(editor.step_prompt, "What did you feel in the room?")
        click(qtbot, editor.up_button)
        assert editor.step_list.currentRow() == 1
        assert editor.step_list.item(1).text() == "2. Feelings — Feelings"
        # One step too many (added after the one selected), removed again.
        click(qtbot, editor.add_step_button)
        assert editor.step_list.count() == 4 and editor.step_list.currentRow() == 2
        click_row(qtbot, editor.step_list, 0)
        click(qtbot, editor.save_button)  # its title and question are empty
        assert editor.isVisible()
        assert editor.error.text() == "Step 3: a step's title must not be empty."
        assert editor.step_list.currentRow() == 2  # shown, to fix it
        click(qtbot, editor.remove_step_button)
        assert editor.step_list.count() == 3
        click(qtbot, editor.save_button)

    seen = in_editor(TemplateEditor, build)
    click(qtbot, dialog.templates_tab.add_button)
    assert seen and seen[0].result() == QDialog.DialogCode.Accepted
    assert dialog.tabs.currentWidget() is dialog.templates_tab
    prompts, templates = stored(folder)
    assert prompts == [] and len(templates) == 1
    template = templates[0]
    assert (template.title, template.summary, template.encounters) == (
        "After the family meeting", "For talks with families at Ward 4B.", ("family-conflict",))
    assert [(s.kind, s.title) for s in template.steps] == [
        ("text", "What was said"), ("emotions", "Feelings"), ("scale", "How heard")]
    assert template.steps[0].hint == "Leave out names."
    scale = template.steps[2]
    assert (scale.min, scale.max, scale.low_label, scale.high_label) == (1, 5, "Not at all",
                                                                          "Fully")
    assert dialog.templates_tab.list.item(0).text() == "After the family meeting"


def test_a_custom_template_runs_in_the_reflection_wizard(qtbot: QtBot,
                                                         session: JournalSession) -> None:
    journal = session.journal
    assert journal is not None
    record = custom.save_custom(journal, CustomTemplate(title="Mine", steps=[
        CustomStep(kind=kind, title=f"Step {kind}", prompt=f"Question {kind}?")
        for kind in ("text", "emotions", "scale", "coping", "plan")
    ]))
    template = custom.library_with_custom(load_library(), journal).templates[
        custom.library_id(record)]
    wizard = ReflectionWizard(session, template)
    qtbot.addWidget(wizard, before_close_func=lambda w: w.hide())
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=WAIT_MS)
    first = wizard.current_editor()
    assert isinstance(first, TextStepEditor)
    qtbot.keyClicks(first.edit, "It was a long night.")
    titles = []
    while not wizard.on_finish_page():
        titles.append(wizard.step_title.text())
        click(qtbot, wizard.next_button)
    assert titles == [f"Step {k}" for k in ("text", "emotions", "scale", "coping", "plan")]
    click(qtbot, wizard.next_button)  # Finish
    qtbot.waitUntil(lambda: not wizard.isVisible())  # stored in the worker, then closes
    assert wizard.reflection is not None
    saved = journal.records(Reflection)
    assert [r.template_id for r in saved] == [custom.library_id(record)]
    assert "It was a long night." in saved[0].body


def test_edit_and_delete(qtbot: QtBot, session: JournalSession, folder: Path) -> None:
    journal = session.journal
    assert journal is not None
    first = custom.save_custom(journal, CustomPrompt(text="First question?", facet="stress",
                                                     level="early"))
    second = custom.save_custom(journal, CustomPrompt(text="Second question?",
                                                      facet="coping", level="early"))
    template = custom.save_custom(journal, CustomTemplate(title="Old title", steps=[
        CustomStep(kind="text", title="One", prompt="Q1?"),
        CustomStep(kind="plan", title="Two", prompt="Q2?"),
    ]))
    dialog = MyPromptsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tab = dialog.prompts_tab
    assert [tab.list.item(i).text() for i in range(tab.list.count())] == [
        "First question?", "Second question?"]

    # Edit the second prompt: same record, new text.
    click_row(qtbot, tab.list, 1)

    def rewrite(editor: PromptEditor) -> None:
        assert editor.text.toPlainText() == "Second question?"
        assert editor.facet.currentData() == "coping"
        editor.text.selectAll()
        qtbot.keyClicks(editor.text, "A kinder second question?")
        click(qtbot, editor.save_button)

    seen = in_editor(PromptEditor, rewrite)
    click(qtbot, tab.edit_button)
    assert seen
    prompts, _templates = stored(folder)
    assert [(p.id, p.text) for p in prompts] == [
        (first.id, "First question?"), (second.id, "A kinder second question?")]
    assert tab.current_id() == second.id

    # Delete the first one: "No" keeps it, "Yes" removes it from the vault.
    click_row(qtbot, tab.list, 0)
    answered = answer_message_box(QMessageBox.StandardButton.No)
    click(qtbot, tab.delete_button)
    assert answered and len(stored(folder)[0]) == 2
    answered = answer_message_box(QMessageBox.StandardButton.Yes)
    click(qtbot, tab.delete_button)
    qtbot.waitUntil(lambda: tab.list.count() == 1)  # deleted in the worker
    assert answered
    assert [p.id for p in stored(folder)[0]] == [second.id]
    assert tab.list.count() == 1

    # The template: rename it and reorder its steps, then delete it.
    dialog.tabs.setCurrentWidget(dialog.templates_tab)
    ttab = dialog.templates_tab
    click_row(qtbot, ttab.list, 0)

    def change(editor: TemplateEditor) -> None:
        assert editor.title.text() == "Old title" and editor.step_list.count() == 2
        editor.title.selectAll()
        qtbot.keyClicks(editor.title, "New title")
        click_row(qtbot, editor.step_list, 1)
        assert editor.step_title.text() == "Two"
        click(qtbot, editor.up_button)
        click(qtbot, editor.save_button)

    seen_t = in_editor(TemplateEditor, change)
    click(qtbot, ttab.edit_button)
    assert seen_t
    (saved,) = stored(folder)[1]
    assert saved.id == template.id and saved.title == "New title"
    assert [s.title for s in saved.steps] == ["Two", "One"]
    assert [s.id for s in saved.steps] == [template.steps[1].id, template.steps[0].id]

    answered = answer_message_box(QMessageBox.StandardButton.Yes)
    click(qtbot, ttab.delete_button)
    qtbot.waitUntil(ttab.empty.isVisible)  # deleted in the worker
    assert answered and stored(folder)[1] == []
    assert ttab.empty.isVisible() and not ttab.delete_button.isEnabled()


def test_cancelling_changes_asks_first(qtbot: QtBot, dialog: MyPromptsDialog,
                                       folder: Path) -> None:
    def type_then_cancel(editor: PromptEditor) -> None:
        qtbot.keyClicks(editor.text, "Half a thought")
        kept = answer_message_box(QMessageBox.StandardButton.Cancel)
        click(qtbot, editor.cancel_button)
        assert kept and editor.isVisible()
        discarded = answer_message_box(QMessageBox.StandardButton.Discard)
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        assert discarded and not editor.isVisible()

    seen = in_editor(PromptEditor, type_then_cancel)
    click(qtbot, dialog.prompts_tab.add_button)
    assert seen and seen[0].result() == QDialog.DialogCode.Rejected
    assert stored(folder) == ([], [])

    def untouched(editor: TemplateEditor) -> None:
        click(qtbot, editor.cancel_button)  # nothing changed: no question
        assert not editor.isVisible()

    seen_t = in_editor(TemplateEditor, untouched)
    click(qtbot, dialog.templates_tab.add_button)
    assert seen_t and seen_t[0].result() == QDialog.DialogCode.Rejected


def test_a_failed_save_keeps_the_editor_open(qtbot: QtBot, dialog: MyPromptsDialog,
                                             session: JournalSession, folder: Path) -> None:
    def save_while_locked(editor: PromptEditor) -> None:
        qtbot.keyClicks(editor.text, "Will this be kept?")
        assert session.journal is not None
        session.journal.lock()
        click(qtbot, editor.save_button)
        qtbot.waitUntil(editor.error.isVisible)  # the worker's refusal, as one sentence
        assert editor.isVisible()
        assert editor.error.text().startswith("Not saved: The journal is locked")
        assert editor.text.toPlainText() == "Will this be kept?"
        editor.reject()  # as locking the window does: no question

    seen = in_editor(PromptEditor, save_while_locked)
    click(qtbot, dialog.prompts_tab.add_button)
    assert seen and seen[0].result() == QDialog.DialogCode.Rejected
    assert stored(folder) == ([], [])
