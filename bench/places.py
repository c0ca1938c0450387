"""The cost of offline place linking (issue 12: at most 5% of build time).

    .venv/bin/python bench/places.py CORPUS [--limit N]

Builds CORPUS (a folder or a .jsonl of articles) in this process, into a temporary
folder, under cProfile with a CPU clock, and prints the CPU time spent resolving and
linking places — the reading of the article's place names against the gazetteers
(``kg.nlp.entities`` calling ``gazetteer.resolve``, indexes loaded on first use
included) and their containment (``gazetteer.containers``) — as a share of the whole
build's CPU. ``bench/run.py`` prints the same share as one of its rows.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (module path suffix, function): the place-linking entry points; their cumulative time
# holds everything they call.
PLACE_LINKING = (("kg/nlp/entities.py", "_resolve_places"), ("kg/nlp/gazetteer.py", "containers"))


def place_share(corpus: Path) -> tuple[float, float]:
    """(CPU seconds of place linking, CPU seconds of the whole build) of a clean build."""
    from kg.build import BuildOptions, build

    prof = cProfile.Profile(time.process_time)
    with tempfile.TemporaryDirectory(prefix="kg-places-") as tmp:
        started = time.process_time()
        prof.enable()
        build([corpus], BuildOptions(out_dir=Path(tmp), progress=False, formats=("turtle",)))
        prof.disable()
        total = time.process_time() - started
    stats = pstats.Stats(prof).stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    places = sum(ct for (file, _, name), (_, _, _, ct, _) in stats.items()
                 if any(file.endswith(suffix) and name == fn for suffix, fn in PLACE_LINKING))
    return places, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    args = ap.parse_args()
    places, total = place_share(args.corpus)
    print(f"place linking: {places:.2f} s CPU of {total:.2f} s for the build ({places / total:.1%}); target <= 5%")


if __name__ == "__main__":
    main()
