#!/usr/bin/env python3
"""Build the web app's third-party static files in ``src/eventledger/web/static/`` (dev-time only).

The web app works offline under ``Content-Security-Policy: default-src 'self'``, so nothing may come
from a CDN: every script, stylesheet, font and map it uses is shipped in the package.  This script
makes those files; it is not imported by eventledger and needs nothing beyond the standard library,
plus Node.js/npm for the first part.

1. :func:`vendor_packages` fetches the pinned npm packages below with ``npm pack`` (tarballs only:
   no install scripts run), checks each tarball against its pinned ``sha512`` integrity, and copies
   only the needed files, with each package's licence, into ``static/vendor/<package>/``.  It then
   writes ``static/vendor/VERSIONS.md``.  ``static/vendor/`` is wiped first: it holds nothing else.
2. :func:`build_province_map` turns the OpenStreetMap province boundaries in
   ``../shared/data/iran-admin-boundaries-osm/provinces.all.min.geojson.gz`` into the small
   ``static/iran-provinces.json`` (SVG paths for an inline choropleth) and writes
   ``static/iran-provinces.LICENSE.md`` (ODbL 1.0).  Pure Python: equirectangular projection,
   topology-preserving Douglas-Peucker (borders shared by two provinces are simplified once, so
   neighbours never gain gaps or overlaps), coordinates rounded to 0.1 unit, one label point
   inside each province.

Run from anywhere::

    python tools/vendor_assets.py                 # both parts
    python tools/vendor_assets.py --only vendor   # npm packages only
    python tools/vendor_assets.py --only map      # province map only (no network)

Both outputs are deterministic: a rebuild with the same pins and source data gives identical files.
To move a package to a newer version, change its ``version`` below and run the script once: it stops
with the new tarball's integrity, which you check and paste into ``integrity``.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import heapq
import itertools
import json
import math
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STATIC_DIR = ROOT / "src" / "eventledger" / "web" / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
MAP_JSON = STATIC_DIR / "iran-provinces.json"
MAP_LICENSE = STATIC_DIR / "iran-provinces.LICENSE.md"
PROVINCES_GEOJSON = (
    ROOT.parent / "shared" / "data" / "iran-admin-boundaries-osm" / "provinces.all.min.geojson.gz"
)

# ================================================================================================
# Part 1: npm packages
# ================================================================================================


@dataclass(frozen=True)
class Package:
    name: str  # npm package name
    version: str  # exact version
    integrity: str  # the registry's dist.integrity of that version's tarball
    license: str  # SPDX id
    dest: str  # folder under static/vendor/
    files: tuple[tuple[str, str], ...]  # (path inside the tarball's package/, name in dest)
    note: str = ""


PACKAGES: tuple[Package, ...] = (
    Package(
        name="htmx.org",
        version="2.0.11",
        integrity="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==",
        license="0BSD",
        dest="htmx",
        files=(("dist/htmx.min.js", "htmx.min.js"), ("LICENSE", "LICENSE")),
    ),
    Package(
        name="swagger-ui-dist",
        version="5.35.0",
        integrity="sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        license="Apache-2.0",
        dest="swagger-ui",
        files=(
            ("swagger-ui.css", "swagger-ui.css"),
            ("swagger-ui-bundle.js", "swagger-ui-bundle.js"),
            ("swagger-ui-bundle.js.LICENSE.txt", "swagger-ui-bundle.js.LICENSE.txt"),
            ("favicon-32x32.png", "favicon-32x32.png"),
            ("LICENSE", "LICENSE"),
            ("NOTICE", "NOTICE"),
        ),
        note=(
            "`swagger-ui-bundle.js.LICENSE.txt` holds the licence notices of the third-party code "
            "inside the bundle; `NOTICE` is the Apache-2.0 notice file. `favicon-32x32.png` replaces "
            "FastAPI's default docs favicon, which is loaded from fastapi.tiangolo.com. "
            "`swagger-ui.css` ends with a `sourceMappingURL` comment; the map is not shipped (only "
            "browser developer tools ask for it)."
        ),
    ),
    Package(
        name="vazirmatn",
        version="33.0.3",
        integrity="sha512-fbjNc0CMjazZpIegWzz9OHGzI1APFboT+x7ZecXlUCtDe/nkyx7gtCTZnWS/+eeXG7fbfXymCPKJI8EsnM3iqw==",
        license="OFL-1.1",
        dest="vazirmatn",
        files=(
            ("fonts/webfonts/Vazirmatn[wght].woff2", "Vazirmatn-Variable.woff2"),
            ("OFL.txt", "OFL.txt"),
        ),
        note=(
            "The variable font (weights 100-900), renamed from `Vazirmatn[wght].woff2` so that its URL "
            "needs no escaping. Use it with:\n\n"
            "```css\n"
            "@font-face {\n"
            "  font-family: 'Vazirmatn';\n"
            "  src: url('vazirmatn/Vazirmatn-Variable.woff2') format('woff2-variations'),\n"
            "       url('vazirmatn/Vazirmatn-Variable.woff2') format('woff2');\n"
            "  font-weight: 100 900;\n"
            "  font-style: normal;\n"
            "  font-display: swap;\n"
            "}\n"
            "```"
        ),
    ),
)


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found: install Node.js (with npm) to vendor the web assets")
    return npm


def _npm_pack(pkg: Package, dest: Path) -> Path:
    """``npm pack name@version`` into ``dest``; returns the tarball after checking its integrity."""
    proc = subprocess.run(
        [_npm(), "pack", f"{pkg.name}@{pkg.version}", "--json", "--pack-destination", str(dest)],
        cwd=dest,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"npm pack {pkg.name}@{pkg.version} failed:\n{proc.stderr.strip()}")
    info = json.loads(proc.stdout)[0]
    if info["version"] != pkg.version:
        raise SystemExit(f"npm pack gave {pkg.name}@{info['version']}, not the pinned {pkg.version}")
    tarball: Path = dest / str(info["filename"])
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    actual = f"sha512-{digest}"
    if actual != pkg.integrity:
        raise SystemExit(
            f"{pkg.name}@{pkg.version}: tarball integrity {actual} does not match the pinned "
            f"{pkg.integrity} (after a version bump, check it and paste it into PACKAGES)"
        )
    return tarball


def _human(size: int) -> str:
    return f"{size:,} B" if size < 1024 else f"{size / 1024:,.1f} KiB"


def vendor_packages(vendor_dir: Path = VENDOR_DIR) -> list[tuple[Package, list[tuple[str, str, int, str]]]]:
    """Fetch every package in :data:`PACKAGES` and copy its files into ``vendor_dir``."""
    fetched: list[tuple[Package, dict[str, bytes]]] = []
    with tempfile.TemporaryDirectory(prefix="eventledger-vendor-") as tmp:
        for pkg in PACKAGES:
            tarball = _npm_pack(pkg, Path(tmp))
            blobs: dict[str, bytes] = {}
            with tarfile.open(tarball, "r:gz") as tar:
                for src, dst in pkg.files:
                    member = tar.extractfile(f"package/{src}")
                    if member is None:
                        raise SystemExit(f"{pkg.name}@{pkg.version}: {src} is not a file in the tarball")
                    blobs[dst] = member.read()
            fetched.append((pkg, blobs))

    if vendor_dir.exists():
        shutil.rmtree(vendor_dir)
    report: list[tuple[Package, list[tuple[str, str, int, str]]]] = []
    for pkg, blobs in fetched:
        out = vendor_dir / pkg.dest
        out.mkdir(parents=True, exist_ok=True)
        rows = []
        for src, dst in pkg.files:
            data = blobs[dst]
            (out / dst).write_bytes(data)
            rows.append((f"{pkg.dest}/{dst}", src, len(data), hashlib.sha256(data).hexdigest()))
        report.append((pkg, rows))
    (vendor_dir / "VERSIONS.md").write_text(_versions_md(report), encoding="utf-8")
    return report


def _versions_md(report: Sequence[tuple[Package, Sequence[tuple[str, str, int, str]]]]) -> str:
    total = sum(size for _, rows in report for _, _, size, _ in rows)
    lines = [
        "# Vendored web assets",
        "",
        "Written by `tools/vendor_assets.py` (`python tools/vendor_assets.py --only vendor`); do not edit",
        "by hand. The files are copied unchanged from the npm tarballs named below, whose integrity the",
        "script checks, except where a file is renamed. Nothing here is loaded from a CDN.",
        "",
        "| package | version | license | files |",
        "|---|---|---|---|",
    ]
    for pkg, rows in report:
        files = ", ".join(f"`{path}`" for path, *_ in rows)
        lines.append(f"| `{pkg.name}` | {pkg.version} | {pkg.license} | {files} |")
    lines += ["", f"Total: {_human(total)} ({total:,} bytes).", ""]
    for pkg, rows in report:
        lines += [
            f"## {pkg.name} {pkg.version}",
            "",
            f"- License: {pkg.license} (text in `{pkg.dest}/{rows[-1][0].rsplit('/', 1)[-1]}`)"
            if pkg.license != "Apache-2.0"
            else f"- License: {pkg.license} (text in `{pkg.dest}/LICENSE`, notice in `{pkg.dest}/NOTICE`)",
            f"- Tarball: `npm pack {pkg.name}@{pkg.version}`, integrity `{pkg.integrity}`",
            "",
            "| file | from (in the tarball's `package/`) | size | sha256 |",
            "|---|---|---|---|",
        ]
        lines += [f"| `{path}` | `{src}` | {size:,} | `{sha}` |" for path, src, size, sha in rows]
        lines.append("")
        if pkg.note:
            lines += [pkg.note, ""]
    return "\n".join(lines)


# ================================================================================================
# Part 2: the province map
# ================================================================================================

ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0 (simplified)"
VIEW_WIDTH = 1000  # viewBox width, padding included
PADDING = 2  # viewBox units on each side, so that a border stroke is not clipped
STANDARD_PARALLEL = 32.5  # degrees: x is scaled by cos(32.5°)
TOLERANCE = 0.5  # Douglas-Peucker tolerance, viewBox units
MIN_POLYGON_AREA = 4.0  # square viewBox units: smaller islands (and holes) are dropped
MAX_MAP_BYTES = 150_000
EXPECTED_ISO = tuple(f"IR-{n:02d}" for n in range(31))

Pt = tuple[float, float]  # projected (x, y), y growing downwards
Key = tuple[float, float]  # source (lon, lat), exact: identical vertices are shared vertices


@dataclass
class _Ring:
    province: int
    polygon: int
    hole: bool
    keys: list[Key]  # open ring (first vertex not repeated)


def _signed_area(pts: Sequence[Pt]) -> float:
    """Shoelace area; positive for clockwise rings on screen (y down)."""
    n = len(pts)
    return 0.5 * sum(pts[i][0] * pts[(i + 1) % n][1] - pts[(i + 1) % n][0] * pts[i][1] for i in range(n))


def _centroid(pts: Sequence[Pt]) -> Pt:
    n, a, cx, cy = len(pts), 0.0, 0.0, 0.0
    for i in range(n):
        (x0, y0), (x1, y1) = pts[i], pts[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return (sum(p[0] for p in pts) / n, sum(p[1] for p in pts) / n)
    return (cx / (3 * a), cy / (3 * a))


def _seg_dist2(p: Pt, a: Pt, b: Pt) -> float:
    """Squared distance from ``p`` to the segment ``ab``."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return (p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return (p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2


