"""The trends summary PDF is a private file from its first byte: never readable by others, even
while it is painted, and a paint that fails leaves nothing behind."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from journal_app.core.demo.entries import demo_records
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.session import JournalSession
from journal_app.ui.trends import summary_pdf
from journal_app.ui.trends.dashboard import DashboardView
from journal_app.ui.trends.summary_pdf import SummaryDialog

from .conftest import PASSPHRASE, trends_shown


@pytest.fixture
def dialog(qtbot: QtBot, folder: Path) -> Iterator[SummaryDialog]:
    journal, _ = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    journal.import_records(demo_records(60), writing_only=False)
    session = JournalSession(kdf=TEST_KDF)
    session.journal = journal
    view = DashboardView(session)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    trends_shown(qtbot, view)
    box = SummaryDialog(view, view)
    qtbot.addWidget(box)
    yield box
    session.close()


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The common default: new files readable by everyone unless the program says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_summary_is_never_readable_by_others(
        dialog: SummaryDialog, tmp_path: Path, open_umask: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "summary.pdf"
    seen: list[int | None] = []
    real = summary_pdf._render_chart

    def watching(*args: Any) -> None:  # the real chart, after looking at the file mid-paint
        seen.append(stat.S_IMODE(path.stat().st_mode) if path.exists() else None)
        real(*args)

    monkeypatch.setattr(summary_pdf, "_render_chart", watching)
    assert dialog.save_to(path)
    assert seen, "no chart was painted"
    assert all(mode is None or mode & 0o077 == 0 for mode in seen), seen
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"%PDF-")


def test_a_failed_paint_leaves_no_file(
        dialog: SummaryDialog, tmp_path: Path, open_umask: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any) -> None:
        raise OSError("the paint engine stopped")

    monkeypatch.setattr(summary_pdf, "_render_chart", broken)
    out = tmp_path / "out"
    out.mkdir()
    assert not dialog.save_to(out / "summary.pdf")
    assert dialog.error.text() == "The PDF could not be written there. Choose another folder."
    assert list(out.iterdir()) == []  # no partial PDF, no temporary file


def test_a_full_disk_leaves_no_file_either(
        dialog: SummaryDialog, tmp_path: Path, open_umask: None) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running with rights that ignore folder permissions")
        assert not dialog.save_to(folder / "summary.pdf")
        assert dialog.error.text() == "The PDF could not be written there. Choose another folder."
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)
