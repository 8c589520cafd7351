"""A database's rows kept in memory and written back in a fraction of the time they took to
build: the demo company is built once per test session, not once per test that uses it.

`capture()` reads every application table; `restore()` writes the rows back into empty tables
in one transaction (foreign keys are checked at its end, so the order does not matter) and, on
PostgreSQL, moves the id sequences past them. Content types and permissions are left out: the
migrations create them in every test database, under ids that may differ after a flush; a
permission given to a user (the demo's lead may open the admin) is kept by its natural key.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management.color import no_style
from django.db import connection, transaction

LEFT_OUT = {"django_content_type", "auth_permission", "auth_user_user_permissions"}
# Rows that would point at a content type or a permission: the demo writes none.
MUST_BE_EMPTY = {"auth_group_permissions", "django_admin_log"}


@dataclass
class Rows:
    tables: list[tuple[str, list[str], object]] = field(default_factory=list)
    # (user id, app label, model, codename) of every permission given to a user
    user_permissions: list[tuple[int, str, str, str]] = field(default_factory=list)


def _tables() -> list[str]:
    return sorted(set(connection.introspection.django_table_names(only_existing=True)) - LEFT_OUT)


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def capture() -> Rows:
    rows = Rows()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            columns = _columns(table)
            names = ", ".join(qn(c) for c in columns)
            if connection.vendor == "postgresql":
                buffer = io.BytesIO()
                with cursor.cursor.copy(f"COPY {qn(table)} ({names}) TO STDOUT") as copy:
                    for chunk in copy:
                        buffer.write(chunk)
                data: object = buffer.getvalue()
                empty = not data
            else:
                cursor.execute(f"SELECT {names} FROM {qn(table)}")
                data = cursor.fetchall()
                empty = not data
            if empty:
                continue
            if table in MUST_BE_EMPTY:
                raise AssertionError(f"{table} has rows: they would point at stale ids")
            rows.tables.append((table, columns, data))
    given = Permission.user_set.through.objects.values_list(
        "user_id", "permission__content_type__app_label", "permission__content_type__model",
        "permission__codename",
    )  # fmt: skip
    rows.user_permissions = list(given)
    return rows


def restore(rows: Rows) -> None:
    """Write the captured rows into the (empty) tables of the current test database."""
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        trusted = connection.vendor == "postgresql" and _superuser(cursor)
        if trusted:  # rows read from a consistent database: their foreign keys are not checked
            cursor.execute("SET session_replication_role = replica")  # again at the test's end
        for table, columns, data in rows.tables:
            names = ", ".join(qn(c) for c in columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                    copy.write(data)  # type: ignore[arg-type]
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", data)
        if trusted:
            cursor.execute("SET session_replication_role = DEFAULT")
        ids = {
            (p.content_type.app_label, p.content_type.model, p.codename): p.pk
            for p in Permission.objects.select_related("content_type")
        }
        Permission.user_set.through.objects.bulk_create(
            Permission.user_set.through(user_id=user, permission_id=ids[(app, model, codename)])
            for user, app, model, codename in rows.user_permissions
        )
        if connection.vendor == "postgresql":
            filled = {table for table, _, _ in rows.tables}
            models = [
                m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in filled
            ]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def _superuser(cursor) -> bool:
    """Whether the PostgreSQL account may turn foreign-key triggers off (the test server's may:
    about 1 s less per test on the demo company, each row's check otherwise deferred to the
    test's end)."""
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    return bool(cursor.fetchone()[0])
