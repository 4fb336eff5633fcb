"""One error hierarchy for the core.

Every :class:`JournalError` carries one plain sentence a person can act on. The sentences are
fixed text chosen here: they never quote journal text, file contents or passphrases, so they are
safe to print, log or show in a dialog. Anything that is not a ``JournalError`` is a bug.

Each class names the command-line exit code it maps to, so the CLI has a single exit point.
"""

from __future__ import annotations


class JournalError(Exception):
    """An error the user can act on. ``str(err)`` is one plain sentence."""

    exit_code = 1
    default_message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self.args[0])


class UsageError(JournalError):
    exit_code = 2
    default_message = "The command was not used correctly."


class WrongPassphraseError(JournalError):
    exit_code = 3
    default_message = "That passphrase does not open this journal."


class WrongRecoveryKeyError(JournalError):
    exit_code = 3
    default_message = "That recovery key does not open this journal."


class MistypedRecoveryKeyError(WrongRecoveryKeyError):
    default_message = (
        "That recovery key has a typo: check each group of characters against the one you stored."
    )


class VaultDamagedError(JournalError):
    """The vault, a key slot or a record is damaged, truncated or was altered."""

    exit_code = 4
    default_message = "The journal's files are damaged or were altered."


class InvalidDataError(JournalError):
    """An input file (import, key file) is not valid: nothing was changed."""

    exit_code = 4
    default_message = "The file is not valid; nothing was imported."


class NotFoundError(JournalError):
    default_message = "No such entry."


class AmbiguousIdError(JournalError):
    default_message = "That id prefix matches more than one record; give more characters."


class VaultBusyError(JournalError):
    default_message = (
        "The journal is busy in another program (a save is in progress); try again in a moment."
    )


class VaultLockedError(JournalError):
    default_message = "The journal is locked."


class NoVaultError(JournalError):
    default_message = "There is no journal in that folder yet; create one with 'journal-app init'."


class VaultExistsError(JournalError):
    default_message = "A journal already exists in that folder."


class StorageError(JournalError):
    default_message = "The journal could not be saved: the disk may be full or not writable."


class ValidationError(JournalError):
    """A value given for a field is out of range (mood -5..5, stress 0..10, ...)."""

    exit_code = 2
    default_message = "A value is out of range."


class BackupDamagedError(JournalError):
    """A backup file is damaged, truncated, altered or not a backup: nothing was changed."""

    exit_code = 4
    default_message = (
        "The backup file is damaged, incomplete or not a journal-app backup; nothing was changed."
    )
