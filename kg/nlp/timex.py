"""The kg_times component: time expressions found in the text, normalised by
kg.nlp.timenorm, written to ``doc._.kg_times``.

Expressions are spaCy's DATE / TIME entities trimmed to TIMEX3 extents, plus what the small
model misses. Anchor: the publication date (the document creation time of TimeML; ``kg build
--published`` gives one to articles without). Without it, relative expressions ("last year",
"on Thursday") stay unresolved: typed, with no value (rdf-contract section 5, "no value
rather than a guess"), since a date that merely appears in the text may be the story's time,
not the writer's. ``infer_anchor`` (off by default) anchors on the article's latest full date
instead, taking the story to unfold in that date's week. Word lists: kg.nlp.lexicons.time.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy
from spacy.attrs import SHAPE
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.lexicons.time import (AGE_PATTERN, ANAPHORIC_DAYS, ANAPHORIC_RELATIVES, CLOCK_TIME_ZONES, DISTANCE_NOUNS, FORWARD_LIMITS, FUTURE_AUX, LEADING_NOISE, LEFT_PARTS, MONTHS,
                                  NON_TIME_ENTITIES, PAST_AUX, PRESENT_TAGS, RANGE_OPEN, RECENT_NOUNS, SEASONS,
                                  TEMPORAL_ADJECTIVES, TRAILING_NOISE, VAGUE_PLURAL_UNITS, VAGUE_QUANTITIES, WEEKDAYS,
                                  YEAR_NAMED_EVENTS)
from kg.nlp.spans import text_of
from kg.nlp.timenorm import (COUNT, NUM, PART, RE_AGO, RE_CLOCK, RE_MDY, SEASON, TZ, UNIT, WEEKDAY_FULL, YEAR,
                             is_holiday, normalize, parse_number)
from kg.records import Mention, TimeRecord

# Any anchor, to ask the normaliser whether a piece of text is a time expression of its own.
PROBE = dt.date(2000, 1, 5)
# Expressions the small model often misses, found on the text; each is then checked
# against the parse (_keep_extra) so that adjectives and verbs do not pass.
EXTRA_PATTERN = re.compile(
    r"\b(?:(?:earlier|later)\s+(?:today|this\s+(?:week|month|year)))\b|"
    r"\b(?:today|tonight|yesterday|tomorrow|now|currently|recently|nowadays|presently|soon|shortly)\b|"
    rf"\b(?:in\s+)?recent\s+(?:{'|'.join(RECENT_NOUNS)})\b|"
    r"\b(?:the\s+(?:near\s+|distant\s+)?future|the\s+past|the\s+(?:long|short|medium)\s+(?:term|run))\b|"
    r"\b\d{1,2}:\d\d(?:\s*(?:a\.m\.|p\.m\.|am|pm))?(?:\s*(?:UTC|GMT))?(?!\w)|\b\d{1,2}\s*(?:a\.m\.|p\.m\.)|"
    r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|"
    rf"\b(?:(?:this|last|next|early|late)\s+)?{WEEKDAY_FULL}(?:\s+{PART})?\b|"
    rf"\b(?:(?:this|last|next|past|coming|early|late|mid)[\s-]+)?{SEASON}(?:\s+(?:of\s+)?{YEAR})?\b|"
    r"\b(?:this|last|next)\s+(?:week|month|year|quarter|weekend)\b|"
    rf"\b(?:(?:about|almost|nearly|more than|over|some|at least|up to|roughly|just|only)\s+)?"
    rf"(?:{COUNT}(?:[\s-]and[\s-]a[\s-]half)?[\s-]+{UNIT}|an?\s+{UNIT}(?=\s+(?:ago|earlier|later)\b))"
    rf"(?:\s+(?:ago|earlier|later|from now))?\b|"
    r"\b(?:current|recent|ongoing)\b|"
    r"\b(?:a|an|per)\s+(?:year|month|week|day|hour)\b|"
    rf"\b(?:{'|'.join(VAGUE_PLURAL_UNITS)})\b",
    re.I,
)
# Every alternative of EXTRA_PATTERN starts at a word boundary with a letter or digit,
# so a match can only start where a word does.
_WORD = re.compile(r"\w+")
_ZONES = {z.lower() for z in CLOCK_TIME_ZONES}
_AGE = re.compile(AGE_PATTERN)
_DAY = re.compile(r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?")  # a day of the month before its name
_VAGUE_PLURAL = re.compile(rf"^(?:{'|'.join(VAGUE_PLURAL_UNITS)})$", re.I)


# token.pos is read too, but spaCy's English pipelines set it in attribute_ruler, which
# declares no assigns: requiring it would make analyze_pipes report a missing producer.
# token.tag, from which attribute_ruler maps it, stands for it.
@Language.factory(
    "kg_times",
    requires=["doc.ents", "token.ent_type", "token.tag", "token.dep"],
    assigns=["doc._.kg_times"],
    default_config={"infer_anchor": False, "max_split_tokens": 8, "tense_hops": 4},
)
def make_times(nlp: Language, name: str, infer_anchor: bool, max_split_tokens: int, tense_hops: int):
    return TimeFinder(infer_anchor=infer_anchor, max_split_tokens=max_split_tokens, tense_hops=tense_hops)


class TimeFinder:
    """Writes ``doc._.kg_times``: one TimeRecord per time expression, in text order.

    infer_anchor      without a publication date, anchor on the latest full date in the text
                      (a guess: off by default)
    max_split_tokens  longest model span tried as two expressions side by side
    tense_hops        heads climbed from an expression to find the verb whose tense it takes
    The settings are the only state; everything about a doc stays in locals.
    """

    def __init__(self, *, infer_anchor: bool = False, max_split_tokens: int = 8, tense_hops: int = 4):
        self.infer_anchor = infer_anchor
        self.max_split_tokens = max_split_tokens
        self.tense_hops = tense_hops

    def __call__(self, doc: Doc) -> Doc:
        found = _find(doc, self.max_split_tokens)
        anchor, inferred = _anchor(doc, found, self.infer_anchor)
        out = []
        story = None  # reference time: the latest full date the text gave so far
        story_year = None  # the year of the latest date of any precision ("in 1826")
        for span, norm in found:
            tense = _tense(span, self.tense_hops)
            if span.start > 0 and doc[span.start - 1].lower_ in FORWARD_LIMITS and tense != "past":
                tense = "future"  # "open until Friday": the coming one
            ref = anchor
            if _anaphoric(norm):
                # "two years later" counts from the story's last year, "two days later" from its last full date
                ref = story_year if story_year and _IN_YEARS.search(norm) else story or anchor
            kind, value = normalize(norm, ref, tense=tense, inferred=inferred and ref is anchor)
            own = normalize(norm, None)[1]
            if own and re.fullmatch(r"\d{4}-\d\d-\d\d", own):
                story = dt.date.fromisoformat(own)
            if own and re.fullmatch(r"\d{4}(?:-\d\d){0,2}", own):
                story_year = dt.date(int(own[:4]), 7, 1)  # mid-year: only the year is used
            out.append(TimeRecord(f"t{len(out)}", kind, span.text, value,
                                  [Mention(span.start_char, span.end_char, span.text)]))
        doc._.kg_times = out
        return doc


_ANAPHORIC = re.compile(rf"^(?:{'|'.join(ANAPHORIC_DAYS)}|.+\s(?:later|earlier|before|after)|"
                        rf"(?:{'|'.join(ANAPHORIC_RELATIVES)})\s+(?:week|month|year|quarter|decade))$", re.I)
_IN_YEARS = re.compile(r"\b(?:years?|decades?|centur(?:y|ies))\b", re.I)  # an anaphoric expression in years


def _anaphoric(text: str) -> bool:
    """Expressions told from the story's time, not the writer's ("that day", "two days
    later"; HeidelTime's reference time for news)."""
    return bool(_ANAPHORIC.match(" ".join(text.lower().split())))


def _anchor(doc: Doc, found: list[tuple[Span, str]], infer: bool) -> tuple[dt.date | None, bool]:
    published = doc._.kg_published
    if published:
        try:
            return dt.date.fromisoformat(str(published)[:10]), False
        except ValueError:
            pass
    if not infer:
        return None, False
    # No publication date: the latest full date the article gives, as a reader would.
    dates = []
    for _, norm in found:
        kind, value = normalize(norm, None)
        if kind in ("DATE", "TIME") and value and re.match(r"\d{4}-\d\d-\d\d", value):
            dates.append(dt.date.fromisoformat(value[:10]))
    return (max(dates), True) if dates else (None, True)


def _find(doc: Doc, max_split_tokens: int) -> list[tuple[Span, str]]:
    """Time expressions as (extent, text to normalise), in text order. The text to
    normalise can be wider than the extent ("15 a year" is the set "a year")."""
    found: list[tuple[Span, str]] = []
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME") or ent.label_ == "EVENT" and is_holiday(ent.text):
            found += _trim(doc, ent, max_split_tokens)  # ("New Year's Eve" the model calls an EVENT)
    taken = [(s.start_char, s.end_char) for s, _ in found]
    for m in extra_matches(text_of(doc)):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
        if span is None or not len(span) or not _keep_extra(span):
            continue
        for part in _trim(doc, span, max_split_tokens):
            found.append(part)
            taken.append((part[0].start_char, part[0].end_char))
    # Years the model left inside other spans or unlabelled ("the 2016 election"): a year
    # is four digits (shape "dddd"), so only those tokens are made and looked at.
    shapes = doc.to_array(SHAPE)
    for i in numpy.flatnonzero(shapes == doc.vocab.strings.add("dddd")):
        tok = doc[int(i)]
        if re.fullmatch(YEAR, tok.text) and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "QUANTITY", "PERCENT") \
                and (tok.ent_type_ not in NON_TIME_ENTITIES or tok.ent_type_ == "EVENT") \
                and tok.pos_ in ("NUM", "PROPN", "NOUN", "ADJ") and not _year_not_time(tok) \
                and not any(tok.idx < e and s < tok.idx + 4 for s, e in taken):
            found.append((doc[tok.i:tok.i + 1], tok.text))
            taken.append((tok.idx, tok.idx + 4))
    found = [_with_zone(doc, span, norm) for span, norm in found]
    found = _merge(doc, sorted(found, key=lambda f: (f[0].start_char, -f[0].end_char)))
    return sorted(found + _ranges(doc, found), key=lambda f: (f[0].start_char, -f[0].end_char))


