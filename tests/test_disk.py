"""What a build leaves on disk beside the exports: no spent write-ahead log kept at full size."""
from __future__ import annotations

import os

import pyoxigraph as ox

from kg.store.embedded import RECYCLED_LOGS_LIMIT, Store


def _logs(path) -> int:
    return sum(e.stat().st_size for e in os.scandir(path) if e.name.endswith(".log"))


def test_a_writer_leaves_no_spent_write_ahead_log(tmp_path):
    g = "https://kg.example.org/id/graph/a"
    quads = [ox.Quad(ox.NamedNode(f"https://kg.example.org/id/event/a/v{i}"), ox.NamedNode("https://schema.org/name"),
                     ox.Literal(f"event {i} " + "words " * 30), ox.NamedNode(g)) for i in range(20_000)]
    with Store(tmp_path / "store") as store:
        store.replace_graph(g, quads)  # a transaction: through RocksDB's write-ahead log
        assert _logs(tmp_path / "store") > RECYCLED_LOGS_LIMIT
    assert _logs(tmp_path / "store") <= RECYCLED_LOGS_LIMIT
    with Store(tmp_path / "store", read_only=True) as store:
        assert store.count() == len(quads)


def test_rocksdb_diagnostic_logs_do_not_pile_up(tmp_path):
    for _ in range(4):  # RocksDB keeps the LOG of each opening as LOG.old.*
        with Store(tmp_path / "store") as store:
            store.drop_graph("https://kg.example.org/id/graph/none")
    assert len(list((tmp_path / "store").glob("LOG.old.*"))) <= 1
