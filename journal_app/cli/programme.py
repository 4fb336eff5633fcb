"""Programmes: a school's or course's signed roster of mentors, enrolment list and content pack.

Lead: ``programme create``, ``roster add|remove``, ``enrol``, ``pack set``, ``publish``,
``hand-over``. Member: ``programme join``, ``update``, ``show``, ``leave``.

Exit codes as everywhere: 0 ok, 1 failure, 2 usage (a question that needs a terminal), 3 wrong
passphrase, 4 a forged, altered, truncated or older programme file (nothing changed). Questions
(the fingerprint at joining, a changed mentor key) are asked only when standard input is a
terminal; without one, ``--yes`` answers them, else the command stops with exit code 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from journal_app.cli.base import Add, actions, open_journal
from journal_app.cli.io import EXIT_OK, interactive, print_json, say, yes_no
from journal_app.core.errors import NotConfirmedError, UsageError

if TYPE_CHECKING:
    from journal_app.core.programme import Overview, ProgrammeCheck


def _read_card(path: str) -> bytes:
    from journal_app.core.sharing import read_package_file

    return read_package_file(Path(path))


# ==================================================================== lead


def cmd_create(args: argparse.Namespace) -> int:
    from journal_app.core.programme import create, lead_fingerprint

    with open_journal(args) as journal:
        record = create(journal, args.name)
    fp = lead_fingerprint(record)
    if args.json:
        print_json({"name": record.name, "fingerprint": fp})
    else:
        print(f"Made the programme {record.name}.")
        print(f"Its fingerprint: {fp}")
        say("Read this fingerprint out at orientation: students and mentors compare it when"
            " they join. The programme's signing key stays in this journal (keep backups).")
    return EXIT_OK


def cmd_roster_add(args: argparse.Namespace) -> int:
    from journal_app.core.programme import roster_add

    data = _read_card(args.card)
    with open_journal(args) as journal:
        card = roster_add(journal, data, replace_changed=args.replace)
    print(f"Put {card.name} on the roster: fingerprint {card.fingerprint}.")
    say("Publish the programme ('programme publish') for members to see it.")
    return EXIT_OK


def cmd_roster_remove(args: argparse.Namespace) -> int:
    from journal_app.core.programme import roster_remove

    with open_journal(args) as journal:
        card = roster_remove(journal, args.who)
    print(f"Took {card.name} off the roster.")
    return EXIT_OK


def cmd_roster(args: argparse.Namespace) -> int:
    raise UsageError("Say what to do: programme roster add CARD, or programme roster remove"
                     " NAME|FINGERPRINT.")


def cmd_enrol(args: argparse.Namespace) -> int:
    from journal_app.core.programme import enrol

    files = [_read_card(path) for path in args.cards]
    with open_journal(args) as journal:
        added = enrol(journal, files)
    print(f"Enrolled {len(added)} student(s); {len(files) - len(added)} already were.")
    return EXIT_OK


def cmd_pack_set(args: argparse.Namespace) -> int:
    from journal_app.core.programme import pack_set

    with open_journal(args) as journal:
        pack = pack_set(journal, Path(args.dir))
    print(f"Took the content pack: {len(pack.prompts)} prompt(s), {len(pack.templates)}"
          f" template(s), {len(pack.support)} support line(s), {len(pack.rotations)}"
          " rotation(s).")
    return EXIT_OK


def cmd_pack(args: argparse.Namespace) -> int:
    raise UsageError("Say what to do: programme pack set DIR.")


def cmd_publish(args: argparse.Namespace) -> int:
    from journal_app.core.programme import publish

    out = Path(args.out)
    with open_journal(args) as journal:
        made = publish(journal, out)
    if args.json:
        print_json({"file": str(out), "version": made.version, "fingerprint": made.fingerprint})
    else:
        print(f"Wrote version {made.version} of {made.name} to {out.name}.")
        print(f"Its fingerprint: {made.fingerprint}")
    return EXIT_OK


def cmd_hand_over(args: argparse.Namespace) -> int:
    from journal_app.core.programme import hand_over

    data = _read_card(args.to)
    out = Path(args.out)
    with open_journal(args) as journal:
        made = hand_over(journal, data, out)
    if args.json:
        print_json({"file": str(out), "version": made.version, "fingerprint": made.fingerprint})
    else:
        print(f"Wrote the hand-over (version {made.version}) to {out.name}.")
        print(f"The programme's new fingerprint: {made.fingerprint}")
        say("Give the file to the new lead and to the members: they take it with 'programme"
            " update' (the new lead with 'programme join' or 'update'). It carries the keys"
            " for cohort contributions sealed to the new lead's card, so they read what"
            " students sent to this journal's key. This journal can no longer change or"
            " publish the programme, nor read contributions.")
    return EXIT_OK


# ==================================================================== member


def _confirm_changes(args: argparse.Namespace, check: ProgrammeCheck) -> bool:
    """Show each roster change; take them only on an explicit yes (or --yes)."""
    if not check.changes:
        return False
    print("The new roster changes the card of a mentor you know:")
    for change in check.changes:
        print(f"  {change.sentence()}")
    if args.yes:
        return True
    if not interactive():
        raise UsageError("Check the new fingerprints with those mentors, then run again with"
                         " --yes to take the change. Nothing was changed.")
    if not yes_no("Did they confirm the new fingerprints? [y/N]: "):
        raise NotConfirmedError("The change was not confirmed; nothing was changed.")
    return True


def cmd_join(args: argparse.Namespace) -> int:
    from journal_app.core.programme import check_programme, read_programme_file, take

    data = read_programme_file(Path(args.path))
    with open_journal(args) as journal:
        check = check_programme(journal, data)
        if check.before is not None:
            raise UsageError(f"This journal already joined {check.before.name}: take a newer"
                             " version with 'programme update', or 'programme leave' first.")
        made = check.file
        if not args.json:
            print(f"Programme: {made.name} (version {made.version})")
            print(f"Fingerprint: {check.fingerprint}")
        if not args.yes:
            if not interactive():
                raise UsageError(
                    f"Compare the programme's fingerprint ({check.fingerprint}) with the one"
                    " given at orientation, then run again with --yes. Nothing was changed.")
            if not yes_no("Does it match the fingerprint given at orientation? [y/N]: "):
                raise NotConfirmedError("The fingerprint was not confirmed; nothing was"
                                        " changed.")
        take(journal, check, confirm_changes=_confirm_changes(args, check))
    if args.json:
        print_json({"name": made.name, "fingerprint": check.fingerprint,
                    "version": made.version, "lead": check.takes_over})
    else:
        print(f"Joined {made.name}: {len(made.mentors)} mentor(s) on its roster.")
        if check.takes_over:
            print("The programme was handed over to you: you lead it now.")
    return EXIT_OK


def cmd_update(args: argparse.Namespace) -> int:
    from journal_app.core.programme import check_programme, read_programme_file, take

    data = read_programme_file(Path(args.path))
    with open_journal(args) as journal:
        check = check_programme(journal, data)
        if check.before is None:
            raise UsageError("This journal has not joined a programme: 'programme join F'"
                             " joins one.")
        take(journal, check, confirm_changes=_confirm_changes(args, check))
    made = check.file
    if args.json:
        print_json({"name": made.name, "fingerprint": check.fingerprint,
                    "version": made.version, "handed_over": check.handed_over,
                    "lead": check.takes_over})
        return EXIT_OK
    print(f"Updated {made.name} to version {made.version}.")
    if check.handed_over:
        print(f"The programme was handed over to a new lead; its fingerprint is now"
              f" {check.fingerprint}.")
    if check.takes_over:
        print("The programme was handed over to you: you lead it now.")
    return EXIT_OK


def _print_overview(view: Overview) -> None:
    from datetime import date

    print(f"{view.name} (version {view.version}; you: {view.role})")
    print(f"Fingerprint: {view.fingerprint}")
    if view.handed_over_to:
        print(f"Handed over; new fingerprint {view.handed_over_to}.")
    print(f"Mentors on the roster: {len(view.mentors)}")
    for card in view.mentors:
        print(f"  {card.name}  {card.fingerprint}")
    print(f"Students enrolled: {len(view.students)}")
    pack = view.pack
    print(f"Content pack: {len(pack.prompts)} prompt(s), {len(pack.templates)} template(s),"
          f" {len(pack.support)} support line(s)")
    if pack.drop_folder:
        print(f"Drop folder for cohort contributions: {pack.drop_folder}")
    now = view.current_rotation(date.today())
    if now is not None:
        print(f"This rotation: {now.id}, {now.start.isoformat()} to {now.end.isoformat()}")


def cmd_show(args: argparse.Namespace) -> int:
    from journal_app.core.programme import overview

    with open_journal(args) as journal:
        view = overview(journal)
    if view is None:
        if args.json:
            print_json(None)
        else:
            print("This journal has joined no programme ('programme join F') and leads none"
                  " ('programme create --name NAME').")
        return EXIT_OK
    if args.json:
        print_json(view.to_json())
    else:
        _print_overview(view)
    return EXIT_OK


def cmd_leave(args: argparse.Namespace) -> int:
    from journal_app.core.programme import leave

    with open_journal(args) as journal:
        left = leave(journal)
    print(f"Left {left.name}: its mentors are no longer confirmed by it, and its prompts and"
          " support lines are no longer offered. Contacts of your own stay.")
    return EXIT_OK


def cmd_programme(args: argparse.Namespace) -> int:
    raise UsageError("Say what to do: programme join F, update F, show, leave (or, to lead"
                     " one: create, roster, enrol, pack, publish, hand-over).")


def register(add: Add) -> None:
    top = add("programme", cmd_programme,
              "a programme: its signed roster of mentors and its content, verified once")
    action = actions(top, "programme_command")
    p = action("create", cmd_create, "make a programme led from this journal (prints its"
               " fingerprint)")
    p.add_argument("--name", required=True)
    roster = action("roster", cmd_roster, "the roster of mentors (lead)")
    roster_action = actions(roster, "roster_command")
    p = roster_action("add", cmd_roster_add, "put a mentor's card on the roster")
    p.add_argument("card", metavar="CARD")
    p.add_argument("--replace", action="store_true",
                   help="replace the card of a mentor already on the roster (after checking"
                   " the new fingerprint with them)")
    p = roster_action("remove", cmd_roster_remove, "take a mentor off the roster")
    p.add_argument("who", metavar="NAME|FINGERPRINT")
    p = action("enrol", cmd_enrol, "add students' cards to the enrolment list (lead)")
    p.add_argument("cards", nargs="+", metavar="CARD")
    pack = action("pack", cmd_pack, "the content pack (lead)")
    p = actions(pack, "pack_command")("set", cmd_pack_set,
                                      "take the content pack from a folder of TOML files")
    p.add_argument("dir", metavar="DIR")
    p = action("publish", cmd_publish, "sign the next version and write it to a file (lead)")
    p.add_argument("--out", required=True, metavar="F")
    p = action("hand-over", cmd_hand_over, "sign the programme over to a successor's card")
    p.add_argument("--to", required=True, metavar="CARD")
    p.add_argument("--out", required=True, metavar="F")
    p = action("join", cmd_join, "join a programme from its file (shows its fingerprint)")
    p.add_argument("path", metavar="F")
    p.add_argument("--yes", action="store_true",
                   help="you compared the fingerprint with the one given at orientation")
    p = action("update", cmd_update, "take a newer version of the programme joined")
    p.add_argument("path", metavar="F")
    p.add_argument("--yes", action="store_true",
                   help="take roster changes of mentors you know (after checking them)")
    action("show", cmd_show, "the programme joined or led")
    action("leave", cmd_leave, "leave the programme joined")
