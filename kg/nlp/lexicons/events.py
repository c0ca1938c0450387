"""Which words mention events, and of which class of the taxonomy (ontology/events.ttl).

Verb lemmas are grouped by CAMEO root code where one fits (Schrodt, CAMEO Event Data
Codebook 1.1b3, 2012: the scheme GDELT uses), with VerbNet class membership (Kipper
Schuler 2005) as the guide for which verbs belong together; news classes CAMEO lacks
(offers, votes, transactions, personnel, finance, production) follow FrameNet frames
(Commerce_buy, Change_of_leadership, Manufacturing, ...). General-news classes come from
ACE 2005 event types (Life: Death, Injury, LifeEvent) and FrameNet frames (Disaster,
Damage, Contest, Medical, Research, Performance); copular and light verbs are TimeML
STATE events (State). Event nouns are TimeBank / NomBank nominalisations frequent in news
and the ACE 2005 triggers of those types. A verb not listed is still an event, of class
Occurrence. Used by kg_events (kg/nlp/events.py); tests: tests/test_events_quotes.py,
tests/test_event_phenomena.py.
"""
from __future__ import annotations

from kg.nlp.lexicons.dependencies import ATTR, DOBJ, NSUBJ, NSUBJPASS, OPRD, PREP

# Copular, light and support verbs (PropBank's "LV" light verbs, NomBank's support verbs)
# are still events in TimeML (class STATE / I_STATE) and in the NewsReader / MEANTIME
# guidelines (class GRAMMATICAL: "is", "has", "remains", "includes" as main verbs), so they
# are events of class State. A "be" or "have" that is the auxiliary of another verb is not.
STATE_VERBS = ("be", "have", "remain", "become", "seem", "appear", "include", "involve", "mean")
# Dependency labels of an auxiliary (ClearNLP: aux, auxpass) and of a predicative adjective
# (acomp: "is profitable", "was willing"), which TimeML annotates as a STATE event.
AUXILIARY_DEPS = {"aux", "auxpass"}
PASSIVE_AUX_DEPS = {"auxpass"}  # "being hit", "to be elected", "and was replaced"
# Verbs whose subject is PropBank's Arg1 (the thing described, be.01 / become.01 /
# remain.01) and whose attribute is the Arg2 (the description), not a participant.
COPULAR_VERBS = {"be", "become", "remain", "seem", "appear", "stay"}
PREDICATIVE_DEPS = {"acomp"}

