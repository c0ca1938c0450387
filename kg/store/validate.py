"""``kg validate``: the SHACL shapes of ontology/shapes.ttl over the store or an RDF file.

Validation is graph by graph: an article's named graph holds everything the shapes look at
for it (its entities' triples are repeated in every graph that mentions them), and a
violation is then reported with the article whose graph holds it. Each graph is checked
with the RDFS entailments of the ontology (kg.ttl, events.ttl), as the shapes expect
(``pyshacl -i rdfs``; ``sh:class time:TemporalEntity`` holds through ``rdfs:subClassOf``).

Speed (pyshacl is pure Python): the shapes and the ontology are read once. The RDFS rules
that give the shapes anything to see (RDFS 1.1 Semantics, section 9.2.1: rdfs2 domain, rdfs3
range, rdfs7 sub-property, rdfs9 sub-class) are applied with the ontology's closure
precomputed, instead of running OWL-RL's full RDFS closure (axiomatic triples and all) on
every graph: half the time, the same results. And each SPARQL constraint's query is parsed
once: pyshacl hands rdflib the same text for every focus node, and rdflib parses it anew
(90 % of the time on the seed). About 0.4 s per news article.

A file without named graphs (.ttl, .nt: e.g. exports/kg.ttl, the union) is one graph; the
article of a violation is then found by following the focus node to the articles that
mention it (``_articles_of``).
"""
from __future__ import annotations

import logging
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, Namespace
from rdflib.namespace import SH

from kg.errors import InputError, KgError
from kg.rdf.vocab import ONTOLOGY_DIR
from kg.store.embedded import Store

log = logging.getLogger("kg")

SHAPES_FILE = "shapes.ttl"
# The ontology the shapes are written against (pyshacl's ont_graph, for RDFS inference).
ONTOLOGY_FILES = ("kg.ttl", "events.ttl")
# RDF files kg validate reads, by suffix: rdflib format, whether it has named graphs.
FILE_FORMATS = {".ttl": ("turtle", False), ".nt": ("nt", False), ".trig": ("trig", True), ".nq": ("nquads", True)}

_SCHEMA = Namespace("https://schema.org/")
_NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
_ITS = Namespace("http://www.w3.org/2005/11/its/rdf#")
_PROV = Namespace("http://www.w3.org/ns/prov#")
# From a focus node to the article(s) it belongs to: links followed forwards (a mention to
# its context, a context to its article, a quotation or position to its article) and
# backwards (an article's mentions, a mention's referent, an article's build).
_TO_ARTICLE = (_NIF.referenceContext, _NIF.sourceUrl, _SCHEMA.isPartOf, _PROV.wasDerivedFrom)
_FROM_ARTICLE = (_SCHEMA.mentions, _ITS.taIdentRef, _PROV.wasGeneratedBy)


class ValidationError(KgError):
    """The shapes or the data to validate cannot be read (exit 2, as unreadable input)."""

    exit_code = 2


@dataclass(frozen=True)
class Violation:
    article: str  # the article id whose graph holds the focus node ("?" when none is found)
    shape: str  # the node shape (kgsh:Phrase), with the property path when the shape is a property's
    focus: str
    message: str

    def line(self) -> str:
        return f"{self.article}: {self.shape} on {self.focus}: {self.message}"


@dataclass
class ValidationReport:
    graphs: int = 0
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        if self.conforms:
            return f"{self.graphs} graph{' conforms' if self.graphs == 1 else 's conform'} to the shapes"
        articles = len({v.article for v in self.violations})
        n = len(self.violations)
        return (f"{n} violation{'' if n == 1 else 's'} in {articles} of {self.graphs} "
                f"graph{'' if self.graphs == 1 else 's'}")


