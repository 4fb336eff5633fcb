"""The body of a guided reflection: its answers as Markdown, so it reads and searches like any
entry (the :class:`~journal_app.core.records.model.Reflection` keeps the structured answers beside
it).

One section a step that was answered, in the template's order: ``## {step title}`` and the
answer (text as written; feelings as "name n/5"; a scale as "n / max"; each coping strategy
ticked as a list item with how much it helped, in words and as a number).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from journal_app.core.practice.prompts import Step
from journal_app.core.records.model import StepAnswer
from journal_app.core.vocabulary import HELPED_WORDS, id_words


def signed(value: int) -> str:
    """"+2", "0", "-1"."""
    return f"+{value}" if value > 0 else str(value)


def answer_markdown(step: Step, answer: StepAnswer, coping_labels: Mapping[str, str],
                    unrated: Collection[tuple[str, str]] = ()) -> str:
    """One answer as Markdown ('' when nothing was answered). ``unrated`` holds the
    ``(step id, strategy id)`` of each coping strategy ticked without saying how much it helped
    (stored as 0, written as the strategy alone)."""
    if step.kind in ("text", "plan"):
        return answer.text.strip()
    if step.kind == "emotions":
        return ", ".join(f"{e.name} {e.intensity}/5" for e in answer.emotions)
    if step.kind == "scale":
        return "" if answer.value is None else f"{answer.value} / {step.max}"
    if step.kind == "coping":
        lines = []
        for rating in answer.coping:
            label = coping_labels.get(rating.strategy) or id_words(rating.strategy)
            if (step.id, rating.strategy) in unrated:
                lines.append(f"- {label}")
            else:
                lines.append(f"- {label}: {HELPED_WORDS[rating.helped]} ({signed(rating.helped)})")
        return "\n".join(lines)
    return ""  # a pause has nothing to write


def reflection_body(steps: Sequence[Step], answers: Iterable[StepAnswer],
                    coping_labels: Mapping[str, str],
                    unrated: Collection[tuple[str, str]] = ()) -> str:
    """The Markdown body of a reflection on ``steps`` with ``answers`` (see
    :func:`answer_markdown`); '' when nothing was answered."""
    by_step = {answer.step_id: answer for answer in answers}
    parts = []
    for step in steps:
        answer = by_step.get(step.id)
        text = answer_markdown(step, answer, coping_labels, unrated) if answer else ""
        if text:
            parts.append(f"## {step.title}\n\n{text}")
    return "\n\n".join(parts) + ("\n" if parts else "")
