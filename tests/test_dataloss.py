"""Builds and removes that lose no data: ``--prune`` drops only what is really gone,
one base IRI per store, ``kg remove`` can be run again after a kill, and reading keeps
what the inputs say (ids as written, every input read or reported, feeds streamed)."""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import BuildOptions, build, remove
from kg.cli import main
from kg.errors import StoreError
from kg.reading import articles
from kg.reading.articles import Article, ReadProblem, iter_articles
from kg.store.embedded import BASE_IRI_NAME, Store
from kg.store.export import export

ROOT = Path(__file__).resolve().parent.parent


def _read(*paths):
    items = list(iter_articles(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadProblem)]


def write_corpus(root: Path) -> Path:
    """Three short stories, one in a subfolder."""
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_text("Boeing said on Monday that it would cut 2,000 jobs in Seattle.", encoding="utf-8")
    (root / "sub" / "b.md").write_text("Airbus delivered 40 jets in April, the planemaker said.", encoding="utf-8")
    (root / "c.md").write_text("Emmanuel Macron met Angela Merkel in Paris on Tuesday.", encoding="utf-8")
    return root


def article_ids(out: Path) -> set[str]:
    with Store(out / "store", read_only=True) as store:
        return set(store.built_articles_with_activity())


def exports(out: Path) -> tuple[bytes, bytes]:
    return (out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes()


def exports_from_store(out: Path, tmp: Path) -> tuple[bytes, bytes]:
    """What `kg export` writes from the store now."""
    with Store(out / "store", read_only=True) as store:
        return (export(store, "turtle", tmp / "full.ttl").read_bytes(),
                export(store, "trig", tmp / "full.trig").read_bytes())


@pytest.fixture()
def built(tmp_path):
    corpus = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert build([corpus], BuildOptions(out_dir=out, progress=False)).built == 3
    return corpus, out


def _refuse(monkeypatch, name: str, path: Path) -> None:
    """``Path.<name>`` (read_bytes, open) or ``os.scandir`` fails with EACCES for ``path``:
    tests run as root, whom chmod 000 does not stop."""
    if name == "scandir":
        real = os.scandir

        def scandir(p="."):
            if Path(p) == path:
                raise PermissionError(13, "Permission denied", str(p))
            return real(p)

        monkeypatch.setattr(os, "scandir", scandir)
        return
    real = getattr(Path, name)

    def refused(self, *args, **kw):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kw)

    monkeypatch.setattr(Path, name, refused)


# 1. --prune removes only what is really gone.

