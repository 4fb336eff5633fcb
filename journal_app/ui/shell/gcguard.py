"""Garbage collection in the GUI thread only.

Python's cyclic garbage collector runs in whichever thread happens to allocate when a threshold
is passed. When that is the worker thread (decrypting, writing) and the garbage holds Qt objects
(a closed dialog caught in a reference cycle with its lambdas), their C++ destructors run outside
the GUI thread, and Qt can crash. So the automatic collector is turned off and a timer in the GUI
thread collects instead, with the collector's own thresholds (pyqtgraph does the same, for the
same reason). Objects without cycles are freed by reference counting as always.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks at the collector's counts.
INTERVAL_MS = 500


class MainThreadCollector(QObject):
    """Disables automatic collection and collects on a timer in this (the GUI) thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, as gc itself would."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()
