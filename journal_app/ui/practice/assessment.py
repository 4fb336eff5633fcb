"""The periodic self-assessment dialog: the competency self-assessment (each rotation) or the
monthly wellbeing check, one row of five choices per item.

Items may be skipped (a student on a surgery rotation may not have explained hospice yet); Save
needs at least one rating. The wording comes from :mod:`journal_app.core.practice.assessment`; the
record is
stored encrypted like every other, and the dialog says plainly that these are personal ratings.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.practice import Form, Item, forms, validate
from journal_app.core.records import SelfAssessment
from journal_app.core.vocabulary import COMPETENCY_CREDIT
from journal_app.ui.edit_dialog import StoreDialog
from journal_app.ui.practice.checkin import ChoiceGroup, section
from journal_app.ui.session import Change, JournalSession, user_message
from journal_app.ui.widgets import (
    error_label,
    heading,
    muted,
    primary_button,
    segment_style,
    show_error,
)


class ItemRow(QWidget):
    """One item: its label and text, five choices, and the chosen level's words."""

    def __init__(self, form: Form, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.item = item
        title = section(item.label)
        text = muted(item.text)
        self.buttons: list[QPushButton] = []
        row = QHBoxLayout()
        row.setSpacing(4)
        for level in form.levels:
            caption = level.label if form.id == "competency" else str(level.value)
            button = QPushButton(caption)
            button.setProperty("segment", True)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(f"{item.label}: {level.value} of 5, {level.label}")
            if level.description:
                button.setToolTip(level.description)
            self.buttons.append(button)
            row.addWidget(button)
        self.choice = ChoiceGroup(self.buttons, [lv.value for lv in form.levels], self)
        title.setBuddy(self.buttons[0])
        self.readout = muted("Not rated (you can skip this one)")
        self.readout.setAccessibleName(f"{item.label} readout")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addLayout(row)
        if item.low:
            ends = QHBoxLayout()
            low, high = muted(f"1  {item.low}"), muted(f"{item.high}  5")
            for end in (low, high):
                end.setWordWrap(False)
            ends.addWidget(low)
            ends.addStretch(1)
            ends.addWidget(high)
            layout.addLayout(ends)
        layout.addWidget(self.readout)
        self.choice.changed.connect(self._changed)

    def value(self) -> int | None:
        return self.choice.value()

    def _changed(self) -> None:
        value = self.value()
        if value is None:
            self.readout.setText("Not rated (you can skip this one)")
            return
        level = self.form.levels[value - 1]
        if self.form.id == "competency":
            self.readout.setText(f"{level.label}: {level.description}")
        else:
            end = self.item.low if value <= 2 else self.item.high if value >= 4 else "In between"
            self.readout.setText(f"{value} of 5 ({end.lower() if value != 3 else end})")


class AssessmentDialog(StoreDialog):
    """Rate the items of one form, then Save (stored in the journal) or Not now.

    Signals:
        saved(SelfAssessment): stored.
        set_aside(): "Not now" (the caller decides when to offer it again).
    """

    set_aside = Signal()

    def __init__(self, session: JournalSession, form_id: str, offered: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.form = forms()[form_id]
        self.assessment: SelfAssessment | None = None
        self.setWindowTitle(self.form.title)
        self.setModal(True)
        self.setStyleSheet(segment_style())

        intro = muted(self.form.intro)
        # The competencies are the Collaborative's: credited where they are rated.
        self.credit = muted(COMPETENCY_CREDIT)
        self.credit.setAccessibleName("Source of the competencies")
        font = self.credit.font()
        font.setItalic(True)
        self.credit.setFont(font)
        self.credit.setVisible(self.form.id == "competency")
        self.rows = [ItemRow(self.form, item) for item in self.form.items]
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 12, 0)
        for row in self.rows:
            body_layout.addWidget(row)
            row.choice.changed.connect(self._update)

        extra = QGridLayout()
        self.rotation = QLineEdit()
        self.rotation.setPlaceholderText("e.g. Internal medicine (optional)")
        self.rotation.setAccessibleName("Rotation")
        self.rotation.setMaxLength(200)
        rotation_label = QLabel("Rotation")
        rotation_label.setBuddy(self.rotation)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Anything you want to remember about this (optional)")
        self.note.setAccessibleName("Note")
        self.note.setFixedHeight(64)
        self.note.setTabChangesFocus(True)
        note_label = QLabel("Note")
        note_label.setBuddy(self.note)
        r = 0
        if self.form.id == "competency":
            extra.addWidget(rotation_label, r, 0)
            extra.addWidget(self.rotation, r, 1)
            r += 1
        else:
            self.rotation.hide()
            rotation_label.hide()
        extra.addWidget(note_label, r, 0, Qt.AlignmentFlag.AlignTop)
        extra.addWidget(self.note, r, 1)
        body_layout.addLayout(extra)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setAccessibleName("Questions")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.disclaimer = muted(self.form.note)
        self.disclaimer.setAccessibleName("About these ratings")
        self.error = error_label()
        buttons = QDialogButtonBox()
        self.save_button = primary_button("Save")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = buttons.addButton(
            "Not now" if offered else "Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.later_button.clicked.connect(self._later)
        self.offered = offered

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.form.title))
        layout.addWidget(intro)
        layout.addWidget(self.credit)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.disclaimer)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(680, 760)
        session.locked.connect(self.reject)
        self._update()

    def ratings(self) -> dict[str, int]:
        return {row.item.id: v for row in self.rows if (v := row.value()) is not None}

    def _update(self) -> None:
        self.save_button.setEnabled(bool(self.ratings()))

    def _later(self) -> None:
        if self.offered:
            self.set_aside.emit()
        self.reject()

    def save(self) -> None:
        if self.assessment is not None or self._saving:
            return
        try:
            record = SelfAssessment(form=self.form.id, ratings=self.ratings(),
                                    rotation=self.rotation.text(),
                                    note=self.note.toPlainText().strip())
            validate(record)
        except Exception as exc:  # a plain sentence; a bug is logged by type and said as one
            show_error(self.error, user_message(exc))
            return

        self.store(record, Change.RECORDS,
                   lambda stored: setattr(self, "assessment", stored))
