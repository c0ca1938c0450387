"""Events with roles (kg_events), the taxonomy, and quotations (kg_quotes)."""
from __future__ import annotations

import pytest

from pathlib import Path

import rdflib
from rdflib import OWL, RDF

from kg.rdf.taxonomy import KGE
from kg.nlp.lexicons.events import EVENT_CLASSES

from .conftest import SEEDS

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def _named(rec):
    names = {e.id: e.label for e in rec.entities}
    names.update({v.id: v.label for v in rec.events})
    return names


def roles(rec, label):
    names = _named(rec)
    evs = [v for v in rec.events if v.label == label]
    assert evs, f"no {label!r} event among {[v.label for v in rec.events]}"
    return [{(r.role, names.get(r.target)) for r in v.roles} for v in evs], evs


def test_taxonomy_namespace_ontology_and_lexicon_agree():
    g = rdflib.Graph().parse(ONTOLOGY / "events.ttl")
    ns = str(KGE._NS)
    declared = {str(s)[len(ns):] for k in (OWL.Class, OWL.AnnotationProperty) for s in g.subjects(RDF.type, k)}
    assert declared == set(KGE.__annotations__)
    assert set(EVENT_CLASSES) <= declared
    for cls in EVENT_CLASSES:
        assert (rdflib.URIRef(ns + cls), rdflib.RDFS.subClassOf, rdflib.URIRef(ns + "Event")) in g


def test_active_passive_and_coordination(extract):
    rec = extract("Boeing sold ten jets to Qantas and delivered them in Sydney on March 3, 2010. "
                  "The deal was approved by the European Commission.")
    (sold,), _ = roles(rec, "sell")
    assert ("agent", "Boeing") in sold and ("recipient", "Qantas") in sold
    (delivered,), evs = roles(rec, "deliver")
    assert ("agent", "Boeing") in delivered  # shared subject of the conjoined verb
    assert [e.label for e in rec.entities if e.id in evs[0].places] == ["Sydney"]
    (approved,), _ = roles(rec, "approve")
    assert ("agent", "European Commission") in approved and ("theme", "deal") in approved


def test_control_verbs_pass_their_arguments(extract):
    rec = extract("Vladimir Putin offered to permit American investigators to question Russian officials. "
                  "Congress voted to allow the FBI to interview them.")
    (permit,), _ = roles(rec, "permit")
    assert ("agent", "Vladimir Putin") in permit
    (interview,), _ = roles(rec, "interview")
    assert ("agent", "FBI") in interview


def test_nominal_events_possessive_compound_and_between(extract):
    rec = extract("Leaders gathered for the Geneva summit between Angela Merkel and Emmanuel Macron on Friday. "
                  "Observers welcomed Macron's proposal.")
    (summit,), evs = roles(rec, "summit")
    assert {("actor", "Angela Merkel"), ("actor", "Emmanuel Macron")} <= summit
    assert [e.label for e in rec.entities if e.id in evs[0].places] == ["Geneva"]
    (proposal,), _ = roles(rec, "proposal")
    assert ("agent", "Emmanuel Macron") in proposal


def test_event_as_argument_of_an_event_and_negation(extract):
    rec = extract("The minister rejected Ford's offer. Sony would not accept the merger.")
    (rejected,), _ = roles(rec, "reject")
    assert ("theme", "offer") in rejected
    (offer,), _ = roles(rec, "offer")
    assert ("agent", "Ford") in offer
    accept = next(v for v in rec.events if v.label == "accept")
    assert accept.negated


def test_mentions_of_one_nominal_event_merge(extract):
    rec = extract("Toyota held a press conference in Tokyo. At the press conference, Akio Toyoda apologised.")
    pcs = [v for v in rec.events if v.label == "press conference"]
    assert len(pcs) == 1 and len(pcs[0].mentions) == 2


def test_seed_events(extract):
    from kg.reading.articles import iter_articles

    art = next(iter_articles([SEEDS]))
    rec = extract(art.body, article_id=art.id)
    names = _named(rec)
    rejects = [v for v in rec.events if v.type == "Rejection" and v.lemma == "reject"]
    assert rejects and ("agent", "Donald Trump") in {(r.role, names.get(r.target)) for r in rejects[0].roles}
    theme = [names[r.target] for r in rejects[0].roles if r.role == "theme"]
    assert theme == ["offer"]
    vote = next(v for v in rec.events if v.type == "Vote")
    assert ("agent", "Senate") in {(r.role, names.get(r.target)) for r in vote.roles}
    assert any(v.type == "Approval" and v.lemma == "approve" for v in rec.events)


