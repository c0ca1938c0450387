"""One error hierarchy for everything a user can meet.

Third-party exceptions are translated at the boundary (``raise translate(exc, ...) from
exc``, the table ``TRANSLATIONS``) so the CLI prints one line and the cause stays on
``__cause__`` for debugging. The hierarchy (exit code of ``kg`` in brackets):

* KgError [1]
  + InputError [2]                an input path or article that cannot be read
  + UsageError [1]                an option value kg cannot use (base IRI, format, graph IRI)
  + PipelineError [3]             the spaCy pipeline cannot be loaded
  + BuildError [1]                the build's workers failed or disagree
  + QueryError [4]                a SPARQL query is malformed or fails
  |  + QueryRefusedError [4]      a query kg will not run (SERVICE while federation is off)
  |  + EndpointQueryError [4]     (also an EndpointError) the endpoint says it is malformed
  + StoreError [5]                the embedded store cannot be opened or written
  |  + StoreBusyError [5]         another kg process holds the store
  + ExportError [1]               an export file cannot be written
  + EndpointError [6]             a remote endpoint refused, failed or was unreachable
  |  + EndpointAuthError [6]      HTTP 401 / 403
  |  + EndpointQueryError [4]     HTTP 400
  |  + EndpointTimeoutError [7]   no answer in time (also a local query's timeout)
  |  + PushError [6]              a push left graphs unwritten
  + ServeError [8]                the local SPARQL server cannot be started
"""
from __future__ import annotations

import re
from typing import Callable


class KgError(Exception):
    """Base of every error kg reports to a user. ``exit_code`` is what the CLI returns."""

    exit_code = 1


class InputError(KgError):
    """An input path or article that cannot be read."""

    exit_code = 2


class UsageError(KgError):
    """An option value kg cannot use: a base IRI, an export format, a graph IRI."""


class BuildError(KgError):
    """The build's worker processes (or dask scheduler) failed or disagree."""


class ExportError(KgError):
    """An export cannot be written."""


class PipelineError(KgError):
    """The spaCy pipeline cannot be loaded."""

    exit_code = 3


class QueryError(KgError):
    """A SPARQL query is malformed or fails."""

    exit_code = 4


class QueryRefusedError(QueryError):
    """A query kg will not run (e.g. a SERVICE call, while federation is off)."""


class StoreError(KgError):
    """The embedded store cannot be opened or written."""

    exit_code = 5


class StoreBusyError(StoreError):
    """Another kg process holds the store."""


class EndpointError(KgError):
    """A remote SPARQL endpoint refused, failed or could not be reached."""

    exit_code = 6


class EndpointAuthError(EndpointError):
    """The endpoint refused the credentials (HTTP 401 / 403)."""


class EndpointQueryError(EndpointError, QueryError):
    """The endpoint says the query is malformed (HTTP 400)."""

    exit_code = QueryError.exit_code


class EndpointTimeoutError(EndpointError):
    """The endpoint (or a local query) did not answer in time."""

    exit_code = 7


class PushError(EndpointError):
    """A push did not write every graph; ``not_written`` lists the graphs it left out."""

    def __init__(self, message: str, not_written: list[str] | None = None):
        super().__init__(message)
        self.not_written = list(not_written or [])


class ServeError(KgError):
    """The local SPARQL server cannot be started."""

    exit_code = 8


def _named(dotted: str) -> Callable[[BaseException], bool]:
    """Whether an exception is an instance of the class ``module.Name``, looked up only
    in modules already imported: kg.errors imports no third-party package."""
    import sys

    module, _, name = dotted.rpartition(".")

    def test(exc: BaseException) -> bool:
        cls = getattr(sys.modules.get(module), name, None)
        return isinstance(cls, type) and isinstance(exc, cls)

    return test


def _timed_out(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", None)  # urllib's URLError wraps the socket's timeout
    return isinstance(exc, TimeoutError) or (_named("urllib.error.URLError")(exc) and isinstance(reason, TimeoutError))


def _http_status(*codes: int) -> Callable[[BaseException], bool]:
    return lambda exc: _named("urllib.error.HTTPError")(exc) and getattr(exc, "code", None) in codes


# What RocksDB (under pyoxigraph) says when another process holds the store's LOCK file.
_ROCKSDB_LOCKED = re.compile(r"lock hold by|While lock file")


# Third-party exception -> kg error class; the first row whose test holds wins. Only
# exceptions that mean one thing wherever they come from are here; the rest (a plain
# OSError, SyntaxError, ValueError) take the class of the boundary they cross
# (``translate``'s ``default``). Sources: pyoxigraph raises OSError (RocksDB's
# "lock hold by current process" when another process has the store), SyntaxError and
# ValueError; urllib / SPARQLWrapper their own classes; SQLite "database is locked".
TRANSLATIONS: list[tuple[str, Callable[[BaseException], bool], type[KgError]]] = [
    ("the store's lock is held", lambda e: isinstance(e, BlockingIOError), StoreBusyError),
    ("the Oxigraph store is locked", lambda e: isinstance(e, OSError) and _ROCKSDB_LOCKED.search(str(e)) is not None,
     StoreBusyError),
    ("SQLite is locked", lambda e: _named("sqlite3.OperationalError")(e) and "locked" in str(e), StoreBusyError),
    ("SQLite failed", _named("sqlite3.Error"), StoreError),
    ("HTTP 401 / 403", _http_status(401, 403), EndpointAuthError),
    ("SPARQLWrapper: unauthorized", _named("SPARQLWrapper.SPARQLExceptions.Unauthorized"), EndpointAuthError),
    ("SPARQLWrapper: bad query", _named("SPARQLWrapper.SPARQLExceptions.QueryBadFormed"), EndpointQueryError),
    ("timed out", _timed_out, EndpointTimeoutError),
    ("urllib: HTTP or URL error", _named("urllib.error.URLError"), EndpointError),
    ("http.client error", _named("http.client.HTTPException"), EndpointError),
    ("SPARQLWrapper error", _named("SPARQLWrapper.SPARQLExceptions.SPARQLWrapperException"), EndpointError),
    ("YAML front matter", _named("yaml.YAMLError"), InputError),
    ("undecodable text", lambda e: isinstance(e, UnicodeDecodeError), InputError),
]


def error_class(exc: BaseException, default: type[KgError] = KgError) -> type[KgError]:
    """The kg error class ``exc`` stands for (``TRANSLATIONS``), else ``default``."""
    if isinstance(exc, KgError):
        return type(exc)
    for _, test, cls in TRANSLATIONS:
        if test(exc):
            return cls
    return default


def translate(exc: BaseException, message: str | None = None, default: type[KgError] = KgError) -> KgError:
    """The kg error to raise for a third-party exception, at a boundary:
    ``raise translate(exc, f"{path}: cannot open store: {exc}", StoreError) from exc``.
    ``default`` is the boundary's class, for exceptions the table does not name; the
    message is the caller's (one line for the user), else the exception's own."""
    if isinstance(exc, KgError) and message is None:
        return exc
    return error_class(exc, default)(message if message is not None else (str(exc) or type(exc).__name__))
