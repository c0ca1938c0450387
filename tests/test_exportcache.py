"""The export cache: compressed blocks, local subjects in runs, merged back in key order."""
from __future__ import annotations

import os
import random
import zlib
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.iris import Minter, owned_by
from kg.rdf.vocab import KG, PROV
from kg.store.embedded import Store
from kg.store.export import export, sort_key
from kg.store.exportcache import (CACHE_NAME, TRIG_HEADER, ExportCache, canonical, graph_blocks, merge_blocks,
                                  pack_run)

SCHEMA = "https://schema.org/"
BUILD = "https://kg.example.org/id/build/0123456789abcdef"


def _run(*keys: str) -> tuple[str, str, bytes]:
    return keys[0], keys[-1], pack_run([(k, f"{k} .\n".encode()) for k in keys])


def _shared(key: str) -> tuple[str, str, bytes]:
    return key, key, zlib.compress(f"{key} shared .\n".encode())


def test_merge_puts_runs_and_shared_blocks_in_key_order():
    runs = [_run("<a1>", "<a2>"), _run("<b1>", "<b5>"), _run("<b2>", "<b3>"), _run("<d1>")]
    shared = [_shared("<a0>"), _shared("<b4>"), _shared("<c>"), _shared("<d1>")]
    got = b"".join(merge_blocks(runs, shared)).decode().splitlines()
    # <b4> falls inside the run b1..b5, the run b2..b3 inside it too; <d1> is in a run and
    # shared: written once, from the run
    assert got == ["<a0> shared .", "<a1> .", "<a2> .", "<b1> .", "<b2> .", "<b3> .", "<b4> shared .",
                   "<b5> .", "<c> shared .", "<d1> ."]


def test_merge_equals_sorting_every_block_on_random_layouts():
    rng = random.Random(14)
    for _ in range(200):
        keys = sorted(rng.sample(range(1000), rng.randint(1, 60)))
        local = [k for k in keys if rng.random() < 0.7]
        shared = [k for k in keys if k not in local or rng.random() < 0.1]  # a few keys in both
        rng.shuffle(local)
        runs, i = [], 0
        while i < len(local):  # runs of sorted keys, overlapping each other at random
            n = rng.randint(1, 6)
            runs.append(_run(*(f"<k{k:04d}>" for k in sorted(local[i:i + n]))))
            i += n
        got = b"".join(merge_blocks(sorted(runs, key=lambda r: r[0]), [_shared(f"<k{k:04d}>") for k in shared]))
        want = "".join(f"<k{k:04d}> .\n" if k in local else f"<k{k:04d}> shared .\n" for k in keys).encode()
        assert got == want


def test_merge_of_nothing_is_nothing():
    assert list(merge_blocks([], [])) == []
    assert b"".join(merge_blocks([], [_shared("<x>")])) == b"<x> shared .\n"


def _graph_quads(m: Minter, aid: str, n: int) -> list[ox.Quad]:
    g = ox.NamedNode(m.graph(aid))
    art = ox.NamedNode(m.article(aid))
    name = ox.NamedNode(SCHEMA + "name")
    # the triples an article's stamp is read from (Store.built_articles_with_activity), then the rest
    quads = [ox.Quad(art, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode(SCHEMA + "NewsArticle"), g),
             ox.Quad(art, ox.NamedNode(SCHEMA + "identifier"), ox.Literal(aid), g),
             ox.Quad(art, ox.NamedNode(str(KG.contentHash)), ox.Literal(f"hash-{n}"), g),
             ox.Quad(art, ox.NamedNode(str(PROV.wasGeneratedBy)), ox.NamedNode(BUILD), g),
             ox.Quad(art, ox.NamedNode(SCHEMA + "headline"), ox.Literal(f"Story {aid} of the day"), g)]
    for i in range(n):
        ev = ox.NamedNode(m.local("event", aid, f"v{i}"))
        person = ox.NamedNode(f"{m.base}person/p{i % 7}")  # shared by the graphs
        quads += [ox.Quad(ev, name, ox.Literal(f"event {i} told in article {aid}, with some words"), g),
                  ox.Quad(ev, ox.NamedNode(SCHEMA + "agent"), person, g),
                  ox.Quad(ox.NamedNode(m.text(aid, i * 10, i * 10 + 7)), name, ox.Literal(f"mention {i}"), g),
                  ox.Quad(person, name, ox.Literal(f"Person {i % 7}"), g),
                  ox.Quad(art, ox.NamedNode(SCHEMA + "mentions"), person, g)]
    return canonical(dict.fromkeys(quads))  # one quad once, as the mapping gives them


def _put(store: Store, cache: ExportCache, m: Minter, aid: str, n: int) -> None:
    graph = m.graph(aid)
    quads = sorted(_graph_quads(m, aid, n), key=sort_key)
    blocks = graph_blocks(graph, f"hash-{n} {BUILD}", quads, owned_by(graph, aid))
    cache.forget(graph)
    store.replace_graphs([graph], TRIG_HEADER + blocks.trig)
    cache.put(blocks)


