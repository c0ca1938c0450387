"""Named entities, consolidated per article: one record per real-world entity.

spaCy's NER gives mentions with a label each; a news reader knows more: "Trump" after
"President Donald Trump" is the same person (even where the model said ORG), "U.S." and
"the United States" are one country, "Trump's" is Trump. This component cleans spans,
groups mentions by name compatibility, decides each group's kind by a vote over all its
mentions, finds later mentions the model missed, and gives each group a cross-article key.
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, IDX, LEMMA, LENGTH, ORTH, SENT_START
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc, Span

from kg.nlp.spans import text_of
from kg.nlp.timenorm import is_holiday
from kg.nlp import gazetteer
from kg.nlp.keys import entity_key, key_name
from kg.nlp.lexicons import ontonotes as onto
from kg.nlp.lexicons.dependencies import AMOD, APPOS, ATTR, COMPOUND, CONJ, DET, DOBJ, NEG, NSUBJ, NSUBJPASS, POBJ, POSS
from kg.nlp.lexicons.entities import (ABBREVIATED_WORDS, AMOUNT_LABELS, AREA_NOUNS, BANK_SIDES, CORPORATE_SUFFIXES,
                                      DEFINITION_HEADS, FLIGHT_WORDS, GROUP_BODIES, HONORIFICS, INSTITUTION_HEADS,
                                      JOINT_AREA_BODY_WORDS, LABEL_KINDS, LANGUAGE_VERBS, LEADER_NOUNS,
                                      LOCATIVE_PREPOSITIONS, MAX_TITLE_WORDS, MODEL_DESIGNATION, NAMED_AFTER_HEADS,
                                      NAME_AFFIXES, NAME_FUNCTION_WORDS, NAME_SUFFIX, OF_WORDS, ORG_DESCRIPTORS,
                                      ORG_DESCRIPTOR_ENDING, ORG_MEMBER_NOUNS, ORG_NAME_PREFIXES,
                                      ORG_NAME_SUFFIXES, ORG_NAME_WORDS, PARTY_BODIES, PARTY_WORDS,
                                      PERSON_DESCRIPTORS, PLACE_FIRST_WORDS, PLACE_HEADS, PLACE_OF_NOUNS,
                                      PLACE_PART_NOUNS, PLACE_QUALIFIERS, REGION_NOUNS, RELIGION_WORDS,
                                      RESULT_VERBS, SCORE, SCORELINE, SHORTENED_ORG_SUFFIXES, TITLES,
                                      TITLE_SMALL_WORDS, YEAR)
from kg.nlp.lexicons.time import DEICTIC_DAYS, WEEKDAYS, STANDALONE_TIME_ZONES as TIME_ZONES  # "16:15 UTC": a time, not an ORG
from kg.records import EVENT, LANGUAGE, LAW, NORP, ORG, PERSON, PLACE, PRODUCT, WORK_OF_ART, EntityRecord, Mention

# Kinds whose mentions are names that can be merged and linked across articles; the
# order breaks ties in the kind vote.
NAME_KINDS = (PERSON, ORG, PLACE, NORP, PRODUCT, WORK_OF_ART, LAW, LANGUAGE, EVENT)
# Kinds the model gives a person's surname when alone that still join the person's full
# name: a nationality for a surname ending like one ("Bohigian", "Petrosian"). (A product
# or work label is kept apart: "Martin" after a mislabelled "Lockheed Martin".)
MISLABELLED_SURNAME_KINDS = (NORP,)
# How alike (difflib ratio) two names must be to be one name written two ways ("General
# Motor" for "General Motors"): one letter in ten; set for kg.
NAME_VARIANT_SIMILARITY = 0.9
_LEADING_THE = re.compile(r"^(?i:the)\s+")
# Hyphens a tokeniser leaves as tokens of their own ("pro - Noriega").
HYPHENS = ("-", "\u2010", "\u2011", "\u2013")
# A trailing possessive marker left inside a span ("Trump's", "Russians'").
POSSESSIVE = re.compile(r"(?:['\u2019]s?)$")


@dataclass(frozen=True)
class EntitySettings:
    """The kind vote's weights and thresholds (the factory's config; see make_entities)."""
    descriptor_weight: int = 5
    definition_weight: int = 10
    full_name_weight: int = 2
    city_vote_population: int = 100_000
    city_weight: int = 2
    find_missed: bool = True
    min_missed_name_chars: int = 3


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    kind: str
    name: str  # cleaned name (no title, no possessive, no leading "the")
    weight: int = 1
    place: "gazetteer.Place | None" = None  # a demonym's country ("Russian" -> Russia)
    group_of: "gazetteer.Place | None" = None  # a people's country ("Russians" -> Russia)
    cut: bool = False  # a piece of a longer capitalised name ("Olympic" before "Stadium")
    defined: bool = False  # its kind comes from a definition ("Brisk was a village")


def _clean(doc: Doc, ent, cfg: EntitySettings) -> _Mention | None:
    tokens = list(ent)
    # Leading titles are not part of the name ("President Putin" -> "Putin").
    titled = False
    # In an ORG-labelled span only a clear personal title counts, before a two-word name
    # ("Spokeswoman Sandy Angers"), not "General Motors" or "King Digital".
    while len(tokens) > 1 and tokens[0].lower_.rstrip(".") in TITLES and tokens[1].pos_ == "PROPN" and (
            ent.label_ == onto.PERSON or ent.label_ == onto.ORG and len(tokens) == 3
            and tokens[0].lower_.rstrip(".") in PERSON_DESCRIPTORS - ORG_NAME_WORDS):
        tokens, titled = tokens[1:], True
    # A day word the model ran into the name is the sentence's time ("Tomorrow Harrison
    # will bat", "Today Qantas said").
    while len(tokens) > 1 and tokens[0].lower_ in DEICTIC_DAYS and tokens[1].text[:1].isupper():
        tokens = tokens[1:]
    # A prefix and its hyphen are not part of the name ("pro - Noriega", "anti-Trump").
    while len(tokens) > 2 and tokens[0].lower_ in NAME_AFFIXES and tokens[0].text.islower() \
            and tokens[1].text in HYPHENS and tokens[2].text[:1].isupper():
        tokens = tokens[2:]
    # A score is not part of a side's name ("Porto 3-1").
    end_char = tokens[-1].idx + len(tokens[-1].text)
    cut = next((k for k in range(1, len(tokens)) if SCORELINE.match(text_of(doc)[tokens[k].idx:end_char])), None)
    if cut is not None:
        tokens = tokens[:cut]
    # A person's name ends at its possessive: what follows is what the person has
    # ("Mr Sharon's Government"); organisations keep theirs ("McDonald's Corp").
    if ent.label_ == onto.PERSON:
        own = next((k for k in range(1, len(tokens) - 1) if tokens[k].tag_ == "POS"), None)
        if own is not None:
            tokens = tokens[:own]
    # Trailing possessive marker ("Trump's", "Russians'"), and a function word a name
    # cannot end with ("Bedfordshire Fire and" where the model stopped early).
    while tokens and (tokens[-1].tag_ == "POS" or len(tokens) > 1 and tokens[-1].lower_ in NAME_FUNCTION_WORDS):
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = text_of(doc)[start:end]
    m = POSSESSIVE.search(text)
    if m and m.start() > 0 and ent.label_ not in AMOUNT_LABELS:
        end -= len(m.group(0))
        text = text_of(doc)[start:end]
    # A name never runs over a line break (a headline into the body, "J.\nSmith").
    if "\n" in text:
        text = text.split("\n", 1)[0]
    text = _strip_end(text)
    end = start + len(text)
    if not text.strip():
        return None
    kind = LABEL_KINDS[ent.label_]
    # A title alone ("Queen", "Prime Minister", "The Chancellor") names no one.
    name = _LEADING_THE.sub("", text)
    if kind in (PERSON, PLACE) and all(w.lower().rstrip(".") in TITLES for w in re.split(r"[\s\-]+", name) if w) \
            and not _surname_place(doc, tokens[0].i):
        return None  # (nor a place: "the Governor-General" the model took for one)
    # A word in lower case names no person, organisation or place ("the bush", "the senate",
    # "the weather bureau"); scripts without case ("北京金隅") and "76ers" are not lower case.
    letters = [c for c in name if c.isalpha()]
    if kind in (PERSON, ORG, PLACE) and letters and all(c.islower() for c in letters) \
            and not any(c.isdigit() for c in name):
        return None
    # A holiday is a time expression (TimeML), not an event entity: kg_times has it.
    if kind == EVENT and is_holiday(name):
        return None
    # A weekday alone is no one's name ("Wed" the model took for a person).
    if name.lower().rstrip(".") in WEEKDAYS:
        return None
    name = " ".join(name.split())
    weight = cfg.full_name_weight if kind == PERSON and len(name.split()) > 1 else 1
    if kind == PERSON and _ACRONYM.fullmatch(name):
        weight = 0  # people are seldom named by initials: "BAS" beside "the British Antarctic Survey"
    described = _descriptor_kind(doc, tokens[0].i)
    words = name.lower().split()
    if described is None and len(words) == 2 and words[0] in BANK_SIDES and words[1] == "bank":
        described = PLACE  # "the West Bank", not a bank
    if described is None and len(tokens) > 1 and (tokens[-1].lower_ in ORG_NAME_SUFFIXES
                                                  or tokens[0].lower_ in ORG_NAME_PREFIXES):
        described = ORG
    # "Foots Creek", "Klamath Falls", "Harbour Esplanade", "Kahului Airport": a name ending
    # in a feature's generic word is the feature, however the model labelled it.
    if described is None and len(tokens) > 1 and tokens[-1].lower_ in PLACE_HEADS and kind in (PERSON, ORG):
        described = PLACE
    # And a name that modifies an area's noun ("the Tora Bora region", "the Tora Bora caves";
    # for a name labelled an organisation a region's noun only: "the Al Qaeda caves" are
    # the group's), or a name whose part a possessive names ("Tasmania's east coast").
    if described is None and kind in (PERSON, ORG) and _names_an_area(doc, tokens, kind):
        described = PLACE
    # A "person" the text puts a place's preposition before, whom the gazetteer knows as a
    # place ("at Launceston", "near Grafton"), is the place.
    if described is None and kind == PERSON and _after_place_preposition(doc, tokens) and gazetteer.is_place(name):
        described = PLACE
    # A "person" with workers, shareholders or a named person of its own ("Ansett workers",
    # "Westpac's Bill Evans") is an organisation, or a place the gazetteer knows.
    if described is None and kind == PERSON and _has_members(doc, tokens):
        described = PLACE if gazetteer.is_place(name) else ORG
    # A place the gazetteer knows with a qualifier before it is a place ("Greater Sydney",
    # "Western Sydney" the model took for a person), another than the one it qualifies.
    if described is None and kind == PERSON and len(tokens) > 1 and tokens[0].lower_ in PLACE_QUALIFIERS \
            and tokens[0].text[:1].isupper() and gazetteer.is_place(" ".join(t.text for t in tokens[1:])):
        described = PLACE
    # So does one beginning with a feature's word ("Lake Geneva", "Mount Kenya", "Fort Worth").
    if described is None and len(tokens) > 1 and tokens[0].lower_ in PLACE_FIRST_WORDS and kind in (PERSON, ORG) \
            and tokens[1].text[:1].isupper():
        described = PLACE
    # "Funen , Denmark", "Danbury , Connecticut": a name the model took for a person or a
    # company that the text places in a country or a province is a place (the
    # "City, State" convention of the AP Stylebook datelines and addresses).
    if described is None and (kind in (PERSON, PLACE) or kind == ORG and len(tokens) == 1) \
            and _placed_in_region(doc, tokens[-1]):
        described = PLACE  # and a place so placed outweighs the model's ORG on its other mentions
    # A lone name the model tags PERSON that is a big city (GeoNames population) is taken
    # as the city: the gazetteer outweighs one stray label.
    sporting = _sport_result(doc, tokens)
    if described is None and kind == PERSON and not sporting and len(tokens) == 1 \
            and not _leaders_noun(tokens[0]) and gazetteer.big_city(name, cfg.city_vote_population):
        kind, weight = PLACE, cfg.city_weight
    # So is one the text lists with places ("between Launceston and Melbourne"), with the
    # city's weight: a surname may be a town too ("China, Luan and Yao" beside "Luan Bo").
    elif described is None and kind == PERSON and not sporting and _listed_with_places(doc, tokens) \
            and gazetteer.is_place(name):
        kind, weight = PLACE, cfg.city_weight
    # "Liverpool beat Porto 3-1": in a result, a city's name names its club.
    if described is None and sporting and (kind == PLACE or gazetteer.is_place(name)):
        described = ORG
    if described is None and _dated(doc, tokens[-1].i) and not gazetteer.is_place(name):
        described = WORK_OF_ART
    if titled and described is None:
        described = PERSON
    if described is not None and kind in (PERSON, ORG, PLACE, PRODUCT, NORP, WORK_OF_ART, LAW, EVENT):
        kind, weight = described, cfg.descriptor_weight
    # "Tallowra is a hamlet in ...": a definition says what the name names, whatever the
    # model's label, and outweighs the labels of the name's other mentions.
    defined = _definition_kind(doc, tokens) if kind in NAME_KINDS else None
    if defined is not None:
        kind, weight = defined, cfg.definition_weight
    m = _Mention(start, end, text, kind, name, weight, cut=_cut_name(doc, tokens), defined=defined is not None)
    body = GROUP_BODIES.get(name)
    if body is not None and (kind in (NORP, ORG) or kind == PERSON and body in PARTY_BODIES):
        # "Catholics", "Republican": the church, the party; "Labour" taken for a person
        m.kind, m.name = ORG, body
        return m
    if kind == LANGUAGE:  # the language, not the country its name shares ("Spanish")
        m.name = f"{name} language"
    if kind in (NORP, PLACE, ORG) and len(tokens) <= 2:
        found = gazetteer.demonym(name)
        if found is not None and _language_use(doc, tokens):
            # Its own entity, apart from the country the same word stands for elsewhere.
            m.kind, m.weight, m.name = LANGUAGE, cfg.descriptor_weight, f"{name} language"
        elif found is not None:
            place, plural = found
            # "the Jamaicans", and "The Jamaican crossed the line": people of the country
            # (a noun with its determiner), not the country
            if plural or tokens[-1].tag_ in ("NNS", "NNPS") or _nationality_noun(tokens[-1]):
                m.group_of = place
            else:
                m.kind, m.place = PLACE, place
    return m


def _surname_place(doc: Doc, first: int) -> bool:
    """Does the word at ``first`` follow an honorific or a first name, where a title word is
    a surname ("Dr Sultan", "Dr Aamer Sultan"; not "the Omani Sultan")?"""
    if first == 0:
        return False
    before = doc[first - 1]
    return before.lower_.rstrip(".") in HONORIFICS or before.pos_ == "PROPN" and before.text[:1].isupper() \
        and before.lower_ not in TITLES and not before.is_sent_start and gazetteer.demonym(before.text) is None


_ACRONYM = re.compile(r"[A-Z]{2,6}")


def _names_an_area(doc: Doc, tokens, kind: str) -> bool:
    """Is the name the modifier of an area's common noun right after it ("the Tora Bora
    region", not "the Mandela bridge" nor "Tora Bora Region", a name of its own; a region's
    noun for a name labelled an organisation), or the possessor of a part of a place
    ("Tasmania's east coast")?"""
    last = tokens[-1]
    if last.i + 1 >= len(doc):
        return False
    noun = doc[last.i + 1]
    if noun.tag_ == "POS":  # "Tasmania's east coast", "Sydney's west"
        noun = last.head
        return last.dep_ == POSS and noun.i > last.i and noun.lower_ in PLACE_PART_NOUNS and noun.text.islower()
    return noun.lower_ in (AREA_NOUNS if kind == PERSON else REGION_NOUNS) and noun.text.islower() \
        and last.dep_ == COMPOUND and last.head.i == noun.i


def _after_place_preposition(doc: Doc, tokens) -> bool:
    """Is the name the object of a preposition of place, whole (not "in Howard's view"), and
    the preposition one of the text's (lower case or starting the sentence: the capital "At"
    of the title "Summer At Eureka" is none)?"""
    last = tokens[-1]
    root = doc[tokens[0].i:last.i + 1].root
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    prep = root.head
    return root.dep_ == POBJ and prep.lower_ in LOCATIVE_PREPOSITIONS and prep.i == tokens[0].i - 1 \
        and (prep.text.islower() or prep.is_sent_start) and (after is None or after.tag_ != "POS")


def _leaders_noun(tok) -> bool:
    """Does the name modify a leader's noun ("the Bush administration")?"""
    return tok.dep_ == COMPOUND and tok.head.i > tok.i and tok.head.lower_ in LEADER_NOUNS


