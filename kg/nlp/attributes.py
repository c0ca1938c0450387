"""spaCy's attribute ruler, compiled to column operations.

The stock ``attribute_ruler`` of the English pipelines (the tag map, morphology rules
and exceptions: 179 token patterns in en_core_web_sm 3.8) runs a ``Matcher`` that tries
every pattern at every token: 16 ms of an article's 105 ms in the pipeline, more than the
parser. Its patterns are single tokens (a few pairs) tested for equality or set membership
of ``TAG``, ``LOWER``, ``DEP``, ``IS_SPACE``: here each starts from a lookup in an index
of the Doc's ``to_array`` columns, and the attributes go back with one ``from_array``.

The result is the stock ruler's, token for token: matches are taken on the columns as the
ruler found them and applied in pattern order, later patterns winning, as
``AttributeRuler.match`` sorts them (tests/test_attributes.py compares the two on every
token of real text). A ruler with a pattern outside that subset (an ``OP`` quantifier, an
extension attribute, a comparison operator) is left as it is: ``compile_ruler`` returns
None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import DEP, IDS, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

# Token attributes a compiled pattern may test, and those it may set (DEP alone is set
# token by token: from_array would want HEAD with it).
TESTED = {"ORTH", "LOWER", "NORM", "TAG", "DEP", "LEMMA", "SHAPE", "PREFIX", "SUFFIX",
          "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
          "IS_SPACE", "IS_STOP", "LIKE_NUM"}
SET_IN_BULK = (POS, TAG, MORPH, LEMMA)


@dataclass(frozen=True)
class Test:
    column: int  # index into the columns read
    kind: str  # "eq", "in", "not_in", "regex"
    value: object  # an id, a frozenset of ids, or a compiled regex


@dataclass(frozen=True)
class Rule:
    alternatives: tuple[tuple[int, tuple[tuple[int, Test], ...]], ...]  # (tokens, ((offset, test), ...))
    index: int  # which token of a match gets the attributes (negative: from the end)
    attrs: tuple[tuple[int, int], ...]  # (attribute id, value) as AttributeRuler normalised them


class CompiledRuler:
    """Each pattern token's tests start from one of them (an equality where there is
    one) looked up in an index of the Doc's column values, so a pattern costs a dict
    lookup unless the Doc has a token it could match: 179 patterns, a few dozen hits."""

    def __init__(self, columns: list[int], rules: list[Rule], strings):
        self.columns, self.rules, self.strings = columns, rules, strings
        self.set_attrs = [a for a in SET_IN_BULK if any(a == k for r in rules for k, _ in r.attrs)]
        self._where = {a: j for j, a in enumerate(self.set_attrs)}  # attribute -> its column in set_attrs
        self._regex: dict[tuple[str, int], bool] = {}

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        cols = doc.to_array(self.columns).reshape(n, len(self.columns)).T.tolist()
        index: list[dict[int, list[int]]] = []
        for values in cols:
            at: dict[int, list[int]] = {}
            for i, v in enumerate(values):
                at.setdefault(v, []).append(i)
            index.append(at)
        # every match is found on the columns as they came, then applied in pattern order
        hits = [(rule, self._targets(rule, cols, index, n)) for rule in self.rules]
        out = doc.to_array(self.set_attrs).reshape(n, len(self.set_attrs)) if self.set_attrs else None
        deps: dict[int, int] = {}
        for rule, targets in hits:
            for attr, value in rule.attrs if targets else ():
                if attr == DEP:
                    deps.update((i, value) for i in targets)
                else:
                    j = self._where[attr]
                    for i in targets:
                        out[i, j] = value
        if out is not None:
            doc.from_array(self.set_attrs, out)
        for i, value in deps.items():
            doc[i].dep = value
        return doc

    def _targets(self, rule: Rule, cols: list[list[int]], index: list[dict], n: int) -> list[int]:
        found: set[int] = set()
        for width, tokens in rule.alternatives:
            # start from the test fewest tokens of this Doc pass (a regex: the last resort)
            seed = min(tokens, key=lambda kt: self._count(kt[1], index[kt[1].column]))
            seed_at, first = seed
            for p in self._positions(first, index[first.column]):
                start = p - seed_at
                if start < 0 or start + width > n:
                    continue
                if all(self._holds(t, cols[t.column][start + k]) for k, t in tokens if t is not first):
                    found.add(start + (rule.index if rule.index >= 0 else width + rule.index))
        return sorted(found)

    @staticmethod
    def _count(test: Test, at: dict[int, list[int]]) -> int:
        if test.kind == "eq":
            return len(at.get(test.value, ()))
        if test.kind == "in":
            return sum(len(at.get(v, ())) for v in test.value)
        return 1 << 30

    def _positions(self, test: Test, at: dict[int, list[int]]):
        if test.kind == "eq":
            return at.get(test.value, ())
        if test.kind == "in":
            return [p for v in test.value for p in at.get(v, ())]
        return [p for v, ps in at.items() if self._holds(test, v) for p in ps]

    def _holds(self, test: Test, value: int) -> bool:
        if test.kind == "eq":
            return value == test.value
        if test.kind == "in":
            return value in test.value
        if test.kind == "not_in":
            return value not in test.value
        key = (test.value.pattern, value)
        if key not in self._regex:
            if len(self._regex) > 100_000:
                self._regex.clear()
            self._regex[key] = bool(test.value.search(self.strings[value]))
        return self._regex[key]


def compile_ruler(ruler: AttributeRuler) -> CompiledRuler | None:
    """The ruler's patterns as column tests, or None if one of them is beyond them."""
    columns: list[int] = []
    rules: list[Rule] = []

    def column(name: str) -> int:
        attr = IDS[name]
        if attr not in columns:
            columns.append(attr)
        return columns.index(attr)

    for i, pattern in enumerate(ruler.patterns):
        if any(k not in (*SET_IN_BULK, DEP) for k in ruler.attrs[i]):
            return None
        alternatives = []
        for tokens in pattern["patterns"]:
            compiled = []
            for spec in tokens:
                if not spec:  # a wildcard token: nothing to start from
                    return None
                tests = []
                for key, value in spec.items():
                    if key not in TESTED:
                        return None
                    test = _test(column(key), key, value)
                    if test is None:
                        return None
                    tests.append(test)
                compiled.append(tuple(tests))
            alternatives.append((len(compiled), tuple((k, t) for k, tests in enumerate(compiled) for t in tests)))
        rules.append(Rule(tuple(alternatives), ruler.indices[i], tuple(ruler.attrs[i].items())))
    return CompiledRuler(columns, rules, ruler.vocab.strings)


