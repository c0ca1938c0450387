"""Incremental builds: changed, added and deleted articles give a clean build's result."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import BuildOptions, build, remove
from kg.build import writer as writer_mod
from kg.store.export import export
from kg.store.exportcache import CACHE_NAME, ExportCache
from kg.store.embedded import Store

from .tools import STORIES, exports, make_corpus


def store_quads(out: Path) -> set[ox.Quad]:
    with Store(out / "store", read_only=True) as store:
        return set(store.quads())


def full_exports(out: Path, tmp: Path) -> tuple[bytes, bytes]:
    """kg.ttl / kg.trig written from scratch from the store (what `kg export` does)."""
    with Store(out / "store", read_only=True) as store:
        return (export(store, "turtle", tmp / "full.ttl").read_bytes(),
                export(store, "trig", tmp / "full.trig").read_bytes())


@pytest.fixture()
def built(tmp_path):
    corpus = make_corpus(tmp_path / "in")
    out = tmp_path / "out"
    first = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert first.built == 5
    return corpus, out


def test_incremental_equals_clean(built, tmp_path):
    corpus, out = built
    before = exports(out)
    (corpus / "story.md").write_text(STORIES[0].replace("Seattle", "Chicago"), encoding="utf-8")  # changed
    (corpus / "story9.md").write_text("---\npublished: 2021-07-01\n---\nFord recalled 10,000 trucks in "
                                      "Detroit on Monday.", encoding="utf-8")  # added
    (corpus / "seed.txt").unlink()  # deleted; its edited copy stays
    again = build([corpus], BuildOptions(out_dir=out, progress=False, prune=True))
    assert (again.built, again.unchanged, again.removed, again.failed) == (2, 3, 1, [])
    assert exports(out) != before
    clean = build([corpus], BuildOptions(out_dir=tmp_path / "clean", progress=False))
    assert clean.built == 5
    assert exports(out) == exports(tmp_path / "clean")
    assert store_quads(out) == store_quads(tmp_path / "clean")
    assert exports(out) == full_exports(out, tmp_path)
    ttl = exports(out)[0].decode("utf-8")
    # entities only the deleted / changed articles had are gone; shared and new ones are there
    assert "Helsinki" not in ttl and "Seattle" not in ttl
    assert "Geneva" in ttl and "Putin" in ttl and "Chicago" in ttl and "Ford" in ttl


@pytest.mark.parametrize("case", ["edit", "rewrite", "stale cache"])
def test_a_changed_article_is_patched_from_the_version_the_store_holds(built, tmp_path, monkeypatch, case):
    """An article changed since the last build: its graph in the store changes by the quads
    that differ (Store.patch_graphs), from the version the export cache held, unless most of
    it changed ("rewrite") or the cache's version is not the store's ("stale cache"): then
    it is replaced whole. Either way the store and exports are a clean build's."""
    import sqlite3

    corpus, out = built
    if case == "stale cache":  # as an interrupted build can leave it: the stamps differ
        with sqlite3.connect(out / "store" / CACHE_NAME) as db:
            db.execute("UPDATE graphs SET stamp = 'other' WHERE key LIKE '%story>'")
    text = (STORIES[0] + " The minister said on Monday that talks would go on." if case != "rewrite"
            else "Airbus delivered 40 jets to Lufthansa in Hamburg on Tuesday.")
    (corpus / "story.md").write_text(text, encoding="utf-8")
    patched: list[str] = []
    replaced: list[str] = []
    real_patch, real_replace = Store.patch_graphs, Store.replace_graphs

    def patch(self, removed, added):
        patched.extend(sorted({q.graph_name.value for q in removed + added}))
        return real_patch(self, removed, added)

    def replace(self, graphs, trig):
        graphs = list(graphs)
        replaced.extend(graphs)
        return real_replace(self, graphs, trig)

    monkeypatch.setattr(Store, "patch_graphs", patch)
    monkeypatch.setattr(Store, "replace_graphs", replace)
    if case != "rewrite":  # (a sentence more changes most quads of these short stories)
        monkeypatch.setattr(writer_mod, "PATCH_SHARE", 2.0)
    again = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert (again.built, again.unchanged) == (1, 4)
    story = [g for g in patched + replaced if g.endswith("/story")]
    assert story, (patched, replaced)
    assert (story[0] in patched) == (case == "edit") and (story[0] in replaced) == (case != "edit")
    monkeypatch.undo()
    clean = build([corpus], BuildOptions(out_dir=tmp_path / "clean", progress=False))
    assert store_quads(out) == store_quads(tmp_path / "clean")
    assert exports(out) == exports(tmp_path / "clean") == full_exports(out, tmp_path)


def test_unchanged_rebuild_does_nothing(built):
    corpus, out = built
    before = exports(out)
    again = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert (again.built, again.unchanged) == (0, 5)
    assert exports(out) == before


def test_without_prune_deleted_inputs_stay(built):
    corpus, out = built
    (corpus / "seed-edit.txt").unlink()
    again = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert (again.built, again.unchanged, again.removed) == (0, 4, 0)
    assert "Geneva" in exports(out)[0].decode("utf-8")


