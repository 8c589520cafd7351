"""Bad requests get a clear answer, never a server error: numbers beyond what the database or
the calendar holds, an assessment the campaign does not ask for, the same form posted twice,
two pilots created at once."""

import datetime
import uuid

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.utils import timezone

from tremplin.assessments.models import Campaign
from tremplin.params import INT_MAX
from tremplin.paths import Id
from tremplin.rollout.forms import WaveForm
from tremplin.rollout.models import Wave

HUGE = "99999999999999999999"


@pytest.fixture
def lead(client, org):
    client.force_login(org.users["lead"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", [f"/development/settings/?year={HUGE}",
                                  f"/assessments/interviews/?year={HUGE}",
                                  "/development/settings/?year=-3"])  # fmt: skip
def test_huge_numbers_in_the_query_fall_back(lead, path):
    assert lead.get(path).status_code == 200


@pytest.mark.django_db
def test_a_self_assessment_is_refused_where_the_campaign_asks_the_manager_only(client, org):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Managers only", self_assessment=False, manager_assessment=True,
        opens_on=today, closes_on=today + datetime.timedelta(days=9),
    )  # fmt: skip
    seller = org.people["seller_a"]
    client.force_login(org.users["employee"])
    url = f"/assessments/campaigns/{campaign.pk}/people/{seller.pk}/self/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"submit": "1"}).status_code == 404
    Campaign.objects.filter(pk=campaign.pk).update(self_assessment=True)
    assert client.get(url).status_code == 200  # the same page, once the campaign asks for it


@pytest.mark.django_db
def test_the_same_new_campaign_form_posted_twice_makes_one_campaign(lead):
    form = lead.get("/assessments/campaigns/new/").content.decode()
    token = form.split('name="submission" value="')[1].split('"')[0]
    today = timezone.localdate()
    data = {"name": "Printemps", "self_assessment": "on", "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=9)).isoformat(),
            "submission": token}  # fmt: skip
    first, second = (
        lead.post("/assessments/campaigns/new/", data),
        lead.post("/assessments/campaigns/new/", data),
    )
    assert Campaign.objects.filter(name="Printemps").count() == 1
    assert first.url == second.url
    again = lead.get("/assessments/campaigns/new/").content.decode()
    assert token not in again  # a new form, a new token


@pytest.mark.django_db
def test_two_pilots_posted_at_once_give_a_message_not_an_error(lead, monkeypatch):
    Wave.objects.create(name="Pilot", pilot=True)
    # The second post passed its checks before the first was saved: skip them to replay it.
    monkeypatch.setattr(WaveForm, "clean_pilot", lambda self: True)
    monkeypatch.setattr(WaveForm, "validate_unique", lambda self: None)
    monkeypatch.setattr(Wave, "validate_constraints", lambda self, exclude=None: None)
    response = lead.post("/rollout/waves/new/", {"name": "Pilot B", "pilot": "on"})
    assert response.status_code == 200
    assert "another pilot, was saved meanwhile" in response.content.decode()
    assert Wave.objects.filter(pilot=True).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["exe", "html", "csv%0d%0aSet-Cookie:%20x=1", "json.html"])
def test_export_urls_take_their_own_kinds_only(lead, kind):
    from tremplin.skills.services import load_default_framework

    framework = load_default_framework()
    for path in (f"/people/export.{kind}", f"/framework/{framework.pk}/export.{kind}",
                 f"/assessments/items/export.{kind}",
                 f"/development/catalogue/export.{kind}"):  # fmt: skip
        response = lead.get(path)
        assert response.status_code == 404, path


def _id_routes(patterns, namespace=""):
    """(name, converters) of every URL with an id in its path."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from _id_routes(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name and any(isinstance(c, Id) for c in pattern.pattern.converters.values()):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern.pattern.converters


SAMPLE = {StringConverter: "x", SlugConverter: "x", UUIDConverter: uuid.uuid4(), PathConverter: "x"}


@pytest.mark.django_db
@pytest.mark.parametrize("number", [HUGE, str(INT_MAX + 1)])
def test_an_id_beyond_the_database_is_a_404_on_every_url(lead, number):
    routes = list(_id_routes(get_resolver().url_patterns))
    assert len(routes) > 50
    for name, converters in routes:
        kwargs = {key: 7654321 if isinstance(c, Id) else SAMPLE[type(c)]
                  for key, c in converters.items()}  # fmt: skip
        url = reverse(name, kwargs=kwargs).replace("7654321", number)
        assert lead.get(url).status_code == 404, url
        assert lead.post(url).status_code == 404, url


@pytest.mark.django_db
def test_a_person_id_beyond_the_database_in_the_audit_filter_is_refused(client, org):
    client.force_login(org.users["lead"])
    assert client.get("/data-protection/audit/", {"person": HUGE}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "said"), [("en", "Request not understood"),
                                            ("fr", "Requête incomprise")])  # fmt: skip
def test_a_form_with_too_many_fields_gets_a_page_in_the_reader_s_language(lead, lang, said):
    lead.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    fields = {f"field{i}": "x" for i in range(1_500)}  # Django's limit: 1,000
    response = lead.post(reverse("rollout:wave_new"), fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert said in page and "Bad Request" not in page
