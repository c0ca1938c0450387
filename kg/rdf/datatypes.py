"""Derived XSD datatypes the store does not keep.

kg writes some objects with a derived datatype (xsd:nonNegativeInteger offsets and
counts, xsd:dateTimeStamp); Oxigraph stores them as their primitive (xsd:integer,
xsd:dateTime). Every reader of the store puts them back with ``restore``, so what comes
out of the store is what mapping made.
"""
from __future__ import annotations

import pyoxigraph as ox

from kg.rdf.vocab import KG, NIF, TIME, XSD

# Predicate IRI -> the datatype IRI kg writes its objects with.
DERIVED_DATATYPES = {
    str(NIF.beginIndex): str(XSD.nonNegativeInteger),
    str(NIF.endIndex): str(XSD.nonNegativeInteger),
    str(KG.mentionCount): str(XSD.nonNegativeInteger),
    str(TIME.inXSDDateTimeStamp): str(XSD.dateTimeStamp),
}
_DERIVED = {p: ox.NamedNode(d) for p, d in DERIVED_DATATYPES.items()}


def restore(q: ox.Quad) -> ox.Quad:
    """A quad read from the store with its derived datatype put back."""
    dtype = _DERIVED.get(q.predicate.value)
    if dtype is not None and isinstance(q.object, ox.Literal) and q.object.datatype != dtype:
        return ox.Quad(q.subject, q.predicate, ox.Literal(q.object.value, datatype=dtype), q.graph_name)
    return q
