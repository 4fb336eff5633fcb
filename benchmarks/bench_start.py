"""The lock screen beside a bare PySide6 window: whole processes under one Xvfb.

    .venv/bin/python benchmarks/bench_start.py [--runs 7]

Each launch is timed from starting the process to its window being mapped on the X server
(``xwininfo -name TITLE`` says "IsViewable"), polled every 10 ms: a bare PySide6 window with one
label, then journal-app (``python -m journal_app``) on a vault, so that it shows its lock screen;
interleaved, ``--runs`` launches each, and the median of each. The goal: the lock screen no later
than the bare window + 0.15 s, in the same run.

Then, offscreen, what happens behind the lock screen (whole processes, ``--runs`` each, the
median): how long the rest of the app takes to load after the lock screen is shown, and the
longest the event loop was held up meanwhile (a 1 ms timer's longest gap: the most a keystroke
could wait while the passphrase is typed).

Needs Xvfb and xwininfo (Debian: ``apt-get install xvfb x11-utils``; ``make bench`` installs
them when it can); without them it says so and stops (exit 0).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_OVER_BARE_S = 0.15
POLL_S = 0.010
TIMEOUT_S = 30.0
BARE_TITLE = "bare-pyside6-window"
APP_TITLE = "journal-app"
PASSPHRASE = "benchmark passphrase for the start"

BARE = f"""
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("A bare PySide6 window")
label.setWindowTitle({BARE_TITLE!r})
label.resize(600, 400)
label.show()
sys.exit(app.exec())
"""

# The real start (python -m journal_app), offscreen: from the lock screen being shown until the
# window is the main window, a 1 ms timer notes its gaps.
LOADING = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
_show = QMainWindow.show
gaps = []
def show(self):
    _show(self)
    QMainWindow.show = _show
    shown = last = time.perf_counter()
    timer = QTimer()
    timer.setInterval(1)
    def tick():
        nonlocal last
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
        if type(self).__name__ == "MainWindow":
            timer.stop()
            print(f"loaded {now - shown:.4f} {max(gaps):.4f}", flush=True)
            QApplication.quit()
    timer.timeout.connect(tick)
    timer.start()
    self._probe = timer
QMainWindow.show = show
from journal_app.__main__ import main
sys.exit(main([]))
"""


def loading(env: dict[str, str]) -> tuple[float, float]:
    """Seconds from the lock screen shown to the main window ready; the longest gap."""
    out = subprocess.run([sys.executable, "-c", LOADING], env=env, capture_output=True,
                         text=True, timeout=120, cwd=env["HOME"])
    for line in out.stdout.splitlines():
        if line.startswith("loaded"):
            _word, loaded, gap = line.split()
            return float(loaded), float(gap)
    raise RuntimeError(f"the app did not finish loading: {out.stderr[-500:]}")


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """A private Xvfb; its display name (it picks a free number and tells it on a pipe)."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    number = b""
    with os.fdopen(read, "rb") as pipe:
        while not number.endswith(b"\n"):
            chunk = pipe.read(1)
            if not chunk:
                proc.kill()
                raise RuntimeError("Xvfb did not start")
            number += chunk
    return proc, f":{number.decode().strip()}"


def viewable(title: str, env: dict[str, str]) -> bool:
    """Whether a window named ``title`` is mapped (Qt also makes unmapped helper windows with
    the application's name: each one of that name is asked for its map state)."""
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                          text=True).stdout
    for line in tree.splitlines():
        found = re.match(r'\s*(0x[0-9a-f]+) "(.*?)":', line)
        if found and found.group(2) == title:
            info = subprocess.run(["xwininfo", "-id", found.group(1)], env=env,
                                  capture_output=True, text=True).stdout
            if "IsViewable" in info:
                return True
    return False


