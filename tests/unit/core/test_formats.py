"""One description per format (journal_app.core.interchange.formats): what every screen and
command offers is read from it, and a format made with Qt is only named, never imported, by
the core."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from journal_app.cli import build_parser, main
from journal_app.core.errors import UsageError
from journal_app.core.interchange import (
    FORMATS,
    Exports,
    Format,
    NativeJsonImporter,
    export_format,
    export_formats,
    import_format,
    import_formats,
    register,
    unregister,
)
from journal_app.core.records.model import Entry
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.helpers.titles_format import TITLES, TitlesExporter, titles_format

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def titles() -> Iterator[Format]:
    with titles_format() as fmt:
        yield fmt


def test_the_formats_every_screen_offers_in_their_order() -> None:
    assert [f.id for f in export_formats()] == ["pdf", "html", "markdown", "json"]
    assert [f.id for f in import_formats()] == ["jrnl-json", "dayone", "markdown", "json"]
    assert [f.name for f in export_formats()] == [
        "Portfolio PDF", "HTML page", "Markdown folder", "journal-app JSON"]


def test_each_export_says_what_the_screens_need() -> None:
    for fmt in export_formats():
        spec = fmt.exports
        assert spec is not None and spec.hint and spec.help
        name = fmt.default_name(date(2026, 3, 14))
        assert "2026-03-14" in name
        if spec.folder:
            assert spec.file_filter == "" and "." not in name
        else:  # the save dialog's filter names the extension the default name has
            assert f"(*{Path(name).suffix})" in spec.file_filter
    assert FORMATS["pdf"].default_name(date(2026, 3, 14)) == "portfolio-2026-03-14.pdf"
    assert FORMATS["markdown"].default_name(date(2026, 3, 14)) == "journal-markdown-2026-03-14"


def test_what_each_export_prints_and_how_it_is_chosen() -> None:
    pdf, html, markdown, json = (export_format(n) for n in ("pdf", "html", "markdown", "json"))
    assert [s.reviewed for s in (pdf, html, markdown, json)] == [True, True, True, False]
    assert json.whole_journal and not (pdf.whole_journal or html.whole_journal)
    assert pdf.starts_chosen and pdf.title_page and pdf.prints_feedback and not pdf.prints_tags
    assert not (html.title_page or html.prints_feedback) and html.prints_tags
    assert markdown.folder and not (pdf.folder or html.folder or json.folder)


def test_import_descriptions() -> None:
    assert import_format("markdown").reads_folder
    assert not import_format("dayone").reads_folder and import_format("dayone").patterns == ()
    assert import_format("json").patterns == ("*.json",)
    assert isinstance(import_format("json").importer(), NativeJsonImporter)
    with pytest.raises(UsageError):
        import_format("html")  # an export only
    with pytest.raises(UsageError):
        export_format("dayone")  # an import only


def test_the_portfolio_is_named_not_imported_by_the_core() -> None:
    """Reading every description, and building the command line, loads neither the portfolio's
    Qt module nor Qt."""
    code = (
        "import sys\n"
        "from journal_app.core.interchange import export_formats, export_format\n"
        "from journal_app.cli import build_parser\n"
        "assert [f.id for f in export_formats()][0] == 'pdf'\n"
        "assert isinstance(export_format('pdf').make, str)\n"
        "build_parser()\n"
        "bad = [m for m in sys.modules if m == 'journal_app.ui.interchange.portfolio'\n"
        "       or m.split('.')[0] in ('PySide6', 'shiboken6')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_format_whose_module_cannot_be_loaded_says_so_plainly() -> None:
    """What the command line says for the PDF where Qt is missing: one sentence, no trace."""
    missing = Exports("journal_app.ui.no_such_module:Exporter", hint="h", help="h",
                      default_name="x-{day}.pdf", file_filter="PDF (*.pdf)")
    with pytest.raises(UsageError, match="cannot be loaded here") as caught:
        missing.exporter()
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    with pytest.raises(UsageError):
        Exports("journal_app.ui.interchange.portfolio:NoSuchClass", hint="h", help="h",
                default_name="x").exporter_class()
    with pytest.raises(TypeError):  # a dotted path to something that is not an exporter
        Exports("journal_app.core.interchange.formats:Format", hint="h", help="h",
                default_name="x").exporter_class()


def test_a_format_is_registered_once(titles: Format) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register(TITLES)
    with pytest.raises(ValueError, match="registered twice"):  # the same id, another name
        register(Format("titles", "Other", order=15, exports=None,
                        imports=TITLES.imports))


def test_two_halves_of_one_format_make_one_description() -> None:
    """Markdown's import and export live in two modules and register under one id."""
    half = Format("halves", "Halves", order=99, exports=TITLES.exports)
    other = Format("halves", "Halves", order=99, imports=TITLES.imports)
    try:
        register(half)
        register(other)
        both = FORMATS["halves"]
        assert both.exports is TITLES.exports and both.imports is TITLES.imports
    finally:
        unregister("halves")
    markdown = FORMATS["markdown"]
    assert markdown.exports is not None and markdown.imports is not None


