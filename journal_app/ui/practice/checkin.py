"""The 30-second check-in: mood and energy on a pad, stress, burnout, emotions, sleep,
whether something difficult happened, and whether something good did. Everything is optional;
Ctrl+Return saves.

The check-in is stored in the UI thread (one small record is fast). Check-ins are not entries:
saving one emits no ``entriesChanged``; :attr:`CheckInDialog.checkin` holds what was stored.

Keyboard: the pad takes the arrow keys (Delete clears it); each row of choices is one Tab stop
whose arrow keys choose, and pressing a chosen button again clears it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.practice import load_library
from journal_app.core.records import (
    ENCOUNTER_TYPES,
    ENERGY_RANGE,
    MAX_TITLE,
    MOOD_RANGE,
    STRESS_RANGE,
    CheckIn,
    now,
)
from journal_app.core.vocabulary import ENCOUNTER_LABELS
from journal_app.ui.edit_dialog import StoreDialog
from journal_app.ui.session import Change, JournalSession, user_message
from journal_app.ui.theme import colors
from journal_app.ui.widgets import (
    Columns,
    FitButtonBox,
    FitCombo,
    FlowLayout,
    error_label,
    heading,
    muted,
    primary_button,
    segment_style,
    show_error,
)
from journal_app.ui.writing.editor import EmotionChips

#: The words in the pad's corners (the circumplex of mood and energy).
QUADRANT_HINTS = {
    "top-left": "tense, on edge",
    "top-right": "alert, upbeat",
    "bottom-left": "low, flat",
    "bottom-right": "calm, at ease",
}
SLEEP_UNSET = -0.5  # the sleep spin box's value below 0 means "not given"
#: What Save says when every question was skipped (nothing is stored).
NOTHING_CHOSEN = "Nothing is chosen yet. Choose anything that fits, then save; or Cancel."


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def section(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


# --------------------------------------------------------------------------------------------
# The mood/energy pad


class MoodEnergyPad(QWidget):
    """A square to place yourself in: x = mood (unpleasant..pleasant), y = energy (drained..
    energised), both -5..+5 in whole steps. Unset until clicked or moved with the keyboard.

    Signals:
        changed(): the point was set, moved or cleared.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mood: int | None = None
        self._energy: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(280, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Mood and energy")
        self.setToolTip(
            "Left to right: unpleasant to pleasant. Bottom to top: drained to energised.\n"
            "Click or drag, or use the arrow keys; Delete clears."
        )
        self._describe()

    # ------------------------------------------------------------ value

    def mood(self) -> int | None:
        return self._mood

    def energy(self) -> int | None:
        return self._energy

    def is_set(self) -> bool:
        return self._mood is not None

    def set_value(self, mood: int | None, energy: int | None) -> None:
        """Set both (clamped to -5..5), the mood alone (energy ``None``: as the short check-in
        hands it over), or clear with ``None``."""
        if mood is None:
            new: tuple[int | None, int | None] = (None, None)
        else:
            new = (max(MOOD_RANGE[0], min(MOOD_RANGE[1], mood)),
                   None if energy is None else max(ENERGY_RANGE[0], min(ENERGY_RANGE[1], energy)))
        if new == (self._mood, self._energy):
            return
        self._mood, self._energy = new
        self._describe()
        self.update()
        self.changed.emit()

    def clear(self) -> None:
        self.set_value(None, None)

    def readout(self) -> str:
        if self._mood is None:
            return "Not set: click the square, or use the arrow keys"
        if self._energy is None:
            return f"Mood {signed(self._mood)}, energy not set: Up or Down, or click"
        return f"Mood {signed(self._mood)}, energy {signed(self._energy)}"

    def _describe(self) -> None:
        self.setAccessibleDescription(
            f"{self.readout()}. Left and right: unpleasant to pleasant. "
            "Up and down: drained to energised."
        )

    # ------------------------------------------------------------ geometry

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(max(320, 17 * line), max(260, 14 * line))

    def _plot(self) -> QRectF:
        """The area the -5..5 grid spans (room left for the axis words)."""
        fm = self.fontMetrics()
        top = fm.height() + 14
        side = 22
        return QRectF(self.rect()).adjusted(side, top, -side, -top)

    def _point(self, mood: int, energy: int) -> QPointF:
        plot = self._plot()
        x = plot.left() + (mood - MOOD_RANGE[0]) / (MOOD_RANGE[1] - MOOD_RANGE[0]) * plot.width()
        y = plot.bottom() - (energy - ENERGY_RANGE[0]) / (
            ENERGY_RANGE[1] - ENERGY_RANGE[0]) * plot.height()
        return QPointF(x, y)

    def _value_at(self, pos: QPointF) -> tuple[int, int]:
        plot = self._plot()
        fx = (pos.x() - plot.left()) / max(plot.width(), 1)
        fy = (plot.bottom() - pos.y()) / max(plot.height(), 1)
        mood = round(MOOD_RANGE[0] + fx * (MOOD_RANGE[1] - MOOD_RANGE[0]))
        energy = round(ENERGY_RANGE[0] + fy * (ENERGY_RANGE[1] - ENERGY_RANGE[0]))
        return mood, energy

    # ------------------------------------------------------------ input

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.set_value(*self._value_at(event.position()))
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.set_value(*self._value_at(event.position()))
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, 1), Qt.Key.Key_Down: (0, -1),
        }
        key = Qt.Key(event.key())
        if key in steps and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            dx, dy = steps[key]
            # Left and right leave an energy not yet given unset (a mood from the short form).
            keep = dy == 0 and self._mood is not None and self._energy is None
            self.set_value((self._mood or 0) + dx, None if keep else (self._energy or 0) + dy)
        elif key == Qt.Key.Key_Home and not event.modifiers():
            self.set_value(0, 0)
        elif key == Qt.Key.Key_Space and not event.modifiers():
            if self._energy is None:
                self.set_value(self._mood or 0, 0)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
            self.clear()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    # ------------------------------------------------------------ drawing

    def paintEvent(self, event: QPaintEvent) -> None:
        c = colors()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        focused = self.hasFocus()
        p.setPen(QPen(QColor(c.accent if focused else c.border), 2 if focused else 1))
        p.setBrush(QColor(c.base))
        p.drawRoundedRect(frame, 10, 10)

        plot = self._plot()
        centre = self._point(0, 0)
        # Faint dots where the point can sit, and the two axes.
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(c.border))
        for m in range(MOOD_RANGE[0], MOOD_RANGE[1] + 1):
            for e in range(ENERGY_RANGE[0], ENERGY_RANGE[1] + 1):
                p.drawEllipse(self._point(m, e), 1.3, 1.3)
        p.setPen(QPen(QColor(c.border), 1.2))
        p.drawLine(QPointF(plot.left(), centre.y()), QPointF(plot.right(), centre.y()))
        p.drawLine(QPointF(centre.x(), plot.top()), QPointF(centre.x(), plot.bottom()))

        # Axis words at the ends, quadrant hints in the corners (muted, small).
        muted_colour = QColor(c.muted)
        font = QFont(self.font())
        p.setFont(font)
        p.setPen(muted_colour)
        fm = p.fontMetrics()
        inner = frame.adjusted(10, 5, -10, -5)
        p.drawText(inner, int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter),
                   "energised")
        p.drawText(inner, int(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter),
                   "drained")
        row = QRectF(inner.left(), centre.y() - fm.height() - 2, inner.width(), fm.height())
        p.drawText(row, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   "unpleasant")
        p.drawText(row, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                   "pleasant")
        small = QFont(font)
        small.setItalic(True)
        small.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        p.setFont(small)
        hints = plot.adjusted(6, 4, -6, -4)
        top, bottom = Qt.AlignmentFlag.AlignTop, Qt.AlignmentFlag.AlignBottom
        left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        for where, flags in (("top-left", top | left), ("top-right", top | right),
                             ("bottom-left", bottom | left), ("bottom-right", bottom | right)):
            p.drawText(hints, int(flags), QUADRANT_HINTS[where])

        if self._mood is not None and self._energy is None:
            # The mood alone: a dashed line at its place, the energy still to choose.
            x = self._point(self._mood, 0).x()
            pen = QPen(QColor(c.accent), 3, Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        if self._mood is not None and self._energy is not None:
            point = self._point(self._mood, self._energy)
            accent = QColor(c.accent)
            halo = QColor(accent)
            halo.setAlpha(60)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(halo)
            p.drawEllipse(point, 15, 15)
            p.setPen(QPen(QColor(c.base), 2.5))
            p.setBrush(accent)
            p.drawEllipse(point, 8.5, 8.5)
        p.end()


# --------------------------------------------------------------------------------------------
# A row of choices: one Tab stop, arrow keys choose, clicking the chosen one clears it


class ChoiceGroup(QObject):
    """Checkable buttons with at most one checked, behaving as one keyboard control.

    Only the chosen button (or the first) takes Tab focus; arrow keys move and choose;
    Delete/Backspace or clicking the chosen button again clears the choice.

    Signals:
        changed(): the choice changed.
    """

    changed = Signal()

    def __init__(self, buttons: Sequence[QAbstractButton], values: Sequence[int],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.buttons = list(buttons)
        self.values = list(values)
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)  # exclusivity kept here, so a choice can be cleared
        for button, value in zip(self.buttons, self.values, strict=True):
            button.setCheckable(True)
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)  # Return saves the dialog, not "press this"
            self._group.addButton(button, value)
            button.installEventFilter(self)
        self._group.idToggled.connect(self._toggled)
        self._roving()

    def value(self) -> int | None:
        checked = [v for b, v in zip(self.buttons, self.values, strict=True) if b.isChecked()]
        return checked[0] if checked else None

    def set_value(self, value: int | None) -> None:
        for button, v in zip(self.buttons, self.values, strict=True):
            button.setChecked(v == value)

    def focus_button(self) -> QAbstractButton:
        """The button Tab lands on: the chosen one, else the first."""
        for button in self.buttons:
            if button.isChecked():
                return button
        return self.buttons[0]

    def _toggled(self, value: int, checked: bool) -> None:
        if checked:
            for button, v in zip(self.buttons, self.values, strict=True):
                if v != value and button.isChecked():
                    button.blockSignals(True)
                    button.setChecked(False)
                    button.blockSignals(False)
        self._roving()
        self.changed.emit()

    def _roving(self) -> None:
        target = self.focus_button()
        for button in self.buttons:
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if button is target
                                  else Qt.FocusPolicy.ClickFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or watched not in self.buttons:
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        index = self.buttons.index(watched)
        last = len(self.buttons) - 1
        moves = {
            Qt.Key.Key_Left: index - 1, Qt.Key.Key_Up: index - 1,
            Qt.Key.Key_Right: index + 1, Qt.Key.Key_Down: index + 1,
            Qt.Key.Key_Home: 0, Qt.Key.Key_End: last,
        }
        if key in moves:
            target = self.buttons[max(0, min(last, moves[Qt.Key(key)]))]
            target.setChecked(True)
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
            return True
        return False


