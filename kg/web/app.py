"""The explorer: a read-only Flask app over a kg store (pages rendered on the server by
Jinja2 with autoescape; JavaScript only for the entity graph).

Every page lists the SPARQL it ran (URL values written in as escaped terms:
``kg.web.queries.bind``), each with a link that opens it in the console (``/sparql``).
"""
from __future__ import annotations

import math
from collections import defaultdict
from contextlib import AbstractContextManager, nullcontext
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from flask import Flask, abort, g, jsonify, render_template, request, send_file, url_for

from kg.errors import KgError, QueryError, ServeError
from kg.store.embedded import Store
from kg.store.query import run_local
from kg.web import queries as Q
from kg.web.text import Span, highlight, sentence_around

PAGE_SIZE = 20
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
    if isinstance(store, (str, Path)):
        opened = Store(store, read_only=True)
        source: StoreSource = lambda: nullcontext(opened)  # noqa: E731
    else:
        source = store
    app = Flask(__name__)
    app.config["KG_SPARQL_ENDPOINT"] = sparql_endpoint
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.jinja_env.globals.update(kinds=Q.KINDS, kind_label=kind_label, compact=compact,
                                 kind_of_iri=lambda iri: Q.KIND_OF_CLASS.get(iri, "other"))

    def run(title: str, sparql: str, **params) -> list[dict]:
        text = Q.bind(sparql, **params)
        try:
            res = g.store.query(text)
        except (SyntaxError, OSError) as exc:  # our own queries: a bug or a broken store
            raise QueryError(f"query {title!r} failed: {exc}") from exc
        names = [v.value for v in res.variables]
        rows = [{n: sol[n] for n in names} for sol in res]
        g.queries.append((title, text))
        return rows

    @app.before_request
    def start():
        g.queries = []
        g.store_context = source()
        g.store = g.store_context.__enter__()
        if g.store is None:
            return render_template("error.html", code=503,
                                   message="the store is being built: try again when the build is done"), 503

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
        counts = {v(r, "class"): int(v(r, "n")) for r in run("counts", Q.COUNTS)}
        n_articles = int(v(run("number of articles", Q.ARTICLE_COUNT)[0], "n"))
        pg = Pager(page_arg("page"), n_articles)
        articles = run("articles by date", Q.ARTICLES + Q.page(PAGE_SIZE, pg.offset))
        top = run("most mentioned", Q.TOP_ENTITIES)
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
                everything = run("search names and aliases", Q.SEARCH_KIND, q=ox.Literal(words),
                                 kind=ox.NamedNode(Q.KINDS[kind][0]))
            else:
                everything = run("search names and aliases", Q.SEARCH, q=ox.Literal(words))
            pg = Pager(page_arg("page"), len(everything))
            rows = everything[pg.offset:pg.offset + PAGE_SIZE]
        return render_template("search.html", words=words, kind_filter=kind, rows=rows, pager=pg)

    # -- article ----------------------------------------------------------------------------

    @app.get("/article")
    def article():
        a = iri_arg("iri")
        found = run("the article", Q.ARTICLE, a=a)
        if not found:
            abort(404, "no such article in the store")
        art = found[0]
        text = v(art, "text")
        by_mention: dict[tuple[int, int, str], list] = defaultdict(list)
        labels = {}
        for r in run("its mentions", Q.MENTIONS, a=a):
            key = (int(v(r, "b")), int(v(r, "e")), v(r, "x"))
            by_mention[key].append(v(r, "class"))
            labels[key[2]] = v(r, "label") or text[key[0]:key[1]]
        spans = [Span(b, e, url_for("entity", iri=x), kind_of(classes), f"{kind_label(kind_of(classes))}: {labels[x]}")
                 for (b, e, x), classes in by_mention.items()]
        events = article_events(run("its events", Q.ARTICLE_EVENTS, a=a),
                                run("their roles", Q.ARTICLE_EVENT_ROLES, a=a),
                                run("their types", Q.ARTICLE_EVENT_TYPES, a=a))
        epg = Pager(page_arg("epage"), len(events))
        quotes = run("its quotations", Q.ARTICLE_QUOTES, a=a)
        prov = run("its build", Q.PROVENANCE, a=a)
        return render_template("article.html", iri=a.value, art=art, body=highlight(text, spans),
                               n_mentions=len(spans), events=events[epg.offset:epg.offset + PAGE_SIZE], epager=epg,
                               quotes=quotes, prov=prov)

    # -- entity -----------------------------------------------------------------------------

    @app.get("/entity")
    def entity():
        x = iri_arg("iri")
        props = defaultdict(list)
        for r in run("the entity", Q.ENTITY, x=x):
            props[local(v(r, "p"))].append(r["o"])
        mentions = run("its mentions", Q.ENTITY_MENTIONS, x=x)
        if not props and not mentions:
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

        by_article: dict[str, dict] = {}
        for r in mentions:
            art = by_article.setdefault(v(r, "a"), {"iri": v(r, "a"), "id": v(r, "id"), "headline": v(r, "headline"),
                                                   "date": v(r, "date"), "spans": []})
            art["spans"].append((int(v(r, "b")), int(v(r, "e"))))
        arts = list(by_article.values())
        pg = Pager(page_arg("page"), len(arts))
        shown = arts[pg.offset:pg.offset + PAGE_SIZE]
        for art in shown:
            text = v(run(f"text of {art['id']}", Q.TEXT, a=ox.NamedNode(art["iri"]))[0], "text")
            art["contexts"] = [sentence_around(text, b, e) for b, e in sorted(set(art["spans"]))][:5]

        events = entity_events(run("its events", Q.ENTITY_EVENTS, x=x), run("their types", Q.ENTITY_EVENT_TYPES, x=x),
                               run("who else takes part", Q.ENTITY_EVENT_OTHERS, x=x),
                               article_index(run("the articles", Q.ARTICLE_INDEX)))
        epg = Pager(page_arg("epage"), len(events))
        quotes = run("its quotations", Q.ENTITY_QUOTES, x=x)
        neighbours = neighbours_of(run, x)
        return render_template(
            "entity.html", iri=x.value, kind=kind, names=names, aliases=aliases, links=links, types=types,
            props=props, positions=list(positions.values()), articles=shown, n_mentions=len(mentions), pager=pg,
            events=events[epg.offset:epg.offset + PAGE_SIZE], epager=epg, quotes=quotes, neighbours=neighbours)

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
        for n in neighbours_of(run, x):
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
        ent = iri_arg("entity") if request.args.get("entity") else None
        types = [(v(r, "type"), int(v(r, "n"))) for r in run("event types with a date", Q.EVENT_TYPES)]
        typ = request.args.get("type", "")
        known = {local(t): t for t, _ in types}
        if typ and typ not in known:
            abort(400, "unknown event type")
        params = {"entity": ent} if ent is not None else {}
        if typ:
            params["type"] = ox.NamedNode(known[typ])
        rows = run("timeline", Q.timeline(ent is not None, bool(typ)), **params)
        ent_name = None
        if ent is not None:
            ent_name = next((r["o"].value for r in run("the entity", Q.ENTITY, x=ent)
                             if local(v(r, "p")) == "label"), ent.value)
        pg = Pager(page_arg("page"), len(rows))
        shown = rows[pg.offset:pg.offset + PAGE_SIZE]
        details, index = {}, {}
        if shown:
            details = {v(r, "ev"): r for r in run("details of the page's events", Q.TIMELINE_DETAILS,
                                                  events=[r["ev"] for r in shown])}
            index = article_index(run("the articles", Q.ARTICLE_INDEX))
        days = defaultdict(list)
        for r in shown:
            d, art = details.get(v(r, "ev"), {}), index.get(v(r, "g"), {})
            days[v(r, "when")].append({"ev": v(r, "ev"), "label": v(r, "label"), "class": v(d, "class"),
                                       "actors": v(d, "actors"), **art})
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
                result = run_local(g.store, text)
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


