"""The one description of every import and export format, read by every screen and command.

A format is registered once, by id, with what the command line, the export dialog and the
import dialog need to offer it: its name, its order in lists, and for each direction it
supports an :class:`Exports` or :class:`Imports` (the class that does the work, the file picker's
filter or folder, the default file name, whether it is reviewed for identifiers, ...). Nothing
else lists formats: ``journal-app export --format``, ``import --format``, the export dialog's
choices and the import dialog's list are all read from :data:`FORMATS`, so adding a format is one
module (its class and its :func:`register` call) and its test.

A format made with Qt (the portfolio PDF) is named here by the dotted path of its class in
``journal_app.ui`` and imported only when something is written with it: the core never imports
Qt, and the command line offers every format without loading Qt until a PDF is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from journal_app.core.errors import UsageError
from journal_app.core.interchange.base import Exporter, Importer

if TYPE_CHECKING:
    from journal_app.core.practice.prompts import Library

#: The format the command line uses without --format, both ways: journal-app's own JSON (a
#: full copy of the journal, made without Qt).
COMMAND_LINE_DEFAULT = "json"


@dataclass(frozen=True)
class ExportOptions:
    """What the person exporting chose besides the entries: the name on a title page, the mentor
    feedback to print an excerpt of, and the prompt library (with their own prompts) to name
    templates by. A format uses what it prints and ignores the rest."""

    name: str = ""
    feedback: Mapping[str, str] = field(default_factory=dict)
    library: Library | None = None
    #: Mentors' attestations the journal imported, one printed line each (the portfolio).
    attestations: tuple[str, ...] = ()
    #: The same attestations as signed (their files' text), written beside the portfolio so
    #: that anyone with journal-app can check what it prints (issue 24).
    attestation_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exports:
    """How a format exports.

    ``make`` is the :class:`Exporter` class, or ``"package.module:Class"`` for a class that needs
    Qt (imported the first time it is used), or None for a file a page makes from what it
    shows (``entries=False``: the trends summary). ``default_name`` may hold ``{day}``, today's
    date (a default name never holds journal text). ``file_filter`` is the save dialog's filter;
    a ``folder`` format picks a folder instead.
    """

    make: type[Exporter] | str | None
    #: One line for the export dialog, beside the name.
    hint: str
    #: A few words for ``journal-app export --help``.
    help: str
    default_name: str
    file_filter: str = ""
    folder: bool = False
    #: Meant for other eyes: every text it prints is reviewed for identifiers first
    #: (:mod:`journal_app.core.interchange.review`). journal-app's JSON, a copy of one's own
    #: journal, is not.
    reviewed: bool = True
    #: "All" means every record (revisions and the trash too), so the journal can be rebuilt.
    whole_journal: bool = False
    #: The export dialog starts with the checklist (a portfolio is chosen, not dumped).
    starts_chosen: bool = False
    #: Prints a name on a title page (the dialog's name field, ``--name``).
    title_page: bool = False
    #: Prints each entry's tags (and so reviews them).
    prints_tags: bool = True
    #: Prints an excerpt of mentor feedback under a reflection (``--no-feedback`` leaves it out).
    prints_feedback: bool = False
    #: Written from chosen entries, so offered by ``journal-app export`` and the export dialog.
    #: False: a file a page makes from what it shows (the trends summary), described here for
    #: its name, default file name and filter only.
    entries: bool = True

    def exporter_class(self) -> type[Exporter]:
        """The class, imported now if it was named by its dotted path."""
        if self.make is None:
            raise UsageError("This file is made from a page of the app, not exported from "
                             "entries. Nothing was written.")
        if not isinstance(self.make, str):
            return self.make
        module_name, _, class_name = self.make.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            raise UsageError(
                "This format is made with the app's Qt libraries, which cannot be loaded here;"
                " the other formats work without them. Nothing was written."
            ) from None
        if not (isinstance(cls, type) and issubclass(cls, Exporter)):
            raise TypeError(f"{self.make} is not an Exporter")
        return cls

    def exporter(self, options: ExportOptions | None = None) -> Exporter:
        return self.exporter_class().from_options(options or ExportOptions())


@dataclass(frozen=True)
class Imports:
    """How a format imports: the class, what the lists call it, and the file picker's choice."""

    make: type[Importer]
    #: The import dialog's list.
    label: str
    #: The import dialog's line under the list.
    hint: str
    #: A few words for ``journal-app import --help``.
    help: str
    #: Reads a folder (the dialog offers a folder picker).
    reads_folder: bool = False
    #: File name patterns for the file picker, e.g. ``("*.json",)``; empty: any file.
    patterns: tuple[str, ...] = ()

    def importer(self) -> Importer:
        return self.make()


@dataclass(frozen=True)
class Format:
    """One format: ``id`` is the ``--format`` value, ``name`` what the screens call it, ``order``
    its place in every list (smaller first)."""

    id: str
    name: str
    order: int
    exports: Exports | None = None
    imports: Imports | None = None

    def default_name(self, today: date | None = None) -> str:
        """The export's default file or folder name: the format and a date, never journal
        text."""
        assert self.exports is not None
        return self.exports.default_name.format(day=(today or date.today()).isoformat())


#: Every format, by id.
FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt``. A format whose import and export live in two modules registers each half
    under the same id, name and order; anything else registered twice is a mistake."""
    old = FORMATS.get(fmt.id)
    if old is not None:
        if (old.name, old.order) != (fmt.name, fmt.order) or (
                old.exports and fmt.exports) or (old.imports and fmt.imports):
            raise ValueError(f"the format {fmt.id!r} is registered twice")
        fmt = replace(old, exports=old.exports or fmt.exports,
                      imports=old.imports or fmt.imports)
    FORMATS[fmt.id] = fmt
    return fmt


def unregister(format_id: str) -> None:
    """Forget a format (for tests that add one of their own)."""
    FORMATS.pop(format_id, None)


def export_formats(*, every: bool = False) -> list[Format]:
    """The formats that export entries, in order (``every``: also the files pages make)."""
    return sorted((f for f in FORMATS.values()
                   if f.exports is not None and (every or f.exports.entries)),
                  key=lambda f: (f.order, f.id))


def import_formats() -> list[Format]:
    """The formats that import, in order."""
    return sorted((f for f in FORMATS.values() if f.imports is not None),
                  key=lambda f: (f.order, f.id))


def export_format(format_id: str) -> Exports:
    """How ``format_id`` exports (a file a page makes too: its name, file name and filter)."""
    fmt = FORMATS.get(format_id)
    if fmt is None or fmt.exports is None:
        raise UsageError(f"journal-app cannot export to {format_id!r}.")
    return fmt.exports


def import_format(format_id: str) -> Imports:
    fmt = FORMATS.get(format_id)
    if fmt is None or fmt.imports is None:
        raise UsageError(f"journal-app cannot import from {format_id!r}.")
    return fmt.imports
