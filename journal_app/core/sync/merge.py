"""Turning the changes of several devices into one write: last writer wins per record by clock
stamp, and the version that lost is kept as a revision (nothing written is dropped); the app
state merges per field; purges remove, except a version the purging device had not seen.

Pure functions over payloads: the engine reads what the vault holds and writes what comes out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from journal_app.core.sync.clock import Stamp, as_time


@dataclass
class Version:
    """One version of a record: where it came from, its clock stamp, and the stamp of the
    version it replaced (None: a new record, or a version written before sync knew it)."""

    kind: str
    schema: int
    payload: dict[str, Any]
    stamp: Stamp
    base: Stamp | None = None


@dataclass
class Outcome:
    """What a merge decided: records to store (kind, schema, id, payload), ids to remove, and
    the stamp of each record's current version afterwards."""

    puts: dict[str, tuple[str, int, dict[str, Any]]] = field(default_factory=dict)
    deletes: set[str] = field(default_factory=set)
    stamps: dict[str, Stamp] = field(default_factory=dict)
    conflicts: int = 0
    received: int = 0
    #: Records the merge made (revisions of versions that lost, survivors of a purge): sent
    #: on, so a device that saw the versions in another order holds them too.
    made: set[str] = field(default_factory=set)


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def derived_id(*parts: str) -> str:
    """A record id every device computes alike (32 hex digits, like a random id)."""
    return hashlib.sha256("|".join(("journal-app sync", *parts)).encode()).hexdigest()[:32]


def stamp_text(stamp: Stamp) -> str:
    return f"{stamp[0]}.{stamp[1]}.{stamp[2]}"


def conflict_revision(record_id: str, lost: Version) -> tuple[str, tuple[str, int, dict[str, Any]]]:
    """The revision keeping a version that lost: the same id and payload on every device."""
    rid = derived_id("conflict", record_id, stamp_text(lost.stamp))
    payload = {"target_id": record_id, "target_kind": lost.kind, "target_schema": lost.schema,
               "saved": as_time(lost.stamp).isoformat(), "payload_data": lost.payload}
    return rid, ("revision", 1, payload)


def merge_record(record_id: str, current: Version | None, incoming: list[Version],
                 out: Outcome) -> Version | None:
    """Apply ``incoming`` versions (any order) to ``current``; records the result in ``out``
    and returns the winner."""
    for version in sorted(incoming, key=lambda v: v.stamp):
        if current is None:
            current = version
            out.puts[record_id] = (version.kind, version.schema, version.payload)
            out.received += 1
            continue
        if version.stamp == current.stamp:
            continue
        same = canonical(version.payload) == canonical(current.payload)
        if version.stamp > current.stamp:
            if not same:
                if version.base != current.stamp:
                    rid, rev = conflict_revision(record_id, current)
                    out.puts[rid] = rev
                    out.stamps[rid] = current.stamp
                    out.made.add(rid)
                    out.conflicts += 1
                out.puts[record_id] = (version.kind, version.schema, version.payload)
                out.received += 1
            current = version
        elif not same and current.base != version.stamp:
            # An older version this device's one did not replace: kept as a revision.
            rid, rev = conflict_revision(record_id, version)
            if rid not in out.puts:
                out.puts[rid] = rev
                out.stamps[rid] = version.stamp
                out.made.add(rid)
                out.conflicts += 1
    if current is not None:
        out.stamps[record_id] = current.stamp
    return current


def survivor(record_id: str, version: Version, purge: Stamp) -> tuple[str, tuple[
        str, int, dict[str, Any]]]:
    """An entry edited where the purge had not been seen: a new entry in the trash (the same
    on every device)."""
    rid = derived_id("survivor", record_id, stamp_text(version.stamp))
    payload = dict(version.payload)
    payload["trashed"] = as_time(purge).isoformat()
    return rid, (version.kind, version.schema, payload)


#: Per list field, item (canonical JSON) -> stamp: when it was added, when it was removed.
Marks = dict[str, dict[str, Stamp]]


@dataclass
class ListMarks:
    """When each item of the app state's lists was added and removed, on one side."""

    adds: Marks = field(default_factory=dict)
    gone: Marks = field(default_factory=dict)

    def merged(self, other: ListMarks) -> ListMarks:
        out = ListMarks()
        for mine, theirs, into in ((self.adds, other.adds, out.adds),
                                   (self.gone, other.gone, out.gone)):
            for name in {*mine, *theirs}:
                a, b = mine.get(name, {}), theirs.get(name, {})
                into[name] = {c: max(a.get(c, _NONE), b.get(c, _NONE)) for c in {*a, *b}}
        return out

    def keeps(self, name: str, item: str) -> bool:
        """An item stays unless it was removed after it was (last) added."""
        removed = self.gone.get(name, {}).get(item)
        return removed is None or self.adds.get(name, {}).get(item, _NONE) > removed


_NONE: Stamp = (0, 0, "")


def merge_fields(local: Mapping[str, Any], local_stamps: Mapping[str, Stamp],
                 remote: Mapping[str, Any], remote_stamps: Mapping[str, Stamp],
                 marks: ListMarks | None = None,
                 ) -> tuple[dict[str, Any], dict[str, Stamp]]:
    """The app state, field by field: lists by union less the items removed after they were
    added (``marks``: both sides' marks, merged), maps by key (the side that changed the field
    later wins a clash), single values from the side that changed that field later. Returns
    the fields and their stamps."""
    marks = marks or ListMarks()
    merged: dict[str, Any] = {}
    stamps: dict[str, Stamp] = {}
    for key in [*local.keys(), *(k for k in remote if k not in local)]:
        ls, rs = local_stamps.get(key, _NONE), remote_stamps.get(key, _NONE)
        stamps[key] = max(ls, rs)
        a, b = local.get(key), remote.get(key)
        if isinstance(a, list) or isinstance(b, list):
            both = [*(a if isinstance(a, list) else []), *(b if isinstance(b, list) else [])]
            seen: set[str] = set()
            kept = []
            for item in both:
                text = canonical(item)
                if text not in seen and marks.keeps(key, text):
                    kept.append(item)
                seen.add(text)
            merged[key] = kept
        elif key not in remote:
            merged[key] = a
        elif key not in local:
            merged[key] = b
        elif isinstance(a, dict) and isinstance(b, dict):
            merged[key] = {**b, **a} if ls >= rs else {**a, **b}
        else:
            merged[key] = b if rs > ls else a
    return merged, stamps
