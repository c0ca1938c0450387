"""The embedded on-disk store (Oxigraph): one named graph per article, and their union,
as a set, in the store's real default graph.

Locking: a build (the only writer) holds the lock file exclusively, readers (``kg export``,
``query``, ``push``, and ``kg serve`` while it takes a checkpoint) hold it shared
(``shared_lock``, ``snapshot``): a reader sees the store as before or after a build, never
half of one, and never has RocksDB delete files under it; whoever comes second is told the
store is busy.

A build replaces articles batch by batch (``replace_graphs``): their old graphs are
dropped, then the new ones arrive in one bulk load, which Oxigraph adds to the database in
one atomic step. A crash leaves either the old graph, no graph (the next build redoes the
article: its content hash is missing), or the new graph, never half of one. A graph that
changes in a few quads (corpus-wide identities) is patched in one update (``patch_graphs``).

The default graph: a triple held by several article graphs is there once (Oxigraph's own
union default graph repeats it per graph, inflating every COUNT over shared entities).
It is kept up to date with the named graphs (``replace_graphs``, ``drop_graph``), and the
marker file ``UNION_NAME`` says it is: a writer removes the marker when it opens the store
and writes it back when it closes after finishing every write it began, so a store whose
marker is missing (a crashed build, or a store made before the default graph was kept) has
its default graph derived again by the next writer (``_fill_default_graph``). Readers of
such a store answer from Oxigraph's union instead (bag semantics, as before), with a
warning. Exports and pushes read the named graphs only.
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from kg.rdf.datatypes import restore
from kg.errors import StoreBusyError, StoreError, translate
from kg.rdf.vocab import KG, PROV, SCHEMA

log = logging.getLogger("kg")

LOCK_NAME = "kg.lock"
BASE_IRI_NAME = "kg-base-iri"
UNION_NAME = "kg-default-graph"  # present: the default graph is the union of the named graphs
# The kg sub-commands that open a store, to say which one holds its lock.
STORE_COMMANDS = ("build", "remove", "export", "query", "push", "serve")
# How long a build waits for readers before it says the store is busy: long enough for
# ``kg serve`` to take a checkpoint (milliseconds), short enough to answer at once.
WRITER_PATIENCE = 1.0
# A graph block's opening line in Oxigraph's TriG ("<g> {" at column 0; triples are
# indented, literals escape their line breaks).
_GRAPH_OPEN = re.compile(rb"^[^\t\s@][^\n]* \{$", re.MULTILINE)
_warned_union: set[bool] = set()


class Store:
    def __init__(self, path: str | Path, *, read_only: bool = False, create: bool = True):
        """``create=False``: a store must be there already (``kg remove`` on a wrong
        path is told so instead of making an empty store)."""
        self.path = Path(path)
        self.read_only = read_only
        self.union_ready = False  # the default graph is the union of the named graphs
        self._union_fallback = False  # queries without a dataset use Oxigraph's union
        self._lock_fd: int | None = None
        self.locked_at: float | None = None
        # built_articles_with_activity, kept between writes: the graphs written since are
        # asked again, not all of them (a build asks it three times: ~0.7 s each at 2,000)
        self._built: dict[str, tuple[str, str, str]] | None = None
        self._written: set[str] = set()
        try:
            if read_only or not create:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"{self.path}: no kg store here (run `kg build` first, or pass --store)")
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
                self.union_ready = (self.path / UNION_NAME).exists()
                if not self.union_ready:
                    self._check_default_graph()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._lock()
                # When this process became the store's only writer: temporaries of an
                # export older than this were left by a killed writer (kg.store.export).
                self.locked_at = time.time()
                self._store = ox.Store(str(self.path))
                self._open_default_graph()
        except OSError as exc:
            self.close()
            err = translate(exc, f"{self.path}: cannot open store: {exc}", StoreError)
            if isinstance(err, StoreBusyError):
                err = StoreBusyError(f"{self.path}: the store is busy (another kg process is using it)")
            raise err from exc

    def _lock(self) -> None:
        fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + WRITER_PATIENCE
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreBusyError(f"{self.path}: the store is busy ({lock_holders(self.path)} "
                                         f"using it)") from exc
                time.sleep(0.05)
        self._lock_fd = fd

    def _check_default_graph(self) -> None:
        """A store without the marker: made by an older kg (an empty default graph: queries
        get Oxigraph's union of the named graphs, as then) or left by an interrupted build
        (its default graph may also hold triples of the articles it did not finish)."""
        empty = next(iter(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
        self._union_fallback = empty
        if not _warned_union and self.graphs():
            _warned_union.add(True)  # once per process (kg serve opens checkpoints)
            why = ("not filled yet (an older kg made the store): queries without FROM see each article graph's "
                   "triples, a shared one once per graph," if empty else
                   "not up to date (a build was interrupted): it may hold triples of the articles it left undone")
            log.warning("%s: the store's default graph is %s until the next kg build", self.path, why)

    def _open_default_graph(self) -> None:
        """Until this writer closes, the default graph may be out of step: the marker goes
        (durably) first; a store without it gets its default graph derived again."""
        marker = self.path / UNION_NAME
        if marker.exists():
            marker.unlink()
            _sync_dir(self.path)
        else:
            self._fill_default_graph()
        self.union_ready = True
        self._in_step = True  # false while a write is under way (see ``close``)

    def _fill_default_graph(self) -> None:
        """The default graph as the union of the named graphs: triples a crashed batch left
        without their graph go, every named graph's triples are (re)added (a set: a triple
        there already stays once)."""
        st = self._store
        try:
            st.update("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
            st.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                           for g in list(st.named_graphs()) for q in st.quads_for_pattern(None, None, None, g))
        except OSError as exc:
            raise translate(exc, f"{self.path}: cannot fill the default graph: {exc}", StoreError) from exc

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None and not self.read_only:
            store.flush()
            if getattr(self, "_in_step", False):  # every write begun was finished
                _write_atomically(self.path / UNION_NAME, "the union of the named graphs\n")
        self._store = None
        if store is not None and not self.read_only:
            del store
            _wait_for_rocksdb_to_close(self.path)  # before the lock goes: readers come next
            _drop_recycled_logs(self.path)
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    # Writing. The default graph is written before the named graphs and the old triples
    # leave it with their graph, in one transaction, so the default graph always holds
    # every named graph's triples; the article graph (with its kg:contentHash) is the
    # commit marker of an article. A crash after the default graph got a batch's triples
    # and before their graphs arrived leaves triples no graph holds: the next build redoes
    # those articles (no content hash) and, as the crash also left the store without its
    # ``UNION_NAME`` marker, first drops such triples (``_fill_default_graph``); without
    # that, the triples of an article changed or removed meanwhile would stay forever.
    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)
        self._in_step = False
        self._written.add(graph)
        try:
            self._store.update(_drop_update([graph]))
            self._store.extend([ox.Quad(q.subject, q.predicate, q.object) for q in quads] + quads)
        except OSError as exc:
            raise translate(exc, f"cannot write graph {graph}: {exc}", StoreError) from exc
        self._in_step = True

    def replace_graphs(self, graphs: Iterable[str], trig: bytes) -> None:
        """Replace a batch of graphs by the TriG (as Oxigraph writes it) that holds their new
        versions: the old ones go in a transaction, the new ones come in bulk loads, first
        into the default graph, then their own (Oxigraph writes the index files directly;
        three times cheaper than a transaction and no memtables filling memory). The GIL is
        free meanwhile."""
        graphs = list(graphs)
        self._in_step = False
        self._written.update(graphs)
        try:
            old = [g for g in graphs if self._store.contains_named_graph(ox.NamedNode(g))]
            if old:  # none in a clean build
                self._store.update(self._replace_update(old, trig))
            # "<g> {" -> "{": the same blocks as default-graph blocks of the TriG
            self._store.bulk_load(_GRAPH_OPEN.sub(b"{", trig), format=ox.RdfFormat.TRIG, lenient=True)
            self._store.bulk_load(trig, format=ox.RdfFormat.TRIG, lenient=True)
        except (OSError, SyntaxError) as exc:
            raise translate(exc, f"cannot write to the store: {exc}", StoreError) from exc
        self._in_step = True

    def patch_graphs(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
        """Take ``removed`` out of their named graphs and put ``added`` in theirs, in one
        transaction, with the default graph kept the set union: a removed triple leaves it
        unless another graph still holds it. For a graph that changes in a few triples of
        its thousands (corpus-wide identities, kg.build.writer.graph_diff), where dropping
        and loading it again rewrites every one of them in nine indexes. Quads without
        blank nodes only (``DELETE DATA`` takes none)."""
        if not removed and not added:
            return
        graphs = {q.graph_name for q in removed} | {q.graph_name for q in added}
        self._in_step = False
        self._written.update(g.value for g in graphs)
        try:
            self._store.update(self._patch_update(removed, added))
        except (OSError, SyntaxError) as exc:
            raise translate(exc, f"cannot write to the store: {exc}", StoreError) from exc
        self._in_step = True

    def _patch_update(self, removed: list[ox.Quad], added: list[ox.Quad]) -> str:
        st = self._store
        leaving = {(q.triple, q.graph_name) for q in removed}
        arriving = {q.triple for q in added}
        gone = []  # triples no graph holds once the patch is applied
        for t in {q.triple for q in removed}:  # (``_data_block`` sorts)
            if t in arriving:
                continue
            if not any((restore(h).triple, h.graph_name) not in leaving and not isinstance(h.graph_name, ox.DefaultGraph)
                       for h in st.quads_for_pattern(t.subject, t.predicate, t.object, None)):
                gone.append(t)
        ops = []
        if removed or gone:
            ops.append("DELETE DATA {\n" + _data_block(removed, gone) + "\n}")
        if added:
            ops.append("INSERT DATA {\n" + _data_block(added, arriving) + "\n}")
        return " ;\n".join(ops)

    def _replace_update(self, old: list[str], trig: bytes) -> str:
        """The update dropping ``old`` graphs that ``trig`` replaces: ``_drop_update``'s
        effect, computed here rather than by its FILTER NOT EXISTS, which costs about
        0.3 ms per quad (a rebuild of 600 articles after a code change: 124 s -> 420 s).
        Here only the old triples the new versions do not hold (after a code change,
        few) are looked up in the other graphs, and those no graph keeps leave the default
        graph in ``DELETE DATA``, in the same update as the DROPs."""
        st = self._store
        staying = {q.triple for q in ox.parse(trig, format=ox.RdfFormat.TRIG, lenient=True)}
        replaced = {ox.NamedNode(g) for g in old}
        gone = []
        for g in replaced:
            for q in st.quads_for_pattern(None, None, None, g):
                if q.triple in staying or restore(q).triple in staying:  # the new version has it
                    continue
                if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                    return _drop_update(old)  # DELETE DATA takes no blank node
                if not any(h.graph_name not in replaced and not isinstance(h.graph_name, ox.DefaultGraph)
                           for h in st.quads_for_pattern(q.subject, q.predicate, q.object, None)):
                    gone.append(f"{q.subject} {q.predicate} {q.object} .")
        drops = [f"DROP SILENT GRAPH {g}" for g in sorted(replaced, key=str)]
        return " ;\n".join(([f"DELETE DATA {{\n{chr(10).join(sorted(set(gone)))}\n}}"] if gone else []) + drops)

    def recorded_base_iri(self) -> str | None:
        """The base IRI the store's graphs were minted with (``record_base_iri``)."""
        try:
            return (self.path / BASE_IRI_NAME).read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def record_base_iri(self, base: str) -> None:
        """A store holds one base IRI: the article graphs of two would be two graphs per
        article id. Kept in a file beside the database, out of every graph and export."""
        _write_atomically(self.path / BASE_IRI_NAME, base + "\n")

    def drop_graph(self, graph: str) -> None:
        """The graph goes, and with it (same transaction) the default graph's triples that
        no other graph holds."""
        self._in_step = False
        self._written.add(graph)
        try:
            self._store.update(_drop_update([graph]))
        except OSError as exc:
            raise translate(exc, f"cannot drop graph {graph}: {exc}", StoreError) from exc
        self._in_step = True

    def checkpoint(self, target: Path) -> None:
        """A copy of the store in ``target`` (a new folder), as of now, that lives on
        whatever a build does to this store: Oxigraph's backup, hard links to RocksDB's
        immutable files on the same file system (milliseconds). Take it holding the lock
        (``shared_lock``), so that "now" is between two builds."""
        try:
            self._store.backup(str(target))
            for name in (UNION_NAME, BASE_IRI_NAME):
                if (self.path / name).exists():
                    shutil.copyfile(self.path / name, target / name)
        except OSError as exc:
            shutil.rmtree(target, ignore_errors=True)
            raise translate(exc, f"{self.path}: cannot take a checkpoint in {target}: {exc}", StoreError) from exc

    # Reading
    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """The named graphs' quads (or ``graph``'s) as kg wrote them (derived datatypes
        restored: kg.rdf.datatypes); never the default graph, which repeats them."""
        for g in [ox.NamedNode(graph)] if graph else self._named():
            for q in self._store.quads_for_pattern(None, None, None, g):
                yield restore(q)

    def _named(self) -> list:
        return sorted(self._store.named_graphs(), key=str)

    def count(self) -> int:
        """Quads in the named graphs."""
        st = self._store
        return sum(1 for g in self._named() for _ in st.quads_for_pattern(None, None, None, g))

    def built_articles_with_activity(self) -> dict[str, tuple[str, str, str]]:
        """article id -> (graph IRI, content hash, IRI of the build activity). Article
        graphs change only through this object's methods, which note the graphs they
        write: after the first call only those are asked again."""
        if self._built is None or len(self._written) > 1000:
            self._built, self._written = self._articles_in(None), set()
        elif self._written:
            written, self._written = self._written, set()
            self._built = {aid: v for aid, v in self._built.items() if v[0] not in written}
            self._built.update(self._articles_in(sorted(written)))
        return dict(self._built)

    def _articles_in(self, graphs: list[str] | None) -> dict[str, tuple[str, str, str]]:
        """``built_articles_with_activity`` of these graphs (None: of all)."""
        among = "VALUES ?g { " + " ".join(str(ox.NamedNode(g)) for g in graphs) + " }" if graphs is not None else ""
        q = f"""SELECT ?g ?id ?h ?act WHERE {{ {among} GRAPH ?g {{
                  ?a a <{SCHEMA.NewsArticle}> ; <{SCHEMA.identifier}> ?id ; <{KG.contentHash}> ?h ;
                     <{PROV.wasGeneratedBy}> ?act }} }}"""
        return {s["id"].value: (s["g"].value, s["h"].value, s["act"].value) for s in self._store.query(q)}

    def query(self, sparql: str, **kwargs):
        """Without a dataset (keyword arguments), the default graph is the store's own
        (the set union of the article graphs), or Oxigraph's union default graph while
        that one is not filled (``_check_default_graph``)."""
        if not kwargs and self._union_fallback:
            kwargs = {"use_default_graph_as_union": True}
        return self._store.query(sparql, **kwargs)


