"""Issue 14, sections 3 and 4: prompt themes, the new templates, and no depth rating right after
a death (the follow-up offers it). Content is validated: a typo fails loading."""

from __future__ import annotations

import random
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from journal_app.core import content
from journal_app.core.content import ContentError
from journal_app.core.practice import prompts
from journal_app.core.practice.followup import rating_for, ratings_due
from journal_app.core.practice.prompts import (
    FACETS,
    LEVELS,
    TEMPLATE_FOR_ENCOUNTER,
    THEMES,
    choose_prompt,
    load_library,
)
from journal_app.core.records.model import AppState, CheckIn, Reflection, now
from journal_app.core.vocabulary import THEME_LABELS

NEW_TEMPLATES = ("prognostic-uncertainty", "goals-of-care", "own-grief", "team-debrief")
NO_RATING = {"patient-death", "code", "free", "three-good-things", "own-grief"}


# ------------------------------------------------------------------ the shipped content


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_has_a_prompt_at_every_level(theme: str, level: str) -> None:
    found = [p for p in load_library().prompts if theme in p.themes and p.level == level]
    assert found, (theme, level)
    assert all(p.facet in FACETS for p in found)  # within the eleven facets


def test_every_theme_has_words() -> None:
    assert set(THEME_LABELS) == set(THEMES)
    assert all(label and label[0].isupper() for label in THEME_LABELS.values())


@pytest.mark.parametrize("theme", THEMES)
def test_a_theme_keeps_the_choice_to_that_theme(theme: str) -> None:
    library = load_library()
    rng = random.Random(14)
    for level in LEVELS:
        for _ in range(30):
            chosen = choose_prompt(library, level=level, theme=theme, rng=rng)
            assert theme in chosen.themes and chosen.level == level


def test_the_new_templates_load_with_their_steps() -> None:
    templates = load_library().templates
    for template_id in NEW_TEMPLATES:
        template = templates[template_id]
        assert template.summary and len(template.steps) >= 5, template_id
        assert template.steps[-1].kind == "plan", template_id
    assert templates["own-grief"].themes == ("grief",)
    assert templates["team-debrief"].themes == ("team-debrief",)
    # Prognostic uncertainty is not treated as a mistake any more.
    words = " ".join(s.prompt for s in templates["prognostic-uncertainty"].steps).lower()
    assert "mistake" not in words and "error" not in words
    assert 1 in templates["goals-of-care"].competencies


def test_encounters_lead_to_their_own_templates() -> None:
    library = load_library()
    assert TEMPLATE_FOR_ENCOUNTER["uncertainty"] == "prognostic-uncertainty"
    assert TEMPLATE_FOR_ENCOUNTER["goals-of-care"] == "goals-of-care"
    assert TEMPLATE_FOR_ENCOUNTER["personal-bereavement"] == "own-grief"
    assert library.template_for("error").id == "error-uncertainty"
    assert library.template_for("uncertainty").id == "prognostic-uncertainty"
    assert "uncertainty" not in library.templates["error-uncertainty"].encounters


def test_no_rating_right_after_a_death_a_code_free_writing_or_three_good_things() -> None:
    library = load_library()
    assert library.unrated_templates() == NO_RATING
    assert all(library.templates[t].rate_depth for t in library.templates if t not in NO_RATING)


@pytest.mark.parametrize("template_id", ["patient-death", "own-grief"])
def test_after_a_death_every_step_can_be_skipped_and_the_person_remembered(
        template_id: str) -> None:
    template = load_library().templates[template_id]
    assert template.steps[0].hint.startswith(
        "You can skip any question; you do not need to describe it.")
    remember = next(s for s in template.steps if s.id == "remember")
    assert remember.kind == "text" and "remember" in remember.title.lower()
    assert remember.prompt.startswith("If you want") and "optional" in remember.hint
    # Heavy templates keep offering the support lines on their scales.
    scales = [s for s in template.steps if s.kind == "scale"]
    assert scales and all(s.severe_at == 8 for s in scales)


