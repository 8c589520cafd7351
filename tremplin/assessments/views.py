from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin import params
from tremplin.alphabetical import by_name
from tremplin.assessments import access
from tremplin.assessments.forms import EvidenceForm, InterviewForm, RatingsForm
from tremplin.assessments.models import (
    Campaign,
    CareerInterview,
    CurrentLevel,
    Draft,
    QuizSession,
    QuizSettings,
    Rating,
    Source,
)
from tremplin.assessments.queries import (
    DISAGREEMENT,
    campaigns_for,
    campaigns_for_people,
    competences_to_assess,
    disagreements_by_unit,
    open_today,
)
from tremplin.assessments.quiz import (
    bank_competences,
    default_focus,
    last_finished_quiz,
    retake_after,
)
from tremplin.assessments.services import (
    AssessmentError,
    Evidence,
    agree_interview,
    record_ratings,
    save_draft,
    save_interview,
)
from tremplin.learning.models import Plan
from tremplin.paging import page_of
from tremplin.people.access import person_guard
from tremplin.people.models import Person, Role, person_of, roles_of
from tremplin.skills.queries import active_framework


def _me(request: HttpRequest) -> Person:
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied
    return me


def quiz_choices(me: Person) -> list[tuple[str, str, bool]]:
    """The competences the quiz can measure: (code, name, proposed for the person's job)."""
    framework = active_framework()
    names = {c.code: c.name for c in framework.competences.all()} if framework else {}
    bank = bank_competences()
    proposed = default_focus(me, bank)
    rest = sorted(set(bank) - set(proposed))
    return [(code, names.get(code, code), code in proposed) for code in [*proposed, *rest]]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    roles = roles_of(request.user)
    context: dict[str, object] = {"me": me, "is_lead": Role.LEAD in roles}
    if me is not None:
        team = list(Person.objects.reporting_line_of(me).filter(active=True))
        quiz_settings = QuizSettings.current()
        last_quiz = last_finished_quiz(me)
        opened = open_today()  # read once for one's own campaigns and the team's
        context.update(
            self_campaigns=campaigns_for(me, Source.SELF, opened),
            levels=CurrentLevel.objects.filter(person=me)
            .select_related("competence")
            .order_by("competence__order", "competence__code"),
            quiz_open=QuizSession.objects.filter(person=me, status="open").first(),
            quiz_last=last_quiz,
            retake_at=retake_after(last_quiz, quiz_settings),
            quiz_choices=quiz_choices(me),
            quiz_length=quiz_settings.max_items + quiz_settings.pilot_items,  # as the counter says
            interviews=CareerInterview.objects.visible_to(request.user).filter(person=me),
        )
        if Role.MANAGER in roles and team:
            flagged = set(
                CurrentLevel.objects.filter(person__in=team)
                .filter(DISAGREEMENT)
                .values_list("person_id", flat=True)
            )
            campaigns = campaigns_for_people(team, Source.MANAGER, opened)
            context["team"] = [
                (person, campaigns[person.pk], person.pk in flagged) for person in team
            ]
    if Role.LEAD in roles:
        context["disagreements"] = disagreements_by_unit()
    return render(request, "assessments/overview.html", context)


