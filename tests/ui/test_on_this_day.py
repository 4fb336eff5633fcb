"""On this day on the home panel: off by default, turned on in Settings, never the heavy entries
unless asked for, a click opens the entry (issue 17, item 1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from journal_app.core.records.model import Entry
from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

from .conftest import click, make_vault, on_modal, unlock


def a_year_ago() -> date:
    today = date.today()
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return date(today.year - 1, 2, 28)


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour).astimezone()


def window_with_memories(qtbot: Any, folder: Path,
                         make_window: Callable[..., MainWindow]) -> MainWindow:
    day = a_year_ago()
    make_vault(folder, [
        Entry(created=at(day, 9), title="First week on the ward", body="Everything was new."),
        Entry(created=at(day, 23), title="Bed 12", body="He died at 11.",
              encounter="patient-death"),
        Entry(created=at(day.replace(day=1) if day.day != 1 else day.replace(day=2), 9),
              title="Another day", body="x"),
    ])
    window = make_window(folder)
    unlock(qtbot, window)
    return window


def set_in_settings(qtbot: Any, window: MainWindow, *boxes: str) -> None:
    def tick(dialog: SettingsDialog) -> None:
        for name in boxes:
            click(qtbot, getattr(dialog, name))
        dialog.accept()

    on_modal(SettingsDialog, tick)
    window.act_settings.trigger()


def test_off_by_default_then_on_without_the_heavy_entries(
        qtbot: Any, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = window_with_memories(qtbot, folder, make_window)
    page = window.journal_page
    assert not page.memories_card.isVisibleTo(page)

    seen: list[bool] = []

    def turn_on(dialog: SettingsDialog) -> None:
        seen.append(dialog.on_this_day_heavy.isEnabled())  # nothing to include while off
        click(qtbot, dialog.on_this_day)
        seen.append(dialog.on_this_day_heavy.isEnabled())
        dialog.accept()

    on_modal(SettingsDialog, turn_on)
    window.act_settings.trigger()
    assert seen == [False, True]
    card = page.memories_card
    assert card.isVisibleTo(page)
    assert [b.text() for b in card.links] == ["A year ago: First week on the ward"]
    assert UiSettings().on_this_day and not UiSettings().on_this_day_heavy

    # A click opens the entry.
    click(qtbot, card.links[0])
    assert page.editor.entry is not None
    assert page.editor.entry.title == "First week on the ward"


def test_heavy_entries_only_when_asked_for(qtbot: Any, folder: Path,
                                           make_window: Callable[..., MainWindow]) -> None:
    window = window_with_memories(qtbot, folder, make_window)
    set_in_settings(qtbot, window, "on_this_day")
    set_in_settings(qtbot, window, "on_this_day_heavy")
    card = window.journal_page.memories_card
    assert [b.text() for b in card.links] == ["A year ago: First week on the ward",
                                              "A year ago: Bed 12"]
    # The settings file holds the choices, never what they show.
    window.settings.sync()
    kept = Path(UiSettings().file_name).read_text(encoding="utf-8")
    assert "on_this_day_heavy=true" in kept
    assert "Bed 12" not in kept and "ward" not in kept
    # Turned off: gone, and locking drops it too.
    set_in_settings(qtbot, window, "on_this_day")
    assert not card.isVisibleTo(window.journal_page)
    set_in_settings(qtbot, window, "on_this_day")
    assert card.links
    window.lock_now()
    assert card.links == [] and not card.isVisibleTo(window.journal_page)
