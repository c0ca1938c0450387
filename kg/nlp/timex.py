"""Time expressions: found in the text and normalised to ISO-TimeML (TIMEX3) values.

``normalize`` is pure (no spaCy): text, an anchor date and the tense of the governing
verb in, ``(kind, value)`` out, value ``None`` when it cannot be resolved (never a guess).
The ``kg_times`` component finds expressions (spaCy's DATE / TIME entities, trimmed to
TIMEX3 extents, plus what the small model misses), picks the anchor and writes
``doc._.kg_times``.

Rules follow the TimeML annotation guidelines (TIMEX3, v1.2.1) and the strategies of
HeidelTime (Strötgen & Gertz 2013) for news: relative expressions resolve against the
document creation time, bare weekdays by the tense of their verb.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from dateutil.relativedelta import relativedelta
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..records import Mention, TimeRecord

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS.update({d.lower(): i for i, d in enumerate(calendar.day_abbr)})
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "half": 0.5, "single": 1, "couple": 2, "dozen": 12,
}
VAGUE_QUANTITIES = {"several", "few", "a few", "some", "many", "couple of", "a couple of", "the"}
UNITS = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "M",
         "second": "S", "decade": "DE", "century": "CE", "quarter": "Q", "fortnight": "W2",
         "yr": "Y", "hr": "H", "min": "M", "sec": "S"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "last": 4, "final": 4}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
# Words that refer to the present, past or future without a date (TIMEX3 "REF" values).
REF_WORDS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "current": "PRESENT_REF",
    "at present": "PRESENT_REF", "presently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF", "ongoing": "PRESENT_REF", "right now": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "the past": "PAST_REF", "previously": "PAST_REF",
    "formerly": "PAST_REF", "lately": "PAST_REF", "earlier": "PAST_REF", "once": "PAST_REF",
    "in the past": "PAST_REF", "recent years": "PAST_REF", "in recent years": "PAST_REF",
    "soon": "FUTURE_REF", "the future": "FUTURE_REF", "in the future": "FUTURE_REF",
    "future": "FUTURE_REF", "shortly": "FUTURE_REF", "later": "FUTURE_REF", "upcoming": "FUTURE_REF",
    "very soon": "FUTURE_REF", "eventually": "FUTURE_REF",
}
SET_WORDS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
             "quarterly": "P3M", "hourly": "PT1H", "nightly": "P1D", "annual": "P1Y"}
# Leading words outside a TIMEX3 extent (prepositions, conjunctions).
LEADING_NOISE = {"on", "in", "at", "by", "since", "until", "till", "from", "to", "during", "for",
                 "of", "after", "before", "as", "and", "or", "within", "through", "throughout", "between"}
# Words just before a DATE / TIME entity that belong to it ("this year", "Thursday night").
LEFT_PARTS = {"this", "last", "next", "early", "late", "mid", "earlier", "later"} | set(WEEKDAYS)

_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"
_UNIT = r"(?:year|yr|month|week|fortnight|day|hour|hr|minute|min|second|sec|decade|centur(?:y|ie)|quarter)s?"
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"

RE_MODIFIER = re.compile(r"^(?:the\s+)?(?:end|beginning|start|middle|rest|remainder|close|turn|course|first days?|last days?)\s+of\s+(.+)$|^(?:early|late|mid)[\s-]+(.+)$", re.I)
RE_ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d))?$")
RE_MDY = re.compile(rf"^(?:{_WEEKDAY}\s*,?\s*)?({_MONTH})\s+({_DAY})(?:\s*,?\s*({_YEAR}))?$", re.I)
RE_DMY = re.compile(rf"^(?:{_WEEKDAY}\s*,?\s*)?(?:the\s+)?({_DAY})\s+(?:of\s+)?({_MONTH})(?:\s*,?\s*({_YEAR}))?$", re.I)
RE_MY = re.compile(rf"^(early|mid|late|the end of|the beginning of|the start of)?[\s-]*({_MONTH})(?:\s*,?\s*(?:of\s+)?({_YEAR}|this year|last year|next year))?$", re.I)
RE_YEAR = re.compile(rf"^(early|mid|late|the end of|the beginning of|the start of|fiscal|the fiscal year|the year|fy)?[\s-]*({_YEAR})$", re.I)
RE_DECADE = re.compile(r"^(?:the\s+)?(?:(early|mid|late)[\s-]+)?(\d{3}0|\d0|'\d0)'?s$", re.I)
RE_QUARTER = re.compile(rf"^(?:the\s+)?({'|'.join(ORDINALS)})[\s-]+quarter(?:\s+(?:of\s+)?({_YEAR}|this year|last year|next year))?$", re.I)
RE_Q = re.compile(rf"^q([1-4])\s*({_YEAR})?$", re.I)
RE_HALF = re.compile(rf"^(?:the\s+)?(first|second)[\s-]+half(?:\s+(?:of\s+)?({_YEAR}|this year|last year|next year))?$", re.I)
RE_DURATION = re.compile(rf"^(?:the\s+)?(?:(?:past|last|next|coming|previous|first|final|following|over the past|over the last|another|more than|about|around|nearly|almost|some|only|at least|up to)\s+)*(?P<n>{_NUM}(?:[\s-]{_NUM})?(?:\s+and\s+a\s+half)?|several|a few|few|many|some|couple of|a couple of)?[\s-]*(?P<unit>{_UNIT})(?:[\s-](?:long|old))?$", re.I)
RE_AGO = re.compile(rf"^(?P<n>{_NUM}|several|a few)[\s-]+(?P<unit>{_UNIT})\s+(?P<dir>ago|earlier|later|before|after|from now|hence)$", re.I)
RE_REL = re.compile(r"^(?:(earlier|later)\s+)?(this|last|next|the previous|previous|the following|the coming|the same)\s+(week|month|year|quarter|weekend|decade|century)$", re.I)
RE_REL_WEEKDAY = re.compile(rf"^(this|last|next|past|coming)\s+({_WEEKDAY})$", re.I)
RE_WEEKDAY = re.compile(rf"^({_WEEKDAY})(?:\s+(morning|afternoon|evening|night))?$", re.I)
RE_PART_OF_DAY = re.compile(r"^(this|yesterday|tomorrow|last|today)\s*(morning|afternoon|evening|night)$", re.I)
RE_CLOCK = re.compile(r"^(?:at\s+)?(\d{1,2})(?::(\d\d))?\s*(a\.?m\.?|p\.?m\.?)?\s*(utc|gmt|et|est|edt|pt|pst|pdt|bst|cet)?(?:\s+(.*))?$", re.I)
RE_SET = re.compile(rf"^(?:every|each|per)\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>{_UNIT}|{_WEEKDAY})$", re.I)
TZ_OFFSETS = {"utc": "Z", "gmt": "Z"}


def normalize(text: str, anchor: dt.date | None, *, tense: str | None = None,
              inferred: bool = False) -> tuple[str, str | None]:
    """TIMEX3 (type, value) of a time expression. ``anchor`` is the reference date,
    ``tense`` "past" / "present" / "future" for the governing verb, ``inferred`` whether
    the anchor is a date from the text rather than the publication date."""
    s = " ".join(text.strip().split())
    s = re.sub(r"\s+([,.])", r"\1", s)
    s = re.sub(r"^(?:the\s+)?(?:day|night)\s+(?:of\s+)?", "", s, flags=re.I) if re.match(r"^(the\s+)?(day|night)\s+of\s+\w", s, re.I) else s
    low = s.lower().strip(" ,.")
    low = re.sub(r"['\u2019]s$", "", low)

    if low in REF_WORDS:
        return "DATE", REF_WORDS[low]
    m = RE_MODIFIER.match(low)
    if m:  # "the end of last year", "early 2009": the value of what is modified (TIMEX3 mod)
        return normalize(m.group(1) or m.group(2), anchor, tense=tense, inferred=inferred)
    if low in SET_WORDS:
        return "SET", SET_WORDS[low]
    m = RE_SET.match(low)
    if m:
        unit = m.group("unit")
        if unit.rstrip(".") in WEEKDAYS:
            return "SET", f"XXXX-WXX-{WEEKDAYS[unit.rstrip('.')] + 1}"
        n = _number(m.group("n") or "1")
        return "SET", _duration(n, unit)
    if low in ("today", "this day"):
        return "DATE", anchor.isoformat() if anchor else None
    if low in ("tonight",):
        return "TIME", f"{anchor.isoformat()}TNI" if anchor else None
    if low in ("yesterday", "tomorrow"):
        return "DATE", (anchor + dt.timedelta(days=-1 if low == "yesterday" else 1)).isoformat() if anchor else None
    if low in ("earlier today", "later today", "this day"):
        return "DATE", anchor.isoformat() if anchor else None
    m = RE_PART_OF_DAY.match(low)
    if m:
        if not anchor:
            return "TIME", None
        shift = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(m.group(1), 0)
        return "TIME", f"{(anchor + dt.timedelta(days=shift)).isoformat()}T{PARTS_OF_DAY[m.group(2)]}"

    m = RE_ISO.match(low)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        value = _date(y, mo, d)
        if value and m.group(4):
            return "TIME", f"{value}T{m.group(4)}:{m.group(5)}"
        return "DATE", value
    for rx, order in ((RE_MDY, "md"), (RE_DMY, "dm")):
        m = rx.match(low)
        if m:
            a, b, year = m.groups()
            month, day = (a, b) if order == "md" else (b, a)
            mo, d = MONTHS[month.rstrip(".").lower()], int(re.sub(r"\D", "", day))
            if year:
                return "DATE", _date(int(year), mo, d)
            if not anchor:
                return "DATE", None
            y = _year_for_month(anchor, mo, tense, d)
            return "DATE", _date(y, mo, d)
    m = RE_MY.match(low)
    if m:
        _, month, year = m.groups()
        mo = MONTHS[month.rstrip(".").lower()]
        y = _year_word(year, anchor) if year else (_year_for_month(anchor, mo, tense) if anchor else None)
        return "DATE", f"{y:04d}-{mo:02d}" if y else None
    m = RE_YEAR.match(low)
    if m:
        return "DATE", m.group(2)
    m = RE_DECADE.match(low)
    if m:
        dec = m.group(2)
        dec = dec.lstrip("'")
        if len(dec) == 2:  # "the 80s": the twentieth century unless that is in the future
            dec = ("19" if anchor is None or int(dec) > anchor.year % 100 else "20") + dec
        return "DATE", dec[:3]
    m = RE_QUARTER.match(low)
    if m:
        q = ORDINALS[m.group(1).lower()]
        y = _year_word(m.group(2), anchor) if m.group(2) else (anchor.year if anchor else None)
        return "DATE", f"{y:04d}-Q{q}" if y else None
    m = RE_Q.match(low)
    if m:
        y = int(m.group(2)) if m.group(2) else (anchor.year if anchor else None)
        return "DATE", f"{y:04d}-Q{m.group(1)}" if y else None
    m = RE_HALF.match(low)
    if m:
        y = _year_word(m.group(2), anchor) if m.group(2) else (anchor.year if anchor else None)
        return "DATE", f"{y:04d}-H{1 if m.group(1) == 'first' else 2}" if y else None
    if low in SEASONS or re.match(rf"^({'|'.join(SEASONS)})\s+(?:of\s+)?({_YEAR}|this year|last year|next year)$", low) \
            or re.match(rf"^(this|last|next)\s+({'|'.join(SEASONS)})$", low):
        return "DATE", _season(low, anchor, tense)

    m = RE_AGO.match(low)
    if m:
        n, unit, direction = _number(m.group("n")), m.group("unit"), m.group("dir")
        if not anchor or n is None:
            return "DATE", None
        sign = -1 if direction in ("ago", "earlier", "before") else 1
        return "DATE", _shift(anchor, sign * n, unit)
    m = RE_REL.match(low)
    if m:
        return "DATE", _relative(m.group(2).lower(), m.group(3).lower(), anchor)
    m = RE_REL_WEEKDAY.match(low)
    if m:
        if not anchor:
            return "DATE", None
        rel, wd = m.group(1).lower(), WEEKDAYS[m.group(2).rstrip(".").lower()]
        t = {"last": "past", "past": "past", "next": "future", "coming": "future"}.get(rel, tense)
        return "DATE", _weekday(anchor, wd, t, inferred=False).isoformat()
    m = RE_WEEKDAY.match(low)
    if m:
        if not anchor:
            return "DATE", None
        day = _weekday(anchor, WEEKDAYS[m.group(1).rstrip(".").lower()], tense, inferred)
        if m.group(2):
            return "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[m.group(2).lower()]}"
        return "DATE", day.isoformat()

    m = RE_DURATION.match(low)
    if m and not re.match(r"^(this|last|next)\s", low):
        n = m.group("n")
        qty = None if n is None else (_number(n) if n.lower() not in VAGUE_QUANTITIES and n.lower() not in ("several", "a few", "few", "many", "some", "couple of", "a couple of") else None)
        if n is None:
            qty = 1 if re.match(r"^(the\s+)?(past|last|next|coming|previous|first|final|following)\s", low) or low.startswith(("a ", "an ")) else None
            if qty is None and not m.group("unit").endswith("s"):
                return "DURATION", None  # a bare "year": not a length
        return "DURATION", _duration(qty, m.group("unit"))

    m = RE_CLOCK.match(low)
    if m and (m.group(2) or m.group(3)):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        ampm = (m.group(3) or "").replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return "TIME", None
        tz = TZ_OFFSETS.get((m.group(4) or "").lower(), "")
        rest = m.group(5)
        day = None
        if rest:
            kind, value = normalize(rest, anchor, tense=tense, inferred=inferred)
            day = value if kind == "DATE" and value and re.fullmatch(r"\d{4}-\d\d-\d\d", value) else None
        elif anchor:
            day = anchor.isoformat()
        return "TIME", f"{day}T{hour:02d}:{minute:02d}{tz}" if day else None
    if low in ("noon", "midday", "midnight"):
        return "TIME", f"{anchor.isoformat()}T{'12:00' if low != 'midnight' else '24:00'}" if anchor else None
    if re.fullmatch(r"\d{1,2}", low):
        return "DATE", None
    return "DATE", None


def _number(word: str | None) -> float | None:
    if word is None:
        return None
    w = word.lower().replace(",", "")
    if w.endswith(" and a half"):
        base = _number(w[: -len(" and a half")])
        return None if base is None else base + 0.5
    if re.fullmatch(r"\d+(\.\d+)?", w):
        return float(w)
    parts = re.split(r"[\s-]+", w)
    total = 0.0
    for p in parts:
        if p not in NUMBER_WORDS:
            return None
        v = NUMBER_WORDS[p]
        total = total * v if v == 100 and total else total + v
    return total


def _duration(n: float | None, unit: str) -> str:
    u = re.sub(r"s$", "", unit.lower())
    u = "century" if u.startswith("centur") else u
    code = UNITS.get(u, "D")
    qty = "X" if n is None else (str(int(n)) if float(n).is_integer() else str(n))
    if code == "DE":
        return f"P{qty}DE" if n is None else f"P{int(n * 10) if float(n * 10).is_integer() else n * 10}Y"
    if code == "CE":
        return f"P{qty}CE" if n is None else f"P{int(n * 100)}Y"
    if code == "Q":
        return f"P{qty}Q" if n is None else f"P{int(n * 3)}M"
    if code == "W2":
        return f"P{int(n * 2) if n else 'X'}W"
    if u in ("hour", "hr", "minute", "min", "second", "sec"):
        return f"PT{qty}{code}"
    if qty != "X" and "." in qty:
        # TIMEX3 allows decimals only in the smallest unit: 1.5 years -> 18 months.
        months = {"Y": 12, "M": 1}.get(code)
        if months and float(n * months).is_integer():
            return f"P{int(n * months)}M"
        days = {"W": 7, "D": 1}.get(code)
        if days and float(n * days).is_integer():
            return f"P{int(n * days)}D"
    return f"P{qty}{code}"


def _date(y: int, mo: int, d: int) -> str | None:
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _year_word(word: str | None, anchor: dt.date | None) -> int | None:
    if word is None:
        return None
    w = word.lower()
    if re.fullmatch(r"\d{4}", w):
        return int(w)
    if not anchor:
        return None
    return anchor.year + {"this year": 0, "last year": -1, "next year": 1}[w]


def _year_for_month(anchor: dt.date, month: int, tense: str | None, day: int = 1) -> int:
    """The year of a month (and day) written without one: the nearest, in the direction
    the verb's tense points (HeidelTime's "undef-year" rule)."""
    y = anchor.year
    candidate = (month, day)
    here = (anchor.month, anchor.day)
    if tense == "past" and candidate > here and month - anchor.month > 1:
        return y - 1
    if tense == "future" and candidate < here and anchor.month - month > 1:
        return y + 1
    if tense is None and abs(month - anchor.month) > 6:
        return y - 1 if month > anchor.month else y + 1
    return y


def _weekday(anchor: dt.date, weekday: int, tense: str | None, inferred: bool) -> dt.date:
    """A bare weekday. Against a publication date: the last one on or before it for the
    past, the next one on or after it for the future, else the nearest. Against a date
    read from the text (no publication date): the day of that date's week, Monday to
    Sunday, since a reader takes the story to unfold in the week of its one explicit date."""
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


def _shift(anchor: dt.date, n: float, unit: str) -> str | None:
    u = re.sub(r"s$", "", unit.lower())
    n = int(n)
    if u in ("year", "yr"):
        return f"{anchor.year + n:04d}"
    if u == "decade":
        return f"{(anchor.year + 10 * n) // 10:03d}"
    if u == "month":
        d = anchor + relativedelta(months=n)
        return f"{d.year:04d}-{d.month:02d}"
    if u in ("week", "fortnight"):
        d = anchor + dt.timedelta(weeks=n * (2 if u == "fortnight" else 1))
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if u == "day":
        return (anchor + dt.timedelta(days=n)).isoformat()
    if u == "quarter":
        d = anchor + relativedelta(months=3 * n)
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    return None


def _relative(rel: str, unit: str, anchor: dt.date | None) -> str | None:
    if not anchor:
        return None
    shift = {"this": 0, "last": -1, "next": 1, "the previous": -1, "previous": -1,
             "the following": 1, "the coming": 1, "the same": 0}[rel]
    if unit == "weekend":
        d = anchor + dt.timedelta(weeks=shift)
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}-WE"
    if unit == "century":
        return f"{(anchor.year // 100) + shift:02d}"
    return _shift(anchor, shift, unit) if shift else {
        "week": "{:04d}-W{:02d}".format(*anchor.isocalendar()[:2]),
        "month": f"{anchor.year:04d}-{anchor.month:02d}",
        "year": f"{anchor.year:04d}",
        "quarter": f"{anchor.year:04d}-Q{(anchor.month - 1) // 3 + 1}",
        "decade": f"{anchor.year // 10:03d}",
    }[unit]


def _season(low: str, anchor: dt.date | None, tense: str | None) -> str | None:
    words = low.split()
    season = next(SEASONS[w] for w in words if w in SEASONS)
    year = next((int(w) for w in words if re.fullmatch(r"\d{4}", w)), None)
    if year is None:
        if not anchor:
            return None
        year = anchor.year + (-1 if "last" in words else 1 if "next" in words else 0)
    return f"{year:04d}-{season}"


# ---------------------------------------------------------------- detection (spaCy side)

# Words that make a time expression on their own, which the small model often misses.
EXTRA_PATTERN = re.compile(
    r"\b(?:(?:earlier|later)\s+(?:today|this\s+(?:week|month|year)))\b|"
    r"\b(?:today|tonight|yesterday|tomorrow|now|currently|recently|nowadays|soon|current|recent|ongoing)\b|"
    r"\b(?:the\s+(?:future|past))\b|"
    r"\b\d{1,2}:\d\d(?:\s*(?:a\.m\.|p\.m\.|am|pm))?(?:\s*(?:UTC|GMT))?(?!\w)|\b\d{1,2}\s*(?:a\.m\.|p\.m\.)|"
    r"\b(?:" + _WEEKDAY + r")\b|"
    r"\b(?:this|last|next)\s+(?:week|month|year|quarter|weekend|" + _WEEKDAY + r")\b",
    re.I,
)
# Tags of the verb whose tense anchors a weekday (Penn Treebank).
PAST_TAGS, PRESENT_TAGS = {"VBD", "VBN"}, {"VBZ", "VBP", "VBG"}
FUTURE_AUX = {"will", "shall", "'ll", "wo", "would"}


@Language.factory("kg_times")
def make_times(nlp: Language, name: str):
    return TimeFinder()


class TimeFinder:
    """Writes ``doc._.kg_times``: one TimeRecord per time expression, in text order."""

    def __call__(self, doc: Doc) -> Doc:
        spans = self._spans(doc)
        anchor, inferred = self._anchor(doc, spans)
        out = []
        for span in spans:
            kind, value = normalize(span.text, anchor, tense=_tense(span), inferred=inferred)
            out.append(TimeRecord(f"t{len(out)}", kind, span.text, value,
                                  [Mention(span.start_char, span.end_char, span.text)]))
        doc._.kg_times = out
        return doc

    def _spans(self, doc: Doc) -> list[Span]:
        found: list[Span] = []
        for ent in doc.ents:
            if ent.label_ in ("DATE", "TIME"):
                found += _trim(doc, ent)
        taken = [(s.start_char, s.end_char) for s in found]
        for m in EXTRA_PATTERN.finditer(doc.text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
            if span is None or not len(span):
                continue
            if span[0].lower_ in ("now", "soon") and span[0].pos_ not in ("ADV",):
                continue
            if span[0].lower_ in ("current", "recent", "ongoing") and span[0].pos_ != "ADJ":
                continue
            if span[0].lower_ in WEEKDAYS and span[0].pos_ != "PROPN":
                continue
            found.append(span)
            taken.append((span.start_char, span.end_char))
        # Years inside other entities' spans the model did not mark ("the 2016 election").
        for tok in doc:
            if re.fullmatch(_YEAR, tok.text) and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "CARDINAL", "QUANTITY") \
                    and tok.pos_ in ("NUM", "PROPN", "NOUN") and not any(tok.idx < e and s < tok.idx + 4 for s, e in taken):
                found.append(doc[tok.i:tok.i + 1])
                taken.append((tok.idx, tok.idx + 4))
        return sorted(found, key=lambda s: s.start_char)

    @staticmethod
    def _anchor(doc: Doc, spans: list[Span]) -> tuple[dt.date | None, bool]:
        published = doc._.kg_published
        if published:
            try:
                return dt.date.fromisoformat(str(published)[:10]), False
            except ValueError:
                pass
        # No publication date: the latest full date the article gives, as a reader would.
        dates = []
        for span in spans:
            kind, value = normalize(span.text, None)
            if kind == "DATE" and value and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
                dates.append(dt.date.fromisoformat(value))
        return (max(dates), True) if dates else (None, True)


def _trim(doc: Doc, ent: Span) -> list[Span]:
    """TIMEX3 extents: no leading prepositions; "between X and Y" -> X, Y; ages out."""
    start, end = ent.start, ent.end
    while start > 0 and doc[start - 1].lower_.rstrip(".") in LEFT_PARTS and doc[start - 1].ent_type_ in ("", "DATE", "TIME"):
        start -= 1
    while start < end and doc[start].lower_ in LEADING_NOISE:
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("and", "or")):
        end -= 1
    # "July 24 , 2003" where the model stopped at the day.
    if end + 1 < len(doc) and doc[end].text == "," and re.fullmatch(_YEAR, doc[end + 1].text) \
            and RE_MDY.match(doc[start:end].text):
        end += 2
    if start >= end:
        return []
    span = doc[start:end]
    parts = re.split(r"\s+(?:and|to|-|through|until)\s+|\s*,\s+", span.text)
    probe = dt.date(2000, 1, 3)  # any anchor: is each part a time expression of its own?
    if len(parts) == 2 and not normalize(span.text, probe)[1] and all(normalize(p, probe)[1] for p in parts) \
            and not RE_DURATION.match(span.text):
        first = doc.char_span(span.start_char, span.start_char + len(parts[0]), alignment_mode="expand")
        second = doc.char_span(span.end_char - len(parts[1]), span.end_char, alignment_mode="expand")
        return [s for s in (first, second) if s is not None]
    # "51" (an age, "Barra, 51,") is not a time.
    if re.fullmatch(r"\d{1,3}", span.text):
        return []
    return [span]


def _tense(span: Span) -> str | None:
    """past / present / future of the verb the expression hangs from."""
    tok = span.root.head
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX"):
            aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
            if aux & FUTURE_AUX or (tok.lower_ in FUTURE_AUX):
                return "future"
            if tok.tag_ in PAST_TAGS or aux & {"did", "was", "were", "had"}:
                return "past"
            if tok.tag_ in PRESENT_TAGS:
                return "present"
            return None
        if tok.head is tok:
            break
        tok = tok.head
    return None
