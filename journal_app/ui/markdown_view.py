"""Markdown to safe HTML, and a text browser that never loads anything remote.

Entries are rendered by Python-Markdown and cleaned by nh3 (an allow-list sanitiser) before Qt
sees them. The browser refuses every resource that is not already inside the document, so an
image link in an entry or a share package cannot make a network request.
"""

from __future__ import annotations

import html
from typing import Any

import markdown
import nh3
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul", "mark", "span",
}
_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}, "abbr": {"title"}}


def render_markdown(text: str) -> str:
    """Sanitised HTML for Markdown ``text``. Images are dropped; links keep only their text
    and a safe ``href`` (they are never followed automatically)."""
    raw = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        raw,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


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

    def loadResource(self, type_: int, name: QUrl) -> Any:
        # Nothing is fetched: no file, no http, no data the document does not already hold.
        return None

    def set_markdown(self, text: str) -> None:
        self.setHtml(render_markdown(text))
