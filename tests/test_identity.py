"""One entity across the corpus (kg.build.identity): the rules on names alone, then
builds where one article's definition ("General Motors (GM)") names the entity of another,
and the result does not depend on the order, increments or removals that got there."""
from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.namespace import RDFS, SKOS

from kg.build import BuildOptions, build, remove
from kg.build.identity import Identity, Name, apply, digest, resolve, short_form
from kg.linking import Link
from kg.records import ArticleRecord, ArticleMeta, EntityRecord
from kg.store.records import FILE_NAME, RecordStore, pack, unpack

from .tools import exports

GM = Name("a1", "e0", "ORG", "org:general motors", "General Motors", ("GM",))
LONE_GM = Name("a2", "e0", "ORG", "org:gm", "GM")


def test_a_name_an_article_defines_is_that_entity_in_other_articles():
    out = resolve([GM, LONE_GM])
    assert out == {"a2": {"e0": Identity("ORG", "org:general motors", "General Motors")}}


def test_a_name_two_entities_claim_is_left_alone():
    mills = Name("a3", "e0", "ORG", "org:general mills", "General Mills", ("GM",))
    assert "a2" not in resolve([GM, LONE_GM, mills])


@pytest.mark.parametrize("kind, alias, label, expected", [
    ("ORG", "GM", "General Motors", True),  # initials
    ("ORG", "GM", "General Motors Corp.", True),  # initials without the legal form
    ("ORG", "Ford", "Ford Motor Co.", True),  # first word, then industry and legal form
    ("ORG", "Chrysler", "Chrysler Aspen", False),  # a product of the maker, not the maker
    ("ORG", "House", "White House", False),  # a last word is no short form of an organisation
    ("PERSON", "Putin", "Vladimir Putin", True),  # surname
    ("PERSON", "Vladimir", "Vladimir Putin", False),  # a first name alone is not
])
def test_short_forms(kind, alias, label, expected):
    assert short_form(kind, alias, label) is expected


def test_a_coreference_error_in_one_article_does_not_spread():
    white_house = Name("a1", "e0", "ORG", "org:white house", "White House", ("House",))
    house = Name("a2", "e0", "ORG", "org:house", "House")
    assert resolve([white_house, house]) == {}


def test_links_part_one_name_and_join_two():
    smiths = [Name(f"a{i}", "e0", "PERSON", "person:john smith", "John Smith") for i in range(3)]
    links = {("a0", "person:john smith"): Link("Q1", "PERSON", 2.0), ("a1", "person:john smith"): Link("Q2", "PERSON", 2.0)}
    out = resolve(smiths, links)
    assert out["a0"]["e0"].key == "wikidata:Q1" and out["a1"]["e0"].key == "wikidata:Q2"
    assert "a2" not in out  # unlinked, and the name is two people's: not guessed
    # Two names linked to one item are one entity; the item's kind wins over the tagger's.
    trump = [Name("b1", "e0", "PERSON", "person:donald trump", "Donald Trump"),
             Name("b2", "e3", "ORG", "org:trump", "Trump")]
    links = {("b1", "person:donald trump"): Link("Q22686", "PERSON", 2.0), ("b2", "org:trump"): Link("Q22686", "PERSON", 2.0)}
    out = resolve(trump, links)
    assert out["b1"]["e0"] == out["b2"]["e3"] == Identity(
        "PERSON", "wikidata:Q22686", "Donald Trump", ("http://www.wikidata.org/entity/Q22686",))


def test_a_merge_never_joins_two_items():
    gm = Name("c1", "e0", "ORG", "org:general motors", "General Motors", ("GM",))
    lone = Name("c2", "e0", "ORG", "org:gm", "GM")
    links = {("c1", "org:general motors"): Link("Q81965", "ORG", 2.0), ("c2", "org:gm"): Link("Q999", "ORG", 2.0)}
    out = resolve([gm, lone], links)
    assert out["c1"]["e0"].key == "wikidata:Q81965" and out["c2"]["e0"].key == "wikidata:Q999"


