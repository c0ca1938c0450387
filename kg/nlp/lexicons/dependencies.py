"""Dependency labels of spaCy's English parsers: the ClearNLP scheme (Choi & Palmer 2012,
"Guidelines for the Clear Style Constituent to Dependency Conversion"), as listed in the
``parser`` labels of the en_core_web_* model cards. Only the labels kg's rules test."""
from __future__ import annotations

ACL = "acl"
ADVCL = "advcl"
ADVMOD = "advmod"
AGENT = "agent"  # the "by" of a passive
AMOD = "amod"
APPOS = "appos"
ATTR = "attr"
CC = "cc"
CCOMP = "ccomp"
COMPOUND = "compound"
CONJ = "conj"
DATIVE = "dative"
DET = "det"
DOBJ = "dobj"
NEG = "neg"
NMOD = "nmod"
NPADVMOD = "npadvmod"
NSUBJ = "nsubj"
NSUBJPASS = "nsubjpass"
NUMMOD = "nummod"
OPRD = "oprd"
PCOMP = "pcomp"
POBJ = "pobj"
POSS = "poss"
PREP = "prep"
PUNCT = "punct"
RELCL = "relcl"
ROOT = "ROOT"
TMOD = "tmod"  # not in ClearNLP's English output, kept for parsers that emit it
XCOMP = "xcomp"

# Subjects of a verb, active and passive.
SUBJECTS = (NSUBJ, NSUBJPASS)
