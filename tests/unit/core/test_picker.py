"""The Reflect picker's order and its unfinished reflections (issue 17.1, issue 16 leftover)."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from journal_app.core import content
from journal_app.core.content import ContentError
from journal_app.core.practice import prompts
from journal_app.core.practice.picker import (
    TodaysFit,
    resume_step,
    templates_in_order,
    todays_fit,
    unfinished_reflections,
)
from journal_app.core.practice.prompts import TEMPLATE_IDS, load_library
from journal_app.core.records.model import CheckIn, Emotion, Reflection, StepAnswer

LIBRARY = load_library()


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour).astimezone()


# ------------------------------------------------------------------ "when" on every template


def test_every_template_says_in_one_sentence_when_it_helps() -> None:
    for template_id in TEMPLATE_IDS:
        when = LIBRARY.templates[template_id].when
        assert when.startswith("When ") and when.endswith(".") and when.count(".") == 1


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    real = content.content_dir("prompts")
    copy = tmp_path / "prompts"
    shutil.copytree(real, copy)

    def redirected(kind: str) -> Path:
        return copy if kind == "prompts" else real.parent / kind

    monkeypatch.setattr(content, "content_dir", redirected)
    monkeypatch.setattr(prompts, "content_dir", redirected)
    return copy


@pytest.mark.parametrize(("edit", "message"), [
    (lambda text: "\n".join(line for line in text.split("\n") if not line.startswith("when =")),
     "'when' must be non-empty text"),
    (lambda text: text.replace('when = "When', 'when = "Always. When', 1), "one sentence"),
])
def test_a_missing_or_rambling_when_fails_loading(content_copy: Path, edit: object,
                                                  message: str) -> None:
    path = content_copy / "templates" / "code.toml"
    assert callable(edit)
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        load_library.__wrapped__()


# ------------------------------------------------------------------ today's encounter first


def test_the_template_for_todays_encounter_comes_first() -> None:
    today = date(2026, 3, 10)
    checkins = [
        CheckIn(created=at(today - timedelta(days=1), 20), encounter="patient-death"),
        CheckIn(created=at(today, 8), encounter="code"),
        CheckIn(created=at(today, 9), mood=2),  # later, no encounter: does not hide the code
    ]
    fit = todays_fit(checkins, today)
    assert fit == TodaysFit("code")
    order = [t.id for t in templates_in_order(LIBRARY, fit)]
    assert order[0] == "code"
    assert sorted(order) == sorted(LIBRARY.templates)


def test_the_last_encounter_today_wins_and_others_for_it_follow() -> None:
    today = date(2026, 3, 10)
    checkins = [CheckIn(created=at(today, 8), encounter="code"),
                CheckIn(created=at(today, 18), encounter="goals-of-care")]
    order = [t.id for t in templates_in_order(LIBRARY, todays_fit(checkins, today))]
    # goals-of-care's own template, then the others written for that encounter.
    assert order[0] == "goals-of-care"
    assert set(order[1:3]) == {"bad-news", "moral-distress"}


def test_a_good_moment_today_puts_three_good_things_first() -> None:
    today = date(2026, 3, 10)
    fit = todays_fit([CheckIn(created=at(today, 8), good_moment=True)], today)
    assert fit == TodaysFit(None, True)
    assert templates_in_order(LIBRARY, fit)[0].id == "three-good-things"


def test_nothing_today_keeps_the_library_order() -> None:
    today = date(2026, 3, 10)
    fit = todays_fit([CheckIn(created=at(today - timedelta(days=1), 8), encounter="code")],
                     today)
    assert fit == TodaysFit()
    assert templates_in_order(LIBRARY, fit) == list(LIBRARY.templates.values())


# ------------------------------------------------------------------ unfinished reflections


def old_unfinished(answers: tuple[StepAnswer, ...], template: str = "gibbs") -> Reflection:
    """An unfinished reflection as kept before ``unfinished_step`` was recorded."""
    return Reflection(title="Gibbs' reflective cycle, 1 March (unfinished)", body="x",
                      template_id=template, answers=answers)


def test_an_older_unfinished_reflection_resumes_at_its_first_empty_step() -> None:
    gibbs = LIBRARY.templates["gibbs"]
    kept = old_unfinished((
        StepAnswer("description", "text", text="The family meeting."),
        StepAnswer("feelings", "emotions", emotions=(Emotion("sad", 3),)),
        StepAnswer("evaluation", "text", text="   "),  # an empty box is not an answer
        StepAnswer("analysis", "text", text="We rushed it."),
    ))
    assert resume_step(kept, gibbs) == 2
    [offered] = unfinished_reflections([kept], LIBRARY.templates)
    assert offered.reflection is kept and offered.step == 2


def test_a_moment_of_silence_is_never_the_empty_step() -> None:
    death = LIBRARY.templates["patient-death"]
    assert death.steps[0].kind == "pause"
    kept = old_unfinished((StepAnswer("what-happened", "text", text="Bed 4."),),
                          "patient-death")
    assert resume_step(kept, death) == 2


def test_everything_answered_resumes_at_the_finishing_page() -> None:
    gibbs = LIBRARY.templates["gibbs"]
    kept = old_unfinished(tuple(StepAnswer(s.id, s.kind, text="x") if s.kind == "text" else
                                StepAnswer(s.id, s.kind, emotions=(Emotion("calm", 2),))
                                for s in gibbs.steps))
    assert resume_step(kept, gibbs) == len(gibbs.steps)


def test_a_recorded_step_wins_and_finished_or_unknown_ones_are_not_offered() -> None:
    gibbs = LIBRARY.templates["gibbs"]
    recorded = Reflection(title="Later (unfinished)", body="x", template_id="gibbs",
                          unfinished_step=4, updated=at(date(2026, 3, 2), 9),
                          created=at(date(2026, 3, 2), 9))
    assert resume_step(recorded, gibbs) == 4
    older = old_unfinished(())
    finished = Reflection(title="Gibbs' reflective cycle, 1 March", body="x",
                          template_id="gibbs")
    gone = Reflection(title="Mine (unfinished)", body="x", template_id="custom-gone")
    offered = unfinished_reflections([older, finished, gone, recorded], LIBRARY.templates)
    assert [u.reflection for u in offered] == [older, recorded]  # newest first
    assert [u.step for u in offered] == [0, 4]
