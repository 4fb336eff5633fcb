"""Keys and sealing: key slots, the data key, and AES-256-GCM records.

A random 256-bit *data key* encrypts every record. It is stored only wrapped, in two *key slots*:

* the passphrase slot, whose key-encryption key comes from Argon2id with the parameters stored in
  the slot (so they can be raised later);
* the recovery slot, whose key-encryption key comes from a random 128-bit recovery key shown once
  (HKDF-SHA256: the key already has full entropy, a slow KDF would add nothing).

A slot is serialised as JSON with a SHA-256 checksum, and the store keeps two copies. A slot whose
checksum fails is *damaged*; only a slot that is intact but does not decrypt means a wrong
passphrase. The checksum is not a MAC: someone who rewrites a slot and its checksum can only make
the vault refuse to open, which they could do by deleting the file anyway.

Records are sealed with AES-256-GCM and a fresh 96-bit nonce per write. The associated data binds
the vault id, record id, kind, schema version and write sequence, so a ciphertext moved to another
row, another vault, or paired with another sequence number fails to open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.core.errors import MistypedRecoveryKeyError, VaultDamagedError

RECORD_FORMAT = 1
#: Vault-level sealed blobs carrying their write sequence (see :meth:`RecordCipher.seal_meta`).
META_FORMAT = 2
NONCE_LEN = 12
KEY_LEN = 32
SALT_LEN = 16

# Bounds on stored Argon2id parameters, the same as for share packages: a hostile slot must not
# make an unlock attempt cost minutes and gigabytes (4 GiB x 64 iterations is about ten minutes).
# journal-app itself writes 64 MiB, 3 iterations, 4 lanes.
_MAX_MEMORY_KIB = 256 * 1024
_MAX_ITERATIONS = 10
_MAX_LANES = 16
_HOSTILE_KDF = (
    "The passphrase key slot asks for more memory or time than journal-app ever uses, so it was"
    " altered: open the journal with the recovery key or a backup."
)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored in the passphrase slot."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def check(self) -> None:
        if not (8 * self.lanes <= self.memory_kib <= _MAX_MEMORY_KIB):
            raise VaultDamagedError(_HOSTILE_KDF)
        if not (1 <= self.iterations <= _MAX_ITERATIONS and 1 <= self.lanes <= _MAX_LANES):
            raise VaultDamagedError(_HOSTILE_KDF)


#: The default: at least OWASP's Argon2id minimum, about 0.1-0.2 s on a 2-core machine.
DEFAULT_KDF = KdfParams()
#: For tests only: the same code path with cheap parameters (they are stored in the slot).
TEST_KDF = KdfParams(memory_kib=64, iterations=1, lanes=1)


def normalise_passphrase(passphrase: str) -> bytes:
    """Passphrases are compared as NFC UTF-8 so the same words typed on any system match."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_passphrase_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id (version 1.3) of the passphrase, its ``lanes`` computed in as many threads.

    The reference implementation (argon2-cffi) gives the same key as cryptography's Argon2id with
    the same parameters (tests/unit/core/test_kdf_lanes.py) in about half the wall time on two
    free cores; it releases the GIL as cryptography's does. Imported here, so that a command
    loads it in the thread that derives the key, beside the main thread's imports."""
    from argon2.low_level import Type, hash_secret_raw

    params.check()
    return hash_secret_raw(
        normalise_passphrase(passphrase), salt, time_cost=params.iterations,
        memory_cost=params.memory_kib, parallelism=params.lanes, hash_len=KEY_LEN, type=Type.ID,
        version=19,
    )


def hkdf(key: bytes, info: bytes, length: int = KEY_LEN) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(key)


# --------------------------------------------------------------------------------------------
# Recovery keys

_RECOVERY_CHECK = b"journal-app recovery key v1"


def new_recovery_key() -> bytes:
    return secrets.token_bytes(16)


def format_recovery_key(key: bytes) -> str:
    """16 key bytes + a 4-byte checksum as 32 base32 characters in 8 groups of 4."""
    check = hashlib.sha256(_RECOVERY_CHECK + key).digest()[:4]
    text = base64.b32encode(key + check).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes:
    """Read a recovery key typed by a person: case, spaces and dashes ignored.

    Raises:
        MistypedRecoveryKeyError: the text is not a recovery key or its checksum does not match.
    """
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
    # Base32 has no 0, 1 or 8: read them as the letters people confuse them with.
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    if len(cleaned) != 32:
        raise MistypedRecoveryKeyError("A recovery key has 32 characters in 8 groups of 4.")
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        raise MistypedRecoveryKeyError() from None
    key, check = raw[:16], raw[16:]
    if not hmac.compare_digest(hashlib.sha256(_RECOVERY_CHECK + key).digest()[:4], check):
        raise MistypedRecoveryKeyError()
    return key


def recovery_kek(recovery_key: bytes, salt: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=b"journal-app recovery slot"
    ).derive(recovery_key)


# --------------------------------------------------------------------------------------------
# Key slots

SlotKind = Literal["passphrase", "recovery"]


