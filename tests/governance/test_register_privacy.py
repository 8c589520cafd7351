"""The Article 4 register as the sponsor and the works council read it: a protected
publication that the independent attackers of `tests/compute/publication_attackers.py` cannot
break (no group under the minimum size, nobody, worked out from the figures), which they do
break when the protection is off; on the page, the lead's exact figures and the council's
protected ones."""

from __future__ import annotations

import datetime
import io
from functools import partial

import numpy as np
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.compute.publication_attackers import lp_attack, sum_attack
from tremplin.compute import literacy as rules
from tremplin.compute.disclosure import Report
from tremplin.compute.publication import Publication, export
from tremplin.governance import register_figures
from tremplin.governance.literacy import Dossier, Row
from tremplin.governance.models import Acknowledgement, AISystem, Charter, SystemStatus
from tremplin.governance.services import save_system

K = 10


def _dossier(seed: int) -> Dossier:
    """80 people in job families of 25, 14, 12, 9, 6, 5, 4, 3 and 2 people; systems for
    everyone, for two families, for the family of 9, for a unit of 13 and for 4 people; each
    measure in place for a random share of people; two modules, one system requiring both."""
    rng = np.random.default_rng(seed)
    sizes = [25, 14, 12, 9, 6, 5, 4, 3, 2]
    family = np.repeat(np.arange(len(sizes)), sizes)
    rng.shuffle(family)
    n = family.size
    events = {}
    for name in rules.MEASURES:
        person = np.flatnonzero(rng.random(n) < rng.uniform(0.2, 0.8))
        module = rng.integers(0, 2, person.size) if name == "modules" else None
        events[name] = rules.Events(person, np.full(person.size, 10), module)
    state = rules.state(n, 2, 20, **events)
    none = np.zeros(0, dtype=np.int64)

    def row(name: str, members: np.ndarray, required: np.ndarray = none) -> Row:
        return Row(name, rules.coverage(state, members, required), members, required)

    unit = rng.choice(n, 13, replace=False)
    systems = [row("Everyone", np.arange(n), np.array([0, 1])),
               row("Two families", np.flatnonzero(family <= 1)),
               row("Family of 9", np.flatnonzero(family == 3)),
               row("A unit", unit), row("Four people", unit[:4])]  # fmt: skip
    families = [row(f"F{f}", np.flatnonzero(family == f)) for f in range(len(sizes))]
    return Dossier(datetime.date(2026, 1, 1), None, systems, families, list(range(n)), state, 0)


def _attacked(dossier: Dossier) -> dict[str, object]:
    found = register_figures.publication(dossier, K)
    return export(found, [f"P{i:03}" for i in range(len(dossier.people))], ["day"])


def _small_groups_shown(published: dict[str, object]) -> list[str]:
    return [f["id"] for f in published["figures"]  # type: ignore[attr-defined]
            if f["value"] is not None and len(f["members"]) < K]  # fmt: skip


@pytest.mark.parametrize("seed", range(4))
def test_the_council_s_register_withstands_the_attackers(seed):
    published = _attacked(_dossier(seed))
    shown = [f for f in published["figures"] if f["value"] is not None]  # type: ignore[attr-defined]
    assert len(shown) > 20  # the large groups keep their figures
    assert _small_groups_shown(published) == []
    assert lp_attack(published) == [] and sum_attack(published) == []


def test_the_attackers_break_the_register_when_it_is_not_protected(monkeypatch):
    """Proof that the checks above can fail: families not pooled, figures not rounded to
    their group's size and no audit, the small groups show and the attackers work people's
    measures out."""
    monkeypatch.setattr(register_figures, "pool", lambda group, names, k: (
        group, [[n] for n in names], [False] * len(names)))  # fmt: skip
    monkeypatch.setattr(register_figures, "protect", lambda publication, of: Report())
    monkeypatch.setattr(register_figures, "Publication", partial(Publication, coarse=False))
    published = _attacked(_dossier(0))
    assert _small_groups_shown(published)
    assert lp_attack(published) or sum_attack(published)


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_lead_reads_each_group_the_council_only_groups_of_the_minimum_size(client, org):
    """The test company's groups are all under 10 people: the lead sees every figure, the
    council and the sponsor the headcounts and the reason the figures are hidden."""
    system = AISystem(name="Copilote", status=SystemStatus.APPROVED,
                      created_at=timezone.now() - datetime.timedelta(days=200))  # fmt: skip
    save_system(system=system, by=org.users["lead"])
    AISystem.objects.filter(pk=system.pk).update(created_at=system.created_at)
    charter = Charter.objects.create(version=1, title_fr="C", title_en="C", body_fr="T",
                                     body_en="T", published_on=timezone.localdate()
                                     - datetime.timedelta(days=200))  # fmt: skip
    Acknowledgement.objects.create(charter=charter, person=org.people["seller_a"])
    client.force_login(org.users["lead"])
    lead = client.get("/governance/article-4/").content.decode()
    assert "group under the minimum size" not in lead and " %</td>" in lead
    for reader in ("cse", "executive"):
        client.force_login(org.users[reader])
        page = client.get("/governance/article-4/").content.decode()
        assert " %</td>" not in page and "group under the minimum size" in page, reader
        assert "Groups of fewer than 10 people are pooled" in page
        book = load_workbook(io.BytesIO(client.get("/governance/article-4/",
                                                   {"format": "xlsx"}).content))  # fmt: skip
        figures = [row[2:] for row in book["By system"].iter_rows(min_row=2, values_only=True)]
        assert figures and all(value == "—" for row in figures for value in row), reader


def test_a_system_concerning_nobody_is_listed_for_the_council_too():
    dossier = _dossier(0)
    nobody = np.zeros(0, dtype=np.int64)
    empty = Row("Nobody", rules.coverage(dossier.state, nobody, nobody), nobody, nobody)
    dossier = Dossier(dossier.day, None, [*dossier.systems, empty], dossier.families,
                      dossier.people, dossier.state, 0)  # fmt: skip
    lines = register_figures.protected(dossier, K).systems
    assert [line.name for line in lines][-1] == "Nobody" and lines[-1].people == 0
    assert all(f.text == "—" for f in lines[-1].figures.values())


def test_the_council_reads_the_register_at_quarter_ends_only(client, org):
    """The attack: the council read the register on two following days, and a family's share
    moved by one person (one acknowledgement). The sponsor and the council now read it at
    quarter ends only, the last by default; the lead reads any day."""
    from tremplin.insights.snapshot import quarter_ends

    today = timezone.localdate()
    ends = quarter_ends(today - datetime.timedelta(days=3 * 366), today)
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    for reader in ("cse", "executive"):
        client.force_login(org.users[reader])
        assert client.get("/governance/article-4/").context["day"] == ends[-1]
        assert client.get("/governance/article-4/", {"on": yesterday}).context["day"] == ends[-1]
        page = client.get("/governance/article-4/", {"on": ends[-3].isoformat()})
        assert page.context["day"] == ends[-3] and 'type="date"' not in page.content.decode()
    client.force_login(org.users["lead"])
    assert (
        client.get("/governance/article-4/", {"on": yesterday}).context["day"].isoformat()
        == yesterday
    )