def test_a_new_format_is_offered_by_the_command_line(titles: Format,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """tests/helpers/titles_format.py is the whole format: the parser offers it both ways."""
    parser = build_parser()
    args = parser.parse_args(["export", "--format", "titles", "--out", "x.txt"])
    assert args.format == "titles"
    assert parser.parse_args(["import", "--format", "titles", "x.txt"]).format == "titles"
    helps = {}
    for command in ("export", "import"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        helps[command] = " ".join(capsys.readouterr().out.split())
    assert "{pdf,titles,html,markdown,json}" in helps["export"]
    assert "pdf: a portfolio; titles: the titles, one a line; html: one page" in helps["export"]
    assert "{titles,jrnl-json,dayone,markdown,json}" in helps["import"]
    assert "titles: a file of titles, one a line; jrnl-json:" in helps["import"]
    unregister("titles")
    with pytest.raises(UsageError, match="invalid choice"):  # gone again: no longer offered
        build_parser().parse_args(["export", "--format", "titles", "--out", "x.txt"])


def test_a_new_format_exports_and_imports_through_the_command_line(
        titles: Format, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "vault"
    journal, _ = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    journal.save_entry(Entry(title="Teaching round", body="Good questions about sepsis."))
    journal.save_entry(Entry(title="Ward round", body="Quiet."))
    journal.close()
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    base = ["--data-dir", str(folder), "--passphrase-file", str(secret)]
    out = tmp_path / "titles.txt"
    assert main(["export", *base, "--format", "titles", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == "Teaching round\nWard round\n"
    said = capsys.readouterr().err
    assert "Wrote 2 entries to titles.txt." in said and "No identifiers were found" in said

    out.write_text("Night shift\n", encoding="utf-8")
    assert main(["import", *base, "--format", "titles", str(out)]) == 0
    assert "Imported 1 records" in capsys.readouterr().out
    journal = Journal.open(folder)
    journal.unlock(PASSPHRASE)
    try:
        assert sorted(e.title for e in journal.entries()) == [
            "Night shift", "Teaching round", "Ward round"]
    finally:
        journal.close()
    assert isinstance(export_format("titles").exporter(), TitlesExporter)


def test_the_trends_summary_is_described_but_not_exported_from_entries() -> None:
    summary = FORMATS["trends-summary"]
    assert summary not in export_formats() and summary in export_formats(every=True)
    assert summary.default_name(date(2026, 3, 14)) == "journal-trends-summary-2026-03-14.pdf"
    with pytest.raises(UsageError, match="invalid choice"):  # not a --format choice
        build_parser().parse_args(["export", "--format", "trends-summary", "--out", "x.pdf"])
    with pytest.raises(UsageError, match="made from a page"):
        export_format("trends-summary").exporter()
