"""Journal text comes from files, never the command line: a command line is readable by every
user of the computer (/proc/PID/cmdline, ps) and is kept in shell history. ``add``/``edit
--fields-file``, ``search --query-file``, ``deid-names --add-file`` and ``card export
--name-file`` take from a file (or standard input) what the flags would carry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import E2EEnv, fails, ok, ok_json, snapshot

FIELDS = {
    "title": "Night shift", "tag": ["nights", "grief"], "own-emotion": ["sadness:4", "relief"],
    "mood": -2, "energy": -3, "stress": 7, "encounter": "patient-death",
    "date": "2026-03-14T18:30+01:00", "star": True,
    "body": "We lost Mr B at 4am.\n\nI stayed with his daughter.",
}


def _file(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return path


def test_add_takes_every_field_from_a_file(vault_env: E2EEnv, tmp_path: Path) -> None:
    [entry] = ok_json(vault_env, "add", "--fields-file", str(_file(tmp_path, "f.json", FIELDS)))
    assert entry["title"] == "Night shift"
    assert entry["tags"] == ["nights", "grief"]
    assert entry["emotions"] == [{"name": "sadness", "intensity": 4},
                                 {"name": "relief", "intensity": 3}]
    assert (entry["mood"], entry["energy"], entry["stress"]) == (-2, -3, 7)
    assert entry["encounter"] == "patient-death"
    assert entry["created"].startswith("2026-03-14T18:30:00+01:00")
    assert entry["starred"] is True
    assert entry["body"] == FIELDS["body"]


def test_add_reads_the_fields_from_standard_input(vault_env: E2EEnv) -> None:
    [entry] = ok_json(vault_env, "add", "--fields-file", "-",
                      input=json.dumps({"title": "From a pipe", "body": "Quiet text."}))
    assert (entry["title"], entry["body"]) == ("From a pipe", "Quiet text.")


def test_fields_file_and_body_file_together(vault_env: E2EEnv, tmp_path: Path) -> None:
    fields = _file(tmp_path, "f.json", {"title": "Two files"})
    [entry] = ok_json(vault_env, "add", "--fields-file", str(fields), "--body-file", "-",
                      input="The text itself.\n")
    assert (entry["title"], entry["body"]) == ("Two files", "The text itself.")


def test_edit_takes_its_changes_from_a_file(vault_env: E2EEnv, tmp_path: Path) -> None:
    [entry] = ok_json(vault_env, "add", "--fields-file", str(_file(tmp_path, "f.json", FIELDS)))
    changes = {"title": "Night shift, later", "unstar": True, "encounter": "", "tag": ["later"],
               "body": "Written again a week on."}
    [edited] = ok_json(vault_env, "edit", entry["id"], "--fields-file",
                       str(_file(tmp_path, "e.json", changes)))
    assert edited["title"] == "Night shift, later"
    assert edited["starred"] is False and edited["encounter"] is None
    assert edited["tags"] == ["later"] and edited["body"] == "Written again a week on."
    assert edited["mood"] == -2  # not in the file: unchanged


BAD = {
    "not json": "{title: 'x'}",
    "a list": ["title"],
    "unknown field": {"title": "x", "titel": "y"},
    "unstar when adding": {"unstar": True},
    "mood as text": {"mood": "low"},
    "mood true": {"mood": True},
    "tag not a list": {"tag": "nights"},
    "tag list of numbers": {"tag": [1, 2]},
    "star as text": {"star": "yes"},
    "title a number": {"title": 5},
    "body null": {"body": None},
    "unknown encounter": {"encounter": "picnic"},
    "mood out of range": {"mood": 9},
    "bad date": {"date": "yesterday"},
    "bad emotion": {"emotion": ["sad:x"]},
}


@pytest.mark.parametrize("case", BAD)
def test_bad_fields_files_write_nothing(vault_env: E2EEnv, tmp_path: Path, case: str) -> None:
    before = snapshot(vault_env.data_dir)
    path = _file(tmp_path, "f.json", BAD[case])
    line = fails(vault_env.run("add", "--fields-file", str(path), input="a private line"), 2)
    assert "unrecognized" not in line.lower()  # refused for what the file holds
    assert "a private line" not in line and "Night" not in line
    assert snapshot(vault_env.data_dir) == before


def test_other_ways_a_fields_file_goes_wrong(vault_env: E2EEnv, tmp_path: Path) -> None:
    before = snapshot(vault_env.data_dir)
    fields = str(_file(tmp_path, "f.json", {"title": "In the file"}))
    fails(vault_env.run("add", "--fields-file", str(tmp_path / "missing.json")), 2,
          "does not exist")
    (tmp_path / "latin1.json").write_bytes(b'{"title": "caf\xe9"}')
    fails(vault_env.run("add", "--fields-file", str(tmp_path / "latin1.json")), 2, "UTF-8")
    fails(vault_env.run("add", "--fields-file", fields, "--title", "Here too"), 2,
          "both on the command line and in the fields file")
    fails(vault_env.run("add", "--fields-file", "-", "--body-file", "-", input="{}"), 2,
          "standard input")
    fails(vault_env.run("edit", "0" * 32, "--fields-file",
                        str(_file(tmp_path, "g.json", {"star": 1}))), 2, "star must be")
    assert snapshot(vault_env.data_dir) == before


def test_search_reads_its_words_from_a_file(vault_env: E2EEnv, tmp_path: Path) -> None:
    ok(vault_env, "add", "--fields-file", str(_file(tmp_path, "f.json", FIELDS)))
    ok(vault_env, "add", "--title", "Other", input="Nothing to see.")
    query = _file(tmp_path, "q.txt", "daughter\n")
    found = ok_json(vault_env, "search", "--query-file", str(query))
    assert [e["title"] for e in found] == ["Night shift"]
    found = ok_json(vault_env, "search", "--query-file", "-", input='"Mr B"')
    assert [e["title"] for e in found] == ["Night shift"]
    fails(vault_env.run("search", "daughter", "--query-file", str(query)), 2, "not both")
    fails(vault_env.run("search"), 2, "--query-file")


def test_deid_names_are_added_from_a_file(vault_env: E2EEnv, tmp_path: Path) -> None:
    names = _file(tmp_path, "names.txt", "Mr Brown\n\nDr Okafor\n")
    assert ok_json(vault_env, "deid-names", "--add-file", str(names)) == ["Mr Brown",
                                                                        "Dr Okafor"]
    assert ok_json(vault_env, "deid-names", "--add-file", "-", input="Ms Li\n") == [
        "Mr Brown", "Dr Okafor", "Ms Li"]
    assert ok_json(vault_env, "deid-names", "--remove-file", "-", input="Mr Brown\n") == [
        "Dr Okafor", "Ms Li"]
    fails(vault_env.run("deid-names", "--add-file", str(tmp_path / "missing.txt")), 2,
          "does not exist")


def test_card_name_from_a_file(vault_env: E2EEnv, tmp_path: Path) -> None:
    name = _file(tmp_path, "name.txt", "Sam Student\n")
    out = ok_json(vault_env, "card", "export", "--name-file", str(name),
                  "--out", str(tmp_path / "sam.card"))
    assert out["name"] == "Sam Student"
    fails(vault_env.run("card", "export", "--name-file", str(name), "--name", "Sam",
                        "--out", str(tmp_path / "other.card")), 2, "not both")


def test_help_says_why_the_files_exist(env: E2EEnv) -> None:
    for command in (("add",), ("edit",), ("search",), ("deid-names",), ("card", "export")):
        text = " ".join(ok(env, *command, "--help").stdout.split())
        assert "other users" in text and "shell history" in text, command
