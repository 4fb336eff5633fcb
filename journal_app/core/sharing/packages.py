"""Share packages: the encrypted, signed files that carry excerpts to a mentor and feedback back.

There is no server: a package is a file the two people move however they like. Only its
recipients can read it, and they can tell who made it and that nobody changed it.

File layout (version 1), all integers big-endian::

    MAGIC                      b"journal-app share package\\n"
    version        u16         1
    header_len     u32         at most 64 KiB
    header         JSON        {"package_id", "signer", "slots"}
    body_len       u32
    body           bytes       nonce (12) + AES-256-GCM ciphertext of the payload
    signature      64 bytes    Ed25519 by ``signer`` over a context string + everything above

* A random 256-bit *content key* encrypts the payload (AES-256-GCM, random nonce); the
  associated data is every byte before the body, so the header cannot be swapped under it.
* Each *slot* of the header wraps the content key for one way of opening the package:
  ``{"type": "x25519", "epk", "wrapped"}`` for a contact's card: a fresh ephemeral X25519 key,
  its shared secret with the recipient's key through HKDF-SHA256 (the package id as salt; a
  context string, the ephemeral and the recipient's public keys as info) gives the key and nonce
  that wrap the content key with AES-256-GCM. Or ``{"type": "passphrase", "salt", "kdf",
  "wrapped"}``: the same, from Argon2id over a one-off share passphrase, its parameters in the
  slot (for a mentor who has no card yet).
* ``signer`` is the sender's Ed25519 public key. The signature covers the whole file, so any
  altered byte is caught before anything is decrypted, with the reason "altered".

The header shows no name and no recipient: only a random package id, the signing key (which
links packages from one sender, but names nobody) and the opaque slots. The sender's full card
(name, role, both keys) travels inside the encrypted payload, and must carry the signing key.

The payload is JSON (no compression, so no compression-then-encryption length leaks):
``{"kind": "share", "created": day, "sender": card, "note", "question", "excerpts": [...]}`` or
``{"kind": "feedback", "created": day, "sender": card, "items": [...]}`` or a read receipt,
``{"kind": "receipt", "created": day, "sender": card, "items": [{"share_package_id",
"excerpt_id", "read"}]}``: the mentor's signed word that they opened those excerpts, and when
(ids and times only, no text; see the dataclasses below). Dates: an excerpt carries only the
*year* of its entry (Safe Harbor allows no finer date element; the day of an encounter can
identify a patient); the package carries the day it was made (the day of sharing, not of any
encounter).

Reading checks, in order and before anything is stored: the magic and version, the lengths
(truncated or padded), the signature, a slot that opens for this reader, the decryption, and
every field of the payload. Each failure is one :class:`PackageError` subclass
naming the reason.
"""

from __future__ import annotations

import os
import secrets
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature, InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal_app.core.errors import (
    CardInvalidError,
    NotForYouError,
    PackageAlteredError,
    PackageError,
    PackageTruncatedError,
    PackageVersionError,
    WrongSharePassphraseError,
)
from journal_app.core.records import codec
from journal_app.core.records.model import (
    ENCOUNTER_TYPES,
    MAX_EXCERPT_TEXT,
    MAX_NOTE,
    MAX_TITLE,
    REFLECT_LEVELS,
)
from journal_app.core.records.validation import (
    check_choice,
    check_day,
    check_hex,
    check_length,
    check_text,
    unb64,
)
from journal_app.core.sharing.cards import Card, b64
from journal_app.core.vault.crypto import DEFAULT_KDF, KdfParams, normalise_passphrase

