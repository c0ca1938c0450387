"""Rule lists of the time layer: the normaliser (kg.nlp.timenorm) and the kg_times
component (kg.nlp.timex).

Sources, cited on each list below:
  [TimeML]  TimeML annotation guidelines, TIMEX3 v1.2.1 (Saurí et al. 2006): value formats
            (ISO 8601 plus "PRESENT_REF", "2009-Q3", "2009-SU", "P1DE", parts of day "TNI")
            and extents (section 2.2).
  [HT]      HeidelTime's English resources (Strötgen & Gertz 2013), files
            resources/english/normalization/resources_normalization_norm*.txt named below.
  [PTB]     Penn Treebank tag set (Santorini 1990) for the tense cues.
  [tz]      IANA time zone database (tzdata files northamerica, europe, asia, australasia)
            abbreviations, RFC 5322 section 4.3 zone names, Unicode CLDR metazone short names.
  [OntoNotes] OntoNotes 5.0 entity types (spaCy's English NER labels).
"""
from __future__ import annotations

import calendar

# [ISO 8601 / Python's calendar] Month and weekday names and abbreviations, lowercase; plus the
# news abbreviations "Sept.", "Tues.", "Weds.", "Thur.", "Thurs." (AP Stylebook, "months", "days").
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS.update({d.lower(): i for i, d in enumerate(calendar.day_abbr)})
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
# [HT normDurationNumber] English number words, with "couple", "dozen" and "single" as counts.
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "half": 0.5, "single": 1, "couple": 2, "dozen": 12,
}
# [TimeML] Quantities that say "some number of": TIMEX3 writes the number as X ("several
# years" PXY).
VAGUE_QUANTITIES = {"several", "few", "a few", "many", "some", "couple of", "a couple of",
                    "numerous", "multiple", "recent"}
# [TimeML] Duration unit letters. Decades / centuries / quarters / fortnights are converted
# to years, months or weeks when the number is known (P2DE -> P20Y), as TIMEX3 allows.
UNITS = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "M",
         "second": "S", "decade": "DE", "century": "CE", "quarter": "Q", "fortnight": "W2",
         "yr": "Y", "hr": "H", "min": "M", "sec": "S", "night": "D", "weekend": "WE"}
# [HT normPartOfYear] Quarters by their ordinal ("the fourth quarter" 2009-Q4; "the last
# quarter" the fourth).
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4, "last": 4, "final": 4}
# [TimeML] Season codes (TIMEX3 values 2009-SP, -SU, -FA, -WI).
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
# [TimeML] Part-of-day codes (TIMEX3 values TMO, TAF, TEV, TNI).
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                "tonight": "NI", "overnight": "NI"}
# [TimeML] [HT normDateWord] Words that refer to the present, past or future without a date
# (TIMEX3 "REF" values).
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
# [TimeML] Adverbs and adjectives of frequency: TIMEX3 SETs and their periods.
SET_WORDS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
             "quarterly": "P3M", "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W",
             "fortnightly": "P2W", "biannually": "P6M", "semiannually": "P6M", "annual": "P1Y"}
