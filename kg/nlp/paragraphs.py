"""Line breaks are sentence boundaries: a headline, a caption, a dateline or a paragraph
never runs on into the next line of a news text. Runs before the parser, which keeps
boundaries set in advance (spaCy: ``Token.is_sent_start`` set before ``parser``)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("kg_paragraphs", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str):
    return LineBreaks()


class LineBreaks:
    """Sets ``Token.is_sent_start`` after every line break."""

    def __call__(self, doc: Doc) -> Doc:
        newline = False
        for tok in doc:
            if tok.is_space or not tok.text.strip():
                newline = newline or "\n" in tok.text
                continue
            if tok.i > 0 and (newline or "\n" in tok.whitespace_ or "\n" in doc[tok.i - 1].whitespace_):
                tok.is_sent_start = True
            newline = "\n" in tok.whitespace_
        return doc
