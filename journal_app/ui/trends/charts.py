"""The drawing of the trends dashboard: every use of pyqtgraph lives in this module.

A :class:`Chart` is a themed PlotWidget with a hover line under it. Hovering shows the nearest
point (in screen pixels); on day charts a click near a point emits :attr:`Chart.day_clicked`.
Days are x values in seconds (local noon of the day) so that pyqtgraph's DateAxisItem labels them.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, overload

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from journal_app.ui.theme import (
    HIGH,
    HIGH_DARK,
    LOW,
    LOW_DARK,
    SERIES_COLORS,
    SERIES_COLORS_DARK,
    Colors,
)

DAY = 86400.0
#: The legend's glyph for each pyqtgraph marker.
GLYPHS = {"o": "●", "s": "■", "t": "▼", "d": "◆", "+": "✚", "star": "★"}
#: A click farther than this (pixels) from every point selects no day.
CLICK_PX = 24.0


#: Above this many days a series is drawn as its 7-day mean only (thousands of dots are slow
#: to draw and unreadable); hovering still reads each day's value.
MAX_DOTS = 400


class LazyTips(Sequence[str]):
    """Hover texts made when asked for: thousands of them are never all read."""

    def __init__(self, count: int, make: Callable[[int], str]) -> None:
        self._count = count
        self._make = make

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self._make(k) for k in range(*i.indices(self._count))]
        if not -self._count <= i < self._count:
            raise IndexError(i)
        return self._make(i % self._count)


def rounded(value: float) -> str:
    """A value for a hover text: one decimal at most ("1.3", "2", never "1.33333")."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def count_step(top: float) -> int:
    """A whole-number tick step for a count axis running up to ``top`` (about five ticks)."""
    step = 1
    while top / step > 6:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if top / step <= 6:
                break
    return step


def day_x(day: date) -> float:
    return datetime(day.year, day.month, day.day, 12).timestamp()


def x_day(x: float) -> date:
    return datetime.fromtimestamp(x).date()


def mood_color(mood: float, colors: Colors, lo: float = -5, hi: float = 5) -> QColor:
    """A diverging scale: LOW at ``lo``, the theme's base-ish neutral at the middle, HIGH at
    ``hi``."""
    mid = (lo + hi) / 2
    dark = QColor(colors.base).lightness() <= 128
    neutral = QColor("#8c8f93" if dark else "#f2f0ee")
    low, high = (LOW_DARK, HIGH_DARK) if dark else (LOW, HIGH)
    end = QColor(high if mood >= mid else low)
    t = min(1.0, abs(mood - mid) / ((hi - lo) / 2))
    a = (neutral.redF(), neutral.greenF(), neutral.blueF())
    b = (end.redF(), end.greenF(), end.blueF())
    r, g, bl = (a[k] + (b[k] - a[k]) * t for k in range(3))
    return QColor.fromRgbF(r, g, bl)


