"""The new templates are found in Reflect...: themed ones say their theme in the picker."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from journal_app.core.practice.prompts import load_library
from journal_app.core.vocabulary import THEME_LABELS
from journal_app.ui.practice.picker import ReflectionPicker
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import ReflectionWizard

from .conftest import on_modal


def test_the_picker_lists_the_new_templates_with_their_themes(qtbot: Any,
                                                              open_window: MainWindow) -> None:
    library = load_library()
    grief = library.templates["own-grief"]
    grief_label = f"{grief.title} ({THEME_LABELS['grief'].lower()})"
    offered: list[list[str]] = []

    def pick(picker: ReflectionPicker) -> None:
        offered.append(picker.shown())
        qtbot.keyClicks(picker.query, "grief you")
        assert picker.shown() == [grief_label]
        qtbot.keyClick(picker.query, Qt.Key.Key_Return)

    opened: list[ReflectionWizard] = []

    def look(wizard: ReflectionWizard) -> None:
        opened.append(wizard)
        assert wizard.step_title.text() == "Who or what are you grieving?"
        assert wizard.hint.text() == "You can skip any question; you do not need to describe it."
        wizard.reject()

    on_modal(ReflectionPicker, pick)
    on_modal(ReflectionWizard, look, tries=600)
    open_window.choose_reflection()
    (items,) = offered
    assert grief_label in items
    assert library.templates["prognostic-uncertainty"].title in items
    assert library.templates["goals-of-care"].title in items
    debrief = library.templates["team-debrief"]
    assert f"{debrief.title} ({THEME_LABELS['team-debrief'].lower()})" in items
    assert [w.template.id for w in opened] == ["own-grief"]
