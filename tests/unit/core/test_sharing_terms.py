"""What a mentor may and may not do with what is shared, formative or not, and the guidance on
distress (issue 24): the programme's words from its pack's sharing.toml, or a plain default."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal_app.core import programme
from journal_app.core.practice.pack import (
    DEFAULT_TERMS,
    PackInvalidError,
    parse_pack,
    sharing_terms,
)
from tests.unit.core import test_programme
from tests.unit.core.test_programme import World, join

vaults = test_programme.vaults
world = test_programme.world

TERMS = '''version = 1
formative = false
mentor_may = ["read what you share", "discuss it with you at your next meeting"]
mentor_may_not = ["show it to the clerkship director"]
risk_guidance = "Call the student today; tell the wellbeing lead on 0100 if you are worried."
'''


def test_the_programmes_words_or_a_plain_default(world: World, tmp_path: Path) -> None:
    assert sharing_terms(world.student) == DEFAULT_TERMS and DEFAULT_TERMS.formative
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "sharing.toml").write_text(TERMS)
    programme.pack_set(world.lead, pack)
    join(world.student, world.publish())
    terms = sharing_terms(world.student)
    assert terms.source == "Palliative Care Clerkship" and not terms.formative
    assert terms.mentor_may_not == ("show it to the clerkship director",)
    assert terms.risk_guidance.startswith("Call the student today")


@pytest.mark.parametrize(("text", "why"), [
    ("version = 2\n", "version = 1"),
    ("version = 1\nformative = \"yes\"\n", "true or false"),
    ("version = 1\nmentor_may = [1]\n", "short sentences"),
    ("version = 1\nrisk_guidance = \"\"\n", "paragraph"),
    ("version = 1\ngrades = true\n", "grades"),
])
def test_a_bad_sharing_file_names_the_line_and_reason(text: str, why: str) -> None:
    with pytest.raises(PackInvalidError, match=why):
        parse_pack({"sharing.toml": text})
