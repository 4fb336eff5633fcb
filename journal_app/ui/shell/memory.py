"""The app's threads share one heap of the C library's allocator (issue 18).

On Linux, glibc's allocator gives each new thread a heap (an arena) of its own. The worker
thread that unlocks a journal makes most of what the unlock holds (the search index's segments,
decrypted: 175 MB at 100,000 entries) and frees it at the lock; the window's thread makes and
frees its own. Each heap keeps what was freed in it for its own thread, in pieces, and the next
unlock took new memory beside them: the app's peak grew by 60 MB over three unlocks. With one
heap for every thread (``mallopt(M_ARENA_MAX, 1)``), what one thread frees the other reuses.
Measured in ``bench_ui.py`` at 100,000 entries, three unlocks and the dashboard: 567 against
597 MB at the peak, the unlock as fast (medians 1.55-1.68 s against 1.61-1.64 s, click to
window, the key derivation included).

It must be set before the threads that matter make their first allocation (a thread keeps the
heap it was given): the app sets it once the lock screen is painted, before the thread that
imports the rest of the app starts and before the worker exists. A setting of the allocator
only; elsewhere (macOS, Windows, a C library other than glibc) nothing is done. A tighter
threshold for mappings (``M_MMAP_THRESHOLD``) saved 40 MB more but made every unlock 0.2-0.3 s
slower (each large block of the index a fresh mapping, its pages faulted in again): not taken.
"""

from __future__ import annotations

import sys

#: glibc's ``M_ARENA_MAX`` (malloc.h).
M_ARENA_MAX = -8


def share_one_arena() -> bool:
    """Ask glibc's allocator to serve every thread from one heap (see the module). True when
    it was done; False where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: not among what the lock screen imports

    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - glibc only (musl's mallopt does nothing)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, 1))
