"""The trends dashboard over demo data: every chart draws, the range changes the figures, a click
on a day emits that day, the empty state, and PNG export."""

from __future__ import annotations

import stat
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from journal_app.core.demo.entries import demo_records
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.session import JournalSession
from journal_app.ui.trends.dashboard import COUNTING_TEXT, EMPTY_TEXT, DashboardView

from .conftest import PASSPHRASE, trends_shown


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
    yield trends_shown(qtbot, view)
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
    assert "words in" in dashboard.summary.text()
    assert "streak" not in dashboard.summary.text()  # off unless turned on in Settings


def test_changing_the_range_changes_the_figures(qtbot: QtBot, dashboard: DashboardView) -> None:
    three_months = len(dashboard.figures["series"]["mood"])
    dashboard.range_box.setCurrentIndex(0)  # 4 weeks
    trends_shown(qtbot, dashboard)
    four_weeks = len(dashboard.figures["series"]["mood"])
    dashboard.range_box.setCurrentIndex(3)  # all
    trends_shown(qtbot, dashboard)
    everything = len(dashboard.figures["series"]["mood"])
    assert 0 < four_weeks < three_months < everything
    assert len(dashboard.figures["calendar"]) > 365
    dashboard.range_box.setCurrentIndex(4)  # custom
    assert dashboard.start_edit.isVisible()
    dashboard.start_edit.setDate(date.today().replace(day=1))
    dashboard.end_edit.setDate(date.today())
    trends_shown(qtbot, dashboard)
    assert dashboard.figures["range"]["from"] == date.today().replace(day=1).isoformat()


def test_a_range_changed_twice_quickly_shows_the_second(
        qtbot: QtBot, dashboard: DashboardView) -> None:
    """The figures are worked out in the worker: the answer to the first change, arriving
    after the second was asked for, is never shown."""
    shown: list[object] = []
    dashboard.refreshed.connect(lambda: shown.append(dashboard.figures["range"]["from"]))
    dashboard.range_box.setCurrentIndex(3)  # all time
    dashboard.range_box.setCurrentIndex(0)  # then 4 weeks, before all time arrived
    trends_shown(qtbot, dashboard)
    qtbot.wait(50)  # anything still queued would land now
    assert shown == [(date.today() - timedelta(days=27)).isoformat()]  # all time never drawn
    assert dashboard.figures["range"]["from"] == (date.today() - timedelta(days=27)).isoformat()
    assert len(dashboard.figures["calendar"]) == 28


