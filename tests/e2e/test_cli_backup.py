"""journal-app backup create|verify|restore as a user runs them, and restores killed midway.

The SIGKILL tests print their seed on failure; set CRASH_SEED to replay a run.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from journal_app.core.recovery.backup import NAME_RE, create_backup, tidy
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import (
    PASSPHRASE,
    E2EEnv,
    build_vault,
    fails,
    make_env,
    ok,
    ok_json,
    snapshot,
)
from tests.e2e.test_security import find_canaries

CHILD = Path(__file__).with_name("restore_child.py")


def entry_ids(data_dir: Path, passphrase: str = PASSPHRASE) -> set[str]:
    """The entries of the journal in ``data_dir``, after checking every record of it."""
    with Journal.open(data_dir) as journal:
        journal.unlock(passphrase)
        report = journal.verify()
        assert report.ok, report.problems
        return {e.id for e in journal.entries()}


def backup_of(data_dir: Path, out: Path) -> Path:
    with Journal.open(data_dir) as journal:
        journal.unlock(PASSPHRASE)
        return create_backup(journal, out).path


def add(data_dir: Path, title: str) -> str:
    with Journal.open(data_dir) as journal:
        journal.unlock(PASSPHRASE)
        return journal.add_entry(title=title, body=f"{title}, written at one point.").id


@pytest.fixture
def drive(tmp_path: Path) -> Path:
    path = tmp_path / "drive"
    path.mkdir()
    return path


# ==================================================================== the commands


def test_create_verify_and_restore(vault_env: E2EEnv, drive: Path) -> None:
    env = vault_env
    first = add(env.data_dir, "before the backup")
    made = ok_json(env, "backup", "create", "--out", str(drive))
    backup = Path(made["file"])
    assert backup.parent == drive and NAME_RE.match(backup.name)
    assert made["verified"] is True and made["records"] == made["records_checked"] >= 1
    before = ok_json(env, "list")
    assert [e["id"] for e in before] == [first]
    later = ok(env, "add", "--title", "after the backup", input="later").stdout.strip()

    checked = ok_json(env, "backup", "verify", str(backup))
    assert checked["ok"] is True and checked["records_checked"] == made["records"]
    text = ok(env, "backup", "verify", str(backup)).stdout
    count = made["records"]
    assert "intact" in text and f"{count} record{'s' if count != 1 else ''} checked" in text

    restored = ok_json(env, "backup", "restore", str(backup), "--yes")
    assert restored["keys"] == "current" and restored["data_dir"] == str(env.data_dir)
    replaced = Path(restored["replaced"])
    assert replaced.parent == env.data_dir and replaced.name.startswith("replaced-")
    assert ok_json(env, "list") == before
    # The replaced journal is whole, with what was written after the backup.
    assert entry_ids(replaced) == {first, later}
    listed = ok_json(env, "list", "--data-dir", str(replaced))
    assert {e["id"] for e in listed} == {first, later}

    again = ok(env, "backup", "restore", str(backup), "--yes").stdout
    assert "Restored the backup from" in again and "kept in" in again
    assert "current passphrase" in again


def test_usage_errors(vault_env: E2EEnv, drive: Path) -> None:
    env = vault_env
    fails(env.run("backup"), 2, "backup create")
    fails(env.run("backup", "create"), 2)
    fails(env.run("backup", "frobnicate"), 2)
    backup = ok_json(env, "backup", "create", "--out", str(drive / "mine.jbackup"))["file"]
    fails(env.run("backup", "create", "--out", backup), 2, "exists")
    fails(env.run("backup", "create", "--out", str(drive / "gone" / "x.jbackup")), 1,
          "not available")
    before = snapshot(env.data_dir)
    # No terminal to ask on, and no --yes: a plain refusal, before anything else.
    fails(env.run("backup", "restore", backup), 2, "--yes")
    assert snapshot(env.data_dir) == before


def test_wrong_passphrase_and_bad_files_change_nothing(vault_env: E2EEnv, drive: Path) -> None:
    env = vault_env
    add(env.data_dir, "kept")
    backup = Path(ok_json(env, "backup", "create", "--out", str(drive))["file"])
    before = snapshot(env.data_dir)
    wrong = str(env.secret("wrong", "not the passphrase"))
    fails(env.run("backup", "verify", str(backup), "--passphrase-file", wrong), 3, "passphrase")
    fails(env.run("backup", "restore", str(backup), "--yes", "--passphrase-file", wrong), 3)

    damaged = drive / "damaged.jbackup"
    data = bytearray(backup.read_bytes())
    data[-5000] ^= 0x20
    damaged.write_bytes(bytes(data))
    cut = drive / "cut.jbackup"
    cut.write_bytes(backup.read_bytes()[:-4096])
    text = drive / "notes.jbackup"
    text.write_text("my notes, not a backup\n")
    for path, says in ((damaged, "damaged"), (cut, "incomplete"), (text, "not a journal-app")):
        fails(env.run("backup", "verify", str(path)), 4, says)
        fails(env.run("backup", "restore", str(path), "--yes"), 4, says)
    fails(env.run("backup", "verify", str(drive / "missing.jbackup")), 1, "no backup file")
    assert snapshot(env.data_dir) == before


def test_restore_refused_while_the_journal_is_open(vault_env: E2EEnv, drive: Path) -> None:
    env = vault_env
    backup = ok_json(env, "backup", "create", "--out", str(drive))["file"]
    before = snapshot(env.data_dir)
    with Journal.open(env.data_dir):  # as the app holds it, even locked
        fails(env.run("backup", "restore", backup, "--yes"), 1, "open in another program")
    assert snapshot(env.data_dir) == before
    ok(env, "backup", "restore", backup, "--yes")


def test_restore_on_a_new_computer(vault_env: E2EEnv, drive: Path, tmp_path: Path) -> None:
    first = add(vault_env.data_dir, "from the old laptop")
    backup = ok_json(vault_env, "backup", "create", "--out", str(drive))["file"]
    fresh = make_env(tmp_path / "new-laptop")
    assert ok_json(fresh, "backup", "verify", backup)["ok"] is True
    restored = ok_json(fresh, "backup", "restore", backup, "--yes")
    assert restored["replaced"] is None and restored["keys"] == "backup"
    assert [e["id"] for e in ok_json(fresh, "list")] == [first]


def test_no_clear_text_in_backups_or_temp_folders(env: E2EEnv, drive: Path) -> None:
    canaries = [f"canary-{name}-{uuid.uuid4().hex}" for name in ("title", "body", "tag")]
    build_vault(env.data_dir, entries=[{"title": canaries[0], "body": canaries[1],
                                        "tags": [canaries[2]]}])
    with Journal.open(env.data_dir) as journal:  # a sealed search index snapshot too
        journal.unlock(PASSPHRASE)
        assert len(journal.search(canaries[1])) == 1
        journal.save_index_snapshot()
    backup = Path(ok_json(env, "backup", "create", "--out", str(drive))["file"])
    ok(env, "backup", "verify", str(backup))
    ok(env, "backup", "restore", str(backup), "--yes")
    assert find_canaries([drive, env.data_dir, env.root / "tmp", env.root / "home"],
                         canaries) == []
    # Positive control: the canaries are in the journal.
    assert ok_json(env, "list")[0]["title"] == canaries[0]


# ==================================================================== killed midway


def seed() -> int:
    return int(os.environ.get("CRASH_SEED") or random.SystemRandom().randrange(2**32))


def run_child(env: E2EEnv, *args: str, kill_after: float | None = None) -> list[str]:
    """Run restore_child.py; with ``kill_after`` SIGKILL it that long after 'ready'. Returns
    its complete output lines; it must have died of SIGKILL."""
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env.env(), start_new_session=True,
    )
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first == b"ready\n", (first, proc.stderr.read() if proc.stderr else b"")
        if kill_after is not None:
            time.sleep(kill_after)
            proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, err.decode(errors="replace")
    return [line.decode() for line in out.split(b"\n")[:-1]]


STEPS = ("extracted", "staged", "locked", "quiesced", "kept-aside", "replaced", "renamed")


@pytest.mark.slow
@pytest.mark.parametrize("step", STEPS)
def test_restore_killed_at_each_step(env: E2EEnv, drive: Path, step: str) -> None:
    build_vault(env.data_dir)
    kept = add(env.data_dir, "in the backup")
    backup = backup_of(env.data_dir, drive)
    add(env.data_dir, "written after the backup")
    old = entry_ids(env.data_dir)
    assert run_child(env, "step", str(env.data_dir), PASSPHRASE, str(backup), step) == []

    swapped = step in ("replaced", "renamed")
    assert entry_ids(env.data_dir) == ({kept} if swapped else old)
    named = tidy(env.data_dir)  # as the next backup command or app start does
    replaced = sorted(p for p in env.data_dir.iterdir() if p.name.startswith("replaced-"))
    if swapped:
        assert len(replaced) == 1 and entry_ids(replaced[0]) == old
        assert named == (replaced if step == "replaced" else [])
    else:
        assert replaced == []
    assert not [p for p in env.data_dir.iterdir() if p.name.startswith(".replaced-")]
    # The journal works on: a restore through the command line goes through.
    ok(env, "backup", "restore", str(backup), "--yes")
    assert entry_ids(env.data_dir) == {kept}


@pytest.mark.slow
def test_restore_killed_at_random_moments_leaves_a_whole_journal(
        env: E2EEnv, drive: Path) -> None:
    build_vault(env.data_dir)
    states = []
    backups = []
    for name in ("first", "second"):
        add(env.data_dir, name)
        backups.append(backup_of(env.data_dir, drive))
        states.append(entry_ids(env.data_dir))
    add(env.data_dir, "only in the journal before the restores")
    current = initial = entry_ids(env.data_dir)
    by_path = {str(path): state for path, state in zip(backups, states, strict=True)}
    rng_seed = seed()
    rng = random.Random(rng_seed)
    done = 0
    for round_number in range(1, 13):
        where = f"seed {rng_seed}, round {round_number}"
        lines = run_child(env, "loop", str(env.data_dir), PASSPHRASE,
                          *map(str, backups), kill_after=rng.uniform(0.0, 0.6))
        done += len(lines)
        now_there = entry_ids(env.data_dir)  # opens and verifies every record
        # The last restore reported, or the one in flight at the kill, or (none reported)
        # what was there before the round.
        in_flight = by_path[str(backups[len(lines) % 2])]
        allowed = [in_flight, by_path[lines[-1]] if lines else current]
        assert now_there in allowed, where
        current = now_there
    assert done >= 5, f"seed {rng_seed}: the child restored too little to test"
    tidy(env.data_dir)
    assert not [p for p in env.data_dir.iterdir() if p.name.startswith(".replaced-")]
    # Every journal kept aside is whole too, and one of those that were in place.
    kept = [p for p in env.data_dir.iterdir() if p.name.startswith("replaced-")]
    assert len(kept) >= done
    for folder in kept:
        assert entry_ids(folder) in [*states, initial], folder.name
