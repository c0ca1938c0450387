"""Reading articles: formats, ids, headlines, credits, boilerplate, bad inputs."""
from __future__ import annotations

import json

import pytest

from kg.reading.articles import Article, ReadProblem, iter_articles, split_front_matter
from kg.errors import InputError

from .conftest import SEEDS


def _read(*paths):
    items = list(iter_articles(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadProblem)]


def test_seed_read_as_it_is():
    (art,), problems = _read(SEEDS)
    raw = (SEEDS / "000_6ce42e271251dfbb.txt").read_bytes().decode("utf-8")
    assert problems == []
    assert art.body == raw  # not a character changed
    assert art.id == "000_6ce42e271251dfbb"
    assert art.headline.startswith("After three days, Trump rejects Putin's")
    assert art.published is None
    assert [c.text for c in art.credits] == ["Brendan Smialowski | AFP | Getty Images"]
    assert [e.text for e in art.excluded] == ["Click to show more"]
    masked = art.masked_body()
    assert len(masked) == len(art.body)
    assert "Getty" not in masked and "Click to show more" not in masked
    for c in art.credits + art.excluded:
        assert art.body[c.start:c.end] == c.text


def test_front_matter_and_body(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\nid: story-1\ntitle: A title\npublished: 2020-03-04\nurl: https://example.com/1\n"
        "source: Example News\nauthors: [Ann, Bob]\n---\nFirst line.\nSecond line.\n", encoding="utf-8")
    (art,), _ = _read(tmp_path)
    assert art.id == "story-1" and art.headline == "A title" and art.published == "2020-03-04"
    assert art.body == "First line.\nSecond line.\n"
    assert art.authors == ["Ann", "Bob"] and art.source == "Example News"


def test_ids_from_paths_recursive_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed story.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Ay story.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    arts, problems = _read(tmp_path)
    assert [a.id for a in arts] == ["a", "b/z"] and problems == []


def test_jsonl_lines_and_bad_lines(tmp_path):
    lines = [json.dumps({"id": "x1", "text": "One.", "published": "2021-01-02"}),
             "{not json", json.dumps({"text": "Two."}), json.dumps({"id": "x3"})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts, problems = _read(tmp_path)
    assert [a.id for a in arts] == ["x1", "feed/3"]
    assert [p.path.rsplit(":", 1)[1] for p in problems] == ["2", "4"]


def test_unreadable_files_reported_by_name_and_reason(tmp_path):
    (tmp_path / "good.txt").write_text("A fine story.", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 story".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "empty.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp_path / "badyaml.md").write_text("---\ntitle: [unclosed\n---\nBody.", encoding="utf-8")
    (tmp_path / "baddate.md").write_text("---\npublished: yesterday\n---\nBody.", encoding="utf-8")
    arts, problems = _read(tmp_path)
    assert [a.id for a in arts] == ["good"]
    reasons = {p.path.rsplit("/", 1)[1]: p.reason for p in problems}
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "YAML" in reasons["badyaml.md"]
    assert "published" in reasons["baddate.md"]


def test_duplicate_ids_are_problems(tmp_path):
    (tmp_path / "a.md").write_text("---\nid: same\n---\nOne.", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\nid: same\n---\nTwo.", encoding="utf-8")
    arts, problems = _read(tmp_path)
    assert len(arts) == 1 and "duplicate article id" in problems[0].reason


def test_missing_path_raises():
    with pytest.raises(InputError, match="no such file"):
        list(iter_articles(["/nonexistent/kg-input"]))


def test_front_matter_only_at_start():
    meta, body = split_front_matter("Text first\n---\nid: x\n---\n")
    assert meta == {} and body.startswith("Text first")


def test_crlf_body_kept(tmp_path):
    (tmp_path / "w.txt").write_bytes(b"Headline\r\n\r\nBody text.\r\n")
    (art,), _ = _read(tmp_path)
    assert art.body == "Headline\r\n\r\nBody text.\r\n" and art.headline == "Headline"
