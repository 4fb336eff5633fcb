"""Light and dark palettes, following the system unless the user chose one, and text size.

Calm colours with enough contrast for tired eyes; accents from a colour-blind-safe set
(Okabe-Ito blue, orange and bluish green), never colour alone to carry meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget


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


LIGHT = Colors(
    window="#f4f1ec", base="#fffdf9", alt="#f8f5f0", text="#22262b", muted="#646b73",
    accent="#0b6fa4", accent_text="#ffffff", chip="#e6eef3", chip_text="#1d3b4f",
    border="#d9d3ca", danger="#b3261e", star="#c46a00", highlight_bg="#fff1b8",
)
DARK = Colors(
    window="#1d2125", base="#24292e", alt="#2a3036", text="#e6e8ea", muted="#a3abb3",
    accent="#56b4e9", accent_text="#0d1b24", chip="#2f3d48", chip_text="#d3e6f2",
    border="#3a424a", danger="#ff8a80", star="#e69f00", highlight_bg="#5c4a12",
)

_current = LIGHT


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
    app.setPalette(pal)
    font = QFont(app.font())
    font.setPointSize(text_size)
    app.setFont(font)
    app.setStyleSheet(
        f"""
        QToolBar {{ border: none; spacing: 6px; padding: 4px; background: {c.window}; }}
        QLineEdit, QPlainTextEdit, QTextBrowser, QListView {{
            border: 1px solid {c.border}; border-radius: 6px; padding: 4px;
            background: {c.base}; selection-background-color: {c.accent};
        }}
        QLineEdit:focus, QPlainTextEdit:focus {{ border: 1px solid {c.accent}; }}
        QPushButton {{
            border: 1px solid {c.border}; border-radius: 6px; padding: 6px 14px;
            background: {c.alt};
        }}
        QPushButton:focus {{ border: 1px solid {c.accent}; }}
        QPushButton[primary="true"] {{
            background: {c.accent}; color: {c.accent_text}; border: 1px solid {c.accent};
            font-weight: 600;
        }}
        QPushButton:disabled {{ color: {c.muted}; }}
        QPushButton[primary="true"]:disabled {{
            background: {c.border}; border: 1px solid {c.border}; color: {c.muted};
        }}
        QFrame[card="true"] QLabel {{ background: transparent; }}
        QCheckBox::indicator, QRadioButton::indicator {{
            width: 14px; height: 14px; border: 1px solid {c.muted}; background: {c.base};
        }}
        QCheckBox::indicator {{ border-radius: 3px; }}
        QRadioButton::indicator {{ border-radius: 8px; }}
        QCheckBox::indicator:checked, QRadioButton::indicator:checked {{
            background: {c.accent}; border: 1px solid {c.accent};
        }}
        QCheckBox::indicator:focus, QRadioButton::indicator:focus {{
            border: 1px solid {c.accent};
        }}
        QLabel[muted="true"] {{ color: {c.muted}; }}
        QLabel[error="true"] {{ color: {c.danger}; }}
        QLabel[heading="true"] {{ font-size: {text_size + 7}pt; font-weight: 600; }}
        QFrame[card="true"] {{
            background: {c.base}; border: 1px solid {c.border}; border-radius: 10px;
        }}
        QSplitter::handle {{ background: {c.border}; }}
        """
    )
    # After the style sheet (setting it polishes every widget again, fonts included): titles
    # and headings follow the text size too.
    for widget in app.allWidgets():
        if widget.property(_STEP) is not None:
            _apply_step(widget)
    return c


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