@dataclass(frozen=True)
class KeySlot:
    """The data key wrapped under a key derived from a passphrase or a recovery key."""

    kind: SlotKind
    salt: bytes
    nonce: bytes
    wrapped: bytes
    kdf: KdfParams | None = None

    def _body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "v": 1,
            "kind": self.kind,
            "salt": base64.b64encode(self.salt).decode(),
            "nonce": base64.b64encode(self.nonce).decode(),
            "wrapped": base64.b64encode(self.wrapped).decode(),
        }
        if self.kdf is not None:
            body["kdf"] = {
                "alg": "argon2id",
                "memory_kib": self.kdf.memory_kib,
                "iterations": self.kdf.iterations,
                "lanes": self.kdf.lanes,
            }
        return body

    def to_bytes(self) -> bytes:
        body = json.dumps(self._body(), sort_keys=True, separators=(",", ":"))
        check = hashlib.sha256(body.encode()).hexdigest()
        return json.dumps({"slot": body, "sha256": check}, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> KeySlot:
        """Parse a stored slot.

        Raises:
            VaultDamagedError: the bytes are not an intact slot (checksum, syntax or values).
        """
        try:
            outer = json.loads(data.decode("utf-8"))
            body_text = outer["slot"]
            if not hmac.compare_digest(
                hashlib.sha256(body_text.encode()).hexdigest(), str(outer["sha256"])
            ):
                raise ValueError("checksum")
            body = json.loads(body_text)
            if body["v"] != 1 or body["kind"] not in ("passphrase", "recovery"):
                raise ValueError("version")
            kdf = None
            if "kdf" in body:
                k = body["kdf"]
                if k["alg"] != "argon2id":
                    raise ValueError("kdf")
                kdf = KdfParams(int(k["memory_kib"]), int(k["iterations"]), int(k["lanes"]))
            slot = cls(
                kind=body["kind"],
                salt=base64.b64decode(body["salt"], validate=True),
                nonce=base64.b64decode(body["nonce"], validate=True),
                wrapped=base64.b64decode(body["wrapped"], validate=True),
                kdf=kdf,
            )
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise VaultDamagedError("A key slot of the journal is damaged.") from None
        if slot.kind == "passphrase" and slot.kdf is None:
            raise VaultDamagedError("A key slot of the journal is damaged.")
        if len(slot.nonce) != NONCE_LEN or len(slot.wrapped) != KEY_LEN + 16:
            raise VaultDamagedError("A key slot of the journal is damaged.")
        if slot.kdf is not None:
            slot.kdf.check()
        return slot

    def _aad(self, vault_id: bytes) -> bytes:
        params = b""
        if self.kdf is not None:
            params = f"{self.kdf.memory_kib}/{self.kdf.iterations}/{self.kdf.lanes}".encode()
        return b"journal-app slot v1|" + vault_id + b"|" + self.kind.encode() + b"|" + params

    def unwrap(self, kek: bytes, vault_id: bytes) -> bytes | None:
        """The data key, or ``None`` when ``kek`` is not the right key."""
        try:
            return AESGCM(kek).decrypt(self.nonce, self.wrapped, self._aad(vault_id))
        except InvalidTag:
            return None


def make_slot(
    kind: SlotKind, kek: bytes, data_key: bytes, vault_id: bytes, salt: bytes,
    kdf: KdfParams | None = None,
) -> KeySlot:
    template = KeySlot(kind=kind, salt=salt, nonce=b"", wrapped=b"", kdf=kdf)
    nonce = os.urandom(NONCE_LEN)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, template._aad(vault_id))
    return KeySlot(kind=kind, salt=salt, nonce=nonce, wrapped=wrapped, kdf=kdf)


def passphrase_slot(
    passphrase: str, data_key: bytes, vault_id: bytes, kdf: KdfParams = DEFAULT_KDF
) -> KeySlot:
    salt = os.urandom(SALT_LEN)
    kek = derive_passphrase_key(passphrase, salt, kdf)
    return make_slot("passphrase", kek, data_key, vault_id, salt, kdf)


def recovery_slot(recovery_key: bytes, data_key: bytes, vault_id: bytes) -> KeySlot:
    salt = os.urandom(SALT_LEN)
    return make_slot("recovery", recovery_kek(recovery_key, salt), data_key, vault_id, salt)


# --------------------------------------------------------------------------------------------
# Sealing records


class OpenError(Exception):
    """A sealed blob did not open (altered, moved, or from another vault)."""


