"""Extraction records -> RDF, following shared/spec/rdf-contract.md.

No spaCy here and no I/O: ``article_triples`` takes an ``ArticleRecord`` and returns the
triples of that article's named graph as N-Triples text of their terms (``article_quads``:
the same as Oxigraph quads). Types are materialised (the contract's schema.org / SEM /
OWL-Time types alongside our own), so no reasoner is needed to query them.

Terms are written as text, not as Oxigraph objects: a build maps ~1,000 triples per article,
and making (and hashing) a Quad of four terms for each cost more than the rest of mapping;
the export cache writes the graph's TriG from the text (kg.store.exportcache.triple_blocks).
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg import __version__
from kg.rdf.iris import Minter
from kg.records import (MONEY, ORG, PERCENT, PERSON, PLACE, UNNAMED, VALUE_KINDS, ArticleMeta, ArticleRecord, EntityRecord,
                        EventRecord, PositionRecord, QuoteRecord, Role, TimeRecord)
from kg.rdf import vocab
from kg.rdf.taxonomy import KGE as _KGE

# A triple as the N-Triples text of its subject, predicate and object ("<iri>", "\"text\"",
# "\"5\"^^<...#nonNegativeInteger>"): what str() of the Oxigraph term gives.
TermTriple = tuple[str, str, str]


class _Terms:
    """A namespace whose terms are their N-Triples text ("<iri>"), looked up once: rdflib's
    DefinedNamespace checks and builds a URIRef on every attribute access. Unknown terms
    still fail, as DefinedNamespace's ``_fail``."""

    def __init__(self, ns):
        self._ns = ns

    def __getattr__(self, name: str) -> str:
        value = str(NamedNode(str(getattr(self._ns, name))))
        setattr(self, name, value)
        return value

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)


ITSRDF, KG, NIF, OWL, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, TIME, XSD, KGE = (
    _Terms(ns) for ns in (vocab.ITSRDF, vocab.KG, vocab.NIF, vocab.OWL, vocab.PROV, vocab.RDF, vocab.RDFS,
                          vocab.SCHEMA, vocab.SEM, vocab.SKOS, vocab.TIME, vocab.XSD, _KGE))

# Materialised types of each entity kind (ontology/kg.ttl has the same hierarchy).
KIND_TYPES = {
    PERSON: (KG.Person, SCHEMA.Person, SEM.Actor),
    ORG: (KG.Organization, SCHEMA.Organization, SEM.Actor),
    PLACE: (KG.Place, SCHEMA.Place, SEM.Place),
    "NORP": (KG.NationalityOrGroup, SCHEMA.Thing, SEM.Actor),
    "PRODUCT": (KG.Product, SCHEMA.Product),
    "WORK_OF_ART": (KG.CreativeWork, SCHEMA.CreativeWork),
    "LAW": (KG.Law, SCHEMA.Legislation),
    "LANGUAGE": (KG.Language, SCHEMA.Language),
    "MONEY": (KG.MonetaryAmount, SCHEMA.MonetaryAmount),
    "PERCENT": (KG.Percentage, SCHEMA.QuantitativeValue),
    "QUANTITY": (KG.Quantity, SCHEMA.QuantitativeValue),
    "NUMBER": (KG.Number, SCHEMA.QuantitativeValue),
    "EVENT": (KG.NamedEvent, KG.Event, SEM.Event, SCHEMA.Event),
    UNNAMED: (KG.UnnamedEntity, SCHEMA.Thing),
}
COUNTRY_TYPES = (KG.Country, SCHEMA.Country)
# Materialised types of each kind of gazetteer place (EntityRecord.place_type).
PLACE_TYPES = {"Country": COUNTRY_TYPES, "Region": (KG.Region, SCHEMA.AdministrativeArea),
               "City": (KG.City, SCHEMA.City), "Continent": (KG.Continent, SCHEMA.Continent)}
TIME_TYPES = {
    "DATE": (KG.Date, KG.TimeExpression, TIME.Instant, TIME.TemporalEntity),
    "TIME": (KG.TimeOfDay, KG.TimeExpression, TIME.Instant, TIME.TemporalEntity),
    "DURATION": (KG.Duration, KG.TimeExpression, TIME.Duration, TIME.TemporalEntity),
    "SET": (KG.TimeSet, KG.TimeExpression, TIME.TemporalEntity),
}
EVENT_TYPES = (KG.Event, SEM.Event, SCHEMA.Event)
# Role names in EventRecord -> our sub-properties of sem:hasActor, for entity targets.
ROLE_PROPERTIES = {"agent": KG.agent, "patient": KG.patient, "theme": KG.theme,
                   "recipient": KG.recipient, "actor": SEM.hasActor}
