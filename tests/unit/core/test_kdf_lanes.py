"""The passphrase key is derived by argon2-cffi with its lanes in parallel threads (issue 18,
section 2): it must be, bit for bit, the key cryptography's Argon2id derived before, with the
vault's real parameters, or no journal made before would open."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from journal_app.core.errors import VaultDamagedError
from journal_app.core.vault.crypto import (
    DEFAULT_KDF,
    KEY_LEN,
    SALT_LEN,
    TEST_KDF,
    KdfParams,
    derive_passphrase_key,
    normalise_passphrase,
)


def reference(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """What derived every passphrase key before: cryptography's single-threaded Argon2id."""
    return Argon2id(salt=salt, length=KEY_LEN, iterations=params.iterations,
                    lanes=params.lanes, memory_cost=params.memory_kib,
                    ).derive(normalise_passphrase(passphrase))


@pytest.mark.parametrize("params", [
    DEFAULT_KDF, TEST_KDF, KdfParams(memory_kib=1024, iterations=2, lanes=2),
    KdfParams(memory_kib=4096, iterations=1, lanes=3)], ids=str)
@pytest.mark.parametrize("passphrase", ["correct horse battery staple", "Grüße, Ärztin ☕",
                                        "e\u0301 decomposed"])
def test_the_key_is_the_one_cryptography_derived(params: KdfParams, passphrase: str) -> None:
    salt = bytes(range(SALT_LEN))
    key = derive_passphrase_key(passphrase, salt, params)
    assert len(key) == KEY_LEN
    assert key == reference(passphrase, salt, params)


def test_another_salt_or_passphrase_gives_another_key() -> None:
    salt = b"\x01" * SALT_LEN
    key = derive_passphrase_key("one", salt, TEST_KDF)
    assert key != derive_passphrase_key("two", salt, TEST_KDF)
    assert key != derive_passphrase_key("one", b"\x02" * SALT_LEN, TEST_KDF)


def test_hostile_parameters_are_refused_before_any_work() -> None:
    with pytest.raises(VaultDamagedError):
        derive_passphrase_key("x", b"\x00" * SALT_LEN, KdfParams(memory_kib=1 << 30))
