"""Reading the device logs in the sync folder: each device's batches in order, checked
(seal, signature, place, chain), what they say about devices and keys learned, and files that
cannot be taken yet listed (docs/design.md, "One journal on several computers")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.core.errors import (
    StorageError,
    UsageError,
)
from journal_app.core.sync import folder as layout
from journal_app.core.sync import wire
from journal_app.core.sync.base import (
    ROUNDS,
    Batch,
    Progress,
    Reading,
    Skipped,
    SyncDamagedError,
    SyncError,
    check_name,
)
from journal_app.core.sync.snapshots import rebase
from journal_app.core.sync.state import (
    Device,
    SyncState,
    unb64,
)


def unwrap_for(x_key: bytes, wrapped: str, info: bytes) -> bytes:
    raw = unb64(wrapped)
    eph = X25519PublicKey.from_public_bytes(raw[:32])
    shared = X25519PrivateKey.from_private_bytes(x_key).exchange(eph)
    kek = HKDF(hashes.SHA256(), 32, None, b"journal-app sync epoch v1" + info).derive(shared)
    return AESGCM(kek).decrypt(raw[32:44], raw[44:], info)


# ====================================================================== reading the logs


def _read_candidate(cand: layout.Candidate) -> bytes | None:
    try:
        with open(cand.path, "rb") as fh:
            return fh.read(wire.HEAD_LEN + wire.MAX_BATCH + 16 + wire.SIG_LEN + 1)
    except FileNotFoundError:
        return None  # deleted by the service meanwhile: the next sync looks again
    except OSError:
        raise StorageError("The sync folder cannot be read.") from None


def _take(state: SyncState, device: str, seq: int, cands: list[layout.Candidate],
          prev: bytes, reading: Reading) -> tuple[bytes, bytes, dict[str, Any]] | None:
    """The one valid file among the candidates for ``seq`` of ``device``: (data, hash, body),
    or None when none is complete yet (or its epoch's key is not known yet).

    Raises:
        SyncDamagedError: a complete candidate is altered, forged, misplaced, out of its
            chain, or two different valid files claim the same number (a forked log).
    """
    valid: dict[bytes, tuple[bytes, dict[str, Any]]] = {}
    waiting = False
    halves: list[Skipped] = []
    for cand in cands:
        data = _read_candidate(cand)
        if data is None:
            continue
        try:
            head = wire.read_head(data)
        except wire.Truncated:
            halves.append(Skipped(cand.label, "not fully copied yet; taken next time"))
            waiting = True
            continue
        except wire.Damaged as exc:
            raise SyncDamagedError(f"{exc} Nothing was changed.") from None
        if head.journal != state.journal or head.device.hex() != device or head.seq != seq:
            raise SyncDamagedError("A file in the sync folder does not belong where it is (moved "
                                   "or forged). Nothing was changed.")
        key = state.keys.get(head.epoch)
        if key is None:
            waiting = True  # a newer epoch: its key comes in another device's log
            continue
        try:
            body = wire.open_batch(data, head, key)
        except wire.Damaged as exc:
            raise SyncDamagedError(f"{exc} Nothing was changed.") from None
        hello = body.get("hello")
        known = state.devices.get(device)
        if known is not None:
            sign = known.sign
        elif seq == 1 and isinstance(hello, dict):
            try:
                sign = unb64(hello["sign"], 32)
            except (KeyError, ValueError):
                raise SyncDamagedError("A file in the sync folder is damaged.") from None
        else:
            raise SyncDamagedError("A file in the sync folder comes from a device that never "
                                   "announced itself. Nothing was changed.")
        try:
            wire.check_signature(data, sign)
        except wire.Damaged as exc:
            raise SyncDamagedError(f"{exc} Nothing was changed.") from None
        if head.prev != prev:
            raise SyncDamagedError(
                "A file in the sync folder does not follow its device's previous file: it was "
                "replayed, reordered or rolled back, or that device's journal was restored "
                "from an old copy. Nothing was changed.")
        valid[wire.file_hash(data)] = (data, body)
    if len(valid) > 1:
        raise SyncDamagedError(
            "A device wrote two different files with the same number (its journal was restored "
            "from an old copy and went on writing). Nothing was changed.")
    if not valid:
        if waiting:
            reading.pending += 1
            reading.skipped.extend(halves)
        return None
    digest, (data, body) = next(iter(valid.items()))
    return data, digest, body


def _learn(state: SyncState, batch: Batch) -> None:
    """What a batch tells about the devices and keys (before its records are merged)."""
    body = batch.body
    hello = body.get("hello")
    if batch.seq == 1 and isinstance(hello, dict) and batch.device not in state.devices:
        try:
            state.devices[batch.device] = Device(
                check_name(str(hello["name"])), unb64(hello["sign"], 32), unb64(hello["x"], 32),
                state.revoked.get(batch.device))
        except (KeyError, ValueError, UsageError):
            raise SyncDamagedError("A file in the sync folder is damaged.") from None
    at = body.get("at")
    if isinstance(at, int) and batch.device in state.devices:
        state.devices[batch.device].last_seen = at
    for key, store in (("acks", state.acks), ("snap", state.snaps)):
        value = body.get(key)
        if isinstance(value, dict) and all(isinstance(v, int) for v in value.values()):
            store[batch.device] = {str(d): int(v) for d, v in value.items()}
    for op in body["ops"]:
        if isinstance(op, dict) and op.get("t") == "leave":
            # The device stopped syncing: nothing of its after this batch, and it no longer
            # holds back the removal of old files.
            state.revoked.setdefault(batch.device, batch.seq)
            if batch.device in state.devices:
                state.devices[batch.device].revoked_after = state.revoked[batch.device]
            continue
        if not isinstance(op, dict) or op.get("t") != "epoch":
            continue
        try:
            epoch = int(op["epoch"])
            revoked = str(op["revoke"])
            after = int(op["after"])
            wrapped = op["keys"]
            if not isinstance(wrapped, dict):
                raise ValueError
        except (KeyError, ValueError, TypeError):
            raise SyncDamagedError("A file in the sync folder is damaged.") from None
        # Noted, not acted on here: a removal read in a removed device's own later file is
        # dropped when the logs are read again (see read_logs).
        state.revoked.setdefault(revoked, after)
        if revoked in state.devices:
            state.devices[revoked].revoked_after = state.revoked[revoked]
        mine = wrapped.get(state.device)
        if isinstance(mine, str) and epoch not in state.keys:
            try:
                state.keys[epoch] = unwrap_for(state.x_key, mine, state.journal)
            except (InvalidTag, ValueError, TypeError):
                raise SyncDamagedError("A file in the sync folder is damaged.") from None
            state.epoch = max(state.epoch, epoch)


def read_logs(folder: Path, state: SyncState, progress: Progress | None,
               ) -> tuple[SyncState, Reading]:
    """Every complete, valid batch past what this device has taken, in order per device, and
    the state as it is after them (devices, keys, how far each log was read). A removal read
    in one device's log refuses the removed device's later files even when that log was read
    first: then the logs are read again, knowing it."""
    revoked: dict[str, int] = {}
    for _attempt in range(ROUNDS):
        working = state.working_copy()
        reading = _read_all(folder, working, progress, revoked)
        learned = working.revoked
        late = [b for b in reading.batches
                if b.device in learned and b.seq > learned[b.device]
                and revoked.get(b.device) != learned[b.device]]
        if not late:
            return working, reading
        revoked.update(learned)
    raise SyncError("The sync folder's list of devices keeps changing; try again later.")


def _read_all(folder: Path, state: SyncState, progress: Progress | None,
              revoked: dict[str, int]) -> Reading:
    reading = Reading()
    total = waiting_files(folder, state) if progress is not None else 0
    for _round in range(ROUNDS):
        reading.skipped.clear()
        reading.pending = 0
        moved = False
        for device in layout.devices_in(folder):
            if device == state.device:
                after, prev = state.next_seq - 1, state.last_hash
            else:
                after, prev = state.applied.get(device, (0, wire.ZERO_HASH))
            cands = layout.candidates(folder, device, after)
            seq = after + 1
            if device != state.device and seq not in cands:
                rebased = rebase(folder, state, device, after, reading)
                if rebased is not None:
                    (after, prev), moved = rebased, True
                    cands = layout.candidates(folder, device, after)
                    seq = after + 1
            while seq in cands:
                limit = revoked.get(device, state.revoked.get(device))
                if limit is not None and seq > limit:
                    for cand in cands[seq]:
                        reading.skipped.append(Skipped(cand.label, "from a removed device"))
                    break
                taken = _take(state, device, seq, cands[seq], prev, reading)
                if taken is None:
                    break
                _data, digest, body = taken
                batch = Batch(device, seq, digest, body)
                _learn(state, batch)
                reading.batches.append(batch)
                if device == state.device:
                    state.next_seq, state.last_hash = seq + 1, digest
                else:
                    state.applied[device] = (seq, digest)
                prev, seq, moved = digest, seq + 1, True
                if progress is not None:
                    progress(len(reading.batches), max(total, len(reading.batches)))
        if not moved:
            break
    return reading


def pending_files(state: SyncState) -> int:
    """Files in the folder this device has not taken yet (late, half-copied, or waiting)."""
    return waiting_files(Path(state.folder), state)


def waiting_files(folder: Path, state: SyncState) -> int:
    count = 0
    for device in layout.devices_in(folder):
        after = state.next_seq - 1 if device == state.device else state.applied.get(
            device, (0, b""))[0]
        count += len(layout.candidates(folder, device, after))
    return count
