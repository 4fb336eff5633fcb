"""What reaches the disk, and how the CLI reacts to files altered behind its back."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.core.vault.crypto import format_recovery_key
from tests.e2e.conftest import (
    E2EEnv,
    build_vault,
    copy_vault,
    fails,
    make_env,
    ok,
    ok_json,
    snapshot,
)

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def _walk_files(folder: Path) -> Iterator[Path]:
    """The regular files under ``folder`` (a socket or a pipe holds nothing to read)."""
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            if (Path(dirpath) / name).is_file():
                yield Path(dirpath) / name


def find_canaries(folders: list[Path], canaries: list[str]) -> list[str]:
    """Each (file, canary) where the canary, or its unique token alone, is found in any of the
    encodings (the token alone catches text split into words, as a full-text index does)."""
    leaks = []
    for folder in folders:
        for path in _walk_files(folder):
            data = path.read_bytes()
            for canary in canaries:
                token = canary.rsplit("-", 1)[1]
                found = [encoding for encoding in ENCODINGS
                         if canary.encode(encoding) in data or token.encode(encoding) in data]
                if found:
                    leaks.append(f"{path}: {canary} ({', '.join(found)})")
    return leaks


def test_canary_finder_sees_every_encoding(tmp_path: Path) -> None:
    canary = f"canary-probe-{uuid.uuid4().hex}"
    for i, encoding in enumerate(ENCODINGS):
        (tmp_path / f"f{i}").write_bytes(b"\x00junk" + canary.encode(encoding) + b"junk")
    (tmp_path / "token").write_bytes(canary.rsplit("-", 1)[1].encode("utf-16-be"))
    (tmp_path / "clean").write_bytes(canary[:-1].encode("utf-8"))
    leaks = find_canaries([tmp_path], [canary])
    assert sorted(leak.split(":")[0].rsplit("/", 1)[1] for leak in leaks) == [
        "f0", "f1", "f2", "token"]


@pytest.fixture(params=[False, True], ids=["direct", "with an unlock agent"])
def canary_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[E2EEnv, bool]]:
    """A CLI environment; in the second run the commands an agent answers go through one
    (started after `init`, stopped at the end: lock, then SIGKILL by pid)."""
    env = make_env(tmp_path / "cli")
    if not request.param:
        yield env, False
        return
    from tests.helpers.agent import agent_pid, private_runtime, stop

    private_runtime(env)
    try:
        yield env, True
    finally:
        pid = agent_pid(env)
        stop(env, [pid] if pid else [])


def test_canaries_never_reach_the_disk_in_clear(tmp_path: Path,
                                                canary_env: tuple[E2EEnv, bool]) -> None:
    env, with_agent = canary_env
    outside = tmp_path / "outside"  # not under the data folder, TMPDIR or HOME of the CLI
    outside.mkdir()
    c = {name: f"canary-{name}-{uuid.uuid4().hex}" for name in (
        "title", "body", "tag1", "tag2", "emotion1", "emotion2", "title2", "bodyfile",
        "edit-title", "edit-body", "edit-tag", "edit-emotion",
        "import-title", "import-body", "import-tag", "import-emotion",
        "jrnl-title", "jrnl-body", "jrnl-tag",
    )}
    ok(env, "init")
    if with_agent:
        ok(env, "unlock")
    first = ok(env, "add", "--title", c["title"], "--tag", c["tag1"], "--tag", c["tag2"],
               "--own-emotion", f"{c['emotion1']}:2", "--own-emotion", c["emotion2"],
               input=c["body"]).stdout.strip()
    body_file = outside / "body.md"
    body_file.write_text(f"Some text\n{c['bodyfile']}\n", encoding="utf-8")
    second = ok(env, "add", "--title", c["title2"], "--body-file", str(body_file)).stdout.strip()
    body_file.unlink()
    ok(env, "edit", first, "--title", c["edit-title"], "--tag", c["edit-tag"],
       "--own-emotion", c["edit-emotion"], "--body-file", "-", input=c["edit-body"])

    native = outside / "import.json"
    native.write_text(json.dumps({
        "format": "journal-app", "version": 1, "exported": "2024-01-01T00:00:00+00:00",
        "records": [{
            "id": uuid.uuid4().hex, "kind": "entry", "schema_version": 1,
            "data": {"created": "2024-01-01T09:00:00+01:00", "updated": "2024-01-01T09:00:00+01:00",
                     "title": c["import-title"], "body": c["import-body"],
                     "tags": [c["import-tag"]],
                     "emotions": [{"name": c["import-emotion"], "intensity": 2}]},
        }],
    }), encoding="utf-8")
    jrnl = outside / "jrnl.json"
    jrnl.write_text(json.dumps({"tags": {}, "entries": [{
        "title": c["jrnl-title"], "body": c["jrnl-body"], "date": "2023-05-05", "time": "07:00",
        "tags": [f"@{c['jrnl-tag']}"], "starred": True,
    }]}), encoding="utf-8")
    assert ok_json(env, "import", "--format", "json", str(native))["imported"] == 1
    assert ok_json(env, "import", "--format", "jrnl-json", str(jrnl))["imported"] == 1
    native.unlink()
    jrnl.unlink()

    # Read everything back through the CLI: search (which seals an index snapshot), list, show.
    assert [h["id"] for h in ok_json(env, "search", c["edit-body"])] == [first]
    assert [h["id"] for h in ok_json(env, "search", c["bodyfile"])] == [second]
    assert len(ok_json(env, "search", c["jrnl-tag"])) == 1
    assert len(ok_json(env, "search", "", "--tag", c["import-tag"])) == 1
    listing = ok(env, "list").stdout
    assert c["edit-title"] in listing and c["import-title"] in listing
    assert c["edit-emotion"] in ok(env, "show", first).stdout

    export = outside / "export.json"
    ok(env, "export", "--out", str(export))
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    # Positive control: the export holds every canary (revisions keep the pre-edit values).
    missing = [text for text in c.values() if not find_canaries([outside], [text])]
    assert missing == []
    export.unlink()
    ok(env, "delete", second)
    ok(env, "trash", "--empty")
    assert ok_json(env, "verify")["ok"] is True

    watched = [env.data_dir, env.root / "tmp", env.root / "home"]
    if with_agent:
        from tests.helpers.agent import agent_pid

        pid = agent_pid(env)
        assert pid is not None, "the agent ended early"
        no_secret = {k: v for k, v in env.env().items() if k != "JOURNAL_APP_PASSPHRASE_FILE"}
        assert env.run("list", env=no_secret).returncode == 0  # answered by the agent
        # What an agent shows of itself: its command line and environment (the unlock
        # command's), the socket's folder; it writes no log (its output goes nowhere).
        proc = env.root / "agent-proc"
        proc.mkdir()
        for name in ("cmdline", "environ"):
            (proc / name).write_bytes(Path(f"/proc/{pid}/{name}").read_bytes())
        assert os.readlink(f"/proc/{pid}/fd/1") == os.readlink(f"/proc/{pid}/fd/2") == "/dev/null"
        watched += [proc, (env.root / "run").resolve()]
    assert (env.data_dir / "journal.db").is_file()
    leaks = find_canaries(watched, list(c.values()))
    assert leaks == []
    # The data folder is private, and so is every file in it.
    assert stat.S_IMODE(env.data_dir.stat().st_mode) == 0o700
    for path in _walk_files(env.data_dir):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_loosened_permissions_are_tightened(vault_env: E2EEnv) -> None:
    db = vault_env.data_dir / "journal.db"
    os.chmod(vault_env.data_dir, 0o755)
    os.chmod(db, 0o644)
    ok(vault_env, "list")
    assert stat.S_IMODE(vault_env.data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


# ==================================================================== tampering


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    """A cleanly closed vault with three entries, copied by each tampering test."""
    data_dir = tmp_path_factory.mktemp("template") / "data"
    recovery_key, ids = build_vault(data_dir, entries=[
        {"title": f"Entry {i}", "body": f"Body number {i}. " * 50} for i in range(3)
    ])
    return data_dir, recovery_key, ids


@pytest.fixture
def tampered(template: tuple[Path, str, list[str]], env: E2EEnv) -> tuple[E2EEnv, list[str]]:
    copy_vault(template[0], env)
    return env, template[2]


def sql(env: E2EEnv, query: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(env.data_dir / "journal.db", isolation_level=None)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def flipped(value: bytes, where: float = 0.5) -> bytes:
    data = bytearray(value)
    data[int(len(data) * where)] ^= 0x01
    return bytes(data)


def blob_of(env: E2EEnv, record_id: str) -> bytes:
    (row,) = sql(env, "SELECT blob FROM records WHERE id = ?", record_id)
    return bytes(row[0])


def wrong_passphrase(env: E2EEnv) -> str:
    return str(env.secret("wrong", "not the passphrase"))


def test_flipped_byte_in_a_record(tampered: tuple[E2EEnv, list[str]]) -> None:
    env, ids = tampered
    sql(env, "UPDATE records SET blob = ? WHERE id = ?", flipped(blob_of(env, ids[0])), ids[0])
    result = env.run("verify")
    assert result.returncode == 4
    assert ids[0] in result.stderr
    assert ids[1] not in result.stderr and ids[2] not in result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(env.run("verify", "--json").stdout)
    assert report["ok"] is False and report["damaged_ids"] == [ids[0]]
    assert sorted(e["id"] for e in ok_json(env, "list")) == sorted(ids[1:])
    (shown,) = ok_json(env, "show", ids[1][:8])
    assert shown["title"] == "Entry 1"
    fails(env.run("show", ids[0]), 4, "damaged")


def test_swapped_blobs(tampered: tuple[E2EEnv, list[str]]) -> None:
    env, ids = tampered
    a, b = blob_of(env, ids[0]), blob_of(env, ids[1])
    sql(env, "UPDATE records SET blob = ? WHERE id = ?", b, ids[0])
    sql(env, "UPDATE records SET blob = ? WHERE id = ?", a, ids[1])
    result = env.run("verify", "--json")
    assert result.returncode == 4
    assert sorted(json.loads(result.stdout)["damaged_ids"]) == sorted(ids[:2])
    assert [e["id"] for e in ok_json(env, "list")] == [ids[2]]


@pytest.mark.parametrize(
    ("copy", "how"),
    [("a", "flip"), ("a", "text"), ("a", "delete"), ("b", "flip")],
)
def test_one_damaged_slot_copy_still_unlocks(
    tampered: tuple[E2EEnv, list[str]], copy: str, how: str
) -> None:
    env, _ids = tampered
    key = f"slot.passphrase.{copy}"
    if how == "flip":
        (row,) = sql(env, "SELECT value FROM meta WHERE key = ?", key)
        sql(env, "UPDATE meta SET value = ? WHERE key = ?", flipped(bytes(row[0])), key)
    elif how == "text":
        sql(env, "UPDATE meta SET value = 'not a slot' WHERE key = ?", key)
    else:
        sql(env, "DELETE FROM meta WHERE key = ?", key)
    assert len(ok_json(env, "list")) == 3
    fails(env.run("list", "--passphrase-file", wrong_passphrase(env)), 3)
    result = env.run("verify")
    assert result.returncode == 4
    assert "passphrase key slot" in result.stderr and "Traceback" not in result.stderr


def test_both_slot_copies_damaged_is_damage_not_a_wrong_passphrase(
    template: tuple[Path, str, list[str]], tampered: tuple[E2EEnv, list[str]]
) -> None:
    env, _ids = tampered
    for key in ("slot.passphrase.a", "slot.passphrase.b"):
        (row,) = sql(env, "SELECT value FROM meta WHERE key = ?", key)
        sql(env, "UPDATE meta SET value = ? WHERE key = ?", flipped(bytes(row[0]), 0.3), key)
    fails(env.run("list"), 4, "damaged")
    fails(env.run("list", "--passphrase-file", wrong_passphrase(env)), 4)
    fails(env.run("verify"), 4)
    # The recovery slot is intact: recovering writes a fresh passphrase slot.
    key_file = env.secret("key", template[1])
    new = env.secret("new", "a new passphrase")
    ok(env, "recover", "--recovery-key-file", str(key_file), "--new-passphrase-file", str(new))
    assert ok_json(env, "verify", "--passphrase-file", str(new))["ok"] is True


@pytest.mark.parametrize("how", ["truncate", "random"])
def test_truncated_or_overwritten_file(tampered: tuple[E2EEnv, list[str]], how: str) -> None:
    env, _ids = tampered
    db = env.data_dir / "journal.db"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2] if how == "truncate" else os.urandom(len(data)))
    fails(env.run("list"), 4, "damaged")
    fails(env.run("add", input="more text"), 4)


def test_deleted_record_row(tampered: tuple[E2EEnv, list[str]]) -> None:
    env, ids = tampered
    sql(env, "DELETE FROM records WHERE id = ?", ids[2])
    result = env.run("verify")
    assert result.returncode == 4
    assert "removed" in result.stderr and "Traceback" not in result.stderr
    listed = env.run("list", "--json")
    assert listed.returncode == 0
    assert "verify" in listed.stderr  # the warning at unlock points to verify
    assert sorted(e["id"] for e in json.loads(listed.stdout)) == sorted(ids[:2])


# ==================================================================== wrong passphrase


def test_wrong_passphrase_changes_no_byte(env: E2EEnv, tmp_path: Path) -> None:
    ok(env, "init")
    entry_id = ok(env, "add", "--title", "kept", input="text").stdout.strip()
    before = snapshot(env.data_dir)
    assert "journal.db" in before
    wrong = wrong_passphrase(env)
    new = env.secret("new", "new passphrase")
    out = tmp_path / "export.json"
    for args in (
        ["list"],
        ["add", "--title", "x"],
        ["edit", entry_id, "--title", "changed"],
        ["change-passphrase", "--new-passphrase-file", str(new)],
        ["new-recovery-key"],
        ["export", "--out", str(out)],
    ):
        fails(env.run(*args, "--passphrase-file", wrong, input="body"), 3, "passphrase")
    bad_key = env.secret("bad-key", format_recovery_key(os.urandom(16)))
    fails(env.run("recover", "--recovery-key-file", str(bad_key),
                  "--new-passphrase-file", str(new)), 3, "recovery key")
    after = snapshot(env.data_dir)
    assert sorted(after) == sorted(before)
    assert after == before
    assert not out.exists()
    assert ok_json(env, "show", entry_id)[0]["title"] == "kept"


def test_altered_write_counter_is_damage_not_a_bug(vault_env: E2EEnv) -> None:
    """A non-numeric write counter (the file was edited by hand) is reported as damage."""
    con = sqlite3.connect(vault_env.data_dir / "journal.db")
    con.execute("UPDATE meta SET value = ? WHERE key = 'seq'", (b"abc",))
    con.commit()
    con.close()
    fails(vault_env.run("list"), 4, "damaged")
