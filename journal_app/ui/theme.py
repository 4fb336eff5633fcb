"""Light and dark palettes, following the system unless the user chose one, and text size.

Calm colours with enough contrast for tired eyes; accents from a colour-blind-safe set
(Okabe-Ito blue, orange and bluish green), never colour alone to carry meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from journal_app.core.content import content_dir


@dataclass(frozen=True)
class Colors:
    window: str
    base: str
    alt: str
    text: str
    muted: str
    accent: str
    accent_text: str
    chip: str
    chip_text: str
    border: str
    danger: str
    star: str
    highlight_bg: str
    edge: str
    """The border of a control one must see to use it (an input, a button, a check box): at
    least 3:1 against the window, the base and the alternate base (``border`` is the quieter
    line of cards and separators, which carry no meaning)."""
    focus: str
    """The focus ring: at least 3:1 against the window, the base and the alternate base."""
    check: str
    """The mark in a ticked check box and the dot of a chosen radio button (on ``accent``)."""


LIGHT = Colors(
    window="#f4f1ec", base="#fffdf9", alt="#f8f5f0", text="#22262b", muted="#646b73",
    accent="#0b6fa4", accent_text="#ffffff", chip="#e6eef3", chip_text="#1d3b4f",
    border="#d9d3ca", danger="#b3261e", star="#c46a00", highlight_bg="#fff1b8",
    edge="#857f77", focus="#0b6fa4", check="#ffffff",
)
DARK = Colors(
    window="#1d2125", base="#24292e", alt="#2a3036", text="#e6e8ea", muted="#a3abb3",
    accent="#56b4e9", accent_text="#0d1b24", chip="#2f3d48", chip_text="#d3e6f2",
    border="#3a424a", danger="#ff8a80", star="#e69f00", highlight_bg="#5c4a12",
    edge="#808a93", focus="#56b4e9", check="#0d1b24",
)

_current = LIGHT

#: Okabe-Ito: distinguishable with the common colour-vision deficiencies. On the light base the
#: orange and the pink are darkened and black takes the sky blue's place, on the dark base sky
#: blue and yellow take the blue's and black's: every line at least 3:1 against its background.
SERIES_COLORS = ("#0072B2", "#B06F00", "#009E73", "#B8578F", "#22262B", "#D55E00")
SERIES_COLORS_DARK = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#D55E00")
#: ColorBrewer PuOr ends (colour-blind safe, diverging): low mood orange, high mood purple; on
#: the dark base the scale's lighter ends, so a day of either extreme stands out from it.
LOW, HIGH = "#b35806", "#542788"
LOW_DARK, HIGH_DARK = "#fdb863", "#b2abd2"


def chart_lines(c: Colors) -> list[tuple[str, str]]:
    """The colours the charts draw on ``c.base``: each series' line, and the ends of the mood
    calendar's scale (its middle, near the base, is outlined in ``c.edge``)."""
    dark = c == DARK
    series = SERIES_COLORS_DARK if dark else SERIES_COLORS
    low, high = (LOW_DARK, HIGH_DARK) if dark else (LOW, HIGH)
    return [*((f"series {n}", colour) for n, colour in enumerate(series, start=1)),
            ("mood calendar, low end", low), ("mood calendar, high end", high),
            ("mood calendar, cell outline", c.edge)]


def colors() -> Colors:
    return _current


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def apply_theme(app: QApplication, mode: str = "system", text_size: int = 11) -> Colors:
    """Apply the palette and base font size to the whole application."""
    global _current
    dark = mode == "dark" or (mode == "system" and system_is_dark())
    c = DARK if dark else LIGHT
    _current = c
    app.setStyle("Fusion")
    app.setPalette(palette(c))
    font = QFont(app.font())
    font.setPointSize(text_size)
    app.setFont(font)
    app.setStyleSheet(style_sheet(c, text_size))
    # One pass over every widget, after the style sheet (setting it polishes every widget
    # again, fonts included): titles and headings follow the text size, links the new palette.
    for widget in app.allWidgets():
        if widget.property(_STEP) is not None:
            _apply_step(widget)
        _recolour_link(widget)
    return c


