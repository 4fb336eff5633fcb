"""The vault's key slots: the data key wrapped under the passphrase and under the recovery key.

Each slot is stored twice (``.a`` and ``.b``), so one damaged copy is not a lost journal. These
functions read, check and write the slots of one store; the journal service
(:mod:`~journal_app.core.vault.journal`) calls them for unlocking, recovering and changing the
passphrase. Re-encrypting everything under a new data key is
:mod:`~journal_app.core.vault.rotation`.
"""

from __future__ import annotations

import secrets

from journal_app.core.errors import UsageError, VaultDamagedError, WrongRecoveryKeyError
from journal_app.core.vault.crypto import (
    DEFAULT_KDF,
    KdfParams,
    KeySlot,
    OpenError,
    RecordCipher,
    derive_passphrase_key,
    format_recovery_key,
    new_recovery_key,
    parse_recovery_key,
    passphrase_slot,
    recovery_kek,
    recovery_slot,
)
from journal_app.core.vault.manifest import Manifest
from journal_app.core.vault.quickopen import DerivedKey, Prefetched
from journal_app.core.vault.store import ReadTransaction, Store

#: ``meta`` keys of the two copies of each slot.
SLOT_KEYS = {
    "passphrase": ("slot.passphrase.a", "slot.passphrase.b"),
    "recovery": ("slot.recovery.a", "slot.recovery.b"),
}
REPLACED_RECOVERY_KEY = (
    "That recovery key was replaced by a newer one (it still opens backups made before), or "
    "the journal was altered: it opens none of the journal's records."
)


def new_vault_meta(
    passphrase: str, kdf: KdfParams
) -> tuple[dict[str, bytes], RecordCipher, str]:
    """The ``meta`` of a new vault (its id, both copies of both slots, an empty manifest), its
    cipher, and its recovery key to show once."""
    vault_id = secrets.token_bytes(16)
    data_key = secrets.token_bytes(32)
    rkey = new_recovery_key()
    p_slot = passphrase_slot(passphrase, data_key, vault_id, kdf).to_bytes()
    r_slot = recovery_slot(rkey, data_key, vault_id).to_bytes()
    cipher = RecordCipher(data_key, vault_id)
    meta = {
        "vault_id": vault_id,
        **dict.fromkeys(SLOT_KEYS["passphrase"], p_slot),
        **dict.fromkeys(SLOT_KEYS["recovery"], r_slot),
        "seq": b"0",
        "manifest": Manifest().seal(cipher),
    }
    return meta, cipher, format_recovery_key(rkey)


def read_slot(store: Store, kind: str) -> KeySlot:
    """The first intact copy of a key slot (``kind``: "passphrase" or "recovery").

    Raises:
        VaultDamagedError: both copies are damaged (never reported as a wrong passphrase).
    """
    keys = SLOT_KEYS[kind]
    stored = store.get_meta(keys)
    damage: VaultDamagedError | None = None
    for key in keys:
        if key not in stored:
            continue
        try:
            return KeySlot.from_bytes(stored[key])
        except VaultDamagedError as exc:
            damage = exc
    raise damage or VaultDamagedError(f"The {kind} key slot of the journal is missing.")


def passphrase_kdf(store: Store) -> KdfParams | None:
    """The key derivation settings of the passphrase slot; None when both copies are damaged."""
    try:
        return read_slot(store, "passphrase").kdf
    except VaultDamagedError:
        return None


def slot_problems(store: Store, rx: ReadTransaction | None = None) -> list[str]:
    """Key-slot copies that are damaged (the other copy may still work), read in ``rx`` if
    given."""
    problems = []
    for kind, keys in SLOT_KEYS.items():
        stored = rx.get_meta(keys) if rx is not None else store.get_meta(keys)
        for key in keys:
            try:
                KeySlot.from_bytes(stored[key])
            except (KeyError, VaultDamagedError):
                problems.append(f"A copy of the {kind} key slot is damaged or missing.")
    return problems


def passphrase_data_key(
    store: Store, vault_id: bytes, passphrase: str, derived: DerivedKey | None = None
) -> tuple[bytes | None, Prefetched | None]:
    """The data key ``passphrase`` opens (None: it opens nothing), and what was read beside the
    key derivation. ``derived`` is a key already derived from this passphrase (see
    ``quickopen``); it is used only if it was derived for this slot's salt and parameters.

    Raises:
        VaultDamagedError: the slot is damaged.
    """
    slot = read_slot(store, "passphrase")
    kdf = slot.kdf
    assert kdf is not None
    if derived is not None and (derived.salt, derived.memory_kib, derived.iterations,
                                derived.lanes) == (slot.salt, kdf.memory_kib,
                                                   kdf.iterations, kdf.lanes):
        return slot.unwrap(derived.kek, vault_id), derived.prefetched
    return slot.unwrap(derive_passphrase_key(passphrase, slot.salt, kdf), vault_id), None


def recovery_data_key(store: Store, vault_id: bytes, recovery_key_text: str) -> bytes:
    """The data key the recovery key opens.

    Raises:
        MistypedRecoveryKeyError: the text is not a well-formed recovery key.
        WrongRecoveryKeyError: it opens no slot, or its slot was copied from an old backup
            (the key was replaced since).
    """
    rkey = parse_recovery_key(recovery_key_text)
    slot = read_slot(store, "recovery")
    data_key = slot.unwrap(recovery_kek(rkey, slot.salt), vault_id)
    if data_key is None:
        raise WrongRecoveryKeyError()
    if not key_opens_vault(store, vault_id, data_key):
        # Its slot was copied from an old backup into this file: the key was rotated.
        raise WrongRecoveryKeyError(REPLACED_RECOVERY_KEY)
    return data_key


def key_opens_vault(store: Store, vault_id: bytes, data_key: bytes) -> bool:
    """Whether ``data_key`` opens this journal's manifest or, without one, its records (a
    key slot copied from an old backup gives a key that opens neither)."""
    cipher = RecordCipher(data_key, vault_id)
    blob = store.get_meta(["manifest"]).get("manifest")
    if blob is not None:
        try:
            cipher.open_meta("manifest", blob)
            return True
        except OpenError:
            pass
    rows = store.id_seqs()[:5]
    if not rows:
        return blob is None
    for row in store.records(ids=[r[0] for r in rows]):
        try:
            cipher.open(row.id, row.kind, row.schema_version, row.seq, row.blob)
            return True
        except OpenError:
            continue
    return False


def new_slot_kdf(store: Store, passphrase: str, kdf: KdfParams | None) -> KdfParams:
    """The settings for a new passphrase slot: ``kdf``, else those of the slot now (or the
    default when both its copies are damaged, as when recovering).

    Raises:
        UsageError: the new passphrase is empty.
    """
    if not passphrase:
        raise UsageError("The passphrase must not be empty.")
    return kdf or passphrase_kdf(store) or DEFAULT_KDF


def write_passphrase_slot(
    store: Store, vault_id: bytes, data_key: bytes, passphrase: str, kdf: KdfParams
) -> None:
    """Wrap ``data_key`` under ``passphrase`` into both copies of the passphrase slot, in one
    transaction: a crash leaves either the old or the new passphrase working."""
    slot = passphrase_slot(passphrase, data_key, vault_id, kdf).to_bytes()
    with store.write() as tx:
        for key in SLOT_KEYS["passphrase"]:
            tx.set_meta(key, slot)
