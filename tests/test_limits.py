"""Hardening (limits): terminal control characters in what people read, exports during a
build, bounded batches and article size, one-line errors for bad options and files.

The CLI runs as a user runs it (subprocesses), from a copy of kg/ taken when the module
starts: a build's code hash covers the code, and builds compared here must run the same.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
import yaml

from kg.build.backends import MAX_BATCH_CHARS, batches
from kg.build.extractor import MAX_ARTICLE_CHARS, Extractor
from kg.reading.articles import ReadProblem, make_article
from kg.store.exportcache import CACHE_NAME
from kg.terminal import printable

from .conftest import ROOT

SCHEMA_ARTICLE = "https://schema.org/NewsArticle"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EVIL_TITLE = "Merkel \x1b]0;pwned\x07 visits \x1b[2J Paris \x9b31m now\x7f"
PEOPLE = ["Angela Merkel", "Emmanuel Macron", "Joe Biden", "Olaf Scholz", "Rishi Sunak", "Justin Trudeau"]
CITIES = ["Paris", "Berlin", "London", "Rome", "Madrid", "Vienna"]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    snap = tmp_path_factory.mktemp("code")
    shutil.copytree(ROOT / "kg", snap / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ontology", snap / "ontology")
    return {**os.environ, "PYTHONPATH": str(snap)}


def kg(env, *args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT.parent, stdin=subprocess.DEVNULL, **kw)


def corpus(folder: Path, n: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        a, b, c = PEOPLE[i % 6], PEOPLE[(i + 1) % 6], CITIES[i % 6]
        (folder / f"a{i:03d}.txt").write_text(
            f"{a} met {b} in {c} on Monday, officials said.\n\n{a} said the talks were useful. "
            f"\"We agree on trade,\" {b} said on Tuesday in {c}.", encoding="utf-8")
    return folder


def articles_in(path: Path) -> int:
    fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.N_QUADS
    return sum(1 for q in ox.parse(path=str(path), format=fmt)
               if q.predicate.value == RDF_TYPE and q.object.value == SCHEMA_ARTICLE)


def one_line_error(res: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in res.stderr, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    return lines[0]


# 1. Control characters.

def test_printable_escapes_c0_c1_and_del_but_not_tab_and_newline():
    assert printable("a\x1b[2Jb\x07c\x00\x7f\x9b\x85\r") == "a\\x1b[2Jb\\x07c\\x00\\x7f\\x9b\\x85\\x0d"
    assert printable("tab\tnew\nline é ü \u2028") == "tab\tnew\nline é ü \u2028"


def test_control_characters_reach_people_escaped_and_machines_exact(env, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    front = yaml.safe_dump({"id": "evil", "title": EVIL_TITLE}, allow_unicode=True)
    (src / "evil.md").write_text(f"---\n{front}---\nAngela Merkel met Emmanuel Macron in Paris.", encoding="utf-8")
    (src / "bad\x1b[2J.txt").write_bytes(b"\xff\xfe not UTF-8")  # its "skipped" line names it
    out = tmp_path / "out"
    built = kg(env, "build", src, "--out", out, "--no-progress")
    assert built.returncode == 1 and "1 built" in built.stderr, built.stderr
    assert "\x1b" not in built.stderr and "skipped" in built.stderr and "bad\\x1b[2J.txt" in built.stderr

    q = "SELECT ?t WHERE { GRAPH ?g { ?a <https://schema.org/headline> ?t } }"
    table = kg(env, "query", q, "--out", out)
    assert table.returncode == 0, table.stderr
    assert "Merkel \\x1b]0;pwned\\x07 visits \\x1b[2J Paris \\x9b31m now\\x7f" in table.stdout
    assert not any(c in table.stdout for c in "\x1b\x07\x9b\x7f")
    csv = kg(env, "query", q, "--out", out, "--format", "csv")
    assert csv.stdout.splitlines()[1] == EVIL_TITLE  # data for machines: exact
    as_json = json.loads(kg(env, "query", q, "--out", out, "--format", "json").stdout)
    assert as_json["results"]["bindings"][0]["t"]["value"] == EVIL_TITLE

    missing = kg(env, "build", tmp_path / "gone\x1b]0;x\x07", "--out", out)  # an error message with the path
    assert missing.returncode == 2
    assert "gone\\x1b]0;x\\x07" in one_line_error(missing) and "\x1b" not in missing.stderr


# 2. An export while a build writes the store.

def test_export_during_a_build_is_complete_or_refused(env, tmp_path):
    src, out = corpus(tmp_path / "in", 10), tmp_path / "out"
    assert kg(env, "build", src, "--out", out, "--no-progress").returncode == 0
    corpus(src, 30, start=10)
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(src), "--out", str(out), "--batch-size", "1",
                              "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             cwd=ROOT.parent)
    seen, refused = [], 0
    try:
        deadline = time.monotonic() + 300
        while build.poll() is None and time.monotonic() < deadline:
            res = kg(env, "export", "--out", out)  # out/kg.ttl: the file the build writes too
            if res.returncode == 0:
                seen.append(articles_in(out / "kg.ttl"))
            else:
                assert res.returncode == 5 and "store is busy" in one_line_error(res), res.stderr
                refused += 1
    finally:
        _, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert refused, "no export ran while the build held the store"
    assert set(seen) <= {10, 40}, f"partial exports: {seen}"
    final = kg(env, "export", "--out", out, "--format", "nquads", "-o", tmp_path / "all.nq")
    assert final.returncode == 0 and articles_in(tmp_path / "all.nq") == 40
    assert not [p for p in os.listdir(out) if p.startswith(".")]  # no temporaries left behind


# 3. Bounded batches and article size.

def _arts(*sizes: int) -> list:
    return [SimpleNamespace(body="x" * n) for n in sizes]


def test_batches_close_at_a_count_or_a_number_of_characters():
    sizes = lambda bs: [[len(a.body) for a in b] for b in bs]  # noqa: E731
    got = batches(_arts(40, 40, 40, 40, 150, 10, 10, 10, 10), 3, max_chars=100)
    assert sizes(got) == [[40, 40], [40, 40], [150], [10, 10, 10], [10]]
    assert sizes(batches(_arts(5, 5, 5, 5, 5), 2, max_chars=100)) == [[5, 5], [5, 5], [5]]
    # The default bound: four 200,000-character articles no longer go in one batch.
    assert sizes(batches(_arts(*[200_000] * 4), 32)) == [[200_000]] * 4
    assert all(sum(s) <= MAX_BATCH_CHARS for s in sizes(batches(_arts(*[70_000] * 10), 32)))
    assert sizes(batches(_arts(*[4_000] * 40), 32)) == [[4_000] * 32, [4_000] * 8]  # news: by count


def test_batches_are_lazy():
    pulled = []

    def source():
        for a in _arts(1, 1, 1, 1, 1):
            pulled.append(a)
            yield a

    it = batches(source(), 2)
    assert len(next(it)) == 2 and len(pulled) == 2  # a full batch goes without reading ahead


def test_an_article_over_the_limit_is_refused_naming_the_limit(nlp):
    ex = Extractor.__new__(Extractor)  # the refusal happens before any NLP
    ex._nlp = nlp
    big = make_article("Angela Merkel met Emmanuel Macron. " * (MAX_ARTICLE_CHARS // 30), {}, default_id="big")
    assert MAX_ARTICLE_CHARS < len(big.body) < nlp.max_length
    [problem] = ex.extract([big])
    assert isinstance(problem, ReadProblem)
    assert f"kg reads at most {MAX_ARTICLE_CHARS:,} per article" in problem.reason


# 4. One-line errors.

@pytest.mark.parametrize("size", ["0", "-1"])
def test_batch_size_below_one_is_a_usage_error(env, tmp_path, size):
    res = kg(env, "build", corpus(tmp_path / "in", 1), "--out", tmp_path / "out", "--batch-size", size)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "Invalid value for '--batch-size'" in res.stderr and not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def built(env, tmp_path_factory):
    out = tmp_path_factory.mktemp("built") / "out"
    res = kg(env, "build", corpus(out.parent / "in", 3), "--out", out, "--no-progress")
    assert res.returncode == 0, res.stderr
    return out


def test_export_to_a_folder_is_one_line(env, built, tmp_path):
    res = kg(env, "export", "--out", built, "-o", tmp_path)
    assert res.returncode == 1 and "is a folder" in one_line_error(res)


@pytest.mark.parametrize("kind", ["symlink", "pipe"])
def test_export_does_not_replace_a_symlink_or_a_pipe(env, built, tmp_path, kind):
    target = tmp_path / "x.ttl"
    if kind == "symlink":
        (tmp_path / "real.ttl").write_text("keep")
        target.symlink_to(tmp_path / "real.ttl")
    else:
        os.mkfifo(target)
    res = kg(env, "export", "--out", built, "-o", target, timeout=120)
    assert res.returncode == 1 and f"is a {kind}" in one_line_error(res)
    assert (target.is_symlink() and (tmp_path / "real.ttl").read_text() == "keep") if kind == "symlink" \
        else target.is_fifo()


def test_export_into_a_path_under_a_file_is_one_line(env, built, tmp_path):
    (tmp_path / "file").write_text("")
    res = kg(env, "export", "--out", built, "-o", tmp_path / "file" / "kg.ttl")
    assert res.returncode == 1 and "cannot write" in one_line_error(res)


def test_a_truncated_export_cache_is_rebuilt_from_the_store(env, built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = [(out / n).read_bytes() for n in ("kg.ttl", "kg.trig")]
    cache = out / "store" / CACHE_NAME
    size = cache.stat().st_size
    assert size > 8192
    with open(cache, "r+b") as f:
        f.truncate(size // 2)
    (out / "kg.ttl").unlink()
    res = kg(env, "build", corpus(built.parent / "in", 0), "--out", out, "--no-progress")
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert "0 built, 3 unchanged" in res.stderr
    [notice] = [line for line in res.stderr.splitlines() if "damaged" in line]
    assert notice.startswith("kg: ") and "rebuilding it from the store" in notice
    assert [(out / n).read_bytes() for n in ("kg.ttl", "kg.trig")] == before
