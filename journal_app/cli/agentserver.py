"""The unlock agent itself: one detached process holding one folder's unlocked journal.

Started by ``journal-app unlock`` (:func:`start`) after the passphrase opened the journal: the
process forks twice (no terminal, its own session, standard streams on ``/dev/null``), forbids
core dumps and debugger attach again (:func:`forbid_core_dumps`), and answers on its socket
(:mod:`.agentlink` for the address and the wire) until it locks itself. Locking is the process
ending after it closed the journal (the key is dropped as :meth:`Journal.lock` does).

It runs a command by running the command line's own code (:func:`journal_app.cli.run_command`)
with the client's arguments, working folder, environment (:data:`agentlink.CLIENT_ENV`) and
terminals, its standard streams carried over the socket, and the journal it holds lent to
:func:`cli.base.open_journal`: the output and exit code are the ones the command prints without
an agent. Only :data:`agentlink.AGENT_COMMANDS` are run; anything else is refused (and the
command then asks for the passphrase as always).

It locks itself:
- when its time is up (``--for``; time asleep counts);
- on sleep: logind's ``PrepareForSleep`` on the system bus, or after the fact when the boot
  clock ran ahead of the monotonic clock (the machine slept), as the app's idle watcher does;
- on screen lock: the screensaver's ``ActiveChanged(true)`` on the session bus (freedesktop and
  GNOME), the signals the app listens for (ui/shell/platform_lock.py), read with jeepney;
- when the journal's key or file changes on disk (its key slots, vault id or the file's
  identity: a change of passphrase, a key rotation, a restore), checked before every command
  and every second; and the commands that do those ask it to lock first;
- on ``journal-app lock``, and on SIGTERM, SIGHUP or SIGINT.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app.cli import agentlink
from journal_app.cli.agentlink import ACCEPT_S, CLIENT_ENV, OUTPUT_CHUNK, RUNNING_S
from journal_app.cli.base import AGENT_COMMANDS

if TYPE_CHECKING:
    from journal_app.cli.agentbus import BusWatcher
    from journal_app.core.vault import Journal

#: How often the clocks and the file are looked at while no command comes.
TICK_S = 1.0
#: The boot clock ahead of the monotonic one by more than this: the machine slept.
SLEEP_GAP_S = 20.0
#: The meta rows whose change means the key changed or another journal took this one's place.
KEY_ROWS = ("vault_id", "slot.passphrase.a", "slot.passphrase.b", "slot.recovery.a",
            "slot.recovery.b")


class _Stop(Exception):
    """A signal asked the agent to lock while it was waiting."""


def _boot_clock() -> float:
    """A clock that counts time asleep (Linux's boot clock; elsewhere the wall clock)."""
    if hasattr(time, "CLOCK_BOOTTIME"):
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    return time.time()


def _awake_clock() -> float:
    """A clock that stops while the machine sleeps (Linux's monotonic clock)."""
    return time.monotonic()


def fingerprint(journal: Journal) -> bytes:
    """What identifies the journal's key and file: changed by a new passphrase, a key rotation,
    a recovery or a restore (the file is replaced). Raises OSError or JournalError when the
    file cannot be read (the agent locks then too)."""
    st = os.stat(journal.store.path)
    rows = journal.store.get_meta(KEY_ROWS)
    digest = hashlib.sha256(f"{st.st_dev}:{st.st_ino}".encode())
    for key in KEY_ROWS:
        digest.update(key.encode() + b"=" + rows.get(key, b"-") + b";")
    return digest.digest()


# ==================================================================== standard streams


class _Streams:
    """What a command writes (in order, stream by stream) and what it reads, over the socket."""

    def __init__(self, conn: socket.socket, tty: list[bool]) -> None:
        self.conn = conn
        self.tty = tty
        self.pending: list[list[Any]] = []
        self.size = 0

    def write(self, fd: int, text: str) -> None:
        if not text:
            return
        if self.pending and self.pending[-1][0] == fd:
            self.pending[-1][1] += text
        else:
            self.pending.append([fd, text])
        self.size += len(text)
        if self.size >= OUTPUT_CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            chunks, self.pending, self.size = self.pending, [], 0
            agentlink.send(self.conn, {"t": "out", "chunks": chunks})

    def read(self, what: str) -> dict[str, Any]:
        self.flush()
        agentlink.send(self.conn, {"t": "read", "what": what})
        answer = agentlink.receive(self.conn)
        if answer.get("t") != "stdin":
            raise agentlink.WireError("An unexpected message.")
        return answer


class _Out(io.TextIOBase):
    def __init__(self, streams: _Streams, fd: int) -> None:
        self._streams, self._fd = streams, fd

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._streams.write(self._fd, text)
        return len(text)

    def isatty(self) -> bool:
        return self._streams.tty[self._fd]


class _InBytes:
    def __init__(self, streams: _Streams) -> None:
        self._streams = streams

    def read(self, size: int = -1) -> bytes:
        answer = self._streams.read("all")
        data = answer.get("b64")
        if not isinstance(data, str):
            raise agentlink.WireError("An unexpected message.")
        return base64.b64decode(data, validate=True)


class _In(io.TextIOBase):
    def __init__(self, streams: _Streams) -> None:
        self._streams = streams
        self.buffer = _InBytes(streams)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = self._streams.read("line").get("line")
        if not isinstance(line, str):
            raise agentlink.WireError("An unexpected message.")
        return line

    def read(self, size: int | None = -1) -> str:
        return self.buffer.read().decode("utf-8", "replace")

    def isatty(self) -> bool:
        return self._streams.tty[0]


@contextlib.contextmanager
def _as_client(streams: _Streams, cwd: str, env: dict[str, str]) -> Iterator[None]:
    """While a command runs: the client's working folder, environment and standard streams."""
    saved_env = {k: os.environ.get(k) for k in CLIENT_ENV}
    saved = sys.stdin, sys.stdout, sys.stderr
    os.chdir(cwd)
    try:
        for key in CLIENT_ENV:
            if key in env:
                os.environ[key] = env[key]
            else:
                os.environ.pop(key, None)
        time.tzset()
        sys.stdin, sys.stdout, sys.stderr = _In(streams), _Out(streams, 1), _Out(streams, 2)
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        time.tzset()
        os.chdir("/")


class _Lent:
    """The held journal, lent to one command: ``with`` gives it, and does not close it."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal

    def __enter__(self) -> Journal:
        return self._journal

    def __exit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._journal, name)


# ==================================================================== the agent


class Agent:
    """The loop: accept a connection, check its user, answer it; lock when it is time."""

    def __init__(self, journal: Journal, folder: Path, listener: socket.socket,
                 duration_s: float, watcher: BusWatcher | None = None) -> None:
        self.journal = journal
        self.folder = folder
        self.listener = listener
        self.started_boot = _boot_clock()
        self.duration_s = duration_s
        self.locks_at = time.time() + duration_s
        self.fingerprint = fingerprint(journal)
        #: The buses' signals (sleep, screen lock); None without a bus.
        self.watcher = watcher
        self.busy = False
        self.stop = False
        self.why = ""

    # ---------------------------------------------------------------- when to lock

    def due(self) -> str:
        """Why the agent must lock now ("" when it need not)."""
        if self.stop:
            return self.why or "asked"
        boot, wall = _boot_clock(), time.time()
        if boot - self.started_boot >= self.duration_s or wall >= self.locks_at:
            return "time"
        mono = _awake_clock()
        last = getattr(self, "_clocks", None)
        self._clocks = (boot, mono)
        if last is not None and (boot - last[0]) - (mono - last[1]) > SLEEP_GAP_S:
            return "slept"
        try:
            if fingerprint(self.journal) != self.fingerprint:
                return "key changed"
        except Exception:  # the file is gone or unreadable: nothing to answer from
            return "file changed"
        return ""

    def serve(self) -> str:
        """Answer until it is time to lock; returns why."""
        import select

        while True:
            why = self.due()
            if why:
                return why
            buses = self.watcher.fds() if self.watcher is not None else []
            try:
                ready, _, _ = select.select([self.listener, *buses], [], [], TICK_S)
            except _Stop:
                return "asked"
            if (self.watcher is not None and any(r is not self.listener for r in ready)
                    and self.watcher.read()):
                return "screen locked or going to sleep"
            if self.listener in ready:
                try:
                    conn, _ = self.listener.accept()
                except (OSError, _Stop):
                    continue
                with conn:
                    self.busy = True
                    try:
                        self.answer(conn)
                    except Exception:  # noqa: S110 - a bad client never ends the agent
                        pass
                    finally:
                        self.busy = False

    def on_signal(self, _signum: int, _frame: object) -> None:
        self.stop, self.why = True, "asked"
        if not self.busy:
            raise _Stop()

    # ---------------------------------------------------------------- one connection

    def answer(self, conn: socket.socket) -> None:
        conn.settimeout(ACCEPT_S)
        try:
            agentlink.check_peer(conn)
        except agentlink.WireError:
            return  # another user: not a word
        try:
            request = agentlink.receive(conn)
        except (agentlink.WireError, OSError):
            with contextlib.suppress(OSError, agentlink.WireError):
                agentlink.send(conn, {"t": "error", "why": "A malformed request."})
            return
        op = request.get("op")
        if op == "status":
            agentlink.send(conn, self.status())
        elif op == "lock":
            self.stop, self.why = True, "asked"
            self.close()  # the vault is let go of before the answer: a restore may follow
            agentlink.send(conn, {"t": "locked"})
        elif op == "run":
            self.run(conn, request)
        else:
            agentlink.send(conn, {"t": "error", "why": "Not a request the agent answers."})

    def status(self) -> dict[str, Any]:
        when = datetime.fromtimestamp(self.locks_at).astimezone()
        return {"t": "status", "data_dir": str(self.folder),
                "locks_at": when.isoformat(timespec="seconds"),
                "bus": self.watcher.describe() if self.watcher is not None else ""}

    def run(self, conn: socket.socket, request: dict[str, Any]) -> None:
        refusal = self.check(request)
        if refusal:
            agentlink.send(conn, {"t": "refused", "why": refusal})
            return
        agentlink.send(conn, {"t": "accepted"})
        if agentlink.receive(conn).get("t") != "go":
            return  # the client gave up before the command started: it runs it itself
        conn.settimeout(max(1.0, min(RUNNING_S, self.locks_at - time.time() + 5)))
        streams = _Streams(conn, list(request["tty"]))
        from journal_app.cli import base, run_command

        base.held_journal = lambda: _Lent(self.journal)  # type: ignore[assignment]
        try:
            with _as_client(streams, request["cwd"], request["env"]):
                code = run_command(request["argv"])
        finally:
            base.held_journal = None
        streams.flush()
        agentlink.send(conn, {"t": "done", "code": code})

    def check(self, request: dict[str, Any]) -> str:
        """Why ``request`` is refused ("" when it is run): the request is malformed, the
        command is not one the agent runs, or it is for another folder, or the journal's key
        changed since the unlock."""
        argv, cwd, env, tty = (request.get(k) for k in ("argv", "cwd", "env", "tty"))
        if not (isinstance(argv, list) and all(isinstance(a, str) for a in argv)
                and isinstance(cwd, str) and os.path.isabs(cwd)
                and isinstance(env, dict) and all(k in CLIENT_ENV and isinstance(v, str)
                                                  for k, v in env.items())
                and isinstance(tty, list) and len(tty) == 3
                and all(isinstance(t, bool) for t in tty)):
            return "A malformed request."
        if self.due():
            self.stop, self.why = True, self.due() or "key changed"
            return "The agent is locking."
        from journal_app.cli import build_parser, families_for
        from journal_app.cli.base import data_dir

        try:
            with _as_client(_Streams(None, tty), cwd, env):  # type: ignore[arg-type]
                args = build_parser(families_for(argv)).parse_args(argv)
                folder = data_dir(args)
        except BaseException as exc:  # a usage error, --help, no such folder: run directly
            if isinstance(exc, KeyboardInterrupt):
                raise
            return "Not a command the agent runs."
        if getattr(args, "command", None) not in AGENT_COMMANDS:
            return "Not a command the agent runs."
        if os.path.realpath(folder) != os.path.realpath(self.folder):
            return "This agent holds another journal."
        return ""

    def close(self) -> None:
        journal, self.journal = self.journal, None  # type: ignore[assignment]
        if journal is not None:
            with contextlib.suppress(Exception):
                journal.close()


# ==================================================================== starting


def start(journal: Journal, folder: Path, listener: socket.socket, duration_s: float,
          lock_fd: int) -> int:
    """Fork the agent off (it owns ``journal`` and ``listener``, bound, from then on); returns
    its pid once it listens (0 if it did not start), in the calling process, which must then let
    go of both without closing the journal.

    The agent calls ``listen`` itself: a client reads the listening process's id from the
    socket (SO_PEERCRED), and ``lock`` uses it to end a hung agent.
    """
    read_fd, write_fd = os.pipe()
    child = os.fork()
    if child:
        os.close(write_fd)
        os.waitpid(child, 0)
        with os.fdopen(read_fd, "rb") as f:
            got = f.read(16)  # until the agent listens, or ended
        return int(got.decode("ascii") or "0")
    # The first child: a session of its own, then the agent in a second child (no terminal
    # can ever come back to it), while this one ends.
    try:
        os.close(read_fd)
        os.setsid()
        if os.fork():
            os._exit(0)
        os.close(lock_fd)  # the second `unlock` waits on this lock until the first one ends
        _detach()
        listener.listen(16)
        os.write(write_fd, str(os.getpid()).encode("ascii"))
        os.close(write_fd)
        _serve(journal, folder, listener, duration_s)
    finally:  # the agent ends quietly whatever happened
        os._exit(0)


def _detach() -> None:
    from journal_app.core.vault import forbid_core_dumps

    forbid_core_dumps()  # inherited already; said again where the key lives
    os.chdir("/")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _serve(journal: Journal, folder: Path, listener: socket.socket, duration_s: float) -> str:
    from journal_app.cli.agentbus import watch_buses

    watcher = watch_buses()
    agent = Agent(journal, folder, listener, duration_s, watcher)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, agent.on_signal)
    path = Path(listener.getsockname())
    mine = os.stat(path).st_ino
    try:
        return agent.serve()
    finally:
        agent.close()
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == mine:  # not a newer agent's socket
                os.unlink(path)
        listener.close()
        if watcher is not None:
            watcher.close()
