"""The redactor: every written form of personal data out, years, dates, counts, amounts and times kept."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from eventledger.normalize.redact import (
    REDACTED,
    REDACTED_CARD,
    REDACTED_EMAIL,
    REDACTED_IBAN,
    REDACTED_ID,
    REDACTED_PHONE,
    luhn_ok,
    national_id_ok,
    redact_name,
    redact_personal_data,
    redact_url,
)
from eventledger.normalize.text import clean_text

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ZWNJ, RLM, LRM, ZWJ = "\u200c", "\u200f", "\u200e", "\u200d"
CARD = "6037997512345670"  # Luhn-valid
NATIONAL_ID = "0012345679"  # check digit right
SHEBA = "IR062960000000100324200001"


def test_check_digit_helpers():
    assert luhn_ok(CARD) and not luhn_ok("6037997512345671")
    assert national_id_ok(NATIONAL_ID) and not national_id_ok("0012345678")
    assert not national_id_ok("1111111111")  # passes the sum, is no id


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("(+98) 912-345-6789", REDACTED_PHONE),
        ("+98 (912) 345 6789", REDACTED_PHONE),
        ("912 345 6789", REDACTED_PHONE),
        ("0098 912 345 6789", REDACTED_PHONE),
        ("0912.345.6789", REDACTED_PHONE),
        ("(021) 8888-1234", REDACTED_PHONE),
        ("+1 (555) 010-9999", REDACTED_PHONE),
        (f"0912{ZWNJ}345{ZWNJ}6789", REDACTED_PHONE),
        ("0912345 6789".translate(FA).replace("۵", f"۵{RLM}{LRM}{ZWJ}{RLM}"), REDACTED_PHONE),
        ("٠٩١٢٣٤٥٦٧٨٩", REDACTED_PHONE),
        ("تلفن دفتر: ۸۸۸۸۱۲۳۴", REDACTED_PHONE),
        (f"کد ملی ایشان {NATIONAL_ID}".translate(FA), REDACTED_ID),
        ("کد ملی: ۰۰۱۲۳۴۵۶۷۸", REDACTED_ID),  # with a label the check digit is not needed
        (f"کد{ZWNJ}ملی وی ۰۰۱-۲۳۴۵۶۷-۸", REDACTED_ID),
        ("national ID number of the activist: 0012345678", REDACTED_ID),
        (f"his number {NATIONAL_ID} was", REDACTED_ID),
        (f"{CARD[:4]}-{CARD[4:8]}-{CARD[8:12]}-{CARD[12:]}", REDACTED_CARD),
        (f"شماره کارت {CARD}".translate(FA), REDACTED_CARD),
        (f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}".translate(AR), REDACTED_CARD),
        (SHEBA, REDACTED_IBAN),
        ("IR06 2960 0000 0010 0324 2000 01", REDACTED_IBAN),
        ("شماره شبا: " + SHEBA[2:].translate(FA), REDACTED_IBAN),
        ("GB82 WEST 1234 5698 7654 32", REDACTED_IBAN),
        ("reza.k@example.org", REDACTED_EMAIL),
        ("reza.k [at] example [dot] org", REDACTED_EMAIL),
        ("reza(at)mail.example.org", REDACTED_EMAIL),
        ("reza at example dot org", REDACTED_EMAIL),
        ("reza＠example.org", REDACTED_EMAIL),
    ],
)
def test_every_form_is_redacted(text, placeholder):
    got = redact_personal_data(f"پیش از آن {text} و پس از آن")
    assert placeholder in got, got
    assert not any(ch.isdigit() for ch in got.replace("پیش از آن", "")), got
    assert "@" not in got and "example" not in got


@pytest.mark.parametrize(
    "text",
    [
        "3,742 actions",
        "1401",
        "21 March 2022",
        "12:30",
        "۱۲:۳۰",
        "on 2023-03-20 at 10:20:30",
        "۱۴۰۱/۱۲/۲۹",
        "1401-1402",
        "between 2022 and 2023, 1,500 people",
        "1,000,000,000 rials",
        "۱۵۰۰۰۰۰۰۰۰ ریال",
        "a fine of 9000000000 rials",
        "population 1234567890",
        "0.5 million",
        "version 1.2.3.4",
        "phone call on 2023-03-20",
        "mobile internet cut on 1401/12/29 in 31 provinces",
        "ID: 123",
        "Contact the group at their office",
    ],
)
def test_years_dates_counts_amounts_and_times_survive(text):
    assert redact_personal_data(text) == text
    assert clean_text(text) == text


def test_only_the_number_is_replaced_and_the_rest_kept_to_the_character():
    text = f"کد ملی ایشان ۰۰۱۲۳۴۵۶۷۸ است؛ تماس{ZWNJ}ها با ۰۹۱۲ ۳۴۵ ۶۷۸۹ در ۱۴۰۱/۱۲/۲۹."
    assert redact_personal_data(text) == (
        f"کد ملی ایشان {REDACTED_ID} است؛ تماس{ZWNJ}ها با {REDACTED_PHONE} در ۱۴۰۱/۱۲/۲۹."
    )
    assert redact_personal_data(redact_personal_data(text)) == redact_personal_data(text)


def test_a_year_before_a_phone_number_stays():
    assert redact_personal_data("in 2023 0912 345 6789") == f"in 2023 {REDACTED_PHONE}"


_format_chars = st.text(alphabet=[ZWNJ, RLM, LRM, ZWJ, "\u202b", "\u2066", "\u061c", "\u00ad"], max_size=3)


@st.composite
def written_phone(draw: st.DrawFn) -> str:
    """An Iranian mobile number as people write it: prefix, grouping, digit set, invisible characters."""
    number = (
        "9" + draw(st.sampled_from("0123459")) + draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    )
    prefix = draw(st.sampled_from(["0", "+98 ", "(+98) ", "0098 ", "+98-", "+98 (0)", ""]))
    assume(prefix or not number.endswith("0000"))  # 900 000 0000 without 0 or +98 reads as an amount
    sep = draw(st.sampled_from([" ", "-", ".", "", " - "]))
    groups = [number[:3], number[3:6], number[6:]]
    if prefix.startswith("+") and draw(st.booleans()):
        groups[0] = f"({groups[0]})"
    written = prefix + sep.join(groups)
    digits = draw(st.sampled_from([None, FA, AR]))
    if digits is not None:
        written = written.translate(digits)
    return "".join(ch + (draw(_format_chars) if ch.isdigit() else "") for ch in written)


@settings(max_examples=300, deadline=None)
@given(written_phone())
def test_any_written_mobile_number_is_redacted(phone):
    got = redact_personal_data(f"شماره {phone} را بگیرید")
    assert not any(ch.isdigit() for ch in got), (phone, got)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}"), st.sampled_from([None, FA]))
def test_counts_and_amounts_with_separators_survive(amount, digits):
    text = f"{amount} rials for 1401".translate(digits) if digits else f"{amount} rials for 1401"
    assert redact_personal_data(text) == text


def test_urls_lose_personal_query_values_path_segments_and_user_info():
    assert redact_url("https://x.org/p?tel=abc&id=7") == f"https://x.org/p?tel={REDACTED}&id=7"
    assert redact_url("https://x.org/p?email=a%40b.org&page=2") == f"https://x.org/p?email={REDACTED}&page=2"
    assert redact_url("https://x.org/p?q=0912%20345%206789") == f"https://x.org/p?q={REDACTED}"
    assert redact_url("https://x.org/p?National_ID=1") == f"https://x.org/p?National_ID={REDACTED}"
    assert redact_url("https://x.org/u/09123456789/profile") == f"https://x.org/u/{REDACTED}/profile"
    assert redact_url("https://user:pw@x.org/a") == f"https://{REDACTED}@x.org/a"
    assert redact_url("https://x.org/a#mail=a@b.org") == f"https://x.org/a#mail={REDACTED}"
    assert redact_url("mailto:a@b.org") == f"mailto:{REDACTED}"
    plain = "https://www.iranmonitor.org/news/2023/03/20/protest-1401?page=2&utm_source=x"
    assert redact_url(plain) is plain


def test_urls_in_a_text_are_redacted_as_urls_percent_encoding_included():
    text = (
        'see <a href="https://x.org/n?tel=1&amp;email=pii%40example.org&amp;q=%DB%B0%DB%B9%DB%B1%DB%B2'
        '%20%DB%B3%DB%B4%DB%B5%20%DB%B6%DB%B7%DB%B8%DB%B9&amp;page=2">x</a>, mailto:pii@example.org and '
        "https://x.org/a?b=1."
    )
    assert redact_personal_data(text) == (
        f'see <a href="https://x.org/n?tel={REDACTED}&amp;email={REDACTED}&amp;q={REDACTED}&amp;page=2">x</a>, '
        f"mailto:{REDACTED} and https://x.org/a?b=1."
    )


def test_article_ids_in_urls_and_external_ids_are_not_taken_for_personal_data():
    # long bare numbers in URLs are article ids (these two pass the Luhn and the mobile test)
    for url in (
        "https://www.farsnews.ir/news/13950404000664/جلسه-مهم",
        "https://www.farsnews.ir/news/9003068351",
        "farsjson-9003068351",
    ):
        assert redact_url(url) == url
    text = "Read https://www.farsnews.ir/news/9003068351 and call 9123456789."
    assert (
        redact_personal_data(text)
        == f"Read https://www.farsnews.ir/news/9003068351 and call {REDACTED_PHONE}."
    )
    assert redact_url("https://x.org/u/+98-912-345-6789") == f"https://x.org/u/{REDACTED}"


def test_outlet_names_lose_personal_data():
    assert redact_name("Channel of Reza 0912 345 6789") == f"Channel of Reza {REDACTED_PHONE}"
    assert redact_name("Iran Monitor") == "Iran Monitor"


def test_a_url_that_does_not_parse_is_redacted_as_text():
    assert redact_url("http://[::1?tel=09123456789") == "http://[::1?tel=[phone]"
    assert "0912" not in redact_personal_data("call http://[::1/?m=+98 912 345 6789 today")
