"""Input kinds: one table from which every reader, the CLI's ``--kind`` and the sources file take them.

A file kind maps to the function that reads a path of that kind (:func:`read_path` dispatches and
:func:`detect_kind` guesses the kind from the path); a URL kind is fetched and read by
:class:`~eventledger.sources.collect.Collector`. Adding an input kind is one entry here and its
reader module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from eventledger.errors import InputError
from eventledger.normalize.document import printable
from eventledger.records import RawReport, RecordError
from eventledger.sources.files import (
    FOLDER_SUFFIXES,
    ReadOptions,
    read_csv,
    read_folder,
    read_jsonl,
    read_text_file,
)
from eventledger.sources.telegram import looks_like_telegram_export, read_telegram_export

Item = RawReport | RecordError
Reader = Callable[[Path, ReadOptions], Iterator[Item]]


def _read_file(path: Path, opts: ReadOptions) -> Iterator[Item]:
    yield read_text_file(path, path.parent, opts)


FILE_READERS: dict[str, Reader] = {
    "jsonl": read_jsonl,  # JSON lines (also .ndjson, .json), gzipped too
    "csv": read_csv,  # CSV or TSV with a header, gzipped too
    "folder": read_folder,  # a folder of .txt/.md/.html files, one report each
    "file": _read_file,  # one .txt/.md/.html file
    "telegram-export": read_telegram_export,  # Telegram Desktop's result.json
}
# fetched and read by sources.collect (feeds, article pages, sitemaps, t.me/s/NAME previews)
URL_KINDS: tuple[str, ...] = ("rss", "atom", "html", "sitemap", "telegram-web")
FILE_KINDS: tuple[str, ...] = tuple(FILE_READERS)
INPUT_KINDS: tuple[str, ...] = FILE_KINDS + URL_KINDS

_SUFFIX_KINDS = (
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".json", "jsonl"),
    (".csv", "csv"),
    (".tsv", "csv"),
)


def detect_kind(path: Path) -> str:
    """The file kind of a path, from what it is (a folder), its head (a Telegram export) or its suffix."""
    if path.is_dir():
        return "folder"
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".json") and looks_like_telegram_export(path):
        return "telegram-export"
    for suffix, kind in _SUFFIX_KINDS:
        if name.endswith(suffix):
            return kind
    if name.endswith(FOLDER_SUFFIXES):
        return "file"
    raise InputError(
        f"{path}: unknown input type (expected .jsonl, .csv, .tsv, .txt, .md, .html or a folder)"
    )


def read_path(
    path: str | os.PathLike[str], opts: ReadOptions | None = None, kind: str | None = None
) -> Iterator[Item]:
    """Every record of one input path (origins printable even when the file name is not valid UTF-8)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or folder")
    kind = kind or detect_kind(p)
    reader = FILE_READERS.get(kind)
    if reader is None:
        raise InputError(f"{p}: unknown input kind {kind!r}")
    for item in reader(p, opts or ReadOptions()):
        origin = printable(item.origin)
        yield item if origin == item.origin else replace(item, origin=origin)
