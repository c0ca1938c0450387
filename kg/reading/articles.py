"""Reading articles: files and folders in, ``Article`` objects (or reasons why not) out.

Formats are those of ``shared/spec/rdf-contract.md``: ``.txt`` / ``.md`` with optional
YAML front matter, ``.jsonl`` with one article per line, folders walked recursively in
sorted order. The body is kept exactly as read, so every offset stays valid. Credit lines
and trailing boilerplate are found here and recorded as spans; extraction masks them.
"""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from kg.errors import InputError
from kg.records import ArticleMeta, Mention

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".jsonl")
FRONT_MATTER_KEYS = ("id", "title", "published", "url", "source", "authors", "language")

# Photo credits as news sites print them: "Name | Agency | Getty Images",
# "Photo: Name/Reuters", "(AP Photo/Name)". Agencies from the wire services most often
# credited in English-language news.
CREDIT_AGENCIES = (
    "AFP", "Getty Images", "Reuters", "AP Photo", "Associated Press", "EPA", "Bloomberg",
    "Shutterstock", "Xinhua", "Anadolu", "NurPhoto", "SOPA Images", "Pool", "dpa",
)
CREDIT_PREFIX = re.compile(r"^\s*[\(\[]?\s*(photo|image|picture|credit|photograph)s?\b\s*[:/]", re.I)
# Page furniture that scrapers leave in article text (one line, whole line).
BOILERPLATE_LINES = re.compile(
    r"^\s*(click to (show|see|read) more|show more|read more|advertisement|"
    r"share this article|subscribe( now)?|sign up for our newsletter|"
    r"related:?|watch:?|listen to this article)\s*[.:]?\s*$",
    re.I,
)


