"""A browser explorer of kg's graph: ``create_app(store)`` is a WSGI app (Flask) over a
store opened read-only; ``running(app)`` serves it on 127.0.0.1 in a thread (tests,
benchmarks). Every asset is served by the app itself: no page asks any other host."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from kg.web.app import create_app

__all__ = ["create_app", "running"]


@contextmanager
def running(app, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` with werkzeug's threaded server on ``host`` (a free port unless one is
    given) until the block ends; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="kg-web", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
