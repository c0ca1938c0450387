"""Minting IRIs: deterministic, valid RFC 3987, collision-free.

Entity IRIs come from the entity's cross-article key only, so the same entity gets the
same IRI whatever article, order or worker produced it. A readable slug is followed by a
hash of the exact key, so names that slug alike ("Jos\u00e9 Garc\u00eda" / "Jose Garcia")
stay apart.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Callable
from urllib.parse import quote

from kg.records import VALUE_KINDS, EntityRecord, TimeRecord
from kg.rdf.vocab import DEFAULT_BASE_IRI

# Path segment per entity kind.
KIND_SEGMENTS = {
    "PERSON": "person", "ORG": "org", "PLACE": "place", "NORP": "group", "PRODUCT": "product",
    "WORK_OF_ART": "work", "LAW": "law", "LANGUAGE": "language", "EVENT": "named-event",
}
# Kinds of IRI that ``Minter.local`` mints for one article ("{base}{kind}/{id}/..."):
# ``owned_by`` tells them apart from the resources articles share.
LOCAL_KINDS = ("event", "quote", "value", "time", "position")
# Keys that are an external identifier (GeoNames, Wikidata: kg.build.identity), not a name.
EXTERNAL_KEYS = ("place:geonames:", "wikidata:")


@lru_cache(maxsize=1 << 16)
def slug(text: str, limit: int = 60) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:limit].strip("-") or "x"


@lru_cache(maxsize=1 << 16)
def short_hash(text: str, n: int = 10) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


@lru_cache(maxsize=1 << 16)
def segment(text: str) -> str:
    """Percent-encode text for use as one IRI path segment (reversible, always valid)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="-._~")


_BASE_IRI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:(?:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f%\ud800-\udfff\ufffe\uffff]"
                       r"|%[0-9A-Fa-f]{2})*")


class Minter:
    def __init__(self, base: str = DEFAULT_BASE_IRI):
        from kg.errors import UsageError

        # Characters no IRI may hold (RFC 3987): controls (C0, DEL, C1, which \s missed but
        # for some), spaces, <>"{}|\^`, surrogates and U+FFFE/U+FFFF; "%" only as an escape.
        if not _BASE_IRI.fullmatch(base):
            raise UsageError(f"base IRI {base!r} is not a valid absolute IRI")
        # A base with a fragment ("http://x/kg#") made IRIs with two "#" (invalid) for the
        # mentions ("...#char=0,7") and coordinates ("...#geo"): refused.
        if "#" in base:
            raise UsageError(f"base IRI {base!r} is not a valid absolute IRI for kg: it must not have a "
                          f"fragment (#), minted IRIs add their own (#char=...)")
        self.base = base if base.endswith("/") else base + "/"

    def article(self, article_id: str) -> str:
        return f"{self.base}article/{self.id_path(article_id)}"

    def graph(self, article_id: str) -> str:
        return f"{self.base}graph/{self.id_path(article_id)}"

    def text(self, article_id: str, begin: int, end: int) -> str:
        """NIF (RFC 5147 style) IRI of a string in the article's text."""
        return f"{self.text_prefix(article_id)}{begin},{end}"

    def text_prefix(self, article_id: str) -> str:
        """``text`` without the offsets: mapping makes a hundred mention IRIs per article."""
        return f"{self.base}text/{self.id_path(article_id)}#char="

    def entity(self, kind: str, key: str, label: str) -> str:
        """The slug comes from the key's name where it has one, so articles that spell a
        name differently ("U.S. Air Force", "US Air Force") but share the key share the
        IRI; a key of an external identifier (``EXTERNAL_KEYS``: "place:geonames:2017370",
        "wikidata:Q7747") takes the label, the canonical name."""
        seg = KIND_SEGMENTS.get(kind, "thing")
        name = key.split(":", 1)[1] if ":" in key and not key.startswith(EXTERNAL_KEYS) else label
        return f"{self.base}{seg}/{slug(name)}-{short_hash(key)}"

    def local(self, kind: str, article_id: str, local_id: str) -> str:
        """Things that belong to one article: events, quotes, values, unresolved times."""
        if kind not in LOCAL_KINDS:  # owned_by would take it for a shared resource
            raise ValueError(f"{kind!r} is not one of LOCAL_KINDS")
        return f"{self.base}{kind}/{self.id_path(article_id)}/{local_id}"

    def entity_of(self, article_id: str, ent: EntityRecord) -> str:
        """A named entity's IRI comes from its key; a value ("10,000 jobs") or an entity
        without a key is the article's own."""
        if ent.kind in VALUE_KINDS or not ent.key:
            return self.local("value", article_id, ent.id)
        return self.entity(ent.kind, ent.key, ent.label)

    def time_of(self, article_id: str, t: TimeRecord) -> str:
        """Shared by every article that resolves to the value. A set ("every week", P1W) and
        a duration ("a week", P1W) share TIMEX3 values but are different things."""
        if not t.value:
            return self.local("time", article_id, t.id)
        return self.time(f"set-{t.value}" if t.kind == "SET" else t.value)

    @staticmethod
    def geo(entity_iri: str) -> str:
        """The coordinates of a place, a fragment of the place's IRI."""
        return entity_iri + "#geo"

    def happening(self, signature: str) -> str:
        return f"{self.base}happening/{short_hash(signature, 20)}"

    def publisher(self, name: str) -> str:
        return f"{self.base}publisher/{slug(name)}-{short_hash(name)}"

    def time(self, value: str) -> str:
        return f"{self.base}time/{segment(value)}"

    def build(self, fingerprint: str) -> str:
        return f"{self.base}build/{short_hash(fingerprint, 16)}"

    @staticmethod
    @lru_cache(maxsize=1 << 12)
    def id_path(article_id: str) -> str:
        """An article id as IRI path segments."""
        # "." and ".." segments would be removed by IRI normalisation: encode them.
        return "/".join(segment(part) if part.strip(".") else part.replace(".", "%2E")
                        for part in article_id.split("/"))


def owned_by(graph: str, article_id: str) -> Callable[[str], bool]:
    """Whether a subject IRI was minted for this article alone (its text, mentions and
    ``LOCAL_KINDS``), given the IRI of the article's graph (``Minter.graph``)."""
    id_path = Minter.id_path(article_id)
    suffix = f"graph/{id_path}"
    if not graph.endswith(suffix):
        return lambda iri: False
    base = graph[: -len(suffix)]
    article = f"{base}article/{id_path}"
    prefixes = (f"{base}text/{id_path}#",) + tuple(f"{base}{k}/{id_path}/" for k in LOCAL_KINDS)
    return lambda iri: iri == article or iri.startswith(prefixes)
