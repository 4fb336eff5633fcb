"""Import and export: your writing in from other journals and files, out to clear-text files.

The formats, their ``--format`` choices and help are those described in
:data:`journal_app.core.interchange.FORMATS`. An export meant for other eyes (pdf, html,
markdown) is reviewed for identifiers first; a JSON export is a copy of your own journal and
never is. ``export --format pdf`` is the only command that starts Qt (an offscreen
QGuiApplication, started by the PDF's exporter, which is imported only then).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app.cli.base import Add, later, open_journal, parse_day
from journal_app.cli.io import EXIT_OK, PROG, escape_line, print_json, say
from journal_app.core.errors import UsageError

if TYPE_CHECKING:
    from journal_app.core.interchange import ExportOptions, Format
    from journal_app.core.vault import Journal


def _review_export(args: argparse.Namespace, journal: Journal, records: Sequence[Any],
                   feedback: dict[str, str]) -> tuple[list[Any], dict[str, str], Any]:
    """The de-identification review of an export meant for other eyes: every finding is
    replaced (--redact-all), kept (--keep-all), or listed and nothing is written (exit 2)."""
    from journal_app.core.interchange.review import apply_texts, review_export

    review = review_export(records, args.format, journal.deid_names(), feedback)
    if review.findings and not (args.redact_all or args.keep_all):
        if args.json:
            print_json({"format": args.format, "written": 0, "findings": [
                {"entry": ref.entry_id, "part": ref.part, "category": f.category,
                 "text": f.text} for ref, f in review.findings]})
        else:
            # Only what is needed to decide: where, the kind, the words found; no context.
            print(f"Possible identifiers found: {len(review.findings)}")
            for ref, f in review.findings:
                print(f"  entry {ref.entry_id[:8]}, {ref.label()}: {f.category}"
                      f" \u201c{escape_line(f.text)}\u201d")
        raise UsageError(
            f"{len(review.findings)} possible identifier(s) need a decision: pass --redact-all"
            " to replace each with its category, or --keep-all to keep them as written."
            " Nothing was written."
        )
    if args.redact_all:
        review.redact_all()
    else:
        review.keep_all()
    out, new_feedback = apply_texts(records, review.results(), feedback)
    return out, new_feedback, review


def cmd_export(args: argparse.Namespace) -> int:
    from journal_app.core.interchange import export_format
    from journal_app.core.interchange.review import JSON_NOT_REVIEWED, reviewed_formats
    from journal_app.core.interchange.selection import (
        Selection,
        records_for_export,
        resolve_entry_ids,
    )

    spec = export_format(args.format)
    out = Path(args.out)
    date_from = parse_day(args.date_from) if args.date_from else None
    date_to = parse_day(args.date_to) if args.date_to else None
    if args.redact_all and not spec.reviewed:
        raise UsageError("A JSON export is a copy of your own journal and is never redacted;"
                         f" --redact-all is for {_and(reviewed_formats())}.")
    review = None
    with open_journal(args) as journal:
        selection = Selection(resolve_entry_ids(journal, args.entry or ()), date_from, date_to)
        records = records_for_export(journal, args.format, selection)
        damaged = len(journal.damaged)
        whole = spec.whole_journal and selection.everything
        if not records and not whole:
            raise UsageError("No entries match that choice; nothing was written.")
        feedback = _feedback(args, journal)
        if spec.reviewed:
            records, feedback, review = _review_export(args, journal, records, feedback)
        exporter = spec.exporter(_options(args, journal, feedback))
        count = exporter.write(records, out)
        skipped = getattr(exporter, "skipped", 0)
    what = "records" if whole else "entries"
    if review is None:
        say(JSON_NOT_REVIEWED)
    elif review.findings and not args.json:
        done = review.redacted()
        say(f"Replaced {done} possible identifier(s) with their category." if done else
             f"Kept {len(review.findings)} possible identifier(s) as written.")
    elif not args.json:
        say("No identifiers were found. Read it yourself before you hand it in: no detector"
             " is complete.")

    if damaged:
        say(f"Warning: {damaged} damaged record(s) cannot be read and were left out."
             f" Run '{PROG} verify'.")
    if args.json:
        data: dict[str, Any] = {"format": args.format, "written": count,
                                "skipped_existing": skipped}
        if review is not None:
            data.update(findings=len(review.findings), redacted=review.redacted())
        print_json(data)
    elif spec.folder:
        kept = f" ({skipped} already there were left as they were)" if skipped else ""
        say(f"Wrote {count} {what} to the folder {out.name}{kept}. "
             "These files are NOT encrypted: keep them safe.")
    else:
        say(f"Wrote {count} {what} to {out.name}. This file is NOT encrypted: keep it safe.")
    return EXIT_OK


def _feedback(args: argparse.Namespace, journal: Journal) -> dict[str, str]:
    """The mentor feedback a format prints an excerpt of (the portfolio; none for others)."""
    from journal_app.core.interchange import export_format

    if not export_format(args.format).prints_feedback or args.no_feedback:
        return {}
    from journal_app.core.sharing import portfolio_feedback

    return portfolio_feedback(journal)


def _options(args: argparse.Namespace, journal: Journal,
             feedback: dict[str, str]) -> ExportOptions:
    """The title page's name (given, or the one kept in the journal), the feedback, and the
    prompt library with the user's own prompts."""
    from journal_app.core.interchange import ExportOptions, export_format
    from journal_app.core.practice import library_with_custom, load_library

    name = args.name if args.name is not None else journal.app_state().portfolio_name
    attestations: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    if feedback or (export_format(args.format).prints_feedback and not args.no_feedback):
        from journal_app.core.programme import portfolio_files, portfolio_lines

        attestations, files = portfolio_lines(journal), portfolio_files(journal)
    return ExportOptions(name=name, feedback=feedback,
                         library=library_with_custom(load_library(), journal),
                         attestations=attestations, attestation_files=files)


