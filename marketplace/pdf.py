"""PDF documents in every script (fpdf2), for any app: the Noto fonts bundled in
`marketplace/fonts/` (see its README), never a font installed on the server.

Noto Sans for Latin, Greek and Cyrillic, and, character by character, the first fallback font
that has a character (Arabic, Devanagari and other Indic scripts, Hebrew, Thai, Chinese,
Japanese, Korean). A document loads only the fallback fonts its text needs. Text shaping
(HarfBuzz) joins Arabic letters, lays out right-to-left text and forms Indic conjuncts. A
character no bundled font has is reduced to its unaccented letter when it has one, a symbol (an
emoji) is left out and anything else prints as "?", so no name or title can make a PDF fail.
"""

import functools
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "NotoSans"
# The main family first, then the fallbacks in the order they are tried. A family without a
# bold file prints bold text in its regular face.
FONT_FILES: dict[str, dict[str, str]] = {
    "NotoSans": {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"},
    "NotoSansArabic": {"": "NotoSansArabic-Regular.ttf", "B": "NotoSansArabic-Bold.ttf"},
    "NotoSansDevanagari": {
        "": "NotoSansDevanagari-Regular.ttf",
        "B": "NotoSansDevanagari-Bold.ttf",
    },
    "NotoSansBengali": {"": "NotoSansBengali-Regular.ttf"},
    "NotoSansGujarati": {"": "NotoSansGujarati-Regular.ttf"},
    "NotoSansGurmukhi": {"": "NotoSansGurmukhi-Regular.ttf"},
    "NotoSansTamil": {"": "NotoSansTamil-Regular.ttf"},
    "NotoSansTelugu": {"": "NotoSansTelugu-Regular.ttf"},
    "NotoSansHebrew": {"": "NotoSansHebrew-Regular.ttf"},
    "NotoSansThai": {"": "NotoSansThai-Regular.ttf"},
    "NotoSansCJK": {"": "NotoSansCJKsc-Regular-Subset.ttf"},
}


@functools.cache
def _coverage(family: str) -> frozenset[int]:
    """The characters a family's regular face has (read once per process)."""
    font = TTFont(FONT_DIR / FONT_FILES[family][""], lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _covered(char: str) -> bool:
    return any(ord(char) in _coverage(family) for family in FONT_FILES)


def pdf_text(value) -> str:
    """The text as typed wherever a bundled font has the characters; never an error."""
    out = []
    for char in unicodedata.normalize("NFC", str(value)):
        if char in "\n\t" or _covered(char):
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category.startswith(("C", "S")):
            continue  # a control character or a symbol no font here draws (an emoji)
        if category.startswith("Z"):
            out.append(" ")
            continue
        plain = "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if not unicodedata.combining(c) and _covered(c)
        )
        out.append(plain or "?")
    return "".join(out)


class Document(FPDF):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.set_creator("Micro-internships")
        self.set_auto_page_break(auto=True, margin=18)
        self._add_family(FONT)
        self._fallbacks: list[str] = []
        self.set_text_shaping(True)

    def _add_family(self, family: str) -> None:
        for style, filename in FONT_FILES[family].items():
            self.add_font(family, style=style, fname=FONT_DIR / filename)

    def ready(self, value) -> str:
        """Ready `value` for drawing: load the fallback fonts its characters need."""
        value = pdf_text(value)
        main = _coverage(FONT)
        for char in set(value):
            if ord(char) in main or char in "\n\t":
                continue
            family = next((f for f in FONT_FILES if f != FONT and ord(char) in _coverage(f)), None)
            if family and family not in self._fallbacks:
                self._add_family(family)
                self._fallbacks.append(family)
                order = [f for f in FONT_FILES if f in self._fallbacks]
                self.set_fallback_fonts(order, exact_match=False)
        return value

    def write_line(self, text, *, size=11, style="", height=None, align="L", color=(33, 37, 41)):
        self.set_font(FONT, style=style, size=size)
        self.set_text_color(*color)
        self.multi_cell(
            0, height or size * 0.55, self.ready(text), align=align, new_x="LMARGIN", new_y="NEXT"
        )


def pdf_bytes(document: FPDF) -> bytes:
    return bytes(document.output())
