"""Walk a shown window's widgets and report what a user would see as broken layout.

* ``overlap``: two visible sibling widgets whose rectangles intersect inside their parent (the
  part of the parent that is on screen). Siblings share their parent's coordinates; the report
  gives both rectangles in window coordinates.
* ``clipped``: a label, button, check box or combo box too small for its own text: the text
  measured with the widget's font (plus the style's frame and padding) is wider or taller than
  the widget; for a word-wrapped label, ``heightForWidth`` at its width is taller than it is.
  A scroll area that cannot scroll sideways (or up and down) holding a page wider (taller)
  than its viewport cuts the page off the same way (the right column of a grid under the
  scroll bar).
* ``too big``: the window's frame is wider or taller than the screen's available area.

Only what a user could see is walked: visible widgets with a non-empty rectangle, inside the
window (separate windows, such as popups and menus, are checked on their own). The one overlap
allowed is precise: a dialog's own size grip, which Qt draws over the dialog's corner on purpose.
Hidden pages of a stack are hidden widgets, so they are never compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizeGrip,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionProgressBar,
    QStyleOptionToolButton,
    QToolButton,
    QWidget,
)

from journal_app.ui.widgets import screen_area

_DIRECT = Qt.FindChildOption.FindDirectChildrenOnly
#: A rounding pixel is not a defect.
SLACK = 1
#: Contents wide enough that no style's minimum button width shows in the measured chrome.
_WIDE = 1000


@dataclass(frozen=True)
class Problem:
    kind: str  # "overlap" | "clipped" | "too big"
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.where}: {self.detail}"


def describe(widget: QWidget) -> str:
    """A widget as a person finds it: its class, its name or text, and the named ancestors."""
    parts = [type(widget).__name__]
    name = widget.objectName() or widget.accessibleName()
    text = getattr(widget, "text", None)
    if not name and callable(text):
        try:
            name = str(text())[:40]
        except TypeError:
            name = ""
    if name:
        parts.append(repr(name))
    owner = widget.parentWidget()
    chain = []
    while owner is not None and not owner.isWindow():
        label = owner.objectName() or owner.accessibleName()
        if label:
            chain.append(label)
        owner = owner.parentWidget()
    if chain:
        parts.append("in " + " / ".join(reversed(chain[:3])))
    return " ".join(parts)


def _rect(widget: QWidget, window: QWidget, rect: QRect | None = None) -> str:
    r = rect if rect is not None else widget.rect()
    top_left = widget.mapTo(window, r.topLeft())
    return f"({top_left.x()},{top_left.y()} {r.width()}x{r.height()})"


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and not widget.isWindow() and widget.width() > 0 \
        and widget.height() > 0


def _allowed_overlap(parent: QWidget, child: QWidget) -> bool:
    return (isinstance(child, QSizeGrip) and isinstance(parent, QDialog)
            and parent.isSizeGripEnabled())


def overlaps(window: QWidget) -> list[Problem]:
    found: list[Problem] = []
    todo = [window]
    while todo:
        parent = todo.pop()
        children = [c for c in parent.findChildren(QWidget, options=_DIRECT) if _shown(c)]
        todo.extend(children)
        inside = parent.rect()
        kept = [c for c in children if not _allowed_overlap(parent, c)]
        for i, first in enumerate(kept):
            a = first.geometry().intersected(inside)
            for second in kept[i + 1:]:
                common = a.intersected(second.geometry())
                if common.width() > SLACK and common.height() > SLACK:
                    found.append(Problem(
                        "overlap", describe(first),
                        f"{_rect(first, window)} overlaps {describe(second)} "
                        f"{_rect(second, window)} by {common.width()}x{common.height()}"))
    return found


def _plain(text: str) -> str:
    """A button's text as drawn: "&&" is an ampersand, a single "&" marks the mnemonic."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _label_need(label: QLabel) -> QSize | None:
    if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.wordWrap():
        return QSize(label.width(), label.heightForWidth(label.width()))
    return label.sizeHint()


def _button_need(button: QAbstractButton) -> QSize | None:
    text = _plain(button.text())
    if not text:
        return None
    metrics = button.fontMetrics()
    lines = text.split("\n")
    content = QSize(max(metrics.horizontalAdvance(line) for line in lines),
                    metrics.height() * len(lines))
    icon = QSize() if button.icon().isNull() else button.iconSize()
    under = isinstance(button, QToolButton) \
        and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextUnderIcon
    if icon.isValid() and under:
        content = QSize(max(content.width(), icon.width()), content.height() + icon.height())
    elif icon.isValid():
        content = QSize(content.width() + icon.width() + 4, max(content.height(), icon.height()))
    style = button.style()
    if isinstance(button, QToolButton):
        if button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly:
            return None
        tool_option = QStyleOptionToolButton()
        button.initStyleOption(tool_option)
        kind = QStyle.ContentsType.CT_ToolButton
        chrome = style.sizeFromContents(kind, tool_option, QSize(_WIDE, content.height()),
                                        button).width() - _WIDE
        height = style.sizeFromContents(kind, tool_option, content, button).height()
        return QSize(content.width() + chrome, height)
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    kind = (QStyle.ContentsType.CT_CheckBox if isinstance(button, QCheckBox)
            else QStyle.ContentsType.CT_RadioButton if isinstance(button, QRadioButton)
            else QStyle.ContentsType.CT_PushButton)
    if not isinstance(button, QPushButton | QCheckBox | QRadioButton):
        return None
    chrome = style.sizeFromContents(kind, option, QSize(_WIDE, content.height()),
                                    button).width() - _WIDE
    if isinstance(button, QCheckBox) and button.hasHeightForWidth():
        # Its words wrap (widgets.WrapCheckBox): as wide as its longest word, as tall as its
        # lines at its width.
        flags = int(Qt.TextFlag.TextWordWrap)
        room = QRect(0, 0, max(1, button.width() - chrome), 1 << 20)
        content = metrics.boundingRect(room, flags, text).size()
        widest = max((metrics.horizontalAdvance(word) for word in text.split()), default=0)
        content.setWidth(widest)
    height = style.sizeFromContents(kind, option, content, button).height()
    return QSize(content.width() + chrome, height)


