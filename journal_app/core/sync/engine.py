"""Sync: set up, join, send and take in changes, list and remove devices, leave.

Every function works on an unlocked :class:`~journal_app.core.vault.journal.Journal`, asks
nothing and prints nothing: results and progress are data (:class:`SyncResult`,
:class:`Status`, ``progress(done, total)``), so the command line and the app's worker thread
call the same code. The protocol: docs/design.md, "One journal on several computers".
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.core.errors import (
    JournalError,
    NotFoundError,
    StorageError,
    UsageError,
    WrongPassphraseError,
)
from journal_app.core.records import codec
from journal_app.core.records.model import AppState, Record, decode_record
from journal_app.core.sync import folder as layout
from journal_app.core.sync import wire
from journal_app.core.sync.base import (
    APP_STATE,
    BATCH_TARGET,
    DEFAULT_PARAMS,
    FOLDER_KDF,
    GOOD,
    LOCAL_KINDS,
    MAX_NAME,
    MIN_FOLDER_MEMORY_KIB,
    NOT_SET_UP,
    DeviceInfo,
    Progress,
    Reading,
    Skipped,
    Status,
    SyncDamagedError,
    SyncError,
    SyncParams,
    SyncResult,
    check_name,
)
from journal_app.core.sync.clock import Clock, Stamp, parse
from journal_app.core.sync.logs import pending_files, read_logs
from journal_app.core.sync.merge import (
    ListMarks,
    Outcome,
    Version,
    canonical,
    merge_fields,
    merge_record,
    survivor,
)
from journal_app.core.sync.snapshots import load_snapshot, snapshot_and_compact
from journal_app.core.sync.state import (
    BLOB,
    Device,
    SyncState,
    b64,
    marks_from,
    marks_json,
    unb64,
)
from journal_app.core.vault.crypto import (
    KdfParams,
    OpenError,
    derive_passphrase_key,
    passphrase_slot,
)
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.keyslots import read_slot
from journal_app.core.vault.passwords import assess

# ====================================================================== small helpers


def _raw(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def _pub(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


def load_state(journal: Journal) -> SyncState | None:
    blob = journal.sealed_blob(BLOB)
    return None if blob is None else SyncState.from_bytes(blob)


def _state(journal: Journal) -> SyncState:
    state = load_state(journal)
    if state is None:
        raise SyncError(NOT_SET_UP)
    return state


def default_name() -> str:
    """This computer's name as the system gives it (shown only inside the sync folder's
    ciphertext)."""
    import platform

    return check_name(platform.node() or "This computer")[:MAX_NAME]


def fingerprint(journal_id: bytes, founder_sign: bytes) -> str:
    """Eight groups of four digits that name the synced journal (compare them by voice)."""
    import hashlib

    digest = hashlib.sha256(b"journal-app sync journal v1" + journal_id + founder_sign).digest()
    number = int.from_bytes(digest[:16], "big")
    digits = f"{number % 10**32:032d}"
    return " ".join(digits[i : i + 4] for i in range(0, 32, 4))


def read_header(folder: Path) -> wire.FolderHeader:
    path = folder / layout.HEADER_NAME
    try:
        data = path.read_bytes()[: wire.MAX_HEADER + 1]
    except FileNotFoundError:
        raise SyncError("The sync folder is not there or holds no synced journal (is its drive "
                        "connected?).") from None
    except OSError:
        raise SyncError("The sync folder cannot be read.") from None
    if len(data) > wire.MAX_HEADER:
        raise SyncDamagedError("The sync folder's header file is damaged.")
    try:
        return wire.FolderHeader.from_bytes(data)
    except wire.Truncated:
        raise SyncError("The sync folder's header file is not fully copied yet; try again "
                        "later.") from None
    except wire.Damaged as exc:
        raise SyncDamagedError(str(exc)) from None


def _keyring_key(journal_key: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, None, b"journal-app sync keyring v1").derive(journal_key)


def _write_header(folder: Path, state: SyncState, passphrase: str, kdf: KdfParams) -> None:
    """The folder header for the newest epoch: its journal key under the passphrase, and the
    older epochs' keys sealed under it (a device joining later reads every log)."""
    key = state.keys[state.epoch]
    slot = passphrase_slot(passphrase, key, wire.slot_aad_id(state.journal, state.epoch), kdf)
    older = {str(e): b64(k) for e, k in state.keys.items() if e != state.epoch}
    nonce = os.urandom(12)
    ring = nonce + AESGCM(_keyring_key(key)).encrypt(
        nonce, codec.dumps(older), wire.slot_aad_id(state.journal, state.epoch))
    header = wire.FolderHeader(state.journal, state.epoch, slot, state.founder, ring)
    layout.replace_file(folder / layout.HEADER_NAME, header.to_bytes())


