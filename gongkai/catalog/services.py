"""Every step of an item's life: draft, revise, submit, review (approve or return), publish,
withdraw. Each step checks the role, locks the item, changes it and records an event in one
transaction; a refusal is a ``CatalogError`` whose message is for the user, in Chinese.

The review chain is the agency's (default 初审 → 复审 → 终审 → 保密审查). The confidentiality
review is always the last step and cannot be removed (保密法第三十五条, 条例第十七条); nobody
reviews a draft they wrote. The pre-publication scan runs whenever a draft is saved and again
at submission and at each step; every reviewer acknowledges every finding at their step
(removed — a re-scan confirms it — or kept, with the reason), and no step passes, least of all
the 保密审查, while a finding is unacknowledged: there is no bypass. docs/law/review.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import string

import nh3
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies import access, codes
from gongkai.agencies.models import Agency, Role
from gongkai.catalog.models import (
    DEFAULT_CHAIN,
    DEFAULT_INDEX_FORMAT,
    CatalogSettings,
    Disclosure,
    DocumentKind,
    FindingAcknowledgement,
    IndexCounter,
    Item,
    ReviewDecision,
    Revision,
    State,
    Validity,
)
from gongkai.clock import deadlines
from gongkai.clock.loader import horizon, work_calendar
from gongkai.clock.workcalendar import MissingYearError
from gongkai.core import uploads
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


# --- settings -------------------------------------------------------------------------------


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


# --- helpers --------------------------------------------------------------------------------


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
    for item in Item.objects.select_for_update().filter(agency=agency, state=State.IN_REVIEW):
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


# --- drafting -------------------------------------------------------------------------------


@uploads.atomic()  # a failed draft leaves none of its files
def create(
    actor,
    agency: Agency,
    data: dict,
    attachments=(),
    *,
    note: str = "",
    first_published_on: dt.date | None = None,
) -> Item:
    """A new draft. ``first_published_on``: the item was published on the agency's old
    website on that day (an import that needs review, ``import_for_review``)."""
    _require_draft_role(actor, agency)
    content = _clean_content(agency, data)
    item = Item.objects.create(
        agency=agency,
        state=State.DRAFT,
        imported=first_published_on is not None,
        first_published_on=first_published_on,
    )
    revision = Revision.objects.create(item=item, number=1, created_by=actor, note=note, **content)
    revision.editors.add(actor)
    for upload in attachments:
        add_attachment(revision, upload)
    found = rescan(revision, agency)
    item.draft = revision
    _recompute_due(item)
    item.save()
    _record(actor, item, "item.create", "起草" + _found_note(found), {})
    return item


def _found_note(found: list[dict]) -> str:
    return f"；发布前检查发现 {len(found)} 处需要注意的内容" if found else ""


# --- what may be done with an item now (the services below check the same) -----------------


def may_edit(item: Item) -> bool:
    """A draft, a returned draft or a published item can be changed; not one in review (the
    reviewers return it first) nor a withdrawn one."""
    return item.state not in (State.IN_REVIEW, State.WITHDRAWN)


def may_submit(item: Item) -> bool:
    return item.state in (State.DRAFT, State.RETURNED) and item.draft is not None


def may_withdraw(item: Item) -> bool:
    return item.published is not None and item.state != State.WITHDRAWN


def is_overdue(item: Item, day: dt.date) -> bool:
    """A new item (never published) whose 第二十六条 date has passed on ``day``."""
    return bool(
        item.published_id is None
        and item.due_on is not None
        and item.due_on < day
        and item.state != State.WITHDRAWN
    )


@uploads.atomic()
def edit(actor, item: Item, data: dict, *, note: str = "", attachments=()) -> Item:
    """Change the draft. A draft that was returned, or a published item, gets a new revision:
    what the reviewers saw (and what the public sees) is kept as it was."""
    item = _locked(item)
    _require_draft_role(actor, item.agency)
    if not may_edit(item):
        raise CatalogError(
            "审核中的信息不能修改；如需修改，请审核人退回。"
            if item.state == State.IN_REVIEW
            else "已撤销的信息不能再修改。"
        )
    content = _clean_content(item.agency, data)
    before = _state(item)
    if item.state == State.DRAFT and item.draft is not None:
        revision = item.draft
        for key, value in content.items():
            setattr(revision, key, value)
        revision.note = note or revision.note
        revision.save()
        revision.editors.add(actor)
    else:
        base = item.draft or item.published
        number = (item.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = Revision.objects.create(
            item=item, number=number, created_by=actor, note=note, **content
        )
        for attachment in base.attachments.all():  # the same stored files, new rows
            attachment.pk = None
            attachment.revision = revision
            attachment.save()
        # A returned draft's authors stay authors of the text built on it; the published text
        # was reviewed already, so its authors may review the changes to it.
        authors = [actor, *(base.editors.all() if base != item.published else [])]
        revision.editors.add(*authors)
        item.draft = revision
        item.state = State.DRAFT
    for upload in attachments:
        add_attachment(revision, upload)
    found = rescan(revision, item.agency)
    _recompute_due(item)
    item.save()
    _record(
        actor, item, "item.edit", f"修改（第 {revision.number} 版）" + _found_note(found), before
    )
    return item


def add_attachment(revision: Revision, upload):
    from gongkai.catalog.models import Attachment

    return uploads.store(Attachment(revision=revision), upload)


# --- review ---------------------------------------------------------------------------------


_SCANNED_FIELDS = ("title", "document_number", "publisher", "topic", "keywords", "summary", "body")


def _public_text(content: dict) -> list[str]:
    return [
        *(content.get(f) or "" for f in _SCANNED_FIELDS[:-1]),
        plain_text(content.get("body") or ""),
    ]


def scan_content(agency: Agency, content: dict) -> list[dict]:
    """The findings in content not yet saved (a row to import): the same scan as
    ``run_scan``, of the same fields."""
    from gongkai.scan import scan

    words = [w.strip() for w in settings_for(agency).sensitive_words.splitlines() if w.strip()]
    text = "\n".join(p for p in _public_text(content) if p)
    return keyed([f.as_json() for f in scan(text, sensitive_words=words)])


def scan_text(revision: Revision) -> str:
    """Every text the public would see: the metadata, the body and the text of DOCX
    attachments (PDFs and images are not read: the reviewers are told so)."""
    parts = _public_text({f: getattr(revision, f) for f in _SCANNED_FIELDS})
    for attachment in revision.attachments.all():
        if attachment.original_name.lower().endswith(".docx"):
            parts.append(_docx_text(attachment))
    return "\n".join(p for p in parts if p)


def _docx_text(attachment) -> str:
    import io

    import docx

    try:
        with attachment.file.open("rb") as handle:
            document = docx.Document(io.BytesIO(handle.read()))
    except Exception:  # a damaged file: the reviewers read it themselves
        return ""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def unscanned_attachments(revision: Revision) -> list[str]:
    return [
        a.original_name
        for a in revision.attachments.all()
        if not a.original_name.lower().endswith(".docx")
    ]


def run_scan(revision: Revision, agency: Agency) -> list[dict]:
    """The findings in the revision's text now, each with its ``key``."""
    from gongkai.scan import scan

    words = [w.strip() for w in settings_for(agency).sensitive_words.splitlines() if w.strip()]
    return keyed([f.as_json() for f in scan(scan_text(revision), sensitive_words=words)])