# "annual" and "ongoing" stay time expressions (SET P1Y, PRESENT_REF): TimeBank and
# MEANTIME tag them so ("annual profit", "the ongoing restructuring"), as the dev set's gold does.
# [HT normDateWord] Days from the anchor named by a deictic word ("yesterday" the day before).
DEICTIC_DAYS = {"today": 0, "this day": 0, "earlier today": 0, "later today": 0, "yesterday": -1,
                "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
# [HT normDateWord, "that day"] Days named from the reference time: the story's latest full
# date when the text gives one before them, else the creation time (kg.nlp.timex).
ANAPHORIC_DAYS = {"the same day": 0, "that day": 0, "that same day": 0, "the next day": 1,
                  "the following day": 1, "the day after": 1, "the previous day": -1, "the day before": -1}
# [TimeML 2.2] [HT reference time] Words before a unit that tell it from the story's time,
# not the writer's ("that year", "the following month", "the previous week").
ANAPHORIC_RELATIVES = ("that", "that same", "the same", "the following", "the previous", "the preceding",
                       "the prior")
# [TimeML 2.2] Adjectives inside a duration that do not change its length ("five straight
# weeks", "three consecutive years").
DURATION_MODIFIERS = ("straight", "consecutive", "successive", "running", "full", "long")
# [TimeML 2.2] Prepositions after which a date is a limit ahead ("until Friday", "through
# June"): read forwards unless the verb is past.
FORWARD_LIMITS = {"until", "till", "til", "through", "thru"}
# Nouns a "ten-minute" / "two-hour" modifier measures as a distance, not a time ("a
# ten-minute walk", "a two-hour drive"; TimeML 2.2 tags durations of events only).
# Not "flight" or "trip": the dev set's gold tags "a 12-hour flight" as the flight's duration.
DISTANCE_NOUNS = {"walk", "drive", "ride", "commute", "stroll", "hike"}
# [HT normThisNextLast] Years named relative to the anchor's ("the following year").
YEAR_WORDS = {"this year": 0, "last year": -1, "next year": 1, "the same year": 0,
              "the following year": 1, "the previous year": -1}
# [HT normThisNextLast] Units shifted from the anchor's by the word before them ("last week").
RELATIVE_SHIFTS = {"this": 0, "current": 0, "same": 0, "last": -1, "past": -1, "previous": -1,
                   "next": 1, "following": 1, "coming": 1, "that": 0, "that same": 0, "preceding": -1, "prior": -1}

# [tz] Time-zone abbreviations, as written (capitals). Civil zones of the tz database
# (tzdata files northamerica: EST EDT CST CDT MST MDT PST PDT AKST AKDT HST AST ADT NST NDT;
# europe: GMT WET WEST CET CEST EET EEST BST IST MSK; asia: JST KST HKT; australasia: AEST
# AEDT ACST AWST NZST NZDT), RFC 5322's UTC / GMT / Z, and SGT (Singapore: tzdata writes
# "+08" since 2017a; CLDR and the press keep SGT).
STANDALONE_TIME_ZONES = frozenset({
    "UTC", "GMT", "Z",
    "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
    "AKST", "AKDT", "HST", "AST", "ADT", "NST", "NDT",
    "WET", "WEST", "CET", "CEST", "EET", "EEST", "BST", "IST", "MSK",
    "JST", "KST", "HKT", "SGT",
    "AEST", "AEDT", "ACST", "AWST", "NZST", "NZDT",
})
# [tz] CLDR's generic metazone short names ("3 p.m. ET"). Zones only after a clock time:
# alone they are US state codes (CT Connecticut, MT Montana) or other abbreviations
# ("a CT scan"), so kg_entities does not drop them as it drops the standalone zones.
GENERIC_TIME_ZONES = frozenset({"ET", "CT", "MT", "PT"})
TIME_ZONES = STANDALONE_TIME_ZONES | GENERIC_TIME_ZONES
# Zones that spell English words: after a clock time in lowercased text they are the words
# ("5 p.m. west of the town", which the model tags as one TIME).
WORD_TIME_ZONES = frozenset({"WEST", "WET"})
# What the time layer reads after a clock time ("16:15 UTC", "9 a.m. ET"), in any case.
CLOCK_TIME_ZONES = TIME_ZONES - WORD_TIME_ZONES
# [TimeML] Zones TIMEX3 values can carry: only UTC, as "Z"; other zones leave the local time.
TZ_OFFSETS = {"UTC": "Z", "GMT": "Z", "Z": "Z"}

# [TimeML 2.2] Extent rules: the expression without its prepositions and conjunctions;
# determiners and modifiers such as "early" stay in.
LEADING_NOISE = {"on", "in", "at", "by", "since", "until", "till", "from", "to", "during", "for",
                 "of", "after", "before", "as", "and", "or", "within", "through", "throughout",
                 "between", "into", "over", "around", "about", "circa", "ca.", "than"}
# [TimeML 2.2] The same at the end of a span: the word that links it to what follows
# ("from 12 August 2016 to ..."). Not "before", "after", "since", "over": they can close
# an expression ("the day before", "ever since", "the year after"); nor the words of an
# approximation, which only lead one ("about", "around", "circa").
TRAILING_NOISE = LEADING_NOISE - {"before", "after", "since", "over", "about", "around", "circa", "ca."}
# [TimeML 2.2] Ages are no time expressions ("at the age of 13", "four years of age", "47
# years old"; with "aged 61" and "a 30-year-old", kg.nlp.timex._not_a_time).
AGE_PATTERN = r"(?:^|\s)(?:the\s+)?age\s+of\s|\sof\s+age$|\s(?:years?|months?|weeks?)\s+old$"
# [TimeML 2.2] Words just before a DATE / TIME entity that belong to it ("this year",
# "Thursday night").
LEFT_PARTS = {"this", "last", "next", "early", "late", "mid", "earlier", "later", "every",
              "each"} | set(WEEKDAYS)
# [TimeML] A date range ("from 2009 to 2011", "between 2014 and 2016"): TIMEX3 tags each end
# as a DATE and the range as a DURATION anchored to them.
RANGE_OPEN = {"from": ("to", "through", "until", "till", "-", "–"), "between": ("and",)}
# [TimeML] Nouns a bare plural of which is a vague duration ("for years", "decades in the
# making"); not "weeks": rarely vague.
VAGUE_PLURAL_UNITS = ("years", "decades", "months", "centuries")
# [TimeML] [HT normDateWord "recent"] Nouns "recent" turns into a time expression
# ("recent years", "recent history").
RECENT_NOUNS = {"years", "months", "weeks", "days", "decades", "history", "times"}
# [TimeML 2.2] Adjectives that make "day" / "year" a time ("the same day", "the entire
# year"); others ("a great day") only judge it.
TEMPORAL_ADJECTIVES = {"past", "last", "next", "previous", "coming", "following", "first", "final",
                       "same", "entire", "whole", "full", "early", "late", "recent", "current",
                       "single", "fiscal", "calendar", "financial", "model", "busy", "other",
                       "second", "third", "fourth", "preceding", "upcoming", "prior", "earlier", "later"}
# [OntoNotes] Entity types a time expression is never inside ("Arab Spring", "Summer Olympics").
NON_TIME_ENTITIES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "NORP",
                     "LAW", "MONEY"}
