"""About (version and the licences of what is shipped) and Help."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from journal_app import __version__
from journal_app.core.content import content_dir
from journal_app.core.vocabulary import CARE7_CREDIT, COMPETENCY_CREDIT
from journal_app.ui.markdown_view import SafeTextBrowser
from journal_app.ui.practice.support import support_markdown

HELP = """
# Using journal-app

**Everything stays on this computer, encrypted.** Nothing is sent anywhere, ever.

## Writing
- **Ctrl+N** starts a new entry. It is saved as you type (encrypted), so you can close the window
  at any moment without losing text. **Ctrl+S** saves at once.
- The date and time can be set in the past: write about last night's shift this morning.
- Add tags, emotions with how strong they were (1 to 5), and rate mood and energy (-5 to +5) and
  stress (0 to 10) if you like. None of it is required.
- Text is Markdown: `*italic*`, `**bold**`, `# heading`, `- list`. **Ctrl+P** switches between
  writing, side by side, and preview.

## Finding
- **Ctrl+F** goes to the search box. Words are all required; `"double quotes"` find a phrase;
  `word*` finds words that start with it. Capitals and accents do not matter.
- **Filters** narrow by tag, emotion, kind of encounter, starred, or dates.

## Safety
- **Ctrl+L** locks the journal at once. It also locks itself after the idle time chosen in
  Settings (5 minutes unless you change it) and when the computer goes to sleep.
- Deleting moves an entry to the **trash**, where it can be restored until you empty it.
- Each editing session keeps the version before it: **Earlier versions** restores one.
- Your **recovery key** opens the journal if you forget the passphrase. A new one can be made in
  Settings; the old one then stops working.

## Check-ins and reflections
- **Ctrl+K** opens a 30-second check-in. If something difficult happened, a guided reflection
  is offered for it: now, later today, or not at all.
- If something good happened, tick that too: Three Good Things is offered the same way.
- **Ctrl+R** starts any guided reflection. A finished one is saved as an entry.
- The home panel shows today's prompt and, a few days after a hard encounter, asks how it sits.

## Keyboard
Ctrl+N new entry · Ctrl+K check in · Ctrl+R reflect · Ctrl+S save · Ctrl+F search ·
Ctrl+L lock · Ctrl+, settings · Ctrl+P preview · Ctrl+= / Ctrl+- text size ·
Delete move to trash · F1 this help
"""

#: Credit for the frameworks the app uses, at the end of Help.
CREDITS = f"""
## Credits
{COMPETENCY_CREDIT} {CARE7_CREDIT}
"""


class TextDialog(QDialog):
    def __init__(self, title: str, markdown_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(620, 560)
        layout = QVBoxLayout(self)
        self.view = SafeTextBrowser()
        self.view.setAccessibleName(title)
        self.view.set_markdown(markdown_text)
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def about_text() -> str:
    licences = (content_dir("resources") / "licenses" / "THIRD-PARTY.md").read_text(
        encoding="utf-8"
    )
    return (
        f"# journal-app {__version__}\n\n"
        "A private, encrypted, local-only journal for reflective practice in medicine.\n\n"
        "Free software under the GNU GPL, version 3 or later. It makes no network "
        "connections and collects nothing.\n\n"
        + licences.replace("# Software shipped with journal-app", "## Software shipped with it")
    )


def about_dialog(parent: QWidget | None = None) -> TextDialog:
    return TextDialog("About journal-app", about_text(), parent)


def help_dialog(parent: QWidget | None = None, country: str | None = None,
                today: date | None = None) -> TextDialog:
    """The help, with its section on support and crisis lines for ``country``."""
    support = support_markdown(country or "INTL", today or date.today())
    text = HELP.replace("## Writing", support + "\n\n## Writing", 1) + CREDITS
    return TextDialog("journal-app help", text, parent)
