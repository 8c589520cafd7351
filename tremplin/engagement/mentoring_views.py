"""Mentoring's pages: a person's offer, request and mentorships; the lead's matching and
approvals; one mentorship's page for its two parties and the lead."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tremplin.compute import mentoring as scoring
from tremplin.engagement import mentoring as service
from tremplin.engagement.forms import (
    FeedbackForm,
    MeetingForm,
    OfferForm,
    RequestForm,
    flash_errors,
)
from tremplin.engagement.mentoring_models import (
    MenteeRequest,
    MentorOffer,
    Mentorship,
    MentorshipStatus,
)
from tremplin.params import bounded_int
from tremplin.people.access import role_required
from tremplin.people.models import Role, person_of, roles_of
from tremplin.skills.queries import active_framework


@never_cache
@login_required
def mentoring(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    if me is None:
        return render(request, "engagement/mentoring.html", {"me": None})
    offerable, goals = service.offerable(me), service.goals_of(me)
    offer = MentorOffer.objects.filter(person=me).first()
    ask = MenteeRequest.objects.filter(person=me).first()
    default = {"languages": [me.preferred_language]}
    offer_form = OfferForm(instance=offer, offerable=offerable, initial=default)
    ask_form = RequestForm(instance=ask, goals=goals, initial=default)
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "offer" and offerable:
            offer_form = OfferForm(request.POST, instance=offer, offerable=offerable)
            if offer_form.is_valid():
                offer_form.instance.person = me
                offer_form.save()
                messages.success(request, _("Your offer to mentor is saved."))
                return redirect("engagement:mentoring")
        elif which == "ask" and goals:
            ask_form = RequestForm(request.POST, instance=ask, goals=goals)
            if ask_form.is_valid():
                ask_form.instance.person = me
                ask_form.save()
                messages.success(request, _("Your request for a mentor is saved."))
                return redirect("engagement:mentoring")
        else:
            raise PermissionDenied
    pairs = Mentorship.objects.filter(Q(mentor=me) | Q(mentee=me)).exclude(
        status=MentorshipStatus.PROPOSED
    )
    return render(request, "engagement/mentoring.html", {
        "me": me, "offerable": offerable, "goals": goals, "offer_form": offer_form,
        "ask_form": ask_form, "pairs": pairs.select_related("mentor", "mentee"),
        "seats": service.seats_left(me) if offer else None,
    })  # fmt: skip


@never_cache
@role_required(Role.LEAD)
def pairs(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "match":
            found = service.propose()
            messages.success(request, _(
                "%(pairs)s pairs proposed for %(mentees)s people looking (score %(score)s; "
                "a greedy choice would score %(greedy)s)."
            ) % {"pairs": found.pairs, "mentees": found.mentees, "score": found.score,
                 "greedy": found.greedy_score})  # fmt: skip
        elif action in ("approve", "reject", "approve_all"):
            _decide(request, action)
        else:
            raise PermissionDenied
        return redirect("engagement:pairs")
    rows = Mentorship.objects.select_related("mentor__org_unit", "mentee__org_unit")
    counts = dict(
        Mentorship.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return render(request, "engagement/pairs.html", {
        "proposed": rows.filter(status=MentorshipStatus.PROPOSED).order_by("-score", "pk"),
        "waiting": rows.filter(status=MentorshipStatus.APPROVED),
        "counts": [(s.label, counts.get(s.value, 0)) for s in MentorshipStatus],
        "mentors": MentorOffer.objects.filter(active=True).count(),
        "mentees": MenteeRequest.objects.filter(active=True).count(),
        "names": _names(),
        "points": {"coverage": scoring.COVERAGE_POINTS, "level": scoring.LEVEL_POINTS,
                   "cross": scoring.CROSS_DEPARTMENT_POINTS},
    })  # fmt: skip


def _names() -> dict[str, str]:
    framework = active_framework()
    return {c.code: c.name for c in framework.competences.all()} if framework else {}


def _decide(request: HttpRequest, action: str) -> None:
    if action == "approve_all":
        chosen = list(Mentorship.objects.filter(status=MentorshipStatus.PROPOSED))
    else:
        chosen = [get_object_or_404(Mentorship, pk=bounded_int(request.POST.get("pair"), 0))]
    done = 0
    for pair in chosen:
        try:
            if action == "reject":
                service.reject(pair)
            else:
                service.approve(pair)
            done += 1
        except service.Refused as refused:
            messages.error(request, f"{pair}: {refused}")
    if done and action == "reject":
        messages.success(request, _("Pair turned down."))
    elif done:
        messages.success(
            request, _("%(n)s pairs approved; both sides are asked to accept.") % {"n": done}
        )


@never_cache
@login_required
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Mentorship.objects.select_related("mentor", "mentee"), pk=pk)
    me = person_of(request.user)
    side = found.side_of(me)
    is_lead = Role.LEAD in roles_of(request.user)
    if not side and not is_lead:
        raise PermissionDenied
    given = found.feedback.filter(person=me).exists() if me else True
    return render(request, "engagement/pair.html", {
        "pair": found, "side": side, "is_lead": is_lead, "names": _names(),
        "meetings": found.meetings.all(), "meeting": MeetingForm(), "feedback": FeedbackForm(),
        "given": given, "feedback_rows": found.feedback.select_related("person") if is_lead or
        found.status == MentorshipStatus.ENDED else [],
        "accepted": found.mentor_accepted_at if side == "mentor" else found.mentee_accepted_at,
    })  # fmt: skip


@require_POST
@login_required
def pair_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Mentorship.objects.select_related("mentor", "mentee"), pk=pk)
    me = person_of(request.user)
    if me is None or not found.side_of(me):
        raise PermissionDenied
    action = request.POST.get("action", "")
    try:
        if action in ("accept", "decline"):
            service.respond(found, me, accept=action == "accept")
            messages.success(request, _("Thank you for your answer."))
        elif action == "meeting" and found.status == MentorshipStatus.ACTIVE:
            form = MeetingForm(request.POST)
            if form.is_valid():
                meeting = form.save(commit=False)
                meeting.mentorship, meeting.logged_by = found, me
                meeting.save()
                messages.success(request, _("Meeting logged."))
            else:
                flash_errors(request, form)
        elif action == "feedback":
            feedback = FeedbackForm(request.POST)
            if feedback.is_valid():
                service.close(found, me, feedback.save(commit=False))
                messages.success(request, _("Thank you: your feedback closes the mentoring."))
            else:
                flash_errors(request, feedback)
        else:
            raise PermissionDenied
    except service.Refused as refused:
        messages.error(request, str(refused))
    return redirect("engagement:pair", found.pk)
