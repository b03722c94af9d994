"""The full-text index: FTS5 table and triggers on SQLite, tsvector column and GIN index on
PostgreSQL. Kept out of the model state (see gongkai.search.ddl), so each database gets only its
own DDL and makemigrations sees nothing to do."""

from django.db import migrations

from gongkai.search import ddl


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(ddl.install, ddl.uninstall, elidable=False),
    ]