class Shapes:
    """The shapes and the ontology's RDFS closure, read once for every graph validated."""

    def __init__(self, directory: Path = ONTOLOGY_DIR):
        try:
            self.shapes = rdflib.Graph().parse(directory / SHAPES_FILE, format="turtle")
            ontology = rdflib.Graph()
            for name in ONTOLOGY_FILES:
                ontology.parse(directory / name, format="turtle")
        except (OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(f"cannot read the shapes or the ontology in {directory}: {exc}") from exc
        self._names = {p: s for s, p in self.shapes.subject_objects(SH.property)}  # property shape -> node shape
        self._entail = _Entailment(ontology)

    def check(self, data: rdflib.Graph, article: str | None) -> list[Violation]:
        import pyshacl

        graph = data
        if not isinstance(graph, _PreparedQueries):
            graph = _PreparedQueries()
            for t in data:
                graph.add(t)
        self._entail(graph)  # in place: the added types are no links _articles_of follows
        conforms, results, _ = pyshacl.validate(graph, shacl_graph=self.shapes, inference="none", inplace=True,
                                                allow_warnings=True)
        if conforms:
            return []
        out = []
        for res in results.subjects(RDF.type, SH.ValidationResult):
            if results.value(res, SH.resultSeverity) != SH.Violation:
                continue
            focus = results.value(res, SH.focusNode)
            out.append(Violation(article or _articles_of(data, focus), self._shape_name(results, res),
                                 focus.n3() if focus is not None else "?", str(results.value(res, SH.resultMessage) or "")))
        return sorted(set(out), key=lambda v: (v.article, v.shape, v.focus, v.message))

    def _shape_name(self, results: rdflib.Graph, res) -> str:
        source = results.value(res, SH.sourceShape)
        node = self._names.get(source, source)
        name = _n3(self.shapes, node) if isinstance(node, rdflib.URIRef) else "a shape"
        path = results.value(res, SH.resultPath)
        if path is not None and node is not source:
            name += f" {_n3(self.shapes, path) if isinstance(path, rdflib.URIRef) else 'path'}"
        return name


def validate_store(store: Store, shapes: Shapes | None = None) -> ValidationReport:
    """Every named graph of the store, one by one."""
    shapes = shapes or Shapes()
    report = ValidationReport()
    for graph in store.graphs():
        data = _rdflib_graph(q.triple for q in store.quads(graph))
        report.graphs += 1
        report.violations += shapes.check(data, _article_id(data) or graph)
    return report


def validate_file(path: Path, shapes: Shapes | None = None) -> ValidationReport:
    """An RDF file: each named graph of a .trig / .nq, or the whole of a .ttl / .nt."""
    fmt = FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: not an RDF file kg validates ({', '.join(FILE_FORMATS)})")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    shapes = shapes or Shapes()
    report = ValidationReport()
    try:
        if fmt[1]:
            ds = rdflib.Dataset()
            ds.parse(path, format=fmt[0])
            graphs = [g for g in ds.graphs() if len(g)]
        else:
            graphs = [rdflib.Graph().parse(path, format=fmt[0])]
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read as {fmt[0]}: {str(exc).splitlines()[0] if str(exc) else exc}") from exc
    except Exception as exc:  # rdflib's parsers raise their own classes (BadSyntax, ParserError)
        raise InputError(f"{path}: cannot read as {fmt[0]}: {str(exc).strip().splitlines()[0]}") from exc
    for g in sorted(graphs, key=lambda g: str(g.identifier)):
        data = _PreparedQueries()
        for t in g:
            data.add(t)
        report.graphs += 1
        # One graph holding several articles (a union): the article comes from the focus node.
        report.violations += shapes.check(data, _article_id(data) if fmt[1] else None)
    return report


class _Entailment:
    """RDFS rules 2, 3, 7 and 9 with the ontology's sub-class and sub-property closures
    precomputed: one pass over a data graph adds every type and super-property triple."""

    def __init__(self, ontology: rdflib.Graph):
        def closure(p) -> dict:
            return {n: set(ontology.transitive_objects(n, p)) for n in set(ontology.subjects(p, None))}

        self.supers = closure(RDFS.subClassOf)
        props = closure(RDFS.subPropertyOf)
        self.superprops = {p: ups - {p} for p, ups in props.items() if ups - {p}}
        self.domain: dict = {}
        self.range: dict = {}
        for table, link in ((self.domain, RDFS.domain), (self.range, RDFS.range)):
            for p, c in ontology.subject_objects(link):
                for q in {p} | {s for s, ups in props.items() if p in ups}:  # sub-properties inherit it
                    table.setdefault(q, set()).update(self._classes(c))

    def _classes(self, c) -> set:
        return self.supers.get(c, {c}) | {c}

    def __call__(self, graph: rdflib.Graph) -> None:
        new = []
        for s, p, o in graph:
            for q in self.superprops.get(p, ()):
                new.append((s, q, o))
            types = self._classes(o) if p == RDF.type else set()
            types |= self.domain.get(p, set())
            new += [(s, RDF.type, c) for c in types]
            if not isinstance(o, rdflib.Literal):
                new += [(o, RDF.type, c) for c in self.range.get(p, ())]
        for t in new:
            graph.add(t)


class _PreparedQueries(rdflib.Graph):
    """A graph that parses a SPARQL text once, however often it is asked (see above)."""

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=64)
def _prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def _rdflib_graph(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """Store triples as an rdflib graph, term by term (a third of the time of N-Triples)."""
    graph = _PreparedQueries()
    for t in triples:
        graph.add((_term(t.subject), _term(t.predicate), _term(t.object)))
    return graph


def _term(t):
    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return rdflib.BNode(t.value)
    if t.language:
        return rdflib.Literal(t.value, lang=t.language)
    return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))


def _article_id(data: rdflib.Graph) -> str | None:
    """The identifier of the graph's one article (None when it has none or several)."""
    ids = {str(i) for a in data.subjects(RDF.type, _SCHEMA.NewsArticle) for i in data.objects(a, _SCHEMA.identifier)}
    return ids.pop() if len(ids) == 1 else None


def _articles_of(data: rdflib.Graph, node) -> str:
    """The ids of the articles a node belongs to, by a walk over the links to articles."""
    seen, todo, found = {node}, [node], set()
    while todo:
        n = todo.pop()
        if (n, RDF.type, _SCHEMA.NewsArticle) in data:
            found |= {str(i) for i in data.objects(n, _SCHEMA.identifier)}
            continue
        for nxt in _neighbours(data, n):
            if nxt not in seen and not isinstance(nxt, rdflib.Literal):
                seen.add(nxt)
                todo.append(nxt)
    return ",".join(sorted(found)) or "?"


def _neighbours(data: rdflib.Graph, n) -> Iterator:
    for p in _TO_ARTICLE:
        yield from data.objects(n, p)
    for p in _FROM_ARTICLE:
        yield from data.subjects(p, n)


def _n3(graph: rdflib.Graph, term) -> str:
    """A term as the reader knows it: prefixed when a prefix is bound (kgsh:Phrase), else <IRI>."""
    if term is None:
        return "?"
    try:
        return term.n3(graph.namespace_manager)
    except Exception:  # a blank node or an IRI no prefix fits
        return term.n3()

