"""Hostile input (issue 6, part 1): text and metadata that break naive RDF writers.

Every article either builds, with its body kept exactly and every mention's
``nif:anchorOf`` equal to the body slice at its offsets, or is refused with a reason that
names its file, while the rest of the corpus builds. Every build's Turtle, TriG and
N-Triples parse in rdflib, pyoxigraph and Raptor's ``rapper``.

Speed: hypothesis examples are batches of articles (``ARTICLES_PER_EXAMPLE``) built in one
``build()`` call, and the spaCy pipeline is loaded once for the module (the conftest
``nlp``), not once per build.
"""
from __future__ import annotations

import json
from collections import Counter
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.build import BuildOptions, build
from kg.store.export import export
from kg.store.embedded import Store

from .tools import debian_tool

NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SCHEMA = "https://schema.org/"
EXAMPLES = 100
ARTICLES_PER_EXAMPLE = 10  # 100 x 10 = 1,000 generated articles per run
REASONS: Counter = Counter()  # why generated articles were refused (for the report)
COUNTS = {"examples": 0, "articles": 0, "built": 0, "refused": 0, "mentions": 0}

# Pieces that break naive writers: quotes and escapes of Turtle / N-Triples / SPARQL,
# line ends, control characters, bidi and combining marks, zero-width characters, emoji,
# IRI-breaking characters, IRIs and Turtle syntax inside text.
HOSTILE = [
    '"', "'", '"""', "'''", "\\", '\\"', "\\u0041", "\\n", "\n", "\r", "\r\n", "\t", "\x00", "\x01",
    "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1e", "\x7f", "\x85", "\x9f", "\u2028", "\u2029",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u200f", "\u061c", "\u0301",
    "\u0308\u0308", "\U0001F600", "\U0001F1FA\U0001F1F8", "\U0001F468\u200d\U0001F469\u200d\U0001F467",
    "<", ">", "{", "}", "|", "^", "`", " ", "\xa0", "\u3000", "@prefix x: <y> .", "_:b0", "<http://x/>",
    "http://example.com/a?b=c&d=<e>#f", "urn:isbn:0451450523", "mailto:a@b.c", '"@en', '"^^<x>',
    ".", ";", ",", "#", "%", "%20", "%2F", "&amp;", "\ufffd", "\ufdd0", "\U0010ffff", "\u0130", "\u03a3",
    "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u4e2d\u6587",
]
# Characters kg must refuse (badly decoded input), put in now and then.
BAD_CHARS = ["\ud800", "\udc00", "\udbff\udbff", "\ufffe", "\uffff"]
WORDS = [
    "Barack Obama", "Angela Merkel", "Emmanuel Macron", "Paris", "Berlin", "New York", "Reuters",
    "Apple", "Boeing", "said", "met", "visited", "on Monday", "in", "the", "2,000 jobs", "5%",
    "$3 billion", "January 5, 2021", '"We agree on the plan," Merkel said.', "Jos\u00e9 Garc\u00eda",
    "Jose Garcia", "O'Brien", "Ren\u00e9e Fleming", "Photo: AP Photo/John Doe", "Jane Doe | AFP | Getty Images",
    "Click to show more", ". ", ".\n\n", "\n",
]
BAD_FRONT_MATTER = [
    "title: [unclosed\n", "published: yesterday\n", "published: 2021-13-45\n", "published: 2021-02-30\n",
    "published: 12\n", "published: [2021]\n", "published: 2021-01-01T10:00:00+25:00\n",
    "authors: {a: 1}\n", "authors: [[a], b]\n", "id: ''\n", "id: [1, 2]\n", "id: {a: b}\n",
    "title: {a: b}\n", "url: [x]\n", "- just\n- a list\n", "\tbad: tab\n", "a: b: c\n", "title: *anchor\n",
    "? [a]\n: b\n",
]


def pieces():
    return st.one_of(st.sampled_from(HOSTILE), st.sampled_from(WORDS), st.sampled_from(WORDS),
                     st.text(max_size=6), st.sampled_from(["", " ", "  "]))


