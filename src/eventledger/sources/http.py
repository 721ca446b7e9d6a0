"""Polite, defensive HTTP fetching for sources.

Everything fetched is hostile: responses are size-capped while they stream, redirects are followed
by hand so that every hop is checked, and addresses that are private, loopback, link-local,
reserved or multicast are refused unless explicitly allowed (all of them, or a list of networks).
Politeness: robots.txt (RFC 9309) is respected, each host gets at most ``per_host_concurrency``
requests at once and one every ``per_host_interval`` seconds (across several watchers of one store
when the fetcher is given shared ``turns``), conditional GET (ETag /
Last-Modified) avoids transferring unchanged bodies, and failures are retried with exponential
backoff (``Retry-After`` honoured). Every response is archived as WARC records.

Every URL is checked before it is used (:func:`~eventledger.sources.urls.to_uri`: IRI → URI, no
control characters, a port in range, a well-formed host) and a bad one is a :class:`FetchError`
naming it. Connections are pinned to the addresses that were checked: the host is resolved once,
its addresses are checked, and the connection goes to one of them, never to what a second lookup
would answer (DNS rebinding). Every redirect hop is checked and pinned the same way.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from eventledger.errors import BadURLError, BlockedError, ConfigError, FetchError
from eventledger.sources.archive import Archive, make_records
from eventledger.sources.urls import URLSyntaxError, to_uri
from eventledger.version import __version__

USER_AGENT = f"eventledger/{__version__} (+https://github.com/eventledger/eventledger; media monitoring)"
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# (host key, per-host interval) → seconds to wait before the request: a slot reserved where the
# other fetchers of the same hosts see it (the watchers of one store: sources.state.host_turn)
HostTurns = Callable[[str, float], float]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0


def checked_url(url: str) -> str:
    """``url`` as the ASCII URI to fetch; :class:`BadURLError` naming it when it has none."""
    try:
        return to_uri(url)
    except URLSyntaxError as exc:
        raise BadURLError(url, f"invalid URL: {exc}") from None


@dataclass(frozen=True)
class FetchPolicy:
    """How to fetch. The defaults suit unattended monitoring of public sites."""

    timeout: float = 20.0
    connect_timeout: float = 10.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0  # seconds; doubled on each retry
    per_host_interval: float = 1.0  # seconds between two requests to the same host
    per_host_concurrency: int = 2
    concurrency: int = 8
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    # False: only public addresses; True: any address; a tuple: public ones and these networks
    allow_private: bool | tuple[IPNetwork, ...] = False


def parse_networks(spec: str) -> tuple[IPNetwork, ...]:
    """``"127.0.0.1/32,10.0.0.0/8"`` → networks (for ``--allow-private-networks``)."""
    try:
        return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in spec.split(",") if p.strip())
    except ValueError as exc:
        raise ConfigError(f"invalid network list {spec!r}: {exc}") from exc


def _non_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_address(
    url: str, policy: FetchPolicy, resolve: Callable[[str, int], list[str]] | None = None
) -> list[str]:
    """The addresses ``url``'s host resolves to, all checked: refused when the scheme is not HTTP(S)
    or an address is not public (unless the policy allows it)."""
    url = checked_url(url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedError(url, f"scheme {parts.scheme!r} is not allowed (http and https only)")
    host = parts.hostname
    if not host:
        raise BlockedError(url, "no host in URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = [host] if _is_ip(host) else (resolve or _resolve)(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve {host}: {exc}") from exc
    if not addresses:
        raise FetchError(url, f"cannot resolve {host}: no address")
    if policy.allow_private is True:
        return addresses
    allowed: tuple[IPNetwork, ...] = policy.allow_private or ()
    for a in addresses:
        ip = ipaddress.ip_address(a.split("%", 1)[0])
        if _non_public(ip) and not any(ip in net for net in allowed):
            raise BlockedError(
                url,
                f"{host} resolves to the non-public address {ip}; use --allow-private-networks to permit it",
            )
    return addresses


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolve(host: str, port: int) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})


def _host_key(host: str) -> str:
    host = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).compressed
    except ValueError:
        return host.rstrip(".")


class _Pins:
    """Checked addresses by host: the only addresses a connection may go to."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_host: dict[str, list[str]] = {}

    def set(self, host: str, addresses: list[str]) -> None:
        with self._lock:
            self._by_host[_host_key(host)] = list(addresses)

    def get(self, host: str) -> list[str]:
        with self._lock:
            return list(self._by_host.get(_host_key(host), ()))


