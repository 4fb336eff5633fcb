"""``python -m journal_app`` and the ``journal-app`` entry point."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

#: The files the app opens from the desktop: share packages and mentor cards.
OPENED_SUFFIXES = (".pkg", ".card")


def file_to_open(arg: str) -> Path | None:
    """``arg`` as a file for the app to open (a share package or a mentor card: what a
    double-click on the desktop passes), or None when it may be a command: a path is told by
    a folder separator or one of OPENED_SUFFIXES, which no command name has."""
    if not arg or arg.startswith("-"):
        return None
    if "/" in arg or os.sep in arg or arg.lower().endswith(OPENED_SUFFIXES):
        return Path(arg).expanduser()
    return None


class AppOptions(NamedTuple):
    data_dir: Path | None
    background: bool
    open_path: Path | None = None
    smoke_test: bool = False


def app_options(argv: Sequence[str]) -> AppOptions | None:
    """The options when ``argv`` only opens the desktop app (nothing, or just ``--data-dir
    DIR``, ``--background``, ``--smoke-test`` and one FILE to open), else None: the command
    line reads it.

    The desktop app's start then skips building the command line's parser (docs/design.md,
    "Start-up: what the lock screen imports"); anything else, ``--help`` and errors included,
    goes to :func:`journal_app.cli.main`, which reads these options the same way."""
    data_dir: Path | None = None
    background = False
    open_path: Path | None = None
    smoke_test = False
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--background":
            background = True
        elif arg == "--smoke-test":
            smoke_test = True
        elif open_path is None and (found := file_to_open(arg)) is not None:
            open_path = found
        elif arg == "--data-dir" and args and not args[0].startswith("-"):
            data_dir = Path(args.pop(0)).expanduser()
        elif arg.startswith("--data-dir=") and len(arg) > len("--data-dir="):
            data_dir = Path(arg.removeprefix("--data-dir=")).expanduser()
        else:
            return None
    return AppOptions(data_dir, background, open_path, smoke_test)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    app = app_options(args)
    if app is not None:
        from journal_app.ui.shell.app import run_app

        try:
            return int(run_app(data_dir=app.data_dir, background=app.background,
                               open_path=app.open_path, smoke_test=app.smoke_test))
        except (Exception, KeyboardInterrupt) as exc:  # as the command line says it
            return _failed(exc)
    from journal_app.cli import main as cli_main

    return cli_main(args)


def _failed(exc: BaseException) -> int:
    """The app could not start or stopped: one plain sentence, the command line's exit code."""
    from journal_app.cli.io import EXIT_FAIL, PROG, say
    from journal_app.core.errors import JournalError, describe

    if isinstance(exc, KeyboardInterrupt):
        say(f"{PROG}: stopped.")
        return 130
    if isinstance(exc, JournalError):
        say(f"{PROG}: {exc.message}")
        return exc.exit_code
    if os.environ.get("JOURNAL_APP_DEBUG"):
        raise exc
    say(f"{PROG}: " + describe(
        exc, "an unexpected error stopped the app (this is a bug in journal-app)."))
    return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
