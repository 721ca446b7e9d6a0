"""Fatalities read from one sentence, English and Persian (ACLED's conventions for vague numbers)."""

from __future__ import annotations

import time

import pytest

from eventledger.extract.fatalities import UNKNOWN_NUMBER, fatalities
from eventledger.normalize.text import normalize_for_matching


def read(text: str, lang: str) -> int:
    """As the coder reads a sentence: normalised (Persian digits folded, ی/ک unified)."""
    return fatalities(normalize_for_matching(text).text, lang)


ENGLISH = [
    # plain counts, before a passive verb and after an active one
    ("Gunmen killed 3 border guards near the crossing.", 3),
    ("3 people were killed when the car bomb went off.", 3),
    ("At least 12 dead after the blast at the market", 12),
    ("The raiders opened fire on the convoy, killing two soldiers.", 2),
    ("The grenade attack left five dead.", 5),
    ("Seven protesters were shot dead by the riot police.", 7),
    ("More than 20 people lost their lives in the clashes.", 20),
    ("Nine villagers died in the shelling overnight.", 9),
    ("Twenty-five miners were killed when the militia stormed the site.", 25),
    ("Some 40 fighters were killed, the spokesman said.", 40),
    ("The clashes killed 1,250 people over the weekend.", 1250),
    # one person, no number
    ("A ranger was killed while patrolling the park.", 1),
    ("A 25-year-old man was shot dead at the checkpoint.", 1),
    ("He was executed at dawn on Thursday.", 1),
    ("Unknown assailants shot and killed a shopkeeper in the bazaar.", 1),
    ("The gunmen killed a Fulani herder near the well.", 1),
    ("Militants killed commander Hassan Rahimi in an ambush.", 1),
    ("The killing of a student sparked unrest across the region.", 1),
    # lists are added up
    ("Two policemen and a civilian were killed in the ambush.", 3),
    ("A soldier, two guards and a driver were killed.", 4),
    ("Gunmen killed three farmers and a teacher.", 4),
    # ranges and choices: the lower number
    ("Between 10 and 15 people were killed, witnesses said.", 10),
    ("10 to 15 killed as the fighting spread", 10),
    ("10-15 demonstrators were killed in the crackdown.", 10),
    ("Two or three people were killed.", 2),
    # vague numbers as ACLED codes them
    ("Dozens were killed in the air strike.", 12),
    ("A dozen villagers were slaughtered by the raiders.", 12),
    ("Tens of people were killed in the stampede.", 10),
    ("Scores of fighters were killed in the offensive.", 20),
    ("Hundreds of people died during the siege.", 100),
    ("Several soldiers were killed in the attack.", UNKNOWN_NUMBER),
    ("An unknown number of rebels were killed in the air raid.", UNKNOWN_NUMBER),
    ("Soldiers were killed when their base was shelled.", UNKNOWN_NUMBER),
    # killed and wounded together: half
    ("The drone strike killed and wounded dozens of fighters.", 6),
    # tolls, lives, bodies
    ("The death toll rose to 15 on Monday.", 15),
    ("The fire claimed 7 lives.", 7),
    ("The blaze claimed the lives of two firefighters.", 2),
    ("The bodies of three men were found by the river.", 3),
    ("Four bodies were recovered from the rubble.", 4),
    # injuries and survivors are not deaths
    ("Three people were injured in the attack.", 0),
    ("Four protesters were wounded by birdshot.", 0),
    ("The bomb killed 3 people and wounded 7 others.", 3),
    ("Two were killed and five injured.", 2),
    ("Five were wounded and two killed.", 2),
    ("Gunmen killed two police officers and five others were wounded.", 2),
    # a count in an "including" aside is part of the total
    ("Three people, including two children, were killed.", 3),
    ("Security forces killed four protesters, including a 16-year-old boy.", 4),
    # explicitly none, or nothing reported
    ("No casualties were reported.", 0),
    ("No one was killed in the fire at the depot.", 0),
    ("None of the passengers were killed.", 0),
    ("The explosion caused damage but no deaths.", 0),
    ("Protesters gathered in the main square on Friday.", 0),
    ("Police arrested 12 people after the rally.", 0),
    # numbers that are not counts of the dead
    ("On 12 March 2023, 4 soldiers were killed near the border.", 4),
    ("The attack at 10:30 killed two.", 2),
    ("Three people died, police said on 5 June.", 3),
    ("A 19-year-old student was killed, his family said.", 1),
    ("Article 12 of the law was cited after two people died.", 2),
    ("Flight 752 was shot down and 176 people were killed.", 176),
    ("The family was paid $5,000 after the officer killed their son.", 1),
    ("In 2019, 30 people were killed in the same district.", 30),
    # figurative or non-lethal uses, and deaths that belong to an earlier event
    ("Parliament killed the bill last year.", 0),
    ("The deadline passed quietly.", 0),
    ("Crowds marched against the killing of a journalist.", 0),
    ("Two soldiers killed a civilian at the checkpoint.", 1),
    ("Relatives of killed protesters held a vigil.", 0),
]