@dataclass
class Article:
    """One article as read. ``body`` is never altered."""

    id: str
    body: str
    headline: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    path: str | None = None
    credits: list[Mention] = field(default_factory=list)
    excluded: list[Mention] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Hash of everything the graph is built from: the body and the metadata."""
        meta = [self.id, self.headline, self.published, self.url, self.source,
                self.authors, self.language]
        h = hashlib.sha256(json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        h.update(self.body.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def masked_body(self) -> str:
        """The body with credits and boilerplate blanked (same length, newlines kept),
        so the NLP never reads them while offsets into the body stay exact."""
        spans = self.credits + self.excluded
        if not spans:
            return self.body
        chars = list(self.body)
        for m in spans:
            for i in range(m.start, m.end):
                if chars[i] not in "\r\n":
                    chars[i] = " "
        return "".join(chars)

    def meta(self) -> ArticleMeta:
        return ArticleMeta(
            id=self.id, headline=self.headline, published=self.published, url=self.url,
            source=self.source, authors=list(self.authors), language=self.language,
            path=self.path, content_hash=self.content_hash,
            credits=list(self.credits), excluded=list(self.excluded),
        )


@dataclass
class ReadProblem:
    """An input that was not built, and why. Reported; the rest of the corpus builds.

    ``article_id`` is the id of the article the input holds when it is known, None when
    the input may hold articles whose ids could not be learnt (an unreadable file or
    folder, a refused link, a line that is not JSON). A build keeps the graphs of the
    inputs it could not read, so ``--prune`` drops nothing when an id is unknown."""

    path: str
    reason: str
    article_id: str | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def iter_articles(paths: Iterable[str | Path], skipped: Counter | None = None) -> Iterator[Article | ReadProblem]:
    """Articles from files and folders, in a stable order. A path that does not exist
    raises ``InputError`` before anything is read; a bad file, line, folder or link
    yields a ``ReadProblem`` and reading goes on. Duplicate ids are problems too.
    ``skipped`` counts, by suffix, the files in the folders that are not articles."""
    roots = [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise InputError(f"{root}: no such file or directory")
    inside = _Inside(roots)
    seen: dict[str, str] = {}
    for root in roots:
        for found in _walk(root, inside, Counter() if skipped is None else skipped):
            if isinstance(found, ReadProblem):
                yield found
                continue
            path, base = found
            for item in _read_file(path, base):
                if isinstance(item, Article):
                    where = item.path or str(path)
                    if item.id in seen:
                        yield ReadProblem(where, f"duplicate article id {item.id!r} (first in {seen[item.id]})",
                                          item.id)
                        continue
                    seen[item.id] = where
                yield item


class _Inside:
    """Whether a resolved path lies in the inputs: under a folder given, or a file given.
    Symbolic links (to files or folders alike) are followed only to such places, so a
    build reads what it was given and nothing else on the machine."""

    def __init__(self, roots: list[Path]):
        real = [r.resolve() for r in roots]
        self.folders = [r for r in real if r.is_dir()]
        self.files = {r for r in real if not r.is_dir()}

    def __call__(self, real: Path) -> bool:
        return real in self.files or any(real == f or f in real.parents for f in self.folders)


def _walk(root: Path, inside: _Inside, skipped: Counter) -> Iterator[tuple[Path, Path] | ReadProblem]:
    """``(file, base folder)`` of every article file under ``root``, depth first in name
    order (the order of sorted paths); hidden names skipped. What cannot be walked (a
    folder that cannot be listed, a broken link, a link out of the inputs or in a loop)
    is a problem, never silently left out."""
    if not root.is_dir():
        yield root, root.parent
        return
    yield from _walk_folder(root, root, [root.resolve()], inside, skipped)


def _walk_folder(folder: Path, base: Path, chain: list[Path], inside: _Inside, skipped: Counter):
    """``chain``: the resolved folders from the root down to ``folder`` (a link to one of
    them is a loop)."""
    try:
        with os.scandir(folder) as it:
            names = sorted(e.name for e in it if not e.name.startswith("."))
    except OSError as exc:
        yield ReadProblem(str(folder), f"cannot read folder: {exc.strerror or exc}")
        return
    for name in names:
        path = folder / name
        try:
            if path.is_symlink():
                try:
                    real = path.resolve(strict=True)
                except RuntimeError:  # Python < 3.13 raises this for a loop of links
                    yield ReadProblem(str(path), "symbolic link loop, not followed")
                    continue
                except OSError as exc:
                    reason = ("symbolic link loop, not followed" if exc.errno == errno.ELOOP
                              else f"broken symbolic link (to {os.readlink(path)})")
                    yield ReadProblem(str(path), reason)
                    continue
                if not inside(real):
                    yield ReadProblem(str(path), f"symbolic link to {real}, outside the input folders: not followed")
                    continue
            else:
                real = chain[-1] / name
            if path.is_dir():
                if real in chain:
                    yield ReadProblem(str(path), f"symbolic link loop (to {real}), not followed")
                    continue
                yield from _walk_folder(path, base, chain + [real], inside, skipped)
            elif path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES:
                yield path, base
            elif path.is_file():  # not an article: counted, so the build can say what it passed over
                skipped[path.suffix.lower() or "(no extension)"] += 1
        except OSError as exc:
            yield ReadProblem(str(path), f"cannot read: {exc.strerror or exc}")


def describe_skipped(skipped: Counter) -> str:
    """``skipped`` (of ``iter_articles``) for a message: "3 files (2 .html, 1 .pdf)"."""
    total = sum(skipped.values())
    kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{total} file{'s' if total != 1 else ''} ({kinds})"


def _default_id(path: Path, base: Path) -> str:
    return path.relative_to(base).with_suffix("").as_posix()


def _read_file(path: Path, base: Path) -> Iterator[Article | ReadProblem]:
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path, base)
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read: {exc.strerror or exc}")
        return
    if b"\x00" in raw[:8192]:
        yield ReadProblem(str(path), "binary file (NUL bytes), not an article")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield ReadProblem(str(path), f"not UTF-8 (byte {exc.start}: {raw[exc.start:exc.start + 1]!r})")
        return
    try:
        meta, body = split_front_matter(text)
    except InputError as exc:
        yield ReadProblem(str(path), str(exc))
        return
    default_id = _default_id(path, base)
    try:
        yield make_article(body, meta, default_id=default_id, path=str(path))
    except InputError as exc:
        yield ReadProblem(str(path), str(exc), _known_id(meta, default_id))


# JSON Lines end at \n, \r\n or \r only (never raw inside JSON): str.splitlines() also
# breaks at U+2028, U+2029 and U+0085, which JSON writers (json.dumps(ensure_ascii=False),
# JavaScript) leave raw inside strings, so such an article was cut in two and refused.
_LINE_END = re.compile(rb"\r\n|\r|\n")
_CHUNK = 1 << 20


def _split_lines(f) -> Iterator[bytes]:
    """Lines of a binary file, without their ends, read a chunk at a time: a feed of
    any size is read in the memory of its longest line. The same lines as splitting
    the whole text at ``_LINE_END`` (the last one, after the last line end, included)."""
    pending: list[bytes] = []  # the start of a line that goes on in the next chunk
    after_cr = False  # the last chunk ended with \r: a \n next is the rest of that line end
    while chunk := f.read(_CHUNK):
        if after_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        after_cr = chunk.endswith(b"\r")
        lines = _LINE_END.split(chunk)
        if len(lines) == 1:
            pending.append(chunk)
            continue
        lines[0] = b"".join(pending) + lines[0]
        pending = [lines.pop()]
        yield from lines
    yield b"".join(pending)


def _read_jsonl(path: Path, base: Path) -> Iterator[Article | ReadProblem]:
    """One article per line, read lazily (a feed is never held whole)."""
    stem = _default_id(path, base)
    any_line = False
    try:
        f = path.open("rb")
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read: {exc.strerror or exc}")
        return
    with f:
        lines = _split_lines(f)
        lineno = 0
        while True:
            try:
                raw = next(lines, None)
            except OSError as exc:
                yield ReadProblem(f"{path}:{lineno + 1}", f"cannot read: {exc.strerror or exc}")
                return
            if raw is None:
                break
            lineno += 1
            where = f"{path}:{lineno}"
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                any_line = True
                yield ReadProblem(where, f"not UTF-8 (byte {exc.start} of the line: {raw[exc.start:exc.start + 1]!r})")
                continue
            if not line.strip():
                continue
            any_line = True
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ReadProblem(where, f"not valid JSON: {exc.msg} (column {exc.colno})")
                continue
            default_id = f"{stem}/{lineno}"
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                yield ReadProblem(where, 'not an article: expected an object with a string "text"',
                                  _known_id(obj, default_id) if isinstance(obj, dict) else None)
                continue
            try:
                yield make_article(obj["text"], obj, default_id=default_id, path=where)
            except InputError as exc:
                yield ReadProblem(where, str(exc), _known_id(obj, default_id))
    if not any_line:
        yield ReadProblem(str(path), "empty file")


_SURROGATE = re.compile("[\ud800-\udfff]")
# U+FFFE / U+FFFF are noncharacters (U+FFFE is a byte-swapped BOM: UTF-16 read the wrong
# way round). RDF writers escape them as \uFFFE / \uFFFF, which Raptor (rapper) refuses,
# so exports holding one did not parse everywhere. No real text has them: refused.
_NONCHARACTER = re.compile("[\ufffe\uffff]")


def _unencodable(text: str) -> str | None:
    """Why ``text`` cannot go into RDF as it is, or None."""
    bad = _SURROGATE.search(text)
    if bad:
        return f"an unpaired surrogate (U+{ord(bad.group()):04X}) at character {bad.start()}: badly decoded input"
    bad = _NONCHARACTER.search(text)
    if bad:
        return (f"the Unicode noncharacter U+{ord(bad.group()):04X} at character {bad.start()}: "
                f"badly decoded input (UTF-16 read as another encoding?)")
    return None


# Front matter between two "---" lines; lines may end in \n, \r\n or \r (old Mac files).
_FRONT_MATTER = re.compile(r"\A---[ \t]*(?:\r\n|\r|\n)(.*?)(?<=[\r\n])---[ \t]*(?:\r\n|\r|\n|\Z)", re.S)
# Metadata that is text as written: YAML 1.1 would make `id: 010` the integer 8, `0x1F`
# 31, `12:30` (sexagesimal) 750, `1.10` the float 1.1 and `yes` true. `published` keeps
# YAML's dates (kg._published).
TEXT_KEYS = ("id", "title", "url", "source", "authors", "language")
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"


def _as_text(node: yaml.Node) -> None:
    """Plain scalars in ``node`` (or in the list it is) read as strings; null stays null."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _as_text(item)
    elif isinstance(node, yaml.ScalarNode) and node.style is None and node.tag != _NULL_TAG:
        node.tag = _STR_TAG


