"""The unlock agent with real processes: `unlock`, `lock`, `status`, the eight commands it runs
(the same output as without it), what it refuses, when it locks itself, and the fallbacks.

Every agent a test starts is stopped by the ``agent`` fixture's finalizer (lock, then SIGKILL
by pid). No test asserts a time: an expiry is awaited by polling with a generous deadline.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import PASSPHRASE, E2EEnv, build_vault, fails, make_env, ok
from tests.helpers.agent import agent_pid, alive, private_runtime, socket_file, stop, wait_gone

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no unlock agent on Windows")

ENTRIES = [
    {"title": "Night shift", "body": "Grief at the end of a long night.", "tags": ["nights"]},
    {"title": "Ward round", "body": "A family meeting about grief and hope.", "starred": True},
    {"title": "Clinic", "body": "A quiet day."},
]


class Agents:
    """The agents of one test: started through the CLI, all stopped at the end."""

    def __init__(self, env: E2EEnv) -> None:
        self.env = env
        self.pids: list[int] = []

    def unlock(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = self.env.run("unlock", *args)
        pid = agent_pid(self.env)
        if pid is not None:
            self.pids.append(pid)
        return result

    def pid(self) -> int:
        pid = agent_pid(self.env)
        assert pid is not None, "no agent answers"
        return pid


@pytest.fixture
def agent(tmp_path: Path) -> Iterator[Agents]:
    env = make_env(tmp_path / "cli")
    private_runtime(env)
    journal, _key = Journal.create(env.data_dir, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        for fields in ENTRIES:
            journal.add_entry(**fields)
    agents = Agents(env)
    try:
        yield agents
    finally:
        stop(env, agents.pids)


def no_passphrase(env: E2EEnv) -> dict[str, str]:
    """``env``'s environment without a passphrase: a command that needs one says so (exit 2)."""
    out = env.env()
    out.pop("JOURNAL_APP_PASSPHRASE_FILE")
    return out


def through(env: E2EEnv, *args: str, input: str | None = None
            ) -> subprocess.CompletedProcess[str]:
    """Run a command that must succeed without a passphrase: through the agent."""
    result = env.run(*args, input=input, env=no_passphrase(env))
    assert result.returncode == 0, f"{args}: exit {result.returncode}: {result.stderr}"
    return result


# ==================================================================== unlock, status, lock


def test_unlock_status_lock(agent: Agents) -> None:
    env = agent.env
    assert json.loads(ok(env, "status", "--json").stdout) == {
        "agent": False, "data_dir": str(env.data_dir), "locks_at": None}
    result = agent.unlock("--for", "2h")
    assert result.returncode == 0, result.stderr
    assert "Unlocked for commands until" in result.stdout
    status = json.loads(ok(env, "status", "--json").stdout)
    assert set(status) == {"agent", "data_dir", "locks_at"}
    assert status["agent"] is True and status["data_dir"] == str(env.data_dir)
    from datetime import datetime

    assert datetime.fromisoformat(status["locks_at"]).tzinfo is not None
    # The socket: in the private folder, 0600, named without the data folder's name.
    sock = socket_file(env)
    assert sock.exists() and (sock.stat().st_mode & 0o777) == 0o600
    assert (sock.parent.stat().st_mode & 0o777) == 0o700
    assert "data" not in sock.name and "cli" not in sock.name
    # A second unlock finds it: no second agent, no passphrase asked.
    again = env.run("unlock", env=no_passphrase(env))
    assert again.returncode == 0 and "already unlocked" in again.stdout
    assert agent.pid() == agent.pids[0]
    pid = agent.pid()
    assert ok(env, "lock").stdout.strip() == "Locked."
    assert wait_gone(pid)
    assert not sock.exists()
    assert json.loads(ok(env, "status", "--json").stdout)["agent"] is False
    assert ok(env, "lock").returncode == 0  # none running: still 0


@pytest.mark.skipif(os.getuid() != 0, reason="the agents are counted through /proc/PID/environ, "
                    "which only root can read of a process that is not dumpable")
def test_two_unlocks_at_once_start_one_agent(agent: Agents) -> None:
    env = agent.env
    procs = [subprocess.Popen([*env.command(), "unlock"], env=env.env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              start_new_session=True) for _ in range(3)]
    codes = [p.wait(timeout=120) for p in procs]
    for p in procs:
        p.stdout.close()  # type: ignore[union-attr]
        p.stderr.close()  # type: ignore[union-attr]
    agent.pids.append(agent.pid())
    assert codes == [0, 0, 0]
    ours = [pid for pid in _processes_with(str(env.data_dir)) if pid != os.getpid()]
    assert ours == [agent.pid()]


