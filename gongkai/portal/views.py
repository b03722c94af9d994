"""The public 政府信息公开 column. Everything here is readable without an account and shows only
what is public: an inactive agency does not exist for the public."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from gongkai.agencies.models import Agency
from gongkai.applications import applicant_access, services
from gongkai.applications.forms import PublicApplicationForm
from gongkai.applications.models import Application, CaseKind
from gongkai.catalog.models import Attachment, Validity
from gongkai.core import ratelimit, uploads
from gongkai.law import categories
from gongkai.notices import steps
from gongkai.portal import annual_reports as public_reports
from gongkai.portal import queries, searching
from gongkai.portal.cache import cached_page


def _get_public_agency(slug: str) -> Agency:
    return get_object_or_404(Agency.objects.public().select_related("parent"), slug=slug)


def _site_agency() -> Agency | None:
    """The agency whose column the site's home page shows: ``GONGKAI_SITE_AGENCY`` (a slug) or
    the first top-level agency."""
    agencies = Agency.objects.public()
    if settings.SITE_AGENCY:
        return agencies.filter(slug=settings.SITE_AGENCY).first()
    return agencies.filter(parent__isnull=True).order_by("position", "pk").first()


def _column_context(agency: Agency, section: str) -> dict:
    return {"agency": agency, "section": section}


@cached_page
def home(request):
    agency = _site_agency()
    if agency is None:
        return render(request, "portal/empty_site.html", status=200)
    return _render_agency_home(request, agency)


@cached_page
def agency_home(request, slug):
    return _render_agency_home(request, _get_public_agency(slug))


def _render_agency_home(request, agency: Agency):
    subordinates = agency.children.public().order_by("kind", "position", "pk")
    context = _column_context(agency, "home")
    context["departments"] = [a for a in subordinates if a.kind in ("department", "other")]
    context["townships"] = [
        a for a in subordinates if a.kind in ("township", "street", "government")
    ]
    return render(request, "portal/agency_home.html", context)


@cached_page
def guide(request, slug):
    """政府信息公开指南, generated from the agency's own data (条例第十二条)."""
    agency = _get_public_agency(slug)
    context = _column_context(agency, "guide")
    context["categories"] = agency.proactive_categories
    return render(request, "portal/guide.html", context)


@cached_page
def rules(request, slug):
    agency = _get_public_agency(slug)
    return render(request, "portal/rules.html", _column_context(agency, "rules"))


@cached_page
def content(request, slug):
    agency = _get_public_agency(slug)
    context = _column_context(agency, "content")
    context["categories"] = agency.proactive_categories
    context["overview"] = queries.content_overview(agency)
    return render(request, "portal/content.html", context)


# The column's 年报 pages (list, report, files) are in gongkai.portal.annual_reports.

# Five attachments of 10 MB and the text fields; a bigger body is refused before it is read.
MAX_BODY = 5 * 10 * 1024 * 1024 + 1024 * 1024


def apply(request, slug):
    """The online application form (条例第二十九条). A submission is received in law only when
    the office confirms it (第三十一条), which the receipt says."""
    agency = _get_public_agency(slug)
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            messages.error(
                request, "提交的内容过大：附件合计不能超过 50 MB。请减少附件后重新填写提交。"
            )
            return _apply_page(request, agency, _blank_form(), status=413)
        address = ratelimit.client_address(request)
        attempts_ok = ratelimit.hit(
            "apply-attempt", address, limit=services.ATTEMPT_LIMIT, window=services.APPLY_WINDOW
        )
        # A place among the address's applications of the hour is taken before the work and
        # given back if the application is not made: concurrent posts cannot all slip in.
        with ratelimit.Reservation(
            "apply", address, limit=services.APPLY_LIMIT, window=services.APPLY_WINDOW
        ) as place:
            if not (attempts_ok and place.allowed):
                form = PublicApplicationForm(request.POST)
                form.is_valid()
                form.add_error(
                    None,
                    f"提交过于频繁：同一网络每小时最多提交 {services.APPLY_LIMIT} 件申请，"
                    "请稍后再试。您填写的内容仍在下方（附件需重新选择）。",
                )
                return _apply_page(request, agency, form, status=429)
            form = PublicApplicationForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    application, code = services.submit_online(
                        agency, data, token=data["token"], files=data["attachments"]
                    )
                except services.CaseError as exc:
                    form.add_error(None, str(exc))
                else:
                    if not code:
                        messages.info(
                            request,
                            f"这份申请已经提交过（编号 {application.tracking_number}），没有重复"
                            "登记。查询码已在第一次提交时显示并发送到您的邮箱。",
                        )
                        return redirect("portal:status")
                    place.keep()
                    steps.receipt(application, code)
                    _hold_receipt(request, application.tracking_number, code)
                    # The applicant who just applied may open the case page from here.
                    applicant_access.grant(request.session, application)
                    return redirect("portal:apply_done", slug=agency.slug)
            return _apply_page(request, agency, form, status=400)
    return _apply_page(request, agency, _blank_form(request.GET.get("kind", "")))


