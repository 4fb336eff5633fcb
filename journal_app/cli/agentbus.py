"""The unlock agent's ears on D-Bus: screen lock (session bus) and sleep (system bus).

The same signals the app listens for (ui/shell/platform_lock.py), without Qt: the
screensaver's ``ActiveChanged(true)`` (freedesktop and GNOME) on the session bus, and logind's
``PrepareForSleep(true)`` on the system bus, read with jeepney (a pure-Python D-Bus client; the
agent never loads Qt). Linux only; where there is no bus, or no jeepney, the agent says so in
``status`` and relies on its timer and on the clocks (a sleep is seen on waking).
"""

from __future__ import annotations

import contextlib
from typing import Any

#: (bus, interface, member, path) of each signal that means "lock now" when its first argument
#: is true.
SIGNALS = (
    ("SESSION", "org.freedesktop.ScreenSaver", "ActiveChanged", "/org/freedesktop/ScreenSaver"),
    ("SESSION", "org.gnome.ScreenSaver", "ActiveChanged", "/org/gnome/ScreenSaver"),
    ("SYSTEM", "org.freedesktop.login1.Manager", "PrepareForSleep", "/org/freedesktop/login1"),
)


class BusWatcher:
    """Open connections to the buses and the signals asked for on each."""

    def __init__(self) -> None:
        self.connections: list[tuple[str, Any]] = []

    def listen(self, bus: str) -> None:
        """Connect to ``bus`` and ask for its signals of :data:`SIGNALS`; nothing when the bus
        cannot be reached."""
        from jeepney import DBus, MatchRule
        from jeepney.io.blocking import open_dbus_connection

        try:
            conn = open_dbus_connection(bus=bus)
        except Exception:  # no bus here (no address, no socket, refused)
            return
        try:
            for which, interface, member, path in SIGNALS:
                if which == bus:
                    rule = MatchRule(type="signal", interface=interface, member=member,
                                     path=path)
                    conn.send_and_get_reply(DBus().AddMatch(rule), timeout=2)
        except Exception:
            conn.close()
            return
        self.connections.append((bus, conn))

    def fds(self) -> list[Any]:
        return [conn.sock for _bus, conn in self.connections]

    def describe(self) -> str:
        """What it listens for, in words ("" when nothing)."""
        buses = {bus for bus, _conn in self.connections}
        parts = (["the screen locks"] if "SESSION" in buses else []) + (
            ["the computer goes to sleep"] if "SYSTEM" in buses else [])
        return " or ".join(parts)

    def read(self) -> bool:
        """Read what the buses sent; True when a signal says to lock."""
        lock = False
        for item in list(self.connections):
            while True:
                try:
                    message = item[1].receive(timeout=0)
                except TimeoutError:
                    break
                except Exception:  # the bus went away: stop listening to it
                    self.connections.remove(item)
                    with contextlib.suppress(Exception):
                        item[1].close()
                    break
                lock = lock or says_lock(message)
        return lock

    def close(self) -> None:
        for _bus, conn in self.connections:
            with contextlib.suppress(Exception):
                conn.close()
        self.connections = []


def says_lock(message: Any) -> bool:
    """True for one of :data:`SIGNALS` with a true first argument."""
    from jeepney import HeaderFields, MessageType

    header = message.header
    if header.message_type != MessageType.signal:
        return False
    interface = header.fields.get(HeaderFields.interface)
    member = header.fields.get(HeaderFields.member)
    body = message.body
    return (any(interface == i and member == m for _b, i, m, _p in SIGNALS)
            and bool(body) and body[0] is True)


def watch_buses() -> BusWatcher | None:
    """A watcher on the session and system buses; None when neither can be listened to."""
    try:
        import jeepney  # noqa: F401 - Linux only (pyproject.toml)
    except ImportError:
        return None
    watcher = BusWatcher()
    watcher.listen("SESSION")
    watcher.listen("SYSTEM")
    return watcher if watcher.connections else None
