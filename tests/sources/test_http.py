"""The fetcher against a real HTTP server on 127.0.0.1: safety, politeness, limits, archive."""

from __future__ import annotations

import ipaddress

import pytest

from eventledger.sources.archive import Archive
from eventledger.sources.http import BlockedError, Fetcher, FetchError, FetchPolicy, check_address

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