@st.composite
def spoiled(draw, parts, min_size, max_size):
    """Hostile text; one time in 20 with a character kg must refuse somewhere in it."""
    s = "".join(draw(st.lists(parts, min_size=min_size, max_size=max_size)))
    if draw(st.integers(0, 19)) == 0:
        i = draw(st.integers(0, len(s)))
        s = s[:i] + draw(st.sampled_from(BAD_CHARS)) + s[i:]
    return s


texts = spoiled(pieces(), 3, 30)
names = spoiled(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4), st.sampled_from(WORDS)), 0, 4)
GOOD_DATES = ["2021-05-04", "2021-05-04T10:20:30Z", "1999-12-31T23:59:59+05:30", "0001-01-01",
              "2021-01-01T10:00:00.123456", "", " 2021-05-04 "]
BAD_DATES = ["yesterday", "2021-13-45", "12"]


@dataclass
class Spec:
    """One generated article: how it is written and what kg must do with it."""

    kind: str  # "md", "txt" or "jsonl"
    body: str
    meta: dict = field(default_factory=dict)
    raw_front: str | None = None  # front matter text written as is (bad on purpose)
    ascii_json: bool = True


@st.composite
def specs(draw) -> Spec:
    kind = draw(st.sampled_from(["md", "txt", "jsonl"]))
    body = draw(texts)
    meta: dict = {}
    if draw(st.booleans()):
        meta["id"] = draw(names)
    if draw(st.booleans()):
        meta["title"] = draw(names)
    if draw(st.booleans()):
        meta["published"] = draw(st.sampled_from(BAD_DATES) if draw(st.integers(0, 5)) == 0
                                 else st.sampled_from(GOOD_DATES))
    if draw(st.booleans()):
        meta["authors"] = draw(st.lists(names, max_size=3))
    for key in ("source", "url", "language"):
        if draw(st.integers(0, 3)) == 0:
            meta[key] = draw(names)
    raw = None
    if kind == "md" and draw(st.integers(0, 9)) == 0:
        raw = draw(st.sampled_from(BAD_FRONT_MATTER))
    return Spec(kind, body, meta, raw, draw(st.booleans()))


def _has_surrogate(s: str) -> bool:
    """Lone surrogates and the noncharacters U+FFFE / U+FFFF: refused by kg (badly decoded)."""
    return any("\ud800" <= c <= "\udfff" or c in "\ufffe\uffff" for c in s)


def expected_ok(spec: Spec) -> bool:
    """Whether kg must build this article (False: it must refuse it, naming the file)."""
    m = spec.meta
    if spec.raw_front is not None or not spec.body.strip() or _has_surrogate(spec.body):
        return False
    if spec.kind != "jsonl" and "\x00" in spec.body:
        return False  # a text file with NUL bytes is binary
    if "id" in m and not m["id"].strip():
        return False
    if any(_has_surrogate(v) for k, v in m.items() if isinstance(v, str)):
        return False
    if any(_has_surrogate(a) for a in m.get("authors", [])):
        return False
    if m.get("published") in BAD_DATES:
        return False
    return True


