"""The catalog's settings (review chain, 索引号 format, sensitive words), the helpers every step
uses (sanitising, locking, recording, the 第二十六条 date), the 索引号 counter and what may be
done with an item now (``may_edit``, ``may_submit``, ``may_withdraw``)."""

from __future__ import annotations

import datetime as dt
import html
import re
import string

import nh3
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gongkai.agencies import access, codes
from gongkai.agencies.models import Agency, Role
from gongkai.catalog.models import (
    DEFAULT_CHAIN,
    DEFAULT_INDEX_FORMAT,
    CatalogSettings,
    Disclosure,
    DocumentKind,
    IndexCounter,
    Item,
    State,
    Validity,
)
from gongkai.clock import deadlines
from gongkai.clock.loader import work_calendar
from gongkai.clock.workcalendar import MissingYearError
from gongkai.history.models import record
from gongkai.law import categories

DRAFT_ROLES = (Role.CLERK, Role.HEAD)


REVIEW_ROLES = (Role.REVIEWER_1, Role.REVIEWER_2, Role.REVIEWER_3, Role.SECRECY_REVIEWER, Role.HEAD)


INDEX_NUMBER_LENGTH = 60  # Item.index_number


CONTENT_FIELDS = [
    "title",
    "document_number",
    "publisher",
    "topic",
    "category",
    "kind",
    "written_on",
    "formed_on",
    "approved_on",
    "disclosure",
    "nondisclosure_basis",
    "validity",
    "validity_changed_on",
    "summary",
    "keywords",
    "body",
]


# What an item's body may contain: text structure, tables and links; no scripts, styles,
# frames, forms or images from elsewhere.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "sub", "sup",
    "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "span",
}  # fmt: skip


ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}


class CatalogError(Exception):
    """A step that cannot be taken; the message is for the user."""


def settings_for(agency: Agency) -> CatalogSettings:
    found = CatalogSettings.objects.filter(agency=agency).first()
    return found or CatalogSettings(agency=agency, chain=[r.value for r in DEFAULT_CHAIN])


def chain_for(agency: Agency) -> list[Role]:
    """The agency's review steps; the confidentiality review is always there, last."""
    steps = [Role(r) for r in (settings_for(agency).chain or [r.value for r in DEFAULT_CHAIN])]
    steps = [r for r in steps if r is not Role.SECRECY_REVIEWER]
    return [*steps, Role.SECRECY_REVIEWER]


def check_chain(roles: list[str]) -> list[str]:
    allowed = {r.value for r in REVIEW_ROLES}
    if not roles:
        raise CatalogError("审核流程至少要有一个环节。")
    for role in roles:
        if role not in allowed:
            raise CatalogError(f"“{role}”不能作为审核环节。")
    if len(set(roles)) != len(roles):
        raise CatalogError("审核流程中的环节不能重复。")
    if Role.SECRECY_REVIEWER.value not in roles:
        raise CatalogError("保密审查不能省略（保守国家秘密法第三十五条）。")
    if roles[-1] != Role.SECRECY_REVIEWER.value:
        raise CatalogError("保密审查应为发布前的最后一个环节。")
    return roles


_FORMAT_FIELDS = {"code", "uscc", "year", "serial"}


def check_index_format(fmt: str) -> str:
    """The 索引号 format: ``{code}`` (9-character organisation code), ``{uscc}`` (18-character
    统一社会信用代码), ``{year}``, ``{serial}`` with an optional width such as ``{serial:05d}``."""
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        raise CatalogError("索引号格式中的花括号不成对。") from None
    names = [name for _text, name, _spec, _conv in parsed if name is not None]
    unknown = [n for n in names if n not in _FORMAT_FIELDS]
    if unknown:
        raise CatalogError(
            f"索引号格式中有不认识的项目：{'、'.join(unknown)}。可用：{{code}}、{{uscc}}、{{year}}、{{serial}}。"
        )
    if "year" not in names or "serial" not in names:
        raise CatalogError("索引号格式必须包含 {year} 和 {serial}，才能保证唯一。")
    for _text, name, spec, conv in parsed:
        if name == "serial" and spec and not re.fullmatch(r"0?[1-9]d", spec):
            raise CatalogError("流水号的宽度写作 {serial:05d}，最多 9 位。")
        if conv or (name != "serial" and spec):
            raise CatalogError("索引号格式只允许给 {serial} 指定宽度。")
    longest = fmt.format(code="X" * 9, uscc="X" * 18, year=9999, serial=999_999_999)
    if len(longest) > INDEX_NUMBER_LENGTH:
        raise CatalogError(f"按此格式生成的索引号可能超过 {INDEX_NUMBER_LENGTH} 个字符，请缩短。")
    return fmt


def today() -> dt.date:
    return timezone.localdate()


