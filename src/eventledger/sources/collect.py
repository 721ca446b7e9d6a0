"""Collecting reports from a source: feeds, article pages, sitemaps, Telegram channel previews.

:meth:`Collector.collect` fetches one source and returns a :class:`Collected`: the reports (each
with its provenance: URL, fetch time, HTTP status, archived WARC record), the per-item errors,
and the state to store afterwards (validators for conditional GET, items seen). Nothing is
written here: the caller stores the reports first and the state after, so that a crash between
the two only means fetching again, never losing an item.

Failures are contained where they happen: an item that cannot be read or fetched is a
:class:`~eventledger.records.RecordError` naming the item and its source's URL, and the source goes
on; a source that cannot be read at all (its feed or page not fetched, not a feed, a Telegram page
over its size limit) is that source's ``error``. An unexpected exception is contained the same way
and logged with its traceback, so that one hostile source never ends a ``watch`` pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from eventledger.errors import BadURLError, EventLedgerError, FetchError
from eventledger.normalize.html import decode
from eventledger.records import RawReport, RecordError
from eventledger.sources.config import SourceSpec
from eventledger.sources.feeds import Entry, parse_feed
from eventledger.sources.http import Fetched, Fetcher, checked_url
from eventledger.sources.telegram import parse_telegram_web, telegram_posts_to_reports
from eventledger.sources.urls import printable
from eventledger.sources.web import parse_sitemap, sniff_kind

Item = RawReport | RecordError
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Validators:
    etag: str | None
    last_modified: str | None
    status: int | None
    content_sha256: str | None


@dataclass
class SourceState:
    """What the store knows about a source before a poll."""

    validators: dict[str, Validators] = field(default_factory=dict)  # by URL
    seen: dict[str, str] = field(default_factory=dict)  # item id -> item hash


@dataclass
class Collected:
    spec: SourceSpec
    items: list[Item] = field(default_factory=list)
    validators: dict[str, Validators] = field(default_factory=dict)  # to store, by URL
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)  # (item id, hash, url) to store
    error: str | None = None  # the source as a whole failed
    not_modified: bool = False
    # articles not fetched whose feed summary was stored instead ("url: why"): said, not an error
    stand_ins: list[str] = field(default_factory=list)

    @property
    def reports(self) -> list[RawReport]:
        return [i for i in self.items if isinstance(i, RawReport)]

    @property
    def item_errors(self) -> list[RecordError]:
        return [i for i in self.items if isinstance(i, RecordError)]


def _validators(got: Fetched) -> Validators:
    return Validators(
        got.headers.get("etag"),
        got.headers.get("last-modified"),
        got.status,
        hashlib.sha256(got.body).hexdigest() if got.body else None,
    )


class Collector:
    """Fetches sources through one :class:`Fetcher`; stateless between sources."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    # --- entry point --------------------------------------------------------------------------------
    def collect(self, spec: SourceSpec, state: SourceState | None = None) -> Collected:
        """One source: its reports and item errors, or its error; never raises for what a source sends."""
        state = state or SourceState()
        out = Collected(spec)
        try:
            self._collect(spec, state, out)
        except FetchError as exc:
            out.error = exc.reason if exc.url in (spec.url, _uri(spec.url)) else str(exc)
        except EventLedgerError as exc:
            out.error = str(exc).removeprefix(f"{spec.url}: ")
        except Exception as exc:  # a bug met by hostile input: this source's error, with its traceback logged
            log.exception("source %s (%s) failed", spec.name, spec.url)
            out.error = f"unexpected {type(exc).__name__}: {exc}"
        if out.error:  # not remembered as fetched: the next poll reads it again (and reports it again)
            out.validators.pop(spec.url, None)
        return out

    def _collect(self, spec: SourceSpec, state: SourceState, out: Collected) -> None:
        got = self._conditional(spec.url, state, out, accept=_ACCEPT.get(spec.kind))
        if got.not_modified:
            out.not_modified = True
            return
        if spec.kind in ("rss", "atom"):
            self._feed(spec, got, state, out)
        elif spec.kind == "sitemap":
            self._sitemap(spec, got, state, out)
        elif spec.kind == "telegram-web":
            self._telegram(spec, got, state, out)
        else:
            self._article(spec, spec.url, got, None, out)

    def _item(self, spec: SourceSpec, origin: str, out: Collected, work: Callable[[], None]) -> None:
        """Run ``work`` for one item; an unexpected exception becomes that item's error."""
        try:
            work()
        except Exception as exc:  # a bug met by one hostile item: its error, with the traceback logged
            log.exception("item %s of source %s failed", origin, spec.url)
            out.items.append(
                RecordError(origin, f"{_of(spec)}: unexpected {type(exc).__name__}: {exc}", "bug")
            )

    def guess_kind(self, url: str) -> str:
        """What a URL serves, for one-off ``ingest URL`` without ``--kind``."""
        got = self.fetcher.check(self.fetcher.get(url))
        kind = sniff_kind(got)
        return {"feed": "rss"}.get(kind, kind)

    # --- helpers --------------------------------------------------------------------------------------
    def _conditional(
        self, url: str, state: SourceState, out: Collected, accept: str | None = None
    ) -> Fetched:
        v = state.validators.get(url)
        got = self.fetcher.check(
            self.fetcher.get(
                url, etag=v.etag if v else None, last_modified=v.last_modified if v else None, accept=accept
            )
        )
        if not got.not_modified:
            out.validators[url] = _validators(got)
        return got

    def _report(
        self,
        spec: SourceSpec,
        *,
        text: str,
        item_id: str,
        url: str | None,
        title: str | None,
        published: dt.datetime | None,
        got: Fetched | None,
    ) -> RawReport:
        fetched_at = got.fetched_at if got else dt.datetime.now(dt.UTC)
        return RawReport(
            text=text,
            origin=url or spec.url,
            external_id=item_id,
            url=url,
            outlet=spec.outlet,
            published=published or fetched_at,
            lang=spec.lang,
            title=title,
            source=spec.name,
            fetched_at=fetched_at,
            http_status=got.status if got else None,
            archive_record=got.record_id if got else None,
        )

    def _article(self, spec: SourceSpec, url: str, got: Fetched, entry: Entry | None, out: Collected) -> bool:
        """One article page → one report; its main text is extracted later, in the coding processes
        (``to_document``), where the feed's summary also stands in when the page has none."""
        out.items.append(
            RawReport(
                text=entry.summary if entry else "",
                origin=url,
                external_id=entry.item_id if entry else url,
                url=url,
                outlet=spec.outlet,
                published=entry.published if entry else None,
                lang=spec.lang,
                title=entry.title if entry else None,
                source=spec.name,
                fetched_at=got.fetched_at,
                http_status=got.status,
                archive_record=got.record_id,
                html=got.body,
                content_type=got.headers.get("content-type"),
            )
        )
        return True

    # --- feeds ------------------------------------------------------------------------------------------
    def _feed(self, spec: SourceSpec, got: Fetched, state: SourceState, out: Collected) -> None:
        feed = parse_feed(got.body, got.headers, got.final_url, max_items=spec.max_items)
        if feed.malformed:
            raise FetchError(spec.url, feed.malformed)
        for entry in feed.entries[: spec.max_items]:
            if state.seen.get(entry.item_id) == entry.item_hash:
                continue  # unchanged since the last poll: not fetched again

            def one(entry: Entry = entry) -> None:
                if self._feed_entry(spec, entry, state, out):
                    link = entry.link if entry.link and _valid(entry.link) else None
                    out.seen.append((entry.item_id, entry.item_hash, link))

            self._item(spec, printable(entry.link or entry.item_id), out, one)

    def _feed_entry(self, spec: SourceSpec, entry: Entry, state: SourceState, out: Collected) -> bool:
        """The linked article, else the entry's own text. True when the entry is done with."""
        if entry.link:
            try:
                page = self._conditional(entry.link, state, out, accept="text/html,application/xhtml+xml")
                if page.not_modified:
                    return True
                if self._article(spec, entry.link, page, entry, out):
                    return True
            except BadURLError as exc:  # it will not get better: the entry's own text is all there is
                out.items.append(
                    RecordError(
                        printable(entry.link), f"{_of(spec)}: item link not fetched: {exc.reason}", "fetch"
                    )
                )
                if entry.summary:
                    out.items.append(self._entry_report(spec, entry, url=None))
                return True
            except FetchError as exc:
                if not entry.summary:
                    out.items.append(
                        RecordError(
                            printable(entry.link), f"{_of(spec)}: article not fetched: {exc.reason}", "fetch"
                        )
                    )
                    return False  # try again next time
                # the summary stands in (a report, not an error); the article is tried again next time
                out.stand_ins.append(f"{printable(entry.link)}: {exc.reason}")
                out.items.append(self._entry_report(spec, entry))
                return False
        if entry.summary:
            out.items.append(self._entry_report(spec, entry))
            return True
        out.items.append(
            RecordError(
                printable(entry.link or entry.item_id),
                f"{_of(spec)}: feed item without text or link",
                "extract",
            )
        )
        return True

    def _entry_report(self, spec: SourceSpec, entry: Entry, *, url: str | None = "") -> RawReport:
        return self._report(
            spec,
            text=entry.summary,
            item_id=entry.item_id,
            url=entry.link if url == "" else url,
            title=entry.title,
            published=entry.published,
            got=None,
        )

    # --- sitemaps -----------------------------------------------------------------------------------------
    def _sitemap(
        self, spec: SourceSpec, got: Fetched, state: SourceState, out: Collected, depth: int = 0
    ) -> None:
        try:
            pages, nested = parse_sitemap(got.body)
        except Exception as exc:  # lxml raises several types for hostile XML
            raise FetchError(got.url, f"not a readable sitemap: {type(exc).__name__}: {exc}") from exc
        for child in nested[:20] if depth < 2 else []:
            try:
                sub = self._conditional(child, state, out)
                if not sub.not_modified:
                    self._sitemap(spec, sub, state, out, depth + 1)
            except FetchError as exc:
                out.items.append(
                    RecordError(
                        printable(child) or f"{spec.url} (a <loc> without a URL)",
                        f"{_of(spec)}: sitemap not fetched: {exc.reason}",
                        "fetch",
                    )
                )
        budget = spec.max_items - len(out.seen)
        for page in pages[: max(budget, 0)]:
            item_hash = hashlib.sha256(f"{page.url}\x00{page.lastmod}".encode()).hexdigest()
            if state.seen.get(page.url) == item_hash:
                continue
            try:
                got_page = self._conditional(page.url, state, out, accept="text/html,application/xhtml+xml")
            except FetchError as exc:
                out.items.append(
                    RecordError(
                        printable(page.url) or f"{spec.url} (a <loc> without a URL)",
                        f"{_of(spec)}: page not fetched: {exc.reason}",
                        "fetch",
                    )
                )
                continue
            if got_page.not_modified or self._article(spec, page.url, got_page, None, out):
                out.seen.append((page.url, item_hash, page.url))

    # --- Telegram channel previews ---------------------------------------------------------------------
    def _telegram(self, spec: SourceSpec, got: Fetched, state: SourceState, out: Collected) -> None:
        page_got = got
        for n in range(spec.max_pages):
            page = parse_telegram_web(
                decode(page_got.body, page_got.headers.get("content-type")), page_got.final_url
            )
            out.items.extend(page.errors)
            fresh = False
            for report in telegram_posts_to_reports(
                page, outlet=spec.outlet, lang=spec.lang, origin=page_got.final_url
            ):
                item_hash = hashlib.sha256(report.text.encode("utf-8")).hexdigest()
                item_id = report.external_id or ""
                if state.seen.get(item_id) == item_hash:
                    continue
                fresh = True
                out.items.append(
                    RawReport(
                        text=report.text,
                        origin=report.origin,
                        external_id=report.external_id,
                        url=report.url,
                        outlet=report.outlet,
                        published=report.published,
                        lang=report.lang,
                        title=report.title,
                        source=spec.name,
                        fetched_at=page_got.fetched_at,
                        http_status=page_got.status,
                        archive_record=page_got.record_id,
                    )
                )
                out.seen.append((item_id, item_hash, report.url))
            if page.before is None or not fresh or n + 1 >= spec.max_pages:
                return
            sep = "&" if "?" in spec.url else "?"
            page_got = self.fetcher.check(self.fetcher.get(f"{spec.url}{sep}before={page.before}"))


def _uri(url: str) -> str:
    try:
        return checked_url(url)
    except BadURLError:
        return url


def _valid(url: str) -> bool:
    try:
        checked_url(url)
    except BadURLError:
        return False
    return True


def _of(spec: SourceSpec) -> str:
    """How an item error names its source."""
    return f"in {spec.kind} {spec.url}"


_ACCEPT: Mapping[str, str] = {
    "rss": "application/rss+xml, application/xml;q=0.9, */*;q=0.5",
    "atom": "application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    "sitemap": "application/xml, text/xml;q=0.9, */*;q=0.5",
    "html": "text/html,application/xhtml+xml",
    "telegram-web": "text/html",
}
