"""Speech verbs and quotation marks, for kg_quotes (kg/nlp/quotes.py).
Tests: tests/test_events_quotes.py."""
from __future__ import annotations

# The speech-act verbs of Pareti's PARC 3.0 attribution corpus and the Statement class of
# the event lexicon (kg/nlp/lexicons/events.py).
CUE_VERBS = {
    "say", "tell", "add", "state", "announce", "claim", "explain", "note", "write", "ask",
    "insist", "warn", "argue", "reply", "respond", "answer", "declare", "comment", "suggest",
    "predict", "admit", "acknowledge", "confirm", "deny", "tweet", "recall", "remark", "quip",
    "conclude", "continue", "describe", "call", "report", "stress", "emphasize", "emphasise",
}
# "according to X": a cue with its speaker as the preposition's object (PARC 3.0).
ACCORDING = ("according", "to")
# Double quotation marks (Unicode U+0022, U+201C, U+201D): which open, which close; curly
# single quotes are left out, since the right one is also the apostrophe (Trump’s).
QUOTE_MARKS = '"\u201c\u201d'
OPENING_ONLY, CLOSING_ONLY = "\u201c", "\u201d"
# Pronouns a speaker may be, resolved to the last person named before the quote.
SPEAKER_PRONOUNS = ("he", "she")
