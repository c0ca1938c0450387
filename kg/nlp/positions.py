"""People's positions, affiliations and nationality, read from the words around a name.

"Russian President Vladimir Putin" -> Putin holds "president" in Russia;
"White House Press Secretary Sarah Sanders" -> "press secretary" in the White House;
"former U.S. ambassador to Russia Michael McFaul" -> former "ambassador to Russia" of the
United States; "British financier Bill Browder" -> "financier", nationality British;
"Mary Barra, the chief executive of GM," -> "chief executive" of GM.
Premodifier titles and appositions are the two constructions the ACE 2005 guidelines
(relation ORG-AFF / Employment, PER-SOC) and Wikidata's "position held" cover most.
"""
from __future__ import annotations

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.records import NORP, ORG, PERSON, PLACE, Mention, PositionRecord
from kg.nlp.lexicons.dependencies import ACL, APPOS, CONJ, DET, RELCL
from kg.nlp.lexicons.positions import (DESTINATION_PREPOSITION, FORMER_WORDS, OFFICE_WORDS, PREPOSITIONS,
                                       TITLE_WORDS)
from kg.nlp.spans import MentionIndex, text_of


# What follows an apposition's noun phrase without being part of what names the person:
# clauses (ClearNLP relcl, acl) and further appositions. Conjoined titles stay: both are
# the person's ("Chairman and Chief Operating Officer of AirTran Airways", as MEANTIME
# marks the mention).
CLAUSE_DEPS = {RELCL, ACL, APPOS}


@Language.factory(
    "kg_positions",
    default_config={"appositions": True, "title_references": True},
    requires=["doc._.kg_entities", "token.dep", "token.head"],
    # Sets people's nationality and adds title mentions ("the chief executive of GM") to
    # the entities of doc._.kg_entities.
    assigns=["doc._.kg_positions", "doc._.kg_entities"],
)
def make_positions(nlp: Language, name: str, appositions: bool, title_references: bool):
    """appositions: read positions from appositions ("Name, the chief executive of GM,"),
    which are also mentions of the person; title_references: a title with its organisation
    and no name ("the Prime Minister of Canada") is a mention of its one holder."""
    return Positions(appositions, title_references)


