"""Coding quality against a truth file written by people.

A truth file has one JSON line per report: ``{"id": ..., "events": [{"subtype", "place", "admin1",
"country", "date"}, ...]}`` — the subtype × place × day statements a careful human coder extracts
from that report alone. :func:`evaluate_corpus` codes the reports and counts, per report, which
mentions match a truth entry (same subtype, same place, same day — or within a day, or any day).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import Gazetteer
from eventledger.normalize.document import to_document
from eventledger.records import Document, Mention, RawReport
from eventledger.sources.kinds import read_path

WINDOWS: dict[str, int | None] = {"strict": 0, "day±1": 1, "any day": None}

OurKey = tuple[str, str, dt.date]
TruthKey = tuple[str, frozenset[str], dt.date]


def truth_place_ids(ev: dict[str, Any], gaz: Gazetteer) -> frozenset[str]:
    """Place ids a truth entry accepts: the named place (in its province), else the province or country."""
    if ev.get("place"):
        found = gaz.lookup(ev["place"])
        ids = {p.place_id for p in found if ev.get("admin1") is None or p.admin1 == ev["admin1"]}
        ids = ids or {p.place_id for p in found}
        return frozenset(ids or {f"?{ev['place']}"})
    if ev.get("admin1"):
        return frozenset({ev["admin1"]})
    return frozenset({f"cc:{ev.get('country') or 'IR'}"})


def match(
    ours: list[OurKey], truth: list[TruthKey], window: int | None
) -> tuple[int, list[OurKey], list[TruthKey]]:
    """Greedy one-to-one matching; returns (true positives, false positives, false negatives)."""
    left = list(truth)
    tp = 0
    fp: list[OurKey] = []
    for o in ours:
        hit = next(
            (
                t
                for t in left
                if o[0] == t[0] and o[1] in t[1] and (window is None or abs((o[2] - t[2]).days) <= window)
            ),
            None,
        )
        if hit is None:
            fp.append(o)
        else:
            left.remove(hit)
            tp += 1
    return tp, fp, left


@dataclass
class ReportResult:
    doc: Document
    mentions: list[Mention]
    false_positives: list[OurKey]
    false_negatives: list[TruthKey]
    note: str | None


@dataclass
class Evaluation:
    reports: int = 0
    counts: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0, 0] for k in WINDOWS})
    ours_by_category: Counter[str] = field(default_factory=Counter)
    truth_by_category: Counter[str] = field(default_factory=Counter)
    errors: list[ReportResult] = field(default_factory=list)

    def scores(self, window: str = "strict") -> dict[str, float | int]:
        tp, fp, fn = self.counts[window]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            **{name: self.scores(name) for name in WINDOWS},
            "distinct_keys_by_category": {
                c: {"ours": self.ours_by_category[c], "truth": self.truth_by_category[c]}
                for c in sorted(set(self.ours_by_category) | set(self.truth_by_category))
            },
        }


def load_truth(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            t = json.loads(line)
            out[t["id"]] = t
    return out


def evaluate_corpus(reports: Path, truth_path: Path, coder: RuleCoder) -> Evaluation:
    """Code every report of ``reports`` and compare with ``truth_path``."""
    gaz = coder.gazetteer
    truth = load_truth(truth_path)
    result = Evaluation()
    ours_keys: set[tuple[str, str, dt.date]] = set()
    truth_keys: set[tuple[str, str, str]] = set()
    for item in read_path(reports):
        if not isinstance(item, RawReport):
            continue
        doc = to_document(item)
        if not isinstance(doc, Document) or doc.external_id not in truth:
            continue
        result.reports += 1
        mentions = coder.code(doc)
        t = truth[doc.external_id]
        ours = [(m.subtype, m.place_key, m.date) for m in mentions]
        expected = [
            (e["subtype"], truth_place_ids(e, gaz), dt.date.fromisoformat(e["date"])) for e in t["events"]
        ]
        for name, window in WINDOWS.items():
            tp, fp, fn = match(ours, expected, window)
            c = result.counts[name]
            c[0], c[1], c[2] = c[0] + tp, c[1] + len(fp), c[2] + len(fn)
            if name == "strict" and (fp or fn):
                result.errors.append(ReportResult(doc, mentions, fp, fn, t.get("note")))
        ours_keys.update((m.category, m.place_key, m.date) for m in mentions)
        truth_keys.update((e["category"], min(truth_place_ids(e, gaz)), e["date"]) for e in t["events"])
    result.ours_by_category.update(c for c, *_ in ours_keys)
    result.truth_by_category.update(c for c, *_ in truth_keys)
    return result
