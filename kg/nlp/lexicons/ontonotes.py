"""Named-entity labels of spaCy's English NER: the 18 types of OntoNotes 5.0 (Weischedel
et al. 2013, "OntoNotes Release 5.0", LDC2013T19, annotation guidelines section 2.6)."""
from __future__ import annotations

PERSON = "PERSON"
NORP = "NORP"  # nationalities, religious or political groups
FAC = "FAC"
ORG = "ORG"
GPE = "GPE"
LOC = "LOC"
PRODUCT = "PRODUCT"
EVENT = "EVENT"
WORK_OF_ART = "WORK_OF_ART"
LAW = "LAW"
LANGUAGE = "LANGUAGE"
DATE = "DATE"
TIME = "TIME"
PERCENT = "PERCENT"
MONEY = "MONEY"
QUANTITY = "QUANTITY"
ORDINAL = "ORDINAL"
CARDINAL = "CARDINAL"

LABELS = (PERSON, NORP, FAC, ORG, GPE, LOC, PRODUCT, EVENT, WORK_OF_ART, LAW, LANGUAGE, DATE, TIME,
          PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL)
