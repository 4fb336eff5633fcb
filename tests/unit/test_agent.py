"""The unlock agent's pure parts: durations, the runtime folder's checks, the socket's name, the
wire, the peer check (with a second real user id when the test runs as root), the agent's
answers to bad or foreign requests (in this process), and its D-Bus ears (on a private bus)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.cli import agentlink
from journal_app.cli.agent import cmd_unlock, parse_duration
from journal_app.cli.agentlink import (
    MAX_FRAME,
    RuntimeFolderError,
    WireError,
    agent_folder,
    check_peer,
    data_dir_of,
    folder_key,
    receive,
    send,
    socket_path,
)
from journal_app.core.errors import UsageError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no unlock agent on Windows")


# ==================================================================== durations


@pytest.mark.parametrize(("text", "seconds"), [
    ("90s", 90), ("15m", 900), ("2h", 7200), ("8h", 28800), ("480m", 28800), (" 1s ", 1)])
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["0s", "0m", "9h", "28801s", "15", "1d", "-5m", "1.5h",
                                  "15 minutes", "", "m", "1h30m", "9999999s"])
def test_bad_durations_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="--for"):
        parse_duration(text)


def test_unlock_on_windows_says_it_is_not_available(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    args = argparse.Namespace(for_="15m", data_dir=None, passphrase_file=None, json=False)
    assert cmd_unlock(args) == 1
    assert "not available on Windows" in capsys.readouterr().err


# ==================================================================== the runtime folder


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A runtime folder of a short path (a socket's path has at most 103 bytes)."""
    run = Path(tempfile.mkdtemp(prefix="ja-run-"))
    os.chmod(run, 0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    yield run
    shutil.rmtree(run, ignore_errors=True)


def test_the_agent_folder_is_made_private(runtime: Path) -> None:
    folder = agent_folder(create=True)
    assert folder == runtime / "journal-app"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert agent_folder() == folder


def test_no_runtime_folder_no_agent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    if sys.platform.startswith("linux"):
        with pytest.raises(RuntimeFolderError, match="never uses /tmp"):
            agent_folder(create=True)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "missing"))
    with pytest.raises(RuntimeFolderError, match="does not exist"):
        agent_folder(create=True)
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("mode", [0o755, 0o710, 0o701, 0o770])
def test_a_runtime_folder_open_to_others_is_refused(runtime: Path, mode: int) -> None:
    os.chmod(runtime, mode)
    with pytest.raises(RuntimeFolderError, match="own folder"):
        agent_folder(create=True)
    assert not (runtime / "journal-app").exists()
    os.chmod(runtime, 0o700)
    (runtime / "journal-app").mkdir(mode=0o700)
    os.chmod(runtime / "journal-app", mode)
    with pytest.raises(RuntimeFolderError, match="own folder"):
        agent_folder(create=True)


