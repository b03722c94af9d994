"""Backup and restore of a whole site: the database and every stored file in one ZIP archive.

The archive (docs/backup.md) holds:

* ``database/<app>.<model>.jsonl``: every row of every model, one JSON object a line (Django's
  JSON Lines serializer), so that a SQLite backup restores into PostgreSQL and back. Rows keep
  their primary keys, because the history refers to its subjects by key (``Event.subject_id``)
  and a restored site must keep its addresses (``/office/cases/17/``). Only the rows that
  ``migrate`` creates itself, content types and permissions, whose keys differ from one database
  to the next, are carried and referred to by natural key.
* ``files/<name>``: every file of the default storage (attachments, job inputs, whatever else
  the site keeps there), read through Django's storage API, so that the same code backs up the
  data folder or a bucket.
* ``calendars/<year>.json``: the holiday arrangements administrators loaded; the deadlines of
  the restored cases are computed from them.
* ``manifest.json``, written last: the gongkai version, the applied migrations, the rows per
  model, and the size and SHA-256 of every member.

Not carried: sessions (a restored site logs everyone out) and the secret key. Nothing stored
depends on the key: passwords are salted hashes, query codes and idempotency keys are plain
SHA-256, so a site restored on a new machine with a key of its own keeps working; what the key
signs (session cookies, message cookies) lives for hours, not years. The archive still holds
applicants' personal data and the staff's password hashes: it is written with mode 600.

A restore checks the whole archive before it touches anything, replaces the database in one
transaction, and only then writes the files.
"""

from gongkai.site.backup.reading import Archive, check_database, open_archive
from gongkai.site.backup.restoring import RestoreResult, restore
from gongkai.site.backup.schema import BackupError, describe_database, existing_records
from gongkai.site.backup.writing import BackupResult, backup, default_path

__all__ = [
    "Archive",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "backup",
    "check_database",
    "default_path",
    "describe_database",
    "existing_records",
    "open_archive",
    "restore",
]
