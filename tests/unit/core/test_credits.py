"""Issue 14: the portfolio credits the frameworks its pages name (the Collaborative's five
competencies, the CARE-7 goals), and only those."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from journal_app.core.interchange.portfolio import PortfolioOptions, portfolio_html
from journal_app.core.practice.prompts import load_library
from journal_app.core.records.model import Entry, Reflection
from journal_app.core.vocabulary import CARE7_CREDIT, COMPETENCY_CREDIT

WHEN = datetime(2026, 3, 14, 9, tzinfo=UTC)


def title_page(*items: Entry) -> str:
    return html.unescape(portfolio_html(list(items), PortfolioOptions(), load_library())[0])


def test_a_reflection_tagged_with_both_credits_both_on_the_title_page() -> None:
    page = title_page(Entry(title="a", created=WHEN),
                      Reflection(title="b", template_id="code", created=WHEN))
    assert COMPETENCY_CREDIT in page and CARE7_CREDIT in page
    assert "Massachusetts Medical Schools' Collaborative" in page and "(2018)" in page


def test_pages_that_name_no_framework_credit_none() -> None:
    page = title_page(Entry(title="a plain entry", created=WHEN))
    assert COMPETENCY_CREDIT not in page and CARE7_CREDIT not in page


def test_the_credit_matches_the_source_the_content_files_name() -> None:
    from journal_app.core.content import content_dir

    toml = (content_dir("prompts") / "assessments.toml").read_text(encoding="utf-8")
    assert "Massachusetts Medical Schools' Collaborative, 2018" in toml
    assert "serious illness" in toml
    assert "shared competencies in serious illness communication (2018)" in COMPETENCY_CREDIT
