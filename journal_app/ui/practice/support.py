"""Support and crisis lines: a calm panel, offered (dismissible) after a severe signal, and the
same panel on demand in a dialog (Help ▸ Support and crisis lines, the lock screen, the tray, the
home panel, the last page of every reflection).

Offline: the lines ship with the app (``resources/support.toml``) with the date each was last
checked; nothing is ever sent or dialled, and links are shown as text to copy, not opened. The
panel never blocks anything and never says why it was offered: it names no cause and diagnoses
nothing. The shipped lines hold nothing private, so the dialog opens on the lock screen too; the
user's own contacts (encrypted in the journal) are shown only while it is unlocked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.practice import (
    INTL,
    SupportResource,
    checked_text,
    crisis_sentence,
    support_list,
)
from journal_app.core.records import SupportContact
from journal_app.ui.widgets import muted

TITLE = "Support and crisis lines"
OFFER_TITLE = "You do not have to carry this alone"


def default_country() -> str:
    """The system locale's country when lines are shipped for it, else the international entry."""
    code = QLocale.territoryToCode(QLocale.system().territory()).upper()
    return support_list().resolve(code) if code else INTL


def support_html(country: str, own: list[SupportContact], today: date,
                 programme: tuple[str, Sequence[SupportResource]] = ("", ())) -> str:
    """The lines for ``country`` (the user's own contacts first, then the lines of the
    programme joined, marked with its name), as rich text."""
    lines = [
        f"<p><b>{escape(c.name)}</b>: {escape(c.contact)}. {escape(c.note)} "
        "<span style='color:gray'>(added by you)</span></p>"
        for c in own
    ]
    name, theirs = programme
    for r in theirs:
        details = " · ".join(escape(x) for x in (r.contact, r.hours or "") if x)
        small = " · ".join(escape(x) for x in (r.url or "", checked_text(r, today)) if x)
        lines.append(f"<p><b>{escape(r.name)}</b>: {details}<br>{escape(r.description)}<br>"
                     f"<span style='color:gray'>{small + ' · ' if small else ''}"
                     f"from {escape(name)}</span></p>")
    for r in support_list().for_country(country):
        details = " · ".join(escape(x) for x in (r.contact, r.hours or "") if x)
        checked = checked_text(r, today)
        small = " · ".join(escape(x) for x in (r.url or "", checked) if x)
        note = f"<br><span style='color:gray'>{small}</span>" if small else ""
        lines.append(f"<p><b>{escape(r.name)}</b>: {details}<br>{escape(r.description)}{note}</p>")
    return "".join(lines)


def support_markdown(country: str, today: date) -> str:
    """The Help window's section: the calm sentence and the shipped lines for ``country``."""
    support = support_list()
    code = support.resolve(country)
    out = [f"## {TITLE}", "",
           f"Open them any time from **Help ▸ {TITLE}**, from the lock screen without "
           "unlocking, from the tray menu, or from the link on the home panel and at the end "
           "of every reflection.", "", crisis_sentence(code), ""]
    for r in support.for_country(code):
        details = " · ".join(x for x in (r.contact, r.hours or "", r.url or "") if x)
        checked = checked_text(r, today)
        out.append(f"- **{r.name}**: {details}. {r.description}"
                   + (f" ({checked})" if checked else ""))
    out += ["", support.disclaimer]
    return "\n".join(out)


