"""Periodic self-assessments: the competency self-assessment (each rotation) and the monthly
wellbeing check. No Qt.

The wording is ours and lives in ``prompts/assessments.toml`` (validated when loaded). A form is
*due* when the last one of its kind is at least ``every_days`` old (or there is none and the journal
has been in use for a week, so a brand-new user is not greeted by a questionnaire), unless the user
set it aside until a later day. The series for charts are pure functions: one point per
assessment, per item, in the range, plus a reading that states only what the numbers show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from journal_app.core.content import ContentError, load_toml
from journal_app.core.records.model import (
    ASSESSMENT_FORMS,
    ASSESSMENT_RANGE,
    AppState,
    SelfAssessment,
)

#: A new journal waits this long before the first assessment is offered.
FIRST_OFFER_AFTER_DAYS = 7


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    #: The longer explanation (competency) or the question (wellbeing).
    text: str
    #: Anchor words of the two ends (wellbeing items); empty for the competency form.
    low: str = ""
    high: str = ""
    higher_is_better: bool = True


@dataclass(frozen=True)
class ScaleLevel:
    value: int
    label: str
    description: str = ""


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    intro: str
    note: str
    every_days: int
    items: tuple[Item, ...]
    levels: tuple[ScaleLevel, ...]

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"prompts/assessments.toml: {where} needs a {key}")
    return value.strip()


def _form(form_id: str, raw: Any) -> Form:
    if not isinstance(raw, dict):
        raise ContentError(f"prompts/assessments.toml: missing [{form_id}]")
    every = raw.get("every_days")
    if not isinstance(every, int) or not 1 <= every <= 366:
        raise ContentError(f"prompts/assessments.toml: [{form_id}] every_days must be 1..366")
    items: list[Item] = []
    for n, item in enumerate(raw.get("item", []), 1):
        where = f"{form_id} item {n}"
        if form_id == "wellbeing":
            better = item.get("higher_is_better")
            if not isinstance(better, bool):
                raise ContentError(f"prompts/assessments.toml: {where} needs higher_is_better")
            items.append(Item(_text(item, "id", where), _text(item, "label", where),
                              _text(item, "question", where), _text(item, "low", where),
                              _text(item, "high", where), better))
        else:
            items.append(Item(_text(item, "id", where), _text(item, "label", where),
                              _text(item, "description", where)))
    levels = tuple(
        ScaleLevel(int(level.get("value", 0)), _text(level, "label", f"{form_id} level"),
                   str(level.get("description", "")).strip())
        for level in raw.get("level", [])
    )
    lo, hi = ASSESSMENT_RANGE
    if [lv.value for lv in levels] != list(range(lo, hi + 1)):
        raise ContentError(f"prompts/assessments.toml: [{form_id}] levels must be {lo}..{hi}")
    if not items or len({i.id for i in items}) != len(items):
        raise ContentError(f"prompts/assessments.toml: [{form_id}] needs items with unique ids")
    return Form(form_id, _text(raw, "title", form_id), _text(raw, "intro", form_id),
                _text(raw, "note", form_id), every, tuple(items), levels)


@cache
def forms() -> dict[str, Form]:
    """Both forms, by id ("competency", "wellbeing"), validated."""
    data = load_toml("prompts", "assessments.toml")
    if data.get("version") != 1:
        raise ContentError("prompts/assessments.toml: expected version = 1")
    loaded = {form_id: _form(form_id, data.get(form_id)) for form_id in ASSESSMENT_FORMS}
    if len(loaded["competency"].items) != 5:
        raise ContentError("prompts/assessments.toml: the competency form has five items")
    return loaded


def validate(assessment: SelfAssessment) -> None:
    """Refuse ratings of items the form does not have (the model checks the 1..5 range)."""
    form = forms()[assessment.form]
    if any(form.item(key) is None for key in assessment.ratings):
        raise ValueError("a rating is for an item this self-assessment does not have")


# ------------------------------------------------------------------------------------ due


def latest(assessments: Iterable[SelfAssessment], form: str) -> SelfAssessment | None:
    mine = [a for a in assessments if a.form == form]
    return max(mine, key=lambda a: a.created) if mine else None


def due(form: str, assessments: Iterable[SelfAssessment], today: date,
        first_use: date | None, every_days: int | None = None,
        set_aside_until: date | None = None) -> bool:
    """Whether to offer ``form`` today.

    ``first_use``: the day of the oldest record in the journal (``None``: nothing yet);
    ``every_days``: the user's own interval (the form's default when ``None``);
    ``set_aside_until``: "not now" pushes the offer to that day.
    """
    if set_aside_until is not None and today < set_aside_until:
        return False
    last = latest(assessments, form)
    if last is None:
        return first_use is not None and (today - first_use).days >= FIRST_OFFER_AFTER_DAYS
    interval = every_days if every_days is not None else forms()[form].every_days
    return (today - last.created.date()).days >= interval


# ------------------------------------------------------------------------------------ series


def assessment_series(assessments: Iterable[SelfAssessment], form: str,
                      start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Ratings of ``form`` over time, JSON-ready:
    ``{"n": assessments, "items": [{"id", "label", "points": [{"date", "value"}]}],
    "latest": {"date", "ratings"} | None}``. One point per assessment that rated the item."""
    spec = forms()[form]
    chosen = sorted((a for a in assessments if a.form == form
                     and (start is None or a.created.date() >= start)
                     and (end is None or a.created.date() <= end)),
                    key=lambda a: a.created)
    items = []
    for item in spec.items:
        points = [{"date": a.created.date().isoformat(), "value": a.ratings[item.id]}
                  for a in chosen if item.id in a.ratings]
        items.append({"id": item.id, "label": item.label, "points": points})
    last = chosen[-1] if chosen else None
    return {
        "n": len(chosen), "items": items,
        "latest": None if last is None else {"date": last.created.date().isoformat(),
                                             "ratings": dict(last.ratings)},
    }