@login_required
def assess(request: HttpRequest, campaign_id: int, person_id: int, source: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    mine = person_of(request.user)
    # One's own form: the person is the one signed in, already read.
    person = mine if mine and mine.pk == person_id else get_object_or_404(Person, pk=person_id)
    me = _me(request)
    if source in (Source.SELF, Source.MANAGER) and not access.may_rate(me, person, source):
        raise PermissionDenied
    if source not in (Source.SELF, Source.MANAGER) or not campaign.includes(person):
        raise Http404
    asks = campaign.self_assessment if source == Source.SELF else campaign.manager_assessment
    if not asks:  # the campaign does not ask for this kind of assessment
        raise Http404
    to_assess = competences_to_assess(person)
    draft = Draft.objects.filter(campaign=campaign, person=person, source=source).first()
    initial = {f"level_{code}": level for code, level in (draft.levels if draft else {}).items()}
    form = RatingsForm(
        request.POST or None,
        to_assess=to_assess,
        initial={**initial, "comment": draft.comment if draft else ""},
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            save_draft(
                campaign=campaign,
                person=person,
                assessor=me,
                source=source,
                levels=form.levels(),
                comment=form.cleaned_data["comment"],
                submit=submit,
                competences={e.competence.code: e.competence for e in to_assess},
            )
        except AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Assessment submitted. Thank you.")
                if submit
                else _("Saved. You can come back later."),
            )
            return redirect("assessments:overview")
    return render(
        request,
        "assessments/assess.html",
        {
            "campaign": campaign,
            "person": person,
            "source": source,
            "form": form,
            "draft": draft,
            "is_open": campaign.is_open(),
        },
    )


@login_required
def person_levels(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    person_guard(request.user, person)
    me = person_of(request.user)
    can_add_evidence = access.may_add_evidence(request.user, me, person)
    framework = active_framework()
    form = None
    if can_add_evidence and framework is not None:
        form = EvidenceForm(
            request.POST or None, request.FILES or None, competences=framework.competences.all()
        )
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["evidence_file"]
            record_ratings(
                person=person,
                levels={form.cleaned_data["competence"]: form.cleaned_data["level"]},
                source=Source.EVIDENCE,
                assessor=me,
                assessed_on=form.cleaned_data["assessed_on"],
                evidence=Evidence(
                    text=form.cleaned_data["evidence_text"],
                    url=form.cleaned_data["evidence_url"],
                    file_name=upload.name if upload else "",
                    file=upload.read() if upload else None,
                ),
            )
            messages.success(request, _("Evidence recorded."))
            return redirect("assessments:person", person_id=person.pk)
    return render(
        request,
        "assessments/person.html",
        {
            "person": person,
            "levels": CurrentLevel.objects.filter(person=person)
            .select_related("competence")
            .order_by("competence__order", "competence__code"),
            "ratings": Rating.objects.filter(person=person).select_related(
                "competence", "assessor", "campaign"
            ),
            "form": form,
        },
    )


@login_required
def evidence_file(request: HttpRequest, rating_id: int) -> HttpResponse:
    rating = get_object_or_404(Rating.objects.visible_to(request.user), pk=rating_id)
    if not rating.evidence_file:
        raise Http404
    response = HttpResponse(bytes(rating.evidence_file), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, rating.evidence_file_name)
    return response


@require_POST
@login_required
def interview_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person's interview of this year, opened again if it exists: one per person and
    year, held by their manager (being above someone in the chart is not enough: the role is)."""
    person = get_object_or_404(Person, pk=person_id)
    me = _me(request)
    if not access.may_hold_interview(me, person):
        raise PermissionDenied
    today = timezone.localdate()
    interview = CareerInterview.objects.filter(person=person, held_on__year=today.year).first()
    if interview is None:
        interview = CareerInterview.objects.create(person=person, manager=me, held_on=today)
    return redirect("assessments:interview", pk=interview.pk)


@login_required
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(CareerInterview.objects.visible_to(request.user), pk=pk)
    me = person_of(request.user)
    may_edit = access.may_write_interview(me, record)  # the lead reads, the parties write
    form = InterviewForm(request.POST or None, instance=record, initial={"version": record.version})
    if request.method == "POST" and may_edit and me is not None:
        if "agree" in request.POST:
            agree_interview(interview=record, by=me)
            messages.success(
                request,
                _("Your agreement is recorded.")
                if not CareerInterview.objects.get(pk=record.pk).agreed
                else _("Your agreement is recorded: both of you have agreed to this record."),
            )
            return redirect("assessments:interview", pk=record.pk)
        if form.is_valid():
            try:
                save_interview(
                    interview=CareerInterview.objects.get(pk=record.pk),
                    by=me,
                    held_on=form.cleaned_data["held_on"],
                    learned=form.cleaned_data["learned"],
                    wishes=form.cleaned_data["wishes"],
                    priorities=form.cleaned_data["priorities"],
                    version=form.cleaned_data["version"],
                )
            except AssessmentError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Saved. Once the record is complete, each of you agrees to it on this "
                        "page; a later change asks for both agreements again."
                    ),
                )
                return redirect("assessments:interview", pk=record.pk)
    elif request.method == "POST":
        raise PermissionDenied
    record.refresh_from_db()
    return render(
        request,
        "assessments/interview.html",
        {
            "interview": record,
            "form": form,
            "may_edit": may_edit,
            "me": me,
            "plan": Plan.objects.current().filter(person=record.person).first(),
        },
    )


@login_required
def interviews(request: HttpRequest) -> HttpResponse:
    """The career interviews the reader may open (the lead: all; a manager: those they hold;
    anyone: their own), by year and agreement, 50 at a time; for a manager, their direct
    reports still without an interview this year."""
    found = CareerInterview.objects.visible_to(request.user)
    me = person_of(request.user)
    today = timezone.localdate()
    to_hold: list[Person] = []
    if me is not None and Role.MANAGER in roles_of(request.user):
        held = CareerInterview.objects.filter(held_on__year=today.year).values("person_id")
        to_hold = list(
            Person.objects.filter(manager=me, active=True).exclude(pk__in=held).order_by(*by_name())
        )
    years = sorted({d.year for d in found.dates("held_on", "year")}, reverse=True)
    year = request.GET.get("year", "")
    if chosen := params.year(year, 0):
        found = found.filter(held_on__year=chosen)
    status = request.GET.get("status", "")
    both = Q(person_agreed_at__isnull=False, manager_agreed_at__isnull=False)
    if status == "agreed":
        found = found.filter(both)
    elif status == "open":
        found = found.exclude(both)
    found = found.select_related("person", "manager").order_by("-held_on", *by_name("person__"))
    page, query = page_of(request, found)
    return render(
        request,
        "assessments/interviews.html",
        {
            "page": page,
            "query": query,
            "years": years,
            "year": year,
            "status": status,
            "to_hold": to_hold,
            "this_year": today.year,
        },
    )
