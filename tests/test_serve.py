"""kg serve: the embedded store as a SPARQL endpoint (the PyPI oxigraph server), read-only
and on 127.0.0.1 unless told otherwise. Queried with SPARQLWrapper, as a user's tool would."""
from __future__ import annotations

import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from tests.endpoint_helpers import ROOT, kg, stop, wait_http
from tests.tools import free_port

pytestmark = pytest.mark.integration


@contextmanager
def kg_serve(store: Path, *extra: str):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port), *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    children: list[int] = []
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc=proc)
        children = _children(proc.pid)
        yield port, proc
    finally:
        stop(proc)  # SIGTERM to kg serve stops its oxigraph server too
        alive = [c for c in children if Path(f"/proc/{c}").exists() and "zombie" not in _state(c)]
        for child in alive:
            subprocess.run(["kill", "-9", str(child)], check=False)
        assert not alive, "kg serve left its server running"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port``, from /proc/net/tcp{,6} (hex, little-endian)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if int(p, 16) == port and state == "0A":  # LISTEN
                found.add(".".join(str(int(addr[i:i + 2], 16)) for i in (6, 4, 2, 0)) if len(addr) == 8 else addr)
    return found


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


def test_serve_writable_only_when_asked(seed_build, tmp_path):
    out, _ = seed_build
    store = tmp_path / "store"
    shutil.copytree(out / "store", store)
    with kg_serve(store, "--writable") as (port, proc):
        up = SPARQLWrapper(f"http://127.0.0.1:{port}/query", updateEndpoint=f"http://127.0.0.1:{port}/update")
        up.setMethod(POST)
        up.setQuery("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
        up.query()
        ask = kg("query", "ASK { <urn:a> <urn:b> <urn:c> }", "--endpoint", f"http://127.0.0.1:{port}/query")
        assert ask.stdout == "true\n"


def test_serve_without_a_store_is_a_one_line_error(tmp_path):
    proc = kg("serve", "--store", str(tmp_path / "nothing"), "--port", str(free_port()))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("kg: error: ") and "no kg store" in proc.stderr
