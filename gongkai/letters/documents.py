"""Letters of one case: which make sense now, their text, and the DOCX and PDF files.

available(application) -> [(kind, title), …]
render(application, kind, *, query_url="") -> Letter
to_docx(letter) -> bytes
to_pdf(letter) -> bytes
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.applications.forms import CONTROL_CHARACTERS
from gongkai.applications.models import Application, Pause
from gongkai.core import pdf
from gongkai.law import outcomes
from gongkai.letters import defaults, placeholders
from gongkai.letters.models import TO_PARTY_KINDS, Kind, LetterTemplate

# A line that starts a numbered item keeps its own line: 1. 1、 1) （1） (1) 一、 （一）
# (but not a line that merely starts with a decimal such as 3.5万元)
NUMBERED = re.compile(
    r"^\s*(\d+\s*([.．](?!\d)|[、)）])|[（(]\s*[\d一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+、)"
)


class LetterNotAvailable(ValueError):
    """The case has no such letter (yet): e.g. a fee notice for a case that charged no fee."""


@dataclass(frozen=True)
class Letter:
    kind: Kind
    title: str
    recipient: str  # the salutation, without the colon
    paragraphs: list[str]
    agency_name: str
    date_line: str
    tracking_number: str = ""
    warnings: list[str] = field(default_factory=list)  # for the office, never printed

    @property
    def filename(self) -> str:
        """``2026-0002-00001-补正告知书`` (without extension)."""
        return f"{self.tracking_number}-{Kind(self.kind).short_name}"


# --- which letters --------------------------------------------------------------------------


def reply_kind(outcome_key: str) -> Kind | None:
    info = outcomes.BY_KEY.get(outcome_key or "")
    return Kind(info.letter) if info else None


def available_kinds(application: Application) -> list[Kind]:
    kinds = [Kind.RECEIPT]
    if application.correction_notice_on:
        kinds.append(Kind.CORRECTION)
    if application.extension_days > 0:
        kinds.append(Kind.EXTENSION)
    if placeholders.consultation_pause(application) is not None:
        kinds.append(Kind.CONSULTATION)
    info = outcomes.BY_KEY.get(application.outcome or "")
    if (
        info is not None
        and info.letter in (Kind.REPLY_GRANTED, Kind.REPLY_PARTIAL)
        and placeholders.objected_consultation(application) is not None
    ):
        # 第三十二条: disclosed over the third party's objection; it is told in writing.
        kinds.append(Kind.THIRD_PARTY_NOTICE)
    if application.fee_notice_sent_on or application.fee_notice_on:
        kinds.append(Kind.FEE)
    # 第三十五条: the request for reasons, and the delayed reply it may lead to.
    if application.reasons_requested_on:
        kinds.append(Kind.REASONS_REQUEST)
    if application.delayed_until:
        kinds.append(Kind.DELAY)
    kinds += reply_kinds(application)
    return kinds


def reply_kinds(application: Application) -> list[Kind]:
    """The reply letter(s) the case's decision calls for: by its outcome, and for a 更正申请
    by its record outcome (第四十一条, gongkai.law.records)."""
    kinds = []
    if kind := reply_kind(application.outcome):
        kinds.append(kind)
    if application.is_record_correction and application.record_outcome_info is not None:
        kinds.append(Kind(application.record_outcome_info.letter))
    return kinds


def available(application: Application) -> list[tuple[Kind, str]]:
    """The letters that make sense for the case's current facts, with the title each will
    carry (the agency's own if it edited the template)."""
    kinds = available_kinds(application)
    edited = dict(
        LetterTemplate.objects.filter(agency_id=application.agency_id, kind__in=kinds).values_list(
            "kind", "title"
        )
    )
    if application.is_record_correction:
        edited.update(defaults.RECORD_TITLES)
    return [(k, edited.get(k) or defaults.title(k)) for k in kinds]


# --- the text -------------------------------------------------------------------------------


def template_for(
    agency, kind: Kind, application: Application | None = None
) -> tuple[str, str, bool]:
    """(title, body, edited): the agency's version of ``kind`` or the built-in default. The
    receipt and 补正 notice of a 更正申请 (第四十一条) are always the built-in ones: the agency's
    edited versions are those of a 政府信息公开申请 and state 第三十三条's period."""
    if application is not None and application.is_record_correction:
        if kind in defaults.RECORD_BODIES:
            return defaults.RECORD_TITLES[kind], defaults.RECORD_BODIES[kind], False
    row = LetterTemplate.objects.filter(agency=agency, kind=kind).first()
    if row is not None:
        return row.title, row.body, True
    return defaults.title(kind), defaults.body(kind), False


def paragraphs(text: str) -> list[str]:
    """Split filled-in text into paragraphs: a blank line ends a paragraph; within one, lines
    are joined (no space between Chinese characters), except that a numbered line (``1.``)
    starts a new paragraph. Empty paragraphs (a placeholder with no value) disappear."""
    result: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        current = ""
        for raw in block.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if current and NUMBERED.match(line):
                result.append(current)
                current = line
            elif current and current[-1].isascii() and current[-1].isalnum() and line[0].isascii():
                current += " " + line
            else:
                current += line
        if current:
            result.append(current)
    return result


def letter_date(application: Application, kind: Kind, pause: Pause | None) -> dt.date:
    """The day the letter is dated: the day of the step it notifies."""
    submitted = timezone.localdate(application.submitted_at)
    dates = {
        Kind.RECEIPT: application.received_on or submitted,
        Kind.CORRECTION: application.correction_notice_on,
        Kind.EXTENSION: application.extension_approved_on,
        Kind.CONSULTATION: pause.start if pause else None,
        Kind.FEE: application.fee_notice_sent_on or application.fee_notice_on,
        Kind.THIRD_PARTY_NOTICE: application.decided_on,
        Kind.REASONS_REQUEST: application.reasons_requested_on,
        # The day the delay was decided: with the judgement or later (gongkai.applications.reasons).
        Kind.DELAY: application.delay_decided_on or application.reasons_judged_on,
    }
    if kind.is_reply:
        return application.replied_on or application.decided_on or timezone.localdate()
    return dates.get(kind) or timezone.localdate()


def warnings(agency, kind: Kind | None = None) -> list[str]:
    """What the office should fix before sending: facts the letter cannot state correctly."""
    found = []
    if not agency.reconsideration_body.strip() and (kind is None or Kind(kind).is_reply):
        found.append(
            f"{agency.name}的机关信息中没有填写行政复议机关，答复告知书的救济途径只能写"
            "“行政复议机关”。请机关管理员在“机关信息”中补充后再发出答复告知书。"
        )
    if kind is not None and Kind(kind) is Kind.FEE and not agency.fee_payment.strip():
        found.append(
            f"{agency.name}的机关信息中没有填写信息处理费缴纳方式，收费通知书只能请申请人联系本机关"
            "（国办函〔2020〕109号第七条要求写明缴纳方式）。请机关管理员在“机关信息”中补充。"
        )
    return found


def render(
    application: Application,
    kind: Kind | str,
    *,
    query_url: str = "",
    title: str | None = None,
    body: str | None = None,
) -> Letter:
    """The letter ``kind`` for this case, from the agency's template (or ``title``/``body``,
    for a preview). Raises LetterNotAvailable when the case has no such letter."""
    try:
        kind = Kind(kind)
    except ValueError:
        raise LetterNotAvailable(f"没有“{kind}”这种文书。") from None
    if kind not in available_kinds(application):
        raise LetterNotAvailable(f"申请 {application.tracking_number} 目前不需要“{kind.label}”。")
    return _render(application, kind, query_url=query_url, title=title, body=body)


def _render(application, kind, *, query_url="", title=None, body=None, pause=None) -> Letter:
    agency = application.agency
    if title is None or body is None:
        saved_title, saved_body, _edited = template_for(agency, kind, application)
        title = saved_title if title is None else title
        body = saved_body if body is None else body
    if kind is Kind.CONSULTATION and pause is None:
        pause = placeholders.consultation_pause(application)
    if kind is Kind.THIRD_PARTY_NOTICE and pause is None:
        pause = placeholders.objected_consultation(application)
    date = letter_date(application, kind, pause)
    values = placeholders.values(
        application, kind, letter_date=date, query_url=query_url, pause=pause
    )
    recipient = pause.party if kind in TO_PARTY_KINDS and pause else application.name
    return Letter(
        kind=kind,
        title=placeholders.substitute(title, values).strip(),
        recipient=recipient,
        paragraphs=paragraphs(placeholders.substitute(body, values)),
        agency_name=agency.name,
        date_line=placeholders.day(date),
        tracking_number=application.tracking_number,
        warnings=warnings(agency, kind),
    )


# --- files ----------------------------------------------------------------------------------

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"

# Word uses the eastAsia font for Chinese characters: without it, Chinese text falls back to
# whatever the reader's Word picks. 宋体 is on every Chinese Windows; the title imitates 小标宋
# with bold 宋体 (方正小标宋 is not installed everywhere).
DOCX_BODY_FONT = "宋体"
DOCX_TITLE_FONT = "宋体"
DOCX_LATIN_FONT = "Times New Roman"


def _set_fonts(run, east_asia: str, size_pt: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = DOCX_LATIN_FONT
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), DOCX_LATIN_FONT)
    fonts.set(qn("w:hAnsi"), DOCX_LATIN_FONT)


