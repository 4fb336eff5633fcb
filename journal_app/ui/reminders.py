"""Optional reminders after shifts: a tray notification that invites a check-in.

The user sets when their shifts end (one time per weekday) and how long after to be asked.
Reminders come only while journal-app runs: it can keep running in the system tray, and start
when the user logs in (an XDG autostart file on Linux, a LaunchAgent on macOS, the registry's Run
key on Windows). A reminder is always the same fixed
sentence: it never holds anything from the journal, and it is shown while the journal is locked
just the same.

Everything that shows a notification goes through a ``Notifier`` (the tests use a fake one).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import plistlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from PySide6.QtCore import QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from journal_app.ui import theme
from journal_app.ui.uisettings import UiSettings

#: The only words a reminder ever shows: fixed text, never anything from the journal.
REMINDER_TITLE = "Time for a check-in?"
REMINDER_MESSAGE = "Your shift has ended. A 30-second check-in can help you put the day down."

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_DELAY_MINUTES = 15
MAX_DELAY_MINUTES = 240

#: A reminder missed by more than this (the computer slept through it) is skipped, not shown late.
LATE_LIMIT = timedelta(hours=2)
#: Timers may wake a moment before the wall clock reaches the due time.
EARLY_SLACK = timedelta(seconds=2)
#: The wall clock is looked at once a minute too, so a suspend or a clock change skips nothing.
RECHECK_MS = 60_000
#: How long a notification stays up (where the desktop lets the app choose).
MESSAGE_MS = 20_000

_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class ScheduleError(ValueError):
    """A shift schedule that cannot be used; the message says why, in plain words."""


# ------------------------------------------------------------------ the schedule


def _parse_time(text: str) -> time:
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ScheduleError(f"“{text}” is not a time like 19:30.")
    return time(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class ShiftSchedule:
    """When shifts end: (weekday 0-6, Monday first, "HH:MM") pairs, at most one per weekday,
    and how many minutes after a shift ends the reminder comes.

    The compact form kept in UiSettings (``serialise``/``parse``) is ``"0@19:30,3@07:00;15"``:
    weekday@time pairs, then the delay in minutes.
    """

    ends: tuple[tuple[int, str], ...] = ()
    delay_minutes: int = DEFAULT_DELAY_MINUTES
    _times: dict[int, time] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            ends = tuple(tuple(end) for end in self.ends)
        except TypeError:
            raise ScheduleError("Each shift end needs a weekday and a time.") from None
        object.__setattr__(self, "ends", ends)
        self.validate()
        object.__setattr__(self, "ends", tuple(sorted(ends)))
        self._times.update({day: _parse_time(text) for day, text in self.ends})

    @classmethod
    def of(cls, ends: Iterable[tuple[int, str]] | dict[int, str],
           delay_minutes: int = DEFAULT_DELAY_MINUTES) -> ShiftSchedule:
        pairs = ends.items() if isinstance(ends, dict) else ends
        return cls(tuple((int(day), str(text)) for day, text in pairs), delay_minutes)

    def validate(self) -> None:
        """Raise ScheduleError unless every weekday is 0-6 (once at most), every time is HH:MM
        and the delay is 0-240 minutes."""
        seen: set[int] = set()
        for end in self.ends:
            if len(end) != 2:
                raise ScheduleError("Each shift end needs a weekday and a time.")
            day, text = end
            if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6:
                raise ScheduleError(f"“{day}” is not a weekday (0 is Monday, 6 is Sunday).")
            if day in seen:
                raise ScheduleError(f"{WEEKDAYS[day]} has more than one shift end.")
            seen.add(day)
            if not isinstance(text, str):
                raise ScheduleError(f"“{text}” is not a time like 19:30.")
            _parse_time(text)
        delay = self.delay_minutes
        if not isinstance(delay, int) or isinstance(delay, bool) or not (
            0 <= delay <= MAX_DELAY_MINUTES
        ):
            raise ScheduleError(f"The delay must be 0 to {MAX_DELAY_MINUTES} minutes.")

    def end_for(self, weekday: int) -> time | None:
        """When the shift on ``weekday`` ends, or None for a day without one."""
        return self._times.get(weekday)

    @property
    def is_empty(self) -> bool:
        return not self.ends

    def serialise(self) -> str:
        return ",".join(f"{day}@{text}" for day, text in self.ends) + f";{self.delay_minutes}"

    @classmethod
    def parse(cls, text: str) -> ShiftSchedule:
        """The schedule ``serialise`` wrote; ScheduleError for anything else ("" is empty)."""
        text = text.strip()
        if not text:
            return cls()
        ends_part, sep, delay_part = text.rpartition(";")
        if not sep:
            raise ScheduleError("The schedule has no delay.")
        if not re.fullmatch(r"\d{1,3}", delay_part.strip()):
            raise ScheduleError(f"“{delay_part}” is not a number of minutes.")
        ends: list[tuple[int, str]] = []
        for item in filter(None, (part.strip() for part in ends_part.split(","))):
            day, at, clock = item.partition("@")
            if not at or not re.fullmatch(r"[0-6]", day.strip()):
                raise ScheduleError(f"“{item}” is not a weekday and time like 0@19:30.")
            ends.append((int(day), clock.strip()))
        return cls(tuple(ends), int(delay_part))

    def next_after(self, now: datetime) -> datetime | None:
        """The first reminder strictly after ``now`` (shift end + delay), or None if empty."""
        best: datetime | None = None
        # From yesterday: a shift ending late the day before may be due after midnight.
        for offset in range(-1, 8):
            day: date = now.date() + timedelta(days=offset)
            end = self.end_for(day.weekday())
            if end is None:
                continue
            due = datetime.combine(day, end, tzinfo=now.tzinfo) + timedelta(
                minutes=self.delay_minutes)
            if due > now and (best is None or due < best):
                best = due
        return best


def load_schedule(settings: UiSettings) -> ShiftSchedule:
    """The schedule kept in ``settings``; an empty one if it is missing or damaged."""
    try:
        return ShiftSchedule.parse(settings.shift_schedule)
    except ScheduleError:
        return ShiftSchedule()


def describe_due(due: datetime, now: datetime) -> str:
    """“today at 19:45”, “tomorrow at 07:15” or “on Friday at 19:45”."""
    days = (due.date() - now.date()).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"on {WEEKDAYS[due.weekday()]}"
    return f"{when} at {due:%H:%M}"


# ------------------------------------------------------------------ notifiers


class Notifier(Protocol):
    """Shows a notification outside the window. The tests replace it with a fake."""

    def available(self) -> bool:
        """Whether notifications can be shown at all on this desktop."""
        ...

    def notify(self, title: str, message: str) -> None:
        """Show a notification (does nothing where none can be shown)."""
        ...

    def set_click_handler(self, handler: Callable[[], None] | None) -> None:
        """Call ``handler`` when the user clicks a notification."""
        ...


def tray_icon_image(size: int = 64, color: str | None = None) -> QIcon:
    """A round icon in the accent colour with a pale stroke inside (drawn, no files)."""
    accent = QColor(color or theme.colors().accent)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(accent)
    margin = size * 0.06
    painter.drawEllipse(QPointF(size / 2, size / 2), size / 2 - margin, size / 2 - margin)
    pen = QPen(QColor("#ffffff"), size * 0.09)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    # A short line of writing, like a page's first line.
    painter.drawLine(QPointF(size * 0.32, size * 0.42), QPointF(size * 0.68, size * 0.42))
    painter.drawLine(QPointF(size * 0.32, size * 0.60), QPointF(size * 0.56, size * 0.60))
    painter.end()
    return QIcon(pixmap)


class TrayNotifier(QObject):
    """A system-tray icon that shows reminders, with a small menu.

    Where the desktop has no system tray (and offscreen), nothing is created: ``available()``
    is False and ``notify()`` does nothing.

    Signals:
        checkin_requested(): "Check in" chosen in the tray menu.
        open_requested(): "Open journal-app" chosen, or the tray icon clicked.
        quit_requested(): "Quit" chosen in the tray menu.
        support_requested(): "Support and crisis lines" chosen in the tray menu.
        message_clicked(): a notification was clicked (the click handler is called too).
    """

    checkin_requested = Signal()
    open_requested = Signal()
    quit_requested = Signal()
    support_requested = Signal()
    message_clicked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handler: Callable[[], None] | None = None
        self._tray: QSystemTrayIcon | None = None
        self.menu: QMenu | None = None
        # Made even without a tray, so the action is the same object wherever it is shown.
        self.support_action = QAction("Support and crisis lines…", self)
        self.support_action.triggered.connect(self.support_requested.emit)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        self.menu = QMenu()
        for text, signal in (("Check in", self.checkin_requested),
                             ("Open journal-app", self.open_requested)):
            action = QAction(text, self.menu)
            action.triggered.connect(signal.emit)
            self.menu.addAction(action)
        self.menu.addAction(self.support_action)
        self.menu.addSeparator()
        quit_action = QAction("Quit", self.menu)
        quit_action.triggered.connect(self.quit_requested.emit)
        self.menu.addAction(quit_action)
        self._tray = QSystemTrayIcon(tray_icon_image(), self)
        self._tray.setToolTip("journal-app")
        self._tray.setContextMenu(self.menu)
        self._tray.messageClicked.connect(self._message_clicked)
        self._tray.activated.connect(self._activated)

    def available(self) -> bool:
        return self._tray is not None

    @property
    def visible(self) -> bool:
        return self._tray is not None and self._tray.isVisible()

    def set_visible(self, visible: bool) -> None:
        """Show or hide the tray icon (it shows itself for a notification either way)."""
        if self._tray is not None:
            self._tray.setVisible(visible)

    def notify(self, title: str, message: str) -> None:
        if self._tray is None:
            return
        if not self._tray.isVisible():
            self._tray.show()  # a notification needs the icon on screen
        self._tray.showMessage(title, message, self._tray.icon(), MESSAGE_MS)

    def set_click_handler(self, handler: Callable[[], None] | None) -> None:
        self._handler = handler

    def _message_clicked(self) -> None:
        self.message_clicked.emit()
        if self._handler is not None:
            self._handler()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()


# ------------------------------------------------------------------ the scheduler


def _local_now() -> datetime:
    return datetime.now()


class ReminderScheduler(QObject):
    """Shows a reminder a set time after each shift ends, while the app runs.

    A single-shot timer is armed for the next reminder (and again after each one, and when the
    schedule changes); a once-a-minute check of the wall clock catches a reminder whose timer a
    suspend delayed. A reminder missed by more than LATE_LIMIT is skipped.

    Signals:
        reminded(): a reminder was due and handed to the notifier.
        checkin_requested(): the user clicked a reminder.
    """

    reminded = Signal()
    checkin_requested = Signal()

    def __init__(self, schedule: ShiftSchedule | None, notifier: Notifier,
                 clock: Callable[[], datetime] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.notifier = notifier
        self.clock: Callable[[], datetime] = clock or _local_now
        self._schedule = schedule or ShiftSchedule()
        self._due: datetime | None = None
        self._running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.check)
        self._recheck = QTimer(self)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self.check)
        notifier.set_click_handler(self._clicked)

    # -------------------------------------------------------- state

    @property
    def schedule(self) -> ShiftSchedule:
        return self._schedule

    @property
    def running(self) -> bool:
        return self._running

    @property
    def due(self) -> datetime | None:
        """When the armed reminder comes (None when stopped or nothing is scheduled)."""
        return self._due

    def next_due(self, now: datetime) -> datetime | None:
        """The first reminder strictly after ``now``, or None if no shift end is set."""
        return self._schedule.next_after(now)

    def set_notifier(self, notifier: Notifier) -> None:
        """Show reminders through ``notifier`` from now on (tests put a fake one in)."""
        self.notifier.set_click_handler(None)
        self.notifier = notifier
        notifier.set_click_handler(self._clicked)

    def set_schedule(self, schedule: ShiftSchedule | None) -> None:
        self._schedule = schedule or ShiftSchedule()
        if self._running:
            self._arm(self.clock())

    def start(self) -> None:
        self._running = True
        self._recheck.start()
        self._arm(self.clock())

    def stop(self) -> None:
        self._running = False
        self._timer.stop()
        self._recheck.stop()
        self._due = None

    def apply_settings(self, settings: UiSettings) -> None:
        """Follow ``settings``: run with its schedule when reminders are on, else stop."""
        schedule = load_schedule(settings)
        self._schedule = schedule
        if settings.reminders_enabled and not schedule.is_empty:
            self.start()
        else:
            self.stop()

    # -------------------------------------------------------- timing

    def _arm(self, now: datetime) -> None:
        self._timer.stop()
        self._due = self.next_due(now) if self._running else None
        if self._due is None:
            return
        wait_ms = int((self._due - now).total_seconds() * 1000) + 50
        # A week at most (well inside QTimer's range); the minute check covers clock jumps.
        self._timer.start(max(0, min(wait_ms, 8 * 24 * 3600 * 1000)))

    def check(self) -> bool:
        """Remind if the armed reminder is due, then arm the next one. True if it reminded."""
        if not self._running:
            return False
        now = self.clock()
        due = self._due
        reminded = False
        if due is not None and now + EARLY_SLACK >= due:
            if now - due <= LATE_LIMIT:
                self._remind()
                reminded = True
            self._arm(max(now, due))
        else:
            self._arm(now)
        return reminded

    def _remind(self) -> None:
        # Fixed words only: a reminder never carries anything from the journal.
        self.notifier.notify(REMINDER_TITLE, REMINDER_MESSAGE)
        self.reminded.emit()

    def _clicked(self) -> None:
        self.checkin_requested.emit()


# ------------------------------------------------------------------ start at login
#
# Each system's own way, for this user only: an XDG autostart desktop entry on Linux and the BSDs,
# a LaunchAgent on macOS (~/Library/LaunchAgents, loaded by launchd at the next login), a value
# under the registry's Run key on Windows (HKEY_CURRENT_USER; see docs/design.md, issue 20, for
# why not the Startup folder). The macOS and Windows forms were run only with the platform faked.

AUTOSTART_FILE = "journal-app.desktop"
#: The LaunchAgent's label (and its file's name): the app's id, as in its desktop entry.
LAUNCH_AGENT_LABEL = "org.journalapp.JournalApp"
#: The registry key (under HKEY_CURRENT_USER) whose values Windows starts at login, and ours.
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "journal-app"
START_AT_LOGIN_UNSUPPORTED = (
    "Starting at login is not supported on this system yet. You can add journal-app to your "
    "login items yourself."
)


def _login_kind() -> Literal["xdg", "launchagent", "registry"] | None:
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return "xdg"
    if sys.platform == "darwin":
        return "launchagent"
    if sys.platform == "win32":
        return "registry"
    return None


def start_at_login_supported() -> bool:
    """Linux and the BSDs (XDG autostart), macOS (a LaunchAgent), Windows (the Run key)."""
    return _login_kind() is not None


def autostart_path() -> Path | None:
    """The file that starts journal-app at login: ``$XDG_CONFIG_HOME/autostart/journal-app.desktop``
    or ``~/Library/LaunchAgents/org.journalapp.JournalApp.plist`` (None on Windows, which keeps a
    registry value instead, and where unsupported)."""
    kind = _login_kind()
    if kind == "xdg":
        from platformdirs import user_config_path

        base = user_config_path()  # $XDG_CONFIG_HOME, else ~/.config
        if not base.is_absolute():  # the XDG spec: a relative value is ignored
            base = Path.home() / ".config"
        return base / "autostart" / AUTOSTART_FILE
    if kind == "launchagent":
        return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
    return None


def _desktop_quote(arg: str) -> str:
    """Quote one argument of a desktop entry's Exec line (the Desktop Entry spec's rules)."""
    arg = arg.replace("%", "%%")
    if not re.search(r"[\s\"'\\><~|&;$*?#()`]", arg):
        return arg
    escaped = re.sub(r'(["`$\\])', r"\\\1", arg)
    # The value is itself a string whose backslashes are escaped once more.
    return '"' + escaped.replace("\\", "\\\\") + '"'


def launch_command() -> list[str]:
    """How to start journal-app in the tray: the bundle's own executable (on Windows the one
    without a console window), else the installed ``journal-app`` command, else this Python
    (``pythonw`` on Windows, for the same reason)."""
    if getattr(sys, "frozen", False):
        exe = Path(sys.executable)
        if sys.platform == "win32" and (exe.parent / "journal-app-window.exe").is_file():
            exe = exe.parent / "journal-app-window.exe"
        return [str(exe), "--background"]
    found = shutil.which("journal-app")
    if found and sys.platform != "win32":
        return [os.path.abspath(found), "--background"]
    python = Path(sys.executable)
    if sys.platform == "win32" and (python.parent / "pythonw.exe").is_file():
        python = python.parent / "pythonw.exe"
    return [str(python), "-m", "journal_app", "--background"]


def desktop_entry(command: list[str] | None = None) -> str:
    exec_line = " ".join(_desktop_quote(arg) for arg in (command or launch_command()))
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=journal-app\n"
        "Comment=Keeps journal-app running for check-in reminders after shifts\n"
        f"Exec={exec_line}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "X-journal-app-autostart=true\n"
    )


def launch_agent(command: list[str] | None = None) -> bytes:
    """The LaunchAgent property list: launchd starts ``command`` once, at login."""
    return plistlib.dumps({
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": command or launch_command(),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    })


def _winreg() -> Any:
    """The standard library's winreg (Windows only; the tests put a fake one in its place)."""
    return importlib.import_module("winreg")


