"""Watch calls to a function or method in a test: the real one still runs."""

from __future__ import annotations

from typing import Any

import pytest


def record_calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[Any]:
    """The results of the calls to ``owner.name`` from now on, in order (for a method, set on
    its class, every instance's calls)."""
    real = getattr(owner, name)
    results: list[Any] = []

    def recorded(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        results.append(result)
        return result

    monkeypatch.setattr(owner, name, recorded)
    return results
