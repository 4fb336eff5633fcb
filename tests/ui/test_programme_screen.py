"""Sharing ▸ Programme…, driven as a user would: joining (the fingerprint compared, "They
differ" keeps nothing), the roster mentor confirmed by the programme in the Share dialog,
an update that changes a mentor's key, an older file refused, leaving; and the lead's side:
start, roster, enrolment, pack, publish, hand-over. The support panel shows the pack's lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.core.programme import fileformat
from journal_app.core.programme import service as programme
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.practice.support import SupportDialog
from journal_app.ui.sharing.programme_dialog import ProgrammeDialog
from journal_app.ui.shell.mainwindow import MainWindow
from tests.helpers.programme_pack import write_pack

from .conftest import click, on_modal, writes_done
from .sharing_steps import FilePicker, journal_of

NAME = "Palliative Care Clerkship"


@dataclass
class Others:
    lead: Journal
    mentor: Journal
    impostor: Journal
    folder: Path

    def card(self, journal: Journal, name: str) -> Path:
        path = self.folder / f"{name}.card"
        path.write_bytes(sharing.my_card(journal).to_bytes())
        return path

    def publish(self, name: str) -> Path:
        path = self.folder / name
        programme.publish(self.lead, path)
        return path


@pytest.fixture
def others(tmp_path: Path) -> Iterator[Others]:
    made = [Journal.create(tmp_path / n, "correct horse", kdf=TEST_KDF)[0]
            for n in ("lead", "mentor", "impostor")]
    lead, mentor, impostor = made
    sharing.ensure_identity(mentor, "Ada Mentor", "mentor")
    sharing.ensure_identity(impostor, "Ada Mentor", "mentor")
    programme.create(lead, NAME)
    programme.roster_add(lead, sharing.my_card(mentor).to_bytes())
    programme.pack_set(lead, write_pack(tmp_path / "pack"))
    yield Others(lead, mentor, impostor, tmp_path)
    for journal in made:
        journal.close()


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> FilePicker:
    return FilePicker().install(monkeypatch)


def open_dialog(qtbot: QtBot, window: MainWindow) -> ProgrammeDialog:
    dialog = ProgrammeDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def digits(text: str) -> str:
    return " ".join(text.split())


def test_join_compare_share_update_and_leave(qtbot: QtBot, open_window: MainWindow,
                                            picker: FilePicker, others: Others) -> None:
    journal = journal_of(open_window)
    sharing.ensure_identity(journal, "Sam Student")
    first = others.publish("v1.programme")
    expected = fileformat.parse_programme(first.read_bytes()).fingerprint
    dialog = open_dialog(qtbot, open_window)
    assert dialog.join_button.isVisible() and not dialog.update_button.isVisible()

    # The fingerprint is shown large, grouped; "They differ" keeps nothing.
    picker.opens.append(first)
    click(qtbot, dialog.join_button)
    writes_done(qtbot, open_window.session)
    assert dialog.match_button.isVisible() and dialog.differ_button.isVisible()
    assert digits(dialog.fingerprint.text()) == expected
    assert "\n" in dialog.fingerprint.text()  # in lines of groups, to read aloud
    assert "orientation" in dialog.question.text()
    click(qtbot, dialog.differ_button)
    assert programme.joined(journal) is None and dialog.join_button.isVisible()

    picker.opens.append(first)
    click(qtbot, dialog.join_button)
    writes_done(qtbot, open_window.session)
    click(qtbot, dialog.match_button)
    writes_done(qtbot, open_window.session)
    assert programme.joined(journal) is not None
    assert "Joined" in dialog.outcome.text()
    assert f"confirmed by {NAME}" in dialog.details.text()
    assert "Ada Mentor" in dialog.details.text()
    assert "2 prompt(s) and 1 template(s)" in dialog.details.text()

    # The Share dialog offers the roster mentor, confirmed by the programme, ticked.
    from journal_app.ui.sharing.share_dialog import ShareDialog

    share = ShareDialog(open_window.session, open_window)
    qtbot.addWidget(share)
    share._fill_contacts()
    (item,) = [share.contacts.item(r) for r in range(share.contacts.count())]
    assert item.text().endswith(f"confirmed by {NAME}")
    assert [c.name for c in share.chosen_contacts()] == ["Ada Mentor"]
    share.reject()

    # An update that changes a known mentor's key shows the change and asks.
    programme.roster_add(others.lead, sharing.my_card(others.impostor).to_bytes(),
                         replace_changed=True)
    second = others.publish("v2.programme")
    picker.opens.append(second)
    click(qtbot, dialog.update_button)
    writes_done(qtbot, open_window.session)
    assert "changes the card of a mentor you know" in dialog.question.text()
    assert dialog.match_button.text() == "They confirmed: take it"
    click(qtbot, dialog.differ_button)
    assert programme.joined(journal).version == 1  # type: ignore[union-attr]
    picker.opens.append(second)
    click(qtbot, dialog.update_button)
    writes_done(qtbot, open_window.session)
    click(qtbot, dialog.match_button)
    writes_done(qtbot, open_window.session)
    assert programme.joined(journal).version == 2  # type: ignore[union-attr]

    # An older file: refused with one sentence, nothing changed.
    picker.opens.append(first)
    click(qtbot, dialog.update_button)
    writes_done(qtbot, open_window.session)
    assert "older" in dialog.error.text() and dialog.error.isVisible()
    assert programme.joined(journal).version == 2  # type: ignore[union-attr]

    # The support lines of the pack, beside the shipped ones.
    seen = on_modal(SupportDialog, lambda d: (
        None if "School wellbeing office" in d.panel.resources.text()
        and f"from {NAME}" in d.panel.resources.text() else pytest.fail("no pack line")))
    open_window.show_support()
    assert seen

    on_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    click(qtbot, dialog.leave_button)
    writes_done(qtbot, open_window.session)
    assert programme.joined(journal) is None and dialog.join_button.isVisible()


def test_the_lead_starts_fills_publishes_and_hands_over(
        qtbot: QtBot, open_window: MainWindow, picker: FilePicker, others: Others,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    journal = journal_of(open_window)
    dialog = open_dialog(qtbot, open_window)
    assert dialog.create_button.isVisible() and not dialog.publish_button.isVisible()
    click(qtbot, dialog.create_button)
    assert "name" in dialog.error.text()  # no name yet
    qtbot.keyClicks(dialog.name, "Ward 7 Programme")
    click(qtbot, dialog.create_button)
    writes_done(qtbot, open_window.session)
    led = programme.lead(journal)
    assert led is not None
    assert digits(dialog.lead_fingerprint.text()) == programme.lead_fingerprint(led)
    assert dialog.publish_button.isVisible() and not dialog.create_button.isVisible()

    picker.opens.append(others.card(others.mentor, "ada"))
    click(qtbot, dialog.add_mentor_button)
    writes_done(qtbot, open_window.session)
    assert dialog.roster.count() == 1 and "Ada Mentor" in dialog.roster.item(0).text()

    student = Journal.create(tmp_path / "kim", "correct horse", kdf=TEST_KDF)[0]
    try:
        sharing.ensure_identity(student, "Kim Student")
        card = others.card(student, "kim")
    finally:
        student.close()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *_a, **_k: ([str(card)], "")))
    click(qtbot, dialog.enrol_button)
    writes_done(qtbot, open_window.session)
    assert "Students enrolled: 1" in dialog.lead_details.text()

    bad = write_pack(tmp_path / "bad", template="version = 1\n")
    folders: list[str] = [str(bad), str(tmp_path / "pack")]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *_a, **_k: folders.pop(0)))
    click(qtbot, dialog.pack_button)
    writes_done(qtbot, open_window.session)
    assert "templates/rotation-debrief.toml, line" in dialog.error.text()
    click(qtbot, dialog.pack_button)
    writes_done(qtbot, open_window.session)
    assert "2 prompt(s)" in dialog.lead_details.text()

    picker.saves.append(tmp_path / "ward7")  # the suffix is added
    click(qtbot, dialog.publish_button)
    writes_done(qtbot, open_window.session)
    made = fileformat.parse_programme((tmp_path / "ward7.programme").read_bytes())
    assert (made.name, made.version, len(made.mentors), len(made.students)) == (
        "Ward 7 Programme", 1, 1, 1)

    assert dialog.report_button.isVisible()
    picker.opens.append(others.card(others.mentor, "successor"))
    picker.saves.append(tmp_path / "handover.programme")
    on_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    click(qtbot, dialog.hand_over_button)
    writes_done(qtbot, open_window.session)
    handed = fileformat.parse_programme((tmp_path / "handover.programme").read_bytes())
    assert handed.current_key == sharing.my_card(others.mentor).ed25519
    assert not dialog.publish_button.isVisible() and "handed over" in \
        dialog.lead_summary.text()
    # The keys for cohort contributions went with it (sealed to the successor's card), and
    # this journal no longer offers the cohort report.
    assert handed.format_version == 3 and not dialog.report_button.isVisible()
    assert digits(dialog.lead_fingerprint.text()) == handed.fingerprint


def test_a_forged_file_is_refused_in_one_sentence(qtbot: QtBot, open_window: MainWindow,
                                                  picker: FilePicker, others: Others) -> None:
    path = others.publish("v1.programme")
    path.write_bytes(path.read_bytes().replace(b"Ada Mentor", b"Eve Mentor"))
    dialog = open_dialog(qtbot, open_window)
    picker.opens.append(path)
    click(qtbot, dialog.join_button)
    writes_done(qtbot, open_window.session)
    assert "altered" in dialog.error.text() and not dialog.match_button.isVisible()
    assert programme.joined(journal_of(open_window)) is None
