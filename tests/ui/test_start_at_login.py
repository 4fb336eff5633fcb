"""Start at login on macOS (a LaunchAgent) and Windows (the registry's Run key), with the
platform faked: sys.platform monkeypatched, HOME a temporary folder, and a fake ``winreg``
module (this machine is Linux: neither was run on the real system; docs/design.md, issue 20)."""

from __future__ import annotations

import plistlib
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from journal_app.ui import reminders
from journal_app.ui.reminders import set_start_at_login, start_at_login_enabled


def home_in(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Path.home() is ``folder`` (on every system: Windows reads USERPROFILE, not HOME)."""
    monkeypatch.setattr(Path, "home", classmethod(lambda _cls: folder))


@pytest.fixture
def macos(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(sys, "platform", "darwin")
    home_in(monkeypatch, tmp_path)
    return tmp_path / "Library" / "LaunchAgents" / "org.journalapp.JournalApp.plist"


def test_macos_writes_and_removes_a_launch_agent(macos: Path) -> None:
    assert reminders.start_at_login_supported()
    assert reminders.autostart_path() == macos
    assert not start_at_login_enabled()
    assert set_start_at_login(True)
    agent = plistlib.loads(macos.read_bytes())
    assert agent["Label"] == "org.journalapp.JournalApp"
    assert agent["RunAtLoad"] is True
    assert agent["ProgramArguments"][-1] == "--background"
    assert start_at_login_enabled()
    assert set_start_at_login(False)
    assert not macos.exists() and not start_at_login_enabled()
    assert set_start_at_login(False)  # already off: fine


def test_macos_a_disabled_or_damaged_agent_is_off(macos: Path) -> None:
    assert set_start_at_login(True)
    agent = plistlib.loads(macos.read_bytes())
    macos.write_bytes(plistlib.dumps({**agent, "Disabled": True}))
    assert not start_at_login_enabled()
    macos.write_bytes(b"not a property list")
    assert not start_at_login_enabled()
    assert set_start_at_login(True) and start_at_login_enabled()  # written anew


def test_macos_the_bundle_starts_its_own_executable(
        macos: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    exe = tmp_path / "journal-app.app" / "Contents" / "MacOS" / "journal-app"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert set_start_at_login(True)
    assert plistlib.loads(macos.read_bytes())["ProgramArguments"] == [str(exe), "--background"]


class FakeKey:
    def __init__(self, registry: FakeWinreg, path: str) -> None:
        self.registry, self.path = registry, path

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeWinreg(types.ModuleType):
    """The parts of the standard library's winreg that start at login uses, over a dict;
    ``fail`` makes every call raise PermissionError (a policy-locked registry)."""

    HKEY_CURRENT_USER = 0x80000001
    KEY_SET_VALUE = 0x0002
    KEY_QUERY_VALUE = 0x0001
    REG_SZ = 1

    def __init__(self) -> None:
        super().__init__("winreg")
        self.values: dict[tuple[str, str], tuple[Any, int]] = {}
        self.keys: set[str] = set()
        self.fail = False

    def _check(self, root: int) -> None:
        if self.fail:
            raise PermissionError("access denied")
        assert root == self.HKEY_CURRENT_USER  # for this user only, never the machine

    def CreateKeyEx(self, root: int, path: str, reserved: int, access: int) -> FakeKey:
        self._check(root)
        assert access & self.KEY_SET_VALUE
        self.keys.add(path)
        return FakeKey(self, path)

    def OpenKey(self, root: int, path: str, reserved: int, access: int) -> FakeKey:
        self._check(root)
        if path not in self.keys:
            raise FileNotFoundError(path)
        return FakeKey(self, path)

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int,
                   value: Any) -> None:
        self.values[(key.path, name)] = (value, kind)

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[Any, int]:
        try:
            return self.values[(key.path, name)]
        except KeyError:
            raise FileNotFoundError(name) from None

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        if self.values.pop((key.path, name), None) is None:
            raise FileNotFoundError(name)


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeWinreg:
    registry = FakeWinreg()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "winreg", registry)
    home_in(monkeypatch, tmp_path)
    return registry


RUN = (r"Software\Microsoft\Windows\CurrentVersion\Run", "journal-app")


def test_windows_sets_and_removes_the_run_value(windows: FakeWinreg, tmp_path: Path) -> None:
    assert reminders.start_at_login_supported()
    assert reminders.autostart_path() is None  # no file: a registry value
    assert not start_at_login_enabled()
    assert set_start_at_login(True)
    command, kind = windows.values[RUN]
    assert kind == windows.REG_SZ
    assert command.endswith(" --background")
    assert start_at_login_enabled()
    assert set_start_at_login(False)
    assert RUN not in windows.values and not start_at_login_enabled()
    assert set_start_at_login(False)  # already off: fine
    assert not any(tmp_path.rglob("*.desktop")) and not any(tmp_path.rglob("*.plist"))


def test_windows_the_bundle_starts_its_window_executable_quoted(
        windows: FakeWinreg, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "Program Files" / "journal-app"
    folder.mkdir(parents=True)
    (folder / "journal-app.exe").write_bytes(b"")
    (folder / "journal-app-window.exe").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "journal-app.exe"))
    assert set_start_at_login(True)
    command, _kind = windows.values[RUN]
    # The one without a console window, quoted as Windows splits a command line.
    assert command == subprocess.list2cmdline(
        [str(folder / "journal-app-window.exe"), "--background"])
    assert command.startswith('"')


def test_windows_a_registry_that_refuses_is_a_plain_false(windows: FakeWinreg) -> None:
    windows.fail = True
    assert not set_start_at_login(True)
    assert not start_at_login_enabled()


# ------------------------------------------------------------------ the real systems
# Run only on the system itself (the CI workflow's macOS and Windows runners); each puts back
# what it found, so a developer's own start at login is left as it was.


@pytest.mark.skipif(sys.platform != "win32", reason="the real registry is Windows'")
def test_windows_the_real_run_key() -> None:
    was = start_at_login_enabled()
    try:
        assert set_start_at_login(True) and start_at_login_enabled()
        assert set_start_at_login(False) and not start_at_login_enabled()
    finally:
        set_start_at_login(was)


@pytest.mark.skipif(sys.platform != "darwin", reason="the real LaunchAgents folder is macOS'")
def test_macos_the_real_launch_agent() -> None:
    was = start_at_login_enabled()
    try:
        assert set_start_at_login(True) and start_at_login_enabled()
        path = reminders.autostart_path()
        assert path is not None and path.is_file()
        assert subprocess.run(["plutil", "-lint", str(path)], check=False).returncode == 0
        assert set_start_at_login(False) and not start_at_login_enabled()
    finally:
        set_start_at_login(was)
