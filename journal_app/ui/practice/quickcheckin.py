"""The short check-in: mood in two taps. One row of five large mood choices and an optional
one-line note; a mood, then Save (or Enter), is a saved check-in. "More…" opens the full
check-in (:class:`~.checkin.CheckInDialog`) with the mood and the note carried over.

Why a choice does not save at once (with an undo): a mis-tap at 3 a.m. is put right by tapping
again, the note can still be written after the mood, Escape always means nothing was kept, and
nothing is written and then taken back. Two actions, each one undoable until Save.

Keyboard: the row is one Tab stop; the arrow keys move along it, 1 to 5 choose from anywhere but
the note; Enter saves, Escape discards. The faces differ in shape and word, never only in colour.

The check-in is stored by :meth:`QuickCheckInDialog._store`, the one place that writes.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.records import CheckIn, now
from journal_app.ui.edit_dialog import StoreDialog
from journal_app.ui.practice.checkin import (
    CheckInDialog,
    ChoiceGroup,
    checkin_buttons,
    note_field,
)
from journal_app.ui.session import Change, JournalSession, user_message
from journal_app.ui.theme import colors
from journal_app.ui.widgets import FlowLayout, error_label, heading, show_error

#: The five choices: mood on the -5..+5 scale, and the word shown under the face.
MOODS: tuple[tuple[int, str], ...] = (
    (-4, "Very low"), (-2, "Low"), (0, "Okay"), (2, "Good"), (4, "Very good"),
)
#: What Save says when nothing was chosen or written (nothing is stored).
NOTHING_CHOSEN = "Choose how you are, or write a line, then save. Escape leaves without saving."
FACE = 40  # the face's size in pixels (device independent)


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def face(value: int, colour: str, ratio: float) -> QPixmap:
    """A plain line face for mood ``value`` (-4..4): the mouth curves from a frown to a smile,
    so the choices differ in shape, not only in colour."""
    pixmap = QPixmap(round(FACE * ratio), round(FACE * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(colour), 2.2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.drawEllipse(QRectF(2, 2, FACE - 4, FACE - 4))
    p.setBrush(QColor(colour))
    p.setPen(Qt.PenStyle.NoPen)
    for x in (14.5, 25.5):
        p.drawEllipse(QPointF(x, 16), 2.1, 2.1)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(pen)
    curve = value / 4 * 6  # how far the mouth's middle sits below (smile) or above its ends
    mouth = QPainterPath(QPointF(13, 27 - curve / 2))
    mouth.quadTo(QPointF(20, 27 + curve * 1.5), QPointF(27, 27 - curve / 2))
    p.drawPath(mouth)
    p.end()
    return pixmap


class QuickCheckInDialog(StoreDialog):
    """The short check-in. After ``exec()``, :attr:`checkin` is the stored CheckIn (or None),
    whether it was saved here or in the full check-in opened with More.

    Signals:
        saved(object): the CheckIn that was stored.
    """


    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.checkin: CheckIn | None = None
        self.setWindowTitle("Check-in")
        c = colors()
        self.setStyleSheet(f"""
            QToolButton[mood="true"] {{
                background: {c.base}; color: {c.text}; border: 1px solid {c.border};
                border-radius: 10px; padding: 10px 4px 8px 4px;
            }}
            QToolButton[mood="true"]:hover {{ border: 1px solid {c.accent}; }}
            QToolButton[mood="true"]:checked {{
                background: {c.accent}; color: {c.accent_text}; border: 2px solid {c.text};
                font-weight: 600;
            }}
            QToolButton[mood="true"]:focus {{ border: 2px solid {c.accent}; }}
            QToolButton[mood="true"]:checked:focus {{ border: 3px solid {c.text}; }}
        """)

        title = heading("How are you, right now?")
        ratio = self.devicePixelRatioF()
        self.mood_buttons: list[QToolButton] = []
        row = FlowLayout(spacing=8, even=True)  # one row, or rows of equal cells where narrow
        for number, (value, word) in enumerate(MOODS, start=1):
            button = QToolButton()
            button.setProperty("mood", True)
            button.setText(word)
            icon = QIcon()
            icon.addPixmap(face(value, c.text, ratio), QIcon.Mode.Normal, QIcon.State.Off)
            icon.addPixmap(face(value, c.accent_text, ratio), QIcon.Mode.Normal, QIcon.State.On)
            button.setIcon(icon)
            button.setIconSize(QSize(FACE, FACE))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumSize(
                max(88, button.fontMetrics().horizontalAdvance("Very good") + 20), 86)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAccessibleName(f"Mood: {word.lower()} ({signed(value)})")
            button.setToolTip(f"{word}: mood {signed(value)} of ±5 (key {number})")
            self.mood_buttons.append(button)
            row.addWidget(button)
        self.mood = ChoiceGroup(self.mood_buttons, [v for v, _ in MOODS], self)

        self.note, note_row = note_field("&Note")

        self.error = error_label()

        self.more_button = QPushButton("&More…")
        self.more_button.setAutoDefault(False)
        self.more_button.setAccessibleName("More: the full check-in")
        self.more_button.setToolTip("Energy, stress, burnout, emotions, sleep, and whether "
                                    "something difficult or good happened")
        self.save_button, self.cancel_button, self.buttons = checkin_buttons("Enter")
        self.buttons.addButton(self.more_button, QDialogButtonBox.ButtonRole.ResetRole)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addSpacing(4)
        layout.addLayout(note_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.save_button.setDefault(True)
        # Reading order; the row is one Tab stop (only its chosen button takes Tab).
        chain: list[QWidget] = [*self.mood_buttons, self.note, self.more_button,
                                self.save_button, self.cancel_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.more_button.clicked.connect(self.more)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.mood.changed.connect(lambda: show_error(self.error, ""))
        session.locked.connect(self.reject)  # nothing shows over the lock page
        self.setMinimumWidth(560)
        # All five moods on one row where the screen has room (a large text size on a small
        # screen: as many a row as fit its width, not the two that fit Qt's first guess).
        self.resize(self.sizeHint().expandedTo(QSize(560, 0)))
        self.mood.focus_button().setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # 1..5 choose a mood (a key typed in the note is the note's: it never reaches here).
        number = event.key() - Qt.Key.Key_1.value + 1
        if 1 <= number <= len(MOODS) and \
                not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            button = self.mood_buttons[number - 1]
            button.setChecked(True)
            button.setFocus(Qt.FocusReason.ShortcutFocusReason)
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ saving

    def current(self) -> CheckIn:
        """The check-in the form shows now."""
        return CheckIn(created=now(), mood=self.mood.value(), note=self.note.text().strip())

    def save(self) -> None:
        if self.checkin is not None or self._saving:
            return  # saved already, or being saved (a double press)
        show_error(self.error, "")
        try:
            checkin = self.current()
        except ValueError as exc:
            show_error(self.error, user_message(exc))
            return
        if checkin.skipped:
            show_error(self.error, NOTHING_CHOSEN)
            return
        self.store(checkin, Change.CHECKINS, self._keep)

    def reject(self) -> None:
        if self._saving:
            return  # stored in a moment: the form closes by itself then
        super().reject()

    def _keep(self, checkin: CheckIn) -> None:
        self.checkin = checkin

    def more(self) -> None:
        """The full check-in, starting from what was chosen here. Saved there, this one closes
        with it; cancelled there, this one is back as it was."""
        full = CheckInDialog(self.session, self)
        full.preset(self.mood.value(), self.note.text())
        full.exec()
        checkin = full.checkin  # None unless it was saved there
        full.deleteLater()
        if checkin is not None:
            self._keep(checkin)
            self.saved.emit(checkin)
            self.accept()
        elif self.session.is_unlocked:
            self.activateWindow()
            self.more_button.setFocus(Qt.FocusReason.OtherFocusReason)
