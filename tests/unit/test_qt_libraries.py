"""Which libraries Qt's X11 platform plugin misses, read from ldd's output (issue 16, §4).

The samples are ldd's real output on ``PySide6/Qt/plugins/platforms/libqxcb.so``: glibc's ldd
lists each library once per library that needs it, so a missing one can appear twice.
"""

from __future__ import annotations

import ctypes
import shutil

import pytest

from journal_app.ui.shell.app import NO_WINDOW, no_window_message
from journal_app.ui.shell.qtlibs import (
    XCB_PACKAGES,
    missing_from_ldd,
    missing_libraries,
    package_for,
    xcb_plugin,
)

#: Two libraries missing (Ubuntu 24.04 without libxcb-icccm4 and libxcb-keysyms1).
TWO_MISSING = """\
\tlinux-vdso.so.1 (0x00007fede88b0000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007fede87e2000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007fede8752000)
\tlibxkbcommon-x11.so.0 => /lib/libxkbcommon-x11.so.0 (0x00007fede8745000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007fede873e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007fede8736000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-randr.so.0 => /lib/x86_64-linux-gnu/libxcb-randr.so.0 (0x00007fede871d000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fede6a1e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007fede88b2000)
"""

#: Everything present (the cursor library too, which Qt names when anything is missing).
NONE_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd5b9f2000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f7c3a1d2000)
\tlibxcb-icccm.so.4 => /lib/x86_64-linux-gnu/libxcb-icccm.so.4 (0x00007f7c3a1cb000)
\tlibEGL.so.1 => /lib/x86_64-linux-gnu/libEGL.so.1 (0x00007f7c3a1b5000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f7c3a207000)
"""

#: A fresh server install: the X libraries themselves are absent.
MANY_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffc6f5e4000)
\tlibEGL.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
\tlibX11-xcb.so.1 => not found
\tlibfontconfig.so.1 => /lib/x86_64-linux-gnu/libfontconfig.so.1 (0x00007f1e8c8e4000)
"""


def test_only_the_not_found_libraries_are_named_once_each_in_order() -> None:
    assert missing_from_ldd(TWO_MISSING) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert missing_from_ldd(NONE_MISSING) == []
    assert missing_from_ldd(MANY_MISSING) == [
        "libEGL.so.1", "libxkbcommon-x11.so.0", "libxcb-cursor.so.0", "libX11-xcb.so.1"]
    assert missing_from_ldd("\tnot a dynamic executable\n") == []
    assert missing_from_ldd("") == []


def test_library_files_become_the_packages_to_install() -> None:
    assert [package_for(n) for n in missing_from_ldd(TWO_MISSING)] == [
        "libxcb-icccm4", "libxcb-keysyms1"]
    assert [package_for(n) for n in missing_from_ldd(MANY_MISSING)] == [
        "libegl1", "libxkbcommon-x11-0", "libxcb-cursor0", "libx11-xcb1"]
    assert package_for("libxcb-util.so.1") == "libxcb-util1"  # by Debian's rule
    assert package_for("odd-name") == "odd-name"
    assert len(XCB_PACKAGES) == 11


def test_the_message_names_what_is_missing_and_nothing_else() -> None:
    text = no_window_message(missing_from_ldd(TWO_MISSING))
    assert text == (
        "journal-app could not open a window: Qt's window system needs libraries that are "
        "missing (libxcb-icccm.so.4, libxcb-keysyms.so.1). On Debian or Ubuntu run: sudo apt "
        "install libxcb-icccm4 libxcb-keysyms1")
    one = no_window_message(["libxcb-cursor.so.0"])
    assert "a library that is missing (libxcb-cursor.so.0)" in one
    assert one.endswith("sudo apt install libxcb-cursor0")
    # When the loader names nothing (or cannot be asked), the whole list, as before.
    assert no_window_message([]) == NO_WINDOW
    assert no_window_message(None) == NO_WINDOW


def test_the_real_plugin_is_asked_with_ldd() -> None:
    plugin = xcb_plugin()
    if plugin is None:
        pytest.skip("PySide6 has no X11 platform plugin here (not Linux)")
    if shutil.which("ldd") is None:
        pytest.skip("ldd is not installed here")
    missing = missing_libraries(plugin)
    assert missing is not None
    # What we report missing, the loader cannot load either; nothing is named twice.
    assert len(set(missing)) == len(missing)
    for name in missing:
        with pytest.raises(OSError):
            ctypes.CDLL(name)
        assert name.startswith("lib") and ".so" in name


def test_without_ldd_nothing_is_claimed(monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = xcb_plugin()
    if plugin is None:
        pytest.skip("PySide6 has no X11 platform plugin here (not Linux)")
    monkeypatch.setenv("PATH", "")
    assert missing_libraries(plugin) is None