def rescan(revision: Revision, agency: Agency) -> list[dict]:
    """Scan the revision again and keep the result on it; returns the findings."""
    found = run_scan(revision, agency)
    if found != revision.findings:
        revision.findings = found
        revision.save(update_fields=["findings"])
    return found


def finding_key(kind: str, text: str, occurrence: int) -> str:
    """What names a finding within its revision: its kind, its text and which occurrence of
    that text it is. It does not depend on the position, so an edit elsewhere in the text, or
    a re-scan, keeps the acknowledgements given for it."""
    digest = hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()[:16]
    return f"{kind}-{digest}-{occurrence}"


def keyed(findings: list[dict]) -> list[dict]:
    """The findings, each with its ``key`` (stored findings of older revisions have none)."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for finding in findings:
        pair = (str(finding.get("kind", "")), str(finding.get("text", "")))
        seen[pair] = seen.get(pair, 0) + 1
        out.append({**finding, "key": finding_key(*pair, seen[pair])})
    return out


def findings_of(revision: Revision) -> list[dict]:
    return keyed(revision.findings or [])


def acknowledgements(revision: Revision):
    """The acknowledgements of the current round of review of the revision."""
    found = FindingAcknowledgement.objects.filter(revision=revision).select_related("reviewer")
    if revision.submitted_at is not None:
        found = found.filter(at__gte=revision.submitted_at)
    return found.order_by("at", "id")


def unresolved(revision: Revision, role: Role, findings: list[dict] | None = None) -> list[dict]:
    """The findings the holder of ``role`` has not yet acknowledged in this round."""
    findings = findings_of(revision) if findings is None else findings
    done = set(acknowledgements(revision).filter(role=role).values_list("key", flat=True))
    return [f for f in findings if f["key"] not in done]


def describe(findings: list[dict]) -> str:
    from gongkai.scan import LABELS

    return "、".join(
        f"{LABELS.get(f.get('kind'), f.get('kind'))}“{f.get('masked')}”" for f in findings
    )


@transaction.atomic
def acknowledge(actor, item: Item, *, key: str, action: str, reason: str = "") -> Item:
    """The reviewer of the current step answers one finding: ``removed`` (the text no longer
    holds it: the revision is scanned again to confirm) or ``kept`` with a reason."""
    item = _locked(item)
    role = _require_reviewer(actor, item)
    draft = item.draft
    before = findings_of(draft)
    found = rescan(draft, item.agency)
    reason = (reason or "").strip()
    if action == FindingAcknowledgement.Action.KEPT:
        finding = next((f for f in found if f["key"] == key), None)
        if finding is None:
            raise CatalogError("没有这一项检查发现，或它已不在文本中；请刷新页面后再确认。")
        if not reason:
            raise CatalogError(f"保留{describe([finding])}须写明理由（如：依法应当公示）。")
    elif action == FindingAcknowledgement.Action.REMOVED:
        finding = next((f for f in found if f["key"] == key), None)
        if finding is not None:
            raise CatalogError(
                f"重新检查后，文本中仍有{describe([finding])}。"
                "请退回起草人删除或修改，或选择“保留”并写明理由。"
            )
        finding = next((f for f in before if f["key"] == key), None)
        if finding is None:
            raise CatalogError("没有这一项检查发现；请刷新页面后再确认。")
    else:
        raise CatalogError("请选择“已删除/已修改”或“保留”。")
    state = _state(item)
    ack = FindingAcknowledgement.objects.create(
        item=item,
        revision=draft,
        key=key,
        kind=str(finding.get("kind", ""))[:20],
        masked=str(finding.get("masked", ""))[:300],
        step=item.review_step,
        role=role,
        reviewer=actor,
        action=action,
        reason=reason,
    )
    _record(
        actor,
        item,
        "item.finding_ack",
        f"{role.label}确认发布前检查发现{describe([finding])}：{ack.get_action_display()}",
        state,
        reason,
    )
    return item


@transaction.atomic
def submit(actor, item: Item) -> Item:
    item = _locked(item)
    _require_draft_role(actor, item.agency)
    if not may_submit(item):
        raise CatalogError("只有草稿或退回修改的信息可以提交审核。")
    before = _state(item)
    item.draft.findings = run_scan(item.draft, item.agency)
    item.draft.submitted_at = timezone.now()
    item.draft.save(update_fields=["findings", "submitted_at"])
    item.state = State.IN_REVIEW
    item.review_step = 0
    item.save()
    found = len(item.draft.findings)
    _record(
        actor,
        item,
        "item.submit",
        "提交审核" + (f"；发布前检查发现 {found} 处需要注意的内容" if found else ""),
        before,
    )
    return item


def current_role(item: Item) -> Role | None:
    if item.state != State.IN_REVIEW:
        return None
    chain = chain_for(item.agency)
    return chain[item.review_step] if item.review_step < len(chain) else None


def can_review(user, item: Item) -> bool:
    """Holds the role of the current step and did not write the draft."""
    role = current_role(item)
    return (
        role is not None
        and access.has_role(user, item.agency, role)
        and item.draft is not None
        and not is_author(user, item.draft)
    )


def is_author(user, revision: Revision) -> bool:
    """Wrote the revision or edited it: no one reviews their own text (the 审核 is a second pair
    of eyes)."""
    return revision.created_by_id == user.pk or revision.editors.filter(pk=user.pk).exists()


def review_queue(agency: Agency, user):
    """The items ``user`` may review now (待我审核): waiting at a step whose role they hold, with a
    draft they neither wrote nor edited, the rule of ``can_review`` as a query."""
    chain = chain_for(agency)
    roles = access.roles_in(user, agency)
    steps = [i for i, role in enumerate(chain) if role in roles]
    return (
        Item.objects.filter(agency=agency, state=State.IN_REVIEW, review_step__in=steps)
        .exclude(draft__created_by=user)
        .exclude(draft__editors=user)
    )


def _require_reviewer(actor, item: Item) -> Role:
    role = current_role(item)
    if role is None:
        raise CatalogError("这条信息目前不在审核中。")
    if not access.has_role(actor, item.agency, role):
        raise PermissionDenied(f"本环节为“{role.label}”，您没有这一角色。")
    if is_author(actor, item.draft):
        raise PermissionDenied("不能审核自己起草或修改的信息。")
    return role


@transaction.atomic
def approve(actor, item: Item, *, reason: str = "") -> Item:
    """Pass the current step. The text is scanned again; every finding must have been
    acknowledged by this step's reviewer in this round (``acknowledge``), whatever the step."""
    item = _locked(item)
    role = _require_reviewer(actor, item)
    chain = chain_for(item.agency)
    last = item.review_step == len(chain) - 1
    draft = item.draft
    found = rescan(draft, item.agency)
    open_ = unresolved(draft, role, found)
    if open_:
        if role is Role.SECRECY_REVIEWER:
            raise CatalogError(
                f"保密审查不能通过：发布前检查发现的 {len(open_)} 处内容尚未逐项确认——"
                f"{describe(open_)}。请逐项选择“已删除/已修改”或“保留”并写明理由，"
                "或退回修改（保守国家秘密法第三十五条、条例第十七条）。"
            )
        raise CatalogError(
            f"{role.label}通过前须逐项确认发布前检查的发现，尚未确认 {len(open_)} 处："
            f"{describe(open_)}。"
        )
    before = _state(item)
    ReviewDecision.objects.create(
        item=item,
        revision=draft,
        step=item.review_step,
        role=role,
        reviewer=actor,
        outcome=ReviewDecision.Outcome.APPROVED,
        reason=reason.strip(),
    )
    if not last:
        item.review_step += 1
        item.save()
        _record(actor, item, "item.approve", f"{role.label}通过", before, reason)
        return item
    _publish(item)
    summary = f"{role.label}通过，" + (
        "已发布" if draft.disclosure == Disclosure.PROACTIVE else "已编入目录（不主动公开）"
    )
    if found:
        summary += f"；发布前检查发现 {len(found)} 处，各环节均已逐项确认"
    _record(actor, item, "item.publish", summary, before, reason)
    return item


