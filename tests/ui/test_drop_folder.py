"""The mentor's drop folder in the app (issue 24): chosen once, watched with watchdog while the
journal is unlocked; a package arriving in it is taken in off the UI thread, a half-copied one
only once the copy is whole, and the watching stops at lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import ReceivedExcerpt
from journal_app.core.sharing import service as sharing
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

from .conftest import make_vault, unlock
from .sharing_steps import journal_of
from .test_mentor_inbox import _share, _student

WAIT_MS = 15_000


@pytest.fixture
def drop(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "drop"
    folder.mkdir()
    yield folder
    UiSettings().drop_folder = ""


def test_packages_arrive_through_the_drop_folder(
        qtbot: QtBot, tmp_path: Path, drop: Path,
        make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    make_vault(tmp_path / "mentor")
    window = make_window(tmp_path / "mentor")
    unlock(qtbot, window)
    journal = journal_of(window)
    card = sharing.my_card(journal, "Ada Mentor", "mentor").to_bytes()
    sam = _student(tmp_path, "Sam Student", card)
    sharing.import_card(journal, sharing.my_card(sam).to_bytes(), lambda _c: True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *_a, **_k: str(drop)))
    window.sharing.act_drop.trigger()
    watcher = window.sharing.drop_watcher
    assert watcher is not None and watcher.watching
    first = _share(sam, tmp_path / "one.pkg", "Night on 7B", None)
    second = _share(sam, tmp_path / "two.pkg", "Clinic", None)
    (drop / "one.pkg").write_bytes(first)
    (drop / "two.pkg").write_bytes(second[: len(second) // 3])  # still being copied
    qtbot.waitUntil(lambda: len(journal.records(ReceivedExcerpt)) == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "1 excerpt arrived" in window.message_bar.text.text(),
                    timeout=WAIT_MS)
    assert [e.title for e in journal.records(ReceivedExcerpt)] == ["Night on 7B"]
    with (drop / "two.pkg").open("ab") as out:  # the copy finishes
        out.write(second[len(second) // 3:])
    qtbot.waitUntil(lambda: len(journal.records(ReceivedExcerpt)) == 2, timeout=WAIT_MS)
    # Locking stops the watching; nothing is read while locked.
    window.lock_now()
    assert window.sharing.drop_watcher is None
    sam.close()


def test_a_read_receipt_arrives_in_the_students_drop_folder(
        qtbot: QtBot, tmp_path: Path, drop: Path,
        make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    """The student's side (issue 24): their mentor's read receipt, put in the folder they
    share, comes in by itself and the message bar says so."""
    from PySide6.QtWidgets import QFileDialog

    from journal_app.core.records.model import Entry, ReadReceipt
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal

    make_vault(tmp_path / "student")
    window = make_window(tmp_path / "student")
    unlock(qtbot, window)
    student = journal_of(window)
    sharing.ensure_identity(student, "Sam Student")
    mentor, _key = Journal.create(tmp_path / "ada", "correct horse", kdf=TEST_KDF)
    try:
        sharing.import_card(student, sharing.my_card(mentor, "Ada Mentor", "mentor").to_bytes(),
                            lambda _c: True)
        entry = student.add_entry(Entry(title="Night", body="A long night."))
        sharing.write_share(student, sharing.draft_share(student, [sharing.Selection(entry.id)]),
                            tmp_path / "s.pkg", to=[sharing.find_contact(student, "Ada")])
        (got,) = sharing.receive(mentor, (tmp_path / "s.pkg").read_bytes(),
                                 lambda _c: True).excerpts
        sharing.write_receipt(mentor, [got.id], tmp_path / "read.pkg")
    finally:
        mentor.close()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *_a, **_k: str(drop)))
    window.sharing.act_drop.trigger()
    (drop / "read.pkg").write_bytes((tmp_path / "read.pkg").read_bytes())
    qtbot.waitUntil(lambda: len(student.records(ReadReceipt)) == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "Your mentor read 1 excerpt you shared"
                    in window.message_bar.text.text(), timeout=WAIT_MS)
