"""Reminders after shifts: the schedule, the scheduler (fake clock, fake notifier), the tray
notifier offscreen, start at login and the Reminders dialog."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTime, QtMsgType
from PySide6.QtWidgets import QCheckBox, QDialog

from journal_app.ui import reminders
from journal_app.ui.dialogs.reminders import EXPLANATION, RemindersDialog
from journal_app.ui.reminders import (
    LATE_LIMIT,
    REMINDER_MESSAGE,
    REMINDER_TITLE,
    ReminderScheduler,
    ScheduleError,
    ShiftSchedule,
    TrayNotifier,
    describe_due,
    load_schedule,
    set_start_at_login,
    start_at_login_enabled,
)
from journal_app.ui.uisettings import UiSettings

from .conftest import BODY, TITLE, click, set_spin

MONDAY = datetime(2026, 3, 2, 8, 0)  # a Monday morning
WEDNESDAY = 2


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class FakeNotifier:
    """Records what would have been shown; ``click()`` plays the user clicking it."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.calls: list[tuple[str, str]] = []
        self.shown_at: list[datetime] = []
        self.handler: Callable[[], None] | None = None
        self.clock = clock

    def available(self) -> bool:
        return True

    def notify(self, title: str, message: str) -> None:
        self.calls.append((title, message))
        if self.clock is not None:
            self.shown_at.append(self.clock())

    def set_click_handler(self, handler: Callable[[], None] | None) -> None:
        self.handler = handler

    def click(self) -> None:
        assert self.handler is not None
        self.handler()


def make_scheduler(schedule: ShiftSchedule, now: datetime = MONDAY
                   ) -> tuple[ReminderScheduler, FakeNotifier, FakeClock]:
    clock = FakeClock(now)
    notifier = FakeNotifier(clock)
    scheduler = ReminderScheduler(schedule, notifier, clock)
    scheduler.start()
    return scheduler, notifier, clock


def run_until(scheduler: ReminderScheduler, clock: FakeClock, end: datetime,
              step: timedelta = timedelta(minutes=1)) -> None:
    """Walk the fake clock to ``end``, checking as the once-a-minute timer would."""
    while clock.now < end:
        clock.advance(seconds=step.total_seconds())
        scheduler.check()


# ------------------------------------------------------------------ the schedule


def test_schedule_round_trip() -> None:
    schedule = ShiftSchedule.of({4: "07:00", 0: "19:30", 6: "23:50"}, delay_minutes=20)
    text = schedule.serialise()
    assert text == "0@19:30,4@07:00,6@23:50;20"
    assert ShiftSchedule.parse(text) == schedule
    assert ShiftSchedule.parse(ShiftSchedule().serialise()) == ShiftSchedule()
    assert ShiftSchedule.parse("") == ShiftSchedule()
    assert ShiftSchedule().delay_minutes == 15
    assert schedule.end_for(4) is not None and schedule.end_for(4).hour == 7
    assert schedule.end_for(2) is None


@pytest.mark.parametrize("text", [
    "0@19:30",            # no delay
    "0@19:30;abc",        # delay not a number
    "0@19:30;999",        # delay too long
    "7@19:30;15",         # no such weekday
    "-1@19:30;15",
    "0@24:00;15",         # no such time
    "0@7:5;15",
    "0@19:60;15",
    "0 19:30;15",         # no @
    "0@19:30,0@20:00;15",  # two ends on one day
    "Monday@19:30;15",
    "0@19:30;15;15",
    "<script>;15",
])
def test_bad_schedules_are_refused(text: str) -> None:
    with pytest.raises(ScheduleError):
        ShiftSchedule.parse(text)


