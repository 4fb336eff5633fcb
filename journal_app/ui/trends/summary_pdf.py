"""The one-page PDF summary of the trends for a range: figures and charts, no entry text.

For a meeting with a mentor or a wellness advisor. It holds the numbers the dashboard shows (means,
streaks, counts, the names of emotions and coping strategies) and the charts, drawn in the light
palette whatever the screen's theme, as vectors (each pyqtgraph view renders its scene into the
PDF painter). Nothing from an entry's title or text is written unless the user types or pastes
it into the notes box: that is their choice, made in the dialog, and the notes pass the same
de-identification review as sharing before anything is written (every possible identifier
decided in :class:`~journal_app.ui.interchange.deid_review.DeidReviewDialog`).

The page is laid out to fit one A4 page: the chart grid takes the room left by the figures and
notes, never a second page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPoint, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QRegion,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.deid import find_identifiers
from journal_app.core.errors import StorageError
from journal_app.core.files import write_private_file
from journal_app.core.interchange import FORMATS
from journal_app.core.practice import CHART_TITLES, Trends, chart_readings, summary_rows
from journal_app.ui import theme
from journal_app.ui.interchange.deid_review import DeidReviewDialog
from journal_app.ui.session import Change
from journal_app.ui.trends import trend_charts
from journal_app.ui.trends.charts import Chart
from journal_app.ui.widgets import error_label, heading, muted, primary_button, show_error

if TYPE_CHECKING:
    from journal_app.ui.session import JournalSession


class TrendsPage(Protocol):
    """What the dialog needs of the page it was opened from (the dashboard): the session (for
    the names the review knows) and the trends shown."""

    session: JournalSession
    trends: Trends | None

#: This page's file in the format registry (journal_app.core.interchange.summary_pdf).
SUMMARY_FORMAT = "trends-summary"
#: Notes longer than this are cut (the page has room for a short paragraph).
MAX_NOTES = 1_500
FOOTER = ("Personal ratings and counts from my own journal, to watch over time: not a score, a "
          "test or a diagnosis. Made with journal-app on my own computer.")


def range_text(figures: dict[str, Any]) -> str:
    rng = figures["range"]

    def day(text: str | None, default: str) -> str:
        return f"{date.fromisoformat(text):%d %b %Y}" if text else default

    return f"{day(rng['from'], 'the first record')} to {day(rng['to'], 'today')}"


#: The charts a summary shows by default, most useful first; a page holds at most MAX_CHARTS.
PRIORITY = ("mood", "stress", "burnout", "encounters", "emotions", "coping", "competency",
            "wellbeing", "depth", "calendar", "facets", "emotions_time")
MAX_CHARTS = 8


def default_charts(available: list[str]) -> list[str]:
    return [k for k in PRIORITY if k in available][:MAX_CHARTS]


def available_charts(trends: Trends) -> list[str]:
    """The charts with data, most useful first."""
    with_data = {r.key for r in chart_readings(trends) if r.has_data}
    return [k for k in PRIORITY if k in with_data]


def write_summary_pdf(path: Path, trends: Trends, notes: str = "",
                      chosen: list[str] | None = None) -> None:
    """Write the one-page summary of ``trends`` (its figures, and the ``chosen`` charts drawn
    in the light palette; by default the first :data:`MAX_CHARTS` with data) to ``path``."""
    readings = {r.key: r for r in chart_readings(trends)}
    available = available_charts(trends)
    keys = [k for k in available if k in (chosen if chosen is not None
                                          else default_charts(available))][:MAX_CHARTS]
    # The charts again, in the light palette, laid out off screen at a printable size.
    host = QWidget()
    host.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    column = QVBoxLayout(host)
    cards: list[tuple[str, str, QWidget]] = []
    for key in keys:
        chart = trend_charts.make_chart(key, theme.LIGHT)
        trend_charts.draw(chart, key, trends)
        column.addWidget(chart)
        cards.append((readings[key].title, readings[key].sentence, chart))
    host.resize(1400, 900)
    host.show()
    try:
        data = _paint(trends.figures, summary_rows(trends), cards, notes[:MAX_NOTES].strip())
    finally:
        host.close()
        host.deleteLater()
    # Painted in memory, written whole: owner-only from the first byte, and a paint that fails
    # leaves no partial file (nor replaces an earlier summary of the same name).
    write_private_file(path, data)


def _paint(figures: dict[str, Any], rows: list[tuple[str, str]],
           cards: Sequence[tuple[str, str, QWidget]], notes: str) -> bytes:
    """The PDF's bytes."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(14, 12, 14, 12), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    writer.setTitle("Trends summary")
    writer.setCreator("journal-app")
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError("the PDF could not be started")
    try:
        _layout(painter, QRectF(0, 0, writer.width(), writer.height()), figures, rows, cards,
                notes)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def _font(px: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(px)))
    font.setBold(bold)
    return font


