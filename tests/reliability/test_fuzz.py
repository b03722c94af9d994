"""Hostile input at every URL the site routes, in process through Django's test client (so the
same sweep runs on SQLite and on PostgreSQL): each GET query parameter the view reads and each
field of each form, with NUL and control characters, 10,000-character strings, digits that are
not ASCII, huge and negative numbers, impossible dates, malformed JSON, wrong types, text that
looks like SQL or HTML, repeated keys and percent-encodings that are not UTF-8.

What must hold for every response: never a 5xx; a 4xx of a page says what went wrong in
Chinese (never Django's bare English "Bad Request"); everything under /api/ is JSON; markup
sent in is never sent back unescaped.

Every request runs in a savepoint that is rolled back afterwards, so each one meets the same
records (a case in every state, items and reports at every step) and a valid value that
happens to be accepted does not move the case on for the next one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html.parser
import inspect
import json
import logging
import re
import time
import traceback
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.agencies.codes import make_uscc
from gongkai.agencies.models import Membership, Role
from gongkai.applications import office_steps as case_views
from gongkai.applications import services as cases
from gongkai.applications.models import Channel, Status
from gongkai.catalog import office_views as item_views
from gongkai.catalog import services as catalog
from gongkai.portal import searching
from gongkai.reports import office_views as report_views
from gongkai.reports import services as reports
from tests.conftest import PASSWORD, pass_release

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# The titles of Django's own plain pages, which no visitor of this site should ever see.
ENGLISH_PAGES = ("Bad Request", "Forbidden", "Not Found", "Server Error", "Method Not Allowed")
SCRIPT = "<script>alert(1)</script>"

# --- the hostile values ----------------------------------------------------------------------

HOSTILE: dict[str, str] = {
    "nul": "a\x00b",
    "control": "\x01\x08\x0b\x1b[31m\x7f",
    "crlf": "x\r\nSet-Cookie: a=b",
    "long": "字" * 10_000,
    "long_digits": "9" * 10_000,
    "arabic_digit": "٣",
    "arabic_year": "٢٠٢٥",
    "fullwidth_digit": "３",
    "fullwidth_date": "２０２６－０３－０２",
    "superscript": "²",
    "negative": "-1",
    "zero": "0",
    "huge": "99999999999999999999",
    "negative_huge": "-99999999999999999999",
    "float": "1e309",
    "nan": "NaN",
    "zero_date": "0000-00-00",
    "last_date": "9999-12-31",
    "first_date": "0001-01-01",
    "february_30": "2026-02-30",
    "json": '{"a": [1, 2',
    "sql": "' OR '1'='1'; DROP TABLE applications_application; --",
    "html": SCRIPT + '<img src=x onerror="alert(2)">',
    "template": "{{ settings.SECRET_KEY }}{% debug %}{0}{__class__}%s%n",
    "empty": "",
    "spaces": " \t\u3000\u00a0 ",
    "emoji": "😀\U0010ffff\u202e",
    "path": "../../../../etc/passwd",
}
# The values most likely to reach the database or the date arithmetic: sent one field at a
# time, with every other field valid, so that the form lets them through to the services.
DEEP = ["nul", "long", "huge", "last_date"]
# What every field of every form gets (the query parameters get them all): one of each kind
# the forms read differently. The others are variations on these (more digit forms, other
# impossible dates) that the parameters' sweep and the deep values cover.
FORM_VALUES = [
    "nul",
    "control",
    "long",
    "arabic_digit",
    "fullwidth_digit",
    "negative",
    "huge",
    "zero_date",
    "last_date",
    "february_30",
    "sql",
    "html",
    "template",
    "empty",
]
# Query strings that are not UTF-8 or not percent-encoded properly, as sent on the wire.
RAW = ["%FF%FE", "%C0%AF", "%ED%A0%80", "%E4%B8", "%", "%zz", "%00"]

# --- the records every request meets --------------------------------------------------------

D = dt.date
APPLICANT = {
    "applicant_type": "natural_person",
    "name": "赵测试",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "email": "zhao@example.org",
    "address": "测试县人民路1号",
    "postcode": "",
    "description": "请公开本局2025年城乡低保资金发放情况。",
    "delivery": "email",
}
ITEM = {
    "title": "关于调整城乡最低生活保障标准的通知",
    "document_number": "测民发〔2026〕1号",
    "category": "a20-11",
    "kind": "normative",
    "formed_on": D(2026, 1, 5),
    "written_on": D(2026, 1, 5),
    "body": "各乡镇：\n\n现将城乡低保标准调整如下。",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclasses.dataclass
class World:
    county: object
    cases: dict[Status, object]
    items: dict[str, object]
    reports: dict[str, object]
    appeal: object
    membership: object
    job: object | None

    @property
    def civil(self):
        return self.county.civil


def _workday_before(day: dt.date, n: int) -> dt.date:
    """A Monday-to-Friday day at least ``n`` days before ``day``."""
    day -= dt.timedelta(days=n)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def build_world(county) -> World:
    """A case in each state of the law, items at each step of review, a draft and a published
    annual report, a register entry: what the pages and forms of the sweep act on."""
    clerk, civil = county.clerk, county.civil
    today = cases.today()
    handed_in = _workday_before(today, 3)
    pending, _code = cases.submit_online(
        civil, APPLICANT, files=[SimpleUploadedFile("id.pdf", PDF, "application/pdf")]
    )

    def registered():
        return cases.register(
            clerk, civil, APPLICANT, channel=Channel.IN_PERSON, submitted_on=handed_in
        )[0]

    in_progress = registered()
    correction = cases.request_correction(
        clerk, registered(), ["身份证明"], today + dt.timedelta(days=15), today
    )
    consulting = registered()
    cases.start_consultation(clerk, consulting, "third_party", "某公司", today)
    payment = registered()
    payment = cases.issue_fee_notice(clerk, payment, "per_page", 200, today, received_on=today)
    # How the information is given (条例第三十六条第（二）项, 第四十条).
    provided = {
        "disclosure": "provided",
        "provision_form": "email",
        "provision_route": "发送至申请人登记的电子邮箱",
        "provision_from": today,
    }
    decided = cases.decide(
        clerk,
        registered(),
        "granted",
        legal_basis="",
        decision_text="予以公开。",
        decided_on=today,
        **provided,
    )
    replied = cases.decide(
        clerk,
        registered(),
        "granted",
        legal_basis="",
        decision_text="",
        decided_on=today,
        **provided,
    )
    pass_release(county, replied)  # 条例第十七条: through the review chain before the reply
    replied = cases.reply(clerk, replied, today, "email")
    by_status = {
        Status.PENDING: pending,
        Status.IN_PROGRESS: in_progress,
        Status.AWAITING_CORRECTION: correction,
        Status.CONSULTING: consulting,
        Status.AWAITING_PAYMENT: payment,
        Status.DECIDED: decided,
        Status.REPLIED: replied,
    }
    by_status = {status: type(a).objects.get(pk=a.pk) for status, a in by_status.items()}

    attachment = [SimpleUploadedFile("正文.pdf", PDF, "application/pdf")]
    draft = catalog.create(clerk, civil, ITEM, attachments=attachment)
    review = catalog.submit(clerk, catalog.create(clerk, civil, {**ITEM, "title": "审核中"}))
    published = catalog.submit(
        clerk, catalog.create(clerk, civil, {**ITEM, "title": "已发布"}, attachments=attachment)
    )
    for persona in ("reviewer1", "reviewer2", "reviewer3", "secrecy"):
        published = catalog.approve(getattr(county, persona), published)

    last_year = today.year - 1
    texts = {name: "本年度情况。" for name in reports.AnnualReport.SECTIONS}
    report_draft = reports.save_sections(clerk, reports.open_report(clerk, civil, last_year), texts)
    earlier = reports.open_report(clerk, civil, last_year - 1)
    earlier = reports.save_sections(clerk, earlier, texts)
    report_published = reports.publish(county.head, earlier, on=today)
    appeal = reports.save_appeal(
        clerk, civil, number="测复〔2025〕1号", kind="reconsideration", filed_on=D(last_year, 4, 1)
    )
    return World(
        county=county,
        cases=by_status,
        items={"draft": draft, "review": review, "published": published},
        reports={"draft": report_draft, "published": report_published},
        appeal=appeal,
        membership=Membership.objects.get(user=county.reviewer3, role=Role.REVIEWER_3),
        job=_job(county),
    )


def _job(county):
    """A failed job of the clerk's, for the job pages (None while the app is not there)."""
    try:
        from gongkai.jobs.engine import KINDS
        from gongkai.jobs.models import Job
    except ImportError:
        return None
    return Job.objects.create(
        kind=next(iter(KINDS)),
        agency=county.civil,
        created_by=county.clerk,
        title="导入台账",
        state="failed",
    )


