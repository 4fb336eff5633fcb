"""A small format of the tests' own: the titles of entries, one a line, in a text file.

It lives here, outside journal_app, and is registered by :func:`titles_format` only: the command
line and the import and export dialogs offer it without a line of theirs being edited, which is
what "adding a format is one module and its test" means.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from journal_app.core.errors import InvalidDataError
from journal_app.core.files import write_private_file
from journal_app.core.interchange import (
    Exporter,
    Exports,
    Format,
    Importer,
    Imports,
    read_limited,
    register,
    unregister,
)
from journal_app.core.interchange.selection import sort_entries
from journal_app.core.records.model import Entry, Record


class TitlesExporter(Exporter):
    def write(self, records: Sequence[Record], path: Path) -> int:
        entries = sort_entries(records)
        write_private_file(path, "".join(f"{e.display_title()}\n" for e in entries).encode())
        return len(entries)


class TitlesImporter(Importer):
    def parse(self, path: Path) -> list[Record]:
        try:
            lines = read_limited(path).decode("utf-8").splitlines()
        except UnicodeDecodeError:
            raise InvalidDataError(f"{path.name} is not UTF-8 text.") from None
        return [Entry(title=line.strip(), body=line.strip()) for line in lines if line.strip()]


TITLES = Format(
    "titles", "Titles only", order=15,
    exports=Exports(
        TitlesExporter, hint="The title of each entry, one a line.",
        help="the titles, one a line", default_name="titles-{day}.txt",
        file_filter="Text (*.txt)"),
    imports=Imports(
        TitlesImporter, label="Titles, one a line (.txt)",
        hint="Each line of the file becomes an entry.", help="a file of titles, one a line",
        patterns=("*.txt",)),
)


@contextmanager
def titles_format() -> Iterator[Format]:
    """The titles format registered while the block runs."""
    register(TITLES)
    try:
        yield TITLES
    finally:
        unregister(TITLES.id)
