"""`upsert_usage`, the one writer of AI-tool usage (the file import and the REST API call it):
all rows or none, each bad row named with its field, the same rows twice counted once."""

import datetime as dt

import pytest
from django.db import transaction

from tremplin.insights import usage
from tremplin.insights.usage import upsert_usage
from tremplin.insights.usage_models import UsageDay
from tremplin.people.models import OrgUnit

pytestmark = pytest.mark.usefixtures("english")

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def people(org):
    for key, email in (("seller_a", "Anne.Seller@Example.fr"), ("seller_b", "b@example.fr"),
                       ("accountant", "compta@example.fr")):  # fmt: skip
        org.people[key].email = email
        org.people[key].save(update_fields=["email"])
    return org.people


def _rows():
    return [
        {"email": "anne.seller@example.FR", "tool": "Copilot", "day": "2026-11-19", "actions": 4},
        {"employee_id": "SELLER_B", "tool": "Copilot", "day": dt.date(2026, 11, 19)},
        {"email": "compta@example.fr", "tool": "ChatGPT", "day": "2026-11-18", "active": 0},
        {"unit": "FIN", "tool": "ChatGPT", "day": "2026-11-18", "active": 2, "actions": 30},
    ]


def test_rows_are_stored_once_and_sent_again_change_nothing(people):
    report = upsert_usage(_rows(), today=TODAY)
    assert report.ok and report.written
    assert (report.rows, report.created, report.updated, report.unchanged) == (4, 4, 0, 0)
    anne = UsageDay.objects.get(person=people["seller_a"])
    assert (anne.tool, anne.day, anne.active, anne.actions, anne.source) == (
        "Copilot", dt.date(2026, 11, 19), 1, 4, "api")  # fmt: skip
    team = UsageDay.objects.get(unit__code="FIN")
    assert (team.person, team.active, team.actions) == (None, 2, 30)
    again = upsert_usage(_rows(), today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = _rows()
    changed[0]["actions"] = 9
    third = upsert_usage(changed, source="file", today=TODAY)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 3)
    assert UsageDay.objects.count() == 4
    anne.refresh_from_db()
    assert (anne.actions, anne.source) == (9, "file")


def test_a_bad_row_stops_everything_and_each_problem_names_its_row(people):
    rows = [
        *_rows(),
        {"email": "nobody@example.fr", "tool": "Copilot", "day": "2026-11-19"},  # 4
        {"employee_id": "X999", "tool": "Copilot", "day": "2026-11-19"},  # 5
        {"email": "b@example.fr", "tool": "Copilot", "day": "2026-11-21"},  # 6: tomorrow
        {"email": "b@example.fr", "tool": "Copilot", "day": "2026-11-10", "actions": -3},  # 7
        {"email": "b@example.fr", "tool": "", "day": "2026-11-10"},  # 8
        {"email": "b@example.fr", "tool": "Copilot", "day": "19/11/2026"},  # 9
        {"email": "b@example.fr", "tool": "Copilot", "day": "2026-11-10", "active": 2},  # 10
        {"unit": "NOPE", "tool": "Copilot", "day": "2026-11-10"},  # 11
        {"tool": "Copilot", "day": "2026-11-10"},  # 12
        {"employee_id": "SELLER_B", "tool": "Copilot", "day": "2026-11-19"},  # 13: repeats 1
        {"email": "b@example.fr", "tool": "Copilot", "day": "2026-11-10", "actions": 1.5},  # 14
    ]
    report = upsert_usage(rows, today=TODAY)
    assert not report.written and UsageDay.objects.count() == 0
    found = {(p.index, p.field): (p.value, p.message) for p in report.problems}
    assert found[(4, "email")] == ("nobody@example.fr", "no person has this e-mail")
    assert found[(5, "employee_id")] == ("X999", "no person has this employee id")
    assert found[(6, "day")] == ("2026-11-21", "this day is in the future")
    assert found[(7, "actions")] == ("-3", "expected a whole number of 0 or more")
    assert (8, "tool") in found and found[(9, "day")][1] == "expected a date as yyyy-mm-dd"
    assert "or 0" in found[(10, "active")][1]
    assert found[(11, "unit")][1] == "no org unit has this code"
    assert (12, "employee_id/email/unit") in found
    assert found[(13, "day")] == ("2026-11-19", "row 1 already gives this person (or team), "
                                                "tool and day")  # fmt: skip
    assert found[(14, "actions")][1] == "expected a whole number of 0 or more"
    assert len(report.problems) == 11


def test_a_shared_email_is_refused_rather_than_guessed(people):
    people["seller_b"].email = "anne.seller@example.fr"
    people["seller_b"].save(update_fields=["email"])
    report = upsert_usage(_rows()[:1], today=TODAY)
    assert report.problems[0].message.startswith("several people have this e-mail")


