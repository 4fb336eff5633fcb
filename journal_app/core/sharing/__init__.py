"""Sharing with a mentor: identities and mentor cards, share packages, and the service over the
journal that makes and reads them. Never imports journal_app.ui.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journal_app.core.lazy import loader

if TYPE_CHECKING:
    from journal_app.core.sharing.cards import Card, card_of
    from journal_app.core.sharing.service import (
        CANNOT_RECALL,
        CardCheck,
        CardImport,
        FieldRef,
        Received,
        Review,
        Selection,
        ShareDraft,
        add_card,
        check_card,
        confirm_contact,
        contact_notices,
        contact_to_confirm,
        contacts,
        draft_share,
        ensure_identity,
        feedback,
        feedback_for_entry,
        find_contact,
        identity,
        import_card,
        is_share_package,
        mark_confirmed,
        my_card,
        portfolio_feedback,
        read_package_file,
        receive,
        received_excerpts,
        remove_contact,
        review_draft,
        shared_logs,
        write_feedback,
        write_share,
    )

# Made by scripts/restructure.py: what the other layers use, and the module it is in.
# Loaded on first use (PEP 562): importing one inner module does not import them all.
_EXPORTS: dict[str, str] = {
    "CANNOT_RECALL": "service",
    "Card": "cards",
    "CardCheck": "service",
    "CardImport": "service",
    "FieldRef": "service",
    "Received": "service",
    "Review": "service",
    "Selection": "service",
    "ShareDraft": "service",
    "add_card": "service",
    "card_of": "cards",
    "check_card": "service",
    "confirm_contact": "service",
    "contact_notices": "service",
    "contact_to_confirm": "service",
    "contacts": "service",
    "draft_share": "service",
    "ensure_identity": "service",
    "feedback": "service",
    "feedback_for_entry": "service",
    "find_contact": "service",
    "identity": "service",
    "import_card": "service",
    "is_share_package": "service",
    "mark_confirmed": "service",
    "my_card": "service",
    "portfolio_feedback": "service",
    "read_package_file": "service",
    "receive": "service",
    "received_excerpts": "service",
    "remove_contact": "service",
    "review_draft": "service",
    "shared_logs": "service",
    "write_feedback": "service",
    "write_share": "service",
}

__all__ = [
    "CANNOT_RECALL",
    "Card",
    "CardCheck",
    "CardImport",
    "FieldRef",
    "Received",
    "Review",
    "Selection",
    "ShareDraft",
    "add_card",
    "card_of",
    "check_card",
    "confirm_contact",
    "contact_notices",
    "contact_to_confirm",
    "contacts",
    "draft_share",
    "ensure_identity",
    "feedback",
    "feedback_for_entry",
    "find_contact",
    "identity",
    "import_card",
    "is_share_package",
    "mark_confirmed",
    "my_card",
    "portfolio_feedback",
    "read_package_file",
    "receive",
    "received_excerpts",
    "remove_contact",
    "review_draft",
    "shared_logs",
    "write_feedback",
    "write_share",
]


if not TYPE_CHECKING:
    __getattr__ = loader(__name__, _EXPORTS)