def _load_front_matter(text: str):
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value in TEXT_KEYS:
                    _as_text(value)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def split_front_matter(text: str) -> tuple[dict, str]:
    """``(metadata, body)``. Without front matter the whole text is the body."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        meta = _load_front_matter(m.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise InputError(f"front matter is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML builds dates while parsing: "published: 2021-13-45" raises ValueError
        # ("month must be in 1..12") from inside safe_load, which used to escape and
        # abort the whole build instead of refusing this one file.
        raise InputError(f"front matter has a bad value: {exc}") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError("front matter is not a YAML mapping")
    return meta, text[m.end():]


def _article_id(meta: dict, default_id: str) -> str:
    art_id = meta.get("id", default_id)
    if isinstance(art_id, (int, float)) and not isinstance(art_id, bool):
        art_id = str(art_id)  # a JSON number (front matter ids are text already)
    if not isinstance(art_id, str) or not art_id.strip():
        raise InputError(f"id must be a non-empty string, not {art_id!r}")
    return art_id


def _known_id(meta: dict, default_id: str) -> str | None:
    """The id of an article that was refused, if it has a valid one."""
    try:
        return _article_id(meta, default_id)
    except InputError:
        return None


def make_article(body: str, meta: dict, default_id: str, path: str | None = None) -> Article:
    """Validate metadata and build an ``Article``; ``InputError`` says what is wrong."""
    if not body.strip():
        raise InputError("empty article (no text)")
    bad = _unencodable(body)
    if bad:
        raise InputError(f"text has {bad}")
    art_id = _article_id(meta, default_id)
    fields_ = {k: _text_field(meta, k) for k in ("title", "url", "source", "language")}
    authors = meta.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise InputError("authors must be a string or a list of strings")
    # Metadata goes into literals and IRIs too: a lone surrogate there (JSON "\ud800")
    # cannot be encoded as UTF-8 and used to crash the whole build at hashing time.
    # (Checked after the fields are known to be text.)
    for key, value in [("id", art_id), *fields_.items(), *(("authors", a) for a in authors)]:
        bad = _unencodable(value) if value is not None else None
        if bad:
            raise InputError(f"{key} has {bad}")
    credits, excluded = find_furniture(body)
    headline = fields_["title"] or _first_line(body, skip=credits + excluded)
    return Article(
        id=art_id, body=body, headline=headline, published=_published(meta.get("published")),
        url=fields_["url"], source=fields_["source"], authors=authors,
        language=fields_["language"], path=path, credits=credits, excluded=excluded,
    )


def _text_field(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list, bool)):
        raise InputError(f"{key} must be text, not {type(value).__name__}")
    return str(value)


def _published(value) -> str | None:
    """ISO 8601 date or date-time, normalised to its ISO form."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        s = value.strip()
        try:
            value = dt.date.fromisoformat(s) if len(s) == 10 else dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            pass
    if isinstance(value, dt.datetime):
        _check_offset(value)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise InputError(f"published must be an ISO 8601 date or date-time, not {value!r}")


