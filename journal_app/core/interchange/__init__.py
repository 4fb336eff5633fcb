"""Import and export formats, without Qt.

Each format is described once in :data:`FORMATS` (:mod:`.formats`): the module that holds its
class registers it, and the command line and the app offer what is registered, so adding a
format is adding its module (imported below) and its tests. Importers parse and validate the
whole file before anything is written, so a bad file imports nothing.
"""

from __future__ import annotations

from . import portfolio_pdf as portfolio_pdf
from . import summary_pdf as summary_pdf
from .base import Exporter, Importer, read_limited
from .dayone import DayOneImporter
from .formats import (
    COMMAND_LINE_DEFAULT,
    FORMATS,
    ExportOptions,
    Exports,
    Format,
    Imports,
    export_format,
    export_formats,
    import_format,
    import_formats,
    register,
    unregister,
)
from .html_export import HtmlExporter
from .jrnl import JrnlJsonImporter
from .markdown_export import MarkdownFolderExporter
from .markdown_folder import MarkdownFolderImporter
from .native import NativeJsonExporter, NativeJsonImporter

__all__ = [
    "COMMAND_LINE_DEFAULT",
    "FORMATS",
    "DayOneImporter",
    "ExportOptions",
    "Exporter",
    "Exports",
    "Format",
    "HtmlExporter",
    "Importer",
    "Imports",
    "JrnlJsonImporter",
    "MarkdownFolderExporter",
    "MarkdownFolderImporter",
    "NativeJsonExporter",
    "NativeJsonImporter",
    "export_format",
    "export_formats",
    "import_format",
    "import_formats",
    "read_limited",
    "register",
    "unregister",
]
