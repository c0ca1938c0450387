"""Words and patterns that tell what a name names, for kg_entities (kg/nlp/entities.py).
Tests: tests/test_entities.py."""
from __future__ import annotations

import re

from kg.nlp.lexicons import ontonotes as onto
from kg.records import (EVENT, LANGUAGE, LAW, MONEY, NORP, NUMBER, ORG, PERCENT, PERSON, PLACE, PRODUCT,
                        QUANTITY, WORK_OF_ART)

# spaCy (OntoNotes 5) labels -> record kinds. DATE and TIME belong to kg_times; EVENT names
# are kept as entities of kind EVENT (typed kg:NamedEvent, a kg:Event). Written for kg
# (the record kinds of kg/records.py).
LABEL_KINDS = {
    onto.PERSON: PERSON, onto.ORG: ORG, onto.GPE: PLACE, onto.LOC: PLACE, onto.FAC: PLACE,
    onto.NORP: NORP, onto.PRODUCT: PRODUCT, onto.WORK_OF_ART: WORK_OF_ART, onto.LAW: LAW,
    onto.LANGUAGE: LANGUAGE, onto.MONEY: MONEY, onto.PERCENT: PERCENT, onto.QUANTITY: QUANTITY,
    onto.CARDINAL: NUMBER, onto.ORDINAL: NUMBER, onto.EVENT: EVENT,
}
# Labels of amounts, whose trailing "'s" is not a possessive ("the 1990's").
AMOUNT_LABELS = (onto.MONEY, onto.PERCENT, onto.QUANTITY, onto.CARDINAL)
# Titles and honorifics that precede a name and are not part of it (newswire style guides:
# AP Stylebook "titles"; Wikipedia "List of titles").
TITLES = {
    "president", "vice", "prime", "minister", "secretary", "press", "chancellor", "king",
    "queen", "prince", "princess", "senator", "sen", "rep", "representative", "governor",
    "gov", "mayor", "judge", "justice", "general", "gen", "admiral", "colonel", "col",
    "captain", "capt", "lieutenant", "sergeant", "mr", "mrs", "ms", "miss", "dr", "prof",
    "professor", "sir", "dame", "lord", "lady", "pope", "cardinal", "bishop", "rev",
    "reverend", "ambassador", "chief", "executive", "ceo", "chairman", "chairwoman", "chair",
    "director", "spokesman", "spokeswoman", "spokesperson", "attorney", "deputy", "former",
    "acting", "sheikh", "emir", "sultan", "premier", "commissioner", "founder", "coach",
    "speaker", "leader", "first", "officer", "analyst", "economist", "treasurer", "shadow",
    "congressman", "congresswoman", "envoy", "councillor", "councilor", "superintendent",
    "inspector", "detective", "constable", "commander", "archbishop", "rabbi", "imam",
}
# What a leader's surname modifies in news and a city's name does not ("the Bush
# administration", "the Blair years", "the Clinton campaign"): the name is the person's,
# whatever town shares it.
LEADER_NOUNS = {"administration", "presidency", "premiership", "era", "years", "campaign", "family",
                "doctrine", "aides"}
# Honorifics: the word after one is a surname even where it is also a title ("Dr Sultan",
# "Ms Bishop", "Mr Major").
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame"}
# Common nouns that, right before a name ("airline Ryanair", "carmaker Opel"), say what
# kind of thing it names (appositive / compound descriptors, as in ACE and OntoNotes
# guidelines for premodifier titles). Each is a strong vote in the kind decision.
ORG_DESCRIPTORS = {
    "company", "firm", "airline", "carrier", "carmaker", "automaker", "maker", "manufacturer",
    "planemaker", "airframer", "bank", "insurer", "group", "conglomerate", "agency", "ministry",
    "department", "party", "union", "newspaper", "magazine", "broadcaster", "network", "channel",
    "retailer", "supplier", "producer", "subsidiary", "unit", "division", "brand", "operator",
    "giant", "rival", "startup", "fund", "investor", "lender", "regulator", "court", "team",
    "club", "university", "institute", "organisation", "organization", "charity", "council",
    "committee", "airport", "exchange", "corporation", "outlet", "website",
}
# Any word ending so is an organisation's descriptor too ("chipmaker", "toymaker").
ORG_DESCRIPTOR_ENDING = "maker"
# Titles that describe a person (the titles less those that only modify another title),
# and occupations (ISCO-08 titles frequent in news).
PERSON_DESCRIPTORS = TITLES - {"former", "acting", "first", "vice", "deputy", "chief", "executive",
                               "press", "prime", "shadow"} | {"spokeswoman", "spokesman", "financier", "businessman",
                               "businesswoman", "actor", "actress", "singer", "author", "lawyer",
                               "activist", "journalist", "reporter", "analyst", "player", "manager",
                               "songwriter", "composer", "poet", "painter", "novelist", "politician",
                               "footballer", "rapper", "musician", "guitarist", "drummer", "sculptor",
                               "architect", "historian", "philosopher", "playwright", "cyclist"}