@pytest.mark.parametrize("ends, delay", [
    ({7: "19:30"}, 15),
    ({0: "25:00"}, 15),
    ({0: "19:30"}, -5),
    ({0: "19:30"}, 241),
])
def test_bad_schedules_cannot_be_built(ends: dict[int, str], delay: int) -> None:
    with pytest.raises(ScheduleError):
        ShiftSchedule.of(ends, delay)
    with pytest.raises(ScheduleError):
        ShiftSchedule(((0, "19:30"), (0, "20:00")))
    with pytest.raises(ScheduleError):
        ShiftSchedule((0,))  # type: ignore[arg-type]


def test_damaged_settings_give_an_empty_schedule() -> None:
    settings = UiSettings()
    settings.shift_schedule = "nonsense"
    assert load_schedule(settings) == ShiftSchedule()


def test_next_due_is_shift_end_plus_delay() -> None:
    schedule = ShiftSchedule.of({WEDNESDAY: "19:30"}, 15)
    scheduler = ReminderScheduler(schedule, FakeNotifier())
    wednesday_due = datetime(2026, 3, 4, 19, 45)
    assert scheduler.next_due(MONDAY) == wednesday_due
    assert scheduler.next_due(wednesday_due - timedelta(seconds=1)) == wednesday_due
    # Once it has passed, the next one is a week later.
    assert scheduler.next_due(wednesday_due) == wednesday_due + timedelta(days=7)
    assert ReminderScheduler(ShiftSchedule(), FakeNotifier()).next_due(MONDAY) is None


def test_a_late_shift_is_due_after_midnight() -> None:
    schedule = ShiftSchedule.of({6: "23:50"}, 15)  # Sunday night
    sunday_evening = datetime(2026, 3, 8, 23, 55)
    assert schedule.next_after(sunday_evening) == datetime(2026, 3, 9, 0, 5)
    assert describe_due(datetime(2026, 3, 9, 0, 5), sunday_evening) == "tomorrow at 00:05"
    assert describe_due(datetime(2026, 3, 4, 19, 45), MONDAY) == "on Wednesday at 19:45"


# ------------------------------------------------------------------ the scheduler


def test_fires_once_at_shift_end_plus_delay_on_the_right_day(qtbot) -> None:
    scheduler, notifier, clock = make_scheduler(ShiftSchedule.of({WEDNESDAY: "19:30"}, 15))
    assert scheduler.due == datetime(2026, 3, 4, 19, 45)
    with qtbot.assertNotEmitted(scheduler.reminded):
        run_until(scheduler, clock, datetime(2026, 3, 4, 19, 44))
    assert notifier.calls == []
    with qtbot.waitSignal(scheduler.reminded, timeout=0):
        run_until(scheduler, clock, datetime(2026, 3, 4, 19, 45))
    assert notifier.calls == [(REMINDER_TITLE, REMINDER_MESSAGE)]
    assert notifier.shown_at == [datetime(2026, 3, 4, 19, 45)]
    run_until(scheduler, clock, datetime(2026, 3, 5, 8, 0))  # more checks: no second reminder
    assert len(notifier.calls) == 1
    assert scheduler.due == datetime(2026, 3, 11, 19, 45)  # re-armed for next Wednesday


def test_a_whole_week_reminds_only_on_shift_days(qtbot) -> None:
    schedule = ShiftSchedule.of({0: "19:00", 3: "07:30", 5: "14:00"}, 10)
    scheduler, notifier, clock = make_scheduler(schedule, MONDAY - timedelta(hours=8))
    run_until(scheduler, clock, MONDAY + timedelta(days=7))
    assert notifier.shown_at == [
        datetime(2026, 3, 2, 19, 10),   # Monday
        datetime(2026, 3, 5, 7, 40),    # Thursday
        datetime(2026, 3, 7, 14, 10),   # Saturday
    ]
    assert set(notifier.calls) == {(REMINDER_TITLE, REMINDER_MESSAGE)}


def test_reminder_text_is_fixed_and_holds_no_journal_text(qtbot) -> None:
    scheduler, notifier, clock = make_scheduler(ShiftSchedule.of({0: "18:00"}, 0))
    run_until(scheduler, clock, MONDAY + timedelta(hours=12))
    [(title, message)] = notifier.calls
    assert title == "Time for a check-in?"
    assert message == ("Your shift has ended. A 30-second check-in can help you put the day "
                       "down.")
    for words in (TITLE, BODY, *BODY.split()):
        if len(words) > 4:
            assert words not in title + message


