"""Quotations: direct speech in quotation marks and reported speech, with their speaker.

A quotation's speaker is the subject of its cue verb ("said Sanders", "Trump said",
"according to X"), in the quote's own sentence or, failing that, the sentence right
after or before it ('"..." she said.' / 'Sanders said: "..."'). Pronoun speakers resolve
through kg_coref's mentions, else to the last person named before the quote. Short
quoted phrases without a verb ('an "incredible offer"') are scare quotes, not speech, and
are left out. Cue verbs: the speech-act verbs of Pareti's PARC 3.0 attribution corpus
and the Statement class of the event lexicon.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import LEMMA, POS
from spacy.language import Language
from spacy.symbols import VERB
from spacy.tokens import Doc, Span, Token

from kg.records import NORP, ORG, PERSON, PLACE, Mention, QuoteRecord
from kg.nlp.lexicons.dependencies import APPOS, CCOMP, COMPOUND, POBJ, POSS, PREP, SUBJECTS
from kg.nlp.lexicons.quotes import (ACCORDING, CLOSING_ONLY, CUE_VERBS, OPENING_ONLY, QUOTE_MARKS,
                                    SPEAKER_PRONOUNS)
from kg.nlp.spans import MentionIndex, text_of


@Language.factory(
    "kg_quotes",
    default_config={"min_words": 4, "reported_speech": True},
    requires=["doc._.kg_entities", "doc._.kg_events", "doc.sents", "token.dep", "token.head", "token.lemma"],
    assigns=["doc._.kg_quotes"],
)
def make_quotes(nlp: Language, name: str, min_words: int, reported_speech: bool):
    """min_words: a quotation needs at least this many words, or a verb, to be speech (and
    a reported clause this many tokens); reported_speech: also read cue verbs with a clause
    complement outside quotation marks ("Trump said the talks went well")."""
    return QuoteFinder(min_words, reported_speech)


class QuoteFinder:
    """Writes ``doc._.kg_quotes``."""

    def __init__(self, min_words: int = 4, reported_speech: bool = True):
        self.min_words = min_words
        self.reported_speech = reported_speech

    def __call__(self, doc: Doc) -> Doc:
        ents = doc._.kg_entities or []
        ent_index = MentionIndex.of(ents)
        ev_index = MentionIndex.of(doc._.kg_events or [])
        kinds = {e.id: e.kind for e in ents}
        persons = sorted((m.start, e.id) for e in ents if e.kind == PERSON for m in e.mentions)
        out: list[QuoteRecord] = []
        regions = quoted_regions(text_of(doc))
        inside = set()
        spans = [doc.char_span(b, e, alignment_mode="expand") for b, e in regions]
        for span in spans:
            if span is not None:
                inside.update(range(span.start, span.end))
        text = text_of(doc)
        opened = None  # the quote of the paragraph before, if it was left open at its end
        for (start, end), span in zip(regions, spans):
            if span is None:
                continue
            inner = text[start + 1:end - 1].strip()
            if len(inner.split()) < self.min_words and not any(t.pos_ in ("VERB", "AUX") for t in span):
                continue
            cue = self._cue(doc, span, inside)
            speaker = self._speaker(cue, ent_index, kinds, persons, start) if cue is not None else None
            if speaker is None and opened is not None and not text[opened[0]:start].strip():
                # A paragraph that opens a quotation the one before left open goes on with
                # it (British and wire style): the same speaker, through the same cue (a
                # cue of its own that names no one says no more).
                cue, speaker = opened[1], opened[2]
            opened = (end, cue, speaker) if text[end - 1] not in QUOTE_MARKS else None
            out.append(QuoteRecord(
                id="", text=inner, start=start + 1 + (len(text[start + 1:end - 1]) - len(text[start + 1:end - 1].lstrip())),
                end=start + 1 + len(text[start + 1:end - 1].rstrip()), speaker=speaker,
                cue=Mention(cue.idx, cue.idx + len(cue.text), cue.text) if cue is not None else None,
                event=ev_index.token(cue) if cue is not None else None, direct=True))
        # Reported speech: a cue verb outside quotes with a clause complement that holds
        # no quotation of its own (a scare-quoted phrase inside is fine).
        speech = set()
        for q in out:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is not None:
                speech.update(range(span.start, span.end))
        # Only verbs of the cue list can be cues: picked from spaCy's arrays, no Token made
        # for the rest, each lemma looked up once.
        arr = doc.to_array([POS, LEMMA])
        verbs = numpy.flatnonzero(arr[:, 0] == VERB).tolist() if self.reported_speech else []
        lemmas, strings = {}, doc.vocab.strings
        for i in verbs:
            h = int(arr[i, 1])
            if h not in lemmas:
                lemmas[h] = strings[h].lower()
            if i in inside or lemmas[h] not in CUE_VERBS:
                continue
            tok = doc[i]
            comp = [c for c in tok.children if c.dep_ == CCOMP and c.i not in speech]
            if not comp:
                continue
            sub = list(comp[0].subtree)
            if any(t.i in speech for t in sub) or len(sub) < self.min_words:
                continue
            speaker = self._speaker(tok, ent_index, kinds, persons, tok.idx)
            if speaker is None:
                continue
            start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
            out.append(QuoteRecord(id="", text=text_of(doc)[start:end], start=start, end=end, speaker=speaker,
                                   cue=Mention(tok.idx, tok.idx + len(tok.text), tok.text),
                                   event=ev_index.token(tok), direct=False))
        out.sort(key=lambda q: (q.start, q.end))
        for i, q in enumerate(out):
            q.id = f"q{i}"
        doc._.kg_quotes = out
        return doc

    @staticmethod
    def _cue(doc: Doc, quote: Span, quoted: set[int]) -> Token | None:
        """The speech verb of a quotation, outside every quotation: in the sentences the
        quote touches (one that governs the quote first, else the nearest), else in the
        next sentence, else in the previous one."""
        sents = list(doc.sents)
        first = next(i for i, s in enumerate(sents) if s.start <= quote.start < s.end)
        last = next((i for i, s in enumerate(sents) if s.start < quote.end <= s.end), first)
        inner = set(range(quote.start, quote.end))
        for group in (sents[first:last + 1], sents[last + 1:last + 2], sents[max(first - 1, 0):first]):
            cues = []
            for sent in group:
                for tok in sent:
                    if tok.i in quoted:
                        continue
                    if tok.lemma_.lower() in CUE_VERBS and tok.pos_ == "VERB":
                        cues.append(tok)
                    elif tok.lower_ == ACCORDING[0] and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == ACCORDING[1]:
                        cues.append(tok)
            if cues:
                governing = [c for c in cues if any(t.i in inner for t in c.subtree)]
                if governing:
                    return governing[0]
                return min(cues, key=lambda c: min(abs(c.i - quote.start), abs(c.i - quote.end)))
        return None

    @staticmethod
    def _speaker(cue: Token, ent_index: MentionIndex, kinds, persons, before: int) -> str | None:
        if cue.lower_ == ACCORDING[0]:
            for t in cue.doc[cue.i + 1].children:
                if t.dep_ == POBJ:
                    return ent_index.token(t)
            return None
        for c in cue.children:
            if c.dep_ in SUBJECTS:
                eid = ent_index.token(c)
                if kinds.get(eid) not in _SPEAKER_KINDS:  # none, or "his spokesman" (unnamed)
                    eid = None
                if eid is None:  # "her colleague Tom Hart": the one named in apposition speaks
                    eid = next((e for g in c.children if g.dep_ == APPOS and (e := ent_index.token(g))), None)
                if eid is None:
                    for g in c.children:  # "a spokesman for GM": the organisation speaks
                        if g.dep_ in (COMPOUND, POSS) or g.dep_ == PREP:
                            eid = ent_index.token(g) or next(
                                (ent_index.token(x) for x in g.children if x.dep_ == POBJ), None)
                            if eid:
                                break
                if eid is None and c.pos_ == "PRON" and c.lower_ in SPEAKER_PRONOUNS:
                    prior = [pid for start, pid in persons if start < before]
                    eid = prior[-1] if prior else None
                if eid is not None and kinds.get(eid) in _SPEAKER_KINDS:
                    return eid
        return None


_SPEAKER_KINDS = (PERSON, ORG, PLACE, NORP)
_QUOTE_OR_LINE = re.compile(f"[{re.escape(QUOTE_MARKS)}\n]")


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Spans from an opening to a closing quotation mark (both included). Straight double
    quotes pair up in order; curly ones open and close; an apostrophe inside a word
    (Trump’s) is not a quote. At a line break inside a quote:

    - the next line opens with a quotation mark: the quote goes on in the next paragraph
      (the convention of British and most wire style, which opens each paragraph of a
      long quotation again and closes only the last): the span ends with its line, as if
      closed there, and the next one opens;
    - a paragraph break (a blank line) otherwise closes it, unpaired, as no quote;
    - a single line break otherwise is a wrapped line: the quote goes on.

    A span closed at its line break ends one character after its last non-blank one (as
    past a closing mark)."""
    regions, open_at = [], None
    for m in _QUOTE_OR_LINE.finditer(text):  # only these characters matter: no walk over every one
        i, ch = m.start(), m.group()
        if ch in QUOTE_MARKS:
            if open_at is not None and _reopens(text, i, ch):
                # the quote goes on in a new paragraph run into this one ('peace and
                # harmony. "However, ...'): as at a line break, it ends with its sentence
                regions.append((open_at, _blank_start(text, i) + 1))
                open_at = i
            elif open_at is None and ch != CLOSING_ONLY and not _closes_only(text, i, ch):
                open_at = i
            elif open_at is not None and ch != OPENING_ONLY:
                regions.append((open_at, i + 1))
                open_at = None
        elif open_at is not None:
            nxt = _NEXT_LINE.match(text, i)
            if nxt.group(2) and nxt.group(2) != CLOSING_ONLY:
                last = _blank_start(text, i)
                if last > open_at + 1:
                    regions.append((open_at, last + 1))
                open_at = None
            elif "\n" in nxt.group(1)[1:]:
                open_at = None
    return regions


