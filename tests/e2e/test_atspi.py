"""The app as a screen reader sees it: every focusable control of each main screen (and of the
menus' dialogs) has an accessible name on the AT-SPI bus, the focus is exposed there, Tab
reaches every enabled control, and on the main screens Tab pressed on the (virtual) X keyboard
moves the focus the screen reader follows round the window and back.

A private X display (Xvfb), a private D-Bus session bus and the AT-SPI bus (at-spi2-core) are
started here; the real app runs on a new journal (tests/a11y/driver.py) and, for each screen,
Debian's own Python reads its accessible tree with pyatspi (tests/a11y/walker.py). Everything
started is stopped by its process id. Where a part is missing the test is skipped, saying which
(.ci/run installs them where apt is available).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

HERE = Path(__file__).resolve().parents[1] / "a11y"
SYSTEM_PYTHON = Path("/usr/bin/python3")
LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
#: Qt's X11 plugin and the accessibility bridge, under a real (virtual) display.
#: The screens where Tab is also pressed on the X keyboard and followed over AT-SPI.
MAIN_SCREENS = {"welcome (first run)", "recovery key", "main window", "editor (new entry)",
                "check-in", "check-in (full)", "settings", "trends", "lock screen"}
APP_ENV = {"QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
           "QT_ACCESSIBILITY": "1", "NO_AT_BRIDGE": "0"}


def missing_parts() -> list[str]:
    missing = []
    if not sys.platform.startswith("linux"):
        return ["Linux (AT-SPI is the Linux accessibility bus)"]
    if shutil.which("Xvfb") is None:
        missing.append("Xvfb (Debian package xvfb)")
    if shutil.which("dbus-daemon") is None:
        missing.append("dbus-daemon (Debian package dbus)")
    if not LAUNCHER.exists():
        missing.append(f"{LAUNCHER} (Debian package at-spi2-core)")
    if not SYSTEM_PYTHON.exists() or subprocess.run(
            [str(SYSTEM_PYTHON), "-c", "import pyatspi"], capture_output=True).returncode:
        missing.append("pyatspi for /usr/bin/python3 (Debian package python3-pyatspi)")
    return missing


class Started:
    """Processes started by this test, stopped (by process id) in reverse order."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[str]] = []

    def start(self, args: list[str], env: dict[str, str], **kw: object) -> subprocess.Popen[str]:
        process = subprocess.Popen(args, env=env, text=True, **kw)  # type: ignore[call-overload]
        self.processes.append(process)
        return process  # type: ignore[no-any-return]

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            for stream in (process.stdout, process.stderr, process.stdin):
                if stream is not None:
                    stream.close()


def free_display() -> int:
    for number in range(90, 190):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(
                f"/tmp/.X{number}-lock").exists():
            return number
    pytest.skip("no free X display number between :90 and :189")


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private X display, session bus and AT-SPI bus; the environment that reaches them."""
    missing = missing_parts()
    if missing:
        pytest.skip("the AT-SPI walk needs " + ", ".join(missing) + ": not installed here")
    started = Started()
    env = dict(os.environ)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env.update(XDG_RUNTIME_DIR=str(runtime), HOME=str(tmp_path / "home"))
    try:
        number = free_display()
        started.start(["Xvfb", f":{number}", "-screen", "0", "1280x1024x24", "-nolisten",
                       "tcp"], env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        else:
            pytest.skip("Xvfb did not start")
        env["DISPLAY"] = f":{number}"
        probe = subprocess.run(
            [sys.executable, "-c", "from PySide6.QtWidgets import QApplication; QApplication([])"],
            env={**env, "QT_QPA_PLATFORM": "xcb"}, capture_output=True, text=True, timeout=60)
        if probe.returncode:
            pytest.skip("Qt's X11 plugin does not start here (.ci/run installs its libraries: "
                        "libxcb-cursor0, libxkbcommon-x11-0 and the other libxcb packages of "
                        "the Makefile's XCB_LIBS)")
        bus = started.start(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                            env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        started.start([str(LAUNCHER), "--launch-immediately"], env,
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        yield env
    finally:
        started.stop()


def read_line(stream: IO[str]) -> str:
    line = stream.readline()
    while line and not (line.startswith("SCREEN ") or line.startswith("DONE")):
        line = stream.readline()  # anything else the app printed
    return line


def test_every_control_of_each_main_screen_is_named_and_reached_by_tab(
        desktop: dict[str, str], tmp_path: Path) -> None:
    env = {**desktop, **APP_ENV, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    app = subprocess.Popen([sys.executable, str(HERE / "driver.py"), str(tmp_path / "journal")],
                           env=env, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert app.stdin is not None and app.stdout is not None
    report: list[dict[str, object]] = []
    try:
        while (line := read_line(app.stdout)).startswith("SCREEN "):
            screen = json.loads(line.removeprefix("SCREEN "))
            keyboard = ["--tab"] if screen["screen"] in MAIN_SCREENS else []
            walk = subprocess.run([str(SYSTEM_PYTHON), str(HERE / "walker.py"), str(app.pid),
                                   screen["title"], *keyboard], env=desktop, text=True,
                                  capture_output=True, timeout=180)
            assert walk.returncode == 0, walk.stderr
            tree = json.loads(walk.stdout)
            report.append({"screen": screen["screen"], "controls": len(tree["controls"]),
                           "unnamed": [f"{c['role']} in {c['in']}" for c in tree["unnamed"]],
                           "qt_unnamed": screen["qt_unnamed"],
                           "focused": [f"{c['role']} {c['name']!r}" for c in tree["focused"]],
                           "tab stops": screen["stops"], "unreached": screen["unreached"],
                           "tab visits": screen["tab_visits"], "beyond": screen["beyond"],
                           "keyboard": tree.get("tab_order"),
                           "keyboard visits": len({i for i in tree.get("tab_indexes", [])
                                                   if i >= 0})})
            app.stdin.write("next\n")
            app.stdin.flush()
        assert line.startswith("DONE"), "the app stopped before the last screen"
    finally:
        if app.poll() is None:
            app.terminate()
        app.wait(timeout=30)
        app.stdin.close()
        app.stdout.close()
    print(json.dumps(report, indent=1))
    assert len(report) == 20
    assert all(r["controls"] for r in report), report  # the tree was read
    assert [(r["screen"], r["unnamed"]) for r in report if r["unnamed"]] == []
    assert [(r["screen"], r["qt_unnamed"]) for r in report if r["qt_unnamed"]] == []
    # The screen reader knows where the keyboard focus is on every screen.
    assert [r["screen"] for r in report if not r["focused"]] == []
    # Tab pressed on the X keyboard goes from control to control the screen reader knows (never
    # to something it cannot name) and comes back to where it started: no trap.
    keyboard = [r for r in report if r["screen"] in MAIN_SCREENS]
    assert len(keyboard) == len(MAIN_SCREENS)
    trapped = [(r["screen"], r["keyboard"]) for r in keyboard
               if None in r["keyboard"] or len(r["keyboard"]) < 2
               or r["keyboard"][-1] != r["keyboard"][0]]
    assert trapped == []
    assert [(r["screen"], r["unreached"]) for r in report if r["unreached"]] == []
