"""gongkai remind: e-mail each handler the cases that need them today (the daily digest). Run
it from cron once a working day (docs/applications.md, 提醒邮件). The messages go through the
outbox like every other (docs/notices.md): queued, then sent at once; one the mail server
refuses is tried again later by the background jobs, and the command says so."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from gongkai.agencies.models import Membership
from gongkai.applications import reminders, services
from gongkai.clock import statutory
from gongkai.core.command import BaseCommand
from gongkai.notices import outbox
from gongkai.notices.models import Channel, Message, State


class Command(BaseCommand):
    help = "给承办人发送到期、超期和等待申请人的申请提醒邮件"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=3, help="提醒几个工作日内到期的申请（默认 3）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发送")
        parser.add_argument(
            "--base-url",
            default="",
            help="邮件中链接的网站地址，如 https://gk.example.gov.cn（默认 GONGKAI_SITE_URL）",
        )

    def handle(self, *args, days, dry_run, base_url, **options):
        if not 1 <= days <= 60:
            self.stderr.write("--days 应为 1 到 60 之间的工作日数。")
            return
        today = services.today()
        base_url = (base_url or settings.SITE_URL).rstrip("/")
        # A year file put in place by hand (not through gongkai calendar add) is caught up here.
        moved = services.recalculate_open_cases(None, "提醒任务运行时发现日历已更新")
        if moved:
            self.stdout.write(f"{len(moved)} 件申请的期限已按更新后的日历重新计算。")
        items = reminders.collect(today, days)
        if not items:
            self.stdout.write("没有需要提醒的申请。")
            return
        # One message per person: the assignee, or every handler of the agency if none.
        per_user: dict[int, list] = defaultdict(list)
        handlers = defaultdict(list)
        for membership in Membership.objects.filter(
            role__in=services.CASE_ROLES, user__is_active=True
        ):
            handlers[membership.agency_id].append(membership.user_id)
        for item in items:
            agency_handlers = handlers[item.application.agency_id]
            # The assignee while they still handle the agency's cases; else every handler
            # (an assignee who left or was deactivated must not leave a case untold).
            assignee = item.application.assignee_id
            targets = [assignee] if assignee in agency_handlers else agency_handlers
            for user_id in set(targets):
                per_user[user_id].append(item)
        users = get_user_model().objects.in_bulk(list(per_user))
        queued: list[tuple[Message, object]] = []
        for user_id, user_items in per_user.items():
            user = users.get(user_id)
            if user is None or not user.is_active:
                continue
            lines = [
                f"- {i.application.tracking_number}（{i.application.agency.display_name}）"
                f"：{i.reason}  {base_url}{reverse('office:case', args=[i.application.pk])}"
                for i in sorted(user_items, key=lambda i: (i.rank, i.application.pk))
            ]
            body = (
                f"{user.get_full_name() or user.username}：\n\n"
                f"截至 {today}，以下政府信息公开申请需要您处理：\n\n" + "\n".join(lines) + "\n"
            )
            years = sorted({y for i in user_items for y in i.application.provisional_years()})
            if years:
                body += f"\n标有“{statutory.MARK}”的日期：{statutory.why(years)}\n"
            if dry_run or not user.email:
                self.stdout.write(f"[{user.username}{'' if user.email else '（无邮箱）'}]\n{body}")
                continue
            with transaction.atomic():
                message = outbox.queue(
                    topic="digest",
                    channel=Channel.EMAIL,
                    to=user.email,
                    subject=f"政府信息公开申请提醒：{len(user_items)} 件",
                    body=body,
                    user=user,
                )
            queued.append((message, user))
        # Sent now (a worker would take them too: a claimed row is sent once).
        for message, _user in queued:
            outbox.send_now(message.pk)
        failed = []
        for message, user in queued:
            message.refresh_from_db()
            if message.state != State.SENT:
                failed.append(user)
                self.stderr.write(
                    f"发给 {user.username}（{user.email}）的提醒邮件发送失败，将自动重试："
                    f"{message.last_error}"
                )
        sent = len(queued) - len(failed)
        self.stdout.write(
            f"{len(items)} 件申请需要提醒，已发送 {sent} 封邮件"
            + (f"，{len(failed)} 封发送失败（将自动重试）。" if failed else "。")
        )
        if failed:  # cron reports a non-zero exit
            raise CommandError(f"{len(failed)} 封提醒邮件发送失败，将自动重试，其余已发送。")
