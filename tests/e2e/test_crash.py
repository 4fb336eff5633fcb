"""SIGKILL a writer at random moments: what it reported as saved must be there, intact.

The seed is printed with every failure; set CRASH_SEED to replay a run.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from journal_app.core.errors import WrongPassphraseError
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import PASSPHRASE, E2EEnv, build_vault

CHILD = Path(__file__).with_name("crash_child.py")
ROUNDS = 20
#: After 'ready', the child is killed after a random delay in this window (seconds).
WINDOW = (0.0, 0.35)


def seed() -> int:
    return int(os.environ.get("CRASH_SEED") or random.SystemRandom().randrange(2**32))


def run_and_kill(env: E2EEnv, delay: float, *args: str) -> list[str]:
    """Start the child, kill it ``delay`` seconds after it said 'ready'; return its full lines."""
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env.env(), start_new_session=True,
    )
    watchdog = threading.Timer(30, proc.kill)
    watchdog.start()
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first == b"ready\n", (first, proc.stderr.read() if proc.stderr else b"")
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # Killed by our signal, not stopped by an error of its own.
    assert proc.returncode == -signal.SIGKILL, err.decode(errors="replace")
    # Only complete lines: a line cut by the kill is not a report.
    return [line.decode() for line in out.split(b"\n")[:-1]]


def slot_copies(data_dir: Path) -> tuple[bytes, bytes]:
    conn = sqlite3.connect(data_dir / "journal.db")
    try:
        rows = dict(conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('slot.passphrase.a', 'slot.passphrase.b')"
        ).fetchall())
    finally:
        conn.close()
    return rows["slot.passphrase.a"], rows["slot.passphrase.b"]


@pytest.mark.slow
def test_killed_while_adding_entries_loses_nothing_reported(env: E2EEnv) -> None:
    build_vault(env.data_dir)
    rng_seed = seed()
    rng = random.Random(rng_seed)
    reported: set[str] = set()
    for round_number in range(1, ROUNDS + 1):
        where = f"seed {rng_seed}, round {round_number}"
        lines = run_and_kill(env, rng.uniform(*WINDOW), "add", str(env.data_dir), PASSPHRASE)
        reported.update(lines)
        journal = Journal.open(env.data_dir)
        try:
            journal.unlock(PASSPHRASE)
            report = journal.verify()
            assert report.ok, (where, report.problems)
            present = {entry.id for entry in journal.entries()}
        finally:
            journal.close()
        assert reported - present == set(), where
        # At most one write per kill was in flight when it came: nothing else appears.
        assert len(present) <= len(reported) + round_number, where
    assert len(reported) >= ROUNDS, f"seed {rng_seed}: the child saved too little to test"


@pytest.mark.slow
def test_killed_while_changing_the_passphrase_old_or_new_works(env: E2EEnv) -> None:
    passphrases = {PASSPHRASE: "the other passphrase", "the other passphrase": PASSPHRASE}
    _key, ids = build_vault(env.data_dir, entries=[{"title": "kept", "body": "kept"}])
    rng_seed = seed()
    rng = random.Random(rng_seed)
    current = PASSPHRASE
    changes = 0
    for round_number in range(1, ROUNDS + 1):
        where = f"seed {rng_seed}, round {round_number}"
        lines = run_and_kill(env, rng.uniform(*WINDOW), "passphrase", str(env.data_dir),
                             current, passphrases[current])
        changes += len(lines)
        last = lines[-1] if lines else current
        assert last in passphrases, where
        # The change in flight at the kill may or may not have committed; nothing else can be.
        journal = Journal.open(env.data_dir)
        try:
            try:
                journal.unlock(last)
                current = last
            except WrongPassphraseError:
                journal.unlock(passphrases[last])
                current = passphrases[last]
            report = journal.verify()
            assert report.ok, (where, report.problems)
            assert [e.id for e in journal.entries()] == ids, where
        finally:
            journal.close()
        copy_a, copy_b = slot_copies(env.data_dir)
        assert copy_a == copy_b, f"{where}: the two copies of the passphrase slot differ"
    assert changes >= ROUNDS, f"seed {rng_seed}: the child changed too little to test"
