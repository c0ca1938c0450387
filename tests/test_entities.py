"""Entity consolidation (kg_entities) on sentences written for these tests."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kg.nlp.entities  # noqa: F401  (registers kg_entities)
import kg.nlp.extensions  # noqa: F401


def entities(nlp, text):
    doc = nlp(text)
    return {e.label: e for e in doc._.kg_entities}


def test_short_titled_and_possessive_forms_merge(ents_nlp):
    text = ("President Angela Merkel met Prime Minister Justin Trudeau in Berlin on Friday. "
            "Merkel's spokesman said Trudeau was welcome. Later, Merkel thanked him.")
    ents = entities(ents_nlp, text)
    merkel = ents["Angela Merkel"]
    assert merkel.kind == "PERSON"
    assert [m.text for m in merkel.mentions] == ["Angela Merkel", "Merkel", "Merkel"]
    assert ents["Justin Trudeau"].kind == "PERSON" and len(ents["Justin Trudeau"].mentions) == 2
    assert "Merkel" not in ents and "Trudeau" not in ents


def test_kind_is_voted_over_all_mentions(ents_nlp):
    # The small model often tags a bare surname as ORG; the full name outvotes it.
    text = ("Donald Trump spoke on Tuesday. Trump said the plan was good. "
            "Critics said Trump was wrong, and Trump's aides disagreed.")
    ents = entities(ents_nlp, text)
    assert ents["Donald Trump"].kind == "PERSON"
    assert len(ents["Donald Trump"].mentions) == 4
    assert not any(e.kind == "ORG" and "Trump" in e.label for e in ents.values())


def test_country_abbreviations_are_one_place(ents_nlp):
    text = ("The U.S. will send aid. Officials in the United States said the money "
            "would arrive soon, and U.S. diplomats agreed.")
    ents = entities(ents_nlp, text)
    us = ents["United States"]
    assert us.kind == "PLACE" and us.country_code == "US"
    assert {m.text for m in us.mentions} >= {"U.S.", "the United States"}
    assert us.same_as == ["https://sws.geonames.org/6252001/"]


def test_city_linked_to_geonames_only_when_certain(ents_nlp):
    ents = entities(ents_nlp, "Leaders gathered in Helsinki, Finland, for the talks.")
    assert ents["Helsinki"].same_as == ["https://sws.geonames.org/658225/"]
    assert ents["Helsinki"].lat == pytest.approx(60.17, abs=0.01)


def test_acronym_joins_its_expansion(ents_nlp):
    text = ("The European Aeronautic Defence and Space Company said on Monday that profits rose. "
            "EADS also announced new orders.")
    ents = entities(ents_nlp, text)
    full = [e for e in ents.values() if e.label.startswith("European Aeronautic")]
    assert full and any(m.text == "EADS" for m in full[0].mentions)


def test_two_people_sharing_a_surname_stay_two(ents_nlp):
    text = "Hillary Clinton and Bill Clinton arrived. Clinton spoke first."
    ents = entities(ents_nlp, text)
    assert "Hillary Clinton" in ents and "Bill Clinton" in ents
    assert ents["Hillary Clinton"].key != ents["Bill Clinton"].key
    # The bare surname is ambiguous: it joins neither.
    assert all(m.text != "Clinton" for m in ents["Hillary Clinton"].mentions + ents["Bill Clinton"].mentions)


def test_time_zone_is_not_an_organisation(ents_nlp):
    ents = entities(ents_nlp, "In a Chicago press conference at 16:15 UTC , June 3rd , Maria Lopez spoke.")
    assert "UTC" not in ents
    assert ents["Maria Lopez"].kind == "PERSON"


def test_airline_inside_a_flight_name(ents_nlp):
    ents = entities(ents_nlp, "Investigators studied the loss of Nordic Wings Flight 318 over the sea.")
    airline = ents["Nordic Wings"]
    assert airline.kind == "ORG"
    assert [m.text for m in airline.mentions] == ["Nordic Wings"]


def test_untagged_name_in_apposition_to_a_descriptor(ents_nlp):
    text = ("The US carmaker Fenwick Motors said that it would close plants at its German division , Brandt . "
            "Costs at Brandt rose.")
    ents = entities(ents_nlp, text)
    assert ents["Brandt"].kind == "ORG"
    assert [m.text for m in ents["Brandt"].mentions] == ["Brandt", "Brandt"]


def test_organisation_key_ignores_the_legal_form(ents_nlp):
    a = entities(ents_nlp, "Hartwell Motors Corporation said sales rose.")["Hartwell Motors Corporation"]
    b = entities(ents_nlp, "Hartwell Motors Corp. said sales fell.")
    b = next(e for e in b.values() if e.kind == "ORG")
    assert a.kind == "ORG" and a.key == b.key == "org:hartwell motors"


@given(st.text(alphabet="ab -_\u00e9A1.\n\u0663", max_size=30), st.text(alphabet="ab-A\u00e9", min_size=1, max_size=3))
def test_whole_word_matches_is_the_regex_it_replaces(text, name):
    from kg.nlp.entities import whole_word_matches

    expected = [(m.start(), m.end()) for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text)]
    assert list(whole_word_matches(text, name)) == expected


def test_untagged_repeat_of_a_known_name_is_a_mention(ents_nlp):
    text = ("Ingrid Solberg founded Nordvik Analytics in 2011. Analysts at Nordvik Analytics praised "
            "the firm, and Solberg-Nordvik is a different word. Nordvik Analytics said so.")
    ent = entities(ents_nlp, text).get("Nordvik Analytics")
    assert ent is not None
    spans = [(m.start, m.end) for m in ent.mentions]
    starts = [i for i in range(len(text)) if text.startswith("Nordvik Analytics", i)]
    assert [s for s, _ in spans] == starts  # every whole-word occurrence, tagged or not
