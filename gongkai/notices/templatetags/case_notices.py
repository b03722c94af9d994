"""The messages of a case, for the case page of the applications app (a template tag, like the
letters': the applications app does not import the notices app above it)."""

from django import template

from gongkai.notices.models import Message

register = template.Library()


@register.simple_tag
def case_notices(application) -> list[Message]:
    """Every message to the applicant of this case, newest first."""
    return list(Message.objects.filter(application=application).order_by("-created_at", "-id"))
