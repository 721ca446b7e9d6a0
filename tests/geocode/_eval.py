"""Measurements of the gazetteer and place finder on the reference data in ``../shared/data``.

Used by ``test_shared_data.py``; run it directly to print every number::

    PYTHONPATH=src python tests/geocode/_eval.py

Nothing here is copied into the repository: the files are read where they lie.
"""

from __future__ import annotations

import csv
import gzip
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from eventledger.geocode import Gazetteer, default_gazetteer, find_places
from eventledger.normalize.text import fold, normalize_for_matching

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
NER = SHARED_DATA / "persian-ner"
OSM_PROVINCES = SHARED_DATA / "iran-admin-boundaries-osm" / "provinces.all.min.geojson.gz"
DIVISIONS = SHARED_DATA / "iran-divisions-fa"
ACLED = SHARED_DATA / "acled-2022-sample" / "acled_2022_9000_events.csv.gz"

# -- Persian NER corpora ----------------------------------------------------------------------------

Token = tuple[str, str]


def read_conll(corpus: str, split: str) -> list[list[Token]]:
    """Sentences of (token, tag) from PEYMA (``tok|B_LOC``) or ParsTwiNER (``tok\\tB-LOC``)."""
    sep = "\t" if corpus == "parstwiner" else "|"
    sentences: list[list[Token]] = []
    current: list[Token] = []
    with gzip.open(NER / corpus / f"{split}.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if current:
                    sentences.append(current)
                current = []
                continue
            token, _, tag = line.rpartition(sep)
            current.append((token, tag.replace("_", "-")))
    if current:
        sentences.append(current)
    return sentences


def entity_spans(sentence: Sequence[Token]) -> tuple[str, list[tuple[int, int, str]]]:
    """Tokens joined by spaces, and the (start, end, type) of each IOB entity."""
    text = ""
    spans: list[tuple[int, int, str]] = []
    current: list[int | str] | None = None
    for token, tag in sentence:
        if text:
            text += " "
        start, end = len(text), len(text) + len(token)
        text += token
        kind = tag[2:]
        if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[2] != kind)):
            if current is not None:
                spans.append((int(current[0]), int(current[1]), str(current[2])))
            current = [start, end, kind]
        elif tag.startswith("I-") and current is not None:
            current[1] = end
        else:
            if current is not None:
                spans.append((int(current[0]), int(current[1]), str(current[2])))
            current = None
    if current is not None:
        spans.append((int(current[0]), int(current[1]), str(current[2])))
    return text, spans


def iranian_place_names() -> set[str]:
    """fold keys of Iranian province, county and city names (iran-divisions-fa, facts only)."""
    names: set[str] = set()
    for table in ("province", "county", "city"):
        with (DIVISIONS / f"{table}.csv").open(encoding="utf-8") as fh:
            names.update(fold(row["name"]) for row in csv.DictReader(fh))
    return names


@dataclass
class NerScore:
    corpus: str
    split: str
    sentences: int = 0
    matches: int = 0
    on_loc: int = 0  # matches overlapping a gold LOC span
    on_org: int = 0  # other matches overlapping an ORG/EVE/POG/FAC span ("دانشگاه تهران")
    iran_matches: int = 0  # matches resolved to an Iranian province or city
    iran_on_loc: int = 0
    iran_on_org: int = 0
    iran_gold: int = 0  # gold LOC spans whose text is an Iranian province/county/city name
    iran_found: int = 0

    @property
    def precision(self) -> float:
        return self.on_loc / self.matches if self.matches else 0.0

    @property
    def precision_lenient(self) -> float:
        return (self.on_loc + self.on_org) / self.matches if self.matches else 0.0

    @property
    def iran_precision(self) -> float:
        return self.iran_on_loc / self.iran_matches if self.iran_matches else 0.0

    @property
    def iran_precision_lenient(self) -> float:
        return (self.iran_on_loc + self.iran_on_org) / self.iran_matches if self.iran_matches else 0.0

    @property
    def iran_recall(self) -> float:
        return self.iran_found / self.iran_gold if self.iran_gold else 0.0

    def __str__(self) -> str:
        return (
            f"{self.corpus}/{self.split}: {self.sentences} sentences, {self.matches} matches; "
            f"precision {self.precision:.3f} (LOC), {self.precision_lenient:.3f} (LOC or inside ORG/EVE); "
            f"Iranian places: precision {self.iran_precision:.3f} / {self.iran_precision_lenient:.3f} "
            f"of {self.iran_matches}, "
            f"recall {self.iran_recall:.3f} of {self.iran_gold} gold LOC spans naming an Iranian place"
        )


