"""The de-identification review: every hit highlighted with its category, decided one by one.

The sharing flow shows this before anything leaves the journal::

    dialog = DeidReviewDialog(text, journal.deid_names(), parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        journal.add_deid_names(dialog.added_names())
        share(dialog.redacted_text())

For each hit the user chooses: redact it (with a placeholder such as "[name]"), change it (to
their own words) or keep it. They can also select any text and redact it by hand, and add a word
to their list of names, which scans the text again. "Share" stays disabled until every hit is
decided, and ``exec()`` returns Accepted only then.

Colours come in five groups from the Okabe-Ito colour-blind-safe set, in tints that keep the text
readable in light and dark themes; colour is never alone: each hit carries its category as a
small label in the text and in the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.deid import (
    CATEGORY_LABELS,
    Finding,
    clean_names,
    find_identifiers,
    placeholder,
    redact,
)
from journal_app.ui import theme
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.widgets import FitSplitter, FlowLayout, heading, muted, primary_button

MANUAL = "manual"
REDACT, CHANGE, KEEP = "redact", "change", "keep"

# Category groups: (light tint, dark tint, strong colour). Okabe-Ito hues.
_GROUPS: dict[str, tuple[str, str, str]] = {
    "people": ("#cfe4f5", "#1d4a6b", "#0072b2"),
    "time": ("#fbe3b5", "#66490f", "#e69f00"),
    "contact": ("#c4eadc", "#155443", "#009e73"),
    "numbers": ("#f2d6e6", "#5e3050", "#cc79a7"),
    "places": ("#f7d3bd", "#6e3412", "#d55e00"),
    "manual": ("#dcdcdc", "#4a4f55", "#646b73"),
}
_GROUP_OF = {
    "name": "people", "date": "time", "age": "time", "phone": "contact", "fax": "contact",
    "email": "contact", "url": "contact", "ip": "contact", "address": "places",
    "place": "places", "zip": "places", MANUAL: "manual",
}


#: "sharing", "saving": the -ing forms the title needs.
_ING = {"share": "sharing", "save": "saving", "export": "exporting"}
_PAST = {"share": "shared", "save": "saved", "export": "exported"}


def _group(category: str) -> str:
    return _GROUP_OF.get(category, "numbers")


def category_label(category: str) -> str:
    return "Your redaction" if category == MANUAL else CATEGORY_LABELS.get(category, category)


def _dark() -> bool:
    return QColor(theme.colors().base).lightness() < 128


@dataclass
class Hit:
    """A finding (or a manual redaction) and what the user decided about it."""

    finding: Finding
    decision: str | None = None  # REDACT, CHANGE, KEEP or None (undecided)
    replacement: str = ""

    @property
    def decided(self) -> bool:
        return self.decision is not None

    def output(self) -> str | None:
        """What replaces the text in the shared version (None: kept as it is)."""
        if self.decision == REDACT:
            return "[redacted]" if self.finding.category == MANUAL else placeholder(
                self.finding.category)
        if self.decision == CHANGE:
            return self.replacement
        return None

    def status(self) -> str:
        if self.decision == REDACT:
            return f"Redact as {self.output()}"
        if self.decision == CHANGE:
            return f"Change to “{self.replacement}”"
        if self.decision == KEEP:
            return "Keep as written"
        return "Not decided"


class DeidReviewDialog(QDialog):
    """Review the identifiers found in ``text`` before sharing it; returns the redacted text.

    Args:
        text: the text to share (an entry or a part of one).
        names: the user's list of names (always treated as names).
        verb: what happens after the review ("share", "export", "save"): the dialog's title,
            its button and its progress line say it.

    Signals:
        decisions_changed(): a finding was decided, or findings were added (a name, a redaction
            by hand) or rescanned; also after selection changes.
    """

    decisions_changed = Signal()

    def __init__(self, text: str, names: Sequence[str] = (), parent: QWidget | None = None,
                 verb: str = "share") -> None:
        super().__init__(parent)
        self._verb = verb
        self._text = text
        self._names = list(clean_names(names))
        self._added: list[str] = []
        self._hits: list[Hit] = []
        # Where each piece of the original text sits in the view: (view start, view end,
        # original start); the category labels shown in the view are not in it.
        self._pieces: list[tuple[int, int, int]] = []
        self._hit_view: list[tuple[int, int]] = []

        title = f"Review before {_ING.get(verb, verb + 'ing')}"
        self.setWindowTitle(title)
        self.resize(1120, 660)
        layout = QVBoxLayout(self)
        self.title_label = heading(title)
        layout.addWidget(self.title_label)
        self.responsibility = muted(
            "Reviewing is your responsibility. The highlights are suggestions: they find most "
            "names, dates, numbers and places, not all. Read the whole text, redact anything "
            f"else that could identify a patient, a family or a colleague, and {verb} only what "
            "you would be comfortable reading aloud to them."
        )
        layout.addWidget(self.responsibility)

        split = FitSplitter()  # the findings under the text where narrow
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.view = QTextEdit()
        self.view.setReadOnly(True)
        self.view.setAccessibleName("Text to share, with the identifiers found highlighted")
        self.view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        left_layout.addWidget(self.view, 1)
        row = FlowLayout()  # on two lines where the pane is narrow (a small screen)
        self.redact_selection_button = QPushButton("Redact &selection")
        self.redact_selection_button.setToolTip("Redact the text you selected above")
        self.add_name_button = QPushButton("Always treat as a &name")
        self.add_name_button.setToolTip(
            "Add the selected word to your list of names (kept encrypted in your journal) and "
            "look for it everywhere"
        )
        self.preview = QCheckBox(f"Show the text as it will be {_PAST.get(verb, verb + 'd')}")
        row.addWidget(self.redact_selection_button)
        row.addWidget(self.add_name_button)
        row.addStretch()
        row.addWidget(self.preview)
        left_layout.addLayout(row)
        split.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.list = QTreeWidget()
        self.list.setColumnCount(3)
        self.list.setHeaderLabels(["Kind", "Found", "Decision"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAccessibleName("Identifiers found")
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 150)
        right_layout.addWidget(self.list, 1)
        decide = FlowLayout()
        self.redact_button = QPushButton("&Redact")
        self.redact_button.setToolTip("Replace with a placeholder such as [name] (R)")
        self.keep_button = QPushButton("&Keep")
        self.keep_button.setToolTip("Share it as written (K)")
        self.redact_all_button = QPushButton("Redact all &undecided")
        decide.addWidget(self.redact_button)
        decide.addWidget(self.keep_button)
        decide.addStretch()
        decide.addWidget(self.redact_all_button)
        right_layout.addLayout(decide)
        change = QHBoxLayout()
        self.replacement = QLineEdit()
        self.replacement.setPlaceholderText("Your words instead, e.g. “a colleague”")
        self.replacement.setAccessibleName("Replacement text")
        self.change_button = QPushButton("C&hange")
        self.change_button.setToolTip("Replace the selected hit with the words you typed")
        change.addWidget(self.replacement, 1)
        change.addWidget(self.change_button)
        right_layout.addLayout(change)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 460])
        layout.addWidget(split, 1)

        bottom = QHBoxLayout()
        self.progress = QLabel()
        self.progress.setAccessibleName("Review progress")
        self.progress.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        self.share_button = primary_button(verb.capitalize())
        self.share_button.setAutoDefault(False)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.share_button)
        layout.addLayout(bottom)

        self.redact_button.clicked.connect(lambda: self.decide_selected(REDACT))
        self.keep_button.clicked.connect(lambda: self.decide_selected(KEEP))
        self.change_button.clicked.connect(self.change_selected)
        self.replacement.returnPressed.connect(self.change_selected)
        self.redact_all_button.clicked.connect(self.redact_all_undecided)
        self.redact_selection_button.clicked.connect(self.redact_selection)
        self.add_name_button.clicked.connect(self.add_selected_name)
        self.preview.toggled.connect(lambda _on: self._render())
        self.list.itemSelectionChanged.connect(self._on_list_selection)
        self.view.selectionChanged.connect(self._update_buttons)
        self.share_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        # R and K on the list decide the selected hit (before the list's type-to-search).
        self.list.installEventFilter(self)

        # Enter in the replacement field changes a hit; it must never press another button.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.replacement.textChanged.connect(lambda _t: self._update_buttons())
        self._scan()
        first = self.list.topLevelItem(0)
        if self._hits and first is not None:
            self.list.setCurrentItem(first)
            self.list.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.KeypadModifier)
            if plain and event.key() in (Qt.Key.Key_R, Qt.Key.Key_K):
                self.decide_selected(REDACT if event.key() == Qt.Key.Key_R else KEEP)
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ results

    def redacted_text(self) -> str:
        """The text with the user's decisions applied."""
        return redact(self._text, [(h.finding, h.output()) for h in self._hits])

    def added_names(self) -> list[str]:
        """Names the user asked to always treat as names (for their encrypted list)."""
        return list(self._added)

    def learn_names(self, names: Sequence[str]) -> None:
        """Treat more names as names (added while reviewing another text), keeping what is
        decided already."""
        known = {n.casefold() for n in [*self._names, *self._added]}
        new = [n for n in clean_names(names) if n.casefold() not in known]
        if new:
            self._names.extend(new)
            self._scan()

    def hits(self) -> list[Hit]:
        return list(self._hits)

    def all_decided(self) -> bool:
        return all(h.decided for h in self._hits)

    def accept(self) -> None:
        if not self.all_decided():  # Share is disabled then; Enter must not get round it
            return
        super().accept()

    # ------------------------------------------------------------------ actions

    def decide_selected(self, decision: str) -> None:
        rows = self._selected_rows()
        for row in rows:
            self._hits[row].decision = decision
        self._after_decision(rows)

    def change_selected(self) -> None:
        rows = self._selected_rows()
        if not rows or not self.replacement.text().strip():
            return  # nothing typed: Enter in an empty field must not delete the text
        for row in rows:
            hit = self._hits[row]
            hit.decision = CHANGE
            hit.replacement = self.replacement.text()
        self.replacement.clear()
        self._after_decision(rows)

    def redact_all_undecided(self) -> None:
        for hit in self._hits:
            if not hit.decided:
                hit.decision = REDACT
        self._refresh()

    def redact_selection(self) -> None:
        """Redact the text selected in the view (joining any hits it touches)."""
        span = self._selected_span()
        if span is None:
            return
        start, end = span
        touched = [h for h in self._hits if h.finding.start < end and start < h.finding.end]
        start = min([start, *(h.finding.start for h in touched)])
        end = max([end, *(h.finding.end for h in touched)])
        hit = Hit(Finding(start, end, MANUAL, self._text[start:end]), REDACT)
        self._hits = sorted([h for h in self._hits if h not in touched] + [hit],
                            key=lambda h: h.finding.start)
        self._refresh()
        self._select_row(self._hits.index(hit))

    def add_selected_name(self) -> None:
        """Add the selected text (or the selected hit's text) to the list of names."""
        span = self._selected_span()
        if span is not None:
            name = self._text[span[0]:span[1]]
        else:
            rows = self._selected_rows()
            name = self._hits[rows[0]].finding.text if rows else ""
        cleaned = clean_names([name])
        if not cleaned:
            return
        if cleaned[0].casefold() not in {n.casefold() for n in self._names + self._added}:
            self._added.append(cleaned[0])
        self._scan()

    # ------------------------------------------------------------------ internals

    def _scan(self) -> None:
        """Find the identifiers again (after a name was added), keeping what was decided."""
        manual = [h for h in self._hits if h.finding.category == MANUAL]
        before = {(h.finding.start, h.finding.end): h for h in self._hits}
        hits: list[Hit] = list(manual)
        for finding in find_identifiers(self._text, [*self._names, *self._added]):
            if any(m.finding.start < finding.end and finding.start < m.finding.end
                   for m in manual):
                continue
            old = before.get((finding.start, finding.end))
            if old is not None and old.finding.category == finding.category:
                hits.append(old)
            else:
                hits.append(Hit(finding))
        self._hits = sorted(hits, key=lambda h: h.finding.start)
        self._refresh()

    def _after_decision(self, rows: list[int]) -> None:
        self._refresh()
        if not rows:
            return
        # On to the next undecided hit, so a keyboard user can go R, R, K, R...
        after = [i for i in range(rows[-1] + 1, len(self._hits)) if not self._hits[i].decided]
        before = [i for i in range(len(self._hits)) if not self._hits[i].decided]
        target = (after or before or [rows[-1]])[0]
        self._select_row(target)

    def _refresh(self) -> None:
        selected = set(self._selected_rows())
        self.list.blockSignals(True)
        self.list.clear()
        dark = _dark()
        for i, hit in enumerate(self._hits):
            f = hit.finding
            item = QTreeWidgetItem([category_label(f.category), f.text.replace("\n", " "),
                                    hit.status()])
            light_tint, dark_tint, _strong = _GROUPS[_group(f.category)]
            item.setBackground(0, QColor(dark_tint if dark else light_tint))
            item.setForeground(0, QColor(theme.colors().text))
            item.setToolTip(1, f.text)
            if hit.decided:
                item.setForeground(2, QColor(theme.colors().muted))
            else:
                font = item.font(2)
                font.setBold(True)
                item.setFont(2, font)
            self.list.addTopLevelItem(item)
            if i in selected:
                item.setSelected(True)
        self.list.blockSignals(False)
        self._render()
        self._update_buttons()

    def _render(self) -> None:
        """Show the text with each hit highlighted and labelled (or the shared version)."""
        self.view.blockSignals(True)
        self.view.clear()
        cursor = QTextCursor(self.view.document())
        c = theme.colors()
        plain = QTextCharFormat()
        plain.setForeground(QColor(c.text))
        self._pieces = []
        self._hit_view = []
        if self.preview.isChecked():
            cursor.insertText(self.redacted_text(), plain)
            self.view.blockSignals(False)
            self._update_buttons()
            return
        dark = _dark()
        pos = 0
        for hit in self._hits:
            f = hit.finding
            self._insert(cursor, self._text[pos:f.start], pos, plain)
            light_tint, dark_tint, strong = _GROUPS[_group(f.category)]
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(dark_tint if dark else light_tint))
            fmt.setForeground(QColor(c.text))
            fmt.setToolTip(f"{category_label(f.category)}: {hit.status()}")
            if hit.decision in (REDACT, CHANGE):
                fmt.setFontStrikeOut(True)
            if hit.decision == KEEP:
                fmt.setBackground(QColor(c.base))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(QColor(strong))
            else:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(strong))
            start = cursor.position()
            self._insert(cursor, f.text, f.start, fmt)
            self._hit_view.append((start, cursor.position()))
            label = QTextCharFormat(fmt)
            label.setFontStrikeOut(False)
            label.setUnderlineStyle(QTextCharFormat.UnderlineStyle.NoUnderline)
            label.setFontWeight(QFont.Weight.Bold)
            label.setFontPointSize(max(6.0, self.view.font().pointSizeF() * 0.75))
            label.setForeground(QColor(c.text if hit.decision != KEEP else c.muted))
            tag = "redacted" if f.category == MANUAL else f.category
            if hit.decision in (REDACT, CHANGE):
                tag += f" → {hit.output()}"
            elif hit.decision == KEEP:
                tag += " · kept"
            cursor.insertText(f"\u2009{tag}\u2009", label)
            pos = f.end
        self._insert(cursor, self._text[pos:], pos, plain)
        self.view.blockSignals(False)
        self._update_buttons()

    def _insert(self, cursor: QTextCursor, text: str, original: int,
                fmt: QTextCharFormat) -> None:
        if not text:
            return
        start = cursor.position()
        cursor.insertText(text, fmt)
        self._pieces.append((start, cursor.position(), original))

    def _to_original(self, view_pos: int) -> int:
        """The original offset of a position in the view (labels snap to the nearest text)."""
        for start, stop, original in self._pieces:
            if start <= view_pos <= stop:
                return original + (view_pos - start)
            if view_pos < start:
                return original
        return len(self._text)

    def _selected_span(self) -> tuple[int, int] | None:
        if self.preview.isChecked():
            return None
        cursor = self.view.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._to_original(cursor.selectionStart())
        end = self._to_original(cursor.selectionEnd())
        while start < end and self._text[start].isspace():
            start += 1
        while end > start and self._text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def _selected_rows(self) -> list[int]:
        return sorted(self.list.indexOfTopLevelItem(i) for i in self.list.selectedItems())

    def _select_row(self, row: int) -> None:
        item = self.list.topLevelItem(row)
        if item is not None:
            self.list.setCurrentItem(item)
            self.list.scrollToItem(item)

    def _on_list_selection(self) -> None:
        rows = self._selected_rows()
        if rows and not self.preview.isChecked() and rows[0] < len(self._hit_view):
            start, _end = self._hit_view[rows[0]]
            cursor = self.view.textCursor()
            cursor.setPosition(start)
            self.view.blockSignals(True)
            self.view.setTextCursor(cursor)
            self.view.ensureCursorVisible()
            self.view.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        rows = bool(self._selected_rows())
        self.redact_button.setEnabled(rows)
        self.keep_button.setEnabled(rows)
        self.change_button.setEnabled(rows and bool(self.replacement.text().strip()))
        has_selection = self._selected_span() is not None
        self.redact_selection_button.setEnabled(has_selection)
        self.add_name_button.setEnabled(has_selection or rows)
        undecided = sum(1 for h in self._hits if not h.decided)
        self.redact_all_button.setEnabled(undecided > 0)
        self.share_button.setEnabled(undecided == 0)
        total = len(self._hits)
        if total == 0:
            self.progress.setText(
                f"Nothing was found. Read the text yourself before you {self._verb}.")
        elif undecided:
            self.progress.setText(
                f"{total - undecided} of {total} decided: decide the rest to go on."
            )
        else:
            self.progress.setText(f"All {total} decided. Read it once more, then {self._verb}.")
        self.decisions_changed.emit()


