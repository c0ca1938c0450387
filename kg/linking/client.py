"""A polite SPARQL client for a Wikibase query service, through SPARQLWrapper.

Wikimedia's rules for its query service (https://meta.wikimedia.org/wiki/User-Agent_policy,
https://www.mediawiki.org/wiki/Wikidata_Query_Service/User_Manual#Query_limits) and what
any public endpoint expects:

- a User-Agent naming the client, its version and a contact (``--contact``):
  ``kg/0.1.0 (me@example.org) SPARQLWrapper/2.0.0``; Wikidata's service refuses to be
  asked without one here (``UsageError``);
- one request at a time (this client has no threads), and HTTP 429 / 503 answered by
  waiting what ``Retry-After`` says (RFC 9110 10.2.3: seconds or an HTTP date), up to
  ``max_wait``; a longer wait is a failure of this run, not a sleep of hours;
- a timeout per request, and a few retries with exponential backoff after a timeout,
  a 5xx or a refused connection, then ``EndpointError``.

Credentials go to the endpoint's origin only (RFC 6454): they are added by urllib's auth
handler for that origin, never as a header SPARQLWrapper would copy along a redirect, and
a redirect to another origin is refused (kg.sameorigin, shared with kg.remote). Every failure leaves here as a kg.errors ``EndpointError``.
"""
from __future__ import annotations

import email.utils
import functools
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable

from kg.errors import EndpointError, EndpointQueryError, EndpointTimeoutError, UsageError, error_class
from kg.sameorigin import opener as http_opener

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
# Hosts whose operators require a contact in the User-Agent (Wikimedia's policy above).
CONTACT_REQUIRED = ("wikidata.org", "wikimedia.org")
RETRY_STATUS = (429, 502, 503, 504)  # worth another try; 429 / 503 may say when


@dataclass(frozen=True)
class Endpoint:
    """Where to ask, and how politely. ``url`` without userinfo; ``password`` never shown."""

    url: str = WIKIDATA_SPARQL
    contact: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "basic"  # or "digest"
    timeout: float = 60.0  # seconds per request
    attempts: int = 3  # tries per request
    backoff: float = 1.0  # seconds before the 2nd try, doubled for each further one
    max_wait: float = 120.0  # the longest Retry-After honoured

    def __post_init__(self):
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"--endpoint must be an http(s) URL, not {self.url!r}")
        if "@" in parts.netloc:
            raise UsageError("--endpoint: give the user with --user and the password in $KG_ENDPOINT_PASSWORD, "
                             "not in the URL")

    def check_contact(self) -> None:
        """Refuse to ask a service whose operators require a contact without one."""
        host = (urllib.parse.urlsplit(self.url).hostname or "").lower()
        if not self.contact and any(host == h or host.endswith("." + h) for h in CONTACT_REQUIRED):
            raise UsageError(f"{host} asks every client for a contact in its User-Agent (Wikimedia's User-Agent "
                             f"policy): pass --contact EMAIL-or-URL (or set $KG_CONTACT)")

    def user_agent(self) -> str:
        from SPARQLWrapper import __version__ as sw_version

        from kg import __version__

        contact = " ".join((self.contact or "no contact given").split()).replace("(", "[").replace(")", "]")
        return f"kg/{__version__} ({contact}) SPARQLWrapper/{sw_version}"


def opener(endpoint: Endpoint) -> urllib.request.OpenerDirector:
    """Credentials, if any, for the endpoint's origin only; no redirect to another."""
    return http_opener(endpoint if endpoint.user is not None else None, endpoint.url)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delay-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@functools.lru_cache(maxsize=None)
