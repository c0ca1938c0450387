"""Every rule list of the NLP layer, each with its source."""
