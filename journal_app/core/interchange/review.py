"""De-identification of the exports meant for other eyes: nothing identifying leaves unreviewed.

The portfolio PDF is made to be handed in, and an HTML page or a Markdown folder can be read by
anyone who gets the file: each passes the same review as a share package before it is written.
Every text the format prints is looked at (the title, the text, the tags and the names of the
feelings of each entry; for the PDF also the excerpt of mentor feedback it prints), with the
user's own list of names, and every finding needs a decision: replaced by its category
("[name]"), by the user's own words, or kept as written.

A JSON export is a full copy of the user's own journal, to move it or keep it: it is not
reviewed (changing it would lose what it is for), and both faces say so.

Without Qt: the command line decides every finding at once (``--redact-all``, ``--keep-all``);
the app shows the review screen for each entry with a finding and hands back the texts.
Either way :func:`apply_texts` turns the decided texts into the records the exporter writes,
so the exporters themselves never see an undecided text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from journal_app.core.deid import Finding, find_identifiers, placeholder, redact
from journal_app.core.errors import UsageError
from journal_app.core.interchange.formats import export_format, export_formats
from journal_app.core.interchange.portfolio import excerpt
from journal_app.core.interchange.selection import sort_entries
from journal_app.core.records.model import MAX_TAG, MAX_TITLE, Emotion, Entry, Record

JSON_NOT_REVIEWED = (
    "A JSON export is a full copy of your own journal, to move or keep it: it is not checked "
    "for identifiers, so never hand it to anyone."
)

Part = Literal["title", "text", "tag", "feeling", "feedback"]


@dataclass(frozen=True)
class TextRef:
    """Which printed text of an export a finding is in: an entry's title, text, one of its
    tags or feelings (by position), or the mentor feedback printed under it."""

    entry_id: str
    part: Part
    index: int = 0

    def label(self) -> str:
        if self.part in ("tag", "feeling"):
            return f"{self.part} {self.index + 1}"
        return "mentor feedback" if self.part == "feedback" else self.part


def is_reviewed(format_name: str) -> bool:
    """Whether an export of ``format_name`` is meant for other eyes (its description says)."""
    return export_format(format_name).reviewed


def reviewed_formats() -> list[str]:
    """The ids of the export formats reviewed for identifiers, in order."""
    return [f.id for f in export_formats() if f.exports is not None and f.exports.reviewed]


def export_texts(records: Sequence[Record], format_name: str,
                 feedback: Mapping[str, str] | None = None) -> list[tuple[TextRef, str]]:
    """Every non-empty text ``format_name`` prints for ``records``, entry by entry (oldest
    first). ``feedback`` maps entry ids to the mentor feedback the PDF prints an excerpt of."""
    spec = export_format(format_name)
    if not spec.reviewed:
        return []
    out: list[tuple[TextRef, str]] = []
    for entry in sort_entries(records):
        parts: list[tuple[TextRef, str]] = [
            (TextRef(entry.id, "title"), entry.title),
            (TextRef(entry.id, "text"), entry.body),
        ]
        # The portfolio PDF prints no tags; every format prints the names of the feelings.
        if spec.prints_tags:
            parts.extend((TextRef(entry.id, "tag", i), t) for i, t in enumerate(entry.tags))
        parts.extend((TextRef(entry.id, "feeling", i), e.name)
                     for i, e in enumerate(entry.emotions))
        if spec.prints_feedback and feedback and feedback.get(entry.id, "").strip():
            parts.append((TextRef(entry.id, "feedback"), excerpt(feedback[entry.id])))
        out.extend((ref, text) for ref, text in parts if text.strip())
    return out


@dataclass
class ExportReview:
    """The findings in an export's texts and the decision on each: a replacement, or ``None``
    to keep the text as written. Nothing is exported while a finding is undecided."""

    texts: list[tuple[TextRef, str]]
    findings: list[tuple[TextRef, Finding]]
    decisions: dict[int, str | None] = field(default_factory=dict)

    def redact_all(self) -> None:
        """Replace every undecided finding with its category ("[name]")."""
        for index, (_ref, finding) in enumerate(self.findings):
            self.decisions.setdefault(index, placeholder(finding.category))

    def keep_all(self) -> None:
        """Keep every undecided finding as written."""
        for index in range(len(self.findings)):
            self.decisions.setdefault(index, None)

    def undecided(self) -> list[int]:
        return [i for i in range(len(self.findings)) if i not in self.decisions]

    def redacted(self) -> int:
        return sum(1 for value in self.decisions.values() if value is not None)

    def results(self) -> dict[TextRef, str]:
        """Each text with the decisions applied.

        Raises:
            UsageError: a finding is not decided yet.
        """
        if self.undecided():
            raise UsageError(f"{len(self.undecided())} possible identifier(s) are not decided "
                             "yet; nothing was written.")
        out: dict[TextRef, str] = {}
        for ref, text in self.texts:
            decisions = [(f, self.decisions[i]) for i, (r, f) in enumerate(self.findings)
                         if r == ref]
            out[ref] = redact(text, decisions) if decisions else text
        return out


def review_export(records: Sequence[Record], format_name: str, names: Iterable[str] = (),
                  feedback: Mapping[str, str] | None = None) -> ExportReview:
    """Run the detectors over every text the export prints (with the user's names)."""
    names = tuple(names)
    texts = export_texts(records, format_name, feedback)
    findings = [(ref, f) for ref, text in texts for f in find_identifiers(text, names)]
    return ExportReview(texts, findings)


def apply_texts(records: Sequence[Record], texts: Mapping[TextRef, str],
                feedback: Mapping[str, str] | None = None
                ) -> tuple[list[Record], dict[str, str]]:
    """The records and the mentor feedback to export, with the reviewed ``texts`` in place of
    the originals (records without a reviewed text are handed back as they are).

    Raises:
        UsageError: a reviewed text cannot be stored in an entry (longer than an entry holds).
    """
    by_entry: dict[str, dict[TextRef, str]] = {}
    for ref, text in texts.items():
        by_entry.setdefault(ref.entry_id, {})[ref] = text
    out: list[Record] = []
    for record in records:
        changed = by_entry.get(record.id) if isinstance(record, Entry) else None
        if not changed:
            out.append(record)
            continue
        assert isinstance(record, Entry)
        # A replacement can be longer than what it replaces: cut to the limits rather than
        # refuse (a cut removes text, it never brings an identifier back).
        title = changed.get(TextRef(record.id, "title"), record.title)[:MAX_TITLE]
        body = changed.get(TextRef(record.id, "text"), record.body)
        tags = [changed.get(TextRef(record.id, "tag", i), t)[:MAX_TAG]
                for i, t in enumerate(record.tags)]
        try:
            emotions = tuple(
                Emotion(changed.get(TextRef(record.id, "feeling", i), e.name)[:MAX_TAG]
                        or "[redacted]", e.intensity)
                for i, e in enumerate(record.emotions))
            kept = tuple(t for t in tags if t.strip())
            if (title, body, kept, emotions) == (record.title, record.body, record.tags,
                                                 record.emotions):
                out.append(record)
            else:
                out.append(replace(record, title=title, body=body, tags=kept,
                                   emotions=emotions))
        except ValueError:
            raise UsageError("A reviewed text cannot be exported as it is (too long?); "
                             "nothing was written.") from None
    new_feedback = dict(feedback or {})
    for ref, text in texts.items():
        if ref.part == "feedback":
            new_feedback[ref.entry_id] = text
    return out, new_feedback


__all__ = [
    "JSON_NOT_REVIEWED",
    "ExportReview",
    "TextRef",
    "apply_texts",
    "export_texts",
    "is_reviewed",
    "review_export",
    "reviewed_formats",
]
