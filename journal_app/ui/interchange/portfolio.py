"""The portfolio PDF: the pages of :mod:`journal_app.core.interchange.portfolio` laid out on A4 by
Qt.

QTextDocument lays out the HTML; QPdfWriter writes it, page by page, so each page gets a footer
(the title and name on the left, "Page n of N" on the right; none on the title page). Text stays
text in the PDF (searchable, selectable, extractable). The document loads no resource at all,
and the file is written through :func:`write_private_file` (owner-only, atomic).

Needs a QGuiApplication (fonts): the app has one; the command line starts an offscreen one only
for this format (:func:`ensure_gui_application`). Safe to run in a worker thread: QPdfWriter and
QTextDocument paint without widgets.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextDocument,
)

from journal_app.core.interchange import ExportOptions
from journal_app.core.interchange.base import Exporter, write_private_file
from journal_app.core.interchange.portfolio import (
    PortfolioOptions,
    handout_html,
    portfolio_entries,
    portfolio_html,
)
from journal_app.core.practice import Library, load_library
from journal_app.core.records import Record

RESOLUTION = 300
MARGINS_MM = QMarginsF(22, 20, 22, 16)
#: Height kept at the bottom of each page for the footer, in points.
FOOTER_PT = 24
SERIF = ["DejaVu Serif", "Georgia", "Times New Roman", "serif"]
SANS = ["DejaVu Sans", "Segoe UI", "Helvetica", "Arial", "sans-serif"]

INK = "#1f2328"
MUTED = "#5b626a"
ACCENT = "#0b5f8a"
RULE = "#cfd6dc"
TINT = "#e4edf4"
PAPER = "#f4eee3"

STYLE = f"""
body {{ color: {INK}; }}
p {{ margin-top: 0; margin-bottom: 7px; line-height: 135%; }}
li {{ margin-bottom: 3px; }}
.kicker {{ font-family: 'DejaVu Sans'; font-size: 10pt; color: {ACCENT}; margin-bottom: 10px;
  font-weight: 600; }}
.name {{ font-family: 'DejaVu Sans'; font-size: 26pt; font-weight: 600; margin-bottom: 10px; }}
.range {{ font-size: 13pt; margin-bottom: 2px; }}
.count {{ font-size: 11pt; color: {MUTED}; margin-bottom: 36px; }}
.contents-head {{ font-family: 'DejaVu Sans'; font-size: 9pt; color: {ACCENT}; font-weight: 600;
  margin-bottom: 4px; }}
table.contents {{ margin-bottom: 30px; }}
table.contents td {{ font-size: 9.5pt; border-bottom: 1px solid {RULE}; }}
td.c-date {{ color: {MUTED}; white-space: nowrap; width: 24%; }}
td.c-kind {{ color: {MUTED}; }}
.colophon {{ font-size: 8.5pt; color: {MUTED}; margin-top: 10px; }}
h1.item {{ font-family: 'DejaVu Sans'; font-size: 19pt; font-weight: 600; margin-bottom: 4px;
  page-break-before: always; }}
.meta {{ font-family: 'DejaVu Sans'; font-size: 9.5pt; color: {MUTED}; margin-bottom: 2px; }}
.credit {{ font-size: 8.5pt; color: {MUTED}; font-style: italic; margin-bottom: 8px; }}
table.tags {{ background-color: {TINT}; margin-top: 6px; margin-bottom: 14px; }}
td.t-label {{ font-family: 'DejaVu Sans'; font-size: 8pt; color: {ACCENT}; font-weight: 600;
  width: 26%; }}
td.t-value {{ font-size: 9pt; }}
.feelings {{ font-size: 9.5pt; color: {MUTED}; }}
h2 {{ font-family: 'DejaVu Sans'; font-size: 13pt; font-weight: 600; margin-top: 12px;
  margin-bottom: 4px; }}
h3 {{ font-family: 'DejaVu Sans'; font-size: 11pt; font-weight: 600; color: {ACCENT};
  margin-top: 14px; margin-bottom: 3px; }}
h4, h5, h6 {{ font-family: 'DejaVu Sans'; font-size: 10.5pt; font-weight: 600; margin-top: 8px;
  margin-bottom: 2px; }}
blockquote {{ color: {MUTED}; margin-left: 14px; }}
pre, code {{ font-family: 'DejaVu Sans Mono'; font-size: 9pt; }}
.depth {{ font-size: 9.5pt; margin-top: 12px; }}
.muted {{ color: {MUTED}; }}
table.feedback {{ background-color: {PAPER}; margin-top: 14px; }}
.fb-head {{ font-family: 'DejaVu Sans'; font-size: 8pt; color: {ACCENT}; font-weight: 600;
  margin-bottom: 3px; }}
