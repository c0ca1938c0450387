"""HTTP to endpoints the user names, shared by kg.linking and kg.remote: credentials and
redirects bound to one origin, and messages without secrets.

Credentials go to the endpoint's origin only: a redirect to another origin is refused
(with its request and body), 307 / 308 keep their method and body, and basic auth is
sent on the first request to that origin only. Every message about an endpoint goes
through ``scrub`` (no userinfo in URLs, no password)."""
from __future__ import annotations

import re
import urllib.parse
import urllib.request

from kg.errors import EndpointError

DEFAULT_PORTS = {"http": 80, "https": 443}


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


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, the default port filled in (RFC 6454 4)."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme)


def origin_url(url: str) -> str:
    scheme, host, port = origin(url)
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}/"


class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the origin of the request; 307 / 308 keep the method
    and body (RFC 9110 15.4.8, 15.4.9), which urllib's handler does not do for POST / PUT.
    Credentials are added by the auth handler per request, for the endpoint's origin only."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if origin(newurl) != origin(req.full_url):
            fp.read()
            fp.close()
            raise EndpointError(f"{scrub(req.full_url)} redirects (HTTP {code}) to another origin, {scrub(newurl)}: "
                                f"not followed (kg never sends a request or credentials meant for one server "
                                f"to another); use the URL it redirects to if you trust it")
        if code in (307, 308):
            fp.read()
            fp.close()
            return urllib.request.Request(newurl, data=req.data, headers=dict(req.headers), method=req.get_method(),
                                          origin_req_host=req.origin_req_host, unverifiable=True)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def opener(creds, *urls: str | None) -> urllib.request.OpenerDirector:
    """An opener whose credentials (anything with ``user``, ``password`` and ``auth``:
    "basic" | "digest"; None for none) go to the origins of ``urls`` only (basic: on the
    first request, as an unredirected header; digest: when challenged)."""
    handlers: list = [SameOriginRedirects()]
    if creds:
        mgr = urllib.request.HTTPPasswordMgrWithPriorAuth()
        for root in sorted({origin_url(u) for u in urls if u}):
            mgr.add_password(None, root, creds.user, creds.password or "", is_authenticated=creds.auth == "basic")
        handlers.append(urllib.request.HTTPDigestAuthHandler(mgr) if creds.auth == "digest"
                        else urllib.request.HTTPBasicAuthHandler(mgr))
    return urllib.request.build_opener(*handlers)
