"""The trends summary PDF, described without Qt.

One page of figures and charts for a range, no entry text, made by the Trends page's "Summary
as PDF…" (:mod:`journal_app.ui.trends.summary_pdf`) from what the page shows, not exported from
entries: neither ``journal-app export`` nor the export dialog offers it. Its name, default file
name and filter are described here with every other format's.
"""

from __future__ import annotations

from journal_app.core.interchange.formats import Exports, Format, register

register(Format(
    "trends-summary", "Trends summary PDF", order=90,
    exports=Exports(
        None, hint="One page of figures and charts for a range, no entry text.", help="",
        default_name="journal-trends-summary-{day}.pdf", file_filter="PDF document (*.pdf)",
        entries=False),
))
