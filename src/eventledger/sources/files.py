"""Local file sources: JSONL, CSV/TSV (optionally gzipped) and folders of .txt/.md/.html files.

Readers yield :class:`~eventledger.records.RawReport` for good records and
:class:`~eventledger.records.RecordError` (naming file and line) for bad ones, and go on reading.
Everything read is hostile input: lines and fields are size-capped, encodings are checked, HTML is
reduced to text without executing or keeping any markup. Every field of a record is validated here
(numbers and times in range, strings valid Unicode), so that one record can only ever be its own error;
a damaged or over-inflated ``.gz`` is an error at the line it reached, after the records before it.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import math
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from eventledger.errors import ConfigError, DamagedInput, FieldError, InputError
from eventledger.normalize.document import (
    PUBLISHED_MAX,
    PUBLISHED_MIN,
    check_lang,
    check_published,
    has_surrogates,
    printable,
    repair_unicode,
    valid_unicode,
)
from eventledger.normalize.html import html_to_fields
from eventledger.normalize.text import normalize_text
from eventledger.records import RawReport, RecordError

MAX_RECORD_BYTES = 2 * 1024 * 1024  # one report (a JSONL line, a CSV row, a file)
# A gzipped input may expand to the larger of these (a decompression bomb stops there, as an error).
MAX_EXPANDED_BYTES = 1 << 30
MAX_EXPANSION_RATIO = 100
MAX_INT_DIGITS = 40  # longer JSON integers are no id, time or count of a report
FOLDER_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
RECORD_FIELDS = ("id", "url", "outlet", "published", "lang", "title", "text")

Item = RawReport | RecordError


@dataclass(frozen=True)
class ReadOptions:
    """Defaults applied to records that lack a field."""

    outlet: str | None = None
    lang: str | None = None
    timezone: str = "UTC"  # how to read a publication time without offset
    max_record_bytes: int = MAX_RECORD_BYTES
    max_expanded_bytes: int = MAX_EXPANDED_BYTES  # a .gz input: at most this, or ratio × its size
    max_expansion_ratio: int = MAX_EXPANSION_RATIO

    def tz(self) -> dt.tzinfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {self.timezone!r}") from exc


# --- field parsing -----------------------------------------------------------------------------------
_LANG_ALIASES = {
    "fa": "fa",
    "fas": "fa",
    "per": "fa",
    "persian": "fa",
    "farsi": "fa",
    "fa-ir": "fa",
    "en": "en",
    "eng": "en",
    "english": "en",
}


class UnreadableNumber:
    """A JSON number no field can hold: NaN, ±Infinity, a float that overflows, an integer of more than
    :data:`MAX_INT_DIGITS` digits.  The decoder yields it in place of the number, so that the record
    holding it is the one in error (and only when a field it fills is read)."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal

    def __repr__(self) -> str:
        text = (
            self.literal
            if len(self.literal) <= 24
            else f"{self.literal[:12]}… ({len(self.literal)} characters)"
        )
        return f"the number {text}"


def _json_int(literal: str) -> int | UnreadableNumber:
    return int(literal) if len(literal) <= MAX_INT_DIGITS else UnreadableNumber(literal)


def _json_float(literal: str) -> float | UnreadableNumber:
    value = float(literal)
    return value if math.isfinite(value) else UnreadableNumber(literal)


def load_json(text: str) -> Any:
    """JSON → Python, with out-of-range numbers as :class:`UnreadableNumber` (never an exception).

    ValueError for text that is not JSON, RecursionError for one nested deeper than Python's stack.
    """
    return json.loads(text, parse_int=_json_int, parse_float=_json_float, parse_constant=UnreadableNumber)


_MIN_TIMESTAMP = PUBLISHED_MIN.timestamp()
_MAX_TIMESTAMP = PUBLISHED_MAX.timestamp()