def test_quotes_speakers_across_sentences(extract):
    from kg.reading.articles import iter_articles

    art = next(iter_articles([SEEDS]))
    rec = extract(art.masked_body(), article_id=art.id)
    names = {e.id: e.label for e in rec.entities}
    by_start = {q.text[:20]: q for q in rec.quotes}
    q = by_start["It is a proposal tha"]
    assert names[q.speaker] == "Sarah Sanders" and q.cue.text == "said" and q.direct
    assert names[by_start["He said it was an in"].speaker] == "Sarah Sanders"  # "said Sanders" after the quote
    assert names[by_start["He offered to have t"].speaker] == "Donald Trump"  # cue in the sentence before
    assert not any(q.text.strip("'\u2019 ") == "incredible offer" for q in rec.quotes)  # scare quotes


def test_reported_speech_and_pronoun_speaker(extract):
    rec = extract('Angela Merkel arrived late. "We will find a solution for everyone," she said. '
                  "Emmanuel Macron said the plan would fail within a year.")
    names = {e.id: e.label for e in rec.entities}
    direct = [q for q in rec.quotes if q.direct]
    assert names[direct[0].speaker] == "Angela Merkel"
    reported = [q for q in rec.quotes if not q.direct]
    assert reported and names[reported[0].speaker] == "Emmanuel Macron"
    assert reported[0].text.startswith("the plan would fail")


def _event_words(rec):
    return {m.text for v in rec.events for m in v.mentions}


def test_non_event_words_are_not_events(extract):
    rec = extract("The government said that, according to analysts, the proposal was based on existing rules "
                  "and the management approved the proposed deal.")
    words = _event_words(rec)
    assert {"said", "proposal", "approved", "proposed", "deal"} <= words
    assert not words & {"government", "according", "existing", "management"}


def test_zero_derived_event_nouns(extract):
    rec = extract("After the ban on exports, prices saw a plunge and the dispute went on.")
    classes = {v.label: v.type for v in rec.events}
    assert classes.get("ban") == "Coerce" and classes.get("plunge") == "Financial"
    assert classes.get("dispute") == "Disapproval"


def test_a_described_participant_is_mentioned_by_its_head_not_by_the_names_it_contains(extract):
    rec = extract("Vladimir Putin offered to permit American investigators to question Russian officials. "
                  "Police arrested the Berlin-based artist. Their car workers left the new plant. "
                  "The companies' names were changed.")
    unnamed = {e.label: [m.text for m in e.mentions] for e in rec.entities if e.kind == "UNNAMED"}
    # the names inside keep their own mentions; the whole description is the label
    assert unnamed["American investigators"] == ["investigators"]
    assert unnamed["Russian officials"] == ["officials"]
    assert unnamed["Berlin - based artist"] == ["artist"]
    # determiners and adjectives describe; compounded nouns and a common-noun possessor stay
    assert unnamed["new plant"] == ["plant"]
    assert unnamed["Their car workers"] == ["car workers"]
    assert unnamed["companies ' names"] == ["companies' names"]
    (permit,), _ = roles(rec, "permit")
    assert ("patient", "American investigators") in permit


def test_quotation_continued_into_the_next_paragraph(extract):
    """British and wire style: each paragraph of a long quotation opens again, only the last
    closes. The open paragraph is a quote of the speaker of the one that closes, and the
    marks do not pair across the paragraphs (with blank lines, single line breaks, or none:
    paragraphs run together into one line, where the mark opening the next one follows a
    sentence's end and a space)."""
    for gap in ("\n\n", "\n", " "):
        rec = extract(f"Union leader Mary Jones criticised the plan on Monday.{gap}"
                      f'"This is a betrayal of every worker in the country. We will not accept it.{gap}'
                      f'"We will fight it in the courts and on the streets," she said.{gap}'
                      f"The minister, Tom Brown, said he was disappointed by the response of the unions.")
        names = {e.id: e.label for e in rec.entities}
        direct = [(q.text, names.get(q.speaker)) for q in rec.quotes if q.direct]
        assert direct == [("This is a betrayal of every worker in the country. We will not accept it.", "Mary Jones"),
                          ("We will fight it in the courts and on the streets,", "Mary Jones")], gap
        assert not any('"' in q.text for q in rec.quotes), gap


