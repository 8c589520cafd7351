"""Survey pages: the list (the lead's surveys, a person's to answer), a new survey from a
template or a file, a draft's questions, sending and reminding, and answering."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from tremplin.alphabetical import Alphabetical
from tremplin.compute import surveys as rules
from tremplin.downloads import file_name
from tremplin.pdf import pdf_response
from tremplin.people.access import role_required
from tremplin.people.models import Company, OrgUnit, Person, Role, person_of, roles_of
from tremplin.spreadsheets import XLSX_TYPE, xlsx_workbook
from tremplin.voice import network as help_network
from tremplin.voice import result_pages, services
from tremplin.voice.forms import ImportForm, QuestionForm, SendForm, SurveyForm
from tremplin.voice.models import Anonymity, Question, Result, Survey
from tremplin.voice.results import build_result

PROBLEMS = {
    "required": gettext_lazy("This question needs an answer."),
    "not_a_number": gettext_lazy("Choose one of the points of the scale."),
    "out_of_range": gettext_lazy("Choose one of the points of the scale."),
    "not_an_option": gettext_lazy("Choose among the options shown."),
    "too_many": gettext_lazy("Name at most three colleagues."),
    "self": gettext_lazy("Name colleagues other than yourself."),
    "unknown_colleague": gettext_lazy(
        "This colleague is not known: use their e-mail address or employee id."
    ),
    "too_long": gettext_lazy("This answer is too long."),
    "unknown_question": gettext_lazy("An answer to a question of another survey was sent."),
}
PROMISES = {
    Anonymity.ANONYMOUS: gettext_lazy(
        "This survey is anonymous. Your answers are stored without your name and without the "
        "time you answered; that you answered is kept only to spare you the reminders, and "
        "forgotten when the survey closes. An answer cannot be changed or traced back to you "
        "afterwards. Results are shown only for groups large enough that no one can be "
        "recognised."
    ),
    Anonymity.CONFIDENTIAL: gettext_lazy(
        "This survey is confidential. Your answers are kept with your name so that results can "
        "be broken down by department, site or job family, but nobody ever sees them one by "
        "one: only figures about groups large enough that no one can be recognised."
    ),
    Anonymity.NAMED: gettext_lazy(
        "This survey is named. Your answers, with your name, are used for the map of who helps "
        "whom with AI tools; only the programme lead sees them, and they are deleted at the "
        "latest %(days)s days after the survey closes."
    ),
}


@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    """The lead's surveys; everyone's surveys to answer."""
    services.close_due()
    me = person_of(request.user)
    mine = []
    if me is not None:
        mine = list(
            # one join: this person's invitation, not yet answered
            Survey.objects.filter(
                invitations__person=me, invitations__answered=False, sealed_at=None
            ).distinct()
        )
        mine = [s for s in mine if s.is_open()]
    roles = roles_of(request.user)
    is_lead = Role.LEAD in roles
    readers = not is_lead and bool(roles & {Role.EXECUTIVE, Role.WORKS_COUNCIL})
    return render(
        request,
        "voice/surveys.html",
        {
            "mine": mine,
            "is_lead": is_lead,
            # the sponsor and the council read the results (the lead from each survey's page)
            "readable": Survey.objects.filter(sent_at__isnull=False)
            .exclude(anonymity=Anonymity.NAMED)
            .order_by("-closes_at", "-pk")[:100]
            if readers
            else [],
            "all": Survey.objects.all()[:500] if is_lead else [],
            "templates": services.templates() if is_lead else {},
        },
    )


@require_POST
@role_required(Role.LEAD)
def survey_new(request: HttpRequest) -> HttpResponse:
    """A draft from a shipped template, or from a template file."""
    code = request.POST.get("template", "")
    if code == "blank":
        survey = Survey.objects.create(
            title_fr="Nouvelle enquête", title_en="New survey", created_by=_user(request)
        )
        messages.success(
            request, _("Draft survey created: name it, add its questions, then send it.")
        )
        return redirect("voice:survey", survey.pk)
    try:
        if code:
            found = services.templates().get(code)
            if found is None:
                raise Http404
            survey = services.create_survey(found, by=_user(request))
        else:
            form = ImportForm(request.POST, request.FILES)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, str(error))
                return redirect("voice:surveys")
            survey = services.create_survey(
                _read(form.cleaned_data["file"].read()), by=_user(request)
            )
    except services.SurveyError as error:
        messages.error(request, str(error))
        return redirect("voice:surveys")
    messages.success(request, _("Draft survey created: check its questions, then send it."))
    return redirect("voice:survey", survey.pk)


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _read(raw: bytes) -> object:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise services.SurveyError(
            _("The file is not a JSON survey template: %(error)s") % {"error": error}
        ) from None


@role_required(Role.LEAD)
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    """A survey for the lead: its questions, population and dates, where it stands."""
    found = get_object_or_404(Survey, pk=pk)
    about = SurveyForm(request.POST if "title_fr" in request.POST else None, instance=found)
    if about.is_bound and found.sent_at is None and about.is_valid():
        about.save()
        messages.success(request, _("Survey saved."))
        return redirect("voice:survey", found.pk)
    sending = request.method == "POST" and "title_fr" not in request.POST
    form = SendForm(request.POST if sending else None, instance=found)
    if sending and form.is_valid():
        form.save()
        try:
            n = services.send(
                found,
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
            )
        except services.SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, ngettext("%(n)s person invited.", "%(n)s people invited.", n) % {"n": n}
            )
            return redirect("voice:survey", found.pk)
    return render(
        request,
        "voice/survey.html",
        {
            "survey": found,
            "form": form,
            "questions": found.questions.all(),
            "editable": found.sent_at is None,
            "about": about,
            "question_form": QuestionForm(),
        },
    )


@require_POST
@role_required(Role.LEAD)
def survey_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Survey, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "remind":
            n = services.remind(found)
            messages.success(
                request,
                ngettext("%(n)s reminder written.", "%(n)s reminders written.", n) % {"n": n},
            )
        elif action == "close":
            services.close_now(found)
            messages.success(request, _("The survey is closed."))
        elif action == "delete" and found.sent_at is None:
            found.delete()
            messages.success(request, _("Draft deleted."))
            return redirect("voice:surveys")
        elif action == "export":
            response = HttpResponse(
                json.dumps(services.as_template(found), ensure_ascii=False, indent=2),
                content_type="application/json",
            )
            response["Content-Disposition"] = content_disposition_header(
                True, file_name(pgettext("file name", "survey"), found.pk, extension="json")
            )
            return response
    except services.SurveyError as error:
        messages.error(request, str(error))
    return redirect("voice:survey", found.pk)


@role_required(Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """A survey's results for the company's audiences, from its protected publication, built
    once the survey has closed. Not before: results that moved with each answer would show,
    from one look to the next, what the person who just answered said (its comment word for
    word), and the lead knows who answered while the survey is open. A named survey's
    answers are the help network's, for the lead alone."""
    found = get_object_or_404(Survey, pk=pk, sent_at__isnull=False)
    if found.anonymity == Anonymity.NAMED:
        if Role.LEAD in roles_of(request.user):
            return redirect("voice:network", found.pk)
        raise Http404
    services.close_due()
    found.refresh_from_db()
    if found.sealed_at is None:
        return render(request, "voice/results_pending.html", {"survey": found})
    stored = Result.objects.filter(survey=found).first() or build_result(found)
    asked = list(found.questions.all())
    if request.GET.get("format") == "xlsx":
        workbook = xlsx_workbook(result_pages.sheets(stored, asked))
        response = HttpResponse(workbook, content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, file_name(pgettext("file name", "survey"), found.pk, extension="xlsx")
        )
        return response
    shown = {
        "survey": found,
        "result": stored,
        "shown": result_pages.questions(stored, asked),
        "dimensions": result_pages.dimensions(stored, asked),
    }
    if request.GET.get("format") == "pdf":
        company = Company.objects.first()
        return pdf_response(
            request,
            "voice/results_pdf.html",
            {**shown, "company": company.name if company else ""},
            file_name(pgettext("file name", "survey"), found.pk, extension="pdf"),
            "voice:surveys",
        )
    return render(
        request,
        "voice/results.html",
        {
            **shown,
            "trend": result_pages.trend(found, asked),
        },
    )