PERSIAN = [
    # counts before the verb, a few words away
    ("۳ نفر در این حادثه کشته شدند.", 3),
    ("دو مامور پلیس در درگیری با افراد مسلح در زاهدان کشته شدند.", 2),
    ("پنج کارگر در انفجار معدن جان باختند.", 5),
    ("دو مرزبان جان خود را از دست دادند.", 2),
    ("سه پاسدار در درگیری با افراد مسلح شهید شدند.", 3),
    ("هفت زندانی سحرگاه امروز اعدام شدند.", 7),
    ("افراد مسلح دو نفر را کشتند.", 2),
    ("بیست و سه نفر در این حمله جان باختند.", 23),
    ("دست‌کم ۱۲ کشته در انفجار انبار مهمات", 12),
    ("۳ کشته و ۵ زخمی در حمله به پاسگاه", 3),
    ("بیش از ۴۰ نفر کشته شده‌اند.", 40),
    # a noun of killing with its count after it
    ("این حمله به کشته شدن دو مامور انجامید.", 2),
    ("اعدام سه زندانی در زندان مرکزی خبرساز شد.", 3),
    ("در پی قتل یک روحانی در بازار، مغازه‌ها بسته شد.", 1),
    # one person, no number
    ("یک روحانی در زاهدان به قتل رسید.", 1),
    ("این زندانی صبح امروز اعدام شد.", 1),
    ("یک جوان ۲۵ ساله با شلیک ماموران کشته شد.", 1),
    ("مامور راهنمایی و رانندگی شهید شد.", 1),
    # lists
    ("دو مامور و یک غیرنظامی کشته شدند.", 3),
    ("دو سرباز، یک راننده و سه مسافر جان باختند.", 6),
    # ranges and vague numbers
    ("۱۰ تا ۱۵ نفر کشته شدند.", 10),
    ("دو یا سه نفر کشته شدند.", 2),
    ("ده‌ها نفر در این بمباران کشته شدند.", 10),
    ("صدها نفر جان باختند.", 100),
    ("چندین نفر کشته شدند.", UNKNOWN_NUMBER),
    ("شماری از معترضان کشته شدند.", UNKNOWN_NUMBER),
    ("ماموران پلیس کشته شدند.", UNKNOWN_NUMBER),
    # tolls
    ("شمار کشته‌شدگان به ۱۵ نفر رسید.", 15),
    # a partitive total is not the count
    ("دو نفر از ۵ سرنشین خودرو کشته شدند.", 2),
    # injuries, and explicitly none
    ("۴ نفر زخمی شدند.", 0),
    ("دو نفر مجروح و به بیمارستان منتقل شدند.", 0),
    ("بر اثر این انفجار ۲ نفر کشته و ۳ نفر مجروح شدند.", 2),
    ("این حادثه تلفات جانی نداشت.", 0),
    ("هیچ‌کس در این انفجار کشته نشد.", 0),
    ("این آتش‌سوزی بدون تلفات مهار شد.", 0),
    # numbers that are not counts of the dead
    ("در ۲۸ بهمن ۱۴۰۱ دو نفر کشته شدند.", 2),
    ("پنج‌شنبه دو نفر کشته شدند.", 2),
    ("در حمله به پاسگاه ۱۲، دو مامور کشته شدند.", 2),
    ("متهم به استناد ماده ۲۸۶ اعدام شد.", 1),
    ("او ساعت ۱۰ صبح به قتل رسید.", 1),
    ("معترضان ساعت ۱۰ شب در خیابان شهید بهشتی شعار دادند.", 0),
    ("حکم اعدام سه زندانی صادر شد.", 0),
    ("۵۰۰ میلیون تومان خسارت وارد شد و یک نفر کشته شد.", 1),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: int) -> None:
    assert read(text, "en") == expected, text


@pytest.mark.parametrize(("text", "expected"), PERSIAN)
def test_persian(text: str, expected: int) -> None:
    assert read(text, "fa") == expected, text


def test_persian_digits_and_arabic_letters_are_read_as_normalised():
    # Arabic ي/ك and Arabic-Indic digits, as some outlets write them
    assert read("٣ نفر در اين حادثه كشته شدند.", "fa") == 3
    assert read("۱۲ نفر جان باختند.", "fa") == 12


def test_several_acts_in_one_sentence_add_up():
    assert read("Three soldiers were killed and two civilians died later in hospital.", "en") == 5
    assert read("سه سرباز کشته شدند و دو غیرنظامی در بیمارستان جان باختند.", "fa") == 5


def test_a_toll_is_the_total_not_an_addition():
    assert read("Two more people died, bringing the death toll to 15.", "en") == 15


def test_empty_and_unrelated_text():
    assert fatalities("", "en") == 0
    assert fatalities("", "fa") == 0
    assert read("The ministry published its annual report on 3 May.", "en") == 0
    assert read("وزارتخانه گزارش سالانه خود را منتشر کرد.", "fa") == 0


def test_hostile_input_is_read_quickly():
    for text, lang in (
        ("killed " * 100_000, "en"),
        ("two soldiers and " * 30_000 + "were killed", "en"),
        ("کشته شدند " * 50_000, "fa"),
        ("دو مامور و " * 30_000 + "کشته شدند", "fa"),
    ):
        t0 = time.process_time()
        assert fatalities(text, lang) >= 0
        assert time.process_time() - t0 < 5
