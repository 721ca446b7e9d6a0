"""URLs from hostile input: checked, then written as plain-ASCII URIs.

Links come from feeds, pages, redirects and configuration files, and any of them may be broken on
purpose. :func:`to_uri` turns one into the URI that is fetched and archived, or says in one
sentence why it cannot be fetched:

* an IRI becomes a URI: the host is IDNA-encoded, non-ASCII characters (a Persian slug) and
  characters that may not appear in a URI (space, ``"``, ``<``, ``>``...) are UTF-8 percent-encoded,
  a ``%`` that starts no escape becomes ``%25``, the fragment (never sent) is dropped;
* refused: control characters, a port outside 1-65535, a host that is neither an IP address nor a
  DNS name (a label longer than 63 characters, a name longer than 253, an IPv4 address in brackets),
  a URL longer than :data:`MAX_URL_CHARS`.

The result is stable: ``to_uri(to_uri(u)) == to_uri(u)``.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit

MAX_URL_CHARS = 8192
MAX_HOST_CHARS = 253
MAX_LABEL_CHARS = 63

# C0 and C1 control characters and DEL (tab, CR and LF included: browsers drop them silently, we refuse),
# and lone surrogates, which cannot be encoded
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# characters kept as they are in a path (RFC 3986 pchar and "/"), and in a query (also "?")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"


class URLSyntaxError(ValueError):
    """A URL that cannot be fetched as written; the message says why."""


def _host(host: str) -> str:
    """The host as it goes on the wire: an IP address, or an ASCII (IDNA) DNS name."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return f"[{ip.compressed}]" if ip.version == 6 else ip.compressed
    name = host.rstrip(".")
    if not name:
        raise URLSyntaxError("no host")
    labels = name.split(".")
    ascii_labels = []
    for label in labels:
        if not label:
            raise URLSyntaxError(f"empty label in host {host!r}")
        if not label.isascii():
            try:
                label = label.encode("idna").decode("ascii")
            except UnicodeError:
                raise URLSyntaxError(f"host label {label[:80]!r} is not a valid international name") from None
        if len(label) > MAX_LABEL_CHARS:
            raise URLSyntaxError(f"host label of {len(label)} characters (at most {MAX_LABEL_CHARS})")
        if not _LABEL.fullmatch(label.lower()):
            raise URLSyntaxError(f"host label {label[:80]!r} has characters a host name cannot have")
        ascii_labels.append(label.lower())
    ascii_host = ".".join(ascii_labels)
    if len(ascii_host) > MAX_HOST_CHARS:
        raise URLSyntaxError(f"host name of {len(ascii_host)} characters (at most {MAX_HOST_CHARS})")
    return ascii_host + ("." if host.endswith(".") else "")


def to_uri(url: str) -> str:
    """The ASCII URI to fetch for ``url`` (an IRI or a URI); :class:`URLSyntaxError` when there is none."""
    url = url.strip(" \t\r\n\f\v")
    if len(url) > MAX_URL_CHARS:
        raise URLSyntaxError(f"URL longer than {MAX_URL_CHARS} characters")
    if bad := _FORBIDDEN.search(url):
        raise URLSyntaxError(f"control character U+{ord(bad.group()):04X} at position {bad.start()}")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError as exc:  # an IPv4 address in brackets, unbalanced brackets
        raise URLSyntaxError(str(exc)) from None
    try:
        port = parts.port
    except ValueError:
        raw = parts.netloc.rpartition(":")[2]
        raise URLSyntaxError(f"port {raw[:20]} is not a number in 1-65535") from None
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc:
        return url  # not an absolute URL: the caller's scheme check names it
    if not hostname:
        raise URLSyntaxError("no host")
    if port == 0:
        raise URLSyntaxError("port 0 is not a number in 1-65535")
    netloc = _host(hostname)
    if parts.username is not None or parts.password is not None:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{_quote(userinfo, _PATH_SAFE.replace('/', '').replace('@', ''))}@{netloc}"
    if port is not None:
        netloc += f":{port}"
    uri = f"{scheme}://{netloc}{_quote(parts.path, _PATH_SAFE) or '/'}"
    if parts.query:
        uri += "?" + _quote(parts.query, _QUERY_SAFE)
    return uri


def printable(url: str, limit: int = 2000) -> str:
    """``url`` as it may be shown and stored in an error: control characters and lone surrogates
    written as escapes (``\\x01``), at most ``limit`` characters."""
    shown = _FORBIDDEN.sub(lambda m: ascii(m.group())[1:-1], url)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _quote(part: str, safe: str) -> str:
    return quote(_STRAY_PERCENT.sub("%25", part), safe=safe, encoding="utf-8", errors="strict")


def safe_url(url: str | None) -> str | None:
    """A report's URL as a link only when it is http(s): never ``javascript:`` or ``data:``."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None
