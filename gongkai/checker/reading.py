"""Reading a published report, whatever it was saved as, into one stream of cells.

Every reader gives the same thing: the report's text in reading order as a list of cells.
A cell is a string (a label, a number, a line of prose) or ``None`` for a table cell that is
blank. Table cells come one by one in row order (HTML and Word tables, text flattened with
``|``, Markdown tables); other lines are split so that each number standing on its own is a
cell and the words between numbers are one label (``规章 0 0 0`` → ``规章``, ``0``, ``0``,
``0``). So a table copied one cell per line, a PDF's text layer and a real table all look the
same to the extractor.

Plain Python: html.parser, zipfile with python-docx, pypdf. No Django.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

MAX_BYTES = 30 * 1024 * 1024  # a report larger than this is refused unread
MAX_CELLS = 200_000  # cells kept from one file (a report has a few thousand)
MAX_PDF_PAGES = 200
MAX_DOCX_XML = 60 * 1024 * 1024  # the uncompressed document.xml of a Word file
MAX_PDF_CONTENT = 8 * 1024 * 1024  # decompressed page content streams read from one PDF

NUMBER = re.compile(r"^[+\-−－]?\d[\d,]*(?:\.\d+)?$")


class Unreadable(Exception):
    """The input cannot be read as a report at all; the message says why, in Chinese."""


@dataclass
class Document:
    kind: str  # text, markdown, html, docx, pdf
    cells: list[str | None] = field(default_factory=list)
    encoding: str | None = None

    def add(self, cell: str | None) -> None:
        if len(self.cells) < MAX_CELLS:
            self.cells.append(cell)


SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """Full-width forms to half-width (NFKC), no spaces of any kind. Cached: a report's cells
    repeat (labels, zeros), and every cell is asked about more than once."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return SPACES.sub("", text)


def is_number(cell: str | None) -> bool:
    return cell is not None and bool(NUMBER.match(normalise(cell)))


def split_line(line: str, document: Document) -> None:
    """One line of prose or of a flattened table row: numbers become cells of their own, the
    words between them one label."""
    words: list[str] = []
    for piece in line.split():
        if is_number(piece):
            if words:
                document.add("".join(words))
                words = []
            document.add(piece)
        else:
            words.append(piece)
    if words:
        document.add("".join(words))


SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def split_text(text: str, document: Document) -> None:
    """Lines of text; a line with ``|`` is a table row, one cell between each pair of bars."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if "|" in stripped:
            if SEPARATOR_ROW.match(stripped):
                document.kind = "markdown"
                continue
            parts = stripped.split("|")
            # Markdown rows start and end with a bar: those ends are not cells.
            if stripped.startswith("|"):
                parts = parts[1:]
            if stripped.endswith("|"):
                parts = parts[:-1]
            for part in parts:
                part = part.strip()
                document.add(part if part else None)
        else:
            split_line(stripped, document)


# --- text ---------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: a byte-order mark, an HTML meta charset, UTF-8,
    or else GB 18030 (which covers GBK and GB 2312, the usual encodings of such pages)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    declared = _META_CHARSET.search(data[:4096])
    candidates = ["utf-8", "gb18030"]
    if declared:
        name = declared.group(1).decode("ascii").lower()
        if name in ("gbk", "gb2312", "gb18030", "utf-8", "utf8", "big5"):
            candidates.insert(0, "gb18030" if name in ("gbk", "gb2312") else name)
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace"), "gb18030"


# The bytes that are not control characters (tab, line feed, form feed, carriage return and
# escape count as text), and the control characters of decoded text (Unicode category Cc).
_NOT_CONTROL = bytes(range(32, 256)) + b"\t\n\x0c\r\x1b"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))
    return bool(sample) and controls / len(sample) > 0.05


def _garbled(text: str) -> bool:
    """Mostly replacement characters or control characters: not a text we can read."""
    sample = text[:20_000]
    if not sample:
        return False
    bad = sample.count("\ufffd") + len(_CONTROL_CHARACTERS.findall(sample))
    return bad / len(sample) > 0.1


# --- HTML ---------------------------------------------------------------------------------

BLOCKS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "table", "title", "ul", "ol", "dd", "dt", "pre", "blockquote", "caption",
}  # fmt: skip
SKIPPED = {"script", "style", "noscript", "template", "svg", "head"}


class _HTMLCells:
    """Turns the events of an HTML parser into cells: each table cell one cell (empty: None),
    the text between tables split into lines."""

    def __init__(self, document: Document):
        self.document = document
        self.skip = 0
        self.cell: list[str] | None = None
        self.depth = 0  # table-cell nesting: a table inside a cell is read as its text
        self.text: list[str] = []

    def _flush(self) -> None:
        if self.text:
            split_text("".join(self.text), self.document)
            self.text = []

    def start(self, tag, _attrs=None):
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in SKIPPED:
            self.skip += 1
        elif self.skip:
            return
        elif tag in ("td", "th"):
            if self.depth == 0:
                self._flush()
                self.cell = []
            self.depth += 1
        elif tag in BLOCKS:
            if self.cell is not None:
                self.cell.append(" ")
            else:
                self.text.append("\n")

    def end(self, tag):
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag in ("td", "th") and self.depth:
            self.depth -= 1
            if self.depth == 0 and self.cell is not None:
                self._emit_cell("".join(self.cell))
                self.cell = None
        elif tag in BLOCKS and self.cell is None:
            self.text.append("\n")

    def _emit_cell(self, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            self.document.add(None)
        elif "|" in text:
            split_text(text, self.document)
        else:
            # A cell holds one label or one number; a cell with both (``规章 0``) is split.
            split_line(text, self.document)

    def data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.text.append(data)

    def comment(self, _text):
        pass

    def close(self):
        if self.cell is not None:
            self._emit_cell("".join(self.cell))
            self.cell = None
        self._flush()


class _StdlibHTML(HTMLParser):
    """The standard library's parser driving the same handler (when lxml gives up)."""

    def __init__(self, cells: _HTMLCells):
        super().__init__(convert_charrefs=True)
        self.cells = cells

    def handle_starttag(self, tag, attrs):
        self.cells.start(tag)

    def handle_startendtag(self, tag, attrs):
        self.cells.start(tag)
        self.cells.end(tag)

    def handle_endtag(self, tag):
        self.cells.end(tag)

    def handle_data(self, data):
        self.cells.data(data)


def _without_comments(text: str) -> str:
    """HTML comments removed in one pass (both parsers are slow on many unclosed ``<!--``);
    an unclosed comment hides the rest of the page, as in a browser."""
    if "<!--" not in text:
        return text
    out, position = [], 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            out.append(text[position:])
            break
        out.append(text[position:start])
        end = text.find("-->", start + 4)
        if end < 0:
            break
        position = end + 3
    return "".join(out)


def read_html(text: str, document: Document) -> None:
    """lxml's HTML parser (libxml2, which closes unclosed cells as a browser does) is three
    times faster than the standard library's; the latter reads what lxml refuses."""
    from lxml import etree

    text = _without_comments(text)
    cells = _HTMLCells(document)
    try:
        parser = etree.HTMLParser(target=cells, recover=True, no_network=True)
        parser.feed(text)
        parser.close()
        return
    except (etree.LxmlError, ValueError):
        document.cells.clear()
    cells = _HTMLCells(document)
    fallback = _StdlibHTML(cells)
    fallback.feed(text)
    fallback.close()
    cells.close()


# --- Word ---------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cell_text(tc) -> str:
    """The text of a cell's own paragraphs (not of a table nested in it)."""
    return " ".join(
        "".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iterchildren(f"{W}p")
    )


