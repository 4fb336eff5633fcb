"""The WCAG 2.x contrast ratio, checked against values the WCAG documents and tools give."""

from __future__ import annotations

import pytest

from journal_app.core.contrast import contrast_ratio, relative_luminance


def test_black_and_white_are_the_extremes() -> None:
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)


def test_the_order_does_not_matter_and_short_forms_are_read() -> None:
    assert contrast_ratio("#777", "#fff") == contrast_ratio("#ffffff", "#777777")


@pytest.mark.parametrize(("fore", "back", "ratio"), [
    # #767676 on white is the classic lightest grey that passes 4.5:1 (4.54:1).
    ("#767676", "#ffffff", 4.54),
    ("#777777", "#ffffff", 4.48),
    # Pure red, green and blue on white, as every contrast checker reports them.
    ("#ff0000", "#ffffff", 4.00),
    ("#00ff00", "#ffffff", 1.37),
    ("#0000ff", "#ffffff", 8.59),
    ("#808080", "#000000", 5.32),
])
def test_known_ratios(fore: str, back: str, ratio: float) -> None:
    assert contrast_ratio(fore, back) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("bad", ["", "#12345", "blue", "#1234567"])
def test_a_colour_that_is_not_hex_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        contrast_ratio(bad, "#ffffff")
