"""The forms of the information a disclosing reply gives (gongkai.applications.release)."""

from __future__ import annotations

from django import forms

from gongkai.applications.release import TITLE_LENGTH


class ReleaseNewForm(forms.Form):
    title = forms.CharField(
        label="信息名称",
        max_length=TITLE_LENGTH,
        required=False,
        help_text="留空则取申请所需信息描述的第一行。保存后进入目录的编辑页：上传向申请人提供的文件"
        "（部分公开的，上传已隐去不予公开内容的文件），核对类别和文件类型后提交审核。",
    )


class ReleaseLinkForm(forms.Form):
    item = forms.CharField(
        label="索引号或信息编号",
        max_length=60,
        help_text="本机关目录中的信息：已发布的填写索引号；尚未编号的填写信息页地址中的编号"
        "（如 /office/items/12/ 中的 12）。",
    )

    def clean_item(self):
        return self.cleaned_data["item"].strip()


class ReleaseUnlinkForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
