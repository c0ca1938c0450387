"""Pronoun and definite-description coreference, conservatively.

Adds mentions to the entities of ``doc._.kg_entities``: "he" / "she" / "his" to the most
recent person, "its" / "it" (as an argument) to the most recent organisation, and "the
company" / "the airline" / "the country" to the most recent entity of the matching kind,
within a short window. These are the heuristics of Hobbs-style and Lappin & Leass
salience resolution reduced to recency, agreement and kind; where they are not sure they
add nothing, since a wrong link merges two entities in the graph.
"""
from __future__ import annotations

import numpy
from spacy.attrs import POS
from spacy.language import Language
from spacy.symbols import NOUN, PRON
from spacy.tokens import Doc, Span

from kg.nlp.lexicons.coreference import CITY, COUNTRY, DESCRIPTION_HEADS, IT_ARGUMENT_DEPS, PRONOUNS
from kg.nlp.lexicons.dependencies import COMPOUND, DET, SUBJECTS
from kg.nlp.spans import text_of
from kg.records import PLACE, Mention
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
        taken = {(s, e) for s, e, _ in spans}
        sents = list(doc.sents)
        sent_of = {}
        for i, s in enumerate(sents):
            for t in range(s.start, s.end):  # indices: no Token object per token
                sent_of[t] = i
        quoted = quoted_regions(text_of(doc))
        gender: dict[str, str] = {}
        added: list[tuple[object, Mention]] = []
        # Only pronouns and nouns can refer (the two branches below): the others are
        # passed over in spaCy's array, without making a Token of each.
        pos = doc.to_array(POS)
        for i in numpy.flatnonzero((pos == PRON) | (pos == NOUN)):
            tok = doc[int(i)]
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
            ent = self._antecedent(spans, start, kind, g, gender, sent_of, doc, tok)
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

    def _antecedent(self, spans, start, kind, g, gender, sent_of, doc, tok):
        """The most salient compatible entity: a subject in the pronoun's sentence, else in
        the sentences before (subject salience, Lappin & Leass 1994), else the most recent."""
        here = sent_of.get(tok.i, 0)
        candidates = []
        for s, e, ent in reversed(spans):
            if e > start:
                continue
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or here - sent_of.get(span.start, 0) > self.window_sentences:
                break
            if not _compatible(ent, kind) or (g and gender.get(ent.id, g) != g):
                continue
            candidates.append((span, ent))
        for back in range(self.window_sentences + 1):
            for span, ent in candidates:
                if sent_of.get(span.start) == here - back and span.root.dep_ in SUBJECTS:
                    return ent
        return candidates[0][1] if candidates else None


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

