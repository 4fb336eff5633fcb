"""Read an application's accessible tree over AT-SPI, as a screen reader does.

Run by Debian's own /usr/bin/python3 (pyatspi, from python3-pyatspi, cannot be installed in a
virtual environment), in a session whose DBUS_SESSION_BUS_ADDRESS reaches the AT-SPI bus:

    /usr/bin/python3 tests/a11y/walker.py PID "WINDOW TITLE" [--tab]

Prints one JSON object: the window's focusable controls that are showing (role and accessible
name each), those without a name, and the one that has the keyboard focus; with --tab, the
controls the focus went to as Tab was pressed on the X keyboard (XTest, through AT-SPI).
tests/e2e/test_atspi.py starts it for each screen.
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi  # type: ignore[import-not-found]

#: Views whose rows are not Tab stops: the view itself is read, not each row.
NO_DESCENT = {pyatspi.ROLE_LIST, pyatspi.ROLE_LIST_BOX, pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE,
              pyatspi.ROLE_TREE_TABLE, pyatspi.ROLE_MENU_BAR, pyatspi.ROLE_TEXT}


def find_app(pid: int, tries: int = 50) -> object:
    for _ in range(tries):
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.get_process_id() == pid:
                return app
        time.sleep(0.2)
    raise SystemExit(f"no accessible application with process id {pid} on the AT-SPI bus")


def find_window(app: object, title: str) -> object:
    windows = [w for w in app if w is not None]  # type: ignore[attr-defined]
    for window in windows:
        if window.name == title and window.getState().contains(pyatspi.STATE_SHOWING):
            return window
    names = [w.name for w in windows]
    raise SystemExit(f"no showing window named {title!r} (the application has {names})")


def controls(root: object, objects: list[object] | None = None) -> list[dict[str, object]]:
    """The showing, focusable descendants of ``root`` (their accessibles added to ``objects``)."""
    found: list[dict[str, object]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node:  # type: ignore[attr-defined]
            if child is None:
                continue
            state = child.getState()
            if not state.contains(pyatspi.STATE_SHOWING):
                continue
            if state.contains(pyatspi.STATE_FOCUSABLE):
                parent = child.parent
                found.append({"role": child.getRoleName(), "name": child.name or "",
                              "in": f"{parent.getRoleName()} {parent.name!r}" if parent else "",
                              "children": [c.getRoleName() for c in child if c is not None][:4],
                              "enabled": state.contains(pyatspi.STATE_ENABLED),
                              "focused": state.contains(pyatspi.STATE_FOCUSED),
                              "description": child.description or ""})
                if objects is not None:
                    objects.append(child)
            if child.getRole() not in NO_DESCENT:
                stack.append(child)
    return found


TAB = 0xFF09  # the X keysym of Tab


def tab_through(objects: list[object]) -> list[int]:
    """Press Tab on the real (virtual) keyboard, as a user would, and read after each press which
    control the screen reader is told has the focus, until it comes back to the first: their
    indexes in ``objects`` (-1: none of them), the first again at the end when it came back."""

    def focused() -> int:
        for index, obj in enumerate(objects):
            if obj.getState().contains(pyatspi.STATE_FOCUSED):  # type: ignore[attr-defined]
                return index
        return -1

    start = focused()
    visited = [start]
    for _ in range(2 * len(objects) + 4):
        pyatspi.Registry.generateKeyboardEvent(TAB, None, pyatspi.KEY_SYM)
        now = focused()
        # The app takes a moment to move the focus and say so; between the old control losing
        # it and the new one gaining it, none has it.
        for _ in range(40):
            if now not in (-1, visited[-1]):
                break
            time.sleep(0.05)
            now = focused()
        if now == start:
            return [*visited, start]  # round: the focus came back where it started
        visited.append(now)
    return visited


def main() -> int:
    pid, title = int(sys.argv[1]), sys.argv[2]
    window = find_window(find_app(pid), title)
    objects: list[object] = []
    found = controls(window, objects)
    out: dict[str, object] = {
        "window": title, "controls": found,
        "unnamed": [c for c in found if not str(c["name"]).strip()],
        "focused": [c for c in found if c["focused"]]}
    if "--tab" in sys.argv[3:]:
        order = tab_through(objects)
        out["tab_indexes"] = order
        out["tab_order"] = [f"{found[i]['role']} {found[i]['name']!r}" if i >= 0 else None
                            for i in order]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
