from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongkai.letters import services
from gongkai.letters.models import Kind


class LetterTemplateForm(forms.Form):
    title = forms.CharField(label="文书标题", max_length=100)
    body = forms.CharField(
        label="正文",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="段落之间空一行；以“1.”“（一）”等编号开头的行单独成行。"
        "占位符写成 {申请编号} 的形式，见下方列表。",
    )

    def __init__(self, kind: Kind, *args, **kwargs):
        self.kind = Kind(kind)
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if "title" in data and "body" in data:
            try:
                services.check(self.kind, data["title"], data["body"])
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    self.add_error(name, errors)
        return data
