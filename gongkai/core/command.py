"""The base of gongkai's management commands: Django's ``BaseCommand`` with its argument
parser in Chinese (``gongkai.argparse_zh``), so that ``gongkai import-items`` without its file
says 缺少必需的参数 like every other gongkai command."""

from __future__ import annotations

from django.core.management.base import BaseCommand as DjangoCommand

from gongkai.argparse_zh import in_chinese


class BaseCommand(DjangoCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        return in_chinese(super().create_parser(prog_name, subcommand, **kwargs))
