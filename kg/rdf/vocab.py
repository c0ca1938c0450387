"""Vocabularies kg writes: our ontology (``KG``, kept in step with ontology/kg.ttl by a
test) and the external namespaces of the RDF contract."""
from __future__ import annotations

from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://kg.example.org/ontology"
DEFAULT_BASE_IRI = "https://kg.example.org/id/"
# ontology/ beside the package (an editable install, as set-up makes): the Turtle files.
ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"


class KG(DefinedNamespace):
    """kg ontology: classes and properties declared in ontology/kg.ttl."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # Classes: entities
    Person: str  # a person (schema:Person)
    Organization: str  # an organisation (schema:Organization)
    Place: str  # a place (schema:Place)
    Country: str  # a country, linked to GeoNames
    Region: str  # a first-level administrative division (US state, ISO 3166-2 subdivision)
    City: str  # a city or town of GeoNames
    Continent: str
    NationalityOrGroup: str  # nationality, religious or political group (spaCy NORP)
    Product: str
    CreativeWork: str
    Law: str
    Language: str
    MonetaryAmount: str
    Percentage: str
    Quantity: str
    Number: str
    UnnamedEntity: str  # a participant described but not named
    # Classes: events, times, speech, roles, provenance
    Event: str  # an event (sem:Event and schema:Event)
    NamedEvent: str  # an event known by name ("World War II")
    TimeExpression: str  # a time the text refers to
    Date: str
    TimeOfDay: str
    Duration: str
    TimeSet: str
    Quotation: str
    PositionHolding: str  # a person holding a position, as one article states it
    Build: str  # a run of kg that produced a graph
    Happening: str  # one real-world event that events of several articles report
    # Properties
    agent: str
    patient: str
    theme: str
    recipient: str
    themeEvent: str
    amount: str
    happening: str
    lemma: str
    negated: str
    mentionCount: str
    countryCode: str  # ISO 3166-1 alpha-2 of a kg:Country; schema:identifier is the article id
    subdivisionCode: str  # ISO 3166-2 code of a kg:Region
    holdsPosition: str
    positionTitle: str
    positionIn: str
    former: str
    cueVerb: str
    quoteOf: str
    isDirect: str
    contentHash: str
    pipeline: str
    pipelineVersion: str
    codeHash: str


NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
TIME = Namespace("http://www.w3.org/2006/time#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

PREFIXES = {
    "kg": str(KG._NS), "nif": str(NIF), "itsrdf": str(ITSRDF), "schema": str(SCHEMA),
    "sem": str(SEM), "time": str(TIME), "prov": str(PROV), "dcterms": str(DCTERMS),
    "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "owl": str(OWL), "xsd": str(XSD),
}