# Values that are an event's measure, not its participants (SEM: actors are entities): sums
# of money and percentages. A count is of things that take part ("cut 10,000 jobs", "ordered
# 60 jets"): those stay actors.
AMOUNT_KINDS = (MONEY, PERCENT)
# An event as a role's target is what the event is about (kg:themeEvent); a time is when
# it happens: the contract (section 6) has sem:hasTime for that, whatever the role name.
ROLE_TARGET_PROPERTIES = {"event": KG.themeEvent, "time": SEM.hasTime}

# xsd:duration: only the seconds may have a fraction ("P2.5Y" is TIMEX3, not XSD).
_XSD_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_XSD_DATETIME_TZ = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")


@lru_cache(maxsize=1 << 16)
def _n(iri: str) -> str:
    """An IRI's term, checked (Oxigraph refuses an invalid IRI): for IRIs that records bring
    (GeoNames, Wikidata) and that are minted from them."""
    return str(NamedNode(iri))


def _lit(value, datatype: str | None = None) -> str:
    """A literal's term; ``datatype``: the term of an XSD datatype other than xsd:string."""
    text = str(Literal(str(value)))
    return text if datatype is None else f"{text}^^{datatype}"


@lru_cache(maxsize=1 << 14)
def _int(value: int) -> str:
    return _lit(value, XSD.nonNegativeInteger)


_TRUE, _FALSE = _lit("true", XSD.boolean), _lit("false", XSD.boolean)


def _bool(value: bool) -> str:
    return _TRUE if value else _FALSE


def _xsd(value: str, name: str) -> Literal:
    return Literal(value, datatype=NamedNode(str(vocab.XSD[name])))


