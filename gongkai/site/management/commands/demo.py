from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.command import BaseCommand
from gongkai.site import demo


class Command(BaseCommand):
    help = "载入演示数据（云溪县：政府、部门、乡镇及各角色工作人员）。重复运行不会重复创建。"

    def handle(self, *args, **options):
        # A new data folder has no tables yet: create them first, as ``serve`` does.
        call_command("migrate", verbosity=0, interactive=False)
        try:
            created = demo.load()
        except demo.NotADemoDatabase as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"演示数据已就绪：新建机关 {created['agencies']} 个、人员 {created['people']} 名、"
            f"角色 {created['roles']} 项、申请 {created['applications']} 件、"
            f"目录信息 {created['items']} 条。"
            f"演示账号的密码均为 {demo.DEMO_PASSWORD}。"
        )
