"""The portfolio PDF, described without Qt.

Its pages are decided by :mod:`journal_app.core.interchange.portfolio` and laid out on A4 by Qt in
:mod:`journal_app.ui.interchange.portfolio`; the class is named here by its dotted path and imported
only
when a portfolio is written (the core never imports Qt; ``journal-app export --format pdf``
then starts an offscreen Qt application, the only command that does).
"""

from __future__ import annotations

from journal_app.core.interchange.formats import Exports, Format, register

register(Format(
    "pdf", "Portfolio PDF", order=10,
    exports=Exports(
        "journal_app.ui.interchange.portfolio:PortfolioPdfExporter",
        hint="Chosen reflections and entries with a title page, to hand in.",
        help="a portfolio", default_name="portfolio-{day}.pdf", file_filter="PDF (*.pdf)",
        starts_chosen=True, title_page=True, prints_tags=False, prints_feedback=True),
))

register(Format(
    "handout", "Reflection-round handout", order=11,
    exports=Exports(
        "journal_app.ui.interchange.portfolio:HandoutPdfExporter",
        hint="One de-identified entry, printable, for a small-group session.",
        help="a reflection-round handout (journal-app handout)",
        default_name="handout-{day}.pdf", file_filter="PDF (*.pdf)",
        # Made by 'journal-app handout' from one reviewed entry, not by export.
        entries=False, prints_tags=False),
))