MAGIC = b"journal-app share package\n"
VERSION = 1
MAX_PACKAGE_BYTES = 32 * 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024
MAX_RECIPIENTS = 16
MAX_EXCERPTS = 200
MAX_FEEDBACK_ITEMS = 200
SIG_LEN = 64
NONCE_LEN = 12
KEY_LEN = 32
SALT_LEN = 16
_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_SIG_CONTEXT = b"journal-app package v1 signature\x00"
_WRAP_INFO = b"journal-app package v1 x25519 wrap\x00"
_PASS_INFO = b"journal-app package v1 passphrase wrap\x00"
_WRAP_AAD = b"journal-app package v1 key\x00"
# Argon2id parameters a package may ask for: a hostile file must not make the reader allocate
# gigabytes or spin for minutes (these bounds cost a few seconds at most). The sender's defaults
# (the vault's: 64 MiB, 3 passes, 4 lanes) are well inside, with room to raise them.
_MAX_MEMORY_KIB = 256 * 1024
_MAX_ITERATIONS = 10
_MAX_LANES = 16

_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw


# ==================================================================== payloads


@dataclass(frozen=True, kw_only=True)
class ExcerptPayload:
    """One excerpt as it travels: de-identified text, the year only, the encounter type."""

    excerpt_id: str
    #: The entry on the sender's side: it comes back with the feedback, to link it there.
    entry_id: str
    title: str = ""
    text: str
    year: int | None = None
    encounter: str | None = None

    def __post_init__(self) -> None:
        check_hex("an excerpt id", self.excerpt_id)
        check_hex("an entry id", self.entry_id)
        check_text("an excerpt", self.title, self.text)
        if len(self.title) > MAX_TITLE or len(self.text) > MAX_EXCERPT_TEXT:
            raise ValueError("an excerpt is too long")
        if not self.text.strip() and not self.title.strip():
            raise ValueError("an excerpt is empty")
        if self.year is not None and not 1900 <= self.year <= 2200:
            raise ValueError("a year is out of range")
        if self.encounter is not None:
            check_choice("encounter type", self.encounter, ENCOUNTER_TYPES)


@dataclass(frozen=True, kw_only=True)
class SharePayload:
    kind: Literal["share"] = "share"
    #: The day the package was made (the day of sharing, not of any encounter).
    created: str
    sender: dict[str, Any]
    note: str = ""
    question: str = ""
    excerpts: list[ExcerptPayload] = field(default_factory=list)
    #: The student lets the mentor make a de-identified handout of these excerpts for a
    #: reflection round (issue 24). Written only when true, so that a package without it
    #: reads as before in older versions.
    handout: bool = False

    def __post_init__(self) -> None:
        check_day("the day", self.created)
        check_length("the note or question", MAX_NOTE, self.note, self.question)
        if not 1 <= len(self.excerpts) <= MAX_EXCERPTS:
            raise ValueError(f"a share package holds 1 to {MAX_EXCERPTS} excerpts")
        if len({e.excerpt_id for e in self.excerpts}) != len(self.excerpts):
            raise ValueError("excerpt ids repeat")


@dataclass(frozen=True, kw_only=True)
class FeedbackItem:
    """A mentor's feedback on one excerpt of an earlier share package."""

    feedback_id: str
    share_package_id: str
    excerpt_id: str
    entry_id: str
    comment: str = ""
    reply: str = ""
    depth: str | None = None

    def __post_init__(self) -> None:
        for name in ("feedback_id", "share_package_id", "excerpt_id", "entry_id"):
            check_hex(name.replace("_", " "), getattr(self, name))
        check_length("the feedback", MAX_NOTE, self.comment, self.reply)
        if not self.comment.strip() and not self.reply.strip() and self.depth is None:
            raise ValueError("feedback is empty")
        if self.depth is not None:
            check_choice("reflection depth", self.depth, REFLECT_LEVELS)


def _check_items(created: str, keys: Sequence[object], holds: str, items: str,
                 repeat: str) -> None:
    """What a feedback package and a read receipt check alike: the day they were made, 1 to
    MAX_FEEDBACK_ITEMS items, none twice (by ``keys``, one per item)."""
    check_day("the day", created)
    if not 1 <= len(keys) <= MAX_FEEDBACK_ITEMS:
        raise ValueError(f"{holds} 1 to {MAX_FEEDBACK_ITEMS} {items}")
    if len(set(keys)) != len(keys):
        raise ValueError(repeat)