def _listed_with_places(doc: Doc, tokens) -> bool:
    """Is the name conjoined with a name the model labels a place ("Launceston and
    Melbourne": either way round, or in a longer list)?"""
    root = doc[tokens[0].i:tokens[-1].i + 1].root
    conjuncts = [c for c in root.conjuncts if c.i < tokens[0].i or c.i > tokens[-1].i]
    return any(c.ent_type_ in ("GPE", "LOC") for c in conjuncts)


def _has_members(doc: Doc, tokens) -> bool:
    """Does the name modify a noun of what organisations have ("Ansett workers", "Ansett's
    administrators"), or possess a person's name ("Westpac's Bill Evans")?"""
    last = tokens[-1]
    head = last.head
    if head.i <= last.i or last.dep_ not in (COMPOUND, POSS):
        return False
    if head.lower_ in ORG_MEMBER_NOUNS and head.text.islower():
        return True
    if last.dep_ != POSS or last.i + 2 >= len(doc):
        return False
    # The person's whole name right after "'s", a first name and a surname ("Westpac's Bill
    # Evans"), not a work the model took for a person ("Genet's The Balcony", "Mahler's Das
    # Lied von der Erde") nor a character ("Hemingway's alter ego Nick Adams").
    start = end = last.i + 2
    if doc[start].ent_iob_ != "B" or doc[start].ent_type_ != "PERSON":
        return False
    while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I":
        end += 1  # (the entity's tokens from the IOB tags: no Span made for every entity)
    return end == head.i and end - start in (1, 2) \
        and all(t.is_alpha and t.is_title and t.lower_ != "the" for t in doc[start:end + 1])


