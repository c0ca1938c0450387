"""Time expressions: found in the text and normalised to ISO-TimeML (TIMEX3) values.

``normalize`` is pure (no spaCy): text, an anchor date and the tense of the governing
verb in, ``(kind, value)`` out, value ``None`` when it cannot be resolved (never a guess).
The ``kg_times`` component finds expressions (spaCy's DATE / TIME entities trimmed to
TIMEX3 extents, plus what the small model misses), picks the anchor and writes
``doc._.kg_times``.

Rules follow the TimeML annotation guidelines (TIMEX3 v1.2.1) and the strategies of
HeidelTime (Strötgen & Gertz 2013) for news: relative expressions resolve against the
document creation time, bare weekdays and month names by the tense of their verb.

Anchor, as a reader would pick it: the publication date when the article has one.
Otherwise the article's own latest full date ("on July 16, 2018"); a reader then takes the
story to unfold in that date's week, so a bare weekday is the day of that week (Monday to
Sunday) whatever the tense. With neither, relative expressions stay unresolved.
"""
from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.spans import text_of
from kg.records import Mention, TimeRecord
from kg.nlp.timex_rules import (TEMPORAL_ADJECTIVES, FUTURE_AUX, LEADING_NOISE, LEFT_PARTS, MONTHS, NUMBER_WORDS, ORDINALS,
                          PARTS_OF_DAY, PAST_AUX, PRESENT_TAGS, RANGE_OPEN, RECENT_NOUNS,
                          REF_WORDS, SEASONS, SET_WORDS, TZ_NAMES, TZ_OFFSETS, UNITS,
                          VAGUE_PLURAL_UNITS, VAGUE_QUANTITIES, WEEKDAYS)

_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"
_VAGUE = r"(?:several|a few|few|many|some|a couple of|couple of|numerous|multiple|recent)"
_UNIT = r"(?:year|yr|month|week|fortnight|day|night|hour|hr|minute|min|second|sec|decade|centur(?:y|ie)|quarter|weekend)s?"
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_WEEKDAY_FULL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_YEAR_WORD = rf"(?:{_YEAR}|this year|last year|next year|the same year|the following year|the previous year)"
_SEASON = r"(?:" + "|".join(SEASONS) + r")"
_PART = r"(?:morning|afternoon|evening|night|overnight)"
_TZ = r"(?:" + "|".join(TZ_NAMES) + r")"
_LEAD = (r"(?:(?:the|past|last|next|coming|previous|first|final|following|over the past|over the last|"
         r"another|more than|less than|fewer than|under|over|about|around|nearly|almost|some|only|at least|"
         r"at most|up to|roughly|approximately|just|full|entire|whole|additional|extra|same|preceding)\s+)*")

RE_MODIFIER = re.compile(r"^(?:the\s+)?(?:end|beginning|start|middle|rest|remainder|close|turn|course|first days?|"
                         r"last days?|bulk)\s+of\s+(.+)$|^(?:early|late|mid|the early|"
                         r"the late|the mid)[\s-]+(.+)$", re.I)
RE_APPROX = re.compile(r"^(?:(?:at least|at most|at the latest|at the earliest|as early as|as late as|as soon as|early as|"
                       r"late as|no later than|no earlier than|not before|not until|least|approximately|roughly|around|"
                       r"about|circa|some|nearly|almost)\s+)+(?=\S)", re.I)
RE_ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d))?$")
RE_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$")
RE_MDY = re.compile(rf"^(?:{_WEEKDAY}\s*,?\s*)?({_MONTH})\s+({_DAY})(?:\s*,?\s*({_YEAR}))?$", re.I)
RE_DMY = re.compile(rf"^(?:{_WEEKDAY}\s*,?\s*)?(?:the\s+)?({_DAY})\s+(?:of\s+)?({_MONTH})(?:\s*,?\s*({_YEAR}))?$", re.I)
RE_REL_MONTH = re.compile(rf"^(last|next|this|past|coming)\s+({_MONTH})$", re.I)
RE_MY = re.compile(rf"^({_MONTH})(?:\s*,?\s*(?:of\s+)?({_YEAR_WORD}))?$", re.I)
RE_YEAR = re.compile(r"^(?:the\s+)?(?:(?:fiscal(?:\s+year)?|fy|the\s+year|year|calendar(?:\s+year)?|model\s+year)[\s-]*)?"
                     rf"({_YEAR}|(?<=fy)\d\d|'\d\d)$", re.I)