def article_index(rows: list[dict]) -> dict[str, dict]:
    """graph IRI -> its article (IRI, id, headline)."""
    return {v(r, "g"): {"article": v(r, "a"), "id": v(r, "id"), "headline": v(r, "headline")} for r in rows}


def _num(local_id: str) -> int:
    digits = "".join(c for c in local_id if c.isdigit())
    return int(digits) if digits else 0


def entity_events(rows: list[dict], types: list[dict], others: list[dict], index: dict[str, dict]) -> list[dict]:
    events: dict[str, dict] = {}
    for r in rows:
        ev = events.setdefault(v(r, "ev"), {"iri": v(r, "ev"), "label": v(r, "label"), "types": set(), "roles": set(),
                                            "when": v(r, "when"), "with": None,
                                            **index.get(v(r, "g"), {"article": None, "id": "", "headline": None})})
        ev["roles"].add(Q.ROLES.get(v(r, "role"), "with"))
    for r in types:
        if v(r, "ev") in events:
            events[v(r, "ev")]["types"].add(local(v(r, "type")))
    for r in others:
        if v(r, "ev") in events:
            events[v(r, "ev")]["with"] = v(r, "with") or None
    for ev in events.values():
        if len(ev["roles"]) > 1:
            ev["roles"].discard("with")  # sem:hasActor is materialised beside the finer role
        ev["types"], ev["roles"] = sorted(ev["types"]), sorted(ev["roles"])
    # dated first, in date order; then undated, by article
    return sorted(events.values(), key=lambda e: (e["when"] is None, e["when"] or "", e["id"], _num(local(e["iri"]))))


def neighbours_of(run, x: ox.NamedNode) -> list[dict]:
    out: dict[str, dict] = {}
    for r in run("shared articles", Q.SHARED_ARTICLES, x=x):
        out[v(r, "y")] = {"iri": v(r, "y"), "name": v(r, "name"), "kind": Q.KIND_OF_CLASS.get(v(r, "kind"), "other"),
                          "articles": int(v(r, "n")), "events": 0, "event_labels": ""}
    for r in run("shared events", Q.SHARED_EVENTS, x=x):
        n = out.setdefault(v(r, "y"), {"iri": v(r, "y"), "name": v(r, "name"),
                                       "kind": Q.KIND_OF_CLASS.get(v(r, "kind"), "other"), "articles": 0})
        n["events"], n["event_labels"] = int(v(r, "n")), v(r, "events")
    return sorted(out.values(), key=lambda n: (-n["events"], -n["articles"], n["name"] or "", n["iri"]))