def _nationality_noun(tok) -> bool:
    """A demonym used as a noun for a person: the head of a noun phrase with a determiner
    ("The Jamaican crossed the line", "a Briton"), not a modifier ("the Jamaican sprinter")."""
    return tok.dep_ in (NSUBJ, NSUBJPASS, DOBJ, POBJ, ATTR, APPOS) and any(c.dep_ == DET for c in tok.children)


def _strip_end(text: str) -> str:
    """Punctuation after a name is not part of it, but an abbreviation's full stop is
    ("Tata Sons Ltd.", "Warner Bros.", "EADS N.V.", "Peter G."), also where it ends the
    sentence: one full stop then does both jobs, and tokenised corpora (Penn Treebank
    convention) keep it on the abbreviation's token."""
    stripped = text.rstrip(" .,;:")
    if text[len(stripped):].startswith(".") and stripped:
        last = stripped.split()[-1] if stripped.split() else ""
        if last.lower() in ABBREVIATED_WORDS or "." in last or (len(last) == 1 and last.isupper()):
            return stripped + "."
    return stripped


def _placed_in_region(doc: Doc, last) -> bool:
    """Is the name followed by a comma and a country or first-level division of the
    gazetteer ("Ouro Preto , Brazil", "Saginaw , Michigan") that ends there: not a
    possessive ("Toyota , Japan 's largest carmaker") nor the start of another name
    ("Martha Argerich , Nelson Freire")?"""
    if last.i + 2 >= len(doc) or doc[last.i + 1].text != ",":
        return False
    first = last.i + 2
    for end in range(min(first + 3, len(doc)), first, -1):
        words = doc[first:end]
        if not words[0].text[:1].isupper() or words[-1].is_punct or not gazetteer.is_region(words.text):
            continue  # (not "Alberta." with the next sentence's first word after it)
        after = doc[end] if end < len(doc) else None
        return after is None or not (after.tag_ == "POS" or after.pos_ == "PROPN" and after.text[:1].isupper())
    return False


def _dated(doc: Doc, last: int) -> bool:
    """Is the name followed by a year in brackets ("Copper Sparrow ( 1953 )", "Vertigo
    (1958)")? Reference and review style dates a film, book or album so; a person's
    brackets hold a life's span or "born", a place's no year."""
    if last + 4 > len(doc):  # (indexing, not a Span of the three: this runs for every mention)
        return False
    return doc[last + 1].text == "(" and doc[last + 3].text == ")" and YEAR.match(doc[last + 2].text) is not None


def _in_capitals_line(doc: Doc, ent) -> bool:
    """Is the entity on a line written in capitals (a headline, a dateline)?"""
    text = text_of(doc)
    b = text.rfind("\n", 0, ent.start_char) + 1
    e = text.find("\n", ent.end_char)
    line = text[b:e if e >= 0 else len(text)]
    if _ASCII_LOWER.search(line):  # (a letter not in capitals, found without a pass over the line's letters)
        return False
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)


_ASCII_LOWER = re.compile("[a-z]")


def _headline_phrase(doc: Doc, ent) -> bool:
    """In a line in capitals the model takes whole clauses for names ("EUROPEAN SHARES
    FALL AS BANKS SLIDE"): a span there with a function word other than those names
    have ("BANK OF ENGLAND") is not a name."""
    return len(ent) > 2 and _in_capitals_line(doc, ent) and any(
        t.lower_ in STOP_WORDS and t.lower_ not in NAME_FUNCTION_WORDS for t in ent)


def _sport_result(doc: Doc, tokens) -> bool:
    """Is the name a side in a sports result: the subject or object of a result verb
    ("Liverpool beat Porto", "lost to Porto") or followed by a score ("Porto 3-1",
    "Arsenal 2 Chelsea 1")?"""
    last = tokens[-1]
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and SCORE.match(nxt.text):
        return True
    head = tokens[0].head if tokens[0].head.i not in range(tokens[0].i, last.i + 1) else last.head
    if head.lemma_ in RESULT_VERBS and last.dep_ in (NSUBJ, DOBJ):
        return True
    return head.lower_ == "to" and head.head.lemma_ == "lose" and last.dep_ == POBJ


def _language_use(doc: Doc, tokens) -> bool:
    """A nationality word that names a language: "performed in Portuguese", "spoke
    Romanian", "( Danish : Storebæltsbroen )", "German for the skin", "the Spanish -
    language version" (the contexts that introduce a language in English prose)."""
    first, last = tokens[0], tokens[-1]
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    after = doc[last.i + 2] if last.i + 2 < len(doc) else None
    if first.dep_ == POBJ and first.head.lower_ == "in" and first.head.i == first.i - 1:
        return True
    if first.dep_ == DOBJ and first.head.lemma_ in LANGUAGE_VERBS:
        return True
    if nxt is not None and nxt.text in (":", ";") and first.i > 0 and doc[first.i - 1].text == "(":
        return True
    if nxt is not None and nxt.lower_ == "for" and first.i > 0 and doc[first.i - 1].text in ("(", ","):
        return True
    return nxt is not None and (nxt.lower_ in ("language", "-language")
                                or nxt.text == "-" and after is not None and after.lower_ == "language")


def _cut_name(doc: Doc, tokens) -> bool:
    """Is the span a piece of a longer run of capitalised proper nouns on its line, as
    when the model cuts "Olympic" from "Olympic Stadium"?"""
    def name_word(i: int) -> bool:
        t = doc[i]
        return t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_sent_start
    after, before = tokens[-1].i + 1, tokens[0].i - 1
    return (after < len(doc) and name_word(after) and not doc[after].is_sent_start
            or before >= 0 and name_word(before) and not tokens[0].is_sent_start)


_NAME_LABELS = (onto.ORG, onto.PERSON, onto.GPE, onto.LOC, onto.FAC, onto.NORP)


def _joint_area_bodies(doc: Doc, doc_ents):
    """"Avon and Somerset Police" where the model tagged "Somerset Police" (and perhaps
    "Avon" apart): the organisation's span takes the first area and its "and"."""
    out, joined = list(doc_ents), []
    for k, e in enumerate(out):
        first = e.start - 2
        if e.label_ not in _NAME_LABELS or first < 0 or doc[e.end - 1].lower_ not in JOINT_AREA_BODY_WORDS \
                or doc[e.start - 1].lower_ != "and" or doc[first].pos_ != "PROPN" or not doc[first].text[:1].isupper() \
                or first > 0 and doc[first - 1].pos_ == "PROPN":
            continue
        out[k] = Span(doc, first, e.end, label=onto.ORG)  # (whatever the model took "Somerset Police" for)
        joined.append(out[k])
    return [e for e in out if not any(j is not e and j.start <= e.start and e.end <= j.end for j in joined)]


def _product_names(doc: Doc, doc_ents):
    """A maker's name followed by a model designation is a product ("Airbus A380", "Boeing
    787 Dreamliner", "737s"), not a mention of the maker. Returns the other entities and
    the product mentions."""
    ents, products = [], []
    skip_until = -1
    for ent in doc_ents:
        if ent.start < skip_until:
            continue
        end = ent.end
        follows = end < len(doc) and MODEL_DESIGNATION.match(doc[end].text)
        inside = len(ent) > 1 and MODEL_DESIGNATION.match(ent[-1].text)
        if ent.label_ in (onto.ORG, onto.PRODUCT) and (follows or inside and ent.label_ == onto.ORG):
            end += 1 if follows else 0
            while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
                    and doc[end].ent_type_ in ("", onto.PRODUCT):
                end += 1
            span = doc[ent.start:end]
            text = span.text
            name = re.sub(r"(?<=\d)s$", "", " ".join(text.split()))  # "737s" -> "737"
            products.append(_Mention(span.start_char, span.end_char, text, PRODUCT, name, 1))
            skip_until = end
            continue
        ents.append(ent)
    return ents, products


def _flight_operators(doc: Doc, doc_ents, weight: int) -> list[_Mention]:
    """The airline inside a flight's name ("Garuda Indonesia Flight 200" -> "Garuda
    Indonesia"), an organisation mentioned within the flight's mention."""
    out = []
    for ent in doc_ents:
        if ent.label_ not in (onto.ORG, onto.PRODUCT, onto.FAC, onto.EVENT, onto.GPE):
            continue
        tokens = [t for t in ent if t.lower_ != "the"]
        k = next((i for i, t in enumerate(tokens) if t.lower_ in FLIGHT_WORDS and t.text[:1].isupper()), 0)
        if k == 0 or not all(t.pos_ == "PROPN" for t in tokens[:k]):
            continue
        start, end = tokens[0].idx, tokens[k - 1].idx + len(tokens[k - 1].text)
        text = text_of(doc)[start:end]
        out.append(_Mention(start, end, text, ORG, text, weight))
    return out