def test_a_suspend_does_not_skip_the_reminder(qtbot) -> None:
    scheduler, notifier, clock = make_scheduler(ShiftSchedule.of({0: "19:30"}, 15))
    clock.now = datetime(2026, 3, 2, 20, 30)  # the laptop slept through 19:45
    assert scheduler.check()
    assert notifier.shown_at == [datetime(2026, 3, 2, 20, 30)]
    assert scheduler.due == datetime(2026, 3, 9, 19, 45)


def test_a_reminder_long_missed_is_skipped(qtbot) -> None:
    scheduler, notifier, clock = make_scheduler(ShiftSchedule.of({0: "19:30"}, 15))
    clock.now = datetime(2026, 3, 2, 19, 45) + LATE_LIMIT + timedelta(minutes=1)
    assert not scheduler.check()
    assert notifier.calls == []
    assert scheduler.due == datetime(2026, 3, 9, 19, 45)


def test_the_timer_fires_by_itself(qtbot) -> None:
    """A real single-shot timer armed from the clock: no check() call from the test."""
    due = datetime(2026, 3, 2, 19, 45)
    start, t0 = due - timedelta(milliseconds=300), time.monotonic()
    notifier = FakeNotifier()
    scheduler = ReminderScheduler(ShiftSchedule.of({0: "19:30"}, 15), notifier,
                                  lambda: start + timedelta(seconds=time.monotonic() - t0))
    with qtbot.waitSignal(scheduler.reminded, timeout=3000):
        scheduler.start()
    assert notifier.calls == [(REMINDER_TITLE, REMINDER_MESSAGE)]
    assert scheduler.due == due + timedelta(days=7)
    scheduler.stop()
    assert scheduler.due is None and not scheduler._timer.isActive()


def test_schedule_change_rearms(qtbot) -> None:
    scheduler, notifier, clock = make_scheduler(ShiftSchedule.of({WEDNESDAY: "19:30"}, 15))
    scheduler.set_schedule(ShiftSchedule.of({0: "12:00"}, 5))
    assert scheduler.due == datetime(2026, 3, 2, 12, 5)
    assert scheduler._timer.isActive()
    assert scheduler._timer.remainingTime() > 3 * 3600 * 1000
    scheduler.set_schedule(ShiftSchedule())
    assert scheduler.due is None and not scheduler._timer.isActive()
    run_until(scheduler, clock, MONDAY + timedelta(days=8), timedelta(minutes=30))
    assert notifier.calls == []


def test_stopped_scheduler_stays_quiet(qtbot) -> None:
    scheduler, notifier, clock = make_scheduler(ShiftSchedule.of({0: "09:00"}, 0))
    scheduler.stop()
    run_until(scheduler, clock, MONDAY + timedelta(hours=3))
    assert notifier.calls == []


def test_apply_settings_follows_the_switch(qtbot) -> None:
    settings = UiSettings()
    settings.shift_schedule = ShiftSchedule.of({0: "19:30"}).serialise()
    clock = FakeClock(MONDAY)
    scheduler = ReminderScheduler(None, FakeNotifier(), clock)
    scheduler.apply_settings(settings)
    assert not scheduler.running  # reminders are off by default
    settings.reminders_enabled = True
    scheduler.apply_settings(settings)
    assert scheduler.running and scheduler.due == datetime(2026, 3, 2, 19, 45)
    settings.reminders_enabled = False
    scheduler.apply_settings(settings)
    assert not scheduler.running and scheduler.due is None


def test_clicking_the_reminder_asks_for_a_check_in(qtbot) -> None:
    scheduler, notifier, _clock = make_scheduler(ShiftSchedule.of({0: "19:30"}))
    with qtbot.waitSignal(scheduler.checkin_requested, timeout=0):
        notifier.click()


