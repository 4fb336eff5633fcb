"""Full-text search over decrypted records, held in an in-memory SQLite FTS5 database.

The index never touches the disk in the clear: it lives in ``:memory:`` databases, and it is
persisted only sealed inside the vault (``sqlite3.Connection.serialize``), in segments of a few
thousand documents (:class:`SegmentedIndex`; the sealing is :mod:`.sealedindex`). The index
remembers the write sequence of every record it indexed; on load the service compares it with
the store and re-indexes only what changed, so a stale or missing segment costs time, never
correctness.

The FTS5 table is *contentless*: it holds the index, not a second copy of every text, which
halves the snapshot that each unlock and each command-line search must read and decrypt.
Snippets are cut in Python from the record's own text (:func:`make_snippet`), with the same
case and accent folding. SQLite 3.40 can only remove a row from a contentless index when given
the text it indexed: the service passes the old version when it has it; otherwise the row is
left as a *tombstone* (its ``docs`` row is gone, so no query returns it, but its words stay in
the index). A segment is never sealed with tombstones in it: the service rebuilds it first
(see ``Journal.save_index_snapshot``). The connection runs with ``secure_delete``, so
pages freed by a removal or a merge are zeroed and the serialized bytes hold no old text.

User text never reaches ``MATCH`` raw: :func:`parse_query` turns it into a list of terms and
:meth:`Query.to_match` quotes each one as an FTS5 string (``don't``, ``well-being``, ``3:00`` are
phrases, not syntax). Matching is case- and accent-insensitive (``unicode61 remove_diacritics 2``).
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

HIGHLIGHT_OPEN = "\x02"
HIGHLIGHT_CLOSE = "\x03"
INDEX_FORMAT = 3

_SCHEMA = f"""
CREATE TABLE info(key TEXT PRIMARY KEY, value);
-- AUTOINCREMENT: a rowid is never reused, so a tombstone in fts can never attach to a new doc.
CREATE TABLE docs(
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    created REAL NOT NULL,
    starred INTEGER NOT NULL,
    encounter TEXT,
    trashed INTEGER NOT NULL,
    -- SHA-256 of the indexed text: a row can be removed exactly given any version with the
    -- same text (trashing, starring or a mood change leave the text as it was).
    text_hash BLOB NOT NULL
);
CREATE INDEX docs_created ON docs(created);
CREATE TABLE doc_tags(doc INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX doc_tags_tag ON doc_tags(tag, doc);
CREATE TABLE doc_emotions(doc INTEGER NOT NULL, name TEXT NOT NULL);
CREATE INDEX doc_emotions_name ON doc_emotions(name, doc);
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, tags, content = '', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(10.0, 1.0, 4.0)');
INSERT INTO info VALUES('format', {INDEX_FORMAT});
INSERT INTO info VALUES('dead', 0);
"""


# --------------------------------------------------------------------------------------------
# Query parsing


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False

    def to_match(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def to_match(self) -> str:
        """An FTS5 MATCH expression: every term quoted, all of them ANDed."""
        return " AND ".join(t.to_match() for t in self.terms)


def _has_token_chars(text: str) -> bool:
    # unicode61 treats letters, numbers and private-use characters as token characters; a term
    # with none of them would be an empty phrase, which matches nothing.
    return any(unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co"
               for ch in text)


#: While typing, a word of at least this many letters matches the words that start with it.
WORD_START_MIN = 3


def _word_start(word: str) -> bool:
    """Whether a typed word is long enough to match as a word start: its last piece (what
    FTS5 reads as the last token: "well-be" ends in "be") has WORD_START_MIN letters."""
    pieces = _TOKEN.findall(word)
    return bool(pieces) and len(pieces[-1]) >= WORD_START_MIN


def parse_query(text: str, *, word_starts: bool = False) -> Query:
    """Parse search-box text: words are ANDed, ``"double quotes"`` make a phrase,
    a trailing ``*`` on a word matches words that start with it.

    ``word_starts`` (the search box, as the user types): every word outside quotes of at least
    :data:`WORD_START_MIN` letters matches the words that start with it ("daught" finds
    "daughter"); shorter words and phrases match whole words only."""
    terms: list[Term] = []
    # Lone surrogates (undecodable command-line bytes) cannot be sent to SQLite; FTS5 reads a NUL
    # inside a quoted string as its end ("unterminated string"). Both become separators.
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
    text = unicodedata.normalize("NFC", text)
    parts = text.split('"')
    for index, part in enumerate(parts):
        # Odd parts were inside quotes (an unclosed quote runs to the end).
        if index % 2 == 1:
            if _has_token_chars(part):
                terms.append(Term(" ".join(part.split()), phrase=True))
            continue
        for word in part.split():
            prefix = word.endswith("*")
            word = word.rstrip("*")
            prefix = prefix or (word_starts and _word_start(word))
            if _has_token_chars(word):
                terms.append(Term(word, prefix=prefix))
    return Query(tuple(dict.fromkeys(terms)))


# --------------------------------------------------------------------------------------------
# Documents, filters, hits


@dataclass(frozen=True)
class IndexDoc:
    """What the index holds of one record."""

    id: str
    seq: int
    kind: str
    created: datetime
    title: str
    body: str
    tags: Sequence[str] = ()
    emotions: Sequence[str] = ()
    encounter: str | None = None
    starred: bool = False
    trashed: bool = False


@dataclass(frozen=True)
class SearchFilters:
    """Filters of a search; dates are local calendar days, both ends included."""

    tags: tuple[str, ...] = ()
    emotions: tuple[str, ...] = ()
    encounter: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    kinds: tuple[str, ...] = ()
    starred: bool | None = None
    trashed: bool = False


@dataclass
class SearchHit:
    id: str
    score: float
    #: Text around the best match; highlighted words are wrapped in HIGHLIGHT_OPEN/CLOSE.
    snippet: str = ""
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def marked(self, open_mark: str, close_mark: str) -> str:
        return self.snippet.replace(HIGHLIGHT_OPEN, open_mark).replace(HIGHLIGHT_CLOSE, close_mark)


def _local_day_start(day: date) -> float:
    try:
        return datetime.combine(day, time.min).astimezone().timestamp()
    except (OverflowError, ValueError, OSError):  # year 1 or 9999 beyond what local time covers
        return float("-inf") if day.year < 5000 else float("inf")


def _text_hash(doc: IndexDoc) -> bytes:
    """What identifies the text a document was indexed with (title, body and tags)."""
    digest = hashlib.sha256()
    for part in (doc.title, doc.body, *doc.tags):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.digest()


def _conditions(filters: SearchFilters) -> tuple[str, list[object]]:
    """The SQL condition on ``docs d`` for ``filters``, and its parameters."""
    where = ["d.trashed = ?"]
    params: list[object] = [int(filters.trashed)]
    for tag in filters.tags:
        where.append("d.rowid IN (SELECT doc FROM doc_tags WHERE tag = ?)")
        params.append(tag)
    for name in filters.emotions:
        where.append("d.rowid IN (SELECT doc FROM doc_emotions WHERE name = ?)")
        params.append(name)
    if filters.encounter:
        where.append("d.encounter = ?")
        params.append(filters.encounter)
    if filters.kinds:
        where.append(f"d.kind IN ({','.join('?' * len(filters.kinds))})")
        params.extend(filters.kinds)
    if filters.starred is not None:
        where.append("d.starred = ?")
        params.append(int(filters.starred))
    if filters.date_from:
        where.append("d.created >= ?")
        params.append(_local_day_start(filters.date_from))
    if filters.date_to and filters.date_to < date.max:
        where.append("d.created < ?")
        params.append(_local_day_start(filters.date_to + timedelta(days=1)))
    # Only fixed SQL and '?' placeholders are joined here; values go in as parameters.
    return " AND ".join(where), params


def _limit_sql(limit: int | None) -> str:
    return "" if limit is None else f" LIMIT {int(limit)}"


class IndexFormatError(Exception):
    """A snapshot that is not an index of this format (rebuild it)."""


class SearchIndex:
    """An in-memory FTS5 index of searchable records."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        # Freed pages are zeroed: the serialized index must not carry removed text along.
        conn.execute("PRAGMA secure_delete=ON")
        self._db = conn
        self.changes = 0  # documents changed since the last snapshot
        #: Rowids of the documents out of the trash, newest first, and of those in the trash
        #: (None: to be read again).
        self._order: list[int] | None = None
        self._trashed: set[int] | None = None
        #: Rows each term matches (see :meth:`term_rows`), until the index changes.
        self._term_rows: dict[str, int] = {}
        self._searched = 0  # queries listed newest first since the index changed

    @classmethod
    def new(cls) -> SearchIndex:
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        conn.executescript(_SCHEMA)
        return cls(conn)

    @classmethod
    def from_bytes(cls, data: bytes) -> SearchIndex:
        if not data:  # deserialize() raises MemoryError for no bytes
            raise IndexFormatError
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        try:
            conn.deserialize(data)
            fmt = conn.execute("SELECT value FROM info WHERE key='format'").fetchone()
            if fmt is None or fmt[0] != INDEX_FORMAT:
                raise IndexFormatError
            # Not count(*) over fts: on a contentless table it walks the whole index. The
            # snapshot is authenticated, so the format row is check enough.
            conn.execute("SELECT count(*) FROM docs").fetchone()
        except (sqlite3.DatabaseError, IndexFormatError):
            conn.close()
            raise IndexFormatError from None
        return cls(conn)

    def to_bytes(self) -> bytes:
        """The index as bytes (to be sealed), merged and compacted first."""
        db = self._db
        self._order = None
        self._trashed = None
        self._searched = 0
        db.execute("INSERT INTO fts(fts) VALUES('optimize')")
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        if pages and free / pages > 0.2:
            # temp_store=MEMORY: VACUUM's working copy must not spill clear text to a temp file.
            db.execute("PRAGMA temp_store=MEMORY")
            db.execute("VACUUM")
        return db.serialize()

    def close(self) -> None:
        self._db.close()

    def state(self) -> dict[str, int]:
        """``id -> seq`` of every indexed record."""
        return dict(self._db.execute("SELECT id, seq FROM docs").fetchall())

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def created_times(self) -> dict[str, float]:
        """``id -> created`` (a POSIX timestamp) of every indexed record (salvage dates what it
        lost from these)."""
        return {str(i): float(t) for i, t in self._db.execute("SELECT id, created FROM docs")}

    @property
    def dead(self) -> int:
        """Tombstones: index rows whose document is gone."""
        return int(self._db.execute("SELECT value FROM info WHERE key='dead'").fetchone()[0])

    def update(
        self,
        upserts: Iterable[IndexDoc] = (),
        removals: Iterable[str] = (),
        old: dict[str, IndexDoc] | None = None,
    ) -> None:
        """Index ``upserts`` and drop ``removals``.

        ``old`` holds the previously indexed version of documents, where the caller has it (or
        any version that may have the same text): a row is removed from the contentless index
        only when that version's text is exactly what was indexed (same hash); otherwise it
        becomes a tombstone.
        """
        db = self._db
        old = old or {}
        dead = 0
        self._order = None
        self._trashed = None
        self._searched = 0
        self._term_rows = {}
        db.execute("BEGIN")
        try:
            for record_id in removals:
                dead += self._remove(record_id, old.get(record_id))
            for doc in upserts:
                dead += self._remove(doc.id, old.get(doc.id))
                cur = db.execute(
                    "INSERT INTO docs(id, seq, kind, created, starred, encounter, trashed,"
                    " text_hash) VALUES (?,?,?,?,?,?,?,?)",
                    (doc.id, doc.seq, doc.kind, doc.created.timestamp(), int(doc.starred),
                     doc.encounter, int(doc.trashed), _text_hash(doc)),
                )
                rowid = cur.lastrowid
                db.executemany(
                    "INSERT INTO doc_tags VALUES (?,?)", [(rowid, t) for t in doc.tags]
                )
                db.executemany(
                    "INSERT INTO doc_emotions VALUES (?,?)", [(rowid, e) for e in doc.emotions]
                )
                db.execute(
                    "INSERT INTO fts(rowid, title, body, tags) VALUES (?,?,?,?)",
                    (rowid, doc.title, doc.body, " ".join(doc.tags)),
                )
                self.changes += 1
            if dead:
                db.execute("UPDATE info SET value = value + ? WHERE key='dead'", (dead,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _remove(self, record_id: str, previous: IndexDoc | None) -> int:
        """Remove a document; returns 1 when it leaves a tombstone in the FTS table."""
        row = self._db.execute(
            "SELECT rowid, text_hash FROM docs WHERE id=?", (record_id,)
        ).fetchone()
        if row is None:
            return 0
        rowid, text_hash = row
        tombstone = 1
        if previous is not None and _text_hash(previous) == text_hash:
            # Contentless FTS5 removes a row only given exactly the text it indexed.
            self._db.execute(
                "INSERT INTO fts(fts, rowid, title, body, tags) VALUES('delete', ?, ?, ?, ?)",
                (rowid, previous.title, previous.body, " ".join(previous.tags)),
            )
            tombstone = 0
        self._db.execute("DELETE FROM doc_tags WHERE doc=?", (rowid,))
        self._db.execute("DELETE FROM doc_emotions WHERE doc=?", (rowid,))
        self._db.execute("DELETE FROM docs WHERE rowid=?", (rowid,))
        self.changes += 1
        return tombstone

    def search(
        self, query: Query, filters: SearchFilters = SearchFilters(), limit: int | None = 50,
        rank_up_to: int | None = None,
    ) -> list[SearchHit]:
        """Ranked hits (best first) for ``query``; with an empty query, newest first (the first
        page of :meth:`find`)."""
        return self.find(query, filters, limit, rank_up_to).hits

    def find(
        self, query: Query, filters: SearchFilters = SearchFilters(), limit: int | None = 50,
        rank_up_to: int | None = None,
    ) -> Found:
        """The hits for ``query`` (at most ``limit``), with how many match in all.

        With an empty query, newest first. Otherwise ranked by relevance (bm25), unless
        ``rank_up_to`` is given and more entries than that match: then newest first. Ranking
        computes bm25 for every match before the first page, so a common word or a short
        word start at 100,000 entries would cost a third of a second; newest first costs the
        match and a sort by date. The total is counted only with ``rank_up_to`` (or with an
        empty query); otherwise it is the number of hits returned.
        """
        condition, params = _conditions(filters)
        limit_sql = _limit_sql(limit)
        if not query:
            rows = self._db.execute(
                f"SELECT d.id FROM docs d WHERE {condition}"
                f" ORDER BY d.created DESC, d.id DESC{limit_sql}", params,
            ).fetchall()
            count = len(rows)
            if limit is not None and count >= limit:
                count = int(self._db.execute(
                    f"SELECT count(*) FROM docs d WHERE {condition}", params).fetchone()[0])
            return Found([SearchHit(id=r[0], score=0.0) for r in rows], count, False)
        match = query.to_match()
        matched = f"FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? AND {condition}"
        total: int | None = None
        if rank_up_to is not None:
            # Every match, unranked (no bm25), to count them and choose the order.
            if filters == SearchFilters():
                # Only the rowids of the matches (no join; one string, not a row each: at
                # 100,000 entries a common word start matches 60,000), walked in the order
                # of the list.
                matches = self._matching(match)
                total = self._visible(matches)
                if total > rank_up_to:
                    first = self._first_of(match, matches, limit)
                    return Found([SearchHit(id=doc, score=0.0) for _c, doc in first], total,
                                 False)
            else:
                rows = self._db.execute(f"SELECT d.id, d.created {matched}",
                                        [match, *params]).fetchall()
                total = len(rows)
                if total > rank_up_to:
                    rows.sort(key=lambda r: (r[1], r[0]), reverse=True)
                    shown = rows if limit is None else rows[: max(0, limit)]
                    return Found([SearchHit(id=r[0], score=0.0) for r in shown], total, False)
        ranked = self._db.execute(
            f"SELECT d.id, fts.rank {matched} ORDER BY fts.rank{limit_sql}", [match, *params],
        ).fetchall()
        hits = [SearchHit(id=record_id, score=round(-float(rank), 4))
                for record_id, rank in ranked]
        return Found(hits, len(hits) if total is None else total, True)

    def _newest_first(self) -> list[int]:
        """Rowids of the documents not in the trash, newest first (as the list shows them),
        kept until the index changes."""
        if self._order is None:
            self._order = [r for (r,) in self._db.execute(
                "SELECT rowid FROM docs WHERE trashed = 0 ORDER BY created DESC, id DESC")]
        return self._order

    def _in_trash(self) -> set[int]:
        """Rowids of the documents in the trash, kept until the index changes."""
        if self._trashed is None:
            self._trashed = {r for (r,) in self._db.execute(
                "SELECT rowid FROM docs WHERE trashed = 1")}
        return self._trashed

    def _matching(self, match: str) -> set[int]:
        """The rowids that ``match`` (an FTS5 expression) matches, tombstones included."""
        (joined,) = self._db.execute(
            "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", [match]).fetchone()
        return set(map(int, joined.split(","))) if joined else set()

    def _visible(self, matches: set[int]) -> int:
        """How many of ``matches`` are documents out of the trash."""
        if self.dead:
            # A tombstone's rowid still matches, with no document behind it.
            return sum(1 for rowid in self._newest_first() if rowid in matches)
        return len(matches) - len(matches & self._in_trash())

    def fts_rows(self) -> int:
        """Rows in the FTS table (documents and tombstones): bm25's number of rows."""
        return len(self) + self.dead

    def term_rows(self, term: Term) -> int:
        """Rows of the FTS table that ``term`` matches (bm25's count for its weight), kept
        until the index changes (typing adds words to a query: the first ones are counted
        once)."""
        match = term.to_match()
        found = self._term_rows.get(match)
        if found is None:
            found = self._term_rows[match] = int(self._db.execute(
                "SELECT count(*) FROM fts WHERE fts MATCH ?", [match]).fetchone()[0])
        return found

    def _first_of(self, match: str, matches: set[int], limit: int | None
                  ) -> list[tuple[float, str]]:
        """``(created, id)`` of the newest ``limit`` documents out of the trash among
        ``matches`` (what ``match`` matches), newest first.

        From the order of every document, kept until the index changes (read once, it makes
        each later query a walk that stops at the page: the search box); for the first query
        since a change, SQLite walks the dates against the match itself (a command's one
        query need not read the order of every document)."""
        self._searched += 1
        if self._order is None and self._searched < 2:
            return [(float(c), str(i)) for c, i in self._db.execute(
                "SELECT created, id FROM docs WHERE trashed = 0"
                " AND rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
                f" ORDER BY created DESC, id DESC{_limit_sql(limit)}", [match])]
        page = []
        for rowid in self._newest_first():
            if rowid in matches:
                page.append(rowid)
                if limit is not None and len(page) >= limit:
                    break
        found: dict[int, tuple[float, str]] = {}
        for start in range(0, len(page), 500):
            chunk = page[start : start + 500]
            found.update((r, (c, i)) for r, c, i in self._db.execute(
                f"SELECT rowid, created, id FROM docs WHERE rowid IN"
                f" ({','.join('?' * len(chunk))})", chunk))
        return [found[r] for r in page]


@dataclass
class Found:
    """What :meth:`SearchIndex.find` found: the hits asked for, in order, how many entries
    match in all, and whether the hits are ranked by relevance (else newest first)."""

    hits: list[SearchHit]
    total: int
    ranked: bool


#: Documents in a segment of the index: the newest segment takes new documents until it holds
#: this many, then a new one is started (a change re-seals only the segments it touched).
SEGMENT_DOCS = 8000


def _idf(rows: int, hits: int) -> float:
    """bm25's weight of a term matching ``hits`` of ``rows`` rows, as FTS5 computes it."""
    weight = math.log((rows - hits + 0.5) / (hits + 0.5))
    return weight if weight > 0 else 1e-6


class SegmentedIndex:
    """The search index in segments: each an in-memory :class:`SearchIndex` of a few thousand
    documents, sealed in a blob of its own (see :mod:`.indexing`).

    A document stays in the segment it was first indexed in (a new version replaces the old
    one there); a new document goes to the newest segment, or starts a new one when that one
    is full (:data:`SEGMENT_DOCS`). So segments follow the order documents arrived in, and a
    change (an entry written, edited, trashed or removed for good) touches the one or two
    segments that hold it: only those are marked :attr:`dirty` and sealed again.

    Queries run in every segment and their results are merged: newest first by (created, id),
    as one index would; ranked hits by bm25 computed with the whole index's weights (see
    :meth:`_rank_factors`), so that a word rare in one segment and common in another ranks its
    hits as one index would.
    """

    def __init__(self, segments: dict[int, SearchIndex] | None = None) -> None:
        self.segments: dict[int, SearchIndex] = dict(segments or {})
        #: Segments changed since they were last sealed.
        self.dirty: set[int] = set()
        self._home: dict[str, int] | None = None  # id -> its segment (read when first needed)
        #: What is sealed in the vault of this index (see :mod:`.sealedindex`): the name each
        #: segment is sealed under, the write counter at which they were known to match the
        #: file's rows, and whether every segment of the directory opened.
        self.sealed_as: dict[int, str] = {}
        self.synced_at: int | None = None
        self.complete = True

    @classmethod
    def new(cls) -> SegmentedIndex:
        return cls()

    # ------------------------------------------------------------ the whole index

    def close(self) -> None:
        for segment in self.segments.values():
            segment.close()

    def state(self) -> dict[str, int]:
        """``id -> seq`` of every indexed record."""
        found: dict[str, int] = {}
        for segment in self.segments.values():
            found.update(segment.state())
        return found

    def __len__(self) -> int:
        return sum(len(s) for s in self.segments.values())

    def created_times(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for segment in self.segments.values():
            found.update(segment.created_times())
        return found

    @property
    def dead(self) -> int:
        """Tombstones in every segment."""
        return sum(s.dead for s in self.segments.values())

    @property
    def changes(self) -> int:
        """Documents changed since the segments were last sealed."""
        return sum(s.changes for s in self.segments.values())

    def sealed(self) -> None:
        """Every segment was sealed as it is now."""
        for segment in self.segments.values():
            segment.changes = 0
        self.dirty.clear()

    def to_bytes(self, number: int) -> bytes:
        """Segment ``number`` as bytes (to be sealed)."""
        return self.segments[number].to_bytes()

    # ------------------------------------------------------------ changing

    def _homes(self) -> dict[str, int]:
        if self._home is None:
            self._home = {doc: number for number, segment in self.segments.items()
                          for doc in segment.state()}
        return self._home

    def update(
        self,
        upserts: Iterable[IndexDoc] = (),
        removals: Iterable[str] = (),
        old: dict[str, IndexDoc] | None = None,
    ) -> None:
        """Index ``upserts`` and drop ``removals`` (see :meth:`SearchIndex.update`), each in
        the segment that holds it; a new document in the newest segment, or a new one."""
        upserts = list(upserts)
        removals = list(removals)
        if not upserts and not removals:
            return  # a write of records the index does not hold (the app's state, a check-in)
        homes = self._homes()
        self.synced_at = None
        per: dict[int, tuple[list[IndexDoc], list[str]]] = {}
        sizes: dict[int, int] = {}
        newest = max(self.segments, default=-1)
        for record_id in removals:
            if (number := homes.get(record_id)) is not None:
                per.setdefault(number, ([], []))[1].append(record_id)
        for doc in upserts:
            number = homes.get(doc.id)
            if number is None:
                if newest not in sizes:
                    sizes[newest] = len(self.segments[newest]) if newest >= 0 else SEGMENT_DOCS
                if sizes[newest] >= SEGMENT_DOCS:
                    newest += 1
                    self.segments[newest] = SearchIndex.new()
                    sizes[newest] = 0
                number = newest
                sizes[number] += 1
                homes[doc.id] = number
            per.setdefault(number, ([], []))[0].append(doc)
        for number, (docs, gone) in sorted(per.items()):
            self.segments[number].update(docs, gone, old)
            self.dirty.add(number)
            for record_id in gone:
                homes.pop(record_id, None)

    def segment_of(self, record_id: str) -> int | None:
        return self._homes().get(record_id)

    def replace(self, number: int, fresh: SearchIndex) -> SearchIndex:
        """Put ``fresh`` in place of segment ``number`` (a segment rebuilt); returns the one
        it replaced (closed by the caller)."""
        old = self.segments[number]
        self.segments[number] = fresh
        self.dirty.add(number)
        self._home = None
        return old

    def drop_empty(self) -> list[int]:
        """Forget the segments that hold nothing (their sealed blobs go at the next seal)."""
        empty = [n for n, s in self.segments.items()
                 if n != max(self.segments) and not len(s) and not s.dead]
        for number in empty:
            self.segments.pop(number).close()
            self.dirty.discard(number)
        return empty

    # ------------------------------------------------------------ searching

    def search(
        self, query: Query, filters: SearchFilters = SearchFilters(), limit: int | None = 50,
        rank_up_to: int | None = None,
    ) -> list[SearchHit]:
        return self.find(query, filters, limit, rank_up_to).hits

    def find(
        self, query: Query, filters: SearchFilters = SearchFilters(), limit: int | None = 50,
        rank_up_to: int | None = None,
    ) -> Found:
        """What :meth:`SearchIndex.find` finds, over every segment."""
        segments = list(self.segments.values())
        if not segments:
            return Found([], 0, bool(query))
        if len(segments) == 1:
            return segments[0].find(query, filters, limit, rank_up_to)
        condition, params = _conditions(filters)
        limit_sql = _limit_sql(limit)
        if not query:
            rows: list[tuple[float, str]] = []
            total = 0
            for segment in segments:
                got = segment._db.execute(
                    f"SELECT d.created, d.id FROM docs d WHERE {condition}"
                    f" ORDER BY d.created DESC, d.id DESC{limit_sql}", params).fetchall()
                rows.extend(got)
                total += len(got) if limit is None or len(got) < limit else int(
                    segment._db.execute(f"SELECT count(*) FROM docs d WHERE {condition}",
                                        params).fetchone()[0])
            return Found(self._newest(rows, limit), total, False)
        match = query.to_match()
        matched = f"FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? AND {condition}"
        total_found: int | None = None
        ranking = segments  # the segments with a match (all, when not known)
        if rank_up_to is not None:
            # Every match, unranked, to count them and choose the order (as one index does:
            # see SearchIndex.find), segment by segment.
            if filters == SearchFilters():
                matches = [segment._matching(match) for segment in segments]
                if len(query.terms) == 1:  # what the weights count, known already
                    for segment, found in zip(segments, matches, strict=True):
                        segment._term_rows[match] = len(found)
                total_found = sum(segment._visible(found)
                                  for segment, found in zip(segments, matches, strict=True))
                ranking = [s for s, found in zip(segments, matches, strict=True) if found]
                if total_found > rank_up_to:
                    rows = []
                    for segment, found in zip(segments, matches, strict=True):
                        rows.extend(segment._first_of(match, found, limit))
                    return Found(self._newest(rows, limit), total_found, False)
            else:
                rows = []
                ranking = []
                for segment in segments:
                    got = segment._db.execute(f"SELECT d.created, d.id {matched}",
                                              [match, *params]).fetchall()
                    if got:
                        ranking.append(segment)
                    rows.extend(got)
                total_found = len(rows)
                if total_found > rank_up_to:
                    return Found(self._newest(rows, limit), total_found, False)
            if not total_found:
                return Found([], 0, True)
        factors = dict(zip(map(id, segments), self._rank_factors(query, segments), strict=True))
        ranked: list[tuple[float, str]] = []
        for segment in ranking:
            factor = factors[id(segment)]
            ranked.extend((float(rank) * factor, doc) for doc, rank in segment._db.execute(
                f"SELECT d.id, fts.rank {matched} ORDER BY fts.rank{limit_sql}",
                [match, *params]))
        ranked.sort()
        if limit is not None:
            ranked = ranked[: max(0, limit)]
        hits = [SearchHit(id=doc, score=round(-rank, 4)) for rank, doc in ranked]
        return Found(hits, len(hits) if total_found is None else total_found, True)

    @staticmethod
    def _newest(rows: list[tuple[float, str]], limit: int | None) -> list[SearchHit]:
        rows.sort(reverse=True)
        shown = rows if limit is None else rows[: max(0, limit)]
        return [SearchHit(id=doc, score=0.0) for _c, doc in shown]

    @staticmethod
    def _rank_factors(query: Query, segments: Sequence[SearchIndex]) -> list[float]:
        """For each segment, what turns its bm25 scores into the whole index's.

        FTS5's bm25 weighs each term by how rare it is among the rows of its own table: a
        segment where a word is rare would rank its hits above another's where the word is
        common. Each term's weight over the whole index (its rows and matches summed over
        the segments) against its weight in the segment gives the factor: exact for one term
        (apart from the average length of a document, which differs a little between
        segments), the ratio of the summed weights for several.
        """
        rows = [segment.fts_rows() for segment in segments]
        hits = [[segment.term_rows(term) for term in query.terms] for segment in segments]
        all_rows = sum(rows)
        whole = sum(_idf(all_rows, sum(h[t] for h in hits)) for t in range(len(query.terms)))
        return [whole / sum(_idf(n, h) for h in its) for n, its in zip(rows, hits, strict=True)]


# --------------------------------------------------------------------------------------------
# Snippets, cut in Python from the record's own text

_TOKEN = re.compile(r"[^\W_]+")
SNIPPET_TOKENS = 16


def fold(text: str) -> str:
    """Case- and accent-folded text, as the index's tokenizer compares it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _term_tokens(term: Term) -> list[str]:
    return [fold(t) for t in _TOKEN.findall(term.text)]


def _matches(tokens: list[str], query: Query) -> list[tuple[int, int, int]]:
    """``(first token, last token + 1, term number)`` of every place a term matches."""
    found: list[tuple[int, int, int]] = []
    for number, term in enumerate(query.terms):
        wanted = _term_tokens(term)
        if not wanted:
            continue
        head, last, n = wanted[0], wanted[-1], len(wanted)
        if n == 1:
            starts = ([i for i, t in enumerate(tokens) if t.startswith(head)] if term.prefix
                      else [i for i, t in enumerate(tokens) if t == head])
        else:
            starts = [
                i for i, t in enumerate(tokens[: len(tokens) - n + 1])
                if t == head and tokens[i + 1 : i + n - 1] == wanted[1:-1]
                and (tokens[i + n - 1].startswith(last) if term.prefix
                     else tokens[i + n - 1] == last)
            ]
        found.extend((i, i + n, number) for i in starts)
    return found


def make_snippet(query: Query, title: str, body: str,
                 width: int = SNIPPET_TOKENS) -> tuple[str, list[tuple[int, int]]]:
    """A short piece of ``body`` (or ``title``) around the best match, with the matched words
    wrapped in HIGHLIGHT_OPEN/CLOSE, and their spans in the snippet without markers."""
    for text in (body, title):
        if text.isascii():
            # lower() is the whole fold of ASCII text and keeps every position.
            found_tokens = list(_TOKEN.finditer(text.lower()))
            spans = [m.span() for m in found_tokens]
            tokens = [m.group() for m in found_tokens]
        else:
            spans = [m.span() for m in _TOKEN.finditer(text)]
            tokens = [t.lower() if t.isascii() else fold(t)
                      for t in (text[a:b] for a, b in spans)]
        found = _matches(tokens, query) if query else []
        if not found:
            continue
        best_start, best_score = 0, -1
        for first, _end, _n in found:
            start = max(0, first - 3)
            covered = {n for f, e, n in found if f >= start and e <= start + width}
            if len(covered) > best_score:
                best_start, best_score = start, len(covered)
        return _cut(text, spans, best_start, width, found)
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(body or title)]
    return _cut(body or title, spans, 0, width, [])


def _cut(text: str, spans: list[tuple[int, int]], start: int, width: int,
         found: list[tuple[int, int, int]]) -> tuple[str, list[tuple[int, int]]]:
    if not spans:
        return "", []
    end = min(len(spans), start + width)
    marks = sorted((f, e) for f, e, _n in found if f >= start and e <= end)
    out: list[str] = ["…"] if start > 0 else []
    pos = spans[start][0] if start > 0 else 0
    for f, e in marks:
        a, b = spans[f][0], spans[e - 1][1]
        if a < pos:
            continue  # overlapping matches: the first one is marked
        out.append(text[pos:a])
        out.append(HIGHLIGHT_OPEN + text[a:b] + HIGHLIGHT_CLOSE)
        pos = b
    out.append(text[pos : spans[end - 1][1] if end < len(spans) else len(text)])
    if end < len(spans):
        out.append("…")
    snippet = " ".join("".join(out).split())  # line breaks and runs of spaces fold to one
    return snippet, _spans(snippet)


def _spans(snippet: str) -> list[tuple[int, int]]:
    """Character spans of highlighted words in the snippet with its markers removed."""
    spans = []
    plain_pos = 0
    start = 0
    for ch in snippet:
        if ch == HIGHLIGHT_OPEN:
            start = plain_pos
        elif ch == HIGHLIGHT_CLOSE:
            spans.append((start, plain_pos))
        else:
            plain_pos += 1
    return spans


def plain_snippet(snippet: str) -> str:
    return snippet.replace(HIGHLIGHT_OPEN, "").replace(HIGHLIGHT_CLOSE, "")
