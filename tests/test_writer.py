"""The build's writer: graphs reach the store in few, large bulk loads (kg.build.writer),
once, after the corpus-wide identities are known."""
from __future__ import annotations

from kg.build import BuildOptions, build
from kg.build import writer as writer_mod

from .tools import exports, make_corpus


def test_batches_are_written_together_and_give_the_same_build(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "in")
    loads: list[int] = []
    real = writer_mod.write_graphs

    def counted(store, cache, records, graphs, *rest):
        loads.append(len(graphs))
        return real(store, cache, records, graphs, *rest)

    monkeypatch.setattr(writer_mod, "write_graphs", counted)
    one = build([corpus], BuildOptions(out_dir=tmp_path / "one", progress=False, batch_size=1))
    assert one.built == 5
    assert loads == [5]  # five batches of one article, one bulk load

    loads.clear()
    monkeypatch.setattr(writer_mod, "WRITE_BYTES", 1)  # every graph on its own
    each = build([corpus], BuildOptions(out_dir=tmp_path / "each", progress=False, batch_size=1))
    assert each.built == 5
    assert loads == [1, 1, 1, 1, 1]
    assert exports(tmp_path / "one") == exports(tmp_path / "each")


def test_a_build_killed_before_its_store_writes_is_finished_without_parsing_again(tmp_path, monkeypatch):
    """Killed after extraction (records kept, the spool lost), the next build maps the
    articles from their records: no article goes through spaCy again, and the store and
    exports are a clean build's."""
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
    assert (report.built, report.unchanged) == (5, 0)
    assert exports(out) == exports(clean)
    again = build([corpus], BuildOptions(out_dir=out, progress=False))
    assert (again.built, again.unchanged) == (0, 5)


def test_the_pipeline_is_let_go_before_the_store_writes(tmp_path, monkeypatch):
    """The store's bulk loads take memory of their own (about 14 times their TriG): the
    spaCy pipeline and the workers are gone by then, so the two never add up."""
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

