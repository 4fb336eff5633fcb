"""Cohort contributions: a programme's picture of competency 4 by local differential privacy
(issue 25). A student's app sends, once a rotation, one item's randomised answer (OpenDP's
randomised response), signed by their card and encrypted to the programme; the lead's journal
reports debiased estimates with 95% intervals. Never imports journal_app.ui.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journal_app.core.lazy import loader

if TYPE_CHECKING:
    from journal_app.core.cohort.estimate import MIN_REPORTS, Estimate
    from journal_app.core.cohort.service import (
        BudgetView,
        DropFolder,
        Offer,
        Report,
        RotationReport,
        budget,
        contribute,
        decline,
        drop_folder,
        due,
        offer,
        report,
    )

_EXPORTS: dict[str, str] = {
    "BudgetView": "service",
    "DropFolder": "service",
    "Estimate": "estimate",
    "MIN_REPORTS": "estimate",
    "Offer": "service",
    "Report": "service",
    "RotationReport": "service",
    "budget": "service",
    "contribute": "service",
    "decline": "service",
    "drop_folder": "service",
    "due": "service",
    "offer": "service",
    "report": "service",
}

__all__ = [
    "MIN_REPORTS",
    "BudgetView",
    "DropFolder",
    "Estimate",
    "Offer",
    "Report",
    "RotationReport",
    "budget",
    "contribute",
    "decline",
    "drop_folder",
    "due",
    "offer",
    "report",
]

if not TYPE_CHECKING:
    __getattr__ = loader(__name__, _EXPORTS)
