"""Sharing ▸ Attestations… (issue 24): the mentor demo's signed attestations are listed; a file
is checked (valid, or altered: one sentence); nothing changes on a refused file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal_app.core.demo.mentor import mentor_demo_records
from journal_app.core.records.model import AttestationRecord
from journal_app.ui.sharing.attestations_dialog import AttestationsDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import PASSPHRASE, make_vault, unlock
from .sharing_steps import journal_of

WAIT_MS = 10_000


def test_the_demo_mentors_attestations_and_checking_a_file(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from journal_app.core.vault.journal import Journal

    make_vault(tmp_path / "mentor")
    journal = Journal.open(tmp_path / "mentor")
    journal.unlock(PASSPHRASE)
    try:
        journal.import_records(mentor_demo_records(), writing_only=False)
    finally:
        journal.close()
    window = make_window(tmp_path / "mentor")
    unlock(qtbot, window)
    dialog = AttestationsDialog(window.session, window)
    qtbot.addWidget(dialog)
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(rows) == 3 and all(r.startswith("You signed: Dr. Ada Okafor reviewed")
                                  for r in rows)
    assert "programme's fingerprint" in rows[0]
    record = journal_of(window).records(AttestationRecord)[0]
    good = tmp_path / "good.json"
    good.write_text(record.file)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**json.loads(record.file), "reflections": 99}))
    chosen = [str(good)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_a, **_k: (chosen[0], "")))
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Valid"), timeout=WAIT_MS)
    chosen[0] = str(bad)
    dialog.check_button.click()
    qtbot.waitUntil(lambda: "altered or forged" in dialog.error.text(), timeout=WAIT_MS)
    before = journal_of(window).records(AttestationRecord)
    dialog.import_button.click()  # altered: refused, nothing stored
    qtbot.waitUntil(lambda: "altered or forged" in dialog.error.text(), timeout=WAIT_MS)
    assert journal_of(window).records(AttestationRecord) == before
    dialog.reject()