def _processes_with(value: str) -> list[int]:
    """The processes whose environment holds ``value`` (as root, /proc/PID/environ is
    readable even for a process that is not dumpable)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                environ = Path(f"/proc/{name}/environ").read_bytes()
            except OSError:
                continue
            if value.encode() in environ and alive(int(name)):
                found.append(int(name))
    return found


def test_wrong_passphrase_exits_3_and_starts_nothing(agent: Agents) -> None:
    env = agent.env
    bad = env.secret("bad", "not the passphrase")
    fails(agent.unlock("--passphrase-file", str(bad)), 3)
    assert agent_pid(env) is None


@pytest.mark.parametrize("value", ["0s", "9h", "481m", "15", "1d", "-5m", "soon", ""])
def test_a_bad_duration_exits_2(agent: Agents, value: str) -> None:
    fails(agent.unlock("--for", value), 2, "--for")
    assert agent_pid(agent.env) is None


# ==================================================================== an unusable runtime folder


def _no_socket_anywhere(env: E2EEnv) -> None:
    found = [p for folder in (env.root, (env.root / "run").resolve())
             for p in folder.rglob("*") if p.is_socket()]
    assert found == []


@pytest.mark.parametrize("problem", ["unset", "missing", "open to others", "a link"])
def test_an_unusable_runtime_folder_exits_1(agent: Agents, problem: str) -> None:
    env = agent.env
    run = Path(env.extra["XDG_RUNTIME_DIR"])
    if problem == "unset":
        env.extra["XDG_RUNTIME_DIR"] = None
    elif problem == "missing":
        env.extra["XDG_RUNTIME_DIR"] = str(env.root / "no-such-folder")
    elif problem == "open to others":
        os.chmod(run, 0o755)
    else:
        link = env.root / "run-link"
        link.symlink_to(run)
        env.extra["XDG_RUNTIME_DIR"] = str(link)
    line = fails(agent.unlock(), 1)
    assert "No agent was started" in line
    _no_socket_anywhere(env)
    assert not Path("/tmp", "journal-app").exists() or not any(
        p.is_socket() for p in Path("/tmp", "journal-app").iterdir())
    ok(env, "list")  # the commands work as before


@pytest.mark.skipif(os.getuid() != 0, reason="another user's folder can be made only as root")
def test_a_runtime_folder_of_another_user_exits_1(agent: Agents) -> None:
    env = agent.env
    run = Path(env.extra["XDG_RUNTIME_DIR"])
    (run / "journal-app").mkdir(mode=0o700)
    os.chown(run / "journal-app", 65534, 65534)
    fails(agent.unlock(), 1, "not the user's own folder")
    _no_socket_anywhere(env)
    os.chown(run / "journal-app", 0, 0)
    os.chown(run, 65534, 65534)
    fails(agent.unlock(), 1, "not the user's own folder")
    _no_socket_anywhere(env)


# ==================================================================== the same output


def _same(env: E2EEnv, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``args`` through the agent, then directly (no agent), and compare everything."""
    through = env.run(*args, input=input, env=no_passphrase(env))
    pid = agent_pid(env)
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # the direct run cannot reach it ... (fallback after a wait)
    try:
        direct_env = env.env()
        direct_env["XDG_RUNTIME_DIR"] = str(env.root / "no-runtime")  # ... nor even look
        direct = env.run(*args, input=input, env=direct_env)
    finally:
        os.kill(pid, signal.SIGCONT)
    assert (through.returncode, through.stdout, through.stderr) == (
        direct.returncode, direct.stdout, direct.stderr), args
    return through