RE_YEAR_SPAN = re.compile(rf"^(?:fiscal\s+)?({_YEAR})[-/–](\d\d)$", re.I)
RE_DECADE = re.compile(r"^(?:the\s+)?(\d{3}0|\d0|'\d0)'?s$", re.I)
RE_CENTURY = re.compile(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+century$", re.I)
RE_QUARTER = re.compile(rf"^(?:the\s+|this\s+|its\s+|a\s+|their\s+)?({'|'.join(ORDINALS)})[\s-]+"
                        rf"(?:fiscal\s+|calendar\s+)?quarter(?:\s+(?:of\s+)?(?:fiscal\s+)?({_YEAR_WORD}))?$", re.I)
RE_Q = re.compile(rf"^(?:fiscal\s+)?q([1-4])(?:\s*,?\s*(?:of\s+)?(?:fiscal\s+|fy\s*)?({_YEAR}|'\d\d))?$", re.I)
RE_HALF = re.compile(rf"^(?:the\s+)?(first|second|1st|2nd)[\s-]+half(?:\s+(?:of\s+)?({_YEAR_WORD}))?$|^h([12])\s*({_YEAR})?$", re.I)
RE_SEASON = re.compile(rf"^(?:the\s+)?(?:(this|last|next|past|coming)\s+)?({_SEASON})(?:\s+(?:of\s+)?({_YEAR_WORD}))?$", re.I)
RE_WEEK_OF = re.compile(rf"^(?:the\s+)?(first|second|third|fourth|last|final)\s+week\s+of\s+({_MONTH})(?:\s*,?\s*({_YEAR}))?$", re.I)
RE_AGO = re.compile(rf"^(?P<n>{_NUM}(?:\s+and\s+a\s+half)?|{_VAGUE})[\s-]+(?P<unit>{_UNIT})\s+"
                    r"(?P<dir>ago|earlier|later|before|after|previously|from now|hence|back)$", re.I)
RE_IN = re.compile(rf"^(?:in|within)\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})(?:'s|\s+time)?$", re.I)
RE_REL = re.compile(r"^(?:(earlier|later)\s+)?(this|last|next|the previous|previous|the following|the coming|"
                    r"the same|the current|current|coming)\s+"
                    r"(week|month|year|quarter|weekend|decade|century|fiscal year)$", re.I)
RE_REL_AFTER = re.compile(r"^(?:the\s+)?(week|month|year|quarter|day)\s+(before|after|earlier|previous|prior|later)$", re.I)
RE_REL_WEEKDAY = re.compile(rf"^(this|last|next|past|coming)\s+({_WEEKDAY})(?:\s+({_PART}))?$", re.I)
RE_WEEKDAY = re.compile(rf"^(?:(early|late)\s+)?({_WEEKDAY})(?:\s+({_PART}))?$", re.I)
RE_PART_OF_DAY = re.compile(rf"^(this|yesterday|tomorrow|last|today|tonight|earlier this|later this)\s*({_PART})?$", re.I)
# hour, minute, am/pm, zone (an offset after it is read but not kept), then a day ("Monday")
RE_CLOCK = re.compile(rf"^(?:at\s+)?(\d{{1,2}})(?:[:.](\d\d))?\s*(a\.?m\.?|p\.?m\.?)?"
                      rf"\s*(?:\(?\s*({_TZ})(?:\s*[+-]\s*\d{{1,2}})?\s*\)?)?(?:\s*,?\s+(?:on\s+)?(.*))?$", re.I)
RE_DATE_THEN_CLOCK = re.compile(rf"^(.+?)\s*,?\s+(?:at\s+)?(\d{{1,2}}(?:[:.]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)?"
                                rf"(?:\s*{_TZ})?)$", re.I)
RE_SET = re.compile(rf"^(?:(?:once|twice|thrice|{_NUM}\s+times)\s+(?:every|each|per|a|an)|every|each|per)\s+"
                    rf"(?:(?P<n>{_NUM}|other)\s+)?(?P<unit>{_UNIT}|{_WEEKDAY}|{_PART})$", re.I)
RE_DURATION = re.compile(rf"^{_LEAD}(?P<n>{_NUM}(?:[\s-]{_NUM})?(?:[\s-]and[\s-]a[\s-]half)?|{_VAGUE})?[\s-]*"
                         rf"(?P<unit>{_UNIT})(?:[\s-](?:long|old|plus))?$", re.I)


def normalize(text: str, anchor: dt.date | None, *, tense: str | None = None,
              inferred: bool = False) -> tuple[str, str | None]:
    """TIMEX3 (type, value) of a time expression. ``anchor`` is the reference date,
    ``tense`` "past" / "present" / "future" for the governing verb, ``inferred`` whether
    the anchor is a date read from the text rather than the publication date."""
    s = " ".join(text.strip().split())
    s = re.sub(r"\s+([,.])", r"\1", s)  # tokenised text: "July 16 , 2018"
    low = s.lower().strip(" ,.;:")
    low = re.sub(r"\s*['\u2019]\s*s$", "", low)  # "today's", "the 1990s'"
    low = RE_APPROX.sub("", low)  # "at least 2014", "as early as March": the date itself (TIMEX3 mod)
    low = re.sub(rf"^an?\s+(?={_COUNT}\b)", "", low)  # "a two-hour stoppage"
    low = re.sub(rf"^the\s+month\s+of\s+(?={_MONTH})", "", low)
    low = re.sub(r"^(?:the\s+)?(?:day|night|evening|morning)\s+of\s+(?=\w)", "", low) \
        if re.match(rf"^(the\s+)?(day|night|evening|morning)\s+of\s+(?!the\b)", low) else low
    for rule in _RULES:
        got = rule(low, anchor, tense, inferred)
        if got is not None:
            return got
    return "DATE", None


# ---------------------------------------------------------------- rules, most specific first

def _refs(low, anchor, tense, inferred):
    if low in REF_WORDS:
        return "DATE", REF_WORDS[low]
    if low in SET_WORDS:
        return "SET", SET_WORDS[low]
    m = re.match(rf"^(?:in\s+)?recent\s+({'|'.join(RECENT_NOUNS)})$", low)
    if m:  # "recent years": an unspecified stretch up to now (TIMEX3 "PXY")
        unit = m.group(1)
        return ("DURATION", _duration(None, unit)) if re.fullmatch(_UNIT, unit) else ("DATE", "PAST_REF")
    return None


def _modified(low, anchor, tense, inferred):
    m = RE_MODIFIER.match(low)
    if m:  # "the end of last year", "early 2009": the value of what is modified (TIMEX3 mod)
        inner = m.group(1) or m.group(2)
        if inner in ("the week", "the month", "the year", "the quarter", "the decade"):
            inner = "this " + inner[4:]  # "the end of the year": in news, the current one
        kind, value = normalize(inner, anchor, tense=tense, inferred=inferred)
        return (kind, value) if kind in ("DATE", "TIME") else None
    return None


def _sets(low, anchor, tense, inferred):
    m = RE_SET.match(low)
    if not m:
        return None
    unit = m.group("unit").rstrip(".")
    if unit in WEEKDAYS:
        return "SET", f"XXXX-WXX-{WEEKDAYS[unit] + 1}"
    if unit in PARTS_OF_DAY:
        return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}"
    n = 2 if m.group("n") == "other" else _number(m.group("n") or "1")
    return "SET", _duration(n, unit)


