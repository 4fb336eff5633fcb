"""Programmes: a school's or course's signed roster of mentors, enrolment list and content pack,
verified once at joining. Never imports journal_app.ui.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journal_app.core.lazy import loader

if TYPE_CHECKING:
    from journal_app.core.programme.attestation import (
        Attestation,
        SignOffPreview,
        create_attestation,
        import_attestation,
        parse_attestation,
        portfolio_files,
        portfolio_lines,
        received_attestations,
        reviewed_count,
        sign_attestation,
        signoff_preview,
        verify_attestation,
    )
    from journal_app.core.programme.fileformat import (
        ProgrammeFile,
        parse_programme,
        programme_fingerprint,
    )
    from journal_app.core.programme.service import (
        Overview,
        ProgrammeCheck,
        RosterChange,
        check_programme,
        create,
        enrol,
        hand_over,
        joined,
        lead,
        lead_fingerprint,
        leave,
        member_overview,
        overview,
        pack_set,
        publish,
        read_programme_file,
        roster_add,
        roster_remove,
        take,
    )

_EXPORTS: dict[str, str] = {
    "Attestation": "attestation",
    "create_attestation": "attestation",
    "import_attestation": "attestation",
    "parse_attestation": "attestation",
    "portfolio_files": "attestation",
    "portfolio_lines": "attestation",
    "received_attestations": "attestation",
    "sign_attestation": "attestation",
    "reviewed_count": "attestation",
    "SignOffPreview": "attestation",
    "signoff_preview": "attestation",
    "verify_attestation": "attestation",
    "Overview": "service",
    "ProgrammeCheck": "service",
    "ProgrammeFile": "fileformat",
    "RosterChange": "service",
    "check_programme": "service",
    "create": "service",
    "enrol": "service",
    "hand_over": "service",
    "joined": "service",
    "lead": "service",
    "lead_fingerprint": "service",
    "leave": "service",
    "member_overview": "service",
    "overview": "service",
    "pack_set": "service",
    "parse_programme": "fileformat",
    "programme_fingerprint": "fileformat",
    "publish": "service",
    "read_programme_file": "service",
    "roster_add": "service",
    "roster_remove": "service",
    "take": "service",
}

__all__ = [
    "Attestation",
    "Overview",
    "ProgrammeCheck",
    "ProgrammeFile",
    "RosterChange",
    "SignOffPreview",
    "check_programme",
    "create",
    "create_attestation",
    "enrol",
    "hand_over",
    "import_attestation",
    "joined",
    "lead",
    "lead_fingerprint",
    "leave",
    "member_overview",
    "overview",
    "pack_set",
    "parse_attestation",
    "parse_programme",
    "portfolio_files",
    "portfolio_lines",
    "programme_fingerprint",
    "publish",
    "read_programme_file",
    "received_attestations",
    "reviewed_count",
    "roster_add",
    "roster_remove",
    "sign_attestation",
    "signoff_preview",
    "take",
    "verify_attestation",
]

if not TYPE_CHECKING:
    __getattr__ = loader(__name__, _EXPORTS)
