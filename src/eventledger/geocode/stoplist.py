"""Words that are also place names, and phrases that contain place names but are not places.

* :data:`STOP_FA` / :data:`STOP_EN`: a place name equal to one of these words is only matched
  after a strong cue (``شهر``, ``شهرستان``, ``روستای``, ``استان``, "city of", "X province", ...).
* :data:`CUE_FA` / :data:`CUE_EN`: names of big places that are also common words or first
  names; they need a cue of any strength (``در رم``, ``in Ray``) instead of firing on their own.
* :data:`BLOCK_FA` / :data:`BLOCK_EN`: phrases consumed by the matcher without producing a place
  (``خلیج فارس`` is not the province Fars, "Quds Force" is not the city Qods), the waters among them.
* :data:`WATERS_FA` / :data:`WATERS_EN`: seas, gulfs, straits and oceans: an act told there happened at
  sea, in no place of the gazetteer (:func:`~eventledger.geocode.matcher.water_spans`).

All entries are compared by :func:`~eventledger.normalize.text.fold` key.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (ZWNJ inside a word is kept)."""
    return frozenset(text.split())


MONTHS_FA = words("فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند")
WEEKDAYS_FA = words("شنبه یکشنبه دوشنبه سه‌شنبه چهارشنبه پنجشنبه پنج‌شنبه جمعه آدینه")
NUMBERS_FA = words("یک دو سه چهار پنج شش هفت هشت نه ده یازده دوازده بیست سی چهل پنجاه صد هزار میلیون")
# Common nouns, adjectives, verbs and first names that are names of places in GeoNames.  The
# second half was found by running the matcher over Persian news and tweets (PEYMA, ParsTwiNER
# train splits) and listing place names that occur mostly outside location tags.
COMMON_FA = words(
    """
    صور آب باغ شهر ده کوه سد پل بازار دانشگاه دشت چشمه قلعه رود دریا جزیره بندر میدان خیابان کوچه بلوار
    امام امامزاده مسجد کارخانه مدرسه شهرک روستا آباد نو کهنه بالا پایین سفلی علیا وسطی مرکزی شمالی
    جنوبی شرقی غربی نور بهار قدس بافت سراب انار پارسیان سرباز فردوس امید آزادی انقلاب پیروزی
    اتحاد وحدت ولایت شهید شهدا حسن حسین علی محمد مهدی فاطمه زهرا کوثر سامان آرمان کمال جمال کرد ترک
    لر عرب بلوچ فارسی گل سبز سرخ سفید سیاه زرد آبی کبود بزرگ کوچک خرم آزاد دولت ملت مجلس سپاه ارتش
    آستانه میانه کیف امان سن سنه خوش پارس مالی رضا بهشت جنت دهکده مزرعه کشت زمین خانه بیمارستان
    شادی امین سلامت صفا رحمت نعمت برکت حافظ سعدی فردوسی مولوی خیام عطار کاوه رستم سهراب نادر کریم
    جلال جهان ایرانی نیک راه سر دل دست چشم پا تن سنگ خاک آتش باد گرد شیر ماه روز شب سال هفته
    اول دوم سوم آخر وسط میان کنار نزدیک دور پیش پس زیر روی جلو عقب باز بسته تازه جدید قدیم
    مرز گمرک پاسگاه کلانتری زندان دادگاه استانداری فرمانداری بخشداری شهرداری دهستان بخش

    صحنه اندیشه پردیس گرمی محلات طول کشف شیوه اوج مهاجران دیوان شهرستان الان دیر قوم چهره پول
    گویان ابریشم تخت دوش سردرد سوریان کلاته مهربان چمران نیر محمدی آزادگان کارون بازرگان خاوران ترکمن
    پیام اساس واحد شوند بنیاد گاهی میشن سری مبارک صاحب نوین بند پیشین پیروز بشم کلمه سیر زیارت
    جناح رستمی بهرام ایرج گره کلان کری ناو رامین اسیر نوار جوکار کمه مرمت عسگری عسکری اخوند آخوند
    سرای عذاب انبوه مجلسی شجاع ریز دشتی خور بهاران برج فیروزه پشم وار سنگر دامنه داران بام اوه
    خلیفه گنجینه چاوشی پیغمبر بلده برگه گرو گردو کمالی شرافت رنه درازی خمیر خاکریز اردلان گلشن
    کومله ویرانی مرجان مارا فرود فال شمسی ذرات دلیر حنا بختیار اولم سین گهی گرمه کیان نقاب مود
    مرغان شیت زیارات ریه رویان دربند جوانمردی بنگ بنت ارجمند ماهان ترکمان قیر عامری

    عباس احمد جعفر کاظم قاسم صادق محمود اکبر اصغر امیر مریم جواد هادی مجید سعید رحیم ابراهیم اسماعیل
    یوسف موسی عیسی داوود سلیمان خلیل ناصر منصور فرهاد خسرو جمشید پرویز بیژن آرش دارا کوروش شاهین
    """
)
STOP_FA: frozenset[str] = MONTHS_FA | WEEKDAYS_FA | NUMBERS_FA | COMMON_FA
# Big places whose Persian names are also words or first names: matched after any cue.
CUE_FA: frozenset[str] = words("رم برن کلن پرو ری شهریار مهران خوی الوند بناب کیش سهند بنین")

