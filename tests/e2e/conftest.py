"""Shared pieces of the end-to-end tests: CLI runs in isolated folders, and vault builders.

A CLI run costs a few tenths of a second (Python start, imports, Argon2id), so vaults that
tests only read are built once per module, and vaults that tests change are built in-process with
the cheap ``TEST_KDF`` (the parameters live in the key slot: the CLI then unlocks them cheaply
too, through the same code path).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.helpers.cli import CliEnv

PASSPHRASE = "correct horse battery staple"
PROG_PREFIX = "journal-app: "


@dataclass
class E2EEnv(CliEnv):
    """A CliEnv with extra environment variables (a value of None removes the variable)."""

    extra: dict[str, str | None] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = super().env()
        for key, value in self.extra.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def secret(self, name: str, text: str) -> Path:
        """Write a one-line secret file (passphrase, recovery key) next to the passphrase file."""
        path = self.root / "secrets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        return path


def ok(env: CliEnv, *args: str, input: str | bytes | None = None,
       **kw: Any) -> subprocess.CompletedProcess[str]:
    """Run a command that must succeed."""
    result = env.run(*args, input=input, **kw)
    assert result.returncode == 0, f"{args}: exit {result.returncode}: {result.stderr}"
    assert "Traceback" not in result.stderr
    return result


def ok_json(env: CliEnv, *args: str, input: str | bytes | None = None, **kw: Any) -> Any:
    """Run a command with --json that must succeed and return its parsed output."""
    return json.loads(ok(env, *args, "--json", input=input, **kw).stdout)


def fails(result: subprocess.CompletedProcess[str], code: int,
          contains: str | None = None) -> str:
    """Check an error: the exit code, one plain line on stderr, no traceback. Returns the line."""
    assert result.returncode == code, (
        f"exit {result.returncode}, expected {code}: {result.stderr!r} {result.stdout[:200]!r}"
    )
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {result.stderr!r}"
    assert lines[0].startswith(PROG_PREFIX), lines[0]
    assert "bug in journal-app" not in lines[0], lines[0]
    if contains is not None:
        assert contains.lower() in lines[0].lower(), lines[0]
    return lines[0]


def make_env(root: Path, passphrase: str = PASSPHRASE, **extra: str | None) -> E2EEnv:
    env = E2EEnv(root, extra=dict(extra))
    env.set_passphrase(passphrase)
    return env


def build_vault(data_dir: Path, passphrase: str = PASSPHRASE,
                entries: list[dict[str, Any]] | None = None) -> tuple[str, list[str]]:
    """Create a vault in-process with TEST_KDF; returns its recovery key and the entry ids."""
    journal, recovery_key = Journal.create(data_dir, passphrase, kdf=TEST_KDF)
    with journal:
        ids = [journal.add_entry(**fields).id for fields in entries or []]
    return recovery_key, ids


def copy_vault(src: Path, env: CliEnv) -> None:
    shutil.copytree(src, env.data_dir)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name -> bytes)."""
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            out[str(path.relative_to(folder))] = path.read_bytes()
    return out


@pytest.fixture
def env(tmp_path: Path) -> E2EEnv:
    """A fresh isolated CLI environment without a vault yet."""
    return make_env(tmp_path / "cli")


@pytest.fixture
def vault_env(env: E2EEnv) -> E2EEnv:
    """A fresh isolated CLI environment with an empty TEST_KDF vault."""
    build_vault(env.data_dir)
    return env