@transaction.atomic
def return_for_changes(actor, item: Item, reason: str) -> Item:
    item = _locked(item)
    role = _require_reviewer(actor, item)
    if not reason.strip():
        raise CatalogError("退回须写明理由，起草人将据此修改。")
    before = _state(item)
    ReviewDecision.objects.create(
        item=item,
        revision=item.draft,
        step=item.review_step,
        role=role,
        reviewer=actor,
        outcome=ReviewDecision.Outcome.RETURNED,
        reason=reason.strip(),
    )
    item.state = State.RETURNED
    item.review_step = 0
    item.save()
    _record(actor, item, "item.return", f"{role.label}退回修改", before, reason.strip())
    return item


def _publish(item: Item, day: dt.date | None = None) -> None:
    """The one publication: the draft becomes the published revision on ``day`` (today, or
    for an item imported from the old website the day it was published there)."""
    revision = item.draft
    previous = item.published
    day = day or today()
    if not item.index_number:
        item.index_number = next_index_number(item.agency, day.year)
    _recompute_due(item)  # from the revision being published
    revision.published_on = day
    revision.due_on = item.due_on
    # Lateness is the platform's to judge only for what it published on time or not: an
    # imported item was published first on the old website, on a day we take from its file.
    revision.late = bool(
        not item.imported
        and revision.disclosure == Disclosure.PROACTIVE
        and item.due_on
        and day > item.due_on
        and (previous is None or previous.formed_on != revision.formed_on)
    )
    revision.save(update_fields=["published_on", "due_on", "late"])
    item.published = revision
    item.draft = None
    item.state = State.PUBLISHED
    item.review_step = 0
    item.first_published_on = item.first_published_on or day
    item.last_published_on = day
    _recompute_due(item)
    refresh_listing(item)
    item.save()
    reindex(item)


