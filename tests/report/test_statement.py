import datetime as dt
import re

import pytest
import yaml
from click.testing import CliRunner

from eventledger.aggregate.periods import parse_period
from eventledger.cli import cli
from eventledger.errors import ConfigError
from eventledger.report.statement import (
    fa_number,
    jalali_date,
    load_actor_names,
    load_phrases,
    period_phrase,
    shipped_phrases_path,
    statement,
)
from tests.conftest import check_golden

LATIN = re.compile(r"[A-Za-z0-9]")


def _persian_prose(text: str) -> str:
    """A Persian statement without its reproduce command (the one place for Latin letters)."""
    prose, sep, command = text.partition(" بازتولید: eventledger tally ")
    assert sep and command, text
    return prose


def _tally(total, by_category, by_subtype, claims, by_province=None):
    t = {"total": total, "by_category": by_category, "by_subtype": by_subtype, "by_claim_status": claims}
    if by_province is not None:
        t["by_province"] = by_province
    return t


def test_period_phrases_in_both_calendars():
    assert (
        period_phrase(parse_period("1401"), "en") == "the Iranian year 1401 (21 March 2022 – 20 March 2023)"
    )
    assert period_phrase(parse_period("1401-12"), "en") == "Esfand 1401 (20 February – 20 March 2023)"
    assert (
        period_phrase(parse_period("2023"), "en")
        == "the year 2023 (11 Dey 1401 – 10 Dey 1402 in the Solar Hijri calendar)"
    )
    assert period_phrase(parse_period("1403"), "fa").startswith(
        "سال ۱۴۰۳ خورشیدی (۱ فروردین ۱۴۰۳ تا ۳۰ اسفند ۱۴۰۳"
    )
    assert period_phrase(parse_period("2023-05", "gregorian"), "fa").startswith("مه ۲۰۲۳ (۱۱ اردیبهشت ۱۴۰۲")
    assert jalali_date(dt.date(2023, 2, 17), "fa") == "۲۸ بهمن ۱۴۰۱"
    assert jalali_date(dt.date(2023, 2, 17), "en") == "28 Bahman 1401"


def test_persian_numbers():
    assert fa_number(3742) == "۳٬۷۴۲"


def test_statement_names_subtypes_and_skips_empty_categories(codebook):
    t = _tally(
        5,
        {"propaganda": 3, "violence": 2, "explosion": 0},
        {"slogan": 2, "poster": 1, "arson": 2},
        {"claimed": 4, "reported": 1, "corroborated": 0},
    )
    text = statement(t, parse_period("1401"), codebook, "en")
    assert (
        "describe 5 events: 3 propaganda acts (2 wall slogans; 1 display of photos, banners or placards) "
        "and 2 acts of violence (2 acts of arson)." in text
    )
    assert "explosion" not in text
    assert (
        "Of these, 4 were claimed only by the actors' own outlets, 1 was also reported by other outlets "
        "and 0 were corroborated by two or more independent outlets." in text
    )
    fa = statement(t, parse_period("1401"), codebook, "fa")
    assert "۵ رویداد" in fa and "۳ اقدام تبلیغاتی (۲ مورد شعارنویسی؛ ۱ مورد نصب تصویر، بنر یا پلاکارد)" in fa
    assert "هیچ رویدادی را دست‌کم دو رسانه مستقل تأیید نکرده‌اند" in fa  # no «۰ رویداد» in prose
    assert dt.date(2022, 3, 21).isoformat() not in fa


def test_one_event_of_a_subtype_is_singular_in_english_and_persian(codebook):
    t = _tally(
        3,
        {"violence": 1, "explosion": 2},
        {"arson": 1, "bombing": 1, "mortar": 1},
        {"claimed": 1, "reported": 1, "corroborated": 1},
    )
    en = statement(t, parse_period("1401"), codebook, "en")
    assert "1 act of violence (1 act of arson)" in en
    assert "2 explosions and bombings (1 bombing or IED attack; 1 home-made mortar or rocket attack)" in en
    assert "1 was claimed only" in en and "1 was also reported" in en and "1 was corroborated" in en
    assert not re.search(r"\b1 (?:were|acts|events|bombings|explosions)\b", en)
    fa = statement(t, parse_period("1401"), codebook, "fa")
    assert "۱ اقدام خشونت‌آمیز (۱ مورد آتش‌زدن)" in fa
    assert "۲ مورد انفجار و بمب‌گذاری (۱ مورد بمب‌گذاری؛ ۱ مورد شلیک خمپاره یا راکت دست‌ساز)" in fa
    assert "۱ رویداد را دست‌کم دو رسانه مستقل تأیید کرده‌اند" in fa


