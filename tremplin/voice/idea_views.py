"""The idea box's pages: the list, a new idea (alike ones suggested while typing), an idea
with its votes, comments, status, measurements and success story."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin import params
from tremplin.alphabetical import by_name
from tremplin.paging import page_of
from tremplin.people.models import Person, Role, person_of, roles_of
from tremplin.voice import ideas as service
from tremplin.voice.idea_forms import IdeaForm, MeasurementForm, SettingsForm, StoryForm
from tremplin.voice.idea_models import Idea, IdeaSettings, IdeaStatus


@login_required
def ideas(request: HttpRequest) -> HttpResponse:
    shown = Idea.objects.select_related("author", "owner", "team")
    status = request.GET.get("status", "")
    if status in IdeaStatus.values:
        shown = shown.filter(status=status)
    is_lead = Role.LEAD in roles_of(request.user)
    settings_form = SettingsForm(request.POST or None, instance=IdeaSettings.current())
    if is_lead and request.method == "POST" and settings_form.is_valid():
        settings_form.save()
        messages.success(request, _("Hourly value saved."))
        return redirect("voice:ideas")
    me = person_of(request.user)
    voted = set(me.idea_votes.values_list("idea_id", flat=True)) if me else set()
    page, query = page_of(request, shown)
    return render(
        request,
        "voice/ideas.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": IdeaStatus.choices,
            "voted": voted,
            "is_lead": is_lead,
            "settings_form": settings_form,
            "impact": service.impact(),
            "stories": Idea.objects.filter(status=IdeaStatus.DEPLOYED, story_consent=True)
            .exclude(story="")
            .select_related("author")[:6],
        },
    )


@login_required
def idea_new(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and me is not None and form.is_valid():
        idea = form.save(commit=False)
        idea.author = me
        idea.save()
        form.save_m2m()
        messages.success(request, _("Thank you: your idea is in the box."))
        return redirect("voice:idea", idea.pk)
    return render(request, "voice/idea_form.html", {"form": form, "me": me})


@login_required
def alike(request: HttpRequest) -> HttpResponse:
    """The ideas alike to what is being typed (the new idea form asks as one types)."""
    text = f"{request.GET.get('title', '')} {request.GET.get('problem', '')}"[:2000]
    return render(request, "voice/_alike.html", {"alike": service.alike(text)})


def _may_steer(request: HttpRequest, idea: Idea) -> bool:
    me = person_of(request.user)
    return Role.LEAD in roles_of(request.user) or (me is not None and idea.owner_id == me.pk)


@login_required
def idea(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Idea.objects.select_related("author", "owner", "team"), pk=pk)
    return _idea_page(request, found, MeasurementForm())


def _idea_page(
    request: HttpRequest, found: Idea, measurement_form: MeasurementForm
) -> HttpResponse:
    """The idea's page; a measurement refused comes back open, with what was typed."""
    me = person_of(request.user)
    steer = _may_steer(request, found)
    is_author = me is not None and found.author_id == me.pk
    return render(
        request,
        "voice/idea.html",
        {
            "idea": found,
            "comments": found.comments.select_related("person"),
            "measured": service.measured(found),
            "measurements": found.measurements.all(),
            "competences": found.competences.all(),
            "statuses": IdeaStatus.choices,
            "voted": me is not None and found.votes.filter(person=me).exists(),
            "open": found.status in service.OPEN,
            "may_steer": steer,
            "may_measure": steer or is_author,
            "is_author": is_author,
            "is_lead": Role.LEAD in roles_of(request.user),
            "measurement_form": measurement_form,
            "story_form": StoryForm(instance=found),
            "owners": Person.objects.filter(active=True, user__isnull=False).order_by(*by_name())[
                :500
            ],
        },
    )


@require_POST
@login_required
def idea_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Idea.objects.select_related("author", "owner", "team"), pk=pk)
    me = person_of(request.user)
    action = request.POST.get("action", "")
    steer = _may_steer(request, found)
    try:
        if action == "vote":
            service.vote(found, me)
            messages.success(request, _("Your vote is counted."))
        elif action == "unvote":
            service.unvote(found, me)
            messages.success(request, _("Your vote is withdrawn."))
        elif action == "comment":
            service.comment(found, me, request.POST.get("text", ""))
            messages.success(request, _("Comment added."))
        elif action == "status" and steer:
            service.move(
                found, request.POST.get("status", ""), reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Status changed."))
        elif action == "owner" and Role.LEAD in roles_of(request.user):
            found.owner = Person.objects.filter(
                pk=params.bounded_int(request.POST.get("owner"), 0)
            ).first()
            found.save(update_fields=["owner"])
            messages.success(request, _("Owner changed."))
        elif action == "measure" and (steer or (me is not None and found.author_id == me.pk)):
            form = MeasurementForm(request.POST)
            if not form.is_valid():
                return _idea_page(request, found, form)
            data = form.cleaned_data
            service.measure(
                found,
                metric=data["metric"],
                phase=data["phase"],
                mean=data["mean"],
                observations=data["observations"],
                sd=data["sd"],
                on=data["measured_on"],
                by=me,
            )
            messages.success(request, _("Measurement recorded."))
        elif action == "story" and (steer or (me is not None and found.author_id == me.pk)):
            _story(request, found, me)
        else:
            messages.error(request, _("You may not do this on this idea."))
    except service.IdeaError as error:
        messages.error(request, str(error))
    return redirect("voice:idea", found.pk)


def _story(request: HttpRequest, found: Idea, me: Person | None) -> None:
    """The story is written by the lead or the owner; only its author gives consent."""
    consent = found.story_consent
    form = StoryForm(request.POST, instance=found)
    if form.is_valid():
        story = form.save(commit=False)
        if me is None or found.author_id != me.pk:
            story.story_consent = consent
        story.save(update_fields=["story", "story_consent"])
        messages.success(request, _("Success story saved."))
