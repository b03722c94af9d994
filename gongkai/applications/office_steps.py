"""The steps of a case file: what each step asks (its form), who may take it and which service
it calls. The case page (``office_views``) lists the steps a case has reached and posts to one."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency
from gongkai.applications import intake, mend, reasons, release, release_forms, services
from gongkai.applications import office_forms as f
from gongkai.applications import records as record_cases
from gongkai.applications.models import (
    PROVISION_MATCHES,
    Application,
    Status,
)


@dataclass(frozen=True)
class Step:
    """One step a user can take on a case: its form, when it applies, who may take it."""

    title: str
    form: type
    statuses: tuple[Status, ...]
    run: Any
    head_only: bool = False
    applies: Any = None  # extra condition on the case

    def available(self, application: Application) -> bool:
        return application.status in self.statuses and (
            self.applies is None or self.applies(application)
        )


S = services
R = reasons
STEPS: dict[str, Step] = {
    "confirm": Step(
        "确认收到申请",
        f.ConfirmForm,
        (Status.PENDING,),
        lambda u, a, d: S.confirm_receipt(
            u, a, d["received_on"], d["note"], late_reason=d["late_reason"]
        ),
    ),
    "correction": Step(
        "告知补正",
        f.CorrectionForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: S.request_correction(u, a, d["items"], d["deadline"], d["notice_on"]),
        applies=lambda a: a.correction_notice_on is None,
    ),
    "correction_received": Step(
        "登记补正",
        f.CorrectionReceivedForm,
        (Status.AWAITING_CORRECTION,),
        lambda u, a, d: S.receive_correction(
            u, a, d["received_on"], description=d["description"], note=d["note"]
        ),
    ),
    "consult": Step(
        "征求意见",
        f.ConsultForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: S.start_consultation(
            u, a, d["kind"], d["party"], d["sent_on"], received_on=d["received_on"]
        ),
        applies=lambda a: not a.is_record_correction,
    ),
    "consult_received": Step(
        "登记对方收到征求意见书",
        f.ConsultReceivedForm,
        (Status.CONSULTING,),
        lambda u, a, d: S.record_consultation_received(u, a, d["received_on"]),
        applies=lambda a: any(
            p.is_consultation and p.end is None and p.received_on is None for p in a.pauses.all()
        ),
    ),
    "consult_end": Step(
        "登记征求意见结果",
        f.ConsultEndForm,
        (Status.CONSULTING,),
        lambda u, a, d: S.end_consultation(u, a, d["ended_on"], d["result"], d["note"]),
    ),
    "extend": Step(
        "延长答复期限",
        f.ExtendForm,
        (Status.IN_PROGRESS, Status.CONSULTING),
        lambda u, a, d: S.extend(u, a, d["days"], d["reason"], d["approved_on"]),
        head_only=True,
        applies=lambda a: (
            a.extension_days == 0 and not a.is_record_correction and a.delayed_until is None
        ),
    ),
    "fee": Step(
        "发出收费通知",
        f.FeeForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: S.issue_fee_notice(
            u, a, d["method"], d["units"], d["notice_on"], received_on=d["received_on"]
        ),
        applies=lambda a: (
            a.fee_notice_sent_on is None and a.fee_notice_on is None and not a.is_record_correction
        ),
    ),
    "fee_received": Step(
        "登记收费通知送达",
        f.FeeReceivedForm,
        (Status.AWAITING_PAYMENT,),
        lambda u, a, d: S.record_fee_notice_received(u, a, d["received_on"]),
        applies=lambda a: a.fee_notice_on is None,
    ),
    "paid": Step(
        "登记缴费",
        f.PaidForm,
        (Status.AWAITING_PAYMENT,),
        lambda u, a, d: S.record_payment(u, a, d["paid_on"]),
    ),
    # 第三十五条 (gongkai.applications.reasons)
    "reasons_request": Step(
        "要求说明理由",
        f.ReasonsRequestForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: R.request_reasons(
            u,
            a,
            sent_on=d["sent_on"],
            counted=d["counted"],
            question=d["question"],
            answer_by=d["answer_by"],
        ),
        applies=lambda a: (
            a.reasons_requested_on is None
            and not a.is_record_correction
            and not (a.reply_due and a.reply_due < services.today())
        ),
    ),
    "reasons_record": Step(
        "登记理由并判断",
        f.ReasonsRecordForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: R.record_reasons(
            u,
            a,
            judgement=d["judgement"],
            judged_on=d["judged_on"],
            received_on=d["received_on"],
            text=d["text"],
            delayed_until=d["delayed_until"],
            delay_reason=d["delay_reason"],
        ),
        applies=lambda a: a.reasons_requested_on is not None and not a.reasons_judgement,
    ),
    "delay": Step(
        "确定延迟答复",
        f.DelayForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: R.set_delay(
            u,
            a,
            decided_on=d["decided_on"],
            delayed_until=d["delayed_until"],
            reason=d["reason"],
        ),
        applies=lambda a: a.reasons_judgement == "reasonable" and a.delayed_until is None,
    ),
    "decide": Step(
        "作出决定",
        f.DecideForm,
        (Status.IN_PROGRESS, Status.AWAITING_CORRECTION, Status.AWAITING_PAYMENT),
        lambda u, a, d: S.decide(
            u,
            a,
            d["outcome"],
            legal_basis=d["legal_basis"],
            decision_text=d["decision_text"],
            decided_on=d["decided_on"],
            withheld=d["withheld"],
            responsible_agency=d["responsible_agency"],
            responsible_agency_text=d["responsible_agency_text"],
            disclosure=d["disclosure"],
            provision_form=d["provision_form"],
            provision_reason=d["provision_reason"],
            provision_route=d["provision_route"],
            provision_from=d["provision_from"],
            provision_until=d["provision_until"],
        ),
        applies=lambda a: not a.is_record_correction,
    ),
    # 第四十一条: the decision of a 更正申请 (docs/law/records.md).
    "decide_record": Step(
        "作出更正决定",
        f.RecordDecideForm,
        record_cases.DECIDABLE,
        lambda u, a, d: record_cases.decide_record(
            u,
            a,
            d["record_outcome"],
            d["decided_on"],
            d["decision_text"],
            responsible_agency=d["responsible_agency"],
            responsible_agency_text=d["responsible_agency_text"],
        ),
        applies=lambda a: a.is_record_correction,
    ),
    # A case registered as the wrong kind, before its decision (docs/law/records.md).
    "change_kind": Step(
        "更改申请类型",
        f.ChangeKindForm,
        record_cases.KIND_CHANGEABLE,
        lambda u, a, d: record_cases.change_kind(
            u, a, d["kind"], d["reason"], evidence=d["evidence"]
        ),
    ),
    # 条例第十七条: the information a disclosing reply gives, through the catalog's review
    # chain ending in 保密审查 (gongkai.applications.release).
    "release_new": Step(
        "起草提供的信息",
        release_forms.ReleaseNewForm,
        tuple(Status),
        lambda u, a, d: release.start_item(u, a, title=d["title"]),
        applies=lambda a: not release.refusal(a),
    ),
    "release_link": Step(
        "关联目录中的信息",
        release_forms.ReleaseLinkForm,
        tuple(Status),
        lambda u, a, d: release.link_item(u, a, release.find_item(d["item"], a.agency)),
        applies=lambda a: not release.refusal(a),
    ),
    "reply": Step(
        "答复申请人",
        f.ReplyForm,
        (Status.DECIDED,),
        lambda u, a, d: S.reply(u, a, d["replied_on"], d["method"], late_reason=d["late_reason"]),
    ),
    "archive": Step("归档", f.ArchiveForm, (Status.REPLIED,), lambda u, a, d: S.archive(u, a)),
    # Mending a recorded step (gongkai.applications.mend): the head of the office, with a reason.
    "step_back": Step(
        "撤回上一步",
        f.StepBackForm,
        (Status.DECIDED, Status.REPLIED, Status.ARCHIVED),
        lambda u, a, d: mend.step_back(u, a, d["reason"]),
        head_only=True,
    ),
    # 第四十三条 (gongkai.applications.intake): at any step, whether asked for or noticed.
    "assistance": Step(
        "登记提供的帮助",
        f.AssistanceForm,
        tuple(Status),
        lambda u, a, d: intake.record_assistance(u, a, d["given"], d["given_on"]),
    ),
    "reissue_code": Step(
        "重新生成查询码",
        f.ReissueCodeForm,
        tuple(Status),
        lambda u, a, d: S.reissue_query_code(u, a, d["verified"]),
    ),
}


def handlers(agency: Agency):
    from gongkai.agencies.models import Membership

    ids = Membership.objects.filter(agency=agency, role__in=services.CASE_ROLES).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


def new_form(key: str, application: Application, data=None):
    step = STEPS[key]
    today = services.today()
    initial = {
        name: today
        for name in (
            "received_on",
            "notice_on",
            "sent_on",
            "ended_on",
            "approved_on",
            "paid_on",
            "decided_on",
            "replied_on",
            "given_on",
        )
    }
    if key in ("fee", "consult"):
        # Received is a fact of its own (109号第七条; 条例第三十二条、第三十四条): never assumed
        # to be today.
        del initial["received_on"]
    if key == "reasons_record":
        # 第三十五条: the reasons may not have come at all; the day they did is typed in.
        del initial["received_on"]
        initial["judged_on"] = today
    if key == "reasons_request" and data is None:
        initial["counted"] = "\n".join(reasons.suggested_counted(application))
    initial["method"] = application.delivery if key == "reply" else None
    form = step.form(data, initial=initial) if key != "assign" else None
    if key == "decide" and application.status != Status.IN_PROGRESS:
        # Waiting for a correction or a fee, only the outcome for its lapse is open.
        form.fields["outcome"].choices = [(o.key, o.title) for o in S.outcomes_open_to(application)]
    if key == "decide" and application.delivery:
        # 第四十条: the form the applicant asked for, unless the clerk says why not.
        matching = PROVISION_MATCHES.get(application.delivery, ())
        form.fields["provision_form"].initial = matching[0] if matching else None
        form.fields["provision_form"].help_text = (
            f"申请人要求的获取方式：{application.get_delivery_display()}。"
            + form.fields["provision_form"].help_text
        )
    if key == "fee":
        form.fields["method"].initial = "per_item"
    if key == "change_kind":
        form.fields["kind"].initial = next(
            (k for k, _ in form.fields["kind"].choices if k != application.kind), None
        )
    return form
