"""journal-app deid and deid-names: findings on standard input, and the list of names."""

from __future__ import annotations

import json

from journal_app.core.vault.journal import Journal

from .conftest import PASSPHRASE, E2EEnv, fails, ok, ok_json

TEXT = "Zoë wrote: Mrs. Lopez, a 92-year-old, was seen on 3/14/2024.\nCall 555-123-4567."


def test_deid_prints_one_finding_per_line_without_a_vault(env: E2EEnv) -> None:
    result = ok(env, "deid", input=TEXT)
    assert result.stdout.splitlines() == [
        "16-21 name Lopez",
        "25-27 age 92",
        "50-59 date 3/14/2024",
        "66-78 phone 555-123-4567",
    ]
    assert not env.data_dir.exists()


def test_deid_json_offsets_are_characters(env: E2EEnv) -> None:
    findings = ok_json(env, "deid", input=TEXT)
    assert findings[0] == {"start": 16, "end": 21, "category": "name", "text": "Lopez"}
    for f in findings:
        assert TEXT[f["start"]:f["end"]] == f["text"]  # str indices, not UTF-8 bytes
    assert ok_json(env, "deid", input="Hope is a discipline.") == []


def test_deid_escapes_line_breaks_in_text_mode(env: E2EEnv) -> None:
    names = env.root / "names.txt"
    names.write_text("Anna Maria\n", encoding="utf-8")
    out = ok(env, "deid", "--names-file", str(names), input="Mrs. Anna\nMaria came.")
    assert out.stdout.splitlines() == ["5-15 name Anna\\nMaria"]


def test_deid_with_a_names_file(env: E2EEnv) -> None:
    names = env.root / "names.txt"
    names.write_text("\ufeffZephyrine\n\n  boaz  \n", encoding="utf-8")
    findings = ok_json(env, "deid", "--names-file", str(names),
                       input="zephyrine and Boaz came; hope stayed.")
    assert [(f["category"], f["text"]) for f in findings] == [
        ("name", "zephyrine"), ("name", "Boaz")]


def test_deid_with_the_journal_names(vault_env: E2EEnv) -> None:
    journal = Journal.open(vault_env.data_dir)
    journal.unlock(PASSPHRASE)
    with journal:
        journal.set_deid_names(["Quill"])
    findings = ok_json(vault_env, "deid", "--journal-names", input="quill came at noon.")
    assert findings == [{"start": 0, "end": 5, "category": "name", "text": "quill"}]
    assert ok_json(vault_env, "deid", input="quill came at noon.") == []


def test_deid_names_add_remove_and_list(vault_env: E2EEnv) -> None:
    assert ok_json(vault_env, "deid-names") == []
    assert ok_json(vault_env, "deid-names", "--add", "Quill", "--add", "Zephyrine Abernathy",
                   "--add", "quill") == ["Quill", "Zephyrine Abernathy"]
    assert ok_json(vault_env, "deid-names", "--remove", "QUILL") == ["Zephyrine Abernathy"]
    assert ok(vault_env, "deid-names").stdout == "Zephyrine Abernathy\n"
    for path in vault_env.data_dir.rglob("*"):
        if path.is_file():
            assert b"Abernathy" not in path.read_bytes()


def test_deid_refuses_bad_input_plainly(env: E2EEnv) -> None:
    fails(env.run("deid", input=b"\xff\xfe\x00bad"), 2, "not UTF-8")
    fails(env.run("deid", "--names-file", str(env.root / "missing.txt"), input="x"), 2,
          "does not exist")
    fails(env.run("deid", "--journal-names", input="x"), 1, "no journal")
    result = env.run("deid", input="")
    assert result.returncode == 0 and result.stdout == ""
    assert "No identifiers found" in result.stderr


def test_deid_names_with_a_wrong_passphrase(vault_env: E2EEnv) -> None:
    vault_env.set_passphrase("not it")
    fails(vault_env.run("deid-names", "--add", "Quill"), 3)
    vault_env.set_passphrase(PASSPHRASE)
    assert json.loads(ok(vault_env, "deid-names", "--json").stdout) == []

