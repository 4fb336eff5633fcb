"""The entry list model under Qt's model checks, with plain entries and with search hits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt

from journal_app.core.records.model import Emotion, Entry, now
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.search import SearchFilters
from journal_app.ui.writing.entrylist import EntryListModel, EntryListView, Role, day_label


def entries() -> list[Entry]:
    today = now().replace(hour=12, minute=0, second=0, microsecond=0)
    return [
        Entry(title="Morning", body="Ward round went well.", created=today, starred=True,
              tags=["ward"], emotions=[Emotion("calm", 2)]),
        Entry(title="", body="# A heading\nNo title: the first line stands in.",
              created=today - timedelta(hours=2)),
        Entry(title="Yesterday", body="Tired after the night; the ward was full.",
              created=today - timedelta(days=1), tags=["nights", "ward"]),
        Entry(created=today - timedelta(days=1, hours=1)),
    ]


@pytest.fixture
def journal_with_entries(journal: Journal) -> Journal:
    for entry in entries():
        journal.add_entry(entry)
    journal.prepare_search()
    return journal


def test_model_with_entries_passes_qt_checks(qtmodeltester) -> None:
    model = EntryListModel()
    model.set_entries(entries())
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 4
    assert model.rowCount(model.index(0)) == 0  # a list: rows have no children
    assert [model.index(r).data(Role.FIRST_OF_DAY) for r in range(4)] == [
        True, False, True, False]
    assert model.index(1).data() == "A heading"
    assert model.index(3).data() == "Untitled"
    assert model.index(0).data(Role.SNIPPET) is None
    assert model.index(0).data(Role.HIGHLIGHTS) == []
    accessible = model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert accessible.startswith("Morning, ")
    assert accessible.endswith(", starred")
    assert day_label(entries()[0]) in accessible
    assert model.index(9).data() is None
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_model_with_search_hits_passes_qt_checks(qtmodeltester,
                                                 journal_with_entries: Journal) -> None:
    results = journal_with_entries.search("ward", SearchFilters())
    assert len(results) == 2
    model = EntryListModel()
    model.set_entries([e for _h, e in results], {h.id: h for h, _e in results})
    qtmodeltester.check(model, force_py=True)
    for row in range(model.rowCount()):
        snippet = model.index(row).data(Role.SNIPPET)
        spans = model.index(row).data(Role.HIGHLIGHTS)
        assert snippet and spans
        assert all(snippet[a:b].lower() == "ward" for a, b in spans)
        assert "[" not in snippet  # plain text: no match marks left in


def test_model_changes_pass_qt_checks(qtmodeltester) -> None:
    """The tester stays connected and checks each change as it happens."""
    model = EntryListModel()
    qtmodeltester.check(model, force_py=True)  # empty
    items = entries()
    model.set_entries(items)
    changed = Entry(**{**items[0].__dict__, "title": "Morning, edited"})
    model.replace_entry(changed)
    assert model.index(0).data() == "Morning, edited"
    model.replace_entry(Entry(title="not in the list"))  # ignored
    assert model.rowCount() == 4
    assert model.row_of(items[2].id) == 2
    assert model.row_of("missing") == -1
    model.clear()
    assert model.rowCount() == 0
    assert model.entries() == []


def test_view_paints_rows_with_hits_and_chips(qtbot, journal_with_entries: Journal) -> None:
    results = journal_with_entries.search("ward", SearchFilters())
    model = EntryListModel()
    model.set_entries([e for _h, e in results] + entries(), {h.id: h for h, _e in results})
    view = EntryListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(420, 600)
    view.show()
    qtbot.waitExposed(view)
    image = view.grab().toImage()  # runs the delegate's paint for every visible row
    assert not image.isNull()
    heights = {model.index(r).data(Role.FIRST_OF_DAY): view.visualRect(model.index(r)).height()
               for r in range(model.rowCount())}
    assert heights[True] > heights[False]  # the first row of a day has a day header