def test_the_label_is_the_one_most_articles_give_and_a_clean_one():
    names = [Name("a1", "e0", "ORG", "org:general motors", "General Motors"),
             Name("a2", "e0", "ORG", "org:general motors", "General Motors"),
             Name("a3", "e0", "ORG", "org:general motors", "General Motors Corporation"),
             Name("a4", "e0", "ORG", "org:us treasury", "US Treasury"),
             Name("a5", "e0", "ORG", "org:us treasury", "U.S. Treasury '")]
    out = resolve(names)
    assert out["a3"]["e0"].label == "General Motors"
    assert out["a5"]["e0"].label == "US Treasury"  # one article each: the clean label


def test_resolution_is_a_function_of_the_set_of_names():
    names = [GM, LONE_GM, Name("a3", "e1", "PERSON", "person:vladimir putin", "Vladimir Putin", ("Putin",)),
             Name("a4", "e2", "PERSON", "person:putin", "Putin"),
             Name("a5", "e0", "ORG", "org:white house", "White House", ("House",))]
    expected = resolve(names)
    for seed in range(5):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        assert resolve(shuffled + shuffled[:2]) == expected


def test_apply_keeps_the_articles_own_name_as_an_alternative_label():
    rec = ArticleRecord(ArticleMeta("a2"), "GM said.", entities=[EntityRecord("e0", "ORG", "GM", "org:gm")])
    changes = {"e0": Identity("ORG", "org:general motors", "General Motors")}
    out = apply(rec, changes)
    assert (out.entities[0].label, out.entities[0].key, out.entities[0].alt_labels) == \
        ("General Motors", "org:general motors", ["GM"])
    assert rec.entities[0].label == "GM"  # the input record is left as it was
    assert digest(changes) != digest(None) == ""


def test_record_store_round_trip(tmp_path):
    rec = ArticleRecord(ArticleMeta("a1", content_hash="h"), "General Motors (GM) said.",
                        entities=[EntityRecord("e0", "ORG", "General Motors", "org:general motors", alt_labels=["GM"])])
    with RecordStore(tmp_path) as rs:
        rs.put("a1", "h b", pack(rec))
        assert rs.get("a1") == rec == unpack(pack(rec))
        assert list(rs.names()) == [("a1", "e0", "ORG", "org:general motors", "General Motors", ["GM"])]
        rs.forget("a1")
        assert rs.get("a1") is None and list(rs.names()) == []


# -- builds --------------------------------------------------------------------------------

DEFINES = """---
id: gm-defines
title: Carmaker cuts output
published: 2024-03-04
---
General Motors (GM) said on Monday that it would cut production at two plants in Michigan. GM blamed \
weak demand for large trucks. Ford Motor Co., known as Ford, made a similar announcement last week.
"""
ALONE = """---
id: gm-alone
title: Union talks resume
published: 2024-03-05
---
GM and the United Auto Workers resumed talks on Tuesday in Detroit. Ford said it was watching the talks closely.
"""


def corpus(root: Path, *texts: tuple[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in texts:
        (root / name).write_text(text, encoding="utf-8")
    return root


def entity_of(out: Path, graph_id: str, name: str) -> str:
    """The one entity of an article's graph labelled or alt-labelled ``name``."""
    graph = ox.NamedNode(f"https://kg.example.org/id/graph/{graph_id}")
    labels = {ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.altLabel))}
    found = {q.subject.value for q in ox.parse(path=out / "kg.trig", format=ox.RdfFormat.TRIG)
             if q.graph_name == graph and q.predicate in labels and q.object == ox.Literal(name)}
    assert len(found) == 1, (name, found)
    return found.pop()


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("identity")
    out = tmp / "out"
    build([corpus(tmp / "in", ("a.md", DEFINES), ("b.md", ALONE))], BuildOptions(out_dir=out, progress=False))
    return tmp, out


def test_one_entity_across_articles(both):
    _, out = both
    gm = entity_of(out, "gm-defines", "General Motors")
    assert entity_of(out, "gm-alone", "GM") == gm
    assert entity_of(out, "gm-alone", "General Motors") == gm  # the label everyone uses
    assert entity_of(out, "gm-alone", "Ford") == entity_of(out, "gm-defines", "Ford Motor Co.")