def _set_run_value(enabled: bool) -> None:
    winreg = _winreg()
    with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                            winreg.KEY_SET_VALUE | winreg.KEY_QUERY_VALUE) as key:
        if enabled:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ,
                              subprocess.list2cmdline(launch_command()))
        else:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, RUN_VALUE)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def set_start_at_login(enabled: bool) -> bool:
    """Start journal-app when the user logs in, or stop doing so. False where this is not
    supported (START_AT_LOGIN_UNSUPPORTED says so) or the file or registry value could not be
    written or removed."""
    kind = _login_kind()
    try:
        if kind == "registry":
            _set_run_value(enabled)
            return True
        path = autostart_path()
        if path is None:
            return False
        if not enabled:
            path.unlink(missing_ok=True)
        elif kind == "launchagent":
            _write_atomically(path, launch_agent())
        else:
            _write_atomically(path, desktop_entry().encode("utf-8"))
    except OSError:
        return False
    return True


def start_at_login_enabled() -> bool:
    kind = _login_kind()
    if kind == "registry":
        try:
            winreg = _winreg()
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                                winreg.KEY_QUERY_VALUE) as key:
                value, _type = winreg.QueryValueEx(key, RUN_VALUE)
        except OSError:  # no such key or value (FileNotFoundError), or not readable
            return False
        return bool(str(value).strip())
    path = autostart_path()
    if path is None or not path.is_file():
        return False
    if kind == "launchagent":
        try:
            with path.open("rb") as fh:
                agent = plistlib.load(fh)
        except (OSError, plistlib.InvalidFileException, ValueError):
            return False
        return (isinstance(agent, dict) and agent.get("Label") == LAUNCH_AGENT_LABEL
                and agent.get("Disabled") is not True)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return not re.search(r"^\s*Hidden\s*=\s*true\s*$", text, re.MULTILINE | re.IGNORECASE)


__all__ = [
    "REMINDER_MESSAGE",
    "REMINDER_TITLE",
    "Notifier",
    "ReminderScheduler",
    "ScheduleError",
    "ShiftSchedule",
    "TrayNotifier",
    "describe_due",
    "load_schedule",
    "set_start_at_login",
    "start_at_login_enabled",
    "start_at_login_supported",
]
