"""A person's data reads in the reader's language: in the PDF and on the officer's page, the
tables and columns are named in it, a choice shows its label, a date its local form; the JSON
keeps the codes and ISO dates a machine reads."""

from __future__ import annotations

import datetime
import json

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst

from tests.pdftext import pdf_text
from tremplin.accountability import labels, rights
from tremplin.accountability.holdings import HOLDINGS
from tremplin.assessments.models import Campaign, Draft, Rating, Source
from tremplin.engagement.mentoring_models import MentoringMeeting, Mentorship, MentorshipStatus
from tremplin.governance.models import Acknowledgement, Charter
from tremplin.people.models import Appetite
from tremplin.skills.models import Competence
from tremplin.skills.services import load_default_framework

pytestmark = pytest.mark.django_db
UPDATED = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)  # 13:30 in Paris
ENGLISH = ("Drafts", "Mentoring meetings", "Acknowledgements", "Campaign", "Assessor",
           "Levels", "Updated at", "Submitted at", "Logged by")  # fmt: skip


def _held(org):
    load_default_framework()
    seller, manager = org.people["seller_a"], org.people["sales_director"]
    seller.ai_appetite = Appetite.SCEPTICAL
    seller.save(update_fields=["ai_appetite"])
    campaign = Campaign.objects.create(
        name="Spring mapping",
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 3, 31),
    )
    Draft.objects.create(
        campaign=campaign, person=seller, assessor=manager, source=Source.MANAGER,
        levels={"T1-DATA": 2}, submitted_at=UPDATED,  # submitted: in the person's own download
    )  # fmt: skip
    Draft.objects.update(updated_at=UPDATED)
    Rating.objects.create(
        person=seller, competence=Competence.objects.order_by("pk").first(), level=2,
        source=Source.TRAINING, assessed_on=datetime.date(2026, 3, 1),
    )  # fmt: skip
    mentorship = Mentorship.objects.create(
        mentor=org.people["finance_head"], mentee=seller, status=MentorshipStatus.ACTIVE
    )
    MentoringMeeting.objects.create(
        mentorship=mentorship, logged_by=seller, held_on=datetime.date(2026, 3, 2)
    )
    charter = Charter.objects.create(
        version=1, title_fr="Charte", title_en="Charter", body_fr="…", body_en="…"
    )
    Acknowledgement.objects.create(charter=charter, person=seller, at=UPDATED)
    return seller


def _text(response) -> str:
    return " ".join(pdf_text(response).split())


def test_the_french_pdf_names_tables_columns_and_choices_in_french(client, org, tmp_path):
    pytest.importorskip("weasyprint")
    seller = _held(org)
    client.force_login(org.users["employee"])
    client.cookies["django_language"] = "fr"
    text = _text(client.get("/data-protection/mine.pdf"))
    with translation.override("fr"):
        french = [str(Source.TRAINING.label), str(Appetite.SCEPTICAL.label),
                  str(labels.table_name(Draft)), str(labels.table_name(MentoringMeeting)),
                  str(labels.table_name(Acknowledgement))]  # fmt: skip
    for expected in (*french, "Évaluateur", "Campagne", "Spring mapping", "01/03/2026 13:30"):
        assert expected.lower() in text.lower(), expected
    for english in (*ENGLISH, "sceptical", "training", "2026-03-01"):
        assert english.lower() not in text.lower(), english
    assert seller.full_name in text


def test_the_english_pdf_stays_english(client, org, tmp_path):
    pytest.importorskip("weasyprint")
    seller = _held(org)
    client.force_login(org.users["lead"])
    client.cookies["django_language"] = "en"
    text = _text(client.get(f"/data-protection/people/{seller.pk}/export.pdf"))
    for expected in ("Drafts", "Campaign", "Assessor", "Rather sceptical", "01/03/2026 13:30"):
        assert expected.lower() in text.lower(), expected
    for french in ("Évaluateur", "Campagne", "sceptique", "Brouillon"):
        assert french.lower() not in text.lower(), french


def test_the_officers_page_names_the_tables_in_french(client, org):
    seller = _held(org)
    client.force_login(org.users["lead"])
    client.cookies["django_language"] = "fr"
    page = client.get(f"/data-protection/people/{seller.pk}/").content.decode()
    with translation.override("fr"):
        for model in (Draft, MentoringMeeting, Acknowledgement):
            assert capfirst(str(labels.table_name(model))) in page, model
    for english in ("Drafts", "Mentoring meetings", "Acknowledgements"):
        assert english not in page, english


def test_the_json_keeps_codes_and_iso_dates(client, org):
    seller = _held(org)
    client.force_login(org.users["employee"])
    client.cookies["django_language"] = "fr"
    data = json.loads(client.get("/data-protection/mine.json").content)
    tables = {t["table"]: t["rows"] for t in data["tables"]}
    assert tables["people.Person"][0]["ai_appetite"] == "sceptical"
    assert tables["assessments.Draft"][0]["source"] == "manager"
    assert tables["assessments.Draft"][0]["updated_at"] == UPDATED.isoformat()
    assert seller.pk == data["person"]


def test_every_exported_table_and_column_has_a_translated_name():
    """A model that names itself in both languages is read; the others are named in
    labels.py, and a name there that its model now gives itself is removed."""
    untranslated_tables, untranslated_columns = set(), set()
    for holding in HOLDINGS:
        model = apps.get_model(holding.model)
        if "verbose_name_plural" not in model._meta.original_attrs:
            untranslated_tables.add(holding.model)
        for field in rights._columns(holding):
            if not isinstance(field.verbose_name, Promise):
                untranslated_columns.add(field.name)
    for model, names in (
        (rights.Person, rights.PERSON_FIELDS),
        (rights.User, rights.ACCOUNT_FIELDS),
    ):
        for name in names:
            if not isinstance(model._meta.get_field(name).verbose_name, Promise):
                untranslated_columns.add(name)
    assert untranslated_tables == set(labels.TABLES)
    assert untranslated_columns == set(labels.COLUMNS)
    assert all(isinstance(v, Promise) for v in (*labels.TABLES.values(), *labels.COLUMNS.values()))
