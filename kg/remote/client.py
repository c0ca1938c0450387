"""SPARQL over a remote SPARQL 1.1 endpoint (SPARQLWrapper), with results as ``ResultSet``.

Credentials (``Credentials``) come from options, the environment (``KG_ENDPOINT_USER``,
``KG_ENDPOINT_PASSWORD``) or a prompt; they never appear in output, logs or error
messages: every message about an endpoint goes through ``scrub`` (no userinfo in URLs,
no password text). urllib / SPARQLWrapper errors become ``EndpointError`` subclasses
here, at the boundary, with the server's own message on one line.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import socket
import urllib.error
import urllib.parse
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import EndpointAuthError, EndpointError, EndpointQueryError, EndpointTimeoutError
from kg.store.results import ResultSet, Term

ENV_USER = "KG_ENDPOINT_USER"
ENV_PASSWORD = "KG_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 60.0
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


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


_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]*@")


def scrub(text: str, *secrets: str | None) -> str:
    """One line, without URL userinfo nor any of ``secrets``."""
    text = _USERINFO.sub(r"\1", str(text))
    for s in secrets:
        if s:
            text = text.replace(s, "***")
            q = urllib.parse.quote(s, safe="")
            if q != s:
                text = text.replace(q, "***")
    return " ".join(text.split())


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
        cls = EndpointAuthError if exc.code in (401, 403) else EndpointError
        return cls(scrub(f"{what} at {where}: HTTP {exc.code} {exc.reason}: {msg}", *secrets))
    if isinstance(exc, SE.Unauthorized):
        return EndpointAuthError(scrub(f"{what} at {where}: HTTP 401 Unauthorized (check the user and password)",
                                       *secrets))
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
        cls = EndpointQueryError if isinstance(exc, SE.QueryBadFormed) else EndpointError
        return cls(scrub(f"{what} at {where}: HTTP {code} {type(exc).__name__}: {server_message(body)}", *secrets))
    if isinstance(exc, (socket.timeout, TimeoutError)) or (
            isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, (socket.timeout, TimeoutError))):
        return EndpointTimeoutError(f"{what} at {where}: timed out")
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) and exc.reason.strerror else exc.reason
        return EndpointError(scrub(f"{what} at {where}: cannot reach the endpoint: {reason}", *secrets))
    if isinstance(exc, (http.client.HTTPException, OSError)):
        return EndpointError(scrub(f"{what} at {where}: connection failed: {exc or type(exc).__name__}", *secrets))
    return EndpointError(scrub(f"{what} at {where}: {type(exc).__name__}: {exc}", *secrets))


def _wrapper(url: str, creds: Credentials | None, timeout: float | None):
    from SPARQLWrapper import BASIC, DIGEST, URLENCODED, SPARQLWrapper

    url, u, p = split_userinfo(url)
    if u is not None and not creds:
        creds = Credentials(u, p, creds.auth if creds is not None else "basic")
    sw = SPARQLWrapper(url)
    sw.setMethod("POST")
    # a form-encoded POST body: no URL length limit, no query text in server access logs;
    # not "postdirectly" (application/sparql-query), on which Virtuoso 7.2 hangs
    sw.setRequestMethod(URLENCODED)
    if timeout:
        sw.setTimeout(int(max(1, round(timeout))))
    if creds:
        sw.setHTTPAuth(DIGEST if creds.auth == "digest" else BASIC)
        sw.setCredentials(creds.user, creds.password or "")
    return sw, url, creds


def run_remote(url: str, sparql: str, creds: Credentials | None = None,
               timeout: float | None = DEFAULT_TIMEOUT) -> ResultSet:
    """Run any query form on a SPARQL 1.1 endpoint; the same ``ResultSet`` as ``run_local``."""
    from SPARQLWrapper import JSON, TURTLE

    sw, clean, creds = _wrapper(url, creds, timeout)
    sw.setQuery(sparql)
    qtype = sw.queryType
    graph = qtype in ("CONSTRUCT", "DESCRIBE")
    sw.setReturnFormat(TURTLE if graph else JSON)
    if graph:
        # N-Triples first: a plain format every store writes; Turtle as the fallback
        sw.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5")
    try:
        resp = sw.query().response
        body = resp.read()
        ctype = (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    except Exception as exc:  # noqa: BLE001 - everything from the network becomes EndpointError
        raise translate(exc, clean, creds, "query") from exc
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


__all__ = ["Credentials", "run_remote", "scrub", "split_userinfo", "translate"]