def test_a_replaced_notifier_gets_the_reminders_and_clicks(qtbot) -> None:
    scheduler, old, clock = make_scheduler(ShiftSchedule.of({0: "19:30"}, 15))
    new = FakeNotifier(clock)
    scheduler.set_notifier(new)
    assert old.handler is None
    run_until(scheduler, clock, datetime(2026, 3, 2, 20, 0))
    assert old.calls == [] and new.calls == [(REMINDER_TITLE, REMINDER_MESSAGE)]
    with qtbot.waitSignal(scheduler.checkin_requested, timeout=0):
        new.click()


# ------------------------------------------------------------------ the tray


def test_tray_notifier_offscreen_is_unavailable_and_quiet(qtbot, qtlog) -> None:
    tray = TrayNotifier()
    assert not tray.available()
    assert tray.menu is None
    tray.set_visible(True)
    tray.notify(REMINDER_TITLE, REMINDER_MESSAGE)  # does nothing, says nothing
    assert not tray.visible
    scheduler = ReminderScheduler(ShiftSchedule.of({0: "19:30"}), tray, FakeClock(MONDAY))
    scheduler.start()
    scheduler.stop()
    warnings = [r for r in qtlog.records
                if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg)]
    assert warnings == []


def test_tray_icon_is_drawn() -> None:
    icon = reminders.tray_icon_image(32, "#0b6fa4")
    image = icon.pixmap(32, 32).toImage()
    assert not icon.isNull()
    assert image.pixelColor(16, 4).name() == "#0b6fa4"  # the round in the accent colour
    assert image.pixelColor(0, 0).alpha() == 0  # transparent corners


# ------------------------------------------------------------------ start at login


def autostart_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "journal-app.desktop"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG autostart is for Linux")
def test_start_at_login_writes_and_removes_the_desktop_file() -> None:
    path = autostart_file()
    assert not start_at_login_enabled()
    assert set_start_at_login(True)
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\n")
    assert "Type=Application\n" in text and "Name=journal-app\n" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert "journal-app" in exec_line or "journal_app" in exec_line
    assert start_at_login_enabled()
    assert set_start_at_login(False)
    assert not path.exists()
    assert not start_at_login_enabled()
    assert set_start_at_login(False)  # already off: fine


def test_exec_line_quotes_spaces() -> None:
    entry = reminders.desktop_entry(["/home/a b/bin/journal-app", "--x=100%"])
    assert 'Exec="/home/a b/bin/journal-app" --x=100%%\n' in entry