def _deictic(low, anchor, tense, inferred):
    day = {"today": 0, "this day": 0, "earlier today": 0, "later today": 0, "yesterday": -1,
           "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}.get(low)
    if day is not None:
        return "DATE", (anchor + dt.timedelta(days=day)).isoformat() if anchor else None
    m = RE_PART_OF_DAY.match(low)
    if m and (m.group(2) or m.group(1) == "tonight"):
        shift = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(m.group(1), 0)
        part = PARTS_OF_DAY[m.group(2) or "tonight"]
        return "TIME", f"{(anchor + dt.timedelta(days=shift)).isoformat()}T{part}" if anchor else None
    return None


def _absolute(low, anchor, tense, inferred):
    m = RE_ISO.match(low)
    if m:
        value = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if value and m.group(4):
            return "TIME", f"{value}T{m.group(4)}:{m.group(5)}"
        return "DATE", value
    m = RE_NUMERIC.match(low)
    if m:  # 7/16/2018, 16.07.2018: day and month only when one of them cannot be a month
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y = y if y > 99 else (2000 + y if anchor is None or 2000 + y <= anchor.year + 1 else 1900 + y)
        if a > 12 >= b:
            return "DATE", _date(y, b, a)
        if b > 12 >= a or a == b:
            return "DATE", _date(y, a, b)
        # Both readings possible: the one a reader takes is the one near the anchor.
        readings = [d for d in (_date(y, a, b), _date(y, b, a)) if d]
        if anchor and len(readings) == 2:
            near = sorted(readings, key=lambda d: abs((dt.date.fromisoformat(d) - anchor).days))
            gap = [abs((dt.date.fromisoformat(d) - anchor).days) for d in near]
            if gap[0] <= 7 < gap[1]:
                return "DATE", near[0]
        return "DATE", None
    for rx, order in ((RE_MDY, "md"), (RE_DMY, "dm")):
        m = rx.match(low)
        if m:
            a, b, year = m.groups()
            month, day = (a, b) if order == "md" else (b, a)
            mo, d = MONTHS[month.rstrip(".")], int(re.sub(r"\D", "", day))
            if year:
                return "DATE", _date(int(year), mo, d)
            if not anchor:
                return "DATE", None
            return "DATE", _date(_year_for_month(anchor, mo, tense, d), mo, d)
    m = RE_REL_MONTH.match(low)
    if m:  # "last November": the latest November before the anchor's month; "next": after it
        if not anchor:
            return "DATE", None
        rel, mo = m.group(1), MONTHS[m.group(2).rstrip(".")]
        y = anchor.year
        if rel in ("last", "past") and mo >= anchor.month:
            y -= 1
        elif rel in ("next", "coming") and mo <= anchor.month:
            y += 1
        return "DATE", f"{y:04d}-{mo:02d}"
    m = RE_MY.match(low)
    if m:
        mo = MONTHS[m.group(1).rstrip(".")]
        y = _year_word(m.group(2), anchor) if m.group(2) else (_year_for_month(anchor, mo, tense) if anchor else None)
        return "DATE", f"{y:04d}-{mo:02d}" if y else None
    m = RE_YEAR.match(low)
    if m:
        y = m.group(1).lstrip("'")
        if len(y) == 2:  # FY09, '09: the century nearest the anchor, else unresolved
            if anchor is None:
                return "DATE", None
            y = str(_two_digit_year(int(y), anchor))
        return "DATE", y
    m = RE_YEAR_SPAN.match(low)
    if m:  # "2008-09", fiscal 2008/09: the fiscal year named by the year it ends in
        y = int(m.group(1))
        if (y + 1) % 100 == int(m.group(2)):
            return "DATE", f"{y + 1:04d}" if low.startswith("fiscal") else None
        return None
    m = RE_DECADE.match(low)
    if m:
        dec = m.group(1).lstrip("'")
        if len(dec) == 2:  # "the 80s": the last such decade not after the anchor
            if anchor is None:
                return "DATE", None
            dec = str(_two_digit_year(int(dec), anchor))
        return "DATE", dec[:3]
    m = RE_CENTURY.match(low)
    if m:
        return "DATE", f"{int(m.group(1)) - 1:02d}"
    return None


def _calendar_parts(low, anchor, tense, inferred):
    m = RE_QUARTER.match(low)
    if m:
        q = ORDINALS[m.group(1)]
        y = _year_word(m.group(2), anchor) if m.group(2) else (_year_for_quarter(anchor, q, tense) if anchor else None)
        return "DATE", f"{y:04d}-Q{q}" if y else None
    m = RE_Q.match(low)
    if m:
        y = m.group(2)
        y = (int(y) if len(y) == 4 else (_two_digit_year(int(y[1:]), anchor) if anchor else None)) if y \
            else (anchor.year if anchor else None)
        return "DATE", f"{y:04d}-Q{m.group(1)}" if y else None
    m = RE_HALF.match(low)
    if m:
        half = m.group(3) or ("1" if m.group(1) in ("first", "1st") else "2")
        yw = m.group(2) or m.group(4)
        y = _year_word(yw, anchor) if yw else (anchor.year if anchor else None)
        return "DATE", f"{y:04d}-H{half}" if y else None
    m = RE_SEASON.match(low)
    if m:
        rel, season, yw = m.groups()
        if yw:
            y = _year_word(yw, anchor)
        elif anchor is None:
            y = None
        else:
            y = anchor.year + {"last": -1, "past": -1, "next": 1, "coming": 1}.get(rel or "", 0)
        if y and season == "winter" and anchor and not yw and rel in ("last", "past") and anchor.month <= 3:
            y += 1  # "last winter" in February is the winter just ending, named by its start year
        return "DATE", f"{y:04d}-{SEASONS[season]}" if y else None
    m = RE_WEEK_OF.match(low)
    if m:  # the weeks of a month are the ISO weeks whose Thursday falls in it (ISO 8601's year rule)
        which, month, year = m.groups()
        mo = MONTHS[month.rstrip(".")]
        y = int(year) if year else (_year_for_month(anchor, mo, tense) if anchor else None)
        if not y:
            return "DATE", None
        thursdays = [d for d in (dt.date(y, mo, 1) + dt.timedelta(days=i) for i in range(31))
                     if d.month == mo and d.weekday() == 3]
        idx = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1, "final": -1}[which]
        iy, iw, _ = thursdays[idx].isocalendar()
        return "DATE", f"{iy:04d}-W{iw:02d}"
    return None


