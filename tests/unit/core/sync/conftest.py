from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.core.sync.harness import Device


@pytest.fixture
def closing() -> Iterator[list[Device]]:
    """Devices put here are closed after the test."""
    devices: list[Device] = []
    yield devices
    for device in devices:
        if device.journal is not None:
            device.journal.close()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path