def check_imported(agency: Agency, data: dict) -> dict:
    """The content of a row to import, checked as any draft is (``CatalogError`` if not)."""
    return _clean_content(agency, data)


@transaction.atomic
def publish_imported(
    actor, agency: Agency, data: dict, *, published_on: dt.date, index_number: str, note: str
) -> Item:
    """A document the agency published on its old website, brought in as published on the day
    it was published there (``gongkai.catalog.importer``). It was reviewed when it was first
    published, so it does not go through the review chain again — but only when the
    pre-publication scan finds nothing in it: with a finding it is refused here, and goes to
    review instead (``import_for_review``)."""
    _require_draft_role(actor, agency)
    content = _clean_content(agency, data)
    item = Item.objects.create(agency=agency, state=State.DRAFT, imported=True)
    revision = Revision.objects.create(item=item, number=1, created_by=actor, note=note, **content)
    revision.editors.add(actor)
    revision.findings = run_scan(revision, agency)
    if revision.findings:
        raise CatalogError(
            f"发布前检查发现 {len(revision.findings)} 处需要注意的内容，须经审核后发布。"
        )
    revision.save(update_fields=["findings"])
    item.draft = revision
    item.index_number = index_number or next_index_number(agency, published_on.year)
    _publish(item, published_on)
    return item