class Positions:
    """Writes ``doc._.kg_positions`` and sets ``nationality`` on people's entity records."""

    def __init__(self, appositions: bool = True, title_references: bool = True):
        self.appositions = appositions
        self.title_references = title_references

    def __call__(self, doc: Doc) -> Doc:
        ents = doc._.kg_entities or []
        # Mentions found on the way, added to the entities once every position is read:
        # (apposed name span, apposition) and (person id, title reference).
        appositions: list[tuple[object, Mention]] = []
        references: list[tuple[str, Mention]] = []
        index = MentionIndex.of(ents)
        by_id = {e.id: e for e in ents}
        out: list[PositionRecord] = []
        seen = set()
        for person in ents:
            if person.kind != PERSON:
                continue
            for m in person.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None or not span.text[:1].isupper():
                    continue
                for found in (self._premodifier(doc, span.start, index, by_id),
                              self._apposition(doc, span, index, by_id, appositions) if self.appositions else None):
                    if found is None:
                        continue
                    title, org, former, nationality, mention = found
                    if nationality and not person.nationality:
                        person.nationality = nationality
                    if not title:
                        continue
                    key = (person.id, title, org, former)
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append(PositionRecord(f"p{len(out)}", person.id, title, org, former, mention))
        if self.title_references:
            self._title_references(doc, out, index, references)
        for pid, m in references:
            by_id[pid].mentions.append(m)
            by_id[pid].mentions.sort(key=lambda x: (x.start, x.end))
        for span, m in appositions:
            person = by_id.get(index.span(span))
            if person is not None and all((x.start, x.end) != (m.start, m.end) for x in person.mentions):
                person.mentions.append(m)
                person.mentions.sort(key=lambda x: (x.start, x.end))
        # "President Putin" adds nothing to "Russian President Putin".
        placed = {(p.person, p.title, p.former) for p in out if p.organization}
        out = [p for p in out if p.organization or (p.person, p.title, p.former) not in placed]
        for i, p in enumerate(out):
            p.id = f"p{i}"
        doc._.kg_positions = out
        return doc

    @staticmethod
    def _title_references(doc: Doc, positions, index: MentionIndex, references: list) -> None:
        """'the Prime Minister of Canada' with no name: a mention of the one person the
        article gives that position (title and organisation) to."""
        holders: dict[tuple[str, str], set[str]] = {}
        for p in positions:
            if p.organization and not p.former:
                holders.setdefault((p.title, p.organization), set()).add(p.person)
        if not holders:
            return
        # Capitalised title words: found in spaCy's array of lower-case forms, so that a
        # Token is made only of the title words, not of every word.
        ids = {doc.vocab.strings[w] for w in TITLE_WORDS}
        titles = {i for i, low_id in enumerate(doc.to_array(LOWER).tolist())
                  if low_id in ids and doc[i].text[:1].isupper()}
        i = 0
        while i < len(doc):
            if i not in titles or index.token(doc[i]) is not None:
                i += 1
                continue
            t = doc[i]
            j = i
            while j < len(doc) and j in titles:
                j += 1
            if j + 1 < len(doc) and doc[j].lower_ == "of" and index.token(doc[j + 1]):
                org = index.token(doc[j + 1])
                org_end = j + 1
                while org_end + 1 < len(doc) and index.token(doc[org_end + 1]) == org:
                    org_end += 1
                title = " ".join(x.lower_ for x in doc[i:j])
                people = holders.get((title, org), set())
                if len(people) == 1:
                    start = doc[i - 1].idx if i > 0 and doc[i - 1].lower_ == "the" else t.idx
                    end = doc[org_end].idx + len(doc[org_end].text)
                    references.append((next(iter(people)), Mention(start, end, text_of(doc)[start:end])))
                i = org_end + 1
                continue
            i = j

    def _premodifier(self, doc: Doc, first: int, index: MentionIndex, by_id):
        """Title words, entities and "former" right before the name, as one phrase."""
        i = first - 1
        words: list[Token] = []
        while i >= 0:
            t = doc[i]
            low = t.lower_.rstrip(".")
            in_entity = index.token(t) is not None
            if low in TITLE_WORDS or low in FORMER_WORDS or in_entity or (
                    low in PREPOSITIONS and words and index.token(words[0]) is not None):
                words.insert(0, t)
                i -= 1
                continue
            break
        # Drop leading entity tokens that are not followed by a title ("Trump and Putin").
        if not any(t.lower_.rstrip(".") in TITLE_WORDS for t in words):
            return None
        return self._read(doc, words, index, by_id)

    def _apposition(self, doc: Doc, span, index: MentionIndex, by_id, appositions: list):
        """'Name, the chief executive of GM,' -> the appositive noun phrase, which is also
        a mention of the person (apposition is coreference, as in OntoNotes)."""
        for child in span.root.children:
            if child.dep_ == APPOS and child.lower_ in TITLE_WORDS:
                if any(c.dep_ in (APPOS, CONJ) and index.token(c) not in (None, index.span(span))
                       for c in child.children):
                    # "Ruddock, the Foreign Minister, Alexander Downer, and ...": the title has
                    # another name of its own, a list the parser took for an apposition
                    return None
                # The noun phrase without what only follows it: a relative or participle
                # clause ("the British actor best known for ...")
                sub = sorted([child] + [t for c in child.children if c.dep_ not in CLAUSE_DEPS
                                        for t in c.subtree], key=lambda t: t.i)
                while sub and sub[-1].is_punct:
                    sub.pop()
                words = [t for t in sub if not t.is_punct and t.dep_ != DET]
                found = self._read(doc, words, index, by_id)
                if found is not None:
                    start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
                    appositions.append((span, Mention(start, end, text_of(doc)[start:end])))
                return found
        return None

    def _read(self, doc: Doc, words: list[Token], index: MentionIndex, by_id):
        former = any(t.lower_.rstrip(".") in FORMER_WORDS for t in words)
        title_toks = []
        org = nationality = None
        after_prep = None
        for t in words:
            low = t.lower_.rstrip(".")
            eid = index.token(t)
            if low in FORMER_WORDS:
                continue
            if low in PREPOSITIONS and title_toks:
                after_prep = low
                if low == DESTINATION_PREPOSITION:  # "ambassador to Russia": the destination is part of the title
                    title_toks.append(t)
                continue
            if eid is not None:
                ent = by_id[eid]
                if after_prep == DESTINATION_PREPOSITION:
                    title_toks.append(t)
                elif after_prep:  # "chief executive of GM": where the position is
                    if ent.kind in (ORG, PLACE):
                        org = eid
                elif ent.kind in (ORG, PLACE) and org is None:
                    org = eid
                elif ent.kind == NORP and ent.nationality:
                    nationality = ent.nationality
                continue
            if low in TITLE_WORDS or title_toks:
                title_toks.append(t)
        while title_toks and title_toks[-1].lower_ in PREPOSITIONS:
            title_toks.pop()
        if not title_toks:
            return None
        title_low = " ".join(t.text if index.token(t) else t.lower_ for t in title_toks)
        heads = {t.lower_.rstrip(".") for t in title_toks}
        if org is not None:
            ent = by_id[org]
            if ent.kind == PLACE and ent.country_code and not heads & OFFICE_WORDS:
                nationality, org = org, None  # "British financier": a nationality
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        return title_low, org, former, nationality, Mention(start, end, text_of(doc)[start:end])
