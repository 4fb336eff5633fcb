"""A cohort contribution file: one randomised answer, signed by the student, encrypted to the
programme.

It is a share package (:mod:`journal_app.core.sharing.packages`, the same primitives: an
ephemeral X25519 key to the programme's cohort key, HKDF-SHA256, AES-256-GCM; the whole file
signed with the student's Ed25519 key), whose package id is the contribution's random id and
whose encrypted payload is::

    {"kind": "cohort-contribution", "format_version": 1, "id": <the package id>,
     "programme": base64(the programme's cohort key), "rotation", "item", "value",
     "epsilon", "sender": <the student's card>}

``value`` is the randomised answer, never the true one. Reading checks, in order, and names the
first failure as the reason it is refused: the file's structure ("malformed"), the signature
("altered"), a slot that opens with the programme's key ("wrong programme"), the decryption
("altered"), the payload's fields ("malformed"), the sender's card and that it carries the
signing key ("forged"), the programme it names ("wrong programme"). Whether the sender is
enrolled, the item is the rotation's, and the id or the student's rotation was seen before is
the report's to check (:mod:`journal_app.core.cohort.service`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from journal_app.core.errors import (
    CardInvalidError,
    PackageAlteredError,
    PackageError,
)
from journal_app.core.records import codec
from journal_app.core.records.validation import check_hex
from journal_app.core.sharing.cards import Card, b64
from journal_app.core.sharing.packages import (
    content_key_for_card,
    open_bytes,
    parse_package,
    seal_bytes,
)

KIND = "cohort-contribution"
FORMAT_VERSION = 1
#: A contribution is a few hundred bytes; anything larger is not one.
MAX_CONTRIBUTION_BYTES = 16 * 1024
_FIELDS = frozenset({"kind", "format_version", "id", "programme", "rotation", "item", "value",
                     "epsilon", "sender"})
#: The reasons a file is refused, as the report names them.
REASONS = ("malformed", "altered", "wrong programme", "forged", "unenrolled", "replayed")


class Refused(Exception):
    """A contribution file refused; ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Contribution:
    id: str
    #: base64 of the programme's cohort (X25519) public key.
    programme: str
    rotation: str
    item: str
    #: The randomised answer (one of the item's categories).
    value: str
    epsilon: float
    sender: Card

    def payload(self) -> dict[str, Any]:
        return {"kind": KIND, "format_version": FORMAT_VERSION, "id": self.id,
                "programme": self.programme, "rotation": self.rotation, "item": self.item,
                "value": self.value, "epsilon": self.epsilon, "sender": self.sender.to_json()}


def public_bytes(key: X25519PublicKey) -> bytes:
    return key.public_bytes_raw()


def seal_contribution(contribution: Contribution, signer: Ed25519PrivateKey,
                      programme_key: X25519PublicKey) -> bytes:
    """The file's bytes: the payload encrypted to ``programme_key``, signed by ``signer``."""
    _id, data = seal_bytes(codec.dumps(contribution.payload()), signer, [programme_key],
                           package_id=contribution.id)
    return data


def _short(value: Any) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 200:
        raise ValueError("field")
    return value


def open_contribution(data: bytes, key: X25519PrivateKey | Sequence[X25519PrivateKey],
                      ) -> Contribution:
    """Check and decrypt a contribution with the programme's cohort key, or any of its keys
    (the lead's own, and those a hand-over passed on: the payload must name the key that
    opened it).

    Raises:
        Refused: with the first reason it fails (see the module).
    """
    if len(data) > MAX_CONTRIBUTION_BYTES:
        raise Refused("malformed")
    try:
        package = parse_package(data)
    except PackageAlteredError:
        raise Refused("altered") from None
    except PackageError:
        raise Refused("malformed") from None
    openers = [key] if isinstance(key, X25519PrivateKey) else list(key)
    found = next(((k, ck) for k in openers
                  if (ck := content_key_for_card(package, k)) is not None), None)
    if found is None:
        raise Refused("wrong programme")
    opener, content_key = found
    try:
        plain = open_bytes(package, content_key)
    except PackageAlteredError:
        raise Refused("altered") from None
    try:
        obj = codec.loads(plain)
        if not isinstance(obj, dict) or set(obj) != _FIELDS or obj["kind"] != KIND:
            raise ValueError("fields")
        if obj["format_version"] != FORMAT_VERSION or obj["id"] != package.package_id:
            raise ValueError("version or id")
        check_hex("the contribution id", obj["id"])
        epsilon = obj["epsilon"]
        if type(epsilon) not in (int, float) or not 1 <= epsilon <= 4:
            raise ValueError("epsilon")
        fields = [_short(obj[k]) for k in ("programme", "rotation", "item", "value")]
    except (codec.CodecError, ValueError, TypeError, KeyError, RecursionError):
        raise Refused("malformed") from None
    try:
        sender = Card.from_json(obj["sender"])
    except (CardInvalidError, ValueError, KeyError, TypeError):
        raise Refused("forged") from None
    if sender.ed25519 != package.signer:
        raise Refused("forged")
    programme, rotation, item, value = fields
    if programme != b64(public_bytes(opener.public_key())):
        raise Refused("wrong programme")
    return Contribution(obj["id"], programme, rotation, item, value, float(epsilon), sender)
