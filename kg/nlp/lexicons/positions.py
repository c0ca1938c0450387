"""Title words of people's positions, for kg_positions (kg/nlp/positions.py).
Tests: tests/test_positions_coref.py."""
from __future__ import annotations

# Head words of titles (AP Stylebook "titles"; ISCO-08 major groups 1-2 as used in news).
TITLE_WORDS = {
    "president", "vice", "prime", "minister", "secretary", "chancellor", "king", "queen",
    "prince", "princess", "senator", "representative", "congressman", "congresswoman",
    "governor", "mayor", "judge", "justice", "general", "admiral", "colonel", "captain",
    "ambassador", "envoy", "diplomat", "chief", "executive", "officer", "ceo", "cfo", "coo",
    "chairman", "chairwoman", "chair", "director", "spokesman", "spokeswoman", "spokesperson",
    "attorney", "deputy", "premier", "commissioner", "founder", "co-founder", "head", "leader",
    "speaker", "press", "adviser", "advisor", "counsel", "analyst", "economist", "financier",
    "businessman", "businesswoman", "investor", "banker", "lawyer", "journalist", "reporter",
    "editor", "correspondent", "professor", "scientist", "researcher", "manager", "owner",
    "partner", "official", "lawmaker", "legislator", "candidate", "nominee", "activist",
    "author", "writer", "actor", "actress", "singer", "coach", "player", "pilot", "engineer",
    "designer", "inspector", "investigator", "prosecutor", "aide", "member", "councillor",
    "councilor", "treasurer", "auditor", "board", "pope", "bishop", "cardinal", "sheikh", "emir",
}
# Titles of office: a country before them is where the office is, not only a nationality
# (ACE 2005 ORG-AFF Employment vs. GEN-AFF Citizen; written for kg).
OFFICE_WORDS = {
    "president", "minister", "secretary", "chancellor", "king", "queen", "senator", "governor",
    "mayor", "ambassador", "envoy", "premier", "representative", "congressman", "congresswoman",
    "lawmaker", "official", "prosecutor", "judge", "justice", "general", "admiral", "speaker",
    "spokesman", "spokeswoman", "spokesperson", "diplomat", "commissioner", "attorney",
}
# Words that make a position a past one (Wikidata "end time" qualifiers in news; written for kg).
FORMER_WORDS = {"former", "ex", "then", "ex-", "erstwhile", "onetime", "one-time", "retired", "outgoing"}
# Prepositions joining a title to its organisation or place ("minister of", "ambassador to").
PREPOSITIONS = {"to", "of", "at", "for"}
# The preposition of a destination that is part of the title ("ambassador to Russia").
DESTINATION_PREPOSITION = "to"
