"""The shipped support resources load, carry a last-verified date, and filter by country."""

from __future__ import annotations

from datetime import date

from journal_app.core.support import support_list


def test_support_resources_load_with_dates_and_disclaimer() -> None:
    support = support_list()
    assert "does not diagnose" in support.disclaimer
    assert all(isinstance(r.last_verified, date) for r in support.resources)
    assert {"US", "CA", "GB"} <= set(support.countries())
    us = support.for_country("us")
    assert [r.id for r in us][:1] == ["us-988"] and us[-1].country == "INTL"
    assert any("741741" in r.contact for r in us)
    assert [r.country for r in support.for_country("FR")] == ["INTL"]
