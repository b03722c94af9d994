"""The texts a letter states about its case: dates, the outcome and its remedy, the withheld
parts, the periods due. Each is a value of one or more placeholders (``builders.py``)."""

from __future__ import annotations

import datetime as dt

from gongkai.applications.models import Application, FeeMethod, Pause, PauseKind
from gongkai.clock import statutory
from gongkai.clock.loader import provisional_years
from gongkai.core.text import ITEM_NUMBER  # noqa: F401  (placeholders re-exports it)
from gongkai.law import outcomes, periods

NOT_FILLED = "（未填写）"


def day(value: dt.date | None, missing: str = NOT_FILLED) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else missing


def result_text(info: outcomes.Outcome) -> str:
    """The outcome as a letter states it, in the words of its article: ``予以公开``,
    ``不予公开（属于国家秘密）``; a referral (行政查询事项, 第三十六条第（七）项) and 其他处理
    by their own words, addressed to the applicant."""
    words = info.wording or info.label
    if info.label == info.group:
        return info.group
    if info.group == "不予公开" and not info.refusal:
        return words  # a referral, not a refusal
    if info.group == "其他处理":
        return "其他处理（具体情况见下文）" if info.label == "其他" else words
    return f"{info.group}（{words}）"


def remedy_clause(application: Application | None, agency) -> str:
    """The 救济途径 of a reply (docs/law/outcomes.md, 救济途径).

    A refusal to disclose under 第十四条、第十五条、第十六条 — and a partial disclosure whose
    withheld part rests on one of them — must first go to administrative reconsideration
    (复议前置: 行政复议法第二十三条第一款第（四）项, 法释〔2025〕8号第一条); the applicant may go to
    court within 15 days of the reconsideration decision (行政诉讼法第四十五条). Every other reply
    may go to reconsideration within 60 days (行政复议法第二十条) or to court within six months
    (行政诉讼法第四十六条). ``application`` None (a procedural letter) gets the two routes. An
    agency without a 复议机关 on file gets the generic wording, never an invented body; the
    office pages warn about it.
    """
    body = agency.reconsideration_body.strip() or "行政复议机关"
    info = application.outcome_info if application is not None else None
    grounds = [ground for _, ground in application.withheld_parts] if info else []
    court = agency.court.strip() or "有管辖权的人民法院"
    two_routes = (
        f"可以自收到本答复之日起{periods.RECONSIDERATION_DAYS}日内向{body}"
        f"申请行政复议，也可以自收到本答复之日起{periods.LITIGATION_MONTHS}个月内向{court}"
        "提起行政诉讼。"
    )
    if info is not None and grounds and outcomes.review_first(info, grounds):
        # 部分公开: only the withheld part is a 不予公开 decision; the part provided (its
        # content, its form) is contested by either route (法释〔2025〕8号第一条).
        return (
            f"如对本答复中不予公开的部分不服，应当自收到本答复之日起{periods.RECONSIDERATION_DAYS}"
            f"日内先向{body}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起"
            f"{periods.LITIGATION_AFTER_RECONSIDERATION_DAYS}日内依法向人民法院提起行政诉讼"
            "（《中华人民共和国行政复议法》第二十三条第一款第（四）项，《中华人民共和国行政诉讼法》"
            f"第四十五条）。对本答复的其他内容不服的，{two_routes}"
        )
    if info is not None and outcomes.review_first(info, grounds):
        return (
            f"如对本答复不服，应当自收到本答复之日起{periods.RECONSIDERATION_DAYS}日内先向{body}"
            f"申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起"
            f"{periods.LITIGATION_AFTER_RECONSIDERATION_DAYS}日内依法向人民法院提起行政诉讼；"
            "行政复议机关逾期不作决定的，可以在复议期满之日起"
            f"{periods.LITIGATION_AFTER_RECONSIDERATION_DAYS}日内向人民法院提起行政诉讼"
            "（《中华人民共和国行政复议法》第二十三条第一款第（四）项，《中华人民共和国行政诉讼法》"
            "第四十五条）。"
        )
    return f"如对本答复不服，{two_routes}"


def fee_reason(application: Application, method: FeeMethod | None) -> str:
    """Why this request is charged (国办函〔2020〕109号第二条、第四条、第五条): 按件, the items
    the same applicant asked of this agency earlier in the calendar month and the running
    total; 按量, the pages provided."""
    from gongkai.applications.services import earlier_items_this_month

    units = application.fee_units or 0
    if method is FeeMethod.PER_ITEM and application.received_on:
        earlier = earlier_items_this_month(application)
        month = f"{application.received_on.year}年{application.received_on.month}月"
        return (
            f"您于{month}此前已向本机关申请{earlier}件，本申请按“一事一申请”计{units}件，"
            f"本月累计{earlier + units}件；同一申请人一个自然月内累计10件以下（含10件）的不收费"
        )
    if method is FeeMethod.PER_PAGE:
        return f"本次提供的政府信息共{units}页；30页以下（含30页）的不收费"
    return NOT_FILLED


