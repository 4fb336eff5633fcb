"""The unlock agent's address and wire, and the client side of it (issue 19).

``journal-app unlock`` leaves one small process (:mod:`.agentserver`) holding the unlocked journal
of one data folder; ``add``, ``edit``, ``list``, ``show``, ``search``, ``checkin``, ``trends`` and
``prompt`` then run inside it, without the key derivation or the heavy imports. This module is
what a command imports to find and use it, so it stays light: the standard library only, and
``socket`` only once an agent's socket is there to talk to (no agent: nothing more is imported
than before; tests/e2e/test_cli_imports.py keeps both import sets).

- Where: ``$XDG_RUNTIME_DIR/journal-app/`` (on macOS, where there is no such variable, the
  per-user runtime folder platformdirs names), a folder of the user's own, mode 0700; the socket
  is named by a hash of the data folder's real path, so the folder's name is not in it. Nothing
  here ever falls back to ``/tmp``.
- Who: every connection checks the other end's user id (``SO_PEERCRED`` on Linux,
  ``getpeereid`` on macOS), both ways: the agent answers only its own user, and a command talks
  only to an agent of its own user.
- The wire: frames of a 4-byte big-endian length and one JSON object, at most
  :data:`MAX_FRAME` bytes; each read has a timeout.
- Fallback: no agent, a dead one (a socket nobody listens on), a hung one (no answer in time),
  or one of another folder: the command runs as it always did, asking for the passphrase, with
  no error. Once the agent has accepted a command, a writing command never runs twice: if the
  agent then dies, the command says so (exit 1) rather than risk a second save.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app.cli.base import AGENT_COMMANDS

if TYPE_CHECKING:
    import socket

#: Of those, the ones that write nothing the user typed: safe to run again directly when an
#: agent dies half-way (before any output was written).
READ_ONLY = ("list", "show", "search", "trends")
#: The environment a command's output can depend on (time zone, language and country, where the
#: journal is), sent with each command and set inside the agent while it runs.
CLIENT_ENV = ("TZ", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_TIME", "HOME",
              "JOURNAL_APP_DATA_DIR", "XDG_DATA_HOME")
#: The largest frame either side sends or accepts: a 64 MiB body file (files.MAX_TEXT_FILE_BYTES),
#: base64-encoded, with room to spare. Output travels in frames of about OUTPUT_CHUNK.
MAX_FRAME = 96 * 1024 * 1024
OUTPUT_CHUNK = 1024 * 1024
#: Seconds: to connect, and for the agent to take a command (else: fallback); for each frame of
#: a running command (a person answering a check-in's questions takes this long at most).
CONNECT_S = 1.0
ACCEPT_S = 3.0
RUNNING_S = 600.0
#: The folder under the runtime folder, and the socket's suffix.
FOLDER = "journal-app"
SOCKET_SUFFIX = ".sock"
NAME_CHARS = 24
#: The longest socket path the systems take, less its final zero byte (macOS 104, Linux 108).
MAX_SOCKET_PATH = 104

LINUX = sys.platform.startswith("linux")

ALONE = "is not the user's own folder (it must belong to you and be closed to others: mode 0700)"


class RuntimeFolderError(Exception):
    """The runtime folder is missing or unsafe: no agent can live there (one sentence)."""


class WireError(Exception):
    """A frame that is too large, cut short or not one JSON object, or a peer not ours."""


# ==================================================================== where


def runtime_base() -> Path:
    """The user's runtime folder: ``$XDG_RUNTIME_DIR``, or on macOS the one platformdirs names.

    Raises:
        RuntimeFolderError: there is none (never ``/tmp`` instead).
    """
    value = os.environ.get("XDG_RUNTIME_DIR")
    if value:
        return Path(value)
    if sys.platform == "darwin":
        from platformdirs import user_runtime_path

        return user_runtime_path()
    raise RuntimeFolderError("XDG_RUNTIME_DIR is not set, so there is no private runtime folder "
                             "for the agent (it never uses /tmp instead).")


def _private(path: Path, what: str) -> None:
    """``path`` is a real folder (no link) of this user, closed to others.

    Raises:
        RuntimeFolderError: it is missing, not a folder, or not ours alone.
    """
    try:
        st = os.lstat(path)
    except OSError:
        raise RuntimeFolderError(f"The {what} {path} does not exist.") from None
    import stat

    if not stat.S_ISDIR(st.st_mode):
        raise RuntimeFolderError(f"The {what} {path} is not a folder.")
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise RuntimeFolderError(f"The {what} {path} {ALONE}.")


def agent_folder(create: bool = False) -> Path:
    """``<runtime folder>/journal-app``, checked (and made, 0700, with ``create``).

    Raises:
        RuntimeFolderError: the runtime folder or ours is missing or not the user's alone.
    """
    base = runtime_base()
    _private(base, "runtime folder")
    folder = base / FOLDER
    if create:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError:
            raise RuntimeFolderError(f"The folder {folder} cannot be made.") from None
    _private(folder, "agent's folder")
    return folder


def folder_key(data_dir: Path) -> str:
    """The socket's name for ``data_dir``: a hash of its real path (the name does not say it)."""
    import hashlib

    real = os.path.realpath(data_dir)
    return hashlib.sha256(os.fsencode(real)).hexdigest()[:NAME_CHARS]


