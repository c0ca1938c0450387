"""Which words mention events, and of which class of the taxonomy (ontology/events.ttl).

Verb lemmas are grouped by CAMEO root code where one fits (Schrodt, CAMEO Event Data
Codebook 1.1b3, 2012: the scheme GDELT uses), with VerbNet class membership (Kipper
Schuler 2005) as the guide for which verbs belong together; news classes CAMEO lacks
(offers, votes, transactions, personnel, finance, production) follow FrameNet frames
(Commerce_buy, Change_of_leadership, Manufacturing, ...). Event nouns are TimeBank /
NomBank nominalisations frequent in news. A verb not listed is still an event, of class
Occurrence. Used by kg_events (kg/nlp/events.py); tests: tests/test_events_quotes.py.
"""
from __future__ import annotations

from kg.nlp.lexicons.dependencies import ATTR, DOBJ, NSUBJ, NSUBJPASS, OPRD, PREP

# class local name -> verb lemmas
VERB_CLASSES: dict[str, tuple[str, ...]] = {
    "Statement": ("say", "announce", "state", "declare", "claim", "tell", "add", "note", "explain",
                  "report", "signal", "comment", "describe", "confirm", "disclose", "reveal",
                  "acknowledge", "admit", "insist", "predict", "estimate", "write", "call", "argue",
                  "suggest", "indicate", "assert", "repeat", "respond", "reply", "answer", "publish"),
    "Appeal": ("ask", "urge", "appeal", "request", "call", "plead", "seek", "petition"),
    "IntentToCooperate": ("promise", "pledge", "agree", "commit", "vow", "intend", "plan"),
    "Consultation": ("meet", "visit", "discuss", "negotiate", "talk", "consult", "host", "attend",
                     "gather", "convene", "confer"),
    "Cooperation": ("cooperate", "collaborate", "partner", "ally", "join", "work", "help",
                    "support", "assist", "back", "endorse", "sign"),
    "Aid": ("aid", "fund", "finance", "rescue", "bail", "lend", "loan", "donate", "grant", "subsidize", "subsidise"),
    "Yield": ("yield", "concede", "surrender", "withdraw", "retreat", "ease", "release", "comply", "accept"),
    "Investigation": ("investigate", "interrogate", "question", "probe", "inquire", "examine",
                      "inspect", "review", "audit", "assess", "study"),
    "Demand": ("demand", "require", "insist"),
    "Disapproval": ("criticize", "criticise", "accuse", "blame", "condemn", "denounce", "complain",
                    "doubt", "disagree", "oppose", "object", "deny", "dispute", "question", "outrage"),
    "Rejection": ("reject", "refuse", "dismiss", "veto", "rebuff", "spurn", "block"),
    "Threat": ("threaten", "warn", "ultimatum"),
    "Protest": ("protest", "demonstrate", "strike", "boycott", "rally", "march"),
    "Coerce": ("sanction", "arrest", "detain", "expel", "ban", "seize", "impose", "deport", "confiscate"),
    "Assault": ("attack", "bomb", "kill", "shoot", "assault", "injure", "wound", "murder", "kidnap"),
    "Fight": ("fight", "battle", "clash", "invade", "war"),
    "Offer": ("offer", "propose", "bid", "tender"),
    "Vote": ("vote", "elect", "ballot"),
    "Approval": ("approve", "pass", "authorize", "authorise", "ratify", "allow", "permit", "clear",
                 "endorse", "adopt", "enact", "accept"),
    "Transaction": ("buy", "sell", "purchase", "acquire", "order", "pay", "trade", "sign", "merge",
                    "invest", "spend", "cost", "lease", "export", "import", "own", "price", "exchange", "win"),
    "Personnel": ("appoint", "hire", "name", "nominate", "resign", "fire", "dismiss", "retire",
                  "employ", "recruit", "promote", "replace", "succeed", "lead", "head", "step", "quit", "lay"),
    "Financial": ("earn", "lose", "profit", "gain", "fall", "rise", "drop", "increase", "decrease",
                  "decline", "grow", "shrink", "cut", "post", "report", "plunge", "soar", "slump",
                  "jump", "climb", "owe", "borrow", "default", "bankrupt", "file", "restructure", "reduce", "save"),
    "Production": ("produce", "make", "build", "manufacture", "develop", "design", "launch", "unveil",
                   "deliver", "assemble", "introduce", "test", "roll", "ship", "supply", "create", "complete"),
    "Movement": ("fly", "travel", "arrive", "depart", "land", "move", "return", "leave", "come", "go",
                 "drive", "take", "transport", "tour", "enter"),
    "LegalAction": ("charge", "sue", "convict", "sentence", "indict", "prosecute", "rule", "try",
                    "appeal", "settle", "fine", "acquit", "testify", "extradite"),
    "Crime": ("hack", "meddle", "interfere", "steal", "bribe", "defraud", "evade", "leak", "spy", "launder"),
    "Cognition": ("believe", "think", "consider", "expect", "hope", "know", "assume", "fear", "want",
                  "decide", "determine", "realize", "see", "understand", "feel"),
    "Closure": ("close", "shut", "end", "cancel", "halt", "stop", "suspend", "delay", "postpone", "eliminate", "terminate"),
    "Start": ("start", "begin", "open", "resume", "establish", "found", "create", "launch", "initiate"),
}
# class local name -> event nouns (lemmas; multiword as written)
NOUN_CLASSES: dict[str, tuple[str, ...]] = {
    "Consultation": ("summit", "meeting", "press conference", "news conference", "conference", "talk",
                     "talks", "visit", "negotiation", "discussion", "session", "hearing", "interview",
                     "consultation", "forum", "ceremony"),
    "Statement": ("statement", "announcement", "comment", "remark", "speech", "claim", "report",
                  "testimony", "address", "declaration", "assessment", "interview"),
    "Offer": ("offer", "proposal", "bid", "proposition", "idea"),
    "Rejection": ("rejection", "refusal", "veto", "denial"),
    "Appeal": ("request", "appeal", "plea", "call"),
    "Vote": ("vote", "ballot", "referendum"),
    "Election": ("election", "primary", "poll", "campaign", "race"),
    "Approval": ("approval", "resolution", "authorization", "ratification", "permission", "endorsement"),
    "Transaction": ("deal", "purchase", "sale", "sales", "acquisition", "order", "merger", "contract",
                    "investment", "payment", "transaction", "agreement", "takeover", "buyout", "lease", "trade"),
    "Personnel": ("appointment", "resignation", "retirement", "layoff", "job cut", "nomination", "hiring", "dismissal"),
    "Financial": ("loss", "profit", "bankruptcy", "revenue", "earnings", "growth", "decline", "increase",
                  "cut", "recession", "crisis", "bailout", "loan", "debt", "default", "downturn", "restructuring"),
    "Production": ("production", "launch", "delivery", "development", "test", "rollout", "roll-out", "unveiling", "manufacturing"),
    "Movement": ("flight", "trip", "journey", "tour", "arrival", "departure", "landing", "takeoff", "visit"),
    "LegalAction": ("lawsuit", "trial", "charge", "investigation", "probe", "inquiry", "ruling",
                    "verdict", "indictment", "arrest", "sentence", "case", "settlement"),
    "Crime": ("crime", "hacking", "evasion", "fraud", "meddling", "interference", "theft", "bribery", "scandal", "tax evasion"),
    "Disapproval": ("criticism", "backlash", "accusation", "complaint", "outrage", "condemnation"),
    "Investigation": ("interrogation", "review", "audit", "inspection", "examination"),
    "Assault": ("attack", "bombing", "shooting", "assault", "killing", "murder", "crash", "accident"),
    "Fight": ("war", "battle", "fight", "conflict", "clash", "invasion"),
    "Protest": ("protest", "strike", "demonstration", "boycott", "rally"),
    "Aid": ("aid", "rescue", "assistance", "subsidy", "funding", "help", "support"),
    "Closure": ("closure", "shutdown", "cancellation", "delay", "suspension"),
    "Threat": ("threat", "warning", "ultimatum"),
    "Cooperation": ("cooperation", "partnership", "alliance", "collaboration"),
    "Occurrence": ("event", "incident", "process", "operation", "change", "move", "effort", "action", "plan"),
}
# Lemmas of verbs that are never events on their own (light and support verbs, as
# PropBank's "LV" light-verb annotation and NomBank's support verbs).
NON_EVENT_VERBS = {"be", "have", "do", "get", "let", "become", "seem", "appear", "include", "mean",
                   "use", "involve", "remain"}


