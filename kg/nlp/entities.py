"""Named entities, consolidated per article: one record per real-world entity.

spaCy's NER gives mentions with a label each; a news reader knows more: "Trump" after
"President Donald Trump" is the same person (even where the model said ORG), "U.S." and
"the United States" are one country, "Trump's" is Trump. This component cleans spans,
groups mentions by name compatibility, decides each group's kind by a vote over all its
mentions, finds later mentions the model missed, and gives each group a cross-article key.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.spans import text_of
from kg.nlp import gazetteer
from kg.records import ORG, PERSON, PLACE, EntityRecord, Mention

# spaCy (OntoNotes 5) labels -> record kinds. DATE and TIME belong to kg_times; EVENT names
# are kept as entities of kind EVENT (typed kg:NamedEvent, a kg:Event).
LABEL_KINDS = {
    "PERSON": PERSON, "ORG": ORG, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE,
    "NORP": "NORP", "PRODUCT": "PRODUCT", "WORK_OF_ART": "WORK_OF_ART", "LAW": "LAW",
    "LANGUAGE": "LANGUAGE", "MONEY": "MONEY", "PERCENT": "PERCENT", "QUANTITY": "QUANTITY",
    "CARDINAL": "NUMBER", "ORDINAL": "NUMBER", "EVENT": "EVENT",
}
# Kinds whose mentions are names that can be merged and linked across articles.
NAME_KINDS = (PERSON, ORG, PLACE, "NORP", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "EVENT")
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
    "speaker", "leader", "first", "lady", "officer", "analyst", "economist",
}
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
    "committee", "airport", "exchange", "corporation", "conglomerate", "outlet", "website",
}
PERSON_DESCRIPTORS = TITLES - {"former", "acting", "first", "vice", "deputy", "chief", "executive",
                               "press", "prime"} | {"spokeswoman", "spokesman", "financier", "businessman",
                               "businesswoman", "actor", "actress", "singer", "author", "lawyer",
                               "activist", "journalist", "reporter", "analyst", "player", "manager"}
DESCRIPTOR_WEIGHT = 5
# Last words that make a name an organisation's ("Douglas Aircraft", "Lockheed Martin Corp").
ORG_NAME_SUFFIXES = {
    "aircraft", "airlines", "airways", "air", "motors", "motor", "automotive", "systems",
    "industries", "technologies", "partners", "capital", "management", "association",
    "council", "agency", "institute", "university", "party", "bank", "airbus", "aerospace",
    "group", "corp", "corporation", "inc", "company", "co", "ltd", "llc", "plc", "ag",
    "holdings", "foundation", "commission", "committee", "ministry", "department", "office",
    "force", "army", "navy", "police", "court", "parliament", "congress", "senate", "times",
    "media", "pictures", "labs", "software", "energy",
    "oil", "petroleum", "pharmaceuticals", "electric", "electronics", "communications",
}
ORG_NAME_PREFIXES = {"air", "bank", "banco", "university", "ministry", "department", "council"}
# A lone name the model tags PERSON that is a city of at least this size is taken as the
# city (GeoNames population): the gazetteer outweighs one stray label.
CITY_VOTE_POPULATION = 100_000
CITY_WEIGHT = 2
# Title words that also begin organisation names ("General Motors", "Royal Dutch Shell").
ORG_NAME_WORDS = {"general", "king", "queen", "prince", "lord", "chief", "judge", "justice",
                  "captain", "admiral", "cardinal", "bishop", "pope", "sultan", "emir", "dame", "sir"}
# Model designations that follow a maker's name: "A380", "787", "737s", "777-300ER", "A320neo".
MODEL_DESIGNATION = re.compile(r"^[A-Z]{0,3}-?\d{2,4}(-?\d{0,3}[A-Za-z]{0,3})?s?$")
POSSESSIVE = re.compile(r"(?:['\u2019]s?)$")
# Time-zone abbreviations the model tags as organisations or places ("16:15 UTC"): part
# of a time, not an entity (common civil zones of the IANA tz database and RFC 5322).
TIME_ZONES = {"UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST",
              "AKDT", "HST", "AST", "ADT", "NST", "NDT", "WET", "WEST", "CET", "CEST", "EET", "EEST",
              "BST", "IST", "MSK", "JST", "KST", "HKT", "SGT", "AEST", "AEDT", "ACST", "AWST", "NZST",
              "NZDT"}
# "Adam Air Flight 574": the words before "Flight" name the airline that flies it.
FLIGHT_WORDS = {"flight"}
# Weight of a label in the kind vote: a multi-word PERSON name is strong evidence.
FULL_NAME_WEIGHT = 2


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


def _clean(doc: Doc, ent) -> _Mention | None:
    tokens = list(ent)
    # Leading titles are not part of the name ("President Putin" -> "Putin").
    titled = False
    # In an ORG-labelled span only a clear personal title counts, before a two-word name
    # ("Spokeswoman Sandy Angers"), not "General Motors" or "King Digital".
    while len(tokens) > 1 and tokens[0].lower_.rstrip(".") in TITLES and tokens[1].pos_ == "PROPN" and (
            ent.label_ == "PERSON" or ent.label_ == "ORG" and len(tokens) == 3
            and tokens[0].lower_.rstrip(".") in PERSON_DESCRIPTORS - ORG_NAME_WORDS):
        tokens, titled = tokens[1:], True
    # Trailing possessive marker ("Trump's", "Russians'").
    while tokens and tokens[-1].tag_ == "POS":
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = text_of(doc)[start:end]
    m = POSSESSIVE.search(text)
    if m and m.start() > 0 and ent.label_ not in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL"):
        end -= len(m.group(0))
        text = text_of(doc)[start:end]
    text_stripped = text.rstrip(" .,;:") if not text.endswith(".") or len(text) > 4 and text[-4:-3] != "." else text
    end = start + len(text_stripped)
    text = text_stripped
    if not text.strip():
        return None
    kind = LABEL_KINDS[ent.label_]
    name = re.sub(r"^(?i:the)\s+", "", text)
    name = " ".join(name.split())
    weight = FULL_NAME_WEIGHT if kind == PERSON and len(name.split()) > 1 else 1
    described = _descriptor_kind(doc, tokens[0].i)
    if described is None and len(tokens) > 1 and (tokens[-1].lower_ in ORG_NAME_SUFFIXES
                                                  or tokens[0].lower_ in ORG_NAME_PREFIXES):
        described = ORG
    if described is None and kind == PERSON and len(tokens) == 1 and gazetteer.big_city(name, CITY_VOTE_POPULATION):
        kind, weight = PLACE, CITY_WEIGHT
    if titled and described is None:
        described = PERSON
    if described is not None and kind in (PERSON, ORG, PLACE, "PRODUCT", "NORP", "WORK_OF_ART", "LAW", "EVENT"):
        kind, weight = described, DESCRIPTOR_WEIGHT
    m = _Mention(start, end, text, kind, name, weight)
    if kind in ("NORP", PLACE, ORG) and len(tokens) <= 2:
        found = gazetteer.demonym(name)
        if found is not None:
            place, plural = found
            if plural or tokens[-1].tag_ in ("NNS", "NNPS"):
                m.group_of = place
            else:
                m.kind, m.place = PLACE, place
    return m


def _product_names(doc: Doc):
    """A maker's name followed by a model designation is a product ("Airbus A380", "Boeing
    787 Dreamliner", "737s"), not a mention of the maker. Returns the other entities and
    the product mentions."""
    ents, products = [], []
    skip_until = -1
    for ent in doc.ents:
        if ent.start < skip_until:
            continue
        end = ent.end
        follows = end < len(doc) and MODEL_DESIGNATION.match(doc[end].text)
        inside = len(ent) > 1 and MODEL_DESIGNATION.match(ent[-1].text)
        if ent.label_ in ("ORG", "PRODUCT") and (follows or inside and ent.label_ == "ORG"):
            end += 1 if follows else 0
            while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
                    and doc[end].ent_type_ in ("", "PRODUCT"):
                end += 1
            span = doc[ent.start:end]
            text = span.text
            name = re.sub(r"(?<=\d)s$", "", " ".join(text.split()))  # "737s" -> "737"
            products.append(_Mention(span.start_char, span.end_char, text, "PRODUCT", name, 1))
            skip_until = end
            continue
        ents.append(ent)
    return ents, products


def _nested_places(doc: Doc, ent) -> list[_Mention]:
    """A country or nationality at the start of an organisation's name ("U.S. Senate",
    "Canadian Government", "US Air Force"): a mention of that place inside the name."""
    tokens = [t for t in ent if t.lower_ != "the"]
    if len(tokens) < 2:
        return []
    for n in (2, 1):
        head = tokens[:n]
        if len(tokens) <= n or head[-1].is_punct:
            continue
        start, end = head[0].idx, head[-1].idx + len(head[-1].text)
        text = text_of(doc)[start:end]
        place = gazetteer.country(text)
        if place is None:
            found = gazetteer.demonym(text)
            place = found[0] if found and not found[1] else None
        if place is not None:
            return [_Mention(start, end, text, PLACE, text, 1, place=place)]
    return []


def _flight_operators(doc: Doc) -> list[_Mention]:
    """The airline inside a flight's name ("Garuda Indonesia Flight 200" -> "Garuda
    Indonesia"), an organisation mentioned within the flight's mention."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "PRODUCT", "FAC", "EVENT", "GPE"):
            continue
        tokens = [t for t in ent if t.lower_ != "the"]
        k = next((i for i, t in enumerate(tokens) if t.lower_ in FLIGHT_WORDS and t.text[:1].isupper()), 0)
        if k == 0 or not all(t.pos_ == "PROPN" for t in tokens[:k]):
            continue
        start, end = tokens[0].idx, tokens[k - 1].idx + len(tokens[k - 1].text)
        text = text_of(doc)[start:end]
        out.append(_Mention(start, end, text, ORG, text, DESCRIPTOR_WEIGHT))
    return out


