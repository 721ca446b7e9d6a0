"""The project's gazetteer, read from the CSV files packaged in ``eventledger/data/gazetteer``.

Place ids:

* ``gn:<geonameid>`` — a city, town or village (in Iran or abroad), precision ``city``;
* ``IR-23`` — an Iranian province (ISO 3166-2), precision ``province``;
* ``cc:FR`` — a country (ISO 3166-1 alpha-2), precision ``country``;
* ``rg:AF.faryab`` — a first-level region abroad (province, state, governorate), precision
  ``province``, no ``admin1`` (tallies count it under its country); the matcher reads one only
  where the text calls it a region ("Faryab province", "Rivers state") or, if it is well known,
  where a cue places something in it ("in Texas");
* ``ds:IN.kashmir.pulwama`` — a second-level division abroad (district, county), precision
  ``county``, no ``admin1``; read only where the text calls it one ("Pulwama district").

Every name and alias is indexed under its :func:`~eventledger.normalize.text.fold` key, so
``lookup("Eslāmābād-e Gharb")``, ``lookup("eslamabad e gharb")`` and ``lookup("اسلام‌آباد غرب")``
return the same place.  The files are rebuilt with ``python tools/build_gazetteer.py``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from eventledger.errors import NotFoundError
from eventledger.normalize.text import fold
from eventledger.records import Place, PlacePrecision

DATA_PACKAGE = "eventledger"
DATA_DIR = "data/gazetteer"
DATA_FILES = (
    "provinces.csv",
    "places_ir.csv",
    "countries.csv",
    "places_world.csv",
    "demonyms.csv",
    "regions_world.csv",
    "districts_world.csv",
    "sites_world.csv",
    "towns_ir.csv",
)
# a gazetteer built from texts without these (an older set of files) simply lacks them
_OPTIONAL_FILES = frozenset({"districts_world.csv", "sites_world.csv", "towns_ir.csv"})
# ids of first-level regions abroad ("rg:AF.faryab"): named only where the text calls them one
REGION_PREFIX = "rg:"
# ids of second-level divisions abroad ("ds:IN.kashmir.pulwama"): only where the text calls them one
DISTRICT_PREFIX = "ds:"


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    """Gazetteer facts about a place that :class:`~eventledger.records.Place` does not carry."""

    major: bool = False  # hand-listed important place (always matched, like big cities)
    capital_of: str | None = None  # ISO 3166-2 code of the province whose capital this city is
    national_capital: bool = False
    towns: int = 0  # a region abroad: how many GeoNames towns of 1,000+ people it holds


def _read(name: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath(DATA_DIR, name).read_text(encoding="utf-8")


def _float(value: str) -> float | None:
    return float(value) if value else None


def _split(aliases: str) -> list[str]:
    return [a for a in aliases.split("|") if a]


def _abroad(row: Mapping[str, str], place_id: str, population: int) -> Place:
    """A town or site abroad from its CSV row (``name``, ``name_fa``, ``country``, ``lat``, ``lon``)."""
    return Place(
        place_id=place_id,
        name=row["name"],
        name_fa=row["name_fa"] or None,
        country=row["country"],
        admin1=None,
        lat=_float(row["lat"]),
        lon=_float(row["lon"]),
        precision="city",
        population=population,
    )


def _in_iran(
    row: Mapping[str, str],
    place_id: str,
    name: str,
    admin1: str | None,
    precision: PlacePrecision,
    population: int = 0,
) -> Place:
    """A province or town of Iran from its CSV row (``name_fa``, ``lat``, ``lon``)."""
    return Place(
        place_id=place_id,
        name=name,
        name_fa=row["name_fa"] or None,
        country="IR",
        admin1=admin1,
        lat=_float(row["lat"]),
        lon=_float(row["lon"]),
        precision=precision,
        population=population,
    )


def _is_acronym(name: str) -> bool:
    """'US', 'U.K.', 'UAE': all capitals, at most four letters (matched only in upper case)."""
    letters = [ch for ch in name if ch.isalpha()]
    return 2 <= len(letters) <= 4 and all(ch.isascii() and ch.isupper() for ch in letters)


class Gazetteer:
    """Places and their names, indexed by :func:`~eventledger.normalize.text.fold` key.

    Use :meth:`default` (cached) rather than constructing one per call.
    """

    def __init__(self, texts: Mapping[str, str]) -> None:
        """Build from the CSV texts keyed by file name (see :data:`DATA_FILES`)."""
        self._places: dict[str, Place] = {}
        self._info: dict[str, PlaceInfo] = {}
        self._index: dict[str, list[Place]] = {}
        self._names: dict[str, list[str]] = {}
        self._acronyms: set[str] = set()
        self._spaced: set[str] = set()
        self._capitals: dict[str, str] = {}  # ISO 3166-1 alpha-2 -> place id of the national capital
        digest = hashlib.sha256()
        for name in DATA_FILES:
            if name in _OPTIONAL_FILES and name not in texts:
                continue
            digest.update(name.encode())
            digest.update(texts[name].encode("utf-8"))
        self.version: str = "gaz-" + digest.hexdigest()[:12]
        capitals = self._load_provinces(texts["provinces.csv"])
        self._load_iran(texts["places_ir.csv"], capitals)
        self._load_countries(texts["countries.csv"])
        self._load_world(texts["places_world.csv"])
        self._load_divisions(texts["regions_world.csv"], "province")
        self._load_divisions(texts.get("districts_world.csv", ""), "county")
        self._load_sites(texts.get("sites_world.csv", ""))
        self._load_towns(texts.get("towns_ir.csv", ""))
        # "Syrian", «عراقی» → the country (country,en,fa; several spellings split by "|")
        self._demonyms: dict[str, dict[str, str]] = {"en": {}, "fa": {}}
        for row in self._rows(texts.get("demonyms.csv", "country,en,fa\n")):
            for lang in ("en", "fa"):
                for word in _split(row[lang]):
                    self._demonyms[lang][word if lang == "fa" else word.lower()] = row["country"]

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_package(cls) -> Gazetteer:
        """Load the CSV files shipped in ``eventledger/data/gazetteer``."""
        return cls({name: _read(name) for name in DATA_FILES})

    @classmethod
    def default(cls) -> Gazetteer:
        """The packaged gazetteer, loaded once per process."""
        return default_gazetteer()

    @staticmethod
    def _rows(text: str) -> Iterator[dict[str, str]]:
        return csv.DictReader(io.StringIO(text))

    def _add(self, place: Place, names: Iterable[str], info: PlaceInfo) -> None:
        self._places[place.place_id] = place
        self._info[place.place_id] = info
        spelled: list[str] = []
        for name in names:
            if not name:
                continue
            key = fold(name)
            if not key:
                continue
            spelled.append(name)
            bucket = self._index.setdefault(key, [])
            if place not in bucket:
                bucket.append(place)
            if _is_acronym(name):
                self._acronyms.add(key)
            # a port's name is written glued or apart alike («بندرعباس», «بندر عباس»)
            if any(ch in name for ch in " \u200c-") or (name.startswith("بندر") and len(name) > 5):
                self._spaced.add(key)
        self._names[place.place_id] = spelled

    def _load_provinces(self, text: str) -> dict[str, str]:
        capitals: dict[str, str] = {}
        for row in self._rows(text):
            place = _in_iran(row, row["iso"], row["name_en"], row["iso"], "province")
            self._add(place, [row["name_en"], row["name_fa"], *_split(row["aliases"])], PlaceInfo(major=True))
            capitals[row["capital"]] = row["iso"]
        return capitals

    def _load_iran(self, text: str, capitals: Mapping[str, str]) -> None:
        for row in self._rows(text):
            gid = row["geonameid"]
            place = _in_iran(
                row, f"gn:{gid}", row["name"], row["admin1"] or None, "city", int(row["population"] or 0)
            )
            info = PlaceInfo(major=row["major"] == "1", capital_of=capitals.get(gid))
            self._add(place, [row["name"], row["name_fa"], *_split(row["aliases"])], info)

    def _load_countries(self, text: str) -> None:
        for row in self._rows(text):
            place = Place(
                place_id=f"cc:{row['iso2']}",
                name=row["name_en"],
                name_fa=row["name_fa"] or None,
                country=row["iso2"],
                admin1=None,
                lat=_float(row["lat"]),
                lon=_float(row["lon"]),
                precision="country",
                population=int(row["population"] or 0),
            )
            self._add(place, [row["name_en"], row["name_fa"], *_split(row["aliases"])], PlaceInfo(major=True))
            if row.get("capital"):
                self._capitals[row["iso2"]] = f"gn:{row['capital']}"

    def _load_world(self, text: str) -> None:
        for row in self._rows(text):
            place = _abroad(row, f"gn:{row['geonameid']}", int(row["population"] or 0))
            info = PlaceInfo(major=row["major"] == "1", national_capital=row["capital"] == "1")
            self._add(place, [row["name"], row["name_fa"], *_split(row["aliases"])], info)

    def _load_sites(self, text: str) -> None:
        """Military bases abroad that news name without their town or country («پایگاه‌های هوایی علی‌السالم و
        احمدالجابر», "Ain al-Asad"): hand-written facts, each a place of its own in its country (``st:`` ids),
        always matched like a big city."""
        for row in self._rows(text):
            place = _abroad(row, row["id"], 0)
            self._add(place, [row["name"], row["name_fa"], *_split(row["aliases"])], PlaceInfo(major=True))

    def _load_towns(self, text: str) -> None:
        """Iranian towns that GeoNames' towns of 500+ lack though war news name them («حوالی سیریک»): hand-written
        facts (``tw:`` ids), in their province; ``major`` ones matched without a cue, the others (names that are
        also common words, «بانک پارسیان») only after one. A row with a GeoNames id (``gn:``) adds spellings to that
        town («خارگ» for GeoNames' «خارک»)."""
        for row in self._rows(text):
            names = [row["name"], row["name_fa"], *_split(row["aliases"])]
            known = self._places.get(row["id"])
            if known is not None:
                # a GeoNames town by its id: only other spellings of it («خارگ» beside GeoNames' «خارک»)
                self._add(known, [*self._names.get(known.place_id, []), *names], self._info[known.place_id])
                continue
            place = _in_iran(row, row["id"], row["name"], row["admin1"], "city")
            self._add(place, names, PlaceInfo(major=row["major"] == "1"))

    def _load_divisions(self, text: str, precision: PlacePrecision) -> None:
        """Regions (``province``) or districts (``county``) abroad: no admin1, tallies by province
        count them under their country."""
        for row in self._rows(text):
            place = Place(
                place_id=row["id"],
                name=row["name"],
                name_fa=None,
                country=row["country"],
                admin1=None,
                lat=_float(row["lat"]),
                lon=_float(row["lon"]),
                precision=precision,
            )
            self._add(place, [row["name"], *_split(row["aliases"])], PlaceInfo(towns=int(row["towns"] or 0)))

    # -- queries --------------------------------------------------------------------------------

    def by_id(self, place_id: str) -> Place | None:
        """The place with this id (``gn:112931``, ``IR-23``, ``cc:FR``), or None."""
        return self._places.get(place_id)

    def lookup(self, surface: str) -> list[Place]:
        """All places one of whose names has the same :func:`fold` key as ``surface``."""
        return list(self._index.get(fold(surface), ()))

    def province(self, iso: str) -> Place:
        """The province with this ISO 3166-2 code (``"IR-23"``); :class:`NotFoundError` if unknown."""
        place = self._places.get(iso.upper())
        if place is None or place.precision != "province":
            raise NotFoundError(
                f"no province {iso!r} in the gazetteer (expected an ISO 3166-2 code such as IR-23)"
            )
        return place

    def country(self, iso2: str) -> Place:
        """The country with this ISO 3166-1 alpha-2 code (``"FR"``); :class:`NotFoundError` if unknown."""
        place = self._places.get(f"cc:{iso2.upper()}")
        if place is None:
            raise NotFoundError(
                f"no country {iso2!r} in the gazetteer (expected an ISO 3166-1 alpha-2 code such as FR)"
            )
        return place

    def capital(self, iso2: str) -> Place | None:
        """A country's national capital ("the Iranian capital" is Tehran), or None when the gazetteer
        does not hold it."""
        place_id = self._capitals.get(iso2)
        return self._places.get(place_id) if place_id else None

    def demonyms(self, lang: str) -> Mapping[str, str]:
        """Adjectives of nationality (lower-cased English, or Persian) → ISO 3166-1 alpha-2 code."""
        return self._demonyms.get(lang, {})

    def info(self, place_id: str) -> PlaceInfo:
        """Extra facts (major, capital) about a place; defaults when unknown."""
        return self._info.get(place_id, PlaceInfo())

    def names(self, place_id: str) -> list[str]:
        """All spellings of a place (name, Persian name, aliases), as stored."""
        return list(self._names.get(place_id, ()))

    def places(self) -> Iterator[Place]:
        """Every place, provinces first, then Iranian places, countries and places abroad."""
        return iter(self._places.values())

    def provinces(self) -> list[Place]:
        """The 31 provinces, by ISO code."""
        return sorted(
            (p for p in self._places.values() if p.precision == "province" and p.country == "IR"),
            key=lambda p: p.place_id,
        )

    @property
    def index(self) -> Mapping[str, list[Place]]:
        """fold key -> candidate places (read-only use)."""
        return self._index

    @property
    def acronym_keys(self) -> frozenset[str]:
        """Keys of names written as acronyms (US, UK, UAE): they only match upper-case text."""
        return frozenset(self._acronyms)

    @property
    def spaced_keys(self) -> frozenset[str]:
        """Keys of names that have a spelling in several words ('اسلام آباد غرب', 'Bandar Abbas')."""
        return frozenset(self._spaced)

    def __len__(self) -> int:
        return len(self._places)

    def __repr__(self) -> str:
        return f"<Gazetteer {self.version}: {len(self._places)} places, {len(self._index)} names>"


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded on first use and cached for the process."""
    return Gazetteer.from_package()