def _appositive_names(doc: Doc, weight: int) -> list[_Mention]:
    """A proper name in apposition to a descriptor that the model left untagged ("its
    European division, Opel"; "the carmaker, Skoda"): the descriptor says what it names."""
    out = []
    for t in _tokens_where(doc, DEP, _APPOS_ID):
        if t.dep_ != APPOS or t.pos_ != "PROPN" or t.ent_type_ or not t.text[:1].isupper():
            continue
        head = t.head.lower_
        kind = ORG if head in ORG_DESCRIPTORS or head.endswith(ORG_DESCRIPTOR_ENDING) else \
            PERSON if head in PERSON_DESCRIPTORS else None
        if kind is None or t.i < t.head.i:
            continue
        first = t.i
        while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].head.i in (t.i, first) \
                and not doc[first - 1].ent_type_:
            first -= 1
        start, end = doc[first].idx, t.idx + len(t.text)
        if first > 1 and doc[first - 1].text in ("(", "["):
            # The other form of the name before the bracket, not what the descriptor names
            # ("the secretary of the Workers Union (AMWU), Doug Cameron"): that name's kind.
            before = LABEL_KINDS.get(doc[first - 2].ent_type_)
            if before is not None:
                out.append(_Mention(start, end, text_of(doc)[start:end], before, text_of(doc)[start:end]))
            continue
        text = text_of(doc)[start:end]
        if all(w.lower().rstrip(".") in TITLES for w in text.split()):
            continue  # a post, not a name: "Leader of the party, Minister for Health"
        out.append(_Mention(start, end, text, kind, text, weight))
    return out


_DEFINITION_KINDS = {noun: kind for kind, nouns in DEFINITION_HEADS.items() for noun in nouns}


def _definition_kind(doc: Doc, tokens) -> str | None:
    """The kind a definition of the name gives it: the kind of the head noun (DEFINITION_HEADS,
    then the person descriptors) of what the name is ("Tallowra is a hamlet", "X and Y are
    villages", "X was not a band" is none) or of its appositive ("Dorsal, a town on the coast")."""
    root = doc[tokens[0].i:tokens[-1].i + 1].root
    conjoined = False
    while root.dep_ == CONJ and root.head.i < root.i:  # "X and Y are villages"
        root, conjoined = root.head, True
    verb = root.head
    if conjoined and verb.lower_ not in ("are", "were"):
        return None  # "Oller ( born 1901 , Lyon ) is": no subject of its own
    after = tokens[-1].i + 1  # an appositive right after the name: "Dorsal, a town"
    nouns = [c for c in root.children if c.dep_ == APPOS and c.left_edge.i == after + 1 and doc[after].text == ","
             and c.left_edge.lower_ in ("a", "an")]  # ("X, the episode aired": a misparsed subject)
    if root.dep_ == NSUBJ and verb.lemma_ == "be" and verb.i > root.i and not any(c.dep_ == NEG for c in verb.children):
        nouns = [c for c in verb.children if c.dep_ == ATTR][:1] + nouns  # "is a member of X, an organization"
    if not nouns:
        # "Urgat (; ) is a town": a parenthesis after the subject can defeat the parser
        verb = _copula_after(doc, tokens[0].i, tokens[-1].i)
        nouns = [c for c in verb.children if c.dep_ == ATTR][:1] if verb is not None else []
    for noun in nouns:
        if noun.pos_ != "NOUN":
            continue
        word = noun.lemma_.lower()
        kind = _DEFINITION_KINDS.get(word) or (ORG if word.endswith(ORG_DESCRIPTOR_ENDING) else
                                              PERSON if word in PERSON_DESCRIPTORS else None)
        if kind is not None:
            return kind
    return None


_QUOTES = {'"': None, "\u201c": "open", "\u201d": "close"}
_QUOTE_MARK = re.compile('["\u201c\u201d]')  # (found by re, not a Python test per character)


def _quoted_titles(doc: Doc, weight: int) -> list[_Mention]:
    """Titles in quotation marks: songs, episodes, stories, poems are written so ("the single
    \" Paper Lanterns \"", AP Stylebook "composition titles"). A quoted phrase counts as
    one where its words are capitalised as a title's are (TITLE_SMALL_WORDS aside), it does
    not end as a sentence does, and it is no nickname inside a person's name
    ("Thomas \" Tom \" Smith")."""
    text, out = text_of(doc), []
    for line_start, line in _lines(text):
        marks = [m.start() for m in _QUOTE_MARK.finditer(line)]
        while len(marks) >= 2:
            a, b = marks[0], marks[1]
            if _QUOTES[line[a]] == "close" or _QUOTES[line[b]] == "open":
                marks = marks[1:]
                continue
            marks = marks[2:]
            inner = line[a + 1:b]
            words = inner.split()
            if not words or len(words) > MAX_TITLE_WORDS or inner.rstrip()[-1] in ".,;:" \
                    or not words[0][:1].isupper() or not all(
                    w[:1].isupper() or not w[:1].isalpha() or w.lower() in TITLE_SMALL_WORDS for w in words):
                continue
            before, after = line[:a].split()[-1:], line[b + 1:].split()[:1]
            if before and after and before[0][:1].isupper() and after[0][:1].isupper():
                continue  # a nickname: Thomas " Tom " Smith
            start = line_start + a + 1 + (len(inner) - len(inner.lstrip()))
            end = line_start + b - (len(inner) - len(inner.rstrip()))
            title = text[start:end]
            out.append(_Mention(start, end, title, WORK_OF_ART, " ".join(title.split()), weight))
    return out


def _religion_names(doc: Doc) -> list[_Mention]:
    """The words that name a religion or a church whatever their context ("converted to
    Protestantism", "a Protestant minister"), and a party's members as a noun ("the Tories
    lost"), where the model left them untagged: mentions of the body (GROUP_BODIES), unless
    part of a longer name ("Catholic University")."""
    return [_Mention(t.idx, t.idx + len(t.text), t.text, ORG, GROUP_BODIES[t.text])
            for t in _tokens_where(doc, ORTH, _RELIGION_IDS) if not t.ent_type_
            and (t.text in RELIGION_WORDS or t.text in PARTY_WORDS and t.dep_ not in (COMPOUND, AMOD))
            and not _inside_longer_name(doc, t.idx, t.idx + len(t.text))]


def _tokens_where(doc: Doc, attr: int, wanted) -> list:
    """The tokens whose ``attr`` (ORTH, LEMMA, DEP) has one of the ``wanted`` ids (from
    _string_ids), found in spaCy's array of the attribute: a pass over the Doc's Token
    objects cost more than the rules that read the few tokens it finds."""
    column = doc.to_array(attr)
    if len(wanted) == 1:
        found = column == wanted[0]
    else:  # (numpy.isin costs more on a Doc's few hundred tokens than a binary search)
        found = wanted[numpy.minimum(numpy.searchsorted(wanted, column), len(wanted) - 1)] == column
    return [doc[i] for i in numpy.flatnonzero(found).tolist()]


def _string_ids(values) -> numpy.ndarray:
    """The sorted ids spaCy stores for these strings (a hash, or a symbol's number: the
    same in every StringStore)."""
    return numpy.array(sorted({StringStore().as_int(v) for v in values}), dtype="uint64")


_APPOS_ID, _BE_ID, _RELIGION_IDS = _string_ids((APPOS,)), _string_ids(("be",)), _string_ids(RELIGION_WORDS | PARTY_WORDS)


def _capitalised_words(doc: Doc) -> set[str]:
    """The words written with a capital that do not begin a sentence (``{t.text for t in
    doc if t.text[:1].isupper() and not t.is_sent_start}``, from spaCy's arrays)."""
    text, out = text_of(doc), set()
    for idx, length, sent_start in doc.to_array([IDX, LENGTH, SENT_START]).tolist():
        if sent_start != 1 and text[idx:idx + 1].isupper():  # (is_sent_start is True where sent_start is 1)
            out.add(text[idx:idx + length])
    return out


