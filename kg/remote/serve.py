"""``kg serve``: the embedded store as a read-only SPARQL 1.1 endpoint
(``http://HOST:PORT/query``, SPARQL 1.1 Protocol) and, on every other path, the browser
explorer (``kg.web``, a WSGI app run here per request), both answered by this process
from the store opened read-only with pyoxigraph. No child server: nothing outlives
``kg serve``, and every request goes through the same checks (the explorer's console
through ``kg query``'s):

- read-only: there is no update operation nor Graph Store write; ``/update`` is refused;
- ``check_query`` (kg.store.query): no ``SERVICE`` (Oxigraph would fetch its URL) unless
  its host is in ``allow_service``; ``FROM`` / ``FROM NAMED`` (or the protocol's
  ``default-graph-uri`` / ``named-graph-uri``) restrict the dataset; otherwise the
  default graph is the union of the article graphs, each triple once;
- DNS rebinding: a request whose ``Host`` is not this server (``127.0.0.1:PORT``,
  ``localhost:PORT``, the bound address; any IP address when bound to all of them) gets
  403, so a web page on some other name cannot reach the store through the browser;
- cross-site requests: a POST whose ``Origin`` is another site gets 403, unless
  ``cors`` (then any origin may query, and reads the answer);
- builds: queries are answered from a checkpoint of the store (``StoreView``), taken
  holding the store's lock shared, so between two builds: while a build runs, from the
  one before it, never from half a build nor from files the build's compaction deletes;
  after it, from a new checkpoint. Checkpoints live in a hidden folder beside the store,
  removed when ``kg serve`` stops (or, after a SIGKILL, by the next ``kg serve``);
- ``timeout``: Oxigraph cannot cancel a query, so with a timeout each query runs in its
  own process (``kg.store.query.in_child``), killed when the time is
  up; that process dies with ``kg serve`` (``PR_SET_PDEATHSIG``).
"""
from __future__ import annotations

import ipaddress
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, QueryError, QueryRefusedError, ServeError, StoreBusyError

log = logging.getLogger(__name__)

DEFAULT_BIND = "127.0.0.1"
DEFAULT_PORT = 7878
MAX_QUERY_BYTES = 1 << 20
LOOPBACK_NAMES = ("127.0.0.1", "localhost")

# Media types we answer in (SPARQL 1.1 Protocol 2.1.6; the Results formats: JSON, XML,
# CSV / TSV; graphs in the RDF formats Oxigraph writes). The first is the default.
RESULT_TYPES = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                "application/json": ox.QueryResultsFormat.JSON,
                "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                "application/xml": ox.QueryResultsFormat.XML, "text/xml": ox.QueryResultsFormat.XML,
                "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/turtle": ox.RdfFormat.TURTLE,
               "application/x-turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "text/plain": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
               "application/ld+json": ox.RdfFormat.JSON_LD, "text/n3": ox.RdfFormat.N3}


@dataclass
class ServeOptions:
    store_dir: Path
    host: str = DEFAULT_BIND
    port: int = DEFAULT_PORT
    timeout: float | None = None
    cors: bool = False
    allow_service: tuple[str, ...] = ()
    hosts: set[str] = field(default_factory=set)  # accepted Host headers (filled by ``check``)

    def check(self) -> "ServeOptions":
        if not (Path(self.store_dir) / "CURRENT").exists():
            raise ServeError(f"{self.store_dir}: no kg store here (run `kg build` first, or pass --store)")
        if not 0 < self.port < 65536:
            raise ServeError(f"not a port: {self.port}")
        self.host = str(bind_address(self.host))
        names = [*LOOPBACK_NAMES, self.authority_host]
        self.hosts = {f"{n}:{self.port}" for n in names} | (set(names) if self.port == 80 else set())
        return self

    @property
    def authority_host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    @property
    def wildcard(self) -> bool:
        return ipaddress.ip_address(self.host).is_unspecified

    @property
    def url(self) -> str:
        return f"http://{self.authority_host}:{self.port}/query"


def bind_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An IP address to bind: names are not resolved (a name could resolve anywhere)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        raise ServeError(f"--host takes an IP address (such as 127.0.0.1 or ::1), not {host!r}") from None


def store_signature(store_dir: Path) -> tuple:
    """The store's files (name, size, mtime): changes whenever a build writes to it.
    RocksDB's info logs (LOG*) and lock files do not hold data."""
    try:
        return tuple(sorted((e.name, st.st_size, st.st_mtime_ns) for e in os.scandir(store_dir)
                            if e.is_file() and not e.name.startswith(("LOG", "LOCK")) and e.name != "kg.lock"
                            for st in [e.stat()]))
    except OSError:
        return ()


