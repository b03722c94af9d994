"""gongkai outbox: what the outbox holds, and (--send) send what is due now, for a machine
where no background worker runs (cron) or to see at once what a worker would do
(docs/notices.md)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from gongkai.core.command import BaseCommand
from gongkai.notices import outbox
from gongkai.notices.models import Message, State


class Command(BaseCommand):
    help = "显示发件箱中的通知；--send 立即发送到期的通知"

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="发送到期的通知")

    def handle(self, *args, send: bool, **options):
        if send:
            sent = 0
            while True:
                batch = outbox.deliver_due()
                sent += batch
                if batch < outbox.BATCH:
                    break
            self.stdout.write(f"已发送 {sent} 条通知。")
        counts = dict(Message.objects.values_list("state").annotate(n=Count("id")))
        for state in State:
            self.stdout.write(f"{state.label}：{counts.get(state.value, 0)} 条")
        due = outbox._due(timezone.now()).count()
        if due:
            self.stdout.write(f"其中 {due} 条已到发送时间。")
        failed = counts.get(State.FAILED.value, 0)
        if send and failed:
            raise CommandError(
                f"{failed} 条通知发送失败、已停止重试：请在案件页查看原因并重新发送。"
            )
