"""Crash safety (issue 6, parts 3 and 4): SIGKILLed builds, two builds at once, hostile
ids in ``kg remove``.

Real ``kg build`` processes are killed with SIGKILL at seeded random delays spread over
the build and, to be sure some kills land in the short store and export phases whatever
the machine's speed, when the store has taken a seeded number of bulk-load files or the
moment an export's temporary file appears in the output folder (both seen from outside,
no hook in kg).
After each kill the exports are the previous complete ones or the new complete ones,
byte for byte, the store opens and every graph in it is a whole graph of one of the two
versions of its article, and the next ``kg build`` gives a clean build's store and
exports.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store.exportcache import CACHE_NAME
from kg.store.embedded import LOCK_NAME, Store

from .tools import SEED

KG = [sys.executable, "-m", "kg"]
ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 8  # each: KILLS_PER_ROUND killed builds, then one that finishes
KILLS_PER_ROUND = 3
MIN_KILLS = 24  # rounds go on (up to 3 x ROUNDS) until this many builds were killed
SEED_RANDOM = 20261129
STATS: Counter = Counter()

PEOPLE = ["Angela Merkel", "Emmanuel Macron", "Joe Biden", "Olaf Scholz", "Rishi Sunak", "Justin Trudeau",
          "Fumio Kishida", "Jacinda Ardern", "Pedro Sanchez", "Mark Rutte"]
PLACES = ["Berlin", "Paris", "Washington", "London", "Ottawa", "Tokyo", "Madrid", "Brussels", "Geneva", "Rome"]
ORGS = ["Boeing", "Airbus", "Siemens", "Toyota", "Apple", "Reuters", "the United Nations", "NATO"]


def write_corpus(root: Path, version: str, n: int = 36) -> Path:
    """``n`` articles; version "b" changes every article, drops one and adds one."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n + 1):
        if (version == "a" and i == n) or (version == "b" and i == 0):
            continue
        p, q = PEOPLE[i % 10], PEOPLE[(i * 3 + 1) % 10]
        place = PLACES[(i + (1 if version == "b" else 0)) % 10]
        org = ORGS[i % 8]
        text = (f"---\npublished: 2021-05-{i % 28 + 1:02d}\n---\n{p} met {q} in {place} on Monday.\n\n"
                f"{org} said it would cut {1000 + i} jobs in {place} next year. \"We regret it,\" {p} said.\n\n"
                f"{q} visited {PLACES[(i + 5) % 10]} on Tuesday and spoke to reporters about {org}.\n\n"
                f"Talks with {PEOPLE[(i + 7) % 10]} are planned for March {i % 27 + 1}, officials said.")
        (root / f"story-{i:03d}.md").write_text(text, encoding="utf-8")
    (root / "seed.txt").write_text(SEED if version == "a" else SEED.replace("Helsinki", "Geneva"), encoding="utf-8")
    return root


def exports(out: Path) -> tuple[bytes | None, bytes | None]:
    return tuple((out / n).read_bytes() if (out / n).exists() else None for n in ("kg.ttl", "kg.trig"))


def graphs_of(store_dir: Path) -> dict[str, frozenset]:
    with Store(store_dir, read_only=True) as store:
        return {g: frozenset(store.quads(g)) for g in store.graphs()}


def temp_files(out: Path) -> list[str]:
    return sorted(n for n in os.listdir(out) if n.endswith(".tmp") or n.startswith(".kg-export-"))


_ENV: dict[str, str] = {}


