"""Tamper evidence on the command line: a missing manifest is damage until `verify --repair`,
and readers beside a busy writer never raise a false alarm."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from journal_app.cli import main
from tests.e2e.conftest import E2EEnv, build_vault, fails, ok, ok_json

#: A row as stored (its list header too), and the statement that puts it back: a rollback.
ROW_AS_IT_IS = "SELECT schema_version, seq, blob, header FROM records WHERE id=?"
PUT_ROW_BACK = "UPDATE records SET schema_version=?, seq=?, blob=?, header=? WHERE id=?"


def sql(env: E2EEnv, query: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(env.data_dir / "journal.db", isolation_level=None)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def laundered(env: E2EEnv) -> tuple[E2EEnv, str]:
    """One entry rolled back to its first text, and the manifest row deleted."""
    _key, (entry_id,) = build_vault(env.data_dir, entries=[{"title": "t", "body": "first text"}])
    (old,) = sql(env, ROW_AS_IT_IS, entry_id)
    ok(env, "edit", entry_id, "--body-file", "-", input="the text as it is now")
    sql(env, PUT_ROW_BACK, *old, entry_id)
    sql(env, "DELETE FROM meta WHERE key='manifest'")
    return env, entry_id


def test_a_missing_manifest_is_damage_and_add_does_not_launder_it(
    laundered: tuple[E2EEnv, str],
) -> None:
    env, _entry_id = laundered
    before = sql(env, "SELECT id, seq FROM records ORDER BY id")
    added = env.run("add", "--title", "later", input="more")
    assert added.returncode == 4 and "Traceback" not in added.stderr
    assert "verify --repair" in added.stderr.strip().splitlines()[-1]
    assert sql(env, "SELECT id, seq FROM records ORDER BY id") == before
    result = env.run("verify")
    assert result.returncode == 4, result.stdout
    assert "intact" not in result.stdout
    assert "list of records" in result.stderr
    listed = env.run("list", "--json")
    assert listed.returncode == 0 and "verify --repair" in listed.stderr
    assert len(json.loads(listed.stdout)) == 1


def test_verify_repair_shows_and_asks(laundered: tuple[E2EEnv, str]) -> None:
    env, _entry_id = laundered
    # No terminal to ask on and no --yes: nothing is changed.
    fails(env.run("verify", "--repair"), 2, "--yes")
    assert sql(env, "SELECT count(*) FROM meta WHERE key='manifest'") == [(0,)]
    repaired = ok(env, "verify", "--repair", "--yes")
    assert "1 entry" in repaired.stdout and "1 earlier version" in repaired.stdout
    assert "accepted" in repaired.stdout.lower()
    assert ok_json(env, "verify")["ok"] is True
    ok(env, "add", "--title", "after the repair", input="works")
    again = ok(env, "verify", "--repair", "--yes")
    assert "nothing to repair" in again.stdout.lower()


WRITER = """
import select, sys
from dataclasses import replace
from journal_app.core.vault.journal import Journal
from journal_app.core.errors import VaultBusyError

j = Journal.open(sys.argv[1]); j.unlock(sys.argv[2])
print("ready", flush=True)
n = 0
while not select.select([sys.stdin], [], [], 0)[0]:
    # A small vault kept small: records added and removed for good (the count changes) and
    # rewritten in place (the versions change), as fast as the writer can.
    try:
        if n % 3 == 0:
            extra = j.add_entry(title=f"w{n}", body="written beside the readers")
        elif n % 3 == 1:
            j.delete_entry(extra.id)
            j.empty_trash()
        else:
            entry = j.entries()[n % 5]
            j.save_entry(replace(entry, body=f"edited {n}"), keep_revision=False)
    except VaultBusyError:
        pass
    n += 1
j.close()
"""


@pytest.mark.slow
def test_verify_and_list_beside_a_busy_writer_raise_no_false_alarm(
    env: E2EEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.e2e.conftest import PASSPHRASE

    build_vault(env.data_dir, entries=[{"title": f"e{i}", "body": "b"} for i in range(5)])
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(env.data_dir), PASSPHRASE],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env.env(),
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == b"ready"
        base = ["--data-dir", str(env.data_dir), "--passphrase-file", str(env.passphrase_file)]
        alarms = []
        for _round in range(40):
            for command in ("verify", "list"):
                code = main([command, *base])
                out = capsys.readouterr()
                if code != 0 or out.err:
                    alarms.append((command, code, out.err))
        assert writer.poll() is None  # it wrote all along
    finally:
        if writer.stdin is not None:
            writer.stdin.write(b"x\n")
            writer.stdin.close()
        writer.wait(timeout=60)
        if writer.stdout is not None:
            writer.stdout.close()
    assert alarms == []
    assert ok_json(env, "verify")["ok"] is True


def test_an_altered_passphrase_slot_says_both_and_the_recovery_key_opens_it(
    env: E2EEnv,
) -> None:
    import hashlib

    recovery_key, _ids = build_vault(env.data_dir, entries=[{"title": "kept", "body": "b"}])
    for copy in ("a", "b"):
        key = f"slot.passphrase.{copy}"
        ((value,),) = sql(env, "SELECT value FROM meta WHERE key=?", key)
        outer = json.loads(bytes(value))  # type: ignore[arg-type]
        body = json.loads(outer["slot"])
        body["kdf"]["iterations"] = 2  # other settings, checksum recomputed
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        new = {"slot": text, "sha256": hashlib.sha256(text.encode()).hexdigest()}
        sql(env, "UPDATE meta SET value=? WHERE key=?", json.dumps(new).encode(), key)
    fails(env.run("list"), 3, "or its key slot was altered: try the recovery key or a backup")
    key_file = env.secret("key", recovery_key)
    new_pass = env.secret("new", "a new passphrase")
    ok(env, "recover", "--recovery-key-file", str(key_file),
       "--new-passphrase-file", str(new_pass))
    listed = ok_json(env, "list", "--passphrase-file", str(new_pass))
    assert [e["title"] for e in listed] == ["kept"]