def _appositive_names(doc: Doc) -> list[_Mention]:
    """A proper name in apposition to a descriptor that the model left untagged ("its
    European division, Opel"; "the carmaker, Skoda"): the descriptor says what it names."""
    out = []
    for t in doc:
        if t.dep_ != "appos" or t.pos_ != "PROPN" or t.ent_type_ or not t.text[:1].isupper():
            continue
        head = t.head.lower_
        kind = ORG if head in ORG_DESCRIPTORS or head.endswith("maker") else \
            PERSON if head in PERSON_DESCRIPTORS else None
        if kind is None or t.i < t.head.i:
            continue
        first = t.i
        while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].head.i in (t.i, first) \
                and not doc[first - 1].ent_type_:
            first -= 1
        start, end = doc[first].idx, t.idx + len(t.text)
        text = text_of(doc)[start:end]
        out.append(_Mention(start, end, text, kind, text, DESCRIPTOR_WEIGHT))
    return out


def _descriptor_kind(doc: Doc, first: int) -> str | None:
    """PERSON or ORG when the word before a name describes it ("airline Ryanair")."""
    j = first - 1
    while j >= 0 and doc[j].is_punct and doc[j].text in ",":
        j -= 1
    if j < 0 or doc[j].pos_ not in ("NOUN", "PROPN"):
        return None
    word = doc[j].lower_.rstrip(".")
    if word in ORG_DESCRIPTORS or word.endswith("maker"):
        return ORG
    if word in PERSON_DESCRIPTORS:
        return PERSON
    return None


