"""Words written per entry, kept sealed in the vault, so the trends never re-read every text.

An entry's words (its title's and its text's, white-space separated: :func:`count_words`) are
counted when that version of it is first held; the counts are kept in one sealed meta blob,
``word_counts`` (a cache, like the search index snapshot: dropped when it does not open, re-sealed
by a key rotation), as one flat list ``[id, seq, words, id, seq, words, ...]``: a count is used only
while the entry's stored sequence is the one it was counted at, so an edit here or in another
process, an import or a restore makes it stale, and it is counted again from the record. Only
numbers and ids are stored, never text; a removal for good drops the blob in the same transaction
(:meth:`~journal_app.core.vault.journal.Journal._write`).

The list is flat, not ``{id: [seq, words]}`` (format 1, read as none and counted again): at 100,000
entries, sealing that mapping of lists took 20 MB more at its peak, the flat list 9 MB
(docs/design.md, "Memory at 100,000 entries: the first trends and the held entries").
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson

from journal_app.core.records.model import Entry
from journal_app.core.vault.crypto import OpenError, RecordCipher
from journal_app.core.vault.store import Store, parse_counter

META_KEY = "word_counts"  # also journal.WORD_COUNTS, store._CACHE_META, rotation._CACHES
FORMAT = 2


def count_words(entry: Entry, body: str | None = None) -> int:
    """Words of the title and the text (white-space separated); ``body``: the entry's text,
    when it was read without being kept (``Journal._entry_texts``)."""
    return len(entry.title.split()) + len((entry.body if body is None else body).split())


def load(store: Store, cipher: RecordCipher) -> dict[str, tuple[int, int]]:
    """``id -> (seq, words)`` as sealed; empty when there is none or it does not open."""
    blob = store.get_meta([META_KEY]).get(META_KEY)
    if not blob:
        return {}
    try:
        _seq, data = cipher.open_meta(META_KEY, blob)
        stored = orjson.loads(data)
    except (OpenError, orjson.JSONDecodeError):
        return {}
    if not isinstance(stored, dict) or stored.get("format") != FORMAT:
        return {}
    flat = stored.get("counts")
    if type(flat) is not list or len(flat) % 3:
        return {}
    # Sealed by this journal, so well formed unless a bug wrote it: checked cheaply.
    ids, seqs, words = flat[0::3], flat[1::3], flat[2::3]
    if not (all(type(i) is str for i in ids) and all(type(s) is int for s in seqs)
            and all(type(w) is int for w in words)):
        return {}
    return dict(zip(ids, zip(seqs, words, strict=True), strict=True))


def save(store: Store, cipher: RecordCipher, counts: Iterable[tuple[str, int, int]]) -> None:
    """Seal the counts ``(id, seq, words)`` in place of what was there."""
    flat: list[str | int] = []
    for one in counts:
        flat += one
    data = orjson.dumps({"format": FORMAT, "counts": flat})
    del flat
    with store.write() as tx:
        seq = parse_counter(tx.get_meta("seq"))
        tx.set_meta(META_KEY, cipher.seal_meta(META_KEY, seq, data))
