"""Campaigns: the list (filtered, 50 at a time), opening, editing, extending and closing one,
and its page: progress, who has not answered yet, reminders.

The lead runs campaigns; a manager opens a campaign's page for their reporting line only.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tremplin.alphabetical import by_name
from tremplin.assessments import access
from tremplin.assessments.forms import CampaignForm
from tremplin.assessments.models import Campaign, CampaignReminder, Draft, QuizSession, Source
from tremplin.notifications.events import campaign_invitations, campaign_reminders
from tremplin.paging import page_of
from tremplin.people.access import role_required
from tremplin.people.models import Person, Role, person_of, roles_of

STATUSES = ("current", "open", "planned", "closed", "all")


def _status_filter(campaigns: QuerySet[Campaign], status: str) -> QuerySet[Campaign]:
    today = timezone.localdate()
    if status == "open":
        return campaigns.filter(opens_on__lte=today, closes_on__gte=today)
    if status == "planned":
        return campaigns.filter(opens_on__gt=today)
    if status == "closed":
        return campaigns.filter(closes_on__lt=today)
    if status == "current":
        return campaigns.filter(closes_on__gte=today)
    return campaigns


@role_required(Role.LEAD)
def campaigns(request: HttpRequest) -> HttpResponse:
    """Open and planned campaigns by default; any status, searchable by name."""
    status = request.GET.get("status", "current")
    status = status if status in STATUSES else "current"
    search = request.GET.get("q", "").strip()
    found = _status_filter(Campaign.objects.all(), status)
    if search:
        found = found.filter(name__icontains=search)
    page, query = page_of(request, found.order_by("-opens_on", "name"))
    return render(
        request,
        "assessments/campaigns.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "search": search,
            "today": timezone.localdate(),
        },
    )


def _save(request: HttpRequest, form: CampaignForm) -> Campaign:
    campaign = form.save(commit=False)
    if campaign.created_by_id is None:
        campaign.created_by = request.user  # type: ignore[assignment]
    campaign.save()
    form.save_m2m()
    campaign.people.set(form.cleaned_data["employee_ids"])
    return campaign


@role_required(Role.LEAD)
def campaign_new(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()  # opens today for three weeks unless the lead says otherwise
    form = CampaignForm(
        request.POST or None,
        initial={"opens_on": today, "closes_on": today + datetime.timedelta(days=21)},
    )
    submission = (request.POST.get("submission") or "")[:40] or secrets.token_urlsafe(16)
    if request.method == "POST" and form.is_valid():
        earlier = Campaign.objects.filter(submission=submission).first()
        if earlier is None:
            try:
                with transaction.atomic():
                    form.instance.submission = submission
                    earlier = _save(request, form)
                    campaign_invitations(earlier)
            except IntegrityError:  # the same form posted twice at once: the other one won
                earlier = Campaign.objects.get(submission=submission)
            else:
                messages.success(request, _("Campaign created."))
        return redirect("assessments:campaign", pk=earlier.pk)
    return render(
        request,
        "assessments/campaign_form.html",
        {"form": form, "campaign": None, "submission": submission},
    )


@role_required(Role.LEAD)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename, change kinds, population or dates (extend it by moving the closing date)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    initial = {"employee_ids": " ".join(campaign.people.values_list("employee_id", flat=True))}
    form = CampaignForm(request.POST or None, instance=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        _save(request, form)
        messages.success(request, _("Campaign saved."))
        return redirect("assessments:campaign", pk=campaign.pk)
    return render(request, "assessments/campaign_form.html", {"form": form, "campaign": campaign})


@require_POST
@role_required(Role.LEAD)
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an open campaign now: it closed yesterday, so nothing more can be submitted.
    A campaign that has not yet run a full day is withdrawn instead (when nothing was
    submitted in it)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    if campaign.closes_on < today:
        messages.info(request, _("This campaign is already closed."))
    elif campaign.opens_on <= yesterday:
        campaign.closes_on = yesterday
        campaign.save(update_fields=["closes_on"])
        messages.success(request, _("Campaign closed."))
    elif campaign.drafts.filter(submitted_at__isnull=False).exists():
        messages.error(request, _("Answers were already submitted today: close it tomorrow."))
    else:
        campaign.delete()
        messages.success(request, _("Campaign withdrawn before it ran."))
        return redirect("assessments:campaigns")
    return redirect("assessments:campaign", pk=pk)


def _scope(request: HttpRequest, campaign: Campaign) -> QuerySet[Person]:
    """The campaign's people the reader follows: all for the lead, a manager's line."""
    roles = roles_of(request.user)
    population = campaign.population()
    if Role.LEAD in roles:
        return population
    me = person_of(request.user)
    if me is None or not access.may_follow_campaigns(request.user):
        raise PermissionDenied
    return population.filter(pk__in=Person.objects.reporting_line_of(me).values("pk"))


def _kinds(campaign: Campaign) -> list[tuple[str, str]]:
    kinds = []
    if campaign.self_assessment:
        kinds.append((Source.SELF.value, _("self-assessment")))
    if campaign.manager_assessment:
        kinds.append((Source.MANAGER.value, _("manager rating")))
    if campaign.quiz:
        kinds.append((Source.QUIZ.value, _("quiz")))
    return kinds


def _answered(campaign: Campaign, source: str) -> Q:
    """People (as `pk`) who did their part of `source` in the campaign."""
    if source == Source.QUIZ:
        return Q(
            Exists(
                QuizSession.objects.filter(
                    campaign=campaign, person=OuterRef("pk"), status=QuizSession.Status.FINISHED
                )
            )
        )
    done = Draft.objects.filter(
        campaign=campaign, person=OuterRef("pk"), source=source, submitted_at__isnull=False
    )
    return Q(Exists(done))


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress per kind over the reader's scope, and who has not answered, 50 at a time."""
    if not request.user.is_authenticated:
        return redirect("login")
    campaign = get_object_or_404(Campaign, pk=pk)
    scope = _scope(request, campaign)
    kinds = _kinds(campaign)
    total = scope.count()
    progress = [
        (key, label, scope.filter(_answered(campaign, key)).count()) for key, label in kinds
    ]
    missing = request.GET.get("missing", kinds[0][0] if kinds else "")
    if missing not in {key for key, _label in kinds}:
        missing = kinds[0][0] if kinds else ""
    waiting = scope.exclude(_answered(campaign, missing)) if missing else scope.none()
    page, query = page_of(
        request,
        waiting.select_related("org_unit", "manager").order_by(*by_name()),
    )
    reminded = _last_reminders(campaign, missing, [p.pk for p in page])
    rows = [(person, reminded.get(person.pk)) for person in page]
    return render(
        request,
        "assessments/campaign.html",
        {
            "campaign": campaign,
            "total": total,
            "progress": progress,
            "missing": missing,
            "missing_count": waiting.count(),
            "page": page,
            "query": query,
            "rows": rows,
            "is_lead": Role.LEAD in roles_of(request.user),
            "today": timezone.localdate(),
        },
    )