def time_value_triples(value: str) -> list[tuple[NamedNode, Literal]]:
    """The OWL-Time datatype property that can hold a TIMEX3 value, if any."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return [(NamedNode(str(vocab.TIME.inXSDDate)), _xsd(value, "date"))]
    if re.fullmatch(r"\d{4}-\d\d", value):
        return [(NamedNode(str(vocab.TIME.inXSDgYearMonth)), _xsd(value, "gYearMonth"))]
    if re.fullmatch(r"\d{4}", value):
        return [(NamedNode(str(vocab.TIME.inXSDgYear)), _xsd(value, "gYear"))]
    if _XSD_DATETIME_TZ.fullmatch(value):
        return [(NamedNode(str(vocab.TIME.inXSDDateTimeStamp)), _xsd(value, "dateTimeStamp"))]
    weeks = re.fullmatch(r"P(\d+)W", value)
    if weeks:  # xsd:duration has no weeks
        return [(NamedNode(str(vocab.TIME.hasXSDDuration)), _xsd(f"P{int(weeks.group(1)) * 7}D", "duration"))]
    if _XSD_DURATION.fullmatch(value):
        return [(NamedNode(str(vocab.TIME.hasXSDDuration)), _xsd(value, "duration"))]
    return []


@lru_cache(maxsize=1 << 14)
def _time_value_terms(value: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(p), str(o)) for p, o in time_value_triples(value))


class BuildInfo:
    """What produced a graph: kg's version, a hash of its code and rules, and the spaCy
    pipeline. Any change to them changes the build's IRI, so an incremental build redoes
    every article and provenance says exactly which code made a graph."""

    def __init__(self, pipeline: str, pipeline_version: str, tool_version: str = __version__,
                 code_hash: str | None = None):
        self.pipeline, self.pipeline_version, self.tool_version = pipeline, pipeline_version, tool_version
        self.code_hash = code_hash if code_hash is not None else source_hash()

    @property
    def fingerprint(self) -> str:
        return f"kg {self.tool_version}+{self.code_hash[:12]}|{self.pipeline} {self.pipeline_version}"


@lru_cache(maxsize=1)
def source_hash() -> str:
    """SHA-256 over kg's Python files and the ontology, by relative path: the same code
    gives the same hash on every machine."""
    pkg = Path(__file__).resolve().parents[1]  # kg/
    files = sorted(pkg.rglob("*.py"))
    if vocab.ONTOLOGY_DIR.is_dir():
        files += sorted(vocab.ONTOLOGY_DIR.glob("*.ttl"))
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(pkg.parent).as_posix().encode())
        h.update(b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


class _ArticleGraph:
    """One article's named graph while it is made: its triples (terms as N-Triples text),
    without duplicates, in the order they were made; the article's resources; the terms of
    its records by local id; the text spans already claimed by a mention."""

    def __init__(self, rec: ArticleRecord, minter: Minter):
        self.minter, self.aid, self.body = minter, rec.meta.id, rec.body
        self.triples: dict[TermTriple, None] = {}
        self.art = _n(minter.article(self.aid))
        self.ctx = _n(minter.text(self.aid, 0, len(rec.body)))
        self.text_base = "<" + minter.text_prefix(self.aid)
        self.entities: dict[str, str] = {}
        self.times: dict[str, str] = {}
        self.events: dict[str, str] = {}
        self.mentioned: set[tuple[int, int]] = set()

    def add(self, s: str, p: str, o: str) -> None:
        self.triples[(s, p, o)] = None

    def types(self, s: str, classes) -> None:
        triples, a = self.triples, RDF.type
        for c in classes:
            triples[(s, a, c)] = None

    def mention(self, b: int, e: int, target: str) -> None:
        if (b, e) in self.mentioned:  # one referent per span: the first record claiming it wins
            return
        self.mentioned.add((b, e))
        m = f"{self.text_base}{b},{e}>"  # = minter.text(aid, b, e), valid as the context's IRI is
        triples = self.triples
        triples[(m, RDF.type, NIF.Phrase)] = None
        triples[(m, NIF.referenceContext, self.ctx)] = None
        triples[(m, NIF.beginIndex, _int(b))] = None
        triples[(m, NIF.endIndex, _int(e))] = None
        triples[(m, NIF.anchorOf, _lit(self.body[b:e]))] = None
        triples[(m, ITSRDF.taIdentRef, target)] = None


# Roles whose named fillers make an event's signature (kg:happening): who did it to whom.
SIGNATURE_ROLES = ("agent", "patient", "theme", "recipient")
_DAY = re.compile(r"^\d{4}-\d\d-\d\d")


def happening_signature(ev: EventRecord, ents: dict[str, EntityRecord], times: dict[str, TimeRecord]) -> str | None:
    """Class, day and named participants of an event: the same in every article that
    reports it, so it identifies the happening across articles. None when the event is
    too vague to tell (generic class, negated, no resolved day, no named participant)."""
    if ev.type in ("Occurrence", "Event") or ev.negated:
        return None
    days = sorted({times[t].value[:10] for t in ev.times if t in times and _DAY.match(times[t].value or "")})
    keys = sorted({ents[r.target].key for r in ev.roles
                   if r.role in SIGNATURE_ROLES and r.target_kind == "entity" and r.target in ents
                   and ents[r.target].key and ents[r.target].kind not in VALUE_KINDS})
    if not days or not keys:
        return None
    return "|".join([ev.type, days[0], *keys])


def article_triples(rec: ArticleRecord, minter: Minter, build: BuildInfo) -> list[TermTriple]:
    """All triples of one article's named graph (``TermTriple``), in the order made
    (deterministic; the exports sort them: ``kg.store.exportcache.canonical_triples``).
    Mentions are claimed in this order: entities, then times, then events."""
    out = _ArticleGraph(rec, minter)
    map_article(out, rec.meta)
    map_provenance(out, build)
    map_text(out)
    map_entities(out, rec.entities)
    map_times(out, rec.times)
    map_events(out, rec.events, rec.entities, rec.times)
    map_positions(out, rec.positions)
    map_quotes(out, rec.quotes)
    return list(out.triples)


def article_quads(rec: ArticleRecord, minter: Minter, build: BuildInfo) -> list[Quad]:
    """``article_triples`` as Oxigraph quads in the article's graph, in the same order."""
    g = _n(minter.graph(rec.meta.id))
    text = "".join(f"{s} {p} {o} {g} .\n" for s, p, o in article_triples(rec, minter, build))
    return list(parse(text.encode("utf-8"), format=RdfFormat.N_QUADS))


def map_article(out: _ArticleGraph, meta: ArticleMeta) -> None:
    """The article, its metadata and its publisher."""
    art = out.art
    out.add(art, RDF.type, SCHEMA.NewsArticle)
    out.add(art, SCHEMA.identifier, _lit(meta.id))
    if meta.headline:
        out.add(art, SCHEMA.headline, _lit(meta.headline))
    if meta.published:
        dtype = XSD.date if len(meta.published) == 10 else XSD.dateTime
        out.add(art, SCHEMA.datePublished, _lit(meta.published, dtype))
    if meta.url:
        out.add(art, SCHEMA.url, _lit(meta.url, XSD.anyURI))
    if meta.source:
        pub = _n(out.minter.publisher(meta.source))
        out.add(art, SCHEMA.publisher, pub)
        out.types(pub, (SCHEMA.Organization,))
        out.add(pub, SCHEMA.name, _lit(meta.source))
        out.add(pub, RDFS.label, _lit(meta.source))
    for author in meta.authors:
        out.add(art, SCHEMA.author, _lit(author))
    if meta.language:
        out.add(art, SCHEMA.inLanguage, _lit(meta.language))
    for credit in meta.credits:
        out.add(art, SCHEMA.creditText, _lit(credit.text))
    if meta.content_hash:
        out.add(art, KG.contentHash, _lit(meta.content_hash))


