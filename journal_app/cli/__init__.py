"""The command line, over the same service as the desktop app.

Every command that needs the vault reads the passphrase from ``--passphrase-file`` (or
``JOURNAL_APP_PASSPHRASE_FILE``), else asks on the terminal; never from an argument. Errors are one
plain sentence on stderr and an exit code: 0 ok, 1 other failure, 2 usage, 3 wrong passphrase or
recovery key, 4 damaged or invalid data. Heavy modules are imported only by the commands that
need them, so ``journal-app add`` starts fast.

The package: :mod:`.io` (the terminal, secrets, text files, output, exit codes), :mod:`.base`
(the parser, registration, opening the vault, parsing values), and one module per command
family, each with ``register(add)``. This module builds the parser from them and is the single
exit point; the families never import it.
"""

from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from journal_app import __version__
from journal_app.cli.base import AGENT_COMMANDS, Add, Command, Parser, global_options
from journal_app.cli.io import EXIT_FAIL, EXIT_OK, PROG, say
from journal_app.core.errors import JournalError, describe


def cmd_app(args: argparse.Namespace) -> int:
    from journal_app.ui.shell.app import run_app

    data_dir = Path(args.data_dir).expanduser() if args.data_dir else None
    return int(run_app(data_dir=data_dir, demo=getattr(args, "demo", None),
                       background=bool(getattr(args, "background", False)),
                       smoke_test=bool(getattr(args, "smoke_test", False))))


#: The command families, in the order of --help: the module of each, and its commands. Only
#: the family of the command being run is imported (tests/e2e/test_cli_imports.py); a test
#: checks these names against what each family registers.
FAMILIES: dict[str, tuple[str, ...]] = {
    "security": ("init", "change-passphrase", "recover", "new-recovery-key", "verify",
                 "salvage", "copies"),
    "writing": ("add", "edit", "list", "show", "search", "attach", "attachment", "delete",
                "restore", "trash", "revisions"),
    "interchange": ("export", "import"),
    "checkin": ("checkin", "checkins", "emotions", "trends", "prompt"),
    "backup": ("backup",),
    "sharing": ("card", "share", "receive", "shared", "handout", "feedback"),
    "mentor": ("inbox", "receipt", "notes", "attestation"),
    "programme": ("programme",),
    "cohort": ("cohort",),
    "deid": ("deid", "deid-names"),
    "support": ("support",),
    "sync": ("sync",),
    "agent": ("unlock", "lock", "status"),
}



def build_parser(families: Sequence[str] = tuple(FAMILIES)) -> argparse.ArgumentParser:
    """The parser: the global options and the commands of ``families`` (every family by
    default; the one of the command being run, see :func:`families_for`)."""
    parser = Parser(
        prog=PROG,
        description="A private, encrypted journal for reflective practice. "
        "With no command, the desktop app opens; journal-app FILE opens a share package or a "
        "mentor card in it (what a double-click on one does).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _app_options(parser)
    global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def add(name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        global_options(p, top=False)
        p.set_defaults(func=func)
        return p

    # One module per command family, each registered the same way; in the order of --help.
    for family in families:
        module = importlib.import_module(f"journal_app.cli.{family}")
        register: Callable[[Add], None] = module.register
        register(add)
    return parser


def _app_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--demo", nargs="?", const="student", choices=("student", "mentor", "programme"),
        metavar="KIND",
        help="open a throwaway demo journal: a student's (the default), a mentor's, with "
        "excerpts students shared, or a programme lead's, with a cohort report",
    )
    parser.add_argument(
        "--background", action="store_true",
        help="start in the tray (for reminders), without a window, when the tray is available",
    )
    parser.add_argument(
        "--smoke-test", action="store_true",
        help="start the desktop app, check that it loaded completely and shows the lock "
        "screen, and exit (0 when it did): for testing an installed app",
    )


class _Unsure(Exception):
    """The pre-parse could not tell the command: build the whole parser."""


class _PreParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Unsure()


def families_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The families the parser needs for ``argv``: the family of its command, told by the same
    global options as the real parser (abbreviations, ``--opt=value`` and all); none for
    ``--version`` or the app (no command); every family when in any doubt (help, an unknown
    option or command: the whole parser then answers as always)."""
    everything = tuple(FAMILIES)
    command = command_of(argv)
    if command is None:
        return everything
    if command == "":
        # --version prints the version and ends before any command is read; without a
        # command the desktop app starts (its start-up loads no command family).
        return ()
    return next(((family,) for family, commands in FAMILIES.items()
                 if command in commands), everything)


def command_of(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names ("" for none: ``--version`` or the app), read past the
    global options as the real parser reads them; None when in doubt."""
    pre = _PreParser(prog=PROG, add_help=False)
    pre.add_argument("--version", action="store_true")
    _app_options(pre)
    global_options(pre, top=True)
    pre.add_argument("command", nargs="?")
    pre.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        known, unknown = pre.parse_known_args(list(argv))
    except _Unsure:
        return None
    if unknown:
        return None
    if known.version or known.command is None:
        return ""
    return str(known.command)


def main(argv: Sequence[str]) -> int:
    """Run one command; through this folder's unlock agent when one runs and the command is
    one it answers (see :mod:`.agentlink`), else here."""
    from journal_app.core.vault import forbid_core_dumps

    forbid_core_dumps()  # before anything is read: no core file can hold the journal
    from journal_app.cli import base

    if (base.held_journal is None and os.name != "nt" and not {"-h", "--help"} & set(argv)
            and command_of(argv) in AGENT_COMMANDS):
        from journal_app.cli import agentlink

        try:
            code = agentlink.run(argv)
        except KeyboardInterrupt:  # as a direct command says it
            say(f"{PROG}: stopped.")
            return 130
        if code is not None:
            return code
    return run_command(argv)


def run_command(argv: Sequence[str]) -> int:
    """Run one command here; the single exit point that maps errors to exit codes (the unlock
    agent runs its commands through it too)."""
    try:
        args = build_parser(families_for(argv)).parse_args(list(argv))
        func = getattr(args, "func", None)
        if func is None:
            return cmd_app(args)
        result: int = func(args)
        return result
    except JournalError as exc:
        say(f"{PROG}: {exc.message}")
        return exc.exit_code
    except KeyboardInterrupt:
        say(f"{PROG}: stopped.")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so without a traceback that could carry journal text
        if os.environ.get("JOURNAL_APP_DEBUG"):
            raise
        say(f"{PROG}: " + describe(
            exc, "an unexpected error stopped the command (this is a bug in journal-app)."))
        return EXIT_FAIL
