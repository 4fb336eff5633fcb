"""The user's own prompts and reflection templates: list, add, edit, delete.

They are stored encrypted in the journal (see :mod:`journal_app.core.practice.custom`) and offered
wherever the shipped prompts and templates are.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.errors import JournalError
from journal_app.core.practice import FACETS, LEVELS, custom
from journal_app.core.records import (
    CUSTOM_STEP_KINDS,
    ENCOUNTER_TYPES,
    MAX_PROMPT_TEXT,
    MAX_SHORT,
    MAX_TAG,
    CustomPrompt,
    CustomStep,
    CustomTemplate,
)
from journal_app.core.vault import Journal
from journal_app.core.vocabulary import (
    ENCOUNTER_LABELS,
    FACET_LABELS,
    LEVEL_LABELS,
    STEP_KIND_LABELS,
    encounter_words,
)
from journal_app.ui import messages
from journal_app.ui.edit_dialog import EditDialog
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.theme import colors
from journal_app.ui.widgets import (
    FitForm,
    FlowLayout,
    WrapCheckBox,
    current_item,
    error_label,
    muted,
    show_error,
)

PRIVACY_NOTE = ("Your prompts and templates are stored encrypted in your journal, so they may "
                "name people or places.")



def _one_line(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def encounters_text(encounters: Sequence[str]) -> str:
    if "any" in encounters:
        return "any day"
    return "after " + ", ".join(encounter_words(e) for e in encounters)


# ------------------------------------------------------------------------------ shared parts


class EncounterPicker(QGroupBox):
    """When to offer a prompt or template: any day, or after chosen kinds of encounter."""

    def __init__(self, columns: int = 2, parent: QWidget | None = None) -> None:
        super().__init__("When to offer it", parent)
        self.any = WrapCheckBox("Any day, whatever happened")
        self.any.setAccessibleName("Any day")
        self.boxes: dict[str, QCheckBox] = {}
        # ``columns`` where they fit, fewer where narrow (a large text size), one at the least.
        grid = FlowLayout(spacing=10, even=True, most=columns)
        grid.setContentsMargins(18, 0, 0, 0)
        for key in ENCOUNTER_TYPES:
            box = WrapCheckBox(ENCOUNTER_LABELS[key])
            box.setAccessibleName(ENCOUNTER_LABELS[key])
            self.boxes[key] = box
            grid.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.any)
        layout.addWidget(muted("Or only after:"))
        layout.addLayout(grid)
        self.any.toggled.connect(self._update)
        self.set_encounters(["any"])

    def set_encounters(self, encounters: Sequence[str]) -> None:
        self.any.setChecked("any" in encounters)
        for key, box in self.boxes.items():
            box.setChecked(key in encounters)
        self._update()

    def encounters(self) -> tuple[str, ...]:
        if self.any.isChecked():
            return ("any",)
        return tuple(key for key, box in self.boxes.items() if box.isChecked())

    def _update(self) -> None:
        for box in self.boxes.values():
            box.setEnabled(not self.any.isChecked())


class _Editor(EditDialog):
    """Save and Cancel; cancelling (button, Escape, closing) asks first when something changed.
    ``reject()`` from outside (the journal locking) closes without asking."""

    def __init__(self, session: JournalSession, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session = session
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        self._start: object = None
        self._saving = False  # Save was pressed and the record is being stored
        self.saved_record: CustomPrompt | CustomTemplate | None = None

    def mark_clean(self) -> None:
        self._start = self.snapshot()

    def snapshot(self) -> object:
        raise NotImplementedError

    def changed(self) -> bool:
        return self.snapshot() != self._start

    def has_unsaved(self) -> bool:
        return self.changed()

    def build(self) -> CustomPrompt | CustomTemplate:
        raise NotImplementedError

    def save(self) -> None:
        try:
            record = self.build()
        except ValueError as exc:
            self.show_not_saved(exc)
            return
        if self._saving:
            return

        def store(journal: Journal) -> None:  # in the worker, after any entry save under way
            custom.save_custom(journal, record)

        def stored(_r: None) -> None:
            self._saving = False
            self.saved_record = record
            self.accept()

        def failed(message: str) -> None:
            self._saving = False
            show_error(self.error, messages.not_saved(message))

        self._saving = True
        self.session.write(store, stored, failed, changes=Change.RECORDS)


# ------------------------------------------------------------------------------ a prompt


class PromptEditor(_Editor):
    """Write or change one prompt. After ``exec()``, ``saved_record`` is what was stored."""

    def __init__(self, session: JournalSession, prompt: CustomPrompt | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.original = prompt
        self.setWindowTitle("Edit prompt" if prompt else "New prompt")
        self.resize(600, 0)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(QLabel("The question to ask yourself"))
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Prompt text")
        self.text.setPlaceholderText("For example: What did today's patient teach you about "
                                     "the kind of doctor you want to be?")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 5 + 20)
        layout.addWidget(self.text)
        form = FitForm()  # narrow: labels above their fields
        self.facet = QComboBox()
        self.facet.setAccessibleName("Facet")
        for key in FACETS:
            self.facet.addItem(FACET_LABELS[key], key)
        self.level = QComboBox()
        self.level.setAccessibleName("Level")
        for key in LEVELS:
            self.level.addItem(LEVEL_LABELS[key], key)
        form.addRow("What it is about", self.facet)
        form.addRow("Where you are in training", self.level)
        layout.addLayout(form)
        self.encounters = EncounterPicker()
        layout.addWidget(self.encounters)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if prompt is not None:
            self.text.setPlainText(prompt.text)
            self.facet.setCurrentIndex(max(0, self.facet.findData(prompt.facet)))
            self.level.setCurrentIndex(max(0, self.level.findData(prompt.level)))
            self.encounters.set_encounters(prompt.encounters)
        else:
            self.level.setCurrentIndex(LEVELS.index("clerkship"))
        self.text.setFocus()
        self.mark_clean()

    def snapshot(self) -> object:
        return (self.text.toPlainText(), self.facet.currentData(), self.level.currentData(),
                self.encounters.encounters())

    def build(self) -> CustomPrompt:
        text = self.text.toPlainText()
        if len(text.strip()) > MAX_PROMPT_TEXT:
            raise ValueError(f"the prompt is too long (at most {MAX_PROMPT_TEXT:,} characters)")
        facet, level = str(self.facet.currentData()), str(self.level.currentData())
        encounters = self.encounters.encounters()
        if self.original is not None:
            record = replace(self.original, text=text, facet=facet, level=level,
                             encounters=encounters)
        else:
            record = CustomPrompt(text=text, facet=facet, level=level, encounters=encounters)
        custom.check_prompt(record)
        return record


# ------------------------------------------------------------------------------ a template


@dataclass
class StepDraft:
    """A step while it is being edited (checked when the template is saved)."""

    kind: str = "text"
    title: str = ""
    prompt: str = ""
    hint: str = ""
    min: int = 0
    max: int = 10
    low_label: str = ""
    high_label: str = ""
    id: str = field(default_factory=lambda: "s" + secrets.token_hex(5))

    @classmethod
    def of(cls, step: CustomStep) -> StepDraft:
        return cls(step.kind, step.title, step.prompt, step.hint, step.min, step.max,
                   step.low_label, step.high_label, step.id)

    def step(self) -> CustomStep:
        scale = self.kind == "scale"
        return CustomStep(
            id=self.id, kind=self.kind, title=self.title, prompt=self.prompt, hint=self.hint,
            min=self.min if scale else 0, max=self.max if scale else 10,
            low_label=self.low_label if scale else "", high_label=self.high_label if scale else "",
        )


class TemplateEditor(_Editor):
    """Put together or change one template. After ``exec()``, ``saved_record`` is stored."""

    def __init__(self, session: JournalSession, template: CustomTemplate | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.original = template
        self.drafts: list[StepDraft] = (
            [StepDraft.of(s) for s in template.steps] if template else [StepDraft()]
        )
        self.setWindowTitle("Edit template" if template else "New template")
        self.resize(820, 700)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setAccessibleName("Template title")
        self.title.setMaxLength(MAX_SHORT)
        self.title.setPlaceholderText("For example: After a night on call")
        self.summary = QPlainTextEdit()
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("Optional: when it helps, in a sentence or two")
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(self.summary.fontMetrics().lineSpacing() * 2 + 20)
        form.addRow("Title", self.title)
        form.addRow("Summary", self.summary)
        layout.addLayout(form)
        self.encounters = EncounterPicker(columns=3)
        layout.addWidget(self.encounters)

        steps_box = QGroupBox("Steps, in order")
        row = QHBoxLayout(steps_box)
        left = QVBoxLayout()
        self.step_list = QListWidget()
        self.step_list.setAccessibleName("Steps")
        self.step_list.setMinimumWidth(240)
        self.step_list.setSpacing(3)
        left.addWidget(self.step_list, 1)
        moves = QGridLayout()
        self.add_step_button = QPushButton("Add step")
        self.remove_step_button = QPushButton("Remove")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        moves.addWidget(self.add_step_button, 0, 0)
        moves.addWidget(self.remove_step_button, 0, 1)
        moves.addWidget(self.up_button, 1, 0)
        moves.addWidget(self.down_button, 1, 1)
        left.addLayout(moves)
        row.addLayout(left, 2)

        step_form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Step kind")
        for key in CUSTOM_STEP_KINDS:
            self.kind.addItem(STEP_KIND_LABELS[key], key)
        self.step_title = QLineEdit()
        self.step_title.setAccessibleName("Step title")
        self.step_title.setMaxLength(MAX_SHORT)
        self.step_prompt = QPlainTextEdit()
        self.step_prompt.setAccessibleName("Step question")
        self.step_prompt.setTabChangesFocus(True)
        self.step_prompt.setFixedHeight(self.step_prompt.fontMetrics().lineSpacing() * 3 + 20)
        self.hint = QLineEdit()
        self.hint.setAccessibleName("Step hint")
        self.hint.setPlaceholderText("Optional")
        step_form.addRow("Kind", self.kind)
        step_form.addRow("Title", self.step_title)
        step_form.addRow("Question", self.step_prompt)
        step_form.addRow("Hint", self.hint)
        self.scale_min = QSpinBox()
        self.scale_min.setRange(0, 9)
        self.scale_min.setAccessibleName("Lowest value")
        self.scale_max = QSpinBox()
        self.scale_max.setRange(1, 10)
        self.scale_max.setAccessibleName("Highest value")
        self.low_label = QLineEdit()
        self.low_label.setAccessibleName("Label of the lowest value")
        self.low_label.setMaxLength(MAX_TAG)
        self.low_label.setPlaceholderText("For example: Not at all")
        self.high_label = QLineEdit()
        self.high_label.setAccessibleName("Label of the highest value")
        self.high_label.setMaxLength(MAX_TAG)
        self.high_label.setPlaceholderText("For example: Completely")
        ends = QHBoxLayout()
        ends.addWidget(self.scale_min)
        ends.addWidget(QLabel("to"))
        ends.addWidget(self.scale_max)
        ends.addStretch(1)
        self.scale_rows: list[QLayout | QWidget] = [ends, self.low_label, self.high_label]
        step_form.addRow("Scale from", ends)
        step_form.addRow("Lowest means", self.low_label)
        step_form.addRow("Highest means", self.high_label)
        self.step_form = step_form
        self.kind_note = muted("")
        step_form.addRow(self.kind_note)
        row.addLayout(step_form, 3)
        layout.addWidget(steps_box, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        if template is not None:
            self.title.setText(template.title)
            self.summary.setPlainText(template.summary)
            self.encounters.set_encounters(template.encounters)
        self._loading = False
        self._reload_steps(0)

        self.step_list.currentRowChanged.connect(self._show_step)
        self.add_step_button.clicked.connect(self.add_step)
        self.remove_step_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        self.kind.currentIndexChanged.connect(self._step_edited)
        for line in (self.step_title, self.hint, self.low_label, self.high_label):
            line.textChanged.connect(self._step_edited)
        self.step_prompt.textChanged.connect(self._step_edited)
        self.scale_min.valueChanged.connect(self._step_edited)
        self.scale_max.valueChanged.connect(self._step_edited)
        self.title.setFocus()
        self.mark_clean()

    # ---------------------------------------------------------------- the steps

    def current_draft(self) -> StepDraft | None:
        row = self.step_list.currentRow()
        return self.drafts[row] if 0 <= row < len(self.drafts) else None

    def _label(self, row: int) -> str:
        draft = self.drafts[row]
        title = _one_line(draft.title, 40) or "(no title yet)"
        return f"{row + 1}. {title} — {STEP_KIND_LABELS[draft.kind]}"

    def _reload_steps(self, select: int) -> None:
        self.step_list.blockSignals(True)
        self.step_list.clear()
        for row in range(len(self.drafts)):
            self.step_list.addItem(self._label(row))
        self.step_list.blockSignals(False)
        self.step_list.setCurrentRow(min(select, len(self.drafts) - 1))
        self._show_step(self.step_list.currentRow())

    def _show_step(self, row: int) -> None:
        draft = self.current_draft() if row >= 0 else None
        self._loading = True
        try:
            for widget in (self.kind, self.step_title, self.step_prompt, self.hint):
                widget.setEnabled(draft is not None)
            draft = draft or StepDraft()
            self.kind.setCurrentIndex(max(0, self.kind.findData(draft.kind)))
            self.step_title.setText(draft.title)
            if self.step_prompt.toPlainText() != draft.prompt:
                self.step_prompt.setPlainText(draft.prompt)
            self.hint.setText(draft.hint)
            self.scale_min.setValue(draft.min)
            self.scale_max.setValue(draft.max)
            self.low_label.setText(draft.low_label)
            self.high_label.setText(draft.high_label)
        finally:
            self._loading = False
        self._update_step_widgets()

    def _step_edited(self) -> None:
        draft = self.current_draft()
        if self._loading or draft is None:
            return
        draft.kind = str(self.kind.currentData())
        draft.title = self.step_title.text()
        draft.prompt = self.step_prompt.toPlainText()
        draft.hint = self.hint.text()
        draft.min, draft.max = self.scale_min.value(), self.scale_max.value()
        draft.low_label, draft.high_label = self.low_label.text(), self.high_label.text()
        item = current_item(self.step_list)
        if item is not None:
            item.setText(self._label(self.step_list.currentRow()))
        self._update_step_widgets()

    def _update_step_widgets(self) -> None:
        row = self.step_list.currentRow()
        count = len(self.drafts)
        scale = self.kind.currentData() == "scale" and row >= 0
        for item in self.scale_rows:
            self.step_form.setRowVisible(item, scale)
        notes = {
            "text": "A box to write in.",
            "plan": "A box to write one next step in.",
            "emotions": "Feeling words to pick, with how strong each was.",
            "scale": "A row of numbers to choose one from.",
            "coping": "The list of coping strategies, each rated for how much it helped.",
        }
        self.kind_note.setText(notes.get(str(self.kind.currentData()), "") if row >= 0 else "")
        self.add_step_button.setEnabled(count < 12)
        self.remove_step_button.setEnabled(row >= 0 and count > 1)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    def add_step(self) -> None:
        if len(self.drafts) >= 12:
            return
        row = self.step_list.currentRow()
        at = row + 1 if row >= 0 else len(self.drafts)
        self.drafts.insert(at, StepDraft())
        self._reload_steps(at)
        self.step_title.setFocus()

    def remove_step(self) -> None:
        row = self.step_list.currentRow()
        if row < 0 or len(self.drafts) <= 1:
            return
        del self.drafts[row]
        self._reload_steps(min(row, len(self.drafts) - 1))

    def move_step(self, by: int) -> None:
        row = self.step_list.currentRow()
        to = row + by
        if row < 0 or not 0 <= to < len(self.drafts):
            return
        self.drafts[row], self.drafts[to] = self.drafts[to], self.drafts[row]
        self._reload_steps(to)

    # ---------------------------------------------------------------- saving

    def snapshot(self) -> object:
        return (self.title.text(), self.summary.toPlainText(), self.encounters.encounters(),
                [replace(d) for d in self.drafts])

    def build(self) -> CustomTemplate:
        steps = []
        for number, draft in enumerate(self.drafts, start=1):
            try:
                steps.append(draft.step())
            except ValueError as exc:
                self.step_list.setCurrentRow(number - 1)
                raise ValueError(f"step {number}: {exc}") from None
        title, summary = self.title.text(), self.summary.toPlainText()
        encounters = self.encounters.encounters()
        if self.original is not None:
            record = replace(self.original, title=title, summary=summary,
                             encounters=encounters, steps=tuple(steps))
        else:
            record = CustomTemplate(title=title, summary=summary, encounters=encounters,
                                    steps=tuple(steps))
        custom.check_template(record)
        return record


# ------------------------------------------------------------------------------ the dialog

#: The muted second line of a row (facet, level, when it is offered).
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1


class _TwoLineDelegate(QStyledItemDelegate):
    """A row: the prompt or title on one line (elided; the tooltip has it all), then a muted
    line saying what it is about and when it is offered."""

    PAD = 10

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        base = QFont(option.font)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1))
        return base, small

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        base, small = self._fonts(option)
        height = self.PAD * 2 + QFontMetrics(base).height() + QFontMetrics(small).height() + 4
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        c = colors()
        base, small = self._fonts(option)
        rect = QRect(option.rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.fillRect(rect, QColor(c.chip if selected else c.base))
        if selected:
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), QColor(c.accent))
        painter.setPen(QPen(QColor(c.border)))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        inner = rect.adjusted(self.PAD + 4, self.PAD, -self.PAD, -self.PAD)
        bm, sm = QFontMetrics(base), QFontMetrics(small)
        painter.setFont(base)
        painter.setPen(QColor(c.chip_text if selected else c.text))
        painter.drawText(QRect(inner.left(), inner.top(), inner.width(), bm.height()),
                         Qt.AlignmentFlag.AlignVCenter,
                         bm.elidedText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
                                       Qt.TextElideMode.ElideRight, inner.width()))
        painter.setFont(small)
        painter.setPen(QColor(c.chip_text if selected else c.muted))
        painter.drawText(QRect(inner.left(), inner.top() + bm.height() + 4, inner.width(),
                               sm.height()),
                         Qt.AlignmentFlag.AlignVCenter,
                         sm.elidedText(str(index.data(DETAIL_ROLE) or ""),
                                       Qt.TextElideMode.ElideRight, inner.width()))
        painter.restore()


class _ListTab(QWidget):
    """A list with Add, Edit and Delete beside it."""

    def __init__(self, noun: str, empty_text: str) -> None:
        super().__init__()
        self.noun = noun
        self.list = QListWidget()
        self.list.setAccessibleName(f"My {noun}s")
        self.list.setItemDelegate(_TwoLineDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.empty = muted(empty_text)
        self.add_button = QPushButton(f"Add {noun}…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete…")
        buttons = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.empty)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(self._update)

    def set_items(self, rows: list[tuple[str, str, str, str]],
                  select: str | None = None) -> None:
        """``rows`` are (record id, text, detail line, tooltip)."""
        self.list.clear()
        for record_id, text, detail, tip in rows:
            item = QListWidgetItem(_one_line(text, 300))
            item.setData(Qt.ItemDataRole.UserRole, record_id)
            item.setData(DETAIL_ROLE, detail)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{text}. {detail}")
            item.setToolTip(tip)
            self.list.addItem(item)
            if record_id == select:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and rows:
            self.list.setCurrentRow(0)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self._update()

    def current_id(self) -> str | None:
        item = current_item(self.list)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _update(self, *_args: object) -> None:
        selected = self.current_id() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)


class MyPromptsDialog(QDialog):
    """The user's prompts and templates.

    Signals:
        changed(): a prompt or template was added, changed or deleted (refresh what offers them).
    """

    changed = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("My prompts and templates")
        self.resize(800, 520)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(muted(
            "Write your own questions and guided reflections. They are offered with the "
            "built-in ones: prompts on the home page, templates when you reflect."
        ))
        self.privacy = muted(PRIVACY_NOTE)
        self.privacy.setAccessibleName("Privacy")
        layout.addWidget(self.privacy)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("My prompts and templates")
        self.prompts_tab = _ListTab(
            "prompt", "You have no prompts of your own yet. Add one: a question you want to be "
                      "asked after a hard day.")
        self.templates_tab = _ListTab(
            "template", "You have no templates of your own yet. Add one: a few steps to walk "
                        "through after a kind of encounter.")
        self.tabs.addTab(self.prompts_tab, "My prompts")
        self.tabs.addTab(self.templates_tab, "My templates")
        layout.addWidget(self.tabs, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)

        self.prompts_tab.add_button.clicked.connect(lambda: self.add_prompt())
        self.prompts_tab.edit_button.clicked.connect(lambda: self.edit_prompt())
        self.prompts_tab.delete_button.clicked.connect(lambda: self.delete_prompt())
        self.prompts_tab.list.itemActivated.connect(lambda _item: self.edit_prompt())
        self.templates_tab.add_button.clicked.connect(lambda: self.add_template())
        self.templates_tab.edit_button.clicked.connect(lambda: self.edit_template())
        self.templates_tab.delete_button.clicked.connect(lambda: self.delete_template())
        self.templates_tab.list.itemActivated.connect(lambda _item: self.edit_template())
        self.reload()

    # ---------------------------------------------------------------- lists

    def _records(self) -> tuple[list[CustomPrompt], list[CustomTemplate]]:
        try:
            return self.session.read_or(
                lambda journal: (custom.custom_prompts(journal), custom.custom_templates(journal)),
                (list[CustomPrompt](), list[CustomTemplate]()))
        except JournalError as exc:
            show_error(self.error, exc.message)
            return [], []

    def reload(self, select: str | None = None) -> None:
        prompts, templates = self._records()
        self._prompts = {p.id: p for p in prompts}
        self._templates = {t.id: t for t in templates}
        self.prompts_tab.set_items([
            (p.id, p.text, f"{FACET_LABELS.get(p.facet, p.facet)} · "
                           f"{LEVEL_LABELS.get(p.level, p.level)} · "
                           f"{encounters_text(p.encounters).capitalize()}", p.text)
            for p in prompts
        ], select)
        self.templates_tab.set_items([
            (t.id, t.title, f"{len(t.steps)} step{'s' if len(t.steps) != 1 else ''} · "
                            f"{encounters_text(t.encounters).capitalize()}",
             "\n\n".join(x for x in (t.title, t.summary) if x))
            for t in templates
        ], select)

    def _after_change(self, select: str | None = None) -> None:
        show_error(self.error, "")
        self.reload(select)
        self.changed.emit()

    # ---------------------------------------------------------------- prompts

    def add_prompt(self) -> CustomPrompt | None:
        return self._edit_prompt(None)

    def edit_prompt(self) -> CustomPrompt | None:
        record_id = self.prompts_tab.current_id()
        if record_id is None or record_id not in self._prompts:
            return None
        return self._edit_prompt(self._prompts[record_id])

    def _edit_prompt(self, prompt: CustomPrompt | None) -> CustomPrompt | None:
        editor = PromptEditor(self.session, prompt, self)
        if editor.exec() != QDialog.DialogCode.Accepted or editor.saved_record is None:
            return None
        self.tabs.setCurrentWidget(self.prompts_tab)
        self._after_change(editor.saved_record.id)
        assert isinstance(editor.saved_record, CustomPrompt)
        return editor.saved_record

    def delete_prompt(self) -> bool:
        return self._delete(self.prompts_tab, "Delete this prompt?",
                            "It is removed from your journal for good. Entries that answered "
                            "it keep their text.")

    # ---------------------------------------------------------------- templates

    def add_template(self) -> CustomTemplate | None:
        return self._edit_template(None)

    def edit_template(self) -> CustomTemplate | None:
        record_id = self.templates_tab.current_id()
        if record_id is None or record_id not in self._templates:
            return None
        return self._edit_template(self._templates[record_id])

    def _edit_template(self, template: CustomTemplate | None) -> CustomTemplate | None:
        editor = TemplateEditor(self.session, template, self)
        if editor.exec() != QDialog.DialogCode.Accepted or editor.saved_record is None:
            return None
        self.tabs.setCurrentWidget(self.templates_tab)
        self._after_change(editor.saved_record.id)
        assert isinstance(editor.saved_record, CustomTemplate)
        return editor.saved_record

    def delete_template(self) -> bool:
        return self._delete(self.templates_tab, "Delete this template?",
                            "It is removed from your journal for good. Reflections written "
                            "with it keep their answers.")

    # ---------------------------------------------------------------- deleting

    def _delete(self, tab: _ListTab, question: str, detail: str) -> bool:
        record_id = tab.current_id()
        if record_id is None or not self.session.is_unlocked:
            return False
        answer = QMessageBox.question(self, question, f"{question}\n\n{detail}")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.session.write(lambda journal: custom.delete_custom(journal, record_id),
                           lambda _r: self._after_change(),
                           lambda message: show_error(self.error, message),
                           changes=Change.RECORDS)
        return True
