"""Import and export formats, without Qt.

Each format is described once in :data:`FORMATS` (:mod:`.formats`): the module that holds its
class registers it, and the command line and the app offer what is registered, so adding a
format is adding its module (imported below) and its tests. Importers parse and validate the
whole file before anything is written, so a bad file imports nothing.
"""

from __future__ import annotations

from journal_app.core.interchange import portfolio_pdf, summary_pdf
from journal_app.core.interchange.base import Exporter, Importer, read_limited
from journal_app.core.interchange.dayone import DayOneImporter
from journal_app.core.interchange.formats import (
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
from journal_app.core.interchange.html_export import HtmlExporter
from journal_app.core.interchange.jrnl import JrnlJsonImporter
from journal_app.core.interchange.markdown_export import MarkdownFolderExporter
from journal_app.core.interchange.markdown_folder import MarkdownFolderImporter
from journal_app.core.interchange.native import NativeJsonExporter, NativeJsonImporter

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
    "portfolio_pdf",
    "read_limited",
    "register",
    "summary_pdf",
    "unregister",
]
