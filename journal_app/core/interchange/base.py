"""Base classes and helpers shared by the import and export formats."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal_app.core.errors import InvalidDataError
from journal_app.core.files import decode_user_text, read_user_file
from journal_app.core.files import write_private_file as write_private_file
from journal_app.core.records.model import Record

if TYPE_CHECKING:
    from journal_app.core.interchange.formats import ExportOptions

#: Refuse import files above this size before reading them (a hostile file must not eat memory).
MAX_IMPORT_BYTES = 512 * 1024 * 1024


class Importer:
    """Reads a file into records. ``parse`` validates everything or raises InvalidDataError.

    What the screens call it and whether it reads a folder are in its format's description
    (:mod:`journal_app.core.interchange.formats`)."""

    def parse(self, path: Path) -> list[Record]:
        raise NotImplementedError

    def notes(self) -> list[str]:
        """Plain sentences about what the last ``parse`` left out on purpose (Day One videos,
        records that are not the user's writing), to show after importing. Never journal
        text."""
        return []

    def skipped(self) -> dict[str, int]:
        """How many records of each kind the last ``parse`` left out because an import brings
        the user's writing only (see :mod:`journal_app.core.records.importable`)."""
        return {}


class Exporter:
    """Writes records to a file (or a folder: see its format's description)."""

    @classmethod
    def from_options(cls, options: ExportOptions) -> Exporter:
        """The exporter for what the person exporting chose; most formats need none of it."""
        return cls()

    def write(self, records: Sequence[Record], path: Path) -> int:
        raise NotImplementedError


def read_limited(path: Path) -> bytes:
    """The bytes of an import file, refusing missing, unreadable or oversized files plainly."""
    return read_user_file(path, MAX_IMPORT_BYTES, too_large=f"{path.name} is too large to import.")


def load_json(path: Path) -> Any:
    """Parse a JSON import file; errors name the file and line, never its content."""
    text = decode_user_text(read_limited(path),
                            f"{path.name} is not UTF-8 text; nothing was imported.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDataError(
            f"{path.name} is not valid JSON (line {exc.lineno}); nothing was imported."
        ) from None
    except RecursionError:
        raise InvalidDataError(f"{path.name} is nested too deeply; nothing was imported.") from None
    except ValueError:  # a number beyond Python's limit on integer digits
        raise InvalidDataError(f"{path.name} is not valid JSON; nothing was imported.") from None
