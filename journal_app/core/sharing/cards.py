"""Identities and mentor cards: who is who when sharing without a server.

Each vault holds an *identity*: an X25519 key pair (others encrypt share packages to it) and an
Ed25519 key pair (it signs what this vault sends). A **mentor card** is the public half, as a
small JSON file handed out by any means (students have one too, "my card")::

    {"format": "journal-app-card", "version": 1, "name": "...", "role": "student|mentor",
     "x25519": base64(32 bytes), "ed25519": base64(32 bytes), "self_sig": base64(64 bytes)}

``self_sig`` is the Ed25519 signature, by the card's own signing key, over a context string and
the canonical JSON of every other field: a card cannot be half-swapped (someone else's
encryption key beside your signing key, or another name) without the signature failing.

The **fingerprint** is what two people read to each other to be sure a card is the right one:
SHA-256 over a context string and both public keys, read as a 256-bit number, its last 32
decimal digits in 8 groups of 4 ("3141 5926 5358 ..."). Digits because they read aloud the
same in every language and cannot be misheard as easily as letters; 32 digits are about 106
bits, far beyond what anyone could match by generating keys. The name is not in the
fingerprint (it is bound by the self-signature), so changing your name keeps your fingerprint.

Parsing refuses, with one plain sentence and nothing else, anything that is not exactly such a
card: oversize, not UTF-8 JSON, unknown or missing fields, a version from the future, keys of
the wrong length, an X25519 key of low order, a signature that does not verify.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from journal_app.core.errors import CardInvalidError
from journal_app.core.records.model import ROLES, Contact, Identity, check_person_name, now
from journal_app.core.records.validation import unb64

CARD_FORMAT = "journal-app-card"
CARD_VERSION = 1
#: A card is a few hundred bytes; anything much larger is not one.
MAX_CARD_BYTES = 4096
_SIG_CONTEXT = b"journal-app card v1\x00"
_FP_CONTEXT = b"journal-app fingerprint v1\x00"
_FIELDS = frozenset({"format", "version", "name", "role", "x25519", "ed25519", "self_sig"})

_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw
_NO_ENC = serialization.NoEncryption()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def fingerprint(x25519: bytes, ed25519: bytes) -> str:
    """The read-aloud fingerprint of a pair of public keys: 8 groups of 4 digits."""
    digest = hashlib.sha256(_FP_CONTEXT + x25519 + ed25519).digest()
    digits = f"{int.from_bytes(digest, 'big') % 10**32:032d}"
    return " ".join(digits[i : i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as typed by a person (spaces, dashes ignored), or ``""`` if it is not one."""
    digits = "".join(ch for ch in text if ch not in " -\t")
    if len(digits) != 32 or not digits.isascii() or not digits.isdigit():
        return ""
    return " ".join(digits[i : i + 4] for i in range(0, 32, 4))


def check_x25519(raw: bytes) -> X25519PublicKey:
    """An X25519 public key that a shared secret can be computed with.

    Raises:
        ValueError: wrong length, or a low-order point (its shared secret would be all zeros).
    """
    key = X25519PublicKey.from_public_bytes(raw)
    # cryptography refuses an all-zero shared secret; try one with a throwaway key.
    X25519PrivateKey.generate().exchange(key)
    return key