def test_the_eight_commands_print_the_same_through_the_agent(agent: Agents) -> None:
    env = agent.env
    assert agent.unlock().returncode == 0
    listing = _same(agent.env, "list").stdout
    first = listing.split()[0]
    _same(env, "list", "--json")
    _same(env, "list", "--limit", "1")
    _same(env, "show", first)
    _same(env, "show", first, "--json")
    _same(env, "search", "grief")
    _same(env, "search", "grief", "--json", "--tag", "nights")
    _same(env, "search", "--query-file", "-", input="hope")
    _same(env, "search", "nothing-matches-this")
    _same(env, "trends")
    _same(env, "trends", "--json", "--from", "2020-01-01")
    _same(env, "prompt")
    _same(env, "prompt", "--json", "--theme", "grief")
    # Errors: the same sentence and exit code.
    _same(env, "show", "ffffffffff")
    _same(env, "search", "grief", "--limit", "0")
    _same(env, "trends", "--from", "2026-02-01", "--to", "2026-01-01")
    _same(env, "add", "--mood", "9", "--title", "x")
    _same(env, "add", "--emotion", "exhaus")
    _same(env, "add", "--no-such-option")  # the agent refuses: the parser says it directly
    # Writing: what is printed has the same shape, and what was written reads back the same.
    added = through(env, "add", "--title", "Through the agent", "--tag", "agent",
               input="A body typed on standard input.\nSecond line.")
    new_id = added.stdout.strip()
    assert len(new_id) == 32 and added.stderr == ""
    shown = _same(env, "show", new_id).stdout
    assert "A body typed on standard input.\nSecond line." in shown and "agent" in shown
    fields = json.dumps({"title": "From fields", "body": "Fields body", "tag": ["f"]})
    from_fields = through(env, "add", "--fields-file", "-", "--json", input=fields)
    assert json.loads(from_fields.stdout)[0]["body"] == "Fields body"
    edited = through(env, "edit", new_id[:8], "--title", "Edited")
    assert edited.stdout.strip() == new_id
    assert "Edited" in _same(env, "show", new_id).stdout
    checkin = through(env, "checkin", "--mood", "2", "--energy", "1", "--stress", "3",
                 "--burnout", "2", "--encounter", "patient-death", "--note", "A hard night.")
    assert "guided reflection" in checkin.stderr
    _same(env, "show", checkin.stdout.strip())
    crisis = through(env, "add", "--title", "Low", input="I want to die.")
    assert "support" in crisis.stderr  # the same calm line as without the agent
    _same(env, "trends", "--json")
    # Relative paths are the client's: --body-file in the command's working folder.
    (env.root / "work").mkdir()
    (env.root / "work" / "body.md").write_text("From a relative file.", encoding="utf-8")
    rel = subprocess.run([*env.command(), "add", "--body-file", "body.md"],
                         cwd=env.root / "work", env=no_passphrase(env), capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL,
                         start_new_session=True, check=False)
    assert rel.returncode == 0, rel.stderr
    assert "From a relative file." in _same(env, "show", rel.stdout.strip()).stdout


def test_a_command_the_agent_does_not_run_asks_for_the_passphrase(agent: Agents) -> None:
    env = agent.env
    assert agent.unlock().returncode == 0
    for args in (("checkins",), ("verify",), ("export", "--out", str(env.root / "x.json")),
                 ("change-passphrase",), ("new-recovery-key",),
                 ("backup", "create", "--out", str(env.root / "b")), ("trash",)):
        fails(env.run(*args, env=no_passphrase(env)), 2, "No passphrase given")
    # Another folder named in a way only the parser reads (an abbreviated option): refused by
    # the agent, so run directly, and that journal's passphrase is asked for.
    other = make_env(env.root / "other")
    build_vault(other.data_dir)
    fails(env.run("list", "--data", str(other.data_dir), env=no_passphrase(env)), 2,
          "No passphrase given")
    assert ok(env, "list", "--data", str(other.data_dir)).stdout == ""
    assert alive(agent.pid())


# ==================================================================== locking itself


def test_it_locks_itself_when_its_time_is_up(agent: Agents) -> None:
    env = agent.env
    assert agent.unlock("--for", "2s").returncode == 0
    pid = agent.pid()
    assert wait_gone(pid, 60)
    assert not socket_file(env).exists()
    assert json.loads(ok(env, "status", "--json").stdout)["agent"] is False
    fails(env.run("list", env=no_passphrase(env)), 2, "No passphrase given")


@pytest.mark.parametrize("change", ["change-passphrase", "rotate-key", "new-recovery-key",
                                    "restore", "behind its back", "file replaced"])
def test_it_locks_when_the_key_changes_or_a_restore_runs(agent: Agents, change: str) -> None:
    env = agent.env
    new = env.secret("new", "a brand new passphrase for the journal")
    backup = env.root / "backup.jbak"
    if change == "restore":
        ok(env, "backup", "create", "--out", str(backup))
    assert agent.unlock().returncode == 0
    pid = agent.pid()
    if change == "change-passphrase":
        ok(env, "change-passphrase", "--new-passphrase-file", str(new))
    elif change == "rotate-key":  # refused while anything holds the journal: the agent went
        ok(env, "change-passphrase", "--rotate-key", "--new-passphrase-file", str(new))
    elif change == "new-recovery-key":
        ok(env, "new-recovery-key")
    elif change == "restore":
        ok(env, "backup", "restore", str(backup), "--yes")
    elif change == "behind its back":  # no command told it: it sees the new key slot
        with Journal.open(env.data_dir) as journal:
            journal.unlock(PASSPHRASE)
            journal.change_passphrase("a brand new passphrase for the journal", TEST_KDF)
    else:  # the file swapped for another journal's
        other = env.root / "other"
        build_vault(other)
        os.replace(other / "journal.db", env.data_dir / "journal.db")
    assert wait_gone(pid, 60)
    assert json.loads(ok(env, "status", "--json").stdout)["agent"] is False


