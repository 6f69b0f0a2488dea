"""Languages, folded so a child's "Polish" meets a service's ``pl`` (or ``pol``, or "polski").

ORUK ``languages[]`` (HSDS 3.0) carry a ``name``, a ``code`` (ISO 639), both or neither, and
a practitioner types the child's language as free text ("Polish", "BSL", "Arabic (Sudanese)").
:func:`language_key` turns any of these into one key: the ISO 639-3 code for a language in
the table below (the community languages most spoken in England and Wales, Census 2021, and
the sign languages met in the UK), else the folded text itself, so an unlisted language still
matches a service that spells it the same way. No library with this table is available to the
bundle, and a short table is all matching needs.
"""

from __future__ import annotations

import re
import unicodedata

# ISO 639-3 code -> (English name, ISO 639-1 code or "", other names and spellings).
LANGUAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "eng": ("English", "en", ()),
    "cym": ("Welsh", "cy", ("cymraeg", "wel")),
    "gla": ("Scottish Gaelic", "gd", ("gaelic", "gàidhlig")),
    "gle": ("Irish", "ga", ("gaeilge",)),
    "pol": ("Polish", "pl", ("polski",)),
    "ron": ("Romanian", "ro", ("romana", "română", "rum", "moldovan")),
    "pan": ("Punjabi", "pa", ("panjabi",)),
    "urd": ("Urdu", "ur", ()),
    "por": ("Portuguese", "pt", ("português", "portugues")),
    "spa": ("Spanish", "es", ("español", "espanol", "castilian")),
    "ara": ("Arabic", "ar", ()),
    "ben": ("Bengali", "bn", ("bangla",)),
    "syl": ("Sylheti", "", ()),
    "guj": ("Gujarati", "gu", ()),
    "ita": ("Italian", "it", ("italiano",)),
    "fra": ("French", "fr", ("français", "francais", "fre")),
    "deu": ("German", "de", ("deutsch", "ger")),
    "lit": ("Lithuanian", "lt", ("lietuvių",)),
    "lav": ("Latvian", "lv", ()),
    "bul": ("Bulgarian", "bg", ()),
    "hun": ("Hungarian", "hu", ("magyar",)),
    "slk": ("Slovak", "sk", ("slo",)),
    "ces": ("Czech", "cs", ("cze",)),
    "rus": ("Russian", "ru", ()),
    "ukr": ("Ukrainian", "uk", ()),
    "tur": ("Turkish", "tr", ("türkçe",)),
    "kur": ("Kurdish", "ku", ("kurmanji", "sorani")),
    "fas": ("Persian", "fa", ("farsi", "per")),
    "prs": ("Dari", "", ()),
    "pus": ("Pashto", "ps", ("pushto",)),
    "tam": ("Tamil", "ta", ()),
    "tel": ("Telugu", "te", ()),
    "mal": ("Malayalam", "ml", ()),
    "hin": ("Hindi", "hi", ()),
    "nep": ("Nepali", "ne", ()),
    "sin": ("Sinhala", "si", ("sinhalese",)),
    "zho": ("Chinese", "zh", ("chi",)),
    "cmn": ("Mandarin", "", ("mandarin chinese", "putonghua")),
    "yue": ("Cantonese", "", ("cantonese chinese",)),
    "vie": ("Vietnamese", "vi", ()),
    "tha": ("Thai", "th", ()),
    "tgl": ("Tagalog", "tl", ("filipino", "fil")),
    "som": ("Somali", "so", ()),
    "tir": ("Tigrinya", "ti", ()),
    "amh": ("Amharic", "am", ()),
    "swa": ("Swahili", "sw", ("kiswahili",)),
    "yor": ("Yoruba", "yo", ()),
    "ibo": ("Igbo", "ig", ()),
    "twi": ("Twi", "tw", ("akan",)),
    "shn": ("Shona", "sn", ()),
    "sqi": ("Albanian", "sq", ("alb", "shqip")),
    "hbs": ("Serbo-Croatian", "sh", ("bosnian", "croatian", "serbian")),
    "ell": ("Greek", "el", ("gre",)),
    "heb": ("Hebrew", "he", ()),
    "rom": ("Romani", "", ("romany",)),
    "bfi": ("British Sign Language", "", ("bsl",)),
    "isg": ("Irish Sign Language", "", ("isl",)),
    "ase": ("American Sign Language", "", ("asl",)),
}

_KEYS: dict[str, str] = {}
for _code, (_name, _two, _other) in LANGUAGES.items():
    for _spelling in (_code, _name, _two, *_other):
        if _spelling:
            _KEYS[" ".join(_spelling.casefold().split())] = _code

# "Arabic (Sudanese)", "Punjabi - Mirpuri", "Polish; some English": the language comes first.
_QUALIFIER = re.compile(r"\s*[(\[,;/]|\s+-\s+|\s+dialect\b")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.replace("_", " ").casefold().split()).strip(" .")


def language_key(text: str | None) -> str | None:
    """One key per language however it is written (None for blank text)."""
    if not text or not text.strip():
        return None
    folded = _fold(text)
    if folded in _KEYS:
        return _KEYS[folded]
    head = _QUALIFIER.split(folded, maxsplit=1)[0].strip()
    if head in _KEYS:
        return _KEYS[head]
    words = folded.split()
    if "sign" not in words:  # "Sorani Kurdish", "Moroccan Arabic"; not "Polish Sign Language"
        for word in words:
            if word in _KEYS and len(word) > 3:
                return _KEYS[word]
    region = folded.split("-", 1)[0]  # a BCP 47 tag such as "pl-PL" or "zh-Hant"
    if region != folded and region in _KEYS:
        return _KEYS[region]
    return folded


def language_name(text: str) -> str:
    """The language as people say it: "pl" and "polski" read "Polish"; unknown text as typed."""
    key = language_key(text)
    known = LANGUAGES.get(key or "")
    return known[0] if known else " ".join(text.split())
