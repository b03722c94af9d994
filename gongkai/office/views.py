"""The staff back office. Every view fetches its agency through an access check first."""

from __future__ import annotations

import unicodedata

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies import access, services
from gongkai.agencies.models import Agency, Membership, Role
from gongkai.agencies.shortcuts import agency_context, agency_for
from gongkai.applications.models import OPEN_STATUSES
from gongkai.applications.services import can_handle
from gongkai.applications.suggestions import publication_suggestions
from gongkai.core import params, ratelimit
from gongkai.history import kinds
from gongkai.history.models import Event, record
from gongkai.law import categories
from gongkai.office import queue
from gongkai.office.forms import (
    AgencyCreateForm,
    AgencyProfileAdminForm,
    AgencyProfileForm,
    RevokeForm,
    RoleGrantForm,
    StaffCreateForm,
    grantable_roles,
)


@login_required
def dashboard(request):
    access.require(access.is_staff_user(request.user))
    today = timezone.localdate()
    agencies = (
        access.readable_agencies(request.user)
        .annotate(
            open_cases=Count("applications", filter=Q(applications__status__in=OPEN_STATUSES)),
            overdue_cases=Count(
                "applications",
                filter=Q(
                    applications__status__in=OPEN_STATUSES,
                    applications__reply_due__lt=today,
                ),
            ),
        )
        .order_by("path")
    )
    rows = [
        {
            "agency": agency,
            "roles": sorted(access.roles_in(request.user, agency), key=list(Role).index),
            # A handler's agency opens on its cases; the profile is a link beside it.
            "handles": can_handle(request.user, agency),
        }
        for agency in agencies
    ]
    return render(
        request,
        "office/dashboard.html",
        {
            "rows": rows,
            "is_system_admin": access.is_system_admin(request.user),
            "queues": queue.for_user(request.user, today),
        },
    )


@login_required
def agency_detail(request, pk):
    agency = agency_for(request, pk)
    context = agency_context(request, agency, "profile")
    context["children"] = access.readable_agencies(request.user).filter(parent=agency)
    if can_handle(request.user, agency):
        context["suggestions"] = publication_suggestions(agency, timezone.localdate())
        context["many_applicants"] = categories.MANY_APPLICANTS
    return render(request, "office/agency_detail.html", context)


@login_required
def agency_edit(request, pk):
    agency = agency_for(request, pk, admin=True)
    # A system administrator also sets the level (a structural field); an agency's own
    # administrator keeps the data of the 指南.
    form_class = (
        AgencyProfileAdminForm if access.is_system_admin(request.user) else AgencyProfileForm
    )
    # The form works on its own copy so that a rejected POST does not change the page heading.
    form = form_class(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form_class.Meta.fields}
        services.update_agency(
            request.user,
            Agency.objects.get(pk=agency.pk),
            changes,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "机关信息已保存，政府信息公开指南已随之更新。")
        return redirect("office:agency", pk=agency.pk)
    context = agency_context(request, agency, "profile")
    context["form"] = form
    return render(request, "office/agency_edit.html", context)


@login_required
def agency_create(request):
    access.require(access.is_system_admin(request.user))
    initial = {}
    try:
        parent_id = params.identifier(request.GET.get("parent"))
    except params.BadParameter:
        parent_id = None  # an odd ?parent= offers no parent, as without one
    if parent_id is not None:
        initial["parent"] = get_object_or_404(Agency, pk=parent_id)
    form = AgencyCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        agency = services.create_agency(request.user, **form.cleaned_data)
        messages.success(request, f"已新建 {agency.name}。")
        return redirect("office:agency", pk=agency.pk)
    return render(request, "office/agency_create.html", {"form": form})


@login_required
def people(request, pk):
    agency = agency_for(request, pk)
    memberships = (
        Membership.objects.filter(agency=agency).select_related("user").order_by("user__username")
    )
    people_rows: dict[int, dict] = {}
    for membership in memberships:
        row = people_rows.setdefault(
            membership.user_id, {"user": membership.user, "memberships": []}
        )
        row["memberships"].append(membership)
    context = agency_context(request, agency, "people")
    context["people"] = list(people_rows.values())
    if context["can_administer"]:
        context["grant_form"] = RoleGrantForm(agency, roles=grantable_roles(request.user, agency))
    return render(request, "office/people.html", context)


