"""The readings of the trends: the plain sentence under each chart, and the figures of the
summary, as data (no Qt).

The dashboard shows :func:`chart_readings` under its charts and :func:`writing_reading` in its
last card; the one-page summary PDF prints the same readings beside the same charts and the rows of
:func:`summary_rows`. A reading only states what the numbers show; a chart without data says so
(``empty``) instead of being drawn empty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from journal_app.core.practice.assessment import reading as assessment_reading
from journal_app.core.practice.prompts import COSTLY_COPING_GROUPS, FACETS
from journal_app.core.practice.trends import (
    SERIES_FIELDS,
    Trends,
    headline_sentence,
    helps_headline,
)
from journal_app.core.vocabulary import (
    FACET_LABELS,
    encounter_words,
    id_words,
    in_sentence,
    plural,
    rating_label,
)

#: A series needs this many days before its chart says anything; a coping strategy this many
#: uses before it is called "rated most helpful".
MIN_POINTS = 3
#: "Stress after a difficult encounter" is said only with this many days on each side.
MIN_ENCOUNTER_DAYS = 5
#: The trends page fills in once check-ins or entries are on this many different days; before
#: that it says what appears after a week instead of showing a page of empty cards.
WEEK_OF_DATA = 7
#: The charts, in the order they are shown, with their titles.
CHART_TITLES = {
    "mood": "Mood and energy",
    "stress": rating_label("stress"),
    "burnout": rating_label("burnout"),
    "calendar": "Mood calendar",
    "emotions": "Emotions named most often",
    "emotions_time": "Emotions over time (mentions a month)",
    "encounters": "Difficult encounters per month",
    "coping": "Coping strategies by rated help (−2 to +2)",
    "facets": "Competency 4: facets you reflected on",
    "depth": "Depth of reflection (REFLECT levels)",
    "competency": "Rotation self-assessment (personal ratings)",
    "wellbeing": "Monthly wellbeing check (personal ratings)",
}
SERIES_EMPTY = "Check in for a few days and this chart will fill in."
#: What a chart without data says instead.
EMPTY_TEXTS = {
    "mood": SERIES_EMPTY,
    "stress": SERIES_EMPTY,
    "burnout": SERIES_EMPTY,
    "calendar": "Rate your mood when you check in.",
    "emotions": "Name an emotion in a check-in or entry.",
    "emotions_time": "Name emotions over at least two months and this chart fills in.",
    "encounters": "No difficult encounters recorded in this range.",
    "coping": "Rate what helped in a guided reflection.",
    "facets": "Answer a prompt or a guided reflection to fill this in.",
    "depth": "Rate the depth at the end of a guided reflection.",
    "competency": "Take the rotation self-assessment (Trends menu) to see how you grow.",
    "wellbeing": "Take the monthly wellbeing check (Trends menu) to see it over time.",
}
#: Each chart of a series card and the series it draws (the first is the one read out).
SERIES_CARDS = {"mood": ("mood", "energy"), "stress": ("stress",), "burnout": ("burnout",)}


@dataclass(frozen=True)
class Reading:
    """One chart's reading: its title, the sentence under it ('' when there is none to say),
    whether it has data to draw, and what it says instead when it has none."""

    key: str
    title: str
    sentence: str
    has_data: bool
    empty: str


def mid_month(month: str) -> date:
    """"2026-03" -> 15 March 2026 (where a month's point is drawn)."""
    return date.fromisoformat(month + "-15")


def coping_words(trends: Trends, strategy: str) -> str:
    """A coping strategy's words ("Talked it over with my team"), not its id."""
    return trends.coping_labels.get(strategy) or id_words(strategy)


def new_journal_note(days: int | None) -> str | None:
    """For a journal with check-ins or entries on fewer than :data:`WEEK_OF_DATA` different
    days: one honest note of what the trends page shows after a week, and what it needs.
    ``None`` once there is a week of data (or when the count is not known)."""
    if days is None or days >= WEEK_OF_DATA:
        return None
    so_far = "none yet" if days == 0 else f"{plural(days, 'day')} so far"
    return (f"Your trends appear after a week: check in or write on {WEEK_OF_DATA} different "
            f"days ({so_far}, {WEEK_OF_DATA - days} to go). Then this page shows your mood, "
            "energy and stress over time, a year of moods one day at a time, the feelings you "
            "name most, your difficult encounters by month and what helped afterwards. Every "
            "figure stays in your journal.")


def anything_to_show(figures: Mapping[str, Any]) -> bool:
    """Whether any chart has something to draw; otherwise the whole dashboard explains what to
    do (each chart also explains itself when only it is empty)."""
    f = figures
    return (any(len(points) >= MIN_POINTS for points in f["series"].values())
            or any(f["self_assessment"][form]["n"] for form in f["self_assessment"])
            or bool(f["depth"]["points"] or f["depth"]["mentor"]["points"])
            or bool(f["emotions"]["total"] or f["encounters"]["total"])
            or bool(f["coping"]["by_help"] or f["facets"]["covered"]))


def series_reading(name: str, points: Sequence[Mapping[str, Any]]) -> str:
    """The reading of one series: its 30-day average from the first full 30 days of the range
    to the end, or its plain average while no 30 days are behind it, or "not enough"."""
    if len(points) < MIN_POINTS:
        return f"Not enough {name} ratings in this range yet."
    # A 30-day mean is only a 30-day mean once 30 days of the range are behind it.
    start = date.fromisoformat(points[0]["date"]) + timedelta(days=29)
    full = [p for p in points if date.fromisoformat(p["date"]) >= start]
    if len(full) >= 2:
        return (f"Your 30-day average {name} went from {_num(full[0]['mean30'])} to "
                f"{_num(full[-1]['mean30'])} over this range ({plural(len(points), 'day')} "
                "rated).")
    mean = sum(p["value"] for p in points) / len(points)
    return (f"Your {name} averaged {_num(mean)} over {plural(len(points), 'rated day')} in this "
            "range.")


def helpful_strategies(trends: Trends) -> list[dict[str, Any]]:
    """The coping strategies (most helpful first) that may be called "rated most helpful":
    a positive rating over at least :data:`MIN_POINTS` uses, and never a costly group."""
    groups = trends.coping_groups
    return [i for i in trends.figures["coping"]["by_help"]
            if i["mean_helped"] > 0 and i["uses"] >= MIN_POINTS
            and groups.get(i["strategy"]) not in COSTLY_COPING_GROUPS]


def chart_readings(trends: Trends) -> tuple[Reading, ...]:
    """The reading of every chart, in the order of :data:`CHART_TITLES`."""
    readers = {
        "mood": _series, "stress": _series, "burnout": _series, "calendar": _calendar,
        "emotions": _emotions, "emotions_time": _emotions_over_time,
        "encounters": _encounters, "coping": _coping, "facets": _facets, "depth": _depth,
        "competency": _assessment, "wellbeing": _assessment,
    }
    out = []
    for key, title in CHART_TITLES.items():
        sentence, has = readers[key](trends, key)
        out.append(Reading(key, title, sentence, has, EMPTY_TEXTS[key]))
    return tuple(out)


def writing_reading(trends: Trends) -> Reading:
    """The last card: words written, and the streaks only when the user turned them on. Its
    sentence is one line per figure."""
    st = trends.figures["streaks"]
    words = trends.figures["words"]
    lines = [f"{plural(words['total'], 'word')} in "
             f"{plural(words['entries'], 'entry', 'entries')} in this range."]
    if trends.show_streaks:  # off unless the user turned it on in Settings
        lines += [f"Check-in streak: {plural(st['checkin']['current'], 'day')} now, "
                  f"longest {plural(st['checkin']['longest'], 'day')}.",
                  f"Writing streak: {plural(st['writing']['current'], 'day')} now, "
                  f"longest {plural(st['writing']['longest'], 'day')}."]
    title = "Streaks and writing" if trends.show_streaks else "Writing"
    return Reading("summary", title, "\n".join(lines), True, "")


# ------------------------------------------------------------------------------ each chart


def _series(trends: Trends, key: str) -> tuple[str, bool]:
    s = trends.figures["series"]
    names = SERIES_CARDS[key]
    has = any(len(s[n]) >= MIN_POINTS for n in names if s[n])
    return series_reading(names[0], s[names[0]]), has


def _calendar(trends: Trends, _key: str) -> tuple[str, bool]:
    cells = trends.figures["calendar"]
    rated = [c["mood"] for c in cells if c["mood"] is not None]
    if not rated:
        return "", False
    low = sum(1 for m in rated if m < 0)
    high = sum(1 for m in rated if m > 0)
    return (f"{len(rated):,} of {plural(len(cells), 'day')} have a mood: {high:,} above zero "
            f"(purple), {low:,} below (orange). Click a day to open it."), True


def _emotions(trends: Trends, _key: str) -> tuple[str, bool]:
    em = trends.figures["emotions"]
    items = em["items"][:10]
    if not items:
        return "", False
    top = items[0]
    return (f"You named {top['name']} most often: {top['count']:,} of "
            f"{plural(em['total'], 'mention')}."), True


def _emotions_over_time(trends: Trends, _key: str) -> tuple[str, bool]:
    em = trends.figures["emotions"]
    months = em["over_time"]
    top = [i["name"] for i in em["items"][:4]]
    if len(months) < 2 or not top:
        return "", False
    peak = max(months, key=lambda m: m["counts"].get(top[0], 0))
    return (f"Your four most named emotions, month by month; {top[0]} was named most in "
            f"{mid_month(peak['month']):%B %Y} "
            f"({plural(peak['counts'].get(top[0], 0), 'time')})."), True


def _encounters(trends: Trends, _key: str) -> tuple[str, bool]:
    enc = trends.figures["encounters"]
    if not enc["over_time"]:
        return "", False
    top = next(iter(enc["counts"]))
    return (f"{plural(enc['total'], 'difficult encounter')} in this range; the most common "
            f"was {encounter_words(top)} ({enc['counts'][top]:,})."
            + stress_after_encounters(trends)), True


def stress_after_encounters(trends: Trends) -> str:
    """" Stress averaged X on days after a difficult encounter and Y on other days." when both
    sides have at least :data:`MIN_ENCOUNTER_DAYS` days, else ''."""
    after: list[float] = []
    other: list[float] = []
    for p in trends.figures["series"]["stress"]:
        day = date.fromisoformat(p["date"])
        (after if day - timedelta(days=1) in trends.encounter_days else other).append(p["value"])
    if len(after) < MIN_ENCOUNTER_DAYS or len(other) < MIN_ENCOUNTER_DAYS:
        return ""
    return (f" Stress averaged {sum(after) / len(after):.1f} on days after a difficult "
            f"encounter and {sum(other) / len(other):.1f} on other days.")


def _coping(trends: Trends, _key: str) -> tuple[str, bool]:
    items = trends.figures["coping"]["by_help"][:10]
    headline = helps_headline(trends.figures["what_helps"], trends.coping_groups)
    # Never "numbed it with alcohol was rated most helpful": costly ways of coping are shown
    # on the chart, honestly rated, but never offered as what helps.
    helpful = [i for i in helpful_strategies(trends) if i in items]
    sentence = ""
    if headline is not None:
        sentence = headline_sentence(headline, coping_words(trends, headline["key"]))
    elif helpful:
        sentence = (f"{coping_words(trends, helpful[0]['strategy'])} was rated most helpful "
                    f"({helpful[0]['mean_helped']:+.1f} on average, "
                    f"{plural(helpful[0]['uses'], 'use')}).")
    return sentence, bool(items)


def _facets(trends: Trends, _key: str) -> tuple[str, bool]:
    facets = trends.figures["facets"]
    counts = facets["counts"]
    if facets["covered"] <= 0:
        return "", False
    keys = [f for f in FACETS if f in counts]
    missing = [FACET_LABELS[k].lower() for k in keys if counts[k] == 0]
    sentence = f"You reflected on {facets['covered']} of {facets['of']} facets"
    sentence += ("; not yet: " + ", ".join(missing[:3])
                 + (" and more" if len(missing) > 3 else "") + "." if missing
                 else ": every one.")
    return sentence, True


def _depth(trends: Trends, _key: str) -> tuple[str, bool]:
    depth = trends.figures["depth"]
    monthly = depth["monthly"]
    mentor = depth["mentor"]
    if not (depth["points"] or mentor["points"]):
        return "", False
    sentence = ""
    n = len(depth["points"])
    if len(monthly) >= 2:
        sentence = (f"Your self-rated depth averaged {monthly[0]['mean']:.1f} in "
                    f"{mid_month(monthly[0]['month']):%B} and {monthly[-1]['mean']:.1f} in "
                    f"{mid_month(monthly[-1]['month']):%B %Y} "
                    f"({plural(n, 'reflection')} rated).")
    elif monthly:
        sentence = (f"{plural(n, 'reflection')} rated, averaging {monthly[0]['mean']:.1f} "
                    "of 4.")
    if mentor["points"]:
        levels = [p["level"] for p in mentor["points"]]
        rated = plural(len(levels), "shared entry", "shared entries")
        sentence += (f" Your mentor rated {rated}, averaging {sum(levels) / len(levels):.1f} "
                     "of 4.")
    return sentence.strip(), True


def _assessment(trends: Trends, form: str) -> tuple[str, bool]:
    data = trends.figures["self_assessment"][form]
    return assessment_reading(data, form), data["n"] > 0


# ------------------------------------------------------------------------------ the summary


def _num(value: float) -> str:
    """One decimal, and a mean that rounds to zero reads "0.0" whatever its sign (a chart
    sentence said "went from -0.0 to 0.2")."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def summary_rows(trends: Trends) -> list[tuple[str, str]]:
    """(label, value) rows of the one-page summary: numbers and names only, never entry text.
    Streaks only when the user turned them on; "what helps" only under the headline rules of
    :func:`journal_app.core.practice.trends.helps_headline`."""
    figures = trends.figures
    rows: list[tuple[str, str]] = []
    for key in SERIES_FIELDS:
        points = figures["series"][key]
        label = rating_label(key)
        if points:
            mean = sum(p["value"] for p in points) / len(points)
            lo = min(p["value"] for p in points)
            hi = max(p["value"] for p in points)
            rows.append((label, f"mean {_num(mean)}, from {lo:g} to {hi:g}, {len(points)} days"))
    st = figures["streaks"]
    if trends.show_streaks:
        rows.append(("Check-in streak", f"{plural(st['checkin']['current'], 'day')} now, "
                                        f"longest {plural(st['checkin']['longest'], 'day')}"))
        rows.append(("Writing streak", f"{plural(st['writing']['current'], 'day')} now, "
                                       f"longest {plural(st['writing']['longest'], 'day')}"))
    words = figures["words"]
    rows.append(("Writing", f"{plural(words['entries'], 'entry', 'entries')}, "
                            f"{plural(words['total'], 'word')}"))
    enc = figures["encounters"]
    if enc["total"]:
        top = ", ".join(f"{encounter_words(k)} {v}" for k, v in list(enc["counts"].items())[:4])
        rows.append(("Difficult encounters", f"{enc['total']:,} ({top})"))
    em = figures["emotions"]["items"][:5]
    if em:
        rows.append(("Emotions named most", ", ".join(f"{i['name']} {i['count']}" for i in em)))
    cop = helpful_strategies(trends)[:2]
    if cop:
        rows.append(("Rated most helpful", ", ".join(
            f"{in_sentence(coping_words(trends, i['strategy']))} {i['mean_helped']:+.1f}"
            for i in cop)))
    headline = helps_headline(figures["what_helps"], trends.coping_groups)
    if headline is not None:
        rows.append(("Mood the day after",
                     headline_sentence(headline, coping_words(trends, headline["key"]))))
    facets = figures["facets"]
    rows.append(("Competency 4 facets", f"{facets['covered']} of {facets['of']} reflected on"))
    depth = figures["depth"]
    if depth["points"]:
        levels = [p["level"] for p in depth["points"]]
        rows.append(("Depth of reflection", f"mean {sum(levels) / len(levels):.1f} of 4, "
                                            f"{len(levels)} rated"))
    for form, label in (("competency", "Self-assessments"), ("wellbeing", "Wellbeing checks")):
        n = figures["self_assessment"][form]["n"]
        if n:
            rows.append((label, f"{n} in this range"))
    return rows
