"""Requests to correct a record about the applicant (条例第四十一条): the decision.

A 更正申请 is received and may be asked to 补正 like any request (``services.confirm_receipt``,
``request_correction``, ``receive_correction``), is decided here with one of the outcomes of
``gongkai.law.records``, and is then answered and archived by ``services.reply`` and
``services.archive``. It has no period (docs/law/records.md), no consultation, no extension and
no fee; table 三 of the annual report does not count it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.applications.models import Application, Status
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
