"""`tremplin publication` on the demo: the exact outside-audit format, and the independent
attackers find nothing in what the works council receives."""

import json

import pytest
from django.core.management import call_command

from tests.compute.publication_attackers import sum_attack


def test_the_works_council_publication_is_written_in_the_audit_format(demo, tmp_path):
    out = tmp_path / "cse.json"
    call_command("publication", "--audience", "cse", "--output", str(out))
    data = json.loads(out.read_text())
    assert data["audience"] == "cse" and data["min_group"] == 10
    assert data["variables"]["one"] == [1, 1] and data["variables"]["level:T1-FUNDAMENTALS"] == [
        0,
        4,
    ]
    shown = [f for f in data["figures"] if f["value"] is not None]
    assert shown and any(f["value"] is None for f in data["figures"])
    first = shown[0]
    assert set(first) == {"id", "period", "members", "numerator", "denominator", "value",
                          "precision"}  # fmt: skip
    # Every shown figure is over at least k people, and the works council's tables cross no
    # two population dimensions.
    assert all(len(f["members"]) >= 10 for f in shown)
    tables = {f["id"].split("/")[0] for f in data["figures"]}
    assert tables == {"by-total", "by-department", "by-department-2", "by-family",
                      "by-persona", "by-site", "by-wave", "by-cohort"}  # fmt: skip


@pytest.mark.parametrize("variable", ["level:T1-FUNDAMENTALS", "level:1", "levels"])
def test_no_small_sum_is_recovered_from_the_demo_publication(demo, tmp_path, variable):
    out = tmp_path / "cse.json"
    call_command("publication", "--audience", "cse", "--output", str(out))
    data = json.loads(out.read_text())
    mine = [f for f in data["figures"] if variable in (f["numerator"], f["denominator"])]
    data["figures"] = mine
    assert mine and sum_attack(data) == []


def test_a_manager_publication_covers_their_line_only(demo, tmp_path):
    from tremplin.people.models import Person

    out = tmp_path / "manager.json"
    call_command("publication", "--audience", "manager:manager", "--output", str(out))
    data = json.loads(out.read_text())
    manager = Person.objects.get(user__username="manager")
    line = set(
        Person.objects.reporting_line_of(manager)
        .filter(active=True)
        .values_list("employee_id", flat=True)
    )
    members = {m for f in data["figures"] for m in f["members"]}
    assert members == line
