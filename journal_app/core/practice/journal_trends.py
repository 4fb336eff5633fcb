"""The trends of a journal: the one set-up shared by the dashboard, ``journal-app trends`` and the
benchmarks (the user's library with their own prompts and templates, the self-assessments, the
mentor's depth ratings and the Settings that change what is shown).

The figures come from the journal's per-day totals (:class:`~.daybook.DayBook`), built once
after unlocking and kept up to date by the journal as records are written, so a refresh walks
days, not records; they are exactly what :func:`~.trends.compute_trends` makes of the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from journal_app.core.practice import daybook
from journal_app.core.practice.custom import library_with_custom
from journal_app.core.practice.daybook import MOOD_SLOT, DayBook
from journal_app.core.practice.prompts import load_library
from journal_app.core.practice.trends import Trends, in_range
from journal_app.core.records.model import Record, Reflection, SelfAssessment
from journal_app.core.sharing.service import mentor_depth_ratings

if TYPE_CHECKING:
    from journal_app.core.practice.moodyear import MoodYear
    from journal_app.core.vault.journal import Journal


def day_book(journal: Journal) -> DayBook:
    """The journal's per-day totals, kept up to date by the journal (hold the journal while
    reading them: ``with journal.holding()``)."""
    def build(records: Iterable[Record]) -> DayBook:
        return DayBook(records, journal.entry_words(), _coping(journal, records))

    return journal.derived(DayBook, build)


#: Reflections read whole at a time for their coping ratings.
_COPING_BATCH = 500


def _coping(journal: Journal, records: Iterable[Record]) -> dict[str, daybook.Ratings]:
    """The coping ratings of every reflection held, by id, read a few hundred at a time from
    whole copies (:meth:`~journal_app.core.vault.journal.Journal.whole_entries`): a reflection
    held from its list header keeps no answers, and reading them through it would keep them,
    and its text, on it (at 100,000 entries, 5,000 reflections: 30 MB more, read one at a
    time). One whose body does not open is left out, noted as damaged and no longer held, as
    the words' count does (:meth:`~journal_app.core.vault.journal.Journal.entry_words`)."""
    reflections = [r for r in records if isinstance(r, Reflection)]
    out: dict[str, daybook.Ratings] = {}
    for start in range(0, len(reflections), _COPING_BATCH):
        for whole in journal.whole_entries(reflections[start : start + _COPING_BATCH],
                                           skip_damaged=True):
            out[whole.id] = daybook.ratings_of(whole)
    return out


def journal_trends(journal: Journal, start: date | None = None, end: date | None = None,
                   today: date | None = None) -> Trends:
    """Every figure of ``journal`` (unlocked) from ``start`` to ``end`` (``None``: open), with
    the words to read them; ``today`` as in
    :func:`~journal_app.core.practice.trends.compute_trends`."""
    with journal.holding():
        library = library_with_custom(load_library(), journal)
        book = day_book(journal)
        figures = daybook.figures(book, start, end, library=library, today=today,
                                  assessments=journal.records(SelfAssessment),
                                  mentor_ratings=mentor_depth_ratings(journal))
        return Trends(
            figures=figures,
            coping_labels={c.id: c.label for c in library.coping},
            coping_groups={c.id: c.group for c in library.coping},
            reflect_labels=tuple(level.label for level in library.reflect),
            show_streaks=journal.app_state().show_streaks,
            encounter_days=frozenset(day for day, totals in book.days.items()
                                     if totals.encounter_records and in_range(day, start, end)),
            days_recorded=len(book.days),
        )


def journal_mood_year(journal: Journal, today: date) -> MoodYear:
    """:func:`~.moodyear.mood_year` of the journal's entries and check-ins, from its per-day
    totals."""
    from journal_app.core.practice.moodyear import year_of_days  # the app's, not a command's

    with journal.holding():
        book = day_book(journal)

        def of_day(day: date) -> tuple[float | None, int, int]:
            totals = book.days.get(day)
            if totals is None:
                return None, 0, 0
            total, n = totals.values[MOOD_SLOT], totals.values[MOOD_SLOT + 1]
            return (total / n if n else None), totals.all_checkins, totals.entries

        return year_of_days(of_day, today)
