"""The application as the public, a clerk or the API submits it: every item of 第二十九条,
checked the same way wherever it comes from."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from gongkai.agencies import codes
from gongkai.applications.models import ApplicantType, CaseKind, Channel, Delivery, IdType
from gongkai.core import phones
from gongkai.core.forms import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, AttachmentsField, date_field
from gongkai.law import applicants, records
from gongkai.law.privacy import normalise_id, resident_id_problem

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# The two requests the form takes (条例第二十七条, 第四十一条), as the applicant reads them.
KIND_CHOICES = [
    (CaseKind.DISCLOSURE.value, "申请公开政府信息"),
    (CaseKind.RECORD_CORRECTION.value, "要求更正与本人相关的政府信息记录"),
]


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(
        label="申请事项",
        choices=KIND_CHOICES,
        required=False,
        initial=CaseKind.DISCLOSURE,
        widget=forms.RadioSelect,
        help_text="有证据证明行政机关提供的与本人（本单位）相关的政府信息记录不准确的，可以要求更正"
        f"（条例{records.ARTICLE}）。",
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=[(a.key, a.choice_label) for a in applicants.APPLICANTS],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="姓名或名称", max_length=200)
    id_type = forms.ChoiceField(
        label="身份证件类型",
        choices=[("", "—"), *IdType.choices],
        required=False,
        initial=IdType.RESIDENT_ID,
    )
    id_number = forms.CharField(label="身份证件号码", max_length=40, required=False)
    organisation_code = forms.CharField(
        label="统一社会信用代码", max_length=20, required=False, help_text="法人或其他组织填写。"
    )
    legal_representative = forms.CharField(
        label="法定代表人或负责人", max_length=100, required=False
    )
    contact_person = forms.CharField(label="联系人", max_length=100, required=False)
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="手机号码，或带区号的固定电话（如 0571-88888888）。",
    )
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        max_length=254,
        help_text="填写后，办理的每一步都会通知您，并附上告知书。",
    )
    fax = forms.CharField(
        label="传真号码",
        required=False,
        max_length=30,
        help_text="选择以传真获取信息时必填，带区号。",
    )
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    postcode = forms.RegexField(
        label="邮政编码",
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "邮政编码应为6位数字。"},
    )
    description = forms.CharField(
        label="所需政府信息的名称、文号或便于查询的其他特征性描述",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    # 第四十一条 "有证据证明": for a 更正申请, the evidence in writing or as attachments.
    evidence = forms.CharField(
        label=f"{records.EVIDENCE_LABEL}（要求更正政府信息记录时填写）",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
        help_text="写明证明该记录不准确的证据的名称和内容，或将证据作为附件上传（两者至少其一）。",
    )
    delivery = forms.ChoiceField(label="获取信息的方式", choices=Delivery.choices)
    # 第四十三条: the help an applicant with reading, sight or hearing difficulties needs. The
    # forms of the site and the office add the checkbox ``needs_assistance`` (assistance_field).
    assistance_requested = forms.CharField(
        label="需要的帮助",
        max_length=300,
        required=False,
        help_text="如：大字、读给我听、手语、电话沟通。本机关将为您提供必要的帮助"
        "（条例第四十三条）。",
    )

    # What browsers and phones need to fill in and type the fields (autocomplete tokens of
    # the HTML standard; inputmode picks the keyboard).
    INPUT_HINTS = {
        "name": {"autocomplete": "name"},
        "id_number": {"autocomplete": "off", "spellcheck": "false"},
        "organisation_code": {"autocomplete": "off", "spellcheck": "false"},
        "legal_representative": {"autocomplete": "off"},
        "contact_person": {"autocomplete": "name"},
        "phone": {"autocomplete": "tel", "inputmode": "tel"},
        "email": {"autocomplete": "email", "inputmode": "email"},
        "fax": {"autocomplete": "off", "inputmode": "tel"},
        "address": {"autocomplete": "street-address"},
        "postcode": {"autocomplete": "postal-code", "inputmode": "numeric"},
    }

    # Fields required only in some cases (``clean`` checks them): the mark says when, so that
    # the marks on the page match the rules.
    REQUIRED_WHEN = {
        "id_number": "自然人必填",
        "organisation_code": "法人或其他组织必填",
        "email": "以电子邮件获取信息时必填",
        "fax": "以传真获取信息时必填",
        "address": "邮寄纸质文本或光盘时必填",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, attrs in self.INPUT_HINTS.items():
            if name in self.fields:
                self.fields[name].widget.attrs.update(attrs)
        for name, when in self.REQUIRED_WHEN.items():
            if name in self.fields:
                self.fields[name].required_when = when
        if self.is_record_correction:
            # The same items of 第二十九条, read for a 更正申请 (第四十一条).
            self.fields["description"].label = records.DESCRIPTION_LABEL
            self.fields["evidence"].label = records.EVIDENCE_LABEL
            self.fields["delivery"].label = "答复的送达方式"
            if "attachments" in self.fields:
                self.fields["attachments"].label = "证据材料（附件）"
                self.fields["attachments"].help_text = (
                    "证明该记录不准确的材料及身份证明的扫描件；PDF、JPG、PNG 或 DOCX，每个不超过 "
                    f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB，最多 {MAX_ATTACHMENTS} 个。"
                )

    @property
    def is_record_correction(self) -> bool:
        value = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        return value == CaseKind.RECORD_CORRECTION

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if problem := phones.problem(phone):
            raise ValidationError(problem)
        return phone

    def clean_fax(self):
        fax = (self.cleaned_data.get("fax") or "").strip()
        if fax and not phones.is_landline(fax):
            raise ValidationError(phones.FAX_PROBLEM)
        return fax

    def clean(self):
        data = super().clean()
        for key, value in data.items():
            if isinstance(value, str):
                # Control characters break every document built from the text (DOCX is XML).
                data[key] = CONTROL_CHARACTERS.sub("", value)
        kind = data.get("applicant_type")
        if kind == ApplicantType.NATURAL_PERSON:
            id_type = data.get("id_type") or IdType.RESIDENT_ID
            data["id_type"] = id_type
            # Written as on the card or grouped (“110105 19491231 002X”), full-width or not.
            number = normalise_id(data.get("id_number") or "")
            if not number:
                self.add_error(
                    "id_number", "自然人申请须提供身份证明（第二十九条）：请填写证件号码。"
                )
            elif id_type == IdType.RESIDENT_ID and (problem := resident_id_problem(number)):
                self.add_error("id_number", problem)
            data["id_number"] = number
            data["organisation_code"] = ""
        elif kind:
            code = codes.normalise(data.get("organisation_code") or "")
            if not code:
                self.add_error(
                    "organisation_code", "法人或其他组织申请须提供统一社会信用代码（第二十九条）。"
                )
            elif problem := codes.validate(code):
                self.add_error("organisation_code", problem)
            data["organisation_code"] = code
            data["id_type"] = data["id_number"] = ""
        if data.get("kind") == CaseKind.RECORD_CORRECTION:
            evidence = (data.get("evidence") or "").strip()
            if not evidence and not data.get("attachments"):
                self.add_error("evidence", records.NO_EVIDENCE)
            elif data.get("description"):
                data["description"] = records.with_evidence(data["description"], evidence)
        else:
            data["kind"] = CaseKind.DISCLOSURE
            data["evidence"] = ""
        assistance = " ".join((data.get("assistance_requested") or "").split())
        if data.get("needs_assistance") and not assistance:
            assistance = ASSISTANCE_UNSPECIFIED
        data["assistance_requested"] = assistance
        delivery = data.get("delivery")
        if delivery == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择以电子邮件获取信息时，请填写电子邮箱。")
        if delivery in (Delivery.PAPER, Delivery.DISC) and not data.get("address"):
            self.add_error("address", "选择邮寄获取信息时，请填写通信地址。")
        if delivery == Delivery.FAX and not data.get("fax") and "fax" not in self.errors:
            self.add_error("fax", "选择以传真获取信息时，请填写传真号码（带区号）。")
        if delivery != Delivery.FAX and "fax" not in self.errors:
            data["fax"] = data.get("fax") or ""
        return data


# 第四十三条: what is stored when the applicant ticks the box without saying what help.
ASSISTANCE_UNSPECIFIED = "申请人有阅读困难或视听障碍，需要帮助（未写明需要何种帮助）"


def assistance_field(label: str, described_by: str = "") -> forms.BooleanField:
    """The checkbox of 第四十三条 beside ``assistance_requested``; ``described_by``: the id of
    the text on the page that explains it."""
    attrs = {"aria-describedby": described_by} if described_by else {}
    return forms.BooleanField(label=label, required=False, widget=forms.CheckboxInput(attrs=attrs))


class PublicApplicationForm(ApplicationForm):
    # Nothing chosen for the applicant: e-mail is chosen for them when they give an address
    # (forms.js as they type; ``clean`` when the browser runs no script).
    delivery = forms.ChoiceField(
        label="获取信息的方式",
        choices=[("", "请选择"), *Delivery.choices],
        required=False,
    )
    needs_assistance = assistance_field("我有阅读困难或视听障碍，需要帮助", "assistance-help")
    attachments = AttachmentsField(
        label="附件（可选）",
        required=False,
        help_text="如身份证明、营业执照的扫描件；PDF、JPG、PNG 或 DOCX，"
        "每个不超过 10 MB，最多 5 个。",
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label="本人确认以上信息真实，并知悉网上申请须经本机关与申请人确认后方视为收到申请（条例第三十一条）。"
    )

    def clean(self):
        if not self.cleaned_data.get("delivery"):
            if self.cleaned_data.get("email"):
                self.cleaned_data["delivery"] = Delivery.EMAIL
            else:
                self.add_error("delivery", "请选择获取信息的方式。")
        return super().clean()


class IntakeForm(ApplicationForm):
    """A clerk registers an application that came on paper, by post or by fax."""

    channel = forms.ChoiceField(
        label="提交方式",
        choices=[(c.value, c.label) for c in Channel if c is not Channel.ONLINE],
    )
    submitted_on = date_field("提交（到达）日期")
    received_on = date_field(
        "收到申请之日",
        required=False,
        help_text="当面提交：即提交日期，可不填；邮寄（需签收）：签收日期；平常信函、传真：与申请人确认之日，"
        "尚未确认可先不填（第三十一条）。",
    )
    receipt_note = forms.CharField(
        label="收到日期说明",
        required=False,
        max_length=300,
        help_text="如：电话确认人、快递单号。",
    )
    attachments = AttachmentsField(label="扫描件（可选）", required=False)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    needs_assistance = assistance_field("申请人有阅读困难或视听障碍，需要帮助（条例第四十三条）")
    # 第二十九条第一款: an oral application, filled in by the office and confirmed by the
    # applicant (gongkai.applications.intake).
    oral_reason = forms.CharField(
        label="采用书面形式确有困难的情形",
        required=False,
        max_length=200,
        help_text="口头提出的申请必填，如：不会书写、视力障碍（条例第二十九条第一款）。",
    )
    oral_confirmed = forms.BooleanField(
        label="已向申请人宣读/出示代填内容，申请人确认无误",
        required=False,
        help_text="口头提出的申请必填：由本机关代为填写（条例第二十九条第一款），向申请人宣读或出示"
        "后，请申请人在打印的代填申请表上签名。",
    )
    applicant_confirmed_at = forms.DateTimeField(
        label="申请人确认的时间（口头提出时填写）",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(
            # the text of the page's 口头提出 group explains it (office/cases/create.html)
            attrs={"type": "datetime-local", "aria-describedby": "oral-help"},
            format="%Y-%m-%dT%H:%M",
        ),
    )

    # The fields the page shows in groups of their own (office/cases/create.html).
    ORAL_FIELDS = ("oral_reason", "oral_confirmed", "applicant_confirmed_at")
    ASSISTANCE_FIELDS = ("needs_assistance", "assistance_requested")

    def main_fields(self):
        grouped = {*self.ORAL_FIELDS, *self.ASSISTANCE_FIELDS}
        return [f for f in self.visible_fields() if f.name not in grouped]

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.ORAL:
            if "oral_reason" not in self.errors and not (data.get("oral_reason") or "").strip():
                self.add_error(
                    "oral_reason",
                    "口头提出申请限于采用书面形式确有困难的情形，请写明申请人书面申请有什么困难"
                    "（条例第二十九条第一款）。",
                )
            if not data.get("oral_confirmed"):
                self.add_error(
                    "oral_confirmed",
                    "口头提出的申请，须向申请人宣读或出示代填的内容，经申请人确认无误后勾选此项"
                    "（条例第二十九条第一款）。",
                )
            if not data.get("applicant_confirmed_at"):
                self.add_error("applicant_confirmed_at", "请填写申请人确认代填内容的时间。")
        else:
            data["applicant_confirmed_at"] = None
            data["oral_reason"] = ""
        return data


def error_dict(form: forms.Form) -> dict[str, list[str]]:
    """Field errors as {field: [message, …]} (``__all__`` for the form as a whole)."""
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


class OnlineCorrectionForm(forms.Form):
    """The applicant's answer to the 补正 notice on the case page (第三十条)."""

    description = forms.CharField(
        label="补正后的申请内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="按补正告知书的要求修改：写明所需政府信息的名称、文号或便于查询的其他特征性描述。"
        "修改后的内容即为您的申请，原申请内容保留。",
        error_messages={"required": "请填写补正后的申请内容。"},
    )
    note = forms.CharField(
        label="补正说明（可选）",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = AttachmentsField(
        label="补正材料（可选）",
        required=False,
        help_text=f"PDF、JPG、PNG 或 DOCX，每个不超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB，"
        f"最多 {MAX_ATTACHMENTS} 个。",
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
