"""Checks against the reference data in ``../shared/data`` (skipped when it is absent).

The thresholds sit a little below the values measured when the gazetteer was built; run
``PYTHONPATH=src python tests/geocode/_eval.py`` to print the current numbers.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from eventledger.geocode import Gazetteer
from eventledger.normalize.text import fold

from . import _eval

pytestmark = pytest.mark.shared


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference data not available: {path}")
    return path


def test_points_lie_in_their_province_polygon(gazetteer: Gazetteer) -> None:
    need(_eval.OSM_PROVINCES)
    inside, total, misses = _eval.polygon_agreement(15_000, gazetteer)
    assert total >= 400
    assert inside / total >= 0.97, misses  # measured 425/425
    inside_all, total_all, _ = _eval.polygon_agreement(0, gazetteer)
    assert inside_all / total_all >= 0.99  # measured 2453/2459


def test_point_in_polygon_helper() -> None:
    square = [
        [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)],
        [(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0)],
    ]
    assert _eval.point_in_polygons(1, 1, [square])
    assert not _eval.point_in_polygons(5, 5, [square])  # in the hole
    assert not _eval.point_in_polygons(11, 5, [square])


def test_province_names_match_divisions(gazetteer: Gazetteer) -> None:
    path = need(_eval.DIVISIONS / "province.csv")
    with path.open(encoding="utf-8") as fh:
        reference = {f"IR-{int(row['code']):02d}": row["name"] for row in csv.DictReader(fh)}
    assert len(reference) == 31
    for iso, name in reference.items():
        province = gazetteer.province(iso)
        assert fold(province.name_fa or "") == fold(name), iso
        assert province in gazetteer.lookup(name), iso


def test_province_names_match_osm(gazetteer: Gazetteer) -> None:
    with gzip.open(need(_eval.OSM_PROVINCES), "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    for feature in features:
        tags = feature["properties"]["tags"]
        province = gazetteer.province(tags["ISO3166-2"])
        assert fold(province.name_fa or "") == fold(tags["name:fa"])
        assert province in gazetteer.lookup(tags["name:fa"])
        assert province in gazetteer.lookup(tags["name:en"]), tags["name:en"]


def test_persian_city_names_match_divisions(gazetteer: Gazetteer) -> None:
    need(_eval.DIVISIONS / "city.csv")
    names: set[str] = set()
    for table in ("city", "county"):
        with (_eval.DIVISIONS / f"{table}.csv").open(encoding="utf-8") as fh:
            names.update(fold(row["name"]) for row in csv.DictReader(fh))
    big = [
        p
        for p in gazetteer.places()
        if p.country == "IR" and p.precision == "city" and p.population >= 15_000
    ]
    agree = sum(1 for p in big if fold(p.name_fa or "") in names)
    assert agree / len(big) >= 0.85  # measured 0.894 (the rest are suburbs and new towns)


@pytest.mark.parametrize(
    ("corpus", "precision", "lenient", "recall"),
    [
        ("peyma", 0.74, 0.97, 0.88),  # measured 0.776 / 0.991 / 0.933 on the test split
        ("parstwiner", 0.80, 0.92, 0.80),  # measured 0.851 / 0.954 / 0.865
    ],
)
def test_persian_ner_precision_recall(
    gazetteer: Gazetteer, corpus: str, precision: float, lenient: float, recall: float
) -> None:
    need(_eval.NER / corpus / "test.txt.gz")
    score = _eval.score_ner(corpus, "test", gazetteer)
    assert score.precision >= precision, str(score)
    assert score.precision_lenient >= lenient, str(score)
    assert score.iran_recall >= recall, str(score)


def test_acled_admin1_agreement(gazetteer: Gazetteer) -> None:
    need(_eval.ACLED)
    score = _eval.score_acled(gazetteer)
    assert score.rows >= 140
    assert score.coverage >= 0.97, str(score)  # measured 1.000
    assert score.agreement >= 0.97, str(score)  # measured 0.993
    assert score.city_agreement >= 0.97, str(score)  # measured 0.993
