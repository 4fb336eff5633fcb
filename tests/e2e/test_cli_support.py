"""``journal-app support``: the shipped support and crisis lines, with no journal and no
passphrase; ISO 3166 country codes (UK accepted for GB); JSON of a fixed shape; exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import E2EEnv, fails, ok

KEYS = {"disclaimer", "country", "emergency", "resources"}
RESOURCE_KEYS = {"id", "country", "name", "contact", "url", "hours", "description",
                 "last_checked", "checked_by", "verified"}
NO_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "LANGUAGE": None}


@pytest.fixture
def bare(tmp_path: Path) -> E2EEnv:
    """No journal, no passphrase anywhere, no terminal, no locale."""
    env = E2EEnv(tmp_path / "cli", extra={"JOURNAL_APP_PASSPHRASE_FILE": None, **NO_LOCALE})
    return env


def support_json(env: E2EEnv, *args: str) -> dict[str, object]:
    result = ok(env, "support", *args, "--json")
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_json_shape_for_a_country_with_no_journal_and_no_passphrase(bare: E2EEnv) -> None:
    data = support_json(bare, "--country", "GB")
    assert set(data) == KEYS
    assert data["country"] == "GB"
    assert data["emergency"] == "999"
    assert "does not diagnose" in str(data["disclaimer"])
    resources = data["resources"]
    assert isinstance(resources, list) and resources
    for item in resources:
        assert set(item) == RESOURCE_KEYS
        assert isinstance(item["verified"], bool)
    local = [r for r in resources if r["country"] == "GB"]
    assert {"116 123", "0330 123 1245"} <= {
        n for r in local for n in ("116 123", "0330 123 1245") if n in r["contact"]}
    for item in local:
        assert item["url"].startswith("https://") and item["hours"]
        assert len(item["last_checked"]) == 10 and item["checked_by"] == "journal-app maintainers"
    intl = resources[-1]
    assert intl["country"] == "INTL" and intl["last_checked"] is None
    assert not bare.data_dir.exists()  # no journal was created or needed


def test_uk_is_accepted_for_gb_and_case_does_not_matter(bare: E2EEnv) -> None:
    assert support_json(bare, "--country", "uk") == support_json(bare, "--country", "GB")


@pytest.mark.parametrize(("code", "emergency"), [
    ("US", "911"), ("CA", "911"), ("IE", "112 or 999"), ("AU", "000"),
])
def test_each_country_gets_its_emergency_number(bare: E2EEnv, code: str,
                                                 emergency: str) -> None:
    data = support_json(bare, "--country", code)
    assert data["country"] == code and data["emergency"] == emergency
    assert any(r["country"] == code for r in data["resources"])  # type: ignore[union-attr]


def test_an_unknown_country_shows_the_international_entry(bare: E2EEnv) -> None:
    data = support_json(bare, "--country", "FR")
    assert data["country"] == "INTL"
    assert data["emergency"] == "your local emergency number"
    assert [r["country"] for r in data["resources"]] == ["INTL"]  # type: ignore[union-attr]


@pytest.mark.parametrize("code", ["GBR", "G1", "1", "U-K", "INTL"])
def test_a_malformed_country_exits_2(bare: E2EEnv, code: str) -> None:
    fails(bare.run("support", "--country", code), 2, "country")


def test_the_default_country_comes_from_the_locale(tmp_path: Path) -> None:
    au = E2EEnv(tmp_path / "au", extra={**NO_LOCALE, "JOURNAL_APP_PASSPHRASE_FILE": None,
                                        "LANG": "en_AU.UTF-8"})
    assert support_json(au)["country"] == "AU"
    plain = E2EEnv(tmp_path / "c", extra={**NO_LOCALE, "JOURNAL_APP_PASSPHRASE_FILE": None,
                                          "LANG": "C.UTF-8"})
    assert support_json(plain)["country"] == "INTL"


def test_text_output_has_the_sentence_the_lines_and_their_checks(bare: E2EEnv) -> None:
    result = ok(bare, "support", "--country", "US")
    out = result.stdout
    assert "not wanting to be alive" in out and "911" in out
    assert "988" in out and "1-888-409-0141" in out
    assert "https://" in out and "checked" in out
    assert "Passphrase" not in out + result.stderr


def test_support_never_reads_a_journal_or_a_passphrase(bare: E2EEnv) -> None:
    # A data folder that is not a journal, and a passphrase file that does not exist: neither
    # is touched.
    bare.extra["JOURNAL_APP_DATA_DIR"] = str(bare.root / "nothing-here")
    bare.extra["JOURNAL_APP_PASSPHRASE_FILE"] = str(bare.root / "missing")
    ok(bare, "support", "--country", "GB")


def test_support_imports_nothing_heavy() -> None:
    code = (
        "import io, sys, contextlib\n"
        "from journal_app.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['support', '--country', 'GB', '--json']) == 0\n"
        "heavy = ('PySide6', 'shiboken6', 'sqlalchemy', 'cryptography', 'argon2', 'numpy',\n"
        "         'pyqtgraph')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_saved_entry_that_speaks_of_wanting_to_die_points_to_the_lines(
        vault_env: E2EEnv) -> None:
    """The command line's counterpart of the app's support offer: one calm line on standard
    error, nothing else changed (the entry is saved as written; nothing about the match is
    stored)."""
    severe = "I don't want to be alive anymore, and I have been thinking about how I would do it"
    result = ok(vault_env, "add", "--title", "night", input=severe + "\n")
    assert "you deserve support tonight" in result.stderr
    assert "journal-app support" in result.stderr
    entry_id = result.stdout.strip()
    assert entry_id
    shown = ok(vault_env, "show", entry_id)
    assert "how I would do it" in shown.stdout
    for calm in ("The patient wanted to die at home, and she did.",
                 "I could have died laughing at the handover."):
        quiet = ok(vault_env, "add", "--title", "day", input=calm + "\n")
        assert "support" not in quiet.stderr