@transaction.atomic
def import_for_review(actor, agency: Agency, data: dict, *, published_on: dt.date, note: str):
    """A document of the old website in which the pre-publication scan found personal data, a
    classification mark or a sensitive word: drafted and submitted like any other, so that the
    agency's review chain, 保密审查 last, acknowledges each finding before it is published
    again. The day it was first published on the old website is kept."""
    item = create(actor, agency, data, note=note, first_published_on=published_on)
    return submit(actor, item)


def refresh_listing(item: Item) -> None:
    """Keep the denormalised public listing in step with the item (not saved here)."""
    item.listed = item.is_public
    item.listed_category = item.published.category if item.listed else ""


def reindex(item: Item) -> None:
    """Put the item's public text into the search index, or take it out."""
    from gongkai.search import index

    key = f"item:{item.pk}"
    if not item.is_public:
        index.remove(key)
        return
    revision = item.published
    index.update(
        key,
        agency=item.agency,
        title=revision.title,
        body="\n".join(p for p in (revision.summary, plain_text(revision.body)) if p),
        url=public_url(item),
        published_on=item.last_published_on,
        category=revision.category,
        validity=revision.validity,
        kind=revision.kind,
    )


def public_url(item: Item) -> str:
    return reverse("portal:item", args=[item.agency.slug, item.pk])


# --- withdrawal -----------------------------------------------------------------------------


@transaction.atomic
def withdraw(actor, item: Item, reason: str) -> Item:
    """撤销: the item leaves the public column; its record, revisions and history stay."""
    item = _locked(item)
    if not access.has_role(actor, item.agency, Role.HEAD):
        raise PermissionDenied("撤销已发布的信息须由政府信息公开工作机构负责人决定。")
    if not may_withdraw(item):
        raise CatalogError("只有已发布的信息可以撤销。")
    if not reason.strip():
        raise CatalogError("撤销须写明理由。")
    before = _state(item)
    item.state = State.WITHDRAWN
    item.draft = None
    item.withdrawn_on = today()
    item.withdrawal_reason = reason.strip()
    refresh_listing(item)
    item.save()
    reindex(item)
    _record(actor, item, "item.withdraw", "撤销", before, reason.strip())
    return item


# --- 索引号 ---------------------------------------------------------------------------------


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


# --- timeliness -----------------------------------------------------------------------------


def late_items(agency: Agency, *, within_days: int = 0):
    """Proactive items not yet published whose 第二十六条 period has run out (or runs out
    within ``within_days`` working days), oldest due first."""
    limit = horizon(today(), within_days)[0] if within_days else today()
    return (
        Item.objects.filter(
            agency=agency,
            draft__isnull=False,  # a new item, or a change to a published one
            state__in=[State.DRAFT, State.IN_REVIEW, State.RETURNED],
            draft__disclosure=Disclosure.PROACTIVE,
            due_on__lte=limit,
        )
        .select_related("draft")
        .order_by("due_on", "id")
    )


def published_late(agency: Agency):
    """Items whose latest text was published after its due date (formed or changed + 20
    working days)."""
    return (
        Item.objects.filter(agency=agency, revisions__late=True)
        .distinct()
        .select_related("published")
    )
