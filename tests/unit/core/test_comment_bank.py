"""The mentor's comment bank (sealed records) and REFLECT's criteria with question prompts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.core.errors import NotFoundError, ValidationError
from journal_app.core.sharing import comments
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    made, _key = Journal.create(tmp_path / "m", "correct horse", kdf=TEST_KDF)
    yield made
    made.close()


def test_phrases_are_kept_once_sealed_and_removed(journal: Journal) -> None:
    first = comments.add_phrase(journal, "  What  did that moment ask of you? ")
    assert first.text == "What did that moment ask of you?"
    assert comments.add_phrase(journal, "What did that moment ask of you?") == first
    comments.add_phrase(journal, "You stayed.\nThat matters.")
    assert [p.text for p in comments.phrases(journal)] == [
        "What did that moment ask of you?", "You stayed.\nThat matters."]
    assert b"moment ask" not in (journal.data_dir / DB_NAME).read_bytes()
    comments.remove_phrase(journal, first.id)
    assert len(comments.phrases(journal)) == 1
    with pytest.raises(NotFoundError):
        comments.remove_phrase(journal, first.id)
    for bad in ("", "   ", "x" * 2_001):
        with pytest.raises(ValidationError):
            comments.add_phrase(journal, bad)


def test_every_reflect_criterion_has_questions() -> None:
    criteria, credit = comments.reflect_criteria()
    assert "Wald" in credit and len(criteria) == 5
    for criterion in criteria:
        assert criterion.looks_for and criterion.questions
        assert all(q.endswith("?") for q in criterion.questions)  # feedback as questions
