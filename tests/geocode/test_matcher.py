"""find_places: spans, cues, stoplist, resolution."""

from __future__ import annotations

import pytest

from eventledger.errors import ConfigError
from eventledger.extract.codebook import matching_text
from eventledger.geocode import Gazetteer, PlaceMatch, find_places
from eventledger.geocode.matcher import water_spans
from eventledger.normalize.text import normalize_for_matching, normalize_text


def run(gaz: Gazetteer, text: str, lang: str, **kwargs: object) -> list[PlaceMatch]:
    norm = normalize_for_matching(text).text
    matches = find_places(norm, lang, gaz, **kwargs)  # type: ignore[arg-type]
    for m in matches:
        assert norm[m.start : m.end] == m.surface
    return matches


def summary(matches: list[PlaceMatch]) -> list[tuple[str, str, str | None]]:
    return [(m.surface, m.place.place_id, m.place.admin1) for m in matches]


def test_persian_multi_city_sentence(gazetteer: Gazetteer) -> None:
    matches = run(gazetteer, "در شهرهای تهران، کرج، رشت و اسلام‌آباد غرب تجمع کردند", "fa")
    assert [(m.surface, m.place.admin1, m.place.precision) for m in matches] == [
        ("تهران", "IR-23", "city"),
        ("کرج", "IR-30", "city"),
        ("رشت", "IR-01", "city"),
        ("اسلام‌آباد غرب", "IR-05", "city"),
    ]
    assert matches[0].cue == "شهرهای"


def test_persian_spaced_and_zwnj_forms(gazetteer: Gazetteer) -> None:
    for text in ("تجمع در اسلام‌آباد غرب", "تجمع در اسلام آباد غرب", "تجمع در اسلام آباد  غرب"):
        matches = run(gazetteer, text, "fa")
        assert summary(matches) == [(matches[0].surface, "gn:135175", "IR-05")], text


def test_english_list(gazetteer: Gazetteer) -> None:
    matches = run(gazetteer, "Protests were held in Tehran, Karaj and Mashhad.", "en")
    assert summary(matches) == [
        ("Tehran", "gn:112931", "IR-23"),
        ("Karaj", "gn:128747", "IR-30"),
        ("Mashhad", "gn:124665", "IR-09"),
    ]


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("Farmers gathered in Neyshabur.", "gn:122285"),
        ("Farmers gathered in Nishapur.", "gn:122285"),
        ("A strike in Urmia.", "gn:121801"),
        ("A strike in Orumiyeh.", "gn:121801"),
        ("Teachers protested in Rezvanshahr.", "gn:118532"),
        ("Teachers protested in Eslamabad-e Gharb.", "gn:135175"),
        ("Teachers protested in Islamabad-e Gharb.", "gn:135175"),
        ("Clashes in Ahwaz and Esfahan", "gn:144448"),
        ("Workers of Shahrekord", "gn:115770"),
    ],
)
def test_transliteration_variants(gazetteer: Gazetteer, text: str, place_id: str) -> None:
    assert run(gazetteer, text, "en")[0].place.place_id == place_id


def test_eslamabad_e_gharb_is_kermanshah(gazetteer: Gazetteer) -> None:
    for text, lang in (
        ("in Eslamabad-e Gharb", "en"),
        ("در اسلام‌آباد غرب", "fa"),
        ("Eslamabad Gharb county", "en"),
    ):
        matches = run(gazetteer, text, lang)
        assert len(matches) == 1 and matches[0].place.admin1 == "IR-05", text


def test_adjectives_do_not_match(gazetteer: Gazetteer) -> None:
    assert run(gazetteer, "Tehrani activists and Shirazi poets", "en") == []
    assert run(gazetteer, "دانشجوی تهرانی و شاعر شیرازی", "fa") == []


def test_months_weekdays_and_common_words(gazetteer: Gazetteer) -> None:
    text = "در مهر ماه و آذر و بهمن و تیر و دی، روز دوشنبه و جمعه و شنبه، آب و باغ و کوه و بازار و دانشگاه"
    assert run(gazetteer, text, "fa") == []
    assert run(gazetteer, "در میانه راه و در آستانه انتخابات و در امان", "fa") == []
    assert run(gazetteer, "The rey of light, a ray, the bam sound, the kish and sir ab", "en") == []


