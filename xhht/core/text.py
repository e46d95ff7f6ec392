"""Vietnamese text helpers."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics, so "nguyen van" finds "Nguyễn Văn".

    Đ/đ is not a combining mark in Unicode, so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


# Vietnamese alphabetical order: letters with breve, circumflex or horn are letters of their
# own (a < ă < â, d < đ, o < ô < ơ, u < ư); tones only break ties (level, grave, hook, tilde,
# acute, dot below). Databases collate by code point, which puts "Bình" before "Bạch".
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    letters: list[int] = []
    tones: list[int] = []
    for char in text.lower():
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        shape = "".join(m for m in decomposed[1:] if m in _SHAPE_MARKS)
        tone = next((_TONE_RANK[m] for m in decomposed[1:] if m in _TONE_RANK), 0)
        letter = unicodedata.normalize("NFC", base + shape) if base != "đ" else "đ"
        # A space ranks first, so syllables sort as words: "Ngũ Lão" before "Nguyễn Huệ".
        letters.append(-1 if base.isspace() else _LETTER_RANK.get(letter, 100 + ord(base)))
        tones.append(tone)
    return tuple(letters), tuple(tones), text