# Legal-form words an acronym often leaves out ("EADS" for "... Space Company").
CORPORATE_SUFFIXES = {"company", "co", "corporation", "corp", "inc", "incorporated", "group",
                      "ltd", "limited", "plc", "llc", "ag", "sa", "nv", "spa", "holdings"}


def _key_name(kind: str, label: str) -> str:
    """The name part of a cross-article key: an organisation's name without its legal
    form ("General Motors Corporation", "General Motors Corp." -> "general motors"), so
    articles that write it differently meet; never shorter than one word."""
    words = gazetteer.norm(label).split()
    if kind == ORG:
        while len(words) > 1 and words[-1] in CORPORATE_SUFFIXES:
            words = words[:-1]
    return " ".join(words)


def _family(kinds: set[str]) -> str:
    """Names merge only within a family: people, organisations and places can be
    confused by the model and are voted on; peoples, products, works... stay apart."""
    if kinds & {PERSON, ORG, PLACE}:
        return "named"
    return min(kinds)


def _acronyms(name: str) -> set[str]:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w[0].isupper()]
    out = {"".join(w[0] for w in words)}
    while words and words[-1].lower().rstrip(".") in CORPORATE_SUFFIXES:
        words = words[:-1]
        out.add("".join(w[0] for w in words))
    return out


def _compatible(short: str, long: str) -> bool:
    """Can ``short`` be a shorter reference to ``long``? Surnames, first parts of an
    organisation's name, and acronyms."""
    s, l = short.split(), long.split()
    if len(s) >= len(l):
        return False
    if l[-len(s):] == s or l[: len(s)] == s:
        return True
    compact = short.replace(".", "")
    return len(compact) >= 2 and compact.isupper() and compact in _acronyms(long)


