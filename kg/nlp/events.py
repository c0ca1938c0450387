"""Events and their participants, from the dependency parse.

Verbal events are content verbs; nominal events are event nouns of the lexicon
(kg/nlp/lexicons/events.py). Roles follow PropBank's numbered arguments as the parse shows
them (Clear style labels, as spaCy's English models use):

    agent      nsubj of an active verb, the "by" phrase of a passive, a possessor or
               compound of an event noun ("Putin's offer", "Senate vote")
    patient    dobj, nsubjpass, the "of" phrase of an event noun
    recipient  dative, or the "to" phrase of a verb of giving
    actor      "between X and Y", "with X" of an event noun (co-participants)
    place      "in / at / near" + a place, or a place compound ("the Helsinki summit")
    time       a time expression attached to the event word

Controlled verbs inherit their controller ("Putin offered to permit" -> Putin permits;
"allow the Kremlin to interrogate" -> the Kremlin interrogates), conjoined verbs share a
subject they lack, and an event that is an argument is linked as an event (a rejection
whose theme is an offer). Mentions of one nominal event in an article ("a joint press
conference" ... "the press conference with Putin") are one event. A copula or "have" as
the main verb and a predicative adjective are State events (TimeML STATE). A participle
clause, a conjoined verb and the event-noun object of a support verb share the time and
place of the verb they depend on. Tests: tests/test_events_quotes.py,
tests/test_event_phenomena.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.records import (LAW, NORP, ORG, PERSON, PLACE, PRODUCT, UNNAMED, VALUE_KINDS, WORK_OF_ART, EntityRecord,
                        EventRecord, Mention, Role)
from kg.nlp.lexicons.dependencies import (ACL, ADVCL, ADVMOD, AGENT, AMOD, APPOS, CC, CCOMP, COMPOUND, CONJ,
                                          DATIVE, DET, DOBJ, NEG, NMOD, NPADVMOD, NUMMOD, PCOMP, POBJ, POSS,
                                          PREP, PUNCT, RELCL, ROOT, TMOD, XCOMP)
from kg.nlp.lexicons.events import (AUXILIARY_DEPS, CONVERSION_NOUN_EXCLUDED, COPULAR_VERBS, COUNT_WORDS,
                                    EVENT_NOUN_SUFFIXES, GIVING_VERBS, GROUP_NOUNS, IMPACT_VERBS, LOCATED_CLASSES,
                                    NOMINAL_SUFFIXES, NON_EVENT_NOUNS, NOUN_CLASS, NOUN_PREP_ROLES,
                                    OBJECT_CONTROL_VERBS, OBJECT_DEPS, PASSIVE_AUX_DEPS, PASSIVE_SUBJECT_DEPS,
                                    PLACE_PREPS, PREDICATIVE_DEPS, PREPOSITIONAL_DEPS, RECIPIENT_CLASSES,
                                    RECIPIENT_PREPS, RELATIVE_TAGS, SOURCE_AGENT_CLASSES, SUBJECT_DEPS, SUPPORT_VERBS,
                                    VERB_CLASS, VERB_FORM_CLASSES, WITH_ACTOR_CLASSES)
from kg.nlp.spans import Columns, MentionIndex

# Dependency labels by which a time expression attached to the event word is its time.
TIME_DEPS = (NPADVMOD, POBJ, TMOD, ADVMOD, NUMMOD, COMPOUND, APPOS, NMOD)


@Language.factory(
    "kg_events",
    default_config={"max_name_tokens": 8, "deverbal_nouns": True, "min_deverbal_chars": 6, "min_stem_chars": 3},
    requires=["doc._.kg_entities", "doc._.kg_times", "token.tag", "token.dep", "token.head", "token.lemma"],
    # Participants described without a name become entities of this article (kind
    # UNNAMED), added to doc._.kg_entities.
    assigns=["doc._.kg_events", "doc._.kg_entities"],
)
def make_events(nlp: Language, name: str, max_name_tokens: int, deverbal_nouns: bool,
                min_deverbal_chars: int, min_stem_chars: int):
    """max_name_tokens: words inside an entity mention of at most this many tokens are
    never events (longer spans are the model's run-ons). deverbal_nouns: an unlisted noun
    with a nominal suffix is an event when its stem is a verb of the pipeline's lemmatizer;
    min_deverbal_chars / min_stem_chars: how long that noun and its stem must be."""
    verbs = verb_lemmas(nlp) if deverbal_nouns else frozenset()
    return EventFinder(Nominalisations(verbs, min_deverbal_chars, min_stem_chars), max_name_tokens)


def verb_lemmas(nlp: Language) -> frozenset:
    """Verb lemmas of the pipeline's lemmatizer index (WordNet's verbs in spaCy's English
    pipelines); empty when the pipeline has none, and then only listed nouns count."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return frozenset(table["verb"])
    except (KeyError, ValueError, AttributeError):
        return frozenset()