class SupportPanel(QFrame):
    """Signals:
    dismissed(): the user closed the panel (the offer; not in the dialog).
    country_changed(str): a country was chosen (the window remembers it).
    add_requested(): the user wants to add a contact of their own.
    """

    dismissed = Signal()
    country_changed = Signal(str)
    add_requested = Signal()

    def __init__(self, country: str | None = None, *, on_demand: bool = False,
                 today: date | None = None) -> None:
        super().__init__()
        self.own: list[SupportContact] = []
        self.programme: tuple[str, Sequence[SupportResource]] = ("", ())
        self.today = today
        self.setProperty("card", True)
        self.setAccessibleName("Support resources")
        support = support_list()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        top = QHBoxLayout()
        self.title = QLabel(TITLE if on_demand else OFFER_TITLE)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        self.country = QComboBox()
        self.country.setAccessibleName("Country for support resources")
        for code in support.countries():
            self.country.addItem(support.names.get(code, code), code)
        self.country.addItem("Elsewhere", INTL)
        chosen = support.resolve(country or default_country())
        self.country.setCurrentIndex(self.country.findData(chosen))
        self.dismiss_button = QPushButton("Dismiss")
        self.add_button = QPushButton("Add your own…")
        self.add_button.setAccessibleName("Add a support contact of your own")
        top.addWidget(self.add_button)
        top.addWidget(self.country)
        top.addWidget(self.dismiss_button)
        layout.addLayout(top)
        # Hidden only once it has a parent: a parentless widget made visible is a window of its
        # own, shown for a moment, and it took the activation (and the focus of the lock
        # screen's field) from the main window while it was completed behind the lock screen.
        self.dismiss_button.setVisible(not on_demand)
        self.crisis = QLabel()
        self.crisis.setWordWrap(True)
        self.crisis.setAccessibleName("If you are thinking of not wanting to be alive")
        layout.addWidget(self.crisis)
        layout.addWidget(muted(
            "Talking to someone helps, and these people are there for it. " + support.disclaimer
        ))
        self.resources = QLabel()
        self.resources.setWordWrap(True)
        self.resources.setTextFormat(Qt.TextFormat.RichText)
        self.resources.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.resources.setOpenExternalLinks(False)
        self.resources.setAccessibleName("Support contacts")
        if on_demand:  # the dialog scrolls as a whole
            layout.addWidget(self.resources)
        else:  # the offer stays a calm strip above the journal, its list scrolls
            self.resources.setContentsMargins(0, 0, 8, 0)
            scroll = QScrollArea()
            scroll.setAccessibleName("Support and crisis lines")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setWidget(self.resources)
            scroll.viewport().setAutoFillBackground(False)  # the card's colour shows through
            self.resources.setAutoFillBackground(False)
            scroll.setMinimumHeight(120)
            scroll.setMaximumHeight(220)
            layout.addWidget(scroll)
        self.dismiss_button.clicked.connect(self._dismiss)
        self.add_button.clicked.connect(self.add_requested.emit)
        self.country.currentIndexChanged.connect(self._country_changed)
        self._fill()

    def code(self) -> str:
        return str(self.country.currentData())

    def _fill(self) -> None:
        code = self.code()
        self.crisis.setText(crisis_sentence(code))
        self.resources.setText(support_html(code, self.own, self.today or date.today(),
                                            self.programme))

    def set_own(self, contacts: list[SupportContact]) -> None:
        """The user's own contacts, listed first (cleared on lock)."""
        self.own = list(contacts)
        self._fill()

    def set_programme(self, programme: tuple[str, Sequence[SupportResource]]) -> None:
        """The name and support lines of the programme joined (cleared on lock)."""
        self.programme = programme
        self._fill()

    def _country_changed(self) -> None:
        self._fill()
        self.country_changed.emit(self.code())

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()


class SupportDialog(QDialog):
    """The lines on demand. ``own`` contacts only when the journal is unlocked; without them
    (locked) the Add button is hidden."""

    def __init__(self, country: str | None, own: list[SupportContact] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(640, 600)
        self.panel = SupportPanel(country, on_demand=True)
        self.panel.add_button.setVisible(own is not None)
        if own:
            self.panel.set_own(own)
        scroll = QScrollArea()
        scroll.setAccessibleName("Support and crisis lines")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def quiet_link(text: str = TITLE) -> QPushButton:
    """A flat, muted button that reads like a link (the home panel, the end of a reflection)."""
    button = QPushButton(text)
    button.setFlat(True)
    button.setProperty("muted", True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setAccessibleName(TITLE)
    button.setToolTip("People you can talk to, any time. Nothing is sent anywhere.")
    return button