def _wrapper_class():
    """SPARQLWrapper with kg's opener: SPARQLWrapper 2.0 opens requests with urllib's
    global ``urlopen`` in ``_query``, which would follow a redirect anywhere with an
    ``Authorization`` header; this opens them with ``opener`` instead and leaves the
    HTTP status to the caller (429 needs its headers)."""
    from SPARQLWrapper import SPARQLWrapper

    class Wrapper(SPARQLWrapper):
        def __init__(self, url: str, agent: str, urlopener: urllib.request.OpenerDirector):
            super().__init__(url, agent=agent)
            self.kg_opener = urlopener

        def _query(self):
            request = self._createRequest()
            return self.kg_opener.open(request, timeout=self.timeout), self.returnFormat

    return Wrapper


class Client:
    """SELECT queries, one at a time, retried politely; ``requests`` counts what was sent."""

    def __init__(self, endpoint: Endpoint, sleep: Callable[[float], None] = time.sleep):
        endpoint.check_contact()
        self.endpoint = endpoint
        self.sleep = sleep
        self.requests = 0
        self.opener = opener(endpoint)
        self.agent = endpoint.user_agent()

    def select(self, sparql: str) -> list[dict[str, dict]]:
        """The bindings of a SELECT query (SPARQL 1.1 JSON results)."""
        ep = self.endpoint
        last: EndpointError | None = None
        cause: BaseException | None = None
        for attempt in range(ep.attempts):
            if attempt:
                self.sleep(wait)
            try:
                return self._once(sparql)
            except urllib.error.HTTPError as exc:
                err = self._error(exc)
                if exc.code not in RETRY_STATUS:
                    raise err from exc
                asked = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
                if asked is not None and asked > ep.max_wait:
                    raise EndpointError(f"{err}; it asks to wait {asked:.0f}s, more than kg waits "
                                        f"({ep.max_wait:.0f}s)") from exc
                wait = asked if asked is not None else ep.backoff * 2 ** attempt
                last, cause = err, exc
            except EndpointError:
                raise
            except Exception as exc:  # noqa: BLE001 - the network's errors become EndpointError
                err = self._error(exc)
                if not isinstance(err, EndpointTimeoutError) and not _transient(exc):
                    raise err from exc
                wait, last, cause = ep.backoff * 2 ** attempt, err, exc
        assert last is not None
        raise type(last)(f"{last} (after {ep.attempts} {'try' if ep.attempts == 1 else 'tries'})") from cause

    def _once(self, sparql: str) -> list[dict[str, dict]]:
        from SPARQLWrapper import JSON, POST, URLENCODED

        sw = _wrapper_class()(self.endpoint.url, self.agent, self.opener)
        sw.setQuery(sparql)
        sw.setMethod(POST)  # a form body: the VALUES of a batch would make long URLs
        sw.setRequestMethod(URLENCODED)
        sw.setReturnFormat(JSON)
        sw.timeout = self.endpoint.timeout
        self.requests += 1
        result = sw.query()
        try:
            body = result.response.read()
        finally:
            result.response.close()
        try:
            data = json.loads(body)
            return list(data["results"]["bindings"])
        except (ValueError, KeyError, TypeError) as exc:
            raise EndpointError(f"query at {self.endpoint.url}: the answer is not SPARQL JSON results") from exc

    def _error(self, exc: BaseException) -> EndpointError:
        """One line for the user; the server's words, short."""
        where = self.endpoint.url
        if isinstance(exc, urllib.error.HTTPError):
            cls = EndpointQueryError if exc.code == 400 else error_class(exc, EndpointError)
            return cls(f"{where} answered HTTP {exc.code} {exc.reason}")
        cls = error_class(exc, EndpointError)
        if cls is EndpointTimeoutError:
            return EndpointTimeoutError(f"{where} did not answer within {self.endpoint.timeout:g}s")
        reason = getattr(exc, "reason", None) or exc
        reason = getattr(reason, "strerror", None) or reason
        return cls(f"cannot reach {where}: {' '.join(str(reason).split()) or type(exc).__name__}")


def _transient(exc: BaseException) -> bool:
    """A refused or dropped connection: the endpoint may be restarting."""
    reason = getattr(exc, "reason", None)
    return isinstance(exc, (ConnectionError, http.client.HTTPException)) or isinstance(reason, (ConnectionError,
                                                                                               OSError))
