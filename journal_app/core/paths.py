"""Where journal-app keeps its data (a light module: the command line imports it first)."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """The platform's per-user data folder for journal-app, or ``JOURNAL_APP_DATA_DIR``."""
    env = os.environ.get("JOURNAL_APP_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("journal-app", appauthor=False)


#: The vault's database file in its folder (the same as ``vault.store.DB_NAME``, which imports
#: SQLAlchemy: the app's start looks for a journal before loading that).
VAULT_FILE = "journal.db"


def has_journal(folder: Path) -> bool:
    """Whether ``folder`` holds a journal (what ``Journal.exists`` says), without the vault."""
    return (folder / VAULT_FILE).is_file()