@dataclass(frozen=True)
class Card:
    """The public half of an identity, self-signed."""

    name: str
    role: str
    x25519: bytes
    ed25519: bytes
    self_sig: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.x25519, self.ed25519)

    def _signed_fields(self) -> dict[str, Any]:
        return {
            "format": CARD_FORMAT,
            "version": CARD_VERSION,
            "name": self.name,
            "role": self.role,
            "x25519": b64(self.x25519),
            "ed25519": b64(self.ed25519),
        }

    def signed_bytes(self) -> bytes:
        """What the self-signature covers: a context string and the canonical JSON fields."""
        body = json.dumps(self._signed_fields(), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        return _SIG_CONTEXT + body.encode("utf-8")

    def to_json(self) -> dict[str, Any]:
        return {**self._signed_fields(), "self_sig": b64(self.self_sig)}

    def to_bytes(self) -> bytes:
        """The card file: indented JSON, so a person can see what is in it."""
        return (json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def signing_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.ed25519)

    def encryption_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.x25519)

    def verify(self) -> None:
        """Check every value and the self-signature.

        Raises:
            CardInvalidError: naming what is wrong, never quoting it.
        """
        if self.role not in ROLES:
            raise CardInvalidError("The mentor card names an unknown role; no contact was added.")
        try:
            if check_person_name(self.name) != self.name:
                raise ValueError("not normalised")
        except ValueError:
            raise CardInvalidError(
                "The mentor card's name is empty, too long or holds control characters;"
                " no contact was added."
            ) from None
        try:
            check_x25519(self.x25519)
            key = self.signing_key()
        except ValueError:
            raise CardInvalidError(
                "The mentor card's keys are not valid keys; no contact was added."
            ) from None
        if len(self.self_sig) != 64:
            raise CardInvalidError()
        try:
            key.verify(self.self_sig, self.signed_bytes())
        except InvalidSignature:
            raise CardInvalidError(
                "The mentor card's signature does not match its contents: it was altered or"
                " put together from parts of other cards. No contact was added."
            ) from None

    @classmethod
    def from_json(cls, obj: Any) -> Card:
        """Parse and verify a card object (from a card file or inside a share package).

        Raises:
            CardInvalidError: anything but a valid card of a version this app reads.
        """
        if not isinstance(obj, dict) or obj.get("format") != CARD_FORMAT:
            raise CardInvalidError("That file is not a mentor card; no contact was added.")
        version = obj.get("version")
        if type(version) is int and version > CARD_VERSION:
            raise CardInvalidError(
                "The mentor card was made by a newer version of journal-app; update the app to"
                " read it. No contact was added."
            )
        if version != CARD_VERSION or type(version) is not int or set(obj) != _FIELDS:
            raise CardInvalidError()
        name, role = obj["name"], obj["role"]
        if not isinstance(name, str) or not isinstance(role, str):
            raise CardInvalidError()
        try:
            card = cls(
                name=name,
                role=role,
                x25519=unb64(obj["x25519"], 32),
                ed25519=unb64(obj["ed25519"], 32),
                self_sig=unb64(obj["self_sig"], 64),
            )
        except ValueError:
            raise CardInvalidError(
                "The mentor card's keys are not valid keys; no contact was added."
            ) from None
        card.verify()
        return card

    @classmethod
    def parse(cls, data: bytes) -> Card:
        """Parse a card file's bytes.

        Raises:
            CardInvalidError: see :meth:`from_json`; also oversize and non-JSON files.
        """
        if len(data) > MAX_CARD_BYTES:
            raise CardInvalidError("That file is too large to be a mentor card; no contact was"
                                   " added.")
        try:
            obj = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise CardInvalidError("That file is not a mentor card; no contact was added.") \
                from None
        return cls.from_json(obj)

    # ------------------------------------------------------------------ contacts

    def as_contact(self, confirmed: bool) -> Contact:
        return Contact(
            name=self.name, role=self.role, x25519=b64(self.x25519), ed25519=b64(self.ed25519),
            self_sig=b64(self.self_sig), added=now(), confirmed=confirmed,
        )

    @classmethod
    def of_contact(cls, contact: Contact) -> Card:
        """The card a contact was made from (checked again: the vault is authenticated, but a
        contact is only as good as its card)."""
        try:
            card = cls(
                name=contact.name, role=contact.role, x25519=unb64(contact.x25519, 32),
                ed25519=unb64(contact.ed25519, 32), self_sig=unb64(contact.self_sig, 64),
            )
        except ValueError:
            raise CardInvalidError("A contact's card in this journal is damaged.") from None
        card.verify()
        return card

    def same_keys(self, other: Card | Contact) -> bool:
        if isinstance(other, Contact):
            return other.x25519 == b64(self.x25519) and other.ed25519 == b64(self.ed25519)
        return (other.x25519, other.ed25519) == (self.x25519, self.ed25519)


# ---------------------------------------------------------------------- identity keys


def new_identity(name: str, role: str) -> Identity:
    """Fresh key pairs for this vault (raises ValueError for a bad name or role)."""
    x_priv = X25519PrivateKey.generate().private_bytes(_RAW, _RAW_PRIV, _NO_ENC)
    ed_priv = Ed25519PrivateKey.generate().private_bytes(_RAW, _RAW_PRIV, _NO_ENC)
    return Identity(name=name, role=role, x25519_private=b64(x_priv),
                    ed25519_private=b64(ed_priv))


def identity_keys(identity: Identity) -> tuple[X25519PrivateKey, Ed25519PrivateKey]:
    return (
        X25519PrivateKey.from_private_bytes(unb64(identity.x25519_private, 32)),
        Ed25519PrivateKey.from_private_bytes(unb64(identity.ed25519_private, 32)),
    )


def card_of(identity: Identity) -> Card:
    """This identity's card, signed now (Ed25519 signatures are deterministic: the same
    identity always gives the same card)."""
    x_priv, ed_priv = identity_keys(identity)
    unsigned = Card(
        name=identity.name, role=identity.role,
        x25519=x_priv.public_key().public_bytes(_RAW, _RAW_PUB),
        ed25519=ed_priv.public_key().public_bytes(_RAW, _RAW_PUB),
        self_sig=b"",
    )
    return Card(
        name=unsigned.name, role=unsigned.role, x25519=unsigned.x25519, ed25519=unsigned.ed25519,
        self_sig=ed_priv.sign(unsigned.signed_bytes()),
    )

