"""The case of a back-office request: one lookup for every app's case views."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from gongkai.agencies import access
from gongkai.applications.models import Application


def case_for(request, pk: int) -> Application:
    """The application ``pk`` with its agency and assignee, if the user may read the agency's
    records; ``PermissionDenied`` otherwise, a 404 if there is none."""
    application = get_object_or_404(Application.objects.select_related("agency", "assignee"), pk=pk)
    access.require(access.can_read(request.user, application.agency))
    return application
