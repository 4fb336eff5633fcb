"""Reflect… : choosing a guided reflection, or continuing an unfinished one.

Each template is listed with its title and one sentence on when it helps (``when`` in its file;
a template of the user's own shows its summary); the one the programme joined asks for during its
current rotation comes first, marked with the programme's name; then the one that fits today's
check-in, marked so; and unfinished reflections come before everything as "Continue …". The order
is the core's (:mod:`journal_app.core.practice.picker`); this dialog only shows it.

Keyboard: the focus stays in the find field; typing narrows the list (title, sentence and
summary, every word), Up/Down/Page Up/Page Down/Home/End move in the list, Enter starts the one
selected, Escape closes. Below the list, the selected template's summary and number of steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.practice import (
    UNFINISHED_SUFFIX,
    Library,
    Template,
    TodaysFit,
    Unfinished,
    fits_today,
    is_asked,
    is_custom,
    templates_in_order,
)
from journal_app.core.vocabulary import ENCOUNTER_LABELS, THEME_LABELS
from journal_app.ui.widgets import heading, muted

#: Item data: the second line (when it helps), and what the item starts.
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 2


def picker_label(template: Template) -> str:
    """A template as the picker names it: its title, and its themes if it has any."""
    if is_custom(template.id):
        return f"{template.title} (yours)"
    themes = "; ".join(THEME_LABELS[t].lower() for t in template.themes)
    return f"{template.title} ({themes})" if themes else template.title


def steps_words(count: int) -> str:
    return f"{count} step{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Choice:
    """What the picker chose: a template to start, or an unfinished reflection to continue."""

    template_id: str
    resume: Unfinished | None = None


class TwoLineDelegate(QStyledItemDelegate):
    """Paints an item as its title (bold) over its sentence (muted, wrapped)."""

    PAD = 8

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        return bold, QFont(option.font)

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListWidget) else 400
        return max(120, width - 2 * self.PAD)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        bold, plain = self._fonts(option)
        width = self._width(option)
        flags = int(Qt.TextFlag.TextWordWrap)
        title = QFontMetrics(bold).boundingRect(QRect(0, 0, width, 10_000), flags,
                                                str(index.data(Qt.ItemDataRole.DisplayRole)))
        detail = str(index.data(DETAIL_ROLE) or "")
        lines = QFontMetrics(plain).boundingRect(QRect(0, 0, width, 10_000), flags, detail)
        height = title.height() + (lines.height() + 2 if detail else 0)
        return QSize(width, height + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_role = (QPalette.ColorRole.HighlightedText if selected
                     else QPalette.ColorRole.Text)
        bold, plain = self._fonts(option)
        rect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        flags = int(Qt.TextFlag.TextWordWrap)
        painter.save()
        painter.setPen(palette.color(text_role))
        painter.setFont(bold)
        title = str(index.data(Qt.ItemDataRole.DisplayRole))
        used = painter.boundingRect(rect, flags, title)
        painter.drawText(rect, flags, title)
        detail = str(index.data(DETAIL_ROLE) or "")
        if detail:
            painter.setFont(plain)
            if not selected:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(rect.adjusted(0, used.height() + 2, 0, 0), flags, detail)
        painter.restore()


class ReflectionPicker(QDialog):
    """Choose a guided reflection. After ``exec()``, :attr:`choice` holds what was chosen
    (``None`` when cancelled)."""

    def __init__(self, library: Library, unfinished: list[Unfinished], fit: TodaysFit,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reflect")
        self.setObjectName("reflectionPicker")
        self.resize(620, 640)
        self.library = library
        self.choice: Choice | None = None
        self.query = QLineEdit()
        self.query.setPlaceholderText("Type to find a reflection")
        self.query.setAccessibleName("Find a reflection")
        self.query.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Guided reflections")
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        # Heights follow the width: the sentences wrap again when the dialog is resized.
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.about = muted("")
        self.about.setAccessibleName("About the selected reflection")
        self.empty = muted("No reflection matches. Clear the field to see them all.")
        self.empty.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("Start")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(heading("Choose a guided reflection"))
        layout.addWidget(self.query)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.about)
        layout.addWidget(self.buttons)

        for kept in unfinished:
            self._add_unfinished(kept)
        for template in templates_in_order(library, fit):
            self._add_template(template, fit)
        self.list.setCurrentRow(0)
        self._show_about()
        self.query.setFocus()
        self.query.installEventFilter(self)
        self.query.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(lambda *_: self._show_about())
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------ items

    def _add_unfinished(self, kept: Unfinished) -> None:
        reflection = kept.reflection
        template = self.library.templates[reflection.template_id]
        title = reflection.title.removesuffix(UNFINISHED_SUFFIX)
        where = ("at the end" if kept.step >= len(template.steps)
                 else f"at step {kept.step + 1}: {template.steps[kept.step].title}")
        item = QListWidgetItem(f"Continue “{title}”")
        item.setData(DETAIL_ROLE, f"Unfinished, from {reflection.created.astimezone():%d %B}. "
                                  f"Opens {where}.")
        item.setData(CHOICE_ROLE, Choice(template.id, kept))
        self._name(item)
        self.list.addItem(item)

    def _add_template(self, template: Template, fit: TodaysFit) -> None:
        item = QListWidgetItem(picker_label(template))
        sentence = template.when or template.summary
        if is_asked(template, fit):
            sentence = f"Asked for this rotation by {fit.asked_by}. {sentence}"
        elif fits_today(template, fit, self.library):
            why = (ENCOUNTER_LABELS.get(fit.encounter, "").lower() if fit.encounter
                   else "something good happened")
            sentence = f"Fits today's check-in ({why}). {sentence}"
        item.setData(DETAIL_ROLE, sentence)
        item.setData(CHOICE_ROLE, Choice(template.id))
        self._name(item)
        self.list.addItem(item)

    @staticmethod
    def _name(item: QListWidgetItem) -> None:
        item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text())
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, item.data(DETAIL_ROLE))
        item.setToolTip(str(item.data(DETAIL_ROLE)))

    def items(self) -> list[QListWidgetItem]:
        """Every item, hidden or not, in order."""
        return [self.list.item(i) for i in range(self.list.count())]

    def shown(self) -> list[str]:
        """The titles of the items the find field leaves, in order."""
        return [item.text() for item in self.items() if not item.isHidden()]

    # ------------------------------------------------------------ finding and moving

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        first: QListWidgetItem | None = None
        for item in self.items():
            choice: Choice = item.data(CHOICE_ROLE)
            template = self.library.templates[choice.template_id]
            haystack = " ".join((item.text(), str(item.data(DETAIL_ROLE)),
                                 template.summary)).lower()
            hidden = not all(word in haystack for word in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        current = self.list.currentItem()
        if first is None:
            self.list.setCurrentRow(-1)
        elif current is None or current.isHidden():
            self.list.setCurrentItem(first)
        self.empty.setVisible(first is None)
        self.start_button.setEnabled(first is not None)
        self._show_about()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up, Down, Page Up and Page Down in the find field move in the list."""
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp,
                               Qt.Key.Key_PageDown):
                QApplication.sendEvent(self.list, QKeyEvent(event.type(), event.key(),
                                                            event.modifiers(), event.text()))
                return True
        return super().eventFilter(watched, event)

    def _show_about(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            self.about.setText("")
            return
        choice: Choice = item.data(CHOICE_ROLE)
        template = self.library.templates[choice.template_id]
        # Counted as the wizard counts them: the steps, then the page that finishes.
        self.about.setText(f"{template.summary} {steps_words(len(template.steps) + 1)}, the "
                           "last to give it a title.")

    # ------------------------------------------------------------ the result

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return
        self.choice = item.data(CHOICE_ROLE)
        super().accept()