def _and(words: Sequence[str]) -> str:
    """``pdf, html and markdown`` (``none`` for no format)."""
    if len(words) < 2:
        return words[0] if words else "none"
    return ", ".join(words[:-1]) + " and " + words[-1]


def _format_help(formats: Sequence[Format], export: bool) -> str:
    """``pdf: a portfolio; ...; json: every record (default)``, from the formats' own words."""
    from journal_app.core.interchange import COMMAND_LINE_DEFAULT

    parts = []
    for fmt in formats:
        side = fmt.exports if export else fmt.imports
        assert side is not None
        default = " (default)" if fmt.id == COMMAND_LINE_DEFAULT else ""
        parts.append(f"{fmt.id}: {side.help}{default}")
    return "; ".join(parts)


def cmd_import(args: argparse.Namespace) -> int:
    from journal_app.core.interchange import import_format
    from journal_app.core.records import skipped_notes

    importer = import_format(args.format).importer()
    records = importer.parse(Path(args.path))
    with open_journal(args) as journal:
        result = journal.import_records(records)
    for note in importer.notes() + skipped_notes(importer.skipped()):
        say(note)
    if args.json:
        # not_imported: records left out because an import brings your own writing only.
        print_json({"imported": result.imported, "skipped_duplicates": result.skipped_duplicates,
                     "not_imported": importer.skipped()})
    else:
        print(
            f"Imported {result.imported} records; skipped {result.skipped_duplicates}"
            " already in the journal."
        )
    return EXIT_OK


def register(add: Add) -> None:
    # The formats (their registry imports every format's module: Markdown, YAML, ...) are read
    # only when export or import is used, so no other command imports them.
    later(add("export", cmd_export, "write entries to clear-text files (not encrypted)"),
          _export_arguments)
    later(add("import", cmd_import, "import your writing from a file (never contacts, feedback"
              " or settings: those have their own paths)"), _import_arguments)


def _export_arguments(p: argparse.ArgumentParser) -> None:
    from journal_app.core.interchange import COMMAND_LINE_DEFAULT, export_formats

    exports = export_formats()
    folders = [f.id for f in exports if f.exports is not None and f.exports.folder]
    titled = [f.id for f in exports if f.exports is not None and f.exports.title_page]
    with_feedback = [f.id for f in exports if f.exports is not None and f.exports.prints_feedback]
    reviewed = [f.id for f in exports if f.exports is not None and f.exports.reviewed]
    p.add_argument("--format", choices=[f.id for f in exports], default=COMMAND_LINE_DEFAULT,
                   help=_format_help(exports, export=True))
    p.add_argument("--out", required=True, metavar="PATH",
                   help=f"a file, or a folder for {_and(folders)}" if folders else "a file")
    p.add_argument("--entry", action="append", metavar="ID",
                   help="only this entry or reflection (an id or its first 6+ characters; "
                   "repeatable)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument("--name", help=f"the name on the portfolio's title page ({_and(titled)})")
    p.add_argument("--no-feedback", action="store_true",
                   help=f"leave out the short excerpts of mentor feedback ({_and(with_feedback)})")
    decide = p.add_mutually_exclusive_group()
    decide.add_argument("--redact-all", "--accept-all", dest="redact_all", action="store_true",
                        help="replace every possible identifier found with its category, e.g."
                        f" [name] ({', '.join(reviewed)}; without it or --keep-all, the findings"
                        " are listed and nothing is written)")
    decide.add_argument("--keep-all", action="store_true",
                        help="keep every possible identifier found as written")


def _import_arguments(p: argparse.ArgumentParser) -> None:
    from journal_app.core.interchange import COMMAND_LINE_DEFAULT, import_formats

    imports = import_formats()
    p.add_argument("--format", choices=[f.id for f in imports], default=COMMAND_LINE_DEFAULT,
                   help=_format_help(imports, export=False))
    p.add_argument("path")