# --- which URLs, with which arguments, as whom -----------------------------------------------

# Who opens a URL in the sweep: the clerk of the civil affairs bureau, unless the page is one
# only another role may use (then its forms would never get past the access check).
PERSONA = {
    "office:agency_create": "sysadmin",
    "office:calendars": "sysadmin",
    "office:agency_edit": "admin",
    "office:person_create": "admin",
    "office:role_grant": "admin",
    "office:role_revoke": "admin",
    "office:catalog_settings": "admin",
    "office:letter_edit": "admin",
}
CASE_STEP_PERSONA = {"extend": "head"}
ITEM_STEP = {  # step: (which item, who)
    "submit": ("draft", "clerk"),
    "approve": ("review", "reviewer1"),
    "return": ("review", "reviewer1"),
    "acknowledge": ("review", "reviewer1"),
    "withdraw": ("published", "head"),
}
REPORT_STEP = {  # step: (which report, who)
    "save": ("draft", "clerk"),
    "regenerate": ("draft", "clerk"),
    "publish": ("draft", "head"),
    "unpublish": ("published", "head"),
}


@dataclasses.dataclass
class Target:
    """One URL of the sweep: its route name, the address, who asks, and the page that holds
    the form posting to it (for valid values of the other fields)."""

    name: str
    path: str
    persona: str | None  # None: the public
    form_page: str | None = None
    fields: tuple[str, ...] = ()  # fields of its form, beyond those the page shows
    token: str = ""  # a free-text segment of the path (a tracking number, a link's token)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


