"""Real servers for the endpoint tests, started on 127.0.0.1 and stopped by whoever
started them: the PyPI ``oxigraph`` server, Virtuoso, and tiny ``http.server``s that
misbehave on purpose (500s, sleeps, auth)."""
from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.tools import debian_tool, free_port

ROOT = Path(__file__).resolve().parent.parent
OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")


def kg(*args: str, env: dict | None = None, timeout: float = 300, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real ``kg`` command, as a user runs it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KG_ENDPOINT_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout, cwd=cwd)


def wait_http(url: str, timeout: float = 60, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} after {timeout}s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def debian_package(marker: Path, package: str) -> None:
    """Install Debian ``package`` unless ``marker`` (a file it ships) exists: for packages
    without a binary on PATH (jars), the same way tests.tools.debian_tool installs."""
    if marker.exists():
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=300",
                    "--no-install-recommends", package], check=True, env=env, stdout=subprocess.DEVNULL)
    if not marker.exists():
        raise RuntimeError(f"{package} installed but {marker} is missing")


@contextmanager
def oxigraph_server(db: Path):
    """``oxigraph serve`` (read-write) over ``db``; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(db), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/query?query=ASK%7B%7D", proc=proc)
        yield base
    finally:
        stop(proc)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}
ServerThreads = 10

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


@contextmanager
def virtuoso_server(folder: Path):
    """Virtuoso 7 (Debian ``virtuoso-opensource-7-bin``) with its own ini and database in
    ``folder``, SQL and HTTP on free 127.0.0.1 ports; yields its base URL (user dba/dba)."""
    binary = debian_tool("virtuoso-t", "virtuoso-opensource-7-bin")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port))
    log = open(folder / "stdout.log", "wb")
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_http(f"{base}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", timeout=120, proc=proc)
        yield base
    finally:
        stop(proc)
        log.close()


@contextmanager
def tiny_server(handler_cls):
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler_cls)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def reply(self, code: int, text: str, ctype: str = "text/plain") -> None:
        data = text.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Fails500(Quiet):
    MESSAGE = "kaboom: the triple store is on fire"

    def do_GET(self):
        self.reply(500, f"<html><body><h1>Internal error</h1><p>{self.MESSAGE}</p></body></html>", "text/html")

    def do_POST(self):
        self.body()
        self.do_GET()


class Sleeps(Quiet):
    def do_POST(self):
        self.body()
        time.sleep(8)
        self.reply(200, '{"head": {"vars": []}, "results": {"bindings": []}}', "application/sparql-results+json")

    do_GET = do_POST


class NeedsBasicAuth(Quiet):
    USER, PASSWORD = "alice", "right-password"

    def do_POST(self):
        self.body()
        expected = "Basic " + base64.b64encode(f"{self.USER}:{self.PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg-test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.reply(200, '{"head": {}, "boolean": true}', "application/sparql-results+json")

    do_GET = do_POST


def proxy_handler(backend: str, delay: float = 0.0, fail_after: int | None = None):
    """A forwarding proxy to ``backend``: writes (PUT, POST of updates) are slowed by
    ``delay``; after ``fail_after`` writes every write gets a 503 (the store "stopped")."""
    writes = {"n": 0}
    lock = threading.Lock()

    class Proxy(Quiet):
        def forward(self, method):
            data = self.body() if method in ("POST", "PUT") else None
            write = method == "PUT" or (method == "POST" and self.path.startswith("/update"))
            if write:
                with lock:
                    writes["n"] += 1
                    n = writes["n"]
                if fail_after is not None and n > fail_after:
                    return self.reply(503, "store stopped for maintenance")
                time.sleep(delay)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            req = urllib.request.Request(backend + self.path, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    code, body, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "text/plain")
            except urllib.error.HTTPError as exc:
                code, body, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "text/plain")
            try:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client was killed mid-request: that is the test

        def do_GET(self):
            self.forward("GET")

        def do_POST(self):
            self.forward("POST")

        def do_PUT(self):
            self.forward("PUT")

    return Proxy
