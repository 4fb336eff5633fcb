"""The trends dashboard over demo data: every chart draws, the range changes the figures, a click
on a day emits that day, the empty state, and PNG export."""

from __future__ import annotations

import stat
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from journal_app.core.demo import demo_records
from journal_app.core.journal import Journal
from journal_app.core.vault import TEST_KDF
from journal_app.ui.dashboard import EMPTY_TEXT, DashboardView
from journal_app.ui.session import JournalSession

from .conftest import PASSPHRASE


def _session(folder: Path, records: list | None) -> JournalSession:
    journal, _ = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    if records:
        journal.import_records(records, writing_only=False)  # the demo: made by the app
    session = JournalSession(kdf=TEST_KDF)
    session.journal = journal
    return session


@pytest.fixture
def dashboard(qtbot: QtBot, folder: Path) -> Iterator[DashboardView]:
    session = _session(folder, demo_records(120))
    view = DashboardView(session)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    yield view
    session.close()


def test_every_chart_draws_with_a_reading(dashboard: DashboardView) -> None:
    assert dashboard.stack.currentIndex() == 0
    for name, chart in dashboard.charts.items():
        assert chart.item_count() > 0, name
        assert len(chart.xs) > 0, name
        card = dashboard.cards[name]
        assert card.body.isVisible(), name
        assert not card.empty.isVisible(), name
    assert "30-day average" in dashboard.cards["mood"].reading.text()
    assert "streak" in dashboard.summary.text()


def test_changing_the_range_changes_the_figures(dashboard: DashboardView) -> None:
    three_months = len(dashboard.figures["series"]["mood"])
    dashboard.range_box.setCurrentIndex(0)  # 4 weeks
    four_weeks = len(dashboard.figures["series"]["mood"])
    dashboard.range_box.setCurrentIndex(3)  # all
    everything = len(dashboard.figures["series"]["mood"])
    assert 0 < four_weeks < three_months < everything
    assert len(dashboard.figures["calendar"]) > 365
    dashboard.range_box.setCurrentIndex(4)  # custom
    assert dashboard.start_edit.isVisible()
    dashboard.start_edit.setDate(date.today().replace(day=1))
    dashboard.end_edit.setDate(date.today())
    assert dashboard.figures["range"]["from"] == date.today().replace(day=1).isoformat()


def test_hover_and_click_on_a_day(qtbot: QtBot, dashboard: DashboardView) -> None:
    """The scene click handler is driven with the scene position of a drawn point (a mouse
    event through the offscreen platform's QGraphicsView is not reliable)."""
    for name in ("mood", "stress", "calendar"):
        chart = dashboard.charts[name]
        i = len(chart.xs) // 2
        pos = chart.scene_pos_of(i)
        chart._moved(pos)
        assert chart.hover.text() == chart.tips[i]
        with qtbot.waitSignal(dashboard.day_clicked) as blocker:
            chart.click_scene_pos(pos)
        assert blocker.args == [chart.days[i]]
    with qtbot.assertNotEmitted(dashboard.day_clicked):
        assert dashboard.charts["mood"].click_scene_pos(QPointF(-5000, -5000)) is None


def test_empty_state(qtbot: QtBot, folder: Path) -> None:
    session = _session(folder, None)
    view = DashboardView(session)
    qtbot.addWidget(view)
    view.show()
    assert view.stack.currentWidget() is view.empty_label
    assert view.empty_label.text() == EMPTY_TEXT
    assert "Check in for a few days" in EMPTY_TEXT
    session.close()


def test_export_png(dashboard: DashboardView, tmp_path: Path) -> None:
    path = tmp_path / "mood.png"
    assert dashboard.save_chart_png("mood", str(path))
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 2000


def test_trends_open_from_the_window_drill_down_and_vanish_on_lock(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]
    from datetime import date as _date

    window = open_window
    window.show_trends()
    assert window.trends_dialog is not None and window.trends_dialog.isVisible()
    entry = window.session.entries()[0]
    day = entry.created.date()
    window.dashboard.day_clicked.emit(day)
    page = window.journal_page
    assert page.filters.use_dates.isChecked()
    assert page.filters.date_from.date().toPython() == day
    assert all(e.created.date() == day for e in page.model.entries())
    assert entry.id in {e.id for e in page.model.entries()}
    window.lock_now()
    assert window.trends_dialog is None
    assert isinstance(day, _date)


