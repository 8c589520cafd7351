"""Accessibility: axe-core's WCAG 2.1 A and AA rules find nothing on any page of the demo, for
each role: in French on a desktop and in English on a phone (the rules that depend on the
width, such as tables scrolling sideways, are met on both; the texts differ only by language,
and the sweep takes minutes)."""

import datetime
from dataclasses import dataclass

import pytest
from django.db.models import Q
from django.utils import timezone

from tests.a11y import audit_every_page, violations
from tests.browsing import settled, signed_in
from tests.insights.conftest import _demo, _demo_store, kept  # noqa: F401  (a fixture, and its store)
from tremplin.assessments.models import Campaign, CareerInterview
from tremplin.engagement.demo import build_engagement
from tremplin.engagement.models import Ambassador, Award, Challenge, Community, Mentorship
from tremplin.governance.demo import build_governance
from tremplin.governance.models import AISystem
from tremplin.learning.models import Plan, PlanItem, PlanStatus, TrainingSession
from tremplin.learning.sessions import enrol
from tremplin.people.demo import DEMO_PASSWORD
from tremplin.people.models import OrgUnit, Person
from tremplin.risks.demo import build_risks
from tremplin.risks.models import Diagnostic, RiskLine
from tremplin.rollout.demo import build_roadmap
from tremplin.rollout.models import Communication, RoadmapStep, Wave
from tremplin.voice.models import Idea, IdeaComment, IdeaStatus, Measurement, Survey, Vote
from tremplin.voice.results import build_result
from tremplin.voice.services import answer, close_now, create_survey, send, templates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Built:
    """What the sweep visits beyond the demo, by primary key."""

    idea: int
    survey: int
    pulse: int
    network: int
    session: int
    module: int
    wave: int
    said: int


def _build() -> Built:
    """The roadmap, governance, risks, engagement, a survey of each kind, a session and a
    wave with a message, on top of the demo."""
    build_roadmap()
    build_engagement(seed=7)
    build_governance(seed=7)
    build_risks(seed=7)
    session, wave = _session(), _wave()
    said = Communication.objects.create(
        wave=wave, audience="wave", kind="invitation", channel="email", title_fr="Invitation",
        title_en="Invitation", body_fr="Venez.", body_en="Come.",
        at=timezone.now() + datetime.timedelta(days=3),
    )  # fmt: skip
    return Built(idea=_idea().pk, survey=_survey().pk, pulse=_answered().pk,
                 network=_network().pk, session=session.pk, module=session.module_id,
                 wave=wave.pk, said=said.pk)  # fmt: skip


@pytest.fixture
def swept(transactional_db, _demo_store) -> Built:  # noqa: F811
    """The demo and `_build()`, built once a run, then written back for each test (building
    them took 10-15 s a test)."""
    return kept("swept", lambda: (_demo(waves=False), _build())[1])