def _blank_form(kind: str = ""):
    # ?kind=record_correction: the form for a 更正申请 (条例第四十一条).
    kind = kind if kind == CaseKind.RECORD_CORRECTION else CaseKind.DISCLOSURE
    return PublicApplicationForm(
        initial={"token": uuid.uuid4().hex, "applicant_type": "natural_person", "kind": kind}
    )


def _apply_page(request, agency, form, status=200):
    context = _column_context(agency, "apply")
    context["form"] = form
    return render(request, "portal/apply.html", context, status=status)


# How long the plain query code waits for the receipt page to show it, once.
RECEIPT_SECONDS = 600


def _hold_receipt(request, number: str, code: str) -> None:
    """Keep the new query code for the receipt page: in the cache for ten minutes under a
    random key that only this visitor's session holds, never in the session table (which
    lives for hours in the database). The database keeps only the code's hash."""
    key = secrets.token_urlsafe(24)
    # The store that never evicts (the rate-limit counters'): a flood of pages cannot push
    # the receipt out before it is shown.
    caches["ratelimit"].set(
        f"receipt:{key}", {"number": number, "code": code}, timeout=RECEIPT_SECONDS
    )
    request.session["receipt"] = key


def _take_receipt(request) -> dict | None:
    key = request.session.pop("receipt", None)
    if not isinstance(key, str):
        return None
    receipt = caches["ratelimit"].get(f"receipt:{key}")
    caches["ratelimit"].delete(f"receipt:{key}")
    return receipt


