"""The rule coder: a :class:`~eventledger.records.Document` in, its :class:`~eventledger.records.Mention` s out.

For each sentence of the body and the title:

1. find the codebook's triggers (one regular expression per subtype and language);
2. keep a trigger only when its sentence is specific: no exclusion of its subtype, no negating or
   generic cue in the sentence, no intent cue in its clause before it (nor a subjunctive right
   after it), not suppressed by a stronger subtype in the sentence, an actor present when the
   subtype requires one; in an opinion piece the sentence must name a place and a date itself;
3. give each trigger its places — each place of the sentence goes to its nearest trigger, looking
   first in the direction the language puts places (after the verb in English, before it in
   Persian); a sentence without places borrows those of a neighbouring sentence that names places
   but no act, then the title's, then the lead's, else the codebook's default place. A province or
   country named beside a city in it is context, not a second place; names inside quotation marks
   (slogans, titles) are not places;
4. give it a date — the nearest date in the sentence that is not the date of a reporting verb
   ("police said on Saturday"), else the date of the last mention of the same subtype, else the
   last date of the narrative, the title's date, the reporting date, the publication day;
5. one mention per subtype × place × day: a headline restating the body adds nothing, an act named
   in N cities gives N mentions, a mention absorbed by a stronger subtype at the same place and day
   (a "blast" that was a grenade) is dropped.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, pairwise
from typing import TYPE_CHECKING, Literal, Protocol

from eventledger.aggregate.periods import GREGORIAN_MONTHS_EN, GREGORIAN_MONTHS_FA, JALALI_MONTHS_FA
from eventledger.errors import BudgetExceeded
from eventledger.extract.codebook import Codebook, Rx, Scanner, Subtype, matching_text
from eventledger.extract.dates import DateMatch, find_dates, latest_named_month, month_references
from eventledger.extract.fatalities import fatalities
from eventledger.extract.sentences import sentence_spans
from eventledger.geocode.gazetteer import Gazetteer
from eventledger.geocode.matcher import PlaceMatch, capital_after, find_places, water_spans
from eventledger.normalize.days import local_date
from eventledger.normalize.text import NormalizedText, normalize_for_matching
from eventledger.outlets import Outlet
from eventledger.records import Document, Mention, Place

if TYPE_CHECKING:  # numpy/scikit-learn are only needed with a model (the [ml] extra)
    from eventledger.extract.assist import ModelAssist


class Relevance(Protocol):
    """A trained sentence scorer for the act-or-not gate: does this sentence report an act that
    happened? (see :mod:`eventledger.learn.relevance`). Rules decide where they are exact; the score
    decides the rest: a candidate whose sentence scores under ``threshold`` is dropped ("model")."""

    version: str
    threshold: float

    def scores(self, sentences: Sequence[str], lang: str) -> list[float]: ...


CODER_NAME = "rules"
# 1.55: a head of a parliament or of a joint staff, a senator and a national security adviser speak for their country
# as its ministers do («رییس مجلس نمایندگان آمریکا گفت …»: no place, _SPEAKERS_FA); a country named as whose drone,
# helicopter or fighter it is («پهپاد متخاصم دشمن آمریکا … در آسمان تهران … منهدم شد») is no place (_FORCES_OF);
# a quotation that names a place of some kind («ایست بازرسی بانه - سقز», «… در روستای «زرگویزله»») is that place's name,
# not a slogan's words (_PLACE_KIND_QUOTED, _PLACE_KIND_BEFORE);
# 1.54: a report whose publication day is a placeholder (date and year checks off: an archive of undated pages)
# reads a year named in the text against the latest month it names with its year ("In October 2018, …" is history in
# a report that names March 2019); the home country right after an act or inside its words ("the recent protests in
# Iran", "protests in Iran that were turned violent") is its place even beside a place abroad the sentence names for
# something else; a province named with another country right after it («بلوچستان پاکستان», «کردستان عراق»; in
# English "Balochistan, Pakistan" where the country has that name too) is that country's; an English act that names
# the home country in a list of countries ("There were demonstrations … in Iran, Iraq, Syria") tells rallies in each,
# not rallies at home about the others; a total over a period told after the act's own clause, in another finite
# clause («… پس از انفجار یک خودروی بمب‌گذاری شده کشته شد و … تعداد کل کشته‌ها … از آغاز جنگ به ۲۰ نفر رسید»), is that
# clause's, not the act's (a period told before it still governs it); a neighbouring sentence that names the home
# country as where something happened ("… who counter riots in Iran") and other countries only as who acts lends the
# home country;
# 1.53: an act in a sentence that names no place, told with an act named before by a definite noun ("The protests
# have turned violent with … elements vandalizing public property", «این تجمع …»), shares the places that act
# inherits, before the places of the sentences around;
# 1.52: a trigger that runs past a full stop is searched again inside the sentence it starts in (codebook.Scanner.spans);
# a nationality that names the act's towns ("in several Iraqi cities") places it before the sentences around it;
# an act that continues one made a rally abroad (abroad_as) inherits its places;
# a Persian act named by one word alone («تجمع», «تظاهرات») with neither a place nor a day in the text, no
# casualty in its sentence, no verb made of it («هک شدیم») and not opening a headline, is an allusion (dropped: allusion);
# 1.51: the places listed one to a line right under an act's sentence that names none (a post's heading, then «💥 اهواز»,
# «💥 بندرعباس», …) are the act's own; a small town alone on such a line is read as named after a cue; the cues that
# follow a known act (reference_after) are searched up to 120 characters after it (was 20);
# 1.50: a country lent by the sentence next to an act gives way to the one province of that country another sentence
# of the story names; a protesting crowd named by its nationality ("Palestinian protesters") places its act before the
# sentences around it; Persian months written joined to «ماه» («اسفندماه») date a clause (extract.dates); a settlement's
# name that begins with «بندر» / "Bandar" carries its own cue (geocode.matcher);
# 1.49: an English not_place phrase that covers a place's first word covers the place ("against the Islamic Republic
# of Iran", "sponsored by the United Arab Emirates"), and the places listed right after it ("in support of Iran,
# Lebanon and Palestine"); a place is as near its act as the country or province naming it in the same phrase
# ("a base in southern Afghanistan's Helmand province": Helmand stands where Afghanistan does); an act with no place
# of its own takes the place the next sentence gives it ("The attack took place near the city of Zahedan, …",
# «این انفجار در … رخ داد») before any other context; a demonstration placed at home only by context does not make
# the rallies abroad in the report its objects (object_abroad);
# 1.48: a nationwide act that goes on from a town's act takes only the country (1.47 went on to add the neighbours'
# places as well: a second candidate, placed by context);
# 1.47: an English act whose own phrase of place, right after it, tells it as spread over the country ("protests
# erupted in many cities") is the country's, not a town's named in another clause before it,
# nor that of the act it goes on from ("rallies were held in several cities" after one in Mashhad), and no town's act
# named in the report absorbs it;
# a sea or strait may stand further from the act (120 characters, not 60) when a ship or tanker named
# between is what was hit ("an explosion struck the Israeli-owned, Bahamas-flagged ship, …, in the Sea of Oman");
# 1.46: a codebook's `negation_before` cue, searched in the trigger's clause before it only: a denial of
#   which the act is the content ("unfounded accusations of …", "dismissed as false the claims that …");
# 1.45: a Jalali year written with two digits after «سال» («در سال ۸۸», «سال ۵۷»: 1388, 1357; 14yy when that is
#   not after next year) dates a clause, an opening adverbial or the sentence before as a full year does —
#   never a count or a share («۸۸ سال», «سال ۸۸ درصد», «سال ۸۸ هزار نفر»);
# 1.44: a report the gate's document head reads as off the codebook's topic (codebook ``gate.off_topic``: sport,
#   business, technology, entertainment) keeps only the candidates whose sentence names one of the codebook's
#   actors; the others are dropped as "off_topic", the head's score recorded on them (flag ``topic:``);
# 1.43: military bases abroad that news name without their town or country (Ain al-Asad, Ali Al Salem, Sheikh Isa,
#   Al Udeid, …) are places of their country (gazetteer sites_world.csv); a
#   country right after a place, no comma or «و» between, is its owner («پایگاه عین‌الاسد آمریکا»), not a list;
# 1.42: a country right before «در» and another country's place owns what stands there, even inside the act's
#   words («به انبار قایق‌های بدون سرنشین آمریکا در بحرین حمله کردیم»: Bahrain only);
# 1.41: a country's waters («آب‌های جنوبی ایران», "territorial waters") and «دریای کاسپین» are at sea (matcher, stop list);
# 1.40: international waters («آب‌های بین‌المللی», "international waters") are at sea (stop list);
# 1.39: a ship placed by a distance in nautical miles («۲۰ مایل دریایی شمال شرقی الخصب») is at sea, and the town the
# distance is measured from no place of the act; a sea after a trigger that ends on «در» is the phrase of place next
# to it; a port is found glued or apart («بندر عباس»: gazetteer); «خرداد امسال» is this year's month (dates);
# 1.38: places, from the coder's output on documents outside both evaluation sets: a country whose government speaks
# («وزیر خارجه دولت انگلیس») is dropped before whose forces are weighed; a country named only as whose soldiers, ships
# or bases these are («سربازان لهستان») is no place unless its own statement follows («وزارت دفاع امارات: …») or the
# sentence tells of its own ground or air defence; a Persian country named bare (not «در / به …», not an object «…
# را», not inside the act's words) is who acted beside another country's place told as one, and countries listed
# after a located one are located too; a place competes with a sea only when told as a place; a neighbour that tells
# of a sea lends no country; a quotation naming a force inside the act's words keeps its places; «فرودگاه مهرآباد»,
# «فرودگاه امام خمینی» are Tehran's (gazetteer);
# 1.37: a Persian line ending on a comma or a word no sentence ends with («… نیز دست به») goes on on the next line
# whatever word opens it; Tyre «صور» is read after «شهر» (gazetteer);
# 1.36 (place matcher): a name spelled with an abbreviation and its full stop ("St. Petersburg", "Mt. …") is that
# name; "Vladimir" is a first name first (Putin's), the Russian town only after a cue;
# 1.35: a title's headlines glued by a bare slash between Persian words («… به دمشق/حملات …») are two (not «و/یا»);
# 1.34: a sea or strait crossed or flown over («هنگام عبور از تنگه هرمز», «بر فراز …») is at sea too, and one in a
# clause set off before the act by a comma is not the act's;
# 1.33: an act told at sea (a sea, gulf, strait or ocean inside its words or in the phrase of place next to it,
# nearer than any place the sentence names) is in no country and borrows no neighbour's place (flag ``at_sea``);
# more seas, straits and canals blocked as places («کانال سوئز» is not Suez);
# 1.32: a Persian sentence wrapped over lines by hand is one sentence (a line ending on a word or a comma and
# a next line opening with «را», «و», «که», «به» (not «به گزارش»), «در», «از», «با», «تا», «برای»; not a hashtag line);
# 1.31: _FORCES_OF reads more of whose a country's things are beside another country's place: support, logistics,
# command and intelligence centres («مراکز پشتیبانی آمریکا در کویت»), facilities («تاسیسات نظامی»), convoys («کاروان
# نظامی جدید ترکیه … وارد ادلب»), divisions, brigades and units with their number («لشکر ۱۰۱ هوابرد آمریکا»),
# with up to two adjectives;
# 1.30: an act told once over a parallel list of places («رئیسی در مشهد، جهانگیری در زاهدان، نوبخت در
# گرگان … سخنرانی کردند», "X in A, Y in B, Z in C", three places or more) is an act in each; a country named
# as whose minister, ministry, spokesman, president, officials, ambassador, centres or fifth fleet speak or are is
# no place beside another country's place (_FORCES_OF); a Persian act told by the sentence's last verb alone after a comma is dated by the
# sentence's head up to its first relative «که» («… در سال ۲۰۱۸ … که … ارسال شده بود، هک شد»: history);
# 1.29: a codebook's ``negation_after`` cue, read from the trigger's start, drops an act whose own light verb
# is negated («حمله نکرد», «تجمع نکردند»; a negation elsewhere in its clause is the ``negation`` cue's);
# 1.28: a country named as whose positions, headquarters, embassy, consulate, ships or tankers these are
# («گلوله‌باران مواضع روسیه در عفرین») is no place beside a place of another country, as whose forces
# and bases were; a common word after «کشور» that names no country is no place («… در این کشور کرد»);
# 1.27: a country after "cities across", «شهرهای مختلف» (the codebook's ``unnamed_places`` cue) is the act's
# own place, not context beside a city of it ("protests erupted in cities across the United States …, in
# Minneapolis"); «حاشیه رود» (a river's bank) is no place;
# 1.26: a month named without a day is one after «اواخر / اوایل / اواسط» (late, early, mid: «در اواخر
# فوریه») and a Gregorian one after «در / از / تا / طی» («در فوریه»; not «مه», fog), so an act dated by it
# long before publication is history; a sentence's opening «(در) بهمن ۱۳۹۵،» (a month and its year) dates
# the clauses after it as «در سال ۱۳۹۵،» does; «ارتش تروریستی / اشغالگر / متجاوز آمریکا» names whose forces
# these are (as «ارتش آمریکا» did);
# 1.25: `absorbed_by` reaches from a stronger act's place to its province and country: a weaker act told
# only "in Lebanon" gives way to the stronger one "in central Beirut" the same day in the same report; the
# neighbours that lend an unplaced act their place are the nearest sentences with words (a Telegram post's
# «🔹» and «♦️» lines are none); a Persian act told as a noun phrase takes the place «در» right after it
# before one ahead of it («وزارت دفاع روسیه از هدف قرار دادن انبارهای … در منطقه خارکف»: Kharkiv);
# 1.24: suppression within a sentence ignores a cycle (A suppresses B suppresses C suppresses A: each
# stands, where before all gave way); a day in words may be followed by «ماه» before its month («سوم ماه
# ژانویه»); a soldier's or a national's country («نظامی ترکیه», «سرباز», «تبعه», «اتباع») is no place beside
# a place of another country, as with forces and bases;
# 1.23: Persian letter variants («ۀ», «أ», «إ», «ٱ», «ؤ», «ة») are folded one to one for matching, in the
# text and the patterns alike («حملۀ» is «حمله»); a subtype's `both_when` says where its sentence tells a
# second act that would otherwise suppress it (missiles and drones named together); a not_place phrase may
# look up to NOT_PLACE_AFTER characters past the place (the attacker known by the verb at the clause's end);
# a country whose bases, fleet or interests these are («پایگاه‌های آمریکا در کویت») is no place beside
# a place of another country;
# 1.22: a subtype whose act is itself a sound (`sound_is_the_act`: a broadcast) is never a detail;
# 1.21: the gate judges the categories the codebook names for the candidate's language (`gate.categories`
# may map languages to lists);
# 1.20: the gate's score is recorded only where it judged (not on a language it does not read, a
# category it leaves to the rules, a report of the actor's own outlets);
# 1.19: an act told as spread over the country (the codebook's `nationwide` cue) with no place of its
# own takes the country of the places around it, not one of their cities; an English dateline may end
# in the wires' ASCII dash "_" ("TEHRAN _ …");
# 1.18: a trained gate judges only the codebook's `gate.categories`, and not the reports of the
# actor's own outlets (the codebook's shipped gate is used by ingest and recode: pipeline.make_coder);
# 1.17: the place matcher's English stop words take common first names («Hassan» Rouhani is no town
# in India);
# 1.16: a Persian month named without a day that ended over HISTORY_DAYS before publication dates
# the trigger's clause as history («در آبان ماه گذشته»); a Jalali year of the 1200s in a date or after
# «سال»; the place matcher: a common word after a plural place noun is an adjective («استان‌های
# مرکزی») and first names are stop words («عباس»);
# 1.15: a country named as whose forces these are («نیروهای نظامی آمریکا در کرکوک») is no place beside
# a place of another country; ordinal days of Gregorian months and compound ordinals («سوم ژوئن»,
# «بیست و هفتم دسامبر») are dates;
# 1.14: an act dated more than 45 days before publication is history (was 60: the guide's "about a
# month", with slack); an opening year may carry its calendar («در سال ۱۹۸۰ میلادی، …»);
# 1.13: a short opening adverbial of time set off by a comma ("In 2004, …", «در سال ۱۳۸۳، …») dates
# the clauses after it as a year in their own would; «به گزارش خبرنگار فارس از شیراز» opening a later
# sentence is a dateline too, and the sentence before it lends that one no place; a not_place phrase
# is found where an earlier match overlaps it; a day after the Tehran day of publication is to come unless
# the report came out after 13:30 Tehran time, when that day has begun somewhere east;
# a denial is read in the trigger's own coordinated finite clause («… حمله کردند اما … ناکام ماندند»);
# 1.12: a codebook may drop an act told only as a detail with no act at its place (`lone_details`),
# the trigger scan checks every literal an expression needs first; 1.9: an act named by its town
# whose own sentence tells its casualties is news («در انفجار قندهار … کشته شدند»); 1.8: a capital
# named through its country ("the Iranian capital", «پایتخت ایران»: Tehran), a country in lower case
# after a direction; 1.7: a relative clause after the act dates another noun; 1.6: named
# known acts are history
CODER_VERSION = "1.55"

# the longest stretch before a trigger, within its clause, searched for an intent cue
INTENT_WINDOW = 120
# sentences after a bomb read for its defusing ("… planted a bomb. It was defused before …")
FOILED_SENTENCES = 2
# after a trigger: a subjunctive or future verb right behind it («شعارنویسی کنند»)
INTENT_AFTER_WINDOW = 20
REFERENCE_AFTER_WINDOW = 120
# a day that opens a sentence ("On 8 March 2022, …", «روز ۱۸ اسفند …») within this many characters
LEAD_DATE_CHARS = 12
# dropped candidates kept per report (hostile input cannot make this grow without bound)
MAX_DROPPED = 50
# CPU seconds one document may take to code; over it the document is an error (BudgetExceeded).
# Coding is linear in text length (a real 2 MB report codes in seconds); a document over the budget
# is hostile or garbage (every few words an act), and must not stall a run.
CODING_BUDGET_S = 30.0
# how far from a trigger a number may stand to be read as its quantity
QUANTITY_WINDOW = 40
# a date on the side where the language does not usually put it counts as this much farther
OFF_SIDE_DATE = 1.5
# a place on the side where the language does not usually put it: distance × 3 + 20 characters
OFF_SIDE_PLACE = 3.0
OFF_SIDE_PLACE_BASE = 20.0

# an act dated more than this before publication is history, not news (rules/1.14; 60 before)
HISTORY_DAYS = 45
# how far after a Persian trigger its clause is searched for the verb that carries modality
# (Persian puts the verb last: «… در راهپیمایی … را خواستار شد» is a call, not a march)
CLAUSE_AFTER_WINDOW = 90
_FIRST_WORD = re.compile(r"[^\s\u200c]+")
# the marks that close a sentence (a post's bare line break does not: Scanner.spans)
_FULL_STOPS = frozenset(".!?؟…")
# a trigger that is one word (a Persian word with its ZWNJ-joined suffixes, «تجمع‌ها», is one)
_ONE_WORD = re.compile(r"\s*\S+\s*")
# a definite noun of an act, "the protests", «این تجمع»: the act named before (its places are lent to the acts
# told with it; rules/1.53); not "that", as often "said that protests …" as a demonstrative
_DEFINITE_BEFORE = re.compile(r"(?:^|[\s(«\"“])(?:the|these|those|this|این|آن|همین|همان)[\s\u200c]+$")
# a Persian light verb within two words after a noun (the noun is the act's verb: «هک شدیم», «… گرفتار کردیم»)
_VERB_AFTER = re.compile(
    r"\s+(?:\S+\s+)?(?:ن|می[\s\u200c]*)?(?:کرد|شد|زد|داد|گرفت|کشید)(?:ه|ند|یم|ید|م|ی)?(?:[\s\u200c]*(?:اند|است|بود))?(?![\w\u200c])"
)
_CASUALTY = re.compile(r"(?<![\w\u200c])(?:کشته|زخمی|مجروح|هلاکت|هلاک|جان باخت|جان سپرد|شهید|شهادت|مصدوم)")

_BASE_CONFIDENCE = 0.9
_PENALTY = {
    "place_context": 0.15,  # place taken from another sentence
    "place_default": 0.35,  # no place found: the codebook's place for the actor's own outlets
    "date_publication": 0.05,
    "date_reporting": 0.05,
    "title_only": 0.1,
    "opinion": 0.2,
}

# clause breaks: punctuation, a dash, a Persian "and after that" («و پس از آن …»: the next step of a
# story), and a Persian "after (that)" clause, which tells an act that happened («… ابراز نگرانی کردند پس از اینکه افراد ناشناس خودرو را آتش زدند»): the worry or plan of
# the main clause is not that act's modality
_CLAUSE_BREAK = re.compile(
    r"[,;:،؛]\s|\s[-–—]\s|\s(?=(?:پس|بعد) از (?:این|آن)[\s\u200c]?که\s)|\sو (?=(?:پس|بعد) از آن\s)"
)
# what may stand between two places of one list: "in Tehran, Karaj and Rasht", «در تهران، کرج و رشت»
_LIST_GAP = re.compile(
    r"[\s,،؛;/]*(?:(?:and|or|as well as|&|و|یا|نیز|همچنین)[\s,،]*)?"
    r"(?:(?:in|at|the|city of|town of|در|شهر|شهرهای|شهرستان|شهرستان‌های|استان)[\s\u200c]+)*"
)
_EN_DATELINE = re.compile(
    r"\s*[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3}(?:,\s*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,2})?"
    r"(?:\s+\d{1,2}(?:,\s*\d{4})?)?"  # "NEW DELHI, March 7 (Xinhua) --"
    r"\s*(?:\([^)]{1,40}\))?\s*(?:--|[-—–:_])\s"  # "_": the wires' ASCII dash ("TEHRAN (AP) _ …")
)
# sections of news sites that hold opinion and analysis (English and transliterated Persian slugs)
_OPINION_URL = re.compile(
    r"/(?:opinion|opinions|analysis|comment|commentisfree|editorial|editorials|op-ed|oped|columns?|"
    r"columnists?|blogs?|views|viewpoint|perspectives?|yaddasht|tahlil|maghaleh)(?:/|$|-)"
)
_AND = re.compile(r"\s(?:و|and)\s")
_DIGIT = re.compile(r"\d")
# an English relative clause a few words after the act tells of another noun than the act:
# "protesters rallied …, reviving the chant that rang a decade ago" (its time is the chant's)
_OTHER_RELATIVE = re.compile(r"(?:\s+\S+){4,}?\s+(?:that|which|who|whose)\s")
# what may stand between an act and the town it is known by: "the Madrid (train) bombings",
# «انفجار(های) (اخیر|تروریستی) بیروت» (an ezafe, a plural, one adjective; no preposition)
_NAMED_EVENT_GAP = {
    "en": re.compile(r"(?:'s)?\s(?:[a-z]+\s)?"),
    "fa": re.compile(
        r"(?:\u200c?(?:ها|های)(?=[\s\u200c]))?[\s\u200c]+"
        r"(?:(?:اخیر|تروریستی|مرگبار|خونین|انتحاری|مهیب|بزرگ)[\s\u200c]+)?"
    ),
}
_THE_BEFORE = re.compile(r"\bthe\s$")
# the nouns a known act is named with (the whole trigger)
_NAMED_EVENT_NOUN = {
    "en": re.compile(
        r"(?:[a-z-]+\s)?(?:bombings?|blasts?|attacks?|explosions?|shootings?|riots?|protests?|massacres?|killings?"
        r"|uprising|unrest|clashes|siege|arson attacks?|car bomb(?:ing)?s?)"
    ),
    "fa": re.compile(
        r"(?:انفجار|بمب[\s\u200c]*گذاری|حمله|حملات|تیراندازی|ترور|آتش[\s\u200c]*سوزی|تظاهرات|اغتشاش|اغتشاشات|شورش"
        r"|کشتار|درگیری)(?:[\s\u200c]*(?:ها|های))?(?:[\s\u200c]+(?:تروریستی|انتحاری|مسلحانه))?"
    ),
}
# an act named by its town but told as news: "in the Kabul blast, three people were killed",
# «در انفجار قندهار … کشته شدند» (the act's casualties, in the past passive, in its own sentence)
_IN_BEFORE_NAMED = {
    "en": re.compile(r"\b(?:in|by)\s+the\s$"),
    "fa": re.compile(r"(?<![\w\u200c])(?:در|در اثر|بر اثر|در پی)[\s\u200c]+$"),
}
_CASUALTIES = {
    "en": re.compile(r"\b(?:were|was)\s+(?:killed|wounded|injured)\b"),
    "fa": re.compile(
        r"(?<![\w\u200c])(?:(?:کشته|زخمی|مجروح|مصدوم|هلاک)[\s\u200c]+(?:شد|شدند|گردید|گردیدند)"
        r"|جان[\s\u200c]+(?:باخت|باختند)|به[\s\u200c]+(?:شهادت|هلاکت)[\s\u200c]+(?:رسید|رسیدند))(?![\w\u200c])"
    ),
}
# a demonstrative right before an act: it points back at one named before
_ANAPHOR_BEFORE = {
    "en": re.compile(r"\b(?:this|that|these|those|the same)\s$"),
    "fa": re.compile(r"(?<![\w\u200c])(?:این|آن|همین|همان)[\s\u200c]+$"),
}
_JOINED = re.compile(r"\s(?:و|and|or|یا)\s|[,،]")
LIST_GAP_CHARS = 40
# a dateline may head the first sentences («خبرگزاری فارس: …» then «به گزارش خبرنگار فارس از تبریز، …»)
DATELINE_SENTENCES = 3
# further down a report, only «به گزارش خبرنگار فارس از شیراز …» opening a sentence is a dateline
_REPORTED_FROM = re.compile(r"\s*به گزارش\s+(?:گروه \S+\s+)?(?:خبرگزاری|خبرنگار)\s+\S+\s+(?:از|در)\s")
# a year written out: "in 1969", «در سال ۱۳۵۷» (digits are ASCII in normalised text)
# a Jalali year written with two digits, right after «سال» («در سال ۸۸», «سال ۹۶»: 1388, 1396; see
# _jalali_short_year), and what after it makes the number no year: a share, a count, an age, another era
_SHORT_YEAR = r"(?<=سال[\s\u200c])\d\d"
_NOT_A_SHORT_YEAR = r"درصد|نفر|سال|ساله|میلیون|هزار|میلیارد|روز|ماه|میلادی|قمری|هجری(?![\s\u200c]*شمسی)"
_YEAR_RE = re.compile(
    r"(?:\bin|\bback in|\bduring|\bsince|در سال|در|سال|از سال)[\s\u200c]+(?:the[\s]+)?(?:year[\s]+)?(?:[^\W\d]+[\s\u200c]+){0,2}"
    # a Jalali year of the 1200s only right after «سال» («در سال ۱۲۹۶»): «در ۱۲۵۰ روستا» counts villages
    r"(1[3-4]\d\d|19\d\d|20\d\d|(?<=سال[\s\u200c])12\d\d"
    # never a count («۸۸ سال») nor a share («سال ۸۸ درصد»)
    rf"|{_SHORT_YEAR}(?![\s\u200c]*(?:{_NOT_A_SHORT_YEAR})(?![\w\u200c])))"
    r"(?![\d/-]|\.\d)"  # a full stop after the year ends the sentence
)
# a year before a noun: "the 2003 shootings", "the 1981 riots" (an old year dates that act)
_ATTRIBUTIVE_YEAR_RE = re.compile(r"\b(?:the|its|their)\s+(19\d\d|20\d\d)(?=\s+[A-Za-z])")
# a year that closes a sentence's opening adverbial ("In 2004", «شاید کمتر کسی بداند در سال ۱۳۸۳»)
# (a month may stand before the year: «بهمن ۱۳۹۵،», «در دی‌ماه ۱۳۹۸،», "In May 2004,")
_MONTH_BEFORE_YEAR = "|".join(
    (*JALALI_MONTHS_FA, *GREGORIAN_MONTHS_FA, *(m.lower() for m in GREGORIAN_MONTHS_EN))
)
_FRONTED_YEAR = re.compile(
    r"(?:(?:\bin|\bback in|در سال|در|سال)[\s\u200c]+|^)"
    rf"(?:(?:{_MONTH_BEFORE_YEAR})(?:[\s\u200c]*ماه)?[\s\u200c]+)?"
    rf"(?:1[3-4]\d\d|19\d\d|20\d\d|{_SHORT_YEAR})"
    r"(?:[\s\u200c]+(?:میلادی|شمسی|خورشیدی|قمری|هجری(?:[\s\u200c]+(?:شمسی|قمری))?))?\s*$"
)
FRONTED_TIME_WORDS = 8  # words at most in such an opening
# what may follow a sentence's last verb: punctuation, quotes, emoji and space
_END_OF_SENTENCE = re.compile(r"[\s.!?؟;؛:»\"')\u200c]*")
_RELATIVE_KE = re.compile(r"(?<![\w\u200c])که(?![\w\u200c])")
_A_YEAR = re.compile(rf"(?<!\d)(?:1[34]\d\d|19\d\d|20\d\d|{_SHORT_YEAR})(?!\d)")
# between a region and the country it lies in: «بلوچستان پاکستان», "Balochistan, Pakistan", "Balochistan in Pakistan"
_COUNTRY_AFTER = re.compile(r"\s*(?:,\s*|in\s+)")
_JOINED_COUNTRY = re.compile(r"[\s\u200c]+")
# English prepositions of place ("in Iran", "across the country")
_EN_PLACE_PREPOSITIONS = "in|across|throughout|inside"
# a preposition of place right before a place ("in Iran", «در ایران»)
_LOCATIVE_BEFORE = {
    "en": re.compile(rf"\b(?:{_EN_PLACE_PREPOSITIONS})\s+(?:the\s+)?$"),
    "fa": re.compile(r"(?<![\w\u200c])(?:در|سراسر)[\s\u200c]+$"),
}
# between an act's words and the place right after them ("protests in Iran", "unrest erupted across the …")
_PLACE_NEXT = re.compile(rf"\s*(?:(?:{_EN_PLACE_PREPOSITIONS}|all over)\s+)?(?:the\s+)?")
# a day of an old year ("on 1 May, 2002", "May 1, 2002"): as much history as "in 2002"
_FULL_DATE_YEAR_RE = re.compile(
    r"\b(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r",?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(19\d\d|20\d\d)\b"
)
_QUOTES = re.compile(r"«[^»]{1,300}»|“[^”]{1,300}”|\"[^\"]{1,300}\"|(?<!\w)'[^']{1,300}'(?!\w)")
_NUMBER_RE = re.compile(r"(?<![\d.,/:-])(\d{1,3}(?:,\d{3})+|\d{1,6})(?![\d/:]|\.\d)")
_NOT_QUANTITY_AFTER = re.compile(
    r"\s*(?:%|percent|years?|yr|سال|ساله|ساعت|hours?|o'clock|am\b|pm\b|درصد|km|کیلومتر|تومان|ریال|dollars?|دلار|kilograms?|کیلو)",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5,
    "شش": 6, "هفت": 7, "هشت": 8, "ده": 10, "دوازده": 12, "پانزده": 15, "بیست": 20,
}  # fmt: skip
_NUMBER_WORD_RE = re.compile(
    r"(?<![\w\u200c])(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?![\w\u200c])",
    re.IGNORECASE,
)

PlaceBasis = Literal["sentence", "context", "demonym", "default", "water"]
# the trigger inside the object of a demand: a few words, then «را» right before the demand verb
# a place that is the object of the verb («… ایران را هدف قرار دادند»)
_OBJECT_AFTER = re.compile(r"[\s\u200c]+(?:\S+[\s\u200c]+)?را(?![\w\u200c])")
_OBJECT_DEMANDED = re.compile(r"\s*(?:[^\s،,.:؛]+[\s\u200c]+){0,6}را[\s\u200c]+$")
# what an adjective of nationality must qualify to say where an act happened: a place, a state force
# or the people who acted ("Syrian forces", "the Tunisian capital", "Indian-controlled Kashmir",
# «نیروهای عراقی», "Sudanese protesters", "thousands of Sudanese rallied", «معترضان گواتمالایی»);
# an act whose sentence names no place happened in that country
# a protesting crowd named by its nationality ("Palestinian protesters", «معترضان عراقی»): where it protested (one of
# the heads a nationality places, the one that places an act before the sentences around it: _assign_places)
_CROWD_NOUNS_EN = "protesters|protestors|demonstrators|marchers|rioters"
_CROWD_NOUNS_FA = "معترضان|معترضین|تظاهرکنندگان|تظاهر کنندگان|راهپیمایان"
# (or the towns it names by their nationality, "in several Iraqi cities", «شهرهای عراقی»: coder rules/1.52)
_CROWD_HEAD_EN = rf"\s+(?:\w+\s+)?(?:{_CROWD_NOUNS_EN}|cities|towns|villages|provinces)\b"
_CROWD_HEAD_FA = rf"(?:{_CROWD_NOUNS_FA}|شهرهای|روستاهای|استان[\s\u200c]?های)[\s\u200c]+"
_DEMONYM_HEAD_EN = (
    r"(?:-controlled|-administered|-held|\s+(?:\w+\s+)?(?:city|cities|towns?|capital|villages?|provinces?|"
    r"regions?|countryside|border|police|policemen|forces|troops|soldiers|army|military|authorities|"
    rf"government|security|state|coast|territory|{_CROWD_NOUNS_EN}|rebels|"
    r"militants|insurgents|guerrillas|opposition|activists|students|workers|villagers|youths|crowds?|"
    r"rallied|marched|protested|demonstrated|took to the streets))\b"
)
# a country named as whose forces, bases, interests, positions, missions, ships, centres or speaking officials
# these are (see RuleCoder._prune): the words right before it («پایگاه‌های آمریکا در کویت»: the US's bases, in
# Kuwait; rules/1.23; «مواضع روسیه در عفرین», rules/1.28; «وزیر خارجه دولت انگلیس», rules/1.30; «مراکز پشتیبانی
# آمریکا در کویت», «تاسیسات نظامی آمریکا», rules/1.31)
# whose government speaks («وزیر امور خارجه دولت انگلیس … از این حمله حمایت کرد», rules/1.30): a country named so
# is dropped before whose forces are weighed, so that the forces named beside it keep their country (rules/1.38:
# «وزیر خارجه دولت انگلیس … درباره حمله اخیر آمریکا به مقرهای … ارتش عراق»: Iraq)
_SPEAKERS_FA = (
    r"(?:(?:وزیر|وزارت)(?:[\s\u200c]+امور)?[\s\u200c]+(?:خارجه|دفاع|کشور|جنگ)|سخنگوی(?:[\s\u200c]+(?!(?:در|به|از|با|که|و|را|برای)[\s\u200c])\S+){0,3}|"
    r"(?:رئیس|رییس)[\s\u200c]+(?:جمهور|جمهوری|مجلس(?:[\s\u200c]+(?:نمایندگان|سنا))?|ستاد[\s\u200c]+مشترک(?:[\s\u200c]+ارتش)?)|"
    r"نخست[\s\u200c]*وزیر|مقامات|مقام[\s\u200c]?های|سفیر|سناتور(?:[\s\u200c]?های)?|مشاور[\s\u200c]+امنیت[\s\u200c]+ملی)"
    r"(?:[\s\u200c]+دولت)?"
)
_SPEAKERS_OF = {"fa": re.compile(_SPEAKERS_FA + r"[\s\u200c]+$")}
_FORCES_OF = {
    "fa": re.compile(
        r"(?:نیروهای|نیروی|نظامیان|نظامی|سربازان|سرباز|تفنگداران|تفنگدار|ارتش|مستشاران|مستشار|منافع|ناوگان|ناوهای|ناو|"
        r"تبعه|اتباع|پایگاه(?:[\s\u200c]?(?:های|ها))?|مواضع|مقر(?:[\s\u200c]?(?:های|ها))?|سفارت(?:خانه)?|کنسولگری|"
        r"کشتی(?:[\s\u200c]?(?:های|ها))?|نفتکش(?:[\s\u200c]?(?:های|ها))?|(?:ناوشکن|ناوچه|زیردریایی)(?:[\s\u200c]?(?:های|ها))?|"
        + _SPEAKERS_FA
        + r"|مراکز|تاسیسات|کاروان(?:[\s\u200c]?(?:های|ها))?|(?:لشکر|تیپ|یگان|گردان|ناو[\s\u200c]?هواپیمابر)(?:[\s\u200c]+[\d۰-۹]+)?"
        # whose aircraft and drones these are (rules/1.55: «پهپاد متخاصم دشمن آمریکا … سرنگون شد», «بالگرد آپاچی آمریکا»)
        r"|(?:پهپاد|بالگرد|هلیکوپتر|جنگنده|هواپیمای[\s\u200c]+جاسوسی|هواپیمای[\s\u200c]+نظامی)(?:[\s\u200c]?(?:های|ها))?)"
        r"(?:[\s\u200c]+(?:نظامی|مسلح|ویژه|دریایی|هوایی|زمینی|ائتلاف|رزمی|تروریستی|اشغالگر|متجاوز|جنایتکار|مهم|حساس|راهبردی|"
        r"پشتیبانی|لجستیکی|فرماندهی|اطلاعاتی|هوابرد|زرهی|پیاده|متخاصم|دشمن|جاسوسی|شناسایی|انتحاری|تهاجمی|آپاچی|"
        r"[a-z][a-z0-9\-]*|[a-z]*[\-]?[\d۰-۹]+|"
        r"اول|دوم|سوم|چهارم|پنجم|ششم|هفتم|جدید|تازه)){0,2}[\s\u200c]+$"
    ),
    "en": re.compile(r"\b(?:forces|troops|soldiers|army|military|marines|bases)\s+of\s+(?:the\s+)?$"),
}
FORCES_OF_REACH = 40
# the opening of a force's or organisation's name ("ارتش ملی لیبی", "the Free Syrian Army")
_ORG_NAME = re.compile(
    r"[\s\u200c]*(?:ارتش|نیروهای|نیروی|جبهه|گروه|سازمان|حزب|جنبش|شورای|ائتلاف|سپاه|لشکر|تیپ)"
    r"|[\s\u200c]*[^\n]{0,40}?\b(?:army|forces|front|brigades?|movement|party|council|coalition)\b",
    re.IGNORECASE,
)
_COLON_AFTER = re.compile(r"[ \t\u200c]*:")
# the words that name a kind of place (a checkpoint, a square, a village …) at the head of a quotation or right
# before it: the quotation is that place's name, not a slogan
_PLACE_KINDS_FA = (
    r"(?:ایست[\s\u200c]*بازرسی|میدان|خیابان|بلوار|بزرگراه|اتوبان|محله|روستای|روستا|شهرک|شهرستان|شهر|منطقه|"
    r"پایگاه|پاسگاه|پادگان|اردوگاه|بندر|جزیره|استان|تنگه|گذرگاه|مرز|فرودگاه)"
)
_PLACE_KIND_QUOTED = re.compile(r"[\s\u200c]*" + _PLACE_KINDS_FA + r"(?![\w\u200c])")
_PLACE_KIND_BEFORE = re.compile(r"(?<![\w\u200c])" + _PLACE_KINDS_FA + r"[\s\u200c]*$")
# a sentence that tells of the speaking state's own ground (see RuleCoder._prune)
_OWN_GROUND = {
    "fa": re.compile(
        r"(?<![\w\u200c])(?:این کشور|کشورش|کشور خود|خاک خود|خاکش|حریم هوایی خود|داخل کشور|(?:پدافند|دفاع)[\s\u200c]+هوایی|"
        r"(?:سامانه|سامانه[\s\u200c]?های|کشور|خاک|آسمان|حریم هوایی)[\s\u200c]+ما)(?![\w\u200c])"
    ),
    "en": re.compile(r"\b(?:the country|its (?:territory|airspace|soil)|the kingdom|air defen[cs]es?|our)\b"),
}


def _named_as(rxs: Mapping[str, re.Pattern[str]], f: _Field, p: PlaceMatch, lang: str) -> bool:
    """Whether a country is named right after the words of ``rxs`` (_FORCES_OF: whose forces, bases, ships or
    officials these are; _SPEAKERS_OF: whose government speaks)."""
    rx = rxs.get(lang)
    return (
        p.place.precision == "country"
        and rx is not None
        and rx.search(f.low, max(0, p.start - FORCES_OF_REACH), p.start) is not None
    )


def _without_bare_countries(places: list[PlaceMatch], low: str, trigger: _Trigger | None) -> list[PlaceMatch]:
    """«ترکیه درباره حضور این افراد …» beside «در ادلب»: a Persian country named bare (not «در / به …», not an object
    «… را», not inside the act's words) is who acted or spoke, where another country's place is told as one
    (rules/1.38); the places listed after a located one («به بحرین، کویت و اردن») are located too."""
    located: list[PlaceMatch] = []
    for q in sorted(places, key=lambda q: q.start):
        if _AT_PLACE["fa"].search(low, max(0, q.start - 30), q.start) or (
            located
            and _LIST_GAP.fullmatch(low, located[-1].end, q.start) is not None
            # a list needs its comma or «و»: a country right after a place is its owner («پایگاه عین‌الاسد آمریکا»)
            and _LIST_JOIN.search(low, located[-1].end, q.start) is not None
        ):
            located.append(q)
    return [
        p
        for p in places
        if not (
            p.place.precision == "country"
            and p not in located
            and not (
                trigger is not None
                and trigger.start <= p.start
                and p.end <= trigger.end
                and not _owner_in(p, located, low)
            )
            and not _OBJECT_AFTER.match(low, p.end)
            and any(q.place.country != p.place.country for q in located)
        )
    ]


# a list's separator between two places (wider than _JOINED: «؛», «/» and «و» after a ZWNJ too)
_LIST_JOIN = re.compile(r"[,،؛;/]|(?<![\w\u200c])(?:و|یا)(?![\w\u200c])")

# «انبار … آمریکا در بحرین»: a country right before «در» and another country's place owns what stands there
_IN_AFTER_OWNER = re.compile(r"[\s\u200c]+در[\s\u200c]+")


def _owner_in(p: PlaceMatch, located: list[PlaceMatch], low: str) -> bool:
    """Whether a country is named as the owner of what stands in another country's place told right after it
    («به انبار قایق‌های بدون سرنشین آمریکا در بحرین حمله کردیم»: Bahrain, even inside the act's words)."""
    return any(
        q.place.country != p.place.country and _IN_AFTER_OWNER.fullmatch(low, p.end, q.start) is not None
        for q in located
    )


_DEMONYM_HEAD_FA = (
    r"(?:شهر|شهرهای|پایتخت|روستای|روستاهای|استان|مرز|مرزهای|پلیس|نیروهای|ارتش|نظامیان|دولت|مقامات|"
    rf"نیروهای امنیتی|خاک|سواحل|{_CROWD_NOUNS_FA}|شورشیان|ستیزه جویان|"
    r"شبه نظامیان|مخالفان|کارگران|دانشجویان|جوانان|مردم)[\s\u200c]+"
)


@dataclass(frozen=True, slots=True)
class _Trigger:
    subtype: str
    start: int
    end: int
    sent: int  # sentence index in its field


@dataclass
class _Field:
    """One coded field (title or body) of a document."""

    name: Literal["title", "text"]
    stored: str
    norm: NormalizedText
    low: str  # matching_text(norm.text): what codebook expressions run on
    sentences: list[tuple[int, int]]
    sent_places: list[list[PlaceMatch]] = field(default_factory=list)
    sent_dates: list[list[DateMatch]] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    actors: list[tuple[int, str]] = field(default_factory=list)  # (position, actor id)
    dates_so_far: list[DateMatch | None] | None = None  # see RuleCoder._dates_so_far
    searched: dict[tuple[int, int, int], bool] = field(default_factory=dict)  # see found()
    # per sentence start: where its coordinated finite clauses end and begin (see _conjunct)
    conjuncts: dict[int, tuple[list[int], list[int]]] = field(default_factory=dict)
    # countries of the places named, datelines included; outlet and agency names count only for
    # the home country ("the Fars news agency reported": a report from home, AFP's Persian name
    # «خبرگزاری فرانسه»: not a report from France)
    countries: set[str] = field(default_factory=set)

    def first_sentence(self) -> str:
        """The first sentence, as codebook expressions read it (empty for an empty field)."""
        return self.low[: self.sentences[0][1]] if self.sentences else ""

    def found(self, rx: Rx, start: int, end: int) -> bool:
        """Whether ``rx`` matches ``low[start:end]`` (remembered: every trigger of a sentence asks)."""
        key = (id(rx), start, end)
        hit = self.searched.get(key)
        if hit is None:
            hit = self.searched[key] = rx.search(self.low[start:end]) is not None
        return hit

    def actors_in(self, start: int, end: int) -> list[str]:
        i = bisect.bisect_left(self.actors, (start, ""))
        j = bisect.bisect_left(self.actors, (end, ""))
        return [a for _, a in self.actors[i:j]]


@dataclass
class _Coded:
    """The mentions coded so far in one field, indexed by subtype for what later sentences inherit
    from them (their places, their date): looked up in constant time, so that coding stays linear in
    the length of a report."""

    mentions: list[Mention] = field(default_factory=list)
    places: dict[str, dict[str, PlaceMatch]] = field(default_factory=dict)
    last_dated: dict[str, Mention] = field(default_factory=dict)

    def extend(self, mentions: Iterable[Mention], found_as: str | None = None) -> None:
        """``found_as``: the subtype the trigger was found as, when a place abroad made it another (a
        demonstration abroad is a rally, ``abroad_as``): "The protests resumed on October 25" goes on with
        the protests "in several Iraqi cities" all the same."""
        for m in mentions:
            self.mentions.append(m)
            for key in dict.fromkeys((m.subtype, found_as or m.subtype)):
                if m.place is not None and "place_default" not in m.flags:
                    self.places.setdefault(key, {}).setdefault(
                        m.place_key, PlaceMatch(-1, -1, m.place_text or m.place.name, m.place, None)
                    )
                if m.date_precision != "publication":
                    self.last_dated[key] = m


@dataclass
class _DocContext:
    doc: Document
    lang: str
    opinion: bool
    actors: list[str]
    outlet: Outlet | None
    title: _Field | None
    body: _Field
    retrospective: bool = False  # a report that looks back (memoir, history): acts need a recent date
    abroad: bool = False  # a report about abroad: its unplaced acts follow ``abroad_as`` (see code())
    head: str = ""  # the title and the first sentence of the body (matching text): what the report is about
    # the gate's document head's score of the report when it reads it as off the codebook's topic (sport,
    # business, technology, entertainment: codebook ``gate.off_topic``), else None
    off_topic: float | None = None
    # subtypes of acts dropped as history or as a known act named: "this explosion" later on is that one
    history_dropped: set[str] = field(default_factory=set)
    # the day a year named in the text is read against ("in 2004" long before it): the publication day,
    # or, where publication days are placeholders, the latest month the report names with its year
    # (see RuleCoder._year_reference); None: no year check
    year_of: dt.datetime | None = None


@dataclass
class CodingStats:
    """Why triggers were dropped, counted per reason (reported in the run)."""

    dropped: dict[str, int] = field(default_factory=dict)

    def drop(self, reason: str, n: int = 1) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + n


def _bucket(
    items: Sequence[PlaceMatch] | Sequence[DateMatch], sentences: list[tuple[int, int]]
) -> list[list]:  # type: ignore[type-arg]
    starts = [s for s, _ in sentences]
    buckets: list[list] = [[] for _ in sentences]  # type: ignore[type-arg]
    for it in items:
        i = bisect.bisect_right(starts, it.start) - 1
        if 0 <= i < len(sentences) and it.start < sentences[i][1]:
            buckets[i].append(it)
    return buckets


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The span of ``spans`` (sorted, not overlapping) that holds ``start..end``, if any."""
    i = bisect.bisect_right(spans, (start, sys.maxsize)) - 1
    return spans[i] if i >= 0 and end <= spans[i][1] else None


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined: sorted, not overlapping (what :func:`_inside` looks in)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


class RuleCoder:
    """Codes documents with a codebook and a gazetteer; keeps no state between documents but stats."""

    def __init__(
        self,
        codebook: Codebook,
        gazetteer: Gazetteer,
        outlets: Mapping[str, Outlet] | None = None,
        assist: ModelAssist | None = None,
        *,
        date_gate: bool = True,
        year_gate: bool | None = None,
        relevance: Relevance | None = None,
        budget_s: float | None = CODING_BUDGET_S,
    ) -> None:
        self.codebook = codebook
        self.budget_s = budget_s
        self._deadline = float("inf")
        self.relevance = relevance
        # off only for collections whose publication dates are placeholders (evaluation corpora):
        # there a day "after publication" or "long before" it says nothing about the act; the year
        # check ("in 1969") can stay on where the placeholder is the right year or so
        self.date_gate = date_gate
        self.year_gate = date_gate if year_gate is None else year_gate
        self.gazetteer = gazetteer
        self.outlets = outlets if outlets is not None else {}
        self.assist = assist
        mode = CODER_NAME if assist is None else assist.spec.mode
        self.name = f"{mode}/{CODER_VERSION}"
        self.stats = CodingStats()
        self._dropped: list[Mention] = []
        self._scores: dict[int, float] = {}
        self._demonym_rx = {lang: _demonym_regex(gazetteer.demonyms(lang), lang) for lang in ("en", "fa")}
        self._crowd_demonym_rx = {
            lang: _demonym_regex(gazetteer.demonyms(lang), lang, crowd=True) for lang in ("en", "fa")
        }
        # the home country's people anywhere in a report ("Iranians", «ایرانی‌ها»): see _about_abroad
        self._home_people = {
            lang: _people_regex(
                [w for w, c in gazetteer.demonyms(lang).items() if c == codebook.home_country], lang
            )
            for lang in ("en", "fa")
        }
        self._scan: dict[str, list[tuple[str, Scanner]]] = {
            lang: [(st.id, st.scan[lang]) for st in codebook.subtypes.values() if lang in st.scan]
            for lang in codebook.languages
        }

    # --- public -----------------------------------------------------------------------------------
    def code_with_dropped(self, doc: Document) -> tuple[list[Mention], list[Mention]]:
        """The mentions of a report, and the candidates the gate dropped (flag ``dropped:<reason>``)."""
        mentions = self.code(doc)
        return mentions, list(self._dropped)

    def code(self, doc: Document) -> list[Mention]:
        """The mentions of a document; raises :class:`BudgetExceeded` when coding it takes longer
        than ``budget_s`` CPU seconds."""
        self._dropped = []
        self._deadline = time.process_time() + self.budget_s if self.budget_s else float("inf")
        lang = doc.lang
        if lang not in self._scan:
            self.stats.drop("unsupported_language")
            return []
        body = self._field("text", doc.text, doc, lang)
        title = None
        if doc.title:
            title_norm = normalize_for_matching(doc.title)
            head = title_norm.text.rstrip(" .…")
            # a headline that is the body's own words adds nothing (and costs a second pass)
            if len(head) < 20 or head not in body.norm.text:
                title = self._field("title", doc.title, doc, lang, title_norm)
        fields = [f for f in (body, title) if f is not None]
        fills = self.assist is not None and self.assist.fills
        if self.assist is not None and not self.assist.use_rules:
            triggers = {f.name: self._model_triggers(f) for f in fields}
        else:
            triggers = {f.name: self._triggers(f, lang) for f in fields}
        if not any(triggers.values()) and fills:
            triggers, fills = {f.name: self._model_triggers(f) for f in fields}, False
        if not any(triggers.values()):
            return []  # most reports name no act: places and dates are not even looked for
        for f in fields:
            self._enrich(f, doc, lang)
        opinion = self._is_opinion(doc, lang, body)
        actors_doc = _unique(a for f in fields for _, a in f.actors)
        retro = self._cue("retrospective", lang)
        looks_back = bool(retro and any(retro.search(f.low) for f in fields))
        ctx = _DocContext(
            doc,
            lang,
            opinion,
            actors_doc,
            self.outlets.get(doc.outlet),
            title,
            body,
            looks_back,
            self._about_abroad(fields, lang),
            self._head(title, body),
        )
        ctx.off_topic = self._off_topic(doc, lang)
        ctx.year_of = self._year_reference(doc, fields)
        mentions = [m for f in fields for m in self._code_field(f, triggers[f.name], ctx)]
        if not mentions and fills:
            # the rules' candidates were all dropped: the model's proposals, through the same gate
            mentions = [m for f in fields for m in self._code_field(f, self._model_triggers(f), ctx)]
        mentions = self._drop_objects_abroad(self._one_per_key(self._titles_of_plans(mentions)), lang)
        mentions = self._drop_unplaced_twins(mentions)
        if self.codebook.lone_details == "drop":
            # a sound heard with no act told at its place is no event for this codebook
            mentions = self._drop_where(mentions, lambda m: "detail" in m.flags, "detail_alone")
        if self.assist is not None and self.assist.reviews:
            mentions = self.assist.review(mentions, self.codebook.review_below)
        return mentions

    def _year_reference(self, doc: Document, fields: list[_Field]) -> dt.datetime | None:
        """The day a year named in the text is read against: the publication day where the year check
        is on; where publication days are placeholders (``date_gate`` and ``year_gate`` off: an
        archive of undated pages), the first day of the latest month the report names with its year
        ("on November 27, 2020", "in October 2018"), as a stand-in for the day it was written: an act
        "in January 2011" told in a report that also names March 2019 is history; None when the report
        names no such month (no year check)."""
        if self.year_gate:
            return doc.published
        if self.date_gate:
            return None
        latest = max((d for f in fields if (d := latest_named_month(f.low)) is not None), default=None)
        return None if latest is None else dt.datetime(latest.year, latest.month, 1, 12, tzinfo=dt.UTC)

    def _off_topic(self, doc: Document, lang: str) -> float | None:
        """The gate's document score of a report it reads as off the codebook's topic (under the gate's
        threshold), for the languages the codebook names in ``gate.off_topic``; else None."""
        topic = getattr(self.relevance, "topic_score", None)
        if self.relevance is None or topic is None or lang not in self.codebook.gate_off_topic:
            return None
        score = topic(f"{doc.title}\n{doc.text}" if doc.title else doc.text, lang)
        return score if score is not None and score < self.relevance.threshold else None

    def _titles_of_plans(self, mentions: list[Mention]) -> list[Mention]:
        """A headline's act that the body tells only as a plan or a call (the body's every trigger of
        it dropped as intent or future, none coded) is that plan («حضور مردم در راهپیمایی روز قدس» over
        a sermon that asks for it)."""
        if not any(m.field == "title" for m in mentions):
            return mentions
        coded = {m.subtype for m in mentions if m.field == "text"}
        planned = {
            m.subtype
            for m in self._dropped
            if m.field == "text" and ("dropped:intent" in m.flags or "dropped:future" in m.flags)
        }
        planned -= coded
        if not planned:
            return mentions
        # the subtypes a planned act may have become in the headline ("abroad_as")
        planned |= {ab for st in planned if (ab := self.codebook.subtypes[st].abroad_as)}
        out = []
        for m in mentions:
            if m.field == "title" and m.subtype in planned and m.subtype not in coded:
                self.stats.drop("intent")
                if len(self._dropped) < MAX_DROPPED:
                    self._dropped.append(replace(m, flags=("dropped:intent",)))
                continue
            out.append(m)
        return out

    def _drop_unplaced_twins(self, mentions: list[Mention]) -> list[Mention]:
        """An act of a category that the same report places elsewhere in it, told without a place of
        its own ("a deadly crackdown on demonstrations earlier this month" in a report of protests in
        Baghdad), is that act again or background to it, not an act in an unknown place: dropped
        (reason ``placed_elsewhere``)."""
        placed = {m.category for m in mentions if m.place is not None}
        if not placed or all(m.place is not None for m in mentions):
            return mentions
        return self._drop_where(
            mentions, lambda m: m.place is None and m.category in placed, "placed_elsewhere"
        )

    def _drop_where(
        self, mentions: list[Mention], drop: Callable[[Mention], bool], reason: str
    ) -> list[Mention]:
        """``mentions`` without those ``drop`` picks, which are counted and kept as dropped candidates
        (flag ``dropped:<reason>``)."""
        kept = []
        for m in mentions:
            if not drop(m):
                kept.append(m)
                continue
            self.stats.drop(reason)
            if len(self._dropped) < MAX_DROPPED:
                self._dropped.append(replace(m, flags=(f"dropped:{reason}", *m.flags)))
        return kept

    def _drop_objects_abroad(self, mentions: list[Mention], lang: str) -> list[Mention]:
        """A protest at home about abroad (a gathering «در محکومیت کشتار مردم غزه», a Quds Day march,
        "Iranians rallied in support of Lebanon"): the place abroad its sentences name is what the
        protest is about, not a second protest abroad. In a report that places a demonstration at
        home, the mentions that a place abroad turned into a rally abroad (``abroad_as``) are dropped
        (reason ``object_abroad``). A demonstration placed at home only from the sentences around it
        (``place_context``: "The protests resumed on October 25", in a report on Iraq and Lebanon) is
        no such evidence (rules/1.49). An English trigger that names the home country in a list of
        countries ("There were demonstrations … in Iran, Iraq, Syria and Lebanon") tells rallies in each:
        those of the same words stay (rules/1.54; a Persian list after one act names its objects as often)."""
        home, subtypes = self.codebook.home_country, self.codebook.subtypes
        at_home = [
            m
            for m in mentions
            if subtypes[m.subtype].abroad_as
            and m.place is not None
            and m.place.country == home
            and "place_context" not in m.flags
        ]
        flags = {f"abroad_as_{subtypes[m.subtype].abroad_as}" for m in at_home}
        if not home or not flags:
            return mentions
        listed = {
            (m.field, m.trig_start) for m in at_home if m.place is not None and m.place.precision == "country"
        }

        def an_object(m: Mention) -> bool:
            return not flags.isdisjoint(m.flags) and not (lang == "en" and (m.field, m.trig_start) in listed)

        return self._drop_where(mentions, an_object, "object_abroad")

    def _about_abroad(self, fields: list[_Field], lang: str) -> bool:
        """Whether a report is about abroad, for a codebook that names its home languages: it names
        nothing of the home country (no place, nor the country or its people, nor one of its outlets:
        cue ``home_source``) and is written in another language or names places abroad. Its acts keep the place
        the text gives (``unknown`` when none), but ``abroad_as`` applies to the unplaced ones."""
        home, home_langs = self.codebook.home_country, self.codebook.home_languages
        if not home or not home_langs:
            return False
        countries = set().union(*(f.countries for f in fields))
        if home in countries:
            return False
        rx = self._cue("home_source", lang)
        if rx is not None and any(rx.search(f.low) for f in fields):
            return False
        people = self._home_people.get(lang)
        if people is not None and any(people.search(f.low) for f in fields):
            return False
        return lang not in home_langs or bool(countries)

    def _is_opinion(self, doc: Document, lang: str, body: _Field) -> bool:
        """An opinion or analysis piece, whichever way it arrived: its title says so even when the
        headline is repeated in the body (a web page), else the body's first line ("ANALYSIS"), else
        its address (``/opinion/``, ``/analysis/``): the path must not change the events."""
        rx = self.codebook.opinion_title.get(lang)
        if rx is not None:
            if doc.title and rx.match(matching_text(normalize_for_matching(doc.title).text, lang)):
                return True
            first = body.first_sentence()
            if rx.match(first) or rx.match(first.split("\n", 1)[0] + ":"):
                return True
        return bool(doc.url and _OPINION_URL.search(doc.url.lower()))

    @staticmethod
    def _head(title: _Field | None, body: _Field) -> str:
        """What a report is about: its title and the first sentence of its body."""
        first = body.first_sentence()
        return f"{title.low}\n{first}" if title is not None else first

    def _model_triggers(self, f: _Field) -> list[_Trigger]:
        """The model's own proposals: one trigger spanning each sentence it maps to a subtype."""
        assert self.assist is not None
        texts = [f.norm.text[s0:s1] for s0, s1 in f.sentences]
        out = []
        for i, (subtype, score, _label) in enumerate(self.assist.subtypes_of(texts)):
            if subtype is not None and score >= self.assist.spec.threshold:
                s0, s1 = f.sentences[i]
                out.append(_Trigger(subtype, s0, s1, i))
        return out

    # --- fields -----------------------------------------------------------------------------------
    def _field(
        self,
        name: Literal["title", "text"],
        stored: str,
        doc: Document,
        lang: str,
        norm: NormalizedText | None = None,
    ) -> _Field:
        norm = norm or normalize_for_matching(stored)
        sentences = _title_parts(norm.text) if name == "title" else sentence_spans(norm.text)
        return _Field(name, stored, norm, matching_text(norm.text, lang), sentences)

    def _enrich(self, f: _Field, doc: Document, lang: str) -> None:
        """Actors, quotations, places and dates of a field (only for reports that have triggers)."""
        norm, sentences = f.norm, f.sentences
        f.actors = self._actors(f.low, lang)
        f.quotes = [m.span() for m in _QUOTES.finditer(norm.text)]
        places = self._homonyms_abroad(
            self._namesakes_of_country(find_places(norm.text, lang, self.gazetteer), f.low)
        )
        home = self.codebook.home_country
        f.countries = {home} if home and any(p.place.country == home for p in places) else set()
        if places:
            # outlet and agency names («خبرگزاری فارس», "AFP"), objects of support or protest
            # ("in solidarity with Palestine") are not where an act happened
            masks = self._outlet_spans(norm.text, doc.outlet)
            if masks:
                places = [p for p in places if not _inside(masks, p.start, p.end)]
            if (rx := self._cue("not_place", lang)) is not None:
                masked = [_masked(rx, f.low, p, whole=lang != "en") for p in places]
                if lang == "en":
                    # the places listed right after a masked one share its phrase ("in support of Iran, Lebanon
                    # and Palestine", "backed by the US and Israel"; rules/1.49; Persian phrases name their lists,
                    # where «و» joins as often the attacker and its target)
                    for i in range(1, len(places)):
                        masked[i] = masked[i] or (masked[i - 1] and _listed(f.low, places[i - 1], places[i]))
                places = [p for p, m in zip(places, masked, strict=True) if not m]
            f.countries.update(p.place.country for p in places)
            # a dateline ("CAIRO —", «به گزارش خبرنگار فارس از تبریز») says where the reporter files
            # from, not where an act happened: its places are not read
            if f.name == "text" and sentences:
                for m in _datelines(f, lang, self._cue("dateline", lang)):
                    places = [p for p in places if not (m.start() <= p.start < m.end())]
        f.sent_places = _bucket(places, sentences)
        f.sent_dates = _bucket(find_dates(norm.text, doc.published, lang), sentences)

    def _namesakes_of_country(self, places: list[PlaceMatch], low: str) -> list[PlaceMatch]:
        """Without a province the next place says lies in another country: a region named with its country
        («بلوچستان پاکستان», «کردستان عراق»: Pakistan's, Iraq's, not Iran's provinces) is that country's, the
        country's own match stays; in English only where the name has a namesake there ("Balochistan,
        Pakistan"), as "in Kurdistan, Iraq and Syria" lists three. (A site or town before a country is in the
        country's hands, «پایگاه عین‌الاسد آمریکا», rules/1.43: it stays.)"""
        out = []
        for i, p in enumerate(places):
            nxt = places[i + 1] if i + 1 < len(places) else None
            if (
                nxt is not None
                and p.place.precision == "province"
                and nxt.place.precision == "country"
                and nxt.place.country != p.place.country
                and (
                    # Persian names a region's country right after it, with no comma («کردستان عراق»)
                    (
                        _JOINED_COUNTRY.fullmatch(low, p.end, nxt.start) is not None
                        and _PERSIAN_WORD_AFTER.match(low, nxt.start) is not None
                    )
                    or (
                        _COUNTRY_AFTER.fullmatch(low, p.end, nxt.start) is not None
                        and any(q.country == nxt.place.country for q in self.gazetteer.lookup(p.surface))
                    )
                )
            ):
                continue
            out.append(p)
        return out

    def _homonyms_abroad(self, places: list[PlaceMatch]) -> list[PlaceMatch]:
        """A report about places abroad that names nothing of Iran but a small Iranian town is
        naming a place abroad with the same name (Faryab province of Afghanistan, not the county
        in Kerman): the admin hierarchy of the report decides, small home places are dropped."""
        home = self.codebook.home_country
        if not home or not places or not any(p.place.country != home for p in places):
            return places
        gaz = self.gazetteer

        def strong(p: PlaceMatch) -> bool:
            pl = p.place
            return (
                pl.precision in ("country", "province")
                or gaz.info(pl.place_id).major
                or pl.population >= 100_000
            )

        if any(p.place.country == home and strong(p) for p in places):
            return places

        def namesake_abroad(p: PlaceMatch) -> bool:
            return any(q.country != home for q in gaz.lookup(p.surface))

        # a small home town with no namesake abroad is that town («مردم آبیک» beside «آمریکا»)
        return [p for p in places if p.place.country != home or not namesake_abroad(p)]

    def _outlet_spans(self, text: str, outlet: str) -> list[tuple[int, int]]:
        """Where outlet names stand in the text ("Iran Monitor said…"): no place is read there."""
        spans = []
        lowered = text.lower()
        for name in {outlet, *self.outlets}:
            if len(name) < 4:
                continue
            key = name.lower()
            start = lowered.find(key)
            while start >= 0:
                spans.append((start, start + len(key)))
                start = lowered.find(key, start + 1)
        return _merged(spans)

    def _triggers(self, f: _Field, lang: str) -> list[_Trigger]:
        starts = [s for s, _ in f.sentences]
        # (the ends of sentences closed by a full stop: a post's lines run on across a bare line break, «جمهوری اسلامی
        # با ۴ موشک⏎بالستیک به بندر عقبه حمله کرد»)
        ends = [e for s, e in f.sentences if f.low[s:e].rstrip()[-1:] in _FULL_STOPS]
        out = []
        for subtype, scanner in self._scan[lang]:
            for start, end in scanner.spans(f.low, ends):
                i = bisect.bisect_right(starts, start) - 1
                if i >= 0 and start < f.sentences[i][1]:
                    out.append(_Trigger(subtype, start, end, i))
        out.sort(key=lambda t: (t.start, t.subtype))
        return out

    # --- specificity --------------------------------------------------------------------------------
    def _cue(self, kind: str, lang: str) -> Rx | None:
        return self.codebook.cues.get(kind, {}).get(lang)

    def _clause_before(self, f: _Field, t: _Trigger) -> str:
        s0 = f.sentences[t.sent][0]
        lo = max(s0, t.start - INTENT_WINDOW)
        before = f.low[lo : t.start]
        breaks = list(_CLAUSE_BREAK.finditer(before))
        return before[breaks[-1].end() :] if breaks else before

    def _clauses_around(self, f: _Field, t: _Trigger) -> str:
        """The trigger's clause and the one before it: where a generic cue makes an act a trend."""
        s0, s1 = f.sentences[t.sent]
        before = f.low[s0 : t.start]
        breaks = list(_CLAUSE_BREAK.finditer(before))
        start = s0 + (breaks[-2].end() if len(breaks) >= 2 else 0)
        after = f.low[t.end : s1]
        nxt = _CLAUSE_BREAK.search(after)
        end = t.end + (nxt.start() if nxt else len(after))
        return f.low[start:end]

    def _clause_after(self, f: _Field, t: _Trigger, *, whole: bool = False) -> str:
        """The rest of the trigger's clause, where a Persian verb puts modality and tense (up to the
        next clause break or «و»: «تجمع کردند و خواستار … شدند» is a gathering that made a demand)."""
        s1 = f.sentences[t.sent][1]
        after = f.low[t.end : min(s1, t.end + CLAUSE_AFTER_WINDOW)]
        nxt = _CLAUSE_BREAK.search(after)
        after = after[: nxt.start()] if nxt else after
        conj = None if whole else _AND.search(after)
        return after[: conj.start()] if conj else after

    def _rest_of(self, f: _Field, t: _Trigger, lang: str) -> str:
        """Where the verb that dates a trigger stands: its clause in English, the rest of the
        sentence up to a colon in Persian (verb-final: «تجمعی در میدان …، … برگزار می‌کنند»)."""
        if lang != "fa":
            return self._clause_after(f, t, whole=True)
        s1 = f.sentences[t.sent][1]
        end = f.low.find(": ", t.end, s1)
        return f.low[t.end : end if end >= 0 else s1]

    def _without_demands(self, after: str) -> str:
        """A Persian clause after a trigger without the verbs that state what the act demanded
        (cue ``demand``), unless the act itself is the object demanded: «حضور مردم در راهپیمایی …
        را خواستار شد» asks for a march; «در طول تظاهرات … اصلاحات … را خواستار شدند» held one."""
        demand = self._cue("demand", "fa")
        if demand is None:
            return after
        out, last = [], 0
        for m in demand.finditer(after):
            if _OBJECT_DEMANDED.match(after, 0, m.start()) is None:
                out.append(after[last : m.start()] + " ")
                last = m.end()
        return "".join(out) + after[last:]

    def _sentence_part(self, f: _Field, t: _Trigger) -> tuple[int, int]:
        """The trigger's sentence without what a colon introduces on either side of it (a quoted
        speech that mentions «۳۲ سال قبل» says nothing of the march the speech was given at)."""
        s0, s1 = f.sentences[t.sent]
        start = f.low.rfind(": ", s0, t.start)
        end = f.low.find(": ", t.end, s1)
        return (start + 2 if start >= 0 else s0), (end if end >= 0 else s1)

    def _history_part(self, f: _Field, t: _Trigger, lang: str) -> tuple[int, int]:
        """Where a history cue dates the act: :meth:`_sentence_part`, in English without a relative
        clause that starts four or more words after the act (it tells of another noun: "reviving
        the chant that rang a decade ago"; "the attack, which took place years ago" is the act's)."""
        start, end = self._sentence_part(f, t)
        if lang == "en" and t.end < end:
            m = _OTHER_RELATIVE.match(f.low, t.end, end)
            if m is not None:
                end = m.end()
        return start, end

    def _gate(self, t: _Trigger, f: _Field, ctx: _DocContext) -> str | None:
        """Whether a trigger names an act that happened: None, or the reason it does not.

        In order: the subtype's exclusions (figures of speech, accidents, state action), negation and
        denial, a trend, intent (plan, call, threat, condition, question) before the trigger or, in
        Persian, in the verb after it, a future or history cue, and a year long before publication.
        """
        st = self.codebook.subtypes[t.subtype]
        lang = ctx.lang
        s0, s1 = f.sentences[t.sent]
        # the trigger's conjunct: a denial told in another finite clause of the sentence («… حمله
        # کردند اما در فرار ناکام ماندند», "gunmen attacked …, but none was arrested") is that clause's
        c0, c1 = self._conjunct(f, s0, s1, t.start, lang)
        # checks of a whole sentence (or its part outside quoted speech) are searched once for all
        # the triggers of a sentence
        for reason, rx, span in (
            ("excluded", st.exclude.get(lang), (s0, s1)),
            ("figurative", self._cue("figurative", lang), (s0, s1)),
            ("negated", self._cue("negation", lang), (c0, c1)),
            # a total over a period («از ابتدای سال تاکنون … دستگیر شدند») in the sentence up to the end of the
            # trigger's conjunct (a total told after it in another finite clause, «… کشته شد و … تعداد کل کشته‌ها از
            # آغاز جنگ به ۲۰ نفر رسید», is that clause's: rules/1.54; a period told before governs what follows)
            ("generic", self._cue("summary", lang), (s0, c1)),
        ):
            if rx is not None and f.found(rx, *span):
                return reason
        report_rx = st.exclude_report.get(lang)
        if report_rx is not None and report_rx.search(ctx.head):
            return "excluded"
        # English clauses run on over "and"; a Persian one ends at «و» (its verb comes last)
        after = self._clause_after(f, t, whole=lang != "fa")
        before = self._clause_before(f, t)
        clause = before + f.low[t.start : t.end] + after
        history = self._cue("history", lang)
        checks: list[tuple[str, Rx | None, str]] = [
            ("generic", self._cue("generic", lang), self._clauses_around(f, t)),
            ("intent", self._cue("intent", lang), self._clause_before(f, t)),
            ("intent", self._cue("intent_after", lang), f.low[t.end : min(s1, t.end + INTENT_AFTER_WINDOW)]),
            # the act's own light verb negated right after its noun («حمله نکرد», «حمله نکنه»): it did not
            # happen (read from the trigger's start: a trigger may run past the verb)
            (
                "negated",
                self._cue("negation_after", lang),
                f.low[t.start : min(s1, t.end + INTENT_AFTER_WINDOW)],
            ),
            # a denial whose content the act is, told before it ("unfounded accusations of cyber-attacks
            # against …", "dismissed as false the claims that …"); after the act it is no denial of it
            # ("arrested on false accusations of spying": the arrest happened)
            ("negated", self._cue("negation_before", lang), before),
            # a past perfect right after the act («دستگیر شده بود»): background to the news
            (
                "history",
                self._cue("history_after", lang),
                f.low[t.end : min(s1, t.end + INTENT_AFTER_WINDOW)],
            ),
            ("future", self._cue("future", lang), before + " " + self._rest_of(f, t, lang)),
        ]
        if lang == "fa":
            # a verb after the act is its modality, unless it states what the act demanded
            # («با برگزاری تظاهرات خواستار استعفای … شدند» is a demonstration that took place)
            checks.append(("intent", self._cue("intent", lang), self._without_demands(after)))
        for reason, rx, where in checks:
            if rx is not None and rx.search(where):
                return reason if reason != "history" or not self._dated_recently(t, f, ctx) else None
        if history is not None and f.found(history, *self._history_part(f, t, lang)):
            return None if self._dated_recently(t, f, ctx) else "history"
        if self._is_reference(t, f, lang, before):
            # "the Kabul blast on Monday": a known act with a recent day (a weekday too) is news
            # (Persian: a day of the trigger's own clause; «…، امروز حزب الله …» dates another clause)
            own = self._own_clause(f, t) if ctx.lang == "fa" else None
            return None if self._dated_recently(t, f, ctx, relative=True, within=own) else "history"
        if self._long_before(f, t, ctx, clause + self._head_of_final_verb(f, t, lang, before, after)):
            return None if self._dated_recently(t, f, ctx) else "history"
        if ctx.year_of is not None and self._continues_history(t, f, ctx):
            return "history"
        if ctx.retrospective and not any(
            (local_date(ctx.doc.published) - d.day).days <= HISTORY_DAYS for d in f.sent_dates[t.sent]
        ):
            return "history"
        if self._foiled(t, f, st.foiled_next.get(lang), lang):
            return "foiled"
        if (no_actor := self._no_actor(st, f, s0, s1, ctx)) is not None:
            return no_actor
        if ctx.opinion and not (self._places_of(f, t.sent, ctx.lang) and f.sent_dates[t.sent]):
            return "opinion"
        return None

    @staticmethod
    def _no_actor(st: Subtype, f: _Field, s0: int, s1: int, ctx: _DocContext) -> str | None:
        """ "no_actor" for a subtype that needs a known actor in a report that names none; "no_message" for one
        whose words are everyday ones (``requires_message``) in a sentence that carries no political message and a
        report that names no known actor; "off_topic" for
        a sentence naming none of the codebook's actors in a report about sport, business, technology or
        entertainment ("clash", "regained control", "signed a deal", "walked out" there are no acts)."""
        known_actor = bool(ctx.actors or (ctx.outlet and ctx.outlet.actor))
        if st.requires_actor and not known_actor:
            return "no_actor"
        message = st.requires_message.get(ctx.lang)
        if message is not None and not known_actor and not f.found(message, s0, s1):
            return "no_message"
        if ctx.off_topic is not None and not f.actors_in(s0, s1):
            return "off_topic"
        return None

    def _foiled(self, t: _Trigger, f: _Field, rx: Rx | None, lang: str) -> bool:
        """Whether one of the next sentences says the act was foiled (the bombs found and defused
        before they went off), its own sentence not saying that it went off."""
        if rx is None:
            return False
        went_off = self._cue("went_off", lang)
        if went_off is not None and f.found(went_off, *f.sentences[t.sent]):
            return False
        following = f.sentences[t.sent + 1 : t.sent + 1 + FOILED_SENTENCES]
        return any(f.found(rx, s0, s1) for s0, s1 in following)

    def _is_reference(self, t: _Trigger, f: _Field, lang: str, before: str) -> bool:
        """Whether the trigger names a known act rather than reporting one: by what stands around it
        (cues ``reference_before``/``reference_after``: "the anniversary of the …", "suspects in
        the …", "the … case", «سالگرد …», «مظنون به ارتباط با …») or by the name of a town or
        region it is known by ("the Madrid bombings", «انفجار بیروت», «انفجارهای مادرید»)."""
        if (rx := self._cue("reference_before", lang)) is not None and rx.search(before):
            return True
        s1 = f.sentences[t.sent][1]
        # (the cues are anchored and count their words: the window only bounds the search; rules/1.51 widened it for
        # the verb of a reaction at the end of a Persian clause, «به حمله اخیر به پایگاه … در این کشور واکنش نشان داد»)
        after = f.low[t.end : min(s1, t.end + REFERENCE_AFTER_WINDOW)]
        if (rx := self._cue("reference_after", lang)) is not None and rx.search(after):
            return True
        gap_rx = _NAMED_EVENT_GAP.get(lang)
        noun_rx = _NAMED_EVENT_NOUN.get(lang)
        if gap_rx is None or noun_rx is None or not noun_rx.fullmatch(f.low, t.start, t.end):
            return False  # only an act's own noun is a name ("slogans on the walls of Qazvin" is not)
        s0 = f.sentences[t.sent][0]
        for p in f.sent_places[t.sent]:
            if p.place.precision == "country":
                continue  # «حمله آمریکا», "the US attacks": who acted, not the act's name
            if lang == "fa":
                if p.start >= t.end and gap_rx.fullmatch(f.low, t.end, p.start):
                    return not self._named_as_news(f, t, lang, t.start)
            elif (
                p.end <= t.start
                and gap_rx.fullmatch(f.low, p.end, t.start)
                and _THE_BEFORE.search(f.low, max(s0, p.start - 5), p.start)
            ):
                return not self._named_as_news(f, t, lang, p.start)
        return False

    def _named_as_news(self, f: _Field, t: _Trigger, lang: str, name_start: int) -> bool:
        """An act named by its town whose sentence tells its casualties: "in the Kabul blast three
        people were killed", «در انفجار قندهار … کشته شدند» (news, not a reference to a known act)."""
        s0, s1 = f.sentences[t.sent]
        in_rx, dead_rx = _IN_BEFORE_NAMED.get(lang), _CASUALTIES.get(lang)
        if in_rx is None or dead_rx is None:
            return False
        return bool(
            in_rx.search(f.low, max(s0, name_start - 12), name_start) and dead_rx.search(f.low, t.end, s1)
        )

    def _recoded(self, t: _Trigger, f: _Field, lang: str) -> _Trigger:
        """The trigger as the subtype its codebook says it becomes where its sentence or the next one
        says so (``recode_as``: "…shot a man. The victim was a gang member" is an armed clash)."""
        rules = self.codebook.subtypes[t.subtype].recode_as
        if not rules:
            return t
        s0, s1 = f.sentences[t.sent]
        s2 = f.sentences[t.sent + 1][1] if t.sent + 1 < len(f.sentences) else s1
        for target, rxs in rules.items():
            rx = rxs.get(lang)
            if rx is not None and f.found(rx, s0, s2):
                return replace(t, subtype=target)
        return t

    def _dated_recently(
        self,
        t: _Trigger,
        f: _Field,
        ctx: _DocContext,
        *,
        relative: bool = False,
        within: tuple[int, int] | None = None,
    ) -> bool:
        """Whether the trigger's sentence (or the span ``within`` it) gives a day of its own, recent
        and not a reporting verb's: then a history cue or an old year in it is background to a new
        act ("on 17 May residents protested against the demolition of their homes years ago")."""
        pub = local_date(ctx.doc.published)
        lo, hi = within if within is not None else f.sentences[t.sent]
        return any(
            (d.precision == "day" or (relative and d.precision == "relative"))
            and not d.future
            and lo <= d.start < hi
            and 0 <= (pub - d.day).days <= HISTORY_DAYS
            and not self._is_reporting(f, d, ctx.lang)
            for d in f.sent_dates[t.sent]
        )

    def _continues_history(self, t: _Trigger, f: _Field, ctx: _DocContext) -> bool:
        """Whether the trigger's sentence, which gives no day of its own, goes on with the story of
        the sentence before it, which dates it in a year long past ("ETA targeted the stadium on 1
        May, 2002. A car bomb exploded in a street outside it")."""
        if t.sent == 0 or f.sent_dates[t.sent] or _A_YEAR.search(f.low, *f.sentences[t.sent]):
            return False
        p0, p1 = f.sentences[t.sent - 1]
        return ctx.year_of is not None and _long_ago(f.low[p0:p1], ctx.year_of)

    def _long_before(self, f: _Field, t: _Trigger, ctx: _DocContext, clause: str) -> bool:
        """A year ("in 1969", «در سال ۱۳۸۸») or a month without a day («در آبان ماه گذشته») that dates the
        trigger's clause long before publication."""
        fronted = self._fronted_time(f, t)
        if ctx.year_of is not None and _long_ago(fronted + clause, ctx.year_of):
            return True
        return self.date_gate and self._month_long_ago(f, t, ctx, fronted)

    def _month_long_ago(self, f: _Field, t: _Trigger, ctx: _DocContext, fronted: str) -> bool:
        """Whether the trigger's clause (or the sentence's opening adverbial of time, ``fronted``)
        names a month without a day that ended long before publication («در آبان ماه گذشته»,
        «اعتراضات آبان ۹۸»)."""
        if ctx.lang != "fa":
            return False
        s0, s1 = f.sentences[t.sent]
        c0, c1 = self._own_clause(f, t)
        opening = s0 + len(fronted)
        pub = local_date(ctx.doc.published)
        return any(
            (c0 <= s0 + a < c1 or s0 + a < opening) and (pub - last).days > HISTORY_DAYS
            for a, _, last in month_references(f.low[s0:s1], ctx.doc.published)
        )

    def _head_of_final_verb(self, f: _Field, t: _Trigger, lang: str, before: str, after: str) -> str:
        """A Persian act told by the sentence's last verb alone after a comma («تلفن … در سال ۲۰۱۸ پس از
        دریافت پیامی … که … ارسال شده بود، هک شد»): its subject and adverbials are the sentence's head,
        up to the first relative «که»; " " + that head, or "" for any other trigger."""
        if lang != "fa" or len(before.split()) > 1 or _END_OF_SENTENCE.fullmatch(after) is None:
            return ""
        s0 = f.sentences[t.sent][0]
        rel = _RELATIVE_KE.search(f.low, s0, t.start)
        return " " + f.low[s0 : rel.start() if rel else t.start]

    def _fronted_time(self, f: _Field, t: _Trigger) -> str:
        """The opening of the trigger's sentence when it is a short adverbial of time that a comma
        sets off from the clauses after it ("In 2004, a bomb exploded …", «در سال ۱۳۸۳، در چنین روزی
        … اعدام شد»): it dates them as if it stood in the trigger's own clause; "" if there is none."""
        s0 = f.sentences[t.sent][0]
        first = _CLAUSE_BREAK.search(f.low, s0, t.start)
        if first is None:
            return ""
        opening = f.low[s0 : first.start()]
        if len(opening.split()) > FRONTED_TIME_WORDS or _FRONTED_YEAR.search(opening) is None:
            return ""
        return opening + " "

    def _conjunct(self, f: _Field, s0: int, s1: int, at: int, lang: str) -> tuple[int, int]:
        """The span of the coordinated finite clause of the sentence ``[s0, s1)`` that holds ``at``
        (its breaks found once per sentence, whatever the number of triggers in it)."""
        known = f.conjuncts.get(s0)
        if known is None:
            breaks = _conjunct_breaks(f.low, s0, s1, lang)
            known = f.conjuncts[s0] = ([e for e, _ in breaks], [b for _, b in breaks])
        ends, begins = known
        i = bisect.bisect_right(begins, at)
        start = begins[i - 1] if i > 0 else s0
        end = ends[i] if i < len(ends) else s1
        return start, max(start, end)

    def _own_clause(self, f: _Field, t: _Trigger) -> tuple[int, int]:
        """The span of the trigger's clause (between the clause breaks around it)."""
        s0, s1 = f.sentences[t.sent]
        breaks = list(_CLAUSE_BREAK.finditer(f.low, s0, t.start))
        nxt = _CLAUSE_BREAK.search(f.low, t.end, s1)
        return (breaks[-1].end() if breaks else s0, nxt.start() if nxt else s1)

    def _code_field(self, f: _Field, triggers: list[_Trigger], ctx: _DocContext) -> list[Mention]:
        if not triggers:
            return []
        by_sent: dict[int, list[_Trigger]] = {}
        for t in triggers:
            by_sent.setdefault(t.sent, []).append(t)
        trigger_sents = set(by_sent)
        out = _Coded()
        self._scores = self._relevance_scores(f, sorted(by_sent), ctx.lang)
        for si, ts in sorted(by_sent.items()):
            if time.process_time() > self._deadline:
                raise BudgetExceeded(
                    f"coding took more than {self.budget_s:g} CPU seconds ({len(ctx.doc.text):,} characters, "
                    f"{len(triggers):,} candidate acts in the {f.name}): not coded"
                )
            candidates = []
            for t in ts:
                reason = self._gate(t, f, ctx)
                if (
                    reason is None
                    and self.relevance is not None
                    and (score := self._judged_score(t, ctx)) is not None
                    and score < self.relevance.threshold
                ):
                    reason = "model"
                if reason is None and self._anaphor_of_history(t, f, ctx, out):
                    reason = "history"
                if reason is None:
                    candidates.append(self._recoded(t, f, ctx.lang))
                else:
                    self._drop(t, f, ctx, reason)
            # a weaker subtype gives way to a stronger one that survives in the same sentence; one told
            # as a detail (a sound heard) overrides only other details («درگیری … و صدای انفجار به گوش
            # می‌رسید»: the clash is the act, the blast its sound)
            detail = {t: self._is_detail(t, f, ctx.lang) for t in candidates}
            valid = {t.subtype for t in candidates}
            told = {t.subtype for t in candidates if not detail[t]}
            beaten = self._beaten(candidates, f, ctx.lang)
            kept = [
                t
                for t in candidates
                if not beaten.get(t.subtype, set()) & ((valid if detail[t] else told) - {t.subtype})
            ]
            for t in candidates:
                if t not in kept:
                    self._drop(t, f, ctx, "suppressed")
            for t, places, basis in self._assign_places(kept, f, si, ctx, trigger_sents, out):
                out.extend(self._mentions_for(t, places, basis, f, ctx, out, detail=detail[t]), t.subtype)
        return out.mentions

    def _beaten(self, candidates: list[_Trigger], f: _Field, lang: str) -> dict[str, set[str]]:
        """Per subtype of the sentence's candidates, the others of the sentence that suppress it
        (:meth:`_suppressors`), less those it suppresses in turn, directly or through others of the
        sentence: in a cycle (a clash suppresses a foiled attack, which suppresses an air strike,
        which suppresses the clash) no member may silence the sentence, and each stands."""
        present = {t.subtype for t in candidates}
        first = {t.subtype: t for t in reversed(candidates)}
        edges = {s: self._suppressors(t, f, lang, present - {s}) for s, t in first.items()}

        def reaches(src: str, dst: str) -> bool:  # does src suppress dst, through others of the sentence
            seen, todo = {src}, [src]
            while todo:
                node = todo.pop()
                for nxt in (o for o, by in edges.items() if node in by):
                    if nxt == dst:
                        return True
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            return False

        return {s: {o for o in by if not reaches(s, o)} for s, by in edges.items()}

    def _suppressors(self, t: _Trigger, f: _Field, lang: str, others: set[str]) -> set[str]:
        """The subtypes among ``others`` (found in the trigger's sentence) that suppress it: its
        ``suppressed_by``, less those its ``both_when`` says the sentence tells as a second act."""
        st = self.codebook.subtypes[t.subtype]
        found = set(st.suppressed_by & others)
        if found and st.both_when:
            s0, s1 = f.sentences[t.sent]
            found = {
                o
                for o in found
                if (rx := st.both_when.get(o, {}).get(lang)) is None or not f.found(rx, s0, s1)
            }
        return found

    def _anaphor_of_history(self, t: _Trigger, f: _Field, ctx: _DocContext, out: _Coded) -> bool:
        """Whether the trigger points back («این انفجار», "the same attack") at an act of its subtype
        that was dropped as history, with none of that subtype coded in the report before it."""
        if t.subtype not in ctx.history_dropped or any(m.subtype == t.subtype for m in out.mentions):
            return False
        rx = _ANAPHOR_BEFORE.get(ctx.lang)
        s0 = f.sentences[t.sent][0]
        return rx is not None and rx.search(f.low, max(s0, t.start - 12), t.start) is not None

    def _relevance_scores(self, f: _Field, sents: list[int], lang: str) -> dict[int, float]:
        """The trained gate's score of each trigger sentence (one batch per field); empty without one,
        or for a language it does not read (its optional ``reads(lang)``)."""
        if self.relevance is None or not sents:
            return {}
        reads = getattr(self.relevance, "reads", None)
        if reads is not None and not reads(lang):
            return {}
        texts = [f.norm.text[f.sentences[i][0] : f.sentences[i][1]] for i in sents]
        return dict(zip(sents, self.relevance.scores(texts, lang), strict=True))

    def _judged_score(self, t: _Trigger, ctx: _DocContext) -> float | None:
        """The trained gate's score of the candidate's sentence where the gate judges it, else None:
        not in a language it does not read, not for a category the codebook's ``gate.categories``
        leave to the rules in that language, not in a report of the actor's own outlets (stance
        ``actor``: their claims are told in a register the gate was not trained on, news being its
        training text)."""
        score = self._scores.get(t.sent)
        if score is None or (ctx.outlet is not None and ctx.outlet.stance == "actor"):
            return None
        return score if self.codebook.gate_judges(self.codebook.category_of(t.subtype), ctx.lang) else None

    def _gate_flags(self, t: _Trigger, ctx: _DocContext) -> tuple[str, ...]:
        """The trained gate's score, recorded on every mention and candidate it judged."""
        score = self._judged_score(t, ctx)
        topic = (f"topic:{ctx.off_topic:.2f}",) if ctx.off_topic is not None else ()
        return (f"gate:{score:.2f}", *topic) if score is not None else topic

    def _model_version(self) -> str | None:
        if self.assist is not None:
            return self.assist.version
        return self.relevance.version if self.relevance is not None else None

    def _drop(self, t: _Trigger, f: _Field, ctx: _DocContext, reason: str) -> None:
        """Count a dropped trigger and keep it as a candidate a reviewer can see (at most 50 a report)."""
        self.stats.drop(reason)
        if reason == "history":
            ctx.history_dropped.add(t.subtype)
        if len(self._dropped) >= MAX_DROPPED:
            return
        flags = (f"dropped:{reason}", *self._gate_flags(t, ctx))
        self._dropped.append(replace(self._candidate(t, f, ctx), flags=flags))

    def _candidate(self, t: _Trigger, f: _Field, ctx: _DocContext) -> Mention:
        """A trigger as a mention with its exact sentence and trigger spans and nothing resolved yet
        (publication day, no place): a dropped candidate as it is, a mention once completed."""
        s0, s1 = f.sentences[t.sent]
        o0, o1 = f.norm.span_to_original(s0, s1)
        g0, g1 = f.norm.span_to_original(t.start, t.end)
        return Mention(
            category=self.codebook.category_of(t.subtype),
            subtype=t.subtype,
            field=f.name,
            sent_start=o0,
            sent_end=o1,
            trig_start=g0,
            trig_end=g1,
            sentence=f.stored[o0:o1],
            trigger=f.stored[g0:g1],
            date=local_date(ctx.doc.published),
            date_precision="publication",
            date_text=None,
            place=None,
            place_text=None,
            quantity=None,
            actor=None,
            claimant=None,
            target=None,
            confidence=0.0,
            coder=self.name,
            codebook=self.codebook.ref,
            model_version=self._model_version(),
        )

    # --- places -------------------------------------------------------------------------------------
    def _unnamed_places_cue(self, f: _Field, p: PlaceMatch, lang: str) -> bool:
        rx = self._cue("unnamed_places", lang)
        return bool(rx and rx.search(f.low[max(0, p.start - 40) : p.start]))

    def _prune(
        self, places: list[PlaceMatch], f: _Field, si: int, lang: str, trigger: _Trigger | None = None
    ) -> list[PlaceMatch]:
        """Drop places that are context: a province or country beside a place inside it."""
        if len(places) == 1 and _named_as(_FORCES_OF, f, places[0], lang):
            # «سربازان لهستان طی این حمله موشکی آسیب ندیدند»: whose soldiers, not where (rules/1.38); a state
            # whose statement follows («وزارت دفاع امارات: …») or that tells of its own ground or air defence
            # («… پدافند هوایی این کشور …», «پدافند هوایی ما») is where it acts
            p0 = places[0]
            statement = _named_as(_SPEAKERS_OF, f, p0, lang) and _COLON_AFTER.match(f.low, p0.end) is not None
            home_rx = _OWN_GROUND.get(lang)
            if not statement and (home_rx is None or not home_rx.search(f.low, *f.sentences[si])):
                return []
        if len(places) < 2:
            return places
        # a country whose government speaks, beside another country's place, is dropped first
        places = [
            p
            for p in places
            if not (
                _named_as(_SPEAKERS_OF, f, p, lang)
                and any(q.place.country != p.place.country for q in places)
            )
        ]
        if lang == "fa":
            places = _without_bare_countries(places, f.low, trigger)
        home = self.codebook.home_country
        keep = []
        for p in places:
            others = [q.place for q in places if q is not p and q.place.place_id != p.place.place_id]
            # ("protests erupted in cities across the United States …, in Minneapolis": a country after
            # "cities across" is the act's own place, as a province after "several towns in" is)
            inside_country = (
                p.place.precision == "country"
                and (
                    any(o.country == p.place.country for o in others)
                    or (p.place.country == home and bool(others) and not _right_after(f.low, trigger, p))
                )
                and not self._unnamed_places_cue(f, p, lang)
            )
            inside_province = (
                p.place.precision == "province"
                and p.place.admin1 is not None  # a region abroad has no code its towns carry
                and any(o.admin1 == p.place.admin1 and o.precision == "city" for o in others)
                and not self._unnamed_places_cue(f, p, lang)
            )
            # «نیروهای نظامی آمریکا در کرکوک», "troops of the US in Kirkuk": whose forces, beside the
            # place they are in (a place of another country)
            forces_of = _named_as(_FORCES_OF, f, p, lang) and any(
                o.country != p.place.country for o in others
            )
            if not (inside_country or inside_province or forces_of):
                keep.append(p)
        return keep

    def _places_of(self, f: _Field, si: int, lang: str, trigger: _Trigger | None = None) -> list[PlaceMatch]:
        places = f.sent_places[si]
        if f.quotes:
            tq = _inside(f.quotes, trigger.start, trigger.end) if trigger else None
            # a quotation inside the act's own words that names a force is a name it gives («میان نیروهای "ارتش ملی
            # لیبی" و …»); a slogan's words are not places («شعار «نه غزه، نه لبنان» را … نوشتند»)
            places = [
                p
                for p in places
                if not (q := _inside(f.quotes, p.start, p.end))
                or q == tq
                or (
                    trigger is not None
                    and trigger.start <= q[0]
                    and q[1] <= trigger.end
                    and _ORG_NAME.match(f.low, q[0] + 1) is not None
                )
                # a quotation that names a place of some kind is a place's name («ایست بازرسی بانه - سقز», «… در
                # روستای «زرگویزله»»), not a slogan's words (rules/1.55)
                or _PLACE_KIND_QUOTED.match(f.low, q[0] + 1) is not None
                or _PLACE_KIND_BEFORE.search(f.low, max(0, q[0] - 24), q[0]) is not None
            ]
        kept = self._prune(places, f, si, lang, trigger)
        return _with_context_names(kept, [p for p in places if p not in kept], f)

    def _assign_places(
        self,
        ts: list[_Trigger],
        f: _Field,
        si: int,
        ctx: _DocContext,
        trigger_sents: set[int],
        earlier: _Coded,
    ) -> list[tuple[_Trigger, list[PlaceMatch | None], PlaceBasis]]:
        if not ts:
            return []
        places = self._places_of(f, si, ctx.lang, ts[0])
        s0, s1 = f.sentences[si]
        waters = water_spans(f.low, ctx.lang, s0, s1)
        if not places:
            return self._assign_unplaced(ts, f, si, ctx, trigger_sents, earlier, waters)
        # each place to its nearest trigger, preferring the side where the language puts places
        forward = (
            ctx.lang != "fa"
        )  # English: "set fire to X in Tehran"; Persian: «در تهران ... به آتش کشیدند»
        own: dict[_Trigger, list[PlaceMatch | None]] = {t: [] for t in ts}
        for p in places:
            own[min(ts, key=lambda t: (_directional_distance(t, p, forward), t.start))].append(p)
        for t in ts:
            if len(own[t]) > 1:
                found = [p for p in own[t] if p is not None]
                # a Persian act told as a noun has its place right after it, not before it with the
                # verb's subject («وزارت دفاع روسیه از هدف قرار دادن انبارهای … در منطقه خارکف»)
                after_noun = [] if forward else [p for p in found if _place_after_noun(f.low, t, p)]
                own[t] = list(self._listed_with_nearest(t, found, f, forward, after_noun))
        result: list[tuple[_Trigger, list[PlaceMatch | None], PlaceBasis]] = []
        placed_subtypes = {t.subtype for t, ps in own.items() if ps}
        seen: set[str] = set()
        for t in ts:
            if waters and _at_sea(f.low, t, waters, own[t] or places, ctx.lang):
                # the act's own place is a sea or strait nearer than any place the sentence names
                if t.subtype not in seen:
                    result.append((t, [None], "water"))
            elif (
                forward
                and own[t]
                and all(p is None or p.end <= t.start for p in own[t])
                and self._nationwide_next_to(f, t, ctx.lang)
            ):
                # "protests erupted in many cities", its town named in another clause before it ("after she
                # died at a police station in Tehran"): the act is the country's, not that town's (towns
                # listed after it, "in many cities, including Mashhad and Qazvin", are its own)
                result.append((t, list(self._countries_of([p for p in own[t] if p is not None])), "sentence"))
            elif own[t]:
                result.append((t, own[t], "sentence"))
            elif t.subtype not in placed_subtypes and t.subtype not in seen:
                # a second act of another kind in the same sentence shares its places
                result.append((t, list(places), "sentence"))
            seen.add(t.subtype)
        return result

    def _assign_unplaced(
        self,
        ts: list[_Trigger],
        f: _Field,
        si: int,
        ctx: _DocContext,
        trigger_sents: set[int],
        earlier: _Coded,
        waters: list[tuple[int, int]],
    ) -> list[tuple[_Trigger, list[PlaceMatch | None], PlaceBasis]]:
        """The places of the acts of a sentence that names none: at sea, the act it continues, its
        neighbours', a demonym's, or none."""
        firsts: dict[str, _Trigger] = {}
        for t in ts:
            firsts.setdefault(t.subtype, t)
        out: list[tuple[_Trigger, list[PlaceMatch | None], PlaceBasis]] = []
        context: list[PlaceMatch] | None = None
        listed: list[PlaceMatch] | None = None
        # the places of the acts named before by a definite noun in this sentence ("The protests …"), by place id
        shared: dict[str, PlaceMatch] = {}
        for t in firsts.values():
            if _DEFINITE_BEFORE.search(f.low, max(0, t.start - 12), t.start):
                shared.update(earlier.places.get(t.subtype, {}))
        for t in firsts.values():
            if waters and _at_sea(f.low, t, waters, [], ctx.lang):
                out.append((t, [None], "water"))  # «حمله به نفتکش در تنگه هرمز»: at sea, lent no place
                continue
            # «شهرهایی که دیشب مورد حملات ارتش آمریکا قرار گرفته‌اند» / «💥 اهواز» / «💥 بندرعباس» / …: the
            # places listed one to a line right under the act's sentence are its own (rules/1.51)
            if listed is None:
                listed = self._listed_below(f, si, ctx.lang)
            if listed:
                out.append((t, list(listed), "context"))
                continue
            # "Israeli snipers shoot … Palestinian protesters": the crowd's own nationality, in the act's sentence, says
            # where it was better than the sentences around it (rules/1.50), as does its towns' ("in several Iraqi
            # cities", rules/1.52), even after an act of its kind elsewhere
            if crowd := self._demonym_place(f, si, ctx.lang, self._crowd_demonym_rx):
                out.append((t, [crowd], "demonym"))
                continue
            # "The strike continued on Monday": the places of the act this sentence continues; "The protests have
            # turned violent with … elements vandalizing public property": an act of another kind told with it
            # shares them (rules/1.53)
            inherited = list(earlier.places.get(t.subtype, {}).values()) or list(shared.values())
            if inherited:
                if self._nationwide(f, si, ctx.lang):
                    # "rallies were held in several cities" after one in Mashhad: the country's, not Mashhad's
                    inherited = self._countries_of(inherited)
                out.append((t, list(inherited), "context"))
                continue
            if context is None:
                context = self._context_places(f, si, ctx, trigger_sents)
            if context:
                out.append((t, list(context), "context"))
            elif demonym := self._demonym_place(f, si, ctx.lang):
                out.append((t, [demonym], "demonym"))
            else:
                out.append((t, [None], "default"))
        return out

    def _listed_with_nearest(
        self,
        t: _Trigger,
        places: list[PlaceMatch],
        f: _Field,
        forward: bool,
        first: Sequence[PlaceMatch] = (),
    ) -> list[PlaceMatch]:
        """The place nearest the trigger (among ``first`` where some are given) and those listed with
        it ("in A, B and C"); others are places the sentence names for another reason ("in support of
        the people of X")."""
        ordered = sorted(places, key=lambda p: p.start)
        # a hashtag («#سمنان | …») labels the post; the places of the sentence itself come first
        untagged = [p for p in ordered if not (p.start > 0 and f.low[p.start - 1] == "#")] or ordered
        nearest = min(
            [p for p in untagged if p in first] or untagged,
            key=lambda p: (_directional_distance(t, p, forward), p.start),
        )
        i = j = ordered.index(nearest)
        while i > 0 and _listed(f.low, ordered[i - 1], ordered[i]):
            i -= 1
        while j + 1 < len(ordered) and _listed(f.low, ordered[j], ordered[j + 1]):
            j += 1
        # «رئیسی در مشهد، جهانگیری در زاهدان، نوبخت در گرگان … سخنرانی کردند»: one act in each place of a
        # parallel list ("X in A, Y in B, Z in C"), told once for all of them
        lo, hi = _parallel_chain(f.low, ordered, i, j)
        i, j = min(i, lo), max(j, hi)
        # a province after "several towns in" is a place of its own (see _prune)
        extra = [
            p
            for p in ordered[:i] + ordered[j + 1 :]
            if self._unnamed_places_cue(f, p, "fa" if not forward else "en")
        ]
        return sorted([*ordered[i : j + 1], *extra], key=lambda p: p.start)

    def _nationwide(self, f: _Field, si: int, lang: str) -> bool:
        """Whether the sentence tells its act as spread over the country («در سراسر کشور», "in
        several cities across the country"): its place, taken from the sentences around, is a country."""
        rx = self._cue("nationwide", lang)
        return rx is not None and f.found(rx, *f.sentences[si])

    def _nationwide_next_to(self, f: _Field, t: _Trigger, lang: str) -> bool:
        """Whether the phrase of place right after an English act tells it as spread over the country
        ("erupted in many cities", "across the country")."""
        rx = self._cue("nationwide", lang)
        if rx is None:
            return False
        s1 = f.sentences[t.sent][1]
        m = rx.search(f.low[t.end : min(s1, t.end + NATIONWIDE_REACH)])
        return m is not None and not f.low[t.end : t.end + m.start()].strip(" ,")

    def _countries_of(self, places: list[PlaceMatch]) -> list[PlaceMatch]:
        """Each place as its country (one per country, in order)."""
        out: dict[str, PlaceMatch] = {}
        for p in places:
            country = self.gazetteer.by_id(f"cc:{p.place.country}") if p.place is not None else None
            if country is not None and country.place_id not in out:
                out[country.place_id] = replace(p, place=country)
        return list(out.values()) or places

    def _demonym_place(
        self, f: _Field, si: int, lang: str, regexes: Mapping[str, re.Pattern[str] | None] | None = None
    ) -> PlaceMatch | None:
        """The country of the first nationality adjective that qualifies a place or a state force
        in the sentence ("Somali government troops", «نیروهای عراقی»), for an act it names no place of
        (``regexes``: other heads, a crowd's only)."""
        rx = (self._demonym_rx if regexes is None else regexes).get(lang)
        if rx is None:
            return None
        s0, s1 = f.sentences[si]
        m = rx.search(f.low, s0, s1)
        if m is None:
            return None
        g = "p" if m.groupdict().get("p") else "d"
        code = self.gazetteer.demonyms(lang).get(m.group(g) if lang == "fa" else m.group(g).lower())
        place = self.gazetteer.by_id(f"cc:{code}") if code else None
        if place is not None and capital_after(f.low, m.end(g)):
            place = self.gazetteer.capital(place.country) or place  # "the Iranian capital": Tehran
        return PlaceMatch(m.start(g), m.end(g), m.group(g), place, None) if place else None

    def _context_places(
        self, f: _Field, si: int, ctx: _DocContext, trigger_sents: set[int]
    ) -> list[PlaceMatch]:
        candidates: list[tuple[_Field, int]] = []
        if f.name == "text":
            # a sentence that opens with «به گزارش خبرنگار فارس از …» begins a part of the report
            # of its own: the sentence before it goes on with another story; the neighbours are the
            # nearest sentences with words (a post's emoji lines, «🔹», «♦️», are no sentences)
            s0, s1 = f.sentences[si]
            after = _worded(f, range(si + 1, len(f.sentences)))
            if after and (told := self._told_where(f, after[0], ctx.lang)):
                # "A car laden with explosives hit a bus … The attack took place on a highway near the city of
                # Zahedan, which is close to the borders of Pakistan and Afghanistan": the next sentence says
                # where this act took place (rules/1.49)
                return told
            before = () if _REPORTED_FROM.match(f.low, s0, s1) else _worded(f, range(si - 1, -1, -1))
            candidates += [(f, j) for j in (*after, *before) if j not in trigger_sents]
        if ctx.title is not None and f is not ctx.title:
            candidates.append((ctx.title, 0))
        first = _worded(ctx.body, range(len(ctx.body.sentences)))
        if first and (f is not ctx.body or si != first[0]):
            candidates.append((ctx.body, first[0]))
        nationwide = self._nationwide(f, si, ctx.lang)
        broad: list[PlaceMatch] = []
        for fld, j in candidates:
            places = self._home_where_told(fld, j, ctx.lang, self._places_of(fld, j, ctx.lang))
            only_countries = bool(places) and all(p.place.precision == "country" for p in places)
            if only_countries and not broad:
                s0, s1 = fld.sentences[j]
                if water_spans(fld.low, ctx.lang, s0, s1):
                    # a neighbour that tells of a sea or strait names countries as who fought there
                    # («درگیری جدید آمریکا و جمهوری اسلامی در تنگه هرمز»): it lends no country
                    return []
            countries = {p.place.country for p in places if p.place is not None}
            if len(countries) > 1:
                # a neighbour naming several countries (a statement about relations, a list of
                # condemnations) does not say where this act was: only those the title names too
                title = self._places_of(ctx.title, 0, ctx.lang) if ctx.title is not None else []
                named = {p.place.country for p in title if p.place is not None}
                places = [p for p in places if p.place is not None and p.place.country in named]
            if broad:
                # a country lent by the nearest neighbour gives way to a province or town of that country that
                # another sentence of the story names ("… a terrorist team in Sistan-Balouchestan province …
                # three terrorists were killed in the attack … security at Iran's southeastern borders";
                # rules/1.50)
                inside = {p.place.country for p in broad}
                # (one province only: a list of towns in other sentences does not place a general statement)
                finer = [p for p in places if p.place.precision != "country" and p.place.country in inside]
                if len({(p.place.country, p.place.admin1) for p in finer}) == 1:
                    return finer
                continue
            if places:
                if nationwide:
                    # an act told as spread over the country: the country of the places around it
                    return self._countries_of(places)
                if not all(p.place.precision == "country" for p in places):
                    return places
                broad = places
        return broad

    def _home_where_told(self, f: _Field, j: int, lang: str, places: list[PlaceMatch]) -> list[PlaceMatch]:
        """The places a neighbouring sentence lends: where it names the home country as where something
        happened ("… who counter riots in Iran") and the countries left after pruning only as who acts ("U S
        assesses sanctions …"), the home country (rules/1.54); else ``places``."""
        home = self.codebook.home_country
        if not home or not places or any(p.place.country == home for p in places):
            return places
        located = [
            p
            for p in f.sent_places[j]
            if p.place.country == home and p.place.precision == "country" and _after_locative(f.low, p, lang)
        ]
        if located and not any(_after_locative(f.low, p, lang) for p in places):
            return located[:1]
        return places

    def _listed_below(self, f: _Field, si: int, lang: str) -> list[PlaceMatch]:
        """The places listed one to a line right under sentence ``si`` (a heading: «شهرهایی که دیشب مورد
        حملات … قرار گرفته‌اند», "The following towns were hit:"): two lines or more in a row, each a place name
        with nothing but bullets, emoji, a number, a word such as «شهر» / "city" or a remark in brackets beside it
        («پاکدشت (پدافندی)»). A line's name is read as a place named after a cue: the list says what its lines
        are. Emoji lines between them are skipped; a hashtag («#اهواز») labels the post, it lists nothing."""
        if f.name != "text":
            return []
        found: list[PlaceMatch] = []
        lines = 0
        for j in range(si + 1, len(f.sentences)):
            s0, s1 = f.sentences[j]
            if _WORD.search(f.low, s0, s1) is None:
                continue  # an emoji or symbol line
            item = self._list_item_places(f, j, lang)
            if item is None:
                break
            found += item
            lines += bool(item)
        return found if lines >= _MIN_LIST_LINES else []

    def _list_item_places(self, f: _Field, j: int, lang: str) -> list[PlaceMatch] | None:
        """The places of line ``j`` when it is a list item that names places only (see _listed_below); no place
        for an item of one or two words the gazetteer does not know (a village: the list goes on past it);
        None for a line that is no such item."""
        s0, s1 = f.sentences[j]
        line = f.low[s0:s1]
        if "#" in line or "@" in line or len(line) > _LIST_ITEM_CHARS:
            return None
        places = [p for p in f.sent_places[j] if p.place is not None]
        if not places:  # a small town named alone («راسک»): read as after «شهر» / "in"
            cue = _LIST_CUE[lang]
            places = [
                replace(p, start=p.start - len(cue) + s0, end=p.end - len(cue) + s0)
                for p in find_places(cue + f.norm.text[s0:s1], lang, self.gazetteer)
                if p.start >= len(cue)
            ]
        rest = line
        for p in places:  # the names blanked out: what is left beside them
            rest = rest[: p.start - s0] + " " * (p.end - p.start) + rest[p.end - s0 :]
        words = [w for w in _LIST_ITEM_NOISE.sub(" ", rest).split() if w not in _LIST_ITEM_WORDS]
        if not places:
            return [] if 0 < len(words) <= 2 and not any(ch.isdigit() for ch in line) else None
        return places if not words else None

    def _told_where(self, f: _Field, j: int, lang: str) -> list[PlaceMatch]:
        """The place a sentence gives to the act before it when it opens by naming that act and saying where it
        took place ("The attack took place near the city of Zahedan", «این حمله در نزدیکی زاهدان رخ داد»):
        the first place after that opening and those listed with it, or none."""
        rx = _TOLD_WHERE.get(lang)
        s0, s1 = f.sentences[j]
        m = rx.match(f.low, s0, s1) if rx is not None else None
        if m is None:
            return []
        places = self._places_of(f, j, lang)
        # a Persian sentence names the place between its opening and the verb at its end: any of its places
        later = places if lang == "fa" else [p for p in places if p.start >= m.end()]
        if not later:
            return []
        first = min(later, key=lambda p: p.start)
        return [p for p in later if p is first or _listed(f.low, first, p)]

    # --- dates --------------------------------------------------------------------------------------
    def _is_reporting(self, f: _Field, d: DateMatch, lang: str) -> bool:
        rx = self._cue("reporting", lang)
        if rx is None:
            return False
        key = (0, d.start, d.end)  # one answer per date, whichever trigger asks
        hit = f.searched.get(key)
        if hit is None:
            before = f.low[max(0, d.start - 30) : d.start]
            after = f.low[d.end : d.end + 30]
            hit = f.searched[key] = rx.search(before + "\u2063" + after) is not None
        return hit

    def _date_for(
        self, t: _Trigger, f: _Field, ctx: _DocContext, earlier: _Coded
    ) -> tuple[DateMatch | None, bool]:
        """The date of a trigger and whether it is only the date of a reporting verb."""
        forward = ctx.lang != "fa"
        here = f.sent_dates[t.sent]
        proper = [d for d in here if not self._is_reporting(f, d, ctx.lang)]
        if proper:
            s0 = f.sentences[t.sent][0]
            lead = proper[0]
            if lead.precision == "day" and lead.start - s0 <= LEAD_DATE_CHARS and lead.end <= t.start:
                # "On 8 March 2022, relatives protested …, demanding justice for a killing on 25
                # December 2021": the date that opens the sentence is the date of its acts
                return lead, False
            return min(proper, key=lambda d: _date_distance(t, d, forward)), False
        m = earlier.last_dated.get(t.subtype)
        if m is not None:
            return DateMatch(-1, -1, m.date, m.date_precision, m.date_text or ""), False
        if f.name == "text" and t.sent > 0 and (prev := self._dates_so_far(f, ctx.lang)[t.sent - 1]):
            return prev, False
        if ctx.title is not None and f is not ctx.title:
            title_dates = [d for d in ctx.title.sent_dates[0] if not d.future]
            if title_dates:
                return title_dates[0], False
        if here:
            return min(here, key=lambda d: _date_distance(t, d, forward)), True
        return None, False

    def _dates_so_far(self, f: _Field, lang: str) -> list[DateMatch | None]:
        """For each sentence, the last date (not after publication, not a reporting verb's) given
        by it or a sentence before it: what a sentence without a date of its own continues."""
        if f.dates_so_far is None:
            last: DateMatch | None = None
            f.dates_so_far = []
            for ds in f.sent_dates:
                proper = [d for d in ds if not d.future and not self._is_reporting(f, d, lang)]
                last = proper[-1] if proper else last
                f.dates_so_far.append(last)
        return f.dates_so_far

    # --- mention assembly ---------------------------------------------------------------------------
    def _mentions_for(
        self,
        t: _Trigger,
        places: list[PlaceMatch | None],
        basis: PlaceBasis,
        f: _Field,
        ctx: _DocContext,
        earlier: _Coded,
        *,
        detail: bool,  # told as a detail of another act (see _is_detail)
    ) -> list[Mention]:
        s0, s1 = f.sentences[t.sent]
        sentence_low = f.low[s0:s1]
        date_match, reporting = self._date_for(t, f, ctx, earlier)
        if date_match is None and self._allusion(t, places, basis, f, ctx):
            self._drop(t, f, ctx, "allusion")
            return []
        if self.date_gate and date_match is not None and date_match.future:
            self._drop(t, f, ctx, "future")  # dated after publication: announced, not done
            return []
        if (
            self.date_gate
            and date_match is not None
            and date_match.precision == "day"
            and (local_date(ctx.doc.published) - date_match.day).days > HISTORY_DAYS
        ):
            self._drop(t, f, ctx, "history")
            return []
        if date_match is not None:
            day, precision, date_text = date_match.day, date_match.precision, date_match.text or None
        else:
            day, precision, date_text = local_date(ctx.doc.published), "publication", None
        actor, claimant = self._actor_and_claimant(f, s0, s1, sentence_low, ctx)
        target = self._target(sentence_low, ctx.lang)
        if self.codebook.quantity_kind == "fatalities":
            quantity: int | None = fatalities(f.norm.text[s0:s1], ctx.lang)
        else:
            quantity = _quantity(f.norm.text, t, s0, s1, f.sent_dates[t.sent])
        st = self.codebook.subtypes[t.subtype]
        out = []
        base = self._candidate(t, f, ctx)
        for pm in places:
            place, flags, conf = self._place_and_confidence(pm, basis, st.default_place, f, ctx, t.sent)
            if precision == "publication":
                conf -= _PENALTY["date_publication"]
            if reporting:
                flags.append("date_reporting")
                conf -= _PENALTY["date_reporting"]
            if detail:
                flags.append("detail")
            subtype = t.subtype
            home = self.codebook.home_country
            if st.abroad_as and home and (place.country != home if place is not None else ctx.abroad):
                subtype = st.abroad_as
                flags.append(f"abroad_as_{subtype}")
                if place is None:
                    flags.append("abroad_by_report")
            conf = round(max(0.05, min(conf, 1.0)), 3)
            if conf < self.codebook.review_below:
                flags.append("review")
            out.append(
                replace(
                    base,
                    category=self.codebook.category_of(subtype),
                    subtype=subtype,
                    date=day,
                    date_precision=precision,
                    date_text=date_text,
                    place=place,
                    place_text=pm.surface if pm is not None else None,
                    quantity=quantity,
                    actor=actor,
                    claimant=claimant,
                    target=target,
                    confidence=conf,
                    flags=(*flags, *self._gate_flags(t, ctx)),
                )
            )
        return out

    def _allusion(
        self, t: _Trigger, places: list[PlaceMatch | None], basis: PlaceBasis, f: _Field, ctx: _DocContext
    ) -> bool:
        """A Persian act named by one word alone («تجمع», «تظاهرات») with neither a place nor a day in
        the text: an allusion («رفراندوم = تجمع خودی‌ها», «هزینه‌های برپایی تجمع عمومی»), not a report of an
        act (the guide's "allusion with no specific act, place or time"; rules/1.52). A phrase names more
        («حمله سایبری»), and the actor's own outlets place theirs by default."""
        if ctx.lang != "fa" or any(p is not None for p in places) or basis == "water":
            # (English words alone are acts of their sentence's verb: "gunmen attacked …, abducting the sister",
            # "demonstrators marched", "engaged in heavy clashes with ISIL")
            return False
        if ctx.outlet is not None and ctx.outlet.stance == "actor":
            return False
        if _ONE_WORD.fullmatch(f.low, t.start, t.end) is None:
            return False
        s0, s1 = f.sentences[t.sent]
        if _WORD.search(f.low, s0, t.start) is None:
            return False  # a headline that opens with the act (after bullets and emoji only) («تجمع و شعار … درب ساختمان مجلس»)
        if _VERB_AFTER.match(f.low, t.end, s1):
            return False  # a verb made of the word («هک شدیم», «در کمین گرفتار کردیم»)
        # one killed or wounded in it makes it a specific act («… در عملیات بمب‌گذاری به هلاکت رسید»)
        return _CASUALTY.search(f.low, s0, s1) is None

    def _is_detail(self, t: _Trigger, f: _Field, lang: str) -> bool:
        """Whether the act is told as a detail of another — by its sound («صدای … انفجار … به گوش
        می‌رسید», "sounds of gunfire were heard") or as a weapon used in a clash («در این درگیری از
        … خمپاره استفاده شد»; cues ``detail_before``/``detail_after``): in a report of another act at
        the same place, it is part of that act (see :meth:`_one_per_key`)."""
        before, after = self._cue("detail_before", lang), self._cue("detail_after", lang)
        if (before is None and after is None) or self.codebook.subtypes[t.subtype].sound_is_the_act:
            return False
        if before is not None and before.search(self._clause_before(f, t)):
            return True
        if after is None:
            return False
        # the verb of hearing in the act's own clause (a Persian verb ends its clause: «درگیری رخ داد و
        # صدای انفجار به گوش می‌رسید» is a clash, and a blast heard), or in the trigger itself after its
        # first word ("explosions were heard")
        first = _FIRST_WORD.match(f.low, t.start)
        inside = f.low[first.end() : t.end] if first and first.end() < t.end else ""
        return after.search(inside + self._clause_after(f, t, whole=lang != "fa")) is not None

    def _actor_and_claimant(
        self, f: _Field, s0: int, s1: int, sentence_low: str, ctx: _DocContext
    ) -> tuple[str | None, str | None]:
        """Who acted (named in the sentence, else in the report, else the outlet's owner) and who claims it."""
        actors_here = f.actors_in(s0, s1)
        actor = actors_here[0] if actors_here else (ctx.actors[0] if ctx.actors else None)
        owner = ctx.outlet.actor if ctx.outlet is not None and ctx.outlet.stance == "actor" else None
        if owner is not None:
            return actor or owner, owner
        claim = self._cue("claim", ctx.lang)
        return actor, (actor if actor and claim is not None and claim.search(sentence_low) else None)

    def _place_and_confidence(
        self,
        pm: PlaceMatch | None,
        basis: PlaceBasis,
        default_place: str | None,
        f: _Field,
        ctx: _DocContext,
        si: int,
    ) -> tuple[Place | None, list[str], float]:
        """The mention's place, the flags it earns and the confidence before date penalties."""
        flags: list[str] = []
        conf = _BASE_CONFIDENCE
        place: Place | None = pm.place if pm is not None else None
        if pm is None:
            # a place the text does not give is unknown; only the actor's own outlets, reporting
            # the actor's acts, get the codebook's default place (its home country, say)
            # (an act at sea is in no country: never the default)
            own_outlet = ctx.outlet is not None and ctx.outlet.stance == "actor" and basis != "water"
            default_id = (default_place or self.codebook.default_place) if own_outlet else None
            place = self.gazetteer.country(default_id) if default_id else None
            flags.append("place_default" if place is not None else "place_unknown")
            if basis == "water":
                flags.append("at_sea")
            conf -= _PENALTY["place_default"]
        elif basis in ("context", "demonym"):
            flags.append(f"place_{basis}")
            conf -= _PENALTY["place_context"]
        elif pm.place.precision == "province" and self._unnamed_places_cue(f, pm, ctx.lang):
            flags.append("unnamed_places")
        if place is not None and place.precision == "country" and self._nationwide(f, si, ctx.lang):
            # "held demonstrations in several cities across the country": other towns than one named
            # elsewhere in the report, so no town's act absorbs it (rules/1.47)
            flags.append("unnamed_places")
        if f.name == "title":
            conf -= _PENALTY["title_only"]
        if ctx.opinion:
            flags.append("opinion")
            conf -= _PENALTY["opinion"]
        return place, flags, conf

    def _actors(self, low: str, lang: str) -> list[tuple[int, str]]:
        """(position, actor id) of every actor alias in a matching text."""
        found: list[tuple[int, str]] = []
        for a in self.codebook.actors:
            rx = a.pattern.get(lang)
            if rx is not None:
                found.extend((m.start(), a.id) for m in rx.finditer(low))
        return sorted(found)

    def _target(self, sentence: str, lang: str) -> str | None:
        """The target type named first in a sentence (matching text)."""
        best: tuple[int, str] | None = None
        for tg in self.codebook.targets:
            rx = tg.pattern.get(lang)
            if rx is not None and (m := rx.search(sentence)) and (best is None or m.start() < best[0]):
                best = (m.start(), tg.id)
        return best[1] if best else None

    # --- one mention per subtype × place × day ---------------------------------------------------------
    def _one_per_key(self, mentions: list[Mention]) -> list[Mention]:
        body = [m for m in mentions if m.field == "text"]
        title = [m for m in mentions if m.field == "title"]
        # a title without its own date takes the date the body gives the same subtype
        first_in_body: dict[str, Mention] = {}
        for m in body:
            first_in_body.setdefault(m.subtype, m)
        title = [
            replace(m, date=ref.date, date_precision=ref.date_precision, date_text=ref.date_text)
            if (ref := first_in_body.get(m.subtype)) is not None and m.date_precision == "publication"
            else m
            for m in title
        ]
        every = [*body, *title]
        # a mention dated only by the publication day gives way to a dated one of the same act
        # (a mention placed only by context does not count: it may itself give way below)
        dated = {
            (m.subtype, m.place_key)
            for m in every
            if m.date_precision != "publication" and "place_context" not in m.flags
        }
        every = [
            m for m in every if m.date_precision != "publication" or (m.subtype, m.place_key) not in dated
        ]
        # a country or province gives way to a place inside it where the same act is coded that day
        coarse = [m for m in every if m.place is not None and m.place.precision in ("country", "province")]
        if coarse:
            coded_at: dict[tuple[str, dt.date], dict[str, Place]] = {}
            for n in every:
                if n.place is not None:
                    coded_at.setdefault((n.subtype, n.date), {})[n.place.place_id] = n.place
            drop = {
                id(m)
                for m in coarse
                if "unnamed_places" not in m.flags
                and any(_contains(m.place, p) for p in coded_at[(m.subtype, m.date)].values())
            }
            every = [m for m in every if id(m) not in drop]
        placed = {
            (m.subtype, m.date) for m in every if not ({"place_default", "place_context"} & set(m.flags))
        }
        placed_any_day = {m.subtype for m in every if "place_default" not in m.flags}
        # where each subtype is coded on each place and day: (place, day, subtype) -> its sentences; an
        # act is coded at the countries and provinces of the report that contain its place too (a
        # protest told only "in Lebanon" is the one met with tear gas "in central Beirut" that day)
        wider = {
            m.place.place_id: m.place
            for m in every
            if m.place is not None and m.place.precision in ("country", "province")
        }
        by_place_day: dict[tuple[str, dt.date, str], set[tuple[str, int]]] = {}
        for m in every:
            inside = [pid for pid, outer in wider.items() if _contains(outer, m.place)]
            for at in (m.place_key, *inside):
                by_place_day.setdefault((at, m.date, m.subtype), set()).add((m.field, m.sent_start))
        # the acts told for themselves at each place: a detail told there (a sound heard, a weapon
        # used in the clash) is part of one of them (told the night before or after: the report's
        # days may differ by one)
        seen = {(m.place_key, m.date) for m in every if "detail" not in m.flags}
        keep: dict[tuple[str, str, dt.date], Mention] = {}
        for m in every:
            if "detail" in m.flags and any(
                (m.place_key, m.date + dt.timedelta(days=d)) in seen for d in (-1, 0, 1)
            ):
                self.stats.drop("absorbed")
                continue
            if "place_default" in m.flags and m.subtype in placed_any_day:
                self.stats.drop("repeats_placed_mention")
                continue
            if (
                "place_context" in m.flags
                and "unnamed_places" not in m.flags
                and (m.subtype, m.date) in placed
            ):
                self.stats.drop("repeats_placed_mention")
                continue
            if self._absorbed(m, by_place_day):
                self.stats.drop("absorbed")
                continue
            key = (m.subtype, m.place_key, m.date)
            old = keep.get(key)
            if old is None or (old.field == "title" and m.field == "text"):
                keep[key] = m
        return list(keep.values())

    def _absorbed(
        self, m: Mention, by_place_day: Mapping[tuple[str, dt.date, str], set[tuple[str, int]]]
    ) -> bool:
        """Whether a stronger act coded on the same place and day absorbs this one (in another
        sentence, or in the same one when it also suppresses it)."""
        st = self.codebook.subtypes.get(m.subtype)
        if st is None or not st.absorbed_by:
            return False
        for other in st.absorbed_by:
            sentences = by_place_day.get((m.place_key, m.date, other))
            if sentences and (other in st.suppressed_by or sentences - {(m.field, m.sent_start)}):
                return True
        return False


_WORD = re.compile(r"[^\W\d_]")
# a list of places under a heading (RuleCoder._listed_below): how many lines make one, how long an item may be,
# what may stand beside its name (bullets, emoji, numbers, a remark in brackets, a word that says what it is)
_MIN_LIST_LINES = 2
_LIST_ITEM_CHARS = 60
_LIST_CUE = {"fa": "در شهر ", "en": "in "}
_LIST_ITEM_NOISE = re.compile(r"\([^()\n]{0,40}\)|[^\w\s\u200c]|[\d_]+")
_LIST_ITEM_WORDS = frozenset(
    {"شهر", "شهرستان", "استان", "جزیره", "بندر", "روستای", "روستا", "منطقه", "و", "city", "town", "island", "port",
     "province", "county", "district", "of", "the", "and", "in"}
)  # fmt: skip


# a sentence that opens by naming the act told before it and says where it took place (RuleCoder._told_where)
_TOLD_WHERE = {
    "en": re.compile(
        r"\s*(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?(?:attack|assault|blast|explosion|bombing|incident|clash|"
        r"shooting|ambush|protest|rally|demonstration|fire|arson|raid)\s+(?:[\w-]+\s+){0,3}?(?:took place|occurred|"
        r"happened|was carried out|was staged|was held)\s+(?:[\w-]+\s+){0,3}?(?:in|at|near|on|outside|close to)\s"
    ),
    "fa": re.compile(
        r"\s*(?:این|آن)\s+(?:حمله|انفجار|حادثه|درگیری|تیراندازی|تجمع|تظاهرات|آتش[\s\u200c]?سوزی|عملیات|بمب[\s\u200c]?گذاری)"
        r"(?=[^.!?؟]*(?:رخ داد|روی داد|اتفاق افتاد|صورت گرفت|انجام شد|برگزار شد))"
    ),
}


def _worded(f: _Field, order: Iterable[int]) -> tuple[int, ...]:
    """The first sentence in ``order`` that holds a letter (a post's emoji and symbol lines hold none)."""
    for j in order:
        s0, s1 = f.sentences[j]
        if _WORD.search(f.low, s0, s1) is not None:
            return (j,)
    return ()


_TITLE_JOIN = re.compile(r"[^\S\n]*/[^\S\n]*")


def _title_parts(text: str) -> list[tuple[int, int]]:
    """A title's spans: one, or the headlines a slash joins («مراسم راهپیمایی در آبیک/ آمریکا به دنبال
    برجام ۲ است»: what the second says is not the place of the first's act); a slash between digits
    or inside a word (a date, "and/or") joins nothing."""
    parts, last = [], 0
    for m in _TITLE_JOIN.finditer(text):
        before, after = text[last : m.start()], text[m.end() :]
        if (
            m.start() > 0
            and not (text[m.start() - 1].isdigit() and m.end() < len(text) and text[m.end()].isdigit())
            and len(before.split()) >= 2
            and len(after.split()) >= 2
            and (
                m.end() - m.start() > 1
                or not (text[m.start() - 1].isalpha() and text[m.end()].isalpha())
                or _headlines_glued(text, m.start())
            )
        ):
            parts.append((last, m.start()))
            last = m.end()
    parts.append((last, len(text)))
    return parts


_PERSIAN_WORD_BEFORE = re.compile(r"[\u0600-\u06ff\u200c]+$")
_PERSIAN_WORD_AFTER = re.compile(r"[\u0600-\u06ff\u200c]+")


def _headlines_glued(text: str, slash: int) -> bool:
    """Whether a bare slash between two Persian words joins two headlines («… سفر … به دمشق/حملات گسترده …»),
    not two alternatives («و/یا»)."""
    before = _PERSIAN_WORD_BEFORE.search(text, max(0, slash - 40), slash)
    after = _PERSIAN_WORD_AFTER.match(text, slash + 1)
    return bool(before and after and before.group() not in ("و", "یا") and after.group() not in ("و", "یا"))


def _alternation(words: Iterable[str]) -> str:
    """Words as a regex alternation, longest first (so that no word stops at a shorter one)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _demonym_regex(words: Mapping[str, str], lang: str, *, crowd: bool = False) -> re.Pattern[str] | None:
    """Nationality adjectives before the heads they place (``crowd``: only a protesting crowd's)."""
    if not words:
        return None
    alt = _alternation(words)
    if crowd:
        if lang == "fa":
            return re.compile(rf"{_CROWD_HEAD_FA}(?P<d>{alt})(?![\w\u200c])")
        return re.compile(rf"\b(?P<d>{alt}){_CROWD_HEAD_EN}")
    if lang == "fa":
        # «نیروهای عراقی», or the people as a plural noun: «گواتمالایی‌ها»
        return re.compile(
            rf"{_DEMONYM_HEAD_FA}(?P<d>{alt})(?![\w\u200c])|(?<![\w\u200c])(?P<p>{alt})[\s\u200c]?(?:ها|های)(?![\w\u200c])"
        )
    return re.compile(rf"\b(?P<d>{alt}){_DEMONYM_HEAD_EN}")


def _people_regex(words: Sequence[str], lang: str) -> re.Pattern[str] | None:
    """Nationality words as nouns or adjectives, plurals included ("Iranians", «ایرانی‌ها»)."""
    if not words:
        return None
    alt = _alternation(words)
    if lang == "fa":
        return re.compile(rf"(?<![\w\u200c])(?:{alt})(?:[\s\u200c]?(?:ها|های|هایی|ان))?(?![\w\u200c])")
    return re.compile(rf"\b(?:{alt})s?\b", re.IGNORECASE)


def _datelines(f: _Field, lang: str, rx: Rx | None) -> list[re.Match[str]]:
    """Datelines at the head of the body's first sentences: an upper-case place and a dash in English
    ("CAIRO —", "BAGHDAD (Reuters) -"), the codebook's ``dateline`` cue otherwise."""
    out = []
    for i, (s0, s1) in enumerate(f.sentences):
        if lang == "en":
            m = _EN_DATELINE.match(f.norm.text, s0, s1) if i < DATELINE_SENTENCES else None
        else:
            m = rx.pattern.match(f.low, s0, s1) if rx is not None else None
            # further down, only «به گزارش خبرنگار فارس از شیراز …» that opens a paragraph of its own
            if m is not None and i >= DATELINE_SENTENCES and not _REPORTED_FROM.match(f.low, s0, s1):
                m = None
        if m is not None:
            out.append(m)
    return out


# how far before a place a phrase that makes it no place may begin («به گزارش خبرگزاری فارس»)
NOT_PLACE_REACH = 80
# how far after a Persian act told as a noun phrase its place may stand («… در منطقه خارکف»)
PLACE_AFTER_NOUN = 60
# how far after a place a not_place phrase may look ahead («آمریکا … به تأسیسات … حمله کرد»: the attacker,
# known by the verb at the clause's end)
NOT_PLACE_AFTER = 160


def _masked(rx: Rx, low: str, p: PlaceMatch, *, whole: bool = True) -> bool:
    """Whether a ``not_place`` phrase covers the place (searched near it only: phrases are short;
    not searched where none of the literals one of which each phrase contains stands near it).
    English phrases end on a word pattern that holds the first word of a longer name ("against the
    Islamic Republic of Iran", "sponsored by the United Arab Emirates"): covering a place's first word is
    enough (``whole=False``); Persian ones must cover the whole name (a subject told by the verb at the
    clause's end, «عربستان» in «به کشورهایی مانند عربستان سعودی … موشک شلیک کرد», is no phrase of its own)."""
    lo, end = max(0, p.start - NOT_PLACE_REACH), min(len(low), p.end + NOT_PLACE_AFTER)
    if rx.anchors is not None and not any(map(low[lo:end].__contains__, rx.anchors)):
        return False
    # every match that starts at or before the place, overlapping ones included: an earlier match
    # must not hide a later one («خبرگزاری فارس:امام جمعه شیراز» holds the agency's name and then the
    # preacher's city; «رژیم صهیونیستی» after «نظامیان» begins with the place itself)
    pos = lo
    while (m := rx.pattern.search(low, pos, end)) is not None and m.start() <= p.start:
        if p.end <= m.end() or (not whole and p.start < m.end()):
            return True
        pos = m.start() + 1
    return False


# between a place and the country or province it lies in, named with it as one phrase ("Afghanistan's Helmand
# province", "Kirkuk, Iraq", «هلمند افغانستان»)
_CONTEXT_NAME_GAP = re.compile(r"(?:['\u2019]s)?[\s,\u060c]{0,3}")


def _with_context_names(kept: list[PlaceMatch], pruned: list[PlaceMatch], f: _Field) -> list[PlaceMatch]:
    """Each place widened over the country or province that names it in the same phrase and was pruned
    as its context (:meth:`RuleCoder._prune`): "suicide bombers ambushed a base in southern Afghanistan's
    Helmand province" is as near its act as "Afghanistan" is, not farther than a place told before the act
    for another reason ("talks in Doha, Taliban suicide bombers …")."""
    if not pruned:
        return kept
    out = []
    for q in kept:
        for p in pruned:
            holds = p.place.precision == "country" or (
                p.place.precision == "province"
                and p.place.admin1 is not None
                and p.place.admin1 == q.place.admin1
            )
            if not holds or p.place.country != q.place.country or p.place.place_id == q.place.place_id:
                continue
            a, b = (p, q) if p.end <= q.start else (q, p)
            if b.start >= a.end and _CONTEXT_NAME_GAP.fullmatch(f.low, a.end, b.start) is not None:
                start, end = min(p.start, q.start), max(p.end, q.end)
                q = replace(q, start=start, end=end, surface=f.norm.text[start:end])
        out.append(q)
    return out


def _listed(low: str, a: PlaceMatch, b: PlaceMatch) -> bool:
    """Whether only list punctuation and words stand between two places."""
    if b.start < a.end or _LIST_GAP.fullmatch(low, a.end, b.start) is not None:
        return True
    # "the gate of a base in A and a billboard in B": a short gap joined by «و» / "and" / a comma
    gap = low[a.end : b.start]
    return (
        len(gap) <= LIST_GAP_CHARS and _CLAUSE_BREAK.search(gap) is None and _JOINED.search(gap) is not None
    )


# between two items of a parallel list ("Raisi in Mashhad, Jahangiri in Zahedan and …"): a comma or
# «و» / "and", a few words naming who, then «در» / "in" right before the next place
_PARALLEL_GAP = re.compile(
    r"\s*(?:[,،]\s*(?:(?:و|and)\s+)?|\s(?:و|and)\s+)(?:[^\s,،.؛;:!؟?()«»\[\]]+\s+){1,8}(?:در|in)\s+"
)
# a parallel list counts from this many places on (two could be an act and an unrelated aside)
PARALLEL_ITEMS = 3


def _parallel_gap(low: str, a: PlaceMatch, b: PlaceMatch) -> bool:
    return (
        b.start > a.end
        and _PARALLEL_GAP.fullmatch(low, a.end, b.start) is not None
        and _FINITE_WORD.search(low, a.end, b.start) is None
    )


def _parallel_chain(low: str, ordered: Sequence[PlaceMatch], i: int, j: int) -> tuple[int, int]:
    """The widest run of places around ``ordered[i..j]`` joined by parallel gaps, if it holds at least
    PARALLEL_ITEMS places; else ``(i, j)``."""
    gaps = [_parallel_gap(low, a, b) for a, b in pairwise(ordered)]  # gaps[k]: between places k and k + 1
    lo, hi = i, j
    while lo > 0 and gaps[lo - 1]:
        lo -= 1
    while hi < len(gaps) and gaps[hi]:
        hi += 1
    return (lo, hi) if sum(gaps[lo:hi]) + 1 >= PARALLEL_ITEMS else (i, j)


# where one finite clause of a sentence ends and a coordinated one begins: a Persian verb (clauses are
# verb-final) then «و / اما / ولی / سپس»; in English "but", a semicolon, or ", and" before a new subject
_FA_FINITE = (
    r"(?:شد|شدند|کرد|کردند|بود|بودند|است|اند|داد|دادند|گرفت|گرفتند|زد|زدند|ماند|ماندند|رفت|رفتند|"
    r"آمد|آمدند|کشت|کشتند|داشت|داشتند|افتاد|رسید|رسیدند|کرده|شده)"
)
# one of them as a whole word
_FA_FINITE_WORD = rf"(?<![\w\u200c]){_FA_FINITE}(?![\w\u200c])"
_CONJUNCT_BREAK = {
    "fa": re.compile(rf"{_FA_FINITE_WORD}(?P<gap>[\s,،]+(?:و|اما|ولی|لیکن|سپس)(?![\w\u200c]))"),
    "en": re.compile(
        r"\s+but\s+|;\s+|,\s+and\s+(?=(?:a|an|the|another|one|two|three|four|five|\d+|he|she|they|it|police|"
        r"officials|authorities|security|troops|soldiers)\b)"
    ),
}


def _conjunct_breaks(low: str, s0: int, s1: int, lang: str) -> list[tuple[int, int]]:
    """Where each coordinated finite clause of ``low[s0:s1]`` ends and the next begins."""
    rx = _CONJUNCT_BREAK.get(lang)
    if rx is None:
        return []
    # a Persian clause keeps its verb: it ends where the coordinator's gap begins
    return [(m.start("gap") if lang == "fa" else m.start(), m.end()) for m in rx.finditer(low, s0, s1)]


def _after_locative(low: str, p: PlaceMatch, lang: str) -> bool:
    """Whether a place stands right after a preposition of place ("in Iran", "across the country", «در ایران»)."""
    rx = _LOCATIVE_BEFORE.get(lang)
    return rx is not None and rx.search(low, max(0, p.start - 16), p.start) is not None


def _right_after(low: str, trigger: _Trigger | None, p: PlaceMatch) -> bool:
    """Whether the place stands right after the trigger, where its act happened ("the recent protests in
    Iran", "riots erupted across Iran") or inside its words ("protests in Iran that were turned violent"): the
    home country so named is the act's place even beside a place abroad the sentence names for something else
    ("… evidence of pro-U.S. sentiment")."""
    if trigger is None or p.start < trigger.start:
        return False
    return p.end <= trigger.end or _PLACE_NEXT.fullmatch(low, trigger.end, p.start) is not None


def _long_ago(clause: str, published: dt.datetime) -> bool:
    """A year the clause dates things in ("in 1969", «در سال ۱۳۸۸») that lies well before publication
    (a year named as a topic — "victims of November 2019" — does not count)."""
    if _DIGIT.search(clause) is None:
        return False
    pub = local_date(published)
    jalali_year = pub.year - 621 - (1 if (pub.month, pub.day) < (3, 21) else 0)
    for m in chain(
        _YEAR_RE.finditer(clause), _ATTRIBUTIVE_YEAR_RE.finditer(clause), _FULL_DATE_YEAR_RE.finditer(clause)
    ):
        y = int(m.group(1))
        if y < 100:
            full = _jalali_short_year(y, jalali_year)
            if full is None:
                continue
            y = full
        this = jalali_year if y < 1500 else pub.year
        if y < this - 1 or (y == this - 1 and (pub.month > 2 if y >= 1500 else pub.month not in (3, 4))):
            return True
    return False


def _jalali_short_year(yy: int, jalali_year: int) -> int | None:
    """The Jalali year that «سال ۸۸» names, written in ``jalali_year``: 14yy when that is not later
    than next year, else 13yy; None for 1300–1339, which nobody writes with two digits."""
    if 1400 + yy <= jalali_year + 1:
        return 1400 + yy
    return 1300 + yy if yy >= 40 else None


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _contains(outer: Place | None, inner: Place | None) -> bool:
    """Whether ``outer`` (a country or province) strictly contains ``inner``."""
    if outer is None or inner is None or outer.place_id == inner.place_id:
        return False
    if outer.precision == "country":
        return inner.country == outer.country and inner.precision != "country"
    if outer.precision == "province":  # a region abroad (no admin1) is never known to contain a town
        return (
            outer.admin1 is not None
            and inner.admin1 == outer.admin1
            and inner.precision in ("city", "county")
        )
    return False


_FINITE_WORD = re.compile(_FA_FINITE_WORD)
_IN_BEFORE_PLACE = re.compile(r"(?:^|\s)در\s+(?:[^\s،,.؛;:!؟?«»]+\s+){0,2}$")


def _place_after_noun(low: str, t: _Trigger, p: PlaceMatch) -> bool:
    """Whether a Persian act named by a noun phrase («هدف قرار دادن انبارهای … در منطقه خارکف») has its place
    right after it («در» …, no finite verb between): there the place follows the act, not the verb's subject
    before it (a place right next to the noun without «در» was measured and left out: dev 0.560 -> 0.558)."""
    if p.start < t.end or p.start - t.end > PLACE_AFTER_NOUN:
        return False
    gap = low[t.end : p.start]
    return (
        _IN_BEFORE_PLACE.search(gap) is not None
        and _FINITE_WORD.search(gap) is None
        and _FINITE_WORD.search(low, t.start, t.end) is None
    )


def _directional_distance(t: _Trigger, p: PlaceMatch, forward: bool) -> float:
    return _span_distance(t, p.start, p.end, forward)


def _span_distance(t: _Trigger, start: int, end: int, forward: bool) -> float:
    if start >= t.end:
        gap, after = start - t.end, True
    elif end <= t.start:
        gap, after = t.start - end, False
    else:
        return 0.0
    return float(gap) if after == forward else gap * OFF_SIDE_PLACE + OFF_SIDE_PLACE_BASE


# how far from an act the sea or strait it is told in may stand («… به دو کشتی در تنگه هرمز حمله کرد»,
# «حمله پهپادی به یک شناور ایرانی در دریای خزر», "attacked a tanker in the Red Sea")
WATER_REACH = 60
# … and further when a vessel named between is what was hit (rules/1.47)
VESSEL_WATER_REACH = 120
# how far after an English act a nationwide phrase ("in many cities") may begin (rules/1.47)
NATIONWIDE_REACH = 40
_CLAUSE_COMMA = re.compile(r"[,،؛;]")
_IN_BEFORE_WATER = {
    # «در تنگه هرمز», «هنگام عبور از تنگه هرمز», «بر فراز خلیج فارس»
    "fa": re.compile(r"(?:^|\s)(?:در|از|فراز)\s+(?:[^\s،,.؛;:!؟?«»]+\s+){0,2}$"),
    "en": re.compile(r"\b(?:in|near|off|through|across|at|into)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$"),
}

# the words that make what follows a place where something is (rules/1.38; see _at_sea)
_AT_PLACE = {
    "fa": re.compile(
        r"(?:^|[\s\u200c])(?:در|به|بر|علیه|سوی|سمت|طرف|نزدیکی|حوالی|اطراف|فراز|داخل|خاک|شهر|شهرهای|استان|استان[\s\u200c]?های|"
        r"منطقه|مناطق|نواحی|ناحیه|حومه|روستای|روستاهای|مرز|مرزهای|پایتخت|بندر|سواحل|ساحل|شمال|جنوب|شرق|غرب|مرکز)"
        r"(?:[\s\u200c]+(?:شهر|استان|منطقه|مناطق|بندر|ساحل|سواحل|شمال|جنوب|شرق|غرب|مرکز|نزدیکی|حوالی|اطراف|"
        r"شمالی|جنوبی|شرقی|غربی|مرکزی)){0,2}[\s\u200c]+$"
    ),
    "en": re.compile(r"\b(?:in|at|near|on|to|into|over|across|outside|off|of)\s+(?:the\s+)?(?:[\w-]+\s+)?$"),
}


_MILES = re.compile(r"مایل|mile")
_VESSEL = re.compile(r"کشتی|نفتکش|نفت[\s\u200c]*کش|تانکر|شناور|\b(?:ship|vessel|tanker|boat|freighter)s?\b")
MILES_REACH = 60


def _at_sea(
    low: str, t: _Trigger, waters: list[tuple[int, int]], places: Sequence[PlaceMatch | None], lang: str
) -> bool:
    """Whether the act ``t`` is told at sea: a sea, gulf, strait or ocean inside its words, or in a phrase of
    place right next to it (Persian: «در …» after the act's noun or before its verb, no other finite verb
    between; English: "in / near / off …" after it), and no place the sentence names as near the act."""
    forward = lang != "fa"
    in_before = _IN_BEFORE_WATER["fa" if lang == "fa" else "en"]
    miles = [(start, end) for start, end in waters if _MILES.search(low, start, end)]
    if any(_VESSEL.search(low, max(0, start - 80), end + 80) for start, end in miles):
        # a ship placed by its distance at sea («یک کشتی باری در فاصله ۲۰ مایل دریایی شمال شرقی «الخصب» عمان، … مورد
        # اصابت … قرار گرفت»): the act is at sea, whatever town the distance is measured from
        return True
    own = [
        _inside_distance(t, start, end, forward)
        if start >= t.start and end <= t.end
        else _span_distance(t, start, end, forward)
        for start, end in waters
        if (start >= t.start and end <= t.end) or _water_next_to(low, t, start, end, forward, in_before)
    ]
    if not own:
        return False
    nearest = min(own)
    # a place competes with the water only as a place («در / به …», "in / at …") or inside the act's words:
    # a country named bare is who acted («آمریکا با وجود تازه‌ترین تبادل آتش … در نزدیکی تنگه هرمز»)
    at_rx = _AT_PLACE["fa" if lang == "fa" else "en"]
    # the town a distance at sea is measured from («۱۱ مایل دریایی شمال شرقی لیما، در مسندم عمان») is no place of the act
    return all(
        _near(t, p, forward) > nearest
        for p in places
        if p is not None
        and ((p.start >= t.start and p.end <= t.end) or at_rx.search(low, max(0, p.start - 30), p.start))
        and not any(0 <= p.start - end <= MILES_REACH for _, end in miles)
    )


def _water_next_to(
    low: str, t: _Trigger, start: int, end: int, forward: bool, in_before: re.Pattern[str]
) -> bool:
    """Whether the water at ``start:end`` is named in the phrase of place next to the act ``t``."""
    if start >= t.end:  # after the act's words: «… در / هنگام عبور از …», "in / off …"
        gap = low[t.end : start]
        # «در» may close the act's own words («… از شناورهای خود در | اقیانوس هند»)
        if len(gap) > _water_reach(gap) or not in_before.search(low, max(t.start, start - 30), start):
            return False
        return forward or not (_FINITE_WORD.search(gap) or _FINITE_WORD.search(low, t.start, t.end))
    if end <= t.start and not forward:  # before a Persian act's verb, in the same clause
        gap = low[end : t.start]
        # «در پی تنش‌ها در تنگه هرمز، ارتش آمریکا … به شهرهای … حمله کرد»: a clause before, not the act's place
        return (
            len(gap) <= _water_reach(gap)
            and in_before.search(low, max(0, start - 30), start) is not None
            and not _FINITE_WORD.search(gap)
            and not _CLAUSE_COMMA.search(gap)
        )
    return False


def _water_reach(gap: str) -> int:
    """How far the water may stand from the act: further where a ship or tanker named between is what was
    hit ("an explosion struck the Israeli-owned, Bahamas-flagged ship, the MV Helios Ray, in the Sea of Oman")."""
    return VESSEL_WATER_REACH if _VESSEL.search(gap) else WATER_REACH


def _inside_distance(t: _Trigger, start: int, end: int, forward: bool) -> float:
    """A negative distance for a span inside the act's words, the nearer its verb the lower (Persian: the
    phrase of place just before the verb at the end; English: just after the verb at the start)."""
    return -1.0 / (1 + (t.end - end if not forward else start - t.start))


def _near(t: _Trigger, p: PlaceMatch, forward: bool) -> float:
    if p.start >= t.start and p.end <= t.end:
        return _inside_distance(t, p.start, p.end, forward)
    return _directional_distance(t, p, forward)


def _date_distance(t: _Trigger, d: DateMatch, forward: bool) -> float:
    if d.start >= t.end:
        gap, after = d.start - t.end, True
    elif d.end <= t.start:
        gap, after = t.start - d.end, False
    else:
        return 0.0
    return float(gap) if after == forward else gap * OFF_SIDE_DATE


def _quantity(text: str, t: _Trigger, s0: int, s1: int, dates: list[DateMatch]) -> int | None:
    lo, hi = max(s0, t.start - QUANTITY_WINDOW), min(s1, t.end + QUANTITY_WINDOW)
    best: tuple[int, int] | None = None
    for rx in (_NUMBER_RE, _NUMBER_WORD_RE):
        for m in rx.finditer(text, lo, hi):
            if any(d.start <= m.start() < d.end for d in dates):
                continue
            if _NOT_QUANTITY_AFTER.match(text, m.end()):
                continue
            raw = m.group(1)
            value = _NUMBER_WORDS.get(raw.lower()) if rx is _NUMBER_WORD_RE else int(raw.replace(",", ""))
            if not value or value > 100000 or (1300 <= value <= 2100 and rx is _NUMBER_RE and "," not in raw):
                continue
            dist = min(abs(m.start() - t.end), abs(t.start - m.end()))
            if best is None or dist < best[0]:
                best = (dist, value)
    return best[1] if best else None
