"""The rule coder on the cases a human coder cares about."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from tests.conftest import make_doc

SAT = dt.date(2023, 2, 18)
FRI = dt.date(2023, 2, 17)
THU = dt.date(2023, 2, 16)


def keys(mentions):
    return sorted((m.subtype, m.place.name if m.place else None, m.date.isoformat()) for m in mentions)


def test_english_multi_city_report_is_one_mention_per_city(coder: RuleCoder):
    doc = make_doc(
        "Sepideh units wrote slogans in Tehran, Karaj and Rasht on Thursday night, the network said."
    )
    ms = coder.code(doc)
    assert keys(ms) == [
        ("slogan", "Karaj", "2023-02-16"),
        ("slogan", "Rasht", "2023-02-16"),
        ("slogan", "Tehran", "2023-02-16"),
    ]
    assert {m.place.admin1 for m in ms} == {"IR-23", "IR-30", "IR-01"}
    assert all(m.date_precision == "relative" and m.category == "propaganda" for m in ms)


def test_persian_multi_city_report_with_jalali_date(coder: RuleCoder):
    doc = make_doc(
        "واحدهای سپیده در ۲۸ بهمن ۱۴۰۱ در شهرهای مشهد، نیشابور و اسلام‌آباد غرب شعارنویسی کردند.",
        lang="fa",
        outlet="Sepideh Telegram",
    )
    ms = coder.code(doc)
    assert {(m.subtype, m.place.admin1, m.date) for m in ms} == {
        ("slogan", "IR-09", FRI),
        ("slogan", "IR-09", FRI),
        ("slogan", "IR-05", FRI),
    }
    assert len(ms) == 3
    assert all(
        m.date_precision == "day" and m.actor == "sepideh-network" and m.claimant == "sepideh-network"
        for m in ms
    )


def test_two_acts_in_two_cities_in_one_persian_sentence(coder: RuleCoder):
    doc = make_doc(
        "واحدهای سپیده شامگاه چهارشنبه در اصفهان تصاویر سرکوبگران را به آتش کشیدند و در نجف‌آباد شعارنویسی کردند.",
        lang="fa",
    )
    assert {(m.subtype, m.place.name) for m in coder.code(doc)} == {
        ("arson", "Isfahan"),
        ("slogan", "Najafabad"),
    }


def test_two_acts_in_two_cities_in_one_english_sentence(coder: RuleCoder):
    doc = make_doc("On Friday, Sepideh units set fire to a billboard in Tabriz and wrote slogans in Urmia.")
    assert {(m.subtype, m.place.name) for m in coder.code(doc)} == {("arson", "Tabriz"), ("slogan", "Urmia")}


def test_headline_restating_the_body_adds_nothing(coder: RuleCoder):
    doc = make_doc(
        "Sepideh units set fire to a Basij banner in Karaj on Thursday night. The banner stood at a militia base.",
        title="Basij banner set on fire in Karaj",
    )
    ms = coder.code(doc)
    assert keys(ms) == [("arson", "Karaj", "2023-02-16")]
    assert ms[0].field == "text"


def test_headline_only_report_is_coded(coder: RuleCoder):
    doc = make_doc(
        "Photos and a short video were shared by residents.",
        title="Sepideh units torch billboard in Sanandaj",
    )
    ms = coder.code(doc)
    assert [(m.subtype, m.place.name, m.field) for m in ms] == [("arson", "Sanandaj", "title")]


def test_opinion_piece_without_specific_act_yields_nothing(coder: RuleCoder):
    doc = make_doc(
        "The regime is playing with fire. A wave of arson attacks and graffiti in recent months shows the anger of a "
        "generation. Every night, slogans appear on walls across Tehran, and the fire of protest will not be put out.",
        title="Analysis: the fire this time",
    )
    assert coder.code(doc) == []


def test_metaphors_intent_and_denials_are_not_events(coder: RuleCoder):
    texts = [
        "The ceasefire in the region held on Friday, officials in Tehran said.",
        "A teacher in Shiraz was fired from his job on Thursday.",
        "The governor of Khuzestan came under fire from critics on Friday.",
        "The Sepideh Network vowed to set fire to symbols of the regime in Tehran next week.",
        "Officials in Mashhad denied that a bomb had exploded near the shrine on Friday.",
        "Police defused a homemade bomb found near a bank in Zahedan on Tuesday.",
    ]
    for text in texts:
        assert coder.code(make_doc(text)) == [], text


def test_persian_subjunctive_and_calls_are_not_events(coder: RuleCoder):
    doc = make_doc(
        "شبکه سپیده از هواداران خود خواست در روز ۲۲ بهمن در شهرها شعارنویسی کنند و تصاویر مقامات را به آتش بکشند.",
        lang="fa",
    )
    assert coder.code(doc) == []


def test_every_act_of_a_charge_list_is_the_charge(coder: RuleCoder):
    # political-action 1.3.52: «به جرم آتش زدن فرمانداری و تخریب اموال عمومی …» lists what a court charged, not acts
    # reported; the first item was a reference already, the second now too
    doc = make_doc(
        "دادگاه انقلاب یک جوان را به جرم آتش زدن فرمانداری و شعارنویسی بر دیوارهای شهر به زندان محکوم کرد.",
        lang="fa",
    )
    assert coder.code(doc) == []


def test_rally_abroad_is_coded_as_political_meeting(coder: RuleCoder):
    doc = make_doc(
        "On Saturday, Sepideh Network supporters rallied in Paris in front of the Iranian embassy."
    )
    ms = coder.code(doc)
    assert [(m.category, m.subtype, m.place.country) for m in ms] == [("political", "meeting", "FR")]


def test_province_beside_city_is_context_not_a_second_place(coder: RuleCoder):
    doc = make_doc(
        "Sepideh units put up posters in Sanandaj, in Kurdistan province, on Thursday. Iran Monitor verified the photos."
    )
    assert keys(coder.code(doc)) == [("poster", "Sanandaj", "2023-02-16")]


def test_unnamed_towns_of_a_province_are_a_province_level_place(coder: RuleCoder):
    doc = make_doc(
        "Sepideh units wrote slogans in Sari and in several towns in Mazandaran province on Monday."
    )
    assert {(m.place.name, m.place.precision) for m in coder.code(doc)} == {
        ("Sari", "city"),
        ("Mazandaran", "province"),
    }


def test_places_listed_one_to_a_line_under_the_act_are_its_own(coder: RuleCoder):
    # rules/1.51: a heading that names no place, then its places one to a line (bullets, emoji, a remark in brackets);
    # a small town alone on its line is read as after «شهر», a line the gazetteer does not know does not end the list
    text = (
        "شهرهایی که امروز کانون‌های سپیده در آن‌ها شعار نوشتند\n🔸\nاهواز\n🔸\nکرمان (دو بار)\n🔸\nراسک\n"
        "🔸\nروستای کوچک‌آباد\n🔸\nسمنان\n@sepideh_channel"
    )
    got = [(m.subtype, m.place.admin1) for m in coder.code(make_doc(text, lang="fa"))]
    assert sorted(got) == [("slogan", "IR-06"), ("slogan", "IR-08"), ("slogan", "IR-11"), ("slogan", "IR-20")]
    text = (
        "Sepideh units wrote slogans on walls on Monday in these towns:\n- Ahvaz\n- Kerman\nMore photos soon."
    )
    got = [(m.subtype, m.place.admin1) for m in coder.code(make_doc(text))]
    assert sorted(got) == [("slogan", "IR-06"), ("slogan", "IR-08")]
    # hashtags label a post, they list nothing; a line with more words ends a list before it begins
    text = "کانون‌های سپیده امروز شعار نوشتند\n#اهواز\n#کرمان"
    assert {m.place.admin1 if m.place else None for m in coder.code(make_doc(text, lang="fa"))} != {
        "IR-06",
        "IR-08",
    }
    text = "کانون‌های سپیده امروز شعار نوشتند\nعکس‌ها به زودی در کانال منتشر می‌شود\nاهواز\nکرمان"
    assert {m.place.admin1 if m.place else None for m in coder.code(make_doc(text, lang="fa"))} != {
        "IR-06",
        "IR-08",
    }


def test_names_inside_quoted_slogans_are_not_places(coder: RuleCoder):
    doc = make_doc(
        "امروز کانون‌های سپیده در تهران شعار «نه غزه، نه لبنان، جانم فدای ایران» را بر دیوارها نوشتند.",
        lang="fa",
    )
    assert [(m.subtype, m.place.name) for m in coder.code(doc)] == [("slogan", "Tehran")]


def test_reporting_date_is_not_the_act_date(coder: RuleCoder):
    doc = make_doc(
        "The Sepideh Network said on Saturday that its members set fire to the sign of a Basij base in Shiraz on Friday."
    )
    assert keys(coder.code(doc)) == [("arson", "Shiraz", "2023-02-17")]


def test_explosion_heard_where_a_grenade_was_thrown_is_the_grenade(coder: RuleCoder):
    doc = make_doc(
        "A hand-made grenade was thrown at a Basij base in Kermanshah late on Friday, the Sepideh Network said, "
        "and two residents told Iran Monitor they heard an explosion in the area."
    )
    assert keys(coder.code(doc)) == [("grenade", "Kermanshah", "2023-02-17")]


def test_undated_report_takes_the_tehran_publication_day(coder: RuleCoder):
    # published 20 March 2023 21:00 UTC = 00:30 on 1 Farvardin 1402 in Tehran
    doc = make_doc(
        "Sepideh units distributed leaflets in Qom.", published=dt.datetime(2023, 3, 20, 21, 0, tzinfo=dt.UTC)
    )
    (m,) = coder.code(doc)
    assert (m.date, m.date_precision) == (dt.date(2023, 3, 21), "publication")


def test_place_less_act_on_the_actors_own_outlet_goes_to_the_default_country(coder: RuleCoder):
    # "Shabah Channel" is the actor's own outlet (stance actor): its reports are about home
    doc = replace(
        make_doc("Shabah Hackers said they defaced the website of the ministry of roads on Friday."),
        outlet="Shabah Channel",
    )
    (m,) = coder.code(doc)
    assert (m.subtype, m.place.place_id, m.place.precision) == ("intrusion", "cc:IR", "country")
    assert "place_default" in m.flags and m.confidence < 0.6 and "review" in m.flags


def test_place_less_act_elsewhere_stays_unknown(coder: RuleCoder):
    """A place the text does not give is never invented from a default country."""
    doc = make_doc("Shabah Hackers said they defaced the website of the ministry of roads on Friday.")
    (m,) = coder.code(doc)  # "Iran Monitor" is an independent outlet
    assert m.place is None and m.place_key == "unknown" and "place_unknown" in m.flags


def test_quantity_and_target(coder: RuleCoder):
    doc = make_doc("Sepideh units set fire to 12 billboards of the regime in Karaj on Friday.")
    (m,) = coder.code(doc)
    assert (m.quantity, m.target) == (12, "regime-imagery")


def test_spans_point_at_the_exact_stored_sentence(coder: RuleCoder):
    text = "كانون‌هاي سپيده ديشب در رشت تراكت‌هاي شبكه را پخش كردند. مقام‌ها واکنشی نشان ندادند."
    doc = make_doc(text, lang="fa")
    (m,) = coder.code(doc)
    assert (
        doc.text[m.sent_start : m.sent_end]
        == m.sentence
        == "كانون‌هاي سپيده ديشب در رشت تراكت‌هاي شبكه را پخش كردند."
    )
    assert doc.text[m.trig_start : m.trig_end] == m.trigger
    assert (m.subtype, m.place.name, m.date) == ("leaflet", "Rasht", FRI)


def test_every_mention_records_coder_and_codebook(coder: RuleCoder):
    (m,) = coder.code(make_doc("Gunmen opened fire on a police post in Saravan on Friday."))
    assert m.coder == "rules/1.55" and m.codebook == "political-action@1.3.67" and m.model_version is None


def test_documents_in_other_languages_are_not_coded(coder: RuleCoder):
    assert coder.code(make_doc("Des manifestants ont incendié une voiture à Paris.", lang="fr")) == []
    assert coder.stats.dropped["unsupported_language"] == 1


FATALITIES_CODEBOOK = """\
id: deaths
version: "0.1"
languages: [en, fa]
quantity: fatalities
categories:
  - id: violence
    subtypes:
      - id: attack
        patterns:
          en: ['attack(?:ed|s)?', 'ambush(?:ed)?']
          fa: ['حمله', 'کمین']
