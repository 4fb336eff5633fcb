"""Finding entries: the search box (with snippets) and the filters."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCompleter

from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.entrylist import Role

from .conftest import (
    BODY,
    PASSPHRASE,
    TITLE,
    WAIT_MS,
    add_emotion,
    click,
    click_row,
    list_titles,
    make_vault,
    sample_entries,
    save_now,
    saved_entry,
    write_new_entry,
)

ALL = ["Family meeting", "Night shift", "Teaching round"]


def search_for(qtbot, window: MainWindow, text: str) -> None:
    """Ctrl+F, then type (replacing what the box held)."""
    QTest.keySequence(window, "Ctrl+F")
    search = window.journal_page.search
    assert search.hasFocus()
    assert search.selectedText() == search.text()  # Ctrl+F selects: typing replaces
    if text:
        qtbot.keyClicks(search, text)
    else:
        qtbot.keyClick(search, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not window.journal_page._search_timer.isActive(), timeout=WAIT_MS)


def test_search_lists_matches_with_a_snippet(qtbot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    assert sorted(list_titles(window)) == ALL
    search_for(qtbot, window, "sepsis")
    assert list_titles(window) == ["Teaching round"]
    assert page.count.text() == "1 entry found"
    row = page.model.index(0)
    snippet = row.data(Role.SNIPPET)
    assert "sepsis" in snippet
    highlights = row.data(Role.HIGHLIGHTS)
    assert [snippet[a:b] for a, b in highlights] == ["sepsis"]

    search_for(qtbot, window, "nothing-like-this")
    assert page.model.rowCount() == 0
    assert "No entries match" in page.empty_text.text()

    search_for(qtbot, window, "")  # clearing the box lists everything again
    assert sorted(list_titles(window)) == ALL
    assert page.count.text() == "3 entries"


def test_search_finds_a_word_prefix_and_a_phrase(qtbot, open_window: MainWindow) -> None:
    window = open_window
    search_for(qtbot, window, "ward*")
    assert list_titles(window) == ["Night shift"]
    search_for(qtbot, window, '"hard but kind"')
    assert list_titles(window) == ["Family meeting"]
    search_for(qtbot, window, '"kind but hard"')
    assert list_titles(window) == []


def test_clicking_a_hit_opens_the_entry(qtbot, open_window: MainWindow) -> None:
    window = open_window
    search_for(qtbot, window, "daughter")
    click_row(qtbot, window.journal_page.list, 0)
    assert window.journal_page.editor.title.text() == "Family meeting"


def test_filters_by_tag_emotion_and_starred(qtbot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    bar = page.filters
    assert not bar.isVisible()
    click(qtbot, page.filter_toggle)
    assert bar.isVisible()
    tags = [bar.tag.itemText(i) for i in range(bar.tag.count())]
    assert tags == ["Any tag", "family", "nights", "teaching"]
    bar.tag.setCurrentIndex(bar.tag.findData("nights"))
    qtbot.waitUntil(lambda: sorted(list_titles(window)) == ["Family meeting", "Night shift"],
                    timeout=WAIT_MS)
    assert page.count.text() == "2 entries found"
    # Search and filter together.
    search_for(qtbot, window, "ward")
    assert list_titles(window) == ["Night shift"]
    search_for(qtbot, window, "")
    bar.tag.setCurrentIndex(0)
    bar.emotion.setCurrentIndex(bar.emotion.findData("sadness"))
    qtbot.waitUntil(lambda: list_titles(window) == ["Night shift"], timeout=WAIT_MS)
    bar.emotion.setCurrentIndex(0)
    bar.encounter.setCurrentIndex(bar.encounter.findData("goals-of-care"))
    qtbot.waitUntil(lambda: list_titles(window) == ["Family meeting"], timeout=WAIT_MS)
    bar.encounter.setCurrentIndex(0)
    click(qtbot, bar.starred)
    qtbot.waitUntil(lambda: list_titles(window) == [], timeout=WAIT_MS)
    assert "No entries match" in page.empty_text.text()
    click(qtbot, bar.starred)
    qtbot.waitUntil(lambda: sorted(list_titles(window)) == ALL, timeout=WAIT_MS)
    # Dates: from a month ago to today holds them all; from tomorrow, none.
    assert not bar.date_from.isEnabled()
    click(qtbot, bar.use_dates)
    assert bar.date_from.isEnabled()
    qtbot.waitUntil(lambda: page.count.text() == "3 entries found", timeout=WAIT_MS)
    bar.date_from.setDate(QDate.currentDate().addDays(1))
    bar.date_to.setDate(QDate.currentDate().addDays(2))
    qtbot.waitUntil(lambda: list_titles(window) == [], timeout=WAIT_MS)
    click(qtbot, bar.use_dates)
    qtbot.waitUntil(lambda: sorted(list_titles(window)) == ALL, timeout=WAIT_MS)


def test_entry_written_in_the_window_is_found(qtbot, open_window: MainWindow) -> None:
    """The full path: write with tags and an emotion, then find by text, tag and emotion."""
    window = open_window
    page = window.journal_page
    write_new_entry(qtbot, window)  # tags "nights, grief-work"
    add_emotion(qtbot, window, "numb", 3)
    save_now(qtbot, window)
    entry = saved_entry(window, TITLE)
    assert entry.body == BODY

    search_for(qtbot, window, "compressions")
    assert list_titles(window) == [TITLE]
    assert "compressions" in page.model.index(0).data(Role.SNIPPET)
    search_for(qtbot, window, "")

    click(qtbot, page.filter_toggle)
    bar = page.filters
    assert bar.tag.findData("grief-work") > 0  # the new tag is offered
    bar.tag.setCurrentIndex(bar.tag.findData("grief-work"))
    qtbot.waitUntil(lambda: list_titles(window) == [TITLE], timeout=WAIT_MS)
    bar.tag.setCurrentIndex(bar.tag.findData("nights"))
    qtbot.waitUntil(lambda: len(list_titles(window)) == 3, timeout=WAIT_MS)
    bar.tag.setCurrentIndex(0)
    bar.emotion.setCurrentIndex(bar.emotion.findData("numb"))
    qtbot.waitUntil(lambda: list_titles(window) == [TITLE], timeout=WAIT_MS)


def test_an_edit_is_found_under_its_new_words(qtbot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    search_for(qtbot, window, "sepsis")
    click_row(qtbot, page.list, 0)
    editor = page.editor
    qtbot.keyClick(editor.body, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.body, " Also lactate clearance.")
    save_now(qtbot, window)
    search_for(qtbot, window, "lactate")
    assert list_titles(window) == ["Teaching round"]
    assert editor.title.text() == "Teaching round"  # the open entry stays open


def test_filter_choices_and_tag_completion_are_made_when_first_needed(
        qtbot, open_window: MainWindow) -> None:
    """Unlocking does not gather every tag and emotion of the journal (at 100,000 entries half
    of the window's own work after an unlock): the filters get their choices when shown, the
    tag field its completions when typed in, and both follow what is saved after."""
    window = open_window
    page = window.journal_page
    bar = page.filters
    assert bar.tag.count() == 1  # not gathered yet: only "Any tag"
    click(qtbot, page.filter_toggle)
    assert [bar.tag.itemText(i) for i in range(bar.tag.count())] == [
        "Any tag", "family", "nights", "teaching"]
    click(qtbot, page.filter_toggle)  # hidden again
    write_new_entry(qtbot, window, title="Tagged", body="Some text.")
    page.editor.tags.setFocus()
    page.editor.tags.clear()
    qtbot.keyClicks(page.editor.tags, "rounds")
    save_now(qtbot, window)
    QTest.keySequence(window, "Ctrl+N")
    page.editor.tags.setFocus()
    qtbot.keyClicks(page.editor.tags, "rou")
    completer = page.editor.tags.findChild(QCompleter)
    assert completer is not None
    qtbot.waitUntil(completer.popup().isVisible, timeout=WAIT_MS)
    assert completer.currentCompletion() == "rounds"
    click(qtbot, page.filter_toggle)
    assert bar.tag.findData("rounds") >= 0


def test_the_journal_shows_before_its_index_opens_and_a_search_typed_at_once_waits_for_it(
        qtbot, folder, make_window) -> None:
    """The window shows the journal as soon as its records are loaded; the search index opens
    next, in the worker (issue 18). A search typed in that moment finds what it would later."""
    make_vault(folder, sample_entries())
    window = make_window(folder)
    session = window.session
    order: list[str] = []
    session.unlocked.connect(lambda: order.append("unlocked"))
    session.searchReady.connect(lambda: order.append("search ready"))
    # Type the search the moment the journal is shown, before the index has opened.
    session.unlocked.connect(lambda: search_for(qtbot, window, "sepsis"))
    qtbot.keyClicks(window.lock_page.passphrase, PASSPHRASE)
    with qtbot.waitSignal(session.searchReady, timeout=WAIT_MS):
        qtbot.keyClick(window.lock_page.passphrase, Qt.Key.Key_Return)
    assert order[:2] == ["unlocked", "search ready"]
    qtbot.waitUntil(lambda: list_titles(window) == ["Teaching round"], timeout=WAIT_MS)
