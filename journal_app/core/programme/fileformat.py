"""The programme file: a signed, versioned JSON file a programme's lead publishes::

    {"format": "journal-app-programme", "format_version": 1,
     "programme": {"name", "key": base64(Ed25519 public key), "founded": "YYYY-MM-DD",
                   "version": N, "published": "YYYY-MM-DD",
                   "mentors": [card, ...], "students": [card, ...],
                   "pack": {"prompts/grief.toml": "<TOML text>", ...},
                   "handovers": [{"from", "to", "version", "signature"}, ...]},
     "signature": base64(64 bytes)}

Format version 2 (issue 25) adds one field to ``programme``: ``"cohort_key"``, base64 of the
X25519 public key cohort contributions are encrypted to (the programme's identity is an Ed25519
signing key, which cannot encrypt). A file with it says ``"format_version": 2``; one without it
stays version 1, byte for byte as before, so a file of a programme made before is read as it
was, and an app that reads only version 1 says "made by a newer version" instead of misreading
a version 2 file.

Format version 3 (issue 25, a hand-over) adds ``"successor_keys"`` to the file that hands the
programme over (and only to it): base64 of a share package (:mod:`journal_app.core.sharing.
packages`) signed by the handing-over key and sealed to the successor's card's X25519 key,
holding every private key contributions to the programme were encrypted to so far (the old
lead's and those the old lead took over). Only the successor can open it; with it they read
contributions students sent to an old lead's key (from a file they held before the hand-over,
or from the hand-over file itself, which still names the old lead's key).

``signature`` is Ed25519, by ``programme.key``, over a context string and the canonical JSON of
``programme`` (keys sorted, no spaces, UTF-8): a reader re-encodes what it parsed and checks that,
so no byte of the body can change without the signature failing. Parsing is strict: exact
fields, no duplicate keys, no floats, size limits, every card self-signed and of the right role,
the pack validated exactly like the shipped content.

A **hand-over** is a statement signed by the programme's key naming the key it is handed to
(the successor's card's Ed25519 key). The file that hands over is signed by the old key and ends
its ``handovers`` with that statement; every later file (signed by the new key) carries the whole
chain, so a member who missed a version still follows it from the key they know.

The programme's **fingerprint** is computed from its current public key, like a mentor card's
(SHA-256 over a context string and the key; the last 32 decimal digits in 8 groups of 4).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from journal_app.core.errors import (
    CardInvalidError,
    ProgrammeAlteredError,
    ProgrammeFileError,
    ProgrammeKeyError,
    ProgrammeTruncatedError,
)
from journal_app.core.practice.pack import PackInvalidError, parse_pack
from journal_app.core.records.model import (
    MAX_ENROLMENT,
    MAX_PROGRAMME_FILE,
    MAX_ROSTER,
    check_person_name,
)
from journal_app.core.records.validation import unb64
from journal_app.core.sharing.cards import Card, check_x25519

FORMAT = "journal-app-programme"
#: The newest version read; a file is written as version 1 unless it carries a cohort key (2),
#: or hands the programme over with the keys for contributions sealed to the successor (3).
FORMAT_VERSION = 3
_SIG_CONTEXT = b"journal-app programme v1\x00"
_HANDOVER_CONTEXT = b"journal-app programme hand-over v1\x00"
_FP_CONTEXT = b"journal-app programme fingerprint v1\x00"
_OUTER = frozenset({"format", "format_version", "programme", "signature"})
_BODY = frozenset({"name", "key", "founded", "version", "published", "mentors", "students",
                   "pack", "handovers"})
_BODY_V2 = _BODY | {"cohort_key"}
_BODY_V3 = _BODY_V2 | {"successor_keys"}
_BODIES = {1: _BODY, 2: _BODY_V2, 3: _BODY_V3}
_HANDOVER = frozenset({"from", "to", "version", "signature"})
MAX_HANDOVERS = 100
#: The keys a hand-over passes on: one a lead, so at most one more than the hand-overs.
MAX_SUCCESSOR_KEYS = MAX_HANDOVERS + 1
_MAX_SUCCESSOR_BLOB = 64 * 1024
_KEYS_KIND = "programme-cohort-keys"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def programme_fingerprint(key: bytes) -> str:
    """The read-aloud fingerprint of a programme's Ed25519 public key: 8 groups of 4 digits."""
    digest = hashlib.sha256(_FP_CONTEXT + key).digest()
    digits = f"{int.from_bytes(digest, 'big') % 10**32:032d}"
    return " ".join(digits[i : i + 4] for i in range(0, 32, 4))


