"""The entry list: a Qt model over Entry objects and a delegate that paints each row.

Rows carry a day header when they are the first entry of a calendar day, the title with a star,
the time, the search snippet with its matches in bold (or the first line), and chips for tags
and emotions. The view lays rows out in batches so 50,000 entries scroll smoothly.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFocusEvent, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from journal_app.core.records import Entry
from journal_app.core.vault import Query, SearchHit, make_snippet, plain_snippet
from journal_app.ui.theme import colors

Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    ENTRY = Qt.ItemDataRole.UserRole + 1
    ID = Qt.ItemDataRole.UserRole + 2
    FIRST_OF_DAY = Qt.ItemDataRole.UserRole + 3
    SNIPPET = Qt.ItemDataRole.UserRole + 4
    HIGHLIGHTS = Qt.ItemDataRole.UserRole + 5


#: ``more(offset)``: the search hits from ``offset`` on (the next page).
Pages = Callable[[int], list[tuple[SearchHit, Entry]]]


def day_label(entry: Entry) -> str:
    return entry.created.strftime("%A %d %B %Y").replace(" 0", " ")


class EntryListModel(QAbstractListModel):
    """Entries (newest first) with optional search hits."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []
        self._hits: dict[str, SearchHit] = {}
        self._query: Query | None = None
        self._total = 0
        self._more: Pages | None = None

    def set_entries(self, entries: list[Entry], hits: dict[str, SearchHit] | None = None,
                    query: Query | None = None) -> None:
        """Show ``entries``; with ``hits`` and ``query``, snippets are cut lazily, only for the
        rows that are painted (a search may list thousands)."""
        self.beginResetModel()
        self._entries = list(entries)
        self._hits = hits or {}
        self._query = query
        self._total = len(self._entries)
        self._more = None
        self.endResetModel()

    def set_hits(self, hits: list[tuple[SearchHit, Entry]], query: Query, total: int,
                 more: Pages) -> None:
        """Show the first page of a search that found ``total`` entries; ``more(offset)``
        gives the hits from ``offset`` on when the view asks for more rows."""
        self.set_entries([e for _h, e in hits], {h.id: h for h, _e in hits}, query)
        self._total = max(total, len(self._entries))
        self._more = more

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more is not None and \
            len(self._entries) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        assert self._more is not None
        known = {e.id for e in self._entries}
        # The journal may have changed since the first page: add only rows not listed yet.
        new = [(h, e) for h, e in self._more(len(self._entries)) if e.id not in known]
        if not new:
            self._total = len(self._entries)  # nothing more to come
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._entries.extend(e for _h, e in new)
        self._hits.update((h.id, h) for h, _e in new)
        self.endInsertRows()

    def total(self) -> int:
        """How many entries the list holds, counting those not fetched yet."""
        return self._total

    def clear(self) -> None:
        self.set_entries([])

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def row_of(self, entry_id: str) -> int:
        for row, entry in enumerate(self._entries):
            if entry.id == entry_id:
                return row
        return -1

    def replace_entry(self, entry: Entry) -> None:
        """Update one row in place (after a save) without resetting the view."""
        row = self.row_of(entry.id)
        if row < 0:
            return
        self._entries[row] = entry
        # The next row too: whether it starts a day follows this one's date.
        self.dataChanged.emit(self.index(row), self.index(min(row + 1, len(self._entries) - 1)))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.display_title()
        if role == Qt.ItemDataRole.AccessibleTextRole:
            star = ", starred" if entry.starred else ""
            return f"{entry.display_title()}, {day_label(entry)} {entry.created:%H:%M}{star}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        if role == Role.ENTRY:
            return entry
        if role == Role.ID:
            return entry.id
        if role == Role.FIRST_OF_DAY:
            # Asked only for the rows laid out: nothing is computed for the whole list.
            row = index.row()
            return row == 0 or entry.created.date() != self._entries[row - 1].created.date()
        hit = self._hits.get(entry.id)
        if hit is not None and role in (Role.SNIPPET, Role.HIGHLIGHTS):
            self._ensure_snippet(hit, entry)
        if role == Role.SNIPPET:
            return plain_snippet(hit.snippet) if hit and hit.snippet else None
        if role == Role.HIGHLIGHTS:
            return list(hit.highlights) if hit else []
        return None

    def _ensure_snippet(self, hit: SearchHit, entry: Entry) -> None:
        if not hit.snippet and self._query:
            hit.snippet, hit.highlights = make_snippet(self._query, entry.title, entry.body)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class EntryDelegate(QStyledItemDelegate):
    """Paints a row: day header, title and star, time, snippet or first line, chips."""

    PAD = 10
    HEADER = 30

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[str, int] = {}

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        title = QFont(base)
        title.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1.5))
        return base, title, small

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        # Asked for every row laid out (a page of search hits on each keystroke): the height
        # depends on the font alone, so it is measured once per font.
        key = option.font.key()
        height = self._heights.get(key)
        if height is None:
            base, title, small = self._fonts(option)
            height = self._heights[key] = (
                self.PAD * 2 + QFontMetrics(title).height() + QFontMetrics(base).height()
                + QFontMetrics(small).height() + 8)
        if index.data(Role.FIRST_OF_DAY):
            height += self.HEADER
        return QSize(self.min_width(option.font), height)

    @classmethod
    def min_width(cls, font: QFont) -> int:
        """The narrowest row that still shows its time and the start of its title (a row
        wider than the list scrolled its time out of sight, "15" of "15:42")."""
        base = QFont(font)
        title = QFont(base)
        title.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1.5))
        time_w = QFontMetrics(small).horizontalAdvance("00:00")
        return 2 * cls.PAD + 4 + time_w + 8 + QFontMetrics(title).averageCharWidth() * 8

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry: Entry | None = index.data(Role.ENTRY)
        if entry is None:
            return
        c = colors()
        base, title_font, small = self._fonts(option)
        painter.save()
        rect = QRect(option.rect)
        if index.data(Role.FIRST_OF_DAY):
            header = QRect(rect.left(), rect.top(), rect.width(), self.HEADER)
            painter.fillRect(header, QColor(c.window))
            painter.setFont(small)
            painter.setPen(QColor(c.muted))
            painter.drawText(header.adjusted(self.PAD, 0, -self.PAD, 0),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             day_label(entry).upper())
            rect.setTop(rect.top() + self.HEADER)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.fillRect(rect, QColor(c.chip if selected else c.base))
        if selected:
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), QColor(c.accent))
        painter.setPen(QPen(QColor(c.border)))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        inner = rect.adjusted(self.PAD + 4, self.PAD, -self.PAD, -self.PAD)
        # Title line, with the time on the right and a star before it.
        painter.setFont(small)
        tm = QFontMetrics(small)
        time_text = entry.created.strftime("%H:%M")
        time_w = tm.horizontalAdvance(time_text)
        th = QFontMetrics(title_font).height()
        painter.setPen(QColor(c.muted))
        painter.drawText(QRect(inner.right() - time_w, inner.top(), time_w, th),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, time_text)
        x = inner.left()
        right = inner.right() - time_w - 8
        if entry.starred:
            painter.setPen(QColor(c.star))
            painter.setFont(title_font)
            painter.drawText(QRect(x, inner.top(), 20, th), Qt.AlignmentFlag.AlignVCenter, "★")
            x += QFontMetrics(title_font).horizontalAdvance("★ ")
        painter.setFont(title_font)
        painter.setPen(QColor(c.text))
        fm = QFontMetrics(title_font)
        painter.drawText(QRect(x, inner.top(), right - x, th), Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(entry.display_title(), Qt.TextElideMode.ElideRight,
                                       max(0, right - x)))
        y = inner.top() + th + 2
        # Snippet with matches in bold, or the first line.
        bm = QFontMetrics(base)
        snippet = index.data(Role.SNIPPET)
        line_rect = QRect(inner.left(), y, inner.width(), bm.height())
        if snippet:
            self._draw_highlighted(painter, line_rect, snippet, index.data(Role.HIGHLIGHTS) or [],
                                   base)
        else:
            painter.setFont(base)
            painter.setPen(QColor(c.muted))
            painter.drawText(line_rect, Qt.AlignmentFlag.AlignVCenter,
                             bm.elidedText(entry.first_line(200) if entry.title else "",
                                           Qt.TextElideMode.ElideRight, inner.width()))
        y += bm.height() + 6
        # Chips: tags, then emotions with their intensity.
        painter.setFont(small)
        cx = inner.left()
        chips = [f"#{t}" for t in entry.tags] + [f"{e.name} {e.intensity}" for e in entry.emotions]
        for text in chips:
            w = tm.horizontalAdvance(text) + 12
            if cx + w > inner.right():
                break
            chip = QRect(cx, y, w, tm.height() + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c.chip))
            painter.drawRoundedRect(chip, 6, 6)
            painter.setPen(QColor(c.chip_text))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
            cx += w + 6
        painter.restore()

    @staticmethod
    def _draw_highlighted(painter: QPainter, rect: QRect, text: str,
                          spans: list[tuple[int, int]], font: QFont) -> None:
        c = colors()
        bold = QFont(font)
        bold.setBold(True)
        pieces: list[tuple[str, bool]] = []
        pos = 0
        for start, end in spans:
            if start > pos:
                pieces.append((text[pos:start], False))
            pieces.append((text[start:end], True))
            pos = end
        pieces.append((text[pos:], False))
        x = rect.left()
        for piece, strong in pieces:
            f = bold if strong else font
            fm = QFontMetrics(f)
            avail = rect.right() - x
            if avail <= 0:
                break
            shown = fm.elidedText(piece, Qt.TextElideMode.ElideRight, avail)
            w = fm.horizontalAdvance(shown)
            painter.setFont(f)
            if strong:
                painter.fillRect(QRect(x, rect.top(), w, rect.height()), QColor(c.highlight_bg))
            painter.setPen(QColor(c.text if strong else c.muted))
            painter.drawText(QRect(x, rect.top(), w + 1, rect.height()),
                             Qt.AlignmentFlag.AlignVCenter, shown)
            x += w
            if shown != piece:
                break


class EntryListView(QListView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(False)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setItemDelegate(EntryDelegate(self))
        self.setAccessibleName("Entries")
        self.setSpacing(0)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:
        """Never narrower than a row needs to show its time (the splitter and the window
        keep to this)."""
        hint = super().minimumSizeHint()
        frame = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        hint.setWidth(max(hint.width(), EntryDelegate.min_width(self.font()) + frame))
        return hint

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Qt makes the first row current when a list with no current row gets the focus, which
        # opened that entry in the editor when a writer tabbed past the list. Focus alone
        # chooses nothing here; the arrow keys or a click do.
        if self.currentIndex().isValid():
            super().focusInEvent(event)
            return
        QAbstractScrollArea.focusInEvent(self, event)
        self.viewport().update()