def cpu_seconds(pid: int) -> float:
    """The processor time ``pid`` has used so far (Linux), NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


CPU: dict[str, list[float]] = {}


def launch(argv: list[str], title: str, env: dict[str, str]) -> float:
    """Seconds from starting ``argv`` to its window ``title`` being mapped; the processor time
    it had used by then goes to ``CPU[title]`` (less moved by the machine's load than the wall
    clock; the app's includes the first moments of its loading, begun just after the window)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=env["HOME"])  # the installed journal_app, as a user runs it
    try:
        while not viewable(title, env):
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"{title} exited before its window was shown: {err[-500:]}")
            if time.perf_counter() - start > TIMEOUT_S:
                raise RuntimeError(f"{title}: no window after {TIMEOUT_S} s")
            time.sleep(POLL_S)
        elapsed = time.perf_counter() - start
        CPU.setdefault(title, []).append(cpu_seconds(proc.pid))
        return elapsed
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def build_vault(folder: Path) -> None:
    from journal_app.core.records import Entry
    from journal_app.core.vault.journal import Journal

    journal, _key = Journal.create(folder, PASSPHRASE)
    journal.add_entry(Entry(title="A day", body="Something happened."))
    journal.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    missing = [tool for tool in ("Xvfb", "xwininfo") if shutil.which(tool) is None]
    if missing:
        print(f"lock screen vs bare window: skipped, {' and '.join(missing)} not installed "
              "(Debian: apt-get install xvfb x11-utils)")
        return 0
    work = Path(tempfile.mkdtemp(prefix="journal-bench-start-"))
    xvfb, display = start_xvfb()
    try:
        folder, home = work / "vault", work / "home"
        (home / "config").mkdir(parents=True)
        build_vault(folder)
        # Bytecode is cached as on an installed copy (the untimed first launches write it; with
        # PYTHONDONTWRITEBYTECODE every launch would compile journal-app's modules again).
        env = {k: v for k, v in os.environ.items()
               if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "JOURNAL_APP_DATA_DIR",
                            "PYTHONDONTWRITEBYTECODE")}
        env.update(DISPLAY=display, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_RUNTIME_DIR=str(home), JOURNAL_APP_DATA_DIR=str(folder))
        bare_argv = [sys.executable, "-c", BARE]
        app_argv = [sys.executable, "-m", "journal_app"]
        try:
            launch(bare_argv, BARE_TITLE, env)  # warm the file cache for both, untimed
        except RuntimeError as exc:
            print("lock screen vs bare window: skipped, a bare PySide6 window cannot open under "
                  f"Xvfb here (Qt's X11 plugin needs libraries: see README): {exc}")
            return 0
        launch(app_argv, APP_TITLE, env)
        bare, app = [], []
        CPU.clear()
        for _ in range(args.runs):  # interleaved: a change of load hits both alike
            bare.append(launch(bare_argv, BARE_TITLE, env))
            app.append(launch(app_argv, APP_TITLE, env))
        b, a = statistics.median(bare), statistics.median(app)
        status = "OK" if a <= b + GOAL_OVER_BARE_S else "OVER"
        print(f"\nwindow shown, whole process, under Xvfb, median of {args.runs} "
              f"(load {os.getloadavg()[0]:.2f})")
        print(f"  bare PySide6 window, one label   {b:6.3f} s   "
              f"[{', '.join(f'{t:.3f}' for t in bare)}]")
        print(f"  journal-app lock screen          {a:6.3f} s   "
              f"[{', '.join(f'{t:.3f}' for t in app)}]")
        print(f"  lock screen beyond the bare one  {a - b:6.3f} s   <= {GOAL_OVER_BARE_S}  "
              f"{status}")
        print(f"  processor time by then: bare {statistics.median(CPU[BARE_TITLE]):.3f} s, "
              f"lock screen {statistics.median(CPU[APP_TITLE]):.3f} s")
        offscreen = dict(env, QT_QPA_PLATFORM="offscreen")
        runs = [loading(offscreen) for _ in range(args.runs)]
        print(f"\nbehind the lock screen, offscreen, median of {args.runs} "
              f"(load {os.getloadavg()[0]:.2f})")
        print(f"  the rest of the app loaded after  {statistics.median(r[0] for r in runs):6.3f} s")
        print(f"  longest event-loop gap meanwhile  "
              f"{statistics.median(r[1] for r in runs) * 1000:6.1f} ms   "
              f"[{', '.join(f'{r[1] * 1000:.0f}' for r in runs)}]")
        return 0
    finally:
        xvfb.terminate()
        xvfb.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
