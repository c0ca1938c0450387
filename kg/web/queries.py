"""The explorer's SPARQL. Every query matches inside ``GRAPH ?g { }`` (or counts
DISTINCT): Oxigraph's union default graph repeats a triple once per article graph holding
it (ontology/README.md, "Querying").

Values from a URL are marked ``$name`` (SPARQL's other variable sign) and written in by
``bind`` as escaped terms, serialised by pyoxigraph itself (an IRI it accepted as valid,
a string literal with its quotes and backslashes escaped); never as raw text. Why not
pyoxigraph's ``substitutions=``: Oxigraph joins substituted values after planning the
query instead of using them as constants, 10 to 100 times slower here (measured on the
60-article MEANTIME build: an entity's shared events 1.7 s bound, 0.02 s as a constant).
Page limits are ints, formatted by ``page``.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

from kg.rdf.vocab import KG, PREFIXES

_USED = ("rdf", "rdfs", "skos", "owl", "schema", "sem", "nif", "itsrdf", "prov", "time", "kg")
PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in _USED if p in PREFIXES)

# Kinds of named entity: URL key -> (kg class, label). Order is the display order.
KINDS = {
    "person": (str(KG.Person), "person"),
    "org": (str(KG.Organization), "organisation"),
    "place": (str(KG.Place), "place"),
    "group": (str(KG.NationalityOrGroup), "group / nationality"),
    "product": (str(KG.Product), "product"),
    "work": (str(KG.CreativeWork), "work"),
    "law": (str(KG.Law), "law"),
    "language": (str(KG.Language), "language"),
    "named-event": (str(KG.NamedEvent), "named event"),
}
KIND_OF_CLASS = {iri: key for key, (iri, _) in KINDS.items()}
# Other things a mention can denote, for the highlight colour (most specific first).
OTHER_CLASSES = {
    str(KG.Event): "event", str(KG.TimeExpression): "time", str(KG.UnnamedEntity): "unnamed",
    str(KG.MonetaryAmount): "value", str(KG.Percentage): "value", str(KG.Quantity): "value",
    str(KG.Number): "value",
}
NAMED_KINDS_IN = ", ".join(f"<{iri}>" for iri, _ in KINDS.values())
NAMED_KINDS = " ".join(f"<{iri}>" for iri, _ in KINDS.values())
ALL_CLASSES_IN = ", ".join(f"<{iri}>" for iri in [*KIND_OF_CLASS, *OTHER_CLASSES])
ROLES = {str(KG.agent): "who", str(KG.patient): "whom", str(KG.theme): "whom", str(KG.recipient): "to whom",
         PREFIXES["sem"] + "hasPlace": "where", PREFIXES["sem"] + "hasTime": "when",
         PREFIXES["sem"] + "hasActor": "with"}
ROLES_IN = " ".join(f"<{iri}>" for iri in ROLES)


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def bind(sparql: str, **values) -> str:
    """``sparql`` with each ``$name`` replaced by ``values[name]`` as an escaped term, or a
    list of them separated by spaces (for ``VALUES ?v { $name }``)."""
    def term(m: re.Match) -> str:
        value = values[m.group(1)]  # a KeyError here is a bug: a parameter without a value
        terms = value if isinstance(value, (list, tuple)) else [value]
        for t in terms:
            if not isinstance(t, (ox.NamedNode, ox.Literal)):
                raise TypeError(f"${m.group(1)}: not an RDF term: {t!r}")
        return " ".join(str(t) for t in terms)
    return _PARAM.sub(term, sparql)


# Query shapes follow what Oxigraph plans well (measured on the 60-article MEANTIME build):
# a bound IRI first, then FILTER(?p IN (...)) rather than VALUES beside it; VALUES of the
# classes first where no IRI is bound; no OPTIONAL that joins a large pattern (the details
# of a page's rows are a second query over just those rows).


def page(limit: int, offset: int) -> str:
    return f"\nLIMIT {int(limit)} OFFSET {int(offset)}"


COUNTS = PROLOGUE + f"""SELECT ?class (COUNT(DISTINCT ?x) AS ?n)
WHERE {{
  GRAPH ?g {{
    VALUES ?class {{ schema:NewsArticle kg:Person kg:Organization kg:Place sem:Event kg:Quotation }}
    ?x a ?class .
  }}
}}
GROUP BY ?class"""

TOP_ENTITIES = PROLOGUE + f"""SELECT ?x (MIN(?label) AS ?name) (MIN(?class) AS ?kind)
       (COUNT(DISTINCT ?m) AS ?mentions) (COUNT(DISTINCT ?g) AS ?articles)