def _open_header(header: wire.FolderHeader, passphrase: str) -> dict[int, bytes]:
    """Every epoch's journal key, from the header and the passphrase.

    Raises:
        WrongPassphraseError: the passphrase does not open the folder's slot.
    """
    kdf = header.slot.kdf
    assert kdf is not None
    aad = wire.slot_aad_id(header.journal, header.epoch)
    key = header.slot.unwrap(derive_passphrase_key(passphrase, header.slot.salt, kdf), aad)
    if key is None:
        raise WrongPassphraseError(
            "That passphrase does not open the journal in this sync folder (after a change of "
            "passphrase on another computer, use the new one).")
    keys = {header.epoch: key}
    if header.keyring:
        try:
            plain = AESGCM(_keyring_key(key)).decrypt(header.keyring[:12], header.keyring[12:],
                                                       aad)
            keys.update({int(e): unb64(k, 32) for e, k in codec.loads(plain).items()})
        except (InvalidTag, ValueError, TypeError, AttributeError):
            raise SyncDamagedError("The sync folder's header file is damaged.") from None
    return keys


def _wrap_for(x_public: bytes, key: bytes, info: bytes) -> str:
    eph = X25519PrivateKey.generate()
    shared = eph.exchange(X25519PublicKey.from_public_bytes(x_public))
    kek = HKDF(hashes.SHA256(), 32, None, b"journal-app sync epoch v1" + info).derive(shared)
    nonce = os.urandom(12)
    return b64(_pub(eph) + nonce + AESGCM(kek).encrypt(nonce, key, info))



# ====================================================================== local changes


def _local_ops(journal: Journal, state: SyncState, clock: Clock,
               ) -> tuple[list[dict[str, Any]], dict[str, Version], dict[str, Any] | None]:
    """This vault's changes since the last sync, as ops with fresh stamps; the same as
    versions (the merge's "current"); and the app state changed here (payload), if it did."""
    rows = journal.store.id_seqs()
    present = {i for i, _k, _v, _s in rows}
    changed = [i for i, kind, _v, seq in rows if seq > state.counter and kind not in LOCAL_KINDS]
    ops: list[dict[str, Any]] = []
    versions: dict[str, Version] = {}
    app_state: dict[str, Any] | None = None
    found: list[tuple[int, str, str, int, dict[str, Any]]] = []
    for start in range(0, len(changed), 500):
        for row in journal.store.records(ids=changed[start : start + 500]):
            try:
                payload = codec.loads(journal.cipher.open(row.id, row.kind, row.schema_version,
                                                          row.seq, row.blob))
            except (OpenError, codec.CodecError):
                continue  # a damaged record is not sent; verify names it
            found.append((_edited_ms(payload, clock), row.id, row.kind, row.schema_version,
                          payload))
    # Stamped in the order they were made: an entry's stamp is its edit's time, not the
    # time of this sync (which stamps the records with no time of their own).
    found.sort(key=lambda f: (f[0], f[1]))
    for edited, record_id, kind, schema, payload in found:
        stamp = clock.tick_at(edited)
        if kind == APP_STATE:
            app_state = payload
            _note_state_change(state, payload, stamp)
            ops.append({"t": "state", "v": schema, "p": payload, "c": list(stamp),
                        "f": {n: list(state.fields[n][0]) for n in payload},
                        "adds": marks_json(state.list_adds),
                        "gone": marks_json(state.list_gone)})
            state.stamps[APP_STATE] = stamp
            continue
        base = state.stamps.get(record_id)
        ops.append({"t": "put", "id": record_id, "k": kind, "v": schema, "p": payload,
                    "c": list(stamp), "b": None if base is None else list(base)})
        versions[record_id] = Version(kind, schema, payload, stamp, base)
        state.stamps[record_id] = stamp
    gone = {i: s for i, s in state.stamps.items() if i != APP_STATE and i not in present}
    if gone:
        stamp = clock.tick()
        ops.append({"t": "purge", "c": list(stamp),
                    "ids": {i: list(s) for i, s in gone.items()}})
        for record_id, version_stamp in gone.items():
            state.purged[record_id] = (version_stamp, stamp)
            del state.stamps[record_id]
    return ops, versions, app_state


