"""The share package file format, without a vault: sealing, opening, and every refusal."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.core.errors import (
    NotForYouError,
    PackageAlteredError,
    PackageError,
    PackageTruncatedError,
    PackageVersionError,
    WrongSharePassphraseError,
)
from journal_app.core.records import codec
from journal_app.core.records.model import Identity
from journal_app.core.sharing.cards import b64, card_of, identity_keys, new_identity
from journal_app.core.sharing.packages import (
    MAGIC,
    MAX_HEADER_BYTES,
    ExcerptPayload,
    FeedbackItem,
    FeedbackPayload,
    SharePayload,
    content_key_for_card,
    content_key_for_passphrase,
    open_payload,
    parse_package,
    seal_bytes,
    seal_package,
)
from journal_app.core.vault.crypto import TEST_KDF
from tests.unit.core.strategies import json_values

STUDENT = new_identity("Sam Student", "student")
MENTOR = new_identity("Ada Mentor", "mentor")
MENTOR2 = new_identity("Bo Mentor", "mentor")
STRANGER = new_identity("Eve", "mentor")
PASSPHRASE = "violet kettle harbour"
ID = "0123456789abcdef" * 2


def keys(identity: Identity) -> tuple[X25519PrivateKey, Ed25519PrivateKey]:
    return identity_keys(identity)


def share_payload(sender: Identity = STUDENT, text: str = "I sat with the family.") -> SharePayload:
    return SharePayload(
        created="2026-03-14", sender=card_of(sender).to_json(), note="A note", question="Why?",
        excerpts=[ExcerptPayload(excerpt_id=ID, entry_id="f" * 32, title="Night", text=text,
                                 year=2026, encounter="bad-news")],
    )


def seal(payload: Any = None, signer: Identity = STUDENT, to: tuple[Identity, ...] = (MENTOR,),
         passphrase: str | None = None) -> bytes:
    recipients = [keys(i)[0].public_key() for i in to]
    _id, data = seal_package(payload or share_payload(signer), keys(signer)[1], recipients,
                             passphrase=passphrase, kdf=TEST_KDF)
    return data


PACKAGE = seal()


def open_as(data: bytes, identity: Identity) -> Any:
    sealed = parse_package(data)
    key = content_key_for_card(sealed, keys(identity)[0])
    if key is None:
        raise NotForYouError()
    return open_payload(sealed, key)


def test_round_trip_to_one_recipient() -> None:
    opened = open_as(PACKAGE, MENTOR)
    assert opened.payload == share_payload()
    assert opened.sender == card_of(STUDENT)
    assert len(opened.package_id) == 32


def test_round_trip_to_two_recipients_each_opens_it() -> None:
    data = seal(to=(MENTOR, MENTOR2))
    first, second = open_as(data, MENTOR), open_as(data, MENTOR2)
    assert first.payload == second.payload == share_payload()
    with pytest.raises(NotForYouError):
        open_as(data, STRANGER)


def test_round_trip_with_a_share_passphrase() -> None:
    data = seal(to=(), passphrase=PASSPHRASE)
    sealed = parse_package(data)
    assert sealed.has_passphrase and not sealed.has_cards
    opened = open_payload(sealed, content_key_for_passphrase(sealed, PASSPHRASE))
    assert opened.payload == share_payload()
    with pytest.raises(WrongSharePassphraseError) as info:
        content_key_for_passphrase(sealed, "violet kettle harbor")
    assert info.value.exit_code == 3


def test_a_passphrase_and_cards_together() -> None:
    data = seal(to=(MENTOR,), passphrase=PASSPHRASE)
    sealed = parse_package(data)
    assert open_as(data, MENTOR).payload == share_payload()
    assert content_key_for_card(sealed, keys(STRANGER)[0]) is None
    assert open_payload(sealed, content_key_for_passphrase(sealed, PASSPHRASE)).payload \
        == share_payload()


def test_a_card_only_package_has_no_passphrase_slot() -> None:
    with pytest.raises(NotForYouError):
        content_key_for_passphrase(parse_package(PACKAGE), PASSPHRASE)


def test_feedback_payload_round_trip() -> None:
    payload = FeedbackPayload(created="2026-03-15", sender=card_of(MENTOR).to_json(), items=[
        FeedbackItem(feedback_id="a" * 32, share_package_id="b" * 32, excerpt_id=ID,
                     entry_id="f" * 32, comment="Thank you.", depth="reflection")])
    data = seal(payload, signer=MENTOR, to=(STUDENT,))
    assert open_as(data, STUDENT).payload == payload


def test_fresh_keys_nonces_and_ids_every_time() -> None:
    again = seal()
    assert parse_package(again).package_id != parse_package(PACKAGE).package_id
    assert again != PACKAGE


def test_the_header_names_nobody_and_the_text_is_not_in_clear() -> None:
    data = seal(share_payload(text="canary-text-8f1e"))
    for clear in (b"canary-text-8f1e", b"Sam Student", b"Ada Mentor", b"Night", b"A note",
                  b"bad-news", b"2026"):
        assert clear not in data
    header_len = struct.unpack(">I", data[len(MAGIC) + 2:len(MAGIC) + 6])[0]
    header = json.loads(data[len(MAGIC) + 6:len(MAGIC) + 6 + header_len])
    assert set(header) == {"package_id", "signer", "slots"}
    assert [set(s) for s in header["slots"]] == [{"type", "epk", "wrapped"}]


# ------------------------------------------------------------------------------ refusals


def test_every_altered_byte_is_refused() -> None:
    for pos in range(len(PACKAGE)):
        for flip in (0x01, 0x80):
            data = bytearray(PACKAGE)
            data[pos] ^= flip
            with pytest.raises(PackageError):
                open_as(bytes(data), MENTOR)


def test_altered_bytes_past_the_fixed_prefix_are_reported_as_altered() -> None:
    start = len(MAGIC) + 2 + 4  # after the magic, the version and the header length
    header_len = struct.unpack(">I", PACKAGE[len(MAGIC) + 2:start])[0]
    for pos in [*range(start, start + header_len), *range(start + header_len + 4, len(PACKAGE))]:
        data = bytearray(PACKAGE)
        data[pos] ^= 0x04
        with pytest.raises(PackageAlteredError):
            parse_package(bytes(data))


def test_every_truncation_is_refused_as_truncated() -> None:
    for length in range(1, len(PACKAGE)):
        with pytest.raises(PackageTruncatedError):
            parse_package(PACKAGE[:length])
    with pytest.raises(PackageError):
        parse_package(b"")


def test_extra_bytes_are_refused() -> None:
    with pytest.raises(PackageAlteredError, match="extra data"):
        parse_package(PACKAGE + b"\x00")


def test_an_unknown_version_is_refused_before_anything_else() -> None:
    data = MAGIC + struct.pack(">H", 2) + PACKAGE[len(MAGIC) + 2:]
    with pytest.raises(PackageVersionError, match="newer version"):
        parse_package(data)
    # Even a newer file laid out differently (shorter than a version-1 header) says so.
    with pytest.raises(PackageVersionError):
        parse_package(MAGIC + struct.pack(">H", 7))


def test_other_files_are_not_packages() -> None:
    for data in (b"{}", card_of(MENTOR).to_bytes(), b"%PDF-1.7", b"\x00" * 100):
        with pytest.raises(PackageError, match="not a share package"):
            parse_package(data)


def test_a_card_inside_that_is_not_the_signer_is_refused() -> None:
    # Signed by the student, but claiming to be from the mentor.
    _id, data = seal_package(share_payload(MENTOR), keys(STUDENT)[1],
                             [keys(MENTOR)[0].public_key()], kdf=TEST_KDF)
    with pytest.raises(PackageAlteredError, match="someone other than the sender"):
        open_as(data, MENTOR)


def test_a_resigned_package_with_another_key_is_refused() -> None:
    # Replace the signature with a valid one by another key, and the signer in the header:
    # the card inside then no longer matches the signer.
    data = _rebuild(PACKAGE, header_change=lambda h: {**h, "signer": b64(
        keys(STRANGER)[1].public_key().public_bytes_raw())}, signer=keys(STRANGER)[1])
    # The body's associated data changed with the header, so decryption fails: altered.
    with pytest.raises(PackageAlteredError):
        open_as(data, MENTOR)


def _rebuild(data: bytes, header_change: Any, signer: Ed25519PrivateKey) -> bytes:
    """Rebuild a package with a changed header and a fresh valid signature by ``signer``."""
    pos = len(MAGIC) + 2
    header_len = struct.unpack(">I", data[pos:pos + 4])[0]
    header = json.loads(data[pos + 4:pos + 4 + header_len])
    rest = data[pos + 4 + header_len:-64]
    new_header = codec.dumps(header_change(header))
    signed = data[:pos] + struct.pack(">I", len(new_header)) + new_header + rest
    return signed + signer.sign(b"journal-app package v1 signature\x00" + signed)


HOSTILE_HEADERS = {
    "huge kdf memory": lambda h: {**h, "slots": [{
        "type": "passphrase", "salt": b64(bytes(16)), "wrapped": b64(bytes(48)),
        "kdf": {"alg": "argon2id", "memory_kib": 64 * 1024 * 1024, "iterations": 1,
                "lanes": 1}}]},
    "many iterations": lambda h: {**h, "slots": [{
        "type": "passphrase", "salt": b64(bytes(16)), "wrapped": b64(bytes(48)),
        "kdf": {"alg": "argon2id", "memory_kib": 64, "iterations": 10_000, "lanes": 1}}]},
    "kdf as text": lambda h: {**h, "slots": [{
        "type": "passphrase", "salt": b64(bytes(16)), "wrapped": b64(bytes(48)),
        "kdf": {"alg": "argon2id", "memory_kib": "64", "iterations": 1, "lanes": 1}}]},
    "two passphrase slots": lambda h: {**h, "slots": [{
        "type": "passphrase", "salt": b64(bytes(16)), "wrapped": b64(bytes(48)),
        "kdf": {"alg": "argon2id", "memory_kib": 64, "iterations": 1, "lanes": 1}}] * 2},
    "no slots": lambda h: {**h, "slots": []},
    "too many slots": lambda h: {**h, "slots": h["slots"] * 40},
    "unknown slot": lambda h: {**h, "slots": [{"type": "rsa", "wrapped": b64(bytes(48))}]},
    "short epk": lambda h: {**h, "slots": [{"type": "x25519", "epk": b64(bytes(31)),
                                            "wrapped": b64(bytes(48))}]},
    "extra field": lambda h: {**h, "colour": "red"},
    "package id upper": lambda h: {**h, "package_id": h["package_id"].upper()},
    "package id number": lambda h: {**h, "package_id": 7},
}


@pytest.mark.parametrize("name", sorted(HOSTILE_HEADERS))
def test_hostile_but_validly_signed_headers_are_refused(name: str) -> None:
    data = _rebuild(PACKAGE, HOSTILE_HEADERS[name], keys(STUDENT)[1])
    with pytest.raises(PackageError):
        parse_package(data)


def test_a_header_length_beyond_the_limit_is_refused() -> None:
    pos = len(MAGIC) + 2
    data = PACKAGE[:pos] + struct.pack(">I", MAX_HEADER_BYTES + 1) + PACKAGE[pos + 4:]
    with pytest.raises(PackageAlteredError):
        parse_package(data)


def sealed_raw(plain: bytes) -> bytes:
    _id, data = seal_bytes(plain, keys(STUDENT)[1], [keys(MENTOR)[0].public_key()],
                           kdf=TEST_KDF)
    return data


def _payload_obj(**changes: Any) -> dict[str, Any]:
    obj = codec.to_jsonable(share_payload())
    obj.update(changes)
    return {k: v for k, v in obj.items() if v is not ...}


def _excerpt(**changes: Any) -> dict[str, Any]:
    obj = codec.to_jsonable(share_payload().excerpts[0])
    obj.update(changes)
    return obj


HOSTILE_PAYLOADS = {
    "not json": b"not json",
    "a list": b"[]",
    "unknown kind": codec.dumps(_payload_obj(kind="poem")),
    "extra field": codec.dumps(_payload_obj(mood=3)),
    "no excerpts": codec.dumps(_payload_obj(excerpts=[])),
    "repeated excerpt ids": codec.dumps(_payload_obj(excerpts=[_excerpt(), _excerpt()])),
    "excerpt id not hex": codec.dumps(_payload_obj(excerpts=[_excerpt(excerpt_id="x" * 32)])),
    "text too long": codec.dumps(_payload_obj(excerpts=[_excerpt(text="x" * 200_001)])),
    "text not text": codec.dumps(_payload_obj(excerpts=[_excerpt(text=5)])),
    "bad year": codec.dumps(_payload_obj(excerpts=[_excerpt(year=12)])),
    "bad encounter": codec.dumps(_payload_obj(excerpts=[_excerpt(encounter="party")])),
    "bad day": codec.dumps(_payload_obj(created="2026-03-14T10:00")),
    "note too long": codec.dumps(_payload_obj(note="n" * 20_001)),
    "no sender": codec.dumps(_payload_obj(sender=...)),
    "sender not a card": codec.dumps(_payload_obj(sender={"format": "journal-app-card"})),
    "feedback without items": codec.dumps({"kind": "feedback", "created": "2026-03-14",
                                           "sender": card_of(STUDENT).to_json(), "items": []}),
    "feedback bad depth": codec.dumps({
        "kind": "feedback", "created": "2026-03-14", "sender": card_of(STUDENT).to_json(),
        "items": [{"feedback_id": ID, "share_package_id": ID, "excerpt_id": ID,
                   "entry_id": ID, "comment": "ok", "depth": "deep"}]}),
    "feedback empty": codec.dumps({
        "kind": "feedback", "created": "2026-03-14", "sender": card_of(STUDENT).to_json(),
        "items": [{"feedback_id": ID, "share_package_id": ID, "excerpt_id": ID,
                   "entry_id": ID, "comment": "  "}]}),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PAYLOADS))
def test_hostile_payloads_from_a_valid_sender_are_refused(name: str) -> None:
    with pytest.raises(PackageError) as info:
        open_as(sealed_raw(HOSTILE_PAYLOADS[name]), MENTOR)
    assert not isinstance(info.value, PackageAlteredError)


# ------------------------------------------------------------------------------ properties


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_garbage_never_crashes(data: bytes) -> None:
    with pytest.raises(PackageError):
        open_as(data, MENTOR)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_garbage_after_the_magic_never_crashes(tail: bytes) -> None:
    with pytest.raises(PackageError):
        open_as(MAGIC + b"\x00\x01" + tail, MENTOR)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_packages_are_always_refused(data: st.DataObject) -> None:
    mutated = bytearray(PACKAGE)
    action = data.draw(st.sampled_from(["flip", "insert", "delete", "cut", "splice"]))
    pos = data.draw(st.integers(0, len(mutated) - 1))
    if action == "flip":
        mutated[pos] ^= data.draw(st.integers(1, 255))
    elif action == "insert":
        mutated[pos:pos] = data.draw(st.binary(min_size=1, max_size=8))
    elif action == "delete":
        del mutated[pos:pos + data.draw(st.integers(1, 8))]
    elif action == "cut":
        del mutated[pos:]
    else:  # the same stretch from another valid package of the same sender
        other = seal()
        end = min(len(other), pos + data.draw(st.integers(1, 64)))
        mutated[pos:end] = other[pos:end]
        if bytes(mutated) == PACKAGE:
            return
    with pytest.raises(PackageError):
        open_as(bytes(mutated), MENTOR)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_other_json_payload_is_refused(value: Any) -> None:
    data = sealed_raw(codec.dumps(value))
    with pytest.raises(PackageError):
        open_as(data, MENTOR)
