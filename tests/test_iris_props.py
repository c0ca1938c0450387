"""Minted IRIs (issue 6, part 2): valid RFC 3987 IRIs whatever the name, stable, and
never the same for two different entities or articles."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.errors import KgError
from kg.rdf.iris import Minter
from tests.tools import HOSTILE, iris_of

# RFC 3987 section 2.2, the IRI rule, transcribed from the ABNF.
_UCS = ("\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
        "\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
        "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
        "\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd")
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRESERVED = f"A-Za-z0-9\\-._~{_UCS}"
_SUB_DELIMS = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_IPCHAR = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_SEGMENT = f"{_IPCHAR}*"
_SEGMENT_NZ = f"{_IPCHAR}+"
_USERINFO = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*"
_IP_LITERAL = r"\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+)\]"
_REG_NAME = f"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*"
_AUTHORITY = f"(?:{_USERINFO}@)?(?:{_IP_LITERAL}|{_REG_NAME})(?::[0-9]*)?"
_HIER = (f"(?://{_AUTHORITY}(?:/{_SEGMENT})*|/(?:{_SEGMENT_NZ}(?:/{_SEGMENT})*)?"
         f"|{_SEGMENT_NZ}(?:/{_SEGMENT})*|)")
_QUERY = f"(?:{_IPCHAR}|[{_PRIVATE}/?])*"
_FRAGMENT = f"(?:{_IPCHAR}|[/?])*"
IRI = re.compile(f"[A-Za-z][A-Za-z0-9+\\-.]*:{_HIER}(?:\\?{_QUERY})?(?:#{_FRAGMENT})?")


def test_the_regex_is_the_rfc():
    for good in ("https://kg.example.org/id/person/x-0123456789", "urn:isbn:0451450523", "http://[::1]:80/a?b#c",
                 "https://例え.jp/パス?q=値#frag", "mailto:a@b.c", "http://x/%20"):
        assert IRI.fullmatch(good), good
    for bad in ("https://x/a b", "https://x/<a>", "https://x/\"", "https://x/{a}", "https://x/a|b", "https://x/^",
                "https://x/`", "https://x/\\", "https://x/%zz", "https://x/\x00", "https://x/\n", "1http://x/",
                "https://x/#a#b", "https://x/\ufffe", "https://x/\u200e"[:-1] + "\x7f", "no-scheme"):
        assert not IRI.fullmatch(bad), bad


# Any text at all, lone surrogates included (the reader refuses those, the Minter must not care).
names = st.text(st.characters(exclude_categories=()), max_size=40)
def valid_everywhere(iri: str) -> None:
    assert IRI.fullmatch(iri), iri
    ox.NamedNode(iri)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rdflib only warns on a bad IRI
        node = rdflib.URIRef(iri)
        assert rdflib.term._is_valid_uri(iri), iri
    line = f"<{iri}> <http://x/p> <{iri}> .\n"
    assert len(list(ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES))) == 1
    g = rdflib.Graph().parse(data=line, format="nt")
    assert (node, rdflib.URIRef("http://x/p"), node) in g


@settings(max_examples=300, deadline=None)
@given(names)
@example("\ud800\udfff")
@example("x" * 10_000)
def test_minted_iris_are_valid_rfc3987_iris(name):
    for iri in iris_of(Minter(), name) + iris_of(Minter("http://example.com/kg/ü?q="), name):
        valid_everywhere(iri)


@settings(max_examples=300, deadline=None)
@given(names, names)
def test_different_names_never_share_an_iri(a, b):
    if a == b:
        return
    m = Minter()
    for f in (m.article, m.graph, m.publisher, m.time, lambda n: m.local("quote", n, "q1"),
              lambda n: m.entity("PERSON", f"person:{n}", n)):
        assert f(a) != f(b), (a, b)


def test_names_that_slug_alike_stay_apart():
    m = Minter()
    for f in (m.article, m.graph, m.publisher, m.time, lambda n: m.entity("PERSON", f"person:{n}", n),
              lambda n: m.entity("ORG", f"org:{n}", "same label"), lambda n: m.text(n, 0, 1)):
        iris = [f(n) for n in HOSTILE]
        assert len(set(iris)) == len(HOSTILE), f
        for iri in iris:
            valid_everywhere(iri)


def test_iris_are_stable_across_processes():
    """No dependence on hash randomisation, the process or the order of minting."""
    code = ("import sys, json; from kg.rdf.iris import Minter; from tests.tools import HOSTILE, iris_of; "
            "print(json.dumps([iris_of(Minter(), n) for n in reversed(HOSTILE)], ensure_ascii=True))")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}, cwd=os.path.dirname(os.path.dirname(__file__))).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1]
    import json

    assert json.loads(runs[0]) == [iris_of(Minter(), n) for n in reversed(HOSTILE)]


@pytest.mark.parametrize("base", ["http://x/ y", "http://x/<y>", "http://x/\x01", "http://x/\x7f", "no scheme",
                                  "http://x/\u0085", "http://x/\ud800", "http://x/%zz",
                                  "http://x/kg#", "http://x/#kg/"])  # a fragment base gave "...#...#char=0,7"
def test_a_base_iri_that_is_not_an_iri_is_refused(base):
    with pytest.raises(KgError, match="not a valid absolute IRI"):
        Minter(base)
