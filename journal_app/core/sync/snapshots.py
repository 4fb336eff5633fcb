"""Sealed snapshots and compaction: a device's snapshot of the journal, a new device starting
from one, and a device removing its own files every device has taken (docs/design.md, "One
journal on several computers")."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from journal_app.core.records import codec
from journal_app.core.sync import folder as layout
from journal_app.core.sync import wire
from journal_app.core.sync.base import (
    APP_STATE,
    LOCAL_KINDS,
    Batch,
    Reading,
    Skipped,
    SyncDamagedError,
    SyncParams,
    SyncResult,
)
from journal_app.core.sync.state import (
    BLOB,
    Device,
    SyncState,
    marks_json,
    unb64,
)
from journal_app.core.vault.crypto import (
    OpenError,
)
from journal_app.core.vault.journal import Journal

# ====================================================================== snapshots


def _snapshot_body(journal: Journal, state: SyncState) -> dict[str, Any]:
    """Every record this device holds as its log accounts for it (rows written since by
    another program come in its next batch), with the positions in every log it covers."""
    ops: list[dict[str, Any]] = []
    rows = [(i, k, v, s) for i, k, v, s in journal.store.id_seqs()
            if k not in LOCAL_KINDS and s <= state.counter]
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 500):
        for row in journal.store.records(ids=ids[start : start + 500]):
            try:
                payload = codec.loads(journal.cipher.open(row.id, row.kind, row.schema_version,
                                                          row.seq, row.blob))
            except (OpenError, codec.CodecError):
                continue
            if row.kind == APP_STATE:
                stamp = state.stamps.get(APP_STATE, (0, 0, state.device))
                ops.append({"t": "state", "v": row.schema_version, "p": payload,
                            "c": list(stamp),
                            "f": {n: list(st) for n, (st, _h) in state.fields.items()},
                            "adds": marks_json(state.list_adds),
                            "gone": marks_json(state.list_gone)})
                continue
            known = state.stamps.get(row.id)
            if known is None:
                continue  # not yet sent: its own batch carries it
            ops.append({"t": "put", "id": row.id, "k": row.kind, "v": row.schema_version,
                        "p": payload, "c": list(known), "b": None})
    positions = {d: [seq, h.hex()] for d, (seq, h) in state.applied.items()}
    positions[state.device] = [state.next_seq - 1, state.last_hash.hex()]
    return {"ops": ops, "positions": positions,
            "devices": {i: d.to_json() for i, d in state.devices.items()},
            "revoked": state.revoked,
            "purged": {i: [list(v), list(p)] for i, (v, p) in state.purged.items()}}


def snapshot_and_compact(journal: Journal, state: SyncState, folder: Path,
                          params: SyncParams, force: bool) -> None:
    """Seal a snapshot when this device wrote enough batches since its last one (or ``force``),
    then remove this device's own files every device has taken and every snapshot covers.
    Only this device's own files are ever removed (one writer per file)."""
    layout.tidy_temp_files(folder, state.device, time.time())
    covered = state.next_seq - 1
    snaps = layout.snapshots(folder, state.device)
    newest = snaps[0][0] if snaps else 0
    if covered > newest and (force or covered - newest >= params.snapshot_every):
        signer = Ed25519PrivateKey.from_private_bytes(state.sign_key)
        epoch = max(e for e in state.keys if e <= state.epoch)
        data = wire.seal_batch(state.journal, bytes.fromhex(state.device), epoch, covered,
                               state.last_hash, state.keys[epoch], signer,
                               _snapshot_body(journal, state), wire.SNAP_MAGIC)
        with contextlib.suppress(FileExistsError):
            layout.write_once(layout.device_dir(folder, state.device) /
                              layout.snap_name(covered), data)
        state.snaps[state.device] = {d: seq for d, (seq, _h) in state.applied.items()}
        state.snaps[state.device][state.device] = covered
        journal.write_with_blob([], [], BLOB, lambda _seq: state.to_bytes())
        snaps = layout.snapshots(folder, state.device)
        newest = covered
    if not snaps:
        return
    limit = newest
    # Every device with a folder here counts, known yet or not: one that joined a moment ago
    # still has to read these files.
    for other in {*state.devices, *layout.devices_in(folder)}:
        if other == state.device or other in state.revoked:
            continue
        limit = min(limit, state.acks.get(other, {}).get(state.device, 0),
                    state.snaps.get(other, {}).get(state.device, 0))
    for _seq, path in snaps[1:]:
        layout.remove_quietly(path)
    if limit > 0:
        for path in layout.batches_upto(folder, state.device, limit):
            layout.remove_quietly(path)


