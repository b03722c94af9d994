"""The forms of the steps of a case; each maps onto one function of applications.services."""

from __future__ import annotations

from django import forms

from gongkai.agencies.models import Agency
from gongkai.applications.models import (
    CaseKind,
    ConsultationResult,
    Delivery,
    Disclosure,
    FeeMethod,
    PauseKind,
    Provision,
    ReasonsJudgement,
)
from gongkai.core.forms import date_field
from gongkai.law import outcomes, periods, records


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
    description = forms.CharField(
        label="补正后的申请内容（可选）",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="申请人书面补正的，照录补正后的所需信息描述：它成为本申请的内容，答复告知书引用它；"
        "原申请内容保留（条例第三十条）。只登记日期的，留空。",
    )
    note = forms.CharField(
        label="补正说明（可选）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：申请人补充了身份证明。",
    )


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


class ReasonsRequestForm(forms.Form):
    """第三十五条: asking the applicant to explain many or frequent requests."""

    counted = forms.CharField(
        label="计入的申请",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一件：申请编号、收到日期和所需信息。说明理由通知书将逐条列出，告知申请人"
        "本机关认为哪些申请的数量、频次明显超过合理范围（条例第三十五条）。",
    )
    question = forms.CharField(
        label="需要说明的事项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="留空时使用通用的写法：请说明申请的理由、所需信息的用途。",
    )
    answer_by = forms.DateField(
        label="请申请人在此日期前说明",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="条例没有规定说明理由的期限，由本机关确定合理的日期，应早于答复期限。要求说明理由"
        "不暂停答复期限：期满未说明的，按理由不合理办理；理由合理但无法按期答复的，在答复期限"
        "届满前确定延迟答复的期限。",
    )
    sent_on = date_field("通知发出日期")

    def clean_counted(self):
        return [line.strip() for line in self.cleaned_data["counted"].splitlines() if line.strip()]


class ReasonsRecordForm(forms.Form):
    """第三十五条: the applicant's reasons (or that none came) and the office's judgement."""

    received_on = forms.DateField(
        label="收到理由说明之日",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="申请人在本机关确定的期限内没有说明理由的，此处和下一栏留空，判断选“理由不合理”。",
    )
    text = forms.CharField(
        label="申请人说明的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    judgement = forms.ChoiceField(
        label="判断",
        choices=[("", "请选择"), *ReasonsJudgement.choices],
        help_text="理由不合理的，可以按“不予处理：无正当理由大量反复申请”作出决定；理由合理的，"
        "继续办理。",
    )
    judged_on = date_field("判断日期")
    delayed_until = forms.DateField(
        label="延迟答复的期限（理由合理但无法按期答复时填写）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="应晚于现在的答复期限，并在答复期限届满前确定；此后答复期限即为该日期"
        "（条例第三十五条）。这不是第三十三条第二款的延期，不需要负责人同意。",
    )
    delay_reason = forms.CharField(
        label="延迟答复的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="将写入延迟答复告知书。",
    )


class DelayForm(forms.Form):
    """第三十五条: the delay decided after the reasons were judged reasonable."""

    delayed_until = forms.DateField(
        label="延迟答复的期限",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="应晚于现在的答复期限，并在答复期限届满前确定；此后答复期限即为该日期"
        "（条例第三十五条）。这不是第三十三条第二款的延期，不需要负责人同意。",
    )
    reason = forms.CharField(
        label="延迟答复的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="将写入延迟答复告知书。",
    )
    decided_on = date_field("确定延迟答复日期")


# The decision form offers as many withheld parts as the service takes.
WITHHELD_ROWS = outcomes.MAX_WITHHELD_PARTS


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 部分公开 (第三十七条): each withheld part with its ground, after the reasons.
        rows = {}
        for n in range(1, WITHHELD_ROWS + 1):
            rows[f"withheld_part_{n}"] = forms.CharField(
                label=f"不予公开的内容（{n}）" + ("（部分公开时填写）" if n == 1 else ""),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="如：名单中个人的身份证号码。条例第三十七条：部分公开须说明不予公开的"
                "部分及理由；理由不同的内容分项填写，同一内容有两项理由的，分两行填写相同的内容。"
                if n == 1
                else "",
            )
            rows[f"withheld_ground_{n}"] = forms.ChoiceField(
                label=f"不予公开的内容（{n}）的理由",
                required=False,
                choices=[
                    ("", "—"),
                    *((o.key, f"{o.label}（{o.basis}）") for o in outcomes.WITHHELD_GROUNDS),
                ],
                help_text="它决定答复的救济途径：有依第十四条至第十六条不予公开的内容的，须告知"
                "申请人先申请行政复议。"
                if n == 1
                else "",
            )
        names = list(self.fields)
        at = names.index("decision_text") + 1
        self.fields = {
            **{k: self.fields[k] for k in names[:at]},
            **rows,
            **{k: self.fields[k] for k in names[at:]},
        }

    def clean(self):
        data = super().clean()
        data["withheld"] = [
            (data.get(f"withheld_part_{n}", ""), data.get(f"withheld_ground_{n}", ""))
            for n in range(1, WITHHELD_ROWS + 1)
        ]
        return data