def test_start_at_login_elsewhere_is_not_supported(monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS and Windows have their own forms (tests/ui/test_start_at_login.py)."""
    for platform in ("sunos5", "aix", "emscripten"):
        monkeypatch.setattr(sys, "platform", platform)
        assert not reminders.start_at_login_supported()
        assert not set_start_at_login(True)
        assert not start_at_login_enabled()
    assert not autostart_file().exists()


# ------------------------------------------------------------------ the dialog


def tick(qtbot, box: QCheckBox) -> None:
    """Click a check box where a user would: on its box (its full width is not clickable)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def fixed_clock() -> datetime:
    return MONDAY


def test_dialog_saves_settings_that_persist(qtbot) -> None:
    dialog = RemindersDialog(UiSettings(), tray_available=True, clock=fixed_clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.explanation.text() == EXPLANATION
    assert not dialog.enabled.isChecked()
    assert not dialog.shifts.isEnabled()
    tick(qtbot, dialog.enabled)
    assert dialog.shifts.isEnabled()
    assert not dialog.times[WEDNESDAY].isEnabled()
    tick(qtbot, dialog.days[WEDNESDAY])
    assert dialog.times[WEDNESDAY].isEnabled()
    dialog.times[WEDNESDAY].setTime(QTime(19, 30))
    tick(qtbot, dialog.days[5])
    dialog.times[5].setTime(QTime(7, 15))
    set_spin(qtbot, dialog.delay, "20")
    assert dialog.next_label.text() == "Next reminder: on Wednesday at 19:50."
    tick(qtbot, dialog.keep_in_tray)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        click(qtbot, dialog.save_button)

    again = UiSettings()
    assert again.reminders_enabled
    assert again.keep_in_tray
    assert again.shift_schedule == "2@19:30,5@07:15;20"
    assert load_schedule(again) == ShiftSchedule.of({2: "19:30", 5: "07:15"}, 20)

    reopened = RemindersDialog(again, tray_available=True, clock=fixed_clock)
    qtbot.addWidget(reopened)
    assert reopened.enabled.isChecked()
    assert [box.isChecked() for box in reopened.days] == [
        False, False, True, False, False, True, False]
    assert reopened.times[5].time() == QTime(7, 15)
    assert reopened.delay.value() == 20
    assert reopened.keep_in_tray.isChecked()


def test_dialog_refuses_reminders_without_days(qtbot) -> None:
    settings = UiSettings()
    dialog = RemindersDialog(settings, tray_available=True, clock=fixed_clock)
    qtbot.addWidget(dialog)
    dialog.show()
    tick(qtbot, dialog.enabled)
    assert dialog.next_label.text() == "Tick the days your shifts end on."
    click(qtbot, dialog.save_button)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible()
    assert "at least one day" in dialog.error.text()
    assert not UiSettings().reminders_enabled


def test_dialog_cancel_changes_nothing(qtbot) -> None:
    dialog = RemindersDialog(UiSettings(), tray_available=True, clock=fixed_clock)
    qtbot.addWidget(dialog)
    dialog.show()
    tick(qtbot, dialog.enabled)
    tick(qtbot, dialog.days[0])
    dialog.reject()
    assert not UiSettings().reminders_enabled
    assert UiSettings().shift_schedule == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG autostart is for Linux")
def test_dialog_start_at_login_writes_the_autostart_file(qtbot) -> None:
    dialog = RemindersDialog(UiSettings(), tray_available=True, clock=fixed_clock)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.start_at_login.isChecked()
    tick(qtbot, dialog.start_at_login)
    click(qtbot, dialog.save_button)
    assert autostart_file().is_file()
    dialog = RemindersDialog(UiSettings(), tray_available=True, clock=fixed_clock)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.start_at_login.isChecked()
    tick(qtbot, dialog.start_at_login)
    click(qtbot, dialog.save_button)
    assert not autostart_file().exists()


def test_dialog_without_a_tray_says_so(qtbot) -> None:
    settings = UiSettings()
    settings.keep_in_tray = True
    dialog = RemindersDialog(settings, tray_available=False, clock=fixed_clock)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.keep_in_tray.isEnabled()
    assert not dialog.keep_in_tray.isChecked()
    assert dialog.notes.isVisible()
    assert "no tray icons" in dialog.notes.text()
    click(qtbot, dialog.save_button)
    assert UiSettings().keep_in_tray  # not the dialog's to turn off where it cannot be shown


def test_a_reminder_click_in_the_window_opens_a_check_in(qtbot, open_window) -> None:
    """Wired into the main window: a clicked reminder brings the window up with the short
    check-in (mood in two taps)."""
    from journal_app.ui.practice.quickcheckin import QuickCheckInDialog

    from .conftest import on_modal

    seen: list[QuickCheckInDialog] = []
    on_modal(QuickCheckInDialog, lambda d: (seen.append(d), d.reject()))
    open_window.reminders.checkin_requested.emit()
    assert len(seen) == 1
    assert open_window.act_reminders.isEnabled()


def test_start_at_login_starts_in_the_background() -> None:
    from journal_app.cli import build_parser
    from journal_app.ui.reminders import desktop_entry

    assert "--background" in desktop_entry()
    assert build_parser().parse_args(["--background"]).background is True
