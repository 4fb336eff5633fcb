"""The guided reflection: one step of a template per page, then an optional self-rating.

:class:`ReflectionWizard` walks through a :class:`~journal_app.core.practice.prompts.Template` one
step at
a time (text, feelings, a 0-10 scale, a coping checklist, a plan, a moment of silence). Nothing
is stored until Finish: then one :class:`~journal_app.core.records.model.Reflection` is written,
whose
body holds the answers as Markdown (so it reads and searches like any entry) and whose
``answers`` keep them structured. A failed save keeps everything on screen; cancelling after
writing something asks first.

Nothing here forces a pace: the silence counts down, but Continue works at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
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
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.practice import (
    COPING_GROUPS,
    UNFINISHED_SUFFIX,
    Library,
    Step,
    Template,
    load_library,
    reflection_body,
    resume_step,
    signed,
)
from journal_app.core.records import CheckIn, CopingRating, Emotion, Reflection, StepAnswer, now
from journal_app.core.vault import Journal
from journal_app.core.vocabulary import COPING_GROUP_LABELS, HELPED_WORDS, id_words
from journal_app.ui import messages, theme
from journal_app.ui.edit_dialog import EditDialog
from journal_app.ui.practice.support import quiet_link
from journal_app.ui.session import Change, JournalSession, user_message
from journal_app.ui.spelling import check_spelling
from journal_app.ui.widgets import FlowLayout, muted, show_error
from journal_app.ui.writing.editor import EmotionChips

COPING_GROUP_NOTES = {
    "avoidance": "Most people use some of these after a hard day. Being honest here helps you "
                 "see what works for you.",
}
PLAN_PLACEHOLDER = "One small thing I will do…"
TEXT_PLACEHOLDER = "Write here. A few words are enough."
#: In place of the depth rating, after a death, a code, free writing or Three Good Things.
LATER_NOTE = ("No rating today. In a few days, the follow-up will offer you a look back at "
              "how deep this writing went, if you want one.")


def default_title(template: Template, day: date | None = None) -> str:
    day = day or date.today()
    return f"{template.title}, {day.day} {day:%B %Y}"


# ------------------------------------------------------------------------------- step editors


def _clear_outline(button: QAbstractButton) -> None:
    """Fusion outlines tick boxes and radio buttons in a shade of the window colour, which
    nearly vanishes on the dark theme: outline them from the muted text colour instead."""
    palette = button.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(theme.colors().muted))
    button.setPalette(palette)


class StepEditor(QWidget):
    """The answer area of one step. Subclasses say what was answered (how it reads in the body
    is :func:`journal_app.core.practice.reflection_text.answer_markdown`)."""

    def __init__(self, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step

    def answer(self) -> StepAnswer | None:
        """The structured answer (``None`` for a pause, which has none)."""
        return StepAnswer(self.step.id, self.step.kind)

    def has_content(self) -> bool:
        return False

    def focus_target(self) -> QWidget | None:
        return None

    def entered(self) -> None:
        """The page was shown."""

    def left(self) -> None:
        """The page was left (Back, Next or Finish)."""

    def can_leave(self) -> bool:
        """Whether Next may leave the page (it may ask the user first)."""
        return True

    def restore(self, answer: StepAnswer) -> None:
        """Show ``answer`` again (an unfinished reflection resumed)."""


class TextStepEditor(StepEditor):
    def __init__(self, step: Step, session: JournalSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(step, parent)
        self.edit = QPlainTextEdit()
        #: Misspelt words underlined (None without a session: nothing to keep own words in).
        self.spelling = check_spelling(self.edit, session) if session is not None else None
        self.edit.setPlaceholderText(PLAN_PLACEHOLDER if step.kind == "plan"
                                     else TEXT_PLACEHOLDER)
        self.edit.setAccessibleName(step.title)
        self.edit.setTabChangesFocus(True)
        theme.sized_font(self.edit, 1)
        self.edit.document().setDocumentMargin(10)  # room to breathe inside the box
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def restore(self, answer: StepAnswer) -> None:
        self.edit.setPlainText(answer.text)

    def answer(self) -> StepAnswer:
        return StepAnswer(self.step.id, self.step.kind, text=self.text())

    def has_content(self) -> bool:
        return bool(self.text())

    def focus_target(self) -> QWidget:
        return self.edit


class EmotionsStepEditor(StepEditor):
    def __init__(self, step: Step, parent: QWidget | None = None,
                 session: JournalSession | None = None) -> None:
        super().__init__(step, parent)
        self.chips = EmotionChips(session=session)
        self._carried: list[Emotion] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.chips)
        layout.addWidget(muted(
            "Type a feeling or pick one from the list, choose how strong it is (1 faint, "
            "5 overwhelming) and press Add. Add as many as fit."
        ))
        layout.addStretch(1)

    def emotions(self) -> list[Emotion]:
        return self.chips.emotions()

    def carry(self, emotions: Sequence[Emotion]) -> None:
        """Start from the feelings the check-in just recorded (they are not new writing: a
        reflection with nothing else in it is still empty)."""
        self._carried = list(emotions)
        self.chips.set_emotions(emotions)

    def restore(self, answer: StepAnswer) -> None:
        self.chips.set_emotions(answer.emotions)

    def left(self) -> None:
        # A feeling typed but not added yet counts: people press Next, not Add. A word not in
        # the list is asked about by can_leave (Next), kept without asking when the wizard is
        # closed from outside (reject), and otherwise stays in the field.
        if self.chips.suggestion(self.chips.name.currentText()) is not None:
            self.chips.add_current()

    def can_leave(self) -> bool:
        return self.chips.add_current()

    def answer(self) -> StepAnswer:
        return StepAnswer(self.step.id, self.step.kind, emotions=tuple(self.emotions()))

    def has_content(self) -> bool:
        return (self.emotions() != self._carried
                or bool(self.chips.name.currentText().strip()))

    def focus_target(self) -> QWidget:
        return self.chips.name


class ScaleStepEditor(StepEditor):
    """Segmented buttons min..max, none chosen until the user chooses."""

    def __init__(self, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(step, parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[int, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(4)
        for value in range(step.min, step.max + 1):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setProperty("segment", True)
            button.setAccessibleName(f"{value} of {step.max}")
            button.setToolTip(
                step.low_label if value == step.min
                else step.high_label if value == step.max else str(value)
            )
            self.group.addButton(button, value)
            self.buttons[value] = button
            row.addWidget(button, 1)
        ends = QHBoxLayout()
        low, high = muted(step.low_label), muted(step.high_label)
        high.setAlignment(Qt.AlignmentFlag.AlignRight)
        ends.addWidget(low, 1)
        ends.addWidget(high, 1)
        self.chosen = muted("Not chosen yet.")
        self.chosen.setAccessibleName("Chosen value")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setProperty("flat-link", True)
        self.clear_button.setAccessibleName("Clear the value")
        self.clear_button.hide()
        below = QHBoxLayout()
        below.addWidget(self.chosen, 1)
        below.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addLayout(ends)
        layout.addSpacing(10)
        layout.addLayout(below)
        layout.addStretch(1)
        self.group.idToggled.connect(self._update)
        self.clear_button.clicked.connect(self.clear)

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return None if checked == -1 else checked

    def set_value(self, value: int | None) -> None:
        if value is None:
            self.clear()
        else:
            self.buttons[value].setChecked(True)

    def clear(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self._update()

    def _update(self, *_args: object) -> None:
        value = self.value()
        self.clear_button.setVisible(value is not None)
        self.chosen.setText("Not chosen yet." if value is None
                            else f"You chose {value} of {self.step.max}.")

    def answer(self) -> StepAnswer:
        return StepAnswer(self.step.id, self.step.kind, value=self.value())

    def restore(self, answer: StepAnswer) -> None:
        if answer.value is None or answer.value in self.buttons:
            self.set_value(answer.value)

    def has_content(self) -> bool:
        return self.value() is not None

    def focus_target(self) -> QWidget | None:
        value = self.value()
        return None if value is None else self.buttons[value]


class CopingStepEditor(StepEditor):
    """The coping checklist, grouped; each ticked strategy asks how much it helped."""

    def __init__(self, step: Step, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(step, parent)
        self.boxes: dict[str, QCheckBox] = {}
        self.helped: dict[str, QComboBox] = {}
        self._helped_rows: dict[str, QWidget] = {}
        inner = QWidget()
        inner.setObjectName("copingList")
        column = QVBoxLayout(inner)
        column.setContentsMargins(2, 0, 12, 8)
        column.setSpacing(2)
        for group in COPING_GROUPS:
            strategies = [c for c in library.coping if c.group == group]
            if not strategies:
                continue
            if column.count():
                column.addSpacing(12)
            title = QLabel(COPING_GROUP_LABELS.get(group) or id_words(group))
            title.setProperty("groupTitle", True)
            title.setWordWrap(True)
            column.addWidget(title)
            if group in COPING_GROUP_NOTES:
                column.addWidget(muted(COPING_GROUP_NOTES[group]))
            column.addSpacing(2)
            for strategy in strategies:
                column.addWidget(self._strategy_row(strategy.id, strategy.label))
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setAccessibleName("Coping strategies")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

    def _strategy_row(self, strategy_id: str, label: str) -> QWidget:
        """A tick box, the strategy in words (wrapped, clickable) and, once ticked, how much
        it helped."""
        box = QCheckBox()
        box.setAccessibleName(label)
        _clear_outline(box)
        text = ClickableLabel(label, box, muted=False)
        combo = QComboBox()
        combo.setAccessibleName(f"How much did it help: {label}")
        combo.setPlaceholderText("Choose…")
        for value in sorted(HELPED_WORDS):
            combo.addItem(f"{HELPED_WORDS[value].capitalize()}  ({signed(value)})", value)
        combo.setCurrentIndex(-1)
        helped_row = QWidget()
        # The question beside its answer, or above it where the room is narrow.
        line = FlowLayout(helped_row)
        line.setContentsMargins(0, 2, 0, 6)
        question = QLabel("How much did it help?")
        question.setProperty("muted", True)
        question.setBuddy(combo)
        line.addWidget(question)
        line.addWidget(combo)
        helped_row.hide()
        row = QWidget()
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 3, 0, 3)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.addWidget(box, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(text, 0, 1)
        grid.addWidget(helped_row, 1, 1)
        grid.setColumnStretch(1, 1)
        box.toggled.connect(lambda on: self._toggled(on, row, helped_row))
        self.boxes[strategy_id] = box
        self.helped[strategy_id] = combo
        self._helped_rows[strategy_id] = helped_row
        return row

    def _toggled(self, on: bool, row: QWidget, helped_row: QWidget) -> None:
        helped_row.setVisible(on)
        if on:
            QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(row, 0, 20))

    def restore(self, answer: StepAnswer) -> None:
        for rating in answer.coping:
            if rating.strategy in self.boxes:
                self.boxes[rating.strategy].setChecked(True)
                self.set_helped(rating.strategy, rating.helped)

    def set_helped(self, strategy_id: str, helped: int) -> None:
        combo = self.helped[strategy_id]
        combo.setCurrentIndex(combo.findData(helped))

    def ratings(self) -> list[CopingRating]:
        out = []
        for strategy_id, box in self.boxes.items():
            if box.isChecked():
                value = self.helped[strategy_id].currentData()
                out.append(CopingRating(strategy_id, value if isinstance(value, int) else 0))
        return out

    def answer(self) -> StepAnswer:
        return StepAnswer(self.step.id, self.step.kind, coping=tuple(self.ratings()))

    def has_content(self) -> bool:
        return any(box.isChecked() for box in self.boxes.values())

    def unrated(self) -> list[str]:
        """The strategies ticked without saying how much they helped (stored as 0)."""
        return [strategy_id for strategy_id, box in self.boxes.items() if box.isChecked()
                and not isinstance(self.helped[strategy_id].currentData(), int)]

    def focus_target(self) -> QWidget | None:
        return next(iter(self.boxes.values()), None)


class CountdownRing(QWidget):
    """A thin ring that empties as the silence passes, the time left in its middle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fraction = 1.0
        self.text = ""
        self.setFixedSize(168, 168)

    def set_state(self, fraction: float, text: str) -> None:
        self.fraction = max(0.0, min(1.0, fraction))
        self.text = text
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        c = theme.colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        pen = QPen(QColor(c.border), 5)
        painter.setPen(pen)
        painter.drawEllipse(rect)
        if self.fraction > 0:
            pen.setColor(QColor(c.accent))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawArc(rect, 90 * 16, int(self.fraction * 360 * 16))
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() + 9)
        painter.setFont(font)
        painter.setPen(QColor(c.text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)
        painter.end()


class PauseStepEditor(StepEditor):
    """A moment of silence: a countdown that shows, never one that must be waited out."""

    def __init__(self, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(step, parent)
        self.remaining = step.seconds
        self.ring = CountdownRing()
        self.ring.setAccessibleName("Time left in the silence")
        self.note = muted("")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.ring)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addWidget(self.note)
        layout.addStretch(2)
        self._show()

    def countdown_text(self) -> str:
        return f"{self.remaining // 60}:{self.remaining % 60:02d}"

    def _show(self) -> None:
        seconds = max(1, self.step.seconds)
        self.ring.set_state(self.remaining / seconds, self.countdown_text())
        self.note.setText(
            "Stay as long as you like." if self.remaining <= 0
            else f"{self.step.seconds} seconds of quiet. You can continue at any time."
        )

    def tick(self) -> None:
        self.remaining = max(0, self.remaining - 1)
        if self.remaining == 0:
            self.timer.stop()
        self._show()

    def entered(self) -> None:
        self.remaining = self.step.seconds
        self._show()
        self.timer.start()

    def left(self) -> None:
        self.timer.stop()

    def answer(self) -> None:
        return None


class ClickableLabel(QLabel):
    """Wrapped words beside or under a tick box or radio button: a click on them clicks it."""

    def __init__(self, text: str, target: QAbstractButton, muted: bool = True) -> None:
        super().__init__(text)
        self.target = target
        self.setWordWrap(True)
        self.setProperty("muted", muted)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.target.click()
        super().mousePressEvent(event)


class DepthChoice(QWidget):
    """The REFLECT depth levels as radio buttons, each with its explanation (clickable too)."""

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.depth_buttons: dict[str, QRadioButton] = {}
        levels = QVBoxLayout(self)
        levels.setContentsMargins(0, 0, 0, 0)
        levels.setSpacing(2)
        for level in library.reflect:
            radio = QRadioButton(level.label)
            radio.setAccessibleName(level.label)
            radio.setAccessibleDescription(level.explanation)
            _clear_outline(radio)
            font = radio.font()
            font.setBold(True)
            radio.setFont(font)
            self.group.addButton(radio)
            self.depth_buttons[level.id] = radio
            explanation = ClickableLabel(level.explanation, radio)
            style = radio.style()
            indent = style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth, None,
                                       radio) + style.pixelMetric(
                QStyle.PixelMetric.PM_RadioButtonLabelSpacing, None, radio)
            explanation.setContentsMargins(indent, 0, 0, 10)
            levels.addWidget(radio, 0, Qt.AlignmentFlag.AlignLeft)
            levels.addWidget(explanation)

    def chosen(self) -> str | None:
        for level_id, radio in self.depth_buttons.items():
            if radio.isChecked():
                return level_id
        return None

    def clear(self) -> None:
        self.group.setExclusive(False)
        for radio in self.depth_buttons.values():
            radio.setChecked(False)
        self.group.setExclusive(True)


