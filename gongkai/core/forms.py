"""Form pieces every part of the office uses."""

from __future__ import annotations

from django import forms


def date_field(label: str, **kwargs) -> forms.DateField:
    """A date picked with the browser's own date input (ISO value, as the input requires)."""
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )
