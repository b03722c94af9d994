"""找回查询码: an applicant who lost the query code (or never received it) asks for a new one
with the application's number and the e-mail address it gave; a link goes to that address,
and opening it (then confirming, so that a mail scanner following links changes nothing)
shows a new code. The page says the same whether or not the two matched, so that it tells no
one which numbers exist or which address an application gave. Applicants without an e-mail
address ask the office, which checks who they are (the case file's 重新生成查询码)."""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gongkai.applications import notify, services
from gongkai.core import ratelimit
from gongkai.jobs import engine
from gongkai.portal.views import _site_agency

PER_ADDRESS = 5  # requests an hour from one client address
PER_APPLICATION = 3  # links a day for one application


class LostCodeForm(forms.Form):
    number = forms.CharField(
        label="申请编号",
        max_length=40,
        error_messages={"max_length": "申请编号不超过 40 个字符，如 2026-0002-00015。"},
    )
    email = forms.CharField(
        label="申请时填写的电子邮箱",
        max_length=254,
        error_messages={"max_length": "电子邮箱地址不超过 254 个字符。"},
    )

    def clean_number(self):
        return unicodedata.normalize("NFKC", self.cleaned_data["number"]).strip()

    def clean_email(self):
        # Letters typed in full width by a Chinese input method are the same address.
        email = unicodedata.normalize("NFKC", self.cleaned_data["email"]).strip()
        try:
            validate_email(email)
        except ValidationError:
            raise forms.ValidationError("请填写有效的电子邮箱地址，如 name@example.com。") from None
        return email


def _page(request, template: str, context: dict, status: int = 200):
    response = render(request, template, {"agency": _site_agency(), **context}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def ask(request):
    if request.method != "POST":
        return _page(request, "portal/lost_code.html", {"form": LostCodeForm()})
    form = LostCodeForm(request.POST)
    if not form.is_valid():
        return _page(request, "portal/lost_code.html", {"form": form}, status=400)
    if not ratelimit.hit(
        "lost-code", ratelimit.client_address(request), limit=PER_ADDRESS, window=3600
    ):
        form.add_error(None, "请求过于频繁，请一小时后再试。")
        return _page(request, "portal/lost_code.html", {"form": form}, status=429)
    number = form.cleaned_data["number"]
    found = services.code_link_for(number, form.cleaned_data["email"])
    params = {}
    if found is not None and ratelimit.hit(
        "lost-code-application", number, limit=PER_APPLICATION, window=86400
    ):
        application, token = found
        link = request.build_absolute_uri(reverse("portal:lost_code_use", args=[token]))
        params = {"application": application.pk, "link": link}
    # The mail goes from a background job, and a job is queued whether or not the number and
    # address matched (an empty one then sends nothing): the answer takes the same time and
    # reads the same either way, so it tells no one which numbers or addresses exist.
    engine.submit(None, "mail.code_link", title="找回查询码邮件", params=params)
    return _page(request, "portal/lost_code_sent.html", {})


def run_send_link(job, progress) -> dict:
    """The job that mails the link (jobs.engine.KINDS). The link is a key to a new code for
    an hour: once sent, it is wiped from the job's row."""
    from gongkai.applications.models import Application
    from gongkai.jobs.models import Job

    params = job.params or {}
    application = Application.objects.filter(pk=params.get("application")).first()
    sent = False
    if application is not None and params.get("link"):
        progress.stage("发送邮件", total=1)
        sent = notify.send_code_link(application, params["link"])
        progress.advance()
    Job.objects.filter(pk=job.pk).update(params={})
    return {"sent": sent}


def anyone(user, agency) -> bool:
    """Anyone may ask for the link (the mail, not the asking, proves who they are)."""
    return True


@require_http_methods(["GET", "POST"])
def use(request, token):
    if request.method != "POST":
        application = services.application_for_code_link(token)
        status = 200 if application else 400
        return _page(
            request, "portal/lost_code_use.html", {"application": application}, status=status
        )
    done = services.reissue_code_by_link(token)
    if done is None:
        return _page(request, "portal/lost_code_use.html", {"application": None}, status=400)
    application, code = done
    return _page(request, "portal/lost_code_use.html", {"application": application, "code": code})
