"""The full-text index of ``search_entry``, per database, outside Django's model state.

:func:`install` and :func:`uninstall` have the signature of ``migrations.RunPython`` functions and
look at ``schema_editor.connection.vendor``, so one migration serves both databases;
:func:`install_on` does the same for a connection (``search_rebuild``). Every
statement is idempotent (``IF NOT EXISTS`` / ``IF EXISTS``): :func:`install` also repairs a
database whose triggers were lost to a SQLite table rebuild. Changing a statement here changes
what migration 0002 does on a new database: add a new migration for an existing one.
"""

from __future__ import annotations

# FTS5 over the pre-segmented ``tokens``: jieba has already split the text and tokens are
# separated by single spaces, so unicode61 makes every jieba word exactly one FTS token.
# External content: the index reads ``tokens`` back from search_entry and stores no copy.
SQLITE_INSTALL = (
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS search_entry_fts USING fts5(
        tokens, content='search_entry', content_rowid='id', tokenize='unicode61'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, tokens) VALUES (new.id, new.tokens);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, tokens)
        VALUES ('delete', old.id, old.tokens);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_entry_fts_update AFTER UPDATE ON search_entry
    WHEN old.tokens IS NOT new.tokens OR old.id IS NOT new.id BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, tokens)
        VALUES ('delete', old.id, old.tokens);
        INSERT INTO search_entry_fts(rowid, tokens) VALUES (new.id, new.tokens);
    END
    """,
    # Index whatever rows exist already (none on a new database; all after a repair).
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
)

SQLITE_UNINSTALL = (
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
)

SQLITE_TRIGGERS = ("search_entry_fts_insert", "search_entry_fts_delete", "search_entry_fts_update")

# 'simple' lower-cases and keeps every word (no stemming, no stop words): the tokens are already
# jieba words, so each one becomes one lexeme. A stored generated column needs no trigger.
# STORAGE MAIN keeps the tsvector in the table row (compressed) and sends body and tokens to
# TOAST first: matching and ts_rank() then read no TOAST, which makes a query on a common word
# about five times faster.
POSTGRESQL_INSTALL = (
    """
    ALTER TABLE search_entry ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED
    """,
    "ALTER TABLE search_entry ALTER COLUMN search_vector SET STORAGE MAIN",
    """
    CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON search_entry
    USING gin (search_vector)
    """,
)
# For each statement above: true when what it makes is already there.
POSTGRESQL_PRESENT = """
    SELECT
        EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'search_entry'::regclass
                AND attname = 'search_vector' AND NOT attisdropped),
        EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'search_entry'::regclass
                AND attname = 'search_vector' AND NOT attisdropped AND attstorage = 'm'),
        to_regclass('search_entry_vector_gin') IS NOT NULL
"""

POSTGRESQL_UNINSTALL = (
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS search_vector",
)

_INSTALL = {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRESQL_INSTALL}
_UNINSTALL = {"sqlite": SQLITE_UNINSTALL, "postgresql": POSTGRESQL_UNINSTALL}


def install_on(connection) -> None:
    """Create (or repair) the full-text index on ``connection``'s database."""
    statements = _INSTALL.get(connection.vendor)
    if statements is None:
        raise RuntimeError(
            f"全文检索不支持 {connection.vendor} 数据库：请使用 SQLite 或 PostgreSQL。"
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE and CREATE INDEX, even IF NOT EXISTS, fail in a transaction that has
            # pending foreign-key checks: run only what is missing.
            cursor.execute(POSTGRESQL_PRESENT)
            have = cursor.fetchone()
            statements = [sql for sql, done in zip(statements, have, strict=True) if not done]
        for statement in statements:
            cursor.execute(statement)


def install(apps, schema_editor) -> None:
    install_on(schema_editor.connection)


def uninstall(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in _UNINSTALL.get(schema_editor.connection.vendor, ()):
            cursor.execute(statement)