# Last words that make a name an organisation's ("Douglas Aircraft", "Lockheed Martin Corp"):
# legal forms (Wikipedia "List of legal entity types by country") and industry words of
# company names, written for kg (tests/test_entities.py).
ORG_NAME_SUFFIXES = {
    "aircraft", "airlines", "airways", "air", "motors", "motor", "automotive", "systems",
    "industries", "technologies", "partners", "capital", "management", "association",
    "council", "agency", "institute", "university", "party", "bank", "airbus", "aerospace",
    "group", "corp", "corporation", "inc", "company", "co", "ltd", "llc", "plc", "ag",
    "holdings", "foundation", "commission", "committee", "ministry", "department", "office",
    "force", "army", "navy", "police", "court", "parliament", "congress", "senate", "times",
    "media", "pictures", "labs", "software", "energy",
    "oil", "petroleum", "pharmaceuticals", "electric", "electronics", "communications",
    "records", "orchestra", "films", "productions", "publishing", "entertainment", "fc",
    # the last words of sports clubs' names that name no place or person ("Manchester
    # United", "Blackburn Rovers", "Wigan Athletic", "Queens Park Rangers"; Wikipedia, "List
    # of football clubs in England"); not "City", "Town", "County": also places' last words
    "united", "rovers", "athletic", "albion", "wanderers", "hotspur", "rangers",
}
# Last words of public bodies named after two areas joined by "and" ("Avon and Somerset
# Police", "Devon and Cornwall Constabulary", "Bath and North East Somerset Council",
# "Hereford and Worcester Fire and Rescue Service"; Wikipedia "List of police forces of the
# United Kingdom", "Combined authority"): the model often tags the second area's part only.
JOINT_AREA_BODY_WORDS = {"police", "constabulary", "council", "service", "trust", "board", "authority"}
# First words that make a name an organisation's ("Air France", "Bank of America"); written for kg.
ORG_NAME_PREFIXES = {"air", "bank", "banco", "university", "ministry", "department", "council"}
# Title words that also begin organisation names ("General Motors", "Royal Dutch Shell");
# written for kg (tests/test_entities.py).
ORG_NAME_WORDS = {"general", "king", "queen", "prince", "lord", "chief", "judge", "justice",
                  "captain", "admiral", "cardinal", "bishop", "pope", "sultan", "emir", "dame", "sir"}
# Legal-form words an acronym often leaves out ("EADS" for "... Space Company"): Wikipedia
# "List of legal entity types by country" (English, German, French, Italian, Dutch forms).
CORPORATE_SUFFIXES = {"company", "co", "corporation", "corp", "inc", "incorporated", "group",
                      "ltd", "limited", "plc", "llc", "ag", "sa", "nv", "spa", "holdings"}
