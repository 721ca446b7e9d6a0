"""Training and evaluation as the CLI runs them: tables in, model directories and scores out."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml

from eventledger.errors import ConfigError, InputError
from eventledger.learn.data import Table
from eventledger.learn.metrics import scores
from eventledger.learn.model import TextModel, TrainParams, train
from eventledger.shipped import shipped_or_path


def train_to_dir(
    table: Table,
    out: str | Path,
    *,
    seed: int = 13,
    definitions: str | None = None,
    cap_per_class: int | None = 400,
    holdout: float = 0.2,
    multilingual: bool = True,
) -> dict[str, Any]:
    """Train on a table, score the held-out share, write the model directory."""
    if table.labels is None:
        raise InputError("training needs a label column")
    params = TrainParams(
        seed=seed,
        cap_per_class=cap_per_class,
        definitions=definitions,
        holdout=holdout,
        multilingual=multilingual,
    )
    model, held = train(table.texts, table.labels, params, table.digest)
    result: dict[str, Any] = {
        "version": model.version,
        "labels": model.labels,
        "training_rows": model.info["training_rows"],
    }
    if held:
        gold = [table.labels[i] for i in held]
        pred = [label for label, _ in model.predict([table.texts[i] for i in held])]
        s = scores(gold, pred)
        result["held_out"] = s
        model.info["held_out"] = {k: s[k] for k in ("n", "micro_f1", "macro_f1", "weighted_f1")}
    model.save(out)
    return result


def load_label_map(name_or_path: str | Path | None) -> dict[str, str]:
    """A label mapping file, or a shipped one by name (``case2021-to-acled``)."""
    if name_or_path is None:
        return {}
    path = shipped_or_path(name_or_path, "models")
    if not path.is_file():
        raise ConfigError(f"label map not found: {name_or_path}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of gold label → model label")
    return {str(k): str(v) for k, v in data.items()}


def evaluate(
    model_dir: str | Path, table: Table, label_map: str | Path | None = None, *, only_mapped: bool = False
) -> dict[str, Any]:
    """Scores of a model on a labelled table; gold labels may be mapped (CASE codes → ACLED names).

    Rows whose (mapped) gold label the model does not know are scored too: they count as errors,
    as in the CASE 2021 scoring.
    """
    if table.labels is None:
        raise InputError("evaluation needs a label column")
    model = TextModel.load(model_dir)
    mapping = load_label_map(label_map)
    keep = [i for i, g in enumerate(table.labels) if not only_mapped or g in mapping]
    gold = [mapping.get(table.labels[i], table.labels[i]) for i in keep]
    texts = [table.texts[i] for i in keep]
    started = time.perf_counter()
    pred = [label for label, _ in model.predict(texts)]
    elapsed = time.perf_counter() - started
    res = scores(gold, pred)
    res["model"] = model.version
    res["snippets_per_second"] = round(len(texts) / elapsed, 1) if elapsed else 0.0
    res["unknown_gold_labels"] = sorted(set(gold) - set(model.labels))
    return res
