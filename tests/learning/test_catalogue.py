"""The training catalogue: shipped data, CSV import with row-level errors, export."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tremplin.compute.plans import check_catalogue, reachable_level
from tremplin.learning import catalogue as interchange
from tremplin.learning.catalogue import CatalogueError, catalogue_arrays
from tremplin.learning.models import Module, ModuleRaise

FILES = Path(__file__).parent / "files"


def test_default_catalogue_covers_every_competence_of_the_framework(catalogue, framework):
    assert Module.objects.count() >= 40
    arrays = catalogue_arrays(framework)
    assert check_catalogue(arrays.catalogue.modules, arrays.catalogue.n_competences) == []
    for index, competence in enumerate(arrays.competences):
        assert reachable_level(arrays.catalogue, index, 0) >= 3, competence.code
    assert all(m.title_fr and m.title_en and m.description_fr and m.description_en
               for m in Module.objects.all())  # fmt: skip


def test_csv_import_reads_french_excel_and_links_prerequisites(framework):
    created, updated = interchange.save_modules(
        interchange.parse_csv((FILES / "good_catalogue.csv").read_bytes()), framework
    )
    assert (created, updated) == (2, 0)
    workshop = Module.objects.get(code="X-WORKSHOP")
    assert [p.code for p in workshop.prerequisites.all()] == ["X-THEORY"]
    assert str(workshop.duration_hours) == "3.50"
    assert sorted(r.competence.code for r in workshop.raises.all()) == ["T2-PROMPT", "T2-VERIFY"]


def test_a_second_import_updates_modules_in_place_with_their_new_links(framework):
    interchange.save_modules(
        interchange.parse_csv((FILES / "good_catalogue.csv").read_bytes()), framework
    )
    ids = dict(Module.objects.values_list("code", "pk"))
    again = (FILES / "good_catalogue.csv").read_text(encoding="utf-8-sig")
    again = again.replace("Atelier prompt;", "Atelier prompt avancé;").replace(";X-THEORY;", ";;")
    again = again.replace("T2-PROMPT:1-2 T2-VERIFY:1-2", "T2-VERIFY:2-3")
    again += (
        "\nX-NEW;Nouveau;New;awareness;elearning;1;0;fr;remote;X-WORKSHOP X-THEORY;T2-PROMPT:1-2"
    )
    created, updated = interchange.save_modules(interchange.parse_csv(again.encode()), framework)
    assert (created, updated) == (1, 2)
    workshop = Module.objects.get(code="X-WORKSHOP")
    assert workshop.pk == ids["X-WORKSHOP"] and workshop.title_fr == "Atelier prompt avancé"
    assert list(workshop.prerequisites.all()) == []
    assert [(r.competence.code, r.from_level, r.to_level) for r in workshop.raises.all()] == [
        ("T2-VERIFY", 2, 3)
    ]
    fresh = Module.objects.get(code="X-NEW")
    assert sorted(p.code for p in fresh.prerequisites.all()) == ["X-THEORY", "X-WORKSHOP"]
    assert Module.objects.get(code="X-THEORY").raises.count() == 1


def test_bad_rows_are_reported_by_row_and_field_and_nothing_is_written(framework):
    with translation.override("en"), pytest.raises(CatalogueError) as error:
        interchange.parse_csv((FILES / "bad_catalogue.csv").read_bytes())
    problems = "\n".join(error.value.problems)
    assert (
        "row 3, raises: expected a competence of the active framework (unknown: T9-NOPE)"
        in problems
    )
    assert "row 4, duration_hours: expected a positive number of hours" in problems
    assert "row 4, cost_per_seat: expected an amount in euros, zero or more" in problems
    assert "row 5, raises: expected levels from 0 to 4 with from below to" in problems
    assert "prerequisites: expected module codes (unknown: MISSING)" in problems
    assert "row 2" not in problems  # the good row is not blamed
    assert Module.objects.count() == 0


def test_prerequisite_cycle_is_refused(framework):
    with translation.override("en"), pytest.raises(CatalogueError) as error:
        interchange.parse_csv((FILES / "cycle_catalogue.csv").read_bytes())
    assert (
        "Prerequisites go round in a circle: CYC-A → CYC-C → CYC-B → CYC-A"
        in error.value.problems[0]
    )


def test_export_then_import_gives_the_same_catalogue(catalogue, framework):
    exported = interchange.export_csv()
    before = sorted(
        ModuleRaise.objects.values_list(
            "module__code", "competence__code", "from_level", "to_level"
        )
    )
    Module.objects.all().delete()
    interchange.save_modules(interchange.parse_csv(exported), framework)
    after = sorted(
        ModuleRaise.objects.values_list(
            "module__code", "competence__code", "from_level", "to_level"
        )
    )
    assert before == after
    assert interchange.parse_json(interchange.export_json())


def test_import_page_lists_problems_and_only_the_lead_may_import(org, framework, client):
    client.force_login(org.users["manager"])
    assert client.get(reverse("learning:catalogue_import")).status_code == 403
    client.force_login(org.users["lead"])
    client.cookies["django_language"] = "en"
    with (FILES / "bad_catalogue.csv").open("rb") as upload:
        response = client.post(reverse("learning:catalogue_import"), {"file": upload})
    assert response.status_code == 200
    assert b"Nothing was saved" in response.content and b"T9-NOPE" in response.content
    response = client.post(reverse("learning:catalogue_import"))  # no file chosen
    assert b"Choose a file to import" in response.content
    with (FILES / "good_catalogue.csv").open("rb") as upload:
        response = client.post(reverse("learning:catalogue_import"), {"file": upload})
    assert response.status_code == 302 and Module.objects.count() == 2


def test_a_module_whose_prerequisite_is_withdrawn_is_no_longer_offered(catalogue, framework):
    needing = Module.objects.filter(prerequisites__isnull=False).distinct().first()
    prerequisite = needing.prerequisites.first()
    before = {m.code for m in catalogue_arrays(framework).modules}
    assert {needing.code, prerequisite.code} <= before
    prerequisite.active = False
    prerequisite.save()
    after = {m.code for m in catalogue_arrays(framework).modules}
    assert prerequisite.code not in after and needing.code not in after
    dependents = Module.objects.filter(prerequisites=needing)
    assert not after & {m.code for m in dependents}