class Checkpoint:
    """One checkpoint of the store, opened read-only, with the requests using it."""

    def __init__(self, path: Path, store, signature: tuple):
        self.path, self.store, self.signature = path, store, signature
        self.users = 0
        self.retired = False  # a newer one answers new requests: remove when unused

    def remove(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
        shutil.rmtree(self.path, ignore_errors=True)


CHECKPOINTS_PREFIX = ".kg-serve-"  # + the store folder's name, "-", pid, "-", random


class StoreView:
    """The store as of its last build, from a checkpoint (``Store.checkpoint``) taken
    when the store's files changed and no build holds the store's lock; while a build
    does, the current checkpoint goes on answering. A checkpoint is removed once no
    request uses it any more, and all of them by ``close``."""

    def __init__(self, store_dir: Path):
        self.store_dir = Path(store_dir)
        self._lock = threading.Lock()  # guards _current and the users counts
        self._taking = threading.Lock()  # one checkpoint taken at a time
        self._current: Checkpoint | None = None
        self._taken = 0
        self._waiting = False  # said "a build is running" already
        remove_stale_checkpoints(self.store_dir)
        self.root = self._make_root()
        try:
            self.refresh()
        except BaseException:
            self.close()
            raise

    def _make_root(self) -> Path:
        """Beside the store, on its file system: checkpoints are hard links there."""
        prefix = f"{CHECKPOINTS_PREFIX}{self.store_dir.name}-{os.getpid()}-"
        try:
            return Path(tempfile.mkdtemp(prefix=prefix, dir=self.store_dir.resolve().parent))
        except OSError:  # a folder kg cannot write to: a copy in the temporary folder
            return Path(tempfile.mkdtemp(prefix=prefix))

    def refresh(self) -> None:
        """A new checkpoint if the store changed and no build holds it."""
        if store_signature(self.store_dir) == (self._current.signature if self._current else None):
            return
        if not self._taking.acquire(blocking=False):
            return  # another request is taking it: answer from the current one
        try:
            self._take()
        finally:
            self._taking.release()

    def _take(self) -> None:
        from kg.store.embedded import Store, shared_lock

        path = self.root / str(self._taken + 1)
        try:
            with shared_lock(self.store_dir, "serve"):
                signature = store_signature(self.store_dir)  # stable while the lock is held
                if self._current is not None and signature == self._current.signature:
                    return
                with Store(self.store_dir, read_only=True) as source:
                    source.checkpoint(path)
            self._taken += 1
            store = Store(path, read_only=True)
        except StoreBusyError:
            if not self._waiting:
                self._waiting = True
                log.info("a build is running: answering from the store as it was before it%s",
                         "" if self._current else " (none yet: 503 until the build is done)")
            return
        except KgError as exc:
            if self._current is None:
                raise ServeError(str(exc)) from exc
            log.warning("the store changed but cannot be read (%s): answering from the previous checkpoint", exc)
            return
        if self._waiting or self._current is not None:
            log.info("the store changed: answering from the new build")
        self._waiting = False
        with self._lock:
            old, self._current = self._current, Checkpoint(path, store, signature)
            if old is not None:
                old.retired = True
                if old.users == 0:
                    old.remove()

    @contextmanager
    def use(self):
        """The current checkpoint, kept while the caller uses it; None while none exists
        (``kg serve`` started during a build)."""
        self.refresh()
        with self._lock:
            cp = self._current
            if cp is not None:
                cp.users += 1
        try:
            yield cp
        finally:
            if cp is not None:
                with self._lock:
                    cp.users -= 1
                    if cp.retired and cp.users == 0:
                        cp.remove()

    def close(self) -> None:
        with self._lock:
            if self._current is not None:
                self._current.retired = True
                if self._current.users == 0:
                    self._current.remove()
            self._current = None
        shutil.rmtree(self.root, ignore_errors=True)


def remove_stale_checkpoints(store_dir: Path) -> None:
    """Checkpoint folders of a ``kg serve`` of this store that was killed (SIGKILL: no
    ``finally`` runs), found by their pid, which no process has any more."""
    parent = Path(store_dir).resolve().parent
    prefix = f"{CHECKPOINTS_PREFIX}{Path(store_dir).name}-"
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for e in entries:
        pid = e.name[len(prefix):].split("-")[0] if e.name.startswith(prefix) else ""
        if pid.isdigit() and not Path(f"/proc/{pid}").exists() and e.is_dir(follow_symlinks=False):
            shutil.rmtree(e.path, ignore_errors=True)


def negotiate(accept: str | None, types: dict) -> tuple[str, object]:
    """The media type and format to answer in, from an ``Accept`` header (RFC 9110 12.5.1,
    q-values and wildcards); the first of ``types`` when nothing listed is ours."""
    ranges = []
    for i, item in enumerate((accept or "").split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        q = 1.0
        for p in parts[1:]:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, i, media))
    for _, _, media in sorted(ranges):
        if media in types:
            return media, types[media]
        if media.endswith("/*"):
            prefix = media[:-1]
            for name, fmt in types.items():
                if media == "*/*" or name.startswith(prefix):
                    return name, fmt
    name = next(iter(types))
    return name, types[name]


