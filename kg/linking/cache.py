"""The endpoint's answers, kept beside the store (``links.sqlite`` in the store folder),
so that a rebuild, a re-run after a failure or an offline run asks only about names and
items it has not asked before.

Tables, per endpoint URL: ``names`` (an English name -> the candidate items the endpoint
gave for it, as JSON, and when it was asked) and ``items`` (a candidate item -> the items
its direct statements point to, and when it was asked). An answer is kept once it has
come whole: a failed request leaves nothing, and the next run asks again. One writer:
the process that holds the store's lock.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.errors import StoreError, translate

FILE_NAME = "links.sqlite"
VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS names (endpoint TEXT, name TEXT, asked TEXT, answer TEXT, PRIMARY KEY (endpoint, name));
CREATE TABLE IF NOT EXISTS items (endpoint TEXT, qid TEXT, asked TEXT, links TEXT, PRIMARY KEY (endpoint, qid));
"""


@dataclass(frozen=True)
class Candidate:
    """An item the endpoint gave for a name: how the name matched (its label or an
    alias), the kind classes it is an instance of, its sitelinks and description."""

    qid: str
    how: str  # "label" or "alias"
    classes: tuple[str, ...]
    sitelinks: int = 0
    description: str = ""


@dataclass(frozen=True)
class Answer:
    asked: str  # when the endpoint was asked (ISO 8601, UTC)
    candidates: tuple[Candidate, ...]


class AnswerCache:
    def __init__(self, store_dir: Path):
        self.path = Path(store_dir) / FILE_NAME
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
            if row is None or row[0] != VERSION:  # another layout: forget, ask again
                self.db.executescript("DELETE FROM names; DELETE FROM items;")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (VERSION,))
        except sqlite3.Error as exc:
            raise translate(exc, f"{self.path}: cannot open the link cache: {exc}", StoreError) from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "AnswerCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def answers(self, endpoint: str) -> dict[str, Answer]:
        out = {}
        for name, asked, answer in self.db.execute("SELECT name, asked, answer FROM names WHERE endpoint = ?",
                                                   (endpoint,)):
            out[name] = Answer(asked, tuple(Candidate(c["qid"], c["how"], tuple(c["classes"]), c["sitelinks"],
                                                      c["description"]) for c in json.loads(answer)))
        return out

    def put_answers(self, endpoint: str, asked: str, answers: dict[str, list[Candidate]]) -> None:
        rows = [(endpoint, name, asked, json.dumps([asdict(c) for c in sorted(cands, key=_order)],
                                                   ensure_ascii=False, sort_keys=True))
                for name, cands in answers.items()]
        self._write("INSERT OR REPLACE INTO names VALUES (?, ?, ?, ?)", rows)

    def item_links(self, endpoint: str) -> dict[str, tuple[str, frozenset[str]]]:
        """qid -> (when asked, the items its statements point to)."""
        return {qid: (asked, frozenset(json.loads(links))) for qid, asked, links in
                self.db.execute("SELECT qid, asked, links FROM items WHERE endpoint = ?", (endpoint,))}

    def put_item_links(self, endpoint: str, asked: str, links: dict[str, set[str]]) -> None:
        rows = [(endpoint, qid, asked, json.dumps(sorted(targets))) for qid, targets in links.items()]
        self._write("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?)", rows)

    def _write(self, sql: str, rows: list) -> None:
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise translate(exc, f"{self.path}: cannot write the link cache: {exc}", StoreError) from exc


def _order(c: Candidate) -> tuple:
    return (c.qid, c.how)
