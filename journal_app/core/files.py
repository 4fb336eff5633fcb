"""Writing the clear-text files the user asks for (exports, cards, packages, saved images):
readable by their owner only, replaced atomically. A module of its own, light to import (the
interchange package loads every format)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .errors import StorageError


def write_private_file(path: Path, data: bytes) -> None:
    """Write an export file readable by its owner only, replacing it atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageError(
            f"Could not write {path.name}: the disk may be full or not writable."
        ) from None
