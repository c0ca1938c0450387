"""Cross-article identity keys of named entities: same key, same IRI (kg.rdf.iris).

Pure functions (no spaCy): the build's corpus-wide identity step (kg.build.identity)
computes the key a name would have on its own with the same rule the tagger uses."""
from __future__ import annotations

from kg.nlp.gazetteer import norm
from kg.nlp.lexicons.entities import CORPORATE_SUFFIXES
from kg.records import ORG


def key_name(kind: str, label: str) -> str:
    """The name part of a cross-article key: an organisation's name without its legal
    form ("General Motors Corporation", "General Motors Corp." -> "general motors"), so
    articles that write it differently meet; never shorter than one word."""
    # Words without a letter or digit are the tokeniser's leftovers ("`` General Motors").
    words = [w for w in norm(label).split() if any(c.isalnum() for c in w)] or norm(label).split()
    if kind == ORG:
        while len(words) > 1 and words[-1] in CORPORATE_SUFFIXES:
            words = words[:-1]
    return " ".join(words)


def entity_key(kind: str, label: str) -> str:
    """The key of a named entity the gazetteer does not know ("org:general motors")."""
    return f"{kind.lower()}:{key_name(kind, label)}"