class RecordCipher:
    """Seals and opens records under the data key of one vault."""

    def __init__(self, data_key: bytes, vault_id: bytes) -> None:
        self._aead = AESGCM(data_key)
        # Kept for re-wrapping (new passphrase, new recovery key); dropped with the cipher on lock.
        self.data_key = data_key
        self._vault_id = vault_id
        # A separate key for the manifest MAC, so the data key is used for one purpose only.
        self.mac_key = hkdf(data_key, b"journal-app manifest mac v1")

    def _aad(self, record_id: str, kind: str, schema_version: int, seq: int) -> bytes:
        return b"|".join(
            (
                b"journal-app record v1",
                self._vault_id,
                record_id.encode(),
                kind.encode(),
                str(schema_version).encode(),
                str(seq).encode(),
            )
        )

    def seal(self, record_id: str, kind: str, schema_version: int, seq: int, data: bytes) -> bytes:
        nonce = os.urandom(NONCE_LEN)
        aad = self._aad(record_id, kind, schema_version, seq)
        return bytes([RECORD_FORMAT]) + nonce + self._aead.encrypt(nonce, data, aad)

    def open(self, record_id: str, kind: str, schema_version: int, seq: int, blob: bytes) -> bytes:
        if len(blob) < 1 + NONCE_LEN + 16 or blob[0] != RECORD_FORMAT:
            raise OpenError
        return self._open_at(memoryview(blob), 1, record_id, kind, schema_version, seq)

    def _open_at(self, view: memoryview, start: int, record_id: str, kind: str,
                 schema_version: int, seq: int) -> bytes:
        """Open the nonce and ciphertext that begin at ``start`` of ``view``, read in place: a
        search index of 100,000 entries is 175 MB, and each copy of it counts at unlock."""
        nonce, ct = view[start : start + NONCE_LEN], view[start + NONCE_LEN :]
        try:
            return self._aead.decrypt(nonce, ct, self._aad(record_id, kind, schema_version, seq))
        except InvalidTag:
            raise OpenError from None

    def _header_aad(self, record_id: str, kind: str, schema_version: int, seq: int) -> bytes:
        # Its own label: a record's blob never opens as a header, nor a header as a record.
        # The record's associated data after it, byte for byte (built in one step: this runs
        # once per entry at every unlock).
        return b"journal-app header v1|journal-app record v1|%b|%b|%b|%d|%d" % (
            self._vault_id, record_id.encode(), kind.encode(), schema_version, seq)

    def seal_header(self, record_id: str, kind: str, schema_version: int, seq: int,
                    data: bytes) -> bytes:
        """Seal a record's list header (:mod:`~journal_app.core.records.headers`), bound like
        its record to the id, kind, schema version and write sequence of its row: a header
        moved to another row, or put back from an older version of its own, does not open."""
        nonce = os.urandom(NONCE_LEN)
        aad = self._header_aad(record_id, kind, schema_version, seq)
        return bytes([RECORD_FORMAT]) + nonce + self._aead.encrypt(nonce, data, aad)

    def open_header(self, record_id: str, kind: str, schema_version: int, seq: int,
                    blob: bytes) -> bytes:
        if len(blob) < 1 + NONCE_LEN + 16 or blob[0] != RECORD_FORMAT:
            raise OpenError
        view = memoryview(blob)
        try:
            return self._aead.decrypt(view[1 : 1 + NONCE_LEN], view[1 + NONCE_LEN :],
                                      self._header_aad(record_id, kind, schema_version, seq))
        except InvalidTag:
            raise OpenError from None

    def seal_meta(self, name: str, seq: int, data: bytes) -> bytes:
        """Seal a vault-level blob (manifest, search index) under its name and the write
        sequence it belongs to. The sequence is stored in the clear before the sealed part and
        bound into its associated data, so an old blob cannot pass for a newer one."""
        nonce = os.urandom(NONCE_LEN)
        ct = self._aead.encrypt(nonce, data, self._aad(name, "meta", 1, seq))
        # One copy of the ciphertext, not three (the search index is large: see _open_at).
        return b"".join((bytes([META_FORMAT]), seq.to_bytes(8, "big"), nonce, ct))

    def open_meta(self, name: str, blob: bytes) -> tuple[int, bytes]:
        """``(sequence, data)`` of a blob sealed by :meth:`seal_meta`.

        A blob of the first format (before sequences were bound, all sealed with 0) still
        opens, as sequence 0; the next write replaces it.
        """
        if blob[:1] == bytes([RECORD_FORMAT]):
            return 0, self.open(name, "meta", 1, 0, blob)
        if len(blob) < 9 + NONCE_LEN + 16 or blob[0] != META_FORMAT:
            raise OpenError
        seq = int.from_bytes(blob[1:9], "big")
        return seq, self._open_at(memoryview(blob), 9, name, "meta", 1, seq)

    def entry_mac(self, record_id: str, kind: str, schema_version: int, seq: int) -> int:
        """One record's contribution to the manifest digest (an XOR of keyed MACs)."""
        msg = f"{record_id}|{kind}|{schema_version}|{seq}".encode()
        return int.from_bytes(hmac.digest(self.mac_key, msg, "sha256"), "big")

    def manifest_digest(self, rows: Iterable[tuple[str, str, int, int]]) -> tuple[int, int]:
        """``(count, digest)`` of the manifest for rows ``(id, kind, schema version, seq)``."""
        digest = 0
        count = 0
        # The key's HMAC state made once and copied for each row (the standard library's HMAC,
        # as entry_mac; the same MACs): keying HMAC for every row cost twice as much.
        keyed = hmac.new(self.mac_key, digestmod="sha256")
        for record_id, kind, version, seq in rows:
            mac = keyed.copy()
            mac.update(f"{record_id}|{kind}|{version}|{seq}".encode())
            digest ^= int.from_bytes(mac.digest(), "big")
            count += 1
        return count, digest
