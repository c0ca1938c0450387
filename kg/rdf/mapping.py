"""Extraction records -> RDF quads, following shared/spec/rdf-contract.md.

No spaCy here and no I/O: ``article_quads`` takes an ``ArticleRecord`` and returns the
quads of that article's named graph. Types are materialised (the contract's schema.org /
SEM / OWL-Time types alongside our own), so no reasoner is needed to query them.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from kg import __version__
from kg.rdf.iris import Minter
from kg.records import ORG, PERSON, PLACE, UNNAMED, ArticleRecord, EntityRecord, EventRecord, TimeRecord
from kg.rdf import vocab
from kg.rdf.taxonomy import KGE as _KGE


class _Terms:
    """A namespace whose terms are Oxigraph NamedNodes, looked up once: rdflib's
    DefinedNamespace checks and builds a URIRef on every attribute access, and a URIRef's
    hash is computed in Python each time; in mapping's inner loops that cost more than
    making the quads. Unknown terms still fail, as DefinedNamespace's ``_fail``."""

    def __init__(self, ns):
        self._ns = ns

    def __getattr__(self, name: str) -> NamedNode:
        value = NamedNode(str(getattr(self._ns, name)))
        setattr(self, name, value)
        return value

    def __getitem__(self, name: str) -> NamedNode:
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
# Kinds that are values, one resource per mention, not merged across articles.
VALUE_KINDS = ("MONEY", "PERCENT", "QUANTITY", "NUMBER", UNNAMED)
TIME_TYPES = {
    "DATE": (KG.Date, KG.TimeExpression, TIME.Instant, TIME.TemporalEntity),
    "TIME": (KG.TimeOfDay, KG.TimeExpression, TIME.Instant, TIME.TemporalEntity),
    "DURATION": (KG.Duration, KG.TimeExpression, TIME.Duration, TIME.TemporalEntity),
    "SET": (KG.TimeSet, KG.TimeExpression, TIME.TemporalEntity),
}
EVENT_TYPES = (KG.Event, SEM.Event, SCHEMA.Event)
# Role names in EventRecord -> our sub-properties of sem:hasActor.
ROLE_PROPERTIES = {"agent": KG.agent, "patient": KG.patient, "theme": KG.theme,
                   "recipient": KG.recipient, "actor": SEM.hasActor}

# Predicates whose objects we write with a derived XSD datatype. Oxigraph stores derived
# types as their primitive (xsd:integer, xsd:dateTime); readers of the store put them back.
DERIVED_DATATYPES = {
    NIF.beginIndex.value: XSD.nonNegativeInteger.value,
    NIF.endIndex.value: XSD.nonNegativeInteger.value,
    KG.mentionCount.value: XSD.nonNegativeInteger.value,
    TIME.inXSDDateTimeStamp.value: XSD.dateTimeStamp.value,
}

# xsd:duration: only the seconds may have a fraction ("P2.5Y" is TIMEX3, not XSD).
_XSD_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_XSD_DATETIME_TZ = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")


@lru_cache(maxsize=1 << 16)
def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


def _lit(value, datatype: NamedNode | None = None) -> Literal:
    if datatype is None:
        return Literal(str(value))
    return Literal(str(value), datatype=datatype)


@lru_cache(maxsize=1 << 14)
def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.nonNegativeInteger)


_TRUE, _FALSE = Literal("true", datatype=XSD.boolean), Literal("false", datatype=XSD.boolean)


def _bool(value: bool) -> Literal:
    return _TRUE if value else _FALSE


def time_value_triples(value: str) -> list[tuple]:
    """The OWL-Time datatype property that can hold a TIMEX3 value, if any."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return [(TIME.inXSDDate, _lit(value, XSD.date))]
    if re.fullmatch(r"\d{4}-\d\d", value):
        return [(TIME.inXSDgYearMonth, _lit(value, XSD.gYearMonth))]
    if re.fullmatch(r"\d{4}", value):
        return [(TIME.inXSDgYear, _lit(value, XSD.gYear))]
    if _XSD_DATETIME_TZ.fullmatch(value):
        return [(TIME.inXSDDateTimeStamp, _lit(value, XSD.dateTimeStamp))]
    weeks = re.fullmatch(r"P(\d+)W", value)
    if weeks:  # xsd:duration has no weeks
        return [(TIME.hasXSDDuration, _lit(f"P{int(weeks.group(1)) * 7}D", XSD.duration))]
    if _XSD_DURATION.fullmatch(value):
        return [(TIME.hasXSDDuration, _lit(value, XSD.duration))]
    return []


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


class _Graph:
    """One named graph's quads, without duplicates, in the order they were made."""

    def __init__(self, graph: str):
        self.g = NamedNode(graph)
        self.quads: dict[Quad, None] = {}

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.quads[Quad(s, p, o, self.g)] = None

    def types(self, s: NamedNode, classes) -> None:
        g, quads, a = self.g, self.quads, RDF.type
        for c in classes:
            quads[Quad(s, a, c, g)] = None


