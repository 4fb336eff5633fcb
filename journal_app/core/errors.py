"""One error hierarchy for the core.

Every :class:`JournalError` carries one plain sentence a person can act on. The sentences are
fixed text chosen here: they never quote journal text, file contents or passphrases, so they are
safe to print, log or show in a dialog. Anything that is not a ``JournalError`` is a bug.

Each class names the command-line exit code it maps to, so the CLI has a single exit point.
"""

from __future__ import annotations

import re


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
    # Without a secret, a wrong passphrase and a key slot altered with a recomputed checksum (or
    # an altered vault id) look the same: say both.
    default_message = (
        "The passphrase did not open the journal, or its key slot was altered: try the recovery"
        " key or a backup."
    )


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


class ManifestDamagedError(VaultDamagedError):
    """The manifest (the sealed list of records) is missing or does not open: the journal is
    read-only until the user accepts what is there (``verify --repair``)."""

    default_message = (
        "The journal's list of records is missing or damaged, so nothing can be saved until it"
        " is repaired: run 'journal-app verify --repair', or use Check and repair in the app."
    )


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


# -------------------------------------------------------------------------------- sharing
# Mentor cards and share packages (journal_app/core/sharing/cards.py, packages.py, sharing.py). Each
# refusal names its reason; none quotes the file, a name or any text from it.


class CardInvalidError(InvalidDataError):
    """A mentor card that does not parse, carries invalid keys or a bad self-signature."""

    default_message = "That file is not a valid mentor card; no contact was added."


class PackageError(InvalidDataError):
    """A share package was refused whole: nothing from it was stored."""

    default_message = "That file is not a share package; nothing was imported."


class PackageTruncatedError(PackageError):
    default_message = (
        "The share package is incomplete (the file was cut short); nothing was imported."
        " Ask for the file again."
    )


class PackageAlteredError(PackageError):
    default_message = (
        "The share package was altered after it was made (its signature or encryption does not"
        " check out); nothing was imported."
    )


class PackageVersionError(PackageError):
    default_message = (
        "The share package was made by a newer version of journal-app; update the app to"
        " read it. Nothing was imported."
    )


class NotForYouError(PackageError):
    default_message = (
        "The share package is not for you: it was encrypted to someone else's card."
        " Nothing was imported."
    )


class PackageReplayError(PackageError):
    default_message = "That share package was already imported; nothing was imported again."


class KeyChangedError(PackageError):
    """The sender (or a card) claims to be a known contact, with different keys."""

    default_message = (
        "Warning: this comes from a known contact, but their keys changed since you added their"
        " card. It may not be from them. Nothing was imported: check the fingerprint with them"
        " in person or by phone before trusting a new card."
    )


class WrongSharePassphraseError(JournalError):
    exit_code = 3
    default_message = "That share passphrase does not open this share package."


class NotConfirmedError(JournalError):
    """The user did not confirm a fingerprint: nothing was stored."""

    default_message = "The fingerprint was not confirmed; nothing was imported."


class ContactsChangedError(NotConfirmedError):
    """The contacts changed between showing a fingerprint and storing the user's answer (in
    another window, or a command): the answer was about what was shown, so nothing is stored."""

    default_message = (
        "Your contacts changed while the fingerprint was shown (in another window or a"
        " command); nothing was changed. Try again to see them as they are now."
    )


# -------------------------------------------------------------------------------- programmes
# The signed programme file (journal_app/core/programme). Refused whole: nothing is changed.


class ProgrammeFileError(InvalidDataError):
    """A programme file that does not parse, or does not check out."""

    default_message = "That file is not a programme file; nothing was changed."


class ProgrammeAlteredError(ProgrammeFileError):
    default_message = (
        "The programme file was altered after it was signed (its signature does not check"
        " out); nothing was changed."
    )


class ProgrammeTruncatedError(ProgrammeFileError):
    default_message = (
        "The programme file is incomplete (the file was cut short); nothing was changed. Ask"
        " for the file again."
    )


class ProgrammeOlderError(ProgrammeFileError):
    default_message = (
        "That programme file is older than (or the same as) the version you have; nothing was"
        " changed."
    )


class ProgrammeKeyError(ProgrammeFileError):
    """Signed by a key that is not the programme's (nor handed over to by it)."""

    default_message = (
        "That programme file is not signed by the programme you joined, nor handed over by"
        " it; nothing was changed."
    )


# -------------------------------------------------------------------------------- sentences

#: What a bug says: no type, no text, no traceback (any of them could carry journal text).
UNEXPECTED = "Something unexpected went wrong (this is a bug in journal-app)."

# A value quoted the way Python's own errors quote one ("invalid literal for int() with base
# 10: 'Mrs Patel'"): such a ValueError is not one of ours and is never shown.
_QUOTED = re.compile(r"(^|[\s:(\[=])['\"]")


def describe(exc: BaseException, unexpected: str = UNEXPECTED) -> str:
    """The one sentence a person reads for ``exc``; never journal text or a traceback.

    A :class:`JournalError` says its own sentence. A ``ValueError`` raised by journal-app's own
    checks (the model, :mod:`.validation`: fixed words naming a field, never its value) is made a
    sentence: "stress must be a whole number from 0 to 10" -> "Stress must be a whole number
    from 0 to 10.". Anything else is a bug, said as ``unexpected`` (the app and the command
    line each have their own words for it).
    """
    if isinstance(exc, JournalError):
        return exc.message
    if isinstance(exc, ValueError) and _our_own_words(exc):
        return sentence(str(exc))
    return unexpected


def is_expected(exc: BaseException) -> bool:
    """Whether :func:`describe` says something of ``exc`` itself (not a bug)."""
    return isinstance(exc, JournalError) or (
        isinstance(exc, ValueError) and _our_own_words(exc))


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _our_own_words(exc: ValueError) -> bool:
    text = str(exc)
    if not text or len(text) > 400 or "\n" in text or _QUOTED.search(text):
        return False
    tb = exc.__traceback__
    if tb is None:  # never raised: nobody can say where the words came from
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    module = str(tb.tb_frame.f_globals.get("__name__", ""))
    return module == "journal_app" or module.startswith("journal_app.")


class CohortError(JournalError):
    """A cohort contribution that cannot be made now (already made this rotation, the lifetime
    budget spent)."""

    default_message = "No contribution was made."


class NotInProgrammeError(JournalError):
    """Contributing needs a programme joined, with this journal's card on its enrolment list."""

    exit_code = 2
    default_message = "This journal is not enrolled in a programme; nothing was sent."


# -------------------------------------------------------------------------------- attestations
# A mentor's signed attestation (journal_app/core/sharing/attestation.py).


class AttestationInvalidError(InvalidDataError):
    """An attestation file that does not parse, or whose signature does not check out."""

    default_message = (
        "That attestation was altered or forged (its signature does not check out), or it is"
        " not an attestation file; nothing was changed."
    )


class AttestationUnknownMentorError(JournalError):
    """A well-signed attestation whose mentor is on no roster this journal knows."""

    default_message = (
        "The attestation is signed, but its mentor is not on the roster of any programme this"
        " journal knows, so who signed it cannot be vouched for."
    )
