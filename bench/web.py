"""Server time of each page kind of the explorer (kg.web), through Flask's test client
(no network, no browser: what the server spends on SPARQL and templates).

    .venv/bin/python bench/web.py STORE_DIR [-n N]

Picks its pages from the store itself: the first articles by date, the most mentioned
entities, the busiest event type. Prints the explorer's start (``create_app``: it computes
the store's summary, kg.web.summary), then per kind the slowest first request of its pages
(an entity's page keeps what it derives from all the entity's events, and the console a
query's answer, per store state: their first requests do the work), and, over N requests
after those (round robin over its pages), the median and the worst time.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.web import create_app  # noqa: E402


def links(html: str, path: str, limit: int) -> list[str]:
    found = re.findall(rf'href="({re.escape(path)}\?[^"]+)"', html)
    return list(dict.fromkeys(u.replace("&amp;", "&") for u in found))[:limit]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("-n", type=int, default=20, help="requests per page kind (default 20)")
    args = ap.parse_args()
    started = time.perf_counter()
    client = create_app(args.store).test_client()
    start = time.perf_counter() - started
    home = client.get("/").get_data(as_text=True)
    articles, entities = links(home, "/article", 5), links(home, "/entity", 5)
    timeline = client.get("/timeline").get_data(as_text=True)
    types = re.findall(r'<option value="([A-Za-z]+)" *>\w+ \(\d+\)', timeline)[:3]
    first_name = re.search(r'class="ent k-\w+" href="/entity\?[^"]+">([^<]+)</a>', home).group(1)
    who_met = (ROOT / "ontology" / "queries" / "who-met-whom.rq").read_text()
    kinds = {
        "home": ["/", "/?page=2"],
        "search": ["/search?q=" + urllib.parse.quote(first_name[:4]), "/search?q=a&kind=org", "/search?q=e&page=2"],
        "article": articles,
        "entity": entities,
        "graph json": [u.replace("/entity", "/api/graph") for u in entities],
        "timeline": ["/timeline", "/timeline?page=2"] + [f"/timeline?type={t}" for t in types]
                    + [u.replace("/entity?iri", "/timeline?entity") for u in entities[:2]],
        "sparql console": ["/sparql?query=" + urllib.parse.quote(who_met)],
    }
    print(f"kg.web server time per page kind on {args.store} ({args.n} requests each, test client)")
    print(f"explorer start (the store's summary): {start:.1f} s")
    print(f"{'page kind':<16}{'pages':>6}{'first ms':>10}{'median ms':>11}{'worst ms':>10}")
    for kind, urls in kinds.items():
        first = []
        for u in urls:  # the first request of each page (and a check)
            t = time.perf_counter()
            resp = client.get(u)
            first.append((time.perf_counter() - t) * 1000)
            if resp.status_code != 200:
                raise SystemExit(f"{u}: HTTP {resp.status_code}")
        times = []
        for i in range(args.n):
            t = time.perf_counter()
            client.get(urls[i % len(urls)]).get_data()
            times.append((time.perf_counter() - t) * 1000)
        print(f"{kind:<16}{len(urls):>6}{max(first):>10.1f}{statistics.median(times):>11.1f}{max(times):>10.1f}")


if __name__ == "__main__":
    main()