@dataclass(frozen=True, kw_only=True)
class FeedbackPayload:
    kind: Literal["feedback"] = "feedback"
    created: str
    sender: dict[str, Any]
    items: list[FeedbackItem] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_items(self.created, [i.feedback_id for i in self.items],
                     "a feedback package holds", "items", "feedback ids repeat")


@dataclass(frozen=True, kw_only=True)
class ReceiptItem:
    """One excerpt a mentor read: the ids the student's share gave it, and when it was
    opened. No text of the excerpt travels back."""

    share_package_id: str
    excerpt_id: str
    read: datetime

    def __post_init__(self) -> None:
        check_hex("the share package id", self.share_package_id)
        check_hex("the excerpt id", self.excerpt_id)
        if self.read.tzinfo is None:
            raise ValueError("the time read has no offset")


@dataclass(frozen=True, kw_only=True)
class ReceiptPayload:
    """A read receipt: a mentor lets a student know which excerpts they read (issue 24)."""

    kind: Literal["receipt"] = "receipt"
    created: str
    sender: dict[str, Any]
    items: list[ReceiptItem] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_items(self.created, [(i.share_package_id, i.excerpt_id) for i in self.items],
                     "a read receipt names", "excerpts", "excerpts repeat")


Payload = SharePayload | FeedbackPayload | ReceiptPayload
_PAYLOADS: dict[str, type[Payload]] = {
    "share": SharePayload, "feedback": FeedbackPayload, "receipt": ReceiptPayload}


def payload_json(payload: Payload) -> dict[str, Any]:
    data = codec.to_jsonable(payload)
    assert isinstance(data, dict)
    if data.get("kind") == "share" and not data.get("handout"):
        data.pop("handout", None)
    return data


# ==================================================================== slots and keys


@dataclass(frozen=True)
class Slot:
    """One way of opening a package: for a card (``x25519``) or a share passphrase."""

    type: Literal["x25519", "passphrase"]
    wrapped: bytes
    epk: bytes = b""
    salt: bytes = b""
    kdf: KdfParams | None = None

    def to_json(self) -> dict[str, Any]:
        if self.type == "x25519":
            return {"type": "x25519", "epk": b64(self.epk), "wrapped": b64(self.wrapped)}
        assert self.kdf is not None
        return {
            "type": "passphrase", "salt": b64(self.salt), "wrapped": b64(self.wrapped),
            "kdf": {"alg": "argon2id", "memory_kib": self.kdf.memory_kib,
                    "iterations": self.kdf.iterations, "lanes": self.kdf.lanes},
        }

    @classmethod
    def from_json(cls, obj: Any) -> Slot:
        """Raises ValueError for anything but a well-formed slot."""
        if not isinstance(obj, dict):
            raise ValueError("slot")
        if obj.get("type") == "x25519" and set(obj) == {"type", "epk", "wrapped"}:
            return cls("x25519", unb64(obj["wrapped"], KEY_LEN + 16), epk=unb64(obj["epk"], 32))
        if obj.get("type") == "passphrase" and set(obj) == {"type", "salt", "kdf", "wrapped"}:
            k = obj["kdf"]
            if not isinstance(k, dict) or set(k) != {"alg", "memory_kib", "iterations", "lanes"}:
                raise ValueError("kdf")
            values = (k["memory_kib"], k["iterations"], k["lanes"])
            if k["alg"] != "argon2id" or any(type(v) is not int for v in values):
                raise ValueError("kdf")
            kdf = KdfParams(*values)
            if not (1 <= kdf.lanes <= _MAX_LANES and 1 <= kdf.iterations <= _MAX_ITERATIONS
                    and 8 * kdf.lanes <= kdf.memory_kib <= _MAX_MEMORY_KIB):
                raise ValueError("kdf")
            return cls("passphrase", unb64(obj["wrapped"], KEY_LEN + 16),
                       salt=unb64(obj["salt"], SALT_LEN), kdf=kdf)
        raise ValueError("slot")