.fb-text {{ font-size: 9.5pt; font-style: italic; margin-bottom: 0; }}
a {{ color: {INK}; text-decoration: none; }}
"""


class _OfflineDocument(QTextDocument):
    """A text document that loads nothing: no file, no URL (there are no images anyway)."""

    def loadResource(self, type_: int, name: QUrl | str, /) -> Any:
        return None


def ensure_gui_application() -> QGuiApplication:
    """The running Qt application, or a new offscreen QGuiApplication (for the command line).

    QT_QPA_PLATFORM is set in this process only, and only when it was not set: the command line
    must never need a display to write a PDF.
    """
    app = QGuiApplication.instance()
    if app is not None:
        assert isinstance(app, QGuiApplication)
        return app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(["journal-app"])


def _font(families: list[str], points: float) -> QFont:
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(points)
    return font


def render_pdf(pages: Sequence[str], footer: str, title: str) -> bytes:
    """Lay ``pages`` (HTML fragments; all but the first start a new page) out on A4 and return
    the PDF. ``footer`` is printed on every page but the first, with the page number."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, MARGINS_MM,
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(title)
    writer.setCreator("journal-app")
    paint = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer_px = FOOTER_PT * RESOLUTION / 72
    body = QSizeF(paint.width(), paint.height() - footer_px)

    doc = _OfflineDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDocumentMargin(0)
    doc.setDefaultFont(_font(SERIF, 10.5))
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml("<html><body>" + "".join(pages) + "</body></html>")
    doc.setPageSize(body)
    count = doc.pageCount()

    painter = QPainter(writer)
    try:
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, QColor(INK))
        small = _font(SANS, 8)
        for page in range(count):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body.height())
            context.clip = QRectF(0, page * body.height(), body.width(), body.height())
            painter.setClipRect(context.clip)
            doc.documentLayout().draw(painter, context)
            painter.restore()
            if page:
                line_y = body.height() + footer_px * 0.35
                painter.setPen(QColor(RULE))
                painter.drawLine(0, int(line_y), int(body.width()), int(line_y))
                painter.setPen(QColor(MUTED))
                painter.setFont(small)
                box = QRectF(0, line_y, body.width(), footer_px * 0.65)
                painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 footer)
                painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 f"Page {page + 1} of {count}")
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


class PortfolioPdfExporter(Exporter):
    """Chosen entries and reflections as a portfolio PDF (see
    :mod:`journal_app.core.interchange.portfolio`).

    The "pdf" format: described in :mod:`journal_app.core.interchange.portfolio_pdf`, which
    names this class by its dotted path (the core never imports Qt). Outside the app (the
    command line) writing starts an offscreen Qt application first.
    """

    @classmethod
    def from_options(cls, options: ExportOptions) -> PortfolioPdfExporter:
        return cls(name=options.name, feedback=options.feedback, library=options.library,
                   attestations=options.attestations,
                   attestation_files=options.attestation_files)

    def __init__(self, name: str = "", feedback: Mapping[str, str] | None = None,
                 library: Library | None = None, title: str = "Reflective portfolio",
                 attestations: tuple[str, ...] = (),
                 attestation_files: tuple[str, ...] = ()) -> None:
        self.options = PortfolioOptions(name=name.strip(), title=title,
                                        feedback=dict(feedback or {}), attestations=attestations)
        self.library = library
        self.attestation_files = attestation_files

    @staticmethod
    def attestation_paths(path: Path, count: int) -> list[Path]:
        """Where the attestation files go with the PDF at ``path``: beside it, named after it
        (``portfolio.pdf``: ``portfolio-attestation-1.json``, ...)."""
        return [path.with_name(f"{path.stem}-attestation-{n}.json") for n in range(1, count + 1)]

    def write(self, records: Sequence[Record], path: Path) -> int:
        entries = portfolio_entries(records)
        library = self.library or load_library()
        pages = portfolio_html(entries, self.options, library)
        footer = self.options.title + (f" · {self.options.name}" if self.options.name else "")
        pdf_title = self.options.title + (f": {self.options.name}" if self.options.name else "")
        app = ensure_gui_application()  # kept referenced while the PDF is laid out
        write_private_file(path, render_pdf(pages, footer, pdf_title))
        del app
        # The attestations it prints go with it as signed, for anyone to verify.
        for beside, text in zip(self.attestation_paths(path, len(self.attestation_files)),
                                self.attestation_files, strict=True):
            write_private_file(beside, text.encode("utf-8"))
        return len(entries)


class HandoutPdfExporter(Exporter):
    """One de-identified entry as a printable handout for a reflection round (issue 24): no
    name, no date, no title page (:func:`journal_app.core.interchange.portfolio.handout_html`).
    The caller passes the entry already through the de-identification review."""

    @classmethod
    def from_options(cls, options: ExportOptions) -> HandoutPdfExporter:
        del options  # a handout prints nothing but the reviewed text
        return cls()

    def write(self, records: Sequence[Record], path: Path) -> int:
        entries = portfolio_entries(records)
        pages = [handout_html(e.title, e.body) for e in entries]
        app = ensure_gui_application()  # kept referenced while the PDF is laid out
        write_private_file(path, render_pdf(pages, "For a reflection round", "Handout"))
        del app
        return len(entries)
