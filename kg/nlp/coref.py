"""Pronoun and definite-description coreference, conservatively.

Adds mentions to the entities of ``doc._.kg_entities``: "he" / "she" / "his" to the most
recent person, "its" / "it" (as an argument) to the most recent organisation, and "the
company" / "the airline" / "the country" to the most recent entity of the matching kind,
within a short window. These are the heuristics of Hobbs-style and Lappin & Leass
salience resolution reduced to recency, agreement and kind; where they are not sure they
add nothing, since a wrong link merges two entities in the graph.
"""
from __future__ import annotations

import bisect

import numpy
from spacy.attrs import LOWER, POS, SENT_START
from spacy.language import Language
from spacy.symbols import NOUN, PRON
from spacy.tokens import Doc, Span

from kg.nlp.lexicons.coreference import (CITY, COUNTRY, DESCRIPTION_HEADS, GENDERED_HONORIFICS, IT_ARGUMENT_DEPS,
                                         PRONOUNS)
from kg.nlp.lexicons.dependencies import COMPOUND, DATIVE, DET, DOBJ, POBJ, PREP, SUBJECTS
from kg.nlp.spans import text_of
from kg.records import PERSON, PLACE, Mention
from kg.nlp.quotes import quoted_regions


@Language.factory(
    "kg_coref",
    default_config={"window_sentences": 2, "descriptions": True},
    requires=["doc._.kg_entities", "doc.sents", "token.tag", "token.dep", "token.head", "token.lemma"],
    # Adds the mentions it resolves to the entities of doc._.kg_entities.
    assigns=["doc._.kg_entities"],
)
def make_coref(nlp: Language, name: str, window_sentences: int, descriptions: bool):
    """window_sentences: how many sentences back an antecedent may be; descriptions:
    resolve definite descriptions ("the company") as well as pronouns."""
    return Coreference(window_sentences, descriptions)


class Coreference:
    """Adds pronoun and description mentions to ``doc._.kg_entities``."""

    def __init__(self, window_sentences: int = 2, descriptions: bool = True):
        self.window_sentences = window_sentences
        self.descriptions = descriptions

    def __call__(self, doc: Doc) -> Doc:
        ents = doc._.kg_entities
        if not ents:
            return doc
        # Every entity mention, by start offset, with its record.
        spans = sorted(((m.start, m.end, e) for e in ents for m in e.mentions), key=lambda x: x[:2])
        ctx = _Mentions(doc, spans)
        taken = {(s, e) for s, e, _ in spans}
        quoted = quoted_regions(text_of(doc))
        gender = _honorific_genders(doc, ents)
        added: list[tuple[object, Mention]] = []
        # Only the pronouns and the description nouns of the lists can refer (the two
        # branches below): the others are passed over in spaCy's arrays, without making
        # a Token of each.
        strings = doc.vocab.strings
        pronouns = {strings[w] for w in PRONOUNS}
        heads = {strings[w] for heads in DESCRIPTION_HEADS.values() for w in heads}
        arr = doc.to_array([POS, LOWER])
        nominals = numpy.flatnonzero((arr[:, 0] == PRON) | (arr[:, 0] == NOUN))
        for i, (pos, low_id) in zip(nominals.tolist(), arr[nominals].tolist()):
            if low_id not in (pronouns if pos == PRON else heads):
                continue
            tok = doc[i]
            want = None
            low = tok.lower_
            if low in PRONOUNS and tok.pos_ == "PRON":
                kind, g = PRONOUNS[low]
                if low == "it" and (tok.dep_ not in IT_ARGUMENT_DEPS or tok.head.lemma_ == "be"):
                    continue  # expletive "it is ...", or a clause's "it"
                if any(b <= tok.idx < e for b, e in quoted):
                    continue  # inside a quotation "he" is seldom the last person named
                want = (kind, g, tok.idx, tok.idx + len(tok.text))
            elif self.descriptions and tok.pos_ == "NOUN" and tok.tag_ == "NN" and any(
                    low in heads for heads in DESCRIPTION_HEADS.values()):
                det = [c for c in tok.children if c.dep_ == DET and c.lower_ == "the"]
                if not det or tok.dep_ == COMPOUND:
                    continue
                kind = next(k for k, heads in DESCRIPTION_HEADS.items() if low in heads)
                span = _description_span(doc, tok)
                want = (kind, None, span.start_char, span.end_char)
            if want is None:
                continue
            kind, g, start, end = want
            if (start, end) in taken:
                continue
            ent = self._antecedent(ctx, start, kind, g, gender, tok)
            if ent is None:
                continue
            if g:
                gender.setdefault(ent.id, g)
            m = Mention(start, end, text_of(doc)[start:end])
            added.append((ent, m))
            taken.add((start, end))
        for ent, m in added:
            ent.mentions.append(m)
            ent.mentions.sort(key=lambda x: (x.start, x.end))
        return doc

    def _antecedent(self, ctx: "_Mentions", start, kind, g, gender, tok):
        """The most salient compatible entity: a subject in the pronoun's sentence, else in
        the sentences before (subject salience, Lappin & Leass 1994), else the most recent."""
        sent_of = ctx.sent_of
        here = sent_of[tok.i]
        clause = _own_clause_verb(tok)
        candidates = []
        # Mentions starting after ``start`` also end after it: the scan begins before them.
        spans = ctx.spans
        for k in range(bisect.bisect_right(ctx.starts, start) - 1, -1, -1):
            s, e, ent = spans[k]
            if e > start:
                continue
            span = ctx.span(s, e)
            if span is None or here - sent_of[span.start] > self.window_sentences:
                break
            if not _compatible(ent, kind) or (g and gender.get(ent.id, g) != g):
                continue
            candidates.append((span, ent))
        if clause is not None:  # "Corbyn accused her": not Corbyn, by any of his mentions
            bound = {id(ent) for span, ent in candidates if span.root.head.i == clause and ctx.root_dep(span) in SUBJECTS}
            candidates = [(span, ent) for span, ent in candidates if id(ent) not in bound]
        for back in range(self.window_sentences + 1):
            for span, ent in candidates:
                if sent_of[span.start] == here - back and ctx.root_dep(span) in SUBJECTS:
                    return ent
        return candidates[0][1] if candidates else None


