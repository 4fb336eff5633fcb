"""What an import may bring into a vault: the user's own writing, and nothing that is trust.

An import file is whatever someone hands the user. It may carry the user's writing from
another computer; it must never decide whom the user trusts or what the app does. So an import
brings only the kinds in :data:`WRITING_KINDS`. Every other kind has its own path, where the
user acts and the app checks (:data:`REFUSED_KINDS` names it): a contact comes in through
``card import`` (its fingerprint compared with the person), what was shared and received
through ``receive`` (signed by its sender), settings and support contacts through Settings, and
the rest (the vault's identity, the share log, the backup state) only with a backup restore,
which carries everything under the vault's own key. A kind added later is refused until it is
placed here on purpose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from journal_app.core.records.model import Record, Revision
from journal_app.core.vocabulary import OTHER_KIND_NAMES

#: The user's own writing: what a JSON import (and any other import) may bring in.
WRITING_KINDS = frozenset({
    "entry", "revision", "checkin", "reflection", "self-assessment", "custom-prompt",
    "custom-template", "attachment", "attachment-data",
})

_CARD = "card import"
_RECEIVE = "receive"
_SETTINGS = "Settings"
_BACKUP = "backup"
_PROGRAMME = "programme join"
_ATTESTATION = "attestation import"

#: Every other kind, and the path it comes in by instead.
REFUSED_KINDS: Mapping[str, str] = {
    "contact": _CARD,
    "received-package": _RECEIVE,
    "received-excerpt": _RECEIVE,
    "feedback": _RECEIVE,
    "read-receipt": _RECEIVE,
    "app-state": _SETTINGS,
    "support-contact": _SETTINGS,
    "identity": _BACKUP,
    "shared-log": _BACKUP,
    "backup-state": _BACKUP,
    "programme": _PROGRAMME,
    "programme-lead": _BACKUP,
    "cohort-budget": _BACKUP,
    "inbox-mark": _BACKUP,
    "comment-phrase": _BACKUP,
    "student-note": _BACKUP,
    "attestation": _ATTESTATION,
}

#: What each path is, in words a person can act on (one clause each; see :func:`skipped_notes`).
_PATHS = {
    _CARD: "a contact is added only with 'card import' (My card and contacts in the app), where"
           " you compare the fingerprint with the person",
    _RECEIVE: "shared excerpts, feedback and read receipts come in only with 'receive'"
              " (Sharing ▸ Open a share package… in the app), which checks who signed them",
    _SETTINGS: "settings, the list of names and support contacts are changed only in Settings",
    _BACKUP: "your own card's keys, the record of what you shared and the backup state come"
             " back only with a backup restore, which carries everything under the journal's"
             " own key",
    _ATTESTATION: "a mentor's attestation comes in only with 'attestation import', which checks"
                  " the mentor's signature",
    _PROGRAMME: "a programme comes in only with 'programme join' (Sharing ▸ Programme in the"
                " app), where you compare its fingerprint",
}

#: Plain names of the refused kinds (singular, plural).
def kind_of(record: Record) -> str:
    """The kind that decides whether ``record`` may be imported: a revision counts as the kind
    of what it is an earlier version of (restoring it would bring that kind in)."""
    if isinstance(record, Revision):
        return record.target_kind if record.target_kind != "revision" else "revision"
    return record.KIND


def is_writing(record: Record) -> bool:
    return record.KIND in WRITING_KINDS and kind_of(record) in WRITING_KINDS


def split(records: Iterable[Record]) -> tuple[list[Record], Counter[str]]:
    """The writing in ``records``, and how many records of each other kind were left out (a
    revision of a refused kind counts as that kind)."""
    kept: list[Record] = []
    skipped: Counter[str] = Counter()
    for record in records:
        if is_writing(record):
            kept.append(record)
        else:
            skipped[kind_of(record)] += 1
    return kept, skipped


def count_text(kind: str, count: int) -> str:
    one, many = OTHER_KIND_NAMES.get(kind, (f"{kind} record", f"{kind} records"))
    return f"{count:,} {one if count == 1 else many}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _order(kind: str) -> tuple[int, str]:
    names = list(OTHER_KIND_NAMES)
    return (names.index(kind) if kind in names else len(names), kind)


def _by_path(skipped: Mapping[str, int]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for path in _PATHS:  # in a fixed order
        kinds = [k for k in skipped if REFUSED_KINDS.get(k, _BACKUP) == path and skipped[k]]
        if kinds:
            groups[path] = sorted(kinds, key=_order)
    return groups


def skipped_notes(skipped: Mapping[str, int]) -> list[str]:
    """One plain sentence per path, naming what was left out and where it comes in instead:
    "Not imported: 1 contact (a contact is added only with 'card import', ...)."."""
    notes = []
    for path, kinds in _by_path(skipped).items():
        what = _join([count_text(k, skipped[k]) for k in kinds])
        notes.append(f"Not imported: {what}; {_PATHS[path]}.")
    return notes


def refusal(source: str, skipped: Mapping[str, int]) -> str:
    """The one sentence for a file that holds no writing, only kinds an import refuses."""
    groups = _by_path(skipped)
    what = _join([count_text(k, skipped[k]) for kinds in groups.values() for k in kinds])
    why = "; ".join(_PATHS[path] for path in groups)
    return (f"{source} holds no writing of yours, only {what}, which an import never brings"
            f" in: {why}; nothing was imported.")
