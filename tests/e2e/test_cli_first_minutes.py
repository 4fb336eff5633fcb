"""The command line's first minutes (issue 16, §4): ``init`` refuses a really weak passphrase as
the app does; ``add`` on a terminal says how to end the text and reads it (a pseudo-terminal
stands in for the person)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys

import pytest

from journal_app.core.vault.journal import Journal
from journal_app.core.vault.passwords import assess

from .conftest import PASSPHRASE, E2EEnv, build_vault, fails, ok

#: Long enough for a slow start; a command that waits forever fails the test instead.
WAIT_SECONDS = 60


@pytest.mark.parametrize("weak", ["short", "password123", "aaaaaaaaaaaa"])
def test_init_refuses_a_really_weak_passphrase(env: E2EEnv, weak: str) -> None:
    env.set_passphrase(weak)
    strength = assess(weak)
    assert strength.blocked  # the app's rule (the passphrase fields refuse it too)
    result = env.run("init")
    fails(result, 2)
    assert "too weak" in result.stderr
    assert " ".join(strength.reasons) in result.stderr  # the app's own explanation
    assert not Journal.exists(env.data_dir)


def test_init_takes_a_passphrase_the_app_takes(env: E2EEnv) -> None:
    ok(env, "init")
    assert Journal.exists(env.data_dir)


def _read_until(fd: int, wanted: bytes, seen: bytearray) -> None:
    while wanted not in seen:
        ready, _, _ = select.select([fd], [], [], WAIT_SECONDS)
        if not ready:
            pytest.fail(f"waited for {wanted!r}; the terminal showed {bytes(seen)!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        seen += chunk


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_add_on_a_terminal_says_how_to_end_and_reads_the_entry(env: E2EEnv) -> None:
    """The defect: on a terminal with no body given, add saved an empty entry at once."""
    import pty

    build_vault(env.data_dir)
    env.set_passphrase(PASSPHRASE)
    master, slave = pty.openpty()
    proc = subprocess.Popen([*env.command(), "add", "--title", "Night shift, bed 12"],
                            stdin=slave, stdout=slave, stderr=slave, env=env.env(),
                            start_new_session=True)
    os.close(slave)
    seen = bytearray()
    try:
        _read_until(master, b"Type your entry; end with Ctrl+D.", seen)
        os.write(master, b"Mr. B died at 3 am.\nI held his hand.\n")
        os.write(master, b"\x04")  # Ctrl+D at the start of a line: the end of the text
        _read_until(master, b"\n", bytearray())  # the echo; then the id after the save
        assert proc.wait(timeout=WAIT_SECONDS) == 0, bytes(seen)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    [entry] = json.loads(ok(env, "list", "--json").stdout)
    assert entry["title"] == "Night shift, bed 12"
    [shown] = json.loads(ok(env, "show", entry["id"], "--json").stdout)
    assert shown["body"] == "Mr. B died at 3 am.\nI held his hand."


def test_add_from_a_pipe_reads_it_without_a_word(env: E2EEnv) -> None:
    build_vault(env.data_dir)
    env.set_passphrase(PASSPHRASE)
    result = ok(env, "add", "--title", "Piped", input="From a script.\n")
    assert "Type your entry" not in result.stderr
