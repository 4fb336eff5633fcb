"""Unlock agents started by tests: a private runtime folder for them, and their end.

Every agent a test starts is stopped by the test's fixture (``journal-app lock``, then SIGKILL by
pid for one that did not go), so no test leaves a process holding a journal behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import struct
import tempfile
import time
from pathlib import Path

from journal_app.cli.agentlink import FOLDER, SOCKET_SUFFIX, folder_key
from tests.e2e.conftest import E2EEnv


def private_runtime(env: E2EEnv) -> Path:
    """A runtime folder (0700) for ``env``'s agents, set as its XDG_RUNTIME_DIR: a short path
    of its own (a socket's path has at most 103 bytes, and pytest's folders are long), which
    :func:`stop` removes; ``env.root / "run"`` links to it."""
    run = Path(tempfile.mkdtemp(prefix="ja-run-"))
    os.chmod(run, 0o700)
    (env.root / "run").symlink_to(run)
    env.extra["XDG_RUNTIME_DIR"] = str(run)
    return run


def socket_file(env: E2EEnv) -> Path:
    run = env.env().get("XDG_RUNTIME_DIR") or str(env.root / "run")
    return Path(run) / FOLDER / (folder_key(env.data_dir)
                                                          + SOCKET_SUFFIX)


def agent_pid(env: E2EEnv) -> int | None:
    """The pid listening on ``env``'s agent socket (SO_PEERCRED), or None."""
    path = socket_file(env)
    if not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(2)
        sock.connect(str(path))
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        return int(struct.unpack("3i", creds)[0])
    except OSError:
        return None
    finally:
        sock.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().split(b") ", 1)[1][:1] != b"Z"
    except (OSError, IndexError):
        return False


def wait_gone(pid: int, deadline_s: float = 30.0) -> bool:
    """Poll until ``pid`` has ended (a generous deadline, not a timed assertion)."""
    end = time.monotonic() + deadline_s
    while alive(pid) and time.monotonic() < end:
        time.sleep(0.05)
    return not alive(pid)


def stop(env: E2EEnv, pids: list[int]) -> None:
    """End ``env``'s agent and every pid in ``pids``: lock, then SIGKILL what is left."""
    pid = agent_pid(env)
    with contextlib.suppress(Exception):
        env.run("lock", timeout=30)
    for p in [*pids, *([pid] if pid else [])]:
        if alive(p):
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, signal.SIGCONT)
                os.kill(p, signal.SIGKILL)
            wait_gone(p, 10)
    link = env.root / "run"
    if link.is_symlink():
        shutil.rmtree(link.resolve(), ignore_errors=True)