def test_lock_ends_a_hung_agent(agent: Agents) -> None:
    env = agent.env
    assert agent.unlock().returncode == 0
    pid = agent.pid()
    os.kill(pid, signal.SIGSTOP)
    assert ok(env, "lock").returncode == 0
    assert wait_gone(pid)


# ==================================================================== fallbacks


def test_a_killed_agent_falls_back_quietly_and_is_replaced(agent: Agents) -> None:
    env = agent.env
    assert agent.unlock().returncode == 0
    pid = agent.pid()
    os.kill(pid, signal.SIGKILL)
    assert wait_gone(pid)
    assert socket_file(env).exists()  # left behind by the dead agent
    result = ok(env, "list")
    assert result.stderr == "" and "Night shift" in result.stdout
    fails(env.run("list", env=no_passphrase(env)), 2, "No passphrase given")
    assert json.loads(ok(env, "status", "--json").stdout)["agent"] is False
    assert agent.unlock().returncode == 0  # the stale socket is replaced
    assert agent.pid() != pid
    assert "Night shift" in through(env, "list").stdout


def test_a_hung_agent_falls_back_quietly(agent: Agents) -> None:
    env = agent.env
    assert agent.unlock().returncode == 0
    pid = agent.pid()
    os.kill(pid, signal.SIGSTOP)
    try:
        result = ok(env, "search", "grief")
        assert result.stderr == "" and "Night shift" in result.stdout
    finally:
        os.kill(pid, signal.SIGCONT)


# ==================================================================== the socket


def _raw(env: E2EEnv) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(10)
    sock.connect(str(socket_file(env)))
    return sock