def _lines(text: str):
    """(offset, line) of each line of the text."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _copula_after(doc: Doc, first: int, last: int):
    """The "is" of "X ( ... ) is a ...", or of "X is a ..." where X begins its sentence
    (a parse need not say so): the verb "be" right after the name or after a parenthesis
    that follows it (pronunciations, other names, dates of a reference work's opening)."""
    j = last + 1
    bracketed = j < len(doc) and doc[j].text.startswith("(")  # also "(;", one token
    if bracketed:
        depth = 0
        while j < len(doc) and not (j > last + 1 and doc[j].is_sent_start):
            depth += doc[j].text.count("(") - doc[j].text.count(")")
            j += 1
            if depth <= 0:
                break
    start = doc[first].is_sent_start or first == 1 and doc[0].lower_ == "the"
    if j < len(doc) and doc[j].lemma_ == "be" and (bracketed or start) and not doc[j].is_sent_start \
            and not any(c.dep_ == NEG for c in doc[j].children):
        return doc[j]
    return None


def _defined_names(doc: Doc, weight: int) -> list[_Mention]:
    """A name the model left untagged that a definition introduces ("Tallowra is a hamlet",
    "Night Ferry is an album by ..."): the subject of "be" whose complement's head noun
    says what it is (DEFINITION_HEADS). The name is the subject's words, all capitalised
    but for the small words names have."""
    out, capitalised = [], None
    for verb in _tokens_where(doc, LEMMA, _BE_ID):
        if verb.lemma_ != "be" or any(c.dep_ == NEG for c in verb.children):
            continue
        subj = next((c for c in verb.children if c.dep_ == NSUBJ and c.i < verb.i), None)
        attr = next((c for c in verb.children if c.dep_ == ATTR), None)
        if subj is None or attr is None or attr.pos_ != "NOUN" or subj.pos_ not in ("PROPN", "NOUN"):
            continue
        if subj.pos_ == "NOUN":
            # An unknown word the tagger takes for a noun at a sentence's start ("Tallowra
            # is a hamlet") is a name where the text writes it capitalised mid-sentence too.
            if capitalised is None:
                capitalised = _capitalised_words(doc)
            if subj.text not in capitalised:
                continue
        kind = _DEFINITION_KINDS.get(attr.lemma_.lower())
        first, last = subj.left_edge.i, subj.right_edge.i
        if kind is None:
            continue
        if doc[first].lower_ == "the" and (kind != WORK_OF_ART or doc[first].text == "the"):
            first += 1  # "The" begins a work's title, not an organisation's name
        words = doc[first:last + 1]
        if not len(words) or any(t.ent_type_ for t in words) or not all(
                t.text[:1].isupper() or t.lower_ in NAME_FUNCTION_WORDS or t.text in ("-", "'s") for t in words):
            continue
        if not words[0].text[:1].isupper() or not words[-1].text[:1].isupper():
            continue
        out.append(_Mention(words.start_char, words.end_char, words.text, kind, words.text, weight, defined=True))
    return out


def _descriptor_kind(doc: Doc, first: int) -> str | None:
    """PERSON or ORG when the word before a name describes it ("airline Ryanair"), a work
    ("the film Aranmor", "the single Paper Lanterns"), a place ("the town of Kelvadi")."""
    j = first - 1
    if j > 0 and doc[j].lower_ == "of" and doc[j - 1].lower_ in PLACE_OF_NOUNS and doc[j - 1].pos_ == "NOUN" \
            and doc[first].lower_ != "the":  # ("a member state of the Pacific Union")
        return PLACE
    if j >= 0 and doc[j].lower_ in DEFINITION_HEADS[WORK_OF_ART] and doc[j].pos_ == "NOUN" \
            and doc[j].dep_ != NSUBJ:  # ("the episode Brunel wrote")
        return WORK_OF_ART
    while j >= 0 and doc[j].is_punct and doc[j].text in ",":
        j -= 1
    if j < 0 or doc[j].pos_ not in ("NOUN", "PROPN"):
        return None
    word = doc[j].lower_.rstrip(".")
    if word in ORG_DESCRIPTORS or word.endswith(ORG_DESCRIPTOR_ENDING):
        return ORG
    if word in PERSON_DESCRIPTORS:
        return PERSON
    return None


def _family(kinds: set[str]) -> str:
    """Names merge only within a family: people, organisations and places can be
    confused by the model and are voted on; peoples, products, works... stay apart."""
    if kinds & {PERSON, ORG, PLACE}:
        return "named"
    return min(kinds)


def _acronyms(name: str) -> set[str]:
    """Initials of the capitalised words ("NFS"), also with the small words' initials
    ("TFF" for "Tears for Fears"), and without a legal form."""
    out = {"".join(w[0].upper() for w in re.split(r"[\s\-]+", name) if w and w[0].isalpha())}
    words = [w for w in re.split(r"[\s\-]+", name) if w and w[0].isupper()]
    out.add("".join(w[0] for w in words))
    while words and words[-1].lower().rstrip(".") in CORPORATE_SUFFIXES:
        words = words[:-1]
        out.add("".join(w[0] for w in words))
    return out


def _compatible(short: str, long: str, compounds: bool = False) -> bool:
    """Can ``short`` be a shorter reference to ``long``? Surnames, first parts of an
    organisation's name, and acronyms. ``compounds``: a spaced hyphen joins words into one
    (the part of a place's or organisation's compound name is another entity: "Prussia"
    beside "Brandenburg - Prussia"; a person's double surname is not: "Ajayi" for
    "Daniel Ajayi - Adeniran")."""
    s, l = (_words(short), _words(long)) if compounds else (short.split(), long.split())
    if len(s) >= len(l):
        return False
    if l[-len(s):] == s or l[: len(s)] == s:
        return True
    compact = short.replace(".", "")
    return len(compact) >= 2 and compact.isupper() and compact in _acronyms(long)


# A hyphen between spaced words ("Brandenburg - Prussia", as tokenised sources write
# "Brandenburg-Prussia"): the words it joins are one word of the name.
_SPACED_HYPHEN = re.compile(r"\s+[-\u2010\u2013]\s+")


def _words(name: str) -> list[str]:
    """The words of a name, a hyphenated compound one word ("Austria - Hungary" is not
    "Hungary" plus a first part, as "Austria-Hungary" is not)."""
    if "-" not in name and "\u2010" not in name and "\u2013" not in name:
        return name.split()  # (most names: no regular expression)
    return _SPACED_HYPHEN.sub("-", name).split()


def _branch(name: str, long: "_Cluster") -> bool:
    """Is ``long`` an organisation's branch in a country or continent that ``name`` begins
    ("Nintendo Australia", "GM Europe", "Holden New Zealand Limited" beside "Nintendo",
    "GM", "Holden")? The short name then names the parent organisation, not the branch
    (news and company style: "Ford Australia" is Ford's Australian arm)."""
    if long.kind() != ORG:
        return False
    words = name.split()
    for full in long.names:
        rest = full.split()
        if rest[:len(words)] != words:
            continue
        rest = rest[len(words):]
        while rest and rest[-1].rstrip(".").lower() in CORPORATE_SUFFIXES:
            rest = rest[:-1]
        place = " ".join(rest)
        if rest and (gazetteer.country(place) or gazetteer.continent(place)):
            return True
    return False


def _named_after(name: str, short: "_Cluster", long: "_Cluster") -> bool:
    """A place's name inside an organisation's ("Syracuse" in "Syracuse University",
    "Georgia" in "Georgia Power", "Munich" in "University of Munich") names the place the
    organisation is named after, not the organisation: a short name the model labels a
    place and the gazetteer knows as one stays apart (a label alone is not enough: "to
    AirTran" in a headline is labelled a place; a word that describes it is: "the province
    of Corvale" beside "the University of Corvale"). A person's surname labelled PLACE
    ("Jackson" after "Michael Jackson") still joins. A longer name that is the short one
    plus a feature or building ("Osaka Bay", "Cove Lake State Park", "Wayne Gretzky
    Drive") names another thing, named after it. So does a short name a definition gives
    another kind ("Brisk was a village" beside "Walter Brisk"), and one that follows "of"
    or its like in the longer name ("Lübeck" beside "Bay of Lübeck", "Pittsburgh" beside
    "Diocese of Pittsburgh", "Paris" beside "Conservatoire de Paris"): the longer name
    says what belongs to it."""
    long_kind = long.kind()
    if long_kind == ORG and short.kind() == PLACE and (gazetteer.is_place(name) or gazetteer.is_region(name) or any(
            m.kind == PLACE and m.weight > 1 for m in short.mentions)):  # "the province of Corvale"
        return True
    if any(m.defined for m in short.mentions) and short.kind() != long_kind:
        return True
    words = name.split()
    n = len(words)
    institution = short.kind() == ORG  # "Yale" for "Yale College": the college
    places = long_kind == PLACE and short.kind() == PLACE  # "St Louis" beside "East St Louis"
    return any(len(f) > n + 1 and f[-n:] == words and f[-n - 1].lower() in OF_WORDS
               or len(f) > n and (f[:n] == words and f[-1].lower() in NAMED_AFTER_HEADS
                               and not (institution and f[-1].lower() in INSTITUTION_HEADS)
                               or f[-n:] == words and len(f) == n + 1 and (
                                   f[0].lower() in PLACE_FIRST_WORDS or places and f[0].lower() in PLACE_QUALIFIERS))
               for f in (full.split() for full in long.names))


def _named_before(name: str, short: "_Cluster", long: "_Cluster", lead: int, text: str) -> bool:
    """A name the text uses before a longer name it begins names something else: "Sony"
    then "Sony Pictures", "Xbox" then "Xbox Live Arcade" (a writer shortens a name after
    giving it in full, not before). A headline (text before ``lead``) comes first but is
    written in short forms ("Ford sales spike" over "Ford Motor Company said"), so it does
    not count; nor does a legal form or "Party" added ("Chrysler" then "Chrysler LLC").
    A person's name is not concerned. The full name counts where ``text`` gives it,
    whether the model tagged it there or not ("Outright Distribution ... Outright")."""
    words = name.split()
    begun = [f[len(words):] for f in (n.split() for n in long.names) if f[:len(words)] == words]
    if long.kind() == PERSON or not begun or all(
            all(w.rstrip(".,").lower() in SHORTENED_ORG_SUFFIXES for w in rest) for rest in begun):
        return False
    short_at = _introduced(short, lead)
    if _introduced(long, lead) < short_at:
        return False
    for full in long.names:  # given in full before, untagged?
        for s, _ in whole_word_matches(text, full):
            if s >= short_at:
                break
            if s >= lead:
                return False
    return True


def _introduced(cluster: "_Cluster", lead: int) -> float:
    """Where the text after the headline first names the entity (never: infinity)."""
    return min((m.start for m in cluster.mentions if m.start >= lead), default=float("inf"))


def _headline_end(text: str) -> int:
    """The end of the headline: a first line that does not end a sentence ("Ford sales
    spike"), as headlines and titles are written; 0 where the text starts with prose."""
    first = text.split("\n", 1)[0].rstrip()
    return len(first) if "\n" in text and first and first[-1] not in ".!?\"'”" else 0


def _initialled(short: str, long: str) -> bool:
    """"J. H. Dearle" for "John Henry Dearle": the same surname, and initials for the
    other names, in order."""
    s, l = short.split(), long.split()
    if len(s) != len(l) or len(s) < 2 or s[-1] != l[-1] or s == l:
        return False
    return all(a == b or a.rstrip(".") == b[:1] and len(a.rstrip(".")) == 1 for a, b in zip(s[:-1], l[:-1]))


def _surname_of(name: str, long: "_Cluster") -> bool:
    """Does ``name`` end one of the (several-word) names of a person's cluster?"""
    words = name.split()
    return any(len(f) > len(words) and f[-len(words):] == words
               for f in (n.split() for n in long.names)) and long.kind() == PERSON


def _surname_before_suffix(words: list[str], long: "_Cluster") -> bool:
    """Is ``words`` (a person's name) the surname of a person's name written before a
    generational suffix or regnal number ("DeMott" for "William Charles DeMott II")? Both
    names must be people's: an organisation "Ford" is not "William Clay Ford Jr."."""
    n = len(words)
    return any(len(f) > n + 1 and f[-n - 1:-1] == words and NAME_SUFFIX.fullmatch(f[-1].rstrip(".,"))
               for f in (x.split() for x in long.names)) and long.kind() == PERSON


def _first_surname(words: list[str], short: "_Cluster", long: "_Cluster") -> bool:
    """Is the one word ``words`` the next-to-last word of a person's name of three or more
    ("Endara" for "Guillermo David Endara Galimany")? Spanish and Portuguese names put the
    father's surname before the mother's, and the first is the one used alone. A weaker
    reading than a last name: asked only where no other name fits."""
    return (len(words) == 1 and short.kind() == PERSON and long.kind() == PERSON
            and any(len(f) > 2 and f[-2] == words[0] for f in (n.split() for n in long.names)))


def _clipped(words: list[str], long: "_Cluster") -> bool:
    """Is ``words`` (an organisation's name of two words or more) the start of an
    organisation's name with its last word clipped ("Penske Auto" for "Penske Automotive
    Group", "Iowa Telecom" for "Iowa Telecommunications Services, Inc.")? News shortens
    company names so; the clipped word keeps at least four letters and loses at least
    three (a plural, "Ho - Chunks" beside "Ho - Chunk", is no clipping)."""
    n, last = len(words), words[-1]
    return len(last) >= 4 and any(
        len(f) >= n and len(f[n - 1]) >= len(last) + 3 and f[n - 1].startswith(last) and f[:n - 1] == words[:-1]
        for f in (x.split() for x in long.names)) and long.kind() == ORG


def _person_form(name: str, short: "_Cluster", long: "_Cluster", words: list[str] | None = None,
                 lone: bool | None = None) -> bool:
    """Is ``name`` a shorter form of a person's name that a reader takes for that person
    whatever the model's label: the surname ("Bohigian" after "David Bohigian", even
    labelled a nationality: one bad label does not split the person), or the
    first and last names without the middle ones ("Henrik Angell" for "Henrik August
    Angell"). A nationality word ("Chinese") is never a surname here.

    ``words`` (``name.split()``) and ``lone`` (``_lone_mislabelled(words, short)``) may be
    given, worked out once for the short name: this runs for every pair of names."""
    words = name.split() if words is None else words  # (cheap tests first)
    if len(words) == 2 and any(len(f) > 2 and f[0] == words[0] and f[-1] == words[-1]
                               for f in (n.split() for n in long.names)):
        return _family({m.kind for m in short.mentions}) == "named" and long.kind() == PERSON
    if lone is None:
        lone = _lone_mislabelled(words, short)
    return lone and _surname_of(name, long) and gazetteer.demonym(name) is None


def _lone_mislabelled(words: list[str], short: "_Cluster") -> bool:
    """Is the short name one word whose every mention has a label a surname gets by mistake
    (MISLABELLED_SURNAME_KINDS) and names no country or people?"""
    return len(words) == 1 and all(m.kind in MISLABELLED_SURNAME_KINDS and m.place is None and m.group_of is None
                                   for m in short.mentions)


def _referent(name: str, short: "_Cluster", parents: list["_Cluster"], lead: int = 0,
              opening: tuple[int, int] = (-1, -1)) -> list["_Cluster"]:
    """Of several people a short name fits ("Piccard" after "Franck Piccard" and his
    sister "Leila Piccard"), the one introduced first: news and reference style name a
    person in full first and by surname after, and tell a namesake introduced later apart
    by a first name (AP Stylebook, "second reference"). Where the short name comes only
    after the namesake, the person is unsure, unless the first is the one the text opens
    with (``opening``: where the first name after the headline ``lead`` starts, and where
    its sentence ends), the namesake comes after that sentence, and the short name is the
    first's surname: a biography or profile names its subject first and by surname
    throughout, and relatives in full ("Alfred Zantzig was ... the grandson of Clarence
    Zantzig ... Zantzig graduated"). A surname names a person before an
    organisation called after one ("Morris" after "William Morris" and "Morris & Co."); an
    acronym is the name it abbreviates, not others written with it ("New GM").
    A name several organisations or places begin ("BBC" beside "BBC One" and "BBC HD")
    names none of them: it stays its own entity."""
    compact = name.replace(".", "")
    expanded = [c for c in parents if compact.isupper() and any(compact in _acronyms(n) for n in c.names)]
    if len(expanded) == 1:
        return expanded  # "GM" is "General Motors", not "New GM" or "GM Europe" built on it
    people = [c for c in parents if c.kind() == PERSON]
    if len(people) < len(parents):
        people = [c for c in people if _surname_of(name, c)] if short.kind() not in (ORG, PLACE) else []
    if not people:
        # "GM" after "General Motors" and a misspelt "General Motor": one name, twice
        return [min(parents, key=_first_named)] if _one_name_written_twice([c.full for c in parents]) else parents
    first, *others = sorted(people, key=_first_named)
    if others and _first_named(short) > min(map(_first_named, others)) and not (
            _introduced(first, lead) == opening[0] and min(map(_first_named, others)) >= opening[1]
            and _surname_of(name, first)):
        return parents  # the namesake was already named when the short name came
    return [first]


def _opening_sentence(doc: Doc, names: list[_Mention], lead: int) -> tuple[int, int]:
    """Where the first name after the headline starts, and where its sentence ends
    ((-1, -1) without one)."""
    first = min((m for m in names if m.start >= lead), key=lambda m: m.start, default=None)
    if first is None or not doc.has_annotation("SENT_START"):
        return (-1, -1)
    span = doc.char_span(first.start, first.end, alignment_mode="expand")
    return (first.start, span.sent.end_char) if span else (-1, -1)


def _first_named(cluster: "_Cluster") -> int:
    return min(m.start for m in cluster.mentions)


def _one_name_written_twice(names: list[str]) -> bool:
    """Are these names one name written differently: a legal form ("Ford Motor Co.",
    "Ford Motor Company"), a letter ("General Motor"), an accent?"""
    keys = [_compact(key_name(ORG, n)) for n in names]
    return all(difflib.SequenceMatcher(None, keys[0], k).ratio() >= NAME_VARIANT_SIMILARITY for k in keys[1:])


@functools.lru_cache(maxsize=65536)  # (twice per mention when clustering, and names recur)
def _compact(name: str) -> str:
    """"TimeCo", "Time Co" and "Time Co." written alike; "Durán" and "Duran" too (a name
    is often written without its accents)."""
    folded = unicodedata.normalize("NFKD", re.sub(r"[\s.\-]+", "", name).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _written_forms(names: list[str], kind: str) -> list[str]:
    """The names of an entity, and the other ways news writes them: an organisation's
    name run together ("Time Co" -> "TimeCo") and without its legal form or "Party"
    ("Labour Party" -> "Labour", "Acme Corp." -> "Acme")."""
    out = list(names)
    if kind == ORG:
        for name in names:
            words = name.split()
            if len(words) == 2 and words[1].rstrip(".").lower() in CORPORATE_SUFFIXES:
                out.append(words[0] + words[1].rstrip("."))
            while len(words) > 1 and words[-1].rstrip(".").lower() in SHORTENED_ORG_SUFFIXES:
                words = words[:-1]
                out.append(" ".join(words))
    return list(dict.fromkeys(out))


class _Cluster:
    def __init__(self, name: str):
        self.names: list[str] = [name]
        self.mentions: list[_Mention] = []
        self.place: gazetteer.Place | None = None
        self._kind: tuple | None = None  # (what the vote read, its winner): see kind()

    @property
    def full(self) -> str:
        return max(self.names, key=lambda n: (len(n.split()), len(n), n))

    def kind(self) -> str:
        if self.place is not None:
            return PLACE
        # Clustering asks every cluster its kind for every name: the vote is counted again
        # only when the cluster gained a name or mention (they are only ever added, and a
        # mention's kind, name and weight are set before it joins a cluster).
        read = (id(self.mentions), len(self.mentions), len(self.names))
        if self._kind is not None and self._kind[0] == read:
            return self._kind[1]
        winner = self._vote()
        self._kind = (read, winner)
        return winner

    def _vote(self) -> str:
        # One vote per name written, not per mention: a surname the model mislabels ten
        # times ("Casanova" ORG) does not outvote the full name it shortens ("Giacomo
        # Casanova" PERSON). A name's vote is shared among the labels its mentions got,
        # and weighs as its strongest mention (a descriptor, a full personal name).
        by_name: dict[str, list[_Mention]] = defaultdict(list)
        for m in self.mentions:
            by_name[m.name].append(m)
        votes = Counter()
        for ms in by_name.values():
            total = sum(m.weight for m in ms)
            if not total:
                continue
            strength = max(m.weight for m in ms)
            per_kind = Counter()
            for m in ms:
                per_kind[m.kind] += m.weight
            for kind, w in per_kind.items():
                votes[kind] += strength * w / total  # summed first: no rounding splits a tie
        if not votes:
            votes = Counter(m.kind for m in self.mentions)
        winner = sorted(votes.items(), key=lambda kv: (-kv[1], NAME_KINDS.index(kv[0]) if kv[0] in NAME_KINDS else 99))[0][0]
        # A tie between a place and an organisation goes to the place where the name is
        # a place of the gazetteer ("Bucharest" labelled GPE once and ORG once).
        if winner == ORG and votes[PLACE] == votes[ORG] and gazetteer.is_place(self.full):
            return PLACE
        return winner


@Language.factory(
    "kg_entities",
    default_config={"descriptor_weight": 5, "definition_weight": 10, "full_name_weight": 2,
                    "city_vote_population": 100_000, "city_weight": 2, "find_missed": True,
                    "min_missed_name_chars": 3},
    requires=["doc.ents", "token.ent_type", "token.tag", "token.dep", "token.head"],
    assigns=["doc._.kg_entities"],
)
def make_entities(nlp: Language, name: str, descriptor_weight: int, definition_weight: int, full_name_weight: int,
                  city_vote_population: int, city_weight: int, find_missed: bool, min_missed_name_chars: int):
    """Weights of a mention in its entity's kind vote (a label counts 1): descriptor_weight
    for a descriptor word ("airline Ryanair", "Spokeswoman Sandy Angers"), definition_weight for
    a definition ("Tallowra is a hamlet", "Dorsal, a town on the coast"), full_name_weight
    for a PERSON label on a name of several words, city_weight for a lone PERSON-labelled
    name that is a city of at least city_vote_population people (GeoNames). find_missed:
    look for untagged later mentions of names of at least min_missed_name_chars characters."""
    return EntityConsolidator(EntitySettings(descriptor_weight, definition_weight, full_name_weight,
                                             city_vote_population, city_weight, find_missed, min_missed_name_chars))


class EntityConsolidator:
    """Writes ``doc._.kg_entities``: one EntityRecord per entity of the article."""

    def __init__(self, settings: EntitySettings = EntitySettings()):
        self.settings = settings

    def __call__(self, doc: Doc) -> Doc:
        cfg = self.settings
        doc_ents = doc.ents  # (made anew, a Span per entity, on each read)
        ents, products = _product_names(doc, _joint_area_bodies(doc, doc_ents))
        text = text_of(doc)  # (a Span's text is the Doc's from its start_char to its end_char)
        ents = [e for e in ents if text[e.start_char:e.end_char].strip(" .") not in TIME_ZONES
                and not _headline_phrase(doc, e)]
        # A quoted title is one name, whatever the model made of its words; a title a
        # model's name runs into or across is left to the model.
        titles = [t for t in _quoted_titles(doc, 1)  # (a label's weight: "Nokia" in quotes is still Nokia)
                  if not any(e.start_char < t.end and t.start < e.end_char
                             and not (t.start <= e.start_char and e.end_char <= t.end) for e in ents)]
        ents = [e for e in ents if not any(t.start <= e.start_char and e.end_char <= t.end for t in titles)]
        mentions = [m for ent in ents if ent.label_ in LABEL_KINDS if (m := _clean(doc, ent, cfg))]
        mentions += titles
        mentions += products
        # No mention of a place inside an organisation's name: "German" in "the German
        # Finance Ministry" is part of that name, not a mention of Germany.
        mentions += _flight_operators(doc, doc_ents, cfg.descriptor_weight)
        mentions += _appositive_names(doc, cfg.descriptor_weight)
        mentions += [m for m in _defined_names(doc, cfg.definition_weight)  # (a quoted title is one already)
                     if not any(o.start < m.end and m.start < o.end for o in mentions)]
        mentions += [m for m in _religion_names(doc) if not any(o.start < m.end and m.start < o.end for o in mentions)]
        names = [m for m in mentions if m.kind in NAME_KINDS]
        values = [m for m in mentions if m.kind not in NAME_KINDS]
        lead = _headline_end(text_of(doc))
        clusters = self._cluster(names, text, lead, _opening_sentence(doc, names, lead))
        if cfg.find_missed:
            self._find_missed(doc, doc_ents, clusters, mentions, cfg.min_missed_name_chars)
        doc._.kg_entities = self._records(clusters, values, text_of(doc))
        return doc

    def _cluster(self, mentions: list[_Mention], text: str, lead: int = 0,
                 opening: tuple[int, int] = (-1, -1)) -> list[_Cluster]:
        """``text``: the article's; ``lead``: where the headline ends; ``opening``: the start
        of the first name after it and the end of its sentence."""
        # A name in capitals (a headline, a dateline "LONDON") is the name written
        # normally elsewhere in the article.
        # Names that differ only in spacing or full stops ("TimeCo", "Time Co") are one.
        cased = {}
        for m in sorted(mentions, key=lambda m: (m.name.isupper(), -len(m.name.split()), m.name)):
            cased.setdefault(_compact(m.name), m.name)
        by_name: dict[str, list[_Mention]] = defaultdict(list)
        for m in mentions:
            m.name = cased[_compact(m.name)]
            by_name[m.name].append(m)
        # Countries and continents first: every name of one, and every adjective for it
        # ("Russian"), is one cluster whatever the label the model gave.
        clusters: dict[str, _Cluster] = {}
        for name in sorted(by_name):
            group = by_name[name]
            if any(m.place for m in group):
                place = next(m.place for m in group if m.place)
                is_name = False
            elif any(m.kind in (PLACE, ORG) for m in group) or not any(
                    _compatible(name, other) and any(m.kind == PERSON for m in by_name[other])
                    for other in by_name):
                # A country's whole name is the country, whatever the label, unless it
                # is part of a person's name here ("Jordan" after "Michael Jordan").
                place = gazetteer.country(name) or gazetteer.continent(name)
                is_name = True
            else:
                continue
            if place is None:
                continue
            c = clusters.setdefault(f"geo:{place.geonameid}", _Cluster(place.name))
            if is_name and name not in c.names:
                c.names.append(name)
            c.place = place
            c.mentions += by_name.pop(name)
        # Longest names first; a shorter name joins the one longer name it can refer to.
        order = sorted(by_name, key=lambda n: (-len(n.split()), -len(n), n))
        named: list[_Cluster] = []
        for name in order:
            kinds = {m.kind for m in by_name[name]}
            family = _family(kinds)
            own = _Cluster(name)
            own.mentions = by_name[name]
            words = name.split()
            lone = _lone_mislabelled(words, own)
            person = own.kind() == PERSON
            clippable = len(words) > 1 and own.kind() == ORG
            # (the family first: cheaper than comparing the names, and false for most)
            parents = [c for c in named if (_family({c.kind()}) == family
                                            and any(_compatible(name, n, c.kind() != PERSON) or _initialled(name, n)
                                                    for n in c.names)
                                            or _person_form(name, own, c, words, lone)
                                            or person and _surname_before_suffix(words, c)
                                            or clippable and _clipped(words, c))
                       and not _named_after(name, own, c) and not _named_before(name, own, c, lead, text)]
            if not parents:
                parents = [c for c in named if _first_surname(words, own, c)]
            if any(_branch(name, c) for c in parents):
                # "Ford" beside "Ford Australia": the parent company, none of the names it begins
                # ("Ford Falcon"); "GM" beside "GM Europe" is still "General Motors"
                parents = [c for c in parents if not any(n.split()[:len(words)] == words for n in c.names)]
            if len(parents) > 1:
                parents = _referent(name, own, parents, lead, opening)
            if len(parents) == 1:
                parents[0].names.append(name)
                parents[0].mentions += by_name[name]
                continue
            c = _Cluster(name)
            c.mentions += by_name[name]
            named.append(c)
        return list(clusters.values()) + named

    def _find_missed(self, doc: Doc, doc_ents, clusters: list[_Cluster], taken: list[_Mention],
                     min_chars: int) -> None:
        """Mentions of a known name that the model did not tag (as a reader would)."""
        text = text_of(doc)
        covered = _Covered(len(text))
        for m in taken:
            covered.add(m.start, m.end)
        for ent in doc_ents:
            covered.add(ent.start_char, ent.end_char)
        surnames = _surnames(clusters)
        for c in clusters:
            kind = c.kind()
            for name, until in [(n, None) for n in _written_forms(c.names, kind)] + surnames.get(id(c), []):
                if len(name) < min_chars or not name[0].isupper():
                    continue
                for s, e in whole_word_matches(text, name):
                    if until is not None and s >= until or covered.overlaps(s, e) or _inside_longer_name(doc, s, e):
                        continue
                    covered.add(s, e)
                    c.mentions.append(_Mention(s, e, name, kind, name, 0))

    def _records(self, clusters: list[_Cluster], values: list[_Mention], text: str) -> list[EntityRecord]:
        resolved = _resolve_places(clusters, text)
        places: dict[int, gazetteer.Place] = {}  # id(record) -> its place
        by_geo: dict[int, str] = {}  # geonameid -> entity id, filled once ids are known
        pending: list[tuple[EntityRecord, _Cluster]] = []
        out = []
        for c in clusters:
            kind = c.kind()
            label = c.place.name if c.place else c.full
            spans = [(m.start, m.end, m.text) for m in c.mentions]
            if kind not in (PERSON, ORG):
                spans = [_without_article(*span, place=kind == PLACE) for span in spans]
            rec = EntityRecord(id="", kind=kind, label=label, key="",
                               mentions=[Mention(*span) for span in sorted(spans)])
            rec.alt_labels = sorted({n for n in c.names if n != label})
            pending.append((rec, c))
            place = resolved.get(label, c.place) if kind == PLACE else c.place
            if place is not None:
                places[id(rec)] = place
                if place.geonameid and place.name != label:  # the gazetteer's name is canonical
                    rec.alt_labels = sorted({*rec.alt_labels, label} - {place.name})
                    rec.label = label = place.name
                rec.country_code = place.country_code if place.is_country else None
                if place.iri:
                    rec.same_as = [place.iri]
                rec.lat, rec.long = place.lat, place.long
                rec.key = f"place:geonames:{place.geonameid}" if place.geonameid else f"place:{gazetteer.norm(label)}"
            else:
                rec.key = entity_key(kind, label)
            out.append(rec)
        for m in values:
            out.append(EntityRecord(id="", kind=m.kind, label=m.text, key="",
                                    mentions=[Mention(m.start, m.end, m.text)]))
        out.sort(key=lambda r: (r.mentions[0].start, r.mentions[0].end, r.label))
        for i, r in enumerate(out):
            r.id = f"e{i}"
        # Peoples point to their country's entity where the article mentions it.
        for r in out:
            if r.key.startswith("place:geonames:"):
                by_geo[int(r.key.rsplit(":", 1)[1])] = r.id
        for r, c in pending:
            group_of = next((m.group_of for m in c.mentions if m.group_of), None)
            if group_of is not None:
                r.nationality = by_geo.get(group_of.geonameid)
        # The places a place lies in: the article's entity where it mentions the place,
        # else the GeoNames resource (no unmentioned entity in the article's graph).
        by_place = {places[id(r)].ident: r.id for r in out if id(r) in places}
        for r in out:
            place = places.get(id(r))
            if place is not None:
                r.place_type, r.region_code = place.kind, place.code
                r.contained_in = [ref for q in gazetteer.containers(place) if (ref := by_place.get(q.ident) or q.iri)]
        return out


class _Covered:
    """Character spans taken by mentions, as a mark per character: does a span overlap
    one (``s < end and start < e`` for some taken ``(start, end)``)? Asked for every
    occurrence of every name, a scan of the spans cost more than finding the names."""

    def __init__(self, length: int):
        self._marks = bytearray(length)
        self._empty: list[tuple[int, int]] = []  # empty spans mark no character: kept apart

    def add(self, start: int, end: int) -> None:
        if start < end:
            self._marks[start:end] = b"\x01" * (end - start)
        else:
            self._empty.append((start, end))

    def overlaps(self, s: int, e: int) -> bool:
        """(for a non-empty span s:e)"""
        return self._marks.find(1, s, e) >= 0 or any(s < ce and cs < e for cs, ce in self._empty)


def _surnames(clusters: list[_Cluster]) -> dict[int, list[tuple[str, int | None]]]:
    """id(cluster) -> [(surname, until)] for each person named in full whose surname alone
    is no other entity's name: news names a person in full once and by surname after (AP
    Stylebook, "second reference"), where the model may miss it ("Fradique de Menezes ...
    Menezes said"). Of family members sharing a surname, the surname alone is the one
    introduced first until the next is named (``until``, their first mention's offset;
    None: to the end), as ``_referent`` reads it where the model tagged it ("Betty Bowes
    ... Bowes studied ... her husband Thomas Bowes")."""
    known = {n for c in clusters for n in c.names}
    by_surname: dict[str, list[_Cluster]] = defaultdict(list)
    for c in clusters:
        words = c.full.split()
        if c.kind() != PERSON or len(words) < 2:
            continue
        last = words[-1]
        if not last[:1].isupper() or not last.isalpha() or last.lower() in TITLES or NAME_SUFFIX.fullmatch(last) \
                or last.lower() in NAME_FUNCTION_WORDS:
            continue
        by_surname[last].append(c)
    out: dict[int, list[tuple[str, int | None]]] = {}
    for name, cs in by_surname.items():
        first, *others = sorted(cs, key=_first_named)
        if gazetteer.demonym(name) is not None or name in known and not any(name in c.names for c in cs):
            continue
        until = min(map(_first_named, others)) if others else None
        if until is None or _first_named(first) < until and name not in first.names:
            out[id(first)] = [(name, until)]
    return out


def _inside_longer_name(doc: Doc, start: int, end: int) -> bool:
    """Is the text at start:end a piece of a longer name: a capitalised proper noun right
    before or after it in its sentence ("Becker" in "Cy Becker", "Osaka" in "Osaka Bay",
    "Ford" in "Ford Taurus")? A title before it ("President Obama") or after it ("Apple
    CEO") is no part of a name."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False

    def name_word(t) -> bool:
        return t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_.rstrip(".") not in TITLES

    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return (before is not None and not span[0].is_sent_start and name_word(before)
            or after is not None and not after.is_sent_start and name_word(after))


_ARTICLE = re.compile(r"^(?:the|The|an?)\s+(?=\S)")


def _without_article(start: int, end: int, text: str, place: bool) -> tuple[int, int, str]:
    """A mention without the article English grammar puts before a name ("the PlayStation
    2", "the Land Ordinance", "a Pre-Columbian"): a name's own article is capitalised ("The
    Jungle Book").
    A place's mention loses it capitalised too ("the Baltic Sea", "The Cayman Islands"
    opening a sentence: the name is "Baltic Sea"), but a country's name in running text
    keeps it, as the country's short name is written with it ("the United States", "the
    Netherlands"; ISO 3166 short names marked "(the)")."""
    m = _ARTICLE.match(text)
    if m is None or text[0] == "t" and gazetteer.country(text[m.end():]) is not None or text[0] == "T" and not place:
        return start, end, text
    return start + m.end(), end, text[m.end():]


def _resolve_places(clusters: list[_Cluster], text: str) -> dict[str, gazetteer.Place]:
    """The gazetteer's reading of the article's place names (``gazetteer.resolve``), by
    label. A country named by an adjective ("Georgian") is certain; one named by its name
    may be a namesake ("Georgia" beside Atlanta). A gazetteer match needs the whole name:
    "Olympic" cut from "Olympic Stadium" is no town called Olympic. "A, B" in the text
    (two place mentions with a comma between) says that A lies in B."""
    names, known, label_at, spans = [], [], {}, []
    for c in clusters:
        if c.place is not None and (not c.place.is_country or any(m.place for m in c.mentions)):
            known.append(c.place)
            continue
        if c.place is None and (c.kind() != PLACE or all(m.cut for m in c.mentions)):
            continue
        label = c.place.name if c.place else c.full
        names.append(label)
        for m in c.mentions:
            label_at[m.start] = label
            spans.append((label, m.end))
    written = {(label, label_at[end + 2]) for label, end in spans
               if text[end:end + 2] == ", " and label_at.get(end + 2, label) != label}
    return gazetteer.resolve(names, known, written)


def whole_word_matches(text: str, name: str):
    """(start, end) of each occurrence of name not inside a longer word or hyphenated
    compound: what re.finditer(r"(?<![\\w-])NAME(?![\\w-])") gives, without compiling a
    pattern per name (the re cache holds 512; a corpus has more names)."""
    n, i = len(name), text.find(name)
    while i >= 0:
        e = i + n
        if (i == 0 or not _word_char(text[i - 1])) and (e == len(text) or not _word_char(text[e])):
            yield i, e
            i = text.find(name, e)
        else:
            i = text.find(name, i + 1)


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "_-"  # re's \w is str.isalnum() plus "_"