def answer(store, sparql: str, dataset: dict, accept: str | None) -> tuple[str, bytes]:
    """(content type, body) of the query's result from ``store`` (a kg Store: without a
    dataset, its default graph), serialized as negotiated."""
    res = store.query(sparql, **dataset)
    if isinstance(res, (ox.QuerySolutions, ox.QueryBoolean)):
        media, fmt = negotiate(accept, RESULT_TYPES)
        body = res.serialize(format=fmt)
    else:
        media, fmt = negotiate(accept, GRAPH_TYPES)
        body = res.serialize(format=fmt)
    return f"{media}; charset=utf-8", body or b""


def _timed_child(store_dir: str, sparql: str, dataset: dict, accept: str | None, sender) -> None:
    from kg.store.embedded import Store

    try:
        with Store(store_dir, read_only=True) as store:
            sender.send(("ok", answer(store, sparql, dataset, accept)))
    except SyntaxError as exc:
        sender.send(("syntax", str(exc)))
    except Exception as exc:  # noqa: BLE001 - sent to the server, which answers 500
        sender.send(("error", str(exc)))
    finally:
        sender.close()


def answer_with_timeout(store_dir: Path, sparql: str, dataset: dict, accept: str | None,
                        timeout: float) -> tuple[str, bytes]:
    from kg.store.query import in_child

    kind, payload = in_child(_timed_child, (str(store_dir), sparql, dataset, accept), timeout)
    if kind == "syntax":
        raise SyntaxError(payload)
    if kind == "error":
        raise OSError(payload)
    return payload