# class local name -> verb lemmas
VERB_CLASSES: dict[str, tuple[str, ...]] = {
    "Statement": ("say", "announce", "state", "declare", "claim", "tell", "add", "note", "explain",
                  "report", "signal", "comment", "describe", "confirm", "disclose", "reveal",
                  "acknowledge", "admit", "insist", "predict", "estimate", "write", "call", "argue",
                  "suggest", "indicate", "assert", "repeat", "respond", "reply", "answer", "publish",
                  # VerbNet say-37.7, talk-37.5, inform-37.9
                  "speak", "express", "allege", "mention", "inform", "brief", "notify"),
    "Appeal": ("ask", "urge", "appeal", "request", "call", "plead", "seek", "petition"),
    "IntentToCooperate": ("promise", "pledge", "agree", "commit", "vow", "intend", "plan"),
    "Consultation": ("meet", "visit", "discuss", "negotiate", "talk", "consult", "host", "attend",
                     "gather", "convene", "confer", "debate"),
    "Cooperation": ("cooperate", "collaborate", "partner", "ally", "join", "work", "help",
                    "support", "assist", "back", "endorse", "sign",
                    # CAMEO 051 praise or endorse, 055 apologize
                    "praise", "welcome", "hail", "applaud", "thank", "congratulate", "commend", "honour",
                    "honor", "apologise", "apologize"),
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
    "Coerce": ("sanction", "arrest", "detain", "expel", "ban", "seize", "impose", "deport", "confiscate",
               # CAMEO 173 arrest, detain; VerbNet force-59
               "capture", "force", "compel", "raid"),
    "Assault": ("attack", "bomb", "kill", "shoot", "assault", "murder", "kidnap", "stab", "strangle", "rape",
                "behead", "torture", "massacre", "ambush", "shell", "explode", "detonate", "gun"),
    "Fight": ("fight", "battle", "clash", "invade", "war"),
    "Offer": ("offer", "propose", "bid", "tender"),
    "Vote": ("vote", "elect", "ballot"),
    "Approval": ("approve", "pass", "authorize", "authorise", "ratify", "allow", "permit", "clear",
                 "endorse", "adopt", "enact", "accept"),
    "Transaction": ("buy", "sell", "purchase", "acquire", "order", "pay", "trade", "sign", "merge",
                    "invest", "spend", "cost", "lease", "export", "import", "own", "price", "exchange", "receive", "award", "transfer"),
    "Personnel": ("appoint", "hire", "name", "nominate", "resign", "fire", "dismiss", "retire",
                  "employ", "recruit", "promote", "replace", "succeed", "lead", "head", "step", "quit", "lay",
                  "swear", "inaugurate", "sack", "oust", "depose", "reinstate"),
    "Financial": ("earn", "lose", "profit", "gain", "fall", "rise", "drop", "increase", "decrease",
                  "decline", "grow", "shrink", "cut", "post", "report", "plunge", "soar", "slump",
                  "jump", "climb", "owe", "borrow", "default", "bankrupt", "file", "restructure", "reduce", "save"),
    "Production": ("produce", "make", "build", "manufacture", "develop", "design", "launch", "unveil",
                   "deliver", "assemble", "introduce", "test", "roll", "ship", "supply", "create", "complete"),
    "Movement": ("fly", "travel", "arrive", "depart", "land", "move", "return", "leave", "come", "go",
                 "drive", "take", "transport", "tour", "enter",
                 "evacuate", "flee", "escape", "migrate", "sail", "cross",
                 # VerbNet send-11.1, bring-11.3, carry-11.4; CAMEO 15 exhibit force posture
                 "send", "bring", "carry", "deploy", "dispatch", "ride", "walk"),
    "LegalAction": ("charge", "sue", "convict", "sentence", "indict", "prosecute", "rule", "try",
                    "appeal", "settle", "fine", "acquit", "testify", "extradite",
                    "jail", "imprison", "plead", "pardon", "overturn", "uphold", "execute", "impeach"),
    "Crime": ("hack", "meddle", "interfere", "steal", "bribe", "defraud", "evade", "leak", "spy", "launder",
              "rob", "burgle", "loot", "smuggle", "traffic", "hijack", "poach", "embezzle", "extort", "vandalize",
              "vandalise", "abuse"),
    "Cognition": ("believe", "think", "consider", "expect", "hope", "know", "assume", "fear", "want",
                  "decide", "determine", "realize", "see", "understand", "feel",
                  # TimeML I_STATE and PERCEPTION verbs (Sauri et al. 2006, 2.2.1.2)
                  "need", "wish", "prefer", "hear", "notice", "recognise", "recognize", "remember", "forget",
                  "worry"),
    "Closure": ("close", "shut", "end", "cancel", "halt", "stop", "suspend", "delay", "postpone", "eliminate", "terminate"),
    "Start": ("start", "begin", "open", "resume", "establish", "found", "create", "launch", "initiate"),
    "State": STATE_VERBS,
    # ACE 2005 Life events (Linguistic Data Consortium, ACE English Annotation Guidelines for
    # Events 5.4.3, 2005): Die, Injure, Be-Born / Marry / Divorce.
    "Death": ("die", "drown", "perish", "starve", "suffocate"),
    "Injury": ("injure", "wound", "hurt", "maim"),
    "LifeEvent": ("marry", "wed", "divorce", "bury"),
    # FrameNet Catastrophe, Weather, Fire_burning.
    "Disaster": ("erupt", "flood", "burn", "rain", "snow"),
    # FrameNet Damaging, Destroying.
    "Damage": ("destroy", "damage", "collapse", "demolish", "wreck", "ruin", "devastate", "raze", "flatten",
               "topple"),
    # FrameNet Competition, Beat_opponent, Win_prize, Finish_competition.
    "Contest": ("beat", "defeat", "score", "win", "play", "compete", "qualify", "triumph", "equalise",
                "equalize", "tie", "race", "thrash", "outscore"),
    # FrameNet Medical_intervention, Cure, Medical_conditions.
    "Medical": ("infect", "treat", "vaccinate", "immunize", "immunise", "diagnose", "hospitalize",
                "hospitalise", "recover", "heal", "cure", "transplant", "quarantine"),
    # FrameNet Research, Becoming_aware, Scrutiny.
    "Research": ("discover", "find", "observe", "detect", "identify", "research", "analyse", "analyze",
                 "measure", "experiment", "uncover", "excavate", "unearth"),
    # FrameNet Performers_and_roles, Social_event.
    "Performance": ("perform", "sing", "star", "premiere", "broadcast", "air", "stream", "dance",
                    "exhibit", "celebrate", "entertain", "headline"),
}
# Word forms whose class their lemma does not tell: "born" (ACE 2005 Life.Be-Born) is "bear"
# to the lemmatiser, as in "bear the cost".
VERB_FORM_CLASSES = {"born": "LifeEvent"}
# class local name -> event nouns (lemmas; multiword as written)
NOUN_CLASSES: dict[str, tuple[str, ...]] = {
    "Consultation": ("summit", "meeting", "press conference", "news conference", "conference", "talk",
                     "talks", "visit", "negotiation", "discussion", "session", "hearing", "interview", "debate",
                     "consultation", "forum", "ceremony"),
    "Statement": ("statement", "announcement", "comment", "remark", "speech", "claim", "report",
                  "testimony", "address", "declaration", "assessment", "interview"),
    "Offer": ("offer", "proposal", "bid", "proposition", "idea"),
    "Rejection": ("rejection", "refusal", "veto", "denial"),
    "Appeal": ("request", "appeal", "plea", "call"),
    "Vote": ("vote", "ballot", "referendum"),
    "Election": ("election", "primary", "poll", "campaign", "race", "runoff", "run-off", "by-election", "caucus",
                 "recount"),
    "Approval": ("approval", "resolution", "authorization", "ratification", "permission", "endorsement"),
    "Transaction": ("deal", "purchase", "sale", "sales", "acquisition", "order", "merger", "contract",
                    "investment", "payment", "transaction", "agreement", "takeover", "buyout", "lease", "trade"),
    "Personnel": ("appointment", "resignation", "retirement", "layoff", "job cut", "nomination", "hiring", "dismissal",
                  "inauguration", "swearing-in", "coronation", "sacking", "ouster", "reshuffle", "succession"),
    "Financial": ("loss", "profit", "bankruptcy", "revenue", "earnings", "growth", "decline", "increase",
                  "cut", "recession", "crisis", "bailout", "loan", "debt", "default", "downturn", "restructuring"),
    "Production": ("production", "launch", "delivery", "development", "test", "rollout", "roll-out", "unveiling", "manufacturing"),
    "Movement": ("flight", "trip", "journey", "tour", "arrival", "departure", "landing", "takeoff", "visit",
                 "evacuation", "exodus", "migration", "escape", "voyage", "pilgrimage", "landfall"),
    "LegalAction": ("lawsuit", "trial", "charge", "investigation", "probe", "inquiry", "ruling",
                    "verdict", "indictment", "arrest", "sentence", "case", "settlement",
                    # ACE 2005 Justice: Convict, Acquit, Sentence, Execute, Extradite, Pardon, Appeal
                    "conviction", "acquittal", "prosecution", "imprisonment", "execution", "pardon",
                    "impeachment", "extradition", "litigation", "sentencing", "bail"),
    "Crime": ("crime", "hacking", "evasion", "fraud", "meddling", "interference", "theft", "bribery", "scandal", "tax evasion",
              "robbery", "burglary", "heist", "looting", "smuggling", "trafficking", "hijacking", "embezzlement",
              "corruption", "abuse", "vandalism", "extortion", "money laundering", "poaching"),
    "Disapproval": ("criticism", "backlash", "accusation", "allegation", "complaint", "outrage", "condemnation"),
    "Investigation": ("interrogation", "review", "audit", "inspection", "examination"),
    "Assault": ("attack", "bombing", "shooting", "assault", "killing", "murder",
                # ACE 2005 Conflict.Attack triggers
                "stabbing", "massacre", "ambush", "airstrike", "air strike", "blast", "explosion", "gunfire",
                "violence", "rampage", "rape", "homicide", "kidnapping", "cyberattack", "shelling", "terrorism"),
    "Fight": ("war", "battle", "fight", "conflict", "clash", "invasion",
              "coup", "siege", "insurgency", "uprising", "rebellion", "revolt", "offensive", "fighting"),
    "Protest": ("protest", "strike", "demonstration", "boycott", "rally", "riot", "unrest", "walkout", "sit-in"),
    "Aid": ("aid", "rescue", "assistance", "subsidy", "funding", "help", "support", "relief"),
    "Closure": ("closure", "shutdown", "cancellation", "delay", "suspension", "lockdown", "outage", "blackout"),
    # CAMEO 17 COERCE
    "Coerce": ("raid", "crackdown", "curfew", "detention", "deportation", "sanction", "ban", "embargo", "blockade",
               "seizure"),
    # CAMEO 0871 declare truce, ceasefire
    "Yield": ("ceasefire", "truce", "surrender", "withdrawal"),
    "Threat": ("threat", "warning", "ultimatum"),
    "Cooperation": ("cooperation", "partnership", "alliance", "collaboration"),
    # ACE 2005 Life (Die, Injure, Be-Born, Marry, Divorce)
    "Death": ("death", "fatality", "suicide", "drowning"),
    "Injury": ("injury",),
    "LifeEvent": ("wedding", "marriage", "divorce", "birth", "funeral", "burial"),
    # FrameNet Catastrophe, Weather, Fire_burning, Impact; TimeML annotates such nouns as events
    "Disaster": ("disaster", "catastrophe", "earthquake", "quake", "tremor", "aftershock", "flood", "flooding",
                 "storm", "hurricane", "typhoon", "cyclone", "tornado", "tsunami", "wildfire", "bushfire", "fire",
                 "blaze", "drought", "landslide", "mudslide", "avalanche", "eruption", "rain", "rainfall",
                 "snowfall", "snowstorm", "heatwave", "heat wave", "blizzard", "famine", "crash", "accident",
                 "collision", "derailment", "spill", "emergency", "meltdown", "shipwreck"),
    "Damage": ("destruction", "damage", "collapse", "devastation"),
    # FrameNet Competition, Beat_opponent, Win_prize
    "Contest": ("match", "game", "final", "semifinal", "semi-final", "quarterfinal", "quarter-final",
                "tournament", "championship", "victory", "win", "defeat", "draw", "competition", "contest",
                "derby", "playoff", "play-off", "qualifier", "marathon", "comeback", "rematch", "bout"),
    # FrameNet Medical_intervention, Medical_conditions
    "Medical": ("heart attack", "cardiac arrest", "outbreak", "epidemic", "pandemic", "infection", "surgery", "transplant", "treatment",
                "vaccination", "immunisation", "immunization", "diagnosis", "recovery", "overdose",
                "hospitalisation", "hospitalization", "therapy", "quarantine"),
    # FrameNet Research, Becoming_aware
    "Research": ("discovery", "finding", "experiment", "research", "observation", "excavation", "expedition",
                 "analysis", "breakthrough", "detection"),
    # FrameNet Performers_and_roles, Social_event
    "Performance": ("concert", "festival", "premiere", "exhibition", "screening", "gig", "recital", "parade",
                    "celebration", "gala", "performance", "broadcast"),
    "Occurrence": ("event", "incident", "process", "operation", "change", "move", "effort", "action", "plan",
                   "reform", "mission",
                   # occurrences and states TimeML annotates as event nouns (TimeML Annotation
                   # Guidelines 1.2.1, Saurí et al. 2006, section 2.2: "the crisis", "the problem")
                   "problem", "trouble", "difficulty", "success", "failure", "attempt", "response",
                   "reaction", "result", "progress", "setback", "shortage", "search", "boost", "surge",
                   "choice", "impact", "effect", "danger", "risk"),
}