def read_docx(data: bytes, document: Document) -> None:
    """The body of ``word/document.xml`` only, parsed directly (no other part of the package is
    loaded, so a huge image inside cannot exhaust memory): paragraphs, and the cells of the
    body's tables (a table nested in a cell is not read)."""
    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise Unreadable("不是有效的 Word（.docx）文件。") from None
    if info.file_size > MAX_DOCX_XML or info.compress_size * 200 < info.file_size:
        raise Unreadable("Word 文件正文过大或压缩比异常，未读取。")
    try:
        xml = archive.read(info)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser)
    except Exception:  # zlib, CRC and XML syntax errors: a damaged file
        raise Unreadable("Word 文件已损坏，无法读取。") from None
    body = root.find(f"{W}body")
    if body is None:
        raise Unreadable("Word 文件没有正文。")
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            split_text("".join(t.text or "" for t in child.iter(f"{W}t")), document)
        elif child.tag == f"{W}tbl":
            for tr in child.iterchildren(f"{W}tr"):
                for tc in tr.iterchildren(f"{W}tc"):
                    merge = tc.find(f"{W}tcPr/{W}vMerge")
                    # A cell continuing a vertical merge repeats the one above: skip it.
                    if merge is not None and merge.get(f"{W}val") in (None, "continue"):
                        continue
                    text = " ".join(_cell_text(tc).split())
                    if not text:
                        document.add(None)
                    else:
                        split_line(text, document)


# --- PDF ----------------------------------------------------------------------------------


def read_pdf(data: bytes, document: Document) -> None:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Unreadable("PDF 文件已加密，无法读取。")
        pages = reader.pages
        count = len(pages)
        texts = []
        seen: set = set()
        size = 0
        for index in range(min(count, MAX_PDF_PAGES)):
            page = pages[index]
            # Pages sharing one content stream are read once; content beyond the cap is a
            # crafted file, not a report (pypdf's text extraction is slow on huge streams).
            reference = page.get("/Contents")
            key = getattr(reference, "idnum", None) or id(reference)
            if key in seen:
                continue
            seen.add(key)
            contents = page.get_contents()
            size += len(contents.get_data()) if contents is not None else 0
            if size > MAX_PDF_CONTENT:
                raise Unreadable("PDF 页面内容过多，超过上限，未读取。")
            texts.append(page.extract_text() or "")
    except Unreadable:
        raise
    except PyPdfError:
        raise Unreadable("PDF 文件无法解析（文件已损坏或不完整）。") from None
    except RecursionError:
        raise Unreadable("PDF 文件结构异常，无法解析。") from None
    except Exception as exc:  # pypdf raises anything on a damaged file
        raise Unreadable(f"PDF 文件已损坏，无法解析（{type(exc).__name__}）。") from None
    text = "\n".join(texts)
    if not text.strip():
        raise Unreadable("PDF 没有文字层（可能是扫描件），无法读取。")
    split_text(text, document)


# --- any file -----------------------------------------------------------------------------

HTML_SIGNS = re.compile(r"<(?:!doctype|html|body|table|div|p|td|tr)\b", re.I)


def too_large(size: int) -> str:
    return f"文件过大（{size / 1024 / 1024:.0f} MB），超过 {MAX_BYTES // 1024 // 1024} MB 的上限。"


def read_bytes(data: bytes, name: str = "") -> Document:
    """Read one report from its bytes; ``name`` (the file name) only helps to tell the kind."""
    if len(data) > MAX_BYTES:
        raise Unreadable(too_large(len(data)))
    if not data.strip():
        raise Unreadable("文件是空的。")
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF"):
        document = Document("pdf")
        read_pdf(data, document)
        return document
    if data.startswith(b"PK\x03\x04"):
        document = Document("docx")
        read_docx(data, document)
        return document
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("这是旧版 Word（.doc）或 Excel 文件，请另存为 .docx 或 PDF 后再检查。")
    if suffix in (".pdf", ".docx"):
        raise Unreadable(f"文件扩展名是 {suffix}，但内容不是该格式。")
    if _looks_binary(data):
        raise Unreadable("不是文本文件（含有二进制内容），也不是 Word 或 PDF 文件。")
    text, encoding = decode(data)
    if _garbled(text):
        raise Unreadable("文字无法识别（编码错误或不是文本）。")
    if suffix in (".html", ".htm", ".shtml", ".xhtml") or HTML_SIGNS.search(text[:65536]):
        document = Document("html", encoding=encoding)
        read_html(text, document)
    else:
        document = Document("text", encoding=encoding)
        split_text(text, document)
    return document


def read_file(path: str | Path) -> bytes:
    """A file's bytes, refused unread when it is over the size limit."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise Unreadable(too_large(size))
        return path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"无法打开文件：{exc.strerror or exc}") from None
