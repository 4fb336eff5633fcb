"""The body of a guided reflection, built from its answers: compared whole."""

from __future__ import annotations

from journal_app.core.practice.prompts import Step, load_library
from journal_app.core.practice.reflection_text import answer_markdown, reflection_body, signed
from journal_app.core.records.model import CopingRating, Emotion, StepAnswer

TEMPLATE = load_library().templates["patient-death"]
LABELS = {c.id: c.label for c in load_library().coping}


def answers() -> list[StepAnswer]:
    return [
        StepAnswer("what-happened", "text", text="She died at midnight, her son beside her."),
        StepAnswer("feelings", "emotions", emotions=[Emotion("grief", 4), Emotion("numb", 2)]),
        StepAnswer("remember", "text"),  # skipped: no section
        StepAnswer("weight", "scale", value=7),
        StepAnswer("what-helped", "coping", coping=[CopingRating("talked-to-someone", 2),
                                                    CopingRating("denial", -1)]),
        StepAnswer("who-to-talk-to", "text", text="Dr A."),
        StepAnswer("plan", "plan", text="  Sleep, then call my sister.  "),
    ]


def test_the_body_of_a_reflection_after_a_death() -> None:
    assert reflection_body(TEMPLATE.steps, answers(), LABELS) == (
        "## What happened?\n"
        "\n"
        "She died at midnight, her son beside her.\n"
        "\n"
        "## What are you feeling?\n"
        "\n"
        "grief 4/5, numb 2/5\n"
        "\n"
        "## How heavy does it feel?\n"
        "\n"
        "7 / 10\n"
        "\n"
        "## What has helped?\n"
        "\n"
        "- Talked it through with someone I trust: helped a lot (+2)\n"
        "- Pushed it down and told myself it was fine: made it a little worse (-1)\n"
        "\n"
        "## Who could you talk to?\n"
        "\n"
        "Dr A.\n"
        "\n"
        "## Tonight and tomorrow\n"
        "\n"
        "Sleep, then call my sister.\n"
    )


def test_a_strategy_ticked_but_not_rated_is_written_alone() -> None:
    step = Step("what-helped", "coping", "What has helped?", "")
    answer = StepAnswer("what-helped", "coping", coping=[CopingRating("talked-to-someone", 0),
                                                          CopingRating("denial", 0)])
    assert answer_markdown(step, answer, LABELS, {("what-helped", "denial")}) == (
        "- Talked it through with someone I trust: made no difference (0)\n"
        "- Pushed it down and told myself it was fine")


def test_nothing_answered_is_an_empty_body() -> None:
    empty = [StepAnswer(s.id, s.kind) for s in TEMPLATE.steps if s.kind != "pause"]
    assert reflection_body(TEMPLATE.steps, empty, LABELS) == ""
    assert reflection_body(TEMPLATE.steps, [], LABELS) == ""


def test_a_scale_reads_against_its_own_top_and_a_lost_label_reads_in_words() -> None:
    scale = Step("sleep", "scale", "Sleep", "", min=1, max=5)
    assert answer_markdown(scale, StepAnswer("sleep", "scale", value=4), LABELS) == "4 / 5"
    coping = Step("c", "coping", "What helped", "")
    answer = StepAnswer("c", "coping", coping=[CopingRating("a-walk-outside", 1)])
    assert answer_markdown(coping, answer, {}) == "- A walk outside: helped a little (+1)"
    assert [signed(v) for v in (-2, 0, 2)] == ["-2", "0", "+2"]
