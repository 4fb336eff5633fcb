"""The demo journal (``journal-app --demo``): invented entries, check-ins and sharing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journal_app.core.lazy import loader

if TYPE_CHECKING:
    from journal_app.core.demo.entries import demo_records
    from journal_app.core.demo.mentor import STUDENTS, mentor_demo_records
    from journal_app.core.demo.programme import PROGRAMME_NAME, programme_demo

# Made by scripts/restructure.py: what the other layers use, and the module it is in.
# Loaded on first use (PEP 562): importing one inner module does not import them all.
_EXPORTS: dict[str, str] = {
    "PROGRAMME_NAME": "programme",
    "STUDENTS": "mentor",
    "demo_records": "entries",
    "mentor_demo_records": "mentor",
    "programme_demo": "programme",
}

__all__ = [
    "PROGRAMME_NAME",
    "STUDENTS",
    "demo_records",
    "mentor_demo_records",
    "programme_demo",
]


if not TYPE_CHECKING:
    __getattr__ = loader(__name__, _EXPORTS)
