"""Per-day totals of a journal's records, kept up to date as records are written: the trends of a
range walk days, not records.

A :class:`DayBook` holds, for each local calendar day (:func:`~.trends.day_of`), the sums and
counts every figure of :func:`~.trends.compute_trends` is made of: the ratings' sums and counts,
the emotions named, the encounters, the coping ratings, the words written, the facets' prompt
signatures, the REFLECT depth ratings, the records of the day. :meth:`DayBook.follow` takes a
record's old and new version (either may be ``None``) and moves the day's totals by the
difference, so an edit, a move to the trash, a restore, an import, a deletion or another
process's write all keep the book right: the journal calls it for every record it holds or
drops (:meth:`journal_app.core.vault.journal.Journal.derived`).

:func:`figures` computes from a book exactly what :func:`~.trends.compute_trends` computes from
the records (the tests compare both on random journals): sums of whole numbers, divided in the
same way, in the same orders. The words of an entry are counted once, when that version of it
is written, and kept sealed (:mod:`journal_app.core.vault.wordcounts`): the book never reads a
text again to take an entry's words away.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from journal_app.core.practice.assessment import for_trends
from journal_app.core.practice.prompts import FACETS, Library
from journal_app.core.practice.trends import (
    REFLECTION_KEY,
    SERIES_FIELDS,
    _depth_figures,
    _emotion_figures,
    _month_text,
    _round,
    count_words,
    in_range,
    mentor_depth_over_time,
    mood_calendar,
    series_json,
    streaks,
    what_helps_from_days,
)
from journal_app.core.records.model import CheckIn, Entry, Record, Reflection

#: A reflection's coping ratings: (strategy, how much it helped), one per rating.
Ratings = tuple[tuple[str, int], ...]
#: Index of each rating's [sum, count] pair in :attr:`Day.values`.
_SLOT = {name: 2 * i for i, name in enumerate(SERIES_FIELDS)}
MOOD_SLOT = _SLOT["mood"]


class Day:
    """The totals of one day's records (entries in the trash and skipped check-ins count only
    where the figures count them)."""

    __slots__ = (
        "all_checkins",
        "checkins",
        "coping",
        "depth",
        "emotions",
        "encounter_records",
        "encounters",
        "entries",
        "facets",
        "linked",
        "reflections",
        "used",
        "values",
        "words",
    )

    def __init__(self) -> None:
        #: Check-ins with an answer; every check-in (a skipped one too, stored before that was
        #: refused); entries not in the trash; their words.
        self.checkins = 0
        self.all_checkins = 0
        self.entries = 0
        self.words = 0
        #: [sum, count] of mood, energy, stress and burnout, one after the other.
        self.values = [0] * (2 * len(SERIES_FIELDS))
        #: Emotion name -> [mentions, summed intensity].
        self.emotions: dict[str, list[int]] = {}
        #: Encounter type -> records (check-ins, entries that follow no check-in).
        self.encounters: dict[str, int] = {}
        #: (check-in id, encounter) of the reflections that follow a check-in: counted only
        #: when that check-in is not among the range's.
        self.linked: dict[tuple[str, str], int] = {}
        #: Records with an encounter (entries that follow a check-in too).
        self.encounter_records = 0
        #: Strategy -> [ratings, summed help]; strategy -> reflections that used it.
        self.coping: dict[str, list[int]] = {}
        self.used: dict[str, int] = {}
        self.reflections = 0
        #: (template id of a reflection or None, answered prompt ids) -> entries.
        self.facets: dict[tuple[str | None, tuple[str, ...]], int] = {}
        #: (timestamp, id) -> depth level id of the reflections rated.
        self.depth: dict[tuple[float, str], str] = {}

    def empty(self) -> bool:
        return not (self.all_checkins or self.entries)


class DayBook:
    """The per-day totals of the records followed (see the module)."""

    def __init__(self, records: Iterable[Record] = (),
                 words: Mapping[str, int] | None = None,
                 coping: Mapping[str, Ratings] | None = None) -> None:
        """The totals of ``records``; ``words``: the words of those entries by id, as counted
        when they were written (:meth:`~journal_app.core.vault.journal.Journal.entry_words`),
        so that no text is read again; an entry missing there is counted from its text.
        ``coping``: the coping ratings of those reflections by id (:func:`ratings_of`), read
        without keeping their answers on the reflections held (:func:`~.journal_trends.
        day_book`); a reflection missing there is read from its answers."""
        self.days: dict[date, Day] = {}
        #: Check-in id -> its day, for the check-ins with an answer.
        self.checkin_days: dict[str, date] = {}
        #: The words of each entry counted (not in the trash): what it takes away when it goes.
        self.words: dict[str, int] = {}
        #: The coping ratings of each reflection counted: what it takes away when it goes
        #: (without its answers, which a reflection held from its list header does not hold).
        self.coping: dict[str, Ratings] = {}
        self._known = words or {}
        self._known_coping = coping or {}
        for record in records:
            self.follow(None, record)
        self._known = {}  # later versions are counted when they are written
        self._known_coping = {}

    def follow(self, old: Record | None, new: Record | None) -> None:
        """``old`` was replaced by ``new`` (``None``: there was none / it is gone)."""
        if old is not None:
            self._count(old, -1)
        if new is not None:
            self._count(new, 1)

    def _count(self, record: Record, sign: int) -> None:
        if isinstance(record, CheckIn):
            self._checkin(record, sign)
        elif isinstance(record, Entry) and record.trashed is None:
            self._entry(record, sign)

    def _day(self, record: Entry | CheckIn) -> tuple[date, Day]:
        day = record.created.date()
        totals = self.days.get(day)
        if totals is None:
            totals = self.days[day] = Day()
        return day, totals

    def _tidy(self, day: date, totals: Day) -> None:
        if totals.empty():
            del self.days[day]

    def _checkin(self, checkin: CheckIn, sign: int) -> None:
        day, totals = self._day(checkin)
        totals.all_checkins += sign
        if not checkin.skipped:
            totals.checkins += sign
            if sign > 0:
                self.checkin_days[checkin.id] = day
            else:
                self.checkin_days.pop(checkin.id, None)
            values = totals.values
            for name, value in (("mood", checkin.mood), ("energy", checkin.energy),
                                ("stress", checkin.stress), ("burnout", checkin.burnout)):
                if value is not None:
                    values[_SLOT[name]] += sign * value
                    values[_SLOT[name] + 1] += sign
            self._emotions(totals, checkin, sign)
            if checkin.encounter is not None:
                _add(totals.encounters, checkin.encounter, sign)
            if checkin.encounter:
                totals.encounter_records += sign
        self._tidy(day, totals)

    def _entry(self, entry: Entry, sign: int) -> None:
        day, totals = self._day(entry)
        totals.entries += sign
        if sign > 0:
            known = self._known.get(entry.id)
            words = self.words[entry.id] = count_words(entry) if known is None else known
        else:
            gone = self.words.pop(entry.id, None)
            words = count_words(entry) if gone is None else gone
        totals.words += sign * words
        values = totals.values
        for name, value in (("mood", entry.mood), ("energy", entry.energy),
                            ("stress", entry.stress)):
            if value is not None:
                values[_SLOT[name]] += sign * value
                values[_SLOT[name] + 1] += sign
        self._emotions(totals, entry, sign)
        if entry.encounter:
            totals.encounter_records += sign
        reflection = entry if isinstance(entry, Reflection) else None
        if entry.encounter is not None:
            if reflection is not None and reflection.checkin_id is not None:
                _add(totals.linked, (reflection.checkin_id, entry.encounter), sign)
            else:
                _add(totals.encounters, entry.encounter, sign)
        if reflection is not None or entry.prompt_ids:
            template = reflection.template_id if reflection is not None else None
            _add(totals.facets, (template, entry.prompt_ids), sign)
        if reflection is not None:
            totals.reflections += sign
            ratings: Ratings | None
            if sign > 0:
                ratings = self._known_coping.get(entry.id)
                if ratings is None:
                    ratings = ratings_of(reflection)
                self.coping[entry.id] = ratings
            else:
                ratings = self.coping.pop(entry.id, None)
                if ratings is None:
                    ratings = ratings_of(reflection)
            for strategy in {strategy for strategy, _helped in ratings}:
                _add(totals.used, strategy, sign)
            for strategy, helped in ratings:
                cell = totals.coping.setdefault(strategy, [0, 0])
                cell[0] += sign
                cell[1] += sign * helped
                if cell[0] == 0:
                    del totals.coping[strategy]
            if reflection.depth is not None:
                key = (reflection.created.timestamp(), reflection.id)
                if sign > 0:
                    totals.depth[key] = reflection.depth
                else:
                    totals.depth.pop(key, None)
        self._tidy(day, totals)

    @staticmethod
    def _emotions(totals: Day, record: Entry | CheckIn, sign: int) -> None:
        for emotion in record.emotions:
            cell = totals.emotions.setdefault(emotion.name, [0, 0])
            cell[0] += sign
            cell[1] += sign * emotion.intensity
            if cell[0] == 0:
                del totals.emotions[emotion.name]

    def in_range(self, start: date | None, end: date | None) -> list[tuple[date, Day]]:
        """The days with records from ``start`` to ``end`` (``None``: open), oldest first."""
        return sorted((d, t) for d, t in self.days.items() if in_range(d, start, end))


def ratings_of(reflection: Reflection) -> Ratings:
    """The coping ratings of ``reflection``'s answers, in order: (strategy, how it helped)."""
    return tuple((r.strategy, r.helped) for a in reflection.answers for r in a.coping)


