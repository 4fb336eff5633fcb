"""The files the user chooses. Writing the clear-text files the user asks for (exports, cards,
packages, saved images): readable by their owner only, replaced atomically. Reading the files the
user hands in (imports, cards, packages, attachments, secrets and text for the command line)
with one plain sentence for each way that fails. A module of its own, light to import (the
interchange package loads every format)."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from journal_app.core.errors import InvalidDataError, JournalError, StorageError


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


# ------------------------------------------------------------------ reading a user's file

#: The largest text file the command line reads for a body, a note, fields or names (an entry
#: holds at most 2,000,000 characters: at most 8 MB of UTF-8, and JSON escapes can double it).
MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024


def read_user_file(
    path: Path,
    limit: int,
    *,
    label: str | None = None,
    too_large: str | JournalError | None = None,
    error: Callable[[str], JournalError] = InvalidDataError,
    check_size: Callable[[int], None] | None = None,
) -> bytes:
    """The bytes of a file the user chose (to import, attach, receive, or read a secret from),
    refusing plainly what cannot be read: one sentence, raised as ``error``.

    The sentences name the file by ``label`` (default: the file's own name; never its path or
    contents): "<label> does not exist.", "<label> is a folder, not a file.", "<label> cannot be
    read." and ``too_large`` (a sentence, or the error itself; default "<label> is too large.")
    above ``limit`` bytes. A large
    file is refused from its size before anything is read; one that grows while it is read is
    refused too. ``check_size`` (optional) is called with the size first, to refuse with words
    of its own (an empty attachment). Pipes (``<(cat key)``) are read up to the limit.
    """
    name = label or path.name
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISREG(st.st_mode):
                if check_size is not None:
                    check_size(st.st_size)
                if st.st_size > limit:
                    raise _too_large(name, too_large, error)
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise error(f"{name} is a folder, not a file.") from None
    except OSError:
        if path.is_dir():  # Windows says "permission denied" for a folder
            raise error(f"{name} is a folder, not a file.") from None
        raise error(f"{name} cannot be read.") from None
    if len(data) > limit:
        raise _too_large(name, too_large, error)
    return data


def _too_large(name: str, too_large: str | JournalError | None,
               error: Callable[[str], JournalError]) -> JournalError:
    if isinstance(too_large, JournalError):
        return too_large
    return error(too_large or f"{name} is too large.")


def read_user_text(
    path: Path,
    limit: int,
    *,
    label: str | None = None,
    too_large: str | JournalError | None = None,
    not_text: str | None = None,
    error: Callable[[str], JournalError] = InvalidDataError,
) -> str:
    """The UTF-8 text of a file the user chose (a byte-order mark is dropped), refused as
    :func:`read_user_file` does, and "<label> is not UTF-8 text." (or ``not_text``) when it is
    not text."""
    data = read_user_file(path, limit, label=label, too_large=too_large, error=error)
    return decode_user_text(data, not_text or f"{label or path.name} is not UTF-8 text.", error)


def decode_user_text(data: bytes, not_text: str,
                     error: Callable[[str], JournalError] = InvalidDataError) -> str:
    """``data`` as UTF-8 text (a byte-order mark dropped), or ``error(not_text)``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(not_text) from None
