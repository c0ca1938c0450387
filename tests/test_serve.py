"""kg serve: the embedded store as a read-only SPARQL endpoint (answered from pyoxigraph),
and on 127.0.0.1 unless told otherwise. Queried with SPARQLWrapper, as a user's tool would."""
from __future__ import annotations

import html
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from tests.tools import ROOT, free_port, kg, kg_serve, listening_addresses

pytestmark = pytest.mark.integration


def test_serve_answers_sparqlwrapper_and_refuses_updates(seed_build):
    out, _ = seed_build
    with kg_serve(out / "store") as (port, proc):
        assert listening_addresses(port) == {"127.0.0.1"}
        sw = SPARQLWrapper(f"http://127.0.0.1:{port}/query")
        sw.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://schema.org/NewsArticle> }")
        sw.setReturnFormat(JSON)
        result = sw.query().convert()
        assert result["results"]["bindings"][0]["n"]["value"] == "1"  # the union default graph
        up = SPARQLWrapper(f"http://127.0.0.1:{port}/query", updateEndpoint=f"http://127.0.0.1:{port}/update")
        up.setMethod(POST)
        up.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        with pytest.raises(Exception) as refused:
            up.query()
        assert "404" in str(refused.value) or "403" in str(refused.value) or "405" in str(refused.value)
        # and kg query --endpoint works against it
        q = ROOT / "ontology" / "queries" / "quotes.rq"
        assert (kg("query", str(q), "--endpoint", f"http://127.0.0.1:{port}/query", "--format", "csv").stdout
                == kg("query", str(q), "--out", str(out), "--format", "csv").stdout)


def test_serve_without_a_store_is_a_one_line_error(tmp_path):
    proc = kg("serve", "--store", str(tmp_path / "nothing"), "--port", str(free_port()))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("kg: error: ") and "no kg store" in proc.stderr


def _get(url: str, host: str | None = None, accept: str = "text/html") -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Accept": accept, **({"Host": host} if host else {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def test_serve_shows_the_explorer_beside_the_endpoint(seed_build):
    """One `kg serve`: the explorer's pages on every path but /query, from the same store,
    behind the same Host check; the article page highlights what the endpoint answers."""
    out, _ = seed_build
    with kg_serve(out / "store") as (port, _proc):
        base = f"http://127.0.0.1:{port}"
        code, home = _get(base + "/")
        assert code == 200 and "The corpus at a glance" in home
        article = re.search(r'class="art" href="(/article\?iri=[^"]+)"', home).group(1)
        code, page = _get(base + html.unescape(article))
        assert code == 200 and "Trump rejects Putin" in page and 'class="m ' in page
        nif, its = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#", "http://www.w3.org/2005/11/its/rdf#"
        q = (f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?b ?e ?x WHERE {{ GRAPH ?g {{ ?m <{nif}beginIndex> ?b ; "
             f"<{nif}endIndex> ?e ; <{its}taIdentRef> ?x }} }} }}")
        code, csv = _get(f"{base}/query?" + urllib.parse.urlencode({"query": q}), accept="text/csv")
        assert code == 200
        assert f"{int(csv.split()[-1])} mentions highlighted" in page
        code, console = _get(f"{base}/sparql?" + urllib.parse.urlencode({"query": q}))
        assert code == 200 and csv.split()[-1] in console
        assert _get(base + "/", host=f"evil.example:{port}")[0] == 403
        assert _get(base + "/assets/vis-network.min.js")[0] == 200
