"""What the Reflect picker offers, in which order (no Qt).

- Unfinished reflections first, newest first, each with the step to resume at: the step it was
  left at (``Reflection.unfinished_step``) or, for one kept before that field existed (its title
  ends "(unfinished)" and it has no step), the first step with nothing filled in.
- Then every template, the one that fits today's encounter first: the encounter of the last
  check-in today that names one (a later check-in without an encounter does not hide it); the
  template :meth:`Library.template_for` gives for it, then the others written for that encounter,
  then the rest in the library's order. With no difficult encounter today but a good moment,
  Three Good Things comes first. Before all of these, the reflection the programme joined asks
  for during its current rotation (``TodaysFit.asked``), while that rotation lasts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from journal_app.core.practice.prompts import GOOD_MOMENT_TEMPLATE, Library, Template
from journal_app.core.records.model import CheckIn, Entry, Reflection, StepAnswer

#: The end of an unfinished reflection's title (the wizard adds it when it keeps one).
UNFINISHED_SUFFIX = " (unfinished)"


@dataclass(frozen=True)
class Unfinished:
    """An unfinished reflection the picker offers to continue, and the step it opens at
    (``len(template.steps)``: the finishing page)."""

    reflection: Reflection
    step: int


@dataclass(frozen=True)
class TodaysFit:
    """What today's check-ins say about the reflection that fits: the difficult encounter, or a
    good moment."""

    encounter: str | None = None
    good_moment: bool = False
    #: The template id the current rotation of the programme joined asks for, and the
    #: programme's name (:func:`journal_app.core.practice.pack.asked_reflection`).
    asked: str | None = None
    asked_by: str = ""


def filled(answer: StepAnswer) -> bool:
    """Whether anything was written or chosen in ``answer``."""
    return bool(answer.text.strip() or answer.emotions or answer.value is not None
                or answer.coping)


def is_unfinished(reflection: Reflection) -> bool:
    return reflection.unfinished_step is not None or reflection.title.endswith(UNFINISHED_SUFFIX)


def resume_step(reflection: Reflection, template: Template) -> int:
    """The page an unfinished ``reflection`` of ``template`` resumes at: the step it was left
    at, or (kept before the step was recorded) the first step with nothing filled in. A moment
    of silence keeps no answer, so it never counts as unfilled."""
    if reflection.unfinished_step is not None:
        return min(reflection.unfinished_step, len(template.steps))
    answered = {a.step_id for a in reflection.answers if filled(a)}
    return next((i for i, step in enumerate(template.steps)
                 if step.kind != "pause" and step.id not in answered), len(template.steps))


def unfinished_reflections(entries: Iterable[Entry],
                           templates: Mapping[str, Template]) -> list[Unfinished]:
    """The unfinished reflections among ``entries`` whose template still exists, newest
    first."""
    kept = sorted((e for e in entries if isinstance(e, Reflection) and is_unfinished(e)
                   and e.template_id in templates), key=lambda r: r.updated, reverse=True)
    return [Unfinished(r, resume_step(r, templates[r.template_id])) for r in kept]


def todays_fit(checkins: Iterable[CheckIn], today: date, asked: str | None = None,
               asked_by: str = "") -> TodaysFit:
    """The encounter of the last check-in on ``today`` (local time) that names one; else
    whether one of today's check-ins kept a good moment. ``asked``/``asked_by``: the
    reflection a programme's current rotation asks for, and the programme's name."""
    todays = sorted((c for c in checkins if c.created.astimezone().date() == today),
                    key=lambda c: c.created)
    encounter = next((c.encounter for c in reversed(todays) if c.encounter), None)
    return TodaysFit(encounter, encounter is None and any(c.good_moment for c in todays),
                     asked, asked_by)


def is_asked(template: Template, fit: TodaysFit) -> bool:
    """Whether ``template`` is the one the programme asks for this rotation."""
    return fit.asked is not None and template.id == fit.asked


def templates_in_order(library: Library, fit: TodaysFit) -> list[Template]:
    """Every template of ``library``: the one the programme asks for this rotation first, then
    the one that fits today (see the module)."""
    ordered = _by_todays_fit(library, fit)
    asked = [t for t in ordered if is_asked(t, fit)]
    return asked + [t for t in ordered if t not in asked]


def _by_todays_fit(library: Library, fit: TodaysFit) -> list[Template]:
    everything = list(library.templates.values())
    if fit.encounter is not None:
        first = [library.template_for(fit.encounter)]
        first += [t for t in everything
                  if fit.encounter in t.encounters and t.id != first[0].id]
    elif fit.good_moment and GOOD_MOMENT_TEMPLATE in library.templates:
        first = [library.templates[GOOD_MOMENT_TEMPLATE]]
    else:
        return everything
    return first + [t for t in everything if t not in first]


def fits_today(template: Template, fit: TodaysFit, library: Library) -> bool:
    """Whether ``template`` is the one offered first for ``fit``."""
    if fit.encounter is not None:
        return template.id == library.template_for(fit.encounter).id
    return fit.good_moment and template.id == GOOD_MOMENT_TEMPLATE
