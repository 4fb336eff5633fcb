"""The feedback a mentor sent on an entry, shown under the entry's text in the editor.

A calm panel, hidden when the entry has no feedback: who wrote it and when, their comment,
their reply to the student's question, and the depth of reflection they saw (Wald's REFLECT
level, in the same plain words the student uses to rate their own reflections). It can be
folded to its header line. The mentor's words are rendered as sanitised Markdown (they come
from a package file: nothing in them can load a resource or run anything).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import sharing
from journal_app.core.markup import render_markdown
from journal_app.core.records import Entry, Feedback
from journal_app.ui.markdown_view import SafeTextBrowser
from journal_app.ui.session import JournalSession
from journal_app.ui.sharing.common import day_text, depth_level, escape, names_list
from journal_app.ui.theme import colors

MAX_HEIGHT = 170


def feedback_html(items: Sequence[Feedback], muted: str, with_names: bool) -> str:
    """The feedback as HTML: escaped or sanitised text only."""
    blocks = []
    for item in items:
        parts = []
        when = item.received or item.created
        if with_names:
            parts.append(f"<p><b>{escape(item.contact_name)}</b> "
                         f"<span style='color:{muted}'>· {day_text(when)}</span></p>")
        if item.comment.strip():
            parts.append(render_markdown(item.comment))
        if item.reply.strip():
            parts.append(f"<p><b>Reply to your question</b></p>{render_markdown(item.reply)}")
        level = depth_level(item.depth)
        if level is not None:
            parts.append(
                f"<p><b>Depth of reflection:</b> {escape(level.label)} "
                f"<span style='color:{muted}'>({escape(level.wald.lower())}, REFLECT)</span>"
                f"<br><span style='color:{muted}'>{escape(level.explanation)}</span></p>")
        blocks.append("".join(parts))
    return "<hr>".join(blocks)


class FeedbackPanel(QFrame):
    """Feedback from the mentor(s) on the entry being shown."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.items: list[Feedback] = []
        self.setObjectName("feedbackPanel")
        self.setAccessibleName("Feedback from your mentor")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setAccessibleName("Feedback from")
        self.title.setWordWrap(True)
        self.fold = QToolButton()
        self.fold.setText("Hide")
        self.fold.setCheckable(True)
        self.fold.setAccessibleName("Hide the feedback")
        top.addWidget(self.title, 1)
        top.addWidget(self.fold)
        layout.addLayout(top)
        self.view = SafeTextBrowser()
        self.view.setAccessibleName("Feedback")
        self.view.setMaximumHeight(MAX_HEIGHT)
        layout.addWidget(self.view)
        self.fold.toggled.connect(self._fold)
        self.restyle()
        self.hide()

    def restyle(self) -> None:
        c = colors()
        self.setStyleSheet(
            f"QFrame#feedbackPanel {{ background: {c.chip}; border: 1px solid {c.border};"
            f" border-left: 4px solid {c.accent}; border-radius: 8px; }}"
            f"QFrame#feedbackPanel QLabel {{ color: {c.chip_text}; background: transparent; }}"
            f"QFrame#feedbackPanel QTextBrowser {{ background: transparent; border: none;"
            f" color: {c.chip_text}; padding: 0px; }}")

    def show_entry(self, entry: Entry | None) -> None:
        """Show the feedback on ``entry`` (hidden when there is none, or no entry)."""
        items: list[Feedback] = []
        if entry is not None:
            entry_id = entry.id
            items = self.session.read_or(
                lambda journal: sharing.feedback_for_entry(journal, entry_id), items)
        self.items = items
        if not items:
            self.view.clear()
            self.title.clear()
            self.hide()
            return
        self.restyle()
        names = list(dict.fromkeys(item.contact_name for item in items))
        newest = items[0].received or items[0].created
        when = "" if len(names) > 1 else f" · {day_text(newest)}"
        self.title.setText(f"<b>Feedback from {escape(names_list(names))}</b>"
                           f"<span style='color:{colors().muted}'>{when}</span>")
        self.view.setHtml(feedback_html(items, colors().muted, with_names=len(items) > 1))
        self.view.setVisible(not self.fold.isChecked())
        self.show()

    def _fold(self, folded: bool) -> None:
        self.view.setVisible(not folded)
        self.fold.setText("Show" if folded else "Hide")
        self.fold.setAccessibleName("Show the feedback" if folded else "Hide the feedback")
