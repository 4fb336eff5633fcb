"""A year of moods on one screen: one cell a day for the last twelve months, painted.

The data is the core's (:func:`journal_app.core.practice.mood_year`); this module paints it.
Colours: ColorBrewer's PuOr (purple-orange), a diverging scheme ColorBrewer marks safe for
colour-blind readers (it varies in lightness as well as hue, so it reads in deuteranopia and
protanopia alike and in grey), with a plain grey for "okay"; days without a mood rating are
outlined, never filled. The colour is never the only carrier: each cell's tooltip and accessible
text say the date, the mood in numbers and words, and what the day holds; a legend names the
five levels.

Mouse: hovering shows a day, a click opens its entries and check-ins (``day_clicked``).
Keyboard: the grid is one Tab stop; the arrows move a day (up/down) or a week (left/right),
Home/End go to the first/last day, Page Up/Page Down a month; Enter or Space opens the day.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.practice import MOOD_LEVELS, MoodYear
from journal_app.ui.theme import Colors, colors
from journal_app.ui.widgets import FlowLayout

#: PuOr (ColorBrewer, Cynthia Brewer, Penn State; Apache 2.0): very low to very good. The
#: middle is a plain grey, apart from both backgrounds; in the dark theme the purple end is the
#: lighter one of the scheme, so it stands off the dark background.
LIGHT_LEVELS = ("#b35806", "#f1a340", "#bdbdbd", "#998ec3", "#542788")
DARK_LEVELS = ("#e66101", "#fdb863", "#8a8f95", "#b2abd2", "#8073ac")
#: Room for the weekday labels on the left and the month labels on top, in pixels.
LEFT, TOP = 30, 16
MAX_CELL, MIN_CELL, GAP = 14, 4, 2
#: The weekday rows that carry a label.
ROW_NAMES = {0: "Mon", 2: "Wed", 4: "Fri"}


def level_colors(palette: Colors) -> tuple[str, ...]:
    return DARK_LEVELS if QColor(palette.base).lightness() < 128 else LIGHT_LEVELS


class MoodYearGrid(QWidget):
    """The grid itself. Signals: day_clicked(date): a day was clicked or chosen with Enter;
    day_focused(date): the keyboard moved to a day."""

    day_clicked = Signal(object)
    day_focused = Signal(object)

    def __init__(self, palette: Colors | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.palette_colors = palette or colors()
        self.year: MoodYear | None = None
        #: The day the keyboard is on (drawn with a ring while the grid has the focus).
        self.focus_day: date | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName("A year of moods")
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    # ------------------------------------------------------------ data and geometry

    def set_year(self, year: MoodYear) -> None:
        self.year = year
        if self.focus_day is None or year.cell(self.focus_day) is None:
            self.focus_day = year.end
        self._describe()
        self.updateGeometry()
        self.update()

    def cell_size(self) -> int:
        weeks = self.year.weeks if self.year is not None else 53
        fit = (self.width() - LEFT) // weeks - GAP
        return max(MIN_CELL, min(MAX_CELL, fit))

    def sizeHint(self) -> QSize:
        weeks = self.year.weeks if self.year is not None else 53
        return QSize(LEFT + weeks * (MAX_CELL + GAP), TOP + 7 * (MAX_CELL + GAP) + 2)

    def minimumSizeHint(self) -> QSize:
        weeks = self.year.weeks if self.year is not None else 53
        return QSize(LEFT + weeks * (MIN_CELL + GAP), TOP + 7 * (MIN_CELL + GAP) + 2)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """The cells shrink with the width (down to a minimum); the height follows them. Asked
        by the layout before it places anything (a height fixed after each resize changed the
        card's height behind the layout's back, and the cards below it ran short of room)."""
        weeks = self.year.weeks if self.year is not None else 53
        cell = max(MIN_CELL, min(MAX_CELL, (width - LEFT) // weeks - GAP))
        return TOP + 7 * (cell + GAP) + 2

    def cell_rect(self, column: int, row: int) -> QRect:
        size = self.cell_size()
        step = size + GAP
        return QRect(LEFT + column * step, TOP + row * step, size, size)

    def day_at(self, pos: QPoint) -> date | None:
        if self.year is None:
            return None
        step = self.cell_size() + GAP
        column, row = (pos.x() - LEFT) // step, (pos.y() - TOP) // step
        if pos.x() < LEFT or pos.y() < TOP or not 0 <= row < 7:
            return None
        first_monday = self.year.start - timedelta(days=self.year.start.weekday())
        day = first_monday + timedelta(days=7 * column + row)
        cell = self.year.cell(day)
        return day if cell is not None and self.cell_rect(column, row).contains(pos) else None

    def words(self, day: date) -> str:
        cell = self.year.cell(day) if self.year is not None else None
        return "" if cell is None else cell.words()

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        year = self.year
        if year is None:
            return
        c = self.palette_colors
        fills = [QColor(x) for x in level_colors(c)]
        outline = QPen(QColor(c.border))
        outline.setWidth(1)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        small = self.font()
        small.setPointSizeF(max(7.0, small.pointSizeF() - 2))
        p.setFont(small)
        p.setPen(QColor(c.muted))
        step = self.cell_size() + GAP
        for column, name in year.months:
            p.drawText(QRect(LEFT + column * step, 0, 4 * step, TOP - 2),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), name)
        for row, name in ROW_NAMES.items():
            p.drawText(QRect(0, TOP + row * step, LEFT - 4, step),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), name)
        for cell in year.cells:
            rect = self.cell_rect(cell.column, cell.row)
            if cell.level is None:
                p.setPen(outline)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect.adjusted(0, 0, -1, -1))
            else:
                p.fillRect(rect, fills[cell.level])
        focused = year.cell(self.focus_day) if self.focus_day is not None else None
        if self.hasFocus() and focused is not None:
            ring = QPen(QColor(c.text))
            ring.setWidth(2)
            p.setPen(ring)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(self.cell_rect(focused.column, focused.row)).adjusted(-1, -1, 1, 1))
        if self.hasFocus():
            # The ring every focused control shows (theme.style_sheet), at the grid's edge: a
            # keyboard user sees that the year has the focus before a day is chosen.
            edge = QPen(QColor(c.focus))
            edge.setWidth(2)
            p.setPen(edge)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        p.end()

    # ------------------------------------------------------------ mouse

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            day = self.day_at(event.pos())
            if day is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.words(day), self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        if day is not None and event.button() == Qt.MouseButton.LeftButton:
            self._move_to(day)
            self.day_clicked.emit(day)
            return
        super().mousePressEvent(event)

    # ------------------------------------------------------------ keyboard

    def keyPressEvent(self, event: QKeyEvent) -> None:
        year, day = self.year, self.focus_day
        if year is None or day is None:
            super().keyPressEvent(event)
            return
        key = event.key()
        moves = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -7,
                 Qt.Key.Key_Right: 7, Qt.Key.Key_PageUp: -28, Qt.Key.Key_PageDown: 28}
        if key in moves:
            target = day + timedelta(days=moves[Qt.Key(key)])
            self._move_to(min(max(target, year.start), year.end))
        elif key == Qt.Key.Key_Home:
            self._move_to(year.start)
        elif key == Qt.Key.Key_End:
            self._move_to(year.end)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.day_clicked.emit(day)
        else:
            super().keyPressEvent(event)

    def _move_to(self, day: date) -> None:
        self.focus_day = day
        self._describe()
        self.update()
        self.day_focused.emit(day)

    def _describe(self) -> None:
        """The day the keyboard is on, for a screen reader (and as the grid's tooltip)."""
        if self.focus_day is not None:
            words = self.words(self.focus_day)
            self.setAccessibleDescription(f"{words}. Arrows move, Enter opens the day.")

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


class Swatch(QWidget):
    """One legend square: filled with ``fill``, or outlined when there is none."""

    def __init__(self, fill: str | None, palette: Colors) -> None:
        super().__init__()
        self.fill, self.palette_colors = fill, palette
        self.setFixedSize(MAX_CELL, MAX_CELL)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        rect = self.rect().adjusted(0, 0, -1, -1)
        if self.fill is None:
            p.setPen(QColor(self.palette_colors.border))
            p.drawRect(rect)
        else:
            p.fillRect(self.rect(), QColor(self.fill))
        p.end()


class MoodYearView(QWidget):
    """The grid, the day under the keyboard or the mouse in words, and the legend."""

    def __init__(self, palette: Colors | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        c = palette or colors()
        self.grid = MoodYearGrid(c)
        self.day_label = QLabel()
        self.day_label.setWordWrap(True)
        self.day_label.setAccessibleName("The day chosen in the year of moods")
        self.day_label.setStyleSheet(f"color: {c.muted};")
        # Each colour beside its name, on as many lines as the width needs (one line of seven
        # was 1,050 px at 28 pt).
        legend = FlowLayout(spacing=10)
        for name, fill in (*zip(MOOD_LEVELS, level_colors(c), strict=True),
                           ("No mood rated", None)):
            key = QWidget()
            row = QHBoxLayout(key)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(4)
            row.addWidget(Swatch(fill, c))
            row.addWidget(QLabel(name))
            legend.addWidget(key)
        self.legend = legend
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        layout.addLayout(legend)
        layout.addWidget(self.day_label)
        layout.addStretch(1)
        self.grid.day_focused.connect(self._show_day)

    def set_year(self, year: MoodYear) -> None:
        self.grid.set_year(year)
        self.day_label.setText("Click a day, or use the arrows and Enter, to open its entries "
                               "and check-ins.")

    def _show_day(self, day: date) -> None:
        self.day_label.setText(self.grid.words(day))
