"""One vocabulary: every id the app stores has the words the app shows for it, and the exports
use the same words as the screens."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

import pytest

from journal_app.core import vocabulary
from journal_app.core.interchange import HtmlExporter
from journal_app.core.practice.prompts import (
    CARE7,
    COPING_GROUPS,
    FACETS,
    LEVELS,
    THEMES,
    load_library,
)
from journal_app.core.records.model import CUSTOM_STEP_KINDS, ENCOUNTER_TYPES, Entry


def test_every_id_has_its_words() -> None:
    assert set(vocabulary.ENCOUNTER_LABELS) == set(ENCOUNTER_TYPES)
    assert set(vocabulary.LEVEL_LABELS) == set(LEVELS)
    assert set(vocabulary.FACET_LABELS) == set(FACETS)
    assert set(vocabulary.CARE7_LABELS) == set(CARE7)
    assert set(vocabulary.THEME_LABELS) == set(THEMES)
    assert set(vocabulary.COMPETENCY_LABELS) == {1, 2, 3, 4, 5}
    assert set(vocabulary.COPING_GROUP_LABELS) == set(COPING_GROUPS)
    assert set(vocabulary.STEP_KIND_LABELS) == set(CUSTOM_STEP_KINDS)
    assert set(vocabulary.HELPED_WORDS) == {-2, -1, 0, 1, 2}
    assert set(vocabulary.WALD_NAMES) == {level.id for level in load_library().reflect}
    for words in (vocabulary.ENCOUNTER_LABELS, vocabulary.LEVEL_LABELS,
                  vocabulary.FACET_LABELS, vocabulary.COPING_GROUP_LABELS):
        for key, label in words.items():
            assert label and label[0].isupper() and label != key, key


@pytest.mark.parametrize("encounter", ENCOUNTER_TYPES)
def test_the_html_export_names_an_encounter_as_the_app_does(
        encounter: str, tmp_path: Path) -> None:
    when = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    out = tmp_path / "j.html"
    HtmlExporter().write([Entry(created=when, updated=when, title="A day",
                                encounter=encounter)], out)
    page = html.unescape(out.read_text(encoding="utf-8"))
    label = vocabulary.ENCOUNTER_LABELS[encounter]
    assert f"<li>{label}</li>" in page
    for other in {encounter, vocabulary.id_words(encounter)} - {label}:
        assert f"<li>{other}</li>" not in page  # never the id, nor a word made from it


def test_words_inside_a_sentence() -> None:
    assert vocabulary.encounter_words("bad-news") == "breaking bad news"
    assert vocabulary.in_sentence("Talked it through with someone I trust") == (
        "talked it through with someone I trust")
    assert vocabulary.id_words("goals-of-care") == "Goals of care"
    assert vocabulary.plural(1, "entry", "entries") == "1 entry"
    assert vocabulary.plural(1204, "day") == "1,204 days"
    assert vocabulary.rating_label("mood") == "Mood (−5 to 5)"
    assert vocabulary.rating_label("stress") == "Stress (0 to 10)"
    assert vocabulary.rating_label("mood", ascii_minus=True) == "Mood (-5 to 5)"
    assert vocabulary.kind_label("checkin") == "Check-in"
    assert vocabulary.count_text(2, "custom-template") == "2 templates of your own"
