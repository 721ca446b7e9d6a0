"""Running one fuzz case of each input kind through the real program, and what it must hold.

Every check feeds its case to the code a user runs (``Ingestor.ingest`` for files, ``poll`` against
a real HTTP server on 127.0.0.1 for feeds, sitemaps and pages, the app through Starlette's
TestClient for the API) on a fresh SQLite store, and asserts:

* no exception but one of ours (:class:`~eventledger.errors.EventLedgerError`), and that one only
  for an input whose structure is broken, naming the input;
* every good record stored, whatever hostile records stand next to it (for inputs kept intact);
* every refused record named (file:line, file, URL), its message free of tracebacks;
* no report that made the coder crash ("coding failed");
* the API never answers 5xx, and no 4xx body shows SQL, paths or a traceback;
* the case finishes within ``case_seconds``.

The tests (tests/fuzz/test_*.py) and ``bench/fuzz.py`` share these checks.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import os
import re
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, Phase, settings
from sqlalchemy import select

from eventledger import accounts
from eventledger.errors import EventLedgerError
from eventledger.extract.codebook import load_codebook
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.pipeline import Ingestor, IngestResult
from eventledger.sources import http as http_module
from eventledger.sources.config import SourceSpec
from eventledger.sources.files import ReadOptions
from eventledger.sources.http import FetchPolicy
from eventledger.store.db import Store
from eventledger.store.schema import documents, run_errors
from eventledger.watch import poll
from tests.fuzz import strategies as s
from tests.fuzz.hostile import to_bytes
from tests.sources.conftest import Site, make_handler

PROFILE_ENV = "EVENTLEDGER_FUZZ_PROFILE"
CASE_SECONDS = 10.0  # the CI limit of one case; bench/fuzz.py uses 30
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

# a message a user reads (a refused record, a failed source) never holds a traceback
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "')
# shown only when something went wrong on our side: an error answer of the web app never holds them
LEAK_MARKERS = (
    *TRACEBACK_MARKERS,
    "sqlite3.",
    "sqlalchemy",
    "psycopg",
    "OperationalError",
    "IntegrityError",
    "SELECT ",
    "INSERT INTO",
    "site-packages",
    ".py:",
    '.py"',
    "/tmp/",
    "/home/",
    "/work/",
)
POLICY = FetchPolicy(
    timeout=5.0,
    connect_timeout=2.0,
    retries=0,
    per_host_interval=0.0,
    respect_robots=False,
    allow_private=(ipaddress.ip_network("127.0.0.0/8"),),
)


def register_profiles() -> None:
    """``ci``: a small fixed budget, the same examples every run; ``triage``: the same without
    shrinking (a quick list of what fails); ``dev``: random, more examples; ``long``: the bench."""
    quiet = [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ]
    settings.register_profile(
        "ci",
        max_examples=8,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=quiet,
        print_blob=True,
    )
    ci = settings.get_profile("ci")
    settings.register_profile("triage", parent=ci, phases=[Phase.explicit, Phase.generate])  # no shrinking
    settings.register_profile("dev", parent=ci, max_examples=60, derandomize=False)
    settings.register_profile(
        "long", parent=settings.get_profile("ci"), max_examples=100_000, derandomize=False
    )


def fuzz_settings() -> settings:
    """The profile named by ``EVENTLEDGER_FUZZ_PROFILE`` (default ``ci``), for ``@fuzz_settings()``."""
    register_profiles()
    return settings(settings.get_profile(os.environ.get(PROFILE_ENV, "ci")))


class CaseTimeout(Exception):
    """A case ran past its time limit (a hang, or work that grows too fast with the input)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`CaseTimeout` in the main thread after ``seconds`` (no limit in other threads)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum: int, frame: Any) -> None:
        raise CaseTimeout(f"the case ran for more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    """What became of one case: records stored, records refused, or the whole input refused."""

    stored: int = 0
    refused: int = 0
    input_refused: str | None = None
    status: int | None = None  # HTTP status (API cases)


def _no_dns(host: str, port: int) -> list[str]:
    raise OSError(f"no name lookups in the fuzz harness ({host})")


@contextmanager
def offline() -> Iterator[None]:
    """Names never resolve: fetched URLs reach 127.0.0.1 or nothing."""
    saved = http_module._resolve
    http_module._resolve = _no_dns
    try:
        yield
    finally:
        http_module._resolve = saved


# --- the environment: codebook, gazetteer, an empty store, the local server, the web app ----------------
@dataclass
class WebApp:
    client: Any  # fastapi.testclient.TestClient
    tokens: dict[str, str]
    db: Path


class Env:
    """What every case needs, built once per session (or per bench worker)."""

    def __init__(self, root: Path, case_seconds: float = CASE_SECONDS) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.case_seconds = case_seconds
        self.codebook = load_codebook()
        self.gazetteer = default_gazetteer()
        self._numbers = itertools.count()
        self._template: Path | None = None
        self._site: Site | None = None
        self._server: ThreadingHTTPServer | None = None
        self._web: WebApp | None = None

    def warm_up(self) -> None:
        """Load what the first case would otherwise pay for: language models, the page extractor."""
        from eventledger.normalize.html import preload
        from eventledger.normalize.language import detect_language

        detect_language(
            "Des manifestants ont brûlé une banderole à Chiraz vendredi soir."
        )  # lingua, not a fast path
        preload()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._web is not None:
            self._web.client.__exit__(None, None, None)
            self._web.client.app.state.store.close()

    def case_dir(self) -> Path:
        folder = self.root / f"case-{next(self._numbers)}"
        folder.mkdir()
        return folder

    @contextmanager
    def store(self, folder: Path) -> Iterator[Store]:
        """A fresh, empty store for one case (a copy of a migrated template)."""
        if self._template is None:
            self._template = self.root / "template.db"
            Store.open(self._template).close()
        shutil.copy(self._template, folder / "case.db")
        store = Store.open(folder / "case.db")
        try:
            yield store
        finally:
            store.close()

    def ingestor(self, store: Store) -> Ingestor:
        return Ingestor(store, self.codebook, self.gazetteer, workers=1)

    @property
    def site(self) -> Site:
        """A real HTTP server on 127.0.0.1 (the routes of tests/sources/conftest.py)."""
        if self._site is None:
            site = Site()
            server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
            server.daemon_threads = True
            site.base = f"http://127.0.0.1:{server.server_address[1]}"
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self._site, self._server = site, server
        return self._site

    @property
    def web(self) -> WebApp:
        """The app over a small store: good and hostile reports coded into events, three users."""
        if self._web is None:
            from fastapi.testclient import TestClient

            from eventledger.web.app import create_app

            folder = self.root / "web"
            folder.mkdir(exist_ok=True)
            seed = folder / "seed.jsonl"
            records = [s.good_record(k) for k in range(6)]
            records.append(
                {
                    **s.good_record(6),
                    "title": "<script>document.title='x'</script>",
                    "url": "javascript:alert(1)",
                }
            )
            seed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            store = Store.open(folder / "web.db")
            self.ingestor(store).ingest([seed])
            tokens = {}
            with store.begin() as conn:
                for name, role in (("adm", "admin"), ("ana", "coder"), ("vic", "viewer")):
                    accounts.add_user(conn, name, f"{name}-password-1", role)
                    tokens[name] = accounts.new_token(conn, name)
            client = TestClient(create_app(store=store), raise_server_exceptions=True, follow_redirects=False)
            client.__enter__()
            self._web = WebApp(client, tokens, folder / "web.db")
        return self._web


# --- shared assertions --------------------------------------------------------------------------------------
def stored_ids(store: Store) -> set[str]:
    with store.connect() as conn:
        return {r for r in conn.execute(select(documents.c.external_id)).scalars() if r is not None}


def record_errors(store: Store) -> list[tuple[str, str, str]]:
    """(origin, kind, message) of every refused record of every run."""
    with store.connect() as conn:
        rows = conn.execute(select(run_errors.c.origin, run_errors.c.kind, run_errors.c.message)).all()
    return [(r.origin, r.kind, r.message) for r in rows]


def assert_no_leak(text: str, inputs: list[str], where: str, markers: tuple[str, ...] = LEAK_MARKERS) -> None:
    """``text`` shows none of ``markers`` (traceback, SQL, server paths) unless it only echoes the input."""
    for marker in markers:
        if marker in text and not any(marker in v for v in inputs):
            at = text.index(marker)
            raise AssertionError(f"{where} shows {marker!r}: …{text[max(0, at - 200) : at + 200]!r}…")


def assert_errors_named(errors: list[tuple[str, str, str]], names: Callable[[str], bool]) -> None:
    """Every refused record is named by its input, and its message holds no traceback."""
    for origin, kind, message in errors:
        if "CaseTimeout" in message:  # the limit struck inside the coder, whose catch-all kept it
            raise CaseTimeout(f"{origin}: the case ran past its time limit while this report was coded")
        assert origin and names(origin), (
            f"a refused record is not named by its input: origin {origin!r} ({message})"
        )
        assert kind != "coding", f"{origin}: a report made the coder crash: {message}"
        assert_no_leak(message, [], f"the error of {origin}", TRACEBACK_MARKERS)


def assert_stored(store: Store, good: list[str], where: str) -> int:
    stored = stored_ids(store)
    missing = [g for g in good if g not in stored]
    assert not missing, f"{where}: good records lost next to hostile ones: {missing}"
    return len(stored)


def _ingest(env: Env, store: Store, path: Path, opts: ReadOptions, kind: str | None) -> IngestResult | str:
    """Ingest ``path``: the run's result, or the message of one of our errors that refused it whole."""
    try:
        with time_limit(env.case_seconds):
            return env.ingestor(store).ingest([path], opts, kind=kind)
    except EventLedgerError as exc:
        assert str(path) in str(exc), f"the error that refused the input does not name it: {exc}"
        return str(exc)


def _ingest_file(
    env: Env,
    path: Path,
    opts: ReadOptions,
    kind: str | None,
    expect: Expect,
) -> tuple[Outcome, IngestResult | None, list[tuple[str, str, str]]]:
    with env.store(path.parent) as store:
        got = _ingest(env, store, path, opts, kind)
        refused = got if isinstance(got, str) else None
        assert refused is None or not expect.intact, f"an intact input was refused as a whole: {refused}"
        stored = assert_stored(store, expect.good_ids, str(path)) if expect.intact else len(stored_ids(store))
        errors = record_errors(store)
        assert_errors_named(errors, expect.named)
    result = None if isinstance(got, str) else got
    return Outcome(stored=stored, refused=len(errors), input_refused=refused), result, errors


@dataclass
class Expect:
    """What a case promises: its good records, whether its structure is intact, how errors name it."""

    good_ids: list[str]
    intact: bool
    named: Callable[[str], bool]


def _line_origin(path: Path) -> Callable[[str], bool]:
    pattern = re.compile(re.escape(str(path)) + r":[1-9][0-9]*")
    return lambda origin: pattern.fullmatch(origin) is not None


# --- files --------------------------------------------------------------------------------------------------------
def _one_file(
    env: Env, name: str, data: bytes, opts: ReadOptions, kind: str | None, expect: Callable[[Path], Expect]
) -> tuple[Outcome, IngestResult | None, list[tuple[str, str, str]]]:
    """Write ``data`` as the file ``name`` of a fresh folder and ingest it."""
    folder = env.case_dir()
    path = folder / name
    path.write_bytes(data)
    try:
        return _ingest_file(env, path, opts, kind, expect(path))
    finally:
        shutil.rmtree(folder)


def check_jsonl(env: Env, case: s.JsonlCase) -> Outcome:
    out, result, errors = _one_file(
        env,
        f"input{case.suffix}",
        case.build(),
        ReadOptions(max_record_bytes=case.max_record_bytes),
        None,
        lambda path: Expect(case.good_ids, case.intact, _line_origin(path)),
    )
    if case.intact and result is not None:
        lines = (b"\n".join(case.line_bytes()) + case.ending).split(b"\n")
        nonblank = sum(1 for line in lines if line.strip())
        assert result.read == nonblank, f"{nonblank} records in the file, {result.read} accounted for"
        assert result.documents + result.duplicates + result.errors == result.read, result.counts()
        good_lines = {str(i + 1) for i, x in enumerate(case.lines) if isinstance(x, int)}
        bad = [o for o, _, _ in errors if o.rsplit(":", 1)[1] in good_lines]
        assert not bad, f"good lines reported as errors: {bad}"
    return out


def check_csv(env: Env, case: s.CsvCase) -> Outcome:
    def expect(path: Path) -> Expect:
        return Expect(case.good_ids, case.intact, _line_origin(path))

    opts = ReadOptions(max_record_bytes=case.max_record_bytes)
    return _one_file(env, f"input{case.suffix}", case.build(), opts, None, expect)[0]


def check_folder(env: Env, case: s.FolderCase) -> Outcome:
    folder = env.case_dir()
    inputs = folder / "in"
    inputs.mkdir()
    names = set()
    for f in case.files:
        (inputs / f.name).write_bytes(s.FolderCase.encode(f.content))
        names.add(str(inputs / f.name))

    def named(origin: str) -> bool:  # the file, or the file and a line
        return origin in names or (":" in origin and origin.rsplit(":", 1)[0] in names)

    opts = ReadOptions(max_record_bytes=case.max_record_bytes)
    out, _, _ = _ingest_file(env, inputs, opts, None, Expect(case.good_ids, True, named))
    shutil.rmtree(folder)
    return out


def check_telegram(env: Env, case: s.TelegramCase) -> Outcome:
    # a one-line export reads as JSON Lines when the kind is not given: the kind is given then
    kind = None if case.detect and case.indent is not None else "telegram-export"

    def expect(path: Path) -> Expect:
        prefix = f"{path}:"
        return Expect(list(case.good_ids), case.intact, lambda origin: origin.startswith(prefix))

    return _one_file(env, f"result{case.suffix}", case.build(), ReadOptions(), kind, expect)[0]


# --- sources fetched over HTTP --------------------------------------------------------------------------------------
def _poll(env: Env, folder: Path, spec: SourceSpec, expect: Expect) -> Outcome:
    """One pass of ``watch`` over the source; a source that fails as a whole must be a broken one."""
    with env.store(folder) as store:
        with offline(), time_limit(env.case_seconds):
            result = poll(env.ingestor(store), [spec], POLICY)
        failure = result.failed.get(spec.name)
        if failure is not None:
            assert_no_leak(failure, [], f"the failure of {spec.url}", TRACEBACK_MARKERS)
        assert failure is None or not expect.intact, f"an intact source failed as a whole: {failure}"
        stored = assert_stored(store, expect.good_ids, spec.url) if expect.intact else len(stored_ids(store))
        errors = record_errors(store)
        assert_errors_named(errors, expect.named)
    return Outcome(stored=stored, refused=len(errors), input_refused=failure)


@contextmanager
def _served(env: Env) -> Iterator[tuple[str, Callable[[str, bytes, str], None]]]:
    """A fresh base URL on the local server and ``serve(path, body, content type)`` under it."""
    prefix = f"/serve-{next(env._numbers)}"
    site = env.site

    def serve(path: str, body: bytes, content_type: str) -> None:
        site.pages[prefix + path] = (body, content_type)

    try:
        yield site.base + prefix, serve
    finally:
        for key in [k for k in site.pages if k.startswith(prefix + "/")]:
            del site.pages[key]


def _any_origin(origin: str) -> bool:
    return bool(origin.strip())


def check_feed(env: Env, case: s.FeedCase) -> Outcome:
    folder = env.case_dir()
    with _served(env) as (base, serve):
        for k in case.good_ids:
            serve(f"/{k}.html", s.good_article(int(k.removeprefix("good-"))), "text/html; charset=utf-8")
        for i, page in enumerate(case.pages):
            serve(f"/bad-{i}.html", page.build(), page.content_type)
        serve("/feed.xml", case.build(base), case.content_type)
        kind = "atom" if case.atom else "rss"
        spec = SourceSpec(name=f"feed {folder.name}", kind=kind, url=f"{base}/feed.xml", outlet=s.GOOD_OUTLET)
        out = _poll(env, folder, spec, Expect(case.good_ids, case.intact, _any_origin))
    shutil.rmtree(folder)
    return out


def check_sitemap(env: Env, case: s.SitemapCase) -> Outcome:
    folder = env.case_dir()
    with _served(env) as (base, serve):
        for k in case.good:
            serve(f"/good-{k}.html", s.good_article(k), "text/html; charset=utf-8")
        for i, page in enumerate(case.pages):
            serve(f"/bad-{i}.html", page.build(), page.content_type)
        serve("/pages.xml", case.build(base), "application/xml")
        serve("/index.xml", s.SitemapCase.index_of(base), "application/xml")
        url = f"{base}/index.xml" if case.index else f"{base}/pages.xml"
        spec = SourceSpec(name=f"sitemap {folder.name}", kind="sitemap", url=url, outlet=s.GOOD_OUTLET)
        good = [f"{base}/good-{k}.html" for k in case.good]
        out = _poll(env, folder, spec, Expect(good, case.intact, _any_origin))
    shutil.rmtree(folder)
    return out


def check_pages(env: Env, case: s.PageCase) -> Outcome:
    """Hostile pages between good ones, listed by a well-formed sitemap: each page stored or named."""
    folder = env.case_dir()
    with _served(env) as (base, serve):
        urls = [f"{base}/page-{i}.html" for i in range(len(case.pages))]
        for i, page in enumerate(case.pages):
            if isinstance(page, int):
                serve(f"/page-{i}.html", s.good_article(page), "text/html; charset=utf-8")
            else:
                serve(f"/page-{i}.html", page.build(), page.content_type)
        locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
        serve("/pages.xml", f'<urlset xmlns="{SITEMAP_NS}">{locs}</urlset>'.encode(), "application/xml")
        spec = SourceSpec(
            name=f"pages {folder.name}", kind="sitemap", url=f"{base}/pages.xml", outlet=s.GOOD_OUTLET
        )
        good = [u for u, p in zip(urls, case.pages, strict=True) if isinstance(p, int)]
        out = _poll(env, folder, spec, Expect(good, True, lambda origin: origin in urls))
    shutil.rmtree(folder)
    return out


def check_telegram_web(env: Env, case: s.TelegramWebCase) -> Outcome:
    folder = env.case_dir()
    with _served(env) as (base, serve):
        url = f"{base}/s/fuzzchan"
        serve("/s/fuzzchan", case.build(), "text/html; charset=utf-8")
        spec = SourceSpec(
            name=f"telegram {folder.name}", kind="telegram-web", url=url, outlet=s.GOOD_OUTLET, max_pages=1
        )
        out = _poll(env, folder, spec, Expect(case.good_ids, True, lambda origin: origin.startswith(url)))
    shutil.rmtree(folder)
    return out


# --- the HTTP API and the web pages ----------------------------------------------------------------------------------
def _quote(value: str) -> str:
    return quote(to_bytes(value), safe="")


def check_api(env: Env, req: s.ApiRequest) -> Outcome:
    web = env.web
    headers = {"Accept": "application/json"} if req.accept_json else {}
    if req.who in web.tokens:
        headers["Authorization"] = f"Bearer {web.tokens[req.who]}"
    elif req.who == "bad-token":
        headers["Authorization"] = "Bearer not-a-token"
    url = req.path.replace("{id}", _quote(req.path_value))
    if req.params:
        url += "?" + "&".join(f"{_quote(k)}={_quote(v)}" for k, v in req.params)
    content = None
    if req.method == "POST":
        headers["Content-Type"] = "application/json"
        content = to_bytes(json.dumps(req.body, allow_nan=True))
    with time_limit(env.case_seconds):
        r = web.client.request(req.method, url, headers=headers, content=content)
    where = f"{req.method} {url[:300]}"
    assert r.status_code < 500, f"{where} answered {r.status_code}: {r.text[:500]}"
    if r.status_code >= 400:
        assert_no_leak(r.text, req.inputs, f"the {r.status_code} answer to {where}")
    return Outcome(status=r.status_code, refused=int(r.status_code >= 400))


# --- every kind, for the tests and the bench -------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    name: str
    strategy: Callable[[], Any]
    check: Callable[[Env, Any], Outcome]


KINDS = {
    k.name: k
    for k in (
        Kind("jsonl", s.jsonl_cases, check_jsonl),
        Kind("csv", s.csv_cases, check_csv),
        Kind("markdown", s.folder_cases, check_folder),
        Kind("telegram-export", s.telegram_cases, check_telegram),
        Kind("feed", s.feed_cases, check_feed),
        Kind("sitemap", s.sitemap_cases, check_sitemap),
        Kind("html", s.page_cases, check_pages),
        Kind("telegram-web", s.telegram_web_cases, check_telegram_web),
        Kind("api", s.api_requests, check_api),
    )
}
