"""Every export format is accepted by independent parsers: Apache Jena riot (Debian
libapache-jena-java), Raptor rapper (Debian raptor2-utils) and pyoxigraph; the union of
the TriG graphs is the Turtle export (rdflib isomorphism)."""
from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.tools import debian_tool, kg

pytestmark = pytest.mark.integration
FORMATS = {"turtle": ".ttl", "trig": ".trig", "nquads": ".nq", "ntriples": ".nt", "jsonld": ".jsonld"}
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
              "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
# rapper (Raptor 2.0.15) has no JSON-LD parser (its "json" is RDF/JSON, another format);
# it does parse TriG and N-Quads.
RAPPER = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "ntriples"}
JENA = Path("/usr/share/java")


@pytest.fixture(scope="module")
def exports(seed_build, tmp_path_factory):
    out, _ = seed_build
    folder = tmp_path_factory.mktemp("exports")
    files = {}
    for fmt, ext in FORMATS.items():
        path = folder / f"kg{ext}"
        proc = kg("export", "--format", fmt, "-o", str(path), "--out", str(out))
        assert proc.returncode == 0, proc.stderr
        assert path.stat().st_size > 1000
        files[fmt] = path
    return files


@pytest.fixture(scope="module")
def riot(tmp_path_factory):
    """A command line for Jena's riot from the Debian jars. Debian ships no ``riot``
    script, and its jars need two fixes to start: (1) only one SLF4J binding on the class
    path (all of /usr/share/java has both log4j-over-slf4j and slf4j-log4j12: "Detected
    both ... preempting StackOverflowError"); (2) the xerces copy inside jena-core lives in
    package ``xerces.*`` but its message bundles are packaged under
    ``org/apache/jena/ext/xerces/``: without them XSD datatypes fail to initialise
    ("RuntimeException: internal error" in XSSimpleTypeDecl, really a missing
    ``xerces.impl.xpath.regex.message`` bundle). We copy the bundles to ``xerces/`` in a
    folder put first on the class path."""
    debian_tool("java", "default-jre-headless")
    debian_tool(JENA / "jena-cmds.jar", "libapache-jena-java")
    messages = tmp_path_factory.mktemp("jena-xerces-messages")
    with zipfile.ZipFile(JENA / "jena-core.jar") as jar:
        prefix = "org/apache/jena/ext/xerces/"
        for name in jar.namelist():
            if name.startswith(prefix) and not name.endswith("/") and not name.endswith(".class"):
                target = messages / "xerces" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = [str(j) for j in sorted(JENA.glob("*.jar"))
            if not j.is_symlink() and "slf4j" not in j.name and "log4j" not in j.name]
    classpath = ":".join([str(messages), *jars, str(JENA / "slf4j-api.jar"), str(JENA / "slf4j-simple.jar")])
    return ["java", "-cp", classpath, "riotcmd.riot"]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_jena_riot_validates(exports, riot, fmt):
    # JSON-LD: Debian's Jena 4.5 reads JSON-LD 1.1 with titanium, which needs a JSON-P
    # implementation Debian does not package (libjsonp2-java is the API only: every file
    # fails with LOADING_DOCUMENT_FAILED, even a one-triple one); its JSON-LD 1.0 parser
    # (jsonld-java) works, and our export is plain expanded JSON-LD, valid 1.0.
    syntax = ["--syntax=jsonld10"] if fmt == "jsonld" else []
    proc = subprocess.run([*riot, "--validate", "--strict", *syntax, str(exports[fmt])], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0 and "ERROR" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_riot_is_really_checking(riot, tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text('<http://x/a> <http://x/b> "unterminated .\n')
    assert subprocess.run([*riot, "--validate", str(bad)], capture_output=True).returncode != 0


@pytest.mark.parametrize("fmt", list(RAPPER))
def test_raptor_rapper_counts(exports, fmt):
    rapper = debian_tool("rapper", "raptor2-utils")
    proc = subprocess.run([rapper, "-c", "-i", RAPPER[fmt], str(exports[fmt])], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0 and "error" not in proc.stderr.lower(), proc.stderr
    n = int(proc.stderr.split("Parsing returned")[1].split()[0])  # "rapper: Parsing returned N triples"
    union = sum(1 for _ in ox.parse(path=str(exports["ntriples"]), format=ox.RdfFormat.N_TRIPLES))
    assert n == (union if fmt in ("turtle", "ntriples") else
                 sum(1 for _ in ox.parse(path=str(exports["nquads"]), format=ox.RdfFormat.N_QUADS)))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_pyoxigraph_parses(exports, fmt):
    quads = list(ox.parse(path=str(exports[fmt]), format=OX_FORMATS[fmt]))
    assert len(quads) > 1000
    named = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert bool(named) == (fmt in ("trig", "nquads", "jsonld"))


def test_union_of_the_trig_graphs_is_the_turtle_export(exports):
    ds = rdflib.Dataset()
    ds.parse(exports["trig"], format="trig")
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    turtle = rdflib.Graph().parse(exports["turtle"], format="turtle")
    assert len(union) == len(turtle) and isomorphic(union, turtle)
    nq = rdflib.Dataset()
    nq.parse(exports["nquads"], format="nquads")
    jl = rdflib.Dataset()
    jl.parse(exports["jsonld"], format="json-ld")
    assert len(list(nq.quads((None, None, None, None)))) == len(list(jl.quads((None, None, None, None))))