def _data_block(quads: Iterable[ox.Quad], triples: Iterable[ox.Triple]) -> str:
    """The body of a ``DELETE DATA`` / ``INSERT DATA``: ``quads`` in their named graphs,
    ``triples`` in the default graph; sorted (one update text for one patch)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.triple} .")
    parts = [f"GRAPH {g} {{\n" + "\n".join(sorted(ts)) + "\n}" for g, ts in sorted(by_graph.items())]
    return "\n".join(parts + sorted(f"{t} ." for t in triples))


def _drop_update(graphs: Iterable[str]) -> str:
    """A SPARQL update (one transaction) dropping ``graphs`` and, before each, the default
    graph's triples that only it holds. In sequence: of two graphs dropped together, the
    second sees the first gone."""
    ops = []
    for graph in graphs:
        g = str(ox.NamedNode(graph))
        ops.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
                   f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g}) }} }}")
        ops.append(f"DROP SILENT GRAPH {g}")
    return " ;\n".join(ops) or "CLEAR SILENT GRAPH <urn:x-kg:none>"


def _wait_for_rocksdb_to_close(path: Path, patience: float = 2.0) -> None:
    """Wait until RocksDB has closed the database (its ``LOCK`` file) before the store
    lock goes: a reader that then opens the store finds its files as the writer left them.
    The pyoxigraph store closes when its last reference goes, which a reference cycle can
    hold (a query's result, through ``run_local``): a garbage collection frees it (seen:
    a reader opening after a writer's close failed on an .sst file the writer then
    deleted). Linux (/proc); elsewhere nothing to wait on."""
    lock = str((path / "LOCK").resolve())

    def held() -> bool:
        try:
            fds = os.listdir("/proc/self/fd")
        except OSError:
            return False
        for fd in fds:
            try:
                if os.readlink(f"/proc/self/fd/{fd}") == lock:
                    return True
            except OSError:
                continue
        return False

    if not held():
        return
    import gc

    gc.collect()
    deadline = time.monotonic() + patience
    while held() and time.monotonic() < deadline:
        time.sleep(0.005)


# Write-ahead logs left in the folder past this many bytes are dropped when a writer closes.
RECYCLED_LOGS_LIMIT = 1 << 20


def _drop_recycled_logs(path: Path) -> None:
    """Oxigraph's RocksDB keeps up to 10 spent write-ahead logs for reuse
    (recycle_log_file_num=10), at full size, until the database is next opened: after a
    build that wrote through transactions (replaced graphs), tens of MB of data already in
    the index files (40 MB for 250 articles). Opening and closing the database again, still
    holding the lock, lets RocksDB delete them (0.1 s). RocksDB's own diagnostic logs
    (a ``LOG.old.*`` per opening, kept by the thousand) go too, but the last one."""
    try:
        logs = sum(e.stat().st_size for e in os.scandir(path) if e.name.endswith(".log") and e.is_file())
    except OSError:
        return
    if logs > RECYCLED_LOGS_LIMIT:
        try:
            store = ox.Store(str(path))
        except OSError as exc:  # still open here (see _wait_for_rocksdb_to_close): left for next time
            log.debug("%s: write-ahead logs left: %s", path, exc)
        else:
            del store
            _wait_for_rocksdb_to_close(path)
    for old in sorted(path.glob("LOG.old.*"), key=lambda p: p.name)[:-1]:  # named by the time of the opening
        old.unlink(missing_ok=True)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _sync_dir(path.parent)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _sync_dir(path: Path) -> None:
    """A rename or unlink in ``path`` survives a power cut only once the folder is synced."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Readers.