def test_prune_keeps_the_graph_of_an_unreadable_file(built, monkeypatch, capsys):
    corpus, out = built
    _refuse(monkeypatch, "read_bytes", corpus / "a.md")
    (corpus / "c.md").unlink()  # really gone, but a's id is unknown: nothing is pruned
    report = build([corpus], BuildOptions(out_dir=out, progress=False, prune=True))
    assert [(p.path, p.reason) for p in report.failed] == [(str(corpus / "a.md"), "cannot read: Permission denied")]
    assert report.removed == 0 and article_ids(out) == {"a", "sub/b", "c"}
    assert report.notices and report.notices[0].startswith(f"nothing pruned: {corpus / 'a.md'} could not be read")
    # the command fails, naming the file and the reason, and says why nothing was pruned
    code = main(["build", str(corpus), "--out", str(out), "--prune", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"kg: skipped {corpus / 'a.md'}: cannot read: Permission denied" in err
    assert "nothing pruned" in err and article_ids(out) == {"a", "sub/b", "c"}
    monkeypatch.undo()  # readable again: c is pruned now
    report = build([corpus], BuildOptions(out_dir=out, progress=False, prune=True))
    assert (report.removed, report.failed, report.notices) == (1, [], [])
    assert article_ids(out) == {"a", "sub/b"}


def test_prune_keeps_the_graphs_of_an_unreadable_folder(built, monkeypatch):
    corpus, out = built
    _refuse(monkeypatch, "scandir", corpus / "sub")
    report = build([corpus], BuildOptions(out_dir=out, progress=False, prune=True))
    assert [(p.path, p.reason) for p in report.failed] == [
        (str(corpus / "sub"), "cannot read folder: Permission denied")]
    assert report.removed == 0 and article_ids(out) == {"a", "sub/b", "c"}


def test_prune_keeps_a_refused_article_whose_id_is_known(built):
    """A file that is read but refused (a bad date) keeps its graph; the id is known, so
    what is really gone is still pruned."""
    corpus, out = built
    (corpus / "a.md").write_text("---\npublished: yesterday\n---\nBoeing cut jobs.", encoding="utf-8")
    (corpus / "c.md").unlink()
    report = build([corpus], BuildOptions(out_dir=out, progress=False, prune=True))
    assert [p.article_id for p in report.failed] == ["a"] and "published" in report.failed[0].reason
    assert report.removed == 1 and article_ids(out) == {"a", "sub/b"}


def test_prune_keeps_the_articles_of_a_refused_link(built, tmp_path):
    """Articles built from a link that is now refused (it points out of the inputs) stay."""
    corpus, out = built
    outside = tmp_path / "elsewhere"
    (corpus / "sub").rename(outside)
    (corpus / "sub").symlink_to(outside, target_is_directory=True)
    report = build([corpus], BuildOptions(out_dir=out, progress=False, prune=True))
    assert [p.path for p in report.failed] == [str(corpus / "sub")]
    assert "outside the input folders" in report.failed[0].reason
    assert report.removed == 0 and article_ids(out) == {"a", "sub/b", "c"}


def test_symlinks_one_rule_for_files_and_folders(tmp_path):
    """Followed when they resolve inside the inputs, refused (reported) otherwise; loops
    and broken links reported."""
    corpus, outside = tmp_path / "in", tmp_path / "out"
    (corpus / "real").mkdir(parents=True)
    outside.mkdir()
    (corpus / "real" / "x.txt").write_text("A story inside.", encoding="utf-8")
    (outside / "y.txt").write_text("A story outside.", encoding="utf-8")
    (corpus / "file-in.txt").symlink_to(corpus / "real" / "x.txt")
    (corpus / "file-out.txt").symlink_to(outside / "y.txt")
    (corpus / "dir-in").symlink_to(corpus / "real", target_is_directory=True)
    (corpus / "dir-out").symlink_to(outside, target_is_directory=True)
    (corpus / "real" / "up").symlink_to(corpus, target_is_directory=True)  # a loop
    (corpus / "ring1").symlink_to(corpus / "ring2")  # a loop of links
    (corpus / "ring2").symlink_to(corpus / "ring1")
    (corpus / "gone.txt").symlink_to(corpus / "missing.txt")
    arts, problems = _read(corpus)
    assert [a.id for a in arts] == ["dir-in/x", "file-in", "real/x"]
    reasons = {Path(p.path).relative_to(corpus).as_posix(): p.reason for p in problems}
    assert sorted(reasons) == ["dir-in/up", "dir-out", "file-out.txt", "gone.txt", "real/up", "ring1", "ring2"]
    assert reasons["file-out.txt"] == f"symbolic link to {outside / 'y.txt'}, outside the input folders: not followed"
    assert reasons["dir-out"] == f"symbolic link to {outside}, outside the input folders: not followed"
    assert reasons["real/up"].startswith("symbolic link loop") and reasons["ring1"].startswith("symbolic link loop")
    assert reasons["gone.txt"].startswith("broken symbolic link")
    assert all(p.article_id is None for p in problems)
    # a folder given as input is inside the inputs: a link to it is followed
    (arts2, problems2) = _read(corpus / "real", outside)
    assert [a.id for a in arts2] == ["x", "y"]
    assert [Path(p.path).name for p in problems2] == ["up"]  # the link to corpus/ is out of these inputs


def test_walk_order_is_the_order_of_sorted_paths(tmp_path):
    for rel in ["a/b.txt", "a.txt", "a-b/c.txt", "B.txt", "a/.hidden.txt", ".h/x.txt", "z/y/x.md"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"Story {rel}.", encoding="utf-8")
    arts, problems = _read(tmp_path)
    expected = [p.relative_to(tmp_path).with_suffix("").as_posix() for p in sorted(tmp_path.rglob("*"))
                if p.is_file() and not any(s.startswith(".") for s in p.relative_to(tmp_path).parts)]
    assert [a.id for a in arts] == expected and problems == []


# 2. One base IRI per store.

def test_a_store_has_one_base_iri(built, tmp_path, capsys):
    corpus, out = built
    before = exports(out)
    assert (out / "store" / BASE_IRI_NAME).read_text(encoding="utf-8") == "https://kg.example.org/id/\n"
    with pytest.raises(StoreError, match="base IRI https://kg.example.org/id/, not http://example.com/x/"):
        build([corpus], BuildOptions(out_dir=out, progress=False, base_iri="http://example.com/x/"))
    assert exports(out) == before and len(article_ids(out)) == 3
    # a store made before the record: its base is learnt from its graphs
    (out / "store" / BASE_IRI_NAME).unlink()
    code = main(["build", str(corpus), "--out", str(out), "--base-iri", "http://example.com/x/", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == StoreError.exit_code
    assert err[-1] == (f"kg: error: {out / 'store'} holds graphs with base IRI https://kg.example.org/id/, not "
                       f"http://example.com/x/: pass --base-iri https://kg.example.org/id/, or build into a new --out")
    with Store(out / "store", read_only=True) as store:
        assert len(store.graphs()) == 3  # nothing written
    assert build([corpus], BuildOptions(out_dir=out, progress=False)).unchanged == 3
    assert (out / "store" / BASE_IRI_NAME).exists()
    # the record is no part of the graph: exports as before
    assert exports(out) == before


# 3. kg remove can be run again.

def test_remove_of_an_id_not_in_the_store_is_a_notice(built, tmp_path, capsys):
    corpus, out = built
    before = exports(out)
    assert main(["remove", "nope", "--out", str(out)]) == 0
    assert "kg: not in the store: 'nope' (nothing to remove)" in capsys.readouterr().err
    assert exports(out) == before
    report = remove(["c", "c", "nope"], BuildOptions(out_dir=out))
    assert report.removed == 1 and article_ids(out) == {"a", "sub/b"}


def test_remove_repairs_exports_of_a_remove_killed_before_them(built, tmp_path):
    """The store drop done, the exports not (as a kill between the two leaves it)."""
    corpus, out = built
    with Store(out / "store") as store:
        store.drop_graph(store.built_articles_with_activity()["c"][0])
    assert b"Macron" in exports(out)[0]  # stale
    report = remove(["c"], BuildOptions(out_dir=out))
    assert report.removed == 0 and report.notices
    assert b"Macron" not in exports(out)[0]
    assert exports(out) == exports_from_store(out, tmp_path)


def test_remove_killed_then_run_again(built, tmp_path):
    """A real `kg remove`, SIGKILLed as its exports are being written (seen from outside:
    the export's temporary file appears), or at seeded random moments; running the same
    command again finishes it."""
    from .test_crash import frozen_code, kill_when

    corpus, out = built
    env = frozen_code(tmp_path)
    template = tmp_path / "template"
    os.rename(out, template)
    rng = random.Random(20261201)
    killed = 0
    for delay in ["export"] * 3 + [rng.uniform(0.0, 1.5) for _ in range(4)]:
        subprocess.run(["cp", "-a", str(template), str(out)], check=True)
        proc = subprocess.Popen([sys.executable, "-m", "kg", "remove", "c", "--out", str(out)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT.parent)
        killed += kill_when(proc, out, delay)
        res = subprocess.run([sys.executable, "-m", "kg", "remove", "c", "--out", str(out)], env=env,
                             capture_output=True, text=True, cwd=ROOT.parent)
        assert res.returncode == 0, res.stderr
        assert article_ids(out) == {"a", "sub/b"}
        assert exports(out) == exports_from_store(out, tmp_path)
        assert b"Macron" not in exports(out)[0]
        subprocess.run(["rm", "-rf", str(out)], check=True)
    print(f"\nkg remove: {killed} of 7 killed")
    assert killed >= 3


# 4. Ids and other text fields as written.

def test_front_matter_text_fields_are_the_text_as_written(tmp_path):
    cases = {"octal": "010", "hex": "0x1F", "sexagesimal": "12:30", "float": "1.10", "bool": "yes",
             "date": "2021-01-02"}
    for name, value in cases.items():
        (tmp_path / f"{name}.md").write_text(
            f"---\nid: {value}\ntitle: {value}\nsource: {value}\nurl: {value}\nlanguage: {value}\n"
            f"authors: [{value}, 0o17]\npublished: 2021-03-04 10:00:00+01:00\n---\nA story.", encoding="utf-8")
    arts, problems = _read(tmp_path)
    assert problems == []
    got = {a.path.rsplit("/", 1)[1][:-3]: a for a in arts}
    for name, value in cases.items():
        a = got[name]
        assert (a.id, a.headline, a.source, a.url, a.language, a.authors) == (
            value, value, value, value, value, [value, "0o17"])
        assert a.published == "2021-03-04T10:00:00+01:00"  # dates still parsed
    # quoted, null and structured values as before
    (tmp_path / "n.md").write_text("---\nid: '007'\ntitle: ~\n---\nHeadline\n", encoding="utf-8")
    (tmp_path / "l.md").write_text("---\ntitle: [a, b]\n---\nBody.", encoding="utf-8")
    arts, problems = _read(tmp_path / "n.md", tmp_path / "l.md")
    assert [(a.id, a.headline) for a in arts] == [("007", "Headline")]
    assert [p.reason for p in problems] == ["title must be text, not list"]


# 5. Minor.

def test_front_matter_with_cr_line_ends(tmp_path):
    (tmp_path / "mac.md").write_bytes(b"---\rid: story-cr\rtitle: Old Mac\r---\rFirst line.\rSecond.\r")
    (art,), problems = _read(tmp_path)
    assert problems == [] and (art.id, art.headline) == ("story-cr", "Old Mac")
    assert art.body == "First line.\rSecond.\r"


@pytest.mark.parametrize("published, ok", [
    ("2021-03-04T10:00:00+14:00", True), ("2021-03-04T10:00:00-14:00", True), ("2021-03-04T10:00:00Z", True),
    ("2021-03-04T10:00:00+23:59", False), ("2021-03-04T10:00:00-14:01", False),
    ("2021-03-04T10:00:00+05:30:15", False)])
def test_published_offsets_are_those_xsd_allows(tmp_path, published, ok):
    lines = [json.dumps({"id": "j", "text": "A story.", "published": published})]
    (tmp_path / "f.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "y.md").write_text(f"---\npublished: {published.replace('T', ' ')}\n---\nA story.", encoding="utf-8")
    arts, problems = _read(tmp_path)
    if ok:
        assert problems == [] and len(arts) == 2
    else:
        assert arts == [] and len(problems) == 2
        assert all("UTC offset that xsd:dateTime does not allow" in p.reason for p in problems)
        assert [p.article_id for p in problems] == ["j", "y"]


def test_remove_needs_a_store(tmp_path, capsys):
    where = tmp_path / "nothing"
    assert main(["remove", "x", "--out", str(where)]) == StoreError.exit_code
    assert "no kg store here" in capsys.readouterr().err
    assert not where.exists()


# 6. .jsonl streamed.

def test_split_lines_is_splitting_the_whole_text(monkeypatch):
    """Line ends cut by a chunk boundary (\\r | \\n) included: tiny chunks, random text."""
    import io

    rng = random.Random(7)
    for chunk in (1, 2, 3, 5, 64):
        monkeypatch.setattr(articles, "_CHUNK", chunk)
        for _ in range(200):
            data = bytes(rng.choice(b"ab\r\n") for _ in range(rng.randrange(0, 40)))
            assert list(articles._split_lines(io.BytesIO(data))) == re.split(rb"\r\n|\r|\n", data), data


def test_jsonl_is_read_lazily(tmp_path, monkeypatch):
    """The first article comes before the feed is read past its first chunk."""
    line = json.dumps({"text": "Boeing cut jobs. " * 50}) + "\n"
    feed = tmp_path / "big.jsonl"
    feed.write_text(line * 5000, encoding="utf-8")  # about 4.3 MB, over four chunks
    read = []
    real_open = Path.open

    def counting_open(self, *args, **kw):
        f = real_open(self, *args, **kw)
        real_read = f.read

        def counted(n=-1):
            data = real_read(n)
            read.append(len(data))
            return data

        f.read = counted
        return f

    monkeypatch.setattr(Path, "open", counting_open)
    items = iter_articles([feed])
    first = next(items)
    assert first.id == "big/1" and sum(read) <= 1 << 20 < feed.stat().st_size
    assert sum(1 for _ in items) == 4999 and sum(read) == feed.stat().st_size


def test_jsonl_problems_per_line_kept(tmp_path):
    data = (b'{"id": "x1", "text": "One."}\r\n{not json\r' + b'{"id": "x3", "text": "Caf\xe9."}\n'
            + b'\xef\xbb\xbf{"text": "BOM inside."}\n{"id": "x5", "text": ""}\n')
    (tmp_path / "f.jsonl").write_bytes(b"\xef\xbb\xbf" + data)
    arts, problems = _read(tmp_path)
    assert [a.id for a in arts] == ["x1"]
    assert [(p.path.rsplit(":", 1)[1], p.article_id) for p in problems] == [
        ("2", None), ("3", None), ("4", None), ("5", "x5")]
    assert problems[1].reason.startswith("not UTF-8 (byte 25 of the line")
