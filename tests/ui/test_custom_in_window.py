"""The user's own templates are offered by Reflect... like the built-in ones."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog

from journal_app.core.records.model import CustomStep, CustomTemplate
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import ReflectionWizard

from .conftest import on_modal


def test_reflect_offers_and_runs_a_template_of_mine(qtbot: Any, open_window: MainWindow,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    assert window.session.journal is not None
    window.session.journal.add_record(CustomTemplate(
        title="Debrief with Dr Okafor", summary="My own after-shift questions.",
        encounters=["any"],
        steps=[CustomStep(kind="text", title="What stayed with me?", prompt="Write it down.")],
    ))
    offered: list[list[str]] = []

    def choose(*args: Any, **kwargs: Any) -> tuple[str, bool]:
        items = list(args[3])
        offered.append(items)
        return "Debrief with Dr Okafor (yours)", True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    seen: list[str] = []
    on_modal(ReflectionWizard, lambda w: (seen.append(w.template.title), w.reject()), tries=600)
    window.choose_reflection()
    assert "Debrief with Dr Okafor (yours)" in offered[0]
    assert "Gibbs' reflective cycle" in offered[0]
    assert seen == ["Debrief with Dr Okafor"]