# Model designations that follow a maker's name: "A380", "787", "737s", "777-300ER", "A320neo"
# (ICAO aircraft type designators and makers' marketing names); written for kg.
MODEL_DESIGNATION = re.compile(r"^[A-Z]{0,3}-?\d{2,4}(-?\d{0,3}[A-Za-z]{0,3})?s?$")
# "Adam Air Flight 574": the words before "Flight" name the airline that flies it (IATA
# flight designators are written so in news); written for kg.
FLIGHT_WORDS = {"flight"}
# Words written abbreviated with a full stop at the end of names ("Tata Sons Ltd.",
# "Warner Bros.", "Paul Desmarais Jr."): the legal forms of CORPORATE_SUFFIXES that are
# abbreviations, and name suffixes (Chicago Manual of Style 10.4, 6.43; AP Stylebook
# "company names", "Jr., Sr."). Dotted forms ("N.V.", "U.S.") need no entry.
ABBREVIATED_WORDS = {"co", "corp", "inc", "ltd", "bros", "jr", "sr", "mfg", "assn", "dept", "intl", "st"}
# What may end a person's name without being the surname: regnal numbers and generational
# suffixes ("Leopold I", "Louis XIV", "Martin Luther King Jr"); written for kg.
NAME_SUFFIX = re.compile(r"(?:[IVX]+|Jr|Sr|Jnr|Snr)")
# Religious and political groups named by their members' word (OntoNotes NORP: "religious
# or political groups"): the word names the organised body, an organisation as ACE 2005
# types religious bodies and parties (ORG), written as the body's name so that its forms
# are one entity ("Muslims", "Islamic", "Islam"). Religions: Wikipedia "Major religious
# groups" (the Abrahamic and Indian religions and their main Christian denominations);
# parties: the major parties of the US, UK, Canada and Australia and the historical Nazi
# and Communist parties (Wikipedia "List of political parties in the United Kingdom" for
# the Liberal Democrats' short forms).
GROUP_BODIES = {
    "Christian": "Christianity", "Christians": "Christianity", "Christianity": "Christianity",
    "Catholic": "Catholic Church", "Catholics": "Catholic Church", "Catholicism": "Catholic Church",
    "Roman Catholic": "Catholic Church", "Roman Catholics": "Catholic Church",
    "Protestant": "Protestantism", "Protestants": "Protestantism", "Protestantism": "Protestantism",
    "Anglican": "Anglicanism", "Anglicans": "Anglicanism", "Anglicanism": "Anglicanism",
    "Lutheran": "Lutheranism", "Lutherans": "Lutheranism", "Lutheranism": "Lutheranism",
    "Methodist": "Methodism", "Methodists": "Methodism", "Methodism": "Methodism",
    "Presbyterian": "Presbyterianism", "Presbyterians": "Presbyterianism",
    "Baptist": "Baptists", "Baptists": "Baptists",
    "Mormon": "Mormonism", "Mormons": "Mormonism", "Mormonism": "Mormonism",
    "Muslim": "Islam", "Muslims": "Islam", "Islamic": "Islam", "Islam": "Islam",
    "Sunni": "Sunni Islam", "Sunnis": "Sunni Islam", "Shia": "Shia Islam", "Shiite": "Shia Islam",
    "Shiites": "Shia Islam",
    "Jewish": "Judaism", "Jew": "Judaism", "Jews": "Judaism", "Judaism": "Judaism",
    "Hindu": "Hinduism", "Hindus": "Hinduism", "Hinduism": "Hinduism",
    "Buddhist": "Buddhism", "Buddhists": "Buddhism", "Buddhism": "Buddhism",
    "Sikh": "Sikhism", "Sikhs": "Sikhism", "Sikhism": "Sikhism",
    "Republican": "Republican Party", "Republicans": "Republican Party",
    "Democrat": "Democratic Party", "Democrats": "Democratic Party", "Democratic": "Democratic Party",
    "Conservative": "Conservative Party", "Conservatives": "Conservative Party", "Tory": "Conservative Party",
    "Tories": "Conservative Party", "Labour": "Labour Party", "Liberal": "Liberal Party",
    "Liberals": "Liberal Party", "Communist": "Communist Party", "Communists": "Communist Party",
    "Nazi": "Nazi Party", "Nazis": "Nazi Party",
    "Lib Dem": "Liberal Democrats", "Lib Dems": "Liberal Democrats", "Liberal Democrat": "Liberal Democrats",
    "Liberal Democrats": "Liberal Democrats",
}
# Of those, the political parties: a word of theirs the model calls a person ("Labour came
# third", "Lib Dem leader Tim Farron") is the party all the same; no one is named so.
PARTY_BODIES = {body for body in GROUP_BODIES.values() if "Party" in body} | {"Liberal Democrats"}
# Of those, the words that name a religion whatever their context: an untagged one is a
# mention too ("converted to Protestantism"); the others are adjectives, names' first words.
RELIGION_WORDS = {w for w, body in GROUP_BODIES.items() if body not in PARTY_BODIES} - {"Christian", "Shia", "Sunni"}
# Parties' members as a plural noun ("the Tories lost", "Republicans blocked the bill"): an
# untagged one is a mention too, unless it modifies a noun. Not "Labour": "Labour costs".
PARTY_WORDS = {"Tories", "Conservatives", "Republicans", "Democrats"}
# Prefixes that make an adjective of a name with a hyphen ("pro-Noriega forces", "anti-
# Trump", "ex-Ketama", "non-Muslims"): the name is the part after the hyphen, a mention of
# its entity (CGEL 19.3, "prefixation"; Wikipedia "English prefix"). Name particles that
# take a hyphen ("al-Qaeda", "el-Sisi", "ibn-") are not among them.
NAME_AFFIXES = {"anti", "pro", "ex", "non", "post", "pre", "neo", "pan", "inter", "intra", "trans", "mid",
                "pseudo", "semi", "sub", "super", "ultra", "counter", "quasi", "un", "all"}