def _relative(low, anchor, tense, inferred):
    m = RE_AGO.match(low)
    if m:
        n, unit, direction = _number(m.group("n")), m.group("unit"), m.group("dir")
        if m.group("n") in VAGUE_QUANTITIES and direction in ("ago", "back"):
            return "DATE", "PAST_REF"  # "several years ago"
        if not anchor or n is None or not float(n).is_integer():
            return "DATE", None
        sign = -1 if direction in ("ago", "earlier", "before", "previously", "back") else 1
        return "DATE", _shift(anchor, sign * int(n), unit)
    m = RE_IN.match(low)
    if m:  # "in three years" (time): the date that far ahead
        n = _number(m.group("n"))
        if not anchor or n is None or not float(n).is_integer():
            return "DATE", None
        return "DATE", _shift(anchor, int(n), m.group("unit"))
    m = RE_REL.match(low)
    if m:
        unit = m.group(3).replace("fiscal ", "")
        return "DATE", _relative_unit(m.group(2), unit, anchor)
    m = RE_REL_AFTER.match(low)
    if m:  # "the year before": the anchor's neighbour (the reference time is not tracked)
        sign = -1 if m.group(2) in ("before", "earlier", "previous", "prior") else 1
        return "DATE", _shift(anchor, sign, m.group(1)) if anchor else None
    m = RE_REL_WEEKDAY.match(low)
    if m:
        if not anchor:
            return "DATE", None
        rel, wd, part = m.group(1), WEEKDAYS[m.group(2).rstrip(".")], m.group(3)
        t = {"last": "past", "past": "past", "next": "future", "coming": "future"}.get(rel, tense)
        day = _weekday(anchor, wd, t, inferred=False).isoformat()
        return ("TIME", f"{day}T{PARTS_OF_DAY[part]}") if part else ("DATE", day)
    m = RE_WEEKDAY.match(low)
    if m:
        if not anchor:
            return ("TIME" if m.group(3) else "DATE"), None
        day = _weekday(anchor, WEEKDAYS[m.group(2).rstrip(".")], tense, inferred).isoformat()
        return ("TIME", f"{day}T{PARTS_OF_DAY[m.group(3)]}") if m.group(3) else ("DATE", day)
    return None