def sanitize(body: str) -> str:
    """Clean HTML from the editor or an import. Plain text (no tags) becomes paragraphs, one
    per blank-line-separated block."""
    body = body or ""
    if not re.search(r"<[a-zA-Z/!][^>]*>", body):
        blocks = [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]
        body = "".join("<p>" + html.escape(b).replace("\n", "<br>") + "</p>" for b in blocks)
    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plain_text(body_html: str) -> str:
    """The text of a body, for search and for the scan."""
    text = re.sub(r"<(br|/p|/li|/tr|/h\d|/blockquote)\b[^>]*>", "\n", body_html or "")
    return html.unescape(nh3.clean(text, tags=set())).strip()


def can_draft(user, agency: Agency) -> bool:
    return access.is_system_admin(user) or access.has_role(user, agency, *DRAFT_ROLES)


def _require_draft_role(user, agency: Agency) -> None:
    if not can_draft(user, agency):
        raise PermissionDenied("只有本机关的信息公开工作人员或负责人可以起草和修改信息。")


def _locked(item: Item) -> Item:
    return (
        Item.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer-joined rows
        .select_related("agency", "draft", "published")
        .get(pk=item.pk)
    )


def _clean_content(agency: Agency, data: dict) -> dict:
    content = {f: data.get(f) for f in CONTENT_FIELDS}
    content["title"] = (content["title"] or "").strip()
    if not content["title"]:
        raise CatalogError("请填写名称。")
    if content["category"] not in {c.key for c in agency.proactive_categories}:
        raise CatalogError("请选择本机关适用的法定主动公开内容类别（条例第二十条、第二十一条）。")
    if not content["formed_on"]:
        raise CatalogError("请填写信息形成或变更的日期：公开期限自该日起计算（条例第二十六条）。")
    if content["formed_on"] > today():
        raise CatalogError("形成或变更日期不能晚于今天。")
    if content.get("approved_on"):
        if not categories.takes_approval_date(content["category"]):
            takes = "、".join(categories.BY_KEY[k].title for k in categories.APPROVAL_PERIODS)
            raise CatalogError(f"只有{takes}填写批准或批复日期；其他类别请留空。")
        if content["approved_on"] > today():
            raise CatalogError("批准或批复日期不能晚于今天。")
    else:
        content["approved_on"] = None
    if (
        content.get("disclosure") in (Disclosure.NOT_PUBLIC, Disclosure.ON_REQUEST)
        and not (content.get("nondisclosure_basis") or "").strip()
    ):
        raise CatalogError("不主动公开的信息须写明依据（如条例第十四条、第十五条、第十六条）。")
    if content.get("validity") in (Validity.REPEALED, Validity.AMENDED) and not content.get(
        "validity_changed_on"
    ):
        raise CatalogError("已废止或已修改的文件须填写废止或修改日期。")
    content["publisher"] = (content.get("publisher") or "").strip() or agency.name
    content["body"] = sanitize(content.get("body") or "")
    for key in ("document_number", "topic", "summary", "keywords", "nondisclosure_basis"):
        content[key] = (content.get(key) or "").strip()
    content["disclosure"] = content.get("disclosure") or Disclosure.PROACTIVE
    if content["disclosure"] == Disclosure.PROACTIVE:
        # The basis is for not publishing: an item made public has none, whatever text it
        # carried before (a release item starts with "依申请公开：…", gongkai.applications.release).
        content["nondisclosure_basis"] = ""
    content["validity"] = content.get("validity") or Validity.IN_FORCE
    content["kind"] = content.get("kind") or DocumentKind.INFORMATION
    return content


def _recompute_due(item: Item) -> None:
    """The date the current revision is due: the period of its category, counted from the date
    that period runs from (law.categories.publication_period: 条例第二十六条, working days from
    the day formed or changed; 预算法第十四条, days from approval for an approved budget or final
    account). docs/law/categories.md."""
    revision = item.current
    item.clock_error = ""
    item.due_on = None
    if revision is None:
        return
    period = categories.publication_period(revision.category, bool(revision.approved_on))
    start = getattr(revision, period.counted_from)
    calendar = work_calendar()
    try:
        if period.calendar_days:
            item.due_on = deadlines.count_days(calendar, start, period.days)
        else:
            item.due_on = deadlines.count_workdays(calendar, start, period.days)[0]
    except MissingYearError as exc:
        item.clock_error = str(exc)[:300]