def test_remove_equals_clean_build_without_the_article(built, tmp_path):
    corpus, out = built
    report = remove(["news/2"], BuildOptions(out_dir=out))
    assert report.removed == 1
    ttl = exports(out)[0].decode("utf-8")
    assert "Macron" not in ttl and "Boeing" in ttl  # Macron was only in news/2
    (corpus / "news" / "2.md").unlink()
    build([corpus], BuildOptions(out_dir=tmp_path / "clean", progress=False))
    assert exports(out) == exports(tmp_path / "clean")
    again = remove(["news/2"], BuildOptions(out_dir=out))  # gone already: a notice, nothing else
    assert again.removed == 0 and again.notices == ["not in the store: 'news/2' (nothing to remove)"]
    assert exports(out) == exports(tmp_path / "clean")


def test_exports_survive_a_lost_or_stale_cache(built, tmp_path):
    corpus, out = built
    before = exports(out)
    (out / "store" / CACHE_NAME).unlink()
    again = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert again.built == 0 and exports(out) == before
    # a store changed behind the cache's back (as by a crash between the two)
    with Store(out / "store") as store:
        graph = store.built_articles_with_activity()["story-1"][0]
        store.drop_graph(graph)
        with ExportCache(store) as cache:
            cache.write(out)
    assert b"Airbus" not in exports(out)[0]
    assert exports(out) == full_exports(out, tmp_path)
    # and the next build puts the article back
    again = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert (again.built, again.unchanged) == (1, 4)
    assert exports(out) == before


def test_other_base_iri_is_another_graph(built, tmp_path):
    corpus, _ = built
    shutil.rmtree(corpus / "news")
    out = tmp_path / "other"
    build([corpus], BuildOptions(out_dir=out, progress=False, base_iri="http://example.com/x/"))
    ttl = exports(out)[0].decode("utf-8")
    assert "<http://example.com/x/article/story-1>" in ttl and "kg.example.org/id" not in ttl
    assert exports(out) == full_exports(out, tmp_path)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_article_whose_mapping_fails_is_reported_and_the_rest_kept(tmp_path, monkeypatch, workers):
    """With one worker, records are mapped in the build's writer thread; with a pool, in
    the workers. Either way a mapping failure is that article's alone."""
    import kg.build.extractor

    corpus = make_corpus(tmp_path / "in")
    real = kg.build.extractor.article_triples

    def failing(rec, minter, info):
        if rec.meta.id.endswith("2"):
            raise ValueError("boom")
        return real(rec, minter, info)

    monkeypatch.setattr(kg.build.extractor, "article_triples", failing)  # inherited by forked workers
    out = tmp_path / "out"
    report = build([corpus], BuildOptions(out_dir=out, progress=False, workers=workers))
    assert report.built == 4
    assert [p.reason for p in report.failed] == ["mapping failed: ValueError: boom"]
    with Store(out / "store", read_only=True) as store:
        built = set(store.built_articles_with_activity())
    assert len(built) == 4 and not any(a.endswith("2") for a in built)
    assert (out / "kg.trig").read_bytes() == full_exports(out, tmp_path)[1]


def test_reported_quads_are_the_stores(built, tmp_path):
    """The summary's count comes from the export cache (Oxigraph counts by scanning)."""
    corpus, out = built
    (corpus / "story.md").write_text((corpus / "story.md").read_text(encoding="utf-8") + "\nMore news on Friday.\n",
                                     encoding="utf-8")
    (corpus / "news" / "2.md").unlink()
    report = build([corpus], BuildOptions(out_dir=out, progress=False, prune=True))
    assert report.built == 1 and report.removed == 1
    with Store(out / "store", read_only=True) as store:
        assert report.triples == store.count() > 0


@pytest.mark.parametrize("keep_chars", [0, 16_000_000])
def test_the_articles_to_build_are_read_once_while_few(built, tmp_path, monkeypatch, keep_chars):
    """The planning pass keeps the articles to build (up to KEEP_CHARS of text) and
    extraction takes them from it; past the limit it reads the inputs again. Both give the
    same graph."""
    import kg.build.run as run

    corpus, out = built
    (corpus / "story.md").write_text(STORIES[0].replace("Seattle", "Chicago"), encoding="utf-8")
    reads = []
    real = run.iter_articles
    monkeypatch.setattr(run, "iter_articles", lambda *a, **k: reads.append(1) or real(*a, **k))
    monkeypatch.setattr(run, "KEEP_CHARS", keep_chars)
    again = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert (again.built, again.unchanged) == (1, 4)
    # a first article (is there any input?), the plan, and only past the limit extraction's own
    assert len(reads) == (3 if keep_chars == 0 else 2)
    monkeypatch.undo()
    clean = build([corpus], BuildOptions(out_dir=tmp_path / "clean", progress=False))
    assert exports(out) == exports(tmp_path / "clean")