def map_provenance(out: _ArticleGraph, build: BuildInfo) -> None:
    """The build that made the graph (prov:wasGeneratedBy)."""
    act = _n(out.minter.build(build.fingerprint))
    out.add(out.art, PROV.wasGeneratedBy, act)
    out.types(act, (KG.Build, PROV.Activity))
    out.add(act, RDFS.label, _lit(build.fingerprint))
    out.add(act, KG.pipeline, _lit(build.pipeline))
    out.add(act, KG.pipelineVersion, _lit(build.pipeline_version))
    out.add(act, SCHEMA.softwareVersion, _lit(build.tool_version))
    out.add(act, KG.codeHash, _lit(build.code_hash))


def map_text(out: _ArticleGraph) -> None:
    """The article's text as the NIF context of its mentions."""
    ctx = out.ctx
    out.types(ctx, (NIF.Context, NIF.String))
    out.add(ctx, NIF.isString, _lit(out.body))
    out.add(ctx, NIF.sourceUrl, out.art)
    out.add(ctx, NIF.beginIndex, _int(0))
    out.add(ctx, NIF.endIndex, _int(len(out.body)))


def map_entities(out: _ArticleGraph, entities: list[EntityRecord]) -> None:
    """Entities and their mentions; then the nationality and containment links between them."""
    ids = out.entities
    for ent in entities:
        x = _n(out.minter.entity_of(out.aid, ent))
        ids[ent.id] = x
        out.types(x, KIND_TYPES.get(ent.kind, (SCHEMA.Thing,)))
        if ent.country_code:
            out.types(x, COUNTRY_TYPES)
            out.add(x, KG.countryCode, _lit(ent.country_code))  # not schema:identifier: article ids
        if ent.place_type in PLACE_TYPES:
            out.types(x, PLACE_TYPES[ent.place_type])
        if ent.region_code:
            out.add(x, KG.subdivisionCode, _lit(ent.region_code))
        out.add(x, RDFS.label, _lit(ent.label))
        if ent.kind not in VALUE_KINDS:
            out.add(x, SCHEMA.name, _lit(ent.label))
            out.add(out.art, SCHEMA.mentions, x)
        for alt in ent.alt_labels:
            out.add(x, SKOS.altLabel, _lit(alt))
        for same in ent.same_as:
            out.add(x, OWL.sameAs, _n(same))
        if ent.lat is not None and ent.long is not None:
            geo = _n(out.minter.geo(x[1:-1]))
            out.add(x, SCHEMA.geo, geo)
            out.add(geo, RDF.type, SCHEMA.GeoCoordinates)
            out.add(geo, SCHEMA.latitude, _lit(repr(float(ent.lat)), XSD.decimal))
            out.add(geo, SCHEMA.longitude, _lit(repr(float(ent.long)), XSD.decimal))
        for m in ent.mentions:
            out.mention(m.start, m.end, x)
    for ent in entities:
        if ent.nationality in ids:
            out.add(ids[ent.id], SCHEMA.nationality, ids[ent.nationality])
        for ref in ent.contained_in:  # an entity id of this article, else a GeoNames IRI
            out.add(ids[ent.id], SCHEMA.containedInPlace, ids[ref] if ref in ids else _n(ref))


def map_times(out: _ArticleGraph, times: list[TimeRecord]) -> None:
    """Time expressions: OWL-Time resources with their normalised value."""
    named = set(out.mentioned)  # the entities' mentions (mapped first)
    for t in times:
        if t.mentions and all((m.start, m.end) in named for m in t.mentions):
            continue  # its text is an entity's mention (one referent per span): no time nobody mentions
        x = _n(out.minter.time_of(out.aid, t))
        out.times[t.id] = x
        out.types(x, TIME_TYPES.get(t.kind, (KG.TimeExpression, TIME.TemporalEntity)))
        out.add(x, RDFS.label, _lit(t.value or t.text))
        if t.value:
            out.add(x, RDF.value, _lit(t.value))
            for p, o in _time_value_terms(t.value):
                out.add(x, p, o)
        for m in t.mentions:
            out.mention(m.start, m.end, x)


