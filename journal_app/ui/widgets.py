"""Small shared widgets: headings, muted labels, the passphrase pair with strength feedback."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFontInfo,
    QGuiApplication,
    QHelpEvent,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStylePainter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.vault import assess

#: Contents wide enough that no style's least width shows in a measured frame.
_WIDE = 1000


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("heading", True)
    label.setWordWrap(True)
    return label


def wrapped(text: str) -> QLabel:
    """A label whose words go on more lines where its row is narrow."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("muted", True)
    label.setWordWrap(True)
    return label


def error_label() -> QLabel:
    label = QLabel()
    label.setProperty("error", True)
    label.setWordWrap(True)
    label.setAccessibleName("Error message")
    label.hide()
    return label


def result_label() -> QLabel:
    """Where a dialog says what it did ("Exported 3 entries to ..."), hidden until then."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName("Result")
    label.hide()
    return label


def breakable(name: str) -> str:
    """A file name or path a wrapped label may break after any "-", "_", "." or "/" (a zero-
    width space after each): a long name is never one word wider than its dialog."""
    for mark in "-_./\\":
        name = name.replace(mark, mark + "\u200b")
    return name


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def current_item(view: QListWidget) -> QListWidgetItem | None:
    """The list's current item, or None when no row is current.

    PySide6's stubs type ``QListWidget.currentItem()`` as never None, but Qt returns None when
    nothing is current; read it through here so that mypy asks for the check.
    """
    return view.currentItem()


def primary_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("primary", True)
    button.setAutoDefault(True)
    return button


class Card(QFrame):
    """A card alone on its page (the lock screen, the welcome): about 36 characters wide (540
    pixels at the default text size) where there is room, narrower on a small screen, never
    narrower than its widest line of controls. The page scrolls if it must."""

    EMS = 36

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self._fit()

    def _fit(self) -> None:
        self.setMaximumWidth(max(540, self.EMS * QFontInfo(self.font()).pixelSize()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()


def card() -> QFrame:
    return Card()


def card_layout(frame: QFrame) -> QVBoxLayout:
    """The layout of a card, with roomy margins (set here, not by a style sheet padding, so
    size hints stay right)."""
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(28, 22, 28, 22)
    layout.setSpacing(10)
    return layout


def busy_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)  # indeterminate: key derivation has no progress to report
    bar.setTextVisible(False)
    bar.setMaximumHeight(6)
    bar.setAccessibleName("Working")
    bar.hide()
    return bar


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setPlaceholderText(name)
    return field


class NewPassphrase(QWidget):
    """Two passphrase fields with strength feedback that explains itself.

    Signals:
        changed(bool): whether the pair is acceptable (strong enough and matching).
    """

    changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = password_field("Passphrase")
        self.second = password_field("Passphrase again")
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.meter.setFormat("")
        # As tall as the strength word it shows (a fixed 14 px cut it at larger text sizes).
        self.meter.setAccessibleName("Passphrase strength")
        self.advice = muted("")
        self.advice.setAccessibleName("Passphrase advice")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Passphrase"))
        layout.addWidget(self.first)
        layout.addWidget(self.meter)
        layout.addWidget(self.advice)
        layout.addWidget(QLabel("Type it again"))
        layout.addWidget(self.second)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def passphrase(self) -> str:
        return self.first.text()

    def acceptable(self) -> bool:
        text = self.first.text()
        return bool(text) and not assess(text).blocked and text == self.second.text()

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()

    def _update(self) -> None:
        text = self.first.text()
        if not text:
            self.meter.setValue(0)
            self.meter.setFormat("")
            self.advice.setText(
                "Choose a passphrase only you know: four or five unrelated words work well. "
                "It cannot be reset without the recovery key."
            )
        else:
            strength = assess(text)
            self.meter.setValue(strength.score)
            self.meter.setFormat(strength.label)
            lines = list(strength.reasons)
            if self.second.text() and self.second.text() != text:
                lines.append("The two passphrases differ.")
            self.advice.setText(" ".join(lines))
        self.changed.emit(self.acceptable())


def hline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    return line


def centered(widget: QWidget, name: str) -> QWidget:
    """``widget`` centred in an otherwise empty page, that scrolls when the window is smaller
    than it (a small screen, a large text size) instead of making the window larger. ``name``
    is what a screen reader calls the page (the scroll area takes the keyboard focus)."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addStretch(1)
    # Stretches, not an alignment flag: aligned widgets get no height-for-width, which clips
    # wrapped labels.
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget, 1000)  # all the room up to its maximum width; the rest either side
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(2)
    return scrolling(page, name)