class Handler(BaseHTTPRequestHandler):
    server_version = "kg-serve"
    options: ServeOptions
    view: StoreView
    app: object  # the explorer (a WSGI app)

    def log_message(self, fmt, *args):  # per-request lines only with kg -v
        log.debug("%s %s", self.address_string(), fmt % args)

    # -- responses
    def reply(self, code: int, body: bytes | str, ctype: str = "text/plain; charset=utf-8") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if self.options.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if host in self.options.hosts:
            return True
        if self.options.wildcard:  # bound to every address: any IP literal, never a name
            name, _, port = host.rpartition(":")
            try:
                ipaddress.ip_address(name.strip("[]"))
                return port == str(self.options.port)
            except ValueError:
                return False
        return False

    def origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is None or self.options.cors:
            return True
        parts = urllib.parse.urlsplit(origin.strip().lower())
        return parts.scheme == "http" and parts.netloc in self.options.hosts

    def guard(self, post: bool) -> bool:
        if not self.host_ok():
            self.reply(403, f"kg serve answers only requests for {', '.join(sorted(self.options.hosts))}, "
                            f"not Host: {self.headers.get('Host')}\n")
            return False
        if post and not self.origin_ok():
            self.reply(403, f"cross-origin POST from {self.headers.get('Origin')} refused (see kg serve --cors)\n")
            return False
        return True

    # -- methods
    def do_GET(self):
        if not self.guard(post=False):
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/query":
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if "query" not in params:
                return self.reply(200, f"kg SPARQL endpoint (read-only): send a query to {self.options.url}\n")
            return self.query(params)
        self.explorer(url)

    def explorer(self, url: urllib.parse.SplitResult) -> None:
        """The explorer's pages: its WSGI app run on this request (as wsgiref's server does)."""
        from wsgiref.handlers import SimpleHandler

        env = {"REQUEST_METHOD": self.command, "SCRIPT_NAME": "",
               "PATH_INFO": urllib.parse.unquote(url.path, "iso-8859-1"), "QUERY_STRING": url.query,
               "SERVER_NAME": self.options.authority_host, "SERVER_PORT": str(self.options.port),
               "SERVER_PROTOCOL": self.request_version, "REMOTE_ADDR": self.client_address[0],
               "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": "0"}
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                env[key] = f"{env[key]},{value}" if key in env else value
        handler = SimpleHandler(self.rfile, self.wfile, sys.stderr, env, multithread=True, multiprocess=False)
        handler.server_software = self.server_version
        handler.http_version = "1.0"  # the connection closes after each answer, as for queries
        handler.run(self.app)
        self.close_connection = True

    do_HEAD = do_GET

    def do_POST(self):
        if not self.guard(post=True):
            return
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_QUERY_BYTES:
            return self.reply(413, f"request larger than {MAX_QUERY_BYTES} bytes\n")
        body = self.rfile.read(length) if length > 0 else b""
        if url.path in ("/update", "/store"):
            return self.reply(403, "kg serve is read-only: no updates, no Graph Store writes\n")
        if url.path != "/query":
            return self.reply(404, "not found: queries go to /query\n")
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self.reply(400, "the request body is not UTF-8\n")
        if ctype == "application/sparql-query":
            params["query"] = [text]
        elif ctype == "application/x-www-form-urlencoded":
            for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        else:
            return self.reply(415, "send application/sparql-query or application/x-www-form-urlencoded\n")
        self.query(params)

    def _read_only(self):
        if self.guard(post=False):
            self.reply(405, "kg serve is read-only\n")

    do_PUT = do_DELETE = do_PATCH = _read_only

    def do_OPTIONS(self):
        if not self.guard(post=False):
            return
        self.send_response(204 if self.options.cors else 405)
        if self.options.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Allow", "GET, POST, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def query(self, params: dict[str, list[str]]) -> None:
        from kg.errors import EndpointTimeoutError
        from kg.store.query import check_query

        queries = params.get("query", [])
        if len(queries) != 1:
            return self.reply(400, "send exactly one query parameter\n")
        sparql = queries[0]
        given = "default-graph-uri" in params or "named-graph-uri" in params
        try:
            dataset = check_query(sparql, self.options.allow_service,
                                  params.get("default-graph-uri", []) if given else None,
                                  params.get("named-graph-uri", []) if given else None)
            accept = self.headers.get("Accept")
            with self.view.use() as checkpoint:
                if checkpoint is None:
                    return self.reply(503, "the store is being built: ask again when the build is done\n")
                if self.options.timeout:  # the query's process reads the checkpoint, kept meanwhile
                    ctype, body = answer_with_timeout(checkpoint.path, sparql, dataset, accept,
                                                      self.options.timeout)
                else:
                    ctype, body = answer(checkpoint.store, sparql, dataset, accept)
        except QueryRefusedError as exc:
            return self.reply(403, f"{exc}\n")
        except EndpointTimeoutError as exc:
            return self.reply(503, f"{exc}\n")
        except (QueryError, SyntaxError) as exc:
            return self.reply(400, f"SPARQL syntax error: {exc}\n" if isinstance(exc, SyntaxError) else f"{exc}\n")
        except (OSError, RuntimeError, ValueError) as exc:
            log.warning("query failed: %s", exc)
            return self.reply(500, f"query failed: {exc}\n")
        self.reply(200, body, ctype)


@contextmanager
def _checkpoint_store(view: StoreView):
    """The explorer's store for one request: the current checkpoint's (None: none yet)."""
    with view.use() as checkpoint:
        yield checkpoint.store if checkpoint is not None else None


def make_server(opts: ServeOptions) -> ThreadingHTTPServer:
    from kg.web import create_app

    opts.check()
    view = StoreView(opts.store_dir)
    try:
        app = create_app(lambda: _checkpoint_store(view), sparql_endpoint=opts.url)
    except BaseException:
        view.close()
        raise
    handler = type("BoundHandler", (Handler,), {"options": opts, "view": view, "app": app})
    family = socket.AF_INET6 if ":" in opts.host else socket.AF_INET
    server_cls = type("Server", (_Server,), {"address_family": family, "daemon_threads": True})
    try:
        server = server_cls((opts.host, opts.port), handler)
    except OSError as exc:
        view.close()
        raise ServeError(f"cannot listen on {opts.authority_host}:{opts.port}: {exc.strerror or exc}") from exc
    server.view = view
    return server


class _Server(ThreadingHTTPServer):
    view: StoreView

    def server_close(self) -> None:
        """Closing the server removes its checkpoints."""
        super().server_close()
        self.view.close()


def serve(store_dir: Path, host: str = DEFAULT_BIND, port: int = DEFAULT_PORT, timeout: float | None = None,
          cors: bool = False, allow_service: tuple[str, ...] = ()) -> int:
    """Answer queries in the foreground until interrupted (SIGINT) or stopped (SIGTERM: 0)."""
    server = make_server(ServeOptions(Path(store_dir), host, port, timeout, cors, tuple(allow_service)))

    def on_term(*_):  # shutdown() waits for serve_forever: from another thread
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, on_term) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        server.serve_forever(poll_interval=0.2)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()  # and the checkpoints
