"""journal-app export in every format, as separate processes: selection, files, messages.

The vault is built once in-process (cheap KDF) and only read by the CLI runs here.
"""

from __future__ import annotations

import json
import stat
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from journal_app.core.records.model import AppState, Emotion, Reflection
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import PASSPHRASE, E2EEnv, fails, make_env, ok, ok_json


@dataclass
class Vault:
    env: E2EEnv
    ids: dict[str, str]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Vault:
    env = make_env(tmp_path_factory.mktemp("export") / "cli")
    journal, _key = Journal.create(env.data_dir, PASSPHRASE, kdf=TEST_KDF)
    ids: dict[str, str] = {}
    with journal:
        ids["night"] = journal.add_entry(
            title="CANARYNIGHT shift", body="We lost Mr Quill at 4am.", tags=["nights"],
            emotions=[Emotion("sad", 4)], stress=8,
            created=datetime(2026, 3, 14, 18, 30, tzinfo=UTC)).id
        ids["teaching"] = journal.add_entry(
            title="CANARYTEACH round", body="Good questions about sepsis.",
            created=datetime(2026, 4, 1, 9, 0, tzinfo=UTC)).id
        ids["reflection"] = journal.add_record(Reflection(
            title="CANARYREFLECT after the code", template_id="code",
            body="## What happened?\n\nWe ran the code for forty minutes.\n",
            created=datetime(2026, 5, 2, 22, 0, tzinfo=UTC),
            updated=datetime(2026, 5, 2, 22, 0, tzinfo=UTC))).id
        journal.update_app_state(lambda s: replace(s, portfolio_name="Robin Stored-Name"))
        assert isinstance(journal.app_state(), AppState)
    return Vault(env, ids)


def pdf_pages(path: Path) -> list[str]:
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split())
            for p in PdfReader(str(path)).pages]


def test_markdown_folder(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "md"
    # "Mr Quill" is a possible identifier: kept as written here (reviewing is
    # tests/e2e/test_cli_export_deid.py's subject).
    result = ok(vault.env, "export", "--format", "markdown", "--out", str(out), "--keep-all")
    assert "Wrote 3 entries to the folder md" in result.stderr
    assert "NOT encrypted" in result.stderr
    files = sorted(out.iterdir())
    assert len(files) == 3
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for path in files:
        assert "CANARY" not in path.name and stat.S_IMODE(path.stat().st_mode) == 0o600
    head = files[0].read_text(encoding="utf-8").split("---\n")[1]
    meta = yaml.safe_load(head)
    assert meta["id"] == vault.ids["night"] and meta["title"] == "CANARYNIGHT shift"
    assert meta["created"] == "2026-03-14T18:30:00+00:00"
    # A second run adds nothing and overwrites nothing.
    again = ok_json(vault.env, "export", "--format", "markdown", "--out", str(out),
                    "--keep-all")
    assert again == {"format": "markdown", "written": 0, "skipped_existing": 3,
                     "findings": 1, "redacted": 0}
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.docx").write_bytes(b"x")
    fails(vault.env.run("export", "--format", "markdown", "--out", str(foreign), "--keep-all"), 2,
          "already holds other files")


def test_html_with_entry_selection(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    ok(vault.env, "export", "--format", "html", "--out", str(out), "--keep-all",
       "--entry", vault.ids["teaching"][:8], "--entry", vault.ids["night"])
    page = out.read_text(encoding="utf-8")
    assert "CANARYNIGHT" in page and "CANARYTEACH" in page and "CANARYREFLECT" not in page
    assert page.index("CANARYNIGHT") < page.index("CANARYTEACH")  # oldest first
    assert "<script" not in page.lower()


def test_json_with_selection_and_dates(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "some.json"
    ok(vault.env, "export", "--out", str(out), "--entry", vault.ids["reflection"][:10])
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert [(r["id"], r["kind"]) for r in records] == [(vault.ids["reflection"], "reflection")]
    ranged = tmp_path / "april.json"
    ok(vault.env, "export", "--out", str(ranged), "--from", "2026-04-01", "--to", "2026-04-30")
    records = json.loads(ranged.read_text(encoding="utf-8"))["records"]
    assert [r["data"]["title"] for r in records] == ["CANARYTEACH round"]
    everything = tmp_path / "all.json"
    result = ok(vault.env, "export", "--out", str(everything))
    assert "records" in result.stderr
    kinds = {r["kind"] for r in json.loads(everything.read_text(encoding="utf-8"))["records"]}
    assert {"entry", "reflection", "app-state"} <= kinds


def test_portfolio_pdf_chosen_entries(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    result = ok(vault.env, "export", "--format", "pdf", "--out", str(out), "--name", "Sam Okafor",
                "--keep-all", "--entry", vault.ids["reflection"][:8],
                "--entry", vault.ids["night"][:8])
    assert "Wrote 2 entries" in result.stderr and "NOT encrypted" in result.stderr
    pages = pdf_pages(out)
    assert len(pages) == 3
    assert "Sam Okafor" in pages[0] and "14 March 2026 to 2 May 2026" in pages[0]
    whole = " ".join(pages)
    assert "CANARYNIGHT shift" in whole and "CANARYREFLECT after the code" in whole
    assert "CANARYTEACH" not in whole and "Good questions" not in whole
    assert "What happened?" in pages[2] and "CARE-7" in pages[2]


def test_portfolio_pdf_default_name_and_range(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    ok(vault.env, "export", "--format", "pdf", "--out", str(out), "--from", "2026-04-01")
    pages = pdf_pages(out)
    assert "Robin Stored-Name" in pages[0]  # the name kept (encrypted) in the journal
    assert "1 April 2026 to 2 May 2026" in pages[0]
    assert "CANARYNIGHT" not in " ".join(pages)


def test_export_errors_are_plain(vault: Vault, tmp_path: Path) -> None:
    fails(vault.env.run("export", "--format", "pdf", "--out", str(tmp_path / "x.pdf"),
                        "--entry", "ffffffffff"), 1)
    fails(vault.env.run("export", "--format", "html", "--out", str(tmp_path / "x.html"),
                        "--from", "2030-01-01"), 2, "no entries match")
    fails(vault.env.run("export", "--format", "html", "--out", str(tmp_path / "x.html"),
                        "--from", "yesterday"), 2, "dates")
    fails(vault.env.run("export", "--format", "docx", "--out", "x"), 2)
    assert not list(tmp_path.iterdir())