def map_events(out: _ArticleGraph, events: list[EventRecord], entities: list[EntityRecord],
               times: list[TimeRecord]) -> None:
    """Events with their class, happening, roles, places and times. Every event gets its
    IRI first: a role may point at an event that comes later."""
    minter, aid = out.minter, out.aid
    for ev in events:
        out.events[ev.id] = _n(minter.local("event", aid, ev.id))
    ents_by_id = {e.id: e for e in entities}
    times_by_id = {t.id: t for t in times}
    for ev in events:
        x = out.events[ev.id]
        out.types(x, EVENT_TYPES)
        if ev.type and ev.type != "Event":
            out.add(x, RDF.type, KGE[ev.type])
        out.add(x, RDFS.label, _lit(ev.label))
        out.add(x, KG.lemma, _lit(ev.lemma))
        if ev.negated:
            out.add(x, KG.negated, _bool(True))
        signature = happening_signature(ev, ents_by_id, times_by_id)
        if signature is not None:
            h = _n(minter.happening(signature))
            out.add(x, KG.happening, h)
            out.add(h, RDF.type, KG.Happening)
        out.add(out.art, SCHEMA.mentions, x)
        for role in ev.roles:
            map_role(out, x, role, ents_by_id)
        for pid in ev.places:
            if pid in out.entities:
                out.add(x, SEM.hasPlace, out.entities[pid])
        for tid in ev.times:
            if tid in out.times:
                out.add(x, SEM.hasTime, out.times[tid])
        for m in ev.mentions:
            out.mention(m.start, m.end, x)


def map_role(out: _ArticleGraph, event: str, role: Role, ents_by_id: dict[str, EntityRecord]) -> None:
    """One role of an event, by what its target is (``Role.target_kind``): an entity is a
    participant (its role property and sem:hasActor), an amount ("lost $6 billion", "fell
    5%") is the event's kg:amount, not an actor; an event or a time takes
    ``ROLE_TARGET_PROPERTIES``. A target the record does not hold is left out."""
    kind = role.target_kind
    if kind == "entity":
        target = out.entities.get(role.target)
        if target is None:
            return
        rec = ents_by_id.get(role.target)
        if rec is not None and rec.kind in AMOUNT_KINDS:
            out.add(event, KG.amount, target)
        else:
            out.add(event, ROLE_PROPERTIES.get(role.role, SEM.hasActor), target)
            out.add(event, SEM.hasActor, target)
        return
    if kind not in ROLE_TARGET_PROPERTIES:
        raise ValueError(f"role target kind {kind!r} is not one of kg.records.ROLE_TARGET_KINDS")
    target = (out.events if kind == "event" else out.times).get(role.target)
    if target is not None:
        out.add(event, ROLE_TARGET_PROPERTIES[kind], target)


def map_positions(out: _ArticleGraph, positions: list[PositionRecord]) -> None:
    """Positions people hold, read from the article (prov:wasDerivedFrom it)."""
    for pos in positions:
        person = out.entities.get(pos.person)
        if person is None:
            continue
        p = _n(out.minter.local("position", out.aid, pos.id))
        out.add(person, KG.holdsPosition, p)
        out.types(p, (KG.PositionHolding, SCHEMA.Role, PROV.Entity))
        out.add(p, KG.positionTitle, _lit(pos.title))
        out.add(p, RDFS.label, _lit(pos.title))
        if pos.organization in out.entities:
            out.add(p, KG.positionIn, out.entities[pos.organization])
        if pos.former:
            out.add(p, KG.former, _bool(True))
        out.add(p, PROV.wasDerivedFrom, out.art)


def map_quotes(out: _ArticleGraph, quotes: list[QuoteRecord]) -> None:
    """Quotations with their speaker, cue verb and speech event."""
    for q in quotes:
        x = _n(out.minter.local("quote", out.aid, q.id))
        out.types(x, (KG.Quotation, SCHEMA.Quotation, PROV.Entity))
        out.add(x, SCHEMA.text, _lit(q.text))
        out.add(x, SCHEMA.isPartOf, out.art)
        out.add(x, NIF.referenceContext, out.ctx)
        out.add(x, NIF.beginIndex, _int(q.start))
        out.add(x, NIF.endIndex, _int(q.end))
        out.add(x, KG.isDirect, _bool(q.direct))
        if q.speaker in out.entities:
            speaker = out.entities[q.speaker]
            out.add(x, SCHEMA.creator, speaker)
            out.add(x, PROV.wasAttributedTo, speaker)
        if q.cue is not None:
            out.add(x, KG.cueVerb, _lit(q.cue.text))
        if q.event in out.events:
            out.add(x, KG.quoteOf, out.events[q.event])
