"""Forms of the annual report in the back office: the report's text and its steps, the
register of reconsiderations and lawsuits, and the yearly figures from other systems.

The forms only read the input; every rule about the records is checked by
``gongkai.reports.services``, whose refusals the views put back on the form.
"""

from __future__ import annotations

from django import forms

from gongkai.applications.models import Application
from gongkai.core.forms import date_field
from gongkai.law import annual_report
from gongkai.reports.models import AnnualReport, AppealKind, AppealResult, YearlyFigures

# The limits of the database columns (PositiveIntegerField, IntegerField).
MAX_COUNT = 2_147_483_647
MIN_CHANGE = -2_147_483_648

SECTION_HELP = {
    "section1": "总体情况：主动公开、依申请公开、政府信息管理、平台建设、监督保障等。",
    "section2": "可不填。填写的文字显示在表二之前。",
    "section3": "可不填。填写的文字显示在表三之前。",
    "section4": "可不填。填写的文字显示在表四之前。",
    "section5": "存在的主要问题及改进情况，须如实填写。",
    "section6": "信息处理费收取情况，以及其他需要报告的事项。",
}


class SectionsForm(forms.Form):
    """The six parts of the report's text; the tables of 二, 三 and 四 come from the figures."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in AnnualReport.SECTIONS:
            long = name in ("section1", "section5", "section6")
            self.fields[name] = forms.CharField(
                label=AnnualReport._meta.get_field(name).verbose_name,
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 12 if long else 3}),
                help_text=SECTION_HELP[name],
            )


class RegenerateForm(forms.Form):
    confirm = forms.BooleanField(
        label="我已了解：第一部分和第六部分的现有文字将被按当前数据生成的草稿替换",
        error_messages={"required": "请勾选确认后再重新生成。"},
    )


class PublishForm(forms.Form):
    published_on = date_field(
        "发布日期",
        help_text="报告在政府网站上公布的日期，不能晚于今天。",
    )


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="撤回后报告从公开栏目中撤下，改正后须重新发布。理由记入操作记录。",
    )


class OpenReportForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=annual_report.FIRST_YEAR, max_value=2100)


# --- the register ------------------------------------------------------------------------


class AppealForm(forms.Form):
    number = forms.CharField(label="案号", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=AppealKind.choices)
    body = forms.CharField(label="复议机关或法院", max_length=200, required=False)
    filed_on = date_field("立案日期")
    result = forms.ChoiceField(
        label="结果",
        choices=[("", "尚未审结"), *AppealResult.choices],
        required=False,
        help_text="按年度报告表四的口径：维持、纠正或其他结果。尚未审结的不填结果和结案日期。",
    )
    closed_on = date_field("结案日期", required=False)
    application = forms.CharField(
        label="相关申请编号",
        max_length=32,
        required=False,
        help_text="案件涉及本机关办理的某件申请时，填写该申请的编号，如 2025-0001-00001。",
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency

    def clean_application(self):
        number = self.cleaned_data["application"].strip()
        if not number:
            return None
        application = (
            Application.objects.filter(agency=self.agency, tracking_number=number)
            .only("pk", "agency_id", "tracking_number", "received_on")
            .first()
        )
        if application is None:
            raise forms.ValidationError(f"本机关没有编号为“{number}”的申请，请核对编号。")
        return application


# Which field a refusal of ``services.save_appeal`` is about, by the words of its message; a
# message about none of them is shown above the form.
APPEAL_ERROR_FIELDS = [
    ("案号", "number"),
    ("结果和结案日期", "result"),
    ("结案日期", "closed_on"),
    ("关联", "application"),
    ("立案日期", "filed_on"),
]


def appeal_error_field(message: str) -> str | None:
    for words, field in APPEAL_ERROR_FIELDS:
        if words in message:
            return field
    return None


class DeleteAppealForm(forms.Form):
    reason = forms.CharField(
        label="删除理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="只删除误登记的案件。案件的内容和理由留在操作记录中。",
    )


# --- the yearly figures -----------------------------------------------------------------

DECIMAL_FIELDS = {"fees_amount_10k_yuan", "procurement_amount"}


def figure_fields(year: int) -> list[str]:
    """The fields of YearlyFigures that the report for ``year`` uses (its table 二)."""
    if annual_report.format_for(year) == annual_report.FORMAT_2019.key:
        return YearlyFigures.FIELDS_2019
    return YearlyFigures.FIELDS_2021


class FiguresForm(forms.Form):
    """The figures of table 二 kept in other systems. A blank field is unknown, not zero."""

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for name in figure_fields(year):
            label = YearlyFigures._meta.get_field(name).verbose_name
            if name in DECIMAL_FIELDS:
                field = forms.DecimalField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=4,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    help_text="单位：万元，最多 4 位小数，如 12.3456。",
                    error_messages={
                        "invalid": "请填写数字（单位：万元），如 12.3456。",
                        "max_decimal_places": "最多填写 4 位小数。",
                        "min_value": "金额不能为负数。",
                    },
                )
            elif name.endswith("_change"):
                field = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=MIN_CHANGE,
                    max_value=MAX_COUNT,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    help_text="增加填正数，减少填负数，如 -2。",
                    error_messages={"invalid": "请填写整数，减少时填负数。"},
                )
            else:
                field = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=MAX_COUNT,
                    widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
                    error_messages={
                        "invalid": "请填写整数。",
                        "min_value": "数量不能为负数。",
                    },
                )
            self.fields[name] = field
