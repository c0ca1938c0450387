"""Which names of one article are one entity (kg_entities' clustering), each rule on
sentences written for it. The model's entities are set by the test (``tools.with_ents``), so
the test checks kg's rule, not the small model's labels."""
from __future__ import annotations

import kg.nlp.entities  # noqa: F401  (registers kg_entities)
import kg.nlp.extensions  # noqa: F401
from .tools import with_ents


def _by_mention(records):
    return {(m.text, m.start): r for r in records for m in r.mentions}


def _one(records, text, nth=0):
    found = sorted(((m.start, r) for r in records for m in r.mentions if m.text == text), key=lambda x: x[0])
    return found[nth][1]


# --- persons -------------------------------------------------------------------------

def test_surname_and_title_forms_are_one_person_despite_one_organisation_label(ents_nlp):
    text = "Ed Smith runs the mill. Mr Smith said prices rose. Smith will retire."
    recs = with_ents(ents_nlp, text, [("Ed Smith", 0, "PERSON"), ("Mr Smith", 0, "PERSON"),
                                       ("Smith", 2, "ORG")])
    assert len(recs) == 1 and recs[0].kind == "PERSON" and len(recs[0].mentions) == 3


def test_surname_is_the_person_introduced_before_a_namesake(ents_nlp):
    text = ("Franck Pellard won the downhill. Pellard trained at home. His sister Leila Pellard "
            "skied too. Pellard retired in 1998.")
    recs = with_ents(ents_nlp, text, [("Franck Pellard", 0, "PERSON"), ("Pellard", 1, "PERSON"),
                                       ("Leila Pellard", 0, "PERSON"), ("Pellard", 3, "PERSON")])
    franck, leila = _one(recs, "Franck Pellard"), _one(recs, "Leila Pellard")
    assert _one(recs, "Pellard") is franck and _one(recs, "Pellard", 1) is franck
    assert leila is not franck and len(leila.mentions) == 1


def test_untagged_surname_is_the_relative_introduced_first_until_the_next_is_named(ents_nlp):
    # The model tags neither bare "Bowden": before the husband is named the surname can
    # only be the painter; after, it is either, and joins neither.
    text = ("Betty Bowden was a painter. Bowden studied in Leeds. She married Thomas Bowden "
            "in 1946. Bowden died in 2007.")
    recs = with_ents(ents_nlp, text, [("Betty Bowden", 0, "PERSON"), ("Thomas Bowden", 0, "PERSON")])
    betty, thomas = _one(recs, "Betty Bowden"), _one(recs, "Thomas Bowden")
    assert betty is not thomas
    assert [m.text for m in betty.mentions if m.text == "Bowden"] == ["Bowden"]
    assert _one(recs, "Bowden") is betty and betty.mentions[1].start == text.index("Bowden studied")
    assert not any(m.start == text.index("Bowden died") for r in recs for m in r.mentions)


def test_a_prefix_and_hyphen_are_not_part_of_the_name(ents_nlp):
    text = "Manuel Noriaga ruled. The pro-Noriaga forces and anti - Noriaga rebels met. Noriaga fled."
    recs = with_ents(ents_nlp, text, [("Manuel Noriaga", 0, "PERSON"), ("pro-Noriaga", 0, "PERSON"),
                                       ("anti - Noriaga", 0, "PERSON"), ("Noriaga", 3, "PERSON")])
    assert len(recs) == 1, [r.label for r in recs]
    assert sorted(m.text for m in recs[0].mentions) == ["Manuel Noriaga"] + ["Noriaga"] * 3
    # A name particle with a hyphen is the name's own: "al-Qaida" stays whole.
    recs = with_ents(ents_nlp, "He joined al-Qaida in 2001.", [("al-Qaida", 0, "ORG")])
    assert [m.text for r in recs for m in r.mentions] == ["al-Qaida"]


def test_surname_is_the_person_not_the_firm_named_after_them(ents_nlp):
    text = "William Morrow designed wallpaper. Morrow & Co. sold it. Morrow died in 1896."
    recs = with_ents(ents_nlp, text, [("William Morrow", 0, "PERSON"), ("Morrow & Co.", 0, "ORG"),
                                       ("Morrow", 2, "PERSON")])
    assert _one(recs, "Morrow") is _one(recs, "William Morrow")
    assert _one(recs, "Morrow & Co.") is not _one(recs, "William Morrow")


