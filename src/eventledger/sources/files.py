"""Local file sources: JSONL, CSV/TSV (optionally gzipped) and folders of .txt/.md/.html files.

Readers yield :class:`~eventledger.model.RawReport` for good records and
:class:`~eventledger.model.RecordError` (naming file and line) for bad ones, and go on reading.
Everything read is hostile input: lines and fields are size-capped, encodings are checked, HTML is
reduced to text without executing or keeping any markup.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from eventledger.errors import ConfigError, InputError
from eventledger.model import RawReport, RecordError
from eventledger.normalize.text import normalize_text
from eventledger.sources.markup import html_to_fields

MAX_RECORD_BYTES = 2 * 1024 * 1024  # one report (a JSONL line, a CSV row, a file)
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


def parse_published(value: Any, tz: dt.tzinfo) -> dt.datetime:
    """ISO 8601 (Persian digits allowed) → aware UTC datetime; a value without offset is read in ``tz``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("'published' is required (ISO 8601, e.g. 2023-02-18T09:15:00+03:30)")
    text = normalize_text(value.strip())
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'published' is not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(dt.UTC)


def _opt_str(obj: Mapping[str, Any], key: str, limit: int = 2000) -> str | None:
    v = obj.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise ValueError(f"'{key}' must be a string, got {type(v).__name__}")
    s = str(v).strip()
    if len(s) > limit:
        raise ValueError(f"'{key}' is longer than {limit} characters")
    return s or None


def record_from_mapping(obj: Mapping[str, Any], origin: str, opts: ReadOptions) -> Item:
    """Validate one record (a JSON object or a CSV row) into a RawReport, or say what is wrong."""
    try:
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ValueError("'text' is required and must be a non-empty string")
        if len(text.encode("utf-8", "surrogatepass")) > opts.max_record_bytes:
            raise ValueError(f"'text' is larger than {opts.max_record_bytes} bytes")
        lang = _opt_str(obj, "lang", 16) or opts.lang
        if lang is not None:
            lang = _LANG_ALIASES.get(lang.lower(), lang.lower())
        return RawReport(
            text=text,
            origin=origin,
            external_id=_opt_str(obj, "id", 500),
            url=_opt_str(obj, "url", 4000),
            outlet=_opt_str(obj, "outlet", 200) or opts.outlet,
            published=parse_published(obj.get("published"), opts.tz()),
            lang=lang,
            title=_opt_str(obj, "title", 4000),
        )
    except ValueError as exc:
        return RecordError(origin, str(exc), "invalid")


# --- JSONL ----------------------------------------------------------------------------------------------
def _open_binary(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _lines(fh: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) — bytes is None for a line over ``limit``, which is skipped unread."""
    lineno = 0
    while True:
        chunk = fh.readline(limit + 1)
        if not chunk:
            return
        lineno += 1
        if len(chunk) > limit and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):
                chunk = fh.readline(1 << 20)
            yield lineno, None
            continue
        yield lineno, chunk


def read_jsonl(path: Path, opts: ReadOptions) -> Iterator[Item]:
    limit = opts.max_record_bytes * 2 + 4096  # JSON escaping can double the size
    with _open_binary(path) as fh:
        for lineno, raw in _lines(fh, limit):
            origin = f"{path}:{lineno}"
            if raw is None:
                yield RecordError(origin, f"line longer than {limit} bytes, skipped", "too_large")
                continue
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield RecordError(origin, f"not UTF-8: {exc.reason} at byte {exc.start}", "encoding")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RecordError(origin, f"invalid JSON: {exc.msg} (column {exc.colno})", "json")
                continue
            if not isinstance(obj, dict):
                yield RecordError(origin, f"expected a JSON object, got {type(obj).__name__}", "json")
                continue
            yield record_from_mapping(obj, origin, opts)


# --- CSV / TSV ----------------------------------------------------------------------------------------------
def read_csv(path: Path, opts: ReadOptions) -> Iterator[Item]:
    base = path.name.removesuffix(".gz")
    delimiter = "\t" if base.endswith(".tsv") else ","
    csv.field_size_limit(opts.max_record_bytes + 1)
    with _open_binary(path) as raw_fh:
        fh = io.TextIOWrapper(raw_fh, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{path}:1: cannot read the CSV header: {exc}") from exc
        columns = [h.strip().lower() for h in header]
        if "text" not in columns:
            raise InputError(f"{path}:1: the header has no 'text' column (found: {', '.join(columns)})")
        while True:
            start_line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RecordError(f"{path}:{start_line}", f"malformed CSV: {exc}", "csv")
                continue
            except UnicodeDecodeError as exc:
                yield RecordError(
                    f"{path}:{start_line}",
                    f"not UTF-8: {exc.reason}; the rest of the file is skipped",
                    "encoding",
                )
                return
            if not any(cell.strip() for cell in row):
                continue
            origin = f"{path}:{start_line}"
            if len(row) != len(columns):
                yield RecordError(origin, f"expected {len(columns)} fields, found {len(row)}", "csv")
                continue
            yield record_from_mapping(dict(zip(columns, row, strict=True)), origin, opts)


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
            except yaml.YAMLError as exc:
                return RecordError(f"{origin}:1", f"invalid front matter: {exc}", "front_matter")
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
    fields.setdefault("id", str(path.relative_to(root)))
    if not fields.get("id"):
        fields["id"] = str(path.relative_to(root))
    if not fields.get("published"):
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        fields["published"] = mtime.isoformat()
    return record_from_mapping(fields, origin, opts)


def read_folder(path: Path, opts: ReadOptions) -> Iterator[Item]:
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES)
    for f in files:
        yield read_text_file(f, path, opts)


# --- dispatch -------------------------------------------------------------------------------------------------------
def detect_kind(path: Path) -> str:
    if path.is_dir():
        return "folder"
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".json") and _looks_like_telegram_export(path):
        return "telegram-export"
    for suffix, kind in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "jsonl"),
        (".csv", "csv"),
        (".tsv", "csv"),
    ):
        if name.endswith(suffix):
            return kind
    if name.endswith(FOLDER_SUFFIXES):
        return "file"
    raise InputError(
        f"{path}: unknown input type (expected .jsonl, .csv, .tsv, .txt, .md, .html or a folder)"
    )


def _looks_like_telegram_export(path: Path) -> bool:
    """A Telegram Desktop export is one JSON document with a "messages" (or "chats") list."""
    with _open_binary(path) as fh:
        head = fh.read(8192)
    stripped = head.lstrip()
    if not stripped.startswith(b"{"):
        return False
    first_line = stripped.split(b"\n", 1)[0]
    try:
        json.loads(first_line)
        return False  # a complete object on the first line: JSON Lines
    except ValueError:
        return b'"messages"' in head or b'"chats"' in head


def read_path(
    path: str | os.PathLike[str], opts: ReadOptions | None = None, kind: str | None = None
) -> Iterator[Item]:
    """Every record of one input path."""
    p = Path(path)
    opts = opts or ReadOptions()
    if not p.exists():
        raise InputError(f"{p}: no such file or folder")
    kind = kind or detect_kind(p)
    if kind == "jsonl":
        yield from read_jsonl(p, opts)
    elif kind == "csv":
        yield from read_csv(p, opts)
    elif kind == "folder":
        yield from read_folder(p, opts)
    elif kind == "file":
        yield read_text_file(p, p.parent, opts)
    elif kind == "telegram-export":
        from eventledger.sources.telegram import read_telegram_export

        yield from read_telegram_export(p, opts)
    else:
        raise InputError(f"{p}: unknown input kind {kind!r}")
