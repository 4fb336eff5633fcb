"""Interface state in QSettings, through a small typed wrapper with defaults.

Only interface state goes here (window geometry, splitter sizes, theme, text size, auto-lock
time, the last data folder, the reminder schedule, the backup folder and schedule, spell checking
on or off and its language). Nothing from
the journal: no titles, tags, search text or ids.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

THEMES = ("system", "light", "dark")
AUTOLOCK_CHOICES = (1, 2, 5, 10, 15, 30, 60)


class UiSettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or QSettings("journal-app", "journal-app")

    def sync(self) -> None:
        self._s.sync()

    @property
    def file_name(self) -> str:
        return self._s.fileName()

    def _bool(self, key: str, default: bool) -> bool:
        value = self._s.value(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        if isinstance(value, int):
            return bool(value)
        return default

    def _int(self, key: str, default: int, lo: int, hi: int) -> int:
        try:
            # QSettings.value() is whatever the settings file holds (typed object): int() of
            # anything that is not a number raises, and the default is used.
            value = int(self._s.value(key, default))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return default
        return value if lo <= value <= hi else default

    @property
    def autolock_minutes(self) -> int:
        return self._int("security/autolock_minutes", 5, 1, 24 * 60)

    @autolock_minutes.setter
    def autolock_minutes(self, value: int) -> None:
        self._s.setValue("security/autolock_minutes", int(value))

    @property
    def theme(self) -> str:
        value = str(self._s.value("view/theme", "system"))
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._s.setValue("view/theme", value if value in THEMES else "system")

    @property
    def text_size(self) -> int:
        return self._int("view/text_size", 11, 8, 28)

    @text_size.setter
    def text_size(self, value: int) -> None:
        self._s.setValue("view/text_size", int(value))

    @property
    def preview_mode(self) -> str:
        value = str(self._s.value("view/preview", "off"))
        return value if value in ("off", "side", "only") else "off"

    @preview_mode.setter
    def preview_mode(self, value: str) -> None:
        self._s.setValue("view/preview", value)

    @property
    def details_shown(self) -> bool:
        """Whether the editor's strip of details (tags, feelings, ratings) is unfolded."""
        return self._bool("view/details_shown", True)

    @details_shown.setter
    def details_shown(self, value: bool) -> None:
        self._s.setValue("view/details_shown", bool(value))

    # Spell checking: on or off, and the language ("" for the system's). The user's own words
    # are journal content: they are kept in the journal (encrypted), never here.

    @property
    def spell_check(self) -> bool:
        return self._bool("spelling/enabled", True)

    @spell_check.setter
    def spell_check(self, value: bool) -> None:
        self._s.setValue("spelling/enabled", bool(value))

    @property
    def spell_language(self) -> str:
        """A language code of journal_app.core.spelling.LANGUAGE_NAMES, or "" (the system's)."""
        value = str(self._s.value("spelling/language", "") or "")
        return value if value.isascii() and value.isalpha() and len(value) <= 3 else ""

    @spell_language.setter
    def spell_language(self, value: str) -> None:
        self._s.setValue("spelling/language", str(value))

    @property
    def data_dir(self) -> str | None:
        value = self._s.value("vault/data_dir", "")
        return str(value) or None

    @data_dir.setter
    def data_dir(self, value: str) -> None:
        self._s.setValue("vault/data_dir", value)

    @property
    def drop_folder(self) -> str | None:
        """The mentor's drop folder of share packages, watched while the app runs."""
        value = str(self._s.value("sharing/drop_folder", ""))
        return value or None

    @drop_folder.setter
    def drop_folder(self, value: str) -> None:
        self._s.setValue("sharing/drop_folder", value)

    @property
    def support_country(self) -> str | None:
        value = str(self._s.value("support/country", ""))
        return value or None

    @support_country.setter
    def support_country(self, value: str) -> None:
        self._s.setValue("support/country", value)

    # Reminders after shifts: on/off, the schedule (ShiftSchedule.serialise()), the tray.

    @property
    def on_this_day(self) -> bool:
        """"On this day" on the home panel (entries of this date in earlier years): off unless
        turned on. Interface state only: the choice, never what it shows."""
        return self._bool("home/on_this_day", False)

    @on_this_day.setter
    def on_this_day(self, value: bool) -> None:
        self._s.setValue("home/on_this_day", bool(value))

    @property
    def on_this_day_heavy(self) -> bool:
        """Whether "On this day" may show entries about a death or another heavy encounter
        (off unless asked for)."""
        return self._bool("home/on_this_day_heavy", False)

    @on_this_day_heavy.setter
    def on_this_day_heavy(self, value: bool) -> None:
        self._s.setValue("home/on_this_day_heavy", bool(value))

    @property
    def reminders_enabled(self) -> bool:
        return self._bool("reminders/enabled", False)

    @reminders_enabled.setter
    def reminders_enabled(self, value: bool) -> None:
        self._s.setValue("reminders/enabled", bool(value))

    @property
    def shift_schedule(self) -> str:
        """Shift end times and delay, as ShiftSchedule.serialise() wrote them ("" for none)."""
        return str(self._s.value("reminders/shifts", "") or "")

    @shift_schedule.setter
    def shift_schedule(self, value: str) -> None:
        self._s.setValue("reminders/shifts", str(value))

    @property
    def keep_in_tray(self) -> bool:
        return self._bool("reminders/keep_in_tray", False)

    @keep_in_tray.setter
    def keep_in_tray(self, value: bool) -> None:
        self._s.setValue("reminders/keep_in_tray", bool(value))

    @property
    def clear_text_export_confirmed(self) -> bool:
        """Whether the user confirmed once that clear-text exports are not encrypted."""
        return self._bool("export/clear_text_confirmed", False)

    @clear_text_export_confirmed.setter
    def clear_text_export_confirmed(self, value: bool) -> None:
        self._s.setValue("export/clear_text_confirmed", bool(value))

    # Automatic backups: on/off, the folder (a path, not journal text), how often, how many.
    # When and where the last good backup went is kept in the vault (core.backup).

    @property
    def backup_enabled(self) -> bool:
        return self._bool("backup/enabled", False)

    @backup_enabled.setter
    def backup_enabled(self, value: bool) -> None:
        self._s.setValue("backup/enabled", bool(value))

    @property
    def backup_folder(self) -> str:
        return str(self._s.value("backup/folder", "") or "")

    @backup_folder.setter
    def backup_folder(self, value: str) -> None:
        self._s.setValue("backup/folder", str(value))

    @property
    def backup_every_days(self) -> int:
        return self._int("backup/every_days", 1, 1, 365)

    @backup_every_days.setter
    def backup_every_days(self, value: int) -> None:
        self._s.setValue("backup/every_days", int(value))

    @property
    def backup_keep(self) -> int:
        return self._int("backup/keep", 7, 1, 1000)

    @backup_keep.setter
    def backup_keep(self, value: int) -> None:
        self._s.setValue("backup/keep", int(value))

    def geometry(self, name: str) -> QByteArray | None:
        value = self._s.value(f"window/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, value: QByteArray) -> None:
        self._s.setValue(f"window/{name}", value)


class DemoSettings(UiSettings):
    """The settings of the throwaway demo: its own file in the demo's folder (deleted when the
    demo quits), starting as a copy of ``real`` (the user's theme, text size, window sizes), so
    the demo looks like the app but nothing changed in it reaches the real settings. The demo's
    journal folder is never its data folder (nothing is remembered as the journal to open)."""

    FILE_NAME = "demo-settings.ini"

    def __init__(self, real: UiSettings, folder: Path) -> None:
        own = QSettings(str(folder / self.FILE_NAME), QSettings.Format.IniFormat)
        for key in real._s.allKeys():
            if key != "vault/data_dir":
                own.setValue(key, real._s.value(key))
        super().__init__(own)
