"""The store's default graph: the union of the article graphs as a set (a triple several
graphs hold is there once), kept up to date by builds and removals, repaired after a crash,
filled for a store made before it existed; exports and pushes read the named graphs only."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store.embedded import UNION_NAME, Store
from kg.store.export import export
from kg.store.query import run_local

EX = "http://example.org/"
SHARED = f"<{EX}merkel> <{EX}name> \"Angela Merkel\" ."
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}merkel> <{EX}name> ?name }}"
PER_GRAPH = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}merkel> <{EX}name> ?name }} }}"


def trig(*graphs: str) -> bytes:
    """TriG as Oxigraph writes it (what the build hands to ``replace_graphs``): each graph
    holds the shared triple and one of its own."""
    quads = []
    for g in graphs:
        for t in (SHARED, f"<{EX}{g}/a> <{EX}mentions> <{EX}merkel> ."):
            quads += [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(EX + g))
                      for q in ox.parse(t.encode(), format=ox.RdfFormat.N_TRIPLES)]
    return ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.TRIG, prefixes={"ex": EX})


def count(store: Store) -> int:
    return int(run_local(store, COUNT).rows[0]["n"].value)


def default_graph(store: Store) -> set:
    return {q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def named_union(store: Store) -> set:
    """The named graphs' triples as stored (``Store.quads`` restores derived datatypes)."""
    st = store.oxigraph
    return {q.triple for g in st.named_graphs() for q in st.quads_for_pattern(None, None, None, g)}


def test_a_triple_of_three_graphs_counts_once_and_leaves_with_the_last(tmp_path):
    with Store(tmp_path / "s") as store:
        store.replace_graphs([EX + g for g in "abc"], trig(*"abc"))
        assert count(store) == 1
        assert len(run_local(store, PER_GRAPH).rows) == 3  # GRAPH ?g: each article's own
        store.drop_graph(EX + "a")
        store.replace_graphs([EX + "b"], trig())  # b replaced by nothing: same as dropped
        assert count(store) == 1 and len(run_local(store, PER_GRAPH).rows) == 1
        assert default_graph(store) == named_union(store)
        store.drop_graph(EX + "c")
        assert count(store) == 0 and default_graph(store) == set()


def test_graphs_replaced_together_keep_what_the_new_versions_hold(tmp_path):
    with Store(tmp_path / "s") as store:
        store.replace_graphs([EX + g for g in "ab"], trig(*"ab"))
        store.replace_graphs([EX + g for g in "ab"], trig(*"ab"))  # both old holders go in one update
        assert count(store) == 1 and default_graph(store) == named_union(store)
        store.replace_graph(EX + "c", [ox.Quad(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "y"),
                                               ox.NamedNode(EX + "c"))])
        assert default_graph(store) == named_union(store) and len(default_graph(store)) == 4


