"""Every kind of event the history records: its code, its name in the back office and the
fields its before/after may carry. ``history.record`` refuses a code that is not here, and a
field that its kind does not name, so that a new step of the law cannot slip into the history
under a name nobody can filter on, and no event carries data it was not meant to (the
applicant's name, say: a case's events carry its state and dates only).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str
    fields: frozenset[str] = frozenset()


class UnknownEventKind(ValueError):
    """A programming error: ``record`` was called with a code this registry does not name."""


# What each subject's events carry (the ``_state`` of its service).
CASE = ("status", "received_on", "reply_due", "outcome", "record_outcome")
ITEM = ("state", "index_number", "revision", "review_step")
AGENCY = (
    "name", "short_name", "slug", "kind", "level", "parent", "code", "position", "is_active",
    "office_name", "address", "postcode", "phone", "fax", "email", "website", "office_hours",
    "fee_payment", "reconsideration_body", "court", "duties",
)  # fmt: skip
APPEAL = ("application", "kind", "number", "body", "filed_on", "closed_on", "result", "note")
FIGURES = (
    *(
        f"{kind}_{what}"
        for kind in ("licensing", "penalty", "coercion", "fees", "other_services")
        for what in ("previous_items", "decisions", "change")
    ),
    "fees_amount_10k_yuan",
    "procurement_items",
    "procurement_amount",
)
CALENDAR = ("year", "source", "rest_days", "make_up_workdays", "names", "provisional")
CATALOG_SETTINGS = ("chain", "index_format", "sensitive_words")
# The date to answer by and how many requests were counted; the requests themselves (which may
# quote the applicant's) stay in the case file.
REASONS_ASKED = ("reasons_count", "reasons_due")
NOTICE = ("message", "channel", "topic", "attempt", "error")

_ALL = [
    # 申请的办理（gongkai.applications）
    EventKind("application.submit", "提交申请", frozenset(CASE)),
    EventKind("application.register", "登记申请", frozenset(CASE)),
    EventKind("application.on_the_spot", "当场答复", frozenset(CASE)),
    EventKind("application.assistance", "代为填写", frozenset(CASE)),
    EventKind("application.confirm", "确认收到", frozenset(CASE)),
    EventKind("application.assign", "指定承办人", frozenset(CASE)),
    EventKind("application.change_kind", "改为更正申请或政府信息公开申请", frozenset(CASE)),
    EventKind("application.code_reissue", "重新生成查询码"),
    EventKind("application.recalculate", "期限重新计算", frozenset(CASE)),
    EventKind("application.correction_notice", "补正通知", frozenset(CASE)),
    EventKind("application.correction_received", "收到补正", frozenset(CASE)),
    EventKind("application.consultation_start", "征求第三方意见", frozenset(CASE)),
    EventKind("application.consultation_received", "收到第三方意见", frozenset(CASE)),
    EventKind("application.consultation_end", "征求意见结束", frozenset(CASE)),
    EventKind("application.extend", "延长答复期限", frozenset(CASE)),
    EventKind("application.reasons_request", "要求说明理由", frozenset(CASE + REASONS_ASKED)),
    EventKind("application.reasons_record", "记录说明理由的结果", frozenset(CASE)),
    EventKind("application.delay_set", "确定延迟答复", frozenset(CASE)),
    EventKind("application.fee_notice", "收费通知", frozenset(CASE)),
    EventKind("application.fee_notice_received", "收费通知送达", frozenset(CASE)),
    EventKind("application.fee_paid", "缴费", frozenset(CASE)),
    EventKind("application.decide", "作出决定", frozenset(CASE)),
    EventKind("application.decide_record", "作出更正决定", frozenset(CASE)),
    EventKind("application.release_start", "发起公开发布审核", frozenset(CASE)),
    EventKind("application.release_link", "关联公开发布", frozenset(CASE)),
    EventKind("application.release_unlink", "取消关联公开发布", frozenset(CASE)),
    EventKind("application.reply", "答复", frozenset((*CASE, "released"))),
    EventKind("application.archive", "归档", frozenset(CASE)),
    EventKind("application.step_back", "撤回上一步", frozenset(CASE)),
    # 通知（gongkai.notices）: each delivery, failure and retry of a message.
    EventKind("notice.sent", "通知已发送", frozenset(NOTICE)),
    EventKind("notice.retry", "通知发送失败，等待重试", frozenset(NOTICE)),
    EventKind("notice.failed", "通知发送失败", frozenset(NOTICE)),
    EventKind("notice.again", "重新发送通知", frozenset(NOTICE)),
    EventKind("calendar.add", "添加节假日安排", frozenset(CALENDAR)),
    # 主动公开（gongkai.catalog）
    EventKind("item.create", "起草", frozenset(ITEM)),
    EventKind("item.edit", "修改", frozenset(ITEM)),
    EventKind("item.submit", "提交审核", frozenset(ITEM)),
    EventKind("item.finding_ack", "确认发布前检查发现", frozenset(ITEM)),
    EventKind("item.approve", "审核通过", frozenset(ITEM)),
    EventKind("item.return", "退回修改", frozenset(ITEM)),
    EventKind("item.publish", "发布", frozenset(ITEM)),
    EventKind("item.withdraw", "撤销", frozenset(ITEM)),
    EventKind("item.review_restart", "重新审核", frozenset(("review_step",))),
    EventKind("item.recalculate", "应公开日期重新计算"),
    EventKind(
        "item.import",
        "从原网站导入",
        frozenset(("file", "created", "in_review", "generated_index_numbers", "first", "last")),
    ),
    EventKind("catalog.settings", "修改目录设置", frozenset(CATALOG_SETTINGS)),
    # 年度报告（gongkai.reports, gongkai.ledger）
    EventKind("report.create", "新建年度报告"),
    EventKind("report.edit", "修改年度报告", frozenset(f"section{n}" for n in range(1, 7))),
    EventKind("report.publish", "发布年度报告", frozenset(("state", "published_on"))),
    EventKind(
        "report.unpublish",
        "撤回年度报告",
        frozenset(("state", "published_on", "figures", "findings")),
    ),
    EventKind("figures.save", "保存主动公开数据", frozenset(FIGURES)),
    EventKind("appeal.register", "登记复议诉讼", frozenset(APPEAL)),
    EventKind("appeal.change", "修改复议诉讼", frozenset(APPEAL)),
    EventKind("appeal.delete", "删除复议诉讼", frozenset(APPEAL)),
    EventKind(
        "ledger.import",
        "导入台账",
        frozenset(("file", "created", "skipped", "skipped_rows", "unchanged")),
    ),
    EventKind("ledger.import.batch", "导入台账（分批）", frozenset(("file", "created", "rows"))),
    # 文书模板（gongkai.letters）
    EventKind("letter_template.update", "修改文书模板", frozenset(("title", "body"))),
    EventKind("letter_template.reset", "恢复默认文书模板", frozenset(("title", "body"))),
    # 机关与人员（gongkai.agencies, office）
    EventKind("agency.create", "新建机关", frozenset(AGENCY)),
    EventKind("agency.update", "修改机关信息", frozenset(AGENCY)),
    EventKind("user.create", "新建账号", frozenset(("username", "name", "email"))),
    EventKind("user.create_admin", "新建系统管理员"),
    EventKind("role.grant", "授予角色", frozenset(("user", "role"))),
    EventKind("role.revoke", "撤销角色", frozenset(("user", "role"))),
    EventKind("account.password_change", "修改密码"),
]

KINDS: dict[str, EventKind] = {kind.code: kind for kind in _ALL}
assert len(KINDS) == len(_ALL), "an event kind is named twice"


def kind(code: str) -> EventKind:
    try:
        return KINDS[code]
    except KeyError:
        raise UnknownEventKind(f"{code!r} is not an event kind of gongkai.history.kinds") from None


def check(code: str, before: dict | None, after: dict | None) -> EventKind:
    """The kind of ``code``, after checking that ``before`` and ``after`` carry only its
    fields (raises ``UnknownEventKind``, a programming error, otherwise)."""
    found = kind(code)
    extra = sorted({*(before or {}), *(after or {})} - found.fields)
    if extra:
        raise UnknownEventKind(f"{code} does not carry {', '.join(extra)} (gongkai.history.kinds)")
    return found


def label(code: str) -> str:
    """The kind's name for the back office; a code no longer registered (an old event) is shown
    as it is."""
    found = KINDS.get(code)
    return found.label if found else code
