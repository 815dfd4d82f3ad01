"""``ig backup`` and ``ig restore``: the database in one file, without the keys.

A backup file is a tar archive of two members: ``manifest.json`` (what the backup
holds and what it deliberately does not, the schema revision, the audit trail's head
and a check value of each key) and the database itself (a ``pg_dump`` custom-format
dump, or a SQLite copy made with SQLite's backup API). The data keys are never in it.
"""
