"""Events of general news beyond business: event words of other domains and their
classes, copular states, passives, places that are not actors, and the time and place an
event shares with the clause it belongs to (kg/nlp/events.py, kg/nlp/lexicons/events.py).
Sentences written for these tests."""
from __future__ import annotations

from kg.nlp.events import Nominalisations


def _events(rec):
    return {v.mentions[0].text: v for v in rec.events}


def _agents(rec, word):
    """The names of the agents of the event a word mentions."""
    names = _names(rec)
    return [names[r.target] for r in _events(rec)[word].roles if r.role == "agent"]


def _names(rec):
    names = {e.id: e.label for e in rec.entities}
    names.update({v.id: v.label for v in rec.events})
    names.update({t.id: t.text for t in rec.times})
    return names


def test_event_words_of_other_domains_have_their_classes(extract):
    rec = extract("Arsenal beat Chelsea in the final. A jury convicted the coach of fraud after the robbery. "
                  "The singer cancelled her concert after an injury. Scientists announced the discovery of a comet. "
                  "The outbreak infected dozens of children, and two patients died. "
                  "Floods destroyed the harbour, and the couple postponed their wedding.")
    ev = _events(rec)
    expected = {"beat": "Contest", "final": "Contest", "robbery": "Crime", "concert": "Performance",
                "injury": "Injury", "discovery": "Research", "outbreak": "Medical", "infected": "Medical",
                "died": "Death", "Floods": "Disaster", "destroyed": "Damage", "wedding": "LifeEvent"}
    assert {w: ev[w].type for w in expected if w in ev} == expected


def test_verbs_of_sending_forcing_speaking_and_needing_have_their_classes(extract):
    rec = extract("Troops captured the town and the army sent reinforcements. Fires forced residents to flee. "
                  "The minister spoke to reporters and expressed concern over the allegations. "
                  "Farmers need rain, and officials heard the appeal.")
    ev = _events(rec)
    expected = {"captured": "Coerce", "sent": "Movement", "forced": "Coerce", "spoke": "Statement",
                "expressed": "Statement", "allegations": "Disapproval", "need": "Cognition", "heard": "Cognition"}
    assert {w: ev[w].type for w in expected if w in ev} == expected


def test_born_is_a_birth_and_bearing_a_cost_is_not(extract):
    """"born" is "bear" to the lemmatiser (VERB_FORM_CLASSES)."""
    ev = _events(extract("Smith was born in Leeds in 1950. His family bore the cost of the move."))
    assert ev["born"].type == "LifeEvent"
    assert ev["bore"].type != "LifeEvent"


def test_a_verb_whose_lemma_lost_its_final_e_keeps_its_class(extract):
    """The lemmatiser gives "fin" for "fined": the listed "fine" is meant."""
    ev = _events(extract("The firm was fined again in May."))
    assert (ev["fined"].type, ev["fined"].label) == ("LegalAction", "fine")


def test_a_disaster_striking_is_the_disaster(extract):
    rec = extract("An earthquake struck southern Chile on Sunday. Workers went on strike.")
    ev = _events(rec)
    assert ev["earthquake"].type == "Disaster" and ev["struck"].type == "Disaster"
    assert ev["strike"].type == "Protest"  # the noun keeps its own class


def test_doubled_consonant_nominalisations():
    deverbal = Nominalisations(frozenset({"stab", "mug", "bid"}), min_chars=6, min_stem_chars=3)
    assert deverbal("stabbing") and deverbal("mugging") and deverbal("bidding")
    assert not deverbal("pudding")


def test_copula_main_verbs_and_predicative_adjectives_are_states(extract):
    rec = extract("Toyota is profitable. Honda has three factories. Nissan has sold more cars.")
    names = _names(rec)
    ev = _events(rec)
    assert ev["is"].type == "State" and ev["profitable"].type == "State"
    assert ("patient", "Toyota") in {(r.role, names[r.target]) for r in ev["profitable"].roles}
    assert ("patient", "Toyota") in {(r.role, names[r.target]) for r in ev["is"].roles}
    assert ev["has"].type == "State"  # "have" as the main verb
    assert sum(v.lemma == "have" for v in rec.events) == 1  # the auxiliary "has sold" is not an event


def test_the_attribute_of_a_copula_is_no_participant(extract):
    rec = extract("Mary Barra is the chief executive.")
    names = _names(rec)
    (be,) = [v for v in rec.events if v.lemma == "be"]
    assert {names[r.target] for r in be.roles} == {"Mary Barra"}


def test_a_place_modifying_the_actor_is_not_the_actor(extract):
    rec = extract("Texas police arrested a man in Dallas. Kenya's president signed the bill.")
    names = _names(rec)
    kinds = {e.id: e.kind for e in rec.entities}
    ev = _events(rec)
    for word in ("arrested", "signed"):
        agents = [r.target for r in ev[word].roles if r.role == "agent"]
        assert agents and all(kinds[a] != "PLACE" for a in agents), (word, [names[a] for a in agents])
    assert [names[p] for p in ev["arrested"].places] == ["Dallas"]


