"""gongkai manage search_rebuild: segment every search entry again and rebuild the full-text
index (after upgrading jieba, or to repair a database whose index was lost)."""

from __future__ import annotations

import time

from gongkai.core.command import BaseCommand
from gongkai.search import index


class Command(BaseCommand):
    help = "重新分词并重建全文检索索引"

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            self.stdout.write(
                f"已处理 {done:,} / {total:,} 条（{time.monotonic() - started:.0f} 秒）"
            )

        count = index.rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"全文检索索引已重建：{count:,} 条，用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