def test_links_and_files_are_refused(runtime: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (runtime / "journal-app").symlink_to(elsewhere)
    with pytest.raises(RuntimeFolderError, match="not a folder"):
        agent_folder(create=True)
    (runtime / "journal-app").unlink()
    (runtime / "journal-app").write_text("")
    with pytest.raises(RuntimeFolderError, match="not a folder"):
        agent_folder(create=True)


@pytest.mark.skipif(os.getuid() != 0, reason="another user's folder can be made only as root")
def test_a_folder_of_another_user_is_refused(runtime: Path) -> None:
    (runtime / "journal-app").mkdir(mode=0o700)
    os.chown(runtime / "journal-app", 65534, 65534)
    with pytest.raises(RuntimeFolderError, match="own folder"):
        agent_folder(create=True)
    os.chown(runtime, 65534, 65534)
    with pytest.raises(RuntimeFolderError, match="own folder"):
        agent_folder(create=True)


def test_a_path_too_long_for_a_socket_is_refused(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    deep = tmp_path / ("x" * 100)
    deep.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    with pytest.raises(RuntimeFolderError, match="too long"):
        socket_path(tmp_path, create=True)


def test_the_socket_is_named_without_the_folder(runtime: Path, tmp_path: Path) -> None:
    folder = tmp_path / "My Journal"
    folder.mkdir()
    link = tmp_path / "link"
    link.symlink_to(folder)
    name = socket_path(folder, create=True).name
    assert "Journal" not in name and "My" not in name
    assert name == folder_key(folder) + ".sock" and len(folder_key(folder)) == 24
    assert folder_key(link) == folder_key(folder)  # one agent per real folder
    assert folder_key(tmp_path / "other") != folder_key(folder)


def test_the_data_folder_a_command_names(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    monkeypatch.setenv("JOURNAL_APP_DATA_DIR", str(tmp_path / "default"))
    monkeypatch.chdir(tmp_path)
    assert data_dir_of(["list"]) == tmp_path / "default"
    assert data_dir_of(["list", "--data-dir", "rel"]) == tmp_path / "rel"
    assert data_dir_of(["--data-dir=/abs", "add"]) == Path("/abs")
    assert data_dir_of(["search", "--", "--data-dir", "x"]) == tmp_path / "default"


# ==================================================================== the wire


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    a.settimeout(5)
    b.settimeout(5)
    yield a, b
    a.close()
    b.close()


def test_frames_round_trip(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    message = {"t": "out", "chunks": [[1, "é\u2014 text\n"], [2, "\udcff"]]}
    send(a, message)
    assert receive(b) == message


@pytest.mark.parametrize("raw", [
    struct.pack(">I", MAX_FRAME + 1) + b"{}",
    struct.pack(">I", 8) + b"not json",
    struct.pack(">I", 6) + b"[1, 2]",
    struct.pack(">I", 3) + b"\xff\xfe{",
    struct.pack(">I", 100) + b"{}",  # cut short
    b"\x00\x00",
])
def test_bad_frames_are_wire_errors(pair: tuple[socket.socket, socket.socket],
                                    raw: bytes) -> None:
    a, b = pair
    a.sendall(raw)
    a.shutdown(socket.SHUT_WR)
    with pytest.raises(WireError):
        receive(b)


def test_a_frame_too_large_is_not_sent(pair: tuple[socket.socket, socket.socket],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(agentlink, "MAX_FRAME", 10)
    with pytest.raises(WireError):
        send(pair[0], {"t": "out", "chunks": [[1, "x" * 20]]})


def test_the_peer_of_the_same_user_is_accepted(pair: tuple[socket.socket, socket.socket]) -> None:
    assert check_peer(pair[0]) == os.getpid()
    with pytest.raises(WireError, match="another user"):
        check_peer(pair[0], uid=os.getuid() + 1)  # a fake peer: as if it were another user


def _abstract_listener() -> tuple[socket.socket, str]:
    """A socket in Linux's abstract namespace: reachable by any user (no folder to pass)."""
    name = f"\0journal-app-test-{os.getpid()}-{time.monotonic_ns()}"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(name)
    listener.listen(4)
    listener.settimeout(10)
    return listener, name


def _connect_as_other_user(name: str, payload: bytes) -> int:
    """Fork a child that becomes user 65534 and connects to ``name``; returns its pid."""
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.setgid(65534)
            os.setuid(65534)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(10)
            s.connect(name)
            s.sendall(payload)
            with contextlib.suppress(OSError):
                s.recv(100)
        finally:
            os._exit(0)
    return child


needs_root = pytest.mark.skipif(
    os.getuid() != 0 or not sys.platform.startswith("linux"),
    reason="a second real user id needs root (setuid in a forked child) and Linux's abstract "
    "sockets; the check is also tested with a fake peer id above")


@needs_root
def test_a_peer_of_another_real_user_is_refused() -> None:
    listener, name = _abstract_listener()
    with listener:
        child = _connect_as_other_user(name, b"")
        conn, _ = listener.accept()
        with conn, pytest.raises(WireError, match="another user"):
            check_peer(conn)
        os.waitpid(child, 0)


# ==================================================================== the agent, in this process


@pytest.fixture
def held(tmp_path: Path) -> Iterator[object]:
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal

    journal, _key = Journal.create(tmp_path / "data", "a passphrase for tests", kdf=TEST_KDF)
    journal.add_entry(title="Held", body="Held text.")
    yield journal
    journal.close()


def _serve_one(agent: object, listener: socket.socket) -> threading.Thread:
    def run() -> None:
        conn, _ = listener.accept()
        with conn:
            agent.answer(conn)  # type: ignore[attr-defined]

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@needs_root
def test_the_agent_answers_another_user_nothing(held: object, tmp_path: Path) -> None:
    from journal_app.cli.agentserver import Agent

    listener, name = _abstract_listener()
    with listener:
        agent = Agent(held, tmp_path / "data", listener, 60)  # type: ignore[arg-type]
        payload = json.dumps({"op": "lock"}).encode()
        # Forked before the thread starts (a fork beside running threads is unsafe); its
        # connection waits in the listener's queue.
        child = _connect_as_other_user(name, struct.pack(">I", len(payload)) + payload)
        thread = _serve_one(agent, listener)
        thread.join(20)
        os.waitpid(child, 0)
        assert not agent.stop  # the lock was not obeyed
        assert agent.journal is held


def _ask(agent: object, listener: socket.socket, name: str,
         message: dict[str, object]) -> dict[str, object]:
    thread = _serve_one(agent, listener)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(name)
        send(s, message)
        answer = receive(s)
    thread.join(20)
    return answer


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract sockets: Linux")
@pytest.mark.parametrize(("request_", "why"), [
    ({"op": "run", "argv": ["verify"], "cwd": "/", "env": {}, "tty": [False] * 3},
     "Not a command"),
    ({"op": "run", "argv": ["change-passphrase"], "cwd": "/", "env": {}, "tty": [False] * 3},
     "Not a command"),
    ({"op": "run", "argv": ["list", "--nope"], "cwd": "/", "env": {}, "tty": [False] * 3},
     "Not a command"),
    ({"op": "run", "argv": ["list"], "cwd": "/", "env": {"LD_PRELOAD": "x"},
      "tty": [False] * 3}, "malformed"),
    ({"op": "run", "argv": ["list"], "cwd": "rel", "env": {}, "tty": [False] * 3},
     "malformed"),
    ({"op": "run", "argv": "list", "cwd": "/", "env": {}, "tty": [False] * 3}, "malformed"),
    ({"op": "run", "argv": ["list", "--data-dir", "/elsewhere"], "cwd": "/", "env": {},
      "tty": [False] * 3}, "another journal"),
])
def test_the_agent_refuses_what_it_does_not_run(held: object, tmp_path: Path,
                                                request_: dict[str, object], why: str) -> None:
    from journal_app.cli.agentserver import Agent

    listener, name = _abstract_listener()
    with listener:
        agent = Agent(held, tmp_path / "data", listener, 60)  # type: ignore[arg-type]
        answer = _ask(agent, listener, name, request_)
        assert answer["t"] == "refused" and why in str(answer["why"])
        assert agent.journal is held and not agent.stop


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract sockets: Linux")
def test_the_agent_locks_when_the_key_changes_on_disk(held: object, tmp_path: Path) -> None:
    from journal_app.cli.agentserver import Agent

    listener, _name = _abstract_listener()
    with listener:
        agent = Agent(held, tmp_path / "data", listener, 60)  # type: ignore[arg-type]
        assert agent.due() == ""
        held.change_passphrase("another passphrase for tests")  # type: ignore[attr-defined]
        assert agent.due() == "key changed"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract sockets: Linux")
def test_the_agent_locks_when_its_time_is_up(held: object, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from journal_app.cli import agentserver
    from journal_app.cli.agentserver import Agent

    boot = [1000.0]
    monkeypatch.setattr(agentserver, "_boot_clock", lambda: boot[0])
    listener, _name = _abstract_listener()
    with listener:
        agent = Agent(held, tmp_path / "data", listener, 90)  # type: ignore[arg-type]
        assert agent.due() == ""
        boot[0] += 89  # the boot clock counts time asleep too: 89 s of 90
        monkeypatch.setattr(agentserver, "_awake_clock", lambda: 1e6)  # (and no sleep gap)
        agent._clocks = (boot[0], 1e6)
        assert agent.due() == ""
        boot[0] += 1
        assert agent.due() == "time"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract sockets: Linux")
def test_the_agent_locks_after_a_sleep_seen_on_waking(held: object, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from journal_app.cli import agentserver
    from journal_app.cli.agentserver import SLEEP_GAP_S, Agent

    boot, mono = [1000.0], [50.0]
    monkeypatch.setattr(agentserver, "_boot_clock", lambda: boot[0])
    monkeypatch.setattr(agentserver, "_awake_clock", lambda: mono[0])
    listener, _name = _abstract_listener()
    with listener:
        agent = Agent(held, tmp_path / "data", listener, 3600)  # type: ignore[arg-type]
        assert agent.due() == ""
        boot[0] += 5
        mono[0] += 5  # awake: both clocks move together
        assert agent.due() == ""
        boot[0] += SLEEP_GAP_S + 1  # asleep: only the boot clock moved
        assert agent.due() == "slept"


# ==================================================================== D-Bus


@pytest.fixture
def session_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("no dbus-daemon on this machine to run a private session bus")
    proc = subprocess.Popen([daemon, "--session", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + str(tmp_path / "none"))
        yield address
    finally:
        proc.kill()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


def _emit(interface: str, path: str, member: str, value: bool) -> None:
    from jeepney import DBusAddress, new_signal
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus="SESSION") as conn:
        conn.send(new_signal(DBusAddress(path, interface=interface), member, "b", (value,)))


def _lock_said(watcher: object, deadline_s: float = 10.0) -> bool:
    import select

    end = time.monotonic() + deadline_s
    said = False
    while time.monotonic() < end and not said:
        ready, _, _ = select.select(watcher.fds(), [], [], 0.2)  # type: ignore[attr-defined]
        if ready:
            said = watcher.read()  # type: ignore[attr-defined]
    return said


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="D-Bus: Linux")
@pytest.mark.parametrize(("interface", "path"), [
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
])
def test_screen_lock_on_the_session_bus_says_lock(session_bus: str, interface: str,
                                                  path: str) -> None:
    from journal_app.cli.agentbus import watch_buses

    watcher = watch_buses()
    assert watcher is not None and watcher.describe() == "the screen locks"
    try:
        _emit(interface, path, "ActiveChanged", False)  # the screen unlocked: nothing to do
        assert not _lock_said(watcher, 1.0)
        _emit(interface, path, "ActiveChanged", True)
        assert _lock_said(watcher)
    finally:
        watcher.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="D-Bus: Linux")
def test_going_to_sleep_on_the_system_bus_says_lock(session_bus: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """logind's PrepareForSleep, on a private bus standing for the system bus."""
    from journal_app.cli.agentbus import watch_buses

    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", session_bus)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    watcher = watch_buses()
    assert watcher is not None and watcher.describe() == "the computer goes to sleep"
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus)  # for _emit
        _emit("org.freedesktop.login1.Manager", "/org/freedesktop/login1", "PrepareForSleep",
              False)  # waking up: nothing to do
        assert not _lock_said(watcher, 1.0)
        _emit("org.freedesktop.login1.Manager", "/org/freedesktop/login1", "PrepareForSleep",
              True)
        assert _lock_said(watcher)
    finally:
        watcher.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="D-Bus: Linux")
def test_no_bus_no_watcher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from journal_app.cli.agentbus import watch_buses

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + str(tmp_path / "none"))
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + str(tmp_path / "none"))
    assert watch_buses() is None