def _office(name: str, *args, form_page: str | None = None, persona=None, fields=()) -> Target:
    path = reverse(name, args=args)
    return Target(
        name, path, persona or PERSONA.get(name, "clerk"), form_page or path, tuple(fields)
    )


def _fields(form_class, **kwargs) -> tuple[str, ...]:
    return tuple(form_class(**kwargs).fields)


def targets(world: World) -> list[Target]:
    """Every routed URL, with real records in its arguments (several for a URL with steps)."""
    w, pk = world, world.civil.pk
    number = w.cases[Status.PENDING].tracking_number
    lost = reverse("portal:lost_code")
    case = w.cases[Status.IN_PROGRESS]
    case_url = reverse("office:case", args=[case.pk])
    attachment = w.cases[Status.PENDING].attachments.get()
    item_file = w.items["published"].published.attachments.get()
    published_report = w.reports["published"]
    found: list[Target] = [
        Target("health", reverse("health"), None),
        Target("api:applications", reverse("api:applications"), None),
        Target("api:applications/", reverse("api:applications") + "/", None),
        Target("api:application", reverse("api:application", args=[number]), None, token=number),
        Target("api:items", reverse("api:items"), None),
        Target("api:reports", reverse("api:reports"), None),
        Target("api:openapi", reverse("api:openapi"), None),
        Target("sitemap", reverse("sitemap"), None),
        Target("portal:home", reverse("portal:home"), None),
        Target("portal:search", reverse("portal:search"), None),
        Target("portal:status", reverse("portal:status"), None),
        Target("portal:apply_choose", reverse("portal:apply_choose"), None),
        Target("portal:lost_code", lost, None, form_page=lost),
        Target(
            "portal:lost_code_use",
            reverse("portal:lost_code_use", args=["no-such-link"]),
            None,
            token="no-such-link",
        ),
    ]
    # The applicant's case pages: without the session's grant every one is a 404.
    found += [
        Target(
            "portal:case_link",
            reverse("portal:case_link", args=["no-such-link"]),
            None,
            token="no-such-link",
        ),
        Target("portal:case", reverse("portal:case", args=[number]), None, token=number),
        Target("portal:case_leave", reverse("portal:case_leave", args=[number]), None),
        Target("portal:case_correction", reverse("portal:case_correction", args=[number]), None),
        Target("portal:case_letter", reverse("portal:case_letter", args=[number, "receipt"]), None),
        Target("portal:case_file", reverse("portal:case_file", args=[number, 1]), None),
    ]
    for name in (
        "agency",
        "guide",
        "rules",
        "content",
        "feed",
        "reports",
        "apply_done",
        "paper_form",
    ):
        found.append(Target(f"portal:{name}", reverse(f"portal:{name}", args=["civil"]), None))
    apply = reverse("portal:apply", args=["civil"])
    found.append(Target("portal:apply", apply, None, form_page=apply))
    published = w.items["published"]
    found += [
        Target("portal:category", reverse("portal:category", args=["civil", "a20-11"]), None),
        Target("portal:item", reverse("portal:item", args=["civil", published.pk]), None),
        Target(
            "portal:item_file",
            reverse("portal:item_file", args=["civil", published.pk, item_file.pk]),
            None,
        ),
        Target(
            "portal:report", reverse("portal:report", args=["civil", published_report.year]), None
        ),
    ]
    for fmt in ("docx", "pdf"):
        found.append(
            Target(
                "portal:report_file",
                reverse("portal:report_file", args=["civil", published_report.year, fmt]),
                None,
            )
        )
    found += [
        _office("office:login", persona="anonymous"),
        _office("office:logout"),
        _office("office:password_change"),
        _office("office:password_change_done"),
        _office("office:dashboard"),
        _office("office:agency_create"),
        _office("office:agency", pk),
        _office("office:agency_edit", pk),
        _office("office:people", pk),
        _office("office:person_create", pk),
        _office("office:role_grant", pk, form_page=reverse("office:people", args=[pk])),
        _office(
            "office:role_revoke",
            pk,
            w.membership.pk,
            form_page=reverse("office:people", args=[pk]),
            fields=("reason",),
        ),
        _office("office:history", pk),
        _office("office:cases", pk),
        _office("office:case_create", pk),
        _office("office:case", case.pk),
        _office("office:case_oral_form", case.pk),  # not oral: a 404 page, never a 500
        _office("office:case_step", case.pk, "assign", form_page=case_url, fields=("assignee",)),
        _office("office:attachment", w.cases[Status.PENDING].pk, attachment.pk),
        _office("office:calendars"),
        _office("office:items", pk),
        _office("office:item_create", pk),
        _office("office:catalog_settings", pk),
        _office("office:item", w.items["draft"].pk),
        _office("office:item_edit", w.items["draft"].pk),
        _office("office:item_attachment", published.pk, item_file.pk),
        _office("office:reports", pk),
        _office(
            "office:report_open",
            pk,
            form_page=reverse("office:reports", args=[pk]),
            fields=("year",),
        ),
        _office("office:report_overview", pk),
        _office("office:report", w.reports["draft"].pk),
        _office("office:appeals", pk),
        _office("office:appeal_create", pk),
        _office("office:appeal_edit", w.appeal.pk),
        _office("office:appeal_delete", w.appeal.pk),
        _office("office:figures", pk),
        _office("office:checker"),
        _office("office:case_letters", w.cases[Status.DECIDED].pk),
        _office("office:letter_templates", pk),
        _office("office:letter_edit", pk, "reply_granted"),
        _office("office:ledger", pk),
        _office("office:ledger_export", pk),
        _office("office:ledger_template", pk),
        # A message that does not exist: a 404, whatever is sent.
        _office("office:notice_again", w.cases[Status.PENDING].pk, 999999),
    ]
    for fmt in ("docx", "pdf"):
        found.append(
            _office("office:letter_download", w.cases[Status.DECIDED].pk, "reply_granted", fmt)
        )
    for fmt in ("docx", "pdf", "html"):
        found.append(_office("office:report_download", w.reports["draft"].pk, fmt))
    for step, definition in case_views.STEPS.items():
        application = next(a for s, a in w.cases.items() if s in definition.statuses)
        found.append(
            _office(
                "office:case_step",
                application.pk,
                step,
                form_page=reverse("office:case", args=[application.pk]),
                persona=CASE_STEP_PERSONA.get(step, "clerk"),
                fields=_fields(definition.form),
            )
        )
    for step, (which, persona) in ITEM_STEP.items():
        item = w.items[which]
        form_class = item_views.STEPS[step][0]
        found.append(
            _office(
                "office:item_step",
                item.pk,
                step,
                form_page=reverse("office:item", args=[item.pk]),
                persona=persona,
                fields=_fields(form_class) if form_class else (),
            )
        )
    for step, (which, persona) in REPORT_STEP.items():
        report = w.reports[which]
        found.append(
            _office(
                "office:report_step",
                report.pk,
                step,
                form_page=reverse("office:report", args=[report.pk]),
                persona=persona,
                fields=_fields(report_views.STEPS[step][0]),
            )
        )
    if w.job is not None:
        for name in ("office:job", "office:job_status", "office:job_again", "office:checker_xlsx"):
            found.append(_office(name, w.job.pk))
    return found


