"""RDF: extraction records -> quads (mapping, IRIs, vocabularies, event taxonomy)."""
