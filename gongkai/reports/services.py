"""Every change to the annual report's records, one function each: check the role, change
the rows in one transaction, record an event. A refusal is a ``ReportError`` whose message
says what is wrong, in Chinese.

Who may do what: the agency's 信息公开工作人员, 公开办负责人 and 机关管理员 keep the register,
the yearly figures and the report's text; only the 公开办负责人 publishes a report, and only
when its checks find no error.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies import access
from gongkai.agencies.models import Agency, AgencyKind, Role
from gongkai.core import fields
from gongkai.history.models import record
from gongkai.law import annual_report
from gongkai.reports import checks, drafts, platform
from gongkai.reports.models import AnnualReport, Appeal, ReportState, YearlyFigures

EDIT_ROLES = (Role.CLERK, Role.HEAD, Role.AGENCY_ADMIN)
PUBLISH_ROLES = (Role.HEAD,)


class ReportError(Exception):
    """A step refused; the message says why, in Chinese."""


def can_edit(user, agency: Agency) -> bool:
    return access.is_system_admin(user) or access.has_role(user, agency, *EDIT_ROLES)


def can_publish(user, agency: Agency) -> bool:
    return access.is_system_admin(user) or access.has_role(user, agency, *PUBLISH_ROLES)


def _require_edit(user, agency: Agency) -> None:
    if not can_edit(user, agency):
        raise ReportError("只有本机关的信息公开工作人员、公开办负责人或机关管理员可以办理。")


def _today() -> dt.date:
    return timezone.localdate()


# The report of the current year can be started from 1 December: the year is nearly over and
# the office drafts what it publishes by the deadline of the next (第四十九条). Ours.
CURRENT_YEAR_FROM = (12, 1)


def last_open_year(today: dt.date) -> int:
    """The latest year whose report can be started on ``today``."""
    return today.year if (today.month, today.day) >= CURRENT_YEAR_FROM else today.year - 1


def check_year(year: int) -> None:
    today = _today()
    first, last = annual_report.FIRST_YEAR, last_open_year(today)
    if year == today.year and year > last:
        raise ReportError(
            f"{year} 年度报告自 {year} 年 {CURRENT_YEAR_FROM[0]} 月 {CURRENT_YEAR_FROM[1]} 日起"
            "可以开始编写。"
        )
    if not first <= year <= last:
        raise ReportError(f"年度应在 {first} 年至 {last} 年之间。")


def township_deadline() -> tuple[int, int] | None:
    """The (month, day) configured for 乡镇 and 街道 (GONGKAI_TOWNSHIP_REPORT_DEADLINE), or
    None: the 条例 sets no date for them (docs/law/reports.md)."""
    return getattr(settings, "TOWNSHIP_REPORT_DEADLINE", None)


def deadline_rule(agency_kind: str) -> annual_report.Deadline | None:
    """By when an agency of this kind publishes its report, with the configured local date."""
    return annual_report.deadline_rule(agency_kind, township_deadline())


def publication_deadline(year: int, agency_kind: str) -> dt.date | None:
    """The last day to publish the report for ``year`` (条例第四十九条, or the local date)."""
    return annual_report.publication_deadline(year, agency_kind, township_deadline())


# --- the register of reconsiderations and lawsuits ---------------------------------------

APPEAL_FIELDS = ["number", "kind", "body", "filed_on", "result", "closed_on", "note", "application"]


def _appeal_snapshot(appeal: Appeal) -> dict:
    return {
        "number": appeal.number,
        "kind": appeal.kind,
        "body": appeal.body,
        "filed_on": appeal.filed_on.isoformat() if appeal.filed_on else None,
        "result": appeal.result,
        "closed_on": appeal.closed_on.isoformat() if appeal.closed_on else None,
        "note": appeal.note,
        "application": appeal.application.tracking_number if appeal.application else None,
    }


def _validate_appeal(appeal: Appeal) -> None:
    today = _today()
    if appeal.filed_on > today:
        raise ReportError("立案日期不能晚于今天。")
    if bool(appeal.result) != (appeal.closed_on is not None):
        raise ReportError("结果和结案日期须同时填写；尚未审结的案件两项都不填。")
    if appeal.closed_on is not None:
        if appeal.closed_on < appeal.filed_on:
            raise ReportError("结案日期不能早于立案日期。")
        if appeal.closed_on > today:
            raise ReportError("结案日期不能晚于今天。")
    linked = appeal.application
    if linked is not None and linked.agency_id != appeal.agency_id:
        raise ReportError("只能关联本机关的申请。")
    if linked is not None and linked.received_on:
        if appeal.filed_on < linked.received_on:
            raise ReportError("立案日期不能早于所关联申请的收到日期。")


def save_appeal(user, agency: Agency, appeal: Appeal | None = None, **fields) -> Appeal:
    """Register a case (``appeal`` None) or change one; ``fields`` are those of APPEAL_FIELDS."""
    _require_edit(user, agency)
    with transaction.atomic():
        if appeal is None:
            appeal = Appeal(agency=agency, created_by=user)
            before = None
        else:
            appeal = Appeal.objects.select_for_update().get(pk=appeal.pk, agency=agency)
            before = _appeal_snapshot(appeal)
        for name, value in fields.items():
            if name not in APPEAL_FIELDS:
                raise ValueError(name)
            setattr(appeal, name, value if value is not None or name != "result" else "")
        appeal.number = (appeal.number or "").strip()
        if not appeal.number:
            raise ReportError("请填写案号。")
        _validate_appeal(appeal)
        try:
            with transaction.atomic():
                appeal.save()
        except IntegrityError:
            raise ReportError(f"本机关已登记案号为“{appeal.number}”的案件。") from None
        after = _appeal_snapshot(appeal)
        if before != after:
            record(
                user,
                "appeal.register" if before is None else "appeal.change",
                appeal,
                agency=agency,
                summary=("登记" if before is None else "修改")
                + f"{appeal.get_kind_display()}案件 {appeal.number}",
                before=before,
                after=after,
            )
    return appeal


def delete_appeal(user, appeal: Appeal, *, reason: str) -> None:
    """Remove a case registered by mistake; the reason and the case's data stay in the history."""
    _require_edit(user, appeal.agency)
    if not reason.strip():
        raise ReportError("删除登记须说明理由。")
    with transaction.atomic():
        snapshot = _appeal_snapshot(appeal)
        record(
            user,
            "appeal.delete",
            appeal,
            agency=appeal.agency,
            summary=f"删除{appeal.get_kind_display()}案件登记 {appeal.number}",
            reason=reason.strip(),
            before=snapshot,
        )
        appeal.delete()