def test_surname_labelled_a_nationality_is_still_the_person(ents_nlp):
    # "-ian" makes the model say NORP; a nationality word itself never joins a person.
    text = "David Bohrigian leads the agency. Bohrigian said loans grew. Bohrigian met investors."
    recs = with_ents(ents_nlp, text, [("David Bohrigian", 0, "PERSON"), ("Bohrigian", 1, "NORP"),
                                       ("Bohrigian", 2, "NORP")])
    assert len(recs) == 1 and recs[0].kind == "PERSON" and len(recs[0].mentions) == 3
    text = "Ana Chinese-Lopez spoke. Chinese exports fell."
    recs = with_ents(ents_nlp, text, [("Ana Chinese-Lopez", 0, "PERSON"), ("Chinese", 1, "NORP")])
    assert _one(recs, "Chinese") is not _one(recs, "Ana Chinese-Lopez")


def test_first_and_last_name_without_the_middle_name(ents_nlp):
    text = "Henrik August Angstad was a writer. Henrik Angstad later moved to the coast."
    recs = with_ents(ents_nlp, text, [("Henrik August Angstad", 0, "PERSON"), ("Henrik Angstad", 0, "PERSON")])
    assert len(recs) == 1 and len(recs[0].mentions) == 2


# --- organisations ---------------------------------------------------------------------

def test_short_name_of_a_college_is_the_college(ents_nlp):
    text = "He studied at Yarrow College until 1880. Yarrow later gave him a degree."
    recs = with_ents(ents_nlp, text, [("Yarrow College", 0, "ORG"), ("Yarrow", 1, "ORG")])
    assert len(recs) == 1 and len(recs[0].mentions) == 2


def test_acronym_keeps_the_initials_of_small_words(ents_nlp):
    text = "Tears for Jeers released an album. TFJ toured in 1985."
    recs = with_ents(ents_nlp, text, [("Tears for Jeers", 0, "ORG"), ("TFJ", 0, "ORG")])
    assert len(recs) == 1 and len(recs[0].mentions) == 2


def test_acronym_of_a_name_written_two_ways(ents_nlp):
    text = "General Motors cut jobs. General Motor said more cuts would come. GM shares fell."
    recs = with_ents(ents_nlp, text, [("General Motors", 0, "ORG"), ("General Motor", 1, "ORG"),
                                       ("GM", 0, "ORG")])
    assert _one(recs, "GM") is _one(recs, "General Motors")


def test_acronym_is_its_expansion_not_a_name_built_on_it(ents_nlp):
    text = "General Mills cut jobs. The New GM will be smaller. GM said the plan would work."
    recs = with_ents(ents_nlp, text, [("General Mills", 0, "ORG"), ("New GM", 0, "ORG"), ("GM", 1, "ORG")])
    assert _one(recs, "GM") is _one(recs, "General Mills")
    assert _one(recs, "New GM") is not _one(recs, "General Mills")


def test_name_used_before_a_longer_name_it_begins_is_another_entity(ents_nlp):
    text = "Sonar sold televisions for years. In 1990 Sonar Pictures began to make films."
    recs = with_ents(ents_nlp, text, [("Sonar", 0, "ORG"), ("Sonar Pictures", 0, "ORG")])
    assert len(recs) == 2
    # ... but a headline comes first in short forms, and a legal form adds nothing.
    text = "Fordham sales spike\nFordham Motor Company said on Monday that Fordham sold more cars."
    recs = with_ents(ents_nlp, text, [("Fordham", 0, "ORG"), ("Fordham Motor Company", 0, "ORG"),
                                       ("Fordham", 2, "ORG")])
    assert len(recs) == 1
    text = "Chryston said profits rose. Chryston LLC is privately held."
    recs = with_ents(ents_nlp, text, [("Chryston", 0, "ORG"), ("Chryston LLC", 0, "ORG")])
    assert len(recs) == 1
    # The full name given first counts where the model did not tag it there.
    text = ("Outleft Distribution is a TV distribution company.\nOutleft sells formats. "
            "Outleft Distribution has a large catalogue.")
    recs = with_ents(ents_nlp, text, [("Outleft", 1, "ORG"), ("Outleft Distribution", 1, "ORG")])
    assert len(recs) == 1 and sorted(m.start for m in recs[0].mentions) == [
        0, text.index("Outleft sells"), text.index("Outleft Distribution has")]


# --- places ------------------------------------------------------------------------------

def test_names_that_differ_in_accents_are_one(ents_nlp):
    text = "Durán is a port city. Duran grew quickly after 1950."
    recs = with_ents(ents_nlp, text, [("Durán", 0, "GPE"), ("Duran", 0, "GPE")])
    assert len(recs) == 1 and len(recs[0].mentions) == 2


def test_place_a_company_is_named_after_stays_apart(ents_nlp):
    text = "Georgia Power raised its rates. Customers across Georgia complained to Georgia Power."
    recs = with_ents(ents_nlp, text, [("Georgia Power", 0, "ORG"), ("Georgia", 1, "GPE"),
                                       ("Georgia Power", 1, "ORG")])
    assert _one(recs, "Georgia") is not _one(recs, "Georgia Power")
    assert _one(recs, "Georgia Power").kind == "ORG" and _one(recs, "Georgia").kind == "PLACE"