def extra_matches(text: str):
    """What ``EXTRA_PATTERN.finditer(text)`` finds, trying the pattern at word starts
    only: run over every character, its alternatives cost a third of the component."""
    end = 0
    for word in _WORD.finditer(text):
        if word.start() < end:
            continue
        m = EXTRA_PATTERN.match(text, word.start())
        if m:
            yield m
            end = m.end()


def _counted(tok) -> bool:
    """A year-like number that counts things ("2000 jobs", "1800 cars")."""
    return tok.dep_ == "nummod" and tok.head.i == tok.i + 1 and tok.head.lower_ not in YEAR_NAMED_EVENTS \
        and tok.head.pos_ == "NOUN" and tok.head.tag_ == "NNS"


def _keep_extra(span: Span) -> bool:
    first, last = span[0], span[-1]
    if any(t.ent_type_ in NON_TIME_ENTITIES and t.lower_ not in _ZONES and t.lower_.rstrip(".") not in WEEKDAYS
           for t in span):
        return False
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if first.lower_ in ("now", "soon") and (first.pos_ != "ADV" or (nxt is not None and nxt.text.startswith("-"))
                                            or first.whitespace_ == "" and nxt is not None and nxt.text == "-"):
        return False  # "the now-cancelled deal", "the soon-to-open terminal"
    if first.lower_ in ("a", "an", "per") and len(span) == 2:
        return _is_rate(span)
    if len(span) == 1 and first.lower_ in ("current", "recent", "ongoing"):
        # "the current weakened state" (PRESENT_REF); attributive only, not "current" the noun
        return first.pos_ == "ADJ" and first.dep_ == "amod"
    if first.lower_ in WEEKDAYS or last.lower_ in WEEKDAYS:
        return any(t.pos_ == "PROPN" or t.text[:1].isupper() for t in span if t.lower_.rstrip(".") in WEEKDAYS)
    if any(t.lower_ in SEASONS for t in span):
        season = next(t for t in span if t.lower_ in SEASONS)
        if season.pos_ not in ("NOUN", "PROPN"):
            return False
        return season.lower_ != "fall" or len(span) > 1  # "a fall in sales": only "last fall"
    if _VAGUE_PLURAL.match(span.text):
        # A bare plural unit is a vague duration ("for years"), not when counted or determined.
        tok = span[0]
        return tok.pos_ == "NOUN" and not any(c.dep_ in ("nummod", "det", "amod", "poss", "compound", "quantmod")
                                              for c in tok.children)
    if re.search(UNIT + r"$", span.text, re.I) and span[-1].pos_ not in ("NOUN", "PROPN"):
        return False
    return True


