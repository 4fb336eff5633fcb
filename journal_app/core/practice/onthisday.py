"""On this day: entries written on the same date in earlier years (no Qt).

Off unless the user turns it on (``AppState.on_this_day``), and even then never an entry about a
death or another heavy encounter unless the user also asks for those
(``AppState.on_this_day_heavy``): a grief journal must not hand back last year's worst night
unasked.

Which encounters are heavy is derived from the encounter types' own data, not listed here again:
the encounters after which only gentle prompts are offered (:data:`DEATHS`), and those whose
reflection leaves out the depth rating because it is too soon to ask (``rate_depth = false`` on
the template :meth:`Library.template_for` gives them). With the shipped templates that is a
patient's death, a patient's suicide or violent death, the death of a child, a code, and a death
in one's own life. An entry is heavy when it names such an encounter, follows a check-in that did
(a reflection's check-in, a follow-up's link), is a reflection on a template written for one
(After a patient's death, After a code, Grief you carry, or one's own for such an encounter), or
answers a prompt written only for such encounters.

The day: the local date each entry was written on (as the trends count days). On 28 February of
a year without a 29th, entries of 29 February come back too, so a leap day's entries are not
away for three years out of four.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from journal_app.core.practice.prompts import DEATHS, Library
from journal_app.core.practice.trends import day_of
from journal_app.core.records.model import ENCOUNTER_TYPES, CheckIn, Entry, Reflection


def heavy_encounters(library: Library) -> frozenset[str]:
    """The heavy encounter types (see the module), from the encounter types' data."""
    too_soon = {e for e in ENCOUNTER_TYPES if not library.template_for(e).rate_depth}
    return frozenset(DEATHS | too_soon)


@dataclass(frozen=True)
class Heaviness:
    """What makes an entry heavy, worked out once from the library and the check-ins."""

    encounters: frozenset[str]
    templates: frozenset[str]
    prompts: frozenset[str]
    checkins: frozenset[str]

    @classmethod
    def of(cls, library: Library, checkins: Iterable[CheckIn]) -> Heaviness:
        heavy = heavy_encounters(library)
        templates = frozenset(t.id for t in library.templates.values()
                              if heavy.intersection(t.encounters))
        prompts = frozenset(p.id for p in library.prompts
                            if "any" not in p.encounters and set(p.encounters) <= heavy)
        return cls(heavy, templates, prompts,
                   frozenset(c.id for c in checkins if c.encounter in heavy))

    def is_heavy(self, entry: Entry) -> bool:
        if entry.encounter in self.encounters:
            return True
        if self.checkins.intersection(entry.links) or self.prompts.intersection(entry.prompt_ids):
            return True
        return isinstance(entry, Reflection) and (entry.template_id in self.templates
                                                  or entry.checkin_id in self.checkins)


@dataclass(frozen=True)
class Memory:
    """An entry from this day in an earlier year."""

    entry: Entry
    years_ago: int

    def when(self) -> str:
        """"A year ago", "3 years ago"."""
        return "A year ago" if self.years_ago == 1 else f"{self.years_ago} years ago"


def same_day(day: date, today: date) -> bool:
    """Whether ``day`` falls on ``today``'s date in an earlier year (29 February on the 28th
    of a year without one)."""
    if day.year >= today.year:
        return False
    if (day.month, day.day) == (today.month, today.day):
        return True
    return ((day.month, day.day) == (2, 29) and (today.month, today.day) == (2, 28)
            and not calendar.isleap(today.year))


def on_this_day(entries: Iterable[Entry], today: date, heaviness: Heaviness,
                include_heavy: bool = False) -> list[Memory]:
    """The entries of ``today``'s date in earlier years, the most recent year first (in a year,
    in the order written), never from the trash, and without the heavy ones unless
    ``include_heavy``."""
    found = [Memory(e, today.year - day_of(e).year) for e in entries
             if e.trashed is None and same_day(day_of(e), today)
             and (include_heavy or not heaviness.is_heavy(e))]
    found.sort(key=lambda m: (m.years_ago, m.entry.created))
    return found
