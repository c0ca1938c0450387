"""Pronouns and definite descriptions kg_coref resolves (kg/nlp/coref.py).
Tests: tests/test_positions_coref.py."""
from __future__ import annotations

from kg.nlp.lexicons.dependencies import DOBJ, NSUBJ, NSUBJPASS, POBJ
from kg.records import ORG, PERSON

# Description kinds beyond the record kinds: a place that is a country, or a city.
COUNTRY, CITY = "COUNTRY", "CITY"
# Pronoun -> (kind of antecedent, gender). Gender None: any. English personal pronouns
# (Huddleston & Pullum 2002, ch. 17), third person only; "they" is left out (too often a group).
PRONOUNS = {
    "he": (PERSON, "m"), "him": (PERSON, "m"), "his": (PERSON, "m"), "himself": (PERSON, "m"),
    "she": (PERSON, "f"), "her": (PERSON, "f"), "hers": (PERSON, "f"), "herself": (PERSON, "f"),
    "its": (ORG, None), "it": (ORG, None), "itself": (ORG, None),
}
# Honorifics that tell a person's gender (Huddleston & Pullum 2002, 5.8.5 on titles):
# "Mr Blake" is never "she".
GENDERED_HONORIFICS = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f",
                       "lady": "f"}
# Head nouns of definite descriptions that refer back to an entity of a kind
# (the classes of WordNet's organization.n.01 / country.n.02 / city.n.01 most used in news).
DESCRIPTION_HEADS = {
    ORG: ("company", "firm", "airline", "carrier", "automaker", "carmaker", "manufacturer",
          "planemaker", "maker", "group", "bank", "corporation", "business", "agency",
          "retailer", "supplier", "conglomerate", "giant", "organisation", "organization"),
    COUNTRY: ("country", "nation"),
    CITY: ("city", "capital", "town"),
}
# Dependency labels (ClearNLP) where "it" is an argument, not an expletive or an anaphor
# of a clause; written for kg.
IT_ARGUMENT_DEPS = {NSUBJ, NSUBJPASS, DOBJ, POBJ}
