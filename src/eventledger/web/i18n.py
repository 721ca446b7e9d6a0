"""The interface in English and Persian: messages, numbers, dates in both calendars.

Persian pages are right-to-left, with Persian digits and Solar Hijri dates («۲۸ بهمن ۱۴۰۱»);
English pages give the Gregorian date with the Solar Hijri one beside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from eventledger.aggregate.periods import (
    GREGORIAN_MONTHS_EN,
    month_label,
)
from eventledger.report.statement import fa_number, jalali_date

LANGS = ("en", "fa")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "app": "eventledger",
        "dashboard": "Dashboard",
        "events": "Events",
        "review": "Review queue",
        "audit": "Audit log",
        "api_docs": "API",
        "login": "Sign in",
        "logout": "Sign out",
        "username": "User name",
        "password": "Password",
        "signed_in_as": "Signed in as",
        "public_view": "Public read-only view",
        "language": "فارسی",
        "period": "Period",
        "calendar": "Calendar",
        "jalali": "Solar Hijri",
        "gregorian": "Gregorian",
        "show": "Show",
        "total": "Events",
        "total_in": "events in",
        "by_category": "Per category",
        "by_subtype": "Per subtype",
        "by_month": "Month by month",
        "by_province": "Per province",
        "claim_split": "Claim status",
        "review_split": "Coding",
        "machine": "machine-coded",
        "confirmed": "confirmed",
        "corrected": "corrected",
        "rejected": "rejected",
        "merged": "merged",
        "reviewed": "reviewed",
        "claimed": "claimed",
        "reported": "reported",
        "corroborated": "corroborated",
        "category": "Category",
        "subtype": "Subtype",
        "province": "Province",
        "outlet": "Outlet",
        "claim_status": "Claim status",
        "review_status": "Review status",
        "search": "Words in the reports",
        "any": "any",
        "filter": "Filter",
        "clear": "Clear",
        "date": "Date",
        "place": "Place",
        "place_not_given": "place not given",
        # how precise a date or a place is (records.DatePrecision, records.PlacePrecision)
        "precision_day": "exact day",
        "precision_relative": "relative day",
        "precision_publication": "publication day",
        "precision_month": "month",
        "precision_city": "city",
        "precision_county": "county",
        "precision_province": "province",
        "precision_country": "country",
        "precision_unknown": "unknown",
        "quantity": "Quantity",
        "sources": "Sources",
        "mentions": "Reports",
        "confidence": "Confidence",
        "actor": "Actor",
        "no_events": "No events match.",
        "page_of": "page {page} of {pages}",
        "previous": "previous",
        "next": "next",
        "first": "first",
        "last": "last",
        "event": "Event",
        "sentence": "Sentence",
        "report_text": "Whole report",
        "archived_copy": "archived copy",
        "coded_by": "coded by",
        "history": "Changes",
        "no_history": "No coder has changed this event.",
        "merged_into": "This event was merged into",
        "confirm": "Confirm",
        "reject": "Reject",
        "correct": "Correct",
        "merge": "Merge",
        "split": "Split",
        "revert": "Revert",
        "merge_help": "Ids of events that are the same incident (they are merged into this one)",
        "split_help": "Move the ticked reports to a new event of their own",
        "note": "Note",
        "unchanged": "unchanged",
        "waiting": "events waiting for review",
        "when": "When",
        "who": "Who",
        "action": "Action",
        "change": "Change",
        "reverted_by": "reverted by",
        "map_note": "Events per province; the darker, the more. Events abroad are listed below the map.",
        "abroad": "Abroad and unplaced",
        "done": "Saved: change #{id}.",
        "error": "Error",
        "forbidden": "Your role does not allow this.",
        "scope": "scope",
        "all_categories": "all categories",
        "month": "Month",
        "attribution": "Boundaries © OpenStreetMap contributors (ODbL).",
        "published": "published",
        "outlet_stance": "stance",
        "jalali_date": "Solar Hijri",
        "flags": "flags",
        "new_event_from": "moved to a new event",
        "export_json": "JSON",
        "dropped": "Dropped candidates",
        "dropped_help": "What the coder found in the reports and did not code, with the reason: never events, never counted.",
        "dropped_in_reports": "Dropped in these reports",
        "no_dropped": "Nothing was dropped.",
        "reason": "Reason",
        "score": "Score",
        "trigger": "Trigger",
        "report": "Report",
        "flagged": "Flagged for review",
        "dismiss": "Dismiss flag",
    },
    "fa": {
        "app": "دفتر رویدادها",
        "dashboard": "داشبورد",
        "events": "رویدادها",
        "review": "صف بازبینی",
        "audit": "گزارش تغییرات",
        "api_docs": "API",
        "login": "ورود",
        "logout": "خروج",
        "username": "نام کاربری",
        "password": "گذرواژه",
        "signed_in_as": "کاربر",
        "public_view": "نمای عمومی فقط‌خواندنی",
        "language": "English",
        "period": "دوره",
        "calendar": "تقویم",
        "jalali": "خورشیدی",
        "gregorian": "میلادی",
        "show": "نمایش",
        "total": "رویداد",
        "total_in": "رویداد در",
        "by_category": "به تفکیک دسته",
        "by_subtype": "به تفکیک نوع",
        "by_month": "ماه به ماه",
        "by_province": "به تفکیک استان",
        "claim_split": "وضعیت ادعا",
        "review_split": "کدگذاری",
        "machine": "کدگذاری ماشینی",
        "confirmed": "تأییدشده",
        "corrected": "اصلاح‌شده",
        "rejected": "ردشده",
        "merged": "ادغام‌شده",
        "reviewed": "بازبینی‌شده",
        "claimed": "ادعاشده",
        "reported": "گزارش‌شده",
        "corroborated": "تأییدشده از چند منبع",
        "category": "دسته",
        "subtype": "نوع",
        "province": "استان",
        "outlet": "رسانه",
        "claim_status": "وضعیت ادعا",
        "review_status": "وضعیت بازبینی",
        "search": "واژه‌ها در گزارش‌ها",
        "any": "همه",
        "filter": "پالایش",
        "clear": "پاک کردن",
        "date": "تاریخ",
        "place": "مکان",
        "place_not_given": "محل ذکر نشده",
        "precision_day": "روز دقیق",
        "precision_relative": "روز نسبی",
        "precision_publication": "روز انتشار",
        "precision_month": "ماه",
        "precision_city": "شهر",
        "precision_county": "شهرستان",
        "precision_province": "استان",
        "precision_country": "کشور",
        "precision_unknown": "نامعلوم",
        "quantity": "تعداد",
        "sources": "منابع",
        "mentions": "گزارش‌ها",
        "confidence": "اطمینان",
        "actor": "عامل",
        "no_events": "رویدادی یافت نشد.",
        "page_of": "صفحه {page} از {pages}",
        "previous": "قبلی",
        "next": "بعدی",
        "first": "اولین",
        "last": "آخرین",
        "event": "رویداد",
        "sentence": "جمله",
        "report_text": "متن کامل گزارش",
        "archived_copy": "نسخه بایگانی‌شده",
        "coded_by": "کدگذار",
        "history": "تغییرات",
        "no_history": "هیچ کدگذاری این رویداد را تغییر نداده است.",
        "merged_into": "این رویداد ادغام شد در",
        "confirm": "تأیید",
        "reject": "رد",
        "correct": "اصلاح",
        "merge": "ادغام",
        "split": "جدا کردن",
        "revert": "بازگرداندن",
        "merge_help": "شناسهٔ رویدادهایی که همین رویدادند (در این یکی ادغام می‌شوند)",
        "split_help": "گزارش‌های علامت‌خورده به رویدادی تازه منتقل شوند",
        "note": "یادداشت",
        "unchanged": "بدون تغییر",
        "waiting": "رویداد در انتظار بازبینی",
        "when": "زمان",
        "who": "کاربر",
        "action": "اقدام",
        "change": "تغییر",
        "reverted_by": "بازگردانده با",
        "map_note": "رویدادها به تفکیک استان؛ هرچه تیره‌تر، بیشتر. رویدادهای خارج از کشور زیر نقشه آمده‌اند.",
        "abroad": "خارج از کشور و بی‌مکان",
        "done": "ذخیره شد: تغییر شمارهٔ {id}.",
        "error": "خطا",
        "forbidden": "نقش شما اجازهٔ این کار را نمی‌دهد.",
        "scope": "محدوده",
        "all_categories": "همهٔ دسته‌ها",
        "month": "ماه",
        "attribution": "مرزها © مشارکت‌کنندگان OpenStreetMap (ODbL).",
        "published": "انتشار",
        "outlet_stance": "موضع",
        "jalali_date": "خورشیدی",
        "flags": "نشانه‌ها",
        "new_event_from": "به رویدادی تازه منتقل شد",
        "export_json": "JSON",
        "dropped": "موارد کنارگذاشته",
        "dropped_help": "آنچه کدگذار در گزارش‌ها یافت و کد نکرد، با دلیل آن: هرگز رویداد نیست و شمرده نمی‌شود.",
        "dropped_in_reports": "کنارگذاشته در این گزارش‌ها",
        "no_dropped": "چیزی کنار گذاشته نشد.",
        "reason": "دلیل",
        "score": "امتیاز",
        "trigger": "واژه‌ی محرک",
        "report": "گزارش",
        "flagged": "نیازمند بازبینی دوباره",
        "dismiss": "برداشتن نشان",
    },
}


def t(lang: str, key: str, **kw: Any) -> str:
    text = MESSAGES.get(lang, MESSAGES["en"]).get(key) or MESSAGES["en"].get(key) or key
    if kw:
        text = text.format(**{k: num(v, lang) if isinstance(v, int) else v for k, v in kw.items()})
    return text


def num(n: int | float | str | None, lang: str) -> str:
    """3742 → "3,742" or "۳٬۷۴۲"."""
    if n is None:
        return "—"
    if isinstance(n, float):
        s = f"{n:.2f}"
        return fa_number(s.replace(".", "٫")) if lang == "fa" else s
    return fa_number(n) if lang == "fa" else (f"{n:,}" if isinstance(n, int) else str(n))


def digits(s: str | int, lang: str) -> str:
    """Only the digits changed (ids, years, codes): no thousands separator."""
    return fa_number(str(s)) if lang == "fa" else str(s)


def day(d: dt.date | str | None, lang: str) -> str:
    """A day: «۲۸ بهمن ۱۴۰۱» in Persian; "17 Feb 2023 · 28 Bahman 1401" in English."""
    if d is None:
        return "—"
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    if lang == "fa":
        return jalali_date(d, "fa")
    return f"{d.day} {GREGORIAN_MONTHS_EN[d.month - 1][:3]} {d.year} · {jalali_date(d, 'en')}"


def moment(t_: dt.datetime | str | None, lang: str) -> str:
    """A time (UTC): the day as :func:`day` plus HH:MM."""
    if t_ is None:
        return "—"
    if isinstance(t_, str):
        t_ = dt.datetime.fromisoformat(t_.replace("Z", "+00:00"))
    hm = t_.strftime("%H:%M")
    return f"{day(t_.date(), lang)} {digits(hm, lang)} UTC"


def month(key: str, calendar: str, lang: str) -> str:
    label = month_label(key, calendar, lang)
    return fa_number(label) if lang == "fa" else label


def short_month(key: str, calendar: str, lang: str) -> str:
    """The month name alone, short in English (for chart axes)."""
    full = month_label(key, calendar, lang)
    name = full.rsplit(" ", 1)[0]
    return name if lang == "fa" else name[:3]