def _durations(low, anchor, tense, inferred):
    m = RE_DURATION.match(low)
    if not m or re.match(r"^(this|next|the next|the same)\s", low) and not m.group("n"):
        return None
    n, unit = m.group("n"), m.group("unit")
    if n is None:
        # "the past year", "a year": one unit; a bare singular ("year") is no length
        qty = 1 if not unit.endswith("s") and re.match(
            r"^(the\s+)?(past|last|previous|first|final|following|coming|full|entire|whole|preceding)\s", low) else None
        if qty is None and not unit.endswith("s"):
            return None
    else:
        qty = None if n in VAGUE_QUANTITIES else _number(n)
        if qty is None and n not in VAGUE_QUANTITIES:
            return None
    return "DURATION", _duration(qty, unit)


def _clock(low, anchor, tense, inferred):
    if low in ("noon", "midday", "midnight"):
        return "TIME", f"{anchor.isoformat()}T{'12:00' if low != 'midnight' else '24:00'}" if anchor else None
    m = RE_CLOCK.match(low)
    if not m or not (m.group(2) or m.group(3)):
        m2 = RE_DATE_THEN_CLOCK.match(low)
        if not m2 or not re.search(r"[:.]|[ap]\.?m", m2.group(2)):
            return None
        kind, value = _clock(m2.group(2) + " " + m2.group(1), anchor, tense, inferred) or ("TIME", None)
        return "TIME", value
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    ampm = (m.group(3) or "").replace(".", "")
    if hour > 12 and ampm or hour > 24 or minute > 59:
        return None
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    tz = TZ_OFFSETS.get((m.group(4) or "").lower(), "")
    if m.group(4) and re.search(r"[+-]\s*\d", low):
        tz = ""  # "GMT+8": a local time; TIMEX3 values carry no offset here
    rest = m.group(5)
    if rest:
        kind, value = normalize(rest, anchor, tense=tense, inferred=inferred)
        if not (kind == "DATE" and (value is None or re.fullmatch(r"\d{4}-\d\d-\d\d", value))):
            return None
        day = value
    else:
        day = anchor.isoformat() if anchor else None
    return "TIME", f"{day}T{hour:02d}:{minute:02d}{tz}" if day else None


_RULES = (_refs, _modified, _sets, _deictic, _absolute, _calendar_parts, _relative, _durations, _clock)


# ---------------------------------------------------------------- helpers

def _number(word: str | None) -> float | None:
    if word is None:
        return None
    w = word.lower().replace(",", "").strip()
    if re.search(r"[\s-]and[\s-]a[\s-]half$", w):
        base = _number(re.sub(r"[\s-]and[\s-]a[\s-]half$", "", w))
        return None if base is None else base + 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    parts = re.split(r"[\s-]+", w)
    if len(parts) > 1 and parts[0] in ("a", "an") and parts[1] not in ("hundred", "dozen", "couple"):
        return None  # "a two hour": the article of a count, not a number
    total = 0.0
    for p in parts:
        if p not in NUMBER_WORDS:
            return None
        v = NUMBER_WORDS[p]
        total = total * v if v == 100 and total else total + v
    return total


def _duration(n: float | None, unit: str) -> str:
    u = unit.lower()
    u = "century" if u.startswith("centur") else re.sub(r"s$", "", u)
    code = UNITS.get(u, "D")
    qty = "X" if n is None else (str(int(n)) if float(n).is_integer() else str(n))
    if code == "DE":
        return "PXDE" if n is None else _duration(n * 10, "year")
    if code == "CE":
        return "PXCE" if n is None else _duration(n * 100, "year")
    if code == "Q":
        return "PXQ" if n is None else _duration(n * 3, "month")
    if code == "W2":
        return "PXW" if n is None else _duration(n * 2, "week")
    if code == "WE":
        return f"P{qty}WE"
    if u in ("hour", "hr", "minute", "min", "second", "sec"):
        return f"PT{qty}{code}"
    if qty != "X" and "." in qty:
        # A whole number of the next smaller unit reads better: 1.5 years -> P18M.
        for big, small, k in (("Y", "M", 12), ("M", "D", 30), ("W", "D", 7), ("D", "TH", 24)):
            if code == big and float(n * k).is_integer():
                return f"PT{int(n * k)}H" if small == "TH" else f"P{int(n * k)}{small}"
    return f"P{qty}{code}"


def _date(y: int, mo: int, d: int) -> str | None:
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _two_digit_year(yy: int, anchor: dt.date) -> int:
    """'09 / FY09 / the 80s: the year with those last digits nearest the anchor, not more
    than ten years ahead of it."""
    y = anchor.year // 100 * 100 + yy
    return y - 100 if y > anchor.year + 10 else y


