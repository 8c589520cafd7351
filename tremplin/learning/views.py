from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from tremplin import params
from tremplin.alphabetical import by_name
from tremplin.assessments.models import CareerInterview
from tremplin.downloads import file_name
from tremplin.learning import access
from tremplin.learning import catalogue as interchange
from tremplin.learning.budgets import budget_use
from tremplin.learning.catalogue import CatalogueError
from tremplin.learning.forms import PlanSettingsForm, UnitBudgetForm
from tremplin.learning.models import (
    Module,
    ModuleFormat,
    ModuleType,
    Plan,
    PlanEvent,
    PlanItem,
    PlanRun,
    PlanSettings,
    PlanStatus,
    UnitBudget,
)
from tremplin.learning.queries import company_gaps, person_gap_rows, team_heatmap
from tremplin.learning.revisions import REVISABLE, gap_changes, plan_revise
from tremplin.learning.services import (
    PlanError,
    co_signatory,
    generate_plans,
    item_complete,
    item_confirm,
    plan_discussed,
    plan_edit,
    plan_sign,
)
from tremplin.learning.tasks import generate_population_plans
from tremplin.paging import page_of
from tremplin.people.access import person_guard, role_required
from tremplin.people.models import OrgUnit, Person, Role, person_of, roles_of
from tremplin.people.name_search import search_people
from tremplin.skills.queries import active_framework
from tremplin.uploads import UploadError, read_upload


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    modules = Module.objects.filter(active=True).prefetch_related("raises__competence")
    query = request.GET.get("q", "").strip()
    if query:
        modules = modules.filter(
            Q(code__icontains=query) | Q(title_fr__icontains=query) | Q(title_en__icontains=query)
        )
    for field, choices in (("type", ModuleType.values), ("format", ModuleFormat.values)):
        if request.GET.get(field) in choices:  # an unknown value filters nothing
            modules = modules.filter(**{field: request.GET[field]})
    if request.GET.get("competence"):
        modules = modules.filter(raises__competence__code=request.GET["competence"]).distinct()
    framework = active_framework()
    page, query = page_of(request, modules)
    return render(
        request,
        "learning/catalogue.html",
        {
            "page": page,
            "query": query,
            "types": ModuleType.choices,
            "formats": ModuleFormat.choices,
            "competences": framework.competences.all() if framework else [],
            "is_lead": Role.LEAD in roles_of(request.user),
        },
    )


@role_required(Role.LEAD)
def catalogue_import(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    upload = request.FILES.get("file") if request.method == "POST" else None
    if request.method == "POST" and upload is None:
        problems = [_("Choose a file to import.")]
    if upload is not None:
        framework = active_framework()
        try:
            try:
                data = read_upload(upload)
            except UploadError as error:
                raise CatalogueError([str(error)]) from error
            if framework is None:
                raise CatalogueError([_("Load a competency framework first.")])
            name = upload.name or ""
            rows = (
                interchange.parse_json(data)
                if name.lower().endswith(".json")
                else interchange.parse_csv(data, name)
            )
            created, updated = interchange.save_modules(rows, framework)
        except CatalogueError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("Catalogue imported: %(created)s modules added, %(updated)s updated.")
                % {"created": created, "updated": updated},
            )
            return redirect("learning:catalogue")
    return render(request, "learning/catalogue_import.html", {"problems": problems})


@role_required(Role.LEAD)
def catalogue_export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ("json", "csv"):
        raise Http404
    if kind == "json":
        response = HttpResponse(interchange.export_json(), content_type="application/json")
    else:
        response = HttpResponse(interchange.export_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, file_name("tremplin", pgettext("file name", "catalogue"), extension=kind)
    )
    return response


