"""One entity across the corpus: which names of which articles are one entity.

Within an article the tagger and coreference decide (kg.nlp); across articles an entity
is its key ("org:general motors"), which misses what another article says: "General
Motors (GM)" there makes a lone "GM" here the same company. This step decides over the
names of every article in the store (``kg.store.records``) and the confident Wikidata
links (kg.linking), and says, per article, which entities change identity. The build
applies that to the records before mapping, so the graph stays a function of records.

Rules, in order (each a function of the *set* of articles, never of their order):

1. Names with one key are one entity, as before, unless links part them: when articles
   link one key to two Wikidata items (two people called John Smith), each item is its
   own entity and the unlinked mentions of the key stay apart from both.
2. Names linked to the same Wikidata item are one entity, whatever their keys.
3. An article that gives a person or organisation another name (its coreference put
   "GM" or "Ford" with "General Motors" / "Ford Motor Co." — appositions, parentheses,
   "known as", short forms) defines that name: the entity a lone "GM" has elsewhere is
   that entity, provided the corpus gives the name to one entity only (a name two
   entities claim, or a merge that would join two Wikidata items, is left alone).

The entity then takes one label everywhere (the one most articles give it, then the
fullest); the names an article used stay its alternative labels.
Compare cross-document coreference in NewsReader (Vossen et al. 2016, "NewsReader:
Using knowledge resources in a cross-lingual reading machine", §5) and the alias rule of
Bagga & Baldwin (1998); here it is a deterministic union-find over keys.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from kg.linking.decisions import Link
from kg.nlp.keys import entity_key, key_name
from kg.nlp.gazetteer import norm
from kg.nlp.lexicons.entities import CORPORATE_SUFFIXES, ORG_NAME_SUFFIXES
from kg.records import ORG, PERSON, ArticleRecord

# Kinds whose other names define aliases across articles. Places have the gazetteer
# (one GeoNames key per place, whatever the spelling); other kinds have no short forms.
ALIAS_KINDS = (PERSON, ORG)
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


@dataclass(frozen=True)
class Name:
    """A named entity of one article, as the identity step sees it (``names`` rows)."""

    article: str
    entity: str  # the entity's id in the article ("e3")
    kind: str
    key: str
    label: str
    alt_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identity:
    """What an entity of an article becomes."""

    kind: str
    key: str
    label: str
    same_as: tuple[str, ...] = ()


def short_form(kind: str, alias: str, label: str) -> bool:
    """Whether ``alias`` is a short form of the name ``label`` that news uses on its own
    for the same entity: a person's surname ("Putin" for "Vladimir Putin"), an
    organisation's first words when the rest is its industry or legal form, or its
    initials ("Ford", "GM" for "Ford Motor Co.", "General Motors"). Other names coreference gave an entity ("House" for "White House",
    a title, a description) hold in their article only."""
    a, full = alias.split(), [w.strip(",") for w in label.split()]
    if not a or len(a) >= len(full):
        return False
    if kind == PERSON:
        return full[-len(a):] == a
    if full[: len(a)] == a:  # "Ford" for "Ford Motor Co.", not "Chrysler" for "Chrysler Aspen"
        return all(norm(w) in ORG_NAME_SUFFIXES for w in full[len(a):])
    return len(a) == 1 and alias.isupper() and alias.replace(".", "") in acronyms(label)


def acronyms(name: str) -> set[str]:
    """Initials of a name's capitalised words, with and without its legal form
    ("General Motors Corp." -> {"GMC", "GM"})."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isupper()]
    out = {"".join(w[0] for w in words)}
    while len(words) > 1 and key_name(ORG, words[-1]) in CORPORATE_SUFFIXES:
        words = words[:-1]
        out.add("".join(w[0] for w in words))
    return out


def fullness(label: str) -> tuple:
    """Order of labels, fullest last: more words, then longer, then code-point order reversed
    (so max() picks the first in code-point order among equals)."""
    return (len(label.split()), len(label), tuple(-ord(c) for c in label))


class _Sets:
    """Union-find over units, each with the Wikidata items its members are linked to."""

    def __init__(self):
        self.parent: dict = {}
        self.qids: dict = {}

    def add(self, u, qid: str | None) -> None:
        self.parent.setdefault(u, u)
        self.qids.setdefault(u, set())
        if qid:
            self.qids[u].add(qid)

    def find(self, u):
        root = u
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[u] != root:
            self.parent[u], u = root, self.parent[u]
        return root

    def union(self, a, b, strict: bool) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        qa, qb = self.qids[ra], self.qids[rb]
        if strict and qa and qb and qa != qb:  # would make one entity of two items
            return
        ra, rb = sorted((ra, rb))  # the root does not matter to the result, but stay deterministic
        self.parent[rb] = ra
        self.qids[ra] = qa | qb


