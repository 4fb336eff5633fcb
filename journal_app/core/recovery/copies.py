"""Copies of the journal that journal-app itself leaves in the data folder, and removing them.

Three kinds exist, each a whole copy of the (still encrypted) database, removed records and the
key slots of its day included:

- ``replaced-<time>/``: the journal as it was before a restore from a backup replaced it;
- ``journal.db.before-migration-<n>``: the file as it was before an update of its format;
- ``.restore-*/``: a backup staged for a restore that did not finish (cleaned on the next open
  once its program let go of it; listed while one is there).

Each is listed with what it is, when it was made and its size, and can be removed for good.
Only these names, directly in the data folder, are ever listed or removed; never the journal
itself, never a link.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from journal_app.core.errors import NotFoundError, StorageError, VaultBusyError
from journal_app.core.recovery.backup import _STAGE_PREFIX, REPLACED_PREFIX
from journal_app.core.vault.lock import folder_abandoned
from journal_app.core.vault.store import DB_NAME

REPLACED = "replaced"
BEFORE_MIGRATION = "before-migration"
RESTORE_STAGING = "restore-staging"

_MIGRATION_RE = re.compile(rf"^{re.escape(DB_NAME)}\.before-migration-\d+$")
_REPLACED_RE = re.compile(
    rf"^{re.escape(REPLACED_PREFIX)}(\d{{4}}-\d{{2}}-\d{{2}}T\d{{4}})(?:-\d+)?$")
_STAGE_RE = re.compile(rf"^{re.escape(_STAGE_PREFIX)}[A-Za-z0-9_]+$")

_WHAT = {
    REPLACED: "Your journal before a restore",
    BEFORE_MIGRATION: "Your journal before an update",
    RESTORE_STAGING: "An unfinished restore",
}


@dataclass(frozen=True)
class KeptCopy:
    """One copy of the journal in the data folder."""

    path: Path
    kind: str
    made: datetime
    size: int

    @property
    def what(self) -> str:
        return _WHAT[self.kind]

    @property
    def name(self) -> str:
        return self.path.name


def _kind_of(name: str) -> str | None:
    if _REPLACED_RE.match(name):
        return REPLACED
    if _MIGRATION_RE.match(name):
        return BEFORE_MIGRATION
    if _STAGE_RE.match(name):
        return RESTORE_STAGING
    return None


def _size(path: Path) -> int:
    if not path.is_dir():
        return path.lstat().st_size
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(dirpath) / name).lstat().st_size
            except OSError:
                continue
    return total


def _made(path: Path, kind: str) -> datetime:
    if kind == REPLACED:
        found = _REPLACED_RE.match(path.name)
        if found:
            try:
                return datetime.strptime(found.group(1), "%Y-%m-%dT%H%M").astimezone()
            except ValueError:
                pass
    return datetime.fromtimestamp(path.lstat().st_mtime).astimezone()


def kept_copies(data_dir: Path) -> list[KeptCopy]:
    """The copies of the journal in ``data_dir``, newest first (none when it cannot be read)."""
    found: list[KeptCopy] = []
    try:
        entries = list(Path(data_dir).iterdir())
    except OSError:
        return []
    for entry in entries:
        kind = _kind_of(entry.name)
        if kind is None or entry.is_symlink():
            continue
        if (kind == BEFORE_MIGRATION) != entry.is_file():
            continue  # a folder named like a file copy, or the reverse: not ours
        try:
            found.append(KeptCopy(entry, kind, _made(entry, kind), _size(entry)))
        except OSError:
            continue
    found.sort(key=lambda c: (c.made, c.name), reverse=True)
    return found


def remove_copy(data_dir: Path, copy: KeptCopy) -> None:
    """Remove one kept copy for good.

    Raises:
        NotFoundError: it is gone already, or it is not one of the copies listed here.
        VaultBusyError: it is a restore that is still going on in another window or program.
        StorageError: the folder refused (nothing else was touched).
    """
    data_dir = Path(data_dir)
    path = data_dir / copy.path.name
    if (copy.path.parent.resolve() != data_dir.resolve() or _kind_of(path.name) is None
            or path.is_symlink() or not path.exists()):
        raise NotFoundError("That copy is not in the journal's folder any more.")
    if copy.kind == RESTORE_STAGING and folder_abandoned(path) is False:
        raise VaultBusyError("That restore is still going on; finish or cancel it first.")
    try:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        raise NotFoundError("That copy is not in the journal's folder any more.") from None
    except OSError:
        raise StorageError("The journal's folder did not let that copy be removed.") from None
