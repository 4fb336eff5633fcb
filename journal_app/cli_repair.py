"""``journal-app verify --repair``: accept the journal as it is now, knowingly.

A missing or unreadable manifest (the sealed list of records) leaves the journal read-only: it is
never rebuilt silently, since that would accept a removed or rolled-back record as true. A
repair shows what it would accept (the records in the file now, by kind) and asks first; on a
machine without a terminal ``--yes`` is the answer. It also accepts the current state after a
detected removal or rollback, when the user knows why (a restored copy of the file, say).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .core.errors import UsageError

if TYPE_CHECKING:
    from .core.journal import IntegrityReport, Journal

def repair(args: argparse.Namespace, journal: Journal, report: IntegrityReport) -> bool:
    """Show what a repair would accept, ask, and repair. True if the manifest was rewritten."""
    from . import cli
    from .cli_backup import _confirm
    from .core.repair import describe_kinds

    preview = journal.repair_preview()
    if not preview.needed:
        if not args.json:
            print("Nothing to repair: the journal's list of records matches the file.")
        return False
    if not args.yes and not cli._has_terminal():
        raise UsageError(
            "Repairing accepts the journal as it is now: add --yes to confirm (there is no"
            " terminal to ask on)."
        )
    if not args.json:
        print(f"Found: {preview.problem}")
        print("A repair accepts what the file holds now as the journal's true contents:")
        for line in describe_kinds(preview.kinds):
            print(f"    {line}")
        if report.damaged_ids:
            print(f"{len(report.damaged_ids)} of them cannot be opened and stay reported as"
                  " damaged.")
        print("Anything removed or rolled back before now can no longer be detected.")
    if not args.yes and not _confirm("Accept this as the journal's true contents? [y/N]: "):
        print("Nothing was changed.")
        return False
    journal.repair_manifest(preview)
    if not args.json:
        print("Accepted: the journal's list of records was rebuilt, and saving works again.")
    return True
