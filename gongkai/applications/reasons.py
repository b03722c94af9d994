"""Many or frequent requests (条例第三十五条): asking the applicant for reasons, and what the
office's judgement of them leads to. docs/law/excessive.md explains each rule.

    申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。
    行政机关认为申请理由不合理的，告知申请人不予处理；行政机关认为申请理由合理，但是无法在
    本条例第三十三条规定的期限内答复申请人的，可以确定延迟答复的合理期限并告知申请人。

Three steps, each one service function like those of ``services`` (role, status, lock, dates,
event in one transaction):

- ``request_reasons``: the office writes to the applicant (政府信息公开申请说明理由通知书),
  naming the requests it counts (at least two), what it asks, and a date to answer by. The
  条例 sets no period for the answer; the platform requires the office to set one, before the
  reply due date, so that a silence can be acted on (and judged) within 第三十三条's period.
  The request itself must be sent before that period ends.
- ``record_reasons``: the answer (or that none came by that date) and the judgement. 理由不合理
  (or no answer) opens the outcome ``declined_excessive``; 理由合理 goes on with the case, and
  where it cannot be answered within 第三十三条's period the office sets a later reasonable
  date (``delayed_until``, 延迟答复告知书), which from then is the case's reply due date
  (``services.recompute``).
- ``set_delay``: the same delay decided later than the judgement, while the reply period still
  runs (the office often finds only after judging the reasons that it cannot answer in time).

What the request asked (the requests counted, the question, the date to answer by) is kept on
the case (``reasons_counted``, ``reasons_question``, ``reasons_due``), never in the history:
the counted lines may quote the applicant's requests. The event carries the date and the count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from gongkai.applications import services as S
from gongkai.applications.models import Application, CaseKind, ReasonsJudgement, Status
from gongkai.clock.workcalendar import MissingYearError
from gongkai.core.text import without_number
from gongkai.history.models import record
from gongkai.law import periods

REQUEST_ACTION = "application.reasons_request"
RECORD_ACTION = "application.reasons_record"
DELAY_ACTION = "application.delay_set"
# Bounds on what the clerk types, not rules of the law.
MAX_COUNTED = 200
# 数量、频次 can only be "many" of two or more: one request alone is never counted.
MIN_COUNTED = 2
# The least time, in working days after the letter is sent, an applicant is given to answer:
# the letter must reach them and a silence leads to 不予处理. Ours; the 条例 sets none.
MIN_ANSWER_DAYS = 5
MAX_QUESTION = 2000
DEFAULT_QUESTION = (
    "请说明您申请公开上述政府信息的理由，包括所需信息的用途，以及需要在短时间内申请公开大量"
    "政府信息的原因。"
)


@dataclass(frozen=True)
class Asked:
    """What the request for reasons said: the requests the office counted, what it asked, and
    the date it set for the answer (None: none set)."""

    sent_on: dt.date
    counted: list[str] = field(default_factory=list)
    question: str = ""
    answer_by: dt.date | None = None


def asked(application: Application) -> Asked | None:
    """What the request for reasons asked; None when none was sent. A made-up case for a
    template preview carries its own (``_asked``)."""
    if hasattr(application, "_asked"):
        return application._asked
    if application.reasons_requested_on is None:
        return None
    return Asked(
        sent_on=application.reasons_requested_on,
        counted=list(application.reasons_counted or []),
        question=application.reasons_question,
        answer_by=application.reasons_due,
    )


@transaction.atomic
def request_reasons(
    actor,
    application: Application,
    *,
    sent_on: dt.date,
    counted: list[str],
    question: str = "",
    answer_by: dt.date | None = None,
) -> Application:
    """Ask the applicant to explain many or frequent requests (第三十五条), by a letter sent on
    ``sent_on`` naming the requests ``counted``. ``answer_by``: the reasonable date the office
    sets for the answer, before the reply due date. Once per case, before that date passes; the
    reply period keeps running."""
    application = S._locked(application)
    S._require_handler(actor, application.agency)
    S._require_disclosure(application, "要求说明理由（条例第三十五条）")
    S._require_status(application, Status.IN_PROGRESS)
    if application.reasons_requested_on is not None:
        raise S.CaseError(
            f"本申请已于 {application.reasons_requested_on} 要求申请人说明理由（条例第三十五条），"
            "请在“登记理由并判断”中登记申请人的说明。"
        )
    S._check_day(sent_on, "要求说明理由日期", application)
    # The same line twice is one request, numbered or not (the letter numbers them itself).
    counted = list(dict.fromkeys(without_number(line) for line in counted or []))
    counted = [line for line in counted if line]
    if not counted:
        raise S.CaseError(
            "请逐条写明计入的申请（如申请编号、收到日期、所需信息），说明理由通知书须告知申请人"
            "本机关认为哪些申请的数量、频次明显超过合理范围（条例第三十五条）。"
        )
    if len(counted) < MIN_COUNTED:
        raise S.CaseError(
            f"只列了 {len(counted)} 件申请：要求说明理由针对的是数量、频次明显超过合理范围的申请"
            f"（条例第三十五条），请逐条列出计入的全部申请（至少 {MIN_COUNTED} 件，含本申请）。"
        )
    if len(counted) > MAX_COUNTED:
        raise S.CaseError(f"计入的申请最多列 {MAX_COUNTED} 项，请合并同类申请后再列。")
    question = (question or "").strip() or DEFAULT_QUESTION
    if len(question) > MAX_QUESTION:
        raise S.CaseError(f"需要说明的事项不应超过 {MAX_QUESTION} 字。")
    due = _reply_due(application, "要求说明理由")
    if sent_on > due:
        raise S.CaseError(
            f"答复期限 {due}（条例第三十三条规定的期限）已过，不能再要求说明理由：第三十五条的"
            "要求说明理由应在答复期限内提出，请尽快作出答复。"
        )
    earliest = _workdays_after(sent_on, MIN_ANSWER_DAYS, "说明理由的期限")
    if earliest >= due:
        raise S.CaseError(
            f"距答复期限 {due} 已不足 {MIN_ANSWER_DAYS} 个工作日，来不及给申请人合理的说明时间"
            "并在期限内答复，不能再要求说明理由（条例第三十五条），请按期作出答复。"
        )
    if answer_by is None:
        raise S.CaseError(
            "请确定申请人说明理由的期限：条例没有规定这一期限，由本机关确定；确定了期限，申请人"
            "逾期未说明的，才能按“理由不合理”办理。"
        )
    if answer_by < earliest:
        raise S.CaseError(
            f"说明理由的期限（{answer_by}）太短：应给申请人收到通知和说明的合理时间，本平台要求"
            f"至少为发出通知（{sent_on}）后 {MIN_ANSWER_DAYS} 个工作日，即不早于 {earliest}。"
        )
    if answer_by >= due:
        raise S.CaseError(
            f"说明理由的期限（{answer_by}）应早于答复期限（{due}）：要求说明理由不暂停答复期限，"
            "期满后还要判断理由，并在答复期限内答复、不予处理或确定延迟答复。"
        )
    before = S._state(application)
    application.reasons_requested_on = sent_on
    application.reasons_counted = counted
    application.reasons_question = question
    application.reasons_due = answer_by
    summary = (
        f"要求申请人说明理由（条例第三十五条，计入 {len(counted)} 件申请，请于 {answer_by} 前说明）"
    )
    # services._save, with the count and the date in the event (the lines stay on the case).
    S.recompute(application)
    application.save()
    record(
        actor,
        REQUEST_ACTION,
        application,
        summary=f"{application.tracking_number}：{summary}",
        agency=application.agency,
        before=before,
        after={
            **S._state(application),
            "reasons_count": len(counted),
            "reasons_due": S._iso(answer_by),
        },
    )
    return application


@transaction.atomic
def record_reasons(
    actor,
    application: Application,
    *,
    judgement: ReasonsJudgement | str,
    judged_on: dt.date,
    received_on: dt.date | None = None,
    text: str = "",
    delayed_until: dt.date | None = None,
    delay_reason: str = "",
) -> Application:
    """The applicant's reasons, received on ``received_on`` (None: none came by the date the
    office set), and the office's judgement on ``judged_on`` (第三十五条).

    UNREASONABLE (or no answer) is what ``declined_excessive`` requires. REASONABLE goes on
    with the case; with ``delayed_until`` (and its reason) the office also decides, the same
    day, that it cannot answer within 第三十三条's period and sets a later reasonable date
    (延迟答复): it must be decided before the present reply due date and be later than it. It
    is not an extension under 第三十三条第二款 and needs no head's approval. Decided later, it
    is ``set_delay``."""
    application = S._locked(application)
    S._require_handler(actor, application.agency)
    S._require_status(application, Status.IN_PROGRESS)
    if application.reasons_requested_on is None:
        raise S.CaseError("尚未要求申请人说明理由：请先办理“要求说明理由”（条例第三十五条）。")
    if application.reasons_judgement:
        raise S.CaseError(
            f"已于 {application.reasons_judged_on} 对申请人的理由作出判断"
            f"（{application.get_reasons_judgement_display()}），不能再次登记。"
        )
    try:
        judgement = ReasonsJudgement(judgement)
    except ValueError:
        raise S.CaseError("请选择对理由的判断：理由合理或理由不合理。") from None
    requested = application.reasons_requested_on
    text = (text or "").strip()
    S._check_day(judged_on, "判断日期", application)
    due = _reply_due(application, "判断申请人的理由")
    if judged_on > due:
        raise S.CaseError(
            f"答复期限 {due} 已过，不能再对理由作出判断：不予处理或延迟答复都应在条例第三十三条"
            "规定的期限内告知申请人（条例第三十五条）。请按申请的内容作出答复，并说明迟延的原因。"
        )
    if judged_on < requested:
        raise S.CaseError(f"判断日期（{judged_on}）不能早于要求说明理由日期（{requested}）。")
    if received_on is not None:
        S._check_day(received_on, "收到理由说明之日", application)
        if received_on < requested:
            raise S.CaseError(
                f"收到理由说明之日（{received_on}）不能早于要求说明理由日期（{requested}）。"
            )
        if judged_on < received_on:
            raise S.CaseError(f"判断日期（{judged_on}）不能早于收到理由说明之日（{received_on}）。")
        if not text:
            raise S.CaseError("请登记申请人说明的理由（可摘录要点），它是判断的依据。")
    else:
        if text:
            raise S.CaseError("登记了申请人说明的理由，请一并填写收到理由说明之日。")
        answer_by = (asked(application) or Asked(requested)).answer_by
        if answer_by is None:
            raise S.CaseError(
                "要求说明理由时没有确定说明的期限，不能按“申请人未说明理由”处理：请填写收到理由"
                "说明之日和申请人说明的理由。"
            )
        if judged_on <= answer_by:
            raise S.CaseError(
                f"说明理由的期限 {answer_by}（含当日）尚未届满，不能按“申请人未说明理由”处理；"
                f"期限届满后（{answer_by} 以后）方可登记。"
            )
        if judgement is ReasonsJudgement.REASONABLE:
            raise S.CaseError("申请人没有说明理由，不能认定理由合理。")
    delay_reason = (delay_reason or "").strip()
    if delayed_until is not None or delay_reason:
        if judgement is not ReasonsJudgement.REASONABLE:
            raise S.CaseError(
                "只有认为申请理由合理、但无法在条例第三十三条规定的期限内答复的，才可以确定延迟"
                "答复的期限（条例第三十五条）。"
            )
        _check_delay(application, judged_on, delayed_until, delay_reason)
    before = S._state(application)
    application.reasons_received_on = received_on
    application.reasons_text = text
    application.reasons_judgement = judgement
    application.reasons_judged_on = judged_on
    application.delayed_until = delayed_until
    application.delay_reason = delay_reason
    application.delay_decided_on = judged_on if delayed_until else None
    got = f"{received_on} 收到申请人的理由说明" if received_on else "申请人逾期未说明理由"
    summary = f"{got}，判断：{judgement.label}"
    if delayed_until:
        summary += (
            f"；无法在条例第三十三条规定的期限内答复，延迟答复至 {delayed_until}（条例第三十五条）"
        )
    S._save(actor, application, RECORD_ACTION, summary, before)
    return application


def _reply_due(application: Application, doing: str) -> dt.date:
    """The present reply due date, or a CaseError saying why it is not known."""
    if application.reply_due is None:
        raise S.CaseError(
            "答复期限目前无法确定"
            + (f"（{application.clock_error}）" if application.clock_error else "")
            + f"，不能{doing}。"
        )
    return application.reply_due


def _workdays_after(start: dt.date, days: int, checking: str) -> dt.date:
    """``services.add_workdays``, or a CaseError naming what cannot be checked when the work
    calendar lacks a year (never a guess)."""
    try:
        return S.add_workdays(start, days)
    except MissingYearError as exc:
        raise S.CaseError(
            f"工作日历缺少所需年份（{exc}），无法核对{checking}；请先维护工作日历。"
        ) from None


def _check_delay(
    application: Application, decided_on: dt.date, delayed_until: dt.date | None, reason: str
) -> None:
    """第三十五条's delay: decided while the reply period runs, to a reasonable later date."""
    if delayed_until is None:
        raise S.CaseError("写明了延迟答复的理由，请一并填写延迟答复的期限。")
    if not reason:
        raise S.CaseError("请写明延迟答复的理由，它将写入延迟答复告知书。")
    due = _reply_due(application, "确定延迟答复的期限")
    if decided_on > due:
        raise S.CaseError(
            f"答复期限 {due} 已过，不能再延迟答复：延迟答复应在期限届满前确定并告知申请人。"
        )
    if delayed_until <= due:
        raise S.CaseError(
            f"延迟答复的期限（{delayed_until}）应晚于现在的答复期限（{due}）；能在答复期限内"
            "答复的，不需要延迟答复。"
        )
    latest = _workdays_after(due, periods.DELAY_MAX_DAYS, "延迟答复的期限是否合理")
    if delayed_until > latest:
        raise S.CaseError(
            f"延迟答复的期限（{delayed_until}）过长：本平台接受的合理期限最长为现在的答复期限"
            f"（{due}）之后 {periods.DELAY_MAX_DAYS} 个工作日，即 {latest}（含当日）"
            "：条例第三十五条要求的是延迟答复的合理期限。"
        )


