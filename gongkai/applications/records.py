"""Requests to correct a record about the applicant (条例第四十一条): the decision.

A 更正申请 is received and may be asked to 补正 like any request (``services.confirm_receipt``,
``request_correction``, ``receive_correction``), is decided here with one of the outcomes of
``gongkai.law.records``, and is then answered and archived by ``services.reply`` and
``services.archive``. It has no period in the 条例, only the reference date of 行政诉讼法第四十七条
(docs/law/records.md), no consultation, no extension and no fee; table 三 of the annual report
does not count it. A case registered as the wrong kind is corrected by ``change_kind``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.applications.models import Application, CaseKind, Status
from gongkai.applications.services import (
    CaseError,
    _check_day,
    _locked,
    _require_handler,
    _require_status,
    _save,
    _state,
)
from gongkai.law import records
from gongkai.law.privacy import mask_in_text

# A 更正申请 is decided once its 补正 is in, or on the request as it stands once the applicant
# let the 补正 period pass (docs/law/records.md, 补正).
DECIDABLE = (Status.IN_PROGRESS, Status.AWAITING_CORRECTION)


def outcomes_open_to(application: Application) -> list[records.RecordOutcome]:
    """The record outcomes a case in its present status can be decided with."""
    if not application.is_record_correction or application.status not in DECIDABLE:
        return []
    return list(records.OUTCOMES)


@transaction.atomic
def decide_record(
    actor,
    application: Application,
    record_outcome: str,
    decided_on: dt.date,
    decision_text: str,
    responsible_agency=None,
    responsible_agency_text: str = "",
) -> Application:
    """第四十一条: the agency that may correct the record checks it and, if the evidence shows
    it to be inaccurate, corrects it and tells the applicant; a record outside its functions is
    transferred to the agency that may correct it, or the applicant is told to ask that agency.
    ``responsible_agency`` (one of the platform's) or ``responsible_agency_text`` (its name and
    contact) names that agency."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    if not application.is_record_correction:
        raise CaseError(
            f"申请 {application.tracking_number} 是政府信息公开申请，不能按更正申请"
            "（条例第四十一条）决定：请在“作出决定”中选择年度报告表三的办理结果。"
        )
    info = records.BY_KEY.get(record_outcome or "")
    if info is None:
        raise CaseError(
            "请选择更正申请的办理结果："
            + "、".join(o.label for o in records.OUTCOMES)
            + f"（条例{records.ARTICLE}）。"
        )
    _require_status(application, *DECIDABLE)
    _check_day(decided_on, "决定日期", application)
    if application.status == Status.AWAITING_CORRECTION and (
        decided_on <= application.correction_deadline
    ):
        raise CaseError(
            f"补正期限 {application.correction_deadline} 尚未届满：请等待申请人补正，"
            "或在收到补正后登记补正再作决定。"
        )
    if application.correction_received_on and decided_on < application.correction_received_on:
        raise CaseError(
            f"决定日期（{decided_on}）不能早于收到补正之日（{application.correction_received_on}）。"
        )
    decision_text = (decision_text or "").strip()
    if info.needs_reason and not decision_text:
        raise CaseError(f"“{info.label}”须告知申请人：请在答复内容中写明{info.text_label}。")
    responsible_agency_text = (responsible_agency_text or "").strip()
    if not info.names_agency:
        responsible_agency, responsible_agency_text = None, ""
    else:
        if responsible_agency is None and not responsible_agency_text:
            raise CaseError(
                f"“{info.label}”须写明有权更正的行政机关（条例{records.ARTICLE}）：请选择平台上的机关，"
                "或填写其名称和联系方式。"
            )
        if responsible_agency is not None and responsible_agency.pk == application.agency_id:
            raise CaseError(
                "有权更正的机关不能是本机关：属于本机关职能范围的，请选择予以更正或不予更正。"
            )
        if (
            responsible_agency is not None
            and not (responsible_agency.phone.strip() or responsible_agency.address.strip())
            and not responsible_agency_text
        ):
            raise CaseError(
                f"{responsible_agency.name}在平台上没有登记联系电话和地址：请在“或填写机关的名称和"
                "联系方式”中填写，以便申请人联系。"
            )
    before = _state(application)
    application.record_outcome = info.key
    application.outcome = ""
    application.legal_basis = info.basis
    application.decision_text = decision_text
    application.responsible_agency = responsible_agency
    application.responsible_agency_text = responsible_agency_text
    application.decided_on = decided_on
    application.decided_by = actor
    application.status = Status.DECIDED
    _save(actor, application, "application.decide_record", f"作出更正决定：{info.label}", before)
    return application


