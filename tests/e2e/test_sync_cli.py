"""``journal-app sync``: two computers as two isolated CLI environments, their sync folders
joined by copying files between them (tests/unit/core/sync/harness.py does it in-process)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from journal_app.core.sync import engine
from journal_app.core.sync import folder as layout
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import E2EEnv, fails, make_env, ok, ok_json

GOOD = "Quiet ward, seventh floor, 3 a.m. rounds!"
CHEAP = engine.SyncParams(folder_kdf=TEST_KDF, vault_kdf=TEST_KDF)


def _copy_folder(src: Path, dst: Path) -> None:
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not target.exists() or path.name == layout.HEADER_NAME:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


@pytest.fixture
def laptop(tmp_path: Path) -> E2EEnv:
    """A journal with one entry, set up to sync (in-process, with cheap key settings)."""
    env = make_env(tmp_path / "laptop", GOOD)
    journal = Journal.create(env.data_dir, GOOD, TEST_KDF)[0]
    with journal:
        journal.add_entry(title="Night shift", body="Sat with the family after.")
        engine.setup(journal, env.root / "sync", "laptop", GOOD, CHEAP)
    return env


def _join(laptop: E2EEnv, tmp_path: Path, name: str = "desktop") -> E2EEnv:
    env = make_env(tmp_path / name, GOOD)
    _copy_folder(laptop.root / "sync", env.root / "sync")
    ok(env, "sync", "join", "--folder", str(env.root / "sync"), "--name", name)
    return env


def test_sync_before_setup_says_so(env: E2EEnv) -> None:
    env.set_passphrase(GOOD)
    journal = Journal.create(env.data_dir, GOOD, TEST_KDF)[0]
    journal.close()
    fails(env.run("sync", "now"), 1, "does not sync yet")


def test_setup_refuses_a_weak_passphrase(env: E2EEnv) -> None:
    weak = "password123"
    env.set_passphrase(weak)
    Journal.create(env.data_dir, weak, TEST_KDF)[0].close()
    fails(env.run("sync", "setup", "--folder", str(env.root / "sync")), 1, "rated Good")
    assert not (env.root / "sync").exists()


def test_setup_writes_a_costly_folder_slot(env: E2EEnv) -> None:
    Journal.create(env.data_dir, GOOD, TEST_KDF)[0].close()
    env.set_passphrase(GOOD)
    result = ok(env, "sync", "setup", "--folder", str(env.root / "sync"), "--name", "laptop")
    assert "fingerprint" in result.stdout.lower()
    header = json.loads((env.root / "sync" / layout.HEADER_NAME).read_text())
    assert "laptop" not in json.dumps(header)


def test_join_now_status_and_devices(laptop: E2EEnv, tmp_path: Path) -> None:
    desktop = make_env(tmp_path / "desktop", GOOD)
    _copy_folder(laptop.root / "sync", desktop.root / "sync")
    joined = ok(desktop, "sync", "join", "--folder", str(desktop.root / "sync"), "--name",
                "desktop")
    assert "1 entry" in joined.stdout and "laptop" in joined.stdout
    fingerprint = ok_json(laptop, "sync", "status")["fingerprint"]
    assert fingerprint in joined.stdout
    assert [e["title"] for e in ok_json(desktop, "list")] == ["Night shift"]
    ok(desktop, "add", "--title", "From the desktop", input="written there\n")
    sent = ok_json(desktop, "sync", "now")
    assert sent["sent"] >= 1 and sent["skipped"] == []
    _copy_folder(desktop.root / "sync", laptop.root / "sync")
    got = ok_json(laptop, "sync", "now")
    assert got["received"] >= 1
    assert {e["title"] for e in ok_json(laptop, "list")} == {"Night shift", "From the desktop"}
    status = ok_json(laptop, "sync", "status")
    assert set(status) >= {"folder", "device", "devices", "pending", "last_sync",
                           "conflicts_kept"}
    assert {d["name"] for d in status["devices"]} == {"laptop", "desktop"}
    assert all(set(d) == {"name", "id", "last_seen", "revoked"} for d in status["devices"])
    devices = ok_json(laptop, "sync", "devices")
    assert len(devices) == 2


def test_a_half_copied_file_is_skipped_with_exit_0(laptop: E2EEnv, tmp_path: Path) -> None:
    desktop = _join(laptop, tmp_path)
    ok(laptop, "add", "--title", "Arrives late", input="x\n")
    ok(laptop, "sync", "now")
    _copy_folder(laptop.root / "sync", desktop.root / "sync")
    newest = max((desktop.root / "sync").rglob("*.jsb"), key=lambda p: p.stat().st_mtime_ns)
    data = newest.read_bytes()
    newest.write_bytes(data[: len(data) // 3])
    result = ok_json(desktop, "sync", "now")
    assert result["skipped"] and "next time" in result["skipped"][0]["reason"]
    newest.write_bytes(data)
    assert ok_json(desktop, "sync", "now")["skipped"] == []
    assert "Arrives late" in {e["title"] for e in ok_json(desktop, "list")}


def test_a_tampered_file_exits_4_with_one_sentence(laptop: E2EEnv, tmp_path: Path) -> None:
    desktop = _join(laptop, tmp_path)
    ok(laptop, "add", "--title", "Tampered on the way", input="x\n")
    ok(laptop, "sync", "now")
    _copy_folder(laptop.root / "sync", desktop.root / "sync")
    newest = max((desktop.root / "sync").rglob("*.jsb"), key=lambda p: p.stat().st_mtime_ns)
    data = bytearray(newest.read_bytes())
    data[200] ^= 0xFF
    newest.write_bytes(bytes(data))
    before = ok_json(desktop, "list")
    fails(desktop.run("sync", "now"), 4, "nothing was changed")
    assert ok_json(desktop, "list") == before


def test_concurrent_edits_list_the_other_devices_version_as_a_revision(
        laptop: E2EEnv, tmp_path: Path) -> None:
    desktop = _join(laptop, tmp_path)
    entry_id = ok_json(laptop, "list")[0]["id"]
    ok(desktop, "edit", entry_id, "--title", "Desktop's title")
    ok(laptop, "edit", entry_id, "--title", "Laptop's title")
    ok(laptop, "sync", "now")
    ok(desktop, "sync", "now")
    _copy_folder(laptop.root / "sync", desktop.root / "sync")
    _copy_folder(desktop.root / "sync", laptop.root / "sync")
    assert ok_json(desktop, "sync", "now")["conflicts_kept"] == 1
    revisions = ok_json(desktop, "revisions", entry_id)
    titles = {r["title"] for r in revisions}
    current = ok_json(desktop, "show", entry_id)[0]["title"]
    assert {"Desktop's title", "Laptop's title"} <= titles | {current}
    # The version both edited is listed once, though each device kept a copy of it.
    versions = [json.dumps({k: v for k, v in r.items() if k not in ("revision", "saved")},
                           sort_keys=True) for r in revisions]
    assert len(versions) == len(set(versions)) == 2, versions


def test_remove_device_needs_yes_without_a_terminal(laptop: E2EEnv, tmp_path: Path) -> None:
    desktop = _join(laptop, tmp_path)
    ok(desktop, "sync", "now")
    _copy_folder(desktop.root / "sync", laptop.root / "sync")
    ok(laptop, "sync", "now")
    fails(laptop.run("sync", "remove-device", "desktop"), 2, "--yes")
    fails(laptop.run("sync", "remove-device", "laptop", "--yes"), 2, "sync leave")
    fails(laptop.run("sync", "remove-device", "nobody", "--yes"), 1, "no device")
    ok(laptop, "sync", "remove-device", "desktop", "--yes")
    devices = ok_json(laptop, "sync", "devices")
    assert [d["revoked"] for d in devices if d["name"] == "desktop"] == [True]
    _copy_folder(laptop.root / "sync", desktop.root / "sync")
    fails(desktop.run("sync", "now"), 1, "removed")
    ok(desktop, "sync", "leave")
    assert ok_json(desktop, "list")  # its journal stays
    fails(desktop.run("sync", "status"), 1, "does not sync yet")


def test_join_with_the_wrong_passphrase_exits_3_and_leaves_nothing(
        laptop: E2EEnv, tmp_path: Path) -> None:
    desktop = make_env(tmp_path / "desktop", "Not the passphrase, not at all 99")
    _copy_folder(laptop.root / "sync", desktop.root / "sync")
    fails(desktop.run("sync", "join", "--folder", str(desktop.root / "sync")), 3)
    assert not desktop.data_dir.exists()


def test_a_joined_computer_gets_a_recovery_key_of_its_own(laptop: E2EEnv,
                                                          tmp_path: Path) -> None:
    """Each computer's vault has its own data key, so joining makes a recovery key for this
    computer's copy: shown once, as init shows one, and it opens this copy."""
    env = make_env(tmp_path / "desktop", GOOD)
    _copy_folder(laptop.root / "sync", env.root / "sync")
    joined = ok_json(env, "sync", "join", "--folder", str(env.root / "sync"), "--name",
                     "desktop")
    key = joined["recovery_key"]
    assert key
    key_file = env.secret("key", key)
    new = env.secret("new", "a brand new passphrase for the desktop only")
    ok(env, "recover", "--recovery-key-file", str(key_file), "--new-passphrase-file", str(new))
    assert ok_json(env, "list", "--passphrase-file", str(new))
    text = make_env(tmp_path / "desktop2", GOOD)
    _copy_folder(laptop.root / "sync", text.root / "sync")
    shown = ok(text, "sync", "join", "--folder", str(text.root / "sync"), "--name", "desk2")
    assert "recovery key" in shown.stdout
