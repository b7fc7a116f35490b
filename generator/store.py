"""The build's working store: one SQLite database (the standard library's ``sqlite3``) in the
build's scratch folder, written by the process that runs the records stage and cross-linking, and
read by the render workers through connections of their own.

Tables (``SCHEMA``):

- ``chunks``: each chunk of record files read (its cache key, its files' statuses, the declared
  identifiers of its records, pickled for the leak audit).
- ``records``: each record that became a determination, by chunk and place in it: its file, public
  id, case key, record cache key, recency and card (pickled ``cards.Card``).
- ``previous_ids``, ``problems``, ``withheld``: what the records stage reports.
- ``site``: the published determinations in the site's order (``place``: newest first, ties by
  public id), with their record cache key and what a listing row shows (their cards stay in
  ``records``).
- ``items``: each published item as listings, figures and related determinations show it (its
  guidelines and sections, space-separated ids, as the figures count them).
- ``members``: which group (kind, key) each item belongs to, and on which side (``REVIEWER``,
  ``CLAIMS``): listings are ``ORDER BY place`` on it, figures ``GROUP BY``.
- ``relations``: the relation keys (treatment and the reviewer's first guideline) of each
  determination, for its related determinations.
- ``used_keys``: the build cache's entries this build used (the others are pruned).

Pages, search shards and exports stay files; the store holds what they are made from.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from generator.cards import Card
from generator.exceptions import RecordProblem, WithheldRecord
from generator.records import RecordKey, duplicate_case_problems
from generator.settings import STORE_CACHE_KIB

if TYPE_CHECKING:
    from generator.stages import ReadResult

PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL
REVIEWER, CLAIMS = 1, 2
"""The sides of a membership: the IMR reviewer cited the group's guideline, the claims
administrator did (other kinds of group have the reviewer's side only)."""

SCHEMA = """
CREATE TABLE chunks (
    chunk INTEGER PRIMARY KEY, chunk_key TEXT NOT NULL, statuses BLOB, identifiers BLOB NOT NULL
);
CREATE TABLE records (
    chunk INTEGER NOT NULL, seq INTEGER NOT NULL, path TEXT NOT NULL, public_id TEXT NOT NULL,
    case_key TEXT NOT NULL, source BLOB NOT NULL, recency INTEGER NOT NULL, year INTEGER,
    item_count INTEGER NOT NULL, outcome TEXT NOT NULL, specialty TEXT, card BLOB NOT NULL,
    PRIMARY KEY (chunk, seq)
);
CREATE TABLE previous_ids (public_id TEXT NOT NULL, previous_id TEXT NOT NULL);
CREATE TABLE problems (chunk INTEGER NOT NULL, problem BLOB NOT NULL);
CREATE TABLE withheld (chunk INTEGER NOT NULL, record BLOB NOT NULL);
CREATE TABLE excluded (public_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE site (
    place INTEGER PRIMARY KEY, chunk INTEGER NOT NULL, seq INTEGER NOT NULL,
    public_id TEXT NOT NULL, source BLOB NOT NULL, year INTEGER, item_count INTEGER NOT NULL,
    outcome TEXT NOT NULL, specialty TEXT
);
CREATE TABLE items (
    place INTEGER NOT NULL, number INTEGER NOT NULL, overturned INTEGER NOT NULL,
    text TEXT NOT NULL, treatment TEXT, guideline TEXT, guidelines TEXT NOT NULL,
    sections TEXT NOT NULL, claims_guidelines TEXT NOT NULL, PRIMARY KEY (place, number)
) WITHOUT ROWID;
CREATE TABLE members (
    kind TEXT NOT NULL, key TEXT NOT NULL, place INTEGER NOT NULL, number INTEGER NOT NULL,
    side INTEGER NOT NULL
);
CREATE TABLE relations (
    key TEXT NOT NULL, place INTEGER NOT NULL, ordinal INTEGER NOT NULL
);
CREATE TABLE used_keys (key TEXT PRIMARY KEY) WITHOUT ROWID;
"""
INDEXES = """
CREATE INDEX members_of_group ON members (kind, key, place, number, side);
CREATE INDEX members_of_item ON members (place, number, kind);
CREATE INDEX relations_by_key ON relations (key, place);
CREATE INDEX relations_of_place ON relations (place, ordinal);
"""
"""Made once the site's tables are filled (faster than keeping them up to date row by row)."""


class Store:
    """The working store of one build. The process that makes it writes; any process may read,
    each through its own connection (opened on first use in that process: a connection must not
    cross a fork)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._inherited: sqlite3.Connection | None = None
        self._pid = 0

    @classmethod
    def create(cls, folder: Path) -> Store:
        """A new, empty store in ``folder`` (the build's scratch folder)."""
        store = cls(folder / "build.sqlite")
        store.path.unlink(missing_ok=True)
        store.db.executescript(SCHEMA)
        return store

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]

    @property
    def db(self) -> sqlite3.Connection:
        """This process's connection."""
        if self._connection is None or self._pid != os.getpid():
            # A connection made before a fork is the parent's: it is kept, never used nor closed
            # here (SQLite's rule for forked processes), and this process opens its own.
            self._inherited = self._connection
            self._connection = sqlite3.connect(self.path, isolation_level=None)
            self._connection.execute("PRAGMA journal_mode = OFF")  # a scratch file: no recovery
            self._connection.execute("PRAGMA synchronous = OFF")
            self._connection.execute("PRAGMA temp_store = FILE")
            self._connection.execute(f"PRAGMA cache_size = -{STORE_CACHE_KIB}")
            self._pid = os.getpid()
        return self._connection

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def query(self, sql: str, *parameters: Any) -> list[Any]:
        """The rows of a query."""
        return self.db.execute(sql, parameters).fetchall()

    def rows(self, sql: str, *parameters: Any) -> Iterator[Any]:
        """The rows of a query, read as they are used: for results too large to hold at once (a
        group's items, a million at most)."""
        return iter(self.db.execute(sql, parameters))

    def column(self, sql: str, *parameters: Any) -> list[Any]:
        """The first value of each row of a query."""
        return [row[0] for row in self.db.execute(sql, parameters)]

    def value(self, sql: str, *parameters: Any) -> Any:
        """The first value of the first row of a query (None if none)."""
        row = self.db.execute(sql, parameters).fetchone()
        return None if row is None else row[0]

    def insert(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        """Insert ``rows`` (each a tuple of the table's columns, in order)."""
        rows = list(rows)
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608 - our table names

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``with store.transaction() as db:`` groups writes into one transaction."""
        self.db.execute("BEGIN")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def add_used_keys(self, keys: Iterable[str]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO used_keys VALUES (?)", ((key,) for key in keys if key)
        )

    def used_keys(self) -> UsedKeys:
        return UsedKeys(self)

    # The records stage: each chunk's result as it arrives, then what the build needs of them.

    def add_chunk(self, result: ReadResult) -> None:
        """Keep what the build needs of a chunk's result (``stages.ReadResult``)."""
        chunk, entry = result.job.number, result.entry
        with self.transaction():
            self.insert("chunks", [(chunk, entry.chunk_key, result.statuses, entry.identifiers)])
            self.insert(
                "records",
                (
                    (chunk, seq, key.source, key.public_id, key.case_key, index_key(source),
                     card.recency, card.year, len(card.items), card.outcome, card.specialty,
                     pickled(card))
                    for seq, (key, card, source) in enumerate(
                        zip(entry.keys, entry.cards, entry.sources, strict=True)
                    )
                ),
            )  # fmt: skip
            self.insert(
                "previous_ids",
                ((key.public_id, old) for key in entry.keys for old in key.previous_ids),
            )
            self.insert("problems", ((chunk, pickled(problem)) for problem in entry.problems))
            self.insert("withheld", ((chunk, pickled(record)) for record in entry.withheld))
            self.add_used_keys(entry.cache_keys)

    def problems(self) -> list[RecordProblem]:
        """Every problem the records have, in file order by chunk: their own, and those of case
        numbers or public ids two records share."""
        found = [unpickled(data) for data in self.column(PROBLEMS_IN_ORDER)]
        return found + self._shared_case_problems()

    def _shared_case_problems(self) -> list[RecordProblem]:
        shared = self.value(
            "SELECT 1 FROM records GROUP BY case_key HAVING COUNT(*) > 1 UNION ALL "
            "SELECT 1 FROM records GROUP BY public_id HAVING COUNT(*) > 1 LIMIT 1"
        )
        if shared is None:
            return []
        rows = self.query("SELECT path, public_id, case_key FROM records ORDER BY chunk, seq")
        return duplicate_case_problems(RecordKey(*row) for row in rows)

    def withheld(self) -> tuple[WithheldRecord, ...]:
        """The records the leak audit's screen withheld, in file order."""
        return tuple(sorted(unpickled(data) for data in self.column("SELECT record FROM withheld")))

    def withheld_ids(self, ids: Iterable[str], kind: str) -> tuple[WithheldRecord, ...]:
        """The records of the public ids ``ids`` (found by the audit of a built site), withheld
        as ``kind``."""
        wanted = set(ids)
        rows = self.db.execute("SELECT path, public_id FROM records")
        return tuple(
            sorted(WithheldRecord(path, pid, (kind,)) for path, pid in rows if pid in wanted)
        )

    def ids_of_files(self, files: Iterable[str]) -> frozenset[str]:
        """The public ids of the records read from ``files``."""
        wanted = set(files)
        if not wanted:
            return frozenset()
        rows = self.db.execute("SELECT path, public_id FROM records")
        return frozenset(pid for path, pid in rows if path in wanted)

    def publish(self, excluded: Iterable[str]) -> None:
        """Place every record not ``excluded`` in the site's order: newest first, ties by public
        id (``site``)."""
        with self.transaction():
            self.insert("excluded", ((public_id,) for public_id in sorted(set(excluded))))
            self.db.execute(
                "INSERT INTO site SELECT ROW_NUMBER() OVER (ORDER BY recency DESC, public_id) - 1,"
                " chunk, seq, public_id, source, year, item_count, outcome, specialty FROM records"
                " WHERE public_id NOT IN (SELECT public_id FROM excluded)"
                " ORDER BY recency DESC, public_id"
            )
            self.db.execute("CREATE INDEX site_by_chunk ON site (chunk, seq)")

    def redirects(self) -> tuple[tuple[str, str], ...]:
        """(previous id, current id) of every published record that had other ids, but ids that
        are a current record's own."""
        rows = self.query(
            "SELECT DISTINCT previous_id, public_id FROM previous_ids"
            " WHERE public_id IN (SELECT public_id FROM site)"
            " AND previous_id NOT IN (SELECT public_id FROM records)"
            " ORDER BY previous_id, public_id"
        )
        return tuple((old, new) for old, new in rows)

    def chunk_entries(self) -> Iterator[tuple[int, str, bytes | None, list[bytes]]]:
        """Each chunk read: its number, cache key, files' statuses and records' cache keys (for
        the next build's record index)."""
        for chunk, chunk_key, statuses in self.query(
            "SELECT chunk, chunk_key, statuses FROM chunks ORDER BY chunk"
        ):
            sources = self.column("SELECT source FROM records WHERE chunk = ? ORDER BY seq", chunk)
            yield chunk, chunk_key, statuses, [bytes(source) for source in sources]

    # The published determinations, by their place in the site's order.

    def card(self, place: int) -> Card:
        card: Card = unpickled(self.value(f"{CARDS} WHERE s.place = ?", place))
        return card

    def cards(self, places: Iterable[int] | None = None) -> Iterator[Card]:
        """Every card in the site's order, or those at ``places`` in their order."""
        if places is None:
            for (data,) in self.db.execute(f"{CARDS} ORDER BY s.place"):
                yield unpickled(data)
            return
        for place in places:
            yield self.card(place)

    def source(self, place: int) -> bytes:
        """The record cache key (shortened) of the determination at ``place``."""
        return bytes(self.value("SELECT source FROM site WHERE place = ?", place))

    def sources(self, places: Sequence[int]) -> bytes:
        """The record cache keys of the determinations at ``places``, joined in their order (asked
        for SOURCES_AT_ONCE at a time: SQLite takes at most 32,766 parameters)."""
        found: dict[int, bytes] = {}
        for start in range(0, len(places), SOURCES_AT_ONCE):
            chunk = places[start : start + SOURCES_AT_ONCE]
            sql = f"SELECT place, source FROM site WHERE place IN ({', '.join('?' * len(chunk))})"  # noqa: S608 - only question marks
            found.update(self.query(sql, *chunk))
        return b"".join([bytes(found[place]) for place in places])


SOURCES_AT_ONCE = 10_000
PROBLEMS_IN_ORDER = "SELECT problem FROM problems ORDER BY chunk, rowid"
CARDS = "SELECT r.card FROM site s JOIN records r ON r.chunk = s.chunk AND r.seq = s.seq"
INDEX_KEY_BYTES = 16
"""Records are told apart by the first bytes of their cache key: 128 bits tell them apart."""


def index_key(source: str) -> bytes:
    """A record's cache key, shortened to INDEX_KEY_BYTES."""
    return bytes.fromhex(source[: 2 * INDEX_KEY_BYTES])


class UsedKeys:
    """The build cache's entries a build used (``used_keys``): read by the cache's pruning."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __contains__(self, key: object) -> bool:
        return self.store.value("SELECT 1 FROM used_keys WHERE key = ?", key) is not None

    def __len__(self) -> int:
        return int(self.store.value("SELECT COUNT(*) FROM used_keys"))


class StoredIdentifiers(Sequence[bytes]):
    """Each chunk's declared identifiers, pickled, read from the store when gone through
    (``audit.PickledIdentifiers``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __len__(self) -> int:
        return int(self.store.value("SELECT COUNT(*) FROM chunks"))

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        return list(self)[index]

    def __iter__(self) -> Iterator[bytes]:
        for (data,) in self.store.db.execute("SELECT identifiers FROM chunks ORDER BY chunk"):
            yield bytes(data)


def pickled(value: Any) -> bytes:
    return pickle.dumps(value, PICKLE_PROTOCOL)


def unpickled(data: bytes) -> Any:
    return pickle.loads(data)  # noqa: S301 - written by this build
