"""Linking to Wikidata (kg.linking, ``kg link``): against a real SPARQL server (the PyPI
Oxigraph server) loaded with a Wikidata-shaped fixture (tests/fixtures/wikidata.ttl),
over HTTP, and against servers that are down, slow or rate-limiting."""
from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from email.utils import formatdate
from pathlib import Path

import pytest

from kg.errors import EndpointError, EndpointQueryError, UsageError
from kg.linking import Endpoint, Link, decisions, link, links_graph
from kg.linking.cache import Candidate
from kg.linking.client import Client, retry_after
from kg.linking.rank import MIN_MARGIN, MIN_SCORE, Mentioned, decide, rank
from kg.records import ArticleMeta, ArticleRecord, EntityRecord, Mention
from kg.rdf.iris import Minter
from kg.store.embedded import Store
from tests.tools import OXIGRAPH, Quiet, free_port, kg, oxigraph_server, proxy_handler, tiny_server

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata.ttl"
CONTACT = "kg-tests@example.org"
SEED_ID = "000_6ce42e271251dfbb"
# The seed's people, organisations and places, and the fixture's items for them.
SEED_LINKS = {
    "person:vladimir putin": Link("Q7747", "PERSON", 0), "person:donald trump": Link("Q22686", "PERSON", 0),
    "person:sarah sanders": Link("Q900001001", "PERSON", 0), "person:bill browder": Link("Q900001002", "PERSON", 0),
    "person:michael mcfaul": Link("Q900001004", "PERSON", 0), "org:kremlin": Link("Q900002001", "ORG", 0),
    "org:white house": Link("Q35525", "ORG", 0), "org:senate": Link("Q66096", "ORG", 0),
    "place:geonames:658225": Link("Q1757", "PLACE", 0), "place:geonames:660013": Link("Q33", "PLACE", 0),
    "place:geonames:2017370": Link("Q159", "PLACE", 0),
}


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory):
    """The fixture in an Oxigraph server: its SPARQL query URL."""
    db = tmp_path_factory.mktemp("wikidata") / "db"
    subprocess.run([OXIGRAPH, "load", "--location", str(db), "--file", str(FIXTURE)], check=True,
                   capture_output=True)
    with oxigraph_server(db) as base:
        yield f"{base}/query"


@pytest.fixture()
def seed_copy(seed_build, tmp_path):
    """A writable copy of the seed build."""
    out, _ = seed_build
    copy = tmp_path / "seed"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("kg.lock"))
    return copy


def qids(out: Path) -> dict[str, tuple[str, str]]:
    with Store(out / "store", read_only=True) as store:
        return {key: (ln.qid, ln.kind) for (aid, key), ln in decisions(store).items() if aid == SEED_ID}


def expected(keys=SEED_LINKS) -> dict[str, tuple[str, str]]:
    return {k: (v.qid, v.kind) for k, v in keys.items()}


