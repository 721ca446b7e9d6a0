"""The packaged gazetteer: loading, ids, look-ups, data quality."""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from eventledger.geocode import Gazetteer, default_gazetteer
from eventledger.geocode.matcher import find_places
from eventledger.records import Place

ISO_RE = re.compile(r"^IR-(0\d|[12]\d|30)$")


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("eventledger").joinpath("data/gazetteer", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_default_is_cached(gazetteer: Gazetteer) -> None:
    assert default_gazetteer() is gazetteer
    assert Gazetteer.default() is gazetteer


def test_loads_from_the_package() -> None:
    # its load time is a bench figure (``python tests/geocode/_eval.py``), not a timed test
    gaz = Gazetteer.from_package()
    assert len(gaz) > 3000


def test_version_is_a_stable_hash(gazetteer: Gazetteer) -> None:
    assert re.fullmatch(r"gaz-[0-9a-f]{12}", gazetteer.version)
    assert Gazetteer.from_package().version == gazetteer.version


def test_provinces(gazetteer: Gazetteer) -> None:
    provinces = gazetteer.provinces()
    assert [p.place_id for p in provinces] == [f"IR-{i:02d}" for i in range(31)]
    tehran = gazetteer.province("IR-23")
    assert (tehran.name, tehran.name_fa, tehran.precision, tehran.country) == (
        "Tehran",
        "تهران",
        "province",
        "IR",
    )
    assert gazetteer.province("IR-30").name == "Alborz"
    assert gazetteer.province("IR-05").name_fa == "کرمانشاه"
    for p in provinces:
        assert p.admin1 == p.place_id and p.lat is not None and p.lon is not None
        assert 25 < p.lat < 40 and 44 < p.lon < 64


def test_geonames_codes_are_not_iso() -> None:
    codes = {r["iso"]: r["geonames_admin1"] for r in _rows("provinces.csv")}
    assert codes["IR-23"] == "26"  # Tehran
    assert codes["IR-30"] == "44"  # Alborz
    assert len(set(codes.values())) == 31


def test_province_aliases(gazetteer: Gazetteer) -> None:
    for surface, iso in [
        ("Kordestan", "IR-12"),
        ("Kurdistan province", "IR-12"),
        ("Azarbaijan-e Gharbi", "IR-04"),
        ("West Azarbaijan", "IR-04"),
        ("استان تهران", "IR-23"),
        ("آذربایجان غربی", "IR-04"),
        ("سیستان و بلوچستان", "IR-11"),
        ("سیستان وبلوچستان", "IR-11"),
        ("Sistan-Baluchestan", "IR-11"),
        ("چهارمحال و بختیاری", "IR-14"),
        ("کهگیلویه و بویراحمد", "IR-17"),
        ("Khorasan-e Razavi", "IR-09"),
    ]:
        ids = {p.place_id for p in gazetteer.lookup(surface)}
        assert iso in ids, surface


def test_ids_and_by_id(gazetteer: Gazetteer) -> None:
    tehran = gazetteer.by_id("gn:112931")
    assert tehran is not None and tehran.name == "Tehran" and tehran.admin1 == "IR-23"
    assert tehran.precision == "city" and tehran.population > 5_000_000
    assert gazetteer.by_id("IR-23") == gazetteer.province("IR-23")
    assert gazetteer.by_id("cc:FR") == gazetteer.country("FR")
    assert gazetteer.by_id("gn:0") is None
    for place in gazetteer.places():
        assert isinstance(place, Place)
        assert re.fullmatch(
            r"gn:\d+|IR-\d\d|cc:[A-Z]{2}|(?:rg|st|tw):[A-Z]{2}\.[a-z0-9-]+|ds:[A-Z]{2}\.[a-z0-9-]+\.[a-z0-9-]+",
            place.place_id,
        )


def test_iranian_places(gazetteer: Gazetteer) -> None:
    iranian = [p for p in gazetteer.places() if p.country == "IR" and p.precision == "city"]
    towns = [r for r in _rows("towns_ir.csv") if r["id"].startswith("tw:")]  # (gn: rows spell GeoNames towns)
    assert len(iranian) == len(_rows("places_ir.csv")) + len(towns) >= 2400
    assert all(p.admin1 and ISO_RE.match(p.admin1) for p in iranian)
    assert sum(1 for p in iranian if p.name_fa) / len(iranian) > 0.95
    # Urdu/Kurdish letters never reach the Persian names
    assert not any(re.search("[ہھےەڕێۆ]", p.name_fa or "") for p in iranian)


def test_lookup_variants(gazetteer: Gazetteer) -> None:
    def ids(surface: str) -> set[str]:
        return {p.place_id for p in gazetteer.lookup(surface)}

    assert "gn:122285" in ids("Neyshabur") & ids("Nishapur") & ids("Nishabur") & ids("نیشابور")
    assert "gn:121801" in ids("Urmia") & ids("Orumiyeh") & ids("Orumieh") & ids("Urumieh") & ids("ارومیه")
    assert "gn:135175" in ids("Eslamabad-e Gharb") & ids("Islamabad-e Gharb") & ids("Eslamabad Gharb")
    assert "gn:135175" in ids("اسلام‌آباد غرب") & ids("اسلام آباد غرب") & ids("Eslāmābād-e Gharb")
    assert "gn:418863" in ids("Isfahan") & ids("Esfahan") & ids("اصفهان")
    assert "gn:144448" in ids("Ahvaz") & ids("Ahwaz") & ids("اهواز")
    assert "gn:119505" in ids("Ghazvin") and "gn:119208" in ids("Ghom")
    assert "gn:9533872" in ids("Rey") & ids("Ray") & ids("شهر ری")
    rezvanshahr = [p for p in gazetteer.lookup("Rezvanshahr") if p.admin1 == "IR-01"]
    assert rezvanshahr and rezvanshahr[0].place_id == "gn:118532"


def test_junk_aliases_are_dropped(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("shhrk qds") == []  # romanised without vowels
    assert gazetteer.lookup("Tehrani") == [] and gazetteer.lookup("تهرانی") == []
    assert all(p.country != "IR" for p in gazetteer.lookup("Alexandria"))  # not Mashhad
    assert "gn:143127" not in {p.place_id for p in gazetteer.lookup("ساوه")}  # Saveh is not Arak
    assert "gn:120292" not in {p.place_id for p in gazetteer.lookup("کرج")}  # Karaj is not Qods


def test_admin1_corrections(gazetteer: Gazetteer) -> None:
    fardis = gazetteer.by_id("gn:6657205")
    karaj = gazetteer.by_id("gn:128747")
    tabas = gazetteer.by_id("gn:113659")
    assert fardis and karaj and tabas
    assert fardis.admin1 == karaj.admin1 == "IR-30"
    assert tabas.admin1 == "IR-29"


def test_countries(gazetteer: Gazetteer) -> None:
    us = gazetteer.country("US")
    assert us.precision == "country" and us.country == "US" and us.admin1 is None and us.name_fa
    for surface in ("US", "USA", "United States", "America", "آمریکا", "ایالات متحده"):
        assert us in gazetteer.lookup(surface), surface
    uk = gazetteer.country("GB")
    for surface in ("UK", "Britain", "England", "انگلیس", "بریتانیا"):
        assert uk in gazetteer.lookup(surface), surface
    nl = gazetteer.country("NL")
    assert nl in gazetteer.lookup("Holland") and nl in gazetteer.lookup("هلند")
    assert gazetteer.country("ir").name_fa == "ایران"
    rows = _rows("countries.csv")
    assert len(rows) > 240 and sum(1 for r in rows if r["name_fa"]) >= 220


def test_small_states_and_territories_in_persian(gazetteer: Gazetteer) -> None:
    """Every state has a Persian name (a parcel bomb in Monaco is placed there), as have the territories news
    name; «موریس» (also a given name) and «جرزی» (the second word of «نیو جرزی») name no country."""
    for text, cc in [
        ("در پی انفجار یک بسته در مقابل ساختمانی در موناکو سه نفر مصدوم شدند", "MC"),
        ("تجمع در گرینلند", "GL"),
        ("بندر جبل الطارق", "GI"),
        ("پایگاه آمریکا در گوام", "GU"),
        ("لیختن‌اشتاین", "LI"),
    ]:
        assert [p.place.country for p in find_places(text, "fa", gazetteer)][-1] == cc, text
    assert find_places("موریس گفت", "fa", gazetteer) == []
    # every national capital news names has a Persian name, written apart or joined («مکزیکو سیتی», «مکزیکوسیتی»)
    for text, cc in [
        ("در مکزیکو سیتی", "MX"),
        ("در مکزیکوسیتی", "MX"),
        ("در کیگالی", "RW"),
        ("در پنوم پن", "KH"),
    ]:
        assert [p.place.country for p in find_places(text, "fa", gazetteer)] == [cc], text
    assert [p.place.precision for p in find_places("در گواتمالا سیتی", "fa", gazetteer)] == ["city"]
    assert [p.place.country for p in find_places("ایالت نیو جرزی", "fa", gazetteer)] in ([], ["US"])


def test_world_cities(gazetteer: Gazetteer) -> None:
    rows = _rows("places_world.csv")
    assert sum(1 for r in rows if r["name_fa"]) >= 40
    for en, fa, cc in [
        ("Paris", "پاریس", "FR"),
        ("Berlin", "برلین", "DE"),
        ("London", "لندن", "GB"),
        ("Geneva", "ژنو", "CH"),
        ("Strasbourg", "استراسبورگ", "FR"),
        ("The Hague", "لاهه", "NL"),
        ("Erbil", "اربیل", "IQ"),
        ("Sulaymaniyah", "سلیمانیه", "IQ"),
        ("Istanbul", "استانبول", "TR"),
        ("Kabul", "کابل", "AF"),
        ("Dubai", "دبی", "AE"),
        ("Moscow", "مسکو", "RU"),
        ("Beijing", "پکن", "CN"),
        ("Washington", "واشنگتن", "US"),
    ]:
        found = [p for p in gazetteer.lookup(en) if p.country == cc and p.precision == "city"]
        assert found, en
        assert found[0].admin1 is None and found[0] in gazetteer.lookup(fa), en


@pytest.mark.parametrize(
    ("text", "cc"),
    [
        ("نیروهای آمریکایی و گروه‌های عراقی در رمادی درگیر شدند", "IQ"),  # Ramadi
        ("انفجار خودروی بمب‌گذاری شده در حمص", "SY"),  # Homs
        ("درگیری‌ها در عدن ادامه دارد", "YE"),  # Aden
        ("طالبان به قندوز حمله کردند", "AF"),  # Kunduz
        ("انفجار در شهر تلعفر", "IQ"),  # Tal Afar: no population on record, with its cue
        ("تظاهرات در شیکاگو", "US"),
    ],
)
def test_persian_names_of_towns_abroad(gazetteer: Gazetteer, text: str, cc: str) -> None:
    assert [p.place.country for p in find_places(text, "fa", gazetteer)] == [cc]


@pytest.mark.parametrize(
    ("text", "cc"),
    [
        ("Clashes in Tripoli, Lebanon", "LB"),
        ("Clashes in Tripoli", "LY"),  # the largest, where no country says otherwise
        ("Gunmen in Hyderabad in southern Pakistan", "PK"),
        ("Gunmen in Hyderabad, Pakistan", "PK"),
        ("Gunmen in Hyderabad", "IN"),
    ],
)
def test_a_town_abroad_is_the_one_in_the_country_named(gazetteer: Gazetteer, text: str, cc: str) -> None:
    assert find_places(text, "en" if text.isascii() else "fa", gazetteer)[0].place.country == cc


def test_small_towns_abroad_need_a_cue_in_persian(gazetteer: Gazetteer) -> None:
    assert find_places("تلعفر", "fa", gazetteer) == []
    # and the words kept out of the list stay words («بر من»: on me, not Bremen)
    assert find_places("این خبر بر من اثر گذاشت و جنین سالم است", "fa", gazetteer) == []


def test_csv_rows_are_sorted() -> None:
    for name in ("places_ir.csv", "places_world.csv"):
        ids = [int(r["geonameid"]) for r in _rows(name)]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [r["iso2"] for r in _rows("countries.csv")] == sorted(r["iso2"] for r in _rows("countries.csv"))


def test_attribution_readme() -> None:
    text = resources.files("eventledger").joinpath("data/gazetteer/README.md").read_text(encoding="utf-8")
    assert "Contains data from GeoNames (geonames.org), licensed under CC BY 4.0" in text
    assert "python tools/build_gazetteer.py" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a region abroad where the text calls it one; the nearest type noun names the name's type
        # (GeoNames files the district Ghormach under Badghis: a district is read where called one)
        (
            "Militants took the base in Ghormach district of Faryab province.",
            [("Ghormach", "ds:AF.badghis.ghormach"), ("Faryab", "rg:AF.faryab")],
        ),
        ("Gunmen attacked a village in Borno state on Monday.", [("Borno", "rg:NG.borno")]),
        ("Clashes spread across Raqqa governorate.", [("Raqqa", "rg:SY.ar-raqqah")]),
        # a town of another country right before the region is a namesake the gazetteer lacks
        ("Clashes near Hatin Farm in Raqqa province left dozens dead.", [("Raqqa", "rg:SY.ar-raqqah")]),
        # a smallish town abroad of a country the text never names, beside countries it does name
        ("Rebels attacked Kaya, a South Sudanese town on the border with Uganda.", [("Uganda", "cc:UG")]),
        # … but the Persian names of towns abroad are a curated few: Russian jets over Idlib
        (
            "جنگنده‌های روسیه مواضع تروریست‌ها در ادلب را بمباران کردند.",
            [("روسیه", "cc:RU"), ("ادلب", "gn:169389")],
        ),
        # «گویان» ("saying", as in «یا حسین گویان») is Guyana only after a strong cue
        ("عزاداران یا حسین گویان در خیابان‌ها حرکت کردند.", []),
        # without the word, no region: division names are often common words or town names
        ("Fighting in Helmand continued.", []),
        ("Protesters gathered in the Eastern province.", []),  # whose? no country says
        # ... except well-known regions where a cue places something in them, never before another
        # capitalised word (a person, a longer name)
        (
            "Protests spread in Texas and California.",
            [("Texas", "rg:US.texas"), ("California", "rg:US.california")],
        ),
        ("Gunmen opened fire in a hospital in Kashmir.", [("Kashmir", "rg:IN.kashmir")]),
        (
            "An IED went off in south Kashmir's Pulwama district.",
            [("Kashmir", "rg:IN.kashmir"), ("Pulwama", "ds:IN.kashmir.pulwama")],
        ),
        ("Talks in Texas Instruments' offices", []),
        ("The region is Kashmir.", []),
        # districts abroad only where the text calls them one
        ("A shooting in Orange County, police said.", [("Orange County", "ds:US.california.orange-county")]),
        ("A grenade in the district of Pulwama.", [("Pulwama", "ds:IN.kashmir.pulwama")]),
        ("He was born in Pulwama.", []),
        # another romanisation of a region or district the text calls one
        ("An onslaught by the Taliban in the northern Jawzjan province", [("Jawzjan", "rg:AF.jowzjan")]),
        (
            "Militants recaptured the coast town of Badhadhe in Lower Jubba region",
            [("Lower Jubba", "rg:SO.lower-juba")],
        ),
        ("Islamic State fighters surrendered.", []),
        # generic words before a type noun are never read through a skeleton
        ("Fighting in the Border region on Monday.", []),
        ("Clashes in the Southern district and the Mountain province.", []),
        # Iranian provinces and towns are read as before
        (
            "Sardasht city, West Azerbaijan province",
            [("Sardasht", "gn:117111"), ("West Azerbaijan province", "IR-04")],
        ),
    ],
)
def test_regions_abroad_need_the_word(
    gazetteer: Gazetteer, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(p.surface, p.place.place_id) for p in find_places(text, "en", gazetteer)] == expected
    assert len(gazetteer.provinces()) == 31  # Iran's, not the regions abroad