def _listed(entry: tuple[Stamp, str] | None) -> list[Any] | None:
    """The list a field held when last noted (None: it was not a list)."""
    if entry is None:
        return None
    value = json.loads(entry[1])
    return value if isinstance(value, list) else None


def _note_state_change(state: SyncState, payload: dict[str, Any], stamp: Stamp) -> None:
    """Stamp the app-state fields that changed here, and the list items added and removed."""
    names = [*payload, *(n for n in state.fields if n not in payload
                         and _listed(state.fields[n]) is not None)]
    for name in names:
        before = _listed(state.fields.get(name))
        value = payload.get(name, [] if before is not None else None)
        text = canonical(value)
        if name in state.fields and state.fields[name][1] == text:
            continue
        if isinstance(value, list):
            old = {canonical(i) for i in before or []}
            new = {canonical(i) for i in value}
            for item in new - old:
                state.list_adds.setdefault(name, {})[item] = stamp
            for item in old - new:
                state.list_gone.setdefault(name, {})[item] = stamp
        state.fields[name] = (stamp, text)


def _edited_ms(payload: dict[str, Any], clock: Clock) -> int:
    """When a record was last changed, by its own ``updated`` (entries), else now."""
    from datetime import datetime

    value = payload.get("updated")
    if isinstance(value, str):
        try:
            return int(datetime.fromisoformat(value).timestamp() * 1000)
        except (ValueError, OverflowError):
            pass
    return clock.now()