def link_lines(proc: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in proc.stdout + proc.stderr
    return [ln for ln in proc.stderr.splitlines() if "Wikidata links" in ln]


def counting_proxy(backend: str, log: list):
    """A proxy to ``backend`` that notes each request's User-Agent."""
    Proxy = proxy_handler(backend)

    class Counting(Proxy):
        def do_POST(self):
            log.append(self.headers.get("User-Agent"))
            super().do_POST()

        def do_GET(self):
            log.append(self.headers.get("User-Agent"))
            super().do_GET()

    return Counting


# -- the seed, through kg link --------------------------------------------------------------

def test_kg_link_links_the_seed_and_a_second_run_asks_nothing(wikidata, seed_copy):
    seen: list = []
    with tiny_server(counting_proxy(wikidata.rsplit("/query", 1)[0], seen)) as proxy:
        first = kg("link", "--out", str(seed_copy), "--endpoint", f"{proxy}/query", "--contact", CONTACT)
        asked = len(seen)
        second = kg("link", "--out", str(seed_copy), "--endpoint", f"{proxy}/query", "--contact", CONTACT)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    found = qids(seed_copy)
    assert {k: found.get(k) for k in SEED_LINKS} == expected()
    assert asked >= 2 and len(seen) == asked  # names, then their statements; nothing the second time
    assert all(ua.startswith(f"kg/") and f"({CONTACT})" in ua and "SPARQLWrapper/" in ua for ua in seen)
    lines = link_lines(second)
    assert len(lines) == 1 and lines[0].startswith(f"kg: Wikidata links: {len(found)} of ")
    assert lines[0].endswith(f"; 0 requests to {proxy}/query")
    # the decisions are in the exports, in their own graph
    trig = (seed_copy / "kg.trig").read_text()
    assert f"<{links_graph()}> {{" in trig and "<http://www.wikidata.org/entity/Q7747>" in trig
    assert "prov:startedAtTime" in trig
    # ... and the article graph uses them: the entity is the item's, with owl:sameAs it
    wd = "http://www.wikidata.org/entity/"
    with Store(seed_copy / "store", read_only=True) as store:
        rows = {(r["e"].value, r["item"].value, r["t"].value) for r in store.oxigraph.query(f"""
            SELECT ?e ?item ?t WHERE {{ GRAPH <{Minter().graph(SEED_ID)}> {{
              ?e <http://www.w3.org/2002/07/owl#sameAs> ?item ; a ?t .
              VALUES ?item {{ <{wd}Q7747> <{wd}Q35525> }}
              VALUES ?t {{ <https://schema.org/Person> <https://schema.org/Organization> }} }} }}""")}
    assert rows == {(Minter().entity("PERSON", "wikidata:Q7747", "Vladimir Putin"), f"{wd}Q7747",
                     "https://schema.org/Person"),
                    # an institution named by its seat stays an organisation ("the White House said")
                    (Minter().entity("ORG", "wikidata:Q35525", "White House"), f"{wd}Q35525",
                     "https://schema.org/Organization")}
    # the example query over the links (ontology/queries/linked/)
    query = Path(__file__).parent.parent / "ontology" / "queries" / "linked" / "people-by-wikidata.rq"
    res = kg("query", str(query), "--out", str(seed_copy), "--format", "csv")
    assert res.returncode == 0, res.stderr
    rows = res.stdout.splitlines()
    assert rows[0] == "item,person,name,articles"
    assert f"{wd}Q7747,{Minter().entity('PERSON', 'wikidata:Q7747', 'Vladimir Putin')},Vladimir Putin,1" in rows


def test_links_graph_survives_prune_and_remove(wikidata, seed_copy, tmp_path):
    assert kg("link", "--out", str(seed_copy), "--endpoint", wikidata, "--contact", CONTACT).returncode == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "story.md").write_text("---\npublished: 2021-05-04\n---\nBoeing said on Monday that it would cut jobs.\n")
    built = kg("build", str(other), "--out", str(seed_copy), "--prune", "--no-progress")
    assert built.returncode == 0, built.stderr
    assert "1 removed" in built.stderr
    with Store(seed_copy / "store", read_only=True) as store:
        assert links_graph() in store.graphs()
        assert SEED_ID not in store.built_articles_with_activity()
    assert f"<{links_graph()}> {{" in (seed_copy / "kg.trig").read_text()
    removed = kg("remove", "story", "--out", str(seed_copy))
    assert removed.returncode == 0, removed.stderr
    with Store(seed_copy / "store", read_only=True) as store:
        assert store.graphs() == [links_graph()]
        assert decisions(store)[(SEED_ID, "person:vladimir putin")].qid == "Q7747"
    assert f"<{links_graph()}> {{" in (seed_copy / "kg.trig").read_text()


# -- endpoints that fail: the run finishes, says so in one line, the next run completes -----

def test_build_link_with_the_endpoint_down_finishes_and_a_rerun_links(wikidata, seed_build, tmp_path):
    out = tmp_path / "out"
    down = f"http://127.0.0.1:{free_port()}/sparql"
    proc = kg("build", "seeds", "--out", str(out), "--no-progress", "--link", "--endpoint", down,
              "--contact", CONTACT)
    assert proc.returncode == 0, proc.stderr
    lines = link_lines(proc)
    assert len(lines) == 1 and f"cannot reach {down}" in lines[0] and "run kg link again" in lines[0], proc.stderr
    assert "1 built" in proc.stderr and (out / "kg.trig").exists()
    assert qids(out) == {}
    again = kg("link", "--out", str(out), "--endpoint", wikidata, "--contact", CONTACT)
    assert again.returncode == 0 and "not linked yet" not in again.stderr, again.stderr
    assert {k: qids(out).get(k) for k in SEED_LINKS} == expected()