class RecordDecideForm(forms.Form):
    """第四十一条: the decision of a 更正申请 (gongkai.applications.records)."""

    record_outcome = forms.ChoiceField(
        label="办理结果（更正申请）", choices=[("", "请选择"), *records.choices()]
    )
    decision_text = forms.CharField(
        label="答复内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="；".join(f"{o.label}：{o.text_label}" for o in records.OUTCOMES)
        + f"。将写入答复告知书（{records.BASIS}）。",
    )
    responsible_agency = forms.ModelChoiceField(
        label="有权更正的机关（转送或告知另行提出时选择）",
        required=False,
        queryset=Agency.objects.order_by("path"),
        empty_label="—",
    )
    responsible_agency_text = forms.CharField(
        label="或填写机关的名称和联系方式",
        required=False,
        max_length=300,
        help_text="不在本平台上的机关，如：某某县公安局户政科，电话 0000-1234567。",
    )
    decided_on = date_field("决定日期", help_text="转送的，填写转送之日（告知书写明的转送日期）。")


class ChangeKindForm(forms.Form):
    """A case registered as the wrong kind (gongkai.applications.records.change_kind)."""

    kind = forms.ChoiceField(label="改为", choices=CaseKind.choices)
    reason = forms.CharField(
        label="更改原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：纸质申请表为政府信息公开申请，登记时误选为更正申请。将记入办理记录。",
    )
    evidence = forms.CharField(
        label="证据说明（改为更正申请时）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"更正申请须有证据证明记录不准确（{records.BASIS}）：申请中没有写明证据、"
        "也没有上传证据材料的，请在此写明申请人提供的证据。",
    )


class ReplyForm(forms.Form):
    replied_on = date_field("答复（送达）日期")
    method = forms.ChoiceField(label="送达方式", choices=Delivery.choices)
    late_reason = forms.CharField(
        label="逾期答复的原因（答复日期晚于答复期限时必填）",
        required=False,
        max_length=300,
    )
    confirm = forms.BooleanField(
        label="我已核对答复告知书：答复后将通知申请人并附告知书；答复后发现错误的，须由负责人撤回",
        error_messages={"required": "请确认已核对答复告知书后再答复。"},
    )


class ArchiveForm(forms.Form):
    confirm = forms.BooleanField(
        label="确认归档：归档后案卷不再办理，如需更正须由负责人撤回",
        error_messages={"required": "请确认后再归档。"},
    )


class StepBackForm(forms.Form):
    reason = forms.CharField(
        label="撤回的原因",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如“办理结果选错，应为部分公开”。原因和撤回前后的状态记入操作记录。",
    )
    confirm = forms.BooleanField(
        label="确认撤回上一步（作出决定、答复或归档）",
        error_messages={"required": "请确认后再撤回。"},
    )


class OnTheSpotForm(forms.Form):
    """第三十三条第一款: the answer given at the counter, posted with the registration form
    (prefix ``spot``); read only when ``answer`` is ticked (gongkai.applications.intake)."""

    answer = forms.BooleanField(
        label="当场答复（条例第三十三条第一款）",
        required=False,
        help_text="当面提交或口头提出、能够当场答复的，登记后当即作出决定并当面答复申请人，"
        "答复告知书在案件页打印。只适用于下列办理结果；予以公开只适用于已经主动公开的信息。",
    )
    outcome = forms.ChoiceField(label="当场答复的办理结果", required=False)
    legal_basis = forms.CharField(
        label="依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不填则使用该结果的默认依据。"
        + "".join(
            f"“{o.label}”：{o.note}"
            for o in outcomes.OUTCOMES
            if outcomes.SPECIAL_LAW in o.asks and o.key in outcomes.ON_THE_SPOT
        ),
    )
    decision_text = forms.CharField(
        label="答复内容与理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="除予以公开外，须说明理由；将写入答复告知书。",
    )
    provision_form = forms.ChoiceField(
        label="提供形式（予以公开时选择）",
        required=False,
        choices=[("", "—"), *Provision.choices],
    )
    provision_route = forms.CharField(
        label="获取途径（予以公开时填写）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="已经主动公开的，写明网址或查阅地点（条例第三十六条第（一）项）。",
    )
    provision_reason = forms.CharField(
        label="未按申请人要求的方式提供的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="提供形式与申请人要求的获取方式不同时必填（条例第四十条）。",
    )
    responsible_agency = forms.ModelChoiceField(
        label="负责公开的机关（不属于本机关负责公开时选择）",
        required=False,
        queryset=Agency.objects.order_by("path"),
        empty_label="—",
    )
    responsible_agency_text = forms.CharField(
        label="或填写负责公开的机关的名称和联系方式", required=False, max_length=300
    )

    def __init__(self, *args, **kwargs):
        from gongkai.applications.intake import on_the_spot_outcomes

        kwargs.setdefault("prefix", "spot")
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            ("", "请选择"),
            *((o.key, o.title) for o in on_the_spot_outcomes()),
        ]

    def clean(self):
        data = super().clean()
        if data.get("answer") and not data.get("outcome"):
            self.add_error("outcome", "当场答复的，请选择办理结果。")
        return data


class AssistanceForm(forms.Form):
    """第四十三条: the help given to an applicant with reading, sight or hearing difficulties."""

    given = forms.CharField(
        label="提供的帮助",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：以大字打印答复告知书；当面向申请人宣读答复内容；通过手语翻译沟通；"
        "电话告知办理进展。",
    )
    given_on = date_field("提供帮助的日期")


class ReissueCodeForm(forms.Form):
    verified = forms.CharField(
        label="如何核实了申请人的身份",
        max_length=200,
        help_text="如：当面查验居民身份证；回拨登记的电话核实。新的查询码只显示一次，旧查询码作废。",
    )
