"""The prompt library and reflection templates of ``prompts/``: loading, validation, choosing.

Everything is data written by this project (TOML), validated strictly when loaded: an unknown
facet, level, encounter type, CARE-7 goal or step kind is a :class:`ContentError` naming the file,
so a typo fails the tests instead of surprising a user. Ids are stable: records, the command line
and the files all use them.

Choosing a prompt: prompts that fit the encounter type (or any) and the user's level; none of
the last :data:`NO_REPEAT` shown; weighted towards facets the user has reflected on least lately.
After a difficult encounter, about :data:`SPECIFIC_SHARE` of the choices are prompts written for
that encounter; after a death, the general ones are only those marked ``gentle``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from journal_app.core.content import ContentError, content_dir, load_toml
from journal_app.core.records.model import ENCOUNTER_TYPES, REFLECT_LEVELS, STEP_KINDS
from journal_app.core.records.validation import check_choice

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

FACETS = (
    "naming-emotions", "body-signals", "attitudes", "triggers", "uncertainty", "stress",
    "coping", "support", "self-compassion", "meaning", "boundaries",
)
LEVELS = ("early", "clerkship", "advanced")
#: The level of a journal whose training stage was never set (a journal made by ``init``):
#: the gentlest prompts, until the user says where they are.
DEFAULT_LEVEL = "early"
CARE7 = (
    "specialty-care", "communication", "psychosocial-spiritual", "own-emotions", "pain",
    "symptoms", "end-of-life",
)
COPING_GROUPS = ("connection", "body", "mind", "meaning", "practical", "avoidance",
                 "rumination")
#: Coping groups that may cost the user later: rated honestly, never presented as what helps.
COSTLY_COPING_GROUPS = frozenset({"avoidance", "rumination"})
TEMPLATE_IDS = (
    "gibbs", "what-so-what-now-what", "patient-death", "bad-news", "code", "moral-distress",
    "error-uncertainty", "conflict", "three-good-things", "free", "prognostic-uncertainty",
    "goals-of-care", "own-grief", "team-debrief",
)
#: Prompt themes that run across the facets (a prompt keeps its one facet; ``themes`` is an
#: optional list on prompts and templates). Every theme has prompts at every level.
THEMES = (
    "grief", "moral-injury", "identity", "spirituality", "cultural-humility", "team-debrief",
    "compassion-satisfaction", "humour-hope",
)
#: A prompt shown is not shown again before this many others.
NO_REPEAT = 20
#: Which template a check-in's encounter type leads to.
TEMPLATE_FOR_ENCOUNTER = {
    "patient-death": "patient-death",
    "bad-news": "bad-news",
    "code": "code",
    "goals-of-care": "goals-of-care",
    "family-conflict": "conflict",
    "team-conflict": "conflict",
    "error": "error-uncertainty",
    "moral-distress": "moral-distress",
    "uncertainty": "prognostic-uncertainty",
    "other": "gibbs",
    "suicide-or-violent-death": "patient-death",
    "child-death": "patient-death",
    "unrelieved-suffering": "moral-distress",
    "mistreatment": "gibbs",
    "anatomy-lab": "what-so-what-now-what",
    "personal-bereavement": "own-grief",
}
#: Which template a check-in's "something good happened" offers (when nothing difficult did).
GOOD_MOMENT_TEMPLATE = "three-good-things"
#: After a difficult encounter, the share of chosen prompts written for that encounter.
SPECIFIC_SHARE = 0.8
#: Encounters after which only prompts marked ``gentle`` are offered besides the specific ones.
DEATHS = frozenset({"patient-death", "suicide-or-violent-death", "child-death",
                    "personal-bereavement"})
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str
    facet: str
    level: str
    encounters: tuple[str, ...] = ("any",)
    competencies: tuple[int, ...] = (4,)
    care7: tuple[str, ...] = ()
    #: A general prompt gentle enough to offer on the day of a death.
    gentle: bool = False
    #: Themes across the facets (:data:`THEMES`), for ``prompt --theme``.
    themes: tuple[str, ...] = ()
    #: Who offers it beyond the shipped library: a programme's name (core.practice.pack).
    source: str = ""

    def fits(self, encounter: str | None) -> bool:
        return "any" in self.encounters or (encounter is not None and encounter in self.encounters)


@dataclass(frozen=True)
class Step:
    id: str
    kind: str
    title: str
    prompt: str
    hint: str = ""
    min: int = 0
    max: int = 10
    low_label: str = ""
    high_label: str = ""
    seconds: int = 0
    #: A scale answer at or above this is a severe signal: the app offers the support and
    #: crisis lines (journal_app.core.practice.support). None: never.
    severe_at: int | None = None


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    credit: str
    summary: str
    encounters: tuple[str, ...]
    series_days: int
    steps: tuple[Step, ...]
    #: What the reflection works on (optional in the files): competencies 1-5, facets of
    #: competency 4, CARE-7 goals. The portfolio shows them with each reflection.
    competencies: tuple[int, ...] = (4,)
    facets: tuple[str, ...] = ()
    care7: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    #: Whether the end offers the REFLECT depth rating. Not right after a death, a code, free
    #: writing or Three Good Things: the follow-up a few days on offers it instead.
    rate_depth: bool = True
    #: One sentence on when it helps, for the Reflect picker (required in the files; a
    #: template of the user's own has none, and the picker shows its summary instead).
    when: str = ""
    #: Who offers it beyond the shipped library: a programme's name (core.practice.pack).
    source: str = ""


@dataclass(frozen=True)
class CopingStrategy:
    id: str
    label: str
    group: str


@dataclass(frozen=True)
class Level:
    """One level of a rating (burnout 1-5, REFLECT depth)."""

    id: str
    label: str
    explanation: str


@dataclass(frozen=True)
class Library:
    prompts: tuple[Prompt, ...]
    templates: dict[str, Template]
    coping: tuple[CopingStrategy, ...]
    burnout_question: str
    burnout_note: str
    burnout: tuple[Level, ...]
    reflect_question: str
    reflect_credit: str
    reflect: tuple[Level, ...]
    by_id: dict[str, Prompt] = field(default_factory=dict)

    def prompt(self, prompt_id: str) -> Prompt:
        try:
            return self.by_id[prompt_id]
        except KeyError:
            raise ContentError(f"There is no prompt {prompt_id!r}.") from None

    def template_for(self, encounter: str | None) -> Template:
        return self.templates[TEMPLATE_FOR_ENCOUNTER.get(encounter or "", "gibbs")]

    def unrated_templates(self) -> frozenset[str]:
        """Templates that end without the depth rating (the follow-up offers it)."""
        return frozenset(t.id for t in self.templates.values() if not t.rate_depth)


# ------------------------------------------------------------------------------------ loading


def _str(raw: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
    value = raw.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ContentError(f"{where}: '{key}' must be {'non-empty ' if required else ''}text")
    return value.strip()


def _id(raw: Mapping[str, Any], where: str, key: str = "id") -> str:
    value = _str(raw, key, where)
    if not _ID.match(value):
        raise ContentError(f"{where}: '{key}' must be lower-case words joined by dashes")
    return value


def _choices(values: Any, allowed: Iterable[str], key: str, where: str) -> tuple[str, ...]:
    allowed = set(allowed)
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise ContentError(f"{where}: '{key}' must be a non-empty list of ids")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ContentError(f"{where}: unknown {key} {unknown[0]!r}")
    return tuple(values)


def _known_keys(raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = set(raw) - allowed
    if extra:
        raise ContentError(f"{where}: unknown key {sorted(extra)[0]!r}")


def _prompt(raw: Any, facet: str, where: str) -> Prompt:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: a [[prompt]] must be a table")
    _known_keys(raw, {"id", "text", "facet", "level", "encounters", "competencies", "care7",
                      "gentle", "themes"}, where)
    prompt_id = _id(raw, where)
    where = f"{where} ({prompt_id})"
    if raw.get("facet") != facet:
        raise ContentError(f"{where}: facet must be {facet!r}, the file's facet")
    level = _str(raw, "level", where)
    if level not in LEVELS:
        raise ContentError(f"{where}: unknown level {level!r}")
    encounters = _choices(raw.get("encounters"), ("any", *ENCOUNTER_TYPES), "encounter", where)
    competencies = raw.get("competencies")
    if (not isinstance(competencies, list) or 4 not in competencies
            or not all(type(c) is int and 1 <= c <= 5 for c in competencies)):
        raise ContentError(f"{where}: competencies must list numbers 1-5, including 4")
    care7 = _choices(raw.get("care7"), CARE7, "CARE-7 goal", where)
    gentle = raw.get("gentle", False)
    if type(gentle) is not bool:
        raise ContentError(f"{where}: gentle must be true or false")
    themes = _choices(raw["themes"], THEMES, "theme", where) if "themes" in raw else ()
    return Prompt(prompt_id, _str(raw, "text", where), facet, level, encounters,
                  tuple(competencies), care7, gentle, themes)


def _step(raw: Any, where: str) -> Step:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: a [[step]] must be a table")
    step_id = _id(raw, where)
    where = f"{where} step {step_id}"
    kind = _str(raw, "kind", where)
    if kind not in STEP_KINDS:
        raise ContentError(f"{where}: unknown step kind {kind!r}")
    extra = {"scale": {"min", "max", "low_label", "high_label", "severe_at"},
             "pause": {"seconds"}}
    _known_keys(raw, {"id", "kind", "title", "prompt", "hint", *extra.get(kind, set())}, where)
    step = Step(step_id, kind, _str(raw, "title", where), _str(raw, "prompt", where),
                _str(raw, "hint", where, required=False))
    if kind == "scale":
        lo, hi = raw.get("min", 0), raw.get("max", 10)
        if type(lo) is not int or type(hi) is not int or not 0 <= lo < hi <= 10:
            raise ContentError(f"{where}: a scale runs between whole numbers 0..10")
        severe = raw.get("severe_at")
        if severe is not None and (type(severe) is not int or not lo < severe <= hi):
            raise ContentError(f"{where}: severe_at is a whole number above min, up to max")
        step = Step(step.id, kind, step.title, step.prompt, step.hint, lo, hi,
                    _str(raw, "low_label", where), _str(raw, "high_label", where),
                    severe_at=severe)
    if kind == "pause":
        seconds = raw.get("seconds")
        if type(seconds) is not int or not 5 <= seconds <= 300:
            raise ContentError(f"{where}: a pause lasts 5 to 300 seconds")
        step = Step(step.id, kind, step.title, step.prompt, step.hint, seconds=seconds)
    return step


def _template(data: dict[str, Any], where: str) -> Template:
    _known_keys(data, {"version", "id", "title", "credit", "summary", "when", "encounters",
                       "series_days", "step", "competencies", "facets", "care7", "themes",
                       "rate_depth"}, where)
    if data.get("version") != 1:
        raise ContentError(f"{where}: expected version = 1")
    template_id = _id(data, where)
    steps = data.get("step")
    if not isinstance(steps, list) or not 1 <= len(steps) <= 12:
        raise ContentError(f"{where}: a template has 1 to 12 [[step]] tables")
    parsed = tuple(_step(s, where) for s in steps)
    if len({s.id for s in parsed}) != len(parsed):
        raise ContentError(f"{where}: step ids repeat")
    series = data.get("series_days", 0)
    if type(series) is not int or not 0 <= series <= 60:
        raise ContentError(f"{where}: series_days is a whole number 0..60")
    encounters = _choices(data.get("encounters"), ("any", *ENCOUNTER_TYPES), "encounter", where)
    competencies = data.get("competencies", [4])
    if (not isinstance(competencies, list) or 4 not in competencies
            or not all(type(c) is int and 1 <= c <= 5 for c in competencies)):
        raise ContentError(f"{where}: competencies must list numbers 1-5, including 4")
    facets = _choices(data["facets"], FACETS, "facet", where) if "facets" in data else ()
    care7 = _choices(data["care7"], CARE7, "CARE-7 goal", where) if "care7" in data else ()
    themes = _choices(data["themes"], THEMES, "theme", where) if "themes" in data else ()
    rate_depth = data.get("rate_depth", True)
    if type(rate_depth) is not bool:
        raise ContentError(f"{where}: rate_depth must be true or false")
    return Template(template_id, _str(data, "title", where),
                    _str(data, "credit", where, required=False),
                    _str(data, "summary", where), encounters, series, parsed,
                    tuple(competencies), facets, care7, themes, rate_depth,
                    _one_sentence(data, "when", where))


def _one_sentence(raw: Mapping[str, Any], key: str, where: str) -> str:
    """Required text that is one sentence: it ends with a full stop and has no other."""
    value = _str(raw, key, where)
    if not value.endswith(".") or value.count(".") != 1 or "\n" in value:
        raise ContentError(f"{where}: '{key}' must be one sentence, ending with a full stop")
    return value


def _levels(data: dict[str, Any], where: str, ids: Sequence[str] | None) -> tuple[Level, ...]:
    raw = data.get("level")
    if not isinstance(raw, list):
        raise ContentError(f"{where}: expected [[level]] tables")
    levels = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ContentError(f"{where}: a [[level]] must be a table")
        if ids is None:
            if item.get("value") != number:
                raise ContentError(f"{where}: levels are numbered 1, 2, 3... in order")
            level_id = str(number)
            explanation = _str(item, "description", where)
        else:
            level_id = _id(item, where)
            explanation = _str(item, "explanation", where)
        levels.append(Level(level_id, _str(item, "label", where), explanation))
    expected = ids if ids is not None else [str(n) for n in range(1, 6)]
    if [lv.id for lv in levels] != list(expected):
        raise ContentError(f"{where}: the levels must be exactly {', '.join(expected)}")
    return tuple(levels)


@cache
def load_library() -> Library:
    """Load and validate everything in ``prompts/`` (cached; raises ContentError)."""
    folder = content_dir("prompts")
    prompts: list[Prompt] = []
    for facet in FACETS:
        name = f"prompts/{facet}.toml"
        data = load_toml("prompts", name)
        where = f"prompts/{name}"
        _known_keys(data, {"version", "facet", "prompt"}, where)
        if data.get("version") != 1 or data.get("facet") != facet:
            raise ContentError(f"{where}: expected version = 1 and facet = {facet!r}")
        if not isinstance(data.get("prompt"), list):
            raise ContentError(f"{where}: expected [[prompt]] tables")
        prompts.extend(_prompt(raw, facet, where) for raw in data["prompt"])
    stray = {p.stem for p in (folder / "prompts").glob("*.toml")} - set(FACETS)
    if stray:
        raise ContentError(f"prompts/prompts/{sorted(stray)[0]}.toml is not a known facet")
    by_id: dict[str, Prompt] = {}
    for prompt in prompts:
        if prompt.id in by_id:
            raise ContentError(f"prompt id {prompt.id!r} is used twice")
        by_id[prompt.id] = prompt
    templates: dict[str, Template] = {}
    for template_id in TEMPLATE_IDS:
        name = f"templates/{template_id}.toml"
        template = _template(load_toml("prompts", name), f"prompts/{name}")
        if template.id != template_id:
            raise ContentError(f"prompts/{name}: id must be {template_id!r}")
        templates[template_id] = template
    coping_data = load_toml("prompts", "coping.toml")
    coping = []
    for raw in coping_data.get("strategy", []):
        item = CopingStrategy(_id(raw, "prompts/coping.toml"), _str(raw, "label", "coping"),
                              _str(raw, "group", "coping"))
        if item.group not in COPING_GROUPS:
            raise ContentError(f"prompts/coping.toml: unknown group {item.group!r}")
        coping.append(item)
    if len({c.id for c in coping}) != len(coping) or len(coping) < 10:
        raise ContentError("prompts/coping.toml: at least 10 strategies with unique ids")
    burnout = load_toml("prompts", "burnout.toml")
    reflect = load_toml("prompts", "reflect.toml")
    return Library(
        prompts=tuple(prompts),
        templates=templates,
        coping=tuple(coping),
        burnout_question=_str(burnout, "question", "prompts/burnout.toml"),
        burnout_note=_str(burnout, "note", "prompts/burnout.toml"),
        burnout=_levels(burnout, "prompts/burnout.toml", None),
        reflect_question=_str(reflect, "question", "prompts/reflect.toml"),
        reflect_credit=_str(reflect, "credit", "prompts/reflect.toml"),
        reflect=_levels(reflect, "prompts/reflect.toml", REFLECT_LEVELS),
        by_id=by_id,
    )


# ------------------------------------------------------------------------------------ choosing


def candidates(library: Library, encounter: str | None = None,
               level: str | None = None, theme: str | None = None) -> list[Prompt]:
    """Prompts that fit the encounter type, theme and level (every level if none fits that
    one). No level (the stage was never set) counts as :data:`DEFAULT_LEVEL`."""
    fitting = [p for p in library.prompts if p.fits(encounter)
               and (theme is None or theme in p.themes)]
    at_level = [p for p in fitting if p.level == (level or DEFAULT_LEVEL)]
    return at_level or fitting


def choose_prompt(
    library: Library,
    *,
    encounter: str | None = None,
    level: str | None = None,
    theme: str | None = None,
    recent: Sequence[str] = (),
    facet_use: Mapping[str, int] | None = None,
    rng: random.Random | None = None,
) -> Prompt:
    """One prompt for now.

    ``recent`` lists prompt ids shown lately, newest first: none of the last :data:`NO_REPEAT`
    comes back (unless nothing else fits). ``facet_use`` counts the user's recent answers per
    facet: a facet answered ``n`` times weighs ``1 / (1 + n)``, so under-used facets come up
    more often. After an ``encounter``, prompts written for it are chosen
    :data:`SPECIFIC_SHARE` of the time (all of the time when no general one fits), and after a
    death the general ones are only the gentle ones. A ``theme`` keeps to prompts of that
    theme (:data:`THEMES`).
    """
    rng = rng or random.Random()
    pool = candidates(library, encounter, level, theme)
    if encounter in DEATHS:
        pool = [p for p in pool if encounter in p.encounters or p.gentle] or pool
    if not pool:
        raise ContentError("No prompt fits that choice.")
    blocked = set(recent[:NO_REPEAT])
    fresh = [p for p in pool if p.id not in blocked]
    if not fresh:  # everything fitting was shown lately: take the one shown longest ago
        order = {pid: i for i, pid in enumerate(recent)}
        return max(pool, key=lambda p: order.get(p.id, len(order)))
    use = facet_use or {}

    def weight(p: Prompt) -> float:
        return 1.0 / (1 + max(0, use.get(p.facet, 0)))

    if encounter is not None:
        specific = [p for p in fresh if encounter in p.encounters]
        general = [p for p in fresh if encounter not in p.encounters]
        if specific and general:
            fresh = specific if rng.random() < SPECIFIC_SHARE else general
    return rng.choices(fresh, weights=[weight(p) for p in fresh], k=1)[0]


def recent_use(library: Library, entries: Sequence[Any],
               days: int = 30) -> tuple[list[str], dict[str, int]]:
    """From entries (newest first): prompt ids answered, newest first, and how often each
    facet was answered in the last ``days`` days."""
    recent: list[str] = []
    facet_use: dict[str, int] = {}
    newest = entries[0].created if entries else None
    for entry in entries:
        for prompt_id in getattr(entry, "prompt_ids", []):
            recent.append(prompt_id)
            prompt = library.by_id.get(prompt_id)
            if prompt is not None and newest is not None and \
                    (newest - entry.created).days <= days:
                facet_use[prompt.facet] = facet_use.get(prompt.facet, 0) + 1
    return recent, facet_use


def pick_todays_prompt(library: Library, day: date, shown: Sequence[str],
                       stored_id: str | None, stored_day: str,
                       entries: Sequence[Any], level: str | None = None,
                       encounter: str | None = None) -> tuple[Prompt, bool]:
    """Today's prompt: the one already picked today if any, else a new one for the user's
    ``level`` (and today's difficult ``encounter``, if one was checked in), avoiding prompts
    shown or answered lately. Returns it and whether it is newly picked (to remember)."""
    if stored_id and stored_day == day.isoformat() and stored_id in library.by_id:
        stored = library.by_id[stored_id]
        if encounter is None or encounter in stored.encounters:
            return stored, False
    answered, facet_use = recent_use(library, entries)
    recent = [*shown, *answered]
    return todays_prompt(library, day, recent=recent, facet_use=facet_use, level=level,
                         encounter=encounter), True


def todays_prompt_for(journal: Journal, library: Library, day: date,
                      encounter: str | None = None) -> Prompt:
    """Today's prompt for this journal (the app and the CLI show the same one), remembered
    in its encrypted app state so it stays all day and is not shown again soon."""
    state = journal.app_state()
    prompt, new = pick_todays_prompt(library, day, state.shown_prompts, state.todays_prompt,
                                     state.todays_prompt_day, journal.entries(),
                                     level=state.level, encounter=encounter)
    if new and not journal.read_only:  # read-only (manifest damaged): shown, not remembered
        journal.update_app_state(lambda s: replace(
            s, todays_prompt=prompt.id, todays_prompt_day=day.isoformat(),
            shown_prompts=(prompt.id, *s.shown_prompts)))
    return prompt


def set_level(journal: Journal, level: str | None) -> None:
    """Where the user is in training (None: not set, which chooses as :data:`DEFAULT_LEVEL`);
    today's prompt is chosen again, for the new stage."""
    if level is not None:
        check_choice("level", level, LEVELS)
    journal.update_app_state(lambda s: replace(s, level=level, todays_prompt=None))


def todays_prompt(library: Library, day: date, **kwargs: Any) -> Prompt:
    """The same prompt all day (seeded by the date), chosen as :func:`choose_prompt` does."""
    return choose_prompt(library, rng=random.Random(day.toordinal()), **kwargs)
