"""The shortcuts kg's components take past Token objects and whole-text scans give what
the slow ways give (kg.nlp.spans.Columns, MentionIndex, kg.nlp.timex.extra_matches)."""
from __future__ import annotations

import random

from kg.nlp.pipeline import make_doc
from kg.nlp.spans import Columns, MentionIndex
from kg.nlp.timex import EXTRA_PATTERN, extra_matches
from kg.reading.articles import make_article

TEXT = ("Acme Corp. said on Tuesday that it would close the plant it bought in 2015, which "
        "employs 1,200 people, by next year.\n\n\"We have no choice,\" the company's chief "
        "executive, Jane Doe, told reporters. The union, whose members voted against the deal "
        "two weeks ago, said it was talking to lawyers about what the closure means for them.")


def test_columns_are_the_token_attributes(nlp):
    doc = nlp(make_doc(nlp, make_article(TEXT, {}, default_id="t")))
    col = Columns(doc)
    for tok in doc:
        i = tok.i
        assert (col.pos[i], col.tag[i], col.dep[i], col.lemma[i], col.lower[i]) == \
            (tok.pos_, tok.tag_, tok.dep_, tok.lemma_.lower(), tok.lower_)
        assert (col.head[i], col.idx[i], col.end[i], col.punct[i], col.words(i)) == \
            (tok.head.i, tok.idx, tok.idx + len(tok.text), tok.is_punct, tok.text)
        assert list(col.kids[i]) == [c.i for c in tok.children]
        assert list(col.lefts(i)) == [c.i for c in tok.lefts]
        assert col.subtree(i) == [t.i for t in tok.subtree]


def test_columns_subtree_keeps_spacys_order_in_a_crossing_parse(nlp):
    # A non-projective tree set by hand: Token.subtree lists a token's left children's
    # subtrees, then the token, then its right children's, not the text's order.
    from spacy.tokens import Doc

    doc = Doc(nlp.vocab, words=["a", "b", "c", "d", "e"], heads=[1, 1, 4, 1, 1],
              deps=["dep", "ROOT", "dep", "dep", "dep"])
    col = Columns(doc)
    for tok in doc:
        assert col.subtree(tok.i) == [t.i for t in tok.subtree]
    assert col.subtree(1) != sorted(col.subtree(1))


def _slow_at(spans, start, end):
    """The longest mention overlapping [start, end), the last of equals in sorted order."""
    best, best_len = None, -1
    for s, e, rid in sorted(spans):
        if e > start and s < end and e - s >= best_len:
            best, best_len = rid, e - s
    return best


def test_mention_index_finds_a_long_mention_behind_short_ones():
    spans = [(0, 300, "long")] + [(10 * k, 10 * k + 4, f"s{k}") for k in range(1, 30)]
    index = MentionIndex(spans)
    assert index.at(250, 252) == "long"  # inside the long one, between two short ones
    assert index.at(250, 254) == "long"
    assert index.at(301, 303) is None


def test_mention_index_agrees_with_a_scan_of_every_mention():
    rnd = random.Random(7)
    spans = []
    for k in range(300):
        s = rnd.randrange(0, 3000)
        spans.append((s, s + rnd.randrange(0, 120), f"m{k}"))
    index = MentionIndex(spans)
    for _ in range(2000):
        start = rnd.randrange(0, 3200)
        end = start + rnd.randrange(1, 30)
        assert index.at(start, end) == _slow_at(spans, start, end)


def test_extra_matches_are_the_pattern_scan():
    texts = [TEXT, "Talks resume at 10:30am or 5 a.m.today; mid-summer 2019 and last Monday night.",
             "The firm's 2-year plan, announced earlier this week, runs a year ago to the near future.",
             "recent years, currently, the long term: over two-and-a-half years; per day, decades"]
    for text in texts:
        assert [m.span() for m in extra_matches(text)] == [m.span() for m in EXTRA_PATTERN.finditer(text)]
    assert [m.group() for m in extra_matches(texts[1])][:2] == ["10:30am", "5 a.m."]


ENTITY_TEXT = ("Tallowra is a hamlet in Ruritania. Its European division, Opel, was sold.\n"
               "ACME SHARES FALL AS BANKS SLIDE\n"
               "Protestants and Catholics met; Tallowra, a Protestant town, is where \u201cPaper Lanterns\u201d "
               "and \"Night Ferry\" were written. NIGHT FERRY is an album by Kelvadi.")


def test_entity_token_lookups_are_the_token_scans(nlp):
    from spacy.attrs import DEP, LEMMA, ORTH

    from kg.nlp import entities as E

    doc = nlp(make_doc(nlp, make_article(ENTITY_TEXT, {}, default_id="t")))
    for attr, ids, words, read in ((DEP, E._APPOS_ID, {"appos"}, lambda t: t.dep_),
                                   (LEMMA, E._BE_ID, {"be"}, lambda t: t.lemma_),
                                   (ORTH, E._RELIGION_IDS, E.RELIGION_WORDS, lambda t: t.text)):
        found = [t.i for t in E._tokens_where(doc, attr, ids)]
        assert found == [t.i for t in doc if read(t) in words] and found
    assert E._capitalised_words(doc) == {t.text for t in doc if t.text[:1].isupper() and not t.is_sent_start}
    for ent in doc.ents:
        line = doc.text[doc.text.rfind("\n", 0, ent.start_char) + 1:].split("\n", 1)[0]
        letters = [c for c in line if c.isalpha()]
        assert E._in_capitals_line(doc, ent) == (len(letters) > 3 and all(c.isupper() for c in letters))
    titles = E._quoted_titles(doc, 1)
    assert [t.text for t in titles] == ["Paper Lanterns", "Night Ferry"]
