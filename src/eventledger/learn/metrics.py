"""Classification scores: per-class precision/recall/F1, micro/macro/weighted F1, confusion matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """The CASE 2021 scoring: per gold/predicted label, and micro, macro and weighted F1 over gold labels."""
    if len(gold) != len(pred):
        raise ValueError("gold and predicted labels differ in length")
    labels = sorted(set(gold) | set(pred))
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    support = Counter(gold)
    per: dict[str, dict[str, float | int]] = {}
    for lab in labels:
        prec = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        rec = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        per[lab] = {
            "precision": round(prec, 4),
            "recall": round(rec, 4),
            "f1": round(_f1(prec, rec), 4),
            "support": support[lab],
        }
    gold_labels = sorted(support)
    n = len(gold)
    macro = sum(float(per[lab]["f1"]) for lab in gold_labels) / len(gold_labels) if gold_labels else 0.0
    weighted = sum(float(per[lab]["f1"]) * support[lab] for lab in gold_labels) / n if n else 0.0
    micro = sum(tp.values()) / n if n else 0.0  # single-label: micro P = R = F1 = accuracy
    matrix = {g: dict(Counter(p for gg, p in zip(gold, pred, strict=True) if gg == g)) for g in gold_labels}
    return {
        "n": n,
        "micro_f1": round(micro, 4),
        "macro_f1": round(macro, 4),
        "weighted_f1": round(weighted, 4),
        "per_class": per,
        "confusion": matrix,
    }
