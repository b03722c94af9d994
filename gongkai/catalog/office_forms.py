"""Forms of the catalog in the back office."""

from __future__ import annotations

from django import forms

from gongkai.agencies.models import Role
from gongkai.catalog.models import Disclosure, DocumentKind, FindingAcknowledgement, Validity
from gongkai.core.forms import AttachmentsField, date_field
from gongkai.law import categories, periods


class ItemForm(forms.Form):
    title = forms.CharField(label="名称", max_length=300)
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    category = forms.ChoiceField(label="法定主动公开内容类别")
    kind = forms.ChoiceField(
        label="文件类型",
        choices=DocumentKind.choices,
        initial=DocumentKind.INFORMATION,
        help_text="规章和行政规范性文件计入年度报告表二。",
    )
    topic = forms.CharField(label="主题分类", max_length=100, required=False)
    publisher = forms.CharField(
        label="发布机构", max_length=200, required=False, help_text="不填即为本机关全称。"
    )
    written_on = date_field("成文日期", required=False)
    formed_on = date_field(
        "形成或变更日期",
        help_text=f"应自此日起{periods.PROACTIVE_PUBLICATION_DAYS}个工作日内公开（条例第二十六条）。",
    )
    approved_on = date_field(
        "批准或批复日期",
        required=False,
        help_text=(
            f"仅{'、'.join(categories.BY_KEY[k].title for k in categories.APPROVAL_PERIODS)}填写："
            "经本级人民代表大会或其常务委员会批准的预算、预算调整、决算及其报告和报表，填批准之日；"
            "经财政部门批复的部门预算、决算及报表，填批复之日。"
            f"填写后应{categories.BUDGET_PERIOD.text}：节假日照算，"
            "最后一日不是工作日的顺延至其后第一个工作日。其他信息不填。"
        ),
    )
    disclosure = forms.ChoiceField(
        label="公开属性", choices=Disclosure.choices, initial=Disclosure.PROACTIVE
    )
    nondisclosure_basis = forms.CharField(
        label="不主动公开的依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="依申请公开或不予公开时必填，如：条例第十六条第二款（过程性信息）。",
    )
    validity = forms.ChoiceField(
        label="有效性", choices=Validity.choices, initial=Validity.IN_FORCE
    )
    validity_changed_on = date_field("废止或修改日期", required=False)
    summary = forms.CharField(
        label="内容概述", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    keywords = forms.CharField(label="主题词", max_length=200, required=False)
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="可直接粘贴文字（空行分段），也可使用简单 HTML（段落、标题、列表、表格、链接）；"
        "保存时会去除脚本和样式。",
    )
    attachments = AttachmentsField(label="附件", required=False)
    note = forms.CharField(label="修订说明", max_length=200, required=False)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "请选择")] + [
            (c.key, f"{c.number} {c.title}") for c in agency.proactive_categories
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    reason = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcknowledgeForm(forms.Form):
    """One reviewer's answer to one finding of the pre-publication scan."""

    key = forms.CharField(max_length=40, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        label="处理",
        choices=FindingAcknowledgement.Action.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择“已删除/已修改”或“保留”。"},
    )
    reason = forms.CharField(
        label="保留的理由",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


CHAIN_CHOICES = [
    (Role.REVIEWER_1.value, "初审"),
    (Role.REVIEWER_2.value, "复审"),
    (Role.REVIEWER_3.value, "终审"),
    (Role.HEAD.value, "公开办负责人审核"),
]


class CatalogSettingsForm(forms.Form):
    chain = forms.MultipleChoiceField(
        label="审核环节（按此顺序，保密审查总是最后一步，不能取消）",
        choices=CHAIN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    index_format = forms.CharField(
        label="索引号格式",
        max_length=80,
        help_text="可用 {code}（9位组织机构代码）、{uscc}（18位统一社会信用代码）、"
        "{year}、{serial}；默认 {code}/{year}-{serial:05d}。",
    )
    sensitive_words = forms.CharField(
        label="敏感词（每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
