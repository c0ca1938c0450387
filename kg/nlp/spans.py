"""Looking up which record a character span or token belongs to."""
from __future__ import annotations

import bisect
from itertools import accumulate
from typing import Iterable

from spacy.attrs import DEP, HEAD, IDX, IS_PUNCT, LEMMA, LENGTH, LOWER, POS, TAG
from spacy.tokens import Doc, Span, Token

from kg.nlp.lexicons.dependencies import POBJ


class MentionIndex:
    """Maps character offsets to the id of the record whose mention covers them.

    Built from ``(start, end, id)`` triples; ``at(start, end)`` returns the id of a
    mention overlapping the span, preferring the longest."""

    def __init__(self, spans: Iterable[tuple[int, int, str]]):
        self._spans = sorted(spans)
        self._starts = [s for s, _, _ in self._spans]
        # The furthest end of the spans up to each one: where it is at or before a
        # lookup's start, no span from there back overlaps it, so the scan stops.
        self._reach = list(accumulate((e for _, e, _ in self._spans), max))

    @classmethod
    def of(cls, records) -> "MentionIndex":
        return cls((m.start, m.end, r.id) for r in records or () for m in r.mentions)

    def at(self, start: int, end: int) -> str | None:
        best, best_len = None, -1
        i = bisect.bisect_right(self._starts, end - 1)
        spans, reach = self._spans, self._reach
        for k in range(i - 1, -1, -1):  # backwards from i, without copying the list up to i
            if reach[k] <= start:
                break
            s, e, rid = spans[k]
            if e > start and s < end and e - s > best_len:
                best, best_len = rid, e - s
            if e - s > 0 and s < start - 400:
                break
        return best

    def token(self, tok: Token) -> str | None:
        return self.at(tok.idx, tok.idx + len(tok.text))

    def span(self, span: Span) -> str | None:
        return self.at(span.start_char, span.end_char)


def text_of(doc: Doc) -> str:
    """The Doc's text, made once: ``Doc.text`` joins every token's text on each call,
    which in per-mention loops cost more than the parser itself."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


class Columns:
    """A Doc's token attributes as lists, read at once with ``Doc.to_array``: ``pos[i]``,
    ``tag[i]``, ``dep[i]``, ``lemma[i]`` (lower-cased), ``lower[i]`` as strings,
    ``head[i]`` (absolute; a root is its own head), ``idx[i]`` / ``end[i]`` (character
    offsets), ``punct[i]``, ``kids[i]`` (the children, in order, as ``Token.children``
    gives them). Rules that read these instead of Token objects do not make a Token and
    look up a string for every attribute read, which cost more than the rules themselves."""

    __slots__ = ("doc", "text", "pos", "tag", "dep", "head", "lemma", "lower", "idx", "end", "punct", "kids")

    def __init__(self, doc: Doc):
        self.doc, self.text = doc, text_of(doc)
        arr = doc.to_array([POS, TAG, DEP, LEMMA, LOWER, IDX, LENGTH, IS_PUNCT])
        pos, tag, dep, lemma, lower, self.idx, length, punct = arr.T.tolist()
        strings = doc.vocab.strings
        self.pos, self.tag, self.dep = _named(pos, strings), _named(tag, strings), _named(dep, strings)
        # Words and lemmas have as many names as tokens: named when read.
        self.lower, self.lemma = _Names(lower, strings), _Names(lemma, strings, str.lower)
        self.end = [i + n for i, n in zip(self.idx, length)]
        self.punct = list(map(bool, punct))
        self.head = [i + h for i, h in enumerate(doc.to_array(HEAD).astype("int64").tolist())]
        # A list for the tokens with children only; the others share one empty tuple.
        self.kids: list = [()] * len(self.head)
        for i, h in enumerate(self.head):
            if h != i:
                if self.kids[h]:
                    self.kids[h].append(i)
                else:
                    self.kids[h] = [i]

    def objects(self, i: int) -> list[int]:
        """The objects (pobj) of token i: of a preposition, or of a passive's "by" (agent)."""
        return [c for c in self.kids[i] if self.dep[c] == POBJ]

    def lefts(self, i: int):
        """The children before token i (``Token.lefts``)."""
        kids = self.kids[i]
        return kids[:bisect.bisect_left(kids, i)]

    def subtree(self, i: int) -> list[int]:
        """Token i and its descendants, in ``Token.subtree``'s order: each token after its
        left children's subtrees and before its right children's (not the text's order
        where the parse is not projective)."""
        out: list[int] = []
        todo = [i]
        while todo:  # a stack of tokens still to expand, and (as ~j) tokens to emit
            j = todo.pop()
            if j < 0:
                out.append(~j)
                continue
            kids = self.kids[j]
            todo.extend(reversed([c for c in kids if c > j]))
            todo.append(~j)
            todo.extend(reversed([c for c in kids if c < j]))
        return out

    def words(self, i: int) -> str:
        """Token i's text."""
        return self.text[self.idx[i]:self.end[i]]


def _named(ids: list[int], strings) -> list[str]:
    """String ids -> strings, each distinct id looked up once (a StringStore lookup
    decodes its string anew each time)."""
    names = {h: strings[h] if h else "" for h in set(ids)}
    return [names[h] for h in ids]


class _Names:
    """A column of string ids, each looked up (and passed through ``then``) on first read."""

    __slots__ = ("_ids", "_strings", "_then", "_names")

    def __init__(self, ids: list[int], strings, then=None):
        self._ids, self._strings, self._then = ids, strings, then
        self._names: dict[int, str] = {0: ""}

    def __getitem__(self, i: int) -> str:
        h = self._ids[i]
        name = self._names.get(h)
        if name is None:
            name = self._strings[h]
            name = self._names[h] = self._then(name) if self._then else name
        return name
