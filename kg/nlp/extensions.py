"""Doc extensions our components read and write, registered once on import.

Set before the pipeline runs (by ``kg.nlp.pipeline.make_doc``):
  kg_published  ISO date / date-time of the article, or None
  kg_article    the article id
Written by components, in pipeline order (each factory declares them in ``assigns``):
  kg_entities   list[EntityRecord]   (kg_entities; kg_coref and kg_positions add mentions and
                                      nationalities, kg_events adds unnamed participants)
  kg_positions  list[PositionRecord] (kg_positions)
  kg_times      list[TimeRecord]     (kg_times)
  kg_events     list[EventRecord]    (kg_events)
  kg_quotes     list[QuoteRecord]    (kg_quotes)
"""
from spacy.tokens import Doc

_DOC_EXTENSIONS = ("kg_published", "kg_article", "kg_entities", "kg_positions",
                   "kg_times", "kg_events", "kg_quotes")

for _name in _DOC_EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