def paper_form(request, slug):
    """The 申请表 to print, fill in by hand and hand in or post (PDF)."""
    from django.template.loader import render_to_string

    from gongkai.core import pdf
    from gongkai.law import periods

    agency = _get_public_agency(slug)
    html = render_to_string(
        "portal/paper_form.html",
        {
            "agency": agency,
            "reply_days": periods.REPLY_DAYS,
            "apply_url": request.build_absolute_uri(reverse("portal:apply", args=[agency.slug])),
        },
    )
    response = HttpResponse(
        pdf.from_html(html, render_to_string("portal/paper_form.css")),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = content_disposition_header(
        False, f"政府信息公开申请表-{agency.name}.pdf"
    )
    return response


def apply_done(request, slug):
    """The receipt: shown once, right after the submission (the query code is not kept)."""
    agency = _get_public_agency(slug)
    receipt = _take_receipt(request)
    if receipt is None:
        return redirect("portal:status")
    context = _column_context(agency, "apply")
    context["receipt"] = receipt
    application = Application.objects.filter(tracking_number=receipt["number"]).first()
    context["application"] = application
    response = render(request, "portal/apply_done.html", context)
    response["Cache-Control"] = "no-store"
    return response


# --- the published catalog --------------------------------------------------------------


def _category_for(agency: Agency, key: str) -> categories.Category:
    for category in agency.proactive_categories:
        if category.key == key:
            return category
    raise Http404("没有这一类别。")


@cached_page
def category(request, slug, key):
    """One category of 法定主动公开内容: the agency's public items, newest first."""
    agency = _get_public_agency(slug)
    found = _category_for(agency, key)
    items = queries.public_items(agency).filter(listed_category=found.key)
    context = _column_context(agency, "content")
    context["category"] = found
    context["page"] = Paginator(items, queries.PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/category.html", context)


def _withdrawn(request, agency: Agency, item) -> HttpResponse:
    context = _column_context(agency, "content")
    context["item"] = item
    return render(request, "portal/item_withdrawn.html", context, status=410)


@cached_page
def item(request, slug, pk):
    """The page of one public item: its catalog metadata, its text and its attachments. A
    withdrawn item answers 410 and says when; anything else that is not public is not there."""
    agency = _get_public_agency(slug)
    found, withdrawn = queries.public_item(agency, pk)
    if found is None:
        raise Http404("没有这条信息。")
    if withdrawn:
        return _withdrawn(request, agency, found)
    revision = found.published
    context = _column_context(agency, "content")
    context.update(
        item=found,
        revision=revision,
        category=queries.category_of(revision.category),
        attachments=list(revision.attachments.all()),
    )
    return render(request, "portal/item.html", context)


# Types a browser would run or render as a page: served as plain bytes (always as a download).


def item_file(request, slug, pk, attachment_pk):
    """An attachment of the published text of a public item, as a download under its own name.
    Attachments of a draft or of an older revision are not served."""
    agency = _get_public_agency(slug)
    found, withdrawn = queries.public_item(agency, pk)
    if found is None:
        raise Http404("没有这条信息。")
    if withdrawn:
        return _withdrawn(request, agency, found)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, revision_id=found.published_id)
    return uploads.download(attachment)


# --- sitemap ------------------------------------------------------------------------------

SITEMAP_MAX_URLS = 50_000  # per file (sitemaps.org); more make an index of several files
COLUMN_PAGES = ("portal:agency", "portal:guide", "portal:rules", "portal:content", "portal:reports")


def _column_urls() -> list[tuple[str, object]]:
    agencies = list(Agency.objects.public().order_by("path", "pk"))
    with_items = set(
        queries.public_items().order_by().values_list("agency_id", "listed_category").distinct()
    )
    urls: list[tuple[str, object]] = []
    for agency in agencies:
        urls.extend((reverse(name, args=[agency.slug]), None) for name in COLUMN_PAGES)
        for found in agency.proactive_categories:
            if (agency.pk, found.key) in with_items:
                urls.append((reverse("portal:category", args=[agency.slug, found.key]), None))
    # The published annual reports (the column of 年报 is in COLUMN_PAGES).
    urls.extend(public_reports.sitemap_urls())
    return urls


def _item_urls(start: int, stop: int) -> list[tuple[str, object]]:
    rows = (
        queries.public_items()
        .order_by("pk")
        .values_list("pk", "agency__slug", "last_published_on")[start:stop]
    )
    return [(reverse("portal:item", args=[slug, pk]), day) for pk, slug, day in rows]


@cached_page
def sitemap(request):
    """/sitemap.xml: every active agency's column pages and every public item. Past 50,000 URLs
    it is a sitemap index whose files are /sitemap.xml?p=1, ?p=2, …"""
    columns = _column_urls()
    total = len(columns) + queries.public_items().count()
    files = max(1, -(-total // SITEMAP_MAX_URLS))
    part = request.GET.get("p")
    if part is None and files > 1:
        parts = [
            request.build_absolute_uri(f"{reverse('sitemap')}?p={n}") for n in range(1, files + 1)
        ]
        return _xml(request, "portal/sitemap_index.xml", {"parts": parts})
    try:
        number = int(part or 1)
    except ValueError:
        raise Http404("没有这一页。") from None
    if not 1 <= number <= files:
        raise Http404("没有这一页。")
    start, stop = (number - 1) * SITEMAP_MAX_URLS, number * SITEMAP_MAX_URLS
    urls = columns[start:stop]
    urls += _item_urls(max(0, start - len(columns)), max(0, stop - len(columns)))
    entries = [(request.build_absolute_uri(path), day) for path, day in urls]
    return _xml(request, "portal/sitemap.xml", {"entries": entries})


def _xml(request, template: str, context: dict) -> HttpResponse:
    return render(request, template, context, content_type="application/xml; charset=utf-8")


# --- search -------------------------------------------------------------------------------

SEARCH_LIMIT = 120  # searches per address and minute


def search(request):
    """检索: the public items of every active agency (or of one), by words and filters."""
    criteria, errors = searching.parse(request.GET, strict=False)
    agency = criteria.agency or _site_agency()
    if agency is None:
        return render(request, "portal/empty_site.html", status=200)
    context = _column_context(agency, "search")
    context.update(
        criteria=criteria,
        errors=[message for messages_ in errors.values() for message in messages_],
        agencies=Agency.objects.public().order_by("path", "pk"),
        categories=categories.BY_KEY.values(),
        years=[d.year for d in queries.public_items().dates("last_published_on", "year", "DESC")],
        validities=Validity.choices,
        found=None,
    )
    status = 400 if errors else 200
    if criteria.q and not errors:
        if not ratelimit.hit(
            "search", ratelimit.client_address(request), limit=SEARCH_LIMIT, window=60
        ):
            context["errors"] = ["检索过于频繁，请一分钟后再试。"]
            status = 429
        else:
            context["found"] = searching.find(criteria)
    return render(request, "portal/search.html", context, status=status)
