"""Trends over a date range: pure functions over domain objects (no Qt, no vault).

Days. A record belongs to the *local calendar day of its own offset*: ``created.date()`` on the
aware datetime as stored, never converted to another zone. A check-in written at 23:30 in Berlin
belongs to that Berlin day even when read in Tokyo, and a daylight-saving change (the offset of
the records moves from +01:00 to +02:00) neither splits nor merges a day.

Series. Several values on one day (check-ins and entries that carry the rating) average to one
point; days without a value have no point. The rolling means of a point are over *calendar* days:
the mean of the points of the 7 (or 30) calendar days ending that day, counting only the days that
have data (a gap shortens the window's sample; it is not filled in).

Records in the trash are left out. Ranges are inclusive; ``None`` leaves that end open. Means in
the JSON-ready output are rounded to 4 decimals (the functions returning points do not round).
:func:`compute_trends` returns the JSON-ready object of ``journal-app trends --json``.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from journal_app.core.practice.assessment import for_trends
from journal_app.core.practice.prompts import COSTLY_COPING_GROUPS, FACETS, Library
from journal_app.core.records.model import (
    REFLECT_LEVELS,
    CheckIn,
    Entry,
    Reflection,
    SelfAssessment,
)
from journal_app.core.vault.wordcounts import count_words as words_of
from journal_app.core.vocabulary import in_sentence

#: ``what_helps`` makes a claim only when both sides have at least this many days.
MIN_DAYS = 5
#: A strategy is headlined as what helps only with at least this many days of mood on each side
#: and mood higher by at least this much on the days after it.
HEADLINE_MIN_DAYS = 7
HEADLINE_MIN_DIFFERENCE = 1.0
#: Said once, wherever a "what helps" headline is shown.
NOT_PROOF = "A pattern in your own entries, not proof."
#: The rolling windows, in calendar days.
WINDOWS = (7, 30)
SERIES_FIELDS = ("mood", "energy", "stress", "burnout")
#: The key of "wrote a reflection" among the coping strategies of ``what_helps``.
REFLECTION_KEY = "reflection"

Point = tuple[date, float]


@dataclass(frozen=True)
class Trends:
    """The figures of a range (:func:`compute_trends`) and the words to read them with: what the
    dashboard, the summary PDF and ``journal-app trends`` show. Made from a journal by
    :func:`journal_app.core.practice.journal_trends.journal_trends`; read by
    :mod:`journal_app.core.practice.readings`."""

    figures: dict[str, Any]
    #: Coping strategy id -> its words, and -> its group (the user's library).
    coping_labels: Mapping[str, str] = field(default_factory=dict)
    coping_groups: Mapping[str, str] = field(default_factory=dict)
    #: The REFLECT levels 1 to 4 in the words of the rating the user chose from.
    reflect_labels: tuple[str, ...] = ()
    #: Streaks are shown only when the user turned them on (Settings).
    show_streaks: bool = False
    #: The days in the range with a difficult encounter (an entry's or a check-in's).
    encounter_days: frozenset[date] = frozenset()
    #: The different days with a check-in or an entry in the whole journal (not only the
    #: range): under a week, the page says what appears after one. None: not counted.
    days_recorded: int | None = None

    def span(self) -> tuple[date, date] | None:
        """The range when it is closed at both ends (all time: ``None``)."""
        rng = self.figures["range"]
        if rng["from"] is None or rng["to"] is None:
            return None
        return date.fromisoformat(rng["from"]), date.fromisoformat(rng["to"])


def day_of(record: Entry | CheckIn) -> date:
    """The local calendar day of a record, in the offset it was written with."""
    return record.created.date()


def in_range(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def select(
    entries: Iterable[Entry], checkins: Iterable[CheckIn], start: date | None, end: date | None
) -> tuple[list[Entry], list[CheckIn]]:
    """The entries (not in the trash) and check-ins whose day is in the range. A check-in with
    every question skipped (stored before that was refused) counts nowhere."""
    checkins = [c for c in checkins if not c.skipped]
    if start is None and end is None:  # all time: no day to work out
        return [e for e in entries if e.trashed is None], checkins
    chosen = [e for e in entries if e.trashed is None and in_range(day_of(e), start, end)]
    return chosen, [c for c in checkins if in_range(day_of(c), start, end)]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# ------------------------------------------------------------------------------------ series


def daily_series(
    entries: Iterable[Entry], checkins: Iterable[CheckIn], name: str
) -> list[Point]:
    """One point a day with data: the mean of the day's values of ``name`` (mood, energy,
    stress or burnout) over check-ins and entries that carry it, sorted by day."""
    if name not in SERIES_FIELDS:
        raise ValueError(f"unknown series {name!r}")
    return all_series(entries, checkins)[name]


def all_series(entries: Iterable[Entry], checkins: Iterable[CheckIn]) -> dict[str, list[Point]]:
    """:func:`daily_series` of every field of :data:`SERIES_FIELDS`, in one pass."""
    sums: dict[str, dict[date, list[float]]] = {name: {} for name in SERIES_FIELDS}
    mood, energy, stress, burnout = (sums[name] for name in SERIES_FIELDS)
    # The hot loop of the dashboard (tens of thousands of records): written out, no calls.
    for checkin in checkins:
        day = checkin.created.date()
        for acc, value in ((mood, checkin.mood), (energy, checkin.energy),
                           (stress, checkin.stress), (burnout, checkin.burnout)):
            if value is not None:
                cell = acc.get(day)
                if cell is None:
                    acc[day] = [value, 1]
                else:
                    cell[0] += value
                    cell[1] += 1
    for entry in entries:  # entries carry no burnout rating
        if entry.mood is None and entry.energy is None and entry.stress is None:
            continue
        day = entry.created.date()
        for acc, value in ((mood, entry.mood), (energy, entry.energy), (stress, entry.stress)):
            if value is not None:
                cell = acc.get(day)
                if cell is None:
                    acc[day] = [value, 1]
                else:
                    cell[0] += value
                    cell[1] += 1
    return {
        name: [(day, cell[0] / cell[1]) for day, cell in sorted(acc.items())]
        for name, acc in sums.items()
    }


def rolling_means(points: Sequence[Point], window: int) -> list[float]:
    """For each point (sorted by day, one a day), the mean of the points of the ``window``
    calendar days ending on its day (days without data are not counted)."""
    if window < 1:
        raise ValueError("the window is at least one day")
    days = [day.toordinal() for day, _ in points]
    values = [value for _, value in points]
    out: list[float] = []
    append = out.append
    total = 0.0
    first = 0
    lows: deque[int] = deque()  # indices of the window, values increasing: lows[0] is the min
    highs: deque[int] = deque()  # values decreasing: highs[0] is the max
    for i, value in enumerate(values):
        total += value
        while lows and values[lows[-1]] >= value:
            lows.pop()
        lows.append(i)
        while highs and values[highs[-1]] <= value:
            highs.pop()
        highs.append(i)
        oldest = days[i] - window + 1
        while days[first] < oldest:
            total -= values[first]
            first += 1
        if lows[0] < first:
            while lows[0] < first:
                lows.popleft()
        if highs[0] < first:
            while highs[0] < first:
                highs.popleft()
        # A running sum drifts by a few ulps; the clamp keeps every mean inside its inputs.
        mean = total / (i + 1 - first)
        lo = values[lows[0]]
        hi = values[highs[0]]
        append(lo if mean < lo else hi if mean > hi else mean)
    return out


def series_json(points: Sequence[Point]) -> list[dict[str, Any]]:
    """``[{date, value, mean7, mean30}]`` for one series."""
    mean7 = rolling_means(points, 7)
    mean30 = rolling_means(points, 30)
    return [
        {"date": _iso(day), "value": round(value, 4), "mean7": round(m7, 4),
         "mean30": round(m30, 4)}
        for (day, value), m7, m30 in zip(points, mean7, mean30, strict=True)
    ]


@functools.lru_cache(maxsize=8192)
def _iso(day: date) -> str:
    return day.isoformat()


# ---------------------------------------------------------------------------------- emotions


def _month(day: date) -> tuple[int, int]:
    return day.year, day.month


def _month_text(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def emotion_stats(entries: Iterable[Entry], checkins: Iterable[CheckIn]) -> dict[str, Any]:
    """Emotions named on entries and check-ins (each record's list; a reflection's own list, not
    its step answers, which repeat it): by frequency, with mean intensity, and per month.

    ``{"total": mentions, "items": [{name, count, mean_intensity}] (most frequent first),
    "over_time": [{"month": "YYYY-MM", "counts": {name: n}}]}``
    """
    # One plain dict update per mention (this runs over every record the dashboard shows):
    # (year, month) -> name -> [mentions, summed intensity].
    months: dict[tuple[int, int], dict[str, list[int]]] = {}
    groups: list[Iterable[Entry | CheckIn]] = [entries, checkins]
    for group in groups:
        for record in group:
            emotions = record.emotions
            if not emotions:
                continue
            created = record.created
            key = (created.year, created.month)
            month = months.get(key)
            if month is None:
                month = months[key] = {}
            for emotion in emotions:
                cell = month.get(emotion.name)
                if cell is None:
                    month[emotion.name] = [1, emotion.intensity]
                else:
                    cell[0] += 1
                    cell[1] += emotion.intensity
    return _emotion_figures(months)


def _emotion_figures(months: dict[tuple[int, int], dict[str, list[int]]]) -> dict[str, Any]:
    """The emotion figures from each month's [count, intensity sum] per emotion name (the
    records' walk above, or the per-day totals of :mod:`.daybook`)."""
    counts: Counter[str] = Counter()
    intensity: Counter[str] = Counter()
    for month in months.values():
        for name, (n, total) in month.items():
            counts[name] += n
            intensity[name] += total
    items = [
        {"name": name, "count": n, "mean_intensity": _round(intensity[name] / n)}
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return {
        "total": sum(counts.values()),
        "items": items,
        "over_time": [{"month": _month_text(m), "counts": {k: c[k][0] for k in sorted(c)}}
                      for m, c in sorted(months.items())],
    }


def encounter_counts(entries: Iterable[Entry], checkins: Iterable[CheckIn]) -> dict[str, Any]:
    """Difficult encounters by type, overall and per month. A check-in counts its encounter; an
    entry counts its own unless it is a reflection following a check-in among ``checkins`` (the
    same encounter, counted once).

    ``{"total": n, "counts": {type: n}, "over_time": [{"month", "counts"}]}``
    """
    checkins = list(checkins)
    ids = {c.id for c in checkins}
    counts: Counter[str] = Counter()
    months: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    records: list[Entry | CheckIn] = list(checkins)
    for entry in entries:
        if isinstance(entry, Reflection) and entry.checkin_id in ids:
            continue
        records.append(entry)
    for record in records:
        if record.encounter is None:
            continue
        counts[record.encounter] += 1
        months[_month(day_of(record))][record.encounter] += 1
    return {
        "total": sum(counts.values()),
        "counts": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        "over_time": [{"month": _month_text(m), "counts": dict(sorted(c.items()))}
                      for m, c in sorted(months.items())],
    }


# ------------------------------------------------------------------------------------ coping


def _reflections(entries: Iterable[Entry]) -> list[Reflection]:
    return [e for e in entries if isinstance(e, Reflection)]


def coping_stats(entries: Iterable[Entry]) -> dict[str, Any]:
    """Coping strategies rated in reflections: uses and mean rated help (-2..+2).

    ``{"total": ratings, "by_use": [{strategy, uses, mean_helped}], "by_help": same items,
    most helpful first}``
    """
    uses: Counter[str] = Counter()
    helped: Counter[str] = Counter()
    for reflection in _reflections(entries):
        for answer in reflection.answers:
            for rating in answer.coping:
                uses[rating.strategy] += 1
                helped[rating.strategy] += rating.helped
    rows = [(s, n, helped[s] / n) for s, n in uses.items()]

    def item(row: tuple[str, int, float]) -> dict[str, Any]:
        return {"strategy": row[0], "uses": row[1], "mean_helped": _round(row[2])}

    by_use = [item(r) for r in sorted(rows, key=lambda r: (-r[1], r[0]))]
    by_help = [item(r) for r in sorted(rows, key=lambda r: (-r[2], -r[1], r[0]))]
    return {"total": sum(uses.values()), "by_use": by_use, "by_help": by_help}


def what_helps(
    entries: Sequence[Entry], mood: Sequence[Point], stress: Sequence[Point],
    min_days: int = MIN_DAYS,
) -> list[dict[str, Any]]:
    """Mood and stress on the day after a coping strategy was used (or a reflection written) vs
    the other days with data.

    Days with data are the days with a mood or a stress point. For each strategy (and
    ``"reflection"``), "with" days are data days whose previous calendar day had a use; the
    others are "without". ``n_with``/``n_without`` count days; the means are ``None`` unless both
    sides have at least ``min_days`` days (``enough_data``). Most used first.
    """
    used: dict[str, set[date]] = defaultdict(set)
    for reflection in _reflections(entries):
        day = day_of(reflection)
        used[REFLECTION_KEY].add(day)
        for answer in reflection.answers:
            for rating in answer.coping:
                used[rating.strategy].add(day)
    return what_helps_from_days(used, mood, stress, min_days)


def what_helps_from_days(
    used: Mapping[str, set[date]], mood: Sequence[Point], stress: Sequence[Point],
    min_days: int = MIN_DAYS,
) -> list[dict[str, Any]]:
    """:func:`what_helps` from the days each strategy (and ``"reflection"``) was used on."""
    mood_by_day = dict(mood)
    stress_by_day = dict(stress)
    data_days = sorted(mood_by_day.keys() | stress_by_day.keys())
    data = set(data_days)
    # Sums over every data day; a strategy's "without" side is the total minus its "with" side,
    # so each strategy costs only its own days (the dashboard has dozens of strategies).
    totals = {"mood": (math.fsum(mood_by_day.values()), len(mood_by_day)),
              "stress": (math.fsum(stress_by_day.values()), len(stress_by_day))}
    out = []
    order = sorted(used, key=lambda k: (k != REFLECTION_KEY, -len(used[k]), k))
    one_day = timedelta(days=1)
    for key in order:
        days = used[key]
        with_days = [d for d in (u + one_day for u in days) if d in data]
        n_without = len(data_days) - len(with_days)
        enough = len(with_days) >= min_days and n_without >= min_days
        sides: dict[str, dict[str, float | None]] = {
            "with": {"mood": None, "stress": None}, "without": {"mood": None, "stress": None}}
        mood_with = sum(1 for d in with_days if d in mood_by_day)
        if enough:
            for name, by_day in (("mood", mood_by_day), ("stress", stress_by_day)):
                values = [by_day[d] for d in with_days if d in by_day]
                total, count = totals[name]
                with_sum = math.fsum(values)
                sides["with"][name] = _round(with_sum / len(values)) if values else None
                rest = count - len(values)
                sides["without"][name] = _round((total - with_sum) / rest) if rest else None
        out.append({
            "key": key, "days_used": len(days), "n_with": len(with_days),
            "n_without": n_without, "enough_data": enough,
            "with": sides["with"], "without": sides["without"],
            "mood_days": {"with": mood_with, "without": len(mood_by_day) - mood_with},
        })
    return out


def helps_headline(
    helps: Sequence[Mapping[str, Any]], group_of: Mapping[str, str],
    min_days: int = HEADLINE_MIN_DAYS, min_difference: float = HEADLINE_MIN_DIFFERENCE,
) -> Mapping[str, Any] | None:
    """The one item of :func:`what_helps` that a page may headline, or ``None``.

    Only a coping strategy of the user's library (never "wrote a reflection", never a strategy
    of a costly group: avoidance, rumination), with at least ``min_days`` days of mood on each
    side, and mood on the days after higher by at least ``min_difference``; of those, the
    largest difference. A reflection's own figures are a different question (writing is not
    coping), and a costly strategy that seems to lift the next day's mood is not advice.
    """
    best: Mapping[str, Any] | None = None
    best_gap = 0.0
    for item in helps:
        group = group_of.get(item["key"])
        if item["key"] == REFLECTION_KEY or group is None or group in COSTLY_COPING_GROUPS:
            continue
        days = item.get("mood_days", {})
        after, other = item["with"]["mood"], item["without"]["mood"]
        if (after is None or other is None or days.get("with", 0) < min_days
                or days.get("without", 0) < min_days):
            continue
        gap = after - other
        if gap >= min_difference and (best is None or gap > best_gap):
            best, best_gap = item, gap
    return best


def headline_sentence(item: Mapping[str, Any], label: str) -> str:
    """The plain sentence for :func:`helps_headline`'s item, ``label`` the strategy's words."""
    days = item["mood_days"]
    what = in_sentence(label)
    return (f"On days after you {what}, your mood averaged {_one(item['with']['mood'])} "
            f"({_days(days['with'])}), and {_one(item['without']['mood'])} on other days "
            f"({_days(days['without'])}). {NOT_PROOF}")


def _one(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


# ------------------------------------------------------------------------------------ streaks


def streaks(days: Iterable[date], as_of: date) -> dict[str, int]:
    """The longest run of consecutive days in ``days`` (up to ``as_of``), and the current run:
    the one ending on ``as_of``, or on the day before (today's check-in may still come)."""
    unique = sorted({d for d in days if d <= as_of})
    longest = run = 0
    previous: date | None = None
    for day in unique:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and (as_of - previous).days <= 1 else 0
    return {"current": current, "longest": longest}


# ----------------------------------------------------------------------------------- calendar


def mood_calendar(
    mood: Sequence[Point], start: date | None = None, end: date | None = None
) -> list[dict[str, Any]]:
    """One cell a day from ``start`` to ``end`` (or the first/last day with mood when open):
    ``{date, mood}`` with the day's mean mood or ``None``."""
    by_day = dict(mood)
    first = start if start is not None else (mood[0][0] if mood else None)
    last = end if end is not None else (mood[-1][0] if mood else None)
    if first is None or last is None or first > last:
        return []
    cells = []
    for ordinal in range(first.toordinal(), last.toordinal() + 1):  # no day after date.max
        day = date.fromordinal(ordinal)
        cells.append({"date": day.isoformat(), "mood": _round(by_day.get(day))})
    return cells


def checkin_notes(checkins: Iterable[CheckIn], start: date | None = None,
                  end: date | None = None) -> dict[str, list[str]]:
    """The notes of the check-ins of each day in the range (ISO day -> notes, oldest first):
    what the calendar shows beside a day's mood. Never part of the figures (the summary and
    ``trends --json`` hold numbers and names only)."""
    notes: dict[str, list[str]] = {}
    for checkin in sorted(checkins, key=lambda c: c.created):
        day = day_of(checkin)
        if checkin.note.strip() and in_range(day, start, end):
            notes.setdefault(day.isoformat(), []).append(checkin.note.strip())
    return notes


# ------------------------------------------------------------------------------------- words


#: Word counts by (id, hash of title, hash of text): a str caches its own hash, so looking an
#: unchanged entry up is cheap, while splitting 10,000 texts each time the dashboard is drawn
#: is not. Only numbers are kept; bounded.
_WORDS: dict[tuple[str, int, int], int] = {}


def count_words(entry: Entry) -> int:
    """Words of the title and the text (white-space separated): the rule of the counts the
    journal keeps sealed (:func:`journal_app.core.vault.wordcounts.count_words`)."""
    key = (entry.id, hash(entry.title), hash(entry.body))
    n = _WORDS.get(key)
    if n is None:
        if len(_WORDS) > 200_000:
            _WORDS.clear()
        n = _WORDS[key] = words_of(entry)
    return n


def words_written(entries: Iterable[Entry]) -> dict[str, Any]:
    """``{"total": words, "entries": n, "per_day": [{date, words}]}`` (days with entries)."""
    per_day: Counter[date] = Counter()
    n = 0
    for entry in entries:
        per_day[entry.created.date()] += count_words(entry)
        n += 1
    return {
        "total": sum(per_day.values()), "entries": n,
        "per_day": [{"date": d.isoformat(), "words": w} for d, w in sorted(per_day.items())],
    }


# ------------------------------------------------------------------------- facets and depth


def facet_coverage(
    entries: Iterable[Entry], facet_of: Mapping[str, str],
    template_facets: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Competency-4 facets reflected on: those of the prompts each entry answered (its
    ``prompt_ids``) and, for a guided reflection, those of its template (as the portfolio
    counts them). Each facet counts once per entry.

    ``{"counts": {facet: entries} (every facet, 0 included), "covered": facets with n > 0,
    "of": number of facets, "unknown": prompt ids not in ``facet_of``}``. A custom prompt's own
    facet name outside :data:`FACETS` is counted under that name.
    """
    counts: Counter[str] = Counter(dict.fromkeys(FACETS, 0))
    by_template = template_facets or {}
    unknown = 0
    for entry in entries:
        found: set[str] = set()
        if isinstance(entry, Reflection):
            found.update(by_template.get(entry.template_id, ()))
        for prompt_id in entry.prompt_ids:
            facet = facet_of.get(prompt_id)
            if facet is None:
                unknown += 1
            else:
                found.add(facet)
        for facet in found:
            counts[facet] += 1
    return {
        "counts": dict(counts), "covered": sum(1 for f in FACETS if counts[f] > 0),
        "of": len(FACETS), "unknown": unknown,
    }


def depth_over_time(entries: Iterable[Entry]) -> dict[str, Any]:
    """Self-rated REFLECT depth of reflections: level 1 (habitual action) .. 4 (critical
    reflection).

    ``{"counts": {level id: n}, "points": [{date, depth, level}], "monthly": [{month, mean, n}]}``
    """
    points = sorted(
        ((day_of(r), r.created, r.depth) for r in _reflections(entries) if r.depth is not None),
        key=lambda p: (p[0], p[1]),
    )
    return _depth_figures((day, depth) for day, _, depth in points)


def mentor_depth_over_time(ratings: Iterable[tuple[date, str]]) -> dict[str, Any]:
    """The REFLECT depth a mentor gave shared entries, in the shape of
    :func:`depth_over_time`. ``ratings`` are ``(day of the rated entry, level id)``: a rating
    sits on the day of the entry it rates, beside the student's own rating of that entry."""
    return _depth_figures(sorted(r for r in ratings if r[1] in REFLECT_LEVELS))


def _depth_figures(ratings: Iterable[tuple[date, str]]) -> dict[str, Any]:
    """Counts by level, the points and the monthly means of ``(day, level id)`` in order."""
    counts = Counter(dict.fromkeys(REFLECT_LEVELS, 0))
    months: dict[tuple[int, int], list[int]] = defaultdict(list)
    out_points = []
    for day, depth in ratings:
        level = REFLECT_LEVELS.index(depth) + 1
        counts[depth] += 1
        months[_month(day)].append(level)
        out_points.append({"date": day.isoformat(), "depth": depth, "level": level})
    return {
        "counts": dict(counts), "points": out_points,
        "monthly": [{"month": _month_text(m), "mean": _round(sum(v) / len(v)), "n": len(v)}
                    for m, v in sorted(months.items())],
    }


# ------------------------------------------------------------------------------------ all


def compute_trends(
    entries: Iterable[Entry], checkins: Iterable[CheckIn], start: date | None = None,
    end: date | None = None, library: Library | None = None, today: date | None = None,
    assessments: Iterable[SelfAssessment] = (),
    mentor_ratings: Iterable[tuple[date, str]] = (),
) -> dict[str, Any]:
    """Every figure for the range, as the JSON-ready object of ``journal-app trends --json``.

    ``library`` maps answered prompts to facets (the shipped library when ``None``); ``today``
    is the day streaks are current on (the range's end if earlier; today's date when ``None``);
    ``assessments``: the periodic self-assessments, charted under ``self_assessment``;
    ``mentor_ratings`` (see :func:`mentor_depth_over_time`) become ``depth["mentor"]``.
    """
    if start is not None and end is not None and start > end:
        raise ValueError("the range starts after it ends")
    chosen, picked = select(entries, checkins, start, end)
    if library is None:
        from journal_app.core.practice.prompts import load_library

        library = load_library()
    facet_of = {p.id: p.facet for p in library.prompts}
    series = all_series(chosen, picked)
    as_of = today if today is not None else date.today()
    if end is not None:
        as_of = min(as_of, end)
    return {
        "range": {"from": start.isoformat() if start else None,
                  "to": end.isoformat() if end else None},
        "series": {name: series_json(points) for name, points in series.items()},
        "emotions": emotion_stats(chosen, picked),
        "encounters": encounter_counts(chosen, picked),
        "coping": coping_stats(chosen),
        "what_helps": what_helps(chosen, series["mood"], series["stress"]),
        "streaks": {"checkin": streaks((day_of(c) for c in picked), as_of),
                    "writing": streaks((day_of(e) for e in chosen), as_of)},
        "calendar": mood_calendar(series["mood"], start, end),
        "words": words_written(chosen),
        "facets": facet_coverage(chosen, facet_of,
                                 {t.id: t.facets for t in library.templates.values()}),
        "depth": {**depth_over_time(chosen), "mentor": mentor_depth_over_time(
            r for r in mentor_ratings if in_range(r[0], start, end))},
        "self_assessment": for_trends(assessments, start, end),
    }