@dataclass(frozen=True)
class Nominalisations:
    """Which unlisted nouns are nominalisations of a verb ("decision", "closure",
    "reduction", "filing"): the noun minus a nominal suffix is one of ``verbs`` (WordNet's
    verb list, which spaCy's English lemmatizer ships)."""
    verbs: frozenset = frozenset()
    min_chars: int = 6
    min_stem_chars: int = 3

    def __call__(self, lemma: str) -> bool:
        if not lemma.endswith(EVENT_NOUN_SUFFIXES) or len(lemma) < self.min_chars:
            return False
        for suffix, repls in NOMINAL_SUFFIXES:
            if lemma.endswith(suffix) and len(lemma) - len(suffix) >= self.min_stem_chars:
                stem = lemma[: -len(suffix)]
                if any(stem + r in self.verbs for r in repls):
                    return True
                # A final consonant doubled before the suffix: stabbing -> stab, bidding -> bid.
                if suffix == "ing" and len(stem) > self.min_stem_chars and stem[-1] == stem[-2] \
                        and stem[-1] not in "aeiou" and stem[:-1] in self.verbs:
                    return True
        return False


class EventFinder:
    """Writes ``doc._.kg_events``."""

    def __init__(self, deverbal: Nominalisations = Nominalisations(), max_name_tokens: int = 8):
        self.deverbal = deverbal
        self.max_name_tokens = max_name_tokens

    def __call__(self, doc: Doc) -> Doc:
        ents = doc._.kg_entities
        if ents is None:
            ents = doc._.kg_entities = []
        times = doc._.kg_times or []
        ent_index, time_index = MentionIndex.of(ents), MentionIndex.of(times)
        kinds = {e.id: e.kind for e in ents}
        excluded = _excluded_tokens(doc, ents, self.max_name_tokens)
        # The rules read the tokens' attributes from spaCy's arrays (Columns), by index:
        # making a Token for each read cost more than the rules.
        col = Columns(doc)
        pos, dep, head = col.pos, col.dep, col.head
        negated = {head[i] for i, d in enumerate(dep) if d == NEG and head[i] != i}
        # Verbs, nouns, a copula and a predicative adjective can be events (_event_class).
        classes = {i: c for i, p in enumerate(pos) if p in EVENT_POS and i not in excluded
                   and (c := _event_class(col, i, self.deverbal))}
        for i, (cls, label) in classes.items():  # "the quake struck": the disaster striking
            if label in IMPACT_VERBS and pos[i] == "VERB":
                subjects = [head[i] if col.tag[c] in RELATIVE_TAGS and dep[i] == RELCL else c
                            for c in col.kids[i] if dep[c] in SUBJECT_DEPS]  # "the storm that hit"
                if any(classes.get(c, ("",))[0] == "Disaster" for c in subjects):
                    classes[i] = ("Disaster", label)
        by_token: dict[int, EventRecord] = {}
        for i, (cls, label) in classes.items():
            start, end = _extent(col, i)
            by_token[i] = EventRecord(id="", type=cls, lemma=col.lemma[i], label=label,
                                      mentions=[Mention(start, end, col.text[start:end])], negated=i in negated)
        ctx = _Context(col, by_token, ent_index, time_index, kinds, ents)
        ctx.time_kinds = {t.id: t.kind for t in times}
        for i, ev in by_token.items():
            ctx.arguments(i, ev)
        _share_setting(col, by_token)
        values = {t.id: t.value or t.id for t in times}
        events = _merge_nominal(col, by_token, values)
        events.sort(key=lambda e: (e.mentions[0].start, e.mentions[0].end))
        ids = {id(e): f"v{i}" for i, e in enumerate(events)}
        for e in events:
            e.id = ids[id(e)]
        for e in events:  # event arguments were recorded by object; now by id
            e.roles = _dedupe([Role(r.role, r.target if isinstance(r.target, str) else ids[id(r.target)], r.target_kind)
                               for r in e.roles if isinstance(r.target, str) or id(r.target) in ids])
        doc._.kg_events = events
        return doc