def _xml_safe(text: str) -> str:
    """Drop the control characters XML cannot hold (data from before the forms stripped them,
    or from an imported ledger) instead of failing the whole letter."""
    return CONTROL_CHARACTERS.sub("", text)


def to_docx(letter: Letter) -> bytes:
    """An A4 Word document: title centred, body in 三号宋体 with a two-character indent, the
    agency and the date right-aligned at the end."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    normal = document.styles["Normal"]
    normal.font.name = DOCX_LATIN_FONT
    normal.font.size = Pt(16)
    normal_rpr = normal.element.get_or_add_rPr()
    normal_rpr.get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_BODY_FONT)
    # Chinese proofing and line breaking in Word.
    lang = normal_rpr.makeelement(qn("w:lang"), {qn("w:val"): "zh-CN", qn("w:eastAsia"): "zh-CN"})
    normal_rpr.append(lang)
    document.core_properties.title = f"{letter.title} {letter.tracking_number}".strip()
    document.core_properties.author = letter.agency_name

    def paragraph(text: str, *, align=None, indent: bool = True, space_before: float = 0):
        p = document.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        fmt.space_after = Pt(0)
        fmt.space_before = Pt(space_before)
        if indent:
            fmt.first_line_indent = Pt(32)
        if align is not None:
            p.alignment = align
        _set_fonts(p.add_run(_xml_safe(text)), DOCX_BODY_FONT, 16)
        return p

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(24)
    _set_fonts(title.add_run(_xml_safe(letter.title)), DOCX_TITLE_FONT, 22, bold=True)

    paragraph(f"{letter.recipient}：", indent=False)
    for text in letter.paragraphs:
        paragraph(text)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(letter.agency_name, align=right, indent=False, space_before=28)
    paragraph(letter.date_line, align=right, indent=False)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_html(letter: Letter) -> str:
    """The HTML WeasyPrint lays out (escaped by the template engine like any page)."""
    return render_to_string("letters/letter.html", {"letter": letter})


def to_pdf(letter: Letter) -> bytes:
    """An A4 PDF in Noto Serif CJK SC, laid out by WeasyPrint. Raises fonts.MissingFont when
    no font here can show Chinese (the PDF would be empty boxes)."""
    return pdf.from_html(to_html(letter), render_to_string("letters/letter.css"))


def preview(agency, kind: Kind, title: str, body: str, *, query_url: str = "") -> Letter:
    """``title`` and ``body`` filled in with a made-up case, for the template editor."""
    from gongkai.letters.samples import sample_case

    kind = Kind(kind)
    application, pause = sample_case(agency, kind)
    return _render(application, kind, query_url=query_url, title=title, body=body, pause=pause)