# XML Schema 1.1 Part 2, "timezoneFrag": whole minutes, at most 14:00 either way.
MAX_UTC_OFFSET = dt.timedelta(hours=14)


def _check_offset(value: dt.datetime) -> None:
    """Python takes offsets up to 23:59:59.999999; xsd:dateTime does not (a store or
    validator refuses the literal), so such a date is refused here, with the reason."""
    offset = value.utcoffset()
    if offset is None:
        return
    if abs(offset) > MAX_UTC_OFFSET or offset % dt.timedelta(minutes=1):
        raise InputError(f"published {value.isoformat()} has a UTC offset that xsd:dateTime does not allow "
                         f"(whole minutes, -14:00 to +14:00)")


def _lines(body: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line, end before the line break."""
    for m in re.finditer(r"[^\r\n]*", body):
        if m.start() == m.end() and m.start() > 0 and body[m.start() - 1] not in "\r\n":
            continue
        yield m.start(), m.end()


def _is_credit(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 160 or s.endswith((".", "?", "!", '"', "\u201d")) and "|" not in s:
        return False
    if CREDIT_PREFIX.match(s):
        return True
    parts = [p.strip() for p in s.strip("()[]").split("|")]
    if len(parts) >= 2 and all(0 < len(p.split()) <= 5 for p in parts):
        return True
    if "/" in s and len(s.split()) <= 8:
        # "Name/Agency", "AP Photo/Name"
        return any(a.lower() in s.lower() for a in CREDIT_AGENCIES)
    return False


def find_furniture(body: str) -> tuple[list[Mention], list[Mention]]:
    """Credit lines anywhere, and boilerplate lines at the end of the body."""
    credits, excluded = [], []
    lines = [(b, e) for b, e in _lines(body)]
    for b, e in lines:
        text = body[b:e]
        if _is_credit(text):
            s = b + (len(text) - len(text.lstrip()))
            credits.append(Mention(s, s + len(text.strip()), text.strip()))
    # Boilerplate: whole lines at the tail (skipping blank ones).
    for b, e in reversed(lines):
        text = body[b:e]
        if not text.strip():
            continue
        if BOILERPLATE_LINES.match(text):
            s = b + (len(text) - len(text.lstrip()))
            excluded.append(Mention(s, s + len(text.strip()), text.strip()))
            continue
        break
    excluded.reverse()
    return credits, excluded


def _first_line(body: str, skip: list[Mention]) -> str | None:
    skipped = {m.start for m in skip}
    for b, e in _lines(body):
        text = body[b:e]
        if text.strip():
            s = b + (len(text) - len(text.lstrip()))
            if s in skipped:
                continue
            return text.strip()
    return None