def test_strong_cue_allows_stop_words(gazetteer: Gazetteer) -> None:
    matches = run(gazetteer, "در شهر بهار همدان", "fa")
    assert matches and matches[0].place.admin1 == "IR-13"
    assert run(gazetteer, "در بهار", "fa") == []


def test_small_places_need_a_cue(gazetteer: Gazetteer) -> None:
    # Sahneh (Kermanshah) is also the word for 'scene'
    assert run(gazetteer, "صحنه جالبی بود", "fa") == []
    matches = run(gazetteer, "در شهر صحنه تجمع شد", "fa")
    assert [m.place.admin1 for m in matches] == ["IR-05"] and matches[0].cue == "شهر"
    # a village of ~1,400 people: nothing alone, found after a cue
    assert run(gazetteer, "Bahman said", "en") == []


def test_karaj_alborz_province(gazetteer: Gazetteer) -> None:
    matches = run(gazetteer, "A fire in Karaj, Alborz province, killed two workers.", "en")
    assert summary(matches) == [("Karaj", "gn:128747", "IR-30"), ("Alborz province", "IR-30", "IR-30")]
    assert matches[1].place.precision == "province"


def test_city_versus_province(gazetteer: Gazetteer) -> None:
    [tehran] = run(gazetteer, "Tehran", "en")
    assert tehran.place.place_id == "gn:112931" and tehran.place.precision == "city"
    [province] = run(gazetteer, "Tehran province", "en")
    assert province.place.place_id == "IR-23" and province.place.precision == "province"
    [province_fa] = run(gazetteer, "استان تهران", "fa")
    assert province_fa.place.place_id == "IR-23" and province_fa.place.precision == "province"
    assert run(gazetteer, "Kurdistan", "en")[0].place.place_id == "IR-12"
    assert run(gazetteer, "کردستان", "fa")[0].place.place_id == "IR-12"
    assert run(gazetteer, "the province of Kermanshah", "en")[0].place.place_id == "IR-05"
    assert run(gazetteer, "Kermanshah", "en")[0].place.place_id == "gn:128226"
    # a name in brackets after a city is its province
    [city, prov] = run(gazetteer, "in Takestan city (Qazvin)", "en")
    assert city.place.admin1 == "IR-26" and prov.place.place_id == "IR-26"


def test_countries_and_cities_abroad(gazetteer: Gazetteer) -> None:
    matches = run(
        gazetteer, "Rallies in Paris, Berlin and Toronto; the US and the U.K. condemned Iran.", "en"
    )
    assert summary(matches) == [
        ("Paris", "gn:2988507", None),
        ("Berlin", "gn:2950159", None),
        ("Toronto", "gn:6167865", None),
        ("US", "cc:US", None),
        ("U.K.", "cc:GB", None),
        ("Iran", "cc:IR", None),
    ]
    assert matches[0].place.country == "FR" and matches[0].place.precision == "city"
    assert matches[3].place.precision == "country"
    fa = run(gazetteer, "تجمع ایرانیان در پاریس، لندن و ژنو؛ آمریکا و انگلیس", "fa")
    assert [m.place.place_id for m in fa] == ["gn:2988507", "gn:2643743", "gn:2660646", "cc:US", "cc:GB"]
    assert run(gazetteer, "us and uk", "en") == []  # acronyms only in capitals


def test_blocked_phrases(gazetteer: Gazetteer) -> None:
    assert run(gazetteer, "نیروی قدس سپاه در خلیج فارس", "fa") == []
    assert run(gazetteer, "The Quds Force in the Persian Gulf", "en") == []
    # a waterway named after a town is no place in it
    assert run(gazetteer, "A ship ran aground in the Suez Canal.", "en") == []


def test_a_name_spelled_with_an_abbreviation(gazetteer: Gazetteer) -> None:
    # "St. Petersburg" as "St Petersburg"; a full stop that ends a sentence joins no two names
    assert [m.place.country for m in run(gazetteer, "A blast hit the St. Petersburg metro.", "en")] == ["RU"]
    assert [m.place.country for m in run(gazetteer, "They met in Paris. Petersburg was next.", "en")] == [
        "FR"
    ]