class Chart(QWidget):
    """A PlotWidget (themed), the points hover/click look up, and a hover label."""

    day_clicked = Signal(object)  # datetime.date

    def __init__(self, colors: Colors, dates: bool = True, clickable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colors = colors
        self.clickable = clickable
        axes = {"bottom": pg.DateAxisItem(orientation="bottom")} if dates else {}
        self.plot = pg.PlotWidget(background=colors.base, axisItems=axes)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setFixedHeight(240)
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(colors.border))
            axis.setTextPen(pg.mkPen(colors.muted))
        item.showGrid(x=False, y=True, alpha=0.15)
        self.key = QLabel()
        self.key.setObjectName("chartKey")
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setWordWrap(True)
        self.key.setStyleSheet(f"color: {colors.text};")
        self.key.hide()
        self.hover = QLabel(" ")
        self.hover.setObjectName("chartHover")
        self.hover.setStyleSheet(f"color: {colors.muted};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key)
        layout.addWidget(self.plot)
        layout.addWidget(self.hover)
        #: The plot's data items, kept across drawings and given new data (:meth:`_line`):
        #: making them anew was most of a refresh of the dashboard (pyqtgraph builds and
        #: parents each item); ``_used`` of them are drawn now, the others hidden.
        self._lines: list[pg.PlotDataItem] = []
        self._used = 0
        self.xs = np.zeros(0)
        self.ys = np.zeros(0)
        self.tips: Sequence[str] = []
        self.days: list[date | None] = []
        self.plot.scene().sigMouseMoved.connect(self._moved)
        self.plot.scene().sigMouseClicked.connect(self._clicked)

    # ---------------------------------------------------------------- look-up

    def set_points(self, xs: Sequence[float], ys: Sequence[float], tips: Sequence[str],
                   days: Sequence[date | None] | None = None) -> None:
        self.xs = np.asarray(xs, dtype=float)
        self.ys = np.asarray(ys, dtype=float)
        self.tips = tips if isinstance(tips, LazyTips) else list(tips)
        self.days = list(days) if days is not None else [None] * len(self.tips)

    def nearest(self, scene_pos: QPointF, limit: float | None = None) -> int | None:
        """The index of the point nearest ``scene_pos`` in pixels (within ``limit``)."""
        if not len(self.xs):
            return None
        vb = self.plot.getPlotItem().getViewBox()
        view = vb.mapSceneToView(scene_pos)
        pw, ph = vb.viewPixelSize()
        if not pw or not ph:
            return None
        dist = ((self.xs - view.x()) / pw) ** 2 + ((self.ys - view.y()) / ph) ** 2
        i = int(np.argmin(dist))
        if limit is not None and dist[i] > limit ** 2:
            return None
        return i

    def scene_pos_of(self, i: int) -> QPointF:
        vb = self.plot.getPlotItem().getViewBox()
        pos: QPointF = vb.mapViewToScene(QPointF(float(self.xs[i]), float(self.ys[i])))
        return pos

    def _moved(self, scene_pos: QPointF) -> None:
        i = self.nearest(scene_pos)
        self.hover.setText(self.tips[i] if i is not None else " ")

    def _clicked(self, event: Any) -> None:  # pyqtgraph's MouseClickEvent (pyqtgraph has no types)
        self.click_scene_pos(event.scenePos())

    def click_scene_pos(self, scene_pos: QPointF) -> date | None:
        """What a left click at ``scene_pos`` does: emit the nearest point's day, if any."""
        if not self.clickable:
            return None
        i = self.nearest(scene_pos, CLICK_PX)
        day = self.days[i] if i is not None else None
        if day is not None:
            self.day_clicked.emit(day)
        return day

    def item_count(self) -> int:
        """How many things are drawn (lines or markers, bars)."""
        return self._used + sum(
            isinstance(i, pg.BarGraphItem) for i in self.plot.getPlotItem().items)

    def _line(self, xs: Sequence[float], ys: Sequence[float], pen: Any, symbol: str | None,
              size: float = 7, brush: Any = None) -> None:
        """A line and/or markers at ``xs``, ``ys``: a kept data item given new data and style
        (every style option each time: a kept item keeps what it was last given)."""
        opts = {"pen": pen, "symbol": symbol, "symbolSize": size, "symbolPen": None,
                "symbolBrush": brush}
        if self._used < len(self._lines):
            line = self._lines[self._used]
            line.setData(xs, ys, **opts)
            line.show()
        else:
            line = self.plot.plot(xs, ys, **opts)
            self._lines.append(line)
        self._used += 1

    def clear(self) -> None:
        self.set_legend([])
        item = self.plot.getPlotItem()
        for drawn in list(item.items):
            if drawn not in self._lines:
                item.removeItem(drawn)
        for line in self._lines:
            line.setData([], [])
            line.hide()
        self._used = 0
        axis = item.getAxis("left")
        axis.setTicks(None)
        axis.setWidth(None)
        for name in ("left", "bottom"):
            item.getAxis(name).setTickSpacing()  # automatic again (a count axis sets its own)
        self.set_points([], [], [])

    def count_axis(self, name: str, top: float) -> None:
        """Whole numbers only on the ``name`` axis, which counts things up to ``top``."""
        step = count_step(top)
        self.plot.getPlotItem().getAxis(name).setTickSpacing(major=step, minor=step)

    def set_left_ticks(self, ticks: Sequence[tuple[float, str]]) -> None:
        """Named ticks on the left axis, made wide enough for the longest name at once (the
        axis would otherwise widen only at its next repaint, and a grab or a PDF taken before
        that would miss the names)."""
        axis = self.plot.getPlotItem().getAxis("left")
        axis.setTicks([list(ticks)])
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        widest = max((metrics.horizontalAdvance(label) for _, label in ticks), default=0)
        axis.setWidth(widest + 16)

    def set_legend(self, keys: Sequence[tuple[str, str, str]]) -> None:
        """The key above the plot (never over the data): (name, colour, marker glyph)."""
        parts = [f'<span style="color:{color}">{html.escape(glyph)}</span>&nbsp;'
                 f"{html.escape(name)}" for name, color, glyph in keys]
        self.key.setText("&nbsp;&nbsp;&nbsp; ".join(parts))
        self.key.setVisible(bool(keys))

    # ---------------------------------------------------------------- drawings

    def draw_series(self, series: dict[str, list[dict[str, Any]]],
                    y_range: tuple[float, float]) -> None:
        """Daily points of each series with its 7-day mean as a line."""
        self.clear()
        xs: list[float] = []
        ys: list[float] = []
        rows: list[tuple[str, dict[str, Any]]] = []
        palette = self.series_colors()
        keys = []
        dots = max((len(p) for p in series.values()), default=0) <= MAX_DOTS
        for n, (name, points) in enumerate(series.items()):
            color = palette[n % len(palette)]
            first = f"{name} (dots: a day; line: 7-day mean)" if dots else f"{name} (7-day mean)"
            keys.append((first if n == 0 else name, color, "━"))
            px = [day_x(date.fromisoformat(p["date"])) for p in points]
            if dots:
                self._line(px, [p["value"] for p in points], None, "o", 5,
                           pg.mkBrush(color + "99"))
            self._line(px, [p["mean7"] for p in points], pg.mkPen(color, width=2.5), None)
            xs.extend(px)
            ys.extend(p["value"] for p in points)
            rows.extend((name, p) for p in points)

        def tip(i: int) -> str:
            name, p = rows[i]
            return (f"{date.fromisoformat(p['date']):%a %d %b %Y}: {name} "
                    f"{rounded(p['value'])} (7-day mean {rounded(p['mean7'])})")

        self.plot.setYRange(*y_range, padding=0.05)
        self.set_legend(keys)
        self.set_points(xs, ys, LazyTips(len(rows), tip),
                        [date.fromisoformat(p["date"]) for _, p in rows])

    def series_colors(self) -> tuple[str, ...]:
        """The Okabe-Ito series colours of the light or the dark background."""
        dark = QColor(self.colors.base).lightness() < 128
        return SERIES_COLORS_DARK if dark else SERIES_COLORS

    def draw_lines(self, lines: dict[str, list[tuple[date, float]]], y_range: tuple[float, float],
                   unit: str = "", y_ticks: Sequence[tuple[float, str]] | None = None,
                   clickable_days: bool = False,
                   span: tuple[date, date] | None = None, counts: bool = False,
                   dots_only: Collection[str] = ()) -> None:
        """One line with markers per name, over dates (assessments, monthly counts, depth).
        Each line has its own marker shape too, so colour never carries the meaning alone.
        ``counts``: the values are counts (whole-number ticks); a name in ``dots_only`` is drawn
        as single markers, not joined (ratings that are not a series)."""
        self.clear()
        xs: list[float] = []
        ys: list[float] = []
        tips: list[str] = []
        days: list[date | None] = []
        palette = self.series_colors()
        symbols = ("o", "s", "t", "d", "+", "star")
        keys = []
        for n, (name, points) in enumerate(lines.items()):
            color = palette[n % len(palette)]
            keys.append((name, color, GLYPHS[symbols[n % len(symbols)]]))
            if not points:
                continue
            px = [day_x(day) for day, _ in points]
            py = [value for _, value in points]
            pen = None if name in dots_only else pg.mkPen(color, width=2)
            self._line(px, py, pen, symbols[n % len(symbols)], 9 if pen is None else 7,
                       pg.mkBrush(color))
            for x, (day, value) in zip(px, points, strict=True):
                xs.append(x)
                ys.append(value)
                tips.append(f"{day:%d %b %Y}: {name} {rounded(value)}{unit}")
                days.append(day if clickable_days else None)
        self.set_legend(keys)
        self.plot.setYRange(*y_range, padding=0.08)
        if counts:
            self.count_axis("left", y_range[1])
        if y_ticks is not None:
            self.set_left_ticks(list(y_ticks))
        if xs:
            # The dashboard's range when given (the charts of a page share one time axis, and a
            # few points in a long range are not spread out to look like a trend).
            lo = min(min(xs), day_x(span[0])) if span else min(xs)
            hi = max(max(xs), day_x(span[1])) if span else max(xs)
            pad = max(3 * DAY, (hi - lo) * 0.04)
            self.plot.setXRange(lo - pad, hi + pad, padding=0)
        self.set_points(xs, ys, tips, days)

    def draw_bars(self, labels: Sequence[str], values: Sequence[float], tips: Sequence[str],
                  horizontal: bool = True, signed: bool = False,
                  xs: Sequence[float] | None = None, width: float = 0.7,
                  counts: bool = False) -> None:
        """Bars: horizontal with ``labels`` on the left axis (first label on top), or vertical
        at ``xs`` (dates). ``counts``: the values are counts, so the value axis shows whole
        numbers only."""
        self.clear()
        n = len(values)
        pos = [float(n - 1 - i) for i in range(n)] if horizontal else list(xs or range(n))
        palette = self.series_colors()
        brushes = [pg.mkBrush(palette[1] if signed and v < 0 else palette[0]) for v in values]
        if horizontal:
            bars = pg.BarGraphItem(x0=0, y=pos, height=width, width=list(values),
                                   brushes=brushes, pen=None)
            self.set_left_ticks(list(zip(pos, labels, strict=True)))
            self.set_points([v / 2 for v in values], pos, tips)
        else:
            bars = pg.BarGraphItem(x=pos, y0=0, width=width, height=list(values),
                                   brushes=brushes, pen=None)
            self.set_points(pos, [v / 2 for v in values], tips)
        self.plot.addItem(bars)
        if signed:
            self.plot.setXRange(-2, 2, padding=0.05)
        if counts and values:
            self.count_axis("bottom" if horizontal else "left", max(values))

    def draw_calendar(self, cells: Sequence[dict[str, Any]],
                      notes: Mapping[str, Sequence[str]] | None = None) -> None:
        """One cell a day: columns are weeks (Monday on top), colour is the day's mood; a day's
        hover text carries the notes of its check-ins (``notes``: ISO day -> notes)."""
        self.clear()
        if not cells:
            return
        x0, y0, brushes, xs, ys, days = [], [], [], [], [], []
        empty = pg.mkBrush(self.colors.alt)
        shades: dict[float, QBrush] = {}  # one brush per tenth of a mood point
        for cell in cells:
            day = date.fromisoformat(cell["date"])
            monday = day - timedelta(days=day.weekday())
            x = day_x(monday) + 3 * DAY
            y = 6 - day.weekday()
            mood = cell["mood"]
            x0.append(x - 3.2 * DAY)
            y0.append(y - 0.4)
            if mood is None:
                brushes.append(empty)
            else:
                shade = round(mood, 1)
                brush = shades.get(shade)
                if brush is None:
                    brush = shades[shade] = pg.mkBrush(mood_color(shade, self.colors))
                brushes.append(brush)
            xs.append(x)
            ys.append(float(y))
            days.append(day)

        def tip(i: int) -> str:
            mood = cells[i]["mood"]
            shown = "no mood" if mood is None else f"mood {rounded(mood)}"
            said = (notes or {}).get(cells[i]["date"], ())
            return f"{days[i]:%a %d %b %Y}: {shown}" + "".join(f"\n“{n}”" for n in said)

        tips = LazyTips(len(cells), tip)
        self.plot.addItem(pg.BarGraphItem(x0=x0, y0=y0, width=6.4 * DAY, height=0.8,
                                          brushes=brushes, pen=pg.mkPen(self.colors.edge)))
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        self.set_left_ticks([(6.0 - i, names[i]) for i in range(0, 7, 2)])
        self.plot.setYRange(-0.6, 6.6, padding=0)
        self.set_points(xs, ys, tips, days)


def save_png(widget: QWidget, path: str) -> bool:
    """Write ``widget`` as it is drawn (its grab) to a PNG file."""
    return widget.grab().save(path, "PNG")
