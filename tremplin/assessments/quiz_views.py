from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin import params
from tremplin.assessments import bank, quiz
from tremplin.assessments.calibration import calibrate_bank
from tremplin.assessments.forms import ItemForm, QuizSettingsForm, UploadForm
from tremplin.assessments.models import CalibrationRun, Item, ItemStatus, QuizSession, QuizSettings
from tremplin.compute.calibration import MIN_ANSWERS
from tremplin.compute.irt import level_for
from tremplin.downloads import file_name
from tremplin.paging import page_of
from tremplin.people.access import role_required
from tremplin.people.models import Role, person_of
from tremplin.skills.models import Level
from tremplin.skills.queries import active_framework
from tremplin.uploads import UploadError, read_upload


@require_POST
@login_required
def quiz_start(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied
    try:
        session = quiz.start_or_resume(
            person=me,
            language=get_language() or "fr",
            focus=request.POST.getlist("focus") if "choosing" in request.POST else None,
        )
    except quiz.QuizRefused as error:
        messages.error(request, str(error))
        return redirect("assessments:overview")
    return redirect("assessments:quiz", pk=session.pk)


@login_required
def quiz_question(request: HttpRequest, pk: int) -> HttpResponse:
    me = person_of(request.user)
    session = get_object_or_404(QuizSession, pk=pk)
    if me is None or session.person_id != me.pk:
        raise PermissionDenied
    if request.method == "POST":
        try:
            quiz.answer(
                session_id=session.pk,
                person=me,
                item_id=params.bounded_int(request.POST.get("item"), 0),
                choice=params.bounded_int(request.POST.get("choice"), -1),
            )
        except (ValueError, quiz.QuizRefused) as error:
            message = (
                str(error)
                if isinstance(error, quiz.QuizRefused)
                else _("Choose one of the options.")
            )
            messages.error(request, message)
        return redirect("assessments:quiz", pk=session.pk)
    session.refresh_from_db()
    question = quiz.pending_question(session)
    if session.status != QuizSession.Status.OPEN or question is None:
        return redirect("assessments:quiz_result", pk=session.pk)
    settings = QuizSettings.current()
    return render(
        request,
        "assessments/quiz_question.html",
        {
            "session": session,
            "question": question,
            "options": list(enumerate(question.item.options)),
            "number": question.position + 1,
            "at_most": settings.max_items + settings.pilot_items,
        },
    )


@dataclass(frozen=True)
class CompetenceResult:
    code: str
    name: str
    level: int | None  # None: not measured precisely enough
    descriptor: str
    se: float
    questions: int


@login_required
def quiz_result(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(QuizSession.objects.visible_to(request.user), pk=pk)
    if session.status == QuizSession.Status.OPEN:
        return redirect("assessments:quiz", pk=session.pk)
    settings = QuizSettings.current()
    framework = active_framework()
    competences = (
        {c.code: c for c in framework.competences.prefetch_related("descriptors")}
        if framework
        else {}
    )
    precise = quiz.measured(session.results, settings)
    order = [*session.focus, *sorted(set(session.results) - set(session.focus))]
    rows = []
    for code in order:
        found = session.results.get(code)
        if found is None:
            continue
        competence = competences.get(code)
        level = int(found["level"]) if code in precise else None
        descriptor = next(
            (d.text for d in competence.descriptors.all() if d.level == level), ""
        ) if competence and level is not None else ""  # fmt: skip
        rows.append(CompetenceResult(
            code, competence.name if competence else code, level, descriptor,
            float(found["se"]), int(found.get("questions", 0)),
        ))  # fmt: skip
    overall = level_for(session.theta, settings.cuts) if session.theta is not None else None
    return render(
        request,
        "assessments/quiz_result.html",
        {
            "session": session,
            "measured": [r for r in rows if r.level is not None],
            "unmeasured": [r for r in rows if r.level is None],
            "overall": overall,
            "overall_label": Level(overall).label if overall is not None else "",
            "threshold": settings.competence_se,
            "answers": session.answers.filter(choice__isnull=False).select_related("item"),
        },
    )


@role_required(Role.LEAD)
def item_bank(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    items = Item.objects.order_by("code")
    if status in ItemStatus.values:
        items = items.filter(status=status)
    else:
        status = ""
    framework = active_framework()
    measured = {
        code for codes in Item.objects.values_list("competences", flat=True) for code in codes
    }
    competences = (
        [c for c in framework.competences.all() if c.code in measured] if framework else []
    )
    competence = request.GET.get("competence", "")
    if competence in measured:  # the codes as JSON text: the same on SQLite and PostgreSQL
        items = items.filter(competences__icontains=f'"{competence}"')
    else:
        competence = ""
    search = request.GET.get("q", "").strip()
    if search:
        items = items.filter(
            Q(code__icontains=search) | Q(stem_fr__icontains=search) | Q(stem_en__icontains=search)
        )
    page, query = page_of(request, items)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            try:
                content = read_upload(upload)
            except UploadError as error:
                raise bank.BankFormatError([str(error)]) from error
            parsed = (
                bank.parse_json(content)
                if upload.name.lower().endswith(".json")
                else bank.parse_csv(content)
            )
        except bank.BankFormatError as error:
            problems = error.problems
        else:
            created, updated = bank.save_items(parsed)
            messages.success(
                request,
                _("%(created)s items created, %(updated)s updated.")
                % {"created": created, "updated": updated},
            )
            return redirect("assessments:bank")
    return render(
        request,
        "assessments/bank.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": ItemStatus.choices,
            "competence": competence,
            "competences": competences,
            "search": search,
            "form": form,
            "problems": problems,
            "counts": {s: Item.objects.filter(status=s).count() for s in ItemStatus.values},
        },
    )


@role_required(Role.LEAD)
def bank_export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ("json", "csv"):
        raise Http404
    items = Item.objects.all()
    if kind == "json":
        response = HttpResponse(bank.export_json(items), content_type="application/json")
    else:
        response = HttpResponse(bank.export_csv(items), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, file_name("tremplin", pgettext("file name", "items"), extension=kind)
    )
    return response


@role_required(Role.LEAD)
def item_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    item = get_object_or_404(Item, pk=pk) if pk else Item(status=ItemStatus.PILOT)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST":
        if "retire" in request.POST and item.pk:
            Item.objects.filter(pk=item.pk).update(status=ItemStatus.RETIRED)
            messages.success(request, _("Item retired."))
            return redirect("assessments:bank")
        if form.is_valid():
            form.save()
            messages.success(request, _("Item saved."))
            return redirect("assessments:bank")
    return render(request, "assessments/item_edit.html", {"form": form, "item": item})


@role_required(Role.LEAD)
def quiz_settings(request: HttpRequest) -> HttpResponse:
    form = QuizSettingsForm(request.POST or None, instance=QuizSettings.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Quiz settings saved."))
        return redirect("assessments:quiz_settings")
    return render(request, "assessments/quiz_settings.html", {"form": form})


@role_required(Role.LEAD)
def calibration(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        model = request.POST.get("model", "2pl")
        run = CalibrationRun.objects.create(
            model=model if model in ("2pl", "3pl") else "2pl",
            requested_by_id=request.user.pk,
        )
        calibrate_bank.enqueue(run.pk)
        messages.success(request, _("Calibration started; this page shows its progress."))
        return redirect("assessments:calibration_run", pk=run.pk)
    return render(
        request,
        "assessments/calibration.html",
        {
            "runs": CalibrationRun.objects.all()[:20],
            "models": CalibrationRun._meta.get_field("model").choices,
            "min_answers": MIN_ANSWERS,
        },
    )


@role_required(Role.LEAD)
def calibration_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(CalibrationRun, pk=pk)
    return render(request, "assessments/calibration_run.html", {"run": run})
