"""``python -m journal_app`` and the ``journal-app`` entry point."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def app_options(argv: Sequence[str]) -> tuple[Path | None, bool] | None:
    """``(data_dir, background)`` when ``argv`` only opens the desktop app (nothing, or just
    ``--data-dir DIR`` and ``--background``), else None: the command line reads it.

    The desktop app's start then skips building the command line's parser (docs/design.md,
    "Start-up: what the lock screen imports"); anything else, ``--help`` and errors included,
    goes to :func:`journal_app.cli.main`, which reads these options the same way."""
    data_dir: Path | None = None
    background = False
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--background":
            background = True
        elif arg == "--data-dir" and args and not args[0].startswith("-"):
            data_dir = Path(args.pop(0)).expanduser()
        elif arg.startswith("--data-dir=") and len(arg) > len("--data-dir="):
            data_dir = Path(arg.removeprefix("--data-dir=")).expanduser()
        else:
            return None
    return data_dir, background


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    app = app_options(args)
    if app is not None:
        from journal_app.ui.shell.app import run_app

        data_dir, background = app
        try:
            return int(run_app(data_dir=data_dir, background=background))
        except (Exception, KeyboardInterrupt) as exc:  # as the command line says it
            return _failed(exc)
    from journal_app.cli import main as cli_main

    return cli_main(args)


def _failed(exc: BaseException) -> int:
    """The app could not start or stopped: one plain sentence, the command line's exit code."""
    import os

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