def scrolling(page: QWidget, name: str) -> QScrollArea:
    """``page`` in a frameless scroll area that gives it all the room there is and scrolls
    only when the room is less than the page needs; ``name`` is its accessible name (it can
    take the keyboard focus, and a screen reader names what has the focus)."""
    scroll = QScrollArea()
    scroll.setAccessibleName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(page)
    return scroll


class FlowLayout(QLayout):
    """Widgets left to right, on as many lines as the width needs (chips of emotions): a row
    of them never makes its window wider."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6, *,
                 even: bool = False, most: int = 0) -> None:
        super().__init__(parent)
        #: ``even``: as columns of one width, as many a line as fit at their least width
        #: (``most`` at the most, if given), sharing the whole width (a scale of choices: one
        #: row where it fits, rows of equal cells where it does not; a grid of check boxes,
        #: fewer columns where narrow).
        self._even = even
        self._most = most
        self._items: list[QLayoutItem] = []
        #: Where the free room of a line goes: before the item at each of these indexes (a
        #: row of buttons with the main one at the right end, as a box layout's stretch).
        self._stretches: set[int] = set()
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addStretch(self) -> None:
        """The free room of each line goes here (before the item added next)."""
        self._stretches.add(len(self._items))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        shown = [i.sizeHint() for i in self._items if not i.isEmpty()]
        margins = self.contentsMargins()
        width = sum(s.width() for s in shown) + self._gap * max(0, len(shown) - 1)
        height = max((s.height() for s in shown), default=0)
        return QSize(width, height).grownBy(margins)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    def _place(self, rect: QRect, move: bool) -> int:
        area = rect.marginsRemoved(self.contentsMargins())
        if self._even:
            return self._place_evenly(area, move) - rect.y() + self.contentsMargins().bottom()
        lines: list[list[tuple[int, QLayoutItem, QSize]]] = [[]]
        x = area.x()
        for index, item in enumerate(self._items):
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            hint.setWidth(min(hint.width(), area.width()))  # wider than all: cut, not lost
            if lines[-1] and x + hint.width() > area.right() + 1:
                lines.append([])
                x = area.x()
            lines[-1].append((index, item, hint))
            x += hint.width() + self._gap
        y = area.y()
        for line in lines:
            if not line:
                continue
            height = max(hint.height() for _i, _item, hint in line)
            if move:
                used = sum(hint.width() for _i, _item, hint in line) + self._gap * (len(line) - 1)
                free = max(0, area.width() - used)
                x = area.x()
                for place, (index, item, hint) in enumerate(line):
                    if index in self._stretches and place > 0:
                        x += free
                        free = 0
                    item.setGeometry(QRect(QPoint(x, y), hint))
                    x += hint.width() + self._gap
            y += height + self._gap
        margins: QMargins = self.contentsMargins()
        return max(0, y - self._gap) - rect.y() + margins.bottom()


    def _place_evenly(self, area: QRect, move: bool) -> int:
        shown = [item for item in self._items if not item.isEmpty()]
        if not shown:
            return area.y()
        widest = max(item.minimumSize().width() for item in shown)  # as a box layout squeezes
        across = max(1, min(len(shown), (area.width() + self._gap) // (widest + self._gap),
                            self._most or len(shown)))
        lines = -(-len(shown) // across)
        across = -(-len(shown) // lines)  # lines as full as each other: 6 and 5, not 10 and 1
        cell = max(1, (area.width() - self._gap * (across - 1)) // across)
        y = area.y()
        for start in range(0, len(shown), across):
            line = shown[start:start + across]
            height = max(item.heightForWidth(cell) if item.hasHeightForWidth()
                         else item.sizeHint().height() for item in line)
            if move:
                for place, item in enumerate(line):
                    x = area.x() + place * (cell + self._gap)
                    item.setGeometry(QRect(x, y, cell, height))
            y += height + self._gap
        return y - self._gap


def segment_style(padding: str = "5px 0px") -> str:
    """Style sheet rules for rows of checkable "segment" buttons (a scale of choices): the
    chosen one in the accent colour, the focused one outlined."""
    from journal_app.ui.theme import colors

    c = colors()
    return f"""
        QPushButton[segment="true"] {{
            padding: {padding}; min-height: 22px; border-radius: 6px; background: {c.base};
        }}
        QPushButton[segment="true"]:checked {{
            background: {c.accent}; color: {c.accent_text}; border: 1px solid {c.accent};
            font-weight: 600;
        }}
        QPushButton[segment="true"]:focus {{ border: 2px solid {c.accent}; }}
    """


class FitCombo(QComboBox):
    """A combo box never narrower than the choice it shows (a box sized for 8 characters cut
    "Any encounter" to "Any encounte"), yet not as wide as its longest choice: the open list
    shows every choice in full.

    With ``elide``, a long choice may be shown shortened with "…" where its row is narrow (a
    small screen, a large text size), never so short that two choices look alike: the box is
    at least as wide as the words that tell every choice from every other (or about 12
    characters, whichever is wider), its tooltip and the open list give the choice in full."""

    #: Characters an eliding box keeps at the least, whatever tells its choices apart.
    LEAST_CHARACTERS = 12

    def __init__(self, parent: QWidget | None = None, *, elide: bool = False) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
        self.currentIndexChanged.connect(lambda _i: self.updateGeometry())
        self._elide = elide
        self.setProperty("elides", elide)  # tests/ui/layout_check.py measures it so
        self._least: tuple[object, int] | None = None

    def _chrome(self, text: QSize) -> int:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text,
                                             self).width()

    def _shown_text(self) -> str:
        """The choice shown, or the placeholder where none is chosen."""
        return self.currentText() if self.currentIndex() >= 0 else self.placeholderText()

    def _shown_width(self) -> int:
        metrics = self.fontMetrics()
        return self._chrome(QSize(metrics.horizontalAdvance(self._shown_text()),
                                  metrics.height()))

    def _least_text(self) -> int:
        """The narrowest text width at which, shortened with "…", no two choices look alike."""
        texts = [self.itemText(i) for i in range(self.count())]
        key = (self.font().key(), tuple(texts))
        if self._least is not None and self._least[0] == key:
            return self._least[1]
        metrics = self.fontMetrics()
        right = Qt.TextElideMode.ElideRight
        kinds = len(set(texts))

        def apart(width: int) -> bool:
            return len({metrics.elidedText(t, right, width) for t in texts}) == kinds

        low = metrics.averageCharWidth() * self.LEAST_CHARACTERS
        high = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        if low >= high or apart(low):
            width = min(low, high)
        else:  # apart(high) holds: nothing is shortened there
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (low, middle) if apart(middle) else (middle, high)
            width = high
        self._least = (key, width)
        return width

    def _narrowest(self) -> int:
        shown = self._shown_width()
        if not self._elide:
            return shown
        metrics = self.fontMetrics()
        return min(shown, self._chrome(QSize(self._least_text(), metrics.height())))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._shown_width()), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._narrowest()), hint.height())

    def _field(self) -> tuple[QStyleOptionComboBox, QRect]:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        return option, field

    def elided(self) -> bool:
        """Whether the shown choice is shortened now."""
        if not self._elide or self.currentIndex() < 0:
            return False
        _option, field = self._field()
        return self.fontMetrics().horizontalAdvance(self.currentText()) > field.width() - 2

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.elided():
            super().paintEvent(event)
            return
        option, field = self._field()
        painter = QStylePainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, field.width() - 2)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.elided():
            assert isinstance(event, QHelpEvent)
            tip = self.currentText()
            if self.toolTip():
                tip += "\n" + self.toolTip()
            QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)


class FitForm(QFormLayout):
    """Each label beside its field where every row fits so, and above its field (every row
    alike) where the form is narrower than that (a small screen, a large text size): the
    form never holds its window wider than its widest label or field alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

    def _beside(self) -> int:
        """The width every row needs with its label beside its field."""
        labels = fields = 0
        for row in range(self.rowCount()):
            label = self.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or field is None or label.isEmpty() or field.isEmpty():
                continue
            labels = max(labels, label.sizeHint().width())
            fields = max(fields, field.minimumSize().width())
        margins = self.contentsMargins()
        return labels + max(0, self.horizontalSpacing()) + fields + margins.left() \
            + margins.right()

    def _wrap_for(self, width: int) -> None:
        wanted = (QFormLayout.RowWrapPolicy.WrapLongRows if width >= self._beside()
                  else QFormLayout.RowWrapPolicy.WrapAllRows)
        if wanted != self.rowWrapPolicy():
            self.setRowWrapPolicy(wanted)

    def heightForWidth(self, width: int) -> int:
        self._wrap_for(width)
        return super().heightForWidth(width)

    def setGeometry(self, rect: QRect) -> None:
        self._wrap_for(rect.width())
        super().setGeometry(rect)