def _open_snapshot(path: Path, device: str, seq: int, state: SyncState,
                   ) -> tuple[dict[str, Any], dict[str, tuple[int, bytes]]]:
    """The body of a snapshot and the positions it covers.

    Raises:
        wire.Truncated: not fully copied yet. wire.Damaged, KeyError, ValueError, TypeError,
        IndexError, OSError: it cannot be used.
    """
    data = path.read_bytes()
    head = wire.read_head(data, wire.SNAP_MAGIC, wire.MAX_SNAPSHOT)
    key = state.keys.get(head.epoch)
    if (key is None or head.journal != state.journal or head.seq != seq
            or head.device.hex() != device):
        raise wire.Damaged("A snapshot in the sync folder does not belong there.")
    body = wire.open_batch(data, head, key)
    known = state.devices.get(device)
    sign = known.sign if known is not None else unb64(body["devices"][device]["sign"], 32)
    wire.check_signature(data, sign)
    positions = {str(d): (int(p[0]), bytes.fromhex(p[1]))
                 for d, p in body["positions"].items()}
    if positions.get(device, (0, b""))[1] != head.prev or positions[device][0] != seq:
        raise wire.Damaged("A snapshot in the sync folder does not match its log.")
    return body, positions


def _snapshot_batch(device: str, body: dict[str, Any]) -> Batch:
    """A snapshot's records, and its purges, as a batch to merge (merging is idempotent: what
    this device holds already is left as it is)."""
    ops = list(body["ops"])
    for rid, (vstamp, pstamp) in body["purged"].items():
        ops.append({"t": "purge", "c": pstamp, "ids": {str(rid): vstamp}})
    return Batch(device, 0, b"", {"ops": ops})


_SNAPSHOT_ERRORS = (wire.Damaged, KeyError, ValueError, TypeError, IndexError, OSError)


def load_snapshot(folder: Path, state: SyncState, result: SyncResult) -> Batch | None:
    """For a new device: the most complete snapshot in the folder, its positions and devices
    taken into ``state``, its records as a batch to merge (None: there is none, and every log
    is read from its start)."""
    best: tuple[int, str, dict[str, Any], dict[str, tuple[int, bytes]]] | None = None
    for device in layout.devices_in(folder):
        for seq, path in layout.snapshots(folder, device)[:1]:
            label = f"{device}/{path.name}"
            try:
                body, positions = _open_snapshot(path, device, seq, state)
            except wire.Truncated:
                result.skipped.append(Skipped(label, "not fully copied yet; taken next time"))
                continue
            except _SNAPSHOT_ERRORS as exc:
                reason = str(exc) if isinstance(exc, wire.Damaged) else "damaged"
                result.skipped.append(Skipped(label, reason))
                continue
            reach = sum(p[0] for p in positions.values())
            if best is None or reach > best[0]:
                best = (reach, device, body, positions)
    if best is None:
        return None
    _reach, device, body, positions = best
    try:
        for i, d in body["devices"].items():
            if i != state.device:
                state.devices[str(i)] = Device.from_json(d)
        state.revoked.update({str(d): int(a) for d, a in body["revoked"].items()})
        batch = _snapshot_batch(device, body)
    except (KeyError, ValueError, TypeError, AttributeError):
        raise SyncDamagedError("A snapshot in the sync folder is damaged.") from None
    for d, pos in positions.items():
        if d != state.device:
            state.applied[d] = pos
    return batch


def rebase(folder: Path, state: SyncState, device: str, after: int,
            reading: Reading) -> tuple[int, bytes] | None:
    """``device`` removed (compacted) its files past ``after`` before this device read them: its
    newest snapshot stands in for them. Returns the new position, or None."""
    for seq, path in layout.snapshots(folder, device)[:1]:
        if seq <= after:
            return None
        try:
            body, positions = _open_snapshot(path, device, seq, state)
            batch = _snapshot_batch(device, body)
        except wire.Truncated:
            reading.pending += 1
            return None
        except _SNAPSHOT_ERRORS:
            return None
        reading.batches.append(batch)
        state.applied[device] = positions[device]
        return positions[device]
    return None
