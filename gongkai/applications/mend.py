"""Mistakes mended, never hidden: the head of the office takes back the last recorded step of
a case — the archive, the reply or the decision — with a reason, and the case goes on from
the state before it (docs/applications.md, 撤回). The history keeps the step, its taking
back (before and after, who, why) and what follows; the annual report's figures, computed
from the records, follow (a published report keeps the figures it was published with).

Taking back a reply tells the applicant that a new reply will follow (gongkai.notices.steps):
the reply they received was the office's act, and a corrected one replaces it.
"""

from __future__ import annotations

from django.db import transaction

from gongkai.agencies import access
from gongkai.applications import services as S
from gongkai.applications.models import Application, PauseKind, Status
from gongkai.history.models import Event

ACTION = "application.step_back"
MAX_REASON = 300


def _status_before_decision(application: Application) -> str:
    """The status the case had when it was decided (in progress, or waiting for a correction
    or a fee whose lapse was the outcome), from the decision's event."""
    event = (
        Event.objects.for_object(application)
        .filter(action__in=("application.decide", "application.decide_record"))
        .order_by("-at", "-id")
        .first()
    )
    status = ((event.before or {}).get("status") if event else None) or Status.IN_PROGRESS
    return status if status in Status.values and Status(status).is_open else Status.IN_PROGRESS


@transaction.atomic
def step_back(actor, application: Application, reason: str) -> Application:
    application = S._locked(application)
    if not S.can_extend(actor, application.agency):
        raise access.PermissionDenied(
            "撤回已办理的步骤须经政府信息公开工作机构负责人同意：请负责人办理。"
        )
    reason = (reason or "").strip()
    if not reason:
        raise S.CaseError("请写明撤回的原因，它记入操作记录。")
    if len(reason) > MAX_REASON:
        raise S.CaseError(f"撤回的原因不应超过 {MAX_REASON} 字。")
    before = S._state(application)
    status = application.status
    if status == Status.ARCHIVED:
        taken = "归档"
        application.archived_on = None
        application.status = Status.REPLIED
    elif status == Status.REPLIED:
        taken = f"{application.replied_on} 的答复"
        application.replied_on = None
        application.reply_method = ""
        application.reply_late_reason = ""
        # A reply given at the counter, taken back, is given again by the ordinary way.
        application.answered_on_the_spot = False
        application.status = Status.DECIDED
    elif status == Status.DECIDED:
        taken = (
            "决定（" + (application.outcome_info.title if application.outcome_info else "") + "）"
        )
        application.status = _status_before_decision(application)
        if application.status == Status.AWAITING_PAYMENT:
            # The lapse closed the fee pause at the due date; waiting again, it is open again
            # (a payment then ends it on its day, services.record_payment).
            pause = application.pauses.filter(kind=PauseKind.FEE).order_by("-start", "-id").first()
            if pause is not None:
                pause.end = None
                pause.save(update_fields=["end"])
        for name in (
            "outcome",
            "record_outcome",
            "legal_basis",
            "decision_text",
            "disclosure",
            "provision_form",
            "provision_reason",
            "provision_route",
            "responsible_agency_text",
        ):
            setattr(application, name, "")
        application.withheld = []
        application.responsible_agency = None
        application.provision_from = application.provision_until = None
        application.decided_on = None
        application.decided_by = None
    else:
        raise S.CaseError(
            f"申请 {application.tracking_number} 目前为“{application.get_status_display()}”："
            "只有作出决定、答复和归档可以撤回。"
        )
    S._save(actor, application, ACTION, f"负责人撤回{taken}", before, reason=reason)
    return application
