"""Query results in one shape, whoever answered (the embedded store or an endpoint),
and their output formats: an aligned table, or SPARQL 1.1 CSV / TSV / JSON results."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from kg.rdf.vocab import PREFIXES
from kg.terminal import printable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")
# SPARQL 1.1 Query Results CSV and TSV Formats (W3C Rec. 2013), section 3.2: TSV may write
# xsd:integer, xsd:decimal and xsd:double in Turtle's abbreviated number forms; only a
# lexical form that is that Turtle token (INTEGER, DECIMAL, DOUBLE) reads back as the same
# literal, so "1." or "INF" keep the long form.
_XSD = "http://www.w3.org/2001/XMLSchema#"
TSV_BARE_NUMBERS = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
}
# A table cell longer than this is cut (`kg query --max-width`, 0 = never).
DEFAULT_MAX_WIDTH = 80


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

    def tsv(self) -> str:
        """The term as SPARQL 1.1 TSV writes it: Turtle syntax without prefixed names,
        numbers bare."""
        bare = TSV_BARE_NUMBERS.get(self.datatype or "") if self.kind == "literal" and not self.lang else None
        if bare is not None and bare.fullmatch(self.value):
            return self.value
        return self.ntriples()

    def csv(self) -> str:
        """The term as SPARQL 1.1 CSV writes it: the plain value (lexical form, IRI), lossy;
        a blank node as _:label."""
        return f"_:{self.value}" if self.kind == "bnode" else self.value

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


def render(result: ResultSet, fmt: str = "table", max_width: int = DEFAULT_MAX_WIDTH) -> str:
    """``result`` in ``fmt``; ``max_width`` cuts table cells (0: never)."""
    if result.graph is not None:  # N-Triples leaves C1 controls raw; the table is for a terminal
        return printable(result.graph) if fmt == "table" else result.graph
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
            w.writerow([row[v].csv() if v in row else "" for v in result.variables])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in result.variables)]
        for row in result.rows:
            lines.append("\t".join(row[v].tsv() if v in row else "" for v in result.variables))
        return "\n".join(lines) + "\n"
    return _table(result, max_width)


def _table(result: ResultSet, max_width: int = DEFAULT_MAX_WIDTH) -> str:
    header = result.variables
    whole = [[_cell(row[v].compact()) if v in row else "" for v in header] for row in result.rows]
    cut = bool(max_width) and any(len(c) > max_width for r in whole for c in r)
    cells = [[_cut(c, max_width) for c in r] for r in whole]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    if cut:  # said once, under the table, not in every cut cell
        out.append(f"({CUT} = cut at {max_width} characters; --full or --max-width N shows more)")
    return "\n".join(out) + "\n"


CUT = "\u2026"


def _cell(text: str) -> str:
    """One line of a table: whitespace runs as one space, control characters escaped
    (a title's ESC sequences must not drive the terminal)."""
    return printable(" ".join(text.split()))


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, the last one the cut marker (0: whole)."""
    return text if not limit or len(text) <= limit else text[: limit - 1] + CUT
