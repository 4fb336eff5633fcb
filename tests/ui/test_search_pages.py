"""A search that finds many entries (issue 18): the list shows a first page, newest first when
too many match to rank, says how many were found and in which order, and brings the next page
in as it is scrolled to its end, until every match is listed once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Entry
from journal_app.core.vault import journal as journal_module
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing import journalpage

from .conftest import PASSPHRASE, list_titles, unlock
from .test_search import search_for

T0 = datetime(2024, 3, 1, 20, 0, tzinfo=UTC)
MATCHES = 40


@pytest.fixture
def many(qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow],
         monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    """A journal with 40 entries about grief (one a day) and 5 about other things; pages of 6
    and ranking up to 10 matches, so that 40 are listed newest first, a page at a time."""
    monkeypatch.setattr(journalpage, "PAGE", 6)
    monkeypatch.setattr(journal_module, "RANK_UP_TO", 10)
    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    try:
        journal.add_records(
            [Entry(created=T0 + timedelta(days=i), title=f"Grief {i:02d}",
                   body="grief " * (1 + i % 4) + "after the shift") for i in range(MATCHES)]
            + [Entry(created=T0 + timedelta(days=i, hours=1), title=f"Walk {i}",
                     body="a walk by the river") for i in range(5)])
    finally:
        journal.close()
    window = make_window(folder)
    window.resize(900, 500)
    unlock(qtbot, window)
    return window


def test_many_matches_come_newest_first_a_page_at_a_time(qtbot: QtBot, many: MainWindow
                                                         ) -> None:
    page = many.journal_page
    search_for(qtbot, many, "gri")  # a word start, as typed
    assert page.count.text() == f"{MATCHES} entries found · newest first"
    first = page.model.rowCount()
    assert 6 <= first < MATCHES  # a page or a few: not every match at once
    newest = [f"Grief {i:02d}" for i in reversed(range(MATCHES))]
    assert list_titles(many) == newest[:first]
    # Scrolling to the end brings the next page, until every match is listed once.
    bar = page.list.verticalScrollBar()
    for _ in range(MATCHES):
        if page.model.rowCount() == MATCHES:
            break
        bar.setValue(bar.maximum())
        qtbot.wait(1)
    assert list_titles(many) == newest


def test_few_matches_are_ranked_and_listed_whole(qtbot: QtBot, many: MainWindow) -> None:
    page = many.journal_page
    search_for(qtbot, many, "river")
    assert page.count.text() == "5 entries found"  # best first, as usual: nothing to say
    assert sorted(list_titles(many)) == [f"Walk {i}" for i in range(5)]
    search_for(qtbot, many, "Grief 07")  # the title and the body: one entry
    assert page.count.text() == "1 entry found"
    assert list_titles(many) == ["Grief 07"]
    search_for(qtbot, many, "")
    assert page.count.text() == f"{MATCHES + 5} entries"
