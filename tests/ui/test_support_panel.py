"""The support panel appears for a severe pattern of check-ins and not for a mild one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from journal_app.core.records.model import CheckIn, now
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal

from .conftest import PASSPHRASE, unlock, writes_done


def vault_with(folder: Path, checkins: list[CheckIn]) -> None:
    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        for checkin in checkins:
            journal.add_record(checkin)


def test_severe_week_shows_support_and_it_can_be_dismissed(qtbot: Any, folder: Path,
                                                           make_window: Any) -> None:
    t = now()
    vault_with(folder, [CheckIn(created=t - timedelta(days=d), stress=9) for d in (0, 1, 3)])
    window = make_window(folder)
    unlock(qtbot, window)
    panel = window.support_panel
    assert panel.isVisible()
    text = panel.resources.text()
    assert "988" in text or "116 123" in text or "emergency" in text
    panel.country.setCurrentIndex(panel.country.findData("GB"))
    assert "Samaritans" in panel.resources.text() and "checked" in panel.resources.text()
    assert window.settings.support_country == "GB"
    panel.dismiss_button.click()
    assert not panel.isVisible()
    window.update_support()
    assert not panel.isVisible()  # dismissed for this session
    window.update_support(after_checkin=True)
    assert panel.isVisible()  # a new severe check-in brings it back


def test_a_mild_week_shows_no_panel(qtbot: Any, folder: Path, make_window: Any) -> None:
    t = now()
    vault_with(folder, [CheckIn(created=t - timedelta(days=d), stress=s, burnout=3)
                        for d, s in ((0, 9), (1, 6), (2, 4))])
    window = make_window(folder)
    unlock(qtbot, window)
    assert not window.support_panel.isVisible()


def test_own_support_contacts_are_added_encrypted_and_listed_first(
    qtbot: Any, folder: Path, make_window: Any, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from journal_app.core.records.model import SupportContact

    t = now()
    vault_with(folder, [CheckIn(created=t, burnout=5)])
    window = make_window(folder)
    unlock(qtbot, window)
    answers = iter([("Student wellbeing office", True), ("Room 2.14, open 9-5", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    # No country in the test's locale: the international entry, until one is chosen.
    window.support_panel.country.setCurrentIndex(window.support_panel.country.findData("US"))
    window.support_panel.add_button.click()
    writes_done(qtbot, window.session)  # stored in the worker, then listed
    text = window.support_panel.resources.text()
    assert text.index("Student wellbeing office") < text.index("988")
    assert "added by you" in text
    (contact,) = window.session.journal.records(SupportContact)
    assert contact.contact == "Room 2.14, open 9-5"
    window.lock_now()
    assert "Student wellbeing office" not in window.support_panel.resources.text()
    raw = b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())
    assert b"wellbeing office" not in raw and "wellbeing office".encode("utf-16-le") not in raw


# ------------------------------------------------------------------ on demand, from everywhere

ISSUE_ENTRY = ("I don't want to be alive anymore, and I have been thinking about how I would "
               "do it")


def _check_dialog(dialog: Any, country: str, number: str) -> None:
    from journal_app.ui.practice.support import SupportDialog

    assert isinstance(dialog, SupportDialog)
    panel = dialog.panel
    panel.country.setCurrentIndex(panel.country.findData(country))
    assert "not wanting to be alive" in panel.crisis.text()
    assert number in panel.crisis.text()
    text = panel.resources.text()
    assert "https://" in text and ("checked" in text or "not yet confirmed" in text)
    assert not panel.dismiss_button.isVisible()  # on demand: it closes, it is not an offer


def test_help_menu_opens_the_lines_on_the_lock_screen_without_unlocking(
        qtbot: Any, folder: Path, make_window: Any) -> None:
    from journal_app.ui.practice.support import SupportDialog

    from .conftest import on_modal

    vault_with(folder, [])
    window = make_window(folder)
    assert window.stack.currentWidget() is window.lock_page
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.act_support in help_menu.actions()
    assert window.act_support.isEnabled()
    seen = on_modal(SupportDialog, lambda d: _check_dialog(d, "GB", "999"))
    window.act_support.trigger()
    assert seen
    assert not window.session.is_unlocked
    assert window.stack.currentWidget() is window.lock_page


def test_the_lock_screen_has_its_own_button(qtbot: Any, folder: Path, make_window: Any) -> None:
    from journal_app.ui.practice.support import SupportDialog

    from .conftest import click, on_modal

    vault_with(folder, [])
    window = make_window(folder)
    button = window.lock_page.support_button
    assert button.isVisible() and "Support" in button.text()
    seen = on_modal(SupportDialog, lambda d: _check_dialog(d, "AU", "000"))
    click(qtbot, button)
    assert seen and not window.session.is_unlocked


def test_the_tray_menu_and_the_home_panel_open_it(qtbot: Any, folder: Path,
                                                  make_window: Any) -> None:
    from journal_app.ui.practice.support import SupportDialog

    from .conftest import click, on_modal

    vault_with(folder, [])
    window = make_window(folder)
    unlock(qtbot, window)
    seen = on_modal(SupportDialog, lambda d: _check_dialog(d, "US", "911"))
    window.tray.support_action.trigger()
    assert seen
    link = window.journal_page.support_link
    assert link.isVisible()
    seen = on_modal(SupportDialog, lambda d: _check_dialog(d, "IE", "112 or 999"))
    click(qtbot, link)
    assert seen


def test_the_help_window_has_a_support_section(qtbot: Any, folder: Path,
                                               make_window: Any) -> None:
    from journal_app.ui.dialogs.about import TextDialog

    from .conftest import on_modal

    vault_with(folder, [])
    window = make_window(folder)
    window.settings.support_country = "GB"
    texts: list[str] = []
    seen = on_modal(TextDialog, lambda d: texts.append(d.view.toPlainText()))
    window.act_help.trigger()
    assert seen
    (text,) = texts
    assert "Support and crisis lines" in text
    assert "not wanting to be alive" in text and "999" in text and "116 123" in text


def test_the_last_step_of_every_template_links_to_the_lines(qtbot: Any, folder: Path,
                                                           make_window: Any) -> None:
    from journal_app.core.practice.prompts import load_library
    from journal_app.ui.writing.reflection import ReflectionWizard

    from .conftest import click

    vault_with(folder, [])
    window = make_window(folder)
    unlock(qtbot, window)
    for template in load_library().templates.values():
        wizard = ReflectionWizard(window.session, template, parent=window)
        qtbot.addWidget(wizard, before_close_func=lambda w: w.hide())
        wizard.show()
        while wizard.current_step() is not None:
            click(qtbot, wizard.next_button)
        link = wizard.finish_page.support_link
        assert link.isVisible(), template.id
        with qtbot.waitSignal(wizard.support_requested, timeout=1000):
            click(qtbot, link)
        wizard.hide()


def test_templates_and_prompts_point_to_the_real_place() -> None:
    from journal_app.core.practice.prompts import load_library

    library = load_library()
    texts = [p.text for p in library.prompts] + [
        s.prompt + " " + s.hint for t in library.templates.values() for s in t.steps]
    assert not any("support page" in t for t in texts)
    assert not any("a support line that answers late at night" in t for t in texts)
    who = next(s for s in library.templates["patient-death"].steps if s.id == "who-to-talk-to")
    assert "Support and crisis lines" in who.prompt


# ------------------------------------------------------------------ offered after a severe signal


def test_an_entry_about_not_wanting_to_be_alive_offers_support_once(
        qtbot: Any, folder: Path, make_window: Any) -> None:
    from .conftest import WAIT_MS, type_text

    t = now()
    # Three hard check-ins, but none severe by themselves (the issue's case showed nothing).
    vault_with(folder, [CheckIn(created=t - timedelta(days=d), stress=8, burnout=4)
                        for d in (0, 1, 2)])
    window = make_window(folder)
    unlock(qtbot, window)
    panel = window.support_panel
    assert not panel.isVisible()
    window.journal_page.new_entry()
    editor = window.journal_page.editor
    type_text(qtbot, editor.body, ISSUE_ENTRY)
    editor.save()
    qtbot.waitUntil(panel.isVisible, timeout=WAIT_MS)
    assert "not wanting to be alive" in panel.crisis.text()
    assert "check-ins" not in panel.title.text()  # it names no cause and diagnoses nothing
    assert editor.body.isEnabled()  # nothing is blocked
    panel.dismiss_button.click()
    # Autosave after more writing: the same entry, the same day: not offered again.
    type_text(qtbot, editor.body, " Still here.")
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.save()
    window.session.worker.wait()
    process_events()
    assert not panel.isVisible()


def test_an_ordinary_entry_about_a_death_offers_nothing(qtbot: Any, folder: Path,
                                                       make_window: Any) -> None:
    from .conftest import type_text

    vault_with(folder, [])
    window = make_window(folder)
    unlock(qtbot, window)
    window.journal_page.new_entry()
    editor = window.journal_page.editor
    type_text(qtbot, editor.body, "The patient wanted to die at home, and she did. "
                                  "Her grandson made us all laugh; I could have died laughing.")
    with qtbot.waitSignal(editor.saved, timeout=5000):
        editor.save()
    process_events()
    assert not window.support_panel.isVisible()


def test_a_reflection_rated_ten_of_ten_offers_support(qtbot: Any, folder: Path,
                                                      make_window: Any) -> None:
    from journal_app.ui.writing.reflection import ReflectionWizard, ScaleStepEditor

    from .conftest import click, on_modal

    vault_with(folder, [])
    window = make_window(folder)
    unlock(qtbot, window)

    def walk(wizard: ReflectionWizard) -> None:
        while (step := wizard.current_step()) is not None:
            editor = wizard.editors[step.id]
            if isinstance(editor, ScaleStepEditor):
                click(qtbot, editor.buttons[10])
            click(qtbot, wizard.next_button)
        click(qtbot, wizard.next_button)  # Finish
        qtbot.waitUntil(lambda: not wizard.isVisible())  # stored in the worker, then closes

    seen = on_modal(ReflectionWizard, walk)
    window.start_reflection("patient-death")
    assert seen and seen[0].reflection is not None
    assert window.support_panel.isVisible()


def test_a_wellbeing_check_at_its_worst_end_offers_support(qtbot: Any, folder: Path,
                                                           make_window: Any) -> None:
    from journal_app.ui.practice.assessment import AssessmentDialog

    from .conftest import click, on_modal

    vault_with(folder, [])
    window = make_window(folder)
    unlock(qtbot, window)

    def rate(dialog: AssessmentDialog) -> None:
        for row, value in zip(dialog.rows, (5, 5, 1, 1), strict=True):
            click(qtbot, row.buttons[value - 1])
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    seen = on_modal(AssessmentDialog, rate)
    window.act_wellbeing.trigger()
    assert seen
    assert window.support_panel.isVisible()


def test_the_panel_marks_an_old_check_and_never_dates_the_placeholder(qtbot: Any) -> None:
    from datetime import date

    from journal_app.core.practice.support import support_list
    from journal_app.ui.practice.support import SupportPanel

    line = support_list().for_country("GB")[0]
    assert line.last_checked is not None
    late = SupportPanel("GB", today=line.last_checked + timedelta(days=500))
    qtbot.addWidget(late)
    assert "checked more than a year ago" in late.resources.text()
    fresh = SupportPanel("GB", today=line.last_checked + timedelta(days=10))
    qtbot.addWidget(fresh)
    assert "more than a year" not in fresh.resources.text()
    elsewhere = SupportPanel("INTL", today=date(2026, 12, 6))
    qtbot.addWidget(elsewhere)
    assert "checked" not in elsewhere.resources.text()
    assert "your local emergency number" in elsewhere.crisis.text()


def process_events() -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
