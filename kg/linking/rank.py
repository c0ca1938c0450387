"""Candidates and their ranking: the queries that find them, and the score that picks one
item for an entity of an article, or none.

Candidates are the items whose English label or alias (``rdfs:label``, ``skos:altLabel``,
language ``en``) is exactly a name of the entity and that are instances of a class of
``kinds.KIND_CLASSES``. Candidates of the entity's full name (its label) shut out those
found through a shorter name only ("Sanders" for "Sarah Sanders").

The score of a candidate (weights below, tuned on hand-made cases, not on a test set):

- name: 1.0 when the full name is the item's label, 0.9 when it is an alias; 0.6 / 0.5
  for a shorter name of the entity;
- kind: -0.5 when the item stands for another kind than the tagger said
  (``kinds.item_kind``);
- context: +0.5 for each other entity of the article (up to three) with a candidate that
  a direct statement joins to this one, either way (Putin's citizenship is Russia): the
  article's entities disambiguate each other, as in collective entity linking (Hoffart
  et al. 2011, "Robust Disambiguation of Named Entities in Text", EMNLP, the coherence
  term);
- description: up to +0.3 for the share of the description's content words found in the
  article ("British financier");
- popularity: up to +0.3 by log sitelinks, the prior (sitelinks 300 and more: 0.3).

An entity is linked to the best candidate when its score is at least ``MIN_SCORE`` and
beats the runner-up by at least ``MIN_MARGIN``; otherwise it is left unlinked: a wrong link
merges two people, a missing one costs only the link. A lone full-name match with no
support from the article (no join, no description word) stays below ``MIN_SCORE``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from kg.linking.cache import Candidate
from kg.linking.kinds import CLASS_KIND, KIND_CLASSES, WIKIDATA_ENTITY, item_kind

NAME_WEIGHT = {(True, "label"): 1.0, (True, "alias"): 0.9, (False, "label"): 0.6, (False, "alias"): 0.5}
KIND_PENALTY = 0.5
JOIN_WEIGHT, MAX_JOINS = 0.5, 3
DESCRIPTION_WEIGHT = 0.3
PRIOR_WEIGHT, PRIOR_SITELINKS = 0.3, 300
MIN_SCORE = 1.2
MIN_MARGIN = 0.3

# Words a description shares with any article ("the", "of"): no evidence. The English
# function words of the Snowball stop list (https://snowballstem.org/algorithms/english/stop.txt),
# the ones descriptions use.
STOP_WORDS = frozenset("""a an and are as at be by for from has in is it its of on or that the this to was were
which who with""".split())
_WORD = re.compile(r"[^\W\d_]+")

PREFIXES = f"""PREFIX wd: <{WIKIDATA_ENTITY}>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
"""
DIRECT_CLAIM = "http://www.wikidata.org/prop/direct/"


def literal(text: str) -> str:
    """An English SPARQL string literal."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"@en'


def candidates_query(names: list[str]) -> str:
    """Items named by ``names`` (label or alias, English) of a kind class, with sitelinks and
    the English description. The label lookup comes first: it binds few items, from which
    the class path is followed (never from the class, which has millions of instances)."""
    classes = " ".join(f"wd:{q}" for kind in KIND_CLASSES for q in KIND_CLASSES[kind])
    values = " ".join(literal(n) for n in names)
    return f"""{PREFIXES}SELECT DISTINCT ?name ?item ?how ?class ?sitelinks ?description WHERE {{
  VALUES ?name {{ {values} }}
  {{ ?item rdfs:label ?name . BIND("label" AS ?how) }} UNION {{ ?item skos:altLabel ?name . BIND("alias" AS ?how) }}
  ?item wdt:P31 ?type .
  ?type wdt:P279* ?class .
  VALUES ?class {{ {classes} }}
  OPTIONAL {{ ?item wikibase:sitelinks ?sitelinks }}
  OPTIONAL {{ ?item schema:description ?description FILTER(LANG(?description) = "en") }}
}}"""


def links_query(qids: list[str]) -> str:
    """The items each of ``qids`` points to by a direct (truthy) statement."""
    values = " ".join(f"wd:{q}" for q in qids)
    return f"""{PREFIXES}SELECT DISTINCT ?item ?other WHERE {{
  VALUES ?item {{ {values} }}
  ?item ?p ?other .
  FILTER(STRSTARTS(STR(?p), "{DIRECT_CLAIM}") && isIRI(?other) && STRSTARTS(STR(?other), "{WIKIDATA_ENTITY}Q"))
}}"""


