"""The explorer's SPARQL. Facts articles share (an entity's names, types and roles, the
counts) are read in the store's default graph: the set union of the article graphs, each
triple once (ontology/README.md, "Querying"), so a COUNT needs no DISTINCT. What belongs to
one article (its text, mentions, events, quotations, the name it gives an entity) is
matched inside ``GRAPH`` with the graph bound (``$g``, from the summary): ``GRAPH ?g``
with ?g free makes Oxigraph visit every article graph (seconds on 2,000 articles), and
only a bound subject or object (``GRAPH ?g { ?m itsrdf:taIdentRef $x }``) finds its graphs
from an index. What a page needs about the whole store (``SUMMARY_*`` and the others
kg.web.summary runs) is computed once per store state; pages list them too, as the
queries that define what they show.

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
         str(KG.amount): "how much",
         PREFIXES["sem"] + "hasPlace": "where", PREFIXES["sem"] + "hasTime": "when",
         PREFIXES["sem"] + "hasActor": "with"}
ROLES_IN = " ".join(f"<{iri}>" for iri in ROLES)
# The roles an entity has in an event (sem:hasTime is the event's time, not a participant).
ENTITY_ROLES_IN = ", ".join(f"<{iri}>" for iri in ROLES if iri not in (PREFIXES["sem"] + "hasTime", str(KG.amount)))
RDFS_LABEL = PREFIXES["rdfs"] + "label"


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def bind(sparql: str, **values) -> str:
    """``sparql`` with each ``$name`` replaced by ``values[name]`` as an escaped term, or a
    list of them separated by spaces (for ``VALUES ?v { $name }``), or a list of tuples of
    them (for ``VALUES (?v ?w) { $name }``)."""
    def one(name: str, t) -> str:
        if not isinstance(t, (ox.NamedNode, ox.Literal)):
            raise TypeError(f"${name}: not an RDF term: {t!r}")
        return str(t)

    def term(m: re.Match) -> str:
        name = m.group(1)
        value = values[name]  # a KeyError here is a bug: a parameter without a value
        if not isinstance(value, list):
            return one(name, value)
        return " ".join("(" + " ".join(one(name, t) for t in v) + ")" if isinstance(v, tuple) else one(name, v)
                        for v in value)
    return _PARAM.sub(term, sparql)


# Query shapes follow what Oxigraph plans well (measured on the 60-article MEANTIME build
# and a 2,040-article one): a bound IRI or graph first, then FILTER(?p IN (...)) rather
# than VALUES beside it; VALUES of the classes first where no IRI is bound; no OPTIONAL
# that joins a large pattern (the details of a page's rows are a second query over just
# those rows). Bulk answers are packed in one GROUP_CONCAT string (kg.web.summary.unpack):
# pyoxigraph builds a Python object per solution and term, tens of microseconds each.




def page(limit: int, offset: int) -> str:
    return f"\nLIMIT {int(limit)} OFFSET {int(offset)}"


# -- the summary (kg.web.summary): once per store state -----------------------------------

# DISTINCT only for a store built by an older kg, whose default graph is Oxigraph's union
# (a bag: kg.store.embedded); the summary's other queries are sets for the same reason.
COUNTS = PROLOGUE + """SELECT ?class (COUNT(DISTINCT ?x) AS ?n)
WHERE {
  VALUES ?class { schema:NewsArticle kg:Person kg:Organization kg:Place sem:Event kg:Quotation }
  ?x a ?class .
}
GROUP BY ?class"""

# Each article graph's article; the home page's order.
SUMMARY_ARTICLES = PROLOGUE + """SELECT ?g ?a ?id ?headline ?date
WHERE {
  GRAPH ?g {
    ?a a schema:NewsArticle ; schema:identifier ?id .
    OPTIONAL { ?a schema:headline ?headline }
    OPTIONAL { ?a schema:datePublished ?date }
  }
}
ORDER BY DESC(?date) ?id"""
ARTICLES = SUMMARY_ARTICLES  # + page(...): one page of them

NAMED_ENTITIES = PROLOGUE + f"""SELECT ?x (GROUP_CONCAT(STR(?class); separator=" ") AS ?classes)
WHERE {{
  VALUES ?class {{ {NAMED_KINDS} }}
  ?x a ?class .
}}
GROUP BY ?x"""

# Each named entity's number of mentions.
ENTITY_MENTION_COUNTS = PROLOGUE + f"""SELECT ?x (COUNT(DISTINCT ?m) AS ?n)
WHERE {{
  VALUES ?class {{ {NAMED_KINDS} }}
  ?x a ?class .
  ?m itsrdf:taIdentRef ?x .
}}
GROUP BY ?x"""

# The article graphs describing each named entity: those mentioning it (an article graph
# describes the entities it mentions, and only those).
ENTITY_GRAPHS = PROLOGUE + f"""SELECT ?x (GROUP_CONCAT(STR(?g); separator=" ") AS ?graphs)
WHERE {{
  GRAPH ?g {{
    VALUES ?class {{ {NAMED_KINDS} }}
    ?x a ?class .
  }}
}}
GROUP BY ?x"""

# The articles whose schema:mentions name each named entity (for "appears with").
ENTITY_ARTICLES = PROLOGUE + f"""SELECT ?x (GROUP_CONCAT(DISTINCT STR(?a); separator=" ") AS ?articles)
WHERE {{
  VALUES ?class {{ {NAMED_KINDS} }}
  ?x a ?class .
  ?a schema:mentions ?x .
}}
GROUP BY ?x"""

# Each name (label or alias) of each named entity, with the article graphs that give it.
ENTITY_NAMES = PROLOGUE + f"""SELECT ?x ?p ?n (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?graphs)
WHERE {{
  VALUES ?class {{ {NAMED_KINDS} }}
  ?x a ?class ; ?p ?n .
  FILTER(?p IN (rdfs:label, skos:altLabel))
  GRAPH ?g {{ ?x ?p ?n }}
}}
GROUP BY ?x ?p ?n"""

# The events each named entity takes part in as an actor or a place.
PARTICIPANTS = PROLOGUE + f"""SELECT ?x (GROUP_CONCAT(STR(?ev); separator=" ") AS ?events)
WHERE {{
  VALUES ?class {{ {NAMED_KINDS} }}
  ?x a ?class .
  ?ev sem:hasActor|sem:hasPlace ?x .
}}
GROUP BY ?x"""

# Events with a resolved date (an OWL-Time instant with a TIMEX3 value): "event graph
# when label" (the last two percent-encoded); the timeline's rows.
SUMMARY_TIMELINE = PROLOGUE + """SELECT (GROUP_CONCAT(CONCAT(STR(?ev), " ", STR(?g), " ", ENCODE_FOR_URI(STR(?when)), " ", ENCODE_FOR_URI(STR(?label))); separator=" ") AS ?rows)
WHERE {
  ?t a time:Instant ; rdf:value ?when .
  GRAPH ?g { ?ev sem:hasTime ?t ; rdfs:label ?label . }
}"""

# The events with a dated time by type (kg: types, and sem:Event: EVENT_TYPES counts the
# events of both; a join on sem:Event itself costs Oxigraph seconds).
DATED_EVENT_TYPES = PROLOGUE + """SELECT ?type (GROUP_CONCAT(DISTINCT STR(?ev); separator=" ") AS ?events)
WHERE {
  ?t rdf:value ?when .
  ?ev sem:hasTime ?t ; a ?type .
  FILTER(?type = sem:Event || (STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event))
}
GROUP BY ?type"""

EVENT_TYPES = PROLOGUE + """SELECT ?type (GROUP_CONCAT(STR(?ev); separator=" ") AS ?events)
WHERE {
  ?t a time:Instant ; rdf:value ?when .
  ?ev sem:hasTime ?t ; a ?type .
  FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event)
}
GROUP BY ?type"""

EVENT_TYPES = PROLOGUE + """SELECT ?type (COUNT(DISTINCT ?ev) AS ?n)
WHERE {
  ?ev a sem:Event ; sem:hasTime/rdf:value ?when ; a ?type .
  FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event)
}
GROUP BY ?type
ORDER BY ?type"""

# -- home, search: what the summary gives, as one query each ------------------------------

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

# $q: the search words; $kind (only in SEARCH_KIND): the kind wanted. ?articles: the
# articles that use a matching name.
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

# -- one article ($a and its graph $g bound) -----------------------------------------------

ARTICLE = PROLOGUE + """SELECT ?id ?headline ?date ?url ?publisher ?credit ?text ?hash ?build
WHERE {
  GRAPH $g {
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
  GRAPH $g {
    $a a schema:NewsArticle ; prov:wasGeneratedBy ?build .
    ?build ?p ?o .
  }
}
ORDER BY ?p ?o"""

MENTIONS = PROLOGUE + f"""SELECT ?b ?e ?x ?label ?class
WHERE {{
  GRAPH $g {{
    ?ctx nif:sourceUrl $a .
    ?m nif:referenceContext ?ctx ; nif:beginIndex ?b ; nif:endIndex ?e ; itsrdf:taIdentRef ?x .
    OPTIONAL {{ ?x rdfs:label ?label }}
    OPTIONAL {{ ?x a ?class . FILTER(?class IN ({ALL_CLASSES_IN})) }}
  }}
}}
ORDER BY ?b DESC(?e)"""

ARTICLE_EVENTS = PROLOGUE + """SELECT ?ev ?label ?negated
WHERE {
  GRAPH $g {
    $a schema:mentions ?ev .
    ?ev a sem:Event ; rdfs:label ?label .
    OPTIONAL { ?ev kg:negated ?negated }
  }
}"""

ARTICLE_EVENT_ROLES = PROLOGUE + f"""SELECT ?ev ?role ?x ?xlabel ?value
WHERE {{
  GRAPH $g {{
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
  GRAPH $g {
    $a schema:mentions ?ev .
    ?ev a sem:Event, ?type .
    FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event)
  }
}"""

ARTICLE_QUOTES = PROLOGUE + """SELECT ?q ?text ?direct ?cue ?b ?speaker ?speakerName
WHERE {
  GRAPH $g {
    ?q schema:isPartOf $a .
    ?q a kg:Quotation ; schema:text ?text .
    OPTIONAL { ?q kg:isDirect ?direct }
    OPTIONAL { ?q kg:cueVerb ?cue }
    OPTIONAL { ?q nif:beginIndex ?b }
    OPTIONAL { ?q schema:creator ?speaker . OPTIONAL { ?speaker rdfs:label ?speakerName } }
  }
}
ORDER BY ?b ?q"""

# -- one entity ($x bound) -----------------------------------------------------------------

ENTITY = PROLOGUE + """SELECT DISTINCT ?p ?o
WHERE {
  VALUES ?p { rdf:type rdfs:label skos:altLabel schema:name owl:sameAs kg:countryCode
              schema:nationality schema:latitude schema:longitude rdf:value kg:lemma }
  { $x ?p ?o } UNION { $x schema:geo ?geo . ?geo ?p ?o }
}
ORDER BY ?p ?o"""

# The positions first (in the default graph: a position is one article's), then each in
# its own graph: the name of the place or body is the one that article gives.
POSITIONS = PROLOGUE + """SELECT DISTINCT ?title ?former ?in ?inName ?a ?id
WHERE {
  $x kg:holdsPosition ?pos .
  GRAPH ?g {
    ?pos kg:positionTitle ?title ; prov:wasDerivedFrom ?a .
    ?a schema:identifier ?id .
    OPTIONAL { ?pos kg:former ?former }
    OPTIONAL { ?pos kg:positionIn ?in . OPTIONAL { ?in rdfs:label ?inName } }
  }
}
ORDER BY ?title ?inName ?id"""

# Every mention of $x (what the page shows: their number, their articles, and the words
# around the first ones of a page of articles: MENTION_SPANS).
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

# The number of mentions of $x and the graphs holding them (an entity outside the summary).
MENTION_GRAPHS = PROLOGUE + """SELECT (COUNT(?m) AS ?n) (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?graphs)
WHERE { GRAPH ?g { ?m itsrdf:taIdentRef $x } }"""

# $graphs: the graphs of a page of articles.
MENTION_SPANS = PROLOGUE + """SELECT (GROUP_CONCAT(CONCAT(STR(?g), " ", STR(?b), " ", STR(?e)); separator=" ") AS ?rows)
WHERE {
  VALUES ?g { $graphs }
  GRAPH ?g { ?m itsrdf:taIdentRef $x ; nif:beginIndex ?b ; nif:endIndex ?e }
}"""

TEXTS = PROLOGUE + """SELECT ?g ?text
WHERE {
  VALUES ?g { $graphs }
  GRAPH ?g { ?ctx nif:sourceUrl ?a ; nif:isString ?text }
}"""

# What the page shows of $x's events (every event has a label: kg.rdf.mapping): from
# ENTITY_EVENT_ROLES, then the details of one page of them (EVENT_LABELS,
# ENTITY_EVENT_TYPES, ENTITY_EVENT_OTHERS).
ENTITY_EVENTS = PROLOGUE + f"""SELECT ?ev ?label ?role ?when ?g
WHERE {{
  GRAPH ?g {{
    ?ev ?role $x .
    FILTER(?role IN ({ENTITY_ROLES_IN}))
    ?ev rdfs:label ?label .
    OPTIONAL {{ ?ev sem:hasTime ?t . ?t a time:Instant ; rdf:value ?when }}
  }}
}}"""

# The events in which $x has each role (in the default graph: an event is one article's,
# its graph follows from its IRI: kg.web.summary.Summary.graph_of_event).
ENTITY_EVENT_ROLES = PROLOGUE + f"""SELECT ?role (GROUP_CONCAT(STR(?ev); separator=" ") AS ?events)
WHERE {{
  ?ev ?role $x .
  FILTER(?role IN ({ENTITY_ROLES_IN}))
}}
GROUP BY ?role"""

# $events: one page of the events of $x (a named entity: the summary lists its events).
ENTITY_PAGE_ROLES = PROLOGUE + f"""SELECT ?ev ?role
WHERE {{
  VALUES ?ev {{ $events }}
  ?ev ?role $x .
  FILTER(?role IN ({ENTITY_ROLES_IN}))
}}"""

# $events: the events $x shares with others ("event label" packed, the label percent-encoded).
SHARED_EVENT_LABELS = PROLOGUE + """SELECT (GROUP_CONCAT(CONCAT(STR(?ev), " ", ENCODE_FOR_URI(?label)); separator=" ") AS ?rows)
WHERE {
  VALUES ?ev { $events }
  ?ev rdfs:label ?label .
}"""

# $events: one page of events.
EVENT_LABELS = PROLOGUE + """SELECT ?ev ?label
WHERE {
  VALUES ?ev { $events }
  ?ev rdfs:label ?label .
}"""

# $events: one page of events.
ENTITY_EVENT_TYPES = PROLOGUE + """SELECT ?ev ?type
WHERE {
  VALUES ?ev { $events }
  ?ev sem:hasActor|sem:hasPlace $x .
  ?ev a ?type .
  FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event)
}"""

# The others taking part in each of the events of $x (their names in the event's article).
ENTITY_EVENT_OTHERS = PROLOGUE + """SELECT ?ev (GROUP_CONCAT(DISTINCT ?other; separator="; ") AS ?with)
WHERE {
  VALUES (?ev ?g) { $events }
  GRAPH ?g {
    ?ev sem:hasActor|sem:hasPlace $x .
    ?ev sem:hasActor|sem:hasPlace ?o .
    FILTER(?o != $x)
    ?o rdfs:label ?other .
  }
}
GROUP BY ?ev"""

# The article graphs holding quotations of $x and how many each holds: the page picks the
# graphs of one page of quotations (article order) before reading their texts.
QUOTE_GRAPHS = PROLOGUE + """SELECT ?g (COUNT(?q) AS ?n)
WHERE { GRAPH ?g { ?q schema:creator $x } }
GROUP BY ?g"""

# $graphs: the article graphs of one page of quotations. Their fields as rows (no OPTIONAL:
# joined to every quotation of a big entity it took 60 ms); the page pivots and sorts them.
ENTITY_QUOTES = PROLOGUE + """SELECT ?g ?q ?p ?o
WHERE {
  VALUES ?g { $graphs }
  GRAPH ?g {
    ?q schema:creator $x ; ?p ?o .
    FILTER(?p IN (schema:text, schema:isPartOf, kg:isDirect, nif:beginIndex))
  }
}"""

# The articles mentioning $x (schema:mentions links an article to each entity).
MENTIONED_BY = PROLOGUE + """SELECT (GROUP_CONCAT(STR(?a); separator=" ") AS ?articles)
WHERE { ?a schema:mentions $x }"""

# Entities sharing an article with $x.
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
    """Events with a resolved date (an OWL-Time instant with a TIMEX3 value), in date order
    (the summary's SUMMARY_TIMELINE, filtered); the details of one page of them are
    ``TIMELINE_DETAILS``."""
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


# The events of $entity as actor or place (an entity outside the summary).
EVENTS_WITH = PROLOGUE + """SELECT (GROUP_CONCAT(STR(?ev); separator=" ") AS ?events)
WHERE { ?ev sem:hasActor|sem:hasPlace $entity }"""

# $events: the events of one page of the timeline (their classes: the summary's
# DATED_EVENT_TYPES; their actors: TIMELINE_ACTORS).
TIMELINE_DETAILS = PROLOGUE + """SELECT ?ev (MIN(?cls) AS ?class) (GROUP_CONCAT(DISTINCT ?actor; separator="; ") AS ?actors)
WHERE {
  GRAPH ?g {
    VALUES ?ev { $events }
    OPTIONAL { ?ev a ?cls . FILTER(STRSTARTS(STR(?cls), STR(kg:)) && ?cls != kg:Event) }
    OPTIONAL { ?ev sem:hasActor|sem:hasPlace ?p . ?p rdfs:label ?actor }
  }
}
GROUP BY ?ev"""

# $events: (event, graph) pairs; the names of the actors and places as the event's article
# gives them.
TIMELINE_ACTORS = PROLOGUE + """SELECT ?ev (GROUP_CONCAT(DISTINCT ?actor; separator="; ") AS ?actors)
WHERE {
  VALUES (?ev ?g) { $events }
  GRAPH ?g { ?ev sem:hasActor|sem:hasPlace ?p . ?p rdfs:label ?actor }
}
GROUP BY ?ev"""