# Parts of speech that can mention an event.
EVENT_POS = ("VERB", "NOUN", "AUX", "ADJ")


def _event_class(col: Columns, i: int, deverbal: Nominalisations) -> tuple[str, str] | None:
    lemma, pos = col.lemma[i], col.pos[i]
    if pos == "AUX":  # a copula or "have" as the main verb, not an auxiliary of another verb
        if lemma in ("be", "have") and col.dep[i] not in AUXILIARY_DEPS:
            return "State", lemma
        return None
    if pos == "ADJ":  # a predicative adjective: "is profitable", "was willing"
        return ("State", lemma) if col.dep[i] in PREDICATIVE_DEPS and lemma.isalpha() else None
    if pos == "VERB":
        if not lemma.isalpha() or col.dep[i] in PREPOSITIONAL_DEPS or col.dep[i] in AUXILIARY_DEPS:
            return None
        # A participle used as an adjective ("existing rules", "the ageing fleet") is a
        # property of its noun; only a listed event verb ("the proposed deal") stays.
        if col.dep[i] == AMOD and col.tag[i] in ("VBG", "VBN") and lemma not in VERB_CLASS:
            return None
        if lemma not in VERB_CLASS and lemma + "e" in VERB_CLASS and col.lower[i].startswith(lemma + "e"):
            lemma += "e"  # "fined" -> "fin": the lemmatiser dropped the stem's final "e"
        return VERB_FORM_CLASSES.get(col.lower[i]) or VERB_CLASS.get(lemma, "Occurrence"), lemma
    if _headline_verb(col, i):
        return VERB_CLASS[lemma], lemma
    if pos == "NOUN":
        if lemma in NON_EVENT_NOUNS:
            return None
        compound = " ".join(col.lemma[c] for c in col.lefts(i) if col.dep[c] == COMPOUND) + " " + lemma
        compound = compound.strip()
        if compound in NOUN_CLASS:
            return NOUN_CLASS[compound], compound
        lower = col.lower[i]
        if lemma in NOUN_CLASS or lower in NOUN_CLASS:
            return NOUN_CLASS.get(lemma) or NOUN_CLASS[lower], lemma
        # An unlisted nominalisation modifying another noun names a domain, not an event:
        # "finance minister", "opposition lawmakers", "confidence vote".
        if col.dep[i] == COMPOUND:
            return None
        if deverbal(lemma):
            return "Occurrence", lemma
        if lemma in VERB_CLASS and lemma not in CONVERSION_NOUN_EXCLUDED and col.tag[i] in ("NN", "NNS"):
            return VERB_CLASS[lemma], lemma
    return None


def _headline_verb(col: Columns, i: int) -> bool:
    """Headline present tense the tagger took for a plural noun: "Trump rejects offer",
    "GM cuts jobs" (a root NNS whose lemma is a listed verb and whose compound is a name)."""
    return (col.tag[i] == "NNS" and col.dep[i] == ROOT and col.lemma[i] in VERB_CLASS
            and col.lemma[i] not in NOUN_CLASS
            and any(col.dep[c] == COMPOUND and col.pos[c] == "PROPN" for c in col.kids[i]))


