"""The command line's shared I/O: the terminal, secrets, text files, output and exit codes.

Every command reads and writes through these, so the rules hold everywhere: a passphrase or
recovery key comes from a file (its first line) or the terminal, never from an argument; a
question is asked only when a person is there to answer it (see "the terminal" below), and
without one the command says which flag answers it; errors are one sentence and an exit code.
Nothing heavy is imported here: every command, ``support`` too, starts with this module.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any

from journal_app.core.errors import UsageError
from journal_app.core.files import (
    MAX_TEXT_FILE_BYTES,
    decode_user_text,
    read_user_file,
    read_user_text,
)

PROG = "journal-app"
#: A passphrase or recovery key file: its first line is the secret.
MAX_SECRET_FILE_BYTES = 64 * 1024
#: Exit codes: 0 ok, 1 other failure, 2 usage, 3 wrong passphrase or recovery key (the errors'
#: own code), 4 damaged or invalid data.
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_DAMAGED = 0, 1, 2, 4

#: Why the --*-file options exist, for their --help.
FILE_HELP = ("'-' for standard input. Text in a file stays off the command line, which other "
             "users of this computer can read while the command runs, and out of your shell "
             "history")


# ==================================================================== the terminal
#
# Two kinds of question, each with its own check:
# - a conversation (the check-in's questions, the share review, a fingerprint to compare) is
#   held on standard input when it is a terminal, with the questions on standard output;
# - a confirmation before something that cannot be undone (restore, remove a copy, repair) and
#   a secret are asked on the terminal itself (/dev/tty), so they work when standard input is a
#   pipe and are never answered by one.
# Without the terminal each needs, the command says which flag answers the question.


def interactive() -> bool:
    """True when standard input is a terminal: a person is there to answer questions."""
    return sys.stdin.isatty()


def ask(question: str) -> str:
    """One answer typed on standard input (see :func:`interactive`)."""
    return input(question)


def yes_no(question: str) -> bool:
    """A yes/no question on standard input; anything but y or yes is no."""
    return _is_yes(ask(question))


def has_terminal() -> bool:
    """True when there is a terminal to ask on (standard input may still be a pipe)."""
    try:
        with open("/dev/tty", "rb"):
            return True
    except OSError:
        return sys.stdin.isatty() and os.name == "nt"


def confirm(question: str) -> bool:
    """A yes/no question on the terminal itself (not standard input: it may be a pipe);
    anything but y or yes is no."""
    try:
        with open("/dev/tty", "r+", encoding="utf-8") as tty:
            tty.write(question)
            tty.flush()
            answer = tty.readline()
    except OSError:
        answer = input(question)
    return _is_yes(answer)


def _is_yes(answer: str) -> bool:
    return answer.strip().lower() in ("y", "yes")


def ask_secret(prompt: str) -> str:
    """A passphrase or key typed on the terminal, not shown."""
    import getpass

    return unicodedata.normalize("NFC", getpass.getpass(prompt))


# ==================================================================== secrets


def read_secret_file(path: str, what: str) -> str:
    """The first line of ``path``: a passphrase or recovery key kept in a file."""
    data = read_user_file(Path(path), MAX_SECRET_FILE_BYTES, label=f"The {what} file",
                          error=UsageError)
    try:
        # Plain UTF-8: a byte-order mark stays part of the secret, as it always was (a journal
        # made with it must keep opening).
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"The {what} file cannot be read.") from None
    line = text.split("\n", 1)[0]
    return unicodedata.normalize("NFC", line.rstrip("\r"))


def passphrase(args: Any) -> str:
    """The vault's passphrase: ``--passphrase-file``, ``JOURNAL_APP_PASSPHRASE_FILE``, or asked."""
    path = args.passphrase_file or os.environ.get("JOURNAL_APP_PASSPHRASE_FILE")
    if path:
        return read_secret_file(path, "passphrase")
    if not has_terminal():
        raise UsageError(
            "No passphrase given: use --passphrase-file or JOURNAL_APP_PASSPHRASE_FILE,"
            " or run in a terminal."
        )
    return ask_secret("Passphrase: ")


def new_passphrase(path: str | None, what: str = "new passphrase") -> str:
    """A new passphrase from a file, or typed twice on the terminal; never empty."""
    if path:
        value = read_secret_file(path, what)
    elif has_terminal():
        value = ask_secret("New passphrase: ")
        if ask_secret("Type it again: ") != value:
            raise UsageError("The two passphrases differ; nothing was changed.")
    else:
        raise UsageError(f"No {what} given: use --new-passphrase-file, or run in a terminal.")
    if not value:
        raise UsageError("The passphrase must not be empty.")
    return value


# ==================================================================== text files


def read_body(path: str | None, what: str) -> str | None:
    """The UTF-8 text of a body, note or comment file (``-``: standard input), without its
    last newline; None when no file is given."""
    if path is None:
        return None
    return _read_text_file(path, what).removesuffix("\n")


def read_text(path: str, what: str) -> str:
    """The UTF-8 text of ``path`` (``-``: standard input), for the --*-file options."""
    return unicodedata.normalize("NFC", _read_text_file(path, what))


def _read_text_file(path: str, what: str) -> str:
    not_text = f"The {what} file is not UTF-8 text."
    if path == "-":
        return decode_user_text(sys.stdin.buffer.read(), not_text, UsageError)
    return read_user_text(Path(path), MAX_TEXT_FILE_BYTES, label=f"The {what} file",
                          not_text=not_text, error=UsageError)


def read_names_file(path: str) -> list[str]:
    """Names, one a line (``-``: standard input)."""
    text = read_text(path, "names")
    return [line.strip() for line in text.splitlines() if line.strip()]


# ==================================================================== output


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def say(text: str) -> None:
    """A message for the person (standard error), beside what a script reads."""
    print(text, file=sys.stderr)


def escape_line(text: str) -> str:
    """``text`` on one line: backslash, newline, return and tab written as escapes."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