# Nominalisations that name an institution, a body or a thing rather than an event
# (NomBank marks these as non-eventive senses: "the government", "the management").
NON_EVENT_NOUNS = {"government", "administration", "management", "department", "establishment",
                   "parliament", "organization", "organisation", "division", "equipment",
                   "document", "instrument", "apartment", "settlement", "institution", "foundation",
                   "association", "corporation", "federation", "commission", "committee", "population",
                   "official", "professional", "capital", "building", "aviation", "nation",
                   "setting", "bedding"}
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
    # homographs of the verbs of the general-news classes (Contest, Medical, Performance, ...)
    "measure", "star", "air", "stream", "treat", "cure", "tie", "play", "gun", "shell", "traffic", "burn",
    "wreck", "ruin", "exhibit", "headline", "score", "honour", "honor", "thank", "cross", "wound", "award",
    "hail", "jail", "sack", "sail", "loot", "beat", "screen", "find", "identify", "mean",
}
# Verbs in a prepositional use ("according to", "following the vote", "including"): a
# relation, not an event (PTB tags them VBG/VBN, the parser attaches them as "prep").
PREPOSITIONAL_DEPS = {PREP}

# Argument positions of a verb (ClearNLP dependency labels read as PropBank arguments:
# Arg0 = active subject, Arg1 = passive subject / object / attribute).
SUBJECT_DEPS = {NSUBJ}
PASSIVE_SUBJECT_DEPS = {NSUBJPASS}
OBJECT_DEPS = {DOBJ, ATTR, OPRD}
# Verbs of impact (FrameNet Impact, Catastrophe) that mention the disaster itself when a
# disaster is their subject: "an earthquake struck", "the storm battered the coast".
IMPACT_VERBS = {"strike", "hit", "sweep", "batter", "lash", "pound", "rock", "shake", "ravage", "engulf",
                "tear", "spread", "hammer", "slam", "rip"}
