"""One error hierarchy for everything a user can meet.

Third-party exceptions are translated at the boundary (``raise KgError(...) from exc``)
so the CLI prints one line and the cause stays on ``__cause__`` for debugging.
"""
from __future__ import annotations


class KgError(Exception):
    """Base of every error kg reports to a user. ``exit_code`` is what the CLI returns."""

    exit_code = 1


class InputError(KgError):
    """An input path or article that cannot be read."""

    exit_code = 2


class PipelineError(KgError):
    """The spaCy pipeline cannot be loaded."""

    exit_code = 3


class QueryError(KgError):
    """A SPARQL query is malformed or fails."""

    exit_code = 4


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