class Sleeps(Quiet):
    def do_POST(self):
        self.body()
        time.sleep(4)
        self.reply(200, '{"head": {"vars": []}, "results": {"bindings": []}}', "application/sparql-results+json")


def test_an_endpoint_that_times_out(wikidata, seed_copy):
    with tiny_server(Sleeps) as slow:
        started = time.monotonic()
        proc = kg("link", "--out", str(seed_copy), "--endpoint", f"{slow}/sparql", "--contact", CONTACT,
                  "--timeout", "0.5")
        took = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    lines = link_lines(proc)
    assert len(lines) == 1 and "did not answer within 0.5s (after 3 tries)" in lines[0], proc.stderr
    assert took < 30
    assert qids(seed_copy) == {}
    again = kg("link", "--out", str(seed_copy), "--endpoint", wikidata, "--contact", CONTACT)
    assert again.returncode == 0, again.stderr
    assert {k: qids(seed_copy).get(k) for k in SEED_LINKS} == expected()


def rate_limited(backend: str, refusals: int, wait: str, log: list):
    """429 with ``Retry-After: wait`` for the first ``refusals`` requests, then a proxy to ``backend``."""
    Proxy = proxy_handler(backend)
    lock = threading.Lock()

    class Limited(Proxy):
        def do_POST(self):
            with lock:
                log.append(time.monotonic())
                refuse = len(log) <= refusals
            if refuse:
                self.body()
                self.send_response(429)
                self.send_header("Retry-After", wait)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_POST()

    return Limited


def test_429_retry_after_is_honoured(wikidata, seed_copy):
    times: list = []
    with tiny_server(rate_limited(wikidata.rsplit("/query", 1)[0], 2, "2", times)) as limited:
        proc = kg("link", "--out", str(seed_copy), "--endpoint", f"{limited}/query", "--contact", CONTACT)
    assert proc.returncode == 0, proc.stderr
    assert "not linked yet" not in proc.stderr
    # waited what Retry-After said (the backoff without it would be 1s, then 2s)
    assert times[1] - times[0] >= 1.9 and times[2] - times[1] >= 1.9
    assert {k: qids(seed_copy).get(k) for k in SEED_LINKS} == expected()


def test_429_asking_for_hours_stops_the_run_and_a_rerun_links(wikidata, seed_copy):
    times: list = []
    later = formatdate(time.time() + 7200, usegmt=True)  # an HTTP date, two hours on
    with tiny_server(rate_limited(wikidata.rsplit("/query", 1)[0], 100, later, times)) as limited:
        proc = kg("link", "--out", str(seed_copy), "--endpoint", f"{limited}/query", "--contact", CONTACT)
    assert proc.returncode == 0, proc.stderr
    lines = link_lines(proc)
    assert len(lines) == 1 and "HTTP 429" in lines[0] and "more than kg waits" in lines[0], proc.stderr
    assert len(times) == 1  # asked once, not hammered
    again = kg("link", "--out", str(seed_copy), "--endpoint", wikidata, "--contact", CONTACT)
    assert again.returncode == 0, again.stderr
    assert {k: qids(seed_copy).get(k) for k in SEED_LINKS} == expected()


def test_wikidata_is_not_asked_without_a_contact(seed_copy):
    proc = kg("link", "--out", str(seed_copy))
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "kg: error: query.wikidata.org asks every client for a contact in its User-Agent (Wikimedia's User-Agent "
        "policy): pass --contact EMAIL-or-URL (or set $KG_CONTACT)"]
    with pytest.raises(UsageError):
        Client(Endpoint())
    offline = kg("link", "--out", str(seed_copy), "--offline")  # asks nobody: needs no contact
    assert offline.returncode == 0, offline.stderr
    assert re.search(r"; 0 requests to https://query.wikidata.org/sparql; [1-9][0-9]* not asked \(offline\)",
                     offline.stderr), offline.stderr
    assert Endpoint(contact="me@example.org").user_agent().startswith("kg/0.1.0 (me@example.org) SPARQLWrapper/")