# ------------------------------------------------------------------ new cards, images, PDF


def test_the_self_assessment_facet_and_depth_cards_draw(dashboard: DashboardView) -> None:
    for name in ("facets", "depth", "competency", "wellbeing", "emotions_time"):
        card = dashboard.cards[name]
        assert card.has_data, name
        assert card.reading.text(), name
        assert dashboard.charts[name].key.isVisible() or name == "facets", name
    assert dashboard.cards["competency"].title.text().endswith("(personal ratings)")
    assert "self-assessments" in dashboard.cards["competency"].reading.text()
    # Coping strategies are named in words, not by their ids.
    tips = " ".join(dashboard.charts["coping"].tips)
    assert "-" not in tips.split(":")[0]


def test_save_image_button_writes_a_png(qtbot: QtBot, dashboard: DashboardView, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "stress"
    asked: list[str] = []

    def save_name(_parent: object, _caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    card = dashboard.cards["stress"]
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    png = target.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert Path(asked[0]).name.startswith("journal-trends-stress-")
    assert card.save_button.isVisible()  # hidden only while the picture was taken


def _pdf_text(path: Path) -> tuple[int, str]:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    text = " ".join(page.extract_text() for page in reader.pages)
    # NFKC undoes the ligatures a PDF's fonts use ("ﬂ" in "reﬂected").
    return len(reader.pages), " ".join(unicodedata.normalize("NFKC", text).split())


def test_summary_pdf_is_one_page_of_figures_without_entry_text(
        qtbot: QtBot, folder: Path, tmp_path: Path) -> None:
    from journal_app.core.model import Entry
    from journal_app.ui.summary_pdf import SummaryDialog

    canaries = [f"canary{n}{uuid.uuid4().hex[:12]}" for n in range(3)]
    records = demo_records(120)
    when = datetime.now().astimezone() - timedelta(days=3)
    records.append(Entry(created=when, updated=when, title=canaries[0],
                         body=f"{canaries[1]} and more", tags=[canaries[2]], mood=-3))
    session = _session(folder, records)
    view = DashboardView(session)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    dialog = SummaryDialog(view, view)
    qtbot.addWidget(dialog)
    path = tmp_path / "summary.pdf"
    assert dialog.save_to(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pages, text = _pdf_text(path)
    assert pages == 1
    assert "Trends summary" in text
    assert "Mood and energy" in text and "Stress and burnout" in text
    for figure in ("Check-in streak", "Difficult encounters", "Competency 4 facets"):
        assert figure in text
    for canary in canaries:
        assert canary not in text and canary.encode() not in data
    session.close()


def test_summary_dialog_notes_and_chart_choice(qtbot: QtBot, dashboard: DashboardView,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from journal_app.ui.summary_pdf import MAX_CHARTS, SummaryDialog

    from .conftest import on_modal

    path = tmp_path / "for-my-mentor"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(path), ""))

    def choose(dialog: SummaryDialog) -> None:
        items = [dialog.chart_list.item(i) for i in range(dialog.chart_list.count())]
        assert len(items) > MAX_CHARTS
        assert len(dialog.chosen()) == MAX_CHARTS
        for item in items:  # too many: Save is off, and says why
            item.setCheckState(Qt.CheckState.Checked)
        assert not dialog.save_button.isEnabled()
        assert dialog.chart_hint.isVisible()
        for item in items:
            keep = item.data(Qt.ItemDataRole.UserRole) in ("wellbeing", "facets")
            item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
        assert dialog.save_button.isEnabled()
        qtbot.keyClicks(dialog.notes, "Ask about the night shifts.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    seen = on_modal(SummaryDialog, choose)
    qtbot.mouseClick(dashboard.pdf_button, Qt.MouseButton.LeftButton)
    assert seen
    pages, text = _pdf_text(path.with_suffix(".pdf"))
    assert pages == 1
    assert "Ask about the night shifts." in text  # the user's own words, by choice
    assert "Monthly wellbeing check" in text and "facets you reflected on" in text
    assert "Mood and energy" not in text
