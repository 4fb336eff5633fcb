"""The charts of the trends, drawn from :class:`~journal_app.core.practice.trends.Trends`: one
function
for the dashboard and the summary PDF (which draws them again in the light palette). What each
chart says in words is :func:`journal_app.core.practice.readings.chart_readings`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from journal_app.core.practice import (
    CHART_TITLES,
    FACETS,
    SERIES_CARDS,
    Trends,
    coping_words,
    mid_month,
)
from journal_app.core.practice import forms as assessment_forms
from journal_app.core.vocabulary import FACET_LABELS, encounter_words, plural
from journal_app.ui.theme import Colors
from journal_app.ui.trends import charts

#: Charts whose points open that day when clicked.
CLICKABLE = frozenset({"mood", "stress", "burnout", "calendar"})
#: Charts whose x axis is not dates.
NOT_DATES = frozenset({"emotions", "coping", "facets"})
#: Each series card on its own axis: burnout (1 to 5) drawn on stress's 0 to 10 would look half
#: as bad as it is.
SERIES_RANGES: dict[str, tuple[float, float]] = {"mood": (-5, 5), "stress": (0, 10),
                                                 "burnout": (1, 5)}


def make_chart(key: str, palette: Colors) -> charts.Chart:
    """An empty chart for ``key`` (one of
    :data:`journal_app.core.practice.readings.CHART_TITLES`)."""
    chart = charts.Chart(palette, dates=key not in NOT_DATES, clickable=key in CLICKABLE)
    name = f"{CHART_TITLES[key]} chart"  # what a screen reader says, on the view and its
    chart.plot.setAccessibleName(name)  # viewport (both reported as focusable)
    viewport = chart.plot.viewport()
    assert viewport is not None
    viewport.setAccessibleName(name)
    return chart


def depth_ticks(reflect_labels: Sequence[str]) -> list[tuple[float, str]]:
    """The depth axis in the words of the rating the user chose from (levels 1 to 4)."""
    return [(i + 1.0, name) for i, name in enumerate(reflect_labels)]


def draw(chart: charts.Chart, key: str, trends: Trends,
         notes: Mapping[str, Sequence[str]] | None = None) -> None:
    """Draw chart ``key`` of ``trends`` (only when its reading says it has data). ``notes``
    (ISO day -> the notes of its check-ins) go into the calendar's hover texts: the dashboard
    passes them, the summary PDF does not."""
    f = trends.figures
    span = trends.span()
    if key in SERIES_CARDS:
        s = f["series"]
        chart.draw_series({n: s[n] for n in SERIES_CARDS[key] if s[n]}, SERIES_RANGES[key])
    elif key == "calendar":
        chart.draw_calendar(f["calendar"], notes)
    elif key == "emotions":
        items = f["emotions"]["items"][:10]
        chart.draw_bars(
            [i["name"] for i in items], [i["count"] for i in items],
            [f"{i['name']}: named {plural(i['count'], 'time')}, mean intensity "
             f"{i['mean_intensity']:.1f}" for i in items], counts=True)
    elif key == "encounters":
        months = f["encounters"]["over_time"]
        xs = [charts.day_x(mid_month(m["month"])) for m in months]
        totals = [sum(m["counts"].values()) for m in months]
        tips = [f"{mid_month(m['month']):%B %Y}: " + ", ".join(
            f"{encounter_words(k)} {v}" for k, v in m["counts"].items()) for m in months]
        chart.draw_bars([m["month"] for m in months], totals, tips, horizontal=False, xs=xs,
                        width=20 * charts.DAY, counts=True)
    elif key == "coping":
        items = f["coping"]["by_help"][:10]

        def label(strategy: str) -> str:
            return coping_words(trends, strategy)

        chart.draw_bars(
            [label(i["strategy"]) for i in items], [i["mean_helped"] for i in items],
            [f"{label(i['strategy'])}: rated {i['mean_helped']:+.1f} on average over "
             f"{plural(i['uses'], 'use')}" for i in items], signed=True)
    elif key == "emotions_time":
        em = f["emotions"]
        months = em["over_time"]
        top = [i["name"] for i in em["items"][:4]]
        lines = {name: [(mid_month(m["month"]), float(m["counts"].get(name, 0)))
                        for m in months] for name in top}
        chart.draw_lines(lines, (0, max(
            (v for pts in lines.values() for _, v in pts), default=1) * 1.1), " mentions",
            span=span, counts=True)
    elif key == "facets":
        counts = f["facets"]["counts"]
        keys = [k for k in FACETS if k in counts]
        chart.draw_bars(
            [FACET_LABELS[k] for k in keys], [counts[k] for k in keys],
            [f"{FACET_LABELS[k]}: in {plural(counts[k], 'entry', 'entries')}" for k in keys],
            counts=True)
    elif key == "depth":
        _draw_depth(chart, trends, span)
    elif key in ("competency", "wellbeing"):
        data = f["self_assessment"][key]
        lines = {row["label"]: [(date.fromisoformat(p["date"]), float(p["value"]))
                                for p in row["points"]] for row in data["items"]}
        spec = assessment_forms()[key]
        ticks = ([(float(lv.value), lv.label) for lv in spec.levels]
                 if key == "competency" else None)
        chart.draw_lines(lines, (1, 5), y_ticks=ticks, span=span)
    else:
        raise KeyError(key)


def _draw_depth(chart: charts.Chart, trends: Trends, span: tuple[date, date] | None) -> None:
    depth = trends.figures["depth"]
    mentor = depth["mentor"]
    lines = {"your own rating (monthly mean)":
             [(mid_month(m["month"]), float(m["mean"])) for m in depth["monthly"]]}
    dots: set[str] = set()
    if mentor["points"]:
        # Each of the mentor's ratings on its own: a few ratings averaged by month would look
        # like a trend they are not.
        name = "your mentor's rating (each shared entry)"
        lines[name] = [(date.fromisoformat(p["date"]), float(p["level"]))
                       for p in mentor["points"]]
        dots.add(name)
    chart.draw_lines(lines, (1, 4), y_ticks=depth_ticks(trends.reflect_labels), span=span,
                     dots_only=dots)
