"""A readable column: text no wider than about 70 characters, centred, however wide the window.

Lines much longer than that are hard to follow back to their start (the usual advice is 50 to 75
characters). The text area keeps its full size (its scroll bar stays at the edge, and it still
takes drops), only its viewport is narrowed by equal margins left and right.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractScrollArea, QPlainTextEdit, QTextEdit

#: About this many characters of the text's own font on a line.
COLUMN_CHARS = 70
#: What a character's width is measured on: ordinary prose (a font's "average character width"
#: is narrower than the letters of real sentences).
_SAMPLE = "The night was long; we talked with her family about what mattered to her. "


class ReadableColumn(QObject):
    """Keeps ``area``'s text in a centred column of :data:`COLUMN_CHARS` characters."""

    def __init__(self, area: QPlainTextEdit | QTextEdit, chars: int = COLUMN_CHARS) -> None:
        super().__init__(area)
        self._area = area
        self._chars = chars
        area.installEventFilter(self)
        self.update()

    def column_width(self) -> int:
        """The viewport's width for ``chars`` characters (with the document's margins)."""
        area = self._area
        margin = int(area.document().documentMargin())
        per_char = QFontMetrics(area.font()).horizontalAdvance(_SAMPLE) / len(_SAMPLE)
        return round(per_char * self._chars) + 2 * margin

    def update(self) -> None:
        area = self._area
        frame = 2 * area.frameWidth()
        bar = area.verticalScrollBar()
        scroll = bar.sizeHint().width() if bar is not None and bar.isVisible() else 0
        spare = area.width() - frame - scroll - self.column_width()
        side = max(0, spare // 2)
        margins = area.viewportMargins()
        if margins.left() != side or margins.right() != side:
            area.setViewportMargins(side, 0, side, 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._area and event.type() in (QEvent.Type.Resize,
                                                      QEvent.Type.FontChange):
            self.update()
        return False


def keep_readable(area: QAbstractScrollArea) -> ReadableColumn:
    """Give a text area a readable column (the filter lives as long as the area)."""
    assert isinstance(area, QPlainTextEdit | QTextEdit)
    return ReadableColumn(area)
