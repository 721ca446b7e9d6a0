"""The shipped half of the act-or-not gate: a hashed word n-gram scorer in pure Python.

The rules decide where they are exact; a trained score decides what they let through (see
:class:`~eventledger.extract.coder.Relevance`). A codebook names the gate it ships with (``gate:`` in
its YAML, a folder in ``eventledger/data/models``); ``ingest`` and ``recode`` use it unless told
otherwise (``--no-gate``, or another model with ``--gate-model``).

Features: the word 1- and 2-grams of a sentence in the coder's matching form (folded letters and
digits, lower case), each hashed by CRC-32 into one of 2**18 buckets; a bucket's value is
``(1 + ln count) × idf``, the vector is L2-normalised and read by one logistic head per language.
Only the buckets seen in at least two training sentences are kept. The model therefore carries no
text of its training data: bucket numbers, inverse document frequencies and weights.

A gate may also hold a *document head* per language, keyed ``topic-<lang>``: the same features of a
report's title and opening (:data:`TOPIC_CHARS` characters) scored for being on the codebook's topic at
all — conflict, protest, politics — rather than sport, business, technology or entertainment
(:meth:`HashedGate.topic_score`; trained by ``bench/train_gate.py --topic``). A codebook names the
languages it is read in (``gate.off_topic``); the coder then keeps, in a report scored under the
threshold, only the candidates whose sentence names one of the codebook's actors.

A model folder holds ``gate.json`` (format, version, threshold, per language: intercept, shift and
file) and one ``<lang>.bin`` per language (zlib-compressed: sorted uint32 buckets, float32 idf,
float32 weights, little-endian). Scoring needs only the standard library: about 20,000 sentences a
second on one core; training (``bench/train_gate.py --hashed``) needs scikit-learn.
"""

from __future__ import annotations

import functools
import json
import math
import re
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from eventledger.errors import InputError
from eventledger.normalize.text import normalize_text

FORMAT = "hashed-gate/1"
BUCKETS = 1 << 18
_MASK = BUCKETS - 1
_TOKEN = re.compile(r"\b\w\w+\b")
# a gate may also hold document heads, keyed ``topic-<lang>`` beside its sentence heads: they score a
# report's title and opening (this many characters) for being on the codebook's topic at all
TOPIC_PREFIX = "topic-"
TOPIC_CHARS = 1500


def bucket_counts(sentence: str, *, normalized: bool = False) -> Counter[int]:
    """How often each hashed word 1- or 2-gram bucket occurs in ``sentence`` (``normalized``: already
    in the coder's matching form, :func:`~eventledger.normalize.text.normalize_text`)."""
    toks = _TOKEN.findall((sentence if normalized else normalize_text(sentence)).lower())
    grams: Iterable[str] = (*toks, *(f"{a} {b}" for a, b in pairwise(toks)))
    return Counter(zlib.crc32(g.encode("utf-8")) & _MASK for g in grams)


def idf_of(df: int, n: int) -> float:
    """Smoothed inverse document frequency of a bucket found in ``df`` of ``n`` training sentences."""
    return math.log((1 + n) / (1 + df)) + 1.0


def weighted(counts: Counter[int], idf: dict[int, float]) -> dict[int, float]:
    """The L2-normalised (1 + ln count) × idf vector of the buckets the model knows."""
    v = {b: (1.0 + math.log(c)) * idf[b] for b, c in counts.items() if b in idf}
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {b: x / norm for b, x in v.items()} if norm else {}


@dataclass
class LanguageHead:
    idf: dict[int, float]
    coef: dict[int, float]
    intercept: float
    shift: float = 0.0  # a logit shift that puts the cut chosen on development data at the threshold

    def score(self, sentence: str, *, normalized: bool = False) -> float:
        v = weighted(bucket_counts(sentence, normalized=normalized), self.idf)
        z = sum(x * self.coef.get(b, 0.0) for b, x in v.items()) + self.intercept + self.shift
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_bytes(self) -> bytes:
        buckets = sorted(self.idf)
        parts = (array("I", buckets), array("f", (self.idf[b] for b in buckets)),
                 array("f", (self.coef.get(b, 0.0) for b in buckets)))  # fmt: skip
        if sys.byteorder != "little":  # pragma: no cover - the files are little-endian everywhere
            for p in parts:
                p.byteswap()
        return zlib.compress(b"".join(p.tobytes() for p in parts), 9)

    @classmethod
    def from_bytes(cls, data: bytes, intercept: float, shift: float) -> LanguageHead:
        raw = zlib.decompress(data)
        n = len(raw) // 12
        buckets, idf, coef = array("I"), array("f"), array("f")
        buckets.frombytes(raw[: 4 * n])
        idf.frombytes(raw[4 * n : 8 * n])
        coef.frombytes(raw[8 * n : 12 * n])
        if sys.byteorder != "little":  # pragma: no cover
            for p in (buckets, idf, coef):
                p.byteswap()
        return cls(
            idf=dict(zip(buckets, idf, strict=True)),
            coef={b: c for b, c in zip(buckets, coef, strict=True) if c},
            intercept=intercept,
            shift=shift,
        )


