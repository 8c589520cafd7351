"""The Article 4 register: measures rebuilt for a past day from the dated history, people
concerned by each system, contractors included, the council's copy holding totals only, no
dossier for a day to come."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.learning.conftest import catalogue, framework  # noqa: F401  (fixtures)
from tremplin.governance import literacy, register_figures
from tremplin.governance.models import Acknowledgement, AISystem, Charter, SystemStatus
from tremplin.governance.services import save_system
from tremplin.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def history(org):
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    system = AISystem(name="Copilote", status=SystemStatus.APPROVED, created_at=long_ago)
    save_system(system=system, by=org.users["lead"])
    system.units.set([org.people["seller_a"].org_unit])  # the sales department
    old = Charter.objects.create(version=1, title_fr="C", title_en="C", body_fr="T", body_en="T",
                                 published_on=today - datetime.timedelta(days=300))  # fmt: skip
    new = Charter.objects.create(version=2, title_fr="C", title_en="C", body_fr="T", body_en="T",
                                 published_on=today - datetime.timedelta(days=10))  # fmt: skip
    Acknowledgement.objects.create(charter=old, person=org.people["seller_a"],
                                   at=timezone.now() - datetime.timedelta(days=200))  # fmt: skip
    Acknowledgement.objects.create(charter=new, person=org.people["seller_b"],
                                   at=timezone.now() - datetime.timedelta(days=2))  # fmt: skip
    Person.objects.filter(pk=org.people["seller_b"].pk).update(external=True)
    return system


def test_a_past_day_is_rebuilt_from_what_was_true_then(org, history):
    today = timezone.localdate()
    then = literacy.build(today - datetime.timedelta(days=100))
    row = then.systems[0]
    assert then.charter.version == 1 and row.coverage.people == 4  # the sales department
    assert row.coverage.counts["charter"] == 1  # seller A, version 1
    now = literacy.build(today)
    assert now.charter.version == 2 and now.systems[0].coverage.counts["charter"] == 1
    assert now.external == 1
    with pytest.raises(literacy.DossierError, match="today or a past day"):
        literacy.build(today + datetime.timedelta(days=1))


def test_the_council_s_workbook_holds_totals_the_lead_s_each_person(client, org, history):
    client.force_login(org.users["cse"])
    book = load_workbook(
        io.BytesIO(client.get("/governance/article-4/", {"format": "xlsx"}).content)
    )
    assert book.sheetnames == ["By system", "By job family"]
    client.force_login(org.users["lead"])
    book = load_workbook(
        io.BytesIO(client.get("/governance/article-4/", {"format": "xlsx"}).content)
    )
    people = list(book["By person"].iter_rows(values_only=True))
    assert len(people) == 1 + Person.objects.count()
    row = next(r for r in people if r[0] == "SELLER_B")
    assert row[2] == "yes" and row[9] is not None  # external, acknowledged on a date
    assert "pass" not in " ".join(str(c) for c in people[0]).lower()


def test_no_dossier_for_a_day_to_come_and_not_for_employees(client, org, history):
    client.force_login(org.users["employee"])
    assert client.get("/governance/article-4/").status_code == 403
    client.force_login(org.users["lead"])
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    page = client.get("/governance/article-4/", {"on": future}, follow=True).content.decode()
    assert "choose today or a past day" in page
    assert client.get("/governance/article-4/", {"on": "1999-13-45"}).status_code == 200


def test_the_lead_s_workbook_types_each_cell(org, history):
    """Values, dates as dates, number formats; a name that looks like a formula stays text."""
    Person.objects.filter(pk=org.people["seller_a"].pk).update(first_name="=1+1")
    dossier = literacy.build(timezone.localdate() - datetime.timedelta(days=100))
    tables = register_figures.exact(dossier)
    fast = load_workbook(io.BytesIO(literacy.workbook(dossier, tables, people=True)))
    assert fast.sheetnames == ["By system", "By job family", "By person"]
    by_system = fast["By system"]
    assert [c.value for c in by_system[1]][:3] == ["System", "People concerned",
                                                  "With a measure (%)"]  # fmt: skip
    assert by_system["B2"].value == 4 and by_system["B2"].number_format == "#,##0"
    assert by_system["C2"].value == 25 and by_system["F2"].value == 25  # seller A's charter
    assert by_system["H2"].value == "—"  # no module required
    person = next(r for r in fast["By person"].iter_rows(min_row=2) if r[0].value == "SELLER_A")
    assert person[1].value.startswith("=1+1") and person[1].data_type == "s"
    acknowledged = person[9]
    assert acknowledged.is_date and acknowledged.number_format == "DD/MM/YYYY"
    at = Acknowledgement.objects.get(person=org.people["seller_a"]).at
    assert acknowledged.value.date() == timezone.localtime(at).date()


def test_every_module_completed_counts_not_only_those_a_system_requires(org, history, catalogue):  # noqa: F811
    from tremplin.learning.models import Module, Plan, PlanItem

    today = timezone.localdate()
    seller = org.people["seller_a"]
    old = Plan.objects.create(person=seller, starts_in=today.year - 1, status="done")
    plan = Plan.objects.create(person=seller, starts_in=today.year)
    first, second = Module.objects.order_by("code")[:2]
    # The first module twice: in last year's plan and in this one.
    for n, (done_in, module) in enumerate(((old, first), (plan, second), (plan, first))):
        PlanItem.objects.create(
            plan=done_in,
            module=module,
            position=n,
            year=done_in.starts_in,
            status="done",
            completed_on=today - datetime.timedelta(days=n),
        )
    dossier = literacy.build(today)
    row = dossier.systems[0]  # requires no module
    assert row.coverage.counts["modules"] == 1 and row.required_share is None
    row_of_seller = [p.pk for p in dossier.people].index(seller.pk)
    assert int(dossier.state.modules[row_of_seller]) == 2  # two modules, one of them done twice
    history.modules.set([second])
    assert literacy.build(today).systems[0].coverage.required == 1
