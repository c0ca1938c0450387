"""SPARQL over the embedded store, with results as ``ResultSet``."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store.results import ResultSet, Term
from kg.store.embedded import Store


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


def run_local_with_timeout(store_dir: str | Path, sparql: str, timeout: float) -> ResultSet:
    """``run_local`` in a child process that is killed after ``timeout`` seconds: Oxigraph
    has no way to cancel a running query, so the only honest timeout is a process. The
    child opens the store read-only itself ("spawn", not "fork": the store's threads do
    not survive a fork)."""
    import multiprocessing

    from kg.errors import EndpointTimeoutError, KgError

    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(str(store_dir), sparql, sender), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise EndpointTimeoutError(f"the query did not finish in {timeout:g}s (stopped)")
        try:
            kind, payload = receiver.recv()
        except EOFError as exc:
            raise QueryError(f"the query process died (exit code {proc.exitcode})") from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receiver.close()
    if kind == "error":
        raise payload if isinstance(payload, KgError) else QueryError(str(payload))
    return payload


def _child(store_dir: str, sparql: str, sender) -> None:
    from kg.errors import KgError

    try:
        with Store(store_dir, read_only=True) as store:
            sender.send(("ok", run_local(store, sparql)))
    except KgError as exc:
        sender.send(("error", type(exc)(str(exc))))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a query error
        sender.send(("error", QueryError(f"query failed: {exc}")))
    finally:
        sender.close()