@dataclass
class HashedGate:
    """Sentence → probability that it reports an act that happened (the coder's ``Relevance``)."""

    version: str
    threshold: float
    heads: dict[str, LanguageHead]
    info: dict[str, object]

    def reads(self, lang: str) -> bool:
        """Whether the gate has a head for ``lang`` (the coder asks it nothing about other languages)."""
        return lang in self.heads

    def scores(self, sentences: Sequence[str], lang: str, *, normalized: bool = True) -> list[float]:
        """Scores of ``sentences``, by default as the coder hands them over: in its matching form
        (``normalized=False`` for raw text)."""
        head = self.heads.get(lang)
        if head is None:  # a language the gate was not trained on: it lets everything through
            return [1.0] * len(sentences)
        return [round(head.score(s, normalized=normalized), 4) for s in sentences]

    def topic_score(self, text: str, lang: str) -> float | None:
        """How likely a whole report (its title and first :data:`TOPIC_CHARS` characters, raw text) is
        on the codebook's topic — conflict, protest and politics rather than sport, business, technology
        or entertainment — by the gate's document head ``topic-<lang>``; None when it has none."""
        head = self.heads.get(f"{TOPIC_PREFIX}{lang}")
        return None if head is None else round(head.score(text[:TOPIC_CHARS]), 4)

    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        langs = {}
        for lang, h in sorted(self.heads.items()):
            (d / f"{lang}.bin").write_bytes(h.to_bytes())
            langs[lang] = {"intercept": h.intercept, "shift": h.shift, "file": f"{lang}.bin",
                           "buckets": len(h.idf)}  # fmt: skip
        meta = {"format": FORMAT, "version": self.version, "threshold": self.threshold, "languages": langs,
                **self.info}  # fmt: skip
        (d / "gate.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return d


def load_gate(directory: str | Path) -> HashedGate:
    """A gate folder written by :meth:`HashedGate.save` (``gate.json`` and one ``.bin`` a language)."""
    d = Path(directory)
    try:
        meta = json.loads((d / "gate.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{d}: not a gate folder (no gate.json)") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{d / 'gate.json'}: not valid JSON ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else None
        raise InputError(f"{d}: gate format {found!r} is not {FORMAT!r}")
    heads = {}
    try:
        for lang, h in meta["languages"].items():
            name = str(h["file"])
            if Path(name).name != name or name.startswith("."):
                raise InputError(
                    f"{d / 'gate.json'}: a weights file is a plain name in the folder, not {name!r}"
                )
            try:
                data = (d / name).read_bytes()
                heads[lang] = LanguageHead.from_bytes(data, float(h["intercept"]), float(h.get("shift", 0.0)))
            except (OSError, zlib.error, ValueError) as exc:
                raise InputError(f"{d / name}: unreadable gate weights ({exc})") from exc
        version, threshold = str(meta["version"]), float(meta["threshold"])
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise InputError(f"{d / 'gate.json'}: not a complete gate description ({exc!r})") from exc
    skip = {"format", "version", "threshold", "languages"}
    return HashedGate(
        version=version,
        threshold=threshold,
        heads=heads,
        info={k: v for k, v in meta.items() if k not in skip},
    )


@functools.cache
def shipped_gate(name: str) -> HashedGate:
    """The gate folder ``name`` shipped in ``eventledger/data/models`` (read once per process)."""
    from eventledger.shipped import shipped_path

    return load_gate(shipped_path("data", "models", name))


def is_gate_folder(directory: str | Path) -> bool:
    """Whether ``directory`` holds a gate of this module's format (not a ``learn.relevance`` model)."""
    try:
        meta = json.loads((Path(directory) / "gate.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return isinstance(meta, dict) and meta.get("format") == FORMAT