def frozen_code(root: Path) -> dict[str, str]:
    """An environment running kg from a copy of kg/ and ontology/ taken now. A build's
    IRI carries a hash of the code, so every build a test compares must run the same
    code, even if the working tree changes while the test runs."""
    import shutil

    snap = root / "code"
    shutil.copytree(ROOT / "kg", snap / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ontology", snap / "ontology")
    return {**os.environ, "PYTHONPATH": str(snap)}


def kg_cmd(*args: str, **kw):
    return subprocess.run([*KG, *args], capture_output=True, text=True, env=_ENV, cwd=ROOT.parent, **kw)


def kg_build(corpus: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([*KG, "build", str(corpus), "--out", str(out), "--batch-size", "4", "--prune",
                             "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_ENV,
                            cwd=ROOT.parent)


def kill_when(proc: subprocess.Popen, out: Path, when: float | str | int) -> bool:
    """SIGKILL ``proc`` after ``when`` seconds (a float), as soon as an export's temporary
    file shows in ``out`` ("export"), or once the store has shown ``when`` (an int)
    distinct RocksDB bulk-load files (a build of the corpus here makes about 120, spread
    over its store writes). False if it finished first."""
    deadline = time.monotonic() + (when if isinstance(when, float) else 120)
    bulk: set[str] = set()
    store = out / "store"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if when == "export" and out.exists() and any(n.startswith(".kg.") and n.endswith(".tmp") for n in os.listdir(out)):
            break
        if isinstance(when, int) and not isinstance(when, bool) and store.exists():
            bulk.update(n for n in os.listdir(store) if n.startswith("bulk-"))
            if len(bulk) >= when:
                break
        time.sleep(0.002 if isinstance(when, float) else 0.0005)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Both versions of the corpus and their clean builds: {v: (corpus, exports, graphs)}."""
    root = tmp_path_factory.mktemp("crash")
    _ENV.update(frozen_code(root))
    _ENV["KG_WRITE_BYTES"] = "1"  # a store write per article (kg buffers ~100): kills land between them
    out = {}
    for v in ("a", "b"):
        corpus = write_corpus(root / f"in-{v}", v)
        clean = root / f"clean-{v}"
        proc = kg_build(corpus, clean)
        assert proc.wait() == 0, proc.stderr.read().decode()
        out[v] = (corpus, exports(clean), graphs_of(clean / "store"))
    return root, out


def check_after_kill(out: Path, prev: str, target: str, versions) -> str:
    """The invariants after a kill; returns where the kill landed."""
    got = exports(out)
    for i, name in enumerate(("kg.ttl", "kg.trig")):
        assert got[i] in (versions[prev][1][i], versions[target][1][i]), f"{name} is neither complete export"
        list(ox.parse(got[i], format=ox.RdfFormat.TURTLE if i == 0 else ox.RdfFormat.TRIG))
    graphs = graphs_of(out / "store")
    old, new = versions[prev][2], versions[target][2]
    for g, quads in graphs.items():
        assert quads in (old.get(g), new.get(g)), f"graph {g} is not a whole graph of either version"
    db = sqlite3.connect(out / "store" / CACHE_NAME)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    changed = {g for g in set(old) | set(new) if old.get(g) != new.get(g)}
    done = {g for g in changed if graphs.get(g) == new.get(g)}
    if got == versions[target][1]:
        return "after the exports were written"
    if got != versions[prev][1] or temp_files(out):
        STATS["temp files seen after a kill"] += len(temp_files(out))
        new_ttl, new_trig = (got[i] == versions[target][1][i] for i in (0, 1))
        STATS["kg.ttl and kg.trig of different builds"] += new_ttl != new_trig
        return "during export writes"
    if not done:
        return "before store writes"
    if done != changed:
        return "during store writes"
    return "after store writes, before exports"


def test_sigkill_at_random_points_loses_nothing(versions, tmp_path):
    root, vs = versions
    out = tmp_path / "out"
    rng = random.Random(SEED_RANDOM)
    (out / "store").mkdir(parents=True)
    (out / "store" / LOCK_NAME).touch()
    t0 = time.monotonic()
    first = kg_build(vs["a"][0], out)
    while not _lock_held(out / "store" / LOCK_NAME) and first.poll() is None:
        time.sleep(0.002)
    locked = time.monotonic() - t0  # the pipeline is loaded: the store work starts
    assert first.wait() == 0, first.stderr.read().decode()
    duration = time.monotonic() - t0  # a whole build, pipeline loading included
    assert exports(out) == vs["a"][1]
    state = "a"
    where: Counter = Counter()
    kills = 0
    r = 0
    while kills < MIN_KILLS and r < 3 * ROUNDS or r < ROUNDS:
        r += 1
        target = "b" if state == "a" else "a"
        for k in range(KILLS_PER_ROUND):
            # the first kill of a round anywhere (pipeline loading included), the others
            # in the store and export work; the last of a round waits for an export's
            # temporary file (odd rounds) or for some of the store's bulk loads (even)
            when: float | str | int
            if k == KILLS_PER_ROUND - 1:
                when = "export" if r % 2 == 1 else rng.randint(10, 90)
            else:
                when = rng.uniform(0.3, duration * 0.9) if k == 0 else rng.uniform(locked, duration * 0.9)
            proc = kg_build(vs[target][0], out)
            if not kill_when(proc, out, when):
                assert proc.returncode == 0, proc.stderr.read().decode()
                STATS["builds that finished before the kill"] += 1
                state = target
                break
            kills += 1
            where[check_after_kill(out, state, target, vs)] += 1
        proc = kg_build(vs[target][0], out)  # the next build finishes the work
        assert proc.wait() == 0, proc.stderr.read().decode()
        assert exports(out) == vs[target][1]
        assert graphs_of(out / "store") == vs[target][2]
        assert not temp_files(out), temp_files(out)
        state = target
    STATS.update(kills=kills, rounds=r, **{f"killed {k}": v for k, v in where.items()})
    print(f"\ncrash: build {duration:.1f}s (store locked at {locked:.1f}s); {dict(STATS)}")
    assert kills >= MIN_KILLS
    assert where["during store writes"] >= 1 and where["during export writes"] >= 1


# Two builds on one store.

def _lock_held(lock: Path) -> bool:
    """Whether some process holds a flock on ``lock`` (read from /proc/locks, no locking)."""
    inode = os.stat(lock).st_ino
    with open("/proc/locks") as f:
        return any(line.split()[1] == "FLOCK" and line.split()[5].endswith(f":{inode}") for line in f)


def test_second_build_on_a_busy_store_says_so_and_changes_nothing(versions, tmp_path):
    root, vs = versions
    out = tmp_path / "out"
    (out / "store").mkdir(parents=True)
    lock = out / "store" / LOCK_NAME
    lock.touch()
    # a corpus big enough that the first build holds the lock long after the second has
    # loaded its pipeline (both load it before asking for the store)
    big = write_corpus(tmp_path / "big", "a", n=240)
    first = kg_build(big, out)
    deadline = time.monotonic() + 60
    while not _lock_held(lock):
        assert first.poll() is None and time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.005)
    second = kg_build(vs["b"][0], out)
    err = second.communicate(timeout=120)[1].decode()
    assert second.returncode != 0
    assert "busy" in err and str(out / "store") in err, err
    assert first.poll() is None, "the second build must not wait for the first"
    assert first.wait() == 0, first.stderr.read().decode()
    clean = kg_build(big, tmp_path / "clean")
    assert clean.wait() == 0
    assert exports(out) == exports(tmp_path / "clean")
    assert graphs_of(out / "store") == graphs_of(tmp_path / "clean" / "store")


def test_two_builds_started_together(versions, tmp_path):
    """Both started at once: one is told the store is busy, the other's result is clean."""
    root, vs = versions
    out = tmp_path / "out"
    procs = [kg_build(vs["a"][0], out) for _ in range(2)]
    results = [(p.wait(), p.stderr.read().decode()) for p in procs]
    codes = sorted(rc for rc, _ in results)
    print(f"\ntwo builds at once: exit codes {codes}")
    assert codes[0] == 0
    assert codes[1] == 0 or any("busy" in err for rc, err in results if rc), results
    assert exports(out) == vs["a"][1]
    assert graphs_of(out / "store") == vs["a"][2]


# kg remove with hostile ids.

HOSTILE_IDS = ["x> } ; DROP ALL ; #", 'x" } ; DROP ALL ; #', "story-001> } DROP ALL", "story-001\n",
               "story-001 ", "}", ">", '"', "\n", "story-*", "?id", "<https://kg.example.org/id/graph/story-001>",
               "' OR 1=1 --", "story-001\\", "%73tory-001"]


def test_remove_hostile_ids_removes_nothing_else(versions, tmp_path):
    root, vs = versions
    corpus = tmp_path / "in"
    corpus.mkdir()
    for n in ("story-001.md", "story-002.md"):
        (corpus / n).write_bytes((vs["a"][0] / n).read_bytes())
    evil = "x> } ; DROP ALL ; #"
    (corpus / "evil.md").write_text(f"---\nid: '{evil}'\n---\nAngela Merkel met Joe Biden in Paris.", encoding="utf-8")
    out = tmp_path / "out"
    res = kg_cmd("build", str(corpus), "--out", str(out), "--no-progress")
    assert res.returncode == 0, res.stderr
    before_graphs, before_exports = graphs_of(out / "store"), exports(out)
    for hostile in HOSTILE_IDS[1:]:
        res = kg_cmd("remove", hostile, "--out", str(out))
        assert res.returncode == 0 and "not in the store" in res.stderr, res.stderr  # a notice only
        assert graphs_of(out / "store") == before_graphs
        assert exports(out) == before_exports
    # the article whose id is an injection attempt is removed, and only it
    res = kg_cmd("remove", evil, "--out", str(out))
    assert res.returncode == 0, res.stderr
    after = graphs_of(out / "store")
    assert len(after) == 2 and set(after) < set(before_graphs)
    assert all(after[g] == before_graphs[g] for g in after)
    assert b"DROP ALL" not in exports(out)[1]