# --- yearly figures from other systems -----------------------------------------------------


def _figures_snapshot(figures: YearlyFigures) -> dict:
    values = {}
    for name in platform.FIGURE_FIELDS:
        value = getattr(figures, name)
        values[name] = str(value) if isinstance(value, Decimal) else value
    return values


def save_figures(user, agency: Agency, year: int, values: dict) -> YearlyFigures:
    """Enter or change the agency's figures for ``year``; a value of None is "unknown"."""
    _require_edit(user, agency)
    check_year(year)
    with transaction.atomic():
        figures, created = YearlyFigures.objects.select_for_update().get_or_create(
            agency=agency, year=year
        )
        before = None if created else _figures_snapshot(figures)
        for name, value in values.items():
            if name not in platform.FIGURE_FIELDS:
                raise ValueError(name)
            label = fields.label(YearlyFigures, name)
            # 本年增/减 may go down; every other figure is a count or an amount.
            if value is not None and value < 0 and not name.endswith("_change"):
                raise ReportError(f"“{label}”不能为负数。")
            setattr(figures, name, value)
        figures.save()
        after = _figures_snapshot(figures)
        if before != after:
            record(
                user,
                "figures.save",
                figures,
                agency=agency,
                summary=f"填报 {year} 年度其他统计数据",
                before=before,
                after=after,
            )
    return figures


# --- the report ----------------------------------------------------------------------------


def previous_figures(agency: Agency, year: int) -> dict | None:
    """Last year's published figures of the same agency, for the comparison and the
    carry-over check."""
    last = (
        AnnualReport.objects.filter(agency=agency, year=year - 1, state=ReportState.PUBLISHED)
        .values_list("figures", flat=True)
        .first()
    )
    return last


def figures_of(report: AnnualReport) -> dict:
    """The published figures, or for a draft the figures computed now from the records."""
    if report.state == ReportState.PUBLISHED and report.figures:
        return report.figures
    return platform.compute(report.agency, report.year, consolidated=report.consolidated)


def fees_collected(report: AnnualReport) -> int | None:
    if annual_report.format_for(report.year) == annual_report.FORMAT_2019.key:
        return None
    scope = platform.Scope(report.agency, report.consolidated)
    return platform.fees_collected_yuan(scope, report.year)


def findings_of(report: AnnualReport, figures: dict | None = None) -> list[checks.Finding]:
    figures = figures if figures is not None else figures_of(report)
    return checks.check(
        figures,
        previous=previous_figures(report.agency, report.year),
        agency_kind=report.agency.kind,
        township_deadline=township_deadline(),
    )