# Plural nouns after which a year-like number is still a year ("the 2016 elections"), not a
# count ("2000 jobs"): the recurring events news dates by their year.
YEAR_NAMED_EVENTS = ("elections", "games", "olympics")

# [PTB] Tense of the governing verb, for weekdays and month names: present tags, and the
# auxiliaries / modals that point to the future or the past.
PRESENT_TAGS = {"VBZ", "VBP", "VBG"}
FUTURE_AUX = {"will", "shall", "'ll", "wo", "would", "should", "must", "may", "might", "going"}
PAST_AUX = {"did", "was", "were", "had", "has", "have", "'ve", "'d"}
# [HT normHoliday, English] Holidays on a fixed day of the year: "MM-DD". Days kept
# by one country only where its news names them so ("Anzac Day", "Thanksgiving" below).
HOLIDAY_DATES = {
    "christmas": "12-25", "christmas day": "12-25", "christmas eve": "12-24", "boxing day": "12-26",
    "new year's eve": "12-31", "new year's day": "01-01", "valentine's day": "02-14",
    "st patrick's day": "03-17", "st. patrick's day": "03-17", "saint patrick's day": "03-17",
    "may day": "05-01", "bastille day": "07-14", "halloween": "10-31", "guy fawkes night": "11-05",
    "bonfire night": "11-05", "armistice day": "11-11", "remembrance day": "11-11",
    "veterans day": "11-11", "anzac day": "04-25", "australia day": "01-26", "canada day": "07-01",
}
# [HT normHoliday, English] Holidays of the Easter cycle: days after Easter Sunday.
EASTER_OFFSETS = {
    "easter": 0, "easter sunday": 0, "easter day": 0, "good friday": -2, "holy saturday": -1,
    "easter monday": 1, "maundy thursday": -3, "palm sunday": -7, "ash wednesday": -46,
    "ascension day": 39, "pentecost": 49, "whit sunday": 49, "whitsunday": 49,
}
# US Thanksgiving: the fourth Thursday of November (5 U.S.C. 6103).
THANKSGIVING = ("thanksgiving", "thanksgiving day")
