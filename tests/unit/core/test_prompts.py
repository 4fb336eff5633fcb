"""The prompt library: validation of the shipped files, typos caught, and how prompts are chosen."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from journal_app.core import content
from journal_app.core.content import ContentError
from journal_app.core.practice import prompts
from journal_app.core.practice.prompts import (
    FACETS,
    LEVELS,
    NO_REPEAT,
    TEMPLATE_IDS,
    Library,
    Prompt,
    choose_prompt,
    load_library,
)
from journal_app.core.records.model import ENCOUNTER_TYPES


def synthetic(per_facet: int = 6) -> Library:
    items = tuple(
        Prompt(f"{facet}-{n:02d}", f"Prompt {n} about {facet}?", facet, LEVELS[n % 3],
               ("any",) if n % 2 else ("patient-death",))
        for facet in FACETS for n in range(per_facet)
    )
    real = load_library()
    return Library(items, real.templates, real.coping, "", "", real.burnout, "", "",
                   real.reflect, {p.id: p for p in items})


# ------------------------------------------------------------------ the shipped library


def test_the_shipped_library_loads_and_covers_every_facet_level_and_encounter() -> None:
    library = load_library()
    by_facet = Counter(p.facet for p in library.prompts)
    assert set(by_facet) == set(FACETS)
    assert min(by_facet.values()) >= 8
    for facet in FACETS:
        levels = {p.level for p in library.prompts if p.facet == facet}
        assert levels == set(LEVELS), facet
    for encounter in ENCOUNTER_TYPES:
        assert any(encounter in p.encounters for p in library.prompts), encounter
    assert len({p.id for p in library.prompts}) == len(library.prompts)
    assert all(4 in p.competencies for p in library.prompts)
    assert set(library.templates) == set(TEMPLATE_IDS)
    assert library.templates["three-good-things"].series_days == 14
    assert library.templates["patient-death"].steps[0].kind == "pause"
    assert [lv.id for lv in library.burnout] == ["1", "2", "3", "4", "5"]
    for encounter in ENCOUNTER_TYPES:
        template = library.template_for(encounter)
        assert template.id in TEMPLATE_IDS


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


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('level = "early"', 'level = "earlyy"', "unknown level"),
        ('facet = "naming-emotions"\n\n[[prompt]]', 'facet = "naming-emotion"\n\n[[prompt]]',
         "expected version = 1 and facet"),
        ('"patient-death"', '"patient-deaths"', "unknown encounter"),
        ('"own-emotions"', '"own-emotion"', "unknown CARE-7 goal"),
    ],
)
def test_a_typo_in_an_id_fails_loading(content_copy: Path, old: str, new: str,
                                       message: str) -> None:
    for path in sorted((content_copy / "prompts").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            break
    else:
        pytest.fail(f"{old!r} is not in any prompt file")
    with pytest.raises(ContentError, match=message):
        load_library.__wrapped__()


def test_a_typo_in_a_step_kind_fails_loading(content_copy: Path) -> None:
    path = content_copy / "templates" / "gibbs.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('kind = "text"', 'kind = "txt"', 1),
                    encoding="utf-8")
    with pytest.raises(ContentError, match="unknown step kind"):
        load_library.__wrapped__()


def test_a_repeated_prompt_id_fails_loading(content_copy: Path) -> None:
    path = content_copy / "prompts" / "stress.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('id = "stress-02"', 'id = "stress-01"', 1), encoding="utf-8")
    with pytest.raises(ContentError, match="used twice"):
        load_library.__wrapped__()


# ------------------------------------------------------------------ choosing


def test_no_prompt_repeats_within_the_last_twenty_shown() -> None:
    library = synthetic(per_facet=12)  # more than twenty fit the (default) early level
    rng = random.Random(4)
    shown: list[str] = []
    for _ in range(300):
        prompt = choose_prompt(library, recent=shown, rng=rng)
        assert prompt.id not in shown[:NO_REPEAT]
        shown.insert(0, prompt.id)


def test_level_and_encounter_filter_the_choice() -> None:
    library = synthetic()
    rng = random.Random(1)
    for _ in range(100):
        prompt = choose_prompt(library, level="advanced", encounter="code", rng=rng)
        assert prompt.level == "advanced" and prompt.fits("code")
        assert "patient-death" not in prompt.encounters or "any" in prompt.encounters


def test_under_used_facets_come_up_more_often() -> None:
    library = synthetic()
    rng = random.Random(20261123)
    heavy = {facet: 9 for facet in FACETS if facet != "boundaries"}  # boundaries never answered
    counts = Counter(
        choose_prompt(library, facet_use=heavy, rng=rng).facet for _ in range(4000)
    )
    # Weight 1 against 1/10 for each of ten other facets: boundaries takes about half.
    assert counts["boundaries"] > 0.4 * 4000
    assert all(counts[f] < 0.1 * 4000 for f in FACETS if f != "boundaries")


def test_when_everything_fitting_was_shown_the_oldest_comes_back() -> None:
    library = synthetic(per_facet=1)
    fitting = [p.id for p in library.prompts if p.fits("patient-death") and p.level == "early"]
    recent = list(reversed(fitting))  # fitting[0] was shown longest ago
    chosen = choose_prompt(library, encounter="patient-death", level="early", recent=recent)
    assert chosen.id == fitting[0]


# ------------------------------------------------------- prompts that meet the encounter (14)

#: Encounter types after which general prompts must be gentle ones.
DEATHS = ("patient-death", "suicide-or-violent-death", "child-death", "personal-bereavement")
NEW_ENCOUNTERS = ("mistreatment", "suicide-or-violent-death", "child-death",
                  "unrelieved-suffering", "anatomy-lab", "personal-bereavement")


def test_the_new_encounter_types_exist_with_words() -> None:
    from journal_app.core.vocabulary import ENCOUNTER_LABELS

    for key in NEW_ENCOUNTERS:
        assert key in ENCOUNTER_TYPES, key
    assert set(ENCOUNTER_LABELS) == set(ENCOUNTER_TYPES)
    assert ENCOUNTER_TYPES[-1] == "other"


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("encounter", ENCOUNTER_TYPES)
def test_at_least_four_specific_prompts_for_every_encounter_and_level(
    encounter: str, level: str
) -> None:
    library = load_library()
    specific = [p for p in library.prompts if encounter in p.encounters and p.level == level]
    assert len(specific) >= 4, (encounter, level, len(specific))


@pytest.mark.parametrize(("encounter", "level"), [
    ("code", "early"), ("patient-death", "clerkship"), ("bad-news", "advanced"),
    ("child-death", "early"), ("mistreatment", "advanced")])
def test_after_an_encounter_about_eighty_percent_of_prompts_are_about_it(
    encounter: str, level: str
) -> None:
    """Seen: an early learner after a code had 0 specific prompts of 20; a clerkship learner
    after a death 5 of 15; an advanced one after bad news 1 of 12."""
    library = load_library()
    rng = random.Random(14)
    draws = 3000
    specific = sum(
        encounter in choose_prompt(library, encounter=encounter, level=level, rng=rng).encounters
        for _ in range(draws))
    assert 0.74 * draws <= specific <= 0.86 * draws, specific / draws


@pytest.mark.parametrize("encounter", DEATHS)
def test_after_a_death_general_prompts_are_gentle_ones(encounter: str) -> None:
    library = load_library()
    assert sum(p.gentle for p in library.prompts) >= 9
    rng = random.Random(5)
    for level in LEVELS:
        for _ in range(300):
            prompt = choose_prompt(library, encounter=encounter, level=level, rng=rng)
            assert encounter in prompt.encounters or prompt.gentle, prompt.id


def test_without_an_encounter_every_general_prompt_can_come() -> None:
    library = load_library()
    rng = random.Random(6)
    seen = {choose_prompt(library, level="clerkship", rng=rng).id for _ in range(3000)}
    general = {p.id for p in library.prompts if "any" in p.encounters and p.level == "clerkship"}
    assert general <= seen


def test_gentle_is_checked_when_loaded(content_copy: Path) -> None:
    path = content_copy / "prompts" / "stress.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('level = "early"', 'level = "early"\ngentle = "yes"', 1),
                    encoding="utf-8")
    with pytest.raises(ContentError, match="gentle"):
        load_library.__wrapped__()


def test_frameworks_are_credited_by_name_with_their_years() -> None:
    """Issue 14, section 1: the credits say where each framework comes from, and that the
    app's version is adapted."""
    library = load_library()
    good = library.templates["three-good-things"].credit
    assert "Seligman" in good and "2005" in good and "Sexton & Adair" in good and "2019" in good
    assert "adaptation" in good
    pause = library.templates["patient-death"].credit
    assert "Jonathan Bartels" in pause and "UVA Health" in pause and "one person alone" in pause
    assert "Driscoll (1994)" in library.templates["what-so-what-now-what"].credit
    assert "made for readers" in library.reflect_credit
    assert "adaptation" in library.reflect_credit
    critical = next(lv for lv in library.reflect if lv.id == "critical-reflection")
    assert "why you do what you do" in critical.explanation  # confirmatory learning
    assert "single-item burnout measure" in library.burnout_note


# ------------------------------------------------------- no training stage set yet (14)


def test_no_level_set_chooses_as_the_early_level() -> None:
    """A journal whose training stage was never set gets early prompts, not advanced ones."""
    library = load_library()
    rng = random.Random(14)
    for encounter in (None, "code", "patient-death"):
        levels = {choose_prompt(library, encounter=encounter, level=None, rng=rng).level
                  for _ in range(300)}
        assert levels == {"early"}, (encounter, levels)


def test_todays_prompt_for_a_journal_without_a_level_is_an_early_one(tmp_path: Path) -> None:
    from datetime import date

    from journal_app.core.practice.prompts import todays_prompt_for
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal

    journal, _key = Journal.create(tmp_path / "j", "quiet harbour lantern", kdf=TEST_KDF)
    try:
        assert journal.app_state().level is None
        library = load_library()
        for day in range(1, 29):
            journal.update_app_state(lambda s: replace(s, todays_prompt=None))
            prompt = todays_prompt_for(journal, library, date(2026, 2, day))
            assert prompt.level == "early", prompt.id
    finally:
        journal.close()