@transaction.atomic
def set_delay(
    actor,
    application: Application,
    *,
    decided_on: dt.date,
    delayed_until: dt.date,
    reason: str,
) -> Application:
    """Decide on ``decided_on``, after judging the reasons reasonable, that the case cannot be
    answered within 第三十三条's period, and set the later reasonable date ``delayed_until``
    (第三十五条, 延迟答复告知书). Once, before the present reply due date passes."""
    application = S._locked(application)
    S._require_handler(actor, application.agency)
    S._require_status(application, Status.IN_PROGRESS)
    if application.reasons_judgement != ReasonsJudgement.REASONABLE:
        raise S.CaseError(
            "只有认为申请理由合理、但无法在条例第三十三条规定的期限内答复的，才可以确定延迟"
            "答复的期限（条例第三十五条）：请先登记申请人的理由并判断。"
        )
    if application.delayed_until is not None:
        raise S.CaseError(
            f"已于 {application.delay_decided_on or application.reasons_judged_on} 确定延迟答复至 "
            f"{application.delayed_until}，不能再次确定。"
        )
    S._check_day(decided_on, "确定延迟答复日期", application)
    if decided_on < application.reasons_judged_on:
        raise S.CaseError(
            f"确定延迟答复日期（{decided_on}）不能早于认定理由合理之日"
            f"（{application.reasons_judged_on}）。"
        )
    reason = (reason or "").strip()
    _check_delay(application, decided_on, delayed_until, reason)
    before = S._state(application)
    application.delayed_until = delayed_until
    application.delay_reason = reason
    application.delay_decided_on = decided_on
    summary = (
        f"理由合理但无法在条例第三十三条规定的期限内答复，延迟答复至 {delayed_until}"
        "（条例第三十五条）"
    )
    S._save(actor, application, DELAY_ACTION, summary, before)
    return application