@contextmanager
def shared_lock(store_dir: Path, doing: str = "read it") -> Iterator[None]:
    """Hold the store's lock shared while reading it: a build holds it exclusively, so a
    reader sees the store as before or after a build (a read-only open is a snapshot of
    the moment it opens), never between two of its batches, and no build starts (or
    compacts files away under the reader) until it is done. While a build runs:
    StoreBusyError, as a second build gets, saying to ``doing`` when the build is done."""
    store_dir = Path(store_dir)
    fd = None
    if (store_dir / "CURRENT").exists():  # else Store says there is no store here
        try:
            fd = os.open(store_dir / LOCK_NAME, os.O_RDONLY | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise translate(exc, f"{store_dir}: cannot open the store's lock: {exc}", StoreError) from exc
            fd = None  # a store folder kg cannot write to: no build can write there either
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreBusyError(f"{store_dir}: the store is busy (a kg build is writing it); "
                                     f"{doing} when the build is done") from exc
        yield
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


@contextmanager
def snapshot(store_dir: Path, doing: str = "read it") -> Iterator[Store]:
    """The store opened read-only, holding its lock shared (``shared_lock``) meanwhile."""
    with shared_lock(store_dir, doing), Store(store_dir, read_only=True) as store:
        yield store


def lock_holders(store_dir: Path) -> str:
    """Who holds the store's lock, for the "busy" message: "kg export (pid 12)", from
    /proc/locks and the holders' command lines (Linux); a generic phrase elsewhere."""
    generic = "another kg process (" + ", ".join(STORE_COMMANDS) + ") is"
    try:
        st = os.stat(store_dir / LOCK_NAME)
        dev = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
        with open("/proc/locks", encoding="ascii", errors="replace") as f:
            pids = sorted({int(fields[4]) for fields in (line.split() for line in f)
                           if len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == dev
                           and fields[4].isdigit() and int(fields[4]) != os.getpid()})
    except (OSError, ValueError):
        return generic
    who = []
    for pid in pids:
        try:
            argv = open(f"/proc/{pid}/cmdline", "rb").read().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        command = next((a for a in argv if a in STORE_COMMANDS), None)
        if command is not None:
            who.append(f"kg {command} (pid {pid})")
    if not who:
        return generic
    return (", ".join(who) + (" are" if len(who) > 1 else " is"))