# ------------------------------------------------------------------ typos fail loading


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of prompts/ that a test may break; the loader reads it instead."""
    real = content.content_dir("prompts")
    copy = tmp_path / "prompts"
    shutil.copytree(real, copy)

    def redirected(kind: str) -> Path:
        return copy if kind == "prompts" else real.parent / kind

    monkeypatch.setattr(content, "content_dir", redirected)
    monkeypatch.setattr(prompts, "content_dir", redirected)
    return copy


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("prompts/meaning.toml", 'themes = ["identity"]', 'themes = ["identiy"]',
         "unknown theme"),
        ("prompts/coping.toml", 'themes = ["humour-hope"]', 'themes = "humour-hope"',
         "'theme' must be a non-empty list"),
        ("prompts/support.toml", 'themes = ["team-debrief"]', 'theme = ["team-debrief"]',
         "unknown key 'theme'"),
        ("templates/own-grief.toml", 'themes = ["grief"]', 'themes = ["greif"]',
         "unknown theme"),
        ("templates/patient-death.toml", "rate_depth = false", 'rate_depth = "no"',
         "rate_depth must be true or false"),
        ("templates/code.toml", "rate_depth = false", "rate_dept = false",
         "unknown key 'rate_dept'"),
        ("templates/patient-death.toml", 'id = "remember"\nkind = "text"',
         'id = "remember"\nkind = "texts"', "unknown step kind"),
        ("templates/patient-death.toml", 'id = "remember"', 'id = "weight"',
         "step ids repeat"),
        ("templates/goals-of-care.toml", '"communication"', '"comunication"',
         "unknown CARE-7 goal"),
        ("templates/prognostic-uncertainty.toml", 'facets = ["uncertainty"',
         'facets = ["uncertain"', "unknown facet"),
        ("templates/team-debrief.toml", 'id = "team-debrief"', 'id = "team-debriefs"',
         "id must be 'team-debrief'"),
        ("templates/own-grief.toml", "severe_at = 8", "severe_at = 11", "severe_at"),
    ],
)
def test_a_typo_in_a_theme_template_or_step_fails_loading(
        content_copy: Path, file: str, old: str, new: str, message: str) -> None:
    replace_once(content_copy / file, old, new)
    with pytest.raises(ContentError, match=message):
        load_library.__wrapped__()


@pytest.mark.parametrize("template_id", NEW_TEMPLATES)
def test_a_typo_in_a_step_kind_of_a_new_template_fails_loading(content_copy: Path,
                                                               template_id: str) -> None:
    replace_once(content_copy / "templates" / f"{template_id}.toml", 'kind = "emotions"',
                 'kind = "emotion"')
    with pytest.raises(ContentError, match="unknown step kind"):
        load_library.__wrapped__()


@pytest.mark.parametrize("template_id", NEW_TEMPLATES)
def test_a_missing_new_template_fails_loading(content_copy: Path, template_id: str) -> None:
    (content_copy / "templates" / f"{template_id}.toml").unlink()
    with pytest.raises(ContentError):
        load_library.__wrapped__()


# ------------------------------------------------------------------ the rating a few days on


def reflection(template_id: str, days_ago: float, depth: str | None = None,
               checkin_id: str | None = None) -> Reflection:
    created = now() - timedelta(days=days_ago)
    return Reflection(created=created, template_id=template_id, body="A few lines.\n",
                      depth=depth, checkin_id=checkin_id)


def test_ratings_are_due_two_to_seven_days_after_an_unrated_reflection() -> None:
    at = now()
    unrated = load_library().unrated_templates()
    due = reflection("patient-death", 3)
    older = reflection("free", 6)
    entries = [
        due, older,
        reflection("patient-death", 1),  # too soon
        reflection("code", 8),  # too late
        reflection("three-good-things", 4, depth="reflection"),  # already rated
        reflection("gibbs", 3),  # its end offered the rating
    ]
    assert ratings_due(entries, unrated, None, at) == [older, due]  # oldest first
    state = AppState(dismissed_followups=[older.id])
    assert ratings_due(entries, unrated, state, at) == [due]


def test_the_rating_goes_with_the_follow_up_of_its_check_in() -> None:
    death = CheckIn(encounter="patient-death", created=now() - timedelta(days=3))
    other = CheckIn(encounter="code", created=now() - timedelta(days=3))
    linked = reflection("patient-death", 3, checkin_id=death.id)
    alone = reflection("free", 3)
    assert rating_for(death, [alone, linked]) is linked
    assert rating_for(other, [alone, linked]) is None
