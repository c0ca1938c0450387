"""SPARQL over the embedded store, with results as ``ResultSet``."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError
from .results import ResultSet, Term
from .store import Store


def read_query(text_or_file: str) -> str:
    """A query given inline or as a path to a .rq / .sparql file."""
    if text_or_file.endswith((".rq", ".sparql")) or (len(text_or_file) < 4096 and "\n" not in text_or_file
                                                       and Path(text_or_file).is_file()):
        path = Path(text_or_file)
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{path}: cannot read query file: {exc.strerror or exc}") from exc
    return text_or_file


def term(t) -> Term:
    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        return Term("literal", t.value, t.datatype.value if t.datatype else None, t.language)
    return Term("triple", str(t))


def run_local(store: Store, sparql: str, timeout: float | None = None) -> ResultSet:
    try:
        res = store.query(sparql, use_default_graph_as_union=True)
        if isinstance(res, ox.QueryBoolean) or isinstance(res, bool):
            return ResultSet(boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = []
            for sol in res:
                row = {}
                for v in variables:
                    val = sol[v]
                    if val is not None:
                        row[v] = term(val)
                rows.append(row)
            return ResultSet(variables=variables, rows=rows)
        triples = sorted(res, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        return ResultSet(graph=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc
