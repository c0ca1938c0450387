"""Article text as HTML: every mention a link, built on the server from the RDF's NIF
offsets (Python ``str`` indices, end exclusive: shared/spec/rdf-contract.md, 3). The text
is escaped piece by piece; no markup from the article ever reaches the page."""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    begin: int
    end: int
    href: str
    kind: str       # css class suffix: person, org, place, event, time, ...
    title: str      # what the mention denotes (shown on hover)


def nest(spans: list[Span], length: int) -> list[Span]:
    """The spans that can be drawn: inside the text, non-empty, and either disjoint from or
    nested in one another (a mention that crosses another's edge is left out, since HTML
    elements cannot cross). Outer spans first at equal begin; duplicates dropped."""
    out: list[Span] = []
    stack: list[Span] = []
    seen = set()
    for s in sorted(spans, key=lambda s: (s.begin, -s.end, s.kind, s.href)):
        if not (0 <= s.begin < s.end <= length) or (s.begin, s.end) in seen:
            continue
        while stack and stack[-1].end <= s.begin:
            stack.pop()
        if stack and s.end > stack[-1].end:
            continue  # crosses the enclosing span's end
        seen.add((s.begin, s.end))
        stack.append(s)
        out.append(s)
    return out


def highlight(text: str, spans: list[Span]) -> Markup:
    """``text`` as HTML, each drawable span an element with class ``m k-KIND`` and its
    offsets as ``data-begin`` / ``data-end``. Links cannot nest, so a mention with mentions
    inside it ("United States Air Force" around "United States") is a ``<span>`` whose own
    words (outside the inner mentions) are links to it; every other mention is an ``<a>``.
    Line breaks are kept by the stylesheet (white-space: pre-wrap)."""
    spans = nest(spans, len(text))
    children: dict[int, list[int]] = {-1: []}
    stack: list[int] = []
    for i, s in enumerate(spans):
        while stack and spans[stack[-1]].end <= s.begin:
            stack.pop()
        children[stack[-1] if stack else -1].append(i)
        children[i] = []
        stack.append(i)

    def attrs(s: Span) -> str:
        return (f'class="m k-{escape(s.kind)}" title="{escape(s.title)}" '
                f'data-begin="{s.begin}" data-end="{s.end}"')

    def render(begin: int, end: int, kids: list[int], owner: Span | None) -> str:
        out, pos = [], begin
        for k in kids:
            c = spans[k]
            if c.begin > pos:
                out.append(gap(pos, c.begin, owner))
            if children[k]:
                out.append(f'<span {attrs(c)} data-href="{escape(c.href)}">'
                           f'{render(c.begin, c.end, children[k], c)}</span>')
            else:
                out.append(f'<a {attrs(c)} href="{escape(c.href)}">{escape(text[c.begin:c.end])}</a>')
            pos = c.end
        if end > pos:
            out.append(gap(pos, end, owner))
        return "".join(out)

    def gap(a: int, b: int, owner: Span | None) -> str:
        if owner is None:
            return str(escape(text[a:b]))
        return f'<a class="part" href="{escape(owner.href)}" title="{escape(owner.title)}">{escape(text[a:b])}</a>'

    return Markup(render(0, len(text), children[-1], None))


_SENTENCE_END = re.compile(r"[.!?]['\"”’)]*\s+|\n")


def sentence_around(text: str, begin: int, end: int, limit: int = 280) -> tuple[str, str, str]:
    """(before, mention, after): the sentence holding ``text[begin:end]``, cut at sentence
    ends ('.', '!' or '?', closing quotes, then space) or line ends, at most ``limit``
    characters each side ("…" where cut short)."""
    start = max(0, begin - limit)
    ends = list(_SENTENCE_END.finditer(text, start, begin))
    if ends:
        start = ends[-1].end()
    before = ("…" if start > 0 and not ends else "") + text[start:begin]
    stop = min(len(text), end + limit)
    m = _SENTENCE_END.search(text, end, stop)
    after = text[end:m.end()] if m else text[end:stop] + ("…" if stop < len(text) else "")
    return before.lstrip(), text[begin:end], after.rstrip()
