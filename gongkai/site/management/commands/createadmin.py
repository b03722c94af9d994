import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from gongkai.core.command import BaseCommand
from gongkai.history.models import record


class Command(BaseCommand):
    help = (
        "新建系统管理员账号。密码从环境变量 GONGKAI_ADMIN_PASSWORD 读取；未设置时在终端中提示输入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="登录名")
        parser.add_argument("--name", default="系统管理员", help="姓名")
        parser.add_argument("--email", default="", help="电子邮箱")

    def handle(self, *args, username, name, email, **options):
        User = get_user_model()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"登录名 {username} 已存在。")
        password = os.environ.get("GONGKAI_ADMIN_PASSWORD")
        if password is None:
            if not os.isatty(0):
                raise CommandError(
                    "请设置环境变量 GONGKAI_ADMIN_PASSWORD，或在终端中运行本命令以输入密码。"
                )
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致。")
        candidate = User(username=username, first_name=name, email=email)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from None
        with transaction.atomic():
            user = User.objects.create_superuser(username, email, password, first_name=name)
            record(None, "user.create_admin", user, summary=f"新建系统管理员：{username}")
        self.stdout.write(f"系统管理员 {username} 已建立。")
