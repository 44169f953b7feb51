"""tools/text.py — columns in a terminal, in any language.

A terminal shows a Chinese character two columns wide, so padding with str.ljust or
f"{x:<22}" (which count code points) leaves a Chinese table ragged. These pad by display
width, the rule common/table.h uses for the lessons: East Asian Wide (W) and Fullwidth
(F) characters count 2, combining marks and zero-width characters 0, everything else 1
(ambiguous-width ones such as · × — included, as terminals outside East Asia show them).
"""

import unicodedata

ZERO_WIDTH = {"\u200b", "\u200d", "\ufe0f"}


def char_width(char):
    if char in ZERO_WIDTH or unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text):
    """Columns `text` takes in a terminal."""
    return sum(char_width(c) for c in text)


def pad_right(text, columns):
    return text + " " * max(0, columns - width(text))


def pad_left(text, columns):
    return " " * max(0, columns - width(text)) + text


def truncate(text, columns, ellipsis="…"):
    """`text` cut to at most `columns` columns, ending in `ellipsis` when cut."""
    if width(text) <= columns:
        return text
    out, used = "", width(ellipsis)
    for char in text:
        if used + char_width(char) > columns:
            break
        out += char
        used += char_width(char)
    return out + ellipsis


def has_cjk(text):
    """True when `text` holds a Chinese (CJK) character or full-width punctuation."""
    return any(_is_cjk(c) for c in text)


def _is_cjk(char):
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x2FFFF)
