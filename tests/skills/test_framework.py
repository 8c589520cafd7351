import json

import pytest
from django.utils import translation

from tremplin.people.models import JobFamily, Persona
from tremplin.skills.interchange import (
    FrameworkFormatError,
    framework_dict_from_csv,
    framework_to_csv,
    framework_to_dict,
    framework_to_json,
    import_framework,
)
from tremplin.skills.models import Competence, Framework, Tier
from tremplin.skills.services import load_default_framework

pytestmark = pytest.mark.django_db


def csv_rows(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_default_framework_covers_tiers_personas_and_job_families():
    framework = load_default_framework()
    assert framework.is_active and framework.competences.count() >= 24
    tiers = set(framework.competences.values_list("tier", flat=True))
    assert tiers == {t.value for t in Tier}
    for competence in framework.competences.prefetch_related("descriptors"):
        levels = {d.level: d for d in competence.descriptors.all()}
        assert sorted(levels) == [0, 1, 2, 3, 4]
        assert all(d.text_fr and d.text_en and d.text_fr != d.text_en for d in levels.values())
        assert competence.references
    for persona in Persona:
        assert framework.competences.filter(persona_targets__persona=persona).count() == (
            framework.competences.count()
        )
    codes = set(JobFamily.objects.filter(targets__priority=True).values_list("code", flat=True))
    assert {"MKT", "FIN", "HR", "PROD", "SALES", "MGMT"} <= codes
    assert load_default_framework() == framework  # loading twice changes nothing


def test_json_export_imports_back_exactly():
    original = load_default_framework()
    data = json.loads(framework_to_json(original))
    data["framework"]["version"] = "copy"
    copy = import_framework(data)
    exported = framework_to_dict(copy)
    exported["framework"]["version"] = original.version
    assert exported == framework_to_dict(original)


def test_csv_export_imports_back_exactly():
    original = load_default_framework()
    text = framework_to_csv(original)
    meta = {"code": "acme", "version": "1", "name_fr": "Acme", "name_en": "Acme"}
    copy = import_framework(framework_dict_from_csv(csv_rows(text), meta))
    assert framework_to_csv(copy) == text


def test_a_bad_csv_reports_every_problem_and_writes_nothing():
    original = load_default_framework()
    rows = csv_rows(framework_to_csv(original))
    header = rows[0]
    rows[1][header.index("tier")] = "7"
    rows[2][header.index("level3_fr")] = ""
    rows[3][header.index("target_leaders")] = "9"
    rows[4][header.index("weight_MKT")] = "lots"
    rows[4][header.index("target_MKT")] = "2"
    meta = {"code": "acme", "version": "1", "name_fr": "Acme", "name_en": "Acme"}
    with translation.override("en"), pytest.raises(FrameworkFormatError) as error:
        import_framework(framework_dict_from_csv(rows, meta))
    text = str(error.value)
    assert "row 4, column target_leaders: expected a whole number from 0 to 4, got “9”" in text
    assert "row 5, column weight_MKT: expected a weight from 0 to 10" in text
    with translation.override("en"), pytest.raises(FrameworkFormatError) as error:
        rows[3][header.index("target_leaders")] = "2"
        rows[4][header.index("weight_MKT")] = "2"
        import_framework(framework_dict_from_csv(rows, meta))
    text = str(error.value)
    assert "tier must be one of" in text and "level 3 has no fr descriptor" in text
    assert not Framework.objects.filter(code="acme").exists()


def test_unknown_job_family_columns_and_duplicate_versions_are_refused():
    original = load_default_framework()
    rows = csv_rows(framework_to_csv(original))
    rows[0].append("target_NOPE")
    with translation.override("en"), pytest.raises(FrameworkFormatError) as error:
        framework_dict_from_csv(rows, {"code": "x", "version": "1", "name_fr": "x", "name_en": "x"})
    assert "unknown job family NOPE" in str(error.value)
    with translation.override("en"), pytest.raises(FrameworkFormatError) as error:
        import_framework(framework_to_dict(original))
    assert "already exists" in str(error.value)
    assert Competence.objects.count() == original.competences.count()


def test_a_file_that_is_not_a_framework_is_refused():
    with translation.override("en"), pytest.raises(FrameworkFormatError) as error:
        import_framework({"hello": "world"})
    assert "not a Tremplin framework file" in str(error.value)


def test_the_readme_framework_commands_run(tmp_path):
    """The commands as the README writes them (`--version` clashed with Django's own)."""
    from django.core.management import call_command

    call_command("import_framework", verbosity=0)
    call_command("export_framework", str(tmp_path / "framework.json"))
    call_command("export_framework", str(tmp_path / "framework.csv"))
    call_command(
        "import_framework", str(tmp_path / "framework.csv"), "--code", "acme",
        "--framework-version", "2027.1", "--name-fr", "Référentiel Acme",
        "--name-en", "Acme framework", "--activate",
    )  # fmt: skip
    acme = Framework.objects.get(code="acme", version="2027.1")
    assert (
        acme.is_active
        and acme.competences.count()
        == Competence.objects.filter(framework__is_active=False).count()
    )
    call_command("export_framework", str(tmp_path / "again.csv"), "--code", "acme",
                 "--framework-version", "2027.1")  # fmt: skip
    assert (tmp_path / "again.csv").read_text(encoding="utf-8-sig").count("\n") > 10