def _batches_of(ops: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Ops split into batches of about :data:`BATCH_TARGET` bytes; each attachment's image in
    a file of its own, before the rest (a device takes another's files in order, so an
    attachment never arrives before its image)."""
    images = [op for op in ops if op.get("k") == "attachment-data"]
    ops = [op for op in ops if op.get("k") != "attachment-data"]
    out: list[list[dict[str, Any]]] = [[]]
    size = 0
    for op in ops:
        n = len(codec.dumps(op))
        if out[-1] and size + n > BATCH_TARGET:
            out.append([])
            size = 0
        out[-1].append(op)
        size += n
    if not out[-1] and images:
        out.pop()
    return [*([image] for image in images), *out]


def _write_batches(folder: Path, state: SyncState, groups: list[list[dict[str, Any]]],
                   clock: Clock, hello: bool) -> int:
    """Write this device's batches; returns how many files."""
    signer = Ed25519PrivateKey.from_private_bytes(state.sign_key)
    written = 0
    for ops in groups:
        body: dict[str, Any] = {"ops": ops, "at": clock.tick()[0],
                                "acks": {d: seq for d, (seq, _h) in state.applied.items()}}
        if state.device in state.snaps:
            body["snap"] = state.snaps[state.device]
        if hello and state.next_seq == 1:
            body["hello"] = {"name": state.name, "sign": b64(_pub(signer)),
                             "x": b64(_pub(X25519PrivateKey.from_private_bytes(state.x_key)))}
        epoch = max(e for e in state.keys if e <= state.epoch)
        data = wire.seal_batch(state.journal, bytes.fromhex(state.device), epoch,
                               state.next_seq, state.last_hash, state.keys[epoch], signer, body)
        path = layout.device_dir(folder, state.device) / layout.batch_name(state.next_seq)
        try:
            layout.write_once(path, data)
        except FileExistsError:
            raise SyncError("Another sync of this journal ran at the same time; nothing was "
                            "lost. Run 'journal-app sync now' again.") from None
        state.next_seq += 1
        state.last_hash = wire.file_hash(data)
        written += 1
    return written


# ====================================================================== merging


def stamp_of(value: Any) -> Stamp | None:
    try:
        return parse(value)
    except ValueError:
        return None


def _merge(journal: Journal, state: SyncState, reading: Reading, mine: dict[str, Version],
           clock: Clock, result: SyncResult,
           ) -> tuple[list[Record], list[str], list[dict[str, Any]]]:
    """The records to store and the ids to remove for everything read (and this device's own
    changes, which compete with them), and the records the merge made as ops to send on."""
    incoming: dict[str, list[Version]] = {}
    states: list[tuple[Stamp, dict[str, Any], int, dict[str, Stamp], ListMarks]] = []
    purges: list[tuple[str, Stamp, Stamp]] = []
    for batch in reading.batches:
        for op in batch.body["ops"]:
            if not isinstance(op, dict):
                raise SyncDamagedError("A file in the sync folder is damaged.")
            kind = op.get("t")
            stamp = stamp_of(op.get("c"))
            if kind in ("put", "state", "purge") and stamp is None:
                raise SyncDamagedError("A file in the sync folder is damaged.")
            if stamp is not None:
                clock.seen(stamp)
            if kind == "put":
                rid, rkind = op.get("id"), op.get("k")
                payload, schema = op.get("p"), op.get("v")
                if (not isinstance(rid, str) or not isinstance(rkind, str)
                        or not isinstance(payload, dict) or not isinstance(schema, int)):
                    raise SyncDamagedError("A file in the sync folder is damaged.")
                if rkind in LOCAL_KINDS or rkind == APP_STATE:
                    continue  # the app state travels as a "state" op, merged per field
                assert stamp is not None
                version = Version(rkind, schema, payload, stamp, stamp_of(op.get("b")))
                incoming.setdefault(rid, []).append(version)
            elif kind == "state":
                payload, schema = op.get("p"), op.get("v")
                if not isinstance(payload, dict) or not isinstance(schema, int):
                    raise SyncDamagedError("A file in the sync folder is damaged.")
                assert stamp is not None
                fields = op.get("f")
                if not isinstance(fields, dict):
                    raise SyncDamagedError("A file in the sync folder is damaged.")
                field_stamps = {str(n): stamp_of(v) or (0, 0, "") for n, v in fields.items()}
                try:
                    their = ListMarks(marks_from(op.get("adds", {})),
                                      marks_from(op.get("gone", {})))
                except (ValueError, TypeError, AttributeError):
                    raise SyncDamagedError("A file in the sync folder is damaged.") from None
                states.append((stamp, payload, schema, field_stamps, their))
            elif kind == "purge":
                ids = op.get("ids")
                if not isinstance(ids, dict):
                    raise SyncDamagedError("A file in the sync folder is damaged.")
                assert stamp is not None
                for rid, vstamp in ids.items():
                    parsed = stamp_of(vstamp)
                    if parsed is None:
                        raise SyncDamagedError("A file in the sync folder is damaged.")
                    purges.append((str(rid), parsed, stamp))
    out = Outcome()
    # The current version of every record something arrived for.
    touched = sorted({*incoming, *(p[0] for p in purges)})
    current: dict[str, Version] = dict(mine)
    wanted = [i for i in touched if i not in current]
    for start in range(0, len(wanted), 500):
        for row in journal.store.records(ids=wanted[start : start + 500]):
            try:
                payload = codec.loads(journal.cipher.open(row.id, row.kind, row.schema_version,
                                                          row.seq, row.blob))
            except (OpenError, codec.CodecError):
                continue
            stamp = state.stamps.get(row.id) or (0, 0, "")
            current[row.id] = Version(row.kind, row.schema_version, payload, stamp)
    # Purges first: a put of a purged version is dropped, a later one survives in the trash.
    for rid, vstamp, pstamp in purges:
        if rid in state.purged:
            continue
        state.purged[rid] = (vstamp, pstamp)
        have = current.get(rid)
        if have is not None and have.stamp > vstamp and have.kind in ("entry", "reflection"):
            sid, rec = survivor(rid, have, pstamp)
            out.puts[sid] = rec
            out.stamps[sid] = have.stamp
            out.made.add(sid)
        if have is not None:
            out.deletes.add(rid)
            current.pop(rid, None)
            state.stamps.pop(rid, None)
            out.received += 1
    for rid, versions in incoming.items():
        gone = state.purged.get(rid)
        if gone is not None:
            for version in versions:
                if version.stamp > gone[0] and version.kind in ("entry", "reflection"):
                    sid, rec = survivor(rid, version, gone[1])
                    out.puts[sid] = rec
                    out.stamps[sid] = version.stamp
                    out.made.add(sid)
            continue
        merge_record(rid, current.get(rid), versions, out)
    # The app state, field by field.
    local_state = journal.app_state()
    if states:
        merged = local_state.payload()
        original = dict(merged)
        stamps = {n: st for n, (st, _h) in state.fields.items()}
        marks = ListMarks(state.list_adds, state.list_gone)
        for stamp, payload, schema, field_stamps, their in sorted(states, key=lambda s: s[0]):
            try:
                other = decode_record(APP_STATE, schema, local_state.id, payload).payload()
            except (codec.CodecError, ValueError, TypeError):
                result.skipped.append(Skipped("app state", "from a newer version of "
                                              "journal-app; not taken"))
                continue
            marks = marks.merged(their)
            merged, stamps = merge_fields(merged, stamps, other, field_stamps, marks)
            state.stamps[APP_STATE] = max(state.stamps.get(APP_STATE, stamp), stamp)
        state.fields = {n: (stamps[n], canonical(merged[n])) for n in merged}
        state.list_adds, state.list_gone = marks.adds, marks.gone
        if merged != original or not journal.store.id_seqs([APP_STATE]):
            # (stored even when it is the default: every device then holds one)
            out.puts[local_state.id] = (APP_STATE, AppState.SCHEMA_VERSION, merged)
    records: list[Record] = []
    for rid, (kind, schema, payload) in out.puts.items():
        if rid in mine and mine[rid].payload is payload:
            continue  # this device's own current version: stored already
        try:
            records.append(decode_record(kind, schema, rid, payload))
        except (codec.CodecError, ValueError, TypeError):
            result.skipped.append(Skipped(f"record {rid[:8]}", "from a newer version of "
                                          "journal-app, or damaged; not taken"))
            out.stamps.pop(rid, None)
    for rid, stamp in out.stamps.items():
        state.stamps[rid] = stamp
    result.received += out.received
    result.conflicts_kept += out.conflicts
    made = [{"t": "put", "id": rid, "k": out.puts[rid][0], "v": out.puts[rid][1],
             "p": out.puts[rid][2], "c": list(out.stamps[rid]), "b": None}
            for rid in sorted(out.made) if rid in out.stamps]
    return records, sorted(out.deletes), made


# ====================================================================== the operations


class _Moved(Exception):
    """Another program wrote to the vault while we merged: start again."""


def sync_now(journal: Journal, passphrase: str | None = None,
             params: SyncParams = DEFAULT_PARAMS, progress: Progress | None = None,
             extra_ops: list[dict[str, Any]] | None = None,
             on_state: Callable[[SyncState], None] | None = None,
             force_snapshot: bool = False) -> SyncResult:
    """Send this device's new changes and take in every other device's.

    ``progress(done, total)`` is called after each file taken in (``total``: the files
    waiting when the reading began) and once at the end with ``done == total``; it may run in
    a worker thread. If it raises, nothing is applied.

    Late, reordered, conflict-copy and half-copied files are normal: what cannot be taken yet
    is listed in ``skipped`` and taken next time. With ``passphrase`` (the vault's), a change of
    passphrase made here since the last sync is carried to the folder's slot.

    Raises:
        SyncError: not set up, the folder is missing or holds another journal.
        SyncDamagedError: a file is altered, forged, replayed or forked (nothing applied).
        StorageError: the folder's or the vault's disk refused a write (nothing applied).
    """
    for _attempt in range(3):
        try:
            return _sync_once(journal, passphrase, params, progress, extra_ops, on_state,
                              force_snapshot)
        except _Moved:
            extra_ops = None  # they were written; the next round reads them back
            on_state = None
            continue
    raise SyncError("The journal kept changing while it synced; run 'journal-app sync now' "
                    "again.")


def _sync_once(journal: Journal, passphrase: str | None, params: SyncParams,
               progress: Progress | None, extra_ops: list[dict[str, Any]] | None,
               on_state: Callable[[SyncState], None] | None,
               force_snapshot: bool = False) -> SyncResult:
    result = SyncResult()
    state = _state(journal)
    counter_seen = journal.write_counter()
    folder = Path(state.folder)
    header = read_header(folder)
    if header.journal != state.journal:
        raise SyncError("The sync folder holds another journal (or was replaced); nothing was "
                        "changed.")
    if state.devices.get(state.device, None) is not None and \
            state.devices[state.device].revoked_after is not None:
        raise SyncError("This computer was removed from the synced journal; run "
                        "'journal-app sync leave'.")
    clock = Clock(state.device, *state.clock, now=params.clock)
    snapshot = None
    if state.next_seq == 1 and not state.applied:
        snapshot = load_snapshot(folder, state, result)  # a new device: no years of logs
    state, reading = read_logs(folder, state, progress)
    if state.device in state.revoked:
        raise SyncError(
            "This computer was removed from the synced journal on another computer; its "
            "journal stays here. Run 'journal-app sync leave'.")
    if snapshot is not None:
        reading.batches.insert(0, snapshot)
    if header.epoch not in state.keys:
        raise SyncError(
            "The synced journal's key was renewed and this computer has not received it: it "
            "was removed from the synced journal on another computer, or the file that "
            "carries the new key has not arrived yet (try again later).")
    result.skipped.extend(reading.skipped)
    ops, mine, _app = _local_ops(journal, state, clock)
    ops.extend(extra_ops or [])
    if on_state is not None:
        on_state(state)
    records, deletes, made = _merge(journal, state, reading, mine, clock, result)
    ops.extend(made)
    first = state.next_seq == 1
    if ops or first:
        groups = _batches_of(ops)
        _write_batches(folder, state, groups, clock, hello=first)
        result.sent = sum(1 for op in ops if op.get("t") in ("put", "state", "purge"))
    if passphrase is not None and header.epoch <= state.epoch:
        salt = read_slot(journal.store, "passphrase").salt.hex()
        if state.slot_salt != salt:
            _write_header(folder, state, passphrase, params.folder_kdf)
            state.slot_salt = salt
    state.clock = (clock.wall, clock.counter)
    state.last_sync = params.clock()
    state.conflicts_kept += result.conflicts_kept

    def build(seq: int) -> bytes:
        if seq != counter_seen + 1:
            raise _Moved
        state.counter = seq
        return state.to_bytes()

    journal.write_with_blob(records, deletes, BLOB, build)
    snapshot_and_compact(journal, state, folder, params, force=force_snapshot)
    if progress is not None:
        done = len(reading.batches)
        progress(done, done)
    return result


def setup(journal: Journal, folder: Path, name: str | None, passphrase: str,
          params: SyncParams = DEFAULT_PARAMS, progress: Progress | None = None) -> Status:
    """Start syncing this journal through ``folder`` (missing or empty: only the sync services'
    own files may be there). The passphrase must be rated Good: the folder's slot, in the sync
    service's hands, can be tried offline.

    Raises:
        SyncError: already set up, the folder holds something, or the passphrase is weaker
            than Good.
    """
    if load_state(journal) is not None:
        raise SyncError("This journal syncs already ('journal-app sync status' says where).")
    strength = assess(passphrase)
    if strength.score < GOOD:
        raise SyncError(
            f"Sync needs a passphrase rated Good or better (this one is {strength.label}): the "
            "sync folder's copy of the key can be tried offline by anyone who holds the folder. "
            "Change it with 'journal-app change-passphrase' first.")
    folder = Path(folder).absolute()
    if (folder / layout.HEADER_NAME).exists():
        raise SyncError("That folder holds a synced journal already: on a new computer, use "
                        "'journal-app sync join'.")
    if not layout.holds_only_service_files(folder):
        raise SyncError("The sync folder must be new or empty (it may hold only the sync "
                        "service's own files).")
    if params.folder_kdf.memory_kib < params.vault_kdf.memory_kib:
        raise ValueError("the folder slot must cost at least what the vault's does")
    device = secrets.token_hex(16)
    state = SyncState(
        journal=secrets.token_bytes(16), device=device,
        name=check_name(name) if name else default_name(), folder=str(folder),
        sign_key=_raw(Ed25519PrivateKey.generate()), x_key=_raw(X25519PrivateKey.generate()),
        founder=device, keys={0: secrets.token_bytes(32)},
    )
    state.devices[device] = _own_device(state)
    state.slot_salt = read_slot(journal.store, "passphrase").salt.hex()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise StorageError("The sync folder cannot be made.") from None
    _write_header(folder, state, passphrase, params.folder_kdf)
    journal.write_with_blob([], [], BLOB, lambda _seq: state.to_bytes())
    sync_now(journal, None, params, progress)
    return status(journal)


def _own_device(state: SyncState) -> Device:
    return Device(state.name, _pub(Ed25519PrivateKey.from_private_bytes(state.sign_key)),
                  _pub(X25519PrivateKey.from_private_bytes(state.x_key)))


class Joined(NamedTuple):
    """A journal joined on this computer: its vault, unlocked, and the recovery key of that
    vault (this computer's own: shown once, as when a journal is created; the other
    computers' recovery keys do not open it)."""

    journal: Journal
    recovery_key: str


def join(data_dir: Path, folder: Path, name: str | None, passphrase: str,
         params: SyncParams = DEFAULT_PARAMS, progress: Progress | None = None) -> Joined:
    """Make a new vault in ``data_dir`` (missing or empty) holding the journal synced through
    ``folder``, unlocked with ``passphrase``; returns it unlocked, with its recovery key. The
    vault is built beside ``data_dir`` and moved into place only when complete: a failure
    leaves nothing.

    Raises:
        SyncError: the folder holds no synced journal.
        WrongPassphraseError: the passphrase does not open the folder's slot.
        SyncDamagedError: a file in the folder is damaged or forged.
    """
    data_dir = Path(data_dir).absolute()
    folder = Path(folder).absolute()
    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise SyncError("Joining makes a new journal: give an empty or new data folder (this "
                        "one holds something).")
    header = read_header(folder)
    keys = _open_header(header, passphrase)
    device = secrets.token_hex(16)
    staging = data_dir.with_name(f".{data_dir.name}.join-{secrets.token_hex(4)}")
    journal, recovery_key = Journal.create(staging, passphrase, params.vault_kdf)
    try:
        state = SyncState(
            journal=header.journal, device=device,
            name=check_name(name) if name else default_name(), folder=str(folder),
            sign_key=_raw(Ed25519PrivateKey.generate()),
            x_key=_raw(X25519PrivateKey.generate()), founder=header.founder, keys=keys,
            epoch=header.epoch,
        )
        state.devices[device] = _own_device(state)
        state.slot_salt = read_slot(journal.store, "passphrase").salt.hex()
        journal.write_with_blob([], [], BLOB, lambda _seq: state.to_bytes())
        sync_now(journal, None, params, progress)
        journal.close()
        if data_dir.exists():
            data_dir.rmdir()
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, data_dir)
    except BaseException:
        journal.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    joined = Journal.open(data_dir)
    joined.unlock(passphrase)
    return Joined(joined, recovery_key)