def test_queries_kg_runs_and_exports_see_each_triple_once(tmp_path):
    with Store(tmp_path / "s") as store:
        store.replace_graphs([EX + g for g in "abc"], trig(*"abc"))
    with Store(tmp_path / "s", read_only=True) as store:
        assert store.union_ready and count(store) == 1
        assert store.count() == 6 == len(list(store.quads()))  # the named graphs' quads
        export(store, "nquads", tmp_path / "all.nq")
        export(store, "ntriples", tmp_path / "all.nt")
    quads = list(ox.parse(path=str(tmp_path / "all.nq"), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == 6 and not any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    assert len((tmp_path / "all.nt").read_bytes().splitlines()) == 4


class _FailingSecondLoad:
    """An Oxigraph store whose second bulk load (the named graphs) dies: a crash between
    the default graph and the article graphs."""

    def __init__(self, store):
        self.store, self.loads = store, 0

    def bulk_load(self, *args, **kwargs):
        self.loads += 1
        if self.loads == 2:
            raise OSError("disk on fire")
        return self.store.bulk_load(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_a_crash_between_default_and_named_graphs_is_repaired_by_the_next_writer(tmp_path):
    from kg.errors import StoreError

    with Store(tmp_path / "s") as store:
        store.replace_graphs([EX + "a"], trig("a"))
    store = Store(tmp_path / "s")
    store._store = proxy = _FailingSecondLoad(store.oxigraph)
    failed = False
    try:  # not pytest.raises: its traceback would keep the database open
        store.replace_graphs([EX + "b"], trig("b"))
    except StoreError:
        failed = True
    store._store, proxy.store = proxy.store, None
    store.close()
    assert failed
    assert not (tmp_path / "s" / UNION_NAME).exists()  # not in step: said so
    with Store(tmp_path / "s", read_only=True) as reader:
        orphan = {t for t in default_graph(reader) if str(t.subject) == f"<{EX}b/a>"}
        assert orphan and not reader.union_ready  # b's triple without b's graph
        assert count(reader) == 1  # the default graph: one extra triple, not doubled counts
    with Store(tmp_path / "s") as store:  # the next build
        assert default_graph(store) == named_union(store) and not orphan & default_graph(store)
    assert (tmp_path / "s" / UNION_NAME).exists()


def test_a_store_made_before_the_default_graph_is_filled_once(tmp_path):
    old = ox.Store(str(tmp_path / "s"))  # as kg wrote it before: named graphs only
    old.bulk_load(trig(*"abc"), format=ox.RdfFormat.TRIG)
    old.flush()
    del old
    with Store(tmp_path / "s", read_only=True) as reader:
        assert not reader.union_ready
        assert count(reader) == 3  # Oxigraph's union, as before: old stores keep answering
    with Store(tmp_path / "s") as store:  # any build or remove
        assert count(store) == 1 and default_graph(store) == named_union(store)
    with Store(tmp_path / "s", read_only=True) as reader:
        assert reader.union_ready and count(reader) == 1


# Builds (spaCy): an incremental build's default graph is a clean build's.

TEXTS = {
    "a": "Angela Merkel met Emmanuel Macron in Berlin on Monday. Merkel said the talks were useful.",
    "b": "Angela Merkel visited Paris on Tuesday, where Emmanuel Macron welcomed her.",
    "c": "Emmanuel Macron and Angela Merkel spoke in Brussels on Friday about trade.",
    "d": "Olaf Scholz met Angela Merkel in Hamburg on Sunday.",
}


def write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for p in folder.glob("*.txt"):
        p.unlink()
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.integration
def test_incremental_build_has_the_default_graph_of_a_clean_build(tmp_path):
    from kg.build import BuildOptions, build

    src = write(tmp_path / "in", {k: TEXTS[k] for k in "abc"})
    build([src], BuildOptions(out_dir=tmp_path / "inc", progress=False))
    after = {"a": TEXTS["a"].replace("Monday", "Thursday") + " Macron agreed.", "b": TEXTS["b"], "d": TEXTS["d"]}
    write(src, after)  # a changed, c removed, d added
    report = build([src], BuildOptions(out_dir=tmp_path / "inc", prune=True, progress=False))
    assert (report.built, report.unchanged, report.removed) == (2, 1, 1)
    clean = write(tmp_path / "clean-in", after)
    build([clean], BuildOptions(out_dir=tmp_path / "clean", progress=False))
    with Store(tmp_path / "inc" / "store", read_only=True) as inc, \
            Store(tmp_path / "clean" / "store", read_only=True) as ref:
        assert default_graph(inc) == named_union(inc) == default_graph(ref) == named_union(ref)
        # a shared entity counts once: the default graph has fewer triples than the graphs
        assert len(default_graph(inc)) < inc.count()


def article_trig(graph: str, aid: str, content_hash: str) -> bytes:
    """An article graph as the build writes its head: id, content hash, build activity."""
    g = ox.NamedNode(EX + graph)
    a, s = ox.NamedNode(EX + graph + "/article"), "https://schema.org/"
    quads = [ox.Quad(a, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(s + "NewsArticle"), g),
             ox.Quad(a, ox.NamedNode(s + "identifier"), ox.Literal(aid), g),
             ox.Quad(a, ox.NamedNode("https://kg.example.org/ontology#contentHash"), ox.Literal(content_hash), g),
             ox.Quad(a, ox.NamedNode("http://www.w3.org/ns/prov#wasGeneratedBy"), ox.NamedNode(EX + "build"), g)]
    return ox.serialize(quads, format=ox.RdfFormat.TRIG)


def test_built_articles_follow_the_writes_and_ask_only_the_graphs_written(tmp_path, monkeypatch):
    with Store(tmp_path / "s") as store:
        for i in range(3):
            store.replace_graphs([f"{EX}g{i}"], article_trig(f"g{i}", f"a{i}", "h1"))
        asked = []
        real = store._store.query
        monkeypatch.setattr(store, "_store", type("Spy", (), {
            "query": lambda self, q, **k: asked.append(q) or real(q, **k),
            "__getattr__": lambda self, name: getattr(real.__self__, name)})())
        first = store.built_articles_with_activity()
        assert {aid: h for aid, (_, h, _) in first.items()} == {"a0": "h1", "a1": "h1", "a2": "h1"}
        assert store.built_articles_with_activity() == first and len(asked) == 1  # nothing written: not asked
        store.replace_graphs([f"{EX}g1"], article_trig("g1", "a1", "h2"))
        store.drop_graph(f"{EX}g2")
        again = store.built_articles_with_activity()
        assert {aid: h for aid, (_, h, _) in again.items()} == {"a0": "h1", "a1": "h2"}
        assert len(asked) == 2 and f"<{EX}g0>" not in asked[1] and f"<{EX}g1>" in asked[1]  # the written only


def test_a_patch_keeps_the_default_graph_the_set_union(tmp_path):
    """``patch_graphs``: quads out of and into named graphs; a triple leaves the default
    graph with the last graph that held it, even with a derived datatype the store keeps
    as its primitive (kg.rdf.datatypes)."""
    offset = ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))
    begin = ox.NamedNode("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex")
    m = ox.NamedNode(EX + "m")
    with Store(tmp_path / "s") as store:
        store.replace_graphs([EX + g for g in "ab"], trig(*"ab"))
        a, b = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b")
        shared = next(ox.parse(SHARED.encode(), format=ox.RdfFormat.N_TRIPLES))
        store.patch_graphs([], [ox.Quad(m, begin, offset, a)])
        assert default_graph(store) == named_union(store) and len(default_graph(store)) == 4
        store.patch_graphs([ox.Quad(shared.subject, shared.predicate, shared.object, a)], [])
        assert count(store) == 1 and len(run_local(store, PER_GRAPH).rows) == 1  # b still holds it
        store.patch_graphs([ox.Quad(shared.subject, shared.predicate, shared.object, b), ox.Quad(m, begin, offset, a)],
                           [ox.Quad(m, begin, offset, b)])  # moved from a to b: stays
        assert count(store) == 0 and default_graph(store) == named_union(store) and len(default_graph(store)) == 3
        assert {q.graph_name for q in store.oxigraph.quads_for_pattern(m, None, None, None)} == {b, ox.DefaultGraph()}