# --- the GET parameters each view reads ------------------------------------------------------

SEARCH = tuple(re.findall(r'params\.get\("(\w+)"\)', inspect.getsource(searching.parse)))
PARAMS: dict[str, tuple[str, ...]] = {
    "portal:search": SEARCH,
    "api:items": SEARCH,
    "api:reports": ("agency", "subtree", "year"),
    "api:application": ("code",),
    "portal:status": ("number", "code"),
    "portal:apply_choose": ("q", "agency"),
    "portal:apply": ("kind",),
    "portal:category": ("page",),
    "sitemap": ("p",),
    "office:login": ("next",),
    "office:agency_create": ("parent",),
    "office:history": ("page", "kind"),
    "office:cases": ("view", "days", "q", "page"),
    "office:items": ("view", "q", "page"),
    "office:appeals": ("year", "kind", "page"),
    "office:figures": ("year",),
    "office:report_overview": ("year", "sort"),
    "office:letter_edit": ("preview",),
    "office:ledger_export": ("year",),
}
# Helpers that read a parameter for the view that calls them.
HELPERS = {"year_from(request": "year", "searching.parse(request.GET": SEARCH}


def read_parameters(callback) -> set[str]:
    """The GET parameters a view's own source reads, directly or through the helpers above."""
    view = inspect.unwrap(getattr(callback, "view_class", callback))
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return set()
    found = set(re.findall(r'request\.GET\.get\(\s*"(\w+)"', source))
    for call, names in HELPERS.items():
        if call in source:
            found |= {names} if isinstance(names, str) else set(names)
    return found


def routes() -> dict[str, object]:
    """Every routed URL's name (its pattern for an unnamed one) and view."""

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    pattern.namespace or namespace,
                    prefix + str(pattern.pattern),
                )
            elif isinstance(pattern, URLPattern):
                name = pattern.name or Path(prefix + str(pattern.pattern)).name + "/"
                yield (f"{namespace}:{name}" if namespace else name), pattern.callback

    return dict(walk(get_resolver().url_patterns, None, ""))


# --- the forms on the pages -------------------------------------------------------------------