class ReviewPane(DeidReviewDialog):
    """The de-identification review as a page of another dialog (sharing, exporting), not a
    window of its own.

    Its own button and Cancel are hidden (the host dialog's Next and Cancel take their
    place); Escape goes on to the host dialog, Enter never presses anything. Its
    ``decisions_changed`` signal updates the host's buttons and status.
    """

    def __init__(self, text: str, names: Sequence[str], parent: QWidget | None = None,
                 verb: str = "share") -> None:
        super().__init__(text, names, parent, verb)
        self.setWindowFlags(Qt.WindowType.Widget)
        self.share_button.hide()
        self.cancel_button.hide()
        self.title_label.hide()  # the host dialog names the text under review instead
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(0, 0, 0, 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Cancel):
            event.ignore()  # the host dialog's Escape (it asks nothing: nothing is written)
            return
        super().keyPressEvent(event)

    def accept(self) -> None:  # embedded: the host dialog moves on, not this page
        return

    def reject(self) -> None:
        return


R = TypeVar("R")


@dataclass
class ReviewUnit(Generic[R]):
    """One text under review, made of parts (a title and a text, a note and a question...)
    joined by a blank line so they are read (and reviewed) together. ``R`` says which part is
    which for the host dialog (sharing's FieldRef, an export's TextRef)."""

    label: str
    parts: list[tuple[R, str, int]]
    text: str
    pane: ReviewPane | None = None

    @classmethod
    def of(cls, label: str, texts: Sequence[tuple[R, str]]) -> ReviewUnit[R]:
        parts = []
        pieces: list[str] = []
        offset = 0
        for ref, text in texts:
            if not text:
                continue
            if pieces:
                offset += 2
            parts.append((ref, text, offset))
            pieces.append(text)
            offset += len(text)
        return cls(label, parts, "\n\n".join(pieces))

    def decided(self) -> bool:
        return self.pane is not None and self.pane.all_decided()

    def undecided(self) -> int:
        if self.pane is None:
            return -1
        return sum(1 for h in self.pane.hits() if not h.decided)

    def results(self) -> list[tuple[R, str]]:
        """Each part's text with the decisions of the review applied to it. A redaction that
        spans the blank line between two parts redacts both ends."""
        assert self.pane is not None
        hits = self.pane.hits()
        out = []
        for ref, text, offset in self.parts:
            decisions: list[tuple[Finding, str | None]] = []
            for hit in hits:
                start = max(hit.finding.start, offset) - offset
                end = min(hit.finding.end, offset + len(text)) - offset
                if start < end:
                    decisions.append((Finding(start, end, hit.finding.category,
                                              text[start:end]), hit.output()))
            out.append((ref, redact(text, decisions)))
        return out


