"""The cohort report in the app (issue 25), driven as a user would: the programme's demo opens
its lead's report (suppressed items shown as such, never as zero; refused files listed; a
rotation chosen); a student's offer on the home panel near the end of a rotation, what would
leave shown in the same words as the command line, Don't send, then Send from Sharing ▸
Programme."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from journal_app.core.cohort import service as cohort
from journal_app.core.demo import PROGRAMME_NAME
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.session import JournalSession
from journal_app.ui.sharing.cohort_view import (
    CohortReportDialog,
    ContributionDialog,
    IntervalBar,
    offer_contribution,
)
from journal_app.ui.sharing.programme_dialog import ProgrammeDialog
from journal_app.ui.shell.demo import demo_window
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings
from tests.helpers.programme_pack import enrol_student, publish_to

from .conftest import WAIT_MS, click, on_modal, writes_done


@pytest.fixture
def demo(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    session = JournalSession(kdf=TEST_KDF)
    with qtbot.waitSignal(session.unlocked, timeout=60_000):
        window = demo_window(session, UiSettings(), tmp_path / "demo", "programme",
                             kdf=TEST_KDF)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    yield window
    session.close()



def contribute(qtbot: QtBot, dialog: ProgrammeDialog,
               check: Callable[[ContributionDialog], None]) -> list[Path | None]:
    """Contribute… in Sharing ▸ Programme: ``check`` looks at the dialog that opens, then
    Send; returns what it sent."""
    sent: list[Path | None] = []

    def send(box: ContributionDialog) -> None:
        check(box)
        click(qtbot, box.send_button)
        qtbot.waitUntil(lambda: box.sent is not None, timeout=WAIT_MS)
        sent.append(box.sent)

    on_modal(ContributionDialog, send)
    click(qtbot, dialog.contribute_button)
    qtbot.waitUntil(lambda: len(sent) == 1, timeout=WAIT_MS)
    return sent

def test_the_programme_demo_opens_its_cohort_report(qtbot: QtBot, demo: MainWindow) -> None:
    qtbot.waitUntil(lambda: any(isinstance(w, CohortReportDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=WAIT_MS)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, CohortReportDialog))
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)  # read in the worker
    assert dialog.title.text() == f"Cohort report: {PROGRAMME_NAME}"
    assert "2 file(s) refused" in dialog.summary.text()
    assert dialog.rotation.itemText(0) == "All rotations, pooled"
    assert dialog.rotation.itemText(1) == "Each item, rotation by rotation"
    assert dialog.rotation.count() == 6
    bars = dialog.findChildren(IntervalBar)
    assert len(bars) == 14  # 10 yes/no items, and 4 bands of the self-assessed level
    assert all(not b.row.suppressed for b in bars)
    texts = [w.text() for w in dialog.page.findChildren(type(dialog.title))]
    for group in ("Facets of competency 4 reflected on", "Encounters met",
                  "Self-assessed levels", "Files refused"):
        assert group in texts
    assert "copy-of-a-contribution.jcc: replayed" in texts
    assert "contribution-altered.jcc: altered" in texts
    # Each item across the four rotations: its rows are the rotations, in order.
    dialog.rotation.setCurrentIndex(1)
    bars = dialog.findChildren(IntervalBar)
    assert len(bars) == 14 * 4
    assert [b.accessibleName() for b in bars[:4]] == [f"rotation-{n}" for n in range(1, 5)]
    # One rotation: about 11 reports an item, some suppressed, shown as such, not as zero.
    dialog.rotation.setCurrentIndex(2)
    bars = dialog.findChildren(IntervalBar)
    assert len(bars) == 14
    for bar in bars:
        if bar.row.suppressed:
            assert bar.accessibleDescription().startswith("Suppressed: ")
            assert bar.row.estimate is None
        else:
            assert bar.accessibleDescription().startswith("About ")
    dialog.close()


def test_a_student_sees_what_would_leave_declines_then_sends(
        qtbot: QtBot, open_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    journal = window.session.journal
    assert journal is not None
    today = date.today()
    start, end = today - timedelta(days=25), today + timedelta(days=3)
    rotations = (f'version = 1\n[[rotation]]\nid = "oncology"\nstart = {start.isoformat()}\n'
                 f"end = {end.isoformat()}\n")
    lead = Journal.create(tmp_path / "lead", "correct horse", kdf=TEST_KDF)[0]
    try:
        enrol_student(lead, journal)
        publish_to(lead, journal, tmp_path, rotations)
        page = window.journal_page
        page.refresh()
        assert page.cohort_card.isVisible()
        assert "rotation oncology" in page.cohort_text.text()

        seen: list[list[str]] = []

        def decline(dialog: ContributionDialog) -> None:
            seen.append(dialog.words.text().split("\n\n"))
            assert not dialog.send_button.isEnabled()  # no folder yet
            click(qtbot, dialog.decline_button)

        on_modal(ContributionDialog, decline)
        click(qtbot, page.cohort_see_button)
        qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
        writes_done(qtbot, window.session)
        qtbot.waitUntil(lambda: not page.cohort_card.isVisible(), timeout=WAIT_MS)
        made = cohort.offer(journal, "oncology")
        assert seen[0] == made.words()  # the command line's words, and the same draw
        assert not list((tmp_path / "pack").glob("contribution-*"))

        # Declined on the home panel; Sharing ▸ Programme can still send it.
        drop = tmp_path / "drop"
        drop.mkdir()
        monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                            staticmethod(lambda *_a, **_k: str(drop)))
        dialog = ProgrammeDialog(window.session, window)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.contribute_button.isVisible()
        def check(box: ContributionDialog) -> None:
            click(qtbot, box.folder_button)
            assert box.send_button.isEnabled() and str(drop) in box.where.text()

        sent = contribute(qtbot, dialog, check)
        [path] = list(drop.iterdir())
        assert sent == [path]
        # The lead reads it: one contribution, one item, suppressed (one report).
        result = cohort.report(lead, drop)
        assert result.pooled_contributions == 1 and not result.refused
        dialog.reject()
    finally:
        lead.close()


def test_a_journal_that_leads_no_programme_says_so_in_one_sentence(
        qtbot: QtBot, open_window: MainWindow, tmp_path: Path) -> None:
    dialog = CohortReportDialog(open_window.session, tmp_path, open_window)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "Reading and checking the contribution files…"
    assert not dialog.choose_button.isEnabled()  # while the worker reads the folder
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        pass
    assert dialog.choose_button.isEnabled()
    assert dialog.report is None
    assert dialog.summary.text() == ("This journal leads no programme; only its lead can read"
                                     " contributions.")
    assert not dialog.findChildren(IntervalBar)


def test_the_contribute_step_uses_the_programmes_drop_folder(
        qtbot: QtBot, open_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The signed pack's drop folder is shown and used as it is (Send at once) when it is a
    folder on this computer; one that is not (a shared drive mounted elsewhere) is named, and
    Send waits until the student chooses the folder."""
    window = open_window
    journal = window.session.journal
    assert journal is not None
    share = tmp_path / "share"
    share.mkdir()
    today = date.today()
    rotations = (f'version = 1\ndrop_folder = "{share.as_posix()}"\n'
                 f'[[rotation]]\nid = "before"\nstart = {today - timedelta(days=60)}\n'
                 f"end = {today - timedelta(days=32)}\n"
                 f'[[rotation]]\nid = "oncology"\nstart = {today - timedelta(days=25)}\n'
                 f"end = {today + timedelta(days=3)}\n")
    lead = Journal.create(tmp_path / "lead", "correct horse", kdf=TEST_KDF)[0]
    try:
        enrol_student(lead, journal)
        publish_to(lead, journal, tmp_path / "v1", rotations)
        dialog = ProgrammeDialog(window.session, window)
        qtbot.addWidget(dialog)
        dialog.show()
        # Sharing ▸ Programme names the drop folder and the student's lifetime budget.
        assert f"Its drop folder for cohort contributions: {share}" in dialog.details.text()
        assert ("Cohort contributions: 0 sent; privacy budget epsilon 0 of your lifetime 16"
                " spent (16 left)") in dialog.details.text()
        def check(box: ContributionDialog) -> None:
            assert box.where.text().startswith(
                f"It will be written into Palliative Care Clerkship's drop folder, {share}.")
            assert box.send_button.isEnabled()  # nothing to choose
            assert box.folder_button.text() == "Another folder…"

        sent = contribute(qtbot, dialog, check)
        assert [p.name for p in share.iterdir()] == [sent[0].name if sent[0] else ""]
        dialog.reject()

        # The next version names the folder as the lead's computer mounts it.
        away = "/Volumes/School/Palliative Care/Cohort"
        publish_to(lead, journal, tmp_path / "v2", rotations.replace(share.as_posix(), away))
        mine = tmp_path / "mine"
        mine.mkdir()
        monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                            staticmethod(lambda *_a, **_k: str(mine)))
        chosen: list[str] = []

        def choose(box: ContributionDialog) -> None:
            assert f"collects contributions in “{away}”, which is not a folder on this" \
                in box.where.text()
            assert not box.send_button.isEnabled()
            click(qtbot, box.folder_button)
            assert box.send_button.isEnabled() and str(mine) in box.where.text()
            click(qtbot, box.send_button)
            qtbot.waitUntil(lambda: box.sent is not None, timeout=WAIT_MS)
            chosen.append(box.where.text())

        on_modal(ContributionDialog, choose)
        offer_contribution(window.session, window, pytest.fail, "before")
        qtbot.waitUntil(lambda: len(chosen) == 1, timeout=WAIT_MS)
        assert len(list(mine.iterdir())) == 1 and len(list(share.iterdir())) == 1
        # Chosen once on this computer: the default for that drop folder from now on.
        assert cohort.drop_folder(journal) == cohort.DropFolder(mine.resolve(), away, "chosen")
    finally:
        lead.close()