def suggested_counted(application: Application, *, limit: int = 50) -> list[str]:
    """The same applicant's requests for disclosure (not 更正申请) to this agency received in the
    year before this one's receipt, this one first, then the others newest first (at most
    ``limit`` lines), one line each, for the clerk to edit:
    the requests a request for reasons names (第三十五条 counts 数量、频次, so the office says
    which it counted)."""
    key = application.applicant_key
    if not key or application.received_on is None:
        return []
    field = "organisation_code" if application.is_organisation else "id_number"
    since = application.received_on - dt.timedelta(days=365)
    cases = (
        Application.objects.filter(
            agency_id=application.agency_id,
            kind=CaseKind.DISCLOSURE,  # 第三十五条 counts requests for disclosure only
            received_on__gte=since,
            received_on__lte=application.received_on,
            **{f"{field}__iexact": key},
        )
        .exclude(pk=application.pk)
        .only("tracking_number", "received_on", "description")
        .order_by("-received_on", "-tracking_number")[: limit - 1]
    )
    # This request first, then the others newest first: the letter is about this one.
    cases = [application, *cases]
    return [
        f"{c.tracking_number}（{c.received_on.year}年{c.received_on.month}月{c.received_on.day}日"
        f"收到）：{' '.join(c.description.split())[:60]}"
        for c in cases
    ]
