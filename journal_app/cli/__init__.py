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
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from journal_app import __version__
from journal_app.cli.base import Add, Command, Parser, global_options
from journal_app.cli.io import EXIT_FAIL, EXIT_OK, PROG, say
from journal_app.core.errors import JournalError, describe


def cmd_app(args: argparse.Namespace) -> int:
    from journal_app.ui.shell.app import run_app

    data_dir = Path(args.data_dir).expanduser() if args.data_dir else None
    return int(run_app(data_dir=data_dir, demo=getattr(args, "demo", None),
                       background=bool(getattr(args, "background", False))))


def build_parser() -> argparse.ArgumentParser:
    from journal_app.cli import (
        backup,
        checkin,
        deid,
        interchange,
        security,
        sharing,
        support,
        writing,
    )

    parser = Parser(
        prog=PROG,
        description="A private, encrypted journal for reflective practice. "
        "With no command, the desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--demo", nargs="?", const="student", choices=("student", "mentor"), metavar="KIND",
        help="open a throwaway demo journal: a student's (the default) or a mentor's, with "
        "excerpts students shared",
    )
    parser.add_argument(
        "--background", action="store_true",
        help="start in the tray (for reminders), without a window, when the tray is available",
    )
    global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def add(name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        global_options(p, top=False)
        p.set_defaults(func=func)
        return p

    # One module per command family, each registered the same way; in the order of --help.
    families: tuple[Callable[[Add], None], ...] = (
        security.register, writing.register, interchange.register, checkin.register,
        backup.register, sharing.register, deid.register, support.register,
    )
    for register in families:
        register(add)
    return parser


def main(argv: Sequence[str]) -> int:
    """Run one command; the single exit point that maps errors to exit codes."""
    from journal_app.core.vault import forbid_core_dumps

    forbid_core_dumps()  # before anything is read: no core file can hold the journal
    try:
        args = build_parser().parse_args(list(argv))
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
