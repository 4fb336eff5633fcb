"""Shared fixtures. Qt runs offscreen; no test touches the real home or data folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests assert our behaviour, never how fast Hypothesis sees it run: on a loaded 2-core
# machine (CI, or a developer's with a build beside it) its default 200 ms deadline and its
# too-slow health check fail tests that are correct.
settings.register_profile("journal-app", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("journal-app")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point HOME, XDG folders and journal-app's variables at a private temp folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("JOURNAL_APP_DATA_DIR", raising=False)
    monkeypatch.delenv("JOURNAL_APP_PASSPHRASE_FILE", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def journal(data_dir: Path) -> Iterator[object]:
    """An unlocked journal with cheap Argon2id settings (stored in the slot, same code path)."""
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal

    j, _key = Journal.create(data_dir, "correct horse", kdf=TEST_KDF)
    yield j
    j.close()
