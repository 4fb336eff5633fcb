"""Tell whether a folder lies inside a cloud-synced or peer-synced folder.

Syncing an open SQLite database can make conflicting copies or a torn file when two machines
write; the app says so before it puts a vault there. Detection is by well-known folder names and
by Syncthing's ``.stfolder`` marker in the folder or a parent. Nothing is sent anywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("Dropbox", re.compile(r"^dropbox( \(.+\))?$", re.IGNORECASE)),
    ("OneDrive", re.compile(r"^onedrive( - .+)?$", re.IGNORECASE)),
    ("iCloud Drive", re.compile(r"^(icloud ?drive|mobile documents|com~apple~clouddocs)$",
                                re.IGNORECASE)),
    ("Google Drive", re.compile(r"^(google ?drive|my drive|googledrive)$", re.IGNORECASE)),
    ("Box", re.compile(r"^box( sync)?$", re.IGNORECASE)),
    ("pCloud", re.compile(r"^pcloud ?drive$", re.IGNORECASE)),
    ("Nextcloud", re.compile(r"^nextcloud$", re.IGNORECASE)),
]


def synced_service(folder: Path) -> str | None:
    """The name of the sync service whose folder contains ``folder``, if any."""
    path = Path(folder).expanduser().absolute()
    for part in path.parts:
        for name, pattern in _PATTERNS:
            if pattern.match(part):
                return name
    probe: Path | None = path
    while probe is not None:
        try:
            if (probe / ".stfolder").exists():
                return "Syncthing"
        except OSError:
            pass
        probe = probe.parent if probe.parent != probe else None
    return None


def synced_warning(service: str) -> str:
    return (
        f"This folder is synced by {service}. Your journal stays encrypted there, but if it is "
        "open on two computers at once the sync can create conflicting copies or damage the file. "
        "Use it on one computer at a time, and keep regular backups."
    )