def _year_word(word: str | None, anchor: dt.date | None) -> int | None:
    if word is None:
        return None
    if re.fullmatch(r"\d{4}", word):
        return int(word)
    if not anchor:
        return None
    return anchor.year + {"this year": 0, "last year": -1, "next year": 1, "the same year": 0,
                          "the following year": 1, "the previous year": -1}[word]


def _year_for_month(anchor: dt.date, month: int, tense: str | None, day: int = 1) -> int:
    """The year of a month (and day) written without one: the nearest, in the direction
    the verb's tense points (HeidelTime's "undef-year" rule)."""
    y = anchor.year
    candidate, here = (month, day), (anchor.month, anchor.day)
    if tense == "past" and candidate > here and month - anchor.month > 1:
        return y - 1
    if tense == "future" and candidate < here and anchor.month - month > 1:
        return y + 1
    if tense not in ("past", "future") and abs(month - anchor.month) > 6:
        return y - 1 if month > anchor.month else y + 1
    return y


def _year_for_quarter(anchor: dt.date, q: int, tense: str | None) -> int:
    """A quarter without a year: the anchor's year, except that results told in the past
    tense in a quarter's first months are of a quarter already over ("the fourth quarter"
    reported in February is last year's)."""
    current = (anchor.month - 1) // 3 + 1
    if tense == "past" and q >= current:
        return anchor.year - 1
    return anchor.year


def _weekday(anchor: dt.date, weekday: int, tense: str | None, inferred: bool) -> dt.date:
    """A bare weekday. Against a publication date: the last one on or before it for the
    past, the next one on or after it for the future, else the nearest. Against a date
    read from the text: that date's week, Monday to Sunday."""
    if inferred:
        monday = anchor - dt.timedelta(days=anchor.weekday())
        return monday + dt.timedelta(days=weekday)
    diff = weekday - anchor.weekday()
    if tense == "past":
        return anchor + dt.timedelta(days=diff if diff <= 0 else diff - 7)
    if tense == "future":
        return anchor + dt.timedelta(days=diff if diff >= 0 else diff + 7)
    if diff > 3:
        diff -= 7
    elif diff < -3:
        diff += 7
    return anchor + dt.timedelta(days=diff)


def _shift(anchor: dt.date, n: int, unit: str) -> str | None:
    """The calendar unit ``n`` units from the anchor, at that unit's granularity."""
    u = unit.lower()
    u = "century" if u.startswith("centur") else re.sub(r"s$", "", u)
    if u in ("year", "yr"):
        return f"{anchor.year + n:04d}"
    if u == "decade":
        return f"{(anchor.year + 10 * n) // 10:03d}"
    if u == "century":
        return f"{anchor.year // 100 + n:02d}"
    if u == "month":
        d = anchor + relativedelta(months=n)
        return f"{d.year:04d}-{d.month:02d}"
    if u in ("week", "fortnight", "weekend"):
        d = anchor + dt.timedelta(weeks=n * (2 if u == "fortnight" else 1))
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}" + ("-WE" if u == "weekend" else "")
    if u in ("day", "night"):
        return (anchor + dt.timedelta(days=n)).isoformat()
    if u == "quarter":
        d = anchor + relativedelta(months=3 * n)
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    return None


def _relative_unit(rel: str, unit: str, anchor: dt.date | None) -> str | None:
    if not anchor:
        return None
    rel = rel.removeprefix("the ")
    shift = {"this": 0, "current": 0, "same": 0, "last": -1, "past": -1, "previous": -1,
             "next": 1, "following": 1, "coming": 1}[rel]
    return _shift(anchor, shift, unit)


# ---------------------------------------------------------------- detection (spaCy side)

# Counts that start a duration the model missed ("two and a half years"); not "a", which
# is mostly an article ("not a day anybody can be prepared for").
_COUNT = r"(?:\d+(?:\.\d+)?|" + "|".join(w for w in NUMBER_WORDS if w not in ("a", "an", "half", "single")) + r")"
# Expressions the small model often misses, found on the text; each is then checked
# against the parse (_keep_extra) so that adjectives and verbs do not pass.
EXTRA_PATTERN = re.compile(
    r"\b(?:(?:earlier|later)\s+(?:today|this\s+(?:week|month|year)))\b|"
    r"\b(?:today|tonight|yesterday|tomorrow|now|currently|recently|nowadays|presently|soon|shortly)\b|"
    rf"\b(?:in\s+)?recent\s+(?:{'|'.join(RECENT_NOUNS)})\b|"
    r"\b(?:the\s+(?:near\s+|distant\s+)?future|the\s+past|the\s+(?:long|short|medium)\s+(?:term|run))\b|"
    r"\b\d{1,2}:\d\d(?:\s*(?:a\.m\.|p\.m\.|am|pm))?(?:\s*(?:UTC|GMT))?(?!\w)|\b\d{1,2}\s*(?:a\.m\.|p\.m\.)|"
    r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|"
    rf"\b(?:(?:this|last|next|early|late)\s+)?{_WEEKDAY_FULL}(?:\s+{_PART})?\b|"
    rf"\b(?:(?:this|last|next|past|coming|early|late|mid)[\s-]+)?{_SEASON}(?:\s+(?:of\s+)?{_YEAR})?\b|"
    r"\b(?:this|last|next)\s+(?:week|month|year|quarter|weekend)\b|"
    rf"\b(?:(?:about|almost|nearly|more than|over|some|at least|up to|roughly|just|only)\s+)?"
    rf"(?:{_COUNT}(?:[\s-]and[\s-]a[\s-]half)?[\s-]+{_UNIT}|an?\s+{_UNIT}(?=\s+(?:ago|earlier|later)\b))"
    rf"(?:\s+(?:ago|earlier|later|from now))?\b|"
    r"\b(?:current|recent|ongoing)\b|"
    r"\b(?:a|an|per)\s+(?:year|month|week|day|hour)\b|"
    rf"\b(?:{'|'.join(VAGUE_PLURAL_UNITS)})\b",
    re.I,
)
# Entity types a time expression is never inside ("Arab Spring", "Summer Olympics").
_OTHER_ENTS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "NORP", "LAW", "MONEY"}
_VAGUE_PLURAL = re.compile(rf"^(?:{'|'.join(VAGUE_PLURAL_UNITS)})$", re.I)