def test_waters_are_found_in_any_spelling() -> None:
    # seas and straits with and without a joiner, with Arabic letter variants, in English with a hyphen
    low = matching_text(normalize_text("نفتکش در تنگه‌هرمز و کشتی در خليج فارس و دریای سرخ؛ بندرعباس"), "fa")
    assert [low[a:b] for a, b in water_spans(low, "fa")] == ["تنگه\u200cهرمز", "خلیج فارس", "دریای سرخ"]
    low = matching_text("Tankers in the Bab el-Mandeb and the red sea; Redsea Street", "en")
    assert [low[a:b] for a, b in water_spans(low, "en")] == ["bab el-mandeb", "red sea"]


def test_ambiguity_by_province_context(gazetteer: Gazetteer) -> None:
    # Sardasht: a town in West Azerbaijan (46k) and one in Khuzestan (7k)
    alone = run(gazetteer, "Workers went on strike in Sardasht.", "en")
    assert [m.place.admin1 for m in alone] == ["IR-04"]
    ctx = run(gazetteer, "Protests in Khuzestan province. In Sardasht, workers went on strike.", "en")
    assert [m.place.admin1 for m in ctx] == ["IR-06", "IR-06"]
    given = run(gazetteer, "Workers went on strike in Sardasht.", "en", context_admin1={"IR-06"})
    assert [m.place.admin1 for m in given] == ["IR-06"]
    # Ardakan: Yazd (59k) and Fars (15k); the province right after the name decides
    assert run(gazetteer, "تجمع در اردکان", "fa")[0].place.admin1 == "IR-21"
    local = run(gazetteer, "تجمع در اردکان فارس", "fa")
    assert [m.place.place_id for m in local] == ["gn:403656", "IR-07"]
    # a big city keeps its name against context
    assert run(gazetteer, "Kurdistan and Tehran", "en")[1].place.place_id == "gn:112931"


def test_spans_map_back_to_stored_text(gazetteer: Gazetteer) -> None:
    stored = "تجمعِ کارگران در كرج"  # Arabic kaf and a kasra in the stored text
    norm = normalize_for_matching(stored)
    [m] = find_places(norm.text, "fa", gazetteer)
    start, end = norm.span_to_original(m.start, m.end)
    assert stored[start:end] == "كرج"


def test_glued_forms(gazetteer: Gazetteer) -> None:
    assert [m.surface for m in run(gazetteer, "سفر بتهران", "fa")] == ["تهران"]
    assert run(gazetteer, "به شهر رفتیم", "fa") == []  # not Behshahr
    assert run(gazetteer, "رشته‌های دانشگاهی", "fa") == []


def test_lang_is_checked(gazetteer: Gazetteer) -> None:
    with pytest.raises(ConfigError):
        find_places("Tehran", "de", gazetteer)
    assert find_places("", "fa", gazetteer) == []


def test_long_repetitive_texts(gazetteer: Gazetteer) -> None:
    """A long text of one repeated sentence: every repeat gives the same places (the matcher's speed
    is a bench figure, ``bench/bench_ingest.py``, not a timed test)."""
    fa = normalize_for_matching(
        (
            "کارگران شرکت در مقابل ساختمان استانداری در شهر اهواز تجمع کردند و خواستار پرداخت حقوق معوقه خود شدند. "
            * 12
        )[:1000]
    ).text
    en = (
        "On 5 January, workers of the sugar company protested in front of the governorate in Ahvaz city. "
        * 12
    )[:1000]
    for text, lang in ((fa, "fa"), (en, "en")):
        found = find_places(text, lang, gazetteer)
        assert len(found) >= 9 and {m.place.place_id for m in found} == {found[0].place.place_id}
        assert find_places(text, lang, gazetteer) == found


@pytest.mark.parametrize(
    "text",
    ["A man was arrested after the raid.", "Or a bay in the north.", "N is for the north; V in the song."],
)
def test_english_words_split_elsewhere_are_no_name(gazetteer: Gazetteer, text: str) -> None:
    # "A man" joins into Aman (Amman), "Or a" into Ora, "V in" into Vin: no spelling splits there
    assert run(gazetteer, text, "en") == []


def test_english_names_in_their_own_words(gazetteer: Gazetteer) -> None:
    found = summary(run(gazetteer, "Rallies in New York, Abu Dhabi and the U.S. capital.", "en"))
    assert [s for s, _, _ in found] == ["New York", "Abu Dhabi", "U.S."]