def _pages(username: str, built: Built) -> list[str]:
    me = Person.objects.get(user__username=username)
    common = ["/", f"/people/{me.pk}/", "/people/org-chart/", "/framework/", "/assessments/",
              "/development/", "/development/catalogue/", "/assessments/interviews/",
              "/assessments/to-reassess/", "/development/sessions/",
              "/account/emails/", "/voice/surveys/", "/voice/ideas/", "/voice/ideas/new/",
              "/engagement/prompt-coach/",
              f"/voice/ideas/{built.idea}/", f"/voice/surveys/{built.survey}/answer/"]  # fmt: skip
    common += [*_engagement_pages(me), "/governance/charter/"]
    risks = ["/risks/", f"/risks/{Diagnostic.objects.order_by('pk').first().pk}/",
             "/risks/register/"]  # fmt: skip
    register = [
        "/governance/systems/",
        "/governance/council/",
        f"/governance/systems/{AISystem.objects.order_by('pk').first().pk}/",
        "/governance/article-4/",
    ]
    campaign = Campaign.objects.order_by("-opens_on").first()
    plan = Plan.objects.filter(person__manager=me).first() or Plan.objects.first()
    interview = CareerInterview.objects.filter(manager=me).first()
    by_role = {
        "lead": ["/people/", "/people/accounts/", "/people/import/", "/framework/targets/",
                 "/data-protection/", "/data-protection/audit/", "/insights/usage/",
                 "/api/tokens/",
                 f"/data-protection/people/{me.pk}/",
                 "/assessments/campaigns/", "/assessments/campaigns/new/",
                 f"/assessments/campaigns/{campaign.pk}/", "/assessments/items/",
                 "/assessments/quiz/settings/", "/assessments/calibration/",
                 "/development/plans/", f"/development/plans/{plan.pk}/",
                 "/development/gaps/company/", "/development/settings/", "/development/generate/",
                 "/insights/", "/insights/heatmap/", "/insights/distribution/",
                 "/insights/progression/", "/insights/compare/", "/insights/published/",
                 "/insights/plans/", "/insights/settings/", "/rollout/waves/",
                 "/rollout/waves/new/", "/development/sessions/new/", "/rollout/roadmap/",
                 "/rollout/roadmap/timeline/", f"/rollout/waves/{built.wave}/readiness/",
                 f"/rollout/roadmap/steps/{RoadmapStep.objects.order_by('pk').first().pk}/",
                 f"/development/sessions/{built.session}/",
                 f"/development/sessions/groups/?wave={built.wave}&module={built.module}",
                 "/rollout/communications/", "/rollout/communications/new/",
                 "/account/emails/outbox/", f"/voice/surveys/{built.pulse}/",
                 f"/voice/surveys/{built.pulse}/results/",
                 f"/voice/surveys/{built.pulse}/questions/new/",
                 f"/voice/surveys/{built.network}/network/",
                 f"/rollout/communications/{built.said}/", "/engagement/ambassadors/",
                 "/engagement/mentoring/pairs/",
                 f"/engagement/ambassadors/{Ambassador.objects.first().pk}/", *register,
                 *risks, "/risks/new/",
                 f"/risks/lines/{RiskLine.objects.filter(status='open').first().pk}/"],
        "manager": [*risks, "/people/", "/development/plans/", "/development/gaps/team/",
                    "/insights/", "/insights/published/", f"/development/plans/{plan.pk}/"]
                   + ([f"/assessments/interviews/{interview.pk}/"] if interview else []),
        "employee": [],
        "cse": [*register, *risks, "/insights/", "/insights/published/", "/rollout/roadmap/",
                "/rollout/communications/", f"/voice/surveys/{built.pulse}/results/"],
        "direction": [*register, *risks, "/insights/", "/insights/heatmap/", "/rollout/roadmap/",
                      "/rollout/communications/", f"/voice/surveys/{built.pulse}/results/"],
    }  # fmt: skip
    return common + by_role[username]


def _engagement_pages(me: Person) -> list[str]:
    """The engagement pages for everyone, and the mentoring of `me`."""
    award = Award.objects.order_by("pk").first()
    pair = Mentorship.objects.filter(Q(mentor=me) | Q(mentee=me)).first()
    return ["/engagement/", "/engagement/mentoring/", "/engagement/communities/",
            f"/engagement/communities/{Community.objects.first().pk}/", "/engagement/challenges/",
            *(f"/engagement/challenges/{c.pk}/" for c in Challenge.objects.all()),
            "/engagement/badges/", "/engagement/badges/verify/",
            f"/engagement/badges/credentials/{award.uid}/",
            f"/engagement/badges/{award.badge.slug}/",
            *([f"/engagement/mentoring/{pair.pk}/"] if pair else [])]  # fmt: skip


def _wave() -> Wave:
    """A wave with its three gates chosen, measured on the demo."""
    wave, _ = Wave.objects.get_or_create(name="Vague a11y", defaults={"gates": {
        "assessed": 80, "literacy": 60, "sessions": 100}})  # fmt: skip
    wave.units.set(OrgUnit.objects.filter(depth=1)[:1])
    return wave


