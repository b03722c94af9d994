"""The clerk's work queue: what each agency a person works for needs of them now, as counts
with links to the lists that hold the cases (the dashboard, docs/office.md).

One aggregate query per agency for the cases, one for the items to review; what is in a
bucket is the rule of the list it links to (``applications.office_views.LISTS``), so a count
and its list never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.urls import reverse

from gongkai.agencies import access
from gongkai.agencies.models import Agency, Role
from gongkai.applications.models import OPEN_STATUSES, Application, Status
from gongkai.applications.services import can_extend, can_handle
from gongkai.catalog.services import review_queue
from gongkai.clock.loader import horizon

# The roles that review items (the catalog's chains are made of them).
REVIEW_ROLES = {Role.REVIEWER_1, Role.REVIEWER_2, Role.REVIEWER_3, Role.SECRECY_REVIEWER}
# "即将到期": due within this many working days.
DUE_SOON_DAYS = 3


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


def _cases(agency: Agency, user, today: dt.date) -> list[Bucket]:
    soon, _missing = horizon(today, DUE_SOON_DAYS)
    open_ = Q(status__in=OPEN_STATUSES)
    mine = Q(assignee=user)
    rules = {
        "pending": Q(status=Status.PENDING),
        "overdue": open_ & Q(reply_due__lt=today),
        "due": open_ & Q(reply_due__gte=today, reply_due__lte=soon),
        "correction": Q(status=Status.AWAITING_CORRECTION),
        "consulting": Q(status=Status.CONSULTING),
        "payment": Q(status=Status.AWAITING_PAYMENT),
    }
    counted = {}
    for key, rule in rules.items():
        counted[key] = Count("id", filter=rule)
        counted[f"{key}_mine"] = Count("id", filter=rule & mine)
    found = Application.objects.filter(agency=agency).aggregate(
        **counted,
        oldest_pending=Min("submitted_at", filter=rules["pending"]),
    )
    cases = reverse("office:cases", args=[agency.pk])
    buckets = []
    if found["pending"]:
        waited = (today - found["oldest_pending"].date()).days
        buckets.append(
            Bucket(
                "pending",
                "待确认收到",
                found["pending"],
                found["pending_mine"],
                f"{cases}?view=pending",
                note=f"最早的一件已等待 {waited} 天；确认收到后才开始计算答复期限"
                "（条例第三十一条）",
                urgent=waited >= 1,
            )
        )
    labels = {
        "overdue": ("已逾期", f"{cases}?view=overdue", "已超过答复期限，尚未答复"),
        "due": (
            f"{DUE_SOON_DAYS} 个工作日内到期",
            f"{cases}?view=due&days={DUE_SOON_DAYS}",
            f"至 {soon:%Y-%m-%d} 到期",
        ),
        "correction": ("待补正", f"{cases}?view=correction", "等待申请人补正"),
        "consulting": ("征求意见中", f"{cases}?view=consulting", "等待第三方或其他机关的意见"),
        "payment": ("待缴费", f"{cases}?view=payment", "等待申请人缴纳信息处理费"),
    }
    for key, (label, url, note) in labels.items():
        if found[key]:
            buckets.append(
                Bucket(
                    key,
                    label,
                    found[key],
                    found[f"{key}_mine"],
                    url,
                    note=note,
                    urgent=key == "overdue",
                )
            )
    return buckets


def _extensions(agency: Agency, today: dt.date) -> Bucket | None:
    """For the head of the office (第三十三条第二款: an extension needs their approval): open
    cases due soon that have not been extended, to decide on in time."""
    soon, _missing = horizon(today, DUE_SOON_DAYS)
    count = Application.objects.filter(
        agency=agency,
        status__in=[Status.IN_PROGRESS, Status.CONSULTING],
        reply_due__gte=today,
        reply_due__lte=soon,
        extension_days=0,
        delayed_until__isnull=True,
        kind="disclosure",
    ).count()
    if not count:
        return None
    return Bucket(
        "extension",
        "即将到期、未延期",
        count,
        None,
        reverse("office:cases", args=[agency.pk]) + f"?view=due&days={DUE_SOON_DAYS}",
        note="需要延期的，须经政府信息公开工作机构负责人同意（条例第三十三条第二款）",
    )


def for_user(user, today: dt.date) -> list[AgencyQueue]:
    """The queue of each agency ``user`` handles cases or reviews items for."""
    queues = []
    for agency in access.readable_agencies(user).filter(is_active=True).order_by("path"):
        handles = can_handle(user, agency)
        if not (handles or access.roles_in(user, agency) & REVIEW_ROLES):
            continue  # a supervisor reads, and has no work here
        queue = AgencyQueue(agency)
        if handles:
            queue.buckets += _cases(agency, user, today)
            if can_extend(user, agency) and (bucket := _extensions(agency, today)):
                queue.buckets.append(bucket)
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