class FinishPage(QWidget):
    """The optional end: how deep the writing went (REFLECT), and a title.

    Templates with ``rate_depth = false`` (after a death, a code, free writing, Three Good
    Things) show no rating here: the follow-up a few days on offers it instead."""

    def __init__(self, template: Template, library: Library,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        rated = template.rate_depth
        self.later_note = muted(LATER_NOTE)
        self.later_note.setHidden(rated)
        self.choice: DepthChoice | None = DepthChoice(library) if rated else None
        self.depth_buttons: dict[str, QRadioButton] = (
            self.choice.depth_buttons if self.choice is not None else {})
        self.credit = muted(library.reflect_credit if rated else "")
        self.credit.setHidden(not rated)
        theme.sized_font(self.credit, -1.5)
        self.title = QLineEdit(default_title(template))
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("Title")
        inner = QWidget()
        inner.setObjectName("levelList")
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 12, 0)
        column.addWidget(self.later_note)
        if self.choice is not None:
            column.addWidget(self.choice)
        column.addWidget(self.credit)
        column.addStretch(1)
        # The title stays in view below the levels, however small the window.
        title_label = QLabel("Title")
        title_label.setProperty("groupTitle", True)
        title_label.setBuddy(self.title)
        scroll = QScrollArea()
        scroll.setAccessibleName("Levels of reflection")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addSpacing(8)
        layout.addWidget(title_label)
        layout.addWidget(self.title)
        # The end of every template: the lines are one click away, quietly.
        # Its title alone: with "if you need them" it held the page wider than a small
        # window at a large text size (a button's text does not wrap).
        self.support_link = quiet_link()
        link_row = QHBoxLayout()
        link_row.addWidget(self.support_link)
        link_row.addStretch(1)
        layout.addLayout(link_row)

    def chosen_depth(self) -> str | None:
        return self.choice.chosen() if self.choice is not None else None

    def clear_depth(self) -> None:
        if self.choice is not None:
            self.choice.clear()


