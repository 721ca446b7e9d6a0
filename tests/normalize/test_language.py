from eventledger.normalize.language import detect_language


def test_persian_english_arabic_and_empty():
    assert detect_language("واحدهای سپیده در تهران شعارنویسی کردند.") == "fa"
    assert (
        detect_language("كارگران در شهر ري تجمع كردند و خواستار افزايش دستمزد شدند.") == "fa"
    )  # Arabic letters
    assert detect_language("Workers gathered in Tehran on Monday and said that wages were unpaid.") == "en"
    assert detect_language("تجمع العمال في بغداد للمطالبة بالأجور المتأخرة.") == "ar"
    assert detect_language("12345 !!!") == "und"


def test_short_and_mixed_texts_go_to_the_model():
    assert detect_language("Protest in Tehran") == "en"
    assert detect_language("Manifestation à Paris contre la répression en Iran.") == "fr"


def test_short_persian_posts_are_persian():
    """Short posts in Persian script, with links, Latin hashtags or no Persian-only letter, are Persian."""
    for text in (
        "انفجار در اهواز",
        "خبر فوری",
        "تجمع امروز https://t.me/example #Iran #protest",
        "شلیک در زاهدان @channel",
    ):
        assert detect_language(text) == "fa", text
    assert detect_language("قال المتحدث إن الانفجار وقع صباح اليوم") == "ar"
