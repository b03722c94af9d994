"""The name a model gives one of its fields (``verbose_name``: 电话, not ``phone``), for
messages and records."""

from __future__ import annotations

from django.db import models


def label(model: type[models.Model], name: str) -> str:
    """The field's ``verbose_name`` as text; the name itself for a relation's other side."""
    field = model._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, models.Field) else name
