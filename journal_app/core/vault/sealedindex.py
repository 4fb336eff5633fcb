"""The search index as sealed in the vault: a small sealed directory and one sealed blob per
segment (issue 18).

``meta`` holds, each sealed with the data key (:meth:`RecordCipher.seal_meta`, the name and the
write counter it was sealed at bound as associated data):

- ``search_dir``: the directory, JSON: ``{"format": 1, "segments": [[number, name], ...],
  "synced": counter or null}``; ``synced`` is the write counter at which the sealed segments
  were checked to hold exactly the searchable rows of the file (see :mod:`.indexing`);
- ``search_seg.<16 random hex digits>``: one segment of the index
  (:meth:`~journal_app.core.vault.search.SearchIndex.to_bytes`). Each sealing of a segment
  takes a new random name, so a name is sealed once and only once: a blob put back from an
  older copy of the file under the name it had is not listed by the current directory, and
  under the current name it does not open (the name is in its associated data). A segment
  that is missing, does not open, or was sealed past the write counter is dropped (an empty
  one takes its place, and the index catches up with the records it held), exactly as the
  single snapshot was.
- ``search_index``: the single snapshot of earlier versions; never read again (a cache: the
  index is rebuilt from the records once) and removed by the next seal.

This module needs no more than the cipher and the index (the quick unlock of a command,
:mod:`.quickopen`, opens the index with it beside the imports).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from journal_app.core.vault.crypto import OpenError, RecordCipher
from journal_app.core.vault.search import IndexFormatError, SearchIndex, SegmentedIndex

DIRECTORY = "search_dir"
SEGMENT_PREFIX = "search_seg."
LEGACY = "search_index"
DIRECTORY_FORMAT = 1


@dataclass(frozen=True)
class Directory:
    """What ``search_dir`` says: each segment's number and the name it is sealed under, and
    the write counter at which they were known to match the file's rows (None: unknown)."""

    segments: dict[int, str]
    synced: int | None

    def to_bytes(self) -> bytes:
        return json.dumps({"format": DIRECTORY_FORMAT,
                           "segments": sorted([n, k] for n, k in self.segments.items()),
                           "synced": self.synced}, separators=(",", ":")).encode()


def read_directory(cipher: RecordCipher, blob: bytes | None, counter: int) -> Directory | None:
    """The directory sealed in ``blob``; None when there is none, it does not open, it was
    sealed past ``counter`` (not of this file's history) or it is not of this format."""
    if blob is None:
        return None
    try:
        seq, data = cipher.open_meta(DIRECTORY, blob)
        if seq > counter:
            return None
        parsed = json.loads(data)
        if not isinstance(parsed, dict) or parsed.get("format") != DIRECTORY_FORMAT:
            return None
        segments = {}
        for number, name in parsed["segments"]:
            if (type(number) is not int or not isinstance(name, str)
                    or not name.startswith(SEGMENT_PREFIX) or number in segments):
                return None
            segments[number] = name
        synced = parsed["synced"]
        if synced is not None and type(synced) is not int:
            return None
    except (OpenError, ValueError, KeyError, TypeError):
        return None
    return Directory(segments, synced)


def open_index(cipher: RecordCipher, directory: Directory, read: Callable[[str], bytes | None],
               counter: int) -> SegmentedIndex:
    """The index of ``directory``, its segments read (``read(name)``), opened and deserialised
    one at a time, so that memory grows by the index, not by the index and its sealed copy. A
    segment that cannot be trusted is replaced by an empty one (marked :attr:`dirty`; the
    index is then not :attr:`~SegmentedIndex.complete`)."""
    segments: dict[int, SearchIndex] = {}
    dropped = set()
    for number, name in sorted(directory.segments.items()):
        segment = _open_segment(cipher, name, read(name), counter)
        if segment is None:
            segment = SearchIndex.new()
            dropped.add(number)
        segments[number] = segment
    index = SegmentedIndex(segments)
    index.dirty = set(dropped)
    index.complete = not dropped
    index.sealed_as = dict(directory.segments)
    index.synced_at = directory.synced if not dropped else None
    return index


def _open_segment(cipher: RecordCipher, name: str, blob: bytes | None, counter: int
                  ) -> SearchIndex | None:
    if blob is None:
        return None
    try:
        seq, data = cipher.open_meta(name, blob)
        del blob
        return SearchIndex.from_bytes(data) if seq <= counter else None
    except (OpenError, IndexFormatError):
        return None


def open_sealed(cipher: RecordCipher, sealed: dict[str, bytes], counter: int
                ) -> SegmentedIndex | None:
    """The index from the sealed blobs in ``sealed`` (the directory and segments by ``meta``
    key; emptied as they are opened, so each sealed copy is freed once opened). None when
    there is no directory that opens (rebuilt then)."""
    directory = read_directory(cipher, sealed.pop(DIRECTORY, None), counter)
    if directory is None:
        sealed.clear()
        return None
    index = open_index(cipher, directory, lambda name: sealed.pop(name, None), counter)
    sealed.clear()
    return index
