from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from gongkai.applications import services
from gongkai.applications.shortcuts import case_for
from gongkai.notices import outbox
from gongkai.notices.models import Message


@login_required
@require_POST
def again(request, pk, message_pk):
    """Send a message that failed once more (the case's present address)."""
    application = case_for(request, pk)
    message = get_object_or_404(Message, pk=message_pk, application=application)
    try:
        outbox.send_again(request.user, message)
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已重新排队发送：{message.subject}")
    return redirect("office:case", pk=application.pk)