def test_plurals_in_english_and_the_singular_noun_after_persian_numerals(codebook):
    t = _tally(
        2_400,
        {"violence": 2_400},
        {"arson": 2_397, "grenade": 3},
        {"claimed": 2_000, "reported": 398, "corroborated": 2},
    )
    en = statement(t, parse_period("1401"), codebook, "en")
    assert (
        "describe 2,400 events: 2,400 acts of violence (2,397 acts of arson; 3 hand-made grenade attacks)"
        in en
    )
    assert "2,000 were claimed" in en and "2 were corroborated" in en
    fa = statement(t, parse_period("1401"), codebook, "fa")
    assert (
        "۲٬۴۰۰ رویداد" in fa and "۲٬۴۰۰ اقدام خشونت‌آمیز (۲٬۳۹۷ مورد آتش‌زدن؛ ۳ مورد پرتاب نارنجک دست‌ساز)" in fa
    )
    # after a numeral the Persian noun stays singular: no «اقدامات», «رویدادها», «موارد»
    prose = _persian_prose(fa)
    assert not re.search(r"[۰-۹٬]+ (?:اقدامات|رویدادها|رویدادهای|موارد|مواردی)", prose)


def test_one_event_and_no_events(codebook):
    one = _tally(1, {"violence": 1}, {"arson": 1}, {"claimed": 0, "reported": 0, "corroborated": 1})
    en = statement(one, parse_period("1404"), codebook, "en")
    assert "describe 1 event: 1 act of violence (1 act of arson). It was corroborated by two" in en
    fa = statement(one, parse_period("1404"), codebook, "fa")
    assert "۱ رویداد را نشان می‌دهند" in fa and "این رویداد را دست‌کم دو رسانه مستقل تأیید کرده‌اند." in fa
    none = _tally(0, {}, {}, {"claimed": 0, "reported": 0, "corroborated": 0})
    en = statement(none, parse_period("1399"), codebook, "en")
    assert "the reports on record describe no events. Each event is one action" in en
    assert "Of these" not in en
    fa = statement(none, parse_period("1399"), codebook, "fa")
    assert "هیچ رویدادی را نشان نمی‌دهند." in fa


def test_persian_statement_has_no_latin_letters_but_the_command(codebook):
    t = _tally(
        7,
        {"propaganda": 2, "cyber": 1, "political": 4},
        {"leaflet": 2, "intrusion": 1, "meeting": 4},
        {"claimed": 6, "reported": 1, "corroborated": 0},
        {"IR-23": 5, "unknown": 2},
    )
    filters = {"actor": "sepideh-network", "province": "IR-23", "claim_status": None}
    for period in ("1401", "1401-12", "2023", "1401-12-25..1402-01-05"):
        fa = statement(t, parse_period(period), codebook, "fa", filters)
        assert not LATIN.search(_persian_prose(fa)), fa
        assert fa.endswith("--actor sepideh-network --province IR-23")


def test_actors_are_named_not_given_by_id(codebook, tmp_path):
    t = _tally(2, {"violence": 2}, {"arson": 2}, {"claimed": 2, "reported": 0, "corroborated": 0})
    filters = {"actor": "sepideh-network", "province": "IR-23"}
    en = statement(t, parse_period("1401"), codebook, "en", filters)
    assert "describe 2 events attributed to Sepideh Network in the province of Tehran: " in en
    assert en.count("sepideh-network") == 1 and en.endswith("--actor sepideh-network --province IR-23")
    fa = statement(t, parse_period("1401"), codebook, "fa", filters)
    assert "۲ رویداد منتسب به شبکه سپیده در استان تهران را نشان می‌دهند" in fa
    # the names are configurable
    names_file = tmp_path / "names.yaml"
    names_file.write_text(
        "sepideh-network: {en: The Sepideh Units, fa: واحدهای سپیده}\nnew-group: {en: New Group}\n",
        encoding="utf-8",
    )
    names = load_actor_names(names_file)
    en = statement(t, parse_period("1401"), codebook, "en", filters, actor_names=names)
    assert "attributed to The Sepideh Units in" in en
    fa = statement(t, parse_period("1401"), codebook, "fa", filters, actor_names=names)
    assert "منتسب به واحدهای سپیده در" in fa
    en = statement(t, parse_period("1401"), codebook, "en", {"actor": "new-group"}, actor_names=names)
    assert "attributed to New Group:" in en
    bad = tmp_path / "bad.yaml"
    bad.write_text("sepideh-network: Sepideh\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml: sepideh-network: expected \{en: NAME, fa: NAME\}"):
        load_actor_names(bad)


