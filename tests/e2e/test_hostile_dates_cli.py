"""Hostile dates through the command line: one plain sentence, nothing written. A Day One entry
dated year 1 in a far time zone used to stop the import with "an unexpected error"."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from .conftest import E2EEnv, fails, ok, snapshot


def _dayone(path: Path, created: str, zone: str) -> Path:
    doc = {"metadata": {"version": "1.0"}, "entries": [
        {"uuid": "0" * 32, "creationDate": created, "timeZone": zone, "text": "a private line"}]}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Journal.json", json.dumps(doc))
    return path


@pytest.mark.parametrize(("created", "zone"), [("0001-01-01T00:00:00Z", "Etc/GMT+12"),
                                               ("9999-12-31T23:59:59Z", "Etc/GMT-14")])
def test_a_dayone_entry_at_the_end_of_the_calendar(vault_env: E2EEnv, tmp_path: Path,
                                                   created: str, zone: str) -> None:
    before = snapshot(vault_env.data_dir)
    path = _dayone(tmp_path / "dayone.zip", created, zone)
    line = fails(vault_env.run("import", "--format", "dayone", str(path)), 4,
                 "creationDate is not between the years 1900 and 2200")
    assert "a private line" not in line
    assert snapshot(vault_env.data_dir) == before


def test_a_json_entry_dated_year_one_at_plus_14(vault_env: E2EEnv, tmp_path: Path) -> None:
    before = snapshot(vault_env.data_dir)
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format": "journal-app", "version": 1, "records": [
        {"id": "a" * 32, "kind": "entry", "schema_version": 1,
         "data": {"created": "0001-01-01T00:00:00+14:00", "updated": "0001-01-01T00:00:00+14:00",
                  "title": "t", "body": "a private line"}}]}), encoding="utf-8")
    fails(vault_env.run("import", str(path)), 4, "record 1 is not valid")
    assert snapshot(vault_env.data_dir) == before


@pytest.mark.parametrize("when", ["0001-01-01T00:00+14:00", "9999-12-31T23:59-12:00",
                                  "1899-12-31T12:00+00:00"])
def test_add_edit_and_checkin_refuse_such_dates(vault_env: E2EEnv, when: str) -> None:
    entry_id = ok(vault_env, "add", "--title", "t", input="text").stdout.strip()
    before = snapshot(vault_env.data_dir)
    for args in (("add", "--date", when), ("edit", entry_id, "--date", when),
                 ("checkin", "--mood", "1", "--date", when)):
        fails(vault_env.run(*args, input="text"), 2, "between the years 1900 and 2200")
    assert snapshot(vault_env.data_dir) == before
