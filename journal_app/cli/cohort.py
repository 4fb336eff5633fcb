"""Cohort contributions (issue 25): ``cohort contribute`` (a student, once a rotation) and
``cohort report DIR`` (the programme's lead).

Exit codes: ``contribute``: 0 written; 1 already contributed this rotation, the lifetime budget
spent, or declined; 2 not enrolled in a programme, no folder to write into (no ``--out``, and
the programme's drop folder is not on this computer and none was chosen for it here), or a
question that needs a terminal without ``--yes``. ``report``: 0 reported; 2 this journal leads
no programme (or handed it over). 3 a wrong passphrase.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.cli.base import Add, actions, open_journal
from journal_app.cli.io import EXIT_OK, interactive, print_json, say, yes_no
from journal_app.core.errors import CohortError, UsageError

if TYPE_CHECKING:
    from journal_app.core.cohort import Estimate, Report


def cmd_contribute(args: argparse.Namespace) -> int:
    from journal_app.core.cohort import contribute, drop_folder, offer

    with open_journal(args) as journal:
        made = offer(journal, args.rotation)
        where = None if args.out else drop_folder(journal)
        folder = Path(args.out) if args.out else where.folder if where else None
        if folder is None:
            assert where is not None
            if where.hint:
                raise UsageError(
                    f"{made.programme} collects contributions in “{where.hint}”, which is not"
                    " a folder on this computer (a shared drive may be mounted under another"
                    " name here, or not at all just now): give the folder with --out DIR; it"
                    " is remembered for this computer. Nothing was sent.")
            raise UsageError("Say where to write it: --out DIR (the folder the programme's"
                             " lead collects contributions from; the programme's file names"
                             " none). Nothing was sent.")
        for line in made.words():  # with --json, beside the JSON a script reads
            (say if args.json else print)(line)
        if where is not None:
            (say if args.json else print)(where.sentence(made.programme))
        if not args.yes:
            if not interactive():
                raise UsageError("Read what will leave, then run again with --yes to send it."
                                 " Nothing was sent.")
            if not yes_no("Send this contribution? [y/N]: "):
                raise CohortError("Declined: nothing was sent. You can contribute to this"
                                  " rotation later; the answer drawn stays the same.")
        path = contribute(journal, made, folder)
    if args.json:
        print_json({"file": str(path), "rotation": made.rotation.id, "item": made.item.id,
                    "epsilon": made.epsilon, "spent": made.spent_before + made.epsilon,
                    "lifetime": made.lifetime})
    else:
        print(f"Wrote {path.name} into {folder}.")
        say("A file sent cannot be recalled; it is encrypted to the programme and says only"
            " the randomised answer above.")
    return EXIT_OK


def _figure(row: Estimate) -> str:
    if row.suppressed or row.estimate is None or row.low is None or row.high is None:
        return f"suppressed ({row.reports} report{'s' if row.reports != 1 else ''}, under 10)"
    return (f"{100 * row.estimate:3.0f}%  (95%: {100 * row.low:.0f}-{100 * row.high:.0f}%;"
            f" {row.reports} reports)")


def _print_report(result: Report) -> None:
    print(f"{result.programme}: cohort report")
    for rotation in result.rotations:
        print(f"\nRotation {rotation.rotation.id}: {rotation.contributions} contribution(s),"
              f" epsilon {rotation.rotation.epsilon:g}")
        for row in rotation.items:
            print(f"  {row.label}: {_figure(row)}")
    print(f"\nPooled over the rotations: {result.pooled_contributions} contribution(s)")
    for row in result.pooled:
        print(f"  {row.label}: {_figure(row)}")
    if result.refused:
        print(f"\nRefused: {len(result.refused)} file(s)")
        for name, reason in result.refused:
            print(f"  {name}: {reason}")


def cmd_report(args: argparse.Namespace) -> int:
    from journal_app.core.cohort import report

    with open_journal(args) as journal:
        result = report(journal, Path(args.dir))
    if args.json:
        print_json(result.to_json())
    else:
        _print_report(result)
    return EXIT_OK


def cmd_cohort(args: argparse.Namespace) -> int:
    raise UsageError("Say what to do: cohort contribute (a student), or cohort report DIR (the"
                     " programme's lead).")


def register(add: Add) -> None:
    top = add("cohort", cmd_cohort, "a programme's cohort report by local differential"
              " privacy: contribute once a rotation, or report (lead)")
    action = actions(top, "cohort_command")
    p = action("contribute", cmd_contribute, "send this rotation's contribution (shows what"
               " will leave and asks)")
    p.add_argument("--rotation", metavar="ID", help="a rotation that has started (default: the"
                   " current one)")
    p.add_argument("--out", metavar="DIR", help="the folder to write it into (default: the"
                   " programme's drop folder; one chosen for it on this computer; or, when"
                   " the programme names none, the one used last time)")
    p.add_argument("--yes", action="store_true", help="send without asking (for scripts)")
    p = action("report", cmd_report, "the cohort report from every contribution file under"
               " DIR (lead)")
    p.add_argument("dir", metavar="DIR")