WHERE {{
  GRAPH ?g {{
    VALUES ?class {{ {NAMED_KINDS} }}
    ?x a ?class .
    ?m itsrdf:taIdentRef ?x .
    ?x rdfs:label ?label .
  }}
}}
GROUP BY ?x
ORDER BY DESC(?mentions) ?name
LIMIT 20"""

ARTICLE_COUNT = PROLOGUE + """SELECT (COUNT(DISTINCT ?a) AS ?n)
WHERE { GRAPH ?g { ?a a schema:NewsArticle } }"""

ARTICLES = PROLOGUE + """SELECT ?a ?id ?headline ?date
WHERE {
  GRAPH ?g {
    ?a a schema:NewsArticle ; schema:identifier ?id .
    OPTIONAL { ?a schema:headline ?headline }
    OPTIONAL { ?a schema:datePublished ?date }
  }
}
ORDER BY DESC(?date) ?id"""

# $q: the search words; $kind (only in SEARCH_KIND): the kind wanted.
SEARCH = PROLOGUE + f"""SELECT ?x (MIN(?label) AS ?name) (MIN(?class) AS ?kind)
       (GROUP_CONCAT(DISTINCT ?alt; separator=" · ") AS ?aliases) (COUNT(DISTINCT ?g) AS ?articles)
