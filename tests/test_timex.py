"""Time normalisation (pure) and the kg_times component."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.nlp.timex import normalize

ANCHOR = dt.date(2019, 3, 13)  # a Wednesday


@pytest.mark.parametrize("text,kind,value", [
    ("March 4, 2019", "DATE", "2019-03-04"),
    ("4 March 2019", "DATE", "2019-03-04"),
    ("2019-03-04", "DATE", "2019-03-04"),
    ("March 2019", "DATE", "2019-03"),
    ("2016", "DATE", "2016"),
    ("the 1990s", "DATE", "199"),
    ("the '80s", "DATE", "198"),
    ("today", "DATE", "2019-03-13"),
    ("yesterday", "DATE", "2019-03-12"),
    ("tomorrow", "DATE", "2019-03-14"),
    ("last week", "DATE", "2019-W10"),
    ("this month", "DATE", "2019-03"),
    ("next year", "DATE", "2020"),
    ("last year", "DATE", "2018"),
    ("the previous year", "DATE", "2018"),
    ("earlier this month", "DATE", "2019-03"),
    ("the end of last year", "DATE", "2018"),
    ("the third quarter", "DATE", "2019-Q3"),
    ("the first quarter of 2009", "DATE", "2009-Q1"),
    ("Q4 2018", "DATE", "2018-Q4"),
    ("two years ago", "DATE", "2017"),
    ("three days ago", "DATE", "2019-03-10"),
    ("spring", "DATE", "2019-SP"),
    ("now", "DATE", "PRESENT_REF"),
    ("recently", "DATE", "PAST_REF"),
    ("the future", "DATE", "FUTURE_REF"),
    ("three days", "DURATION", "P3D"),
    ("18 months", "DURATION", "P18M"),
    ("a decade", "DURATION", "P10Y"),
    ("fifty-year", "DURATION", "P50Y"),
    ("several years", "DURATION", "PXY"),
    ("the past five years", "DURATION", "P5Y"),
    ("two and a half hours", "DURATION", "PT2.5H"),
    ("3 p.m.", "TIME", "2019-03-13T15:00"),
    ("14:30 UTC", "TIME", "2019-03-13T14:30Z"),
    ("this morning", "TIME", "2019-03-13TMO"),
    ("every week", "SET", "P1W"),
    ("annually", "SET", "P1Y"),
    ("every Monday", "SET", "XXXX-WXX-1"),
])
def test_normalize(text, kind, value):
    got = normalize(text, ANCHOR, tense="past")
    assert got[0] == kind
    if value is not None:
        assert got[1] == value


@pytest.mark.parametrize("tense,value", [("past", "2019-03-11"), ("future", "2019-03-18"), (None, "2019-03-11")])
def test_weekday_by_tense(tense, value):
    assert normalize("Monday", ANCHOR, tense=tense) == ("DATE", value)


def test_weekday_against_a_date_from_the_text_stays_in_its_week():
    anchor = dt.date(2018, 7, 16)  # a Monday, read from the text
    assert normalize("Thursday", anchor, tense="past", inferred=True)[1] == "2018-07-19"
    assert normalize("Monday", anchor, tense="past", inferred=True)[1] == "2018-07-16"


def test_unresolvable_without_anchor_is_none():
    for text in ("Thursday", "today", "last year", "two weeks ago", "March 4"):
        assert normalize(text, None)[1] is None
    assert normalize("March 4, 2019", None) == ("DATE", "2019-03-04")


def test_component_with_published_date(extract):
    rec = extract("The company said on Monday that sales fell 5% last year. It will report again next month. "
                  "Talks lasted three days.", published="2019-03-13")
    values = {t.text: t.value for t in rec.times}
    assert values["Monday"] == "2019-03-11"
    assert values["last year"] == "2018"
    assert values["next month"] == "2019-04"
    assert values["three days"] == "P3D"
    for t in rec.times:
        m = t.mentions[0]
        assert rec.body[m.start:m.end] == t.text


def test_component_without_any_date(extract):
    rec = extract("Officials met on Tuesday to discuss the 2016 election.")
    values = {t.text: t.value for t in rec.times}
    assert values["Tuesday"] is None and values["2016"] == "2016"


def test_ages_are_not_times(extract):
    rec = extract("Mary Barra, 51, will lead the firm from January 15, 2014.")
    assert [t.text for t in rec.times] == ["January 15, 2014"]
