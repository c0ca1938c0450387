"""Each article's extraction records, kept beside the store (``records.sqlite`` in the
store folder).

The graph of an article is a function of its records and of the corpus around it: who
"GM" is, or which Wikidata item a name was linked to, is decided over all articles
(kg.build.identity). Keeping the records lets the build re-map an article whose
identities changed without running spaCy again, and lets ``kg link`` read the names to
link without parsing RDF.

Tables: ``records`` (article id -> stamp, the record as zlib-compressed JSON, and the
digest of the identity changes its graph was mapped with) and ``names`` (one row per
named entity of an article: what the identity step reads, without unpacking records).
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path
from typing import Iterator

from kg.errors import StoreError
from kg.records import VALUE_KINDS, ArticleRecord

FILE_NAME = "records.sqlite"
# The identity digest of a record whose graph the store does not hold yet (the build
# writes graphs once it knows the corpus-wide identities): never a digest
# (kg.build.identity.digest gives "" or 16 hex digits), so the graph is always written.
PENDING = "pending"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    article TEXT PRIMARY KEY, stamp TEXT NOT NULL, record BLOB NOT NULL, identity TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS names (
    article TEXT NOT NULL, entity TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
    label TEXT NOT NULL, alt_labels TEXT NOT NULL, PRIMARY KEY (article, entity));
CREATE INDEX IF NOT EXISTS names_key ON names (key);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
"""


def pack(rec: ArticleRecord) -> bytes:
    """A record as stored (made on workers, beside the graph). zlib level 1: a fifth of
    level 6's CPU (~9 ms per news article at 6) for a few per cent more bytes."""
    return zlib.compress(rec.to_json().encode("utf-8", "surrogatepass"), 1)


def unpack(data: bytes) -> ArticleRecord:
    return ArticleRecord.from_dict(json.loads(zlib.decompress(data).decode("utf-8", "surrogatepass")))


def name_rows(article_id: str, rec: ArticleRecord) -> list[tuple[str, str, str, str, str, str]]:
    """(article, entity id, kind, key, label, alt labels as JSON) of each named entity."""
    return [(article_id, e.id, e.kind, e.key, e.label, json.dumps(e.alt_labels, ensure_ascii=False))
            for e in rec.entities if e.key and e.kind not in VALUE_KINDS]


class RecordStore:
    """The records of the articles of one store. One writer at a time (the build's)."""

    def __init__(self, store_dir: Path | str, create: bool = True):
        self.path = Path(store_dir) / FILE_NAME
        if not create and not self.path.exists():
            self.db = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot open the record store: {exc}") from exc
        self.db.executescript(_SCHEMA)

    def __enter__(self) -> "RecordStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def put(self, article_id: str, stamp: str, packed: bytes, identity: str = "",
            rows: list[tuple] | None = None) -> None:
        """Store an article's record (``pack``), replacing what the article had. ``rows``:
        its ``name_rows``, if the caller has the record unpacked (the build's workers do:
        unpacking here again cost the writer ~3 ms per article)."""
        if rows is None:
            rows = name_rows(article_id, unpack(packed))
        with self._transaction():
            self._delete(article_id)
            self.db.execute("INSERT INTO records VALUES (?, ?, ?, ?)", (article_id, stamp, packed, identity))
            self.db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)", rows)

    def forget(self, article_id: str) -> None:
        with self._transaction():
            self._delete(article_id)

    def get(self, article_id: str) -> ArticleRecord | None:
        row = self.db.execute("SELECT record FROM records WHERE article = ?", (article_id,)).fetchone()
        return unpack(row[0]) if row else None

    def items(self) -> Iterator[tuple[str, ArticleRecord]]:
        """(article id, record) of every article, sorted by id."""
        for aid, data in self.db.execute("SELECT article, record FROM records ORDER BY article").fetchall():
            yield aid, unpack(data)

    def stamps(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT article, stamp FROM records"))

    def identities(self) -> dict[str, str]:
        """Article id -> digest of the identity changes its stored graph was mapped with."""
        return dict(self.db.execute("SELECT article, identity FROM records"))

    def set_identity(self, article_id: str, digest: str) -> None:
        self.db.execute("UPDATE records SET identity = ? WHERE article = ?", (digest, article_id))

    def settled(self) -> bool:
        """Whether the store's graphs carry the corpus-wide identities of its articles as
        they are: set once ``kg.build.run.settle_identities`` has written them, cleared
        before anything changes an article (``set_settled``). A build with nothing to
        change skips the identity step then (it reads every name of the corpus). A store
        an older kg made has no mark: not settled."""
        row = self.db.execute("SELECT v FROM meta WHERE k = 'settled'").fetchone()
        return row is not None and row[0] == "1"

    def set_settled(self, settled: bool) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('settled', ?)", ("1" if settled else "0",))

    def names(self) -> Iterator[tuple[str, str, str, str, str, list[str]]]:
        """(article, entity id, kind, key, label, alt labels) of every named entity, sorted."""
        for a, e, kind, key, label, alts in self.db.execute(
                "SELECT article, entity, kind, key, label, alt_labels FROM names ORDER BY article, entity"):
            yield a, e, kind, key, label, json.loads(alts)

    def _delete(self, article_id: str) -> None:
        self.db.execute("DELETE FROM records WHERE article = ?", (article_id,))
        self.db.execute("DELETE FROM names WHERE article = ?", (article_id,))

    def _transaction(self):
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN")

    def __exit__(self, exc_type, *exc) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")

