"""Read models for the assessment pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tremplin.alphabetical import Alphabetical
from tremplin.assessments.models import Campaign, CurrentLevel, Draft, Source
from tremplin.people.models import Person
from tremplin.skills.models import Competence, Tier
from tremplin.skills.queries import active_framework, effective_targets

# A level with any disagreement flag raised.
DISAGREEMENT = (
    Q(self_manager_disagree=True) | Q(self_quiz_disagree=True) | Q(manager_quiz_disagree=True)
)


@dataclass
class ToAssess:
    competence: Competence
    target: int


def competences_to_assess(person: Person, *, descriptors: bool = True) -> list[ToAssess]:
    """Competences targeted for the person's job (tier 1 for everyone without a job family),
    with their level descriptors unless `descriptors` is False (the codes and targets only)."""
    framework = active_framework()
    if framework is None:
        return []
    if person.job_family is None:
        competences = framework.competences.filter(tier=Tier.LITERACY)
        if descriptors:
            competences = competences.prefetch_related("descriptors")
        return [ToAssess(c, 1) for c in competences]
    targets = [t for t in effective_targets(framework, person.job_family) if t.level > 0]
    if not descriptors:
        return [ToAssess(t.competence, t.level) for t in targets]
    with_descriptors = {
        c.pk: c
        for c in Competence.objects.filter(
            pk__in=[t.competence.pk for t in targets]
        ).prefetch_related("descriptors")
    }
    return [ToAssess(with_descriptors[t.competence.pk], t.level) for t in targets]


def _asking(source: str) -> str:
    """The campaign's flag that asks for assessments from `source` (self or manager)."""
    return "self_assessment" if source == Source.SELF else "manager_assessment"


def open_campaigns(source: str) -> QuerySet[Campaign]:
    today = timezone.localdate()
    return Campaign.objects.filter(
        opens_on__lte=today, closes_on__gte=today, **{_asking(source): True}
    )


CampaignEntry = tuple[Campaign, Draft | None]


def covering(campaigns: list[Campaign], ids: list[int]) -> dict[int, list[Campaign]]:
    """For each person id: which of `campaigns` cover them, by the rule of
    `Campaign.population`, in a fixed number of queries whatever the numbers of campaigns and
    people (prefetch the campaigns' org units and job families)."""
    found: dict[int, list[Campaign]] = {pk: [] for pk in ids}
    if not campaigns or not ids:
        return found
    named = Campaign.people.through.objects.filter(campaign__in=campaigns)
    with_list = set(named.values_list("campaign_id", flat=True).distinct())
    listed = set(named.filter(person_id__in=ids).values_list("campaign_id", "person_id"))
    facts = list(
        Person.objects.filter(pk__in=ids, active=True).values_list(
            "pk", "job_family_id", "org_unit__path"
        )
    )
    for campaign in campaigns:
        paths = [u.path for u in campaign.org_units.all()]
        families = {f.pk for f in campaign.job_families.all()}
        everyone = not paths and not families and campaign.pk not in with_list
        for pk, family, path in facts:
            if (
                everyone
                or (campaign.pk, pk) in listed
                or family in families
                or (path is not None and any(path.startswith(p) for p in paths))
            ):
                found[pk].append(campaign)
    return found


def open_today() -> list[Campaign]:
    """Every campaign open today, whatever it asks, with what `covering` reads of them."""
    today = timezone.localdate()
    campaigns = Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today)
    return list(campaigns.prefetch_related("org_units", "job_families"))


def open_campaigns_covering(person: Person, opened: list[Campaign] | None = None) -> list[Campaign]:
    """Every campaign open today that covers `person`, whatever it asks (self-assessment,
    manager's, quiz): read once for a page that needs several kinds (`opened`: `open_today`,
    when the page has read it already)."""
    return covering(open_today() if opened is None else opened, [person.pk])[person.pk]


def campaigns_for_people(
    people: list[Person], source: str, opened: list[Campaign] | None = None
) -> dict[int, list[CampaignEntry]]:
    """For each person: the open campaigns covering them for this source, with their draft,
    in a fixed number of queries (a manager's page lists their whole reporting line;
    `opened`: `open_today`, when the page has read it already)."""
    ids = [p.pk for p in people]
    if opened is None:
        campaigns = list(open_campaigns(source).prefetch_related("org_units", "job_families"))
    else:
        campaigns = [c for c in opened if getattr(c, _asking(source))]
    drafts = {
        (d.campaign_id, d.person_id): d
        for d in Draft.objects.filter(campaign__in=campaigns, person_id__in=ids, source=source)
    }
    return {
        pk: [(c, drafts.get((c.pk, pk))) for c in found]
        for pk, found in covering(campaigns, ids).items()
    }


def campaigns_for(
    person: Person, source: str, opened: list[Campaign] | None = None
) -> list[CampaignEntry]:
    """Open campaigns covering `person` for this source, with the draft in progress if any."""
    return campaigns_for_people([person], source, opened)[person.pk]


def disagreements_by_unit() -> list[dict[str, Any]]:
    """For the programme lead: people with a disagreement flag, counted by org unit."""
    rows: Any = (
        CurrentLevel.objects.filter(DISAGREEMENT)
        .values("person__org_unit__name")
        .annotate(
            people=Count("person", distinct=True),
            flags=Count("id"),
            self_manager=Count("id", filter=Q(self_manager_disagree=True)),
            self_quiz=Count("id", filter=Q(self_quiz_disagree=True)),
            manager_quiz=Count("id", filter=Q(manager_quiz_disagree=True)),
        )
        .order_by(
            "-people", Alphabetical("person__org_unit__name").asc(nulls_last=True)
        )  # as on PostgreSQL
    )
    return list(rows)


def campaign_progress(campaign: Campaign) -> dict[str, int]:
    population = campaign.population()
    drafts = Draft.objects.filter(campaign=campaign, submitted_at__isnull=False)
    return {
        "population": population.count(),
        "self_done": drafts.filter(source=Source.SELF).count(),
        "manager_done": drafts.filter(source=Source.MANAGER).count(),
        "quiz_done": campaign.quiz_sessions.filter(status="finished").count(),
    }