def _add(counts: dict[Any, int], key: Any, sign: int) -> None:
    """Count ``key`` once more (``sign`` 1) or once less (-1); no key is kept at zero."""
    n = counts.get(key, 0) + sign
    if n:
        counts[key] = n
    else:
        del counts[key]


# ---------------------------------------------------------------------------------- figures


def figures(
    book: DayBook, start: date | None = None, end: date | None = None,
    library: Library | None = None, today: date | None = None,
    assessments: Iterable[Any] = (), mentor_ratings: Iterable[tuple[date, str]] = (),
) -> dict[str, Any]:
    """What :func:`~.trends.compute_trends` returns for the records ``book`` followed, computed
    from the days of the range (same arguments)."""
    if start is not None and end is not None and start > end:
        raise ValueError("the range starts after it ends")
    if library is None:
        from journal_app.core.practice.prompts import load_library

        library = load_library()
    days = book.in_range(start, end)
    series = _series(days)
    as_of = today if today is not None else date.today()
    if end is not None:
        as_of = min(as_of, end)
    used: dict[str, set[date]] = {}
    for day, totals in days:
        if totals.reflections:
            used.setdefault(REFLECTION_KEY, set()).add(day)
        for strategy in totals.used:
            used.setdefault(strategy, set()).add(day)
    return {
        "range": {"from": start.isoformat() if start else None,
                  "to": end.isoformat() if end else None},
        "series": {name: series_json(points) for name, points in series.items()},
        "emotions": _emotions(days),
        "encounters": _encounters(book, days, start, end),
        "coping": _coping(days),
        "what_helps": what_helps_from_days(used, series["mood"], series["stress"]),
        "streaks": {"checkin": streaks((d for d, t in days if t.checkins), as_of),
                    "writing": streaks((d for d, t in days if t.entries), as_of)},
        "calendar": mood_calendar(series["mood"], start, end),
        "words": _words(days),
        "facets": _facets(days, {p.id: p.facet for p in library.prompts},
                          {t.id: t.facets for t in library.templates.values()}),
        "depth": {**_depth(days), "mentor": mentor_depth_over_time(
            r for r in mentor_ratings if in_range(r[0], start, end))},
        "self_assessment": for_trends(assessments, start, end),
    }


