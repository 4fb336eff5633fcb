"""The portfolio PDF as written by Qt: valid, holds what was chosen and nothing else."""

from __future__ import annotations

import re
import stat
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from journal_app.core.records.model import Emotion, Entry, Reflection
from journal_app.ui.interchange.portfolio import PortfolioPdfExporter


def pdf_text(path: Path) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(str(path))
    # White space folded; NFKC turns the font's ligatures (ﬂ, ﬁ) back into letters.
    pages = [" ".join(unicodedata.normalize("NFKC", page.extract_text() or "").split())
             for page in reader.pages]
    return reader, pages


def chosen_and_unchosen() -> tuple[list[Entry], list[Entry]]:
    chosen: list[Entry] = [
        Reflection(title="Quietly holding the hand of Mr Quill", template_id="patient-death",
                   created=datetime(2026, 3, 14, 18, 30, tzinfo=UTC),
                   body="## What happened?\n\nHe died at dawn with his daughter there.\n\n"
                        "## What are you feeling?\n\ngrief 4/5, gratitude 3/5\n",
                   emotions=[Emotion("grief", 4)], depth="reflection"),
        Entry(title="Learning to sit with silence", body="A *short* plain entry.",
              created=datetime(2026, 4, 2, 8, 0, tzinfo=UTC)),
        Reflection(title="After the family meeting", template_id="bad-news",
                   created=datetime(2026, 5, 2, 21, 15, tzinfo=UTC),
                   body="## What happened?\n\nWe talked about goals of care.\n"),
    ]
    unchosen = [
        Entry(title="UNCHOSENCANARY night notes", body="UNCHOSENBODY words",
              created=datetime(2026, 4, 1, tzinfo=UTC)),
        Reflection(title="ZEBRACANARY private reflection", template_id="gibbs",
                   body="## What happened?\n\nZEBRABODY\n",
                   created=datetime(2026, 4, 20, tzinfo=UTC)),
    ]
    return chosen, unchosen


def test_portfolio_pdf_holds_the_chosen_and_nothing_else(qapp: QApplication,
                                                         tmp_path: Path) -> None:
    chosen, unchosen = chosen_and_unchosen()
    out = tmp_path / "portfolio.pdf"
    exporter = PortfolioPdfExporter(
        name="Sam Okafor",
        feedback={chosen[0].id: "You stayed present with the family. " * 40,
                  unchosen[0].id: "FEEDBACKCANARY"})
    assert exporter.write(chosen, out) == 3
    assert out.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    reader, pages = pdf_text(out)
    assert len(pages) == 4  # a title page, then one page per item
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    whole = " ".join(pages)
    for entry in chosen:
        assert entry.title in whole
    for marker in ("UNCHOSENCANARY", "UNCHOSENBODY", "ZEBRACANARY", "ZEBRABODY",
                   "FEEDBACKCANARY"):
        assert marker not in whole
    title = pages[0]
    assert "Sam Okafor" in title
    assert "14 March 2026 to 2 May 2026" in title
    assert "2 reflections and 1 journal entry" in title
    # Each item on its own page, in date order, with its stages, tags and page number.
    assert chosen[0].title in pages[1] and "What happened?" in pages[1]
    assert "After a patient's death" in pages[1]
    assert "Facets of competency 4" in pages[1] and "CARE-7" in pages[1]
    assert "Care at the end of life" in pages[1]
    assert "Self-rated depth" in pages[1]
    assert "Mentor feedback" in pages[1] and "You stayed present with the family." in pages[1]
    assert pages[1].count("You stayed present") < 40  # an excerpt, not the whole text
    assert "Page 2 of 4" in pages[1] and "Page 4 of 4" in pages[3]
    assert "Page 1" not in pages[0]
    assert chosen[1].title in pages[2] and "short plain entry" in pages[2]
    assert "Communication" in pages[3]
    assert reader.metadata is not None
    assert reader.metadata.title == "Reflective portfolio: Sam Okafor"


def test_portfolio_pdf_is_text_and_loads_nothing(qapp: QApplication, tmp_path: Path) -> None:
    entry = Entry(title="Links and images",
                  body="![x](https://tracker.example/p.png)\n\n<img src='file:///etc/passwd'>"
                       "\n\nSee [the guide](https://example.org/guide).",
                  created=datetime(2026, 1, 1, tzinfo=UTC))
    out = tmp_path / "p.pdf"
    PortfolioPdfExporter().write([entry], out)
    data = out.read_bytes()
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data
    _reader, pages = pdf_text(out)
    assert "See the guide" in pages[1]
    assert "root:" not in " ".join(pages)


@pytest.mark.parametrize("count", [12])
def test_long_portfolio_flows_over_pages(qapp: QApplication, tmp_path: Path,
                                         count: int) -> None:
    long_body = "\n\n".join(f"Paragraph {n}: " + "words that keep going " * 30
                            for n in range(count))
    entry = Reflection(title="A long one", template_id="gibbs", body=long_body,
                       created=datetime(2026, 1, 1, tzinfo=UTC))
    out = tmp_path / "long.pdf"
    PortfolioPdfExporter(name="A").write([entry], out)
    _reader, pages = pdf_text(out)
    assert len(pages) >= 3
    numbers = [re.search(r"Page (\d+) of (\d+)", p) for p in pages[1:]]
    assert all(numbers)
    assert [int(m[1]) for m in numbers if m] == list(range(2, len(pages) + 1))
    assert f"Paragraph {count - 1}:" in " ".join(pages)
