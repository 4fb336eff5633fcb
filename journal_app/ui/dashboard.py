"""The trends dashboard: a range picker over a grid of chart cards, each with a plain reading.

Figures come from :func:`journal_app.core.trends.compute_trends` (recomputed in the UI thread by
:meth:`DashboardView.refresh`); the drawing lives in :mod:`journal_app.ui.charts`. A reading only
states what the numbers show; a card without data says so instead of drawing an empty chart.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.assessment import forms as assessment_forms
from ..core.assessment import reading as assessment_reading
from ..core.custom import library_with_custom
from ..core.dates import EARLIEST_YEAR, LATEST_YEAR
from ..core.journal import Journal
from ..core.model import CheckIn, Entry, SelfAssessment
from ..core.prompts import COSTLY_COPING_GROUPS, FACET_LABELS, FACETS, load_library
from ..core.sharing import mentor_depth_ratings
from ..core.trends import compute_trends, headline_sentence, helps_headline
from ..core.wording import encounter_words, plural
from . import charts
from .session import JournalSession
from .theme import Colors, colors

#: (label, days back from today; None: all; -1: custom).
RANGES = (("Last 4 weeks", 28), ("Last 3 months", 91), ("Last year", 365), ("All time", None),
          ("Custom…", -1))
EMPTY_TEXT = ("Not enough data yet. Check in for a few days and your trends will appear here.")
#: A series needs this many days before its chart says anything.
MIN_POINTS = 3




def _mid_month(month: str) -> date:
    """"2026-03" -> 15 March 2026 (where a month's point is drawn)."""
    return date.fromisoformat(month + "-15")


def _avg(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def series_reading(name: str, points: list[dict[str, Any]]) -> str:
    if len(points) < MIN_POINTS:
        return f"Not enough {name} ratings in this range yet."
    # A 30-day mean is only a 30-day mean once 30 days of the range are behind it.
    start = date.fromisoformat(points[0]["date"]) + timedelta(days=29)
    full = [p for p in points if date.fromisoformat(p["date"]) >= start]
    if len(full) >= 2:
        return (f"Your 30-day average {name} went from {full[0]['mean30']:.1f} to "
                f"{full[-1]['mean30']:.1f} over this range ({plural(len(points), 'day')} "
                "rated).")
    mean = sum(p["value"] for p in points) / len(points)
    return (f"Your {name} averaged {mean:.1f} over {plural(len(points), 'rated day')} in this "
            "range.")


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
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
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
    """Trends for a range of days, recomputed from ``session.journal`` by :meth:`refresh`."""

    day_clicked = Signal(object)  # datetime.date: open that day's entries

    def __init__(self, session: JournalSession, parent: QWidget | None = None,
                 today: date | None = None, palette: Colors | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.today = today
        self.figures: dict[str, Any] = {}
        self.coping_labels: dict[str, str] = {}
        self.coping_groups: dict[str, str] = {}
        self.reflect_labels: list[str] = [level.label for level in load_library().reflect]
        self.show_streaks = False
        c = self.palette_colors = palette or colors()

        self.range_box = QComboBox()
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
        bar = QHBoxLayout()
        heading = QLabel("Trends")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        bar.addWidget(heading)
        bar.addStretch(1)
        bar.addWidget(QLabel("Show"))
        for w in (self.range_box, self.from_label, self.start_edit, self.to_label,
                  self.end_edit):
            bar.addWidget(w)
        self.pdf_button = QPushButton("Summary as PDF…")
        self.pdf_button.setToolTip("A one-page summary of these figures, for a meeting with a "
                                   "mentor or a wellness advisor. No entry text.")
        self.pdf_button.clicked.connect(self.export_summary)
        bar.addSpacing(12)
        bar.addWidget(self.pdf_button)
        self.range_box.currentIndexChanged.connect(self._range_changed)

        self.charts: dict[str, charts.Chart] = {
            "mood": charts.Chart(c, clickable=True),
            "stress": charts.Chart(c, clickable=True),
            "burnout": charts.Chart(c, clickable=True),
            "calendar": charts.Chart(c, clickable=True),
            "emotions": charts.Chart(c, dates=False),
            "encounters": charts.Chart(c),
            "coping": charts.Chart(c, dates=False),
            "emotions_time": charts.Chart(c),
            "facets": charts.Chart(c, dates=False),
            "depth": charts.Chart(c),
            "competency": charts.Chart(c),
            "wellbeing": charts.Chart(c),
        }
        for chart in self.charts.values():
            chart.day_clicked.connect(self.day_clicked)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        titles = {"mood": "Mood and energy", "stress": "Stress (0 to 10)",
                  "burnout": "Burnout (1 to 5)",
                  "calendar": "Mood calendar", "emotions": "Emotions named most often",
                  "encounters": "Difficult encounters per month",
                  "coping": "Coping strategies by rated help (−2 to +2)",
                  "emotions_time": "Emotions over time (mentions a month)",
                  "facets": "Competency 4: facets you reflected on",
                  "depth": "Depth of reflection (REFLECT levels)",
                  "competency": "Rotation self-assessment (personal ratings)",
                  "wellbeing": "Monthly wellbeing check (personal ratings)"}
        self.titles = titles
        self.cards: dict[str, Card] = {
            k: Card(titles[k], w, palette=c, savable=True) for k, w in self.charts.items()}
        for key, card in self.cards.items():
            card.save_requested.connect(lambda key=key: self.save_card_dialog(key))
        self.cards["summary"] = Card("Writing", self.summary, palette=c)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setSpacing(12)
        order = ["mood", "stress", "burnout", "calendar", "emotions", "emotions_time",
                 "encounters", "coping", "facets", "depth", "competency", "wellbeing", "summary"]
        for i, key in enumerate(order):
            grid.addWidget(self.cards[key], i // 2, i % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(grid_host)

        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(f"color: {c.muted}; font-size: 14pt; padding: 40px;")
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
        for w in (self.from_label, self.start_edit, self.to_label, self.end_edit):
            w.setVisible(self._custom())
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

    def _compute(self, journal: Journal, start: date | None, end: date | None) -> None:
        library = library_with_custom(load_library(), journal)
        self.coping_labels = {c.id: c.label for c in library.coping}
        self.coping_groups = {c.id: c.group for c in library.coping}
        self.reflect_labels = [level.label for level in library.reflect]
        self.show_streaks = journal.app_state().show_streaks
        self.figures = compute_trends(
            journal.entries(), journal.checkins(), start, end, library=library,
            today=self.today, assessments=journal.records(SelfAssessment),
            mentor_ratings=mentor_depth_ratings(journal))

    def refresh(self) -> None:
        """Recompute every figure for the chosen range and redraw."""
        if not self.session.is_unlocked:
            self.figures = {}
            self.stack.setCurrentWidget(self.empty_label)
            return
        start, end = self.date_range()
        self.session.read(lambda journal: self._compute(journal, start, end))
        if not self._anything_to_show():
            self.stack.setCurrentWidget(self.empty_label)
            self.pdf_button.setEnabled(False)
            return
        self.stack.setCurrentIndex(0)
        self.pdf_button.setEnabled(True)
        self._draw_series()
        self._draw_calendar()
        self._draw_emotions()
        self._draw_emotions_over_time()
        self._draw_encounters()
        self._draw_coping()
        self._draw_facets()
        self._draw_depth()
        self._draw_assessments()
        self._draw_summary()

    def _anything_to_show(self) -> bool:
        """Whether any card has something to draw; otherwise the whole page explains what to
        do (each card also explains itself when only it is empty)."""
        f = self.figures
        return (any(len(points) >= MIN_POINTS for points in f["series"].values())
                or any(f["self_assessment"][form]["n"] for form in f["self_assessment"])
                or bool(f["depth"]["points"] or f["depth"]["mentor"]["points"])
                or bool(f["emotions"]["total"] or f["encounters"]["total"])
                or bool(f["coping"]["by_help"] or f["facets"]["covered"]))

    def _draw_series(self) -> None:
        s = self.figures["series"]
        # Each scale on its own axis: burnout (1 to 5) drawn on stress's 0 to 10 would look
        # half as bad as it is.
        for key, names, y_range in (("mood", ("mood", "energy"), (-5, 5)),
                                    ("stress", ("stress",), (0, 10)),
                                    ("burnout", ("burnout",), (1, 5))):
            shown = {n: s[n] for n in names if s[n]}
            has = any(len(p) >= MIN_POINTS for p in shown.values())
            if has:
                self.charts[key].draw_series(shown, y_range)
            first = names[0]
            reading = series_reading(first, s[first])
            self.cards[key].show_data(reading, has, "Check in for a few days and this chart "
                                      "will fill in.")

    def _draw_calendar(self) -> None:
        cells = self.figures["calendar"]
        rated = [c["mood"] for c in cells if c["mood"] is not None]
        has = bool(rated)
        if has:
            self.charts["calendar"].draw_calendar(cells)
            low = sum(1 for m in rated if m < 0)
            high = sum(1 for m in rated if m > 0)
            reading = (f"{len(rated):,} of {plural(len(cells), 'day')} have a mood: {high:,} "
                       f"above zero (purple), {low:,} below (orange). Click a day to open it.")
        else:
            reading = ""
        self.cards["calendar"].show_data(reading, has, "Rate your mood when you check in.")

    def _draw_emotions(self) -> None:
        em = self.figures["emotions"]
        items = em["items"][:10]
        if items:
            self.charts["emotions"].draw_bars(
                [i["name"] for i in items], [i["count"] for i in items],
                [f"{i['name']}: named {plural(i['count'], 'time')}, mean intensity "
                 f"{i['mean_intensity']:.1f}" for i in items], counts=True)
            top = items[0]
            reading = (f"You named {top['name']} most often: {top['count']:,} of "
                       f"{plural(em['total'], 'mention')}.")
        else:
            reading = ""
        self.cards["emotions"].show_data(reading, bool(items),
                                         "Name an emotion in a check-in or entry.")

    def _draw_encounters(self) -> None:
        enc = self.figures["encounters"]
        months = enc["over_time"]
        if months:
            xs = [charts.day_x(_mid_month(m["month"])) for m in months]
            totals = [sum(m["counts"].values()) for m in months]
            tips = [f"{_mid_month(m['month']):%B %Y}: " + ", ".join(
                f"{encounter_words(k)} {v}" for k, v in m["counts"].items()) for m in months]
            self.charts["encounters"].draw_bars([m["month"] for m in months], totals, tips,
                                                horizontal=False, xs=xs, width=20 * charts.DAY,
                                                counts=True)
            top = next(iter(enc["counts"]))
            reading = (f"{plural(enc['total'], 'difficult encounter')} in this range; "
                       f"the most common was {encounter_words(top)} ({enc['counts'][top]:,}).")
            reading += self._stress_after_encounters()
        else:
            reading = ""
        self.cards["encounters"].show_data(reading, bool(months),
                                           "No difficult encounters recorded in this range.")

    def _stress_after_encounters(self) -> str:
        """" Stress averaged X on days after a difficult encounter and Y on other days." when
        both sides have enough days."""
        start, end = self.date_range()
        from ..core.trends import day_of, in_range

        records: list[Entry | CheckIn] = self.session.read_or(
            lambda journal: [*journal.entries(), *journal.checkins()], [])
        if not self.session.is_unlocked:
            return ""
        days = {day_of(r) for r in records
                if r.encounter and in_range(day_of(r), start, end)}
        after: list[float] = []
        other: list[float] = []
        for p in self.figures["series"]["stress"]:
            day = date.fromisoformat(p["date"])
            (after if day - timedelta(days=1) in days else other).append(p["value"])
        if len(after) < 5 or len(other) < 5:
            return ""
        return (f" Stress averaged {_avg(after):.1f} on days after a difficult encounter and "
                f"{_avg(other):.1f} on other days.")

    def _draw_coping(self) -> None:
        cop = self.figures["coping"]
        items = cop["by_help"][:10]
        label = self.coping_label
        if items:
            self.charts["coping"].draw_bars(
                [label(i["strategy"]) for i in items], [i["mean_helped"] for i in items],
                [f"{label(i['strategy'])}: rated {i['mean_helped']:+.1f} on average over "
                 f"{plural(i['uses'], 'use')}" for i in items], signed=True)
        reading = ""
        headline = helps_headline(self.figures["what_helps"], self.coping_groups)
        # Never "numbed it with alcohol was rated most helpful": costly ways of coping are
        # shown on the chart, honestly rated, but never offered as what helps.
        helpful = [i for i in items if i["mean_helped"] > 0 and i["uses"] >= MIN_POINTS
                   and self.coping_groups.get(i["strategy"]) not in COSTLY_COPING_GROUPS]
        if headline is not None:
            reading = headline_sentence(headline, label(headline["key"]))
        elif helpful:
            reading = (f"{label(helpful[0]['strategy'])} was rated most helpful "
                       f"({helpful[0]['mean_helped']:+.1f} on average, "
                       f"{plural(helpful[0]['uses'], 'use')}).")
        self.cards["coping"].show_data(reading, bool(items),
                                       "Rate what helped in a guided reflection.")

    def _draw_emotions_over_time(self) -> None:
        em = self.figures["emotions"]
        months = em["over_time"]
        top = [i["name"] for i in em["items"][:4]]
        has = len(months) >= 2 and bool(top)
        reading = ""
        if has:
            lines = {name: [(_mid_month(m["month"]), float(m["counts"].get(name, 0)))
                            for m in months] for name in top}
            peak = max(months, key=lambda m: m["counts"].get(top[0], 0))
            self.charts["emotions_time"].draw_lines(lines, (0, max(
                (v for pts in lines.values() for _, v in pts), default=1) * 1.1), " mentions",
                span=self._span(), counts=True)
            reading = (f"Your four most named emotions, month by month; {top[0]} was named "
                       f"most in {_mid_month(peak['month']):%B %Y} "
                       f"({plural(peak['counts'].get(top[0], 0), 'time')}).")
        self.cards["emotions_time"].show_data(
            reading, has, "Name emotions over at least two months and this chart fills in.")

    def _draw_facets(self) -> None:
        facets = self.figures["facets"]
        counts = facets["counts"]
        has = facets["covered"] > 0
        reading = ""
        if has:
            keys = [f for f in FACETS if f in counts]
            self.charts["facets"].draw_bars(
                [FACET_LABELS[k] for k in keys], [counts[k] for k in keys],
                [f"{FACET_LABELS[k]}: in {plural(counts[k], 'entry', 'entries')}"
                 for k in keys], counts=True)
            missing = [FACET_LABELS[k].lower() for k in keys if counts[k] == 0]
            reading = f"You reflected on {facets['covered']} of {facets['of']} facets"
            reading += ("; not yet: " + ", ".join(missing[:3])
                        + (" and more" if len(missing) > 3 else "") + "." if missing
                        else ": every one.")
        self.cards["facets"].show_data(reading, has,
                                       "Answer a prompt or a guided reflection to fill this in.")

    def _draw_depth(self) -> None:
        depth = self.figures["depth"]
        monthly = depth["monthly"]
        mentor = depth["mentor"]
        has = bool(depth["points"] or mentor["points"])
        reading = ""
        if has:
            lines = {"your own rating (monthly mean)":
                     [(_mid_month(m["month"]), float(m["mean"])) for m in monthly]}
            dots: set[str] = set()
            if mentor["points"]:
                # Each of the mentor's ratings on its own: a few ratings averaged by month
                # would look like a trend they are not.
                name = "your mentor's rating (each shared entry)"
                lines[name] = [(date.fromisoformat(p["date"]), float(p["level"]))
                               for p in mentor["points"]]
                dots.add(name)
            self.charts["depth"].draw_lines(lines, (1, 4), y_ticks=self.depth_ticks(),
                                            span=self._span(), dots_only=dots)
            n = len(depth["points"])
            if len(monthly) >= 2:
                reading = (f"Your self-rated depth averaged {monthly[0]['mean']:.1f} in "
                           f"{_mid_month(monthly[0]['month']):%B} and "
                           f"{monthly[-1]['mean']:.1f} in "
                           f"{_mid_month(monthly[-1]['month']):%B %Y} "
                           f"({plural(n, 'reflection')} rated).")
            elif monthly:
                reading = (f"{plural(n, 'reflection')} rated, averaging "
                           f"{monthly[0]['mean']:.1f} of 4.")
            if mentor["points"]:
                levels = [p["level"] for p in mentor["points"]]
                rated = plural(len(levels), "shared entry", "shared entries")
                reading += (f" Your mentor rated {rated}, averaging "
                            f"{sum(levels) / len(levels):.1f} of 4.")
        self.cards["depth"].show_data(reading.strip(), has,
                                      "Rate the depth at the end of a guided reflection.")

    def _draw_assessments(self) -> None:
        rated = self.figures["self_assessment"]
        for form in ("competency", "wellbeing"):
            data = rated[form]
            has = data["n"] > 0
            if has:
                lines = {row["label"]: [(date.fromisoformat(p["date"]), float(p["value"]))
                                        for p in row["points"]] for row in data["items"]}
                spec = assessment_forms()[form]
                ticks = ([(float(lv.value), lv.label) for lv in spec.levels]
                         if form == "competency" else None)
                self.charts[form].draw_lines(lines, (1, 5), y_ticks=ticks, span=self._span())
            empty = ("Take the rotation self-assessment (Trends menu) to see how you grow."
                     if form == "competency" else
                     "Take the monthly wellbeing check (Trends menu) to see it over time.")
            self.cards[form].show_data(assessment_reading(data, form), has, empty)

    def depth_ticks(self) -> list[tuple[float, str]]:
        """The depth axis in the words of the rating the user chose from (levels 1 to 4)."""
        return [(i + 1.0, name) for i, name in enumerate(self.reflect_labels)]

    def _span(self) -> tuple[date, date] | None:
        """The chosen range when it is closed (all time: the data's own)."""
        start, end = self.date_range()
        return (start, end) if start is not None and end is not None else None

    def coping_label(self, strategy: str) -> str:
        """A coping strategy's words ("Talked it over with my team"), not its id."""
        return self.coping_labels.get(strategy, strategy.replace("-", " "))

    def _draw_summary(self) -> None:
        st = self.figures["streaks"]
        words = self.figures["words"]
        lines = [f"{plural(words['total'], 'word')} in "
                 f"{plural(words['entries'], 'entry', 'entries')} in this range."]
        if self.show_streaks:  # off unless the user turned it on in Settings
            lines += [f"Check-in streak: {plural(st['checkin']['current'], 'day')} now, "
                      f"longest {plural(st['checkin']['longest'], 'day')}.",
                      f"Writing streak: {plural(st['writing']['current'], 'day')} now, "
                      f"longest {plural(st['writing']['longest'], 'day')}."]
        self.summary.setText("\n".join(lines))
        self.cards["summary"].title.setText("Streaks and writing" if self.show_streaks
                                            else "Writing")
        self.cards["summary"].show_data("", True)

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
        from .summary_pdf import SummaryDialog

        SummaryDialog(self, self).exec()