class WrapCheckBox(QCheckBox):
    """A check box whose words go on as many lines as its row's width needs (a long question
    at a large text size), its box beside the first line: it never makes its window wider
    than its longest word."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred,
                             QSizePolicy.ControlType.CheckBox)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    _FLAGS = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic

    def _for_text(self, text: QSize) -> QSize:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_CheckBox, option, text, self)

    def _text_room(self, width: int) -> int:
        return max(1, width - (self._for_text(QSize(_WIDE, 0)).width() - _WIDE))

    def _wrapped(self, width: int) -> QSize:
        return self.fontMetrics().boundingRect(QRect(0, 0, self._text_room(width), 1 << 20),
                                               int(self._FLAGS), self.text()).size()

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        words = self.text().replace("&&", "\0").replace("&", "").split()
        widest = max((metrics.horizontalAdvance(w.replace("\0", "&")) for w in words),
                     default=0)
        return QSize(self._for_text(QSize(widest, metrics.height())).width(),
                     super().minimumSizeHint().height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._for_text(self._wrapped(width)).height()

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)  # every line of the words, as a one-line box's

    def paintEvent(self, event: QPaintEvent) -> None:
        line = super().sizeHint().height()
        if self.width() >= super().sizeHint().width():
            super().paintEvent(event)  # on one line: as any check box
            return
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        text = option.text
        words = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, self)
        option.text = ""
        option.rect = QRect(0, 0, self.width(), min(self.height(), line))
        painter.drawControl(QStyle.ControlElement.CE_CheckBox, option)  # the box
        top = max(0, (line - self.fontMetrics().height()) // 2)
        room = QRect(words.left(), top, words.width(), self.height() - top)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(self._FLAGS)
        if not self.style().styleHint(QStyle.StyleHint.SH_UnderlineShortcut, option, self):
            flags |= int(Qt.TextFlag.TextHideMnemonic)
        self.style().drawItemText(painter, room, flags, self.palette(), self.isEnabled(), text,
                                  QPalette.ColorRole.WindowText)


class FitButtonBox(QDialogButtonBox):
    """A dialog's buttons side by side where they fit, one above the other where they do not
    (a small screen, a large text size): they never make the dialog scroll sideways."""

    def _beside(self) -> int:
        shown = [b for b in self.buttons() if not b.isHidden()]
        layout = self.layout()
        spacing = max(6, layout.spacing()) if layout is not None else 6
        margins = layout.contentsMargins() if layout is not None else QMargins()
        return (sum(b.sizeHint().width() for b in shown) + spacing * max(0, len(shown) - 1)
                + margins.left() + margins.right())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        widest = max((b.minimumSizeHint().expandedTo(b.minimumSize()).width()
                      for b in self.buttons() if not b.isHidden()), default=0)
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        return QSize(widest + margins.left() + margins.right(), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        orientation = (Qt.Orientation.Horizontal if event.size().width() >= self._beside()
                       else Qt.Orientation.Vertical)
        if orientation != self.orientation():
            self.setOrientation(orientation)
            # Qt fixes a vertical box's width to its widest button: kept free to grow again.
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        super().resizeEvent(event)


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down only, and is never narrower than its page's minimum width (plus
    the scroll bar): a page wider than the viewport would be cut at the right edge, with no
    way to reach what is there (Settings at a large text size)."""

    def __init__(self, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(page)
        page.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        page = self.widget()
        if page is None:
            return hint
        width = (page.minimumSizeHint().expandedTo(page.minimumSize()).width()
                 + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth())
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the page's minimum may have changed: so has ours
        return super().eventFilter(watched, event)


def screen_area(widget: QWidget) -> QRect:
    """The available area of the screen ``widget`` is on (or its window's parent is on, before
    it is shown). Not QWidget.screen(): with PySide6 6.11, asking a dialog for it while it is
    being shown made a later event loop crash."""
    parent = widget.parentWidget()
    anchor = widget if widget.isVisible() or parent is None else parent.window()
    centre = anchor.mapToGlobal(anchor.rect().center())
    screen = QGuiApplication.screenAt(centre) or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


#: Room kept for a window's title bar and borders before the window is shown (when its frame
#: is not known yet).
_FRAME_GUESS = QSize(16, 48)


def fit_dialog(dialog: QDialog) -> None:
    """Keep ``dialog`` on its screen, and large enough for what it shows.

    A dialog grows to the height its wrapped text needs at its width (a window is held to its
    layout's minimum, but wrapped labels only say their height for a width: they were squeezed
    to slivers under each other); it never grows past the screen's available area. Where even
    its minimum does not fit (a small screen, a large text size), its contents move into a
    scroll area, once."""
    layout = dialog.layout()
    if layout is None:
        return
    frame = dialog.frameGeometry().size() - dialog.size()
    if not dialog.isVisible() or frame.isEmpty():
        frame = frame.expandedTo(_FRAME_GUESS)
    room = screen_area(dialog).size() - frame
    layout.activate()
    least = layout.totalMinimumSize()
    scroll = dialog.findChild(_DialogScroll) if dialog.property("fitScrolls") else None
    if scroll is not None:  # as wide as its page needs beside the scroll bar, where there is room
        least.setWidth(max(least.width(), scroll.wanted_width()))
    width = min(max(dialog.width(), least.width()), room.width())
    height = least.height()
    if layout.hasHeightForWidth():
        height = max(height, layout.totalHeightForWidth(width))
    if scroll is not None:  # as tall as its page, where the screen has room: less scrolling
        height = max(height, scroll.wanted_height(width))
    if (least.width() > room.width() or height > room.height()) \
            and not dialog.property("fitScrolls"):
        _scroll_contents(dialog, layout)
        fit_dialog(dialog)
        return
    size = QSize(width, min(max(dialog.height(), height), room.height()))
    if size != dialog.size():
        dialog.resize(size)


def _scroll_contents(dialog: QDialog, layout: QLayout) -> None:
    focus = dialog.focusWidget()
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    shown = [w for w in dialog.findChildren(QWidget, options=direct)
             if not w.isWindow() and not w.isHidden()]
    page = QWidget()
    page.setLayout(layout)  # takes the layout from the dialog, and its widgets with it
    # Moved widgets are hidden until the next pass of the event loop: shown again now, and
    # the focus put back, so a key typed meanwhile is not lost.
    for widget in shown:
        if widget.parentWidget() is page:
            widget.setVisible(True)
    scroll = _DialogScroll(page)
    scroll.setAccessibleName(dialog.windowTitle() or "Dialog")
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    scroll.show()  # now, not at the next pass of the event loop (as a child added later is)
    dialog.setProperty("fitScrolls", True)
    if focus is not None and dialog.isAncestorOf(focus):
        focus.setFocus()


class _DialogScroll(QScrollArea):
    """Where a dialog's contents scroll (:func:`fit_dialog`): the dialog is made as wide as the
    page's least width beside the vertical scroll bar where the screen has room for that, so it
    scrolls sideways only where the screen has not."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(page)
        page.installEventFilter(self)

    def wanted_width(self) -> int:
        page = self.widget()
        least = page.minimumSizeHint().expandedTo(page.minimumSize()).width() if page else 0
        return least + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def wanted_height(self, width: int) -> int:
        """The height that shows the whole page at ``width`` (the scroll bar beside it)."""
        page = self.widget()
        if page is None:
            return 0
        inner = width - self.verticalScrollBar().sizeHint().width() - 2 * self.frameWidth()
        tall = (page.heightForWidth(inner) if page.hasHeightForWidth()
                else page.sizeHint().height())
        return max(tall, page.minimumSizeHint().height()) + 2 * self.frameWidth()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the dialog fits itself again (DialogFitter)
        return super().eventFilter(watched, event)


class DialogFitter(QObject):
    """Applies :func:`fit_dialog` to every dialog of the application as it is shown, and again
    when its contents change (a result line, a page of a wizard). Message boxes and file
    pickers size themselves."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[int] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        # A dialog shown as a page of another (the review in Share) is fitted with its host.
        if not isinstance(watched, QDialog) or isinstance(watched, QMessageBox | QFileDialog) \
                or not watched.isWindow():
            return False
        if kind == QEvent.Type.Show:
            fit_dialog(watched)
            return False
        if kind != QEvent.Type.LayoutRequest:
            return False
        if watched.isVisible() and id(watched) not in self._pending:
            # After the dialog has laid itself out again (this event is on its way to it).
            self._pending.add(id(watched))
            QTimer.singleShot(0, watched, lambda d=watched: self._refit(d))
        return False

    def _refit(self, dialog: QDialog) -> None:
        self._pending.discard(id(dialog))
        if dialog.isVisible():
            fit_dialog(dialog)


class FitSplitter(QSplitter):
    """Panes side by side where both fit at their least width, one above the other where they
    do not (a small screen, a large text size): the review's text and its findings never make
    the dialog scroll sideways."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)

    def _side_by_side(self) -> int:
        panes = [self.widget(i) for i in range(self.count())]
        shown = [p for p in panes if p is not None and not p.isHidden()]
        return (sum(p.minimumSizeHint().expandedTo(p.minimumSize()).width() for p in shown)
                + self.handleWidth() * max(0, len(shown) - 1))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        panes = [self.widget(i) for i in range(self.count())]
        narrowest = max((p.minimumSizeHint().expandedTo(p.minimumSize()).width()
                         for p in panes if p is not None and not p.isHidden()), default=0)
        return QSize(narrowest, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        orientation = (Qt.Orientation.Horizontal if event.size().width() >= self._side_by_side()
                       else Qt.Orientation.Vertical)
        if orientation != self.orientation():
            self.setOrientation(orientation)
        super().resizeEvent(event)


class Columns(QWidget):
    """Two columns side by side where both fit at their minimum width, one above the other
    where they do not (a small screen, a large text size): the check-in's feelings and its
    ratings never make the dialog scroll sideways."""

    def __init__(self, left: QLayout, right: QLayout, stretches: tuple[int, int] = (1, 1),
                 spacing: int = 28, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)
        self.parts = (left, right)
        self.box.addLayout(left, stretches[0])
        self.box.addLayout(right, stretches[1])

    def _side_by_side(self) -> int:
        left, right = (part.totalMinimumSize().width() for part in self.parts)
        return left + right + self.box.spacing()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        narrowest = max(part.totalMinimumSize().width() for part in self.parts)
        return QSize(narrowest, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        direction = (QBoxLayout.Direction.LeftToRight
                     if event.size().width() >= self._side_by_side()
                     else QBoxLayout.Direction.TopToBottom)
        if direction != self.box.direction():
            self.box.setDirection(direction)
        super().resizeEvent(event)
