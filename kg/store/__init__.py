"""The embedded store and what reads it: exports, export cache, SPARQL, result formats."""
