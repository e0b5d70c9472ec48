"""Small numeral parsers for clause markers and dates (Chinese, Arabic, Roman, English words)."""

from __future__ import annotations

import re

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
_CN_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_NUM_CHARS = "零〇一二三四五六七八九十百两"

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}

EN_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a": 1,
    "an": 1,
    "half": 0,
}
EN_NUMBER_RE = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|"
    r"eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten|one|two|"
    r"three|four|five|six|seven|eight|nine"
)


def cn_to_int(text: str) -> int | None:
    """Parse 一/十二/二十三/一百零五 and digit-by-digit forms (二〇二〇); None when not a numeral."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(ch in _CN_DIGIT for ch in text):
        # Year style: each character is a digit.
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGIT[ch]
        return value
    total = 0
    current = 0
    for ch in text:
        if ch in _CN_DIGIT:
            current = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            unit = _CN_UNIT[ch]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


def roman_to_int(text: str) -> int | None:
    text = text.lower()
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    prev = 0
    for ch in reversed(text):
        value = _ROMAN[ch]
        if value < prev:
            total -= value
        else:
            total += value
            prev = value
    return total


def en_words_to_int(text: str) -> int | None:
    parts = re.split(r"[- ]+", text.lower().strip())
    if not parts or any(p not in EN_WORDS for p in parts):
        return None
    return sum(EN_WORDS[p] for p in parts)


def any_to_int(text: str) -> int | None:
    """Best-effort numeral parse: Arabic, full-width digits, Chinese, English words."""
    text = text.strip().translate(_FULLWIDTH_DIGITS)
    if text.isdigit():
        return int(text)
    value = cn_to_int(text)
    if value is not None:
        return value
    return en_words_to_int(text)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