def write_corpus(root: Path, batch: list[Spec]) -> dict[str, tuple[Spec, str]]:
    """Files of the batch in ``root``; returns {where: (spec, intended id)}, where is the
    file (or file:line) kg must name."""
    root.mkdir(parents=True)
    where: dict[str, tuple[Spec, str]] = {}
    jsonl = []
    for i, spec in enumerate(batch):
        # ids made unique (a duplicate is refused, tested apart) but still hostile
        meta = dict(spec.meta)
        if "id" in meta:
            meta["id"] = f"{meta['id']}#{i}" if meta["id"].strip() else meta["id"]
        if spec.kind == "jsonl":
            meta.setdefault("id", f"line-{i}")
            line = json.dumps({**meta, "text": spec.body}, ensure_ascii=spec.ascii_json or _has_surrogate(
                json.dumps({**meta, "text": spec.body}, ensure_ascii=False)))
            jsonl.append(line)
            where[f"{root / 'all.jsonl'}:{len(jsonl)}"] = (spec, meta["id"])
            continue
        path = root / f"a{i:03d}.{spec.kind}"
        if spec.kind == "txt":
            data = spec.body
            aid = f"a{i:03d}"
        elif spec.raw_front is not None:
            data = f"---\n{spec.raw_front}---\n{spec.body}"
            aid = None
        else:
            front = yaml.safe_dump(meta, allow_unicode=True, default_flow_style=False) if meta else ""
            data = f"---\n{front}---\n{spec.body}"
            # What the file says is what YAML reads back (PyYAML's dump does not always
            # round-trip: a NEL in a string comes back as a space).
            meta = yaml.safe_load(front) if meta else {}
            batch[i] = spec = Spec(spec.kind, spec.body, meta)
            aid = meta.get("id", f"a{i:03d}")
        if spec.kind == "txt" and (data.startswith("---") or data.startswith("\ufeff")):
            data = "x" + data  # not front matter, not a byte order mark: still the same hostile text
            batch[i] = spec = Spec(spec.kind, data, spec.meta)
        path.write_bytes(data.encode("utf-8", "surrogatepass"))
        where[str(path)] = (spec, aid)
    if jsonl:
        (root / "all.jsonl").write_bytes("\n".join(jsonl).encode("utf-8", "surrogatepass") + b"\n")
    return where


_RAPPER = None


def rapper() -> str:
    global _RAPPER
    if _RAPPER is None:
        _RAPPER = debian_tool("rapper", "raptor2-utils")
    return _RAPPER


def parse_everywhere(out: Path) -> None:
    """kg.ttl, kg.trig and an N-Triples export parse in rdflib, pyoxigraph and rapper."""
    with Store(out / "store", read_only=True) as store:
        export(store, "ntriples", out / "kg.nt")
    for name, rdflib_fmt, ox_fmt, rapper_fmt in (
            ("kg.ttl", "turtle", ox.RdfFormat.TURTLE, "turtle"),
            ("kg.trig", "trig", ox.RdfFormat.TRIG, "trig"),
            ("kg.nt", "nt", ox.RdfFormat.N_TRIPLES, "ntriples")):
        path = out / name
        rdflib.Dataset().parse(path, format=rdflib_fmt)
        list(ox.parse(path=str(path), format=ox_fmt))
        res = subprocess.run([rapper(), "-q", "-i", rapper_fmt, "-c", str(path)], capture_output=True, text=True)
        assert res.returncode == 0, f"rapper refused {name}: {res.stderr[-2000:]}"


def graph_facts(out: Path) -> tuple[dict[str, str], int]:
    """{article id: body} from kg.trig, after checking every mention's anchor against
    the body slice at its offsets; and the number of mentions checked."""
    by: dict[str, dict[str, list]] = {}
    for q in ox.parse(path=str(out / "kg.trig"), format=ox.RdfFormat.TRIG):
        by.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
    bodies, checked = {}, 0
    for s, po in by.items():
        if NIF + "anchorOf" in po:
            ctx = by[po[NIF + "referenceContext"][0].value][NIF + "isString"][0].value
            b, e = int(po[NIF + "beginIndex"][0].value), int(po[NIF + "endIndex"][0].value)
            assert 0 <= b < e <= len(ctx), (s, b, e, len(ctx))
            assert ctx[b:e] == po[NIF + "anchorOf"][0].value, (s, ctx[b:e], po[NIF + "anchorOf"][0].value)
            checked += 1
        if NIF + "isString" in po:
            assert len(po[NIF + "isString"]) == 1
            article = by[po[NIF + "sourceUrl"][0].value]
            bodies[article[SCHEMA + "identifier"][0].value] = po[NIF + "isString"][0].value
    return bodies, checked


@pytest.fixture(scope="module", autouse=True)
def shared_pipeline(nlp):
    """Every build() of this module uses the one loaded pipeline (the slow part)."""
    import kg.nlp.pipeline as pipeline

    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "load_pipeline", lambda *a, **k: nlp)
    yield
    mp.undo()


