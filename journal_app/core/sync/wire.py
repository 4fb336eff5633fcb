"""The bytes of the sync folder: the folder header and the batch files.

A batch file::

    MAGIC (8) | journal id (16) | device id (16) | epoch (4) | seq (8) | previous hash (32)
      | nonce (12) | ciphertext length (8) | ciphertext | Ed25519 signature (64)

The ciphertext is AES-256-GCM under a key derived from the epoch's journal key; its associated
data is everything before it, so a batch moved to another device, number, epoch or journal, or
put after another file than its own, does not open. The plaintext is padded to a size bucket
(:func:`bucket`) before sealing, so a file's size says nothing beyond its bucket. The signature
(the device's key) covers everything before it. The hash chaining one file to the next is the
SHA-256 of the whole previous file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from journal_app.core.errors import VaultDamagedError
from journal_app.core.vault.crypto import KeySlot, hkdf

MAGIC = b"JASYNC1\n"
#: A sealed snapshot: the same layout, its own magic (a snapshot never passes for a batch).
SNAP_MAGIC = b"JASNAP1\n"
_HEAD = struct.Struct(">16s16sIQ32s12sQ")
HEAD_LEN = len(MAGIC) + _HEAD.size
SIG_LEN = 64
#: Plaintext size buckets: a batch's file is one of these sizes plus a fixed overhead, and
#: beyond the last one a whole number of MiB.
BUCKETS = (4 * 1024, 32 * 1024, 256 * 1024, 1024 * 1024)
MIB = 1024 * 1024
#: The largest batch read (an attachment is at most 20 MB; base64 and JSON around it).
MAX_BATCH = 64 * MIB
#: The largest snapshot read (every record of a journal of 100,000 entries, and its images).
MAX_SNAPSHOT = 2048 * MIB
ZERO_HASH = bytes(32)
HEADER_FORMAT = 1
MAX_HEADER = 64 * 1024


class Truncated(Exception):
    """The file is shorter than its header says: a sync service is still copying it."""


class Damaged(Exception):
    """The file is not a batch of this journal, or was altered (the reason, one sentence)."""


@dataclass(frozen=True)
class Head:
    journal: bytes
    device: bytes
    epoch: int
    seq: int
    prev: bytes
    nonce: bytes
    length: int
    magic: bytes = MAGIC

    def to_bytes(self) -> bytes:
        return self.magic + _HEAD.pack(self.journal, self.device, self.epoch, self.seq, self.prev,
                                  self.nonce, self.length)


def bucket(size: int) -> int:
    """The padded size of a plaintext of ``size`` bytes."""
    for limit in BUCKETS:
        if size <= limit:
            return limit
    return -(-size // MIB) * MIB


def batch_key(journal_key: bytes) -> bytes:
    return hkdf(journal_key, b"journal-app sync batch v1")


def pad(plain: bytes) -> bytes:
    body = struct.pack(">Q", len(plain)) + plain
    return body + bytes(bucket(len(body)) - len(body))


def unpad(padded: bytes) -> bytes:
    if len(padded) < 8:
        raise Damaged("A file in the sync folder is damaged.")
    (size,) = struct.unpack(">Q", padded[:8])
    if size > len(padded) - 8 or any(padded[8 + size:]):
        raise Damaged("A file in the sync folder is damaged.")
    return padded[8 : 8 + size]


def seal_batch(journal: bytes, device: bytes, epoch: int, seq: int, prev: bytes,
               journal_key: bytes, signer: Ed25519PrivateKey, body: dict[str, Any],
               magic: bytes = MAGIC) -> bytes:
    """A batch file (or with ``SNAP_MAGIC`` a snapshot) holding ``body`` (JSON), sealed and
    signed."""
    plain = pad(json.dumps(body, ensure_ascii=False, separators=(",", ":"),
                           sort_keys=True).encode())
    nonce = os.urandom(12)
    head = Head(journal, device, epoch, seq, prev, nonce, len(plain) + 16, magic).to_bytes()
    ct = AESGCM(batch_key(journal_key)).encrypt(nonce, plain, head)
    signed = head + ct
    return signed + signer.sign(signed)


def read_head(data: bytes, magic: bytes = MAGIC, limit: int = MAX_BATCH) -> Head:
    """The clear header of a batch file.

    Raises:
        Truncated: the file is shorter than its header says (or than a header).
        Damaged: it is not a batch file, or longer than its header says.
    """
    if len(data) < len(magic):
        if magic.startswith(data):
            raise Truncated
        raise Damaged("A file in the sync folder is not one of journal-app's.")
    if data[: len(magic)] != magic:
        raise Damaged("A file in the sync folder is not one of journal-app's.")
    if len(data) < HEAD_LEN:
        raise Truncated
    journal, device, epoch, seq, prev, nonce, length = _HEAD.unpack(data[len(magic) : HEAD_LEN])
    head = Head(journal, device, epoch, seq, prev, nonce, length, magic)
    if head.length > limit + 16:
        raise Damaged("A file in the sync folder is damaged.")
    total = HEAD_LEN + head.length + SIG_LEN
    if len(data) < total:
        raise Truncated
    if len(data) > total:
        raise Damaged("A file in the sync folder is longer than it says: it was altered.")
    return head


def open_batch(data: bytes, head: Head, journal_key: bytes) -> dict[str, Any]:
    """The body of a batch (its signature is checked by :func:`check_signature`).

    Raises:
        Damaged: the seal does not open or the body is not what a batch holds.
    """
    ct = data[HEAD_LEN : HEAD_LEN + head.length]
    try:
        plain = AESGCM(batch_key(journal_key)).decrypt(head.nonce, ct, data[:HEAD_LEN])
    except InvalidTag:
        raise Damaged("A file in the sync folder was altered or does not belong where it "
                      "is.") from None
    try:
        body = json.loads(unpad(plain).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Damaged("A file in the sync folder is damaged.") from None
    if not isinstance(body, dict) or not isinstance(body.get("ops"), list):
        raise Damaged("A file in the sync folder is damaged.")
    return body


def check_signature(data: bytes, public: bytes) -> None:
    """Raises Damaged unless the file is signed by the device key ``public``."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(data[-SIG_LEN:], data[:-SIG_LEN])
    except (InvalidSignature, ValueError):
        raise Damaged("A file in the sync folder is not signed by the device it claims to "
                      "come from: it was forged or altered.") from None


