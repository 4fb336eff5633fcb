"""``journal-app salvage --out DIR``: the command line over :mod:`core.salvage`.

Exit codes: 0 everything was rescued, 4 some records were lost (each is listed), 1 the folder is
not empty (nothing was written); 3 a wrong passphrase, as everywhere.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from . import cli

Add = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]
EXIT_LOST = 4


def cmd_salvage(args: argparse.Namespace) -> int:
    from .core.salvage import check_target, lost_lines, salvage

    data_dir = cli._data_dir(args)
    check_target(data_dir, Path(args.out))  # before asking for the passphrase
    result = salvage(data_dir, cli._passphrase(args), Path(args.out))
    if args.json:
        cli._print_json({
            "kept": result.kept,
            "lost": [r.to_json() for r in result.lost],
            "unidentified": result.unidentified,
            "data_dir": str(result.out_dir),
            "recovery_key": result.recovery_key,
        })
    else:
        print(f"Rescued {result.kept} records into a new journal in {result.out_dir}.")
        if result.lost:
            print(f"{len(result.lost)} record(s) could not be read and are lost:")
            for line in lost_lines(result.lost):
                print(f"  {line}")
        if result.unidentified:
            print(f"{result.unidentified} more record(s) could not be read or even named.")
        if result.complete:
            print("Nothing was lost.")
        print("The new journal opens with your passphrase. Its new recovery key (shown once;"
              " store it somewhere safe, away from this computer):")
        print(f"\n    {result.recovery_key}\n")
        print("The damaged journal was left as it was. Open the new one with"
              f" '--data-dir {result.out_dir}' (or choose it in the app), then make a backup"
              " of it.")
    return cli.EXIT_OK if result.complete else EXIT_LOST


def register(add: Add) -> None:
    p = add("salvage", cmd_salvage,
            "copy every record that can still be read from a damaged journal into a new journal"
            " (new data key and recovery key; the passphrase stays), and list what was lost")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="an empty folder (or a new one) for the rescued journal")
