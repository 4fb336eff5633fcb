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

from journal_app.cli.io import PROG, escape_line, passphrase, say
from journal_app.core.errors import UsageError, ValidationError, describe

if TYPE_CHECKING:
    from journal_app.core.vault import Journal

Command = Callable[[argparse.Namespace], int]

#: The commands an unlock agent runs (see :mod:`.agentlink`); every other command needs the
#: passphrase as always.
AGENT_COMMANDS = ("add", "edit", "list", "show", "search", "checkin", "trends", "prompt")


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
    """The journal, unlocked, and the passphrase that unlocked it (inside the unlock agent:
    the journal it holds, and no passphrase)."""
    if held_journal is not None:
        journal = held_journal()
        _warn_manifest(journal, warn)
        return journal, ""
    folder = data_dir(args)
    secret = passphrase(args)
    journal = open_unlocked(folder, secret, want_index)
    _warn_manifest(journal, warn)
    return journal, secret


#: Set inside the unlock agent only (cli/agentserver.py), while it runs a command: lends the
#: journal it holds (``with`` does not close it) instead of unlocking one.
held_journal: Callable[[], Journal] | None = None


def open_unlocked(folder: Path, secret: str, want_index: bool = False) -> Journal:
    """The journal in ``folder`` unlocked with ``secret`` (WrongPassphraseError: exit 3)."""
    from journal_app.core.vault import start_unlock

    # Argon2id (and, with the key, the manifest check and the index snapshot) on the other
    # core ...
    pending = start_unlock(folder, secret, want_index)
    from journal_app.core.recovery import tidy
    from journal_app.core.vault import Journal  # ... while the service is imported here

    journal = Journal.open(folder)
    try:
        journal.unlock(secret, pending.result() if pending else None)
    except BaseException:
        journal.close()
        raise
    # What an interrupted restore or backup staged (nothing, almost always). After the unlock:
    # the prefetch has finished reading, and an interrupted swap is left to the app or the
    # next backup command (they hold the vault alone for it).
    tidy(folder)
    return journal


def _warn_manifest(journal: Journal, warn: bool) -> None:
    if journal.manifest_problem and warn:
        hint = f"{PROG} verify --repair" if journal.read_only else f"{PROG} verify"
        say(f"Warning: {journal.manifest_problem} Run '{hint}'.")


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


def check_emotions(journal: Journal, names: Sequence[str], allowed: Sequence[str] = ()) -> None:
    """Refuse (exit 2, nothing stored) an emotion that is neither a listed emotion, nor one of
    the user's own words, nor in ``allowed`` (already on the record being edited): a script
    cannot be asked, and a slip stored would feed the trends ("exhaus"). ``--own-emotion``
    gives a word of one's own, kept from then on.

    Raises:
        UsageError: naming the first such word, the word it may have meant, and
            ``--own-emotion``.
    """
    if not names:
        return  # nothing to check: the vocabulary is not even loaded (a lean `add`)
    from journal_app.core.practice import suggestion_for, unknown_emotions

    unknown = unknown_emotions(names, [*journal.own_emotions(), *allowed])
    if unknown:
        word = unknown[0]
        meant = suggestion_for(word)
        hint = f" Did you mean {meant}?" if meant else ""
        raise UsageError(
            f"'{word}' is not one of the listed emotions or your own words; nothing was "
            f"saved.{hint} To keep it as your own word, give it with --own-emotion instead "
            f"of --emotion ('{PROG} emotions --known' lists the emotions).")


def keep_own_emotions(journal: Journal, emotions: Sequence[Any]) -> None:
    """Keep the names of ``emotions`` (given with --own-emotion) as the user's own words."""
    if emotions:
        journal.add_own_emotions([e.name for e in emotions])


# ==================================================================== check-ins


def checkin_json(checkin: Any) -> dict[str, Any]:
    return {
        "id": checkin.id,
        "created": checkin.created.isoformat(),
        "mood": checkin.mood,
        "energy": checkin.energy,
        "stress": checkin.stress,
        "burnout": checkin.burnout,
        "emotions": [{"name": e.name, "intensity": e.intensity} for e in checkin.emotions],
        "sleep_hours": checkin.sleep_hours,
        "encounter": checkin.encounter,
        "good_moment": checkin.good_moment,
        "note": checkin.note,
    }


def checkin_line(checkin: Any) -> str:
    """One check-in on one line: when, the ratings given, the emotions, and its note."""
    from journal_app.core.vocabulary import encounter_words

    parts = [f"{checkin.id[:8]}  {checkin.created:%Y-%m-%d %H:%M}"]
    for label, value in (("mood", checkin.mood), ("energy", checkin.energy)):
        if value is not None:
            parts.append(f"{label} {value:+d}")
    for label, value, scale in (("stress", checkin.stress, 10), ("burnout", checkin.burnout, 5)):
        if value is not None:
            parts.append(f"{label} {value}/{scale}")
    if checkin.sleep_hours is not None:
        parts.append(f"slept {checkin.sleep_hours:g} h")
    if checkin.emotions:
        parts.append(", ".join(f"{e.name} {e.intensity}/5" for e in checkin.emotions))
    if checkin.encounter:
        parts.append(encounter_words(checkin.encounter))
    if checkin.good_moment:
        parts.append("something good happened")
    line = "  ".join(parts)
    return line + (f"\n    {escape_line(checkin.note)}" if checkin.note else "")