def test_kg_link_help_has_an_example():
    proc = kg("link", "--help")
    assert proc.returncode == 0 and "Example: kg link --contact" in proc.stdout


# -- credentials go to the endpoint's origin only -------------------------------------------

def test_credentials_stay_with_the_endpoint_origin():
    seen: list = []

    class Elsewhere(Quiet):
        def do_POST(self):
            seen.append(self.headers.get("Authorization"))
            self.body()
            self.reply(200, '{"head": {"vars": []}, "results": {"bindings": []}}', "application/sparql-results+json")

    with tiny_server(Elsewhere) as other:
        class Redirects(Quiet):
            def do_POST(self):
                seen.append(("endpoint", self.headers.get("Authorization")))
                self.body()
                self.send_response(307)
                self.send_header("Location", f"{other}/sparql")
                self.send_header("Content-Length", "0")
                self.end_headers()

        with tiny_server(Redirects) as endpoint:
            client = Client(Endpoint(f"{endpoint}/sparql", "me@example.org", user="alice", password="s3cret"))
            with pytest.raises(EndpointError, match="another origin"):
                client.select("SELECT * WHERE { ?s ?p ?o }")
    assert seen == [("endpoint", "Basic YWxpY2U6czNjcmV0")]  # the endpoint had them; the other server nothing


def test_a_malformed_query_is_not_retried():
    hits: list = []

    class BadRequest(Quiet):
        def do_POST(self):
            hits.append(self.body())
            self.reply(400, "Parse error")

    with tiny_server(BadRequest) as endpoint:
        with pytest.raises(EndpointQueryError, match="HTTP 400"):
            Client(Endpoint(f"{endpoint}/sparql", CONTACT, backoff=0)).select("SELECT nonsense")
    assert len(hits) == 1


# -- ranking on records written for it, over HTTP to the fixture --------------------------

def article(aid: str, body: str, *entities: tuple[str, str, list[str]]) -> tuple[str, ArticleRecord]:
    ents = []
    for i, (kind, label, alts) in enumerate(entities):
        start = body.find(label)
        ents.append(EntityRecord(f"e{i}", kind, label, f"{kind.lower()}:{label.lower()}",
                                 [Mention(start, start + len(label), label)], alts))
    return aid, ArticleRecord(ArticleMeta(aid, content_hash="0" * 64), body, entities=ents)


def link_records(wikidata, tmp_path, *records):
    with Store(tmp_path / "store") as store:
        report = link(store, list(records), Endpoint(wikidata, CONTACT))
        found = {(aid, key): (ln.qid, ln.kind) for (aid, key), ln in decisions(store).items()}
    return report, found


def test_ambiguous_names_resolved_by_context_or_left_unlinked(wikidata, tmp_path):
    records = [
        # two people called Ann Lee, nothing in the article to choose: no link
        article("lee", "Ann Lee met Bob Ray on Monday.", ("PERSON", "Ann Lee", []), ("PERSON", "Bob Ray", [])),
        # a city, a state and a president called Washington: the White House is in the city
        article("city", "Donald Trump flew back to Washington and the White House on Sunday.",
                ("PLACE", "Washington", []), ("PERSON", "Donald Trump", ["Trump"]), ("ORG", "White House", [])),
        article("general", "Washington led the Continental Army through the winter.",
                ("PERSON", "Washington", []), ("ORG", "Continental Army", [])),
        # a country and a basketball player called Jordan
        article("country", "Jordan said its capital Amman would host the talks.",
                ("PLACE", "Jordan", []), ("PLACE", "Amman", [])),
        article("player", "Jordan scored 40 points for the Chicago Bulls.",
                ("PERSON", "Jordan", []), ("ORG", "Chicago Bulls", [])),
        # the tagger said ORG; the item is a human
        article("tagged", "Michael McFaul, the former United States ambassador to Russia, spoke in Russia.",
                ("ORG", "Michael McFaul", []), ("PLACE", "United States", []), ("PLACE", "Russia", [])),
    ]
    report, found = link_records(wikidata, tmp_path, *records)
    assert ("lee", "person:ann lee") not in found
    assert found[("city", "place:washington")] == ("Q61", "PLACE")
    assert found[("general", "person:washington")] == ("Q23", "PERSON")
    assert found[("country", "place:jordan")] == ("Q810", "PLACE")
    assert found[("player", "person:jordan")] == ("Q41421", "PERSON")
    assert found[("tagged", "org:michael mcfaul")] == ("Q900001004", "PERSON")
    assert report.failure is None and report.pending == 0


