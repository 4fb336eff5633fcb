"""Small helpers for the words the app shows: counts with the right noun, encounter types,
training stages."""

from __future__ import annotations

from .model import ENCOUNTER_LABELS

#: The training stages (the prompts' levels) as the app names them everywhere: the app speaks
#: to students, so the last is a senior student's sub-internship, not a residency.
LEVEL_LABELS = {
    "early": "Pre-clinical years",
    "clerkship": "Clerkships",
    "advanced": "Sub-internship (senior student)",
}

#: Credit where the frameworks are used (the self-assessment, the portfolio, Help); the same
#: sources the content files name (prompts/assessments.toml, the templates).
COMPETENCY_CREDIT = (
    "The five competencies are the Massachusetts Medical Schools' Collaborative's shared "
    "competencies in serious illness communication (2018), in short paraphrase."
)
CARE7_CREDIT = (
    "CARE-7 goals: after the CARE-7 goals of palliative care education, in short paraphrase."
)


def plural(count: int, one: str, many: str | None = None) -> str:
    """"1 day", "1,204 days"; ``many`` for an irregular plural ("1 entry", "2 entries")."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def encounter_words(key: str) -> str:
    """An encounter type as the app says it elsewhere, inside a sentence ("a patient's death"),
    never its id."""
    label = ENCOUNTER_LABELS.get(key, key.replace("-", " "))
    return label[:1].lower() + label[1:]
