"""Language identification for reports that arrive without a ``lang``.

The script decides most cases at once (Arabic-script vs Latin letters). Within a script the
language is told by ``lingua`` restricted to the languages a monitoring desk meets (Persian,
Arabic, Urdu, Kurdish is not in lingua; English, French, German, Turkish …); its models ship in the
wheel, so this works offline. Text is normalised (ی/ک) first: Persian written with Arabic
letters must still come out as Persian.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from eventledger.normalize.text import normalize_text, script_counts

SAMPLE_CHARS = 600
_PERSIAN_ONLY = re.compile(r"[پچژگ\u06a9\u06cc]")
# letters no other Arabic-script language lingua knows here writes (ک/ی are not: normalisation
# turns Arabic ك/ي into them)
_PERSIAN_LETTERS = re.compile(r"[پچژگ]")
# what says nothing of a post's language: links, @handles, Latin hashtags, e-mail addresses
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#][A-Za-z0-9_]+")
_ARABIC_ONLY = re.compile(r"[ةأإؤ]")


@functools.lru_cache(maxsize=1)
def _detector() -> Any | None:
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:  # pragma: no cover - lingua is a core dependency
        return None
    langs = [
        Language.PERSIAN, Language.ARABIC, Language.URDU,
        Language.ENGLISH, Language.FRENCH, Language.GERMAN, Language.TURKISH, Language.SPANISH,
    ]  # fmt: skip
    return LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()


def preload() -> None:
    """Build the language detector now (its models load in about a second): done before worker
    processes are forked, which then share it. A forked worker uses only ``detect_language_of``,
    which runs in the calling thread (the threads the build started are not in the child)."""
    _detector()


# Letters only Persian uses among the Arabic-script languages lingua knows here (Urdu has its own
# ٹ ڈ ڑ ں ے ھ); English function words that make a Latin text English beyond doubt.
_URDU_ONLY = re.compile(r"[ٹڈڑںےھۓ]")
_ENGLISH_WORDS = re.compile(
    r"\b(?:the|of|and|was|were|said|has|have|with|from|that|which|by)\b", re.IGNORECASE
)
FAST_PATH_MIN_WORDS = 4


def _fast_path(sample: str, arabic_script: int, latin: int) -> str | None:
    """The obvious cases, decided without a model: Persian letters, or plain English prose."""
    if arabic_script > latin and _PERSIAN_LETTERS.search(sample) and not _URDU_ONLY.search(sample):
        return "fa"  # پ چ ژ گ: Persian, whatever Latin words or links the post also holds
    if arabic_script > 4 * latin:
        if _PERSIAN_ONLY.search(sample) and not _URDU_ONLY.search(sample) and not _ARABIC_ONLY.search(sample):
            return "fa"
        return None
    english_words = {w.lower() for w in _ENGLISH_WORDS.findall(sample)} if sample.isascii() else set()
    if latin > 4 * arabic_script and len(english_words) >= FAST_PATH_MIN_WORDS:
        return "en"
    return None


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("fa", "en", "ar", …) or "und" when there are no letters.

    Persian text (Persian-only letters, no Urdu-only or Arabic-only ones) and plain English prose
    (several English function words) are decided at once; everything else goes to lingua.
    """
    sample = _NOISE.sub(" ", text[:SAMPLE_CHARS])
    arabic_script, latin = script_counts(sample)
    if arabic_script == 0 and latin == 0:
        return "und"
    if (fast := _fast_path(normalize_text(sample), arabic_script, latin)) is not None:
        return fast
    detector = _detector()
    if detector is None:
        if arabic_script >= latin:
            return "fa" if _PERSIAN_ONLY.search(sample) or not _ARABIC_ONLY.search(sample) else "ar"
        return "en"
    lang = detector.detect_language_of(sample)
    if lang is None:
        return "fa" if arabic_script >= latin else "en"
    code = str(lang.iso_code_639_1.name.lower())
    if arabic_script > latin:
        # a short Persian post read as Urdu without an Urdu letter, or as a Latin-script language
        # because of a few Latin words, is Persian (Arabic needs its own letters or lingua's word)
        if code == "ur" and not _URDU_ONLY.search(sample):
            return "fa"
        if code not in ("fa", "ar", "ur"):
            return "fa" if not _ARABIC_ONLY.search(sample) else "ar"
    return code
