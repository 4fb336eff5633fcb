"""``journal-app sync setup|join|now|status|devices|remove-device|leave``: one journal on
several computers through a sync folder (:mod:`journal_app.core.sync`).

Exit codes as everywhere: 1 not set up or a failure, 2 usage, 3 wrong passphrase, 4 damaged or
forged data in the sync folder (nothing applied). No command asks anything without a
terminal; ``remove-device`` takes ``--yes`` there.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.cli.base import Add, actions, data_dir, open_journal, open_with_passphrase
from journal_app.cli.io import (
    EXIT_FAIL,
    EXIT_OK,
    PROG,
    confirm,
    has_terminal,
    passphrase,
    print_json,
    say,
)
from journal_app.core.errors import UsageError

if TYPE_CHECKING:
    from journal_app.core.sync import Status


def cmd_sync(args: argparse.Namespace) -> int:
    raise UsageError(f"Say what to do: '{PROG} sync setup --folder DIR', 'sync join --folder "
                     "DIR', 'sync now', 'sync status', 'sync devices', 'sync remove-device "
                     "NAME' or 'sync leave'.")


def _when(status_json: dict[str, object], key: str) -> str:
    value = status_json.get(key)
    return str(value).replace("T", " ")[:16] if value else "never"


def _print_devices(status: Status) -> None:
    for device in status.to_json()["devices"]:
        assert isinstance(device, dict)
        marks = []
        if device["id"] == status.device:
            marks.append("this computer")
        if device["revoked"]:
            marks.append("removed")
        extra = f" ({', '.join(marks)})" if marks else ""
        seen = _when(device, "last_seen")
        print(f"  {device['name']}{extra}  id {device['id'][:8]}  last seen {seen}")


def cmd_sync_setup(args: argparse.Namespace) -> int:
    from journal_app.core.sync import setup

    journal, secret = open_with_passphrase(args)
    with journal:
        status = setup(journal, Path(args.folder).expanduser(), args.name, secret)
    if args.json:
        print_json(status.to_json())
    else:
        print(f"This journal now syncs through {status.folder}.")
        print(f"Journal fingerprint: {status.fingerprint}")
        print(f"On another computer: {PROG} sync join --folder <that folder as it appears "
              "there>, with the same passphrase.")
    return EXIT_OK


def cmd_sync_join(args: argparse.Namespace) -> int:
    from journal_app.core.sync import join, status

    folder = data_dir(args)
    journal, recovery_key = join(folder, Path(args.folder).expanduser(), args.name,
                                 passphrase(args))
    with journal:
        info = status(journal)
        entries = journal.entry_count()
    if args.json:
        print_json({**info.to_json(), "entries": entries, "data_dir": str(folder),
                    "recovery_key": recovery_key})
    else:
        print(f"Joined the synced journal into {folder}: {entries:,} "
              f"{'entry' if entries == 1 else 'entries'}.")
        print(f"Journal fingerprint: {info.fingerprint} (the same on every computer)")
        print("Devices:")
        _print_devices(info)
        # This computer's vault has a recovery key of its own, as when a journal is created:
        # the other computers' keys do not open it (the passphrase does, on every computer).
        print("This computer's recovery key (shown once; store it somewhere safe, away from "
              "this computer; the other computers' recovery keys do not open this one):")
        print(f"\n    {recovery_key}\n")
    return EXIT_OK


def cmd_sync_now(args: argparse.Namespace) -> int:
    from journal_app.core.sync import sync_now

    journal, secret = open_with_passphrase(args)
    with journal:
        result = sync_now(journal, secret)
    if args.json:
        print_json(result.to_json())
    else:
        print(f"Sent {result.sent:,}, received {result.received:,}"
              + (f", kept {result.conflicts_kept:,} losing versions as revisions"
                 if result.conflicts_kept else "") + ".")
        for skipped in result.skipped:
            print(f"  waiting: {skipped.file}: {skipped.reason}")
    return EXIT_OK


def cmd_sync_status(args: argparse.Namespace) -> int:
    from journal_app.core.sync import status

    with open_journal(args) as journal:
        info = status(journal)
    out = info.to_json()
    if args.json:
        print_json({k: out[k] for k in ("folder", "device", "devices", "pending", "last_sync",
                                        "conflicts_kept", "fingerprint", "name")})
    else:
        print(f"Sync folder: {info.folder}")
        print(f"This computer: {info.name} (id {info.device[:8]})")
        print(f"Last sync: {_when(out, 'last_sync')}; files waiting: {info.pending:,}; "
              f"losing versions kept: {info.conflicts_kept:,}")
        print(f"Journal fingerprint: {info.fingerprint}")
    return EXIT_OK


def cmd_sync_devices(args: argparse.Namespace) -> int:
    from journal_app.core.sync import status

    with open_journal(args) as journal:
        info = status(journal)
    if args.json:
        print_json(info.to_json()["devices"])
    else:
        _print_devices(info)
    return EXIT_OK


def cmd_sync_remove(args: argparse.Namespace) -> int:
    from journal_app.core.sync import remove_device

    if not args.yes and not has_terminal():
        raise UsageError("Removing a device cannot be undone: add --yes to confirm (there is "
                         "no terminal to ask on).")
    journal, secret = open_with_passphrase(args)
    with journal:
        if not args.yes and not confirm(
                f"Remove the device '{args.device}' from the synced journal? Its later "
                "changes will be refused. [y/N] "):
            say("Nothing was changed.")
            return EXIT_FAIL
        removed = remove_device(journal, args.device, secret)
    if args.json:
        print_json(removed.to_json())
    else:
        print(f"Removed '{removed.name}': the journal's sync key is new, and that device's "
              "later files are refused. What it held before stays on it: change the "
              "passphrase if it may be known.")
    return EXIT_OK


def cmd_sync_leave(args: argparse.Namespace) -> int:
    from journal_app.core.sync import leave

    with open_journal(args) as journal:
        told = leave(journal)
    if args.json:
        print_json({"left": True, "others_told": told})
    else:
        print("This computer no longer syncs; its journal stays here.")
        if not told:
            print("The sync folder could not be reached to tell the other computers: remove "
                  f"this one there ('{PROG} sync remove-device').")
    return EXIT_OK


def register(add: Add) -> None:
    parser = add("sync", cmd_sync, "one journal on several computers, through a sync folder")
    action = actions(parser, "sync_action")
    p = action("setup", cmd_sync_setup,
               "start syncing this journal through a folder your sync service carries "
               "(needs a passphrase rated Good)")
    p.add_argument("--folder", required=True, metavar="DIR", help="the sync folder (new or empty)")
    p.add_argument("--name", metavar="DEVICE", help="this computer's name (kept encrypted)")
    p = action("join", cmd_sync_join,
               "make this computer's journal from a sync folder (into an empty or new data "
               "folder)")
    p.add_argument("--folder", required=True, metavar="DIR", help="the sync folder")
    p.add_argument("--name", metavar="DEVICE", help="this computer's name (kept encrypted)")
    action("now", cmd_sync_now, "send this computer's changes and take in the others'")
    action("status", cmd_sync_status, "where and when this journal last synced")
    action("devices", cmd_sync_devices, "the computers of this synced journal")
    p = action("remove-device", cmd_sync_remove,
               "remove a computer (a lost laptop): a new sync key, its later files refused")
    p.add_argument("device", metavar="NAME|ID")
    p.add_argument("--yes", action="store_true", help="do not ask first")
    action("leave", cmd_sync_leave, "stop syncing on this computer (its journal stays)")
