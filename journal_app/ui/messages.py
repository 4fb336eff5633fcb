"""Sentences the screens share, written once (the same words wherever they appear).

Only fixed text lives here: nothing from the journal, nothing a user typed. A sentence used by one
screen only stays with that screen.
"""

from __future__ import annotations

#: A write or a read was asked for while the journal is locked (the session's ``JournalLocked``).
LOCKED = "The journal is locked. Unlock it, then try again."
#: The title of the lock page.
LOCKED_TITLE = "Your journal is locked"
#: Opening, unlocking or recovering before a journal folder was chosen.
CHOOSE_FOLDER = "Choose a journal folder first."
#: After a refused change that left the journal as it was.
NOTHING_CHANGED = "Nothing was changed."
#: An import that stored nothing (the heading of the import dialog's last page).
NOTHING_IMPORTED = "Nothing was imported"
#: A bug (anything that is not a JournalError): never the error's own text.
UNEXPECTED = (
    "Something unexpected went wrong (a bug in journal-app). Your saved entries are safe; "
    "if you were writing, your text is still in the editor."
)


def not_saved(reason: str) -> str:
    """A save that failed: the reason is one plain sentence (an error's message)."""
    return f"Not saved: {reason}"
