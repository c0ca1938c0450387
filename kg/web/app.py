"""The explorer: a read-only Flask app over a kg store (pages rendered on the server by
Jinja2 with autoescape; JavaScript only for the entity graph).

Every page lists the SPARQL behind it (URL values written in as escaped terms:
``kg.web.queries.bind``), each with a link that opens it in the console (``/sparql``):
the queries it ran, and for what it took from the store's summary (kg.web.summary,
computed once per store state) or assembled from cheaper queries, the one query that
answers the same.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from contextlib import AbstractContextManager, nullcontext
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Callable, NamedTuple

import pyoxigraph as ox
from flask import Flask, abort, g, jsonify, render_template, request, send_file, url_for

from kg.errors import KgError, QueryError, ServeError
from kg.store.embedded import Store
from kg.store.query import run_local
from kg.web import queries as Q
from kg.web.summary import Summaries, Summary, split, unpack
from kg.web.text import Span, highlight, sentence_around

PAGE_SIZE = 20
_NOT_DIGITS = re.compile(r"\D+")
QUOTE_FIELDS = {"text": "text", "isPartOf": "a", "isDirect": "direct", "beginIndex": "b"}
MAX_PAGE = 100_000
MAX_SEARCH = 200          # characters of a search
MAX_QUERY = 20_000        # characters of a console query
MAX_ROWS = 1_000          # console rows shown
# vis-network inside the pyvis wheel (requirements-assets.txt): located through the
# installed distribution's files, not by importing pyvis (its own dependencies are not
# installed).
VIS_FILES = {"vis-network.min.js": "pyvis/lib/vis-9.1.2/vis-network.min.js",
             "vis-network.css": "pyvis/lib/vis-9.1.2/vis-network.css"}
# Nothing but this app: no other host, no inline script, no plugin, no framing.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SEM_PLACE, SEM_TIME = Q.PREFIXES["sem"] + "hasPlace", Q.PREFIXES["sem"] + "hasTime"
KG_NS = Q.PREFIXES["kg"]


def vis_asset(name: str) -> Path:
    try:
        path = Path(distribution("pyvis").locate_file(VIS_FILES[name]))
    except PackageNotFoundError as exc:
        raise ServeError("the explorer's graph library is missing: run scripts/setup "
                       "(it installs requirements-assets.txt)") from exc
    if not path.is_file():
        raise ServeError(f"{path}: missing (reinstall requirements-assets.txt)")
    return path


StoreSource = Callable[[], AbstractContextManager]


def create_app(store: Path | StoreSource, *, sparql_endpoint: str | None = None) -> Flask:
    """The explorer over a store: a path (opened read-only, once), or a source that gives,
    per request, a context holding the store to read (``kg serve`` gives the checkpoint of
    the last build; None while there is none yet). ``sparql_endpoint``: the URL of a
    SPARQL endpoint serving the same store, named on the console page."""
    for name in VIS_FILES:
        vis_asset(name)  # fail at start, not on the first graph
    summaries = Summaries()
    if isinstance(store, (str, Path)):
        opened = Store(store, read_only=True)
        source: StoreSource = lambda: nullcontext(opened)  # noqa: E731
    else:
        source = store
    with source() as first:  # the summary of the store as it is now, before any request
        if first is not None:
            summaries.of(first)
    app = Flask(__name__)
    app.config["KG_SPARQL_ENDPOINT"] = sparql_endpoint
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.jinja_env.globals.update(kinds=Q.KINDS, kind_label=kind_label, compact=compact,
                                 kind_of_iri=lambda iri: Q.KIND_OF_CLASS.get(iri, "other"))
    for name in app.jinja_env.list_templates():  # compiled at start, not by the first visitor
        app.jinja_env.get_template(name)

    def run(title: str, sparql: str, **params) -> list[dict]:
        """The rows of a query, listed on the page."""
        text = Q.bind(sparql, **params)
        rows = run_now(title, text)
        g.queries.append((title, text))
        return rows

    def run_now(title: str, text: str) -> list[dict]:
        try:
            res = g.store.query(text)
        except (SyntaxError, OSError) as exc:  # our own queries: a bug or a broken store
            raise QueryError(f"query {title!r} failed: {exc}") from exc
        names = [v.value for v in res.variables]
        return [{n: sol[n] for n in names} for sol in res]

    def shown(title: str, sparql: str, **params) -> None:
        """List the query answering what the page took from the summary (not run)."""
        g.queries.append((title, Q.bind(sparql, **params)))

    def packed(title: str, sparql: str, **params):
        """The one value of a query packing its rows in a GROUP_CONCAT (kg.web.summary)."""
        rows = run(title, sparql, **params)
        return next(iter(rows[0].values())) if rows else None

    @app.before_request
    def start():
        g.queries = []
        g.store_context = source()
        g.store = g.store_context.__enter__()
        if g.store is None:
            return render_template("error.html", code=503,
                                   message="the store is being built: try again when the build is done"), 503
        g.summary = summaries.of(g.store)

    @app.teardown_request
    def finish(exc):
        context = g.pop("store_context", None)
        if context is not None:
            context.__exit__(None, None, None)

    @app.after_request
    def headers(resp):
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp

    @app.errorhandler(404)
    def not_found(exc):
        return render_template("error.html", code=404, message=exc.description), 404

    @app.errorhandler(400)
    def bad_request(exc):
        return render_template("error.html", code=400, message=exc.description), 400

    # -- home, search -----------------------------------------------------------------------

    @app.get("/")
    def home():
        s: Summary = g.summary
        shown("counts", Q.COUNTS)
        pg = Pager(page_arg("page"), len(s.articles))
        shown("articles by date", Q.ARTICLES + Q.page(PAGE_SIZE, pg.offset))
        articles = [terms({"a": a["article"], "id": a["id"], "headline": a["headline"], "date": a["date"]})
                    for a in s.articles[pg.offset:pg.offset + PAGE_SIZE]]
        shown("most mentioned", Q.TOP_ENTITIES)
        top = [terms(r) for r in s.top()]
        counts = s.counts
        return render_template("home.html", counts=counts, articles=articles, top=top, pager=pg,
                               count_labels=COUNT_LABELS)

    @app.get("/search")
    def search():
        words = request.args.get("q", "").strip()[:MAX_SEARCH]
        kind = request.args.get("kind", "")
        if kind and kind not in Q.KINDS:
            abort(400, "unknown kind")
        rows, pg = [], Pager(1, 0)
        if words:
            if kind:
                shown("search names and aliases", Q.SEARCH_KIND, q=ox.Literal(words),
                      kind=ox.NamedNode(Q.KINDS[kind][0]))
            else:
                shown("search names and aliases", Q.SEARCH, q=ox.Literal(words))
            everything = g.summary.search(words, Q.KINDS[kind][0] if kind else None)
            pg = Pager(page_arg("page"), len(everything))
            rows = [terms(r) for r in everything[pg.offset:pg.offset + PAGE_SIZE]]
        return render_template("search.html", words=words, kind_filter=kind, rows=rows, pager=pg)

    # -- article ----------------------------------------------------------------------------

    @app.get("/article")
    def article():
        a = iri_arg("iri")
        known = g.summary.by_article.get(a.value)
        if known is None:
            abort(404, "no such article in the store")
        graph = ox.NamedNode(known["g"])
        found = run("the article", Q.ARTICLE, a=a, g=graph)
        if not found:
            abort(404, "no such article in the store")
        art = {**found[0], "g": graph}
        text = v(art, "text")
        by_mention: dict[tuple[int, int, str], list] = defaultdict(list)
        labels = {}
        for r in run("its mentions", Q.MENTIONS, a=a, g=graph):
            key = (int(v(r, "b")), int(v(r, "e")), v(r, "x"))
            by_mention[key].append(v(r, "class"))
            labels[key[2]] = v(r, "label") or text[key[0]:key[1]]
        spans = [Span(b, e, url_for("entity", iri=x), kind_of(classes), f"{kind_label(kind_of(classes))}: {labels[x]}")
                 for (b, e, x), classes in by_mention.items()]
        events = article_events(run("its events", Q.ARTICLE_EVENTS, a=a, g=graph),
                                run("their roles", Q.ARTICLE_EVENT_ROLES, a=a, g=graph),
                                run("their types", Q.ARTICLE_EVENT_TYPES, a=a, g=graph))
        epg = Pager(page_arg("epage"), len(events))
        quotes = run("its quotations", Q.ARTICLE_QUOTES, a=a, g=graph)
        prov = run("its build", Q.PROVENANCE, a=a, g=graph)
        return render_template("article.html", iri=a.value, art=art, body=highlight(text, spans),
                               n_mentions=len(spans), events=events[epg.offset:epg.offset + PAGE_SIZE], epager=epg,
                               quotes=quotes, prov=prov)

    # -- entity -----------------------------------------------------------------------------

    @app.get("/entity")
    def entity():
        x = iri_arg("iri")
        sm: Summary = g.summary
        props = defaultdict(list)
        for r in run("the entity", Q.ENTITY, x=x):
            props[local(v(r, "p"))].append(r["o"])
        n_mentions, graphs = mentions_of(x)
        if not props and not n_mentions:
            abort(404, "nothing in the store has this IRI")
        types = [t.value for t in props.get("type", [])]
        kind = kind_of(types)
        names = sorted({t.value for t in props.get("label", []) + props.get("name", [])})
        aliases = sorted({t.value for t in props.get("altLabel", [])} - set(names))
        links = sorted({t.value for t in props.get("sameAs", [])})
        positions: dict[tuple, dict] = {}  # one line per (title, former, where): its articles
        for r in run("positions held", Q.POSITIONS, x=x):
            key = (v(r, "title"), v(r, "former") == "true", v(r, "in"))
            pos = positions.setdefault(key, {"title": key[0], "former": key[1], "in": key[2],
                                             "in_name": v(r, "inName"), "articles": {}})
            pos["articles"][v(r, "a")] = v(r, "id")

        # its articles newest first (as ENTITY_MENTIONS orders them); the words around the
        # mentions for one page of them
        arts = sorted((sm.by_graph[gr] for gr in graphs if gr in sm.by_graph), key=lambda a: a["rank"])
        pg = Pager(page_arg("page"), len(arts))
        page_arts = [{"iri": a["article"], "id": a["id"], "headline": a["headline"], "date": a["date"], "g": a["g"],
                      "spans": []} for a in arts[pg.offset:pg.offset + PAGE_SIZE]]
        if page_arts:
            by_graph = {a["g"]: a for a in page_arts}
            page_graphs = [ox.NamedNode(gr) for gr in by_graph]
            for gr, b, e in unpack(packed("its mentions in these articles", Q.MENTION_SPANS, x=x, graphs=page_graphs),
                                   3, ()):
                by_graph[gr]["spans"].append((int(b), int(e)))
            texts = {v(r, "g"): v(r, "text") for r in run("their texts", Q.TEXTS, graphs=page_graphs)}
            for art in page_arts:
                art["spans"].sort()
                text = texts.get(art["g"], "")
                art["contexts"] = [sentence_around(text, b, e) for b, e in sorted(set(art["spans"]))][:5]

        shown("its events", Q.ENTITY_EVENTS, x=x)
        events, neighbours = sm.memo("entity", x.value, lambda: events_and_neighbours(x))
        epg = Pager(page_arg("epage"), len(events))
        page_events = event_page(events[epg.offset:epg.offset + PAGE_SIZE], sm)
        if page_events:
            evs = [ox.NamedNode(e["iri"]) for e in page_events]
            by_iri = {e["iri"]: e for e in page_events}
            unknown = [ox.NamedNode(e["iri"]) for e in page_events if not e["roles"]]
            if unknown:
                found = defaultdict(set)
                for r in run("its roles in these events", Q.ENTITY_PAGE_ROLES, x=x, events=unknown):
                    found[v(r, "ev")].add(v(r, "role"))
                for e in page_events:
                    e["roles"] = e["roles"] or role_names(found[e["iri"]])
            for r in run("their labels", Q.EVENT_LABELS, events=evs):
                e = by_iri[v(r, "ev")]
                e["label"] = min(e["label"] or v(r, "label"), v(r, "label"))
            for r in run("their types", Q.ENTITY_EVENT_TYPES, x=x, events=evs):
                by_iri[v(r, "ev")]["types"].append(local(v(r, "type")))
            for r in run("who else takes part", Q.ENTITY_EVENT_OTHERS, x=x,
                         events=[(ox.NamedNode(e["iri"]), ox.NamedNode(e["g"])) for e in page_events if e["g"]]):
                by_iri[v(r, "ev")]["with"] = v(r, "with") or None
            for e in page_events:
                e["types"] = sorted(set(e["types"]))
        qpg, quotes = quotations_of(x)
        shown("shared articles", Q.SHARED_ARTICLES, x=x)
        shown("shared events", Q.SHARED_EVENTS, x=x)
        return render_template(
            "entity.html", iri=x.value, kind=kind, names=names, aliases=aliases, links=links, types=types,
            props=props, positions=list(positions.values()), articles=page_arts, n_mentions=n_mentions, pager=pg,
            events=page_events, epager=epg, quotes=quotes, qpager=qpg, neighbours=neighbours)

    def quotations_of(x: ox.NamedNode) -> tuple[Pager, list[dict]]:
        """One page of the quotations of ``x``, in article order: the graphs holding them
        are counted first (cheap), then only the texts of the page's graphs are read."""
        by_graph = g.summary.by_graph
        held = sorted(((by_graph[v(r, "g")]["id"] if v(r, "g") in by_graph else "", v(r, "g"), int(v(r, "n")))
                       for r in run("which articles hold its quotations", Q.QUOTE_GRAPHS, x=x)))
        pg = Pager(page_arg("qpage"), sum(n for _, _, n in held))
        graphs, skip, seen = [], 0, 0
        for _, gr, n in held:
            if seen + n > pg.offset and seen < pg.offset + PAGE_SIZE:
                if not graphs:
                    skip = pg.offset - seen
                graphs.append(ox.NamedNode(gr))
            seen += n
        if not graphs:
            return pg, []
        quotes: dict[str, dict] = {}
        for r in run("its quotations in these articles", Q.ENTITY_QUOTES, x=x, graphs=graphs):
            q = quotes.setdefault(v(r, "q"), {"q": r["q"], "id": Val(by_graph.get(v(r, "g"), {}).get("id", ""))})
            q[QUOTE_FIELDS[local(v(r, "p"))]] = r["o"]
        rows = sorted(quotes.values(), key=lambda q: (q["id"].value, int(q["b"].value) if "b" in q else -1, q["q"].value))
        return pg, rows[skip:skip + PAGE_SIZE]

    def mentions_of(x: ox.NamedNode) -> tuple[int, frozenset[str] | set[str]]:
        """The number of mentions of ``x`` and the graphs holding them."""
        shown("its mentions", Q.ENTITY_MENTIONS, x=x)
        found = g.summary.mentions.get(x.value)
        if found is not None:
            return found
        r = run("how many mentions, in which graphs", Q.MENTION_GRAPHS, x=x)
        return (int(v(r[0], "n")), set(split(r[0]["graphs"]))) if r else (0, set())

    def events_and_neighbours(x: ox.NamedNode) -> tuple[list[tuple], list[dict]]:
        """Its events (ENTITY_EVENTS, without their labels: those of a page come with the
        page) and the entities it appears with (SHARED_ARTICLES, SHARED_EVENTS)."""
        sm: Summary = g.summary
        known = sm.events_of.get(x.value)
        if known is not None:  # a named entity: the summary has its events; a page asks their roles
            roles: list[tuple[str, str | None]] = [(ev, None) for ev in known]
        else:
            roles = [(ev, r["role"].value) for r in run("its roles in events", Q.ENTITY_EVENT_ROLES, x=x)
                     for ev in split(r["events"])]
        shared = sm.shared_events(x.value, roles)
        labels: dict[str, set[str]] = defaultdict(set)
        evs = sorted(set().union(*shared.values())) if shared else []
        if evs:  # not listed on the page: SHARED_EVENTS says the same in one query
            packed_rows = run_now("labels of the shared events",
                                  Q.bind(Q.SHARED_EVENT_LABELS, events=[ox.NamedNode(e) for e in evs]))
            for ev, label in unpack(packed_rows[0]["rows"], 2, (1,)):
                labels[ev].add(label)
        return entity_events(roles, sm), neighbours_of(x, sm.shared_event_rows(shared, labels))

    def neighbours_of(x: ox.NamedNode, shared_events: list[dict]) -> list[dict]:
        sm: Summary = g.summary
        if x.value in sm.classes:
            articles = sm.entity_articles.get(x.value, [])
        else:
            articles = split(packed("the articles mentioning it", Q.MENTIONED_BY, x=x))
        out: dict[str, dict] = {}
        for r in sm.shared_articles(x.value, articles):
            out[r["y"]] = {"iri": r["y"], "name": r["name"], "kind": Q.KIND_OF_CLASS.get(r["kind"], "other"),
                           "articles": r["n"], "events": 0, "event_labels": ""}
        for r in shared_events:
            n = out.setdefault(r["y"], {"iri": r["y"], "name": r["name"],
                                        "kind": Q.KIND_OF_CLASS.get(r["kind"], "other"), "articles": 0})
            n["events"], n["event_labels"] = r["n"], r["events"]
        return sorted(out.values(), key=lambda n: (-n["events"], -n["articles"], n["name"] or "", n["iri"]))

    @app.get("/api/graph")
    def graph_json():
        """The entity and those it appears with: vis-network nodes and edges."""
        x = iri_arg("iri")
        rows = run("the entity", Q.ENTITY, x=x)
        if not rows:
            abort(404, "nothing in the store has this IRI")
        label = next((r["o"].value for r in rows if local(v(r, "p")) == "label"), x.value)
        kind = kind_of([r["o"].value for r in rows if local(v(r, "p")) == "type"])
        nodes = [{"id": x.value, "label": label, "group": kind, "url": url_for("entity", iri=x.value)}]
        edges = []
        shown("shared articles", Q.SHARED_ARTICLES, x=x)
        shown("shared events", Q.SHARED_EVENTS, x=x)
        for n in g.summary.memo("entity", x.value, lambda: events_and_neighbours(x))[1]:
            nodes.append({"id": n["iri"], "label": n["name"], "group": n["kind"], "url": url_for("entity", iri=n["iri"])})
            parts = []
            if n["articles"]:
                parts.append(f"{n['articles']} shared article{'s' if n['articles'] > 1 else ''}")
            if n["events"]:
                parts.append(f"{n['events']} shared event{'s' if n['events'] > 1 else ''} ({n['event_labels']})")
            edges.append({"from": x.value, "to": n["iri"], "title": "; ".join(parts),
                          "value": n["articles"] + 2 * n["events"], "dashes": not n["events"]})
        return jsonify({"nodes": nodes, "edges": edges})

    # -- timeline ---------------------------------------------------------------------------

    @app.get("/timeline")
    def timeline():
        sm: Summary = g.summary
        ent = iri_arg("entity") if request.args.get("entity") else None
        shown("event types with a date", Q.EVENT_TYPES)
        types = sm.event_types
        typ = request.args.get("type", "")
        known = {local(t): t for t, _ in types}
        if typ and typ not in known:
            abort(400, "unknown event type")
        params = {"entity": ent} if ent is not None else {}
        if typ:
            params["type"] = ox.NamedNode(known[typ])
        shown("timeline", Q.timeline(ent is not None, bool(typ)), **params)
        rows = sm.timeline  # (when, graph, event, label)
        ent_name = None
        if ent is not None:
            if ent.value in sm.classes:
                with_it = sm.events_of.get(ent.value, set())
            else:
                with_it = set(split(packed("the events it takes part in", Q.EVENTS_WITH, entity=ent)))
            rows = [r for r in rows if r[2] in with_it]
            ent_name = next((r["o"].value for r in run("the entity", Q.ENTITY, x=ent)
                             if local(v(r, "p")) == "label"), ent.value)
        if typ:
            of_type = sm.dated_types.get(known[typ], set())
            rows = [r for r in rows if r[2] in of_type]
        pg = Pager(page_arg("page"), len(rows))
        page_rows = rows[pg.offset:pg.offset + PAGE_SIZE]
        details = {}
        if page_rows:
            shown("details of the page's events", Q.TIMELINE_DETAILS,
                  events=[ox.NamedNode(ev) for _, _, ev, _ in page_rows])
            details = {v(r, "ev"): v(r, "actors") for r in run(
                "who takes part", Q.TIMELINE_ACTORS,
                events=[(ox.NamedNode(ev), ox.NamedNode(gr)) for _, gr, ev, _ in page_rows if gr])}
        days = defaultdict(list)
        for when, gr, ev, label in page_rows:
            art = sm.by_graph.get(gr)
            days[when].append({"ev": ev, "label": label, "class": sm.event_classes.get(ev), "actors": details.get(ev),
                               **({"article": art["article"], "id": art["id"], "headline": art["headline"]}
                                  if art else {})})
        return render_template("timeline.html", days=days, types=types, typ=typ, entity=ent and ent.value,
                               entity_name=ent_name, pager=pg, total=len(rows))

    # -- console ----------------------------------------------------------------------------

    @app.get("/sparql")
    def sparql():
        text = request.args.get("query", "")
        result, error = None, None
        if len(text) > MAX_QUERY:
            error = f"the query is longer than {MAX_QUERY} characters"
        elif text.strip():
            try:
                # the same query on the same store state: the same answer (pages link here)
                result = g.summary.memo("sparql", text, lambda: run_local(g.store, text))
            except KgError as exc:
                error = str(exc)
        example = Q.PROLOGUE + "SELECT ?g (COUNT(*) AS ?triples)\nWHERE { GRAPH ?g { ?s ?p ?o } }\nGROUP BY ?g\nLIMIT 20"
        return render_template("sparql.html", text=text or example, result=result, error=error, max_rows=MAX_ROWS,
                               endpoint=app.config["KG_SPARQL_ENDPOINT"]), (400 if error else 200)

    @app.get("/assets/<name>")
    def asset(name: str):
        if name not in VIS_FILES:
            abort(404, "no such asset")
        return send_file(vis_asset(name), max_age=3600)

    return app


