"""Putting messages in the outbox and sending them.

``queue`` writes a row in the caller's transaction and, once that commits, asks the job engine
to run ``deliver_due``. ``deliver_due`` takes every row that is due, one at a time: a row is
claimed by one conditional UPDATE (so two workers never send it twice), sent outside any
transaction, and its result written back. A failure is tried again later (``BACKOFF``), each
time with a note in the case history; after the last try the row is FAILED and the clerk sees
it on the case page, where it can be sent again. docs/notices.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.history.models import record
from gongkai.law import privacy
from gongkai.notices import sms
from gongkai.notices.models import Channel, Message, State

log = logging.getLogger(__name__)

# How long after each failed try the next one comes: a mail server down for a day loses
# nothing; after the last the row is FAILED (about 31 hours after the first try).
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# How long a worker may hold a row while it sends it; a worker that died lets it go after this.
CLAIM_FOR = dt.timedelta(minutes=5)
# Rows one run of deliver_due takes at most (the rest wait for the next run, queued at its end).
BATCH = 200


def queue(
    *,
    topic: str,
    channel: Channel,
    to: str,
    subject: str,
    body: str,
    application=None,
    user=None,
    agency=None,
    letter: str = "",
    secret: str = "",
) -> Message:
    """Put one message in the outbox, in the caller's transaction."""
    message = Message.objects.create(
        application=application,
        user=user,
        agency=agency or (application.agency if application is not None else None),
        topic=topic,
        channel=channel,
        to=to,
        subject=subject[:200],
        body=body,
        letter=letter,
        secret=secret,
    )
    transaction.on_commit(wake)
    return message


