"""What the explorer's pages need about the whole store, computed once per store state
(``Summaries``): the articles in date order with their graphs, the counts, each named
entity's classes, names (with the article graphs that give each), mentions, articles and
events, the dated events of the timeline and the event types. Answering these
per request joined every article graph (seconds a page on 2,000 articles); with them a
page runs only queries that start from the IRIs and graphs it shows.

A summary belongs to one store object: a path is opened once (read-only: a snapshot), and
``kg serve`` opens a new store for each checkpoint it takes after a build, whose first
request computes the new summary.

Bulk answers come packed in one ``GROUP_CONCAT`` string per group (``unpack``): pyoxigraph
builds a Python object per solution and term, tens of microseconds each, and a string
split costs nothing. IRIs hold no space (RFC 3987); literals are percent-encoded
(``ENCODE_FOR_URI``).
"""
from __future__ import annotations

import threading
import urllib.parse
import weakref
from collections import OrderedDict, defaultdict

from kg.rdf.iris import Minter
from kg.web import queries as Q

MEMO_SIZES = {"entity": 512, "sparql": 16}
SEM_EVENT = Q.PREFIXES["sem"] + "Event"
SEM_ACTOR_PLACE = (Q.PREFIXES["sem"] + "hasActor", Q.PREFIXES["sem"] + "hasPlace")


def split(term) -> list[str]:
    """The IRIs packed in a GROUP_CONCAT (space-separated) literal."""
    return term.value.split() if term is not None else []


def unpack(term, width: int, encoded: tuple[int, ...]) -> list[tuple[str, ...]]:
    """Rows of ``width`` fields packed space-separated; the ``encoded`` fields were
    percent-encoded (ENCODE_FOR_URI), the others are IRIs."""
    words = split(term)
    rows = []
    for i in range(0, len(words) - width + 1, width):
        row = words[i:i + width]
        for j in encoded:
            row[j] = urllib.parse.unquote(row[j])
        rows.append(tuple(row))
    return rows