def _series(days: Sequence[tuple[date, Day]]) -> dict[str, list[tuple[date, float]]]:
    out: dict[str, list[tuple[date, float]]] = {}
    for name in SERIES_FIELDS:
        slot = _SLOT[name]
        out[name] = [(day, t.values[slot] / t.values[slot + 1]) for day, t in days
                     if t.values[slot + 1]]
    return out


def _emotions(days: Sequence[tuple[date, Day]]) -> dict[str, Any]:
    months: dict[tuple[int, int], dict[str, list[int]]] = {}
    for day, totals in days:
        if not totals.emotions:
            continue
        month = months.setdefault((day.year, day.month), {})
        for name, (n, intensity) in totals.emotions.items():
            cell = month.get(name)
            if cell is None:
                month[name] = [n, intensity]
            else:
                cell[0] += n
                cell[1] += intensity
    return _emotion_figures(months)


def _encounters(book: DayBook, days: Sequence[tuple[date, Day]], start: date | None,
                end: date | None) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    months: dict[tuple[int, int], Counter[str]] = {}
    for day, totals in days:
        month = months.setdefault((day.year, day.month), Counter())
        month.update(totals.encounters)
        for (checkin_id, encounter), n in totals.linked.items():
            followed = book.checkin_days.get(checkin_id)
            if followed is None or not in_range(followed, start, end):
                month[encounter] += n
    for month in months.values():
        counts.update(month)
    return {
        "total": sum(counts.values()),
        "counts": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        "over_time": [{"month": _month_text(m), "counts": dict(sorted(c.items()))}
                      for m, c in sorted(months.items()) if c],
    }