@transaction.atomic
def change_settings(
    actor, agency: Agency, *, chain: list[str], index_format: str, sensitive_words: str
) -> int:
    """Save the agency's catalog settings, by one who administers the agency; the chain and
    the index format are checked here (``check_chain``, ``check_index_format``: a
    ``CatalogError`` names what is wrong). A changed review chain never lets an item skip a
    step: every item in review starts over from the first step, each with an event saying so.
    Returns how many restarted."""
    if not access.can_administer(actor, agency):
        raise PermissionDenied("只有本机关的管理员可以修改目录设置。")
    chain = check_chain(chain)
    index_format = check_index_format(index_format)
    current = settings_for(agency)
    before = {
        "chain": [r.value for r in chain_for(agency)],
        "index_format": current.index_format,
        "sensitive_words": current.sensitive_words,
    }
    saved, _ = CatalogSettings.objects.update_or_create(
        agency=agency,
        defaults={
            "chain": chain,
            "index_format": index_format,
            "sensitive_words": sensitive_words,
        },
    )
    after = {
        "chain": chain,
        "index_format": saved.index_format,
        "sensitive_words": saved.sensitive_words,
    }
    record(
        actor,
        "catalog.settings",
        agency,
        summary="修改主动公开目录设置（审核流程、索引号格式、敏感词）",
        agency=agency,
        before=before,
        after=after,
    )
    if chain == before["chain"]:
        return 0
    restarted = 0
    # An item at the first step starts there anyway: nothing to restart.
    in_review = Item.objects.select_for_update().filter(agency=agency, state=State.IN_REVIEW)
    for item in in_review.filter(review_step__gt=0):
        step = item.review_step
        item.review_step = 0
        item.save(update_fields=["review_step"])
        record(
            actor,
            "item.review_restart",
            item,
            summary=f"审核流程已修改，从第一个环节重新审核（原在第 {step + 1} 个环节）",
            agency=agency,
            before={"review_step": step},
            after={"review_step": 0},
        )
        restarted += 1
    return restarted


def recalculate_due_dates(actor, why: str) -> int:
    """After the calendar changed: the 第二十六条 date of every item not yet published, each
    recomputed by ``_recompute_due`` and recorded where it moved. Returns how many moved."""
    moved = 0
    waiting = Item.objects.exclude(state__in=[State.PUBLISHED, State.WITHDRAWN])
    for pk in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            item = Item.objects.select_for_update().get(pk=pk)
            before = (item.due_on, item.clock_error)
            _recompute_due(item)
            if (item.due_on, item.clock_error) == before:
                continue
            item.save(update_fields=["due_on", "clock_error"])
            record(
                actor,
                "item.recalculate",
                item,
                summary=f"{why}，应公开日期 {before[0] or '待定'} → {item.due_on or '待定'}",
                agency=item.agency,
            )
            moved += 1
    return moved


def _state(item: Item) -> dict:
    revision = item.current
    return {
        "state": item.state,
        "index_number": item.index_number,
        "revision": revision.number if revision else None,
        "review_step": item.review_step,
    }


def _record(actor, item: Item, action: str, summary: str, before: dict, reason: str = ""):
    record(
        actor,
        action,
        item,
        summary=f"{item.index_number or '未编号信息'}《{item.current.title}》：{summary}",
        agency=item.agency,
        reason=reason,
        before=before,
        after=_state(item),
    )


def may_edit(item: Item) -> bool:
    """A draft, a returned draft or a published item can be changed; not one in review (the
    reviewers return it first) nor a withdrawn one."""
    return item.state not in (State.IN_REVIEW, State.WITHDRAWN)


def may_submit(item: Item) -> bool:
    return item.state in (State.DRAFT, State.RETURNED) and item.draft is not None


def may_withdraw(item: Item) -> bool:
    return item.published is not None and item.state != State.WITHDRAWN


def is_overdue(item: Item, day: dt.date) -> bool:
    """A new item (never published, nor imported from the old website) whose 第二十六条
    date has passed on ``day``."""
    return bool(
        item.published_id is None
        and not item.imported
        and item.due_on is not None
        and item.due_on < day
        and item.state != State.WITHDRAWN
    )


def next_index_number(agency: Agency, year: int) -> str:
    """The next 索引号 of the agency's format; numbers are never reused (the counter only goes
    up, and a number already taken — by an import, say — is skipped)."""
    fmt = settings_for(agency).index_format or DEFAULT_INDEX_FORMAT
    code = codes.organisation_code(agency.code) if agency.code else f"{agency.pk:09d}"
    uscc = codes.normalise(agency.code) if agency.code else code
    while True:
        with transaction.atomic():
            updated = IndexCounter.objects.filter(agency=agency, year=year).update(
                value=F("value") + 1
            )
            if not updated:
                try:
                    with transaction.atomic():
                        IndexCounter.objects.create(agency=agency, year=year, value=1)
                except IntegrityError:
                    IndexCounter.objects.filter(agency=agency, year=year).update(
                        value=F("value") + 1
                    )
            serial = IndexCounter.objects.get(agency=agency, year=year).value
        number = fmt.format(code=code, uscc=uscc, year=year, serial=serial)
        if not Item.objects.filter(index_number=number).exists():
            return number