def test_a_lower_case_country_after_a_direction(gazetteer: Gazetteer) -> None:
    found = summary(run(gazetteer, "A grenade blast in south senegal and raids in northern nigeria.", "en"))
    assert [p for _, p, _ in found] == ["cc:SN", "cc:NG"]
    # part of another name, or no direction before it: no country
    for text in ("ships in the south china sea", "the south jordan river", "roast turkey in the oven"):
        assert run(gazetteer, text, "en") == [], text


@pytest.mark.parametrize(
    ("text", "lang", "place_id"),
    [
        ("Protesters rallied in Iran's capital on Monday.", "en", "gn:112931"),
        ("Clashes broke out in the capital of Iran.", "en", "gn:112931"),
        ("صدها نفر در پایتخت ایران تجمع کردند.", "fa", "gn:112931"),
        # the city is named before it: the country only says where it is
        ("Troops entered Monrovia, the capital of Liberia.", "en", "cc:LR"),
        ("نیروها وارد مونرویا، پایتخت لیبریا شدند.", "fa", "cc:LR"),
        ("Iran's capital gains tax rose.", "en", "cc:IR"),
    ],
)
def test_a_capital_named_through_its_country(
    gazetteer: Gazetteer, text: str, lang: str, place_id: str
) -> None:
    ids = [p for _, p, _ in summary(run(gazetteer, text, lang))]
    assert place_id in ids and ("gn:112931" not in ids or place_id == "gn:112931")


def test_occupied_jerusalem_is_jerusalem_and_the_city_of_qods_is_in_tehran(gazetteer: Gazetteer) -> None:
    # «قدس» alone stays Shahr-e Qods's (Quds Day, the Quds Force); «قدس اشغالی» (occupied) names Jerusalem
    assert [m.place.place_id for m in run(gazetteer, "فلسطینیان در قدس اشغالی تظاهرات کردند", "fa")] == [
        "gn:281184"
    ]
    assert [m.place.admin1 for m in run(gazetteer, "مردم در شهر قدس تجمع کردند", "fa")] == ["IR-23"]


def test_a_common_word_after_country_that_names_no_country_is_no_place(gazetteer: Gazetteer) -> None:
    # coder rules/1.28: «در این کشور کرد» is "did, in this country", not a town named Kord
    assert [m.surface for m in run(gazetteer, "چین اقدام به ایجاد پایگاه نظامی در این کشور کرد.", "fa")] == [
        "چین"
    ]
    assert [m.place.place_id for m in run(gazetteer, "در کشور عمان", "fa")] == ["cc:OM"]


def test_a_port_is_found_glued_or_apart(gazetteer: Gazetteer) -> None:
    # coder rules/1.38: «بندر عباس» (apart) was no place, only «بندرعباس» (glued); «عباس» alone is a first name
    assert [m.place.place_id for m in run(gazetteer, "نقاطی در بندر عباس مورد اصابت قرار گرفت", "fa")] == [
        "gn:141681"
    ]
    assert [m.place.place_id for m in run(gazetteer, "در بندرعباس", "fa")] == ["gn:141681"]
    assert run(gazetteer, "عباس امروز آمد", "fa") == []


def test_tehrans_airports_are_tehran(gazetteer: Gazetteer) -> None:
    # gazetteer (rules/1.38): named without the city
    assert [m.place.place_id for m in run(gazetteer, "حمله به فرودگاه مهرآباد", "fa")] == ["gn:112931"]
    assert [m.place.place_id for m in run(gazetteer, "strikes on Mehrabad airport", "en")] == ["gn:112931"]


def test_a_small_ports_name_carries_its_own_cue(gazetteer: Gazetteer) -> None:
    # coder rules/1.50: «بندر خمیر» after a noun that is no cue («پل بندر خمیر», the bridge of Bandar Khamir) is the
    # port, though «خمیر» alone (dough) needs a strong cue and the town is small
    assert [m.place.admin1 for m in run(gazetteer, "حمله دشمن به پل بندر خمیر", "fa")] == ["IR-22"]
    assert [
        m.place.admin1 for m in run(gazetteer, "an enemy strike on the bridge of Bandar-e Khamir", "en")
    ] == ["IR-22"]
    assert run(gazetteer, "خمیر نان را ورز دادند", "fa") == []
