"""A mentor's drop folder (issue 24): share packages that students put in a folder (on a shared
drive, or carried by a sync service) are taken in while the app runs.

A file is taken in only once it is complete, by the package format's own check: a file cut
short (still being copied) fails :func:`parse_package` with :class:`PackageTruncatedError`, and is
left where it is until a later look finds it whole. Nothing is ever written to the folder or
removed from it: the files are the students', and the folder may be shared. A package already
received is skipped (its id is kept, as for any package); one that needs the mentor (a first
contact whose fingerprint is not confirmed by a programme, a share passphrase) is left for Open
a share package…, and said once; an altered or foreign file is said once and then left alone
until it changes. Names the sync services use for themselves and hidden files are never read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.core.errors import (
    JournalError,
    NotConfirmedError,
    PackageError,
    PackageReplayError,
    PackageTruncatedError,
    UsageError,
)
from journal_app.core.sharing.packages import MAGIC, MAX_PACKAGE_BYTES, parse_package
from journal_app.core.sharing.service import Received, receive

if TYPE_CHECKING:
    from journal_app.core.sharing.cards import Card
    from journal_app.core.vault.journal import Journal

#: At most this many files are looked at in one pass (a folder is not a place for thousands).
MAX_FILES = 2_000


@dataclass
class DropPass:
    """What one look at the drop folder did."""

    received: list[Received] = field(default_factory=list)
    #: Files still being copied (cut short): looked at again later.
    waiting: list[Path] = field(default_factory=list)
    #: Files that need the mentor (first contact, share passphrase): name -> sentence.
    needs_you: dict[Path, str] = field(default_factory=dict)
    #: Files refused (altered, not for this journal...): name -> sentence.
    refused: dict[Path, str] = field(default_factory=dict)


def _candidates(folder: Path) -> list[Path]:
    try:
        names = sorted(folder.iterdir())[:MAX_FILES]
    except OSError:
        return []
    return [p for p in names
            if not p.name.startswith((".", "~")) and not p.name.endswith((".tmp", ".part"))
            and p.is_file()]


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def take_in(journal: Journal, folder: Path, seen: dict[Path, tuple[int, int]],
            confirm: Callable[[Card], bool] | None = None) -> DropPass:
    """Receive every complete share package in ``folder`` not received yet.

    ``seen`` maps a file to the (size, mtime) it had when it was last judged for good
    (received, refused, needing the mentor): it is not read again until it changes. The
    caller keeps it between passes (the app, while the journal stays unlocked).
    ``confirm`` answers a first contact's fingerprint question; without one, such a package
    needs the mentor.
    """
    result = DropPass()
    for path in _candidates(folder):
        before = _signature(path)
        if before is None or seen.get(path) == before:
            continue
        if before[0] > MAX_PACKAGE_BYTES:
            seen[path] = before
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue  # gone or not readable yet: another pass sees it
        if not data.startswith(MAGIC[:min(len(data), len(MAGIC))]) or not data:
            seen[path] = before  # not a share package (a card, a note): left alone
            continue
        try:
            parse_package(data)
        except PackageTruncatedError:
            result.waiting.append(path)  # still being copied
            continue
        except PackageError:
            pass  # refused below, with receive's own sentence
        try:
            result.received.append(receive(journal, data, confirm or _ask_later))
        except PackageReplayError:
            pass  # already in this journal (also opened by hand): nothing to say
        except (NotConfirmedError, UsageError):
            result.needs_you[path] = (
                "It needs you: open it with Sharing ▸ Open a share package… to compare the"
                " sender's fingerprint or give its share passphrase.")
        except JournalError as exc:
            result.refused[path] = str(exc)
        seen[path] = before
    return result


def _ask_later(_card: Card) -> bool:
    """Nobody answers in the background: a first contact waits for the mentor."""
    return False
