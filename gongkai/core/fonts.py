"""Whether PDFs can show Chinese here: the CJK font WeasyPrint would use, asked of fontconfig
(the library WeasyPrint itself lays text out with) and checked glyph by glyph with fontTools.

Installed with pip alone, without Debian's fonts-noto-cjk, every PDF letter and report came
out with empty boxes for its Chinese and nothing said so. Now the start-up checks report it,
and PDF generation refuses (``MissingFont``) instead of producing an unreadable document.
"""

from __future__ import annotations

from functools import cache

# The family the letters and reports ask for, and characters any of them prints.
FAMILY = "Noto Serif CJK SC"
SAMPLE = "政府信息公开申请答复告知书年月日"
INSTALL = (
    "请安装中文字体：Debian/Ubuntu 运行 apt-get install fonts-noto-cjk（./scripts/setup 以 root "
    "运行时会自动安装），然后重新启动 gongkai。"
)


class MissingFont(RuntimeError):
    """No font covers Chinese: a PDF would be unreadable."""

    def __init__(self, problem: str):
        super().__init__(f"无法生成 PDF：{problem}{INSTALL}")


@cache
def problem() -> str:
    """Empty when the font fontconfig picks for Chinese text has every sample glyph; else
    what is wrong, in Chinese."""
    try:
        path = _matched_file()
    except (OSError, ImportError) as exc:  # no fontconfig library at all
        return f"找不到字体配置（fontconfig）：{exc}。"
    if not path:
        return "系统中没有任何字体。"
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(path, fontNumber=0, lazy=True)
        cmap = font.getBestCmap() or {}
    except Exception as exc:
        return f"字体文件 {path} 无法读取（{exc}）。"
    missing = [c for c in SAMPLE if ord(c) not in cmap]
    if missing:
        return (
            f"系统为中文选用的字体 {path} 没有汉字（如“{missing[0]}”），PDF 中的中文会显示为方框。"
        )
    return ""


def require() -> None:
    """Raise MissingFont when PDFs cannot show Chinese here."""
    found = problem()
    if found:
        raise MissingFont(found)


def _matched_file() -> str:
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", FAMILY.encode())
        fontconfig.FcPatternAddString(pattern, b"lang", b"zh-cn")
        fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(config, pattern, result)
        if match == ffi.NULL:
            return ""
        try:
            path = ffi.new("FcChar8 **")
            if fontconfig.FcPatternGetString(match, b"file", 0, path) != 0:
                return ""
            return ffi.string(path[0]).decode("utf-8", "replace")
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)
        fontconfig.FcConfigDestroy(config)