def _wrap_aad(package_id: str, slot_type: str) -> bytes:
    return _WRAP_AAD + package_id.encode("ascii") + b"\x00" + slot_type.encode("ascii")


def _x25519_kek(
    shared: bytes, package_id: str, epk: bytes, recipient: bytes
) -> tuple[bytes, bytes]:
    out = HKDF(
        algorithm=hashes.SHA256(), length=KEY_LEN + NONCE_LEN, salt=bytes.fromhex(package_id),
        info=_WRAP_INFO + epk + recipient,
    ).derive(shared)
    return out[:KEY_LEN], out[KEY_LEN:]


def _passphrase_kek(passphrase: str, salt: bytes, kdf: KdfParams,
                    package_id: str) -> tuple[bytes, bytes]:
    stretched = Argon2id(
        salt=salt, length=KEY_LEN, iterations=kdf.iterations, lanes=kdf.lanes,
        memory_cost=kdf.memory_kib,
    ).derive(normalise_passphrase(passphrase))
    out = HKDF(
        algorithm=hashes.SHA256(), length=KEY_LEN + NONCE_LEN, salt=bytes.fromhex(package_id),
        info=_PASS_INFO + salt,
    ).derive(stretched)
    return out[:KEY_LEN], out[KEY_LEN:]


def _slot_for_card(content_key: bytes, package_id: str, recipient: X25519PublicKey) -> Slot:
    ephemeral = X25519PrivateKey.generate()
    epk = ephemeral.public_key().public_bytes(_RAW, _RAW_PUB)
    rpk = recipient.public_bytes(_RAW, _RAW_PUB)
    kek, nonce = _x25519_kek(ephemeral.exchange(recipient), package_id, epk, rpk)
    wrapped = AESGCM(kek).encrypt(nonce, content_key, _wrap_aad(package_id, "x25519"))
    return Slot("x25519", wrapped, epk=epk)


def _slot_for_passphrase(content_key: bytes, package_id: str, passphrase: str,
                         kdf: KdfParams) -> Slot:
    salt = os.urandom(SALT_LEN)
    kek, nonce = _passphrase_kek(passphrase, salt, kdf, package_id)
    wrapped = AESGCM(kek).encrypt(nonce, content_key, _wrap_aad(package_id, "passphrase"))
    return Slot("passphrase", wrapped, salt=salt, kdf=kdf)


# ==================================================================== writing


def seal_package(
    payload: Payload,
    signer: Ed25519PrivateKey,
    recipients: Sequence[X25519PublicKey] = (),
    passphrase: str | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    package_id: str | None = None,
) -> tuple[str, bytes]:
    """Encrypt ``payload`` to ``recipients`` (and/or a share passphrase) and sign it.

    Returns the package id and the file's bytes.

    Raises:
        PackageError: nobody to open it, too many recipients, or too large a payload.
    """
    return seal_bytes(codec.dumps(payload_json(payload)), signer, recipients, passphrase, kdf,
                      package_id)


def seal_bytes(
    plain: bytes,
    signer: Ed25519PrivateKey,
    recipients: Sequence[X25519PublicKey] = (),
    passphrase: str | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    package_id: str | None = None,
) -> tuple[str, bytes]:
    """:func:`seal_package` for a payload already serialised (tests use it for hostile ones)."""
    if not recipients and not passphrase:
        raise PackageError("A share package needs a recipient or a share passphrase.")
    if len(recipients) > MAX_RECIPIENTS:
        raise PackageError(f"A share package can go to at most {MAX_RECIPIENTS} people.")
    package_id = package_id or secrets.token_hex(16)
    content_key = AESGCM.generate_key(bit_length=256)
    slots = [_slot_for_card(content_key, package_id, r) for r in recipients]
    if passphrase:
        slots.append(_slot_for_passphrase(content_key, package_id, passphrase, kdf))
    header = codec.dumps({
        "package_id": package_id,
        "signer": b64(signer.public_key().public_bytes(_RAW, _RAW_PUB)),
        "slots": [s.to_json() for s in slots],
    })
    # Sizes: nonce + ciphertext + tag, and the fixed parts around them.
    body_len = NONCE_LEN + len(plain) + 16
    total = len(MAGIC) + 2 + 4 + len(header) + 4 + body_len + SIG_LEN
    if len(header) > MAX_HEADER_BYTES or total > MAX_PACKAGE_BYTES:
        raise PackageError(
            f"The share package would be larger than {MAX_PACKAGE_BYTES // (1024 * 1024)} MB;"
            " share fewer or shorter excerpts."
        )
    prefix = MAGIC + _U16.pack(VERSION) + _U32.pack(len(header)) + header + _U32.pack(body_len)
    nonce = os.urandom(NONCE_LEN)
    body = nonce + AESGCM(content_key).encrypt(nonce, plain, prefix)
    signed = prefix + body
    return package_id, signed + signer.sign(_SIG_CONTEXT + signed)


