"""Readers of the store during a build: ``kg query`` and ``kg push`` hold the store lock
shared like ``kg export`` (refused while a build runs), ``kg serve`` answers from a
checkpoint taken between builds, and a build refused because of a reader says which."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreBusyError
from kg.store.embedded import Store
from tests.tools import ROOT, free_port, kg, one_line_error, stop, wait_http

ARTICLES = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://schema.org/NewsArticle> }"


def small_store(path: Path, graphs: int = 3, triples: int = 2) -> Path:
    """A store written by kg's writer, without NLP: every graph holds the same triples."""
    with Store(path) as store:
        for g in range(graphs):
            quads = [ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.NamedNode(f"urn:o{i}"),
                             ox.NamedNode(f"urn:g{g}")) for i in range(triples)]
            store.replace_graph(f"urn:g{g}", quads)
    return path


def test_query_and_push_during_a_build_say_the_store_is_busy(tmp_path):
    store_dir = small_store(tmp_path / "store", graphs=3)
    with Store(store_dir):  # a build holds the store
        for args in (["query", "SELECT * { ?s ?p ?o }"], ["query", "ASK {}", "--timeout", "30"],
                     ["push", "--endpoint", "http://127.0.0.1:9/query", "--no-ontology"],
                     ["export", "-o", str(tmp_path / "x.ttl")]):
            res = kg(*args, "--store", str(store_dir))
            assert res.returncode == 5, (args, res.stderr)
            assert "store is busy" in one_line_error(res) and "build" in res.stderr, res.stderr
    res = kg("query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--store", str(store_dir), "--format", "csv")
    assert res.returncode == 0 and res.stdout.split() == ["n", "2"], res.stderr  # each triple once


def test_a_build_refused_by_a_reader_says_which(tmp_path):
    store_dir = small_store(tmp_path / "store", graphs=1, triples=300)
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # killed by its timeout
    reader = subprocess.Popen([sys.executable, "-m", "kg", "query", slow, "--store", str(store_dir), "--timeout", "20"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    children = Path(f"/proc/{reader.pid}/task/{reader.pid}/children")
    try:
        deadline = time.monotonic() + 30
        while not children.read_text().split():  # its query process starts once it holds the lock
            assert time.monotonic() < deadline and reader.poll() is None, reader.stderr.read()
            time.sleep(0.05)
        with pytest.raises(StoreBusyError) as busy:
            Store(store_dir)
        assert f"kg query (pid {reader.pid}) is using it" in str(busy.value)
    finally:
        reader.kill()
        reader.wait()


# kg serve during builds (spaCy builds).

PEOPLE = ["Angela Merkel", "Emmanuel Macron", "Olaf Scholz", "Mark Rutte"]


def corpus(folder: Path, n: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        a, b = PEOPLE[i % 4], PEOPLE[(i + 1) % 4]
        (folder / f"n{i:03d}.txt").write_text(f"{a} met {b} in Berlin on Monday. {a} said the talks went well.",
                                              encoding="utf-8")
    return folder


def ask(port: int, sparql: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}/query?{urllib.parse.urlencode({'query': sparql})}"
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())["results"]["bindings"][0]["n"]["value"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def checkpoints(store_dir: Path) -> list[str]:
    return [p.name for p in store_dir.parent.iterdir() if p.name.startswith(".kg-serve-")]


def serve(store_dir: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store_dir), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_http(f"http://127.0.0.1:{port}/", proc=proc)
    return proc


@pytest.mark.integration
def test_serve_answers_from_before_or_after_a_build_never_between(tmp_path):
    src, out = corpus(tmp_path / "in", 3), tmp_path / "out"
    assert kg("build", str(src), "--out", str(out), "--no-progress").returncode == 0
    store_dir = out / "store"
    port = free_port()
    proc = serve(store_dir, port)
    try:
        assert ask(port, ARTICLES) == (200, "3")
        assert len(checkpoints(store_dir)) == 1
        corpus(src, 8, start=3)
        build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(src), "--out", str(out), "--batch-size", "1",
                                  "--no-progress"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        during = []
        while build.poll() is None:
            during.append(ask(port, ARTICLES))
        _, err = build.communicate()
        assert build.returncode == 0, err
        assert during and all(code == 200 for code, _ in during), during  # answered throughout
        assert {n for _, n in during} <= {"3", "11"}, during  # never half a build
        assert "3" in {n for _, n in during}
        assert ask(port, ARTICLES) == (200, "11")  # the new build, at the next request
    finally:
        stop(proc)
    assert proc.returncode == 0, proc.stderr.read()
    assert not checkpoints(store_dir), "kg serve left its checkpoints behind"


def test_serve_started_during_a_build_answers_once_it_is_done(tmp_path):
    store_dir = small_store(tmp_path / "store", graphs=2)
    port = free_port()
    with Store(store_dir):  # a build holds the store
        proc = serve(store_dir, port)
        try:
            code, body = ask(port, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
            assert code == 503 and "being built" in body
        except BaseException:
            stop(proc)
            raise
    try:
        assert ask(port, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == (200, "2")
    finally:
        stop(proc)
    assert not checkpoints(store_dir)


def test_checkpoints_of_a_killed_serve_are_removed_by_the_next(tmp_path):
    store_dir = small_store(tmp_path / "store")
    port = free_port()
    proc = serve(store_dir, port)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(checkpoints(store_dir)) == 1  # nothing could run
    proc = serve(store_dir, port)
    try:
        assert len(checkpoints(store_dir)) == 1  # its own only
    finally:
        stop(proc)
    assert not checkpoints(store_dir)