@login_required
def person_create(request, pk):
    agency = agency_for(request, pk, admin=True)
    form = StaffCreateForm(request.POST or None, roles=grantable_roles(request.user, agency))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.create_staff_user(
            request.user,
            agency,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            password=data["password"],
            roles=[Role(r) for r in data["roles"]],
        )
        messages.success(request, f"已为 {data['full_name']} 建立账号。")
        return redirect("office:people", pk=agency.pk)
    context = agency_context(request, agency, "people")
    context["form"] = form
    return render(request, "office/person_create.html", context)


@login_required
@require_POST
def role_grant(request, pk):
    """Give a person who already works in this agency another role here."""
    agency = agency_for(request, pk, admin=True)
    form = RoleGrantForm(agency, request.POST, roles=grantable_roles(request.user, agency))
    if not form.is_valid():
        messages.error(request, "请选择本机关的工作人员和要授予的角色。")
        return redirect("office:people", pk=agency.pk)
    user, role = form.cleaned_data["user"], Role(form.cleaned_data["role"])
    services.grant_role(request.user, agency, user, role)
    messages.success(request, f"已授予 {user.username} 角色：{role.label}。")
    return redirect("office:people", pk=agency.pk)


@login_required
@require_POST
def role_revoke(request, pk, membership_pk):
    agency = agency_for(request, pk, admin=True)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "agency"), pk=membership_pk, agency=agency
    )
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤销角色需要填写理由。")
        return redirect("office:people", pk=agency.pk)
    services.revoke_role(request.user, membership, reason=form.cleaned_data["reason"])
    messages.success(
        request, f"已撤销 {membership.user.username} 的角色：{membership.get_role_display()}。"
    )
    return redirect("office:people", pk=agency.pk)


@login_required
def history(request, pk):
    agency = agency_for(request, pk)
    events = Event.objects.filter(agency=agency).order_by("-at", "-id")
    # Filtered by kind (gongkai.history.kinds); a kind that is not one shows everything.
    chosen = request.GET.get("kind", "")
    if chosen in kinds.KINDS:
        events = events.filter(action=chosen)
    else:
        chosen = ""
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = agency_context(request, agency, "history")
    context.update(
        page=page,
        kinds=sorted(kinds.KINDS.values(), key=lambda k: k.code),
        chosen=chosen,
    )
    return render(request, "office/history.html", context)


LOGIN_LIMIT_PER_ADDRESS = 30  # attempts per 15 minutes
LOGIN_LIMIT_PER_ACCOUNT = 10


class LoginView(auth_views.LoginView):
    """The staff login, with a limit on attempts per address, and per account name from each
    address, so that passwords cannot be guessed at speed. The account is counted as
    authentication reads it (NFKC: ｍｚｊ-ｈｅａｄ is mzj-head), and per address, so that
    nobody can lock a colleague out by failing logins in their name from elsewhere."""

    template_name = "office/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        address = ratelimit.client_address(request)
        name = unicodedata.normalize("NFKC", request.POST.get("username", "")[:150])
        account = f"{name.strip().lower()}@{address}"
        if not (
            ratelimit.hit("login-address", address, limit=LOGIN_LIMIT_PER_ADDRESS, window=900)
            and ratelimit.hit("login-account", account, limit=LOGIN_LIMIT_PER_ACCOUNT, window=900)
        ):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, "登录尝试过于频繁，请15分钟后再试。")
            context = self.get_context_data(form=form, throttled=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """A staff member changes their own password; the change is recorded (never the
    password), like every other change to an account."""

    template_name = "office/password_change.html"
    success_url = "/office/password/done/"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        record(user, "account.password_change", user, summary=f"{user.username} 修改了自己的密码")
        return response
