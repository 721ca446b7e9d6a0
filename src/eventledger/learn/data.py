"""Labelled and unlabelled text tables for training and evaluation: CSV, TSV or JSONL, gzipped too.

(Also the loader of the YAML files shipped in ``eventledger/data/models``: :func:`shipped_yaml`.)

TSV files are read with quoting disabled (the CASE 2021 files are, byte for byte, tab-separated
text with stray quotes in it); CSV with the usual quoting. Rows without text are skipped; a row
without a label, where a label column is asked for, is an error naming the file and line.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import random
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eventledger.errors import ConfigError, InputError
from eventledger.shipped import shipped_or_path

MAX_FIELD = 4 * 1024 * 1024


@dataclass(frozen=True)
class Table:
    texts: list[str]
    labels: list[str] | None
    rows: list[int]  # line numbers, for error messages and outputs in input order
    digest: str  # sha256 of the file bytes: training data identity


def shipped_yaml(name_or_path: str | Path, what: str) -> tuple[Path, Any]:
    """(path, parsed YAML) of a file path, or of a file shipped in ``data/models`` by name (no suffix).

    A missing file is a :class:`ConfigError` "<what> not found: <name_or_path>"; checking the
    parsed data's shape is the caller's.
    """
    path = shipped_or_path(name_or_path, "models")
    if not path.is_file():
        raise ConfigError(f"{what} not found: {name_or_path}")
    return path, yaml.safe_load(path.read_text(encoding="utf-8"))


def _open_text(path: Path, raw: bytes) -> io.TextIOBase:
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return io.StringIO(raw.decode("utf-8-sig"), newline="")


def _kind(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith(".tsv"):
        return "tsv"
    if name.endswith(".csv"):
        return "csv"
    raise InputError(f"{path}: expected .csv, .tsv or .jsonl (optionally .gz)")


def _records(path: Path, kind: str, raw: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    fh = _open_text(path, raw)
    if kind == "jsonl":
        for i, line in enumerate(fh, 1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{i}: invalid JSON: {exc.msg}") from exc
                if not isinstance(obj, dict):
                    raise InputError(f"{path}:{i}: expected a JSON object")
                yield i, {str(k): "" if v is None else str(v) for k, v in obj.items()}
        return
    csv.field_size_limit(MAX_FIELD)
    if kind == "tsv":
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.DictReader(fh)
    for row in reader:
        yield reader.line_num, {k: v or "" for k, v in row.items() if k is not None}


def read_table(
    path: str | Path,
    text_col: str,
    label_col: str | None = None,
    *,
    where: Mapping[str, set[str]] | None = None,
) -> Table:
    """Texts (and labels) of a table; errors name the file, the line and the missing column.

    ``where`` keeps only rows whose column has one of the given values (e.g. a split column).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    kind = _kind(p)
    raw = p.read_bytes()  # read once: parsed, and hashed as the training data's identity
    texts: list[str] = []
    labels: list[str] = []
    rows: list[int] = []
    for line, rec in _records(p, kind, raw):
        if where and any(rec.get(k, "").strip() not in vs for k, vs in where.items()):
            continue
        if text_col not in rec:
            raise InputError(f"{p}:{line}: no column {text_col!r} (found: {', '.join(rec)})")
        text = rec[text_col].strip()
        if not text:
            continue
        if label_col is not None:
            if label_col not in rec:
                raise InputError(f"{p}:{line}: no column {label_col!r} (found: {', '.join(rec)})")
            label = rec[label_col].strip()
            if not label:
                raise InputError(f"{p}:{line}: empty label in column {label_col!r}")
            labels.append(label)
        texts.append(text)
        rows.append(line)
    if not texts:
        raise InputError(f"{p}: no rows with text in column {text_col!r}")
    return Table(texts, labels if label_col is not None else None, rows, hashlib.sha256(raw).hexdigest())


def stratified_split(labels: Sequence[str], share: float, seed: int) -> tuple[list[int], list[int]]:
    """(train, held-out) row indexes; each label keeps ``share`` of its rows aside (at least one when it has 3+)."""
    by: dict[str, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        by[lab].append(i)
    rng = random.Random(seed)
    train: list[int] = []
    held: list[int] = []
    for lab in sorted(by):
        idx = by[lab][:]
        rng.shuffle(idx)
        k = round(len(idx) * share) if len(idx) >= 3 else 0
        held += idx[:k]
        train += idx[k:]
    return sorted(train), sorted(held)