def open_report(user, agency: Agency, year: int) -> AnnualReport:
    """The agency's report for ``year``, created as a draft with the generated text of
    sections 一 and 六 the first time it is opened."""
    _require_edit(user, agency)
    check_year(year)
    annual_report.format_for(year)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(agency=agency, year=year).first()
        if report is not None:
            return report
        report = AnnualReport(
            agency=agency, year=year, consolidated=agency.kind == AgencyKind.GOVERNMENT
        )
        figures = figures_of(report)
        for name, text in drafts.default_sections(
            figures,
            fees_collected_yuan=fees_collected(report),
            previous=previous_figures(agency, year),
        ).items():
            setattr(report, name, text)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # Opened at the same moment by someone else (a double click): theirs is the one.
            return AnnualReport.objects.get(agency=agency, year=year)
        record(
            user,
            "report.create",
            report,
            agency=agency,
            summary=f"开始编写 {year} 年度报告",
        )
    return report


def save_sections(user, report: AnnualReport, texts: dict[str, str]) -> AnnualReport:
    _require_edit(user, report.agency)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.state == ReportState.PUBLISHED:
            raise ReportError("报告已发布，须先撤回为草稿才能修改。")
        before = {}
        after = {}
        for name, text in texts.items():
            if name not in AnnualReport.SECTIONS:
                raise ValueError(name)
            text = text.replace("\r\n", "\n").strip()
            if getattr(report, name) != text:
                before[name], after[name] = getattr(report, name), text
                setattr(report, name, text)
        if after:
            report.save()
            record(
                user,
                "report.edit",
                report,
                agency=report.agency,
                summary=f"修改 {report.year} 年度报告正文",
                before=before,
                after=after,
            )
    return report


def regenerate_drafts(user, report: AnnualReport, names=("section1", "section6")) -> AnnualReport:
    """Replace sections 一 and 六 with a draft written from the figures as they are now."""
    figures = figures_of(report)
    texts = drafts.default_sections(
        figures,
        fees_collected_yuan=fees_collected(report),
        previous=previous_figures(report.agency, report.year),
    )
    return save_sections(user, report, {name: texts[name] for name in names})


def publish(user, report: AnnualReport, *, on: dt.date | None = None) -> AnnualReport:
    """Freeze the figures and publish. Refused when a check finds an error (the findings are
    in the message), or when a section is empty."""
    if not can_publish(user, report.agency):
        raise ReportError("只有本机关的公开办负责人可以发布年度报告。")
    on = on or _today()
    if on > _today():
        raise ReportError("发布日期不能晚于今天。")
    if on.year <= report.year:
        raise ReportError(f"{report.year} 年度报告应在该年度结束后发布。")
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.state == ReportState.PUBLISHED:
            raise ReportError("报告已经发布。")
        empty = [n for n in ("section1", "section5", "section6") if not getattr(report, n)]
        if empty:
            labels = "、".join(fields.label(AnnualReport, n) for n in empty)
            raise ReportError(f"以下部分尚未填写：{labels}。")
        unfinished = drafts.placeholders(report.sections())
        if unfinished:
            labels = "、".join(fields.label(AnnualReport, n) for n in unfinished)
            raise ReportError(f"以下部分还有【】中的待填写内容，请填写或删除后再发布：{labels}。")
        figures = figures_of(report)
        figures["published_on"] = on.isoformat()
        findings = findings_of(report, figures)
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise ReportError("检查发现错误，不能发布：" + "；".join(f.message for f in errors[:5]))
        report.state = ReportState.PUBLISHED
        report.figures = figures
        report.findings = [f.as_json() for f in findings]
        report.published_on = on
        report.published_by = user
        report.save()
        record(
            user,
            "report.publish",
            report,
            agency=report.agency,
            summary=f"发布 {report.year} 年度报告",
            after={"state": report.state, "published_on": on.isoformat()},
        )
    return report


def unpublish(user, report: AnnualReport, *, reason: str) -> AnnualReport:
    """Take a published report back to draft to correct it; the reason is recorded and the
    report leaves the public column until it is published again."""
    if not can_publish(user, report.agency):
        raise ReportError("只有本机关的公开办负责人可以撤回年度报告。")
    if not reason.strip():
        raise ReportError("撤回须说明理由。")
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.state != ReportState.PUBLISHED:
            raise ReportError("报告尚未发布。")
        # What the public saw stays in the history: the figures and findings as published.
        before = {
            "state": report.state,
            "published_on": report.published_on.isoformat() if report.published_on else None,
            "figures": report.figures,
            "findings": report.findings,
        }
        report.state = ReportState.DRAFT
        report.figures = None
        report.findings = []
        report.published_on = None
        report.published_by = None
        report.save()
        record(
            user,
            "report.unpublish",
            report,
            agency=report.agency,
            summary=f"撤回 {report.year} 年度报告",
            reason=reason.strip(),
            before=before,
            after={"state": report.state},
        )
    return report