def test_the_people_of_a_small_town_name_it(gazetteer: Gazetteer) -> None:
    # «مردم X», «اهالی X»: the people or residents of a town place it like «در X»
    assert [p.place.admin1 for p in find_places("حضور مردم آبیک در راهپیمایی", "fa", gazetteer)] == ["IR-26"]
    assert find_places("مردم مهربان این شهر", "fa", gazetteer) == []


def test_the_first_word_of_a_longer_name_is_no_town(gazetteer: Gazetteer) -> None:
    assert find_places("a blast at a bus station in San Isidro Huilotepec", "en", gazetteer) == []
    assert [p.place.country for p in find_places("the town of San, Mali", "en", gazetteer)] == ["ML", "ML"]


def test_military_bases_abroad_are_places_of_their_country(gazetteer: Gazetteer) -> None:
    # sites_world.csv: bases that war news name without their town or country («پایگاه‌های هوایی علی‌السالم و
    # احمدالجابر», "Ain al-Asad") are places of their own, in their country; ids sorted and unique
    text = "هجده هدف در پایگاه های هوایی علی السالم و احمدالجابر و همچنین پایگاه های هوایی شیخ عیسی را زدند"
    assert [(m.surface, m.place.country) for m in find_places(text, "fa", gazetteer)] == [
        ("علی السالم", "KW"),
        ("احمدالجابر", "KW"),
        ("شیخ عیسی", "BH"),
    ]
    found = find_places("Rockets hit Ain al-Asad and Camp Taji; Al Udeid was on alert.", "en", gazetteer)
    assert [(m.place.place_id, m.place.country) for m in found] == [
        ("st:IQ.ain-al-asad", "IQ"),
        ("st:IQ.taji", "IQ"),
        ("st:QA.al-udeid", "QA"),
    ]
    ids = [r["id"] for r in _rows("sites_world.csv")]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and all(i.startswith("st:") for i in ids)
    # Camp Buehring by the range it stands at («پاسخ … را با حمله به پایگاه العدیری دادیم»); Muwaffaq Salti by its town
    assert [m.place.place_id for m in find_places("با حمله به پایگاه العدیری", "fa", gazetteer)] == [
        "st:KW.camp-buehring"
    ]
    assert [m.place.place_id for m in find_places("پایگاه «الازرق» را هدف قرار دادند", "fa", gazetteer)] == [
        "st:JO.muwaffaq-salti"
    ]


