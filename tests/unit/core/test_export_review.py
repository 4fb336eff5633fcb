"""The de-identification review of exports meant for other eyes (journal_app/core/export_review)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from journal_app.core.errors import UsageError
from journal_app.core.interchange import HtmlExporter, MarkdownFolderExporter
from journal_app.core.interchange.portfolio import PortfolioOptions, portfolio_html
from journal_app.core.interchange.review import (
    TextRef,
    apply_texts,
    export_texts,
    is_reviewed,
    review_export,
    reviewed_formats,
)
from journal_app.core.practice.prompts import load_library
from journal_app.core.records.model import Attachment, Emotion, Entry, Reflection, new_id

BODY = ("Mrs Alvarez (MRN 4471823, DOB 03/14/1951) asked me to call her son on 617-555-0134. "
        "She lives in Springfield 01103.")
IDENTIFIERS = ("Alvarez", "4471823", "03/14/1951", "617-555-0134", "01103", "Springfield")
WHEN = datetime(2026, 3, 14, 18, 30, tzinfo=UTC)


def visit() -> Entry:
    return Entry(title="Visit to Mrs Alvarez", body=BODY, tags=["alvarez family", "home"],
                 emotions=[Emotion("sad", 4)], created=WHEN, updated=WHEN)


def plain() -> Entry:
    return Entry(title="Teaching round", body="Good questions about sepsis.",
                 created=WHEN, updated=WHEN)


def test_json_is_not_reviewed() -> None:
    assert reviewed_formats() == ["pdf", "html", "markdown"]
    assert not is_reviewed("json")
    assert export_texts([visit()], "json") == []
    assert review_export([visit()], "json").findings == []


def test_each_format_reviews_what_it_prints() -> None:
    entry = visit()
    feedback = {entry.id: "Ada Mentor: talk to Mr Okafor's daughter again."}
    html = [ref for ref, _t in export_texts([entry], "html", feedback)]
    assert html == [TextRef(entry.id, "title"), TextRef(entry.id, "text"),
                    TextRef(entry.id, "tag", 0), TextRef(entry.id, "tag", 1),
                    TextRef(entry.id, "feeling", 0)]
    assert [ref for ref, _t in export_texts([entry], "markdown", feedback)] == html
    # The PDF prints no tags, but the mentor feedback excerpt under the entry.
    pdf = dict(export_texts([entry], "pdf", feedback))
    assert TextRef(entry.id, "tag", 0) not in pdf
    assert pdf[TextRef(entry.id, "feedback")] == feedback[entry.id]


def test_findings_must_be_decided() -> None:
    review = review_export([visit(), plain()], "html", names=["home"])
    found = {f.text for _r, f in review.findings}
    assert set(IDENTIFIERS) <= found
    assert "home" in found  # the user's own names are names, in tags too
    with pytest.raises(UsageError):
        review.results()
    review.decisions[0] = "a patient"  # changed by hand; the rest redacted
    review.redact_all()
    texts = review.results()
    assert review.redacted() == len(review.findings)
    joined = " ".join(texts.values())
    for identifier in IDENTIFIERS:
        assert identifier not in joined
    assert "[record]" in joined and "[zip]" in joined and "a patient" in joined


def test_keep_all_keeps_the_text() -> None:
    review = review_export([visit()], "markdown")
    review.keep_all()
    assert review.redacted() == 0
    assert review.results() == dict(review.texts)


def test_applied_texts_reach_every_format(tmp_path: Path) -> None:
    entry, other = visit(), plain()
    attachment = Attachment(entry_id=entry.id, media_type="image/png", data_id=new_id(),
                            name="x.png", size=1, sha256="0" * 64)
    records = [entry, other, attachment]
    review = review_export(records, "html", names=["alvarez family"])
    review.redact_all()
    out, _fb = apply_texts(records, review.results())
    assert out[1] is other and out[2] is attachment  # nothing to change: handed back as is
    assert isinstance(out[0], Entry) and out[0].id == entry.id
    assert entry.body == BODY  # the journal's own records are never changed
    HtmlExporter().write(out, tmp_path / "page.html")
    MarkdownFolderExporter().write(out, tmp_path / "md")
    written = (tmp_path / "page.html").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "md").iterdir())
    for identifier in (*IDENTIFIERS, "alvarez"):
        assert identifier not in written
    assert "Good questions about sepsis." in written


def test_pdf_pages_after_redaction_hold_no_identifier() -> None:
    entry = Reflection(title="Family meeting with Mr Okafor", template_id="free",
                       body="## What happened?\n\n" + BODY, created=WHEN, updated=WHEN)
    feedback = {entry.id: "Ada Mentor: please call 617-555-0199 about it."}
    review = review_export([entry], "pdf", feedback=feedback)
    review.redact_all()
    out, new_feedback = apply_texts([entry], review.results(), feedback)
    pages = portfolio_html(out, PortfolioOptions(name="Sam", feedback=new_feedback),
                           load_library())
    html = "".join(pages)
    for identifier in (*IDENTIFIERS, "Okafor", "617-555-0199"):
        assert identifier not in html
    assert "Family meeting with Mr [name]" in html and "[phone]" in html


def test_a_redaction_longer_than_a_title_is_cut() -> None:
    entry = Entry(title="Al " * 333, body="x", created=WHEN, updated=WHEN)
    review = review_export([entry], "html", names=["Al"])
    review.redact_all()
    (out,), _fb = apply_texts([entry], review.results())
    assert isinstance(out, Entry) and len(out.title) <= 1000 and "Al " not in out.title
