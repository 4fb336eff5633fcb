"""One self-contained HTML file of entries, to read in a browser or print.

Oldest first, like a diary read from its beginning, with a list of contents at the top. Every
entry's Markdown goes through the same Markdown + nh3 pipeline as the app's views
(:func:`journal_app.core.markup.render_markdown`): no script, no event handler, no image
survives. Everything else (titles, tags, labels) is escaped. The stylesheet is embedded, and a
Content-Security-Policy forbids loading anything at all, so opening the file makes no request
even if a browser were to find something to fetch. The file opens with a note that it is not
encrypted.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from journal_app.core.interchange.base import Exporter, write_private_file
from journal_app.core.interchange.formats import Exports, Format, register
from journal_app.core.interchange.selection import (
    date_span,
    images_by_entry,
    long_date,
    short_date,
    sort_entries,
)
from journal_app.core.markup import render_markdown
from journal_app.core.records.attachments import MEDIA_TYPES
from journal_app.core.records.model import Attachment, Entry, Record, Reflection, now
from journal_app.core.vocabulary import ENCOUNTER_LABELS, RATING_NAMES, id_words

#: Nothing may be loaded: inline styles, and the entries' own images embedded as data: URIs
#: (no scripts, fonts, frames or remote images).
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'")
#: Image types a browser shows (HEIC and HEIF are named instead).
SHOWN_IN_BROWSERS = ("image/png", "image/jpeg", "image/gif", "image/webp")

STYLE = """
:root { color-scheme: light dark; --text: #22262b; --muted: #5b626a; --rule: #d9d3ca;
  --accent: #0b6fa4; --chip: #e6eef3; --chip-text: #1d3b4f; --page: #fffdf9; }
@media (prefers-color-scheme: dark) { :root { --text: #e6e8ea; --muted: #a3abb3;
  --rule: #3a424a; --accent: #56b4e9; --chip: #2f3d48; --chip-text: #d3e6f2; --page: #1d2125; } }
html { background: var(--page); color: var(--text); }
body { font: 16px/1.6 Georgia, "DejaVu Serif", "Times New Roman", serif; max-width: 44em;
  margin: 0 auto; padding: 2em 1.5em 4em; }
h1, h2, h3, h4, .meta, nav, .chips { font-family: system-ui, "Segoe UI", "DejaVu Sans",
  Helvetica, Arial, sans-serif; }
h1 { font-size: 2em; margin: 0 0 .2em; }
header .meta { margin-top: 0; }
.note { border-left: 4px solid var(--accent); padding: .4em .8em; color: var(--muted); }
nav ol { padding-left: 1.4em; columns: 2; column-gap: 2em; }
.attachments img { max-width: 100%; height: auto; border: 1px solid var(--rule); }
.attachments figure { margin: 1em 0; }
nav li { break-inside: avoid; }
nav a, article a { color: var(--accent); }
article { border-top: 1px solid var(--rule); margin-top: 2.5em; padding-top: 1em; }
article > h2 { font-size: 1.45em; margin: 0 0 .1em; }
.meta { color: var(--muted); font-size: .9em; margin: 0 0 .6em; }
.chips { margin: 0 0 1em; padding: 0; }
.chips li { display: inline-block; background: var(--chip); color: var(--chip-text);
  border-radius: 1em; padding: .05em .7em; margin: 0 .3em .3em 0; font-size: .85em; }
.body h1 { font-size: 1.3em; } .body h2 { font-size: 1.15em; } .body h3 { font-size: 1.05em; }
.body h1, .body h2, .body h3, .body h4 { margin: 1.2em 0 .3em; }
blockquote { margin: 0 0 0 .5em; padding-left: 1em; border-left: 3px solid var(--rule);
  color: var(--muted); }
pre, code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
pre { white-space: pre-wrap; }
table { border-collapse: collapse; } td, th { border: 1px solid var(--rule); padding: .2em .5em; }
@media print {
  html { background: #fff; color: #000; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav, .note { display: none; }
  article { break-before: page; border-top: none; margin-top: 0; }
  article > h2, .meta { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  .chips li { border: 1px solid #999; background: none; color: #000; }
}
"""


def _time(when: datetime) -> str:
    return f"{long_date(when)}, {when:%H:%M}"


def _facts(entry: Entry) -> list[str]:
    """Short labelled facts shown as chips: ratings, encounter, emotions, tags."""
    facts = []
    if entry.starred:
        facts.append("★ Starred")
    if entry.mood is not None:
        facts.append(f"{RATING_NAMES['mood']} {entry.mood:+d}")
    if entry.energy is not None:
        facts.append(f"{RATING_NAMES['energy']} {entry.energy:+d}")
    if entry.stress is not None:
        facts.append(f"{RATING_NAMES['stress']} {entry.stress}/10")
    if entry.encounter:
        facts.append(ENCOUNTER_LABELS.get(entry.encounter) or id_words(entry.encounter))
    facts.extend(f"{e.name} {e.intensity}/5" for e in entry.emotions)
    facts.extend(f"#{t}" for t in entry.tags)
    return facts


def images_html(images: Sequence[tuple[Attachment, bytes]]) -> str:
    """An entry's images, embedded (the page stays one self-contained file)."""
    parts = []
    for n, (attachment, data) in enumerate(images, start=1):
        if attachment.media_type in SHOWN_IN_BROWSERS:
            encoded = base64.b64encode(data).decode("ascii")
            parts.append(f'<figure><img alt="Attachment {n}" '
                         f'src="data:{attachment.media_type};base64,{encoded}"></figure>')
        else:
            kind = MEDIA_TYPES[attachment.media_type][0]
            parts.append(f"<p class=\"meta\">Attachment {n}: a {kind} image, which browsers "
                         "do not show (it is in the JSON export).</p>")
    return '<div class="attachments">\n' + "\n".join(parts) + "\n</div>\n"


def entry_html(entry: Entry, anchor: str,
               images: Sequence[tuple[Attachment, bytes]] = ()) -> str:
    title = html.escape(entry.display_title())
    kind = "Reflection · " if isinstance(entry, Reflection) else ""
    meta = f"{kind}{_time(entry.created)}"
    if entry.updated.replace(microsecond=0) > entry.created.replace(microsecond=0):
        meta += f" · edited {short_date(entry.updated)}"
    chips = "".join(f"<li>{html.escape(f)}</li>" for f in _facts(entry))
    return (
        f'<article id="{anchor}">\n<h2>{title}</h2>\n'
        f'<p class="meta">{html.escape(meta)}</p>\n'
        + (f'<ul class="chips">{chips}</ul>\n' if chips else "")
        + f'<div class="body">\n{render_markdown(entry.body)}\n</div>\n'
        + (images_html(images) if images else "")
        + "</article>\n"
    )


def html_document(entries: Sequence[Entry], title: str = "Journal",
                  exported: datetime | None = None,
                  images: Mapping[str, Sequence[tuple[Attachment, bytes]]] | None = None) -> str:
    """The whole page for ``entries`` (already sorted), with their ``images`` by entry id."""
    images = images or {}
    exported = exported or now()
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    span = date_span(entries)
    contents = "".join(
        f'<li><a href="#e{i}">{html.escape(short_date(e.created))}: '
        f"{html.escape(e.display_title())}</a></li>"
        for i, e in enumerate(entries, start=1)
    )
    articles = "".join(entry_html(e, f"e{i}", images.get(e.id, ()))
                       for i, e in enumerate(entries, start=1))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="journal-app">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{html.escape(title)}</h1>\n"
        f'<p class="meta">{count}{", " + html.escape(span) if span else ""} · '
        f"exported {html.escape(short_date(exported))} from journal-app</p>\n"
        '<p class="note">This file is not encrypted. Anyone who can open it can read it: '
        "keep it somewhere private, and delete it when you no longer need it.</p>\n"
        "</header>\n"
        + (f"<nav>\n<h2>Contents</h2>\n<ol>{contents}</ol>\n</nav>\n" if entries else "")
        + f"<main>\n{articles}</main>\n</body>\n</html>\n"
    )


class HtmlExporter(Exporter):
    """Entries as one self-contained HTML page."""

    def __init__(self, title: str = "Journal") -> None:
        self.title = title

    def write(self, records: Sequence[Record], path: Path) -> int:
        entries = sort_entries(records)
        document = html_document(entries, self.title, images=images_by_entry(records))
        write_private_file(path, document.encode("utf-8"))
        return len(entries)


register(Format(
    "html", "HTML page", order=20,
    exports=Exports(
        HtmlExporter, hint="One file to read in a browser or print.", help="one page",
        default_name="journal-{day}.html", file_filter="HTML (*.html)"),
))