def _overlaps(a: int, b: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


def score_ner(corpus: str, split: str, gazetteer: Gazetteer | None = None) -> NerScore:
    """Precision of place matches against LOC tags, recall of Iranian place names."""
    gaz = gazetteer or default_gazetteer()
    reference = iranian_place_names()
    score = NerScore(corpus, split)
    for sentence in read_conll(corpus, split):
        score.sentences += 1
        text, spans = entity_spans(sentence)
        norm = normalize_for_matching(text)
        locs = [(s, e) for s, e, t in spans if t == "LOC"]
        orgs = [(s, e) for s, e, t in spans if t in ("ORG", "EVE", "POG", "FAC")]
        found: list[tuple[int, int]] = []
        for m in find_places(norm.text, "fa", gaz):
            a, b = norm.span_to_original(m.start, m.end)
            found.append((a, b))
            hit = _overlaps(a, b, locs)
            score.matches += 1
            score.on_loc += hit
            in_org = (not hit) and _overlaps(a, b, orgs)
            score.on_org += in_org
            if m.place.country == "IR" and m.place.precision != "country":
                score.iran_matches += 1
                score.iran_on_loc += hit
                score.iran_on_org += in_org
        for s, e in locs:
            if fold(text[s:e]) in reference:
                score.iran_gold += 1
                score.iran_found += _overlaps(s, e, found)
    return score


# -- ACLED ---------------------------------------------------------------------------------------


@dataclass
class AcledScore:
    rows: int = 0
    with_place: int = 0  # rows where an Iranian province or city was found in the notes
    first_agrees: int = 0  # ... and the first one's admin1 equals the row's admin1
    with_city: int = 0
    city_agrees: int = 0

    @property
    def coverage(self) -> float:
        return self.with_place / self.rows if self.rows else 0.0

    @property
    def agreement(self) -> float:
        return self.first_agrees / self.with_place if self.with_place else 0.0

    @property
    def city_agreement(self) -> float:
        return self.city_agrees / self.with_city if self.with_city else 0.0

    def __str__(self) -> str:
        return (
            f"ACLED Iran rows: {self.rows}; notes with an Iranian place {self.coverage:.3f}; admin1 of the "
            f"first place = row admin1 in {self.agreement:.3f}; of the first city in {self.city_agreement:.3f} "
            f"({self.with_city} rows)"
        )


def score_acled(gazetteer: Gazetteer | None = None) -> AcledScore:
    """Compare the admin1 of places found in ACLED's English notes with the rows' admin1."""
    gaz = gazetteer or default_gazetteer()
    by_name = {fold(p.name): p.admin1 for p in gaz.provinces()}
    for p in gaz.provinces():
        for name in gaz.names(p.place_id):
            by_name.setdefault(fold(name), p.admin1)
    score = AcledScore()
    with gzip.open(ACLED, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["country"] != "Iran":
                continue
            score.rows += 1
            gold = by_name[fold(row["admin1"])]
            matches = find_places(normalize_for_matching(row["notes"]).text, "en", gaz)
            iranian = [m.place for m in matches if m.place.country == "IR" and m.place.admin1]
            cities = [p for p in iranian if p.precision == "city"]
            if iranian:
                score.with_place += 1
                score.first_agrees += iranian[0].admin1 == gold
            if cities:
                score.with_city += 1
                score.city_agrees += cities[0].admin1 == gold
    return score


# -- OSM province polygons -----------------------------------------------------------------------

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # outer ring, then holes


def load_province_polygons() -> dict[str, list[Polygon]]:
    """ISO 3166-2 -> list of polygons (lon, lat) from the OSM GeoJSON."""
    with gzip.open(OSM_PROVINCES, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    out: dict[str, list[Polygon]] = {}
    for feature in data["features"]:
        iso = feature["properties"]["tags"]["ISO3166-2"]
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[iso] = [[[(float(x), float(y)) for x, y in ring] for ring in poly] for poly in polys]
    return out


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_polygons(lon: float, lat: float, polygons: Sequence[Polygon]) -> bool:
    """Even-odd ray casting; holes excluded."""
    for poly in polygons:
        if poly and _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, hole) for hole in poly[1:]):
            return True
    return False


def polygon_agreement(
    min_population: int = 15_000, gazetteer: Gazetteer | None = None
) -> tuple[int, int, list[str]]:
    """(inside, total, misses) for Iranian cities of at least ``min_population`` people."""
    gaz = gazetteer or default_gazetteer()
    polygons = load_province_polygons()
    inside = total = 0
    misses: list[str] = []
    for place in gaz.places():
        if place.country != "IR" or place.precision != "city" or place.population < min_population:
            continue
        assert place.admin1 and place.lat is not None and place.lon is not None
        total += 1
        if point_in_polygons(place.lon, place.lat, polygons[place.admin1]):
            inside += 1
        else:
            misses.append(f"{place.place_id} {place.name} {place.admin1}")
    return inside, total, misses


# -- speed ---------------------------------------------------------------------------------------


def chunks(texts: Iterator[str] | Sequence[str], size: int = 1000) -> list[str]:
    """Texts of exactly ``size`` characters cut from a stream of sentences."""
    out: list[str] = []
    current = ""
    for text in texts:
        current += text + " "
        while len(current) >= size:
            out.append(current[:size])
            current = current[size:]
    return out


def throughput(texts: Sequence[str], lang: str, gazetteer: Gazetteer | None = None, repeat: int = 3) -> float:
    """Best texts/second over ``repeat`` runs (texts already normalised)."""
    gaz = gazetteer or default_gazetteer()
    find_places("", lang, gaz)  # build the index outside the timing
    best = 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text in texts:
            find_places(text, lang, gaz)
        best = max(best, len(texts) / (time.perf_counter() - t0))
    return best


def main() -> None:
    t0 = time.perf_counter()
    gaz = Gazetteer.from_package()
    print(f"gazetteer {gaz.version}: {len(gaz)} places, loaded in {time.perf_counter() - t0:.3f} s")
    for corpus in ("peyma", "parstwiner"):
        for split in ("train", "dev", "test"):
            print(score_ner(corpus, split, gaz))
    print(score_acled(gaz))
    inside, total, misses = polygon_agreement(15_000, gaz)
    print(
        f"OSM polygons: {inside}/{total} = {inside / total:.3f} of cities >= 15,000 inside their province; {misses}"
    )
    inside, total, _ = polygon_agreement(0, gaz)
    print(f"OSM polygons: {inside}/{total} = {inside / total:.3f} of all Iranian places")
    fa = chunks(" ".join(t for t, _ in s) for s in read_conll("peyma", "train"))
    with gzip.open(ACLED, "rt", encoding="utf-8") as fh:
        en = chunks(row["notes"] for row in csv.DictReader(fh))
    fa = [normalize_for_matching(t).text for t in fa]
    en = [normalize_for_matching(t).text for t in en]
    print(
        f"speed: {throughput(fa, 'fa', gaz):.0f} Persian and {throughput(en, 'en', gaz):.0f} English "
        f"1,000-character texts/s ({len(fa)} and {len(en)} texts)"
    )


if __name__ == "__main__":
    main()