def test_hover_and_click_on_a_day(qtbot: QtBot, dashboard: DashboardView) -> None:
    """The scene click handler is driven with the scene position of a drawn point (a mouse
    event through the offscreen platform's QGraphicsView is not reliable)."""
    for name in ("mood", "stress", "calendar"):
        chart = dashboard.charts[name]
        # A point drawn where no other is (the demo journal is made relative to today: on some
        # days the middle mood point sits exactly on an energy point, and either may answer).
        points = list(zip(chart.xs.tolist(), chart.ys.tolist(), strict=True))
        i = next(j for j in range(len(points) // 2, len(points))
                 if points.count(points[j]) == 1)
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
    assert view.empty_label.text() == COUNTING_TEXT  # worked out in the worker
    assert not view.pdf_button.isEnabled()
    trends_shown(qtbot, view)
    assert view.stack.currentWidget() is view.empty_label
    assert view.empty_label.text().startswith("Your trends appear after a week")
    assert "(none yet, 7 to go)" in view.empty_label.text()
    assert not view.pdf_button.isEnabled()
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
    from journal_app.core.records.model import Entry
    from journal_app.ui.trends.summary_pdf import SummaryDialog

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
    trends_shown(qtbot, view)
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
    assert "Mood and energy" in text and "Stress (0 to 10)" in text
    for figure in ("Difficult encounters", "Competency 4 facets"):
        assert figure in text
    assert "streak" not in text  # off unless the user turned streaks on
    for canary in canaries:
        assert canary not in text and canary.encode() not in data
    session.close()


def test_summary_dialog_notes_and_chart_choice(qtbot: QtBot, dashboard: DashboardView,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from journal_app.ui.trends.summary_pdf import MAX_CHARTS, SummaryDialog

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


# ------------------------------------------------------------------ honest figures (issue 13)

from journal_app.core.practice.prompts import load_library  # noqa: E402
from journal_app.core.records.model import (  # noqa: E402
    ENCOUNTER_TYPES,
    CheckIn,
    CopingRating,
    Emotion,
    Entry,
    Reflection,
    StepAnswer,
)
from journal_app.core.vocabulary import ENCOUNTER_LABELS  # noqa: E402

TODAY = date(2026, 3, 31)


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour).astimezone()


#: A week of plain entries long before the data of a test: past the new journal's note
#: (check-ins or entries on 7 different days), with no rating, feeling or encounter.
EARLIER_WEEK = [Entry(created=_at(TODAY - timedelta(days=400 + i)), title="An earlier week",
                      body="Nothing rated.") for i in range(7)]


def _dash(qtbot: QtBot, folder: Path, records: list, settled: bool = True) -> DashboardView:
    session = _session(folder, [*records, *EARLIER_WEEK] if settled else records)
    view = DashboardView(session, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.range_box.setCurrentIndex(3)  # all time
    return trends_shown(qtbot, view)


def _numbing_data() -> list:
    """Seen in the demo: numbing with alcohol on 10 days, mood 1 the day after, -2 otherwise."""
    records: list = []
    start = TODAY - timedelta(days=40)
    for i in range(20):
        day = start + timedelta(days=2 * i)
        when = _at(day, 21)
        records.append(Reflection(
            created=when, updated=when, template_id="gibbs",
            answers=[StepAnswer("c", "coping", coping=[CopingRating("substance-use", 1)])]))
        records.append(CheckIn(created=_at(day), mood=-2))
        records.append(CheckIn(created=_at(day + timedelta(days=1)), mood=1))
    return records


def test_numbing_is_never_the_headline_of_what_helps(qtbot: QtBot, folder: Path) -> None:
    view = _dash(qtbot, folder, _numbing_data())
    reading = view.cards["coping"].reading.text()
    assert "alcohol" not in reading.lower()
    assert "numbed" not in reading.lower()
    assert "reflection" not in reading.lower()


def test_a_helpful_strategy_is_headlined_once_with_not_proof(qtbot: QtBot, folder: Path) -> None:
    records = _numbing_data()
    helped = (StepAnswer("c", "coping", coping=(CopingRating("talked-to-someone", 2),)),)
    records = [replace(r, answers=helped) if isinstance(r, Reflection) else r for r in records]
    view = _dash(qtbot, folder, records)
    reading = view.cards["coping"].reading.text()
    assert reading.startswith("On days after you talked it through with someone I trust")
    assert reading.count("not proof") == 1


def test_encounters_are_named_in_words_never_ids(qtbot: QtBot, folder: Path) -> None:
    records = [CheckIn(created=_at(TODAY - timedelta(days=i)), mood=0,
                       encounter="patient-death" if i < 2 else "bad-news") for i in range(5)]
    view = _dash(qtbot, folder, records)
    reading = view.cards["encounters"].reading.text()
    tips = " ".join(view.charts["encounters"].tips)
    for key in ENCOUNTER_TYPES:
        assert key not in reading and key not in tips, key
    assert ENCOUNTER_LABELS["bad-news"].lower() in reading.lower()


def test_one_of_a_kind_is_singular(qtbot: QtBot, folder: Path) -> None:
    when = _at(TODAY - timedelta(days=1), 21)
    records = [CheckIn(created=_at(TODAY - timedelta(days=i)), mood=1) for i in range(4)]
    records.append(CheckIn(created=_at(TODAY), mood=1, encounter="code"))
    records.append(Reflection(created=when, updated=when, template_id="gibbs",
                              depth="reflection"))
    view = _dash(qtbot, folder, records)
    texts = " ".join(card.reading.text() for card in view.cards.values())
    assert "1 difficult encounters" not in texts
    assert "1 reflections" not in texts
    assert "1 days" not in texts
    assert "1 difficult encounter " in texts or "1 difficult encounter;" in texts


def test_burnout_has_its_own_scale(qtbot: QtBot, folder: Path) -> None:
    records = [CheckIn(created=_at(TODAY - timedelta(days=i)), stress=6, burnout=3)
               for i in range(6)]
    view = _dash(qtbot, folder, records)
    assert "burnout" in view.charts
    stress_range = view.charts["stress"].plot.getPlotItem().getViewBox().viewRange()[1]
    burnout_range = view.charts["burnout"].plot.getPlotItem().getViewBox().viewRange()[1]
    assert stress_range[1] >= 10
    assert burnout_range[1] < 6
    assert "same scale" not in view.cards["stress"].reading.text()


def test_hover_values_are_rounded(qtbot: QtBot, folder: Path) -> None:
    day = TODAY - timedelta(days=1)
    records = [CheckIn(created=_at(day, h), mood=m) for h, m in ((8, 1), (12, 1), (20, 2))]
    records += [CheckIn(created=_at(TODAY - timedelta(days=i)), mood=1) for i in range(2, 6)]
    view = _dash(qtbot, folder, records)
    tips = list(view.charts["mood"].tips)
    assert any("1.3" in t for t in tips)
    assert not any("1.33" in t for t in tips)


def test_the_depth_axis_uses_the_words_of_the_rating(
    qtbot: QtBot, folder: Path
) -> None:
    view = _dash(qtbot, folder, [])
    ticks = [label for _, label in view.depth_ticks()]
    assert ticks == [level.label for level in load_library().reflect]


def test_the_calendar_explains_itself_only_when_true(qtbot: QtBot, folder: Path) -> None:
    """Seen: "Rate your mood when you check in" after moods were rated (fewer than three)."""
    records = [CheckIn(created=_at(TODAY - timedelta(days=1)), mood=2),
               CheckIn(created=_at(TODAY - timedelta(days=2)), stress=4),
               CheckIn(created=_at(TODAY - timedelta(days=3)), stress=4),
               CheckIn(created=_at(TODAY - timedelta(days=4)), stress=4)]
    view = _dash(qtbot, folder, records)
    card = view.cards["calendar"]
    assert card.has_data
    assert "Rate your mood" not in card.empty.text() or not card.empty.isVisible()


def test_guided_reflections_fill_the_facets_card(qtbot: QtBot, folder: Path) -> None:
    records = [CheckIn(created=_at(TODAY - timedelta(days=i)), mood=1) for i in range(4)]
    when = _at(TODAY - timedelta(days=1), 21)
    records.append(Reflection(created=when, updated=when, template_id="patient-death"))
    view = _dash(qtbot, folder, records)
    assert view.cards["facets"].has_data
    assert not view.cards["facets"].empty.isVisible()


def test_streaks_are_off_unless_turned_on(qtbot: QtBot, folder: Path) -> None:
    records = [CheckIn(created=_at(TODAY - timedelta(days=i)), mood=1) for i in range(5)]
    view = _dash(qtbot, folder, records)
    assert "streak" not in view.summary.text().lower()
    journal = view.session.journal
    assert journal is not None
    journal.update_app_state(lambda s: replace(s, show_streaks=True))
    view.refresh()
    trends_shown(qtbot, view)
    assert "Check-in streak" in view.summary.text()


def _days_of_checkins(days: int) -> list:
    """Mood, stress and a feeling on ``days`` different days, two check-ins on the last."""
    records: list = [CheckIn(created=_at(TODAY - timedelta(days=i)), mood=1, stress=4,
                             emotions=[Emotion("tired", 3)]) for i in range(days)]
    records.append(CheckIn(created=_at(TODAY, 20), mood=2))
    return records


def test_under_a_week_of_data_one_note_says_what_appears_after_a_week(
        qtbot: QtBot, folder: Path) -> None:
    view = _dash(qtbot, folder, _days_of_checkins(6), settled=False)
    assert view.stack.currentWidget() is view.empty_label
    note = view.empty_label.text()
    assert "check in or write on 7 different days (6 days so far, 1 to go)" in note
    assert not any(card.isVisible() for card in view.cards.values())
    assert not view.pdf_button.isEnabled()
    # However the range is chosen: the count is the journal's, not the range's.
    view.range_box.setCurrentIndex(0)
    trends_shown(qtbot, view)
    assert view.empty_label.text() == note


def test_a_week_of_data_shows_the_cards(qtbot: QtBot, folder: Path) -> None:
    view = _dash(qtbot, folder, _days_of_checkins(7), settled=False)
    assert view.stack.currentIndex() == 0
    assert view.cards["mood"].isVisible() and view.cards["mood"].has_data
    assert view.pdf_button.isEnabled()


def test_an_old_journal_with_nothing_in_the_range_says_so_plainly(
        qtbot: QtBot, folder: Path) -> None:
    view = _dash(qtbot, folder, [])  # the earlier week only, long before the last 4 weeks
    view.range_box.setCurrentIndex(0)
    trends_shown(qtbot, view)
    assert view.stack.currentWidget() is view.empty_label
    assert view.empty_label.text() == EMPTY_TEXT

def test_a_checkins_note_shows_beside_its_day_in_the_calendar(
        qtbot: QtBot, folder: Path) -> None:
    """Seen: a check-in's note was stored and shown nowhere. Hovering its day in the calendar
    shows it (the figures, and so the summary and `trends --json`, still hold none)."""
    night = TODAY - timedelta(days=2)
    records = [CheckIn(created=_at(night, 23), mood=-3, note="Bed 12. Mr B died at 3 am."),
               CheckIn(created=_at(TODAY - timedelta(days=1)), mood=1),
               CheckIn(created=_at(TODAY - timedelta(days=3)), mood=0, note="Quiet")]
    view = _dash(qtbot, folder, records)
    chart = view.charts["calendar"]
    i = chart.days.index(night)
    pos = chart.scene_pos_of(i)
    chart._moved(pos)  # the hover, as test_hover_and_click_on_a_day drives it
    assert chart.hover.text() == f"{night:%a %d %b %Y}: mood -3\n“Bed 12. Mr B died at 3 am.”"
    assert chart.tips[chart.days.index(TODAY - timedelta(days=1))].endswith("mood 1")
    assert "Bed 12" not in str(view.figures)


def test_a_chart_drawn_again_shows_only_what_it_was_given_last(qtbot: QtBot) -> None:
    """A chart keeps its lines across drawings and gives them new data (a refresh no longer
    makes them anew): a drawing with fewer lines, or with bars, leaves none of the earlier
    ones on show or in the hover look-up."""
    import pyqtgraph as pg

    from journal_app.ui.theme import LIGHT
    from journal_app.ui.trends.charts import Chart

    chart = Chart(LIGHT)
    qtbot.addWidget(chart)
    days = [date(2026, 3, d) for d in range(1, 8)]
    three = {name: [(d, float(i)) for i, d in enumerate(days)] for name in "abc"}
    chart.draw_lines(three, (0, 10))
    assert chart.item_count() == 3 and len(chart.xs) == 21
    chart.draw_lines({"a": [(days[0], 2.0)]}, (0, 10), dots_only={"a"})
    assert chart.item_count() == 1 and len(chart.xs) == 1
    shown = [i for i in chart.plot.getPlotItem().listDataItems()
             if isinstance(i, pg.PlotDataItem) and i.isVisible()]
    assert len(shown) == 1 and shown[0].opts["pen"] is None
    chart.draw_bars(["x", "y"], [1.0, 2.0], ["one", "two"])
    assert chart.item_count() == 1  # the bars alone
    assert not any(i.isVisible() for i in chart.plot.getPlotItem().listDataItems()
                   if isinstance(i, pg.PlotDataItem))
    chart.draw_lines(three, (0, 10))
    assert chart.item_count() == 3