# Nominalisations that name an institution, a body or a thing rather than an event
# (NomBank marks these as non-eventive senses: "the government", "the management").
NON_EVENT_NOUNS = {"government", "administration", "management", "department", "establishment",
                   "parliament", "organization", "organisation", "division", "equipment",
                   "document", "instrument", "apartment", "settlement", "institution", "foundation",
                   "association", "corporation", "federation", "commission", "committee", "population",
                   "official", "professional", "capital", "building", "aviation", "nation"}
# Zero-derived event nouns (NomBank's "same form" nominalisations: "the collapse", "a
# ban"): a noun whose lemma is a listed event verb is an event of that verb's class,
# except these homographs whose noun sense is mostly a thing, a person or a place.
CONVERSION_NOUN_EXCLUDED = {
    "head", "post", "file", "ship", "land", "name", "back", "work", "price", "make", "design",
    "host", "march", "supply", "exchange", "rule", "question", "study", "fine", "pass", "permit",
    "lead", "step", "try", "roll", "state", "note", "answer", "end", "open", "found", "clear",
    "import", "export", "own", "charge", "trade", "sign", "comment", "release", "view", "plant",
    "cost", "object", "call", "save", "stop", "take", "go", "come", "leave", "drive", "tour", "move",
    "review", "estimate", "report", "claim", "address", "interview", "bid", "order", "cut", "test",
    "fund", "loan", "aid", "ally", "partner", "lay", "complete", "close", "ease", "yield",
    "profit", "gain", "rally", "strike", "war", "bomb", "appeal", "fear", "feel", "see", "want",
}
# Verbs in a prepositional use ("according to", "following the vote", "including"): a
# relation, not an event (PTB tags them VBG/VBN, the parser attaches them as "prep").
PREPOSITIONAL_DEPS = {PREP}