def _idea() -> Idea:
    """A deployed idea with its measurements, a vote and a comment."""
    author, voter = Person.objects.filter(active=True).order_by("pk")[:2]
    idea = Idea.objects.create(title="Résumer les comptes rendus", problem="Une heure par "
                               "semaine.", author=author, status=IdeaStatus.DEPLOYED)  # fmt: skip
    Vote.objects.create(idea=idea, person=voter)
    IdeaComment.objects.create(idea=idea, person=voter, text="Très utile.")
    for phase, mean in (("before", 30), ("after", 10)):
        Measurement.objects.create(idea=idea, metric="minutes", phase=phase, mean=mean,
                                   observations=12, sd=4)  # fmt: skip
    Measurement.objects.create(idea=idea, metric="volume", phase="after", mean=40,
                               observations=1)  # fmt: skip
    return idea


def _answered() -> Survey:
    """A confidential pulse answered by 40 people, its results built."""
    data = templates()["trust_pulse"] | {"anonymity": "confidential"}
    survey = create_survey(data, by=None)
    survey.units.set(OrgUnit.objects.filter(parent=None))
    now = timezone.now()
    send(survey, opens_at=now - datetime.timedelta(minutes=1),
         closes_at=now + datetime.timedelta(days=5))  # fmt: skip
    for i, person in enumerate(Person.objects.filter(active=True).order_by("pk")[:40]):
        answer(survey, person, {"understand_why": str(1 + i % 5), "trust_responsible": "4",
                                "worry_job_change": str(1 + i % 3), "know_charter": "3",
                                "know_who_to_ask": "4", "main_fear": "none",
                                "comment": f"Remarque {i}"})  # fmt: skip
    close_now(survey)  # results are shown once a survey closes
    build_result(survey)
    return survey


def _network() -> Survey:
    """The help network, answered by 20 people naming two colleagues each."""
    survey = create_survey(templates()["help_network"], by=None)
    survey.units.set(OrgUnit.objects.filter(parent=None))
    now = timezone.now()
    send(survey, opens_at=now - datetime.timedelta(minutes=1),
         closes_at=now + datetime.timedelta(days=5))  # fmt: skip
    people = list(Person.objects.filter(active=True).order_by("pk")[:22])
    for i, person in enumerate(people[:20]):
        answer(survey, person, {"go_to": [people[i + 1].pk, people[i + 2].pk],
                                "help_others": "often", "ambassador": "maybe"})  # fmt: skip
    return survey


def _survey() -> Survey:
    """A survey open to everyone that nobody has answered yet (its answer page)."""
    found = Survey.objects.filter(template="sentiment").first()
    if found is None:
        found = create_survey(templates()["sentiment"], by=None)
        found.units.set(OrgUnit.objects.filter(parent=None))
        now = timezone.now()
        send(
            found,
            opens_at=now - datetime.timedelta(minutes=1),
            closes_at=now + datetime.timedelta(days=5),
        )
    return found


def _session() -> TrainingSession:
    """A session to come with its roster: seats taken, a waiting list, people invited."""
    module = PlanItem.objects.filter(plan__status=PlanStatus.AGREED).first().module
    session = TrainingSession.objects.create(
        module=module, starts_at=timezone.now() + datetime.timedelta(days=5), duration_hours=3,
        capacity=2, language="fr", place="Lyon", provider="Partner",
    )  # fmt: skip
    for person in Person.objects.filter(active=True).order_by("pk")[:3]:
        enrol(session, person)
    return session


@pytest.mark.parametrize("username", ["lead", "manager", "employee", "cse", "direction"])
@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 390)])
def test_no_page_breaks_a_wcag_rule(browser, live_server, swept, lang, width, username):
    found: list[str] = []
    context, page, _asked = signed_in(browser, live_server, username, DEMO_PASSWORD, lang, width)
    audit_every_page(context)
    for path in _pages(username, swept):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status < 400, (username, path)
        settled(page)
        found += [f"{username} {path}: {v}" for v in violations(page)]
    context.close()
    assert not found, "\n".join(found)
