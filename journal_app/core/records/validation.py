"""One set of field checks for records and the payloads of share packages.

Each check raises :class:`ValueError` with one plain sentence that names the field (``name``,
given by the caller, e.g. "the note") and never quotes the value: the value may be journal text,
and the sentence may reach a dialog or a terminal. Callers that refuse a whole file (a share
package, an import) catch the ``ValueError`` and raise their own error type.

A leaf module: it imports nothing from the rest of the app but :mod:`.dates`, so the model, the
share packages, mentor cards and custom prompts can all use it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from datetime import date
from typing import Any

from journal_app.core.dates import RANGE_TEXT, in_range

_HEX_DIGITS = frozenset("0123456789abcdef")
#: The longest short text (a title, a rotation) unless a field says otherwise.
MAX_SHORT = 200


def check_range(name: str, value: int | None, bounds: tuple[int, int]) -> None:
    """``value`` is None or a whole number (not a bool) within ``bounds``, both ends included."""
    if value is None:
        return
    lo, hi = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi}")


def check_text(name: str, *values: str) -> None:
    """Each value can be stored as UTF-8: no lone surrogates (undecodable command-line bytes)."""
    for value in values:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{name} holds characters that are not valid text") from None


def check_length(name: str, limit: int, *values: str) -> None:
    """Each value is valid text of at most ``limit`` characters: "<name> is too long"."""
    check_text(name, *values)
    if any(len(value) > limit for value in values):
        raise ValueError(f"{name} is too long")


def check_short(name: str, value: str, limit: int = MAX_SHORT, required: bool = True) -> str:
    """A short piece of text (a title, a label): valid text, trimmed, at most ``limit``
    characters, not empty when ``required``. Returns it trimmed."""
    check_text(name, value)
    value = value.strip()
    if required and not value:
        raise ValueError(f"{name} must not be empty")
    if len(value) > limit:
        raise ValueError(f"{name} is too long (at most {limit:,} characters)")
    return value


def check_choice(what: str, value: object, choices: Iterable[str]) -> None:
    """``value`` is one of ``choices``: "unknown <what>; use one of a, b, c" otherwise."""
    options = tuple(choices)
    if value not in options:
        raise ValueError(f"unknown {what}; use one of " + ", ".join(options))


def is_hex(value: str, length: int = 32) -> bool:
    """``value`` is exactly ``length`` lower-case hex digits (a record or package id)."""
    return isinstance(value, str) and len(value) == length and set(value) <= _HEX_DIGITS


def check_hex(name: str, value: str, length: int = 32) -> None:
    if not is_hex(value, length):
        raise ValueError(f"{name} must be {length} hex digits")


def check_record_id(name: str, value: str) -> None:
    if not is_hex(value, 32):
        raise ValueError(f"{name} is not a record id")


def check_day(name: str, value: str) -> None:
    """A calendar day written ``YYYY-MM-DD`` (ten characters, a real date)."""
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date like 2026-03-14") from None


def check_aware(record: Any, *names: str) -> None:
    """The named datetime fields of ``record`` are None or carry an offset, within the years a
    record may carry (see :mod:`.dates`)."""
    for name in names:
        value = getattr(record, name)
        if value is None:
            continue
        if value.tzinfo is None:
            raise ValueError(f"{name} needs a time zone offset")
        if not in_range(value):
            raise ValueError(f"{name} must fall {RANGE_TEXT}")


def unb64(text: str, length: int) -> bytes:
    """Strict base64 of exactly ``length`` bytes (a key or a signature).

    Raises:
        ValueError: "not base64" or "wrong length"; the text is not quoted.
    """
    if not isinstance(text, str) or len(text) > 4 * (length + 2) // 3 + 4:
        raise ValueError("not base64")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None
    if len(raw) != length:
        raise ValueError("wrong length")
    return raw


def check_b64_key(name: str, value: str, length: int) -> None:
    """``value`` is the strict base64 of a ``length``-byte key."""
    try:
        unb64(value, length)
    except ValueError:
        raise ValueError(f"{name} is not a key") from None
