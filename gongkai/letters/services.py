"""Changing an agency's letter templates: permission, change and history event together."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.agencies import access
from gongkai.history.models import record
from gongkai.letters import defaults, placeholders
from gongkai.letters.models import Kind, LetterTemplate


def check(kind: Kind, title: str, body: str) -> None:
    """Raise ValidationError (in Chinese) for an empty text or an unknown placeholder."""
    errors: dict[str, str | list[str]] = {}
    if not title.strip():
        errors["title"] = "请填写文书标题。"
    elif found := placeholders.problems(title, kind, body=False):
        errors["title"] = found
    if not body.strip():
        errors["body"] = "请填写正文。"
    elif found := placeholders.problems(body, kind):
        errors["body"] = found
    if errors:
        raise ValidationError(errors)


def _text(title: str, body: str) -> dict:
    return {"title": title, "body": body}


@transaction.atomic
def save_template(actor, agency, kind: Kind, title: str, body: str) -> LetterTemplate | None:
    """Store the agency's wording of ``kind``. Returns None when nothing changed."""
    access.require(access.can_administer(actor, agency))
    kind = Kind(kind)
    title, body = title.strip(), body.replace("\r\n", "\n").strip()
    check(kind, title, body)
    row = LetterTemplate.objects.select_for_update().filter(agency=agency, kind=kind).first()
    if row is None:
        before = _text(defaults.title(kind), defaults.body(kind))
        if before == _text(title, body):
            return None
        row = LetterTemplate(agency=agency, kind=kind)
    else:
        before = _text(row.title, row.body)
        if before == _text(title, body):
            return None
    row.title, row.body, row.updated_by = title, body, actor
    row.save()
    record(
        actor,
        "letter_template.update",
        row,
        summary=f"修改文书模板：{kind.short_name}",
        agency=agency,
        before=before,
        after=_text(title, body),
    )
    return row


@transaction.atomic
def reset_template(actor, agency, kind: Kind) -> bool:
    """Go back to the built-in wording. Returns False if the agency had not edited it."""
    access.require(access.can_administer(actor, agency))
    kind = Kind(kind)
    row = LetterTemplate.objects.select_for_update().filter(agency=agency, kind=kind).first()
    if row is None:
        return False
    record(
        actor,
        "letter_template.reset",
        row,
        summary=f"文书模板恢复默认：{kind.short_name}",
        agency=agency,
        before=_text(row.title, row.body),
        after=_text(defaults.title(kind), defaults.body(kind)),
    )
    row.delete()
    return True
