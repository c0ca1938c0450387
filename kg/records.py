"""Plain extraction records: the hand-off between spaCy and RDF.

Everything here is offsets and strings, JSON-serialisable (``to_dict`` / ``from_dict``),
in the spirit of spacy-llm's ``EntityItem``. Extraction produces an ``ArticleRecord``;
mapping turns it into RDF without ever seeing spaCy. Offsets are Python ``str`` indices
into the article body, end exclusive (NIF convention).

Ids (``EntityRecord.id`` etc.) are local to one article ("e0", "t3", "v2", "q1"); IRIs are
minted later by ``kg.rdf.iris`` from ``EntityRecord.key`` (cross-article identity) or from
the article id plus the local id.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

# Entity kinds used in records. PERSON / ORG / PLACE are the contract's three; the rest
# keep spaCy's other labels under documented types (see ontology/README.md).
PERSON, ORG, PLACE = "PERSON", "ORG", "PLACE"
NORP, PRODUCT, WORK_OF_ART, LAW, LANGUAGE, EVENT = "NORP", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "EVENT"
MONEY, PERCENT, QUANTITY, NUMBER = "MONEY", "PERCENT", "QUANTITY", "NUMBER"
UNNAMED = "UNNAMED"  # a participant described, not named ("10,000 jobs"): one article only
ENTITY_KINDS = (
    PERSON, ORG, PLACE, NORP, PRODUCT, WORK_OF_ART, LAW, LANGUAGE,
    MONEY, PERCENT, QUANTITY, NUMBER, EVENT, UNNAMED,
)
# Kinds that are values, one resource per mention, not merged across articles.
VALUE_KINDS = ("MONEY", "PERCENT", "QUANTITY", "NUMBER", UNNAMED)
# Time kinds, as in TIMEX3.
TIME_KINDS = ("DATE", "TIME", "DURATION", "SET")


@dataclass
class Mention:
    start: int
    end: int
    text: str


@dataclass
class EntityRecord:
    id: str
    kind: str  # one of ENTITY_KINDS
    label: str  # canonical name (the fullest name mentioned)
    key: str  # cross-article identity key: same key, same IRI
    mentions: list[Mention] = field(default_factory=list)
    alt_labels: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)  # external IRIs (GeoNames, ...)
    lat: float | None = None
    long: float | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2, for countries
    nationality: str | None = None  # for peoples ("Russians"): entity id of their country
    place_type: str | None = None  # a gazetteer place's kind: "City", "Region", "Country", "Continent"
    region_code: str | None = None  # ISO 3166-2 code of a first-level division ("US-GA")
    # The places a place lies in, narrowest first, up to its country: the id of this
    # article's entity where the article mentions the place, else its GeoNames IRI.
    contained_in: list[str] = field(default_factory=list)


@dataclass
class TimeRecord:
    id: str
    kind: str  # one of TIME_KINDS
    text: str
    value: str | None  # TIMEX3 value ("2018-07-16", "P3D", "PRESENT_REF"); None if unresolved
    mentions: list[Mention] = field(default_factory=list)


# What a role's target is (``Role.target_kind``): mapping picks the property by it.
ROLE_TARGET_KINDS = ("entity", "event", "time")


@dataclass
class Role:
    role: str  # "agent", "patient", "theme", "recipient", "actor"
    target: str  # local id of an entity, event or time
    target_kind: str  # one of ROLE_TARGET_KINDS: which of the three ``target`` is


@dataclass
class EventRecord:
    id: str
    type: str  # local name of a class in the kg event taxonomy ("Meeting", "Rejection", ...)
    lemma: str
    label: str
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # entity ids
    times: list[str] = field(default_factory=list)  # time ids
    negated: bool = False


@dataclass
class QuoteRecord:
    id: str
    text: str  # the quoted words
    start: int
    end: int
    speaker: str | None = None  # entity id
    cue: Mention | None = None  # the speech verb mention ("said")
    event: str | None = None  # event id of the speech act
    direct: bool = True


@dataclass
class PositionRecord:
    """A position a person holds, read from the text ("Russian President Vladimir Putin")."""

    id: str
    person: str  # entity id
    title: str  # "President", "Press Secretary", "ambassador"
    organization: str | None = None  # entity id (org or country)
    former: bool = False
    mention: Mention | None = None


@dataclass
class ArticleMeta:
    id: str
    headline: str | None = None
    published: str | None = None  # ISO date or date-time, as given
    url: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    path: str | None = None
    content_hash: str | None = None
    credits: list[Mention] = field(default_factory=list)  # photo credit lines
    excluded: list[Mention] = field(default_factory=list)  # boilerplate not treated as content


@dataclass
class ArticleRecord:
    meta: ArticleMeta
    body: str
    pipeline: str = ""  # spaCy pipeline name
    pipeline_version: str = ""
    entities: list[EntityRecord] = field(default_factory=list)
    times: list[TimeRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    quotes: list[QuoteRecord] = field(default_factory=list)
    positions: list[PositionRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """What ``dataclasses.asdict`` gives, without its deep copies (5x faster: the
        build packs every article's record)."""
        return _plain(self)

    def to_json(self) -> str:
        """``to_dict`` as compact JSON (``json.dumps(to_dict(), ensure_ascii=False,
        separators=(",", ":"))``), written from the records themselves: making the dicts
        first took four times as long as writing them."""
        return _JSON.encode(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ArticleRecord":
        return _build(cls, data)


# Nested types of each record's list / optional fields, for from_dict.
_NESTED: dict[type, dict[str, type]] = {
    ArticleRecord: {"meta": ArticleMeta, "entities": EntityRecord, "times": TimeRecord,
                    "events": EventRecord, "quotes": QuoteRecord, "positions": PositionRecord},
    ArticleMeta: {"credits": Mention, "excluded": Mention},
    EntityRecord: {"mentions": Mention},
    TimeRecord: {"mentions": Mention},
    EventRecord: {"mentions": Mention, "roles": Role},
    QuoteRecord: {"cue": Mention},
    PositionRecord: {"mention": Mention},
}


def _build(cls: type, data: dict[str, Any]) -> Any:
    names = _FIELD_NAMES.get(cls)
    if names is None:  # fields() once per class: per object it took half of unpacking a record
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    kwargs = {n: data[n] for n in names if n in data}
    for name, sub in _NESTED.get(cls, {}).items():
        value = kwargs.get(name)
        if value is not None:
            kwargs[name] = [_build(sub, v) for v in value] if isinstance(value, list) else _build(sub, value)
    return cls(**kwargs)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(obj: Any) -> Any:
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    if is_dataclass(obj):
        names = _FIELD_NAMES.get(type(obj))
        if names is None:
            names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
        return {n: _plain(getattr(obj, n)) for n in names}
    return obj


def _json_fields(obj: Any) -> dict[str, Any]:
    """A record's fields for the JSON encoder: its ``__dict__`` itself when that holds just
    its fields in their order (it does, as the dataclass's ``__init__`` set them)."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        if not is_dataclass(obj) or isinstance(obj, type):
            raise TypeError(f"{type(obj).__name__} is not a record")
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    d = obj.__dict__
    return d if tuple(d) == names else {n: d[n] for n in names}


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False, default=_json_fields)