# --- the kind of a case ------------------------------------------------------------------

# Before a decision: a case decided, answered or archived keeps the kind it was decided as.
KIND_CHANGEABLE = (
    Status.PENDING,
    Status.IN_PROGRESS,
    Status.AWAITING_CORRECTION,
    Status.CONSULTING,
    Status.AWAITING_PAYMENT,
)


def _disclosure_steps_taken(application: Application) -> list[str]:
    """The steps of a 政府信息公开申请 already taken on the case, which a 更正申请 has not."""
    taken = []
    if application.pauses.exists():
        taken.append("征求意见")
    if application.extension_days:
        taken.append("延长答复期限")
    if application.fee_notice_on or application.fee_notice_sent_on:
        taken.append("收费通知")
    if application.reasons_requested_on:
        taken.append("要求说明理由（第三十五条）")
    if application.released_items.exists():
        taken.append("关联提供的信息")
    return taken


@transaction.atomic
def change_kind(actor, application: Application, kind: str, reason: str, evidence: str = ""):
    """Correct the kind of a case registered as the wrong one (a paper 公开申请 typed in as a
    更正申请, or the wrong tab of the public form). Only before a decision; the day of receipt
    stays (the applicant asked on that day whatever the label), the due date is counted again
    for the new kind (第三十三条, or the reference date of 行政诉讼法第四十七条), and the reason is
    recorded. A 更正申请 needs its evidence (第四十一条): ``evidence`` is added to the request's
    text when the case has neither written evidence nor files."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    labels = dict(CaseKind.choices)
    if kind not in labels:
        raise CaseError("申请类型只能是政府信息公开申请或政府信息更正申请。")
    if kind == application.kind:
        raise CaseError(f"申请 {application.tracking_number} 已经是{labels[kind]}。")
    if application.status not in KIND_CHANGEABLE:
        raise CaseError(
            f"申请 {application.tracking_number} 目前为“{application.get_status_display()}”："
            "已作出决定的申请不能更改申请类型。"
        )
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("请写明更改申请类型的原因，如“纸质申请表为公开申请，登记时误选更正申请”。")
    evidence = (evidence or "").strip()
    if kind == CaseKind.RECORD_CORRECTION:
        taken = _disclosure_steps_taken(application)
        if taken:
            raise CaseError(
                f"申请 {application.tracking_number} 已经办理了政府信息公开申请的步骤（"
                + "、".join(taken)
                + "），不能改为更正申请（条例第四十一条）。"
            )
        written = records.split_evidence(application.description)[1]
        if not (written or evidence or application.attachments.exists()):
            raise CaseError(records.NO_EVIDENCE)
        if evidence:
            request = records.split_evidence(application.description)[0]
            application.description = records.with_evidence(
                request, "\n".join(part for part in (written, evidence) if part)
            )
    elif evidence:
        raise CaseError("证据说明只用于改为更正申请：政府信息公开申请不需要证据。")
    reason = mask_in_text(reason, known=[application.id_number])
    before = _state(application)
    was = labels[application.kind]
    application.kind = kind
    _save(
        actor,
        application,
        "application.change_kind",
        f"申请类型由“{was}”改为“{labels[kind]}”",
        before,
        reason=reason,
    )
    return application
