"""The fetcher against a real HTTP server on 127.0.0.1: safety, politeness, limits, archive."""

from __future__ import annotations

import io
import ipaddress
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import quote

import pytest
from warcio.archiveiterator import ArchiveIterator

from eventledger.errors import BadURLError, BlockedError, FetchError
from eventledger.sources.archive import Archive
from eventledger.sources.http import Fetcher, FetchPolicy, check_address
from tests.sources.conftest import Handler, Site, make_handler

LOCAL = (ipaddress.ip_network("127.0.0.1/32"),)


def policy(**kw) -> FetchPolicy:
    base = {
        "allow_private": LOCAL,
        "per_host_interval": 0.0,
        "retries": 0,
        "timeout": 1.0,
        "connect_timeout": 1.0,
    }
    return FetchPolicy(**(base | kw))


def test_loopback_is_refused_by_default(site):
    with Fetcher(FetchPolicy()) as f, pytest.raises(BlockedError, match=r"non-public address 127\.0\.0\.1"):
        f.get(site.url("/feed-en.xml"))
    assert site.hits == []  # refused before any connection


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "ftp://example.org/x",
        "file:///etc/passwd",
    ],
)
def test_private_link_local_and_other_schemes_are_refused(url):
    with pytest.raises(BlockedError):
        check_address(url, FetchPolicy())


def test_hostnames_are_checked_after_resolution():
    with pytest.raises(BlockedError, match=r"10\.0\.0\.7"):
        check_address("http://intranet.example/", FetchPolicy(), resolve=lambda host, port: ["10.0.0.7"])
    check_address("http://news.example/", FetchPolicy(), resolve=lambda host, port: ["93.184.216.34"])


def test_a_redirect_to_a_private_address_is_refused(site):
    with Fetcher(policy()) as f, pytest.raises(BlockedError, match=r"169\.254\.169\.254"):
        f.get(site.url("/to-private"))


def test_redirect_loop_is_an_error(site):
    with Fetcher(policy()) as f, pytest.raises(FetchError, match=r"redirect loop"):
        f.get(site.url("/loop1"))


def test_slow_server_times_out(site):
    with Fetcher(policy(timeout=0.5)) as f, pytest.raises(FetchError, match=r"timed out"):
        f.get(site.url("/slow"))


def test_oversized_response_is_cut_off(site):
    with (
        Fetcher(policy(max_bytes=1024 * 1024)) as f,
        pytest.raises(FetchError, match=r"over the 1048576-byte limit"),
    ):
        f.get(site.url("/huge"))


def test_server_errors_are_retried_with_backoff(site):
    sleeps: list[float] = []
    with (
        Fetcher(policy(retries=2, backoff=0.5), sleep=sleeps.append) as f,
        pytest.raises(FetchError, match=r"HTTP 500 after 3 attempts"),
    ):
        f.get(site.url("/error500"))
    assert site.hits.count("/error500") == 3 and sleeps == [0.5, 1.0]


def test_robots_txt_is_respected(site):
    with Fetcher(policy()) as f:
        with pytest.raises(BlockedError, match=r"robots\.txt"):
            f.get(site.url("/private/secret.html"))
        assert f.get(site.url("/articles/en-1.html")).status == 200
    assert "/private/secret.html" not in site.hits and site.hits.count("/robots.txt") == 1


def test_conditional_get_returns_304_without_a_body(site):
    with Fetcher(policy()) as f:
        first = f.get(site.url("/feed-en.xml"))
        again = f.get(site.url("/feed-en.xml"), etag=first.headers["etag"])
    assert first.status == 200 and first.body.startswith(b"<?xml")
    assert again.not_modified and again.body == b""
    assert site.bodies_sent.count("/feed-en.xml") == 1


def test_gzip_bodies_are_decoded(site):
    with Fetcher(policy()) as f:
        got = f.get(site.url("/gz-feed.xml"))
    assert got.body.startswith(b"<?xml") and b"im-test-1" in got.body


def test_per_host_interval_spaces_requests(site):
    sleeps: list[float] = []
    with Fetcher(policy(per_host_interval=0.2, respect_robots=False), sleep=sleeps.append) as f:
        for _ in range(3):
            f.get(site.url("/articles/en-2.html"))
    # the sleep is not real here, so the waits add up: the 2nd request at +0.2 s, the 3rd at +0.4 s
    assert len(sleeps) == 2 and 0.1 < sleeps[0] <= 0.2 and 0.3 < sleeps[1] <= 0.4


