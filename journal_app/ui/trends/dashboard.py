"""The trends dashboard: a range picker over a grid of chart cards, each with a plain reading.

Figures come from :func:`journal_app.core.practice.journal_trends.journal_trends`, computed in the
worker thread from the journal's per-day totals (:meth:`DashboardView.refresh`; never on the UI
thread: at 100,000 entries the first count takes a second), the sentences under the charts from
:func:`journal_app.core.practice.readings.chart_readings`; the drawing lives in
:mod:`journal_app.ui.trends.trend_charts`. A card without data says so instead of drawing an empty
chart.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.dates import EARLIEST_YEAR, LATEST_YEAR
from journal_app.core.practice import (
    CHART_TITLES,
    MoodYear,
    Trends,
    anything_to_show,
    chart_readings,
    checkin_notes,
    coping_words,
    load_library,
    new_journal_note,
    writing_reading,
)
from journal_app.core.practice.journal_trends import journal_mood_year, journal_trends
from journal_app.core.vocabulary import plural
from journal_app.ui.session import JournalSession
from journal_app.ui.theme import Colors, colors, sized_font
from journal_app.ui.trends import charts, trend_charts
from journal_app.ui.trends.moodyear import MoodYearView
from journal_app.ui.trends.summary_pdf import SummaryDialog
from journal_app.ui.widgets import FitCombo, FlowLayout, VerticalScrollArea

if TYPE_CHECKING:
    from journal_app.core.vault import Journal

#: (label, days back from today; None: all; -1: custom).
RANGES = (("Last 4 weeks", 28), ("Last 3 months", 91), ("Last year", 365), ("All time", None),
          ("Custom…", -1))
YEAR_TITLE = "A year of moods"
YEAR_EMPTY = ("Rate your mood when you check in, and the last twelve months fill in here, one "
              "day at a time.")
EMPTY_TEXT = ("Not enough data yet. Check in for a few days and your trends will appear here.")
COUNTING_TEXT = "Counting your check-ins and entries…"


def _beside(label: QLabel, field: QWidget) -> QWidget:
    """A word and its box, kept on one line (a wrapping row moves them together)."""
    group = QWidget()
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field)
    return group


class CardGrid(QWidget):
    """The cards two a row where both fit beside each other, else one a row: a second column
    wider than the window ran under the scroll bar, out of reach."""

    SPACING = 12

    def __init__(self, cards: list[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = cards
        self.columns = 0
        self.grid = QGridLayout(self)
        self.grid.setSpacing(self.SPACING)
        self._arrange(2)

    def _widest(self) -> int:
        return max(card.minimumSizeHint().width() for card in self.cards)

    def _arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:  # by reference (never emptied with takeAt)
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns)
        for column in range(2):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        margins = self.grid.contentsMargins()
        return QSize(self._widest() + margins.left() + margins.right(), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        margins = self.grid.contentsMargins()
        room = event.size().width() - margins.left() - margins.right()
        self._arrange(2 if room >= 2 * self._widest() + self.SPACING else 1)
        super().resizeEvent(event)


class Card(QFrame):
    """A titled box: a one-line reading, then a chart (or text), or an explanation; a chart's
    card has a "Save image…" button.

    Signals:
        save_requested(): the user asked to save this card as an image.
    """

    save_requested = Signal()

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None,
                 palette: Colors | None = None, savable: bool = False) -> None:
        super().__init__(parent)
        c = palette or colors()
        self.setObjectName("trendCard")
        self.setStyleSheet(f"#trendCard {{ background: {c.base}; border: 1px solid {c.border};"
                           " border-radius: 8px; }")
        self.title = QLabel(title)
        self.title.setWordWrap(True)  # at 28 pt a title alone was wider than an 800 px screen
        sized_font(self.title, 1.5, bold=True)
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {c.muted};")
        self.body = body
        self.save_button = QToolButton()
        self.save_button.setText("Save image…")
        self.save_button.setAccessibleName(f"Save {title} as an image")
        self.save_button.setToolTip("Save this chart as a PNG image")
        self.save_button.setAutoRaise(True)
        self.save_button.setStyleSheet(f"color: {c.accent};")
        self.save_button.setVisible(savable)
        self.save_button.clicked.connect(self.save_requested)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.reading)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.empty)

    def show_data(self, reading: str, has_data: bool, empty: str = "") -> None:
        self.reading.setText(reading)
        self.reading.setVisible(bool(reading))
        self.body.setVisible(has_data)
        self.empty.setText(empty)
        self.empty.setVisible(not has_data)
        self.has_data = has_data
        if self.save_button.isVisibleTo(self) or not has_data:
            self.save_button.setEnabled(has_data)


class DashboardView(QWidget):
    """Trends for a range of days, recomputed in the worker by :meth:`refresh`.

    Signals:
        day_clicked(date): open that day's entries.
        refreshed(): the figures asked for last are shown (or the journal is locked).
    """

    day_clicked = Signal(object)  # datetime.date: open that day's entries
    refreshed = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None,
                 today: date | None = None, palette: Colors | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.today = today
        #: Refreshes asked for, and the last one shown: a range changed twice quickly shows
        #: only the second.
        self._asked = self._shown = 0
        #: The figures of the range and the words to read them with (None while locked).
        self.trends: Trends | None = None
        self.reflect_labels: list[str] = [level.label for level in load_library().reflect]
        c = self.palette_colors = palette or colors()

        self.range_box = FitCombo()
        self.range_box.setAccessibleName("Range")
        for label, _ in RANGES:
            self.range_box.addItem(label)
        self.range_box.setCurrentIndex(1)
        self.start_edit = QDateEdit()
        self.end_edit = QDateEdit()
        for edit, name in ((self.start_edit, "From"), (self.end_edit, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.setDateRange(QDate(EARLIEST_YEAR, 1, 1), QDate(LATEST_YEAR, 12, 31))
            edit.setDate(QDate.currentDate())
            edit.dateChanged.connect(self._custom_changed)
        self.start_edit.setDate(QDate.currentDate().addDays(-90))
        self.from_label = QLabel("from")
        self.to_label = QLabel("to")
        heading = QLabel("Trends")
        sized_font(heading, 4, bold=True)
        self.pdf_button = QPushButton("Summary as PDF…")
        self.pdf_button.setToolTip("A one-page summary of these figures, for a meeting with a "
                                   "mentor or a wellness advisor. No entry text.")
        self.pdf_button.clicked.connect(self.export_summary)
        # The heading, then the range and the button at the right end, on as many lines as the
        # width needs (at 28 pt on 800 px one line was 1,350 px: the page scrolled sideways);
        # each word stays beside its box.
        self.from_group = _beside(self.from_label, self.start_edit)
        self.to_group = _beside(self.to_label, self.end_edit)
        bar = FlowLayout(spacing=12)
        bar.addWidget(heading)
        bar.addStretch()
        for w in (_beside(QLabel("Show"), self.range_box), self.from_group, self.to_group,
                  self.pdf_button):
            bar.addWidget(w)
        self.range_box.currentIndexChanged.connect(self._range_changed)

        self.charts: dict[str, charts.Chart] = {
            key: trend_charts.make_chart(key, c) for key in CHART_TITLES}
        for chart in self.charts.values():
            chart.day_clicked.connect(self.day_clicked)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.titles = dict(CHART_TITLES)
        self.cards: dict[str, Card] = {
            k: Card(self.titles[k], w, palette=c, savable=True) for k, w in self.charts.items()}
        for key, card in self.cards.items():
            card.save_requested.connect(lambda key=key: self.save_card_dialog(key))
        self.cards["summary"] = Card("Writing", self.summary, palette=c)
        # The last twelve months, whatever the range: beside the calendar.
        self.mood_year = MoodYearView(c)
        self.mood_year.grid.day_clicked.connect(self.day_clicked)
        self.cards["year"] = Card(YEAR_TITLE, self.mood_year, palette=c)

        # The year of moods beside the calendar, burnout after them.
        order = [k for k in CHART_TITLES if k != "burnout"]
        order[order.index("calendar") + 1:order.index("calendar") + 1] = ["year", "burnout"]
        self.grid = CardGrid([self.cards[key] for key in [*order, "summary"]])
        scroll = VerticalScrollArea(self.grid)
        scroll.setAccessibleName("Trends charts")

        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(f"color: {c.muted}; padding: 40px;")
        sized_font(self.empty_label, 3)
        self.stack = QStackedWidget()
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.empty_label)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self._range_changed()

    # ---------------------------------------------------------------- range

    def _custom(self) -> bool:
        return RANGES[self.range_box.currentIndex()][1] == -1

    def _range_changed(self) -> None:
        for group in (self.from_group, self.to_group):
            group.setVisible(self._custom())
        self.refresh()

    def _custom_changed(self) -> None:
        if self._custom():
            self.refresh()

    def date_range(self) -> tuple[date | None, date | None]:
        back = RANGES[self.range_box.currentIndex()][1]
        today = self.today or date.today()
        if back is None:
            return None, None
        if back == -1:
            # PySide6's stubs type QDate.toPython() as object; it returns a datetime.date.
            start: date = self.start_edit.date().toPython()  # type: ignore[assignment]
            end: date = self.end_edit.date().toPython()  # type: ignore[assignment]
            return min(start, end), max(start, end)
        return today - timedelta(days=back - 1), today

    # ---------------------------------------------------------------- figures

    @property
    def figures(self) -> dict[str, Any]:
        """The figures of the range (empty while locked)."""
        return self.trends.figures if self.trends is not None else {}

    @property
    def refreshing(self) -> bool:
        """Figures are being worked out in the worker."""
        return self._shown < self._asked

    def refresh(self) -> None:
        """Recompute every figure for the chosen range in the worker, then redraw."""
        self._asked += 1
        asked = self._asked
        if not self.session.is_unlocked:
            self.trends = None
            self.stack.setCurrentWidget(self.empty_label)
            self._shown = asked
            self.refreshed.emit()
            return
        start, end = self.date_range()
        today, year_end = self.today, self.today or date.today()
        if self.trends is None:
            self.empty_label.setText(COUNTING_TEXT)
            self.stack.setCurrentWidget(self.empty_label)
            self.pdf_button.setEnabled(False)  # nothing to summarise yet

        def work(journal: Journal) -> tuple[Trends, dict[str, list[str]], MoodYear]:
            return (journal_trends(journal, start, end, today=today),
                    # A check-in's note, beside its day in the calendar (never in the figures
                    # or the PDF).
                    checkin_notes(journal.checkins(), start, end),
                    journal_mood_year(journal, year_end))

        def failed(message: str) -> None:
            if asked == self._asked:
                self._shown = asked
                self.session.failed.emit(message)
                self.refreshed.emit()

        self.session.background(work, lambda result: self._show(asked, *result), failed)

    def _show(self, asked: int, trends: Trends, notes: dict[str, list[str]],
              year: MoodYear) -> None:
        if asked != self._asked:  # a later refresh is on its way
            return
        self._shown = asked
        self.trends = trends
        self.reflect_labels = list(trends.reflect_labels)
        # A new journal: one note of what appears after a week, not a page of empty cards.
        note = new_journal_note(trends.days_recorded)
        if note is not None or not anything_to_show(trends.figures):
            self.empty_label.setText(note or EMPTY_TEXT)
            self.stack.setCurrentWidget(self.empty_label)
            self.pdf_button.setEnabled(False)
            self.refreshed.emit()
            return
        self.stack.setCurrentIndex(0)
        self.pdf_button.setEnabled(True)
        for reading in chart_readings(trends):
            if reading.has_data:
                trend_charts.draw(self.charts[reading.key], reading.key, trends, notes)
            self.cards[reading.key].show_data(reading.sentence, reading.has_data, reading.empty)
        self.show_year(year)
        writing = writing_reading(trends)
        self.summary.setText(writing.sentence)
        self.cards["summary"].title.setText(writing.title)
        self.cards["summary"].show_data("", True)
        self.refreshed.emit()

    def show_year(self, year: MoodYear) -> None:
        """The year of moods: the twelve months that end today, whatever the range."""
        self.mood_year.set_year(year)
        rated = year.rated_days()
        self.cards["year"].show_data(
            f"{plural(rated, 'day')} with a mood rating in the last twelve months." if rated
            else "", rated > 0, YEAR_EMPTY)

    def depth_ticks(self) -> list[tuple[float, str]]:
        """The depth axis in the words of the rating the user chose from (levels 1 to 4)."""
        return trend_charts.depth_ticks(self.reflect_labels)

    def coping_label(self, strategy: str) -> str:
        """A coping strategy's words ("Talked it over with my team"), not its id."""
        return coping_words(self.trends or Trends({}), strategy)

    # ---------------------------------------------------------------- export

    def save_chart_png(self, chart_name: str, path: str) -> bool:
        """Write one card (title, reading and chart) as a PNG file."""
        button = self.cards[chart_name].save_button
        shown = button.isVisible()
        button.hide()  # not part of the picture
        try:
            return charts.save_png(self.cards[chart_name], path)
        finally:
            button.setVisible(shown)

    def save_card_dialog(self, chart_name: str) -> None:
        """Ask where, then save one card as PNG (the name is the chart's, never journal text)."""
        start = self.date_range()[0]
        suggested = f"journal-trends-{chart_name.replace('_', '-')}-" \
            f"{(start or date.today()).isoformat()}.png"
        path, _ = QFileDialog.getSaveFileName(self, "Save chart as image",
                                              str(Path.home() / suggested), "PNG image (*.png)")
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        if not self.save_chart_png(chart_name, path):
            QMessageBox.warning(self, "Not saved", "The image could not be written there. "
                                "Choose another folder.")

    def export_summary(self) -> None:
        """Ask for optional notes and a file, then write the one-page PDF summary."""
        if self.trends is not None:
            SummaryDialog(self, self).exec()
