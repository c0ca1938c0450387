"""Tokenisation kg changes in the spaCy pipeline it loads (kg/nlp/pipeline.py).
Tests: tests/test_components.py."""
from __future__ import annotations

# [spaCy] spacy/lang/en/tokenizer_exceptions.py splits contractions written without their
# apostrophe ("Ive" -> "I" "ve", "Wed" -> "We" "d", "Im" -> "I" "m", "Cant" -> "Ca" "nt")
# and already leaves out the forms that are common words ("Ill", "Its", "Hell", "Well",
# "Were", "Shed": its ``_exclude``). In edited news a capitalised one is nearly always a
# word of its own: a name ("Jony Ive", "Im Jae-hyun"), a weekday ("Wed"). kg keeps those
# whole: the clitics (second pieces) that mark such an exception.
APOSTROPHELESS_CLITICS = ("d", "ll", "m", "nt", "re", "s", "ve")
