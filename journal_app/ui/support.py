"""A calm, dismissible panel of support resources, shown when check-ins show severe distress.

Offline: the resources ship with the app (``resources/support.toml``) with the date each was
last checked; nothing is ever sent or dialled. It never blocks anything.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..core.model import SupportContact
from ..core.support import support_list
from .widgets import muted


def default_country() -> str:
    code = QLocale.territoryToCode(QLocale.system().territory())
    return code.upper() if code else "US"


class SupportPanel(QFrame):
    """Signals:
    dismissed(): the user closed the panel.
    country_changed(str): a country was chosen (the window remembers it).
    """

    dismissed = Signal()
    country_changed = Signal(str)
    add_requested = Signal()

    def __init__(self, country: str | None = None) -> None:
        super().__init__()
        self.own: list[SupportContact] = []
        self.setProperty("card", True)
        self.setAccessibleName("Support resources")
        support = support_list()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        top = QHBoxLayout()
        title = QLabel("Your recent check-ins show a hard stretch")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        top.addWidget(title, 1)
        self.country = QComboBox()
        self.country.setAccessibleName("Country for support resources")
        for code in support.countries():
            self.country.addItem(code, code)
        self.country.addItem("Elsewhere", "INTL")
        chosen = (country or default_country()).upper()
        index = self.country.findData(chosen)
        self.country.setCurrentIndex(index if index >= 0 else self.country.count() - 1)
        self.dismiss_button = QPushButton("Dismiss")
        self.add_button = QPushButton("Add your own…")
        self.add_button.setAccessibleName("Add a support contact of your own")
        top.addWidget(self.add_button)
        top.addWidget(self.country)
        top.addWidget(self.dismiss_button)
        layout.addLayout(top)
        layout.addWidget(muted(
            "You do not have to carry it alone. Talking to someone helps, and these people are "
            "there for it. " + support.disclaimer
        ))
        self.resources = QLabel()
        self.resources.setWordWrap(True)
        self.resources.setAccessibleName("Support contacts")
        layout.addWidget(self.resources)
        self.dismiss_button.clicked.connect(self._dismiss)
        self.add_button.clicked.connect(self.add_requested.emit)
        self.country.currentIndexChanged.connect(self._country_changed)
        self._fill()

    def _fill(self) -> None:
        code = str(self.country.currentData())
        items = support_list().for_country(code)
        lines = [
            f"<b>{escape(c.name)}</b>: {escape(c.contact)}. {escape(c.note)} "
            "<span style='color:gray'>(added by you)</span>"
            for c in self.own
        ] + [
            f"<b>{escape(r.name)}</b>: {escape(r.contact)}. {escape(r.description)} "
            f"<span style='color:gray'>(checked {r.last_verified:%d %b %Y})</span>"
            for r in items
        ]
        self.resources.setText("<br>".join(lines))

    def set_own(self, contacts: list[SupportContact]) -> None:
        """The user's own contacts, listed first (cleared on lock)."""
        self.own = list(contacts)
        self._fill()

    def _country_changed(self) -> None:
        self._fill()
        self.country_changed.emit(str(self.country.currentData()))

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