# --- rules of the redocred/meantime coreference review (sentences written for them) -----

def test_surname_before_a_generational_suffix_is_the_person(ents_nlp):
    text = "William Charles Dumott II was born in 1966. Dumott wrestled in Japan."
    recs = with_ents(ents_nlp, text, [("William Charles Dumott II", 0, "PERSON"), ("Dumott", 1, "PERSON")])
    assert _one(recs, "Dumott") is _one(recs, "William Charles Dumott II")


def test_first_of_two_surnames_is_the_person(ents_nlp):
    # Spanish and Portuguese names: the father's surname, then the mother's.
    text = "Guillermo David Endaro Galimar was born in 1936. Endaro became president in 1989."
    recs = with_ents(ents_nlp, text, [("Guillermo David Endaro Galimar", 0, "PERSON"), ("Endaro", 1, "PERSON")])
    assert _one(recs, "Endaro") is _one(recs, "Guillermo David Endaro Galimar")
    # ... but not a surname an organisation is called by
    text = "William Clay Fordham Jr. is chairman. Fordham sold more trucks."
    recs = with_ents(ents_nlp, text, [("William Clay Fordham Jr.", 0, "PERSON"), ("Fordham", 1, "ORG")])
    assert _one(recs, "Fordham") is not _one(recs, "William Clay Fordham Jr.")


def test_surname_after_a_relative_is_still_the_subject_the_text_opens_with(ents_nlp):
    text = ("Alfred Geist Zantzig was an American filmmaker. He was the grandson of the architect "
            "Clarence C. Zantzig. Zantzig studied at the University of Pennsylvania.")
    recs = with_ents(ents_nlp, text, [("Alfred Geist Zantzig", 0, "PERSON"), ("Clarence C. Zantzig", 0, "PERSON"),
                                       ("Zantzig", 2, "PERSON")])
    assert _one(recs, "Zantzig") is _one(recs, "Alfred Geist Zantzig")
    # A text that opens with someone else leaves it unsure.
    text = ("The Vennor Museum opened in May. Alfred Zantzig spoke first. His brother Clarence Zantzig "
            "spoke next. Zantzig thanked the donors.")
    recs = with_ents(ents_nlp, text, [("Vennor Museum", 0, "ORG"), ("Alfred Zantzig", 0, "PERSON"),
                                       ("Clarence Zantzig", 0, "PERSON"), ("Zantzig", 2, "PERSON")])
    zantzig = _one(recs, "Zantzig")
    assert zantzig is not _one(recs, "Alfred Zantzig") and zantzig is not _one(recs, "Clarence Zantzig")


def test_clipped_company_name_is_the_company(ents_nlp):
    text = "Pellam Automotive Group will buy the brand. Pellam Auto said the deal would close in June."
    recs = with_ents(ents_nlp, text, [("Pellam Automotive Group", 0, "ORG"), ("Pellam Auto", 1, "ORG")])
    assert len({id(r) for r in recs if r.kind == "ORG"}) == 1


def test_a_company_is_not_its_branch_in_a_country(ents_nlp):
    text = ("Zentro Australia will sell the console from May. Its parent Zentro said sales rose. "
            "Holbeck New Zealand Limited assembled cars; Holbeck owned it.")
    recs = with_ents(ents_nlp, text, [("Zentro Australia", 0, "ORG"), ("Zentro", 1, "ORG"),
                                       ("Holbeck New Zealand Limited", 0, "ORG"), ("Holbeck", 1, "ORG")])
    assert _one(recs, "Zentro") is not _one(recs, "Zentro Australia")
    assert _one(recs, "Holbeck") is not _one(recs, "Holbeck New Zealand Limited")
    # ... while an acronym still names what it abbreviates
    text = "Global Mills sold GM Europe in May. GM said the sale was done."
    recs = with_ents(ents_nlp, text, [("Global Mills", 0, "ORG"), ("GM Europe", 0, "ORG"), ("GM", 1, "ORG")])
    assert _one(recs, "GM") is _one(recs, "Global Mills")


def test_part_of_a_spaced_hyphenated_name_is_another_entity(ents_nlp):
    # Tokenised sources write "Velden-Arland" as "Velden - Arland": still one word.
    text = "The duchy of Velden - Arland was formed in 1618. Arland later became a kingdom."
    recs = with_ents(ents_nlp, text, [("Velden - Arland", 0, "GPE"), ("Arland", 1, "GPE")])
    assert _one(recs, "Arland") is not _one(recs, "Velden - Arland")