def _trim(doc: Doc, ent: Span, max_split_tokens: int) -> list[tuple[Span, str]]:
    """TIMEX3 extents: no leading prepositions; "between 60 and 90 days" -> two; no ages
    written as bare numbers; no fractions ("a quarter of its dealers")."""
    start, end = ent.start, ent.end
    if start > 0 and _DAY.fullmatch(doc[start - 1].text) and doc[start].lower_.rstrip(".") in MONTHS \
            and doc[start].text[:1].isupper() and doc[start - 1].ent_type_ in ("", "CARDINAL", "ORDINAL"):
        start -= 1  # "(born 11 February 1970)" where the model left the day out as a number
    while start > 0 and doc[start - 1].lower_.rstrip(".") in LEFT_PARTS and doc[start - 1].ent_type_ in ("", "DATE", "TIME") \
            and not (doc[start - 1].lower_ in WEEKDAYS and not doc[start - 1].text[:1].isupper()):
        start -= 1
    while start < end and (doc[start].lower_ in LEADING_NOISE or doc[start].is_punct
                           or doc[start].pos_ in ("AUX", "VERB") and doc[start].text.islower()
                           or doc[start].lower_ in ("least", "most") and start > 0 and doc[start - 1].lower_ == "at"
                           or doc[start].lower_ in ("early", "late", "soon") and start + 1 < end and doc[start + 1].lower_ == "as"
                           or doc[start].lower_ == "as" and start + 1 < end and doc[start + 1].lower_ in ("early", "late")):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text != ")"
                           or doc[end - 1].lower_ in TRAILING_NOISE or doc[end - 1].lower_ in ("the", "'s", "\u2019s")):
        end -= 1
    # "July 24 , 2003" where the model stopped at the day.
    if end + 1 < len(doc) and doc[end].text == "," and re.fullmatch(YEAR, doc[end + 1].text) \
            and RE_MDY.match(doc[start:end].text):
        end += 2
    if start >= end:
        return []
    span = doc[start:end]
    text = span.text
    if re.fullmatch(r"\d{1,3}", text):  # "Barra, 51,": an age or a count, not a time
        return []
    if _is_fraction(doc, span) or _not_a_time(span):
        return []
    # "aged ten in 1826": a count, then the time after its preposition
    if len(span) > 2 and span[0].like_num and span[1].lower_ in ("in", "on", "at", "by", "since", "during") \
            and not normalize(text, PROBE)[1]:
        rest = doc[span.start + 2:span.end]
        if normalize(rest.text, PROBE)[1]:
            return _trim(doc, rest, max_split_tokens)
    if len(span) == 1 and re.fullmatch(YEAR, text) and _year_not_time(span[0]):
        return []
    # "15 a year": the count belongs to something else; the set is "a year".
    m = re.match(rf"^({NUM}|\d[\d,.]*)\s+((?:a|an|per)\s+{UNIT})$", text, re.I)
    if m:
        sub = doc.char_span(span.start_char + m.start(2), span.end_char)
        return [(sub, "every " + m.group(2).split(None, 1)[1])] if sub is not None else []
    # "10,000 jobs a year", "twice a month": a rate, so a set.
    m = re.match(rf"^(?:a|an|per)\s+({UNIT})$", text, re.I)
    if m and _is_rate(span):
        return [(span, "every " + m.group(1))]
    # "between 60 and 90 days": two durations, the first taking the second's unit.
    m = re.match(rf"^(?:between\s+)?({NUM})\s*(?:and|to|or|-|--|–|—)\s*({NUM}[\s-]+{UNIT})$", text, re.I)
    if m and parse_number(m.group(1)) is not None:
        first = doc.char_span(span.start_char + m.start(1), span.start_char + m.end(1))
        second = doc.char_span(span.start_char + m.start(2), span.end_char)
        unit = m.group(2).split()[-1]
        return [(s, n) for s, n in ((first, f"{m.group(1)} {unit}"), (second, m.group(2))) if s is not None]
    halves = _two_expressions(doc, span, max_split_tokens)
    if halves:
        return halves
    parts = re.split(r"\s+(?:and|to|-|--|–|—|through|until|or)\s+|\s*,\s+(?!\d{4}\b)", text)
    if len(parts) >= 2 and not normalize(text, PROBE)[1] and all(normalize(p, PROBE)[1] for p in parts):
        out, pos = [], span.start_char
        for p in parts:
            b = text_of(doc).index(p, pos)
            pos = b + len(p)
            sub = doc.char_span(b, pos, alignment_mode="expand")
            if sub is not None:
                out.append((sub, p))
        return out
    return [(span, text)]


