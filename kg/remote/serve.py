"""``kg serve``: the embedded store as a SPARQL endpoint, through the ``oxigraph`` server
(PyPI package ``oxigraph``) run over the store folder.

Read-only (``oxigraph serve-read-only``: no update or Graph Store writes) unless asked
for ``writable``; bound to 127.0.0.1 unless told otherwise; the default graph is the union
of the article graphs, as for ``kg query``. Queries: ``http://HOST:PORT/query``.
"""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

from kg.errors import ServeError

DEFAULT_BIND = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_binary() -> str:
    """The ``oxigraph`` server next to this Python (a venv) or on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file():
        return str(here)
    found = shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed (pip install oxigraph)")
    return found


def command(store_dir: Path, host: str = DEFAULT_BIND, port: int = DEFAULT_PORT, writable: bool = False,
            timeout: float | None = None, cors: bool = False) -> list[str]:
    if not (Path(store_dir) / "CURRENT").exists():
        raise ServeError(f"{store_dir}: no kg store here (run `kg build` first, or pass --store)")
    if not 0 < port < 65536:
        raise ServeError(f"not a port: {port}")
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    cmd = [oxigraph_binary(), "serve" if writable else "serve-read-only", "--location", str(store_dir),
           "--bind", bind, "--union-default-graph"]
    if timeout:
        cmd += ["--timeout-s", str(max(1, round(timeout)))]
    if cors:
        cmd.append("--cors")
    return cmd


def serve(store_dir: Path, host: str = DEFAULT_BIND, port: int = DEFAULT_PORT, writable: bool = False,
          timeout: float | None = None, cors: bool = False) -> int:
    """Run the server in the foreground until it exits or is interrupted; its exit code."""
    cmd = command(store_dir, host, port, writable, timeout, cors)
    try:
        proc = subprocess.Popen(cmd)
    except OSError as exc:
        raise ServeError(f"cannot start {cmd[0]}: {exc.strerror or exc}") from exc
    # SIGTERM (a service manager, a test) stops the server too, not just kg
    stopped = []

    def on_term(*_):
        stopped.append(True)
        proc.terminate()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        code = proc.wait()
        return 0 if stopped else code
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
