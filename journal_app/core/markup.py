"""Markdown to safe HTML, without Qt: the one pipeline for the app's views and the exports.

Entries are rendered by Python-Markdown and cleaned by nh3 (an allow-list sanitiser). Images
are dropped (nothing in a rendered entry can make a request); links keep their text and a safe
``href``. The app's text browser (``journal_app.ui.markdown_view``) and the HTML and PDF
exports all use :func:`render_markdown`, so what is safe on screen is safe on paper.
"""

from __future__ import annotations

import markdown
import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul", "mark", "span",
})
ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}, "abbr": {"title"}}


def render_markdown(text: str) -> str:
    """Sanitised HTML for Markdown ``text``. Images are dropped; links keep only their text
    and a safe ``href`` (they are never followed automatically)."""
    raw = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        raw,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
