"""Geometry of the month chart and the province map, drawn as inline SVG (no chart library, no JS).

The dashboard and the published report draw the same figures from these functions and the same
macros (``report/templates/_charts.html``). The functions here compute positions only; the
templates write the markup, so every label goes through the template engine's escaping like any
other text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from eventledger.shipped import shipped_path


@dataclass(frozen=True, slots=True)
class Segment:
    category: str
    n: int
    y: float
    h: float
    css: str


@dataclass(frozen=True, slots=True)
class Bar:
    month: str
    x: float
    w: float
    total: int
    top: float
    segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MonthChart:
    width: int
    height: int
    base: float  # y of the axis
    bars: list[Bar]
    ticks: list[tuple[float, int]]  # (y, value)
    left: float
    right: float
    axis_x: float  # where the value labels end (text-anchor="end"), on the side where reading starts
    totals: bool = True  # each bar's total above it (False when the bars are too narrow for them)


def _nice_max(v: int) -> int:
    if v <= 5:
        return 5
    mag = 10 ** int(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * mag)
        if top >= v:
            return top
    return v


def month_chart(
    months: Mapping[str, Mapping[str, int]],
    categories: Sequence[str],
    *,
    rtl: bool = False,
    width: int = 760,
    height: int = 240,
) -> MonthChart:
    """Stacked bars, one per month, one colour per category (in codebook order); right to left, with the
    value axis on the right, when ``rtl``."""
    left, right, top, bottom = 44.0, 8.0, 14.0, 28.0
    if rtl:
        left, right = right, left
    keys = list(months)
    n = max(len(keys), 1)
    plot_w = width - left - right
    step = plot_w / n
    w = max(step * 0.7, 2.0)
    totals = [sum(months[k].values()) for k in keys]
    ymax = _nice_max(max(totals, default=0))
    base = height - bottom
    scale = (base - top) / ymax
    bars = []
    for i, k in enumerate(keys):
        slot = (n - 1 - i) if rtl else i
        x = left + slot * step + (step - w) / 2
        y = base
        segs = []
        for ci, cat in enumerate(categories):
            v = int(months[k].get(cat, 0))
            if not v:
                continue
            h = v * scale
            y -= h
            segs.append(Segment(cat, v, round(y, 1), round(h, 1), f"c{ci % 8}"))
        bars.append(Bar(k, round(x, 1), round(w, 1), totals[i], round(y, 1), segs))
    ticks = [(round(base - v * scale, 1), v) for v in (0, ymax // 2, ymax)]
    axis_x = width - right + 4 if rtl else left - 4  # "end" is the text's left edge in a right-to-left page
    # a total is written above its bar when the widest one fits in a bar's slot (about 8.5 units a
    # character at the charts' 14px): many months (a range of years) leave them to the tooltips
    room = step >= 8.5 * len(f"{max(totals, default=0):,}")
    return MonthChart(width, height, base, bars, ticks, left, width - right, axis_x, room)


# --- the province map ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Province:
    iso: str
    name_en: str
    name_fa: str
    path: str
    label: tuple[float, float]
    n: int
    css: str


@dataclass(frozen=True, slots=True)
class ProvinceMap:
    view_box: str
    attribution: str
    provinces: list[Province]
    legend: list[tuple[str, str]]  # (css class, range label)


@lru_cache(maxsize=1)
def _shapes() -> dict[str, Any]:
    raw = shipped_path("web", "static", "iran-provinces.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def province_names() -> dict[str, tuple[str, str]]:
    """ISO 3166-2 code → (English name, Persian name) of the 31 provinces."""
    return {p["iso"]: (p["name_en"], p["name_fa"]) for p in _shapes()["provinces"]}


def _bucket(n: int, top: int) -> int:
    """0 for no events, else 1..5 on a log scale up to the largest province."""
    if n <= 0:
        return 0
    if top <= 1:
        return 5
    return 1 + min(4, int(4 * math.log(n) / math.log(top) + 1e-9))


def _bucket_floor(b: int, top: int) -> int:
    # the smallest count that falls in bucket b (inverse of _bucket)
    if b <= 1:
        return 1
    return max(1, math.ceil(math.exp((b - 1) * math.log(top) / 4)))


def province_map(counts: Mapping[str, int]) -> ProvinceMap:
    data = _shapes()
    top = max((int(counts.get(p["iso"], 0)) for p in data["provinces"]), default=0)
    provinces = []
    for p in data["provinces"]:
        n = int(counts.get(p["iso"], 0))
        provinces.append(
            Province(
                p["iso"], p["name_en"], p["name_fa"], p["path"], tuple(p["label"]), n, f"q{_bucket(n, top)}"
            )
        )
    legend = [("q0", "0")]
    if top:
        used = sorted({_bucket(n, top) for n in range(1, top + 1)} if top < 2000 else {1, 2, 3, 4, 5})
        for b in used:
            lo = _bucket_floor(b, top)
            hi = _bucket_floor(b + 1, top) - 1 if b < 5 else top
            if b == max(used):
                hi = top
            legend.append((f"q{b}", f"{lo}" if lo >= hi else f"{lo}–{hi}"))
    return ProvinceMap(data["viewBox"], data["attribution"], provinces, legend)


# --- colours ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def palette() -> dict[str, str]:
    """The colours of the categories (``c0``..``c7``) and map classes (``q0``..``q5``), by class, as the
    web app's stylesheet defines them (its ``--c0``… custom properties: their one definition).

    The report writes them into each SVG's own ``<style>``: a PDF renderer does not apply the page's
    stylesheet (nor ``var()``) inside an SVG.
    """
    css = shipped_path("web", "static", "app.css").read_text(encoding="utf-8")
    found = dict(re.findall(r"--([cq][0-9]):\s*(#[0-9a-fA-F]{3,8})\s*;", css))
    missing = [k for k in (*(f"c{i}" for i in range(8)), *(f"q{i}" for i in range(6))) if k not in found]
    if missing:
        raise RuntimeError(f"app.css defines no colour for {', '.join(missing)}")
    return found
