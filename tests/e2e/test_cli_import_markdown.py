"""``journal-app import --format markdown FOLDER`` as a separate process."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.e2e.conftest import build_vault, fails, make_env, ok, ok_json, snapshot

TZ = "Pacific/Auckland"

EXPORTED = """---
id: 5e0f1b1c4a4a4f2d9c0b3e3b6f1a2c3d
created: 2026-03-14T18:30:00+13:00
updated: 2026-03-14T19:00:00+13:00
title: The family meeting
tags: [goals of care, nights]
starred: true
mood: -2
energy: null
stress: 7
encounter: goals-of-care
emotions:
- name: sadness
  intensity: 4
---

We sat with the daughter for an hour.
"""


def make_folder(root: Path) -> Path:
    folder = root / "My notes"
    (folder / "2025" / "march").mkdir(parents=True)
    (folder / ".obsidian").mkdir()
    (folder / ".obsidian" / "app.md").write_text("settings, not a note", encoding="utf-8")
    (folder / "2026-03-14-1830-5e0f1b1c.md").write_text(EXPORTED, encoding="utf-8")
    (folder / "2025" / "2025-03-02.md").write_text("A daily note.\n", encoding="utf-8")
    plain = folder / "2025" / "march" / "ward round.txt"
    plain.write_text("# Ward round\n\nTeaching on sepsis.\n", encoding="utf-8")
    when = datetime(2025, 3, 9, 7, 45, tzinfo=ZoneInfo(TZ)).timestamp()
    os.utime(plain, (when, when))
    return folder


def test_import_a_markdown_folder(tmp_path: Path) -> None:
    env = make_env(tmp_path / "cli", TZ=TZ)
    build_vault(env.data_dir)
    folder = make_folder(tmp_path)
    result = ok_json(env, "import", "--format", "markdown", str(folder))
    assert result == {"imported": 3, "skipped_duplicates": 0, "not_imported": {}}
    items = ok_json(env, "list")
    got = [(i["created"], i["title"], i["body"], i["tags"], i["starred"]) for i in items]
    assert got == [
        ("2026-03-14T18:30:00+13:00", "The family meeting",
         "We sat with the daughter for an hour.", ["goals of care", "nights"], True),
        ("2025-03-09T07:45:00+13:00", "Ward round", "Teaching on sepsis.", [], False),
        ("2025-03-02T00:00:00+13:00", "", "A daily note.", [], False),
    ]
    family = items[0]
    assert family["id"] == "5e0f1b1c4a4a4f2d9c0b3e3b6f1a2c3d"
    assert (family["mood"], family["energy"], family["stress"], family["encounter"]) == (
        -2, None, 7, "goals-of-care")
    assert family["emotions"] == [{"name": "sadness", "intensity": 4}]
    # A second import of the same folder: every note is already there.
    again = ok(env, "import", "--format", "markdown", str(folder)).stdout
    assert "Imported 0 records; skipped 3 already in the journal." in again
    assert len(ok_json(env, "list")) == 3


def test_a_broken_note_imports_nothing(tmp_path: Path) -> None:
    env = make_env(tmp_path / "cli", TZ=TZ)
    build_vault(env.data_dir, entries=[{"title": "already here"}])
    folder = make_folder(tmp_path)
    bad = folder / "2025" / "march" / "broken.md"
    bad.write_text("---\ntitle: fine\nmood: [very low\n---\nSECRET TEXT\n", encoding="utf-8")
    before = snapshot(env.data_dir)
    line = fails(env.run("import", "--format", "markdown", str(folder)), 4,
                 "2025/march/broken.md, line 3: the front matter is not valid YAML")
    assert "nothing was imported" in line and "SECRET" not in line
    assert snapshot(env.data_dir) == before
    assert [i["title"] for i in ok_json(env, "list")] == ["already here"]


def test_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    env = make_env(tmp_path / "cli", TZ=TZ)
    build_vault(env.data_dir)
    note = tmp_path / "one.md"
    note.write_text("# One\n", encoding="utf-8")
    fails(env.run("import", "--format", "markdown", str(note)), 4, "is a file, not a folder")