def parse_published(value: Any, tz: dt.tzinfo) -> dt.datetime:
    """ISO 8601 (Persian digits allowed) or a Unix time → UTC datetime within PUBLISHED_MIN … PUBLISHED_MAX;
    a time without offset is read in ``tz``.  ValueError (saying why) for anything else."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (math.isfinite(value) and _MIN_TIMESTAMP <= value < _MAX_TIMESTAMP):
            raise FieldError(f"'published' is out of range as a Unix time: {value!r}")
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if isinstance(value, UnreadableNumber):
        raise FieldError(f"'published' is out of range: {value!r}")
    if not isinstance(value, str) or not value.strip():
        raise FieldError("'published' is required (ISO 8601, e.g. 2023-02-18T09:15:00+03:30)")
    if len(value) > 64:
        raise FieldError(f"'published' is not an ISO 8601 time: {value[:40]!r}…")
    text = normalize_text(valid_unicode("published", value).strip())
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise FieldError(f"'published' is not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return check_published(parsed)


def _opt_str(obj: Mapping[str, Any], key: str, limit: int = 2000, *, repair: bool = False) -> str | None:
    v = obj.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, UnreadableNumber):
        raise FieldError(f"'{key}' is {v!r}, out of range")
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise FieldError(f"'{key}' must be a string, got {type(v).__name__}")
    if isinstance(v, float) and not math.isfinite(v):  # YAML's .nan and .inf
        raise FieldError(f"'{key}' is {v!r}, not a value")
    s = str(v).strip()
    if len(s) > limit:
        raise FieldError(f"'{key}' is longer than {limit} characters")
    return (repair_unicode(s) if repair else valid_unicode(key, s)) or None


def record_from_mapping(obj: Mapping[str, Any], origin: str, opts: ReadOptions) -> Item:
    """Validate one record (a JSON object or a CSV row) into a RawReport, or say what is wrong.

    Every field is checked here, so that nothing a record holds can stop the rest of the input: numbers
    in range, times within PUBLISHED_MIN … PUBLISHED_MAX, strings valid Unicode (a lone surrogate is an
    error in ``id``, ``url``, ``outlet`` and ``lang`` and becomes U+FFFD in ``title`` and ``text``).
    """
    try:
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            raise FieldError("'text' is required and must be a non-empty string")
        if len(text.encode("utf-8", "surrogatepass")) > opts.max_record_bytes:
            raise FieldError(f"'text' is larger than {opts.max_record_bytes} bytes")
        lang = _opt_str(obj, "lang", 16) or opts.lang
        if lang is not None:
            lang = check_lang(_LANG_ALIASES.get(lang.lower(), lang.lower()))
        return RawReport(
            text=repair_unicode(text),
            origin=origin,
            external_id=_opt_str(obj, "id", 500),
            url=_opt_str(obj, "url", 4000),
            outlet=_opt_str(obj, "outlet", 200) or opts.outlet,
            published=parse_published(obj.get("published"), opts.tz()),
            lang=lang,
            title=_opt_str(obj, "title", 4000, repair=True),
        )
    except (ValueError, OverflowError) as exc:
        return RecordError(origin, str(exc), "invalid")


# --- opening files, gzipped or not -------------------------------------------------------------------
class _Gunzip(io.RawIOBase):
    """A ``.gz`` file's content, at most ``limit`` bytes; damage becomes :class:`DamagedInput`."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__()
        self.path = path
        self.limit = limit
        self.read_so_far = 0
        self._gz = gzip.open(path, "rb")  # noqa: SIM115 - closed by close()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._gz.read1(len(buffer))  # one step: what it decompressed is kept if the next fails
        except EOFError:
            raise DamagedInput(
                self.path, "the compressed file ends early (truncated?); the rest is lost"
            ) from None
        except (OSError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            raise DamagedInput(
                self.path, f"the compressed data is corrupt ({exc}); the rest is lost"
            ) from None
        if self.read_so_far + len(data) > self.limit:
            if self.read_so_far >= self.limit:
                raise DamagedInput(
                    self.path,
                    f"decompresses to more than {self.limit} bytes (a decompression bomb?); "
                    "the rest is not read",
                )
            data = data[: self.limit - self.read_so_far]  # the error comes with the next read
        n = len(data)
        buffer[:n] = data
        self.read_so_far += n
        return n

    def close(self) -> None:
        self._gz.close()
        super().close()


def open_binary(path: Path, opts: ReadOptions | None = None) -> io.BufferedReader:
    if path.suffix == ".gz":
        opts = opts or ReadOptions()
        limit = max(opts.max_expanded_bytes, opts.max_expansion_ratio * path.stat().st_size)
        return io.BufferedReader(_Gunzip(path, limit), 1 << 16)
    return path.open("rb")


# --- JSONL ----------------------------------------------------------------------------------------------
_BLOCK = 1 << 20
_NOT_SPACE = re.compile(rb"\S")


def _next_content(buf: bytes, pos: int) -> int:
    """Index of the first byte at or after ``pos`` that is not whitespace, -1 if none."""
    m = _NOT_SPACE.search(buf, pos, pos + 256)  # the next line, as a rule
    if m is not None:
        return m.start()
    rest = buf[pos + 256 :].lstrip()  # a run of blank lines: C speed, not a regex step per byte
    return len(buf) - len(rest) if rest else -1


def _lines(fh: io.BufferedReader, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of every line that is not blank, without its leading whitespace; bytes is
    None for a line over ``limit``, which is skipped unread.

    Blank lines are counted, not yielded, a block at a time: a file of millions of empty lines reads
    at the speed of the disk.
    """
    buf = b""
    pos = 0
    lineno = 0  # lines that end before buf[pos]
    while True:
        start = _next_content(buf, pos)
        if start < 0:
            lineno += buf.count(b"\n", pos)
            buf, pos = fh.read1(_BLOCK), 0  # read1: what came before a damaged part is kept
            if not buf:
                return
            continue
        lineno += buf.count(b"\n", pos, start) + 1
        end = buf.find(b"\n", start)
        while end < 0 and len(buf) - start <= limit:
            more = fh.read1(_BLOCK)
            if not more:
                break
            buf, start = buf[start:] + more, 0
            end = buf.find(b"\n", len(buf) - len(more))
        if end < 0 and len(buf) - start <= limit:  # the last line, without a line break
            yield lineno, buf[start:]
            return
        if end < 0 or end - start > limit:
            yield lineno, None
            while end < 0:  # skip the rest of the line unread
                buf = fh.read1(_BLOCK)
                if not buf:
                    return
                end = buf.find(b"\n")
        else:
            yield lineno, buf[start : end + 1]
        pos = end + 1


def read_jsonl(path: Path, opts: ReadOptions) -> Iterator[Item]:
    limit = opts.max_record_bytes * 2 + 4096  # JSON escaping can double the size
    lineno = 0
    with open_binary(path, opts) as fh:
        try:
            for lineno, raw in _lines(fh, limit):
                yield _jsonl_item(raw, lineno, f"{path}:{lineno}", limit, opts)
        except DamagedInput as exc:
            yield RecordError(f"{path}:{lineno + 1}", exc.reason, "damaged")


def _jsonl_item(raw: bytes | None, lineno: int, origin: str, limit: int, opts: ReadOptions) -> Item:
    if raw is None:
        return RecordError(origin, f"line longer than {limit} bytes, skipped", "too_large")
    try:
        line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return RecordError(origin, f"not UTF-8: {exc.reason} at byte {exc.start}", "encoding")
    try:
        obj = load_json(line)
    except json.JSONDecodeError as exc:
        return RecordError(origin, f"invalid JSON: {exc.msg} (column {exc.colno})", "json")
    except RecursionError:
        return RecordError(origin, "invalid JSON: nested too deeply", "json")
    if not isinstance(obj, dict):
        return RecordError(origin, f"expected a JSON object, got {type(obj).__name__}", "json")
    return record_from_mapping(obj, origin, opts)


# --- CSV / TSV ----------------------------------------------------------------------------------------------
def read_csv(path: Path, opts: ReadOptions) -> Iterator[Item]:
    base = path.name.removesuffix(".gz")
    delimiter = "\t" if base.endswith(".tsv") else ","
    csv.field_size_limit(opts.max_record_bytes + 1)
    with open_binary(path, opts) as raw_fh:
        # invalid UTF-8 is kept as lone surrogates, so that it is the error of its row only
        fh = io.TextIOWrapper(raw_fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{path}:1: cannot read the CSV header: {exc}") from exc
        if any(has_surrogates(h) for h in header):
            raise InputError(f"{path}:1: the CSV header is not UTF-8")
        columns = [h.strip().lower() for h in header]
        if "text" not in columns:
            raise InputError(f"{path}:1: the header has no 'text' column (found: {', '.join(columns)})")
        # a column named twice ("text" and "Text"): the first is read, the others are ignored (said once)
        first = {c: i for i, c in reversed(list(enumerate(columns)))}
        twice = sorted({c for i, c in enumerate(columns) if first[c] != i and c})
        if twice:
            yield RecordError(
                f"{path}:1",
                f"{'columns' if len(twice) > 1 else 'column'} {', '.join(repr(c) for c in twice)} "
                "named more than once: the first is read",
                "csv",
            )
        while True:
            start_line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RecordError(f"{path}:{start_line}", f"malformed CSV: {exc}", "csv")
                continue
            except DamagedInput as exc:
                yield RecordError(f"{path}:{start_line}", exc.reason, "damaged")
                return
            if not any(cell.strip() for cell in row):
                continue
            origin = f"{path}:{start_line}"
            if any(has_surrogates(cell) for cell in row):
                yield RecordError(origin, "not UTF-8", "encoding")
                continue
            if len(row) != len(columns):
                yield RecordError(origin, f"expected {len(columns)} fields, found {len(row)}", "csv")
                continue
            yield record_from_mapping({c: row[i] for c, i in first.items()}, origin, opts)


# --- folders of text, Markdown and HTML files ----------------------------------------------------------------
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def read_text_file(path: Path, root: Path, opts: ReadOptions) -> Item:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > opts.max_record_bytes:
            return RecordError(
                origin, f"file larger than {opts.max_record_bytes} bytes, skipped", "too_large"
            )
        data = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return RecordError(origin, f"not UTF-8: {exc.reason} at byte {exc.start}", "encoding")
    except OSError as exc:
        return RecordError(origin, f"cannot read: {exc.strerror}", "io")
    fields: dict[str, Any] = {}
    if path.suffix.lower() in (".html", ".htm"):
        fields = html_to_fields(data)
    else:
        body = data
        if m := _FRONT_MATTER.match(data):
            try:
                front = yaml.safe_load(m.group(1)) or {}
            except (yaml.YAMLError, ValueError, OverflowError) as exc:  # a 5000-digit int, 2023-02-30
                return RecordError(f"{origin}:1", f"invalid front matter: {exc}", "front_matter")
            except RecursionError:
                return RecordError(f"{origin}:1", "invalid front matter: nested too deeply", "front_matter")
            if not isinstance(front, dict):
                return RecordError(f"{origin}:1", "front matter must be a mapping", "front_matter")
            fields.update(
                {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in front.items()}
            )
            body = data[m.end() :]
        heading = re.match(r"\s*#\s+(.+)\n", body) if path.suffix.lower() in (".md", ".markdown") else None
        if heading and not fields.get("title"):
            fields["title"] = heading.group(1).strip()
            body = body[heading.end() :]
        fields["text"] = body
    if not fields.get("id"):
        fields["id"] = printable(str(path.relative_to(root)))
    if fields.get("published"):
        return record_from_mapping(fields, origin, opts)
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    fields["published"] = mtime.isoformat()
    item = record_from_mapping(fields, origin, opts)
    return replace(item, dated_by_mtime=True) if isinstance(item, RawReport) else item


def read_folder(path: Path, opts: ReadOptions) -> Iterator[Item]:
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES)
    for f in files:
        yield read_text_file(f, path, opts)