def qid_of(iri: str) -> str | None:
    if iri.startswith(WIKIDATA_ENTITY) and re.fullmatch(r"Q[1-9][0-9]*", iri[len(WIKIDATA_ENTITY):]):
        return iri[len(WIKIDATA_ENTITY):]
    return None


def read_candidates(bindings: list[dict[str, dict]]) -> dict[str, list[Candidate]]:
    """name -> its candidates, from the rows of ``candidates_query`` (one row per class)."""
    found: dict[tuple[str, str, str], dict] = {}
    for row in bindings:
        name, qid = row.get("name", {}).get("value"), qid_of(row.get("item", {}).get("value", ""))
        cls = qid_of(row.get("class", {}).get("value", ""))
        if name is None or qid is None or cls not in CLASS_KIND:
            continue
        how = row.get("how", {}).get("value", "label")
        c = found.setdefault((name, qid, how), {"classes": set(), "sitelinks": 0, "description": ""})
        c["classes"].add(cls)
        try:
            c["sitelinks"] = max(c["sitelinks"], int(row.get("sitelinks", {}).get("value", "0")))
        except ValueError:
            pass
        desc = row.get("description", {}).get("value", "")
        c["description"] = min(filter(None, (c["description"], desc)), default="")
    out: dict[str, list[Candidate]] = {}
    for (name, qid, how), c in sorted(found.items()):
        out.setdefault(name, []).append(Candidate(qid, how, tuple(sorted(c["classes"])), c["sitelinks"],
                                                  c["description"]))
    return out


def read_links(bindings: list[dict[str, dict]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in bindings:
        a, b = qid_of(row.get("item", {}).get("value", "")), qid_of(row.get("other", {}).get("value", ""))
        if a and b:
            out.setdefault(a, set()).add(b)
    return out


def words(text: str) -> set[str]:
    """Content words: letters only, three or more ("45th" gives "th", no evidence)."""
    return {w for w in _WORD.findall(text.casefold()) if len(w) > 2 and w not in STOP_WORDS}


@dataclass(frozen=True)
class Scored:
    qid: str
    kind: str
    score: float


@dataclass(frozen=True)
class Mentioned:
    """An entity of an article as ranking sees it: its key, tagged kind and names (the
    full name first) with each name's candidates."""

    key: str
    kind: str
    label: str
    candidates: tuple[tuple[Candidate, bool], ...]  # (candidate, found by the full name)


def rank(entity: Mentioned, others: list[Mentioned], article_words: set[str],
         links: dict[str, frozenset[str]]) -> list[Scored]:
    """The entity's candidates, best first (score, then QID number for ties)."""
    full = [(c, f) for c, f in entity.candidates if f]
    cands = full or list(entity.candidates)
    best: dict[str, Scored] = {}
    for c, by_full in cands:
        kind = item_kind({CLASS_KIND[q] for q in c.classes if q in CLASS_KIND}, entity.kind)
        if kind is None:
            continue
        score = NAME_WEIGHT[(by_full, c.how)]
        if kind != entity.kind:
            score -= KIND_PENALTY
        joined = sum(1 for o in others if o.key != entity.key and _joined(c.qid, o, links))
        score += JOIN_WEIGHT * min(joined, MAX_JOINS)
        desc = words(c.description)
        if desc:
            score += DESCRIPTION_WEIGHT * len(desc & article_words) / len(desc)
        score += PRIOR_WEIGHT * min(1.0, math.log10(1 + c.sitelinks) / math.log10(1 + PRIOR_SITELINKS))
        score = round(score, 4)
        if c.qid not in best or best[c.qid].score < score:
            best[c.qid] = Scored(c.qid, kind, score)
    return sorted(best.values(), key=lambda s: (-s.score, int(s.qid[1:])))


def _joined(qid: str, other: Mentioned, links: dict[str, frozenset[str]]) -> bool:
    mine = links.get(qid, frozenset())
    return any(o.qid != qid and (o.qid in mine or qid in links.get(o.qid, frozenset()))
               for o, _ in other.candidates)


def decide(ranked: list[Scored]) -> Scored | None:
    """The confident choice, or None (``MIN_SCORE``, ``MIN_MARGIN``)."""
    if not ranked or ranked[0].score < MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < MIN_MARGIN:
        return None
    return ranked[0]
