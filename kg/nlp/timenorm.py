"""Time expressions normalised to ISO-TimeML (TIMEX3) values; pure, no spaCy.

``normalize``: text, an anchor date and the tense of the governing verb in, ``(kind,
value)`` out, value ``None`` when it cannot be resolved (never a guess). The kg_times
component (kg.nlp.timex) finds the expressions and picks the anchor.

Rules follow the TimeML annotation guidelines (TIMEX3 v1.2.1) and the strategies of
HeidelTime (Strötgen & Gertz 2013) for news: relative expressions resolve against the
document creation time, bare weekdays and month names by the tense of their verb. A bare
weekday against a date read from the text (``inferred``) is the day of that date's week
(Monday to Sunday) whatever the tense. Word lists: kg.nlp.lexicons.time.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from kg.nlp.lexicons.time import (ANAPHORIC_DAYS, DEICTIC_DAYS, DURATION_MODIFIERS, EASTER_OFFSETS, HOLIDAY_DATES,
                                  THANKSGIVING, MONTHS, NUMBER_WORDS, ORDINALS, PARTS_OF_DAY, RECENT_NOUNS,
                                  REF_WORDS, RELATIVE_SHIFTS, SEASONS, SET_WORDS, CLOCK_TIME_ZONES, TZ_OFFSETS, UNITS,
                                  VAGUE_QUANTITIES, WEEKDAYS, YEAR_WORDS)

# Pattern fragments, shared with the component (kg.nlp.timex).
NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"
VAGUE = r"(?:" + "|".join(sorted(VAGUE_QUANTITIES, key=lambda w: (-len(w), w))) + r")"
UNIT = r"(?:year|yr|month|week|fortnight|day|night|hour|hr|minute|min|second|sec|decade|centur(?:y|ie)|quarter|weekend)s?"
MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
WEEKDAY_FULL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
YEAR_WORD = rf"(?:{YEAR}|" + "|".join(YEAR_WORDS) + r")"
SEASON = r"(?:" + "|".join(SEASONS) + r")"
PART = r"(?:morning|afternoon|evening|night|overnight)"
# Longest first, lowercase: the rules match on lowercased text.
TZ = r"(?:" + "|".join(sorted((z.lower() for z in CLOCK_TIME_ZONES), key=lambda z: (-len(z), z))) + r")"
# Counts that start a duration the model missed ("two and a half years"); not "a", which
# is mostly an article ("not a day anybody can be prepared for").
COUNT = r"(?:\d+(?:\.\d+)?|" + "|".join(w for w in NUMBER_WORDS if w not in ("a", "an", "half", "single")) + r")"
LEAD = (r"(?:(?:the|past|last|next|coming|previous|first|final|following|over the past|over the last|"
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
RE_MDY = re.compile(rf"^(?:{WEEKDAY}\s*,?\s*)?({MONTH})\s+({DAY})(?:\s*,?\s*({YEAR}))?$", re.I)
RE_DMY = re.compile(rf"^(?:{WEEKDAY}\s*,?\s*)?(?:the\s+)?({DAY})\s+(?:of\s+)?({MONTH})(?:\s*,?\s*({YEAR}))?$", re.I)
RE_REL_MONTH = re.compile(rf"^(last|next|this|past|coming)\s+({MONTH})$", re.I)
RE_MY = re.compile(rf"^({MONTH})(?:\s*,?\s*(?:of\s+)?({YEAR_WORD}))?$", re.I)
RE_YEAR = re.compile(r"^(?:the\s+)?(?:(?:fiscal(?:\s+year)?|fy|the\s+year|year|calendar(?:\s+year)?|model\s+year)[\s-]*)?"
                     rf"({YEAR}|(?<=fy)\d\d|'\d\d)$", re.I)
RE_YEAR_SPAN = re.compile(rf"^(?:fiscal\s+)?({YEAR})[-/–](\d\d)$", re.I)
RE_DECADE = re.compile(r"^(?:the\s+)?(\d{3}0|\d0|'\d0)'?s$", re.I)
RE_CENTURY = re.compile(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+century$", re.I)
RE_QUARTER = re.compile(rf"^(?:the\s+|this\s+|its\s+|a\s+|their\s+)?({'|'.join(ORDINALS)})[\s-]+"
                        rf"(?:fiscal\s+|calendar\s+)?quarter(?:\s+(?:of\s+)?(?:fiscal\s+)?({YEAR_WORD}))?$", re.I)
RE_Q = re.compile(rf"^(?:fiscal\s+)?q([1-4])(?:\s*,?\s*(?:of\s+)?(?:fiscal\s+|fy\s*)?({YEAR}|'\d\d))?$", re.I)
RE_HALF = re.compile(rf"^(?:the\s+)?(first|second|1st|2nd)[\s-]+half(?:\s+(?:of\s+)?({YEAR_WORD}))?$|^h([12])\s*({YEAR})?$", re.I)
RE_SEASON = re.compile(rf"^(?:the\s+)?(?:(this|last|next|past|coming)\s+)?({SEASON})(?:\s+(?:of\s+)?({YEAR_WORD}))?$", re.I)
RE_WEEK_OF = re.compile(rf"^(?:the\s+)?(first|second|third|fourth|last|final)\s+week\s+of\s+({MONTH})(?:\s*,?\s*({YEAR}))?$", re.I)
RE_AGO = re.compile(rf"^(?P<n>{NUM}(?:\s+and\s+a\s+half)?|{VAGUE})[\s-]+(?P<unit>{UNIT})\s+"
                    r"(?P<dir>ago|earlier|later|before|after|previously|from now|hence|back)$", re.I)
RE_IN = re.compile(rf"^(?:in|within)\s+(?P<n>{NUM})\s+(?P<unit>{UNIT})(?:'s|\s+time)?$", re.I)
RE_REL = re.compile(r"^(?:(earlier|later)\s+)?(this|last|next|the previous|previous|the following|the coming|"
                    r"the same|the current|current|coming|that|that same|the preceding|the prior)\s+"
                    r"(week|month|year|quarter|weekend|decade|century|fiscal year)$", re.I)
RE_REL_AFTER = re.compile(r"^(?:the\s+)?(week|month|year|quarter|day)\s+(before|after|earlier|previous|prior|later)$", re.I)
RE_REL_WEEKDAY = re.compile(rf"^(this|last|next|past|coming)\s+({WEEKDAY})(?:\s+({PART}))?$", re.I)
RE_WEEKDAY = re.compile(rf"^(?:(early|late)\s+)?({WEEKDAY})(?:\s+({PART}))?$", re.I)
RE_PART_OF_DAY = re.compile(rf"^(this|yesterday|tomorrow|last|today|tonight|earlier this|later this)\s*({PART})?$", re.I)
# hour, minute, am/pm, zone (an offset after it is read but not kept), then a day ("Monday")
RE_CLOCK = re.compile(rf"^(?:at\s+)?(\d{{1,2}})(?:[:.](\d\d))?\s*(a\.?m\.?|p\.?m\.?)?"
                      rf"\s*(?:\(?\s*({TZ})(?:\s*[+-]\s*\d{{1,2}})?\s*\)?)?(?:\s*,?\s+(?:on\s+)?(.*))?$", re.I)
RE_DATE_THEN_CLOCK = re.compile(rf"^(.+?)\s*,?\s+(?:at\s+)?(\d{{1,2}}(?:[:.]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)?"
                                rf"(?:\s*{TZ})?)$", re.I)
RE_SET = re.compile(rf"^(?:(?:once|twice|thrice|{NUM}\s+times)\s+(?:every|each|per|a|an)|every|each|per)\s+"
                    rf"(?:(?P<n>{NUM}|other)\s+)?(?P<unit>{UNIT}|{WEEKDAY}|{PART}|{SEASON})$", re.I)
RE_DURATION = re.compile(rf"^{LEAD}(?P<n>{NUM}(?:[\s-]{NUM})?(?:[\s-]and[\s-]a[\s-]half)?|{VAGUE})?[\s-]*"
                         rf"(?:(?:{'|'.join(DURATION_MODIFIERS)})\s+)?"
                         rf"(?P<unit>{UNIT})(?:[\s-](?:long|plus))?$", re.I)
# "2010-2012", "1998-99": the years from one to the other (a DURATION, as "from 2010 to 2012").
RE_YEAR_RANGE = re.compile(rf"^({YEAR})\s*[-–]\s*({YEAR}|\d\d)$")


# normalize's patterns, compiled once (re's own cache is looked up by the whole pattern).
_RE_SPACE_PUNCT = re.compile(r"\s+([,.])")
_RE_POSSESSIVE = re.compile(r"\s*['\u2019]\s*s$")
_RE_ARTICLE_COUNT = re.compile(rf"^an?\s+(?={COUNT}\b)")
_RE_MONTH_OF = re.compile(rf"^the\s+month\s+of\s+(?={MONTH})")
_RE_DAY_OF = re.compile(r"^(?:the\s+)?(?:day|night|evening|morning)\s+of\s+(?=\w)")
_RE_DAY_OF_NOT_THE = re.compile(r"^(the\s+)?(day|night|evening|morning)\s+of\s+(?!the\b)")
_RE_RECENT = re.compile(rf"^(?:in\s+)?recent\s+({'|'.join(RECENT_NOUNS)})$")


# Pure, and asked the same questions again and again (the component tries an expression
# whole and in parts, with a probe anchor, and news repeats its expressions): memoised.
@functools.lru_cache(maxsize=4096)
def normalize(text: str, anchor: dt.date | None, *, tense: str | None = None,
              inferred: bool = False) -> tuple[str, str | None]:
    """TIMEX3 (type, value) of a time expression. ``anchor`` is the reference date,
    ``tense`` "past" / "present" / "future" for the governing verb, ``inferred`` whether
    the anchor is a date read from the text rather than the publication date."""
    s = " ".join(text.strip().split())
    s = _RE_SPACE_PUNCT.sub(r"\1", s)  # tokenised text: "July 16 , 2018"
    low = s.lower().strip(" ,.;:")
    low = _RE_POSSESSIVE.sub("", low)  # "today's", "the 1990s'"
    low = RE_APPROX.sub("", low)  # "at least 2014", "as early as March": the date itself (TIMEX3 mod)
    low = _RE_ARTICLE_COUNT.sub("", low)  # "a two-hour stoppage"
    low = _RE_MONTH_OF.sub("", low)
    low = _RE_DAY_OF.sub("", low) if _RE_DAY_OF_NOT_THE.match(low) else low
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
    m = _RE_RECENT.match(low)
    if m:  # "recent years": an unspecified stretch up to now (TIMEX3 "PXY")
        unit = m.group(1)
        return ("DURATION", _duration(None, unit)) if re.fullmatch(UNIT, unit) else ("DATE", "PAST_REF")
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
    if unit in SEASONS:  # "every summer"
        return "SET", f"XXXX-{SEASONS[unit]}"
    if unit in WEEKDAYS:
        return "SET", f"XXXX-WXX-{WEEKDAYS[unit] + 1}"
    if unit in PARTS_OF_DAY:
        return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}"
    n = 2 if m.group("n") == "other" else parse_number(m.group("n") or "1")
    return "SET", _duration(n, unit)


def _deictic(low, anchor, tense, inferred):
    day = DEICTIC_DAYS.get(low, ANAPHORIC_DAYS.get(low))
    if day is not None:
        return "DATE", (anchor + dt.timedelta(days=day)).isoformat() if anchor else None
    m = RE_PART_OF_DAY.match(low)
    if m and (m.group(2) or m.group(1) == "tonight"):
        shift = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(m.group(1), 0)
        part = PARTS_OF_DAY[m.group(2) or "tonight"]
        return "TIME", f"{(anchor + dt.timedelta(days=shift)).isoformat()}T{part}" if anchor else None
    return None


RE_HOLIDAY = re.compile(r"^(?:the\s+)?(?:(this|last|next|past|coming)\s+)?(.+?)(?:\s*,?\s*(\d{4}))?$")


def is_holiday(text: str) -> bool:
    """Does the text name a holiday ("New Year's Eve", "Easter 2002"), which TimeML makes
    a time expression (the model often labels it an EVENT)?"""
    return _holiday_parts(" ".join(text.lower().split()).strip(" ,.;:")) is not None


def _holiday_parts(low: str) -> tuple[str | None, str, str | None] | None:
    """(relative word, holiday, year) of a holiday's name, or None."""
    m = RE_HOLIDAY.match(low.replace("\u2019", "'"))
    if m is None or not (m.group(2) in HOLIDAY_DATES or m.group(2) in EASTER_OFFSETS or m.group(2) in THANKSGIVING):
        return None
    return m.group(1), m.group(2), m.group(3)