def test_a_description_with_a_name_in_apposition_is_the_named_participant(extract):
    rec = extract("The national secretary of the Tarvia Metal Workers Union, Ned Galt, says talks failed. "
                  "The company's chairman, Ann Lee, approved the merger. A spokesman said nothing.")
    assert _agents(rec, "says") == ["Ned Galt"]
    assert _agents(rec, "approved") == ["Ann Lee"]
    # with no name beside it, the description is still the participant
    assert _agents(rec, "said") == ["spokesman"]


def test_conjoined_passives_share_the_agent(extract):
    rec = extract("The suspect was arrested and charged by detectives on Friday.")
    names = _names(rec)
    ev = _events(rec)
    for word in ("arrested", "charged"):
        assert ("agent", "detectives") in {(r.role, names[r.target]) for r in ev[word].roles}, word


def test_participle_clause_shares_time_and_place(extract):
    rec = extract("A car bomb exploded in Baghdad on Monday, killing 12 people.", published="2024-05-08")
    names = _names(rec)
    ev = _events(rec)
    assert [names[p] for p in ev["killing"].places] == ["Baghdad"]
    assert [names[t] for t in ev["killing"].times] == ["Monday"]


def test_the_place_of_the_place(extract):
    rec = extract("A gunman opened fire at a school in Uvalde.")
    names = _names(rec)
    assert [names[p] for p in _events(rec)["opened"].places] == ["Uvalde"]


def test_a_nominalisation_modifying_a_noun_is_not_an_event(extract):
    rec = extract("The finance minister resigned after the vote.")
    assert "finance" not in _events(rec)
    assert {"resigned", "vote"} <= set(_events(rec))


def test_timeml_event_nouns(extract):
    rec = extract("The attempt ended in failure, and the problem remained.")
    assert {"attempt", "failure", "problem"} <= set(_events(rec))


def test_a_by_phrase_hung_on_a_noun_is_the_passive_agent(extract):
    rec = extract("The senator was accused of corruption by prosecutors.")
    names = _names(rec)
    ev = _events(rec)
    assert ("agent", "prosecutors") in {(r.role, names[r.target]) for r in ev["accused"].roles}
    assert not any(r.role == "agent" for r in ev["corruption"].roles)


def test_relative_pronoun_stands_for_its_noun(extract):
    rec = extract("Ministers praised the treaty, which was signed by Sweden and Norway. "
                  "The tornado that tore through Kentucky killed 70 people.")
    names = _names(rec)
    ev = _events(rec)
    assert ("patient", "treaty") in {(r.role, names[r.target]) for r in ev["signed"].roles}
    assert ev["tore"].type == "Disaster"


def test_with_phrase_of_an_interaction_verb_is_a_co_actor(extract):
    rec = extract("Protesters clashed with police in Hong Kong.")
    names = _names(rec)
    assert ("actor", "police") in {(r.role, names[r.target]) for r in _events(rec)["clashed"].roles}


def test_a_place_possessing_a_located_event_is_its_place(extract):
    rec = extract("Italy's earthquake killed 30 people. Russia's offer surprised diplomats.")
    names = _names(rec)
    ev = _events(rec)
    assert [names[p] for p in ev["earthquake"].places] == ["Italy"]
    assert not ev["earthquake"].roles
    assert ("agent", "Russia") in {(r.role, names[r.target]) for r in ev["offer"].roles}


def test_support_verb_object_shares_time_and_place(extract):
    rec = extract("The two sides held talks in Cairo on Monday.", published="2024-05-08")
    names = _names(rec)
    talks = _events(rec)["talks"]
    assert [names[p] for p in talks.places] == ["Cairo"] and [names[t] for t in talks.times] == ["Monday"]


def test_a_passive_clause_inherits_its_subject_as_patient(extract):
    rec = extract("A cyclist died after being hit by a lorry. The minister resigned and was replaced by his deputy.")
    names = _names(rec)
    ev = _events(rec)
    hit = {(r.role, names[r.target]) for r in ev["hit"].roles}
    assert ("patient", "cyclist") in hit and ("agent", "lorry") in hit
    replaced = {(r.role, names[r.target]) for r in ev["replaced"].roles}
    assert ("patient", "minister") in replaced and ("agent", "minister") not in replaced


def test_object_control_verbs_and_purpose_clauses(extract):
    rec = extract("The ministry persuaded the carmaker to recall the vehicles. "
                  "The company used the money to repay its lenders.")
    assert _agents(rec, "recall") == ["carmaker"]
    assert _agents(rec, "repay") == ["company"]
