"""The journal page in a window too narrow for the list and the entry side by side (issue 17,
section 3): one pane, the list or the entry, as a user drives it with the mouse and with the
keyboard alone; two panes again, as they were, when the window is wide enough.

"Too narrow" is what the two panes need at the current text size
(:meth:`JournalPage.two_panes_width`), never a fixed number of pixels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.journalpage import JournalPage

from .conftest import WAIT_MS, click, click_row, list_titles, type_text, unlock


def settle() -> None:
    QApplication.processEvents()
    QTest.qWait(20)


def room(page: JournalPage) -> int:
    margins = page.layout().contentsMargins()
    return page.width() - margins.left() - margins.right()


def narrow(window: MainWindow) -> None:
    """A window a little narrower than the list and the entry need side by side."""
    page = window.journal_page
    settle()
    window.resize(window.width() - (room(page) - page.two_panes_width()) - 40, window.height())
    settle()


def wide(window: MainWindow) -> None:
    page = window.journal_page
    settle()
    window.resize(window.width() + (page.two_panes_width() - room(page)) + 60, window.height())
    settle()


def showing_list(page: JournalPage) -> bool:
    return page.list.isVisible() and not page.editor.isVisible() and not page.right.isVisible()


def showing_entry(page: JournalPage) -> bool:
    return page.editor.isVisible() and not page.list.isVisible()


def no_sideways(page: JournalPage) -> None:
    settle()
    for scroll in page.findChildren(QScrollArea):
        if scroll.isVisible():
            assert not scroll.horizontalScrollBar().isVisible(), scroll.accessibleName()


def test_a_narrow_window_shows_the_list_then_the_entry_full_width_and_back(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    wide(window)
    assert not page.one_pane and page.list.isVisible() and page.right.isVisible()
    narrow(window)
    assert page.one_pane
    qtbot.waitUntil(lambda: showing_list(page), timeout=WAIT_MS)
    assert page.list.width() > room(page) - 40  # the list fills the window
    assert page.search.isVisible() and page.filter_toggle.isVisible()
    assert page.new_button.isVisible()

    click_row(qtbot, page.list, 1)  # a click opens the entry, full width
    qtbot.waitUntil(lambda: showing_entry(page), timeout=WAIT_MS)
    settle()
    title = list_titles(window)[1]
    assert page.editor.title.text() == title
    assert page.editor.width() > room(page) - 60
    back = page.back_button
    assert back.isVisible() and back.accessibleName() == "Back to the list"
    no_sideways(page)

    click(qtbot, back)
    qtbot.waitUntil(lambda: showing_list(page), timeout=WAIT_MS)
    assert page.list.currentIndex().row() == 1  # the entry it came from, selected
    assert page.list.hasFocus()
    assert not back.isVisible()


def test_escape_and_alt_left_go_back_to_the_list(qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    narrow(window)
    for keys in ((Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                 (Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)):
        click_row(qtbot, page.list, 0)
        qtbot.waitUntil(lambda: showing_entry(page), timeout=WAIT_MS)
        page.editor.body.setFocus()
        qtbot.keyClick(page.editor.body, keys[0], keys[1])
        qtbot.waitUntil(lambda: showing_list(page), timeout=WAIT_MS)
        assert page.list.currentIndex().row() == 0 and page.list.hasFocus()


def test_the_keyboard_alone_opens_writes_and_goes_back(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    narrow(window)
    qtbot.waitUntil(lambda: showing_list(page), timeout=WAIT_MS)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Down)
    qtbot.keyClick(page.list, Qt.Key.Key_Down)
    row = page.list.currentIndex().row()
    settle()
    assert showing_list(page)  # moving through the list does not leave it
    qtbot.keyClick(page.list, Qt.Key.Key_Return)  # Enter opens the entry
    qtbot.waitUntil(lambda: showing_entry(page), timeout=WAIT_MS)
    assert page.editor.title.text() == list_titles(window)[row]
    assert page.editor.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: showing_list(page), timeout=WAIT_MS)
    assert page.list.currentIndex().row() == row and page.list.hasFocus()

    # A new entry, written and left with the keyboard: it is in the list, selected.
    QTest.keySequence(window, "Ctrl+N")
    qtbot.waitUntil(lambda: showing_entry(page), timeout=WAIT_MS)
    assert page.editor.body.hasFocus()
    type_text(qtbot, page.editor.body, "Written in a narrow window.")
    qtbot.keyClick(page.editor.body, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: showing_list(page), timeout=WAIT_MS)
    entry = page.editor.entry
    assert entry is not None
    qtbot.waitUntil(lambda: page.model.row_of(entry.id) >= 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.list.currentIndex().row() == page.model.row_of(entry.id),
                    timeout=WAIT_MS)
    assert page.list.hasFocus()

    # Ctrl+F from the entry: back to the list, in the search box.
    qtbot.keyClick(page.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: showing_entry(page), timeout=WAIT_MS)
    QTest.keySequence(window, "Ctrl+F")
    qtbot.waitUntil(lambda: showing_list(page), timeout=WAIT_MS)
    assert page.search.hasFocus()


def test_new_entry_opens_full_width_and_the_list_keeps_its_search(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    narrow(window)
    click(qtbot, page.filter_toggle)
    assert page.filters.isVisible()
    qtbot.keyClicks(page.search, "night")
    qtbot.waitUntil(lambda: page.listed_text == "night", timeout=WAIT_MS)
    click(qtbot, page.new_button)
    qtbot.waitUntil(lambda: showing_entry(page), timeout=WAIT_MS)
    assert page.editor.body.hasFocus()
    settle()
    click(qtbot, page.back_button)
    qtbot.waitUntil(lambda: showing_list(page), timeout=WAIT_MS)
    assert page.search.text() == "night" and page.filters.isVisible()


def test_the_two_panes_come_back_as_they_were(qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    wide(window)
    total = sum(page.splitter.sizes())
    left = page.left.minimumSizeHint().width() + 10  # the list narrower than it was
    page.splitter.setSizes([left, total - left])
    settle()
    sizes = page.splitter.sizes()
    click_row(qtbot, page.list, 2)
    qtbot.waitUntil(lambda: page.editor.title.text() == list_titles(window)[2],
                    timeout=WAIT_MS)
    before = window.size()
    narrow(window)
    assert page.one_pane
    window.resize(before)
    settle()
    assert not page.one_pane
    assert page.list.isVisible() and page.editor.isVisible() and not page.back_button.isVisible()
    assert page.splitter.sizes() == sizes
    assert page.list.currentIndex().row() == 2


def test_the_text_size_switches_between_one_and_two_panes(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    wide(window)
    click_row(qtbot, page.list, 0)
    assert not page.one_pane
    pressed = 0
    while not page.one_pane and window.settings.text_size < 28:
        QTest.keySequence(window, "Ctrl+=")  # View ▸ Larger text
        pressed += 1
        settle()
    assert page.one_pane, "the largest text needs more than this window for two panes"
    assert room(page) < page.two_panes_width()
    no_sideways(page)
    for _ in range(pressed):
        QTest.keySequence(window, "Ctrl+-")
        settle()
    qtbot.waitUntil(lambda: not page.one_pane, timeout=WAIT_MS)
    assert page.list.isVisible() and page.editor.isVisible()


def test_the_entry_shown_stays_shown_when_the_window_narrows_while_writing(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    wide(window)
    click_row(qtbot, page.list, 0)
    page.editor.body.setFocus()
    narrow(window)
    assert showing_entry(page) and page.editor.body.hasFocus()
    wide(window)
    assert page.list.isVisible() and page.editor.body.hasFocus()


def test_today_shows_the_home_panel_full_width_in_one_pane(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    wide(window)
    assert not page.today_button.isVisible()  # beside the list, the home panel shows itself
    narrow(window)
    today = page.today_button
    assert today.isVisible() and today.accessibleName()
    click(qtbot, today)
    qtbot.waitUntil(lambda: page.home_scroll.isVisible() and not page.list.isVisible(),
                    timeout=WAIT_MS)
    assert page.back_button.isVisible()
    assert "left" not in page.empty_text.text()  # no list on the left to point at
    no_sideways(page)
    click(qtbot, page.back_button)
    qtbot.waitUntil(lambda: showing_list(page), timeout=WAIT_MS)


def test_the_split_saved_while_in_one_pane_is_the_two_panes_one(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    wide(window)
    before, sizes = window.size(), page.splitter.sizes()
    narrow(window)
    window.save_state()  # on quitting
    page.splitter.setSizes([10, 10])
    page.restore_splitter(window.settings.geometry("splitter"))  # on starting again
    window.resize(before)
    settle()
    assert page.splitter.sizes() == sizes


def test_unlocking_again_in_one_pane_shows_the_list(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    narrow(window)
    click_row(qtbot, page.list, 0)
    qtbot.waitUntil(lambda: showing_entry(page), timeout=WAIT_MS)
    window.lock_now()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page, timeout=WAIT_MS)
    unlock(qtbot, window)
    settle()
    assert page.one_pane and showing_list(page)
    assert page.editor.entry is None  # nothing of the journal left from before the lock