# --------------------------------------------------------------------------------------------
# The dialog


def note_field(label: str) -> tuple[QLineEdit, QHBoxLayout]:
    """The check-in's optional line of one's own and its row, labelled ``label``: the full and
    the short check-in ask for it the same way (the short one's note is carried to the full)."""
    note = QLineEdit()
    note.setPlaceholderText("A line about it, if you like")
    note.setAccessibleName("Note (optional)")
    note.setMaxLength(MAX_TITLE)
    note_label = QLabel(label)
    note_label.setBuddy(note)
    row = QHBoxLayout()
    row.addWidget(note_label)
    row.addWidget(note, 1)
    return note, row


def checkin_buttons(save_key: str) -> tuple[QPushButton, QPushButton, QDialogButtonBox]:
    """"Save check-in" (its tooltip names ``save_key``) and "Cancel", named for screen readers,
    in a button box: the full and the short check-in end the same way."""
    save = primary_button("Save check-in")
    save.setToolTip(f"Save ({save_key})")
    save.setAccessibleName("Save check-in")
    cancel = QPushButton("Cancel")
    cancel.setAutoDefault(False)
    cancel.setAccessibleName("Cancel check-in")
    box = FitButtonBox()  # one above the other where narrow
    box.addButton(save, QDialogButtonBox.ButtonRole.AcceptRole)
    box.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
    return save, cancel, box


