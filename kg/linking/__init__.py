"""Linking people, organisations and places to Wikidata items (issue 12): the stage
between the store and the build.

``link`` asks a Wikibase SPARQL endpoint (Wikidata's query service by default) about the
names of the records, caches its answers beside the store, decides one item or none per
entity of an article, and writes the decisions as RDF in their own named graph;
``decisions`` reads them back for the build."""
from kg.linking.client import WIKIDATA_SPARQL, Endpoint
from kg.linking.decisions import Link, decisions, links_graph
from kg.linking.run import LinkReport, link

__all__ = ["WIKIDATA_SPARQL", "Endpoint", "Link", "LinkReport", "decisions", "link", "links_graph"]