class _PinnedBackend(httpcore.NetworkBackend):
    """Opens TCP connections to the checked addresses of a host, never resolving its name again.

    TLS is unchanged: httpcore still sends the host name as SNI and checks the certificate against it.
    """

    def __init__(self, pins: _Pins) -> None:
        self._pins = pins
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get(host)
        if not addresses:
            raise httpcore.ConnectError(f"{host} was not checked before connecting; not connected")
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport, its connection pool given the pinned network backend."""

    def __init__(self, pins: _Pins, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PinnedBackend(pins),
        )


@dataclass(frozen=True)
class Fetched:
    url: str  # as requested
    final_url: str  # after redirects
    status: int  # 304 for "not modified": no body
    headers: Mapping[str, str]
    body: bytes
    fetched_at: dt.datetime
    record_id: str | None  # WARC record of the final response

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@dataclass
class _Host:
    key: str = ""  # host[:port], as the per-host limits count hosts
    lock: threading.Lock = field(default_factory=threading.Lock)
    slots: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(2))
    next_at: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_checked: bool = False


class Fetcher:
    """One HTTP client for a run; thread-safe; every response archived."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        archive: Archive | None = None,
        *,
        robots_known: Mapping[str, tuple[str | None, str | None, bytes]] | None = None,
        transport: httpx.BaseTransport | None = None,  # replaces the pinned one (tests)
        resolve: Callable[[str, int], list[str]] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        turns: HostTurns | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._turns = turns
        self.archive = archive
        self._resolve = resolve
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        timeout = httpx.Timeout(self.policy.timeout, connect=self.policy.connect_timeout)
        limits = httpx.Limits(
            max_connections=self.policy.concurrency, max_keepalive_connections=self.policy.concurrency
        )
        self._pins = _Pins()
        self.client = httpx.Client(
            timeout=timeout,
            limits=limits,
            follow_redirects=False,
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport or _PinnedTransport(self._pins, limits),
            trust_env=False,
        )
        self.requests = 0
        self.bytes = 0
        self.not_modified = 0
        # robots.txt already known (etag, last-modified, body) by URL: fetched conditionally
        self.robots_known = dict(robots_known or {})
        self.robots_seen: dict[str, tuple[str | None, str | None, bytes]] = {}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- per-host politeness ----------------------------------------------------------------------
    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            h = self._hosts.get(key)
            if h is None:
                h = self._hosts[key] = _Host(key, slots=threading.Semaphore(self.policy.per_host_concurrency))
            return h

    def _wait_turn(self, host: _Host) -> None:
        interval = self.policy.per_host_interval
        if self._turns is not None and interval > 0:
            wait = self._turns(host.key, interval)  # the slot is shared with the other watchers
        else:
            with host.lock:
                now = time.monotonic()
                wait = host.next_at - now
                host.next_at = max(now, host.next_at) + interval
        if wait > 0:
            self._sleep(wait)

    def allowed_by_robots(self, url: str) -> bool:
        if not self.policy.respect_robots:
            return True
        host = self._host(url)
        with host.lock:
            checked = host.robots_checked
        if not checked:
            parser = self._fetch_robots(url)
            with host.lock:
                host.robots, host.robots_checked = parser, True
        robots = host.robots
        return robots is None or robots.can_fetch(self.policy.user_agent, url)

    def _fetch_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        """RFC 9309: 4xx → everything allowed; 5xx or unreachable → everything disallowed."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        known = self.robots_known.get(robots_url)
        headers = {}
        if known and _header_safe(known[0]):
            headers["If-None-Match"] = str(known[0])
        if known and _header_safe(known[1]):
            headers["If-Modified-Since"] = str(known[1])
        try:
            got = self._get(robots_url, headers, max_bytes=512 * 1024)
        except BlockedError:
            raise
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return None
            parser.disallow_all = True  # type: ignore[attr-defined]
            return parser
        if 400 <= got.status < 500:
            return None
        if got.status >= 500:
            parser.disallow_all = True  # type: ignore[attr-defined]
            return parser
        body = known[2] if got.status == 304 and known else got.body
        if got.status != 304:
            self.robots_seen[robots_url] = (got.headers.get("etag"), got.headers.get("last-modified"), body)
        parser.parse(body.decode("utf-8", "replace").splitlines())
        return parser

    # --- fetching ---------------------------------------------------------------------------------
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> Fetched:
        """GET ``url`` politely; 304 when the validators still hold. Raises :class:`FetchError`.

        ``url`` may be an IRI: it is fetched and archived as its URI (:func:`checked_url`)."""
        url = checked_url(url)
        self._check(url)
        if not self.allowed_by_robots(url):
            raise BlockedError(url, "disallowed by robots.txt")
        headers: dict[str, str] = {}
        if _header_safe(etag):
            headers["If-None-Match"] = str(etag)
        if _header_safe(last_modified):
            headers["If-Modified-Since"] = str(last_modified)
        if accept:
            headers["Accept"] = accept
        return self._get(url, headers)

    def _get(self, url: str, headers: dict[str, str], *, max_bytes: int | None = None) -> Fetched:
        attempt = 0
        while True:
            try:
                got = self._follow(url, headers, max_bytes or self.policy.max_bytes)
            except FetchError as exc:
                permanent = isinstance(exc, (BlockedError, BadURLError)) or exc.status is not None
                if permanent or attempt >= self.policy.retries:
                    raise
                delay = self.policy.backoff * 2**attempt
            else:
                if got.status not in RETRY_STATUSES:
                    return got
                if attempt >= self.policy.retries:
                    raise FetchError(url, f"HTTP {got.status} after {attempt + 1} attempts", got.status)
                delay = self.policy.backoff * 2**attempt
                retry_after = got.headers.get("retry-after", "")
                if retry_after.isdigit():
                    delay = min(max(delay, float(retry_after)), MAX_RETRY_AFTER)
            attempt += 1
            self._sleep(delay)

    def _follow(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        current = url
        seen = {url}
        for _ in range(self.policy.max_redirects + 1):
            got = self._once(url, current, headers, max_bytes)
            if got.status in (301, 302, 303, 307, 308) and "location" in got.headers:
                try:
                    nxt = checked_url(urljoin(current, got.headers["location"]))
                except ValueError as exc:  # urljoin refuses some hostile locations ("http://[x")
                    raise BadURLError(url, f"invalid redirect location: {exc}") from None
                except BadURLError as exc:
                    raise BadURLError(url, f"redirect to an {exc.reason}") from None
                if nxt in seen:
                    raise FetchError(url, f"redirect loop at {nxt}")
                seen.add(nxt)
                self._check(nxt)  # every hop obeys the same rule, and is pinned
                current = nxt
                continue
            return got
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects")

    def _check(self, url: str) -> None:
        """Check ``url``'s addresses and pin its host's connections to them."""
        addresses = check_address(url, self.policy, self._resolve)
        self._pins.set(urlsplit(url).hostname or "", addresses)

    def _once(self, url: str, current: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        host = self._host(current)
        with host.slots:
            self._wait_turn(host)
            fetched_at = dt.datetime.now(dt.UTC)
            try:
                with self.client.stream("GET", current, headers=headers) as resp:
                    declared = resp.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(
                            url, f"response of {declared} bytes is over the {max_bytes}-byte limit", 0
                        )
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(url, f"response is over the {max_bytes}-byte limit", 0)
                        chunks.append(chunk)
                    body = b"".join(chunks)
                    status, reason = resp.status_code, resp.reason_phrase
                    resp_headers = list(resp.headers.multi_items())
                    req_headers = dict(resp.request.headers)
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out ({type(exc).__name__})") from exc
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
                raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
        self.requests += 1
        self.bytes += len(body)
        if status == 304:
            self.not_modified += 1
        record_id = None
        if self.archive is not None:
            rec = make_records(current, "GET", req_headers, status, reason, resp_headers, body, fetched_at)
            self.archive.add(rec)
            record_id = rec.record_id
        return Fetched(
            url, current, status, {k.lower(): v for k, v in resp_headers}, body, fetched_at, record_id
        )

    def check(self, got: Fetched) -> Fetched:
        """Raise for responses that are neither content nor "not modified"."""
        if got.status == 304 or 200 <= got.status < 300:
            return got
        raise FetchError(got.url, f"HTTP {got.status}", got.status)


def _header_safe(value: str | None) -> bool:
    """A stored validator that may be sent back (a hostile server may have sent any bytes)."""
    return bool(value) and len(str(value)) <= 1024 and str(value).isascii() and str(value).isprintable()
