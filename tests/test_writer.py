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
