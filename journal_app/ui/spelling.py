"""Spell checking in the text boxes where entries and reflections are written.

:class:`SpellingService` (one per session, :func:`spelling_for`) holds the chosen language's
:class:`~journal_app.core.spelling.Speller`: the word list is loaded in a thread of its own (a
second or so, once per language), and the user's own words and the de-identification names are
read from the journal when it unlocks and dropped when it locks. "Add to my words" writes the
word to the journal's app state (encrypted); nothing is written anywhere else, and nothing leaves
the computer.

:func:`check_spelling` puts a :class:`SpellHighlighter` on a text box (a red wavy underline under
each flagged word; only the paragraphs that change are checked again, each distinct word looked
up once) and a context menu with suggestions, "Add to my words" and "Ignore in this entry".

Signals of the service:
    changed(): the flagged words may differ (loaded, language, own words): highlighters redo.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QLocale, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from journal_app.core.spelling import (
    Dictionary,
    Speller,
    dictionary,
    language_for_locale,
)
from journal_app.core.vault import Journal
from journal_app.ui import theme
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.worker import Worker

log = logging.getLogger(__name__)

#: The word list is loaded this long after the journal first unlocks (the window is usable
#: first; the underlines follow about a second later).
LOAD_AFTER_UNLOCK_MS = 300
#: A paragraph this long (characters) is checked again only where it changed.
LONG_PARAGRAPH = 4_000


class SpellingService(QObject):
    changed = Signal()

    def __init__(self, session: JournalSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.enabled = True
        self.language = system_language()
        self.speller: Speller | None = None
        self._own: list[str] = []
        self._names: list[str] = []
        # Word lists load in a thread of their own, never queued behind (or ahead of) a save.
        self._loader = Worker(self)
        session.unlocked.connect(self.reload_words)
        session.appStateChanged.connect(self.reload_words)
        session.locked.connect(self._forget_words)
        self.reload_words()
        #: Whether the word list is wanted yet: not before the journal first unlocks (no text
        #: box is shown before), and then a moment later, so that unlocking stays quick.
        self._wanted = False
        session.unlocked.connect(self._load_soon)
        if session.is_unlocked:
            self._load_soon()

    # ------------------------------------------------------------ settings

    def configure(self, enabled: bool, language: str | None) -> None:
        """Turn checking on or off and choose the language (None or "": the system's)."""
        language = language_for_locale(language) if language else system_language()
        if enabled == self.enabled and language == self.language:
            return
        self.enabled, self.language = enabled, language
        if self._wanted:
            self._load()

    @property
    def ready(self) -> bool:
        """Checking is on and the language's words are loaded."""
        return self.enabled and self.speller is not None

    def _load_soon(self) -> None:
        if not self._wanted:
            self._wanted = True
            QTimer.singleShot(LOAD_AFTER_UNLOCK_MS, self._load)

    def _load(self) -> None:
        if not self.enabled:
            self.speller = None
            self.changed.emit()
            return
        if self.speller is not None and self.speller.language == self.language:
            return
        self.speller = None
        self.changed.emit()
        language = self.language
        self._loader.submit(lambda: dictionary(language), self._loaded, self._load_failed)

    def _loaded(self, loaded: Dictionary) -> None:
        if not self.enabled or loaded.language != self.language:
            return  # chosen otherwise since
        self.speller = Speller(loaded, self._own, self._names)
        self.changed.emit()

    def _load_failed(self, exc: BaseException) -> None:
        # A damaged installation: the text boxes work as before, without underlines. Logged
        # by type only (no word of any list).
        log.warning("spell checking unavailable: %s", type(exc).__name__)
        self.speller = None

    def wait(self) -> None:
        """Load the word list now if it was not asked for yet, and wait for it (benchmarks,
        screenshots)."""
        self._wanted = True
        if self.enabled and self.speller is None:
            self._load()
        self._loader.wait()

    # ------------------------------------------------------------ the user's words

    def own_words(self) -> list[str]:
        """The user's own spelling words (empty while the journal is locked)."""
        return list(self._own)

    def reload_words(self) -> None:
        state = self.session.read_or(lambda journal: journal.app_state(), None)
        own = list(state.spelling_words) if state is not None else []
        names = list(state.deid_names) if state is not None else []
        if (own, names) != (self._own, self._names):
            self._set_words(own, names)

    def _forget_words(self) -> None:
        self._set_words([], [])

    def _set_words(self, own: list[str], names: list[str]) -> None:
        self._own, self._names = own, names
        if self.speller is not None:
            self.speller.set_own_words(own, names)
            self.changed.emit()

    def add_word(self, word: str, on_error: Callable[[str], object] | None = None) -> None:
        """Take ``word`` as spelt right from now on, here and in every text box, and keep it
        in the journal (encrypted). The underline goes at once; the write follows."""
        if not self.session.is_unlocked:
            return
        self._set_words([*self._own, word], self._names)
        self.session.write(lambda journal: journal.add_spelling_words([word]),
                           lambda _words: self.reload_words(), on_error,
                           changes=Change.APP_STATE)

    def remove_words(self, words: list[str],
                     on_done: Callable[[list[str]], object] | None = None,
                     on_error: Callable[[str], object] | None = None) -> None:
        """Forget the user's ``words`` (Settings, "Remove")."""

        def remove(journal: Journal) -> list[str]:
            return journal.remove_spelling_words(words)

        def done(left: list[str]) -> None:
            self.reload_words()
            if on_done is not None:
                on_done(left)

        self.session.write(remove, done, on_error, changes=Change.APP_STATE)


def system_language() -> str:
    """The language of the system's locale as the desktop sets it (Qt reads the platform's
    own setting: Windows and macOS give Python's locale module no usable name), else English."""
    return language_for_locale(QLocale.system().name())


def spelling_for(session: JournalSession) -> SpellingService:
    """The session's spelling service (made the first time it is asked for)."""
    found = session.findChild(SpellingService)
    if isinstance(found, SpellingService):
        return found
    return SpellingService(session, session)


class SpellHighlighter(QSyntaxHighlighter):
    """The red wavy underline under each flagged word of a text box. Qt calls
    :meth:`highlightBlock` only for the paragraphs that changed; the speller answers each word
    from its cache."""

    def __init__(self, edit: QPlainTextEdit, service: SpellingService) -> None:
        super().__init__(edit.document())
        self.edit = edit
        self.service = service
        #: Words ignored in this entry ("Ignore in this entry"), folded; forgotten with it.
        self.ignored: set[str] = set()
        #: Long paragraphs as last checked, by number: their text and flagged words.
        self._long: dict[int, tuple[str, list[tuple[int, int, str]]]] = {}
        self.underline = QTextCharFormat()
        self.underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._colour = ""
        #: Checking everything again (nothing is left unmarked for being typed).
        self._whole = False
        #: The flagged word being typed, left unmarked until the cursor leaves it (an underline
        #: flickering under each unfinished word helps nobody): block number, start, end.
        self._typing: tuple[int, int, int] | None = None
        edit.cursorPositionChanged.connect(self._cursor_moved)
        service.changed.connect(self._redo)
        # What it keeps of the text (long paragraphs, ignored words) goes with the journal.
        service.session.locked.connect(self._forget)

    def _redo(self) -> None:
        """Check the whole text again (the words or the language changed). Qt announces new
        formats as a change of the document's contents: its signals are held meanwhile, so
        the editor does not take an underline for an edit (and save, and keep a revision)."""
        self._long.clear()  # the words or the language changed: every word again
        self._whole = True
        try:
            self._quietly(self.rehighlight)
        finally:
            self._whole = False

    def _quietly(self, redraw: Callable[[], None]) -> None:
        document = self.document()
        held = document.blockSignals(True)
        try:
            redraw()
        finally:
            document.blockSignals(held)
        self.edit.viewport().update()

    def _cursor_moved(self) -> None:
        if self._typing is None:
            return
        number, start, end = self._typing
        cursor = self.edit.textCursor()
        if cursor.blockNumber() == number and start < cursor.positionInBlock() <= end:
            return  # still in the word
        self._typing = None
        block = self.document().findBlockByNumber(number)
        if block.isValid():
            self._quietly(lambda: self.rehighlightBlock(block))

    def highlightBlock(self, text: str) -> None:
        speller = self.service.speller if self.service.enabled else None
        if speller is None or not text:
            return
        colour = theme.colors().danger  # the theme's red for errors, light or dark
        if colour != self._colour:
            self._colour = colour
            self.underline.setUnderlineColor(QColor(colour))
        if len(text) < LONG_PARAGRAPH:
            spans = speller.flagged(text)
        else:
            spans = self._long_paragraph(speller, self.currentBlock().blockNumber(), text)
        number = self.currentBlock().blockNumber()
        if self._typing is not None and self._typing[0] == number:
            self._typing = None
        at = -1
        if not self._whole and self.edit.hasFocus():
            cursor = self.edit.textCursor()
            if cursor.blockNumber() == number:
                at = cursor.positionInBlock()
        ignored = self.ignored
        for start, end, word in spans:
            if start < at <= end:
                self._typing = (number, start, end)  # marked once the cursor leaves it
            elif not ignored or word.casefold() not in ignored:
                self.setFormat(start, end - start, self.underline)

    def _long_paragraph(self, speller: Speller, number: int,
                        text: str) -> list[tuple[int, int, str]]:
        """The flagged words of a long paragraph, checking again only the stretch that
        differs from what this paragraph held last time (a key typed in a 10,000-word
        paragraph checks a few words, not all of them). The stretch runs from white space to
        white space, so links and addresses (which contain none) are checked whole; a
        paragraph with inline code or a link target is checked whole (a backquote pairs
        with another anywhere in it)."""
        before = self._long.get(number)
        self._long[number] = (text, [])
        if before is None or "`" in text or "](" in text:
            spans = speller.flagged(text)
        else:
            old, old_spans = before
            head = _common_head(old, text)
            tail = _common_tail(old, text, head)
            start = max(text.rfind(" ", 0, head), text.rfind("\n", 0, head), 0)
            end = len(text) - tail
            ends = [i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0]
            end = min(ends) if ends else len(text)
            shift = len(text) - len(old)
            spans = [s for s in old_spans if s[1] <= start]
            spans += [(a + start, b + start, w) for a, b, w in speller.flagged(text[start:end])]
            spans += [(a + shift, b + shift, w) for a, b, w in old_spans if a + shift >= end]
        self._long[number] = (text, spans)
        return spans

    def ignore(self, word: str) -> None:
        self.ignored.add(word.casefold())
        self._redo()

    def new_text(self) -> None:
        """Another entry is shown: words ignored in the last one are flagged again."""
        self._long.clear()
        if self.ignored:
            self.ignored.clear()
            self._redo()

    def _forget(self) -> None:
        self._long.clear()
        self.ignored.clear()

    def flagged_at(self, cursor: QTextCursor) -> tuple[int, int, str] | None:
        """The flagged word under ``cursor`` as (start, end, word), positions in the document."""
        speller = self.service.speller if self.service.enabled else None
        if speller is None:
            return None
        block = cursor.block()
        at = cursor.positionInBlock()
        for start, end, word in speller.flagged(block.text()):
            if start <= at <= end and word.casefold() not in self.ignored:
                return block.position() + start, block.position() + end, word
        return None


def _common_head(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start (slices compared in halves:
    a few comparisons of the whole text at C speed, not a loop over its characters)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_tail(a: str, b: str, head: int) -> int:
    """How many characters ``a`` and ``b`` share at their end, not counting into ``head``."""
    lo, hi = 0, min(len(a), len(b)) - head
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:len(a) - lo] == b[len(b) - mid:len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def check_spelling(edit: QPlainTextEdit, session: JournalSession,
                   menu: bool = True) -> SpellHighlighter:
    """Underline misspelt words in ``edit`` and, with ``menu``, offer corrections on its
    context menu (without: the caller builds the menu with :func:`spelling_menu`)."""
    highlighter = SpellHighlighter(edit, spelling_for(session))
    if not menu:
        return highlighter
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        menu = spelling_menu(edit, highlighter, pos)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(edit.viewport().mapToGlobal(pos))

    edit.customContextMenuRequested.connect(show)
    return highlighter


def spelling_menu(edit: QPlainTextEdit, highlighter: SpellHighlighter, pos: QPoint) -> QMenu:
    """The text box's usual context menu, with the spelling of the word at ``pos`` (viewport
    coordinates) first when it is flagged: suggestions, "Add to my words", "Ignore in this
    entry"."""
    menu = edit.createStandardContextMenu(pos)
    menu.setObjectName("spellingMenu")
    found = highlighter.flagged_at(edit.cursorForPosition(pos))
    service = highlighter.service
    if found is None or service.speller is None:
        return menu
    start, end, word = found
    first = menu.actions()[0] if menu.actions() else None
    suggestions = service.speller.suggestions(word)

    def replace_with(text: str) -> None:
        cursor = edit.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)  # one step of Undo
        edit.setTextCursor(cursor)

    added = []
    for suggestion in suggestions:
        action = menu.addAction(suggestion)
        font = action.font()
        font.setBold(True)
        action.setFont(font)
        action.triggered.connect(lambda _=False, s=suggestion: replace_with(s))
        added.append(action)
    if not suggestions:
        none = menu.addAction("No suggestions")
        none.setEnabled(False)
        added.append(none)
    add = menu.addAction(f"Add “{word}” to my words")
    add.setObjectName("addToMyWords")
    add.setToolTip("Kept encrypted in your journal; never checked against anything online")
    add.setEnabled(service.session.is_unlocked and not edit.isReadOnly())
    add.triggered.connect(lambda: service.add_word(word))
    ignore = menu.addAction("Ignore in this entry")
    ignore.setObjectName("ignoreWord")
    ignore.triggered.connect(lambda: highlighter.ignore(word))
    added += [add, ignore, menu.addSeparator()]
    if first is not None:
        for action in added:
            menu.removeAction(action)
        menu.insertActions(first, added)
    for action in added[: len(suggestions)]:
        action.setEnabled(not edit.isReadOnly())
    return menu