def _two_expressions(doc: Doc, span: Span, max_tokens: int) -> list[tuple[Span, str]] | None:
    """A model span that is two expressions side by side ("a decade last month"): split
    where both halves have a value and the whole has none."""
    if len(span) < 3 or len(span) > max_tokens or normalize(span.text, PROBE)[1]:
        return None
    for i in range(span.start + 1, span.end):
        left, right = doc[span.start:i], doc[i:span.end]
        if RE_AGO.match(right.text.lower()):
            return None  # "the same month a year ago": one expression, "ago" shifts the other half
        if normalize(left.text, PROBE)[1] and normalize(right.text, PROBE)[1] and not left[-1].is_punct:
            return [(left, left.text), (right, right.text)]
    return None


def _is_rate(span: Span) -> bool:
    """"a year" after a count or a thing counted ("400 cars a year", "twice a month")."""
    if span[0].lower_ == "per":
        return True
    if span.start == 0:
        return False
    prev = span.doc[span.start - 1]
    before = span.doc[max(0, span.start - 6):span.start]
    return prev.lower_ in ("once", "twice", "thrice", "times") or prev.pos_ in ("NUM", "SYM") \
        or prev.tag_ in ("NNS", "NNPS") or prev.pos_ == "NOUN" and (
            span[-1].head.i == prev.i or any(t.like_num or t.ent_type_ in ("MONEY", "CARDINAL", "QUANTITY") for t in before))