def resolve(names: Iterable[Name], links: Mapping[tuple[str, str], Link] | None = None
            ) -> dict[str, dict[str, Identity]]:
    """Article id -> entity id -> its identity, for the entities whose identity differs
    from their record's (kind, key, label, links)."""
    links = links or {}
    names = sorted(set(names), key=lambda n: (n.article, n.entity))
    by_key: dict[str, list[Name]] = defaultdict(list)
    for n in names:
        by_key[n.key].append(n)

    # Rule 1: the unit of a name is its key, or (key, item) where links part the key.
    sets = _Sets()
    unit_of: dict[tuple[str, str], tuple] = {}
    parted: set[str] = set()
    for key, group in by_key.items():
        qids = {links[(n.article, n.key)].qid for n in group if (n.article, n.key) in links}
        if len(qids) > 1:
            parted.add(key)
        for n in group:
            link = links.get((n.article, n.key))
            unit = (key, link.qid if link and key in parted else "")
            sets.add(unit, link.qid if link else None)
            unit_of[(n.article, n.entity)] = unit
    # Rule 2: one item, one entity.
    first_of_item: dict[str, tuple] = {}
    for unit in sorted(sets.parent):
        for qid in sorted(sets.qids[unit]):
            sets.union(first_of_item.setdefault(qid, unit), unit, strict=False)
    # Rule 3: names an article gives an entity, claimed by that entity alone.
    claims: dict[str, set[str]] = defaultdict(set)
    for n in names:
        if n.kind in ALIAS_KINDS:
            for alt in n.alt_labels:
                k = entity_key(n.kind, alt)
                if k != n.key and short_form(n.kind, alt, n.label):
                    claims[k].add(n.key)
    for alias in sorted(claims):
        owners = claims[alias]
        if len(owners) != 1 or alias not in by_key or alias in parted:
            continue
        owner = next(iter(owners))
        if owner in parted:
            continue
        sets.union((alias, ""), (owner, ""), strict=True)

    members: dict[tuple, list[Name]] = defaultdict(list)
    for n in names:
        members[sets.find(unit_of[(n.article, n.entity)])].append(n)
    out: dict[str, dict[str, Identity]] = {}
    for root, group in members.items():
        qids = sets.qids[root]
        qid = min(qids) if len(qids) == 1 else None
        item_links = [links[(n.article, n.key)] for n in group if (n.article, n.key) in links]
        if qid:
            kinds = sorted({link.kind for link in item_links if link.qid == qid})
            kind = kinds[0] if len(kinds) == 1 else _majority(group)
            key = f"wikidata:{qid}"
            label = _label([n for n in group if n.kind == kind] or group)
            same_as = (WIKIDATA_ENTITY + qid,)
        else:
            kind = _majority(group)  # a key the tagger typed two ways (rare) takes one type
            label = _label([n for n in group if n.kind == kind])
            key = max((n for n in group if n.kind == kind and n.label == label), key=lambda n: n.key).key
            same_as = ()
        ident = Identity(kind, key, label, same_as)
        for n in group:
            if (n.kind, n.key, n.label) != (kind, key, label) or same_as:
                out.setdefault(n.article, {})[n.entity] = ident
    return out


def _label(group: list[Name]) -> str:
    """The label most articles give the entity, then the fullest: a stray quote or
    "the" that one article's span took in does not become everyone's label."""
    articles: dict[str, set[str]] = defaultdict(set)
    for n in group:
        articles[n.label].add(n.article)
    return max(articles, key=lambda label: (len(articles[label]), _clean(label), fullness(label)))


def _clean(label: str) -> bool:
    """A label that starts with a capital or digit and ends with a letter, digit or full stop."""
    return (label[:1].isupper() or label[:1].isdigit()) and (label[-1:].isalnum() or label.endswith("."))


def _majority(group: list[Name]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for n in group:
        counts[n.kind] += 1
    return min(counts, key=lambda k: (-counts[k], k))


def digest(changes: Mapping[str, Identity] | None) -> str:
    """A short, stable fingerprint of an article's identity changes ("" for none)."""
    if not changes:
        return ""
    data = json.dumps({e: dataclasses.astuple(i) for e, i in sorted(changes.items())}, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def apply(rec: ArticleRecord, changes: Mapping[str, Identity] | None) -> ArticleRecord:
    """The record with its entities' corpus-wide identities (a new record: the input is
    left as it is)."""
    if not changes:
        return rec
    entities = []
    for e in rec.entities:
        ident = changes.get(e.id)
        if ident is None:
            entities.append(e)
            continue
        alts = set(e.alt_labels)
        if e.label != ident.label:
            alts.add(e.label)
        alts.discard(ident.label)
        entities.append(dataclasses.replace(
            e, kind=ident.kind, key=ident.key, label=ident.label, alt_labels=sorted(alts),
            same_as=sorted({*e.same_as, *ident.same_as})))
    return dataclasses.replace(rec, entities=entities)