def palette(c: Colors) -> QPalette:
    """The Qt palette of ``c`` (disabled text in the muted colour)."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.base,
        QPalette.ColorRole.AlternateBase: c.alt,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.alt,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.ToolTipBase: c.base,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.accent_text,
        QPalette.ColorRole.Link: c.accent,
        QPalette.ColorRole.Mid: c.border,
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.muted))
    return pal


def _recolour_link(widget: QWidget) -> None:
    """Lay out again a label showing a link: Qt colours a link when the text is set, from the
    palette of that moment, so after a change of theme a link kept the old theme's colour (the
    light accent on the dark status bar: 2.95:1)."""
    if (isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText
            and "<a " in widget.text()):
        text = widget.text()
        widget.setText("")  # the same text again would be ignored
        widget.setText(text)


def indicator_image(kind: str, colour: str) -> str:
    """The path (with forward slashes, as a style sheet's url() wants it) of a mark drawn in
    ``colour``: "check" in a ticked check box, "dot" in a chosen radio button, "up" and "down"
    the arrows of spin boxes and drop-down lists (resources/icons/KIND-RRGGBB.svg)."""
    path = content_dir("resources") / "icons" / f"{kind}-{colour.removeprefix('#')}.svg"
    return path.as_posix()


def style_sheet(c: Colors, text_size: int) -> str:
    """The application's style sheet for ``c``. Every control's border is ``c.edge`` (3:1); a
    focused control is ringed 2 px in ``c.focus`` (a primary button, filled with the accent, in
    the text colour), its padding one pixel less so nothing moves; a ticked box shows a mark."""
    check, dot = indicator_image("check", c.check), indicator_image("dot", c.check)
    up, down = indicator_image("up", c.text), indicator_image("down", c.text)
    return f"""
        QToolBar {{ border: none; spacing: 6px; padding: 4px; background: {c.window}; }}
        QLineEdit, QPlainTextEdit, QTextBrowser, QAbstractItemView {{
            border: 1px solid {c.edge}; border-radius: 6px; padding: 4px;
            background: {c.base}; selection-background-color: {c.accent};
            selection-color: {c.accent_text};
        }}
        QLineEdit:focus, QPlainTextEdit:focus, QTextBrowser:focus, QAbstractItemView:focus {{
            border: 2px solid {c.focus}; padding: 3px;
        }}
        /* A list's column header is an item view too: without this it took the frame and
           padding above, which left less height than its text and cut the labels' tops. */
        QHeaderView, QHeaderView:focus {{ border: none; border-radius: 0px; padding: 0px; }}
        QComboBox, QAbstractSpinBox {{
            border: 1px solid {c.edge}; border-radius: 4px; padding: 1px 2px;
            background: {c.base};
        }}
        QComboBox:focus, QAbstractSpinBox:focus {{
            border: 2px solid {c.focus}; padding: 0px 1px;
        }}
        QComboBox:disabled, QAbstractSpinBox:disabled {{ color: {c.muted}; }}
        QComboBox::drop-down, QDateTimeEdit::drop-down {{
            subcontrol-origin: padding; subcontrol-position: center right; width: 16px;
            border: none;
        }}
        QComboBox::down-arrow, QDateTimeEdit::down-arrow, QAbstractSpinBox::down-arrow {{
            image: url({down}); width: 10px; height: 10px;
        }}
        QAbstractSpinBox::up-arrow {{ image: url({up}); width: 10px; height: 10px; }}
        QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{
            subcontrol-origin: border; width: 14px; border: none; background: transparent;
        }}
        QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
        QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
        QPushButton {{
            border: 1px solid {c.edge}; border-radius: 6px; padding: 6px 14px;
            background: {c.alt};
        }}
        QPushButton:focus {{ border: 2px solid {c.focus}; padding: 5px 13px; }}
        QPushButton[primary="true"] {{
            background: {c.accent}; color: {c.accent_text}; border: 1px solid {c.accent};
            font-weight: 600;
        }}
        QPushButton[primary="true"]:focus {{ border: 2px solid {c.text}; padding: 5px 13px; }}
        QPushButton:disabled {{ color: {c.muted}; border: 1px solid {c.border}; }}
        QPushButton[primary="true"]:disabled {{
            background: {c.alt}; border: 1px solid {c.border}; color: {c.muted};
        }}
        QToolButton:focus {{ border: 2px solid {c.focus}; border-radius: 4px; }}
        QTabBar::tab {{
            background: {c.alt}; border: 1px solid {c.edge}; border-bottom: none;
            border-top-left-radius: 6px; border-top-right-radius: 6px;
            padding: 5px 12px; margin-right: 2px;
        }}
        QTabBar::tab:selected {{ background: {c.base}; font-weight: 600; }}
        QTabBar::tab:focus {{
            border: 2px solid {c.focus}; border-bottom: none; padding: 4px 11px 5px 11px;
        }}
        QScrollArea, QGraphicsView {{ border: 2px solid transparent; }}
        QScrollArea:focus, QGraphicsView:focus {{ border: 2px solid {c.focus}; }}
        QFrame[card="true"] QLabel {{ background: transparent; }}
        QCheckBox::indicator, QRadioButton::indicator {{
            width: 14px; height: 14px; border: 1px solid {c.edge}; background: {c.base};
        }}
        QCheckBox::indicator {{ border-radius: 3px; }}
        QRadioButton::indicator {{ border-radius: 8px; }}
        QCheckBox::indicator:checked {{
            background: {c.accent}; border: 1px solid {c.accent}; image: url({check});
        }}
        QRadioButton::indicator:checked {{
            background: {c.accent}; border: 1px solid {c.accent}; image: url({dot});
        }}
        QCheckBox::indicator:focus, QRadioButton::indicator:focus {{
            border: 2px solid {c.focus}; width: 12px; height: 12px;
        }}
        QCheckBox::indicator:checked:focus, QRadioButton::indicator:checked:focus {{
            border: 2px solid {c.text};
        }}
        QCheckBox:focus, QRadioButton:focus {{ outline: none; }}
        QLabel[muted="true"] {{ color: {c.muted}; }}
        QLabel[error="true"] {{ color: {c.danger}; }}
        QLabel[heading="true"] {{ font-size: {text_size + 7}pt; font-weight: 600; }}
        QFrame[card="true"] {{
            background: {c.base}; border: 1px solid {c.border}; border-radius: 10px;
        }}
        QSplitter::handle {{ background: {c.border}; }}
        """


@dataclass(frozen=True)
class ColourPair:
    """Two colours drawn one on the other, and the least contrast they need (4.5 for text, 3
    for a control's parts and a chart's lines)."""

    what: str
    fore: str
    back: str
    least: float


def colour_pairs(c: Colors) -> list[ColourPair]:
    """Every pair of colours the theme draws one on the other: the palette's roles, the style
    sheet's custom colours, the hints, the focus rings, the check marks and the charts' lines.
    The tests measure each; ``scripts/contrast_table.py`` prints them."""
    from journal_app.core.contrast import GRAPHIC, TEXT

    pal = palette(c)
    role = QPalette.ColorRole
    disabled = QPalette.ColorGroup.Disabled

    def of(r: QPalette.ColorRole, group: QPalette.ColorGroup = QPalette.ColorGroup.Active) -> str:
        return str(pal.color(group, r).name())

    pairs = [
        ColourPair("WindowText on Window", of(role.WindowText), of(role.Window), TEXT),
        ColourPair("Text on Base", of(role.Text), of(role.Base), TEXT),
        ColourPair("Text on AlternateBase", of(role.Text), of(role.AlternateBase), TEXT),
        ColourPair("ButtonText on Button", of(role.ButtonText), of(role.Button), TEXT),
        ColourPair("ToolTipText on ToolTipBase", of(role.ToolTipText), of(role.ToolTipBase),
                   TEXT),
        ColourPair("PlaceholderText on Base", of(role.PlaceholderText), of(role.Base), TEXT),
        ColourPair("HighlightedText on Highlight", of(role.HighlightedText),
                   of(role.Highlight), TEXT),
        ColourPair("Link on Window (status bar)", of(role.Link), of(role.Window), TEXT),
        ColourPair("Link on Base", of(role.Link), of(role.Base), TEXT),
        ColourPair("disabled Text on Base", of(role.Text, disabled), of(role.Base), TEXT),
        ColourPair("disabled ButtonText on Button", of(role.ButtonText, disabled),
                   of(role.Button), TEXT),
        ColourPair("muted hint on Window", c.muted, c.window, TEXT),
        ColourPair("muted hint on a card (Base)", c.muted, c.base, TEXT),
        ColourPair("muted on a selected row (chip)", c.muted, c.chip, TEXT),
        ColourPair("primary button text on accent", c.accent_text, c.accent, TEXT),
        ColourPair("link-like buttons (accent) on Window", c.accent, c.window, TEXT),
        ColourPair("accent on a selected row (chip)", c.accent, c.chip, TEXT),
        ColourPair("chip text on chip", c.chip_text, c.chip, TEXT),
        ColourPair("error text on Window", c.danger, c.window, TEXT),
        ColourPair("error text on Base", c.danger, c.base, TEXT),
        ColourPair("search hit text on its highlight", c.text, c.highlight_bg, TEXT),
        ColourPair("star on Base", c.star, c.base, GRAPHIC),
        ColourPair("star on Window", c.star, c.window, GRAPHIC),
    ]
    for back_name, back in (("Window", c.window), ("Base", c.base), ("AlternateBase", c.alt)):
        pairs.append(ColourPair(f"control border (edge) on {back_name}", c.edge, back, GRAPHIC))
        pairs.append(ColourPair(f"focus ring on {back_name}", c.focus, back, GRAPHIC))
        pairs.append(ColourPair(f"ticked box (accent) on {back_name}", c.accent, back, GRAPHIC))
    pairs += [
        ColourPair("primary button's focus ring on Window", c.text, c.window, GRAPHIC),
        ColourPair("ticked box's focus ring on Base", c.text, c.base, GRAPHIC),
        ColourPair("check mark on the ticked box", c.check, c.accent, GRAPHIC),
        ColourPair("spin box and list arrows on Base", c.text, c.base, GRAPHIC),
    ]
    pairs += [ColourPair(f"chart: {what} on Base", colour, c.base, GRAPHIC)
              for what, colour in chart_lines(c)]
    return pairs


#: The dynamic property holding a widget's size relative to the text size (see sized_font).
_STEP = "textSizeStep"


def sized_font(widget: QWidget, step: float, *, bold: bool = False) -> None:
    """Give ``widget`` a font ``step`` points larger (or smaller) than the text size, that
    follows the text size when the user changes it (Ctrl+=, Ctrl+-, Settings): a title set
    once to a point size would stay that size (and hold the window at its width). The rest of
    the widget's font (a fixed-width family, letter spacing) is kept."""
    widget.setProperty(_STEP, float(step))
    widget.setProperty("textSizeBold", bold)
    _apply_step(widget)


def _apply_step(widget: QWidget) -> None:
    base = QApplication.font()
    font = QFont(widget.font())
    font.setPointSizeF(max(6.0, base.pointSizeF() + float(widget.property(_STEP))))
    if widget.property("textSizeBold"):
        font.setWeight(QFont.Weight.DemiBold)
    widget.setFont(font)


def app_icon() -> QIcon:
    """journal-app's icon (resources/icons/app, drawn as SVG and rendered 16 to 512 px by
    scripts/render_icons.py): every window's, and the desktop entry's."""
    icon = QIcon()
    for png in sorted((content_dir("resources") / "icons" / "app").glob("journal-app-*.png")):
        icon.addFile(str(png))
    return icon
