"""Reminders after shifts: on or off, when shifts end, the delay, the tray and start at login."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QLocale, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QSystemTrayIcon,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.errors import describe
from journal_app.ui.reminders import (
    MAX_DELAY_MINUTES,
    START_AT_LOGIN_UNSUPPORTED,
    WEEKDAYS,
    ScheduleError,
    ShiftSchedule,
    describe_due,
    load_schedule,
    set_start_at_login,
    start_at_login_enabled,
    start_at_login_supported,
)
from journal_app.ui.uisettings import UiSettings
from journal_app.ui.widgets import error_label, muted, show_error

EXPLANATION = (
    "Reminders come only while journal-app is running. It can keep running in the tray, and "
    "start when you log in. A reminder never shows anything you wrote."
)
NO_TRAY = (
    "This desktop shows no tray icons, so journal-app stops when its window closes and "
    "reminders appear only in its window."
)
STORED_WHERE = (
    "Your shift times are kept in journal-app's settings file, not in the encrypted journal."
)
DEFAULT_END = QTime(17, 0)


class RemindersDialog(QDialog):
    """Edits the reminder settings; Save writes them to ``settings`` (and the autostart file).

    After it is accepted, the caller re-reads the settings (ReminderScheduler.apply_settings).
    ``tray_available`` and ``clock`` default to the real system tray and local time.
    """

    def __init__(self, settings: UiSettings, parent: QWidget | None = None, *,
                 tray_available: bool | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.clock = clock or datetime.now
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        self.setWindowTitle("Reminders")
        schedule = load_schedule(settings)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        self.explanation = QLabel(EXPLANATION)
        self.explanation.setWordWrap(True)
        self.explanation.setAccessibleName("About reminders")
        layout.addWidget(self.explanation)

        self.enabled = QCheckBox("Remind me to check in after my shifts")
        self.enabled.setChecked(settings.reminders_enabled)
        layout.addWidget(self.enabled)

        self.shifts = QGroupBox("When my shifts end")
        sv = QVBoxLayout(self.shifts)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        fmt = QLocale().timeFormat(QLocale.FormatType.ShortFormat)
        self.days: list[QCheckBox] = []
        self.times: list[QTimeEdit] = []
        for day, name in enumerate(WEEKDAYS):
            box = QCheckBox(name)
            edit = QTimeEdit()
            edit.setDisplayFormat(fmt)
            edit.setAccessibleName(f"{name}: shift ends at")
            edit.setMinimumHeight(edit.sizeHint().height())  # never squeezed
            end = schedule.end_for(day)
            box.setChecked(end is not None)
            edit.setTime(QTime(end.hour, end.minute) if end is not None else DEFAULT_END)
            edit.setEnabled(end is not None)
            box.toggled.connect(edit.setEnabled)
            box.toggled.connect(self._update)
            edit.timeChanged.connect(self._update)
            grid.addWidget(box, day, 0)
            grid.addWidget(edit, day, 1)
            self.days.append(box)
            self.times.append(edit)
        grid.setColumnStretch(2, 1)
        sv.addLayout(grid)
        delay_row = QHBoxLayout()
        delay_row.addWidget(QLabel("Remind me"))
        self.delay = QSpinBox()
        self.delay.setRange(0, MAX_DELAY_MINUTES)
        self.delay.setSingleStep(5)
        self.delay.setSuffix(" minutes")
        self.delay.setAccessibleName("Minutes after a shift ends")
        self.delay.setValue(schedule.delay_minutes)
        delay_row.addWidget(self.delay)
        delay_row.addWidget(QLabel("after a shift ends"))
        delay_row.addStretch(1)
        sv.addLayout(delay_row)
        self.next_label = muted("")
        self.next_label.setAccessibleName("Next reminder")
        sv.addWidget(self.next_label)
        layout.addWidget(self.shifts)

        running = QGroupBox("While the window is closed")
        rv = QVBoxLayout(running)
        self.keep_in_tray = QCheckBox("Keep running in the tray when the window is closed")
        self.keep_in_tray.setChecked(settings.keep_in_tray and tray_available)
        self.keep_in_tray.setEnabled(tray_available)
        rv.addWidget(self.keep_in_tray)
        self.start_at_login = QCheckBox("Start journal-app when I log in")
        self._login_was = start_at_login_enabled()
        self.start_at_login.setChecked(self._login_was)
        self.start_at_login.setEnabled(start_at_login_supported())
        rv.addWidget(self.start_at_login)
        notes = [] if tray_available else [NO_TRAY]
        if not start_at_login_supported():
            notes.append(START_AT_LOGIN_UNSUPPORTED)
        self.notes = muted(" ".join(notes))
        self.notes.setVisible(bool(notes))
        rv.addWidget(self.notes)
        layout.addWidget(running)

        layout.addWidget(muted(STORED_WHERE))
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.enabled.toggled.connect(self._update)
        self.delay.valueChanged.connect(self._update)
        self._update()
        # Room for every row at its natural height (a zero height squeezes the time boxes).
        self.resize(520, max(self.sizeHint().height(), layout.totalHeightForWidth(520)))

    def schedule(self) -> ShiftSchedule:
        """The schedule as the dialog shows it now."""
        ends = {day: self.times[day].time().toString("HH:mm")
                for day, box in enumerate(self.days) if box.isChecked()}
        return ShiftSchedule.of(ends, self.delay.value())

    def _update(self, *_args: object) -> None:
        on = self.enabled.isChecked()
        self.shifts.setEnabled(on)
        show_error(self.error, "")
        if not on:
            self.next_label.setText("Reminders are off.")
            return
        try:
            schedule = self.schedule()
        except ScheduleError as exc:  # not reachable from the controls; said all the same
            self.next_label.setText(describe(exc))
            return
        now = self.clock()
        due = schedule.next_after(now)
        self.next_label.setText(
            "Tick the days your shifts end on." if due is None
            else f"Next reminder: {describe_due(due, now)}."
        )

    def save(self) -> None:
        try:
            schedule = self.schedule()
        except ScheduleError as exc:
            show_error(self.error, describe(exc))
            return
        if self.enabled.isChecked() and schedule.is_empty:
            show_error(self.error, "Tick at least one day, or turn reminders off.")
            return
        want_login = self.start_at_login.isChecked()
        if self.start_at_login.isEnabled() and want_login != self._login_was:
            if not set_start_at_login(want_login):
                show_error(self.error, "journal-app could not change its start at login "
                           "(the system's login items could not be written).")
                return
            self._login_was = want_login
        self.settings.reminders_enabled = self.enabled.isChecked()
        self.settings.shift_schedule = schedule.serialise()
        if self.keep_in_tray.isEnabled():
            self.settings.keep_in_tray = self.keep_in_tray.isChecked()
        self.settings.sync()
        self.accept()