WHERE {{
  GRAPH ?g {{
    VALUES ?class {{ {NAMED_KINDS} }}
    ?x a ?class ; rdfs:label|skos:altLabel ?n .
    FILTER(CONTAINS(LCASE(STR(?n)), LCASE(STR($q))))
    ?x rdfs:label ?label .
    OPTIONAL {{ ?x skos:altLabel ?alt }}
  }}
}}
GROUP BY ?x
ORDER BY DESC(?articles) ?name ?x"""
SEARCH_KIND = SEARCH.replace(f"VALUES ?class {{ {NAMED_KINDS} }}", "VALUES ?class { $kind }")

# -- one article (?a bound) ----------------------------------------------------------------

ARTICLE = PROLOGUE + """SELECT ?g ?id ?headline ?date ?url ?publisher ?credit ?text ?hash ?build
WHERE {
  GRAPH ?g {
    $a a schema:NewsArticle ; schema:identifier ?id .
    ?ctx nif:sourceUrl $a ; nif:isString ?text .
    OPTIONAL { $a schema:headline ?headline }
    OPTIONAL { $a schema:datePublished ?date }
    OPTIONAL { $a schema:url ?url }
    OPTIONAL { $a schema:publisher/(rdfs:label|schema:name) ?publisher }
    OPTIONAL { $a schema:creditText ?credit }
    OPTIONAL { $a kg:contentHash ?hash }
    OPTIONAL { $a prov:wasGeneratedBy ?build }
  }
}"""

PROVENANCE = PROLOGUE + """SELECT DISTINCT ?p ?o
WHERE {
  GRAPH ?g {
    $a a schema:NewsArticle ; prov:wasGeneratedBy ?build .
    ?build ?p ?o .
  }
}
ORDER BY ?p ?o"""

MENTIONS = PROLOGUE + f"""SELECT ?b ?e ?x ?label ?class
WHERE {{
  GRAPH ?g {{
    ?ctx nif:sourceUrl $a .
    ?m nif:referenceContext ?ctx ; nif:beginIndex ?b ; nif:endIndex ?e ; itsrdf:taIdentRef ?x .
    OPTIONAL {{ ?x rdfs:label ?label }}
    OPTIONAL {{ ?x a ?class . FILTER(?class IN ({ALL_CLASSES_IN})) }}
  }}
}}
ORDER BY ?b DESC(?e)"""

ARTICLE_EVENTS = PROLOGUE + """SELECT ?ev ?label ?negated
WHERE {
  GRAPH ?g {
    $a schema:mentions ?ev .
    ?ev a sem:Event ; rdfs:label ?label .
    OPTIONAL { ?ev kg:negated ?negated }
  }
}"""

ARTICLE_EVENT_ROLES = PROLOGUE + f"""SELECT ?ev ?role ?x ?xlabel ?value
WHERE {{
  GRAPH ?g {{
    $a schema:mentions ?ev .
    ?ev ?role ?x .
    FILTER(?role IN ({ROLES_IN.replace(" ", ", ")}))
    OPTIONAL {{ ?x rdfs:label ?xlabel }}
    OPTIONAL {{ ?x rdf:value ?value }}
  }}
}}"""

# An event's class in the taxonomy (events.ttl): its kg: class other than kg:Event.
ARTICLE_EVENT_TYPES = PROLOGUE + """SELECT ?ev ?type
WHERE {
  GRAPH ?g {
    $a schema:mentions ?ev .
    ?ev a sem:Event, ?type .
    FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event)
  }
}"""

ARTICLE_QUOTES = PROLOGUE + """SELECT ?q ?text ?direct ?cue ?b ?speaker ?speakerName
WHERE {
  GRAPH ?g {
    ?q a kg:Quotation ; schema:isPartOf $a ; schema:text ?text .
    OPTIONAL { ?q kg:isDirect ?direct }
    OPTIONAL { ?q kg:cueVerb ?cue }
    OPTIONAL { ?q nif:beginIndex ?b }
    OPTIONAL { ?q schema:creator ?speaker . OPTIONAL { ?speaker rdfs:label ?speakerName } }
  }
}
ORDER BY ?b ?q"""

# -- one entity (?x bound) -----------------------------------------------------------------

ENTITY = PROLOGUE + """SELECT DISTINCT ?p ?o
WHERE {
  GRAPH ?g {
    VALUES ?p { rdf:type rdfs:label skos:altLabel schema:name owl:sameAs kg:countryCode
                schema:nationality schema:latitude schema:longitude rdf:value kg:lemma }
    { $x ?p ?o } UNION { $x schema:geo ?geo . ?geo ?p ?o }
  }
}
ORDER BY ?p ?o"""

POSITIONS = PROLOGUE + """SELECT DISTINCT ?title ?former ?in ?inName ?a ?id
WHERE {
  GRAPH ?g {
    $x kg:holdsPosition ?pos .
    ?pos kg:positionTitle ?title ; prov:wasDerivedFrom ?a .
    ?a schema:identifier ?id .
    OPTIONAL { ?pos kg:former ?former }
    OPTIONAL { ?pos kg:positionIn ?in . OPTIONAL { ?in rdfs:label ?inName } }
  }
}
ORDER BY ?title ?inName ?id"""

ENTITY_MENTIONS = PROLOGUE + """SELECT ?a ?id ?headline ?date ?b ?e
WHERE {
  GRAPH ?g {
    ?m itsrdf:taIdentRef $x ; nif:referenceContext ?ctx ; nif:beginIndex ?b ; nif:endIndex ?e .
    ?ctx nif:sourceUrl ?a .
    ?a schema:identifier ?id .
    OPTIONAL { ?a schema:headline ?headline }
    OPTIONAL { ?a schema:datePublished ?date }
  }
}
ORDER BY DESC(?date) ?id ?b"""

TEXT = PROLOGUE + """SELECT ?text
WHERE { GRAPH ?g { ?ctx nif:sourceUrl $a ; nif:isString ?text } }
LIMIT 1"""

ENTITY_EVENTS = PROLOGUE + """SELECT ?ev ?label ?role ?when ?g
WHERE {
  GRAPH ?g {
    ?ev ?role $x .
    FILTER(?role IN (kg:agent, kg:patient, kg:theme, kg:recipient, sem:hasActor, sem:hasPlace))
    ?ev rdfs:label ?label .
    OPTIONAL { ?ev sem:hasTime ?t . ?t a time:Instant ; rdf:value ?when }
  }
}"""

ENTITY_EVENT_TYPES = PROLOGUE + """SELECT ?ev ?type
WHERE {
  GRAPH ?g {
    ?ev sem:hasActor|sem:hasPlace $x .
    ?ev a ?type .
    FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event)
  }
}"""

# The others taking part in each of the events of $x.
ENTITY_EVENT_OTHERS = PROLOGUE + """SELECT ?ev (GROUP_CONCAT(DISTINCT ?other; separator="; ") AS ?with)
WHERE {
  GRAPH ?g {
    ?ev sem:hasActor|sem:hasPlace $x .
    ?ev sem:hasActor|sem:hasPlace ?o .
    FILTER(?o != $x)
    ?o rdfs:label ?other .
  }
}
GROUP BY ?ev"""

# Each article graph's article, id and headline.
ARTICLE_INDEX = PROLOGUE + """SELECT ?g ?a ?id ?headline
WHERE {
  GRAPH ?g {
    ?a a schema:NewsArticle ; schema:identifier ?id .
    OPTIONAL { ?a schema:headline ?headline }
  }
}"""

ENTITY_QUOTES = PROLOGUE + """SELECT ?q ?text ?direct ?a ?id ?b
WHERE {
  GRAPH ?g {
    ?q schema:creator $x ; schema:text ?text ; schema:isPartOf ?a .
    ?a schema:identifier ?id .
    OPTIONAL { ?q kg:isDirect ?direct }
    OPTIONAL { ?q nif:beginIndex ?b }
  }
}
ORDER BY ?id ?b ?q"""

# Entities sharing an article with $x (schema:mentions links an article to each entity).
SHARED_ARTICLES = PROLOGUE + f"""SELECT ?y (MIN(?label) AS ?name) (MIN(?class) AS ?kind) (COUNT(DISTINCT ?a) AS ?n)
WHERE {{
  GRAPH ?g {{
    ?a schema:mentions $x, ?y .
    VALUES ?class {{ {NAMED_KINDS} }}
    ?y a ?class ; rdfs:label ?label .
    FILTER(?y != $x)
  }}
}}
GROUP BY ?y
ORDER BY DESC(?n) ?name
LIMIT 40"""

# Entities taking part (actor or place) in an event with $x.
SHARED_EVENTS = PROLOGUE + f"""SELECT ?y (MIN(?label) AS ?name) (MIN(?class) AS ?kind) (COUNT(DISTINCT ?ev) AS ?n)
       (GROUP_CONCAT(DISTINCT ?evLabel; separator=", ") AS ?events)