class _Cluster:
    def __init__(self, name: str):
        self.names: list[str] = [name]
        self.mentions: list[_Mention] = []
        self.place: gazetteer.Place | None = None

    @property
    def full(self) -> str:
        return max(self.names, key=lambda n: (len(n.split()), len(n), n))

    def kind(self) -> str:
        if self.place is not None:
            return PLACE
        votes = Counter()
        for m in self.mentions:
            votes[m.kind] += m.weight
        return sorted(votes.items(), key=lambda kv: (-kv[1], NAME_KINDS.index(kv[0]) if kv[0] in NAME_KINDS else 99))[0][0]


@Language.factory("kg_entities")
def make_entities(nlp: Language, name: str):
    return EntityConsolidator()


class EntityConsolidator:
    """Writes ``doc._.kg_entities``: one EntityRecord per entity of the article."""

    def __call__(self, doc: Doc) -> Doc:
        ents, products = _product_names(doc)
        ents = [e for e in ents if e.text.strip(" .") not in TIME_ZONES]
        mentions = [m for ent in ents if ent.label_ in LABEL_KINDS if (m := _clean(doc, ent))]
        mentions += products
        mentions += [m for ent in ents if ent.label_ in ("ORG", "FAC") for m in _nested_places(doc, ent)]
        mentions += _flight_operators(doc)
        mentions += _appositive_names(doc)
        names = [m for m in mentions if m.kind in NAME_KINDS]
        values = [m for m in mentions if m.kind not in NAME_KINDS]
        clusters = self._cluster(names)
        self._find_missed(doc, clusters, mentions)
        doc._.kg_entities = self._records(clusters, values)
        return doc

    def _cluster(self, mentions: list[_Mention]) -> list[_Cluster]:
        by_name: dict[str, list[_Mention]] = defaultdict(list)
        for m in mentions:
            by_name[m.name].append(m)
        # Countries and continents first: every name of one, and every adjective for it
        # ("Russian"), is one cluster whatever the label the model gave.
        clusters: dict[str, _Cluster] = {}
        for name in sorted(by_name):
            group = by_name[name]
            if any(m.place for m in group):
                place = next(m.place for m in group if m.place)
                is_name = False
            elif any(m.kind in (PLACE, ORG) for m in group):
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
            parents = [c for c in named if any(_compatible(name, n) for n in c.names)
                       and _family({c.kind()}) == family]
            if len(parents) == 1:
                parents[0].names.append(name)
                parents[0].mentions += by_name[name]
                continue
            c = _Cluster(name)
            c.mentions += by_name[name]
            named.append(c)
        return list(clusters.values()) + named

    def _find_missed(self, doc: Doc, clusters: list[_Cluster], taken: list[_Mention]) -> None:
        """Mentions of a known name that the model did not tag (as a reader would)."""
        covered = [(m.start, m.end) for m in taken]
        text = text_of(doc)
        for ent in doc.ents:
            covered.append((ent.start_char, ent.end_char))
        for c in clusters:
            kind = c.kind()
            for name in c.names:
                if len(name) < 3 or not name[0].isupper():
                    continue
                for s, e in _whole_word_matches(text, name):
                    if any(s < ce and cs < e for cs, ce in covered):
                        continue
                    covered.append((s, e))
                    c.mentions.append(_Mention(s, e, name, kind, name, 0))

    def _records(self, clusters: list[_Cluster], values: list[_Mention]) -> list[EntityRecord]:
        context_countries = {c.place.country_code for c in clusters if c.place}
        by_geo: dict[int, str] = {}  # geonameid -> entity id, filled once ids are known
        pending: list[tuple[EntityRecord, _Cluster]] = []
        out = []
        for c in clusters:
            kind = c.kind()
            label = c.place.name if c.place else c.full
            rec = EntityRecord(id="", kind=kind, label=label, key="", mentions=[
                Mention(m.start, m.end, m.text) for m in sorted(c.mentions, key=lambda m: (m.start, m.end))])
            rec.alt_labels = sorted({n for n in c.names if n != label})
            pending.append((rec, c))
            place = c.place
            if place is None and kind == PLACE:
                place = gazetteer.city(label, context_countries)
            if place is not None:
                if place.geonameid and place.name != label:  # the gazetteer's name is canonical
                    rec.alt_labels = sorted({*rec.alt_labels, label} - {place.name})
                    rec.label = label = place.name
                rec.country_code = place.country_code if place.is_country else None
                if place.iri:
                    rec.same_as = [place.iri]
                rec.lat, rec.long = place.lat, place.long
                rec.key = f"place:geonames:{place.geonameid}" if place.geonameid else f"place:{gazetteer.norm(label)}"
            else:
                rec.key = f"{kind.lower()}:{_key_name(kind, label)}"
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
        return out


def _whole_word_matches(text: str, name: str):
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
