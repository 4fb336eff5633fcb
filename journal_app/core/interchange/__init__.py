"""Import and export formats, without Qt.

Each format is a small class with a ``name`` registered in :data:`IMPORTERS` or
:data:`EXPORTERS`: adding a format is adding a class and its tests. Importers parse and validate
the whole file before anything is written, so a bad file imports nothing.
"""

from __future__ import annotations

from .base import EXPORTERS, IMPORTERS, Exporter, Importer, read_limited
from .dayone import DayOneImporter
from .html_export import HtmlExporter
from .jrnl import JrnlJsonImporter
from .markdown_export import MarkdownFolderExporter
from .markdown_folder import MarkdownFolderImporter
from .native import NativeJsonExporter, NativeJsonImporter

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "DayOneImporter",
    "Exporter",
    "HtmlExporter",
    "Importer",
    "JrnlJsonImporter",
    "MarkdownFolderExporter",
    "MarkdownFolderImporter",
    "NativeJsonExporter",
    "NativeJsonImporter",
    "read_limited",
]
