"""The clerk's work queue: what each agency a person works for needs of them now, as counts
with links to the lists that hold the cases (the dashboard, docs/applications.md, 工作台).

Each bucket of cases is a list of ``applications.case_lists``, counted by that list's own
rule, so a count and the list it links to never disagree. One aggregate query per agency for
the cases, one count for the items to review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies import access
from gongkai.agencies.models import Agency, Role
from gongkai.applications import case_lists
from gongkai.applications.models import Application
from gongkai.applications.services import can_extend, can_handle
from gongkai.catalog.services import review_queue

# The roles that review items (the catalog's chains are made of them).
REVIEW_ROLES = {Role.REVIEWER_1, Role.REVIEWER_2, Role.REVIEWER_3, Role.SECRECY_REVIEWER}
# "即将到期": due within this many working days.
DUE_SOON_DAYS = 3

# The buckets of cases, in the order shown: (list, label, what it means).
CASE_BUCKETS = (
    ("pending", "待确认收到", "确认收到后才开始计算答复期限（条例第三十一条）"),
    ("overdue", "已逾期", "已超过答复期限，尚未答复"),
    ("due", f"{DUE_SOON_DAYS} 个工作日内到期", ""),
    ("correction", "待补正", "等待申请人补正"),
    ("consulting", "征求意见中", "等待第三方或其他机关的意见"),
    ("payment", "待缴费", "等待申请人缴纳信息处理费"),
)
# For the head of the office only (第三十三条第二款: an extension needs their approval).
HEAD_BUCKETS = (
    (
        "unextended",
        "即将到期、未延期",
        "需要延期的，须经政府信息公开工作机构负责人同意（条例第三十三条第二款）",
    ),
)


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    count: int
    mine: int | None  # of them assigned to this person (None: not counted per person)
    url: str
    note: str = ""
    urgent: bool = False  # said in words on the page too ("已逾期"), never by colour alone


@dataclass
class AgencyQueue:
    agency: Agency
    buckets: list[Bucket] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(b.count for b in self.buckets)


def _cases(agency: Agency, user, today: dt.date, buckets) -> list[Bucket]:
    rules = {
        key: case_lists.rule(key, user=user, today=today, days=DUE_SOON_DAYS).condition
        for key, _label, _note in buckets
    }
    counted = {}
    for key, condition in rules.items():
        counted[key] = Count("id", filter=condition)
        counted[f"{key}_mine"] = Count("id", filter=condition & Q(assignee=user))
    if "pending" in rules:
        counted["oldest_pending"] = Min("submitted_at", filter=rules["pending"])
    found = Application.objects.filter(agency=agency).aggregate(**counted)
    cases = reverse("office:cases", args=[agency.pk])
    result = []
    for key, label, note in buckets:
        if not found[key]:
            continue
        urgent = key == "overdue"
        if key == "pending":
            waited = (today - timezone.localdate(found["oldest_pending"])).days
            note = f"最早的一件已等待 {waited} 天；{note}"
            urgent = waited >= 1
        days = f"&days={DUE_SOON_DAYS}" if key in ("due", "unextended") else ""
        result.append(
            Bucket(
                key,
                label,
                found[key],
                found[f"{key}_mine"],
                f"{cases}?view={key}{days}",
                note=note,
                urgent=urgent,
            )
        )
    return result


def for_user(user, today: dt.date) -> list[AgencyQueue]:
    """The queue of each agency ``user`` handles cases or reviews items for."""
    queues = []
    for agency in access.readable_agencies(user).filter(is_active=True).order_by("path"):
        handles = can_handle(user, agency)
        if not (handles or access.roles_in(user, agency) & REVIEW_ROLES):
            continue  # a supervisor reads, and has no work here
        queue = AgencyQueue(agency)
        if handles:
            buckets = CASE_BUCKETS + (HEAD_BUCKETS if can_extend(user, agency) else ())
            queue.buckets += _cases(agency, user, today, buckets)
        review = review_queue(agency, user).count()
        if review:
            queue.buckets.append(
                Bucket(
                    "review",
                    "待我审核",
                    review,
                    None,
                    reverse("office:items", args=[agency.pk]) + "?view=queue",
                    note="主动公开的信息和答复提供的信息（发布前审核、保密审查）",
                )
            )
        queues.append(queue)
    return queues