def file_hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


# ------------------------------------------------------------------ the folder header


@dataclass(frozen=True)
class FolderHeader:
    """The one shared file: which journal, which epoch, the slot for joining, who founded it."""

    journal: bytes
    epoch: int
    slot: KeySlot
    founder: str
    #: The older epochs' journal keys, sealed under the newest one (nonce | ciphertext).
    keyring: bytes = b""

    def to_bytes(self) -> bytes:
        return json.dumps({
            "format": HEADER_FORMAT,
            "app": "journal-app sync folder",
            "journal": self.journal.hex(),
            "epoch": self.epoch,
            "founder": self.founder,
            "slot": base64.b64encode(self.slot.to_bytes()).decode("ascii"),
            "keyring": base64.b64encode(self.keyring).decode("ascii"),
        }, indent=1, sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> FolderHeader:
        """Raises Damaged when the bytes are not a header (Truncated when cut short)."""
        try:
            obj = json.loads(data.decode("utf-8"))
            if not isinstance(obj, dict) or obj.get("format") != HEADER_FORMAT:
                raise ValueError
            journal = bytes.fromhex(str(obj["journal"]))
            epoch = int(obj["epoch"])
            founder = str(obj["founder"])
            slot = KeySlot.from_bytes(base64.b64decode(obj["slot"], validate=True))
            keyring = base64.b64decode(obj.get("keyring", ""), validate=True)
        except json.JSONDecodeError:
            raise Truncated from None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, VaultDamagedError):
            raise Damaged("The sync folder's header file is damaged.") from None
        if len(journal) != 16 or epoch < 0 or len(founder) != 32 or slot.kind != "passphrase":
            raise Damaged("The sync folder's header file is damaged.")
        return cls(journal, epoch, slot, founder, keyring)


def slot_aad_id(journal: bytes, epoch: int) -> bytes:
    """What the header's slot binds (in place of a vault id): the journal and the epoch."""
    return journal + struct.pack(">I", epoch)