def test_increments_and_removals_give_the_clean_build(both):
    tmp, clean = both
    out = tmp / "incremental"
    build([corpus(tmp / "only-b", ("b.md", ALONE))], BuildOptions(out_dir=out, progress=False))
    alone = exports(out)
    assert "org/gm-" in alone[0].decode()  # on its own, "GM" is its own entity
    report = build([tmp / "in"], BuildOptions(out_dir=out, progress=False))
    assert (report.built, report.unchanged) == (1, 1)  # b is not parsed again, only re-mapped
    assert exports(out) == exports(clean)
    remove(["gm-defines"], BuildOptions(out_dir=out, progress=False))
    assert exports(out) == alone


def test_an_article_whose_record_is_lost_is_built_again(both):
    tmp, clean = both
    out = tmp / "lost"
    build([tmp / "in"], BuildOptions(out_dir=out, progress=False))
    with sqlite3.connect(out / "store" / FILE_NAME) as db:
        db.execute("DELETE FROM records WHERE article = 'gm-alone'")
    report = build([tmp / "in"], BuildOptions(out_dir=out, progress=False))
    assert (report.built, report.unchanged) == (1, 1)
    assert exports(out) == exports(clean)


def test_a_clean_build_writes_each_graph_once(tmp_path, monkeypatch):
    """"GM" of gm-alone is General Motors only once gm-defines is read: its graph reaches
    the store once, and the corpus-wide identities patch it (tests/test_writer.py), not
    write it again."""
    from kg.store.embedded import Store

    written: list[str] = []
    real = Store.replace_graphs

    def counted(self, graphs, trig):
        graphs = list(graphs)
        written.extend(graphs)
        return real(self, graphs, trig)

    monkeypatch.setattr(Store, "replace_graphs", counted)
    out = tmp_path / "out"
    report = build([corpus(tmp_path / "in", ("b.md", ALONE), ("a.md", DEFINES))],
                   BuildOptions(out_dir=out, progress=False, batch_size=1))
    assert report.built == 2
    assert sorted(written) == ["https://kg.example.org/id/graph/gm-alone", "https://kg.example.org/id/graph/gm-defines"]
    assert entity_of(out, "gm-alone", "GM") == entity_of(out, "gm-defines", "General Motors")


def test_a_build_with_nothing_to_change_skips_the_pipeline_and_the_identity_step_unless_one_was_cut_short(
        tmp_path, monkeypatch):
    """Nothing changed: no pipeline is loaded and the corpus-wide identity step (which
    reads every name of the corpus) is skipped. But a build killed inside that step
    (here: after the pruning of the article that defined "GM", before gm-alone is
    written again without it) leaves the store unsettled, and the next build, though it
    has nothing to build, finishes the step: its exports are those of a clean build."""
    from kg.build import run as run_mod
    from kg.build import writer as writer_mod
    from kg.nlp import pipeline

    src = corpus(tmp_path / "in", ("a.md", DEFINES), ("b.md", ALONE))
    out = tmp_path / "out"
    build([src], BuildOptions(out_dir=out, progress=False))
    (src / "a.md").unlink()

    class Killed(BaseException):  # as SIGKILL: nothing after it runs
        pass

    def killed(*args, **kwargs):
        raise Killed

    with monkeypatch.context() as m:
        m.setattr(writer_mod, "write_graphs", killed)
        with pytest.raises(Killed):
            build([src], BuildOptions(out_dir=out, progress=False, prune=True))

    loads, settles = [], []
    real_load, real_settle = pipeline.load_pipeline, run_mod.settle_identities
    monkeypatch.setattr(pipeline, "load_pipeline", lambda *a, **k: loads.append(1) or real_load(*a, **k))
    monkeypatch.setattr(run_mod, "settle_identities", lambda *a, **k: settles.append(1) or real_settle(*a, **k))
    report = build([src], BuildOptions(out_dir=out, progress=False))
    assert (report.built, report.unchanged, loads, settles) == (0, 1, [], [1])

    clean = tmp_path / "clean"
    build([corpus(tmp_path / "alone", ("b.md", ALONE))], BuildOptions(out_dir=clean, progress=False))
    assert (out / "kg.trig").read_bytes() == (clean / "kg.trig").read_bytes()

    loads.clear(), settles.clear()
    report = build([src], BuildOptions(out_dir=out, progress=False))  # settled now: nothing at all to do
    assert (report.built, report.unchanged, loads, settles) == (0, 1, [], [])
