"""Lock when the platform says the screen locked or the system is about to sleep.

On Linux desktops this listens on D-Bus: the screensaver's ``ActiveChanged(true)`` (freedesktop
and GNOME) and logind's ``PrepareForSleep(true)``. Where there is no bus (or no such service) it
stays silent; the idle watcher's clock-gap check still notices a sleep after the fact.
"""

from __future__ import annotations

from PySide6.QtCore import SLOT, QObject, Signal, Slot

_SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)


class PlatformLockWatcher(QObject):
    """Signals:
    lock_requested(): the screen locked or the system is going to sleep.
    """

    lock_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listening: list[str] = []
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # a Qt build without D-Bus (macOS, Windows)
            return
        # PySide6's stubs disagree with themselves: SLOT() is typed to return str, and
        # QDBusConnection.connect() to take the slot as bytes (a C++ const char*). PySide takes
        # the str that SLOT() makes, as Qt's own examples pass it.
        session = QDBusConnection.sessionBus()
        if session.isConnected():
            for service, path, interface in _SCREENSAVERS:
                if session.connect(  # type: ignore[call-overload]
                    service, path, interface, "ActiveChanged", self, SLOT("on_screensaver(bool)"),
                ):
                    self.listening.append(interface)
        system = QDBusConnection.systemBus()
        if system.isConnected() and system.connect(  # type: ignore[call-overload]
            "org.freedesktop.login1", "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager", "PrepareForSleep", self,
            SLOT("on_prepare_for_sleep(bool)"),
        ):
            self.listening.append("org.freedesktop.login1.Manager")

    @Slot(bool)
    def on_screensaver(self, active: bool) -> None:
        if active:
            self.lock_requested.emit()

    @Slot(bool)
    def on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            self.lock_requested.emit()
