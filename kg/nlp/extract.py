"""Doc -> ArticleRecord: collect what our components left on the Doc."""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from kg.records import ArticleRecord

if TYPE_CHECKING:
    from kg.reading.articles import Article


def doc_to_record(article: "Article", doc: Doc, pipeline: str, pipeline_version: str) -> ArticleRecord:
    return ArticleRecord(
        meta=article.meta(),
        body=article.body,
        pipeline=pipeline,
        pipeline_version=pipeline_version,
        entities=list(doc._.kg_entities or []),
        times=list(doc._.kg_times or []),
        events=list(doc._.kg_events or []),
        quotes=list(doc._.kg_quotes or []),
        positions=list(doc._.kg_positions or []),
    )
