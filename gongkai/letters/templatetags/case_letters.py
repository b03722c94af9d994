"""The letters of a case, for the case page of the applications app: a template tag, so that the
case page shows them without the applications app importing the letters app above it
(docs/architecture.md)."""

from django import template

from gongkai.letters.documents import available

register = template.Library()


@register.simple_tag
def case_letters(application) -> list:
    """(kind, title) of each letter the case has reached, in the order they were sent."""
    return available(application)