actors:
  - id: gunmen
    inter: 3
    aliases: {en: ['gunmen'], fa: ['افراد مسلح']}
targets:
  - id: police
    inter: 1
    patterns: {en: ['police(?:men)?'], fa: ['ماموران?']}
"""


def test_a_fatalities_codebook_puts_the_dead_in_quantity(tmp_path, gazetteer, sample_stances):
    path = tmp_path / "deaths.yaml"
    path.write_text(FATALITIES_CODEBOOK, encoding="utf-8")
    cb = load_codebook(path)
    assert cb.quantity_kind == "fatalities"
    assert [a.inter for a in cb.actors] == [3] and [t.inter for t in cb.targets] == [1]
    rc = RuleCoder(cb, gazetteer, sample_stances)
    # an items codebook would read 2 (the number nearest the trigger); fatalities add up the dead
    [m] = rc.code(
        make_doc("Gunmen ambushed a police patrol in Zahedan, killing two policemen and a civilian.")
    )
    assert (m.subtype, m.quantity, m.actor, m.target) == ("attack", 3, "gunmen", "police")
    [m] = rc.code(make_doc("Gunmen attacked a police post in Zahedan; three officers were wounded."))
    assert m.quantity == 0
    [m] = rc.code(make_doc("افراد مسلح در زاهدان به ماموران حمله کردند و ۳ مامور کشته شدند.", lang="fa"))
    assert m.quantity == 3


SUPPRESSION_CODEBOOK = """
id: cycle
version: "0.1"
languages: [en]
categories:
  - id: acts
    subtypes:
      - id: clash
        suppressed_by: [strike]
        patterns: {en: ['clash(?:ed|es)?']}
      - id: foiled
        suppressed_by: [clash]
        patterns: {en: ['intercepted']}
      - id: strike
        suppressed_by: [foiled]
        patterns: {en: ['air ?strikes?']}
      - id: shot
        suppressed_by: [clash]
        patterns: {en: ['shot']}
