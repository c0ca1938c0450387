"""The compiled attribute ruler gives the stock ruler's annotations, token for token."""
import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler

from kg.nlp.attributes import CompiledRuler, compile_in_place, compile_ruler
from kg.nlp.pipeline import DEFAULT_PIPELINE

# Text written for the exceptions of en_core_web_sm's ruler: contractions, pronouns by
# case, auxiliaries, expletive "there", "but" as an adverb, determiners as pronouns,
# whitespace tokens, and ordinary news prose.
TEXTS = [
    "I ain't gonna sign it, y'all, and you can't make me. Let's go! C'mon, we gotta run.",
    "There is nothin' left. There were three of them, but that was all. It gets worse; it got worse.",
    "She told him that they'd seen us. Those were hers, not theirs. Which one did you choose?",
    "The minister, who has been in office since 2019, was being questioned by the committee.\n\n"
    "LONDON 1996-08-30 Shares in Acme Corp. fell 3% on Tuesday  after the company said it had lost its appeal.",
    "  \n  Everything that anybody said was denied by somebody else.\t\tDo you have it? I do.",
    "But he said no. All but one voted. If we win, whether or not it rains, we'll celebrate.",
    "",
    "\n",
]


@pytest.fixture(scope="module")
def stock():
    return spacy.load(DEFAULT_PIPELINE, disable=["lemmatizer", "ner"])


def _annotated(nlp, ruler, text):
    doc = nlp(text)  # attribute_ruler disabled below: the Doc as the ruler receives it
    return ruler(doc)


def _columns(doc):
    return doc.to_array([POS, TAG, MORPH, LEMMA, DEP, HEAD])


def test_compiled_ruler_matches_the_stock_ruler_token_for_token(stock):
    ruler = stock.get_pipe("attribute_ruler")
    compiled = compile_ruler(ruler)
    assert isinstance(compiled, CompiledRuler)
    with stock.select_pipes(disable=["attribute_ruler"]):
        for text in TEXTS:
            a = _annotated(stock, ruler, text)
            b = _annotated(stock, compiled, text)
            assert np.array_equal(_columns(a), _columns(b)), text
            assert [str(t.morph) for t in a] == [str(t.morph) for t in b]
    # the exceptions really fired (the test would pass on a ruler that did nothing else)
    with stock.select_pipes(disable=["attribute_ruler"]):
        doc = _annotated(stock, compiled, TEXTS[0])
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["ai"] == "be" and lemmas["gon"] == "go" and lemmas["na"] == "to"
    assert {t.text: t.pos_ for t in doc}["I"] == "PRON"


def test_patterns_beyond_the_compiled_subset_keep_the_stock_ruler(stock):
    ruler = AttributeRuler(stock.vocab)
    ruler.add([[{"LOWER": "new"}, {"IS_TITLE": True, "OP": "+"}]], {"TAG": "NNP"})
    assert compile_ruler(ruler) is None
    ruler = AttributeRuler(stock.vocab)
    ruler.add([[{"LENGTH": {">=": 3}}]], {"TAG": "NN"})
    assert compile_ruler(ruler) is None
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add([[{"LOWER": "x", "OP": "?"}]], {"TAG": "NN"})
    assert not compile_in_place(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)


def test_kg_pipeline_runs_the_compiled_ruler_in_place(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler"), CompiledRuler)
    names = nlp.pipe_names
    assert names.index("parser") < names.index("attribute_ruler") < names.index("lemmatizer")
    doc = nlp("Mary Barra, 51, was named chief executive of General Motors on Tuesday.")
    assert [t.pos_ for t in doc][:2] == ["PROPN", "PROPN"]
    assert {t.text: t.lemma_ for t in doc}["was"] == "be"
