"""Keys and sealing: recovery key format, key slots, KDF bounds, AAD binding of records."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal_app.core.errors import (
    MistypedRecoveryKeyError,
    VaultDamagedError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from journal_app.core.vault.crypto import (
    KEY_LEN,
    NONCE_LEN,
    RECORD_FORMAT,
    TEST_KDF,
    KdfParams,
    KeySlot,
    OpenError,
    RecordCipher,
    derive_passphrase_key,
    format_recovery_key,
    make_slot,
    new_recovery_key,
    parse_recovery_key,
    passphrase_slot,
    recovery_kek,
    recovery_slot,
)
from journal_app.core.vault.journal import Journal

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
VAULT_ID = bytes(range(16))
OTHER_VAULT_ID = bytes(range(1, 17))
DATA_KEY = bytes(range(32, 64))

keys16 = st.binary(min_size=16, max_size=16)


# ============================================================================ recovery keys


@settings(max_examples=100, deadline=None)
@given(keys16)
def test_recovery_key_format_round_trip(key: bytes) -> None:
    text = format_recovery_key(key)
    groups = text.split("-")
    assert len(groups) == 8
    assert all(len(g) == 4 and set(g) <= set(B32) for g in groups)
    assert parse_recovery_key(text) == key


def test_new_recovery_keys_are_random_and_16_bytes() -> None:
    keys = {new_recovery_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(len(k) == 16 for k in keys)


@settings(max_examples=60, deadline=None)
@given(keys16, st.data())
def test_parse_ignores_case_spaces_and_dashes(key: bytes, data: st.DataObject) -> None:
    plain = format_recovery_key(key).replace("-", "")
    out = []
    for ch in plain:
        ch = ch.lower() if data.draw(st.booleans()) else ch
        sep = data.draw(st.sampled_from(["", "", " ", "-", "--", " - ", "\t", "\n"]))
        out.append(ch + sep)
    messy = "  " + "".join(out) + " \r\n"
    assert parse_recovery_key(messy) == key


def test_parse_known_layouts() -> None:
    key = bytes(range(16))
    text = format_recovery_key(key)
    assert parse_recovery_key(text.lower()) == key
    assert parse_recovery_key(text.replace("-", " ")) == key
    assert parse_recovery_key(text.replace("-", "")) == key


def test_parse_reads_confusable_digits_as_letters() -> None:
    # Base32 has no 0, 1 or 8: people typing O, I, B as digits still get their key back.
    for seed in range(200):
        key = hashlib.sha256(bytes([seed])).digest()[:16]
        text = format_recovery_key(key)
        if any(c in text for c in "OIB"):
            break
    else:  # pragma: no cover - 200 keys without O, I or B is practically impossible
        pytest.skip("no key with O, I or B")
    typed = text.replace("O", "0").replace("I", "1").replace("B", "8")
    assert typed != text
    assert parse_recovery_key(typed) == key


def test_every_single_character_typo_is_caught() -> None:
    key = bytes.fromhex("00112233445566778899aabbccddeeff")
    plain = format_recovery_key(key).replace("-", "")
    confusable = {"O": "0", "I": "1", "B": "8"}
    for pos, original in enumerate(plain):
        for replacement in B32:
            if replacement == original:
                continue
            typo = plain[:pos] + replacement + plain[pos + 1 :]
            with pytest.raises(MistypedRecoveryKeyError):
                parse_recovery_key(typo)
        # Digits that are not a confusable of this character are typos too.
        for digit in "0189":
            if confusable.get(original) == digit:
                continue
            typo = plain[:pos] + digit + plain[pos + 1 :]
            with pytest.raises(MistypedRecoveryKeyError):
                parse_recovery_key(typo)


def test_swapped_groups_are_caught() -> None:
    key = bytes.fromhex("0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    groups = format_recovery_key(key).split("-")
    swapped = [groups[1], groups[0], *groups[2:]]
    assert swapped != groups
    with pytest.raises(MistypedRecoveryKeyError):
        parse_recovery_key("-".join(swapped))


@pytest.mark.parametrize(
    "text",
    ["", "ABCD", "A" * 31, "A" * 33, "!" * 32, "ÄBCD" * 8, "====" * 8, "abcd-efgh"],
)
def test_malformed_recovery_keys_are_mistyped(text: str) -> None:
    with pytest.raises(MistypedRecoveryKeyError):
        parse_recovery_key(text)


def test_mistyped_is_a_wrong_recovery_key() -> None:
    # Callers that catch WrongRecoveryKeyError also catch typos.
    assert issubclass(MistypedRecoveryKeyError, WrongRecoveryKeyError)


# ============================================================================ key slots


@pytest.fixture(scope="module")
def p_slot() -> KeySlot:
    return passphrase_slot("correct horse", DATA_KEY, VAULT_ID, TEST_KDF)


@pytest.fixture(scope="module")
def r_slot() -> KeySlot:
    return recovery_slot(b"R" * 16, DATA_KEY, VAULT_ID)


def test_slot_round_trip(p_slot: KeySlot, r_slot: KeySlot) -> None:
    for slot in (p_slot, r_slot):
        again = KeySlot.from_bytes(slot.to_bytes())
        assert again == slot
        assert again.to_bytes() == slot.to_bytes()
    assert p_slot.kdf == TEST_KDF
    assert r_slot.kdf is None


def test_slot_unwraps_with_the_right_key_only(p_slot: KeySlot, r_slot: KeySlot) -> None:
    kek = derive_passphrase_key("correct horse", p_slot.salt, TEST_KDF)
    assert p_slot.unwrap(kek, VAULT_ID) == DATA_KEY
    wrong = derive_passphrase_key("correct horsE", p_slot.salt, TEST_KDF)
    assert p_slot.unwrap(wrong, VAULT_ID) is None
    # The slot is bound to its vault.
    assert p_slot.unwrap(kek, OTHER_VAULT_ID) is None
    assert r_slot.unwrap(recovery_kek(b"R" * 16, r_slot.salt), VAULT_ID) == DATA_KEY
    assert r_slot.unwrap(recovery_kek(b"S" * 16, r_slot.salt), VAULT_ID) is None


def test_slot_binds_kdf_parameters_and_kind() -> None:
    kek = os.urandom(KEY_LEN)
    salt = os.urandom(16)
    slot = make_slot("passphrase", kek, DATA_KEY, VAULT_ID, salt, TEST_KDF)
    assert slot.unwrap(kek, VAULT_ID) == DATA_KEY
    raised = KdfParams(TEST_KDF.memory_kib * 2, TEST_KDF.iterations, TEST_KDF.lanes)
    edited = KeySlot(slot.kind, slot.salt, slot.nonce, slot.wrapped, raised)
    assert edited.unwrap(kek, VAULT_ID) is None
    as_recovery = KeySlot("recovery", slot.salt, slot.nonce, slot.wrapped, None)
    assert as_recovery.unwrap(kek, VAULT_ID) is None


def test_two_slots_for_the_same_key_differ() -> None:
    a = passphrase_slot("pw", DATA_KEY, VAULT_ID, TEST_KDF)
    b = passphrase_slot("pw", DATA_KEY, VAULT_ID, TEST_KDF)
    assert a.salt != b.salt
    assert a.nonce != b.nonce
    assert a.wrapped != b.wrapped


def test_passphrase_is_compared_in_nfc() -> None:
    nfc = unicodedata.normalize("NFC", "café ñandú")
    nfd = unicodedata.normalize("NFD", "café ñandú")
    assert nfc != nfd
    slot = passphrase_slot(nfc, DATA_KEY, VAULT_ID, TEST_KDF)
    kek = derive_passphrase_key(nfd, slot.salt, TEST_KDF)
    assert slot.unwrap(kek, VAULT_ID) == DATA_KEY


def _all_flips(data: bytes) -> list[bytes]:
    out = []
    for pos in range(len(data)):
        for mask in (0x01, 0x20, 0x80):
            changed = bytearray(data)
            changed[pos] ^= mask
            out.append(bytes(changed))
    return out


def test_every_flipped_byte_in_a_slot_is_damage(p_slot: KeySlot, r_slot: KeySlot) -> None:
    for slot in (p_slot, r_slot):
        for damaged in _all_flips(slot.to_bytes()):
            with pytest.raises(VaultDamagedError):
                KeySlot.from_bytes(damaged)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_are_damage_never_something_else(data: bytes) -> None:
    with pytest.raises(VaultDamagedError):
        KeySlot.from_bytes(data)


def _body(slot: KeySlot) -> dict[str, object]:
    return json.loads(json.loads(slot.to_bytes())["slot"])


def _with_checksum(body: dict[str, object]) -> bytes:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    check = hashlib.sha256(text.encode()).hexdigest()
    return json.dumps({"slot": text, "sha256": check}).encode()


def test_bad_checksum_is_damage(p_slot: KeySlot) -> None:
    outer = json.loads(p_slot.to_bytes())
    outer["sha256"] = "0" * 64
    with pytest.raises(VaultDamagedError):
        KeySlot.from_bytes(json.dumps(outer).encode())
    # A changed body under the old checksum is damage too.
    outer = json.loads(p_slot.to_bytes())
    body = json.loads(outer["slot"])
    body["salt"] = base64.b64encode(b"x" * 16).decode()
    outer["slot"] = json.dumps(body, sort_keys=True, separators=(",", ":"))
    with pytest.raises(VaultDamagedError):
        KeySlot.from_bytes(json.dumps(outer).encode())
    # The same edit with a matching checksum parses (the checksum is what caught it).
    assert KeySlot.from_bytes(_with_checksum(body)).salt == b"x" * 16


@pytest.mark.parametrize(
    "edit",
    [
        {"v": 2},
        {"kind": "other"},
        {"nonce": base64.b64encode(b"n" * (NONCE_LEN - 1)).decode()},
        {"wrapped": base64.b64encode(b"w" * KEY_LEN).decode()},
        {"salt": "not base64!"},
        {"salt": 5},
        {"kdf": {"alg": "scrypt", "memory_kib": 64, "iterations": 1, "lanes": 1}},
        {"kdf": {"alg": "argon2id", "memory_kib": "lots", "iterations": 1, "lanes": 1}},
        {"kdf": None},
        {"kdf": "argon2id"},
    ],
)
def test_intact_checksum_but_impossible_values_is_damage(
    p_slot: KeySlot, edit: dict[str, object]
) -> None:
    body = _body(p_slot)
    body.update(edit)
    with pytest.raises(VaultDamagedError):
        KeySlot.from_bytes(_with_checksum(body))


def test_passphrase_slot_without_kdf_is_damage(p_slot: KeySlot) -> None:
    body = _body(p_slot)
    del body["kdf"]
    with pytest.raises(VaultDamagedError):
        KeySlot.from_bytes(_with_checksum(body))


@pytest.mark.parametrize(
    ("memory_kib", "iterations", "lanes"),
    [
        (100 * 1024 * 1024, 3, 4),  # 100 GiB
        (4 * 1024 * 1024, 64, 4),  # 4 GiB and 64 iterations: minutes and gigabytes per try
        (256 * 1024 + 1, 1, 1),  # the caps of share packages: 256 MiB, 10 iterations, 16 lanes
        (64 * 1024, 11, 1),
        (64 * 1024, 1, 17),
        (4 * 1024 * 1024 + 1, 1, 1),
        (2**62, 1, 1),
        (64, 10_000, 1),
        (64, 0, 1),
        (64, 1, 0),
        (64 * 1024, 1, 1000),
        (7, 1, 1),  # less than 8 KiB per lane
        (-1, 1, 1),
    ],
)
def test_hostile_argon2_parameters_are_refused_as_damage(
    p_slot: KeySlot, memory_kib: int, iterations: int, lanes: int
) -> None:
    body = _body(p_slot)
    body["kdf"] = {
        "alg": "argon2id", "memory_kib": memory_kib, "iterations": iterations, "lanes": lanes
    }
    start = time.monotonic()
    with pytest.raises(VaultDamagedError) as caught:
        KeySlot.from_bytes(_with_checksum(body))
    assert "more memory or time" in caught.value.message
    params = KdfParams(memory_kib, iterations, lanes)
    with pytest.raises(VaultDamagedError):
        derive_passphrase_key("pw", b"s" * 16, params)
    assert time.monotonic() - start < 1.0  # refused before any work


def test_the_caps_admit_what_journal_app_itself_writes() -> None:
    KdfParams().check()
    TEST_KDF.check()
    KdfParams(256 * 1024, 10, 16).check()


def test_damage_is_never_reported_as_a_wrong_passphrase(tmp_path: Path) -> None:
    """Every flip of the stored passphrase slot, in both copies, with the *right* passphrase:
    the journal says it is damaged, never that the passphrase is wrong, and never opens."""
    assert not issubclass(VaultDamagedError, WrongPassphraseError)
    assert not issubclass(WrongPassphraseError, VaultDamagedError)
    journal, _key = Journal.create(tmp_path / "v", "right words", kdf=TEST_KDF)
    journal.close()
    db = tmp_path / "v" / "journal.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")  # this test's own writes need not reach the disk
    (original,) = conn.execute(
        "SELECT value FROM meta WHERE key='slot.passphrase.a'").fetchone()
    # Every byte, each with one of three masks in turn (low bit, ASCII case, high bit).
    flips = []
    for pos in range(len(original)):
        changed = bytearray(original)
        changed[pos] ^= (0x01, 0x20, 0x80)[pos % 3]
        flips.append(bytes(changed))

    def set_slot(value: bytes) -> None:
        conn.execute("UPDATE meta SET value=? WHERE key IN "
                     "('slot.passphrase.a', 'slot.passphrase.b')", (value,))

    outcomes: dict[str, int] = {}
    try:
        with Journal.open(tmp_path / "v") as locked:
            for damaged in flips:
                set_slot(damaged)
                try:
                    locked.unlock("right words")
                except VaultDamagedError:
                    outcome = "damaged"
                except WrongPassphraseError:
                    outcome = "wrong passphrase"
                else:
                    outcome = "opened"
                    locked.lock()
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            set_slot(bytes(original))
            # The same journal, intact: the right passphrase opens it, a wrong one is told so.
            with pytest.raises(WrongPassphraseError):
                locked.unlock("wrong words")
            locked.unlock("right words")
    finally:
        conn.close()
    assert outcomes == {"damaged": len(flips)}


def test_default_kdf_meets_owasp_minimum() -> None:
    default = KdfParams()
    default.check()
    assert default.memory_kib >= 19 * 1024
    assert default.iterations >= 2


# ============================================================================ record sealing


@pytest.fixture(scope="module")
def cipher() -> RecordCipher:
    return RecordCipher(DATA_KEY, VAULT_ID)


RID = "0123456789abcdef0123456789abcdef"


def test_seal_open_round_trip(cipher: RecordCipher) -> None:
    blob = cipher.seal(RID, "entry", 1, 7, b"hello")
    assert blob[0] == RECORD_FORMAT
    assert b"hello" not in blob
    assert cipher.open(RID, "entry", 1, 7, blob) == b"hello"


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=2000))
def test_seal_open_round_trip_any_bytes(data: bytes) -> None:
    c = RecordCipher(DATA_KEY, VAULT_ID)
    assert c.open(RID, "entry", 1, 1, c.seal(RID, "entry", 1, 1, data)) == data


@pytest.mark.parametrize(
    ("record_id", "kind", "schema_version", "seq"),
    [
        ("fedcba9876543210fedcba9876543210", "entry", 1, 7),  # another row
        (RID, "revision", 1, 7),  # another kind
        (RID, "entry", 2, 7),  # another schema version
        (RID, "entry", 1, 6),  # an older write
        (RID, "entry", 1, 8),
    ],
)
def test_aad_binds_id_kind_version_and_seq(
    cipher: RecordCipher, record_id: str, kind: str, schema_version: int, seq: int
) -> None:
    blob = cipher.seal(RID, "entry", 1, 7, b"payload")
    with pytest.raises(OpenError):
        cipher.open(record_id, kind, schema_version, seq, blob)


def test_aad_binds_vault_id() -> None:
    a = RecordCipher(DATA_KEY, VAULT_ID)
    b = RecordCipher(DATA_KEY, OTHER_VAULT_ID)
    blob = a.seal(RID, "entry", 1, 1, b"payload")
    with pytest.raises(OpenError):
        b.open(RID, "entry", 1, 1, blob)
    assert a.open(RID, "entry", 1, 1, blob) == b"payload"


def test_another_data_key_does_not_open() -> None:
    a = RecordCipher(DATA_KEY, VAULT_ID)
    b = RecordCipher(bytes(32), VAULT_ID)
    with pytest.raises(OpenError):
        b.open(RID, "entry", 1, 1, a.seal(RID, "entry", 1, 1, b"payload"))


def test_fresh_nonce_per_seal(cipher: RecordCipher) -> None:
    blobs = [cipher.seal(RID, "entry", 1, 1, b"same") for _ in range(50)]
    assert len(set(blobs)) == 50
    nonces = {b[1 : 1 + NONCE_LEN] for b in blobs}
    assert len(nonces) == 50


def test_every_flipped_byte_in_a_blob_fails(cipher: RecordCipher) -> None:
    blob = cipher.seal(RID, "entry", 1, 3, b"some journal text")
    for pos in range(len(blob)):
        changed = bytearray(blob)
        changed[pos] ^= 0x01
        with pytest.raises(OpenError):
            cipher.open(RID, "entry", 1, 3, bytes(changed))


@pytest.mark.parametrize("cut", [0, 1, 12, 1 + NONCE_LEN + 15])
def test_truncated_blob_fails(cipher: RecordCipher, cut: int) -> None:
    blob = cipher.seal(RID, "entry", 1, 3, b"")
    with pytest.raises(OpenError):
        cipher.open(RID, "entry", 1, 3, blob[:cut])


def test_meta_blobs_are_bound_to_their_name(cipher: RecordCipher) -> None:
    blob = cipher.seal_meta("manifest", 0, b"{}")
    assert cipher.open_meta("manifest", blob) == (0, b"{}")
    with pytest.raises(OpenError):
        cipher.open_meta("search_index", blob)
    # A meta blob is not a record and the other way round.
    with pytest.raises(OpenError):
        cipher.open("manifest", "entry", 1, 0, blob)


def test_manifest_mac_depends_on_every_field(cipher: RecordCipher) -> None:
    base = cipher.entry_mac(RID, "entry", 1, 5)
    assert base == cipher.entry_mac(RID, "entry", 1, 5)
    others = {
        cipher.entry_mac("f" * 32, "entry", 1, 5),
        cipher.entry_mac(RID, "revision", 1, 5),
        cipher.entry_mac(RID, "entry", 2, 5),
        cipher.entry_mac(RID, "entry", 1, 6),
        RecordCipher(bytes(32), VAULT_ID).entry_mac(RID, "entry", 1, 5),
    }
    assert base not in others
    assert len(others) == 5
    # The MAC key is derived, not the data key itself.
    assert cipher.mac_key != cipher.data_key


def test_the_manifest_digest_is_the_xor_of_every_rows_mac(cipher: RecordCipher) -> None:
    """The digest over many rows (one keyed HMAC state copied per row) is exactly the rows'
    own MACs XORed: the same manifest as one row at a time gives."""
    rows = [(f"{i:032x}", kind, 1, i * 3) for i in range(50) for kind in ("entry", "checkin")]
    expected = 0
    for row in rows:
        expected ^= cipher.entry_mac(*row)
    assert cipher.manifest_digest(rows) == (len(rows), expected)
    assert cipher.manifest_digest(rows[:-1]) != (len(rows) - 1, expected)
