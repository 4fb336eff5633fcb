"""Two to three days after a difficult encounter the app asks how it sits now."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from journal_app.core.records import model
from journal_app.core.records.model import CheckIn
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal

from .conftest import PASSPHRASE, WAIT_MS, unlock


@pytest.fixture
def with_code_checkin(folder: Path) -> CheckIn:
    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        return journal.add_record(CheckIn(stress=8, encounter="code"))


def advance(monkeypatch: pytest.MonkeyPatch, days: float) -> None:
    real = model.now
    monkeypatch.setattr(model, "now", lambda: real() + timedelta(days=days))


def test_the_followup_appears_three_days_later_and_can_be_written(
    qtbot: Any, folder: Path, make_window: Any, with_code_checkin: CheckIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(folder)
    unlock(qtbot, window)
    page = window.journal_page
    assert not page.followup_card.isVisible()  # the same day: not yet
    advance(monkeypatch, 3)
    page.refresh()
    assert page.followup_card.isVisible()
    assert "code" in page.followup_text.text().lower()
    assert "How does it sit with you now" in page.followup_text.text()
    qtbot.mouseClick(page.followup_write, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.editor.body, "Lighter now. Talking to the charge nurse helped.")
    QTest.keySequence(window, "Ctrl+S")
    qtbot.waitUntil(lambda: any(with_code_checkin.id in e.links
                                for e in window.session.entries()), timeout=WAIT_MS)
    page.refresh()
    assert not page.followup_card.isVisible()  # answered: no longer due


def test_not_now_sets_it_aside_for_good(qtbot: Any, folder: Path, make_window: Any,
                                        with_code_checkin: CheckIn,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    advance(monkeypatch, 2.5)
    window = make_window(folder)
    unlock(qtbot, window)
    page = window.journal_page
    assert page.followup_card.isVisible()
    qtbot.mouseClick(page.followup_later, Qt.MouseButton.LeftButton)
    assert not page.followup_card.isVisible()
    QTest.keySequence(window, "Ctrl+L")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page, timeout=WAIT_MS)
    unlock(qtbot, window)
    assert not page.followup_card.isVisible()  # remembered, encrypted, in the vault


def test_a_week_later_it_is_no_longer_offered(qtbot: Any, folder: Path, make_window: Any,
                                              with_code_checkin: CheckIn,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    advance(monkeypatch, 8)
    window = make_window(folder)
    unlock(qtbot, window)
    assert not window.journal_page.followup_card.isVisible()