def test_the_events_whose_place_is_not_given_are_counted(codebook):
    t = _tally(
        5, {"armed": 5}, {"shooting": 5}, {"claimed": 0, "reported": 5, "corroborated": 0},
        {"IR-23": 3, "unknown": 2},
    )  # fmt: skip
    en = statement(t, parse_period("1401"), codebook, "en")
    assert "For 2 of them, the reports give no place." in en
    assert en.endswith("--by subtype --by claim_status --by province")  # where the 2 comes from
    fa = statement(t, parse_period("1401"), codebook, "fa")
    assert "مکان ۲ رویداد از این میان در گزارش‌ها ذکر نشده است." in fa
    t["by_province"] = {"IR-23": 5}
    assert "no place" not in statement(t, parse_period("1401"), codebook, "en")
    assert "ذکر نشده" not in statement(t, parse_period("1401"), codebook, "fa")
    del t["by_province"]  # a tally without the breakdown: nothing said, nothing claimed
    en = statement(t, parse_period("1401"), codebook, "en")
    assert "no place" not in en and en.endswith("--by subtype --by claim_status")


def test_the_shipped_phrases_cover_the_shipped_codebook(codebook):
    phrases = load_phrases(codebook=codebook)
    for lang in ("en", "fa"):
        for c in codebook.categories:
            assert phrases.counted(lang, f"categories.{c.id}", 1)
        for s in codebook.subtypes:
            one, many = phrases.counted(lang, f"subtypes.{s}", 1), phrases.counted(lang, f"subtypes.{s}", 3)
            assert one != many and (one.startswith("1 ") or one.startswith("۱ "))
    # the labels of the categories are distinct: none contains another's
    for lang in ("en", "fa"):
        labels = [codebook.label(c.id, lang) for c in codebook.categories]
        assert len(set(labels)) == len(labels)
        assert not any(a != b and a in b for a in labels for b in labels)
    assert "political" not in codebook.label("propaganda", "en")


def _edited_phrases(tmp_path, edit):
    data = yaml.safe_load(shipped_phrases_path().read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "phrases.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_phrases_file_without_a_subtype_is_a_clear_error(codebook, tmp_path):
    path = _edited_phrases(tmp_path, lambda d: d["fa"]["subtypes"].pop("arson"))
    with pytest.raises(ConfigError) as err:
        load_phrases(path, codebook)
    assert "fa: subtypes.arson" in str(err.value) and "political-action@" in str(err.value)
    assert "en: subtypes.arson" not in str(err.value)
    t = _tally(1, {"violence": 1}, {"arson": 1}, {"claimed": 1})
    with pytest.raises(ConfigError, match=r"fa: subtypes\.arson"):
        statement(t, parse_period("1401"), codebook, "en", phrases=load_phrases(path))


def test_a_phrases_file_with_a_broken_template_is_a_clear_error(codebook, tmp_path):
    def edit(d):
        d["en"]["opening"] = "In {period}, {count} events{scope}: {categories}."
        d["en"]["subtypes"]["arson"] = {"one": "{n} act of arson"}
        del d["fa"]["reproduce"]

    with pytest.raises(ConfigError) as err:
        load_phrases(_edited_phrases(tmp_path, edit))
    message = str(err.value)
    assert (
        "en: opening: unknown placeholder {count}" in message and "en: opening: missing {events}" in message
    )
    assert "en: subtypes.arson: expected a string or a mapping of one/other" in message
    assert "fa: reproduce: missing" in message
    with pytest.raises(ConfigError, match="phrases file not found"):
        load_phrases(tmp_path / "nowhere.yaml")


def test_statement_command_with_names_and_phrases_files(demo_db, tmp_path, update_golden):
    def run(*args):
        res = CliRunner().invoke(cli, ["--db", str(demo_db), "statement", *args], catch_exceptions=False)
        return res.exit_code, res.stdout, res.stderr

    code, en, _ = run("--period", "1401")
    assert code == 0
    code, fa, _ = run("--period", "1401", "--lang", "fa")
    assert code == 0 and not LATIN.search(_persian_prose(fa))
    check_golden("statement_1401", {"en": en.strip(), "fa": fa.strip()}, update_golden)
    code, en, _ = run("--period", "1401", "--actor", "sepideh-network")
    assert code == 0 and "attributed to Sepideh Network:" in en
    names = tmp_path / "names.yaml"
    names.write_text("sepideh-network: {en: Sepideh, fa: سپیده}\n", encoding="utf-8")
    code, fa, _ = run(
        "--period", "1401", "--actor", "sepideh-network", "--actor-names", str(names), "--lang", "fa"
    )
    assert code == 0 and "منتسب به سپیده را" in fa
    broken = _edited_phrases(tmp_path, lambda d: d["en"]["categories"].pop("protest"))
    code, _, err = run("--period", "1401", "--phrases", str(broken))
    assert code == 2 and "en: categories.protest" in err
