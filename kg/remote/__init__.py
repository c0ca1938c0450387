"""Remote SPARQL endpoints: query, push, and serving the local store."""
