"""The build's writer: graphs reach the store in few, large bulk loads (kg.build.writer).
A graph the store lacks goes there while extraction runs, as mapped; the corpus-wide
identities then change it by the few quads that differ (``patch_graphs``), and the store
ends as if every graph had waited for them."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.build import BuildOptions, build
from kg.build import writer as writer_mod
from kg.store.embedded import Store
from kg.store.exportcache import TRIG_HEADER, triple_blocks

from .test_identity import ALONE, DEFINES, corpus, entity_of
from .tools import exports, make_corpus

G = "https://kg.example.org/id/graph/x"


def test_batches_are_written_together_and_give_the_same_build(tmp_path, monkeypatch):
    corpus_dir = make_corpus(tmp_path / "in")
    loads: list[int] = []
    real = Store.replace_graphs

    def counted(self, graphs, trig):
        graphs = list(graphs)
        loads.append(len(graphs))
        return real(self, graphs, trig)

    monkeypatch.setattr(Store, "replace_graphs", counted)
    one = build([corpus_dir], BuildOptions(out_dir=tmp_path / "one", progress=False, batch_size=1))
    assert one.built == 5
    assert loads == [5]  # five batches of one article, one bulk load

    loads.clear()
    monkeypatch.setattr(writer_mod, "INLINE_LOAD_BYTES", 1)  # every graph on its own (1 worker)
    each = build([corpus_dir], BuildOptions(out_dir=tmp_path / "each", progress=False, batch_size=1))
    assert each.built == 5
    assert loads == [1, 1, 1, 1, 1]
    assert exports(tmp_path / "one") == exports(tmp_path / "each")


@pytest.mark.parametrize("early", [True, False])
def test_a_build_killed_before_its_store_writes_is_finished_without_parsing_again(tmp_path, monkeypatch, early):
    """Killed after extraction (records kept, the spool lost), the next build finishes it
    from the records: no article goes through spaCy again, and the store and exports are
    a clean build's. ``early``: the graphs reached the store during extraction (Writer),
    unsettled; else (killed before the writer's load) they are mapped from the records."""
    from kg.build import run as run_mod
    from kg.build.extractor import Extractor

    corpus = make_corpus(tmp_path / "in")
    clean = tmp_path / "clean"
    build([corpus], BuildOptions(out_dir=clean, progress=False))

    class Killed(BaseException):  # as SIGKILL: nothing after it runs
        pass

    def killed(*args, **kwargs):
        raise Killed

    out = tmp_path / "out"
    with monkeypatch.context() as m:
        m.setattr(run_mod, "settle_identities", killed)
        if not early:
            m.setattr(writer_mod.Writer, "_load", lambda self: None)
        try:
            build([corpus], BuildOptions(out_dir=out, progress=False))
        except Killed:
            pass
    parsed: list[str] = []
    real = Extractor.extract

    def counted(self, batch):
        parsed.extend(a.id for a in batch)
        return real(self, batch)

    monkeypatch.setattr(Extractor, "extract", counted)
    report = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert parsed == []
    assert (report.built, report.unchanged) == ((0, 5) if early else (5, 0))
    assert exports(out) == exports(clean)
    again = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert (again.built, again.unchanged) == (0, 5)


def test_the_pipeline_is_let_go_before_the_store_writes(tmp_path, monkeypatch):
    """The store's writes after extraction (the patches of settle_identities, and an
    incremental build's graphs) come once the spaCy pipeline and the workers are gone.
    (The early loads of new articles' graphs do add to the pipeline's memory: 2,040
    articles, 1 worker: peak RSS 705 -> 654 MiB in loads of INLINE_LOAD_BYTES.)"""
    from kg.build import run as run_mod
    from kg.build.extractor import Extractor

    events: list[str] = []
    seen_nlp: list[object] = []
    real_release, real_settle = Extractor.release, run_mod.settle_identities
    extractors: list[Extractor] = []
    real_init = Extractor.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        extractors.append(self)

    def release(self):
        events.append("release")
        real_release(self)

    def settle(*args, **kwargs):
        events.append("settle")
        seen_nlp.extend(e._nlp for e in extractors)
        return real_settle(*args, **kwargs)

    monkeypatch.setattr(Extractor, "__init__", init)
    monkeypatch.setattr(Extractor, "release", release)
    monkeypatch.setattr(run_mod, "settle_identities", settle)
    report = build([make_corpus(tmp_path / "in")], BuildOptions(out_dir=tmp_path / "out", progress=False))
    assert report.built == 5
    assert events == ["release", "settle"]
    assert seen_nlp == [None]


def stored(store_dir):
    """The store's named graphs' quads and its default graph's triples."""
    with Store(store_dir, read_only=True) as store:
        st = store.oxigraph
        named = {q for g in st.named_graphs() for q in st.quads_for_pattern(None, None, None, g)}
        default = {q.triple for q in st.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    return named, default


def test_graphs_loaded_early_and_patched_are_those_written_after_the_identities(tmp_path, monkeypatch):
    """gm-alone's lone "GM" becomes General Motors only once gm-defines is read: its graph
    went to the store as mapped (its own "GM"), and is patched, not replaced."""
    src = corpus(tmp_path / "in", ("b.md", ALONE), ("a.md", DEFINES))
    patched: list[tuple[int, int]] = []
    real = Store.patch_graphs

    def counted(self, removed, added):
        patched.append((len(removed), len(added)))
        return real(self, removed, added)

    with monkeypatch.context() as m:
        m.setattr(Store, "patch_graphs", counted)
        early = build([src], BuildOptions(out_dir=tmp_path / "early", progress=False, batch_size=1))
    with monkeypatch.context() as m:
        m.setattr(writer_mod.Writer, "_load", lambda self: None)  # every graph waits for the identities
        late = build([src], BuildOptions(out_dir=tmp_path / "late", progress=False, batch_size=1))
    assert early.built == late.built == 2
    assert len(patched) == 1 and all(patched[0])  # gm-alone's quads: some out, some in
    assert entity_of(tmp_path / "early", "gm-alone", "GM") == entity_of(tmp_path / "early", "gm-defines",
                                                                         "General Motors")
    named, default = stored(tmp_path / "early" / "store")
    assert (named, default) == stored(tmp_path / "late" / "store")
    assert default == {q.triple for q in named}  # the set union, the old "GM" entity gone from it
    assert exports(tmp_path / "early") == exports(tmp_path / "late")
    again = build([src], BuildOptions(out_dir=tmp_path / "early", progress=False))
    assert (again.built, again.unchanged) == (0, 2)


def blocks(*triples: tuple[str, str, str]):
    return triple_blocks(G, "", sorted(triples), lambda s: True).trig


def test_a_graph_diff_is_the_quads_that_differ():
    s, t = "<https://kg.example.org/id/s>", "<https://kg.example.org/id/t>"
    p, q = "<https://kg.example.org/ontology#p>", "<https://kg.example.org/ontology#q>"
    old = blocks((s, p, '"a"'), (s, q, t), (t, p, '"b"'))
    new = blocks((s, p, '"a"'), (s, q, s), (t, p, '"b"'), (t, q, '"c\\nd"'))
    removed, added = writer_mod.graph_diff(old, new)
    quad = lambda line: next(iter(ox.parse((line + " .").encode(), format=ox.RdfFormat.N_QUADS)))  # noqa: E731
    assert removed == [quad(f"{s} {q} {t} <{G}>")]
    assert added == sorted([quad(f"{s} {q} {s} <{G}>"), quad(f'{t} {q} "c\\nd" <{G}>')], key=str)
    assert writer_mod.graph_diff(old, old) == ([], [])
    assert writer_mod.graph_diff(b"", old)[1] == sorted(ox.parse(TRIG_HEADER + old, format=ox.RdfFormat.TRIG),
                                                         key=str)
    blank = blocks((s, p, "_:b0"))
    assert writer_mod.graph_diff(old, blank) is None  # DELETE DATA takes no blank node: replaced whole
