"""The trends of a journal: the one set-up shared by the dashboard, ``journal-app trends`` and the
benchmarks (the user's library with their own prompts and templates, the self-assessments, the
mentor's depth ratings and the Settings that change what is shown)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from journal_app.core.practice.custom import library_with_custom
from journal_app.core.practice.prompts import load_library
from journal_app.core.practice.trends import Trends, compute_trends, day_of, in_range
from journal_app.core.records.model import CheckIn, Entry, SelfAssessment
from journal_app.core.sharing.service import mentor_depth_ratings

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal


def journal_trends(journal: Journal, start: date | None = None, end: date | None = None,
                   today: date | None = None) -> Trends:
    """Every figure of ``journal`` (unlocked) from ``start`` to ``end`` (``None``: open), with
    the words to read them; ``today`` as in
    :func:`~journal_app.core.practice.trends.compute_trends`."""
    library = library_with_custom(load_library(), journal)
    entries = journal.entries()
    checkins = journal.checkins()
    figures = compute_trends(entries, checkins, start, end, library=library, today=today,
                             assessments=journal.records(SelfAssessment),
                             mentor_ratings=mentor_depth_ratings(journal))
    records: list[Entry | CheckIn] = [*entries, *checkins]
    return Trends(
        figures=figures,
        coping_labels={c.id: c.label for c in library.coping},
        coping_groups={c.id: c.group for c in library.coping},
        reflect_labels=tuple(level.label for level in library.reflect),
        show_streaks=journal.app_state().show_streaks,
        encounter_days=frozenset(day_of(r) for r in records
                                 if r.encounter and in_range(day_of(r), start, end)),
        days_recorded=len({day_of(r) for r in records}),
    )