def _coping(days: Sequence[tuple[date, Day]]) -> dict[str, Any]:
    uses: Counter[str] = Counter()
    helped: Counter[str] = Counter()
    for _day, totals in days:
        for strategy, (n, total) in totals.coping.items():
            uses[strategy] += n
            helped[strategy] += total
    rows = [(s, n, helped[s] / n) for s, n in uses.items()]

    def item(row: tuple[str, int, float]) -> dict[str, Any]:
        return {"strategy": row[0], "uses": row[1], "mean_helped": _round(row[2])}

    by_use = [item(r) for r in sorted(rows, key=lambda r: (-r[1], r[0]))]
    by_help = [item(r) for r in sorted(rows, key=lambda r: (-r[2], -r[1], r[0]))]
    return {"total": sum(uses.values()), "by_use": by_use, "by_help": by_help}


def _words(days: Sequence[tuple[date, Day]]) -> dict[str, Any]:
    written = [(day, t.words) for day, t in days if t.entries]
    return {
        "total": sum(w for _, w in written), "entries": sum(t.entries for _, t in days),
        "per_day": [{"date": d.isoformat(), "words": w} for d, w in written],
    }


def _facets(days: Sequence[tuple[date, Day]], facet_of: Mapping[str, str],
            template_facets: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    signatures: Counter[tuple[str | None, tuple[str, ...]]] = Counter()
    for _day, totals in days:
        signatures.update(totals.facets)
    counts: Counter[str] = Counter(dict.fromkeys(FACETS, 0))
    unknown = 0
    for (template, prompt_ids), n in signatures.items():
        found: set[str] = set(template_facets.get(template, ())) if template is not None \
            else set()
        for prompt_id in prompt_ids:
            facet = facet_of.get(prompt_id)
            if facet is None:
                unknown += n
            else:
                found.add(facet)
        for facet in found:
            counts[facet] += n
    return {
        "counts": dict(counts), "covered": sum(1 for f in FACETS if counts[f] > 0),
        "of": len(FACETS), "unknown": unknown,
    }


def _depth(days: Sequence[tuple[date, Day]]) -> dict[str, Any]:
    ratings: list[tuple[date, str]] = []
    for day, totals in days:
        if totals.depth:
            # The order of the records' path: by instant, and the same instant newest id first.
            rated = sorted(totals.depth.items(), key=lambda kv: kv[0][1], reverse=True)
            rated.sort(key=lambda kv: kv[0][0])
            ratings.extend((day, depth) for _key, depth in rated)
    return _depth_figures(ratings)