def public_key(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(serialization.Encoding.Raw,
                                             serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class Handover:
    """The programme's key ``from_key`` hands the programme to ``to_key`` at ``version``."""

    from_key: bytes
    to_key: bytes
    version: int
    signature: bytes

    @staticmethod
    def signed_bytes(from_key: bytes, to_key: bytes, version: int) -> bytes:
        return _HANDOVER_CONTEXT + canonical(
            {"from": b64(from_key), "to": b64(to_key), "version": version})

    @classmethod
    def sign(cls, private: Ed25519PrivateKey, to_key: bytes, version: int) -> Handover:
        from_key = public_key(private)
        return cls(from_key, to_key, version,
                   private.sign(cls.signed_bytes(from_key, to_key, version)))

    def to_json(self) -> dict[str, Any]:
        return {"from": b64(self.from_key), "to": b64(self.to_key), "version": self.version,
                "signature": b64(self.signature)}

    @classmethod
    def from_json(cls, obj: Any) -> Handover:
        if not isinstance(obj, dict) or set(obj) != _HANDOVER or not _whole(obj["version"]):
            raise ProgrammeFileError()
        try:
            item = cls(unb64(obj["from"], 32), unb64(obj["to"], 32), obj["version"],
                       unb64(obj["signature"], 64))
            Ed25519PublicKey.from_public_bytes(item.from_key).verify(
                item.signature, cls.signed_bytes(item.from_key, item.to_key, item.version))
            Ed25519PublicKey.from_public_bytes(item.to_key)
        except (ValueError, InvalidSignature):
            raise ProgrammeAlteredError(
                "A hand-over in the programme file is not signed by the key it hands over"
                " from; nothing was changed."
            ) from None
        return item


def _whole(value: Any) -> bool:
    return type(value) is int and 1 <= value <= 2**53


@dataclass(frozen=True)
class ProgrammeFile:
    """A parsed and checked programme file (or one being made by its lead)."""

    name: str
    #: The key that signed this file.
    key: bytes
    founded: str
    version: int
    published: str
    mentors: tuple[Card, ...]
    students: tuple[Card, ...]
    pack: Mapping[str, str]
    handovers: tuple[Handover, ...]
    signature: bytes = b""
    #: The X25519 public key cohort contributions are encrypted to (b"": none, version 1).
    cohort_key: bytes = b""
    #: In the file that hands over: the keys for contributions, sealed to the successor
    #: (a share package; b"": none, version 1 or 2).
    successor_keys: bytes = b""

    @property
    def format_version(self) -> int:
        return 3 if self.successor_keys else 2 if self.cohort_key else 1

    @property
    def current_key(self) -> bytes:
        """The programme's key from this version on: the signer's, or the key the signer
        handed the programme to in this file."""
        if self.handovers and self.handovers[-1].from_key == self.key:
            return self.handovers[-1].to_key
        return self.key

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the programme's current key."""
        return programme_fingerprint(self.current_key)

    def chain(self) -> list[bytes]:
        """The programme's keys, oldest first, as this file's hand-overs tell them."""
        if not self.handovers:
            return [self.key]
        return [self.handovers[0].from_key, *(h.to_key for h in self.handovers)]

    def body(self) -> dict[str, Any]:
        body = {
            "name": self.name, "key": b64(self.key), "founded": self.founded,
            "version": self.version, "published": self.published,
            "mentors": [c.to_json() for c in self.mentors],
            "students": [c.to_json() for c in self.students],
            "pack": dict(self.pack),
            "handovers": [h.to_json() for h in self.handovers],
        }
        if self.cohort_key:
            body["cohort_key"] = b64(self.cohort_key)
        if self.successor_keys:
            body["successor_keys"] = b64(self.successor_keys)
        return body

    def to_bytes(self) -> bytes:
        """The file: indented JSON (the signature covers the canonical form of the body)."""
        outer = {"format": FORMAT, "format_version": self.format_version,
                 "programme": self.body(),
                 "signature": b64(self.signature)}
        return (json.dumps(outer, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def sign_file(private: Ed25519PrivateKey, *, name: str, founded: str, version: int,
              published: str, mentors: Sequence[Card], students: Sequence[Card],
              pack: Mapping[str, str], handovers: Sequence[Handover],
              cohort_key: bytes = b"", successor_keys: bytes = b"") -> ProgrammeFile:
    """A programme file signed with ``private``, checked as a reader would check it."""
    unsigned = ProgrammeFile(name, public_key(private), founded, version, published,
                             tuple(mentors), tuple(students), dict(pack), tuple(handovers),
                             cohort_key=cohort_key, successor_keys=successor_keys)
    signature = private.sign(_SIG_CONTEXT + canonical(unsigned.body()))
    made = replace(unsigned, signature=signature)
    parse_programme(made.to_bytes())  # what members will read must be readable
    return made


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError("duplicate key")
        out[key] = value
    return out


def _no_float(_text: str) -> Any:
    raise ValueError("no numbers with fractions here")


def card_unchecked(obj: Any) -> Card:
    """A card from its JSON without checking its self-signature: only for a card whose
    signature was checked before and whose bytes are covered by a signature checked now (a
    programme file held in the vault, shown again). Raises ValueError, KeyError, TypeError."""
    return Card(name=obj["name"], role=obj["role"], x25519=unb64(obj["x25519"], 32),
                ed25519=unb64(obj["ed25519"], 32), self_sig=unb64(obj["self_sig"], 64))


def _cards(raw: Any, role: str, limit: int, what: str, verify: bool = True) -> tuple[Card, ...]:
    if not isinstance(raw, list) or len(raw) > limit:
        raise ProgrammeFileError(f"The programme file's {what} is not valid; nothing was changed.")
    cards = []
    for item in raw:
        try:
            card = Card.from_json(item) if verify else card_unchecked(item)
        except (ValueError, KeyError, TypeError):
            raise ProgrammeFileError() from None
        except CardInvalidError:
            raise ProgrammeAlteredError(
                f"A card in the programme's {what} is not a valid card (altered, or put"
                " together from parts of others); nothing was changed."
            ) from None
        if card.role != role:
            raise ProgrammeFileError(
                f"The programme's {what} holds a card that is not a {role}'s; nothing was"
                " changed.")
        cards.append(card)
    return tuple(cards)


def parse_programme(data: bytes, held: bool = False) -> ProgrammeFile:
    """Parse and check a programme file: format, fields, signature, cards, hand-overs, pack.

    ``held``: a file this vault took before, shown again: its signature is checked, its cards'
    self-signatures (checked when it was taken, and covered by that signature) are not, so a
    programme of 5,000 students opens in a moment.

    Raises:
        ProgrammeFileError and its subclasses: refused whole, one plain sentence.
    """
    if len(data) > MAX_PROGRAMME_FILE:
        raise ProgrammeFileError("That file is too large to be a programme file; nothing was"
                                 " changed.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProgrammeFileError() from None
    try:
        outer = json.loads(text, object_pairs_hook=_no_duplicates, parse_float=_no_float,
                           parse_constant=_no_float)
    except json.JSONDecodeError as exc:
        # Cut short: the input ends inside a value (a JSON string cannot hold a raw line
        # break, so an unterminated one ran to the end of the file).
        ends = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        if ends and text.lstrip().startswith("{"):
            raise ProgrammeTruncatedError() from None
        raise ProgrammeFileError() from None
    except (ValueError, RecursionError):
        raise ProgrammeFileError() from None
    if not isinstance(outer, dict) or outer.get("format") != FORMAT:
        raise ProgrammeFileError()
    version = outer.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:
        raise ProgrammeFileError(
            "The programme file was made by a newer version of journal-app; update the app to"
            " read it. Nothing was changed.")
    if version not in _BODIES or type(version) is not int or set(outer) != _OUTER:
        raise ProgrammeFileError()
    body = outer["programme"]
    if not isinstance(body, dict) or set(body) != _BODIES[version]:
        raise ProgrammeFileError()
    try:
        key = unb64(body["key"], 32)
        cohort_key = unb64(body["cohort_key"], 32) if version >= 2 else b""
        successor_keys = _blob(body["successor_keys"]) if version == 3 else b""
        signature = unb64(outer["signature"], 64)
        signer = Ed25519PublicKey.from_public_bytes(key)
    except ValueError:
        raise ProgrammeFileError() from None
    try:
        signer.verify(signature, _SIG_CONTEXT + canonical(body))
    except InvalidSignature:
        raise ProgrammeAlteredError() from None
    # Signed: from here on a failure is a lead's mistake or a newer app, still refused whole.
    name = body["name"]
    try:
        if not isinstance(name, str) or check_person_name(name) != name:
            raise ValueError
        for day in (body["founded"], body["published"]):
            if not isinstance(day, str) or len(day) != 10:
                raise ValueError
            date.fromisoformat(day)
    except ValueError:
        raise ProgrammeFileError("The programme file's name or dates are not valid; nothing"
                                 " was changed.") from None
    if not _whole(body["version"]):
        raise ProgrammeFileError()
    if cohort_key:
        try:
            check_x25519(cohort_key)
        except ValueError:
            raise ProgrammeFileError("The programme file's key for cohort contributions is not"
                                     " a usable key; nothing was changed.") from None
    mentors = _cards(body["mentors"], "mentor", MAX_ROSTER, "roster", verify=not held)
    students = _cards(body["students"], "student", MAX_ENROLMENT, "enrolment list",
                      verify=not held)
    fingerprints = [c.fingerprint for c in (*mentors, *students)]
    if len(set(fingerprints)) != len(fingerprints):
        raise ProgrammeFileError("The programme file names the same card twice; nothing was"
                                 " changed.")
    pack = body["pack"]
    if not isinstance(pack, dict) or not all(isinstance(v, str) for v in pack.values()):
        raise ProgrammeFileError()
    try:
        parse_pack(pack)
    except PackInvalidError as exc:
        raise ProgrammeFileError(
            "The programme's content pack does not validate (" + exc.message.rstrip(".")
            .replace(". Nothing was changed", "") + "); nothing was changed.") from None
    raw_handovers = body["handovers"]
    if not isinstance(raw_handovers, list) or len(raw_handovers) > MAX_HANDOVERS:
        raise ProgrammeFileError()
    handovers = tuple(Handover.from_json(h) for h in raw_handovers)
    made = ProgrammeFile(name, key, body["founded"], body["version"], body["published"],
                         mentors, students, pack, handovers, signature, cohort_key,
                         successor_keys)
    _check_chain(made)
    if successor_keys:
        _check_successor_keys(made)
    return made


def _blob(text: Any) -> bytes:
    """Strict base64 of at most 64 KiB (the sealed keys of a hand-over)."""
    if not isinstance(text, str) or not 0 < len(text) <= 4 * _MAX_SUCCESSOR_BLOB // 3 + 4:
        raise ValueError("not base64")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise ValueError("not base64") from None


_NOT_SEALED = ("The programme file's keys for its successor are not sealed as a hand-over"
               " seals them; nothing was changed.")


def _check_successor_keys(made: ProgrammeFile) -> None:
    """Sealed keys come only with the hand-over they go with, signed by the handing-over key."""
    from journal_app.core.errors import PackageError
    from journal_app.core.sharing.packages import parse_package

    if not made.cohort_key or not made.handovers or made.handovers[-1].from_key != made.key:
        raise ProgrammeFileError(_NOT_SEALED)
    try:
        package = parse_package(made.successor_keys)
    except PackageError:
        raise ProgrammeFileError(_NOT_SEALED) from None
    if package.signer != made.key or not package.has_cards or package.has_passphrase:
        raise ProgrammeFileError(_NOT_SEALED)


def seal_successor_keys(signer: Ed25519PrivateKey, successor: bytes,
                        keys: Sequence[bytes]) -> bytes:
    """The keys for contributions (raw X25519 private keys), sealed to the successor's card's
    X25519 key ``successor`` and signed by the programme's key ``signer``."""
    from journal_app.core.records import codec
    from journal_app.core.sharing.packages import seal_bytes

    payload = codec.dumps({"kind": _KEYS_KIND, "format_version": 1,
                           "keys": [b64(k) for k in keys]})
    _id, data = seal_bytes(payload, signer, [check_x25519(successor)])
    return data


def open_successor_keys(made: ProgrammeFile, key: X25519PrivateKey) -> tuple[bytes, ...]:
    """The keys for contributions a hand-over file passes on, opened with the successor's
    card's X25519 private key ``key`` (none in a file without them).

    Raises:
        ProgrammeFileError: they are not sealed to ``key``, or do not open as keys.
    """
    from journal_app.core.errors import PackageError
    from journal_app.core.records import codec
    from journal_app.core.sharing.packages import content_key_for_card, open_bytes, parse_package

    if not made.successor_keys:
        return ()
    refused = ProgrammeFileError("The hand-over's keys for cohort contributions do not open"
                                 " with your card's key; nothing was changed.")
    try:
        package = parse_package(made.successor_keys)
        content_key = content_key_for_card(package, key)
        if content_key is None or package.signer != made.key:
            raise refused
        obj = codec.loads(open_bytes(package, content_key))
        if not isinstance(obj, dict) or set(obj) != {"kind", "format_version", "keys"} \
                or obj["kind"] != _KEYS_KIND or obj["format_version"] != 1 \
                or not isinstance(obj["keys"], list) \
                or not 0 < len(obj["keys"]) <= MAX_SUCCESSOR_KEYS:
            raise refused
        keys = tuple(unb64(k, 32) for k in obj["keys"])
        for raw in keys:
            X25519PrivateKey.from_private_bytes(raw)
    except (PackageError, codec.CodecError, ValueError, TypeError):
        raise refused from None
    return tuple(dict.fromkeys(keys))


def _check_chain(made: ProgrammeFile) -> None:
    """The hand-overs form one chain, without loops, ending at (or just after) the signer."""
    handovers = made.handovers
    for earlier, later in itertools.pairwise(handovers):
        if earlier.to_key != later.from_key or earlier.version > later.version:
            raise ProgrammeKeyError(
                "The programme file's hand-overs do not follow one from the other; nothing was"
                " changed.")
    chain = made.chain()
    if len(set(chain)) != len(chain):
        raise ProgrammeKeyError()
    if handovers and made.key not in (chain[-1], chain[-2]):
        raise ProgrammeKeyError()
    if handovers and handovers[-1].version > made.version:
        raise ProgrammeKeyError()


def accepts(known_key: bytes, made: ProgrammeFile) -> bool:
    """Whether a member who knows the programme by ``known_key`` may take ``made``: it is
    signed by that key, or by a key that key handed the programme to (through the chain)."""
    chain = made.chain()
    if known_key not in chain:
        return False
    return chain.index(known_key) <= chain.index(made.key)