# ------------------------------------------------------------------------------------ wizard


class ReflectionWizard(EditDialog):
    """A guided reflection on ``template``, after ``checkin`` if there was one.

    After ``exec()``, ``reflection`` holds the stored Reflection (``None`` when cancelled).

    Signals:
        support_requested(): the quiet link to the support and crisis lines was clicked.
    """

    support_requested = Signal()
    #: Ctrl+L pressed in the wizard (a modal dialog: the window's own shortcut cannot fire).
    lock_requested = Signal()
    UNFINISHED = UNFINISHED_SUFFIX
    DISCARD_QUESTION = "Discard this reflection?"
    DISCARD_DETAIL = "What you wrote here has not been saved."
    KEEP_LABEL = "Keep writing"

    def __init__(self, session: JournalSession, template: Template,
                 checkin: CheckIn | None = None, parent: QWidget | None = None,
                 *, series_day: int | None = None, resume: Reflection | None = None) -> None:
        super().__init__(parent)
        #: The unfinished reflection this one continues (finishing replaces it).
        self.resumed = resume
        self.session = session
        self.template = template
        self.checkin = checkin
        self.series_day = series_day
        self.reflection: Reflection | None = None
        #: What was kept when the dialog was closed from outside (see :meth:`reject`).
        self.unfinished: Reflection | None = None
        self.library = load_library()
        self.steps: tuple[Step, ...] = template.steps
        self.setWindowTitle(template.title)
        self.setObjectName("reflectionWizard")
        self.setMinimumSize(600, 560)
        self.resize(700, 640)
        self._style()

        # Header: where you are, then the step itself.
        self.template_label = muted(template.title)
        self.template_label.setAccessibleName("Reflection")
        self.counter = muted("")
        self.counter.setAccessibleName("Step")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.counter.setWordWrap(False)
        top = QHBoxLayout()
        top.addWidget(self.template_label, 1)
        top.addWidget(self.counter)
        self.progress = QProgressBar()
        self.progress.setRange(0, len(self.steps) + 1)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(4)
        self.progress.setAccessibleName("Progress")
        self.step_title = QLabel()
        self.step_title.setProperty("heading", True)
        self.step_title.setWordWrap(True)
        self.step_title.setAccessibleName("Step title")
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        theme.sized_font(self.prompt, 1.5)
        self.prompt.setAccessibleName("Question")
        self.prompt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = muted("")
        self.hint.setAccessibleName("Hint")
        self.credit = muted(template.credit)
        theme.sized_font(self.credit, -1.5)
        self.credit.setAccessibleName("Credit")

        # One page per step, then the finishing page.
        self.stack = QStackedWidget()
        self.editors: dict[str, StepEditor] = {}
        self.pages: list[QWidget] = []
        for step in self.steps:
            editor = self._editor_for(step)
            self.editors[step.id] = editor
            self.pages.append(editor)
            self.stack.addWidget(editor)
        self.finish_page = FinishPage(template, self.library)
        self.pages.append(self.finish_page)
        self.stack.addWidget(self.finish_page)
        self.title_edit = self.finish_page.title
        if checkin is not None and checkin.emotions:
            # The feelings the check-in just recorded, carried into "What are you feeling?".
            for editor in self.editors.values():
                if isinstance(editor, EmotionsStepEditor):
                    editor.carry(checkin.emotions)
        self.depth_buttons = self.finish_page.depth_buttons
        self.finish_page.support_link.clicked.connect(self.support_requested.emit)

        self.cancel_button = QPushButton("Cancel")
        self.back_button = QPushButton("Back")
        self.skip_button = QPushButton("Skip and finish")
        self.skip_button.setToolTip("Finish without choosing a rating")
        self.next_button = QPushButton("Next")
        self.next_button.setProperty("primary", True)
        self.next_button.setToolTip("Next (Ctrl+Return)")
        for button in (self.cancel_button, self.back_button, self.skip_button,
                       self.next_button):
            button.setMinimumWidth(96)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 22, 32, 20)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addSpacing(10)
        layout.addWidget(self.step_title)
        layout.addWidget(self.prompt)
        layout.addWidget(self.hint)
        layout.addWidget(self.credit)
        layout.addSpacing(6)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.error)
        layout.addSpacing(4)
        layout.addLayout(buttons)

        # No button reacts to Return: Return writes a new line, or adds a feeling.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.skip_button.clicked.connect(self.skip_rating)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.go_next)
        lock = QShortcut(QKeySequence("Ctrl+L"), self)
        lock.setContext(Qt.ShortcutContext.WindowShortcut)
        lock.activated.connect(self.lock_requested.emit)
        self._show_page(self._restore(resume) if resume is not None else 0)

    def _restore(self, resume: Reflection) -> int:
        """Fill the pages with what ``resume`` kept; the page to show (the step it was left
        at)."""
        for answer in resume.answers:
            editor = self.editors.get(answer.step_id)
            if editor is not None and editor.step.kind == answer.kind:
                editor.restore(answer)
        title = resume.title.removesuffix(self.UNFINISHED)
        if title != default_title(self.template, resume.created.date()):
            self.title_edit.setText(title)
        # Kept before the step was recorded: the first step with nothing filled in.
        return resume_step(resume, self.template)

    # ------------------------------------------------------------ building

    def _editor_for(self, step: Step) -> StepEditor:
        if step.kind in ("text", "plan"):
            return TextStepEditor(step, self.session)
        if step.kind == "emotions":
            return EmotionsStepEditor(step, session=self.session)
        if step.kind == "scale":
            return ScaleStepEditor(step)
        if step.kind == "coping":
            return CopingStepEditor(step, self.library)
        if step.kind == "pause":
            return PauseStepEditor(step)
        raise ValueError(f"unknown step kind {step.kind!r}")

    def _style(self) -> None:
        c = theme.colors()
        self.setStyleSheet(
            f"""
            QLabel[groupTitle="true"] {{ font-weight: 600; }}
            QPushButton[segment="true"] {{ padding: 8px 0px; min-width: 34px; }}
            QPushButton[segment="true"]:checked {{
                background: {c.accent}; color: {c.accent_text}; border: 1px solid {c.accent};
                font-weight: 600;
            }}
            QPushButton[flat-link="true"] {{
                border: none; background: transparent; color: {c.accent}; padding: 2px 6px;
            }}
            QScrollArea, QWidget#copingList, QWidget#levelList {{ background: transparent; }}
            QProgressBar {{ border: none; border-radius: 2px; background: {c.border}; }}
            QProgressBar::chunk {{ border-radius: 2px; background: {c.accent}; }}
            """
        )

    # ------------------------------------------------------------ moving between pages

    def current_index(self) -> int:
        return self.stack.currentIndex()

    def current_step(self) -> Step | None:
        """The step shown, or ``None`` on the finishing page."""
        index = self.stack.currentIndex()
        return self.steps[index] if index < len(self.steps) else None

    def current_editor(self) -> StepEditor | None:
        step = self.current_step()
        return None if step is None else self.editors[step.id]

    def on_finish_page(self) -> bool:
        return self.stack.currentIndex() == len(self.steps)

    def _show_page(self, index: int) -> None:
        previous = self.stack.currentWidget()
        if isinstance(previous, StepEditor):
            previous.left()
        self.stack.setCurrentIndex(index)
        show_error(self.error, "")
        # The finishing page counts: "Step 7 of 7" is the page whose button finishes.
        total = len(self.steps) + 1
        step = self.current_step()
        self.progress.setValue(index + 1)
        rated = self.template.rate_depth
        self.counter.setText(f"Step {index + 1} of {total}")
        if step is None:
            self.step_title.setText("Before you finish")
            self.prompt.setText(self.library.reflect_question if rated else
                                "Give it a title if you like. That is all for now.")
            self.hint.setText("This is optional: choose the one closest, or skip it."
                              if rated else "")
        else:
            self.step_title.setText(step.title)
            self.prompt.setText(step.prompt)
            self.hint.setText(step.hint)
        self.hint.setVisible(bool(self.hint.text()))
        self.credit.setVisible(index == 0 and bool(self.template.credit))
        self.back_button.setEnabled(index > 0)
        self.skip_button.setVisible(step is None and rated)
        if step is None:
            self.next_button.setText("Finish")
            self.next_button.setToolTip("Save this reflection (Ctrl+Return)")
        else:
            self.next_button.setText("Continue" if step.kind == "pause" else "Next")
            self.next_button.setToolTip("Next (Ctrl+Return)")
        editor = self.current_editor()
        if editor is not None:
            editor.entered()
            target = editor.focus_target()
            (target or self.next_button).setFocus()
        else:
            self.next_button.setFocus()

    def go_next(self) -> None:
        if self.on_finish_page():
            self.finish()
            return
        editor = self.current_editor()
        if editor is None or editor.can_leave():
            self._show_page(self.stack.currentIndex() + 1)

    def go_back(self) -> None:
        if self.stack.currentIndex() > 0:
            self._show_page(self.stack.currentIndex() - 1)

    def skip_rating(self) -> None:
        self.finish_page.clear_depth()
        self.finish()

    # ------------------------------------------------------------ the result

    def has_content(self) -> bool:
        """Whether anything was written or chosen (cancelling then asks first)."""
        return any(e.has_content() for e in self.editors.values()) or \
            self.finish_page.chosen_depth() is not None

    def answers(self) -> list[StepAnswer]:
        out = []
        for editor in self.editors.values():
            answer = editor.answer()
            if answer is not None:
                out.append(answer)
        return out

    def body(self) -> str:
        """The answers as Markdown
        (:func:`journal_app.core.practice.reflection_text.reflection_body`)."""
        unrated = {(editor.step.id, strategy) for editor in self.editors.values()
                   if isinstance(editor, CopingStepEditor) for strategy in editor.unrated()}
        return reflection_body(self.steps, self.answers(),
                               {c.id: c.label for c in self.library.coping}, unrated)

    def build(self) -> Reflection:
        """The Reflection the pages describe now (raises ValueError for invalid input)."""
        emotions: dict[str, Emotion] = {}
        checkin = self.checkin
        feeling_steps = [e for e in self.editors.values() if isinstance(e, EmotionsStepEditor)]
        if checkin is not None and not feeling_steps:
            emotions = {e.name: e for e in checkin.emotions}
        for editor in feeling_steps:
            for emotion in editor.emotions():
                emotions[emotion.name] = emotion
        created = now() if self.resumed is None else self.resumed.created
        title = self.title_edit.text().strip() or default_title(self.template, created.date())
        built = Reflection(
            created=created,
            updated=created,
            title=title,
            body=self.body(),
            emotions=tuple(emotions.values()),
            encounter=checkin.encounter if checkin is not None else None,
            # How the check-in said it was, just before: the reflection's own ratings.
            mood=checkin.mood if checkin is not None else None,
            energy=checkin.energy if checkin is not None else None,
            stress=checkin.stress if checkin is not None else None,
            template_id=self.template.id,
            answers=tuple(self.answers()),
            checkin_id=self.checkin.id if self.checkin is not None else None,
            depth=self.finish_page.chosen_depth(),
            series_day=self.series_day,
        )
        if self.resumed is None:
            return built
        # The same record, finished: what was set on it meanwhile (tags, a star) stays.
        return replace(self.resumed, title=built.title, body=built.body,
                       emotions=built.emotions, answers=built.answers, depth=built.depth,
                       unfinished_step=None)

    def finish(self) -> None:
        if self._saving:
            return  # a second press while the first one is being stored
        self._leave_page()
        if not any(e.has_content() for e in self.editors.values()):
            show_error(self.error, "Nothing is written yet. Go back and answer at least one "
                                   "step, or press Cancel.")
            return
        try:
            reflection = self.build()
        except ValueError as exc:
            show_error(self.error, f"This cannot be saved yet: {user_message(exc)}")
            return

        def stored(saved: Reflection) -> None:
            self._saving = False
            self.reflection = saved
            self.accept()

        def failed(problem: str) -> None:
            self._saving = False
            show_error(self.error, messages.not_saved(
                f"{problem} Everything you wrote is still here; try Finish again."))

        self._saving = True
        self._store(reflection, stored, failed)

    def _store(self, reflection: Reflection, on_done: Callable[[Reflection], object],
               on_error: Callable[[str], object] | None = None) -> None:
        """Store ``reflection`` in the worker (after any entry save still under way); a resumed
        one replaces the unfinished one it continues (which stays in its history)."""
        def store(journal: Journal) -> Reflection:
            if self.resumed is not None:
                return journal.save_entry(reflection)
            return journal.add_record(reflection)

        self.session.write(store, on_done, on_error or (lambda _message: None),
                           changes=Change.ENTRIES)

    # ------------------------------------------------------------ leaving

    def has_unsaved(self) -> bool:
        return self.reflection is None and self.has_content()

    def before_leaving(self) -> None:
        self._leave_page()

    def reject(self) -> None:
        """Closed from outside, without the user choosing to (the journal locking): never ask
        (nobody may be there to answer), and keep what was written as an unfinished reflection
        in :attr:`unfinished`, so stepping away never costs the writing."""
        self._leave_page()
        for editor in self.editors.values():
            if isinstance(editor, EmotionsStepEditor):
                editor.chips.add_current(ask=False)  # a word of one's own, kept unasked
        if not self.discarding and not self._saving and self.reflection is None and \
                self.unfinished is None and any(e.has_content() for e in self.editors.values()):
            try:
                built = self.build()
                reflection = replace(built, title=f"{built.title}{self.UNFINISHED}"[:1000],
                                     unfinished_step=self.stack.currentIndex())
            except ValueError:
                reflection = None
            if reflection is not None:
                # Stored before the keys go: locking waits for the worker.
                self._store(reflection, lambda kept: setattr(self, "unfinished", kept))
        super().reject()

    def _leave_page(self) -> None:
        editor = self.current_editor()
        if editor is not None:
            editor.left()

    def done(self, result: int) -> None:
        for editor in self.editors.values():
            if isinstance(editor, PauseStepEditor):
                editor.timer.stop()
        super().done(result)
