"""The reflective portfolio: chosen entries and reflections as one document, without Qt.

This module decides what goes on the pages; :mod:`journal_app.ui.interchange.portfolio` lays the
HTML out
on A4 with Qt's document classes and writes the PDF. The HTML keeps to the subset Qt's rich
text understands (headings, paragraphs, tables, simple CSS, ``page-break-before``).

Content: a title page with the student's name, the date range, a list of contents and the
credits of the frameworks the pages name (the competencies, CARE-7); then
each item on its own page, its title, date and kind; for a reflection the template it followed
(with credit), what it works on (competencies, facets of competency 4, CARE-7 goals: from the
template and from any prompt answered) and its body, whose ``##`` headings are the template's
stages; the self-rated depth; and, when given, a short excerpt of mentor feedback. Entry text
goes through the same Markdown + nh3 pipeline as everywhere else; everything else is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from journal_app.core.interchange.selection import date_span, long_date, short_date, sort_entries
from journal_app.core.markup import render_markdown
from journal_app.core.practice.prompts import Library
from journal_app.core.records.model import Entry, Record, Reflection, now
from journal_app.core.vocabulary import (
    CARE7_CREDIT,
    CARE7_LABELS,
    COMPETENCY_CREDIT,
    COMPETENCY_LABELS,
    FACET_LABELS,
    id_words,
)

#: Mentor feedback is shown as an excerpt of at most this many characters.
FEEDBACK_EXCERPT = 600
_HEADING = re.compile(r"<(/?)h([1-6])>")


@dataclass(frozen=True)
class PortfolioOptions:
    """What the title page and the items show besides the entries themselves.

    ``feedback`` maps an entry id to mentor feedback text (plain text); only a short excerpt
    is printed. Sharing with a mentor can fill it in later; until then it is empty.
    """

    name: str = ""
    title: str = "Reflective portfolio"
    feedback: Mapping[str, str] = field(default_factory=dict)
    today: date | None = None
    #: Mentors' signed attestations, one line each (issue 24), on the title page.
    attestations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tags:
    """What an item works on, as labels ready to print."""

    competencies: tuple[str, ...] = ()
    facets: tuple[str, ...] = ()
    care7: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.competencies or self.facets or self.care7)


def _ordered(values: list[str], order: Sequence[str]) -> list[str]:
    rank = {v: i for i, v in enumerate(order)}
    return sorted(dict.fromkeys(values), key=lambda v: (rank.get(v, len(rank)), v))


def tags_for(entry: Entry, library: Library) -> Tags:
    """Competencies, facets and CARE-7 goals of ``entry``: its template's (a reflection) and
    those of the prompts it answered. A plain entry with no prompt has none."""
    competencies: list[int] = []
    facets: list[str] = []
    care7: list[str] = []
    if isinstance(entry, Reflection):
        template = library.templates.get(entry.template_id)
        if template is not None and (template.facets or template.care7):
            competencies.extend(template.competencies)
            facets.extend(template.facets)
            care7.extend(template.care7)
    for prompt_id in entry.prompt_ids:
        prompt = library.by_id.get(prompt_id)
        if prompt is not None:
            competencies.extend(prompt.competencies)
            facets.append(prompt.facet)
            care7.extend(prompt.care7)
    return Tags(
        competencies=tuple(f"{n}. {COMPETENCY_LABELS.get(n, '')}".rstrip(". ")
                           for n in sorted(set(competencies))),
        facets=tuple(FACET_LABELS.get(f, id_words(f))
                     for f in _ordered(facets, tuple(FACET_LABELS))),
        care7=tuple(CARE7_LABELS.get(c, id_words(c))
                    for c in _ordered(care7, tuple(CARE7_LABELS))),
    )


def excerpt(text: str, limit: int = FEEDBACK_EXCERPT) -> str:
    """``text`` with white space folded, cut at a word boundary to at most ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def _body_html(entry: Entry) -> str:
    # One level down: the item's title is the page's only <h1>; a reflection's stages
    # (``##`` in its body) become <h3>, styled as stage headings.
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + 1)}>",
                        render_markdown(entry.body))


def _kind_line(entry: Entry, library: Library) -> str:
    if not isinstance(entry, Reflection):
        return "Journal entry"
    template = library.templates.get(entry.template_id)
    if template is None:
        return "Guided reflection"
    return f"Guided reflection: {template.title}"