# Latin names that are English words, first names or Persian month names; the first words of longer
# names abroad ("San Isidro" is not San in Mali).
STOP_EN: frozenset[str] = words(
    """
    Ray Sir Ab Male Victoria Hamilton Stanley Douglas Kingston Jamestown Georgetown Plymouth Roseau
    Farvardin Ordibehesht Khordad Tir Mordad Shahrivar Mehr Aban Azar Dey Bahman Esfand
    Shanbeh Jomeh Dam Bad Band Bid Deh Kuh Sar Bala Pain Now Nou Abad Qaleh Kalateh Chah Tang Dasht
    Bagh Bazar Shahrak Jadid Kohneh Kuchak Bozorg Sofla Olya Vosta Imam Emam Hasan Hossein Ali Reza
    Mohammad Mahdi Fatemeh Zahra Kosar Kowsar Saman Arman Omid Nur Noor Bahar Azadi Enqelab Vahdat
    Pars Amir Kabir Tasnim Kayhan Keyhan Etemad Shargh Hamshahri Javan Resalat Ben Shot Jam Rast
    San Santa Los Las
    Hassan Hussein Husein Hussain Hossain Mohammed Muhammad Mohamed Ahmad Ahmed Abbas Javad Jawad Qassem
    Qasem Kazem Mahmoud Mahmud Jafar Hadi Mehdi Karim Rahim Ibrahim Ismail Yousef Yusuf Musa Suleiman
    Soleiman Khalil Nasser Naser Mansour Farhad Khosrow Jamshid Parviz Kourosh Dariush Hamid Saeed Said
    Vladimir
    """
)
CUE_EN: frozenset[str] = words("Rey Bam Kish Nur Mehran Shahriar Victoria Male Lima")

# seas, gulfs, straits and oceans (oceans named after a country are no place in it: «اقیانوس هند» is not
# India); an act told there happened at sea («حمله به نفتکش در تنگه هرمز» is in no country another clause names)
WATERS_FA: frozenset[str] = frozenset(
    {
        "خلیج فارس",
        "خلیج‌فارس",
        "تنگه هرمز",
        "دریای خزر",
        "دریای کاسپین",
        "دریای مازندران",
        "دریای عمان",
        "خلیج عمان",
        "دریای سرخ",
        "دریای مدیترانه",
        "دریای سیاه",
        "دریای عرب",
        "دریای اژه",
        "دریای بالتیک",
        "دریای شمال",
        "دریای چین جنوبی",
        "دریای چین شرقی",
        "دریای ژاپن",
        "دریای آزوف",
        "خلیج عدن",
        "خلیج عقبه",
        "خلیج مکزیک",
        "باب المندب",
        "باب‌المندب",
        "تنگه باب المندب",
        "تنگه بسفر",
        "تنگه تایوان",
        "تنگه جبل الطارق",
        "کانال سوئز",
        "کانال مانش",
        "اقیانوس هند",
        # international waters (coder rules/1.40)
        "آب های بین المللی",
        "آب‌های بین‌المللی",
        "آبهای بین المللی",
        "اقیانوس آرام",
        "اقیانوس اطلس",
        "اقیانوس منجمد شمالی",
    }
)

WATERS_EN: frozenset[str] = frozenset(
    {
        "Persian Gulf",
        "Arabian Gulf",
        "Strait of Hormuz",
        "Strait of Hormoz",
        "Hormuz Strait",
        "Gulf of Oman",
        "Sea of Oman",
        "Caspian Sea",
        "Red Sea",
        "Mediterranean Sea",
        "Black Sea",
        "Arabian Sea",
        "Aegean Sea",
        "Baltic Sea",
        "North Sea",
        "South China Sea",
        "East China Sea",
        "Sea of Japan",
        "Sea of Azov",
        "Gulf of Aden",
        "Gulf of Aqaba",
        "Gulf of Mexico",
        "Bab el-Mandeb",
        "Bab al-Mandab",
        "Taiwan Strait",
        "Strait of Gibraltar",
        "Suez Canal",
        "English Channel",
        "Indian Ocean",
        "international waters",
        "Pacific Ocean",
        "Atlantic Ocean",
        "Arctic Ocean",
    }
)

BLOCK_FA: frozenset[str] = WATERS_FA | frozenset(
    {
        "حاشیه رود",  # a river's bank («در حاشیه رود لیتانی»), not the town Hashiyeh Rud
        "حاشیه رودخانه",
        "خاورمیانه",
        "خاور میانه",
        "خاور نزدیک",
        "خاور دور",
        "نیروی قدس",
        "سپاه قدس",
        "روز قدس",
        "روز جهانی قدس",
        "قدس شریف",
        "خبرگزاری فارس",
        "خبرگزاری مهر",
        "خبرگزاری تسنیم",
        "روزنامه کیهان",
        "روزنامه ایران",
        "آمریکای لاتین",
        "امریکای لاتین",
        "آمریکای جنوبی",
        "آمریکای شمالی",
        "آمریکای مرکزی",
        "امریکای جنوبی",
        "امریکای شمالی",
        "کاخ گلستان",
        "کاخ سفید",
        "آذربایجان",
    }
)

BLOCK_EN: frozenset[str] = WATERS_EN | frozenset(
    {
        "Middle East",
        "Near East",
        "Far East",
        "Quds Force",
        "Qods Force",
        "Quds Day",
        "Qods Day",
        "Al-Quds Day",
        "Latin America",
        "South America",
        "North America",
        "Central America",
        "Fars News",
        "Fars News Agency",
        "Mehr News",
        "Mehr News Agency",
        "Tasnim News",
        "Tehran Times",
        "Golestan Palace",
        "New England",
        "New Jersey",
        "New Mexico",
        "New South Wales",
        "Washington Post",
        "Washington Institute",
        "Jerusalem Post",
        "Dubai Police",
    }
)