def _closes_only(text: str, i: int, ch: str) -> bool:
    """Is the straight mark at i, met outside any quote, one that can only close: right
    after a word ('a very fine record," he said' whose opening mark the writer left out)?
    Pairing it as an opening one would turn every later quote inside out."""
    return ch == '"' and i > 0 and not text[i - 1].isspace() and text[i - 1] not in _BEFORE_OPENING


# What may come right before an opening mark with no space: brackets, dashes, a slash,
# a colon ('said:"We'), another mark.
_BEFORE_OPENING = "([{\u2014\u2013-/:'\u2018\u201c"


def _reopens(text: str, i: int, ch: str) -> bool:
    """Is the mark at i, met inside a quote, an opening one after a finished sentence: a
    space before it and a sentence's end before that, a word right after it ('harmony.
    "However')? A closing mark follows its last word with no space."""
    if ch == CLOSING_ONLY or i == 0 or i + 1 >= len(text) or not text[i - 1].isspace() \
            or text[i + 1].isspace():
        return False
    end = _blank_start(text, i)
    return end > 0 and text[end - 1] in ".!?"


def _blank_start(text: str, i: int) -> int:
    """Where the blanks that run up to ``i`` begin: the end of the text before them (a scan
    back, not a copy of all the text before ``i`` for each quotation mark)."""
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i


# A line break, the blank lines after it, and the quotation mark that opens the next line.
_NEXT_LINE = re.compile(f"(\n[ \t\n]*)([{re.escape(QUOTE_MARKS)}]?)")
