"""The migrations build the schema the models describe, on SQLite and on PostgreSQL: the test
databases are built from the models (`--nomigrations`, pyproject.toml), and `tremplin migrate`
is what every installation runs."""

import json

import pytest
from django.db import connection

from tests.schema import describe, migrate

pytestmark = pytest.mark.django_db

# Django's own: its auth migrations give the three many-to-many tables of users, groups and
# permissions a bigint id under a project's DEFAULT_AUTO_FIELD, where the models say integer
# (PostgreSQL tells them apart, SQLite calls both integer). Only these columns may differ.
DJANGO_S_OWN = {("auth_group_permissions", "id"), ("auth_user_groups", "id"),
                ("auth_user_user_permissions", "id")}  # fmt: skip


def _fresh_postgresql() -> tuple[str, object]:
    """An empty database beside the test database, and a connection able to drop it."""
    import psycopg

    s = connection.settings_dict
    admin = psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"],
                            password=s["PASSWORD"], dbname="postgres", autocommit=True)  # fmt: skip
    name = f"{s['NAME']}_migrated"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}", admin


def test_the_migrations_build_the_schema_the_models_describe(request):
    if connection.vendor == "sqlite":  # the run's migrated file, which the crash tests start from
        built = request.getfixturevalue("migrated")[1]
    else:
        url, admin = _fresh_postgresql()
        try:
            built = migrate(url)
        finally:
            admin.execute(f'DROP DATABASE "{url.rsplit("/", 1)[1]}"')  # type: ignore[attr-defined]
            admin.close()  # type: ignore[attr-defined]
    models = describe(connection)
    assert sorted(built) == sorted(models)
    differ = {}
    for table in models:
        columns = {
            c: (built[table]["columns"].get(c), models[table]["columns"].get(c))
            for c in {*built[table]["columns"], *models[table]["columns"]}
            if built[table]["columns"].get(c) != models[table]["columns"].get(c)
            and (table, c) not in DJANGO_S_OWN
        }
        migrated, modelled = set(built[table]["constraints"]), set(models[table]["constraints"])
        if columns or migrated != modelled:
            differ[table] = {"columns (migrated, models)": columns,
                             "only migrated": sorted(migrated - modelled),
                             "only in the models": sorted(modelled - migrated)}  # fmt: skip
    assert not differ, json.dumps(differ, indent=1)


def test_the_description_sees_a_column_and_an_index_more():
    """The comparison above can fail: a schema planted with one column and one index more is
    told apart (rolled back with the test)."""
    site = {"people_site"}
    before = describe(connection, site)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE people_site ADD COLUMN planted integer")
    after_column = describe(connection, site)
    assert after_column["people_site"]["columns"] != before["people_site"]["columns"]
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX planted_index ON people_site (name)")
    after_index = describe(connection, site)
    assert after_index["people_site"]["constraints"] != after_column["people_site"]["constraints"]