def _frame(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def test_malformed_requests_get_an_error_never_a_crash(agent: Agents) -> None:
    env = agent.env
    assert agent.unlock().returncode == 0
    pid = agent.pid()
    for payload in (_frame(b"not json"), _frame(b"[1, 2]"), _frame(b'{"op": "unknown"}'),
                    struct.pack(">I", 0xFFFFFFFF) + b"{}", b"\x00\x00",
                    _frame(b'{"op": "run", "argv": "list"}'),
                    _frame(json.dumps({"op": "run", "argv": ["list"], "cwd": "relative",
                                       "env": {}, "tty": [False, False, False]}).encode()),
                    _frame(json.dumps({"op": "run", "argv": ["verify"], "cwd": "/",
                                       "env": {}, "tty": [False, False, False]}).encode()),
                    _frame(json.dumps({"op": "run", "argv": ["list"], "cwd": "/",
                                       "env": {"PATH": "/x"},
                                       "tty": [False, False, False]}).encode())):
        with _raw(env) as sock:
            try:
                sock.sendall(payload)
                sock.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass  # the agent may close as soon as it has read enough to refuse
            reply = b""
            try:
                while chunk := sock.recv(65536):
                    reply += chunk
            except ConnectionResetError:  # closed with the request unread: no answer
                reply = b""
        if reply:
            message = json.loads(reply[4:])
            assert message["t"] in ("error", "refused"), message
    assert alive(pid)
    assert json.loads(ok(env, "status", "--json").stdout)["agent"] is True
    assert "Night shift" in through(env, "list").stdout


@pytest.mark.skipif(os.getuid() != 0, reason="a second user id is needed: only root can setuid")
def test_another_user_is_refused(agent: Agents) -> None:
    """A process of another user that reaches the socket (its folder opened for the test) gets
    no answer: the agent checks SO_PEERCRED on every connection."""
    env = agent.env
    assert agent.unlock().returncode == 0
    sock_path = socket_file(env)
    # Open the way to the socket for the other user (the test only: the agent refuses to
    # start in such a folder, but one may be opened under a running agent).
    opened = []
    for folder in reversed(sock_path.parents):
        mode = folder.stat().st_mode & 0o777
        if mode & 0o005 != 0o005:
            opened.append((folder, mode))
            os.chmod(folder, mode | 0o005)
    os.chmod(sock_path, 0o666)
    r, w = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the other user
        code = 1
        try:
            os.close(r)
            os.setgid(65534)
            os.setuid(65534)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(10)
            s.connect(str(sock_path))
            try:
                s.sendall(_frame(b'{"op": "status"}'))
                got = s.recv(100)
            except (ConnectionResetError, BrokenPipeError):  # closed without a word
                got = b""
            os.write(w, b"answered" if got else b"refused")
            code = 0
        except BaseException as exc:
            os.write(w, f"error {exc!r}".encode())
        finally:
            os._exit(code)
    os.close(w)
    os.waitpid(child, 0)
    with os.fdopen(r, "rb") as f:
        said = f.read()
    for folder, mode in opened:
        os.chmod(folder, mode)
    assert said == b"refused"
    assert alive(agent.pid())


# ==================================================================== a conversation, and D-Bus


def test_an_interactive_checkin_is_the_same_conversation(agent: Agents) -> None:
    """A check-in on a terminal asks its questions through the agent: the same questions, the
    answers typed on the client's terminal."""
    env = agent.env
    assert agent.unlock().returncode == 0
    answers = b"2\n1\n3\n2\ngrief:3, rawness\n7\ny\nother\nn\nA short note.\nn\n"

    def converse(environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
        master, slave = os.openpty()
        try:
            proc = subprocess.Popen([*env.command(), "checkin"], stdin=slave,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environ,
                                    start_new_session=True)
            os.close(slave)
            os.write(master, answers)
            out, err = proc.communicate(timeout=120)
        finally:
            os.close(master)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(), err.decode())

    through_agent = converse(no_passphrase(env))
    direct_env = env.env()
    direct_env["XDG_RUNTIME_DIR"] = str(env.root / "no-runtime")
    direct = converse(direct_env)
    assert through_agent.returncode == direct.returncode == 0, through_agent.stderr
    assert "Mood, from very low" in through_agent.stdout
    ids = through_agent.stdout.strip()[-32:], direct.stdout.strip()[-32:]
    assert through_agent.stdout.replace(ids[0], "ID") == direct.stdout.replace(ids[1], "ID")
    assert through_agent.stderr == direct.stderr
    assert through_agent.stderr.startswith("Left out 'rawness'.\nWhen you are ready")
    shown = _same(env, "show", ids[0])
    assert "grief 3/5" in shown.stdout and "A short note." in shown.stdout
    assert "rawness" not in shown.stdout


@pytest.fixture
def session_bus(agent: Agents) -> Iterator[str]:
    import shutil

    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("no dbus-daemon on this machine to run a private session bus")
    proc = subprocess.Popen([daemon, "--session", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        agent.env.extra["DBUS_SESSION_BUS_ADDRESS"] = address
        yield address
    finally:
        stop(agent.env, agent.pids)  # before its bus goes
        proc.kill()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="D-Bus: Linux")
def test_it_locks_when_the_screen_locks(agent: Agents, session_bus: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from jeepney import DBusAddress, new_signal
    from jeepney.io.blocking import open_dbus_connection

    env = agent.env
    result = agent.unlock()
    assert result.returncode == 0 and "No session bus" not in result.stderr
    assert "It also locks when the screen locks" in ok(env, "status").stdout
    pid = agent.pid()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus)
    with open_dbus_connection(bus="SESSION") as conn:
        screensaver = DBusAddress("/org/freedesktop/ScreenSaver",
                                  interface="org.freedesktop.ScreenSaver")
        conn.send(new_signal(screensaver, "ActiveChanged", "b", (False,)))
        through(env, "list")  # the screen unlocking changes nothing
        assert alive(pid)
        conn.send(new_signal(screensaver, "ActiveChanged", "b", (True,)))
    assert wait_gone(pid)
    assert json.loads(ok(env, "status", "--json").stdout)["agent"] is False


def test_ctrl_c_in_a_command_through_the_agent_stops_it_as_directly(agent: Agents) -> None:
    """Ctrl+C while a check-in waits for an answer: "stopped.", exit 130, nothing saved, and
    the agent goes on."""
    import time

    env = agent.env
    assert agent.unlock().returncode == 0
    before = ok(env, "checkins", "--json").stdout
    master, slave = os.openpty()
    try:
        proc = subprocess.Popen([*env.command(), "checkin"], stdin=slave,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=no_passphrase(env), start_new_session=True)
        os.close(slave)
        assert proc.stdout is not None
        first = proc.stdout.read1(4096)  # the first question has been asked: it waits
        assert b"30-second check-in" in first
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
    assert proc.returncode == 130
    assert err.decode() == "journal-app: stopped.\n"
    assert alive(agent.pid())
    assert ok(env, "checkins", "--json").stdout == before
