"""The event taxonomy (ontology/events.ttl) as a namespace; a test keeps the two in step."""
from rdflib.namespace import DefinedNamespace

from kg.rdf.vocab import KG


class KGE(DefinedNamespace):
    """Event classes of the kg ontology (subclasses of kg:Event) and their annotation."""

    _fail = True
    _NS = KG._NS

    cameoCode: str
    Statement: str
    Appeal: str
    IntentToCooperate: str
    Consultation: str
    Cooperation: str
    Aid: str
    Yield: str
    Investigation: str
    Demand: str
    Disapproval: str
    Rejection: str
    Threat: str
    Protest: str
    Coerce: str
    Assault: str
    Fight: str
    Offer: str
    Vote: str
    Election: str
    Approval: str
    Transaction: str
    Personnel: str
    Financial: str
    Production: str
    Movement: str
    LegalAction: str
    Crime: str
    Cognition: str
    Closure: str
    Start: str
    Death: str
    Injury: str
    LifeEvent: str
    Disaster: str
    Damage: str
    Contest: str
    Medical: str
    Research: str
    Performance: str
    State: str
    Occurrence: str
