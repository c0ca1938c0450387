"""Named rule data for time expressions (kg.nlp.timex).

Sources: the TimeML annotation guidelines, TIMEX3 v1.2.1 (Saurí et al. 2006), for value
formats (ISO 8601 plus the TimeML tokens "PRESENT_REF", "2009-Q3", "2009-SU", "P1DE",
"TNI" parts of day) and extents; HeidelTime's English resources (Strötgen & Gertz 2013,
resources/english/normalization/*) for the lexicon of reference words, parts of day,
seasons and set words; the Penn Treebank tag set for the tense cues.
"""
from __future__ import annotations

import calendar

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS.update({d.lower(): i for i, d in enumerate(calendar.day_abbr)})
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "half": 0.5, "single": 1, "couple": 2, "dozen": 12,
}
# Quantities that say "some number of": TIMEX3 writes the number as X ("several years" PXY).
VAGUE_QUANTITIES = {"several", "few", "a few", "many", "some", "couple of", "a couple of",
                    "numerous", "multiple", "recent"}
# TIMEX3 duration unit letters. Decades / centuries / quarters / fortnights are converted
# to years, months or weeks when the number is known (P2DE -> P20Y), as TIMEX3 allows.
UNITS = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "M",
         "second": "S", "decade": "DE", "century": "CE", "quarter": "Q", "fortnight": "W2",
         "yr": "Y", "hr": "H", "min": "M", "sec": "S", "night": "D", "weekend": "WE"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4, "last": 4, "final": 4}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                "tonight": "NI", "overnight": "NI"}
# Words that refer to the present, past or future without a date (TIMEX3 "REF" values).
REF_WORDS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "right now": "PRESENT_REF",
    "at present": "PRESENT_REF", "presently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF", "the present": "PRESENT_REF", "present": "PRESENT_REF",
    "at the moment": "PRESENT_REF", "the moment": "PRESENT_REF", "current": "PRESENT_REF", "ongoing": "PRESENT_REF",
    "recently": "PAST_REF", "the past": "PAST_REF", "previously": "PAST_REF",
    "formerly": "PAST_REF", "lately": "PAST_REF", "in the past": "PAST_REF",
    "recent history": "PAST_REF", "recent times": "PAST_REF", "recent": "PAST_REF",
    "soon": "FUTURE_REF", "the future": "FUTURE_REF", "in the future": "FUTURE_REF",
    "future": "FUTURE_REF", "shortly": "FUTURE_REF", "very soon": "FUTURE_REF",
    "the near future": "FUTURE_REF", "the long term": "FUTURE_REF", "the short term": "FUTURE_REF",
    "the medium term": "FUTURE_REF", "the long run": "FUTURE_REF", "the coming years": "FUTURE_REF",
}
SET_WORDS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
             "quarterly": "P3M", "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W",
             "fortnightly": "P2W", "biannually": "P6M", "semiannually": "P6M", "annual": "P1Y"}
# Time-zone abbreviations TIMEX3 can write (only UTC, as "Z"; others leave the local time).
TZ_OFFSETS = {"utc": "Z", "gmt": "Z", "z": "Z"}
TZ_NAMES = ("utc", "gmt", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst",
            "pdt", "bst", "cet", "cest", "jst", "ist", "aest", "z")

# Extent rules (TIMEX3 guidelines 2.2: the expression without its prepositions and
# conjunctions; determiners and modifiers such as "early" stay in).
LEADING_NOISE = {"on", "in", "at", "by", "since", "until", "till", "from", "to", "during", "for",
                 "of", "after", "before", "as", "and", "or", "within", "through", "throughout",
                 "between", "into", "over", "around", "about", "circa", "ca.", "since", "than"}
# Words just before a DATE / TIME entity that belong to it ("this year", "Thursday night").
LEFT_PARTS = {"this", "last", "next", "early", "late", "mid", "earlier", "later", "every",
              "each"} | set(WEEKDAYS)
# A date range ("from 2009 to 2011", "between 2014 and 2016"): TIMEX3 tags each end as a
# DATE and the range as a DURATION anchored to them.
RANGE_OPEN = {"from": ("to", "through", "until", "till", "-", "–"), "between": ("and",)}
# Nouns a bare plural of which is a vague duration ("for years", "decades in the making").
VAGUE_PLURAL_UNITS = ("years", "decades", "months", "centuries")  # not "weeks": rarely vague
# Nouns "recent" turns into a time expression ("recent years", "recent history").
RECENT_NOUNS = {"years", "months", "weeks", "days", "decades", "history", "times"}

# Adjectives that make "day" / "year" a time ("the same day", "the entire year"); others
# ("a great day") only judge it.
TEMPORAL_ADJECTIVES = {"past", "last", "next", "previous", "coming", "following", "first", "final",
                       "same", "entire", "whole", "full", "early", "late", "recent", "current",
                       "single", "fiscal", "calendar", "financial", "model", "busy", "final", "other",
                       "second", "third", "fourth", "preceding", "upcoming", "prior", "earlier", "later"}

# Tense of the governing verb (Penn Treebank tags), for weekdays and month names.
PRESENT_TAGS = {"VBZ", "VBP", "VBG"}
FUTURE_AUX = {"will", "shall", "'ll", "wo", "would", "should", "must", "may", "might", "going"}
PAST_AUX = {"did", "was", "were", "had", "has", "have", "'ve", "'d"}
