"""Reassessment after training: one open list entry per person gathering the modules completed,
rated once by the person and once by their manager; earlier campaigns per completion become
entries of that list."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from tremplin.assessments.models import Campaign, Rating, Reassessment, Source
from tremplin.assessments.reassessments import record_reassessment, request_reassessment
from tremplin.assessments.services import AssessmentError

TODAY = timezone.localdate()


@pytest.fixture
def catalogue(framework):
    from tremplin.learning.catalogue import load_default_catalogue

    load_default_catalogue()


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def again(org, framework):
    competences = list(framework.competences.order_by("code")[:2])
    request_reassessment(person=org.people["seller_a"], competences=competences[:1],
                         module="M-PROMPT", on=TODAY)  # fmt: skip
    return request_reassessment(person=org.people["seller_a"], competences=competences[1:],
                                module="M-DATA", on=TODAY)  # fmt: skip


def _levels(again, level):
    return {f"level_{c.code}": level for c in again.competences.all()}


def test_modules_completed_meanwhile_gather_in_one_open_entry(again):
    assert Reassessment.objects.count() == 1
    assert again.modules == ["M-PROMPT", "M-DATA"] and again.competences.count() == 2
    assert again.due_on == TODAY + datetime.timedelta(days=30)


def test_the_person_then_the_manager_rate_once_and_the_entry_closes(client, org, again, english):
    seller = org.people["seller_a"]
    client.force_login(org.users["employee"])
    home = client.get("/").content.decode()
    assert "Rate your levels after training: M-PROMPT, M-DATA" in home
    url = f"/assessments/to-reassess/{again.pk}/self/"
    assert client.post(url, _levels(again, 2)).status_code == 302
    assert Rating.objects.filter(person=seller, source=Source.SELF).count() == 2
    assert b"Recorded on" in client.get(url).content  # once only
    client.post(url, _levels(again, 4))
    assert Rating.objects.filter(person=seller, source=Source.SELF, level=4).count() == 0
    # The manager may not rate as the person; the person may not rate as the manager.
    assert client.get(f"/assessments/to-reassess/{again.pk}/manager/").status_code == 403
    client.force_login(org.users["manager"])  # the sales director: seller A is in his line
    home = client.get("/").content.decode()
    assert "Rate 1 person again after training" in home
    assert client.get(url).status_code == 403
    client.post(f"/assessments/to-reassess/{again.pk}/manager/", _levels(again, 3))
    again.refresh_from_db()
    assert again.manager_done_at is not None and not Reassessment.objects.open().exists()
    listing = client.get("/assessments/to-reassess/?status=done").content.decode()
    assert "Seller_A Test" in listing and "M-PROMPT, M-DATA" in listing


def test_the_managers_page_reads_well_in_french_whatever_the_name_starts_with(client, org,
                                                                            again):  # fmt: skip
    seller = org.people["seller_a"]
    seller.first_name, seller.last_name = "Élodie", "Carré"
    seller.save(update_fields=["first_name", "last_name"])
    client.force_login(org.users["manager"])
    url = f"/assessments/to-reassess/{again.pk}/manager/"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Niveaux après formation : Élodie Carré" in html
    assert "de Élodie" not in html


def test_outsiders_neither_rate_nor_see(client, org, again, english):
    client.force_login(org.users["peer_manager"])
    assert client.get(f"/assessments/to-reassess/{again.pk}/manager/").status_code == 403
    assert "Seller_A" not in client.get("/assessments/to-reassess/").content.decode()


def test_a_partial_or_repeated_record_is_refused(org, again):
    one = again.competences.first()
    with pytest.raises(AssessmentError):
        record_reassessment(reassessment=again, source=Source.SELF,
                            assessor=org.people["seller_a"], levels={one: 2})  # fmt: skip
    every = {c: 2 for c in again.competences.all()}
    record_reassessment(reassessment=again, source=Source.SELF,
                        assessor=org.people["seller_a"], levels=every)  # fmt: skip
    with pytest.raises(AssessmentError):
        record_reassessment(reassessment=again, source=Source.SELF,
                            assessor=org.people["seller_a"], levels=every)  # fmt: skip
    with pytest.raises(AssessmentError):
        record_reassessment(reassessment=again, source=Source.QUIZ,
                            assessor=org.people["seller_a"], levels=every)  # fmt: skip


def test_campaigns_opened_after_each_training_become_reassessments(org, catalogue):
    from tremplin.learning.models import Module

    module = Module.objects.filter(raises__isnull=False).first()
    seller = org.people["seller_a"]
    for name in (f"After training: {module.code}", f"Après la formation : {module.code}"):
        campaign = Campaign.objects.create(name=name, opens_on=TODAY, closes_on=TODAY)
        campaign.people.add(seller)
    kept = Campaign.objects.create(name="Bilan", opens_on=TODAY, closes_on=TODAY)
    migration = importlib.import_module(
        "tremplin.assessments.migrations.0008_campaigns_after_training_to_reassessments"
    )
    migration.forwards(apps, None)
    assert list(Campaign.objects.all()) == [kept]
    again = Reassessment.objects.get(person=seller)
    assert again.modules == [module.code]
    assert set(again.competences.all()) == {r.competence for r in module.raises.all()}


def test_a_long_list_of_modules_on_the_home_page_shows_the_first_three_and_a_count(
    client, org, again, english
):
    Reassessment.objects.filter(pk=again.pk).update(modules=[f"M-{n:02}" for n in range(19)])
    client.force_login(org.users["employee"])
    home = client.get("/").content.decode()
    assert "Rate your levels after training: M-00, M-01, M-02 and 16 others" in home
    assert "M-03" not in home