def check_batch(batch: list[Spec]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="kg-hostile-"))
    try:
        batch = list(batch)
        where = write_corpus(tmp / "in", batch)
        out = tmp / "out"
        report = build([tmp / "in"], BuildOptions(out_dir=out, progress=False, batch_size=16))
        failed = {p.path: p.reason for p in report.failed}
        for p in report.failed:  # every refusal names a file of the corpus and says why
            assert p.path in where, p
            assert p.reason.strip()
        parse_everywhere(out)
        bodies, checked = graph_facts(out)
        for w, (spec, aid) in where.items():
            if expected_ok(spec):
                assert w not in failed, (w, failed.get(w), spec)
            if w not in failed:
                assert aid in bodies, (w, aid, sorted(bodies))
                assert bodies[aid] == spec.body, w  # the body, exactly as written
        assert len(bodies) == len(where) - len(failed)
        assert report.built == len(bodies)
        COUNTS["examples"] += 1
        COUNTS["articles"] += len(batch)
        COUNTS["built"] += len(bodies)
        COUNTS["refused"] += len(failed)
        for reason in failed.values():
            REASONS[" ".join(reason.split(":")[0].split()[:4])] += 1
        COUNTS["mentions"] += checked
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# Failing cases hypothesis found, kept as regression examples (see the plain tests below too).
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(st.lists(specs(), min_size=ARTICLES_PER_EXAMPLE, max_size=ARTICLES_PER_EXAMPLE))
@example([Spec("md", "Obama met Merkel.", raw_front="published: 2021-13-45\n")])  # crashed the build (ValueError)
@example([Spec("jsonl", "Obama met Merkel in Paris.", {"id": "s\ud800"})])  # crashed: surrogate in the id
@example([Spec("jsonl", "Obama met Merkel in Paris.", {"title": "x\udc00"})])  # crashed: surrogate in the title
@example([Spec("jsonl", "Obama met\u2028Merkel \x85 in\x1cParis.", ascii_json=False)])  # refused: split line
@example([Spec("md", '"', {"id": "\uffff"})])  # kg.ttl had "\uFFFF", which rapper refuses
def test_hostile_articles_build_or_are_refused(batch):
    check_batch(batch)


def test_generated_enough():
    """CI runs enough generated articles to matter (issue 6 asks for 500 at least)."""
    if COUNTS["examples"]:
        print(f"\nhostile: {COUNTS}\nrefused: {dict(REASONS.most_common())}")
    assert EXAMPLES * ARTICLES_PER_EXAMPLE >= 500
    if COUNTS["examples"]:
        assert COUNTS["articles"] >= 500


# Plain regression and edge-case tests.

def run_files(tmp_path: Path, files: dict[str, bytes]):
    root = tmp_path / "in"
    root.mkdir()
    for name, data in files.items():
        (root / name).write_bytes(data)
    out = tmp_path / "out"
    report = build([root], BuildOptions(out_dir=out, progress=False))
    return root, out, report, {Path(p.path).name: p.reason for p in report.failed}


GOOD = b"Barack Obama met Angela Merkel in Berlin on Monday.\n"


def test_bad_front_matter_is_refused_naming_the_file(tmp_path):
    files = {f"bad{i}.md": f"---\n{fm}---\nObama met Merkel.".encode() for i, fm in enumerate(BAD_FRONT_MATTER)}
    files["good.txt"] = GOOD
    _, out, report, failed = run_files(tmp_path, files)
    assert report.built == 1
    assert sorted(failed) == sorted(n for n in files if n.startswith("bad"))
    assert "month must be in 1..12" in failed["bad2.md"]
    assert "published" in failed["bad1.md"]
    parse_everywhere(out)


def test_whitespace_only_binary_and_not_utf8_are_refused(tmp_path):
    _, out, report, failed = run_files(tmp_path, {
        "ws.txt": b" \n\t\r\n \xc2\xa0\xe2\x80\xa8 ", "nul.txt": b"Obama\x00met Merkel", "latin1.txt": "Jos\xe9".encode("latin-1"),
        "empty.md": b"", "good.md": GOOD})
    assert report.built == 1
    assert failed["ws.txt"] == "empty article (no text)"
    assert "binary" in failed["nul.txt"] and "not UTF-8" in failed["latin1.txt"] and "empty" in failed["empty.md"]