def reading(series: dict[str, Any], form: str) -> str:
    """One plain sentence on the change between the first and the last assessment."""
    spec = forms()[form]
    n = series["n"]
    if n == 0:
        return ""
    if n == 1:
        return (f"One {spec.title.lower()} so far ({series['latest']['date']}); "
                "the next one will show the change.")
    changes: list[tuple[int, Item]] = []
    for row in series["items"]:
        pts: Sequence[dict[str, Any]] = row["points"]
        item = spec.item(row["id"])
        if len(pts) >= 2 and item is not None:
            changes.append((pts[-1]["value"] - pts[0]["value"], item))
    if form == "competency":
        grown = [item.label for diff, item in changes if diff > 0]
        if not grown:
            return f"{n} self-assessments; your ratings have held steady so far."
        return (f"Across {n} self-assessments you rated yourself higher on "
                f"{len(grown)} of 5 competencies, most on "
                f"{max(changes, key=lambda c: c[0])[1].label.lower()}.")
    better = [item.label.lower() for diff, item in changes
              if diff and (diff > 0) == item.higher_is_better]
    worse = [item.label.lower() for diff, item in changes
             if diff and (diff > 0) != item.higher_is_better]
    parts = [f"{n} monthly checks"]
    if better:
        parts.append("better since the first: " + ", ".join(better))
    if worse:
        parts.append("harder since the first: " + ", ".join(worse))
    if not better and not worse:
        parts.append("no change since the first")
    return "; ".join(parts) + "."


def for_trends(assessments: Iterable[SelfAssessment], start: date | None,
               end: date | None) -> dict[str, Any]:
    """``{"competency": series, "wellbeing": series}`` for :func:`trends.compute_trends`."""
    assessments = list(assessments)
    return {form: assessment_series(assessments, form, start, end)
            for form in ASSESSMENT_FORMS}


def next_offer_after_not_now(today: date) -> date:
    """"Not now" sets the offer aside for a week."""
    return today + timedelta(days=7)


def to_offer(state: AppState, assessments: Iterable[SelfAssessment], today: date,
             first_use: date | None) -> str | None:
    """The form to offer on the home panel today, if any: the competency self-assessment
    first, then the monthly wellbeing check (unless the user turned it off in Settings)."""
    assessments = list(assessments)
    for form in ASSESSMENT_FORMS:
        if form == "wellbeing" and not state.wellbeing_check:
            continue
        aside_text = state.assessment_set_aside.get(form)
        try:
            aside = date.fromisoformat(aside_text) if aside_text else None
        except ValueError:
            aside = None
        every = state.rotation_days if form == "competency" else None
        if due(form, assessments, today, first_use, every, aside):
            return form
    return None


def set_aside(state: AppState, form: str, today: date) -> AppState:
    """``state`` with "not now" recorded for ``form`` (for :meth:`Journal.update_app_state`)."""
    return replace(state, assessment_set_aside={
        **state.assessment_set_aside, form: next_offer_after_not_now(today).isoformat()})