# -- helpers -------------------------------------------------------------------------------

COUNT_LABELS = [("https://schema.org/NewsArticle", "articles"), (Q.KINDS["person"][0], "people"),
                (Q.KINDS["org"][0], "organisations"), (Q.KINDS["place"][0], "places"),
                (Q.PREFIXES["sem"] + "Event", "events"), (KG_NS + "Quotation", "quotations")]


def v(row: dict, name: str) -> str | None:
    t = row.get(name)
    return None if t is None else t.value


def local(iri: str | None) -> str:
    return (iri or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def compact(iri: str) -> str:
    """``prefix:name`` for an IRI in a known namespace, else the IRI."""
    for prefix, ns in sorted(Q.PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def kind_of(classes) -> str:
    """The CSS / display kind of a resource from its classes (named kinds first)."""
    classes = set(c for c in classes if c)
    for iri, key in Q.KIND_OF_CLASS.items():
        if iri in classes:
            return key
    for iri, key in Q.OTHER_CLASSES.items():
        if iri in classes:
            return key
    return "other"


def kind_label(kind: str) -> str:
    if kind in Q.KINDS:
        return Q.KINDS[kind][1]
    return {"event": "event", "time": "time", "value": "value", "unnamed": "unnamed participant"}.get(kind, "thing")


def iri_arg(name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(request.args.get(name, ""))
    except ValueError:
        abort(404, "not an IRI")


def page_arg(name: str) -> int:
    raw = request.args.get(name, "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6 and int(raw) > 0 else 1


class Pager:
    def __init__(self, page: int, total: int):
        self.total = total
        self.pages = max(1, math.ceil(total / PAGE_SIZE))
        self.page = min(page, self.pages, MAX_PAGE)
        self.offset = (self.page - 1) * PAGE_SIZE


def article_events(rows: list[dict], roles: list[dict], types: list[dict]) -> list[dict]:
    events: dict[str, dict] = {}
    for r in rows:
        events.setdefault(v(r, "ev"), {"iri": v(r, "ev"), "label": v(r, "label"), "types": set(),
                                       "negated": v(r, "negated") == "true", "roles": defaultdict(dict)})
    for r in types:
        if v(r, "ev") in events:
            events[v(r, "ev")]["types"].add(local(v(r, "type")))
    for r in roles:
        ev, role = events.get(v(r, "ev")), v(r, "role")
        if ev is not None:
            if role == SEM_TIME:  # its TIMEX3 value; an unresolved time has only its words
                shown = v(r, "value") or f'"{v(r, "xlabel") or "?"}" (unresolved)'
            else:
                shown = v(r, "xlabel") or local(v(r, "x"))
            ev["roles"][Q.ROLES[role]][v(r, "x")] = shown or v(r, "x")
    out = []
    for ev in events.values():
        named = {k for k in ("who", "whom", "to whom") for k in ev["roles"].get(k, {})}
        ev["roles"]["with"] = {k: n for k, n in ev["roles"].get("with", {}).items() if k not in named}
        ev["types"] = sorted(ev["types"])
        ev["local"] = local(ev["iri"])
        out.append(ev)
    # events with participants, a place or a time first; then in text order of their ids
    return sorted(out, key=lambda e: (not any(e["roles"].values()), _num(e["local"]), e["iri"]))


def _num(local_id: str) -> int:
    digits = _NOT_DIGITS.sub("", local_id)
    return int(digits) if digits else 0


def role_names(roles) -> list[str]:
    """What the page says of an entity's role properties in one event."""
    names = {Q.ROLES.get(role, "with") for role in roles}
    if len(names) > 1:
        names.discard("with")  # sem:hasActor is materialised beside the finer role
    return sorted(names)


def entity_events(roles: list[tuple[str, str | None]], sm: Summary) -> list[tuple]:
    """The events of an entity from its roles (event, role; None: not asked yet), as light
    rows (sort key, event, its role names): dated first, in date order; then undated, by
    article. A big entity has thousands; ``event_page`` makes the dicts of the page shown."""
    by_event: dict[str, set[str]] = defaultdict(set)
    for ev_iri, role in roles:
        found = by_event[ev_iri]
        if role is not None:
            found.add(role)
    rows = []
    ids: dict[str | None, str] = {}  # graph -> its article's id (an article has many events)
    for ev_iri, found in by_event.items():
        when = sm.when.get(ev_iri)
        gr = sm.graph_of_event(ev_iri)
        aid = ids.get(gr)
        if aid is None:
            art = sm.by_graph.get(gr)
            aid = ids[gr] = art["id"] if art else ""
        rows.append(((when is None, when or "", aid, _num(local(ev_iri))), ev_iri, role_names(found) if found else []))
    rows.sort()
    return rows


def event_page(rows: list[tuple], sm: Summary) -> list[dict]:
    """The dicts the entity page shows for some of ``entity_events``' rows (labels, types
    and who else: filled by the page's queries)."""
    out = []
    for (_, when, _, _), ev_iri, names in rows:
        gr = sm.graph_of_event(ev_iri)
        art = sm.by_graph.get(gr)
        out.append({"iri": ev_iri, "label": None, "types": [], "roles": names, "when": when or None,
                    "with": None, "g": gr, "article": art["article"] if art else None,
                    "id": art["id"] if art else "", "headline": art["headline"] if art else None})
    return out


class Val(NamedTuple):
    """A value as the templates read a query's terms (``.value``)."""
    value: object


def terms(row: dict) -> dict:
    return {k: None if val is None else Val(val) for k, val in row.items()}
