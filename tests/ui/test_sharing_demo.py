"""The demo journal's sharing: a mentor contact, shares with feedback beside the entries, and
the mentor's line on the Trends depth card (in its default range)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from journal_app.core.demo.entries import demo_records
from journal_app.core.demo.sharing import MENTOR_NAME, STUDENT_NAME
from journal_app.core.records.model import Feedback, ReadReceipt, ReceivedPackage, SharedLog
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.sharing.cards_dialog import CardsDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import PASSPHRASE, click, on_modal, trends_shown, unlock


def test_demo_sharing_records_are_quick_and_consistent() -> None:
    records = demo_records(120)
    logs = [r for r in records if isinstance(r, SharedLog)]
    notes = [r for r in records if isinstance(r, Feedback)]
    assert len(logs) >= 6 and len(notes) >= len(logs)
    shared = {(log.package_id, e.excerpt_id): e.entry_id for log in logs for e in log.excerpts}
    for item in notes:  # every feedback is about something the demo student shared
        assert shared[(item.share_package_id, item.excerpt_id)] == item.entry_id
        assert item.contact_name == MENTOR_NAME and item.direction == "received"
    # The newest share was read (a read receipt came back) and is not answered yet.
    from journal_app.core.sharing.inbox import build_share_statuses

    statuses = build_share_statuses(logs, notes, [r for r in records if isinstance(r, ReadReceipt)],
                                    [r for r in records if isinstance(r, ReceivedPackage)])
    assert statuses[0].status == "read" and {"answered"} == {s.status for s in statuses[1:]}
    # The same demo every time: the same cards and fingerprints.
    again = demo_records(120)
    assert [r.fingerprint for r in again if type(r).__name__ == "Contact"] == [
        r.fingerprint for r in records if type(r).__name__ == "Contact"]


def test_demo_shows_feedback_and_the_mentors_depth(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    journal.import_records(demo_records(120), writing_only=False)
    journal.close()
    window = make_window(folder)
    unlock(qtbot, window)
    journal = window.session.journal
    assert journal is not None
    me = sharing.identity(journal)
    assert me is not None and me.name == STUDENT_NAME
    [contact] = sharing.contacts(journal)
    assert contact.name == MENTOR_NAME and contact.role == "mentor"

    # An entry with feedback: the panel shows it.
    rated = sharing.feedback(journal, "received")[0]
    window.sharing.show_entry(rated.entry_id)
    panel = window.journal_page.editor.feedback
    assert panel.isVisible() and MENTOR_NAME in panel.title.text()
    assert rated.comment.split("*")[0][:30] in panel.view.toPlainText()
    # An entry without: no panel.
    plain = next(e for e in journal.entries()
                 if e.id not in {f.entry_id for f in sharing.feedback(journal)})
    window.sharing.show_entry(plain.id)
    assert not panel.isVisible()

    # The Trends depth card, in its default range, draws the mentor's line.
    window.act_trends.trigger()
    trends_shown(qtbot, window.dashboard)
    card = window.dashboard.cards["depth"]
    assert "Your mentor rated" in card.reading.text()
    chart = window.dashboard.charts["depth"]
    # Each of the mentor's ratings on its own (a few ratings averaged by month would look like a
    # trend), the student's own as a monthly line.
    assert "your mentor&#x27;s rating (each shared entry)" in chart.key.text()
    assert chart.item_count() == 2  # the student's own line and the mentor's points
    mentor_items = [i for i in chart.plot.getPlotItem().listDataItems() if i.opts["pen"] is None]
    assert len(mentor_items) == 1

    # Shared by me lists the demo's shares.
    counts: list[int] = []

    def look(dialog: CardsDialog) -> None:
        counts.append(dialog.shared_page.list.topLevelItemCount())
        click(qtbot, dialog.close_button)

    on_modal(CardsDialog, look)
    window.sharing.show_cards("shared")
    assert counts == [len(journal.records(SharedLog))]
