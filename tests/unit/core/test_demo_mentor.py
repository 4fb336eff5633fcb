"""The mentor's demo journal (journal-app --demo mentor): what "Shared with me" shows."""

from __future__ import annotations

from datetime import UTC, datetime

from journal_app.core.demo.mentor import STUDENTS, mentor_demo_records
from journal_app.core.records.model import (
    Contact,
    Entry,
    Feedback,
    Identity,
    ReceivedExcerpt,
    ReceivedPackage,
)

END = datetime(2026, 3, 14, 18, 30, tzinfo=UTC)


def test_twelve_students_shared_excerpts_and_some_wait_for_feedback() -> None:
    records = mentor_demo_records(end=END)
    [me] = [r for r in records if isinstance(r, Identity)]
    assert me.role == "mentor"
    contacts = {c.fingerprint: c for c in records if isinstance(c, Contact)}
    assert sorted(c.name for c in contacts.values()) == sorted(n for n, _ in STUDENTS)
    assert all(c.confirmed and c.role == "student" for c in contacts.values())
    packages = {p.package_id: p for p in records if isinstance(p, ReceivedPackage)}
    excerpts = [e for e in records if isinstance(e, ReceivedExcerpt)]
    assert len(packages) == sum(n for _, n in STUDENTS)
    for excerpt in excerpts:  # each from a package of a known student, sent before now
        package = packages[excerpt.package_id]
        assert package.kind == "share"
        assert contacts[excerpt.sender_fingerprint].name == excerpt.sender_name
        assert package.sender_fingerprint == excerpt.sender_fingerprint
        assert excerpt.received <= END and excerpt.text
    written = [f for f in records if isinstance(f, Feedback)]
    assert written and all(f.direction == "written" and f.created <= END for f in written)
    by_excerpt = {(e.package_id, e.excerpt_id) for e in excerpts}
    assert all((f.share_package_id, f.excerpt_id) in by_excerpt for f in written)
    answered = {f.share_package_id for f in written}
    for name, _count in STUDENTS:  # every student has a package still to answer
        theirs = {p for p, pkg in packages.items() if pkg.sender_name == name}
        assert theirs - answered
    assert any(isinstance(r, Entry) for r in records)  # and the mentor's own journal


def test_the_same_demo_every_time() -> None:
    def fingerprints() -> list[str]:
        return [c.fingerprint for c in mentor_demo_records(end=END) if isinstance(c, Contact)]

    assert fingerprints() == fingerprints()


def test_the_demo_mentor_signed_attestations_that_verify(tmp_path: object) -> None:
    from pathlib import Path

    from journal_app.core.programme import attestation
    from journal_app.core.records.model import AttestationRecord
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal

    records = mentor_demo_records(end=END)
    assert isinstance(tmp_path, Path)
    journal, _key = Journal.create(tmp_path / "m", "correct horse", kdf=TEST_KDF)
    try:
        journal.import_records(records, writing_only=False)
        written = [r for r in records if isinstance(r, AttestationRecord)]
        assert len(written) == 3
        for record in written:  # the mentor is on the roster of the programme joined
            checked = attestation.verify_attestation(journal, record.file.encode())
            assert checked.reflections > 0 and checked.facets
        assert len(attestation.received_attestations(journal, "written")) == 3
    finally:
        journal.close()
