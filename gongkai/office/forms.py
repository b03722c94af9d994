from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.services import CONTACT_FIELDS, PROFILE_FIELDS
from gongkai.law import categories


def _website_field():
    return forms.URLField(label="互联网联系方式（网站）", required=False, assume_scheme="https")


class _LevelCheck:
    """The agency's level fits its kind (条例第二十一条, law.categories.level_problem)."""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind", self.instance.kind)
        level = cleaned.get("level")
        if kind and level:
            problem = categories.level_problem(kind, level)
            if problem:
                self.add_error("level", problem)
        return cleaned


class AgencyProfileForm(forms.ModelForm):
    """What an agency administrator keeps up to date: the data of the 指南."""

    website = _website_field()
    reason = forms.CharField(label="修改说明", required=False, max_length=200)

    class Meta:
        model = Agency
        fields = CONTACT_FIELDS


class AgencyProfileAdminForm(_LevelCheck, AgencyProfileForm):
    """The same for a system administrator, who also sets the agency's level (which part of
    条例第二十一条 it publishes under)."""

    class Meta(AgencyProfileForm.Meta):
        fields = [*CONTACT_FIELDS, "level"]


class AgencyCreateForm(_LevelCheck, forms.ModelForm):
    website = _website_field()

    class Meta:
        model = Agency
        fields = [f for f in PROFILE_FIELDS if f != "is_active"]


def grantable_roles(user, agency: Agency) -> list[tuple[str, str]]:
    from gongkai.agencies import access

    return [(r.value, r.label) for r in Role if access.can_grant(user, agency, r)]


class StaffCreateForm(forms.Form):
    username = forms.RegexField(
        label="登录名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": "登录名只能包含英文字母、数字和 _ . -。"},
    )
    full_name = forms.CharField(label="姓名", max_length=150)
    email = forms.EmailField(label="电子邮箱", required=False)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput,
        strip=False,
        help_text="至少 8 位，不能全是数字；请当面告知本人并提醒其登录后修改。",
    )
    roles = forms.MultipleChoiceField(
        label="角色",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = roles

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError("该登录名已被使用。")
        return username

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            user = get_user_model()(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("full_name", ""),
            )
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(label="撤销理由", max_length=200)


class RoleGrantForm(forms.Form):
    user = forms.ModelChoiceField(label="工作人员", queryset=None)
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def __init__(self, agency: Agency, *args, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        # Only people who already hold a role here: an agency's administrator does not reach
        # into other agencies' staff lists.
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__agency=agency)
            .distinct()
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}（{u.username}）"
        )