class ReviewSteps:
    """The top of a review that goes through several texts one at a time (the export and share
    dialogs): which text this is, what is left to decide, and the texts' panes in a stack."""

    def __init__(self, layout: QVBoxLayout, what: str, noun: str) -> None:
        """``what`` names the title for screen readers ("Entry under review"); ``noun`` is how
        the status names another text ("entry", "text")."""
        self.noun = noun
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setAccessibleName(what)
        theme.sized_font(self.title, 2, bold=True)
        # Wrapped, both: an entry's long title must not widen the dialog at the review.
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        self.status = muted("")
        self.status.setAccessibleName("Review status")
        top.addWidget(self.status)
        layout.addLayout(top)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self._saved_names: set[str] = set()  # casefolded

    def clear(self) -> None:
        """Drop the panes of an earlier plan."""
        while (widget := self.stack.widget(0)) is not None:
            self.stack.removeWidget(widget)
            widget.deleteLater()

    @staticmethod
    def known_names(names: list[str], units: Sequence[ReviewUnit[Any]]) -> list[str]:
        """The journal's list of names and those added in any pane so far."""
        out = list(names)
        for unit in units:
            if unit.pane is not None:
                out.extend(unit.pane.added_names())
        return out

    def save_names(self, units: Sequence[ReviewUnit[Any]], session: JournalSession,
                   on_error: Callable[[str], object]) -> None:
        """Store (in the journal's encrypted list, through the session's door) the names the
        user asked to always treat as names and that are not stored yet. They count as stored
        at once, so a second call while the write waits asks for them once; a failed write
        forgets that and hands its sentence to ``on_error``."""
        added = [n for unit in units if unit.pane is not None
                 for n in unit.pane.added_names() if n.casefold() not in self._saved_names]
        if not added:
            return
        self._saved_names.update(n.casefold() for n in added)

        def failed(message: str) -> None:
            self._saved_names.difference_update(n.casefold() for n in added)
            on_error(message)

        session.write(lambda journal: journal.add_deid_names(added), None, failed,
                      changes=Change.APP_STATE)

    def show_status(self, units: Sequence[ReviewUnit[Any]], index: int) -> None:
        """What is left to decide in text ``index``, or in the texts already seen."""
        left = units[index].undecided()
        waiting = [i + 1 for i, u in enumerate(units)
                   if u.pane is not None and not u.decided() and i != index]
        if left > 0:
            status = f"{left} finding{'' if left == 1 else 's'} to decide here"
        elif waiting:
            status = (f"New findings to decide in {self.noun} "
                      + ", ".join(str(i) for i in waiting))
        else:
            status = "Everything here is decided"
        self.status.setText(status)