def wake(run_after: dt.datetime | None = None) -> None:
    """Ask the job engine to run deliver_due (now, or at ``run_after``). A failure to reach the
    engine is logged: the rows wait, and the next run (or ``gongkai outbox --send``) takes them."""
    from gongkai.notices.tasks import deliver_due

    try:
        task = deliver_due.using(run_after=run_after) if run_after else deliver_due
        task.enqueue()
    except Exception:
        log.exception("could not queue the outbox's delivery task")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def _due(now: dt.datetime):
    return Message.objects.filter(
        state__in=(State.QUEUED, State.RETRY), next_attempt_at__lte=now
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


def claim(message_id: int, worker: str) -> bool:
    """Take the row for this worker if it is still due and nobody holds it: one UPDATE, so of
    two workers only one gets it."""
    now = timezone.now()
    return (
        _due(now).filter(pk=message_id).update(claimed_by=worker, claimed_until=now + CLAIM_FOR)
        == 1
    )


def deliver_due(limit: int = BATCH) -> int:
    """Send every due message (at most ``limit``); return how many were sent."""
    worker, sent, tried = worker_id(), 0, 0
    for message_id in list(_due(timezone.now()).values_list("pk", flat=True)[:limit]):
        outcome = send_now(message_id, worker)
        if outcome is None:
            continue  # another worker took it
        tried += 1
        sent += outcome
    if tried >= limit:
        wake()  # more are waiting
    return sent


def send_now(message_id: int, worker: str | None = None) -> bool | None:
    """Claim and send one message now: True sent, False failed (it waits for its retry),
    None when it is not due or another worker holds it."""
    worker = worker or worker_id()
    if not claim(message_id, worker):
        return None
    message = Message.objects.select_related("application__agency").get(pk=message_id)
    return deliver(message, worker)


def _send(message: Message) -> bool:
    """Send it; False when it went without the letter it should carry."""
    if message.channel == Channel.SMS:
        sms.backend().send(message.to, message.body)
        return True
    body, attachment = message.body, None
    if message.letter and message.application is not None:
        attachment = _letter_pdf(message)
        if attachment is None:
            body += LETTER_MISSING
    mail = EmailMessage(message.subject, body, settings.DEFAULT_FROM_EMAIL, [message.to])
    if attachment is not None:
        mail.attach(*attachment, "application/pdf")
    mail.send()
    return attachment is not None or not message.letter


LETTER_MISSING = (
    "\n（所附告知书暂时无法生成，请在案件页面下载，或与本机关联系；本机关将另行送达书面告知书。）\n"
)


def _letter_pdf(message: Message) -> tuple[str, bytes] | None:
    """(file name, PDF) of the message's letter, or None when it cannot be made now (a missing
    font, a case whose facts no longer call for it): the message still goes, saying so."""
    from gongkai.letters import documents

    try:
        letter = documents.render(
            message.application, message.letter, query_url=settings.SITE_URL + "/status/"
        )
        return f"{letter.filename}.pdf", documents.to_pdf(letter)
    except Exception:
        log.exception("the letter %s of message %s could not be made", message.letter, message.pk)
        return None


def deliver(message: Message, worker: str) -> bool:
    """Send one claimed message and write down what happened; True when it went out."""
    attempt = message.attempts + 1
    try:
        complete = _send(message)
    except Exception as exc:  # whatever the server or gateway says: keep the row, try again
        error = f"{type(exc).__name__}: {exc}"[:500]
        log.warning("message %s failed (attempt %s): %s", message.pk, attempt, error)
        _failed(message, worker, attempt, error)
        return False
    _sent(message, worker, attempt, complete)
    return True


def _mine(message: Message, worker: str):
    return Message.objects.filter(pk=message.pk, claimed_by=worker)


# What stands in a message's body for its secret (a receipt's query code) once the message
# is out or has failed for good: the code is kept nowhere in clear.
SECRET_GONE = (
    "（已隐去：请用本通知中的链接打开案件页面；忘记查询码的，可在网站“申请查询”页重新获取）"
)


def _without_secret(message: Message) -> str:
    return message.body.replace(message.secret, SECRET_GONE) if message.secret else message.body


@transaction.atomic
def _sent(message: Message, worker: str, attempt: int, complete: bool = True) -> None:
    now = timezone.now()
    body = _without_secret(message)
    _mine(message, worker).update(
        state=State.SENT,
        attempts=attempt,
        sent_at=now,
        claimed_until=None,
        body=body,
        secret="",
        last_error="",
    )
    _note(
        message,
        "notice.sent",
        f"已通过{message.get_channel_display()}发送“{message.subject}”"
        f"（{message.masked_to}）"
        + (
            ("，附文书 PDF" if complete else "；所附文书未能生成，请另行送达书面告知书")
            if message.letter
            else ""
        ),
        attempt,
    )


@transaction.atomic
def _failed(message: Message, worker: str, attempt: int, error: str) -> None:
    now = timezone.now()
    if attempt >= MAX_ATTEMPTS:
        _mine(message, worker).update(
            state=State.FAILED,
            attempts=attempt,
            claimed_until=None,
            last_error=error,
            body=_without_secret(message),
            secret="",
        )
        _note(
            message,
            "notice.failed",
            f"{_what(message)}第 {attempt} 次发送失败，已停止重试：请核对收件地址或联系系统"
            "管理员，可在案件页重新发送",
            attempt,
            error,
        )
        return
    retry_at = now + BACKOFF[attempt - 1]
    _mine(message, worker).update(
        state=State.RETRY,
        attempts=attempt,
        claimed_until=None,
        next_attempt_at=retry_at,
        last_error=error,
    )
    _note(
        message,
        "notice.retry",
        f"{_what(message)}第 {attempt} 次发送失败，"
        f"{timezone.localtime(retry_at):%Y-%m-%d %H:%M} 重试",
        attempt,
        error,
    )
    transaction.on_commit(lambda: wake(retry_at))


def _note(message: Message, action: str, summary: str, attempt: int, error: str = "") -> None:
    """The delivery, failure or retry in the history of the case (or of the staff member)."""
    subject = message.application or message.user
    if subject is None:
        return
    record(
        None,
        action,
        subject,
        summary=summary,
        agency=message.agency,
        after={
            "message": message.pk,
            "channel": message.channel,
            "topic": message.topic,
            "attempt": attempt,
            # A server's answer may quote the address: masked like everywhere else.
            **({"error": _masked(error, message)} if error else {}),
        },
    )


def _what(message: Message) -> str:
    return f"“{message.subject}”（{message.get_channel_display()}，{message.masked_to}）"


def _masked(error: str, message: Message) -> str:
    return privacy.mask_in_text(error.replace(message.to, message.masked_to))


@transaction.atomic
def send_again(actor, message: Message) -> Message:
    """A message that failed, queued once more by a clerk who handles the case (the address
    may have been corrected meanwhile: the case's present address is used)."""
    from gongkai.applications import services

    message = Message.objects.select_for_update().get(pk=message.pk)
    application = message.application
    if application is None:
        raise services.CaseError("这条通知不属于任何申请。")
    services._require_handler(actor, application.agency)
    if message.state != State.FAILED:
        raise services.CaseError("只有已停止重试的通知可以重新发送。")
    to = application.email if message.channel == Channel.EMAIL else application.phone
    if not to:
        raise services.CaseError(
            f"申请人没有填写{'电子邮箱' if message.channel == Channel.EMAIL else '手机号码'}，"
            "无法重新发送。"
        )
    Message.objects.filter(pk=message.pk).update(
        state=State.QUEUED,
        to=to,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_until=None,
    )
    record(
        actor,
        "notice.again",
        application,
        summary=f"重新发送“{message.subject}”（{message.get_channel_display()}）",
        agency=application.agency,
        after={"message": message.pk, "channel": message.channel, "topic": message.topic},
    )
    transaction.on_commit(wake)
    message.refresh_from_db()
    return message
