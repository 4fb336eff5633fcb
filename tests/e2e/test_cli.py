"""The command line as a user (or a script) sees it: separate processes, real exit codes.

The shared vault runs in Pacific/Auckland time (UTC+13 in March), so a date filter that used UTC
days instead of local ones, or a time written without its offset, shows up as a failure.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import (
    E2EEnv,
    build_vault,
    fails,
    make_env,
    ok,
    ok_json,
)

TZ = "Pacific/Auckland"
FIXTURES = Path(__file__).parent / "fixtures"
RECOVERY_KEY = re.compile(r"\b[A-Z2-7]{4}(?:-[A-Z2-7]{4}){7}\b")
ENTRY_KEYS = {"id", "title", "created", "updated", "tags", "starred", "emotions", "mood",
              "energy", "stress", "encounter", "body"}
FULL_BODY = "Résumé of the night.\n\nThe family wanted **more time**; we gave it.\n"


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(TZ))


@dataclass
class Shared:
    env: E2EEnv
    ids: dict[str, str]
    listing: list[dict[str, Any]]
    added_full: dict[str, Any]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Shared:
    """A vault made through the CLI only, read (never changed) by many tests."""
    root = tmp_path_factory.mktemp("shared")
    env = make_env(root / "cli", TZ=TZ)
    ok(env, "init")
    body_file = root / "body.md"
    body_file.write_text(FULL_BODY, encoding="utf-8")
    ids: dict[str, str] = {}
    (added,) = ok_json(
        env, "add", "--title", "Night shift", "--tag", "ICU", "--tag", "#Night  Shift",
        "--emotion", "grief:4", "--emotion", "relieved", "--mood", "-2", "--energy", "3",
        "--stress", "7", "--encounter", "patient-death", "--date", "2024-03-14T18:30",
        "--star", "--body-file", str(body_file),
    )
    ids["A"] = added["id"]
    specs = {
        "B": (["--title", "Morning handover", "--date", "2024-03-15T23:59"],
              "Handover went quietly; the body came from stdin.\n"),
        "C": (["--title", "After midnight", "--tag", "icu", "--date", "2024-03-16T00:00"],
              "Teaching rounds."),
        "D": (["--title", "Start of day", "--tag", "icu", "--star", "--date", "2024-03-14T00:00"],
              "An early shift."),
        "F": (["--title", "Before", "--date", "2024-03-13T23:59"], "The night before the shift."),
        "E": (["--title", "Today"], "The present moment."),
    }
    for name, (args, body) in specs.items():
        ids[name] = ok(env, "add", *args, input=body).stdout.strip()
    listing = ok_json(env, "list")
    return Shared(env, ids, listing, added)


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def names(shared: Shared, items: list[dict[str, Any]]) -> list[str]:
    reverse = {v: k for k, v in shared.ids.items()}
    return [reverse[item["id"]] for item in items]


# ==================================================================== init


def test_init_prints_the_recovery_key_once_and_it_recovers(env: E2EEnv) -> None:
    result = ok(env, "init")
    keys = RECOVERY_KEY.findall(result.stdout)
    assert len(keys) == 1, result.stdout
    assert result.stdout.count(keys[0]) == 1
    assert not RECOVERY_KEY.search(result.stderr)
    # A second run neither recreates the vault nor shows a key again.
    again = env.run("init")
    fails(again, 1, "already exists")
    assert not RECOVERY_KEY.search(again.stdout + again.stderr)
    # Typed back in lower case with spaces for dashes, the key opens the vault.
    key_file = env.secret("key", "  " + keys[0].lower().replace("-", " ") + "  ")
    new = env.secret("new", "a brand new passphrase")
    ok(env, "recover", "--recovery-key-file", str(key_file), "--new-passphrase-file", str(new))
    fails(env.run("list"), 3)
    assert ok_json(env, "list", "--passphrase-file", str(new)) == []


def test_init_json_and_new_recovery_key_invalidates_the_old_one(env: E2EEnv) -> None:
    out = json.loads(ok(env, "init", "--json").stdout)
    assert set(out) == {"data_dir", "recovery_key"}
    assert Path(out["data_dir"]) == env.data_dir
    assert RECOVERY_KEY.fullmatch(out["recovery_key"])
    old_key = env.secret("old-key", out["recovery_key"])
    new_pass = env.secret("new", "second passphrase")
    ok(env, "recover", "--recovery-key-file", str(old_key), "--new-passphrase-file", str(new_pass))

    result = ok_json(env, "new-recovery-key", "--passphrase-file", str(new_pass))
    assert set(result) == {"recovery_key"}
    assert RECOVERY_KEY.fullmatch(result["recovery_key"])
    assert result["recovery_key"] != out["recovery_key"]
    fails(env.run("recover", "--recovery-key-file", str(old_key),
                  "--new-passphrase-file", str(new_pass)), 3)
    new_key = env.secret("new-key", result["recovery_key"])
    third = env.secret("third", "third passphrase")
    ok(env, "recover", "--recovery-key-file", str(new_key), "--new-passphrase-file", str(third))
    ok(env, "list", "--passphrase-file", str(third))


def test_init_refuses_an_empty_passphrase(env: E2EEnv) -> None:
    env.set_passphrase("")
    fails(env.run("init"), 2, "empty")
    assert not (env.data_dir / "journal.db").exists()


# ==================================================================== add, show, list


def test_add_with_every_flag_is_stored_exactly(shared: Shared) -> None:
    (shown,) = ok_json(shared.env, "show", shared.ids["A"])
    assert shown.pop("attachments") == []  # show lists them; add has none to print
    assert shown.pop("feedback") == []  # and the feedback a mentor sent on it
    assert shown == shared.added_full
    assert shown["title"] == "Night shift"
    assert shown["tags"] == ["icu", "night shift"]
    assert shown["emotions"] == [{"name": "grief", "intensity": 4},
                                 {"name": "relieved", "intensity": 3}]
    assert (shown["mood"], shown["energy"], shown["stress"]) == (-2, 3, 7)
    assert shown["encounter"] == "patient-death"
    assert shown["starred"] is True
    assert shown["body"] == FULL_BODY.removesuffix("\n")
    assert shown["created"] == "2024-03-14T18:30:00+13:00"
    # Written in the past: updated is when it was saved, not the date given.
    assert datetime.fromisoformat(shown["updated"]) > datetime.now().astimezone() - timedelta(
        hours=1)


def test_add_reads_the_body_from_stdin(shared: Shared) -> None:
    (shown,) = ok_json(shared.env, "show", shared.ids["B"])
    assert shown["body"] == "Handover went quietly; the body came from stdin."
    assert shown["tags"] == [] and shown["emotions"] == [] and shown["starred"] is False
    assert shown["mood"] is None and shown["energy"] is None and shown["stress"] is None
    assert shown["encounter"] is None


def test_show_text_output(shared: Shared) -> None:
    out = ok(shared.env, "show", shared.ids["A"][:6]).stdout
    assert out.startswith("Night shift\n")
    for piece in (f"id:       {shared.ids['A']}", "grief 4/5", "relieved 3/5", "mood:     -2",
                  "energy:   +3", "stress:   7/10", "encounter: patient-death", "starred",
                  "Résumé of the night."):
        assert piece in out, piece


def test_json_objects_have_the_documented_shape(shared: Shared) -> None:
    items = shared.listing
    assert len(items) == 6
    for item in items:
        assert set(item) >= ENTRY_KEYS, item
        assert isinstance(item["id"], str) and re.fullmatch(r"[0-9a-f]{32}", item["id"])
        assert isinstance(item["title"], str) and isinstance(item["body"], str)
        for key in ("created", "updated"):
            when = datetime.fromisoformat(item[key])
            assert when.utcoffset() is not None, item[key]
            assert re.search(r"[+-]\d\d:\d\d$", item[key]), item[key]
        assert isinstance(item["tags"], list) and all(isinstance(t, str) for t in item["tags"])
        assert isinstance(item["starred"], bool)
        for emotion in item["emotions"]:
            assert set(emotion) == {"name", "intensity"}
            assert isinstance(emotion["name"], str) and isinstance(emotion["intensity"], int)
        for key in ("mood", "energy", "stress"):
            assert item[key] is None or type(item[key]) is int
        assert item["encounter"] is None or isinstance(item["encounter"], str)


def test_list_is_newest_first_and_limit_cuts_it(shared: Shared) -> None:
    assert names(shared, shared.listing) == ["E", "C", "B", "A", "D", "F"]
    assert names(shared, ok_json(shared.env, "list", "--limit", "2")) == ["E", "C"]
    text = ok(shared.env, "list", "--limit", "3").stdout.splitlines()
    assert [line[:8] for line in text] == [shared.ids[n][:8] for n in ("E", "C", "B")]
    assert "Night shift" not in "".join(text)


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> E2EEnv:
    env = make_env(tmp_path_factory.mktemp("many") / "cli")
    start = datetime(2025, 1, 1, 12, 0).astimezone()
    build_vault(env.data_dir, entries=[
        {"title": f"Entry {i:02d}", "body": f"common word, number {i}",
         "created": start + timedelta(days=i)} for i in range(23)
    ])
    return env


def test_text_output_defaults_to_20_entries_json_gives_all(many: E2EEnv) -> None:
    lines = ok(many, "list").stdout.splitlines()
    assert len(lines) == 20
    assert "Entry 22" in lines[0] and "Entry 03" in lines[-1]
    assert len(ok_json(many, "list")) == 23
    assert len(ok(many, "list", "--limit", "22").stdout.splitlines()) == 22
    hits = [line for line in ok(many, "search", "common").stdout.splitlines()
            if not line.startswith(" ")]
    assert len(hits) == 20
    assert len(ok_json(many, "search", "common")) == 23


# ==================================================================== search


def test_search_json_adds_snippet_and_score(shared: Shared) -> None:
    hits = ok_json(shared.env, "search", "family")
    assert [h["id"] for h in hits] == [shared.ids["A"]]
    hit = hits[0]
    assert set(hit) >= ENTRY_KEYS
    assert "**family**" in hit["snippet"]
    assert isinstance(hit["score"], int | float) and not isinstance(hit["score"], bool)
    assert {k: v for k, v in hit.items() if k not in ("snippet", "score")} == by_id(
        shared.listing)[shared.ids["A"]]


def test_search_words_and_filters(shared: Shared) -> None:
    env = shared.env

    def found(*args: str) -> set[str]:
        return set(names(shared, ok_json(env, "search", *args)))

    assert found("shift") == {"A", "D", "F"}
    assert found("shift", "--starred") == {"A", "D"}
    assert found("", "--tag", "icu") == {"A", "C", "D"}
    assert found("", "--tag", "Night Shift") == {"A"}
    # Local calendar days, both ends included (D at 00:00 on the 14th, B at 23:59 on the 15th).
    assert found("", "--from", "2024-03-14", "--to", "2024-03-15") == {"A", "B", "D"}
    assert found("", "--from", "2024-03-16") == {"C", "E"}
    assert found("", "--to", "2024-03-13") == {"F"}
    assert found("shift", "--tag", "icu", "--starred", "--from", "2024-03-14",
                 "--to", "2024-03-14") == {"A", "D"}


def test_search_without_hits_exits_0(shared: Shared) -> None:
    assert ok_json(shared.env, "search", "xylophone") == []
    result = ok(shared.env, "search", "xylophone")
    assert result.stdout == ""
    assert "no entries" in result.stderr.lower()


# ==================================================================== options and ids


def test_global_options_work_before_or_after_the_command(shared: Shared, tmp_path: Path) -> None:
    # No data folder or passphrase from the environment: only the options can name them.
    env = make_env(tmp_path / "other", TZ=TZ, JOURNAL_APP_DATA_DIR=None,
                   JOURNAL_APP_PASSPHRASE_FILE=None)
    opts = ["--data-dir", str(shared.env.data_dir),
            "--passphrase-file", str(shared.env.passphrase_file)]
    expected = [item["id"] for item in shared.listing]
    for args in (
        [*opts, "--json", "list"],
        ["list", *opts, "--json"],
        ["--json", "list", *opts],
        [opts[0], opts[1], "list", "--json", opts[2], opts[3]],
    ):
        result = ok(env, *args)
        assert [item["id"] for item in json.loads(result.stdout)] == expected, args
    hits = json.loads(ok(env, *opts, "search", "family", "--json").stdout)
    assert [h["id"] for h in hits] == [shared.ids["A"]]


def test_id_prefix_of_six_characters(shared: Shared) -> None:
    target = shared.ids["D"]
    (shown,) = ok_json(shared.env, "show", target[:6].upper())
    assert shown["id"] == target
    fails(shared.env.run("show", target[:5]), 2, "at least 6")
    prefixes = {i[:6] for i in shared.ids.values()}
    unused = next(p for p in (f"{n:06x}" for n in range(1 << 24)) if p not in prefixes)
    fails(shared.env.run("show", unused), 1, "no such entry")


# ==================================================================== edit, delete, trash


def test_edit_keeps_a_revision_and_delete_restore_empty_trash(vault_env: E2EEnv) -> None:
    env = vault_env
    entry_id = ok(env, "add", "--title", "Old title", "--tag", "a", "--mood", "1", "--star",
                  "--date", "2024-05-01T10:00", input="old body").stdout.strip()
    prefix = entry_id[:6]
    assert ok(env, "edit", prefix, "--title", "New title", "--tag", "b", "--tag", "c",
              "--mood", "-3", "--unstar", "--encounter", "code", "--body-file", "-",
              input="new body\n").stdout.strip() == entry_id
    (shown,) = ok_json(env, "show", entry_id[:7])
    assert (shown["title"], shown["tags"], shown["mood"], shown["starred"]) == (
        "New title", ["b", "c"], -3, False)
    assert (shown["encounter"], shown["body"], shown["energy"]) == ("code", "new body", None)
    assert shown["created"].startswith("2024-05-01T10:00")
    assert shown["updated"] > shown["created"]

    revisions = ok_json(env, "revisions", prefix)
    assert len(revisions) == 1
    old = revisions[0]
    assert (old["id"], old["title"], old["body"], old["tags"], old["mood"], old["starred"]) == (
        entry_id, "Old title", "old body", ["a"], 1, True)
    assert isinstance(old["revision"], str) and old["revision"] != entry_id

    ok(env, "delete", prefix)
    assert ok_json(env, "list") == []
    (trashed,) = ok_json(env, "trash")
    assert trashed["id"] == entry_id and trashed["trashed"] is not None

    ok(env, "restore", prefix)
    assert [e["id"] for e in ok_json(env, "list")] == [entry_id]
    assert ok_json(env, "trash") == []

    ok(env, "delete", entry_id)
    assert "Removed 1 " in ok(env, "trash", "--empty").stdout
    assert ok_json(env, "trash") == []
    fails(env.run("show", entry_id), 1, "no such entry")
    fails(env.run("revisions", entry_id), 1)
    verify = ok_json(env, "verify")
    assert verify["ok"] is True and verify["records_checked"] == 0


# ==================================================================== export and import


def test_export_warns_and_import_round_trips(shared: Shared, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    result = ok(shared.env, "export", "--format", "json", "--out", str(out))
    assert "not encrypted" in result.stderr.lower()
    assert out.stat().st_mode & 0o077 == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["records"]) == 6

    target = make_env(tmp_path / "target", TZ=TZ)
    build_vault(target.data_dir)
    assert ok_json(target, "import", "--format", "json", str(out)) == {
        "imported": 6, "skipped_duplicates": 0, "not_imported": {}}
    assert ok_json(target, "list") == shared.listing
    again = ok(target, "import", "--format", "json", str(out)).stdout
    assert "Imported 0 records; skipped 6" in again
    assert len(ok_json(target, "list")) == 6


def test_import_jrnl_json(tmp_path: Path) -> None:
    env = make_env(tmp_path / "cli", TZ=TZ)
    build_vault(env.data_dir)
    result = ok_json(env, "import", "--format", "jrnl-json", str(FIXTURES / "jrnl_export.json"))
    assert result == {"imported": 3, "skipped_duplicates": 0, "not_imported": {}}
    items = ok_json(env, "list")
    got = [(i["created"], i["title"], i["body"], i["tags"], i["starred"]) for i in items]
    assert got == [
        (local("2024-01-20T12:00").isoformat(), "Quiet day", "", [], False),
        (local("2023-11-03T08:05").isoformat(), "Debrief with the team",
         "We talked it through.\n\nThe family thanked us.", ["icu", "family"], False),
        (local("2023-11-02T23:15").isoformat(), "First night on call.",
         "Nobody slept.\nThe pager never stopped.", ["icu"], True),
    ]
    assert got[2][0] == "2023-11-02T23:15:00+13:00"
    again = ok_json(env, "import", "--format", "jrnl-json", str(FIXTURES / "jrnl_export.json"))
    assert again == {"imported": 0, "skipped_duplicates": 3, "not_imported": {}}


# ==================================================================== passphrases


def test_change_passphrase(vault_env: E2EEnv) -> None:
    new = vault_env.secret("new", "a different passphrase")
    ok(vault_env, "change-passphrase", "--new-passphrase-file", str(new))
    fails(vault_env.run("list"), 3, "passphrase")
    assert ok_json(vault_env, "list", "--passphrase-file", str(new)) == []


def test_passphrase_file_first_line_newline_stripped_nfc(env: E2EEnv) -> None:
    nfc = unicodedata.normalize("NFC", "Ünïcödé café ñandú")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    env.set_passphrase(nfc)
    ok(env, "init")
    env.passphrase_file.write_bytes((nfd + "\r\nsecond line is ignored\n").encode("utf-8"))
    assert ok_json(env, "list") == []
    env.passphrase_file.write_text(nfc + " \n", encoding="utf-8")  # only the newline goes
    fails(env.run("list"), 3)


def test_no_passphrase_source_and_no_terminal_exits_2(vault_env: E2EEnv) -> None:
    vault_env.extra["JOURNAL_APP_PASSPHRASE_FILE"] = None
    line = fails(vault_env.run("list"), 2, "passphrase")
    assert "--passphrase-file" in line
    fails(vault_env.run("add", input="text"), 2, "passphrase")


# ==================================================================== errors


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["--no-such-option", "list"],
        ["show"],
        ["add", "--mood", "abc"],
        ["add", "--mood", "9"],
        ["add", "--stress", "11"],
        ["add", "--emotion", "grief:9"],
        ["add", "--encounter", "not-a-type"],
        ["add", "--date", "last tuesday"],
        ["list", "--limit", "0"],
        ["search", "x", "--from", "2024-13-01"],
        ["show", "abcde"],
    ],
    ids=lambda a: " ".join(a),
)
def test_usage_errors_exit_2(vault_env: E2EEnv, args: list[str]) -> None:
    fails(vault_env.run(*args, input="body"), 2)


@pytest.mark.parametrize("command", ["show", "edit", "delete", "restore", "revisions"])
def test_unknown_id_exits_1(vault_env: E2EEnv, command: str) -> None:
    extra = ["--title", "x"] if command == "edit" else []
    fails(vault_env.run(command, "abcdef0123", *extra), 1, "no such entry")


def test_no_vault_exits_1(env: E2EEnv) -> None:
    fails(env.run("list"), 1, "init")

