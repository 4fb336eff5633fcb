"""Reflect… (Ctrl+R): each template with when it helps, today's encounter first, keyboard-driven,
unfinished reflections first, older unfinished ones too (issue 17 item 1; issue 16 leftover)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from journal_app.core.practice.prompts import load_library
from journal_app.core.programme import service as programme
from journal_app.core.records.model import CheckIn, Emotion, Reflection, StepAnswer
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.practice.picker import DETAIL_ROLE, ReflectionPicker
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import EmotionsStepEditor, ReflectionWizard, TextStepEditor
from tests.helpers.programme_pack import rotations_around, write_pack

from .conftest import WAIT_MS, click, on_modal

LIBRARY = load_library()


def open_picker(qtbot: Any, window: MainWindow, action: Any) -> list[ReflectionPicker]:
    window.activateWindow()  # the window manager's part once an earlier dialog closed
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    seen = on_modal(ReflectionPicker, action)
    QTest.keySequence(window, "Ctrl+R")
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
    return seen


def test_todays_encounter_comes_first_and_each_template_says_when_it_helps(
        qtbot: Any, open_window: MainWindow) -> None:
    window = open_window
    assert window.session.journal is not None
    window.session.journal.add_record(CheckIn(encounter="code", stress=7))
    looked: list[tuple[list[str], list[str], str]] = []

    def look_then_escape(picker: ReflectionPicker) -> None:
        assert picker.focusWidget() is picker.query
        details = [str(item.data(DETAIL_ROLE)) for item in picker.items()]
        looked.append((picker.shown(), details, picker.about.text()))
        qtbot.keyClick(picker.query, Qt.Key.Key_Down)
        assert picker.list.currentRow() == 1
        qtbot.keyClick(picker.query, Qt.Key.Key_Up)
        qtbot.keyClick(picker.query, Qt.Key.Key_Escape)

    open_picker(qtbot, window, look_then_escape)
    [(titles, details, about)] = looked
    code = LIBRARY.templates["code"]
    assert titles[0] == code.title
    assert details[0] == f"Fits today's check-in (a code or resuscitation). {code.when}"
    assert about.startswith(code.summary) and about.endswith(
        f"{len(code.steps) + 1} steps, the last to give it a title.")
    for template_id in ("gibbs", "free", "own-grief"):
        assert LIBRARY.templates[template_id].when in details
    assert len(titles) == len(LIBRARY.templates)
    # Escape left without starting anything.
    assert QApplication.activeModalWidget() is None

    started: list[str] = []
    on_modal(ReflectionWizard, lambda w: (started.append(w.template.id), w.reject()), tries=600)
    open_picker(qtbot, window, lambda p: qtbot.keyClick(p.query, Qt.Key.Key_Return))
    qtbot.waitUntil(lambda: started == ["code"], timeout=WAIT_MS)


def test_typing_finds_and_nothing_found_says_so(qtbot: Any, open_window: MainWindow) -> None:
    seen: list[tuple[list[str], bool, bool]] = []

    def find(picker: ReflectionPicker) -> None:
        qtbot.keyClicks(picker.query, "tired short")  # every word, anywhere in the item
        found = picker.shown()
        qtbot.keyClicks(picker.query, " zebra")
        seen.append((found, picker.empty.isVisible(), picker.start_button.isEnabled()))
        qtbot.keyClick(picker.query, Qt.Key.Key_Return)  # nothing to start: stays open
        assert picker.isVisible() and picker.choice is None
        picker.query.clear()
        assert len(picker.shown()) == len(LIBRARY.templates)
        picker.reject()

    open_picker(qtbot, open_window, find)
    [(found, empty_shown, can_start)] = seen
    assert found == [LIBRARY.templates["what-so-what-now-what"].title]
    assert empty_shown and not can_start


def test_an_older_unfinished_reflection_is_offered_at_its_first_empty_step(
        qtbot: Any, open_window: MainWindow) -> None:
    """Kept before unfinished_step was recorded: a title ending "(unfinished)", no step."""
    window = open_window
    assert window.session.journal is not None
    kept = window.session.journal.add_record(Reflection(
        title="Gibbs' reflective cycle, 2 March (unfinished)", body="x", template_id="gibbs",
        answers=(StepAnswer("description", "text", text="The family meeting ran late."),
                 StepAnswer("feelings", "emotions", emotions=(Emotion("tired", 3),)))))
    offered: list[tuple[str, str]] = []

    def first(picker: ReflectionPicker) -> None:
        item = picker.items()[0]
        offered.append((item.text(), str(item.data(DETAIL_ROLE))))
        qtbot.keyClick(picker.query, Qt.Key.Key_Return)

    opened: list[tuple[int, str, list[Emotion]]] = []

    def look(wizard: ReflectionWizard) -> None:
        text, feelings = wizard.editors["description"], wizard.editors["feelings"]
        assert isinstance(text, TextStepEditor) and isinstance(feelings, EmotionsStepEditor)
        opened.append((wizard.current_index(), text.text(), feelings.emotions()))
        wizard.hide()
        wizard.done(0)

    on_modal(ReflectionWizard, look, tries=600)
    open_picker(qtbot, window, first)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT_MS)
    [(title, detail)] = offered
    assert title == "Continue “Gibbs' reflective cycle, 2 March”"
    third = LIBRARY.templates["gibbs"].steps[2].title
    assert detail.endswith(f"Opens at step 3: {third}.")
    assert opened == [(2, "The family meeting ran late.", [Emotion("tired", 3)])]
    assert kept.unfinished_step is None


def test_the_reflection_a_programme_asks_for_this_rotation_is_offered_first(
        qtbot: Any, open_window: MainWindow, tmp_path: Path) -> None:
    """On the home panel (marked with the programme's name) and first in the picker, while
    its rotation is current; Start opens it."""
    window = open_window
    journal = window.session.journal
    assert journal is not None
    lead = Journal.create(tmp_path / "lead", "correct horse", kdf=TEST_KDF)[0]
    try:
        programme.create(lead, "Palliative Care Clerkship")
        sharing.ensure_identity(journal, "Sam Student")
        programme.enrol(lead, [sharing.my_card(journal).to_bytes()])
        programme.pack_set(lead, write_pack(tmp_path / "pack",
                                            rotations=rotations_around(date.today())))
        programme.publish(lead, tmp_path / "programme.json")
    finally:
        lead.close()
    check = programme.check_programme(journal, (tmp_path / "programme.json").read_bytes())
    programme.take(journal, check)
    page = window.journal_page
    page.refresh()
    card = page.asked_card
    assert card.isVisible()
    assert page.asked_text.text().startswith(
        "Palliative Care Clerkship asks for “End of rotation · Palliative Care Clerkship”"
        " during this rotation")

    looked: list[tuple[list[str], list[str]]] = []

    def look_then_escape(picker: ReflectionPicker) -> None:
        looked.append((picker.shown(), [str(i.data(DETAIL_ROLE)) for i in picker.items()]))
        qtbot.keyClick(picker.query, Qt.Key.Key_Escape)

    open_picker(qtbot, window, look_then_escape)
    [(titles, details)] = looked
    assert titles[0] == "End of rotation · Palliative Care Clerkship"
    assert details[0].startswith("Asked for this rotation by Palliative Care Clerkship. ")

    started: list[str] = []
    on_modal(ReflectionWizard, lambda w: (started.append(w.template.id), w.reject()), tries=600)
    click(qtbot, page.asked_start_button)
    qtbot.waitUntil(lambda: started == ["programme-rotation-debrief"], timeout=WAIT_MS)
    # Not now: gone for this session.
    click(qtbot, page.asked_later_button)
    assert not card.isVisible()