def _extent(col: Columns, i: int) -> tuple[int, int]:
    """The event word; for a listed compound noun ("press conference") the compound."""
    start = col.idx[i]
    if col.pos[i] == "NOUN":
        comp = [c for c in col.lefts(i) if col.dep[c] == COMPOUND and col.pos[c] == "NOUN"]
        if comp and " ".join(col.lemma[c] for c in comp) + " " + col.lemma[i] in NOUN_CLASS:
            start = col.idx[comp[0]]
    return start, col.end[i]


def _excluded_tokens(doc: Doc, ents, max_tokens: int) -> set[int]:
    """Tokens inside names ("the Joint Strike Fighter program" stays an entity)."""
    out = set()
    for e in ents:
        if e.kind in (PERSON, ORG, PLACE, PRODUCT, WORK_OF_ART, LAW, NORP):
            for m in e.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and len(span) <= max_tokens:
                    out.update(range(span.start, span.end))
    return out


class _Context:
    """One doc's events being read; tokens are indices into ``col`` (Columns)."""

    def __init__(self, col: Columns, by_token, ent_index, time_index, kinds, ents):
        self.col, self.by_token = col, by_token
        self.ent_index, self.time_index, self.kinds = ent_index, time_index, kinds
        self.ents = ents
        self.unnamed_ids: dict[int, str] = {}
        self.by_id: dict[str, EntityRecord] = {}

    # Targets -----------------------------------------------------------------------
    def entity(self, i: int) -> str | None:
        return self.ent_index.at(self.col.idx[i], self.col.end[i])

    def targets(self, i: int, describe: bool = True) -> list:
        """Entity ids or event records an argument head stands for; with ``describe``
        off, a common noun that is neither yields nothing (no unnamed entity)."""
        col = self.col
        pos = col.pos[i]
        if i in self.by_token and pos == "NOUN":
            return [self.by_token[i]]
        if col.tag[i] in RELATIVE_TAGS and col.dep[col.head[i]] == RELCL:
            # "the bill, which was drafted by ...": the noun the relative clause modifies;
            # the pronoun is a mention of it (as ACE and MEANTIME annotate relative pronouns).
            out = self.targets(col.head[col.head[i]], describe)
            for t in out:
                if isinstance(t, str):
                    self._mention(t, i)
            return out
        eid = self.entity(i)
        if eid is None and pos == "NOUN":
            # "The national secretary of the union, Doug Cameron, says": the name in
            # apposition is who the description is (ACE and MEANTIME link appositives).
            eid = next((e for c in col.kids[i] if col.dep[c] == APPOS and c > i and col.pos[c] == "PROPN"
                        and (e := self.entity(c)) and self.kinds.get(e) in (PERSON, ORG)), None)
        out = [eid] if eid else []
        if not out and pos in ("NOUN", "PROPN"):
            group = self._group(i)
            if group:
                return group
            # "GM's workers", "Airbus engineers": the organisation modifying the head noun.
            # A place there ("Texas police", "Kenya's president") says where they are from:
            # the participant is the people described, an unnamed entity, not the place.
            for c in col.kids[i]:
                if col.dep[c] in (COMPOUND, POSS, NMOD) and (cid := self.entity(c)) \
                        and self.kinds.get(cid) != PLACE:
                    out.append(cid)
                    break
            if not out and pos == "NOUN" and describe and self.time(i) is None:
                out.append(self.unnamed(i))
        for c in col.kids[i]:  # conjoined arguments
            if col.dep[c] == CONJ:
                out += self.targets(c, describe)
        return out

    def _mention(self, eid: str, i: int) -> None:
        """Token i also mentions entity eid."""
        rec = self.by_id.get(eid) or next(e for e in self.ents if e.id == eid)
        self.by_id[eid] = rec
        start, end = self.col.idx[i], self.col.end[i]
        if not any(m.start == start and m.end == end for m in rec.mentions):
            rec.mentions.append(Mention(start, end, self.col.text[start:end]))
            rec.mentions.sort(key=lambda m: (m.start, m.end))

    def _group(self, i: int) -> list[str]:
        """'the two leaders' -> the two people named last before it."""
        col = self.col
        if col.lower[i] not in GROUP_NOUNS:
            return []
        n = next((COUNT_WORDS[col.lower[c]] for c in col.kids[i] if col.lower[c] in COUNT_WORDS), None)
        if n is None:
            return []
        seen: list[str] = []
        before = sorted(((m.start, e.id) for e in self.ents if e.kind == PERSON for m in e.mentions
                         if m.end <= col.idx[i]), reverse=True)
        for _, eid in before:
            if eid not in seen:
                seen.append(eid)
            if len(seen) == n:
                return seen
        return []

    def unnamed(self, i: int) -> str:
        """A participant the text describes without naming it ("10,000 jobs", "the
        plant"): an entity of this article only, labelled with the noun phrase up to
        its head and mentioned at its head (_anchor)."""
        if i in self.unnamed_ids:
            return self.unnamed_ids[i]
        col = self.col
        left = min([t for c in col.lefts(i) if col.dep[c] not in (PUNCT, CC) for t in col.subtree(c)] + [i])
        while left < i and (self.time(left) or col.punct[left]):
            left += 1  # a time inside the phrase keeps its own mention
        words = [t for t in range(left, i + 1) if col.dep[t] != DET or t != left]
        label = " ".join(col.words(t) for t in words) if words else col.words(i)
        start, end = col.idx[self._anchor(left, i)], col.end[i]
        rec = EntityRecord(id=f"e{len(self.ents)}", kind=UNNAMED, label=label, key="",
                           mentions=[Mention(start, end, col.text[start:end])])
        self.ents.append(rec)
        self.kinds[rec.id] = UNNAMED
        self.unnamed_ids[i] = rec.id
        return rec.id

    def _anchor(self, left: int, head: int) -> int:
        """Where the mention of a described participant starts: at its head noun, with
        the common nouns compounded onto it and a possessor that is a common noun
        ("Russian officials", "the Berlin-based artist", "Their car workers", "the
        companies' names" -> "officials", "artist", "car workers", "companies' names").
        The mention is the phrase's head (ACE's mention head); the label keeps the whole
        description. Names inside the phrase have mentions of their own, and determiners,
        numbers and adjectives ("Their", "Two", "American") describe the thing, they do
        not name it. See ontology/README.md, "Events and roles"."""
        col = self.col
        start = self._compounded(head, left)
        for c in col.lefts(head):
            if col.dep[c] == POSS and col.pos[c] == "NOUN" and c >= left and not self._in_name(c):
                start = min(start, self._compounded(c, left))
        return start

    def _compounded(self, i: int, left: int) -> int:
        """The first of the common nouns compounded onto token i ("car workers")."""
        col = self.col
        while i > left:
            t = i - 1
            if col.dep[t] != COMPOUND or col.pos[t] != "NOUN" or self._in_name(t):
                break
            i -= 1
        return i

    def _in_name(self, i: int) -> bool:
        eid = self.entity(i)
        return bool(eid) and self.kinds.get(eid) not in VALUE_KINDS

    def time(self, i: int) -> str | None:
        return self.time_index.at(self.col.idx[i], self.col.end[i])

    # Roles -------------------------------------------------------------------------
    def arguments(self, i: int, ev: EventRecord) -> None:
        col = self.col
        if _headline_verb(col, i):
            for c in col.kids[i]:
                if col.dep[c] == COMPOUND:
                    self._add(ev, "agent", c)
                elif col.dep[c] in (APPOS, DOBJ):
                    self._add(ev, "patient", c)
        elif col.pos[i] in ("VERB", "AUX"):
            self._verbal(i, ev)
        elif col.pos[i] == "ADJ":  # a predicative adjective describes its copula's subject
            for c in col.kids[col.head[i]]:
                if col.dep[c] in SUBJECT_DEPS:
                    self._add(ev, "patient", c)
        else:
            self._nominal(i, ev)
        # Times and places among the event word's children and their prepositions.
        for c in col.kids[i]:
            self._adjunct(c, ev)
            if col.dep[c] == PREP:
                for g in col.objects(c):
                    self._adjunct(g, ev, prep=col.lower[c])
        if not ev.places and col.pos[i] == "VERB":
            # The parser often hangs the event's place on its object: "arrested a man in Dallas".
            for c in col.kids[i]:
                if col.dep[c] == DOBJ and not self.entity(c):
                    for p in col.kids[c]:
                        if col.dep[p] == PREP and col.lower[p] == "in":
                            for g in col.objects(p):
                                self._adjunct(g, ev, prep="in")

    def _adjunct(self, i: int, ev: EventRecord, prep: str | None = None) -> None:
        tid = self.time(i)
        if tid and self.time_kinds.get(tid) in ("DATE", "TIME") and tid not in ev.times and self.col.dep[i] in TIME_DEPS:
            ev.times.append(tid)
            return
        eid = self.entity(i)
        if eid and self.kinds.get(eid) == PLACE and (prep in PLACE_PREPS or self.col.dep[i] == COMPOUND) \
                and eid not in ev.places:
            ev.places.append(eid)
        elif not eid and prep in PLACE_PREPS and prep != "from" and not ev.places:
            # "at a school in Texas", "outside a bar in Leeds": the place of the place.
            col = self.col
            for c in col.kids[i]:
                if col.dep[c] == PREP and col.lower[c] in ("in", "near"):
                    for g in col.objects(c):
                        pid = self.entity(g)
                        if pid and self.kinds.get(pid) == PLACE and pid not in ev.places:
                            ev.places.append(pid)

    def _verbal(self, i: int, ev: EventRecord) -> None:
        col = self.col
        dep = col.dep
        subj = [c for c in col.kids[i] if dep[c] in SUBJECT_DEPS]
        psubj = [c for c in col.kids[i] if dep[c] in PASSIVE_SUBJECT_DEPS]
        copula = ev.lemma in COPULAR_VERBS
        for c in subj:
            self._add(ev, "patient" if copula else "agent", c)
        for c in psubj:
            self._add(ev, "patient", c)
        for c in col.kids[i]:
            if dep[c] in OBJECT_DEPS and not copula:
                self._add(ev, "patient", c)
            elif dep[c] == DATIVE:
                self._add(ev, "recipient", c)
            elif dep[c] == AGENT:  # passive "by" phrase
                for g in col.objects(c):
                    self._add(ev, "agent", g)
            elif dep[c] == PREP and col.lower[c] == "to" and ev.lemma in GIVING_VERBS:
                for g in col.objects(c):
                    self._add(ev, "recipient", g)
            elif dep[c] == PREP and col.lower[c] == "with" and ev.type in WITH_ACTOR_CLASSES:
                for g in col.objects(c):
                    self._add(ev, "actor", g)
            elif dep[c] in (CCOMP, XCOMP) and c in self.by_token:
                ev.roles.append(Role("theme", self.by_token[c], "event"))
        if psubj and not any(dep[c] == AGENT for c in col.kids[i]):
            self._shared_passive_agent(i, ev)
            for g in self._stray_by(i):
                self._add(ev, "agent", g)
        if not subj and not psubj:
            self._inherited_subject(i, ev)

    def _passive_without_agent(self, i: int) -> bool:
        col = self.col
        return col.pos[i] == "VERB" and any(col.dep[c] in PASSIVE_SUBJECT_DEPS for c in col.kids[i]) \
            and not any(col.dep[c] == AGENT for c in col.kids[i])

    def _stray_by(self, i: int) -> list[int]:
        """The "by" phrase of passive verb i that the parser hung on the noun of one of its
        prepositional phrases: "was accused of corruption by prosecutors", "was signed in
        Vienna by the minister" (the objects of that "by")."""
        col = self.col
        dep = col.dep
        if not self._passive_without_agent(i):
            return []
        out = []
        for c in col.kids[i]:
            if dep[c] != PREP:
                continue
            for n in col.objects(c):
                for b in col.kids[n]:
                    if dep[b] in (PREP, AGENT) and col.lower[b] == "by":
                        out += col.objects(b)
        return out

    def _shared_passive_agent(self, i: int, ev: EventRecord) -> None:
        """Conjoined passives share the "by" phrase the parser hangs on the last one:
        "he was arrested and charged by police" -> police arrested him too."""
        col = self.col
        dep = col.dep
        for c in col.kids[i]:
            if dep[c] == CONJ and col.tag[c] == "VBN" \
                    and not any(dep[g] in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for g in col.kids[c]):
                for a in col.kids[c]:
                    if dep[a] == AGENT:
                        for g in col.objects(a):
                            self._add(ev, "agent", g)

    def _inherited_subject(self, i: int, ev: EventRecord) -> None:
        """Controlled (xcomp), conjoined and relative-clause verbs take their arguments
        from the verb or noun they hang from; a passive one ("after being hit", "and was
        replaced") takes the subject it inherits as its patient."""
        col = self.col
        dep = col.dep
        head = col.head[i]
        subject_role = "patient" if any(dep[c] in PASSIVE_AUX_DEPS for c in col.kids[i]) else "agent"
        if dep[i] == XCOMP:
            objs = [c for c in col.kids[head] if dep[c] == DOBJ]
            if objs and col.lemma[head] in OBJECT_CONTROL_VERBS:
                for o in objs:  # object control: "allow the Kremlin to interrogate"
                    self._add(ev, "agent", o)
                return
            for c in col.kids[head]:
                if dep[c] in SUBJECT_DEPS:
                    self._add(ev, subject_role, c)
            if dep[head] in (XCOMP, CONJ) and not any(dep[c] in SUBJECT_DEPS for c in col.kids[head]):
                self._inherited_subject(head, ev)
        elif dep[i] == CONJ and col.pos[head] == "VERB":
            for c in col.kids[head]:
                if dep[c] in SUBJECT_DEPS:
                    self._add(ev, subject_role, c)
                elif dep[c] in PASSIVE_SUBJECT_DEPS:
                    self._add(ev, "patient", c)
            if not any(dep[c] in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in col.kids[head]):
                self._inherited_subject(head, ev)
        elif dep[i] in (ACL, RELCL) and col.pos[head] in ("NOUN", "PROPN", "PRON"):
            # "Russians charged with hacking" (passive participle): the noun is the patient;
            # "officials who said" (relative clause with a relative subject): the agent.
            role = "patient" if col.tag[i] == "VBN" else "agent"
            self._add(ev, role, head)
        elif dep[i] == ADVCL or dep[i] == PCOMP:
            anchor = head if dep[i] == ADVCL else col.head[head]
            for c in col.kids[anchor]:
                if dep[c] in SUBJECT_DEPS:
                    self._add(ev, subject_role, c)

    def _nominal(self, i: int, ev: EventRecord) -> None:
        col = self.col
        dep = col.dep
        for c in col.kids[i]:
            if dep[c] == POSS:
                pid = self.entity(c)
                if pid and self.kinds.get(pid) == PLACE and ev.type in LOCATED_CLASSES:
                    if pid not in ev.places:  # "Italy's earthquake"
                        ev.places.append(pid)
                else:
                    self._add(ev, "agent", c)
            elif dep[c] in (COMPOUND, NMOD, AMOD):
                for t in self.targets(c):
                    if isinstance(t, str) and self.kinds.get(t) == PLACE and dep[c] != AMOD:
                        if t not in ev.places:
                            ev.places.append(t)
                    elif isinstance(t, str) and self.kinds.get(t) in (PERSON, ORG) and dep[c] != AMOD:
                        ev.roles.append(Role("agent", t, "entity"))
            elif dep[c] == PREP:
                prep = col.lower[c]
                for g in col.objects(c):
                    if prep == "by" and self._by_of_passive(i):
                        continue  # the passive verb's agent (_stray_by)
                    if prep in NOUN_PREP_ROLES:
                        self._add(ev, NOUN_PREP_ROLES[prep], g)
                    elif prep == "from" and ev.type in SOURCE_AGENT_CLASSES:
                        self._add(ev, "agent", g)
                    elif prep in RECIPIENT_PREPS and ev.type in RECIPIENT_CLASSES:
                        self._add(ev, "recipient", g)
        # An event noun that is the object of a verb of doing takes that verb's subject
        # only through the verb's own roles; nothing to inherit here.

    def _by_of_passive(self, noun: int) -> bool:
        """Noun in a prepositional phrase of a passive verb that has no "by" of its own."""
        col = self.col
        p = col.head[noun]
        return col.dep[noun] == POBJ and col.dep[p] == PREP and self._passive_without_agent(col.head[p])

    def _add(self, ev: EventRecord, role: str, i: int) -> None:
        # A state ("adults are grey", "the album includes ten songs") links the named
        # things and events it is about; describing each generic subject as an entity of
        # its own would fill the graph with "adults" and "songs".
        for t in self.targets(i, describe=ev.type != "State"):
            if t is ev:
                continue
            if isinstance(t, EventRecord):
                ev.roles.append(Role("theme", t, "event"))
            else:
                ev.roles.append(Role(role, t, "entity"))