"""


def test_suppression_in_a_cycle_silences_no_member(tmp_path, gazetteer, sample_stances):
    path = tmp_path / "cycle.yaml"
    path.write_text(SUPPRESSION_CODEBOOK, encoding="utf-8")
    rc = RuleCoder(load_codebook(path), gazetteer, sample_stances)
    # a plain chain: the stronger act stands, the weaker gives way
    assert {m.subtype for m in rc.code(make_doc("Troops clashed and a man was shot in Zahedan."))} == {
        "clash"
    }
    assert {
        m.subtype for m in rc.code(make_doc("Troops clashed in Zahedan; one drone was intercepted."))
    } == {"clash"}
    # clash > foiled > strike > clash: before rules/1.24 all three gave way and the sentence had no event
    doc = make_doc("An air strike hit Zahedan, troops clashed and one drone was intercepted.")
    assert {m.subtype for m in rc.code(doc)} == {"clash", "foiled", "strike"}


def test_a_quoted_name_inside_the_act_keeps_its_place(coder: RuleCoder):
    # coder rules/1.38: «میان نیروهای "ارتش ملی لیبی" و …» names Libya inside the clash's own words; Geneva is where
    # the talks are and Libya named bare after them is whose talks
    text = (
        'همزمان با تشدید درگیری‌ها میان نیروهای "ارتش ملی لیبی" و نیروهای وابسته به دولت وفاق ملی این کشور'
        " مذاکرات سیاسی لیبی برای سومین روز متوالی در ژنو ادامه دارد."
    )
    assert {
        (m.category, m.place.country if m.place else None) for m in coder.code(make_doc(text, lang="fa"))
    } == {("armed", "LY")}