def test_lone_surrogates_are_refused_not_fatal(tmp_path):
    lines = [{"id": "a", "text": "Obama \ud800 met"}, {"id": "b\udfff", "text": "Obama met Merkel."},
             {"id": "c", "title": "x\ud800", "text": "Obama met Merkel."},
             {"id": "d", "authors": ["\udc00"], "text": "Obama met Merkel."},
             {"id": "e", "text": "Obama met \U0001F600 Merkel."}]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    _, out, report, _ = run_files(tmp_path, {"s.jsonl": data})
    assert report.built == 1
    assert [p.path.rsplit(":", 1)[1] for p in report.failed] == ["1", "2", "3", "4"]
    assert all("surrogate" in p.reason for p in report.failed)
    parse_everywhere(out)


def test_jsonl_lines_split_at_newline_only(tmp_path):
    text = "Barack Obama met\u2028Angela Merkel\x85 in\x1cBerlin.\u2029Done."
    data = json.dumps({"id": "u", "text": text}, ensure_ascii=False).encode() + b"\r\n"
    data += b'{"id": "cr", "text": "Obama met Merkel."}\r{"id": "lf", "text": "Obama met Macron."}\n'
    _, out, report, failed = run_files(tmp_path, {"u.jsonl": data})
    assert report.built == 3 and not failed
    bodies, _ = graph_facts(out)
    assert bodies == {"u": text, "cr": "Obama met Merkel.", "lf": "Obama met Macron."}


def test_long_tokens_and_every_line_end(tmp_path):
    body = ("Barack Obama said " + "a" * 10_000 + " in Paris.\r\n" + "Merkel" * 2_000 + "\rAngela Merkel met "
            "Emmanuel Macron in Berlin.\n\"We agree,\" Merkel said.\u2028" + "http://x/" + "y" * 10_000)
    _, out, report, failed = run_files(tmp_path, {"long.txt": body.encode()})
    assert report.built == 1 and not failed
    parse_everywhere(out)
    bodies, checked = graph_facts(out)
    assert bodies == {"long": body} and checked > 0


def test_a_20mb_article_is_refused_clearly_and_the_rest_builds(tmp_path):
    big = ("Barack Obama met Angela Merkel in Berlin on Monday. " * 400_000)[:20_000_000].encode()
    assert len(big) == 20_000_000
    _, out, report, failed = run_files(tmp_path, {"big.txt": big, "good.txt": GOOD})
    assert report.built == 1
    assert failed["big.txt"].startswith("article too long: 20,000,000 characters")


def test_hostile_ids_and_metadata_build(tmp_path):
    meta = {"id": 'a b<c>"{}|^`\\ \n\t#x?y%41/../.', "title": 'T """\\" \x01\x7f', "source": "<Reuters> \\",
            "url": "http://x/ y<>\"", "language": "en\nUS", "authors": ['A "B"', "\t", "\u202eevil"]}
    front = yaml.safe_dump(meta, allow_unicode=True)
    files = {"m.md": f"---\n{front}---\nBarack Obama met Angela Merkel in Berlin.".encode(),
             "dots.jsonl": b'{"id": "..", "text": "Obama met Merkel."}\n{"id": "/a//b/", "text": "Obama met Merkel."}\n'}
    _, out, report, failed = run_files(tmp_path, files)
    assert report.built == 3 and not failed
    parse_everywhere(out)
    bodies, _ = graph_facts(out)
    assert set(bodies) == {meta["id"], "..", "/a//b/"}


def test_noncharacters_are_refused_naming_the_line(tmp_path):
    lines = [{"id": "a", "text": "Obama \uffff met"}, {"id": "b", "text": "Obama met Merkel.", "source": "\ufffe"},
             {"id": "c", "text": "Obama met \ufdd0 Merkel."}]
    _, out, report, failed = run_files(tmp_path, {"n.jsonl": "\n".join(json.dumps(x) for x in lines).encode()})
    assert report.built == 1
    assert failed["n.jsonl:1"].startswith("text has the Unicode noncharacter U+FFFF at character 6")
    assert failed["n.jsonl:2"].startswith("source has the Unicode noncharacter U+FFFE")
    parse_everywhere(out)