class _Forms(html.parser.HTMLParser):
    """The POST forms of a page: their action and the value each field would be sent with,
    an empty field filled with a plausible value of its type, every checkbox ticked (so that
    the form as a whole is valid wherever a person could make it so)."""

    PLAUSIBLE = {
        "date": dt.date.today().isoformat(),
        "number": "1",
        "email": "a@example.org",
        "tel": "13812345678",
        "url": "https://example.org/",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = self._textarea = None
        self.typed: set[str] = set()  # fields a person types into (not a choice or a file)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            post = (a.get("method") or "get").lower() == "post"
            self.forms.append({"action": (a.get("action") or "") if post else None, "values": {}})
        if tag == "option" and self._select and self.forms:
            values = self.forms[-1]["values"]
            if "selected" in a or not values.get(self._select):
                values[self._select] = a.get("value", "")
        if not self.forms or not a.get("name"):
            return
        values = self.forms[-1]["values"]
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                values.setdefault(name, None)
            elif kind in ("checkbox", "radio"):
                if "checked" in a or values.get(name) is None:
                    values[name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "reset", "image"):
                values[name] = a.get("value") or self.PLAUSIBLE.get(kind, "测试")
                if kind != "hidden":
                    self.typed.add(name)
        elif tag == "textarea":
            self._textarea = name
            self.typed.add(name)
            values[name] = ""
        elif tag == "select":
            self._select = name
            values.setdefault(name, None)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            values = self.forms[-1]["values"] if self.forms else {}
            if self._textarea in values and not values[self._textarea].strip():
                values[self._textarea] = "测试内容"
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["values"][self._textarea] += data


def page_forms(html_text: str, page: str) -> tuple[dict[str, dict[str, str | None]], set[str]]:
    """The POST forms of a page by the path they post to, and the fields typed into."""
    parser = _Forms()
    parser.feed(html_text)
    found: dict[str, dict[str, str | None]] = {}
    for form in parser.forms:
        if form["action"] is None:
            continue
        action = urlsplit(form["action"]).path or page
        found.setdefault(action, {}).update(form["values"])
    return found, parser.typed


# --- sending and judging ----------------------------------------------------------------------


@dataclasses.dataclass
class Problem:
    request: str
    what: str

    def __str__(self) -> str:
        return f"{self.request}\n    {self.what}"


def _cut(text: str, size: int = 120) -> str:
    return text if len(text) <= size else f"{text[:size]}…({len(text)} chars)"


class Sweep:
    """Sends each request in a savepoint that is rolled back, as the right persona, and judges
    the response."""

    def __init__(self, county, valid: dict[str, dict[str, str]] | None = None):
        self.clients: dict[str | None, Client] = {None: Client(), "anonymous": Client()}
        for persona in {"clerk", "admin", "sysadmin", "head", "reviewer1", *PERSONA.values()}:
            client = Client()
            client.force_login(getattr(county, persona))
            self.clients[persona] = client
        self.sent = 0
        self.deep: list[str] = []  # the forms whose own values were accepted
        self.valid = valid or {}
        self.problems: list[Problem] = []
        self.statuses: dict[int, int] = {}

    def send(self, target: Target, method: str, path: str, label: str, **kwargs):
        client = self.clients[target.persona]
        cookies = client.cookies  # a logout or a rotated session must not leak into the next
        client.cookies = type(cookies)(cookies)
        description = f"{target.persona or 'public'}: {method} {_cut(path)} {label}"
        response = None
        try:
            with transaction.atomic():
                try:
                    response = client.generic(method, path, **kwargs)
                finally:
                    transaction.set_rollback(True)
        except Exception as exc:  # the test client re-raises what would have been a 500
            frames = traceback.extract_tb(exc.__traceback__)
            where = next((f for f in reversed(frames) if "/gongkai/" in f.filename), frames[-1])
            self.problems.append(
                Problem(
                    description,
                    f"500 {type(exc).__name__}: "
                    f"{_cut(str(exc), 200)} ({where.filename}:{where.lineno})",
                )
            )
        finally:
            client.cookies = cookies
            caches["ratelimit"].clear()  # the limits would soon answer everything with 429
            self.sent += 1
        if response is not None:
            self.judge(target, path, description, response, kwargs)
        return response

    def judge(self, target: Target, path: str, description: str, response, sent) -> None:
        status = response.status_code
        self.statuses[status] = self.statuses.get(status, 0) + 1
        problem = None
        body = b"" if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        content_type = response.get("Content-Type", "")
        if status >= 500:
            problem = f"{status}: {text[:200]}"
        elif path.startswith("/api/"):
            if not content_type.startswith("application/json"):
                problem = f"{status} {content_type} under /api/, not JSON: {text[:120]!r}"
            else:
                try:
                    data = json.loads(text)
                except ValueError:
                    problem = f"{status}: body is not JSON: {text[:120]!r}"
                else:
                    if status >= 400 and not (isinstance(data, dict) and "errors" in data):
                        problem = f"{status}: error without an errors object: {text[:120]!r}"
        elif 400 <= status < 500:
            english = [title for title in ENGLISH_PAGES if title in text]
            if not CHINESE.search(text) or english:
                problem = f"{status} without a Chinese message: {text[:160]!r}"
        if problem is None and "text/html" in content_type and SCRIPT in text:
            if SCRIPT in repr(sent):
                problem = f"{status}: the markup sent in came back unescaped"
        if problem:
            self.problems.append(Problem(description, problem))

    # --- the kinds of request ---

    def query(self, target: Target, raw: str, label: str):
        return self.send(target, "GET", f"{target.path}?{raw}" if raw else target.path, label)

    def post(self, target: Target, data: dict, label: str, *, multipart: bool):
        if multipart:
            from django.test.client import MULTIPART_CONTENT, encode_multipart

            body = encode_multipart("HostileBoundary", _multipart(data))
            content_type = MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", "HostileBoundary")
        else:
            body = urlencode([(k, v) for k, vs in data.items() for v in _as_list(vs)])
            content_type = "application/x-www-form-urlencoded"
        return self.send(target, "POST", target.path, label, data=body, content_type=content_type)

    def raw(self, target: Target, method: str, body: bytes, content_type: str, label: str):
        return self.send(target, method, target.path, label, data=body, content_type=content_type)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _multipart(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


# --- the sweep -------------------------------------------------------------------------------


def sweep_parameters(sweep: Sweep, target: Target) -> None:
    """Each parameter the view reads, with each hostile value, repeated, and not UTF-8; then
    once with every hostile value under keys no view reads."""
    for name in PARAMS.get(target.name, ()):
        for label, value in HOSTILE.items():
            sweep.query(target, urlencode({name: value}), f"?{name}={label}")
        sweep.query(target, f"{name}=2025&{name}=abc&{name}=", f"?{name} repeated")
        for raw in RAW:
            sweep.query(target, f"{name}={raw}", f"?{name}={raw}")
    junk = [(f"x{i}", value) for i, value in enumerate(HOSTILE.values())]
    junk_query = urlencode(junk) + "&" + "&".join(f"{raw}={raw}" for raw in RAW)
    sweep.query(target, junk_query, "?unknown keys")


def sweep_path(sweep: Sweep, target: Target) -> None:
    """The address itself: each number in it out of range, and bytes that are not UTF-8."""
    numbers = re.findall(r"/(\d+)(?=[/.]|$)", target.path)
    for number in dict.fromkeys(numbers):
        for value in ("9223372036854775808",):  # 2**63: past every 64-bit key
            path = target.path.replace(f"/{number}", f"/{value}", 1)
            sweep.send(target, "GET", path, f"(path {number}→{value})")
    if "/civil/" in target.path:
        for value in ("no-such-agency", "a" * 300, "%FF%FE"):
            sweep.send(
                target,
                "GET",
                target.path.replace("/civil/", f"/{value}/", 1),
                f"(slug→{value[:20]})",
            )
    if target.token:
        for label in ("long", "html", "crlf", "emoji"):
            path = target.path.replace(target.token, quote(HOSTILE[label]), 1)
            sweep.send(target, "GET", path, f"(path token={label})")
        sweep.send(target, "GET", target.path.replace(target.token, "%FF%FE", 1), "(token %FF)")
    sweep.send(target, "GET", target.path.rstrip("/") + "/%FF%00/", "(path+junk)")


def valid_values(world: World) -> dict[str, dict[str, str]]:
    """Values a person would type where the page's own (and "测试") are not valid, so that the
    form as a whole passes and the deep values reach the services."""
    today = dt.date.today()
    applicant = {
        **APPLICANT,
        "postcode": "530000",
        "organisation_code": "",
        "legal_representative": "",
        "contact_person": "",
    }
    agency = {"postcode": "530000", "phone": "0771-1234567", "fax": "", "court": "测试县人民法院"}
    return {
        "portal:apply": applicant,
        "office:case_create": {**applicant, "channel": "in_person", "received_on": ""},
        "portal:lost_code": {
            "number": world.cases[Status.PENDING].tracking_number,
            "email": APPLICANT["email"],
        },
        "office:agency_edit": agency,
        "office:agency_create": {
            **agency,
            "slug": "fuzz-town",
            "kind": "township",
            "level": "township",
            "code": make_uscc("11", "990121", "TQ000099"),
            "parent": str(world.county.county.pk),
        },
        "office:person_create": {"username": "fuzz.person", "password": "Gongkai-fuzz-2026!"},
        "office:password_change": {
            "old_password": PASSWORD,
            "new_password1": "Gongkai-fuzz-2026!",
            "new_password2": "Gongkai-fuzz-2026!",
        },
        "office:item_create": {"nondisclosure_basis": "", "validity_changed_on": ""},
        "office:item_edit": {"nondisclosure_basis": "", "validity_changed_on": ""},
        "office:appeal_create": {"application": "", "closed_on": "", "result": ""},
        "office:appeal_edit": {"application": "", "closed_on": "", "result": ""},
        "office:figures": {"fees_amount_10k_yuan": "1.5"},
        "office:case_step:correction": {"deadline": (today + dt.timedelta(days=15)).isoformat()},
        "office:case_step:fee": {"method": "per_page", "units": "200"},
    }


def _baseline(sweep: Sweep, target: Target) -> tuple[dict[str, str | None], set[str]]:
    """The values the page's form would send, with those of ``valid_values``, plus the form's
    other fields left empty; and the fields a person types into (all of them if the page
    does not show the form)."""
    client = sweep.clients[target.persona]
    values: dict[str, str | None] = {}
    typed: set[str] = set(target.fields)
    if target.form_page:
        with transaction.atomic():
            response = client.get(target.form_page)
            transaction.set_rollback(True)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            forms, shown = page_forms(response.content.decode(), target.form_page)
            values = forms.get(target.path, {})
            typed |= shown
    values.pop("csrfmiddlewaretoken", None)
    for name in target.fields:
        values.setdefault(name, "")
    step = target.path.rstrip("/").rsplit("/steps/", 1)[-1] if "/steps/" in target.path else ""
    valid = {**sweep.valid.get(target.name, {}), **sweep.valid.get(f"{target.name}:{step}", {})}
    values.update({k: v for k, v in valid.items() if k in values})
    return values, typed


# Forms that answer an accepted submission with a page of their own, not a redirect.
SHOWS_RESULT = {"portal:lost_code"}


def sweep_form(sweep: Sweep, target: Target) -> None:
    """Every field with every hostile value and each wrong type; where the page's own values
    are accepted, the deep values a field at a time with the others valid; then bodies that
    are not a form at all."""
    baseline, typed = _baseline(sweep, target)
    names = sorted(baseline)
    labels = FORM_VALUES
    if names:
        # Each request gives each field a different value: after len(FORM_VALUES) requests
        # every field has had every value, urlencoded (as a browser sends a form without files).
        for i in range(len(labels)):
            data = {n: HOSTILE[labels[(i + j) % len(labels)]] for j, n in enumerate(names)}
            sweep.post(target, data, f"(all fields, round {i})", multipart=False)
        # Wrong types: lists where one value is expected, files where text is.
        sweep.post(target, {n: ["1", "2", "x"] for n in names}, "(repeated)", multipart=False)
        files = {n: SimpleUploadedFile("x.txt", b"\x00\xff" * 10, "text/plain") for n in names}
        sweep.post(target, files, "(files)", multipart=True)
        own = sweep.post(target, baseline, "(the page's own values)", multipart=True)
        # The deep values get past the form only where the rest of it is valid: the page's
        # values accepted (a redirect), one field changed at a time.
        if own is not None and (own.status_code == 302 or target.name in SHOWS_RESULT):
            sweep.deep.append(target.name)
            for name in (n for n in names if n in typed):
                for label in DEEP:
                    data = {**baseline, name: HOSTILE[label]}
                    sweep.post(target, data, f"({name}={label})", multipart=True)
    sweep.raw(target, "POST", b'{"a": [1, 2', "application/json", "(malformed JSON)")
    sweep.raw(
        target,
        "POST",
        b"--x\r\nContent-Disposition: form-data; name\r\n\r\n",
        "multipart/form-data; boundary=x",
        "(broken multipart)",
    )
    sweep.raw(target, "POST", b"--x\r\n", "multipart/form-data", "(multipart without boundary)")
    sweep.raw(
        target,
        "POST",
        b"a=%FF%FE&%C0%AF=1&b=%&c=%00",
        "application/x-www-form-urlencoded",
        "(form not UTF-8)",
    )
    sweep.raw(
        target,
        "POST",
        "&".join(["k=v"] * 1200).encode(),
        "application/x-www-form-urlencoded",
        "(too many fields)",
    )


def sweep_api_body(sweep: Sweep, target: Target) -> None:
    """The JSON body of POST /api/v1/applications: each field with each value and each wrong
    type, and bodies that are not a JSON object."""
    baseline = {**APPLICANT, "agency": "civil"}
    wrong_types = [1, -(10**30), 1.5, True, None, [], ["x"], {}, {"a": 1}]
    for name in [*baseline, "unknown_field"]:
        for label, value in HOSTILE.items():
            body = json.dumps({**baseline, name: value})
            sweep.raw(target, "POST", body.encode(), "application/json", f"({name}={label})")
        for value in wrong_types:
            body = json.dumps({**baseline, name: value})
            sweep.raw(target, "POST", body.encode(), "application/json", f"({name}={value!r})")
    bodies = [
        b'{"a": [1, 2',
        b"[]",
        b"1",
        b'"text"',
        b"null",
        b"NaN",
        b'{"a": Infinity}',
        b"[" * 100_000,
        b"\xff\xfe{}",
        b'{"name": "\\ud800"}',
        b"",
    ]
    for body in bodies:
        sweep.raw(target, "POST", body, "application/json", f"(body {body[:20]!r})")
    for content_type in ("application/json; charset=latin-1", "text/plain", "application/xml"):
        sweep.raw(target, "POST", b"{}", content_type, f"(as {content_type})")


def sweep_methods(sweep: Sweep, target: Target, methods=("PUT", "DELETE", "QUERY")) -> None:
    for method in methods:
        sweep.raw(target, method, b"x=1", "application/x-www-form-urlencoded", "")


# Downloads that take a second each to render: their GET and path sweep is enough.
SLOW = re.compile(r"\.pdf$|/download/pdf/$")
# Posting to these ends or rotates the session; the sweep keeps the clients' own.
POSTED = {"office:logout"}
STEPS = {"office:case_step", "office:item_step", "office:report_step"}


@pytest.fixture
def world(county):
    # Thousands of 4xx, each logged by Django (with a traceback for a suspicious one) and by
    # the request log.
    names = ("django.request", "django.security", "gongkai.request")
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield build_world(county)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def _report(sweep: Sweep, started: float) -> str:
    figures = (
        f"{len(sweep.problems)} problems in {sweep.sent} requests "
        f"({time.monotonic() - started:.1f} s; statuses {dict(sorted(sweep.statuses.items()))})"
    )
    print(figures)
    listed = "\n".join(str(p) for p in sweep.problems[:60])
    return f"{figures}\n{listed}"


def test_every_route_is_swept(world):
    """A new URL with no entry in the sweep makes this fail; so does a view that reads a GET
    parameter the sweep does not send it."""
    swept = {t.name for t in targets(world)}
    routed = routes()
    assert set(routed) - swept == set()
    for name, callback in routed.items():
        assert read_parameters(callback) <= set(PARAMS.get(name, ())), name


@pytest.mark.parametrize("part", ["public", "office", "forms"])
def test_hostile_input_never_breaks_a_page(world, part):
    sweep = Sweep(world.county, valid_values(world))
    started = time.monotonic()
    for target in targets(world):
        office = target.persona is not None
        if part == "public" and not office:
            sweep.query(target, "", "(as it is)")
            sweep_parameters(sweep, target)
            sweep_path(sweep, target)
            sweep_methods(sweep, target)
            if target.name in ("api:applications", "api:applications/"):
                sweep_api_body(sweep, target)
            elif target.form_page:
                sweep_form(sweep, target)
        elif part == "office" and office:
            sweep.query(target, "", "(as it is)")
            if target.name in STEPS:
                continue  # POST only: the forms part sends them everything
            if not SLOW.search(target.path):
                sweep_parameters(sweep, target)
                sweep_methods(sweep, target, ("PUT",))  # the views tell no other apart
            sweep_path(sweep, target)
            # The same addresses for a visitor who is not logged in: the way to the login.
            sweep.send(
                dataclasses.replace(target, persona=None),
                "GET",
                target.path + "?next=%FF&" + urlencode({"q": HOSTILE["long"]}),
                "(anon)",
            )
        elif part == "forms" and office and not SLOW.search(target.path):
            if target.name in POSTED:
                continue
            if target.form_page or target.fields:
                sweep_form(sweep, target)
    summary = _report(sweep, started)
    print(f"forms accepted with the page's own values, swept a field at a time: {sweep.deep}")
    assert not sweep.problems, summary
    # The sweep must reach what it sweeps: pages answering, forms getting past validation.
    assert sweep.statuses.get(200, 0) > 200
    if part == "forms":
        assert len(sweep.deep) >= 30, sweep.deep


def test_logout_and_login_with_hostile_input(world):
    """The two forms that change who is logged in, each in a client of its own."""
    started = time.monotonic()
    sweep = Sweep(world.county)
    for label, value in HOSTILE.items():
        target = Target("office:login", reverse("office:login"), "anonymous")
        sweep.post(target, {"username": value, "password": value}, f"({label})", multipart=False)
        sweep.post(
            target, {"username": "clerk", "password": value}, f"(password {label})", multipart=True
        )
        next_url = reverse("office:login") + "?" + urlencode({"next": value})
        sweep.send(
            target,
            "POST",
            next_url,
            f"(next={label})",
            data=urlencode({"username": "clerk", "password": "test-password-123"}),
            content_type="application/x-www-form-urlencoded",
        )
    logout = Target("office:logout", reverse("office:logout"), "clerk")
    sweep.send(logout, "GET", logout.path, "(GET)")
    sweep.raw(logout, "POST", b"next=%FF", "application/x-www-form-urlencoded", "(next)")
    summary = _report(sweep, started)
    assert not sweep.problems, summary


def test_a_form_without_its_security_token_is_refused_in_chinese(county):
    """The CSRF check: a page's form posted without the token is a Chinese 403; the API's
    endpoints never ask for one."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.clerk)
    response = client.post(reverse("office:case_create", args=[county.civil.pk]), {})
    assert response.status_code == 403
    text = response.content.decode()
    assert CHINESE.search(text) and "Forbidden" not in text
    for path in (reverse("api:items"), reverse("api:reports"), reverse("api:openapi")):
        response = client.put(path)
        assert response.status_code == 405 and "errors" in response.json()


# What the sweep found, one line each (the sweep would find each again): (who, method, address,
# JSON body, the status now, a phrase of the Chinese answer).
FOUND = [
    (None, "GET", "/api/v1/items?page=" + "9" * 10_000, None, 400, "页码应为"),
    (None, "GET", "/search/?page=" + "9" * 10_000, None, 200, "检索"),
    ("sysadmin", "GET", "/office/agencies/new/?parent=²", None, 200, "新建"),
    (None, "GET", "/org/" + "a" * 300 + "/", None, 404, "页面不存在"),
    ("clerk", "GET", "/office/logout/", None, 405, "不支持 GET 请求"),
    ("clerk", "GET", "/office/agencies/{pk}/people/grant/", None, 405, "只支持 POST"),
    (None, "GET", "/api/v1/no-such-thing", None, 404, "没有这个接口地址"),
    (None, "GET", "/api/v1/applications/a/b", None, 404, "没有这个接口地址"),
    (None, "GET", "/api/v1/reports?subtree=yes", None, 400, "subtree 应为 0 或 1"),
    (None, "POST", "/api/v1/applications", {"agency": "a\x00b"}, 400, "不可见的控制字符"),
]


@pytest.mark.parametrize(("persona", "method", "path", "body", "status", "phrase"), FOUND)
def test_what_the_sweep_found(county, persona, method, path, body, status, phrase):
    sweep = Sweep(county)
    target = Target("found", path.format(pk=county.civil.pk), persona)
    kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
    response = sweep.send(target, method, target.path, "", **kwargs)
    assert not sweep.problems, sweep.problems
    assert response.status_code == status
    assert phrase in response.content.decode()


def test_a_login_name_with_spaces_and_markup_is_only_a_wrong_login(db):
    """The name is part of the rate limit's key: hashed, never a cache key of its own."""
    client = Client()
    response = client.post(reverse("office:login"), {"username": "a b <c>\x01", "password": "x"})
    assert response.status_code == 200 and CHINESE.search(response.content.decode())
