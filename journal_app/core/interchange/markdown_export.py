"""A folder of Markdown files with YAML front matter, one file per entry.

File names come from the date and the id only (``2026-03-14-1830-1a2b3c4d.md``), never from
journal text: a file listing, a sync service's log or a backup index shows nothing written.
The front matter holds id, created, updated, title, tags, starred, mood, energy, stress,
encounter and emotions (empty ones left out); the body is the entry's Markdown (a reflection's
body already holds its answers under its stages' headings).

Into which folder: a new one (created readable by its owner only), an empty one, or the folder
of an earlier Markdown export (only files named like ours). Nothing there is ever overwritten
or deleted: files that exist already are left as they are and counted, so an export never
destroys a file someone edited since. Any other content is refused, so an export cannot spray
files over a home folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from journal_app.core.errors import StorageError, UsageError
from journal_app.core.interchange.base import Exporter, write_private_file
from journal_app.core.interchange.formats import Exports, Format, register
from journal_app.core.interchange.selection import images_by_entry, sort_entries
from journal_app.core.records.attachments import MEDIA_TYPES
from journal_app.core.records.model import Attachment, Entry, Record

#: Names this exporter writes: date, hour and minute, then 8 (or on a clash all 32) id digits.
#: The images of the notes, beside them (named from the note's file name and a number).
ATTACHMENTS_FOLDER = "attachments"
OUR_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-\d{4}-(?:[0-9a-f]{8}|[0-9a-f]{32})\.md$")


# safe_dump's dumper, but any string with a character that is not printable (a line break,
# NEL, U+2028, a zero-width space...) is written double-quoted with escapes: in plain or
# single-quoted style PyYAML folds some of them into spaces, and the text would not read back
# exactly. (Built with type(): PyYAML may come without type information.)
_FrontMatterDumper: Any = type("_FrontMatterDumper", (yaml.SafeDumper,), {})


def _represent_str(dumper: Any, value: str) -> Any:
    style = None if value.isprintable() else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FrontMatterDumper.add_representer(str, _represent_str)


def front_matter(entry: Entry) -> dict[str, Any]:
    """The front matter of ``entry`` as plain values (what yaml.safe_load gives back)."""
    data: dict[str, Any] = {
        "id": entry.id,
        "created": entry.created.isoformat(),
        "updated": entry.updated.isoformat(),
    }
    if entry.title:
        data["title"] = entry.title
    if entry.tags:
        data["tags"] = list(entry.tags)
    if entry.starred:
        data["starred"] = True
    for key in ("mood", "energy", "stress"):
        value = getattr(entry, key)
        if value is not None:
            data[key] = value
    if entry.encounter:
        data["encounter"] = entry.encounter
    if entry.emotions:
        data["emotions"] = [{"name": e.name, "intensity": e.intensity} for e in entry.emotions]
    return data


def markdown_document(entry: Entry) -> str:
    """The whole file: front matter between ``---`` lines, a blank line, the body."""
    # Dates go in as ISO strings (quoted by the dumper), so they read back exactly, offset
    # and all, instead of as YAML timestamps that some readers turn into naive times.
    meta = yaml.dump(front_matter(entry), Dumper=_FrontMatterDumper, sort_keys=False,
                     allow_unicode=True, default_flow_style=False, width=1_000_000)
    body = entry.body if entry.body.endswith("\n") or not entry.body else entry.body + "\n"
    return f"---\n{meta}---\n\n{body}"


def file_names(entries: Sequence[Entry]) -> list[str]:
    """A file name per entry: date, time and the id's first 8 digits; all 32 on a clash."""
    short = [f"{e.created:%Y-%m-%d-%H%M}-{e.id[:8]}.md" for e in entries]
    counts: dict[str, int] = {}
    for name in short:
        counts[name] = counts.get(name, 0) + 1
    return [name if counts[name] == 1 else f"{e.created:%Y-%m-%d-%H%M}-{e.id}.md"
            for name, e in zip(short, entries, strict=True)]


def prepare_folder(folder: Path) -> None:
    """Create ``folder`` (owner only), or check that an existing one may be added to.

    Raises:
        UsageError: a file is in the way, or the folder holds files that are not ours.
        StorageError: the folder cannot be created or read.
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder.name} is a file; choose a folder for a Markdown export.")
    if not folder.exists():
        try:
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
        except FileNotFoundError:
            raise StorageError(
                f"Could not create {folder.name}: the folder it goes in does not exist."
            ) from None
        except OSError:
            raise StorageError(f"Could not create the folder {folder.name}.") from None
        return
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        raise StorageError(f"Could not read the folder {folder.name}.") from None
    foreign = [n for n in names if not n.startswith(".") and not OUR_NAME.match(n)
               and n != ATTACHMENTS_FOLDER]
    if foreign:
        raise UsageError(
            f"{folder.name} already holds other files. Choose a new or empty folder "
            "(journal-app adds only to the folder of an earlier Markdown export)."
        )


class MarkdownFolderExporter(Exporter):
    """Entries as Markdown files in a folder (see the module docstring for the rules)."""

    def __init__(self) -> None:
        #: Files of this export that were in the folder already (left untouched).
        self.skipped = 0

    def write(self, records: Sequence[Record], path: Path) -> int:
        entries = sort_entries(records)
        images = images_by_entry(records)
        prepare_folder(path)
        written = 0
        for entry, name in zip(entries, file_names(entries), strict=True):
            target = path / name
            if target.exists():
                self.skipped += 1
                continue
            document = markdown_document(entry)
            if images.get(entry.id):
                document = document.rstrip("\n") + "\n\n" + self._write_images(
                    path, name.removesuffix(".md"), images[entry.id])
            write_private_file(target, document.encode("utf-8"))
            written += 1
        return written

    @staticmethod
    def _write_images(folder: Path, stem: str,
                      images: Sequence[tuple[Attachment, bytes]]) -> str:
        """Write an entry's images into ``attachments/`` (named from the note's own file name and
        a number, never from the original file name) and return the Markdown that shows them."""
        where = folder / ATTACHMENTS_FOLDER
        if not where.exists():
            try:
                where.mkdir(mode=0o700)
                os.chmod(where, 0o700)
            except OSError:
                raise StorageError(f"Could not create the folder {where.name}.") from None
        lines = []
        for n, (attachment, data) in enumerate(images, start=1):
            file_name = f"{stem}-{n}.{MEDIA_TYPES[attachment.media_type][1]}"
            write_private_file(where / file_name, data)
            lines.append(f"![Attachment {n}]({ATTACHMENTS_FOLDER}/{file_name})")
        return "\n\n".join(lines) + "\n"


register(Format(
    "markdown", "Markdown folder", order=40,
    exports=Exports(
        MarkdownFolderExporter, hint="One file per entry, for other notes apps.",
        help="a folder of files", default_name="journal-markdown-{day}", folder=True),
))