def test_every_response_is_archived_as_warc(site):
    archive = Archive()
    with Fetcher(policy(respect_robots=False), archive) as f:
        got = f.get(site.url("/articles/en-1.html"))
    (rec,) = archive._pending
    assert got.record_id == rec.record_id and rec.record_id.startswith("<urn:uuid:")
    assert rec.status == 200 and rec.length == len(got.body) and rec.warc[:2] == b"\x1f\x8b"


# --- URLs from hostile input ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:65536/", "port 65536 is not a number in 1-65535"),
        ("http://[127.0.0.1]/", "An IPv4 address cannot be in brackets"),
        ("http://" + "a" * 64 + ".example/", "host label of 64 characters (at most 63)"),
        ("http://news.example/a\x01b", "control character U+0001"),
        ("http://news.example/a\x7fb", "control character U+007F"),
    ],
)
def test_bad_urls_are_fetch_errors_naming_the_url(url, reason):
    with Fetcher(policy()) as f, pytest.raises(BadURLError) as caught:
        f.get(url)
    assert caught.value.url == url and reason in caught.value.reason
    assert str(caught.value).startswith(url)


def test_an_iri_is_fetched_and_archived_as_its_uri(site):
    slug = "/articles/تجمع-کارگران.html"
    site.pages[quote(slug)] = ("<p>کارگران</p>".encode(), "text/html; charset=utf-8")
    archive = Archive()
    with Fetcher(policy(respect_robots=False), archive) as f:
        got = f.get(site.url(slug))
    assert got.status == 200 and got.final_url == site.url(quote(slug))
    (rec,) = archive._pending
    record = next(r for r in ArchiveIterator(io.BytesIO(rec.warc)) if r.rec_type == "response")
    assert record.rec_headers.get_header("WARC-Target-URI") == site.url(quote(slug))


def test_a_hostile_validator_is_not_sent_back(site):
    with Fetcher(policy(respect_robots=False)) as f:
        got = f.get(site.url("/articles/en-2.html"), etag='"x\x00y"', last_modified="ﻣﻘﺎﻟﻪ")
    assert got.status == 200


# --- DNS rebinding --------------------------------------------------------------------------------
class _Redirecting(Handler):
    def _special(self, route: str, path: str) -> bool:
        if route == "/hop":  # to the same host name: the hop's check resolves it again
            self._send(302, headers={"Location": self.site.base + "/page"})
            return True
        return super()._special(route, path)


@pytest.fixture
def rebinding():
    """Two servers on one port: 127.0.0.2 (allowed; it stands for a public address) and 127.0.0.1 (not
    allowed; the internal service a rebinding attack aims at); a resolver that answers 127.0.0.2 the
    first time and 127.0.0.1 after, as an attacker's DNS server with a zero TTL would."""
    public, internal = Site(), Site()
    public.pages["/page"] = (b"<p>public</p>", "text/html")
    internal.pages["/page"] = (b"<p>internal</p>", "text/html")
    first = ThreadingHTTPServer(("127.0.0.2", 0), type("Public", (_Redirecting,), {"site": public}))
    port = first.server_address[1]
    second = ThreadingHTTPServer(("127.0.0.1", port), make_handler(internal))
    public.base = f"http://rebind.example:{port}"
    for server in (first, second):
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    answers = iter([["127.0.0.2"]])
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers, ["127.0.0.1"])

    yield public, internal, resolve, calls
    for server in (first, second):
        server.shutdown()
        server.server_close()


PINNED = policy(allow_private=(ipaddress.ip_network("127.0.0.2/32"),), respect_robots=False)


def test_the_connection_goes_to_the_address_that_was_checked(rebinding):
    public, internal, resolve, calls = rebinding
    with Fetcher(PINNED, resolve=resolve) as f:
        got = f.get(public.url("/page"))
    # resolved once, checked, and connected to: a second lookup (127.0.0.1) is never made
    assert got.body == b"<p>public</p>" and calls == ["rebind.example"]
    assert public.hits == ["/page"] and internal.hits == []


def test_every_redirect_hop_is_checked_again(rebinding):
    public, internal, resolve, calls = rebinding
    with Fetcher(PINNED, resolve=resolve) as f, pytest.raises(BlockedError, match=r"127\.0\.0\.1"):
        f.get(public.url("/hop"))
    assert calls == ["rebind.example", "rebind.example"]
    assert public.hits == ["/hop"] and internal.hits == []