def test_a_dry_run_counts_without_writing(people):
    upsert_usage(_rows()[:2], today=TODAY)
    report = upsert_usage(_rows(), today=TODAY, dry_run=True)
    assert (report.created, report.unchanged, report.written) == (2, 2, False)
    assert UsageDay.objects.count() == 2


def test_batches_are_all_or_nothing_even_when_the_bad_row_comes_late(people, monkeypatch):
    monkeypatch.setattr(usage, "BATCH", 2)
    monkeypatch.setattr(usage, "WRITE_BATCH", 2)
    days = [TODAY - dt.timedelta(days=d) for d in range(7)]
    rows = [{"email": "b@example.fr", "tool": "Copilot", "day": d} for d in days]
    repeated = [*rows, rows[0]]  # the repeat sits in the last batch, the first one written
    report = upsert_usage(repeated, today=TODAY)
    assert [p.index for p in report.problems] == [7] and UsageDay.objects.count() == 0
    report = upsert_usage(rows, today=TODAY)
    assert report.created == 7 and UsageDay.objects.count() == 7


def test_too_many_problems_are_counted_beyond_the_first_thousand(people):
    rows = [{"email": f"x{i}@example.fr", "tool": "T", "day": "2026-11-01"} for i in range(1500)]
    report = upsert_usage(rows, today=TODAY)
    assert len(report.problems) == 1000 and report.more_problems == 500


def test_inside_a_larger_transaction_it_can_run_twice(people):
    with transaction.atomic():
        assert upsert_usage(_rows()[:2], today=TODAY).created == 2
        assert upsert_usage(_rows()[2:], today=TODAY).created == 2
    assert UsageDay.objects.count() == 4
    assert OrgUnit.objects.get(code="FIN").usage_days.count() == 1


def test_without_foreign_keys_the_people_named_are_locked_and_a_deleted_one_refused(
    people, monkeypatch
):
    """PostgreSQL: the usage table has no foreign keys in the database (they cost half the
    time at ten million rows): each batch locks the people it names, and refuses rows about
    someone deleted since they were checked."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the foreign keys' replacement is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [UsageDay._meta.db_table],
        )
        assert cursor.fetchone()[0] == 0
    assert upsert_usage(_rows(), today=TODAY).created == 4
    checked = usage._Checker.__init__

    def with_a_ghost(self, *args):
        checked(self, *args)
        self.by_id["GHOST"] = 10**9  # checked, then deleted before its rows are written

    monkeypatch.setattr(usage._Checker, "__init__", with_a_ghost)
    ghost = [{"employee_id": "GHOST", "tool": "Copilot", "day": "2026-11-01"}]
    with pytest.raises(RuntimeError, match="deleted meanwhile"):
        upsert_usage(ghost, today=TODAY)
    assert UsageDay.objects.count() == 4


def test_deleting_a_person_or_a_team_deletes_their_usage(people):
    """No foreign key in the database: Django deletes the rows of whom it deletes."""
    upsert_usage(_rows(), today=TODAY)
    seller, fin = people["seller_b"].pk, OrgUnit.objects.get(code="FIN")
    people["seller_b"].delete()
    assert not UsageDay.objects.filter(person_id=seller).exists()
    fin.members.update(org_unit=None)
    fin.children.update(parent=None)
    unit = fin.pk
    fin.delete()
    assert not UsageDay.objects.filter(unit_id=unit).exists()
    assert UsageDay.objects.count() == 2


def test_the_usual_rows_short_cut_takes_nothing_the_full_check_refuses(people):
    """Once a tool and a day have been met, a person's row is taken in one step: every way it
    can still be wrong must reach the full check and be named."""
    good = {"employee_id": "SELLER_A", "tool": "Copilot", "day": "2026-11-19", "actions": 4}
    rows = [
        good,
        {**good, "email": "b@example.fr"},  # two ways to name the person
        {**good, "unit": "FIN"},
        {**good, "active": 2},  # a person is active or not
        {**good, "active": True},
        {**good, "actions": -1},
        {**good, "actions": 2**31},
        {**good, "day": "2026-11-21"},  # after today
        {**good, "employee_id": "seller_a"},  # not as stored
        {**good, "employee_id": ""},
    ]
    report = upsert_usage(rows, today=TODAY)
    found = [(p.index, p.field) for p in report.problems if "already gives" not in p.message]
    assert found == [(1, "employee_id/email/unit"), (2, "employee_id/email/unit"), (3, "active"),
                     (4, "active"), (5, "actions"), (6, "actions"), (7, "day"),
                     (8, "employee_id"), (9, "employee_id/email/unit")]  # fmt: skip
    assert not report.written and not UsageDay.objects.exists()
