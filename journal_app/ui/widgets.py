"""Small shared widgets: headings, muted labels, the passphrase pair with strength feedback."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.vault import assess


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("heading", True)
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


def card() -> QFrame:
    frame = QFrame()
    frame.setProperty("card", True)
    # A fixed width lets wrapped labels compute their height (a free width squashes them).
    frame.setFixedWidth(540)
    return frame


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
        self.meter.setMaximumHeight(14)
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


def centered(widget: QWidget) -> QWidget:
    """``widget`` centred in an otherwise empty page."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addStretch(1)
    # Stretches, not an alignment flag: aligned widgets get no height-for-width, which clips
    # wrapped labels.
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(2)
    return page


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