def entity_iri(minter: Minter, article_id: str, ent: EntityRecord) -> str:
    if ent.kind in VALUE_KINDS or not ent.key:
        return minter.local("value", article_id, ent.id)
    return minter.entity(ent.kind, ent.key, ent.label)


def time_iri(minter: Minter, article_id: str, t: TimeRecord) -> str:
    """Shared by every article that resolves to the value. A set ("every week", P1W) and
    a duration ("a week", P1W) share TIMEX3 values but are different things."""
    if not t.value:
        return minter.local("time", article_id, t.id)
    return minter.time(f"set-{t.value}" if t.kind == "SET" else t.value)


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
                   if r.role in SIGNATURE_ROLES and r.target in ents and ents[r.target].key
                   and ents[r.target].kind not in VALUE_KINDS})
    if not days or not keys:
        return None
    return "|".join([ev.type, days[0], *keys])


def article_quads(rec: ArticleRecord, minter: Minter, build: BuildInfo) -> list[Quad]:
    """All quads of one article's named graph, in the order made (deterministic; the
    exports sort them: ``kg.exportcache.canonical``)."""
    meta = rec.meta
    aid = meta.id
    out = _Graph(minter.graph(aid))
    art = _n(minter.article(aid))
    ctx = _n(minter.text(aid, 0, len(rec.body)))
    text_base = minter.text_prefix(aid)

    # Article and its provenance.
    out.add(art, RDF.type, SCHEMA.NewsArticle)
    out.add(art, SCHEMA.identifier, _lit(aid))
    if meta.headline:
        out.add(art, SCHEMA.headline, _lit(meta.headline))
    if meta.published:
        dtype = XSD.date if len(meta.published) == 10 else XSD.dateTime
        out.add(art, SCHEMA.datePublished, _lit(meta.published, dtype))
    if meta.url:
        out.add(art, SCHEMA.url, _lit(meta.url, XSD.anyURI))
    if meta.source:
        pub = _n(minter.publisher(meta.source))
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
    act = _n(minter.build(build.fingerprint))
    out.add(art, PROV.wasGeneratedBy, act)
    out.types(act, (KG.Build, PROV.Activity))
    out.add(act, RDFS.label, _lit(build.fingerprint))
    out.add(act, KG.pipeline, _lit(build.pipeline))
    out.add(act, KG.pipelineVersion, _lit(build.pipeline_version))
    out.add(act, SCHEMA.softwareVersion, _lit(build.tool_version))
    out.add(act, KG.codeHash, _lit(build.code_hash))

    # Text.
    out.types(ctx, (NIF.Context, NIF.String))
    out.add(ctx, NIF.isString, _lit(rec.body))
    out.add(ctx, NIF.sourceUrl, art)
    out.add(ctx, NIF.beginIndex, _int(0))
    out.add(ctx, NIF.endIndex, _int(len(rec.body)))

    mentioned: dict[tuple[int, int], str] = {}

    def mention(b: int, e: int, target: NamedNode) -> None:
        if (b, e) in mentioned:  # one referent per span: the first record claiming it wins
            return
        mentioned[(b, e)] = target.value
        m = NamedNode(f"{text_base}{b},{e}")  # = minter.text(aid, b, e)
        out.add(m, RDF.type, NIF.Phrase)
        out.add(m, NIF.referenceContext, ctx)
        out.add(m, NIF.beginIndex, _int(b))
        out.add(m, NIF.endIndex, _int(e))
        out.add(m, NIF.anchorOf, _lit(rec.body[b:e]))
        out.add(m, ITSRDF.taIdentRef, target)

    # Entities.
    ids: dict[str, NamedNode] = {}
    for ent in rec.entities:
        x = _n(entity_iri(minter, aid, ent))
        ids[ent.id] = x
        out.types(x, KIND_TYPES.get(ent.kind, (SCHEMA.Thing,)))
        if ent.country_code:
            out.types(x, COUNTRY_TYPES)
            out.add(x, SCHEMA.identifier, _lit(ent.country_code))
        out.add(x, RDFS.label, _lit(ent.label))
        if ent.kind not in VALUE_KINDS:
            out.add(x, SCHEMA.name, _lit(ent.label))
            out.add(art, SCHEMA.mentions, x)
        for alt in ent.alt_labels:
            out.add(x, SKOS.altLabel, _lit(alt))
        for same in ent.same_as:
            out.add(x, OWL.sameAs, _n(same))
        if ent.lat is not None and ent.long is not None:
            geo = NamedNode(x.value + "#geo")
            out.add(x, SCHEMA.geo, geo)
            out.add(geo, RDF.type, SCHEMA.GeoCoordinates)
            out.add(geo, SCHEMA.latitude, _lit(repr(float(ent.lat)), XSD.decimal))
            out.add(geo, SCHEMA.longitude, _lit(repr(float(ent.long)), XSD.decimal))
        for m in ent.mentions:
            mention(m.start, m.end, x)

    for ent in rec.entities:
        if ent.nationality in ids:
            out.add(ids[ent.id], SCHEMA.nationality, ids[ent.nationality])

    # Times.
    for t in rec.times:
        x = _n(time_iri(minter, aid, t))
        ids[t.id] = x
        out.types(x, TIME_TYPES.get(t.kind, (KG.TimeExpression, TIME.TemporalEntity)))
        out.add(x, RDFS.label, _lit(t.value or t.text))
        if t.value:
            out.add(x, RDF.value, _lit(t.value))
            for p, o in time_value_triples(t.value):
                out.add(x, p, o)
        for m in t.mentions:
            mention(m.start, m.end, x)

    # Events.
    ents_by_id = {e.id: e for e in rec.entities}
    times_by_id = {t.id: t for t in rec.times}
    for ev in rec.events:
        ids[ev.id] = NamedNode(minter.local("event", aid, ev.id))
    for ev in rec.events:
        x = ids[ev.id]
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
        out.add(art, SCHEMA.mentions, x)
        for role in ev.roles:
            target = ids.get(role.target)
            if target is None:
                continue
            if role.target.startswith("v"):
                out.add(x, KG.themeEvent, target)
            elif role.target.startswith("e"):
                out.add(x, ROLE_PROPERTIES.get(role.role, SEM.hasActor), target)
                out.add(x, SEM.hasActor, target)
        for pid in ev.places:
            if pid in ids:
                out.add(x, SEM.hasPlace, ids[pid])
        for tid in ev.times:
            if tid in ids:
                out.add(x, SEM.hasTime, ids[tid])
        for m in ev.mentions:
            mention(m.start, m.end, x)

    # Positions people hold.
    for pos in rec.positions:
        person = ids.get(pos.person)
        if person is None:
            continue
        p = NamedNode(minter.local("position", aid, pos.id))
        out.add(person, KG.holdsPosition, p)
        out.types(p, (KG.PositionHolding, SCHEMA.Role, PROV.Entity))
        out.add(p, KG.positionTitle, _lit(pos.title))
        out.add(p, RDFS.label, _lit(pos.title))
        if pos.organization in ids:
            out.add(p, KG.positionIn, ids[pos.organization])
        if pos.former:
            out.add(p, KG.former, _bool(True))
        out.add(p, PROV.wasDerivedFrom, art)

    # Quotations.
    for q in rec.quotes:
        x = NamedNode(minter.local("quote", aid, q.id))
        out.types(x, (KG.Quotation, SCHEMA.Quotation, PROV.Entity))
        out.add(x, SCHEMA.text, _lit(q.text))
        out.add(x, SCHEMA.isPartOf, art)
        out.add(x, NIF.referenceContext, ctx)
        out.add(x, NIF.beginIndex, _int(q.start))
        out.add(x, NIF.endIndex, _int(q.end))
        out.add(x, KG.isDirect, _bool(q.direct))
        if q.speaker in ids:
            out.add(x, SCHEMA.creator, ids[q.speaker])
            out.add(x, PROV.wasAttributedTo, ids[q.speaker])
        if q.cue is not None:
            out.add(x, KG.cueVerb, _lit(q.cue.text))
        if q.event in ids:
            out.add(x, KG.quoteOf, ids[q.event])
    return list(out.quads)

