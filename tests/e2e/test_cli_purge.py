"""`trash --empty` through the command line: what it says, and that the words are gone.

The reported attack: the search index snapshot held an entry's words; `trash --empty` said it
removed it; a later `search` re-saved the snapshot with the words still in it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME
from tests.e2e.conftest import PASSPHRASE, E2EEnv, fails, ok, ok_json
from tests.helpers.images import png
from tests.unit.core.test_purge import open_sealed

CANARY = "quokkafjord"


def test_emptying_the_trash_counts_in_plain_words(vault_env: E2EEnv, tmp_path: Path) -> None:
    env = vault_env
    assert ok(env, "trash", "--empty").stdout == "The trash was already empty.\n"
    first = ok(env, "add", "--title", "One", input="text").stdout.strip()
    ok(env, "delete", first)
    assert ok(env, "trash", "--empty").stdout == "Removed 1 entry from the trash for good.\n"
    for title in ("Two", "Three"):
        ok(env, "delete", ok(env, "add", "--title", title, input="text").stdout.strip())
    assert ok(env, "trash", "--empty").stdout == "Removed 2 entries from the trash for good.\n"
    kept = ok(env, "add", "--title", "Kept", input="text").stdout.strip()
    image = tmp_path / "scan.png"
    image.write_bytes(png())
    attachment = ok(env, "attach", kept, str(image)).stdout.strip()
    ok(env, "attachment", "remove", attachment)
    assert ok(env, "trash", "--empty").stdout == (
        "Removed 1 attachment from the trash for good.\n")


def test_a_search_after_emptying_the_trash_does_not_seal_the_words_again(
    env: E2EEnv,
) -> None:
    data_dir = env.data_dir
    journal, _key = Journal.create(data_dir, PASSPHRASE, kdf=TEST_KDF)
    cipher = journal.cipher
    for number in range(30):
        journal.add_entry(title=f"Shift {number}", body="handover on the ward")
    entry = journal.add_entry(title="Night", body=f"The {CANARY} patient.")
    assert journal.search(CANARY)
    journal.save_index_snapshot()
    journal.close()

    ok(env, "delete", entry.id)
    assert "Removed 1 entry" in ok(env, "trash", "--empty").stdout
    assert "Shift" in ok(env, "search", "ward").stdout

    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        blobs = conn.execute("SELECT key, value FROM meta WHERE key LIKE 'search_%'").fetchall()
    finally:
        conn.close()
    assert blobs
    for key, blob in blobs:
        assert CANARY.encode() not in open_sealed(cipher, key, bytes(blob))


def test_copies_lists_and_removes_the_copies_in_the_journal_folder(
    vault_env: E2EEnv, tmp_path: Path
) -> None:
    env = vault_env
    result = ok(env, "copies")
    assert result.stdout == "" and "no copies" in result.stderr
    drive = tmp_path / "drive"
    drive.mkdir()
    ok(env, "add", "--title", "Before", input="text")
    ok(env, "backup", "create", "--out", str(drive))
    (backup,) = drive.iterdir()
    ok(env, "backup", "restore", str(backup), "--yes")
    conn = sqlite3.connect(env.data_dir / DB_NAME)
    try:
        conn.execute("PRAGMA user_version=0")  # as if written before the last format update
    finally:
        conn.close()
    ok(env, "list")  # the update keeps a copy first

    listed = ok_json(env, "copies")
    assert {c["kind"] for c in listed} == {"replaced", "before-migration"}
    for copy in listed:
        assert copy["size"] > 0 and copy["made"] and copy["what"]
        assert copy["name"] in ok(env, "copies").stdout
    migration = next(c["name"] for c in listed if c["kind"] == "before-migration")
    fails(env.run("copies", "--remove", migration), 2, "--yes")  # no terminal to ask on
    assert (env.data_dir / migration).exists()
    fails(env.run("copies", "--remove", "journal.db", "--yes"), 1, "no copy by that name")
    assert ok(env, "copies", "--remove", migration, "--yes").stdout == f"Removed {migration}.\n"
    assert not (env.data_dir / migration).exists()
    assert [c["kind"] for c in ok_json(env, "copies")] == ["replaced"]
    assert [e["title"] for e in ok_json(env, "list")] == ["Before"]


def test_a_restore_killed_while_staging_is_cleaned_by_the_next_command(
    vault_env: E2EEnv, tmp_path: Path
) -> None:
    """The staged copy of a restore killed a moment ago goes at the next command's open: its
    program let go of it (no waiting an hour)."""
    from tests.e2e.test_cli_backup import backup_of, run_child

    env = vault_env
    drive = tmp_path / "drive"
    drive.mkdir()
    ok(env, "add", "--title", "Kept", input="text")
    backup = backup_of(env.data_dir, drive)
    assert run_child(env, "step", str(env.data_dir), PASSPHRASE, str(backup), "staged") == []
    assert [c["kind"] for c in ok_json(env, "copies")] == ["restore-staging"]
    assert [e["title"] for e in ok_json(env, "list")] == ["Kept"]
    assert ok_json(env, "copies") == []
    assert not [p for p in env.data_dir.iterdir() if p.name.startswith(".")]
