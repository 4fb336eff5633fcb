"""Import and export: your writing in from other journals and files, out to clear-text files.

An export meant for other eyes (pdf, html, markdown) is reviewed for identifiers first; a JSON
export is a copy of your own journal and never is. ``export --format pdf`` is the only command
that starts Qt (an offscreen QGuiApplication).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import UsageError
from .base import Add, open_journal, parse_day
from .io import EXIT_OK, PROG, escape_line, print_json, say

if TYPE_CHECKING:
    from ..core.journal import Journal


def _review_export(args: argparse.Namespace, journal: Journal, records: Sequence[Any],
                   feedback: dict[str, str]) -> tuple[list[Any], dict[str, str], Any]:
    """The de-identification review of an export meant for other eyes: every finding is
    replaced (--redact-all), kept (--keep-all), or listed and nothing is written (exit 2)."""
    from ..core.export_review import apply_texts, review_export

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
    from ..core.export_review import JSON_NOT_REVIEWED, is_reviewed
    from ..core.interchange import EXPORTERS
    from ..core.interchange.selection import Selection, records_for_export, resolve_entry_ids

    out = Path(args.out)
    date_from = parse_day(args.date_from) if args.date_from else None
    date_to = parse_day(args.date_to) if args.date_to else None
    if args.redact_all and not is_reviewed(args.format):
        raise UsageError("A JSON export is a copy of your own journal and is never redacted;"
                         " --redact-all is for pdf, html and markdown.")
    skipped = 0
    review = None
    with open_journal(args) as journal:
        selection = Selection(resolve_entry_ids(journal, args.entry or ()), date_from, date_to)
        records = records_for_export(journal, args.format, selection)
        damaged = len(journal.damaged)
        if not records and not (args.format == "json" and selection.everything):
            raise UsageError("No entries match that choice; nothing was written.")
        if is_reviewed(args.format):
            feedback = _portfolio_feedback(args, journal)
            records, feedback, review = _review_export(args, journal, records, feedback)
        if args.format == "pdf":
            count = _export_portfolio(args, journal, records, out, feedback)
        else:
            exporter = EXPORTERS[args.format]()
            count = exporter.write(records, out)
            skipped = getattr(exporter, "skipped", 0)
    what = "records" if args.format == "json" and selection.everything else "entries"
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
    elif args.format == "markdown":
        kept = f" ({skipped} already there were left as they were)" if skipped else ""
        say(f"Wrote {count} {what} to the folder {out.name}{kept}. "
             "These files are NOT encrypted: keep them safe.")
    else:
        say(f"Wrote {count} {what} to {out.name}. This file is NOT encrypted: keep it safe.")
    return EXIT_OK


def _portfolio_feedback(args: argparse.Namespace, journal: Journal) -> dict[str, str]:
    """The mentor feedback a portfolio PDF prints an excerpt of (none for other formats)."""
    if args.format != "pdf" or args.no_feedback:
        return {}
    from ..core.sharing import portfolio_feedback

    return portfolio_feedback(journal)


def _export_portfolio(args: argparse.Namespace, journal: Journal, records: Sequence[Any],
                      out: Path, feedback: dict[str, str]) -> int:
    """The portfolio PDF: the only command that starts Qt (an offscreen QGuiApplication)."""
    from ..core.custom import library_with_custom
    from ..core.prompts import load_library
    from ..ui.portfolio import PortfolioPdfExporter, ensure_gui_application

    name = args.name if args.name is not None else journal.app_state().portfolio_name
    app = ensure_gui_application()  # kept referenced while the PDF is laid out
    exporter = PortfolioPdfExporter(name=name, feedback=feedback,
                                    library=library_with_custom(load_library(), journal))
    count = exporter.write(records, out)
    del app
    return count


def cmd_import(args: argparse.Namespace) -> int:
    from ..core.importable import skipped_notes
    from ..core.interchange import IMPORTERS

    importer = IMPORTERS[args.format]()
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
    p = add("export", cmd_export, "write entries to clear-text files (not encrypted)")
    p.add_argument("--format", choices=["json", "markdown", "html", "pdf"], default="json",
                   help="json: every record (default); markdown: a folder of files; html: one "
                   "page; pdf: a portfolio")
    p.add_argument("--out", required=True, metavar="PATH", help="a file, or a folder for markdown")
    p.add_argument("--entry", action="append", metavar="ID",
                   help="only this entry or reflection (an id or its first 6+ characters; "
                   "repeatable)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument("--name", help="the name on the portfolio's title page (pdf)")
    p.add_argument("--no-feedback", action="store_true",
                   help="leave out the short excerpts of mentor feedback (pdf)")
    decide = p.add_mutually_exclusive_group()
    decide.add_argument("--redact-all", "--accept-all", dest="redact_all", action="store_true",
                        help="replace every possible identifier found with its category, e.g."
                        " [name] (pdf, html, markdown; without it or --keep-all, the findings"
                        " are listed and nothing is written)")
    decide.add_argument("--keep-all", action="store_true",
                        help="keep every possible identifier found as written")
    p = add("import", cmd_import, "import your writing from a file (never contacts, feedback"
            " or settings: those have their own paths)")
    p.add_argument("--format", choices=["json", "jrnl-json", "dayone", "markdown"],
                   default="json",
                   help="dayone: the export's zip or folder; markdown: a folder of .md, "
                   ".markdown or .txt files")
    p.add_argument("path")
