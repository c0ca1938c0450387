"""SPARQL over a remote SPARQL 1.1 endpoint (SPARQLWrapper), with results as ``ResultSet``.

Credentials (``Credentials``) come from options, the environment (``KG_ENDPOINT_USER``,
``KG_ENDPOINT_PASSWORD``) or a prompt; they never appear in output, logs or error
messages: every message about an endpoint goes through ``scrub`` (no userinfo in URLs,
no password text). urllib errors become ``EndpointError`` subclasses here, at the
boundary, with the server's own message on one line.

Requests go through ``opener``: credentials are bound to the endpoint's origin (scheme,
host, port) and a redirect to another origin is an error, never followed: urllib would
otherwise copy an ``Authorization`` header to wherever a server redirects, and report
the other server's answer as the endpoint's (RFC 9110 15.4 leaves following redirects
to the client; RFC 6454 defines the origin).
"""
from __future__ import annotations

import http.client
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import EndpointError, EndpointTimeoutError, error_class
from kg.sameorigin import opener, origin, scrub
from kg.store.results import ResultSet, Term

ENV_USER = "KG_ENDPOINT_USER"
ENV_PASSWORD = "KG_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 60.0
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# What SPARQLWrapper asks for (its _SPARQL_JSON) for SELECT / ASK; for CONSTRUCT /
# DESCRIBE, N-Triples first: a plain format every store writes, Turtle as the fallback
JSON_ACCEPT = "application/sparql-results+json,application/json,text/javascript,application/javascript"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a repr / log line
    auth: str = "basic"  # or "digest"

    def __bool__(self) -> bool:
        return self.user is not None

    @classmethod
    def from_env(cls, user: str | None = None, password: str | None = None, auth: str = "basic") -> "Credentials":
        user = user if user is not None else os.environ.get(ENV_USER) or None
        if password is None:
            password = os.environ.get(ENV_PASSWORD)
        return cls(user, password, auth)