def _count(entries: Sequence[Entry]) -> str:
    reflections = sum(isinstance(e, Reflection) for e in entries)
    plain = len(entries) - reflections
    parts = []
    if reflections:
        parts.append(f"{reflections} reflection{'' if reflections == 1 else 's'}")
    if plain:
        parts.append(f"{plain} journal entr{'y' if plain == 1 else 'ies'}")
    return " and ".join(parts) or "No entries"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def title_page(entries: Sequence[Entry], options: PortfolioOptions, library: Library) -> str:
    today = options.today or now().date()
    span = date_span(entries)
    rows = "".join(
        f'<tr><td class="c-date">{_esc(short_date(e.created))}</td>'
        f'<td class="c-title">{_esc(e.display_title())}</td>'
        f'<td class="c-kind">{_esc(_kind_line(e, library))}</td></tr>'
        for e in entries
    )
    name = (f'<p class="name">{_esc(options.name)}</p>' if options.name.strip() else "")
    return (
        '<table class="spacer" width="100%" height="190" cellspacing="0" cellpadding="0">'
        "<tr><td>&nbsp;</td></tr></table>"
        f'<p class="kicker">{_esc(options.title.upper())}</p>'
        f"{name}"
        + (f'<p class="range">{_esc(span)}</p>' if span else "")
        + f'<p class="count">{_esc(_count(entries))}</p>'
        + (f'<p class="contents-head">Contents</p>'
           f'<table class="contents" width="100%" cellspacing="0" cellpadding="4">{rows}</table>'
           if rows else "")
        + ('<p class="contents-head">Attestations</p>'
           + "".join(f'<p class="attestation">{_esc(line)}</p>'
                     for line in options.attestations)
           + '<p class="colophon">Each is a signed file that goes with this portfolio:'
           " journal-app attestation verify FILE checks it against the programme's roster.</p>"
           if options.attestations else "")
        + f'<p class="colophon">Prepared on {_esc(short_date(today))} with journal-app. '
        "Written for reflection and learning. Details that could identify patients, families "
        "or colleagues should have been removed before sharing.</p>"
        + "".join(f'<p class="colophon">{_esc(credit)}</p>'
                  for credit in sources(entries, library))
    )


def sources(entries: Sequence[Entry], library: Library) -> list[str]:
    """The credits of the frameworks the portfolio's pages name (the five competencies, the
    CARE-7 goals): only those some item is tagged with."""
    tags = [tags_for(e, library) for e in entries]
    credits = []
    if any(t.competencies for t in tags):
        credits.append(COMPETENCY_CREDIT)
    if any(t.care7 for t in tags):
        credits.append(CARE7_CREDIT)
    return credits


def item_html(entry: Entry, options: PortfolioOptions, library: Library) -> str:
    meta = f"{long_date(entry.created)}, {entry.created:%H:%M} · {_kind_line(entry, library)}"
    parts = [f'<h1 class="item">{_esc(entry.display_title())}</h1>',
             f'<p class="meta">{_esc(meta)}</p>']
    template = library.templates.get(entry.template_id) \
        if isinstance(entry, Reflection) else None
    if template is not None and template.credit:
        parts.append(f'<p class="credit">{_esc(template.credit)}</p>')
    tags = tags_for(entry, library)
    if tags:
        rows = []
        for label, values in (("Competencies", tags.competencies),
                              ("Facets of competency 4", tags.facets),
                              ("CARE-7 goals", tags.care7)):
            if values:
                rows.append(f'<tr><td class="t-label">{label}</td>'
                            f'<td class="t-value">{" · ".join(_esc(v) for v in values)}</td></tr>')
        parts.append('<table class="tags" width="100%" cellspacing="0" cellpadding="5">'
                     f'{"".join(rows)}</table>')
    if entry.emotions and not isinstance(entry, Reflection):
        feelings = ", ".join(f"{e.name} ({e.intensity}/5)" for e in entry.emotions)
        parts.append(f'<p class="feelings">Feelings: {_esc(feelings)}</p>')
    parts.append(f'<div class="body">{_body_html(entry)}</div>')
    if isinstance(entry, Reflection) and entry.depth:
        level = next((lv for lv in library.reflect if lv.id == entry.depth), None)
        if level is not None:
            parts.append(f'<p class="depth">Self-rated depth: {_esc(level.label)} '
                         f'<span class="muted">· {_esc(library.reflect_credit)}</span></p>')
    feedback = options.feedback.get(entry.id, "").strip()
    if feedback:
        parts.append(
            '<table class="feedback" width="100%" cellspacing="0" cellpadding="10"><tr><td>'
            '<p class="fb-head">Mentor feedback (excerpt)</p>'
            f'<p class="fb-text">{_esc(excerpt(feedback))}</p></td></tr></table>'
        )
    return f'<div class="page">{"".join(parts)}</div>'


def portfolio_entries(records: Sequence[Record]) -> list[Entry]:
    """The entries and reflections among ``records``, oldest first (the portfolio's order)."""
    return sort_entries(records)


def portfolio_html(entries: Sequence[Entry], options: PortfolioOptions,
                   library: Library) -> list[str]:
    """The pages' HTML: the title page first, then one fragment per entry (each starts a
    new page when laid out)."""
    return [title_page(entries, options, library),
            *(item_html(e, options, library) for e in entries)]


#: What every reflection-round handout says under its text.
HANDOUT_NOTE = (
    "De-identified before printing, for a small-group session (a Balint group, Schwartz Rounds)."
    " Please leave this sheet behind: do not copy it or take it away."
)


def handout_html(title: str, body: str) -> str:
    """One page for a reflection round: the de-identified title and text, no name, no date."""
    return (
        '<p class="kicker">FOR A REFLECTION ROUND</p>'
        f"<h1>{_esc(title or 'Untitled')}</h1>"
        f"{_body_html(Entry(title=title, body=body))}"
        f'<p class="colophon">{_esc(HANDOUT_NOTE)}</p>'
    )
