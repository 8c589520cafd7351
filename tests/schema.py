"""A database's schema as Django's introspection reads it, and a database built by the real
migrations in a process of its own.

The test databases are built from the models (`--nomigrations`: 0.5 s rather than 10-16 s a
database and a test process); tests/test_migrations.py checks that the migrations build the
same schema, on SQLite and on PostgreSQL, and the crash tests start from the migrated file."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = {"django_migrations"}  # the migrations' own record
MIGRATE_AND_DESCRIBE = (
    "import django, json; django.setup()\n"
    "from django.core.management import call_command\n"
    "from django.db import connection\n"
    "from tests.schema import describe\n"
    "call_command('migrate', verbosity=0)\n"
    "print(json.dumps(describe(connection)))\n"
)


def describe(connection: Any, only: set[str] | None = None) -> dict[str, Any]:
    """Each table (or those in `only`): its columns (name → type, null allowed) and its
    constraints and indexes (by what they cover and do, not by name: SQLite names some of them
    itself)."""
    found: dict[str, Any] = {}
    introspection = connection.introspection
    with connection.cursor() as cursor:
        tables = set(introspection.table_names(cursor)) - LEFT_OUT
        for table in sorted(tables if only is None else tables & only):
            columns = {
                c.name: [str(c.type_code), bool(c.null_ok)]
                for c in introspection.get_table_description(cursor, table)
            }
            constraints = sorted(
                json.dumps(
                    [
                        sorted(c["columns"] or []),
                        bool(c["primary_key"]),
                        bool(c["unique"]),
                        list(c["foreign_key"] or []),
                        bool(c["check"]),
                        bool(c["index"]),
                    ]
                )
                for c in introspection.get_constraints(cursor, table).values()
            )
            found[table] = {"columns": columns, "constraints": constraints}
    return found


def migrate(database_url: str) -> dict[str, Any]:
    """Run every migration on the (empty) database at `database_url`, in a process of its own
    as `tremplin migrate` would, and describe the schema they built."""
    env = {**os.environ, "DATABASE_URL": database_url,
           "DJANGO_SETTINGS_MODULE": "tremplin.settings"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", MIGRATE_AND_DESCRIBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def migrated_sqlite(store: Path) -> tuple[Path, dict[str, Any]]:
    """A SQLite file built by the migrations and its schema, made once per test run: the
    processes of the run share `store`; one migrates, the others wait for it."""
    kept, schema = store / "migrated.sqlite3", store / "migrated-schema.json"
    with (store / "migrated.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not schema.exists():
            building = store / "migrating.sqlite3"
            described = migrate(f"sqlite:///{building}")
            copy_sqlite(building, kept)
            schema.write_text(json.dumps(described))
    return kept, json.loads(schema.read_text())


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (the backup API: the WAL file included)."""
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        origin.close()
        copy.close()