def _share_setting(col: Columns, by_token: dict[int, EventRecord]) -> None:
    """An event without a time or place of its own takes those of the verb it depends on
    when it is part of the same happening: a participle clause ("struck Italy on
    Saturday, killing 30 people") or a verb conjoined in the same tense that shares its
    subject ("beat Barcelona at home on Sunday and moved top"), or the event noun object
    of a support verb ("held talks in Cairo on Monday")."""
    dep, head, tag, pos = col.dep, col.head, col.tag, col.pos
    for i, ev in by_token.items():
        h = head[i]
        if h == i or h not in by_token or pos[h] != "VERB":
            continue
        if pos[i] == "NOUN":
            shares = dep[i] == DOBJ and col.lemma[h] in SUPPORT_VERBS
        else:
            shares = pos[i] == "VERB" and (dep[i] == ADVCL and tag[i] in ("VBG", "VBN")
                                           or dep[i] == CONJ and tag[i] == tag[h]) \
                and not any(dep[c] in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in col.kids[i])
        if shares:
            src = by_token[h]
            if not ev.times:
                ev.times = list(src.times)
            if not ev.places:
                ev.places = list(src.places)


def _merge_nominal(col: Columns, by_token: dict[int, EventRecord], values: dict[str, str]) -> list[EventRecord]:
    """Mentions of one nominal event ("a press conference" ... "the press conference")
    become one event: same label, and no conflicting time or place."""
    out: list[EventRecord] = []
    seen: dict[str, list[EventRecord]] = {}
    for i in sorted(by_token):
        ev = by_token[i]
        if col.pos[i] == "NOUN" and col.tag[i] == "NN":
            for prev in seen.get(ev.label, []):
                if _compatible(prev, ev, values):
                    prev.mentions += ev.mentions
                    prev.roles += ev.roles
                    prev.places += [p for p in ev.places if p not in prev.places]
                    prev.times += [t for t in ev.times if t not in prev.times]
                    _redirect(by_token, ev, prev)
                    break
            else:
                seen.setdefault(ev.label, []).append(ev)
                out.append(ev)
            continue
        out.append(ev)
    return out


def _compatible(a: EventRecord, b: EventRecord, values: dict[str, str]) -> bool:
    ta, tb = {values.get(t, t) for t in a.times}, {values.get(t, t) for t in b.times}
    return (not ta or not tb or bool(ta & tb)) and \
           (not a.places or not b.places or bool(set(a.places) & set(b.places)))


def _redirect(by_token, old: EventRecord, new: EventRecord) -> None:
    for ev in by_token.values():
        for r in ev.roles:
            if r.target is old:
                r.target = new


def _dedupe(roles: list[Role]) -> list[Role]:
    seen, out = set(), []
    for r in roles:
        if (r.role, r.target) not in seen:
            seen.add((r.role, r.target))
            out.append(r)
    return out
