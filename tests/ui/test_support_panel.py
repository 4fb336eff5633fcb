"""The support panel appears for a severe pattern of check-ins and not for a mild one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from journal_app.core.journal import Journal
from journal_app.core.model import CheckIn, now
from journal_app.core.vault import TEST_KDF

from .conftest import PASSPHRASE, unlock


def vault_with(folder: Path, checkins: list[CheckIn]) -> None:
    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        for checkin in checkins:
            journal.add_record(checkin)


def test_severe_week_shows_support_and_it_can_be_dismissed(qtbot: Any, folder: Path,
                                                           make_window: Any) -> None:
    t = now()
    vault_with(folder, [CheckIn(created=t - timedelta(days=d), stress=9) for d in (0, 1, 3)])
    window = make_window(folder)
    unlock(qtbot, window)
    panel = window.support_panel
    assert panel.isVisible()
    text = panel.resources.text()
    assert "checked" in text and ("988" in text or "116 123" in text or "emergency" in text)
    panel.country.setCurrentIndex(panel.country.findData("GB"))
    assert "Samaritans" in panel.resources.text()
    assert window.settings.support_country == "GB"
    panel.dismiss_button.click()
    assert not panel.isVisible()
    window.update_support()
    assert not panel.isVisible()  # dismissed for this session
    window.update_support(after_checkin=True)
    assert panel.isVisible()  # a new severe check-in brings it back


def test_a_mild_week_shows_no_panel(qtbot: Any, folder: Path, make_window: Any) -> None:
    t = now()
    vault_with(folder, [CheckIn(created=t - timedelta(days=d), stress=s, burnout=3)
                        for d, s in ((0, 9), (1, 6), (2, 4))])
    window = make_window(folder)
    unlock(qtbot, window)
    assert not window.support_panel.isVisible()


def test_own_support_contacts_are_added_encrypted_and_listed_first(
    qtbot: Any, folder: Path, make_window: Any, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from journal_app.core.model import SupportContact

    t = now()
    vault_with(folder, [CheckIn(created=t, burnout=5)])
    window = make_window(folder)
    unlock(qtbot, window)
    answers = iter([("Student wellbeing office", True), ("Room 2.14, open 9-5", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    window.support_panel.add_button.click()
    text = window.support_panel.resources.text()
    assert text.index("Student wellbeing office") < text.index("988")
    assert "added by you" in text
    (contact,) = window.session.journal.records(SupportContact)
    assert contact.contact == "Room 2.14, open 9-5"
    window.lock_now()
    assert "Student wellbeing office" not in window.support_panel.resources.text()
    raw = b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())
    assert b"wellbeing office" not in raw and "wellbeing office".encode("utf-16-le") not in raw