def test_iranian_towns_geonames_lacks_are_places_of_their_province(gazetteer: Gazetteer) -> None:
    # towns_ir.csv: a county seat that GeoNames' towns of 500+ lack («نقاطی در حوالی سیریک …»); a name that is also a
    # common word or a bank's («بانک پارسیان») only after a cue
    found = find_places("نقاطی در حوالی سیریک هدف حمله قرار گرفت", "fa", gazetteer)
    assert [(m.surface, m.place.admin1) for m in found] == [("سیریک", "IR-22")]
    assert find_places("حساب در بانک پارسیان", "fa", gazetteer) == []
    assert [m.place.admin1 for m in find_places("در شهر پارسیان", "fa", gazetteer)] == ["IR-22"]
    # islands after «جزیره» or before "island"; a common word stays one («احساس سیری», «در هنگام انفجار»)
    assert [m.place.place_id for m in find_places("حمله به جزیره لاوان", "fa", gazetteer)] == ["tw:IR.lavan"]
    assert [m.place.place_id for m in find_places("a tanker off Lavan Island", "en", gazetteer)] == [
        "tw:IR.lavan"
    ]
    assert [m.place.admin1 for m in find_places("زائران در مرز شلمچه", "fa", gazetteer)] == ["IR-06"]
    assert find_places("احساس سیری کردند", "fa", gazetteer) == []
    assert find_places("در هنگام انفجار", "fa", gazetteer) == []
    assert [m.place.place_id for m in find_places("در جزیره خارک", "fa", gazetteer)] == ["gn:130216"]
    # a GeoNames town by its id takes other spellings: «خارگ» beside GeoNames' «خارک», «سرپل ذهاب» beside «سر پل ذهاب»
    assert [m.place.place_id for m in find_places("حمله به خارگ", "fa", gazetteer)] == ["gn:130216"]
    assert [m.place.place_id for m in find_places("زلزله در سرپل ذهاب", "fa", gazetteer)] == ["gn:120931"]
    assert [m.place.admin1 for m in find_places("انفجار در پارچین", "fa", gazetteer)] == ["IR-23"]
    rows = _rows("towns_ir.csv")
    ids = [r["id"] for r in rows]
    assert (
        ids == sorted(ids) and len(set(ids)) == len(ids) and all(i.startswith(("tw:IR.", "gn:")) for i in ids)
    )
    assert all(ISO_RE.match(r["admin1"]) for r in rows)
    for r in rows:
        if r["id"].startswith("gn:"):  # spellings of a GeoNames town of that province
            known = gazetteer.by_id(r["id"])
            assert known is not None and known.admin1 == r["admin1"], r["name"]
    # none of the others is already a GeoNames town of the same province
    for r in (r for r in rows if r["id"].startswith("tw:")):
        assert not any(
            p.place_id.startswith("gn:") and p.admin1 == r["admin1"] for p in gazetteer.lookup(r["name_fa"])
        ), r["name"]