@Language.factory("kg_times")
def make_times(nlp: Language, name: str):
    return TimeFinder()


class TimeFinder:
    """Writes ``doc._.kg_times``: one TimeRecord per time expression, in text order."""

    def __call__(self, doc: Doc) -> Doc:
        found = _find(doc)
        anchor, inferred = _anchor(doc, found)
        out = []
        for span, norm in found:
            kind, value = normalize(norm, anchor, tense=_tense(span), inferred=inferred)
            out.append(TimeRecord(f"t{len(out)}", kind, span.text, value,
                                  [Mention(span.start_char, span.end_char, span.text)]))
        doc._.kg_times = out
        return doc


def _anchor(doc: Doc, found: list[tuple[Span, str]]) -> tuple[dt.date | None, bool]:
    published = doc._.kg_published
    if published:
        try:
            return dt.date.fromisoformat(str(published)[:10]), False
        except ValueError:
            pass
    # No publication date: the latest full date the article gives, as a reader would.
    dates = []
    for _, norm in found:
        kind, value = normalize(norm, None)
        if kind in ("DATE", "TIME") and value and re.match(r"\d{4}-\d\d-\d\d", value):
            dates.append(dt.date.fromisoformat(value[:10]))
    return (max(dates), True) if dates else (None, True)


def _find(doc: Doc) -> list[tuple[Span, str]]:
    """Time expressions as (extent, text to normalise), in text order. The text to
    normalise can be wider than the extent ("15 a year" is the set "a year")."""
    found: list[tuple[Span, str]] = []
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            found += _trim(doc, ent)
    taken = [(s.start_char, s.end_char) for s, _ in found]
    for m in EXTRA_PATTERN.finditer(text_of(doc)):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
        if span is None or not len(span) or not _keep_extra(span):
            continue
        for part in _trim(doc, span):
            found.append(part)
            taken.append((part[0].start_char, part[0].end_char))
    # Years the model left inside other spans or unlabelled ("the 2016 election").
    for tok in doc:
        if re.fullmatch(_YEAR, tok.text) and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "QUANTITY", "PERCENT") \
                and (tok.ent_type_ not in _OTHER_ENTS or tok.ent_type_ == "EVENT") \
                and tok.pos_ in ("NUM", "PROPN", "NOUN", "ADJ") and not _year_not_time(tok) \
                and not any(tok.idx < e and s < tok.idx + 4 for s, e in taken):
            found.append((doc[tok.i:tok.i + 1], tok.text))
            taken.append((tok.idx, tok.idx + 4))
    found = [_with_zone(doc, span, norm) for span, norm in found]
    found = _merge(doc, sorted(found, key=lambda f: (f[0].start_char, -f[0].end_char)))
    return sorted(found + _ranges(doc, found), key=lambda f: (f[0].start_char, -f[0].end_char))


def _counted(tok) -> bool:
    """A year-like number that counts things ("2000 jobs", "1800 cars")."""
    return tok.dep_ == "nummod" and tok.head.i == tok.i + 1 and tok.head.lower_ not in ("elections", "games", "olympics") \
        and tok.head.pos_ == "NOUN" and tok.head.tag_ == "NNS"


def _keep_extra(span: Span) -> bool:
    first, last = span[0], span[-1]
    if any(t.ent_type_ in _OTHER_ENTS and t.lower_ not in TZ_NAMES for t in span):
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
    if re.search(_UNIT + r"$", span.text, re.I) and span[-1].pos_ not in ("NOUN", "PROPN"):
        return False
    return True


