"""`tremplin backup` and `tremplin restore`: a round trip brings the database back as it was,
on SQLite (online backup API) and on PostgreSQL (pg_dump / pg_restore), whichever the suite
runs on; a file that is not a backup changes nothing."""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tremplin.backups import BackupError, backup, restore
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def migrations_recorded():
    """The database as `tremplin migrate` leaves it, with its record of the migrations run
    (the test database is built from the models): restore refuses a file without one."""
    MigrationRecorder(connection).ensure_schema()


def _people() -> list[tuple[str, str, int | None]]:
    return list(Person.objects.order_by("employee_id").values_list(
        "employee_id", "reporting_path", "manager_id"))  # fmt: skip


def test_a_round_trip_gives_the_database_back(org, tmp_path):
    before = _people()
    target = tmp_path / "tremplin.backup"
    assert "written to" in backup(target)
    assert target.stat().st_size > 10_000 and not (tmp_path / "tremplin.backup.part").exists()
    Person.objects.filter(employee_id="SELLER_B").delete()
    Person.objects.create(employee_id="NEW", first_name="New", last_name="Comer")
    assert _people() != before
    assert "restored from" in restore(target)
    assert _people() == before
    assert org.users["lead"].person.employee_id == "HR"  # logins and links came back too


def test_a_file_that_is_not_a_backup_changes_nothing(org, tmp_path):
    before = _people()
    fake = tmp_path / "notes.backup"
    fake.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a"):
        restore(fake)
    with pytest.raises(BackupError, match="does not exist"):
        restore(tmp_path / "missing.backup")
    assert _people() == before