def _last_reminders(
    campaign: Campaign, source: str, people: list[int]
) -> dict[int, datetime.datetime]:
    """When each of `people` (one page) was last reminded of this part."""
    found: dict[int, datetime.datetime] = {}
    for person_id, sent_at in CampaignReminder.objects.filter(
        campaign=campaign, source=source, person__in=people
    ).values_list("person_id", "sent_at"):
        if person_id not in found or sent_at > found[person_id]:
            found[person_id] = sent_at
    return found


@require_POST
def campaign_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind everyone in the reader's scope who has not done this part (or one person)."""
    if not request.user.is_authenticated:
        return redirect("login")
    campaign = get_object_or_404(Campaign, pk=pk)
    source = request.POST.get("source", "")
    if source not in {key for key, _label in _kinds(campaign)}:
        messages.error(request, _("Choose what to remind people of."))
        return redirect("assessments:campaign", pk=pk)
    if not campaign.is_open():
        messages.error(request, _("Only an open campaign sends reminders."))
        return redirect("assessments:campaign", pk=pk)
    waiting = _scope(request, campaign).exclude(_answered(campaign, source))
    one = request.POST.get("person", "")
    if one.isdigit():
        waiting = waiting.filter(pk=int(one))
    ids = list(waiting.values_list("pk", flat=True))
    now = timezone.now()
    campaign_reminders(campaign, source, waiting.filter(pk__in=ids))
    CampaignReminder.objects.bulk_create(
        CampaignReminder(
            campaign=campaign, person_id=i, source=source, sent_at=now, sent_by=request.user
        )
        for i in ids
    )
    messages.success(
        request,
        ngettext("%(count)s person reminded.", "%(count)s people reminded.", len(ids))
        % {"count": len(ids)},
    )
    return redirect(f"{request.path.rsplit('remind/', 1)[0]}?missing={source}")
