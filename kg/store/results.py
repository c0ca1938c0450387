"""Query results in one shape, whoever answered (the embedded store or an endpoint),
and their output formats: an aligned table, or SPARQL 1.1 CSV / TSV / JSON results."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from kg.rdf.vocab import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")


@dataclass(frozen=True)
class Term:
    kind: str  # "uri", "literal", "bnode", "triple"
    value: str
    datatype: str | None = None
    lang: str | None = None

    def ntriples(self) -> str:
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        if self.kind == "triple":
            return self.value
        esc = (self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
        if self.lang:
            return f'"{esc}"@{self.lang}'
        if self.datatype and self.datatype != XSD_STRING:
            return f'"{esc}"^^<{self.datatype}>'
        return f'"{esc}"'

    def compact(self) -> str:
        if self.kind == "uri":
            for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
                if self.value.startswith(ns):
                    return f"{prefix}:{self.value[len(ns):]}"
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        return self.value

    def json(self) -> dict:
        kind = {"uri": "uri", "bnode": "bnode", "literal": "literal", "triple": "triple"}[self.kind]
        d = {"type": kind, "value": self.value}
        if self.lang:
            d["xml:lang"] = self.lang
        elif self.datatype and self.datatype != XSD_STRING:
            d["datatype"] = self.datatype
        return d


@dataclass
class ResultSet:
    """A SELECT result (``variables`` and ``rows``), an ASK answer (``boolean``) or a graph
    (``graph``: serialized N-Triples text, for CONSTRUCT / DESCRIBE)."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    graph: str | None = None

    def comparable(self) -> list[tuple]:
        """Rows as sorted tuples of N-Triples text, to compare results from two sources."""
        return sorted(tuple(r[v].ntriples() if v in r else "" for v in self.variables) for r in self.rows)


def render(result: ResultSet, fmt: str = "table") -> str:
    if result.graph is not None:
        return result.graph
    if result.boolean is not None:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "json":
        return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": [
            {v: t.json() for v, t in row.items()} for row in result.rows]}}, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow([row[v].value if v in row else "" for v in result.variables])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in result.variables)]
        for row in result.rows:
            lines.append("\t".join(row[v].ntriples() if v in row else "" for v in result.variables))
        return "\n".join(lines) + "\n"
    return _table(result)


def _table(result: ResultSet) -> str:
    header = result.variables
    cells = [[_cell(row[v].compact()) if v in row else "" for v in header] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def _cell(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
