"""Keep the journal out of core dumps.

An unlocked process holds the data key and the text of the journal in memory; a crash that
writes a core file would put them on disk in the clear (an aborted process once wrote a 39 MB
core with four copies of the journal text). So, first thing in every run of the app or a
command: the core file size limit is set to 0, soft and hard (it cannot be raised again), and on
Linux the process is made not dumpable (``PR_SET_DUMPABLE`` 0), which also stops systemd-coredump
or apport piping a dump elsewhere and keeps other programs of the same user from attaching a
debugger or reading ``/proc/PID/mem``.

Both are best effort: where a call is not available (Windows has neither), the run goes on.
"""

from __future__ import annotations

import contextlib
import sys

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3


def forbid_core_dumps() -> None:
    """Set RLIMIT_CORE to 0 and, on Linux, clear the dumpable flag of this process."""
    try:
        import resource
    except ImportError:  # Windows: no core files to speak of
        return
    with contextlib.suppress(ValueError, OSError):  # lowering a limit is always allowed
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        _prctl(PR_SET_DUMPABLE, 0)


def _prctl(option: int, value: int) -> int:
    """``prctl(option, value)`` through libc; -1 when it cannot be called."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(option, value, 0, 0, 0))
    except (OSError, AttributeError):
        return -1