def _honorific_genders(doc: Doc, ents) -> dict[str, str]:
    """The gender a person's honorific tells ("Mr Blake", "Ms Johnston"), by entity id:
    a pronoun of the other gender does not refer to them. Only where the honorifics of
    one person agree."""
    found: dict[str, set[str]] = {}
    text = text_of(doc)
    for e in ents:
        if e.kind != PERSON:
            continue
        for m in e.mentions:
            word = text[max(0, m.start - 6):m.start].split()[-1:] if m.start else []
            g = GENDERED_HONORIFICS.get(word[0].lower().rstrip(".")) if word else None
            if g:
                found.setdefault(e.id, set()).add(g)
    return {eid: next(iter(gs)) for eid, gs in found.items() if len(gs) == 1}


def _own_clause_verb(tok) -> int | None:
    """The verb whose object a non-reflexive pronoun is ("Corbyn accused her", "spoke to
    him"): its subject is not the pronoun's antecedent (binding theory's principle B; the
    syntactic filter of Lappin & Leass 1994). None for subjects, possessives and "-self"."""
    if tok.lower_.endswith(("self", "selves")):
        return None
    if tok.dep_ in (DOBJ, DATIVE):
        return tok.head.i
    if tok.dep_ == POBJ and tok.head.dep_ == PREP:
        return tok.head.head.i
    return None


class _Mentions:
    """One doc's entity mentions as ``(start, end, record)`` sorted, with their token
    spans and the roots' dependencies made once each (every pronoun looks back over the
    same mentions), and the sentence of each token."""

    def __init__(self, doc: Doc, spans):
        self.doc, self.spans = doc, spans
        self.starts = [s for s, _, _ in spans]
        # Sentence numbers from the sentence starts (Doc.sents' rule: token 0 and every
        # token whose sent_start is 1 begin one), without a Span per sentence.
        starts = doc.to_array(SENT_START) == 1
        starts[:1] = False
        self.sent_of: list[int] = numpy.cumsum(starts).tolist()
        self._spans: dict[tuple[int, int], Span | None] = {}
        self._deps: dict[tuple[int, int], str] = {}

    def span(self, s: int, e: int) -> Span | None:
        key = (s, e)
        if key not in self._spans:
            self._spans[key] = self.doc.char_span(s, e, alignment_mode="expand")
        return self._spans[key]

    def root_dep(self, span: Span) -> str:
        key = (span.start, span.end)
        if key not in self._deps:
            self._deps[key] = span.root.dep_
        return self._deps[key]


def _compatible(ent, kind) -> bool:
    if kind == COUNTRY:
        return ent.kind == PLACE and bool(ent.country_code)
    if kind == CITY:
        return ent.kind == PLACE and not ent.country_code and bool(ent.same_as)
    return ent.kind == kind


def _description_span(doc: Doc, head) -> Span:
    """'the company', 'the US airline': the head noun with its left modifiers."""
    left = min([c.i for c in head.lefts] + [head.i])
    return doc[left:head.i + 1]

