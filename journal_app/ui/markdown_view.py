"""Markdown to safe HTML, and a text browser that never loads anything remote.

Entries are rendered by Python-Markdown and cleaned by nh3 (an allow-list sanitiser) before Qt
sees them. The browser refuses every resource that is not already inside the document, so an
image link in an entry or a share package cannot make a network request.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

from journal_app.core.markup import render_markdown

__all__ = ["SafeTextBrowser", "highlight_html", "render_markdown"]


def highlight_html(text: str, spans: list[tuple[int, int]]) -> str:
    """HTML-escaped ``text`` with ``spans`` wrapped in <b> marks (for search snippets)."""
    out = []
    pos = 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f"<b>{html.escape(text[start:end])}</b>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


class SafeTextBrowser(QTextBrowser):
    """A read-only rich-text view that loads no external resources and follows no links."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, type_: int, name: QUrl | str, /) -> Any:
        # Nothing is fetched: no file, no http, no data the document does not already hold.
        return None

    def set_markdown(self, text: str) -> None:
        self.setHtml(render_markdown(text))
