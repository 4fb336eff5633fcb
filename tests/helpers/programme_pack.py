"""A small, valid programme content pack (written to a folder), for the programme tests."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

PROMPTS = """\
version = 1
facet = "meaning"

[[prompt]]
id = "clerkship-meaning-01"
facet = "meaning"
level = "clerkship"
encounters = ["any"]
competencies = [4]
care7 = ["own-emotions"]
text = "What did this rotation teach you about what keeps you going?"

[[prompt]]
id = "clerkship-meaning-02"
facet = "meaning"
level = "early"
encounters = ["patient-death"]
competencies = [4, 5]
care7 = ["end-of-life"]
text = "Which moment of this week do you want to remember, and why?"
"""

TEMPLATE = """\
version = 1
id = "rotation-debrief"
title = "End of rotation"
credit = "Written for the programme"
summary = "Three questions at the end of a rotation."
when = "At the end of each rotation, to look back before the next one."
encounters = ["any"]
series_days = 0

[[step]]
id = "what"
kind = "text"
title = "What stayed with you?"
prompt = "Which patient or moment stayed with you from this rotation?"

[[step]]
id = "next"
kind = "text"
title = "What next?"
prompt = "What will you carry into the next rotation?"
"""

SUPPORT = """\
version = 1

[[resource]]
id = "school-wellbeing"
country = "US"
name = "School wellbeing office"
contact = "Call 555 0100"
url = "https://wellbeing.example.edu"
hours = "Weekdays 9 to 5"
description = "Confidential counselling for students of the programme."
last_checked = 2026-11-01
checked_by = "programme lead"
verified = true
"""

ROTATIONS = """\
version = 1

[[rotation]]
id = "medicine"
start = 2027-01-04
end = 2027-02-01
reflection = "rotation-debrief"

[[rotation]]
id = "surgery"
start = 2027-02-01
end = 2027-03-01
"""


def write_pack(folder: Path, **replace: str) -> Path:
    """Write the pack to ``folder``; ``replace`` swaps a file's text (key: prompts, template,
    support, rotations)."""
    files = {
        "prompts/meaning.toml": replace.get("prompts", PROMPTS),
        "templates/rotation-debrief.toml": replace.get("template", TEMPLATE),
        "support.toml": replace.get("support", SUPPORT),
        "rotations.toml": replace.get("rotations", ROTATIONS),
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def rotations_around(today: date, reflection: str = "rotation-debrief") -> str:
    """A ``rotations.toml`` whose first rotation holds ``today`` and asks for ``reflection``
    (the second, later one asks for nothing)."""
    start, end = today - timedelta(days=7), today + timedelta(days=21)
    return (f'version = 1\n\n[[rotation]]\nid = "now"\nstart = {start.isoformat()}\n'
            f'end = {end.isoformat()}\nreflection = "{reflection}"\n\n[[rotation]]\n'
            f'id = "later"\nstart = {end.isoformat()}\n'
            f'end = {(end + timedelta(days=28)).isoformat()}\n')


def enrol_student(lead: Journal, student: Journal,
                  name: str = "Palliative Care Clerkship") -> None:
    """``lead`` creates the programme ``name`` and enrols ``student`` (given an identity)."""
    from journal_app.core.programme import service as programme
    from journal_app.core.sharing import service as sharing

    programme.create(lead, name)
    sharing.ensure_identity(student, "Sam Student")
    programme.enrol(lead, [sharing.my_card(student).to_bytes()])


def publish_to(lead: Journal, student: Journal, folder: Path, rotations: str) -> None:
    """``lead`` publishes its pack (with ``rotations``) into ``folder``; ``student`` takes it."""
    from journal_app.core.programme import service as programme

    programme.pack_set(lead, write_pack(folder / "pack", rotations=rotations))
    programme.publish(lead, folder / "programme.json")
    programme.take(student, programme.check_programme(
        student, (folder / "programme.json").read_bytes()))