class Summary:
    def __init__(self, store):
        def q(sparql: str) -> list:
            return list(store.query(sparql))

        # -- articles, newest first (the home page's order), and their graphs
        self.articles: list[dict] = []
        for i, r in enumerate(q(Q.SUMMARY_ARTICLES)):
            self.articles.append({"g": r["g"].value, "article": r["a"].value, "id": r["id"].value,
                                  "headline": _v(r["headline"]), "date": _v(r["date"]), "rank": i})
        self.by_article = {a["article"]: a for a in self.articles}
        self.by_graph = {a["g"]: a for a in self.articles}
        # an article's events are "{base}event/{id path}/{local id}" and its graph is
        # "{base}graph/{id path}" (kg.rdf.iris.Minter.local, .graph)
        self.event_prefixes: dict[str, str] = {}
        for a in self.articles:
            tail = "graph/" + Minter.id_path(a["id"])
            if a["g"].endswith(tail):
                self.event_prefixes[a["g"][:-len(tail)] + "event/" + Minter.id_path(a["id"]) + "/"] = a["g"]
        self.counts = {r["class"].value: int(r["n"].value) for r in q(Q.COUNTS)}
        # -- named entities
        self.classes: dict[str, set[str]] = {r["x"].value: set(split(r["classes"])) for r in q(Q.NAMED_ENTITIES)}
        self.kind = {x: min(cs) for x, cs in self.classes.items()}  # MIN(?class), as the queries say
        counts = {r["x"].value: int(r["n"].value) for r in q(Q.ENTITY_MENTION_COUNTS)}
        self.graphs: dict[str, frozenset[str]] = {r["x"].value: frozenset(split(r["graphs"]))
                                                  for r in q(Q.ENTITY_GRAPHS)}
        self.mentions = {x: (n, self.graphs.get(x, frozenset())) for x, n in counts.items()}
        self.entity_articles: dict[str, list[str]] = {r["x"].value: split(r["articles"]) for r in q(Q.ENTITY_ARTICLES)}
        self.article_entities: dict[str, list[str]] = defaultdict(list)
        for x, arts in sorted(self.entity_articles.items()):
            for a in arts:
                self.article_entities[a].append(x)
        # entity -> [(is a label, name, name lower-cased, graphs giving it)]
        self.names: dict[str, list[tuple[bool, str, str, frozenset[str]]]] = defaultdict(list)
        for r in q(Q.ENTITY_NAMES):
            name = r["n"].value
            self.names[r["x"].value].append((r["p"].value == Q.RDFS_LABEL, name, name.lower(),
                                             frozenset(split(r["graphs"]))))
        self.label = {x: min((n for is_label, n, _, _ in names if is_label), default=None)
                      for x, names in self.names.items()}
        # event -> the named entities taking part in it as actors or places
        self.participants: dict[str, list[str]] = defaultdict(list)
        self.events_of: dict[str, set[str]] = {}
        for r in q(Q.PARTICIPANTS):
            self.events_of[r["x"].value] = set(split(r["events"]))
            for ev in self.events_of[r["x"].value]:
                self.participants[ev].append(r["x"].value)
        # -- the timeline: (when, graph, event, label) in date order; its events by type
        self.timeline = sorted({(when, g, ev, label) for ev, g, when, label
                                in unpack(q(Q.SUMMARY_TIMELINE)[0]["rows"], 4, (2, 3))})
        self.when: dict[str, str] = {}
        for when, _, ev, _ in self.timeline:  # an event with two dates: the earlier
            self.when.setdefault(ev, when)
        # events with a time that has a TIMEX3 value, by type: EVENT_TYPES counts those that
        # are sem:Events; the timeline's type filter takes its rows' events among them
        by_type = {r["type"].value: set(split(r["events"])) for r in q(Q.DATED_EVENT_TYPES)}
        events = by_type.pop(SEM_EVENT, set())
        self.dated_types: dict[str, set[str]] = by_type
        self.event_types = [(t, n) for t, n in sorted((t, len(evs & events)) for t, evs in by_type.items()) if n]

        self._memo: dict[str, OrderedDict] = {}
        self._memo_lock = threading.Lock()
        self.event_classes: dict[str, str] = {}  # dated event -> MIN(its kg: type)
        for t, evs in sorted(self.dated_types.items(), reverse=True):
            for ev in evs:
                self.event_classes[ev] = t

    # -- per request -------------------------------------------------------------------------

    def memo(self, kind: str, key, compute):
        """``compute()``, kept for this store state (the last ``MEMO_SIZES[kind]`` keys of
        each kind): what the page of an entity derives from all its events, or a console
        query's answer, is computed once."""
        with self._memo_lock:
            memo = self._memo.setdefault(kind, OrderedDict())
            if key in memo:
                memo.move_to_end(key)
                return memo[key]
        value = compute()
        with self._memo_lock:
            memo[key] = value
            while len(memo) > MEMO_SIZES[kind]:
                memo.popitem(last=False)
        return value

    def graph_of_event(self, ev: str) -> str | None:
        return self.event_prefixes.get(ev[:ev.rfind("/") + 1])

    def label_in(self, x: str, graphs) -> str | None:
        """MIN of the entity's rdfs:label in these graphs (another article can give it
        another name)."""
        names = self.names.get(x, ())
        if sum(1 for n in names if n[0]) <= 1:
            return self.label.get(x)
        graphs = set(graphs)
        return min((n for is_label, n, _, gs in names if is_label and not gs.isdisjoint(graphs)), default=None)

    def top(self, limit: int = 20) -> list[dict]:
        """The most mentioned named entities (TOP_ENTITIES)."""
        rows = [{"x": x, "name": self.label[x], "kind": self.kind[x], "mentions": n, "articles": len(graphs)}
                for x, (n, graphs) in self.mentions.items() if self.label.get(x) is not None]
        rows.sort(key=lambda r: (-r["mentions"], r["name"], r["x"]))
        return rows[:limit]

    def search(self, words: str, kind: str | None = None) -> list[dict]:
        """Named entities with a name or alias holding ``words``, in any case (SEARCH:
        ``articles`` counts the articles giving a matching name, ``aliases`` are the
        aliases those articles give)."""
        needle = words.lower()
        out = []
        for x, names in self.names.items():
            if kind is not None and kind not in self.classes.get(x, ()):
                continue
            graphs: set[str] = set()
            for _, _, low, gs in names:
                if needle in low:
                    graphs |= gs
            if not graphs:
                continue
            labels = [n for is_label, n, _, gs in names if is_label and not gs.isdisjoint(graphs)]
            if not labels:
                continue
            aliases = sorted({n for is_label, n, _, gs in names if not is_label and not gs.isdisjoint(graphs)})
            out.append({"x": x, "name": min(labels), "kind": kind or self.kind[x], "aliases": " · ".join(aliases),
                        "articles": len(graphs)})
        out.sort(key=lambda r: (-r["articles"], r["name"], r["x"]))
        return out

    def shared_articles(self, x: str, articles, limit: int = 40) -> list[dict]:
        """Named entities sharing an article with ``x`` (SHARED_ARTICLES)."""
        shared: dict[str, list[str]] = defaultdict(list)
        for a in set(articles):
            for y in self.article_entities.get(a, ()):
                if y != x:
                    shared[y].append(a)
        rows = []
        for y, arts in shared.items():
            name = self.label_in(y, (self.by_article[a]["g"] for a in arts if a in self.by_article))
            if name is not None:
                rows.append({"y": y, "name": name, "kind": self.kind[y], "n": len(arts)})
        rows.sort(key=lambda r: (-r["n"], r["name"], r["y"]))
        return rows[:limit]

    def shared_events(self, x: str, roles: list[tuple[str, str | None]]) -> dict[str, set[str]]:
        """The named entities taking part (actor or place) in an event with ``x``, from x's
        roles (event, role; None: a role not asked, one of the summary's events_of): entity ->
        its events with x."""
        by_y: dict[str, set[str]] = defaultdict(set)
        for ev, role in roles:
            if role is None or role in SEM_ACTOR_PLACE:
                for y in self.participants.get(ev, ()):
                    if y != x:
                        by_y[y].add(ev)
        return by_y

    def shared_event_rows(self, by_y: dict[str, set[str]], labels: dict[str, set[str]],
                          limit: int = 40) -> list[dict]:
        """SHARED_EVENTS' rows from ``shared_events`` and the events' labels."""
        rows = []
        for y, evs in by_y.items():
            evs = {ev for ev in evs if labels.get(ev)}
            name = self.label_in(y, filter(None, map(self.graph_of_event, evs)))
            if evs and name is not None:
                rows.append({"y": y, "name": name, "kind": self.kind[y], "n": len(evs),
                             "events": ", ".join(sorted(set().union(*(labels[ev] for ev in evs))))})
        rows.sort(key=lambda r: (-r["n"], r["name"], r["y"]))
        return rows[:limit]


def _v(term):
    return None if term is None else term.value


class Summaries:
    """One summary per store object, computed on first use, kept while the store is."""

    def __init__(self):
        self._done: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def of(self, store) -> Summary:
        found = self._done.get(store)
        if found is None:
            with self._lock:  # concurrent first requests: one computes, the others wait
                found = self._done.get(store)
                if found is None:
                    found = self._done[store] = Summary(store)
        return found
