"""Which computer wrote a version that sync kept as a revision (a losing concurrent edit), for
"Earlier versions" to name it.

A kept version's revision id is derived from the record id and the losing version's clock
stamp (``merge.conflict_revision``), whose last part is the id of the device that wrote it; its
``saved`` time is the stamp's wall-clock part. So the device is found again without storing
anything new: for each device of the journal, the ids its stamps at that millisecond could give
are compared with the revision's id. Revisions made by an ordinary edit match none.
"""

from __future__ import annotations

from collections.abc import Iterable

from journal_app.core.records.model import Revision
from journal_app.core.sync.merge import derived_id, stamp_text
from journal_app.core.sync.state import SyncState

#: Hybrid-clock counters tried per millisecond: a counter grows only while many changes share
#: one millisecond (a batch of edits), and a revision it misses simply shows no computer.
COUNTERS = 1024


def origin_of(revision: Revision, devices: Iterable[str]) -> str | None:
    """The id of the device whose version ``revision`` keeps, or None (an ordinary edit)."""
    micro = revision.saved.microsecond
    if abs(micro - round(micro / 1000) * 1000) > 1:
        return None  # a stamp's time is whole milliseconds; an edit's time almost never is
    wall = round(revision.saved.timestamp() * 1000)
    for device in devices:
        for ms in (wall, wall - 1, wall + 1):
            for counter in range(COUNTERS):
                rid = derived_id("conflict", revision.target_id,
                                 stamp_text((ms, counter, device)))
                if rid == revision.id:
                    return device
    return None


def kept_from(state: SyncState | None, revisions: Iterable[Revision]) -> dict[str, str]:
    """Revision id -> name of the computer that wrote that version, for the revisions sync
    kept (none when the journal does not sync)."""
    if state is None:
        return {}
    found: dict[str, str] = {}
    for revision in revisions:
        device = origin_of(revision, state.devices)
        if device is not None:
            found[revision.id] = state.devices[device].name
    return found
