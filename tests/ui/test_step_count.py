""""Step 7 of 7" is really the last step: the count includes the finishing page, and the page
that says "Step N of N" is the one whose button finishes (issue 17, item 1)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from journal_app.core.practice.prompts import TEMPLATE_IDS
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import TextStepEditor

from .conftest import click
from .test_reflection import open_wizard, reflections

COUNT = re.compile(r"^Step (\d+) of (\d+)$")


@pytest.mark.parametrize("template_id", ["error-uncertainty", "three-good-things"])
def test_the_last_step_counted_is_the_one_that_finishes(qtbot: Any, open_window: MainWindow,
                                                         template_id: str) -> None:
    wizard = open_wizard(qtbot, open_window, template_id)
    seen: list[tuple[int, int]] = []
    while True:
        match = COUNT.match(wizard.counter.text())
        assert match, f"no step count on page {wizard.current_index() + 1}"
        number, total = int(match[1]), int(match[2])
        seen.append((number, total))
        editor = wizard.current_editor()
        if isinstance(editor, TextStepEditor):
            qtbot.keyClicks(editor.edit, "The night round.")
        if number == total:
            break
        assert wizard.next_button.text() in ("Next", "Continue")
        click(qtbot, wizard.next_button)
        assert len(seen) < 20
    # Every page was counted once, in order, against one total.
    assert seen == [(n, seen[0][1]) for n in range(1, seen[0][1] + 1)]
    assert wizard.next_button.text() == "Finish"
    click(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert len(reflections(open_window)) == 1


def test_every_page_of_every_template_is_counted(qtbot: Any, open_window: MainWindow) -> None:
    for template_id in TEMPLATE_IDS:
        wizard = open_wizard(qtbot, open_window, template_id)
        total = len(wizard.template.steps) + 1  # the steps, then the finishing page
        for page in range(total):
            assert wizard.counter.text() == f"Step {page + 1} of {total}", template_id
            assert (wizard.next_button.text() == "Finish") == (page + 1 == total)
            if page + 1 < total:
                click(qtbot, wizard.next_button)  # every step can be skipped
        wizard.hide()
        wizard.done(0)
