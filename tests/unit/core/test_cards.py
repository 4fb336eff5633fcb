"""Mentor cards: round trip, the fingerprint, and every way a card file is refused."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import replace
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.core.errors import CardInvalidError
from journal_app.core.records.model import Identity
from journal_app.core.sharing.cards import (
    CARD_FORMAT,
    MAX_CARD_BYTES,
    Card,
    b64,
    card_of,
    fingerprint,
    identity_keys,
    new_identity,
    normalise_fingerprint,
)
from tests.unit.core.strategies import json_values

FIXED = Identity(
    name="Ada Mentor", role="mentor",
    x25519_private=b64(bytes(range(32))), ed25519_private=b64(bytes(range(32, 64))),
)


def card_json(identity: Identity = FIXED) -> dict[str, Any]:
    return card_of(identity).to_json()


def signed(obj: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """``obj`` with a valid self-signature by ``key`` (to test values the signature covers)."""
    card = Card(obj["name"], obj["role"], base64.b64decode(obj["x25519"]),
                base64.b64decode(obj["ed25519"]), b"")
    return {**obj, "self_sig": b64(key.sign(card.signed_bytes()))}


def test_card_round_trip() -> None:
    card = card_of(FIXED)
    data = card.to_bytes()
    assert json.loads(data)["format"] == CARD_FORMAT
    parsed = Card.parse(data)
    assert parsed == card
    assert parsed.name == "Ada Mentor" and parsed.role == "mentor"
    assert parsed.fingerprint == card.fingerprint
    # Ed25519 is deterministic: the same identity always gives the same card file.
    assert card_of(FIXED).to_bytes() == data
    assert len(data) < 600


def test_new_identities_differ_and_their_cards_parse() -> None:
    a, b = new_identity("Sam", "student"), new_identity("Sam", "student")
    assert a.x25519_private != b.x25519_private
    assert card_of(a).fingerprint != card_of(b).fingerprint
    assert Card.parse(card_of(a).to_bytes()) == card_of(a)


def test_fingerprint_is_stable_and_follows_the_documented_rule() -> None:
    card = card_of(FIXED)
    # Documented: SHA-256 over a context string and both public keys, last 32 decimal digits.
    digest = hashlib.sha256(b"journal-app fingerprint v1\x00" + card.x25519 + card.ed25519)
    digits = f"{int.from_bytes(digest.digest(), 'big') % 10**32:032d}"
    assert card.fingerprint == " ".join(digits[i:i + 4] for i in range(0, 32, 4))
    # Frozen: a fingerprint read out today must read the same after any upgrade.
    assert card.fingerprint == "3678 1146 8895 0567 6736 0605 4604 4246"
    groups = card.fingerprint.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 and g.isdigit() for g in groups)


def test_fingerprint_covers_both_keys_not_the_name() -> None:
    card = card_of(FIXED)
    renamed = card_of(Identity(name="Someone Else", role="student",
                               x25519_private=FIXED.x25519_private,
                               ed25519_private=FIXED.ed25519_private))
    assert renamed.fingerprint == card.fingerprint
    assert fingerprint(card.x25519, bytes(32)) != card.fingerprint
    assert fingerprint(bytes(32), card.ed25519) != card.fingerprint


def test_normalise_fingerprint() -> None:
    fp = card_of(FIXED).fingerprint
    assert normalise_fingerprint(fp.replace(" ", "")) == fp
    assert normalise_fingerprint(fp.replace(" ", "-")) == fp
    assert normalise_fingerprint(fp[:-1]) == ""
    assert normalise_fingerprint("Ada") == ""
    assert normalise_fingerprint("٠" * 32) == ""  # Arabic-Indic digits are not ours


def _mutated(**changes: Any) -> dict[str, Any]:
    obj = card_json()
    for key, value in changes.items():
        if value is ...:
            obj.pop(key)
        else:
            obj[key] = value
    return obj


OTHER = card_of(new_identity("Other", "student"))
_, FIXED_ED = identity_keys(FIXED)
LOW_ORDER_X25519 = [bytes(32), b"\x01" + bytes(31), bytes.fromhex(
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")]

INVALID: dict[str, bytes] = {
    "empty": b"",
    "not json": b"journal-app-card",
    "not utf-8": b"\xff\xfe{}",
    "json list": b"[]",
    "too large": json.dumps({**card_json(), "pad": "x" * MAX_CARD_BYTES}).encode(),
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "other format": json.dumps(_mutated(format="journal-app")).encode(),
    "version 2": json.dumps(_mutated(version=2)).encode(),
    "version text": json.dumps(_mutated(version="1")).encode(),
    "version true": json.dumps(_mutated(version=True)).encode(),
    "extra field": json.dumps(_mutated(extra=1)).encode(),
    "missing name": json.dumps(_mutated(name=...)).encode(),
    "missing sig": json.dumps(_mutated(self_sig=...)).encode(),
    "name not text": json.dumps(_mutated(name=["Ada"])).encode(),
    "name changed": json.dumps(_mutated(name="Eve Mentor")).encode(),
    "role changed": json.dumps(_mutated(role="student")).encode(),
    "x25519 short": json.dumps(_mutated(x25519=b64(bytes(31)))).encode(),
    "x25519 not base64": json.dumps(_mutated(x25519="*" * 44)).encode(),
    "x25519 number": json.dumps(_mutated(x25519=12)).encode(),
    # Strict base64: a character outside the alphabet is not skipped (the keys would decode).
    "x25519 stray character": json.dumps(_mutated(
        x25519=card_json()["x25519"][:20] + "!" + card_json()["x25519"][20:])).encode(),
    "ed25519 long": json.dumps(_mutated(ed25519=b64(bytes(33)))).encode(),
    "sig altered": json.dumps(_mutated(
        self_sig=b64(bytes([base64.b64decode(card_json()["self_sig"])[0] ^ 1])
                     + base64.b64decode(card_json()["self_sig"])[1:]))).encode(),
    "sig short": json.dumps(_mutated(self_sig=b64(bytes(63)))).encode(),
    # Someone else's encryption key beside this signing key: the self-signature catches it.
    "half swapped x25519": json.dumps(_mutated(x25519=b64(OTHER.x25519))).encode(),
    "half swapped ed25519": json.dumps(_mutated(ed25519=b64(OTHER.ed25519))).encode(),
    # Correctly self-signed, but the values themselves are not acceptable.
    "signed unknown role": json.dumps(signed(_mutated(role="boss"), FIXED_ED)).encode(),
    "signed empty name": json.dumps(signed(_mutated(name=" "), FIXED_ED)).encode(),
    "signed long name": json.dumps(signed(_mutated(name="A" * 101), FIXED_ED)).encode(),
    "signed control name": json.dumps(signed(_mutated(name="Ada\x1b[2J"), FIXED_ED)).encode(),
    "signed bidi name": json.dumps(signed(_mutated(name="Ada\u202eroM"), FIXED_ED)).encode(),
    "signed unnormalised name": json.dumps(signed(_mutated(name="Ada  Mentor"),
                                                  FIXED_ED)).encode(),
    **{f"signed low-order x25519 {i}": json.dumps(signed(_mutated(x25519=b64(point)),
                                                         FIXED_ED)).encode()
       for i, point in enumerate(LOW_ORDER_X25519)},
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_cards_are_refused_plainly(name: str) -> None:
    with pytest.raises(CardInvalidError) as info:
        Card.parse(INVALID[name])
    message = info.value.message
    assert "no contact was added" in message.lower()
    assert "Ada" not in message and "Eve" not in message  # never quotes the file


def test_the_same_keys_means_both_keys() -> None:
    """Who a card or a contact is: both keys, never one of them (half of someone else's)."""
    card = card_of(FIXED)
    contact = card.as_contact(confirmed=True)
    assert card.same_keys(contact) and card.same_keys(Card.parse(card.to_bytes()))
    for x25519, ed25519 in ((card.x25519, OTHER.ed25519), (OTHER.x25519, card.ed25519),
                            (OTHER.x25519, OTHER.ed25519)):
        half = Card(card.name, card.role, x25519, ed25519, card.self_sig)
        assert not card.same_keys(half)
        assert not card.same_keys(replace(contact, x25519=b64(x25519), ed25519=b64(ed25519)))


def test_newer_card_version_says_so() -> None:
    with pytest.raises(CardInvalidError, match="newer version"):
        Card.parse(INVALID["version 2"])


def test_a_card_with_a_bom_and_crlf_parses() -> None:
    data = b"\xef\xbb\xbf" + card_of(FIXED).to_bytes().replace(b"\n", b"\r\n")
    assert Card.parse(data) == card_of(FIXED)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_garbage_bytes_never_crash(data: bytes) -> None:
    with pytest.raises(CardInvalidError):
        Card.parse(data)


@settings(max_examples=300)
@given(json_values)
def test_garbage_json_never_crashes(value: Any) -> None:
    with pytest.raises(CardInvalidError):
        Card.from_json(value)


@settings(max_examples=400)
@given(st.data())
def test_mutated_cards_are_refused_or_unchanged(data: st.DataObject) -> None:
    original = card_of(FIXED).to_bytes()
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(mutated) - 1))
        mutated[pos] = data.draw(st.integers(0, 255))
    try:
        card = Card.parse(bytes(mutated))
    except CardInvalidError:
        return
    # Only a change JSON does not see (white space) may pass, and then it is the same card.
    assert card == card_of(FIXED)
