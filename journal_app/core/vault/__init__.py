"""The vault: keys and sealing, the SQLite store, the lock, the search index and the journal
service, the single door the app and the command line both use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journal_app.core.lazy import loader

if TYPE_CHECKING:
    from journal_app.core.vault.crypto import DEFAULT_KDF, KdfParams
    from journal_app.core.vault.hardening import forbid_core_dumps
    from journal_app.core.vault.journal import ImportResult, IntegrityReport, Journal, RepairPreview
    from journal_app.core.vault.passwords import assess
    from journal_app.core.vault.quickopen import start_unlock
    from journal_app.core.vault.search import (
        Query,
        SearchFilters,
        SearchHit,
        make_snippet,
        parse_query,
        plain_snippet,
    )

# Made by scripts/restructure.py: what the other layers use, and the module it is in.
# Loaded on first use (PEP 562): importing one inner module does not import them all.
_EXPORTS: dict[str, str] = {
    "DEFAULT_KDF": "crypto",
    "ImportResult": "journal",
    "IntegrityReport": "journal",
    "Journal": "journal",
    "KdfParams": "crypto",
    "Query": "search",
    "RepairPreview": "journal",
    "SearchFilters": "search",
    "SearchHit": "search",
    "assess": "passwords",
    "forbid_core_dumps": "hardening",
    "make_snippet": "search",
    "parse_query": "search",
    "plain_snippet": "search",
    "start_unlock": "quickopen",
}

__all__ = [
    "DEFAULT_KDF",
    "ImportResult",
    "IntegrityReport",
    "Journal",
    "KdfParams",
    "Query",
    "RepairPreview",
    "SearchFilters",
    "SearchHit",
    "assess",
    "forbid_core_dumps",
    "make_snippet",
    "parse_query",
    "plain_snippet",
    "start_unlock",
]


if not TYPE_CHECKING:
    __getattr__ = loader(__name__, _EXPORTS)