def _year_not_time(tok) -> bool:
    """A year-like number that is not a year: a count ("2000 workers") or the number in a
    name ("Local 1998", "Boeing 2707")."""
    return _counted(tok) or (tok.i > 0 and tok.doc[tok.i - 1].pos_ == "PROPN" and tok.head.i == tok.i - 1
                             and not tok.doc[tok.i - 1].lower_ in MONTHS)


def _not_a_time(span: Span) -> bool:
    """Model DATEs that are no time: model numbers ("A380-800"), and a unit that only an
    evaluative adjective qualifies ("a great day", "our greatest days")."""
    text = span.text.lower()
    if re.search(r"-(?:years?|months?|weeks?|days?)-old$", text) or re.match(r"^aged\s", text):
        return True  # an age ("a 30-year-old", "aged 61"), not a time
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if nxt is not None and nxt.text == "-" and span.end + 1 < len(span.doc) and span.doc[span.end + 1].lower_ == "old":
        return True  # the same age, the model's span stopping before "-old"
    if any(_AGE.search(span.doc[span.start:min(span.end + k, len(span.doc))].text.lower()) for k in (0, 1, 2)):
        return True  # "at the age of 13", and "four years" of "four years of age" or "47 years old"
    if nxt is not None and nxt.lower_ in DISTANCE_NOUNS and "-" in span[-1].text + (span[-2].text if len(span) > 1 else ""):
        return True  # "a ten-minute walk": a distance
    if any(re.fullmatch(r"[A-Z]+\d+[\w-]*|\d+[A-Z]+\w*", t.text) and not re.fullmatch(r"(?:FY|Q|H)\d+|\d+(?:st|nd|rd|th|s)", t.text, re.I)
           for t in span):
        return True
    toks = [t for t in span if t.pos_ not in ("DET", "PRON")]
    if len(toks) >= 2 and toks[-1].lower_ in ("day", "days", "year", "years", "time", "times", "week", "month") \
            and all(t.pos_ == "ADJ" for t in toks[:-1]) \
            and not any(t.lower_ in TEMPORAL_ADJECTIVES or t.lower_ in VAGUE_QUANTITIES or t.lower_ == "few"
                        for t in toks[:-1]):
        return True
    return False


def _is_fraction(doc: Doc, span: Span) -> bool:
    """"about a quarter , of its dealers", "half of the staff": a share, not a time."""
    if not re.fullmatch(r"(?:(?:about|nearly|almost|roughly|more than|less than|over|some|just)\s+)?"
                        r"(?:a|one|two|three|another)\s+(?:quarters?|half)", span.text, re.I):
        return False
    i = span.end
    while i < len(doc) and doc[i].is_punct:
        i += 1
    return i < len(doc) and doc[i].lower_ == "of" and not (
        i + 1 < len(doc) and (doc[i + 1].ent_type_ in ("DATE", "TIME") or doc[i + 1].lower_ in ("the", "this", "next", "last")
                              and i + 2 < len(doc) and doc[i + 2].lower_ in ("year", "decade", "century")))