def _text(painter: QPainter, rect: QRectF, text: str, px: float, bold: bool = False,
          color: str = "#22262b", flags: int = 0) -> float:
    """Draw wrapped text in ``rect``; return the height used."""
    painter.setFont(_font(px, bold))
    painter.setPen(QColor(color))
    align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
        Qt.TextFlag.TextWordWrap) | flags
    used = painter.boundingRect(rect, align, text)
    painter.drawText(rect, align, text)
    return min(used.height(), rect.height())


def _layout(painter: QPainter, page: QRectF, figures: dict[str, Any],
            rows: list[tuple[str, str]], cards: Sequence[tuple[str, str, QWidget]],
            notes: str) -> None:
    w = page.width()
    unit = w / 180  # about one millimetre
    muted = theme.LIGHT.muted
    y = page.top()
    y += _text(painter, QRectF(0, y, w, 9 * unit), "Trends summary", 6.5 * unit, bold=True)
    y += _text(painter, QRectF(0, y, w, 6 * unit),
               f"{range_text(figures)} · made on {date.today():%d %b %Y}", 3.4 * unit,
               color=muted) + 3 * unit

    # The figures, in two columns of label / value (a long value wraps under itself).
    half = math.ceil(len(rows) / 2)
    col = (w - 6 * unit) / 2
    label_w = 36 * unit
    px = 2.9 * unit
    bottoms = []
    for column, cx in ((rows[:half], 0.0), (rows[half:], col + 6 * unit)):
        cy = y
        for label, value in column:
            _text(painter, QRectF(cx, cy, label_w, 10 * unit), label, px, bold=True)
            cy += max(4.6 * unit, _text(painter, QRectF(cx + label_w + unit, cy,
                                                        col - label_w - unit, 10 * unit),
                                        value, px) + 1.2 * unit)
        bottoms.append(cy)
    y = max(bottoms) + 3 * unit

    # Notes (the user's own words) and the footer take the bottom of the page.
    footer_h = 8 * unit
    notes_h = 0.0
    if notes:
        painter.setFont(_font(3.0 * unit))
        needed = painter.boundingRect(QRectF(0, 0, w, page.height()),
                                      int(Qt.TextFlag.TextWordWrap), notes).height()
        notes_h = min(needed, 40 * unit) + 7 * unit
    grid_bottom = page.bottom() - footer_h - notes_h

    # The charts: two columns, as many rows as needed, sharing the room left.
    if cards:
        cols = 2
        rows_n = math.ceil(len(cards) / cols)
        gap = 4 * unit
        cell_w = (w - gap) / cols
        cell_h = (grid_bottom - y - gap * (rows_n - 1)) / rows_n
        for i, (title, reading, chart) in enumerate(cards):
            cx = (i % cols) * (cell_w + gap)
            cy = y + (i // cols) * (cell_h + gap)
            used = _text(painter, QRectF(cx, cy, cell_w, 5 * unit), title, 3.0 * unit,
                         bold=True, flags=int(Qt.TextFlag.TextSingleLine))
            used += _text(painter, QRectF(cx, cy + used, cell_w, 10 * unit), reading,
                          2.5 * unit, color=muted)
            target = QRectF(cx, cy + used + unit, cell_w, max(unit, cell_h - used - unit))
            _render_chart(painter, chart, target)
    y = grid_bottom

    if notes:
        painter.setPen(QPen(QColor(theme.LIGHT.border), unit / 4))
        painter.drawLine(0, int(y + 2 * unit), int(w), int(y + 2 * unit))
        _text(painter, QRectF(0, y + 3 * unit, w, 4 * unit), "My notes for this meeting",
              3.0 * unit, bold=True)
        _text(painter, QRectF(0, y + 7 * unit, w, notes_h - 7 * unit), notes, 3.0 * unit)
    _text(painter, QRectF(0, page.bottom() - footer_h + 2 * unit, w, footer_h), FOOTER,
          2.5 * unit, color=muted)


def _render_chart(painter: QPainter, chart: QWidget, target: QRectF) -> None:
    """Draw the chart (its key and plot; not the hover line) into ``target``: laid out at the
    target's proportions in screen pixels, then scaled, so text keeps its size relative to the
    chart. The plot is a QGraphicsView: its scene goes into the PDF as vectors."""
    if not isinstance(chart, Chart):
        return
    width = 700
    height = max(160, round(width * target.height() / max(1.0, target.width())))
    chart.hover.hide()
    key_h = chart.key.heightForWidth(width) if chart.key.isVisibleTo(chart) else 0
    chart.plot.setFixedHeight(max(80, height - key_h - 4))
    chart.setFixedSize(width, height)
    layout = chart.layout()  # a Chart lays out its key, plot and hover line itself
    if layout is not None:
        layout.activate()
    scale = min(target.width() / width, target.height() / height)
    painter.save()
    painter.translate(target.topLeft())
    painter.scale(scale, scale)
    chart.render(painter, QPoint(), QRegion(), QWidget.RenderFlag.DrawChildren)
    painter.restore()


class SummaryDialog(QDialog):
    """Notes to add (optional), then where to save the one-page PDF."""

    def __init__(self, view: TrendsPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if view.trends is None:
            raise ValueError("the summary needs the trends of an unlocked journal")
        self.view = view
        self.trends = view.trends
        self.path: Path | None = None
        #: (the notes as reviewed, the notes with the decisions applied)
        self._reviewed: tuple[str, str] | None = None
        self.setWindowTitle("Summary as PDF")
        intro = muted(
            f"One page with the figures and charts for {range_text(self.trends.figures)}. "
            "It holds no text from your entries. If you want to bring a few lines to the "
            "meeting, add them below: names, dates and numbers in them are shown to you for "
            "review first, as when sharing.")
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes or excerpts to add")
        self.notes.setPlaceholderText("Notes or excerpts to add (optional)")
        self.notes.setTabChangesFocus(True)
        self.chart_list = QListWidget()
        self.chart_list.setAccessibleName("Charts to include")
        available = available_charts(self.trends)
        defaults = default_charts(available)
        for key in available:
            item = QListWidgetItem(CHART_TITLES[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in defaults
                               else Qt.CheckState.Unchecked)
            self.chart_list.addItem(item)
        self.chart_list.itemChanged.connect(self._update)
        self.chart_hint = muted("")
        warning = muted("The PDF is not encrypted: keep it somewhere safe, and share it only "
                        "with people you choose.")
        self.error = error_label()
        buttons = QDialogButtonBox()
        self.save_button = primary_button("Save PDF…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.choose_and_save)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Summary as PDF"))
        layout.addWidget(intro)
        charts_label = QLabel(f"Charts (up to {MAX_CHARTS} fit on the page)")
        charts_label.setBuddy(self.chart_list)
        layout.addWidget(charts_label)
        layout.addWidget(self.chart_list, 1)
        layout.addWidget(self.chart_hint)
        label = QLabel("Notes or excerpts (optional)")
        label.setBuddy(self.notes)
        layout.addWidget(label)
        layout.addWidget(self.notes, 1)
        layout.addWidget(warning)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(QSizeF(540, 620).toSize())
        self._update()

    def chosen(self) -> list[str]:
        items = (self.chart_list.item(i) for i in range(self.chart_list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items
                if item.checkState() == Qt.CheckState.Checked]

    def _update(self) -> None:
        n = len(self.chosen())
        too_many = n > MAX_CHARTS
        self.chart_hint.setText(f"{n} chosen: only {MAX_CHARTS} fit on one page."
                                if too_many else "")
        self.chart_hint.setVisible(too_many)
        self.save_button.setEnabled(not too_many)

    def _names(self) -> list[str]:
        return self.view.session.read_or(lambda journal: journal.deid_names(), list[str]())

    def _notes_text(self) -> str:
        return self.notes.toPlainText()[:MAX_NOTES].strip()

    def reviewed_notes(self) -> str | None:
        """The notes as they will be printed, or None while a possible identifier in them is
        not decided."""
        text = self._notes_text()
        if not text:
            return ""
        if self._reviewed is not None and self._reviewed[0] == text:
            return self._reviewed[1]
        return None if find_identifiers(text, self._names()) else text

    def review_notes(self) -> bool:
        """Show the review when the notes hold a possible identifier; False when the user
        cancelled it (nothing is saved then)."""
        if self.reviewed_notes() is not None:
            return True
        text = self._notes_text()
        review = DeidReviewDialog(text, self._names(), self, verb="save")
        try:
            if review.exec() != QDialog.DialogCode.Accepted:
                show_error(self.error, "Your notes hold possible identifiers: decide each one "
                           "to save the PDF.")
                return False
            self._reviewed = (text, review.redacted_text())
            added = review.added_names()
            if added and self.view.session.is_unlocked:
                # Only a convenience: if not kept, the PDF can still be saved.
                self.view.session.write(lambda journal: journal.add_deid_names(added),
                                        on_error=lambda message: show_error(self.error, message),
                                        changes=Change.APP_STATE)
        finally:
            review.deleteLater()
        return True

    def choose_and_save(self) -> None:
        if not self.review_notes():
            return
        fmt = FORMATS[SUMMARY_FORMAT]
        assert fmt.exports is not None
        suggested = Path.home() / fmt.default_name()
        name, _ = QFileDialog.getSaveFileName(self, "Save the summary", str(suggested),
                                              fmt.exports.file_filter)
        if name:
            suffix = suggested.suffix  # the format's own, added when the name lacks it
            self.save_to(Path(name if name.lower().endswith(suffix) else name + suffix))

    def save_to(self, path: Path) -> bool:
        notes = self.reviewed_notes()
        if notes is None:
            show_error(self.error, "Review the possible identifiers in your notes first.")
            return False
        try:
            write_summary_pdf(path, self.trends, notes, self.chosen())
        except (OSError, StorageError):
            show_error(self.error, "The PDF could not be written there. Choose another folder.")
            return False
        self.path = path
        self.accept()
        return True
