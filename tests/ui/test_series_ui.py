"""Three Good Things: the first starts a two-week series; the next evenings are offered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtTest import QTest

from journal_app.core.records import model
from journal_app.core.records.model import Reflection
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import ReflectionWizard

from .conftest import on_modal


def _complete(wizard: ReflectionWizard) -> None:
    while wizard.current_step() is not None:
        editor = wizard.current_editor()
        if hasattr(editor, "edit"):
            QTest.keyClicks(editor.edit, "The patient laughed at my joke.")
        wizard.next_button.click()
    wizard.next_button.click()


def test_three_good_things_runs_day_by_day(qtbot: Any, open_window: MainWindow,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    on_modal(ReflectionWizard, _complete, tries=900)
    window.start_reflection("three-good-things")
    (first,) = [e for e in window.session.entries() if isinstance(e, Reflection)]
    assert first.series_day == 1
    page = window.journal_page
    page.refresh()
    assert page.waiting_card.isHidden()  # tonight's is written
    real = model.now
    monkeypatch.setattr(model, "now", lambda: real() + timedelta(days=1))
    page.refresh()
    assert not page.waiting_card.isHidden() and "day 2 of 14" in page.waiting_text.text()
    page.waiting_drop_button.click()
    assert page.waiting_card.isHidden()  # set aside for this session
