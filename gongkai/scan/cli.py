"""``gongkai scan FILE [--json] [--words FILE]``: the pre-publication scan on the command line,
with no server and no database.

Exit status: 0 when nothing is found, 1 when something is, 2 when the file cannot be read or
the arguments are wrong (a Chinese message on stderr, no traceback).

The text that is scanned, to which ``start``/``end`` (``--json``) and the line and column
numbers refer:

- ``.txt``, ``.md`` and standard input (``-``): the bytes decoded as UTF-8, a leading byte-order
  mark dropped, line endings left as they are.
- ``.html``, ``.htm``: the text a reader sees, not the HTML source: tags removed, character
  references decoded, ``script``/``style`` dropped, a line break at each block element (``p``,
  ``div``, ``br``, ``li``, ``tr`` …) and a tab between table cells, so that the digits of two
  cells never run together. Attribute values (``href``, ``alt``) are not scanned.
- ``.docx``: the body in document order, each paragraph and each table cell's paragraph on a
  line of its own, then the headers and footers that are not inherited. Text boxes, footnotes and
  comments are not read.

The human output shows the masked form only, so that a terminal log or a pasted report does
not spread the personal data it warns about; ``--json`` carries the raw text for tools.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from bisect import bisect_left
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from gongkai.argparse_zh import ArgumentParser
from gongkai.scan.scanner import LABELS, Finding, scan

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
DOCX_SUFFIXES = {".docx"}


class ScanInputError(Exception):
    """A file that cannot be scanned; the message is for the user."""


def _parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="gongkai scan",
        description="发布前检查文本中的身份证号、手机号、银行卡号、密级标志和敏感词。"
        "退出状态：0 未发现，1 有发现，2 文件无法读取或参数错误。"
        "自动检查不能代替保密审查。",
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="要检查的文件：.txt、.md、.html、.docx；- 表示从标准输入读取 UTF-8 文本",
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON（含原文，供其他程序使用）")
    parser.add_argument(
        "--words",
        metavar="FILE",
        help="敏感词表（UTF-8）：每行一个词，空行和以 # 开头的行不计",
    )
    return parser


def scan_main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a wrong argument (2): a status, not an exit
        return exc.code if isinstance(exc.code, int) else 2
    try:
        words = read_words(Path(args.words)) if args.words else []
        text = read_text(args.file)
    except ScanInputError as exc:
        print(f"gongkai scan：{exc}", file=sys.stderr)
        return 2

    findings = scan(text, sensitive_words=words)
    if args.json:
        print(json.dumps({"findings": [f.as_json() for f in findings]}, ensure_ascii=False))
    else:
        _print_findings(text, findings)
    return 1 if findings else 0


def _print_findings(text: str, findings: list[Finding]) -> None:
    newlines = [m.start() for m in re.finditer("\n", text)] if findings else []
    for finding in findings:
        line = bisect_left(newlines, finding.start)  # newlines before the finding
        line_start = newlines[line - 1] + 1 if line else 0
        column = finding.start - line_start + 1
        print(f"第 {line + 1} 行第 {column} 列  {finding.label}  {finding.masked}")
    # The summary goes to stderr: stdout stays one line per finding, for grep and wc -l.
    if findings:
        counts = Counter(f.kind for f in findings)
        parts = "，".join(f"{LABELS[kind]} {n} 处" for kind, n in counts.items())
        print(
            f"共发现 {len(findings)} 处（{parts}），请逐项核对、脱敏或删除后再发布。",
            file=sys.stderr,
        )
    else:
        print(
            "未发现身份证号、手机号、银行卡号、密级标志或敏感词（自动检查不能代替保密审查）。",
            file=sys.stderr,
        )


def read_words(path: Path) -> list[str]:
    """The sensitive words of a word-list file: one a line, blank lines and ``#`` lines
    skipped."""
    data = _read_bytes(path, what="敏感词表")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScanInputError(_not_utf8(path, exc, what="敏感词表")) from None
    words = []
    for line in content.splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            words.append(word)
    return words


def read_text(name: str) -> str:
    """The text to scan from a file name, or standard input for ``-``; see the module
    docstring for what the positions refer to."""
    if name == "-":
        stream = sys.stdin
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # already text (a StringIO in a test, an embedding program)
            return _drop_bom(stream.read())
        return _decode(buffer.read(), "标准输入")
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix in DOCX_SUFFIXES:
        return _docx_text(_read_bytes(path, what="文件"), path)
    if suffix in TEXT_SUFFIXES:
        return _decode(_read_bytes(path, what="文件"), str(path))
    if suffix in HTML_SUFFIXES:
        return html_text(_decode(_read_bytes(path, what="文件"), str(path)))
    if not path.exists():
        raise ScanInputError(f"文件 {path} 不存在。")
    hint = "；.doc 文件请先另存为 .docx" if suffix == ".doc" else ""
    raise ScanInputError(
        f"不支持的文件类型“{suffix or '无扩展名'}”：只能检查 .txt、.md、.html、.docx 文件，"
        f"或用 - 从标准输入读取文本{hint}。"
    )


def _read_bytes(path: Path, *, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ScanInputError(f"{what} {path} 不存在。") from None
    except IsADirectoryError:
        raise ScanInputError(f"{path} 是文件夹，不是{what}。") from None
    except PermissionError:
        raise ScanInputError(f"没有读取{what} {path} 的权限。") from None
    except OSError as exc:
        raise ScanInputError(f"无法读取{what} {path}（{exc.strerror or exc}）。") from None


def _not_utf8(source: object, exc: UnicodeDecodeError, *, what: str) -> str:
    return (
        f"{what} {source} 不是 UTF-8 编码（第 {exc.start + 1} 个字节处无法解码），"
        "请另存为 UTF-8 后再检查。"
    )


def _decode(data: bytes, source: str) -> str:
    try:
        return _drop_bom(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ScanInputError(_not_utf8(source, exc, what="文本")) from None


def _drop_bom(text: str) -> str:
    return text.removeprefix("\ufeff")


class _HTMLText(HTMLParser):
    BLOCKS = frozenset(
        "address article aside blockquote br caption dd div dl dt fieldset figcaption figure "
        "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody "
        "tfoot thead title tr ul".split()
    )
    CELLS = frozenset({"td", "th"})
    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def _break(self, char: str) -> None:
        if self.parts and not self.parts[-1].endswith(("\n", char)):
            self.parts.append(char)

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self._break("\n")
        elif tag in self.CELLS:
            self._break("\t")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self._break("\n")
        elif tag in self.CELLS:
            self._break("\t")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_text(source: str) -> str:
    """The text a reader of the page sees, as scanned by ``gongkai scan`` for HTML files."""
    parser = _HTMLText()
    parser.feed(source)
    parser.close()
    return "".join(parser.parts)


def _docx_text(data: bytes, path: Path) -> str:
    import docx
    from docx.text.paragraph import Paragraph

    seen_cells: set[object] = set()

    def lines(container) -> list[str]:
        out: list[str] = []
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                out.append(block.text)
                continue
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc in seen_cells:  # a merged cell is listed once per grid column
                        continue
                    seen_cells.add(cell._tc)
                    out.extend(lines(cell))
        return out

    try:
        document = docx.Document(io.BytesIO(data))
        result = lines(document)
        for section in document.sections:
            for part in (
                section.header,
                section.first_page_header,
                section.even_page_header,
                section.footer,
                section.first_page_footer,
                section.even_page_footer,
            ):
                if not part.is_linked_to_previous:
                    result.extend(lines(part))
    except Exception:  # python-docx raises many kinds for a damaged or mislabelled file
        raise ScanInputError(
            f"无法读取 Word 文件 {path}：文件已损坏，或不是 .docx 格式（.doc 请先另存为 .docx）。"
        ) from None
    return "\n".join(result)
