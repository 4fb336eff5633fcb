"""The shipped support resources load, carry a last-verified date, and filter by country."""

from __future__ import annotations

from datetime import UTC, date

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


def test_severe_pattern_needs_burnout_5_or_repeated_high_stress() -> None:
    from datetime import datetime, timedelta

    from journal_app.core.model import CheckIn
    from journal_app.core.support import severe_pattern

    now = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
    today = now.astimezone().date()

    def at(days_ago: int, **kw: int) -> CheckIn:
        return CheckIn(created=now - timedelta(days=days_ago), **kw)

    assert not severe_pattern([], today)
    assert severe_pattern([at(2, burnout=5)], today)
    assert not severe_pattern([at(9, burnout=5)], today)  # older than a week
    assert not severe_pattern([at(1, stress=9), at(2, stress=10)], today)  # twice is mild
    assert severe_pattern([at(1, stress=9), at(2, stress=10), at(5, stress=9)], today)
    assert not severe_pattern([at(1, stress=8), at(2, stress=8), at(3, stress=8),
                               at(4, burnout=4)], today)