def douglas_peucker(pts: Sequence[Pt], tolerance: float) -> list[int]:
    """Indices of the points kept by Douglas-Peucker; the two ends are always kept."""
    if len(pts) < 3:
        return list(range(len(pts)))
    tol2 = tolerance * tolerance
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        first, last = stack.pop()
        best, best_d = -1, tol2
        for i in range(first + 1, last):
            d = _seg_dist2(pts[i], pts[first], pts[last])
            if d > best_d:
                best, best_d = i, d
        if best >= 0:
            keep[best] = True
            stack += [(first, best), (best, last)]
    return [i for i, k in enumerate(keep) if k]


def _simplify_arc(pts: Sequence[Pt], tolerance: float) -> list[Pt]:
    """Simplify an open arc, or a closed one (first point == last point), keeping its ends."""
    if pts[0] == pts[-1] and len(pts) > 3:
        # a closed loop: split it at its farthest point so that it cannot collapse to a line
        far = max(range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
        head = _simplify_arc(pts[: far + 1], tolerance)
        tail = _simplify_arc(pts[far:], tolerance)
        return head + tail[1:]
    return [pts[i] for i in douglas_peucker(pts, tolerance)]


def _point_in_ring(p: Pt, ring: Sequence[Pt]) -> bool:
    x, y = p
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        (xi, yi), (xj, yj) = ring[i], ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _ring_edge_dist(p: Pt, ring: Sequence[Pt]) -> float:
    return math.sqrt(min(_seg_dist2(p, ring[i - 1], ring[i]) for i in range(len(ring))))


def _label_point(outer: Sequence[Pt], holes: Sequence[Sequence[Pt]]) -> Pt:
    """A point inside the polygon for its label: the centroid of ``outer`` when it is well inside.

    Otherwise (the centroid is outside, or closer to an edge than half the best distance, as in a
    thin or curved province) the pole of inaccessibility: the inside point farthest from any edge,
    found to within 0.5 unit by refining square cells in a priority queue ("polylabel").
    """

    def dist(p: Pt) -> float:  # signed distance to the polygon's edges: > 0 inside
        d = min([_ring_edge_dist(p, outer)] + [_ring_edge_dist(p, h) for h in holes])
        inside = _point_in_ring(p, outer) and not any(_point_in_ring(p, h) for h in holes)
        return d if inside else -d

    xs, ys = [p[0] for p in outer], [p[1] for p in outer]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    size = min(x1 - x0, y1 - y0)
    centroid = _centroid(outer)
    best = (dist(centroid), centroid)
    heap: list[tuple[float, float, float, float, float]] = []  # (-potential, d, x, y, half)

    def push(x: float, y: float, half: float) -> None:
        d = dist((x, y))
        heapq.heappush(heap, (-(d + half * math.sqrt(2)), d, x, y, half))

    x = x0
    while x < x1:
        y = y0
        while y < y1:
            push(x + size / 2, y + size / 2, size / 2)
            y += size
        x += size
    while heap:
        neg_potential, d, x, y, half = heapq.heappop(heap)
        if d > best[0]:
            best = (d, (x, y))
        if -neg_potential - best[0] <= 0.5:
            continue
        for dx in (-half / 2, half / 2):
            for dy in (-half / 2, half / 2):
                push(x + dx, y + dy, half / 2)
    return centroid if dist(centroid) >= best[0] / 2 else best[1]


def _load_provinces(source: Path) -> list[dict[str, Any]]:
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    provinces = []
    for feature in features:
        tags = feature["properties"]["tags"]
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        provinces.append(
            {
                "iso": tags["ISO3166-2"],
                "name_en": tags["name:en"],
                "name_fa": tags["name:fa"],
                "polygons": polygons,
            }
        )
    provinces.sort(key=lambda p: p["iso"])
    isos = tuple(p["iso"] for p in provinces)
    if isos != EXPECTED_ISO:
        raise SystemExit(f"expected the 31 provinces IR-00..IR-30, found {isos}")
    return provinces


def _projection(provinces: Iterable[dict[str, Any]]) -> tuple[Callable[[Key], Pt], int]:
    lons, lats = [], []
    for province in provinces:
        for polygon in province["polygons"]:
            for lon, lat in polygon[0]:
                lons.append(lon)
                lats.append(lat)
    k = math.cos(math.radians(STANDARD_PARALLEL))
    lon0, lat1 = min(lons), max(lats)
    scale = (VIEW_WIDTH - 2 * PADDING) / ((max(lons) - lon0) * k)
    height = math.ceil((lat1 - min(lats)) * scale + 2 * PADDING)

    def project(key: Key) -> Pt:
        return ((key[0] - lon0) * k * scale + PADDING, (lat1 - key[1]) * scale + PADDING)

    return project, height


def _collect_rings(provinces: Sequence[dict[str, Any]], project: Callable[[Key], Pt]) -> list[_Ring]:
    """Every ring to draw, as exact source vertices; polygons (and holes) under the area limit are left out."""
    rings = []
    for pi, province in enumerate(provinces):
        for gi, polygon in enumerate(province["polygons"]):
            for ri, coords in enumerate(polygon):
                keys = [(float(lon), float(lat)) for lon, lat in coords]
                if keys[0] == keys[-1]:
                    keys.pop()
                deduped = [k for i, k in enumerate(keys) if k != keys[i - 1]]
                if len(deduped) < 3 or abs(_signed_area([project(k) for k in deduped])) < MIN_POLYGON_AREA:
                    if ri == 0:
                        break  # the whole polygon (an islet) is dropped
                    continue
                rings.append(_Ring(pi, gi, ri > 0, deduped))
    return rings


def _junctions(rings: Sequence[_Ring]) -> set[Key]:
    """Vertices where a border starts or ends: the same vertex seen with different neighbours."""
    neighbours: dict[Key, frozenset[Key]] = {}
    junctions: set[Key] = set()
    for ring in rings:
        keys, n = ring.keys, len(ring.keys)
        for i, key in enumerate(keys):
            pair = frozenset((keys[i - 1], keys[(i + 1) % n]))
            seen = neighbours.setdefault(key, pair)
            if seen != pair:
                junctions.add(key)
    return junctions


def _simplified_rings(
    rings: Sequence[_Ring], project: Callable[[Key], Pt], tolerance: float
) -> list[list[tuple[int, int]]]:
    """Each ring as integer tenths of a unit, built from arcs that are simplified once each."""
    junctions = _junctions(rings)
    arcs: dict[tuple[Key, ...], list[tuple[int, int]]] = {}

    def arc(keys: list[Key]) -> list[tuple[int, int]]:
        fwd, rev = tuple(keys), tuple(reversed(keys))
        if fwd in arcs:
            return arcs[fwd]
        if rev in arcs:
            return arcs[rev][::-1]
        simple = _simplify_arc([project(k) for k in keys], tolerance)
        arcs[fwd] = [(round(x * 10), round(y * 10)) for x, y in simple]
        return arcs[fwd]

    out = []
    for ring in rings:
        keys = ring.keys
        cuts = [i for i, k in enumerate(keys) if k in junctions]
        if not cuts:
            # a ring that touches no other ring's border change: one closed arc, started at a
            # canonical vertex so that the same loop seen from a neighbour is found again
            start = keys.index(min(keys))
            cuts = [start]
        start = cuts[0]
        keys = keys[start:] + keys[:start]
        cuts = [c - start for c in cuts] + [len(keys)]
        loop = [*keys, keys[0]]
        pts: list[tuple[int, int]] = []
        for a, b in itertools.pairwise(cuts):
            part = arc(loop[a : b + 1])
            pts.extend(part if not pts else part[1:])
        pts.pop()  # the closing point
        pts = [p for i, p in enumerate(pts) if p != pts[i - 1]]
        out.append(pts)
    return out


def _fmt(tenths: int) -> str:
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


def _path(rings: Sequence[Sequence[tuple[int, int]]]) -> str:
    parts = []
    for ring in rings:
        coords = [f"{_fmt(x)} {_fmt(y)}" for x, y in ring]
        parts.append(f"M{coords[0]}L{' '.join(coords[1:])}Z")
    return "".join(parts)


def build_province_map(
    source: Path = PROVINCES_GEOJSON,
    out_json: Path = MAP_JSON,
    out_license: Path = MAP_LICENSE,
    tolerance: float = TOLERANCE,
) -> dict[str, Any]:
    """Write the simplified province map and its licence file; returns the map."""
    provinces = _load_provinces(source)
    project, height = _projection(provinces)
    rings = _collect_rings(provinces, project)
    simplified = _simplified_rings(rings, project, tolerance)

    entries = []
    for pi, province in enumerate(provinces):
        mine = [
            (ring, pts)
            for ring, pts in zip(rings, simplified, strict=True)
            if ring.province == pi and len(pts) >= 3
        ]
        drawn: list[list[tuple[int, int]]] = []
        largest: tuple[float, list[Pt], list[list[Pt]]] = (-1.0, [], [])
        for ring, pts in mine:
            floats = [(x / 10, y / 10) for x, y in pts]
            area = _signed_area(floats)
            if ring.hole:
                continue
            if abs(area) < MIN_POLYGON_AREA / 4:
                continue  # collapsed by the simplification
            # outer rings clockwise on screen, holes counter-clockwise: the default nonzero fill works
            drawn.append(pts if area > 0 else pts[::-1])
            holes = []
            for hole, hpts in mine:
                if hole.hole and hole.polygon == ring.polygon:
                    hf = [(x / 10, y / 10) for x, y in hpts]
                    drawn.append(hpts if _signed_area(hf) < 0 else hpts[::-1])
                    holes.append(hf)
            if abs(area) > largest[0]:
                largest = (abs(area), floats, holes)
        if not drawn:
            raise SystemExit(f"{province['iso']}: nothing left to draw")
        label = _label_point(largest[1], largest[2])
        entries.append(
            {
                "iso": province["iso"],
                "name_en": province["name_en"],
                "name_fa": province["name_fa"],
                "path": _path(drawn),
                "label": [round(label[0], 1), round(label[1], 1)],
            }
        )

    data = {"attribution": ATTRIBUTION, "viewBox": f"0 0 {VIEW_WIDTH} {height}", "provinces": entries}
    text = _map_json_text(data)
    size = len(text.encode("utf-8"))
    if size > MAX_MAP_BYTES:
        raise SystemExit(
            f"{out_json.name} would be {size:,} bytes (> {MAX_MAP_BYTES:,}): raise the tolerance"
        )
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(text, encoding="utf-8")
    out_license.write_text(
        MAP_LICENSE_TEXT.format(tolerance=tolerance, min_area=MIN_POLYGON_AREA), encoding="utf-8"
    )
    return data


def _map_json_text(data: dict[str, Any]) -> str:
    """Compact JSON with one province a line (readable diffs, small file)."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = ",\n".join(f"{dump(k)}:{dump(v)}" for k, v in data.items() if k != "provinces")
    body = ",\n".join(dump(p) for p in data["provinces"])
    return "{" + head + ',\n"provinces":[\n' + body + "\n]}\n"


MAP_LICENSE_TEXT = """\
# iran-provinces.json: licence

`iran-provinces.json` is derived from OpenStreetMap data, © OpenStreetMap contributors,
available under the Open Database License 1.0 (ODbL 1.0):
https://opendatacommons.org/licenses/odbl/1-0/

The province boundaries are OpenStreetMap's `admin_level=4` relations for Iran's 31 provinces,
as extracted through the Overpass API by the `iran-geojson` project (GitHub
`hosseinhabibi2004/iran-geojson`, snapshot 890ff6c, 2025-10-19). OpenStreetMap's coastal
boundaries follow the territorial sea, so coasts and near-shore islands (Qeshm, Kish, ...) are
inside the province outlines rather than drawn as land.

They were projected (equirectangular, x scaled by cos 32.5°), simplified (topology-preserving
Douglas-Peucker, tolerance {tolerance} viewBox units; islets under {min_area:g} square units
dropped) and rounded to 0.1 unit by `tools/vendor_assets.py` in this repository, which rebuilds
the file.

This derived database is offered under the same licence, the ODbL 1.0. A map drawn from it must
credit "© OpenStreetMap contributors" (the file's `attribution` field).
"""


# ================================================================================================


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("vendor", "map"), help="build only one part")
    parser.add_argument(
        "--geojson", type=Path, default=PROVINCES_GEOJSON, help="province boundaries (.geojson.gz)"
    )
    parser.add_argument(
        "--tolerance", type=float, default=TOLERANCE, help="simplification tolerance, viewBox units"
    )
    args = parser.parse_args(argv)

    if args.only in (None, "vendor"):
        report = vendor_packages()
        for pkg, rows in report:
            for path, _, size, _ in rows:
                print(f"{pkg.name}@{pkg.version}  {path}  {_human(size)}")
        total = sum(size for _, rows in report for _, _, size, _ in rows)
        print(f"vendor total: {_human(total)}  -> {VENDOR_DIR.relative_to(ROOT)}")
    if args.only in (None, "map"):
        data = build_province_map(args.geojson, tolerance=args.tolerance)
        size = MAP_JSON.stat().st_size
        print(
            f"{MAP_JSON.relative_to(ROOT)}: {len(data['provinces'])} provinces, {_human(size)}, viewBox {data['viewBox']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
