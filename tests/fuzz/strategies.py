"""One Hypothesis strategy per input kind: well-formed records with hostile ones among them.

Each case says which of its records are good (they must be stored whatever their neighbours hold)
and whether its structure is *intact* (hostile values inside well-formed JSON, CSV, XML) or
*broken* (raw fragments that break the structure: then only a clean error naming the input is
required). Cases keep their parts, not their bytes, so that a shrunk failure reads as a reproducer;
``*.build()`` writes the bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from eventledger.sources.files import MAX_RECORD_BYTES
from tests.fuzz.hostile import (
    BIG_INT_LITERAL,
    breaker,
    cdata,
    cuts,
    hostile_date,
    hostile_number,
    hostile_scalar,
    hostile_text,
    hostile_url,
    inject,
    json_line,
    to_bytes,
    xml_text,
)

GOOD_TEXTS = (
    "Supporters of the group set fire to a large banner of the Supreme Leader in Shiraz on Friday night, "
    "according to Iran Monitor.",
    "Activists wrote slogans against the government on walls in Mashhad on Thursday, local reporters said.",
    "هواداران گروه شب جمعه در شیراز بنر بزرگی را به آتش کشیدند؛ این خبر را ایران مانیتور منتشر کرد.",
    "روز پنجشنبه در زاهدان شعارنویسی بر دیوارهای شهر گزارش شد.",
)
GOOD_PUBLISHED = "2023-02-18T09:15:00+03:30"
GOOD_OUTLET = "Fuzz Wire"
RECORD_FIELDS = ("id", "url", "outlet", "published", "lang", "title", "text")
# record limits a case reads with: the shipped one and a small one that hostile sizes cross
RECORD_LIMITS = (MAX_RECORD_BYTES, 4096)


def good_text(k: int) -> str:
    return f"{GOOD_TEXTS[k % len(GOOD_TEXTS)]} (report {k})"


def good_record(k: int) -> dict[str, Any]:
    return {
        "id": f"good-{k}",
        "outlet": GOOD_OUTLET,
        "published": GOOD_PUBLISHED,
        "lang": "fa" if k % len(GOOD_TEXTS) >= 2 else "en",
        "title": f"Report {k}",
        "text": good_text(k),
    }


def _layout(hostile: list[Any], goods: int, seed: int) -> list[Any]:
    """Good record numbers 0..goods-1 (ints) among the hostile items as ``seed`` says; a good one first."""
    out: list[Any] = [0]
    following = 1
    for i, item in enumerate(hostile):
        out.append(item)
        if following < goods and (seed >> i) & 1:
            out.append(following)
            following += 1
    out.extend(range(following, goods))
    return out


# --- JSON Lines -------------------------------------------------------------------------------------
@st.composite
def hostile_record(draw: st.DrawFn) -> dict[str, Any]:
    """A record with some fields good, some hostile, maybe some missing or extra."""
    rec: dict[str, Any] = good_record(10_000 + draw(st.integers(0, 10**6)))
    rec["id"] = f"bad-{rec['id']}"
    for key in draw(st.lists(st.sampled_from(RECORD_FIELDS), min_size=1, max_size=4, unique=True)):
        if draw(st.booleans()) and key != "text":
            rec.pop(key, None)
            continue
        strategy = {"published": st.one_of(hostile_date(), hostile_number()), "url": hostile_url()}.get(
            key, hostile_scalar()
        )
        rec[key] = draw(strategy)
    if draw(st.booleans()):
        rec[draw(hostile_text(max_run=1000))] = draw(hostile_scalar())
    return rec


def _raw_lines() -> st.SearchStrategy[bytes]:
    """Lines that are not one JSON object: numbers Python refuses, nesting, bad bytes, truncation."""
    text = json.dumps(good_record(99_999))
    return st.one_of(
        st.sampled_from(
            (
                b'{"text": "x", "published": ' + BIG_INT_LITERAL.encode() + b"}",
                b'{"id": ' + BIG_INT_LITERAL.encode() + b', "text": "x"}',
                b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                b'{"text": ' + b"[" * 1000 + b"]" * 1000 + b"}",
                b'{"text": "a", "text": 5}',
                b'{"text": "\xff\xfe", "published": "2023-02-18"}',
                b'{"text": "\xed\xa0\x80 surrogate bytes"}',
                b'{"text": "overlong \xc0\xaf"}',
                b'{"text": "x", "published": 1e999}',
                b'{"text": "x", "published": NaN}',
                b'{"text": "x", "published": -Infinity}',
                b"\xef\xbb\xbf" + text.encode(),
                b"[1, 2]",
                b"null",
                b'"a string"',
                b"1e999",
                b"\x00",
                b"\r",
                b"{",
                b"}",
            )
        ),
        st.integers(1, len(text) - 1).map(lambda n: text[:n].encode()),
        st.builds(
            lambda b: text.encode().replace(b"Report", b, 1), breaker().filter(lambda b: b"\n" not in b)
        ),
    )


@dataclass(frozen=True)
class JsonlCase:
    lines: tuple[Any, ...]  # an int is good record n; bytes are written as they are
    suffix: str  # ".jsonl", ".ndjson", ".jsonl.gz"
    ending: bytes
    max_record_bytes: int
    gzip_cut: int | None = None  # gzip stream cut after this many bytes (a truncated download)

    @property
    def good_ids(self) -> list[str]:
        return [f"good-{n}" for n in self.lines if isinstance(n, int)]

    @property
    def intact(self) -> bool:
        return self.gzip_cut is None

    def line_bytes(self) -> list[bytes]:
        return [json.dumps(good_record(x)).encode() if isinstance(x, int) else x for x in self.lines]

    def build(self) -> bytes:
        data = b"\n".join(self.line_bytes()) + self.ending
        if self.suffix.endswith(".gz"):
            data = gzip.compress(data, mtime=0)
            if self.gzip_cut is not None:
                data = data[: self.gzip_cut]
        return data


@st.composite
def jsonl_cases(draw: st.DrawFn) -> JsonlCase:
    hostile = draw(
        st.lists(
            st.one_of(
                st.builds(json_line, hostile_record(), st.booleans()),
                _raw_lines(),
            ),
            min_size=1,
            max_size=4,
        )
    )
    goods = draw(st.integers(1, 3))
    suffix = draw(st.sampled_from((".jsonl", ".ndjson", ".jsonl.gz")))
    cut = draw(st.one_of(st.none(), st.integers(0, 60))) if suffix.endswith(".gz") else None
    return JsonlCase(
        lines=tuple(_layout(hostile, goods, draw(st.integers(0, 255)))),
        suffix=suffix,
        ending=draw(st.sampled_from((b"\n", b"", b"\r\n", b"\n\n"))),
        max_record_bytes=draw(st.sampled_from(RECORD_LIMITS)),
        gzip_cut=cut,
    )


# --- CSV / TSV ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CsvCase:
    columns: tuple[str, ...]
    rows: tuple[Any, ...]  # an int is good record n; a tuple of cells a hostile row; bytes a raw line
    suffix: str  # ".csv", ".tsv", ".csv.gz"
    max_record_bytes: int
    header_prefix: bytes = b""  # a BOM or junk before the header

    @property
    def delimiter(self) -> str:
        return "\t" if ".tsv" in self.suffix else ","

    @property
    def good_ids(self) -> list[str]:
        return [f"good-{n}" for n in self.rows if isinstance(n, int)]

    @property
    def intact(self) -> bool:
        """No raw line and a readable header: every row is a row of its own."""
        return not any(isinstance(r, bytes) for r in self.rows) and self.header_prefix in (
            b"",
            b"\xef\xbb\xbf",
        )

    def _line(self, cells: list[str]) -> bytes:
        buf = io.StringIO()
        csv.writer(buf, delimiter=self.delimiter, lineterminator="\r\n").writerow(cells)
        return to_bytes(buf.getvalue())

    def build(self) -> bytes:
        out = [self.header_prefix + self._line(list(self.columns))]
        for row in self.rows:
            if isinstance(row, int):
                rec = good_record(row)
                out.append(self._line([str(rec.get(c, "")) for c in self.columns]))
            elif isinstance(row, bytes):
                out.append(row + b"\r\n")
            else:
                out.append(self._line(list(row)))
        data = b"".join(out)
        return gzip.compress(data, mtime=0) if self.suffix.endswith(".gz") else data


def _cell() -> st.SearchStrategy[str]:
    return st.one_of(
        hostile_text(),
        hostile_date(),
        hostile_url(),
        hostile_number().map(str),
        st.sampled_from(("", " ", "en", "fa", "FA-IR", "klingon")),
    )


@st.composite
def csv_cases(draw: st.DrawFn) -> CsvCase:
    columns = tuple(draw(st.permutations(RECORD_FIELDS)))
    if draw(st.booleans()):
        columns += (draw(st.sampled_from(("extra", "Text", " id ", "\ufeffnote", ""))),)

    def hostile_row(n: int) -> tuple[str, ...]:
        return tuple(draw(_cell()) for _ in range(n))

    width = len(columns)
    rows: list[Any] = [
        hostile_row(draw(st.sampled_from((width, width, width - 1, width + 2))))
        for _ in range(draw(st.integers(1, 3)))
    ]
    rows += draw(st.lists(breaker(), max_size=2))
    rows = [rows[i] for i in draw(st.permutations(range(len(rows))))]
    return CsvCase(
        columns=columns,
        rows=tuple(_layout(rows, draw(st.integers(1, 3)), draw(st.integers(0, 255)))),
        suffix=draw(st.sampled_from((".csv", ".tsv", ".csv.gz"))),
        max_record_bytes=draw(st.sampled_from(RECORD_LIMITS)),
        header_prefix=draw(st.sampled_from((b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b'"'))),
    )


# --- folders of Markdown (front matter), text and HTML files -------------------------------------------
YAML_SNIPPETS = (
    "published: 2023-02-30",
    "published: 2023-02-30 10:00:00",
    "published: 9999-12-31T23:59:59-14:00",
    "published: 0001-01-01T00:00:00+14:00",
    "published: 2023-02-18T09:15:00+25:00",
    "published: !!float .inf",
    "published: .nan",
    "published: 1.0e+400",
    "published: 1e20",
    "published: 99999999999999999999999",
    "published: -99999999999",
    "published: [1, 2]",
    "published: {a: 1}",
    "published: ~",
    "id: !!binary aGVsbG8=",
    'title: "\\ud800"',
    'title: "\\x00\\x07"',
    'outlet: "\\u202eevil"',
    'lang: "\\0"',
    "id: 9223372036854775808",
    "text: front matter text is ignored",
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ntitle: *c",
    "!!python/object/apply:os.system [echo pwned]",
    "? [a, b]\n: c",
    "x: " + "[" * 5000 + "]" * 5000,
    "x: " + "{a: " * 2000 + "1" + "}" * 2000,
    "\t- tab indented",
    "key: 'unterminated",
    "- just a list",
    "just a string",
    "42",
    "%YAML 1.1\n---\nid: x",
    "*undefined_alias",
    "id: &anchor",
    "title: |\n  " + "long line " * 2000,
)


@st.composite
def _front_matter(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(YAML_SNIPPETS), max_size=2))
    for key in draw(st.lists(st.sampled_from(RECORD_FIELDS), max_size=2, unique=True)):
        lines.append(f"{key}: {json.dumps(draw(hostile_scalar()), allow_nan=True)}")  # JSON is YAML
    return "\n".join(lines)


@dataclass(frozen=True)
class TextFile:
    name: str
    content: Any  # an int is good record n as Markdown; str or bytes are written as they are


@dataclass(frozen=True)
class FolderCase:
    files: tuple[TextFile, ...]
    max_record_bytes: int

    @property
    def good_ids(self) -> list[str]:
        return [f"good-{f.content}" for f in self.files if isinstance(f.content, int)]

    @staticmethod
    def good_markdown(k: int) -> str:
        rec = good_record(k)
        return (
            f"---\nid: {rec['id']}\npublished: {rec['published']}\noutlet: {rec['outlet']}\nlang: {rec['lang']}\n"
            f"---\n# {rec['title']}\n\n{rec['text']}\n"
        )

    @staticmethod
    def encode(content: Any) -> bytes:
        if isinstance(content, int):
            return FolderCase.good_markdown(content).encode()
        return content if isinstance(content, bytes) else to_bytes(content)


@st.composite
def _hostile_file(draw: st.DrawFn) -> tuple[str, Any]:
    ext = draw(st.sampled_from((".md", ".md", ".markdown", ".txt", ".html", ".htm")))
    body = draw(hostile_text())
    if ext in (".html", ".htm"):
        return ext, draw(html_pages()).build()
    shape = draw(st.sampled_from(("front", "front", "open", "none", "bom", "bytes")))
    if shape == "front":
        content: Any = f"---\n{draw(_front_matter())}\n---\n# {draw(hostile_text(max_run=1000))}\n{body}"
    elif shape == "open":
        content = f"---\n{draw(_front_matter())}\n{body}"  # front matter never closed
    elif shape == "bom":
        content = "\ufeff---\r\nid: x\r\n---\r\n" + body
    elif shape == "bytes":
        content = to_bytes(body) + draw(breaker())
    else:
        content = body
    return ext, content


@st.composite
def folder_cases(draw: st.DrawFn) -> FolderCase:
    hostile = draw(st.lists(_hostile_file(), min_size=1, max_size=3))
    goods = draw(st.integers(1, 3))
    files = [TextFile(f"{k:02d}-good.md", k) for k in range(goods)]
    for i, (ext, content) in enumerate(hostile):
        stem = draw(st.sampled_from(("bad", "خبر", "a b", "\u202ecod", "x" * 100)))
        files.append(TextFile(f"{i:02d}-{stem}{ext}", content))
    return FolderCase(tuple(files), draw(st.sampled_from(RECORD_LIMITS)))


# --- Telegram Desktop export (result.json) ----------------------------------------------------------
CHAT_ID = 1765432109


def good_message(k: int) -> dict[str, Any]:
    text = good_text(k)
    return {
        "id": k + 1,
        "type": "message",
        "date": "2023-02-18T12:45:00",
        "date_unixtime": str(1676711700 + k),
        "from": "Fuzz Channel",
        "text": [{"type": "bold", "text": "خبر: "}, text] if k % 2 else text,
        "text_entities": [{"type": "plain", "text": text}],
    }


@st.composite
def hostile_message(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(hostile_scalar())  # not an object at all
    msg = good_message(draw(st.integers(1000, 10**6)))
    msg["id"] = draw(st.one_of(st.integers(1000, 2**70), hostile_number(), hostile_scalar()))
    keys = ("type", "date", "date_unixtime", "text", "text_entities", "edited", "from")
    for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True)):
        choices = {
            "date": hostile_date(),
            "date_unixtime": st.one_of(hostile_number(), hostile_number().map(str)),
            "text": st.one_of(
                hostile_text(),
                st.lists(
                    st.one_of(
                        hostile_text(max_run=1000),
                        st.fixed_dictionaries({"type": hostile_scalar(), "text": hostile_scalar()}),
                    ),
                    max_size=3,
                ),
            ),
        }
        msg[key] = draw(choices.get(key, hostile_scalar()))
    return msg


@dataclass(frozen=True)
class TelegramCase:
    doc: Any  # the export as Python data; good messages are in it already
    good_ids: tuple[str, ...]
    ascii_only: bool
    indent: int | None
    breaks: tuple[tuple[float, bytes], ...] = ()  # raw fragments written into the JSON text
    detect: bool = True  # let the reader tell the kind from the file (else the kind is given)
    suffix: str = ".json"

    @property
    def intact(self) -> bool:
        """Valid UTF-8 JSON (lone surrogates written raw are not UTF-8: the file is refused whole)."""
        if self.breaks:
            return False
        try:
            json.dumps(self.doc, ensure_ascii=self.ascii_only, allow_nan=True).encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True

    def build(self) -> bytes:
        data = to_bytes(
            json.dumps(self.doc, ensure_ascii=self.ascii_only, allow_nan=True, indent=self.indent)
        )
        data = inject(data, list(self.breaks)) if self.breaks else data
        return gzip.compress(data, mtime=0) if self.suffix.endswith(".gz") else data


@st.composite
def telegram_cases(draw: st.DrawFn) -> TelegramCase:
    goods = draw(st.integers(1, 3))
    hostile = draw(st.lists(hostile_message(), min_size=1, max_size=4))
    messages = [
        good_message(x) if isinstance(x, int) else x
        for x in _layout(hostile, goods, draw(st.integers(0, 255)))
    ]
    chat = {"name": "Fuzz Channel", "type": "public_channel", "id": CHAT_ID, "messages": messages}
    good_ids = tuple(f"{CHAT_ID}/{k + 1}" for k in range(goods))
    if draw(st.booleans()):  # a full-account export: the channel among hostile chats
        others = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "id": hostile_scalar(),
                        "type": st.sampled_from(("public_channel", "private_channel", "personal_chat"))
                        | hostile_scalar(),
                        "name": hostile_scalar(),
                        "messages": st.lists(hostile_message(), max_size=2) | hostile_scalar(),
                    }
                ),
                max_size=2,
            )
        )
        doc: Any = {
            "about": "export",
            "chats": {"about": "chats", "list": [chat, *others]},
            "left_chats": {"list": others},
        }
    else:
        doc = chat
    breaks = draw(st.one_of(st.just(()), cuts().map(tuple))) if draw(st.integers(0, 3)) == 0 else ()
    return TelegramCase(
        doc=doc,
        good_ids=good_ids,
        ascii_only=draw(st.booleans()),
        indent=draw(st.sampled_from((1, 1, None))),
        breaks=breaks,
        detect=draw(st.booleans()),
        suffix=draw(st.sampled_from((".json", ".json", ".json.gz"))),
    )


# --- HTML pages ------------------------------------------------------------------------------------------
TAGS = (
    "p",
    "div",
    "span",
    "article",
    "script",
    "style",
    "title",
    "nav",
    "br",
    "time",
    "meta",
    "a",
    "svg",
    "template",
    "iframe",
    "table",
    "tr",
    "td",
)
CHARSETS = (
    "utf-8",
    "utf-7",
    "utf-16",
    "utf-32",
    "idna",
    "punycode",
    "unicode_escape",
    "raw_unicode_escape",
    "uu",
    "hex",
    "base64",
    "rot13",
    "zlib",
    "x-user-defined",
    "cp1256",
    "arabic",
    "windows-1252",
    "latin1",
    "klingon",
    "",
)


@st.composite
def _attrs(draw: st.DrawFn) -> str:
    names = (
        "href",
        "content",
        "property",
        "name",
        "datetime",
        "class",
        "data-post",
        "charset",
        "onerror",
        "style",
    )
    out = []
    for name in draw(st.lists(st.sampled_from(names), max_size=3)):
        value = draw(
            st.one_of(
                hostile_text(max_run=1000),
                hostile_date(),
                hostile_url(),
                st.sampled_from(
                    (
                        "article:published_time",
                        "og:title",
                        "og:site_name",
                        "tgme_widget_message",
                        "tgme_widget_message_text",
                        "sepideh/1",
                    )
                ),
            )
        )
        quote = draw(st.sampled_from(('"', "'", "")))
        out.append(f" {name}={quote}{value}{quote}")
    return "".join(out)


def _fragments(max_leaves: int = 12) -> st.SearchStrategy[str]:
    leaf = st.one_of(hostile_text(), st.sampled_from(GOOD_TEXTS))

    def wrap(kids: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda tag, attrs, inner, close: f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if close else ""),
            st.sampled_from(TAGS),
            _attrs(),
            st.lists(kids, max_size=3).map("".join),
            st.booleans(),
        )

    return st.recursive(leaf, wrap, max_leaves=max_leaves)


@dataclass(frozen=True)
class HtmlPage:
    charset: str | None  # declared in a <meta>
    content_type: str  # the HTTP header
    title: str
    body: str
    breaks: tuple[tuple[float, bytes], ...] = ()

    def build(self) -> bytes:
        meta = f'<meta charset="{self.charset}">' if self.charset is not None else ""
        page = f"<!DOCTYPE html><html><head>{meta}<title>{self.title}</title></head><body>{self.body}</body></html>"
        data = to_bytes(page)
        return inject(data, list(self.breaks)) if self.breaks else data


@st.composite
def html_pages(draw: st.DrawFn) -> HtmlPage:
    charset = draw(st.one_of(st.none(), st.sampled_from(CHARSETS)))
    header_charset = draw(st.one_of(st.none(), st.sampled_from(CHARSETS)))
    ctype = "text/html" + (f"; charset={header_charset}" if header_charset is not None else "")
    return HtmlPage(
        charset=charset,
        content_type=ctype,
        title=draw(hostile_text(max_run=1000)),
        body=draw(_fragments()),
        breaks=tuple(draw(st.one_of(st.just([]), cuts()))),
    )


def good_article(k: int) -> bytes:
    rec = good_record(k)
    return (
        f'<!DOCTYPE html><html lang="{rec["lang"]}"><head><meta charset="utf-8"><title>{rec["title"]}</title>'
        f'<meta property="article:published_time" content="{rec["published"]}"></head><body>'
        f"<nav><a href='/'>Home</a></nav><article><h1>{rec['title']}</h1><p>{rec['text']}</p>"
        f"<p>{GOOD_TEXTS[(k + 1) % len(GOOD_TEXTS)]} Residents said the damage was repaired by the next day.</p>"
        "</article><footer>contact: desk@example.org</footer></body></html>"
    ).encode()


@dataclass(frozen=True)
class PageCase:
    """Pages served by the local server behind a sitemap: good article n and hostile pages."""

    pages: tuple[Any, ...]  # an int is good article n; an HtmlPage is served as built

    @property
    def good(self) -> list[int]:
        return [p for p in self.pages if isinstance(p, int)]


@st.composite
def page_cases(draw: st.DrawFn) -> PageCase:
    hostile = draw(st.lists(html_pages(), min_size=1, max_size=2))
    return PageCase(tuple(_layout(hostile, draw(st.integers(1, 2)), draw(st.integers(0, 3)))))


# --- Telegram channel web preview (t.me/s/NAME) -------------------------------------------------------------
def good_post(k: int) -> str:
    return (
        f'<div class="tgme_widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="fuzzchan/{k + 1}">'
        f'<div class="tgme_widget_message_text js-message_text" dir="auto">{good_text(k)}</div>'
        f'<div class="tgme_widget_message_footer"><span class="tgme_widget_message_views">1.2K</span>'
        f'<a class="tgme_widget_message_date" href="https://t.me/fuzzchan/{k + 1}"><time datetime="2023-02-21T03:1{k % 10}:00+00:00">03:10</time></a>'
        "</div></div></div>"
    )


@st.composite
def hostile_post(draw: st.DrawFn) -> str:
    post_id = draw(st.one_of(st.integers(1000, 10**20).map(str), hostile_text(max_run=1000)))
    channel = draw(st.sampled_from(("fuzzchan", "otherchan", "FUZZCHAN", "")))
    when = draw(st.one_of(hostile_date(), st.just("2023-02-21T03:10:00+00:00")))
    return (
        f'<div class="tgme_widget_message" data-post="{channel}/{post_id}">'
        f'<div class="tgme_widget_message_text">{draw(_fragments(6))}</div>'
        f'<a class="tgme_widget_message_date"><time datetime="{when}"></time></a>'
        f'<span class="tgme_widget_message_views">{draw(hostile_text(max_run=1000))}</span></div>'
    )


@dataclass(frozen=True)
class TelegramWebCase:
    posts: tuple[Any, ...]  # an int is good post n; a str a hostile post's markup
    title: str
    trailer: bytes  # raw bytes after the posts (unclosed markup, bad bytes)

    @property
    def good_ids(self) -> list[str]:
        return [f"fuzzchan/{k + 1}" for k in self.posts if isinstance(k, int)]

    def build(self) -> bytes:
        posts = "".join(good_post(p) if isinstance(p, int) else p for p in self.posts)
        head = "<!DOCTYPE html><html><head></head><body>"
        title = f'<div class="tgme_channel_info_header_title">{self.title}</div>'  # last: it may never close
        return to_bytes(head + posts + title) + self.trailer


@st.composite
def telegram_web_cases(draw: st.DrawFn) -> TelegramWebCase:
    goods = draw(st.integers(1, 2))
    hostile = draw(st.lists(hostile_post(), min_size=1, max_size=3))
    return TelegramWebCase(
        posts=(*range(goods), *hostile),  # good posts first: unclosed markup may swallow what follows it
        title=draw(hostile_text(max_run=1000)),
        trailer=draw(st.one_of(st.just(b"</body></html>"), breaker())),
    )


# --- RSS / Atom feeds -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedItem:
    guid: str
    link: str | None
    title: str
    description: str  # markup already written (escaped text, CDATA or raw)
    published: str
    extra: str = ""


@dataclass(frozen=True)
class FeedCase:
    atom: bool
    items: tuple[Any, ...]  # an int is good item n (its article served); FeedItem a hostile item
    prolog: str
    content_type: str
    pages: tuple[HtmlPage, ...] = ()  # hostile articles served as BASE/bad-<i>.html
    breaks: tuple[tuple[float, bytes], ...] = ()

    @property
    def good_ids(self) -> list[str]:
        return [f"good-{n}" for n in self.items if isinstance(n, int)]

    @property
    def intact(self) -> bool:
        """Well-formed, and the declared encodings are the true one (UTF-8)."""
        honest_prolog = "encoding" not in self.prolog or 'encoding="utf-8"' in self.prolog.lower()
        honest_header = "charset" not in self.content_type or self.content_type.endswith("charset=utf-8")
        return not self.breaks and honest_prolog and honest_header

    @staticmethod
    def good_item(k: int) -> FeedItem:
        rec = good_record(k)
        link = f"@BASE@/good-{k}.html" if k % 2 == 0 else None  # odd ones: the summary is the report
        return FeedItem(
            f"good-{k}", link, rec["title"], xml_text(rec["text"]), "Sat, 18 Feb 2023 09:15:00 +0330"
        )

    def _item(self, it: FeedItem) -> str:
        link = f"<link>{xml_text(it.link)}</link>" if it.link is not None and not self.atom else ""
        if self.atom:
            href = (
                f'<link href="{xml_text(it.link).replace(chr(34), "&quot;")}"/>'
                if it.link is not None
                else ""
            )
            return (
                f"<entry><id>{xml_text(it.guid)}</id>{href}<title>{xml_text(it.title)}</title>"
                f'<updated>{xml_text(it.published)}</updated><content type="html">{it.description}</content>{it.extra}</entry>'
            )
        return (
            f'<item><title>{xml_text(it.title)}</title>{link}<guid isPermaLink="false">{xml_text(it.guid)}</guid>'
            f"<pubDate>{xml_text(it.published)}</pubDate><description>{it.description}</description>{it.extra}</item>"
        )

    def build(self, base: str) -> bytes:
        items = "".join(self._item(self.good_item(x) if isinstance(x, int) else x) for x in self.items)
        if self.atom:
            doc = f'{self.prolog}<feed xmlns="http://www.w3.org/2005/Atom"><title>Fuzz</title>{items}</feed>'
        else:
            doc = f'{self.prolog}<rss version="2.0"><channel><title>Fuzz</title><link>@BASE@/</link>{items}</channel></rss>'
        data = to_bytes(doc.replace("@BASE@", base))
        return inject(data, list(self.breaks)) if self.breaks else data


@st.composite
def hostile_item(draw: st.DrawFn, pages: int) -> FeedItem:
    link = draw(
        st.one_of(
            st.none(),
            hostile_url(),
            st.integers(0, max(pages - 1, 0)).map(lambda i: f"@BASE@/bad-{i}.html"),
            st.just("@BASE@/missing.html"),
        )
    )
    how = draw(st.sampled_from(("text", "cdata", "html")))  # escaped text, text in CDATA, markup in CDATA
    if how == "html":
        description = cdata(draw(_fragments(6)))
    else:
        text = draw(hostile_text())
        description = xml_text(text) if how == "text" else cdata(text)
    extra = draw(
        st.sampled_from(
            (
                "",
                "<enclosure url='http://127.0.0.1:0/x.mp3' length='-1' type='audio/mpeg'/>",
                "<category>" + "x" * 3000 + "</category>",
                "<author>reporter@irna.ir (تماس ۰۹۱۲۳۴۵۶۷۸۹)</author>",
                "<source url='javascript:alert(1)'>x</source>",
            )
        )
    )
    return FeedItem(
        guid=draw(st.one_of(hostile_text(max_run=1000), st.just(""))),
        link=link,
        title=draw(hostile_text(max_run=1000)),
        description=description,
        published=draw(hostile_date()),
        extra=extra,
    )


@st.composite
def feed_cases(draw: st.DrawFn) -> FeedCase:
    pages = tuple(draw(st.lists(html_pages(), max_size=1)))
    hostile = draw(st.lists(hostile_item(len(pages)), min_size=1, max_size=3))
    encoding = draw(st.sampled_from(("utf-8", "UTF-8", "windows-1256", "utf-16", "klingon", None)))
    prolog = (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        if encoding
        else draw(st.sampled_from(("", "<?xml version='1.0'?>")))
    )
    return FeedCase(
        atom=draw(st.booleans()),
        items=tuple(_layout(hostile, draw(st.integers(1, 3)), draw(st.integers(0, 255)))),
        prolog=prolog,
        content_type=draw(
            st.sampled_from(
                (
                    "application/rss+xml; charset=utf-8",
                    "application/xml",
                    "text/html",
                    "application/atom+xml; charset=idna",
                    "text/xml; charset=utf-7",
                )
            )
        ),
        pages=pages,
        breaks=tuple(draw(st.one_of(st.just([]), st.just([]), cuts()))),
    )


# --- sitemaps ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UrlEntry:
    loc: str
    lastmod: str


@dataclass(frozen=True)
class NestedSitemap:
    loc: str


@dataclass(frozen=True)
class SitemapCase:
    entries: tuple[Any, ...]  # an int is good page n, else a UrlEntry or NestedSitemap
    index: bool  # a sitemap index (nested sitemaps only) pointing to a sitemap of the pages
    breaks: tuple[tuple[float, bytes], ...] = ()
    pages: tuple[HtmlPage, ...] = field(default_factory=tuple)

    @property
    def good(self) -> list[int]:
        return [n for n in self.entries if isinstance(n, int)]

    @property
    def intact(self) -> bool:
        return not self.breaks

    def build(self, base: str) -> bytes:
        urls = []
        for e in self.entries:
            if isinstance(e, int):
                urls.append(f"<url><loc>@BASE@/good-{e}.html</loc><lastmod>2023-02-18</lastmod></url>")
            elif isinstance(e, NestedSitemap):
                urls.append(f"<sitemap><loc>{xml_text(e.loc)}</loc></sitemap>")
            else:
                urls.append(
                    f"<url><loc>{xml_text(e.loc)}</loc><lastmod>{xml_text(e.lastmod)}</lastmod></url>"
                )
        doc = (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(urls)
            + "</urlset>"
        )
        data = to_bytes(doc.replace("@BASE@", base))
        return inject(data, list(self.breaks)) if self.breaks else data

    @staticmethod
    def index_of(base: str) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/pages.xml</loc></sitemap></sitemapindex>"
        ).encode()


@st.composite
def sitemap_cases(draw: st.DrawFn) -> SitemapCase:
    pages = tuple(draw(st.lists(html_pages(), max_size=1)))
    loc = st.one_of(
        hostile_url(),
        hostile_text(max_run=1000),
        st.integers(0, max(len(pages) - 1, 0)).map(lambda i: f"@BASE@/bad-{i}.html"),
    )
    hostile = draw(
        st.lists(
            st.one_of(
                st.builds(UrlEntry, loc, hostile_date()),
                st.builds(NestedSitemap, st.one_of(hostile_url(), st.just("@BASE@/pages.xml"))),
            ),
            min_size=1,
            max_size=3,
        )
    )
    return SitemapCase(
        entries=tuple(_layout(hostile, draw(st.integers(1, 2)), draw(st.integers(0, 15)))),
        index=draw(st.booleans()),
        breaks=tuple(draw(st.one_of(st.just([]), st.just([]), cuts()))),
        pages=pages,
    )


# --- the HTTP API and the web pages -------------------------------------------------------------------------------
INT_VALUES = (
    "1",
    "2",
    "0",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1" * 5000,
    "1e30",
    "1e309",
    "NaN",
    "Infinity",
    "0x10",
    "",
    "۲",
    "1\x00",
)
PERIOD_VALUES = (
    "1401",
    "2023",
    "9999",
    "99999",
    "0",
    "0001",
    "-1",
    "1401-13",
    "1401-12-30",
    "1403-12-30",
    "2022-02-29",
    "9999-12",
    "0001-01",
    "1401-11-01..1401-12-29",
    "0001-01-01..9999-12-31",
    "1-01-01..9999-12-29",
    "1300-01-01..1500-12-29",
    "1401-12-29..1401-01-01",
    "1401..1402",
    "۱۴۰۱",
    "١٤٠١",
    "1401-W1",
    "\u202e1401",
    "1401\x00",
    " ",
)
WORD_VALUES = (
    "protest",
    "arson",
    "slogan",
    "IR-23",
    "IR",
    "cc:FR",
    "claimed",
    "needs_review",
    "confirmed",
    "Fuzz Wire",
    "category,province,outlet,month",
    ",".join(["month"] * 200),
    "\x00",
    '"',
    "a OR",
    'NEAR("a" "b")',
    "*",
    "^",
    "col:foo",
    "'; DROP TABLE events; --",
    "%",
    "_",
    "\\",
    "شیراز",
    "../../etc/passwd",
    "/tmp/x.db",
)
FILTERS = ("category", "subtype", "province", "country", "outlet", "claim_status", "review_status", "q")
PARAMS: dict[str, tuple[str, ...]] = {  # the query parameters each route reads
    "/api/tally": (
        "period",
        "calendar",
        "by",
        "category",
        "subtype",
        "province",
        "country",
        "outlet",
        "actor",
    ),
    "/api/events": ("period", "calendar", *FILTERS, "page", "per_page"),
    "/api/events/{id}": (),
    "/api/audit": ("user", "action", "page", "per_page"),
    "/": ("period", "calendar", "category"),
    "/events": ("period", "calendar", *FILTERS, "page", "per_page"),
    "/events/{id}": ("done",),
    "/review": ("period", "calendar", *FILTERS, "page"),
    "/dropped": ("period", "calendar", "reason", "page"),
    "/audit": ("user", "action", "page"),
    "/archive/{id}": (),
    "/login": ("next",),
    "/docs": (),
    "/healthz": (),
    "/api/events/{id}/review": (),
    "/api/audit/{id}/revert": (),
}
POST_PATHS = ("/api/events/{id}/review", "/api/audit/{id}/revert")


def _param_value(name: str) -> st.SearchStrategy[str]:
    if name in ("page", "per_page", "done"):
        return st.sampled_from(INT_VALUES)
    if name == "period":
        return st.sampled_from(PERIOD_VALUES)
    if name == "calendar":
        return st.sampled_from(("jalali", "gregorian", "hijri", "", "\x00"))
    return st.one_of(st.sampled_from(WORD_VALUES), hostile_text(max_run=1000))


@dataclass(frozen=True)
class ApiRequest:
    method: str
    path: str  # a template: {id} is replaced by ``path_value``
    path_value: str
    params: tuple[tuple[str, str], ...]
    who: str  # "adm", "ana" (coder), "vic" (viewer), "anonymous", "bad-token"
    accept_json: bool
    body: Any = None  # JSON body of a POST

    @property
    def inputs(self) -> list[str]:
        """Every value the request carries (an error may echo them)."""
        return [
            self.path_value,
            *(v for kv in self.params for v in kv),
            json.dumps(self.body, allow_nan=True),
        ]


def _ids() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(1, 5), st.sampled_from((0, -1, 2**63 - 1, 2**63, 2**64, 1e30)), hostile_number()
    )


def _review_body() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"action": st.sampled_from(("confirm", "reject", "correct", "merge", "split")) | hostile_scalar()},
        optional={
            "note": hostile_scalar(),
            "category": st.sampled_from(("protest", "violence", "")) | hostile_scalar(),
            "subtype": st.sampled_from(("arson", "slogan")) | hostile_scalar(),
            "place": st.sampled_from(("IR-23", "gn:112931", "cc:FR", "Shiraz")) | hostile_scalar(),
            "date": st.one_of(
                hostile_date(), st.sampled_from(("1401-12-30", "9999-12-31", "0001-01-01", "1401-11-29"))
            ),
            "quantity": _ids(),
            "events": st.lists(_ids(), max_size=3) | hostile_scalar(),
            "mentions": st.lists(_ids(), max_size=3) | hostile_scalar(),
        },
    )


@st.composite
def api_requests(draw: st.DrawFn) -> ApiRequest:
    """A request to one route with hostile values in the parameters it reads (and maybe one it does not)."""
    post = draw(st.integers(0, 4)) == 0
    path = draw(st.sampled_from(POST_PATHS if post else tuple(p for p in PARAMS if p not in POST_PATHS)))
    names = list(PARAMS[path])
    chosen = [n for n in names if draw(st.booleans())]
    if path == "/api/tally" and "period" not in chosen and draw(st.integers(0, 3)):
        chosen.insert(0, "period")  # required there: without it every request is a 422
    params = [(n, draw(_param_value(n))) for n in chosen]
    if draw(st.integers(0, 3)) == 0:
        params.append((draw(hostile_text(max_run=1000)), draw(_param_value("q"))))
    value = st.one_of(st.sampled_from(INT_VALUES), hostile_text(max_run=1000))
    return ApiRequest(
        method="POST" if post else "GET",
        path=path,
        path_value=draw(value) if "{id}" in path else "",
        params=tuple(params),
        who=draw(st.sampled_from(("adm", "adm", "ana", "vic", "anonymous", "bad-token"))),
        accept_json=draw(st.booleans()),
        body=draw(_review_body()) if post else None,
    )