def status(journal: Journal) -> Status:
    state = _state(journal)
    founder = state.devices.get(state.founder)
    devices = [DeviceInfo(d.name, i, d.last_seen, d.revoked_after is not None, i == state.device)
               for i, d in sorted(state.devices.items(), key=lambda kv: kv[1].name.casefold())]
    try:
        pending = pending_files(state)
    except JournalError:
        pending = 0
    return Status(state.folder, state.device, state.name,
                  fingerprint(state.journal, founder.sign) if founder else "",
                  devices, pending, state.last_sync, state.conflicts_kept)


def find_device(state: SyncState, which: str) -> str:
    text = which.strip()
    by_name = [i for i, d in state.devices.items() if d.name.casefold() == text.casefold()]
    by_id = [i for i in state.devices if len(text) >= 6 and i.startswith(text.lower())]
    matches = by_name or by_id
    if not matches:
        raise NotFoundError("No device of this journal has that name or id.")
    if len(matches) > 1:
        raise UsageError("Several devices have that name: give the device's id instead.")
    return matches[0]


def remove_device(journal: Journal, which: str, passphrase: str,
                  params: SyncParams = DEFAULT_PARAMS,
                  progress: Progress | None = None) -> DeviceInfo:
    """Remove a device (a lost laptop): a new key epoch whose journal key only the remaining
    devices receive (each under its own X25519 key), a new folder slot, and the removed
    device's later files refused.

    Raises:
        NotFoundError, UsageError: no such device, or it is this one ('sync leave').
    """
    state = _state(journal)
    target = find_device(state, which)
    if target == state.device:
        raise UsageError("That is this computer: use 'journal-app sync leave' to stop syncing "
                         "here.")
    gone = state.devices[target]
    if gone.revoked_after is not None:
        raise UsageError("That device was removed already.")
    new_epoch = max(state.keys) + 1
    new_key = secrets.token_bytes(32)
    after = state.applied.get(target, (0, b""))[0]
    wrapped = {i: _wrap_for(d.x, new_key, state.journal) for i, d in state.devices.items()
               if d.revoked_after is None and i != target}
    op = {"t": "epoch", "epoch": new_epoch, "revoke": target, "after": after, "keys": wrapped}

    def switch(working: SyncState) -> None:
        working.devices[target].revoked_after = after
        working.revoked[target] = after
        working.keys[new_epoch] = new_key

    sync_now(journal, None, params, progress, extra_ops=[op], on_state=switch)
    # The new epoch's snapshot (sealed under the new key), then the old logs go once every
    # remaining device has acknowledged it.
    sync_now(journal, None, params, progress, force_snapshot=True)
    state = _state(journal)
    state.epoch = new_epoch
    _write_header(Path(state.folder), state, passphrase, params.folder_kdf)
    journal.write_with_blob([], [], BLOB, lambda _seq: state.to_bytes())
    return DeviceInfo(gone.name, target, gone.last_seen, True, False)


def leave(journal: Journal, params: SyncParams = DEFAULT_PARAMS) -> bool:
    """This computer stops syncing: it sends what it has not sent yet and says it leaves (when
    the folder is there; the others then list it as removed and no longer keep old files for
    it), and its sync settings and keys leave the vault (the journal stays). Returns whether
    the others were told (False: the folder could not be reached or read; remove this device
    from another computer then).

    Its own files stay in the folder: the others may still need them."""
    state = _state(journal)
    told = True
    if state.device not in state.revoked:
        try:
            sync_now(journal, None, params, extra_ops=[{"t": "leave"}])
        except JournalError:
            told = False
    journal.write_with_blob([], [], BLOB, lambda _seq: None)
    return told


__all__ = ["DEFAULT_PARAMS", "FOLDER_KDF", "LOCAL_KINDS", "MIN_FOLDER_MEMORY_KIB", "DeviceInfo",
           "Skipped", "Status", "SyncDamagedError", "SyncError", "SyncParams", "SyncResult",
           "join", "leave", "load_state", "remove_device", "setup", "status", "sync_now"]
