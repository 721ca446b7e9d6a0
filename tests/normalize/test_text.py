from eventledger.normalize.text import (
    REDACTED_EMAIL,
    REDACTED_ID,
    REDACTED_PHONE,
    ZWNJ,
    clean_text,
    fold,
    normalize_for_matching,
    normalize_text,
)


def test_arabic_letters_and_digits_are_folded():
    assert normalize_text("كارگران در شهر ري ۱۴۰۱/۱۲/۲۹ و ٣٠") == "کارگران در شهر ری 1401/12/29 و 30"


def test_zwnj_kept_collapsed_and_repaired():
    assert normalize_text(f"کتاب{ZWNJ}{ZWNJ}ها") == f"کتاب{ZWNJ}ها"
    assert normalize_text("آنها می خواهند") == f"آنها می{ZWNJ}خواهند"
    assert normalize_text("کردند.مي خواهند") == f"کردند.می{ZWNJ}خواهند"
    assert normalize_text("بنر ها را") == f"بنر{ZWNJ}ها را"
    assert normalize_text(f"می{ZWNJ}زنند") == f"می{ZWNJ}زنند"


def test_tatweel_and_diacritics_removed_with_offsets_back_to_stored_text():
    stored = clean_text("شهر سَقِّز و تهـــران")
    norm = normalize_for_matching(stored)
    assert norm.text == "شهر سقز و تهران"
    i = norm.text.index("تهران")
    s, e = norm.span_to_original(i, i + len("تهران"))
    assert stored[s:e] == "تهـــران"
    j = norm.text.index("سقز")
    s, e = norm.span_to_original(j, j + 3)
    assert stored[s:e] == "سَقِّز"


def test_personal_data_redacted_in_stored_text():
    text = clean_text("تماس: ۰۹۱۲ ۰۰۰ ۰۰۰۰ یا info@example.org، کد ملی: ۰۰۱۲۳۴۵۶۷۸. Call +98 912 000 0000.")
    assert "0912" not in text and "۰۹۱۲" not in text and "@" not in text
    assert text.count(REDACTED_PHONE) == 2 and REDACTED_EMAIL in text and REDACTED_ID in text


def test_numbers_that_are_not_phone_numbers_survive():
    text = clean_text("3,742 actions in 1401; 210 websites; on 2023-03-20")
    assert text == "3,742 actions in 1401; 210 websites; on 2023-03-20"


def test_control_characters_and_bidi_overrides_removed():
    assert clean_text("a\u202eb\x00c\r\nd") == "abc\nd"


def test_fold_matches_transliteration_variants():
    assert fold("Eslāmābād-e Gharb") == fold("eslamabad-e gharb")
    assert fold("اسلام‌آباد غرب") == fold("اسلام آباد غرب") == fold("اسلام اباد غرب")
    assert fold("Orūmīyeh") == "orumiyeh"
