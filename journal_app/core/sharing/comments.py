"""The mentor's comment bank and REFLECT's criteria beside the rating (issue 24).

The comment bank is the mentor's own phrases, each a ``comment-phrase`` record (encrypted like
every record, never sent as such: a phrase goes out only inside feedback the mentor sends).
The criteria (``resources/reflect-feedback.toml``) name what each of Wald's REFLECT criteria looks
for, with feedback prompts phrased as questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from journal_app.core.content import ContentError, load_toml
from journal_app.core.errors import NotFoundError, ValidationError, describe
from journal_app.core.records.model import MAX_PHRASE, CommentPhrase

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

#: How many phrases a comment bank holds.
MAX_PHRASES = 500


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    looks_for: str
    questions: tuple[str, ...]


@cache
def reflect_criteria() -> tuple[tuple[Criterion, ...], str]:
    """REFLECT's criteria with their question prompts, and the credit line.

    Raises:
        ContentError: the shipped file is missing or malformed (a packaging bug).
    """
    data = load_toml("resources", "reflect-feedback.toml")
    try:
        criteria = tuple(
            Criterion(str(c["id"]), str(c["name"]), str(c["looks_for"]),
                      tuple(str(q) for q in c["questions"]))
            for c in data["criterion"])
        credit = str(data["credit"])
    except (KeyError, TypeError) as exc:
        raise ContentError(f"reflect-feedback.toml is not valid: {exc}") from None
    if not criteria or any(not c.questions for c in criteria):
        raise ContentError("reflect-feedback.toml has a criterion without questions")
    return criteria, credit


def phrases(journal: Journal) -> list[CommentPhrase]:
    """The comment bank, oldest first."""
    return sorted(journal.records(CommentPhrase), key=lambda p: (p.added, p.id))


def add_phrase(journal: Journal, text: str) -> CommentPhrase:
    """Keep a phrase in the comment bank (a phrase already there is not added twice).

    Raises:
        ValidationError: empty, too long, or the bank is full.
    """
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    existing = next((p for p in phrases(journal) if p.text == text), None)
    if existing is not None:
        return existing
    if len(phrases(journal)) >= MAX_PHRASES:
        raise ValidationError(f"The comment bank holds at most {MAX_PHRASES} phrases.")
    try:
        phrase = CommentPhrase(text=text)
    except ValueError as exc:
        raise ValidationError(describe(exc) if text else "A phrase cannot be empty.") from None
    if len(phrase.text) > MAX_PHRASE:
        raise ValidationError(f"A phrase holds at most {MAX_PHRASE:,} characters.")
    journal.add_record(phrase)
    return phrase


def remove_phrase(journal: Journal, phrase_id: str) -> None:
    """Take a phrase out of the comment bank.

    Raises:
        NotFoundError: it is not there (any more).
    """
    if not journal.remove_records(CommentPhrase, [phrase_id]):
        raise NotFoundError("That phrase is not in your comment bank any more.")
