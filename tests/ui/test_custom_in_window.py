"""The user's own templates are offered by Reflect... like the built-in ones."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from journal_app.core.records.model import CustomStep, CustomTemplate
from journal_app.ui.practice.picker import ReflectionPicker
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import ReflectionWizard

from .conftest import on_modal


def test_reflect_offers_and_runs_a_template_of_mine(qtbot: Any,
                                                     open_window: MainWindow) -> None:
    window = open_window
    assert window.session.journal is not None
    window.session.journal.add_record(CustomTemplate(
        title="Debrief with Dr Okafor", summary="My own after-shift questions.",
        encounters=["any"],
        steps=[CustomStep(kind="text", title="What stayed with me?", prompt="Write it down.")],
    ))
    offered: list[list[str]] = []

    def choose(picker: ReflectionPicker) -> None:
        offered.append(picker.shown())
        qtbot.keyClicks(picker.query, "okafor")  # type to find
        assert picker.shown() == ["Debrief with Dr Okafor (yours)"]
        qtbot.keyClick(picker.query, Qt.Key.Key_Return)

    on_modal(ReflectionPicker, choose)
    seen: list[str] = []
    on_modal(ReflectionWizard, lambda w: (seen.append(w.template.title), w.reject()), tries=600)
    window.choose_reflection()
    assert "Debrief with Dr Okafor (yours)" in offered[0]
    assert "Gibbs' reflective cycle" in offered[0]
    assert seen == ["Debrief with Dr Okafor"]