def withheld_text(application: Application) -> tuple[str, str]:
    """部分公开 (第三十七条): the withheld parts and their grounds as a letter states them, in
    the words of the articles. A part withheld on two grounds is stated once with both; when
    there are several parts, each goes on a line of its own, numbered alike in both lists so
    that each ground reads against its part."""
    grouped: dict[str, list[str]] = {}
    for part, ground in application.withheld_parts:
        grouped.setdefault(part, [])
        if ground is not None:
            grouped[part].append(f"{ground.text}（{ground.basis}）")
    if len(grouped) == 1:
        part, grounds = next(iter(grouped.items()))
        return part, "；".join(grounds)
    numbers = "一二三四五六七八九十"
    parts = "\n".join(f"（{numbers[i]}）{part}；" for i, part in enumerate(grouped))
    grounds = "\n".join(
        f"（{numbers[i]}）{'；'.join(g) or NOT_FILLED}；" for i, g in enumerate(grouped.values())
    )
    return parts.removesuffix("；"), grounds.removesuffix("；")


def reasons_stated(application: Application) -> str:
    """第三十五条: a 不予处理 of many or frequent requests states that reasons were asked, when,
    and that they were judged unreasonable (or not given by the date set). Empty for every other
    outcome, and for a case recorded without those steps (imported from a ledger)."""
    if application.outcome != "declined_excessive" or not application.reasons_requested_on:
        return ""
    from gongkai.applications import reasons

    text = f"本机关于{day(application.reasons_requested_on)}书面要求您说明申请理由。"
    judged = day(application.reasons_judged_on)
    if application.reasons_received_on:
        return text + (
            f"您于{day(application.reasons_received_on)}作出了说明，本机关于{judged}审查认为，"
            "您的申请理由不合理。"
        )
    asked = reasons.asked(application)
    by = f"（{day(asked.answer_by)}）" if asked and asked.answer_by else ""
    return text + f"您未在本机关确定的期限{by}内说明理由，本机关于{judged}认定您的申请理由不合理。"


def responsible_agency_text(application: Application) -> str:
    """第三十六条第（五）项: the agency responsible for the information and how to reach it,
    where it can be determined."""
    if application.responsible_agency_id:
        other = application.responsible_agency
        contact = "，".join(
            part
            for part in (
                f"联系电话：{other.phone}" if other.phone else "",
                f"地址：{other.address}" if other.address else "",
            )
            if part
        )
        typed = application.responsible_agency_text.strip()
        return other.name + (f"（{contact}）" if contact else "") + (f"，{typed}" if typed else "")
    return application.responsible_agency_text.strip()


def evidence_text(application: Application) -> str:
    """第四十一条 "有证据证明": the evidence of a 更正申请 as its letters state it — what the
    applicant wrote, and how many files came with the request."""
    written = application.evidence_text.strip().rstrip("。．.；;")
    count = application.attachments.count() if application.pk else 0
    files = f"证据材料 {count} 份（随申请上传或提交）" if count else ""
    return "；".join(part for part in (written, files) if part) or NOT_FILLED


def answer_due_text(pause: Pause) -> str:
    """The last day of the party's period, as the consultation letter states it: a date once
    the day of receipt is recorded, else how it is counted (第三十二条、第三十四条)."""
    if pause.received_on is None:
        return (
            f"您（贵单位）收到本征求意见书之日后的第{periods.CONSULTATION_DAYS}个工作日"
            "（以签收或送达记录上的日期为准）"
        )
    if pause.answer_due is None:
        return (
            f"自{day(pause.received_on)}（收到本征求意见书之日）起的第"
            f"{periods.CONSULTATION_DAYS}个工作日"
        )
    return dated(pause.answer_due, pause.received_on)


def dated(value: dt.date | None, start: dt.date | None) -> str:
    """A due date as a letter states it: provisional dates (counted from ``start`` over a
    year whose holiday notice is not loaded) say so, and what decides them."""
    if value is None:
        return NOT_FILLED
    years = provisional_years(start, value) if start else []
    return day(value) + (statutory.letter_note(years) if years else "")


def reply_due_text(application: Application) -> str:
    """The reply due date as the applicant should read it: a date whenever one is known, else
    the period counted from the day it runs from, with the extension in it (第三十三条)."""
    total = periods.REPLY_DAYS + application.extension_days
    start = application.correction_received_on or application.received_on
    if application.reply_due:
        return dated(application.reply_due, start)
    if application.received_on is None:
        return f"自收到申请之日起{total}个工作日内（收到申请之日待确认）"
    if application.correction_notice_on and not application.correction_received_on:
        return f"自本机关收到补正后的申请之日起{total}个工作日内"
    since = "收到补正后的申请之日" if application.correction_received_on else "收到申请之日"
    period = f"自{since}起{total}个工作日内"
    if application.pk:
        # While a pause lasts no date can be known: the period, and what is not counted in it.
        open_ = [p for p in application.pauses.all() if p.end is None]
        if open_:
            if open_[0].kind == PauseKind.FEE:
                return f"{period}（等待缴纳信息处理费的期间不计算在内，具体日期待缴费后确定）"
            # The letters say themselves that consultation time is not counted.
            return f"{period}（目前正在征求意见，具体日期待征求意见结束后确定）"
    return period
