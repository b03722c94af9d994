"""Letters in the back office: download a case's letters; read and edit the agency's templates.

Every view fetches its agency through an access check first: reading (downloading a letter,
listing the templates) needs ``can_read``; changing a template needs ``can_administer``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from gongkai.agencies.shortcuts import agency_context, agency_for
from gongkai.applications.shortcuts import case_for
from gongkai.letters import defaults, documents, placeholders, services
from gongkai.letters.forms import LetterTemplateForm
from gongkai.letters.models import Kind, LetterTemplate

FORMATS = {
    "docx": (documents.to_docx, documents.DOCX_CONTENT_TYPE),
    "pdf": (documents.to_pdf, documents.PDF_CONTENT_TYPE),
}


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise Http404("没有这种文书。") from None


def _query_url(request) -> str:
    return request.build_absolute_uri("/status/")


@login_required
def case_letters(request, pk):
    """The letters this case needs now, with download links."""
    application = case_for(request, pk)
    context = agency_context(request, application.agency, "letters")
    context.update(
        application=application,
        letters=documents.available(application),
        warnings=documents.warnings(application.agency),
    )
    return render(request, "letters/case_letters.html", context)


@login_required
def download(request, pk, kind, fmt):
    """One letter of one case as DOCX or PDF. Reading changes nothing: no event is recorded."""
    application = case_for(request, pk)
    kind = _kind(kind)
    if fmt not in FORMATS:
        raise Http404("文书只提供 DOCX 和 PDF 格式。")
    try:
        letter = documents.render(application, kind, query_url=_query_url(request))
    except documents.LetterNotAvailable as exc:
        raise Http404(str(exc)) from None
    make, content_type = FORMATS[fmt]
    response = HttpResponse(make(letter), content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition_header(
        True, f"{letter.filename}.{fmt}"
    )
    # The letter carries the applicant's name and address: no shared cache may keep it.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@login_required
def template_list(request, pk):
    agency = agency_for(request, pk)
    edited = {
        row.kind: row
        for row in LetterTemplate.objects.filter(agency=agency).select_related("updated_by")
    }
    rows = [
        {
            "kind": kind,
            "title": edited[kind].title if kind in edited else defaults.title(kind),
            "edited": edited.get(kind),
        }
        for kind in Kind
    ]
    context = agency_context(request, agency, "letters")
    context.update(rows=rows, warnings=documents.warnings(agency))
    return render(request, "letters/template_list.html", context)


@login_required
def template_edit(request, pk, kind):
    agency = agency_for(request, pk, admin=True)
    kind = _kind(kind)
    row = LetterTemplate.objects.filter(agency=agency, kind=kind).first()
    title, body = (row.title, row.body) if row else (defaults.title(kind), defaults.body(kind))
    form = LetterTemplateForm(kind, request.POST or None, initial={"title": title, "body": body})
    preview = None
    if request.method == "POST":
        if "reset" in request.POST:
            if services.reset_template(request.user, agency, kind):
                messages.success(request, f"“{kind.short_name}”已恢复为系统默认模板。")
            else:
                messages.info(request, f"“{kind.short_name}”本来就是系统默认模板。")
            return redirect("office:letter_templates", pk=agency.pk)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = documents.preview(
                    agency, kind, data["title"], data["body"], query_url=_query_url(request)
                )
            else:
                saved = services.save_template(
                    request.user, agency, kind, data["title"], data["body"]
                )
                if saved is None:
                    messages.info(request, f"“{kind.short_name}”没有改动，未保存。")
                else:
                    messages.success(request, f"“{kind.short_name}”模板已保存。")
                return redirect("office:letter_templates", pk=agency.pk)
    elif request.GET.get("preview"):
        preview = documents.preview(agency, kind, title, body, query_url=_query_url(request))
    context = agency_context(request, agency, "letters")
    context.update(
        kind=kind,
        form=form,
        edited=row,
        placeholders=placeholders.allowed(kind),
        preview=preview,
        warnings=documents.warnings(agency, kind),
    )
    return render(request, "letters/template_edit.html", context)