def _merge(doc: Doc, found: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """Adjacent expressions that make one: "Thursday" + "night", "12:00 UTC" + "Monday"."""
    out: list[tuple[Span, str]] = []
    for span, norm in found:
        if out and span.start_char >= out[-1][0].start_char and span.end_char <= out[-1][0].end_char:
            continue  # "Thursday" inside "Thursday night"
        if out:
            prev, pnorm = out[-1]
            gap = text_of(doc)[prev.end_char:span.start_char]
            if "," in gap and _is_clock(pnorm) and not RE_CLOCK.match(pnorm.lower()).group(5) \
                    and re.fullmatch(r"\d{4}-\d\d-\d\d", normalize(norm, PROBE)[1] or ""):
                # "at 16:15 UTC, June 1": two expressions, the time on that day
                out[-1] = (prev, f"{pnorm} {norm}")
                out.append((span, norm))
                continue
            if prev.end_char <= span.start_char and re.fullmatch(r"\s*(?:,\s*)?(?:on\s+|at\s+)?", gap):
                joined = text_of(doc)[prev.start_char:span.end_char]
                kind, value = normalize(joined, PROBE, tense="past")
                if value and kind in ("DATE", "TIME") and normalize(pnorm, PROBE)[0] in ("DATE", "TIME") \
                        and normalize(norm, PROBE)[0] in ("DATE", "TIME"):
                    out[-1] = (doc[prev.start:span.end], joined)
                    continue
        out.append((span, norm))
    return out


def _with_zone(doc: Doc, span: Span, norm: str) -> tuple[Span, str]:
    """"16:30" + "UTC" (which the model may take for an organisation): one time."""
    if span.end < len(doc) and doc[span.end].lower_ in _ZONES and _is_clock(norm) \
            and not re.search(TZ + r"\)?$", norm, re.I):
        wider = doc[span.start:span.end + 1]
        return wider, wider.text
    return span, norm


def _is_clock(text: str) -> bool:
    m = RE_CLOCK.match(text.lower())
    return bool(m and (m.group(2) or m.group(3)))


def _ranges(doc: Doc, found: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """"from 2009 to 2011", "between 2014 and 2016": besides its two ends (DATEs), the range
    is a DURATION (TIMEX3 beginPoint / endPoint), here the span from the first word to the
    second end, with the length between two years when both are years."""
    out = []
    for (a, an), (b, bn) in zip(found, found[1:]):
        if a.start == 0 or doc[a.start - 1].lower_ not in RANGE_OPEN:
            continue
        closers = RANGE_OPEN[doc[a.start - 1].lower_]
        if doc[a.end:b.start].text.strip().lower() not in closers:
            continue
        if not (re.fullmatch(YEAR, an) and re.fullmatch(YEAR, bn)) or int(bn) <= int(an):
            continue
        span = doc[a.start - 1:b.end]
        out.append((span, f"{int(bn) - int(an)} years"))
    return out


def _tense(span: Span, hops: int) -> str | None:
    """past / present / future of the verb the expression hangs from."""
    tok = span.root.head
    for _ in range(hops):
        if tok.pos_ in ("VERB", "AUX"):
            return _verb_tense(tok)
        if tok.head is tok:
            break
        tok = tok.head
    return None


def _verb_tense(tok, depth: int = 0) -> str | None:
    aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if aux & FUTURE_AUX or tok.lower_ in FUTURE_AUX:
        return "future"
    if "to" in aux and tok.head is not tok and depth < 3:  # "plans to step down on January 15"
        head = _verb_tense(tok.head, depth + 1) if tok.head.pos_ in ("VERB", "AUX") else None
        return "past" if head == "past" else "future"
    if tok.tag_ == "VBD" or aux & PAST_AUX:
        return "past"
    if tok.tag_ == "VBN":  # "completed": passive with a present "be" is not past
        return "present" if aux & {"be", "is", "are", "am", "being", "'s", "'re"} else "past"
    if tok.tag_ in PRESENT_TAGS:
        return "present"
    return None
