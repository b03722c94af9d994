"""Refuse changes to the event table in the database itself, so that no code path, raw SQL
included, can rewrite history: UPDATE on SQLite and PostgreSQL, and DELETE on PostgreSQL (the
production database). SQLite keeps DELETE possible because Django empties a SQLite test database
with DELETE (PostgreSQL with TRUNCATE, which row triggers do not see); the model and its
queryset refuse deletes on both."""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER history_event_no_update BEFORE UPDATE ON history_event
BEGIN
    SELECT RAISE(ABORT, 'history_event is append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS history_event_no_update;"

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION history_event_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history_event is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_event_no_update BEFORE UPDATE OR DELETE ON history_event
    FOR EACH ROW EXECUTE FUNCTION history_event_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS history_event_no_update ON history_event;
DROP FUNCTION IF EXISTS history_event_refuse_update();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("history", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