# Classes of verbs whose "with" phrase is a co-participant (VerbNet's social interaction
# classes 36: meet-36.3, battle-36.4, correspond-36.1; "clashed with police", "met with Xi").
WITH_ACTOR_CLASSES = ("Fight", "Consultation", "Cooperation", "IntentToCooperate")
# Classes of event nouns that happen in a place rather than being done by an agent: a
# place as their possessor is where they happen ("Italy's earthquake", "Brazil's election";
# ACE 2005 Place argument), not their agent as in "Russia's offer".
LOCATED_CLASSES = ("Disaster", "Election", "Medical", "Protest", "Damage", "Death", "Injury", "Performance",
                   "LifeEvent", "Crime")
# Support verbs (NomBank; "held talks on Monday", "launched an attack in May"): their event
# noun object happens when and where they do.
SUPPORT_VERBS = {"hold", "make", "take", "launch", "conduct", "stage", "carry", "give", "have", "mount",
                 "wage", "begin", "start", "sign", "host", "announce", "organise", "organize"}
# Relative pronouns that stand for the noun their clause modifies (PTB tags WDT, WP).
RELATIVE_TAGS = ("WDT", "WP")
# Prepositions whose object is where an event happens (ACE 2005 "Place" argument; written for kg).
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "from"}
# Verbs whose "to" phrase is a recipient (VerbNet give-13.1, send-11.1, tell-37.2).
GIVING_VERBS = {"give", "offer", "send", "sell", "provide", "hand", "grant", "award", "lend", "pay", "deliver", "tell"}
# Object-control verbs: the object is the subject of the xcomp ("allow the Kremlin to
# interrogate"; VerbNet classes allow-64, urge-58, force-59, order-60, want-32.1). Not every
# verb with an object: "used the money to pay", "spent billions to develop" (purpose) are
# parsed as xcomp too, and there the subject acts.
OBJECT_CONTROL_VERBS = ("allow", "permit", "enable", "authorize", "authorise",  # allow-64
                        "ask", "urge", "encourage", "advise", "invite", "remind", "warn",  # urge-58
                        "force", "compel", "oblige", "persuade", "convince", "pressure", "induce",  # force-59
                        "order", "command", "instruct", "direct", "require",  # order-60
                        "help", "tell", "want")
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