# Function words that names themselves contain ("Bank of England", "Trinidad and
# Tobago", "Ministry for Foreign Affairs", "Banco de Chile"); any other English stop word
# (spaCy's list) in a span of a line in capitals makes it a clause, not a name.
NAME_FUNCTION_WORDS = {"of", "the", "and", "for", "de", "du", "la", "le", "del", "van", "von", "&"}
# "of" in the names of English, French, Spanish, Italian and Portuguese ("Bay of Lübeck",
# "Conservatoire de Paris", "Museo del Prado", "Banco do Brasil"): what follows it is
# another thing, that the name's head belongs to.
OF_WORDS = {"of", "de", "du", "des", "del", "della", "di", "do", "da"}
# Last words of names of things named after a place or a person ("Osaka Bay", "Wayne
# Gretzky Drive", "Syracuse University"): generic parts of GeoNames feature names (feature
# classes H, L, R, S, T, V: waters, parks, roads, spots and buildings, relief, forests)
# and of institutions' names; the shorter name never shortens these.
# The generic words of places (GeoNames feature classes H, L, R, S, T, V and A's
# second-order divisions): a name ending in one is a place ("Klamath Falls", "Harbour
# Esplanade"), whatever the model's label.
PLACE_HEADS = {
    "bay", "lake", "river", "creek", "falls", "glacier", "reservoir", "dam", "canal", "sea",
    "island", "islands", "mountain", "mountains", "hill", "hills", "valley", "canyon",
    "forest", "park", "county", "district", "province", "municipality", "parish", "oblast",
    "voivodeship", "prefecture", "governorate", "raion", "commune", "region", "shire", "borough",
    "township", "peninsula", "strip",
    "street", "road", "drive", "avenue", "esplanade", "bridge", "airport", "station", "square",
    "palace", "castle", "cathedral", "stadium", "arena", "hall", "tower",
}
# First words of names of features named after a place or person ("Lake Inari" by the
# town Inari, "Mount Kenya", "Fort Worth"); GeoNames feature names.
PLACE_FIRST_WORDS = {"lake", "mount", "fort", "cape", "isle", "port"}
# Common nouns of areas that a place's name modifies in news ("the Tora Bora region",
# "the Tora Bora caves", "the Hunter area"): the name before one is a place's. Areas only,
# not the buildings and roads that are named after people too ("the Mandela bridge");
# GeoNames feature classes A, L and T, written for kg.
AREA_NOUNS = {"region", "area", "areas", "valley", "mountains", "hills", "caves", "district",
              "province", "coast", "countryside", "border", "outskirts", "basin", "delta", "plains"}
# Of those, the ones that name a region around a place, not a feature someone may hold:
# before them even a name the model calls an organisation is a place's ("the Shoalhaven
# area", "the Tokai region"; not "the Al Qaeda caves").
REGION_NOUNS = {"region", "area", "areas", "valley", "district", "province", "countryside", "outskirts",
                "basin", "delta"}
# The parts of a place a possessive names ("Tasmania's east coast", "Sydney's west"): the
# area nouns and the compass points.
PLACE_PART_NOUNS = AREA_NOUNS | {"north", "south", "east", "west", "north-east", "north-west", "south-east",
                                 "south-west", "northeast", "northwest", "southeast", "southwest", "interior"}
# Nouns of what only an organisation has ("Ansett workers", "Ansett's administrators",
# "Qantas shares", "Soccer Australia chairman Ian Knop"): a name labelled a person that
# modifies one is the organisation's. Not "staff", "aides", "spokesman" or "fleet", which
# people have too ("the President's staff", "King John's fleet").
ORG_MEMBER_NOUNS = {"workers", "employees", "shareholders", "stockholders", "shares", "administrators",
                    "creditors", "customers", "subsidiary", "subsidiaries", "owners", "headquarters",
                    "passengers", "executives", "workforce", "chairman", "chairwoman", "chairperson"}