@role_required(Role.LEAD)
def network(request: HttpRequest, pk: int) -> HttpResponse:
    """A named survey's help network, for the lead alone: who the others go to for help with
    AI tools (candidate ambassadors), who has nobody to ask, how far help travels, drawn."""
    found = get_object_or_404(Survey, pk=pk, anonymity=Anonymity.NAMED)
    drawn = help_network.current(found)
    rows = drawn.get("rows", [])[:30]
    people = Person.objects.select_related("org_unit").in_bulk([r["person"] for r in rows])
    ambassadors = set(Person.objects.filter(user__role_assignments__role=Role.AMBASSADOR)
                      .values_list("pk", flat=True))  # fmt: skip
    teams = OrgUnit.objects.filter(pk__in=drawn.get("teams_alone", [])).order_by(
        Alphabetical("name")
    )
    return render(request, "voice/network.html", {
        "survey": found, "network": drawn, "ambassadors": ambassadors, "teams": teams,
        "asked": [(people[r["person"]], r) for r in rows if r["person"] in people],
        "picture": help_network.picture(drawn, ambassadors),
    })  # fmt: skip


@role_required(Role.LEAD)
def question_edit(request: HttpRequest, pk: int, question: int | None = None) -> HttpResponse:
    """Add or change a question of a draft (a survey sent keeps its questions)."""
    found = get_object_or_404(Survey, pk=pk)
    instance = get_object_or_404(Question, pk=question, survey=found) if question else None
    if found.sent_at is not None:
        messages.error(request, _("A survey sent keeps its questions."))
        return redirect("voice:survey", found.pk)
    form = QuestionForm(request.POST or None, instance=instance or Question(survey=found))
    if request.method == "POST" and request.POST.get("action") == "delete" and instance:
        instance.delete()
        messages.success(request, _("Question deleted."))
        return redirect("voice:survey", found.pk)
    if request.method == "POST" and form.is_valid():
        problems = form.problems(found)
        if not problems:
            form.save()
            messages.success(request, _("Question saved."))
            return redirect("voice:survey", found.pk)
        for field, problem in problems:
            form.add_error(field, problem)
    return render(
        request, "voice/question_form.html", {"survey": found, "form": form, "question": instance}
    )


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A person answers a survey sent to them: what happens to their answers first, then the
    questions (some shown only after a given answer)."""
    found = get_object_or_404(Survey, pk=pk)
    me = person_of(request.user)
    why = services.may_answer(found, me)
    questions = list(found.questions.all())
    errors: dict[str, str] = {}
    if request.method == "POST" and not why:
        try:
            services.answer(found, me, _answers(request, questions))
        except services.Refused as refused:
            errors = {p.question: str(PROBLEMS.get(p.code, p.code)) for p in refused.problems}
            messages.error(request, str(refused))
        except services.SurveyError as error:
            messages.error(request, str(error))
            return redirect("voice:surveys")
        else:
            messages.success(request, _("Thank you: your answers are recorded."))
            return redirect("voice:surveys")
    promise = PROMISES[Anonymity(found.anonymity)]
    return render(
        request,
        "voice/answer.html",
        {
            "survey": found,
            "why": why,
            "errors": errors,
            "promise": str(promise) % {"days": found.retention_days}
            if found.anonymity == Anonymity.NAMED
            else promise,
            "blocks": [
                (q, errors.get(q.key, ""), request.POST.getlist(f"q-{q.key}"), _points(q.kind))
                for q in questions
            ],
        },
        status=200 if not why else 403,
    )


def _points(kind: str) -> list[str]:
    """The points of a scale, as the values the form sends."""
    limits = rules.bounds(kind)
    return [] if limits is None else [str(n) for n in range(limits[0], limits[1] + 1)]


def _answers(request: HttpRequest, questions: list[Question]) -> dict[str, object]:
    """The answers as sent, a colleague named by e-mail or employee id turned into their id
    (-1 when nobody has it)."""
    found: dict[str, object] = {}
    for question in questions:
        name = f"q-{question.key}"
        if question.kind == rules.MULTIPLE:
            found[question.key] = request.POST.getlist(name)
        elif question.kind == rules.COLLEAGUES:
            typed = [v.strip() for v in request.POST.getlist(name) if v.strip()]
            people: dict[str, int] = {}
            matching = Q(email__in=typed) | Q(employee_id__in=typed)
            for email, employee_id, pk in Person.objects.filter(matching, active=True).values_list(
                "email", "employee_id", "pk"
            ):
                people[email] = people[employee_id] = pk
            found[question.key] = [people.get(v, -1) for v in typed]
        else:
            found[question.key] = request.POST.get(name, "")
    return found