def test_a_failing_endpoint_loses_nothing_and_offline_runs_use_the_answers(wikidata, tmp_path):
    first = article("a", "Helsinki is the capital of Finland.", ("PLACE", "Helsinki", []), ("PLACE", "Finland", []))
    second = article("b", "Michael McFaul was the United States ambassador.", ("PERSON", "Michael McFaul", []),
                     ("PLACE", "United States", []))
    up = {"now": True}

    class Switch(proxy_handler(wikidata.rsplit("/query", 1)[0])):
        def do_POST(self):
            if up["now"]:
                return super().do_POST()
            self.body()
            self.reply(503, "down for maintenance")

    with tiny_server(Switch) as proxy, Store(tmp_path / "store") as store:
        endpoint = Endpoint(f"{proxy}/query", CONTACT, attempts=1)
        link(store, [first], endpoint)
        up["now"] = False
        report = link(store, [first, second], endpoint)
        assert report.failure == f"{proxy}/query answered HTTP 503 Service Unavailable (after 1 try)"
        assert (report.linked, report.pending) == (2, 2)
        assert "not linked yet" in report.summary() and "\n" not in report.summary()
        assert set(decisions(store)) == {("a", "place:helsinki"), ("a", "place:finland")}
        offline = link(store, [first, second], endpoint, offline=True)
        assert offline.requests == 0 and offline.pending == 2 and len(decisions(store)) == 2
        up["now"] = True
        done = link(store, [first, second], endpoint)
        assert done.pending == 0
        assert decisions(store)[("b", "person:michael mcfaul")].qid == "Q900001004"


def test_hostile_names_are_asked_safely_or_not_at_all(wikidata, tmp_path):
    """Quotes and backslashes are escaped in the query; names no label could be are skipped."""
    rec = article("h", "x", ("PERSON", 'Ann "Lee\\', []), ("PERSON", "Ann\ud800Lee", []),
                  ("ORG", "x" * 10_000, []), ("PLACE", "Hel\nsinki", ["Helsinki"]))
    report, found = link_records(wikidata, tmp_path, rec)
    assert report.failure is None and report.pending == 0 and report.entities == 2  # two had a name to ask
    assert found == {}


def test_items_of_no_kind_are_never_candidates(wikidata, tmp_path):
    """"Helsinki" is also an asteroid and a film; "Sanders" a family name and a
    disambiguation page: the kind classes leave the city alone."""
    rec = article("a", "Helsinki hosted the summit.", ("PLACE", "Helsinki", []))
    with Store(tmp_path / "store") as store:
        link(store, [rec], Endpoint(wikidata, CONTACT))
    from kg.linking.cache import AnswerCache

    with AnswerCache(tmp_path / "store") as cache:
        answers = cache.answers(wikidata)
    assert [c.qid for c in answers["Helsinki"].candidates] == ["Q1757"]


def test_a_lone_candidate_without_support_is_not_linked():
    """One exact match and nothing in the article for it: below MIN_SCORE."""
    lone = Mentioned("person:ann lee", "PERSON", "Ann Lee", ((Candidate("Q1", "label", ("Q5",), 20, "singer"), True),))
    ranked = rank(lone, [lone], {"ann", "lee", "met"}, {})
    assert ranked[0].score < MIN_SCORE and decide(ranked) is None
    close = [type(ranked[0])("Q1", "PERSON", 2.0), type(ranked[0])("Q2", "PERSON", 2.0 - MIN_MARGIN / 2)]
    assert decide(close) is None
    assert decide(close[:1]).qid == "Q1"


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("120") == 120
    assert retry_after(formatdate(1_000_060, usegmt=True), now=1_000_000) == 60
    assert retry_after("soon") is None and retry_after(None) is None
