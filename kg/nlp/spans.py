"""Looking up which record a character span or token belongs to."""
from __future__ import annotations

import bisect
from typing import Iterable

from spacy.tokens import Doc, Span, Token


class MentionIndex:
    """Maps character offsets to the id of the record whose mention covers them.

    Built from ``(start, end, id)`` triples; ``at(start, end)`` returns the id of a
    mention overlapping the span, preferring the longest."""

    def __init__(self, spans: Iterable[tuple[int, int, str]]):
        self._spans = sorted(spans)
        self._starts = [s for s, _, _ in self._spans]

    @classmethod
    def of(cls, records) -> "MentionIndex":
        return cls((m.start, m.end, r.id) for r in records or () for m in r.mentions)

    def at(self, start: int, end: int) -> str | None:
        best, best_len = None, -1
        i = bisect.bisect_right(self._starts, end - 1)
        spans = self._spans
        for k in range(i - 1, -1, -1):  # backwards from i, without copying the list up to i
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
