"""The mentor's workspace in the app (issue 24): "Let them know I've read it…" and the student's
Shared by me (sent, read, answered with their days; forged, altered and replayed receipts
refused with one sentence), "Sign off…" for a student, and the attestation files written
beside the portfolio PDF by the export dialog."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox, QTreeWidget
from pytestqt.qtbot import QtBot

from journal_app.core import programme
from journal_app.core.demo.mentor import mentor_demo_records
from journal_app.core.records.model import (
    AttestationRecord,
    Entry,
    Feedback,
    InboxMark,
    ReadReceipt,
    ReceivedExcerpt,
)
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.journal import Journal
from journal_app.ui.sharing.cards_dialog import CardsDialog
from journal_app.ui.sharing.shared_with_me import SharedWithMeWindow
from journal_app.ui.sharing.signoff_dialog import SignOffDialog
from journal_app.ui.shell.mainwindow import MainWindow
from tests.unit.core import test_sharing

from .conftest import PASSPHRASE, click, make_vault, on_modal, unlock, writes_done
from .sharing_steps import FilePicker, journal_of, receive

WAIT_MS = 10_000


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> FilePicker:
    return FilePicker().install(monkeypatch)


#: Journals of other people (the core only), closed at the end: the sharing tests' fixture.
vaults = test_sharing.vaults


def _share(student: Journal, out: Path, *titles: str, to: str = "Ada Mentor") -> Path:
    entries = [student.add_entry(Entry(title=t, body="A long night.")) for t in titles]
    draft = sharing.draft_share(student, [sharing.Selection(e.id) for e in entries])
    sharing.write_share(student, draft, out, to=[sharing.find_contact(student, to)])
    return out


def _mentor_window(qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
                   vaults: Callable[[str], Journal], *students: str,
                   ) -> tuple[MainWindow, Journal, list[Journal]]:
    """A mentor's window (Ada Mentor's card made), and students' journals (the core) with
    Ada as a contact."""
    make_vault(tmp_path / "mentor")
    window = make_window(tmp_path / "mentor")
    unlock(qtbot, window)
    mentor = journal_of(window)
    card = sharing.my_card(mentor, "Ada Mentor", "mentor").to_bytes()
    made = []
    for name in students:
        journal = vaults(name.split()[0].lower())
        sharing.ensure_identity(journal, name)
        sharing.import_card(journal, card, lambda _c: True)
        made.append(journal)
    return window, mentor, made


def _student_window(qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
                    vaults: Callable[[str], Journal], entries: list[Entry] | None = None,
                    ) -> tuple[MainWindow, Journal, Journal]:
    """Sam Student's window, unlocked (its journal holding ``entries``), with Ada Mentor's
    card imported; returns it, the student's journal and the mentor's."""
    make_vault(tmp_path / "student", entries)
    window = make_window(tmp_path / "student")
    unlock(qtbot, window)
    student = journal_of(window)
    sharing.ensure_identity(student, "Sam Student")
    mentor = vaults("mentor")
    sharing.import_card(student, sharing.my_card(mentor, "Ada Mentor", "mentor").to_bytes(),
                        lambda _c: True)
    return window, student, mentor


def _shared_window(qtbot: QtBot, window: MainWindow) -> SharedWithMeWindow:
    window.sharing.show_shared_with_me()
    shared = window.sharing.shared_window
    assert isinstance(shared, SharedWithMeWindow)
    qtbot.waitUntil(shared.isVisible)
    return shared


def _click_row(qtbot: QtBot, tree: QTreeWidget, row: int) -> None:
    item = tree.topLevelItem(row)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(item).center())


# ============================================================================ read receipts


def test_the_mentor_lets_a_student_know_on_purpose(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
        vaults: Callable[[str], Journal], picker: FilePicker) -> None:
    window, mentor, (student,) = _mentor_window(qtbot, tmp_path, make_window, vaults,
                                                "Sam Student")
    package = _share(student, tmp_path / "s.pkg", "Night on 7B", "Clinic", "Ward")
    sharing.receive(mentor, package.read_bytes(), lambda _c: True)
    shared = _shared_window(qtbot, window)
    # Opening excerpts marks them read in the mentor's journal and announces nothing.
    _click_row(qtbot, shared.tree, 1)
    _click_row(qtbot, shared.tree, 0)
    qtbot.waitUntil(lambda: len(mentor.records(InboxMark)) == 2, timeout=WAIT_MS)
    assert list(tmp_path.glob("*receipt*")) == []
    current = shared.current_excerpt()
    assert current is not None and current.title == "Night on 7B"
    # The receipt names the excerpt shown and the other one opened, not the unopened one.
    assert [e.title for e in shared.receipt_excerpts()] == ["Night on 7B", "Clinic"]
    out = tmp_path / "read.pkg"
    picker.saves.append(out)
    click(qtbot, shared.editor.receipt_button)
    qtbot.waitUntil(lambda: "Saved read.pkg" in shared.editor.result.text(), timeout=WAIT_MS)
    assert "Sam Student" in picker.asked[-1][1] or "read-receipt-" in picker.asked[-1][1]
    assert "none of their text" in shared.editor.result.text()
    assert len(mentor.records(ReadReceipt)) == 2
    # Told already: the next receipt for this student names only the excerpt shown.
    assert [e.title for e in shared.receipt_excerpts()] == ["Night on 7B"]
    shared.close()
    got = sharing.receive(student, out.read_bytes(), lambda _c: True)
    assert sorted(r.entry_id for r in got.receipts) == sorted(
        e.id for e in student.entries() if e.title in ("Night on 7B", "Clinic"))


def test_the_student_sees_sent_read_answered_and_refused_receipts(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
        vaults: Callable[[str], Journal], picker: FilePicker) -> None:
    window, student, mentor = _student_window(qtbot, tmp_path, make_window, vaults)
    package = _share(student, tmp_path / "s.pkg", "Night on 7B", "Clinic")
    first, second = sharing.receive(mentor, package.read_bytes(), lambda _c: True).excerpts
    sharing.write_receipt(mentor, [first.id], tmp_path / "read.pkg")
    data = (tmp_path / "read.pkg").read_bytes()

    def statuses() -> list[str]:
        seen: list[str] = []

        def look(dialog: CardsDialog) -> None:
            page = dialog.shared_page
            top = page.list.topLevelItem(0)
            seen.append(top.text(3))
            seen.extend(top.child(i).text(0).split("  ·  ")[1] for i in range(top.childCount()))
            seen.append(page.view.toPlainText().splitlines()[0])
            click(qtbot, dialog.close_button)

        on_modal(CardsDialog, look)
        window.sharing.show_cards("shared")
        return seen

    today = date.today()
    short = f"{today.day} {today:%b %Y}"
    assert statuses() == [f"sent {short}", f"sent {short}", f"sent {short}",
                          f"Sent {short} · not read yet · not answered yet"]

    # Altered, and forged by someone the share did not go to: one sentence, nothing stored.
    altered = bytearray(data)
    altered[len(data) // 2] ^= 0x01
    (tmp_path / "altered.pkg").write_bytes(bytes(altered))
    eve = vaults("eve")
    sharing.import_card(student, sharing.my_card(eve, "Eve", "mentor").to_bytes(),
                        lambda _c: True)
    (tmp_path / "forged.pkg").write_bytes(_forged_receipt(eve, student))
    for bad, words in ((tmp_path / "altered.pkg", "altered"),
                       (tmp_path / "forged.pkg", "not shared with")):
        before = student.records(ReadReceipt)
        texts = receive(qtbot, window, picker, bad)
        warnings = [t for t in texts if t.startswith("warning: ")]
        assert len(warnings) == 1 and words in warnings[0], texts
        assert warnings[0].endswith("nothing was imported.")
        assert student.records(ReadReceipt) == before

    texts = receive(qtbot, window, picker, tmp_path / "read.pkg")
    assert texts[-1] == "Ada Mentor read 1 excerpt you shared."
    assert statuses() == [f"read {short} (1 of 2)", f"read {short}", f"sent {short}",
                          f"Sent {short} · read {short} (1 of 2) · not answered yet"]
    # Replayed: refused plainly, nothing stored twice.
    texts = receive(qtbot, window, picker, tmp_path / "read.pkg")
    assert any("already imported" in t for t in texts), texts
    assert len(student.records(ReadReceipt)) == 1

    # Feedback answers (and says read) for the other excerpt.
    sharing.write_feedback(mentor, second.id, tmp_path / "fb.pkg", comment="What helped?")
    receive(qtbot, window, picker, tmp_path / "fb.pkg")
    assert statuses() == [f"answered {short} (1 of 2)", f"read {short}",
                          f"answered {short}",
                          f"Sent {short} · read {short} · answered {short} (1 of 2)"]


def _forged_receipt(signer: Journal, student: Journal) -> bytes:
    """A well-made receipt from ``signer`` about the student's share, which did not go to
    them."""
    from datetime import UTC, datetime

    from journal_app.core.records.model import SharedLog
    from journal_app.core.sharing.cards import card_of, identity_keys
    from journal_app.core.sharing.packages import ReceiptItem, ReceiptPayload, seal_package

    (log,) = student.records(SharedLog)
    me, them = sharing.identity(signer), sharing.identity(student)
    assert me is not None and them is not None
    payload = ReceiptPayload(created=date.today().isoformat(), sender=card_of(me).to_json(),
                             items=[ReceiptItem(share_package_id=log.package_id,
                                                excerpt_id=log.excerpts[0].excerpt_id,
                                                read=datetime.now(UTC))])
    return seal_package(payload, identity_keys(me)[1], [card_of(them).encryption_key()])[1]


# ============================================================================ sign-off


def _mentor_demo_window(qtbot: QtBot, tmp_path: Path,
                        make_window: Callable[..., MainWindow]) -> MainWindow:
    make_vault(tmp_path / "mentor")
    journal = Journal.open(tmp_path / "mentor")
    journal.unlock(PASSPHRASE)
    try:
        journal.import_records(mentor_demo_records(), writing_only=False)
    finally:
        journal.close()
    window = make_window(tmp_path / "mentor")
    unlock(qtbot, window)
    return window


def test_sign_off_for_a_student_in_the_app(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
        picker: FilePicker) -> None:
    window = _mentor_demo_window(qtbot, tmp_path, make_window)
    journal = journal_of(window)
    shared = _shared_window(qtbot, window)
    # The student answered most in the demo: the last rows are the answered ones.
    answered = {f.contact_fingerprint for f in journal.records(Feedback)
                if f.direction == "written"}
    row = next(i for i in range(shared.tree.topLevelItemCount())
               if shared.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1)
               .sender_fingerprint in answered)
    _click_row(qtbot, shared.tree, row)
    excerpt = shared.current_excerpt()
    assert isinstance(excerpt, ReceivedExcerpt)
    before = len(journal.records(AttestationRecord))
    out = tmp_path / "signed.json"
    seen: list[str] = []

    def sign(dialog: SignOffDialog) -> None:
        assert dialog.windowTitle() == f"Sign off for {excerpt.sender_name}"
        start = date(2000, 1, 1)
        dialog.start.setDate(QDate(2000, 1, 1))
        count = programme.reviewed_count(journal, excerpt.sender_fingerprint, start,
                                         date.today())
        assert count > 0
        click(qtbot, dialog.facets["naming-emotions"])
        click(qtbot, dialog.facets["coping"])
        seen.append(dialog.preview.text())
        assert f"reviewed {count} reflection" in dialog.preview.text()
        assert "naming emotions, coping" in dialog.preview.text()
        assert "programme fingerprint" in dialog.preview.text()
        # The last day before the first: refused until corrected.
        keep = dialog.end.date()
        dialog.end.setDate(dialog.start.date().addDays(-1))
        assert not dialog.save_button.isEnabled() and "before the first" in dialog.error.text()
        dialog.end.setDate(keep)
        assert dialog.save_button.isEnabled()
        picker.saves.append(out)
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Saved signed.json"),
                        timeout=WAIT_MS)
        seen.append(str(count))
        click(qtbot, dialog.close_button)

    dialogs = on_modal(SignOffDialog, sign)
    click(qtbot, shared.editor.signoff_button)
    assert len(dialogs) == 1 and len(seen) == 2
    writes_done(qtbot, window.session)
    assert len(journal.records(AttestationRecord)) == before + 1
    made = programme.verify_attestation(journal, out.read_bytes())
    assert made.student_fingerprint == excerpt.sender_fingerprint
    assert made.reflections == int(seen[1])
    assert made.facets == ("naming-emotions", "coping")
    assert made.start == date(2000, 1, 1) and made.end == date.today()
    shared.close()


def test_sign_off_needs_a_programme_and_says_so(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
        vaults: Callable[[str], Journal]) -> None:
    window, mentor, (student,) = _mentor_window(qtbot, tmp_path, make_window, vaults,
                                                "Sam Student")
    sharing.receive(mentor, _share(student, tmp_path / "s.pkg", "Night").read_bytes(),
                    lambda _c: True)
    dialog = SignOffDialog(window.session, "Sam Student", sharing.my_card(student).fingerprint,
                           window)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    assert "Join your programme first" in dialog.error.text()
    dialog.reject()


# ============================================================================ the portfolio


def test_the_portfolio_export_writes_the_attestation_files_beside_the_pdf(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
        vaults: Callable[[str], Journal]) -> None:
    from journal_app.ui.interchange.exporter import ExportDialog

    from .test_export_dialog import pdf_text

    make_vault(tmp_path / "student")
    window = make_window(tmp_path / "student")
    unlock(qtbot, window)
    student = journal_of(window)
    sam = sharing.my_card(student, "Sam Student")
    lead, mentor, other = vaults("lead"), vaults("mentor"), vaults("other-mentor")
    ada = sharing.my_card(mentor, "Ada Mentor", "mentor")
    bo = sharing.my_card(other, "Bo Mentor", "mentor")
    programme.create(lead, "Palliative Care Clerkship")
    for card in (ada, bo):
        programme.roster_add(lead, card.to_bytes())
    programme.enrol(lead, [sam.to_bytes()])
    programme.publish(lead, tmp_path / "v1.json")
    for journal in (student, mentor, other):
        check = programme.check_programme(journal, (tmp_path / "v1.json").read_bytes())
        programme.take(journal, check)
    files = []
    for journal, start in ((mentor, date(2026, 1, 1)), (other, date(2026, 2, 1))):
        sharing.import_card(journal, sam.to_bytes(), lambda _c: True)
        _made, data = programme.create_attestation(journal, "Sam Student", start,
                                                   date(2026, 3, 1), ("coping",))
        programme.import_attestation(student, data)
        files.append(data)
    student.add_entry(Entry(title="Night", body="I stayed with him."))

    dialog = ExportDialog(window.session, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.format_name() == "pdf"
    click(qtbot, dialog.all_button)
    assert dialog.with_feedback.isChecked()
    out = tmp_path / "portfolio.pdf"
    dialog.destination.selectAll()
    qtbot.keyClicks(dialog.destination, str(out))
    on_modal(QMessageBox, lambda box: next(
        b for b in box.buttons() if b.text() == "Export").click())
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS):
        click(qtbot, dialog.export_button)
        if dialog.pages.currentWidget() is dialog.review_page:
            click(qtbot, dialog.export_button)
    beside = [tmp_path / f"portfolio-attestation-{n}.json" for n in (1, 2)]
    assert [p.read_bytes() for p in beside] == files  # as signed, oldest period first
    assert not (tmp_path / "portfolio-attestation-3.json").exists()
    text = pdf_text(out)
    for path in beside:
        checked = programme.verify_attestation(student, path.read_bytes())
        assert checked.mentor.fingerprint in text
        assert json.loads(path.read_text())["student"]["name"] == "Sam Student"
    dialog.reject()


# ============================================================================ several excerpts


def test_feedback_typed_on_several_excerpts_goes_in_one_package(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
        vaults: Callable[[str], Journal], picker: FilePicker) -> None:
    window, mentor, (sam, kim) = _mentor_window(qtbot, tmp_path, make_window, vaults,
                                                "Sam Student", "Kim Student")
    sharing.receive(mentor, _share(sam, tmp_path / "s.pkg", "Night", "Clinic", "Ward")
                    .read_bytes(), lambda _c: True)
    sharing.receive(mentor, _share(kim, tmp_path / "k.pkg", "Rounds").read_bytes(),
                    lambda _c: True)
    shared = _shared_window(qtbot, window)

    def row_of(title: str) -> int:
        return [shared.tree.topLevelItem(i).text(0).split("\n")[1].split(" · ")[0]
                for i in range(shared.tree.topLevelItemCount())].index(title)

    # Feedback typed on Sam's Night and Ward, and on Kim's Rounds (another student).
    for title, words in (("Night", "What stayed with you?"), ("Rounds", "Who helped?"),
                         ("Ward", "What would you keep?")):
        _click_row(qtbot, shared.tree, row_of(title))
        qtbot.keyClicks(shared.editor.comment, words)
    current = shared.current_excerpt()
    assert current is not None and current.title == "Ward"
    assert [e.title for e in shared.other_drafts(current)] == ["Night"]  # Sam's only
    asked: list[str] = []

    def yes(box: QMessageBox) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    on_modal(QMessageBox, yes)
    out = tmp_path / "fb.pkg"
    picker.saves.append(out)
    click(qtbot, shared.editor.send_button)
    qtbot.waitUntil(lambda: "Saved fb.pkg" in shared.editor.result.text(), timeout=WAIT_MS)
    assert len(asked) == 1 and "1 other excerpt of Sam Student's" in asked[0]
    assert "feedback on 2 excerpts" in shared.editor.result.text()
    written = [f for f in mentor.records(Feedback) if f.direction == "written"]
    assert len({f.package_id for f in written}) == 1
    assert sorted(f.comment for f in written) == ["What stayed with you?",
                                                  "What would you keep?"]
    got = sharing.receive(sam, out.read_bytes(), lambda _c: True).feedback
    assert {next(e.title for e in sam.entries() if e.id == f.entry_id) for f in got} == {
        "Night", "Ward"}
    # Kim's draft is still there, unsent.
    assert [e.title for e in shared.other_drafts(current)] == []
    _click_row(qtbot, shared.tree, row_of("Rounds"))
    assert shared.editor.comment.toPlainText() == "Who helped?"
    shared.close()


# ============================================================================ handouts


def test_the_student_agrees_to_a_handout_and_the_mentor_makes_it(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
        vaults: Callable[[str], Journal], picker: FilePicker) -> None:
    from journal_app.core.records.model import SharedLog
    from journal_app.ui.interchange.deid_review import DeidReviewDialog
    from journal_app.ui.sharing.share_dialog import ShareDialog

    from .sharing_steps import share_through_dialog
    from .test_handout import _pdf_text

    window, student, _mentor = _student_window(
        qtbot, tmp_path, make_window, vaults,
        [Entry(title="After the code", body="I called the family at 555-201-3344."
               " I felt helpless.")])
    # A first share without consent (the default), then one with it, through the dialog.
    _share(student, tmp_path / "plain.pkg", "Clinic")
    (entry,) = [e for e in student.entries() if e.title == "After the code"]
    window.journal_page.refresh()
    window.journal_page.select(entry.id)

    def agree(dialog: ShareDialog) -> None:
        assert not dialog.allow_handout.isChecked()  # off unless ticked
        click(qtbot, dialog.allow_handout)
        assert dialog.allow_handout.isChecked()

    out = tmp_path / "agreed.pkg"
    share_through_dialog(qtbot, window, picker, out, check=agree)
    logs = sorted(student.records(SharedLog), key=lambda log: log.created)
    assert [log.handout for log in logs] == [False, True]

    # The mentor (a window of their own): the handout is offered only where agreed.
    make_vault(tmp_path / "mentor-window")
    desk = make_window(tmp_path / "mentor-window")
    unlock(qtbot, desk)
    ada = journal_of(desk)
    sharing.import_card(student, sharing.my_card(ada, "Ada Okafor", "mentor").to_bytes(),
                        lambda _c: True)
    again = sharing.draft_share(student, [sharing.Selection(entry.id)])
    again.handout = True
    sharing.write_share(student, sharing.review_draft(again, finder=lambda *_a, **_k: [])
                        .redacted(lambda text, _d: text),
                        tmp_path / "ada.pkg", to=[sharing.find_contact(student, "Ada Okafor")])
    plain2 = _share(student, tmp_path / "plain2.pkg", "Ward", to="Ada Okafor")
    for path in (tmp_path / "ada.pkg", plain2):
        sharing.receive(ada, path.read_bytes(), lambda _c: True)
    shared = _shared_window(qtbot, desk)
    rows = {shared.tree.topLevelItem(i).text(0).split("\n")[1].split(" · ")[0]: i
            for i in range(shared.tree.topLevelItemCount())}
    _click_row(qtbot, shared.tree, rows["Ward"])
    assert not shared.editor.handout_button.isEnabled()
    assert "did not agree" in shared.editor.handout_button.toolTip()
    _click_row(qtbot, shared.tree, rows["After the code"])
    assert shared.editor.handout_button.isEnabled()

    def redact(dialog: DeidReviewDialog) -> None:
        assert dialog.hits()  # the phone number
        dialog.redact_all_button.click()
        dialog.accept()

    on_modal(DeidReviewDialog, redact)
    pdf = tmp_path / "round.pdf"
    picker.saves.append(pdf)
    click(qtbot, shared.editor.handout_button)
    qtbot.waitUntil(pdf.exists, timeout=WAIT_MS)
    printed = _pdf_text(pdf)
    assert "helpless" in printed and "555-201-3344" not in printed
    assert "Sam Student" not in printed
    assert "which they agreed to" in shared.editor.result.text()
    shared.close()