def _test(col: int, key: str, value) -> Test | None:
    if key.startswith("IS_") or key == "LIKE_NUM":
        return Test(col, "eq", int(bool(value))) if isinstance(value, bool) else None
    if isinstance(value, str):
        return Test(col, "eq", get_string_id(value))
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
            return Test(col, op.lower(), frozenset(get_string_id(v) for v in arg))
        if op == "REGEX" and isinstance(arg, str):
            return Test(col, "regex", re.compile(arg))
    return None


class NotCompilable(ValueError):
    """A ruler with a pattern beyond the compiled subset."""


@Language.factory("kg_attribute_ruler", assigns=["token.pos", "token.tag", "token.morph", "token.lemma"])
def make_attribute_ruler(nlp: Language, name: str, source: str = "attribute_ruler"):
    """The pipeline's ``source`` ruler compiled (kg.nlp.pipeline puts it in its place)."""
    compiled = compile_ruler(nlp.get_pipe(source))
    if compiled is None:
        raise NotCompilable(f"the patterns of {source!r} cannot be compiled")
    return compiled


def compile_in_place(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Swap the pipeline's stock ruler for its compiled form, under the same name, when
    every pattern compiles; False (and the stock ruler kept) otherwise."""
    if name not in nlp.pipe_names or not isinstance(nlp.get_pipe(name), AttributeRuler):
        return False
    try:
        nlp.add_pipe("kg_attribute_ruler", name="kg_compiled_ruler", after=name, config={"source": name})
    except NotCompilable:
        return False
    nlp.remove_pipe(name)
    nlp.rename_pipe("kg_compiled_ruler", name)
    return True
