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
        f"This folder is synced by {service}. A journal's own files, open and written as you "
        f"type, can be damaged or split into conflicting copies when {service} carries them "
        "between computers. Keep the journal outside it, and let journal-app sync through a "
        f"folder inside {service} instead: it writes only encrypted files there, made to be "
        "carried, and nothing you write is lost when two computers change the same entry."
    )


def outside(folder: Path, fallback: Path) -> Path:
    """Where to keep a journal instead of ``folder`` (inside a synced folder): ``fallback``
    (the usual data folder) when it is not synced itself, else a folder in the home folder."""
    if synced_service(fallback) is None:
        return fallback
    return Path.home() / "journal-app"
