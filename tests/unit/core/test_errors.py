"""One way to turn an error into a sentence (journal_app/core/errors.py: describe): our own
errors say their sentence, our own checks' ValueErrors become one, and anything else (which could
quote journal text) is said as a bug, never by its text or traceback."""

from __future__ import annotations

import pytest

from journal_app.core.errors import (
    UNEXPECTED,
    PackageAlteredError,
    ValidationError,
    VaultLockedError,
    describe,
    is_expected,
    sentence,
)
from journal_app.core.records.model import CheckIn, CustomPrompt

SECRET = "Mrs Patel in bed 4"


def _raised(fn: object, *args: object, **kwargs: object) -> BaseException:
    with pytest.raises(BaseException) as err:
        fn(*args, **kwargs)  # type: ignore[operator]
    return err.value


def _raised_in_the_app(code: str, **names: object) -> BaseException:
    """Run ``code`` as if it were a line of a journal_app module (its frame's module name)."""
    scope: dict[str, object] = {"__name__": "journal_app.core.somewhere", **names}
    with pytest.raises(BaseException) as err:
        exec(compile(code, "somewhere.py", "exec"), scope)
    return err.value


def test_our_errors_say_their_own_sentence() -> None:
    assert describe(VaultLockedError()) == "The journal is locked."
    assert describe(PackageAlteredError()) == PackageAlteredError.default_message
    assert describe(ValidationError("Stress must be a whole number from 0 to 10.")) == (
        "Stress must be a whole number from 0 to 10.")
    assert is_expected(VaultLockedError())


def test_a_check_of_the_model_becomes_a_sentence() -> None:
    err = _raised(CheckIn, stress=11)
    assert describe(err) == "Stress must be a whole number from 0 to 10."
    assert is_expected(err)
    err = _raised(CustomPrompt, text="   ", facet="f", level="l", encounters=["any"])
    assert describe(err) == "The prompt must not be empty."


def test_a_value_error_that_quotes_a_value_is_a_bug() -> None:
    # int() raises from the app's own frame (builtins add none), quoting what it was given.
    err = _raised_in_the_app("int(text)", text=SECRET)
    assert SECRET in str(err)
    assert describe(err) == UNEXPECTED
    assert not is_expected(err)
    err = _raised_in_the_app("text.encode('ascii').decode('utf-8'); (b'\\xe9').decode()",
                             text="a")
    assert isinstance(err, UnicodeDecodeError)
    assert describe(err) == UNEXPECTED


def test_a_value_error_from_outside_the_app_is_a_bug() -> None:
    err = _raised(int, SECRET)
    assert describe(err) == UNEXPECTED
    try:
        raise ValueError("a sentence that looks like ours")  # raised here, in the tests
    except ValueError as exc:
        assert describe(exc) == UNEXPECTED
    assert describe(ValueError("never raised")) == UNEXPECTED


def test_a_value_error_of_the_app_with_several_lines_or_no_words_is_a_bug() -> None:
    assert describe(_raised_in_the_app("raise ValueError('one\\ntwo')")) == UNEXPECTED
    assert describe(_raised_in_the_app("raise ValueError()")) == UNEXPECTED
    assert describe(_raised_in_the_app("raise ValueError('the note is too long')")) == (
        "The note is too long.")


def test_other_errors_are_bugs_in_the_callers_words() -> None:
    err = RuntimeError(SECRET)
    assert describe(err) == UNEXPECTED
    assert describe(err, "an unexpected error stopped the command.") == (
        "an unexpected error stopped the command.")
    assert describe(KeyError(SECRET)) == UNEXPECTED
    assert not is_expected(KeyError(SECRET))


def test_sentence() -> None:
    assert sentence("the note is too long") == "The note is too long."
    assert sentence("  done.  ") == "Done."
    assert sentence("Really?") == "Really?"
    assert sentence("") == ""
