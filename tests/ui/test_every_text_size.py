"""At every text size the app offers (8 to 28 pt) in a window of 800x600, the journal page
(the list, an entry open, the home panel), the editor and each step of a guided reflection never
scroll sideways (issue 17, section 3): rows stack or wrap, and the journal page goes to one pane
where two do not fit. tests/ui/fit_screens.py checks 11 and 28 pt on real small and 4K screens;
this walks every size between them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from journal_app.core.demo.entries import demo_records
from journal_app.core.practice.prompts import load_library
from journal_app.core.vault.journal import Journal
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import CopingStepEditor, ReflectionWizard

from .conftest import PASSPHRASE, WAIT_MS, make_vault, unlock
from .layout_check import sideways

SMALL = QSize(800, 600)
SIZES = range(8, 29)


def settle() -> None:
    QApplication.processEvents()
    QTest.qWait(10)


def read_sideways(window: QWidget, where: str) -> list[str]:
    settle()
    return [f"{where}: {p}" for p in sideways(window)]


@pytest.fixture
def window(qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> MainWindow:
    make_vault(folder)
    journal = Journal.open(folder)
    journal.unlock(PASSPHRASE)
    try:
        journal.import_records(demo_records(40), writing_only=False)
    finally:
        journal.close()
    window = make_window(folder)
    unlock(qtbot, window)
    return window


def sized(window: MainWindow, size: int) -> None:
    window.settings.text_size = size
    window.apply_appearance()
    settle()
    window.resize(SMALL)
    settle()


def test_the_journal_page_and_the_editor_at_every_text_size(
        qtbot: QtBot, window: MainWindow) -> None:
    page = window.journal_page
    found: list[str] = []
    modes = set()
    for size in SIZES:
        sized(window, size)
        modes.add(page.one_pane)
        page.show_list()
        found += read_sideways(window, f"{size} pt, the list")
        page.list.setCurrentIndex(page.model.index(2))
        page.list.activated.emit(page.list.currentIndex())
        qtbot.waitUntil(page.editor.isVisible, timeout=WAIT_MS)
        found += read_sideways(window, f"{size} pt, an entry")
        if page.one_pane:
            page.show_today()
            found += read_sideways(window, f"{size} pt, the home panel")
    assert found == []
    assert modes == {False, True}  # two panes at the small sizes, one at the large


def test_the_reflection_steps_at_every_text_size(qtbot: QtBot, window: MainWindow) -> None:
    template = load_library().templates["patient-death"]
    wizard = ReflectionWizard(window.session, template, parent=window)
    qtbot.addWidget(wizard)
    wizard.show()
    coping = next(e for e in wizard.editors.values() if isinstance(e, CopingStepEditor))
    next(iter(coping.boxes.values())).setChecked(True)  # it asks how much that helped
    found: list[str] = []
    for size in SIZES:  # the text size changed with the wizard open, as Settings would
        sized(window, size)
        wizard.resize(wizard.size().boundedTo(SMALL))
        for step in template.steps:
            found += read_sideways(wizard, f"{size} pt, {step.title}")
            wizard.go_next()
        found += read_sideways(wizard, f"{size} pt, the end")
        while wizard.current_index() > 0:
            wizard.go_back()
    wizard.reject()
    assert found == []