def socket_path(data_dir: Path, create: bool = False) -> Path:
    """Where the agent of ``data_dir`` listens.

    Raises:
        RuntimeFolderError: see :func:`agent_folder`; or the path is too long for a socket.
    """
    path = agent_folder(create) / (folder_key(data_dir) + SOCKET_SUFFIX)
    if len(os.fsencode(path)) >= MAX_SOCKET_PATH:
        raise RuntimeFolderError(f"The runtime folder's path {path.parent.parent} is too long "
                                 "for a socket.")
    return path


def data_dir_of(argv: Sequence[str]) -> Path:
    """The data folder a command names (``--data-dir DIR`` or ``--data-dir=DIR``; else the
    default), as :func:`cli.base.data_dir` makes it. Only a guess of which agent to ask: the
    agent parses the command as the parser does and refuses one for another folder."""
    args = list(argv)
    found: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--data-dir" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--data-dir="):
            found = arg.removeprefix("--data-dir=")
    if found:
        return Path(found).expanduser().absolute()
    from journal_app.core.paths import default_data_dir

    return default_data_dir()


# ==================================================================== the wire


def peer_ids(sock: socket.socket) -> tuple[int, int]:
    """``(pid, uid)`` of the process at the other end of a Unix socket (pid 0 where the system
    does not tell it)."""
    import socket as socket_module

    if LINUX:
        creds = sock.getsockopt(socket_module.SOL_SOCKET, socket_module.SO_PEERCRED,
                                struct.calcsize("3i"))
        pid, uid, _gid = struct.unpack("3i", creds)
        return pid, uid
    uid = _peereid(sock)
    try:  # macOS: LOCAL_PEERPID (SOL_LOCAL 0, option 2)
        pid = struct.unpack("i", sock.getsockopt(0, 2, struct.calcsize("i")))[0]
    except OSError:
        pid = 0
    return pid, uid


