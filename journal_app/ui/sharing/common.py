"""Pieces the sharing screens have in common: file names, fingerprints, depth levels, dates.

File names are made from a role, a kind and a date only: never a person's name or journal
text (file names show up in recent-file lists, mail attachments and sync logs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.content import ContentError
from journal_app.core.records import REFLECT_LEVELS
from journal_app.core.sharing import Card
from journal_app.core.vocabulary import ROLE_LABELS, WALD_NAMES
from journal_app.core.vocabulary import plural as plural
from journal_app.ui.theme import sized_font
from journal_app.ui.widgets import heading, muted, primary_button

CARD_SUFFIX = ".card"
PACKAGE_SUFFIX = ".pkg"
CARD_FILTER = "Mentor cards (*.card);;All files (*)"
PACKAGE_FILTER = "Share packages (*.pkg);;All files (*)"

READ_ALOUD_HINT = (
    "Read it aloud, group by group, to the person you give your card to (in person or by "
    "phone, not in the same email as the card). Their app shows the same digits if the card "
    "is really yours."
)


def default_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def card_file_name(role: str, day: date | None = None) -> str:
    """``student-card-2026-03-14.card``: the role and the day, nothing else."""
    return f"{role}-card-{(day or date.today()).isoformat()}{CARD_SUFFIX}"


def package_file_name(kind: str, day: date | None = None) -> str:
    """``share-2026-03-14.pkg`` or ``feedback-2026-03-14.pkg``."""
    return f"{kind}-{(day or date.today()).isoformat()}{PACKAGE_SUFFIX}"


def with_suffix(path: str, suffix: str) -> Path:
    """The chosen path, with ``suffix`` added when the user typed a bare name."""
    out = Path(path)
    return out if out.suffix else out.with_name(out.name + suffix)


def when_text(value: datetime) -> str:
    """'14 Mar 2026, 14:02' in local time."""
    local = value.astimezone()
    return f"{local.day} {local:%b %Y, %H:%M}"


def day_text(value: date | datetime | str) -> str:
    """'14 March 2026' for a date, a datetime or an ISO day."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def fingerprint_lines(fingerprint: str) -> str:
    """The 8 groups of a fingerprint on two lines of four (easier to read aloud)."""
    groups = fingerprint.split()
    half = (len(groups) + 1) // 2
    return "   ".join(groups[:half]) + "\n" + "   ".join(groups[half:])


def fingerprint_label(fingerprint: str = "", step: float = 6.0) -> QLabel:
    """A fingerprint in large fixed-width digits, selectable."""
    label = QLabel(fingerprint_lines(fingerprint) if fingerprint else "")
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.0)
    label.setFont(font)
    sized_font(label, step, bold=True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName("Fingerprint")
    return label


@dataclass(frozen=True)
class DepthLevel:
    id: str
    wald: str
    label: str
    explanation: str


def depth_levels() -> list[DepthLevel]:
    """Wald's REFLECT levels with the prompt library's plain words for them (the same words
    a student sees when rating their own reflection)."""
    from journal_app.core.practice import load_library

    try:
        levels = {level.id: level for level in load_library().reflect}
    except ContentError:
        levels = {}
    out = []
    for level_id in REFLECT_LEVELS:
        level = levels.get(level_id)
        out.append(DepthLevel(level_id, WALD_NAMES[level_id],
                              level.label if level else WALD_NAMES[level_id],
                              level.explanation if level else ""))
    return out


def depth_level(level_id: str | None) -> DepthLevel | None:
    return next((lv for lv in depth_levels() if lv.id == level_id), None)


def warn(parent: QWidget | None, title: str, message: str) -> None:
    """A refusal or an error: one plain sentence, nothing else."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.exec()


class FingerprintDialog(QDialog):
    """Ask the user to compare a card's fingerprint with the one its owner reads out.

    Used when adding a contact from a card and when a package comes from someone new.
    ``exec()`` returns Accepted only for "They match".
    """

    def __init__(self, card: Card, intro: str, parent: QWidget | None = None,
                 title: str = "Check the fingerprint") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.card = card
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(heading(title))
        layout.addWidget(muted(intro))
        who = QLabel(f"<b>{_escape(card.name)}</b> · {ROLE_LABELS.get(card.role, card.role)}")
        who.setTextFormat(Qt.TextFormat.RichText)
        who.setAccessibleName("Name and role")
        sized_font(who, 2)
        layout.addWidget(who)
        frame = QFrame()
        frame.setProperty("card", True)
        fl = QHBoxLayout(frame)
        fl.setContentsMargins(18, 10, 18, 10)
        self.fingerprint = fingerprint_label(card.fingerprint)
        fl.addWidget(self.fingerprint)
        fl.addStretch(1)
        layout.addWidget(frame)
        layout.addWidget(muted(
            f"Ask {card.name} to read out the fingerprint their app shows under “My card”, in "
            "person or by phone, and compare every group. If even one digit differs, the file "
            "may not be from them: do not add it."
        ))
        row = QHBoxLayout()
        row.addStretch(1)
        self.differ_button = QPushButton("They differ")
        self.match_button = primary_button("They match")
        self.match_button.setAutoDefault(False)  # a match is clicked, never an Enter reflex
        self.differ_button.setAutoDefault(False)
        row.addWidget(self.differ_button)
        row.addWidget(self.match_button)
        layout.addLayout(row)
        self.differ_button.clicked.connect(self.reject)
        self.match_button.clicked.connect(self.accept)
        self.differ_button.setFocus()


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def escape(text: str) -> str:
    """HTML-escaped text with line breaks kept (for notes and comments shown as rich text)."""
    return _escape(text).replace("\n", "<br>")


def names_list(names: Sequence[str]) -> str:
    """'Ada', 'Ada and Bo', 'Ada, Bo and Cy'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