@login_required
def my_development(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied
    return redirect("learning:person", person_id=me.pk)


@login_required
def person_development(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    person_guard(request.user, person)
    framework = active_framework()
    plan = Plan.objects.current().filter(person=person).first()
    return render(
        request,
        "learning/person.html",
        {
            "person": person,
            "rows": person_gap_rows(person, framework) if framework else [],
            "plan": plan,
            "past_plans": person.plans.filter(status=PlanStatus.DONE),
            "can_generate": plan is None or plan.editable,
        },
    )


@require_POST
@login_required
def plan_generate(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    person_guard(request.user, person)
    try:
        generate_plans(
            people=Person.objects.filter(pk=person.pk), by=request.user, replace_discussed=True
        )
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("A plan was proposed. Discuss it, change it if needed, sign it.")
        )
    return redirect("learning:person", person_id=person.pk)


def _visible_plan(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("person"), pk=pk)


def _signed_by(me: Person | None, plan: Plan) -> bool:
    if me is None:
        return False
    if me.pk == plan.person_id:
        return plan.person_signed_at is not None
    return plan.manager_signed_at is not None


def _history(plan: Plan) -> list[PlanEvent]:
    """The plan's events, each with its author's name (their person's, else their login) and,
    for a change of status, "from → to" in the reader's language."""
    events = list(plan.events.select_related("by__person"))
    labels = dict(PlanStatus.choices)
    for event in events:
        person = person_of(event.by) if event.by is not None else None
        event.author = (  # type: ignore[attr-defined]
            person.full_name if person else (event.by.get_username() if event.by else "—")
        )
        old, new = (event.details.get("status") or [None, None])[:2]
        event.change = (  # type: ignore[attr-defined]
            f"{labels.get(old, old)} → {labels.get(new, new)}" if old and new else ""
        )
    return events


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    me = person_of(request.user)
    items = list(
        plan.items.select_related("module").prefetch_related(
            "module__raises__competence", "module__prerequisites"
        )
    )
    years: dict[int, list[PlanItem]] = {}
    for item in items:
        years.setdefault(item.year, []).append(item)
    present = {i.module_id for i in items}
    needed_by: dict[int, list[str]] = {}
    for item in items:
        for prerequisite in item.module.prerequisites.all():
            if prerequisite.pk in present:
                needed_by.setdefault(prerequisite.pk, []).append(item.module.code)
    for item in items:
        item.needed_by = needed_by.get(item.module_id, [])  # type: ignore[attr-defined]
    return render(
        request,
        "learning/plan.html",
        {
            "plan": plan,
            "years": [
                (
                    year,
                    rows,
                    sum(r.module.duration_hours for r in rows),
                    sum(r.module.cost_per_seat for r in rows),
                )
                for year, rows in sorted(years.items())
            ],
            "events": _history(plan),
            "can_sign": access.may_sign(me, plan)
            and plan.status == PlanStatus.DISCUSSED
            and not _signed_by(me, plan),
            "can_edit": plan.editable and access.may_edit(request.user, me, plan),
            "can_complete": plan.status in (PlanStatus.AGREED, PlanStatus.IN_PROGRESS),
            "can_confirm": access.may_confirm(request.user, me, plan),
            "co_signatory": co_signatory(plan.person),
            "gap_changes": gap_changes(plan) if plan.status in REVISABLE else [],
            "can_revise": access.may_edit(request.user, me, plan),
            "max_hours": PlanSettings.current().max_hours_per_year,
            "addable": Module.objects.filter(active=True).exclude(pk__in=present),
            "open_steps": plan.open_steps,
        },
    )


@require_POST
@login_required
def plan_action(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    me = person_of(request.user)
    action = request.POST.get("action", "")
    back = reverse("learning:plan", args=[plan.pk])
    version = params.bounded_int(request.POST.get("version"), -1)
    try:
        if action == "sign":
            if me is None:
                raise PermissionDenied
            plan_sign(plan=plan, by=request.user, signer=me, version=version)
            messages.success(request, _("Your signature is recorded."))
        elif action == "discussed":
            if not access.may_edit(request.user, me, plan):
                raise PermissionDenied
            interview = None
            if request.POST.get("interview"):
                interview = get_object_or_404(
                    CareerInterview.objects.visible_to(request.user),
                    pk=request.POST["interview"],
                )
                back = reverse("assessments:interview", args=[interview.pk])
            plan_discussed(plan=plan, by=request.user, version=version, interview=interview)
            messages.success(request, _("The plan is marked as discussed."))
        elif action in ("add", "remove"):
            if not access.may_edit(request.user, me, plan):
                raise PermissionDenied
            module = get_object_or_404(Module, pk=request.POST.get("module") or 0)
            changes = {"add": [module]} if action == "add" else {"remove": [module]}
            signed = bool(plan.person_signed_at or plan.manager_signed_at)
            plan_edit(plan=plan, by=request.user, version=version, **changes)
            if action == "add":
                messages.success(request, _("Module %(code)s added.") % {"code": module.code})
            else:
                messages.success(request, _("Module %(code)s removed.") % {"code": module.code})
            if signed:
                messages.warning(
                    request,
                    _("The plan changed: the signatures given so far must be given again."),
                )
        elif action == "complete":
            item = get_object_or_404(PlanItem, pk=request.POST.get("item") or 0, plan=plan)
            item_complete(item=item, by=request.user, recorder=me)
            if me is not None and me.pk == plan.person_id:
                messages.success(
                    request,
                    _(
                        "Completion recorded. It counts as your own assessment until your "
                        "manager confirms it."
                    ),
                )
            else:
                messages.success(
                    request, _("Completion recorded; the competences it raises are updated.")
                )
        elif action == "revise":
            if not access.may_edit(request.user, me, plan):
                raise PermissionDenied
            plan_revise(plan=plan, by=request.user, version=version)
            messages.success(
                request,
                _(
                    "A revision is proposed: what was completed and agreed is kept. Discuss it, "
                    "then both sign again."
                ),
            )
        elif action == "confirm":
            if me is None or not access.may_confirm(request.user, me, plan):
                raise PermissionDenied
            item = get_object_or_404(PlanItem, pk=request.POST.get("item") or 0, plan=plan)
            item_confirm(item=item, by=request.user, confirmer=me)
            messages.success(
                request, _("Completion confirmed; the competences it raises are updated.")
            )
        else:
            messages.error(request, _("Unknown action."))
    except PlanError as error:
        messages.error(request, str(error))
    return redirect(back)


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    """Plans the reader may see: current ones by default, or one status; searchable by name."""
    visible = Plan.objects.visible_to(request.user).select_related("person__org_unit")
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        visible = visible.filter(status=status)
    elif status != "all":
        status = ""
        visible = visible.current()
    search = request.GET.get("q", "").strip()
    visible = search_people(visible, search, through="person__")
    page, query = page_of(request, visible.order_by(*by_name("person__")[:2], "-created_at", "pk"))
    return render(
        request,
        "learning/plans.html",
        {
            "page": page,
            "query": query,
            "statuses": PlanStatus.choices,
            "status": status,
            "search": search,
            "is_lead": Role.LEAD in roles_of(request.user),
        },
    )


@role_required(Role.MANAGER, Role.LEAD)
def team_gaps(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    framework = active_framework()
    if me is None or framework is None:
        raise PermissionDenied
    return render(request, "learning/team_gaps.html", {"heatmap": team_heatmap(me, framework)})


@role_required(Role.LEAD)
def company(request: HttpRequest) -> HttpResponse:
    framework = active_framework()
    if framework is None:
        raise PermissionDenied
    by = request.GET.get("by", "unit")
    return render(request, "learning/company_gaps.html", company_gaps(framework, by))


@role_required(Role.LEAD)
def generate_population(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        unit_id = request.POST.get("org_unit") or ""
        run = PlanRun.objects.create(
            scope={"org_unit": int(unit_id)} if unit_id.isdigit() else {},
            requested_by_id=request.user.pk,
        )
        generate_population_plans.enqueue(run.pk)
        messages.success(request, _("Plan generation started; this page shows its progress."))
        return redirect("learning:run", pk=run.pk)
    return render(
        request,
        "learning/generate.html",
        {"units": OrgUnit.objects.all(), "runs": PlanRun.objects.all()[:10]},
    )


@role_required(Role.LEAD)
def run(request: HttpRequest, pk: int) -> HttpResponse:
    plan_run = get_object_or_404(PlanRun.objects.select_related("requested_by"), pk=pk)
    unit_id = plan_run.scope.get("org_unit")
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    return render(request, "learning/run.html", {"run": plan_run, "unit": unit})


@role_required(Role.LEAD)
def plan_settings(request: HttpRequest) -> HttpResponse:
    """How plans are generated, and the training budgets of org units for a year."""
    year = params.year(request.GET.get("year"), timezone.localdate().year)
    posted = request.POST if request.method == "POST" else None
    settings_form = PlanSettingsForm(
        posted if "settings" in request.POST else None, instance=PlanSettings.current()
    )
    budget_form = UnitBudgetForm(
        posted if "budget" in request.POST else None, initial={"year": year}
    )
    if "settings" in request.POST and settings_form.is_valid():
        settings_form.save()
        messages.success(request, _("Plan settings saved; they apply to the next plans generated."))
        return redirect("learning:settings")
    if "budget" in request.POST and budget_form.is_valid():
        budget = budget_form.save()
        messages.success(request, _("Budget saved."))
        return redirect(f"{request.path}?year={budget.year}")
    if "delete" in request.POST:
        budget = get_object_or_404(UnitBudget, pk=request.POST.get("delete") or 0)
        budget.delete()
        messages.success(request, _("Budget removed."))
        return redirect(f"{request.path}?year={budget.year}")
    return render(
        request,
        "learning/settings.html",
        {
            "settings_form": settings_form,
            "budget_form": budget_form,
            "year": year,
            "uses": budget_use(year),
            "years": sorted(
                set(UnitBudget.objects.values_list("year", flat=True)) | {year - 1, year, year + 1}
            ),
        },
    )