# Prepositions of place (Quirk et al. 1985, 9.15-9.27, positive position) whose object, when
# the gazetteer knows it as a place, is the place and not a person of the same name ("at
# Launceston", "near Grafton"); not "to", "from", "with" or "between", whose objects are
# people as often ("wrote to Howard", "a call from Howard").
LOCATIVE_PREPOSITIONS = {"in", "at", "near", "outside", "around", "inside", "across", "through", "towards",
                         "toward", "above", "below", "beyond", "via"}
# Sides of a river that name a region or a quarter ("the West Bank", "the Left Bank",
# "London's South Bank"): with "Bank" after them the name is the place, not a bank.
BANK_SIDES = {"west", "east", "north", "south", "left", "right"}
# First words that make a place's name another place's: a part or a namesake of the place
# the rest names ("East St. Louis", "Western Pennsylvania", "Upper Klamath Lake", "New
# Bohumin"); the directional and relative qualifiers of GeoNames place names.
PLACE_QUALIFIERS = {"east", "west", "north", "south", "eastern", "western", "northern", "southern", "central",
                    "upper", "lower", "new", "old", "greater", "little"}
NAMED_AFTER_HEADS = PLACE_HEADS | {
    "mount", "church", "house", "university", "college", "school", "hospital", "museum",
    "library", "prize", "award", "trophy", "memorial", "festival",
}
# Of those, the heads of institutions that go by the name alone once introduced ("Yale" for
# "Yale College", "Butler" for "Butler University"; news and reference style's short
# forms of school names): a short name labelled an organisation is the institution.
INSTITUTION_HEADS = {"university", "college", "school"}
# Verbs whose object is a language ("spoke Romanian", "translated into ..." has "into"):
# VerbNet class "say-37.7" and "transfer_mesg-37.1" members that take a language; written for kg.
LANGUAGE_VERBS = {"speak", "write", "learn", "teach", "study", "understand", "know"}
# Verbs of a sports result whose subject and object are sides ("Liverpool beat Porto"):
# the result verbs of sports reports (BBC Sport / Reuters match reports); written for kg.
RESULT_VERBS = {"beat", "defeat", "thrash", "rout", "trounce"}
# A score right after a side's name ("Porto 3-1", "Arsenal 2 Chelsea 1"): a number of goals
# or a scoreline.
SCORE = re.compile(r"^\d{1,3}(?:[-\u2013:]\d{1,3})?$")
SCORELINE = re.compile(r"^\d{1,3}[-\u2013:]\d{1,3}$")
# Last words an organisation's name is often written without ("Labour" for "Labour
# Party", "Acme" for "Acme Corp."): the legal forms above and "party"; written for kg.
SHORTENED_ORG_SUFFIXES = CORPORATE_SUFFIXES | {"party"}
# Head nouns of a definition of a name, "X is a village in ...", "X was an American rock
# band", "X, a 1930 silent film, ...": what the noun is, the name is. The nouns are those
# of classes of the DBpedia ontology (dbo:Settlement, dbo:River, dbo:Band, dbo:Album,
# dbo:Film...; mappings.dbpedia.org) and GeoNames feature names, in the words English
# definitions use; nouns that name several kinds of thing ("station": a radio station or a
# railway's; "group", "league", "brand", "community") are left out. Written for kg
# (tests/test_entity_phenomena.py); the PERSON descriptors and "-maker" count too.
DEFINITION_HEADS = {
    PLACE: {
        "village", "town", "city", "hamlet", "municipality", "commune", "suburb", "neighbourhood",
        "neighborhood", "settlement", "locality", "borough", "parish", "county", "district", "province",
        "region", "state", "country", "capital", "territory", "oblast", "prefecture", "voivodeship",
        "canton", "river", "stream", "tributary", "creek", "lake", "reservoir", "glacier", "bay", "fjord",
        "strait", "canal", "sea", "lagoon", "waterfall", "island", "islet", "archipelago", "atoll",
        "peninsula", "cape", "mountain", "peak", "summit", "volcano", "hill", "ridge", "pass", "valley",
        "plateau", "desert", "forest", "park", "beach", "street", "road", "highway", "motorway",
        "square", "bridge", "airport", "stadium", "arena", "castle", "palace", "cathedral", "church",
        "temple", "mosque", "monastery", "crater", "headland", "place", "resort", "bight", "reef",
        "camp", "zone",
    },
    ORG: {
        "company", "corporation", "firm", "band", "club", "team", "party", "university", "college",
        "school", "label", "airline", "bank", "agency", "organization", "organisation",
        "association", "federation", "orchestra", "choir", "ensemble", "duo", "trio", "quartet",
        "charity", "foundation", "institute", "newspaper", "broadcaster", "manufacturer", "retailer",
        "ministry", "council", "committee", "regiment", "militia", "conglomerate", "subsidiary",
        "startup", "cooperative",
    },
    PERSON: {
        "actor", "actress", "singer", "politician", "footballer", "player", "writer", "author", "poet",
        "painter", "composer", "musician", "journalist", "lawyer", "businessman", "businesswoman",
        "artist", "director", "producer", "novelist", "historian", "philosopher", "scientist",
        "physicist", "chemist", "mathematician", "engineer", "architect", "sculptor", "photographer",
        "rapper", "songwriter", "guitarist", "drummer", "pianist", "violinist", "dancer", "athlete",
        "cyclist", "swimmer", "boxer", "wrestler", "skater", "skier", "sprinter", "coach", "officer",
        "soldier", "priest", "monk", "saint", "emperor", "empress", "statesman", "stateswoman",
        "diplomat", "economist", "activist", "entrepreneur", "businessperson", "physician", "surgeon",
        "teacher", "professor", "scholar", "linguist", "theologian", "astronomer", "biologist",
        "botanist", "zoologist", "explorer", "aviator", "comedian", "presenter", "cricketer", "golfer",
        "jockey", "designer", "illustrator", "cartoonist", "filmmaker", "screenwriter", "playwright",
        "lyricist", "vocalist", "bassist", "keyboardist", "tenor", "soprano", "baritone", "contralto",
        "bass-baritone", "mezzo", "inventor", "industrialist", "banker", "missionary",
        "nobleman", "noblewoman", "aristocrat", "courtier", "general", "admiral", "commander",
        "character", "protagonist", "heroine", "villain", "farmer", "internist", "merchant", "clergyman",
    },
    WORK_OF_ART: {
        "film", "movie", "album", "song", "single", "novel", "book", "poem", "play", "opera",
        "musical", "painting", "series", "sitcom", "episode", "documentary", "soundtrack", "ep",
        "compilation", "anthology", "comic", "manga", "anime", "game", "videogame", "symphony",
        "concerto", "sonata", "ballet", "mixtape", "miniseries", "telenovela", "novella", "drama", "show",
    },
    PRODUCT: {
        "software", "smartphone", "console", "aircraft", "airliner", "car", "automobile",
        "locomotive", "destroyer", "cruiser", "battleship", "frigate", "submarine", "warship",
        "steamship", "ship", "rifle", "pistol", "browser",
    },
    EVENT: {
        "war", "battle", "siege", "tournament", "championship", "election", "festival", "competition",
        "edition", "season", "conflict", "uprising", "revolution", "rebellion", "massacre",
    },
    LAW: {"treaty", "act", "constitution", "statute"},
    LANGUAGE: {"language", "dialect"},
}
# Words a title leaves in lower case (Chicago Manual of Style 8.159, AP Stylebook "composition
# titles": articles, coordinating conjunctions, short prepositions; contractions' pieces as
# a tokenised text writes them): a quoted phrase whose other words are all capitalised is
# written as a title ("\" Paper Lanterns \"", "\" Thank You for the Rain \""), not as speech.
TITLE_SMALL_WORDS = {
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of",
    "off", "on", "per", "to", "up", "via", "vs", "vs.", "from", "into", "with", "over", "than",
    "'s", "n't", "'re", "'m", "'ll", "'ve", "'d", "de", "la", "le", "les", "el", "du", "des", "di",
    "da", "del", "von", "van",
}
# Longest quoted title taken for one, in words (the titles of songs and episodes are short).
MAX_TITLE_WORDS = 12
# Nouns of places that English puts before "of" and the place's name ("the town of
# Kelvadi", "the island of Crete", "the city of Lyon"): the GeoNames feature class A
# and P kinds (administrative divisions, populated places) and islands; written for kg.
PLACE_OF_NOUNS = {
    "city", "town", "village", "hamlet", "municipality", "commune", "suburb", "province", "state",
    "county", "district", "region", "parish", "borough", "prefecture", "governorate", "canton",
    "island", "islands", "kingdom", "duchy", "principality", "capital", "port",
}
# A year as written in the brackets that date a work ("( 1969 )"): 1000 to 2099.
YEAR = re.compile(r"^(?:1\d|20)\d\d$")