def _trim(doc: Doc, ent: Span) -> list[tuple[Span, str]]:
    """TIMEX3 extents: no leading prepositions; "between 60 and 90 days" -> two; no ages
    written as bare numbers; no fractions ("a quarter of its dealers")."""
    start, end = ent.start, ent.end
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
                           or doc[end - 1].lower_ in ("and", "or", "the", "'s", "\u2019s")):
        end -= 1
    # "July 24 , 2003" where the model stopped at the day.
    if end + 1 < len(doc) and doc[end].text == "," and re.fullmatch(_YEAR, doc[end + 1].text) \
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
    if len(span) == 1 and re.fullmatch(_YEAR, text) and _year_not_time(span[0]):
        return []
    # "15 a year": the count belongs to something else; the set is "a year".
    m = re.match(rf"^({_NUM}|\d[\d,.]*)\s+((?:a|an|per)\s+{_UNIT})$", text, re.I)
    if m:
        sub = doc.char_span(span.start_char + m.start(2), span.end_char)
        return [(sub, "every " + m.group(2).split(None, 1)[1])] if sub is not None else []
    # "10,000 jobs a year", "twice a month": a rate, so a set.
    m = re.match(rf"^(?:a|an|per)\s+({_UNIT})$", text, re.I)
    if m and _is_rate(span):
        return [(span, "every " + m.group(1))]
    # "between 60 and 90 days": two durations, the first taking the second's unit.
    m = re.match(rf"^(?:between\s+)?({_NUM})\s*(?:and|to|or|-|--|–|—)\s*({_NUM}[\s-]+{_UNIT})$", text, re.I)
    if m and _number(m.group(1)) is not None:
        first = doc.char_span(span.start_char + m.start(1), span.start_char + m.end(1))
        second = doc.char_span(span.start_char + m.start(2), span.end_char)
        unit = m.group(2).split()[-1]
        return [(s, n) for s, n in ((first, f"{m.group(1)} {unit}"), (second, m.group(2))) if s is not None]
    halves = _two_expressions(doc, span)
    if halves:
        return halves
    parts = re.split(r"\s+(?:and|to|-|--|–|—|through|until|or)\s+|\s*,\s+(?!\d{4}\b)", text)
    probe = dt.date(2000, 1, 5)  # any anchor: is each part a time expression of its own?
    if len(parts) >= 2 and not normalize(text, probe)[1] and all(normalize(p, probe)[1] for p in parts):
        out, pos = [], span.start_char
        for p in parts:
            b = text_of(doc).index(p, pos)
            pos = b + len(p)
            sub = doc.char_span(b, pos, alignment_mode="expand")
            if sub is not None:
                out.append((sub, p))
        return out
    return [(span, text)]


def _two_expressions(doc: Doc, span: Span) -> list[tuple[Span, str]] | None:
    """A model span that is two expressions side by side ("a decade last month"): split
    where both halves have a value and the whole has none."""
    probe = dt.date(2000, 1, 5)
    if len(span) < 3 or len(span) > 8 or normalize(span.text, probe)[1]:
        return None
    for i in range(span.start + 1, span.end):
        left, right = doc[span.start:i], doc[i:span.end]
        if RE_AGO.match(right.text.lower()):
            return None  # "the same month a year ago": one expression, "ago" shifts the other half
        if normalize(left.text, probe)[1] and normalize(right.text, probe)[1] and not left[-1].is_punct:
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
    probe = dt.date(2000, 1, 5)
    for span, norm in found:
        if out and span.start_char >= out[-1][0].start_char and span.end_char <= out[-1][0].end_char:
            continue  # "Thursday" inside "Thursday night"
        if out:
            prev, pnorm = out[-1]
            gap = text_of(doc)[prev.end_char:span.start_char]
            if "," in gap and _is_clock(pnorm) and not RE_CLOCK.match(pnorm.lower()).group(5) \
                    and re.fullmatch(r"\d{4}-\d\d-\d\d", normalize(norm, probe)[1] or ""):
                # "at 16:15 UTC, June 1": two expressions, the time on that day
                out[-1] = (prev, f"{pnorm} {norm}")
                out.append((span, norm))
                continue
            if prev.end_char <= span.start_char and re.fullmatch(r"\s*(?:,\s*)?(?:on\s+|at\s+)?", gap):
                joined = text_of(doc)[prev.start_char:span.end_char]
                kind, value = normalize(joined, probe, tense="past")
                if value and kind in ("DATE", "TIME") and normalize(pnorm, probe)[0] in ("DATE", "TIME") \
                        and normalize(norm, probe)[0] in ("DATE", "TIME"):
                    out[-1] = (doc[prev.start:span.end], joined)
                    continue
        out.append((span, norm))
    return out


def _with_zone(doc: Doc, span: Span, norm: str) -> tuple[Span, str]:
    """"16:30" + "UTC" (which the model may take for an organisation): one time."""
    if span.end < len(doc) and doc[span.end].lower_ in TZ_NAMES and _is_clock(norm) \
            and not re.search(_TZ + r"\)?$", norm, re.I):
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
        if not (re.fullmatch(_YEAR, an) and re.fullmatch(_YEAR, bn)) or int(bn) <= int(an):
            continue
        span = doc[a.start - 1:b.end]
        out.append((span, f"{int(bn) - int(an)} years"))
    return out


def _tense(span: Span) -> str | None:
    """past / present / future of the verb the expression hangs from."""
    tok = span.root.head
    for _ in range(4):
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