# Argument positions of a verb (ClearNLP dependency labels read as PropBank arguments:
# Arg0 = active subject, Arg1 = passive subject / object / attribute).
SUBJECT_DEPS = {NSUBJ}
PASSIVE_SUBJECT_DEPS = {NSUBJPASS}
OBJECT_DEPS = {DOBJ, ATTR, OPRD}
# Prepositions whose object is where an event happens (ACE 2005 "Place" argument; written for kg).
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "from"}
# Verbs whose "to" phrase is a recipient (VerbNet give-13.1, send-11.1, tell-37.2).
GIVING_VERBS = {"give", "offer", "send", "sell", "provide", "hand", "grant", "award", "lend", "pay", "deliver", "tell"}
# Object-control verbs: the object is the subject of the xcomp ("allow the Kremlin to
# interrogate"; VerbNet classes allow-64, urge-58, force-59, order-60, want-32.1).
OBJECT_CONTROL_VERBS = ("allow", "permit", "ask", "urge", "force", "help", "tell", "want", "order")
# Plural descriptions of the people just named ("the two leaders"); written for kg.
GROUP_NOUNS = {"leaders", "men", "women", "presidents", "sides", "officials", "executives", "ministers"}
COUNT_WORDS = {"two": 2, "both": 2, "three": 3}
# Suffixes of deverbal event nouns (NomBank nominalisations) when the noun is not listed.
EVENT_NOUN_SUFFIXES = ("tion", "sion", "ment", "ance", "ence", "ure", "al", "ing", "ade", "sis")
# Nominal suffixes and what may stand in their place on the verb (NomBank / CatVar style
# derivations): decision -> decide, reduction -> reduce, closure -> close, filing -> file.
NOMINAL_SUFFIXES = (
    ("ization", ("ize",)), ("isation", ("ise", "ize")), ("ation", ("ate", "e", "")), ("ition", ("ite", "e", "")),
    ("ution", ("ute", "ve")), ("ction", ("ct", "ce")), ("ption", ("pt", "be", "ve")), ("tion", ("te", "t", "")),
    ("ssion", ("ss", "t", "de")), ("sion", ("de", "d", "se", "t")), ("ment", ("",)),
    ("ance", ("", "e")), ("ence", ("", "e")), ("ure", ("e", "")), ("al", ("e", "")),
    ("ing", ("", "e")), ("sis", ("ze", "se")),
)
# Prepositions of an event noun and the role of their object (NomBank arguments of
# nominalisations: "the offer of X" Arg1, "by X" Arg0, "between / with / among X" co-actors).
NOUN_PREP_ROLES = {"of": "patient", "by": "agent", "between": "actor", "with": "actor", "among": "actor"}
# Event classes whose noun takes its agent from "from" ("an offer from Putin") and its
# recipient from "to" / "for" ("aid to Ukraine"); written for kg.
SOURCE_AGENT_CLASSES = ("Offer", "Statement", "Appeal", "Threat", "Demand")
RECIPIENT_PREPS = ("to", "for")
RECIPIENT_CLASSES = ("Offer", "Aid", "Transaction")


def _first_class(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for cls, words in table.items():
        for w in words:
            out.setdefault(w, cls)
    return out


VERB_CLASS = _first_class(VERB_CLASSES)
NOUN_CLASS = _first_class(NOUN_CLASSES)
EVENT_CLASSES = tuple(sorted(set(VERB_CLASSES) | set(NOUN_CLASSES)))