def _streamed(store: Store, tmp: Path) -> tuple[bytes, bytes]:
    return (export(store, "turtle", tmp / "s.ttl").read_bytes(), export(store, "trig", tmp / "s.trig").read_bytes())


def test_cache_is_a_fraction_of_the_exports_and_assembles_them_byte_for_byte(tmp_path):
    m = Minter()
    out = tmp_path / "out"
    with Store(tmp_path / "store") as store, ExportCache(store) as cache:
        for k in range(30):
            _put(store, cache, m, f"news/{k}", 40)
        cache.write(out)
        made = ((out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes())
        assert made == _streamed(store, tmp_path)
        # a changed graph and a dropped one: the cache follows, the exports stay a clean export's
        _put(store, cache, m, "news/3", 12)
        cache.forget(m.graph("news/4"))
        store.drop_graph(m.graph("news/4"))
        cache.write(out)
        assert ((out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes()) == _streamed(store, tmp_path)
    exported = sum(len(x) for x in made)
    # uncompressed, with one row and two index entries per subject, it was 1.3x the exports
    assert (tmp_path / "store" / CACHE_NAME).stat().st_size < exported / 3


def test_a_shared_subject_is_read_once_not_once_per_graph(tmp_path, monkeypatch):
    m = Minter()
    with Store(tmp_path / "store") as store, ExportCache(store) as cache:
        for k in range(20):
            _put(store, cache, m, f"news/{k}", 10)
        cache.write(tmp_path / "out")
        _put(store, cache, m, "news/3", 9)  # its shared subjects (7 persons) are redone
        read = []

        class Counting:
            def __init__(self, inner):
                self.inner = inner

            def quads_for_pattern(self, *pattern):
                for q in self.inner.quads_for_pattern(*pattern):
                    read.append(q)
                    yield q

        monkeypatch.setattr(Store, "oxigraph", property(lambda self: Counting(self._store)))
        cache.write(tmp_path / "out")
        monkeypatch.undo()
        # one triple per person in the union; the named graphs hold it 20 times
        assert len(read) == 7
        assert ((tmp_path / "out" / "kg.ttl").read_bytes(), (tmp_path / "out" / "kg.trig").read_bytes()) \
            == _streamed(store, tmp_path)


def test_exports_are_rewritten_only_when_the_cache_or_the_file_changed(tmp_path):
    m = Minter()
    out = tmp_path / "out"
    with Store(tmp_path / "store") as store, ExportCache(store) as cache:
        for k in range(3):
            _put(store, cache, m, f"news/{k}", 5)
        cache.write(out)
    ttl, trig = out / "kg.ttl", out / "kg.trig"
    made = {p: (p.read_bytes(), p.stat().st_ino) for p in (ttl, trig)}
    with Store(tmp_path / "store") as store, ExportCache(store) as cache:
        cache.write(out)  # nothing changed: the same files (a rewrite is a new file, renamed over)
        assert {p: (p.read_bytes(), p.stat().st_ino) for p in (ttl, trig)} == made
        with open(ttl, "ab") as f:
            f.write(b"# edited\n")
        cache.write(out)  # a file changed by someone else is written again
        assert ttl.read_bytes() == made[ttl][0] and trig.stat().st_ino == made[trig][1]
        _put(store, cache, m, "news/1", 4)
        cache.write(out)
        assert (ttl.read_bytes(), trig.read_bytes()) == _streamed(store, tmp_path) != (made[ttl][0], made[trig][0])


def test_a_rebuild_copies_the_unchanged_pieces_of_the_previous_exports(tmp_path, monkeypatch):
    m = Minter()
    out = tmp_path / "out"
    with Store(tmp_path / "store") as store, ExportCache(store) as cache:
        for k in range(40):
            _put(store, cache, m, f"news/{k:02d}", 30)
        cache.write(out)
        assert cache.last_write["turtle"][1] == cache.last_write["trig"][1] == 0  # nothing to copy from
        _put(store, cache, m, "news/17", 12)  # one article of 40 changed
        cache.write(out)
        assert ((out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes()) == _streamed(store, tmp_path)
        for fmt in ("turtle", "trig"):
            written, copied = cache.last_write[fmt]
            assert copied > 0.9 * (written + copied), (fmt, written, copied)
        # without copy_file_range (another system, file system): read and written, the same bytes
        monkeypatch.delattr(os, "copy_file_range", raising=False)
        _put(store, cache, m, "news/18", 11)
        cache.write(out)
        assert cache.last_write["trig"][1] > 0.9 * sum(cache.last_write["trig"])
        assert ((out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes()) == _streamed(store, tmp_path)
        monkeypatch.undo()
        # an export someone else changed (same size) is not copied from: written whole
        ttl = out / "kg.ttl"
        data = bytearray(ttl.read_bytes())
        data[-3:-2] = b"X"
        ttl.write_bytes(bytes(data))
        _put(store, cache, m, "news/19", 10)
        cache.write(out)
        assert cache.last_write["turtle"][1] == 0 and cache.last_write["trig"][1] > 0
        assert ((out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes()) == _streamed(store, tmp_path)


def _awkward_record():
    """A record whose graph has what the TriG writer must write as Oxigraph does: escapes in
    strings, literals the store rewrites, inline numbers and booleans, IRIs in the prefixes'
    namespaces that are not prefixed names."""
    import dataclasses

    from kg.records import EntityRecord, Mention, TimeRecord
    from tests.tools import BODY, mention, record

    rec = record()
    odd = 'He said "no"\\ then\n\ttabbed\r\x01\x7f\ufffe caf\u00e9 \U0001f600'
    rec = dataclasses.replace(rec, meta=dataclasses.replace(rec.meta, published="2020-01-08T10:00:00.000+01:00",
                                                          headline=odd, authors=["A \"B\" C", "\\"]))
    rec.entities.append(EntityRecord(
        "e3", "PLACE", odd, "place:odd", [Mention(0, 3, "Ann")], [odd, ""], lat=5.0, long=-0.5,
        same_as=["https://schema.org/a/b", "http://www.w3.org/2002/07/owl#x.", "http://www.w3.org/2002/07/owl#",
                 "http://purl.org/dc/terms/-x", "http://www.w3.org/2001/XMLSchema#1a", "https://schema.org/Thing"]))
    rec.times += [TimeRecord("t1", "TIME", "ten", "2020-01-06T10:00:00+00:00", [mention("Monday")]),
                  TimeRecord("t2", "DURATION", "weeks", "P2W", []), TimeRecord("t3", "DATE", "x", None, [])]
    rec.quotes[0].direct = False
    assert BODY  # the record's text, unchanged
    return rec


def test_the_text_trig_writer_gives_what_oxigraph_writes():
    """triple_blocks (TriG written from N-Triples text) == graph_blocks (Oxigraph's
    serializer), byte for byte, and canonical_triples == canonical, on an awkward graph and
    under a base IRI in a prefix's namespace (its subjects could be prefixed names)."""
    from kg.rdf.mapping import BuildInfo, article_quads, article_triples
    from kg.store.exportcache import canonical_triples, triple_blocks

    for base in ("https://kg.example.org/id/", "https://schema.org/kgtest/", "http://purl.org/dc/terms/"):
        m, info, rec = Minter(base), BuildInfo("p", "1", code_hash="0" * 64), _awkward_record()
        graph = m.graph(rec.meta.id)
        quads = canonical(article_quads(rec, m, info))
        triples = canonical_triples(article_triples(rec, m, info))
        assert [(str(q.subject), str(q.predicate), str(q.object)) for q in quads] == triples
        want = graph_blocks(graph, "stamp", quads, owned_by(graph, rec.meta.id))
        got = triple_blocks(graph, "stamp", triples, owned_by(graph, rec.meta.id))
        assert got == want
        assert got.runs and got.shared and b"5" in got.trig  # runs and shared subjects both made


def test_the_text_trig_writer_writes_literals_as_oxigraph_does():
    """Typed literals: inline where Turtle's grammar takes them (INTEGER, DECIMAL, DOUBLE,
    BOOLEAN), else quoted with their datatype, prefixed or not."""
    from kg.store.exportcache import triple_blocks

    xsd = "http://www.w3.org/2001/XMLSchema#"
    values = [("integer", v) for v in ("5", "+5", "-05", "5.0", "", "1e3", " 5")]
    values += [("decimal", v) for v in ("5.0", ".5", "-.5", "5.", "5", "+1.25", "1.2.3")]
    values += [("double", v) for v in ("1e3", "1.5E-2", ".5e1", "5.e0", "1e", "e3", "INF", "NaN", "-1.0e+10")]
    values += [("boolean", v) for v in ("true", "false", "TRUE", "1", "0")]
    values += [("date", "2020-01-01"), ("string", "x\"y"), ("anyURI", "http://x/y z")]
    s, g = ox.NamedNode("https://kg.example.org/id/s"), ox.NamedNode("https://kg.example.org/id/graph/a")
    quads = sorted({ox.Quad(s, ox.NamedNode(f"https://kg.example.org/id/p{i}"),
                            ox.Literal(v, datatype=ox.NamedNode(xsd + dt)), g) for i, (dt, v) in enumerate(values)},
                   key=str)
    triples = [(str(q.subject), str(q.predicate), str(q.object)) for q in quads]
    never = lambda iri: False  # noqa: E731
    assert (triple_blocks(g.value, "", triples, never).trig == graph_blocks(g.value, "", quads, never).trig)
