"""Which Wikidata items may stand for which kind of kg entity: the classes an item must
be an instance of (``wdt:P31/wdt:P279*``), per kind.

Source: Wikidata's class items, as its own projects use them to say what an item is —
human (Q5) for people (WikiProject Humans), organization (Q43229) for organisations
(WikiProject Organizations), geographic location (Q2221906) and location (Q17334923)
for places (WikiProject Geography); the narrower classes after each root are listed
too because a subclass path to the root is sometimes missing or passes through
classes an endpoint does not hold. Class pages: https://www.wikidata.org/wiki/Q5 etc.
"""
from __future__ import annotations

from kg.records import ORG, PERSON, PLACE

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

# kind -> class QIDs, root first.
KIND_CLASSES: dict[str, tuple[str, ...]] = {
    PERSON: (
        "Q5",  # human
    ),
    ORG: (
        "Q43229",  # organization
        "Q4830453",  # business
        "Q327333",  # government agency
        "Q7278",  # political party
    ),
    PLACE: (
        "Q2221906",  # geographic location
        "Q17334923",  # location
        "Q618123",  # geographical feature
        "Q56061",  # administrative territorial entity
        "Q486972",  # human settlement
        "Q6256",  # country
        "Q811979",  # architectural structure
    ),
}

# When an item is evidence of several kinds, the first of these that the tagger did not
# already say wins; a human is a PERSON whatever the tagger said (issue 12).
KIND_ORDER = (PERSON, ORG, PLACE)

CLASS_KIND: dict[str, str] = {qid: kind for kind in KIND_ORDER for qid in KIND_CLASSES[kind]}


def item_kind(evidenced: set[str] | frozenset[str], tagged: str) -> str | None:
    """The kg kind an item stands for, from the kinds its classes evidence and the kind
    the tagger gave the name: a human is a PERSON; otherwise the tagged kind if the item
    evidences it; an organisation linked to a building or a city stays one (metonymy:
    "the White House said", "Brussels decided"); otherwise the first evidenced kind of
    ``KIND_ORDER``."""
    if PERSON in evidenced:
        return PERSON
    if tagged in evidenced:
        return tagged
    if tagged == ORG and PLACE in evidenced:  # an institution named by its seat: "the Kremlin said"
        return ORG
    return next((k for k in KIND_ORDER if k in evidenced), None)