class CheckInDialog(StoreDialog):
    """A 30-second check-in. After ``exec()``, :attr:`checkin` is the stored CheckIn (or None).

    Signals:
        saved(object): the CheckIn that was stored.
    """


    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.checkin: CheckIn | None = None
        self.setWindowTitle("Check-in")
        library = load_library()
        c = colors()
        self.setStyleSheet(
            segment_style()
            + f"""
            QPushButton[wide="true"] {{ text-align: left; padding: 5px 12px; }}
            QToolButton[flat="true"] {{ border: none; color: {c.accent}; padding: 2px 4px; }}
            """
        )

        title = heading("A 30-second check-in")
        intro = muted("Everything is optional: fill in what you like and save.")

        # Mood and energy
        self.pad = MoodEnergyPad()
        self.pad_readout = QLabel(self.pad.readout())
        self.pad_readout.setAccessibleName("Mood and energy readout")
        self.pad_readout.setProperty("muted", True)
        self.pad_readout.setWordWrap(True)
        self.pad_clear = QToolButton()
        self.pad_clear.setText("Clear")
        self.pad_clear.setProperty("flat", True)
        self.pad_clear.setAccessibleName("Clear mood and energy")
        self.pad_clear.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Delete on the pad does it
        self.pad_clear.setCursor(Qt.CursorShape.PointingHandCursor)
        readout_row = QHBoxLayout()
        readout_row.addWidget(self.pad_readout, 1)
        readout_row.addWidget(self.pad_clear)

        # Sleep
        self.sleep = QDoubleSpinBox()
        self.sleep.setRange(SLEEP_UNSET, 24.0)
        self.sleep.setSingleStep(0.5)
        self.sleep.setDecimals(1)
        self.sleep.setSuffix(" h")
        self.sleep.setSpecialValueText("–")
        self.sleep.setValue(SLEEP_UNSET)
        self.sleep.setAccessibleName("Hours of sleep, 0 to 24")
        self.sleep.setToolTip("Hours slept in the last 24 hours; '–' means not given")
        self.sleep.setMinimumWidth(90)
        sleep_label = QLabel("Sleep in the last 24 h")
        sleep_label.setBuddy(self.sleep)
        sleep_row = QHBoxLayout()
        sleep_row.addWidget(sleep_label)
        sleep_row.addWidget(self.sleep)
        sleep_row.addStretch(1)
        pad_label = section("How do you feel, right now?")
        pad_label.setBuddy(self.pad)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(pad_label)
        left.addWidget(self.pad, 1)
        left.addLayout(readout_row)
        left.addSpacing(6)
        left.addLayout(sleep_row)

        # Stress
        lo, hi = STRESS_RANGE
        self.stress_buttons: list[QPushButton] = []
        stress_row = FlowLayout(spacing=4, even=True)  # on two rows where narrow
        for value in range(lo, hi + 1):
            button = QPushButton(str(value))
            button.setProperty("segment", True)
            button.setAccessibleName(f"Stress {value} of {hi}")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("10") + 18)
            self.stress_buttons.append(button)
            stress_row.addWidget(button)
        self.stress = ChoiceGroup(self.stress_buttons, list(range(lo, hi + 1)), self)
        self.stress_value = QLabel()
        self.stress_value.setAccessibleName("Stress readout")
        self.stress_value.setProperty("muted", True)
        stress_head = QHBoxLayout()
        stress_label = section("Stress")
        stress_head.addWidget(stress_label)
        stress_head.addStretch(1)
        stress_head.addWidget(self.stress_value)
        stress_ends = QHBoxLayout()
        stress_ends.addWidget(muted("0 none"))
        stress_ends.addStretch(1)
        stress_ends.addWidget(muted(f"{hi} the most"))

        # Burnout
        self.burnout_buttons: list[QPushButton] = []
        burnout_box = QVBoxLayout()
        burnout_box.setSpacing(4)
        for number, level in enumerate(library.burnout, start=1):
            button = QPushButton(f"{number}    {level.label}")
            button.setProperty("segment", True)
            button.setProperty("wide", True)
            button.setToolTip(level.explanation)
            button.setAccessibleName(f"Burnout {number} of 5: {level.label}")
            button.setAccessibleDescription(level.explanation)
            self.burnout_buttons.append(button)
            burnout_box.addWidget(button)
        self.burnout = ChoiceGroup(self.burnout_buttons, list(range(1, 6)), self)
        burnout_label = section(library.burnout_question)
        burnout_label.setToolTip(library.burnout_note)
        self._burnout_note = library.burnout_note.split(". ")[0].rstrip(".") + "."
        self._burnout_levels = library.burnout
        self.burnout_hint = muted(self._burnout_note)
        self.burnout_hint.setToolTip(library.burnout_note)
        self.burnout_hint.setAccessibleName("About the burnout rating")
        self.burnout_hint.setMinimumHeight(2 * self.burnout_hint.fontMetrics().lineSpacing() + 2)
        self.burnout_hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        right = QVBoxLayout()
        right.setSpacing(6)
        right.addLayout(stress_head)
        right.addLayout(stress_row)
        right.addLayout(stress_ends)
        right.addSpacing(12)
        right.addWidget(burnout_label)
        right.addLayout(burnout_box)
        right.addWidget(self.burnout_hint)
        right.addStretch(1)

        columns = Columns(left, right, (5, 6))  # one above the other where narrow

        # Emotions
        self.emotions = EmotionChips(session=session)
        emotions_label = section("Emotions")
        emotions_label.setBuddy(self.emotions.name)
        # Until a chip is there, a hint (wrapped to the dialog's width) where the chips go.
        self.emotions_hint = muted(
            "Pick a word or type your own, set how strong it is (1 faint, 5 overwhelming), "
            "then Add."
        )
        self.emotions.changed.connect(self._emotions_changed)

        # A difficult moment
        self.difficult = QCheckBox("Did something difficult happen?")
        self.difficult.setAccessibleName("Did something difficult happen?")
        # Fusion draws the box's outline from the Window colour: on the dark theme it all but
        # vanishes. A lighter Window for this one widget gives the box a visible edge.
        palette = self.difficult.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(c.muted))
        self.difficult.setPalette(palette)
        self.encounter = FitCombo(elide=True)  # a long kind shortened where narrow
        self.encounter.setAccessibleName("What kind of difficult moment")
        self.encounter.setPlaceholderText("What happened? (optional)")
        for key in ENCOUNTER_TYPES:
            self.encounter.addItem(ENCOUNTER_LABELS[key], key)
        self.encounter.setCurrentIndex(-1)
        # Its place is kept while it is hidden, so nothing jumps when it appears.
        policy = self.encounter.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.encounter.setSizePolicy(policy)
        self.encounter.hide()
        bottom = FlowLayout(spacing=12)  # the kind under the question where narrow
        bottom.addWidget(self.difficult)
        bottom.addWidget(self.encounter)
        # A good moment has its own place, as quiet as the difficult one (not its opposite:
        # both can be true of one day).
        self.good = QCheckBox("Something good happened")
        self.good.setAccessibleName("Something good happened")
        self.good.setPalette(palette)
        good_row = QHBoxLayout()
        good_row.addWidget(self.good)
        good_row.addStretch(1)
        # A line of one's own (the short check-in's note comes over here).
        self.note, note_row = note_field("Note")

        self.error = error_label()

        self.save_button, self.cancel_button, self.buttons = checkin_buttons("Ctrl+Return")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 20)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(columns, 1)
        layout.addSpacing(10)
        layout.addWidget(emotions_label)
        layout.addWidget(self.emotions)
        layout.addWidget(self.emotions_hint)
        layout.addSpacing(6)
        layout.addLayout(bottom)
        layout.addLayout(good_row)
        layout.addLayout(note_row)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        # Default only once the button is in the dialog (before, Qt would pick the first
        # auto-default button in the focus chain: the emotions' Add).
        self.emotions.add_button.setAutoDefault(False)
        self.save_button.setDefault(True)

        # One Tab stop per control, in reading order.
        chain: list[QWidget] = [self.pad, self.sleep, *self.stress_buttons,
                                *self.burnout_buttons, self.emotions.name,
                                self.emotions.intensity, self.emotions.add_button,
                                self.difficult, self.encounter, self.good, self.note,
                                self.save_button, self.cancel_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.pad.changed.connect(self._pad_changed)
        self.pad_clear.clicked.connect(self.pad.clear)
        self.stress.changed.connect(self._stress_changed)
        self.burnout.changed.connect(self._burnout_changed)
        self.difficult.toggled.connect(self._difficult_toggled)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        # A locked journal shows nothing over the lock page.
        session.locked.connect(self.reject)

        self._pad_changed()
        self._stress_changed()
        self._burnout_changed()
        self.resize(self.sizeHint().expandedTo(QSize(780, 0)))
        self.pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def preset(self, mood: int | None, note: str = "") -> None:
        """Start from what the short check-in chose: the mood (energy still unset) and note."""
        self.pad.set_value(mood, None)
        self.note.setText(note)

    # ------------------------------------------------------------ reactions

    def _pad_changed(self) -> None:
        self.pad_readout.setText(self.pad.readout())
        self.pad_clear.setVisible(self.pad.is_set())

    def _stress_changed(self) -> None:
        value = self.stress.value()
        self.stress_value.setText("not rated" if value is None else f"{value} of "
                                  f"{STRESS_RANGE[1]}")

    def _burnout_changed(self) -> None:
        value = self.burnout.value()
        if value is None:
            self.burnout_hint.setText(self._burnout_note)
        else:
            self.burnout_hint.setText(self._burnout_levels[value - 1].explanation)

    def _emotions_changed(self) -> None:
        self.emotions_hint.setVisible(not self.emotions.emotions())

    def _difficult_toggled(self, on: bool) -> None:
        self.encounter.setVisible(on)
        if not on:
            self.encounter.setCurrentIndex(-1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Return in the emotion picker adds the emotion; it must not also save the dialog.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            focus = self.focusWidget()
            if focus is not None and self.emotions.isAncestorOf(focus):
                if not self.emotions.name.isAncestorOf(focus):  # the picker's own Enter added
                    self.emotions.add_current()  # from the intensity box too
                event.accept()
                return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ saving

    def encounter_value(self) -> str | None:
        if not self.difficult.isChecked():
            return None
        data = self.encounter.currentData()
        return data if isinstance(data, str) else "other"

    def sleep_value(self) -> float | None:
        value = self.sleep.value()
        return None if value < 0 else value

    def current(self) -> CheckIn:
        """The check-in the fields show now (a typed-but-not-added emotion is included)."""
        self.emotions.add_current()
        return CheckIn(
            created=now(),
            mood=self.pad.mood(),
            energy=self.pad.energy(),
            stress=self.stress.value(),
            burnout=self.burnout.value(),
            emotions=tuple(self.emotions.emotions()),
            sleep_hours=self.sleep_value(),
            encounter=self.encounter_value(),
            good_moment=self.good.isChecked(),
            note=self.note.text().strip(),
        )

    def save(self) -> None:
        if self.checkin is not None or self._saving:
            return  # saved already, or being saved (a double press)
        show_error(self.error, "")
        if not self.emotions.add_current():
            return  # a word of the user's own, to correct first: it stays in the field
        try:
            self.sleep.interpretText()
            checkin = self.current()
            if checkin.skipped:  # not saved, and not counted (see CheckIn.skipped)
                show_error(self.error, NOTHING_CHOSEN)
                return
        except Exception as exc:  # a plain sentence; a bug is logged by type and said as one
            show_error(self.error, user_message(exc))
            return

        self.store(checkin, Change.CHECKINS, lambda stored: setattr(self, "checkin", stored))
