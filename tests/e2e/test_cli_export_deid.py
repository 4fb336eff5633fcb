"""journal-app export reviews identifiers before anything meant for other eyes is written.

Seen (issue 13): an entry holding "Mrs Alvarez (MRN 4471823, DOB 03/14/1951) ... 617-555-0134"
was printed unchanged into the portfolio PDF, which is made to be handed in. A PDF, HTML or
Markdown export now lists the possible identifiers and stops (exit 2, nothing written) unless
--redact-all (each replaced by its category, like share --accept-all) or --keep-all is given. A
JSON export (moving one's own journal) is not reviewed, and says so.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import PASSPHRASE, E2EEnv, fails, make_env, ok

BODY = ("Mrs Alvarez (MRN 4471823, DOB 03/14/1951) asked me to call her son on 617-555-0134. "
        "She lives in Springfield 01103.\n\nI felt useless on the drive back to the hospital.")
IDENTIFIERS = ("Alvarez", "4471823", "03/14/1951", "617-555-0134", "01103", "Springfield",
               "Okafor")
#: Words of the entries around the identifiers: a refusal has no reason to print them.
CONTEXT = ("asked me to call", "useless", "drive back", "Home visit", "Quiet night")


@dataclass
class Vault:
    env: E2EEnv
    ids: dict[str, str]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Vault:
    env = make_env(tmp_path_factory.mktemp("export-deid") / "cli")
    journal, _key = Journal.create(env.data_dir, PASSPHRASE, kdf=TEST_KDF)
    ids: dict[str, str] = {}
    with journal:
        ids["visit"] = journal.add_entry(
            title="Home visit", body=BODY, tags=["home-visits"],
            created=datetime(2026, 3, 14, 18, 30, tzinfo=UTC)).id
        ids["okafor"] = journal.add_entry(
            title="After Mr Okafor died", body="Quiet night. I sat in the car for a while.",
            created=datetime(2026, 3, 20, 7, 0, tzinfo=UTC)).id
        ids["plain"] = journal.add_entry(
            title="Teaching round", body="Good questions about sepsis.",
            created=datetime(2026, 4, 1, 9, 0, tzinfo=UTC)).id
    return Vault(env, ids)


def pdf_text(path: Path) -> str:
    return " ".join(unicodedata.normalize("NFKC", " ".join(
        p.extract_text() or "" for p in PdfReader(str(path)).pages)).split())


def written_text(fmt: str, out: Path) -> str:
    if fmt == "pdf":
        return pdf_text(out)
    if fmt == "markdown":
        return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.iterdir()))
    return out.read_text(encoding="utf-8")


def out_path(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / {"pdf": "portfolio.pdf", "html": "page.html", "markdown": "md"}[fmt]


@pytest.mark.parametrize(("fmt", "chosen"), [
    ("pdf", True), ("pdf", False), ("html", True), ("html", False), ("markdown", True),
    ("markdown", False),
])
def test_an_export_with_undecided_findings_is_refused(vault: Vault, tmp_path: Path, fmt: str,
                                                       chosen: bool) -> None:
    out = out_path(tmp_path, fmt)
    entry = ["--entry", vault.ids["visit"][:8], "--entry", vault.ids["okafor"][:8]] \
        if chosen else []
    result = vault.env.run("export", "--format", fmt, "--out", str(out), *entry)
    line = fails(result, 2, "--redact-all")
    assert "--keep-all" in line and "nothing was written" in line.lower()
    assert not out.exists() and not list(tmp_path.iterdir())
    # Each finding once, with its category and where it is; no text around it.
    listing = result.stdout
    for identifier in IDENTIFIERS:
        assert identifier in listing
    for words in CONTEXT:
        assert words not in listing and words not in result.stderr
    assert "record \u201c4471823\u201d" in listing and "phone \u201c617-555-0134\u201d" in listing
    assert "zip \u201c01103\u201d" in listing
    assert vault.ids["visit"][:8] in listing and vault.ids["okafor"][:8] in listing
    assert "Teaching" not in listing and vault.ids["plain"][:8] not in listing


def test_the_listing_as_json(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    result = vault.env.run("export", "--format", "html", "--out", str(out), "--json",
                           "--entry", vault.ids["okafor"][:8])
    fails(result, 2, "--redact-all")
    data = json.loads(result.stdout)
    assert data["written"] == 0
    assert data["findings"] == [{"entry": vault.ids["okafor"], "part": "title",
                                 "category": "name", "text": "Okafor"}]
    assert not out.exists()


def test_redact_all_leaves_no_identifier_in_the_pdf(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    result = ok(vault.env, "export", "--format", "pdf", "--out", str(out), "--redact-all",
                "--entry", vault.ids["visit"][:8], "--entry", vault.ids["okafor"][:8])
    assert "Wrote 2 entries" in result.stderr
    assert "replaced" in result.stderr.lower()
    text = pdf_text(out)
    for identifier in IDENTIFIERS:
        assert identifier not in text
    assert "I felt useless on the drive back" in text  # the rest is as written
    assert "[name]" in text and "[record]" in text and "[date]" in text
    assert "[phone]" in text and "[zip]" in text
    assert "After Mr [name] died" in text, text  # titles too, on the item and the contents page


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_redact_all_in_html_and_markdown(vault: Vault, tmp_path: Path, fmt: str) -> None:
    out = out_path(tmp_path, fmt)
    ok(vault.env, "export", "--format", fmt, "--out", str(out), "--redact-all")
    text = written_text(fmt, out)
    for identifier in IDENTIFIERS:
        assert identifier not in text
    assert "[record]" in text and "Good questions about sepsis." in text


def test_accept_all_is_a_synonym(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    ok(vault.env, "export", "--format", "html", "--out", str(out), "--accept-all",
       "--entry", vault.ids["visit"][:8])
    text = out.read_text(encoding="utf-8")
    assert "Alvarez" not in text and "[name]" in text


def test_keep_all_keeps_them(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    result = ok(vault.env, "export", "--format", "pdf", "--out", str(out), "--keep-all",
                "--entry", vault.ids["visit"][:8])
    assert "kept" in result.stderr.lower()
    text = pdf_text(out)
    for identifier in ("Alvarez", "4471823", "03/14/1951", "617-555-0134", "Springfield", "01103"):
        assert identifier in text


def test_nothing_found_exports_without_a_flag(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    ok(vault.env, "export", "--format", "html", "--out", str(out),
       "--entry", vault.ids["plain"][:8])
    assert "Good questions about sepsis." in out.read_text(encoding="utf-8")


def test_json_export_is_exempt_and_says_so(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    result = ok(vault.env, "export", "--out", str(out))
    assert "not checked for identifiers" in result.stderr
    assert "Alvarez" in out.read_text(encoding="utf-8")
    chosen = tmp_path / "one.json"
    ok(vault.env, "export", "--format", "json", "--out", str(chosen),
       "--entry", vault.ids["visit"][:8])
    assert "4471823" in chosen.read_text(encoding="utf-8")
    # Asking to redact a JSON export is refused rather than silently ignored.
    fails(vault.env.run("export", "--out", str(tmp_path / "x.json"), "--redact-all"), 2,
          "json")
    assert not (tmp_path / "x.json").exists()


def test_redact_all_and_keep_all_together_are_refused(vault: Vault, tmp_path: Path) -> None:
    fails(vault.env.run("export", "--format", "html", "--out", str(tmp_path / "x.html"),
                        "--redact-all", "--keep-all"), 2)
    assert not list(tmp_path.iterdir())


def test_share_takes_redact_all_too() -> None:
    """One word for one action: share --redact-all, with --accept-all kept as a synonym."""
    from journal_app.cli import build_parser

    for flag in ("--redact-all", "--accept-all"):
        args = build_parser().parse_args(["share", "--entry", "abcdef", "--out", "x", flag])
        assert args.accept_all is True
    for flag in ("--redact-all", "--accept-all"):
        args = build_parser().parse_args(["export", "--format", "pdf", "--out", "x", flag])
        assert args.redact_all is True and args.keep_all is False
