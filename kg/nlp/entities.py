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

from .. import gazetteer
from ..records import ORG, PERSON, PLACE, EntityRecord, Mention

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
POSSESSIVE = re.compile(r"(?:['\u2019]s?)$")
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


def _clean(doc: Doc, ent) -> _Mention | None:
    tokens = list(ent)
    # Leading titles are not part of the name ("President Putin" -> "Putin").
    while len(tokens) > 1 and tokens[0].lower_.rstrip(".") in TITLES and tokens[0].ent_iob_ and ent.label_ == "PERSON":
        tokens = tokens[1:]
    # Trailing possessive marker ("Trump's", "Russians'").
    while tokens and tokens[-1].tag_ == "POS":
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc.text[start:end]
    m = POSSESSIVE.search(text)
    if m and m.start() > 0 and ent.label_ not in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL"):
        end -= len(m.group(0))
        text = doc.text[start:end]
    text_stripped = text.rstrip(" .,;:") if not text.endswith(".") or len(text) > 4 and text[-4:-3] != "." else text
    end = start + len(text_stripped)
    text = text_stripped
    if not text.strip():
        return None
    kind = LABEL_KINDS[ent.label_]
    name = re.sub(r"^(?i:the)\s+", "", text)
    name = " ".join(name.split())
    weight = FULL_NAME_WEIGHT if kind == PERSON and len(name.split()) > 1 else 1
    return _Mention(start, end, text, kind, name, weight)


def _acronym(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words)


def _compatible(short: str, long: str) -> bool:
    """Can ``short`` be a shorter reference to ``long``? Surnames, first parts of an
    organisation's name, and acronyms."""
    s, l = short.split(), long.split()
    if len(s) >= len(l):
        return False
    if l[-len(s):] == s or l[: len(s)] == s:
        return True
    compact = short.replace(".", "")
    return len(compact) >= 2 and compact.isupper() and compact == _acronym(long)


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
        mentions = [m for ent in doc.ents if ent.label_ in LABEL_KINDS if (m := _clean(doc, ent))]
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
        # Countries first: every name of one country is one cluster whatever its label.
        clusters: dict[str, _Cluster] = {}
        for name in sorted(by_name):
            place = gazetteer.country(name) if any(m.kind in (PLACE, ORG) for m in by_name[name]) else None
            if place is not None:
                key = f"country:{place.country_code}"
                c = clusters.setdefault(key, _Cluster(name))
                if name not in c.names:
                    c.names.append(name)
                c.place = place
                c.mentions += by_name.pop(name)
        # Longest names first; a shorter name joins the one longer name it can refer to.
        order = sorted(by_name, key=lambda n: (-len(n.split()), -len(n), n))
        named: list[_Cluster] = []
        for name in order:
            kinds = {m.kind for m in by_name[name]}
            parents = [c for c in named if any(_compatible(name, n) for n in c.names)
                       and ("NORP" in kinds) == (c.kind() == "NORP")]
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
        for ent in doc.ents:
            covered.append((ent.start_char, ent.end_char))
        for c in clusters:
            kind = c.kind()
            for name in c.names:
                if len(name) < 3 or not name[0].isupper():
                    continue
                for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", doc.text):
                    s, e = m.start(), m.end()
                    if any(s < ce and cs < e for cs, ce in covered):
                        continue
                    covered.append((s, e))
                    c.mentions.append(_Mention(s, e, name, kind, name, 0))

    def _records(self, clusters: list[_Cluster], values: list[_Mention]) -> list[EntityRecord]:
        context_countries = {c.place.country_code for c in clusters if c.place}
        out = []
        for c in clusters:
            kind = c.kind()
            label = c.place.name if c.place else c.full
            rec = EntityRecord(id="", kind=kind, label=label, key="", mentions=[
                Mention(m.start, m.end, m.text) for m in sorted(c.mentions, key=lambda m: (m.start, m.end))])
            rec.alt_labels = sorted({n for n in c.names if n != label})
            place = c.place
            if place is None and kind == PLACE:
                place = gazetteer.city(label, context_countries)
            if place is not None:
                rec.country_code = place.country_code if place.is_country else None
                if place.iri:
                    rec.same_as = [place.iri]
                rec.lat, rec.long = place.lat, place.long
                rec.key = f"place:geonames:{place.geonameid}" if place.geonameid else f"place:{gazetteer.norm(label)}"
            else:
                rec.key = f"{kind.lower()}:{gazetteer.norm(label)}"
            out.append(rec)
        for m in values:
            out.append(EntityRecord(id="", kind=m.kind, label=m.text, key="",
                                    mentions=[Mention(m.start, m.end, m.text)]))
        out.sort(key=lambda r: (r.mentions[0].start, r.mentions[0].end, r.label))
        for i, r in enumerate(out):
            r.id = f"e{i}"
        return out
