"""`tremplin backup FILE` and `tremplin restore FILE`: the whole database in one file.

SQLite is copied with its online backup API (consistent while the server runs, page by page);
PostgreSQL with `pg_dump` in its custom format and brought back with `pg_restore` in a single
transaction (all or nothing). A restore checks the file first, replaces the database, then
applies any migration the file predates, so an older backup comes back on a newer Tremplin.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.db import connection

POSTGRES_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


def _vendor() -> str:
    return str(connection.vendor)


def _pg_env() -> dict[str, str]:
    found = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if found.get(key):
            env[name] = str(found[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


def backup(target: Path) -> str:
    """Write the database to `target`; returns what was written."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    if _vendor() == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(partial) as copy:
            connection.connection.backup(copy)
        copy.close()
    elif _vendor() == "postgresql":
        name = str(connection.settings_dict["NAME"])
        done = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", name],
            env=_pg_env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    else:
        raise BackupError(f"No backup for the {_vendor()} database.")
    partial.replace(target)  # a backup file is whole or absent
    return f"{_vendor()} database written to {target} ({target.stat().st_size:,} bytes)"


def restore(source: Path) -> str:
    """Replace the database with the backup `source`, then migrate it forward."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    with source.open("rb") as handle:
        head = handle.read(16)
    if _vendor() == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup of Tremplin.")
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
            check = backup_db.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in backup_db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}  # fmt: skip
            if check != "ok" or "django_migrations" not in tables:
                raise BackupError(f"{source} is damaged or is not a Tremplin database ({check}).")
            connection.ensure_connection()
            backup_db.backup(connection.connection)
        backup_db.close()
    elif _vendor() == "postgresql":
        if not head.startswith(POSTGRES_MAGIC):
            raise BackupError(f"{source} is not a PostgreSQL backup (pg_dump custom format).")
        name = str(connection.settings_dict["NAME"])
        connection.close()  # pg_restore replaces the tables this connection would hold
        done = subprocess.run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={name}", str(source)],
            env=_pg_env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise BackupError(f"pg_restore failed, nothing was changed: {done.stderr.strip()}")
    else:
        raise BackupError(f"No restore for the {_vendor()} database.")
    call_command("migrate", interactive=False, verbosity=0)
    return f"{_vendor()} database restored from {source}"
