"""Several processes on one vault: no lost write, a plain 'busy', readers see others' writes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import BUSY_TIMEOUT_MS
from tests.e2e.conftest import PASSPHRASE, E2EEnv, fails, ok, ok_json

WRITERS = ("a", "b")
ADDS_PER_WRITER = 8


def test_parallel_adds_lose_nothing(vault_env: E2EEnv, tmp_path: Path) -> None:
    env = vault_env
    body = tmp_path / "body.md"
    body.write_text("Written at the same time as others.\n", encoding="utf-8")
    procs = {}
    for number in range(ADDS_PER_WRITER):
        for writer in WRITERS:
            title = f"writer {writer} entry {number}"
            procs[title] = subprocess.Popen(
                [sys.executable, "-m", "journal_app", "add", "--title", title,
                 "--body-file", str(body)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=env.env(), start_new_session=True,
            )
    results = {title: proc.communicate(timeout=120) for title, proc in procs.items()}
    failures = {t: (procs[t].returncode, err) for t, (_out, err) in results.items()
                if procs[t].returncode != 0}
    assert failures == {}
    reported = {title: out.decode().strip() for title, (out, _err) in results.items()}

    listed = {e["title"]: e["id"] for e in ok_json(env, "list")}
    assert listed == reported
    assert len(listed) == len(WRITERS) * ADDS_PER_WRITER
    report = ok_json(env, "verify")
    assert report["ok"] is True and report["records_checked"] == len(listed)


@pytest.fixture
def lock_holder(vault_env: E2EEnv) -> Iterator[sqlite3.Connection]:
    """Another writer: holds the database's write lock until the test lets go."""
    conn = sqlite3.connect(vault_env.data_dir / "journal.db", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    conn.close()


def test_a_writer_holding_the_lock_makes_others_say_busy(
    vault_env: E2EEnv, lock_holder: sqlite3.Connection
) -> None:
    env = vault_env
    # Readers are not blocked by a writer.
    assert ok_json(env, "list") == []
    started = time.monotonic()
    result = env.run("add", "--title", "blocked", input="never saved")
    waited = time.monotonic() - started
    fails(result, 1, "busy")
    assert waited >= BUSY_TIMEOUT_MS / 1000, "gave up before the busy timeout"
    lock_holder.execute("ROLLBACK")
    assert ok_json(env, "list") == []
    entry_id = ok(env, "add", "--title", "later", input="saved").stdout.strip()
    assert [e["id"] for e in ok_json(env, "list")] == [entry_id]


def test_an_open_journal_sees_other_processes_writes(vault_env: E2EEnv) -> None:
    env = vault_env
    journal = Journal.open(env.data_dir)
    try:
        journal.unlock(PASSPHRASE)
        assert journal.entries() == []
        assert journal.search("pelican") == []

        entry_id = ok(env, "add", "--title", "From the CLI", input="A pelican at dawn.").stdout
        entry_id = entry_id.strip()
        assert [e.id for e in journal.entries()] == [entry_id]
        assert [entry.id for _hit, entry in journal.search("pelican")] == [entry_id]

        ok(env, "edit", entry_id, "--title", "Edited elsewhere")
        assert journal.get_entry(entry_id).title == "Edited elsewhere"
        assert len(journal.revisions(entry_id)) == 1

        ok(env, "delete", entry_id)
        assert journal.entries() == []
        assert [e.id for e in journal.entries(trash=True)] == [entry_id]
        assert journal.search("pelican") == []

        # Our own write after theirs keeps the vault consistent for everyone.
        mine = journal.add_entry(title="From the open journal", body="mine").id
        assert journal.verify().ok
    finally:
        journal.close()
    assert [e["id"] for e in ok_json(env, "list")] == [mine]
    verify = env.run("verify", "--json")
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["ok"] is True
