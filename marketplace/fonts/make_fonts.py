"""Rebuild the fonts in this folder from Debian's Noto packages (run by hand, never at run time).

    apt-get download fonts-noto-core fonts-noto-cjk
    dpkg -x fonts-noto-core_*.deb noto && dpkg -x fonts-noto-cjk_*.deb noto
    python marketplace/fonts/make_fonts.py noto/usr/share/fonts

Every font keeps all its glyphs and layout features (shaping needs them) but drops the
screen hinting instructions, which a PDF does not use: about 40% smaller. Noto Sans CJK is
cut down to the characters of the national standard sets for names and everyday text
(GB 2312, Big5 level 1, JIS X 0208, KS X 1001: simplified and traditional Chinese, Japanese
kana and kanji, Korean hangul), from the Simplified Chinese face, about 14,000 characters,
and its outlines converted to TrueType: PDF readers then map its text back to characters
as reliably as the other fonts' (its CID-keyed CFF form needs an encoding that some text
extractors, résumé parsers among them, do not read).
"""

import itertools
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

HERE = Path(__file__).resolve().parent

FONTS = [
    "NotoSans-Regular",
    "NotoSans-Bold",
    "NotoSansArabic-Regular",
    "NotoSansArabic-Bold",
    "NotoSansDevanagari-Regular",
    "NotoSansDevanagari-Bold",
    "NotoSansBengali-Regular",
    "NotoSansGujarati-Regular",
    "NotoSansGurmukhi-Regular",
    "NotoSansTamil-Regular",
    "NotoSansTelugu-Regular",
    "NotoSansHebrew-Regular",
    "NotoSansThai-Regular",
]
CJK_SOURCE = "opentype/noto/NotoSansCJK-Regular.ttc"
CJK_FACE = 2  # Noto Sans CJK SC in the collection
CJK_TARGET = "NotoSansCJKsc-Regular-Subset.ttf"


def _decodable(codec: str, leads, trails) -> set[str]:
    found = set()
    for lead, trail in itertools.product(leads, trails):
        try:
            found.update(bytes([lead, trail]).decode(codec))
        except UnicodeDecodeError:
            continue
    return found


def cjk_characters() -> str:
    chars = _decodable("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    chars |= _decodable("euc_jp", range(0xA1, 0xF5), range(0xA1, 0xFF))
    chars |= _decodable("euc_kr", range(0xA1, 0xFE), range(0xA1, 0xFF))
    big5_trails = itertools.chain(range(0x40, 0x7F), range(0xA1, 0xFF))
    chars |= _decodable("big5", range(0xA1, 0xC7), list(big5_trails))
    return "".join(sorted(c for c in chars if ord(c) >= 0x2E80))


def _options(*, layout_features) -> subset.Options:
    options = subset.Options()
    options.hinting = False
    options.layout_features = layout_features
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    return options


def to_truetype(font: TTFont) -> None:
    """Replace cubic CFF outlines by quadratic TrueType ones (within 1 unit of 1000)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    font.recalcBBoxes = True  # the glyph boxes and maxp counts of the new outlines
    glyf.compile(font)
    metrics = font["hmtx"]
    for name, glyph in glyphs.items():
        metrics[name] = (metrics[name][0], getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    font["post"].formatType = 3.0  # no glyph names: CID fonts have none worth keeping
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main(source: Path) -> None:
    for name in FONTS:
        options = _options(layout_features=["*"])
        font = subset.load_font(str(source / "truetype/noto" / f"{name}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=font.getBestCmap().keys())
        subsetter.subset(font)
        subset.save_font(font, str(HERE / f"{name}.ttf"), options)

    # Names need no CJK layout features; keeping them would pull in thousands of
    # regional variant glyphs.
    options = _options(layout_features=[])
    options.font_number = CJK_FACE
    options.drop_tables += ["vhea", "vmtx", "VORG"]
    font = subset.load_font(str(source / CJK_SOURCE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=cjk_characters())
    subsetter.subset(font)
    to_truetype(font)
    subset.save_font(font, str(HERE / CJK_TARGET), options)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
