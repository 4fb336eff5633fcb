"""The app's allocator setting (issue 18): every thread is served from one heap, so what the
worker thread frees the window's thread reuses."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from journal_app.ui.shell import memory

# A thread makes 50 MB of blocks of 64 KiB (below the size that gets a mapping of its own) and a
# block of 100 KiB after them (kept, so its heap cannot simply shrink), frees the 50 MB and
# ends; then the main thread makes 50 MB. Prints how many MB the process grew by for those.
_PROBE = textwrap.dedent("""
    import sys
    import threading
    from journal_app.ui.shell.memory import share_one_arena

    def rss():
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * 4096 // 2**20

    def blocks():
        made = []
        for _ in range(800):
            block = bytearray(64 * 1024)
            block[::4096] = b"x" * 16  # touched: resident
            made.append(block)
        return made

    kept = []

    def work():
        made = blocks()
        kept.append(bytearray(100 * 1024))
        del made

    print(share_one_arena() if len(sys.argv) < 2 else "off")
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    before = rss()
    again = blocks()
    print(rss() - before)
""")


def _probe(*args: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                          text=True, check=True).stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a setting of glibc only")
def test_what_one_thread_freed_another_reuses() -> None:
    done, grown = _probe()
    if done != "True":
        pytest.skip("this Linux's C library is not glibc: the setting is not made")
    assert int(grown) <= 10  # of 50 MB made again


def test_nothing_is_done_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory.sys, "platform", "darwin")
    assert memory.share_one_arena() is False