def _combo_need(combo: QComboBox) -> QSize | None:
    """The room for the shown choice in full; for a box that shortens it on purpose (a
    widgets.FitCombo with ``elide``), the room where no two choices look alike shortened."""
    text = combo.currentText()
    if not text or combo.isEditable():
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    metrics = combo.fontMetrics()
    content = QSize(metrics.horizontalAdvance(text), metrics.height())
    if combo.property("elides"):
        kind = QStyle.ContentsType.CT_ComboBox
        chrome = combo.style().sizeFromContents(kind, option, QSize(_WIDE, content.height()),
                                                combo).width() - _WIDE
        room = combo.width() - chrome
        texts = [combo.itemText(i) for i in range(combo.count())]
        shown = {metrics.elidedText(t, Qt.TextElideMode.ElideRight, room) for t in texts}
        if len(shown) == len(set(texts)) and "…" not in shown:
            content.setWidth(min(content.width(), room))
    if not combo.itemIcon(combo.currentIndex()).isNull():
        content.setWidth(content.width() + combo.iconSize().width() + 4)
    return combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, content, combo)


def _bar_need(bar: QProgressBar) -> QSize | None:
    text = bar.text()
    if not bar.isTextVisible() or not text:
        return None
    option = QStyleOptionProgressBar()
    bar.initStyleOption(option)
    metrics = bar.fontMetrics()
    content = QSize(metrics.horizontalAdvance(text), metrics.height())
    return bar.style().sizeFromContents(QStyle.ContentsType.CT_ProgressBar, option, content, bar)


def _scroll_need(scroll: QScrollArea) -> QSize | None:
    """A page that cannot be scrolled to: as large as the viewport where it can be."""
    page = scroll.widget()
    if page is None or not page.isVisible():
        return None
    off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    room = scroll.viewport().size()
    width = page.width() if scroll.horizontalScrollBarPolicy() == off else room.width()
    height = page.height() if scroll.verticalScrollBarPolicy() == off else room.height()
    return QSize(width, height) + (scroll.size() - room)


def need(widget: QWidget) -> QSize | None:
    """The size ``widget`` needs to show all its text, or None where it shows no text."""
    if isinstance(widget, QProgressBar):
        return _bar_need(widget)
    if isinstance(widget, QScrollArea):
        return _scroll_need(widget)
    if isinstance(widget, QLabel):
        return _label_need(widget)
    if isinstance(widget, QAbstractButton):
        return _button_need(widget)
    if isinstance(widget, QComboBox):
        return _combo_need(widget)
    return None


def clipped(window: QWidget) -> list[Problem]:
    found: list[Problem] = []
    for widget in window.findChildren(QWidget):
        if not _shown(widget) or widget.window() is not window:
            continue
        wanted = need(widget)
        if wanted is None:
            continue
        short_w = wanted.width() - widget.width()
        short_h = wanted.height() - widget.height()
        if short_w > SLACK or short_h > SLACK:
            found.append(Problem(
                "clipped", describe(widget),
                f"{_rect(widget, window)} needs {wanted.width()}x{wanted.height()}"))
    return found


def too_big(window: QWidget, available: QRect | None = None) -> list[Problem]:
    area = available if available is not None else screen_area(window)
    frame = window.frameGeometry()
    if frame.width() > area.width() or frame.height() > area.height():
        return [Problem("too big", describe(window),
                        f"frame {frame.width()}x{frame.height()} on a screen of "
                        f"{area.width()}x{area.height()}")]
    return []


def sideways(window: QWidget) -> list[Problem]:
    """Scroll areas (text views aside) that scroll sideways: usable, but a page read from left
    to right and back is a defect at the default text size."""
    found: list[Problem] = []
    for scroll in window.findChildren(QScrollArea):
        bar = scroll.horizontalScrollBar()
        if _shown(scroll) and scroll.window() is window and bar.isVisible():
            page = scroll.widget()
            width = page.width() if page is not None else 0
            found.append(Problem("sideways", describe(scroll),
                                 f"{_rect(scroll, window)} holds a page {width} px wide"))
    return found


def check(window: QWidget, available: QRect | None = None) -> list[Problem]:
    """Every problem of the three kinds in ``window`` (shown, laid out)."""
    return too_big(window, available) + overlaps(window) + clipped(window)


def fit_to_screen(window: QWidget) -> None:
    """Size a window as a window manager would on a small screen: no larger than the available
    area (frame included), and no smaller than the window allows (its minimum size wins)."""
    area = screen_area(window)
    frame = window.frameGeometry().size() - window.size()
    room = area.size() - frame
    window.resize(window.size().boundedTo(room))
    window.move(area.topLeft() + QPoint(frame.width() // 2, 0))
