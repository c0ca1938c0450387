"""``kg link``: the records' names -> the endpoint (what the cache lacks) -> decisions ->
the links graph of the store.

An endpoint that is down, slow or refusing never fails the caller: asking stops at the
first request that fails for good (``client.Client`` retries first), the entities whose
names were answered (now or on an earlier run) are decided, the others are left
undecided (no decision in the graph), and the report says so in one line. The next run
asks only what is missing and finishes the links.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Callable, Iterable

from kg.errors import EndpointError
from kg.linking.cache import AnswerCache
from kg.linking.client import Client, Endpoint
from kg.linking.decisions import Decision, Link, decision_quads, links_graph
from kg.linking.kinds import KIND_CLASSES
from kg.linking.rank import (Mentioned, candidates_query, decide, links_query, rank, read_candidates, read_links,
                             words)
from kg.rdf.iris import Minter
from kg.rdf.vocab import DEFAULT_BASE_IRI
from kg.records import ArticleRecord

log = logging.getLogger("kg")

NAMES_PER_REQUEST = 50  # VALUES rows per candidate query
ITEMS_PER_REQUEST = 50  # items per statement query
MAX_NAME = 250  # Wikibase's longest label or alias ($wgWBRepoSettings['string-limits'])


@dataclass
class LinkReport:
    entities: int = 0  # entities of a linkable kind, over all articles
    linked: int = 0
    unlinked: int = 0  # asked, and no confident item
    pending: int = 0  # not decided: their names (or candidates) are not answered yet
    requests: int = 0  # requests sent this run
    failure: str | None = None  # why asking stopped, if it did
    endpoint: str = ""

    def summary(self) -> str:
        line = (f"Wikidata links: {self.linked} of {self.entities} entities linked, {self.unlinked} without a "
                f"confident item; {self.requests} request{'' if self.requests == 1 else 's'} to {self.endpoint}")
        if self.failure:
            line += (f"; {self.pending} not linked yet, {self.failure}; run kg link again to finish "
                     f"(answers so far are kept)")
        elif self.pending:
            line += f"; {self.pending} not asked (offline): run kg link to finish"
        return line


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def link(store, records: Iterable[tuple[str, ArticleRecord]], endpoint: Endpoint, *, offline: bool = False,
         client: Client | None = None, now: Callable[[], str] = _now) -> LinkReport:
    """Link the records' people, organisations and places; the store's links graph is
    replaced by the decisions. ``store``: a kg.store.embedded.Store open for writing."""
    report = LinkReport(endpoint=endpoint.url)
    base = store.recorded_base_iri() or DEFAULT_BASE_IRI
    minter = Minter(base)
    if client is None and not offline:
        client = Client(endpoint)
    articles = []
    for aid, rec in records:
        ents = [e for e in rec.entities if e.kind in KIND_CLASSES and e.key and _names(e)]
        if ents:
            articles.append((aid, ents, words(rec.body)))
    with AnswerCache(store.path) as cache:
        answers = cache.answers(endpoint.url)
        wanted = sorted({n for _, ents, _ in articles for e in ents for n in _names(e)} - set(answers))
        if not offline:
            try:
                for i in range(0, len(wanted), NAMES_PER_REQUEST):
                    batch = wanted[i:i + NAMES_PER_REQUEST]
                    found = read_candidates(client.select(candidates_query(batch)))
                    cache.put_answers(endpoint.url, now(), {n: found.get(n, []) for n in batch})
                answers = cache.answers(endpoint.url)
                items = cache.item_links(endpoint.url)
                qids = sorted({c.qid for a in answers.values() for c in a.candidates} - set(items),
                              key=lambda q: int(q[1:]))
                for i in range(0, len(qids), ITEMS_PER_REQUEST):
                    batch = qids[i:i + ITEMS_PER_REQUEST]
                    found_links = read_links(client.select(links_query(batch)))
                    cache.put_item_links(endpoint.url, now(), {q: found_links.get(q, set()) for q in batch})
            except EndpointError as exc:
                report.failure = str(exc)
                log.debug("asking %s failed", endpoint.url, exc_info=True)
        report.requests = client.requests if client is not None else 0
        answers = cache.answers(endpoint.url)
        items = cache.item_links(endpoint.url)
    item_links = {q: links for q, (_, links) in items.items()}
    decided: list[Decision] = []
    for aid, ents, article_words in articles:
        mentioned, ready = [], {}
        for e in ents:
            names = _names(e)
            known = all(n in answers for n in names)
            full = " ".join(e.label.split())
            cands = tuple((c, n == full) for n in names if n in answers for c in answers[n].candidates)
            ready[e.key] = known and all(c.qid in item_links for c, _ in cands)
            mentioned.append(Mentioned(e.key, e.kind, e.label, cands))
        by_key = {}
        for e, m in zip(ents, mentioned):
            by_key.setdefault(e.key, (e, m))  # one decision per key of an article
        for key, (e, m) in sorted(by_key.items()):
            report.entities += 1
            if not ready[key]:
                report.pending += 1
                continue
            best = decide(rank(m, mentioned, article_words, item_links))
            asked = max([answers[n].asked for n in _names(e)]
                        + [items[c.qid][0] for c, _ in m.candidates if c.qid in items])
            link_ = Link(best.qid, best.kind, best.score) if best else None
            decided.append(Decision(aid, key, e.label, minter.entity_of(aid, e), link_, asked, endpoint.url))
            if best:
                report.linked += 1
            else:
                report.unlinked += 1
    store.replace_graph(links_graph(base), decision_quads(decided, base))
    return report


def _names(e) -> list[str]:
    """The entity's names to look up: its label, then its other names, once each; a name
    no label could be (control characters, lone surrogates, longer than Wikibase's
    250-character labels) is not asked about."""
    names = (" ".join(n.split()) for n in [e.label, *e.alt_labels] if n)
    return list(dict.fromkeys(n for n in names if n and n.isprintable() and len(n) <= MAX_NAME))

