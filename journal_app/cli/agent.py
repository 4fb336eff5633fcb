"""``journal-app unlock [--for DURATION]``, ``lock`` and ``status [--json]``: the unlock agent.

``unlock`` asks for the passphrase (or reads ``--passphrase-file``), opens the journal, and leaves
one small process holding it (:mod:`.agentserver`) until ``--for`` is up (default 15 minutes, at
most 8 hours), the machine sleeps or the screen locks, the key changes, or ``lock`` ends it.
Exit codes: 0 ready (or one was running already), 3 wrong passphrase, 1 the runtime folder is
unusable (or Windows), 2 a bad duration. ``lock`` exits 0 even when no agent was running.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.cli.agentlink import RuntimeFolderError, ask, socket_path, stop_agent
from journal_app.cli.base import Add, data_dir
from journal_app.cli.io import EXIT_FAIL, EXIT_OK, PROG, print_json, say
from journal_app.core.errors import UsageError

if TYPE_CHECKING:
    import socket

DEFAULT_FOR = "15m"
MAX_FOR_S = 8 * 3600
_UNITS = {"s": 1, "m": 60, "h": 3600}
#: How long a second ``unlock`` waits for a first one still starting its agent.
START_LOCK_S = 120


def parse_duration(text: str) -> int:
    """Seconds in ``90s``, ``15m`` or ``2h`` (more than 0, at most 8 hours).

    Raises:
        UsageError: anything else (exit 2).
    """
    match = re.fullmatch(r"\s*(\d{1,6})\s*([smh])\s*", text)
    seconds = int(match.group(1)) * _UNITS[match.group(2)] if match else 0
    if not match or not 0 < seconds <= MAX_FOR_S:
        raise UsageError("--for takes a time like 90s, 15m or 2h: more than 0, at most 8h.")
    return seconds


def _clock(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M")


def cmd_unlock(args: argparse.Namespace) -> int:
    if sys.platform == "win32":
        say(f"{PROG}: the unlock agent is not available on Windows; each command asks for the "
            "passphrase.")
        return EXIT_FAIL
    seconds = parse_duration(args.for_)
    folder = data_dir(args)
    try:
        path = socket_path(folder, create=True)
    except RuntimeFolderError as exc:
        say(f"{PROG}: {exc} No agent was started.")
        return EXIT_FAIL
    from journal_app.cli.io import passphrase

    if _running(args, folder):  # no passphrase is asked for then
        return EXIT_OK
    secret = passphrase(args)
    with _starting(path) as lock_fd:
        if _running(args, folder):  # another `unlock` started it meanwhile
            return EXIT_OK
        stop_agent(folder)  # one that listens but does not answer: hung, ended
        from journal_app.cli.base import open_unlocked

        journal = open_unlocked(folder, secret, want_index=True)  # 3 on a wrong passphrase
        del secret
        try:
            journal.sync()  # ready before `unlock` returns: the first command is as fast
            journal.prepare_search()
            listener = _listen(path)
        except BaseException:
            journal.close()
            raise
        from journal_app.cli.agentserver import start

        pid = start(journal, folder, listener, seconds, lock_fd)
        listener.close()
    if not pid:
        say(f"{PROG}: the agent did not start; each command asks for the passphrase.")
        return EXIT_FAIL
    status = ask(folder, {"op": "status"})
    if status is None or status.get("t") != "status":
        say(f"{PROG}: the agent did not start; each command asks for the passphrase.")
        return EXIT_FAIL
    _say_unlocked(args, folder, str(status["locks_at"]), already=False,
                  bus=str(status.get("bus") or ""))
    return EXIT_OK


def _running(args: argparse.Namespace, folder: Path) -> bool:
    """True (and said so) when an agent already holds this journal."""
    running = ask(folder, {"op": "status"})
    if running is not None and running.get("t") == "status":
        _say_unlocked(args, folder, str(running["locks_at"]), already=True)
        return True
    return False


class _starting:
    """An exclusive lock on ``<socket>.lock`` while an agent is started: two ``unlock`` at
    once start one agent (the second finds the first one's)."""

    def __init__(self, path: object) -> None:
        self.path = f"{path}.lock"
        self.fd = -1

    def __enter__(self) -> int:
        import fcntl
        import os
        import signal

        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

        def waited(_signum: int, _frame: object) -> None:
            raise UsageError("Another 'unlock' of this journal is still starting; try again.")

        old = signal.signal(signal.SIGALRM, waited)
        signal.alarm(START_LOCK_S)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(self.fd)
            raise
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
        return self.fd

    def __exit__(self, *exc: object) -> None:
        import os

        os.close(self.fd)


def _listen(path: object) -> socket.socket:
    """The agent's socket, bound at ``path``; a socket left by a dead agent is replaced
    (one that still answers is never: the caller asked it first, under the start lock)."""
    import os
    import socket

    with_path = str(path)
    if os.path.lexists(with_path):
        os.unlink(with_path)  # nobody answered on it: a dead agent's
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket file 0600 (its folder is 0700 already)
    try:
        listener.bind(with_path)
    finally:
        os.umask(old)
    return listener  # the agent listens on it (agentserver.start)


def _say_unlocked(args: argparse.Namespace, folder: object, locks_at: str, already: bool,
                  bus: str = "") -> None:
    if args.json:
        print_json({"agent": True, "data_dir": str(folder), "locks_at": locks_at})
        return
    if already:
        print(f"The journal is already unlocked for commands until {_clock(locks_at)} "
              f"('{PROG} lock' locks it now).")
        return
    print(f"Unlocked for commands until {_clock(locks_at)}: add, edit, list, show, search, "
          f"checkin, trends and prompt skip the passphrase. '{PROG} lock' locks it now.")
    if not bus:
        say("No session bus here: it locks on its timer, on sleep (once the computer wakes) and "
            f"on '{PROG} lock', not when the screen locks.")


def cmd_lock(args: argparse.Namespace) -> int:
    stopped = stop_agent(data_dir(args))
    if not args.json:
        print("Locked." if stopped else "No agent was running for this journal.")
    else:
        print_json({"locked": stopped})
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    folder = data_dir(args)
    answer = ask(folder, {"op": "status"})
    running = answer is not None and answer.get("t") == "status"
    locks_at = str(answer["locks_at"]) if answer is not None and running else None
    if args.json:
        print_json({"agent": running, "data_dir": str(folder), "locks_at": locks_at})
        return EXIT_OK
    if locks_at is None:
        print(f"No agent: each command asks for the passphrase ('{PROG} unlock' starts one).")
        return EXIT_OK
    assert answer is not None
    print(f"Unlocked for commands until {_clock(locks_at)}.")
    bus = answer.get("bus")
    print(f"It also locks when {bus}." if bus else
          "No session bus: it locks on its timer, on sleep (once the computer wakes) and on "
          f"'{PROG} lock', not when the screen locks.")
    return EXIT_OK


def register(add: Add) -> None:
    p = add("unlock", cmd_unlock, "keep the journal unlocked for commands for a while (an "
            "agent, as ssh-agent): add, edit, list, show, search, checkin, trends and prompt "
            "then skip the passphrase")
    p.add_argument("--for", dest="for_", default=DEFAULT_FOR, metavar="DURATION",
                   help="how long: 90s, 15m, 2h (default 15m, at most 8h)")
    add("lock", cmd_lock, "end the unlock agent of this journal (nothing happens if none runs)")
    add("status", cmd_status, "say whether an unlock agent runs for this journal, and until when")