WHERE {{
  GRAPH ?g {{
    ?ev sem:hasActor|sem:hasPlace $x .
    ?ev sem:hasActor|sem:hasPlace ?y ; rdfs:label ?evLabel .
    FILTER(?y != $x)
    ?y a ?class ; rdfs:label ?label .
    FILTER(?class IN ({NAMED_KINDS_IN}))
  }}
}}
GROUP BY ?y
ORDER BY DESC(?n) ?name
LIMIT 40"""

# -- the corpus timeline ($entity and $type only when filtered) ----------------------


def timeline(by_entity: bool, by_type: bool) -> str:
    """Events with a resolved date (an OWL-Time instant with a TIMEX3 value), in date order;
    the details of one page of them are ``TIMELINE_DETAILS``."""
    entity = "    ?ev sem:hasActor|sem:hasPlace $entity .\n" if by_entity else ""
    typ = "    ?ev a $type .\n" if by_type else ""
    return PROLOGUE + f"""SELECT ?when ?ev ?label ?g
WHERE {{
  GRAPH ?g {{
    ?t a time:Instant ; rdf:value ?when .
    ?ev sem:hasTime ?t ; rdfs:label ?label .
{entity}{typ}  }}
}}
ORDER BY ?when ?g ?ev"""


# $events: the events of one page of the timeline.
TIMELINE_DETAILS = PROLOGUE + """SELECT ?ev (MIN(?cls) AS ?class) (GROUP_CONCAT(DISTINCT ?actor; separator="; ") AS ?actors)
WHERE {
  GRAPH ?g {
    VALUES ?ev { $events }
    OPTIONAL { ?ev a ?cls . FILTER(STRSTARTS(STR(?cls), STR(kg:)) && ?cls != kg:Event) }
    OPTIONAL { ?ev sem:hasActor|sem:hasPlace ?p . ?p rdfs:label ?actor }
  }
}
GROUP BY ?ev"""


EVENT_TYPES = PROLOGUE + """SELECT ?type (COUNT(DISTINCT ?ev) AS ?n)
WHERE {
  GRAPH ?g {
    ?ev a sem:Event ; sem:hasTime/rdf:value ?when ; a ?type .
    FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event)
  }
}
GROUP BY ?type
ORDER BY ?type"""
