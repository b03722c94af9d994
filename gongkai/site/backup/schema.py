"""What an archive carries, and the database structure it must match."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

import gongkai

FORMAT = "gongkai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database/"
FILES = "files/"
CALENDARS = "calendars/"
# The holiday year files the archive carries: the names the calendar service saves.
CALENDAR_NAME = re.compile(r"\d{4}\.json")

# Rows that migrate makes on every database, each with an id of that database's own: carried
# with their natural keys instead of ids, and matched to the target's rows on restore.
SCHEMA_MODELS = ("contenttypes.contenttype", "auth.permission")
# Rows not carried. Sessions are signed with the secret key, which the archive does not carry,
# and a restored site must not keep anyone logged in as whoever had that user id before.
SKIPPED_MODELS = ("sessions.session",)

CHUNK = 1 << 20
PROGRESS_EVERY = 10_000

Progress = Callable[[str], None]


def quiet(_text: str) -> None:
    pass


class BackupError(Exception):
    """The backup or restore cannot go on; the message (Chinese) says why and what to do."""


# --- which rows ------------------------------------------------------------------------------


def concrete(model) -> bool:
    return model._meta.managed and not model._meta.proxy and not model._meta.swapped


def carried_models() -> list:
    """Every model whose rows the archive carries, in an order a restore can load them: the
    models with natural keys first (Django's dependency sort), content types before all."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    carried = [m for m in ordered if concrete(m) and m._meta.label_lower not in SKIPPED_MODELS]
    return sorted(carried, key=lambda m: m._meta.label_lower not in SCHEMA_MODELS)


def data_models() -> list:
    """The carried models that hold the site's data (not the ones migrate fills)."""
    return [m for m in carried_models() if m._meta.label_lower not in SCHEMA_MODELS]


def existing_records() -> int:
    """How many rows of site data the database holds (0: a freshly migrated database)."""
    return sum(model._base_manager.count() for model in data_models())


def describe_database() -> str:
    """The default database, as an operator recognises it."""
    connection = connections[DEFAULT_DB_ALIAS]
    data = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite 数据库 {data['NAME']}"
    where = f"{data.get('HOST') or 'localhost'}:{data.get('PORT') or 5432}"
    return f"{connection.display_name} 数据库 {data['NAME']}（{where}）"


# --- the schema ------------------------------------------------------------------------------


def applied_migrations(connection) -> set[tuple[str, str]]:
    """The migrations applied to the database, of the installed apps."""
    installed = {config.label for config in apps.get_app_configs()}
    recorded = MigrationRecorder(connection).applied_migrations()
    return {key for key in recorded if key[0] in installed}


def require_migrated(connection) -> None:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise BackupError(
            f"{describe_database()} 还没有迁移到这一版本 gongkai（{gongkai.__version__}）的结构"
            f"（有 {len(pending)} 个迁移未执行）：请先运行 gongkai manage migrate。"
        )
    unknown = applied_migrations(connection) - set(executor.loader.graph.nodes)
    if unknown:
        raise BackupError(
            f"{describe_database()} 中有这一版本 gongkai（{gongkai.__version__}）不认识的迁移"
            f"（{_names(unknown)}）：数据库来自更新的版本，请用那个版本的 gongkai 操作。"
        )


def _names(keys: Iterable[tuple[str, str]], limit: int = 5) -> str:
    keys = sorted(keys)
    shown = "、".join(f"{app}.{name}" for app, name in keys[:limit])
    return shown + (f" 等 {len(keys)} 个" if len(keys) > limit else "")


def check_schema(manifest: dict, connection) -> None:
    """The archive's database has exactly the structure of this database: the same migrations
    applied. Otherwise its rows would not fit (or silently lose a column)."""
    archive = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    here = applied_migrations(connection)
    version = manifest["gongkai_version"]
    newer, older = archive - here, here - archive
    if newer:
        raise BackupError(
            f"这份备份来自 gongkai {version}，其数据库结构比这一版本（{gongkai.__version__}）"
            f"新或不同（本版本没有迁移 {_names(newer)}）：请用 gongkai {version} 恢复。"
            "数据库没有改变。"
        )
    if older:
        raise BackupError(
            f"这份备份来自 gongkai {version}，其数据库结构比这一版本（{gongkai.__version__}）"
            f"旧（备份中没有迁移 {_names(older)}）：请先在 gongkai {version} 上恢复，"
            "再升级 gongkai 并运行 gongkai manage migrate。数据库没有改变。"
        )


def calendars_folder() -> Path:
    # The clock owns where the year files live (its loader reads them from there).
    from gongkai.clock.loader import calendars_folder as folder

    return folder()


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB", "TB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"
