import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.assessments.models import Campaign, CareerInterview, Draft, Item, QuizSession


@pytest.fixture
def campaign(framework):
    today = timezone.localdate()
    return Campaign.objects.create(
        name="Bilan 2026", opens_on=today, closes_on=today + datetime.timedelta(days=20)
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_assessment_page_renders_in_both_languages(bank, org, client, campaign, lang):
    client.cookies["django_language"] = lang
    client.force_login(org.users["lead"])
    item = Item.objects.first()
    hr = org.people["hr"]
    for url in [
        reverse("assessments:overview"),
        reverse("assessments:campaigns"),
        reverse("assessments:campaign", args=[campaign.pk]),
        reverse("assessments:assess", args=[campaign.pk, hr.pk, "self"]),
        reverse("assessments:person", args=[hr.pk]),
        reverse("assessments:bank"),
        reverse("assessments:item_edit", args=[item.pk]),
        reverse("assessments:item_new"),
        reverse("assessments:quiz_settings"),
        reverse("assessments:calibration"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{lang}"'.encode() in response.content


def test_employee_self_assesses_and_comes_back(org, client, campaign):
    client.force_login(org.users["employee"])
    me = org.people["seller_a"]
    url = reverse("assessments:assess", args=[campaign.pk, me.pk, "self"])
    page = client.get(url)
    assert b"T1-FUNDAMENTALS" in page.content
    client.post(url, {"level_T1-FUNDAMENTALS": "2", "save": "1"})
    draft = Draft.objects.get(person=me)
    assert draft.levels == {"T1-FUNDAMENTALS": 2} and draft.submitted_at is None
    again = client.get(url)
    assert again.context["form"]["level_T1-FUNDAMENTALS"].value() == 2
    # The radios are written out by the template (not Django's widget templates): the level
    # saved is the one checked, each radio with the id its label points at.
    html = again.content.decode()
    assert html.count(" checked>") == 1
    assert re.search(r'name="level_T1-FUNDAMENTALS" value="2" id="id_level_T1-FUNDAMENTALS_\d"'
                     r" checked>", html)  # fmt: skip


def test_employee_cannot_assess_someone_else(org, client, campaign):
    client.force_login(org.users["employee"])
    other = org.people["seller_b"]
    for source in ("self", "manager"):
        url = reverse("assessments:assess", args=[campaign.pk, other.pk, source])
        assert client.get(url).status_code == 403


def test_manager_assesses_only_their_reporting_line(org, client, campaign):
    client.force_login(org.users["manager"])
    mine = org.people["seller_a"]
    theirs = org.people["accountant"]
    ok = reverse("assessments:assess", args=[campaign.pk, mine.pk, "manager"])
    assert client.get(ok).status_code == 200
    no = reverse("assessments:assess", args=[campaign.pk, theirs.pk, "manager"])
    assert client.get(no).status_code == 403
    assert client.get(reverse("assessments:person", args=[theirs.pk])).status_code == 403


def test_lead_pages_are_refused_to_others(org, client, bank):
    client.force_login(org.users["manager"])
    for name in ("campaigns", "bank", "quiz_settings", "calibration"):
        assert client.get(reverse(f"assessments:{name}")).status_code == 403
    item = Item.objects.first()
    assert (
        client.post(reverse("assessments:item_edit", args=[item.pk]), {"retire": "1"}).status_code
        == 403
    )


def test_career_interview_is_visible_to_the_pair_and_the_lead_only(org, client, framework):
    record = CareerInterview.objects.create(
        person=org.people["seller_a"],
        manager=org.people["sales_director"],
        held_on=timezone.localdate(),
    )
    url = reverse("assessments:interview", args=[record.pk])
    for user, status in [
        ("employee", 200),
        ("manager", 200),
        ("lead", 200),
        ("executive", 404),
        ("cse", 404),
        ("peer_manager", 404),
    ]:
        client.force_login(org.users[user])
        assert client.get(url).status_code == status, user
    client.force_login(org.users["employee"])
    client.cookies["django_language"] = "en"
    assert "separate from performance appraisal" in client.get(url).content.decode().lower()


def test_lead_imports_a_bad_bank_and_nothing_is_written(org, client, bank):
    client.force_login(org.users["lead"])
    before = Item.objects.count()
    bad = json.dumps(
        {
            "format": "tremplin-item-bank",
            "items": [
                {
                    "code": "X1",
                    "competences": ["NOPE"],
                    "prior_difficulty": 9,
                    "correct": 7,
                    "stem_fr": "q",
                    "stem_en": "q",
                    "options_fr": ["a", "b"],
                    "options_en": ["a"],
                    "explanation_fr": "e",
                    "explanation_en": "e",
                }
            ],
        }
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("assessments:bank"), {"file": SimpleUploadedFile("bank.json", bad)}
    )
    text = response.content.decode()
    assert "NOPE" in text and "prior_difficulty" in text and "options_en" in text
    assert Item.objects.count() == before


def test_bank_export_imports_back_unchanged(org, client, bank):
    from tremplin.assessments.bank import export_csv, export_json, parse_csv, parse_json

    items = list(Item.objects.all())
    assert len(parse_json(export_json(items))) == len(items)
    again = parse_csv(export_csv(items))
    assert [i["stem_fr"] for i in again] == [i.stem_fr for i in items]
    assert [i["options_en"] for i in again] == [i.options_en for i in items]


def test_quiz_in_the_browser_flow(org, client, bank):
    client.force_login(org.users["employee"])
    response = client.post(reverse("assessments:quiz_start"))
    session = QuizSession.objects.get()
    assert response.url == reverse("assessments:quiz", args=[session.pk])
    page = client.get(response.url)
    assert b"progress" in page.content and b'name="choice"' in page.content
    # Another person's session is not theirs to open.
    client.force_login(org.users["cse"])
    assert client.get(reverse("assessments:quiz", args=[session.pk])).status_code == 403


def test_evidence_over_the_size_limit_is_refused_and_nothing_recorded(
    org, client, framework, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tremplin.assessments.models import Rating
    from tremplin.skills.models import Competence

    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(org.users["manager"])
    person = org.people["seller_a"]
    data = {
        "competence": Competence.objects.get(code="T2-PROMPT").pk,
        "level": "3",
        "assessed_on": "2026-11-01",
        "evidence_text": "Practical case: weekly report automated",
        "evidence_file": SimpleUploadedFile("case.pdf", b"x" * 2000),
    }
    response = client.post(reverse("assessments:person", args=[person.pk]), data)
    assert response.status_code == 200 and not Rating.objects.exists()
    data["evidence_file"] = SimpleUploadedFile("case.pdf", b"x" * 500)
    client.post(reverse("assessments:person", args=[person.pk]), data)
    rating = Rating.objects.get()
    assert rating.source == "evidence" and rating.evidence_file_name == "case.pdf"
    assert client.get(reverse("assessments:evidence_file", args=[rating.pk])).content == b"x" * 500


def test_evidence_dated_in_the_future_is_refused_on_the_form(org, client, framework):
    from datetime import timedelta

    from django.utils import timezone

    from tremplin.assessments.models import Rating
    from tremplin.skills.models import Competence

    client.force_login(org.users["manager"])
    client.cookies["django_language"] = "en"
    person = org.people["seller_a"]
    data = {
        "competence": Competence.objects.get(code="T2-PROMPT").pk,
        "level": "4",
        "assessed_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "evidence_text": "Certificate",
    }
    response = client.post(reverse("assessments:person", args=[person.pk]), data)
    assert response.status_code == 200 and not Rating.objects.exists()
    assert "cannot be dated in the future" in response.content.decode()


def test_career_interviews_one_per_year_listed_and_agreed_explicitly(org, client, framework):
    from tremplin.assessments.models import CareerInterview

    seller = org.people["seller_a"]
    client.cookies["django_language"] = "en"
    client.force_login(org.users["manager"])
    new = reverse("assessments:interview_new", args=[seller.pk])
    first = client.post(new).url
    assert client.post(new).url == first  # opening "new" again reopens this year's
    assert CareerInterview.objects.filter(person=seller).count() == 1
    record = CareerInterview.objects.get(person=seller)
    page = client.post(first, {"version": record.version, "held_on": record.held_on.isoformat(),
                               "learned": "Prompting", "wishes": "", "priorities": "",
                               "save": "1"}, follow=True)  # fmt: skip
    record.refresh_from_db()
    assert record.learned == "Prompting" and record.manager_agreed_at is None  # no silent "yes"
    assert b"asked to agree" not in page.content and b"No message is sent" in page.content
    client.post(first, {"agree": "1"})
    record.refresh_from_db()
    assert record.manager_agreed_at is not None and not record.agreed
    listing = client.get(reverse("assessments:interviews"), {"status": "open"})
    assert seller.full_name in listing.content.decode()
    assert (
        seller.full_name
        not in client.get(reverse("assessments:interviews"), {"status": "agreed"}).content.decode()
    )
    # The executive sponsor is above everyone but manages nobody: no interview for them.
    client.force_login(org.users["executive"])
    assert client.post(new).status_code == 403


def test_being_above_someone_without_the_manager_role_rates_nothing(org, client, campaign):
    """The executive sponsor's line is the whole company; a director whose manager role was
    taken away is still above their teams: neither rates, nor adds evidence for, anyone."""
    from tremplin.assessments.models import Rating
    from tremplin.people.models import RoleAssignment
    from tremplin.skills.models import Competence

    RoleAssignment.objects.filter(user=org.users["manager"], role="manager").delete()
    seller = org.people["seller_a"]  # under the team lead, under the sales director
    evidence = {
        "competence": Competence.objects.get(code="T2-PROMPT").pk,
        "level": "3",
        "assessed_on": "2026-11-01",
        "evidence_text": "Certificate",
    }
    for user in ("manager", "executive", "ambassador"):
        client.force_login(org.users[user])
        url = reverse("assessments:assess", args=[campaign.pk, seller.pk, "manager"])
        assert client.get(url).status_code == 403, user
        assert client.post(url, {"submit": "1"}).status_code == 403, user
        response = client.post(reverse("assessments:person", args=[seller.pk]), evidence)
        assert response.status_code == 403, user
    assert not Rating.objects.exists()


def test_the_item_bank_is_filtered_and_shown_fifty_items_a_page(org, client, bank, english):
    client.force_login(org.users["lead"])
    url = reverse("assessments:bank")
    items = list(Item.objects.order_by("code"))
    page = client.get(url).content.decode()
    assert f"{len(items)} items" in page and page.count('<th scope="row">') == 50
    assert f"Page 1 of {-(-len(items) // 50)}" in page
    last = client.get(url, {"page": 999}).content.decode()  # past the end: the last page
    assert last.count('<th scope="row">') == len(items) % 50 or 50
    assert items[-1].code in last and items[0].code not in last
    code = items[0].competences[0]
    measuring = [i.code for i in items if code in i.competences]
    page = client.get(url, {"competence": code}).content.decode()
    assert f"{len(measuring)} item" in page
    listed = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)
    assert listed == measuring[:50]
    # A prefix of a code is no code: it filters nothing rather than matching by part.
    assert f"{len(items)} items" in client.get(url, {"competence": code[:3]}).content.decode()
    Item.objects.filter(pk=items[3].pk).update(status="retired")
    page = client.get(url, {"status": "retired", "q": items[3].stem_en[:25]}).content.decode()
    assert re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page) == [items[3].code]
    page = client.get(url, {"q": "no question says this"}).content.decode()
    assert "0 items" in page and "No item matches these filters." in page


def test_the_quiz_announces_the_length_its_counter_counts_to(org, client, bank, english):
    from tremplin.assessments.models import QuizSettings

    settings = QuizSettings.current()
    total = settings.max_items + settings.pilot_items  # trial questions are asked too
    client.force_login(org.users["employee"])
    assert (
        f"Up to {total} questions" in client.get(reverse("assessments:overview")).content.decode()
    )
    client.post(reverse("assessments:quiz_start"))
    session = QuizSession.objects.get()
    page = client.get(reverse("assessments:quiz", args=[session.pk])).content.decode()
    assert f"at most {total}" in page
