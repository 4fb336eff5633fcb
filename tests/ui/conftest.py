"""Fixtures for the GUI tests: a real MainWindow over a JournalSession with cheap key derivation.

Every test gets its own QSettings folder (the XDG_CONFIG_HOME of tests/conftest.py) and its own
TMPDIR, so window state, local sockets and temp files never leak between tests.
"""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Emotion, Entry
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.session import JournalSession
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

if TYPE_CHECKING:
    from journal_app.ui.trends.dashboard import DashboardView

W = TypeVar("W", bound=QWidget)

PASSPHRASE = "quiet harbour lantern"
TITLE = "Handover after the code"
BODY = "We ran the code for forty minutes.\n\nI keep replaying the first compressions."
#: Async UI results (key derivation with TEST_KDF, saves) arrive well within this.
WAIT_MS = 5000


#: Completion popups ask the offscreen platform for things it cannot do; a desktop can.
OFFSCREEN_LIMITS = r"This plugin does not support (raise\(\)|grabbing the (keyboard|mouse))"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_LIMITS))


@pytest.fixture(autouse=True)
def _isolated_qt(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """QSettings under this test's XDG_CONFIG_HOME; a private TMPDIR (Qt sockets, temp files).

    QSettings computes its default folder once per process, so it is set again for each test.
    """
    config = os.environ["XDG_CONFIG_HOME"]
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, config)
    tmp = tmp_path_factory.mktemp("tmpdir")
    runtime = tmp / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    yield tmp


@pytest.fixture(autouse=True)
def _collect_in_the_gui_thread() -> Iterator[None]:
    """As the app does (journal_app.ui.shell.gcguard): no automatic collection during a test, whose
    worker thread would otherwise free Qt objects of earlier tests outside the GUI thread (a
    crash). Garbage is collected here, in the GUI thread, before each test (the generations
    past their thresholds, as gc itself would: a full collection each time costs minutes over
    the suite); between tests no worker runs and automatic collection is back on."""
    thresholds = gc.get_threshold()
    counts = gc.get_count()
    for generation in (2, 1, 0):
        if counts[generation] > thresholds[generation]:
            gc.collect(generation)
            break
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.fixture(autouse=True)
def _restore_app_look(qapp: QApplication) -> Iterator[None]:
    """Settings tests apply a theme to the whole application: put the old look back after."""
    from journal_app.ui import theme

    app = qapp
    saved = (app.styleSheet(), app.palette(), app.font(), app.style().name(), theme._current)
    yield
    sheet, palette, font, style, colors = saved
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    app.setFont(font)
    app.setStyle(style)
    theme._current = colors


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where the test's journal lives (not created yet)."""
    return tmp_path / "journal"


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[Callable[..., MainWindow]]:
    """Build, show and register MainWindows (closed and their sessions closed at teardown)."""
    windows: list[MainWindow] = []

    def make(folder: Path, start: bool = True) -> MainWindow:
        session = JournalSession(kdf=TEST_KDF)
        window = MainWindow(session, UiSettings(), folder)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        if start:
            window.start(folder)
        return window

    yield make
    for window in windows:
        window.session.close()


def make_vault(folder: Path, entries: list[Entry] | None = None,
               passphrase: str = PASSPHRASE) -> str:
    """Create a journal in ``folder`` (cheap KDF) with ``entries``; returns the recovery key."""
    journal, key = Journal.create(folder, passphrase, kdf=TEST_KDF)
    try:
        for entry in entries or []:
            journal.add_entry(entry)
    finally:
        journal.close()
    return key


def a_week_of_writing(journal: Journal) -> None:
    """Plain entries on 7 different days long ago (no rating, feeling or encounter): past the
    new journal's note on Trends (issue 17), without changing the figures a test looks at."""
    from datetime import datetime, timedelta

    start = datetime(2020, 1, 6, 12).astimezone()
    for i in range(7):
        when = start + timedelta(days=i)
        journal.add_record(Entry(created=when, updated=when, title="An earlier week",
                                 body="Nothing rated."))


def sample_entries() -> list[Entry]:
    return [
        Entry(title="Night shift", body="A long night on the ward.\n\nWe lost Mr B at 4am.",
              tags=["nights"], emotions=[Emotion("sadness", 4)], mood=-2, stress=7),
        Entry(title="Teaching round", body="The students asked good questions about sepsis.",
              tags=["teaching"], mood=3),
        Entry(title="Family meeting", body="Goals of care with the daughter; hard but kind.",
              tags=["family", "nights"], encounter="goals-of-care"),
    ]


