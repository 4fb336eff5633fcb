"""Contrast between two colours, as WCAG 2.x measures it (relative luminance of sRGB colours).

Text needs at least 4.5:1 against what is behind it, and the parts of a control one must see to
use it (an input's border, a check box, a focus ring, a chart's line) at least 3:1.
"""

from __future__ import annotations

TEXT = 4.5
"""The least contrast for text (WCAG 2.x success criterion 1.4.3, level AA)."""
GRAPHIC = 3.0
"""The least contrast for the parts of controls and graphics one must see (1.4.11)."""


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.strip().removeprefix("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    number = int(value, 16)
    return (number >> 16) & 0xFF, (number >> 8) & 0xFF, number & 0xFF


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """The relative luminance of a "#rrggbb" (or "#rgb") colour, from 0 (black) to 1 (white)."""
    r, g, b = (_linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white); the order
    of the two does not matter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
