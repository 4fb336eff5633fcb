"""What every command family shares besides I/O: the parser, registration and the vault.

A family module (``writing``, ``backup``, ...) has one ``register(add)``: ``add(name, func,
help)`` adds a command and returns its parser; :func:`actions` gives the same kind of ``add``
for a command's own actions (``backup create``, ``card list``). Heavy modules are imported
inside the command functions, never here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from journal_app.cli.io import PROG, passphrase, say
from journal_app.core.errors import UsageError, ValidationError, describe

if TYPE_CHECKING:
    from journal_app.core.vault import Journal

Command = Callable[[argparse.Namespace], int]


class Add(Protocol):
    """Adds a command (or an action of one) and returns its parser."""

    def __call__(self, name: str, func: Command, help_text: str) -> argparse.ArgumentParser: ...


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one plain sentence and exit code 2; and a command's
    arguments can be added when that command is used (:func:`later`)."""

    _later: list[Callable[[argparse.ArgumentParser], None]]

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message[:1].upper()}{message[1:]} (see '{PROG} --help').")

    def _add_later(self) -> None:
        builders, self._later = getattr(self, "_later", []), []
        for build in builders:
            build(self)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None,
                         ) -> tuple[argparse.Namespace, list[str]]:
        self._add_later()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self._add_later()
        return super().format_usage()

    def format_help(self) -> str:
        self._add_later()
        return super().format_help()


def later(parser: argparse.ArgumentParser,
          build: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add a command's arguments with ``build(parser)`` only when the command is used (or its
    help shown): for arguments whose choices come from a registry that is costly to import
    (the formats of ``export`` and ``import``), so other commands never import it."""
    assert isinstance(parser, Parser)
    parser._later = [*getattr(parser, "_later", []), build]


def global_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """--data-dir, --passphrase-file and --json, before or after the command."""
    # On subcommands the defaults are SUPPRESS, so an option given before the command is not
    # overwritten by the subcommand's default: global options work before or after the command.
    d: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument("--data-dir", metavar="DIR", help="the journal's data folder", **d)
    parser.add_argument(
        "--passphrase-file", metavar="PATH", help="read the passphrase from the first line", **d
    )
    parser.add_argument("--json", action="store_true", help="print JSON for machines", **d)


def actions(parent: argparse.ArgumentParser, dest: str) -> Add:
    """An ``add`` for the actions of one command (``backup create``), registered the same way."""
    group = parent.add_subparsers(dest=dest, metavar="ACTION", parser_class=Parser)

    def add(name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
        p = group.add_parser(name, help=help_text, description=help_text)
        global_options(p, top=False)
        p.set_defaults(func=func)
        return p

    return add


# ==================================================================== the vault


def data_dir(args: argparse.Namespace) -> Path:
    if args.data_dir:
        # Absolute: the key derivation opens the slot file by URI, which needs one.
        return Path(args.data_dir).expanduser().absolute()
    from journal_app.core.paths import default_data_dir

    return default_data_dir()


def open_journal(args: argparse.Namespace, want_index: bool = False,
                 warn: bool = True) -> Journal:
    """The journal, unlocked with the passphrase (see :func:`io.passphrase`)."""
    return open_with_passphrase(args, want_index, warn)[0]


def open_with_passphrase(args: argparse.Namespace, want_index: bool = False,
                         warn: bool = True) -> tuple[Journal, str]:
    """The journal, unlocked, and the passphrase that unlocked it."""
    from journal_app.core.vault import start_unlock

    folder = data_dir(args)
    secret = passphrase(args)
    # Argon2id (and, with the key, the manifest check and the index snapshot) on the other
    # core ...
    pending = start_unlock(folder, secret, want_index)
    from journal_app.core.recovery import tidy
    from journal_app.core.vault import Journal  # ... while the service is imported here

    journal = Journal.open(folder)
    journal.unlock(secret, pending.result() if pending else None)
    # What an interrupted restore or backup staged (nothing, almost always). After the unlock:
    # the prefetch has finished reading, and an interrupted swap is left to the app or the
    # next backup command (they hold the vault alone for it).
    tidy(folder)
    if journal.manifest_problem and warn:
        hint = f"{PROG} verify --repair" if journal.read_only else f"{PROG} verify"
        say(f"Warning: {journal.manifest_problem} Run '{hint}'.")
    return journal, secret


# ==================================================================== values


def parse_when(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError("Dates are written like 2026-03-14 or 2026-03-14T18:30.") from None
    return value if value.tzinfo else value.astimezone()


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError("Dates for --from and --to are written like 2026-03-14.") from None


def invalid(exc: ValueError) -> ValidationError:
    """A model's ValueError as the sentence the user reads."""
    return ValidationError(describe(exc))


def emotions(values: Sequence[str]) -> list[Any]:
    from journal_app.core.records import Emotion

    out = []
    for value in values:
        try:
            out.append(Emotion.parse(value))
        except ValueError as exc:
            raise invalid(exc) from None
    return out
