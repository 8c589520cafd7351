"""The person page gathers that person's development, as far as the reader may see it."""

import re

import pytest
from django.utils import timezone

from tremplin.assessments.models import CareerInterview, Source
from tremplin.assessments.quiz_models import QuizSession
from tremplin.assessments.services import record_ratings
from tremplin.learning.models import Plan
from tremplin.learning.services import generate_plans
from tremplin.people.models import Person


@pytest.fixture
def seller(org, catalogue):
    person = org.people["seller_a"]
    competences = list(catalogue_competences()[:3])
    record_ratings(
        person=person, levels={c: 1 for c in competences}, source=Source.SELF, assessor=person
    )
    record_ratings(
        person=person, levels={competences[0]: 3}, source=Source.MANAGER,
        assessor=org.people["team_lead"],
    )  # fmt: skip
    generate_plans(people=Person.objects.filter(pk=person.pk), by=None)
    CareerInterview.objects.create(
        person=person, manager=org.people["team_lead"], held_on=timezone.localdate()
    )
    QuizSession.objects.create(
        person=person, seed=1, status=QuizSession.Status.FINISHED, finished_at=timezone.now()
    )
    return person


def catalogue_competences():
    from tremplin.skills.queries import active_framework

    framework = active_framework()
    assert framework is not None
    return framework.competences.order_by("code")


def _hub(client, user, person) -> tuple[int, str, list[str]]:
    client.force_login(user)
    response = client.get(f"/people/{person.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    part = (
        html.split('id="development"', 1)[1].split("</section>", 1)[0]
        if 'id="development"' in html
        else ""
    )
    return response.status_code, part, re.findall(r'href="([^"]+)"', part)


def test_the_person_sees_their_levels_plan_interview_and_quiz_and_every_link_opens(
    client, org, seller
):
    status, part, links = _hub(client, org.users["employee"], seller)
    assert status == 200
    assert "3 competences with a current level" in part
    assert "1 level where the sources disagree" in part  # self 1, manager 3
    plan = Plan.objects.get(person=seller)
    interview = CareerInterview.objects.get(person=seller)
    quiz = QuizSession.objects.get(person=seller)
    assert set(links) == {
        f"/assessments/people/{seller.pk}/",
        f"/development/plans/{plan.pk}/",
        f"/development/people/{seller.pk}/",
        f"/assessments/interviews/{interview.pk}/",
        f"/assessments/quiz/{quiz.pk}/result/",
    }
    for url in links:
        assert client.get(url).status_code == 200, url


def test_a_manager_higher_up_sees_levels_and_plan_but_not_an_interview_someone_else_held(
    client, org, seller
):
    status, part, links = _hub(client, org.users["manager"], seller)
    assert status == 200 and "3 competences with a current level" in part
    assert not any("/interviews/" in url for url in links)
    assert "None you may open." in part
    for url in links:
        assert client.get(url).status_code == 200, url


def test_someone_outside_the_line_gets_no_page(client, org, seller):
    status, part, _links = _hub(client, org.users["peer_manager"], seller)
    assert status == 403 and part == ""


def test_a_newly_imported_person_has_a_path_to_their_development(client, org):
    status, part, links = _hub(client, org.users["lead"], org.people["seller_b"])
    assert status == 200 and "No development plan yet." in part
    assert f"/development/people/{org.people['seller_b'].pk}/" in links
