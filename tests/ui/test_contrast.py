"""Contrast of both themes, measured from the palette the app applies and its style sheet: 4.5:1
for text, 3:1 for the parts of controls (borders, check boxes, focus rings) and chart lines.

The colour pairs and their ratios: scripts/contrast_table.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from journal_app.core.contrast import GRAPHIC, TEXT, contrast_ratio
from journal_app.ui import theme
from journal_app.ui.shell.mainwindow import MainWindow

MODES = ("light", "dark")


@pytest.mark.parametrize("mode", MODES)
def test_every_colour_pair_of_the_theme_has_enough_contrast(qapp: QApplication,
                                                            mode: str) -> None:
    c = theme.apply_theme(qapp, mode)
    applied = qapp.palette()
    measured = theme.colour_pairs(c)
    # The pairs are the palette the app really has, not a copy of it.
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.Base, QPalette.ColorRole.Text, QPalette.ColorRole.Link,
                 QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Highlight):
        assert applied.color(role) == theme.palette(c).color(role)
    too_low = [(p.what, p.fore, p.back, round(contrast_ratio(p.fore, p.back), 2))
               for p in measured if contrast_ratio(p.fore, p.back) < p.least]
    assert too_low == []


#: Rules whose borders carry no meaning (cards, bars, splitters), or whose control is disabled
#: (WCAG asks no contrast of an inactive control).
DECORATIVE = re.compile(r'card="true"|QToolBar|QSplitter|:disabled')
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def rules(sheet: str) -> list[tuple[str, dict[str, str]]]:
    out = []
    for selector, body in RULE.findall(sheet):
        declarations = {}
        for item in body.split(";"):
            if ":" in item:
                name, value = item.split(":", 1)
                declarations[name.strip()] = value.strip()
        out.append((" ".join(selector.split()), declarations))
    return out


@pytest.mark.parametrize("mode", MODES)
def test_the_style_sheet_draws_every_control_border_and_text_with_enough_contrast(
        qapp: QApplication, mode: str) -> None:
    c = theme.apply_theme(qapp, mode)
    backgrounds = (c.window, c.base, c.alt)
    weak: list[tuple[str, str, str, float]] = []
    checked = 0
    for selector, decl in rules(qapp.styleSheet()):
        for name in ("border", "border-left"):
            colour = re.search(r"#[0-9a-fA-F]{6}", decl.get(name, ""))
            if colour is None or DECORATIVE.search(selector):
                continue
            # A border in the control's own fill (a primary button, a ticked box) is measured,
            # as the fill, against what is around the control.
            fill = decl.get("background", colour.group())
            behind = backgrounds if fill == colour.group() else [fill]
            for back in behind:
                checked += 1
                ratio = contrast_ratio(colour.group(), back)
                if ratio < GRAPHIC:
                    weak.append((selector, colour.group(), back, round(ratio, 2)))
        colour = re.fullmatch(r"#[0-9a-fA-F]{6}", decl.get("color", ""))
        if colour is not None:
            behind = [decl["background"]] if "background" in decl else backgrounds
            for back in behind:
                checked += 1
                ratio = contrast_ratio(colour.group(), back)
                if ratio < TEXT:
                    weak.append((selector, colour.group(), back, round(ratio, 2)))
    assert checked > 20  # the sheet was read
    assert weak == []


def link_colours(window: MainWindow) -> set[str]:
    """The colours of the status bar's link as drawn: the pixels of its text (its strokes'
    cores, where antialiasing leaves the pure colour)."""
    image = window.backup_status.grab().toImage()
    return {QColor(image.pixel(x, y)).name() for x in range(image.width())
            for y in range(image.height())}


def test_the_status_bar_link_takes_the_new_theme_when_the_theme_changes(
        qtbot: Any, qapp: QApplication, open_window: MainWindow) -> None:
    """Seen: switched to the dark theme, the status bar's link kept the light accent (2.95:1)."""
    open_window.settings.theme = "light"
    open_window.apply_appearance()
    label = open_window.backup_status
    qtbot.waitUntil(lambda: "<a " in label.text())
    assert theme.LIGHT.accent in link_colours(open_window)
    open_window.settings.theme = "dark"
    open_window.apply_appearance()
    drawn = link_colours(open_window)
    assert theme.DARK.accent in drawn
    assert theme.LIGHT.accent not in drawn
    assert contrast_ratio(theme.DARK.accent, theme.DARK.window) >= TEXT


@pytest.mark.parametrize("mode", MODES)
def test_every_mark_the_style_sheet_draws_is_shipped_in_its_colour(qapp: QApplication,
                                                                   mode: str) -> None:
    """The check mark, the radio dot and the arrows are SVG files named after their colour: a
    colour changed in the theme without its file would draw a blank box."""
    from pathlib import Path

    c = theme.apply_theme(qapp, mode)
    images = re.findall(r"url\(([^)]+)\)", qapp.styleSheet())
    assert len(set(images)) == 4
    for image in images:
        svg = Path(image).read_text(encoding="utf-8")
        colour = re.search(r"#[0-9a-fA-F]{6}", svg)
        assert colour is not None
        assert colour.group().lower() in (c.check, c.text)
        assert Path(image).name.split("-")[1] == colour.group().lower()[1:] + ".svg"
