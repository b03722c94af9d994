from django.core.management.base import CommandError
from django.db import DatabaseError

from gongkai.core.command import BaseCommand
from gongkai.site import backup


class Command(BaseCommand):
    # A backup (or a restore onto a new machine) must not wait for what the web server needs:
    # the fonts of the PDF letters, the HTTPS proxy. Storage and database errors stop it anyway.
    requires_system_checks = []
    help = (
        "把数据库（全部记录）、存储中的全部文件和节假日安排备份到一个 ZIP 归档。"
        "默认写到数据目录的 backups/ 下，文件名含时间；归档含个人信息，权限为 600。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            metavar="文件",
            help="归档写到哪里（文件，或文件夹：其中按时间命名）；默认 数据目录/backups/",
        )

    def handle(self, *args, output, verbosity, **options):
        progress = self._progress if verbosity >= 1 else None
        try:
            result = backup.backup(output, **({"progress": progress} if progress else {}))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:  # writing the archive: the disk is full, the folder read-only
            raise CommandError(f"备份失败，没有留下备份文件：{exc}") from None
        except DatabaseError as exc:
            raise CommandError(
                f"备份失败，没有留下备份文件：{backup.describe_database()} 出错：{exc}"
            ) from None
        self.stdout.write(result.summary())

    def _progress(self, text: str) -> None:
        self.stderr.write(text)
        self.stderr.flush()
