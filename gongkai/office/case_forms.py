"""The forms of the steps of a case; each maps onto one function of applications.services."""

from __future__ import annotations

from django import forms

from gongkai.agencies.models import Agency
from gongkai.applications.models import (
    ConsultationResult,
    Delivery,
    Disclosure,
    FeeMethod,
    PauseKind,
    Provision,
)
from gongkai.core.forms import date_field
from gongkai.law import outcomes, periods


class ConfirmForm(forms.Form):
    received_on = date_field("与申请人确认之日（收到申请之日）")
    note = forms.CharField(
        label="确认方式", max_length=300, required=False, help_text="如：电话确认，通话人、时间。"
    )
    late_reason = forms.CharField(
        label="确认迟延原因（平常信函）",
        max_length=300,
        required=False,
        help_text="平常信函应在本机关收到信函当日与申请人确认（条例第三十一条第（二）项）；"
        "确认日期晚于收到信函之日的，必须写明原因，案件页和办理记录中将予标注。",
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full}（{obj.username}）" if full else obj.username


class AssignForm(forms.Form):
    assignee = PersonChoiceField(label="承办人", queryset=None, required=False)

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = handlers


class CorrectionForm(forms.Form):
    items = forms.CharField(
        label="需要补正的事项",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项。补正只能告知一次（条例第三十条），请一次写全。",
    )
    deadline = date_field("补正期限", help_text="给申请人合理的补正期限。")
    notice_on = date_field("告知日期")

    def clean_items(self):
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class CorrectionReceivedForm(forms.Form):
    received_on = date_field("收到补正后申请之日")


class ConsultForm(forms.Form):
    kind = forms.ChoiceField(
        label="征求对象",
        choices=[(k.value, k.label) for k in PauseKind if k is not PauseKind.FEE],
    )
    party = forms.CharField(label="第三方或机关名称", max_length=200)
    sent_on = date_field("发出征求意见书日期")
    received_on = forms.DateField(
        label="对方收到征求意见书的日期（当面送达、电子邮件已确认收到时填写）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"对方自收到征求意见书之日起{periods.CONSULTATION_DAYS}个工作日内提出意见"
        "（条例第三十二条、第三十四条）。邮寄的，此处留空，收到回执后再登记收到日期。",
    )


class ConsultReceivedForm(forms.Form):
    received_on = date_field("对方收到征求意见书的日期")


class ConsultEndForm(forms.Form):
    result = forms.ChoiceField(label="意见", choices=ConsultationResult.choices)
    ended_on = date_field(
        "收到意见（或期限届满后登记）日期",
        help_text="“逾期未提出意见”只能在答复期限届满后登记，征求意见期间计至期限届满之日。",
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=periods.EXTENSION_DAYS,
        initial=periods.EXTENSION_DAYS,
    )
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))
    approved_on = date_field("负责人同意日期")


class FeeForm(forms.Form):
    method = forms.ChoiceField(label="收费方式", choices=FeeMethod.choices)
    units = forms.IntegerField(
        label="件数或页数",
        min_value=1,
        help_text="按件：本申请按“一事一申请”拆分后的件数，与同一申请人本月已申请件数累计计算；"
        "按量：提供信息的页数。",
    )
    notice_on = date_field("收费通知发出日期")
    received_on = forms.DateField(
        label="申请人收到通知的日期（当面送达时填写）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="缴费期限自申请人收到通知的次日起计算（国办函〔2020〕109号第七条）。邮寄、电子邮件等"
        "送达的，此处留空，收到回执后再登记送达日期。",
    )


class FeeReceivedForm(forms.Form):
    received_on = date_field("申请人收到收费通知的日期")


class PaidForm(forms.Form):
    paid_on = date_field("缴费日期")


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="办理结果（年度报告表三）", choices=[("", "请选择"), *outcomes.choices()]
    )
    legal_basis = forms.CharField(
        label="依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不填则使用该结果的默认依据。"
        + "".join(
            f"“{o.label}”：{o.note}" for o in outcomes.OUTCOMES if outcomes.SPECIAL_LAW in o.asks
        ),
    )
    decision_text = forms.CharField(
        label="答复内容与理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="除予以公开外，须说明理由；将写入答复告知书。",
    )
    withheld_part = forms.CharField(
        label="不予公开的内容（部分公开时填写）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：名单中个人的身份证号码。条例第三十七条：部分公开须说明不予公开的部分及理由。",
    )
    withheld_ground = forms.ChoiceField(
        label="不予公开部分的理由（部分公开时选择）",
        required=False,
        choices=[
            ("", "—"),
            *((o.key, f"{o.label}（{o.basis}）") for o in outcomes.WITHHELD_GROUNDS),
        ],
        help_text="它决定答复的救济途径：依第十四条至第十六条不予公开的部分，须告知申请人先申请行政复议。",
    )
    responsible_agency = forms.ModelChoiceField(
        label="负责公开的机关（不属于本机关负责公开时选择）",
        required=False,
        queryset=Agency.objects.order_by("path"),
        empty_label="—",
        help_text="条例第三十六条第（五）项：能够确定负责公开的机关的，告知其名称、联系方式。",
    )
    responsible_agency_text = forms.CharField(
        label="或填写负责公开的机关的名称和联系方式",
        required=False,
        max_length=300,
        help_text="不在本平台上的机关，如：某某市不动产登记中心，电话 0000-1234567。",
    )
    # 予以公开、部分公开: how, where and when (条例第三十六条第（一）（二）项, 第四十条).
    disclosure = forms.ChoiceField(
        label="公开情形（予以公开、部分公开时选择）",
        required=False,
        choices=[("", "—"), *Disclosure.choices],
        help_text="它决定答复引用第三十六条第（一）项还是第（二）项。",
    )
    provision_form = forms.ChoiceField(
        label="提供形式（予以公开、部分公开时选择）",
        required=False,
        choices=[("", "—"), *Provision.choices],
        help_text="条例第四十条：按申请人要求的形式提供；按要求的形式提供有困难或者可能危及"
        "政府信息载体安全的，可以通过其他适当形式提供。",
    )
    provision_reason = forms.CharField(
        label="未按申请人要求的方式提供的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="提供形式与申请人要求的获取方式不同时必填，如：原件为大幅图纸，无法复制，"
        "安排当面查阅。",
    )
    provision_route = forms.CharField(
        label="获取途径",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="网上获取的写明网址；当面查阅、抄录、领取的写明地点和办公时间；邮寄或电子邮件的"
        "写明寄往的地址或邮箱。",
    )
    provision_from = date_field(
        "提供或获取日期",
        required=False,
        help_text="向申请人提供的必填：邮寄、发送之日，或可以查阅、领取的起始日。",
    )
    provision_until = date_field(
        "获取截止日期", required=False, help_text="可以查阅、领取的期间的最后一日（可不填）。"
    )
    decided_on = date_field("决定日期")


class ReplyForm(forms.Form):
    replied_on = date_field("答复（送达）日期")
    method = forms.ChoiceField(label="送达方式", choices=Delivery.choices)


class ArchiveForm(forms.Form):
    pass


class ReissueCodeForm(forms.Form):
    verified = forms.CharField(
        label="如何核实了申请人的身份",
        max_length=200,
        help_text="如：当面查验居民身份证；回拨登记的电话核实。新的查询码只显示一次，旧查询码作废。",
    )