def test_a_continued_quotation_run_into_one_line_keeps_its_speaker(extract):
    """'... peace and harmony. "However, ...': the first paragraph's quote was left open and
    the next one opens; its speaker is the first one's, though a later sentence's cue
    ("The President said") names no one."""
    rec = extract('"We want peace," Mary Jones said. "Let the two countries move towards harmony. '
                  '"However, we are fully prepared to face all consequences." The President said he had the '
                  '"support of all political parties". Analysts were unsure.')
    names = {e.id: e.label for e in rec.entities}
    assert [(q.text, names.get(q.speaker)) for q in rec.quotes if q.direct][:3] == [
        ("We want peace,", "Mary Jones"), ("Let the two countries move towards harmony.", "Mary Jones"),
        ("However, we are fully prepared to face all consequences.", "Mary Jones")]


def test_a_closing_mark_whose_opening_one_is_missing_does_not_open_a_quote(extract):
    """'Our record is fine," he said.': the writer left the opening mark out. Taken as an
    opening mark it would pair with the next quote's and turn the rest inside out."""
    rec = extract('Mary Jones rejected the criticism. Our record is very fine," she said. "We are a generous '
                  'donor to the fund. "We honour our obligations." Mary Jones also said the rules were old.')
    names = {e.id: e.label for e in rec.entities}
    direct = [(q.text, names.get(q.speaker)) for q in rec.quotes if q.direct]
    assert direct == [("We are a generous donor to the fund.", "Mary Jones"),
                      ("We honour our obligations.", "Mary Jones")]
    # and an opening mark right after a colon or a dash still opens
    rec = extract('Mary Jones said:"We will fight." Tom Hart replied —"We will win."')
    assert [q.text for q in rec.quotes if q.direct] == ["We will fight.", "We will win."]


def test_quotation_opened_after_its_cue_and_continued(extract):
    rec = extract('Tom Brown, the minister, said: "We have listened to everyone and the plan is fair.\n\n'
                  '"Nobody will lose out under these changes."\n\nThe unions disagree.')
    names = {e.id: e.label for e in rec.entities}
    assert [(q.text, names.get(q.speaker), q.direct) for q in rec.quotes] == [
        ("We have listened to everyone and the plan is fair.", "Tom Brown", True),
        ("Nobody will lose out under these changes.", "Tom Brown", True)]


def test_a_quotation_continued_past_the_sentences_near_its_cue_keeps_its_speaker(extract):
    """The cue is two sentences back, inside nothing the continuation touches: the
    paragraph the open one continues gives its speaker."""
    rec = extract('The chancellor defended the budget.\n\n"We have taken difficult decisions," Tom Brown told '
                  'the BBC. "They are paying off for families.\n\n"But there is more to do, and we will not stop '
                  'now."\n\nAnalysts were unconvinced.')
    names = {e.id: e.label for e in rec.entities}
    assert [(q.text, names.get(q.speaker)) for q in rec.quotes if q.direct] == [
        ("We have taken difficult decisions,", "Tom Brown"), ("They are paying off for families.", "Tom Brown"),
        ("But there is more to do, and we will not stop now.", "Tom Brown")]


@pytest.mark.parametrize("text,speaker", [
    ('Sarah Jones said the school was full. Her colleague Tom Hart added that the new building was a great '
     'success.', "Tom Hart"),
    ("The minister was away. His spokesman John Smith said that the talks would continue next week.", "John Smith"),
])
def test_the_name_in_apposition_to_the_subject_is_the_speaker(extract, text, speaker):
    """"Her colleague Tom Hart added": Tom Hart, not "her"; "his spokesman John Smith"."""
    rec = extract(text)
    names = {e.id: e.label for e in rec.entities}
    assert [names.get(q.speaker) for q in rec.quotes if not q.direct][-1] == speaker


def test_unclosed_quotation_before_a_paragraph_of_narration_is_no_quote_and_a_wrapped_one_goes_on(extract):
    rec = extract('Mary Jones said: "We will not accept this plan.\n\nThe minister declined to comment.')
    assert not [q for q in rec.quotes if q.direct]
    rec = extract('Mary Jones said: "We will not accept this plan and we will fight it\nin the courts," she said.')
    assert [q.text for q in rec.quotes if q.direct] == [
        "We will not accept this plan and we will fight it\nin the courts,"]