# ==================================================================== reading


@dataclass(frozen=True)
class SealedPackage:
    """A package whose structure and signature checked out; not decrypted yet."""

    package_id: str
    signer: bytes
    slots: tuple[Slot, ...]
    aad: bytes
    body: bytes

    @property
    def has_passphrase(self) -> bool:
        return any(s.type == "passphrase" for s in self.slots)

    @property
    def has_cards(self) -> bool:
        return any(s.type == "x25519" for s in self.slots)


def _take(data: bytes, pos: int, size: int) -> bytes:
    if pos + size > len(data):
        raise PackageTruncatedError()
    return data[pos : pos + size]


def parse_package(data: bytes) -> SealedPackage:
    """Check a package's structure, version and signature.

    Raises:
        PackageError: not a package, or too large.
        PackageTruncatedError: the file ends early.
        PackageVersionError: a version this app does not read.
        PackageAlteredError: extra bytes, a header that does not parse, a bad signature.
    """
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError("That file is too large to be a share package; nothing was imported.")
    if not data.startswith(MAGIC):
        if data and MAGIC.startswith(data):
            raise PackageTruncatedError()
        raise PackageError()
    pos = len(MAGIC)
    (version,) = _U16.unpack(_take(data, pos, 2))
    pos += 2
    if version != VERSION:
        raise PackageVersionError() if version > VERSION else PackageAlteredError()
    (header_len,) = _U32.unpack(_take(data, pos, 4))
    pos += 4
    if header_len > MAX_HEADER_BYTES:
        raise PackageAlteredError()
    header_bytes = _take(data, pos, header_len)
    pos += header_len
    (body_len,) = _U32.unpack(_take(data, pos, 4))
    pos += 4
    if body_len < NONCE_LEN + 16:
        raise PackageAlteredError()
    aad_end = pos
    body = _take(data, pos, body_len)
    pos += body_len
    signature = _take(data, pos, SIG_LEN)
    pos += SIG_LEN
    if pos != len(data):
        raise PackageAlteredError(
            "The share package has extra data after its end: it was altered. Nothing was"
            " imported."
        )
    # The signer must be read before the signature can be checked; only that field is trusted
    # before the check, and only as "the key that must have signed this".
    try:
        header = codec.loads(header_bytes)
        if not isinstance(header, dict):
            raise ValueError("header")
        signer_text = header.get("signer")
        if not isinstance(signer_text, str):
            raise ValueError("signer")
        signer = unb64(signer_text, 32)
        Ed25519PublicKey.from_public_bytes(signer).verify(
            signature, _SIG_CONTEXT + data[: len(data) - SIG_LEN]
        )
    except (ValueError, InvalidSignature, UnsupportedAlgorithm):
        raise PackageAlteredError() from None
    # Signed by its sender: a malformed header now is a bad package, not tampering in transit.
    try:
        if set(header) != {"package_id", "signer", "slots"}:
            raise ValueError("fields")
        package_id = header["package_id"]
        if not isinstance(package_id, str):
            raise ValueError("id")
        check_hex("the package id", package_id)
        raw_slots = header["slots"]
        if not isinstance(raw_slots, list) or not 1 <= len(raw_slots) <= MAX_RECIPIENTS + 1:
            raise ValueError("slots")
        slots = tuple(Slot.from_json(s) for s in raw_slots)
        if sum(s.type == "passphrase" for s in slots) > 1:
            raise ValueError("slots")
    except (ValueError, KeyError, TypeError):
        raise PackageError(
            "The share package's header is not valid; nothing was imported."
        ) from None
    return SealedPackage(package_id, signer, slots, data[:aad_end], body)