def unlock(qtbot: QtBot, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase on the lock page, press Enter, wait for the journal page."""
    assert window.stack.currentWidget() is window.lock_page
    qtbot.keyClicks(window.lock_page.passphrase, passphrase)
    qtbot.keyClick(window.lock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.journal_page, timeout=WAIT_MS)


@pytest.fixture
def open_window(qtbot: QtBot, folder: Path,
                make_window: Callable[..., MainWindow]) -> MainWindow:
    """A window unlocked (through the lock page) on a journal holding sample_entries()."""
    make_vault(folder, sample_entries())
    window = make_window(folder)
    unlock(qtbot, window)
    return window


def set_spin(qtbot: QtBot, box: QAbstractSpinBox, text: str) -> None:
    """Select what a spin box shows and type a new value, as a user would."""
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    box.interpretText()


def add_emotion(qtbot: QtBot, window: MainWindow, name: str, intensity: int) -> None:
    chips = window.journal_page.editor.emotions
    qtbot.keyClicks(chips.name.lineEdit(), name)
    set_spin(qtbot, chips.intensity, str(intensity))
    click(qtbot, chips.add_button)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """keyClicks, with Return for line breaks (QTest cannot type a newline character)."""
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(widget, line)


def write_new_entry(qtbot: QtBot, window: MainWindow, title: str = TITLE, body: str = BODY,
                    tags: str = "nights, grief-work") -> None:
    QTest.keySequence(window, "Ctrl+N")
    editor = window.journal_page.editor
    assert editor.isEnabled()
    assert editor.body.hasFocus()  # writing first; the title is a click away
    qtbot.mouseClick(editor.title, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.title, title)
    type_text(qtbot, editor.body, body)
    qtbot.keyClicks(editor.tags, tags)


def save_now(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+S, then wait until the editor says it saved (as a user would see)."""
    editor = window.journal_page.editor
    assert editor.dirty
    QTest.keySequence(window, "Ctrl+S")
    qtbot.waitUntil(lambda: editor.state.text().startswith("Saved"), timeout=WAIT_MS)


def to_end(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)


def saved_entry(window: MainWindow, title: str) -> Entry:
    window.session.worker.wait()
    assert window.session.journal is not None
    matches = [e for e in window.session.journal.entries() if e.title == title]
    assert len(matches) == 1, [e.title for e in window.session.journal.entries()]
    return matches[0]


@pytest.fixture
def empty_window(qtbot: QtBot, folder: Path,
                 make_window: Callable[..., MainWindow]) -> MainWindow:
    """A window unlocked on an empty journal."""
    make_vault(folder)
    window = make_window(folder)
    unlock(qtbot, window)
    return window


def list_titles(window: MainWindow) -> list[str]:
    model = window.journal_page.model
    return [model.index(row).data() for row in range(model.rowCount())]


#: The watchers :func:`on_modal` started in the running test; each is a one-item list holding
#: whether it is still live. A watcher whose dialog never came (the test took another path)
#: must not answer the next test's dialog: every one is stopped when its test ends.
_WATCHERS: list[list[bool]] = []


@pytest.fixture(autouse=True)
def _stop_modal_watchers() -> Iterator[None]:
    yield
    for live in _WATCHERS:
        live[0] = False
    _WATCHERS.clear()


def on_modal(kind: type[W], action: Callable[[W], None], tries: int = 300) -> list[W]:
    """Call ``action(dialog)`` once a modal ``kind`` is shown (``exec()`` blocks the test).

    Returns a list that holds the dialog once it was seen (assert on it after the call that
    opened the dialog returned). The watcher ends with its test.
    """
    seen: list[W] = []
    live = [True]
    _WATCHERS.append(live)

    def poll(left: int) -> None:
        if not live[0]:
            return
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            seen.append(widget)
            try:
                action(widget)
            finally:
                if widget.isVisible():  # a failed check must not leave exec() waiting forever
                    widget.close()
        elif left > 0:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))
    return seen


def answer_message_box(button: QMessageBox.StandardButton) -> list[QMessageBox]:
    """Press ``button`` in the next modal QMessageBox."""
    return on_modal(QMessageBox, lambda box: box.button(button).click())


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def writes_done(qtbot: QtBot, session: JournalSession) -> None:
    """Wait until every write asked of ``session`` ran in its worker and its result (signals,
    ``on_done``) arrived on the UI thread: the door's writes complete asynchronously."""
    qtbot.waitUntil(lambda: not session.worker.busy())


def flush_events() -> None:
    """Deliver everything already queued, deferred deletions too: before a test checks what a
    closed window left behind (instead of sleeping "a moment" and hoping it was enough)."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()


def click_row(qtbot: QtBot, view: QAbstractItemView, row: int) -> None:
    """Click a row of a list view, as a user would: after what is already queued (saves
    finishing) was handled."""
    QApplication.processEvents()
    index = view.model().index(row, 0)
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert view.indexAt(rect.center()) == index, (row, view.indexAt(rect.center()).row())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())


def full_checkin(action: Callable[[Any], None], tries: int = 600) -> list[Any]:
    """Answer the next check-in in the full dialog, reached as a user reaches it from the
    window: the short check-in opens first, and its More opens the full one. ``action`` gets
    the CheckInDialog; returns what :func:`on_modal` returns for it."""
    from journal_app.ui.practice.checkin import CheckInDialog
    from journal_app.ui.practice.quickcheckin import QuickCheckInDialog

    on_modal(QuickCheckInDialog, lambda quick: quick.more_button.click())
    return on_modal(CheckInDialog, action, tries=tries)


def trends_shown(qtbot: QtBot, view: DashboardView) -> DashboardView:
    """Wait until the trends dashboard shows the figures asked for last (they are worked out in
    the worker thread)."""
    qtbot.waitUntil(lambda: not view.refreshing, timeout=20_000)
    return view