def split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """``http://u:p@host/x`` -> (``http://host/x``, u, p): credentials never travel in
    the URL we keep (nor in messages that quote it)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"not an http(s) endpoint URL: {scrub(url)}")
    if "@" not in parts.netloc:
        return url, None, None
    host = parts.netloc.rsplit("@", 1)[1]
    clean = urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    user = urllib.parse.unquote(parts.username) if parts.username else None
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    return clean, user, password


def server_message(body: bytes | str | None, limit: int = 300) -> str:
    """The useful part of an error body: text of an HTML page, or the plain text."""
    if body is None:
        return ""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", body)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    body = " ".join(body.split())
    return body if len(body) <= limit else body[: limit - 1] + "\u2026"


def translate(exc: BaseException, url: str, creds: Credentials | None, what: str) -> EndpointError:
    """A urllib / socket / SPARQLWrapper exception -> one-line ``EndpointError``."""
    from SPARQLWrapper import SPARQLExceptions as SE

    secrets = (creds.password,) if creds else ()
    where = scrub(url, *secrets)
    if isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read()
        except Exception:  # noqa: BLE001 - the body is a bonus
            body = None
        msg = server_message(body) or exc.reason
        cls = error_class(exc, EndpointError)
        return cls(scrub(f"{what} at {where}: HTTP {exc.code} {exc.reason}: {msg}", *secrets))
    if isinstance(exc, SE.Unauthorized):
        return error_class(exc, EndpointError)(
            scrub(f"{what} at {where}: HTTP 401 Unauthorized (check the user and password)", *secrets))
    if isinstance(exc, SE.SPARQLWrapperException):
        # SPARQLWrapper's messages embed the response body after "Response:\n"
        text = str(exc)
        code = {SE.QueryBadFormed: "400", SE.EndPointNotFound: "404", SE.URITooLong: "414",
                SE.EndPointInternalError: "500"}.get(type(exc), "")
        body = text.split("Response:", 1)[1] if "Response:" in text else text
        body = body.strip()
        if body.startswith("b'") or body.startswith('b"'):
            try:
                import ast
                body = ast.literal_eval(body).decode("utf-8", "replace")
            except (ValueError, SyntaxError):
                pass
        cls = error_class(exc, EndpointError)
        return cls(scrub(f"{what} at {where}: HTTP {code} {type(exc).__name__}: {server_message(body)}", *secrets))
    if error_class(exc, EndpointError) is EndpointTimeoutError:
        return EndpointTimeoutError(f"{what} at {where}: timed out")
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) and exc.reason.strerror else exc.reason
        return EndpointError(scrub(f"{what} at {where}: cannot reach the endpoint: {reason}", *secrets))
    if isinstance(exc, (http.client.HTTPException, OSError)):
        return EndpointError(scrub(f"{what} at {where}: connection failed: {exc or type(exc).__name__}", *secrets))
    return EndpointError(scrub(f"{what} at {where}: {type(exc).__name__}: {exc}", *secrets))


def query_type(sparql: str) -> str:
    """SELECT / ASK / CONSTRUCT / DESCRIBE, as SPARQLWrapper reads it (after prologue and comments)."""
    from SPARQLWrapper import SPARQLWrapper

    sw = SPARQLWrapper("http://localhost/")
    sw.setQuery(sparql)
    return sw.queryType


def run_remote(url: str, sparql: str, creds: Credentials | None = None,
               timeout: float | None = DEFAULT_TIMEOUT) -> ResultSet:
    """Run any query form on a SPARQL 1.1 endpoint; the same ``ResultSet`` as ``run_local``."""
    from kg import __version__
    from kg.errors import EndpointQueryError

    clean, u, p = split_userinfo(url)
    if u is not None and not creds:
        creds = Credentials(u, p, creds.auth if creds is not None else "basic")
    graph = query_type(sparql) in ("CONSTRUCT", "DESCRIBE")
    fmt = "turtle" if graph else "json"
    # a form-encoded POST body: no URL length limit, no query text in server access logs;
    # not "postdirectly" (application/sparql-query), on which Virtuoso 7.2 hangs. The
    # format parameters are SPARQLWrapper's (Virtuoso reads "format", others "output").
    data = urllib.parse.urlencode([("query", sparql), ("format", fmt), ("output", fmt), ("results", fmt)])
    req = urllib.request.Request(clean, data=data.encode("utf-8"), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": GRAPH_ACCEPT if graph else JSON_ACCEPT,
        "User-Agent": f"kg/{__version__}"})
    try:
        with opener(creds, clean).open(req, **({"timeout": timeout} if timeout else {})) as resp:
            body = resp.read()
            ctype = (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    except EndpointError:
        raise
    except Exception as exc:  # noqa: BLE001 - everything from the network becomes EndpointError
        err = translate(exc, clean, creds, "query")
        if isinstance(exc, urllib.error.HTTPError) and exc.code == 400 and not isinstance(err, EndpointQueryError):
            err = EndpointQueryError(str(err))  # the endpoint says the query is malformed
        raise err from exc
    if graph:
        return _graph_result(body, ctype, clean)
    return _json_result(body, clean)


def _json_result(body: bytes, url: str) -> ResultSet:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise EndpointError(f"query at {scrub(url)}: the answer is not SPARQL JSON results: "
                            f"{server_message(body, 120)}") from exc
    if "boolean" in data:
        return ResultSet(boolean=bool(data["boolean"]))
    variables = list(data.get("head", {}).get("vars", []))
    rows = []
    for b in data.get("results", {}).get("bindings", []):
        row = {}
        for v, t in b.items():
            kind = t.get("type")
            if kind == "typed-literal":  # SPARQL 1.0 JSON, still sent by Virtuoso
                kind = "literal"
            if kind == "literal":
                value, dtype = t["value"], t.get("datatype")
                if dtype == XSD_BOOLEAN and value in ("1", "0"):  # Virtuoso stores booleans as 1 / 0
                    value = "true" if value == "1" else "false"
                row[v] = Term("literal", value, dtype, t.get("xml:lang"))
            elif kind == "bnode":
                row[v] = Term("bnode", t["value"])
            elif kind == "uri":
                row[v] = Term("uri", t["value"])
            else:
                row[v] = Term("triple", json.dumps(t["value"]))
        rows.append(row)
    return ResultSet(variables=variables, rows=rows)


_GRAPH_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                  "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
                  "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
                  "text/rdf+n3": ox.RdfFormat.N3, "text/n3": ox.RdfFormat.N3}


def _graph_result(body: bytes, ctype: str, url: str) -> ResultSet:
    fmt = _GRAPH_FORMATS.get(ctype, ox.RdfFormat.TURTLE)
    try:
        triples = [q.triple for q in ox.parse(body, format=fmt)]
    except SyntaxError as exc:
        raise EndpointError(f"query at {scrub(url)}: cannot read the graph the endpoint sent "
                            f"({ctype or 'no content type'}): {exc}") from exc
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ResultSet(graph=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))


__all__ = ["Credentials", "opener", "origin", "run_remote", "scrub", "split_userinfo", "translate"]
