"""Collecting reports from a source: feeds, article pages, sitemaps, Telegram channel previews.

:meth:`Collector.collect` fetches one source and returns a :class:`Collected`: the reports (each
with its provenance: URL, fetch time, HTTP status, archived WARC record), the per-item errors,
and the state to store afterwards (validators for conditional GET, items seen). Nothing is
written here: the caller stores the reports first and the state after, so that a crash between
the two only means fetching again, never losing an item.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from eventledger.model import RawReport, RecordError
from eventledger.sources.config import SourceSpec
from eventledger.sources.feeds import Entry, parse_feed
from eventledger.sources.http import Fetched, Fetcher, FetchError
from eventledger.sources.telegram import parse_telegram_web, telegram_posts_to_reports
from eventledger.sources.web import decode, parse_sitemap, sniff_kind

Item = RawReport | RecordError


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
        state = state or SourceState()
        out = Collected(spec)
        try:
            got = self._conditional(spec.url, state, out, accept=_ACCEPT.get(spec.kind))
            if got.not_modified:
                out.not_modified = True
                return out
            kind = spec.kind
            if kind in ("rss", "atom"):
                self._feed(spec, got, state, out)
            elif kind == "sitemap":
                self._sitemap(spec, got, state, out)
            elif kind == "telegram-web":
                self._telegram(spec, got, state, out)
            else:
                self._article(spec, spec.url, got, None, out)
        except FetchError as exc:
            out.error = exc.reason if exc.url == spec.url else str(exc)
        return out

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
        feed = parse_feed(got.body, got.headers, got.final_url)
        if feed.malformed:
            raise FetchError(spec.url, feed.malformed)
        for entry in feed.entries[: spec.max_items]:
            if state.seen.get(entry.item_id) == entry.item_hash:
                continue  # unchanged since the last poll: not fetched again
            if self._feed_entry(spec, entry, state, out):
                out.seen.append((entry.item_id, entry.item_hash, entry.link))

    def _feed_entry(self, spec: SourceSpec, entry: Entry, state: SourceState, out: Collected) -> bool:
        """The linked article, else the entry's own text. True when the entry is done with."""
        if entry.link:
            try:
                page = self._conditional(entry.link, state, out, accept="text/html,application/xhtml+xml")
                if page.not_modified:
                    return True
                if self._article(spec, entry.link, page, entry, out):
                    return True
            except FetchError as exc:
                out.items.append(RecordError(entry.link, f"article not fetched: {exc.reason}", "fetch"))
                if not entry.summary:
                    return False  # try again next time
                out.items.append(self._entry_report(spec, entry))
                return False  # the summary stands in; the article is tried again next time
        if entry.summary:
            out.items.append(self._entry_report(spec, entry))
            return True
        out.items.append(
            RecordError(entry.link or entry.item_id, "feed item without text or link", "extract")
        )
        return True

    def _entry_report(self, spec: SourceSpec, entry: Entry) -> RawReport:
        return self._report(
            spec,
            text=entry.summary,
            item_id=entry.item_id,
            url=entry.link,
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
            raise FetchError(got.url, f"not a readable sitemap: {exc}") from exc
        for child in nested[:20] if depth < 2 else []:
            try:
                sub = self._conditional(child, state, out)
                if not sub.not_modified:
                    self._sitemap(spec, sub, state, out, depth + 1)
            except FetchError as exc:
                out.items.append(RecordError(child, f"sitemap not fetched: {exc.reason}", "fetch"))
        budget = spec.max_items - len(out.seen)
        for page in pages[: max(budget, 0)]:
            item_hash = hashlib.sha256(f"{page.url}\x00{page.lastmod}".encode()).hexdigest()
            if state.seen.get(page.url) == item_hash:
                continue
            try:
                got_page = self._conditional(page.url, state, out, accept="text/html,application/xhtml+xml")
            except FetchError as exc:
                out.items.append(RecordError(page.url, f"page not fetched: {exc.reason}", "fetch"))
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


_ACCEPT: Mapping[str, str] = {
    "rss": "application/rss+xml, application/xml;q=0.9, */*;q=0.5",
    "atom": "application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    "sitemap": "application/xml, text/xml;q=0.9, */*;q=0.5",
    "html": "text/html,application/xhtml+xml",
    "telegram-web": "text/html",
}