def content_key_for_card(package: SealedPackage, key: X25519PrivateKey) -> bytes | None:
    """The content key, if one of the card slots is for ``key``; else ``None``."""
    mine = key.public_key().public_bytes(_RAW, _RAW_PUB)
    for slot in package.slots:
        if slot.type != "x25519":
            continue
        try:
            shared = key.exchange(X25519PublicKey.from_public_bytes(slot.epk))
        except ValueError:  # a low-order ephemeral key: not a slot anyone could open
            continue
        kek, nonce = _x25519_kek(shared, package.package_id, slot.epk, mine)
        try:
            return AESGCM(kek).decrypt(nonce, slot.wrapped, _wrap_aad(package.package_id,
                                                                      "x25519"))
        except InvalidTag:
            continue
    return None


def content_key_for_passphrase(package: SealedPackage, passphrase: str) -> bytes:
    """The content key from the share passphrase.

    Raises:
        NotForYouError: the package has no passphrase slot.
        WrongSharePassphraseError: the passphrase does not open it.
    """
    for slot in package.slots:
        if slot.type == "passphrase":
            assert slot.kdf is not None
            kek, nonce = _passphrase_kek(passphrase, slot.salt, slot.kdf, package.package_id)
            try:
                return AESGCM(kek).decrypt(nonce, slot.wrapped,
                                           _wrap_aad(package.package_id, "passphrase"))
            except InvalidTag:
                raise WrongSharePassphraseError() from None
    raise NotForYouError()


@dataclass(frozen=True)
class OpenedPackage:
    package_id: str
    sender: Card
    payload: Payload


def open_bytes(package: SealedPackage, content_key: bytes) -> bytes:
    """The decrypted body, not yet parsed (a cohort contribution parses its own payload).

    Raises:
        PackageAlteredError: the body does not decrypt.
    """
    nonce, ciphertext = package.body[:NONCE_LEN], package.body[NONCE_LEN:]
    try:
        return AESGCM(content_key).decrypt(nonce, ciphertext, package.aad)
    except InvalidTag:
        raise PackageAlteredError() from None


def open_payload(package: SealedPackage, content_key: bytes) -> OpenedPackage:
    """Decrypt and validate the payload; the sender's card must carry the signing key.

    Raises:
        PackageAlteredError: the body does not decrypt (the sender made it wrongly).
        PackageError: the payload or the card inside is not valid.
    """
    plain = open_bytes(package, content_key)
    invalid = PackageError("The share package's contents are not valid; nothing was imported.")
    try:
        obj = codec.loads(plain)
    except codec.CodecError:
        raise invalid from None
    if not isinstance(obj, dict):
        raise invalid
    cls = _PAYLOADS.get(str(obj.get("kind")))
    if cls is None:
        raise invalid
    try:
        payload = codec.dataclass_from_jsonable(cls, obj)
    except (codec.CodecError, RecursionError):
        raise invalid from None
    assert isinstance(payload, SharePayload | FeedbackPayload | ReceiptPayload)
    try:
        sender = Card.from_json(payload.sender)
    except CardInvalidError:
        raise PackageError(
            "The sender's card inside the share package is not valid; nothing was imported."
        ) from None
    if sender.ed25519 != package.signer:
        raise PackageAlteredError(
            "The share package is signed by someone other than the sender it names;"
            " nothing was imported."
        )
    return OpenedPackage(package.package_id, sender, payload)
