"""Which system libraries Qt's X11 platform plugin cannot find, asked of the plugin itself.

When the plugin cannot be loaded, Qt names one library (``xcb-cursor0``) whether or not that is
the one missing. The dynamic loader knows: ``ldd`` on the plugin lists each library it needs and
marks the ones it cannot find "not found". This module runs it, reads that list, and turns the
libraries' file names into the Debian and Ubuntu package names to install. No Qt import here: it
runs while Qt is failing.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

#: The libraries Qt's xcb plugin needs beyond Qt itself (file name -> Debian/Ubuntu package), as
#: Qt's documentation lists them; a library outside the table is named by the usual rule.
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libEGL.so.1": "libegl1",
}

#: ``\tlibxcb-icccm.so.4 => not found``: one line of ldd's output for a missing library.
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")
_SONAME = re.compile(r"^(lib[\w.+-]*?)\.so\.(\d+)(?:\.\d+)*$")
LDD_SECONDS = 10


def missing_from_ldd(output: str) -> list[str]:
    """The libraries ldd's ``output`` marks "not found", each once, in the order listed."""
    found: list[str] = []
    for line in output.splitlines():
        match = _NOT_FOUND.match(line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def package_for(library: str) -> str:
    """The Debian/Ubuntu package that usually holds ``library`` (``libxcb-icccm.so.4`` ->
    ``libxcb-icccm4``); by Debian's naming rule when it is not one of Qt's known eleven."""
    if library in XCB_PACKAGES:
        return XCB_PACKAGES[library]
    match = _SONAME.match(library)
    if not match:
        return library
    stem, version = match.group(1).lower(), match.group(2)
    return f"{stem}-{version}" if stem[-1].isdigit() else f"{stem}{version}"


def xcb_plugin() -> Path | None:
    """PySide6's X11 platform plugin (``plugins/platforms/libqxcb.so``), if it is installed."""
    spec = importlib.util.find_spec("PySide6")  # found, not imported
    if spec is None or spec.origin is None:  # pragma: no cover - PySide6 is a dependency
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_libraries(plugin: Path | None = None) -> list[str] | None:
    """The libraries the X11 plugin needs and the loader cannot find ([] when none is missing);
    None when that cannot be told (no plugin, no ldd, ldd failed)."""
    plugin = plugin or xcb_plugin()
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return None
    try:
        result = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, timeout=LDD_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0 and "not found" not in result.stdout:
        return None
    return missing_from_ldd(result.stdout)


__all__ = ["XCB_PACKAGES", "missing_from_ldd", "missing_libraries", "package_for", "xcb_plugin"]
