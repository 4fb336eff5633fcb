"""A year of moods beside the calendar in Trends: one cell a day, colour-blind safe with the value
in words, clickable and keyboard-driven (issue 17, item 1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import CheckIn, Entry
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.theme import DARK, LIGHT
from journal_app.ui.trends.dashboard import YEAR_EMPTY, DashboardView
from journal_app.ui.trends.moodyear import DARK_LEVELS, LIGHT_LEVELS, MoodYearGrid

from .conftest import make_vault, trends_shown
from .test_dashboard import _session

TODAY = date(2026, 3, 31)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour).astimezone()


def records() -> list:
    """Ten days of check-ins (moods -4 to +4) in the last month, one entry, one old mood."""
    out: list = [CheckIn(created=at(TODAY - timedelta(days=i)), mood=(i % 5) * 2 - 4)
                 for i in range(10)]
    out.append(Entry(created=at(TODAY - timedelta(days=2), 21), title="Night shift",
                     body="Long.", mood=-4))
    out.append(CheckIn(created=at(TODAY - timedelta(days=500)), mood=3))  # over a year ago
    return out


def dashboard(qtbot: QtBot, folder: Path, data: list) -> DashboardView:
    session = _session(folder, data)
    view = DashboardView(session, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    return trends_shown(qtbot, view)


def centre(grid: MoodYearGrid, day: date) -> QPoint:
    assert grid.year is not None
    cell = grid.year.cell(day)
    assert cell is not None
    return grid.cell_rect(cell.column, cell.row).center()


def test_the_year_sits_beside_the_calendar_and_says_each_day_in_words(
        qtbot: QtBot, folder: Path) -> None:
    view = dashboard(qtbot, folder, records())
    card, calendar = view.cards["year"], view.cards["calendar"]
    assert card.isVisible() and card.has_data
    assert abs(card.y() - calendar.y()) < 2 and card.x() != calendar.x()  # one row
    assert card.reading.text() == "10 days with a mood rating in the last twelve months."
    grid = view.mood_year.grid
    assert grid.year is not None and len(grid.year.cells) == 365
    assert grid.accessibleName() == "A year of moods"
    assert grid.words(TODAY - timedelta(days=2)) == (
        f"{TODAY - timedelta(days=2):%A %d %B %Y}: mood −2 (low), 1 check-in and 1 entry")
    assert grid.words(TODAY - timedelta(days=20)).endswith(": no mood rated")
    # The legend names the five levels and the empty day.
    legend = [w.text() for w in view.mood_year.findChildren(QLabel)]
    for name in ("Very low", "Low", "Okay", "Good", "Very good", "No mood rated"):
        assert name in legend
    # Every cell fits in the card: none is cut off at the right.
    last = grid.cell_rect(grid.year.weeks - 1, 0)
    assert last.right() < grid.width()


def test_a_click_or_enter_on_a_day_opens_it(qtbot: QtBot, folder: Path) -> None:
    view = dashboard(qtbot, folder, records())
    grid = view.mood_year.grid
    day = TODAY - timedelta(days=3)
    with qtbot.waitSignal(view.day_clicked) as clicked:
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=centre(grid, day))
    assert clicked.args == [day]
    assert view.mood_year.day_label.text() == grid.words(day)
    # A click between the cells or beside the grid opens nothing.
    with qtbot.assertNotEmitted(view.day_clicked):
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))

    # Keyboard: Tab reaches the grid (one stop); left is a week back, up a day; Enter opens.
    assert grid.focusPolicy() == Qt.FocusPolicy.StrongFocus
    chain, widget = [], view.nextInFocusChain()
    while widget is not view and len(chain) < 500:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    assert grid in chain
    grid.setFocus()
    qtbot.waitUntil(grid.hasFocus)
    qtbot.keyClick(grid, Qt.Key.Key_End)
    assert grid.focus_day == TODAY
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    expected = TODAY - timedelta(days=8)
    assert grid.focus_day == expected
    assert grid.accessibleDescription().startswith(grid.words(expected))
    assert view.mood_year.day_label.text() == grid.words(expected)
    with qtbot.waitSignal(view.day_clicked) as chosen:
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert chosen.args == [expected]
    qtbot.keyClick(grid, Qt.Key.Key_Home)
    qtbot.keyClick(grid, Qt.Key.Key_Up)  # never before the first day
    assert grid.year is not None and grid.focus_day == grid.year.start


def test_no_mood_in_a_year_explains_itself(qtbot: QtBot, folder: Path) -> None:
    data = [CheckIn(created=at(TODAY - timedelta(days=i)), stress=4) for i in range(8)]
    view = dashboard(qtbot, folder, data)
    card = view.cards["year"]
    assert not card.has_data and card.empty.text() == YEAR_EMPTY


def lightness_contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    def lum(c: str) -> float:
        q = QColor(c)
        parts = [q.redF(), q.greenF(), q.blueF()]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def simulate(colour: str, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, ...]:
    q = QColor(colour)
    rgb = (q.redF(), q.greenF(), q.blueF())
    return tuple(sum(m * v for m, v in zip(row, rgb, strict=True)) for row in matrix)


#: Machado, Oliveira and Fernandes (2009), severity 1.0: how the colours read without
#: green (deuteranopia) or red (protanopia) cones.
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                (-0.011820, 0.042940, 0.968881))
PROTANOPIA = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
              (-0.003882, -0.048116, 1.051998))


def test_the_five_levels_stay_apart_for_colour_blind_eyes_in_both_themes() -> None:
    for levels, theme in ((LIGHT_LEVELS, LIGHT), (DARK_LEVELS, DARK)):
        assert len(set(levels)) == 5
        for matrix in (DEUTERANOPIA, PROTANOPIA):
            seen = [simulate(c, matrix) for c in levels]
            for i, a in enumerate(seen):
                for b in seen[i + 1:]:
                    # At least a tenth of the range apart in some channel, as seen.
                    assert max(abs(x - y) for x, y in zip(a, b, strict=True)) > 0.1
        # The ends stand off the card's background (3:1, as for any graphic).
        for end in (levels[0], levels[-1]):
            assert lightness_contrast(end, theme.base) >= 3.0, (end, theme.base)


def test_a_click_in_trends_shows_that_days_entries_in_the_window(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    today = date.today()
    data = [Entry(created=at(today - timedelta(days=i)), title=f"Shift {i}", body="x",
                  mood=1) for i in range(8)]
    make_vault(folder, data)
    window = make_window(folder)
    from .conftest import unlock
    unlock(qtbot, window)
    window.show_trends()
    trends_shown(qtbot, window.dashboard)
    grid = window.dashboard.mood_year.grid
    qtbot.waitExposed(grid)
    day = today - timedelta(days=3)
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=centre(grid, day))
    page = window.journal_page
    assert page.filters.use_dates.isChecked()
    assert [e.title for e in page.model.entries()] == ["Shift 3"]