def _holidays(low, anchor, tense, inferred):
    """A holiday ("Christmas", "Good Friday 2002", "last Easter"): its day in the year
    given, else in the year the tense points to from the anchor, as a bare month and day."""
    parts = _holiday_parts(low)
    if parts is None:
        return None
    rel, name, year = parts
    if year:
        return "DATE", _holiday(name, int(year)).isoformat()
    if anchor is None:
        return "DATE", None
    if rel in ("last", "past"):
        y = anchor.year if _holiday(name, anchor.year) < anchor else anchor.year - 1
    elif rel in ("next", "coming"):
        y = anchor.year if _holiday(name, anchor.year) > anchor else anchor.year + 1
    elif rel == "this":
        y = anchor.year
    else:
        day = _holiday(name, anchor.year)
        y = _year_for_month(anchor, day.month, tense, day.day)
    return "DATE", _holiday(name, y).isoformat()


def _holiday(name: str, year: int) -> dt.date:
    if name in HOLIDAY_DATES:
        month, day = HOLIDAY_DATES[name].split("-")
        return dt.date(year, int(month), int(day))
    if name in EASTER_OFFSETS:
        return easter(year) + dt.timedelta(days=EASTER_OFFSETS[name])
    first = dt.date(year, 11, 1)  # Thanksgiving: the fourth Thursday of November
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)


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
    if m and low.startswith("fiscal"):  # fiscal 2008/09: the fiscal year named by the year it ends in
        y = int(m.group(1))
        return ("DATE", f"{y + 1:04d}") if (y + 1) % 100 == int(m.group(2)) else None
    m = RE_YEAR_RANGE.match(low)
    if m:
        start, end = int(m.group(1)), m.group(2)
        if len(end) == 2 and int(end) <= 12:
            return None  # "2010-11" may be ISO's November 2010: nothing decides
        end = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
        return ("DURATION", f"P{end - start}Y") if end > start else None
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
        n, unit, direction = parse_number(m.group("n")), m.group("unit"), m.group("dir")
        if m.group("n") in VAGUE_QUANTITIES and direction in ("ago", "back"):
            return "DATE", "PAST_REF"  # "several years ago"
        if not anchor or n is None or not float(n).is_integer():
            return "DATE", None
        sign = -1 if direction in ("ago", "earlier", "before", "previously", "back") else 1
        return "DATE", _shift(anchor, sign * int(n), unit)
    m = RE_IN.match(low)
    if m:  # "in three years" (time): the date that far ahead
        n = parse_number(m.group("n"))
        if not anchor or n is None or not float(n).is_integer():
            return "DATE", None
        return "DATE", _shift(anchor, int(n), m.group("unit"))
    m = RE_REL.match(low)
    if m:
        unit = m.group(3).replace("fiscal ", "")
        return "DATE", _relative_unit(m.group(2), unit, anchor)
    if low in ("the weekend", "over the weekend"):
        if not anchor:
            return "DATE", None
        # Told in the past on a weekday: the weekend just gone; else the week's own.
        day = anchor - dt.timedelta(weeks=1) if tense == "past" and anchor.weekday() < 5 else anchor
        y, w, _ = day.isocalendar()
        return "DATE", f"{y:04d}-W{w:02d}-WE"
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
    if n is None and not unit.endswith("s") and re.match(r"^(the\s+)?(first|final)\s", low):
        return "DATE", None  # "the first day (of the trial)": one day of a sequence, not a length
    if n is None:
        # "the past year", "a year": one unit; a bare singular ("year") is no length
        qty = 1 if not unit.endswith("s") and re.match(
            r"^(the\s+)?(past|last|previous|following|coming|full|entire|whole|preceding)\s", low) else None
        if qty is None and not unit.endswith("s"):
            return None
    else:
        qty = None if n in VAGUE_QUANTITIES else parse_number(n)
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
    tz = TZ_OFFSETS.get((m.group(4) or "").upper(), "")
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


_RULES = (_refs, _modified, _sets, _deictic, _holidays, _absolute, _calendar_parts, _relative, _durations, _clock)


# ---------------------------------------------------------------- helpers

def parse_number(word: str | None) -> float | None:
    if word is None:
        return None
    w = word.lower().replace(",", "").strip()
    if re.search(r"[\s-]and[\s-]a[\s-]half$", w):
        base = parse_number(re.sub(r"[\s-]and[\s-]a[\s-]half$", "", w))
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
    return anchor.year + YEAR_WORDS[word]


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
    return _shift(anchor, RELATIVE_SHIFTS[rel], unit)