def _peereid(sock: socket.socket) -> int:
    """``getpeereid(2)`` through libc (Python has no binding for it)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = ctypes.c_uint32(), ctypes.c_uint32()
    if libc.getpeereid(sock.fileno(), ctypes.byref(uid), ctypes.byref(gid)) != 0:
        raise WireError("The other end of the socket cannot be identified.")
    return int(uid.value)


def check_peer(sock: socket.socket, uid: int | None = None) -> int:
    """Refuse a peer of another user; returns its pid.

    Raises:
        WireError: the peer is not ``uid`` (this user by default), or cannot be told.
    """
    try:
        pid, peer_uid = peer_ids(sock)
    except OSError:
        raise WireError("The other end of the socket cannot be identified.") from None
    if peer_uid != (os.getuid() if uid is None else uid):
        raise WireError("The other end of the socket belongs to another user.")
    return pid


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    data = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass")
    if len(data) > MAX_FRAME:
        raise WireError("A message is too large.")
    sock.sendall(struct.pack(">I", len(data)) + data)


def _exactly(sock: socket.socket, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = sock.recv(min(left, 1 << 20))
        if not part:
            raise WireError("The connection closed in the middle of a message.")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def receive(sock: socket.socket, limit: int = MAX_FRAME) -> dict[str, Any]:
    """One frame. Raises WireError (too large, cut short, not a JSON object), OSError or
    TimeoutError (the socket's timeout)."""
    (size,) = struct.unpack(">I", _exactly(sock, 4))
    if size > limit:
        raise WireError("A message is too large.")
    try:
        value = json.loads(_exactly(sock, size).decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WireError("A message is not valid JSON.") from None
    if not isinstance(value, dict):
        raise WireError("A message is not a JSON object.")
    return value


# ==================================================================== the client


def connect(data_dir: Path, timeout: float = CONNECT_S) -> socket.socket | None:
    """A checked connection to the agent of ``data_dir``; None when there is none to reach
    (no safe runtime folder, no socket, nobody listening, not our user's)."""
    try:
        path = socket_path(data_dir)
    except RuntimeFolderError:
        return None
    if not os.path.exists(path):  # the common case: no agent, and `socket` is never imported
        return None
    import socket as socket_module

    sock = socket_module.socket(socket_module.AF_UNIX, socket_module.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(str(path))
        check_peer(sock)
    except (OSError, WireError):
        sock.close()
        return None
    return sock


def ask(data_dir: Path, message: dict[str, Any], timeout: float = ACCEPT_S
        ) -> dict[str, Any] | None:
    """One question and its answer (status, lock); None when no agent answers in time."""
    sock = connect(data_dir)
    if sock is None:
        return None
    try:
        sock.settimeout(timeout)
        send(sock, message)
        return receive(sock)
    except (OSError, WireError):
        return None
    finally:
        sock.close()


def agent_pid(data_dir: Path) -> int | None:
    """The pid of the process listening for ``data_dir`` (checked to be ours): None when none
    listens, 0 when one does but the system does not say its pid."""
    sock = connect(data_dir)
    if sock is None:
        return None
    try:
        return peer_ids(sock)[0]
    except OSError:
        return 0
    finally:
        sock.close()


def stop_agent(data_dir: Path, wait_s: float = 5.0) -> bool:
    """End the agent of ``data_dir`` (it drops the journal and exits) and wait until it has let
    go of the vault; one that does not answer is killed. True when there was one."""
    import signal
    import time

    pid = agent_pid(data_dir)
    if pid is None:
        return False
    answer = ask(data_dir, {"op": "lock"}, timeout=wait_s)
    if not pid:  # its pid is not known: it answered, or it is left to its own checks
        return True
    deadline = time.monotonic() + wait_s
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if _alive(pid):
        if answer is None:  # hung: it never answered
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        while _alive(pid) and time.monotonic() < deadline + wait_s:
            time.sleep(0.02)
    return True


def end_agent(folder: Path) -> None:
    """Before the journal's key changes or the journal is replaced: its unlock agent, if one
    runs, drops the journal and ends (it would notice on disk anyway, and its hold on the vault
    would refuse a key rotation or a restore)."""
    stop_agent(folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # Our own child that has ended but was not reaped yet (a test's) counts as gone.
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().split(b") ", 1)[1][:1] != b"Z"
    except (OSError, IndexError):
        return True


def run(argv: Sequence[str]) -> int | None:
    """Run ``argv`` (one of :data:`AGENT_COMMANDS`) in this folder's agent, writing what it
    prints as it comes; its exit code, or None to run the command directly (no agent, or it
    refused or failed before taking the command)."""
    sock = connect(data_dir_of(argv))
    if sock is None:
        return None
    try:
        return _conversation(sock, list(argv))
    finally:
        sock.close()


def _conversation(sock: socket.socket, argv: list[str]) -> int | None:
    command = next((a for a in argv if a in AGENT_COMMANDS), "")
    try:
        sock.settimeout(ACCEPT_S)
        send(sock, {
            "op": "run", "argv": argv, "cwd": os.getcwd(),
            "env": {k: os.environ[k] for k in CLIENT_ENV if k in os.environ},
            "tty": [_isatty(sys.stdin), _isatty(sys.stdout), _isatty(sys.stderr)],
        })
        if receive(sock).get("t") != "accepted":
            return None  # refused (another folder, not an agent's command): run directly
        send(sock, {"t": "go"})
    except (OSError, WireError):
        return None
    wrote = False
    try:
        sock.settimeout(RUNNING_S)
        while True:
            message = receive(sock)
            kind = message.get("t")
            if kind == "out":
                wrote = _write(message.get("chunks")) or wrote
            elif kind == "read":
                _flush()
                send(sock, _stdin(message.get("what")))
            elif kind == "done":
                _flush()
                code = message.get("code")
                return code if isinstance(code, int) else 1
            else:
                raise WireError("An unexpected message.")
    except (OSError, WireError):
        _flush()
        if command in READ_ONLY and not wrote:
            return None  # nothing was changed or printed: run it directly
        print("journal-app: the unlock agent stopped while running the command; check whether "
              "it was saved ('journal-app list') before running it again.", file=sys.stderr)
        return 1


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _write(chunks: Any) -> bool:
    if not isinstance(chunks, list):
        raise WireError("An unexpected message.")
    wrote = False
    for chunk in chunks:
        if (not isinstance(chunk, list) or len(chunk) != 2 or chunk[0] not in (1, 2)
                or not isinstance(chunk[1], str)):
            raise WireError("An unexpected message.")
        stream = sys.stdout if chunk[0] == 1 else sys.stderr
        if chunk[0] == 2:
            sys.stdout.flush()  # the two streams in the order the command wrote them
        stream.write(chunk[1])
        if chunk[0] == 2:
            stream.flush()
        wrote = True
    return wrote


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()


def _stdin(what: Any) -> dict[str, Any]:
    """What the command asked of standard input: one line (a question answered), or all of it
    (a body), as base64 so that its bytes arrive as they are."""
    if what == "line":
        return {"t": "stdin", "line": sys.stdin.readline()}
    import base64

    return {"t": "stdin", "b64": base64.b64encode(sys.stdin.buffer.read()).decode("ascii")}
